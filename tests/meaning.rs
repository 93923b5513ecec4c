//! Meaning-equality of the syntax tree and of the compiled mandate.
//!
//! `tests/data/meaning/base.mandate` is compared with every other file
//! there: each `same_*` file is the base re-laid-out (whitespace, comments,
//! lines moved, statements regrouped, redundant parentheses) and must mean
//! the same, both as a syntax tree and compiled; each `differ_*` file
//! changes one thing (a number, a topic, an effect, the order of two
//! rules...) and must not. A property test does the same for random
//! mandates from `tests/reference/generate.rs`.

mod reference;

use mandate::syntax::ast::MandateFile;
use mandate::Mandate;
use proptest::prelude::*;
use proptest::sample::Index;
use reference::generate::{self, Eff, MandateSpec};
use std::path::{Path, PathBuf};

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/meaning")
}

/// The file's text, syntax tree and compiled mandate.
fn load(path: &Path) -> (String, MandateFile, Mandate) {
    let name = path.display();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let file = mandate::syntax::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mandate = generate::compile(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
    (text, file, mandate)
}

/// The files of the folder whose names start with `prefix`.
fn cases(prefix: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(folder())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".mandate"))
        })
        .collect();
    out.sort();
    assert!(out.len() >= 3, "too few {prefix}* cases in {:?}", folder());
    out
}

#[test]
fn a_re_laid_out_file_means_the_same() {
    let (base_text, base, base_mandate) = load(&folder().join("base.mandate"));
    for path in cases("same_") {
        let (text, file, mandate) = load(&path);
        let name = path.display();
        assert_ne!(text, base_text, "{name} is the base itself");
        assert_eq!(file.meaning(), base.meaning(), "{name}: syntax tree");
        assert!(file.same_meaning(&base), "{name}");
        assert_eq!(
            mandate.meaning(),
            base_mandate.meaning(),
            "{name}: compiled"
        );
        assert!(mandate.same_meaning(&base_mandate), "{name}");
    }
}

#[test]
fn one_change_is_a_different_meaning() {
    let (_, base, base_mandate) = load(&folder().join("base.mandate"));
    for path in cases("differ_") {
        let (_, file, mandate) = load(&path);
        let name = path.display();
        assert_ne!(file.meaning(), base.meaning(), "{name}: syntax tree");
        assert!(!file.same_meaning(&base), "{name}");
        assert_ne!(
            mandate.meaning(),
            base_mandate.meaning(),
            "{name}: compiled"
        );
        assert!(!mandate.same_meaning(&base_mandate), "{name}");
    }
}

/// What a diff needs: two swapped rules are each found unchanged, at
/// another place, by their meaning.
#[test]
fn a_moved_rule_is_found_by_its_meaning() {
    let (_, base, base_mandate) = load(&folder().join("base.mandate"));
    let (_, moved, moved_mandate) = load(&folder().join("differ_rule_order.mandate"));
    let rules = |m: &Mandate| -> Vec<_> {
        m.representatives()[0]
            .rules
            .iter()
            .map(|r| (r.meaning(), r.line))
            .collect()
    };
    let before = rules(&base_mandate);
    let after = rules(&moved_mandate);
    let mut moved_rules = 0;
    for (meaning, line) in &before {
        let (_, new_line) = after
            .iter()
            .find(|(m, _)| m == meaning)
            .unwrap_or_else(|| panic!("the rule on line {line} was changed, not moved"));
        moved_rules += usize::from(new_line != line);
    }
    assert_eq!(moved_rules, 2);
    // The syntax tree says the same.
    let tree_rules = |f: &MandateFile| -> Vec<_> { f.meaning().representatives[0].rules.clone() };
    let (a, b) = (tree_rules(&base), tree_rules(&moved));
    assert!(a.iter().all(|r| b.contains(r)) && a != b);
}

/// A generated rule file re-laid-out line by line: indentation, blank
/// lines, comment lines and comments at the ends of lines, chosen by
/// `layout`. Principle code and the line that opens it are left alone (a
/// comment there would be Rhai's).
fn relay(text: &str, layout: &[(u8, u8, bool)]) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for (n, line) in text.lines().enumerate() {
        let (indent, before, trailing) = layout[n % layout.len()];
        if in_code {
            out.push_str(line);
            out.push('\n');
            in_code = line != "}";
            continue;
        }
        match before {
            1 => out.push('\n'),
            2 => out.push_str("   // a note\n\n"),
            _ => {}
        }
        out.push_str(["", "  ", "\t", "      "][usize::from(indent % 4)]);
        out.push_str(line.trim_start());
        let opens_code = line.starts_with("principle ");
        if trailing && !opens_code {
            out.push_str("   // why");
        }
        out.push('\n');
        in_code = opens_code;
    }
    out
}

/// `spec` with the effect of one rule (the `pick`ed one) changed.
fn change_effect(spec: &MandateSpec, pick: &Index) -> MandateSpec {
    let mut changed = spec.clone();
    let rules: usize = changed.representatives.iter().map(|r| r.rules.len()).sum();
    let mut which = pick.index(rules);
    for rep in &mut changed.representatives {
        if let Some(rule) = rep.rules.get_mut(which) {
            rule.effect = match rule.effect {
                Eff::Grant => Eff::Forbid,
                Eff::Forbid => Eff::Refer,
                Eff::Refer => Eff::Grant,
            };
            break;
        }
        which -= rep.rules.len();
    }
    changed
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..reference::config() })]

    #[test]
    fn layout_never_changes_meaning_and_an_effect_always_does(
        spec in generate::mandate(),
        layout in proptest::collection::vec((0u8..4, 0u8..3, any::<bool>()), 1..16),
        pick in any::<Index>(),
    ) {
        let text = spec.render();
        let relaid = relay(&text, &layout);
        let file = mandate::syntax::parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let other = mandate::syntax::parse(&relaid).map_err(|e| TestCaseError::fail(format!("{e}\n{relaid}")))?;
        prop_assert_eq!(file.meaning(), other.meaning(), "{}", relaid);
        let changed_text = change_effect(&spec, &pick).render();
        let changed = mandate::syntax::parse(&changed_text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(!file.same_meaning(&changed));
        if let (Ok(a), Ok(b), Ok(c)) = (
            generate::compile(&text),
            generate::compile(&relaid),
            generate::compile(&changed_text),
        ) {
            prop_assert_eq!(a.meaning(), b.meaning());
            prop_assert!(!a.same_meaning(&c));
        }
    }
}
