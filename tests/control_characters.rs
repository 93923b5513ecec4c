//! What a person reads cannot be spoofed by what it echoes.
//!
//! A carriage return, an escape sequence (`ESC [2K` erases the line,
//! `ESC ]8;;` makes a hidden link) or a bidirectional override in a title,
//! an id, a field, a name, a reason, a Rhai error, an argument or a rule
//! file's source line would let the input rewrite the answer on the screen.
//! Each case runs the built binary (no terminal, `NO_COLOR`), checks that
//! neither stream carries such a character raw, that the JSON keeps the
//! text exact, and pins the text in a snapshot
//! (`tests/snapshots/control_characters__*.snap`): review that the escapes
//! (`\u{1b}`, `\r`) read clearly and the carets still point at the mistake.

mod support;

use std::ffi::{OsStr, OsString};
use std::path::Path;
use support::{in_crate, mandate, mandate_in, Run, TempDir};

/// A rule file whose principles quote the proposal back.
const ECHO: &str = "tests/data/control_characters/echo.mandate";

fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
}

fn both(run: &Run) -> String {
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        run.code,
        run.out(),
        run.err()
    )
}

/// Every string in a JSON value, keys included.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

#[test]
fn proposals_are_reported_with_their_controls_visible() {
    insta::glob!("data/control_characters/*.json", |path| {
        let path = relative(path);
        let args = |format: &'static str| -> Vec<&OsStr> {
            vec![
                "check".as_ref(),
                ECHO.as_ref(),
                path.as_os_str(),
                "--as".as_ref(),
                "patel".as_ref(),
                "--date".as_ref(),
                "2026-12-01".as_ref(),
                "--format".as_ref(),
                format.as_ref(),
            ]
        };
        let text = mandate(&args("text"), None);
        text.expect_nothing_hidden();
        assert!(
            both(&text).contains("\\u{1b}") || both(&text).contains("\\u{202e}"),
            "{}: the escapes are not shown:\n{}",
            path.display(),
            both(&text)
        );

        // The JSON is exact: control characters escaped once, by serde,
        // never shown as `\u{..}` text.
        let json = mandate(&args("json"), None);
        assert_eq!(json.code, text.code, "{}", path.display());
        if json.code == 0 {
            let decision: serde_json::Value =
                serde_json::from_slice(&json.stdout).expect("check --format json gives JSON");
            let mut out = Vec::new();
            strings(&decision, &mut out);
            assert!(
                !out.iter().any(|s| s.contains("\\u{")),
                "{}: the JSON holds text escaped for people:\n{}",
                path.display(),
                json.out()
            );
            let input: serde_json::Value =
                serde_json::from_slice(&std::fs::read(path).expect("the case is readable"))
                    .expect("the case is JSON");
            if let Some(id) = input.get("id") {
                assert_eq!(decision.get("proposal"), Some(id), "{}", path.display());
            }
            if let Some(reason) = input.get("reason_text") {
                assert_eq!(
                    decision.pointer("/principles/0/reason"),
                    Some(reason),
                    "{}",
                    path.display()
                );
            }
        }
        insta::assert_snapshot!(both(&text));
    });
}

/// Rule files and scripts with control characters where `validate` draws
/// them: in a string, a comment, an unterminated string, a line of a
/// principle script, a Rhai error.
#[test]
fn diagnostics_draw_source_lines_with_their_controls_visible() {
    let group = "group \"G\" { place \"P\" }\n";
    let cases: &[(&str, String, Option<&str>)] = &[
        (
            "esc_in_string",
            "group \"G\u{1b}[2KAGREE\" { plac \"P\" }\n".to_string(),
            None,
        ),
        (
            "esc_in_comment",
            format!(
                "{group}representative a \"A\" {{\n  // \u{1b}]8;;https://example.invalid/\u{7}a link\u{1b}]8;;\u{7}\n  may agre x\n}}\n"
            ),
            None,
        ),
        (
            "unterminated_string",
            format!("{group}representative a \"A\t\u{1b}[2K\rB {{\n  may agree x\n}}\n"),
            None,
        ),
        (
            "bidi_in_comment",
            format!(
                "{group}representative a \"A\" {{\n  // \u{202e} ]wolla[ \u{2066}x\u{2069}\n  may agre x\n}}\n"
            ),
            None,
        ),
        (
            "crlf_and_escape",
            "group \"G\" { place \"P\" }\r\nrepresentative a \"A\u{9b}2K\" {\r\n\tmay agre x\r\n}\r\n"
                .to_string(),
            None,
        ),
        (
            "long_line",
            format!(
                "{group}representative a \"{}\u{1b}[2K\" {{ may agre x }}\n",
                "A".repeat(300)
            ),
            None,
        ),
        (
            "inline_rhai_error",
            format!(
                "{group}principle p \"P\" refer {{\n  proposal.cost \u{1b}[2K> 5\n}}\nrepresentative a \"A\" {{ may agree x }}\n"
            ),
            None,
        ),
        (
            "script_rhai_error",
            format!(
                "{group}principle p \"P\" refer script \"p.rhai\"\nrepresentative a \"A\" {{ may agree x }}\n"
            ),
            Some("let x = \"\u{1b}[2K\";\nx \u{7f}== proposal.title\n"),
        ),
    ];
    for (name, rules, script) in cases {
        let dir = TempDir::new(name);
        dir.write("r.mandate", rules);
        if let Some(script) = script {
            dir.write("p.rhai", script);
        }
        let run = mandate_in(&dir.path, &["validate", "r.mandate"], None);
        run.expect_code(1).expect_nothing_hidden();
        assert!(
            run.err().contains("\\u{") || run.err().contains("\\r"),
            "{name}: the escapes are not shown:\n{}",
            run.err()
        );

        let json = mandate_in(
            &dir.path,
            &["validate", "r.mandate", "--format", "json"],
            None,
        );
        json.expect_code(1);
        let diagnostics: serde_json::Value =
            serde_json::from_slice(&json.stdout).expect("validate --format json gives JSON");
        let mut out = Vec::new();
        strings(&diagnostics, &mut out);
        assert!(
            !out.iter().any(|s| s.contains("\\u{")),
            "{name}: the JSON holds text escaped for people:\n{}",
            json.out()
        );
        insta::assert_snapshot!(name.to_string(), dir.normalise(&both(&run)));
    }
}

/// Arguments echoed back: `--as`, `--date`, an unknown flag, paths.
#[test]
fn arguments_are_echoed_with_their_controls_visible() {
    let dir = TempDir::new("arguments");
    // Run in the temporary folder: the other files by absolute path (no
    // case prints them), the ones made there by name.
    let echo = in_crate(ECHO);
    let echo = echo.as_os_str();
    let proposal = in_crate("tests/data/control_characters/title_cr_erase.json");
    let proposal = proposal.as_os_str();
    let named = "r\u{1b}[2K\u{202e}.mandate";
    dir.write(named, std::fs::read(echo).expect("echo.mandate"));
    let missing = "p\r\u{1b}[2K.json";
    let cases: Vec<(&str, Vec<OsString>, i32)> = vec![
        (
            "as",
            vec![
                "check".into(),
                echo.into(),
                proposal.into(),
                "--as".into(),
                "pa\u{1b}[2Ktel\r".into(),
            ],
            1,
        ),
        (
            "date",
            vec![
                "check".into(),
                echo.into(),
                proposal.into(),
                "--date".into(),
                "\u{1b}[2K2026-12-01".into(),
            ],
            2,
        ),
        (
            "unknown_flag",
            vec![
                "check".into(),
                echo.into(),
                proposal.into(),
                "--\u{1b}[2Kas".into(),
            ],
            2,
        ),
        (
            "format_choice",
            vec![
                "validate".into(),
                echo.into(),
                "--format".into(),
                "te\u{1b}[2Kxt".into(),
            ],
            2,
        ),
        ("rule_file_path", vec!["validate".into(), named.into()], 0),
        (
            "proposal_path",
            vec![
                "check".into(),
                echo.into(),
                missing.into(),
                "--as".into(),
                "patel".into(),
            ],
            1,
        ),
    ];
    let mut all = String::new();
    for (name, args, code) in cases {
        let run = mandate_in(&dir.path, &args, None);
        run.expect_code(code).expect_nothing_hidden();
        assert!(
            run.out().contains("\\u{1b}") || run.err().contains("\\u{1b}"),
            "{name}: the escape is not shown:\n{}",
            both(&run)
        );
        all.push_str(&format!("=== {name}\n{}\n", dir.normalise(&both(&run))));
    }
    insta::assert_snapshot!(all);
}
