//! The pest grammar (`grammar/mandate.pest`) as a Rust parser: the one
//! place the generated `Rule` type is defined. The parser builds the tree
//! from it and the error translator names its rules in a rule author's
//! words; both use this file, and neither uses the other's internals. No
//! pest type leaves `syntax`.

use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/mandate.pest"]
pub(super) struct MandateGrammar;

/// How many bytes the inline principle code `{ ... }` at the start of
/// `text` takes, braces included, read exactly as the grammar reads it (so
/// braces in Rhai strings and comments do not count); `None` if it does
/// not close.
pub(super) fn rhai_block_len(text: &str) -> Option<usize> {
    let mut pairs = MandateGrammar::parse(Rule::rhai_block, text).ok()?;
    pairs.next().map(|p| p.as_span().end())
}
