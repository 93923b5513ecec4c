//! The concrete syntax tree: every token of a rule file, comments
//! included, in file order, grouped by the construct it belongs to.
//!
//! The typed tree in [`super::ast`] says what was written; this one says
//! how. It keeps each keyword, comma, bracket and comment as a [`Token`]
//! with its place in the file, so a tool that rewrites layout (the
//! formatter) can put back exactly the tokens it was given, and a comment
//! written between any two of them lands between the same two. Whitespace
//! is the one thing it drops: each token's [`Span`] says where it was.
//!
//! Built from the same pest parse as the typed tree, after the same limits
//! ([`parse`] refuses exactly what [`super::parse`] refuses), and no pest
//! type leaves this file.

use super::ast::MandateFile;
use super::error::SyntaxError;
use super::grammar::Rule;
use crate::span::{LineIndex, Span};
use pest::iterators::Pair;
use serde::Serialize;

/// A construct of the language: a declaration, a statement or a part of
/// a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// The whole file.
    File,
    /// `group "NAME" { ... }`
    Group,
    /// `place "PLACE"`
    Place,
    /// `organisation ID "NAME" { ... }`
    Organisation,
    /// `owns PATTERNS`
    Owns,
    /// `principle ID "STATEMENT" [severity] { CODE }` or `script "PATH"`
    Principle,
    /// `script "PATH"` in a principle.
    Script,
    /// `priority ID "NAME" { ... }`
    Priority,
    /// `topics PATTERNS`
    Topics,
    /// `topic TOPIC "LABEL"`
    Topic,
    /// `representative ID "NAME" { ... }`
    Representative,
    /// `role "TEXT"`
    Role,
    /// `forums "A", "B"`
    Forums,
    /// `valid from DATE until DATE`
    Valid,
    /// `report within N days`
    Report,
    /// `may agree`, `may not agree` or `refer`, with its clauses.
    Rule,
    /// `except PATTERNS` in a rule.
    Except,
    /// `at "FORUM"` in a rule.
    At,
    /// `when CONDITION` in a rule.
    When,
    /// A comma-separated list of topic patterns.
    Patterns,
    /// `a or b or ...` (two or more terms).
    Or,
    /// `a and b and ...` (two or more terms).
    And,
    /// `not a` (one `not` or more before a term).
    Not,
    /// `( CONDITION )`
    Parenthesised,
    /// `left OP right`, `value in [...]`, `list contains item`, or a lone
    /// operand.
    Comparison,
    /// `[a, b, ...]`
    List,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A reserved word (`may`, `when`, `and`, `true`...).
    Keyword,
    /// A name given by the rule author (`patel`).
    Name,
    /// A string literal, quotes included.
    Text,
    /// A topic pattern (`interface.outpatients`, `*`).
    Topic,
    /// A proposal field (`cost`, `budget.recurrent`).
    Field,
    /// A number as written (`50_000`).
    Number,
    /// A date (`2026-04-01`).
    Date,
    /// A comparison operator (`<=`).
    Operator,
    /// `{`
    OpenBrace,
    /// `}`
    CloseBrace,
    /// `(`
    OpenParen,
    /// `)`
    CloseParen,
    /// `[`
    OpenBracket,
    /// `]`
    CloseBracket,
    /// `,`
    Comma,
    /// A `//` comment to the end of its line (the line break not included).
    Comment,
    /// An inline principle's Rhai code with its braces, exactly as written.
    Code,
}

/// One token: its kind, its text as written and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Token<'a> {
    /// What it is.
    pub kind: TokenKind,
    /// The text as written, byte for byte.
    pub text: &'a str,
    /// Where it is.
    pub span: Span,
}

/// A node's child: a nested construct or a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Element<'a> {
    /// A nested construct.
    Node(Node<'a>),
    /// A token.
    Token(Token<'a>),
}

impl Element<'_> {
    /// Where the element is.
    pub fn span(&self) -> Span {
        match self {
            Element::Node(node) => node.span,
            Element::Token(token) => token.span,
        }
    }
}

/// A construct and its children, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Node<'a> {
    /// What it is.
    pub kind: NodeKind,
    /// Where it is, from its first token to its last.
    pub span: Span,
    /// Its tokens and nested constructs, comments included, in file order.
    pub children: Vec<Element<'a>>,
}

impl<'a> Node<'a> {
    /// Every token below this node, in file order.
    pub fn tokens(&self) -> Vec<Token<'a>> {
        let mut out = Vec::new();
        let mut stack: Vec<&Element<'a>> = self.children.iter().rev().collect();
        while let Some(element) = stack.pop() {
            match element {
                Element::Token(token) => out.push(*token),
                Element::Node(node) => stack.extend(node.children.iter().rev()),
            }
        }
        out
    }
}

/// Parses a rule file into its concrete tree (the [`NodeKind::File`] node).
///
/// Refuses what [`super::parse`] refuses, with the same error: a text that
/// gives a typed tree gives a concrete one.
pub fn parse(source: &str) -> Result<Node<'_>, SyntaxError> {
    parse_both(source).map(|(_, tree)| tree)
}

/// Both trees of a rule file from one parse: the typed tree of
/// [`super::parse`] and the concrete one.
pub fn parse_both(source: &str) -> Result<(MandateFile, Node<'_>), SyntaxError> {
    let file = super::parser::pest_tree(source)?;
    let typed = super::parser::tree(source, file.clone())?;
    let lines = LineIndex::new(source);
    let builder = Builder { lines: &lines };
    let mut children = Vec::new();
    let span = file.as_span();
    builder.children(file, &mut children)?;
    let tree = Node {
        kind: NodeKind::File,
        span: lines.span_of(span.start(), span.end()),
        children,
    };
    Ok((typed, tree))
}

struct Builder<'l> {
    lines: &'l LineIndex<'l>,
}

/// What a grammar rule becomes in the concrete tree.
enum Becomes {
    Node(NodeKind),
    Token(TokenKind),
    /// Its children go straight into the parent (`severity`, `negation`...).
    Spliced,
    /// Nothing (end of input).
    Nothing,
}

fn becomes(rule: Rule) -> Option<Becomes> {
    use Becomes::{Node as N, Spliced, Token as T};
    Some(match rule {
        Rule::EOI => Becomes::Nothing,
        Rule::group_decl => N(NodeKind::Group),
        Rule::place_stmt => N(NodeKind::Place),
        Rule::organisation_decl => N(NodeKind::Organisation),
        Rule::owns_stmt => N(NodeKind::Owns),
        Rule::principle_decl => N(NodeKind::Principle),
        Rule::script_ref => N(NodeKind::Script),
        Rule::priority_decl => N(NodeKind::Priority),
        Rule::topics_stmt => N(NodeKind::Topics),
        Rule::topic_decl => N(NodeKind::Topic),
        Rule::representative_decl => N(NodeKind::Representative),
        Rule::role_stmt => N(NodeKind::Role),
        Rule::forums_stmt => N(NodeKind::Forums),
        Rule::valid_stmt => N(NodeKind::Valid),
        Rule::report_stmt => N(NodeKind::Report),
        Rule::may_stmt | Rule::refer_stmt => N(NodeKind::Rule),
        Rule::except_clause => N(NodeKind::Except),
        Rule::at_clause => N(NodeKind::At),
        Rule::when_clause => N(NodeKind::When),
        Rule::pattern_list => N(NodeKind::Patterns),
        Rule::or_expr => N(NodeKind::Or),
        Rule::and_expr => N(NodeKind::And),
        Rule::not_expr => N(NodeKind::Not),
        Rule::parenthesised => N(NodeKind::Parenthesised),
        Rule::comparison => N(NodeKind::Comparison),
        Rule::list => N(NodeKind::List),
        Rule::severity
        | Rule::valid_from
        | Rule::valid_until
        | Rule::may_not
        | Rule::condition
        | Rule::negation
        | Rule::boolean => Spliced,
        Rule::ident => T(TokenKind::Name),
        Rule::string => T(TokenKind::Text),
        Rule::any_topic | Rule::topic_path => T(TokenKind::Topic),
        Rule::field_path => T(TokenKind::Field),
        Rule::number | Rule::whole_number => T(TokenKind::Number),
        Rule::date => T(TokenKind::Date),
        Rule::compare_op => T(TokenKind::Operator),
        Rule::open_brace => T(TokenKind::OpenBrace),
        Rule::close_brace => T(TokenKind::CloseBrace),
        Rule::open_paren => T(TokenKind::OpenParen),
        Rule::close_paren => T(TokenKind::CloseParen),
        Rule::open_bracket => T(TokenKind::OpenBracket),
        Rule::close_bracket => T(TokenKind::CloseBracket),
        Rule::comma => T(TokenKind::Comma),
        Rule::COMMENT => T(TokenKind::Comment),
        Rule::rhai_block => T(TokenKind::Code),
        Rule::kw_group
        | Rule::kw_place
        | Rule::kw_organisation
        | Rule::kw_owns
        | Rule::kw_principle
        | Rule::kw_blocking
        | Rule::kw_refer
        | Rule::kw_advisory
        | Rule::kw_script
        | Rule::kw_priority
        | Rule::kw_topics
        | Rule::kw_topic
        | Rule::kw_representative
        | Rule::kw_role
        | Rule::kw_forums
        | Rule::kw_valid
        | Rule::kw_from
        | Rule::kw_until
        | Rule::kw_report
        | Rule::kw_within
        | Rule::kw_days
        | Rule::kw_may
        | Rule::kw_not
        | Rule::kw_agree
        | Rule::kw_at
        | Rule::kw_when
        | Rule::kw_except
        | Rule::kw_and
        | Rule::kw_or
        | Rule::kw_in
        | Rule::kw_contains
        | Rule::kw_true
        | Rule::kw_false => T(TokenKind::Keyword),
        _ => return None,
    })
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        self.lines.span_of(span.start(), span.end())
    }

    /// Appends what `pair`'s children become to `out`. The depth of the
    /// recursion is the depth of the pest tree, which [`super::parse`]
    /// (run first) has already bounded.
    fn children<'a>(
        &self,
        pair: Pair<'a, Rule>,
        out: &mut Vec<Element<'a>>,
    ) -> Result<(), SyntaxError> {
        for child in pair.into_inner() {
            self.element(child, out)?;
        }
        Ok(())
    }

    fn element<'a>(
        &self,
        pair: Pair<'a, Rule>,
        out: &mut Vec<Element<'a>>,
    ) -> Result<(), SyntaxError> {
        let span = self.span(&pair);
        match becomes(pair.as_rule()) {
            Some(Becomes::Token(kind)) => out.push(Element::Token(Token {
                kind,
                text: pair.as_str(),
                span,
            })),
            Some(Becomes::Spliced) => self.children(pair, out)?,
            Some(Becomes::Nothing) => {}
            Some(Becomes::Node(kind)) => {
                let mut children = Vec::new();
                self.children(pair, &mut children)?;
                // pest leaves a comment inside the construct it skipped
                // after, when an optional part did not come: it is the
                // parent's, after the construct (so a remark on the next
                // statement is not indented as part of this one).
                let trailing = children
                    .iter()
                    .rposition(|c| !is_comment(c))
                    .map_or(0, |last| last + 1);
                let mut after = children.split_off(trailing);
                // `a` alone parses as an `or` of one `and` of one `not`
                // with no `not`: such a wrapper is the term itself.
                let wrapper = matches!(kind, NodeKind::Or | NodeKind::And | NodeKind::Not);
                if wrapper && matches!(children.as_slice(), [Element::Node(_)]) {
                    out.append(&mut children);
                } else if !children.is_empty() {
                    let span = match (children.first(), children.last()) {
                        (Some(first), Some(last)) => {
                            self.lines.span_of(first.span().start, last.span().end)
                        }
                        _ => span,
                    };
                    out.push(Element::Node(Node {
                        kind,
                        span,
                        children,
                    }));
                }
                out.append(&mut after);
            }
            None => {
                return Err(SyntaxError::Internal {
                    span,
                    what: format!("the concrete tree has no place for {:?}", pair.as_rule()),
                })
            }
        }
        Ok(())
    }
}

fn is_comment(element: &Element<'_>) -> bool {
    matches!(element, Element::Token(t) if t.kind == TokenKind::Comment)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens, put back with single spaces, are the file's text with
    /// its whitespace collapsed: nothing is dropped or invented.
    #[test]
    fn the_tokens_are_the_text_without_its_whitespace() {
        let source = "group \"g\" { place \"p\" } // end\n\
            representative r \"R\" {\n  forums \"a\", \"b\" // two\n\
            may not agree x.y, z except z.w at \"a\" when not (c <= 5 or d in [1, 2]) and e\n}\n\
            principle p \"P\" refer { let x = \"}\"; true }\n";
        let tree = parse(source).unwrap();
        let tokens: Vec<&str> = tree.tokens().iter().map(|t| t.text).collect();
        let squeezed: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
        let joined = tokens.join(" ");
        let strip = |s: &str| s.replace(' ', "");
        assert_eq!(strip(&joined), strip(&squeezed));
        assert!(tokens.contains(&"// end"));
        assert!(tokens.contains(&"{ let x = \"}\"; true }"));
        assert_eq!(tokens.iter().filter(|t| **t == ",").count(), 3);
    }

    #[test]
    fn a_lone_term_is_not_wrapped() {
        let tree = parse("representative r \"R\" { refer x when a }").unwrap();
        let Some(Element::Node(rep)) = tree.children.first() else {
            panic!("no representative");
        };
        let rule = rep
            .children
            .iter()
            .find_map(|e| match e {
                Element::Node(n) if n.kind == NodeKind::Rule => Some(n),
                _ => None,
            })
            .unwrap();
        let when = rule.children.last().unwrap();
        let Element::Node(when) = when else { panic!() };
        assert_eq!(when.kind, NodeKind::When);
        assert!(matches!(
            &when.children[1],
            Element::Node(Node {
                kind: NodeKind::Comparison,
                ..
            })
        ));
    }

    #[test]
    fn it_refuses_what_the_typed_parser_refuses() {
        assert!(parse("group {").is_err());
        assert!(parse(&"(".repeat(10_000)).is_err());
    }
}
