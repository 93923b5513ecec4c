//! A representative's brief (`mandate brief`): one snapshot per format for
//! the first representative of each mandate under `rules/`, HTML and
//! Markdown escaping of every text taken from the mandate (one hostile
//! mandate per file under `tests/data/brief/`), control characters made
//! visible,
//! and a checklist that names every field the representative's rules read.

use chrono::NaiveDate;
use mandate::brief::{self, render, Brief, Item};
use mandate::compile::{Expr, Operand};
use mandate::source::{Scripts, SourceFile};
use mandate::Mandate;
use std::collections::BTreeSet;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
}

fn from_text(text: &str) -> Mandate {
    let loaded = Mandate::from_source(
        SourceFile {
            name: "test.mandate".into(),
            text: text.into(),
        },
        Scripts::new(),
        day(),
    );
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.mandate.unwrap()
}

#[test]
fn briefs_of_the_shipped_mandates_in_three_formats() {
    insta::glob!("../rules", "*/*.mandate", |path| {
        let mandate = Mandate::load(path, day())
            .mandate
            .expect("a shipped mandate loads");
        let first = &mandate.representatives()[0];
        let one = brief::for_representative(&mandate, &first.id, day()).unwrap();
        let briefs = [one];
        insta::assert_snapshot!("text", render::text(&briefs));
        insta::assert_snapshot!("markdown", render::markdown(&briefs));
        insta::assert_snapshot!(
            "html",
            render::html(&briefs, &brief::document_title(&mandate))
        );
    });
}

/// Whether `text` is a field path (words joined by dots), the one thing a
/// brief writes in a code span.
fn is_field_path(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|word| {
            let mut chars = word.chars();
            matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// The Markdown punctuation a brief escapes in text from the mandate.
const MARKDOWN_PUNCTUATION: &str = "\\*_[]()#+-!<>|~&";

/// Every line of `md` with the renderer's own markup taken off (headings,
/// list markers, checkboxes, "**Line N:**") has no Markdown punctuation
/// that is not backslash-escaped, outside code spans around a field path,
/// and no leading number followed by a `.`.
fn assert_markdown_inert(md: &str) {
    for line in md.lines() {
        let mut rest = line;
        for prefix in ["# ", "## ", "- [ ] ", "- ", "  - "] {
            if let Some(after) = rest.strip_prefix(prefix) {
                rest = after;
                break;
            }
        }
        if let Some(after) = rest.strip_prefix("**Line ") {
            if let Some((number, after)) = after.split_once(":** ") {
                if number.chars().all(|c| c.is_ascii_digit()) {
                    rest = after;
                }
            }
        }
        if rest == "---" {
            continue;
        }
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        assert!(
            digits == 0 || rest.chars().nth(digits) != Some('.'),
            "a list number: {line:?}"
        );
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let escaped = chars.next();
                assert!(
                    escaped
                        .is_some_and(|e| MARKDOWN_PUNCTUATION.contains(e) || e == '`' || e == '.'),
                    "a backslash escapes nothing: {line:?}"
                );
            } else if c == '`' {
                let (inside, after) = chars.as_str().split_once('`').unwrap_or_default();
                assert!(is_field_path(inside), "a code span of {inside:?}: {line:?}");
                chars = after.chars();
            } else {
                assert!(
                    !MARKDOWN_PUNCTUATION.contains(c),
                    "{c:?} is not escaped: {line:?}"
                );
            }
        }
    }
}

/// Every tag in `html` is one the renderer writes.
fn assert_only_our_tags(html: &str) {
    let tags: BTreeSet<&str> = html
        .split('<')
        .skip(1)
        .map(|rest| rest.split([' ', '>']).next().unwrap_or_default())
        .collect();
    let ours: BTreeSet<&str> = [
        "!DOCTYPE", "html", "/html", "head", "/head", "meta", "title", "/title", "style", "/style",
        "body", "/body", "article", "/article", "h1", "/h1", "h2", "/h2", "p", "/p", "section",
        "/section", "ul", "/ul", "li", "/li", "span", "/span", "code", "/code",
    ]
    .into_iter()
    .collect();
    assert!(tags.is_subset(&ours), "{:?}", tags.difference(&ours));
}

/// A hostile mandate per file under `tests/data/brief/`: its Markdown brief
/// is a snapshot (read it: no link, HTML, emphasis or heading may come from
/// the mandate) and is checked to escape every Markdown character; its
/// HTML writes only the renderer's tags; its text shows every control
/// character as an escape.
#[test]
fn hostile_mandates_stay_inert_in_every_format() {
    insta::glob!("data/brief", "*.mandate", |path| {
        let loaded = Mandate::load(path, day());
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let mandate = loaded.mandate.expect("a test mandate loads");
        let briefs = brief::for_all(&mandate, day());
        let md = render::markdown(&briefs);
        assert_markdown_inert(&md);
        insta::assert_snapshot!("hostile_markdown", md);
        assert_only_our_tags(&render::html(&briefs, &brief::document_title(&mandate)));
        for out in [render::text(&briefs), md] {
            let hidden: Vec<char> = out
                .chars()
                .filter(|&c| c != '\n' && mandate::visible::is_hidden(c))
                .collect();
            assert!(hidden.is_empty(), "{hidden:?} in {out}");
        }
    });
}

#[test]
fn text_lines_fit_the_width_unless_one_word_is_longer() {
    let mandate = Mandate::load("rules/ashdown/ashdown.mandate".as_ref(), day())
        .mandate
        .unwrap();
    let text = render::text(&brief::for_all(&mandate, day()));
    for line in text.lines() {
        let long = line.chars().count() > render::TEXT_WIDTH;
        assert!(
            !long || !line.trim().contains(' '),
            "a line too long: {line:?}"
        );
    }
}

const HOSTILE: &str = r#"group "<script>alert('g')</script> & Co" {
  place "A&B <i>"
}
organisation org "<b>Org</b> & \"Sons\"" {
  owns contract
}
topic contract "<img src=x onerror=alert(1)>"
topic estates "Estates & <em>"
principle p "Never <script> & 'quote'" advisory { true }
priority pr "<u>first</u> & last" {
  topics estates
}
representative r "<script>rep</script> & Dr O'Neil" {
  role "<role> & \"lead\""
  forums "<Board> & Co"
  may agree estates at "<Board> & Co" when cost <= 5
  refer contract when label == "<x>&"
}
"#;

#[test]
fn html_escapes_every_text_taken_from_the_mandate() {
    let mandate = from_text(HOSTILE);
    let briefs = brief::for_all(&mandate, day());
    let html = render::html(&briefs, &brief::document_title(&mandate));
    for raw in [
        "<script", "<b>", "<img", "<em>", "<u>", "<role>", "<Board>", "<i>", "<x>",
    ] {
        assert!(!html.contains(raw), "{raw} is not escaped");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;g&#39;)&lt;/script&gt; &amp; Co"));
    assert!(html.contains("&lt;b&gt;Org&lt;/b&gt; &amp; &quot;Sons&quot;"));
    assert!(html.contains("Dr O&#39;Neil"));
    assert_only_our_tags(&html);
    // Self-contained: nothing fetched from elsewhere.
    for external in ["http:", "https:", "<link", "src=\"", "@import", "url("] {
        assert!(!html.contains(external), "{external}");
    }
    assert!(html.contains("@media print"));
}

#[test]
fn control_characters_are_made_visible_in_every_format() {
    let mandate =
        from_text("group \"G\u{1b}[2K\" { }\nrepresentative r \"R\u{202e}x\" { may agree * }\n");
    let briefs = brief::for_all(&mandate, day());
    for out in [
        render::text(&briefs),
        render::markdown(&briefs),
        render::html(&briefs, "t"),
    ] {
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{202e}'),
            "{out}"
        );
        assert!(
            out.contains("\\u{1b}") && out.contains("\\u{202e}"),
            "{out}"
        );
    }
}

/// Every field a condition reads.
fn fields(expr: &Expr, out: &mut BTreeSet<String>) {
    let mut add = |o: &Operand| {
        if let Operand::Field(f) = o {
            out.insert(f.clone());
        }
    };
    match expr {
        Expr::Or(terms) | Expr::And(terms) => terms.iter().for_each(|t| fields(t, out)),
        Expr::Not(inner) => fields(inner, out),
        Expr::Compare(l, _, r) | Expr::Contains(l, r) => {
            add(l);
            add(r);
        }
        Expr::In(v, _) | Expr::Test(v) => add(v),
    }
}

fn checklist(brief: &Brief) -> BTreeSet<String> {
    brief
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .filter_map(|item| match item {
            Item::Field { name, needs } => {
                assert!(!needs.is_empty(), "{name} has no need");
                Some(name.clone())
            }
            Item::Statement(_) => None,
        })
        .collect()
}

fn assert_checklist_complete(mandate: &Mandate) {
    for rep in mandate.representatives() {
        let mut read = BTreeSet::new();
        for rule in &rep.rules {
            if let Some(condition) = &rule.condition {
                fields(condition, &mut read);
            }
            if rule.forum.is_some() {
                read.insert("forum".to_string());
            }
        }
        if rep.valid_from.is_some() || rep.valid_until.is_some() {
            read.insert("date".to_string());
        }
        let brief = brief::for_representative(mandate, &rep.id, day()).unwrap();
        assert_eq!(checklist(&brief), read, "{}", rep.id);
    }
}

#[test]
fn the_checklist_names_every_field_the_rules_read() {
    for path in [
        "rules/ashdown/ashdown.mandate",
        "rules/brackenmoor/brackenmoor.mandate",
    ] {
        let mandate = Mandate::load(path.as_ref(), day()).mandate.unwrap();
        assert_checklist_complete(&mandate);
    }
    // Nested fields, `not`, fields on both sides, lists and bare tests.
    let mandate = from_text(
        r#"group "G" { }
topic a "A"
representative r "R" {
  valid until 2027-01-01
  may agree a at "Board" when not (trust.risk == "high" or budget.total > limit) and flag
  refer a when tags contains "x" and kind in ["p", "q"]
  may not agree a when not stopped
}
representative s "S" {
  may agree *
}
"#,
    );
    assert_checklist_complete(&mandate);
    let r = brief::for_representative(&mandate, "r", day()).unwrap();
    assert!(checklist(&r).contains("trust.risk") && checklist(&r).contains("limit"));
    let s = brief::for_representative(&mandate, "s", day()).unwrap();
    assert!(checklist(&s).is_empty());
}

/// The statement of the rule on `line` in `brief`.
fn statement_at(brief: &Brief, line: u32) -> String {
    brief
        .sections
        .iter()
        .flat_map(|s| &s.items)
        .find_map(|item| match item {
            Item::Statement(s) if s.line == Some(line) => Some(s.text.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no statement on line {line}"))
}

#[test]
fn a_grant_names_the_bring_back_and_must_not_rules_that_win_over_it() {
    let mandate = from_text(
        r#"group "G" { }
representative r "R" {
  may agree a.b when cost <= 5
  may agree c
  may agree d.e at "One"
  may agree f.g
  may agree h
  refer a when cost > 5
  may not agree a.b.c
  refer x
  refer d at "Two"
  refer f except f.g
  refer h except h.i
}
"#,
    );
    let brief = brief::for_representative(&mandate, "r", day()).unwrap();
    // Wider (8) and narrower (9) rules win; one on other topics (10) does not.
    assert!(
        statement_at(&brief, 3).ends_with("Where line 8 or line 9 also applies, that rule wins."),
        "{}",
        statement_at(&brief, 3)
    );
    // No rule on its topics, rules only at another forum, or an `except`
    // that takes its topic out: no note.
    for line in [4, 5, 6] {
        assert!(
            !statement_at(&brief, line).contains("Where"),
            "{}",
            statement_at(&brief, line)
        );
    }
    // An `except` that takes out only part of the grant's topic leaves the
    // rest overlapped.
    assert!(statement_at(&brief, 7).ends_with("Where line 13 also applies, it wins."));
    // Said once, at the head of each section, where the rules are.
    let bring_back = &brief.sections[2];
    assert!(bring_back
        .intro
        .as_deref()
        .unwrap_or_default()
        .contains("this one wins"));
    let must_not = &brief.sections[3];
    assert!(must_not
        .intro
        .as_deref()
        .unwrap_or_default()
        .contains("they say no"));
    // With no such rules, no sentence about them.
    let none = from_text("group \"G\" { }\nrepresentative r \"R\" { may agree * }\n");
    let brief = brief::for_representative(&none, "r", day()).unwrap();
    assert!(brief.sections[2].intro.is_none() && brief.sections[3].intro.is_none());
}

#[test]
fn an_unknown_representative_is_an_error_listing_the_known_ones() {
    let mandate = from_text("group \"G\" { }\nrepresentative patel \"P\" { refer * }\n");
    let error = brief::for_representative(&mandate, "pate", day()).unwrap_err();
    assert!(error.to_string().contains("`pate`"), "{error}");
    assert!(error.to_string().contains("patel"), "{error}");
}

#[test]
fn the_day_says_whether_the_mandate_is_in_force() {
    let mandate = from_text(
        "group \"G\" { }\nrepresentative r \"R\" {\n  valid from 2026-04-01 until 2027-03-31\n  refer *\n}\n",
    );
    let on = |y, m, d| {
        let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        render::text(&[brief::for_representative(&mandate, "r", day).unwrap()])
    };
    assert!(on(2026, 4, 1).contains("it is in force."));
    assert!(on(2027, 3, 31).contains("it is in force."));
    assert!(on(2026, 3, 31).contains("NOT YET IN FORCE"));
    assert!(on(2027, 4, 1).contains("NO LONGER IN FORCE"));
}

/// The brief the README shows is what the binary prints: a fenced
/// `mandate brief ...` command, then a fenced block of its output.
#[test]
fn the_readme_brief_is_what_the_binary_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let (_, after) = readme
        .split_once("```\nmandate brief rules/")
        .expect("the README shows a `mandate brief` command");
    let (args, rest) = after.split_once("\n```\n\n```\n").expect("then its output");
    let (expected, _) = rest.split_once("```\n").expect("a closed block");
    let args = format!("brief rules/{args}");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(args.split(' '))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected, "{args}");
}
