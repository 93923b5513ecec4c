//! Any proposal (JSON text) against every example mandate in `rules/`
//! (and the clause-by-clause test mandate), for every representative: the
//! decision invariants of the README's "How a check decides" hold (see
//! `mandate_fuzz::assert_decision`), and the same input twice gives
//! byte-identical JSON. A proposal that is refused says where and what to
//! write instead.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandate::{Mandate, Proposal};
use mandate_fuzz::{check_everyone, Ownership};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The mandates, loaded once: `rules/*/*.mandate` and the clause mandate.
fn mandates() -> &'static [(PathBuf, Mandate, Ownership)] {
    static MANDATES: OnceLock<Vec<(PathBuf, Mandate, Ownership)>> = OnceLock::new();
    MANDATES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut paths = vec![root.join("tests/data/proposals/clauses/clauses.mandate")];
        let folders =
            std::fs::read_dir(root.join("rules")).unwrap_or_else(|e| panic!("rules/: {e}"));
        for folder in folders.flatten() {
            for file in std::fs::read_dir(folder.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if file.path().extension().is_some_and(|e| e == "mandate") {
                    paths.push(file.path());
                }
            }
        }
        paths.sort();
        assert!(paths.len() >= 3, "expected the example mandates in rules/");
        paths
            .into_iter()
            .map(|path| {
                let loaded = Mandate::load(&path, mandate_fuzz::day());
                let Some(mandate) = loaded.mandate else {
                    panic!("{} has errors: {:#?}", path.display(), loaded.diagnostics);
                };
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                (path, mandate, Ownership::from_source(&text))
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let proposal = match Proposal::from_json(text, "fuzz") {
        Ok(proposal) => proposal,
        Err(error) => {
            assert!(!error.to_string().is_empty());
            assert!(!error.help().is_empty());
            // serde_json counts the empty line after a final newline.
            assert!(
                error.line() <= text.split('\n').count(),
                "a proposal error past the last line: {error}"
            );
            return;
        }
    };
    assert!(!proposal.topics.is_empty(), "a proposal has topics");
    for (_, mandate, ownership) in mandates() {
        // `check_everyone` checks once for all representatives, then once
        // per representative (evaluating the principles afresh), and
        // compares the JSON byte for byte.
        check_everyone(mandate, ownership, &proposal);
    }
});
