//! Decision -> what people and tools read.
//!
//! Owns the text report (what a GP reads the night before a meeting: the
//! answer first, then why, what to do next, principles at risk, priorities
//! touched) and the JSON form. It decides nothing: every fact comes from the
//! [`Decision`]; the mandate only supplies names.
//!
//! Everything the text report echoes (titles, ids, names, topics, reasons,
//! principle reasons) passes through [`visible`] as it is written, so no
//! control character reaches the terminal; reasons stay exact in the
//! decision and its JSON.

use crate::check::{Decision, Outcome, PrincipleOutcome};
use crate::compile::Mandate;
use crate::visible::visible;
use owo_colors::{OwoColorize, Style};
use std::fmt::Write;

mod summary;
pub use summary::summary;

/// Decisions as JSON: one object for a single decision, else a flat array
/// (the shape [`crate::check::Checked::to_json`] chooses by the request).
/// Deterministic: the same decisions give byte-identical text.
pub fn json(decisions: &[Decision], single: bool) -> Result<String, serde_json::Error> {
    crate::check::decisions_json(decisions, single)
}

/// The parts of the report of one decision, as plain text (not yet made
/// visible or escaped): what the text report prints and the page shows,
/// in the same words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sections {
    /// The answer.
    pub outcome: Outcome,
    /// The answer in one sentence ("Dr Asha Patel may agree to ...").
    pub headline: String,
    /// Why: the decision's reasons, each citing the mandate's lines.
    pub why: Vec<String>,
    /// What to do next.
    pub next: Vec<String>,
    /// The principles not upheld, each with its line and severity.
    pub at_risk: Vec<String>,
    /// The names of the priorities touched.
    pub priorities: Vec<String>,
    /// What was checked, for whom, on what day, against which mandate.
    pub footer: String,
}

/// The report of one decision, in parts.
pub fn sections(decision: &Decision, mandate: &Mandate) -> Sections {
    let rep = mandate
        .representative(&decision.representative)
        .map_or(decision.representative.as_str(), |r| r.name.as_str());
    let title = &decision.title;
    let headline = match decision.outcome {
        Outcome::Agree => format!("{rep} may agree to \"{title}\"."),
        Outcome::Refer => {
            format!("{rep} must bring \"{title}\" to the group before agreeing to anything.")
        }
        Outcome::Redirect => {
            let owners: Vec<String> = decision
                .redirect_to
                .iter()
                .map(|id| organisation_name(mandate, id))
                .collect();
            let all = decision
                .topics
                .iter()
                .all(|t| t.outcome == Outcome::Redirect);
            format!(
                "\"{title}\" is {}for {} to decide, not {rep} on the group's behalf.",
                if all { "" } else { "partly " },
                crate::check::join_names(&owners)
            )
        }
        Outcome::Decline => format!("{rep} must say no to \"{title}\"."),
    };
    let at_risk = decision
        .principles
        .iter()
        .filter(|p| p.result != PrincipleOutcome::Upheld)
        .map(|p| {
            let statement = mandate.principle(&p.id).map_or(p.id.clone(), |m| {
                format!("\"{}\" (line {})", m.statement, m.line)
            });
            let what = match p.result {
                PrincipleOutcome::Error => "could not be checked",
                _ => "violated",
            };
            let reason = p
                .reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            format!("{statement}, {}, {what}{reason}", p.severity.keyword())
        })
        .collect();
    let priorities = decision
        .priorities
        .iter()
        .map(|id| mandate.priority(id).map_or(id.clone(), |p| p.name.clone()))
        .collect();
    Sections {
        outcome: decision.outcome,
        headline,
        why: decision.reasons.to_vec(),
        next: decision.obligations.to_vec(),
        at_risk,
        priorities,
        footer: format!(
            "Checked {} for {rep} ({}) on {} against the mandate of {} (sha256 {}).",
            decision.proposal,
            decision.representative,
            decision.date,
            decision.mandate.group,
            decision.mandate.sha256
        ),
    }
}

/// The text report for one decision; `colour` adds terminal colours to the
/// headline and headings.
pub fn text(decision: &Decision, mandate: &Mandate, colour: bool) -> String {
    let style = |s: Style, text: &str| {
        if colour {
            text.style(s).to_string()
        } else {
            text.to_string()
        }
    };
    let parts = sections(decision, mandate);
    let word = decision.outcome.as_str().to_uppercase();
    let word = style(outcome_style(decision.outcome), &word);
    let mut out = String::new();
    let _ = writeln!(out, "{word}: {}", visible(&parts.headline));
    let heading = |out: &mut String, text: &str| {
        let _ = writeln!(out, "\n{}", style(Style::new().bold(), text));
    };
    let list = |out: &mut String, name: &str, lines: &[String], always: bool| {
        if always || !lines.is_empty() {
            heading(out, name);
            for line in lines {
                let _ = writeln!(out, "  - {}", visible(line));
            }
        }
    };
    list(&mut out, "Why", &parts.why, true);
    list(&mut out, "What to do next", &parts.next, true);
    list(&mut out, "Principles at risk", &parts.at_risk, false);
    list(&mut out, "Priorities touched", &parts.priorities, false);
    let _ = writeln!(
        out,
        "\n{}",
        style(Style::new().dimmed(), &visible(&parts.footer))
    );
    out
}

fn organisation_name(mandate: &Mandate, id: &str) -> String {
    mandate
        .organisation(id)
        .map_or(id, |o| o.name.as_str())
        .to_string()
}

fn outcome_style(outcome: Outcome) -> Style {
    match outcome {
        Outcome::Agree => Style::new().green().bold(),
        Outcome::Refer => Style::new().yellow().bold(),
        Outcome::Redirect => Style::new().cyan().bold(),
        Outcome::Decline => Style::new().red().bold(),
    }
}
