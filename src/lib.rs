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
//! # The embedding API, by task
//!
//! **Load** a mandate once: [`Mandate::load`] reads a rule file and the
//! principle scripts it names; [`Mandate::from_source`] takes the texts
//! instead (a [`SourceFile`] and its [`Scripts`]), for an editor or a
//! server that holds them. Both give a [`Loaded`]: the mandate when there
//! are no errors, and every [`Diagnostic`] (with its [`Level`]) as plain
//! data, serializable both ways; [`Diagnostic::render`] draws one for a
//! terminal. A [`Mandate`] is `Send + Sync`: share it with `Arc`.
//!
//! **Check** proposals: read one with [`Proposal::from_json`] (a
//! [`ProposalError`] names the line and says what to fix), then
//! [`Mandate::check`] for one representative, [`Mandate::check_all`] for
//! every one (the principles evaluated once), or [`Mandate::check_each`]
//! for several proposals and whomever a [`Whom`] says, giving a
//! [`Checked`] (or a [`RequestError`] naming the proposal). A check that
//! cannot run says why in a [`CheckError`].
//!
//! **Read the decision**: a [`Decision`] is plain serde data (the README's
//! "The decision JSON"), serializable both ways: its [`Outcome`], one
//! [`TopicDecision`] per topic with each rule's [`RuleTrace`] or the
//! topic's [`Owner`](check::Owner)s, the representative's [`Gate`]s, each
//! principle's [`PrincipleResult`](check::PrincipleResult), the reasons and
//! obligations in plain English, and the [`MandateRef`](check::MandateRef)
//! that made it.
//!
//! **Render**: [`report::text`] (the plain-English report),
//! [`report::json`] and [`Checked::to_json`] (the JSON exactly as the
//! command prints it), [`report::summary`] (one line per decision, for an
//! agenda); [`wording::rule`] and [`wording::condition`] word a rule or a
//! condition with no proposal; [`brief`] builds and renders a
//! representative's brief; [`diff`] says what changed between two
//! mandates; [`testing`] runs a mandate's test cases; [`visible`] makes
//! control characters visible in anything echoed to a terminal.
//!
//! **Lay out** a rule file: [`format::format`] gives its canonical layout
//! (every token and comment kept, the meaning proved unchanged), and
//! [`format::write_atomically`] replaces a file without ever leaving half
//! of one; [`syntax::cst`] is the concrete tree it reads.
//!
//! **Analyse** a mandate: [`analysis::analyze`] proves where two
//! representatives would answer the same proposal agree and decline (or
//! agree and refer), each finding with an example the check confirms, and
//! finds gaps and dead rules; [`wording::analysis::lines`] words it.
//!
//! **Record** decisions: [`record::append`] chains [`record::Draft`]s
//! into a record file nobody can edit unseen; [`record::verify_text`]
//! checks one.
//!
//! **Serve** a page and the JSON API: [`serve::router`] with
//! [`serve::Options`], then [`serve::serve`] (what `mandate serve` runs).
//!
//! **Read a mandate or a rule file**: the compiled mandate is a read-only
//! view ([`Mandate::representatives`], [`compile::Representative`],
//! [`compile::Rule`], [`Mandate::organisations`], [`Mandate::principles`],
//! [`Mandate::priorities`], [`Mandate::vocabulary`]), and
//! [`syntax::parse`] gives the syntax tree ([`syntax::ast`]) with every
//! statement and its span. [`syntax::meaning`] and [`Mandate::meaning`]
//! compare two of them apart from layout. [`limits`] lists every limit the
//! README documents.
//!
//! Anything public but hidden from these pages is there only for this
//! crate's own tests, benchmarks, fuzz targets and command, and may change
//! without notice.
//!
//! # The stages
//!
//! In the order data flows through them (see ARCHITECTURE.md):
//! [`syntax`] → [`source`] → `validate` → [`compile`] (with `principles`)
//! → [`check`] → [`wording`] → [`report`].
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

pub mod analysis;
pub mod brief;
pub mod check;
pub mod compile;
pub mod diagnostic;
pub mod diff;
mod english;
pub mod format;
pub mod limits;
pub mod lsp;
// Hidden: tests/sandbox.rs, benches/principles.rs and the fuzz crate
// drive the sandbox directly; its limits are public in `limits`.
#[doc(hidden)]
pub mod principles;
pub mod proposal;
pub mod record;
pub mod report;
pub mod serve;
pub mod source;
mod span;
pub mod syntax;
pub mod testing;
pub mod topic;
mod validate;
pub mod visible;
pub mod wording;

pub use check::{
    CheckError, Checked, DateSource, Decision, DecisionFacts, Gate, Outcome, PrincipleOutcome,
    RequestError, RuleTrace, Sentences, TopicDecision, TopicFacts, Whom,
};
pub use compile::{Loaded, Mandate};
pub use diagnostic::{Diagnostic, Level};
pub use proposal::{Proposal, ProposalError};
pub use source::{Scripts, SourceFile};
