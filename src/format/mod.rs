//! The one canonical layout of a rule file (`mandate fmt`).
//!
//! Owns the layout rules and the proof that a layout changed nothing but
//! whitespace. It reads the concrete tree ([`crate::syntax::cst`]), which
//! holds every token and comment, and writes the same tokens, in the same
//! order, byte for byte; only the whitespace between them is its own:
//!
//! - two spaces of indentation per block, one statement per line, a blank
//!   line between top-level declarations (consecutive `topic` lines stay
//!   together unless a blank line parted them), and a blank line kept
//!   wherever the author left one between statements or comments in a
//!   block (several become one);
//! - one space between words, none before a comma or inside brackets and
//!   parentheses;
//! - a rule longer than [`WIDTH`] columns puts its `except`, `at` and
//!   `when` on lines of their own, two spaces further in; a condition
//!   still too long breaks before each `or`, then each `and`, two spaces
//!   further in again;
//!   a list of topics, forums or values too long for its line puts one per
//!   line (the Wadler-Leijen algorithm of the `pretty` crate decides, so
//!   the same input always breaks the same way);
//! - an inline principle's code, braces included, exactly as written;
//! - a comment stays between the same two tokens: at the end of the line
//!   it ended before, or on a line of its own. A comment inside a rule
//!   breaks the rule over lines, since nothing may follow it on its line.
//!   Trailing spaces go; line endings become `\n`; a byte-order mark stays.
//!
//! Before giving its answer, [`format()`] parses what it wrote and checks
//! that the tokens and the meaning ([`crate::syntax::meaning`]) are the
//! input's: a layout bug is refused as [`FormatError::Changed`], never
//! written.

mod write;

pub use write::write_atomically;

use crate::diagnostic::{Diagnostic, Level};
use crate::span::Span;
use crate::syntax::ast::MandateFile;
use crate::syntax::cst::{self, Element, Node, NodeKind, Token, TokenKind};
use crate::syntax::SyntaxError;
use pretty::{Arena, DocAllocator, DocBuilder};

/// The width, in columns, that rules and lists are wrapped to.
pub const WIDTH: usize = 100;

/// Why a file could not be formatted.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FormatError {
    /// The file does not parse; it is left as it is.
    #[error(transparent)]
    Syntax(#[from] SyntaxError),
    /// Laid out, the file would be larger than a rule file may be (a very
    /// long list put one item per line, for instance).
    #[error("formatted, this file would be {size} bytes, over the limit of {limit} for a rule file, so it was left alone")]
    TooLarge {
        /// The formatted size.
        size: usize,
        /// The limit ([`crate::syntax::MAX_FILE_BYTES`]).
        limit: usize,
    },
    /// The layout would have changed the file's tokens or meaning (a bug
    /// in the formatter, caught before anything was written).
    #[error("the formatter would have changed this file's {what}, so it left the file alone")]
    Changed {
        /// What would have changed: "tokens" or "meaning".
        what: &'static str,
        /// Where the first difference is, in the input.
        span: Span,
    },
}

impl FormatError {
    /// Where the problem is.
    pub fn span(&self) -> Span {
        match self {
            FormatError::Syntax(error) => error.span(),
            FormatError::Changed { span, .. } => *span,
            FormatError::TooLarge { .. } => Span::START,
        }
    }

    /// A short stable code for tools.
    pub fn code(&self) -> &'static str {
        match self {
            FormatError::Syntax(error) => error.code(),
            FormatError::Changed { .. } => "format-changed-meaning",
            FormatError::TooLarge { .. } => "format-too-large",
        }
    }

    /// The diagnostic to show for it in `file`, whose text is `source`.
    pub fn diagnostic(&self, file: &str, source: &str) -> Diagnostic {
        Diagnostic::at(
            Level::Error,
            self.code(),
            self.to_string(),
            Some(self.help()),
            file,
            source,
            self.span(),
        )
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            FormatError::Syntax(error) => error.help(),
            FormatError::Changed { .. } => "This is a bug in `mandate fmt`: please report it with \
                the file. The file is unchanged and still valid as it is."
                .into(),
            FormatError::TooLarge { .. } => "Split the mandate into several files, or write \
                long lists over several statements (`owns a, b` as `owns a` and `owns b`)."
                .into(),
        }
    }
}

/// Formats a rule file: the canonical layout of `source`, or why there is
/// none. The answer keeps every token and comment of `source` in order
/// and means the same (checked before it is returned).
pub fn format(source: &str) -> Result<String, FormatError> {
    let (file, tree) = cst::parse_both(source)?;
    let mut out = Output::default();
    if source.starts_with('\u{FEFF}') {
        out.text.push('\u{FEFF}');
    }
    {
        // The document is freed before the proof parses the output.
        let arena = Arena::new();
        let printer = Printer {
            source,
            arena: &arena,
        };
        // The output only collects text: writing to it cannot fail.
        let _ = printer.file(&tree).into_doc().render_raw(WIDTH, &mut out);
    }
    let mut text = out.text;
    if !text.trim_start_matches('\u{FEFF}').is_empty() {
        text.push('\n');
    }
    if text.len() > crate::syntax::MAX_FILE_BYTES {
        return Err(FormatError::TooLarge {
            size: text.len(),
            limit: crate::syntax::MAX_FILE_BYTES,
        });
    }
    prove(&file, &tree, &text)?;
    Ok(text)
}

/// Whether `source` is already in the canonical layout (it parses, and
/// formatting it changes nothing).
pub fn is_formatted(source: &str) -> Result<bool, FormatError> {
    Ok(format(source)? == source)
}

/// Checks that `text` has the tokens of `tree` and the meaning of `file`
/// (both trees of the input).
fn prove(file: &MandateFile, tree: &Node<'_>, text: &str) -> Result<(), FormatError> {
    let changed = |what, span| FormatError::Changed { what, span };
    let (after_file, after_tree) =
        cst::parse_both(text).map_err(|_| changed("tokens", Span::default()))?;
    let (before, after) = (tree.tokens(), after_tree.tokens());
    let same = |a: &Token<'_>, b: &Token<'_>| a.kind == b.kind && comparable(a) == comparable(b);
    if let Some(i) = (0..before.len().max(after.len()))
        .find(|&i| !matches!((before.get(i), after.get(i)), (Some(a), Some(b)) if same(a, b)))
    {
        let span = before.get(i).map(|t| t.span).unwrap_or_default();
        return Err(changed("tokens", span));
    }
    if !file.same_meaning(&after_file) {
        return Err(changed("meaning", Span::default()));
    }
    Ok(())
}

/// A token as the layout keeps it: comments lose their trailing spaces.
fn comparable<'a>(token: &Token<'a>) -> &'a str {
    if token.kind == TokenKind::Comment {
        token.text.trim_end()
    } else {
        token.text
    }
}

/// What goes between two elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    /// Nothing (`a,` `(a`).
    Tight,
    /// One space, never a line break.
    Space,
    /// A space, or a line break when the enclosing group breaks.
    Line,
    /// Nothing, or a line break when the enclosing group breaks.
    Soft,
    /// A line break, with a blank line before when `blank`.
    Newline { blank: bool },
}

/// Annotations on the document: the one there is marks text that must
/// come out exactly as written (a principle's code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Verbatim;

type Doc<'a> = DocBuilder<'a, Arena<'a, Verbatim>, Verbatim>;

struct Printer<'a, 's> {
    source: &'s str,
    arena: &'a Arena<'a, Verbatim>,
}

impl<'a, 's: 'a> Printer<'a, 's> {
    fn nil(&self) -> Doc<'a> {
        self.arena.nil()
    }

    fn text(&self, text: &'s str) -> Doc<'a> {
        self.arena.text(text)
    }

    fn sep(&self, sep: Sep) -> Doc<'a> {
        match sep {
            Sep::Tight => self.nil(),
            Sep::Space => self.arena.text(" "),
            Sep::Line => self.arena.line(),
            Sep::Soft => self.arena.line_(),
            Sep::Newline { blank: false } => self.arena.hardline(),
            Sep::Newline { blank: true } => self.arena.hardline().append(self.arena.hardline()),
        }
    }

    /// Whether the source has a blank line between the end of `before`
    /// and the start of `after`.
    fn blank_between(&self, before: &Element<'_>, after: &Element<'_>) -> bool {
        let end = last_token(before).map_or(0, |t| t.span.end);
        let start = first_token(after).map_or(end, |t| t.span.start);
        self.source
            .get(end..start)
            .is_some_and(|gap| gap.matches('\n').count() >= 2)
    }

    /// Whether `comment` ends a line that has a token before it.
    fn trails(&self, comment: &Token<'_>) -> bool {
        let start = crate::span::line_start(self.source, comment.span.start);
        self.source
            .get(start..comment.span.start)
            .is_some_and(|before| !before.trim_start_matches('\u{FEFF}').trim().is_empty())
    }

    fn token(&self, token: &Token<'s>) -> Doc<'a> {
        match token.kind {
            TokenKind::Comment => {
                let text = token.text.trim_end();
                if self.trails(token) {
                    // A comment at the end of a line does not count
                    // towards the line's width: a long remark must not
                    // break the rule before it.
                    // (The text inside must be bare: `arena.text` of
                    // non-ASCII text is itself a `RenderLen`, which pretty
                    // does not allow inside another.)
                    let bare = self.arena.alloc(pretty::Doc::BorrowedText(text));
                    DocBuilder(self.arena, pretty::Doc::RenderLen(0, bare).into())
                } else {
                    self.text(text)
                }
            }
            TokenKind::Code => {
                let mut doc = self.nil();
                for (i, line) in token.text.split('\n').enumerate() {
                    if i > 0 {
                        doc = doc.append(self.arena.hardline());
                    }
                    doc = doc.append(self.text(line));
                }
                doc.annotate(Verbatim)
            }
            _ => self.text(token.text),
        }
    }

    fn element(&self, element: &Element<'s>) -> Doc<'a> {
        match element {
            Element::Token(token) => self.token(token),
            Element::Node(node) => self.node(node),
        }
    }

    /// Lays out `children` with `sep` between each two (and between
    /// `prev`, already laid out, and the first), except around comments:
    /// a trailing comment follows a space, and a line break ends every
    /// comment and comes before one on a line of its own. `block` keeps
    /// the author's blank lines at those breaks.
    fn seq_from<'e>(
        &self,
        mut prev: Option<&'e Element<'s>>,
        children: &'e [Element<'s>],
        block: bool,
        sep: impl Fn(&Element<'s>, &Element<'s>) -> Sep,
    ) -> Doc<'a> {
        let mut doc = self.nil();
        for child in children {
            if let Some(p) = prev {
                doc = doc.append(self.sep(self.between(p, child, block, &sep)));
            }
            doc = doc.append(self.element(child));
            prev = Some(child);
        }
        doc
    }

    fn seq(
        &self,
        children: &[Element<'s>],
        block: bool,
        sep: impl Fn(&Element<'s>, &Element<'s>) -> Sep,
    ) -> Doc<'a> {
        self.seq_from(None, children, block, sep)
    }

    /// What goes between `prev` and `next`: `sep` unless a comment is
    /// involved.
    fn between(
        &self,
        prev: &Element<'s>,
        next: &Element<'s>,
        block: bool,
        sep: impl Fn(&Element<'s>, &Element<'s>) -> Sep,
    ) -> Sep {
        let newline = Sep::Newline {
            blank: block && self.blank_between(prev, next),
        };
        match (
            ends_in_comment(prev),
            first_token(next).filter(|t| t.kind == TokenKind::Comment),
        ) {
            (_, Some(c)) if self.trails(c) => Sep::Space,
            (_, Some(_)) | (true, None) => newline,
            (false, None) => sep(prev, next),
        }
    }

    fn file(&self, file: &Node<'s>) -> Doc<'a> {
        let children = &file.children;
        let mut doc = self.nil();
        // The last declaration ended the line before (with at most a
        // trailing comment since): its kind.
        let mut after: Option<NodeKind> = None;
        for (i, child) in children.iter().enumerate() {
            if let Some(prev) = i.checked_sub(1).and_then(|p| children.get(p)) {
                let sep = match comment(child) {
                    Some(c) if self.trails(c) => Sep::Space,
                    _ => {
                        let next = children.iter().skip(i).find_map(declaration);
                        let forced = match (after, next) {
                            (Some(NodeKind::Topic), Some(NodeKind::Topic)) => false,
                            (Some(_), Some(_)) => true,
                            _ => false,
                        };
                        Sep::Newline {
                            blank: forced || self.blank_between(prev, child),
                        }
                    }
                };
                doc = doc.append(self.sep(sep));
            }
            match child {
                Element::Node(node) => after = Some(node.kind),
                Element::Token(token) if !self.trails(token) => after = None,
                Element::Token(_) => {}
            }
            doc = doc.append(self.element(child));
        }
        doc
    }

    fn node(&self, node: &Node<'s>) -> Doc<'a> {
        let children = node.children.as_slice();
        match node.kind {
            NodeKind::File => self.file(node),
            NodeKind::Group
            | NodeKind::Organisation
            | NodeKind::Priority
            | NodeKind::Representative => self.block(children),
            NodeKind::Rule => self.rule(children),
            NodeKind::Patterns | NodeKind::Forums => {
                // `owns a, b` / `forums "A", "B"`: one per line when too long.
                let at = children
                    .iter()
                    .position(|c| !is_token(c, TokenKind::Keyword))
                    .unwrap_or(children.len());
                let (head, items) = children.split_at(at);
                let list = self.seq_from(head.last(), items, false, listed(Sep::Space));
                self.seq(head, false, |_, _| Sep::Space)
                    .append(list.nest(2).group())
            }
            NodeKind::List => {
                // `[a, b]`, or the items one per line, two spaces in, and
                // the closing bracket back out.
                let (Some(open), Some(close)) = (children.first(), children.last()) else {
                    return self.nil();
                };
                let items = children
                    .get(1..children.len().saturating_sub(1))
                    .unwrap_or_default();
                if items.is_empty() {
                    return self.seq(children, false, |_, _| Sep::Tight);
                }
                let inner = self.seq_from(Some(open), items, false, listed(Sep::Soft));
                let last = items.last().unwrap_or(open);
                let before_close = self.between(last, close, false, |_, _| Sep::Soft);
                self.element(open)
                    .append(inner.nest(2))
                    .append(self.sep(before_close))
                    .append(self.element(close))
                    .group()
            }
            NodeKind::Or | NodeKind::And => self
                .seq(children, false, |_, next| {
                    if is_token(next, TokenKind::Keyword) {
                        Sep::Line
                    } else {
                        Sep::Space
                    }
                })
                .nest(2)
                .group(),
            NodeKind::Parenthesised => self.seq(children, false, |prev, next| {
                if is_token(prev, TokenKind::OpenParen) || is_token(next, TokenKind::CloseParen) {
                    Sep::Tight
                } else {
                    Sep::Space
                }
            }),
            NodeKind::Place
            | NodeKind::Owns
            | NodeKind::Principle
            | NodeKind::Script
            | NodeKind::Topics
            | NodeKind::Topic
            | NodeKind::Role
            | NodeKind::Valid
            | NodeKind::Report
            | NodeKind::Except
            | NodeKind::At
            | NodeKind::When
            | NodeKind::Not
            | NodeKind::Comparison => self.seq(children, false, |_, _| Sep::Space),
        }
    }

    /// `HEADER { STATEMENTS }`: the statements two spaces in, one a line.
    fn block(&self, children: &[Element<'s>]) -> Doc<'a> {
        let open = children
            .iter()
            .position(|c| is_token(c, TokenKind::OpenBrace));
        let close = children
            .iter()
            .rposition(|c| is_token(c, TokenKind::CloseBrace));
        let (Some(open), Some(close)) = (open, close) else {
            return self.seq(children, false, |_, _| Sep::Space);
        };
        let head = children.get(..=open).unwrap_or_default();
        let body = children.get(open + 1..close).unwrap_or_default();
        let tail = children.get(close..).unwrap_or_default();
        let mut doc = self.seq(head, false, |_, _| Sep::Space);
        if body.is_empty() {
            return doc.append(self.seq(tail, false, |_, _| Sep::Space));
        }
        // The body, with the brace before it so that a comment on the
        // brace's line stays there.
        let mut inner = self.nil();
        let mut prev = children.get(open);
        for child in body {
            let between = match prev {
                // No blank line straight after the brace.
                Some(p) if is_token(p, TokenKind::OpenBrace) => {
                    match self.between(p, child, false, |_, _| Sep::Newline { blank: false }) {
                        Sep::Space => Sep::Space,
                        _ => Sep::Newline { blank: false },
                    }
                }
                Some(p) => self.between(p, child, true, |p, c| Sep::Newline {
                    blank: self.blank_between(p, c),
                }),
                None => Sep::Newline { blank: false },
            };
            inner = inner.append(self.sep(between)).append(self.element(child));
            prev = Some(child);
        }
        doc = doc.append(inner.nest(2));
        doc.append(self.arena.hardline())
            .append(self.seq(tail, false, |_, _| Sep::Space))
    }

    /// `may agree PATTERNS except PATTERNS at "F" when CONDITION`: one
    /// line when it fits, else each clause on a line of its own.
    fn rule(&self, children: &[Element<'s>]) -> Doc<'a> {
        let doc = self.seq(children, false, |_, next| match next {
            Element::Node(node) if is_clause(node.kind) => Sep::Line,
            _ => Sep::Space,
        });
        doc.nest(2).group()
    }
}

/// The separators of a comma-separated list: `first` before the first
/// item, none before a comma, and a line break opportunity after one.
fn listed(first: Sep) -> impl Fn(&Element<'_>, &Element<'_>) -> Sep {
    move |prev, next| {
        if is_token(next, TokenKind::Comma) {
            Sep::Tight
        } else if is_token(prev, TokenKind::Comma) {
            Sep::Line
        } else {
            first
        }
    }
}

fn is_clause(kind: NodeKind) -> bool {
    matches!(kind, NodeKind::Except | NodeKind::At | NodeKind::When)
}

fn is_token(element: &Element<'_>, kind: TokenKind) -> bool {
    matches!(element, Element::Token(t) if t.kind == kind)
}

fn comment<'e, 's>(element: &'e Element<'s>) -> Option<&'e Token<'s>> {
    match element {
        Element::Token(token) if token.kind == TokenKind::Comment => Some(token),
        _ => None,
    }
}

/// Whether the last token of `element` is a comment (nothing may follow
/// it on its line).
fn ends_in_comment(element: &Element<'_>) -> bool {
    last_token(element).is_some_and(|t| t.kind == TokenKind::Comment)
}

fn declaration(element: &Element<'_>) -> Option<NodeKind> {
    match element {
        Element::Node(node) => Some(node.kind),
        Element::Token(_) => None,
    }
}

fn first_token<'e, 's>(element: &'e Element<'s>) -> Option<&'e Token<'s>> {
    let mut element = element;
    loop {
        match element {
            Element::Token(token) => return Some(token),
            Element::Node(node) => element = node.children.first()?,
        }
    }
}

fn last_token<'e, 's>(element: &'e Element<'s>) -> Option<&'e Token<'s>> {
    let mut element = element;
    loop {
        match element {
            Element::Token(token) => return Some(token),
            Element::Node(node) => element = node.children.last()?,
        }
    }
}

/// Collects the rendered text, dropping the spaces at the end of each
/// line, except inside a principle's code, which is kept byte for byte.
#[derive(Default)]
struct Output {
    text: String,
    /// Spaces written but not yet known to be followed by text.
    spaces: String,
    verbatim: usize,
}

impl pretty::Render for Output {
    type Error = ();

    fn write_str(&mut self, s: &str) -> Result<usize, ()> {
        if self.verbatim > 0 {
            self.text.push_str(&self.spaces);
            self.spaces.clear();
            self.text.push_str(s);
        } else if s == "\n" {
            self.spaces.clear();
            self.text.push('\n');
        } else if !s.is_empty() && s.bytes().all(|b| b == b' ') {
            self.spaces.push_str(s);
        } else {
            self.text.push_str(&self.spaces);
            self.spaces.clear();
            self.text.push_str(s);
        }
        Ok(s.len())
    }

    fn fail_doc(&self) {}
}

impl pretty::RenderAnnotated<'_, Verbatim> for Output {
    fn push_annotation(&mut self, _: &Verbatim) -> Result<(), ()> {
        self.verbatim += 1;
        Ok(())
    }

    fn pop_annotation(&mut self) -> Result<(), ()> {
        self.verbatim = self.verbatim.saturating_sub(1);
        Ok(())
    }
}
