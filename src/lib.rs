//! `mandate`: tells a representative, before a meeting, what they may agree
//! to on behalf of the group that sent them.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod syntax;
pub mod topic;
pub mod diagnostic;
pub mod principles;
pub mod source;
pub mod validate;
pub mod compile;

pub use compile::{Loaded, Mandate};
pub use diagnostic::{Diagnostic, Level};
pub mod check;
pub mod proposal;

pub use check::{CheckError, Decision, Outcome};
pub use proposal::{Proposal, ProposalError};
pub mod report;
