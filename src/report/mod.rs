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
    let rep = visible(
        mandate
            .representative(&decision.representative)
            .map_or(decision.representative.as_str(), |r| r.name.as_str()),
    );
    let title = visible(&decision.title);
    let word = decision.outcome.as_str().to_uppercase();
    let word = style(outcome_style(decision.outcome), &word);
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
    let mut out = String::new();
    let _ = writeln!(out, "{word}: {headline}");
    let heading = |out: &mut String, text: &str| {
        let _ = writeln!(out, "\n{}", style(Style::new().bold(), text));
    };

    heading(&mut out, "Why");
    for reason in &decision.reasons {
        let _ = writeln!(out, "  - {}", visible(reason));
    }

    heading(&mut out, "What to do next");
    for obligation in &decision.obligations {
        let _ = writeln!(out, "  - {}", visible(obligation));
    }

    let at_risk: Vec<String> = decision
        .principles
        .iter()
        .filter(|p| p.result != PrincipleOutcome::Upheld)
        .map(|p| {
            let statement = mandate
                .principle(&p.id)
                .map_or(visible(&p.id).into_owned(), |m| {
                    format!("\"{}\" (line {})", visible(&m.statement), m.line)
                });
            let what = match p.result {
                PrincipleOutcome::Error => "could not be checked",
                _ => "violated",
            };
            let reason = p
                .reason
                .as_ref()
                .map(|r| format!(": {}", visible(r)))
                .unwrap_or_default();
            format!("{statement}, {}, {what}{reason}", p.severity.keyword())
        })
        .collect();
    if !at_risk.is_empty() {
        heading(&mut out, "Principles at risk");
        for line in at_risk {
            let _ = writeln!(out, "  - {line}");
        }
    }

    if !decision.priorities.is_empty() {
        heading(&mut out, "Priorities touched");
        for id in &decision.priorities {
            let name = mandate
                .priority(id)
                .map_or(id.as_str(), |p| p.name.as_str());
            let _ = writeln!(out, "  - {}", visible(name));
        }
    }

    let _ = writeln!(
        out,
        "\n{}",
        style(
            Style::new().dimmed(),
            &format!(
                "Checked {} for {rep} ({}) on {} against the mandate of {} (sha256 {}).",
                visible(&decision.proposal),
                visible(&decision.representative),
                visible(&decision.date),
                visible(&decision.mandate.group),
                &decision.mandate.sha256
            )
        )
    );
    out
}

fn organisation_name(mandate: &Mandate, id: &str) -> String {
    let name = mandate.organisation(id).map_or(id, |o| o.name.as_str());
    visible(name).into_owned()
}

fn outcome_style(outcome: Outcome) -> Style {
    match outcome {
        Outcome::Agree => Style::new().green().bold(),
        Outcome::Refer => Style::new().yellow().bold(),
        Outcome::Redirect => Style::new().cyan().bold(),
        Outcome::Decline => Style::new().red().bold(),
    }
}
