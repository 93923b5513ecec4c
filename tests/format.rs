//! `mandate fmt` (the library's [`mandate::format`]): its output for every
//! rule file in `rules/` and `tests/data/` (one snapshot per file), and its
//! promises, each tested on every one of them and on random mandates:
//!
//! - formatting is idempotent and keeps the meaning and every token;
//! - every comment survives, once, in order, wherever it was put (a unique
//!   comment between every two tokens, on a line of its own or at the end
//!   of a line);
//! - the shipped mandates, formatted, pass their own test cases (the same
//!   decisions on every test proposal).

mod reference;

use mandate::format::format;
use mandate::syntax::cst::{self, Token, TokenKind};
use proptest::prelude::*;
use reference::generate;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.mandate` file below `rules/` and `tests/data/`, sorted.
fn mandates() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "mandate") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("rules"), &mut out);
    walk(&root().join("tests/data"), &mut out);
    assert!(out.len() > 100, "the rule files were not found");
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// The file's text; `None` when it is not UTF-8 (`tests/data/failures`
/// has one), which `mandate fmt` refuses before formatting.
fn text_of(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    String::from_utf8(bytes).ok()
}

fn read(path: &Path) -> String {
    text_of(path).unwrap_or_else(|| panic!("{}: not UTF-8", path.display()))
}

/// Every file that parses: its text.
fn parsing() -> Vec<(String, String)> {
    mandates()
        .into_iter()
        .filter_map(|path| Some((relative(&path), text_of(&path)?)))
        .filter(|(_, text)| mandate::syntax::parse(text).is_ok())
        .collect()
}

/// The tokens of `text` as the layout must keep them.
fn tokens(text: &str) -> Vec<(TokenKind, String)> {
    cst::parse(text)
        .unwrap_or_else(|e| panic!("does not parse: {e}\n{text}"))
        .tokens()
        .iter()
        .map(|t| (t.kind, t.text.trim_end().to_string()))
        .collect()
}

/// Formats `text` and checks every promise but comment placement: the
/// answer parses, has the same tokens, means the same, and is its own
/// layout.
fn formatted(name: &str, text: &str) -> String {
    let out = format(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(tokens(text), tokens(&out), "{name}: tokens changed\n{out}");
    let before = mandate::syntax::parse(text).unwrap();
    let after = mandate::syntax::parse(&out).unwrap();
    assert!(
        before.same_meaning(&after),
        "{name}: meaning changed\n{out}"
    );
    let again = format(&out).unwrap_or_else(|e| panic!("{name}, formatted again: {e}"));
    assert_eq!(again, out, "{name}: formatting the output changed it");
    out
}

#[test]
fn every_rule_file_formats_to_its_snapshot() {
    for path in mandates() {
        let name = relative(&path);
        let Some(text) = text_of(&path) else {
            continue;
        };
        let shown = match mandate::syntax::parse(&text) {
            Ok(_) => formatted(&name, &text),
            Err(_) => {
                let error = format(&text).expect_err("a file that does not parse was formatted");
                format!("not formatted: {error}\n")
            }
        };
        insta::with_settings!({ snapshot_path => "snapshots/format", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name.replace('/', "__"), shown);
        });
    }
}

/// Puts comment `i` (with some text that is not ASCII, whose width is
/// counted in characters) between every two tokens of `text` (and before the
/// first and after the last), with `trailing` choosing, for each place,
/// the end of the line or a line of its own. A comment can only end a
/// line, so after one comes a line break whatever `trailing` says.
fn interleave(text: &str, trailing: impl Fn(usize) -> bool) -> (String, usize) {
    let tree = cst::parse(text).unwrap();
    let all: Vec<Token<'_>> = tree.tokens();
    let mut out = String::new();
    // A byte-order mark stays first.
    if text.starts_with('\u{FEFF}') {
        out.push('\u{FEFF}');
    }
    let mut n = 0;
    let mut put = |out: &mut String, after_comment: bool| {
        if trailing(n) && !after_comment {
            out.push_str(&format!(" // comment {n} – café\n"));
        } else {
            out.push_str(&format!("\n// comment {n} – café\n"));
        }
        n += 1;
    };
    put(&mut out, true);
    for token in &all {
        out.push_str(token.text);
        put(&mut out, token.kind == TokenKind::Comment);
    }
    (out, n)
}

/// The numbers of the inserted comments in `text`, in order.
fn inserted(text: &str) -> Vec<usize> {
    cst::parse(text)
        .unwrap()
        .tokens()
        .iter()
        .filter(|t| t.kind == TokenKind::Comment)
        .filter_map(|t| t.text.strip_prefix("// comment "))
        .map(|n| n.split(' ').next().unwrap().parse().unwrap())
        .collect()
}

#[test]
fn a_comment_between_any_two_tokens_survives_once_in_order() {
    type Layout = (&'static str, fn(usize) -> bool);
    let layouts: [Layout; 3] = [
        ("own line", |_| false),
        ("end of line", |_| true),
        ("mixed", |i| i % 3 == 1),
    ];
    for (name, text) in parsing() {
        for (layout, trailing) in layouts {
            let (commented, count) = interleave(&text, trailing);
            let what = format!("{name} ({layout})");
            let out = formatted(&what, &commented);
            assert_eq!(
                inserted(&out),
                (0..count).collect::<Vec<_>>(),
                "{what}: a comment was lost, repeated or moved past a token\n{out}"
            );
            // Where it was: each comment is still straight after the token
            // it followed (no token crossed it).
            assert_eq!(tokens(&commented), tokens(&out), "{what}");
        }
    }
}

#[test]
fn a_comment_at_the_end_of_a_line_stays_there() {
    let text = "group \"g\" { // the group\n  place \"p\" // where\n}\n\n\
        representative r \"R\" {\n  refer x when a // because\n  // next\n  refer y\n}\n";
    let out = formatted("inline", text);
    assert_eq!(out, text, "already formatted");
    let squeezed = text.replace("\n  ", "\n").replace(" //", "    //");
    assert_eq!(formatted("squeezed", &squeezed), text);
}

/// The shipped mandates, each disarranged (a comment between every two
/// tokens, some at the ends of lines) and formatted, give the decisions
/// their own cases expect. Reasons cite line numbers, which formatting
/// moves, so a case here compares everything but `reasons_contain`
/// (`mandate test rules/`, run by CI, compares those on the files as
/// shipped, which are formatted).
#[test]
fn the_shipped_mandates_formatted_give_the_same_decisions() {
    for folder in ["ashdown", "brackenmoor"] {
        let dir = tempfile::tempdir().unwrap();
        let from = root().join("rules").join(folder);
        copy_folder(&from, dir.path());
        let path = dir.path().join(format!("{folder}.mandate"));
        let (disarranged, _) = interleave(&read(&path), |i| i % 2 == 0);
        std::fs::write(&path, formatted(folder, &disarranged)).unwrap();
        let mut tests = mandate::testing::load(&mandate::testing::tests_file_for(&path))
            .unwrap_or_else(|e| panic!("{folder}: {}", e.message));
        for case in &mut tests.cases {
            case.expect.reasons_contain.clear();
        }
        let loaded = mandate::Mandate::load(&path, tests.date);
        let mandate = loaded
            .mandate
            .unwrap_or_else(|| panic!("{folder}: {:?}", loaded.diagnostics));
        let results = mandate::testing::run(&mandate, &tests);
        assert!(results.len() > 30, "{folder}: too few cases");
        for result in results {
            assert!(
                result.passed,
                "{folder}: case {:?} fails once formatted: {:?}",
                result.name, result.differences
            );
        }
    }
}

fn copy_folder(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_file_that_does_not_parse_is_refused_with_its_syntax_error() {
    let text = "group \"g\" {\n  place \"p\"\n";
    let error = format(text).unwrap_err();
    assert!(matches!(error, mandate::format::FormatError::Syntax(_)));
    let syntax = mandate::syntax::parse(text).unwrap_err();
    assert_eq!(error.to_string(), syntax.to_string());
    assert_eq!(error.span(), syntax.span());
}

#[test]
fn an_empty_file_stays_empty() {
    assert_eq!(format("").unwrap(), "");
    assert_eq!(format("\n\n  \n").unwrap(), "");
    assert_eq!(
        format("// only a remark   \n\n").unwrap(),
        "// only a remark\n"
    );
}

/// The separators a generated file is re-joined with: odd spacing, blank
/// lines, and comments of both kinds.
const SEPARATORS: &[&str] = &[
    " ",
    "\n",
    "\t",
    "   \n\n\n  ",
    " // a remark\n",
    "\n    // a remark of its own\n\n",
    "\r\n",
];

/// `text`'s tokens joined by the separators `picks` chooses in turn (a
/// comment's own line break is kept: nothing may follow it).
fn respace(text: &str, picks: &[usize]) -> String {
    let tree = cst::parse(text).unwrap();
    let mut out = String::new();
    for (i, token) in tree.tokens().iter().enumerate() {
        if i > 0 {
            let sep = SEPARATORS[picks[i % picks.len()] % SEPARATORS.len()];
            out.push_str(sep);
        }
        out.push_str(token.text);
        if token.kind == TokenKind::Comment {
            out.push('\n');
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..reference::config() })]

    #[test]
    fn formatting_is_idempotent_and_keeps_meaning_and_comments(
        spec in generate::mandate(),
        picks in proptest::collection::vec(0usize..16, 1..24),
    ) {
        let text = respace(&spec.render(), &picks);
        let out = format(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(format(&out).ok(), Some(out.clone()), "not idempotent:\n{}", out);
        prop_assert_eq!(tokens(&text), tokens(&out));
        let before = mandate::syntax::parse(&text).unwrap();
        let after = mandate::syntax::parse(&out).unwrap();
        prop_assert!(before.same_meaning(&after));
        if let (Ok(a), Ok(b)) = (generate::compile(&text), generate::compile(&out)) {
            prop_assert_eq!(a.meaning(), b.meaning());
        }
        // No line ends in a space or tab, outside principle code.
        let code: Vec<_> = cst::parse(&out)
            .unwrap()
            .tokens()
            .iter()
            .filter(|t| t.kind == TokenKind::Code)
            .map(|t| t.span.start..t.span.end)
            .collect();
        let mut at = 0;
        for line in out.split_inclusive('\n') {
            let in_code = code.iter().any(|c| c.start < at + line.len() && at < c.end);
            let bare = line.trim_end_matches('\n');
            prop_assert!(in_code || !bare.ends_with([' ', '\t', '\r']), "{:?} in\n{}", bare, out);
            at += line.len();
        }
    }
}
