//! Syntax errors, in a rule author's words.
//!
//! pest reports which grammar rules it expected; this file turns those into
//! "expected `agree` after `may`" plus a help line saying what to write.

use super::ast::Span;
use super::grammar::Rule;
use crate::span::span_at;
use pest::error::{ErrorVariant, InputLocation};

/// Largest rule file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of parentheses and lists in a condition.
pub const MAX_NESTING: usize = 64;
/// Most brackets `(` and `[` in one file (outside quotes and comments).
/// Each bracket costs the parser about a kilobyte while it reads the file,
/// so without this a 4 MiB file of deeply nested conditions took well
/// over a gigabyte; at the limit the brackets cost about 100 MB.
pub const MAX_BRACKETS: usize = 100_000;
/// Most top-level declarations in one file.
pub const MAX_DECLARATIONS: usize = 50_000;
/// Most rules (`may agree`, `refer`, `may not agree`) in one file.
pub const MAX_RULES: usize = 200_000;
/// Longest quoted text (a name, label, statement, forum, role or text in a
/// condition), in characters. Names and labels are repeated in the
/// sentences of every decision, so their length multiplies.
pub const MAX_TEXT_CHARS: usize = 1_000;

/// Why a rule file could not be read as the mandate language.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyntaxError {
    /// A token that does not fit where it stands.
    #[error("expected {expected}{after}, found {found}")]
    Unexpected {
        /// What would have fitted, in words (`` `agree` ``).
        expected: String,
        /// ` after `may`` or empty.
        after: String,
        /// What stands there instead.
        found: String,
        /// What to write instead.
        help: String,
        /// Where the token that does not fit starts.
        span: Span,
    },
    /// A string with no closing quote on its line.
    #[error("this text has no closing `\"`")]
    UnterminatedString {
        /// The opening quote.
        span: Span,
    },
    /// A backslash in a string followed by something other than `"` or `\`.
    #[error("`\\{found}` is not allowed in a quoted text")]
    BadEscape {
        /// The character after the backslash.
        found: String,
        /// The backslash.
        span: Span,
    },
    /// An inline principle whose `{` is never matched by a `}`.
    #[error("the code of this principle has no closing `}}`")]
    UnclosedPrinciple {
        /// The opening brace.
        span: Span,
    },
    /// Brackets, parentheses or lists nested deeper than the limit.
    #[error("this is nested more than {limit} levels deep")]
    TooDeep {
        /// The opening that goes over the limit.
        span: Span,
        /// The limit.
        limit: usize,
    },
    /// The file is over the size limit.
    #[error("this file is {size} bytes; the limit is {limit}")]
    FileTooLarge {
        /// The file's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// More brackets in the file than the limit.
    #[error("this file has more than {limit} brackets `(` and `[`; this is the first one over")]
    TooManyBrackets {
        /// The first bracket over the limit.
        span: Span,
        /// The limit.
        limit: usize,
    },
    /// More top-level declarations than the limit.
    #[error("this file has more than {limit} declarations")]
    TooManyDeclarations {
        /// The first declaration over the limit.
        span: Span,
        /// The limit.
        limit: usize,
    },
    /// More rules than the limit.
    #[error("this file has more than {limit} rules")]
    TooManyRules {
        /// The first rule over the limit.
        span: Span,
        /// The limit.
        limit: usize,
    },
    /// A quoted text longer than the limit.
    #[error("this text is {length} characters long; the limit is {limit}")]
    TextTooLong {
        /// The text, quotes included.
        span: Span,
        /// Its length in characters.
        length: usize,
        /// The limit.
        limit: usize,
    },
    /// A topic with more segments than the limit.
    #[error("this topic has {segments} parts; the limit is {limit}")]
    TopicTooDeep {
        /// The topic.
        span: Span,
        /// How many dot-separated parts it has.
        segments: usize,
        /// The limit.
        limit: usize,
    },
    /// A topic written with a hyphen or a space (`services.virtual-wards`).
    #[error("`{found}` is not a topic: topics use only letters, digits, `_` and dots")]
    TopicSpelling {
        /// The topic as written, hyphens and spaces included.
        found: String,
        /// The topic with each hyphen or space made a `_`.
        fixed: String,
        /// The topic as written.
        span: Span,
    },
    /// A word of the language written in capitals (`AND`, `Or`).
    #[error("`{found}` must be written in lower case, as `{lower}`")]
    UpperCaseWord {
        /// The word as written.
        found: String,
        /// The word as the language spells it.
        lower: String,
        /// The word.
        span: Span,
    },
    /// A currency sign before a number (`£50000`).
    #[error("a currency sign (`{sign}`) cannot be written before a number")]
    CurrencySign {
        /// The sign.
        sign: char,
        /// The comparison without the sign (`cost <= 50000`).
        example: String,
        /// The sign.
        span: Span,
    },
    /// A representative's statement after the `}` that closed their block.
    #[error("{what} is outside every representative block")]
    OutsideBlock {
        /// `this rule`, or `` this `role` line``.
        what: String,
        /// The representative block just above: its id, the line it
        /// opens on and the line of its closing `}`.
        block: Option<(String, u32, u32)>,
        /// The statement's first word.
        span: Span,
    },
    /// A block (`representative`, `organisation`, ...) with no closing `}`.
    #[error("the block opened on line {open_line} (`{block}`) is never closed")]
    UnclosedBlock {
        /// The block's first words (`representative patel`).
        block: String,
        /// The line it opens on.
        open_line: u32,
        /// What stands where the `}` should be (`the end of the file`,
        /// `` `representative` on line 10``).
        found: String,
        /// Where the `}` is missing.
        span: Span,
    },
    /// The parser itself went wrong (a bug, not the author's mistake).
    #[error("internal parser error: {what}")]
    Internal {
        /// Where.
        span: Span,
        /// What went wrong.
        what: String,
    },
}

impl SyntaxError {
    /// Where the error is.
    pub fn span(&self) -> Span {
        match self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::UnterminatedString { span }
            | SyntaxError::BadEscape { span, .. }
            | SyntaxError::UnclosedPrinciple { span }
            | SyntaxError::TooDeep { span, .. }
            | SyntaxError::TooManyBrackets { span, .. }
            | SyntaxError::TooManyDeclarations { span, .. }
            | SyntaxError::TooManyRules { span, .. }
            | SyntaxError::TextTooLong { span, .. }
            | SyntaxError::TopicTooDeep { span, .. }
            | SyntaxError::TopicSpelling { span, .. }
            | SyntaxError::UpperCaseWord { span, .. }
            | SyntaxError::CurrencySign { span, .. }
            | SyntaxError::OutsideBlock { span, .. }
            | SyntaxError::UnclosedBlock { span, .. }
            | SyntaxError::Internal { span, .. } => *span,
            SyntaxError::FileTooLarge { .. } => Span {
                start: 0,
                end: 0,
                line: 1,
                column: 1,
            },
        }
    }

    /// What the author should write instead.
    pub fn help(&self) -> String {
        match self {
            SyntaxError::Unexpected { help, .. } => help.clone(),
            SyntaxError::UnterminatedString { .. } => {
                "Add a `\"` where the text ends, on the same line.".into()
            }
            SyntaxError::BadEscape { .. } => {
                "Inside quotes, write `\\\"` for a quote and `\\\\` for a backslash; nothing else follows a backslash.".into()
            }
            SyntaxError::UnclosedPrinciple { .. } => {
                "End the principle's code with a `}` that matches its `{`; check that every `{`, `(`, quote and comment inside the code is closed.".into()
            }
            SyntaxError::TooDeep { .. } => {
                "Split the condition into simpler rules, or remove unneeded brackets.".into()
            }
            SyntaxError::TooManyBrackets { .. } => {
                "Split the mandate into several files, or write its conditions with fewer brackets: `and` binds tighter than `or`, so `a and b or c` needs none.".into()
            }
            SyntaxError::FileTooLarge { .. } => {
                "A mandate should be far smaller; split it, or check that this is the right file.".into()
            }
            SyntaxError::TooManyDeclarations { .. } | SyntaxError::TooManyRules { .. } => {
                "Split the mandate into several files.".into()
            }
            SyntaxError::TextTooLong { .. } => {
                "Shorten it: a name, label or statement is read in every decision; put longer explanations in a `//` comment.".into()
            }
            SyntaxError::TopicTooDeep { .. } => {
                "Use a shorter topic, such as `interface.outpatients`: a few parts joined by dots.".into()
            }
            SyntaxError::TopicSpelling { fixed, .. } => format!(
                "Write `{fixed}`: a topic is words of letters, digits and `_`, joined by dots; put `_` where the hyphen or space was, here and wherever the topic is used."
            ),
            SyntaxError::UpperCaseWord { lower, .. } => format!(
                "Write `{lower}` in lower case: the words of the language (`may agree`, `when`, `and`, `or`, `not`, ...) are always lower case."
            ),
            SyntaxError::CurrencySign { example, .. } => format!(
                "Leave the currency sign out and write the amount as a plain number: `{example}`."
            ),
            SyntaxError::OutsideBlock { block: Some((id, open, close)), .. } => format!(
                "Move it inside the representative block it belongs to: `representative {id}` opens on line {open} and is closed by the `}}` on line {close}; put the line before that `}}`."
            ),
            SyntaxError::OutsideBlock { block: None, .. } => {
                "Write it inside a representative's block, for example: representative patel \"Dr Asha Patel\" { may agree interface.outpatients }".into()
            }
            SyntaxError::UnclosedBlock { found, .. } => format!(
                "Add a `}}` after the block's last line, before {found}."
            ),
            SyntaxError::Internal { .. } => {
                "This is a bug in mandate, not in your file; please report it with the file.".into()
            }
        }
    }

    /// A short stable code naming the kind of error.
    pub fn code(&self) -> &'static str {
        match self {
            SyntaxError::Unexpected { .. } => "syntax",
            SyntaxError::UnterminatedString { .. } => "unterminated-string",
            SyntaxError::BadEscape { .. } => "bad-escape",
            SyntaxError::UnclosedPrinciple { .. } => "unclosed-principle",
            SyntaxError::TooDeep { .. } => "too-deep",
            SyntaxError::FileTooLarge { .. } => "file-too-large",
            SyntaxError::TooManyBrackets { .. } => "too-many-brackets",
            SyntaxError::TooManyDeclarations { .. } => "too-many-declarations",
            SyntaxError::TooManyRules { .. } => "too-many-rules",
            SyntaxError::TextTooLong { .. } => "text-too-long",
            SyntaxError::TopicTooDeep { .. } => "topic-too-deep",
            SyntaxError::TopicSpelling { .. } => "topic-spelling",
            SyntaxError::UpperCaseWord { .. } => "upper-case-word",
            SyntaxError::CurrencySign { .. } => "currency-sign",
            SyntaxError::OutsideBlock { .. } => "outside-block",
            SyntaxError::UnclosedBlock { .. } => "unclosed-block",
            SyntaxError::Internal { .. } => "internal",
        }
    }
}

/// Translates a pest error into a [`SyntaxError`].
pub(super) fn translate(source: &str, error: pest::error::Error<Rule>) -> SyntaxError {
    let offset = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let span = span_at(source, offset);
    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { .. } => {
            // pest's own stack guard.
            return SyntaxError::TooDeep {
                span,
                limit: super::error::MAX_NESTING,
            };
        }
    };
    let next = source[span.start..].chars().next();
    if positives.contains(&Rule::closing_quote) {
        if next == Some('\\') {
            let found = source[span.start + 1..]
                .chars()
                .next()
                .filter(|c| *c != '\n')
                .map(String::from)
                .unwrap_or_default();
            return SyntaxError::BadEscape { found, span };
        }
        return SyntaxError::UnterminatedString {
            span: opening_quote(source, span.start).unwrap_or(span),
        };
    }
    if positives.contains(&Rule::rhai_close) {
        return SyntaxError::UnclosedPrinciple {
            span: principle_open_brace(source, span.start).unwrap_or(span),
        };
    }

    let word = word_at(source, span.start);
    let span = if word.is_empty() {
        span
    } else {
        Span {
            end: span.start + word.len(),
            ..span
        }
    };
    let after = previous_token(source, span.start)
        .map(|t| format!(" after {t}"))
        .unwrap_or_default();
    let wants = |rules: &[Rule]| rules.iter().any(|r| positives.contains(r));
    // A reserved word where a topic or field name should be.
    if crate::syntax::is_keyword(word) {
        if wants(&[Rule::topic_path, Rule::pattern_list, Rule::any_topic]) {
            return SyntaxError::Unexpected {
                expected: "a topic".into(),
                after,
                found: format!("`{word}`"),
                help: format!("`{word}` is a reserved word, not a topic: write the topic here, for example `may agree interface.outpatients`."),
                span,
            };
        }
        if wants(CONDITION_RULES) {
            return SyntaxError::Unexpected {
                expected: "a condition".into(),
                after,
                found: format!("`{word}`"),
                help: format!("`{word}` is a reserved word, so it cannot be a field name; rename the field (for example `{word}_value`) here and in proposals, or write the missing comparison, such as `cost <= 50_000`."),
                span,
            };
        }
    }
    // `50,000`: the comma a non-programmer writes in a number.
    let after_digit = source[..span.start].ends_with(|c: char| c.is_ascii_digit());
    if next == Some(',') && after_digit && wants(&[Rule::kw_and, Rule::kw_or, Rule::compare_op]) {
        return SyntaxError::Unexpected {
            expected: "`and`, `or` or the end of the condition".into(),
            after,
            found: "`,`".into(),
            help: "Write numbers without commas: `50_000` or `50000`.".into(),
            span,
        };
    }
    if next == Some('=') && wants(&[Rule::compare_op]) {
        return SyntaxError::Unexpected {
            expected: "a comparison".into(),
            after,
            found: "`=`".into(),
            help: "To test equality write `==` (two equals signs), for example `risk == \"low\"`."
                .into(),
            span,
        };
    }
    if let Some(error) = upper_case_word(source, span, &positives) {
        return error;
    }
    if let Some(error) = currency_sign(source, span, &positives) {
        return error;
    }
    if let Some(error) = topic_spelling(source, span.start, &positives) {
        return error;
    }
    if let Some(error) = outside_block(source, span, word, &positives) {
        return error;
    }
    if let Some(error) = unclosed_block(source, span, word, &positives) {
        return error;
    }

    let mut expected: Vec<&'static str> = Vec::new();
    for rule in positives.iter().filter(|r| **r != Rule::COMMENT) {
        let word = describe(*rule);
        if !expected.contains(&word) {
            expected.push(word);
        }
    }
    let expected = if expected.is_empty() {
        "something else".to_string()
    } else {
        crate::english::join(&expected, "or")
    };
    SyntaxError::Unexpected {
        expected,
        after,
        found: found(source, span.start),
        help: help_for(&positives),
        span,
    }
}

/// The rules that stand for "a condition goes here".
const CONDITION_RULES: &[Rule] = &[
    Rule::field_path,
    Rule::condition,
    Rule::or_expr,
    Rule::and_expr,
    Rule::not_expr,
    Rule::comparison,
    Rule::parenthesised,
];

/// A rule as a rule author would name it.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::kw_group | Rule::group_decl => "`group`",
        Rule::kw_place | Rule::place_stmt => "`place`",
        Rule::kw_organisation | Rule::organisation_decl => "`organisation`",
        Rule::kw_owns | Rule::owns_stmt => "`owns`",
        Rule::kw_principle | Rule::principle_decl => "`principle`",
        Rule::kw_blocking => "`blocking`",
        Rule::kw_refer | Rule::refer_stmt => "`refer`",
        Rule::kw_advisory => "`advisory`",
        Rule::severity => "`blocking`, `refer` or `advisory`",
        Rule::kw_script | Rule::script_ref => "`script`",
        Rule::rhai_block => "`{` and the principle's code",
        Rule::kw_priority | Rule::priority_decl => "`priority`",
        Rule::kw_topics | Rule::topics_stmt => "`topics`",
        Rule::kw_topic | Rule::topic_decl => "`topic`",
        Rule::kw_representative | Rule::representative_decl => "`representative`",
        Rule::kw_role | Rule::role_stmt => "`role`",
        Rule::kw_forums | Rule::forums_stmt => "`forums`",
        Rule::kw_valid | Rule::valid_stmt => "`valid`",
        Rule::kw_from | Rule::valid_from => "`from`",
        Rule::kw_until | Rule::valid_until => "`until`",
        Rule::kw_report | Rule::report_stmt => "`report`",
        Rule::kw_within => "`within`",
        Rule::kw_days => "`days`",
        Rule::kw_may | Rule::may_stmt => "`may`",
        Rule::may_not => "`not agree`",
        Rule::kw_not | Rule::negation => "`not`",
        Rule::kw_agree => "`agree`",
        Rule::kw_at | Rule::at_clause => "`at`",
        Rule::kw_when | Rule::when_clause => "`when`",
        Rule::kw_except | Rule::except_clause => "`except`",
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_in => "`in`",
        Rule::kw_contains => "`contains`",
        Rule::kw_true | Rule::kw_false | Rule::boolean => "`true` or `false`",
        Rule::ident => "a name (letters, digits and `_`)",
        Rule::string | Rule::string_inner => "a text in double quotes",
        Rule::topic_path | Rule::any_topic | Rule::pattern_list => "a topic",
        Rule::field_path => "a field name",
        Rule::compare_op => "a comparison (`==`, `!=`, `<`, `<=`, `>`, `>=`)",
        Rule::condition
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::comparison
        | Rule::parenthesised => "a condition",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::number => "a number",
        Rule::whole_number => "a whole number",
        Rule::list | Rule::open_bracket => "`[`",
        Rule::close_bracket => "`]`",
        Rule::comma => "`,`",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::open_paren => "`(`",
        Rule::close_paren => "`)`",
        Rule::file => {
            "`group`, `organisation`, `principle`, `priority`, `topic` or `representative`"
        }
        _ => "something else",
    }
}

/// The help line for a set of expected rules: the most specific advice first.
fn help_for(positives: &[Rule]) -> String {
    let has = |r: Rule| positives.contains(&r);
    let text = if has(Rule::file)
        || (has(Rule::kw_group) || has(Rule::group_decl))
            && (has(Rule::kw_representative) || has(Rule::representative_decl))
    {
        "Each part of a mandate starts with one of the words `group`, `organisation`, `principle`, `priority`, `topic` or `representative`."
    } else if (has(Rule::list) || has(Rule::open_bracket)) && !has(Rule::number) {
        "After `in`, write a list in square brackets, for example `risk in [\"low\", \"medium\"]`."
    } else if has(Rule::compare_op) && has(Rule::kw_in) {
        "Compare a field with a value, for example `cost <= 50_000`, `risk in [\"low\", \"medium\"]` or `changes contains \"rota\"` (note `==`, two equals signs, to test equality); join comparisons with `and` / `or`."
    } else if has(Rule::kw_place) || has(Rule::place_stmt) {
        "Inside `group { ... }` write only `place \"PLACE\"`, then close it with `}`."
    } else if has(Rule::kw_owns) || has(Rule::owns_stmt) {
        "Inside an organisation write `owns TOPIC, TOPIC`, then close it with `}`."
    } else if has(Rule::kw_topics) || has(Rule::topics_stmt) {
        "Inside a priority write `topics TOPIC, TOPIC`, then close it with `}`."
    } else if has(Rule::kw_role) || has(Rule::role_stmt) {
        "Inside a representative, write `role`, `forums`, `valid`, `report`, `may agree`, `may not agree` or `refer` lines, and close the block with `}`."
    } else if has(Rule::kw_agree) || has(Rule::may_not) {
        "Write `may agree TOPIC` for what they may agree to, or `may not agree TOPIC` for what they must not."
    } else if has(Rule::kw_days) || has(Rule::kw_within) {
        "Write the report-back duty as `report within 7 days`."
    } else if has(Rule::whole_number) {
        "Write a whole number of days, for example `report within 7 days`."
    } else if has(Rule::kw_from) || has(Rule::kw_until) {
        "Write the dates as `valid from 2026-04-01 until 2027-03-31`; either part may be left out."
    } else if has(Rule::date) && !has(Rule::field_path) {
        "Write dates as YEAR-MONTH-DAY with four, two and two digits, for example 2026-04-01."
    } else if has(Rule::severity) || has(Rule::rhai_block) || has(Rule::kw_script) {
        "After the principle's statement, optionally write `blocking`, `refer` or `advisory`, then either its Rhai code in braces `{ ... }` or `script \"principles/file.rhai\"`."
    } else if CONDITION_RULES.iter().any(|r| has(*r)) {
        "After `when`, `and`, `or` or `not`, write a comparison such as `cost <= 50_000`."
    } else if has(Rule::close_paren) {
        "Every `(` needs a matching `)`."
    } else if has(Rule::close_bracket) {
        "A list looks like `[\"a\", \"b\"]`: values separated by commas, closed with `]`."
    } else if has(Rule::topic_path) || has(Rule::pattern_list) || has(Rule::any_topic) {
        "Write a topic as words joined by dots, for example `interface.outpatients`, or `*` for every topic; separate several with commas."
    } else if has(Rule::ident) {
        "Give a short id made of letters, digits and `_` that starts with a letter, for example `patel` or `north_pcn`."
    } else if has(Rule::string) {
        "Put the text in double quotes, for example \"Dr Asha Patel\"."
    } else if has(Rule::open_brace) {
        "Open the block with `{` and close it with `}`."
    } else if has(Rule::close_brace) {
        "Close the block with `}`; check the line for a misspelt word."
    } else {
        "Compare this line with the examples in the README's language guide."
    };
    text.to_string()
}

/// What stands at `offset`, for "found ...".
fn found(source: &str, offset: usize) -> String {
    let rest = &source[offset..];
    let Some(first) = rest.chars().next() else {
        return "the end of the file".into();
    };
    if first == '\n' || first == '\r' {
        return "the end of the line".into();
    }
    if first.is_ascii_alphanumeric() || first == '_' {
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
            .take(40)
            .collect();
        return format!("`{word}`");
    }
    if first == '"' {
        return "a text in quotes".into();
    }
    format!("`{first}`")
}

/// The word (letters, digits, `_`, `.`) starting at `offset`, if any.
fn word_at(source: &str, offset: usize) -> &str {
    let rest = &source[offset..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The token just before `offset` (skipping whitespace), for "after ...".
fn previous_token(source: &str, offset: usize) -> Option<String> {
    let before = source[..offset].trim_end();
    let last = before.chars().last()?;
    let run = |part_of: fn(char) -> bool| {
        // Just past the last character that is not part of the token
        // (which may be several bytes long).
        before
            .char_indices()
            .rfind(|(_, c)| !part_of(*c))
            .map_or(0, |(i, c)| i + c.len_utf8())
    };
    // `>=`, `!=`, `==`: the whole operator, not its last character.
    if matches!(last, '=' | '<' | '>' | '!') {
        let start = run(|c| matches!(c, '=' | '<' | '>' | '!'));
        return Some(format!("`{}`", &before[start..]));
    }
    if last.is_ascii_alphanumeric() || last == '_' {
        // Words, dotted topics and fields, numbers and dates.
        let start = run(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        let word = &before[start..];
        if word.len() <= 40 {
            return Some(format!("`{word}`"));
        }
        return None;
    }
    if last == '"' {
        return Some("the quoted text".into());
    }
    Some(format!("`{last}`"))
}

/// The opening quote of the unclosed string that runs to `offset`.
fn opening_quote(source: &str, offset: usize) -> Option<Span> {
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &source[line_start..offset];
    let mut open = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match (open, c) {
            (None, '/') if line[i..].starts_with("//") => break,
            (None, '"') => open = Some(i),
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(_), '"') => open = None,
            _ => {}
        }
    }
    open.map(|i| span_at(source, line_start + i))
}

/// The `{` that opens the inline principle failing at `offset`: the last
/// `principle` keyword before it, then its first `{`.
fn principle_open_brace(source: &str, offset: usize) -> Option<Span> {
    let before = &source[..offset.min(source.len())];
    let keyword = before.rfind("principle")?;
    let brace = source[keyword..].find('{')? + keyword;
    Some(span_at(source, brace))
}

/// `AND`, `Or`, `NOT`: a word of the language written with capitals where
/// the lower-case word would fit, or (`NOT urgent`) read as a field name
/// just before the error.
fn upper_case_word(source: &str, span: Span, positives: &[Rule]) -> Option<SyntaxError> {
    let word = word_at(source, span.start);
    if let Some(lower) = keyword_in_capitals(word) {
        let quoted = format!("`{lower}`");
        if positives.iter().any(|r| describe(*r) == quoted) {
            return Some(SyntaxError::UpperCaseWord {
                found: word.to_string(),
                lower,
                span,
            });
        }
    }
    // A comparison operator is expected: the word before was read as a
    // field, which a capitalised keyword is (`when NOT urgent`).
    if positives.contains(&Rule::compare_op) {
        let (start, before) = word_before(source, span.start)?;
        let lower = keyword_in_capitals(before)?;
        return Some(SyntaxError::UpperCaseWord {
            found: before.to_string(),
            lower,
            span: Span {
                end: start + before.len(),
                ..span_at(source, start)
            },
        });
    }
    None
}

/// The keyword `word` spells with capitals, if it does.
fn keyword_in_capitals(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    (word.chars().any(|c| c.is_ascii_uppercase()) && crate::syntax::is_keyword(&lower))
        .then_some(lower)
}

/// The word (letters, digits, `_`, `.`) that ends just before `offset`,
/// spaces and tabs between them skipped, with its start.
fn word_before(source: &str, offset: usize) -> Option<(usize, &str)> {
    let before = source.get(..offset)?.trim_end_matches([' ', '\t']);
    let start = before
        .char_indices()
        .rfind(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = before.get(start..)?;
    (!word.is_empty()).then_some((start, word))
}

/// `£50000` where a value is expected.
fn currency_sign(source: &str, span: Span, positives: &[Rule]) -> Option<SyntaxError> {
    let rest = source.get(span.start..)?;
    let sign = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '£' | '$' | '€' | '¥'))?;
    if !(positives.contains(&Rule::number) || positives.contains(&Rule::field_path)) {
        return None;
    }
    let amount: String = rest[sign.len_utf8()..]
        .trim_start_matches([' ', '\t'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | ','))
        .filter(|c| *c != ',')
        .collect();
    if !amount.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // The comparison as written up to the sign: from the last word that
    // starts a condition or an operand.
    let line_start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let before = source[line_start..span.start].trim_end();
    let from = [" when ", " and ", " or ", " not ", "(", "[", ","]
        .iter()
        .filter_map(|w| before.rfind(w).map(|i| i + w.len()))
        .max()
        .unwrap_or(0);
    let prefix = before.get(from..).unwrap_or("").trim();
    let example = if prefix.is_empty() || prefix.chars().count() > 40 {
        amount
    } else {
        format!("{prefix} {amount}")
    };
    Some(SyntaxError::CurrencySign {
        sign,
        example,
        span: span_at(source, span.start),
    })
}

/// `services.virtual-wards` or `services.virtual wards` where a topic list
/// could go on: the topic that ends just before `offset` goes on with a
/// hyphen or a space and more words, to the end of the statement.
fn topic_spelling(source: &str, offset: usize, positives: &[Rule]) -> Option<SyntaxError> {
    let has = |r: Rule| positives.contains(&r);
    let in_list = has(Rule::comma)
        && [Rule::kw_owns, Rule::kw_topics, Rule::kw_at, Rule::kw_when]
            .iter()
            .any(|r| has(*r));
    let (start, _) = word_before(source, offset)?;
    let before = source[..start].trim_end();
    let in_declaration = has(Rule::string)
        && before.ends_with("topic")
        && !before[..before.len() - "topic".len()]
            .ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    if !(in_list || in_declaration) {
        return None;
    }
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let mut words = Vec::new();
    let mut at = start;
    let mut end = start;
    loop {
        let rest = &source[at..];
        let len = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
        let word = &rest[..len];
        if word.is_empty() || (!words.is_empty() && matches!(word, "except" | "at" | "when")) {
            break;
        }
        words.push(word);
        end = at + len;
        let gap = source[end..]
            .find(|c: char| !matches!(c, ' ' | '\t' | '-'))
            .unwrap_or(source.len() - end);
        at = end + gap;
    }
    // What follows must end the topic, or this was another mistake (a
    // forgotten `when` before `cost <= 5`).
    let after = source[end..].trim_start_matches([' ', '\t']);
    let ends = after.is_empty()
        || after.starts_with(['\n', '\r', ',', '}'])
        || after.starts_with("//")
        || (in_declaration && after.starts_with('"'))
        || (in_list
            && ["except", "at", "when"]
                .iter()
                .any(|k| after.starts_with(k) && !after[k.len()..].starts_with(is_word)));
    // `interface AND contract` is two topics, not one.
    let joins_keyword = words
        .iter()
        .skip(1)
        .any(|w| crate::syntax::is_keyword(&w.to_ascii_lowercase()));
    if words.len() < 2 || !ends || joins_keyword {
        return None;
    }
    Some(SyntaxError::TopicSpelling {
        found: source[start..end].to_string(),
        fixed: words.join("_"),
        span: Span {
            end,
            ..span_at(source, start)
        },
    })
}

/// A block of the rule file, as the lexical scan of [`blocks`] sees it.
struct Block {
    /// `representative`, `organisation`, ... (empty if not recognised).
    keyword: String,
    /// The word or quoted name after the keyword.
    name: String,
    /// The line of the keyword.
    open_line: u32,
    /// The line of the closing `}`.
    close_line: u32,
}

/// The blocks still open at `offset` (outermost first) and the last
/// `representative` block closed before it. Strings and comments are
/// skipped, and principle code is measured by the grammar itself.
fn blocks(source: &str, offset: usize) -> (Vec<Block>, Option<Block>) {
    const KEYWORDS: &[&str] = &[
        "group",
        "organisation",
        "principle",
        "priority",
        "representative",
    ];
    let bytes = source.as_bytes();
    let mut open: Vec<Block> = Vec::new();
    let mut last_representative = None;
    let mut line = 1u32;
    let mut after_brace = 0;
    let mut i = 0;
    while i < offset.min(bytes.len()) {
        match bytes.get(i) {
            Some(b'\n') => line += 1,
            Some(b'"') => {
                i += 1;
                while let Some(&b) = bytes.get(i).filter(|b| !matches!(b, b'"' | b'\n')) {
                    i += if b == b'\\' { 2 } else { 1 };
                }
                if bytes.get(i) == Some(&b'\n') {
                    continue;
                }
            }
            Some(b'/') if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i + 1).is_some_and(|b| *b != b'\n') {
                    i += 1;
                }
            }
            Some(b'{') => {
                let head = source.get(after_brace..i).unwrap_or("");
                // The last line of the head that starts with a keyword.
                let mut block = Block {
                    keyword: String::new(),
                    name: String::new(),
                    open_line: line,
                    close_line: 0,
                };
                // The head's last line is the brace's, unless the brace starts a line.
                let below = u32::from(head.ends_with('\n'));
                for (lines_below, text) in (below..).zip(head.lines().rev()) {
                    let mut words = text.split_whitespace();
                    if let Some(keyword) = words.next().filter(|w| KEYWORDS.contains(w)) {
                        block.keyword = keyword.to_string();
                        block.name = words.next().unwrap_or("").to_string();
                        block.open_line = line.saturating_sub(lines_below);
                        break;
                    }
                }
                if block.keyword == "principle" {
                    let Some(len) = source.get(i..).and_then(super::grammar::rhai_block_len) else {
                        break;
                    };
                    line += source[i..i + len].matches('\n').count() as u32;
                    i += len;
                    after_brace = i;
                    continue;
                }
                open.push(block);
                after_brace = i + 1;
            }
            Some(b'}') => {
                if let Some(mut block) = open.pop() {
                    block.close_line = line;
                    if block.keyword == "representative" {
                        last_representative = Some(block);
                    }
                }
                after_brace = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    (open, last_representative)
}

/// `may agree ...`, `role ...` where a new declaration should start: a
/// representative's statement after the `}` that closed the block.
fn outside_block(source: &str, span: Span, word: &str, positives: &[Rule]) -> Option<SyntaxError> {
    let top_level = positives.contains(&Rule::representative_decl)
        || positives.contains(&Rule::kw_representative);
    if !top_level || positives.contains(&Rule::close_brace) {
        return None;
    }
    let what = match word {
        "may" | "refer" => "this rule".to_string(),
        "role" | "forums" | "valid" | "report" => format!("this `{word}` line"),
        _ => return None,
    };
    let (_, last) = blocks(source, span.start);
    Some(SyntaxError::OutsideBlock {
        what,
        block: last.map(|b| (b.name, b.open_line, b.close_line)),
        span,
    })
}

/// A `}` is expected and the file ends, or the next declaration starts:
/// the innermost open block is never closed.
fn unclosed_block(source: &str, span: Span, word: &str, positives: &[Rule]) -> Option<SyntaxError> {
    if !positives.contains(&Rule::close_brace) {
        return None;
    }
    let at_end = source[span.start..].trim().is_empty();
    let next_declaration = matches!(
        word,
        "group" | "organisation" | "principle" | "priority" | "topic" | "representative"
    );
    if !(at_end || next_declaration) {
        return None;
    }
    let (open, _) = blocks(source, span.start);
    let block = open.last().filter(|b| !b.keyword.is_empty())?;
    // `topic` inside a priority is more likely a misspelt `topics`.
    if word == "topic" && block.keyword == "priority" {
        return None;
    }
    let found = if at_end {
        "the end of the file".to_string()
    } else {
        format!("`{word}` on line {}", span.line)
    };
    Some(SyntaxError::UnclosedBlock {
        block: format!("{} {}", block.keyword, block.name)
            .trim()
            .to_string(),
        open_line: block.open_line,
        found,
        span,
    })
}

#[cfg(test)]
mod tests {
    use crate::syntax::parse;

    fn code(body: &str) -> &'static str {
        let text = format!("group \"g\" {{ }}\nrepresentative r \"R\" {{\n{body}\n}}\n");
        parse(&text).err().map_or("none", |e| e.code())
    }

    /// The new messages stay out of the way of the mistakes they are not
    /// about.
    #[test]
    fn hints_only_where_they_fit() {
        // A forgotten `when` is not a topic with a space.
        assert_eq!(code("may agree interface cost <= 5"), "syntax");
        // `may agree` in capitals is named; two topics joined by `AND`
        // are not one misspelt topic.
        assert_eq!(code("MAY agree interface"), "upper-case-word");
        assert_eq!(code("may agree interface AND contract"), "syntax");
        // A list of numbers is not a topic list.
        assert_eq!(code("may agree a when x in [1-2]"), "syntax");
        // A topic ending with a hyphen and a non-ASCII character before it.
        assert_eq!(code("may agree é-x"), "syntax");
        assert_eq!(code("may agree a.b- when x"), "syntax");
        // A sign that is not before a number.
        assert_eq!(code("may agree a when cost <= $x"), "syntax");
    }

    /// The block scan skips strings, comments and principle code.
    #[test]
    fn unclosed_block_is_found_past_braces_in_text_and_code() {
        let text = "group \"g {\" { }\n// {\nprinciple p \"P\" { let x = \"}\"; `${1}`; true }\nrepresentative r \"R\" {\n  may agree a\n";
        let error = parse(text).err();
        assert!(
            matches!(
                &error,
                Some(super::SyntaxError::UnclosedBlock { block, open_line: 4, .. }) if block == "representative r"
            ),
            "{error:?}"
        );
    }
}
