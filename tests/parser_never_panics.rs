//! `mandate::syntax::parse` never panics and never overflows the stack,
//! whatever text it is given: it returns a syntax tree or a syntax error.
//!
//! - proptest feeds it arbitrary strings, and strings built from the
//!   language's own tokens (which get much further into the grammar than
//!   random text does);
//! - absurdly deep inputs (100,000 nested brackets, 100,000 `not`s) are
//!   parsed on a thread with a small stack, so a parser that recursed once
//!   per bracket would crash the test instead of passing by luck on a big
//!   main-thread stack.

use mandate::source::{Scripts, SourceFile};
use mandate::Mandate;
use proptest::prelude::*;

/// Parses `text` on a thread with a 256 KiB stack and returns whether it
/// parsed. A stack overflow aborts the whole test binary, which fails the
/// run loudly; a panic fails this test with the input's name.
fn parse_on_small_stack(name: &str, text: String) -> bool {
    let handle = std::thread::Builder::new()
        .name(name.to_string())
        .stack_size(256 * 1024)
        .spawn(move || mandate::syntax::parse(&text).is_ok())
        .expect("cannot start a thread");
    match handle.join() {
        Ok(parsed) => parsed,
        Err(_) => panic!("parse panicked on {name}"),
    }
}

const DEPTH: usize = 100_000;

fn in_a_when(condition: &str) -> String {
    format!(
        "group \"G\" {{ place \"P\" }}\nrepresentative p \"P\" {{\n  may agree x when {condition}\n}}\n"
    )
}

fn in_a_principle(code: &str) -> String {
    format!("group \"G\" {{ place \"P\" }}\nprinciple x \"X\" {{ {code} }}\n")
}

#[test]
fn deep_parentheses() {
    let open = "(".repeat(DEPTH);
    let close = ")".repeat(DEPTH);
    assert!(!parse_on_small_stack("raw (((", open.clone()));
    assert!(!parse_on_small_stack(
        "((( in a when",
        in_a_when(&format!("{open}cost <= 5{close}"))
    ));
    assert!(!parse_on_small_stack(
        "unclosed ((( in a when",
        in_a_when(&open)
    ));
}

#[test]
fn deep_brackets() {
    let open = "[".repeat(DEPTH);
    let close = "]".repeat(DEPTH);
    assert!(!parse_on_small_stack("raw [[[", open.clone()));
    assert!(!parse_on_small_stack(
        "[[[ in a list",
        in_a_when(&format!("risk in {open}1{close}"))
    ));
}

#[test]
fn deep_braces() {
    let open = "{".repeat(DEPTH);
    let close = "}".repeat(DEPTH);
    assert!(!parse_on_small_stack("raw {{{", open.clone()));
    // Inside an inline principle the braces are Rhai's, matched by the
    // grammar to find where the block ends.
    assert!(!parse_on_small_stack(
        "{{{ in a principle",
        in_a_principle(&format!("{open}true{close}"))
    ));
    assert!(!parse_on_small_stack(
        "unclosed {{{ in a principle",
        in_a_principle(&open)
    ));
}

/// Braces inside Rhai character literals and back-tick strings do not
/// count for the grammar, but a lexical bracket scan could count them as
/// closing: `{ '}' { '}' ...` must still be refused, not recursed into.
#[test]
fn deep_braces_hidden_from_a_lexical_scan() {
    for (name, piece) in [("char literal", "{ '}' "), ("back-tick string", "{ `}` ")] {
        let open = piece.repeat(DEPTH);
        let close = "}".repeat(DEPTH);
        assert!(!parse_on_small_stack(name, in_a_principle(&open)));
        assert!(!parse_on_small_stack(
            name,
            in_a_principle(&format!("{open}{close}"))
        ));
    }
}

#[test]
fn many_nots() {
    assert!(!parse_on_small_stack(
        "raw not not not",
        "not ".repeat(DEPTH)
    ));
    // A repeated `not` is a loop in the grammar, not recursion; the result
    // is an error (over the nesting limit) but must not crash. See also
    // `many_nots_100_000_in_a_when`.
    let nots = "not ".repeat(2_000);
    assert!(!parse_on_small_stack(
        "not not not in a when",
        in_a_when(&format!("{nots}cost <= 5"))
    ));
}

/// The full 100,000 `not`s in a condition: refused (over the nesting
/// limit) without crashing, and quickly: line/column lookups are indexed, so
/// parsing is linear in the number of tokens.
#[test]
fn many_nots_100_000_in_a_when() {
    let nots = "not ".repeat(DEPTH);
    assert!(!parse_on_small_stack(
        "not not not in a when",
        in_a_when(&format!("{nots}cost <= 5"))
    ));
}

/// Words and symbols of the language besides its keywords
/// ([`mandate::syntax::KEYWORDS`]), plus a few that only Rhai or a mistaken
/// author would write.
const TOKENS: &[&str] = &[
    // identifiers, topics and field names
    "patel",
    "x",
    "_",
    "interface",
    "interface.outpatients",
    "cost",
    "budget.recurrent",
    "*",
    "a.b.c",
    "proposal",
    "let",
    // punctuation and operators
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "\"",
    "==",
    "!=",
    "<=",
    ">=",
    "<",
    ">",
    "=",
    "-",
    ";",
    "\\",
    "'",
    "`",
    "${",
    "/*",
    "*/",
    "#{",
    "&&",
    "||",
    "??",
    // literals
    "0",
    "7",
    "50_000",
    "12.5",
    "-5",
    "1_",
    "99999999999999999999",
    "2026-04-01",
    "2026-02-30",
    "2026-4-1",
    "\"Place Partnership Board\"",
    "\"a\\\"b\"",
    "\"\\n\"",
    "\"é\"",
    "'}'",
    "`}`",
    // layout
    "\n",
    "\r\n",
    "\t",
    "// comment\n",
    "//",
    " ",
];

fn token_text() -> impl Strategy<Value = String> {
    let all: Vec<&'static str> = mandate::syntax::KEYWORDS
        .iter()
        .chain(TOKENS)
        .copied()
        .collect();
    let token = prop::sample::select(all);
    let separator = prop::sample::select(&[" ", " ", "", "\n"][..]);
    prop::collection::vec((token, separator), 0..80).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(token, separator)| [token, separator])
            .collect()
    })
}

/// A plausible start, so that token soup reaches representatives' rules
/// and conditions more often.
fn with_prelude() -> impl Strategy<Value = String> {
    (
        prop::sample::select(
            &[
                "",
                "group \"G\" { place \"P\" }\n",
                "group \"G\" { place \"P\" }\nrepresentative p \"P\" {\n  may agree x when ",
                "group \"G\" { place \"P\" }\nrepresentative p \"P\" {\n  ",
                "group \"G\" { place \"P\" }\nprinciple x \"X\" { ",
            ][..],
        ),
        token_text(),
    )
        .prop_map(|(prelude, rest)| format!("{prelude}{rest}"))
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=100000 for a longer hunt.
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        let _ = mandate::syntax::parse(&text);
    }

    #[test]
    fn arbitrary_printable_strings(text in "[ -~\n\t]{0,200}") {
        let _ = mandate::syntax::parse(&text);
    }

    #[test]
    fn token_strings(text in with_prelude()) {
        let _ = mandate::syntax::parse(&text);
    }

    /// Beyond parsing: validation and compilation of whatever parses must
    /// not panic either (dates, spans, Rhai positions...).
    #[test]
    fn token_strings_load(text in with_prelude()) {
        let file = SourceFile { name: "fuzz.mandate".into(), text };
        let _ = Mandate::from_source(file, Scripts::new(), today());
    }
}

// Inputs that once broke a fuzz target are replayed, each with a deadline,
// by tests/fuzz_regressions.rs.
