//! `mandate check`: reads the rule file and the proposals (files, folders
//! of them, or standard input), asks the library for the decisions, and
//! prints them as text, JSON or the agenda summary. Which proposals and
//! representatives, and the shape of the JSON, are the library's
//! ([`Whom`], [`mandate::check::Checked`]); this only gathers the input.

use super::{colour, print_diagnostics, EXIT_FAILURE, EXIT_OK, EXIT_USAGE};
use clap::ValueEnum;
use mandate::check::Whom;
use mandate::visible::{visible, visible_path};
use mandate::{Mandate, Proposal};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What `check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// The report a representative reads the night before the meeting.
    Text,
    /// The decisions as JSON, for other tools.
    Json,
    /// One line per proposal and representative, then the counts per
    /// outcome: a meeting's whole agenda at a glance.
    Summary,
}

/// What `check` was asked to do, parsed.
pub(super) struct CheckArgs {
    pub rules: PathBuf,
    pub proposals: Vec<PathBuf>,
    pub whom: Whom,
    pub today: chrono::NaiveDate,
    pub format: CheckFormat,
    pub exit_code: bool,
    pub record: Option<PathBuf>,
}

pub(super) fn check(args: &CheckArgs) -> u8 {
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
    for given in &args.proposals {
        let paths = match expand(given) {
            Ok(paths) => paths,
            Err(message) => {
                eprintln!("{message}");
                return EXIT_FAILURE;
            }
        };
        for path in paths {
            match read_proposal(&path) {
                Ok(proposal) => proposals.push(proposal),
                Err(message) => {
                    eprintln!("{message}");
                    return EXIT_FAILURE;
                }
            }
        }
    }

    let checked = match mandate.check_each(&proposals, &args.whom, args.today) {
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

    // Recorded before anything is printed: a decision that could not be
    // recorded is not one to rely on.
    if let Some(record) = &args.record {
        let at = mandate::record::now();
        let mut drafts = Vec::with_capacity(decisions.len());
        for (decision, index) in decisions.iter().zip(&checked.proposal_of) {
            let Some(proposal) = proposals.get(*index) else {
                continue;
            };
            match mandate::record::Draft::of(proposal, decision, at.clone()) {
                Ok(draft) => drafts.push(draft),
                Err(error) => {
                    eprintln!("error: cannot record the decision: {error}");
                    return EXIT_FAILURE;
                }
            }
        }
        if let Err(error) = mandate::record::append(record, &drafts) {
            eprintln!(
                "error: {}
  help: {}",
                visible(&error.to_string()),
                visible(&error.help())
            );
            return EXIT_FAILURE;
        }
    }

    let mut stdout = std::io::stdout().lock();
    match args.format {
        CheckFormat::Json => match checked.to_json() {
            Ok(json) => {
                let _ = writeln!(stdout, "{json}");
            }
            Err(error) => {
                eprintln!("error: cannot write JSON: {error}");
                return EXIT_FAILURE;
            }
        },
        CheckFormat::Summary => {
            let _ = write!(stdout, "{}", mandate::report::summary(decisions, &mandate));
        }
        CheckFormat::Text => {
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

/// The proposal files a PROPOSAL argument stands for: itself, or for a
/// folder every `*.json` file directly in it (not hidden ones, not
/// sub-folders), sorted by
/// file name so the order does not depend on the file system. The error is
/// the full message to print.
fn expand(given: &Path) -> Result<Vec<PathBuf>, String> {
    if is_stdin(given) || !given.is_dir() {
        return Ok(vec![given.to_path_buf()]);
    }
    let name = visible_path(given);
    let entries = std::fs::read_dir(given).map_err(|error| {
        format!(
            "error: {name}: cannot list the folder: {}\n  help: check the folder's permissions, or name its proposals one by one",
            visible(&error.to_string())
        )
    })?;
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| {
            format!(
                "error: {name}: cannot list the folder: {}\n  help: check the folder's permissions, or name its proposals one by one",
                visible(&error.to_string())
            )
        })?;
        let file_name = entry.file_name();
        let path = entry.path();
        let hidden = file_name.to_string_lossy().starts_with('.');
        if !hidden && !path.is_dir() && path.extension().is_some_and(|e| e == "json") {
            found.push((file_name, path));
        }
    }
    if found.is_empty() {
        return Err(format!(
            "error: {name}: the folder has no proposals (no `.json` files)\n  help: put the proposals in it as `NAME.json` files, or give the files themselves"
        ));
    }
    found.sort();
    Ok(found.into_iter().map(|(_, path)| path).collect())
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
                "give the path of a proposal's JSON file, a folder of them, or `-` to read one from standard input"
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
        let line = match (error.line(), error.column()) {
            (0, _) => String::new(),
            (n, 0) => format!(":{n}"),
            (n, c) => format!(":{n}:{c}"),
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
