//! The decision: what a check returns (the README's "The decision JSON"), as plain
//! serde data. Field order is the JSON's order; keep it stable.

use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

use crate::compile::Effect;
use crate::syntax::ast::Severity;

/// The answer for a representative, from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// They may agree.
    Agree,
    /// Bring it back to the group first.
    Refer,
    /// It belongs to a member organisation: pass it on.
    Redirect,
    /// Say no.
    Decline,
}

impl Outcome {
    /// The outcome word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Agree => "agree",
            Outcome::Refer => "refer",
            Outcome::Redirect => "redirect",
            Outcome::Decline => "decline",
        }
    }

    /// The exit code `check --exit-code` gives for this outcome.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Agree => 0,
            Outcome::Refer => 3,
            Outcome::Redirect => 4,
            Outcome::Decline => 5,
        }
    }
}

/// The result of checking one proposal for one representative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// The proposal's id.
    pub proposal: String,
    /// The representative's id.
    pub representative: String,
    /// The overall outcome.
    pub outcome: Outcome,
    /// Ids (sorted) of every organisation a topic was redirected to.
    pub redirect_to: Vec<String>,
    /// One entry per topic of the proposal, in the proposal's order.
    pub topics: Vec<TopicDecision>,
    /// Every principle, in file order.
    pub principles: Vec<PrincipleResult>,
    /// Ids of the priorities the proposal touches, in file order.
    pub priorities: Vec<String>,
    /// What the representative must do next.
    pub obligations: Sentences,
    /// Why, in plain English: one sentence each, citing mandate lines.
    pub reasons: Sentences,
    /// The mandate that made the decision.
    pub mandate: MandateRef,
    /// The meeting date the check used (the proposal's `date`, or the day
    /// of the check when it has none). An extension of the original decision keys: with it a
    /// decision records all three inputs of the check.
    pub date: String,
    /// The proposal's title (an extension, for the reports every front end
    /// draws from the decision alone).
    pub title: String,
    /// Every gate the representative has (their `forums` line, their
    /// `valid` line), in that order, whether it held or not; empty when
    /// they have neither (an extension).
    pub gates: Vec<Gate>,
}

/// A forum or date gate of a representative, and how the proposal fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "gate", rename_all = "snake_case")]
pub enum Gate {
    /// The `forums` line: the proposal must be put to one of them.
    Forum {
        /// The `forums` line.
        line: u32,
        /// Whether the proposal passed (a proposal naming no forum does).
        passed: bool,
        /// The proposal's forum, or `null` when it names none.
        forum: Option<String>,
        /// The representative's forums.
        forums: Vec<String>,
    },
    /// The `valid` line: the meeting must fall within it.
    Dates {
        /// The `valid` line.
        line: u32,
        /// Whether the meeting date is within it.
        passed: bool,
        /// The meeting date compared (YYYY-MM-DD).
        date: String,
        /// Where that date came from.
        date_source: DateSource,
        /// The first day of the mandate, if it has one.
        from: Option<String>,
        /// The last day of the mandate, if it has one.
        until: Option<String>,
    },
}

/// Where the meeting date of a check came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The proposal's `date`.
    Proposal,
    /// The proposal gives none: the day of the check stood in.
    CheckDay,
}

/// The decision for one topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicDecision {
    /// The topic as the proposal gives it.
    pub topic: String,
    /// Its outcome (before gates and principles).
    pub outcome: Outcome,
    /// Every rule of the representative that matches the topic, in file
    /// order (absent for a redirected topic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<RuleTrace>>,
    /// The organisations that own the topic (only for a redirected topic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owners: Option<Vec<Owner>>,
}

/// One rule's part in a topic's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTrace {
    /// `may_agree`, `refer` or `may_not_agree`.
    pub effect: Effect,
    /// The rule's line in the rule file.
    pub line: u32,
    /// `true`, `false` or `unknown`: the `at` forum and `when` together.
    pub condition: String,
    /// What the proposal lacked, or gave with the wrong type, when the
    /// condition is unknown; empty otherwise.
    pub unknown_fields: Vec<String>,
}

/// An organisation a topic is redirected to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    /// Its id.
    pub id: String,
    /// The line of the `owns` pattern that matched.
    pub line: u32,
}

/// What a principle said about the proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrincipleResult {
    /// The principle's id.
    pub id: String,
    /// Its severity.
    pub severity: Severity,
    /// `upheld`, `violated` or `error`.
    pub result: PrincipleOutcome,
    /// The principle's reason (violated), or the cause (error).
    pub reason: Option<String>,
}

/// The three results of a principle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipleOutcome {
    /// Respected.
    Upheld,
    /// Gone against.
    Violated,
    /// Could not be evaluated.
    Error,
}

/// Which mandate made a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateRef {
    /// The group's name.
    pub group: String,
    /// The mandate's fingerprint (see the README).
    pub sha256: String,
}

/// The decision facts alone ([`crate::Mandate::decide`]): what a check
/// decides, without the trace's copies of the inputs or any sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionFacts {
    /// The overall outcome, as [`Decision::outcome`].
    pub outcome: Outcome,
    /// One entry per topic of the proposal, in the proposal's order.
    pub topics: Vec<TopicFacts>,
    /// Whether the proposal passed the representative's forum and date
    /// gates (true when they have none).
    pub gates_passed: bool,
}

/// One topic's part in a [`DecisionFacts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicFacts {
    /// Its outcome (before gates and principles), as
    /// [`TopicDecision::outcome`].
    pub outcome: Outcome,
    /// The line that decided it: the `owns` line of a redirected topic,
    /// else the first rule giving its outcome; none when no rule grants it.
    pub line: Option<u32>,
}

/// Sentences of a decision (its reasons, or its obligations): read as a
/// list of strings (`Deref<Target = [String]>`), serialized as one.
///
/// A decision made by [`crate::Mandate::check`] writes them when they are
/// first read, from the facts of the check found again (a check is a pure
/// function of its mandate, proposal and date), so an embedder that reads
/// only the outcome never pays for the English; a decision read back from
/// JSON, or built from a list, holds them written.
#[derive(Clone)]
pub struct Sentences(Held);

#[derive(Clone)]
enum Held {
    Written(Vec<String>),
    Later(Arc<Later>, Part),
}

#[derive(Clone, Copy)]
enum Part {
    Reasons,
    Obligations,
}

/// What a decision's sentences are written from when first read.
pub(crate) struct Later {
    pub mandate: crate::Mandate,
    pub proposal: crate::Proposal,
    /// The representative's place in the mandate.
    pub representative: usize,
    /// The day of the check.
    pub today: chrono::NaiveDate,
    /// The principles' results the check had.
    pub principles: Arc<super::PrincipleResults>,
    /// The reasons and the obligations, once written.
    pub words: OnceLock<(Vec<String>, Vec<String>)>,
}

impl Sentences {
    /// The reasons and the obligations of a decision, to be written from
    /// `later` when first read.
    pub(crate) fn later(later: Later) -> (Sentences, Sentences) {
        let later = Arc::new(later);
        (
            Sentences(Held::Later(Arc::clone(&later), Part::Reasons)),
            Sentences(Held::Later(later, Part::Obligations)),
        )
    }

    /// The sentences as a list of their own.
    pub fn into_vec(self) -> Vec<String> {
        match self.0 {
            Held::Written(list) => list,
            Held::Later(..) => self.to_vec(),
        }
    }
}

impl std::ops::Deref for Sentences {
    type Target = [String];

    fn deref(&self) -> &[String] {
        match &self.0 {
            Held::Written(list) => list,
            Held::Later(later, part) => {
                let (reasons, obligations) = later
                    .words
                    .get_or_init(|| later.mandate.sentences_again(later));
                match part {
                    Part::Reasons => reasons,
                    Part::Obligations => obligations,
                }
            }
        }
    }
}

impl From<Vec<String>> for Sentences {
    fn from(list: Vec<String>) -> Self {
        Sentences(Held::Written(list))
    }
}

impl Default for Sentences {
    fn default() -> Self {
        Sentences::from(Vec::new())
    }
}

impl<'a> IntoIterator for &'a Sentences {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for Sentences {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for Sentences {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for Sentences {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == **other
    }
}

impl std::fmt::Debug for Sentences {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Sentences {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Sentences {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(deserializer).map(Sentences::from)
    }
}
