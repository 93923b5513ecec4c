//! Diagnostics: errors and warnings about a rule file, as plain data.
//!
//! Every stage that finds a mistake in a rule file (syntax, validate,
//! loading scripts) reports it as a [`Diagnostic`]: file, line, column, the
//! source line, the message and a help line that says what to write
//! instead. Front ends render them: [`Diagnostic::render`] draws the
//! familiar caret picture (through miette), and serde gives JSON for
//! editors and other tools.

use crate::span::{self, Span};
use crate::visible::{visible, visible_source};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The code of the note `validate` adds when a file has more problems than
/// it shows (`MAX_DIAGNOSTICS`, 500): it counts the errors and warnings
/// left out, and is an error only when errors were left out.
pub const TOO_MANY_PROBLEMS: &str = "too-many-problems";

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The mandate cannot be used until this is fixed.
    Error,
    /// The mandate works, but probably not as its authors meant.
    Warning,
}

/// One error or warning about a rule file or a principle script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// `error` or `warning`.
    pub level: Level,
    /// A short stable name for the kind of problem (`duplicate-id`).
    pub code: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to write instead.
    pub help: Option<String>,
    /// The file the problem is in, as it was named to the tool.
    pub file: String,
    /// 1-based line of the start of the problem (0 when it has no place,
    /// such as a file that cannot be read).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 1-based line of the end of the problem.
    pub end_line: u32,
    /// 1-based column just past the end of the problem.
    pub end_column: u32,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// The text of the line the problem starts on.
    pub source_line: String,
}

impl Diagnostic {
    /// A diagnostic at `span` of `source` (the text of `file`).
    pub(crate) fn at(
        level: Level,
        code: &str,
        message: impl Into<String>,
        help: Option<String>,
        file: &str,
        source: &str,
        span: Span,
    ) -> Self {
        let start = span.start.min(source.len());
        let end = span.end.clamp(start, source.len());
        let (end_line, end_column) = Span { start, end, ..span }.end_line_column(source);
        let line_start = span::line_start(source, start);
        let line_end = span::line_end(source, start);
        Diagnostic {
            level,
            code: code.to_string(),
            message: message.into(),
            help,
            file: file.to_string(),
            line: span.line.max(1),
            column: span.column.max(1),
            end_line,
            end_column,
            start,
            end,
            source_line: excerpt(
                source.get(line_start..line_end).unwrap_or(""),
                start - line_start,
            ),
        }
    }

    /// A diagnostic about a whole file (it cannot be read, for instance).
    pub(crate) fn file(
        level: Level,
        code: &str,
        message: impl Into<String>,
        help: Option<String>,
        file: &str,
    ) -> Self {
        Diagnostic {
            level,
            code: code.to_string(),
            message: message.into(),
            help,
            file: file.to_string(),
            line: 0,
            column: 0,
            end_line: 0,
            end_column: 0,
            start: 0,
            end: 0,
            source_line: String::new(),
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// Draws the diagnostic for a terminal: the message, `file:line:column`,
    /// the source line with a caret under the mistake, and the help line.
    /// `source` is the full text of the diagnostic's `file`, when available.
    /// Control characters from the input (in the file's name, the message,
    /// the help, the source lines) are drawn visibly (see
    /// [`crate::visible`]); `colour` adds the only escape sequences.
    pub fn render(&self, source: Option<&str>, colour: bool) -> String {
        use miette::{GraphicalReportHandler, GraphicalTheme};
        let theme = if colour {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_context_lines(1);
        let window = source
            .filter(|_| self.line > 0)
            .and_then(|text| Window::new(self, text));
        let report = Rendered {
            diagnostic: self,
            window,
        };
        let mut out = String::new();
        if handler.render_report(&mut out, &report).is_err() {
            out = self.to_string();
        }
        out
    }
}

/// One line: `file:line:column: level: message`, then the help.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        let (file, message) = (visible(&self.file), visible(&self.message));
        if self.line > 0 {
            write!(
                f,
                "{file}:{}:{}: {level}: {message}",
                self.line, self.column
            )?;
        } else {
            write!(f, "{file}: {level}: {message}")?;
        }
        if let Some(help) = &self.help {
            write!(f, " (help: {})", visible(help))?;
        }
        Ok(())
    }
}

/// Longest source line kept whole in a diagnostic; longer lines (a
/// generated file, a bracket bomb) are cut to a window around the mistake.
const MAX_LINE: usize = 240;

/// The line, or for a very long line the part around byte `at` with `…`
/// marking what was cut.
fn excerpt(line: &str, at: usize) -> String {
    let line = line.trim_end_matches('\r');
    if line.len() <= MAX_LINE {
        return line.to_string();
    }
    let floor = |mut i: usize| {
        i = i.min(line.len());
        while !line.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = floor(at.saturating_sub(MAX_LINE / 2));
    let to = floor(from + MAX_LINE);
    format!(
        "{}{}{}",
        if from > 0 { "…" } else { "" },
        &line[from..to],
        if to < line.len() { "…" } else { "" }
    )
}

/// What miette draws of the source: the mistake's line and one line
/// either side, made visible. Only these lines are handed to miette, so a
/// large file with many diagnostics is not copied or scanned once for each;
/// the line numbers are moved on by the lines before them. Escapes make a
/// line longer than the file's, so the header's line and column are the
/// diagnostic's own, not counted again by miette.
struct Window {
    /// The file's name, made visible.
    name: String,
    text: String,
    /// 0-based line in the file of the first line of `text`.
    first_line: usize,
    /// Byte offset and length of the underline in `text`.
    label: (usize, usize),
    /// 0-based line and column of the mistake in the file.
    line: usize,
    column: usize,
}

impl Window {
    /// `None` when the mistake is not at a character of `source` or its line
    /// is too long to draw whole (the message then quotes the excerpt).
    fn new(d: &Diagnostic, source: &str) -> Option<Window> {
        let start = d.start.min(source.len());
        let after = source.get(start..)?;
        let line_start = span::line_start(source, start);
        let line_end = span::line_end(source, start);
        let line = source.get(line_start..line_end)?.trim_end_matches('\r');
        if line.len() > MAX_LINE {
            return None;
        }
        // Underline to the end of the span or of its first line, whichever
        // comes first, and at least one character unless at the very end.
        let end = d.end.clamp(start, line_end);
        let end = match after.chars().next() {
            Some(c) if end == start && start < line_end => start + c.len_utf8(),
            _ => end,
        };
        let previous = match line_start.checked_sub(1) {
            Some(newline) => Some(source.get(span::line_start(source, newline)..newline)?),
            None => None,
        };
        let next =
            source
                .get(line_end..)?
                .strip_prefix('\n')
                .map(|rest| match rest.split_once('\n') {
                    Some((line, _)) => (line, true),
                    None => (rest, false),
                });
        let first = line_start - previous.map_or(0, |p| p.len() + 1);
        // The diagnostic's own line, when it agrees with its offset, spares
        // counting lines from the file's start for each one shown.
        let first_line = match previous {
            Some(_) if d.line >= 2 => d.line as usize - 2,
            None if d.line >= 1 => d.line as usize - 1,
            _ => span::line_number(source, first) as usize - 1,
        };
        let mut text = String::new();
        if let Some(previous) = previous {
            text.push_str(&context_line(previous));
            text.push('\n');
        }
        let (shown, [label_start, label_end]) =
            visible_source(line, [start - line_start, end - line_start]);
        let label = (text.len() + label_start, label_end - label_start);
        text.push_str(&shown);
        if let Some((next, more)) = next {
            text.push('\n');
            text.push_str(&context_line(next));
            // A line end after it, as in the file: miette draws an empty
            // last line only when a line end closes it.
            if more {
                text.push('\n');
            }
        }
        Some(Window {
            name: visible(&d.file).into_owned(),
            text,
            first_line,
            label,
            line: d.line.saturating_sub(1) as usize,
            column: d.column.saturating_sub(1) as usize,
        })
    }
}

/// A line drawn around the mistake, made visible, cut when very long.
fn context_line(line: &str) -> String {
    let line = line.trim_end_matches('\r');
    match line.char_indices().nth(MAX_LINE) {
        Some((cut, _)) => visible_source(line.get(..cut).unwrap_or(line), []).0 + "…",
        None => visible_source(line, []).0,
    }
}

impl miette::SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        // Without context lines, miette is asking where the mistake is,
        // for the header.
        let (line, column) = if before == 0 && after == 0 {
            (self.line, self.column)
        } else {
            (self.first_line + inner.line(), inner.column())
        };
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            inner.line_count(),
        )))
    }
}

/// Adapter that lets miette draw a [`Diagnostic`].
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    window: Option<Window>,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        let (file, message) = (visible(&d.file), visible(&d.message));
        if self.window.is_some() {
            f.write_str(&message)
        } else if d.line > 0 {
            write!(
                f,
                "{file}:{}:{}: {message}\n  near: {}",
                d.line,
                d.column,
                visible(&d.source_line)
            )
        } else {
            write!(f, "{file}: {message}")
        }
    }
}

impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!("mandate::{}", self.diagnostic.code)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.level {
            Level::Error => miette::Severity::Error,
            Level::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(visible(h).into_owned()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.window.as_ref().map(|w| w as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let (offset, len) = self.window.as_ref()?.label;
        Some(Box::new(std::iter::once(miette::LabeledSpan::new(
            Some("here".into()),
            offset,
            len,
        ))))
    }
}
