//! Any bytes as a rule file: parsing never panics; a syntax error points
//! inside the file, at a line and column that match its byte offset; a
//! tree's every span does too, and an inline principle's code is exactly
//! the text its span covers.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandate::syntax::ast::{Declaration, PrincipleBody};
use mandate::syntax::SyntaxError;
use mandate_fuzz::{assert_span, assert_tree_spans};

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 never reaches the parser (loading refuses it), so
    // repair it rather than waste the input.
    let text = String::from_utf8_lossy(data);
    match mandate::syntax::parse(&text) {
        Err(error) => {
            assert!(
                !matches!(error, SyntaxError::Internal { .. }),
                "internal parser error: {error}"
            );
            assert_span(&text, error.span(), "syntax error");
            assert!(!error.to_string().is_empty());
            assert!(!error.help().is_empty());
        }
        Ok(file) => {
            assert_tree_spans(&text, &file);
            for declaration in &file.declarations {
                if let Declaration::Principle(principle) = declaration {
                    if let PrincipleBody::Inline { code, span } = &principle.body {
                        assert_eq!(
                            text.get(span.start..span.end),
                            Some(code.as_str()),
                            "an inline principle's code is the text of its span"
                        );
                    }
                }
            }
        }
    }
});
