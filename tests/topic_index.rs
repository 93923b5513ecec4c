//! The topic index is only an accelerator: for any patterns and topic it
//! must find exactly the entries the one topic matcher says match.

use mandate::topic::TopicIndex;
use mandate::topic::TopicPattern;
use proptest::prelude::*;

fn segment() -> impl Strategy<Value = String> {
    prop_oneof![Just("a"), Just("b"), Just("ab"), Just("c_1")].prop_map(str::to_string)
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 1..4).prop_map(|s| s.join("."))
}

fn pattern() -> impl Strategy<Value = TopicPattern> {
    prop_oneof![
        1 => Just(TopicPattern::Any),
        8 => path().prop_map(TopicPattern::Path),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn index_agrees_with_the_matcher(patterns in prop::collection::vec(pattern(), 0..20), topic in path()) {
        let mut index = TopicIndex::new();
        for (i, p) in patterns.iter().enumerate() {
            index.insert(p, i);
        }
        let expected: Vec<usize> = patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| p.matches(&topic))
            .map(|(i, _)| i)
            .collect();
        prop_assert_eq!(index.lookup(&topic), expected);
    }
}
