//! What an editor shows when a rule author points at part of a rule file
//! (a hover): a topic with its label, owner and priorities; a principle
//! and what its severity does; a forum and who attends it; an
//! organisation, a priority or a representative in brief. From facts the
//! language server reads off the syntax tree; a rule's own meaning is
//! [`super::rule`], the same sentence a brief uses.
//!
//! Each function returns paragraphs; the front end makes what it echoes
//! visible and joins them.

use super::names::the;
use crate::check::MAX_NAMES_IN_A_SENTENCE;
use crate::english::{capitalised, join_at_most};

/// A list in a sentence, naming only the first few.
fn join(items: &[impl AsRef<str>], word: &str) -> String {
    join_at_most(items, word, MAX_NAMES_IN_A_SENTENCE)
}
use crate::syntax::ast::Severity;
use crate::topic::TopicPattern;

/// Something named in the file: its id and its name.
pub(crate) type Named<'a> = (&'a str, &'a str);

fn named(items: &[Named<'_>]) -> String {
    let names: Vec<String> = items
        .iter()
        .map(|(id, name)| format!("{name} ({id})"))
        .collect();
    join(&names, "and")
}

/// `text` as a sentence: a full stop added unless it ends in one (or in
/// `!` or `?`).
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_string()
    } else {
        format!("{text}.")
    }
}

/// A topic: what it is called, who owns it and which priorities it
/// touches. `declared` is the most specific declared topic at or above
/// it, with its label; `vocabulary` says whether the file declares any.
pub(crate) fn topic(
    topic: &TopicPattern,
    declared: Option<(&str, &str)>,
    vocabulary: bool,
    owners: &[Named<'_>],
    priorities: &[Named<'_>],
) -> Vec<String> {
    let TopicPattern::Path(path) = topic else {
        return vec!["`*`: every topic.".into()];
    };
    let mut words = vec![match declared {
        Some((declared, label)) if declared == path => format!("{label} ({path})."),
        Some((declared, label)) => format!("{path}, part of {label} ({declared})."),
        None if vocabulary => format!(
            "{path}: not a declared topic. Declare it with `topic {path} \"LABEL\"`, or use one that is declared."
        ),
        None => format!("{path}: a topic (the file declares no topic labels)."),
    }];
    words.push(if owners.is_empty() {
        "No member organisation owns it: the group's rules decide it.".into()
    } else {
        format!(
            "Owned by {}: a proposal on it is redirected there.",
            named(owners)
        )
    });
    if !priorities.is_empty() {
        words.push(format!(
            "A local priority: {}. Proposals touching it are flagged.",
            named(priorities)
        ));
    }
    words
}

/// A shared principle: its statement, what its severity does, where its
/// code is.
pub(crate) fn principle(
    id: &str,
    statement: &str,
    severity: Severity,
    script: Option<&str>,
) -> Vec<String> {
    let does = match severity {
        Severity::Blocking => {
            "blocking: a proposal that breaks it is declined (a red line: say no)."
        }
        Severity::Refer => "refer: a proposal that breaks it is brought back to the group first.",
        Severity::Advisory => {
            "advisory: a proposal that breaks it is noted, and the answer does not change."
        }
    };
    let mut words = vec![
        format!("Principle {id}: {}", sentence(statement)),
        format!("Severity {does}"),
    ];
    if let Some(script) = script {
        words.push(format!("Its code is in {script}."));
    }
    words
}

/// A forum and the representatives who list it. `rule_of` names the
/// representative whose rule says `at` it, when the forum is pointed at
/// there.
pub(crate) fn forum(
    forum: &str,
    attendees: &[Named<'_>],
    rule_of: Option<Named<'_>>,
) -> Vec<String> {
    let mut words = vec![if attendees.is_empty() {
        format!(
            "{}: no representative lists it in `forums`.",
            capitalised(&the(forum))
        )
    } else {
        format!(
            "{}: attended by {}.",
            capitalised(&the(forum)),
            named(attendees)
        )
    }];
    if let Some((id, name)) = rule_of {
        if !attendees.iter().any(|(a, _)| *a == id) {
            words.push(format!(
                "{name} ({id}) does not list it: add it to their `forums` line, or this rule applies nowhere they go."
            ));
        }
    }
    words
}

/// A member organisation and the topics it owns.
pub(crate) fn organisation(id: &str, name: &str, owns: &[&str]) -> Vec<String> {
    vec![if owns.is_empty() {
        format!("{name} ({id}), a member organisation. It owns no topic yet: write `owns TOPIC`.")
    } else {
        format!(
            "{name} ({id}), a member organisation. It owns {}: a proposal on these is redirected to it.",
            join(owns, "and")
        )
    }]
}

/// A local priority and its topics.
pub(crate) fn priority(id: &str, name: &str, topics: &[&str]) -> Vec<String> {
    vec![format!(
        "Local priority {name} ({id}), covering {}. A proposal touching it is flagged.",
        if topics.is_empty() {
            "no topic yet".to_string()
        } else {
            join(topics, "and")
        }
    )]
}

/// A representative in brief.
pub(crate) fn representative(
    id: &str,
    name: &str,
    role: Option<&str>,
    forums: &[&str],
    rules: usize,
) -> Vec<String> {
    let role = role.map(|r| format!(", {r}")).unwrap_or_default();
    let mut words = vec![format!(
        "{name} ({id}){role}: {rules} rule{}.",
        if rules == 1 { "" } else { "s" }
    )];
    if !forums.is_empty() {
        let forums: Vec<String> = forums.iter().map(|f| the(f)).collect();
        words.push(format!("Represents the group at {}.", join(&forums, "and")));
    }
    words
}

/// A rule that cannot be put in words yet: the file has errors.
pub(crate) fn rule_unworded(errors: usize) -> String {
    format!(
        "This rule is put in plain English once the file has no errors; it has {errors} now (they are underlined)."
    )
}
