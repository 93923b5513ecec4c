//! The reference model and the random mandates it is tested with.
//!
//! [`model`] is a second, deliberately simple evaluator of DESIGN.md
//! section 4, written from the text alone: it reads the syntax tree and the
//! proposal's JSON and never calls the library's check, logic or topic code.
//! [`generate`] builds random mandates (as source text) and random proposals
//! whose values sit near every literal of the mandate, for
//! `tests/differential.rs` and `tests/properties.rs`.
//!
//! Not every test file uses every item, hence the `dead_code` allowance.
#![allow(dead_code)]

pub mod generate;
pub mod model;
