//! `mandate.sha256` is what the README says it is: recomputable from the
//! files with `{ sha256sum < RULES; sha256sum SCRIPT...; } | sha256sum`.

use sha2::{Digest, Sha256};
use std::path::Path;

/// The README's recipe, written out independently of the library.
fn recipe(folder: &str, rules: &str, scripts: &[&str]) -> String {
    let hash = |path: &str| {
        let bytes =
            std::fs::read(Path::new(folder).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        hex::encode(Sha256::digest(bytes))
    };
    let mut manifest = format!("{}  -\n", hash(rules));
    for script in scripts {
        manifest.push_str(&format!("{}  {script}\n", hash(script)));
    }
    hex::encode(Sha256::digest(manifest.as_bytes()))
}

#[test]
fn decisions_name_the_mandate_by_the_documented_hash() {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let cases = [
        (
            "rules/ashdown",
            "ashdown.mandate",
            &["principles/continuity.rhai", "principles/funded_work.rhai"][..],
        ),
        (
            "rules/brackenmoor",
            "brackenmoor.mandate",
            &["principles/rural_access.rhai"][..],
        ),
    ];
    for (folder, rules, scripts) in cases {
        let loaded = mandate::Mandate::load(&Path::new(folder).join(rules), day);
        let mandate = loaded.mandate.unwrap_or_else(|| panic!("{folder}: errors"));
        assert_eq!(mandate.sha256(), recipe(folder, rules, scripts), "{folder}");
    }
}

#[test]
fn changing_a_script_changes_the_hash() {
    use mandate::source::{Script, Scripts, SourceFile};
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let rules = "group \"g\" { }\nprinciple p \"P\" script \"p.rhai\"\nrepresentative r \"R\" { refer * }\n";
    let hash_with = |code: &str| {
        let mut scripts = Scripts::new();
        scripts.insert(
            "p.rhai".into(),
            Script::Loaded(SourceFile {
                name: "p.rhai".into(),
                text: code.into(),
            }),
        );
        let loaded = mandate::Mandate::from_source(
            SourceFile {
                name: "m.mandate".into(),
                text: rules.into(),
            },
            scripts,
            day,
        );
        loaded
            .mandate
            .map(|m| m.sha256().to_string())
            .unwrap_or_default()
    };
    let a = hash_with("true");
    let b = hash_with("false");
    assert_eq!(a.len(), 64);
    assert_ne!(a, b);
}
