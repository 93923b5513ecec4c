//! A proposal: what a representative is asked to agree to (the README's
//! "The proposal").
//!
//! Owns reading proposal JSON strictly: required fields, an ISO meeting
//! date, and refusing what would silently lose data (duplicate keys,
//! integers too large to be exact), with bounded size and depth. It does not
//! decide anything.

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::fmt;

/// Largest proposal accepted, in bytes.
pub const MAX_PROPOSAL_BYTES: usize = 1024 * 1024;
/// Deepest nesting of lists and objects in a proposal.
pub const MAX_PROPOSAL_DEPTH: usize = 32;
/// Most topics in one proposal.
pub const MAX_TOPICS: usize = 1_000;
/// Integers beyond this cannot be compared exactly.
const MAX_EXACT_INTEGER: u64 = 9_007_199_254_740_992;

/// A proposal, checked for form.
///
/// Its parts ([`ProposalParts`]) are read through `Deref`
/// (`proposal.title`, `proposal.fields`) and shared: a clone is a reference
/// count, so a [`crate::Decision`] can keep the proposal it was made for, to
/// put its reasons into words only when someone reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal(std::sync::Arc<ProposalParts>);

impl std::ops::Deref for Proposal {
    type Target = ProposalParts;

    fn deref(&self) -> &ProposalParts {
        &self.0
    }
}

impl Proposal {
    /// Its parts, to own (copied only if a decision still shares them).
    pub fn into_parts(self) -> ProposalParts {
        std::sync::Arc::unwrap_or_clone(self.0)
    }
}

impl From<ProposalParts> for Proposal {
    fn from(parts: ProposalParts) -> Self {
        Proposal(std::sync::Arc::new(parts))
    }
}

/// What a [`Proposal`] holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalParts {
    /// Its id (`id`, or the file's stem).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The topics it touches, as given (repeats removed), at least one.
    pub topics: Vec<String>,
    /// The meeting it is put to, if given.
    pub forum: Option<String>,
    /// The meeting date, if given.
    pub date: Option<chrono::NaiveDate>,
    /// The representative it is for, if given.
    pub representative: Option<String>,
    /// The whole JSON object: every key, for conditions and principles.
    pub fields: Map<String, Value>,
}

/// Why a proposal could not be read. `line` is 1-based (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProposalError {
    /// The text is not JSON (or breaks a limit while being read).
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What went wrong.
        message: String,
    },
    /// Not JSON, because of a slip people often make writing it by hand.
    #[error("line {line}: {slip}")]
    Slip {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Which slip.
        slip: Slip,
    },
    /// JSON, but not an object.
    #[error("a proposal must be a JSON object `{{ ... }}`")]
    NotAnObject,
    /// `title` or `id` given as an empty text.
    #[error("line {line}: `{key}` is empty")]
    Empty {
        /// The key.
        key: &'static str,
        /// Line of the key.
        line: usize,
    },
    /// A required key is missing.
    #[error("the proposal has no `{key}`")]
    Missing {
        /// The key.
        key: &'static str,
    },
    /// A key has a value of the wrong kind.
    #[error("line {line}: `{key}` must be {expected}")]
    WrongType {
        /// The key.
        key: &'static str,
        /// What it must be.
        expected: &'static str,
        /// Line of the key.
        line: usize,
    },
    /// `topics` is an empty list.
    #[error("line {line}: `topics` is empty")]
    NoTopics {
        /// Line of the key.
        line: usize,
    },
    /// A topic that is not a topic path.
    #[error("line {line}: \"{topic}\" is not a topic")]
    BadTopic {
        /// The text given.
        topic: String,
        /// Line of `topics`.
        line: usize,
    },
    /// A topic with more dot-separated parts than the limit.
    #[error("line {line}: a topic has {segments} parts; the limit is {limit}")]
    TopicTooDeep {
        /// How many parts it has.
        segments: usize,
        /// The limit, [`crate::topic::MAX_TOPIC_SEGMENTS`].
        limit: usize,
        /// Line of `topics`.
        line: usize,
    },
    /// `date` that is not a `YYYY-MM-DD` calendar date.
    #[error("line {line}: `date` is \"{value}\", which is not a date")]
    BadDate {
        /// The text given.
        value: String,
        /// Line of the key.
        line: usize,
    },
    /// The same key twice in one object.
    #[error("line {line}: the key \"{key}\" appears twice")]
    DuplicateKey {
        /// The key.
        key: String,
        /// 1-based line of the second one.
        line: usize,
    },
    /// An integer too large to keep exactly.
    #[error("line {line}: the number {text} is too large to compare exactly")]
    InexactNumber {
        /// The number as written.
        text: String,
        /// 1-based line.
        line: usize,
    },
    /// Over the size limit.
    #[error("the proposal is {size} bytes; the limit is {limit}")]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Too many topics.
    #[error("line {line}: the proposal has {count} topics; the limit is {limit}")]
    TooManyTopics {
        /// How many.
        count: usize,
        /// The limit.
        limit: usize,
        /// Line of `topics`.
        line: usize,
    },
}

/// A slip in hand-written JSON that has a plainer explanation than the
/// JSON parser's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Slip {
    /// A date written without quotes (`"date": 2026-12-03`).
    #[error("the date {0} is not in quotes")]
    UnquotedDate(String),
    /// A number written with a thousands separator (`50,000`).
    #[error("the number {0} has a comma in it")]
    ThousandsComma(String),
    /// A currency sign before a number (`£50000`).
    #[error("there is a currency sign `{0}` before a number")]
    CurrencySign(char),
}

impl ProposalError {
    /// What to write instead.
    pub fn help(&self) -> String {
        match self {
            ProposalError::Json { .. } => "Check the JSON near there: quotes around keys and texts, commas between entries, and nesting at most 32 deep.".into(),
            ProposalError::Slip { slip: Slip::UnquotedDate(date), .. } => format!("Write dates in quotes, as texts: \"{date}\"."),
            ProposalError::Slip { slip: Slip::ThousandsComma(number), .. } => format!("Write numbers without commas: {}.", number.replace(',', "")),
            ProposalError::Slip { slip: Slip::CurrencySign(_), .. } => "Leave the currency sign out: \"cost\": 50000.".into(),
            ProposalError::Empty { key: "title", .. } => "Give the proposal a title, for example \"title\": \"Advice and guidance before cardiology referral\".".into(),
            ProposalError::Empty { .. } => "Give the proposal an id, or leave `id` out to use the file's name.".into(),
            ProposalError::NotAnObject => "Write the proposal as { \"title\": \"...\", \"topics\": [\"...\"] , ... }.".into(),
            ProposalError::Missing { key: "title" } => "Add a title, for example \"title\": \"Advice and guidance before cardiology referral\".".into(),
            ProposalError::Missing { .. } | ProposalError::NoTopics { .. } => "List the topics it touches, for example \"topics\": [\"interface.outpatients\"].".into(),
            ProposalError::WrongType { key, expected, .. } => format!("Write `{key}` as {expected}."),
            ProposalError::BadTopic { .. } | ProposalError::TopicTooDeep { .. } => "Write each topic as a few words joined by dots, for example \"interface.outpatients\".".into(),
            ProposalError::BadDate { .. } => "Write the meeting date as YYYY-MM-DD, for example \"2026-12-03\".".into(),
            ProposalError::DuplicateKey { .. } => "Give each key once; JSON would otherwise keep only the last value.".into(),
            ProposalError::InexactNumber { .. } => "Use a smaller number, or write it as a text if it is an identifier.".into(),
            ProposalError::TooLarge { .. } => "A proposal should be a page of JSON at most; check that this is the right file.".into(),
            ProposalError::TooManyTopics { limit, .. } => format!("Split it into proposals of at most {limit} topics each; a proposal usually touches a few."),
        }
    }

    /// The line the error is on (0 when it has none).
    pub fn line(&self) -> usize {
        match self {
            ProposalError::Json { line, .. }
            | ProposalError::Slip { line, .. }
            | ProposalError::Empty { line, .. }
            | ProposalError::WrongType { line, .. }
            | ProposalError::NoTopics { line }
            | ProposalError::BadTopic { line, .. }
            | ProposalError::TopicTooDeep { line, .. }
            | ProposalError::TooManyTopics { line, .. }
            | ProposalError::BadDate { line, .. }
            | ProposalError::DuplicateKey { line, .. }
            | ProposalError::InexactNumber { line, .. } => *line,
            _ => 0,
        }
    }

    /// The column the error is at, when the JSON reader knows it (0 when
    /// not).
    pub fn column(&self) -> usize {
        match self {
            ProposalError::Json { column, .. } | ProposalError::Slip { column, .. } => *column,
            _ => 0,
        }
    }
}

impl Proposal {
    /// Reads a proposal from JSON text. `default_id` is used when it has no
    /// `id` (the CLI passes the file's stem).
    pub fn from_json(text: &str, default_id: &str) -> Result<Self, ProposalError> {
        if text.len() > MAX_PROPOSAL_BYTES {
            return Err(ProposalError::TooLarge {
                size: text.len(),
                limit: MAX_PROPOSAL_BYTES,
            });
        }
        // Some Windows editors save a byte-order mark; JSON has no use for it.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let value = Strict::deserialize(&mut deserializer)
            .and_then(|v| deserializer.end().map(|()| v))
            .map_err(|e| json_error(&e, text))?;
        // On valid JSON only, so every number token is a number.
        check_integers(text)?;
        let Value::Object(fields) = value.0 else {
            return Err(ProposalError::NotAnObject);
        };
        let line = |key: &str| line_of_key(text, key);

        let title = match fields.get("title") {
            None | Some(Value::Null) => return Err(ProposalError::Missing { key: "title" }),
            Some(Value::String(s)) if s.trim().is_empty() => {
                return Err(ProposalError::Empty {
                    key: "title",
                    line: line("title"),
                })
            }
            Some(Value::String(s)) => s.clone(),
            Some(_) => {
                return Err(ProposalError::WrongType {
                    key: "title",
                    expected: "a text in quotes",
                    line: line("title"),
                })
            }
        };
        let topics = match fields.get("topics") {
            None | Some(Value::Null) => return Err(ProposalError::Missing { key: "topics" }),
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    return Err(ProposalError::NoTopics {
                        line: line("topics"),
                    });
                }
                if items.len() > MAX_TOPICS {
                    return Err(ProposalError::TooManyTopics {
                        count: items.len(),
                        limit: MAX_TOPICS,
                        line: line("topics"),
                    });
                }
                let mut topics: Vec<String> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for item in items {
                    let Value::String(topic) = item else {
                        return Err(ProposalError::WrongType {
                            key: "topics",
                            expected: "a list of texts, such as [\"interface.outpatients\"]",
                            line: line("topics"),
                        });
                    };
                    if !crate::topic::is_topic_path(topic) {
                        return Err(ProposalError::BadTopic {
                            topic: topic.clone(),
                            line: line("topics"),
                        });
                    }
                    let segments = topic.split('.').count();
                    if segments > crate::topic::MAX_TOPIC_SEGMENTS {
                        return Err(ProposalError::TopicTooDeep {
                            segments,
                            limit: crate::topic::MAX_TOPIC_SEGMENTS,
                            line: line("topics"),
                        });
                    }
                    if seen.insert(topic.as_str()) {
                        topics.push(topic.clone());
                    }
                }
                topics
            }
            Some(_) => {
                return Err(ProposalError::WrongType {
                    key: "topics",
                    expected: "a list of texts, such as [\"interface.outpatients\"]",
                    line: line("topics"),
                })
            }
        };
        let text_field = |key: &'static str| -> Result<Option<String>, ProposalError> {
            match fields.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(ProposalError::WrongType {
                    key,
                    expected: "a text in quotes",
                    line: line(key),
                }),
            }
        };
        let id = match text_field("id")? {
            Some(id) if id.trim().is_empty() => {
                return Err(ProposalError::Empty {
                    key: "id",
                    line: line("id"),
                })
            }
            Some(id) => id,
            None => default_id.to_string(),
        };
        let forum = text_field("forum")?;
        let representative = text_field("representative")?;
        let date = match text_field("date")? {
            None => None,
            Some(value) => match parse_iso_date(&value) {
                Some(date) => Some(date),
                None => {
                    return Err(ProposalError::BadDate {
                        value,
                        line: line("date"),
                    })
                }
            },
        };
        Ok(Proposal::from(ProposalParts {
            id,
            title,
            topics,
            forum,
            date,
            representative,
            fields,
        }))
    }
}

/// A `YYYY-MM-DD` calendar date, exactly (no time, no other layout).
// Hidden: the command (src/cli) reads `--date` with it.
#[doc(hidden)]
pub fn parse_iso_date(text: &str) -> Option<chrono::NaiveDate> {
    if !looks_like_a_date(text) {
        return None;
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// The slip on the line of a JSON error, if it is one people often make:
/// an unquoted date, a thousands comma, a currency sign. Looks only outside
/// quoted texts.
fn slip_on(text: &str, line: usize) -> Option<(usize, Slip)> {
    let source = text.lines().nth(line.checked_sub(1)?)?;
    let mut quoted = false;
    let mut escaped = false;
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let mut i = 0;
    while let Some(&(at, c)) = chars.get(i) {
        // `i` counts characters, so it is the column (less one).
        let column = i + 1;
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            '"' => quoted = true,
            '£' | '$' | '€' => {
                let next = chars.get(i + 1).map(|(_, n)| *n);
                if next.is_some_and(|n| n.is_ascii_digit()) {
                    return Some((column, Slip::CurrencySign(c)));
                }
            }
            '0'..='9' => {
                let rest = source.get(at..).unwrap_or_default();
                let token: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | ',' | '.'))
                    .collect();
                let date = token.get(..10).unwrap_or_default();
                if date.len() == 10 && looks_like_a_date(date) {
                    return Some((column, Slip::UnquotedDate(date.to_string())));
                }
                let groups: Vec<&str> = token.trim_end_matches([',', '.']).split(',').collect();
                if groups.len() > 1
                    && groups
                        .iter()
                        .skip(1)
                        .all(|g| g.split('.').next().is_some_and(|g| g.len() == 3))
                {
                    return Some((
                        column,
                        Slip::ThousandsComma(token.trim_end_matches([',', '.']).to_string()),
                    ));
                }
                i += token.chars().count().max(1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Whether `text` has the shape YYYY-MM-DD.
pub(crate) fn looks_like_a_date(text: &str) -> bool {
    text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
}

fn json_error(error: &serde_json::Error, text: &str) -> ProposalError {
    // Not JSON from the first letter (a rule file, a text): say what a
    // proposal is rather than "expected value".
    if text
        .trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '/')
    {
        return ProposalError::NotAnObject;
    }
    if let Some((column, slip)) = slip_on(text, error.line()) {
        return ProposalError::Slip {
            line: error.line(),
            column,
            slip,
        };
    }
    let message = error.to_string();
    // serde_json appends " at line L column C"; we report those separately.
    let message = match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let message = if message.contains("recursion limit") {
        format!("nested more than {MAX_PROPOSAL_DEPTH} levels deep")
    } else {
        message
    };
    ProposalError::Json {
        line: error.line(),
        column: error.column(),
        message,
    }
}

/// The line of the first `"key":` in the text (1 when not found).
fn line_of_key(text: &str, key: &str) -> usize {
    let needle = format!("\"{key}\"");
    let mut from = 0;
    while let Some(i) = text[from..].find(&needle) {
        let at = from + i;
        let after = text[at + needle.len()..].trim_start();
        if after.starts_with(':') {
            return crate::span::line_number(text, at) as usize;
        }
        from = at + needle.len();
    }
    1
}

/// Refuses integer literals that a 64-bit float would round: serde_json
/// would otherwise turn 30 digits into an approximate number silently.
fn check_integers(text: &str) -> Result<(), ProposalError> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => {
                i += 1;
                while let Some(&inside) = bytes.get(i).filter(|b| **b != b'"') {
                    if inside == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                {
                    i += 1;
                }
                let token = &text[start..i];
                // The whole-number part must be exact; a fraction is as exact
                // as a decimal number can be, an exponent is the writer's
                // choice of precision.
                let exact = token.contains(['e', 'E']) || {
                    let whole = token.split('.').next().unwrap_or(token);
                    whole
                        .trim_start_matches('-')
                        .parse::<u64>()
                        .is_ok_and(|n| n <= MAX_EXACT_INTEGER)
                };
                if !exact {
                    return Err(ProposalError::InexactNumber {
                        text: token.to_string(),
                        line: crate::span::line_number(text, start) as usize,
                    });
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// A JSON value read with duplicate keys refused and depth bounded.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(StrictVisitor { depth: 0 })
            .map(Strict)
    }
}

struct StrictVisitor {
    depth: usize,
}

struct Nested(Value);

struct NestedSeed {
    depth: usize,
}

impl<'de> de::DeserializeSeed<'de> for NestedSeed {
    type Value = Nested;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Nested, D::Error> {
        deserializer
            .deserialize_any(StrictVisitor { depth: self.depth })
            .map(Nested)
    }
}

impl StrictVisitor {
    fn deeper<E: de::Error>(&self) -> Result<usize, E> {
        if self.depth >= MAX_PROPOSAL_DEPTH {
            return Err(E::custom(format!(
                "nested more than {MAX_PROPOSAL_DEPTH} levels deep"
            )));
        }
        Ok(self.depth + 1)
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let depth = self.deeper()?;
        let mut items = Vec::new();
        while let Some(Nested(item)) = seq.next_element_seed(NestedSeed { depth })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let depth = self.deeper()?;
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "the key \"{key}\" appears twice"
                )));
            }
            let Nested(value) = map.next_value_seed(NestedSeed { depth })?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_design_example() {
        let p = Proposal::from_json(
            r#"{"id": "x", "title": "T", "topics": ["interface.outpatients"],
                "forum": "F", "date": "2026-12-03", "cost": 30000}"#,
            "stem",
        );
        let p = p.ok();
        assert_eq!(p.as_ref().map(|p| p.id.as_str()), Some("x"));
        assert_eq!(
            p.and_then(|p| p.date),
            chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
        );
    }

    #[test]
    fn refuses_what_would_lose_data() {
        let dup = Proposal::from_json(
            r#"{"title": "T", "topics": ["a"], "cost": 1, "cost": 2}"#,
            "s",
        );
        assert!(
            matches!(dup, Err(ProposalError::Json { ref message, .. }) if message.contains("twice"))
        );
        let big = Proposal::from_json(
            r#"{"title": "T", "topics": ["a"], "cost": 123456789012345678901234567890}"#,
            "s",
        );
        assert!(matches!(big, Err(ProposalError::InexactNumber { .. })));
        let deep = format!(
            r#"{{"title": "T", "topics": ["a"], "x": {}1{}}}"#,
            "[".repeat(40),
            "]".repeat(40)
        );
        assert!(matches!(
            Proposal::from_json(&deep, "s"),
            Err(ProposalError::Json { .. })
        ));
    }

    #[test]
    fn refuses_bad_required_fields() {
        let cases = [
            (r#"[1]"#, "object"),
            (r#"{"topics": ["a"]}"#, "title"),
            (r#"{"title": "T"}"#, "topics"),
            (r#"{"title": "T", "topics": []}"#, "empty"),
            (r#"{"title": "T", "topics": "a"}"#, "list"),
            (r#"{"title": "T", "topics": [1]}"#, "list"),
            (
                r#"{"title": "T", "topics": ["a"], "date": "next spring"}"#,
                "date",
            ),
            (
                r#"{"title": "T", "topics": ["a"], "date": "2026-02-30"}"#,
                "date",
            ),
            (
                r#"{"title": "T", "topics": ["a"], "date": "2026-12-03T10:00"}"#,
                "date",
            ),
        ];
        for (json, word) in cases {
            let error = Proposal::from_json(json, "s").err();
            let text = error
                .map(|e| format!("{e} {}", e.help()))
                .unwrap_or_default();
            assert!(text.contains(word), "{json}: {text}");
        }
    }
}
