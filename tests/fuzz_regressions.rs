//! Inputs that once broke a fuzz target (see FUZZING.md), replayed through
//! the same path as that target, each on its own thread with a deadline so
//! that a hang fails the test instead of stalling the suite.
//!
//! `tests/data/fuzz/<target>/<case>`: one file per case, in a folder named
//! after the target that found it:
//! - `parse/`: a rule file (any bytes): parsing and loading never panic;
//! - `format/`: a rule file (any bytes): formatting never panics, and a
//!   file that parses formats to text that means the same and is its own
//!   layout;
//! - `validate/`: a rule file, then its scripts after NUL characters, as the
//!   `validate` target splits them: a mandate exactly when there is no
//!   error, every diagnostic inside its file;
//! - `check_rules/`: a proposal (JSON) checked against every example
//!   mandate: the decision invariants hold and the JSON is the same twice;
//! - `principles/`: Rhai code as a blocking principle (a script, or inline
//!   when the file starts with byte 0x01) in a mandate that grants
//!   everything: an `error` never agrees, and the result is the same twice;
//! - `structured/<case>.mandate` with `<case>.json`: a generated mandate and
//!   proposal: the decision invariants hold.

use mandate::check::{Outcome, PrincipleOutcome};
use mandate::source::{Script, Scripts, SourceFile};
use mandate::syntax::ast::{Declaration, PrincipleBody};
use mandate::{Decision, Mandate, Proposal};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long one case may take (a debug build, on a busy machine).
const DEADLINE: Duration = Duration::from_secs(10);

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

fn folder(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(target)
}

/// The cases of one target, sorted (none when the folder is absent).
fn cases(target: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder(target))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    paths
}

/// Runs `check` on the bytes of every case of `target`, each on a thread
/// with [`DEADLINE`]; fails naming the case that panicked or ran too long.
fn replay(target: &str, check: fn(&Path, Vec<u8>)) -> usize {
    let paths = cases(target);
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (send, receive) = std::sync::mpsc::channel();
        let case = path.clone();
        let spawned = std::thread::Builder::new()
            .name(path.display().to_string())
            .spawn(move || {
                let outcome = std::panic::catch_unwind(|| check(&case, bytes));
                let _ = send.send(outcome.is_ok());
            });
        if let Err(error) = spawned {
            panic!("cannot start a thread: {error}");
        }
        match receive.recv_timeout(DEADLINE) {
            Ok(true) => {}
            Ok(false) => panic!("{}: the check failed (see above)", path.display()),
            Err(_) => panic!("{}: still running after {DEADLINE:?}", path.display()),
        }
    }
    paths.len()
}

/// The 1-based line and column (in characters) of byte `offset`.
fn position(text: &str, offset: usize) -> Option<(u32, u32)> {
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..)?.chars().count() + 1;
    Some((u32::try_from(line).ok()?, u32::try_from(column).ok()?))
}

fn load(name: &str, text: &str, scripts: Scripts) -> mandate::Loaded {
    Mandate::from_source(
        SourceFile {
            name: name.into(),
            text: text.into(),
        },
        scripts,
        day(),
    )
}

/// The invariants of the README's "How a check decides" that a decision shows by itself.
fn assert_decision(decision: &Decision) {
    assert!(decision
        .topics
        .iter()
        .all(|t| t.outcome <= decision.outcome));
    let redirected = decision
        .topics
        .iter()
        .any(|t| t.outcome == Outcome::Redirect);
    assert_eq!(redirected, !decision.redirect_to.is_empty());
    assert!(decision.redirect_to.windows(2).all(|w| w[0] < w[1]));
    if decision.outcome == Outcome::Agree {
        assert!(decision
            .principles
            .iter()
            .all(|p| p.result != PrincipleOutcome::Error));
        for rule in decision
            .topics
            .iter()
            .flat_map(|t| t.rules.iter().flatten())
        {
            assert!(rule.effect == mandate::compile::Effect::MayAgree || rule.condition == "false");
        }
    }
    let forbidden = decision
        .topics
        .iter()
        .flat_map(|t| t.rules.iter().flatten())
        .any(|r| r.effect == mandate::compile::Effect::MayNotAgree && r.condition == "true");
    if forbidden {
        assert_eq!(decision.outcome, Outcome::Decline);
    }
}

/// Checks for everyone, twice, and compares the JSON byte for byte.
fn check_everyone(mandate: &Mandate, proposal: &Proposal) {
    let check = || match mandate.check_all(proposal, day()) {
        Ok(decisions) => decisions,
        Err(error) => panic!("the check was refused: {error}"),
    };
    let first = check();
    let second = check();
    first.iter().for_each(assert_decision);
    let json = |d: &[Decision]| mandate::report::json(d, false).unwrap_or_default();
    assert_eq!(
        json(&first),
        json(&second),
        "the same input gave different JSON"
    );
}

#[test]
fn parse_cases() {
    let seen = replay("parse", |_, bytes| {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(error) = mandate::syntax::parse(&text) {
            let span = error.span();
            assert_eq!(position(&text, span.start), Some((span.line, span.column)));
        }
        let _ = load("fuzz.mandate", &text, Scripts::new());
    });
    assert!(seen > 0, "no cases in {}", folder("parse").display());
}

/// The `format` target's promises: a file that parses is formatted, the
/// result parses, means the same and is its own layout.
#[test]
fn format_cases() {
    let seen = replay("format", |_, bytes| {
        let text = String::from_utf8_lossy(&bytes);
        let Ok(before) = mandate::syntax::parse(&text) else {
            assert!(mandate::format::format(&text).is_err());
            return;
        };
        let out = mandate::format::format(&text).unwrap_or_else(|e| panic!("{e}"));
        let after = mandate::syntax::parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert!(before.same_meaning(&after));
        assert_eq!(mandate::format::format(&out).ok(), Some(out.clone()));
    });
    assert!(seen > 0, "no cases in {}", folder("format").display());
}

#[test]
fn validate_cases() {
    replay("validate", |_, bytes| {
        let input = String::from_utf8_lossy(&bytes);
        let mut pieces = input.split('\u{0}');
        let text = pieces.next().unwrap_or_default();
        let mut scripts = Scripts::new();
        if let Ok(file) = mandate::syntax::parse(text) {
            for declaration in &file.declarations {
                if let Declaration::Principle(p) = declaration {
                    if let PrincipleBody::Script { path } = &p.body {
                        let script = match pieces.next() {
                            Some(body) => Script::Loaded(SourceFile {
                                name: format!("principles/{}", path.value),
                                text: body.into(),
                            }),
                            None => Script::Missing,
                        };
                        scripts.entry(path.value.clone()).or_insert(script);
                    }
                }
            }
        }
        let loaded = load("fuzz.mandate", text, scripts);
        assert_eq!(loaded.mandate.is_some(), !loaded.has_errors());
        for d in loaded
            .diagnostics
            .iter()
            .filter(|d| d.file == "fuzz.mandate" && d.line > 0)
        {
            assert_eq!(position(text, d.start), Some((d.line, d.column)), "{d:#?}");
            assert_eq!(
                position(text, d.end),
                Some((d.end_line, d.end_column)),
                "{d:#?}"
            );
        }
    });
}

#[test]
fn check_rules_cases() {
    replay("check_rules", |_, bytes| {
        let Ok(text) = String::from_utf8(bytes) else {
            return;
        };
        let Ok(proposal) = Proposal::from_json(&text, "fuzz") else {
            return;
        };
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = vec![root.join("tests/data/proposals/clauses/clauses.mandate")];
        for folder in std::fs::read_dir(root.join("rules"))
            .into_iter()
            .flatten()
            .flatten()
        {
            for file in std::fs::read_dir(folder.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if file.path().extension().is_some_and(|e| e == "mandate") {
                    paths.push(file.path());
                }
            }
        }
        for path in paths {
            let Some(mandate) = Mandate::load(&path, day()).mandate else {
                panic!("{} has errors", path.display());
            };
            check_everyone(&mandate, &proposal);
        }
    });
}

#[test]
fn principles_cases() {
    replay("principles", |_, bytes| {
        let (inline, code) = match bytes.split_first() {
            Some((1, rest)) => (true, String::from_utf8_lossy(rest).into_owned()),
            _ => (false, String::from_utf8_lossy(&bytes).into_owned()),
        };
        let head = "group \"G\" { place \"P\" }\nrepresentative r \"R\" {\n  may agree *\n}\n";
        let mut scripts = Scripts::new();
        let text = if inline {
            format!("{head}principle fuzzed \"F\" blocking {{{code}}}\n")
        } else {
            scripts.insert(
                "fuzzed.rhai".into(),
                Script::Loaded(SourceFile {
                    name: "principles/fuzzed.rhai".into(),
                    text: code,
                }),
            );
            format!("{head}principle fuzzed \"F\" blocking script \"fuzzed.rhai\"\n")
        };
        let Some(mandate) = load("fuzz.mandate", &text, scripts).mandate else {
            return;
        };
        let proposal = Proposal::from_json(
            r#"{"title": "T", "topics": ["a.b"], "cost": 30000, "changes": ["x", "y"], "notes": "text"}"#,
            "fuzz",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let first = mandate
            .check(&proposal, "r", day())
            .unwrap_or_else(|e| panic!("{e}"));
        for result in &first.principles {
            if result.result != PrincipleOutcome::Upheld {
                assert_ne!(first.outcome, Outcome::Agree, "{result:?}");
            }
        }
        let second = mandate
            .check(&proposal, "r", day())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(first, second, "the same principle gave two results");
    });
}

#[test]
fn structured_cases() {
    replay("structured", |path, bytes| {
        if path.extension().is_none_or(|e| e != "mandate") {
            return;
        }
        let text = String::from_utf8_lossy(&bytes);
        let Some(mandate) = load("structured.mandate", &text, Scripts::new()).mandate else {
            panic!("{}: a generated mandate has errors", path.display());
        };
        let json = std::fs::read_to_string(path.with_extension("json"))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let proposal = Proposal::from_json(&json, "structured").unwrap_or_else(|e| panic!("{e}"));
        check_everyone(&mandate, &proposal);
    });
}
