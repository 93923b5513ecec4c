//! What a principle's code reads of the proposal, found in its text.
//!
//! Owns a small scanner of Rhai text (comments, strings, back-tick
//! strings with their `${…}` code, character literals) that finds every
//! `proposal.a.b`, `proposal?.a` and `proposal["a"]` read, where it is,
//! and whether a `??` default follows it. The sandbox uses this to tell
//! which proposal field fed an operation that failed. It never runs code.
//!
//! Rhai's own syntax tree is not walkable without its `internals`
//! feature, so this reads the text; it errs on the side of "open" (the
//! code may read fields this cannot see), which makes the sandbox blame
//! no field at all.

/// Where a token starts or ends in the code: 1-based line, 1-based column
/// (in characters, as Rhai counts them).
pub(crate) type Place = (usize, usize);

/// One read of a proposal field: `proposal.budget.total`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRead {
    /// The names along the path (`["budget", "total"]`), never empty.
    pub path: Vec<String>,
    /// Per step, whether it was written `?.` / `?[` (reads `()` from `()`
    /// without an error).
    pub(crate) elvis: Vec<bool>,
    /// Per step, where its name starts.
    pub(crate) step_places: Vec<Place>,
    /// Whether a `??` default follows the read, so `()` never leaves it.
    pub coalesced: bool,
    /// Where the read starts (the `p` of `proposal`).
    pub(crate) start: Place,
    /// Where the token before `proposal` starts, if any.
    pub(crate) before: Option<Place>,
    /// Where the token after the read starts, if any.
    pub(crate) after: Option<Place>,
    /// Where the name of a method called on the read starts
    /// (`proposal.changes.contains(..)`), if one is.
    pub(crate) method: Option<Place>,
}

/// Every read of the proposal a principle's code makes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldReads {
    /// The reads, in the order of the code.
    pub reads: Vec<FieldRead>,
    /// Whether the code may read fields not listed: it uses `proposal`
    /// other than through a named field (passes it to a function of its
    /// own, indexes it with a computed key, copies it), or its text was
    /// not available.
    pub open: bool,
}

impl FieldReads {
    /// The reads of code whose text is not known: open, so no field is
    /// ever blamed.
    pub fn unknown() -> Self {
        FieldReads {
            reads: Vec::new(),
            open: true,
        }
    }

    /// Finds the proposal reads in a principle's code (as given to
    /// [`super::Sandbox::compile`]).
    pub fn of(code: &str) -> Self {
        let code = code.strip_prefix('\u{feff}').map_or_else(
            || code.to_string(),
            // As `compile` does, so columns agree with Rhai's.
            |rest| format!(" {rest}"),
        );
        let tokens = lex(&code);
        let mut reads = Vec::new();
        let mut open = false;
        let mut i = 0;
        while let Some(token) = tokens.get(i) {
            let is_proposal = token.kind == TokenKind::Ident && token.text == "proposal";
            let after_dot = i > 0
                && tokens
                    .get(i - 1)
                    .is_some_and(|t| t.text == "." || t.text == "?.");
            if !is_proposal || after_dot {
                i += 1;
                continue;
            }
            let mut path = Vec::new();
            let mut elvis = Vec::new();
            let mut step_places = Vec::new();
            let mut method = None;
            let mut j = i + 1;
            while let (Some(op), Some(name)) = (tokens.get(j), tokens.get(j + 1)) {
                let next = tokens.get(j + 2);
                match (op.text.as_str(), name.kind) {
                    ("." | "?.", TokenKind::Ident) => {
                        if next.is_some_and(|t| t.text == "(") {
                            method = Some(name.start);
                            break;
                        }
                        path.push(name.text.clone());
                        elvis.push(op.text == "?.");
                        step_places.push(name.start);
                        j += 2;
                    }
                    ("[" | "?[", TokenKind::Str) if next.is_some_and(|t| t.text == "]") => {
                        path.push(name.text.clone());
                        elvis.push(op.text == "?[");
                        step_places.push(name.start);
                        j += 3;
                    }
                    ("[" | "?[", _) => {
                        open = true;
                        break;
                    }
                    _ => break,
                }
            }
            if path.is_empty() {
                // `has_topic(proposal, ..)` reads only the topics, in Rust.
                let in_has_topic = i >= 2
                    && tokens.get(i - 1).is_some_and(|t| t.text == "(")
                    && tokens.get(i - 2).is_some_and(|t| t.text == "has_topic");
                if !in_has_topic {
                    open = true;
                }
            } else {
                let after = tokens.get(j);
                reads.push(FieldRead {
                    path,
                    elvis,
                    step_places,
                    coalesced: method.is_none() && after.is_some_and(|t| t.text == "??"),
                    start: token.start,
                    before: i
                        .checked_sub(1)
                        .and_then(|k| tokens.get(k))
                        .map(|t| t.start),
                    after: after.map(|t| t.start),
                    method,
                });
            }
            i = j.max(i + 1);
        }
        FieldReads { reads, open }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokenKind {
    Ident,
    /// A string literal; `text` is its content (escapes left as written).
    Str,
    Punct,
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    kind: TokenKind,
    text: String,
    start: Place,
}

/// Operators of more than one character that matter here, longest first.
const PUNCTS: [&str; 6] = ["??", "?.", "?[", "::", "=>", "->"];

struct Cursor<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: usize,
    column: usize,
}

impl Cursor<'_> {
    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn place(&self) -> Place {
        (self.line, self.column)
    }
}

fn lex(code: &str) -> Vec<Token> {
    let mut cursor = Cursor {
        chars: code.chars().peekable(),
        line: 1,
        column: 1,
    };
    let mut tokens = Vec::new();
    lex_into(&mut cursor, &mut tokens, false);
    tokens
}

/// Lexes until the end, or (inside `${…}`) until the `}` that closes it.
fn lex_into(cursor: &mut Cursor<'_>, tokens: &mut Vec<Token>, in_interpolation: bool) {
    let mut depth = 0usize;
    while let Some(c) = cursor.peek() {
        let start = cursor.place();
        if c.is_whitespace() {
            cursor.bump();
        } else if c == '/' {
            cursor.bump();
            match cursor.peek() {
                Some('/') => {
                    while cursor.peek().is_some_and(|c| c != '\n') {
                        cursor.bump();
                    }
                }
                Some('*') => {
                    cursor.bump();
                    skip_block_comment(cursor);
                }
                _ => tokens.push(punct("/", start)),
            }
        } else if c == '"' {
            cursor.bump();
            let text = quoted(cursor, '"');
            tokens.push(Token {
                kind: TokenKind::Str,
                text,
                start,
            });
        } else if c == '\'' {
            cursor.bump();
            quoted(cursor, '\'');
            tokens.push(Token {
                kind: TokenKind::Other,
                text: String::new(),
                start,
            });
        } else if c == '`' {
            cursor.bump();
            back_tick(cursor, tokens);
            tokens.push(Token {
                kind: TokenKind::Other,
                text: String::new(),
                start,
            });
        } else if c.is_alphanumeric() || c == '_' {
            let mut text = String::new();
            while let Some(c) = cursor.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
                text.push(c);
                cursor.bump();
            }
            let kind = if text.starts_with(|c: char| c.is_ascii_digit()) {
                TokenKind::Other
            } else {
                TokenKind::Ident
            };
            tokens.push(Token { kind, text, start });
        } else {
            cursor.bump();
            if in_interpolation {
                if c == '{' {
                    depth += 1;
                } else if c == '}' {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                }
            }
            let pair = cursor.peek().map(|d| format!("{c}{d}"));
            match pair.filter(|p| PUNCTS.contains(&p.as_str())) {
                Some(pair) => {
                    cursor.bump();
                    tokens.push(punct(&pair, start));
                }
                None => tokens.push(punct(&c.to_string(), start)),
            }
        }
    }
}

fn punct(text: &str, start: Place) -> Token {
    Token {
        kind: TokenKind::Punct,
        text: text.to_string(),
        start,
    }
}

/// Skips a block comment after its `/*`; Rhai's nest.
fn skip_block_comment(cursor: &mut Cursor<'_>) {
    let mut depth = 1usize;
    while let Some(c) = cursor.bump() {
        match (c, cursor.peek()) {
            ('*', Some('/')) => {
                cursor.bump();
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            ('/', Some('*')) => {
                cursor.bump();
                depth += 1;
            }
            _ => {}
        }
    }
}

/// The text of a literal after its opening quote, up to the closing one.
fn quoted(cursor: &mut Cursor<'_>, quote: char) -> String {
    let mut text = String::new();
    while let Some(c) = cursor.bump() {
        if c == quote {
            break;
        }
        if c == '\\' {
            if let Some(escaped) = cursor.bump() {
                text.push('\\');
                text.push(escaped);
            }
            continue;
        }
        text.push(c);
    }
    text
}

/// A back-tick string after its opening back-tick; the code inside each
/// `${…}` is lexed into `tokens`.
fn back_tick(cursor: &mut Cursor<'_>, tokens: &mut Vec<Token>) {
    while let Some(c) = cursor.bump() {
        match c {
            '`' => return,
            '\\' => {
                cursor.bump();
            }
            '$' if cursor.peek() == Some('{') => {
                cursor.bump();
                lex_into(cursor, tokens, true);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(code: &str) -> Vec<String> {
        FieldReads::of(code)
            .reads
            .iter()
            .map(|r| r.path.join("."))
            .collect()
    }

    #[test]
    fn finds_reads_in_every_form() {
        assert_eq!(
            paths("proposal.a > 1 && proposal?.b.c == 2 || proposal[\"d\"][\"e\"]"),
            ["a", "b.c", "d.e"]
        );
        assert_eq!(paths("proposal.changes.contains(\"x\")"), ["changes"]);
        assert_eq!(paths("`${proposal.cost} pounds`"), ["cost"]);
    }

    #[test]
    fn skips_comments_and_strings() {
        assert!(paths(
            "// proposal.a\n/* proposal.b /* nested */ proposal.c */ \"proposal.d\" true"
        )
        .is_empty());
    }

    #[test]
    fn knows_defaults_methods_and_places() {
        let reads =
            FieldReads::of("let c = proposal.changes ?? [];\n c.len() + proposal.cost.len()");
        assert!(!reads.open);
        assert_eq!(reads.reads.len(), 2);
        assert!(reads.reads[0].coalesced);
        assert_eq!(reads.reads[0].start, (1, 9));
        assert!(!reads.reads[1].coalesced);
        assert_eq!(reads.reads[1].method, Some((2, 26)));
    }

    #[test]
    fn other_uses_of_the_proposal_are_open() {
        assert!(!FieldReads::of("has_topic(proposal, \"a\")").open);
        assert!(FieldReads::of("fn f(p) { p.x } f(proposal)").open);
        assert!(FieldReads::of("let k = \"x\"; proposal[k]").open);
        assert!(FieldReads::of("let p = proposal; true").open);
    }
}
