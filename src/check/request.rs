//! Checking several proposals for several representatives at once, and the
//! one rule for the shape of the answer: one decision object when one
//! proposal is checked for one named representative, otherwise a list. The
//! CLI, `serve` and any embedder use this, so they give the same JSON.

use super::{CheckError, Decision};
use crate::compile::Mandate;
use crate::proposal::Proposal;
use chrono::NaiveDate;

/// Whom each proposal is checked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whom {
    /// The representative the proposal names (its `representative` key), or
    /// every representative when it names none.
    AsProposed,
    /// These representatives, in the order given (each once), whatever the
    /// proposal names.
    Named(Vec<String>),
    /// Every representative, in file order, whatever the proposal names.
    All,
}

/// The decisions of one request: proposals in the order given, and for
/// each its representatives (in the order named, or file order).
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// Every decision, proposal by proposal.
    pub decisions: Vec<Decision>,
    /// Whether the request was for one proposal and one named
    /// representative: its JSON is then one object, not a list.
    pub single: bool,
    /// For each decision, the index of the proposal (in the order given)
    /// it is for.
    pub proposal_of: Vec<usize>,
}

/// A request that could not be checked: which proposal, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("proposal `{proposal}`: {error}")]
pub struct RequestError {
    /// The id of the proposal that could not be checked.
    pub proposal: String,
    /// Why.
    pub error: CheckError,
}

impl Checked {
    /// The decisions as JSON: one object for a single decision (see
    /// [`Checked::single`]), else an array. Deterministic: the same
    /// decisions give byte-identical text.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        decisions_json(&self.decisions, self.single)
    }
}

/// The one-object-or-array rule: one object when `single` and there is
/// exactly one decision, else an array.
pub(crate) fn decisions_json(
    decisions: &[Decision],
    single: bool,
) -> Result<String, serde_json::Error> {
    match (single, decisions) {
        (true, [one]) => serde_json::to_string_pretty(one),
        _ => serde_json::to_string_pretty(decisions),
    }
}

impl Mandate {
    /// Checks each proposal for `whom` on `date` (the day of the check; a
    /// proposal's own `date` wins). Stops at the first proposal that cannot
    /// be checked.
    pub fn check_each(
        &self,
        proposals: &[Proposal],
        whom: &Whom,
        date: NaiveDate,
    ) -> Result<Checked, RequestError> {
        let mut decisions = Vec::new();
        let mut proposal_of = Vec::new();
        for (index, proposal) in proposals.iter().enumerate() {
            let failed = |error| RequestError {
                proposal: proposal.id.clone(),
                error,
            };
            match whom {
                Whom::All => decisions.extend(self.check_all(proposal, date).map_err(failed)?),
                Whom::AsProposed => match &proposal.representative {
                    Some(id) => decisions.push(self.check(proposal, id, date).map_err(failed)?),
                    None => decisions.extend(self.check_all(proposal, date).map_err(failed)?),
                },
                Whom::Named(ids) => {
                    let mut seen = std::collections::HashSet::new();
                    for id in ids.iter().filter(|id| seen.insert(id.as_str())) {
                        decisions.push(self.check(proposal, id, date).map_err(failed)?);
                    }
                }
            }
            proposal_of.resize(decisions.len(), index);
        }
        let single = match (proposals, whom) {
            ([_], Whom::Named(ids)) => {
                ids.iter().collect::<std::collections::HashSet<_>>().len() == 1
            }
            ([only], Whom::AsProposed) => only.representative.is_some(),
            _ => false,
        };
        Ok(Checked {
            decisions,
            single,
            proposal_of,
        })
    }
}
