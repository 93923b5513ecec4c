//! `mandate record verify` and `mandate record show`: read a record made
//! by `check --record`, ask the library whether every line and the chain
//! are intact ([`mandate::record::verify_text`]), re-check it against the
//! mandates given ([`mandate::record::recheck`]), or list it for the
//! group's members ([`mandate::record::show`]). Exits 0 intact, 1
//! otherwise.

use super::{load_quietly, EXIT_FAILURE, EXIT_OK};
use clap::ValueEnum;
use mandate::record::show;
use mandate::visible::{visible, visible_path};
use mandate::Mandate;
use std::path::{Path, PathBuf};

/// Largest record read, in bytes.
const MAX_RECORD_BYTES: usize = 1024 * 1024 * 1024;

/// What `record show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// Lines for a person.
    Text,
    /// A Markdown table.
    Markdown,
    /// CSV for a spreadsheet (a header row; formulas neutralised).
    Csv,
    /// JSON for other tools.
    Json,
}

fn read(file: &Path) -> Result<Vec<u8>, u8> {
    let name = visible_path(file);
    match mandate::source::read_file(file, MAX_RECORD_BYTES) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => {
            eprintln!("error: {name}: the record is larger than {MAX_RECORD_BYTES} bytes");
            Err(EXIT_FAILURE)
        }
        Err(error) => {
            eprintln!(
                "error: {name}: {}\n  help: give the file `mandate check --record` wrote",
                visible(&error.to_string())
            );
            Err(EXIT_FAILURE)
        }
    }
}

pub(super) fn verify(file: &Path, head: Option<&str>, mandates: &[PathBuf]) -> u8 {
    let name = visible_path(file);
    let bytes = match read(file) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    let mut loaded = Vec::new();
    for path in mandates {
        match load_quietly(
            path,
            chrono::Local::now().date_naive(),
            "checking a record against it",
        ) {
            Some(m) => loaded.push(m),
            None => return EXIT_FAILURE,
        }
    }
    let (verified, entries) = match mandate::record::read(&bytes) {
        Ok(read) => read,
        Err(tampered) => {
            println!("{name}: line {}: {}", tampered.line, tampered.problem);
            return EXIT_FAILURE;
        }
    };
    if let Some(head) = head {
        if !verified.hashes.iter().any(|h| h == head) {
            eprintln!(
                "error: {name}: no entry has the head {}; the record was cut short after it was published, or it is another record",
                visible(head)
            );
            return EXIT_FAILURE;
        }
    }
    if !loaded.is_empty() {
        let refs: Vec<&Mandate> = loaded.iter().collect();
        let unborne = mandate::record::recheck(&entries, &refs);
        for u in &unborne {
            let text = match u {
                mandate::record::Unborne::UnknownMandate { line, sha256 } => format!(
                    "{name}: line {line}: its mandate (sha256 {sha256}) is none of those given"
                ),
                mandate::record::Unborne::Differs { line, differences } => format!(
                    "{name}: line {line}: its mandate gives another decision: {}",
                    differences.join("; ")
                ),
                mandate::record::Unborne::Unchecked { line, why } => {
                    format!("{name}: line {line}: cannot be checked again: {why}")
                }
            };
            println!("{}", visible(&text));
        }
        if !unborne.is_empty() {
            return EXIT_FAILURE;
        }
        println!(
            "{name}: every decision is the one its mandate gives ({} checked again)",
            entries.len()
        );
    }
    println!(
        "{name}: intact, {} entries; head {}",
        verified.entries, verified.head
    );
    EXIT_OK
}

pub(super) fn show(
    file: &Path,
    representative: Option<&str>,
    since: Option<chrono::NaiveDate>,
    until: Option<chrono::NaiveDate>,
    format: ShowFormat,
) -> u8 {
    let name = visible_path(file);
    let bytes = match read(file) {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    let entries = match mandate::record::entries(&bytes) {
        Ok(entries) => entries,
        Err(tampered) => {
            eprintln!(
                "error: {name}: line {}: {}\n  help: run `mandate record verify {name}`; a record that is not intact is not shown",
                tampered.line, tampered.problem
            );
            return EXIT_FAILURE;
        }
    };
    let rows = show::rows(&entries, representative, since, until);
    // Every line echoes the record: its control characters made visible.
    let lines = |text: String| {
        text.lines()
            .map(|l| visible(l).into_owned() + "\n")
            .collect::<String>()
    };
    let out = match format {
        ShowFormat::Text => lines(show::text(&rows)),
        ShowFormat::Markdown => lines(show::markdown(&rows)),
        ShowFormat::Csv => match show::csv(&rows) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: cannot write CSV: {error}");
                return EXIT_FAILURE;
            }
        },
        ShowFormat::Json => match serde_json::to_string_pretty(&rows) {
            Ok(json) => json + "\n",
            Err(error) => {
                eprintln!("error: cannot write JSON: {error}");
                return EXIT_FAILURE;
            }
        },
    };
    print!("{out}");
    EXIT_OK
}
