//! `mandate analyze`: loads a mandate, asks the library where its
//! representatives would contradict each other ([`mandate::analysis`]),
//! and prints the findings in words or as JSON. Exits 0 (1 with
//! `--exit-code` when there is a first-tier contradiction); a mandate
//! with errors prints its diagnostics and exits 1.

use super::{colour, print_diagnostics, print_json, Format, EXIT_FAILURE, EXIT_OK};
use mandate::analysis::{analyze as run, Options};
use mandate::visible::{visible, visible_path};
use mandate::Mandate;
use std::io::{IsTerminal, Write};
use std::path::Path;

pub(super) fn analyze(
    rules: &Path,
    representatives: &[String],
    today: chrono::NaiveDate,
    format: Format,
    exit_code: bool,
) -> u8 {
    let load = Mandate::load(rules, today);
    let errors: Vec<_> = load
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    print_diagnostics(
        &errors,
        &load.sources,
        colour(std::io::stderr().is_terminal()),
    );
    let Some(mandate) = load.mandate else {
        eprintln!(
            "error: {} has errors; fix them before analysing it (run `mandate validate {}`)",
            visible_path(rules),
            visible_path(rules)
        );
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
