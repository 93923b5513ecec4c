//! What `validate` says about broken rule files.
//!
//! Every `tests/data/invalid/*.mandate` shows one mistake (its first line
//! says which). Each is loaded as the CLI would load it, every diagnostic is
//! rendered as the CLI draws it (without colour), and the text is pinned in
//! one snapshot per file: `tests/snapshots/validate__invalid_files@NAME.snap`.
//! When a message changes on purpose, review the new snapshot (`cargo insta
//! review`) and check that the caret still points at the mistake and that
//! the help still says what to write instead.

use chrono::NaiveDate;
use mandate::{Diagnostic, Loaded, Mandate, Outcome, Proposal};
use std::path::{Path, PathBuf};

/// The day the tests are run "on", so that expiry warnings are stable.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// `path` relative to the crate root, so that file names in diagnostics
/// (and so in snapshots) do not depend on where the crate is checked out.
/// Cargo runs integration tests in the crate root; this makes sure of it.
fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("cannot enter the crate root");
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The text of the file a diagnostic is about, if it was read.
fn source_of<'a>(loaded: &'a Loaded, diagnostic: &Diagnostic) -> Option<&'a str> {
    loaded
        .sources
        .iter()
        .find(|s| s.name == diagnostic.file)
        .map(|s| s.text.as_str())
}

/// Every diagnostic drawn as the CLI draws it, one after another.
fn render_all(loaded: &Loaded) -> String {
    loaded
        .diagnostics
        .iter()
        .map(|d| d.render(source_of(loaded, d), false))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn invalid_files() {
    insta::glob!("data/invalid/*.mandate", |path| {
        let path = relative(path);
        let loaded = Mandate::load(&path, today());
        let name = path.display().to_string();
        assert!(
            !loaded.diagnostics.is_empty(),
            "{name}: expected at least one diagnostic, got none"
        );
        for d in &loaded.diagnostics {
            assert!(d.line > 0, "{name}: diagnostic without a line: {d}");
            assert!(
                source_of(&loaded, d).is_some(),
                "{name}: diagnostic about a file whose text is not in `sources`: {d}"
            );
        }
        let text = render_all(&loaded);
        assert!(
            !text.contains(env!("CARGO_MANIFEST_DIR")),
            "{name}: the rendered text names the absolute checkout path"
        );
        insta::assert_snapshot!(text);
    });
}

/// The shipped example mandates are clean: no errors and no warnings.
#[test]
fn shipped_rules_are_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = 0;
    for folder in std::fs::read_dir(root.join("rules")).expect("no rules/ folder") {
        let folder = folder.unwrap().path();
        if !folder.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&folder).unwrap() {
            let file = file.unwrap().path();
            if file.extension().and_then(|e| e.to_str()) != Some("mandate") {
                continue;
            }
            found += 1;
            let path = relative(&file);
            let loaded = Mandate::load(&path, today());
            assert!(
                loaded.diagnostics.is_empty(),
                "{} should have no errors or warnings, but has:\n{}",
                path.display(),
                render_all(&loaded)
            );
            assert!(
                loaded.mandate.is_some(),
                "{} did not compile",
                path.display()
            );
        }
    }
    assert!(
        found >= 2,
        "expected the shipped rule files under rules/*/, found {found}"
    );
}

/// The JSON shape of diagnostics (what `validate --format json` prints), for
/// a syntax error, a validation error and a warning.
#[test]
fn diagnostics_json() {
    for name in [
        "syntax_may_agre",
        "undeclared_topic",
        "warn_forum_not_listed",
        "rhai_syntax_script",
    ] {
        let path = PathBuf::from(format!("tests/data/invalid/{name}.mandate"));
        let path = relative(&Path::new(env!("CARGO_MANIFEST_DIR")).join(path));
        let loaded = Mandate::load(&path, today());
        let json = serde_json::to_string_pretty(&loaded.diagnostics).unwrap();
        insta::assert_snapshot!(format!("json_{name}"), json);
    }
}

/// A pathological file (thousands of repeated `owns` patterns in two
/// organisations) gives one warning per overlapping topic, not one per pair
/// of repeats, and the number of diagnostics is capped.
#[test]
fn repeated_patterns_do_not_flood() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let many = vec!["t"; 3000].join(", ");
    let distinct: Vec<String> = (0..2000).map(|i| format!("u.x{i}")).collect();
    let text = format!(
        "group \"g\" {{ }}\norganisation a \"A\" {{ owns {many}, u }}\norganisation b \"B\" {{ owns {many}, {} }}\nrepresentative r \"R\" {{ refer * }}\n",
        distinct.join(", ")
    );
    let loaded = mandate::Mandate::from_source(
        mandate::source::SourceFile {
            name: "flood.mandate".into(),
            text,
        },
        mandate::source::Scripts::new(),
        day,
    );
    let owned_twice = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "owned-twice")
        .count();
    assert!(owned_twice <= mandate::limits::MAX_DIAGNOSTICS);
    assert!(
        owned_twice > 1,
        "expected warnings for `t` and the u.x topics"
    );
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.code == "too-many-problems"));
}

/// A generated mandate: ten representatives with 1,000 rules each; 1,000
/// of the rules grant topics an organisation owns (each is warned about:
/// those proposals are redirected), then `errors` rules with a number too
/// large to compare (each an error).
fn generated(errors: usize) -> Loaded {
    let mut text = String::from(
        "group \"Generated\" { }\norganisation trust \"The Trust\" { owns estates }\n",
    );
    for rep in 0..10 {
        text.push_str(&format!("representative r{rep} \"Rep {rep}\" {{\n"));
        for rule in 0..1000 {
            if rule % 10 == 0 {
                text.push_str(&format!("  may agree estates.e{rep}_{rule}\n"));
            } else {
                text.push_str(&format!("  may agree services.s{rep}_{rule}\n"));
            }
        }
        text.push_str("}\n");
    }
    if errors > 0 {
        text.push_str("representative late \"Late\" {\n");
        for _ in 0..errors {
            text.push_str("  may agree services.x when cost > 99999999999999999999\n");
        }
        text.push_str("}\n");
    }
    Mandate::from_source(
        mandate::source::SourceFile {
            name: "generated.mandate".into(),
            text,
        },
        mandate::source::Scripts::new(),
        today(),
    )
}

/// Warnings never stop a mandate being used: 1,000 of them, twice the cap,
/// leave a mandate that checks normally, and the cap says how many warnings
/// it left out, as a warning.
#[test]
fn many_warnings_do_not_block() {
    let loaded = generated(0);
    assert!(
        !loaded.has_errors(),
        "warnings only, yet an error: {:?}",
        loaded.diagnostics.iter().find(|d| d.is_error())
    );
    let warnings = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "owned-rule")
        .count();
    assert_eq!(warnings, mandate::limits::MAX_DIAGNOSTICS);
    let summary = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "too-many-problems")
        .expect("no summary of what the cap left out");
    assert_eq!(summary.level, mandate::Level::Warning);
    assert_eq!(
        summary.message,
        "the first 500 problems are shown; not shown: 500 warnings"
    );
    let mandate = loaded.mandate.expect("the mandate was not built");
    let day = today();
    let proposal = |topic: &str| {
        Proposal::from_json(&format!(r#"{{"title": "T", "topics": ["{topic}"]}}"#), "p")
            .expect("proposal")
    };
    let agreed = mandate
        .check(&proposal("services.s3_7"), "r3", day)
        .expect("check");
    assert_eq!(agreed.outcome, Outcome::Agree);
    let redirected = mandate
        .check(&proposal("estates.e3_10"), "r3", day)
        .expect("check");
    assert_eq!(redirected.outcome, Outcome::Redirect);
}

/// Errors past the cap still block, errors are shown before warnings, and
/// the summary counts both kinds apart.
#[test]
fn errors_past_the_cap_block_and_are_counted_apart() {
    let loaded = generated(600);
    assert!(loaded.has_errors());
    assert!(loaded.mandate.is_none());
    let shown: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code != "too-many-problems")
        .collect();
    assert_eq!(shown.len(), mandate::limits::MAX_DIAGNOSTICS);
    assert!(
        shown.iter().all(|d| d.code == "number-too-large"),
        "a warning was shown while errors were left out"
    );
    let summary = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "too-many-problems")
        .expect("no summary of what the cap left out");
    assert_eq!(summary.level, mandate::Level::Error);
    assert_eq!(
        summary.message,
        "the first 500 problems are shown; not shown: 100 errors and 1000 warnings"
    );
}

/// The search for misspelt topics below declared ones is bounded: a flat
/// vocabulary of thousands of topics and thousands of rules on undeclared
/// topics beside them validates in bounded time, and the first of them
/// still get their warning.
#[test]
fn close_topic_search_is_bounded() {
    let mut text = String::from("group \"g\" { }\ntopic s \"S\"\n");
    for i in 0..5000 {
        text.push_str(&format!("topic s.topic_{i:05} \"T\"\n"));
    }
    text.push_str("representative r \"R\" {\n");
    for i in 0..5000 {
        text.push_str(&format!("  may agree s.topik_{i:05}\n"));
    }
    text.push_str("}\n");
    let started = std::time::Instant::now();
    let loaded = Mandate::from_source(
        mandate::source::SourceFile {
            name: "flat.mandate".into(),
            text,
        },
        mandate::source::Scripts::new(),
        today(),
    );
    eprintln!("validated in {:?}", started.elapsed());
    assert!(!loaded.has_errors());
    let first = loaded
        .diagnostics
        .iter()
        .find(|d| d.code == "close-to-declared-topic")
        .expect("no warning for the first misspelt topic");
    assert!(
        first.message.contains("`s.topic_00000`"),
        "{}",
        first.message
    );
}

/// Every load that gives no mandate says why: at least one error, whatever
/// the file (broken, truncated, binary, not UTF-8, missing), and a mandate
/// whenever there is no error.
#[test]
fn no_mandate_without_an_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = vec![root.join("tests/data/does_not_exist.mandate")];
    for folder in [
        "tests/data/invalid",
        "tests/data/failures/rules",
        "tests/data/fuzz/parse",
        "tests/data/fuzz/validate",
        "rules/ashdown",
    ] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    assert!(
        files.len() > 50,
        "expected the test data, found {}",
        files.len()
    );
    for file in files {
        let path = relative(&file);
        let loaded = Mandate::load(&path, today());
        assert_eq!(
            loaded.mandate.is_none(),
            loaded.has_errors(),
            "{}: mandate built: {}, errors: {:?}",
            path.display(),
            loaded.mandate.is_some(),
            loaded.diagnostics
        );
    }
}

/// Principle code that is right must not be flagged by the checks of what
/// it calls: each `tests/data/principles/clean/*.mandate` (methods on maps,
/// functions the code defines, closures and function values, keywords
/// before `(`, names inside texts and comments) validates with no
/// diagnostic at all, and its principles run (the proposal is agreed, so
/// none of them is `error`).
#[test]
fn right_principle_code_is_not_flagged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = 0;
    for entry in std::fs::read_dir(root.join("tests/data/principles/clean")).unwrap() {
        let path = relative(&entry.unwrap().path());
        found += 1;
        let loaded = Mandate::load(&path, today());
        assert!(
            loaded.diagnostics.is_empty(),
            "{} should validate clean, but has:\n{}",
            path.display(),
            render_all(&loaded)
        );
        let mandate = loaded.mandate.expect("the mandate was not built");
        let proposal = Proposal::from_json(
            r#"{"title": "T", "topics": ["interface.outpatients"], "cost": 5, "items": [1, 2], "changes": ["y"]}"#,
            "p",
        )
        .expect("proposal");
        let decision = mandate.check(&proposal, "patel", today()).expect("check");
        assert_eq!(
            decision.outcome,
            Outcome::Agree,
            "{}: a principle did not run clean: {:?}",
            path.display(),
            decision
        );
    }
    assert!(
        found >= 4,
        "expected the clean principle cases, found {found}"
    );
}
