//! The topic index: from a topic to the entries whose patterns can match it,
//! without scanning every entry.
//!
//! A trie keyed by topic segment. An entry registered under pattern
//! `interface` sits at node `interface`; looking up
//! `interface.outpatients.cardiology` walks three nodes and collects what
//! sits on each, plus the entries registered under `*`. Cost: one hash
//! lookup per segment of the topic, whatever the number of rules. It must
//! agree exactly with [`crate::topic::TopicPattern::matches`]; a property
//! test checks that.

use super::TopicPattern;
use std::collections::HashMap;

/// Maps topics to the entries (indices) whose patterns match them.
#[derive(Debug, Clone, Default)]
pub struct TopicIndex {
    root: Node,
}

#[derive(Debug, Clone, Default)]
struct Node {
    entries: Vec<usize>,
    children: HashMap<String, Node>,
}

impl TopicIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `entry` under `pattern`.
    pub fn insert(&mut self, pattern: &TopicPattern, entry: usize) {
        let mut node = &mut self.root;
        if let TopicPattern::Path(path) = pattern {
            for segment in path.split('.') {
                node = node.children.entry(segment.to_string()).or_default();
            }
        }
        if node.entries.last() != Some(&entry) {
            node.entries.push(entry);
        }
    }

    /// Every entry with a pattern that matches `topic`, sorted and without
    /// repeats.
    pub fn lookup(&self, topic: &str) -> Vec<usize> {
        let mut found: Vec<usize> = self.root.entries.clone();
        let mut node = &self.root;
        for segment in topic.split('.') {
            match node.children.get(segment) {
                Some(child) => {
                    found.extend_from_slice(&child.entries);
                    node = child;
                }
                None => break,
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_patterns_at_and_above_the_topic() {
        let mut index = TopicIndex::new();
        index.insert(&TopicPattern::new("interface"), 0);
        index.insert(&TopicPattern::new("interface.outpatients"), 1);
        index.insert(&TopicPattern::new("funding"), 2);
        index.insert(&TopicPattern::new("*"), 3);
        assert_eq!(
            index.lookup("interface.outpatients.cardiology"),
            vec![0, 1, 3]
        );
        assert_eq!(index.lookup("interface"), vec![0, 3]);
        assert_eq!(index.lookup("interfaces"), vec![3]);
        assert_eq!(index.lookup("funding.transformation"), vec![2, 3]);
    }
}
