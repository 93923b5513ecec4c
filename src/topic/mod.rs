//! Topics and topic patterns: the one matcher.
//!
//! Rules, ownership, priorities, the vocabulary and the Rhai helper
//! `has_topic` all decide "does this pattern cover this topic?" here, so the
//! language means the same thing everywhere (the README's "Topics and topic
//! patterns").
//! The `TopicIndex` is only an accelerator for this function and is
//! tested against it. Beside it, `fuzzy`: "did you mean" for topics and
//! every other name, used by `validate` and `check` alike.

// Hidden: tests/limits.rs tests the suggestion limits directly; they are
// public in `limits`.
#[doc(hidden)]
pub mod fuzzy;
mod index;

// Hidden: tests/topic_index.rs tests the index against the matcher.
#[doc(hidden)]
pub use index::TopicIndex;

use serde::{Serialize, Serializer};
use std::fmt;

/// Most dot-separated parts in one topic or topic pattern, in a rule file
/// or a proposal (`interface.outpatients` has two). Each part is a level of
/// the topic index, so the depth is bounded.
pub const MAX_TOPIC_SEGMENTS: usize = 32;

/// A topic pattern as written in a rule file: `*` or a dot-separated path.
///
/// A path pattern matches that topic and every topic below it: `interface`
/// matches `interface` and `interface.outpatients`, but not `interfaces`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TopicPattern {
    /// `*`: every topic.
    Any,
    /// A dot-separated path such as `interface.outpatients`.
    Path(String),
}

impl TopicPattern {
    /// Reads a pattern from its written form (`*` or a path).
    pub fn new(text: &str) -> Self {
        if text == "*" {
            TopicPattern::Any
        } else {
            TopicPattern::Path(text.to_string())
        }
    }

    /// Whether this pattern covers `topic` (the topic itself or one below it).
    pub fn matches(&self, topic: &str) -> bool {
        match self {
            TopicPattern::Any => true,
            TopicPattern::Path(path) => pattern_matches(path, topic),
        }
    }

    /// Whether every topic this pattern matches is also matched by `other`.
    pub fn is_within(&self, other: &TopicPattern) -> bool {
        match (self, other) {
            (_, TopicPattern::Any) => true,
            (TopicPattern::Any, TopicPattern::Path(_)) => false,
            (TopicPattern::Path(inner), TopicPattern::Path(outer)) => pattern_matches(outer, inner),
        }
    }

    /// The written form.
    pub fn as_str(&self) -> &str {
        match self {
            TopicPattern::Any => "*",
            TopicPattern::Path(path) => path,
        }
    }
}

impl fmt::Display for TopicPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TopicPattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Whether the path pattern `pattern` matches `topic`: equal, or `topic`
/// continues `pattern` with a `.`. `*` matches everything.
// Hidden: the fuzz crate's oracle matches topics with it.
#[doc(hidden)]
pub fn pattern_matches(pattern: &str, topic: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match topic.strip_prefix(pattern) {
        Some("") => true,
        Some(rest) => rest.starts_with('.'),
        None => false,
    }
}

/// Whether `text` is a well-formed topic path: identifiers joined by dots.
pub(crate) fn is_topic_path(text: &str) -> bool {
    !text.is_empty() && text.split('.').all(is_identifier)
}

/// Whether `text` is an identifier: `[A-Za-z_][A-Za-z0-9_]*`.
pub(crate) fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_matches_itself_and_what_is_below_it() {
        assert!(pattern_matches("interface", "interface"));
        assert!(pattern_matches("interface", "interface.outpatients"));
        assert!(pattern_matches(
            "interface",
            "interface.outpatients.cardiology"
        ));
        assert!(!pattern_matches("interface", "interfaces"));
        assert!(!pattern_matches("interface.outpatients", "interface"));
        assert!(pattern_matches("*", "anything.at.all"));
    }

    #[test]
    fn within_follows_matching() {
        let broad = TopicPattern::new("funding");
        let narrow = TopicPattern::new("funding.transformation");
        assert!(narrow.is_within(&broad));
        assert!(!broad.is_within(&narrow));
        assert!(broad.is_within(&TopicPattern::Any));
        assert!(!TopicPattern::Any.is_within(&broad));
    }

    #[test]
    fn topic_paths_are_identifiers_joined_by_dots() {
        assert!(is_topic_path("a.b_c.d1"));
        assert!(!is_topic_path("a..b"));
        assert!(!is_topic_path("1a"));
        assert!(!is_topic_path(""));
        assert!(!is_topic_path("a-b"));
    }
}
