//! Peak memory, mandate beside Cedar, in two processes: writes the
//! 10,000-rule peer mandate, its Cedar policies and entities, and 1,000
//! requests (500 hits, 500 misses) to a folder, so generating them is not
//! counted; then runs `rss-mandate` and `rss-cedar` (built beside this
//! program) one after the other on it, and prints each one's peak
//! resident set and the ratio. Both must agree the same number of times.
//!
//! Run: `peer/rss.sh` (builds the three programs and runs this one), or
//! `cargo build --release -p mandate-peer --bins` and then
//! `cargo run --release -p mandate-peer --bin rss -- [RULES] [--keep DIR]`.

use mandate_peer::{both, entities_json, hits_and_misses, rss_files};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn field(line: &str, key: &str) -> Option<u64> {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))?
        .parse()
        .ok()
}

fn run(program: &Path, dir: &Path) -> Result<String, String> {
    let output = Command::new(program).arg(dir).output().map_err(|e| {
        format!(
            "{}: {e} (build it: cargo build --release -p mandate-peer --bins)",
            program.display()
        )
    })?;
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}",
            program.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn write(dir: &Path, rules: usize) -> Result<(), String> {
    let both = both(rules).map_err(|e| e.to_string())?;
    let requests = hits_and_misses(&both.generated, 500, 1_000);
    let mut lines = String::new();
    for r in &requests {
        lines.push_str(&r.representative);
        lines.push('\t');
        lines.push_str(&r.proposal_json);
        lines.push('\n');
    }
    let entities = entities_json(&both.generated.model).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    for (name, text) in [
        (rss_files::MANDATE, &both.generated.text),
        (rss_files::POLICIES, &both.policies.text),
        (rss_files::ENTITIES, &entities),
        (rss_files::REQUESTS, &lines),
    ] {
        std::fs::write(dir.join(name), text).map_err(|e| format!("{name}: {e}"))?;
        eprintln!("wrote {} ({} bytes)", dir.join(name).display(), text.len());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut rules = 10_000;
    let mut keep: Option<PathBuf> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--keep" => {
                keep = args.get(i + 1).map(PathBuf::from);
                i += 1;
            }
            n => match n.parse() {
                Ok(n) => rules = n,
                Err(_) => {
                    eprintln!("usage: rss [RULES] [--keep DIR]");
                    return ExitCode::from(2);
                }
            },
        }
        i += 1;
    }
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("mandate-peer-rss-{}", std::process::id()))
    });
    if let Err(e) = write(&dir, rules) {
        eprintln!("rss: {e}");
        return ExitCode::from(1);
    }
    let here = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    let result = run(&here.join("rss-mandate"), &dir)
        .and_then(|m| run(&here.join("rss-cedar"), &dir).map(|c| (m, c)));
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let (m, c) = match result {
        Ok(pair) => pair,
        Err(e) => {
            eprintln!("rss: {e}");
            return ExitCode::from(1);
        }
    };
    println!("{m}");
    println!("{c}");
    let (Some(mp), Some(cp)) = (field(&m, "peak_kib"), field(&c, "peak_kib")) else {
        eprintln!("rss: no peak in the programs' output");
        return ExitCode::from(1);
    };
    let (ma, ca) = (field(&m, "agrees"), field(&c, "agrees"));
    let (ms, cs) = (
        field(&m, "start_kib").unwrap_or(0),
        field(&c, "start_kib").unwrap_or(0),
    );
    println!(
        "{rules} rules, 1,000 requests: peak RSS mandate {:.1} MiB (at start {:.1}), \
         Cedar {:.1} MiB (at start {:.1}); mandate/Cedar {:.3}",
        mp as f64 / 1024.0,
        ms as f64 / 1024.0,
        cp as f64 / 1024.0,
        cs as f64 / 1024.0,
        mp as f64 / cp as f64
    );
    if ma != ca || ma.is_none() {
        eprintln!("rss: the engines agreed a different number of times: {ma:?} and {ca:?}");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
