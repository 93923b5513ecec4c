//! Every rule of every shipped mandate, worded from the mandate alone, with
//! no proposal: what a brief or a diff will say of it. One snapshot per
//! mandate under `rules/`.

use chrono::NaiveDate;
use mandate::Mandate;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

#[test]
fn every_rule_of_every_shipped_mandate_is_worded_without_a_proposal() {
    insta::glob!("../rules", "*/*.mandate", |path| {
        let loaded = Mandate::load(path, day());
        let mandate = loaded.mandate.expect("a shipped mandate loads");
        let mut text = String::new();
        let mut rules = 0;
        for rep in mandate.representatives() {
            text.push_str(&format!("{} ({}):\n", rep.name, rep.id));
            for rule in &rep.rules {
                let sentence = mandate::wording::rule(&mandate, rep, rule);
                // Each cites its line, names the representative, and is one
                // sentence with nothing left unworded.
                assert!(
                    sentence.starts_with(&format!("Line {}: {} ", rule.line, rep.name)),
                    "{sentence}"
                );
                assert!(sentence.ends_with('.'), "{sentence}");
                assert!(!sentence.contains('\n'), "{sentence}");
                for raw in [
                    "<=",
                    ">=",
                    "==",
                    "!=",
                    " AND ",
                    "may_agree",
                    "may_not_agree",
                ] {
                    assert!(!sentence.contains(raw), "{raw} left in: {sentence}");
                }
                text.push_str(&format!("  {sentence}\n"));
                rules += 1;
            }
        }
        assert!(rules > 0, "{} has no rules to word", path.display());
        insta::assert_snapshot!(text);
    });
}

/// The due date of a report is counted from the meeting date and named
/// with its weekday; past year 9999, where a date no longer reads as one,
/// the obligation gives the number of days alone.
#[test]
fn the_report_back_names_its_due_date() {
    let text = r#"group "G" { place "P" }
representative r "Rita" {
  report within 3650 days
  may agree a
}
"#;
    let loaded = Mandate::from_source(
        mandate::SourceFile {
            name: "due.mandate".into(),
            text: text.into(),
        },
        mandate::Scripts::new(),
        day(),
    );
    let mandate = loaded.mandate.unwrap();
    let obligation = |date: &str| {
        let json = format!(r#"{{"title": "T", "topics": ["a"], "date": "{date}"}}"#);
        let proposal = mandate::Proposal::from_json(&json, "p").unwrap();
        let decision = mandate.check(&proposal, "r", day()).unwrap();
        decision.obligations.join(" ")
    };
    assert_eq!(
        obligation("2026-12-03"),
        "Report this agreement to the group within 3650 days, by Sunday 30 November 2036."
    );
    assert_eq!(
        obligation("9999-12-01"),
        "Report this agreement to the group within 3650 days."
    );
}
