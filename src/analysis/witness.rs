//! Witnesses: a proposal for each finding, checked by [`Mandate::check`]
//! itself, principles and all. The grid decides from rules and gates
//! alone; the check is the judge. Where a principle makes both refer or
//! decline, other values of the fields the principle reads are tried
//! before the finding is called masked.

use serde_json::{Map, Value as Json};

use super::merge::Cube;
use super::space::Space;
use super::Witness;
use crate::check::{Outcome, PrincipleOutcome};
use crate::proposal::Proposal;
use crate::syntax::ast::Severity;

/// Most proposals tried for one finding.
const MAX_ATTEMPTS: usize = 48;

/// Values tried for a field a principle reads.
fn trial_values() -> Vec<Option<Json>> {
    vec![
        None,
        Some(Json::Bool(false)),
        Some(Json::Bool(true)),
        Some(Json::from(0)),
        Some(Json::String(String::new())),
        Some(Json::Array(Vec::new())),
    ]
}

/// Finds a witness for a finding whose cells are `cubes`: a proposal on
/// which the check gives `claim` for `reps` (indices into the mandate's
/// representatives).
pub(crate) fn confirm(
    space: &Space<'_>,
    cubes: &[Cube],
    reps: (usize, usize),
    claim: (Outcome, Outcome),
) -> Witness {
    let mut first: Option<(Json, Vec<Outcome>, Vec<String>)> = None;
    let attempts = std::cell::Cell::new(0usize);
    let tried = |proposal: Json, first: &mut Option<(Json, Vec<Outcome>, Vec<String>)>| {
        attempts.set(attempts.get() + 1);
        let (outcomes, blockers) = check(space, &proposal, reps);
        let confirmed = outcomes.as_slice() == [claim.0, claim.1];
        if first.is_none() {
            *first = Some((proposal.clone(), outcomes.clone(), blockers));
        }
        confirmed.then_some(Witness {
            proposal,
            outcomes,
            confirmed: true,
            masked_by: Vec::new(),
        })
    };
    // The plainest cell of each cube, then other members of its classes.
    for cube in cubes.iter().take(4) {
        let cell: Vec<usize> = cube
            .iter()
            .enumerate()
            .map(|(g, set)| {
                set.iter()
                    .copied()
                    .min_by_key(|c| space.class_plainness(g, *c))
                    .unwrap_or(0)
            })
            .collect();
        for choice in 0..space.choices_at(&cell).min(4) {
            if let Some(w) = tried(proposal(space, &space.fields_at(&cell, choice)), &mut first) {
                return w;
            }
        }
    }
    let Some((base, outcomes, blockers)) = first else {
        return Witness {
            proposal: Json::Null,
            outcomes: Vec::new(),
            confirmed: false,
            masked_by: Vec::new(),
        };
    };
    // Other values of the fields the blocking principles read.
    let fields = principle_fields(space, &blockers);
    for value in trial_values() {
        if attempts.get() >= MAX_ATTEMPTS || fields.is_empty() {
            break;
        }
        let mut variant = base.clone();
        if let Json::Object(map) = &mut variant {
            for f in &fields {
                set(map, f, value.clone());
            }
        }
        if let Some(w) = tried(variant, &mut None) {
            return w;
        }
    }
    for f in &fields {
        for value in trial_values() {
            if attempts.get() >= MAX_ATTEMPTS {
                break;
            }
            let mut variant = base.clone();
            if let Json::Object(map) = &mut variant {
                set(map, f, value);
            }
            if let Some(w) = tried(variant, &mut None) {
                return w;
            }
        }
    }
    Witness {
        proposal: base,
        outcomes,
        confirmed: false,
        masked_by: blockers,
    }
}

fn set(map: &mut Map<String, Json>, field: &str, value: Option<Json>) {
    match value {
        Some(v) => {
            map.insert(field.to_string(), v);
        }
        None => {
            map.remove(field);
        }
    }
}

/// The proposal of a cell: the README's form, `title`, `topics`, `forum`
/// and `date` first, then the fields.
pub(crate) fn proposal(space: &Space<'_>, fields: &Map<String, Json>) -> Json {
    let scope = &space.scope;
    let mut map = Map::new();
    let label = scope
        .mandate
        .declared(&scope.topic)
        .map_or(scope.topic.clone(), |d| d.label.clone());
    map.insert("title".into(), Json::String(format!("Example: {label}")));
    map.insert(
        "topics".into(),
        Json::Array(vec![Json::String(scope.topic.clone())]),
    );
    if let Some(Some(forum)) = scope.forums.first() {
        map.insert("forum".into(), Json::String(forum.clone()));
    }
    map.insert("date".into(), Json::String(scope.today.to_string()));
    for (k, v) in fields {
        map.insert(k.clone(), v.clone());
    }
    Json::Object(map)
}

/// The check's outcomes for both representatives, and the principles that
/// held either back (violated with effect, or in error).
fn check(
    space: &Space<'_>,
    proposal: &Json,
    (a, b): (usize, usize),
) -> (Vec<Outcome>, Vec<String>) {
    let mandate = space.scope.mandate;
    let text = proposal.to_string();
    let Ok(parsed) = Proposal::from_json(&text, "example") else {
        return (Vec::new(), Vec::new());
    };
    let mut outcomes = Vec::new();
    let mut blockers: Vec<String> = Vec::new();
    for rep in [a, b] {
        let Some(rep) = mandate.representatives.get(rep) else {
            continue;
        };
        match mandate.check(&parsed, &rep.id, space.scope.today) {
            Ok(decision) => {
                outcomes.push(decision.outcome);
                for p in &decision.principles {
                    let holds_back = match (p.result, p.severity) {
                        (PrincipleOutcome::Upheld, _) => false,
                        (PrincipleOutcome::Error, _) => true,
                        (PrincipleOutcome::Violated, s) => s != Severity::Advisory,
                    };
                    if holds_back && !blockers.contains(&p.id) {
                        blockers.push(p.id.clone());
                    }
                }
            }
            Err(_) => return (Vec::new(), Vec::new()),
        }
    }
    (outcomes, blockers)
}

/// The top-level proposal fields the principles `ids` read that no rule
/// of the space reads (so changing them keeps the cell).
fn principle_fields(space: &Space<'_>, ids: &[String]) -> Vec<String> {
    let mandate = space.scope.mandate;
    let ruled: Vec<String> = space
        .groups
        .iter()
        .flat_map(|g| g.paths.iter())
        .map(|p| p.split('.').next().unwrap_or_default().to_string())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for id in ids {
        let Some(principle) = mandate.principle(id) else {
            continue;
        };
        for read in &principle.reads.reads {
            let Some(name) = read.path.first() else {
                continue;
            };
            let reserved = matches!(name.as_str(), "title" | "topics" | "forum" | "date");
            if !reserved && !ruled.contains(name) && !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}
