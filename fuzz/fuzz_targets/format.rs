//! Any bytes as a rule file; when it parses, `mandate fmt`'s promises:
//!
//! - formatting succeeds (a file that parses always has a layout; the
//!   formatter's own proof, that tokens and meaning are unchanged, never
//!   refuses one);
//! - the formatted text parses, means the same (`same_meaning`), and keeps
//!   every comment, once each, in order, and every other token;
//! - formatting it again changes nothing (idempotence).
//!
//! A file that does not parse must be refused with the parser's own error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandate::format::{format, FormatError};
use mandate::syntax::cst::{self, TokenKind};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(before) = mandate::syntax::parse(&text) else {
        assert!(matches!(format(&text), Err(FormatError::Syntax(_))));
        return;
    };
    let formatted = match format(&text) {
        Ok(formatted) => formatted,
        Err(error) => panic!("a file that parses was not formatted: {error}\n{text}"),
    };
    let after = mandate::syntax::parse(&formatted)
        .unwrap_or_else(|e| panic!("the formatted file does not parse: {e}\n{formatted}"));
    assert!(before.same_meaning(&after), "meaning changed:\n{formatted}");
    let tokens = |t: &str| -> Vec<(TokenKind, String)> {
        cst::parse(t)
            .map(|tree| {
                tree.tokens()
                    .iter()
                    .map(|k| (k.kind, k.text.trim_end().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(tokens(&text), tokens(&formatted), "tokens changed:\n{formatted}");
    let again = format(&formatted).unwrap_or_else(|e| panic!("second format failed: {e}"));
    assert_eq!(again, formatted, "formatting is not idempotent");
});
