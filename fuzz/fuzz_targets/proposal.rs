//! Any bytes as a proposal: read or refused, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(proposal) = mandate::Proposal::from_json(text, "fuzz") {
            assert!(!proposal.topics.is_empty());
        }
    }
});
