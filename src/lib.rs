//! `mandate`: tells a representative, before a meeting, what they may agree
//! to on behalf of the group that sent them.
//!
//! A local GP leadership group writes a `.mandate` file: what each
//! representative may and may not agree to, the shared principles every
//! decision must respect (as sandboxed Rhai), its priorities, and which
//! topics belong to a member organisation instead. This library reads that
//! file into a [`Mandate`] once, then checks proposals against it, each
//! check giving a [`Decision`]: `agree`, `refer`, `redirect` or `decline`,
//! with a rule trace and reasons in plain English.
//!
//! ```no_run
//! use mandate::{Mandate, Proposal};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).ok_or("date")?;
//! let loaded = Mandate::load(std::path::Path::new("rules/ashdown/ashdown.mandate"), day);
//! let mandate = loaded.mandate.ok_or("the mandate has errors")?;
//! let proposal = Proposal::from_json(
//!     r#"{"title": "A and G pilot", "topics": ["interface.outpatients"], "cost": 30000}"#,
//!     "pilot",
//! )?;
//! let decision = mandate.check(&proposal, "patel", day)?;
//! println!("{}", decision.outcome.as_str());
//! # Ok(()) }
//! ```
//!
//! The stages, in the order data flows through them (see ARCHITECTURE.md):
//! [`syntax`] → [`source`] → [`validate`] → [`compile`] (with
//! [`principles`]) → [`check`] → [`report`].
#![forbid(unsafe_code)]
// Nothing a user controls may make the engine panic: no unwrap, expect,
// panic or unchecked indexing outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![warn(missing_docs)]

pub mod check;
pub mod compile;
pub mod diagnostic;
mod english;
pub mod principles;
pub mod proposal;
pub mod report;
pub mod source;
pub mod span;
pub mod syntax;
pub mod topic;
pub mod validate;
pub mod visible;
pub mod wording;

pub use check::{CheckError, Decision, Outcome};
pub use compile::{Loaded, Mandate};
pub use diagnostic::{Diagnostic, Level};
pub use proposal::{Proposal, ProposalError};
