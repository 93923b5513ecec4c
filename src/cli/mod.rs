//! The command line: parses arguments, reads files, calls the library,
//! prints, and picks the exit code. No decision logic lives here.

use clap::{Parser, Subcommand, ValueEnum};
use mandate::source::SourceFile;
use mandate::{Diagnostic, Mandate};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Exit code for success (any decision is a success).
pub const EXIT_OK: u8 = 0;
/// Exit code for bad input or failure.
pub const EXIT_FAILURE: u8 = 1;

/// Tells a representative, before a meeting, what they may agree to on
/// behalf of the group that sent them.
#[derive(Debug, Parser)]
#[command(name = "mandate", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check rule files: print their errors and warnings.
    ///
    /// Exits 0 when no file has errors (warnings allowed), 1 otherwise.
    Validate {
        /// The `.mandate` files to check.
        #[arg(required = true, value_name = "RULES")]
        files: Vec<PathBuf>,
        /// `text` for people, `json` for editors and other tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The day to judge expiry against (YYYY-MM-DD); default today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain English for people.
    Text,
    /// JSON for other tools.
    Json,
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    mandate_date(text).ok_or_else(|| format!("`{text}` is not a date; write YYYY-MM-DD, for example 2026-12-03"))
}

fn mandate_date(text: &str) -> Option<chrono::NaiveDate> {
    if text.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Today, local time: the default for `--date`.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Whether to colour output written to a stream.
fn colour(is_terminal: bool) -> bool {
    is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Runs the command line and returns the exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Validate { files, format, date } => validate(&files, format, date.unwrap_or_else(today)),
    }
}

fn validate(files: &[PathBuf], format: Format, today: chrono::NaiveDate) -> u8 {
    let mut all = Vec::new();
    let mut failed = false;
    let stderr_colour = colour(std::io::stderr().is_terminal());
    let mut stdout = std::io::stdout().lock();
    for path in files {
        let loaded = Mandate::load(path, today);
        failed |= loaded.has_errors();
        if format == Format::Text {
            print_diagnostics(&loaded.diagnostics, &loaded.sources, stderr_colour);
            let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = loaded.diagnostics.len() - errors;
            let verdict = if errors > 0 { "FAILED" } else { "ok" };
            let _ = writeln!(
                stdout,
                "{}: {verdict} ({}, {})",
                path.display(),
                plural(errors, "error"),
                plural(warnings, "warning")
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

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Draws diagnostics on stderr, each against its own file's text.
fn print_diagnostics(diagnostics: &[Diagnostic], sources: &[SourceFile], colour: bool) {
    let mut stderr = std::io::stderr().lock();
    for diagnostic in diagnostics {
        let source = sources
            .iter()
            .find(|s| s.name == diagnostic.file)
            .map(|s| s.text.as_str());
        let _ = write!(stderr, "{}", diagnostic.render(source, colour));
    }
}
