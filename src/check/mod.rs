//! Proposal x representative -> [`Decision`] (DESIGN.md section 4).
//!
//! Owns how a check decides: redirect by ownership, rule evaluation with
//! three-valued conditions, the forum and validity gates, principles
//! (evaluated once per proposal), the overall outcome, priorities,
//! obligations, and the plain-English reasons. A check is a pure function
//! of (mandate, proposal, date): it reads no files and no clock. Its work
//! and output are bounded ([`MAX_TRACE_ENTRIES`], [`MAX_DECISION_BYTES`]):
//! past them it is refused, counted before the memory is spent.

mod budget;
mod decision;
mod explain;
pub mod logic;
mod request;

pub use budget::{MAX_DECISION_BYTES, MAX_NAMES_IN_A_SENTENCE, MAX_TRACE_ENTRIES, MAX_VALUE_CHARS};
pub use decision::*;
pub use request::{Checked, RequestError, Whom};

/// "a, b and c": names joined as in a sentence.
pub fn join_names(names: &[String]) -> String {
    crate::english::join(names, "and")
}

use crate::compile::{Effect, Mandate, Representative, Rule};
use crate::principles::{self, Verdict};
use crate::proposal::Proposal;
use crate::syntax::ast::Severity;
use budget::Budget;
use chrono::NaiveDate;
use explain::Explainer;
use logic::{Gap, Truth};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Why a check could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// No representative with that id.
    #[error(
        "there is no representative `{id}` in this mandate; it has {}",
        crate::english::join_at_most(known, "and", crate::validate::MAX_NAMES_LISTED)
    )]
    UnknownRepresentative {
        /// The id asked for.
        id: String,
        /// The ids the mandate has, in file order.
        known: Vec<String>,
        /// The closest known id, if one is close.
        suggestion: Option<String>,
    },
    /// The decisions would list more than [`MAX_TRACE_ENTRIES`] entries
    /// (counted before any rule is evaluated).
    #[error("checking this proposal would list more than {limit} entries in the decision trace (the rules matching each topic, the organisations owning them, the principles and the priorities, for each representative checked)")]
    TooManyEntries {
        /// The limit, [`MAX_TRACE_ENTRIES`].
        limit: usize,
    },
    /// The decisions would hold more than [`MAX_DECISION_BYTES`] bytes of
    /// text.
    #[error("the decision on this proposal would be longer than {limit} bytes")]
    TooLarge {
        /// The limit, [`MAX_DECISION_BYTES`].
        limit: usize,
    },
}

impl CheckError {
    /// What to do instead.
    pub fn help(&self) -> String {
        match self {
            CheckError::UnknownRepresentative {
                suggestion, known, ..
            } => match (suggestion, known.as_slice()) {
                (Some(s), _) => format!("Did you mean `{s}`? Give the id written after `representative` in the rule file."),
                (None, []) => "This mandate has no representatives: add one to the rule file, for example: representative patel \"Dr Asha Patel\" { ... }".into(),
                (None, _) => "Give the id written after `representative` in the rule file.".into(),
            },
            CheckError::TooManyEntries { .. } => "Split the proposal into proposals with fewer topics, check it for one representative at a time, or narrow the rules so that fewer match each topic (a rule on `*` matches every topic).".into(),
            CheckError::TooLarge { .. } => "Split the proposal into proposals with fewer topics, or check it for one representative at a time; very long topics, texts or conditions make long reasons.".into(),
        }
    }
}

/// The principles' results for one proposal: evaluate once, then use for
/// every representative.
#[derive(Debug, Clone)]
pub struct PrincipleResults(Vec<PrincipleResult>);

/// What a check works out once per proposal, whoever it is for.
struct Prepared {
    /// Per proposal topic, a note when the vocabulary does not know it.
    topic_notes: Vec<Option<String>>,
    /// Per proposal topic, the organisations owning it (sorted by id, each
    /// with its first matching `owns` line); empty when the group decides.
    owners: Vec<Vec<(usize, u32)>>,
    /// How many owners all the topics have together.
    owner_entries: usize,
    /// Ids of the priorities the proposal touches, in file order.
    priorities: Vec<String>,
}

/// One rule's condition, evaluated for the proposal: the same for every
/// topic, so evaluated once per representative.
#[derive(Debug)]
struct Evaluation {
    /// The `at` forum and the `when` together.
    truth: Truth,
    /// The `at` forum alone (true when the rule has none).
    forum: Truth,
    /// What made it unknown (empty unless it is).
    gaps: Vec<Gap>,
}

impl Mandate {
    /// Checks `proposal` for the representative `representative` on `date`
    /// (the day of the check; the proposal's own `date` wins when given).
    ///
    /// Refused ([`CheckError::TooManyEntries`], [`CheckError::TooLarge`])
    /// when the decision would pass the bounds of one check; the entries
    /// are counted before any principle or condition is evaluated.
    pub fn check(
        &self,
        proposal: &Proposal,
        representative: &str,
        date: NaiveDate,
    ) -> Result<Decision, CheckError> {
        let rep = self.find_representative(representative)?;
        let mut budget = Budget::new();
        let prepared = self.prepare(proposal)?;
        let matched = self.match_rules(rep, proposal, &prepared, &mut budget)?;
        let principles = self.evaluate_principles(proposal);
        let cx = Context {
            proposal,
            prepared: &prepared,
            principles: &principles,
            today: date,
        };
        self.decide(&cx, rep, &matched, &mut budget)
    }

    /// Checks `proposal` for every representative, in file order, evaluating
    /// the principles once. The bounds of one check cover all the
    /// decisions together.
    pub fn check_all(
        &self,
        proposal: &Proposal,
        date: NaiveDate,
    ) -> Result<Vec<Decision>, CheckError> {
        if self.representatives.is_empty() {
            return Ok(Vec::new());
        }
        let mut budget = Budget::new();
        let prepared = self.prepare(proposal)?;
        // Count every decision's entries before deciding any.
        let matched = self
            .representatives
            .iter()
            .map(|rep| self.match_rules(rep, proposal, &prepared, &mut budget))
            .collect::<Result<Vec<_>, _>>()?;
        let principles = self.evaluate_principles(proposal);
        let cx = Context {
            proposal,
            prepared: &prepared,
            principles: &principles,
            today: date,
        };
        self.representatives
            .iter()
            .zip(&matched)
            .map(|(rep, matched)| self.decide(&cx, rep, matched, &mut budget))
            .collect()
    }

    fn prepare(&self, proposal: &Proposal) -> Result<Prepared, CheckError> {
        // "Did you mean" costs: offer it for the first few unknown topics.
        let mut suggestions = crate::validate::MAX_SUGGESTIONS;
        let topic_notes = proposal
            .topics
            .iter()
            .map(|t| explain::unknown_topic(self, t, &mut suggestions))
            .collect();
        // The owners are listed in every decision: bound them before the
        // next topic's are looked up.
        let mut owners = Vec::with_capacity(proposal.topics.len());
        let mut owner_entries = 0;
        for topic in &proposal.topics {
            let of = self.owners_of(topic);
            owner_entries += of.len();
            if owner_entries > MAX_TRACE_ENTRIES {
                return Err(CheckError::TooManyEntries {
                    limit: MAX_TRACE_ENTRIES,
                });
            }
            owners.push(of);
        }
        let priorities = self
            .priority_index
            .lookup_any(proposal.topics.iter().map(String::as_str))
            .into_iter()
            .filter_map(|i| self.priorities.get(i))
            .map(|p| p.id.clone())
            .collect();
        Ok(Prepared {
            topic_notes,
            owners,
            owner_entries,
            priorities,
        })
    }

    /// The representative's rules matching each topic of the proposal the
    /// group decides (and not excepted), in file order; every entry of the
    /// decision paid for first.
    fn match_rules(
        &self,
        rep: &Representative,
        proposal: &Proposal,
        prepared: &Prepared,
        budget: &mut Budget,
    ) -> Result<Vec<Vec<usize>>, CheckError> {
        budget.entries(
            proposal.topics.len()
                + prepared.owner_entries
                + self.principles.len()
                + prepared.priorities.len(),
        )?;
        let mut matched = Vec::with_capacity(proposal.topics.len());
        for (topic, owners) in proposal.topics.iter().zip(&prepared.owners) {
            if !owners.is_empty() {
                matched.push(Vec::new());
                continue;
            }
            let rules: Vec<usize> = rep
                .index
                .lookup(topic)
                .into_iter()
                .filter(|i| rep.rules.get(*i).is_some_and(|r| !r.excepts(topic)))
                .collect();
            budget.entries(rules.len())?;
            matched.push(rules);
        }
        Ok(matched)
    }

    /// The representative with this id, or an error that lists the known ones.
    pub fn find_representative(&self, id: &str) -> Result<&Representative, CheckError> {
        self.representative(id).ok_or_else(|| {
            let known: Vec<String> = self.representatives.iter().map(|r| r.id.clone()).collect();
            let suggestion = crate::validate::did_you_mean(id, known.iter().map(String::as_str))
                .map(str::to_string);
            CheckError::UnknownRepresentative {
                id: id.to_string(),
                known,
                suggestion,
            }
        })
    }

    /// Runs every principle against the proposal, in file order.
    pub fn evaluate_principles(&self, proposal: &Proposal) -> PrincipleResults {
        let value = serde_json::Value::Object(proposal.fields.clone());
        let rhai_value = crate::principles::to_rhai(&value);
        // One budget for all the principles of this check, in file order.
        let mut budget = principles::CheckBudget::new();
        let results =
            self.principles
                .iter()
                .map(|principle| {
                    let (result, reason) = match &rhai_value {
                        Err(error) => (
                            PrincipleOutcome::Error,
                            Some(format!("the proposal could not be given to it: {error}")),
                        ),
                        Ok(proposal) => match self.sandbox.evaluate_within(
                            &principle.ast,
                            proposal,
                            &mut budget,
                        ) {
                            principles::Evaluation {
                                verdict: Verdict::Upheld,
                                ..
                            } => (PrincipleOutcome::Upheld, None),
                            principles::Evaluation {
                                verdict: Verdict::Violated(reason),
                                ..
                            } => (PrincipleOutcome::Violated, reason),
                            principles::Evaluation {
                                verdict: Verdict::Error(cause),
                                position,
                                ..
                            } => {
                                let place = position.map(|p| {
                                    let line = principle.code_line as usize + p.line - 1;
                                    if principle.code_file.is_empty() {
                                        format!(" (at line {line})")
                                    } else {
                                        format!(" (at {} line {line})", principle.code_file)
                                    }
                                });
                                (
                                    PrincipleOutcome::Error,
                                    Some(format!("{cause}{}", place.unwrap_or_default())),
                                )
                            }
                        },
                    };
                    PrincipleResult {
                        id: principle.id.clone(),
                        severity: principle.severity,
                        result,
                        reason,
                    }
                })
                .collect();
        PrincipleResults(results)
    }

    fn decide(
        &self,
        cx: &Context<'_>,
        rep: &Representative,
        matched: &[Vec<usize>],
        budget: &mut Budget,
    ) -> Result<Decision, CheckError> {
        let Context {
            proposal,
            prepared,
            principles,
            today,
        } = *cx;
        let date = proposal.date.unwrap_or(today);
        let explain = Explainer::new(self, rep, proposal);
        let mut reasons = Vec::new();
        let mut changes = Vec::new();
        let mut topics = Vec::with_capacity(proposal.topics.len());
        let mut redirect_to: BTreeSet<&str> = BTreeSet::new();
        let mut redirected: Vec<(&str, &[(usize, u32)])> = Vec::new();
        let mut outcome = Outcome::Agree;
        // What the topics that stay with the group add up to, for the
        // obligations when another topic is redirected.
        let mut rest = Outcome::Agree;
        let mut rest_topics: Vec<&str> = Vec::new();

        // A condition does not depend on the topic: evaluate each matched
        // rule once, however many topics it matches.
        let mut evaluations: HashMap<usize, Evaluation> = HashMap::new();
        for i in matched.iter().flatten() {
            if let Some(rule) = rep.rules.get(*i) {
                evaluations
                    .entry(*i)
                    .or_insert_with(|| evaluate_rule(rule, proposal));
            }
        }

        let per_topic = prepared
            .topic_notes
            .iter()
            .zip(&prepared.owners)
            .zip(matched);
        for (topic, ((note, owners), rules)) in proposal.topics.iter().zip(per_topic) {
            if let Some(note) = note {
                budget.keep(&mut reasons, note.clone())?;
            }
            // 1. Redirect.
            if !owners.is_empty() {
                let mut listed = Vec::with_capacity(owners.len());
                for (org, line) in owners {
                    let Some(organisation) = self.organisations.get(*org) else {
                        continue;
                    };
                    redirect_to.insert(&organisation.id);
                    listed.push(Owner {
                        id: budget.copy(&organisation.id)?,
                        line: *line,
                    });
                }
                budget.keep(&mut reasons, explain.redirect(topic, owners))?;
                redirected.push((topic, owners));
                outcome = outcome.max(Outcome::Redirect);
                topics.push(TopicDecision {
                    topic: budget.copy(topic)?,
                    outcome: Outcome::Redirect,
                    rules: None,
                    owners: Some(listed),
                });
                continue;
            }
            // 2. Rules.
            let evaluated: Vec<Evaluated<'_>> = rules
                .iter()
                .filter_map(|i| {
                    let rule = rep.rules.get(*i)?;
                    let e = evaluations.get(i)?;
                    Some(Evaluated {
                        rule,
                        effect: rule.effect,
                        truth: e.truth,
                        forum: e.forum,
                        gaps: &e.gaps,
                    })
                })
                .collect();
            let topic_outcome = topic_outcome(&evaluated);
            explain.topic(
                topic,
                topic_outcome,
                &evaluated,
                &mut reasons,
                &mut changes,
                budget,
            )?;
            outcome = outcome.max(topic_outcome);
            rest = rest.max(topic_outcome);
            rest_topics.push(topic);
            let mut trace = Vec::with_capacity(evaluated.len());
            for e in &evaluated {
                let rule = e.rule;
                let mut unknown_fields = Vec::with_capacity(e.gaps.len());
                for gap in e.gaps {
                    unknown_fields.push(budget.copy(gap.field())?);
                }
                trace.push(RuleTrace {
                    effect: rule.effect,
                    line: rule.line,
                    condition: e.truth.as_str().to_string(),
                    unknown_fields,
                });
            }
            topics.push(TopicDecision {
                topic: budget.copy(topic)?,
                outcome: topic_outcome,
                rules: Some(trace),
                owners: None,
            });
        }

        // 3. Gates.
        if let Some(forum) = &proposal.forum {
            if !rep.forums.is_empty() && !rep.forums.contains(forum) {
                budget.keep(&mut reasons, explain.forum_gate(forum))?;
                budget.keep(&mut changes, explain.forum_gate_change())?;
                outcome = outcome.max(Outcome::Refer);
                rest = rest.max(Outcome::Refer);
            }
        }
        let outside = match (rep.valid_from, rep.valid_until) {
            (Some(from), _) if date < from => Some((
                explain.before_start(date, from),
                explain.before_start_change(from),
            )),
            (_, Some(until)) if date > until => {
                Some((explain.after_end(date, until), explain.after_end_change()))
            }
            _ => None,
        };
        if let Some((reason, change)) = outside {
            budget.keep(&mut reasons, reason)?;
            budget.keep(&mut changes, change)?;
            outcome = outcome.max(Outcome::Refer);
            rest = rest.max(Outcome::Refer);
        }

        // 4. Principles.
        for (principle, result) in self.principles.iter().zip(&principles.0) {
            let effect = match (result.result, principle.severity) {
                (PrincipleOutcome::Upheld, _) => None,
                (PrincipleOutcome::Violated, Severity::Blocking) => Some(Outcome::Decline),
                (PrincipleOutcome::Violated, Severity::Refer) | (PrincipleOutcome::Error, _) => {
                    Some(Outcome::Refer)
                }
                (PrincipleOutcome::Violated, Severity::Advisory) => None,
            };
            if result.result != PrincipleOutcome::Upheld {
                budget.keep(&mut reasons, explain.principle(principle, result))?;
            }
            if let Some(effect) = effect {
                budget.keep(&mut changes, explain.principle_change(principle, result))?;
                outcome = outcome.max(effect);
                rest = rest.max(effect);
            }
        }
        budget.bytes(
            principles
                .0
                .iter()
                .map(|p| p.id.len() + p.reason.as_ref().map_or(0, String::len))
                .sum(),
        )?;

        // 5. redirect_to is sorted by id (the set keeps them so).
        let redirect_to = redirect_to
            .into_iter()
            .map(|id| budget.copy(id))
            .collect::<Result<Vec<_>, _>>()?;

        // 6. Priorities: the same for every representative.
        budget.bytes(prepared.priorities.iter().map(String::len).sum())?;

        // 7. Obligations.
        let mut obligations = Vec::new();
        if outcome == Outcome::Redirect {
            if let Some(duty) = explain.duty_for_the_rest(rest, &rest_topics) {
                budget.keep(&mut obligations, duty)?;
            }
        } else {
            budget.keep(&mut obligations, explain.duty(outcome))?;
        }
        explain.pass_on(&redirected, &mut obligations, budget)?;

        if outcome != Outcome::Agree {
            // What would change the answer, each said once.
            let fresh: Vec<usize> = {
                let mut said: HashSet<&str> = reasons.iter().map(String::as_str).collect();
                changes
                    .iter()
                    .enumerate()
                    .filter(|(_, change)| said.insert(change.as_str()))
                    .map(|(i, _)| i)
                    .collect()
            };
            let mut fresh = fresh.into_iter().peekable();
            for (i, change) in changes.into_iter().enumerate() {
                if fresh.peek() == Some(&i) {
                    fresh.next();
                    reasons.push(change);
                }
            }
        }

        Ok(Decision {
            proposal: budget.copy(&proposal.id)?,
            title: budget.copy(&proposal.title)?,
            representative: budget.copy(&rep.id)?,
            outcome,
            redirect_to,
            topics,
            principles: principles.0.clone(),
            priorities: prepared.priorities.clone(),
            obligations,
            reasons,
            mandate: MandateRef {
                group: budget.copy(&self.group.name)?,
                sha256: budget.copy(&self.sha256)?,
            },
            date: date.to_string(),
        })
    }

    /// The organisations owning `topic`, sorted by id, each with the line of
    /// its first matching `owns` pattern.
    fn owners_of(&self, topic: &str) -> Vec<(usize, u32)> {
        let mut seen = HashSet::new();
        let mut owners: Vec<(usize, u32)> = Vec::new();
        // Entries come in file order: the first per organisation is its
        // first matching line.
        for entry in self.ownership.lookup(topic) {
            if let Some((org, _, line)) = self.owned.get(entry) {
                if seen.insert(*org) {
                    owners.push((*org, *line));
                }
            }
        }
        let id = |org: usize| self.organisations.get(org).map(|o| o.id.as_str());
        owners.sort_by(|a, b| id(a.0).cmp(&id(b.0)));
        owners
    }
}

/// What one decision is made from, besides the representative.
#[derive(Clone, Copy)]
struct Context<'a> {
    proposal: &'a Proposal,
    prepared: &'a Prepared,
    principles: &'a PrincipleResults,
    today: NaiveDate,
}

/// Evaluates a rule's `at` forum and `when` for the proposal.
fn evaluate_rule(rule: &Rule, proposal: &Proposal) -> Evaluation {
    let (forum, mut gaps) = match &rule.forum {
        None => (Truth::True, Vec::new()),
        Some(wanted) => match &proposal.forum {
            Some(forum) => (
                if forum == wanted {
                    Truth::True
                } else {
                    Truth::False
                },
                Vec::new(),
            ),
            None => (Truth::Unknown, vec![Gap::Missing("forum".into())]),
        },
    };
    let (when, when_gaps) = match &rule.condition {
        None => (Truth::True, Vec::new()),
        Some(expr) => logic::evaluate(expr, &proposal.fields),
    };
    let truth = forum.and(when);
    if truth == Truth::Unknown {
        // The `when`'s gaps come without repeats; the forum can only add
        // `forum` itself.
        let has_forum = !gaps.is_empty();
        gaps.extend(
            when_gaps
                .into_iter()
                .filter(|g| !(has_forum && g.field() == "forum")),
        );
    } else {
        gaps.clear();
    }
    Evaluation { truth, forum, gaps }
}

/// A rule evaluated for one topic.
#[derive(Debug, Clone)]
struct Evaluated<'a> {
    rule: &'a Rule,
    effect: Effect,
    /// The `at` forum and the `when` together.
    truth: Truth,
    /// The `at` forum alone (true when the rule has none).
    forum: Truth,
    gaps: &'a [Gap],
}

/// DESIGN.md section 4, step 2, in order.
fn topic_outcome(evaluated: &[Evaluated<'_>]) -> Outcome {
    let rules = |effect: Effect, truth: Truth| {
        evaluated
            .iter()
            .any(|e| e.effect == effect && e.truth == truth)
    };
    if rules(Effect::MayNotAgree, Truth::True) {
        Outcome::Decline
    } else if rules(Effect::MayNotAgree, Truth::Unknown)
        || rules(Effect::Refer, Truth::Unknown)
        || rules(Effect::Refer, Truth::True)
    {
        Outcome::Refer
    } else if rules(Effect::MayAgree, Truth::True) {
        Outcome::Agree
    } else {
        Outcome::Refer
    }
}
