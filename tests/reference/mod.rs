//! The reference model and the random mandates it is tested with.
//!
//! [`model`] is a second, deliberately simple evaluator of the README's
//! "How a check decides", written from the text alone: it reads the syntax tree and the
//! proposal's JSON and never calls the library's check, logic or topic code.
//! [`generate`] builds random mandates (as source text) and random proposals
//! whose values sit near every literal of the mandate, for
//! `tests/differential.rs` and `tests/properties.rs`.
//!
//! Not every test file uses every item, hence the `dead_code` allowance.
#![allow(dead_code)]

pub mod generate;
pub mod model;

use proptest::test_runner::Config as ProptestConfig;

/// 256 cases unless `PROPTEST_CASES` says otherwise.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(256)
}

/// The proptest settings of the differential and property tests. Failures
/// are kept by hand as data cases, not in a regressions file.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
