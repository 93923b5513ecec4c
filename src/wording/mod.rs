//! The one place facts become English.
//!
//! Every sentence a person reads about a mandate is made here: the reasons,
//! the changes that would alter the answer and the obligations of a
//! decision (from the facts [`crate::check`] finds), a rule or a condition
//! on its own (for a brief or a diff, with no proposal), and the small
//! helpers for joining names. Deciding never builds text; front ends never
//! word a fact themselves.

pub mod analysis;
pub(crate) mod brief;
pub(crate) mod condition;
pub(crate) mod decision;
pub mod diff;
pub(crate) mod editor;
pub(crate) mod fault;
pub(crate) mod names;
pub mod testing;

use crate::compile::{Effect, Expr, Mandate, Representative, Rule};

/// A rule in words, from the mandate alone: "Line 35: Dr Asha Patel may
/// agree to Interface (interface) when `cost` is at most 50,000."
pub fn rule(mandate: &Mandate, rep: &Representative, rule: &Rule) -> String {
    let who = &rep.name;
    let line = rule.line;
    let topics = names::rule_topics_then(mandate, rule, rule.effect == Effect::Refer);
    let at = names::rule_at(rule);
    let when = names::rule_when(rule);
    match rule.effect {
        Effect::MayAgree => format!("Line {line}: {who} may agree to {topics}{at}{when}."),
        Effect::MayNotAgree => {
            format!("Line {line}: {who} may not agree to {topics}{at}{when}.")
        }
        Effect::Refer => {
            format!("Line {line}: {who} brings {topics}{at} to the group first{when}.")
        }
    }
}

/// A condition in words: "`cost` is at most 50,000 and `risk` is \"low\"".
pub fn condition(expr: &Expr) -> String {
    condition::describe(expr, false)
}
