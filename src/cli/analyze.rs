//! `mandate analyze`: loads a mandate, asks the library where its
//! representatives would contradict each other ([`mandate::analysis`]),
//! and prints the findings in words or as JSON. Exits 0 (1 with
//! `--exit-code` when there is a first-tier contradiction); a mandate
//! with errors prints its diagnostics and exits 1.

use super::{load_quietly, print_json, Format, EXIT_FAILURE, EXIT_OK};
use mandate::analysis::{analyze as run, Options};
use mandate::visible::visible;
use std::io::Write;
use std::path::Path;

pub(super) fn analyze(
    rules: &Path,
    representatives: &[String],
    today: chrono::NaiveDate,
    format: Format,
    exit_code: bool,
) -> u8 {
    let Some(mandate) = load_quietly(rules, today, "analysing it") else {
        return EXIT_FAILURE;
    };
    let options = Options {
        representatives: representatives.to_vec(),
        today,
    };
    let analysis = match run(&mandate, &options) {
        Ok(analysis) => analysis,
        Err(error) => {
            eprintln!("error: {}", visible(&error.to_string()));
            eprintln!("  help: {}", visible(&error.help()));
            return EXIT_FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            if let Err(code) = print_json(&mut stdout, &analysis) {
                return code;
            }
        }
        Format::Text => {
            for line in mandate::wording::analysis::lines(&mandate, &analysis) {
                let _ = writeln!(stdout, "{}", visible(&line));
            }
        }
    }
    if exit_code && analysis.has_contradictions() {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}
