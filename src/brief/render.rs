//! A [`Brief`] on paper: plain text wrapped at [`TEXT_WIDTH`] columns,
//! Markdown, or one self-contained HTML file (an inline stylesheet with a
//! print layout, no external assets). Words nothing: every sentence comes in
//! the brief. Text makes control characters visible; Markdown makes them
//! visible and backslash-escapes Markdown punctuation in every sentence;
//! HTML escapes every text taken from the mandate (and makes control
//! characters visible first).

use super::{Brief, Item, Statement};
use crate::visible::visible;
use crate::wording::brief as say;
use std::fmt::Write;

/// The width plain text is wrapped at: fits a printed page and a terminal.
pub const TEXT_WIDTH: usize = 78;

/// Between two briefs in plain text.
const TEXT_SEPARATOR: &str =
    "------------------------------------------------------------------------";

/// Briefs as plain text, one after another.
pub fn text(briefs: &[Brief]) -> String {
    let mut out = String::new();
    for (n, brief) in briefs.iter().enumerate() {
        if n > 0 {
            out.push_str(&format!("\n{TEXT_SEPARATOR}\n\n"));
        }
        let title = visible(&brief.title);
        out.push_str(&format!("{title}\n{}\n", "=".repeat(title.chars().count())));
        out.push_str(&wrap(&visible(&brief.subtitle), "", ""));
        for section in &brief.sections {
            let heading = visible(&section.heading);
            out.push_str(&format!(
                "\n{heading}\n{}\n",
                "-".repeat(heading.chars().count())
            ));
            if let Some(intro) = &section.intro {
                out.push_str(&wrap(&visible(intro), "", ""));
            }
            for item in &section.items {
                match item {
                    Item::Statement(s) => out.push_str(&wrap(&plain(s), "- ", "  ")),
                    Item::Field { name, needs } => {
                        out.push_str(&format!("[ ] {}\n", visible(name)));
                        for need in needs {
                            out.push_str(&wrap(&plain(need), "    - ", "      "));
                        }
                    }
                }
            }
        }
    }
    out
}

/// "Line 35: the sentence", made visible.
fn plain(statement: &Statement) -> String {
    match statement.line {
        Some(line) => format!("{}: {}", say::line_label(line), visible(&statement.text)),
        None => visible(&statement.text).into_owned(),
    }
}

/// `text` wrapped at [`TEXT_WIDTH`], the first line after `first`, the rest
/// after `rest`; a word longer than a line keeps a line of its own.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut width = first.chars().count();
    let mut empty = true;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if !empty && width + 1 + len > TEXT_WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = rest.to_string();
            width = rest.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            width += 1;
        }
        line.push_str(word);
        width += len;
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// Briefs as Markdown, one after another, separated by a rule.
pub fn markdown(briefs: &[Brief]) -> String {
    let mut out = String::new();
    for (n, brief) in briefs.iter().enumerate() {
        if n > 0 {
            out.push_str("\n---\n\n");
        }
        out.push_str(&format!(
            "# {}\n\n{}\n",
            md_escape(&brief.title),
            md_escape(&brief.subtitle)
        ));
        for section in &brief.sections {
            out.push_str(&format!("\n## {}\n\n", md_escape(&section.heading)));
            if let Some(intro) = &section.intro {
                out.push_str(&format!("{}\n\n", md_escape(intro)));
            }
            for item in &section.items {
                match item {
                    Item::Statement(s) => out.push_str(&format!("- {}\n", md(s))),
                    Item::Field { name, needs } => {
                        out.push_str(&format!("- [ ] `{}`\n", visible(name)));
                        for need in needs {
                            out.push_str(&format!("  - {}\n", md(need)));
                        }
                    }
                }
            }
        }
    }
    out
}

/// "**Line 35:** the sentence", made visible and escaped ([`md_escape`]).
fn md(statement: &Statement) -> String {
    match statement.line {
        Some(line) => format!(
            "**{}:** {}",
            say::line_label(line),
            md_escape(&statement.text)
        ),
        None => md_escape(&statement.text),
    }
}

/// The characters that can start or end Markdown markup (emphasis, links,
/// images, raw HTML, headings, lists, quotes, tables, strikethrough,
/// entities, code): each is written backslash-escaped, which CommonMark and
/// GitHub's Markdown show as the character itself.
const MD_PUNCTUATION: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '(', ')', '#', '+', '-', '!', '<', '>', '|', '~', '&',
];

/// `text` (a sentence holding names, labels and strings from the mandate)
/// safe in Markdown: control characters made visible, then every
/// [`MD_PUNCTUATION`] escaped, so that a label cannot become a link, HTML,
/// emphasis or a heading. A leading number's `.` is escaped too (`1.`
/// would start a list). The one markup kept is a code span around a field
/// path, the way a sentence quotes a field (`` `cost` ``): a field path has
/// no character a code span would need escaped, and a backquote from the
/// mandate around anything else is escaped.
fn md_escape(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest: &str = &text;
    let mut leading_digits = Some(0usize);
    while let Some(c) = rest.chars().next() {
        let after = rest.get(c.len_utf8()..).unwrap_or_default();
        rest = after;
        match leading_digits {
            Some(n) if c.is_ascii_digit() => leading_digits = Some(n + 1),
            Some(n) if n > 0 && c == '.' => {
                out.push_str("\\.");
                leading_digits = None;
                continue;
            }
            _ => leading_digits = None,
        }
        if c == '`' {
            if let Some((inside, tail)) = after.split_once('`') {
                if crate::topic::is_topic_path(inside) {
                    let _ = write!(out, "`{inside}`");
                    rest = tail;
                    continue;
                }
            }
        }
        if MD_PUNCTUATION.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The stylesheet: readable on screen, one or two pages on paper.
const STYLE: &str = "
body { font-family: Georgia, 'Times New Roman', serif; line-height: 1.4; color: #111; background: #fff; margin: 0; }
article { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; border-bottom: 1px solid #999; }
p.subtitle { color: #444; font-size: 0.9rem; margin: 0 0 1rem; overflow-wrap: anywhere; }
ul { margin: 0.2rem 0; padding-left: 1.2rem; }
li { margin: 0.15rem 0; }
li.field { list-style: none; margin-left: -1.2rem; }
span.line { font-weight: bold; white-space: nowrap; }
span.box { display: inline-block; width: 0.8em; height: 0.8em; border: 1px solid #111; margin-right: 0.4em; vertical-align: -0.1em; }
code { font-family: Menlo, Consolas, monospace; font-size: 0.9em; }
@media print {
  body { font-size: 10pt; }
  article { max-width: none; margin: 0; padding: 0; }
  article + article { break-before: page; page-break-before: always; }
  h2 { break-after: avoid; page-break-after: avoid; }
  li { break-inside: avoid; page-break-inside: avoid; }
  @page { margin: 1.5cm; }
}
";

/// Briefs as one self-contained HTML file, each brief on its own printed
/// page(s).
pub fn html(briefs: &[Brief], document_title: &str) -> String {
    let title = match briefs {
        [one] => one.title.as_str(),
        _ => document_title,
    };
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    for brief in briefs {
        let _ = writeln!(
            out,
            "<article>\n<h1>{}</h1>\n<p class=\"subtitle\">{}</p>",
            escape(&brief.title),
            escape(&brief.subtitle)
        );
        for section in &brief.sections {
            let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(&section.heading));
            if let Some(intro) = &section.intro {
                let _ = writeln!(out, "<p>{}</p>", escape(intro));
            }
            out.push_str("<ul>\n");
            for item in &section.items {
                match item {
                    Item::Statement(s) => {
                        let _ = writeln!(out, "<li>{}</li>", html_statement(s));
                    }
                    Item::Field { name, needs } => {
                        let _ = writeln!(
                            out,
                            "<li class=\"field\"><span class=\"box\"></span><code>{}</code>\n<ul>",
                            escape(name)
                        );
                        for need in needs {
                            let _ = writeln!(out, "<li>{}</li>", html_statement(need));
                        }
                        out.push_str("</ul></li>\n");
                    }
                }
            }
            out.push_str("</ul>\n</section>\n");
        }
        out.push_str("</article>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn html_statement(statement: &Statement) -> String {
    match statement.line {
        Some(line) => format!(
            "<span class=\"line\">{}:</span> {}",
            escape(&say::line_label(line)),
            escape(&statement.text)
        ),
        None => escape(&statement.text),
    }
}

/// `text` safe inside an HTML element or a quoted attribute, its control
/// characters made visible first.
pub fn escape(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}
