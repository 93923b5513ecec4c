//! `mandate test`: finds each mandate's `NAME.tests.json`, runs its cases
//! through the library ([`mandate::testing`]) and prints each failure with
//! what differed and the decision's reasons, then `N passed, M failed`.
//! Exits 0 when every case passes, 1 on any failure, malformed tests file
//! or mandate with errors.

use super::{colour, mandate_paths, plural, print_diagnostics, EXIT_FAILURE, EXIT_OK};
use mandate::testing::{self, CaseResult};
use mandate::visible::{visible, visible_path};
use mandate::Mandate;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

pub(super) fn test(paths: &[PathBuf]) -> u8 {
    let mandates = match mandate_paths(paths) {
        Ok(mandates) => mandates,
        Err(code) => return code,
    };

    let stderr_colour = colour(std::io::stderr().is_terminal());
    let mut stdout = std::io::stdout().lock();
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, false);
    for rules in &mandates {
        // Without this, a misspelt path would pass as a mandate with no
        // tests.
        if !rules.is_file() {
            eprintln!(
                "error: {}: there is no mandate file there\n  help: give a `.mandate` file, or a folder with `.mandate` files below it",
                visible_path(rules)
            );
            broken = true;
            continue;
        }
        let tests_path = testing::tests_file_for(rules);
        if !tests_path.exists() {
            let _ = writeln!(stdout, "{}: no tests", visible_path(rules));
            continue;
        }
        let file = match testing::load(&tests_path) {
            Ok(file) => file,
            Err(error) => {
                eprintln!(
                    "error: {}:{}: {}\n  help: {}",
                    error.file,
                    error.line,
                    error.message,
                    visible(&error.help)
                );
                broken = true;
                continue;
            }
        };
        // Loaded on the tests' own day, so an expiry warning comes when the
        // cases would, not when the calendar moves.
        let loaded = Mandate::load(rules, file.date);
        let Some(mandate) = loaded.mandate else {
            print_diagnostics(&loaded.diagnostics, &loaded.sources, stderr_colour);
            eprintln!(
                "error: {} has errors; fix them before testing it (run `mandate validate {}`)",
                visible_path(rules),
                visible_path(rules)
            );
            broken = true;
            continue;
        };
        let results = testing::run(&mandate, &file);
        let here = results.iter().filter(|r| r.passed).count();
        let _ = writeln!(
            stdout,
            "{}: {}, {} passed",
            visible_path(rules),
            plural(results.len(), "case"),
            here
        );
        for result in results.iter().filter(|r| !r.passed) {
            let _ = write!(stdout, "{}", failure(&tests_path, result));
        }
        passed += here;
        failed += results.len() - here;
    }
    let _ = writeln!(stdout, "\n{passed} passed, {failed} failed");
    if failed > 0 || broken {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// One failed case, for a person: where it is, what differed, and the
/// decision's reasons.
fn failure(tests_path: &Path, result: &CaseResult) -> String {
    let whom = if result.representative.is_empty() {
        String::new()
    } else {
        format!(" for {}", visible(&result.representative))
    };
    let mut text = format!(
        "\nFAILED {}:{}: \"{}\"{whom}\n",
        visible_path(tests_path),
        result.line,
        visible(&result.name),
    );
    for difference in &result.differences {
        let line = mandate::wording::testing::difference(difference);
        text.push_str(&format!("  {}\n", visible(&line)));
    }
    if !result.reasons.is_empty() {
        text.push_str("  the decision's reasons:\n");
        for reason in &result.reasons {
            text.push_str(&format!("    - {}\n", visible(reason)));
        }
    }
    text
}
