//! The `gates` trace of a decision: one entry per gate the representative
//! has (`forums`, then `valid`), whether it held or not, with what was
//! compared.

use chrono::NaiveDate;
use mandate::check::{DateSource, Gate};
use mandate::source::{Scripts, SourceFile};
use mandate::{Mandate, Outcome, Proposal};
use serde_json::json;

const RULES: &str = r#"group "G" { place "P" }

representative gated "Dr Gated" {
  forums "Board A", "Board B"
  valid from 2026-04-01 until 2027-03-31
  may agree a
}

representative open "Olu Open" {
  may agree a
}

representative ending "Eve Ending" {
  valid until 2026-06-30
  may agree a
}
"#;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

fn mandate() -> Mandate {
    let file = SourceFile {
        name: "gates.mandate".into(),
        text: RULES.into(),
    };
    let loaded = Mandate::from_source(file, Scripts::new(), day());
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.mandate.unwrap()
}

fn check(rep: &str, fields: serde_json::Value) -> mandate::Decision {
    let mut proposal = json!({ "title": "T", "topics": ["a"] });
    if let (Some(p), Some(extra)) = (proposal.as_object_mut(), fields.as_object()) {
        p.extend(extra.clone());
    }
    let proposal = Proposal::from_json(&proposal.to_string(), "p").unwrap();
    mandate().check(&proposal, rep, day()).unwrap()
}

fn forums() -> Vec<String> {
    vec!["Board A".into(), "Board B".into()]
}

#[test]
fn both_gates_pass_at_an_own_forum_within_the_dates() {
    let d = check("gated", json!({ "forum": "Board B", "date": "2026-12-10" }));
    assert_eq!(d.outcome, Outcome::Agree);
    assert_eq!(
        d.gates,
        [
            Gate::Forum {
                line: 4,
                passed: true,
                forum: Some("Board B".into()),
                forums: forums(),
            },
            Gate::Dates {
                line: 5,
                passed: true,
                date: "2026-12-10".into(),
                date_source: DateSource::Proposal,
                from: Some("2026-04-01".into()),
                until: Some("2027-03-31".into()),
            },
        ]
    );
}

#[test]
fn another_forum_fails_the_forum_gate_and_refers() {
    let d = check("gated", json!({ "forum": "Board C" }));
    assert_eq!(d.outcome, Outcome::Refer);
    assert!(matches!(
        d.gates.first(),
        Some(Gate::Forum { passed: false, forum: Some(f), .. }) if f == "Board C"
    ));
    // The reason cites the same line; the change says "A or B".
    assert!(d
        .reasons
        .iter()
        .any(|r| r.contains("(line 4)") && r.contains("not at the Board C")));
    assert!(d
        .reasons
        .iter()
        .any(|r| r.starts_with("Put to the Board A or the Board B (line 4)")));
}

#[test]
fn no_forum_passes_the_forum_gate_and_the_check_day_stands_in() {
    let d = check("gated", json!({}));
    assert_eq!(d.outcome, Outcome::Agree);
    assert!(matches!(
        d.gates.first(),
        Some(Gate::Forum {
            passed: true,
            forum: None,
            ..
        })
    ));
    assert!(matches!(
        d.gates.get(1),
        Some(Gate::Dates { passed: true, date, date_source: DateSource::CheckDay, .. })
            if date == "2026-12-03"
    ));
}

#[test]
fn a_meeting_outside_the_dates_fails_the_dates_gate() {
    let before = check("gated", json!({ "date": "2026-03-31" }));
    let after = check("ending", json!({ "date": "2026-07-01" }));
    for (d, line) in [(&before, 5), (&after, 14)] {
        assert_eq!(d.outcome, Outcome::Refer);
        let dates = d.gates.iter().find(|g| matches!(g, Gate::Dates { .. }));
        assert!(
            matches!(dates, Some(Gate::Dates { passed: false, line: l, .. }) if *l == line),
            "{:?}",
            d.gates
        );
    }
    // A `valid` line with no `from` leaves it out.
    assert!(matches!(
        after.gates.as_slice(),
        [Gate::Dates {
            from: None,
            until: Some(_),
            ..
        }]
    ));
}

#[test]
fn no_gates_is_an_empty_list_in_the_json() {
    let d = check("open", json!({ "forum": "Anywhere" }));
    assert!(d.gates.is_empty());
    let value: serde_json::Value = serde_json::to_value(&d).unwrap();
    assert_eq!(value["gates"], json!([]));
    let gated = serde_json::to_value(check("gated", json!({ "forum": "Board C" }))).unwrap();
    assert_eq!(
        gated["gates"][0],
        json!({ "gate": "forum", "line": 4, "passed": false,
                "forum": "Board C", "forums": ["Board A", "Board B"] })
    );
}

#[test]
fn a_decision_reads_back_from_its_json() {
    let d = check("gated", json!({ "forum": "Board C", "date": "2027-05-01" }));
    let text = serde_json::to_string(&d).unwrap();
    let back: mandate::Decision = serde_json::from_str(&text).unwrap();
    assert_eq!(back, d);
}
