//! The specification's worked example (`tests/data/design/`), end to end:
//! its rule file and proposal must give its decision (the parts the
//! specification spells out: outcome, trace, principle, priorities,
//! obligations).

use mandate::{Mandate, Outcome, Proposal};
use serde_json::json;
use std::path::Path;

#[test]
fn the_design_example_gives_the_design_decision() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let loaded = Mandate::load(Path::new("tests/data/design/ashdown.mandate"), day);
    let mandate = loaded
        .mandate
        .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let text = std::fs::read_to_string("tests/data/design/proposal.json")
        .unwrap_or_else(|e| panic!("{e}"));
    let proposal = Proposal::from_json(&text, "proposal").unwrap_or_else(|e| panic!("{e}"));
    let decision = mandate
        .check(&proposal, "patel", day)
        .unwrap_or_else(|e| panic!("{e}"));
    let value = serde_json::to_value(&decision).unwrap_or_else(|e| panic!("{e}"));

    assert_eq!(decision.outcome, Outcome::Agree);
    assert_eq!(value["proposal"], json!("2026-12-outpatients-ag"));
    assert_eq!(value["representative"], json!("patel"));
    assert_eq!(value["redirect_to"], json!([]));
    assert_eq!(
        value["topics"],
        json!([{ "topic": "interface.outpatients", "outcome": "agree",
                 "rules": [{ "effect": "may_agree", "line": 35,
                             "condition": "true", "unknown_fields": [] },
                           { "effect": "refer", "line": 37,
                             "condition": "false", "unknown_fields": [] }] }])
    );
    assert_eq!(
        value["principles"][0],
        json!({ "id": "independent_contractor", "severity": "blocking",
                "result": "upheld", "reason": null })
    );
    assert_eq!(value["priorities"], json!(["interface"]));
    // The design's obligation, with the due date counted from the
    // meeting (3 December 2026) added.
    assert_eq!(
        value["obligations"],
        json!(["Report this agreement to the group within 7 days, by Thursday 10 December 2026."])
    );
    assert_eq!(
        value["mandate"]["group"],
        json!("Ashdown GP Leadership Group")
    );
    assert_eq!(value["mandate"]["sha256"].as_str().map(str::len), Some(64));
    let reasons = value["reasons"].as_array().cloned().unwrap_or_default();
    assert!(
        reasons
            .iter()
            .any(|r| r.as_str().is_some_and(|r| r.starts_with("Line 35 "))),
        "no reason cites line 35: {reasons:?}"
    );
}

/// The README's own unknown example: "Line 37 refers interface
/// proposals costing more than 50,000 to the group, and this proposal does
/// not give its `cost`." Ours words it differently but must carry the same
/// facts: the line, the referral, the field that would decide it.
#[test]
fn an_unknown_names_its_line_and_the_field_that_would_decide_it() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let loaded = Mandate::load(Path::new("tests/data/design/ashdown.mandate"), day);
    let mandate = loaded
        .mandate
        .unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
    let proposal = Proposal::from_json(
        r#"{"title": "t", "topics": ["interface.outpatients"], "forum": "Acute Trust Interface Group",
            "date": "2026-12-03", "duration_months": 6}"#,
        "no-cost",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let decision = mandate
        .check(&proposal, "patel", day)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(decision.outcome, Outcome::Refer);
    let line_37 = decision
        .reasons
        .iter()
        .find(|r| r.starts_with("Line 37 "))
        .unwrap_or_else(|| panic!("no reason cites line 37: {:?}", decision.reasons));
    assert!(
        line_37.contains("refers") && line_37.contains("to the group"),
        "{line_37}"
    );
    assert!(line_37.contains("does not give `cost`"), "{line_37}");
    assert!(line_37.contains("50,000"), "{line_37}");
    let trace = decision.topics[0].rules.clone().unwrap_or_default();
    assert!(trace
        .iter()
        .all(|r| r.condition == "unknown" && r.unknown_fields == vec!["cost".to_string()]));
}
