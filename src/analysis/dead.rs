//! Dead rules: a rule that can never change a representative's answer
//! (its topics are owned, a broader forbid always wins, another rule
//! already gives the same answer, its `at` forum is not theirs), or whose
//! condition can never be true; each with its proof.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rep_space;
use crate::check::logic::Truth;
use crate::compile::{Effect, Mandate};

/// A rule that never matters, or can never be true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadRule {
    /// The representative.
    pub representative: String,
    /// The rule's line.
    pub line: u32,
    /// Its effect.
    pub effect: Effect,
    /// Why, with the proof.
    pub why: Dead,
}

/// Why a rule is dead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Dead {
    /// Every topic it names is owned by an organisation: redirected first.
    Owned {
        /// The organisations (ids) and their `owns` lines.
        owners: Vec<crate::check::Owner>,
    },
    /// Its `except` takes out every topic it names.
    Excepted,
    /// A grant at a forum the representative does not list: the forum gate
    /// always refers.
    NotTheirForum {
        /// The forum.
        forum: String,
    },
    /// Its condition can never be true (a forbid or refer still refers
    /// when a field it reads is not given).
    NeverTrue,
    /// Wherever it holds, a forbid or refer of the same representative
    /// holds too and wins.
    Overridden {
        /// Lines of the rules that win.
        by: Vec<u32>,
    },
    /// A refer (or forbid) that only says what happens anyway: wherever it
    /// holds, no grant of theirs holds, so the proposal comes back to the
    /// group without it.
    Default,
    /// Wherever it holds, other rules already give the same answer.
    Redundant {
        /// Lines of those rules.
        by: Vec<u32>,
    },
}

/// One topic region of a representative: who owns it, and their matched
/// rules (indices into theirs).
struct Region {
    owners: Vec<crate::check::Owner>,
    rules: Vec<usize>,
}

/// Most grid cells walked for one representative's rules (a region is
/// walked once for each rule matching it).
const MAX_DEAD_WORK: u64 = 20_000_000;

/// The dead rules of the representatives `reps`, in file order, and the
/// representatives whose rules were too many to prove anything about.
pub(crate) fn dead_rules(
    mandate: &Mandate,
    another: &str,
    reps: &[usize],
    today: NaiveDate,
) -> (Vec<DeadRule>, Vec<super::NotCovered>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for r in reps {
        match of_rep(mandate, another, *r, today) {
            Some(dead) => out.extend(dead),
            None => skipped.extend(mandate.representatives.get(*r).map(|rep| super::NotCovered {
                representatives: vec![rep.id.clone()],
                topic: "*".into(),
                why: "their rules read too many combinations of fields to prove which never matter, so none is reported".into(),
            })),
        }
    }
    (out, skipped)
}

fn of_rep(mandate: &Mandate, another: &str, r: usize, today: NaiveDate) -> Option<Vec<DeadRule>> {
    let rep = mandate.representatives.get(r)?;
    let mut regions: Vec<(Region, Option<super::Space<'_>>)> = Vec::new();
    let mut work = 0u64;
    for topic in super::regions(mandate, &[rep]) {
        let owners: Vec<crate::check::Owner> = mandate
            .owners_of(&topic)
            .into_iter()
            .filter_map(|(org, line)| {
                mandate.organisations.get(org).map(|o| crate::check::Owner {
                    id: o.id.clone(),
                    line,
                })
            })
            .collect();
        let rules = rep.rules_for(&topic);
        let region = Region { owners, rules };
        let mut space = None;
        if region.owners.is_empty() {
            if let Some(s) = rep_space(mandate, another, r, &topic, None, today) {
                work = work.saturating_add(s.cells().saturating_mul(region.rules.len() as u64));
                if s.inexact.is_some() || work > MAX_DEAD_WORK {
                    // Not provable here: say nothing rather than guess.
                    return None;
                }
                space = Some(s);
            }
        }
        regions.push((region, space));
    }
    let mut removed: BTreeSet<usize> = BTreeSet::new();
    let mut out = Vec::new();
    for (k, rule) in rep.rules.iter().enumerate().rev() {
        let matched: Vec<(usize, usize)> = regions
            .iter()
            .enumerate()
            .filter_map(|(g, (region, _))| {
                region
                    .rules
                    .iter()
                    .position(|i| *i == k)
                    .map(|local| (g, local))
            })
            .collect();
        let dead = |why: Dead| DeadRule {
            representative: rep.id.clone(),
            line: rule.line,
            effect: rule.effect,
            why,
        };
        if matched.is_empty() {
            out.push(dead(Dead::Excepted));
            continue;
        }
        let open: Vec<&(usize, usize)> = matched
            .iter()
            .filter(|(g, _)| regions.get(*g).is_some_and(|(r, _)| r.owners.is_empty()))
            .collect();
        if open.is_empty() {
            let mut owners: Vec<crate::check::Owner> = Vec::new();
            for (g, _) in &matched {
                if let Some((region, _)) = regions.get(*g) {
                    for o in &region.owners {
                        if !owners.contains(o) {
                            owners.push(o.clone());
                        }
                    }
                }
            }
            out.push(dead(Dead::Owned { owners }));
            continue;
        }
        if let (Effect::MayAgree, Some(forum)) = (rule.effect, &rule.forum) {
            if !rep.attends(Some(forum)) {
                out.push(dead(Dead::NotTheirForum {
                    forum: forum.clone(),
                }));
                continue;
            }
        }
        // Over every open cell: is it ever true, does it ever matter, and
        // what else decides where it holds.
        let mut ever_true = false;
        let mut matters = false;
        let mut winners: Vec<u32> = Vec::new();
        let mut alike: Vec<u32> = Vec::new();
        let mut unopposed = false;
        let mut granted = false;
        for (g, local) in open {
            let Some((region, Some(space))) = regions.get(*g) else {
                continue;
            };
            let skip_removed = |i: usize| region.rules.get(i).is_some_and(|x| removed.contains(x));
            let mut buffer = Vec::new();
            space.walk(|_, truths| {
                space.rule_truths_into(0, truths, &mut buffer);
                let rule_truths = &buffer;
                let own = rule_truths.get(*local).copied().unwrap_or(Truth::Unknown);
                ever_true |= own == Truth::True;
                let with = space.answer(0, rule_truths, truths, skip_removed);
                let without =
                    space.answer(0, rule_truths, truths, |i| i == *local || skip_removed(i));
                matters |= with.outcome != without.outcome;
                let applies = match rule.effect {
                    Effect::MayAgree => own == Truth::True && with.attends && with.in_force,
                    _ => own != Truth::False,
                };
                if !applies {
                    return;
                }
                let mut opposed = false;
                for (i, ((effect, line), truth)) in
                    space.rules(0).iter().zip(rule_truths).enumerate()
                {
                    if i == *local || skip_removed(i) || *truth == Truth::False {
                        continue;
                    }
                    let wins = match rule.effect {
                        Effect::MayAgree => *effect != Effect::MayAgree,
                        _ => false,
                    };
                    let same = match (rule.effect, effect) {
                        (Effect::MayAgree, Effect::MayAgree) => *truth == Truth::True,
                        (Effect::Refer, Effect::Refer | Effect::MayNotAgree) => true,
                        (Effect::MayNotAgree, Effect::MayNotAgree) => {
                            *truth == Truth::True || own == Truth::Unknown
                        }
                        _ => false,
                    };
                    if wins && !winners.contains(line) && !opposed {
                        winners.push(*line);
                    }
                    opposed |= wins;
                    granted |= *effect == Effect::MayAgree && *truth == Truth::True;
                    if same && !alike.contains(line) {
                        alike.push(*line);
                    }
                }
                unopposed |= !opposed;
            });
        }
        if !ever_true {
            out.push(dead(Dead::NeverTrue));
            continue;
        }
        if matters {
            continue;
        }
        winners.sort_unstable();
        alike.sort_unstable();
        if rule.effect == Effect::MayAgree && !unopposed {
            out.push(dead(Dead::Overridden { by: winners }));
        } else if rule.effect != Effect::MayAgree && !granted {
            out.push(dead(Dead::Default));
        } else {
            // Judged with it gone: of two rules alike, the earlier stays.
            removed.insert(k);
            out.push(dead(Dead::Redundant { by: alike }));
        }
    }
    out.reverse();
    Some(out)
}
