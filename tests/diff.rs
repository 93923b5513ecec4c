//! `mandate diff`: what changed in meaning between two versions.
//!
//! Each folder `tests/data/diff/<case>/` holds `old.mandate` and
//! `new.mandate`, the small Vale mandate with one kind of change (its name
//! says which). Every pair gives one snapshot holding the text and the JSON,
//! and the table in `expected` says, by hand, what the first change must be,
//! so a snapshot accepted by mistake still fails. `rule_only_moved` and
//! `reformatted` must diff as no change. The README's example (the Ashdown
//! draft `tests/data/diff/ashdown-2026-02-draft.mandate` against
//! `rules/ashdown/ashdown.mandate`) is checked against what the binary
//! prints.

use mandate::compile::Effect;
use mandate::diff::{diff, ChangeKind, Diff, Direction, RuleChange};
use mandate::wording::diff::{lines, Version};
use mandate::Mandate;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn load(path: &Path) -> Mandate {
    let loaded = Mandate::load(path, day());
    assert!(
        !loaded.has_errors(),
        "{}: {:?}",
        path.display(),
        loaded.diagnostics
    );
    loaded.mandate.unwrap()
}

fn cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join("tests/data/diff"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    assert!(out.len() >= 15, "too few diff cases");
    out
}

fn text(old: &Mandate, new: &Mandate, d: &Diff) -> String {
    lines(
        Version {
            name: "old.mandate",
            mandate: old,
        },
        Version {
            name: "new.mandate",
            mandate: new,
        },
        d,
    )
    .join("\n")
}

/// What each case's first change is, worked out by reading the pair.
fn expected(case: &str, d: &Diff) {
    let first = d.changes.first().map(|c| &c.kind);
    let how = match first {
        Some(ChangeKind::RuleChanged { how, .. }) => how.first(),
        _ => None,
    };
    let ok = match case {
        "rule_only_moved" | "reformatted" | "topics_and_terms_reordered" => d.is_empty(),
        "grant_widened_by_condition" => matches!(how,
            Some(RuleChange::BoundMoved { field, direction: Direction::Loosened, .. }) if field == "cost"),
        "grant_narrowed" => matches!(how,
            Some(RuleChange::BoundMoved { field, direction: Direction::Tightened, .. }) if field == "duration_months"),
        "topic_added" => matches!(how,
            Some(RuleChange::TopicAdded { topic }) if topic == "interface.outpatients"),
        "except_added" => matches!(how,
            Some(RuleChange::ExceptAdded { topic }) if topic == "funding.transformation"),
        "list_member_added" => {
            matches!(how, Some(RuleChange::MemberAdded { field, .. }) if field == "risk")
        }
        "term_added" => matches!(how, Some(RuleChange::TermAdded { term: 1, .. })),
        "condition_changed" => matches!(how, Some(RuleChange::ConditionChanged { .. })),
        "rule_removed" => matches!(first, Some(ChangeKind::RuleRemoved { rule: 3, .. })),
        "rule_added" => matches!(first, Some(ChangeKind::RuleAdded { rule: 4, .. })),
        "forum_added" => matches!(first,
            Some(ChangeKind::ForumAdded { forum }) if forum == "Place Partnership Board"),
        "dates_changed" => matches!(first,
            Some(ChangeKind::DatesChanged { new_until: Some(u), .. }) if u == "2027-09-30"),
        "principle_severity_changed" => {
            matches!(first, Some(ChangeKind::PrincipleSeverityChanged { .. }))
        }
        "principle_code_changed" => matches!(first, Some(ChangeKind::PrincipleCodeChanged { .. })),
        "ownership_changed" => matches!(first,
            Some(ChangeKind::OwnershipAdded { id, topic }) if id == "lmc" && topic == "workforce"),
        "vocabulary_label_changed" => {
            matches!(first, Some(ChangeKind::TopicLabelChanged { topic, .. }) if topic == "interface.discharge")
        }
        "representative_added" => matches!(
            first,
            Some(ChangeKind::RepresentativeAdded { rules: 2, .. })
        ),
        "effect_changed" => {
            matches!(
                first,
                Some(ChangeKind::RuleAdded {
                    effect: Effect::Refer,
                    ..
                })
            ) && matches!(
                d.changes.get(1).map(|c| &c.kind),
                Some(ChangeKind::RuleRemoved {
                    effect: Effect::MayNotAgree,
                    ..
                })
            )
        }
        "condition_removed" => matches!(how, Some(RuleChange::ConditionRemoved { .. })),
        "bound_on_date" => matches!(how,
            Some(RuleChange::BoundMoved { field, direction: Direction::Tightened, .. }) if field == "start_date"),
        "representative_removed" => matches!(first,
            Some(ChangeKind::RepresentativeRemoved { name }) if name == "Chidi Okafor"),
        "priority_topic_added" => matches!(first,
            Some(ChangeKind::PriorityTopicAdded { id, topic }) if id == "interface" && topic == "workforce"),
        "place_changed" => matches!(first,
            Some(ChangeKind::PlaceChanged { new: Some(p), .. }) if p == "Vale and Downs"),
        other => panic!("tests/data/diff/{other}: add it to the table in `expected`"),
    };
    assert!(ok, "{case}: {d:#?}");
    // Every case changes exactly one thing, but those that mean the same
    // and a rule whose effect changed (one removed, one added).
    if !d.is_empty() && case != "effect_changed" {
        assert_eq!(d.changes.len(), 1, "{case}: {d:#?}");
    }
}

#[test]
fn each_kind_of_change() {
    for case in cases() {
        let name = case.file_name().unwrap().to_str().unwrap().to_string();
        let (old, new) = (
            load(&case.join("old.mandate")),
            load(&case.join("new.mandate")),
        );
        let d = diff(&old, &new);
        expected(&name, &d);
        let json = serde_json::to_string_pretty(&d).unwrap();
        let back: Diff = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d, "{name}: the JSON reads back");
        insta::assert_snapshot!(name.clone(), format!("{}\n\n{json}", text(&old, &new, &d)));
    }
}

#[test]
fn no_change_is_said_so() {
    let case = root().join("tests/data/diff/reformatted");
    let (old, new) = (
        load(&case.join("old.mandate")),
        load(&case.join("new.mandate")),
    );
    assert_eq!(
        text(&old, &new, &diff(&old, &new)),
        "no change in meaning: old.mandate and new.mandate mean the same"
    );
}

#[test]
fn every_shipped_mandate_diffs_with_itself_as_no_change() {
    for path in [
        "rules/ashdown/ashdown.mandate",
        "rules/brackenmoor/brackenmoor.mandate",
        "tests/data/diff/ashdown-2026-02-draft.mandate",
    ] {
        let (a, b) = (load(&root().join(path)), load(&root().join(path)));
        assert!(diff(&a, &b).is_empty(), "{path}");
    }
}

#[test]
fn the_other_way_round_says_the_opposite() {
    let case = root().join("tests/data/diff/grant_widened_by_condition");
    let (old, new) = (
        load(&case.join("old.mandate")),
        load(&case.join("new.mandate")),
    );
    let back = diff(&new, &old);
    let Some(ChangeKind::RuleChanged { how, .. }) = back.changes.first().map(|c| &c.kind) else {
        panic!("{back:#?}");
    };
    assert!(matches!(
        how.first(),
        Some(RuleChange::BoundMoved {
            direction: Direction::Tightened,
            ..
        })
    ));
    let case = root().join("tests/data/diff/rule_added");
    let (old, new) = (
        load(&case.join("old.mandate")),
        load(&case.join("new.mandate")),
    );
    assert!(matches!(
        diff(&new, &old).changes.first().map(|c| &c.kind),
        Some(ChangeKind::RuleRemoved { rule: 4, .. })
    ));
}

#[test]
fn the_ashdown_draft() {
    let old = load(&root().join("tests/data/diff/ashdown-2026-02-draft.mandate"));
    let new = load(&root().join("rules/ashdown/ashdown.mandate"));
    let d = diff(&old, &new);
    let json = serde_json::to_string_pretty(&d).unwrap();
    insta::assert_snapshot!(format!("{}\n\n{json}", text(&old, &new, &d)));
}

/// The README shows this command and exactly what it prints.
#[test]
fn the_readme_example_is_what_the_binary_prints() {
    let args = [
        "diff",
        "tests/data/diff/ashdown-2026-02-draft.mandate",
        "rules/ashdown/ashdown.mandate",
    ];
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let printed = String::from_utf8(output.stdout).unwrap();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let shown = format!("$ mandate {}\n{printed}```", args.join(" "));
    assert!(
        readme.contains(&shown),
        "README.md must show, in a code block:\n{shown}"
    );
}

/// The meaning projections keep the order of a rule's topics and terms;
/// the diff does not report order alone (see `mandate::diff`).
#[test]
fn order_alone_is_no_change() {
    let case = root().join("tests/data/diff/topics_and_terms_reordered");
    let (old, new) = (
        load(&case.join("old.mandate")),
        load(&case.join("new.mandate")),
    );
    assert_ne!(old.meaning(), new.meaning());
    assert!(diff(&old, &new).is_empty());
}
