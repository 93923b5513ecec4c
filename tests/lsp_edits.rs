//! Robustness of `mandate lsp` under editing: random edits (insertions of
//! language fragments, quotes, braces, control characters and emoji;
//! deletions of any length) to the shipped mandates, each followed by
//! every kind of request the server answers, at positions inside and past
//! the text. The server must answer each request (never an internal
//! error), publish diagnostics for each change, and shut down cleanly: a
//! panic, a hang or a crash fails the case.
//!
//! The server runs in this process on an in-memory connection, so a case
//! costs the analysis and not a process start. 24 cases by default;
//! `PROPTEST_CASES` raises it.

#[path = "support/lsp_client.rs"]
mod lsp_client;

use lsp_client::InProcess;
use proptest::prelude::*;
use serde_json::json;

/// What an edit inserts: pieces of the language, of Rhai and of trouble.
const PIECES: &[&str] = &[
    "may agree ",
    "may not agree x ",
    "refer ",
    " at \"",
    " when cost <= ",
    "representative z \"Z\" {",
    "principle p \"P\" {",
    "topic a.b \"L\"\n",
    "\"",
    "{",
    "}",
    "(",
    "[",
    "//",
    "/*",
    "`${",
    "\n",
    ",",
    ".",
    "*",
    "\\",
    "2026-02-30",
    "-0.5_",
    "\u{0}\u{1b}[2K",
    "\u{202e}",
    "😀é",
    "\u{feff}",
    "agree",
    "script \"../../etc/passwd\"",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..PIECES.len()).prop_map(|(at, piece)| Edit::Insert(at, piece)),
        (any::<usize>(), 0usize..200).prop_map(|(at, len)| Edit::Delete(at, len)),
    ]
}

/// The char boundary at or before `at % (len + 1)`.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(text: &mut String, edit: &Edit) {
    match edit {
        Edit::Insert(at, piece) => {
            let at = boundary(text, *at);
            text.insert_str(at, PIECES[*piece]);
        }
        Edit::Delete(at, len) => {
            let start = boundary(text, *at);
            let end = boundary(text, start.saturating_add(*len).min(text.len()));
            if end > start {
                text.replace_range(start..end, "");
            }
        }
    }
}

fn mandate_text(name: &str) -> (String, String) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rules")
        .join(name)
        .join(format!("{name}.mandate"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let uri = url::Url::from_file_path(&path)
        .unwrap_or_else(|()| panic!("no file URI for {}", path.display()))
        .to_string();
    (text, uri)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(24),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_edits_never_stop_the_server(
        brackenmoor in any::<bool>(),
        edits in prop::collection::vec(edit(), 1..8),
        spots in prop::collection::vec((0u32..400, 0u32..120), 4),
    ) {
        let (mut text, uri) = mandate_text(if brackenmoor { "brackenmoor" } else { "ashdown" });
        let mut client = InProcess::start();
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "mandate", "version": 1, "text": text}}),
        );
        for (version, edit) in edits.iter().enumerate() {
            apply(&mut text, edit);
            client.notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version + 2}, "contentChanges": [{"text": text}]}),
            );
            let document = json!({"uri": uri});
            let mut ids = Vec::new();
            for &(line, character) in &spots {
                let at = json!({"textDocument": document, "position": {"line": line, "character": character}});
                for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition"] {
                    ids.push((method, client.send(method, at.clone())));
                }
            }
            ids.push(("textDocument/documentSymbol", client.send("textDocument/documentSymbol", json!({"textDocument": document}))));
            ids.push(("textDocument/formatting", client.send(
                "textDocument/formatting",
                json!({"textDocument": document, "options": {"tabSize": 2, "insertSpaces": true}}),
            )));
            for (method, id) in &ids {
                let answer = client.response(id);
                prop_assert!(answer.response_result.is_ok(), "{method} after {edits:?}: {answer:?}");
            }
            // The change's diagnostics come once the changes pause.
            client.diagnostics(&uri);
        }
        client.stop();
    }
}
