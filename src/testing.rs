//! A mandate's own test cases (`mandate test`): reading a `NAME.tests.json`
//! file, checking each case with [`Mandate::check`], and saying what
//! differed from what the case expects, as plain data. The English of a
//! difference is [`crate::wording::testing`]'s.
//!
//! A tests file is strict: an unknown key is refused, so a misspelt
//! `"outcom"` cannot make a case pass by saying nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::check::{Outcome, PrincipleOutcome};
use crate::compile::Mandate;
use crate::proposal::{parse_iso_date, Proposal, MAX_PROPOSAL_BYTES};
use crate::visible::{visible, visible_path};

/// The largest tests file read, in bytes: many cases, each a page of JSON
/// at most.
pub const MAX_TESTS_FILE_BYTES: usize = 4 * 1024 * 1024;

/// The tests file that belongs to a mandate: `NAME.tests.json` beside
/// `NAME.mandate`.
pub fn tests_file_for(mandate: &Path) -> PathBuf {
    let stem = mandate
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    mandate.with_file_name(format!("{stem}.tests.json"))
}

/// A tests file, read and checked: every case has its representative, its
/// day and its proposal.
#[derive(Debug, Clone)]
pub struct TestsFile {
    /// Where it was read from.
    pub path: PathBuf,
    /// The file-wide day the cases are checked on.
    pub date: NaiveDate,
    /// The cases, in file order.
    pub cases: Vec<Case>,
    /// With `"no_contradictions": true`, the line of that key: the mandate
    /// must have no first-tier contradiction (`mandate analyze`).
    pub no_contradictions: Option<usize>,
}

/// One case: a proposal checked for one representative on one day, and
/// what the answer must be.
#[derive(Debug, Clone)]
pub struct Case {
    /// The case's name.
    pub name: String,
    /// The line of the tests file the case starts on.
    pub line: usize,
    /// Whom it is checked for.
    pub representative: String,
    /// The day of the check (the case's own, or the file's).
    pub date: NaiveDate,
    /// The proposal.
    pub proposal: Proposal,
    /// What the decision must say.
    pub expect: Expect,
}

/// What a case expects. Only what is given is compared.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The overall outcome.
    pub outcome: Outcome,
    /// The organisations redirected to, in any order.
    #[serde(default)]
    pub redirect_to: Option<Vec<String>>,
    /// The result of each principle named (others are not compared).
    #[serde(default)]
    pub principles: BTreeMap<String, PrincipleOutcome>,
    /// The priorities touched, in file order.
    #[serde(default)]
    pub priorities: Option<Vec<String>>,
    /// Texts that some reason must contain.
    #[serde(default)]
    pub reasons_contain: Vec<String>,
}

/// A tests file that cannot be used: which file, which line, what is wrong
/// and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct TestsFileError {
    /// The file, as given (control characters made visible).
    pub file: String,
    /// The line (1 when the whole file is meant).
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub help: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile<'a> {
    // Borrowed when it can be, so an error can find its line.
    #[serde(borrow)]
    date: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    cases: Vec<&'a RawValue>,
    /// Whether `mandate analyze` must find no contradiction.
    #[serde(default)]
    no_contradictions: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase<'a> {
    name: String,
    #[serde(default)]
    representative: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(borrow)]
    proposal: &'a RawValue,
    expect: Expect,
}

/// Reads and checks the tests file at `path`; proposal files a case names
/// are read relative to its folder.
pub fn load(path: &Path) -> Result<TestsFile, TestsFileError> {
    let fail = |line: usize, message: String, help: &str| TestsFileError {
        file: visible_path(path),
        line,
        message,
        help: help.to_string(),
    };
    let bytes =
        match crate::source::read_file(path, MAX_TESTS_FILE_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err(fail(
                1,
                format!("the tests file is larger than {MAX_TESTS_FILE_BYTES} bytes"),
                "split the cases between mandates, or move large proposals into their own files",
            )),
            Err(error) => {
                return Err(fail(
                    1,
                    format!(
                        "cannot read the tests file: {}",
                        visible(&error.to_string())
                    ),
                    "give the path of a `NAME.tests.json` file",
                ))
            }
        };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(fail(
            1,
            "the tests file is not UTF-8 text".into(),
            "save it as UTF-8",
        ));
    };
    parse(&text, path)
}

/// Checks the text of a tests file. `path` names it in errors, and the
/// folder of `path` is where proposal files a case names are read from.
pub fn parse(text: &str, path: &Path) -> Result<TestsFile, TestsFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let file = visible_path(path);
    let fail = |line: usize, message: String, help: String| TestsFileError {
        file: file.clone(),
        line,
        message,
        help,
    };
    let raw: RawFile = serde_json::from_str(text).map_err(|error| {
        fail(
            error.line().max(1),
            json_message(&error),
            FILE_HELP.to_string(),
        )
    })?;
    let Some(date) = parse_iso_date(&raw.date) else {
        return Err(fail(
            line_of(text, &raw.date).unwrap_or(1),
            format!("`{}` is not a date", visible(&raw.date)),
            "write the day the cases are checked on as \"date\": \"YYYY-MM-DD\", for example \"2026-12-03\"".into(),
        ));
    };
    let folder = path.parent().unwrap_or(Path::new(""));
    let mut cases = Vec::new();
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for raw_case in raw.cases {
        let line = line_of(text, raw_case.get()).unwrap_or(1);
        let case: RawCase = serde_json::from_str(raw_case.get()).map_err(|error| {
            fail(
                line + error.line().saturating_sub(1),
                json_message(&error),
                CASE_HELP.to_string(),
            )
        })?;
        if case.name.trim().is_empty() {
            return Err(fail(
                line,
                "a case has an empty name".into(),
                "name each case after what it shows, for example \"name\": \"small pilot agreed\""
                    .into(),
            ));
        }
        if let Some(first) = names.insert(case.name.clone(), line) {
            return Err(fail(
                line,
                format!(
                    "a second case is named \"{}\" (the first is on line {first})",
                    visible(&case.name)
                ),
                "give each case its own name, so a failure says which one failed".into(),
            ));
        }
        let case_date = match &case.date {
            None => date,
            Some(given) => parse_iso_date(given).ok_or_else(|| {
                fail(
                    line,
                    format!(
                        "case \"{}\": `{}` is not a date",
                        visible(&case.name),
                        visible(given)
                    ),
                    "write the case's day as \"date\": \"YYYY-MM-DD\", or leave it out to use the file's".into(),
                )
            })?,
        };
        let proposal = read_proposal(text, &case, folder).map_err(|(at, message, help)| {
            fail(
                at.unwrap_or(line),
                format!("case \"{}\": {message}", visible(&case.name)),
                help,
            )
        })?;
        let Some(representative) = case
            .representative
            .clone()
            .or_else(|| proposal.representative.clone())
        else {
            return Err(fail(
                line,
                format!("case \"{}\" is for no representative", visible(&case.name)),
                "add \"representative\": \"ID\" to the case, or to its proposal".into(),
            ));
        };
        cases.push(Case {
            name: case.name,
            line,
            representative,
            date: case_date,
            proposal,
            expect: case.expect,
        });
    }
    Ok(TestsFile {
        path: path.to_path_buf(),
        date,
        cases,
        no_contradictions: raw.no_contradictions.then(|| {
            text.find("\"no_contradictions\"")
                .and_then(|at| text.get(..at))
                .map_or(1, |before| before.matches('\n').count() + 1)
        }),
    })
}

const FILE_HELP: &str = "write the tests file as { \"date\": \"YYYY-MM-DD\", \"cases\": [ ... ] }, with \"no_contradictions\": true if you like; no other key is allowed";
const CASE_HELP: &str = "write each case as { \"name\": \"...\", \"representative\": \"ID\", \"proposal\": { ... } or \"FILE.json\", \"expect\": { \"outcome\": \"agree\" } }; the case may also give \"date\", and \"expect\" may give \"redirect_to\", \"principles\", \"priorities\" and \"reasons_contain\"; no other key is allowed";

/// serde's message without its " at line L column C", which the error
/// gives as its line instead.
fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let message = match text.rfind(" at line ") {
        Some(at) => text.get(..at).unwrap_or(&text),
        None => &text,
    };
    visible(message).into_owned()
}

/// The line of `text` a slice of it starts on: the slice must be borrowed
/// from `text` (as a `RawValue` or a borrowed string is).
fn line_of(text: &str, slice: &str) -> Option<usize> {
    let start = (slice.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let before = text.get(..start)?;
    Some(before.matches('\n').count() + 1)
}

/// The case's proposal: the object given inline, or the file it names.
/// The error is (line of the tests file, when known; message; help).
fn read_proposal(
    text: &str,
    case: &RawCase,
    folder: &Path,
) -> Result<Proposal, (Option<usize>, String, String)> {
    let raw = case.proposal.get();
    if raw.starts_with('{') {
        let start = line_of(text, raw);
        return Proposal::from_json(raw, &case.name).map_err(|error| {
            let at = match (start, error.line()) {
                (Some(start), line) if line > 0 => Some(start + line - 1),
                (start, _) => start,
            };
            (
                at,
                format!("its proposal: {}", visible(&error.to_string())),
                error.help(),
            )
        });
    }
    let Ok(name) = serde_json::from_str::<String>(raw) else {
        return Err((
            None,
            "its proposal is neither an object nor the name of a file".into(),
            "write the proposal inline as { \"title\": \"...\", \"topics\": [ ... ] }, or name its file: \"proposal\": \"proposals/NAME.json\"".into(),
        ));
    };
    let path = folder.join(&name);
    let shown = visible_path(&path);
    let bytes =
        match crate::source::read_file(&path, MAX_PROPOSAL_BYTES) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Err((
                None,
                format!("its proposal {shown} is larger than {MAX_PROPOSAL_BYTES} bytes"),
                "a proposal should be a page of JSON at most; check that this is the right file"
                    .into(),
            )),
            Err(error) => {
                return Err((
                    None,
                    format!(
                        "cannot read its proposal {shown}: {}",
                        visible(&error.to_string())
                    ),
                    "name the proposal's file relative to the tests file's folder".into(),
                ))
            }
        };
    let Ok(json) = String::from_utf8(bytes) else {
        return Err((
            None,
            format!("its proposal {shown} is not UTF-8 text"),
            "save it as UTF-8".into(),
        ));
    };
    let id = Path::new(&name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| case.name.clone());
    Proposal::from_json(&json, &id).map_err(|error| {
        (
            None,
            format!(
                "its proposal {shown}, line {}: {}",
                error.line().max(1),
                visible(&error.to_string())
            ),
            error.help(),
        )
    })
}

/// One way a decision differed from what its case expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Difference {
    /// The overall outcome.
    Outcome {
        /// What the case expects.
        expected: Outcome,
        /// What the check gave.
        got: Outcome,
    },
    /// The organisations redirected to (both sorted).
    RedirectTo {
        /// What the case expects.
        expected: Vec<String>,
        /// What the check gave.
        got: Vec<String>,
    },
    /// One principle's result; `got` is `None` when the mandate has no
    /// principle of that id.
    Principle {
        /// The principle's id.
        id: String,
        /// What the case expects.
        expected: PrincipleOutcome,
        /// What the check gave.
        got: Option<PrincipleOutcome>,
    },
    /// The priorities touched.
    Priorities {
        /// What the case expects.
        expected: Vec<String>,
        /// What the check gave.
        got: Vec<String>,
    },
    /// No reason contains this text.
    ReasonMissing {
        /// The text looked for.
        text: String,
    },
    /// `"no_contradictions": true`, and `mandate analyze` found one
    /// representative who may agree where another must decline.
    Contradiction {
        /// Who may agree.
        agrees: String,
        /// Who must decline.
        other: String,
        /// The topics.
        topics: Vec<String>,
        /// A proposal that shows it.
        example: serde_json::Value,
    },
    /// The check could not be made (an unknown representative, say).
    CheckFailed {
        /// Why, in the check's words.
        message: String,
    },
}

/// What became of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseResult {
    /// The case's name.
    pub name: String,
    /// The line of the tests file it starts on.
    pub line: usize,
    /// Whom it was checked for.
    pub representative: String,
    /// Whether the decision was as expected.
    pub passed: bool,
    /// What differed, in the order of `expect`'s keys.
    pub differences: Vec<Difference>,
    /// The decision's outcome (none when the check could not be made).
    pub outcome: Option<Outcome>,
    /// The decision's reasons, for a person to see why.
    pub reasons: Vec<String>,
}

/// Checks every case of `file` against `mandate`, in file order; with
/// `"no_contradictions": true`, then one more result: the analysis.
pub fn run(mandate: &Mandate, file: &TestsFile) -> Vec<CaseResult> {
    let mut results: Vec<CaseResult> = file
        .cases
        .iter()
        .map(|case| run_case(mandate, case))
        .collect();
    if let Some(line) = file.no_contradictions {
        results.push(no_contradictions(mandate, file.date, line));
    }
    results
}

/// The `"no_contradictions"` check: `mandate analyze` on the file's day.
fn no_contradictions(mandate: &Mandate, date: NaiveDate, line: usize) -> CaseResult {
    let options = crate::analysis::Options {
        representatives: Vec::new(),
        today: date,
    };
    let differences = match crate::analysis::analyze(mandate, &options) {
        Ok(analysis) => analysis
            .contradictions
            .into_iter()
            .map(|f| Difference::Contradiction {
                agrees: f.agrees.representative,
                other: f.other.representative,
                topics: f.topics,
                example: f.witness.proposal,
            })
            .collect(),
        Err(error) => vec![Difference::CheckFailed {
            message: error.to_string(),
        }],
    };
    CaseResult {
        name: "no contradictions between representatives".into(),
        line,
        representative: String::new(),
        passed: differences.is_empty(),
        differences,
        outcome: None,
        reasons: Vec::new(),
    }
}

/// Checks one case.
pub fn run_case(mandate: &Mandate, case: &Case) -> CaseResult {
    let mut result = CaseResult {
        name: case.name.clone(),
        line: case.line,
        representative: case.representative.clone(),
        passed: false,
        differences: Vec::new(),
        outcome: None,
        reasons: Vec::new(),
    };
    let decision = match mandate.check(&case.proposal, &case.representative, case.date) {
        Ok(decision) => decision,
        Err(error) => {
            result.differences.push(Difference::CheckFailed {
                message: error.to_string(),
            });
            return result;
        }
    };
    let expect = &case.expect;
    let mut differences = Vec::new();
    if decision.outcome != expect.outcome {
        differences.push(Difference::Outcome {
            expected: expect.outcome,
            got: decision.outcome,
        });
    }
    if let Some(expected) = &expect.redirect_to {
        let mut expected = expected.clone();
        expected.sort();
        let mut got = decision.redirect_to.clone();
        got.sort();
        if expected != got {
            differences.push(Difference::RedirectTo { expected, got });
        }
    }
    for (id, expected) in &expect.principles {
        let got = decision
            .principles
            .iter()
            .find(|p| &p.id == id)
            .map(|p| p.result);
        if got != Some(*expected) {
            differences.push(Difference::Principle {
                id: id.clone(),
                expected: *expected,
                got,
            });
        }
    }
    if let Some(expected) = &expect.priorities {
        if expected != &decision.priorities {
            differences.push(Difference::Priorities {
                expected: expected.clone(),
                got: decision.priorities.clone(),
            });
        }
    }
    for text in &expect.reasons_contain {
        if !decision.reasons.iter().any(|r| r.contains(text.as_str())) {
            differences.push(Difference::ReasonMissing { text: text.clone() });
        }
    }
    result.passed = differences.is_empty();
    result.differences = differences;
    result.outcome = Some(decision.outcome);
    result.reasons = decision.reasons.into_vec();
    result
}
