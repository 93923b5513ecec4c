//! Positions in an open document: the encoding agreed with the client,
//! and the two conversions between a byte offset and a protocol
//! [`Position`] (line, then character counted in that encoding).

use lsp_types::{InitializeParams, Position, PositionEncodingKind, Range};

/// How positions count characters within a line, as agreed with the
/// client: UTF-16 code units unless the client offers another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The first encoding the client offers that the server knows, in the
    /// client's order of preference; UTF-16 when it offers none.
    pub(super) fn agreed(params: &InitializeParams) -> Encoding {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref());
        offered
            .into_iter()
            .flatten()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    pub(super) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// The length of `text` in this encoding's units.
    fn units(self, text: &str) -> u32 {
        let units = match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.encode_utf16().count(),
            Encoding::Utf32 => text.chars().count(),
        };
        u32::try_from(units).unwrap_or(u32::MAX)
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Where the line breaks of `text` end, in order: the protocol ends a line
/// at `\n`, `\r\n` or a lone `\r`.
fn breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, b)| match b {
        b'\n' => Some(i + 1),
        b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
        _ => None,
    })
}

/// Where the line that starts at `start` ends, its break left out.
fn line_end(text: &str, start: usize) -> usize {
    text.get(start..)
        .and_then(|rest| rest.find(['\n', '\r']))
        .map_or(text.len(), |i| start + i)
}

/// A text's lines, found once, for many positions.
pub struct Lines<'a> {
    text: &'a str,
    encoding: Encoding,
    /// Where each line starts.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// The lines of `text`, positions counted in `encoding`.
    pub fn new(text: &'a str, encoding: Encoding) -> Lines<'a> {
        let starts = std::iter::once(0).chain(breaks(text)).collect();
        Lines {
            text,
            encoding,
            starts,
        }
    }

    /// The position of byte `offset` (clamped to the text and to a
    /// character boundary). Inside a line's break (between its `\r` and
    /// `\n`): the line's end.
    pub fn position(&self, offset: usize) -> Position {
        let text = self.text;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|s| *s <= offset)
            .saturating_sub(1);
        let line_start = self.starts.get(line).copied().unwrap_or_default();
        let column_end = offset.min(line_end(text, line_start)).max(line_start);
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            character: self
                .encoding
                .units(text.get(line_start..column_end).unwrap_or_default()),
        }
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, start: usize, end: usize) -> Range {
        Range {
            start: self.position(start),
            end: self.position(end),
        }
    }
}

/// The position of byte `offset` of `text` (clamped to the text and to a
/// character boundary), counted in `encoding`. Lines end at `\n`, `\r\n`
/// and a lone `\r`, as the protocol counts them. For many positions in
/// one text, [`Lines`] finds the lines once.
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    Lines::new(text, encoding).position(offset)
}

/// The range of bytes `start..end` of `text`.
pub fn range(text: &str, start: usize, end: usize, encoding: Encoding) -> Range {
    Lines::new(text, encoding).range(start, end)
}

/// The byte offset of `at` in `text`: `None` when its line is past the end
/// of the text. A character past the end of its line means the line's end
/// (as the protocol says), and one inside a character (half of a UTF-16
/// pair) means that character's start.
pub fn offset(text: &str, at: Position, encoding: Encoding) -> Option<usize> {
    let line = usize::try_from(at.line).ok()?;
    let start = match line.checked_sub(1) {
        None => 0,
        Some(before) => breaks(text).nth(before)?,
    };
    let end = line_end(text, start);
    let wanted = usize::try_from(at.character).unwrap_or(usize::MAX);
    let mut units = 0;
    for (i, c) in text.get(start..end)?.char_indices() {
        units += encoding.width(c);
        if units > wanted {
            return Some(start + i);
        }
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::{offset, position, Encoding};
    use lsp_types::Position;

    #[test]
    fn positions_count_in_the_agreed_encoding() {
        let text = "# café ☕ 😀\nmay agree x\n";
        let emoji = text.find('😀').unwrap_or_default();
        assert_eq!(position(text, emoji, Encoding::Utf8).character, 12);
        assert_eq!(position(text, emoji, Encoding::Utf16).character, 9);
        assert_eq!(position(text, emoji, Encoding::Utf32).character, 9);
        let after = emoji + '😀'.len_utf8();
        assert_eq!(position(text, after, Encoding::Utf16).character, 11);
        assert_eq!(position(text, after, Encoding::Utf32).character, 10);
        let second = text.find("may").unwrap_or_default();
        let p = position(text, second, Encoding::Utf16);
        assert_eq!((p.line, p.character), (1, 0));
        // Past the end, and inside a character: clamped.
        let end = position(text, 10_000, Encoding::Utf16);
        assert_eq!((end.line, end.character), (2, 0));
        assert_eq!(position(text, emoji + 1, Encoding::Utf16).character, 9);
    }

    #[test]
    fn offsets_are_the_inverse_of_positions() {
        let text = "# café ☕ 😀\nmay agree x\n";
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for (at, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let p = position(text, at, encoding);
                assert_eq!(offset(text, p, encoding), Some(at), "{at} in {encoding:?}");
            }
        }
        let at = |line, character| Position { line, character };
        // Half of the emoji's UTF-16 pair is the emoji.
        let emoji = text.find('😀');
        assert_eq!(offset(text, at(0, 10), Encoding::Utf16), emoji);
        // Past a line's end: its end. Past the last line: nothing.
        assert_eq!(
            offset(text, at(1, 99), Encoding::Utf16),
            Some(text.len() - 1)
        );
        assert_eq!(offset(text, at(2, 0), Encoding::Utf16), Some(text.len()));
        assert_eq!(offset(text, at(3, 0), Encoding::Utf16), None);
        assert_eq!(offset(text, at(u32::MAX, 0), Encoding::Utf16), None);
        assert_eq!(offset("", at(0, 5), Encoding::Utf16), Some(0));
    }

    #[test]
    fn lines_end_as_the_protocol_says() {
        let text = "a\rbc\r\nd\ne\r";
        let p = |offset| {
            let p = position(text, offset, Encoding::Utf16);
            (p.line, p.character)
        };
        assert_eq!(p(text.find('b').unwrap_or_default()), (1, 0));
        assert_eq!(p(text.find('d').unwrap_or_default()), (2, 0));
        assert_eq!(p(text.find('e').unwrap_or_default()), (3, 0));
        assert_eq!(p(text.len()), (4, 0));
        // Between the `\r` and the `\n` of a break: the end of its line.
        assert_eq!(p(text.find("\r\n").unwrap_or_default() + 1), (1, 2));
        let at = |line, character| Position { line, character };
        assert_eq!(offset(text, at(1, 99), Encoding::Utf16), text.find("\r\n"));
        assert_eq!(offset(text, at(4, 0), Encoding::Utf16), Some(text.len()));
        assert_eq!(offset(text, at(5, 0), Encoding::Utf16), None);
        for (i, _) in text
            .char_indices()
            .filter(|(i, _)| !text[..*i].ends_with("\r") || !text[*i..].starts_with('\n'))
        {
            assert_eq!(
                offset(text, position(text, i, Encoding::Utf8), Encoding::Utf8),
                Some(i)
            );
        }
    }
}
