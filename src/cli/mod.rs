//! The command line: parses arguments, reads files, calls the library,
//! prints, and picks the exit code. No decision logic lives here.

use clap::{Parser, Subcommand, ValueEnum};
use mandate::check::Whom;
use mandate::source::SourceFile;
use mandate::visible::{is_hidden, visible, visible_path};
use mandate::{Diagnostic, Mandate, Proposal};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Exit code for success (any decision is a success).
pub const EXIT_OK: u8 = 0;
/// Exit code for bad input or failure.
pub const EXIT_FAILURE: u8 = 1;
/// Exit code for a command line that cannot be run as written.
pub const EXIT_USAGE: u8 = 2;

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
    /// Check proposals: may the representative agree, and if not, why and
    /// what to do instead?
    ///
    /// One proposal for one named representative (`--as`, or the
    /// proposal's `representative`) gives one decision; anything else gives
    /// a list, proposals in the order given, representatives in file order.
    Check {
        /// The `.mandate` file.
        #[arg(value_name = "RULES")]
        rules: PathBuf,
        /// Proposal JSON files; `-` reads one from standard input.
        #[arg(required = true, value_name = "PROPOSAL")]
        proposals: Vec<PathBuf>,
        /// Check for this representative (overrides the proposal's own).
        #[arg(long = "as", value_name = "ID")]
        representative: Option<String>,
        /// The day of the check (YYYY-MM-DD), used when a proposal has no
        /// `date`; default today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// `text` for people, `json` for other tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit with the most severe outcome: 0 agree, 3 refer, 4 redirect,
        /// 5 decline.
        #[arg(long)]
        exit_code: bool,
    },
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
    mandate::proposal::parse_iso_date(text).ok_or_else(|| {
        format!(
            "`{}` is not a date; write YYYY-MM-DD, for example 2026-12-03",
            visible(text)
        )
    })
}

/// Parses the command line, or prints why it cannot be run (or the help)
/// and gives the exit code to end with.
pub fn parse(args: Vec<OsString>) -> Result<Cli, u8> {
    let error = match Cli::try_parse_from(&args) {
        Ok(cli) => return Ok(cli),
        Err(error) => error,
    };
    let hidden = args
        .iter()
        .any(|arg| arg.to_string_lossy().chars().any(is_hidden));
    if !hidden {
        let _ = error.print();
        return Err(u8::try_from(error.exit_code()).unwrap_or(EXIT_USAGE));
    }
    // clap echoes arguments as given. Parsing them again with their control
    // characters made visible fails the same way (no flag or choice has
    // one), and its message then shows them as escapes.
    let shown: Vec<OsString> = args
        .iter()
        .map(|arg| OsString::from(visible(&arg.to_string_lossy()).into_owned()))
        .collect();
    let text = match Cli::try_parse_from(&shown) {
        Err(again) => again.render().to_string(),
        Ok(_) => error
            .render()
            .to_string()
            .split('\n')
            .map(visible)
            .collect::<Vec<_>>()
            .join("\n"),
    };
    if error.use_stderr() {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    Err(u8::try_from(error.exit_code()).unwrap_or(EXIT_USAGE))
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
        Command::Check {
            rules,
            proposals,
            representative,
            date,
            format,
            exit_code,
        } => check(&CheckArgs {
            rules,
            proposals,
            representative,
            today: date.unwrap_or_else(today),
            format,
            exit_code,
        }),
        Command::Validate {
            files,
            format,
            date,
        } => validate(&files, format, date.unwrap_or_else(today)),
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
                visible_path(path),
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

struct CheckArgs {
    rules: PathBuf,
    proposals: Vec<PathBuf>,
    representative: Option<String>,
    today: chrono::NaiveDate,
    format: Format,
    exit_code: bool,
}

fn check(args: &CheckArgs) -> u8 {
    let stdin_count = args.proposals.iter().filter(|p| is_stdin(p)).count();
    if stdin_count > 1 {
        eprintln!(
            "error: `-` is given {stdin_count} times, but standard input can be read only once\n  help: give `-` for one proposal at most, and name the others by their files"
        );
        return EXIT_USAGE;
    }
    let stderr_colour = colour(std::io::stderr().is_terminal());
    let loaded = Mandate::load(&args.rules, args.today);
    print_diagnostics(&loaded.diagnostics, &loaded.sources, stderr_colour);
    let Some(mandate) = loaded.mandate else {
        eprintln!(
            "error: {} has errors; fix them before checking proposals (run `mandate validate {}`)",
            visible_path(&args.rules),
            visible_path(&args.rules)
        );
        return EXIT_FAILURE;
    };

    // Read every proposal before deciding anything: bad input prints
    // nothing on stdout.
    let mut proposals = Vec::new();
    for path in &args.proposals {
        match read_proposal(path) {
            Ok(proposal) => proposals.push(proposal),
            Err(message) => {
                eprintln!("{message}");
                return EXIT_FAILURE;
            }
        }
    }

    let whom = match &args.representative {
        Some(id) => Whom::Named(vec![id.clone()]),
        None => Whom::AsProposed,
    };
    let checked = match mandate.check_each(&proposals, &whom, args.today) {
        Ok(checked) => checked,
        Err(failed) => {
            eprintln!(
                "error: proposal `{}`: {}\n  help: {}",
                visible(&failed.proposal),
                visible(&failed.error.to_string()),
                visible(&failed.error.help())
            );
            return EXIT_FAILURE;
        }
    };
    let decisions = &checked.decisions;

    let mut stdout = std::io::stdout().lock();
    match args.format {
        Format::Json => match checked.to_json() {
            Ok(json) => {
                let _ = writeln!(stdout, "{json}");
            }
            Err(error) => {
                eprintln!("error: cannot write JSON: {error}");
                return EXIT_FAILURE;
            }
        },
        Format::Text => {
            let colour = colour(std::io::stdout().is_terminal());
            for (i, decision) in decisions.iter().enumerate() {
                if i > 0 {
                    let _ = writeln!(stdout, "\n{}\n", "-".repeat(72));
                }
                let _ = write!(
                    stdout,
                    "{}",
                    mandate::report::text(decision, &mandate, colour)
                );
            }
        }
    }
    if args.exit_code {
        decisions
            .iter()
            .map(|d| d.outcome)
            .max()
            .map_or(EXIT_OK, |o| o.exit_code())
    } else {
        EXIT_OK
    }
}

/// Whether a proposal argument means standard input.
fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads and parses one proposal; the error is the full message to print.
fn read_proposal(path: &Path) -> Result<Proposal, String> {
    use std::io::Read;
    let stdin = is_stdin(path);
    let name = if stdin {
        "standard input".to_string()
    } else {
        visible_path(path)
    };
    let limit = mandate::proposal::MAX_PROPOSAL_BYTES;
    let too_large = || {
        format!(
            "error: {name}: the proposal is larger than {limit} bytes\n  help: a proposal should be a page of JSON at most; check that this is the right file"
        )
    };
    let bytes = if stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map(|_| (bytes.len() <= limit).then_some(bytes))
    } else {
        mandate::source::read_file(path, limit)
    };
    let bytes = match bytes {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err(too_large()),
        Err(error) => {
            let help = if error.kind() == std::io::ErrorKind::InvalidInput {
                "give the path of a proposal's JSON file, or `-` to read one from standard input"
            } else {
                "check the path and that the file exists"
            };
            return Err(format!(
                "error: {name}: cannot read the proposal: {}\n  help: {help}",
                visible(&error.to_string())
            ));
        }
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        format!(
            "error: {name}: the proposal is not UTF-8 text\n  help: save it as plain UTF-8 JSON"
        )
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(format!(
            "error: {name}: the proposal is empty\n  help: write it as JSON, for example {{\"title\": \"Advice and guidance pilot\", \"topics\": [\"interface.outpatients\"]}}"
        ));
    }
    let stem = if stdin {
        "stdin".to_string()
    } else {
        path.file_stem()
            .map_or("proposal".into(), |s| s.to_string_lossy().into_owned())
    };
    Proposal::from_json(&text, &stem).map_err(|error| {
        let line = match error.line() {
            0 => String::new(),
            n => format!(":{n}"),
        };
        let message = match &error {
            mandate::ProposalError::Json { message, .. } => message.clone(),
            other => other.to_string(),
        };
        let message = message
            .split_once(": ")
            .filter(|(head, _)| head.starts_with("line "))
            .map_or(message.clone(), |(_, rest)| rest.to_string());
        format!(
            "error: {name}{line}: {}\n  help: {}",
            visible(&message),
            visible(&error.help())
        )
    })
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
