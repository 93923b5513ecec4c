//! A [`Diff`] in words: what changed between two versions of a mandate,
//! per representative, then principles, priorities, organisations, the
//! vocabulary and the group, each change on its line with the lines it is
//! at. Rules and conditions are worded as everywhere else
//! ([`super::rule`], [`super::condition`]), topics by their labels.

use super::condition::{describe, show_number};
use super::names;
use crate::compile::{Effect, Mandate, Representative, Rule};
use crate::diff::{and_terms, Bound, Change, ChangeKind, Diff, Direction, Literal, RuleChange};
use crate::syntax::ast::Severity;

/// One version of a mandate and the name to call it by (its file name).
#[derive(Debug, Clone, Copy)]
pub struct Version<'a> {
    /// What to call it: its file name as given.
    pub name: &'a str,
    /// The compiled mandate.
    pub mandate: &'a Mandate,
}

/// The diff in words, one line of text each (no line holds a newline): a
/// heading, then one section per representative or part of the mandate,
/// each change an item ("  - ...") and how a rule changed below it
/// ("      - ..."). Two versions meaning the same give one line saying
/// "no change in meaning".
pub fn lines(old: Version<'_>, new: Version<'_>, diff: &Diff) -> Vec<String> {
    if diff.is_empty() {
        return vec![format!(
            "no change in meaning: {} and {} mean the same",
            old.name, new.name
        )];
    }
    let count = diff.changes.len();
    let mut out = vec![format!(
        "{count} change{} in meaning from {} to {}:",
        if count == 1 { "" } else { "s" },
        old.name,
        new.name
    )];
    let mut section = String::new();
    for change in &diff.changes {
        let heading = heading(old.mandate, new.mandate, change);
        if heading != section {
            out.push(String::new());
            out.push(heading.clone());
            section = heading;
        }
        item(old.mandate, new.mandate, change, &mut out);
    }
    out
}

fn heading(old: &Mandate, new: &Mandate, change: &Change) -> String {
    if let Some(id) = &change.representative {
        let name = new
            .representative(id)
            .or_else(|| old.representative(id))
            .map_or(id.as_str(), |r| r.name.as_str());
        return format!("{name} ({id}):");
    }
    match change.kind {
        ChangeKind::PrincipleAdded { .. }
        | ChangeKind::PrincipleRemoved { .. }
        | ChangeKind::PrincipleStatementChanged { .. }
        | ChangeKind::PrincipleSeverityChanged { .. }
        | ChangeKind::PrincipleCodeChanged { .. } => "Principles:",
        ChangeKind::PriorityAdded { .. }
        | ChangeKind::PriorityRemoved { .. }
        | ChangeKind::PriorityRenamed { .. }
        | ChangeKind::PriorityTopicAdded { .. }
        | ChangeKind::PriorityTopicRemoved { .. } => "Priorities:",
        ChangeKind::OrganisationAdded { .. }
        | ChangeKind::OrganisationRemoved { .. }
        | ChangeKind::OrganisationRenamed { .. }
        | ChangeKind::OwnershipAdded { .. }
        | ChangeKind::OwnershipRemoved { .. } => "Member organisations:",
        ChangeKind::TopicDeclared { .. }
        | ChangeKind::TopicDropped { .. }
        | ChangeKind::TopicLabelChanged { .. } => "Vocabulary:",
        _ => "The group:",
    }
    .to_string()
}

/// Where a change is, to start its item: "Line 12: ", "Line 12 (line 10
/// before): ", "Line 10 before: ", or nothing.
fn lines_ref(change: &Change) -> String {
    match (change.old_line, change.new_line) {
        (Some(o), Some(n)) if o == n => format!("Line {n}: "),
        (Some(o), Some(n)) => format!("Line {n} (line {o} before): "),
        (None, Some(n)) => format!("Line {n}: "),
        (Some(o), None) => format!("Line {o} before: "),
        (None, None) => String::new(),
    }
}

fn quoted(text: &Option<String>) -> String {
    match text {
        Some(t) => format!("\"{t}\""),
        None => "none".to_string(),
    }
}

fn topic(mandate: &Mandate, topic: &str) -> String {
    if topic == "*" {
        "any topic".to_string()
    } else {
        names::topic(mandate, topic)
    }
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocking => "blocking: a proposal that breaks it is declined",
        Severity::Refer => "refer: a proposal that breaks it comes back to the group",
        Severity::Advisory => "advisory: a proposal that breaks it is only reported",
    }
}

fn range(from: &Option<String>, until: &Option<String>) -> String {
    match (from, until) {
        (Some(f), Some(u)) => format!("from {f} until {u}"),
        (Some(f), None) => format!("from {f}, with no end"),
        (None, Some(u)) => format!("until {u}"),
        (None, None) => "on any day".to_string(),
    }
}

fn days(days: Option<u32>) -> String {
    match days {
        Some(1) => "within 1 day".to_string(),
        Some(n) => format!("within {n} days"),
        None => "no report-back duty".to_string(),
    }
}

fn item<'a>(old: &'a Mandate, new: &'a Mandate, change: &Change, out: &mut Vec<String>) {
    let at = lines_ref(change);
    let id = change.representative.as_deref().unwrap_or_default();
    let rep = |m: &'a Mandate| m.representative(id);
    let text = match &change.kind {
        ChangeKind::RepresentativeAdded { name, rules } => {
            let Some(r) = rep(new) else { return };
            out.push(format!(
                "  - {at}Added: {name}, a new representative, with {rules} rule{}.",
                if *rules == 1 { "" } else { "s" }
            ));
            for rule in &r.rules {
                out.push(format!("      - {}", super::rule(new, r, rule)));
            }
            return;
        }
        ChangeKind::RepresentativeRemoved { name } => {
            format!("Removed: {name} is no longer a representative.")
        }
        ChangeKind::NameChanged { old, new } => {
            format!("Name: now \"{new}\" (was \"{old}\").")
        }
        ChangeKind::RoleChanged { old, new } => {
            format!("Role: now {} (was {}).", quoted(new), quoted(old))
        }
        ChangeKind::ForumAdded { forum } => {
            format!("Forum added: {}.", names::the(forum))
        }
        ChangeKind::ForumRemoved { forum } => {
            format!("Forum removed: {}.", names::the(forum))
        }
        ChangeKind::DatesChanged {
            old_from,
            old_until,
            new_from,
            new_until,
        } => format!(
            "Valid dates: now {} (was {}).",
            range(new_from, new_until),
            range(old_from, old_until)
        ),
        ChangeKind::ReportChanged { old_days, new_days } => format!(
            "Report back: now {} (was {}).",
            days(*new_days),
            days(*old_days)
        ),
        ChangeKind::RuleAdded { rule, .. } => {
            let (Some(r), Some(rule)) = (rep(new), rep(new).and_then(|r| r.rules.get(*rule)))
            else {
                return;
            };
            let words = super::rule(new, r, rule);
            let prefix = format!("Line {}: ", rule.line);
            let rest = words.strip_prefix(&prefix).unwrap_or(&words);
            format!("Added: {rest}")
        }
        ChangeKind::RuleRemoved { rule, .. } => {
            let (Some(r), Some(rule)) = (rep(old), rep(old).and_then(|r| r.rules.get(*rule)))
            else {
                return;
            };
            let words = super::rule(old, r, rule);
            let prefix = format!("Line {}: ", rule.line);
            let rest = words.strip_prefix(&prefix).unwrap_or(&words);
            format!("Removed: {rest}")
        }
        ChangeKind::RuleChanged {
            effect,
            old_rule,
            new_rule,
            how,
        } => {
            let (Some(or), Some(nr)) = (rep(old), rep(new)) else {
                return;
            };
            let (Some(before), Some(after)) = (or.rules.get(*old_rule), nr.rules.get(*new_rule))
            else {
                return;
            };
            let words = super::rule(new, nr, after);
            let prefix = format!("Line {}: ", after.line);
            let rest = words.strip_prefix(&prefix).unwrap_or(&words);
            out.push(format!("  - {at}Changed: {rest}"));
            for h in how {
                out.push(format!(
                    "      - {}.",
                    rule_change(old, new, *effect, (or, before), (nr, after), h)
                ));
            }
            return;
        }
        ChangeKind::PrincipleAdded {
            id,
            statement,
            severity: s,
        } => format!("Added: {id}, \"{statement}\", {}.", severity(*s)),
        ChangeKind::PrincipleRemoved { id, statement } => {
            format!("Removed: {id}, \"{statement}\".")
        }
        ChangeKind::PrincipleStatementChanged { id, old, new } => {
            format!("{id}: now \"{new}\" (was \"{old}\").")
        }
        ChangeKind::PrincipleSeverityChanged {
            id,
            statement,
            old,
            new,
        } => format!(
            "{id}, \"{statement}\": was {}, now {}.",
            old.keyword(),
            severity(*new)
        ),
        ChangeKind::PrincipleCodeChanged {
            id,
            statement,
            old_file,
            new_file,
        } => {
            let place = |f: &str| {
                if f.is_empty() {
                    "in the rule file".to_string()
                } else {
                    format!("in {f}")
                }
            };
            if old_file == new_file {
                format!(
                    "{id}, \"{statement}\": its code changed ({}).",
                    place(new_file)
                )
            } else {
                format!(
                    "{id}, \"{statement}\": its code changed and is now {} (was {}).",
                    place(new_file),
                    place(old_file)
                )
            }
        }
        ChangeKind::PriorityAdded { id, name } => format!("Added: \"{name}\" ({id})."),
        ChangeKind::PriorityRemoved { id, name } => format!("Removed: \"{name}\" ({id})."),
        ChangeKind::PriorityRenamed { id, old, new } => {
            format!("{id}: now \"{new}\" (was \"{old}\").")
        }
        ChangeKind::PriorityTopicAdded { id, topic: t } => {
            let name = new.priority(id).map_or(id.as_str(), |p| p.name.as_str());
            format!("\"{name}\" ({id}) now covers {}.", topic(new, t))
        }
        ChangeKind::PriorityTopicRemoved { id, topic: t } => {
            let name = new.priority(id).map_or(id.as_str(), |p| p.name.as_str());
            format!("\"{name}\" ({id}) no longer covers {}.", topic(old, t))
        }
        ChangeKind::OrganisationAdded { id, name } => format!("Added: {name} ({id})."),
        ChangeKind::OrganisationRemoved { id, name } => {
            format!("Removed: {name} ({id}).")
        }
        ChangeKind::OrganisationRenamed { id, old, new } => {
            format!("{id}: now \"{new}\" (was \"{old}\").")
        }
        ChangeKind::OwnershipAdded { id, topic: t } => {
            let name = new
                .organisation(id)
                .map_or(id.as_str(), |o| o.name.as_str());
            format!(
                "{name} now owns {}: proposals about it go to them.",
                topic(new, t)
            )
        }
        ChangeKind::OwnershipRemoved { id, topic: t } => {
            let name = old
                .organisation(id)
                .map_or(id.as_str(), |o| o.name.as_str());
            format!("{name} no longer owns {}.", topic(old, t))
        }
        ChangeKind::TopicDeclared { topic: t, label } => {
            format!("Declared: {t}, \"{label}\".")
        }
        ChangeKind::TopicDropped { topic: t, label } => {
            format!("No longer declared: {t}, \"{label}\".")
        }
        ChangeKind::TopicLabelChanged { topic: t, old, new } => {
            format!("{t}: now \"{new}\" (was \"{old}\").")
        }
        ChangeKind::GroupRenamed { old, new } => {
            format!("Name: now \"{new}\" (was \"{old}\").")
        }
        ChangeKind::PlaceChanged { old, new } => {
            format!("Place: now {} (was {}).", quoted(new), quoted(old))
        }
    };
    out.push(format!("  - {at}{text}"));
}

/// What a condition moving `direction` means for a rule with `effect`.
fn consequence(effect: Effect, direction: Direction) -> &'static str {
    match (effect, direction) {
        (Effect::MayAgree, Direction::Loosened) => "widened: the grant covers more proposals",
        (Effect::MayAgree, Direction::Tightened) => "narrowed: the grant covers fewer proposals",
        (Effect::Refer, Direction::Loosened) => "more proposals come back to the group",
        (Effect::Refer, Direction::Tightened) => "fewer proposals come back to the group",
        (Effect::MayNotAgree, Direction::Loosened) => "it forbids more proposals",
        (Effect::MayNotAgree, Direction::Tightened) => "it forbids fewer proposals",
    }
}

fn bound_words(op: Bound) -> &'static str {
    match op {
        Bound::Lt => "less than",
        Bound::Le => "at most",
        Bound::Gt => "more than",
        Bound::Ge => "at least",
    }
}

fn literal(value: &Literal) -> String {
    match value {
        Literal::Number(n) => show_number(*n),
        Literal::Text(t) => format!("\"{t}\""),
        Literal::Date(d) | Literal::List(d) => d.clone(),
        Literal::Bool(b) => b.to_string(),
    }
}

/// The `term`th `and` term of a rule's condition in words, or `source`
/// when it cannot be found.
fn term(rule: &Rule, term: usize, source: &str) -> String {
    rule.condition
        .as_ref()
        .and_then(|c| and_terms(c).get(term).map(|t| describe(t, false)))
        .unwrap_or_else(|| format!("`{source}`"))
}

fn rule_change(
    old: &Mandate,
    new: &Mandate,
    effect: Effect,
    (_, before): (&Representative, &Rule),
    (_, after): (&Representative, &Rule),
    change: &RuleChange,
) -> String {
    let so = |d: Direction| consequence(effect, d);
    match change {
        RuleChange::TopicAdded { topic: t } => format!(
            "it now also covers {}: {}",
            topic(new, t),
            so(Direction::Loosened)
        ),
        RuleChange::TopicRemoved { topic: t } => format!(
            "it no longer covers {}: {}",
            topic(old, t),
            so(Direction::Tightened)
        ),
        RuleChange::ExceptAdded { topic: t } => format!(
            "{} is now taken out (`except`): {}",
            topic(new, t),
            so(Direction::Tightened)
        ),
        RuleChange::ExceptRemoved { topic: t } => format!(
            "{} is no longer taken out (`except`): {}",
            topic(old, t),
            so(Direction::Loosened)
        ),
        RuleChange::ForumChanged {
            old: None,
            new: Some(f),
        } => format!(
            "it now applies only at {}: {}",
            names::the(f),
            so(Direction::Tightened)
        ),
        RuleChange::ForumChanged {
            old: Some(f),
            new: None,
        } => format!(
            "it now applies at any forum (it applied only at {}): {}",
            names::the(f),
            so(Direction::Loosened)
        ),
        RuleChange::ForumChanged { old: o, new: n } => format!(
            "it now applies at {} (it applied at {})",
            n.as_deref()
                .map_or_else(|| "any forum".to_string(), names::the),
            o.as_deref()
                .map_or_else(|| "any forum".to_string(), names::the)
        ),
        RuleChange::ConditionAdded { new: source } => format!(
            "it now applies only when {}: {}",
            after
                .condition
                .as_ref()
                .map_or_else(|| format!("`{source}`"), |c| describe(c, false)),
            so(Direction::Tightened)
        ),
        RuleChange::ConditionRemoved { old: source } => format!(
            "it now applies whatever the proposal says (it applied only when {}): {}",
            before
                .condition
                .as_ref()
                .map_or_else(|| format!("`{source}`"), |c| describe(c, false)),
            so(Direction::Loosened)
        ),
        RuleChange::ConditionChanged { old: o, new: n } => {
            let words = |rule: &Rule, source: &str| {
                rule.condition
                    .as_ref()
                    .map_or_else(|| format!("`{source}`"), |c| describe(c, false))
            };
            format!(
                "its condition changed from \"{}\" to \"{}\"",
                words(before, o),
                words(after, n)
            )
        }
        RuleChange::TermAdded { term: i, source } => format!(
            "it now also requires that {}: {}",
            term(after, *i, source),
            so(Direction::Tightened)
        ),
        RuleChange::TermRemoved { term: i, source } => format!(
            "it no longer requires that {}: {}",
            term(before, *i, source),
            so(Direction::Loosened)
        ),
        RuleChange::BoundMoved {
            field,
            op,
            old: o,
            new: n,
            direction,
        } => format!(
            "`{field}` is now {} {} (was {}): {}",
            bound_words(*op),
            literal(n),
            literal(o),
            so(*direction)
        ),
        RuleChange::MemberAdded { field, value } => format!(
            "`{field}` may now also be {}: {}",
            literal(value),
            so(Direction::Loosened)
        ),
        RuleChange::MemberRemoved { field, value } => format!(
            "`{field}` may no longer be {}: {}",
            literal(value),
            so(Direction::Tightened)
        ),
    }
}
