//! The plain-English reasons of a decision.
//!
//! Each reason is one sentence a representative can read the night before a
//! meeting: it cites the mandate line it comes from, uses the names and
//! topic labels the file gives, and for an unknown says which field would
//! decide it. Sentences that say what would change the answer are made
//! here too; `check` adds them when the outcome is not `agree`.

use super::logic::Gap;
use super::{Evaluated, Outcome, PrincipleOutcome, PrincipleResult};
use crate::compile::{CompareOp, Effect, Expr, Mandate, Operand, Principle, Representative, Rule, Value};
use crate::proposal::Proposal;
use crate::syntax::ast::Severity;
use crate::topic::TopicPattern;
use chrono::NaiveDate;
use super::logic::Truth;

pub(super) struct Explainer<'a> {
    mandate: &'a Mandate,
    rep: &'a Representative,
    proposal: &'a Proposal,
}

impl<'a> Explainer<'a> {
    pub(super) fn new(mandate: &'a Mandate, rep: &'a Representative, proposal: &'a Proposal) -> Self {
        Explainer {
            mandate,
            rep,
            proposal,
        }
    }

    /// A topic as a reader knows it: its label when the vocabulary has one.
    fn topic_name(&self, topic: &str) -> String {
        match self.mandate.vocabulary.iter().find(|(t, _)| t == topic) {
            Some((_, label)) => format!("{label} ({topic})"),
            None => match self.mandate.label(topic) {
                Some(label) => format!("{topic} ({label})"),
                None => topic.to_string(),
            },
        }
    }

    fn pattern_name(&self, pattern: &TopicPattern) -> String {
        match pattern {
            TopicPattern::Any => "any topic".into(),
            TopicPattern::Path(path) => match self.mandate.vocabulary.iter().find(|(t, _)| t == path) {
                Some((_, label)) => format!("{label} ({path})"),
                None => path.clone(),
            },
        }
    }

    /// "Outpatient referrals (interface.outpatients) at the Place
    /// Partnership Board when `cost` is at most 50,000".
    fn rule_scope(&self, rule: &Rule) -> String {
        format!("{}{}", self.rule_topics(rule), self.rule_when(rule))
    }

    /// The rule's topics, `except` and `at`, without its `when`.
    fn rule_topics(&self, rule: &Rule) -> String {
        let mut text = join(
            &rule.patterns.iter().map(|p| self.pattern_name(p)).collect::<Vec<_>>(),
            "and",
        );
        if !rule.except.is_empty() {
            text.push_str(&format!(
                " (except {})",
                join(&rule.except.iter().map(|p| self.pattern_name(p)).collect::<Vec<_>>(), "and")
            ));
        }
        if let Some(forum) = &rule.forum {
            text.push_str(&format!(" at the {forum}"));
        }
        text
    }

    /// " when `cost` is at most 50,000", or nothing.
    fn rule_when(&self, rule: &Rule) -> String {
        rule.condition
            .as_ref()
            .map(|c| format!(" when {}", describe(c, false)))
            .unwrap_or_default()
    }

    /// " (`cost` 30,000, `duration_months` 6)": what the proposal gives for
    /// the fields a rule reads.
    fn values(&self, rule: &Rule) -> String {
        let mut fields = Vec::new();
        if let Some(condition) = &rule.condition {
            fields_of(condition, &mut fields);
        }
        let shown: Vec<String> = fields
            .iter()
            .filter_map(|f| lookup(&self.proposal.fields, f).map(|v| format!("`{f}` {}", show_json(v))))
            .collect();
        if shown.is_empty() {
            String::new()
        } else {
            format!(" ({})", shown.join(", "))
        }
    }

    pub(super) fn unknown_topic(&self, topic: &str) -> Option<String> {
        let vocabulary = &self.mandate.vocabulary;
        if vocabulary.is_empty() || self.mandate.label(topic).is_some() {
            return None;
        }
        let hint = crate::validate::did_you_mean(topic, vocabulary.iter().map(|(t, _)| t.as_str()))
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        Some(format!(
            "The topic {topic} is not in the mandate's topic list{hint}; it was decided by the rules as written."
        ))
    }

    pub(super) fn redirect(&self, topic: &str, owners: &[(usize, u32)]) -> String {
        let names: Vec<String> = owners
            .iter()
            .map(|(org, line)| format!("{} (line {line})", self.mandate.organisations[*org].name))
            .collect();
        format!(
            "{} belongs to {}, not to the group, so it is redirected.",
            capitalise(&self.topic_name(topic)),
            join(&names, "and")
        )
    }

    pub(super) fn topic(
        &self,
        topic: &str,
        outcome: Outcome,
        evaluated: &[Evaluated],
        reasons: &mut Vec<String>,
        changes: &mut Vec<String>,
    ) {
        let rep = &self.rep.name;
        let rule = |e: &Evaluated| &self.rep.rules[e.rule];
        let find = |effect: Effect, truth: Truth| {
            evaluated
                .iter()
                .filter(move |e| e.effect == effect && e.truth == truth)
        };
        match outcome {
            Outcome::Agree => {
                if let Some(e) = find(Effect::MayAgree, Truth::True).next() {
                    let r = rule(e);
                    reasons.push(format!(
                        "Line {} lets {rep} agree to {}, and this proposal {}{}.",
                        r.line,
                        self.rule_scope(r),
                        self.fits(r, topic),
                        self.values(r)
                    ));
                }
            }
            Outcome::Decline => {
                if let Some(e) = find(Effect::MayNotAgree, Truth::True).next() {
                    let r = rule(e);
                    reasons.push(format!(
                        "Line {} says {rep} may not agree to {}, and this proposal {}{}.",
                        r.line,
                        self.rule_scope(r),
                        self.fits(r, topic),
                        self.values(r)
                    ));
                    changes.push(if r.condition.is_some() || r.forum.is_some() {
                        format!("Only a proposal outside line {}'s condition could be agreed without the group.", r.line)
                    } else {
                        format!("Only the group can change this: line {} rules it out.", r.line)
                    });
                }
            }
            Outcome::Refer => {
                let mut any = false;
                for e in find(Effect::MayNotAgree, Truth::Unknown) {
                    any = true;
                    let r = rule(e);
                    reasons.push(format!(
                        "Line {} says {rep} may not agree to {}; this proposal {}, so only the group can rule that out.",
                        r.line,
                        self.rule_scope(r),
                        gaps(&e.gaps)
                    ));
                    changes.push(settle(&e.gaps, r.line));
                }
                for e in evaluated.iter().filter(|e| e.effect == Effect::Refer && e.truth != Truth::False) {
                    any = true;
                    let r = rule(e);
                    if e.truth == Truth::True {
                        reasons.push(format!(
                            "Line {} refers {} to the group{}, and this proposal {}{}.",
                            r.line,
                            self.rule_topics(r),
                            self.rule_when(r),
                            self.fits(r, topic),
                            self.values(r)
                        ));
                        if r.condition.is_some() || r.forum.is_some() {
                            changes.push(format!(
                                "A proposal outside line {}'s condition would not be referred by that line.",
                                r.line
                            ));
                        }
                    } else {
                        reasons.push(format!(
                            "Line {} refers {} to the group{}, and this proposal {}.",
                            r.line,
                            self.rule_topics(r),
                            self.rule_when(r),
                            gaps(&e.gaps)
                        ));
                        changes.push(settle(&e.gaps, r.line));
                    }
                }
                if !any {
                    reasons.push(format!(
                        "Nothing in {rep}'s mandate lets them agree to {} on their own, so it goes back to the group.",
                        self.topic_name(topic)
                    ));
                    let grants: Vec<&Evaluated> =
                        evaluated.iter().filter(|e| e.effect == Effect::MayAgree).collect();
                    if grants.is_empty() {
                        changes.push(format!(
                            "Only a new `may agree` line in the mandate would let {rep} agree to {} without the group.",
                            self.topic_name(topic)
                        ));
                    }
                    for e in grants {
                        let r = rule(e);
                        changes.push(if e.truth == Truth::Unknown {
                            format!(
                                "Line {} would let them agree to {}, but this proposal {}.",
                                r.line,
                                self.rule_scope(r),
                                gaps(&e.gaps)
                            )
                        } else {
                            format!(
                                "Line {} would let them agree to {}; this proposal does not meet that{}.",
                                r.line,
                                self.rule_scope(r),
                                self.values(r)
                            )
                        });
                    }
                }
            }
            Outcome::Redirect => {}
        }
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
        let forums: Vec<String> = self.rep.forums.iter().map(|f| format!("the {f}")).collect();
        join(&forums, "and")
    }

    pub(super) fn forum_gate(&self, forum: &str) -> String {
        format!(
            "{} represents the group at {}{}, not at the {forum}, so this goes to the group first.",
            self.rep.name,
            self.forums(),
            line_ref(self.rep.forums_line)
        )
    }

    pub(super) fn forum_gate_change(&self) -> String {
        format!(
            "At {} this would not be referred for that reason.",
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

    pub(super) fn before_start(&self, date: NaiveDate, from: NaiveDate) -> String {
        format!(
            "{} is before {}'s mandate starts ({from}{}), so this goes to the group first.",
            self.which_day(date),
            self.rep.name,
            self.rep.valid_line.map(|l| format!(", line {l}")).unwrap_or_default()
        )
    }

    pub(super) fn after_end(&self, date: NaiveDate, until: NaiveDate) -> String {
        format!(
            "{} is after {}'s mandate ended ({until}{}), so this goes to the group first.",
            self.which_day(date),
            self.rep.name,
            self.rep.valid_line.map(|l| format!(", line {l}")).unwrap_or_default()
        )
    }

    pub(super) fn dates_change(&self) -> String {
        "Only a renewed mandate (a new `valid` line) would change this.".into()
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

    pub(super) fn principle_change(&self, principle: &Principle, result: &PrincipleResult) -> String {
        if result.result == PrincipleOutcome::Error {
            format!(
                "Fixing principle `{}` in the mandate would let it be checked.",
                principle.id
            )
        } else {
            format!(
                "A proposal that respects \"{}\" would not be held back by it.",
                principle.statement
            )
        }
    }

    /// The duty that comes with the outcome (none for a pure redirect: the
    /// pass-on obligations say it).
    pub(super) fn duty(&self, outcome: Outcome) -> Option<String> {
        match outcome {
            Outcome::Agree => Some(match self.rep.report_within_days {
                Some(1) => "Report this agreement to the group within 1 day.".into(),
                Some(days) => format!("Report this agreement to the group within {days} days."),
                None => "Report this agreement to the group.".into(),
            }),
            Outcome::Refer => Some("Bring this proposal to the group before agreeing to anything.".into()),
            Outcome::Decline => Some("Say no to this proposal, and tell the group you did.".into()),
            Outcome::Redirect => None,
        }
    }

    /// "Pass contract.gms to Ashdown Local Medical Committee: ..." once per
    /// organisation, sorted by id.
    pub(super) fn pass_on(&self, redirected: &[(String, Vec<usize>)]) -> Vec<String> {
        let mut orgs: Vec<usize> = redirected.iter().flat_map(|(_, o)| o.iter().copied()).collect();
        orgs.sort_by(|a, b| self.mandate.organisations[*a].id.cmp(&self.mandate.organisations[*b].id));
        orgs.dedup();
        orgs.iter()
            .map(|org| {
                let topics: Vec<String> = redirected
                    .iter()
                    .filter(|(_, owners)| owners.contains(org))
                    .map(|(t, _)| self.topic_name(t))
                    .collect();
                format!(
                    "Pass {} to {}: it is theirs to decide, not the group's.",
                    join(&topics, "and"),
                    self.mandate.organisations[*org].name
                )
            })
            .collect()
    }
}

fn line_ref(line: Option<u32>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

/// "does not give `cost`" / "gives `risk` in a form that cannot be compared".
fn gaps(gaps: &[Gap]) -> String {
    let missing: Vec<String> = gaps
        .iter()
        .filter(|g| matches!(g, Gap::Missing(_)))
        .map(|g| format!("`{}`", g.field()))
        .collect();
    let wrong: Vec<String> = gaps
        .iter()
        .filter(|g| matches!(g, Gap::WrongType(_)))
        .map(|g| format!("`{}`", g.field()))
        .collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        parts.push(format!("does not give {}", join(&missing, "or")));
    }
    if !wrong.is_empty() {
        parts.push(format!(
            "gives {} in a form the rule cannot compare",
            join(&wrong, "and")
        ));
    }
    if parts.is_empty() {
        "cannot be judged against it".into()
    } else {
        parts.join(" and ")
    }
}

fn settle(gaps: &[Gap], line: u32) -> String {
    let fields: Vec<String> = gaps.iter().map(|g| format!("`{}`", g.field())).collect();
    format!(
        "Giving {} in the proposal would settle line {line}.",
        join(&fields, "and")
    )
}

/// A condition in words: "`cost` is at most 50,000 and `risk` is \"low\"".
pub(crate) fn describe(expr: &Expr, nested: bool) -> String {
    match expr {
        Expr::Or(terms) | Expr::And(terms) => {
            let word = if matches!(expr, Expr::Or(_)) { " or " } else { " and " };
            let inner: Vec<String> = terms.iter().map(|t| describe(t, true)).collect();
            let text = inner.join(word);
            if nested {
                format!("({text})")
            } else {
                text
            }
        }
        Expr::Not(inner) => format!("not {}", describe(inner, true)),
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
        serde_json::Value::String(s) => format!("\"{s}\""),
        other => {
            let text = other.to_string();
            if text.chars().count() > 60 {
                format!("{}…", text.chars().take(60).collect::<String>())
            } else {
                text
            }
        }
    }
}

fn fields_of(expr: &Expr, out: &mut Vec<String>) {
    let mut add = |o: &Operand| {
        if let Operand::Field(f) = o {
            if !out.contains(f) {
                out.push(f.clone());
            }
        }
    };
    match expr {
        Expr::Or(terms) | Expr::And(terms) => {
            for t in terms {
                fields_of(t, out);
            }
        }
        Expr::Not(inner) => fields_of(inner, out),
        Expr::Compare(l, _, r) | Expr::Contains(l, r) => {
            add(l);
            add(r);
        }
        Expr::In(v, _) | Expr::Test(v) => add(v),
    }
}

fn lookup<'a>(fields: &'a serde_json::Map<String, serde_json::Value>, path: &str) -> Option<&'a serde_json::Value> {
    let mut segments = path.split('.');
    let mut current = fields.get(segments.next()?)?;
    for segment in segments {
        current = current.as_object()?.get(segment)?;
    }
    (!current.is_null()).then_some(current)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a, b and c".
pub(crate) fn join(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} {word} {last}", rest.join(", ")),
    }
}
