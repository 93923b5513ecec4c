//! The sentences of a decision: each fact the check found
//! ([`crate::check::facts`]) becomes one plain-English sentence that cites
//! the mandate line it comes from and uses the names and topic labels the
//! file gives.

use super::condition::{describe, fields_of, lookup, show_json};
use super::names::{
    forums, line_ref, rep_lines, rule_at, rule_scope, rule_topics_then, rule_when, the, topic,
    topics,
};
use crate::check::facts::{Change, Duty, Found, Miss, Reason};
use crate::check::logic::Gap;
use crate::check::{PrincipleOutcome, PrincipleResult};
use crate::compile::{Expr, Mandate, Representative, Rule};
use crate::english::join;
use crate::proposal::Proposal;
use crate::syntax::ast::Severity;
use chrono::NaiveDate;
use std::collections::HashSet;

/// What the sentences of one decision are worded from, besides its facts.
pub(crate) struct Words<'a> {
    pub mandate: &'a Mandate,
    pub rep: &'a Representative,
    pub proposal: &'a Proposal,
    /// The meeting date the check used.
    pub date: NaiveDate,
    /// The principles' results, in file order.
    pub principles: &'a [PrincipleResult],
    /// Per principle, why it could not be checked (errors only).
    pub faults: &'a [Option<crate::principles::Fault>],
}

impl Words<'_> {
    /// Why: one sentence per reason.
    pub(crate) fn reason(&self, reason: &Reason<'_>) -> String {
        let rep = &self.rep.name;
        let mandate = self.mandate;
        match reason {
            Reason::UndeclaredTopic {
                topic,
                first_line,
                suggestion,
            } => {
                let hint = suggestion
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                format!(
                    "The topic {topic} is not among the topics the mandate declares (from line {first_line}){hint}; it was decided by the rules as written."
                )
            }
            Reason::NearTopic {
                topic,
                parent,
                suggestion,
            } => format!(
                "The topic {topic} is not declared itself (it counts as part of {}, line {}); did you mean {suggestion}?",
                parent.label, parent.line
            ),
            Reason::Redirected { topic: t, owners } => {
                let names: Vec<String> = owners
                    .iter()
                    .take(crate::check::MAX_NAMES_IN_A_SENTENCE)
                    .filter_map(|(org, line)| {
                        let org = mandate.organisations.get(*org)?;
                        Some(format!("{} (line {line})", org.name))
                    })
                    .collect();
                format!(
                    "The topic {} belongs to {}, not to the group, so it is redirected.",
                    topic(mandate, t),
                    super::names::more(&names, owners.len())
                )
            }
            Reason::Granted { rule, topics: ts } => format!(
                "Line {} lets {rep} agree to {}, and this proposal {}{}.",
                rule.line,
                rule_scope(mandate, rule),
                self.fits(rule, ts),
                self.values(rule)
            ),
            Reason::Forbidden { rule, topics: ts } => format!(
                "Line {} says {rep} may not agree to {}, and this proposal {}{}.",
                rule.line,
                rule_scope(mandate, rule),
                self.fits(rule, ts),
                self.values(rule)
            ),
            Reason::ForbidUnknown { rule, gaps } => format!(
                "Line {} says {rep} may not agree to {}; this proposal {}, so only the group can rule that out.",
                rule.line,
                rule_scope(mandate, rule),
                self.gaps(gaps)
            ),
            Reason::Referred { rule, topics: ts } => format!(
                "Line {} refers {}{} to the group{}, and this proposal {}{}.",
                rule.line,
                rule_topics_then(mandate, rule, true),
                rule_at(rule),
                rule_when(rule),
                self.fits(rule, ts),
                self.values(rule)
            ),
            Reason::ReferUnknown { rule, gaps } => format!(
                "Line {} refers {}{} to the group{}, and this proposal {}.",
                rule.line,
                rule_topics_then(mandate, rule, true),
                rule_at(rule),
                rule_when(rule),
                self.gaps(gaps)
            ),
            Reason::NoGrant { topic: t } => format!(
                "Nothing in {rep}'s mandate {} lets them agree to {}, so it goes back to the group.",
                rep_lines(self.rep),
                topic(mandate, t)
            ),
            Reason::NoGrantAsItStands { topic: t } => format!(
                "No rule in {rep}'s mandate {} lets them agree to {} as this proposal stands, so it goes back to the group.",
                rep_lines(self.rep),
                topic(mandate, t)
            ),
            Reason::ForumGate { forum } => format!(
                "{rep} represents the group at {}, not at {}, so this goes to the group first.",
                forums(self.rep, "and"),
                the(forum)
            ),
            Reason::BeforeStart { from } => format!(
                "{} is before {rep}'s mandate starts ({from}{}), so this goes to the group first.",
                self.which_day(),
                self.valid_line()
            ),
            Reason::AfterEnd { until } => format!(
                "{} is after {rep}'s mandate ended ({until}{}), so this goes to the group first.",
                self.which_day(),
                self.valid_line()
            ),
            Reason::Principle { index } => self.principle(*index),
        }
    }

    /// What would change the answer: one sentence per change.
    pub(crate) fn change(&self, change: &Change<'_>) -> String {
        let rep = &self.rep.name;
        match change {
            Change::OutsideForbid { line } => format!(
                "A proposal outside line {line}'s condition would not be ruled out by that line."
            ),
            Change::OnlyTheGroup { line } => {
                format!("Only the group can change this: line {line} rules it out.")
            }
            Change::OutsideRefer { line } => format!(
                "A proposal outside line {line}'s condition would not be referred by that line."
            ),
            Change::Settle { line, gaps } => settle(gaps, *line),
            Change::NewGrant { topic: t } => format!(
                "Only a new `may agree` line in {rep}'s mandate {} would let them agree to {} without the group.",
                rep_lines(self.rep),
                topic(self.mandate, t)
            ),
            Change::NearGrant { rule, miss } => {
                let scope = rule_scope(self.mandate, rule);
                match miss {
                    Miss::Forum(forum) => format!(
                        "Line {} would let them agree to {scope}, but this proposal is put to {}.",
                        rule.line,
                        the(forum)
                    ),
                    Miss::Unknown(gaps) => format!(
                        "Line {} would let them agree to {scope}, but this proposal {}.",
                        rule.line,
                        self.gaps(gaps)
                    ),
                    Miss::NotMet([]) => format!(
                        "Line {} would let them agree to {scope}; this proposal does not meet that{}.",
                        rule.line,
                        self.values(rule)
                    ),
                    Miss::NotMet(failed) => format!(
                        "Line {} would let them agree to {scope}; this proposal does not meet that: {}.",
                        rule.line,
                        self.failures(failed)
                    ),
                }
            }
            Change::OwnForum => format!(
                "Put to {}, this would not be referred for that reason.",
                forums(self.rep, "or")
            ),
            Change::AfterStart { from } => format!(
                "At a meeting on or after {from}{} this would not be held back for that reason.",
                line_ref(self.rep.valid_line)
            ),
            Change::Renew => format!(
                "Renewing {rep}'s mandate (a new `valid` line{}) would lift this.",
                self.rep
                    .valid_line
                    .map(|l| format!(" in place of line {l}"))
                    .unwrap_or_default()
            ),
            Change::Principle { index } => self.principle_change(*index),
        }
    }

    /// What to do next: one sentence per duty.
    pub(crate) fn duty(&self, duty: &Duty<'_>) -> String {
        match duty {
            Duty::ReportBack => self.report_back("this agreement"),
            Duty::BringToGroup => {
                "Bring this proposal to the group before agreeing to anything.".into()
            }
            Duty::SayNo => "Say no to this proposal, and tell the group you did.".into(),
            Duty::TheRest {
                outcome,
                topics: ts,
            } => {
                let names = topics(self.mandate, ts);
                match (outcome, ts.is_empty()) {
                    (crate::check::Outcome::Agree, _) => format!(
                        "You may agree to {names} for the group. {}",
                        self.report_back("that agreement")
                    ),
                    (_, true) => {
                        "Bring this proposal to the group as well, before agreeing to anything."
                            .into()
                    }
                    (_, false) => format!(
                        "Bring the rest of this proposal, on {names}, to the group before agreeing to it."
                    ),
                }
            }
            Duty::PassOn {
                organisation,
                topics: ts,
            } => {
                let name = self
                    .mandate
                    .organisations
                    .get(*organisation)
                    .map_or("", |o| o.name.as_str());
                format!(
                    "Pass {} to {name}: it is theirs to decide, not the group's.",
                    topics(self.mandate, ts)
                )
            }
        }
    }

    /// "Report this agreement to the group within 7 days, by Thursday 10
    /// December 2026.": the due date counted from the meeting date (the
    /// proposal's `date`, or the day of the check standing in for it).
    fn report_back(&self, what: &str) -> String {
        let Some(days) = self.rep.report_within_days else {
            return format!("Report {what} to the group.");
        };
        let within = match days {
            1 => "1 day".to_string(),
            n => format!("{n} days"),
        };
        let counted = if self.proposal.date.is_some() {
            ""
        } else {
            " (counted from the day of the check: the proposal gives no `date`)"
        };
        // Past year 9999 a date no longer reads as one ("+10009").
        match self
            .date
            .checked_add_days(chrono::Days::new(u64::from(days)))
            .filter(|due| chrono::Datelike::year(due) <= 9999)
        {
            Some(due) => format!(
                "Report {what} to the group within {within}, by {}{counted}.",
                long_date(due)
            ),
            None => format!("Report {what} to the group within {within}."),
        }
    }

    /// "meets that" when the rule has a condition, else "is about TOPIC".
    fn fits(&self, rule: &Rule, ts: &[&str]) -> String {
        if rule.condition.is_some() || rule.forum.is_some() {
            "meets that".into()
        } else {
            format!("is about {}", topics(self.mandate, ts))
        }
    }

    /// " (`cost` 30,000, `duration_months` 6)": what the proposal gives for
    /// the fields a rule reads.
    fn values(&self, rule: &Rule) -> String {
        let mut fields = Vec::new();
        if let Some(condition) = &rule.condition {
            fields_of(condition, &mut fields, &mut HashSet::new());
        }
        match self.given(&fields).as_str() {
            "" => String::new(),
            shown => format!(" ({shown})"),
        }
    }

    /// "`cost` 30,000, `duration_months` 6" for the fields the proposal
    /// gives.
    fn given(&self, fields: &[&str]) -> String {
        self.given_each(fields).join(", ")
    }

    fn given_each(&self, fields: &[&str]) -> Vec<String> {
        fields
            .iter()
            .filter_map(|f| {
                lookup(&self.proposal.fields, f).map(|v| format!("`{f}` {}", show_json(v)))
            })
            .collect()
    }

    /// "it gives `cost` 80,000, where the line asks that `cost` is at most
    /// 50,000": the parts of a condition that failed, and what the proposal
    /// gave for them.
    fn failures(&self, failed: &[&Expr]) -> String {
        let mut fields = Vec::new();
        let mut seen = HashSet::new();
        for part in failed {
            fields_of(part, &mut fields, &mut seen);
        }
        // Brackets only where an `or` sits beside another part.
        let nested = failed.len() > 1;
        let asks = failed
            .iter()
            .map(|part| describe(part, nested))
            .collect::<Vec<_>>();
        let asks = join(&asks, "and");
        match self.given_each(&fields).as_slice() {
            [] => format!("the line asks that {asks}"),
            given => format!(
                "it gives {}, where the line asks that {asks}",
                join(given, "and")
            ),
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
                let written_as_a_date = lookup(&self.proposal.fields, field)
                    .and_then(|v| v.as_str())
                    .is_some_and(crate::proposal::looks_like_a_date);
                parts.push(match wanted {
                    Some(kind) if kind.contains("YYYY-MM-DD") && written_as_a_date => {
                        format!("gives `{field}` as {given}, which is not a real day")
                    }
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

    fn which_day(&self) -> String {
        let date = self.date;
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

    fn principle(&self, index: usize) -> String {
        let (Some(principle), Some(result)) = (
            self.mandate.principles.get(index),
            self.principles.get(index),
        ) else {
            return String::new();
        };
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

    fn principle_change(&self, index: usize) -> String {
        let (Some(principle), Some(result)) = (
            self.mandate.principles.get(index),
            self.principles.get(index),
        ) else {
            return String::new();
        };
        let (statement, line) = (&principle.statement, principle.line);
        match (result.result, principle.severity) {
            (PrincipleOutcome::Error, _) => match self.faults.get(index) {
                Some(Some(fault)) => super::fault::fault_change(fault, &principle.id, line),
                _ => format!(
                    "Fixing principle `{}` (line {line}) so that it runs would let it be checked.",
                    principle.id
                ),
            },
            (_, Severity::Blocking) => format!(
                "Only a proposal that keeps to \"{statement}\" (line {line}) could go ahead."
            ),
            _ => format!(
                "If the proposal kept to \"{statement}\" (line {line}), that principle would not send it to the group."
            ),
        }
    }
}

/// "Giving `cost`, and `start_date` as a date written YYYY-MM-DD, would
/// settle line 181."
fn settle(gaps: &[Gap], line: u32) -> String {
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

/// "Thursday 10 December 2026".
pub(crate) fn long_date(date: NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// The fixed words of any one sentence, at most, in bytes (the longest
/// template, with its line numbers and dates, is well under half this).
const SENTENCE_WORDS: usize = 1024;

/// A proposal's value as a sentence quotes it, at most: [`show_json`]
/// shortens a text to `MAX_VALUE_CHARS` characters (up to 4 bytes each);
/// a number is written in full, up to 309 digits with their commas.
const QUOTED_VALUE: usize = 4 * crate::check::MAX_VALUE_CHARS + 512;

impl Words<'_> {
    /// At most how many bytes the sentences of `found` take: a bound, not
    /// their length, worked out without writing them, so that a check can
    /// tell whether they surely fit before it leaves them to be written
    /// later. Each sentence is bounded by what it may name: its fixed words,
    /// the representative, up to [`crate::check::MAX_NAMES_IN_A_SENTENCE`]
    /// topics or organisations (each with its label), the forums, the
    /// rule's topics, forum and condition in words, the values quoted, and
    /// a principle's statement and reason. Twice that, for safety.
    pub(crate) fn bound(&self, found: &Found<'_>) -> usize {
        let longest_topic = self
            .proposal
            .topics
            .iter()
            .map(String::len)
            .chain(self.proposal.forum.as_ref().map(String::len))
            .max()
            .unwrap_or(0);
        let name = self.mandate.longest_name() + longest_topic + 32;
        let names = (crate::check::MAX_NAMES_IN_A_SENTENCE + 2) * name + 64;
        let forums: usize = self.rep.forums.iter().map(|f| f.len() + 16).sum();
        let each = 2 * SENTENCE_WORDS + 3 * self.rep.name.len() + 2 * names + forums;
        // The condition in words (twice: as asked, and as failed), and
        // every field it reads with the value the proposal gives.
        let rule = |rule: &Rule| {
            2 * names
                + rule.forum.as_ref().map_or(0, |f| f.len() + 16)
                + rule.condition.as_ref().map_or(0, |c| {
                    let (words, fields) = super::condition::describe_bound(c);
                    2 * words + 32 + fields * (QUOTED_VALUE + 16)
                })
        };
        let gaps = |gaps: &[Gap]| -> usize {
            gaps.iter()
                .map(|g| g.field().len() + QUOTED_VALUE + 128)
                .sum()
        };
        let principle = |index: usize| {
            let statement = self
                .mandate
                .principles
                .get(index)
                .map_or(0, |p| p.statement.len() + p.id.len());
            let reason = self
                .principles
                .get(index)
                .and_then(|r| r.reason.as_ref())
                .map_or(0, String::len);
            2 * SENTENCE_WORDS + statement + reason
        };
        let reasons = found.reasons.list.iter().map(|reason| {
            each + match reason {
                Reason::Granted { rule: r, .. }
                | Reason::Forbidden { rule: r, .. }
                | Reason::Referred { rule: r, .. } => rule(r),
                Reason::ForbidUnknown { rule: r, gaps: g }
                | Reason::ReferUnknown { rule: r, gaps: g } => rule(r) + gaps(g),
                Reason::Principle { index } => principle(*index),
                _ => 0,
            }
        });
        let changes = found.changes.list.iter().map(|change| {
            each + match change {
                Change::Settle { gaps: g, .. } => gaps(g),
                Change::NearGrant { rule: r, miss } => {
                    rule(r)
                        + match miss {
                            Miss::Unknown(g) => gaps(g),
                            Miss::Forum(_) | Miss::NotMet(_) => 0,
                        }
                }
                Change::Principle { index } => principle(*index),
                _ => 0,
            }
        });
        let duties = found.duties.iter().map(|_| each);
        2 * reasons.chain(changes).chain(duties).sum::<usize>()
    }
}
