//! Every limit the README's "Limits" table documents, in one place.
//!
//! Each constant is defined beside the code that enforces it and
//! re-exported here, so an embedder can size its own inputs (or explain a
//! refusal) without knowing which stage holds which limit. Each is tested
//! at and just past its value (`tests/limits.rs`, `tests/sandbox.rs`,
//! `tests/failures.rs`).

// The rule file and its scripts.
pub use crate::source::MAX_SCRIPT_BYTES;
pub use crate::syntax::{
    MAX_BRACKETS, MAX_DECLARATIONS, MAX_FILE_BYTES, MAX_NESTING, MAX_RULES, MAX_TEXT_CHARS,
};
pub use crate::topic::MAX_TOPIC_SEGMENTS;

// A proposal.
pub use crate::proposal::{MAX_PROPOSAL_BYTES, MAX_PROPOSAL_DEPTH, MAX_TOPICS};

// One check and its decisions.
pub use crate::check::{
    MAX_DECISION_BYTES, MAX_NAMES_IN_A_SENTENCE, MAX_TRACE_ENTRIES, MAX_VALUE_CHARS,
};

// The principles' sandbox.
pub use crate::principles::{
    MAX_ARRAY_SIZE, MAX_CALL_LEVELS, MAX_EXPR_DEPTH, MAX_FN_EXPR_DEPTH, MAX_FUNCTIONS,
    MAX_MAP_SIZE, MAX_STRING_SIZE, MAX_VARIABLES, STEPS_PER_CHECK, STEPS_PER_PRINCIPLE,
    WALL_CLOCK_CEILING,
};

// Messages.
pub use crate::english::MAX_NAMES_LISTED;
pub use crate::topic::fuzzy::{MAX_SUGGESTIONS, MAX_SUGGESTION_CHARS};
pub use crate::validate::MAX_DIAGNOSTICS;
