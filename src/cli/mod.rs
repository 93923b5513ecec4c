//! The command line: parses arguments, reads files, calls the library,
//! prints, and picks the exit code. No decision logic lives here. One file
//! per command (`analyze.rs`, `brief.rs`, `check.rs`, `diff.rs`, `fmt.rs`, `serve.rs`,
//! `test.rs`, `validate.rs`); this one holds the argument definitions and what the
//! commands share.

mod analyze;
mod brief;
mod check;
mod diff;
mod fmt;
mod lsp;
mod record;
mod serve;
mod test;
mod validate;

use brief::BriefFormat;
use check::CheckFormat;
use clap::{Parser, Subcommand, ValueEnum};
use mandate::check::Whom;
use mandate::source::SourceFile;
use mandate::visible::{is_hidden, visible, visible_path};
use mandate::Diagnostic;
use std::ffi::OsString;
use std::io::Write;
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
    /// a list, proposals in the order given, and for each its
    /// representatives in the order of `--as`, or else in file order.
    Check {
        /// The `.mandate` file.
        #[arg(value_name = "RULES")]
        rules: PathBuf,
        /// Proposal JSON files; `-` reads one from standard input. A folder
        /// stands for every `*.json` file directly in it, sorted by file
        /// name (a folder with none is an error).
        #[arg(required = true, value_name = "PROPOSAL|DIR")]
        proposals: Vec<PathBuf>,
        /// Check for this representative, whatever the proposal names.
        /// Repeat it for several: `--as patel --as okafor`.
        #[arg(long = "as", value_name = "ID")]
        representatives: Vec<String>,
        /// Check for every representative, whatever the proposal names.
        #[arg(long, conflicts_with = "representatives")]
        all: bool,
        /// The day of the check (YYYY-MM-DD), used when a proposal has no
        /// `date`; default today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// `text` for people, `json` for other tools, `summary` for one
        /// line per proposal and representative (a whole agenda).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
        /// Exit with the most severe outcome: 0 agree, 3 refer, 4 redirect,
        /// 5 decline.
        #[arg(long)]
        exit_code: bool,
        /// Append each decision to this record file (made when missing),
        /// chained so that no line can be edited, removed or moved unseen.
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
    },
    /// Work with a decision record made by `check --record`.
    Record {
        #[command(subcommand)]
        command: RecordCommand,
    },
    /// Print a representative's brief: what they may agree to, bring back
    /// or refuse, and the fields a proposal must give.
    ///
    /// Without `--as`, one brief per representative, in file order.
    Brief {
        /// The `.mandate` file.
        #[arg(value_name = "RULES")]
        rules: PathBuf,
        /// The representative's id; repeat it for several.
        #[arg(long = "as", value_name = "ID")]
        representatives: Vec<String>,
        /// The day of the brief (YYYY-MM-DD): is the mandate in force then?
        /// Default today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// `text` to read or print, `markdown`, or `html` (one
        /// self-contained file with a print layout).
        #[arg(long, value_enum, default_value_t = BriefFormat::Text)]
        format: BriefFormat,
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
    /// Run each mandate's test cases (`NAME.tests.json` beside
    /// `NAME.mandate`) and print what differed.
    ///
    /// Exits 0 when every case passes, 1 on any failure, a malformed
    /// tests file or a mandate with errors.
    Test {
        /// `.mandate` files, or folders: every `.mandate` file below a
        /// folder, sorted.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Lay rule files out the one canonical way, keeping every comment.
    ///
    /// Rewrites each file that changes (atomically; a file that does not
    /// parse is left as it is). Exits 1 when a file could not be
    /// formatted, or with `--check` when one is not formatted.
    Fmt {
        /// `.mandate` files, or folders: every `.mandate` file below a
        /// folder, sorted.
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// Write nothing; name each file that is not formatted and exit 1
        /// if there is one.
        #[arg(long)]
        check: bool,
        /// Write nothing; show what formatting would change, as a unified
        /// diff.
        #[arg(long)]
        diff: bool,
    },
    /// Run the language server an editor starts for mandate files
    /// (Language Server Protocol over standard input and output): the
    /// errors and warnings of `validate` as you type.
    Lsp,
    /// Serve a page where representatives check proposals and read their
    /// briefs, and the JSON API other tools use.
    ///
    /// Prints the address to open. Serves this computer only unless
    /// `--addr` names another address, which then needs `--token`.
    Serve {
        /// `.mandate` files, or folders: every `.mandate` file below a
        /// folder.
        #[arg(required = true, value_name = "RULES|DIR")]
        paths: Vec<PathBuf>,
        /// The address to listen on; port 0 lets the system choose one.
        #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// The access code every request must carry (required for an
        /// address other computers can reach). Also read from the
        /// MANDATE_TOKEN environment variable.
        #[arg(
            long,
            value_name = "CODE",
            env = "MANDATE_TOKEN",
            hide_env_values = true
        )]
        token: Option<String>,
        /// Append every decision the page or the API gives to this record
        /// file, as `check --record` does.
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
    },
    /// Say what changed in meaning between two versions of a mandate.
    ///
    /// A rule that only moved or was reformatted is no change. Exits 0
    /// (with `--exit-code`, 1 when anything changed); a version with errors
    /// prints them and exits 1.
    Diff {
        /// The older `.mandate` file.
        #[arg(value_name = "OLD")]
        old: PathBuf,
        /// The newer `.mandate` file.
        #[arg(value_name = "NEW")]
        new: PathBuf,
        /// `text` for people, `json` for other tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when anything changed in meaning.
        #[arg(long)]
        exit_code: bool,
    },
    /// Prove where representatives would contradict each other: one who
    /// may agree where another must decline (or refer), with an example
    /// proposal for each; gaps in what the group can agree; rules that
    /// never matter.
    ///
    /// Exits 0 with findings listed (with `--exit-code`, 1 when one would
    /// agree where another must decline); a mandate with errors prints
    /// them and exits 1.
    Analyze {
        /// The `.mandate` file.
        #[arg(value_name = "RULES")]
        rules: PathBuf,
        /// Only pairs with this representative (and their gaps and dead
        /// rules); repeat it for several.
        #[arg(long = "as", value_name = "ID")]
        representatives: Vec<String>,
        /// The day of the check (YYYY-MM-DD) the examples are checked on;
        /// default today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// `text` for people, `json` for other tools.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Exit 1 when one representative would agree where another must
        /// decline.
        #[arg(long)]
        exit_code: bool,
    },
}

#[derive(Debug, Subcommand)]
enum RecordCommand {
    /// Check every line of a record and the chain between them; print the
    /// head (the last entry's hash) to publish.
    ///
    /// Exits 0 when the record is intact, 1 when a line was edited,
    /// removed, inserted, moved or cut short (the first such line is
    /// named), or the file cannot be read.
    Verify {
        /// The record file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// A head published earlier: the record must still contain it.
        #[arg(long, value_name = "HASH")]
        head: Option<String>,
        /// Check every recorded proposal again against the mandate whose
        /// sha256 its line names (repeat for several versions); a decision
        /// that mandate would not give, or a line naming none of them, is
        /// reported.
        #[arg(long = "mandate", value_name = "RULES")]
        mandates: Vec<PathBuf>,
    },
    /// What the group tells its members: who agreed what, when, at which
    /// forum, with which outcome, under which mandate.
    Show {
        /// The record file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Only this representative's decisions.
        #[arg(long, value_name = "ID")]
        representative: Option<String>,
        /// Only decisions for this day or later (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        since: Option<chrono::NaiveDate>,
        /// Only decisions for this day or earlier (YYYY-MM-DD).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        until: Option<chrono::NaiveDate>,
        /// `text`, `markdown`, `csv` for a spreadsheet, or `json`.
        #[arg(long, value_enum, default_value_t = record::ShowFormat::Text)]
        format: record::ShowFormat,
    },
}

/// Output format of `validate` and `diff`.
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
    wants_colour(is_terminal, std::env::var_os("NO_COLOR").as_deref())
}

/// Colour only on a terminal, and only when `NO_COLOR` is unset or empty
/// (as no-color.org asks).
fn wants_colour(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Runs the command line and returns the exit code.
pub fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Check {
            rules,
            proposals,
            representatives,
            all,
            date,
            format,
            exit_code,
            record,
        } => check::check(&check::CheckArgs {
            rules,
            proposals,
            whom: if all {
                Whom::All
            } else if representatives.is_empty() {
                Whom::AsProposed
            } else {
                Whom::Named(representatives)
            },
            today: date.unwrap_or_else(today),
            format,
            exit_code,
            record,
        }),
        Command::Record {
            command:
                RecordCommand::Verify {
                    file,
                    head,
                    mandates,
                },
        } => record::verify(&file, head.as_deref(), &mandates),
        Command::Record {
            command:
                RecordCommand::Show {
                    file,
                    representative,
                    since,
                    until,
                    format,
                },
        } => record::show(&file, representative.as_deref(), since, until, format),
        Command::Validate {
            files,
            format,
            date,
        } => validate::validate(&files, format, date.unwrap_or_else(today)),
        Command::Brief {
            rules,
            representatives,
            date,
            format,
        } => brief::brief(&rules, &representatives, date.unwrap_or_else(today), format),
        Command::Test { paths } => test::test(&paths),
        Command::Fmt { paths, check, diff } => fmt::fmt(&paths, check, diff),
        Command::Lsp => lsp::lsp(),
        Command::Serve {
            paths,
            addr,
            token,
            record,
        } => serve::serve(&paths, addr, token, record),
        Command::Diff {
            old,
            new,
            format,
            exit_code,
        } => diff::diff(&old, &new, format, exit_code, today()),
        Command::Analyze {
            rules,
            representatives,
            date,
            format,
            exit_code,
        } => analyze::analyze(
            &rules,
            &representatives,
            date.unwrap_or_else(today),
            format,
            exit_code,
        ),
    }
}

/// Loads a mandate for a command that reads it rather than checking
/// proposals: its errors (not its warnings) on stderr, and when it has
/// any, "fix them before {doing} it"; `None` then.
fn load_quietly(path: &Path, today: chrono::NaiveDate, doing: &str) -> Option<mandate::Mandate> {
    let load = mandate::Mandate::load(path, today);
    let errors: Vec<_> = load
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    print_diagnostics(
        &errors,
        &load.sources,
        colour(std::io::IsTerminal::is_terminal(&std::io::stderr())),
    );
    if load.mandate.is_none() {
        eprintln!(
            "error: {} has errors; fix them before {doing} (run `mandate validate {}`)",
            visible_path(path),
            visible_path(path)
        );
    }
    load.mandate
}

/// Prints `value` as pretty JSON on `out`; on failure says why and gives
/// the exit code.
fn print_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<(), u8> {
    match serde_json::to_string_pretty(value) {
        Ok(json) => {
            let _ = writeln!(out, "{json}");
            Ok(())
        }
        Err(error) => {
            eprintln!("error: cannot write JSON: {error}");
            Err(EXIT_FAILURE)
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The mandates the paths name: each file as given, and for each folder
/// every `.mandate` file below it, sorted; each file once. A folder with
/// none is an error, printed; the exit code is returned.
fn mandate_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, u8> {
    let mut mandates = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            if let Err(message) = find_mandates(path, &mut found) {
                eprintln!("{message}");
                return Err(EXIT_FAILURE);
            }
            if found.is_empty() {
                eprintln!(
                    "error: {}: the folder has no mandates (no `.mandate` files below it)\n  help: give a folder that holds `NAME.mandate` files, or the files themselves",
                    visible_path(path)
                );
                return Err(EXIT_FAILURE);
            }
            found.sort();
            mandates.extend(found);
        } else {
            mandates.push(path.clone());
        }
    }
    // A file named twice (or inside two folders given) is done once.
    let mut seen = std::collections::HashSet::new();
    mandates
        .retain(|path| seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone())));
    Ok(mandates)
}

/// Every `*.mandate` file below `folder` (hidden files and folders left
/// out). The error is the full message to print.
fn find_mandates(folder: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    let cannot = |error: std::io::Error| {
        format!(
            "error: {}: cannot list the folder: {}\n  help: check the folder's permissions, or name its mandates one by one",
            visible_path(folder),
            visible(&error.to_string())
        )
    };
    for entry in std::fs::read_dir(folder).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        // file_type does not follow links, so a link to a folder above
        // cannot make the walk go round for ever.
        let kind = entry.file_type().map_err(cannot)?;
        if kind.is_dir() {
            find_mandates(&path, found)?;
        } else if path.extension().is_some_and(|e| e == "mandate") {
            found.push(path);
        }
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::wants_colour;
    use std::ffi::OsStr;

    // The binary's tests (tests/cli.rs) write to pipes, where there is
    // never colour; the terminal half of the rule is tested here.
    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(wants_colour(true, None));
        assert!(wants_colour(true, Some(OsStr::new(""))));
        assert!(!wants_colour(true, Some(OsStr::new("1"))));
        assert!(!wants_colour(false, None));
        assert!(!wants_colour(false, Some(OsStr::new("1"))));
    }
}
