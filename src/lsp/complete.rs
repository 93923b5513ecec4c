//! Completion: what may be written at the cursor.
//!
//! The grammar says what kind of thing may come there
//! ([`crate::syntax::next`], asked of the file cut at the word being
//! typed); the file fills in the names: its declared topics (with their
//! labels), the field names its conditions use, the forums of the
//! representative being written after `at`. The names come from the last
//! text that parsed, because the text being typed usually does not.

use super::locate;
use crate::syntax::ast::MandateFile;
use crate::syntax::next::{self, Next};
use crate::topic::pattern_matches;
use crate::visible::visible;

/// One thing that may be written at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suggestion {
    /// What is shown and written.
    pub text: String,
    /// What it is: a keyword, a topic and so on.
    pub kind: Kind,
    /// A short note beside it (a topic's label).
    pub detail: Option<String>,
}

/// What a suggestion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Words of the language.
    Keyword,
    /// A declared or written topic.
    Topic,
    /// A proposal field a condition already uses.
    Field,
    /// A forum, quoted.
    Forum,
}

/// What may be written at a cursor: the suggestions, and the bytes each
/// replaces (the word being typed; a text's quotes with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Completion {
    /// First byte replaced.
    pub start: usize,
    /// One past the last byte replaced.
    pub end: usize,
    /// What may be written there.
    pub suggestions: Vec<Suggestion>,
}

/// What may be written at byte `cursor` of `text`. `names` is the last
/// tree of the file that parsed.
pub(crate) fn at(text: &str, cursor: usize, names: Option<&MandateFile>) -> Completion {
    let (start, suggestions) = suggest(text, cursor, names);
    let after = text.get(cursor..).unwrap_or_default();
    // A suggestion replaces the whole word (or text) it is taken in: the
    // rest of a word after the cursor, a text up to its closing quote.
    let end = if text.get(start..).is_some_and(|t| t.starts_with('"')) {
        match closing_quote(after) {
            Ok(close) => cursor + close + 1,
            Err(_) => cursor,
        }
    } else {
        cursor + (after.len() - after.trim_start_matches(is_word_char).len())
    };
    Completion {
        start,
        end,
        suggestions,
    }
}

fn suggest(text: &str, cursor: usize, names: Option<&MandateFile>) -> (usize, Vec<Suggestion>) {
    let Some(before) = text.get(..cursor) else {
        return (cursor, Vec::new());
    };
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let (start, in_text) = match lexical(before.get(line_start..).unwrap_or_default()) {
        Place::Comment => return (cursor, Vec::new()),
        Place::Text(quote) => (line_start + quote, true),
        Place::Code => {
            let word = before.trim_end_matches(is_word_char).len();
            (word, false)
        }
    };
    let prefix = before.get(..start).unwrap_or_default();
    let Some(allowed) = next::after(prefix) else {
        return (start, Vec::new());
    };
    // The words before the one being typed, read once for every question
    // below.
    let written: Vec<&str> = words(prefix).collect();
    let last = written.last().copied();
    // Statements a file or a representative has once, and has already.
    let block = representative_block(&written, text.get(start..).unwrap_or_default());
    let given = |words: &str| match words.split(' ').next() {
        Some("group") => names.is_some_and(|file| {
            file.declarations
                .iter()
                .any(|d| matches!(d, crate::syntax::ast::Declaration::Group(_)))
        }),
        Some(word @ ("role" | "forums" | "valid" | "report")) => {
            block.as_ref().is_some_and(|b| b.contains(&word))
        }
        _ => false,
    };
    let mut suggestions = Vec::new();
    for item in allowed {
        match item {
            Next::Words(words)
                if !in_text
                    && words.starts_with(|c: char| c.is_ascii_alphabetic())
                    && !given(words) =>
            {
                suggestions.push(keyword(words, None));
            }
            Next::Severity if !in_text => {
                suggestions.push(keyword("blocking", Some("a red line: a breach declines")));
                suggestions.push(keyword(
                    "refer",
                    Some("a breach is brought back to the group"),
                ));
                suggestions.push(keyword("advisory", Some("a breach is noted only")));
            }
            // After `topic` comes a new topic: none the file has.
            Next::Topic if !in_text && last != Some("topic") => {
                let mut offered = topics(names);
                // In an `except`, only topics the rule's own take in.
                if let Some(rule) = rule_topics_before_except(&written) {
                    offered.retain(|t| {
                        rule.iter()
                            .any(|r| *r != t.text && pattern_matches(r, &t.text))
                    });
                }
                suggestions.extend(offered)
            }
            Next::Field if !in_text => suggestions.extend(fields(names)),
            Next::Text if last == Some("at") => {
                suggestions.extend(forums(&written, names));
            }
            _ => {}
        }
    }
    (start, suggestions)
}

fn keyword(words: &str, detail: Option<&str>) -> Suggestion {
    Suggestion {
        text: words.to_string(),
        kind: Kind::Keyword,
        detail: detail.map(str::to_string),
    }
}

/// The declared topics with their labels; when the file declares none,
/// every topic it writes.
fn topics(names: Option<&MandateFile>) -> Vec<Suggestion> {
    let Some(file) = names else {
        return Vec::new();
    };
    let declared: Vec<Suggestion> = locate::vocabulary(file)
        .map(|t| Suggestion {
            text: t.topic.pattern.as_str().to_string(),
            kind: Kind::Topic,
            detail: Some(visible(&t.label.value).into_owned()),
        })
        .collect();
    if !declared.is_empty() {
        return declared;
    }
    locate::topics_written(file)
        .into_iter()
        .map(|t| Suggestion {
            text: t.to_string(),
            kind: Kind::Topic,
            detail: None,
        })
        .collect()
}

fn fields(names: Option<&MandateFile>) -> Vec<Suggestion> {
    names
        .map(locate::fields)
        .unwrap_or_default()
        .into_iter()
        .map(|field| Suggestion {
            text: field,
            kind: Kind::Field,
            detail: Some("a proposal field".into()),
        })
        .collect()
}

/// The forums of the representative whose block the cursor is in; every
/// forum of the file when that representative is not in the last tree.
fn forums(written: &[&str], names: Option<&MandateFile>) -> Vec<Suggestion> {
    let Some(file) = names else {
        return Vec::new();
    };
    let id = written.windows(2).rev().find_map(|pair| match pair {
        ["representative", id] => Some(*id),
        _ => None,
    });
    let rep = id.and_then(|id| locate::representatives(file).find(|r| r.id.name == id));
    let mut forums: Vec<&str> = match rep {
        Some(rep) => locate::forums(rep).map(|f| f.value.as_str()).collect(),
        None => locate::representatives(file)
            .flat_map(locate::forums)
            .map(|f| f.value.as_str())
            .collect(),
    };
    let mut seen = std::collections::BTreeSet::new();
    forums.retain(|forum| seen.insert(*forum));
    forums
        .into_iter()
        .map(|forum| Suggestion {
            text: quoted(forum),
            kind: Kind::Forum,
            detail: rep.map(|r| format!("a forum of {}", visible(&r.name.value))),
        })
        .collect()
}

/// A forum as a string literal of the language.
fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Where the cursor is on its line: in a comment, in an unclosed text
/// (at the byte of its opening quote), or in the language.
#[derive(Debug, PartialEq, Eq)]
enum Place {
    Comment,
    Text(usize),
    Code,
}

fn lexical(line: &str) -> Place {
    let mut open = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (open, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(_), '"') => open = None,
            (None, '"') => open = Some(i),
            (None, '/') if chars.peek().is_some_and(|(_, c)| *c == '/') => return Place::Comment,
            _ => {}
        }
    }
    open.map_or(Place::Code, Place::Text)
}

/// The words of `text` outside its texts and comments, in order.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        let start =
            rest.find(|c: char| c.is_ascii_alphabetic() || matches!(c, '_' | '*' | '"' | '/'))?;
        let tail = rest.get(start..)?;
        if tail.starts_with('"') {
            let end = string_end(tail);
            rest = tail.get(end..)?;
        } else if tail.starts_with("//") {
            rest = tail.get(tail.find('\n').unwrap_or(tail.len())..)?;
        } else if tail.starts_with('/') {
            rest = tail.get(1..)?;
        } else {
            // A topic's dots are part of its word.
            let end = tail.find(|c: char| !is_word_char(c)).unwrap_or(tail.len());
            rest = tail.get(end..)?;
            return tail.get(..end);
        }
    })
}

/// The length of the string literal at the start of `text`, quotes
/// included; to the end of its line when it does not close.
fn string_end(text: &str) -> usize {
    match closing_quote(text.get(1..).unwrap_or_default()) {
        Ok(close) => close + 2,
        Err(end) => end + 1,
    }
}

/// In `text`, the inside of a text literal after its opening quote: the
/// byte of its closing quote, or (`Err`) of the line's end, where a text
/// that does not close ends.
fn closing_quote(text: &str) -> Result<usize, usize> {
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return Ok(i),
            '\n' => return Err(i),
            _ => {}
        }
    }
    Err(text.len())
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '*')
}

/// The words of the representative block being written, outside texts
/// and comments, the word being typed left out: from its `representative`
/// (in `written`, the words before the cursor) to the next declaration's
/// keyword in `after` (the text from the word being typed on). `None`
/// outside a representative.
fn representative_block<'a>(written: &[&'a str], after: &'a str) -> Option<Vec<&'a str>> {
    const DECLARATIONS: &[&str] = &["group", "organisation", "principle", "priority", "topic"];
    let start = written.iter().rposition(|w| *w == "representative")?;
    let mut block = written.get(start..)?.to_vec();
    if block.iter().any(|w| DECLARATIONS.contains(w)) {
        return None;
    }
    // Not the word being typed itself.
    let after = after.trim_start_matches(is_word_char);
    block.extend(words(after).take_while(|w| *w != "representative" && !DECLARATIONS.contains(w)));
    Some(block)
}

/// The topics of the rule whose `except` list ends `words`; `None` when
/// they do not end in one.
fn rule_topics_before_except<'a>(words: &[&'a str]) -> Option<Vec<&'a str>> {
    let except = words.iter().rposition(|w| *w == "except")?;
    let after = words.get(except + 1..)?;
    if after.iter().any(|w| crate::syntax::is_keyword(w)) {
        return None;
    }
    let start = words
        .get(..except)?
        .iter()
        .rposition(|w| matches!(*w, "agree" | "refer"))?;
    Some(words.get(start + 1..except)?.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"group "g" { }
topic interface "Interface"
topic interface.outpatients "Outpatient referrals"
representative patel "Dr Patel" {
  forums "Board", "Trust \"Interface\" Group"
  may agree interface when cost <= 5 and risk == "low"
}
representative jones "Dr Jones" {
  forums "Council"
}
"#;

    fn texts(text: &str) -> Vec<String> {
        let names = crate::syntax::parse(FILE).ok();
        at(text, text.len(), names.as_ref())
            .suggestions
            .into_iter()
            .map(|s| s.text)
            .collect()
    }

    #[test]
    fn suggests_what_the_grammar_allows_with_the_files_names() {
        let rep = "group \"g\" { }\nrepresentative patel \"P\" {\n  ";
        assert_eq!(
            texts(&format!("{rep}may agree ")),
            ["interface", "interface.outpatients"]
        );
        assert_eq!(
            texts(&format!("{rep}may agree inter")),
            ["interface", "interface.outpatients"]
        );
        assert_eq!(texts(&format!("{rep}may ")), ["agree", "not agree"]);
        assert_eq!(
            texts(&format!("{rep}may agree x at ")),
            ["\"Board\"", "\"Trust \\\"Interface\\\" Group\""]
        );
        assert_eq!(
            texts(&format!("{rep}may agree x at \"Bo")),
            texts(&format!("{rep}may agree x at "))
        );
        assert_eq!(
            texts(&format!("{rep}may agree x when ")),
            ["not", "cost", "risk"]
        );
        assert!(texts(&format!("{rep}may agree x ")).contains(&"when".to_string()));
        assert!(texts(rep).contains(&"may not agree".to_string()));
        assert_eq!(
            texts("principle p \"x\" "),
            ["script", "blocking", "refer", "advisory"]
        );
        // Another representative's forums after their own `at`.
        let jones = "group \"g\" { }\nrepresentative jones \"J\" { may agree x at ";
        assert_eq!(texts(jones), ["\"Council\""]);
        // Nothing in a comment, nothing after an error.
        assert!(texts(&format!("{rep}// may agree ")).is_empty());
        assert!(texts("group group group may agree ").is_empty());
        // Nothing a file or a representative has once, twice.
        assert!(!texts("group \"g\" { }\n").contains(&"group".to_string()));
        assert!(texts("topic ").is_empty());
        // In an `except`, only what the rule's topics take in.
        assert_eq!(
            texts(&format!("{rep}may agree interface except ")),
            ["interface.outpatients"]
        );
        assert!(texts(&format!("{rep}refer interface.outpatients except ")).is_empty());
        assert_eq!(
            texts(&format!("{rep}refer * except ")),
            ["interface", "interface.outpatients"]
        );
        let given = format!("{rep}role \"C\" forums \"F\" may agree x ");
        let offered = texts(&given);
        assert!(offered.contains(&"refer".to_string()), "{offered:?}");
        assert!(!offered.contains(&"role".to_string()), "{offered:?}");
        assert!(!offered.contains(&"forums".to_string()), "{offered:?}");
        assert!(offered.contains(&"valid from".to_string()), "{offered:?}");
    }

    #[test]
    fn a_suggestion_replaces_the_whole_word_or_text() {
        let names = crate::syntax::parse(FILE).ok();
        let text = "group \"g\" { }\nrepresentative patel \"P\" {\n  may agree inter";
        let line = format!("{text}face at \"Bo\\\"ard\" when");
        let cursor = text.len();
        let found = at(&line, cursor, names.as_ref());
        assert_eq!(&line[found.start..found.end], "interface");
        let cursor = line.find("Bo").unwrap_or_default() + 1;
        let found = at(&line, cursor, names.as_ref());
        assert_eq!(&line[found.start..found.end], "\"Bo\\\"ard\"");
    }

    #[test]
    fn words_skip_texts_and_comments() {
        let found: Vec<&str> = words("a \"b c\" // d\ne \"f\\\" g\" h/i").collect();
        assert_eq!(found, ["a", "e", "h", "i"]);
        let topics: Vec<&str> = words("may agree a.b, * except a.b.c").collect();
        assert_eq!(topics, ["may", "agree", "a.b", "*", "except", "a.b.c"]);
        assert_eq!(lexical("x \"a\\\"b"), Place::Text(2));
        assert_eq!(lexical("x \"a\" // \"b"), Place::Comment);
        assert_eq!(lexical("x \"//\" y"), Place::Code);
    }
}
