//! Diagnostics: errors and warnings about a rule file, as plain data.
//!
//! Every stage that finds a mistake in a rule file (syntax, validate,
//! loading scripts) reports it as a [`Diagnostic`]: file, line, column, the
//! source line, the message and a help line that says what to write
//! instead. Front ends render them: [`Diagnostic::render`] draws the
//! familiar caret picture (through miette), and serde gives JSON for
//! editors and other tools.

use crate::syntax::ast::Span;
use serde::Serialize;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The mandate cannot be used until this is fixed.
    Error,
    /// The mandate works, but probably not as its authors meant.
    Warning,
}

/// One error or warning about a rule file or a principle script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub fn at(
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
        // Count from the start of the span, not of the file: a file with
        // many diagnostics stays linear.
        let (end_line, end_column) = {
            let covered = &source[start..end];
            let newlines = covered.matches('\n').count() as u32;
            match covered.rfind('\n') {
                Some(i) => (
                    span.line.max(1) + newlines,
                    covered[i + 1..].chars().count() as u32 + 1,
                ),
                None => (
                    span.line.max(1),
                    span.column.max(1) + covered.chars().count() as u32,
                ),
            }
        };
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
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
            source_line: excerpt(&source[line_start..line_end], start - line_start),
        }
    }

    /// A diagnostic about a whole file (it cannot be read, for instance).
    pub fn file(
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
    /// `source` is the full text of [`Diagnostic::file`], when available.
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
        let report = Rendered {
            diagnostic: self,
            source: miette::NamedSource::new(&self.file, source.unwrap_or("").to_string()),
            // A very long line would be drawn whole: show the excerpt in
            // the message instead.
            has_source: source.is_some() && self.line > 0 && !self.source_line.contains('…'),
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
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {level}: {}",
                self.file, self.line, self.column, self.message
            )?;
        } else {
            write!(f, "{}: {level}: {}", self.file, self.message)?;
        }
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
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

/// Adapter that lets miette draw a [`Diagnostic`].
struct Rendered<'a> {
    diagnostic: &'a Diagnostic,
    source: miette::NamedSource<String>,
    has_source: bool,
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        if self.has_source {
            f.write_str(&d.message)
        } else if d.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}\n  near: {}",
                d.file, d.line, d.column, d.message, d.source_line
            )
        } else {
            write!(f, "{}: {}", d.file, d.message)
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
            .map(|h| Box::new(h.clone()) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.has_source
            .then_some(&self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        if !self.has_source {
            return None;
        }
        let d = self.diagnostic;
        // Underline to the end of the span or of its first line, whichever
        // comes first, and at least one character unless at the very end.
        let text = self.source.inner();
        let start = d.start.min(text.len());
        if !text.is_char_boundary(start) {
            return None;
        }
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let len = d.end.min(line_end).saturating_sub(start);
        let len = if len == 0 && start < line_end { 1 } else { len };
        Some(Box::new(std::iter::once(miette::LabeledSpan::new(
            Some("here".into()),
            start,
            len,
        ))))
    }
}
