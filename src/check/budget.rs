//! The bounds on one check: how many entries its decisions may list and how
//! much text they may hold.
//!
//! A check is a pure function of its inputs, but its output is a product of
//! them: every rule matching a topic is one trace entry, for every topic,
//! for every representative checked. Within the rule file's and the
//! proposal's own limits that product can reach hundreds of millions of
//! entries; so the entries are counted from the indexes before any
//! condition is evaluated, and the text is counted as it is written, and a
//! check that would go past either bound is refused with
//! [`CheckError::TooManyEntries`] or [`CheckError::TooLarge`] instead of
//! running out of memory.

use super::CheckError;

/// Most entries the decisions of one check may list, counted before any
/// rule is evaluated: for every representative checked, one per topic of
/// the proposal, one per rule matching each topic (rules matched x topics)
/// or per organisation owning it, one per principle and one per priority
/// touched. A check of one proposal for every representative counts them
/// all together.
pub const MAX_TRACE_ENTRIES: usize = 100_000;

/// Most bytes of text the decisions of one check may hold: reasons,
/// obligations, topics, unknown field names, ids and principle reasons,
/// counted as they are written.
pub const MAX_DECISION_BYTES: usize = 16 * 1024 * 1024;

/// Most names one sentence of a decision lists (the topics of a rule, the
/// owners of a topic, the topics passed on to an organisation): past it,
/// "and N more". A rule may name thousands of topics.
pub const MAX_NAMES_IN_A_SENTENCE: usize = 12;

/// Longest proposal value quoted in a sentence of a decision, in
/// characters; past it, "…". One long field must not lengthen every reason.
pub const MAX_VALUE_CHARS: usize = 60;

/// What is left of one check's bounds.
#[derive(Debug)]
pub(super) struct Budget {
    entries: usize,
    bytes: usize,
}

impl Budget {
    pub(super) fn new() -> Self {
        Budget {
            entries: MAX_TRACE_ENTRIES,
            bytes: MAX_DECISION_BYTES,
        }
    }

    /// Takes `count` entries, or says the check lists too many.
    pub(super) fn entries(&mut self, count: usize) -> Result<(), CheckError> {
        match self.entries.checked_sub(count) {
            Some(left) => {
                self.entries = left;
                Ok(())
            }
            None => Err(CheckError::TooManyEntries {
                limit: MAX_TRACE_ENTRIES,
            }),
        }
    }

    /// Takes `count` bytes of text, or says the decisions are too large.
    pub(super) fn bytes(&mut self, count: usize) -> Result<(), CheckError> {
        match self.bytes.checked_sub(count) {
            Some(left) => {
                self.bytes = left;
                Ok(())
            }
            None => Err(CheckError::TooLarge {
                limit: MAX_DECISION_BYTES,
            }),
        }
    }

    /// A copy of `text`, paid for.
    pub(super) fn copy(&mut self, text: &str) -> Result<String, CheckError> {
        self.bytes(text.len())?;
        Ok(text.to_string())
    }

    /// Keeps `sentence` in `list`, paid for.
    pub(super) fn keep(
        &mut self,
        list: &mut Vec<String>,
        sentence: String,
    ) -> Result<(), CheckError> {
        self.bytes(sentence.len())?;
        list.push(sentence);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_up_to_the_limit_and_not_one_more() {
        let mut budget = Budget::new();
        assert!(budget.entries(MAX_TRACE_ENTRIES - 1).is_ok());
        assert!(budget.entries(1).is_ok());
        assert_eq!(
            budget.entries(1),
            Err(CheckError::TooManyEntries {
                limit: MAX_TRACE_ENTRIES
            })
        );
    }

    #[test]
    fn bytes_up_to_the_limit_and_not_one_more() {
        let mut budget = Budget::new();
        assert!(budget.bytes(MAX_DECISION_BYTES - 3).is_ok());
        let mut kept = Vec::new();
        assert!(budget.keep(&mut kept, "abc".into()).is_ok());
        assert_eq!(kept, ["abc"]);
        assert_eq!(
            budget.copy("d"),
            Err(CheckError::TooLarge {
                limit: MAX_DECISION_BYTES
            })
        );
    }
}
