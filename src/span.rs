//! Where a piece of text is: [`Span`], and the one line index every stage
//! uses to turn byte offsets into lines and columns and back.
//!
//! Below every stage: the parser, `validate`, `compile`, proposals and
//! diagnostics all count lines here, so a line and a column mean the same
//! thing wherever they are reported (1-based; columns count characters,
//! not bytes). It reads no files and knows nothing of the language.

use serde::{Serialize, Serializer};
use std::fmt;

/// Where a piece of text is in its file: byte range plus the 1-based line
/// and column (in characters) of its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// 1-based line of the first character.
    pub line: u32,
    /// 1-based column (in characters) of the first character.
    pub column: u32,
}

impl Span {
    /// The empty span at the very start of a text (line 1, column 1).
    pub const START: Span = Span {
        start: 0,
        end: 0,
        line: 1,
        column: 1,
    };

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The 1-based line and column just past the span's end in `source`
    /// (the text the span is in), counted from the span's own start so that
    /// many spans of one large file cost no more than the text they cover.
    pub fn end_line_column(&self, source: &str) -> (u32, u32) {
        let start = floor_char_boundary(source, self.start);
        let end = floor_char_boundary(source, self.end.max(start));
        let covered = source.get(start..end).unwrap_or("");
        let newlines = covered.matches('\n').count() as u32;
        match covered.rfind('\n') {
            Some(i) => (
                self.line.max(1) + newlines,
                chars(covered.get(i + 1..).unwrap_or("")) + 1,
            ),
            None => (self.line.max(1), self.column.max(1) + chars(covered)),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Serialized compactly (`"line:column@start..end"`) to keep snapshots of the
/// tree readable.
impl Serialize for Span {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format!(
            "{}:{}@{}..{}",
            self.line, self.column, self.start, self.end
        ))
    }
}

/// Where each line of a text starts, so that a position's line and column
/// cost a binary search instead of a scan from the start of the text (a
/// scan per position made large files quadratic).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    source: &'a str,
    /// Byte offset of the first byte of each line.
    starts: Vec<usize>,
    /// Per line: whether it is all ASCII (then columns are byte offsets).
    ascii: Vec<bool>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `source`.
    pub fn new(source: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        let ascii = starts
            .iter()
            .enumerate()
            .map(|(n, start)| {
                let end = starts.get(n + 1).copied().unwrap_or(source.len());
                source
                    .as_bytes()
                    .get(*start..end)
                    .is_some_and(<[u8]>::is_ascii)
            })
            .collect();
        LineIndex {
            source,
            starts,
            ascii,
        }
    }

    /// The 1-based line of byte `offset`.
    pub fn line(&self, offset: usize) -> u32 {
        self.starts.partition_point(|s| *s <= offset).max(1) as u32
    }

    /// The 1-based line and column (in characters) of byte `offset`,
    /// clamped to the text and to a character boundary.
    pub fn line_column(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(self.source, offset);
        let line = self.line(offset);
        let index = line as usize - 1;
        let line_start = self.starts.get(index).copied().unwrap_or(0);
        // Columns count characters; on an ASCII line, bytes do.
        let column = if self.ascii.get(index) == Some(&true) {
            offset - line_start
        } else {
            chars(self.source.get(line_start..offset).unwrap_or("")) as usize
        };
        (line, column as u32 + 1)
    }

    /// The span of bytes `start..end`, with its line and column.
    pub fn span_of(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.line_column(start);
        Span {
            start,
            end,
            line,
            column,
        }
    }
}

/// A one-character span at byte `offset` of `source` (clamped to the text
/// and to a character boundary). For a single position; many positions in
/// one text should share a [`LineIndex`].
pub fn span_at(source: &str, offset: usize) -> Span {
    let start = floor_char_boundary(source, offset);
    let line = line_number(source, start);
    let line_start = line_start(source, start);
    let column = chars(source.get(line_start..start).unwrap_or("")) + 1;
    let end = source
        .get(start..)
        .and_then(|rest| rest.chars().next())
        .map_or(start, |c| start + c.len_utf8());
    Span {
        start,
        end,
        line,
        column,
    }
}

/// The one-character span at 1-based `line` and `column` (in characters)
/// of a piece of code that starts at `from` (a span of `source` whose line
/// and column are right): where an error Rhai reports inside a principle's
/// code is in the file. A line or column past the code's end is clamped to
/// the last line or its end. Lines are counted from the code's own start,
/// not the file's, so that thousands of principles with a mistake each
/// cost no more than their code (counting from the file's start made a
/// file of them quadratic).
pub fn span_within(source: &str, from: Span, line: usize, column: usize) -> Span {
    let start = floor_char_boundary(source, from.start);
    let mut offset = start;
    let mut lines_down = 0u32;
    for _ in 1..line {
        match source.get(offset..).and_then(|rest| rest.find('\n')) {
            Some(i) => {
                offset += i + 1;
                lines_down += 1;
            }
            None => break,
        }
    }
    let rest = source.get(offset..).unwrap_or("");
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let byte = rest
        .get(..line_end)
        .unwrap_or("")
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_end, |(i, _)| i);
    let at = offset + byte;
    let column = if lines_down == 0 {
        // Still on the line the code starts on: count from the code's
        // own column.
        from.column.max(1) + chars(source.get(start..at).unwrap_or(""))
    } else {
        chars(source.get(offset..at).unwrap_or("")) + 1
    };
    let end = source
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(at, |c| at + c.len_utf8());
    Span {
        start: at,
        end,
        line: from.line.max(1) + lines_down,
        column,
    }
}

/// The 1-based line of byte `offset` of `source`. For a single position;
/// many positions in one text should share a [`LineIndex`].
pub fn line_number(source: &str, offset: usize) -> u32 {
    let offset = floor_char_boundary(source, offset);
    source.get(..offset).map_or(0, |b| b.matches('\n').count()) as u32 + 1
}

/// Byte offset of the start of the line that byte `offset` is on.
pub fn line_start(source: &str, offset: usize) -> usize {
    let offset = floor_char_boundary(source, offset);
    source
        .get(..offset)
        .and_then(|before| before.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Byte offset of the end of the line that byte `offset` is on (its `\n`,
/// or the end of the text).
pub fn line_end(source: &str, offset: usize) -> usize {
    let offset = floor_char_boundary(source, offset);
    source
        .get(offset..)
        .and_then(|after| after.find('\n'))
        .map_or(source.len(), |i| offset + i)
}

/// `offset`, moved back to the nearest character boundary within `source`.
fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn chars(text: &str) -> u32 {
    text.chars().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_agrees_with_a_scan_from_the_start() {
        let text = "ab\nçd€\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            if !text.is_char_boundary(offset) {
                continue;
            }
            let scanned = span_at(text, offset);
            assert_eq!(
                index.line_column(offset),
                (scanned.line, scanned.column),
                "offset {offset}"
            );
            assert_eq!(index.line(offset), scanned.line);
        }
    }

    #[test]
    fn positions_inside_code_are_found_in_the_file() {
        let text = "principle p { x\n  yé z }";
        let code = span_at(text, text.find('{').unwrap_or(0) + 1);
        let at = span_within(text, code, 2, 6);
        assert_eq!((at.line, at.column), (2, 6));
        assert_eq!(&text[at.start..at.end], "z");
        let past = span_within(text, code, 9, 99);
        assert_eq!(past.line, 2);
        let first = span_within(text, code, 1, 2);
        assert_eq!(first, span_at(text, code.start + 1));
        let whole = span_within(text, Span::START, 2, 6);
        assert_eq!(whole, at);
    }

    #[test]
    fn the_end_of_a_span_is_counted_from_its_start() {
        let text = "one\ntwo three\nfour";
        let span = LineIndex::new(text).span_of(4, 16);
        assert_eq!(span.end_line_column(text), (3, 3));
        let short = LineIndex::new(text).span_of(8, 13);
        assert_eq!(short.end_line_column(text), (2, 10));
    }

    #[test]
    fn lines_start_and_end_around_an_offset() {
        let text = "one\ntwo\n";
        assert_eq!((line_start(text, 5), line_end(text, 5)), (4, 7));
        assert_eq!((line_start(text, 8), line_end(text, 8)), (8, 8));
    }
}
