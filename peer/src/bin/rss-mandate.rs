//! Peak memory of mandate: loads the mandate `rss` wrote (`Mandate::load`,
//! as an embedder does), checks every request, and prints its peak
//! resident set (`VmHWM`) and how many it agreed.
//!
//! Run by `rss` (`peer/rss.sh`): `rss-mandate DIR`.

use mandate::{Mandate, Outcome, Proposal};
use mandate_peer::{day, peak_rss_kib, rss_files};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let start = peak_rss_kib().unwrap_or(0);
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: rss-mandate DIR");
        return ExitCode::from(2);
    };
    let loaded = Mandate::load(&dir.join(rss_files::MANDATE), day());
    let Some(mandate) = loaded.mandate else {
        eprintln!("the mandate has errors: {:?}", loaded.diagnostics.first());
        return ExitCode::from(1);
    };
    drop(loaded.diagnostics);
    drop(loaded.sources);
    let requests = match std::fs::read_to_string(dir.join(rss_files::REQUESTS)) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("requests: {e}");
            return ExitCode::from(1);
        }
    };
    let (mut checked, mut agrees) = (0usize, 0usize);
    for line in requests.lines() {
        let Some((representative, json)) = line.split_once('\t') else {
            continue;
        };
        let proposal = match Proposal::from_json(json, "rss") {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{e}: {json}");
                return ExitCode::from(1);
            }
        };
        match mandate.check(&proposal, representative, day()) {
            Ok(decision) => agrees += usize::from(decision.outcome == Outcome::Agree),
            Err(e) => {
                eprintln!("{e:?}");
                return ExitCode::from(1);
            }
        }
        checked += 1;
    }
    println!(
        "engine=mandate start_kib={start} peak_kib={} checked={checked} agrees={agrees}",
        peak_rss_kib().unwrap_or(0)
    );
    ExitCode::SUCCESS
}
