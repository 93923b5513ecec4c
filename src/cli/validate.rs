//! `mandate validate`: loads rule files and prints their errors and
//! warnings. Exits 0 when no file has errors (warnings allowed), 1 otherwise.

use super::{colour, plural, print_diagnostics, Format, EXIT_FAILURE, EXIT_OK};
use mandate::visible::visible_path;
use mandate::Mandate;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub(super) fn validate(files: &[PathBuf], format: Format, today: chrono::NaiveDate) -> u8 {
    let mut all = Vec::new();
    let mut failed = false;
    let stderr_colour = colour(std::io::stderr().is_terminal());
    let mut stdout = std::io::stdout().lock();
    for path in files {
        let loaded = Mandate::load(path, today);
        failed |= loaded.has_errors();
        if format == Format::Text {
            print_diagnostics(&loaded.diagnostics, &loaded.sources, stderr_colour);
            // The note on problems not shown is not itself one of them.
            let shown = |error: bool| {
                loaded
                    .diagnostics
                    .iter()
                    .filter(|d| d.code != mandate::diagnostic::TOO_MANY_PROBLEMS)
                    .filter(|d| d.is_error() == error)
                    .count()
            };
            let more = if loaded
                .diagnostics
                .iter()
                .any(|d| d.code == mandate::diagnostic::TOO_MANY_PROBLEMS)
            {
                ", and more not shown"
            } else {
                ""
            };
            let verdict = if loaded.has_errors() { "FAILED" } else { "ok" };
            let _ = writeln!(
                stdout,
                "{}: {verdict} ({}, {}{more})",
                visible_path(path),
                plural(shown(true), "error"),
                plural(shown(false), "warning")
            );
        }
        all.extend(loaded.diagnostics);
    }
    if format == Format::Json {
        match serde_json::to_string_pretty(&all) {
            Ok(json) => {
                let _ = writeln!(stdout, "{json}");
            }
            Err(error) => {
                eprintln!("error: cannot write JSON: {error}");
                return EXIT_FAILURE;
            }
        }
    }
    if failed {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}
