//! The tests-file reader and runner behind `mandate test`
//! (`mandate::testing`): what a good file gives, where each malformed one
//! is refused (its line and what to write), and the differences a wrong
//! expectation reports, as data.

use mandate::testing::{self, Difference};
use mandate::{Mandate, Outcome, PrincipleOutcome};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn day(text: &str) -> chrono::NaiveDate {
    mandate::proposal::parse_iso_date(text).expect("a date")
}

/// A file that sits in rules/ashdown, so `"proposal": "proposals/..."`
/// names a shipped proposal.
fn ashdown_path() -> std::path::PathBuf {
    root().join("rules/ashdown/inline.tests.json")
}

#[test]
fn a_good_file_gives_each_case_its_representative_day_and_line() {
    let text = r#"{
  "date": "2026-12-01",
  "cases": [
    {
      "name": "from the proposal file",
      "proposal": "proposals/ag-cardiology.json",
      "expect": { "outcome": "agree", "principles": { "equity": "upheld" } }
    },
    {
      "name": "inline, own day",
      "representative": "okafor",
      "date": "2027-01-05",
      "proposal": { "title": "T", "topics": ["estates"] },
      "expect": { "outcome": "decline", "redirect_to": [], "priorities": [], "reasons_contain": ["208"] }
    }
  ]
}"#;
    let file = testing::parse(text, &ashdown_path()).expect("a good file");
    assert_eq!(file.date, day("2026-12-01"));
    assert_eq!(file.cases.len(), 2);
    let [first, second] = &file.cases[..] else {
        panic!("two cases")
    };
    assert_eq!(first.line, 4);
    assert_eq!(first.representative, "patel", "named by the proposal");
    assert_eq!(first.date, day("2026-12-01"), "the file's day");
    assert_eq!(first.proposal.id, "2026-12-cardiology-ag");
    assert_eq!(
        first.expect.principles.get("equity"),
        Some(&PrincipleOutcome::Upheld)
    );
    assert_eq!(second.line, 9);
    assert_eq!(second.representative, "okafor");
    assert_eq!(second.date, day("2027-01-05"), "the case's own day");
    assert_eq!(second.proposal.id, "inline, own day", "the case's name");
    assert_eq!(second.expect.outcome, Outcome::Decline);
}

/// Each malformed file: its text, the line it is refused on, and words the
/// message must hold.
#[test]
fn a_malformed_file_is_refused_with_its_line() {
    let case = |expect: &str| {
        format!(
            "{{\n  \"date\": \"2026-12-01\",\n  \"cases\": [\n    {{\n      \"name\": \"c\",\n      \"representative\": \"patel\",\n      \"proposal\": {{ \"title\": \"T\", \"topics\": [\"interface\"] }},\n      \"expect\": {expect}\n    }}\n  ]\n}}"
        )
    };
    let table: Vec<(String, usize, &str)> = vec![
        (case(r#"{ "outcom": "agree" }"#), 8, "unknown field `outcom`"),
        (case(r#"{ "outcome": "agreed" }"#), 8, "unknown variant `agreed`"),
        (
            case(r#"{ "outcome": "agree", "principles": { "equity": "kept" } }"#),
            8,
            "unknown variant `kept`",
        ),
        (case(r#"{ }"#), 8, "missing field `outcome`"),
        (
            "{\n  \"date\": \"2026-12-01\",\n  \"cases\": [],\n  \"extra\": 1\n}".into(),
            4,
            "unknown field `extra`",
        ),
        (
            "{\n  \"cases\": []\n}".into(),
            3,
            "missing field `date`",
        ),
        (
            "{\n  \"date\": \"1 December\",\n  \"cases\": []\n}".into(),
            2,
            "`1 December` is not a date",
        ),
        (
            "{\n  \"date\": \"2026-12-01\",\n  \"cases\": [\n    { \"name\": \"c\", \"proposal\": { \"title\": \"T\", \"topics\": [\"x\"] }, \"expect\": { \"outcome\": \"agree\" } }\n  ]\n}".into(),
            4,
            "case \"c\" is for no representative",
        ),
        (
            "{\n  \"date\": \"2026-12-01\",\n  \"cases\": [\n    { \"name\": \"c\", \"representative\": \"patel\", \"proposal\": { \"title\": \"T\", \"topics\": [\"x\"] }, \"expect\": { \"outcome\": \"agree\" } },\n    { \"name\": \"c\", \"representative\": \"patel\", \"proposal\": { \"title\": \"T\", \"topics\": [\"x\"] }, \"expect\": { \"outcome\": \"agree\" } }\n  ]\n}".into(),
            5,
            "a second case is named \"c\" (the first is on line 4)",
        ),
        (
            "{\n  \"date\": \"2026-12-01\",\n  \"cases\": [\n    {\n      \"name\": \"c\",\n      \"representative\": \"patel\",\n      \"proposal\": {\n        \"title\": \"T\",\n        \"title\": \"again\",\n        \"topics\": [\"x\"]\n      },\n      \"expect\": { \"outcome\": \"agree\" }\n    }\n  ]\n}".into(),
            9,
            "case \"c\": its proposal:",
        ),
        (
            "{\n  \"date\": \"2026-12-01\",\n  \"cases\": [\n    { \"name\": \"c\", \"representative\": \"patel\", \"proposal\": \"proposals/none.json\", \"expect\": { \"outcome\": \"agree\" } }\n  ]\n}".into(),
            4,
            "cannot read its proposal",
        ),
        (
            "{\n  \"date\": \"2026-12-01\",\n  \"cases\": [\n    { \"name\": \"c\", \"representative\": \"patel\", \"date\": \"tomorrow\", \"proposal\": { \"title\": \"T\", \"topics\": [\"x\"] }, \"expect\": { \"outcome\": \"agree\" } }\n  ]\n}".into(),
            4,
            "`tomorrow` is not a date",
        ),
    ];
    for (text, line, words) in table {
        let error = testing::parse(&text, &ashdown_path()).expect_err(&format!("refused: {text}"));
        assert_eq!(error.line, line, "{error}\nin:\n{text}");
        assert!(error.message.contains(words), "{error}\nwants: {words}");
        assert!(error.file.ends_with("inline.tests.json"), "{error}");
        assert!(!error.help.is_empty(), "{error}");
    }
}

#[test]
fn every_shipped_case_passes() {
    for name in ["ashdown", "brackenmoor"] {
        let rules = root().join(format!("rules/{name}/{name}.mandate"));
        let file = testing::load(&testing::tests_file_for(&rules)).expect("a good file");
        let mandate = Mandate::load(&rules, file.date).mandate.expect("a mandate");
        let results = testing::run(&mandate, &file);
        assert!(results.len() >= 30, "{name}: {} cases", results.len());
        let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
        assert!(failed.is_empty(), "{name}: {failed:#?}");
    }
}

#[test]
fn a_wrong_expectation_reports_each_difference() {
    let text = r#"{
  "date": "2026-12-01",
  "cases": [
    {
      "name": "wrong about everything",
      "proposal": "proposals/phlebotomy-les.json",
      "expect": {
        "outcome": "agree",
        "redirect_to": ["federation"],
        "principles": { "funded_work": "violated", "no_such": "upheld" },
        "priorities": ["interface"],
        "reasons_contain": ["nowhere in any reason"]
      }
    },
    {
      "name": "unknown representative",
      "representative": "nobody",
      "proposal": { "title": "T", "topics": ["estates"] },
      "expect": { "outcome": "agree" }
    }
  ]
}"#;
    let file = testing::parse(text, &ashdown_path()).expect("a good file");
    let mandate = Mandate::load(&root().join("rules/ashdown/ashdown.mandate"), file.date)
        .mandate
        .expect("a mandate");
    let results = testing::run(&mandate, &file);
    let [wrong, nobody] = &results[..] else {
        panic!("two results")
    };
    assert!(!wrong.passed);
    assert_eq!(wrong.outcome, Some(Outcome::Redirect));
    assert!(!wrong.reasons.is_empty(), "the decision's reasons are kept");
    assert_eq!(
        wrong.differences,
        vec![
            Difference::Outcome {
                expected: Outcome::Agree,
                got: Outcome::Redirect
            },
            Difference::RedirectTo {
                expected: vec!["federation".into()],
                got: vec!["lmc".into()]
            },
            Difference::Principle {
                id: "funded_work".into(),
                expected: PrincipleOutcome::Violated,
                got: Some(PrincipleOutcome::Upheld)
            },
            Difference::Principle {
                id: "no_such".into(),
                expected: PrincipleOutcome::Upheld,
                got: None
            },
            Difference::Priorities {
                expected: vec!["interface".into()],
                got: vec![]
            },
            Difference::ReasonMissing {
                text: "nowhere in any reason".into()
            },
        ]
    );
    let words: Vec<String> = wrong
        .differences
        .iter()
        .map(mandate::wording::testing::difference)
        .collect();
    assert_eq!(words[0], "outcome: expected agree, got redirect");
    assert_eq!(words[1], "redirect_to: expected [federation], got [lmc]");
    assert_eq!(
        words[2],
        "principle funded_work: expected violated, got upheld"
    );
    assert_eq!(
        words[3],
        "principle no_such: expected upheld, but the mandate has no principle `no_such`"
    );
    assert_eq!(words[4], "priorities: expected [interface], got none");
    assert_eq!(words[5], "reasons: none contains \"nowhere in any reason\"");
    assert!(!nobody.passed);
    assert!(matches!(
        &nobody.differences[..],
        [Difference::CheckFailed { message }] if message.contains("no representative `nobody`")
    ));
}

/// The tests file the README shows ("Testing a mandate") is read and
/// passes, beside the Ashdown mandate.
#[test]
fn the_readme_tests_file_passes() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("the README");
    let after = readme
        .split_once("A tests file:\n\n```json\n")
        .expect("the README shows a tests file")
        .1;
    let text = after.split_once("```").expect("the block ends").0;
    let file = testing::parse(text, &ashdown_path()).expect("the README's file is good");
    let mandate = Mandate::load(&root().join("rules/ashdown/ashdown.mandate"), file.date)
        .mandate
        .expect("a mandate");
    let results = testing::run(&mandate, &file);
    assert_eq!(results.len(), 2);
    assert!(results.iter().all(|r| r.passed), "{results:#?}");
}
