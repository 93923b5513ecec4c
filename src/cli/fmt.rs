//! `mandate fmt`: lays rule files out the one canonical way
//! ([`mandate::format`]) and writes each changed one atomically, or with
//! `--check` names those not formatted, or with `--diff` shows the change.
//! A file that does not parse is left as it is, with its diagnostic.
//! Exits 1 when a file could not be formatted, or with `--check` when one
//! is not formatted; 0 otherwise.

use super::{colour, mandate_paths, print_diagnostics, EXIT_FAILURE, EXIT_OK};
use mandate::format::{format, write_atomically};
use mandate::source::read_rule_file;
use mandate::visible::{visible, visible_path};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

pub(super) fn fmt(paths: &[PathBuf], check: bool, diff: bool) -> u8 {
    let files = match mandate_paths(paths) {
        Ok(files) => files,
        Err(code) => return code,
    };
    let stderr_colour = colour(std::io::stderr().is_terminal());
    let mut stdout = std::io::stdout().lock();
    let (mut broken, mut unformatted) = (false, 0usize);
    for path in &files {
        let source = match read_rule_file(path) {
            Ok(source) => source,
            Err(diagnostic) => {
                print_diagnostics(&[*diagnostic], &[], stderr_colour);
                broken = true;
                continue;
            }
        };
        let formatted = match format(&source.text) {
            Ok(text) => text,
            Err(error) => {
                let diagnostic = error.diagnostic(&source.name, &source.text);
                print_diagnostics(&[diagnostic], std::slice::from_ref(&source), stderr_colour);
                eprintln!("{} was left as it is.", visible_path(path));
                broken = true;
                continue;
            }
        };
        if formatted == source.text {
            continue;
        }
        unformatted += 1;
        if diff {
            let name = visible_path(path);
            let _ = write!(stdout, "{}", unified_diff(&name, &source.text, &formatted));
        }
        if check {
            let _ = writeln!(stdout, "{}: not formatted", visible_path(path));
        } else if !diff {
            match write_atomically(path, &formatted) {
                Ok(()) => {
                    let _ = writeln!(stdout, "formatted {}", visible_path(path));
                }
                Err(error) => {
                    eprintln!(
                        "error: {}: cannot write the formatted file: {}\n  help: check that the file and its folder are writable; the file is unchanged",
                        visible_path(path),
                        visible(&error.to_string())
                    );
                    broken = true;
                }
            }
        }
    }
    if broken || (check && unformatted > 0) {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}

/// The change as a unified diff, one printed line per line of either text:
/// a line's own `\r` (a CRLF or lone-CR ending) and any other control
/// character are shown as escapes, so a change of line ending is seen and
/// nothing in the file can move the terminal's cursor. The comparison
/// gives up refining after a few seconds (a huge file whose every line
/// changed), showing larger hunks instead of taking minutes.
fn unified_diff(name: &str, old: &str, new: &str) -> String {
    use similar::ChangeTag;
    let change = similar::TextDiff::configure()
        .timeout(std::time::Duration::from_secs(5))
        .diff_lines(old, new);
    let mut out = format!("--- {name}\n+++ {name}\n");
    for hunk in change.unified_diff().context_radius(3).iter_hunks() {
        out.push_str(&format!("{}\n", hunk.header()));
        for line in hunk.iter_changes() {
            let sign = match line.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            };
            let text = line.value();
            let text = text.strip_suffix('\n').unwrap_or(text);
            out.push_str(&format!("{sign}{}\n", visible(text)));
            if line.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}
