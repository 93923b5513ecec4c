//! What the check-path benchmarks share (`benches/check.rs`,
//! `benches/batch.rs`, `benches/instructions.rs`): a generated mandate
//! loaded, the day of the check, one request of a kind made ready to
//! check, and the floor every check is measured against.
//!
//! Included beside the generator, which it reads as `crate::generate`:
//!
//! ```ignore
//! #[path = "support/generate.rs"]
//! mod generate;
//! #[path = "support/fixture.rs"]
//! mod fixture;
//! ```
#![allow(dead_code)]

use crate::generate::{self, Generated, Kind, Shape};
use mandate::{Mandate, Proposal, Scripts, SourceFile};
use std::collections::HashMap;

/// The day of every check: the generator's [`generate::DAY`].
pub fn day() -> chrono::NaiveDate {
    let (y, m, d) = generate::DAY_YMD;
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// `text` loaded as a mandate named `name`; panics on an error, as a
/// generated mandate has none (`tests/generate.rs`).
pub fn load(name: &str, text: &str) -> Mandate {
    let loaded = Mandate::from_source(
        SourceFile {
            name: name.to_owned(),
            text: text.to_owned(),
        },
        Scripts::new(),
        day(),
    );
    match loaded.mandate {
        Some(mandate) => mandate,
        None => panic!("{name} has errors: {:?}", loaded.diagnostics),
    }
}

/// The mandate of `shape`, generated and loaded.
pub fn generated(shape: &Shape) -> (Generated, Mandate) {
    let generated = generate::generate(shape);
    let mandate = load(&shape.file_name(), &generated.text);
    (generated, mandate)
}

/// One proposal ready to check, and whom to check it for.
#[derive(Debug, Clone)]
pub struct Case {
    /// The representative's id.
    pub representative: String,
    /// The proposal, parsed.
    pub proposal: Proposal,
    /// Its one topic.
    pub topic: String,
    /// Its `cost` field (0 when it has none): what the floor compares.
    pub cost: u32,
    /// What it was built to be.
    pub kind: Kind,
}

/// The seed every check-path benchmark draws its requests from.
pub const SEED: u64 = 17;

/// `n` requests of `kind` for `generated`, parsed.
pub fn cases(generated: &Generated, kind: Kind, n: usize) -> Vec<Case> {
    generate::requests(generated, kind, n, SEED)
        .into_iter()
        .map(|request| {
            let proposal = Proposal::from_json(&request.proposal_json, "generated")
                .unwrap_or_else(|e| panic!("{e}: {}", request.proposal_json));
            let cost = request
                .fields
                .iter()
                .find_map(|(name, value)| match (name.as_str(), value) {
                    ("cost", generate::Value::Int(c)) => u32::try_from(*c).ok(),
                    _ => None,
                })
                .unwrap_or(0);
            Case {
                representative: request.representative,
                proposal,
                topic: request.topic,
                cost,
                kind: request.kind,
            }
        })
        .collect()
}

/// The first request of `kind` for `generated`.
pub fn case(generated: &Generated, kind: Kind) -> Case {
    match cases(generated, kind, 1).pop() {
        Some(case) => case,
        None => panic!("{}: no {kind:?} request", generated.model.shape.file_name()),
    }
}

/// Panics unless checking `case` against `mandate` gives what its kind
/// claims (agree for a hit, redirect for a redirect, neither for a
/// miss): a benchmark times the path it says it times.
pub fn verify(mandate: &Mandate, case: &Case) {
    use mandate::Outcome;
    let outcome = match mandate.check(&case.proposal, &case.representative, day()) {
        Ok(decision) => decision.outcome,
        Err(e) => panic!("a {:?} request was refused: {e}", case.kind),
    };
    let fits = match case.kind {
        Kind::Hit => outcome == Outcome::Agree,
        Kind::Miss => !matches!(outcome, Outcome::Agree | Outcome::Redirect),
        Kind::Redirect => outcome == Outcome::Redirect,
    };
    assert!(fits, "a {:?} request got {outcome:?}", case.kind);
}

/// The floor: a limit for every declared topic, keyed by its path, as
/// the least a rules engine must do is find the topic and compare once.
pub fn floor_table(generated: &Generated) -> HashMap<String, u32> {
    generated
        .model
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.path.clone(), 1_000 + i as u32 * 10))
        .collect()
}

/// The floor's work: the topic looked up, its limit compared with `cost`.
#[inline(never)]
pub fn floor(table: &HashMap<String, u32>, topic: &str, cost: u32) -> bool {
    table.get(topic).is_some_and(|limit| cost <= *limit)
}
