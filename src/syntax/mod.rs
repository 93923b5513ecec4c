//! Text -> typed syntax tree.
//!
//! Owns the pest grammar (`grammar/mandate.pest`), the tree types in
//! [`ast`], and syntax errors worded for rule authors. It checks form only:
//! meaning (ids, dates, topics, scripts) is `validate`'s job. No pest type
//! escapes this module.

pub mod ast;
mod error;
mod parser;

pub use error::{SyntaxError, MAX_DECLARATIONS, MAX_FILE_BYTES, MAX_NESTING, MAX_RULES};
pub use parser::parse;
pub(crate) use parser::span_at;

/// The reserved words of the language (DESIGN.md section 2). None of them
/// may be used as an id, a topic segment or a field name.
pub const KEYWORDS: &[&str] = &[
    "group",
    "place",
    "organisation",
    "owns",
    "principle",
    "blocking",
    "refer",
    "advisory",
    "script",
    "priority",
    "topics",
    "topic",
    "representative",
    "role",
    "forums",
    "valid",
    "from",
    "until",
    "report",
    "within",
    "days",
    "may",
    "not",
    "agree",
    "at",
    "when",
    "except",
    "and",
    "or",
    "in",
    "contains",
    "true",
    "false",
];

/// Whether `word` is a reserved word.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}
