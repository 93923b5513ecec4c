//! The facts a decision is made of, before any of them is put into words.
//!
//! Deciding ([`super`]) finds these; the wording module turns each into
//! one sentence. Facts are compared by value, so a fact found for several
//! topics (a conditional rule granting two of them) is said once, naming
//! every topic it covers, and no sentence is compared as text.

use super::logic::{Gap, Truth};
use super::Outcome;
use crate::compile::{Effect, Expr, Rule, TopicLabel};
use chrono::NaiveDate;

/// One rule's part in a topic's decision, as evaluated for the proposal.
#[derive(Debug, Clone)]
pub(crate) struct Evaluated<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// The `at` forum and the `when` together.
    pub truth: Truth,
    /// The `at` forum alone (true when the rule has none).
    pub forum: Truth,
    /// What made `truth` unknown (empty unless it is).
    pub gaps: &'a [Gap],
    /// When `truth` is false because of the `when`: the parts of it that
    /// failed, as small as they can be named (each conjunct that failed).
    pub failed: &'a [&'a Expr],
}

impl Evaluated<'_> {
    pub(crate) fn effect(&self) -> Effect {
        self.rule.effect
    }
}

/// Why the decision is what it is: each becomes one sentence of `reasons`.
#[derive(Debug, Clone)]
pub(crate) enum Reason<'a> {
    /// A proposal topic the vocabulary does not declare, with the closest
    /// declared topic when one is close.
    UndeclaredTopic {
        topic: &'a str,
        first_line: u32,
        suggestion: Option<&'a str>,
    },
    /// A proposal topic below a declared one, but a near miss of another
    /// declared topic: more likely a typo than a new sub-topic.
    NearTopic {
        topic: &'a str,
        parent: &'a TopicLabel,
        suggestion: &'a str,
    },
    /// The topic belongs to these organisations (index, `owns` line).
    Redirected {
        topic: &'a str,
        owners: &'a [(usize, u32)],
    },
    /// A grant whose condition holds, for these topics.
    Granted {
        rule: &'a Rule,
        topics: Vec<&'a str>,
    },
    /// A forbid whose condition holds.
    Forbidden {
        rule: &'a Rule,
        topics: Vec<&'a str>,
    },
    /// A forbid that cannot be judged: the proposal lacks these fields.
    ForbidUnknown { rule: &'a Rule, gaps: &'a [Gap] },
    /// A refer rule whose condition holds.
    Referred {
        rule: &'a Rule,
        topics: Vec<&'a str>,
    },
    /// A refer rule that cannot be judged.
    ReferUnknown { rule: &'a Rule, gaps: &'a [Gap] },
    /// No rule of the representative grants the topic at all.
    NoGrant { topic: &'a str },
    /// Grants exist, but none applies to the proposal as it stands.
    NoGrantAsItStands { topic: &'a str },
    /// The proposal is put to a forum the representative does not sit on.
    ForumGate { forum: &'a str },
    /// The meeting is before the representative's mandate starts.
    BeforeStart { from: NaiveDate },
    /// The meeting is after it ended.
    AfterEnd { until: NaiveDate },
    /// A principle was violated or could not be checked (its index).
    Principle { index: usize },
}

/// What would change the answer: said after the reasons when the outcome
/// is not `agree`.
#[derive(Debug, Clone)]
pub(crate) enum Change<'a> {
    /// A conditional forbid: outside its condition it would not apply.
    OutsideForbid { line: u32 },
    /// An unconditional forbid: only the group can change it.
    OnlyTheGroup { line: u32 },
    /// A conditional refer rule: outside its condition it would not apply.
    OutsideRefer { line: u32 },
    /// Giving these fields would settle the rule on `line`.
    Settle { line: u32, gaps: &'a [Gap] },
    /// No grant exists: only a new `may agree` line would do.
    NewGrant { topic: &'a str },
    /// A grant that nearly applies, and why it does not.
    NearGrant { rule: &'a Rule, miss: Miss<'a> },
    /// Put to one of the representative's own forums.
    OwnForum,
    /// At a meeting on or after the day the mandate starts.
    AfterStart { from: NaiveDate },
    /// A renewed mandate.
    Renew,
    /// The principle (its index) would not hold the proposal back.
    Principle { index: usize },
}

/// Why a grant does not apply.
#[derive(Debug, Clone)]
pub(crate) enum Miss<'a> {
    /// The proposal is put to another forum (named).
    Forum(&'a str),
    /// The proposal lacks what the condition needs.
    Unknown(&'a [Gap]),
    /// The condition is false: these parts of it failed.
    NotMet(&'a [&'a Expr]),
}

/// What the representative must do next: each becomes one obligation.
#[derive(Debug, Clone)]
pub(crate) enum Duty<'a> {
    /// Report the agreement to the group (by the due date, if the mandate
    /// sets one).
    ReportBack,
    /// Bring the proposal to the group first.
    BringToGroup,
    /// Say no, and tell the group.
    SayNo,
    /// With another topic redirected: what to do with the topics that stay
    /// with the group, given what they add up to.
    TheRest {
        outcome: Outcome,
        topics: Vec<&'a str>,
    },
    /// Pass these topics to the organisation (index).
    PassOn {
        organisation: usize,
        topics: Vec<&'a str>,
    },
}

/// The reasons found so far, each once: a fact of the same rule and kind
/// found for another topic names one more topic instead of repeating.
/// Linear: a check may find a fact for each of thousands of rules.
#[derive(Debug, Default)]
pub(crate) struct Reasons<'a> {
    pub list: Vec<Reason<'a>>,
    /// (kind, rule address) of every per-rule fact, to its place in `list`.
    by_rule: std::collections::HashMap<(u8, usize), usize>,
}

impl<'a> Reasons<'a> {
    /// Adds `reason`, merging it into an earlier fact of the same rule and
    /// kind; a topic-free fact already said is dropped.
    pub(crate) fn add(&mut self, reason: Reason<'a>) {
        let key = match &reason {
            Reason::Granted { rule, .. } => Some((0, *rule)),
            Reason::Forbidden { rule, .. } => Some((1, *rule)),
            Reason::Referred { rule, .. } => Some((2, *rule)),
            Reason::ForbidUnknown { rule, .. } => Some((3, *rule)),
            Reason::ReferUnknown { rule, .. } => Some((4, *rule)),
            _ => None,
        };
        let Some((kind, rule)) = key else {
            // Topic facts come once per topic (a proposal lists each topic
            // once); gates and principles once per decision.
            self.list.push(reason);
            return;
        };
        let key = (kind, std::ptr::from_ref(rule) as usize);
        match self.by_rule.get(&key).and_then(|i| self.list.get_mut(*i)) {
            Some(
                Reason::Granted { topics, .. }
                | Reason::Forbidden { topics, .. }
                | Reason::Referred { topics, .. },
            ) => {
                if let Reason::Granted { topics: more, .. }
                | Reason::Forbidden { topics: more, .. }
                | Reason::Referred { topics: more, .. } = reason
                {
                    topics.extend(more);
                }
            }
            Some(_) => {}
            None => {
                self.by_rule.insert(key, self.list.len());
                self.list.push(reason);
            }
        }
    }
}

/// What would change the answer, each said once, in the order found.
#[derive(Debug, Default)]
pub(crate) struct Changes<'a> {
    pub list: Vec<Change<'a>>,
    /// (kind, rule line or address) of every per-rule change kept.
    by_rule: std::collections::HashSet<(u8, usize)>,
}

impl<'a> Changes<'a> {
    /// Adds `change` unless it is already there.
    pub(crate) fn add(&mut self, change: Change<'a>) {
        let key = match &change {
            // Sentences that name only the line: one per line.
            Change::OutsideForbid { line } => Some((0, *line as usize)),
            Change::OnlyTheGroup { line } => Some((1, *line as usize)),
            Change::OutsideRefer { line } => Some((2, *line as usize)),
            Change::Settle { line, .. } => Some((3, *line as usize)),
            Change::NearGrant { rule, .. } => Some((4, std::ptr::from_ref(*rule) as usize)),
            // The rest come once: per topic (a proposal lists each topic
            // once), per gate or per principle.
            _ => None,
        };
        if key.is_none_or(|key| self.by_rule.insert(key)) {
            self.list.push(change);
        }
    }
}
