//! Semantic checks on a parsed rule file -> diagnostics.
//!
//! Owns everything the README's "What validate checks" says `validate`
//! refuses or warns about: one group, unique ids, reserved words, real
//! dates, the topic vocabulary, principle scripts and their Rhai syntax,
//! and the warnings (topics owned twice, rules that can never apply,
//! topics that look like misspellings of declared ones, representatives
//! with no rules, expired mandates). It reads no files: scripts arrive
//! already read, from `source`. It compiles each principle's code once and
//! hands it on to `compile`. Each problem keeps its message, level, code
//! and help in one place: its variant of [`Problem`] and its arm of
//! `Problem::describe`.

use crate::english::MAX_NAMES_LISTED;
use crate::topic::fuzzy::{did_you_mean, MAX_SUGGESTIONS};

use crate::diagnostic::{Diagnostic, Level};
use crate::principles::Sandbox;
use crate::source::{Script, Scripts, SourceFile};
use crate::span::span_within;
use crate::syntax::ast::*;
use crate::syntax::is_keyword;
use crate::topic::fuzzy::did_you_mean_within;
use crate::topic::{TopicIndex, TopicPattern};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// The longest report-back deadline accepted: ten years.
pub const MAX_REPORT_DAYS: i64 = 3650;

/// Integers above this cannot be compared exactly as numbers.
const MAX_EXACT_INTEGER: f64 = 9_007_199_254_740_992.0;

/// One thing wrong with (or suspicious in) a rule file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    /// The file declares no `group`.
    #[error("this mandate has no `group`")]
    NoGroup,
    /// A second `group`.
    #[error("a mandate has exactly one `group`, and there is already one on line {first_line}")]
    SecondGroup {
        /// Line of the first group.
        first_line: u32,
    },
    /// A group gives `place` twice.
    #[error("`place` is given twice for this group; the first is on line {first_line}")]
    SecondPlace {
        /// Line of the first `place`.
        first_line: u32,
    },
    /// Two declarations of one kind share an id.
    #[error("{kind} `{id}` is declared twice; the first is on line {first_line}")]
    DuplicateId {
        /// `organisation`, `principle`, ...
        kind: &'static str,
        /// The repeated id.
        id: String,
        /// Line of the first declaration.
        first_line: u32,
    },
    /// A representative gives a one-off statement (`role`, `valid`...) twice.
    #[error("`{what}` is given twice for this representative; the first is on line {first_line}")]
    RepeatedStatement {
        /// The statement's keyword.
        what: &'static str,
        /// Line of the first one.
        first_line: u32,
    },
    /// A reserved word used as a name.
    #[error("`{word}` is a reserved word and cannot be used as {role}")]
    ReservedWord {
        /// The word.
        word: String,
        /// "an id", "a topic segment", "a field name".
        role: &'static str,
    },
    /// A date that is not on the calendar.
    #[error("{text} is not a real date: {why}")]
    ImpossibleDate {
        /// The date as written.
        text: String,
        /// Why ("February 2026 has 28 days").
        why: String,
    },
    /// `valid from A until B` with B before A.
    #[error("the mandate ends ({until}) before it starts ({from})")]
    UntilBeforeFrom {
        /// The `from` date.
        from: String,
        /// The `until` date.
        until: String,
    },
    /// `report within N days` with N below 1.
    #[error("`report within {days} days` must give at least 1 day")]
    ReportTooSoon {
        /// The number written.
        days: i64,
    },
    /// `report within N days` with N beyond any sensible deadline.
    #[error("`report within` allows at most {MAX_REPORT_DAYS} days")]
    ReportTooLate,
    /// With a vocabulary, a topic neither declared nor below a declared one.
    #[error("topic `{topic}` is not in this mandate's topic list")]
    UndeclaredTopic {
        /// The topic as written.
        topic: String,
        /// The closest declared topic, if one is close.
        suggestion: Option<String>,
    },
    /// `script "PATH"` names no file.
    #[error("principle `{id}`: the script \"{path}\" does not exist")]
    ScriptMissing {
        /// The principle.
        id: String,
        /// The path as written.
        path: String,
    },
    /// `script "PATH"` names a folder or other non-file.
    #[error("principle `{id}`: \"{path}\" is not a file")]
    ScriptNotAFile {
        /// The principle.
        id: String,
        /// The path as written.
        path: String,
    },
    /// `script "PATH"` leaves the rule file's folder.
    #[error("principle `{id}`: the script \"{path}\" is outside the rule file's folder")]
    ScriptOutsideFolder {
        /// The principle.
        id: String,
        /// The path as written.
        path: String,
    },
    /// The script is over the size limit.
    #[error("principle `{id}`: the script \"{path}\" is {size} bytes; the limit is {limit}")]
    ScriptTooLarge {
        /// The principle.
        id: String,
        /// The path as written.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: usize,
    },
    /// The script exists but cannot be read.
    #[error("principle `{id}`: the script \"{path}\" cannot be read: {why}")]
    ScriptUnreadable {
        /// The principle.
        id: String,
        /// The path as written.
        path: String,
        /// The cause.
        why: String,
    },
    /// Rhai cannot compile the principle's code.
    #[error("principle `{id}`: {message}")]
    RhaiSyntax {
        /// The principle.
        id: String,
        /// Rhai's message.
        message: String,
    },
    /// A principle's code gives `has_topic` a text that is not a topic
    /// (`"mental-health"`, `""`, or capitals where the mandate's topics
    /// are all lower case): it can match no proposal.
    #[error("principle `{id}`: `has_topic` is given \"{text}\", which is not a topic: {reason}")]
    HasTopicNotATopic {
        /// The principle.
        id: String,
        /// The text as written.
        text: String,
        /// The topic it was probably meant to be, if one can be made of it.
        fixed: Option<String>,
        /// Why it is not a topic.
        reason: &'static str,
    },
    /// With a vocabulary, a principle's code gives `has_topic` a topic
    /// neither declared nor below a declared one (as
    /// [`Problem::UndeclaredTopic`] for a rule).
    #[error("principle `{id}`: topic `{topic}`, given to `has_topic`, is not in this mandate's topic list")]
    HasTopicUndeclared {
        /// The principle.
        id: String,
        /// The topic as written.
        topic: String,
        /// The closest declared topic, if one is close.
        suggestion: Option<String>,
    },
    /// A principle's code calls a function or method the sandbox does not
    /// have and the code does not define: a misspelling, or a function the
    /// sandbox leaves out (`timestamp`). Every check would find the
    /// principle in error.
    #[error("principle `{id}`: `{name}` is not a function principles can use{}", unknown_function_tail(suggestion.as_deref(), name))]
    UnknownFunction {
        /// The principle.
        id: String,
        /// The name called.
        name: String,
        /// The closest function it can use, if one is close.
        suggestion: Option<String>,
        /// Whether the code also uses the name as a variable (a function
        /// value, which is called with `.call(..)`).
        variable: bool,
    },
    /// A number literal too large to compare exactly.
    #[error("{text} is too large to compare exactly")]
    NumberTooLarge {
        /// The number as written.
        text: String,
    },
    /// `when 5`: a literal that is not a condition.
    #[error("{what} on its own is not a condition")]
    NotACondition {
        /// "a number", "a text", ...
        what: &'static str,
    },
    /// Warning: `risk == high`: a field compared for equality with a bare
    /// word, which reads as a second field; most likely a text without
    /// its quotes.
    #[error(
        "in `{left} {op} {right}`, `{right}` is read as a field of the proposal, not as a text"
    )]
    FieldComparedWithField {
        /// The field on the left.
        left: String,
        /// `==`, `!=` or `contains`.
        op: &'static str,
        /// The bare word read as a field.
        right: String,
    },
    /// Warning: two organisations own overlapping topics.
    #[error("topic `{topic}` is owned by both {first} (line {first_line}) and {second}")]
    OwnedTwice {
        /// The narrower of the two patterns.
        topic: String,
        /// The first organisation's name.
        first: String,
        /// Line of the first organisation's pattern.
        first_line: u32,
        /// The second organisation's name.
        second: String,
    },
    /// Warning: an unconditional broader `may not agree` always wins.
    #[error("this rule can never apply: the `may not agree` on line {forbid_line} covers all its topics and always wins")]
    OverruledRule {
        /// Line of the `may not agree`.
        forbid_line: u32,
    },
    /// Warning: the rule's `except` takes out every topic it names.
    #[error("this rule can never apply: its `except` takes out every topic it names")]
    ExceptsEverything,
    /// Warning: every topic of the rule is redirected to an organisation.
    #[error("this rule can never apply: every topic it names belongs to {owners}, so those proposals are redirected")]
    OwnedRule {
        /// The owning organisations' names.
        owners: String,
    },
    /// Warning: a representative without rules.
    #[error("{name} has no `may agree`, `refer` or `may not agree` rules")]
    NoRules {
        /// The representative's name.
        name: String,
    },
    /// Warning: a pattern's topic is below a declared topic but not declared
    /// itself, and is close to a declared topic it does not cover: most
    /// likely a misspelling, which makes the pattern miss that topic.
    #[error("topic `{topic}` is not declared and looks like a misspelling of `{close}`: {what} {topic} and topics below it, not {close}")]
    CloseToDeclared {
        /// The topic as written.
        topic: String,
        /// The declared topic it is close to.
        close: String,
        /// What the pattern does ("this rule matches").
        what: &'static str,
    },
    /// Warning: a comment holds a carriage return with text after it (a
    /// file saved with lone-CR line endings): that text is part of the
    /// comment, though many editors show it as a line of its own.
    #[error("this comment runs on past a carriage return: `{hidden}` is part of the comment, not a statement")]
    TextAfterCarriageReturn {
        /// The first words after the carriage return.
        hidden: String,
    },
    /// Warning: the mandate's `until` has passed.
    #[error("{name}'s mandate ended on {until}")]
    Expired {
        /// The representative's name.
        name: String,
        /// The `until` date.
        until: String,
    },
    /// Warning: `at "F"` names a forum the representative does not attend.
    #[error("\"{forum}\" is not one of {name}'s forums, so this rule only applies at a meeting where they do not represent the group")]
    ForumNotListed {
        /// The forum named by `at`.
        forum: String,
        /// The representative's name.
        name: String,
        /// The closest listed forum, if one is close.
        suggestion: Option<String>,
    },
}

impl Problem {
    /// Everything about a problem beside its message (which sits on the
    /// variant, in `#[error]`): its level, its stable code and its help.
    /// One arm per variant, so adding a problem is one edit here.
    fn describe(&self) -> (Level, &'static str, String) {
        use Level::{Error, Warning};
        match self {
            Problem::NoGroup => (
                Error,
                "no-group",
                "Add the group at the top of the file, for example: group \"Ashdown GP Leadership Group\" { place \"Ashdown\" }".into(),
            ),
            Problem::SecondGroup { .. } => (
                Error,
                "second-group",
                "Keep one `group` and remove the other; one file is one group's mandate.".into(),
            ),
            Problem::SecondPlace { .. } => (
                Error,
                "second-place",
                "Keep one `place` line in the group and remove the other.".into(),
            ),
            Problem::DuplicateId { kind, id, .. } => (
                Error,
                "duplicate-id",
                format!("Give each {kind} its own id (for example `{id}_2`), or remove the copy."),
            ),
            Problem::RepeatedStatement { what, .. } => (
                Error,
                "repeated-statement",
                format!("Keep one `{what}` line for this representative and remove the other."),
            ),
            Problem::ReservedWord { word, role } => (
                Error,
                "reserved-word",
                {
                    let example = match *role {
                        "a field name" => format!("`{word}_value` (and use that name in proposals)"),
                        "a topic segment" => format!("`{word}_area`"),
                        _ => format!("`{word}_1` or a person's surname"),
                    };
                    format!("Reserved words of the language cannot be names; choose another, for example {example}.")
                },
            ),
            Problem::ImpossibleDate { .. } => (
                Error,
                "impossible-date",
                "Write a real date as YEAR-MONTH-DAY, for example 2026-02-28.".into(),
            ),
            Problem::UntilBeforeFrom { .. } => (
                Error,
                "until-before-from",
                "Swap the two dates, or correct the one that is wrong.".into(),
            ),
            Problem::ReportTooSoon { .. } => (
                Error,
                "report-too-soon",
                format!("Write a whole number of days from 1 to {MAX_REPORT_DAYS}, for example `report within 7 days`."),
            ),
            Problem::ReportTooLate => (
                Error,
                "report-too-late",
                format!("Write a whole number of days from 1 to {MAX_REPORT_DAYS}, for example `report within 7 days`."),
            ),
            Problem::UndeclaredTopic { topic, suggestion } => (
                Error,
                "undeclared-topic",
                match suggestion {
                    Some(s) => format!("Did you mean `{s}`? If `{topic}` is a new topic, declare it: topic {topic} \"Its label\""),
                    None => format!("Declare it with a line such as: topic {topic} \"Its label\" (or use a declared topic)."),
                },
            ),
            Problem::ScriptMissing { path, .. } => (
                Error,
                "script-missing",
                format!("Create {path} beside the rule file, or correct the path (it is relative to the rule file's folder)."),
            ),
            Problem::ScriptNotAFile { .. } => (
                Error,
                "script-not-a-file",
                "Name the script file itself, for example \"principles/continuity.rhai\".".into(),
            ),
            Problem::ScriptOutsideFolder { .. } => (
                Error,
                "script-outside-folder",
                "Keep principle scripts in the rule file's folder or a folder inside it, and write the path from there, for example \"principles/continuity.rhai\" (no `..`, no absolute paths).".into(),
            ),
            Problem::ScriptTooLarge { .. } => (
                Error,
                "script-too-large",
                "A principle should be a few lines; move detail into the mandate's rules.".into(),
            ),
            Problem::ScriptUnreadable { .. } => (
                Error,
                "script-unreadable",
                "Check the file's permissions and that it is plain UTF-8 text.".into(),
            ),
            Problem::RhaiSyntax { message, .. } => (
                Error,
                "rhai-syntax",
                if message.contains("Variable not found") || message.contains("Undefined variable") {
                    "The proposal is the variable `proposal`: read its fields as `proposal.cost`; declare other variables with `let`.".into()
                } else {
                    "Fix the Rhai code here; a principle returns true, false, a reason text, or #{ upheld: false, reason: \"...\" }.".into()
                },
            ),
            Problem::HasTopicNotATopic { fixed, .. } => (
                Error,
                "not-a-topic",
                match fixed {
                    Some(fixed) => format!("Write \"{fixed}\": a topic is words of letters, digits and `_`, joined by dots, as in the mandate's `topic` lines. As written, no proposal's topic can match it, and the principle is `error` whenever it asks."),
                    None => "Write one of the mandate's topics: words of letters, digits and `_`, joined by dots. As written, no proposal's topic can match it, and the principle is `error` whenever it asks.".into(),
                },
            ),
            Problem::HasTopicUndeclared { topic, suggestion, .. } => (
                Error,
                "undeclared-topic",
                match suggestion {
                    Some(s) => format!("Did you mean `{s}`? Write has_topic(proposal, \"{s}\"). If `{topic}` is a new topic, declare it: topic {topic} \"Its label\""),
                    None => format!("Use a declared topic, or declare it with a line such as: topic {topic} \"Its label\""),
                },
            ),
            Problem::UnknownFunction { name, suggestion, variable, .. } => (
                Error,
                "unknown-function",
                match (left_out_function(name), suggestion) {
                    _ if *variable => format!("`{name}` is a variable here: call the function value it holds with `{name}.call(...)`, or define a function with `fn {name}(...)`."),
                    (Some((_, help)), _) => help.into(),
                    (None, Some(s)) => format!("Write `{s}`. As written, the principle is `error` on every proposal, so every check is at least refer."),
                    (None, None) => "Correct the name, or define the function in the principle's code with `fn`. Principles can use Rhai's functions for texts, numbers, lists and maps (`contains`, `len`, `filter`, `all`, ...) and `has_topic`; as written, the principle is `error` on every proposal.".into(),
                },
            ),
            Problem::NumberTooLarge { .. } => (
                Error,
                "number-too-large",
                "Use a number below 9,007,199,254,740,992.".into(),
            ),
            Problem::NotACondition { .. } => (
                Error,
                "not-a-condition",
                "Compare a field with it, for example `cost <= 50_000` or `risk == \"low\"`.".into(),
            ),
            Problem::FieldComparedWithField { left, op, right } => (
                Warning,
                "field-compared-with-field",
                format!("If `{right}` is a value, write it in quotes: `{left} {op} \"{right}\"`. If the proposal really has a field `{right}` to compare with, this warning can be ignored."),
            ),
            Problem::OwnedTwice { topic, .. } => (
                Warning,
                "owned-twice",
                format!("Decide which organisation owns `{topic}` and take it out of the other's `owns`; until then proposals on it go to both."),
            ),
            Problem::OverruledRule { forbid_line } => (
                Warning,
                "overruled-rule",
                format!("Remove this rule, or add `except TOPIC` to the `may not agree` on line {forbid_line} for what should be allowed: a narrower `may agree` does not undo a broader `may not agree`."),
            ),
            Problem::ExceptsEverything => (
                Warning,
                "excepts-everything",
                "Narrow the `except` so it leaves something, or remove the rule.".into(),
            ),
            Problem::OwnedRule { .. } => (
                Warning,
                "owned-rule",
                "Redirection comes before any rule: remove this rule, or take the topic out of the organisation's `owns`.".into(),
            ),
            Problem::NoRules { .. } => (
                Warning,
                "no-rules",
                "Add `may agree`, `refer` or `may not agree` lines; without them every proposal is referred back to the group.".into(),
            ),
            Problem::CloseToDeclared { topic, close, .. } => (
                Warning,
                "close-to-declared-topic",
                format!("Did you mean `{close}`? If `{topic}` is meant, declare it: topic {topic} \"Its label\""),
            ),
            Problem::TextAfterCarriageReturn { .. } => (
                Warning,
                "text-after-carriage-return",
                "A carriage return alone ends a line in some editors but not in a mandate: everything after `//` up to the next line feed is one comment. If the text after it is meant as a statement, put it on a line of its own (save the file with LF or CRLF line endings).".into(),
            ),
            Problem::Expired { .. } => (
                Warning,
                "expired",
                "Renew the mandate with a new `valid ... until` date; until then every proposal is referred back to the group.".into(),
            ),
            Problem::ForumNotListed { forum, suggestion, .. } => (
                Warning,
                "forum-not-listed",
                match suggestion {
                    Some(s) => format!("Did you mean \"{s}\"? Otherwise add \"{forum}\" to the `forums` line."),
                    None => format!("Add \"{forum}\" to the `forums` line, or correct the name."),
                },
            ),
        }
    }
}

/// Where a topic pattern is used, for saying what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PatternUse {
    /// A rule's topics.
    Rule,
    /// A rule's `except`.
    Except,
    /// An organisation's `owns`.
    Owns,
    /// A priority's `topics`.
    Priority,
}

impl PatternUse {
    /// What a pattern used here does, to be followed by the topics.
    fn what(self) -> &'static str {
        match self {
            PatternUse::Rule => "this rule matches",
            PatternUse::Except => "this `except` takes out",
            PatternUse::Owns => "this organisation owns",
            PatternUse::Priority => "this priority covers",
        }
    }
}

/// The sandbox that compiles and runs principles, built the first time a
/// principle needs it: a mandate without principles never pays for one,
/// and building it was most of the time a small file took to load.
#[derive(Debug, Default)]
pub(crate) struct LazySandbox(std::sync::OnceLock<Sandbox>);

impl std::ops::Deref for LazySandbox {
    type Target = Sandbox;

    fn deref(&self) -> &Sandbox {
        self.0.get_or_init(Sandbox::new)
    }
}

/// What `validate` needs besides the syntax tree.
#[derive(Debug)]
pub struct Context<'a> {
    /// The rule file's name and text.
    pub rule_file: &'a SourceFile,
    /// Every script the rule file names, as read by `source`.
    pub scripts: &'a Scripts,
    /// The sandbox that compiles principle code.
    pub(crate) sandbox: &'a LazySandbox,
    /// The day to judge expiry against.
    pub today: NaiveDate,
}

/// What validation gives `compile`: the diagnostics, and the principles'
/// code as validation compiled it, so that it is compiled once.
#[derive(Debug)]
pub(crate) struct Validated {
    /// Every error and warning, in file order.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// One entry per `principle` declaration, in file order: its compiled
    /// code, or `None` when it could not be compiled (an error says why).
    pub(crate) principles: Vec<Option<rhai::AST>>,
}

/// Checks a parsed rule file: every error and warning, in file order
/// (errors and warnings interleaved by position), and the principles'
/// compiled code.
pub(crate) fn validate_compiling(file: &MandateFile, cx: &Context<'_>) -> Validated {
    let organisations: Vec<&OrganisationDecl> = file
        .declarations
        .iter()
        .filter_map(|d| match d {
            Declaration::Organisation(o) => Some(o),
            _ => None,
        })
        .collect();
    let mut owned = Vec::new();
    let mut ownership = TopicIndex::new();
    for (org, o) in organisations.iter().enumerate() {
        let mut own = std::collections::HashSet::new();
        for pattern in o.owned_patterns() {
            // The same pattern twice in one organisation changes nothing.
            if own.insert(&pattern.pattern) {
                ownership.insert(&pattern.pattern, owned.len());
                owned.push((org, pattern));
            }
        }
    }
    // Each topic once, as first declared: a topic declared again is an
    // error of its own, and keeping the repeats would make every lookup
    // below (and building `below`) cost as many steps as there are
    // repeats, quadratic in a file of thousands of them.
    let mut seen_topics = std::collections::HashSet::new();
    let vocabulary: Vec<&PatternRef> = file
        .declarations
        .iter()
        .filter_map(|d| match d {
            Declaration::Topic(t) => Some(&t.topic),
            _ => None,
        })
        .filter(|t| seen_topics.insert(t.pattern.as_str()))
        .collect();
    let mut declared = TopicIndex::new();
    for (i, topic) in vocabulary.iter().enumerate() {
        declared.insert(&topic.pattern, i);
    }
    let mut below: HashMap<&str, Vec<&str>> = HashMap::new();
    for topic in &vocabulary {
        let topic = topic.pattern.as_str();
        for i in declared.lookup(topic) {
            match vocabulary.get(i).map(|d| d.pattern.as_str()) {
                Some(above) if above != topic => below.entry(above).or_default().push(topic),
                _ => {}
            }
        }
    }
    for topics in below.values_mut() {
        topics.sort_unstable();
    }
    let mut v = Validator {
        cx,
        out: Vec::new(),
        left_out: LeftOut::default(),
        kept_warnings: 0,
        suggestions: MAX_SUGGESTIONS,
        overrule_steps: MAX_OVERRULE_STEPS,
        organisations,
        owned,
        ownership,
        vocabulary,
        declared,
        below,
        near_misses: HashMap::new(),
        near_miss_steps: MAX_NEAR_MISS_STEPS,
        principles: Vec::new(),
    };
    v.run(file);
    let principles = std::mem::take(&mut v.principles);
    let mut out = v.out;
    // Stable: by file (rule file first), then position.
    out.sort_by(|a, b| {
        (a.file != cx.rule_file.name, &a.file, a.start, a.level).cmp(&(
            b.file != cx.rule_file.name,
            &b.file,
            b.start,
            b.level,
        ))
    });
    if let Some(summary) = v.left_out.summary(&cx.rule_file.name) {
        out.push(summary);
    }
    Validated {
        diagnostics: out,
        principles,
    }
}

/// What the cap on diagnostics left out, errors and warnings apart.
#[derive(Debug, Default)]
struct LeftOut {
    errors: usize,
    warnings: usize,
    /// A search for warnings stopped at the cap, so there may be more
    /// warnings than `warnings` counts.
    warnings_cut: bool,
}

impl LeftOut {
    /// The diagnostic that stands for what was left out: an error only
    /// when errors were left out, since warnings never stop a mandate
    /// being used.
    fn summary(&self, file: &str) -> Option<Diagnostic> {
        let mut more = Vec::new();
        if self.errors > 0 {
            more.push(counted(self.errors, "error"));
        }
        if self.warnings > 0 {
            let at_least = if self.warnings_cut { "at least " } else { "" };
            more.push(format!("{at_least}{}", counted(self.warnings, "warning")));
        }
        let message = match more.as_slice() {
            [] if self.warnings_cut => format!(
                "the first {MAX_DIAGNOSTICS} problems are shown; the search for warnings stopped there, so there may be more"
            ),
            [] => return None,
            _ => format!(
                "the first {MAX_DIAGNOSTICS} problems are shown; not shown: {}",
                more.join(" and ")
            ),
        };
        let (level, help) = if self.errors > 0 {
            (
                Level::Error,
                "Fix the errors shown and run `mandate validate` again to see the rest.",
            )
        } else {
            (
                Level::Warning,
                "Warnings do not stop the mandate being used; to see the rest, deal with the ones shown and run `mandate validate` again.",
            )
        };
        Some(Diagnostic::file(
            level,
            crate::diagnostic::TOO_MANY_PROBLEMS,
            message,
            Some(help.into()),
            file,
        ))
    }
}

/// Most comparisons (a rule's topic against a broader unconditional
/// `may not agree`'s topics and exceptions) spent looking for rules that a
/// forbid overrules. Past it, the rest of the file gets no such warning: a
/// warning is a courtesy, and a pathological file must not make validation
/// hang.
pub const MAX_OVERRULE_STEPS: usize = 2_000_000;

/// Most steps (candidates looked at, character pairs compared) spent
/// looking for declared topics close to an undeclared one below a declared
/// one. Past it, the rest of the file gets no such warning: a pathological
/// vocabulary must not make validation hang.
pub const MAX_NEAR_MISS_STEPS: usize = 5_000_000;

/// Most diagnostics reported for one file: past this, a count of the errors
/// and of the warnings left out stands for the rest, so a pathological file
/// cannot flood the terminal or the CPU. Errors are kept before warnings:
/// an error found when the cap is reached takes the place of a warning.
pub const MAX_DIAGNOSTICS: usize = 500;

struct Validator<'a> {
    cx: &'a Context<'a>,
    out: Vec<Diagnostic>,
    /// Diagnostics over [`MAX_DIAGNOSTICS`], counted, not kept.
    left_out: LeftOut,
    /// How many of `out` are warnings (an error may take their place).
    kept_warnings: usize,
    /// How many more "did you mean" searches this validation may make.
    suggestions: usize,
    /// How many more steps the "overruled by a broader forbid" warning
    /// may take (see [`MAX_OVERRULE_STEPS`]).
    overrule_steps: usize,
    organisations: Vec<&'a OrganisationDecl>,
    /// (organisation index, pattern) per `owns` pattern, indexed by
    /// `ownership`.
    owned: Vec<(usize, &'a PatternRef)>,
    ownership: TopicIndex,
    /// The declared topics, indexed by `declared`.
    vocabulary: Vec<&'a PatternRef>,
    declared: TopicIndex,
    /// Per declared topic, the declared topics below it.
    below: HashMap<&'a str, Vec<&'a str>>,
    /// Per undeclared path already looked at, the declared topic it is
    /// close to (a misspelling is often copied to many rules).
    near_misses: HashMap<String, Option<String>>,
    /// Steps left for those searches (see [`MAX_NEAR_MISS_STEPS`]).
    near_miss_steps: usize,
    /// Per principle declaration so far, its compiled code (see
    /// [`Validated::principles`]).
    principles: Vec<Option<rhai::AST>>,
}

impl<'a> Validator<'a> {
    /// The name of the organisation at `index` in file order.
    fn organisation_name(&self, index: usize) -> String {
        self.organisations
            .get(index)
            .map(|o| o.name.value.clone())
            .unwrap_or_default()
    }

    /// Whether the diagnostics cap is reached: loops that could run long
    /// on a pathological file stop looking then.
    fn full(&self) -> bool {
        self.out.len() >= MAX_DIAGNOSTICS
    }

    /// Whether a diagnostic about to be reported may carry a "did you
    /// mean" (each search costs; a file full of mistakes gets a few).
    fn may_suggest(&mut self) -> bool {
        if self.full() || self.suggestions == 0 {
            return false;
        }
        self.suggestions -= 1;
        true
    }

    fn report(&mut self, problem: Problem, span: Span) {
        let file = self.cx.rule_file;
        self.report_in(problem, &file.name, &file.text, span);
    }

    /// Reports `problem` at `span` of `text`, the file called `name`,
    /// within the cap: past it, an error takes the place of the last
    /// warning kept (errors stop the mandate being used, so they must be
    /// seen), and whatever is not kept is counted.
    fn report_in(&mut self, problem: Problem, name: &str, text: &str, span: Span) {
        let (level, code, help) = problem.describe();
        if self.full() {
            let evicted = match level {
                Level::Error if self.kept_warnings > 0 => {
                    self.out.iter().rposition(|d| !d.is_error())
                }
                _ => None,
            };
            match evicted {
                Some(i) => {
                    self.out.remove(i);
                    self.kept_warnings -= 1;
                    self.left_out.warnings += 1;
                }
                None => {
                    match level {
                        Level::Error => self.left_out.errors += 1,
                        Level::Warning => self.left_out.warnings += 1,
                    }
                    return;
                }
            }
        }
        if level == Level::Warning {
            self.kept_warnings += 1;
        }
        self.out.push(Diagnostic::at(
            level,
            code,
            problem.to_string(),
            Some(help),
            name,
            text,
            span,
        ));
    }

    fn run(&mut self, file: &'a MandateFile) {
        self.groups_and_ids(file);
        for declaration in &file.declarations {
            match declaration {
                Declaration::Group(_) => {}
                Declaration::Organisation(o) => o
                    .owns
                    .iter()
                    .for_each(|s| self.patterns(&s.patterns, PatternUse::Owns)),
                Declaration::Principle(p) => self.principle(p),
                Declaration::Priority(p) => p
                    .topics
                    .iter()
                    .for_each(|s| self.patterns(&s.patterns, PatternUse::Priority)),
                Declaration::Topic(t) => self.segments(&t.topic),
                Declaration::Representative(r) => self.representative(r),
            }
        }
        self.owned_twice();
        self.comments(file);
    }

    /// A comment whose text goes on past a lone carriage return hides
    /// what follows it.
    fn comments(&mut self, file: &MandateFile) {
        for comment in &file.comments {
            let Some((_, after)) = comment.text.split_once('\r') else {
                continue;
            };
            let after = after.trim();
            if after.is_empty() {
                continue;
            }
            let hidden: String = after.chars().take(40).collect();
            let hidden = crate::visible::visible(&hidden).into_owned();
            self.report(Problem::TextAfterCarriageReturn { hidden }, comment.span);
        }
    }

    fn groups_and_ids(&mut self, file: &MandateFile) {
        let mut first_group: Option<u32> = None;
        let mut seen: HashMap<(&'static str, &str), u32> = HashMap::new();
        for declaration in &file.declarations {
            let (kind, id): (&'static str, Option<(&str, Span)>) = match declaration {
                Declaration::Group(g) => {
                    match first_group {
                        Some(first_line) => {
                            self.report(Problem::SecondGroup { first_line }, g.span)
                        }
                        None => first_group = Some(g.span.line),
                    }
                    if let Some((first, rest)) = g.places.split_first() {
                        for extra in rest {
                            let first_line = first.span.line;
                            self.report(Problem::SecondPlace { first_line }, extra.span);
                        }
                    }
                    ("group", None)
                }
                Declaration::Organisation(o) => ("organisation", Some((&o.id.name, o.id.span))),
                Declaration::Principle(p) => ("principle", Some((&p.id.name, p.id.span))),
                Declaration::Priority(p) => ("priority", Some((&p.id.name, p.id.span))),
                Declaration::Topic(t) => ("topic", Some((t.topic.pattern.as_str(), t.topic.span))),
                Declaration::Representative(r) => ("representative", Some((&r.id.name, r.id.span))),
            };
            let Some((id, span)) = id else { continue };
            if kind != "topic" && is_keyword(id) {
                self.report(
                    Problem::ReservedWord {
                        word: id.to_string(),
                        role: "an id",
                    },
                    span,
                );
            }
            match seen.get(&(kind, id)) {
                Some(first_line) => self.report(
                    Problem::DuplicateId {
                        kind,
                        id: id.to_string(),
                        first_line: *first_line,
                    },
                    span,
                ),
                None => {
                    seen.insert((kind, id), span.line);
                }
            }
        }
        if first_group.is_none() {
            let span = file
                .declarations
                .first()
                .map(|d| Span {
                    end: d.span().start,
                    ..d.span()
                })
                .unwrap_or(Span::START);
            self.report(Problem::NoGroup, span);
        }
    }

    /// Reserved words in a topic's segments.
    fn segments(&mut self, pattern: &PatternRef) {
        if let TopicPattern::Path(path) = &pattern.pattern {
            self.reserved_segments(path.split('.'), pattern.span, "a topic segment");
        }
    }

    /// Reports each reserved word among the dot-separated `segments` that
    /// start at `span`, at its own place.
    fn reserved_segments<'s>(
        &mut self,
        segments: impl Iterator<Item = &'s str>,
        span: Span,
        role: &'static str,
    ) {
        let mut offset = 0;
        for segment in segments {
            if is_keyword(segment) {
                let at = Span {
                    start: span.start + offset,
                    end: span.start + offset + segment.len(),
                    line: span.line,
                    column: span.column + offset as u32,
                };
                self.report(
                    Problem::ReservedWord {
                        word: segment.to_string(),
                        role,
                    },
                    at,
                );
            }
            offset += segment.len() + 1;
        }
    }

    /// Reserved words and the vocabulary, for patterns used by an item.
    fn patterns(&mut self, patterns: &[PatternRef], used: PatternUse) {
        for pattern in patterns {
            self.segments(pattern);
            let TopicPattern::Path(path) = &pattern.pattern else {
                continue;
            };
            if self.vocabulary.is_empty() {
                continue;
            }
            let above = self.declared.lookup(path);
            if !above.is_empty() {
                self.close_to_declared(path, &above, pattern.span, used);
                continue;
            }
            let suggestion = if self.may_suggest() {
                did_you_mean(path, self.vocabulary.iter().map(|d| d.pattern.as_str()))
                    .map(str::to_string)
            } else {
                None
            };
            self.report(
                Problem::UndeclaredTopic {
                    topic: path.clone(),
                    suggestion,
                },
                pattern.span,
            );
        }
    }

    /// Warns when `path`, below the declared topics `above` (indexes into
    /// the vocabulary) but not declared itself, is close to a declared
    /// topic it does not cover: `interface.outpatient` beside a declared
    /// `interface.outpatients` is almost certainly a misspelling, and it
    /// makes the pattern miss the topic it was written for, silently.
    fn close_to_declared(&mut self, path: &str, above: &[usize], span: Span, used: PatternUse) {
        let declared: Vec<&str> = above
            .iter()
            .filter_map(|i| self.vocabulary.get(*i))
            .map(|d| d.pattern.as_str())
            .collect();
        if declared.contains(&path) {
            return;
        }
        let close = match self.near_misses.get(path) {
            Some(close) => close.clone(),
            None => {
                let close = self.closest_sibling(path, &declared);
                self.near_misses.insert(path.to_string(), close.clone());
                close
            }
        };
        if let Some(close) = close {
            self.report(
                Problem::CloseToDeclared {
                    topic: path.to_string(),
                    close,
                    what: used.what(),
                },
                span,
            );
        }
    }

    /// What `path` was probably meant to be: `path` with one segment
    /// corrected to a close declared one, segments compared one at a time
    /// below `path`'s most specific declared topic (`declared` holds the
    /// declared topics at or above `path`), so that a long shared beginning
    /// does not make different names look close. `None` when no segment is
    /// close to one declared there.
    fn closest_sibling(&mut self, path: &str, declared: &[&str]) -> Option<String> {
        let parent = declared.iter().copied().max_by_key(|d| d.len())?;
        let rest = path.get(parent.len() + 1..)?;
        let below = self.below.get(parent)?;
        // Each candidate looked at costs a step, as each character pair
        // compared does: one budget for the whole validation.
        if below.len() > self.near_miss_steps {
            self.near_miss_steps = 0;
            return None;
        }
        self.near_miss_steps -= below.len();
        let segments: Vec<&str> = rest.split('.').collect();
        // The declared topics below `parent`, as their segments after it.
        let mut candidates: Vec<Vec<&str>> = below
            .iter()
            .filter_map(|c| c.get(parent.len() + 1..))
            .map(|c| c.split('.').collect())
            .collect();
        for (depth, segment) in segments.iter().enumerate() {
            if candidates.len() > self.near_miss_steps {
                self.near_miss_steps = 0;
                return None;
            }
            self.near_miss_steps -= candidates.len();
            let here: Vec<&str> = candidates
                .iter()
                .filter_map(|c| c.get(depth).copied())
                .collect();
            if here.contains(segment) {
                candidates.retain(|c| c.get(depth) == Some(segment));
                continue;
            }
            let close = did_you_mean_within(segment, here, &mut self.near_miss_steps)?;
            let mut meant: Vec<&str> = segments.clone();
            if let Some(slot) = meant.get_mut(depth) {
                *slot = close;
            }
            return Some(format!("{parent}.{}", meant.join(".")));
        }
        None
    }

    fn date(&mut self, date: &DateLit) {
        if date.date.is_some() {
            return;
        }
        self.report(
            Problem::ImpossibleDate {
                text: date.text.clone(),
                why: why_not_a_date(&date.text),
            },
            date.span,
        );
    }

    /// Compiles the principle's code, keeping the result for `compile`, and
    /// reports why it cannot be compiled.
    fn principle(&mut self, principle: &PrincipleDecl) {
        let compiled = self.compile_principle(principle);
        if compiled.is_some() {
            self.principle_calls(principle);
        }
        self.principles.push(compiled);
    }

    /// The code of a principle whose code was read, the name and text of
    /// the file it is in, and the span where it starts there.
    fn principle_code(&self, principle: &PrincipleDecl) -> Option<(&'a str, &'a str, Span)> {
        match &principle.body {
            PrincipleBody::Inline { span, .. } => {
                let file = self.cx.rule_file;
                Some((file.name.as_str(), file.text.as_str(), *span))
            }
            PrincipleBody::Script { path } => match self.cx.scripts.get(&path.value) {
                Some(Script::Loaded(script)) => {
                    Some((script.name.as_str(), script.text.as_str(), Span::START))
                }
                _ => None,
            },
        }
    }

    /// Checks what compiled principle code calls: each function or method
    /// must be one the sandbox has or the code defines, and each topic
    /// text given to `has_topic` must be a topic of the mandate. Either
    /// mistake compiles, and then makes the principle `error` on every
    /// proposal, or (a misspelt topic) quietly switches it off.
    fn principle_calls(&mut self, principle: &PrincipleDecl) {
        let Some((name, text, from)) = self.principle_code(principle) else {
            return;
        };
        let code = match &principle.body {
            PrincipleBody::Inline { code, .. } => code.as_str(),
            PrincipleBody::Script { .. } => text,
        };
        let calls = crate::principles::Calls::of(code);
        let id = &principle.id.name;
        let span = |start: (usize, usize), end: (usize, usize)| {
            let first = span_within(text, from, start.0, start.1);
            let last = span_within(text, from, end.0, end.1);
            Span {
                end: last.start.max(first.end),
                ..first
            }
        };
        if !calls.defined.contains("has_topic") {
            for literal in &calls.topic_texts {
                let at = span(literal.start, literal.end);
                if let Some(problem) = self.topic_text(id, &literal.text) {
                    self.report_in(problem, name, text, at);
                }
            }
        }
        let registered = self.cx.sandbox.arities();
        let mut reported = std::collections::HashSet::new();
        for call in &calls.calls {
            // A map's property may hold a function value, called as a
            // method; a variable holding one cannot be called by its name.
            let variable = calls.bound.contains(&call.name);
            let known = registered.iter().any(|(n, _)| *n == call.name)
                || calls.defined.contains(&call.name)
                || (call.method && variable);
            // One error per name: a misspelling copied to many lines is one mistake.
            if known || !reported.insert(call.name.as_str()) {
                continue;
            }
            let suggestion =
                if !variable && left_out_function(&call.name).is_none() && self.may_suggest() {
                    let candidates = registered
                        .iter()
                        .map(|(n, _)| n.as_str())
                        .filter(|n| crate::topic::is_identifier(n))
                        .chain(calls.defined.iter().map(String::as_str));
                    did_you_mean(&call.name, candidates).map(str::to_string)
                } else {
                    None
                };
            self.report_in(
                Problem::UnknownFunction {
                    id: id.clone(),
                    name: call.name.clone(),
                    suggestion,
                    variable,
                },
                name,
                text,
                span(call.start, call.end),
            );
        }
    }

    /// What is wrong with `text`, given to `has_topic` in principle `id`,
    /// as a topic of this mandate; checked as a rule's topic is.
    fn topic_text(&mut self, id: &str, text: &str) -> Option<Problem> {
        if text == "*" {
            return None;
        }
        let lower = !self.vocabulary.is_empty()
            && self
                .vocabulary
                .iter()
                .all(|d| !d.pattern.as_str().bytes().any(|b| b.is_ascii_uppercase()));
        let shaped = crate::topic::is_topic_path(text);
        if !shaped || (lower && text.bytes().any(|b| b.is_ascii_uppercase())) {
            let reason = if shaped {
                "this mandate's topics are all in lower case"
            } else {
                "topics use only letters, digits, `_` and dots"
            };
            let mut fixed = fixed_topic(text, lower);
            if let Some(f) = &fixed {
                if !self.vocabulary.is_empty() && self.declared.lookup(f).is_empty() {
                    if let Some(close) =
                        did_you_mean(f, self.vocabulary.iter().map(|d| d.pattern.as_str()))
                    {
                        fixed = Some(close.to_string());
                    }
                }
            }
            return Some(Problem::HasTopicNotATopic {
                id: id.to_string(),
                text: text.to_string(),
                fixed,
                reason,
            });
        }
        if self.vocabulary.is_empty() {
            return None;
        }
        let above = self.declared.lookup(text);
        if !above.is_empty() {
            let declared: Vec<&str> = above
                .iter()
                .filter_map(|i| self.vocabulary.get(*i))
                .map(|d| d.pattern.as_str())
                .collect();
            if declared.contains(&text) {
                return None;
            }
            let close = self.closest_sibling(text, &declared)?;
            return Some(Problem::CloseToDeclared {
                topic: text.to_string(),
                close,
                what: "`has_topic` here matches",
            });
        }
        let suggestion = if self.may_suggest() {
            did_you_mean(text, self.vocabulary.iter().map(|d| d.pattern.as_str()))
                .map(str::to_string)
        } else {
            None
        };
        Some(Problem::HasTopicUndeclared {
            id: id.to_string(),
            topic: text.to_string(),
            suggestion,
        })
    }

    fn compile_principle(&mut self, principle: &PrincipleDecl) -> Option<rhai::AST> {
        let id = principle.id.name.clone();
        match &principle.body {
            PrincipleBody::Inline { code, span } => match self.cx.sandbox.compile(code) {
                Ok(ast) => Some(ast),
                Err(error) => {
                    let at = error
                        .position
                        .map(|p| span_within(&self.cx.rule_file.text, *span, p.line, p.column))
                        .unwrap_or(*span);
                    self.report(
                        Problem::RhaiSyntax {
                            id,
                            message: error.message,
                        },
                        at,
                    );
                    None
                }
            },
            PrincipleBody::Script { path } => {
                let written = path.value.clone();
                let problem = match self.cx.scripts.get(&written) {
                    Some(Script::Loaded(script)) => match self.cx.sandbox.compile(&script.text) {
                        Ok(ast) => return Some(ast),
                        Err(error) => {
                            let problem = Problem::RhaiSyntax {
                                id,
                                message: error.message,
                            };
                            let at = error
                                .position
                                .map(|p| span_within(&script.text, Span::START, p.line, p.column))
                                .unwrap_or(Span::START);
                            self.report_in(problem, &script.name, &script.text, at);
                            return None;
                        }
                    },
                    Some(Script::Missing) | None => Problem::ScriptMissing { id, path: written },
                    Some(Script::NotAFile) => Problem::ScriptNotAFile { id, path: written },
                    Some(Script::OutsideFolder) => {
                        Problem::ScriptOutsideFolder { id, path: written }
                    }
                    Some(Script::TooLarge(size)) => Problem::ScriptTooLarge {
                        id,
                        path: written,
                        size: *size,
                        limit: crate::source::MAX_SCRIPT_BYTES,
                    },
                    Some(Script::Unreadable(why)) => Problem::ScriptUnreadable {
                        id,
                        path: written,
                        why: why.clone(),
                    },
                };
                self.report(problem, path.span);
                None
            }
        }
    }

    fn representative(&mut self, rep: &RepresentativeDecl) {
        let mut firsts: HashMap<&'static str, u32> = HashMap::new();
        let mut forums: Vec<&str> = Vec::new();
        let mut listed: std::collections::HashSet<&str> = std::collections::HashSet::new();
        let mut rules: Vec<&RuleDecl> = Vec::new();
        for stmt in &rep.statements {
            let once = match stmt {
                RepresentativeStmt::Role { .. } => Some("role"),
                RepresentativeStmt::Forums { .. } => Some("forums"),
                RepresentativeStmt::Valid { .. } => Some("valid"),
                RepresentativeStmt::Report { .. } => Some("report"),
                RepresentativeStmt::Rule(_) => None,
            };
            if let Some(what) = once {
                match firsts.get(what) {
                    Some(first_line) => self.report(
                        Problem::RepeatedStatement {
                            what,
                            first_line: *first_line,
                        },
                        stmt.span(),
                    ),
                    None => {
                        firsts.insert(what, stmt.span().line);
                    }
                }
            }
            match stmt {
                RepresentativeStmt::Role { .. } => {}
                RepresentativeStmt::Forums { forums: f, .. } => {
                    forums.extend(f.iter().map(|t| t.value.as_str()));
                    listed.extend(f.iter().map(|t| t.value.as_str()));
                }
                RepresentativeStmt::Valid { from, until, span } => {
                    for date in [from, until].into_iter().flatten() {
                        self.date(date);
                    }
                    let from_date = from.as_ref().and_then(|d| d.date);
                    let until_date = until.as_ref().and_then(|d| d.date);
                    if let (Some(f), Some(u)) = (from_date, until_date) {
                        if u < f {
                            self.report(
                                Problem::UntilBeforeFrom {
                                    from: f.to_string(),
                                    until: u.to_string(),
                                },
                                until.as_ref().map_or(*span, |d| d.span),
                            );
                        }
                    }
                    if let Some(u) = until_date {
                        if u < self.cx.today {
                            self.report(
                                Problem::Expired {
                                    name: rep.name.value.clone(),
                                    until: u.to_string(),
                                },
                                until.as_ref().map_or(*span, |d| d.span),
                            );
                        }
                    }
                }
                RepresentativeStmt::Report {
                    days, days_span, ..
                } => {
                    if *days < 1 {
                        self.report(Problem::ReportTooSoon { days: *days }, *days_span);
                    } else if *days > MAX_REPORT_DAYS {
                        self.report(Problem::ReportTooLate, *days_span);
                    }
                }
                RepresentativeStmt::Rule(rule) => {
                    self.patterns(&rule.topics, PatternUse::Rule);
                    self.patterns(&rule.except, PatternUse::Except);
                    if let Some(condition) = &rule.condition {
                        self.condition(condition);
                    }
                    rules.push(rule);
                }
            }
        }
        if rules.is_empty() {
            self.report(
                Problem::NoRules {
                    name: rep.name.value.clone(),
                },
                rep.id.span,
            );
        }
        if !forums.is_empty() {
            for rule in &rules {
                if let Some(forum) = &rule.forum {
                    if !listed.contains(forum.value.as_str()) {
                        let suggestion = if self.may_suggest() {
                            did_you_mean(&forum.value, forums.iter().copied()).map(str::to_string)
                        } else {
                            None
                        };
                        self.report(
                            Problem::ForumNotListed {
                                forum: forum.value.clone(),
                                name: rep.name.value.clone(),
                                suggestion,
                            },
                            forum.span,
                        );
                    }
                }
            }
        }
        self.rules_that_never_apply(&rules);
    }

    fn rules_that_never_apply(&mut self, rules: &[&RuleDecl]) {
        // Unconditional forbids, indexed by their patterns.
        let forbids: Vec<&RuleDecl> = rules
            .iter()
            .copied()
            .filter(|r| {
                r.effect == Effect::MayNotAgree && r.forum.is_none() && r.condition.is_none()
            })
            .collect();
        let mut forbidden = TopicIndex::new();
        for (i, forbid) in forbids.iter().enumerate() {
            for pattern in &forbid.topics {
                forbidden.insert(&pattern.pattern, i);
            }
        }
        // No stop at the cap here: each rule costs a few lookups (the
        // overrule search has its own budget), and counting what the cap
        // leaves out needs every warning found.
        for rule in rules {
            let Some(first) = rule.topics.first() else {
                continue;
            };
            if !rule.except.is_empty() {
                // A topic is taken out when an `except` is at or above it.
                let mut excepted = TopicIndex::new();
                for e in &rule.except {
                    excepted.insert(&e.pattern, 0);
                }
                if rule
                    .topics
                    .iter()
                    .all(|p| excepted.matches_any(p.pattern.as_str()))
                {
                    self.report(Problem::ExceptsEverything, rule.span);
                    continue;
                }
            }
            if rule.effect != Effect::MayNotAgree && self.overrule_steps > 0 {
                // A forbid covering the first topic is at or above it.
                let mut overruled_by = None;
                // In file order, so the first forbid that overrules is
                // named, and lazily: a thousand forbids of one topic must
                // not cost every grant below it a thousand steps.
                for i in forbidden.lookup_in_order(first.pattern.as_str()) {
                    let Some(forbid) = forbids.get(i) else {
                        continue;
                    };
                    let cost = rule.topics.len() * (forbid.topics.len() + forbid.except.len());
                    if cost > self.overrule_steps {
                        self.overrule_steps = 0;
                        break;
                    }
                    self.overrule_steps -= cost;
                    if rule
                        .topics
                        .iter()
                        .all(|p| forbid_always_covers(forbid, &p.pattern))
                    {
                        overruled_by = Some(forbid);
                        break;
                    }
                }
                if let Some(forbid) = overruled_by {
                    self.report(
                        Problem::OverruledRule {
                            forbid_line: forbid.span.line,
                        },
                        rule.span,
                    );
                    continue;
                }
            }
            let all_owned = rule
                .topics
                .iter()
                .all(|p| self.ownership.matches_any(p.pattern.as_str()));
            if all_owned && self.full() {
                // Left out: counted without naming the owners, which costs
                // a step per owner and would make thousands of rules on a
                // topic owned by thousands quadratic.
                self.left_out.warnings += 1;
            } else if all_owned {
                // `owned` is in organisation order, so the entries found
                // (sorted) give each owner in a run: one step per entry.
                let mut owners: Vec<usize> = Vec::new();
                let topics = rule.topics.iter().map(|p| p.pattern.as_str());
                for entry in self.ownership.lookup_any(topics) {
                    if let Some((org, _)) = self.owned.get(entry) {
                        if owners.last() != Some(org) {
                            owners.push(*org);
                        }
                    }
                }
                let names: Vec<&str> = owners
                    .iter()
                    .filter_map(|o| self.organisations.get(*o))
                    .map(|o| o.name.value.as_str())
                    .collect();
                self.report(
                    Problem::OwnedRule {
                        owners: crate::english::join_at_most(&names, "and", MAX_NAMES_LISTED),
                    },
                    rule.span,
                );
            }
        }
    }

    fn condition(&mut self, condition: &Condition) {
        match &condition.kind {
            ConditionKind::Or(terms) | ConditionKind::And(terms) => {
                for term in terms {
                    self.condition(term);
                }
            }
            ConditionKind::Not(inner) | ConditionKind::Parenthesised(inner) => {
                self.condition(inner)
            }
            ConditionKind::Compare { left, op, right } => {
                if matches!(op, CompareOp::Eq | CompareOp::Ne) {
                    self.bare_word(left, op.symbol(), right);
                }
                self.operand(left);
                self.operand(right);
            }
            ConditionKind::In { value, list } => {
                self.operand(value);
                self.literal(list);
            }
            ConditionKind::Contains { container, item } => {
                self.bare_word(container, "contains", item);
                self.operand(container);
                self.operand(item);
            }
            ConditionKind::Test(operand) => {
                if let Operand::Literal(literal) = operand {
                    let what = match &literal.value {
                        LiteralValue::Bool(_) => None,
                        LiteralValue::Number { .. } => Some("a number"),
                        LiteralValue::String(_) => Some("a text"),
                        LiteralValue::Date(_) => Some("a date"),
                        LiteralValue::List(_) => Some("a list"),
                    };
                    if let Some(what) = what {
                        self.report(Problem::NotACondition { what }, literal.span);
                    }
                }
                self.operand(operand);
            }
        }
    }

    /// Warns about `risk == high`: a field compared with a one-word field
    /// name, most likely a text that lost its quotes (the proposal would
    /// have to give a field `high` for it to mean anything).
    fn bare_word(&mut self, left: &Operand, op: &'static str, right: &Operand) {
        if let (Operand::Field(left), Operand::Field(word)) = (left, right) {
            if let [only] = word.segments.as_slice() {
                self.report(
                    Problem::FieldComparedWithField {
                        left: left.dotted(),
                        op,
                        right: only.clone(),
                    },
                    word.span,
                );
            }
        }
    }

    fn operand(&mut self, operand: &Operand) {
        match operand {
            Operand::Field(field) => self.reserved_segments(
                field.segments.iter().map(String::as_str),
                field.span,
                "a field name",
            ),
            Operand::Literal(literal) => self.literal(literal),
        }
    }

    fn literal(&mut self, literal: &Literal) {
        match &literal.value {
            LiteralValue::Number { value, text } => {
                if value.abs() > MAX_EXACT_INTEGER {
                    self.report(Problem::NumberTooLarge { text: text.clone() }, literal.span);
                }
            }
            LiteralValue::Date(date) => self.date(date),
            LiteralValue::List(items) => {
                for item in items {
                    self.literal(item);
                }
            }
            LiteralValue::String(_) | LiteralValue::Bool(_) => {}
        }
    }

    /// Topics owned by two organisations: for each `owns` pattern, the
    /// other organisations' patterns at or above it (the reverse case is
    /// found from the other side). One warning per topic and pair.
    fn owned_twice(&mut self) {
        let mut seen = std::collections::HashSet::new();
        for (org, pattern) in self.owned.clone() {
            for entry in self.ownership.lookup(pattern.pattern.as_str()) {
                let Some(&(other, above)) = self.owned.get(entry) else {
                    continue;
                };
                if other == org
                    || !seen.insert((pattern.pattern.clone(), org.min(other), org.max(other)))
                {
                    continue;
                }
                if self.full() {
                    // Pairs of owners can be quadratic in the file: stop
                    // at the first pair past the cap.
                    self.left_out.warnings_cut = true;
                    return;
                }
                let (first, second) = if above.span.start < pattern.span.start {
                    (other, org)
                } else {
                    (org, other)
                };
                let first_line = if first == other {
                    above.span.line
                } else {
                    pattern.span.line
                };
                let at = if first == other {
                    pattern.span
                } else {
                    above.span
                };
                self.report(
                    Problem::OwnedTwice {
                        topic: pattern.pattern.to_string(),
                        first: self.organisation_name(first),
                        first_line,
                        second: self.organisation_name(second),
                    },
                    at,
                );
            }
        }
    }
}

/// "1 error", "3 errors".
fn counted(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Whether an unconditional `may not agree` decides every topic `pattern`
/// matches: the forbid covers it and none of its `except`s carve any of it
/// out.
fn forbid_always_covers(forbid: &RuleDecl, pattern: &TopicPattern) -> bool {
    forbid.topics.iter().any(|f| pattern.is_within(&f.pattern))
        && !forbid
            .except
            .iter()
            .any(|e| pattern.is_within(&e.pattern) || e.pattern.is_within(pattern))
}

/// Why a `YYYY-MM-DD` text is not a date, in words.
fn why_not_a_date(text: &str) -> String {
    let parts: Vec<u32> = text.split('-').filter_map(|p| p.parse().ok()).collect();
    let [year, month, day] = parts[..] else {
        return "write YEAR-MONTH-DAY".into();
    };
    if !(1..=12).contains(&month) {
        return format!("there is no month {month}");
    }
    let first = NaiveDate::from_ymd_opt(year as i32, month, 1);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year as i32 + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year as i32, month + 1, 1)
    };
    match (first, next) {
        (Some(first), Some(next)) => {
            let days = (next - first).num_days();
            format!(
                "{} {} has {days} days, not {day}",
                month_name(first.month()),
                year
            )
        }
        _ => "the year is out of range".into(),
    }
}

fn month_name(month: u32) -> &'static str {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .get(month as usize - 1)
    .copied()
    .unwrap_or("that month")
}

/// The end of [`Problem::UnknownFunction`]'s message: why the function is
/// not there, or what was probably meant.
fn unknown_function_tail(suggestion: Option<&str>, name: &str) -> String {
    match (left_out_function(name), suggestion) {
        (Some((why, _)), _) => format!(": {why}"),
        (None, Some(s)) => format!("; did you mean `{s}`?"),
        (None, None) => String::new(),
    }
}

/// For a function of Rhai's that the sandbox leaves out on purpose: why,
/// and what to do instead.
fn left_out_function(name: &str) -> Option<(&'static str, &'static str)> {
    match name {
        "timestamp" | "elapsed" | "sleep" => Some((
            "the sandbox leaves it out, because a principle cannot read the clock or wait",
            "A principle must give the same answer whenever it is checked: compare with a date the proposal gives (such as `proposal.date`) instead.",
        )),
        "parse_json" => Some((
            "the sandbox leaves it out",
            "The proposal is already a map: read its fields as `proposal.cost`, `proposal.changes`.",
        )),
        "blob" | "as_string" | "write_utf8" | "write_ascii" | "write_le" | "write_be"
        | "parse_le_int" | "parse_be_int" | "parse_le_float" | "parse_be_float" => Some((
            "the sandbox leaves out byte buffers (blobs) and their functions",
            "Work with the proposal's texts, numbers and lists instead.",
        )),
        _ => None,
    }
}

/// `text` made into a topic, if it can be: each run of characters that
/// cannot be in a topic (a hyphen, a space) becomes one `_`, and it is
/// lower-cased when `lower` (the mandate's topics are all lower case).
fn fixed_topic(text: &str, lower: bool) -> Option<String> {
    let segments: Vec<String> = text
        .trim()
        .split('.')
        .map(|segment| {
            segment
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join("_")
        })
        .filter(|segment| !segment.is_empty())
        .collect();
    let fixed = segments.join(".");
    let fixed = if lower { fixed.to_lowercase() } else { fixed };
    crate::topic::is_topic_path(&fixed).then_some(fixed)
}
