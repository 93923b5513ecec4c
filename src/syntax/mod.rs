//! Text -> typed syntax tree.
//!
//! Owns the pest grammar (`grammar/mandate.pest`), the tree types in
//! [`ast`], what a tree means apart from its layout ([`meaning`]), and
//! syntax errors worded for rule authors. It checks form only:
//! meaning (ids, dates, topics, scripts) is `validate`'s job. No pest type
//! escapes this module: `grammar.rs` holds the generated parser, which
//! `parser.rs` (the tree) and `error.rs` (the messages) both read.

pub mod ast;
pub mod cst;
mod error;
mod grammar;
pub mod meaning;
pub mod next;
mod parser;

pub use error::{
    SyntaxError, MAX_BRACKETS, MAX_DECLARATIONS, MAX_FILE_BYTES, MAX_NESTING, MAX_RULES,
    MAX_TEXT_CHARS,
};
pub use parser::parse;

/// The reserved words of the language (the README's language guide). None
/// of them may be used as an id, a topic segment or a field name.
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The grammar's `reserved` rule and [`KEYWORDS`] must list the same
    /// words: every keyword is refused where a topic starts.
    #[test]
    fn every_keyword_is_reserved_in_the_grammar() {
        for word in KEYWORDS {
            let text = format!("group \"g\" {{ }}\nrepresentative r \"R\" {{ may agree {word} }}");
            assert!(parse(&text).is_err(), "`{word}` was accepted as a topic");
            let text =
                format!("group \"g\" {{ }}\nrepresentative r \"R\" {{ may agree {word}_x }}");
            assert!(parse(&text).is_ok(), "`{word}_x` was refused as a topic");
        }
    }
}
