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

/// A name a principle's code calls as a function (`has_topic(..)`) or a
/// method (`changes.contains(..)`), where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Call {
    /// The name called.
    pub(crate) name: String,
    /// Whether it is called as a method (after `.` or `?.`).
    pub(crate) method: bool,
    /// Where the name starts.
    pub(crate) start: Place,
    /// Where the name ends.
    pub(crate) end: Place,
}

/// A text literal a principle's code gives `has_topic` as its topic:
/// `has_topic(proposal, "mental_health")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopicText {
    /// The text between the quotes, escapes as written.
    pub(crate) text: String,
    /// Where the opening quote is.
    pub(crate) start: Place,
    /// Just past the closing quote.
    pub(crate) end: Place,
}

/// What a principle's code calls, and what it defines and binds, found in
/// its text: for `validate` to tell a call to a function the sandbox has
/// from one to a misspelt or left-out function.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Calls {
    /// Every call of a name, in the order of the code. Words of the
    /// language followed by `(` (`if (..)`, `while (..)`, `switch (..)`,
    /// `return (..)`, `Fn("..")`, `fn name(..)`) are not calls.
    pub(crate) calls: Vec<Call>,
    /// The functions the code defines with `fn NAME(..)`.
    pub(crate) defined: std::collections::HashSet<String>,
    /// Names the code also uses other than by calling them: a variable, a
    /// parameter, a map's property (`#{ go: |x| .. }`, `m.go = ..`). A
    /// method call of one of these may be a function value kept in a map.
    pub(crate) bound: std::collections::HashSet<String>,
    /// The text literals given to `has_topic`.
    pub(crate) topic_texts: Vec<TopicText>,
}

/// Words of Rhai that may stand before `(` without calling a function,
/// and the functions Rhai itself provides in the language (not in a
/// package, so not among the engine's registered functions).
const NOT_CALLS: [&str; 30] = [
    "if",
    "else",
    "switch",
    "while",
    "loop",
    "do",
    "until",
    "for",
    "in",
    "return",
    "throw",
    "try",
    "catch",
    "fn",
    "private",
    "let",
    "const",
    "break",
    "continue",
    "true",
    "false",
    "Fn",
    "call",
    "curry",
    "type_of",
    "is_def_var",
    "is_def_fn",
    "is_shared",
    "print",
    "debug",
];

impl Calls {
    /// Finds the calls in a principle's code (as given to
    /// [`super::Sandbox::compile`]). Places are as Rhai counts them.
    pub(crate) fn of(code: &str) -> Self {
        let code = code
            .strip_prefix('\u{feff}')
            .map_or_else(|| code.to_string(), |rest| format!(" {rest}"));
        let tokens = lex(&code);
        let text_at = |i: usize| tokens.get(i).map_or("", |t: &Token| t.text.as_str());
        let mut found = Calls::default();
        for (i, token) in tokens.iter().enumerate() {
            if token.kind == TokenKind::Str && text_at(i + 1) == ":" {
                // `#{ "go": .. }`
                found.bound.insert(token.text.clone());
            }
            if token.kind != TokenKind::Ident {
                continue;
            }
            let before = i.checked_sub(1).map_or("", text_at);
            let method = before == "." || before == "?.";
            let called = text_at(i + 1) == "(" || (text_at(i + 1) == "!" && text_at(i + 2) == "(");
            if !called {
                let assigned = method && text_at(i + 1) == "=" && text_at(i + 2) != "=";
                if !method || assigned || text_at(i + 1) == ":" {
                    found.bound.insert(token.text.clone());
                }
                continue;
            }
            if before == "fn" {
                found.defined.insert(token.text.clone());
                continue;
            }
            if before == "::" || (!method && NOT_CALLS.contains(&token.text.as_str())) {
                continue;
            }
            if method && matches!(token.text.as_str(), "call" | "curry") {
                continue;
            }
            if token.text == "has_topic" {
                found.topic_texts.extend(topic_text(&tokens, i, method));
            }
            found.calls.push(Call {
                name: token.text.clone(),
                method,
                start: token.start,
                end: token.end,
            });
        }
        found
    }
}

/// The text literal given as the topic of the `has_topic` call whose name
/// is at `at`: the second value of `has_topic(proposal, "t")`, or the only
/// one of `proposal.has_topic("t")`. `None` when it is not a literal.
fn topic_text(tokens: &[Token], at: usize, method: bool) -> Option<TopicText> {
    let mut i = at + 2;
    if !method {
        // Past the first value, to the `,` that ends it.
        let mut depth = 0usize;
        loop {
            let token = tokens.get(i)?;
            if token.kind == TokenKind::Punct {
                match token.text.as_str() {
                    "(" | "[" | "{" | "?[" => depth += 1,
                    ")" | "]" | "}" => depth = depth.checked_sub(1)?,
                    "," if depth == 0 => break,
                    _ => {}
                }
            }
            i += 1;
        }
        i += 1;
    }
    let literal = tokens.get(i).filter(|t| t.kind == TokenKind::Str)?;
    let close = tokens.get(i + 1)?;
    (close.text == ")").then(|| TopicText {
        text: literal.text.clone(),
        start: literal.start,
        end: literal.end,
    })
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
    /// Where the token ends (just past its last character).
    end: Place,
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
                end: start,
            });
        } else if c == '\'' {
            cursor.bump();
            quoted(cursor, '\'');
            tokens.push(Token {
                kind: TokenKind::Other,
                text: String::new(),
                start,
                end: start,
            });
        } else if c == '`' {
            cursor.bump();
            back_tick(cursor, tokens);
            tokens.push(Token {
                kind: TokenKind::Other,
                text: String::new(),
                start,
                end: start,
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
            tokens.push(Token {
                kind,
                text,
                start,
                end: start,
            });
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
        // Each pass starts at a place of its own: a token starting here
        // was made by this pass, and ends where it stopped.
        if let Some(last) = tokens.last_mut().filter(|t| t.start == start) {
            last.end = cursor.place();
        }
    }
}

fn punct(text: &str, start: Place) -> Token {
    Token {
        kind: TokenKind::Punct,
        text: text.to_string(),
        start,
        end: start,
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
