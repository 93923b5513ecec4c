//! Topics, rules and forums in words, from the mandate alone: "Funding
//! (funding), except Transformation funding (funding.transformation)",
//! " at the Place Partnership Board", " when `cost` is at most 50,000".

use super::condition::describe;
use crate::check::MAX_NAMES_IN_A_SENTENCE;
use crate::compile::{Mandate, Representative, Rule};
use crate::english::join;
use crate::topic::TopicPattern;

/// A topic as a reader knows it: its label when the vocabulary has one.
pub(crate) fn topic(mandate: &Mandate, topic: &str) -> String {
    match mandate.declared(topic) {
        Some(d) if d.topic == topic => format!("{} ({topic})", d.label),
        Some(d) => format!("{topic} (part of {})", d.label),
        None => topic.to_string(),
    }
}

/// Several topics: "A (a), B (b) and 3 more".
pub(crate) fn topics(mandate: &Mandate, topics: &[&str]) -> String {
    let named: Vec<String> = topics
        .iter()
        .take(MAX_NAMES_IN_A_SENTENCE)
        .map(|t| topic(mandate, t))
        .collect();
    more(&named, topics.len())
}

fn pattern(mandate: &Mandate, pattern: &TopicPattern) -> String {
    match pattern {
        TopicPattern::Any => "any topic".into(),
        TopicPattern::Path(path) => match mandate.declared_exactly(path) {
            Some(d) => format!("{} ({path})", d.label),
            None => path.clone(),
        },
    }
}

/// "Funding (funding), except Transformation funding (funding.transformation),"
pub(crate) fn rule_topics(mandate: &Mandate, rule: &Rule) -> String {
    rule_topics_then(mandate, rule, false)
}

/// As [`rule_topics`], closing the `except` aside with a comma when words
/// follow (`followed`) even without an `at` or `when`: "Digital, except
/// Shared care records, to the group".
pub(crate) fn rule_topics_then(mandate: &Mandate, rule: &Rule, followed: bool) -> String {
    let names = |patterns: &[TopicPattern]| {
        let named: Vec<String> = patterns
            .iter()
            .take(MAX_NAMES_IN_A_SENTENCE)
            .map(|p| pattern(mandate, p))
            .collect();
        more(&named, patterns.len())
    };
    let mut text = names(&rule.patterns);
    if !rule.except.is_empty() {
        text.push_str(&format!(", except {}", names(&rule.except)));
        // Close the `except` aside before an `at` or `when` follows it.
        if followed || rule.forum.is_some() || rule.condition.is_some() {
            text.push(',');
        }
    }
    text
}

/// " at the Place Partnership Board", or nothing.
pub(crate) fn rule_at(rule: &Rule) -> String {
    rule.forum
        .as_ref()
        .map(|f| format!(" at {}", the(f)))
        .unwrap_or_default()
}

/// " when `cost` is at most 50,000", or nothing.
pub(crate) fn rule_when(rule: &Rule) -> String {
    rule.condition
        .as_ref()
        .map(|c| format!(" when {}", describe(c, false)))
        .unwrap_or_default()
}

/// Topics, `at` and `when` together.
pub(crate) fn rule_scope(mandate: &Mandate, rule: &Rule) -> String {
    format!(
        "{}{}{}",
        rule_topics(mandate, rule),
        rule_at(rule),
        rule_when(rule)
    )
}

/// "(lines 150-190)": where the representative's mandate is.
pub(crate) fn rep_lines(rep: &Representative) -> String {
    format!("(lines {}-{})", rep.line, rep.end_line)
}

/// The representative's forums: "the A and the B (line 12)", with `word`
/// ("and", "or") before the last.
pub(crate) fn forums(rep: &Representative, word: &str) -> String {
    let forums: Vec<String> = rep.forums.iter().map(|f| the(f)).collect();
    format!("{}{}", join(&forums, word), line_ref(rep.forums_line))
}

/// The first few of `total` names, joined: "a, b and c", or "a, b, c and
/// 12 more" when `named` holds only the first few.
pub(crate) fn more(named: &[String], total: usize) -> String {
    match total.saturating_sub(named.len()) {
        0 => join(named, "and"),
        left => format!("{} and {left} more", named.join(", ")),
    }
}

/// "the Place Partnership Board"; a name that starts with "the" keeps it.
pub(crate) fn the(forum: &str) -> String {
    if forum.starts_with("the ") || forum.starts_with("The ") {
        forum.to_string()
    } else {
        format!("the {forum}")
    }
}

/// " (line 12)", or nothing.
pub(crate) fn line_ref(line: Option<u32>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}
