//! Any proposal against the Ashdown example alone: the decision
//! invariants of the README's "How a check decides" hold for every representative. A
//! faster, narrower `check_rules` (which checks every example mandate).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandate::{Mandate, Proposal};
use mandate_fuzz::{check_everyone, Ownership};
use std::sync::OnceLock;

fn mandate() -> &'static (Mandate, Ownership) {
    static MANDATE: OnceLock<(Mandate, Ownership)> = OnceLock::new();
    MANDATE.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rules/ashdown/ashdown.mandate");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        match Mandate::load(&path, mandate_fuzz::day()).mandate {
            Some(mandate) => (mandate, Ownership::from_source(&text)),
            None => panic!("the Ashdown example has errors"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(proposal) = Proposal::from_json(text, "fuzz") else {
        return;
    };
    let (mandate, ownership) = mandate();
    check_everyone(mandate, ownership, &proposal);
});
