//! Making control characters visible in text meant for a person.
//!
//! Owns the one rule every text front end (the text report, rendered
//! diagnostics, the command line's messages) applies to whatever it echoes
//! from its input: titles, ids, topics, field values, reasons, principle
//! reasons and Rhai errors, names, paths, arguments, source lines. It does
//! not touch JSON: serde already escapes every control character there, and
//! escaping twice would change the data.
//!
//! Why: a terminal obeys what it is sent. A carriage return moves back to
//! the start of the line, and an escape sequence (`ESC [2K`) erases it, so a
//! proposal titled `x\r\x1b[2KAGREE: ...` could overwrite `DECLINE: A must
//! say no to "x` with a forged answer; `ESC ]8;;` makes hidden links. The
//! Unicode bidirectional overrides and isolates (U+202A..U+202E,
//! U+2066..U+2069) and marks (U+200E, U+200F, U+061C) reorder how the
//! characters around them are displayed, so what a person reads differs
//! from what the text says (the "Trojan Source" attack). Line and paragraph
//! separators (U+2028, U+2029) break lines in some viewers. Characters
//! that show as nothing at all and have no use in words (the zero-width
//! space, the word joiner and invisible operators, a byte-order mark inside
//! a text; the soft hyphen, tag characters, Hangul fillers and other
//! invisible format characters) make two different texts look alike or
//! hide text. The zero-width joiner and non-joiner are left alone: emoji
//! and several scripts need them. Each of these,
//! and every other C0 and C1 control and DEL, is written as an escape a
//! person can see: `\r`, `\n`, `\t`, otherwise `\u{1b}` with the code point
//! in lowercase hexadecimal. A backslash already in the text is left alone,
//! so a Windows path reads as written; the escapes are for reading, not for
//! parsing back.

use std::borrow::Cow;
use std::fmt::Write;
use std::path::Path;

/// Whether `c` is shown as an escape rather than sent to the terminal.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                // Invisible format characters with no use in a title, an id
                // or a name, each able to hide text or make two texts look
                // alike: the soft hyphen, the Mongolian vowel separator,
                // the deprecated shaping controls, the interlinear
                // annotation marks, the musical formatting controls, the
                // tag characters (which can spell hidden ASCII), the
                // Hangul fillers and the Khmer invisible vowels.
                | '\u{00ad}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180e}'
                | '\u{206a}'..='\u{206f}'
                | '\u{3164}'
                | '\u{ffa0}'
                | '\u{fff9}'..='\u{fffb}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{e0001}'
                | '\u{e0020}'..='\u{e007f}'
        )
}

/// `text` with every hidden character (see [`is_hidden`]), newlines and
/// tabs included, written as a visible escape. Borrows when there is
/// nothing to escape. For one-line values: a title, an id, a reason.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// A path as [`visible`] text (bytes that are not UTF-8 show as `�`).
pub fn visible_path(path: &Path) -> String {
    visible(&path.to_string_lossy()).into_owned()
}

/// A window of source text for drawing under a diagnostic: line ends
/// (`\n`, or `\r\n`, which becomes `\n`) and tabs are kept, so the lines
/// and the caret positions stay as an editor shows them; every other hidden
/// character is escaped as in [`visible`]. `marks` are byte offsets into
/// `text`; they come back as the matching offsets into the result (an
/// offset inside a character or a `\r\n` moves to the next character).
pub(crate) fn visible_source<const N: usize>(
    text: &str,
    marks: [usize; N],
) -> (String, [usize; N]) {
    let mut out = String::with_capacity(text.len());
    let mut mapped: [Option<usize>; N] = [None; N];
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        for (mark, slot) in marks.iter().zip(mapped.iter_mut()) {
            if slot.is_none() && *mark <= at {
                *slot = Some(out.len());
            }
        }
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek().is_some_and(|(_, next)| *next == '\n') => {}
            c => push_visible(&mut out, c),
        }
    }
    let end = out.len();
    (out, mapped.map(|slot| slot.unwrap_or(end)))
}

fn push_visible(out: &mut String, c: char) {
    if !is_hidden(c) {
        out.push(c);
        return;
    }
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            visible("Advice and guidance – café, 日本"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn every_kind_of_hidden_character_is_escaped() {
        let cases = [
            ("a\rb", "a\\rb"),
            ("a\nb", "a\\nb"),
            ("a\tb", "a\\tb"),
            ("\u{1b}[2K", "\\u{1b}[2K"),
            ("\u{1b}]8;;", "\\u{1b}]8;;"),
            ("\0", "\\u{0}"),
            ("\u{7f}", "\\u{7f}"),
            ("\u{85}\u{9b}", "\\u{85}\\u{9b}"),
            ("\u{202e}abc", "\\u{202e}abc"),
            ("\u{2066}\u{2069}", "\\u{2066}\\u{2069}"),
            ("\u{200f}\u{2028}", "\\u{200f}\\u{2028}"),
            ("con\u{ad}tract", "con\\u{ad}tract"),
            ("a\u{180e}\u{206a}\u{fff9}", "a\\u{180e}\\u{206a}\\u{fff9}"),
            ("\u{e0001}\u{e0041}", "\\u{e0001}\\u{e0041}"),
            ("\u{115f}\u{3164}\u{ffa0}", "\\u{115f}\\u{3164}\\u{ffa0}"),
        ];
        for (input, shown) in cases {
            assert_eq!(visible(input), shown, "{input:?}");
            assert!(!visible(input).chars().any(is_hidden));
        }
        // Joiners stay: emoji and several scripts need them.
        assert_eq!(visible("👩\u{200d}⚕️"), "👩\u{200d}⚕️");
    }

    #[test]
    fn source_keeps_lines_and_tabs_and_maps_offsets() {
        let text = "a\u{1b}b\r\n\tc\rd";
        let c = text.find('c').unwrap_or(0);
        let (shown, [b, c_at, end]) = visible_source(text, [2, c, text.len()]);
        assert_eq!(shown, "a\\u{1b}b\n\tc\\rd");
        assert_eq!(&shown[b..b + 1], "b");
        assert_eq!(&shown[c_at..c_at + 1], "c");
        assert_eq!(end, shown.len());
    }
}
