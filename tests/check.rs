//! How a check decides (the README's "How a check decides" and "The decision JSON"), case by case.
//!
//! Every `tests/data/proposals/<place>/<outcome>-<name>.json` is one
//! proposal, checked against `rules/<place>/<place>.mandate` (`ashdown`,
//! `brackenmoor`) or against the purpose-built
//! `tests/data/proposals/clauses/clauses.mandate` (`clauses`), for the
//! representative the proposal names, on 2026-11-23. The file name's prefix
//! is the outcome the README's "How a check decides" requires, worked out by hand (each
//! file's `why_expected` field says how); it is not copied from the engine.
//!
//! Each decision's JSON and text report are pinned together in one snapshot
//! per file: `tests/snapshots/check__proposals@<place>__<name>.json.snap`.
//! When a reason changes on purpose, review the new snapshot (`cargo insta
//! review`): is every reason true, does it cite the right line, and would a
//! GP understand it?

use chrono::NaiveDate;
use mandate::{Decision, Mandate, Outcome, Proposal};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The day every check is run "on".
fn check_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// The crate root; also made the working directory, so that file names in
/// decisions and reports do not depend on where the crate is checked out.
fn root() -> &'static Path {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("cannot enter the crate root");
    root
}

/// The rule file for a folder of `tests/data/proposals`, relative to the
/// crate root.
fn rules_for(place: &str) -> PathBuf {
    match place {
        "clauses" => PathBuf::from("tests/data/proposals/clauses/clauses.mandate"),
        other => PathBuf::from(format!("rules/{other}/{other}.mandate")),
    }
}

/// Loads a mandate that must have no errors (warnings are fine).
fn load(rules: &Path) -> Mandate {
    root();
    let loaded = Mandate::load(rules, check_date());
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.level == mandate::Level::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "{}: errors: {errors:#?}",
        rules.display()
    );
    loaded
        .mandate
        .unwrap_or_else(|| panic!("{}: no mandate", rules.display()))
}

/// Reads a proposal file, its id defaulting to the file's stem.
fn read_proposal(path: &Path) -> Proposal {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let stem = path.file_stem().unwrap().to_str().unwrap();
    Proposal::from_json(&text, stem).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_of(decision: &Decision) -> String {
    mandate::report::json(std::slice::from_ref(decision), true).expect("decision as JSON")
}

#[test]
fn proposals() {
    let root = root();
    let mut mandates: HashMap<String, Mandate> = HashMap::new();
    let mut wrong: Vec<String> = Vec::new();
    let mut count = 0;

    insta::glob!("data/proposals/*/*.json", |path| {
        count += 1;
        let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let name = relative.display().to_string();
        let place = relative
            .parent()
            .and_then(Path::file_name)
            .and_then(|p| p.to_str())
            .expect("a folder")
            .to_string();
        let stem = relative.file_stem().unwrap().to_str().unwrap().to_string();
        let expected = stem.split('-').next().unwrap().to_string();
        assert!(
            ["agree", "refer", "redirect", "decline"].contains(&expected.as_str()),
            "{name}: the file name must start with agree-, refer-, redirect- or decline-"
        );

        let mandate = mandates
            .entry(place.clone())
            .or_insert_with(|| load(&rules_for(&place)));
        let proposal = read_proposal(&relative);
        let representative = proposal
            .representative
            .clone()
            .unwrap_or_else(|| panic!("{name}: every case names its `representative`"));
        let decision = mandate
            .check(&proposal, &representative, check_date())
            .unwrap_or_else(|e| panic!("{name}: {e}"));

        let json = json_of(&decision);
        let text = mandate::report::text(&decision, mandate, false);
        assert!(
            !json.contains(env!("CARGO_MANIFEST_DIR"))
                && !text.contains(env!("CARGO_MANIFEST_DIR")),
            "{name}: the output names the absolute checkout path"
        );
        if decision.outcome.as_str() != expected {
            wrong.push(format!(
                "{name}: the README requires `{expected}`, the engine says `{}`",
                decision.outcome.as_str()
            ));
        }
        insta::assert_snapshot!(format!("{json}\n\n---- text ----\n{text}"));
    });

    assert!(count >= 45, "expected at least 45 cases, found {count}");
    assert!(
        wrong.is_empty(),
        "{} of {count} cases decided differently from the README's \"How a check decides\":\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

/// The same inputs give byte-identical JSON: twice in a row, and on two
/// threads sharing one mandate.
#[test]
fn decisions_are_deterministic() {
    let cases = [
        (
            "ashdown",
            "tests/data/proposals/ashdown/decline-redirect-and-declined-topic.json",
        ),
        (
            "ashdown",
            "tests/data/proposals/ashdown/refer-priorities-in-file-order.json",
        ),
        (
            "brackenmoor",
            "tests/data/proposals/brackenmoor/decline-whitlock-branch-closure.json",
        ),
        (
            "clauses",
            "tests/data/proposals/clauses/redirect-two-owners-sorted.json",
        ),
        (
            "clauses",
            "tests/data/proposals/clauses/refer-blocking-principle-loops.json",
        ),
    ];
    for (place, file) in cases {
        let mandate = Arc::new(load(&rules_for(place)));
        let proposal = Arc::new(read_proposal(Path::new(file)));
        let rep = proposal.representative.clone().expect("a representative");
        let once = json_of(&mandate.check(&proposal, &rep, check_date()).unwrap());
        let twice = json_of(&mandate.check(&proposal, &rep, check_date()).unwrap());
        assert_eq!(once, twice, "{file}: two checks in a row differ");

        let threads: Vec<_> = (0..2)
            .map(|_| {
                let mandate = Arc::clone(&mandate);
                let proposal = Arc::clone(&proposal);
                let rep = rep.clone();
                std::thread::spawn(move || {
                    json_of(&mandate.check(&proposal, &rep, check_date()).unwrap())
                })
            })
            .collect();
        for thread in threads {
            assert_eq!(
                once,
                thread.join().unwrap(),
                "{file}: a check on another thread differs"
            );
        }

        let all_once =
            mandate::report::json(&mandate.check_all(&proposal, check_date()).unwrap(), false)
                .unwrap();
        let all_twice =
            mandate::report::json(&mandate.check_all(&proposal, check_date()).unwrap(), false)
                .unwrap();
        assert_eq!(
            all_once, all_twice,
            "{file}: check_all differs between runs"
        );
    }
}

/// `check_all` gives one decision per representative, in file order, and
/// each is the decision `check` gives for that representative.
#[test]
fn check_all_gives_every_representative_in_file_order() {
    let expected = [
        ("ashdown", vec!["patel", "okafor", "hughes"]),
        ("brackenmoor", vec!["carew", "mehta", "whitlock", "ashby"]),
        (
            "clauses",
            vec!["rowe", "open", "lane", "past", "early", "lastday"],
        ),
    ];
    let proposals = [
        "tests/data/proposals/ashdown/agree-cardiology-advice.json",
        "tests/data/proposals/brackenmoor/agree-urgent-care-pilot.json",
        "tests/data/proposals/clauses/agree-unconditional-grant.json",
    ];
    for ((place, ids), file) in expected.iter().zip(proposals) {
        let mandate = load(&rules_for(place));
        let proposal = read_proposal(Path::new(file));
        let all = mandate.check_all(&proposal, check_date()).unwrap();
        let got: Vec<&str> = all.iter().map(|d| d.representative.as_str()).collect();
        assert_eq!(&got, ids, "{place}: representatives of check_all");
        for decision in &all {
            assert_eq!(decision.proposal, proposal.id);
            let one = mandate
                .check(&proposal, &decision.representative, check_date())
                .unwrap();
            assert_eq!(
                json_of(decision),
                json_of(&one),
                "{place}: check_all and check differ"
            );
        }
        let array = mandate::report::json(&all, false).unwrap();
        assert!(
            array.trim_start().starts_with('['),
            "{place}: several decisions are an array"
        );
    }

    // One decision but not a single named check: still a (flat) array.
    let mandate = load(&rules_for("ashdown"));
    let proposal = read_proposal(Path::new(proposals[0]));
    let decision = mandate.check(&proposal, "patel", check_date()).unwrap();
    let array = mandate::report::json(std::slice::from_ref(&decision), false).unwrap();
    assert!(array.trim_start().starts_with('['));
    assert!(json_of(&decision).trim_start().starts_with('{'));
}

/// Checking for a representative the mandate does not have is an error
/// that lists the ones it does have.
#[test]
fn unknown_representative_lists_the_known_ids() {
    let mandate = load(&rules_for("ashdown"));
    let proposal = read_proposal(Path::new(
        "tests/data/proposals/ashdown/agree-cardiology-advice.json",
    ));
    for asked in ["patell", "nobody", "Patel", ""] {
        let error = mandate
            .check(&proposal, asked, check_date())
            .expect_err("an unknown representative is an error");
        let message = error.to_string();
        for id in ["patel", "okafor", "hughes"] {
            assert!(
                message.contains(id),
                "{asked:?}: {message:?} does not list `{id}`"
            );
        }
    }
    let error = mandate
        .check(&proposal, "patell", check_date())
        .unwrap_err();
    assert!(
        error.help().contains("patel"),
        "a near miss suggests the right id: {:?}",
        error.help()
    );
}

/// The top-level keys of a pretty-printed JSON object, in order.
fn top_level_keys(json: &str) -> Vec<String> {
    json.lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("  ")?;
            if rest.starts_with(' ') {
                return None;
            }
            let rest = rest.strip_prefix('"')?;
            let end = rest.find("\":")?;
            Some(rest[..end].to_string())
        })
        .collect()
}

/// The JSON has exactly the README's decision keys, in that order, followed
/// only by the engine's documented extensions (`date`, `title`, `gates`).
#[test]
fn decision_json_has_the_design_keys_in_order() {
    let design = [
        "proposal",
        "representative",
        "outcome",
        "redirect_to",
        "topics",
        "principles",
        "priorities",
        "obligations",
        "reasons",
        "mandate",
    ];
    let extensions = ["date", "title", "gates"];
    let files = [
        (
            "ashdown",
            "tests/data/proposals/ashdown/agree-cardiology-advice.json",
        ),
        (
            "ashdown",
            "tests/data/proposals/ashdown/decline-redirect-and-declined-topic.json",
        ),
        (
            "clauses",
            "tests/data/proposals/clauses/refer-principle-wrong-type.json",
        ),
    ];
    for (place, file) in files {
        let mandate = load(&rules_for(place));
        let proposal = read_proposal(Path::new(file));
        let rep = proposal.representative.clone().unwrap();
        let decision = mandate.check(&proposal, &rep, check_date()).unwrap();
        let json = json_of(&decision);
        let keys = top_level_keys(&json);
        assert!(keys.len() >= design.len(), "{file}: keys {keys:?}");
        assert_eq!(&keys[..design.len()], &design[..], "{file}: keys {keys:?}");
        assert_eq!(
            &keys[design.len()..],
            &extensions[..],
            "{file}: extension keys {keys:?}"
        );

        // The parts the contract fixes, by value.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["proposal"], proposal.id.as_str());
        assert!(
            ["agree", "refer", "redirect", "decline"].contains(&value["outcome"].as_str().unwrap())
        );
        assert_eq!(value["mandate"]["sha256"].as_str().unwrap().len(), 64);
        for topic in value["topics"].as_array().unwrap() {
            match (topic.get("rules"), topic.get("owners")) {
                (Some(rules), None) => {
                    for rule in rules.as_array().unwrap() {
                        let keys: Vec<&String> = rule.as_object().unwrap().keys().collect();
                        assert_eq!(keys.len(), 4, "{file}: rule keys {keys:?}");
                        assert!(["may_agree", "refer", "may_not_agree"]
                            .contains(&rule["effect"].as_str().unwrap()));
                        let condition = rule["condition"].as_str().unwrap();
                        assert!(["true", "false", "unknown"].contains(&condition));
                        let unknown = rule["unknown_fields"].as_array().unwrap();
                        assert_eq!(
                            condition == "unknown",
                            !unknown.is_empty(),
                            "{file}: {rule}"
                        );
                    }
                }
                (None, Some(owners)) => {
                    assert_eq!(topic["outcome"], "redirect");
                    for owner in owners.as_array().unwrap() {
                        assert!(
                            owner["id"].is_string() && owner["line"].is_u64(),
                            "{file}: {owner}"
                        );
                    }
                }
                other => panic!("{file}: a topic has rules or owners, not {other:?}"),
            }
        }
        for principle in value["principles"].as_array().unwrap() {
            assert!(
                ["upheld", "violated", "error"].contains(&principle["result"].as_str().unwrap())
            );
            assert!(["blocking", "refer", "advisory"]
                .contains(&principle["severity"].as_str().unwrap()));
        }
    }
}

/// The outcome order the README's "How a check decides" fixes.
#[test]
fn outcomes_are_ordered() {
    assert!(Outcome::Agree < Outcome::Refer);
    assert!(Outcome::Refer < Outcome::Redirect);
    assert!(Outcome::Redirect < Outcome::Decline);
}

/// The README's "The proposal": `title` and a non-empty `topics` are required, and
/// a `date` that is not `YYYY-MM-DD` (a real calendar date) is bad input,
/// not a decision.
#[test]
fn malformed_proposals_are_errors() {
    let bad = [
        ("no title", r#"{ "topics": ["general"] }"#),
        ("no topics", r#"{ "title": "T" }"#),
        ("empty topics", r#"{ "title": "T", "topics": [] }"#),
        (
            "date in words",
            r#"{ "title": "T", "topics": ["general"], "date": "next spring" }"#,
        ),
        (
            "impossible date",
            r#"{ "title": "T", "topics": ["general"], "date": "2026-02-30" }"#,
        ),
        (
            "datetime",
            r#"{ "title": "T", "topics": ["general"], "date": "2026-12-03T10:00:00" }"#,
        ),
        ("not an object", r#"["general"]"#),
        ("not JSON", r#"{ "title": "T", "#),
    ];
    for (what, text) in bad {
        assert!(
            Proposal::from_json(text, "stem").is_err(),
            "{what}: accepted {text}"
        );
    }
    let good = Proposal::from_json(r#"{ "title": "T", "topics": ["general"] }"#, "stem").unwrap();
    assert_eq!(good.id, "stem", "the id defaults to the file stem");
    assert_eq!(good.date, None);
    assert_eq!(good.forum, None);
}
