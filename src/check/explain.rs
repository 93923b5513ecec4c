//! The plain-English reasons of a decision.
//!
//! Each reason is one sentence a representative can read the night before a
//! meeting: it cites the mandate line it comes from, uses the names and
//! topic labels the file gives, and for an unknown says which field would
//! decide it. Sentences that say what would change the answer are made
//! here too; `check` adds them when the outcome is not `agree`.

use super::budget::{Budget, MAX_NAMES_IN_A_SENTENCE, MAX_VALUE_CHARS};
use super::logic::Gap;
use super::logic::Truth;
use super::{CheckError, Evaluated, Outcome, PrincipleOutcome, PrincipleResult};
use crate::compile::{
    CompareOp, Effect, Expr, Mandate, Operand, Principle, Representative, Rule, Value,
};
use crate::english::join;
use crate::proposal::Proposal;
use crate::syntax::ast::Severity;
use crate::topic::TopicPattern;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

pub(super) struct Explainer<'a> {
    mandate: &'a Mandate,
    rep: &'a Representative,
    proposal: &'a Proposal,
}

impl<'a> Explainer<'a> {
    pub(super) fn new(
        mandate: &'a Mandate,
        rep: &'a Representative,
        proposal: &'a Proposal,
    ) -> Self {
        Explainer {
            mandate,
            rep,
            proposal,
        }
    }

    /// A topic as a reader knows it: its label when the vocabulary has one.
    fn topic_name(&self, topic: &str) -> String {
        match self.mandate.declared(topic) {
            Some(d) if d.topic == topic => format!("{} ({topic})", d.label),
            Some(d) => format!("{topic} (part of {})", d.label),
            None => topic.to_string(),
        }
    }

    fn pattern_name(&self, pattern: &TopicPattern) -> String {
        match pattern {
            TopicPattern::Any => "any topic".into(),
            TopicPattern::Path(path) => match self.mandate.declared_exactly(path) {
                Some(d) => format!("{} ({path})", d.label),
                None => path.clone(),
            },
        }
    }

    /// "Funding (funding), except Transformation funding (funding.transformation),"
    fn rule_topics(&self, rule: &Rule) -> String {
        let names = |patterns: &[TopicPattern]| {
            let named: Vec<String> = patterns
                .iter()
                .take(MAX_NAMES_IN_A_SENTENCE)
                .map(|p| self.pattern_name(p))
                .collect();
            more(&named, patterns.len())
        };
        let mut text = names(&rule.patterns);
        if !rule.except.is_empty() {
            text.push_str(&format!(", except {}", names(&rule.except)));
            // Close the `except` aside before an `at` or `when` follows it.
            if rule.forum.is_some() || rule.condition.is_some() {
                text.push(',');
            }
        }
        text
    }

    /// " at the Place Partnership Board", or nothing.
    fn rule_at(&self, rule: &Rule) -> String {
        rule.forum
            .as_ref()
            .map(|f| format!(" at {}", the(f)))
            .unwrap_or_default()
    }

    /// " when `cost` is at most 50,000", or nothing.
    fn rule_when(&self, rule: &Rule) -> String {
        rule.condition
            .as_ref()
            .map(|c| format!(" when {}", describe(c, false)))
            .unwrap_or_default()
    }

    /// Topics, `at` and `when` together.
    fn rule_scope(&self, rule: &Rule) -> String {
        format!(
            "{}{}{}",
            self.rule_topics(rule),
            self.rule_at(rule),
            self.rule_when(rule)
        )
    }

    /// "(lines 150-190)": where the representative's mandate is.
    fn rep_lines(&self) -> String {
        format!("(lines {}-{})", self.rep.line, self.rep.end_line)
    }

    /// " (`cost` 30,000, `duration_months` 6)": what the proposal gives for
    /// the fields a rule reads.
    fn values(&self, rule: &Rule) -> String {
        let mut fields = Vec::new();
        if let Some(condition) = &rule.condition {
            fields_of(condition, &mut fields, &mut HashSet::new());
        }
        let shown: Vec<String> = fields
            .iter()
            .filter_map(|f| {
                lookup(&self.proposal.fields, f).map(|v| format!("`{f}` {}", show_json(v)))
            })
            .collect();
        if shown.is_empty() {
            String::new()
        } else {
            format!(" ({})", shown.join(", "))
        }
    }

    /// "does not give `cost`" / "gives `start_date` as "next spring", not as
    /// a date written YYYY-MM-DD".
    fn gaps(&self, gaps: &[Gap]) -> String {
        let missing: Vec<String> = gaps
            .iter()
            .filter(|g| matches!(g, Gap::Missing(_)))
            .map(|g| format!("`{}`", g.field()))
            .collect();
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("does not give {}", join(&missing, "or")));
        }
        for gap in gaps {
            if let Gap::WrongType(field, wanted) = gap {
                let given = lookup(&self.proposal.fields, field)
                    .map(show_json)
                    .unwrap_or_else(|| "a value".into());
                parts.push(match wanted {
                    Some(kind) => format!("gives `{field}` as {given}, not as {kind}"),
                    None => format!("gives `{field}` as {given}, which the rule cannot compare"),
                });
            }
        }
        if parts.is_empty() {
            "cannot be judged against it".into()
        } else {
            join(&parts, "and")
        }
    }

    /// "Giving `cost`, and `start_date` as a date written YYYY-MM-DD, would
    /// settle line 181."
    fn settle(&self, gaps: &[Gap], line: u32) -> String {
        let fields: Vec<String> = gaps
            .iter()
            .map(|g| match g {
                Gap::Missing(f) | Gap::WrongType(f, None) => format!("`{f}`"),
                Gap::WrongType(f, Some(kind)) => format!("`{f}` as {kind}"),
            })
            .collect();
        format!(
            "Giving {} in the proposal would settle line {line}.",
            join(&fields, "and")
        )
    }

    pub(super) fn redirect(&self, topic: &str, owners: &[(usize, u32)]) -> String {
        let names: Vec<String> = owners
            .iter()
            .take(MAX_NAMES_IN_A_SENTENCE)
            .filter_map(|(org, line)| {
                let org = self.mandate.organisations.get(*org)?;
                Some(format!("{} (line {line})", org.name))
            })
            .collect();
        format!(
            "The topic {} belongs to {}, not to the group, so it is redirected.",
            self.topic_name(topic),
            more(&names, owners.len())
        )
    }

    pub(super) fn topic(
        &self,
        topic: &str,
        outcome: Outcome,
        evaluated: &[Evaluated<'_>],
        reasons: &mut Vec<String>,
        changes: &mut Vec<String>,
        budget: &mut Budget,
    ) -> Result<(), CheckError> {
        let rep = &self.rep.name;
        let conditional = |r: &Rule| r.condition.is_some() || r.forum.is_some();
        match outcome {
            Outcome::Agree => {
                let grant = evaluated
                    .iter()
                    .find(|e| e.effect == Effect::MayAgree && e.truth == Truth::True);
                if let Some(e) = grant {
                    let r = e.rule;
                    budget.keep(
                        reasons,
                        format!(
                            "Line {} lets {rep} agree to {}, and this proposal {}{}.",
                            r.line,
                            self.rule_scope(r),
                            self.fits(r, topic),
                            self.values(r)
                        ),
                    )?;
                }
            }
            Outcome::Decline => {
                let forbid = evaluated
                    .iter()
                    .find(|e| e.effect == Effect::MayNotAgree && e.truth == Truth::True);
                if let Some(e) = forbid {
                    let r = e.rule;
                    budget.keep(
                        reasons,
                        format!(
                            "Line {} says {rep} may not agree to {}, and this proposal {}{}.",
                            r.line,
                            self.rule_scope(r),
                            self.fits(r, topic),
                            self.values(r)
                        ),
                    )?;
                    budget.keep(changes, if conditional(r) {
                        format!(
                            "A proposal outside line {}'s condition would not be ruled out by that line.",
                            r.line
                        )
                    } else {
                        format!("Only the group can change this: line {} rules it out.", r.line)
                    })?;
                }
            }
            Outcome::Refer => {
                let mut decided = false;
                for e in evaluated {
                    let r = e.rule;
                    match (e.effect, e.truth) {
                        (Effect::MayNotAgree, Truth::Unknown) => {
                            decided = true;
                            budget.keep(reasons, format!(
                                "Line {} says {rep} may not agree to {}; this proposal {}, so only the group can rule that out.",
                                r.line,
                                self.rule_scope(r),
                                self.gaps(e.gaps)
                            ))?;
                            budget.keep(changes, self.settle(e.gaps, r.line))?;
                        }
                        (Effect::Refer, Truth::True) => {
                            decided = true;
                            budget.keep(
                                reasons,
                                format!(
                                    "Line {} refers {}{} to the group{}, and this proposal {}{}.",
                                    r.line,
                                    self.rule_topics(r),
                                    self.rule_at(r),
                                    self.rule_when(r),
                                    self.fits(r, topic),
                                    self.values(r)
                                ),
                            )?;
                            if conditional(r) {
                                budget.keep(changes, format!(
                                    "A proposal outside line {}'s condition would not be referred by that line.",
                                    r.line
                                ))?;
                            }
                        }
                        (Effect::Refer, Truth::Unknown) => {
                            decided = true;
                            budget.keep(
                                reasons,
                                format!(
                                    "Line {} refers {}{} to the group{}, and this proposal {}.",
                                    r.line,
                                    self.rule_topics(r),
                                    self.rule_at(r),
                                    self.rule_when(r),
                                    self.gaps(e.gaps)
                                ),
                            )?;
                            budget.keep(changes, self.settle(e.gaps, r.line))?;
                        }
                        _ => {}
                    }
                }
                if !decided {
                    self.nothing_grants(topic, evaluated, reasons, changes, budget)?;
                }
            }
            Outcome::Redirect => {}
        }
        Ok(())
    }

    /// A topic referred because no rule grants it (DESIGN.md 4.2, last
    /// case), with what each near-miss grant would need.
    fn nothing_grants(
        &self,
        topic: &str,
        evaluated: &[Evaluated<'_>],
        reasons: &mut Vec<String>,
        changes: &mut Vec<String>,
        budget: &mut Budget,
    ) -> Result<(), CheckError> {
        let rep = &self.rep.name;
        let grants: Vec<&Evaluated> = evaluated
            .iter()
            .filter(|e| e.effect == Effect::MayAgree)
            .collect();
        if grants.is_empty() {
            budget.keep(reasons, format!(
                "Nothing in {rep}'s mandate {} lets them agree to {}, so it goes back to the group.",
                self.rep_lines(),
                self.topic_name(topic)
            ))?;
            budget.keep(changes, format!(
                "Only a new `may agree` line in {rep}'s mandate {} would let them agree to {} without the group.",
                self.rep_lines(),
                self.topic_name(topic)
            ))?;
            return Ok(());
        }
        budget.keep(reasons, format!(
            "No rule in {rep}'s mandate {} lets them agree to {} as this proposal stands, so it goes back to the group.",
            self.rep_lines(),
            self.topic_name(topic)
        ))?;
        for e in grants {
            let r = e.rule;
            let scope = format!(
                "{}{}{}",
                self.rule_topics(r),
                self.rule_at(r),
                self.rule_when(r)
            );
            budget.keep(
                changes,
                if e.forum == Truth::False {
                    let forum = self.proposal.forum.as_deref().map(the).unwrap_or_default();
                    format!(
                    "Line {} would let them agree to {scope}, but this proposal is put to {forum}.",
                    r.line
                )
                } else if e.truth == Truth::Unknown {
                    format!(
                        "Line {} would let them agree to {scope}, but this proposal {}.",
                        r.line,
                        self.gaps(e.gaps)
                    )
                } else {
                    format!(
                    "Line {} would let them agree to {scope}; this proposal does not meet that{}.",
                    r.line,
                    self.values(r)
                )
                },
            )?;
        }
        Ok(())
    }

    /// "meets that" when the rule has a condition, else "is about TOPIC".
    fn fits(&self, rule: &Rule, topic: &str) -> String {
        if rule.condition.is_some() || rule.forum.is_some() {
            "meets that".into()
        } else {
            format!("is about {}", self.topic_name(topic))
        }
    }

    fn forums(&self) -> String {
        let forums: Vec<String> = self.rep.forums.iter().map(|f| the(f)).collect();
        format!("{}{}", join(&forums, "and"), line_ref(self.rep.forums_line))
    }

    pub(super) fn forum_gate(&self, forum: &str) -> String {
        format!(
            "{} represents the group at {}, not at {}, so this goes to the group first.",
            self.rep.name,
            self.forums(),
            the(forum)
        )
    }

    pub(super) fn forum_gate_change(&self) -> String {
        format!(
            "Put to {}, this would not be referred for that reason.",
            self.forums()
        )
    }

    fn which_day(&self, date: NaiveDate) -> String {
        if self.proposal.date.is_some() {
            format!("The meeting date, {date},")
        } else {
            format!("The day of the check, {date} (the proposal gives no `date`),")
        }
    }

    fn valid_line(&self) -> String {
        self.rep
            .valid_line
            .map(|l| format!(", line {l}"))
            .unwrap_or_default()
    }

    pub(super) fn before_start(&self, date: NaiveDate, from: NaiveDate) -> String {
        format!(
            "{} is before {}'s mandate starts ({from}{}), so this goes to the group first.",
            self.which_day(date),
            self.rep.name,
            self.valid_line()
        )
    }

    pub(super) fn before_start_change(&self, from: NaiveDate) -> String {
        format!(
            "At a meeting on or after {from}{} this would not be held back for that reason.",
            line_ref(self.rep.valid_line)
        )
    }

    pub(super) fn after_end(&self, date: NaiveDate, until: NaiveDate) -> String {
        format!(
            "{} is after {}'s mandate ended ({until}{}), so this goes to the group first.",
            self.which_day(date),
            self.rep.name,
            self.valid_line()
        )
    }

    pub(super) fn after_end_change(&self) -> String {
        format!(
            "Renewing {}'s mandate (a new `valid` line{}) would lift this.",
            self.rep.name,
            self.rep
                .valid_line
                .map(|l| format!(" in place of line {l}"))
                .unwrap_or_default()
        )
    }

    pub(super) fn principle(&self, principle: &Principle, result: &PrincipleResult) -> String {
        let said = result
            .reason
            .as_ref()
            .map(|r| format!(": {}", r.trim_end_matches('.')))
            .unwrap_or_default();
        let statement = &principle.statement;
        let line = principle.line;
        match (result.result, principle.severity) {
            (PrincipleOutcome::Error, _) => format!(
                "The shared principle \"{statement}\" (line {line}) could not be checked{said}; so the group should look at this first."
            ),
            (_, Severity::Blocking) => format!(
                "This goes against the shared principle \"{statement}\" (line {line}){said}; the group treats it as a red line."
            ),
            (_, Severity::Refer) => format!(
                "This may go against the shared principle \"{statement}\" (line {line}){said}; so the group should look at it first."
            ),
            (_, Severity::Advisory) => format!(
                "Note: the shared principle \"{statement}\" (line {line}) is not fully met{said}; this does not change the answer."
            ),
        }
    }

    pub(super) fn principle_change(
        &self,
        principle: &Principle,
        result: &PrincipleResult,
    ) -> String {
        let (statement, line) = (&principle.statement, principle.line);
        match (result.result, principle.severity) {
            (PrincipleOutcome::Error, _) => format!(
                "Fixing principle `{}` (line {line}) so that it runs would let it be checked.",
                principle.id
            ),
            (_, Severity::Blocking) => format!(
                "Only a proposal that keeps to \"{statement}\" (line {line}) could go ahead."
            ),
            _ => format!(
                "If the proposal kept to \"{statement}\" (line {line}), that principle would not send it to the group."
            ),
        }
    }

    /// The duty that comes with an outcome other than `redirect`.
    pub(super) fn duty(&self, outcome: Outcome) -> String {
        match outcome {
            Outcome::Agree => self.report_back("this agreement"),
            Outcome::Refer | Outcome::Redirect => {
                "Bring this proposal to the group before agreeing to anything.".into()
            }
            Outcome::Decline => "Say no to this proposal, and tell the group you did.".into(),
        }
    }

    fn report_back(&self, what: &str) -> String {
        match self.rep.report_within_days {
            Some(1) => format!("Report {what} to the group within 1 day."),
            Some(days) => format!("Report {what} to the group within {days} days."),
            None => format!("Report {what} to the group."),
        }
    }

    /// When the outcome is `redirect`, what to do with the part of the
    /// proposal that stays with the group: the topics not redirected, and
    /// any gate or principle that sends it to the group.
    pub(super) fn duty_for_the_rest(&self, rest: Outcome, topics: &[&str]) -> Option<String> {
        let names: Vec<String> = topics
            .iter()
            .take(MAX_NAMES_IN_A_SENTENCE)
            .map(|t| self.topic_name(t))
            .collect();
        let names = more(&names, topics.len());
        match (rest, topics.is_empty()) {
            (Outcome::Agree, true) => None,
            (Outcome::Agree, false) => Some(format!(
                "You may agree to {names} for the group. {}",
                self.report_back("that agreement")
            )),
            (_, true) => Some(
                "Bring this proposal to the group as well, before agreeing to anything.".into(),
            ),
            (_, false) => Some(format!(
                "Bring the rest of this proposal, on {names}, to the group before agreeing to it."
            )),
        }
    }

    /// "Pass contract.gms to Ashdown Local Medical Committee: ..." once per
    /// organisation, sorted by id, kept in `obligations`.
    pub(super) fn pass_on(
        &self,
        redirected: &[(&str, &[(usize, u32)])],
        obligations: &mut Vec<String>,
        budget: &mut Budget,
    ) -> Result<(), CheckError> {
        // Each organisation's topics, in the proposal's order.
        let mut topics_of: BTreeMap<&str, (&str, Vec<&str>)> = BTreeMap::new();
        for (topic, owners) in redirected {
            for (org, _) in owners.iter() {
                if let Some(org) = self.mandate.organisations.get(*org) {
                    topics_of
                        .entry(org.id.as_str())
                        .or_insert((org.name.as_str(), Vec::new()))
                        .1
                        .push(topic);
                }
            }
        }
        for (name, topics) in topics_of.values() {
            let names: Vec<String> = topics
                .iter()
                .take(MAX_NAMES_IN_A_SENTENCE)
                .map(|t| self.topic_name(t))
                .collect();
            budget.keep(
                obligations,
                format!(
                    "Pass {} to {name}: it is theirs to decide, not the group's.",
                    more(&names, topics.len())
                ),
            )?;
        }
        Ok(())
    }
}

/// The first few of `total` names, joined: "a, b and c", or "a, b, c and
/// 12 more" when `named` holds only the first few.
fn more(named: &[String], total: usize) -> String {
    match total.saturating_sub(named.len()) {
        0 => join(named, "and"),
        left => format!("{} and {left} more", named.join(", ")),
    }
}

/// A note on a proposal topic the vocabulary does not know (or knows only
/// as part of a broader topic while a close sibling is declared). The same
/// for every representative: computed once per proposal.
pub(super) fn unknown_topic(
    mandate: &Mandate,
    topic: &str,
    suggestions: &mut usize,
) -> Option<String> {
    let vocabulary = &mandate.vocabulary;
    let first = vocabulary.first()?;
    if mandate.declared_exactly(topic).is_some() {
        return None;
    }
    let suggestion = if *suggestions > 0 {
        *suggestions -= 1;
        crate::validate::did_you_mean(topic, vocabulary.iter().map(|d| d.topic.as_str()))
    } else {
        None
    };
    match mandate.declared(topic) {
        None => {
            let hint = suggestion.map(|s| format!(" (did you mean {s}?)")).unwrap_or_default();
            Some(format!(
                "The topic {topic} is not among the topics the mandate declares (from line {}){hint}; it was decided by the rules as written.",
                first.line
            ))
        }
        // Below a declared topic, so known; but a near miss of another
        // declared topic is more likely a typo than a new sub-topic.
        Some(parent) if parent.topic != topic => suggestion.map(|s| {
            format!(
                "The topic {topic} is not declared itself (it counts as part of {}, line {}); did you mean {s}?",
                parent.label, parent.line
            )
        }),
        Some(_) => None,
    }
}

/// "the Place Partnership Board"; a name that starts with "the" keeps it.
fn the(forum: &str) -> String {
    if forum.starts_with("the ") || forum.starts_with("The ") {
        forum.to_string()
    } else {
        format!("the {forum}")
    }
}

fn line_ref(line: Option<u32>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

/// A condition in words: "`cost` is at most 50,000 and `risk` is \"low\"".
pub(crate) fn describe(expr: &Expr, nested: bool) -> String {
    match expr {
        Expr::Or(terms) | Expr::And(terms) => {
            let word = if matches!(expr, Expr::Or(_)) {
                " or "
            } else {
                " and "
            };
            let inner: Vec<String> = terms.iter().map(|t| describe(t, true)).collect();
            let text = inner.join(word);
            if nested {
                format!("({text})")
            } else {
                text
            }
        }
        Expr::Not(inner) => negated(inner),
        Expr::Compare(left, op, right) => {
            let (left, op, right) = match (left, right) {
                (Operand::Value(_), Operand::Field(_)) => (right, flip(*op), left),
                _ => (left, *op, right),
            };
            let words = match op {
                CompareOp::Eq => "is",
                CompareOp::Ne => "is not",
                CompareOp::Lt => "is less than",
                CompareOp::Le => "is at most",
                CompareOp::Gt => "is more than",
                CompareOp::Ge => "is at least",
            };
            format!("{} {words} {}", operand(left), operand(right))
        }
        Expr::In(value, list) => format!(
            "{} is one of {}",
            operand(value),
            join(&list.iter().map(show_value).collect::<Vec<_>>(), "or")
        ),
        Expr::Contains(container, item) => {
            format!("{} includes {}", operand(container), operand(item))
        }
        Expr::Test(value) => format!("{} is true", operand(value)),
    }
}

/// `not X` in words: "`risk` is not \"high\"" rather than "not `risk` is".
fn negated(inner: &Expr) -> String {
    match inner {
        Expr::Compare(left, op, right) => {
            let opposite = match op {
                CompareOp::Eq => CompareOp::Ne,
                CompareOp::Ne => CompareOp::Eq,
                // `not a < b` is not `a >= b` when unknown; say it plainly.
                _ => return format!("it is not so that {}", describe(inner, false)),
            };
            describe(&Expr::Compare(left.clone(), opposite, right.clone()), false)
        }
        Expr::In(value, list) => format!(
            "{} is not one of {}",
            operand(value),
            join(&list.iter().map(show_value).collect::<Vec<_>>(), "or")
        ),
        Expr::Contains(container, item) => {
            format!("{} does not include {}", operand(container), operand(item))
        }
        Expr::Test(value) => format!("{} is not true", operand(value)),
        Expr::Not(twice) => describe(twice, true),
        Expr::Or(_) | Expr::And(_) => format!("not {}", describe(inner, true)),
    }
}

fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

fn operand(operand: &Operand) -> String {
    match operand {
        Operand::Field(f) => format!("`{f}`"),
        Operand::Value(v) => show_value(v),
    }
}

fn show_value(value: &Value) -> String {
    match value {
        Value::Number(n) => show_number(*n),
        Value::String(s) => format!("\"{s}\""),
        Value::Date(d) => d.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show_value).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// 50000 -> "50,000"; 12.5 -> "12.5".
pub(crate) fn show_number(n: f64) -> String {
    let text = if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    };
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{fraction}")
}

fn show_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), show_number),
        serde_json::Value::String(s) => format!("\"{}\"", shorten(s)),
        other => shorten(&other.to_string()),
    }
}

/// A proposal's value as quoted in a sentence: at most [`MAX_VALUE_CHARS`]
/// characters, then "…" (one field must not make every sentence long).
fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text)),
        None => text.to_string(),
    }
}

/// The fields a condition reads, in order, each once.
fn fields_of<'e>(expr: &'e Expr, out: &mut Vec<&'e str>, seen: &mut HashSet<&'e str>) {
    let mut add = |o: &'e Operand| {
        if let Operand::Field(f) = o {
            if seen.insert(f.as_str()) {
                out.push(f.as_str());
            }
        }
    };
    match expr {
        Expr::Or(terms) | Expr::And(terms) => {
            for t in terms {
                fields_of(t, out, seen);
            }
        }
        Expr::Not(inner) => fields_of(inner, out, seen),
        Expr::Compare(l, _, r) | Expr::Contains(l, r) => {
            add(l);
            add(r);
        }
        Expr::In(v, _) | Expr::Test(v) => add(v),
    }
}

/// The proposal's value at a dotted field path, unless missing or `null`.
fn lookup<'a>(
    fields: &'a serde_json::Map<String, serde_json::Value>,
    path: &str,
) -> Option<&'a serde_json::Value> {
    super::logic::field(fields, path).filter(|v| !v.is_null())
}
