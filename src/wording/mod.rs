//! Facts, rules and conditions in plain English.

// The check calls these once the lead wires faults into its reasons.
#[cfg_attr(not(test), allow(dead_code))]
pub(crate) mod fault;
