//! Proposal x representative -> [`Decision`] (the README's "How a check decides").
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
pub(crate) mod facts;
// Hidden: tests/limits.rs evaluates a condition directly.
#[doc(hidden)]
pub mod logic;
mod request;

pub use budget::{MAX_DECISION_BYTES, MAX_NAMES_IN_A_SENTENCE, MAX_TRACE_ENTRIES, MAX_VALUE_CHARS};
pub use decision::*;
pub(crate) use request::decisions_json;
pub use request::{Checked, RequestError, Whom};

/// "a, b and c": names joined as in a sentence.
pub(crate) fn join_names(names: &[String]) -> String {
    crate::english::join(names, "and")
}

use crate::compile::{Effect, Expr, Mandate, Representative, Rule};
use crate::principles::{self, Verdict};
use crate::proposal::Proposal;
use crate::syntax::ast::Severity;
use crate::wording::decision::Words;
use budget::Budget;
use chrono::NaiveDate;
use facts::{Change, Changes, Duty, Evaluated, Found, Miss, Reason, Reasons, TopicFound};
use logic::{Gap, Truth};
use std::collections::{BTreeMap, BTreeSet};

/// Why a check could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// No representative with that id.
    #[error(
        "there is no representative `{id}` in this mandate; it has {}",
        crate::english::join_at_most(known, "and", crate::english::MAX_NAMES_LISTED)
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
pub(crate) struct PrincipleResults {
    results: Vec<PrincipleResult>,
    /// Per principle, why it could not be checked (errors only).
    faults: Vec<Option<principles::Fault>>,
}

/// What a check works out once per proposal, whoever it is for.
struct Prepared<'a> {
    /// Per proposal topic, a note when the vocabulary does not know it.
    topic_notes: Vec<Option<Reason<'a>>>,
    /// Per proposal topic, the organisations owning it (sorted by id, each
    /// with its first matching `owns` line); empty when the group decides.
    owners: Vec<Vec<(usize, u32)>>,
    /// How many owners all the topics have together.
    owner_entries: usize,
    /// How many priorities the proposal touches.
    priority_entries: usize,
    /// Ids of the priorities the proposal touches, in file order (only
    /// when explaining).
    priorities: Vec<String>,
}

/// One rule's condition, evaluated for the proposal: the same for every
/// topic, so evaluated once per representative.
#[derive(Debug)]
struct Evaluation<'m> {
    /// The `at` forum and the `when` together.
    truth: Truth,
    /// The `at` forum alone (true when the rule has none).
    forum: Truth,
    /// What made it unknown (empty unless it is).
    gaps: Vec<Gap>,
    /// For a grant that is false by its `when`: the parts that failed.
    failed: Vec<&'m Expr>,
}

impl Mandate {
    /// Checks `proposal` for the representative `representative` on `date`
    /// (the day of the check; the proposal's own `date` wins when given).
    ///
    /// Refused ([`CheckError::TooManyEntries`], [`CheckError::TooLarge`])
    /// when the decision would pass the bounds of one check; the entries
    /// are counted before any principle or condition is evaluated.
    ///
    /// The decision's `reasons` and `obligations` are put into words when
    /// first read (or serialized), not here: they are written from the
    /// facts of this check, found again from the same mandate, proposal and
    /// date, so they read the same whenever they are read.
    pub fn check(
        &self,
        proposal: &Proposal,
        representative: &str,
        date: NaiveDate,
    ) -> Result<Decision, CheckError> {
        let (index, rep) = self.located(representative)?;
        let mut budget = Budget::new();
        let prepared = self.prepare(proposal, true)?;
        let matched = self.match_rules(rep, proposal, &prepared, &mut budget)?;
        let principles = std::sync::Arc::new(self.evaluate_principles(proposal));
        let cx = Context {
            proposal,
            prepared: &prepared,
            principles: &principles,
            today: date,
        };
        self.decision_for(&cx, &principles, (index, rep), &matched, &mut budget)
    }

    /// The decision facts alone: the outcome of checking `proposal` for
    /// `representative` on `date`, and each topic's outcome with the line
    /// that decided it, exactly as [`Mandate::check`] would decide them,
    /// with no text copied and no sentence written.
    ///
    /// Refused with [`CheckError::TooManyEntries`] exactly when `check`
    /// is; never with [`CheckError::TooLarge`], as it writes no text.
    pub fn decide(
        &self,
        proposal: &Proposal,
        representative: &str,
        date: NaiveDate,
    ) -> Result<DecisionFacts, CheckError> {
        let rep = self.find_representative(representative)?;
        let mut budget = Budget::new();
        let prepared = self.prepare(proposal, false)?;
        let matched = self.match_rules(rep, proposal, &prepared, &mut budget)?;
        let principles = self.evaluate_principles(proposal);
        let cx = Context {
            proposal,
            prepared: &prepared,
            principles: &principles,
            today: date,
        };
        let evaluations = Self::evaluate_matched(rep, &matched, proposal);
        let found = self.found(&cx, rep, &matched, &evaluations, false);
        Ok(DecisionFacts {
            outcome: found.outcome,
            topics: found
                .topics
                .iter()
                .map(|t| TopicFacts {
                    outcome: t.outcome,
                    line: t.deciding_line(),
                })
                .collect(),
            gates_passed: found.forum_passed.unwrap_or(true) && found.dates_passed.unwrap_or(true),
        })
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
        let prepared = self.prepare(proposal, true)?;
        // Count every decision's entries before deciding any.
        let matched = self
            .representatives
            .iter()
            .map(|rep| self.match_rules(rep, proposal, &prepared, &mut budget))
            .collect::<Result<Vec<_>, _>>()?;
        let principles = std::sync::Arc::new(self.evaluate_principles(proposal));
        let cx = Context {
            proposal,
            prepared: &prepared,
            principles: &principles,
            today: date,
        };
        self.representatives
            .iter()
            .enumerate()
            .zip(&matched)
            .map(|(rep, matched)| self.decision_for(&cx, &principles, rep, matched, &mut budget))
            .collect()
    }

    /// What a check works out once per proposal; with `explain`, also the
    /// notes on unknown topics and the priorities touched, which only the
    /// decision's text and trace need.
    fn prepare<'a>(
        &'a self,
        proposal: &'a Proposal,
        explain: bool,
    ) -> Result<Prepared<'a>, CheckError> {
        // "Did you mean" costs: offer it for the first few unknown topics.
        let mut suggestions = crate::topic::fuzzy::MAX_SUGGESTIONS;
        let topic_notes = if explain {
            proposal
                .topics
                .iter()
                .map(|t| self.unknown_topic(t, &mut suggestions))
                .collect()
        } else {
            Vec::new()
        };
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
        let touched = if self.priorities.is_empty() {
            Vec::new()
        } else {
            self.priority_index
                .lookup_any(proposal.topics.iter().map(String::as_str))
        };
        let priority_entries = touched.len();
        let priorities = if explain {
            touched
                .into_iter()
                .filter_map(|i| self.priorities.get(i))
                .map(|p| p.id.clone())
                .collect()
        } else {
            Vec::new()
        };
        Ok(Prepared {
            topic_notes,
            owners,
            owner_entries,
            priority_entries,
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
        prepared: &Prepared<'_>,
        budget: &mut Budget,
    ) -> Result<Vec<Vec<usize>>, CheckError> {
        budget.entries(
            proposal.topics.len()
                + prepared.owner_entries
                + self.principles.len()
                + prepared.priority_entries,
        )?;
        let matched = self.match_topics(rep, prepared, proposal);
        budget.entries(matched.iter().map(Vec::len).sum())?;
        Ok(matched)
    }

    /// The representative's rules matching each topic the group decides.
    fn match_topics(
        &self,
        rep: &Representative,
        prepared: &Prepared<'_>,
        proposal: &Proposal,
    ) -> Vec<Vec<usize>> {
        proposal
            .topics
            .iter()
            .zip(&prepared.owners)
            .map(|(topic, owners)| {
                if owners.is_empty() {
                    rep.rules_for(topic)
                } else {
                    Vec::new()
                }
            })
            .collect()
    }

    /// The representative with this id and their place in the file, or an
    /// error that lists the known ones.
    fn located(&self, id: &str) -> Result<(usize, &Representative), CheckError> {
        self.representative_ids
            .get(id)
            .and_then(|&i| Some((i, self.representatives.get(i)?)))
            .ok_or_else(|| self.no_such_representative(id))
    }

    /// The representative with this id, or an error that lists the known ones.
    pub(crate) fn find_representative(&self, id: &str) -> Result<&Representative, CheckError> {
        self.located(id).map(|(_, rep)| rep)
    }

    /// The error for an id no representative has.
    fn no_such_representative(&self, id: &str) -> CheckError {
        let known: Vec<String> = self.representatives.iter().map(|r| r.id.clone()).collect();
        let suggestion = crate::topic::fuzzy::did_you_mean(id, known.iter().map(String::as_str))
            .map(str::to_string);
        CheckError::UnknownRepresentative {
            id: id.to_string(),
            known,
            suggestion,
        }
    }

    /// Runs every principle against the proposal, in file order.
    pub(crate) fn evaluate_principles(&self, proposal: &Proposal) -> PrincipleResults {
        if self.principles.is_empty() {
            return PrincipleResults {
                results: Vec::new(),
                faults: Vec::new(),
            };
        }
        // Converted once; every principle reads this one read-only value.
        let mut shared =
            principles::ProposalScope::new(principles::proposal_to_rhai(&proposal.fields));
        // One budget for all the principles of this check, in file order.
        let mut budget = principles::CheckBudget::new();
        let mut faults = Vec::with_capacity(self.principles.len());
        let results = self
            .principles
            .iter()
            .map(|principle| {
                let evaluation = self.sandbox.evaluate_in(
                    &principle.ast,
                    &principle.reads,
                    &mut shared,
                    &mut budget,
                );
                let (result, reason, fault) = match evaluation.verdict {
                    Verdict::Upheld => (PrincipleOutcome::Upheld, None, None),
                    Verdict::Violated(reason) => (PrincipleOutcome::Violated, reason, None),
                    Verdict::Error(cause) => {
                        let place = evaluation.position.map(|p| {
                            let line = principle.code_line as usize + p.line - 1;
                            if principle.code_file.is_empty() {
                                format!(" (at line {line})")
                            } else {
                                format!(" (at {} line {line})", principle.code_file)
                            }
                        });
                        let technical = format!("{cause}{}", place.unwrap_or_default());
                        let reason = match &evaluation.fault {
                            Some(fault) => crate::wording::fault::fault_reason(fault, &technical),
                            None => technical,
                        };
                        (PrincipleOutcome::Error, Some(reason), evaluation.fault)
                    }
                };
                faults.push(fault);
                PrincipleResult {
                    id: principle.id.clone(),
                    severity: principle.severity,
                    result,
                    reason,
                }
            })
            .collect();
        PrincipleResults { results, faults }
    }

    /// Evaluates each rule `matched` names once, however many topics it
    /// matches (a condition does not depend on the topic), sorted by rule.
    fn evaluate_matched<'m>(
        rep: &'m Representative,
        matched: &[Vec<usize>],
        proposal: &Proposal,
    ) -> Vec<(usize, Evaluation<'m>)> {
        let evaluate = |i: usize| Some((i, evaluate_rule(rep.rules.get(i)?, proposal)));
        // One topic's rules come sorted, each once.
        if let [only] = matched {
            return only.iter().filter_map(|i| evaluate(*i)).collect();
        }
        let mut wanted: Vec<usize> = matched.iter().flatten().copied().collect();
        wanted.sort_unstable();
        wanted.dedup();
        wanted.into_iter().filter_map(evaluate).collect()
    }

    /// Steps 1 to 4 and 7 of "How a check decides" for one representative:
    /// every topic's outcome, the gates, the principles' effect and the
    /// overall outcome; with `explain`, also the facts the sentences are
    /// worded from. Copies no text: everything borrows from the mandate,
    /// the proposal and `evaluations`.
    fn found<'a>(
        &'a self,
        cx: &Context<'a>,
        rep: &'a Representative,
        matched: &[Vec<usize>],
        evaluations: &'a [(usize, Evaluation<'a>)],
        explain: bool,
    ) -> Found<'a> {
        let Context {
            proposal,
            prepared,
            principles,
            today,
        } = *cx;
        let date = proposal.date.unwrap_or(today);
        let mut found = Found {
            outcome: Outcome::Agree,
            topics: Vec::with_capacity(proposal.topics.len()),
            forum_passed: None,
            dates_passed: None,
            reasons: Reasons::default(),
            changes: Changes::default(),
            duties: Vec::new(),
        };
        // What the topics that stay with the group add up to, for the
        // obligations when another topic is redirected.
        let mut rest = Outcome::Agree;
        let mut rest_topics: Vec<&str> = Vec::new();
        let evaluation = |i: &usize| {
            evaluations
                .binary_search_by_key(i, |(k, _)| *k)
                .ok()
                .and_then(|at| evaluations.get(at))
                .map(|(_, e)| e)
        };
        let per_topic = prepared.owners.iter().zip(matched).enumerate();
        for (topic, (i, (owners, rules))) in proposal.topics.iter().zip(per_topic) {
            // Only an explaining check prepares the notes.
            if let Some(Some(note)) = prepared.topic_notes.get(i) {
                found.reasons.add(note.clone());
            }
            // 1. Redirect.
            if !owners.is_empty() {
                if explain {
                    found.reasons.add(Reason::Redirected { topic, owners });
                }
                found.outcome = found.outcome.max(Outcome::Redirect);
                found.topics.push(TopicFound {
                    topic,
                    outcome: Outcome::Redirect,
                    owners,
                    evaluated: Vec::new(),
                });
                continue;
            }
            // 2. Rules.
            let evaluated: Vec<Evaluated<'a>> = rules
                .iter()
                .filter_map(|i| {
                    let rule = rep.rules.get(*i)?;
                    let e = evaluation(i)?;
                    Some(Evaluated {
                        rule,
                        truth: e.truth,
                        forum: e.forum,
                        gaps: &e.gaps,
                        failed: &e.failed,
                    })
                })
                .collect();
            let topic_outcome = topic_outcome(&evaluated);
            if explain {
                topic_facts(
                    topic,
                    topic_outcome,
                    &evaluated,
                    proposal,
                    &mut found.reasons,
                    &mut found.changes,
                );
                rest_topics.push(topic);
            }
            found.outcome = found.outcome.max(topic_outcome);
            rest = rest.max(topic_outcome);
            found.topics.push(TopicFound {
                topic,
                outcome: topic_outcome,
                owners: &[],
                evaluated,
            });
        }

        // 3. Gates.
        if !rep.forums.is_empty() {
            // A proposal that names no forum is not held back here: the
            // rules with `at` ask for it instead.
            let passed = rep.attends(proposal.forum.as_deref());
            if let (false, Some(forum)) = (passed, &proposal.forum) {
                if explain {
                    found.reasons.add(Reason::ForumGate { forum });
                    found.changes.add(Change::OwnForum);
                }
                found.outcome = found.outcome.max(Outcome::Refer);
                rest = rest.max(Outcome::Refer);
            }
            found.forum_passed = Some(passed);
        }
        if rep.valid_from.is_some() || rep.valid_until.is_some() {
            if explain {
                let early = rep.valid_from.filter(|from| date < *from);
                let late = rep.valid_until.filter(|until| date > *until);
                if let Some(from) = early {
                    found.reasons.add(Reason::BeforeStart { from });
                    found.changes.add(Change::AfterStart { from });
                } else if let Some(until) = late {
                    found.reasons.add(Reason::AfterEnd { until });
                    found.changes.add(Change::Renew);
                }
            }
            let passed = rep.in_force(date);
            if !passed {
                found.outcome = found.outcome.max(Outcome::Refer);
                rest = rest.max(Outcome::Refer);
            }
            found.dates_passed = Some(passed);
        }

        // 4. Principles.
        for (index, (principle, result)) in
            self.principles.iter().zip(&principles.results).enumerate()
        {
            let effect = match (result.result, principle.severity) {
                (PrincipleOutcome::Upheld, _) => None,
                (PrincipleOutcome::Violated, Severity::Blocking) => Some(Outcome::Decline),
                (PrincipleOutcome::Violated, Severity::Refer) | (PrincipleOutcome::Error, _) => {
                    Some(Outcome::Refer)
                }
                (PrincipleOutcome::Violated, Severity::Advisory) => None,
            };
            if explain && result.result != PrincipleOutcome::Upheld {
                found.reasons.add(Reason::Principle { index });
            }
            if let Some(effect) = effect {
                if explain {
                    found.changes.add(Change::Principle { index });
                }
                found.outcome = found.outcome.max(effect);
                rest = rest.max(effect);
            }
        }
        if !explain {
            return found;
        }

        // 7. Obligations.
        match found.outcome {
            Outcome::Agree => found.duties.push(Duty::ReportBack),
            Outcome::Refer => found.duties.push(Duty::BringToGroup),
            Outcome::Decline => found.duties.push(Duty::SayNo),
            Outcome::Redirect => {
                if rest != Outcome::Agree || !rest_topics.is_empty() {
                    found.duties.push(Duty::TheRest {
                        outcome: rest,
                        topics: rest_topics,
                    });
                }
            }
        }
        // Each organisation's topics, in the proposal's order, by id.
        let mut topics_of: BTreeMap<&str, (usize, Vec<&str>)> = BTreeMap::new();
        for t in found.topics.iter().filter(|t| !t.owners.is_empty()) {
            for (org, _) in t.owners {
                if let Some(o) = self.organisations.get(*org) {
                    topics_of
                        .entry(o.id.as_str())
                        .or_insert((*org, Vec::new()))
                        .1
                        .push(t.topic);
                }
            }
        }
        found.duties.extend(
            topics_of
                .into_values()
                .map(|(organisation, topics)| Duty::PassOn {
                    organisation,
                    topics,
                }),
        );
        found
    }

    /// The decision for `rep`, at `index` in the file: the facts found,
    /// copied into the decision's trace, and its sentences.
    fn decision_for(
        &self,
        cx: &Context<'_>,
        shared: &std::sync::Arc<PrincipleResults>,
        (index, rep): (usize, &Representative),
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
        let evaluations = Self::evaluate_matched(rep, matched, proposal);
        let found = self.found(cx, rep, matched, &evaluations, true);

        // The trace: every topic, with its rules or its owners.
        let mut topics = Vec::with_capacity(found.topics.len());
        let mut redirect_to: BTreeSet<&str> = BTreeSet::new();
        for t in &found.topics {
            if !t.owners.is_empty() {
                let mut listed = Vec::with_capacity(t.owners.len());
                for (org, line) in t.owners {
                    let Some(organisation) = self.organisations.get(*org) else {
                        continue;
                    };
                    redirect_to.insert(&organisation.id);
                    listed.push(Owner {
                        id: budget.copy(&organisation.id)?,
                        line: *line,
                    });
                }
                topics.push(TopicDecision {
                    topic: budget.copy(t.topic)?,
                    outcome: Outcome::Redirect,
                    rules: None,
                    owners: Some(listed),
                });
                continue;
            }
            let mut trace = Vec::with_capacity(t.evaluated.len());
            for e in &t.evaluated {
                let mut unknown_fields = Vec::with_capacity(e.gaps.len());
                for gap in e.gaps {
                    unknown_fields.push(budget.copy(gap.field())?);
                }
                trace.push(RuleTrace {
                    effect: e.rule.effect,
                    line: e.rule.line,
                    condition: e.truth.as_str().to_string(),
                    unknown_fields,
                });
            }
            topics.push(TopicDecision {
                topic: budget.copy(t.topic)?,
                outcome: t.outcome,
                rules: Some(trace),
                owners: None,
            });
        }

        // The gates, each whether it held or not.
        let mut gates = Vec::new();
        if let Some(passed) = found.forum_passed {
            gates.push(Gate::Forum {
                line: rep.forums_line.unwrap_or(rep.line),
                passed,
                forum: proposal
                    .forum
                    .as_deref()
                    .map(|f| budget.copy(f))
                    .transpose()?,
                forums: rep
                    .forums
                    .iter()
                    .map(|f| budget.copy(f))
                    .collect::<Result<_, _>>()?,
            });
        }
        if let Some(passed) = found.dates_passed {
            gates.push(Gate::Dates {
                line: rep.valid_line.unwrap_or(rep.line),
                passed,
                date: iso_date(date),
                date_source: if proposal.date.is_some() {
                    DateSource::Proposal
                } else {
                    DateSource::CheckDay
                },
                from: rep.valid_from.map(iso_date),
                until: rep.valid_until.map(iso_date),
            });
        }
        budget.bytes(
            principles
                .results
                .iter()
                .map(|p| p.id.len() + p.reason.as_ref().map_or(0, String::len))
                .sum(),
        )?;
        // redirect_to is sorted by id (the set keeps them so).
        let redirect_to = redirect_to
            .into_iter()
            .map(|id| budget.copy(id))
            .collect::<Result<Vec<_>, _>>()?;
        // The priorities are the same for every representative.
        budget.bytes(prepared.priorities.iter().map(String::len).sum())?;

        // The sentences: written when first read, if they surely fit in
        // what is left of the bound; else now, and counted as written.
        let words = Words {
            mandate: self,
            rep,
            proposal,
            date,
            principles: &principles.results,
            faults: &principles.faults,
        };
        let (reasons, obligations) = if budget.bytes(words.bound(&found)).is_ok() {
            Sentences::later(Later {
                mandate: self.clone(),
                proposal: proposal.clone(),
                representative: index,
                today,
                principles: std::sync::Arc::clone(shared),
                words: std::sync::OnceLock::new(),
            })
        } else {
            let (reasons, obligations) = sentences(&words, &found, Some(budget))?;
            (Sentences::from(reasons), Sentences::from(obligations))
        };

        Ok(Decision {
            proposal: budget.copy(&proposal.id)?,
            representative: budget.copy(&rep.id)?,
            outcome: found.outcome,
            redirect_to,
            topics,
            principles: principles.results.clone(),
            priorities: prepared.priorities.clone(),
            obligations,
            reasons,
            mandate: MandateRef {
                group: budget.copy(&self.group.name)?,
                sha256: budget.copy(&self.sha256)?,
            },
            date: iso_date(date),
            title: budget.copy(&proposal.title)?,
            gates,
        })
    }

    /// The sentences of a decision made earlier, written now: the facts
    /// are found again from the same inputs (a check is a pure function of
    /// them), and the principles' results are the ones the check had.
    pub(crate) fn sentences_again(&self, later: &Later) -> (Vec<String>, Vec<String>) {
        let Some(rep) = self.representatives.get(later.representative) else {
            return (Vec::new(), Vec::new());
        };
        let proposal = &later.proposal;
        // Both succeeded when the decision was made, with the same inputs.
        let Ok(prepared) = self.prepare(proposal, true) else {
            return (Vec::new(), Vec::new());
        };
        let matched = self.match_topics(rep, &prepared, proposal);
        let cx = Context {
            proposal,
            prepared: &prepared,
            principles: &later.principles,
            today: later.today,
        };
        let evaluations = Self::evaluate_matched(rep, &matched, proposal);
        let found = self.found(&cx, rep, &matched, &evaluations, true);
        let words = Words {
            mandate: self,
            rep,
            proposal,
            date: proposal.date.unwrap_or(later.today),
            principles: &later.principles.results,
            faults: &later.principles.faults,
        };
        let bound = words.bound(&found);
        let (reasons, obligations) = sentences(&words, &found, None).unwrap_or_default();
        debug_assert!(
            reasons
                .iter()
                .chain(&obligations)
                .map(String::len)
                .sum::<usize>()
                <= bound,
            "the sentences are longer than their bound"
        );
        (reasons, obligations)
    }

    /// A note on a proposal topic the vocabulary does not know (or knows
    /// only as part of a broader topic while a close sibling is declared).
    /// The same for every representative: found once per proposal.
    fn unknown_topic<'a>(&'a self, topic: &'a str, suggestions: &mut usize) -> Option<Reason<'a>> {
        let first = self.vocabulary.first()?;
        if self.declared_exactly(topic).is_some() {
            return None;
        }
        let suggestion = if *suggestions > 0 {
            *suggestions -= 1;
            crate::topic::fuzzy::did_you_mean(
                topic,
                self.vocabulary.iter().map(|d| d.topic.as_str()),
            )
        } else {
            None
        };
        match self.declared(topic) {
            None => Some(Reason::UndeclaredTopic {
                topic,
                first_line: first.line,
                suggestion,
            }),
            // Below a declared topic, so known; but a near miss of another
            // declared topic is more likely a typo than a new sub-topic.
            Some(parent) if parent.topic != topic => {
                suggestion.map(|suggestion| Reason::NearTopic {
                    topic,
                    parent,
                    suggestion,
                })
            }
            Some(_) => None,
        }
    }

    /// The organisations owning `topic`, sorted by id, each with the line of
    /// its first matching `owns` pattern.
    pub(crate) fn owners_of(&self, topic: &str) -> Vec<(usize, u32)> {
        if self.owned.is_empty() {
            return Vec::new();
        }
        // Entries come in file order, and the sort is stable: the first
        // kept per organisation is its first matching line.
        let mut owners: Vec<(usize, u32)> = self
            .ownership
            .lookup(topic)
            .into_iter()
            .filter_map(|entry| self.owned.get(entry).map(|(org, _, line)| (*org, *line)))
            .collect();
        owners.sort_by_key(|&(org, _)| org);
        owners.dedup_by_key(|&mut (org, _)| org);
        let id = |org: usize| self.organisations.get(org).map(|o| o.id.as_str());
        owners.sort_by(|a, b| id(a.0).cmp(&id(b.0)));
        owners
    }
}

/// The reasons (then, unless it agrees, what would change the answer) and
/// the obligations, in words; each counted against `budget` as it is
/// written, when one is given, so that the writing stops at the bound.
fn sentences(
    words: &Words<'_>,
    found: &Found<'_>,
    mut budget: Option<&mut Budget>,
) -> Result<(Vec<String>, Vec<String>), CheckError> {
    let mut keep = |list: &mut Vec<String>, sentence: String| match budget.as_deref_mut() {
        Some(budget) => budget.keep(list, sentence),
        None => {
            list.push(sentence);
            Ok(())
        }
    };
    let mut reasons = Vec::with_capacity(found.reasons.list.len());
    for reason in &found.reasons.list {
        keep(&mut reasons, words.reason(reason))?;
    }
    if found.outcome != Outcome::Agree {
        for change in &found.changes.list {
            keep(&mut reasons, words.change(change))?;
        }
    }
    let mut obligations = Vec::with_capacity(found.duties.len());
    for duty in &found.duties {
        keep(&mut obligations, words.duty(duty))?;
    }
    Ok((reasons, obligations))
}

/// `date` as YYYY-MM-DD, as chrono's `Display` writes it (for years 0 to
/// 9999; others, which no proposal can give, are left to chrono), without
/// its formatting machinery: a check writes two or three dates.
fn iso_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    let (year, month, day) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&year) {
        return date.to_string();
    }
    let digits = [
        year / 1000,
        year / 100 % 10,
        year / 10 % 10,
        year % 10,
        -1,
        (month / 10) as i32,
        (month % 10) as i32,
        -1,
        (day / 10) as i32,
        (day % 10) as i32,
    ];
    let mut text = String::with_capacity(digits.len());
    for d in digits {
        text.push(match u8::try_from(d) {
            Ok(d) => char::from(b'0' + d),
            Err(_) => '-',
        });
    }
    text
}

/// What one decision is made from, besides the representative.
#[derive(Clone, Copy)]
struct Context<'a> {
    proposal: &'a Proposal,
    prepared: &'a Prepared<'a>,
    principles: &'a PrincipleResults,
    today: NaiveDate,
}

/// A rule's `at "F"`: `forum == "F"`, exactly; unknown when the proposal
/// names no forum; true for a rule without `at`.
pub(crate) fn at_forum(rule: &Rule, forum: Option<&str>) -> Truth {
    match (&rule.forum, forum) {
        (None, _) => Truth::True,
        (Some(wanted), Some(forum)) if forum == wanted => Truth::True,
        (Some(_), Some(_)) => Truth::False,
        (Some(_), None) => Truth::Unknown,
    }
}

/// Evaluates a rule's `at` forum and `when` for the proposal.
fn evaluate_rule<'m>(rule: &'m Rule, proposal: &Proposal) -> Evaluation<'m> {
    let forum = at_forum(rule, proposal.forum.as_deref());
    let mut gaps = match forum {
        Truth::Unknown => vec![Gap::Missing("forum".into())],
        _ => Vec::new(),
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
    // Only a grant that nearly applies says which part of it failed.
    let failed = match (&rule.condition, rule.effect, when) {
        (Some(expr), Effect::MayAgree, Truth::False) => logic::failed_parts(expr, &proposal.fields),
        _ => Vec::new(),
    };
    Evaluation {
        truth,
        forum,
        gaps,
        failed,
    }
}

/// How a check decides one topic from its rules, in order: a forbid that
/// holds declines; a forbid that is unknown, or a refer rule that holds or
/// is unknown, refers; a grant that holds agrees; nothing else agrees.
fn topic_outcome(evaluated: &[Evaluated<'_>]) -> Outcome {
    rules_outcome(evaluated.iter().map(|e| (e.effect(), e.truth)))
}

/// Step 2 of "How a check decides": a topic's outcome from the effect and
/// truth of each of the representative's rules matching it. The one place
/// this is decided: the check and the analysis both call it.
pub(crate) fn rules_outcome(rules: impl IntoIterator<Item = (Effect, Truth)>) -> Outcome {
    let (mut decline, mut refer, mut agree) = (false, false, false);
    for (effect, truth) in rules {
        match (effect, truth) {
            (Effect::MayNotAgree, Truth::True) => decline = true,
            (Effect::MayNotAgree, Truth::Unknown)
            | (Effect::Refer, Truth::Unknown | Truth::True) => refer = true,
            (Effect::MayAgree, Truth::True) => agree = true,
            _ => {}
        }
    }
    if decline {
        Outcome::Decline
    } else if refer || !agree {
        Outcome::Refer
    } else {
        Outcome::Agree
    }
}

/// The facts that explain one topic's outcome: the rule that decided it,
/// and what would change it.
fn topic_facts<'a>(
    topic: &'a str,
    outcome: Outcome,
    evaluated: &[Evaluated<'a>],
    proposal: &'a Proposal,
    reasons: &mut Reasons<'a>,
    changes: &mut Changes<'a>,
) {
    let conditional = |r: &Rule| r.condition.is_some() || r.forum.is_some();
    let holding = |effect: Effect| {
        evaluated
            .iter()
            .find(|e| e.effect() == effect && e.truth == Truth::True)
    };
    match outcome {
        Outcome::Agree => {
            if let Some(e) = holding(Effect::MayAgree) {
                reasons.add(Reason::Granted {
                    rule: e.rule,
                    topics: vec![topic],
                });
            }
        }
        Outcome::Decline => {
            if let Some(e) = holding(Effect::MayNotAgree) {
                reasons.add(Reason::Forbidden {
                    rule: e.rule,
                    topics: vec![topic],
                });
                let line = e.rule.line;
                changes.add(if conditional(e.rule) {
                    Change::OutsideForbid { line }
                } else {
                    Change::OnlyTheGroup { line }
                });
            }
        }
        Outcome::Refer => {
            let mut decided = false;
            for e in evaluated {
                let (rule, line) = (e.rule, e.rule.line);
                match (e.effect(), e.truth) {
                    (Effect::MayNotAgree, Truth::Unknown) => {
                        decided = true;
                        reasons.add(Reason::ForbidUnknown { rule, gaps: e.gaps });
                        changes.add(Change::Settle { line, gaps: e.gaps });
                    }
                    (Effect::Refer, Truth::True) => {
                        decided = true;
                        reasons.add(Reason::Referred {
                            rule,
                            topics: vec![topic],
                        });
                        if conditional(rule) {
                            changes.add(Change::OutsideRefer { line });
                        }
                    }
                    (Effect::Refer, Truth::Unknown) => {
                        decided = true;
                        reasons.add(Reason::ReferUnknown { rule, gaps: e.gaps });
                        changes.add(Change::Settle { line, gaps: e.gaps });
                    }
                    _ => {}
                }
            }
            if !decided {
                nothing_grants(topic, evaluated, proposal, reasons, changes);
            }
        }
        Outcome::Redirect => {}
    }
}

/// A topic referred because no rule grants it, with what each near-miss
/// grant would need.
fn nothing_grants<'a>(
    topic: &'a str,
    evaluated: &[Evaluated<'a>],
    proposal: &'a Proposal,
    reasons: &mut Reasons<'a>,
    changes: &mut Changes<'a>,
) {
    let mut grants = evaluated
        .iter()
        .filter(|e| e.effect() == Effect::MayAgree)
        .peekable();
    if grants.peek().is_none() {
        reasons.add(Reason::NoGrant { topic });
        changes.add(Change::NewGrant { topic });
        return;
    }
    reasons.add(Reason::NoGrantAsItStands { topic });
    for e in grants {
        let miss = match (&proposal.forum, e.forum, e.truth) {
            (Some(forum), Truth::False, _) => Miss::Forum(forum),
            (_, _, Truth::Unknown) => Miss::Unknown(e.gaps),
            _ => Miss::NotMet(e.failed),
        };
        changes.add(Change::NearGrant { rule: e.rule, miss });
    }
}

#[cfg(test)]
mod tests {
    use super::iso_date;
    use chrono::NaiveDate;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2026, 12, 2),
            (1, 1, 1),
            (0, 2, 29),
            (999, 10, 31),
            (9999, 12, 31),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
            assert_eq!(iso_date(date), date.to_string());
        }
        for date in [NaiveDate::MIN, NaiveDate::MAX] {
            assert_eq!(iso_date(date), date.to_string());
        }
    }
}
