//! The benchmarks' mandate generator (`benches/support/generate.rs`) makes
//! what it says: at every size the benchmarks use, in the full language
//! and in the peer shape, the mandate loads with no error and has exactly
//! the rules asked for, and a sample of requests of each kind gets the
//! outcome the kind claims from `Mandate::check` (and the outcome the
//! generator's own evaluator expects).

#[path = "../benches/support/generate.rs"]
mod generate;

use generate::{generate, requests, Expected, Generated, Kind, Shape};
use mandate::{Mandate, Outcome, Proposal, Scripts, SourceFile};

fn day() -> chrono::NaiveDate {
    let (y, m, d) = generate::DAY_YMD;
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("the generator's day")
}

fn load(shape: &Shape) -> (Generated, Mandate) {
    let generated = generate(shape);
    let loaded = Mandate::from_source(
        SourceFile {
            name: shape.file_name(),
            text: generated.text.clone(),
        },
        Scripts::new(),
        day(),
    );
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{}: {errors:#?}", shape.file_name());
    let mandate = loaded.mandate.expect("no errors, so a mandate");
    (generated, mandate)
}

fn expected(outcome: Outcome) -> Expected {
    match outcome {
        Outcome::Agree => Expected::Agree,
        Outcome::Refer => Expected::Refer,
        Outcome::Redirect => Expected::Redirect,
        Outcome::Decline => Expected::Decline,
    }
}

fn check_sample(generated: &Generated, mandate: &Mandate, kind: Kind, n: usize) -> usize {
    let sample = requests(generated, kind, n, 99);
    for request in &sample {
        let proposal = Proposal::from_json(&request.proposal_json, "generated")
            .unwrap_or_else(|e| panic!("{e}: {}", request.proposal_json));
        let decision = mandate
            .check(&proposal, &request.representative, day())
            .expect("checked");
        let outcome = decision.outcome;
        let claimed = match kind {
            Kind::Hit => outcome == Outcome::Agree,
            Kind::Miss => outcome != Outcome::Agree && outcome != Outcome::Redirect,
            Kind::Redirect => outcome == Outcome::Redirect,
        };
        let rule = request.rule.map(|k| {
            let rep = generated
                .model
                .representatives
                .iter()
                .find(|r| r.id == request.representative)
                .expect("a generated representative");
            let rule = &rep.rules[k];
            format!("line {}: {}", rule.line, rule.text)
        });
        assert!(
            claimed && expected(outcome) == request.expected,
            "{}: a {kind:?} for {} got {outcome:?} (the generator expected {:?}); \
             built on {rule:?}\n{}",
            generated.model.shape.file_name(),
            request.representative,
            request.expected,
            request.proposal_json
        );
    }
    sample.len()
}

/// One size, in the full language and in the peer shape.
fn size(rules: usize) {
    for shape in [Shape::new(rules), Shape::peer(rules)] {
        let (generated, mandate) = load(&shape);
        let model = &generated.model;
        let counted: usize = model.representatives.iter().map(|r| r.rules.len()).sum();
        let compiled: usize = mandate
            .representatives()
            .iter()
            .map(|r| r.rules.len())
            .sum();
        assert_eq!(counted, rules, "{}", shape.file_name());
        assert_eq!(compiled, rules, "{}", shape.file_name());
        assert_eq!(mandate.representatives().len(), shape.representatives);
        assert!((1..=50).contains(&shape.representatives));
        assert!((3..=4).contains(&model.depth));
        let n = if rules >= 1_000 { 40 } else { 25 };
        assert_eq!(check_sample(&generated, &mandate, Kind::Hit, n), n);
        assert_eq!(check_sample(&generated, &mandate, Kind::Miss, n), n);
        let redirects = check_sample(&generated, &mandate, Kind::Redirect, n);
        if shape.peer {
            assert!(model.organisations.is_empty());
            assert_eq!(redirects, 0);
        } else {
            assert!(!model.organisations.is_empty());
            assert_eq!(redirects, n);
        }
    }
}

#[test]
fn ten_rules() {
    size(10);
}

#[test]
fn a_hundred_rules() {
    size(100);
}

#[test]
fn a_thousand_rules() {
    size(1_000);
}

#[test]
fn ten_thousand_rules() {
    size(10_000);
}

#[test]
fn the_same_shape_gives_the_same_mandate_and_requests() {
    let shape = Shape::new(100);
    let (a, b) = (generate(&shape), generate(&shape));
    assert_eq!(a.text, b.text);
    let first: Vec<String> = requests(&a, Kind::Hit, 10, 3)
        .into_iter()
        .map(|r| r.proposal_json)
        .collect();
    let again: Vec<String> = requests(&b, Kind::Hit, 10, 3)
        .into_iter()
        .map(|r| r.proposal_json)
        .collect();
    assert_eq!(first, again);
    assert_ne!(generate(&shape.with_seed(18)).text, a.text);
}

#[test]
fn the_peer_shape_uses_only_what_cedar_expresses() {
    let generated = generate(&Shape::peer(1_000));
    let model = &generated.model;
    assert!(model.organisations.is_empty() && model.priorities.is_empty());
    for rep in &model.representatives {
        assert!(rep.forums.is_empty() && rep.valid_from.is_none() && rep.valid_until.is_none());
        for rule in &rep.rules {
            assert_ne!(rule.effect, generate::Effect::Refer, "{}", rule.text);
            let mut fields = Vec::new();
            if let Some(when) = &rule.when {
                when.fields(&mut fields);
            }
            for f in fields {
                let spec = generate::FIELDS.iter().find(|s| s.name == f);
                assert!(spec.is_some_and(|s| s.peer), "{f} in {}", rule.text);
            }
        }
    }
    assert!(!generated.text.contains("principle "));
    // Every request gives every field a rule reads.
    for request in requests(&generated, Kind::Miss, 50, 5) {
        assert_eq!(request.fields.len(), model.fields.len());
    }
}

#[test]
fn principles_can_be_added() {
    let generated = generate(&Shape::new(100));
    let text = generated.with_principles(3);
    let loaded = Mandate::from_source(
        SourceFile {
            name: "with-principles.mandate".into(),
            text,
        },
        Scripts::new(),
        day(),
    );
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let mandate = loaded.mandate.expect("a mandate");
    assert_eq!(mandate.principles().len(), 3);
    for request in requests(&generated, Kind::Hit, 10, 1) {
        let proposal = Proposal::from_json(&request.proposal_json, "p").expect("a proposal");
        let decision = mandate
            .check(&proposal, &request.representative, day())
            .expect("checked");
        assert_eq!(
            decision.outcome,
            Outcome::Agree,
            "{}",
            request.proposal_json
        );
    }
}
