//! Proposal x representative -> [`Decision`] (DESIGN.md section 4).
//!
//! Owns how a check decides: redirect by ownership, rule evaluation with
//! three-valued conditions, the forum and validity gates, principles
//! (evaluated once per proposal), the overall outcome, priorities,
//! obligations, and the plain-English reasons. A check is a pure function
//! of (mandate, proposal, date): it reads no files and no clock.

mod decision;
mod explain;
pub mod logic;

pub use decision::*;

/// "a, b and c": names joined as in a sentence.
pub fn join_names(names: &[String]) -> String {
    crate::english::join(names, "and")
}

use crate::compile::{Effect, Mandate, Representative};
use crate::principles::{Evaluation, Verdict};
use crate::proposal::Proposal;
use crate::syntax::ast::Severity;
use chrono::NaiveDate;
use explain::Explainer;
use logic::{Gap, Truth};

/// Why a check could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// No representative with that id.
    #[error("there is no representative `{id}` in this mandate; it has {}", known.join(", "))]
    UnknownRepresentative {
        /// The id asked for.
        id: String,
        /// The ids the mandate has, in file order.
        known: Vec<String>,
        /// The closest known id, if one is close.
        suggestion: Option<String>,
    },
}

impl CheckError {
    /// What to do instead.
    pub fn help(&self) -> String {
        match self {
            CheckError::UnknownRepresentative {
                suggestion, known, ..
            } => match suggestion {
                Some(s) => format!("Did you mean `{s}`? Use one of: {}.", known.join(", ")),
                None => format!("Use one of: {}.", known.join(", ")),
            },
        }
    }
}

/// The principles' results for one proposal: evaluate once, then use for
/// every representative.
#[derive(Debug, Clone)]
pub struct PrincipleResults(Vec<PrincipleResult>);

/// What a check works out once per proposal, whoever it is for.
struct Prepared {
    principles: PrincipleResults,
    /// Per proposal topic, a note when the vocabulary does not know it.
    topic_notes: Vec<Option<String>>,
}

impl Mandate {
    /// Checks `proposal` for the representative `representative` on `date`
    /// (the day of the check; the proposal's own `date` wins when given).
    pub fn check(
        &self,
        proposal: &Proposal,
        representative: &str,
        date: NaiveDate,
    ) -> Result<Decision, CheckError> {
        let rep = self.find_representative(representative)?;
        let prepared = self.prepare(proposal);
        Ok(self.decide(proposal, rep, &prepared, date))
    }

    /// Checks `proposal` for every representative, in file order, evaluating
    /// the principles once.
    pub fn check_all(&self, proposal: &Proposal, date: NaiveDate) -> Vec<Decision> {
        let prepared = self.prepare(proposal);
        self.representatives
            .iter()
            .map(|rep| self.decide(proposal, rep, &prepared, date))
            .collect()
    }

    fn prepare(&self, proposal: &Proposal) -> Prepared {
        Prepared {
            principles: self.evaluate_principles(proposal),
            topic_notes: {
                // "Did you mean" costs an edit distance per declared topic:
                // offer it for the first few unknown topics only.
                let mut suggestions = 20;
                proposal
                    .topics
                    .iter()
                    .map(|t| explain::unknown_topic(self, t, &mut suggestions))
                    .collect()
            },
        }
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
        let mut budget = crate::principles::CheckBudget::new();
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
                            Evaluation {
                                verdict: Verdict::Upheld,
                                ..
                            } => (PrincipleOutcome::Upheld, None),
                            Evaluation {
                                verdict: Verdict::Violated(reason),
                                ..
                            } => (PrincipleOutcome::Violated, reason),
                            Evaluation {
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
        proposal: &Proposal,
        rep: &Representative,
        prepared: &Prepared,
        today: NaiveDate,
    ) -> Decision {
        let principles = &prepared.principles;
        let date = proposal.date.unwrap_or(today);
        let explain = Explainer::new(self, rep, proposal);
        let mut reasons = Vec::new();
        let mut changes = Vec::new();
        let mut topics = Vec::new();
        let mut redirect_to: Vec<String> = Vec::new();
        let mut redirected: Vec<(String, Vec<usize>)> = Vec::new();
        let mut outcome = Outcome::Agree;
        // What the topics that stay with the group add up to, for the
        // obligations when another topic is redirected.
        let mut rest = Outcome::Agree;
        let mut rest_topics: Vec<&str> = Vec::new();

        for (topic, note) in proposal.topics.iter().zip(&prepared.topic_notes) {
            reasons.extend(note.iter().cloned());
            // 1. Redirect.
            let owners = self.owners_of(topic);
            if !owners.is_empty() {
                for (org, _) in &owners {
                    let id = &self.organisations[*org].id;
                    if !redirect_to.contains(id) {
                        redirect_to.push(id.clone());
                    }
                }
                reasons.push(explain.redirect(topic, &owners));
                redirected.push((topic.clone(), owners.iter().map(|(o, _)| *o).collect()));
                outcome = outcome.max(Outcome::Redirect);
                topics.push(TopicDecision {
                    topic: topic.clone(),
                    outcome: Outcome::Redirect,
                    rules: None,
                    owners: Some(
                        owners
                            .iter()
                            .map(|(org, line)| Owner {
                                id: self.organisations[*org].id.clone(),
                                line: *line,
                            })
                            .collect(),
                    ),
                });
                continue;
            }
            // 2. Rules.
            let evaluated = self.evaluate_rules(rep, topic, proposal);
            let topic_outcome = topic_outcome(&evaluated);
            explain.topic(topic, topic_outcome, &evaluated, &mut reasons, &mut changes);
            outcome = outcome.max(topic_outcome);
            rest = rest.max(topic_outcome);
            rest_topics.push(topic);
            topics.push(TopicDecision {
                topic: topic.clone(),
                outcome: topic_outcome,
                rules: Some(
                    evaluated
                        .iter()
                        .map(|e| RuleTrace {
                            effect: rep.rules[e.rule].effect,
                            line: rep.rules[e.rule].line,
                            condition: e.truth.as_str().to_string(),
                            unknown_fields: e.gaps.iter().map(|g| g.field().to_string()).collect(),
                        })
                        .collect(),
                ),
                owners: None,
            });
        }

        // 3. Gates.
        if let Some(forum) = &proposal.forum {
            if !rep.forums.is_empty() && !rep.forums.contains(forum) {
                reasons.push(explain.forum_gate(forum));
                changes.push(explain.forum_gate_change());
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
            reasons.push(reason);
            changes.push(change);
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
                reasons.push(explain.principle(principle, result));
            }
            if let Some(effect) = effect {
                changes.push(explain.principle_change(principle, result));
                outcome = outcome.max(effect);
                rest = rest.max(effect);
            }
        }

        // 5. redirect_to is sorted by id.
        redirect_to.sort();

        // 6. Priorities.
        let priorities: Vec<String> = self
            .priorities
            .iter()
            .filter(|p| {
                proposal
                    .topics
                    .iter()
                    .any(|t| p.patterns.iter().any(|pattern| pattern.matches(t)))
            })
            .map(|p| p.id.clone())
            .collect();

        // 7. Obligations.
        let mut obligations: Vec<String> = if outcome == Outcome::Redirect {
            explain
                .duty_for_the_rest(rest, &rest_topics)
                .into_iter()
                .collect()
        } else {
            vec![explain.duty(outcome)]
        };
        obligations.extend(explain.pass_on(&redirected));

        if outcome != Outcome::Agree {
            for change in changes {
                if !reasons.contains(&change) {
                    reasons.push(change);
                }
            }
        }

        Decision {
            proposal: proposal.id.clone(),
            representative: rep.id.clone(),
            outcome,
            redirect_to,
            topics,
            principles: principles.0.clone(),
            priorities,
            obligations,
            reasons,
            mandate: MandateRef {
                group: self.group.name.clone(),
                sha256: self.sha256.clone(),
            },
            date: date.to_string(),
        }
    }

    /// The organisations owning `topic`, sorted by id, each with the line of
    /// its first matching `owns` pattern.
    fn owners_of(&self, topic: &str) -> Vec<(usize, u32)> {
        let mut owners: Vec<(usize, u32)> = Vec::new();
        for entry in self.ownership.lookup(topic) {
            let (org, _, line) = &self.owned[entry];
            if !owners.iter().any(|(o, _)| o == org) {
                owners.push((*org, *line));
            }
        }
        owners.sort_by(|a, b| self.organisations[a.0].id.cmp(&self.organisations[b.0].id));
        owners
    }

    /// The representative's rules matching `topic` (and not excepted), in
    /// file order, each evaluated.
    fn evaluate_rules(
        &self,
        rep: &Representative,
        topic: &str,
        proposal: &Proposal,
    ) -> Vec<Evaluated> {
        rep.index
            .lookup(topic)
            .into_iter()
            .filter(|i| !rep.rules[*i].except.iter().any(|e| e.matches(topic)))
            .map(|i| {
                let rule = &rep.rules[i];
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
                    for gap in when_gaps {
                        if !gaps.iter().any(|g| g.field() == gap.field()) {
                            gaps.push(gap);
                        }
                    }
                } else {
                    gaps.clear();
                }
                Evaluated {
                    rule: i,
                    effect: rule.effect,
                    truth,
                    forum,
                    gaps,
                }
            })
            .collect()
    }
}

/// A rule evaluated for one topic.
#[derive(Debug, Clone)]
struct Evaluated {
    rule: usize,
    effect: Effect,
    /// The `at` forum and the `when` together.
    truth: Truth,
    /// The `at` forum alone (true when the rule has none).
    forum: Truth,
    gaps: Vec<Gap>,
}

/// DESIGN.md section 4, step 2, in order.
fn topic_outcome(evaluated: &[Evaluated]) -> Outcome {
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
