//! The embedding API, used as the README's "Using it as a library" and
//! `examples/embed.rs` use it, from outside the crate: if a signature the
//! README shows changes, this stops compiling; if what it gives changes,
//! the shipped proposals' outcomes below catch it.

use chrono::NaiveDate;
use mandate::check::{MandateRef, Owner, PrincipleResult};
use mandate::source::Script;
use mandate::{
    report, wording, CheckError, Checked, Decision, Diagnostic, Level, Loaded, Mandate, Outcome,
    Proposal, ProposalError, Scripts, SourceFile, Whom,
};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).expect("a date")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const ASHDOWN: &str = "rules/ashdown/ashdown.mandate";

/// The shipped Ashdown proposals, each for the representative it names
/// (`patel`), with the outcome `tests/cli.rs` asserts for the command.
const PROPOSALS: &[(&str, Outcome)] = &[
    ("ag-cardiology", Outcome::Agree),
    ("frailty-virtual-ward-2027", Outcome::Refer),
    ("phlebotomy-les", Outcome::Redirect),
];

/// As the README: load from a path, print the diagnostics, keep the mandate.
fn ashdown() -> Mandate {
    let loaded: Loaded = Mandate::load(&root().join(ASHDOWN), day());
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.mandate.expect("Ashdown has no errors")
}

fn proposal(name: &str) -> Proposal {
    let path = root().join(format!("rules/ashdown/proposals/{name}.json"));
    let text = std::fs::read_to_string(path).expect("a shipped proposal");
    Proposal::from_json(&text, name).expect("a valid proposal")
}

fn proposals() -> Vec<Proposal> {
    PROPOSALS.iter().map(|(name, _)| proposal(name)).collect()
}

#[test]
fn the_readme_example_checks_a_shipped_proposal() {
    let mandate = ashdown();
    let proposal = proposal("ag-cardiology");
    // The proposal's own id wins over the default given to from_json.
    assert_eq!(proposal.id, "2026-12-cardiology-ag");
    let decision: Decision = mandate.check(&proposal, "patel", day()).expect("checked");
    assert_eq!(decision.outcome, Outcome::Agree);
    assert_eq!(decision.outcome.as_str(), "agree");
    assert_eq!(decision.representative, "patel");
    assert_eq!(decision.proposal, "2026-12-cardiology-ag");
    assert_eq!(
        decision.title,
        "Advice and guidance before routine cardiology referral"
    );
    let MandateRef { group, sha256 } = &decision.mandate;
    assert_eq!(sha256, mandate.sha256());
    assert_eq!(group, &mandate.group().name);
    let json = serde_json::to_string_pretty(&decision).expect("serializable");
    assert!(json.contains("\"outcome\": \"agree\""), "{json}");
}

#[test]
fn every_shipped_proposal_gets_its_outcome_on_several_threads() {
    // As examples/embed.rs: one mandate, shared, checked on threads.
    let mandate = Arc::new(ashdown());
    let handles: Vec<_> = PROPOSALS
        .iter()
        .map(|(name, outcome)| {
            let mandate = Arc::clone(&mandate);
            let proposal = proposal(name);
            let outcome = *outcome;
            std::thread::spawn(move || {
                let decision = mandate.check(&proposal, "patel", day()).expect("checked");
                (proposal.id.clone(), outcome, decision.outcome)
            })
        })
        .collect();
    for handle in handles {
        let (id, expected, got) = handle.join().expect("no thread panics");
        assert_eq!(got, expected, "{id}");
    }
}

#[test]
fn loading_from_text_gives_the_same_mandate_as_loading_the_file() {
    let folder = root().join("rules/ashdown");
    let read = |name: &str| std::fs::read_to_string(folder.join(name)).expect("readable");
    let mut scripts = Scripts::new();
    for script in ["principles/continuity.rhai", "principles/funded_work.rhai"] {
        scripts.insert(
            script.to_string(),
            Script::Loaded(SourceFile {
                name: script.to_string(),
                text: read(script),
            }),
        );
    }
    let rule_file = SourceFile {
        name: "ashdown.mandate".into(),
        text: read("ashdown.mandate"),
    };
    let loaded = Mandate::from_source(rule_file, scripts, day());
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    assert_eq!(loaded.sources.len(), 3, "the rule file and two scripts");
    let from_text = loaded.mandate.expect("no errors");
    let from_file = ashdown();
    assert_eq!(from_text.sha256(), from_file.sha256());
    assert!(from_text.same_meaning(&from_file));
    for (name, outcome) in PROPOSALS {
        let proposal = proposal(name);
        let a = from_text.check(&proposal, "patel", day()).expect("checked");
        let b = from_file.check(&proposal, "patel", day()).expect("checked");
        assert_eq!(a, b, "{name}");
        assert_eq!(a.outcome, *outcome, "{name}");
    }
}

#[test]
fn check_all_decides_for_every_representative_as_check_does() {
    let mandate = ashdown();
    let ids: Vec<&str> = mandate
        .representatives()
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ids, ["patel", "okafor", "hughes"]);
    for proposal in proposals() {
        let all = mandate.check_all(&proposal, day()).expect("checked");
        assert_eq!(all.len(), ids.len());
        for (decision, id) in all.iter().zip(&ids) {
            assert_eq!(decision.representative, *id);
            let one = mandate.check(&proposal, id, day()).expect("checked");
            assert_eq!(&one, decision, "{} for {id}", proposal.id);
        }
    }
    // The bloods LES is the LMC's whoever carries it.
    let les = mandate
        .check_all(&proposal("phlebotomy-les"), day())
        .expect("checked");
    assert!(les.iter().all(|d| d.outcome == Outcome::Redirect));
    assert!(les.iter().all(|d| d.redirect_to == ["lmc"]), "{les:?}");
    let topic = les[0].topics.first().expect("a topic");
    let owners: &[Owner] = topic.owners.as_deref().expect("owned");
    assert_eq!(owners.first().map(|o| o.id.as_str()), Some("lmc"));
}

#[test]
fn check_each_checks_for_whom_it_is_told() {
    let mandate = ashdown();
    let proposals = proposals();

    // As each proposal names: patel, three times.
    let checked: Checked = mandate
        .check_each(&proposals, &Whom::AsProposed, day())
        .expect("checked");
    assert!(!checked.single);
    let outcomes: Vec<Outcome> = checked.decisions.iter().map(|d| d.outcome).collect();
    let expected: Vec<Outcome> = PROPOSALS.iter().map(|(_, o)| *o).collect();
    assert_eq!(outcomes, expected);
    assert!(checked
        .decisions
        .iter()
        .all(|d| d.representative == "patel"));

    // These ids, each once, in the order given.
    let named = Whom::Named(vec!["okafor".into(), "patel".into(), "okafor".into()]);
    let checked = mandate
        .check_each(&proposals, &named, day())
        .expect("checked");
    let who: Vec<&str> = checked
        .decisions
        .iter()
        .map(|d| d.representative.as_str())
        .collect();
    assert_eq!(who, ["okafor", "patel"].repeat(3));

    // Everyone, in file order, whatever the proposal names.
    let checked = mandate
        .check_each(&proposals, &Whom::All, day())
        .expect("checked");
    assert_eq!(checked.decisions.len(), 9);
    assert_eq!(checked.decisions[1].representative, "okafor");

    // One proposal for one named representative is one JSON object.
    let one = mandate
        .check_each(&proposals[..1], &Whom::AsProposed, day())
        .expect("checked");
    assert!(one.single);
    let json: serde_json::Value =
        serde_json::from_str(&one.to_json().expect("JSON")).expect("valid JSON");
    assert_eq!(json["outcome"], "agree");
    assert_eq!(json["representative"], "patel");

    // An unknown id names the proposal and suggests the known one.
    let error = mandate
        .check_each(&proposals, &Whom::Named(vec!["patl".into()]), day())
        .expect_err("no such representative");
    assert_eq!(error.proposal, "2026-12-cardiology-ag");
    match &error.error {
        CheckError::UnknownRepresentative { suggestion, .. } => {
            assert_eq!(suggestion.as_deref(), Some("patel"));
        }
        other => panic!("unexpected error: {other:?}"),
    }
    assert!(
        error.error.help().contains("patel"),
        "{}",
        error.error.help()
    );
}

#[test]
fn a_decision_reads_back_from_its_json() {
    let mandate = ashdown();
    let decisions = mandate
        .check_each(&proposals(), &Whom::All, day())
        .expect("checked")
        .decisions;
    for decision in &decisions {
        let json = serde_json::to_string(decision).expect("serializable");
        let back: Decision = serde_json::from_str(&json).expect("deserializable");
        assert_eq!(&back, decision);
    }
    let array = report::json(&decisions, false).expect("JSON");
    let back: Vec<Decision> = serde_json::from_str(&array).expect("an array of decisions");
    assert_eq!(back, decisions);
    let object = report::json(&decisions[..1], true).expect("JSON");
    let back: Decision = serde_json::from_str(&object).expect("one decision");
    assert_eq!(back, decisions[0]);
    // The principles' results are in the decision, in file order.
    let principles: &[PrincipleResult] = &decisions[0].principles;
    let ids: Vec<&str> = principles.iter().map(|p| p.id.as_str()).collect();
    let declared: Vec<&str> = mandate.principles().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, declared);
}

#[test]
fn the_reports_render_the_decisions() {
    let mandate = ashdown();
    let decisions = mandate
        .check_each(&proposals(), &Whom::AsProposed, day())
        .expect("checked")
        .decisions;
    for decision in &decisions {
        let text = report::text(decision, &mandate, false);
        assert!(text.contains(&decision.title), "{text}");
        for reason in &decision.reasons {
            assert!(text.contains(reason.as_str()), "{reason}\n{text}");
        }
        assert!(!text.contains('\u{1b}'), "no colour asked for: {text}");
    }
    // One line per decision, in order: the outcome word, the title (cut to
    // fit), the representative's name and the line that decided it; then
    // the counts.
    let summary = report::summary(&decisions, &mandate);
    let lines: Vec<&str> = summary.lines().collect();
    let deciding = ["line 163: ", "line 188: ", "line 26: "];
    for ((line, (_, outcome)), decided) in lines.iter().zip(PROPOSALS).zip(deciding) {
        assert!(line.starts_with(outcome.as_str()), "{line}");
        assert!(line.contains("Dr Asha Patel"), "{line}");
        assert!(line.contains(decided), "{line}");
    }
    assert_eq!(
        lines.last().copied(),
        Some("1 agree, 1 refer, 1 redirect, 0 decline")
    );
}

#[test]
fn every_rule_is_worded_without_a_proposal() {
    let mandate = ashdown();
    let mut worded = 0;
    for rep in mandate.representatives() {
        for rule in &rep.rules {
            let words = wording::rule(&mandate, rep, rule);
            let start = format!("Line {}: {} ", rule.line, rep.name);
            assert!(words.starts_with(&start), "{words}");
            assert!(words.ends_with('.'), "{words}");
            if let Some(condition) = &rule.condition {
                let condition = wording::condition(condition);
                assert!(!condition.is_empty());
                assert!(words.contains(&condition), "{words} / {condition}");
            }
            worded += 1;
        }
    }
    assert!(worded > 20, "Ashdown has more rules than {worded}");
}

#[test]
fn a_broken_mandate_gives_diagnostics_that_read_back_from_json() {
    let text = "group \"G\" { place \"P\" }\n\
                representative r \"R\" { may agree interface }\n\
                representative r \"Again\" { refer * }\n";
    let loaded = Mandate::from_source(
        SourceFile {
            name: "broken.mandate".into(),
            text: text.into(),
        },
        Scripts::new(),
        day(),
    );
    assert!(loaded.mandate.is_none());
    assert!(loaded.has_errors());
    let error = loaded
        .diagnostics
        .iter()
        .find(|d| d.level == Level::Error)
        .expect("an error");
    assert_eq!(error.file, "broken.mandate");
    assert_eq!(error.line, 3);
    assert!(error.help.is_some(), "{error:?}");
    let rendered = error.render(Some(text), false);
    assert!(rendered.contains("broken.mandate:3:"), "{rendered}");
    let json = serde_json::to_string(&loaded.diagnostics).expect("serializable");
    let back: Vec<Diagnostic> = serde_json::from_str(&json).expect("deserializable");
    assert_eq!(back, loaded.diagnostics);
}

#[test]
fn a_bad_proposal_says_where() {
    let error: ProposalError =
        Proposal::from_json("{\n  \"title\": \"x\",\n  \"topics\": 3\n}", "bad")
            .expect_err("topics must be a list");
    assert_eq!(error.line(), 3, "{error}");
    assert!(!error.help().is_empty());
}

#[test]
fn the_documented_limits_are_the_readmes() {
    use mandate::limits::*;
    assert_eq!(MAX_FILE_BYTES, 4 * 1024 * 1024);
    assert_eq!(MAX_SCRIPT_BYTES, 256 * 1024);
    assert_eq!(MAX_DECLARATIONS, 50_000);
    assert_eq!(MAX_RULES, 200_000);
    assert_eq!(MAX_NESTING, 64);
    assert_eq!(MAX_BRACKETS, 100_000);
    assert_eq!(MAX_TEXT_CHARS, 1_000);
    assert_eq!(MAX_TOPIC_SEGMENTS, 32);
    assert_eq!(MAX_PROPOSAL_BYTES, 1024 * 1024);
    assert_eq!(MAX_PROPOSAL_DEPTH, 32);
    assert_eq!(MAX_TOPICS, 1_000);
    assert_eq!(MAX_TRACE_ENTRIES, 100_000);
    assert_eq!(MAX_DECISION_BYTES, 16 * 1024 * 1024);
    assert_eq!(STEPS_PER_PRINCIPLE, 100_000);
    assert_eq!(STEPS_PER_CHECK, 200_000);
    assert_eq!(MAX_CALL_LEVELS, 32);
    assert_eq!((MAX_EXPR_DEPTH, MAX_FN_EXPR_DEPTH), (64, 32));
    assert_eq!(MAX_STRING_SIZE, 16_384);
    assert_eq!((MAX_ARRAY_SIZE, MAX_MAP_SIZE), (10_000, 10_000));
    assert_eq!((MAX_VARIABLES, MAX_FUNCTIONS), (256, 64));
    assert_eq!(WALL_CLOCK_CEILING, std::time::Duration::from_secs(1));
    assert_eq!(MAX_DIAGNOSTICS, 500);
    assert_eq!((MAX_NAMES_IN_A_SENTENCE, MAX_NAMES_LISTED), (12, 5));
    assert_eq!(MAX_VALUE_CHARS, 60);
    assert_eq!((MAX_SUGGESTION_CHARS, MAX_SUGGESTIONS), (64, 20));
}

/// A mandate can be shared between threads, as the README says.
#[test]
fn a_mandate_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Mandate>();
    shareable::<Decision>();
    let _: fn(&Path, NaiveDate) -> Loaded = Mandate::load;
}
