//! The decision invariants (the README's "How a check decides"), as property tests over
//! random mandates and proposals from `tests/reference/generate.rs`:
//!
//! - forbid overrides grant;
//! - an unknown condition never yields `agree` for its topic, and knowing
//!   less (a field left out) never turns a topic into `agree`;
//! - adding a `may not agree` rule never makes an outcome less severe,
//!   adding a `may agree` rule never makes it more severe;
//! - rule order and duplicate rules do not change the decision (outcome,
//!   `redirect_to`, the trace as a multiset);
//! - a principle in `error`, of any severity, never yields `agree`;
//! - the same input gives byte-identical JSON, twice and from two threads
//!   sharing one `Arc<Mandate>`.
//!
//! 256 cases each by default; `PROPTEST_CASES` raises it.

mod reference;

use chrono::NaiveDate;
use mandate::{Decision, Mandate, Outcome};
use proptest::prelude::*;
use proptest::sample::Index;
use reference::generate::{self, Eff, MandateSpec, PrincipleSpec, ProposalSpec, RuleSpec};
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::sync::Arc;

use reference::config;

/// Principle code that always ends in `error`: a Rhai error, a throw, a
/// value of the wrong type, the operation limit, an index out of range,
/// runaway recursion, a map whose `upheld` is not a boolean.
const ERRORING: &[&str] = &[
    "let x = (); x.len()",
    "throw \"no\"",
    "42",
    "loop { }",
    "let a = []; a[5]",
    "fn f(x) { f(x) } f(1)",
    "#{ upheld: 1 }",
];

/// Compiles a spec (which must compile) and checks the proposal for every
/// representative.
fn decide(
    spec: &MandateSpec,
    proposal: &Json,
    day: NaiveDate,
) -> Result<Vec<Decision>, TestCaseError> {
    let text = spec.render();
    let mandate = generate::compile(&text)
        .map_err(|e| TestCaseError::fail(format!("{text}\ndoes not compile: {e}")))?;
    let proposal = generate::read_proposal(proposal).map_err(TestCaseError::fail)?;
    mandate
        .check_all(&proposal, day)
        .map_err(|e| TestCaseError::fail(e.to_string()))
}

fn show(spec: &MandateSpec, proposal: &Json) -> String {
    format!("--- mandate\n{}--- proposal\n{proposal}", spec.render())
}

/// The rule traces of a decision, topic by topic: `None` for a redirected
/// topic.
fn traces(decision: &Decision) -> Vec<Option<&[mandate::check::RuleTrace]>> {
    decision.topics.iter().map(|t| t.rules.as_deref()).collect()
}

proptest! {
    #![proptest_config(config())]

    /// A `may not agree` rule that is true makes its topic `decline`, and
    /// the whole decision with it, whatever grants there are.
    #[test]
    fn a_true_forbid_declines(
        spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
    ) {
        let json = proposal.resolve(&spec);
        for decision in decide(&spec, &json, day)? {
            for topic in &decision.topics {
                let forbidden = topic.rules.iter().flatten().any(|r| {
                    r.effect == mandate::compile::Effect::MayNotAgree && r.condition == "true"
                });
                if forbidden {
                    prop_assert_eq!(topic.outcome, Outcome::Decline, "{}", show(&spec, &json));
                    prop_assert_eq!(decision.outcome, Outcome::Decline, "{}", show(&spec, &json));
                }
            }
        }
    }

    /// "A narrower `may agree` does not undo a broader `may not agree`":
    /// an unconditional forbid of a topic's first segment (or `*`) and an
    /// unconditional grant of the topic itself, anywhere among the rules,
    /// decline the topic unless an organisation owns it.
    #[test]
    fn forbid_overrides_a_narrower_grant(
        mut spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
        which_rep in any::<Index>(),
        which_topic in any::<Index>(),
        grant_at in any::<Index>(),
        forbid_at in any::<Index>(),
        everything in any::<bool>(),
    ) {
        let topic = generate::TOPICS[proposal.topics[which_topic.index(proposal.topics.len())]];
        let broad = if everything {
            "*"
        } else {
            broad_pattern(topic)
        };
        let r = which_rep.index(spec.representatives.len());
        let rules = &mut spec.representatives[r].rules;
        let plain = |effect, pattern| RuleSpec {
            effect,
            topics: vec![pattern],
            except: Vec::new(),
            at: None,
            when: None,
            split: false,
        };
        rules.insert(forbid_at.index(rules.len() + 1), plain(Eff::Forbid, broad));
        rules.insert(grant_at.index(rules.len() + 1), plain(Eff::Grant, topic));
        let json = proposal.resolve(&spec);
        let decision = &decide(&spec, &json, day)?[r];
        let entry = decision.topics.iter().find(|t| t.topic == topic);
        prop_assert!(entry.is_some(), "{}", show(&spec, &json));
        if let Some(entry) = entry {
            if entry.rules.is_some() {
                prop_assert_eq!(entry.outcome, Outcome::Decline, "{}", show(&spec, &json));
                prop_assert_eq!(decision.outcome, Outcome::Decline, "{}", show(&spec, &json));
            }
        }
    }

    /// A topic is `agree` only when a `may agree` rule is true and no
    /// `refer` or `may not agree` rule is true or unknown: an unknown
    /// condition never yields `agree`.
    #[test]
    fn an_unknown_condition_never_agrees(
        spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
    ) {
        use mandate::compile::Effect;
        let json = proposal.resolve(&spec);
        for decision in decide(&spec, &json, day)? {
            for topic in &decision.topics {
                let Some(rules) = &topic.rules else { continue };
                if topic.outcome == Outcome::Agree {
                    let granted = rules
                        .iter()
                        .any(|r| r.effect == Effect::MayAgree && r.condition == "true");
                    let held_back = rules
                        .iter()
                        .any(|r| r.effect != Effect::MayAgree && r.condition != "false");
                    prop_assert!(granted && !held_back, "{}\n{:#?}", show(&spec, &json), topic);
                }
                if rules.iter().all(|r| r.condition != "true") {
                    prop_assert_ne!(topic.outcome, Outcome::Agree, "{}", show(&spec, &json));
                }
            }
        }
    }

    /// Knowing less never gives `agree`: leaving a field out of the
    /// proposal (which turns what it decided into unknown) never turns a
    /// topic, or the whole decision, into `agree`. (Principles here read
    /// only `p`, so leaving out another field leaves them alone.)
    #[test]
    fn leaving_a_field_out_never_agrees(
        spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
        which in any::<Index>(),
    ) {
        let json = proposal.resolve(&spec);
        let roots = ["n", "s", "d", "b", "l", "o"];
        let root = roots[which.index(roots.len())];
        let mut less = json.clone();
        if let Some(map) = less.as_object_mut() {
            map.remove(root);
        }
        let before = decide(&spec, &json, day)?;
        let after = decide(&spec, &less, day)?;
        for (b, a) in before.iter().zip(&after) {
            for (tb, ta) in b.topics.iter().zip(&a.topics) {
                if tb.outcome != Outcome::Agree {
                    prop_assert_ne!(ta.outcome, Outcome::Agree, "without `{}`\n{}", root, show(&spec, &json));
                }
            }
            if b.outcome != Outcome::Agree {
                prop_assert_ne!(a.outcome, Outcome::Agree, "without `{}`\n{}", root, show(&spec, &json));
            }
        }
    }

    /// Adding a `may not agree` rule never makes an outcome less severe;
    /// adding a `may agree` rule never makes it more severe; adding a
    /// `refer` rule never makes it less severe. Topic by topic and overall.
    #[test]
    fn adding_a_rule_moves_the_outcome_one_way(
        mut spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
        which_rep in any::<Index>(),
        at in any::<Index>(),
        extra in generate::rule(),
    ) {
        let json = proposal.resolve(&spec);
        let before = decide(&spec, &json, day)?;
        let r = which_rep.index(spec.representatives.len());
        let rules = &mut spec.representatives[r].rules;
        rules.insert(at.index(rules.len() + 1), extra.clone());
        let after = decide(&spec, &json, day)?;
        let (b, a) = (&before[r], &after[r]);
        let pairs = b
            .topics
            .iter()
            .map(|t| t.outcome)
            .zip(a.topics.iter().map(|t| t.outcome))
            .chain(std::iter::once((b.outcome, a.outcome)));
        for (old, new) in pairs {
            match extra.effect {
                Eff::Forbid | Eff::Refer => {
                    prop_assert!(new >= old, "{:?} -> {:?} adding `{}`\n{}", old, new, extra.render(), show(&spec, &json))
                }
                Eff::Grant => {
                    prop_assert!(new <= old, "{:?} -> {:?} adding `{}`\n{}", old, new, extra.render(), show(&spec, &json))
                }
            }
        }
        // The others' lines may move, their decisions may not.
        let outcomes = |d: &Decision| {
            let topics: Vec<Outcome> = d.topics.iter().map(|t| t.outcome).collect();
            (d.outcome, topics)
        };
        for (i, (b, a)) in before.iter().zip(&after).enumerate() {
            if i != r {
                prop_assert_eq!(outcomes(b), outcomes(a), "another representative changed");
            }
        }
    }

    /// Shuffling a representative's rules changes nothing but the lines:
    /// the same outcome, `redirect_to`, topic outcomes, and each topic's
    /// trace as a multiset of (rule, effect, condition, unknown fields).
    #[test]
    fn rule_order_does_not_change_the_decision(
        spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
        keys in prop::collection::vec(any::<u32>(), 8),
    ) {
        let mut shuffled = spec.clone();
        let mut order: Vec<Vec<usize>> = Vec::new();
        for rep in &mut shuffled.representatives {
            let mut ids: Vec<usize> = (0..rep.rules.len()).collect();
            ids.sort_by_key(|i| keys[i % keys.len()].wrapping_mul(*i as u32 + 1));
            rep.rules = ids.iter().map(|i| rep.rules[*i].clone()).collect();
            order.push(ids);
        }
        same_decisions(&spec, &shuffled, &order, &proposal, day, false)?;
    }

    /// Writing some rules twice changes nothing but the trace's repeats:
    /// the same outcome, `redirect_to`, topic outcomes, and each topic's
    /// trace as a set.
    #[test]
    fn duplicate_rules_do_not_change_the_decision(
        spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
        copies in prop::collection::vec((any::<Index>(), any::<Index>()), 1..4),
    ) {
        let mut doubled = spec.clone();
        let mut order: Vec<Vec<usize>> = doubled
            .representatives
            .iter()
            .map(|r| (0..r.rules.len()).collect())
            .collect();
        for (which, at) in &copies {
            for (rep, ids) in doubled.representatives.iter_mut().zip(&mut order) {
                let original = which.index(ids.len());
                let copy = rep.rules[original].clone();
                let place = at.index(ids.len() + 1);
                ids.insert(place, ids[original]);
                rep.rules.insert(place, copy);
            }
        }
        same_decisions(&spec, &doubled, &order, &proposal, day, true)?;
    }

    /// A principle in `error` makes the outcome at least `refer`, whatever
    /// its severity (advisory included) and wherever it is declared.
    #[test]
    fn a_principle_in_error_never_agrees(
        mut spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
        code in 0..ERRORING.len(),
        severity in prop::sample::select(&[None, Some("blocking"), Some("refer"), Some("advisory")][..]),
        at in any::<Index>(),
    ) {
        let place = at.index(spec.principles.len() + 1);
        spec.principles.insert(place, PrincipleSpec { severity, code: ERRORING[code] });
        let text = spec.render();
        let mandate = generate::compile(&text).map_err(TestCaseError::fail)?;
        let json = proposal.resolve(&spec);
        let read = generate::read_proposal(&json).map_err(TestCaseError::fail)?;
        let decisions = mandate
            .check_all(&read, day)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for decision in decisions {
            let result = &decision.principles[place];
            prop_assert_eq!(
                result.result,
                mandate::check::PrincipleOutcome::Error,
                "`{}` gave {:?}\n{}", ERRORING[code], result, text
            );
            prop_assert_ne!(decision.outcome, Outcome::Agree, "{}\n{}", text, json);
        }
    }

    /// The same input gives byte-identical JSON: twice in a row, after
    /// compiling the text again, and from two threads sharing one
    /// `Arc<Mandate>`.
    #[test]
    fn the_same_input_gives_byte_identical_json(
        spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
    ) {
        let text = spec.render();
        let json = proposal.resolve(&spec);
        let read = generate::read_proposal(&json).map_err(TestCaseError::fail)?;
        let mandate = Arc::new(generate::compile(&text).map_err(TestCaseError::fail)?);
        let render = |m: &Mandate| -> Result<Vec<String>, String> {
            let all = m.check_all(&read, day).map_err(|e| e.to_string())?;
            let mut out = vec![mandate::report::json(&all, false)
                .map_err(|e| e.to_string())?];
            for rep in m.representatives() {
                let one = m.check(&read, &rep.id, day).map_err(|e| e.to_string())?;
                out.push(mandate::report::json(&[one], true).map_err(|e| e.to_string())?);
            }
            Ok(out)
        };
        let first = render(&mandate).map_err(TestCaseError::fail)?;
        let second = render(&mandate).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&first, &second, "twice");
        let again = generate::compile(&text).map_err(TestCaseError::fail)?;
        prop_assert_eq!(&first, &render(&again).map_err(TestCaseError::fail)?, "compiled again");
        let from_threads: Vec<Result<Vec<String>, String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let shared = Arc::clone(&mandate);
                    let render = &render;
                    scope.spawn(move || render(&shared))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("a thread panicked".into())))
                .collect()
        });
        for got in from_threads {
            prop_assert_eq!(&first, &got.map_err(TestCaseError::fail)?, "from another thread");
        }
    }
}

/// The broadest pattern above `topic`: its first segment.
fn broad_pattern(topic: &'static str) -> &'static str {
    topic.split('.').next().unwrap_or(topic)
}

/// A trace entry with its line replaced by the rule it came from.
type Entry = (usize, String, String, Vec<String>);

/// Each topic's trace, as (original rule index, effect, condition,
/// unknown fields), counted. `ids[k]` is the original index of the `k`-th
/// rule as written.
fn counted(
    decision: &Decision,
    lines: &[u32],
    ids: &[usize],
    as_set: bool,
) -> Vec<Option<BTreeMap<Entry, usize>>> {
    traces(decision)
        .into_iter()
        .map(|trace| {
            trace.map(|rules| {
                let mut counts = BTreeMap::new();
                for rule in rules {
                    let k = lines
                        .iter()
                        .position(|l| *l == rule.line)
                        .unwrap_or(usize::MAX);
                    let id = ids.get(k).copied().unwrap_or(usize::MAX);
                    let effect = serde_json::to_string(&rule.effect).unwrap_or_default();
                    let entry = (
                        id,
                        effect,
                        rule.condition.clone(),
                        rule.unknown_fields.clone(),
                    );
                    let n = counts.entry(entry).or_insert(0);
                    *n = if as_set { 1 } else { *n + 1 };
                }
                counts
            })
        })
        .collect()
}

/// The line of every rule of every representative, as written.
fn rule_lines(text: &str) -> Result<Vec<Vec<u32>>, TestCaseError> {
    use mandate::syntax::ast::{Declaration, RepresentativeStmt};
    let file = mandate::syntax::parse(text).map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok(file
        .declarations
        .iter()
        .filter_map(|d| match d {
            Declaration::Representative(r) => Some(
                r.statements
                    .iter()
                    .filter_map(|s| match s {
                        RepresentativeStmt::Rule(rule) => Some(rule.span.line),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        })
        .collect())
}

/// `original` and `changed` (its rules rearranged: `order[r][k]` is the
/// original index of representative `r`'s `k`-th rule) decide alike.
fn same_decisions(
    original: &MandateSpec,
    changed: &MandateSpec,
    order: &[Vec<usize>],
    proposal: &ProposalSpec,
    day: NaiveDate,
    as_set: bool,
) -> Result<(), TestCaseError> {
    let json = proposal.resolve(original);
    let before = decide(original, &json, day)?;
    let after = decide(changed, &json, day)?;
    let lines_before = rule_lines(&original.render())?;
    let lines_after = rule_lines(&changed.render())?;
    for (r, (b, a)) in before.iter().zip(&after).enumerate() {
        let context = || {
            format!(
                "{}\n--- changed\n{}",
                show(original, &json),
                changed.render()
            )
        };
        prop_assert_eq!(b.outcome, a.outcome, "{}", context());
        prop_assert_eq!(&b.redirect_to, &a.redirect_to, "{}", context());
        let outcomes = |d: &Decision| d.topics.iter().map(|t| t.outcome).collect::<Vec<_>>();
        prop_assert_eq!(outcomes(b), outcomes(a), "{}", context());
        let identity: Vec<usize> = (0..lines_before[r].len()).collect();
        prop_assert_eq!(
            counted(b, &lines_before[r], &identity, as_set),
            counted(a, &lines_after[r], &order[r], as_set),
            "{}",
            context()
        );
        prop_assert_eq!(&b.principles, &a.principles, "{}", context());
        prop_assert_eq!(&b.priorities, &a.priorities, "{}", context());
    }
    Ok(())
}
