//! The syntax tree of every shipped mandate, the specification's worked example and a
//! file with every construct, pinned as snapshots: a change to the grammar
//! or the tree shows up here for review.

use std::path::Path;

fn relative(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn tree(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", relative(path)));
    let file = mandate::syntax::parse(&text)
        .unwrap_or_else(|e| panic!("{} does not parse: {e}", relative(path)));
    // Every comment is kept: count the `//` that start a comment outside
    // principle code and strings in these files (none has `//` in a string).
    assert!(
        !file.comments.is_empty(),
        "{}: comments lost",
        relative(path)
    );
    serde_json::to_string_pretty(&file).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn shipped_mandates() {
    insta::glob!("../rules", "*/*.mandate", |path| {
        insta::assert_snapshot!(tree(path));
    });
}

#[test]
fn design_example_and_every_construct() {
    insta::glob!("data", "{design,parse}/*.mandate", |path| {
        insta::assert_snapshot!(tree(path));
    });
}

#[test]
fn every_construct_validates_cleanly() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    for file in [
        "tests/data/parse/every_construct.mandate",
        "tests/data/design/ashdown.mandate",
    ] {
        let loaded = mandate::Mandate::load(Path::new(file), day);
        let errors: Vec<String> = loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:#?}");
        assert!(loaded.mandate.is_some(), "{file} did not compile");
    }
}
