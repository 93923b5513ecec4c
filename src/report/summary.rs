//! Decisions -> the agenda summary: what a practice manager reads when
//! checking a meeting's whole agenda for every representative.
//!
//! One line per decision (outcome word, proposal title, representative's
//! name, the line of the mandate that decided it), aligned in columns, then
//! the number of decisions of each outcome. Like the text report it decides
//! nothing: every fact comes from the decisions, the mandate only supplies
//! names and the lines of principles. Everything it echoes passes through
//! [`visible`] before it is measured, so the columns line up as shown.

use crate::check::{Decision, Gate, Outcome, PrincipleOutcome};
use crate::compile::{Effect, Mandate};
use crate::syntax::ast::Severity;
use crate::visible::visible;
use std::fmt::Write;

/// A title longer than this many characters is cut, ending in "…", so one
/// long title does not push every other line's columns off the screen.
const MAX_TITLE_CHARS: usize = 48;
/// The same for a representative's name.
const MAX_NAME_CHARS: usize = 32;
/// Spaces between columns.
const GAP: &str = "  ";

/// The agenda summary of `decisions`: one aligned line per decision, in
/// the order given, then the counts per outcome ("3 agree, 1 refer,
/// 0 redirect, 2 decline"). Widths count characters, not bytes.
pub fn summary(decisions: &[Decision], mandate: &Mandate) -> String {
    let rows: Vec<[String; 4]> = decisions
        .iter()
        .map(|decision| {
            let name = mandate
                .representative(&decision.representative)
                .map_or(decision.representative.as_str(), |r| r.name.as_str());
            [
                decision.outcome.as_str().to_string(),
                cut(&decision.title, MAX_TITLE_CHARS),
                cut(name, MAX_NAME_CHARS),
                decided_by(decision, mandate),
            ]
        })
        .collect();
    let mut widths = [0usize; 3];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row.iter()) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for [outcome, title, name, why] in &rows {
        for (cell, width) in [outcome, title, name].into_iter().zip(widths) {
            out.push_str(cell);
            let pad = width.saturating_sub(cell.chars().count());
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(GAP);
        }
        let _ = writeln!(out, "{why}");
    }
    if !rows.is_empty() {
        out.push('\n');
    }
    let counts: Vec<String> = [
        Outcome::Agree,
        Outcome::Refer,
        Outcome::Redirect,
        Outcome::Decline,
    ]
    .into_iter()
    .map(|outcome| {
        let n = decisions.iter().filter(|d| d.outcome == outcome).count();
        format!("{n} {}", outcome.as_str())
    })
    .collect();
    let _ = writeln!(out, "{}", counts.join(", "));
    out
}

/// `text` made visible and cut to at most `max` characters, the last of
/// them "…". The cut falls between the characters of `text`, never inside
/// the escape that shows one (`\u{1b}` is cut whole or kept whole).
fn cut(text: &str, max: usize) -> String {
    let shown = visible(text);
    if shown.chars().count() <= max {
        return shown.into_owned();
    }
    let room = max.saturating_sub(1);
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let mut one = [0u8; 4];
        let piece = visible(c.encode_utf8(&mut one));
        let width = piece.chars().count();
        if used + width > room {
            break;
        }
        out.push_str(&piece);
        used += width;
    }
    out.push('…');
    out
}

/// The line of the mandate that decided `decision`, in a few words: the
/// first topic (in the proposal's order) whose own outcome is the overall
/// one and the rule or ownership that gave it; failing that, the gate that
/// held it back, then the principle that raised it.
fn decided_by(decision: &Decision, mandate: &Mandate) -> String {
    let overall = decision.outcome;
    for topic in decision.topics.iter().filter(|t| t.outcome == overall) {
        let name = visible(&topic.topic);
        if let Some(owners) = &topic.owners {
            let lines: Vec<String> = owners.iter().map(|o| o.line.to_string()).collect();
            let names: Vec<String> = owners
                .iter()
                .map(|o| {
                    let name = mandate
                        .organisation(&o.id)
                        .map_or(o.id.as_str(), |org| org.name.as_str());
                    visible(name).into_owned()
                })
                .collect();
            if lines.is_empty() {
                continue;
            }
            let which = if lines.len() == 1 { "line" } else { "lines" };
            return format!(
                "{which} {}: {name} belongs to {}",
                lines.join(", "),
                crate::check::join_names(&names)
            );
        }
        let rules = topic.rules.as_deref().unwrap_or_default();
        // Which rules can give each outcome, in the order a check weighs
        // them (forbid beats refer beats agree): the first in file order
        // of the strongest kind is the one that decided.
        let kinds: &[(Effect, &str)] = match overall {
            Outcome::Decline => &[(Effect::MayNotAgree, "true")],
            Outcome::Refer => &[
                (Effect::Refer, "true"),
                (Effect::MayNotAgree, "unknown"),
                (Effect::Refer, "unknown"),
            ],
            Outcome::Agree => &[(Effect::MayAgree, "true")],
            Outcome::Redirect => &[],
        };
        let decider = kinds.iter().find_map(|(effect, condition)| {
            rules
                .iter()
                .find(|r| r.effect == *effect && r.condition == *condition)
        });
        match decider {
            Some(rule) if rule.condition == "unknown" && !rule.unknown_fields.is_empty() => {
                let fields: Vec<String> = rule
                    .unknown_fields
                    .iter()
                    .map(|f| format!("`{}`", visible(f)))
                    .collect();
                return format!(
                    "line {}: {} {name}, not known: {}",
                    rule.line,
                    rule.effect.keyword(),
                    fields.join(", ")
                );
            }
            Some(rule) => {
                return format!("line {}: {} {name}", rule.line, rule.effect.keyword());
            }
            None if overall == Outcome::Refer => {
                return format!("no rule lets them agree to {name}");
            }
            None => {}
        }
    }
    // A gate that held the proposal back refers it, before any principle
    // (the order the reasons give them in).
    if overall == Outcome::Refer {
        for gate in &decision.gates {
            match gate {
                Gate::Forum {
                    line,
                    passed: false,
                    forum,
                    ..
                } => {
                    let forum = forum.as_deref().map(visible).unwrap_or_default();
                    return format!("line {line}: not their forum ({forum})");
                }
                Gate::Dates {
                    line,
                    passed: false,
                    date,
                    ..
                } => {
                    return format!("line {line}: {} is outside their mandate", visible(date));
                }
                _ => {}
            }
        }
    }
    let raised = decision.principles.iter().find(|p| match overall {
        Outcome::Decline => {
            p.result == PrincipleOutcome::Violated && p.severity == Severity::Blocking
        }
        Outcome::Refer => {
            p.result == PrincipleOutcome::Error
                || (p.result == PrincipleOutcome::Violated && p.severity == Severity::Refer)
        }
        Outcome::Agree | Outcome::Redirect => false,
    });
    if let Some(principle) = raised {
        let what = match principle.result {
            PrincipleOutcome::Error => "could not be checked",
            _ => "violated",
        };
        let id = visible(&principle.id);
        return match mandate.principle(&principle.id) {
            Some(m) => format!("line {}: principle {id} {what}", m.line),
            None => format!("principle {id} {what}"),
        };
    }
    // Every outcome above agree has a topic, gate or principle behind it.
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_counts_characters_not_bytes() {
        assert_eq!(cut("café", 4), "café");
        assert_eq!(cut("cafés", 4), "caf…");
        assert_eq!(cut("日本語のテキスト", 3), "日本…");
        assert_eq!(cut("", 3), "");
    }

    #[test]
    fn cut_never_splits_an_escape() {
        // "ab" then ESC (shown as the 6 characters `\u{1b}`): cut to 6,
        // the escape does not fit in the 5 before "…" and goes whole.
        assert_eq!(cut("ab\u{1b}cdef", 6), "ab…");
        assert_eq!(cut("ab\u{1b}", 8), "ab\\u{1b}");
        assert_eq!(cut("a\u{1b}bcdefgh", 9), "a\\u{1b}b…");
    }
}
