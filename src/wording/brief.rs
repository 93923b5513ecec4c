//! The sentences of a representative's brief (`crate::brief`), from the
//! mandate alone: whom they represent and where, each rule's scope, the
//! member organisations' topics, the principles' severity in words, the
//! priorities, the report-back duty and what each rule needs of a
//! proposal's field. Decides nothing: `brief` chooses what to say, this
//! says it.

use super::decision::long_date;
use super::names::{rule_scope, the, topics};
use crate::compile::{Effect, Expr, Group, Mandate, Organisation, Principle, Priority};
use crate::compile::{Representative, Rule};
use crate::english::{capitalised, join};
use crate::syntax::ast::Severity;
use crate::topic::TopicPattern;
use chrono::NaiveDate;

/// "Brief for Dr Asha Patel (patel)".
pub(crate) fn title(rep: &Representative) -> String {
    format!("Brief for {} ({})", rep.name, rep.id)
}

/// The title of a document holding every representative's brief.
pub(crate) fn document_title(group: &Group) -> String {
    format!("Briefs for the representatives of {}", the(&group.name))
}

/// Which group, which day, which lines and which version of the file.
pub(crate) fn subtitle(mandate: &Mandate, rep: &Representative, day: NaiveDate) -> String {
    let group = mandate.group();
    let place = group
        .place
        .as_ref()
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    format!(
        "{}{place}, for {}. Their mandate is lines {}-{} of the group's rule file (mandate fingerprint sha256 {}).",
        group.name,
        long_date(day),
        rep.line,
        rep.end_line,
        mandate.sha256()
    )
}

/// "Line 35".
pub(crate) fn line_label(line: u32) -> String {
    format!("Line {line}")
}

/// "You represent the Ashdown GP Leadership Group as Clinical Director.".
pub(crate) fn represents(mandate: &Mandate, rep: &Representative) -> String {
    let group = mandate.group();
    let place = group
        .place
        .as_ref()
        .map(|p| format!(" in {p}"))
        .unwrap_or_default();
    let role = rep
        .role
        .as_ref()
        .map(|r| format!(", as {r}"))
        .unwrap_or_default();
    format!("{} represents {}{place}{role}.", rep.name, the(&group.name))
}

/// Where the representative acts for the group.
pub(crate) fn forums(rep: &Representative) -> String {
    if rep.forums.is_empty() {
        return "No forum is named: the mandate holds at any meeting.".into();
    }
    let named: Vec<String> = rep.forums.iter().map(|f| the(f)).collect();
    format!(
        "They act for the group at {}; a proposal at any other forum goes to the group first.",
        join(&named, "and")
    )
}

/// The dates the mandate runs between.
pub(crate) fn valid(rep: &Representative) -> String {
    match (rep.valid_from, rep.valid_until) {
        (Some(from), Some(until)) => format!(
            "The mandate runs from {} until {}, both days included.",
            long_date(from),
            long_date(until)
        ),
        (Some(from), None) => format!(
            "The mandate runs from {}, with no end date.",
            long_date(from)
        ),
        (None, Some(until)) => format!("The mandate runs until {}, included.", long_date(until)),
        (None, None) => "The mandate has no start or end date.".into(),
    }
}

/// Whether the mandate is in force on `day`.
pub(crate) fn in_force(rep: &Representative, day: NaiveDate) -> String {
    let when = long_date(day);
    match (rep.valid_from, rep.valid_until) {
        (Some(from), _) if day < from => format!(
            "On {when} it is NOT YET IN FORCE (it starts on {}): every proposal goes to the group first.",
            long_date(from)
        ),
        (_, Some(until)) if day > until => format!(
            "On {when} it is NO LONGER IN FORCE (it ended on {}): every proposal goes to the group first.",
            long_date(until)
        ),
        _ => format!("On {when} it is in force."),
    }
}

/// A rule's topics, forum and conditions: "Funding (funding) at the Place
/// Partnership Board when `cost` is at most 50,000."
pub(crate) fn rule(mandate: &Mandate, rule: &Rule) -> String {
    let scope = rule_scope(mandate, rule);
    if scope.is_empty() {
        return scope;
    }
    format!("{}.", capitalised(&scope))
}

/// Under "what they must bring back": how these rules combine with grants.
pub(crate) fn refer_wins() -> String {
    "When one of these and a rule under \"What they may agree to\" both apply to a proposal, this one wins: the proposal comes back to the group.".into()
}

/// Under "what they must not agree to": how these rules combine with the
/// others.
pub(crate) fn forbid_wins() -> String {
    "When one of these applies to a proposal, they say no, whatever a rule above says. When the proposal does not tell whether one of these applies, it comes back to the group.".into()
}

/// After a grant that bring-back or must-not rules overlap (`lines`, at
/// least one): "Where line 164 also applies, it wins.".
pub(crate) fn overridden_by(lines: &[u32]) -> String {
    let named: Vec<String> = lines.iter().map(|l| format!("line {l}")).collect();
    match named.as_slice() {
        [one] => format!("Where {one} also applies, it wins."),
        _ => format!("Where {} also applies, that rule wins.", join(&named, "or")),
    }
}

/// The last item of "what you must bring back": whatever no grant covers.
pub(crate) fn refer_otherwise() -> String {
    "Anything else: a topic no rule above lets them agree to, or a grant whose conditions do not hold or cannot be told from the proposal.".into()
}

/// "What you may agree to" with no grant.
pub(crate) fn no_grants() -> String {
    "Nothing: every proposal goes to the group first.".into()
}

/// "What you must not agree to" with no forbidding rule.
pub(crate) fn no_forbids() -> String {
    "No rule forbids a topic outright.".into()
}

/// One `owns` line: "Pass The GP contract (contract) to the Ashdown Local
/// Medical Committee (lmc).".
pub(crate) fn owns(mandate: &Mandate, organisation: &Organisation, owned: &[&str]) -> String {
    format!(
        "Pass {} to {} ({}): it is theirs to decide, not the group's.",
        topics(mandate, owned),
        the(&organisation.name),
        organisation.id
    )
}

/// No `owns` line in the mandate.
pub(crate) fn no_owners() -> String {
    "No topic belongs to a member organisation.".into()
}

/// A principle and what its severity asks of the representative.
pub(crate) fn principle(principle: &Principle) -> String {
    let severity = match principle.severity {
        Severity::Blocking => "a red line: say no",
        Severity::Refer => "bring it back to the group",
        Severity::Advisory => "note only",
    };
    format!("{} ({}) — {severity}.", principle.statement, principle.id)
}

/// No principle in the mandate.
pub(crate) fn no_principles() -> String {
    "The group has no shared principles.".into()
}

/// Every principle is tested against every proposal.
pub(crate) fn principles_intro() -> String {
    "Every proposal is tested against each of these.".into()
}

/// A priority and its topics: "Same-day access (same_day) covers Urgent
/// care (services.urgent_care).". A topic labelled as the priority is named
/// "the topic of that name", so the label is not said twice.
pub(crate) fn priority(mandate: &Mandate, priority: &Priority) -> String {
    let name = priority.name.trim().to_lowercase();
    let patterns: Vec<String> = priority
        .patterns
        .iter()
        .map(|p| match p {
            TopicPattern::Any => "any topic".to_string(),
            TopicPattern::Path(path) => match mandate.declared_exactly(path) {
                Some(d) if d.label.trim().to_lowercase() == name => {
                    format!("the topic of that name ({path})")
                }
                _ => super::names::topic(mandate, path),
            },
        })
        .collect();
    format!(
        "{} ({}) covers {}.",
        priority.name,
        priority.id,
        join(&patterns, "and")
    )
}

/// No priority in the mandate.
pub(crate) fn no_priorities() -> String {
    "The group has set no priorities.".into()
}

/// The report-back duty.
pub(crate) fn report_back(rep: &Representative) -> String {
    match rep.report_within_days {
        Some(1) => "After agreeing to anything, report it to the group within 1 day.".into(),
        Some(n) => format!("After agreeing to anything, report it to the group within {n} days."),
        None => "After agreeing to anything, report it to the group.".into(),
    }
}

/// What the checklist is for and what a missing field does.
pub(crate) fn checklist_intro() -> String {
    "Check that the proposal gives each of these fields before the meeting. A field that is missing or null leaves a condition unknown: an unknown condition never lets the representative agree, and under a bring-back or must-not rule it brings the proposal back to the group.".into()
}

/// No rule reads a field.
pub(crate) fn no_fields() -> String {
    "No rule reads a field: the topics alone decide.".into()
}

/// What one rule needs of one field, through one test of its condition
/// (`test` already negated when it sits under a `not`).
pub(crate) fn field_need(rule: &Rule, test: &Expr) -> String {
    let test = super::condition::describe(test, false);
    let effect = match rule.effect {
        Effect::MayAgree => "may agree",
        Effect::Refer => "bring back",
        Effect::MayNotAgree => "must not agree",
    };
    format!("({effect}) {test}.")
}

/// What the validity dates need of the proposal's `date`.
pub(crate) fn date_need(rep: &Representative) -> String {
    let range = match (rep.valid_from, rep.valid_until) {
        (Some(from), Some(until)) => format!("from {from} until {until}"),
        (Some(from), None) => format!("from {from}"),
        (None, Some(until)) => format!("until {until}"),
        (None, None) => String::new(),
    };
    format!(
        "The meeting day must fall within the mandate ({range}); without a `date` the day of the check stands in for it."
    )
}
