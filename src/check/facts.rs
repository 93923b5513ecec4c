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
    by_rule: Keys,
}

/// Keys of the facts said so far, to a place: the first few in a list
/// searched in order (a decision usually has one or two, and a hash map
/// would cost an allocation and a hash for each), the rest in a map.
#[derive(Debug, Default)]
struct Keys {
    few: [((u8, usize), usize); FEW_KEYS],
    count: usize,
    many: std::collections::HashMap<(u8, usize), usize>,
}

const FEW_KEYS: usize = 8;

impl Keys {
    fn get(&self, key: (u8, usize)) -> Option<usize> {
        match self.few.get(..self.count) {
            Some(few) if self.many.is_empty() => {
                few.iter().find(|(k, _)| *k == key).map(|(_, place)| *place)
            }
            _ => self.many.get(&key).copied(),
        }
    }

    /// Adds `key` unless it is there; whether it was added.
    fn insert(&mut self, key: (u8, usize), place: usize) -> bool {
        if self.get(key).is_some() {
            return false;
        }
        match self.few.get_mut(self.count) {
            Some(slot) if self.many.is_empty() => {
                *slot = (key, place);
                self.count += 1;
            }
            _ => {
                if self.many.is_empty() {
                    self.many.extend(self.few.iter().copied());
                }
                self.many.insert(key, place);
            }
        }
        true
    }
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
        match self.by_rule.get(key).and_then(|i| self.list.get_mut(i)) {
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
    by_rule: Keys,
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
        if key.is_none_or(|key| self.by_rule.insert(key, 0)) {
            self.list.push(change);
        }
    }
}

/// One topic of the proposal, as decided for one representative.
#[derive(Debug)]
pub(crate) struct TopicFound<'a> {
    /// The topic as the proposal gives it.
    pub topic: &'a str,
    /// Its outcome (before gates and principles).
    pub outcome: Outcome,
    /// The organisations owning it (index, `owns` line); empty unless it is
    /// redirected.
    pub owners: &'a [(usize, u32)],
    /// The representative's rules matching it, evaluated, in file order
    /// (empty when it is redirected).
    pub evaluated: Vec<Evaluated<'a>>,
}

impl TopicFound<'_> {
    /// The line that decided the topic: the first `owns` line of a
    /// redirected topic, else the first rule that gives its outcome (a
    /// grant that holds, a forbid that holds, a forbid or refer rule that
    /// holds or is unknown); none when no rule grants it.
    pub(crate) fn deciding_line(&self) -> Option<u32> {
        if let Some((_, line)) = self.owners.first() {
            return Some(*line);
        }
        let gives = |e: &&Evaluated<'_>| {
            matches!(
                (self.outcome, e.effect(), e.truth),
                (Outcome::Agree, Effect::MayAgree, Truth::True)
                    | (Outcome::Decline, Effect::MayNotAgree, Truth::True)
                    | (Outcome::Refer, Effect::MayNotAgree, Truth::Unknown)
                    | (Outcome::Refer, Effect::Refer, Truth::True | Truth::Unknown)
            )
        };
        self.evaluated.iter().find(gives).map(|e| e.rule.line)
    }
}

/// Everything one representative's decision is made of, before any text is
/// copied or worded.
#[derive(Debug)]
pub(crate) struct Found<'a> {
    /// The overall outcome.
    pub outcome: Outcome,
    /// Each topic, in the proposal's order.
    pub topics: Vec<TopicFound<'a>>,
    /// Whether the proposal passed the `forums` gate (none without one).
    pub forum_passed: Option<bool>,
    /// Whether the meeting falls within `valid` (none without one).
    pub dates_passed: Option<bool>,
    /// Why (only when explaining).
    pub reasons: Reasons<'a>,
    /// What would change the answer (only when explaining).
    pub changes: Changes<'a>,
    /// What to do next (only when explaining).
    pub duties: Vec<Duty<'a>>,
}
