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
use facts::{Change, Changes, Duty, Evaluated, Miss, Reason, Reasons};
use logic::{Gap, Truth};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

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
    /// Ids of the priorities the proposal touches, in file order.
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

    fn prepare<'a>(&'a self, proposal: &'a Proposal) -> Result<Prepared<'a>, CheckError> {
        // "Did you mean" costs: offer it for the first few unknown topics.
        let mut suggestions = crate::topic::fuzzy::MAX_SUGGESTIONS;
        let topic_notes = proposal
            .topics
            .iter()
            .map(|t| self.unknown_topic(t, &mut suggestions))
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
        prepared: &Prepared<'_>,
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
            let rules = rep.rules_for(topic);
            budget.entries(rules.len())?;
            matched.push(rules);
        }
        Ok(matched)
    }

    /// The representative with this id, or an error that lists the known ones.
    pub(crate) fn find_representative(&self, id: &str) -> Result<&Representative, CheckError> {
        self.representative(id).ok_or_else(|| {
            let known: Vec<String> = self.representatives.iter().map(|r| r.id.clone()).collect();
            let suggestion =
                crate::topic::fuzzy::did_you_mean(id, known.iter().map(String::as_str))
                    .map(str::to_string);
            CheckError::UnknownRepresentative {
                id: id.to_string(),
                known,
                suggestion,
            }
        })
    }

    /// Runs every principle against the proposal, in file order.
    pub(crate) fn evaluate_principles(&self, proposal: &Proposal) -> PrincipleResults {
        let value = serde_json::Value::Object(proposal.fields.clone());
        let rhai_value = crate::principles::to_rhai(&value);
        // One budget for all the principles of this check, in file order.
        let mut budget = principles::CheckBudget::new();
        let mut faults = Vec::with_capacity(self.principles.len());
        let results = self
            .principles
            .iter()
            .map(|principle| {
                let (result, reason, fault) = match &rhai_value {
                    Err(error) => (
                        PrincipleOutcome::Error,
                        Some(format!("the proposal could not be given to it: {error}")),
                        None,
                    ),
                    Ok(proposal) => {
                        let evaluation = self.sandbox.evaluate_reading(
                            &principle.ast,
                            &principle.reads,
                            proposal,
                            &mut budget,
                        );
                        match evaluation.verdict {
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
                                    Some(fault) => {
                                        crate::wording::fault::fault_reason(fault, &technical)
                                    }
                                    None => technical,
                                };
                                (PrincipleOutcome::Error, Some(reason), evaluation.fault)
                            }
                        }
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
        let mut reasons = Reasons::default();
        let mut changes = Changes::default();
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
        let mut evaluations: HashMap<usize, Evaluation<'_>> = HashMap::new();
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
                reasons.add(note.clone());
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
                reasons.add(Reason::Redirected { topic, owners });
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
                        truth: e.truth,
                        forum: e.forum,
                        gaps: &e.gaps,
                        failed: &e.failed,
                    })
                })
                .collect();
            let topic_outcome = topic_outcome(&evaluated);
            topic_facts(
                topic,
                topic_outcome,
                &evaluated,
                proposal,
                &mut reasons,
                &mut changes,
            );
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

        // 3. Gates, each in the trace whether it held or not.
        let mut gates = Vec::new();
        if !rep.forums.is_empty() {
            // A proposal that names no forum is not held back here: the
            // rules with `at` ask for it instead.
            let passed = rep.attends(proposal.forum.as_deref());
            if let (false, Some(forum)) = (passed, &proposal.forum) {
                reasons.add(Reason::ForumGate { forum });
                changes.add(Change::OwnForum);
                outcome = outcome.max(Outcome::Refer);
                rest = rest.max(Outcome::Refer);
            }
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
        if rep.valid_from.is_some() || rep.valid_until.is_some() {
            let early = rep.valid_from.filter(|from| date < *from);
            let late = rep.valid_until.filter(|until| date > *until);
            if let Some(from) = early {
                reasons.add(Reason::BeforeStart { from });
                changes.add(Change::AfterStart { from });
            } else if let Some(until) = late {
                reasons.add(Reason::AfterEnd { until });
                changes.add(Change::Renew);
            }
            let passed = rep.in_force(date);
            if !passed {
                outcome = outcome.max(Outcome::Refer);
                rest = rest.max(Outcome::Refer);
            }
            gates.push(Gate::Dates {
                line: rep.valid_line.unwrap_or(rep.line),
                passed,
                date: date.to_string(),
                date_source: if proposal.date.is_some() {
                    DateSource::Proposal
                } else {
                    DateSource::CheckDay
                },
                from: rep.valid_from.map(|d| d.to_string()),
                until: rep.valid_until.map(|d| d.to_string()),
            });
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
            if result.result != PrincipleOutcome::Upheld {
                reasons.add(Reason::Principle { index });
            }
            if let Some(effect) = effect {
                changes.add(Change::Principle { index });
                outcome = outcome.max(effect);
                rest = rest.max(effect);
            }
        }
        budget.bytes(
            principles
                .results
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
        let mut duties = Vec::new();
        match outcome {
            Outcome::Agree => duties.push(Duty::ReportBack),
            Outcome::Refer => duties.push(Duty::BringToGroup),
            Outcome::Decline => duties.push(Duty::SayNo),
            Outcome::Redirect => {
                if rest != Outcome::Agree || !rest_topics.is_empty() {
                    duties.push(Duty::TheRest {
                        outcome: rest,
                        topics: rest_topics,
                    });
                }
            }
        }
        // Each organisation's topics, in the proposal's order, by id.
        let mut topics_of: BTreeMap<&str, (usize, Vec<&str>)> = BTreeMap::new();
        for (topic, owners) in &redirected {
            for (org, _) in owners.iter() {
                if let Some(o) = self.organisations.get(*org) {
                    topics_of
                        .entry(o.id.as_str())
                        .or_insert((*org, Vec::new()))
                        .1
                        .push(topic);
                }
            }
        }
        duties.extend(
            topics_of
                .into_values()
                .map(|(organisation, topics)| Duty::PassOn {
                    organisation,
                    topics,
                }),
        );

        // The facts in words.
        let words = Words {
            mandate: self,
            rep,
            proposal,
            date,
            principles: &principles.results,
            faults: &principles.faults,
        };
        let mut sentences = Vec::with_capacity(reasons.list.len());
        for reason in &reasons.list {
            budget.keep(&mut sentences, words.reason(reason))?;
        }
        if outcome != Outcome::Agree {
            for change in &changes.list {
                budget.keep(&mut sentences, words.change(change))?;
            }
        }
        let mut obligations = Vec::with_capacity(duties.len());
        for duty in &duties {
            budget.keep(&mut obligations, words.duty(duty))?;
        }

        Ok(Decision {
            proposal: budget.copy(&proposal.id)?,
            representative: budget.copy(&rep.id)?,
            outcome,
            redirect_to,
            topics,
            principles: principles.results.clone(),
            priorities: prepared.priorities.clone(),
            obligations,
            reasons: sentences,
            mandate: MandateRef {
                group: budget.copy(&self.group.name)?,
                sha256: budget.copy(&self.sha256)?,
            },
            date: date.to_string(),
            title: budget.copy(&proposal.title)?,
            gates,
        })
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
