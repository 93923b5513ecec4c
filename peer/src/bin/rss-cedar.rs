//! Peak memory of Cedar: parses the policies and entities `rss` wrote
//! (`PolicySet::from_str`, `Entities::from_json_str`), authorizes every
//! request, and prints its peak resident set (`VmHWM`) and how many it
//! allowed.
//!
//! Run by `rss` (`peer/rss.sh`): `rss-cedar DIR`.

use cedar_policy::{Authorizer, Decision, Entities, PolicySet};
use mandate_peer::{peak_rss_kib, request_from_json, rss_files};
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

fn main() -> ExitCode {
    let start = peak_rss_kib().unwrap_or(0);
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: rss-cedar DIR");
        return ExitCode::from(2);
    };
    let read = |name: &str| std::fs::read_to_string(dir.join(name));
    let (policies, entities, requests) = match (
        read(rss_files::POLICIES),
        read(rss_files::ENTITIES),
        read(rss_files::REQUESTS),
    ) {
        (Ok(p), Ok(e), Ok(r)) => (p, e, r),
        _ => {
            eprintln!("rss-cedar: cannot read the files in {}", dir.display());
            return ExitCode::from(1);
        }
    };
    let policy_set = match PolicySet::from_str(&policies) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("policies: {e:?}");
            return ExitCode::from(1);
        }
    };
    drop(policies);
    let entities = match Entities::from_json_str(&entities, None) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("entities: {e}");
            return ExitCode::from(1);
        }
    };
    let authorizer = Authorizer::new();
    let (mut checked, mut allows) = (0usize, 0usize);
    for line in requests.lines() {
        let Some((representative, json)) = line.split_once('\t') else {
            continue;
        };
        let request = match request_from_json(representative, json) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{e}: {json}");
                return ExitCode::from(1);
            }
        };
        let response = authorizer.is_authorized(&request, &policy_set, &entities);
        allows += usize::from(response.decision() == Decision::Allow);
        checked += 1;
    }
    println!(
        "engine=cedar start_kib={start} peak_kib={} checked={checked} agrees={allows}",
        peak_rss_kib().unwrap_or(0)
    );
    ExitCode::SUCCESS
}
