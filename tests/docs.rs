//! The project's own documents name only what the project has: every file
//! or folder path they mention (in backticks or as a link) exists in the
//! tree, and none sends a reader to a document the project does not
//! contain.

use std::path::Path;

const DOCUMENTS: &[&str] = &[
    "README.md",
    "ARCHITECTURE.md",
    "FUZZING.md",
    "BENCHMARKS.md",
    "peer/README.md",
];

/// Paths in `text`: backticked words and link targets that look like a
/// path inside the project (a folder separator or a known extension), not
/// patterns or placeholders.
fn paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (i, piece) in text.split('`').enumerate() {
        if i % 2 == 1 {
            found.push(piece.to_string());
        }
    }
    for piece in text.split("](").skip(1) {
        if let Some(end) = piece.find(')') {
            found.push(piece[..end].to_string());
        }
    }
    found
        .into_iter()
        .filter(|p| !p.contains(char::is_whitespace))
        .filter(|p| !p.starts_with("http") && !p.starts_with('#') && !p.starts_with('/'))
        .filter(|p| !p.contains(['*', '<', '>', '{', '}', '$', '|', '=', '"', '\'']))
        .filter(|p| !p.contains("..."))
        .filter(|p| {
            let known = [
                ".md", ".rs", ".mandate", ".rhai", ".json", ".toml", ".pest", ".sh",
            ];
            (p.contains('/') && !p.contains("::")) || known.iter().any(|e| p.ends_with(e))
        })
        .map(|p| {
            p.split('#')
                .next()
                .unwrap_or_default()
                .trim_end_matches(':')
                .to_string()
        })
        .collect()
}

#[test]
fn documents_name_only_files_the_project_has() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    let mut checked = 0;
    for doc in DOCUMENTS {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        for path in paths(&text) {
            // A path from the project's root (its first folder is one of
            // the root's), a module path inside `src/` (`check/logic.rs`),
            // or a document at the root. Bare file names are read in their
            // sentence's context, and `target/` and the fuzz corpora are
            // written by the tools.
            let first = path.split('/').next().unwrap_or_default();
            let at = if path.contains('/') && root.join(first).is_dir() && first != "target" {
                root.join(&path)
            } else if path.ends_with(".rs") && root.join("src").join(first).is_dir() {
                root.join("src").join(&path)
            } else if !path.contains('/') && path.ends_with(".md") {
                root.join(&path)
            } else {
                continue;
            };
            let written = [
                "fuzz/corpus",
                "fuzz/artifacts",
                "fuzz/logs",
                "fuzz/coverage",
                "fuzz/target",
            ];
            if written.iter().any(|w| path.starts_with(w)) {
                continue;
            }
            checked += 1;
            // A document in a folder (`peer/README.md`) may also name
            // paths from its own folder.
            let own = Path::new(doc)
                .parent()
                .map(|folder| root.join(folder).join(&path));
            if !at.exists() && !own.is_some_and(|own| own.exists()) {
                missing.push(format!("{doc}: `{path}`"));
            }
        }
        assert!(
            !text.contains("DESIGN.md"),
            "{doc} names DESIGN.md, which the project does not have"
        );
    }
    assert!(
        checked > 20,
        "only {checked} paths found: the scan is broken"
    );
    assert!(
        missing.is_empty(),
        "paths the project does not have:\n{}",
        missing.join("\n")
    );
}
