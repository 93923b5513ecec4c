//! What the grammar allows next: the words and kinds of thing that may
//! follow a prefix of a rule file, for an editor's completion.
//!
//! Asked of the grammar itself, not of a list kept beside it: the prefix is
//! parsed as a whole file, and the rules pest tried where it ran out of
//! text are what may come there. A prefix that is already wrong before its
//! end allows nothing that can be known, and says so.

use super::grammar::{MandateGrammar, Rule};
use pest::error::{ErrorVariant, InputLocation};
use pest::Parser as _;

/// One thing the grammar allows at a place in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Next {
    /// These words, as written (`may agree`, `at`, `}`).
    Words(&'static str),
    /// A topic pattern.
    Topic,
    /// A proposal field's name (where a condition starts).
    Field,
    /// A principle's severity (`blocking`, `refer`, `advisory`).
    Severity,
    /// A text in double quotes.
    Text,
    /// An id: a name of letters, digits and `_`.
    Id,
    /// A number.
    Number,
    /// A date.
    Date,
}

/// What may follow `prefix` (a file cut at the cursor, without the word
/// being typed): `None` when the prefix has an error before its end.
pub fn after(prefix: &str) -> Option<Vec<Next>> {
    if prefix.len() > super::MAX_FILE_BYTES {
        return None;
    }
    super::parser::check_bracket_depth(prefix).ok()?;
    let error = match MandateGrammar::parse(Rule::file, prefix) {
        // A whole file: only another declaration can follow.
        Ok(_) => return Some(expand(&[Rule::file])),
        Err(error) => error,
    };
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if at < prefix.trim_end().len() {
        return None;
    }
    match error.variant {
        ErrorVariant::ParsingError { positives, .. } => Some(expand(&positives)),
        ErrorVariant::CustomError { .. } => None,
    }
}

fn expand(rules: &[Rule]) -> Vec<Next> {
    // `not` beside `agree` is the `not` of `may not agree`.
    let after_may = rules.contains(&Rule::kw_agree);
    let mut next: Vec<Next> = rules
        .iter()
        .map(|r| match r {
            Rule::kw_not if after_may => Rule::may_not,
            other => *other,
        })
        .flat_map(|r| words(r))
        .copied()
        .collect();
    next.sort();
    next.dedup();
    next
}

/// What one grammar rule stands for at the start of its text.
fn words(rule: Rule) -> &'static [Next] {
    use Next::*;
    match rule {
        Rule::file | Rule::EOI => &[
            Words("group"),
            Words("organisation"),
            Words("principle"),
            Words("priority"),
            Words("topic"),
            Words("representative"),
        ],
        Rule::kw_group | Rule::group_decl => &[Words("group")],
        Rule::kw_place | Rule::place_stmt => &[Words("place")],
        Rule::kw_organisation | Rule::organisation_decl => &[Words("organisation")],
        Rule::kw_owns | Rule::owns_stmt => &[Words("owns")],
        Rule::kw_principle | Rule::principle_decl => &[Words("principle")],
        Rule::severity | Rule::kw_blocking | Rule::kw_advisory => &[Severity],
        Rule::kw_refer => &[Words("refer")],
        Rule::refer_stmt => &[Words("refer")],
        Rule::kw_script | Rule::script_ref => &[Words("script")],
        Rule::rhai_block => &[Words("{")],
        Rule::kw_priority | Rule::priority_decl => &[Words("priority")],
        Rule::kw_topics | Rule::topics_stmt => &[Words("topics")],
        Rule::kw_topic | Rule::topic_decl => &[Words("topic")],
        Rule::kw_representative | Rule::representative_decl => &[Words("representative")],
        Rule::kw_role | Rule::role_stmt => &[Words("role")],
        Rule::kw_forums | Rule::forums_stmt => &[Words("forums")],
        Rule::kw_valid | Rule::valid_stmt => &[Words("valid from"), Words("valid until")],
        Rule::kw_from | Rule::valid_from => &[Words("from")],
        Rule::kw_until | Rule::valid_until => &[Words("until")],
        Rule::kw_report | Rule::report_stmt => &[Words("report within")],
        Rule::kw_within => &[Words("within")],
        Rule::kw_days => &[Words("days")],
        Rule::kw_may | Rule::may_stmt => &[Words("may agree"), Words("may not agree")],
        Rule::kw_agree => &[Words("agree")],
        Rule::kw_not | Rule::negation => &[Words("not")],
        // After `may`, where `agree` may come too.
        Rule::may_not => &[Words("not agree")],
        Rule::kw_at | Rule::at_clause => &[Words("at")],
        Rule::kw_when | Rule::when_clause => &[Words("when")],
        Rule::kw_except | Rule::except_clause => &[Words("except")],
        Rule::kw_and => &[Words("and")],
        Rule::kw_or => &[Words("or")],
        Rule::kw_in => &[Words("in")],
        Rule::kw_contains => &[Words("contains")],
        Rule::kw_true | Rule::kw_false | Rule::boolean => &[Words("true"), Words("false")],
        Rule::ident => &[Id],
        Rule::string | Rule::string_inner => &[Text],
        Rule::topic_path | Rule::any_topic | Rule::pattern_list => &[Topic],
        Rule::condition | Rule::or_expr | Rule::and_expr | Rule::not_expr => &[Field, Words("not")],
        Rule::field_path | Rule::comparison | Rule::parenthesised => &[Field],
        Rule::compare_op => &[
            Words("=="),
            Words("!="),
            Words("<"),
            Words("<="),
            Words(">"),
            Words(">="),
        ],
        Rule::date => &[Date],
        Rule::number | Rule::whole_number => &[Number],
        Rule::list | Rule::open_bracket => &[Words("[")],
        Rule::close_bracket => &[Words("]")],
        Rule::comma => &[Words(",")],
        Rule::open_brace => &[Words("{")],
        Rule::close_brace => &[Words("}")],
        Rule::open_paren => &[Words("(")],
        Rule::close_paren => &[Words(")")],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::after;
    use super::Next::{self, *};

    const REP: &str = "group \"g\" { }\nrepresentative r \"R\" {\n  ";

    fn words(next: &[Next]) -> Vec<&'static str> {
        next.iter()
            .filter_map(|n| match n {
                Words(w) => Some(*w),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_grammar_says_what_may_follow() {
        let top = after("").unwrap_or_default();
        assert_eq!(
            words(&top),
            [
                "group",
                "organisation",
                "principle",
                "priority",
                "representative",
                "topic"
            ]
        );
        assert_eq!(
            after(&format!("{REP}may ")),
            Some(vec![Words("agree"), Words("not agree")])
        );
        assert_eq!(after(&format!("{REP}may agree ")), Some(vec![Topic]));
        assert_eq!(after(&format!("{REP}refer ")), Some(vec![Topic]));
        assert_eq!(after(&format!("{REP}may agree a at ")), Some(vec![Text]));
        let tail = after(&format!("{REP}may agree a ")).unwrap_or_default();
        for word in [
            ",",
            "at",
            "except",
            "when",
            "may agree",
            "refer",
            "role",
            "}",
        ] {
            assert!(words(&tail).contains(&word), "{word} after a rule's topic");
        }
        let when = after(&format!("{REP}may agree a when ")).unwrap_or_default();
        assert_eq!(when, [Words("not"), Field]);
        let compared = after(&format!("{REP}may agree a when cost ")).unwrap_or_default();
        for word in ["<=", "in", "contains", "and", "or", "}"] {
            assert!(words(&compared).contains(&word), "{word} after a field");
        }
        let value = after(&format!("{REP}may agree a when cost < ")).unwrap_or_default();
        for next in [Number, Text, Date, Field, Words("true")] {
            assert!(value.contains(&next), "{next:?} after a comparison");
        }
        let principle = after("principle p \"x\" ").unwrap_or_default();
        assert_eq!(principle, [Words("script"), Words("{"), Severity]);
        assert_eq!(after("group \"g\" { } organisation "), Some(vec![Id]));
        // After a whole declaration, only another declaration.
        assert_eq!(after("topic a \"A\"\n"), Some(top));
    }

    #[test]
    fn nothing_is_known_after_an_error() {
        assert_eq!(after("group group "), None);
        assert_eq!(
            after(&format!("{REP}may agree a when ((((")),
            Some(vec![Words("not"), Field])
        );
        assert_eq!(after(&"(".repeat(10_000)), None);
    }
}
