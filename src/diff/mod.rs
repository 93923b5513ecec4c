//! What changed in meaning between two versions of a mandate, as plain
//! data (the English is `crate::wording::diff`'s).
//!
//! Both versions are compiled mandates, so a change of layout, comments or
//! parentheses is never a change: everything is compared through the
//! meaning projections ([`Mandate::meaning`], [`Rule::meaning`]).
//!
//! How things are matched between the versions:
//!
//! - Representatives, principles, priorities and organisations by id;
//!   vocabulary entries by topic. One present in only one version is added
//!   or removed; one in both is compared field by field.
//! - A representative's rules in three passes, each in file order and
//!   greedy (the first unused candidate wins). First by meaning: a rule
//!   meaning the same as one in the other version is unchanged, wherever it
//!   stands, so moving or reordering rules is no change. Then what is left
//!   is paired by effect and the same topics (its condition, `except` or
//!   forum changed), then by effect and at least one topic in common (a
//!   topic added or removed). A pair is reported as one rule changed; what
//!   is still left is removed or added. A rule whose effect changed (a
//!   grant that became a refer) is one removed and one added.
//! - A changed condition is read as its `and` terms (a condition that is not
//!   an `and` is one term). Terms in both versions are set aside; if every
//!   term left pairs with one on the other side of the same shape (the same
//!   field compared the same way with `<`, `<=`, `>` or `>=` against a
//!   number or a date; the same field `in` a list), each pair is a bound
//!   moved or list members added and removed, and terms left unpaired on
//!   one side only are terms added (tightened) or removed (loosened). When
//!   unpaired terms are left on both sides (the direction is not simple to
//!   tell), the whole condition is reported as changed, old and new.
//!
//! Order alone is no change: declarations, forums, a rule's topics or the
//! `and` terms of its condition in another order change no proposal's
//! answer, so a pair of rules differing only so is unchanged, and nothing
//! is reported for it (the meaning projections keep that order, so two
//! files can differ in [`Mandate::meaning`] and still diff as no change).
//!
//! "Loosened" is said of the condition: it holds for more proposals. What
//! that means depends on the rule (a grant widened, a refer or forbid that
//! catches more), and is for the wording to say.

mod source;

use crate::compile::{CompareOp, Effect, Expr, Mandate, Operand, Representative, Rule, Value};
use crate::syntax::ast::Severity;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

pub use source::expr_source;

/// Every change in meaning from one version of a mandate to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// The changes: per representative (in the new file's order, those
    /// removed last), then principles, priorities, organisations, the
    /// vocabulary and the group.
    pub changes: Vec<Change>,
}

impl Diff {
    /// Whether the two versions mean the same.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The representative it is about, by id, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
    /// Its line in the old version, when it has one there.
    pub old_line: Option<u32>,
    /// Its line in the new version, when it has one there.
    pub new_line: Option<u32>,
    /// What changed.
    #[serde(flatten)]
    pub kind: ChangeKind,
}

/// What changed. Dates are `YYYY-MM-DD`; topics are patterns as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    /// A representative only the new version has.
    RepresentativeAdded {
        /// Their name.
        name: String,
        /// How many rules they have.
        rules: usize,
    },
    /// A representative only the old version has.
    RepresentativeRemoved {
        /// Their name.
        name: String,
    },
    /// A representative's name.
    NameChanged {
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// A representative's role.
    RoleChanged {
        /// Before.
        old: Option<String>,
        /// After.
        new: Option<String>,
    },
    /// A forum the representative now attends.
    ForumAdded {
        /// The forum.
        forum: String,
    },
    /// A forum no longer listed.
    ForumRemoved {
        /// The forum.
        forum: String,
    },
    /// The `valid` dates.
    DatesChanged {
        /// First day before.
        old_from: Option<String>,
        /// Last day before.
        old_until: Option<String>,
        /// First day after.
        new_from: Option<String>,
        /// Last day after.
        new_until: Option<String>,
    },
    /// `report within N days`.
    ReportChanged {
        /// Days before.
        old_days: Option<u32>,
        /// Days after.
        new_days: Option<u32>,
    },
    /// A rule only the new version has.
    RuleAdded {
        /// Its effect.
        effect: Effect,
        /// What it says.
        facts: RuleFacts,
        /// Its place among the representative's rules in the new version.
        rule: usize,
    },
    /// A rule only the old version has.
    RuleRemoved {
        /// Its effect.
        effect: Effect,
        /// What it says.
        facts: RuleFacts,
        /// Its place among the representative's rules in the old version.
        rule: usize,
    },
    /// A rule in both versions whose meaning changed.
    RuleChanged {
        /// Its effect (the same in both).
        effect: Effect,
        /// Its place among the representative's rules in the old version.
        old_rule: usize,
        /// Its place among the representative's rules in the new version.
        new_rule: usize,
        /// How it changed, at least one item.
        how: Vec<RuleChange>,
    },
    /// A principle only the new version has.
    PrincipleAdded {
        /// Its id.
        id: String,
        /// Its statement.
        statement: String,
        /// Its severity.
        severity: Severity,
    },
    /// A principle only the old version has.
    PrincipleRemoved {
        /// Its id.
        id: String,
        /// Its statement.
        statement: String,
    },
    /// A principle's statement.
    PrincipleStatementChanged {
        /// Its id.
        id: String,
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// A principle's severity.
    PrincipleSeverityChanged {
        /// Its id.
        id: String,
        /// Its statement (new version).
        statement: String,
        /// Before.
        old: Severity,
        /// After.
        new: Severity,
    },
    /// A principle's code (its text apart from surrounding whitespace, or
    /// where it is: inline or which script).
    PrincipleCodeChanged {
        /// Its id.
        id: String,
        /// Its statement (new version).
        statement: String,
        /// The script before, empty for inline code.
        old_file: String,
        /// The script after, empty for inline code.
        new_file: String,
    },
    /// A priority only the new version has.
    PriorityAdded {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
    },
    /// A priority only the old version has.
    PriorityRemoved {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
    },
    /// A priority's name.
    PriorityRenamed {
        /// Its id.
        id: String,
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// A topic a priority now covers.
    PriorityTopicAdded {
        /// The priority's id.
        id: String,
        /// The topic.
        topic: String,
    },
    /// A topic a priority no longer covers.
    PriorityTopicRemoved {
        /// The priority's id.
        id: String,
        /// The topic.
        topic: String,
    },
    /// An organisation only the new version has.
    OrganisationAdded {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
    },
    /// An organisation only the old version has.
    OrganisationRemoved {
        /// Its id.
        id: String,
        /// Its name.
        name: String,
    },
    /// An organisation's name.
    OrganisationRenamed {
        /// Its id.
        id: String,
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// A topic an organisation now owns.
    OwnershipAdded {
        /// The organisation's id.
        id: String,
        /// The topic.
        topic: String,
    },
    /// A topic an organisation no longer owns.
    OwnershipRemoved {
        /// The organisation's id.
        id: String,
        /// The topic.
        topic: String,
    },
    /// A topic the vocabulary now declares.
    TopicDeclared {
        /// The topic.
        topic: String,
        /// Its label.
        label: String,
    },
    /// A topic the vocabulary no longer declares.
    TopicDropped {
        /// The topic.
        topic: String,
        /// Its label before.
        label: String,
    },
    /// A topic's label.
    TopicLabelChanged {
        /// The topic.
        topic: String,
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// The group's name.
    GroupRenamed {
        /// Before.
        old: String,
        /// After.
        new: String,
    },
    /// The group's place.
    PlaceChanged {
        /// Before.
        old: Option<String>,
        /// After.
        new: Option<String>,
    },
}

/// What a rule says, for a tool reading the JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleFacts {
    /// Its topics, in order.
    pub topics: Vec<String>,
    /// Its `except` topics, in order.
    pub except: Vec<String>,
    /// `at "FORUM"`.
    pub forum: Option<String>,
    /// `when ...`, in the language's syntax.
    pub condition: Option<String>,
}

impl RuleFacts {
    fn of(rule: &Rule) -> RuleFacts {
        let names = |patterns: &[crate::topic::TopicPattern]| {
            patterns.iter().map(ToString::to_string).collect()
        };
        RuleFacts {
            topics: names(&rule.patterns),
            except: names(&rule.except),
            forum: rule.forum.clone(),
            condition: rule.condition.as_ref().map(expr_source),
        }
    }
}

/// How a rule in both versions changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum RuleChange {
    /// A topic now in its list.
    TopicAdded {
        /// The topic.
        topic: String,
    },
    /// A topic no longer in its list.
    TopicRemoved {
        /// The topic.
        topic: String,
    },
    /// A topic now taken out by `except`.
    ExceptAdded {
        /// The topic.
        topic: String,
    },
    /// A topic no longer taken out by `except`.
    ExceptRemoved {
        /// The topic.
        topic: String,
    },
    /// `at "FORUM"` changed (none: at any forum).
    ForumChanged {
        /// Before.
        old: Option<String>,
        /// After.
        new: Option<String>,
    },
    /// A condition where there was none (tightened).
    ConditionAdded {
        /// The condition in the language's syntax.
        new: String,
    },
    /// No condition where there was one (loosened).
    ConditionRemoved {
        /// The condition before, in the language's syntax.
        old: String,
    },
    /// The condition changed in a way not told more simply.
    ConditionChanged {
        /// Before, in the language's syntax.
        old: String,
        /// After, in the language's syntax.
        new: String,
    },
    /// An `and` term only the new condition has (tightened).
    TermAdded {
        /// Its place among the new condition's `and` terms ([`and_terms`]).
        term: usize,
        /// The term in the language's syntax.
        source: String,
    },
    /// An `and` term only the old condition has (loosened).
    TermRemoved {
        /// Its place among the old condition's `and` terms.
        term: usize,
        /// The term in the language's syntax.
        source: String,
    },
    /// `field OP bound` with the bound moved.
    BoundMoved {
        /// The field.
        field: String,
        /// The comparison, as written (`<`, `<=`, `>`, `>=`).
        op: Bound,
        /// The bound before.
        old: Literal,
        /// The bound after.
        new: Literal,
        /// Whether the condition now holds for more proposals or fewer.
        direction: Direction,
    },
    /// A value now in `field in [...]` (loosened).
    MemberAdded {
        /// The field.
        field: String,
        /// The value.
        value: Literal,
    },
    /// A value no longer in `field in [...]` (tightened).
    MemberRemoved {
        /// The field.
        field: String,
        /// The value.
        value: Literal,
    },
}

/// A comparison with a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Bound {
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

/// Which way a condition moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// It holds for more proposals.
    Loosened,
    /// It holds for fewer proposals.
    Tightened,
}

/// A value written in a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Literal {
    /// A number.
    Number(f64),
    /// A text.
    Text(String),
    /// A date, `YYYY-MM-DD`.
    Date(String),
    /// `true` or `false`.
    Bool(bool),
    /// A list, in the language's syntax.
    List(String),
}

impl Literal {
    fn of(value: &Value) -> Literal {
        match value {
            Value::Number(n) => Literal::Number(*n),
            Value::String(s) => Literal::Text(s.clone()),
            Value::Date(d) => Literal::Date(d.to_string()),
            Value::Bool(b) => Literal::Bool(*b),
            Value::List(_) => Literal::List(source::value_source(value)),
        }
    }
}

/// A condition's `and` terms: its terms when it is an `and` (nested `and`
/// flattened, as in its meaning), else the condition itself.
pub fn and_terms(expr: &Expr) -> Vec<&Expr> {
    let mut out = Vec::new();
    push_terms(expr, &mut out);
    out
}

fn push_terms<'e>(expr: &'e Expr, out: &mut Vec<&'e Expr>) {
    match expr {
        Expr::And(terms) => {
            for term in terms {
                push_terms(term, out);
            }
        }
        other => out.push(other),
    }
}

/// What changed in meaning from `old` to `new`.
pub fn diff(old: &Mandate, new: &Mandate) -> Diff {
    let mut changes = Vec::new();
    representatives(old, new, &mut changes);
    principles(old, new, &mut changes);
    priorities(old, new, &mut changes);
    organisations(old, new, &mut changes);
    vocabulary(old, new, &mut changes);
    let (og, ng) = (old.group(), new.group());
    if og.name != ng.name {
        changes.push(plain(ChangeKind::GroupRenamed {
            old: og.name.clone(),
            new: ng.name.clone(),
        }));
    }
    if og.place != ng.place {
        changes.push(plain(ChangeKind::PlaceChanged {
            old: og.place.clone(),
            new: ng.place.clone(),
        }));
    }
    Diff { changes }
}

fn plain(kind: ChangeKind) -> Change {
    Change {
        representative: None,
        old_line: None,
        new_line: None,
        kind,
    }
}

fn at(kind: ChangeKind, old_line: Option<u32>, new_line: Option<u32>) -> Change {
    Change {
        representative: None,
        old_line,
        new_line,
        kind,
    }
}

fn representatives(old: &Mandate, new: &Mandate, changes: &mut Vec<Change>) {
    for rep in new.representatives() {
        let mut found = Vec::new();
        match old.representative(&rep.id) {
            None => found.push(at(
                ChangeKind::RepresentativeAdded {
                    name: rep.name.clone(),
                    rules: rep.rules.len(),
                },
                None,
                Some(rep.line),
            )),
            Some(before) => representative(before, rep, &mut found),
        }
        for mut change in found {
            change.representative = Some(rep.id.clone());
            changes.push(change);
        }
    }
    for rep in old.representatives() {
        if new.representative(&rep.id).is_none() {
            let mut change = at(
                ChangeKind::RepresentativeRemoved {
                    name: rep.name.clone(),
                },
                Some(rep.line),
                None,
            );
            change.representative = Some(rep.id.clone());
            changes.push(change);
        }
    }
}

fn representative(old: &Representative, new: &Representative, out: &mut Vec<Change>) {
    let lines = (Some(old.line), Some(new.line));
    if old.name != new.name {
        out.push(at(
            ChangeKind::NameChanged {
                old: old.name.clone(),
                new: new.name.clone(),
            },
            lines.0,
            lines.1,
        ));
    }
    if old.role != new.role {
        out.push(at(
            ChangeKind::RoleChanged {
                old: old.role.clone(),
                new: new.role.clone(),
            },
            lines.0,
            lines.1,
        ));
    }
    for forum in missing(&new.forums, &old.forums) {
        out.push(at(
            ChangeKind::ForumAdded {
                forum: forum.clone(),
            },
            old.forums_line,
            new.forums_line,
        ));
    }
    for forum in missing(&old.forums, &new.forums) {
        out.push(at(
            ChangeKind::ForumRemoved {
                forum: forum.clone(),
            },
            old.forums_line,
            new.forums_line,
        ));
    }
    if (old.valid_from, old.valid_until) != (new.valid_from, new.valid_until) {
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string());
        out.push(at(
            ChangeKind::DatesChanged {
                old_from: day(old.valid_from),
                old_until: day(old.valid_until),
                new_from: day(new.valid_from),
                new_until: day(new.valid_until),
            },
            old.valid_line,
            new.valid_line,
        ));
    }
    if old.report_within_days != new.report_within_days {
        out.push(at(
            ChangeKind::ReportChanged {
                old_days: old.report_within_days,
                new_days: new.report_within_days,
            },
            lines.0,
            lines.1,
        ));
    }
    rules(&old.rules, &new.rules, out);
}

/// The rule pairs between versions (see the module's doc): unchanged pairs
/// are dropped, changed pairs, removed and added rules reported.
fn rules(old: &[Rule], new: &[Rule], out: &mut Vec<Change>) {
    let mut old_used = vec![false; old.len()];
    let mut new_used = vec![false; new.len()];
    // Pass one, by meaning: keyed by its debug form (equal meanings print
    // alike), so ten thousand rules are not compared pairwise.
    let mut by_meaning: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (n, rule) in new.iter().enumerate() {
        by_meaning
            .entry(format!("{:?}", rule.meaning()))
            .or_default()
            .push_back(n);
    }
    for (o, rule) in old.iter().enumerate() {
        let meaning = rule.meaning();
        let Some(queue) = by_meaning.get_mut(&format!("{meaning:?}")) else {
            continue;
        };
        let same = queue
            .front()
            .and_then(|&n| new.get(n))
            .is_some_and(|r| r.meaning() == meaning);
        if let (true, Some(n)) = (same, queue.pop_front()) {
            mark(&mut old_used, o);
            mark(&mut new_used, n);
        }
    }
    // Pass two, by effect and the same topics, keyed the same way.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let key = |r: &Rule| format!("{:?} {:?}", r.effect, r.patterns);
    let mut by_topics: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (n, rule) in new.iter().enumerate() {
        if !used(&new_used, n) {
            by_topics.entry(key(rule)).or_default().push_back(n);
        }
    }
    for (o, rule) in old.iter().enumerate() {
        if used(&old_used, o) {
            continue;
        }
        if let Some(n) = by_topics.get_mut(&key(rule)).and_then(VecDeque::pop_front) {
            mark(&mut old_used, o);
            mark(&mut new_used, n);
            pairs.push((o, n));
        }
    }
    // Pass three, by effect and a topic in common, on what is left: the
    // first unused new rule (in file order) sharing a topic, found through
    // a list per (effect, topic) so that no two rule lists are compared
    // pairwise.
    let mut by_topic: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (n, rule) in new.iter().enumerate() {
        if used(&new_used, n) {
            continue;
        }
        for p in &rule.patterns {
            let list = by_topic
                .entry(format!("{:?} {p}", rule.effect))
                .or_default();
            if list.back() != Some(&n) {
                list.push_back(n);
            }
        }
    }
    for (o, rule) in old.iter().enumerate() {
        if used(&old_used, o) {
            continue;
        }
        let mut best: Option<usize> = None;
        for p in &rule.patterns {
            let Some(list) = by_topic.get_mut(&format!("{:?} {p}", rule.effect)) else {
                continue;
            };
            // Rules paired through another topic are dropped as met.
            while list.front().is_some_and(|&n| used(&new_used, n)) {
                list.pop_front();
            }
            if let Some(&n) = list.front() {
                best = Some(best.map_or(n, |b| b.min(n)));
            }
        }
        if let Some(n) = best {
            mark(&mut old_used, o);
            mark(&mut new_used, n);
            pairs.push((o, n));
        }
    }
    let mut found: Vec<(u32, Change)> = Vec::new();
    for (o, n) in pairs {
        let (Some(a), Some(b)) = (old.get(o), new.get(n)) else {
            continue;
        };
        let how = rule_changes(a, b);
        // Only the order of its topics or terms changed: no change.
        if how.is_empty() {
            continue;
        }
        found.push((
            b.line,
            at(
                ChangeKind::RuleChanged {
                    effect: b.effect,
                    old_rule: o,
                    new_rule: n,
                    how,
                },
                Some(a.line),
                Some(b.line),
            ),
        ));
    }
    for (n, rule) in new.iter().enumerate() {
        if !used(&new_used, n) {
            found.push((
                rule.line,
                at(
                    ChangeKind::RuleAdded {
                        effect: rule.effect,
                        facts: RuleFacts::of(rule),
                        rule: n,
                    },
                    None,
                    Some(rule.line),
                ),
            ));
        }
    }
    found.sort_by_key(|(line, _)| *line);
    out.extend(found.into_iter().map(|(_, c)| c));
    for (o, rule) in old.iter().enumerate() {
        if !used(&old_used, o) {
            out.push(at(
                ChangeKind::RuleRemoved {
                    effect: rule.effect,
                    facts: RuleFacts::of(rule),
                    rule: o,
                },
                Some(rule.line),
                None,
            ));
        }
    }
}

/// The items of `from` not in `other`, in order (each once per place).
fn missing<'a, T: std::hash::Hash + Eq>(from: &'a [T], other: &[T]) -> Vec<&'a T> {
    let other: HashSet<&T> = other.iter().collect();
    from.iter().filter(|t| !other.contains(t)).collect()
}

fn used(flags: &[bool], i: usize) -> bool {
    flags.get(i).copied().unwrap_or(true)
}

fn mark(flags: &mut [bool], i: usize) {
    if let Some(flag) = flags.get_mut(i) {
        *flag = true;
    }
}

fn rule_changes(old: &Rule, new: &Rule) -> Vec<RuleChange> {
    let mut how = Vec::new();
    for p in missing(&new.patterns, &old.patterns) {
        how.push(RuleChange::TopicAdded {
            topic: p.to_string(),
        });
    }
    for p in missing(&old.patterns, &new.patterns) {
        how.push(RuleChange::TopicRemoved {
            topic: p.to_string(),
        });
    }
    for p in missing(&new.except, &old.except) {
        how.push(RuleChange::ExceptAdded {
            topic: p.to_string(),
        });
    }
    for p in missing(&old.except, &new.except) {
        how.push(RuleChange::ExceptRemoved {
            topic: p.to_string(),
        });
    }
    if old.forum != new.forum {
        how.push(RuleChange::ForumChanged {
            old: old.forum.clone(),
            new: new.forum.clone(),
        });
    }
    let (om, nm) = (old.meaning(), new.meaning());
    if om.condition != nm.condition {
        match (&om.condition, &nm.condition) {
            (None, Some(n)) => how.push(RuleChange::ConditionAdded {
                new: expr_source(&n.0),
            }),
            (Some(o), None) => how.push(RuleChange::ConditionRemoved {
                old: expr_source(&o.0),
            }),
            (Some(o), Some(n)) => condition_changes(&o.0, &n.0, &mut how),
            (None, None) => {}
        }
    }
    how
}

fn condition_changes(old: &Expr, new: &Expr, how: &mut Vec<RuleChange>) {
    let old_terms = and_terms(old);
    let new_terms = and_terms(new);
    let mut new_left: Vec<Option<(usize, &Expr)>> =
        new_terms.iter().copied().enumerate().map(Some).collect();
    let mut old_left: Vec<(usize, &Expr)> = Vec::new();
    for (i, term) in old_terms.iter().copied().enumerate() {
        match new_left
            .iter_mut()
            .find(|slot| slot.is_some_and(|(_, t)| t == term))
        {
            Some(slot) => *slot = None,
            None => old_left.push((i, term)),
        }
    }
    let mut found = Vec::new();
    let mut removed = Vec::new();
    for (i, term) in old_left {
        let pair = new_left
            .iter_mut()
            .find(|slot| slot.is_some_and(|(_, t)| same_shape(term, t)));
        match pair.and_then(Option::take) {
            Some((_, t)) => found.extend(simple_change(term, t)),
            None => removed.push(RuleChange::TermRemoved {
                term: i,
                source: expr_source(term),
            }),
        }
    }
    let added: Vec<RuleChange> = new_left
        .into_iter()
        .flatten()
        .map(|(i, t)| RuleChange::TermAdded {
            term: i,
            source: expr_source(t),
        })
        .collect();
    // Terms both removed and added leave the direction unclear: say it
    // whole. Terms all kept (in another order) are no change.
    if !removed.is_empty() && !added.is_empty() {
        how.push(RuleChange::ConditionChanged {
            old: expr_source(old),
            new: expr_source(new),
        });
        return;
    }
    how.extend(found);
    how.extend(removed);
    how.extend(added);
}

/// `field OP number-or-date` with an ordering operator, or `field in [..]`.
fn shape(expr: &Expr) -> Option<(&str, Option<Bound>)> {
    match expr {
        Expr::Compare(Operand::Field(f), op, Operand::Value(Value::Number(_) | Value::Date(_))) => {
            let bound = match op {
                CompareOp::Lt => Bound::Lt,
                CompareOp::Le => Bound::Le,
                CompareOp::Gt => Bound::Gt,
                CompareOp::Ge => Bound::Ge,
                CompareOp::Eq | CompareOp::Ne => return None,
            };
            Some((f, Some(bound)))
        }
        Expr::In(Operand::Field(f), _) => Some((f, None)),
        _ => None,
    }
}

fn same_shape(a: &Expr, b: &Expr) -> bool {
    match (shape(a), shape(b), a, b) {
        (
            Some(x),
            Some(y),
            Expr::Compare(_, _, Operand::Value(va)),
            Expr::Compare(_, _, Operand::Value(vb)),
        ) => x == y && std::mem::discriminant(va) == std::mem::discriminant(vb),
        (Some(x), Some(y), _, _) => x == y,
        _ => false,
    }
}

/// The change between two terms of the same shape.
fn simple_change(old: &Expr, new: &Expr) -> Vec<RuleChange> {
    match (old, new) {
        (
            Expr::Compare(Operand::Field(field), op, Operand::Value(a)),
            Expr::Compare(_, _, Operand::Value(b)),
        ) => {
            let raised = match (a, b) {
                (Value::Number(x), Value::Number(y)) => y > x,
                (Value::Date(x), Value::Date(y)) => y > x,
                _ => false,
            };
            let upper = matches!(op, CompareOp::Lt | CompareOp::Le);
            let direction = if raised == upper {
                Direction::Loosened
            } else {
                Direction::Tightened
            };
            let Some((_, Some(bound))) = shape(old) else {
                return Vec::new();
            };
            vec![RuleChange::BoundMoved {
                field: field.clone(),
                op: bound,
                old: Literal::of(a),
                new: Literal::of(b),
                direction,
            }]
        }
        (Expr::In(Operand::Field(field), a), Expr::In(_, b)) => {
            let mut out: Vec<RuleChange> = b
                .iter()
                .filter(|v| !a.contains(v))
                .map(|v| RuleChange::MemberAdded {
                    field: field.clone(),
                    value: Literal::of(v),
                })
                .collect();
            out.extend(
                a.iter()
                    .filter(|v| !b.contains(v))
                    .map(|v| RuleChange::MemberRemoved {
                        field: field.clone(),
                        value: Literal::of(v),
                    }),
            );
            out
        }
        _ => Vec::new(),
    }
}

fn principles(old: &Mandate, new: &Mandate, out: &mut Vec<Change>) {
    for p in new.principles() {
        let Some(o) = old.principle(&p.id) else {
            out.push(at(
                ChangeKind::PrincipleAdded {
                    id: p.id.clone(),
                    statement: p.statement.clone(),
                    severity: p.severity,
                },
                None,
                Some(p.line),
            ));
            continue;
        };
        let lines = (Some(o.line), Some(p.line));
        if o.statement != p.statement {
            out.push(at(
                ChangeKind::PrincipleStatementChanged {
                    id: p.id.clone(),
                    old: o.statement.clone(),
                    new: p.statement.clone(),
                },
                lines.0,
                lines.1,
            ));
        }
        if o.severity != p.severity {
            out.push(at(
                ChangeKind::PrincipleSeverityChanged {
                    id: p.id.clone(),
                    statement: p.statement.clone(),
                    old: o.severity,
                    new: p.severity,
                },
                lines.0,
                lines.1,
            ));
        }
        if o.code.trim() != p.code.trim() || o.code_file != p.code_file {
            out.push(at(
                ChangeKind::PrincipleCodeChanged {
                    id: p.id.clone(),
                    statement: p.statement.clone(),
                    old_file: o.code_file.clone(),
                    new_file: p.code_file.clone(),
                },
                lines.0,
                lines.1,
            ));
        }
    }
    for o in old.principles() {
        if new.principle(&o.id).is_none() {
            out.push(at(
                ChangeKind::PrincipleRemoved {
                    id: o.id.clone(),
                    statement: o.statement.clone(),
                },
                Some(o.line),
                None,
            ));
        }
    }
}

fn priorities(old: &Mandate, new: &Mandate, out: &mut Vec<Change>) {
    for p in new.priorities() {
        let Some(o) = old.priority(&p.id) else {
            out.push(plain(ChangeKind::PriorityAdded {
                id: p.id.clone(),
                name: p.name.clone(),
            }));
            continue;
        };
        if o.name != p.name {
            out.push(plain(ChangeKind::PriorityRenamed {
                id: p.id.clone(),
                old: o.name.clone(),
                new: p.name.clone(),
            }));
        }
        for t in missing(&p.patterns, &o.patterns) {
            out.push(plain(ChangeKind::PriorityTopicAdded {
                id: p.id.clone(),
                topic: t.to_string(),
            }));
        }
        for t in missing(&o.patterns, &p.patterns) {
            out.push(plain(ChangeKind::PriorityTopicRemoved {
                id: p.id.clone(),
                topic: t.to_string(),
            }));
        }
    }
    for o in old.priorities() {
        if new.priority(&o.id).is_none() {
            out.push(plain(ChangeKind::PriorityRemoved {
                id: o.id.clone(),
                name: o.name.clone(),
            }));
        }
    }
}

/// Each organisation's owned topics with their lines, in order, by the
/// organisation's id.
fn owned(mandate: &Mandate) -> HashMap<&str, Vec<(String, u32)>> {
    let mut out: HashMap<&str, Vec<(String, u32)>> = HashMap::new();
    for (index, pattern, line) in &mandate.owned {
        if let Some(org) = mandate.organisations().get(*index) {
            out.entry(org.id.as_str())
                .or_default()
                .push((pattern.to_string(), *line));
        }
    }
    out
}

fn organisations(old: &Mandate, new: &Mandate, out: &mut Vec<Change>) {
    let (owned_before, owned_after) = (owned(old), owned(new));
    let none = Vec::new();
    for org in new.organisations() {
        let Some(o) = old.organisation(&org.id) else {
            out.push(at(
                ChangeKind::OrganisationAdded {
                    id: org.id.clone(),
                    name: org.name.clone(),
                },
                None,
                Some(org.line),
            ));
            for (topic, line) in owned_after.get(org.id.as_str()).unwrap_or(&none).clone() {
                out.push(at(
                    ChangeKind::OwnershipAdded {
                        id: org.id.clone(),
                        topic,
                    },
                    None,
                    Some(line),
                ));
            }
            continue;
        };
        if o.name != org.name {
            out.push(at(
                ChangeKind::OrganisationRenamed {
                    id: org.id.clone(),
                    old: o.name.clone(),
                    new: org.name.clone(),
                },
                Some(o.line),
                Some(org.line),
            ));
        }
        let before = owned_before.get(org.id.as_str()).unwrap_or(&none);
        let after = owned_after.get(org.id.as_str()).unwrap_or(&none);
        let had: HashSet<&str> = before.iter().map(|(t, _)| t.as_str()).collect();
        let has: HashSet<&str> = after.iter().map(|(t, _)| t.as_str()).collect();
        for (topic, line) in after {
            if !had.contains(topic.as_str()) {
                out.push(at(
                    ChangeKind::OwnershipAdded {
                        id: org.id.clone(),
                        topic: topic.clone(),
                    },
                    None,
                    Some(*line),
                ));
            }
        }
        for (topic, line) in before {
            if !has.contains(topic.as_str()) {
                out.push(at(
                    ChangeKind::OwnershipRemoved {
                        id: org.id.clone(),
                        topic: topic.clone(),
                    },
                    Some(*line),
                    None,
                ));
            }
        }
    }
    for o in old.organisations() {
        if new.organisation(&o.id).is_none() {
            out.push(at(
                ChangeKind::OrganisationRemoved {
                    id: o.id.clone(),
                    name: o.name.clone(),
                },
                Some(o.line),
                None,
            ));
        }
    }
}

fn vocabulary(old: &Mandate, new: &Mandate, out: &mut Vec<Change>) {
    let map = |m: &Mandate| -> BTreeMap<String, (String, u32)> {
        m.vocabulary()
            .iter()
            .map(|t| (t.topic.clone(), (t.label.clone(), t.line)))
            .collect()
    };
    let (before, after) = (map(old), map(new));
    for t in new.vocabulary() {
        match before.get(&t.topic) {
            None => out.push(at(
                ChangeKind::TopicDeclared {
                    topic: t.topic.clone(),
                    label: t.label.clone(),
                },
                None,
                Some(t.line),
            )),
            Some((label, line)) if *label != t.label => out.push(at(
                ChangeKind::TopicLabelChanged {
                    topic: t.topic.clone(),
                    old: label.clone(),
                    new: t.label.clone(),
                },
                Some(*line),
                Some(t.line),
            )),
            Some(_) => {}
        }
    }
    for t in old.vocabulary() {
        if !after.contains_key(&t.topic) {
            out.push(at(
                ChangeKind::TopicDropped {
                    topic: t.topic.clone(),
                    label: t.label.clone(),
                },
                Some(t.line),
                None,
            ));
        }
    }
}
