//! The TextMate grammar in `editors/`: the copy inside the VS Code
//! extension is the same file, and, through `editors/test/tokenize.mjs`
//! (vscode-textmate on vscode-oniguruma, the engine VS Code uses), every
//! mandate in `rules/` tokenises with no text left without a scope of its
//! own, and the scopes of `rules/ashdown/ashdown.mandate` (every kind of
//! item, an inline principle with nested braces, a back-tick string and a
//! block comment) are held by a snapshot.
//!
//! Without node or the npm modules (`.ci/editor-setup` installs them), the
//! tests that need them say loudly on stderr that they did not run and
//! pass; with `CI=true` they fail.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_extension_holds_the_same_grammar() {
    let grammar = std::fs::read(root().join("editors/mandate.tmLanguage.json")).unwrap();
    let copy =
        std::fs::read(root().join("editors/vscode/syntaxes/mandate.tmLanguage.json")).unwrap();
    assert!(
        grammar == copy,
        "editors/vscode/syntaxes/mandate.tmLanguage.json differs from editors/mandate.tmLanguage.json: \
         copy the grammar into the extension"
    );
    let json: serde_json::Value = serde_json::from_slice(&grammar).unwrap();
    assert_eq!(json["scopeName"], "source.mandate");
    assert_eq!(json["fileTypes"], serde_json::json!(["mandate"]));
}

/// `node editors/test/tokenize.mjs ARGS`, or `None` (having said why) when
/// node or the modules are missing outside CI.
fn tokenize(test: &str, args: &[&str]) -> Option<Output> {
    let modules = root().join("editors/test/node_modules");
    let mut missing = Vec::new();
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|out| out.status.success()) {
        missing.push("node (not on PATH)".to_string());
    }
    for module in ["vscode-textmate", "vscode-oniguruma"] {
        if !modules.join(module).join("package.json").is_file() {
            missing.push(format!("{module} ({})", modules.join(module).display()));
        }
    }
    if !missing.is_empty() {
        let message = format!(
            "the grammar test `{test}` did NOT run: missing {}. \
             Run `.ci/editor-setup` (npm ci in editors/test), then `cargo test --test textmate`.",
            missing.join(", ")
        );
        assert!(
            !std::env::var("CI").is_ok_and(|v| v == "true"),
            "CI=true and {message}"
        );
        // Straight to the stream: the harness captures what a passing test
        // prints, and this must be seen.
        let bar = "!".repeat(72);
        let _ = writeln!(std::io::stderr(), "\n{bar}\n!!! {message}\n{bar}\n");
        return None;
    }
    let output = Command::new("node")
        .arg("editors/test/tokenize.mjs")
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    Some(output)
}

fn mandates(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            mandates(&path, found);
        } else if path.extension().is_some_and(|e| e == "mandate") {
            found.push(path);
        }
    }
}

#[test]
fn every_shipped_mandate_tokenises() {
    let Some(output) = tokenize("every_shipped_mandate_tokenises", &[]) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "tokenize.mjs failed:\n{stderr}");
    let mut found = Vec::new();
    mandates(&root().join("rules"), &mut found);
    assert!(!found.is_empty(), "no mandate under rules/");
    for path in found {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        assert!(
            stderr
                .lines()
                .any(|line| line.starts_with(&format!("{name}: ")) && line.ends_with(" lines, ok")),
            "{name} was not tokenised:\n{stderr}"
        );
    }
}

#[test]
fn ashdown_scopes() {
    let file = "rules/ashdown/ashdown.mandate";
    let Some(output) = tokenize("ashdown_scopes", &["--show", file, file]) else {
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "tokenize.mjs failed:\n{stderr}");
    let shown = String::from_utf8(output.stdout).unwrap();
    // The kinds of token the snapshot must hold, so that a snapshot
    // accepted by mistake still fails.
    for expected in [
        r#""//" => comment.line.double-slash.mandate punctuation.definition.comment.mandate"#,
        r#""group" => keyword.other.group.mandate"#,
        r#""2026-04-01" => constant.other.date.mandate"#,
        r#""50_000" => meta.condition.mandate constant.numeric.mandate"#,
        r#""interface.outpatients" => entity.name.type.topic.mandate"#,
        r#""cost" => meta.condition.mandate variable.other.field.mandate"#,
        r#""<=" => meta.condition.mandate keyword.operator.comparison.mandate"#,
        r#""blocking" => meta.principle.mandate storage.modifier.severity.blocking.mandate"#,
        "meta.embedded.block.rhai source.rhai storage.type.let.rhai",
        "meta.embedded.block.rhai source.rhai comment.block.rhai",
        "meta.embedded.block.rhai source.rhai meta.block.rhai string.interpolated.rhai",
        r#""}" => meta.principle.mandate meta.embedded.block.rhai punctuation.section.embedded.end.mandate"#,
    ] {
        assert!(shown.contains(expected), "no `{expected}` in:\n{shown}");
    }
    insta::assert_snapshot!(shown);
}
