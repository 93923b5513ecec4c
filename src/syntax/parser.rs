//! pest tree -> typed AST. No pest type leaves this file.

use super::ast::*;
use super::error::{
    SyntaxError, MAX_BRACKETS, MAX_DECLARATIONS, MAX_FILE_BYTES, MAX_NESTING, MAX_RULES,
    MAX_TEXT_CHARS,
};
use crate::span::{span_at, LineIndex};
use crate::topic::{TopicPattern, MAX_TOPIC_SEGMENTS};
use pest::iterators::Pair;
use pest::Parser as _;

use super::grammar::{MandateGrammar, Rule};

/// Parses the text of a rule file into its syntax tree.
///
/// Fails on the first syntax error, on a file over the size limit, or on
/// nesting deeper than the limits; never panics and never overflows the
/// stack, whatever the input.
pub fn parse(source: &str) -> Result<MandateFile, SyntaxError> {
    let file = pest_tree(source)?;
    tree(source, file)
}

/// The pest tree of a whole file (the `file` pair), after the checks that
/// keep pest itself safe: the size and the depth of brackets.
pub(super) fn pest_tree(source: &str) -> Result<Pair<'_, Rule>, SyntaxError> {
    if source.len() > MAX_FILE_BYTES {
        return Err(SyntaxError::FileTooLarge {
            size: source.len(),
            limit: MAX_FILE_BYTES,
        });
    }
    check_bracket_depth(source)?;
    let mut pairs = MandateGrammar::parse(Rule::file, source)
        .map_err(|error| super::error::translate(source, error))?;
    pairs.next().ok_or_else(|| SyntaxError::Internal {
        span: Span::default(),
        what: "the parser produced no tree".into(),
    })
}

/// The typed tree of `file`, the pest tree of `source`, with the limits a
/// tree must keep.
pub(super) fn tree(source: &str, file: Pair<'_, Rule>) -> Result<MandateFile, SyntaxError> {
    let lines = LineIndex::new(source);
    let mut builder = Builder {
        comments: Vec::new(),
        rules: 0,
        lines: &lines,
    };
    let mut declarations = Vec::new();
    for pair in builder.children(file) {
        if pair.as_rule() == Rule::EOI {
            continue;
        }
        if declarations.len() >= MAX_DECLARATIONS {
            return Err(SyntaxError::TooManyDeclarations {
                span: lines.span(&pair),
                limit: MAX_DECLARATIONS,
            });
        }
        declarations.push(builder.declaration(pair)?);
    }
    builder.comments.sort_by_key(|c| c.span.start);
    Ok(MandateFile {
        declarations,
        comments: builder.comments,
    })
}

/// pest recurses once per nested bracket; refuse absurd nesting before
/// parsing so that no input can exhaust the stack. The scan is lexical and
/// deliberately generous (string and comment aware, but not Rhai-aware):
/// the precise limit for conditions is checked while building the tree.
/// It also counts the brackets `(` and `[` against [`MAX_BRACKETS`], before
/// pest spends memory on them.
pub(super) fn check_bracket_depth(source: &str) -> Result<(), SyntaxError> {
    const SCAN_LIMIT: usize = 4 * MAX_NESTING;
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut brackets = 0usize;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'"' => {
                i += 1;
                while let Some(&inside) = bytes.get(i).filter(|b| !matches!(b, b'"' | b'\n')) {
                    i += if inside == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|b| *b != b'\n') {
                    i += 1;
                }
            }
            b'(' | b'[' if brackets >= MAX_BRACKETS => {
                return Err(SyntaxError::TooManyBrackets {
                    span: span_at(source, i),
                    limit: MAX_BRACKETS,
                });
            }
            b'(' | b'[' | b'{' => {
                if byte != b'{' {
                    brackets += 1;
                }
                depth += 1;
                if depth > SCAN_LIMIT {
                    return Err(SyntaxError::TooDeep {
                        span: span_at(source, i),
                        limit: MAX_NESTING,
                    });
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                depth += 1;
                i += 1;
                if depth > SCAN_LIMIT {
                    return Err(SyntaxError::TooDeep {
                        span: span_at(source, i - 1),
                        limit: MAX_NESTING,
                    });
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'*' if bytes.get(i + 1) == Some(&b'/') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The span of a pest pair, through the shared line index (the call
/// sites read `lines.span(&pair)`).
trait PairSpan {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span;
}

impl PairSpan for LineIndex<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let span = pair.as_span();
        self.span_of(span.start(), span.end())
    }
}

struct Builder<'a> {
    comments: Vec<Comment>,
    rules: usize,
    lines: &'a LineIndex<'a>,
}

impl<'a> Builder<'a> {
    /// The children of `pair`, with comments moved aside into `self.comments`.
    fn children<'i>(&mut self, pair: Pair<'i, Rule>) -> Vec<Pair<'i, Rule>> {
        let inner = pair.into_inner();
        // Sized once: growing from empty cost most nodes two or three
        // reallocations.
        let mut out = Vec::with_capacity(inner.len());
        for child in inner {
            if child.as_rule() == Rule::COMMENT {
                let text = child
                    .clone()
                    .into_inner()
                    .next()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default();
                self.comments.push(Comment {
                    text,
                    span: self.lines.span(&child),
                });
            } else {
                out.push(child);
            }
        }
        out
    }

    fn declaration(&mut self, pair: Pair<'_, Rule>) -> Result<Declaration, SyntaxError> {
        let span = self.lines.span(&pair);
        let rule = pair.as_rule();
        let parts = self.children(pair);
        let mut parts = Parts::new(self.lines, parts, span);
        Ok(match rule {
            Rule::group_decl => {
                parts.keyword();
                let name = parts.text()?;
                let mut places = Vec::new();
                for stmt in parts.rest_of(Rule::place_stmt) {
                    let stmt_span = self.lines.span(&stmt);
                    let mut inner = Parts::new(self.lines, self.children(stmt), span);
                    inner.keyword();
                    let place = inner.text()?;
                    let span = Span {
                        end: place.span.end,
                        ..stmt_span
                    };
                    places.push(PlaceStmt { place, span });
                }
                Declaration::Group(GroupDecl { name, places, span })
            }
            Rule::organisation_decl => {
                parts.keyword();
                let id = parts.ident()?;
                let name = parts.text()?;
                let mut owns = Vec::new();
                for stmt in parts.rest_of(Rule::owns_stmt) {
                    let (patterns, span) = self.patterns_stmt(stmt)?;
                    owns.push(OwnsStmt { patterns, span });
                }
                Declaration::Organisation(OrganisationDecl {
                    id,
                    name,
                    owns,
                    span,
                })
            }
            Rule::principle_decl => {
                parts.keyword();
                let id = parts.ident()?;
                let statement = parts.text()?;
                let mut severity = None;
                let mut body = None;
                for part in parts.rest() {
                    match part.as_rule() {
                        Rule::severity => {
                            severity = Some(match part.as_str() {
                                "refer" => Severity::Refer,
                                "advisory" => Severity::Advisory,
                                _ => Severity::Blocking,
                            });
                        }
                        Rule::rhai_block => {
                            let code = part
                                .into_inner()
                                .find(|p| p.as_rule() == Rule::rhai_code)
                                .ok_or_else(|| internal(span, "principle code"))?;
                            body = Some(PrincipleBody::Inline {
                                code: code.as_str().to_string(),
                                span: self.lines.span(&code),
                            });
                        }
                        Rule::script_ref => {
                            let mut inner = Parts::new(self.lines, self.children(part), span);
                            inner.keyword();
                            body = Some(PrincipleBody::Script {
                                path: inner.text()?,
                            });
                        }
                        _ => {}
                    }
                }
                Declaration::Principle(PrincipleDecl {
                    id,
                    statement,
                    severity,
                    body: body.ok_or_else(|| internal(span, "principle body"))?,
                    span,
                })
            }
            Rule::priority_decl => {
                parts.keyword();
                let id = parts.ident()?;
                let name = parts.text()?;
                let mut topics = Vec::new();
                for stmt in parts.rest_of(Rule::topics_stmt) {
                    let (patterns, span) = self.patterns_stmt(stmt)?;
                    topics.push(TopicsStmt { patterns, span });
                }
                Declaration::Priority(PriorityDecl {
                    id,
                    name,
                    topics,
                    span,
                })
            }
            Rule::topic_decl => {
                parts.keyword();
                let topic = parts
                    .next()
                    .map(|p| pattern_ref(self.lines, &p))
                    .ok_or_else(|| internal(span, "topic"))??;
                let label = parts.text()?;
                Declaration::Topic(TopicDecl { topic, label, span })
            }
            Rule::representative_decl => {
                parts.keyword();
                let id = parts.ident()?;
                let name = parts.text()?;
                let mut statements = Vec::new();
                for stmt in parts.rest() {
                    if let Some(stmt) = self.representative_stmt(stmt)? {
                        statements.push(stmt);
                    }
                }
                Declaration::Representative(RepresentativeDecl {
                    id,
                    name,
                    statements,
                    span,
                })
            }
            _ => return Err(internal(span, "declaration")),
        })
    }

    fn representative_stmt(
        &mut self,
        pair: Pair<'_, Rule>,
    ) -> Result<Option<RepresentativeStmt>, SyntaxError> {
        let span = self.lines.span(&pair);
        let rule = pair.as_rule();
        let mut parts = Parts::new(self.lines, self.children(pair), span);
        Ok(Some(match rule {
            Rule::role_stmt => {
                parts.keyword();
                RepresentativeStmt::Role {
                    role: parts.text()?,
                    span,
                }
            }
            Rule::forums_stmt => {
                parts.keyword();
                let mut forums = Vec::new();
                for part in parts.rest_of(Rule::string) {
                    forums.push(text(self.lines, part)?);
                }
                RepresentativeStmt::Forums { forums, span }
            }
            Rule::valid_stmt => {
                parts.keyword();
                let mut from = None;
                let mut until = None;
                for part in parts.rest() {
                    let which = part.as_rule();
                    let date = self
                        .children(part)
                        .into_iter()
                        .find(|p| p.as_rule() == Rule::date)
                        .map(|p| date_lit(self.lines, &p))
                        .ok_or_else(|| internal(span, "date"))?;
                    if which == Rule::valid_from {
                        from = Some(date);
                    } else {
                        until = Some(date);
                    }
                }
                RepresentativeStmt::Valid { from, until, span }
            }
            Rule::report_stmt => {
                let number = parts
                    .rest()
                    .into_iter()
                    .find(|p| p.as_rule() == Rule::whole_number)
                    .ok_or_else(|| internal(span, "number of days"))?;
                let days_span = self.lines.span(&number);
                let digits: String = number.as_str().chars().filter(|c| *c != '_').collect();
                // Too many digits to be a sensible number of days: keep it
                // out of range so that `validate` reports it.
                let days = digits.parse::<i64>().unwrap_or(i64::MAX);
                RepresentativeStmt::Report {
                    days,
                    days_span,
                    span,
                }
            }
            Rule::may_stmt | Rule::refer_stmt => {
                self.rules += 1;
                if self.rules > MAX_RULES {
                    return Err(SyntaxError::TooManyRules {
                        span,
                        limit: MAX_RULES,
                    });
                }
                RepresentativeStmt::Rule(self.rule(rule, parts, span)?)
            }
            _ => return Ok(None),
        }))
    }

    fn rule(
        &mut self,
        rule: Rule,
        parts: Parts<'_, '_>,
        span: Span,
    ) -> Result<RuleDecl, SyntaxError> {
        let mut effect = if rule == Rule::refer_stmt {
            Effect::Refer
        } else {
            Effect::MayAgree
        };
        let mut decl = RuleDecl {
            effect,
            topics: Vec::new(),
            except: Vec::new(),
            forum: None,
            condition: None,
            span,
        };
        for part in parts.rest() {
            match part.as_rule() {
                Rule::may_not => effect = Effect::MayNotAgree,
                Rule::pattern_list => decl.topics = self.patterns(part)?,
                Rule::except_clause => decl.except = self.pattern_list_in(part, span)?,
                Rule::at_clause => {
                    let mut inner = Parts::new(self.lines, self.children(part), span);
                    inner.keyword();
                    decl.forum = Some(inner.text()?);
                }
                Rule::when_clause => {
                    let condition = self
                        .children(part)
                        .into_iter()
                        .find(|p| p.as_rule() == Rule::condition)
                        .ok_or_else(|| internal(span, "condition"))?;
                    let or = self
                        .children(condition)
                        .into_iter()
                        .next()
                        .ok_or_else(|| internal(span, "condition"))?;
                    decl.condition = Some(self.or_expr(or, 0)?);
                }
                _ => {}
            }
        }
        decl.effect = effect;
        // End the rule at its last part, not after trailing whitespace.
        let last_end = decl
            .condition
            .as_ref()
            .map(|c| c.span.end)
            .or(decl.forum.as_ref().map(|f| f.span.end))
            .or(decl.except.last().map(|p| p.span.end))
            .or(decl.topics.last().map(|p| p.span.end));
        if let Some(end) = last_end {
            decl.span.end = end;
        }
        Ok(decl)
    }

    /// An `owns` or `topics` statement: its patterns, and its span ending
    /// at the last pattern (pest's ends after trailing whitespace).
    fn patterns_stmt(
        &mut self,
        pair: Pair<'_, Rule>,
    ) -> Result<(Vec<PatternRef>, Span), SyntaxError> {
        let mut span = self.lines.span(&pair);
        let patterns = self.pattern_list_in(pair, span)?;
        if let Some(last) = patterns.last() {
            span.end = last.span.end;
        }
        Ok((patterns, span))
    }

    /// The `pattern_list` inside a statement such as `owns a, b`.
    fn pattern_list_in(
        &mut self,
        pair: Pair<'_, Rule>,
        span: Span,
    ) -> Result<Vec<PatternRef>, SyntaxError> {
        let list = self
            .children(pair)
            .into_iter()
            .find(|p| p.as_rule() == Rule::pattern_list)
            .ok_or_else(|| internal(span, "topic list"))?;
        self.patterns(list)
    }

    fn patterns(&mut self, list: Pair<'_, Rule>) -> Result<Vec<PatternRef>, SyntaxError> {
        self.children(list)
            .iter()
            .filter(|p| p.as_rule() != Rule::comma)
            .map(|p| pattern_ref(self.lines, p))
            .collect()
    }

    fn or_expr(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Result<Condition, SyntaxError> {
        let span = self.lines.span(&pair);
        let mut terms = Vec::new();
        for and in self.children(pair) {
            if and.as_rule() == Rule::and_expr {
                terms.push(self.and_expr(and, depth)?);
            }
        }
        Ok(collapse(terms, span, ConditionKind::Or))
    }

    fn and_expr(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Result<Condition, SyntaxError> {
        let span = self.lines.span(&pair);
        let mut terms = Vec::new();
        for not in self.children(pair) {
            if not.as_rule() == Rule::not_expr {
                terms.push(self.not_expr(not, depth)?);
            }
        }
        Ok(collapse(terms, span, ConditionKind::And))
    }

    fn not_expr(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Result<Condition, SyntaxError> {
        let mut negations = Vec::new();
        let mut primary = None;
        for part in self.children(pair) {
            match part.as_rule() {
                Rule::negation => negations.push(self.lines.span(&part)),
                _ => primary = Some(part),
            }
        }
        let primary = primary.ok_or_else(|| internal(Span::default(), "condition"))?;
        let mut condition = self.primary(primary, depth)?;
        let end = condition.span.end;
        if let (true, Some(first)) = (negations.len() > MAX_NESTING, negations.first()) {
            return Err(SyntaxError::TooDeep {
                span: *first,
                limit: MAX_NESTING,
            });
        }
        for negation in negations.into_iter().rev() {
            let span = Span { end, ..negation };
            condition = Condition {
                kind: ConditionKind::Not(Box::new(condition)),
                span,
            };
        }
        Ok(condition)
    }

    fn primary(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Result<Condition, SyntaxError> {
        let span = self.lines.span(&pair);
        match pair.as_rule() {
            Rule::parenthesised => {
                if depth >= MAX_NESTING {
                    return Err(SyntaxError::TooDeep {
                        span,
                        limit: MAX_NESTING,
                    });
                }
                let inner = self
                    .children(pair)
                    .into_iter()
                    .find(|p| p.as_rule() == Rule::or_expr)
                    .ok_or_else(|| internal(span, "parenthesised condition"))?;
                let inner = self.or_expr(inner, depth + 1)?;
                Ok(Condition {
                    kind: ConditionKind::Parenthesised(Box::new(inner)),
                    span,
                })
            }
            Rule::comparison => self.comparison(pair, depth),
            _ => Err(internal(span, "condition")),
        }
    }

    fn comparison(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Result<Condition, SyntaxError> {
        let span = self.lines.span(&pair);
        let parts = self.children(pair);
        let mut iter = parts.into_iter();
        let left = iter.next().ok_or_else(|| internal(span, "comparison"))?;
        let left = self.operand(left, depth)?;
        let kind = match iter.next() {
            None => ConditionKind::Test(left),
            Some(op) => {
                let rule = op.as_rule();
                let op_text = op.as_str().to_string();
                let right = iter.next().ok_or_else(|| internal(span, "comparison"))?;
                match rule {
                    Rule::compare_op => ConditionKind::Compare {
                        left,
                        op: match op_text.as_str() {
                            "==" => CompareOp::Eq,
                            "!=" => CompareOp::Ne,
                            "<" => CompareOp::Lt,
                            "<=" => CompareOp::Le,
                            ">" => CompareOp::Gt,
                            _ => CompareOp::Ge,
                        },
                        right: self.operand(right, depth)?,
                    },
                    Rule::kw_in => ConditionKind::In {
                        value: left,
                        list: self.literal(right, depth)?,
                    },
                    _ => ConditionKind::Contains {
                        container: left,
                        item: self.operand(right, depth)?,
                    },
                }
            }
        };
        // Span the operands, not pest's pair, which ends after the
        // whitespace skipped before a comparison that did not come.
        let span = match &kind {
            ConditionKind::Test(operand) => operand.span(),
            ConditionKind::Compare { left, right, .. }
            | ConditionKind::Contains {
                container: left,
                item: right,
            } => Span {
                end: right.span().end,
                ..left.span()
            },
            ConditionKind::In { value, list } => Span {
                end: list.span.end,
                ..value.span()
            },
            _ => span,
        };
        Ok(Condition { kind, span })
    }

    fn operand(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Result<Operand, SyntaxError> {
        if pair.as_rule() == Rule::field_path {
            return Ok(Operand::Field(FieldPath {
                segments: pair.as_str().split('.').map(str::to_string).collect(),
                span: self.lines.span(&pair),
            }));
        }
        Ok(Operand::Literal(self.literal(pair, depth)?))
    }

    fn literal(&mut self, pair: Pair<'_, Rule>, depth: usize) -> Result<Literal, SyntaxError> {
        let span = self.lines.span(&pair);
        let value = match pair.as_rule() {
            Rule::date => LiteralValue::Date(date_lit(self.lines, &pair)),
            Rule::number => {
                let text = pair.as_str().to_string();
                let digits: String = text.chars().filter(|c| *c != '_').collect();
                let value = digits
                    .parse::<f64>()
                    .map_err(|_| internal(span, "number"))?;
                LiteralValue::Number { value, text }
            }
            Rule::string => LiteralValue::String(text(self.lines, pair)?.value),
            Rule::boolean => LiteralValue::Bool(pair.as_str() == "true"),
            Rule::list => {
                if depth >= MAX_NESTING {
                    return Err(SyntaxError::TooDeep {
                        span,
                        limit: MAX_NESTING,
                    });
                }
                let mut items = Vec::new();
                for item in self.children(pair) {
                    if !matches!(
                        item.as_rule(),
                        Rule::open_bracket | Rule::close_bracket | Rule::comma
                    ) {
                        items.push(self.literal(item, depth + 1)?);
                    }
                }
                LiteralValue::List(items)
            }
            _ => return Err(internal(span, "value")),
        };
        Ok(Literal { value, span })
    }
}

/// One declaration's or statement's children, consumed in order.
struct Parts<'i, 'a> {
    lines: &'a LineIndex<'a>,
    parts: std::vec::IntoIter<Pair<'i, Rule>>,
    span: Span,
}

impl<'i, 'a> Parts<'i, 'a> {
    fn new(lines: &'a LineIndex<'a>, parts: Vec<Pair<'i, Rule>>, span: Span) -> Self {
        Parts {
            lines,
            parts: parts.into_iter(),
            span,
        }
    }

    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.parts.next()
    }

    /// Skips the leading keyword.
    fn keyword(&mut self) {
        self.parts.next();
    }

    fn ident(&mut self) -> Result<Ident, SyntaxError> {
        let pair = self.next().ok_or_else(|| internal(self.span, "name"))?;
        Ok(Ident {
            name: pair.as_str().to_string(),
            span: self.lines.span(&pair),
        })
    }

    fn text(&mut self) -> Result<Text, SyntaxError> {
        let pair = self.next().ok_or_else(|| internal(self.span, "text"))?;
        text(self.lines, pair)
    }

    fn rest(self) -> Vec<Pair<'i, Rule>> {
        self.parts.collect()
    }

    fn rest_of(self, rule: Rule) -> Vec<Pair<'i, Rule>> {
        self.parts.filter(|p| p.as_rule() == rule).collect()
    }
}

fn collapse(
    mut terms: Vec<Condition>,
    span: Span,
    make: fn(Vec<Condition>) -> ConditionKind,
) -> Condition {
    if terms.len() == 1 {
        if let Some(only) = terms.pop() {
            return only;
        }
    }
    // pest's spans for a repetition include the whitespace (and comments)
    // skipped before a repeat that did not come: span the terms instead.
    let span = match (terms.first(), terms.last()) {
        (Some(first), Some(last)) => Span {
            end: last.span.end,
            ..first.span
        },
        _ => span,
    };
    Condition {
        kind: make(terms),
        span,
    }
}

fn text(lines: &LineIndex<'_>, pair: Pair<'_, Rule>) -> Result<Text, SyntaxError> {
    let span = lines.span(&pair);
    // A `string` pair is its quotes around its `string_inner`: read
    // between them, without building the inner pairs.
    let raw = Some(pair.as_str())
        .filter(|_| pair.as_rule() == Rule::string)
        .and_then(|s| s.strip_prefix('"'))
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or("");
    let value = if raw.contains('\\') {
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                if let Some(escaped) = chars.next() {
                    value.push(escaped);
                }
            } else {
                value.push(c);
            }
        }
        value
    } else {
        raw.to_string()
    };
    // No more characters than bytes: only a long text needs counting.
    if value.len() > MAX_TEXT_CHARS {
        let length = value.chars().count();
        if length > MAX_TEXT_CHARS {
            return Err(SyntaxError::TextTooLong {
                span,
                length,
                limit: MAX_TEXT_CHARS,
            });
        }
    }
    Ok(Text { value, span })
}

fn pattern_ref(lines: &LineIndex<'_>, pair: &Pair<'_, Rule>) -> Result<PatternRef, SyntaxError> {
    let span = lines.span(pair);
    let segments = pair.as_str().split('.').count();
    if segments > MAX_TOPIC_SEGMENTS {
        return Err(SyntaxError::TopicTooDeep {
            span,
            segments,
            limit: MAX_TOPIC_SEGMENTS,
        });
    }
    Ok(PatternRef {
        pattern: TopicPattern::new(pair.as_str()),
        span,
    })
}

fn date_lit(lines: &LineIndex<'_>, pair: &Pair<'_, Rule>) -> DateLit {
    let text = pair.as_str().to_string();
    DateLit {
        date: chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok(),
        text,
        span: lines.span(pair),
    }
}

fn internal(span: Span, what: &str) -> SyntaxError {
    SyntaxError::Internal {
        span,
        what: format!("unexpected shape of {what}"),
    }
}
