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

/// Maps topics to the entries (indices) whose patterns match them.
#[derive(Debug, Clone, Default)]
pub struct TopicIndex {
    root: Node,
    /// How many nodes there are besides the root: the next node's id.
    nodes: usize,
}

#[derive(Debug, Clone, Default)]
struct Node {
    /// 0 for the root, then 1, 2, ... in the order the nodes were made.
    id: usize,
    entries: Vec<usize>,
    /// Keyed by a segment: hashed with FxHash, not SipHash (the keys are
    /// the file's own topic segments; a lookup hashes each segment of a
    /// proposal topic, on every check).
    children: rustc_hash::FxHashMap<String, Node>,
}

impl TopicIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `entry` under `pattern`.
    pub fn insert(&mut self, pattern: &TopicPattern, entry: usize) {
        let TopicIndex { root, nodes } = self;
        let mut node = root;
        if let TopicPattern::Path(path) = pattern {
            for segment in path.split('.') {
                node = node.children.entry(segment.to_string()).or_insert_with(|| {
                    *nodes += 1;
                    Node {
                        id: *nodes,
                        ..Node::default()
                    }
                });
            }
        }
        if node.entries.last() != Some(&entry) {
            node.entries.push(entry);
        }
    }

    /// Whether some entry's pattern matches `topic`: one hash lookup per
    /// segment, however many entries there are.
    pub fn matches_any(&self, topic: &str) -> bool {
        let mut node = &self.root;
        if !node.entries.is_empty() {
            return true;
        }
        for segment in topic.split('.') {
            match node.children.get(segment) {
                Some(child) if !child.entries.is_empty() => return true,
                Some(child) => node = child,
                None => return false,
            }
        }
        false
    }

    /// How many entries [`TopicIndex::lookup`] would give for `topic`, at
    /// most (an entry registered under two patterns on the path counts
    /// twice): the cost of a lookup, known before it is paid.
    pub fn count_at_most(&self, topic: &str) -> usize {
        let mut node = &self.root;
        let mut count = node.entries.len();
        for segment in topic.split('.') {
            match node.children.get(segment) {
                Some(child) => {
                    count += child.entries.len();
                    node = child;
                }
                None => break,
            }
        }
        count
    }

    /// Every entry with a pattern that matches at least one of `topics`,
    /// sorted and without repeats. Each node's entries are read once,
    /// however many of the topics pass through it (a thousand topics and
    /// a thousand `*` entries cost two thousand steps, not a million).
    pub fn lookup_any<'t>(&self, topics: impl IntoIterator<Item = &'t str>) -> Vec<usize> {
        let mut found: Vec<usize> = self.root.entries.clone();
        let mut visited = std::collections::HashSet::new();
        for topic in topics {
            let mut node = &self.root;
            for segment in topic.split('.') {
                match node.children.get(segment) {
                    Some(child) => {
                        // A node another topic passed through is found already.
                        if visited.insert(child.id) {
                            found.extend_from_slice(&child.entries);
                        }
                        node = child;
                    }
                    None => break,
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Every entry with a pattern that matches `topic`, smallest first and
    /// without repeats, found one at a time: a caller that stops at the
    /// first entry that suits it pays for the entries it looked at, not for
    /// all of them (a thousand forbids of one topic cost a grant one step,
    /// where [`TopicIndex::lookup`] would gather and sort the thousand).
    /// Entries come out in order when each pattern's entries were inserted
    /// in increasing order, as every caller does.
    pub fn lookup_in_order<'s>(&'s self, topic: &str) -> impl Iterator<Item = usize> + 's {
        let mut lists: Vec<&'s [usize]> = vec![self.root.entries.as_slice()];
        let mut node = &self.root;
        for segment in topic.split('.') {
            match node.children.get(segment) {
                Some(child) => {
                    lists.push(child.entries.as_slice());
                    node = child;
                }
                None => break,
            }
        }
        // One list per node on the path (at most one per segment, plus
        // the root): each step takes the smallest head among them.
        std::iter::from_fn(move || {
            let smallest = lists.iter().filter_map(|l| l.first()).min().copied()?;
            for list in &mut lists {
                while list.first() == Some(&smallest) {
                    *list = list.get(1..).unwrap_or(&[]);
                }
            }
            Some(smallest)
        })
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
        assert!(index.matches_any("interfaces"));
        assert_eq!(
            index.lookup_any(["interface.outpatients", "funding", "interface"]),
            vec![0, 1, 2, 3]
        );
        assert_eq!(index.lookup_any(["estates"]), vec![3]);
        assert_eq!(index.count_at_most("interface.outpatients"), 3);
        for topic in [
            "interface.outpatients.cardiology",
            "interface",
            "interfaces",
            "funding",
        ] {
            let in_order: Vec<usize> = index.lookup_in_order(topic).collect();
            assert_eq!(in_order, index.lookup(topic), "{topic}");
        }
    }

    #[test]
    fn in_order_lookup_merges_the_nodes_on_the_path() {
        let mut index = TopicIndex::new();
        for (i, pattern) in ["a", "*", "a.b", "a", "a.b", "c", "*"].iter().enumerate() {
            index.insert(&TopicPattern::new(pattern), i);
        }
        index.insert(&TopicPattern::new("a.b"), 6);
        let found: Vec<usize> = index.lookup_in_order("a.b.c").collect();
        assert_eq!(found, vec![0, 1, 2, 3, 4, 6]);
        assert_eq!(
            index.lookup_in_order("a.b").take(2).collect::<Vec<_>>(),
            vec![0, 1]
        );
    }

    #[test]
    fn matches_any_without_a_catch_all() {
        let mut index = TopicIndex::new();
        index.insert(&TopicPattern::new("interface.outpatients"), 0);
        assert!(!index.matches_any("interface"));
        assert!(index.matches_any("interface.outpatients.cardiology"));
        assert!(!index.matches_any("funding"));
        assert!(!TopicIndex::new().matches_any("*"));
    }
}
