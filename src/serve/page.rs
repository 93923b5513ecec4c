//! The page: server-rendered HTML that works without JavaScript (the
//! forms post, the server answers with the page), in the plain layout of
//! the NHS.UK design system (the stylesheet and the small script are in
//! `assets/`, embedded in the binary). Every text from a mandate, a
//! proposal or a request passes through [`escape`], which also makes
//! control characters visible.

use super::catalogue::{FieldKind, MandateInfo, RepresentativeInfo};
use super::form::{Filled, Mistake};
use crate::brief::render::escape;
use crate::check::Outcome;
use crate::report::Sections;
use std::fmt::Write;

/// Everything one page shows.
pub(crate) struct Page<'a> {
    /// Every mandate served (the good versions).
    pub mandates: &'a [MandateInfo],
    /// Mandates whose file on disk has errors: (id, file, diagnostics as
    /// text), the last good version being served.
    pub stale: &'a [(String, String, String)],
    /// The mandate and representative chosen, if any.
    pub chosen: Option<(&'a MandateInfo, &'a RepresentativeInfo)>,
    /// A choice that named no such mandate or representative.
    pub choice_problem: Option<String>,
    /// What the check form holds.
    pub filled: &'a Filled,
    /// The form's mistakes.
    pub mistakes: &'a [Mistake],
    /// The answer to a check, and the lines of the rule file (for the
    /// lines its reasons cite).
    pub answer: Option<(Sections, &'a str)>,
}

/// The whole page.
pub(crate) fn render(page: &Page<'_>) -> String {
    let title = match (&page.answer, page.chosen) {
        (Some((answer, _)), _) => format!("{}: {}", word(answer.outcome), answer.headline),
        (None, Some((_, rep))) => format!("Check a proposal for {}", rep.name),
        _ => "Check a proposal".to_string(),
    };
    let mut out = head(&title, !page.mistakes.is_empty());
    out.push_str("<main id=\"main\" class=\"width\" tabindex=\"-1\">\n");
    error_summary(&mut out, page);
    for (id, file, diagnostics) in page.stale {
        let kept = if page.mandates.iter().any(|m| &m.id == id) {
            "The last version that had none is being used until they are fixed:"
        } else {
            "It cannot be used until they are fixed:"
        };
        let _ = writeln!(
            out,
            "<div class=\"callout callout-warning\"><h2>{} has errors</h2><p>{kept}</p><pre>{}</pre></div>",
            escape(file),
            lines_escaped(diagnostics)
        );
    }
    if let Some((answer, text)) = &page.answer {
        answer_section(&mut out, answer, text);
    }
    out.push_str("<h1>Check a proposal</h1>\n");
    out.push_str("<p class=\"lede\">Before a meeting: may you agree to a proposal on the group's behalf, or must you bring it back?</p>\n");
    choose_form(&mut out, page);
    if let Some((mandate, rep)) = page.chosen {
        check_form(&mut out, page, mandate, rep);
    }
    out.push_str("</main>\n");
    foot(&mut out);
    out
}

/// The page that asks for the access code (a server on a network address).
pub(crate) fn token_page(wrong: bool) -> String {
    let mut out = head("Enter the access code", wrong);
    out.push_str("<main id=\"main\" class=\"width\" tabindex=\"-1\">\n");
    if wrong {
        out.push_str("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n<h2 id=\"error-summary-title\">There is a problem</h2>\n<ul><li><a href=\"#token\">The access code is not right: enter the code the group's manager gave you</a></li></ul>\n</div>\n");
    }
    out.push_str("<h1>Enter the access code</h1>\n<p>This page is shared on the group's network: ask the group's manager for its access code. You enter it once; this browser keeps it until it is closed.</p>\n");
    let class = if wrong {
        "form-group form-group-error"
    } else {
        "form-group"
    };
    let _ = write!(
        out,
        "<form id=\"token-form\" method=\"post\" action=\"/token\">\n<div class=\"{class}\"><label class=\"label\" for=\"token\">Access code</label>{}<input class=\"input\" id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required></div>\n<button class=\"button\" id=\"token-submit\" type=\"submit\">Continue</button>\n</form>\n</main>\n",
        if wrong {
            "<p class=\"error-message\" id=\"token-error\"><span class=\"visually-hidden\">Error:</span> The access code is not right</p>"
        } else {
            ""
        }
    );
    foot(&mut out);
    out
}

/// A page for a request that went wrong (an unknown address, say).
pub(crate) fn problem_page(heading: &str, message: &str) -> String {
    let mut out = head(heading, false);
    let _ = write!(
        out,
        "<main id=\"main\" class=\"width\" tabindex=\"-1\">\n<h1>{}</h1>\n<p>{}</p>\n<p><a href=\"/\">Check a proposal</a></p>\n</main>\n",
        escape(heading),
        escape(message)
    );
    foot(&mut out);
    out
}

fn head(title: &str, error: bool) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}{} – mandate</title>\n<link rel=\"stylesheet\" href=\"/assets/style.css\">\n</head>\n<body>\n<a class=\"skip-link\" href=\"#main\">Skip to main content</a>\n<header class=\"header\" role=\"banner\"><div class=\"width header-inner\"><a class=\"header-logo\" href=\"/\">mandate</a><span class=\"header-service\">What you may agree to for your group</span></div></header>\n",
        if error { "Error: " } else { "" },
        escape(title)
    )
}

fn foot(out: &mut String) {
    out.push_str("<footer class=\"footer\"><div class=\"width\"><p>Answers come from the group's mandate file; nothing leaves this computer.</p></div></footer>\n<script src=\"/assets/app.js\"></script>\n</body>\n</html>\n");
}

fn error_summary(out: &mut String, page: &Page<'_>) {
    let mut items: Vec<(String, String)> = page
        .mistakes
        .iter()
        .map(|m| (m.input.clone(), m.message.clone()))
        .collect();
    if let Some(problem) = &page.choice_problem {
        items.insert(0, ("representative".into(), problem.clone()));
    }
    if items.is_empty() {
        return;
    }
    out.push_str("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\" aria-labelledby=\"error-summary-title\" tabindex=\"-1\">\n<h2 id=\"error-summary-title\">There is a problem</h2>\n<ul>\n");
    for (input, message) in items {
        let target = if input == "topics" {
            page.chosen
                .and_then(|(m, _)| m.topics.first())
                .map_or("topics".to_string(), |t| format!("topic-{}", t.topic))
        } else {
            input
        };
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a></li>",
            escape(&target),
            escape(&message)
        );
    }
    out.push_str("</ul>\n</div>\n");
}

/// The answer, as the text report gives it: the answer first, large and
/// in words (its colour only repeats it), then why, each reason with the
/// lines it cites, what to do next, principles at risk, priorities.
fn answer_section(out: &mut String, answer: &Sections, text: &str) {
    let outcome = answer.outcome.as_str();
    let _ = write!(
        out,
        "<section id=\"answer\" class=\"answer answer-{outcome}\" data-outcome=\"{outcome}\" aria-labelledby=\"answer-heading\" tabindex=\"-1\">\n<h2 id=\"answer-heading\"><span class=\"answer-word\">{}</span> <span class=\"answer-headline\">{}</span></h2>\n",
        word(answer.outcome),
        escape(&answer.headline)
    );
    out.push_str("<h3>Why</h3>\n<ol id=\"reasons\" class=\"reasons\">\n");
    let lines: Vec<&str> = text.lines().collect();
    for reason in &answer.why {
        let _ = write!(out, "<li>{}", rich(reason));
        let cited = cited_lines(reason);
        if !cited.is_empty() {
            let label = match cited.as_slice() {
                [one] => format!("Line {one} of the mandate"),
                _ => "The lines of the mandate it cites".into(),
            };
            let _ = write!(
                out,
                "<details><summary>{}</summary><pre class=\"source\">",
                label
            );
            for n in cited {
                for (m, line) in statement_at(&lines, n) {
                    let _ = writeln!(
                        out,
                        "<span class=\"source-line\">{m:>4}</span>  {}",
                        escape(line)
                    );
                }
            }
            out.push_str("</pre></details>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    let list = |out: &mut String, heading: &str, id: &str, items: &[String]| {
        if items.is_empty() {
            return;
        }
        let _ = write!(out, "<h3>{heading}</h3>\n<ul id=\"{id}\">\n");
        for item in items {
            let _ = writeln!(out, "<li>{}</li>", rich(item));
        }
        out.push_str("</ul>\n");
    };
    list(out, "What to do next", "next", &answer.next);
    list(out, "Principles at risk", "principles", &answer.at_risk);
    list(out, "Priorities touched", "priorities", &answer.priorities);
    let _ = write!(
        out,
        "<p class=\"answer-footer\">{}</p>\n</section>\n",
        escape(&answer.footer)
    );
}

/// Line `n` (1-based) of the rule file and the lines that continue its
/// statement (indented further, as `mandate fmt` writes a long rule), at
/// most eight in all.
fn statement_at<'t>(lines: &[&'t str], n: usize) -> Vec<(usize, &'t str)> {
    let Some(first) = n.checked_sub(1).and_then(|i| lines.get(i)) else {
        return Vec::new();
    };
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut out = vec![(n, *first)];
    // A declaration's opening line (`representative ... {`) stands alone.
    if !first.trim_end().ends_with('{') {
        for (i, line) in lines.iter().enumerate().skip(n).take(7) {
            if line.trim().is_empty() || indent(line) <= indent(first) {
                break;
            }
            out.push((i + 1, *line));
        }
    }
    out
}

/// A text of several lines escaped line by line, so its line breaks stay
/// line breaks in a `<pre>` (and every other control character is still
/// made visible).
fn lines_escaped(text: &str) -> String {
    text.lines().map(escape).collect::<Vec<_>>().join("\n")
}

/// `text` escaped, with each `field` written in back-quotes (as reasons
/// name fields) shown as code.
fn rich(text: &str) -> String {
    let escaped = escape(text);
    if !escaped.matches('`').count().is_multiple_of(2) {
        return escaped;
    }
    let mut out = String::new();
    for (i, part) in escaped.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The answer in words, for the large heading.
fn word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Agree => "Agree",
        Outcome::Refer => "Refer",
        Outcome::Redirect => "Redirect",
        Outcome::Decline => "Decline",
    }
}

/// The line numbers a reason cites ("line 163", "Lines 155-193", "line
/// 163 or line 165"), in order, each once; a range gives its first and
/// last lines only when it is long.
pub(crate) fn cited_lines(reason: &str) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    let lower = reason.to_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("line") {
        rest = &rest[at + 4..];
        let after = rest.strip_prefix('s').unwrap_or(rest);
        let Some(after) = after.strip_prefix(' ') else {
            continue;
        };
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let Ok(first) = digits.parse::<usize>() else {
            continue;
        };
        let tail = &after[digits.len()..];
        let second: Option<usize> = tail.strip_prefix('-').and_then(|t| {
            t.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .ok()
        });
        let mut add = |n: usize| {
            if !out.contains(&n) {
                out.push(n);
            }
        };
        match second {
            Some(last) if last >= first && last - first < 12 => (first..=last).for_each(&mut add),
            Some(last) => {
                add(first);
                add(last);
            }
            None => add(first),
        }
    }
    out
}

fn choose_form(out: &mut String, page: &Page<'_>) {
    let chosen_mandate = page.chosen.map(|(m, _)| m.id.as_str());
    let chosen_rep = page.chosen.map(|(_, r)| r.id.as_str());
    out.push_str("<form id=\"choose\" class=\"choose\" method=\"get\" action=\"/\">\n");
    if page.mandates.len() > 1 {
        out.push_str("<div class=\"form-group\"><label class=\"label\" for=\"mandate\">Group</label><select class=\"select\" id=\"mandate\" name=\"mandate\">\n");
        for mandate in page.mandates {
            let _ = writeln!(
                out,
                "<option value=\"{}\"{}>{}</option>",
                escape(&mandate.id),
                selected(Some(mandate.id.as_str()) == chosen_mandate),
                escape(&mandate.group)
            );
        }
        out.push_str("</select></div>\n");
    } else if let Some(only) = page.mandates.first() {
        let _ = writeln!(
            out,
            "<input type=\"hidden\" name=\"mandate\" value=\"{}\">",
            escape(&only.id)
        );
    }
    let error = page.choice_problem.is_some();
    let _ = write!(
        out,
        "<div class=\"form-group{}\"><label class=\"label\" for=\"representative\">Who you are</label>",
        if error { " form-group-error" } else { "" }
    );
    if let Some(problem) = &page.choice_problem {
        let _ = write!(
            out,
            "<p class=\"error-message\"><span class=\"visually-hidden\">Error:</span> {}</p>",
            escape(problem)
        );
    }
    out.push_str("<select class=\"select\" id=\"representative\" name=\"representative\">\n");
    if chosen_rep.is_none() {
        out.push_str("<option value=\"\">Choose a representative</option>\n");
    }
    for mandate in page.mandates {
        let _ = writeln!(
            out,
            "<optgroup label=\"{}\" data-mandate=\"{}\">",
            escape(&mandate.group),
            escape(&mandate.id)
        );
        for rep in &mandate.representatives {
            let is =
                Some(mandate.id.as_str()) == chosen_mandate && Some(rep.id.as_str()) == chosen_rep;
            let role = rep
                .role
                .as_ref()
                .map(|r| format!(", {r}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<option value=\"{}\" data-mandate=\"{}\"{}>{}{}</option>",
                escape(&rep.id),
                escape(&mandate.id),
                selected(is),
                escape(&rep.name),
                escape(&role)
            );
        }
        out.push_str("</optgroup>\n");
    }
    out.push_str("</select></div>\n<button class=\"button button-secondary\" id=\"choose-button\" type=\"submit\">Choose</button>\n</form>\n");
}

fn selected(yes: bool) -> &'static str {
    if yes {
        " selected"
    } else {
        ""
    }
}

fn check_form(out: &mut String, page: &Page<'_>, mandate: &MandateInfo, rep: &RepresentativeInfo) {
    let filled = page.filled;
    let mistake = |input: &str| page.mistakes.iter().find(|m| m.input == input);
    let group_class = |input: &str| {
        if mistake(input).is_some() {
            "form-group form-group-error"
        } else {
            "form-group"
        }
    };
    let error_line = |input: &str| {
        mistake(input).map_or(String::new(), |m| {
            format!(
                "<p class=\"error-message\" id=\"{}-error\"><span class=\"visually-hidden\">Error:</span> {}</p>",
                escape(input),
                escape(&m.message)
            )
        })
    };
    let described = |input: &str, hint: bool| {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("{input}-hint"));
        }
        if mistake(input).is_some() {
            ids.push(format!("{input}-error"));
        }
        if ids.is_empty() {
            String::new()
        } else {
            format!(" aria-describedby=\"{}\"", escape(&ids.join(" ")))
        }
    };
    let _ = write!(
        out,
        "<h2 id=\"proposal-heading\">The proposal, for {}</h2>\n<p>{}{} · <a id=\"brief-link\" href=\"/brief?{}\">Read {}'s brief</a> (what they may agree to, and what a proposal must say)</p>\n",
        escape(&rep.name),
        escape(&mandate.group),
        rep.role.as_ref().map(|r| format!(", {}", escape(r))).unwrap_or_default(),
        escape(
            &serde_urlencoded::to_string([
                ("mandate", mandate.id.as_str()),
                ("representative", rep.id.as_str())
            ])
            .unwrap_or_default()
        ),
        escape(&rep.name)
    );
    let _ = write!(
        out,
        "<form id=\"check\" method=\"post\" action=\"/check\" novalidate>\n<input type=\"hidden\" name=\"mandate\" value=\"{}\">\n<input type=\"hidden\" name=\"representative\" value=\"{}\">\n",
        escape(&mandate.id),
        escape(&rep.id)
    );
    let _ = writeln!(
        out,
        "<div class=\"{}\"><label class=\"label\" for=\"title\">Title of the proposal</label>{}<input class=\"input\" id=\"title\" name=\"title\" type=\"text\" value=\"{}\"{}></div>",
        group_class("title"),
        error_line("title"),
        escape(&filled.title),
        described("title", false)
    );
    out.push_str("<div class=\"form-group\"><label class=\"label\" for=\"forum\">Where it is put to you</label><p class=\"hint\" id=\"forum-hint\">The meeting the proposal comes to.</p><select class=\"select\" id=\"forum\" name=\"forum\" aria-describedby=\"forum-hint\">\n<option value=\"\">Not said</option>\n");
    for forum in &rep.forums {
        let _ = writeln!(
            out,
            "<option value=\"{0}\"{1}>{0}</option>",
            escape(forum),
            selected(&filled.forum == forum)
        );
    }
    out.push_str("</select></div>\n");
    let _ = writeln!(
        out,
        "<div class=\"{}\"><label class=\"label\" for=\"date\">Date of the meeting</label><p class=\"hint\" id=\"date-hint\">Left empty, the check is for today.</p>{}<input class=\"input input-width-10\" id=\"date\" name=\"date\" type=\"date\" value=\"{}\"{}></div>",
        group_class("date"),
        error_line("date"),
        escape(&filled.date),
        described("date", true)
    );
    let _ = write!(
        out,
        "<div class=\"{}\"><fieldset class=\"fieldset\" id=\"topics\" aria-describedby=\"topics-hint{}\"><legend class=\"legend\">What the proposal is about</legend><p class=\"hint\" id=\"topics-hint\">Tick every topic it touches.</p>{}\n<div class=\"topics-find\" hidden><label class=\"label\" for=\"topics-find\">Find a topic</label><input class=\"input\" id=\"topics-find\" type=\"search\" autocomplete=\"off\"></div>\n<div class=\"checkboxes\">\n",
        group_class("topics"),
        if mistake("topics").is_some() { " topics-error" } else { "" },
        error_line("topics")
    );
    for topic in &mandate.topics {
        let id = format!("topic-{}", topic.topic);
        let checked = if filled.topics.contains(&topic.topic) {
            " checked"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<div class=\"checkbox\"><input class=\"checkbox-input\" id=\"{0}\" name=\"topic\" type=\"checkbox\" value=\"{1}\"{checked}><label class=\"checkbox-label\" for=\"{0}\">{2} <span class=\"topic-path\">({1})</span></label></div>",
            escape(&id),
            escape(&topic.topic),
            escape(&topic.label)
        );
    }
    out.push_str("</div></fieldset></div>\n");
    if !rep.fields.is_empty() {
        out.push_str("<fieldset class=\"fieldset\" id=\"fields\"><legend class=\"legend\">What the proposal says</legend><p class=\"hint\">The facts the mandate's rules and principles look at. Leave a field empty when the paper does not say: the answer then says what is unknown.</p>\n");
        for field in &rep.fields {
            let id = format!("field-{}", field.name);
            let name = format!("field.{}", field.name);
            let value = filled.field(&field.name);
            let hint = format!(
                "{}. Read by {}.",
                match field.kind {
                    FieldKind::Number => "A number",
                    FieldKind::Date => "A date",
                    FieldKind::YesNo => "Yes or no",
                    FieldKind::List => "A list: separate items with commas",
                    FieldKind::Text
                        if field.read_by.iter().all(|b| b.starts_with("principle ")) =>
                    {
                        "A number, yes or no, or a text"
                    }
                    FieldKind::Text => "A word or text",
                },
                field.read_by.join(", ")
            );
            let _ = write!(
                out,
                "<div class=\"{}\"><label class=\"label\" for=\"{}\"><code>{}</code></label><p class=\"hint\" id=\"{}-hint\">{}</p>{}",
                group_class(&id),
                escape(&id),
                escape(&field.name),
                escape(&id),
                escape(&hint),
                error_line(&id)
            );
            match field.kind {
                FieldKind::YesNo => {
                    let _ = write!(
                        out,
                        "<select class=\"select\" id=\"{}\" name=\"{}\"{}><option value=\"\">Not said</option><option value=\"true\"{}>Yes</option><option value=\"false\"{}>No</option></select>",
                        escape(&id),
                        escape(&name),
                        described(&id, true),
                        selected(value == "true"),
                        selected(value == "false")
                    );
                }
                kind => {
                    let (input_type, mode) = match kind {
                        FieldKind::Number => ("text", " inputmode=\"decimal\""),
                        FieldKind::Date => ("date", ""),
                        _ => ("text", ""),
                    };
                    let _ = write!(
                        out,
                        "<input class=\"input\" id=\"{}\" name=\"{}\" type=\"{input_type}\"{mode} value=\"{}\"{}>",
                        escape(&id),
                        escape(&name),
                        escape(value),
                        described(&id, true)
                    );
                }
            }
            out.push_str("</div>\n");
        }
        out.push_str("</fieldset>\n");
    }
    let _ = write!(
        out,
        "<fieldset class=\"fieldset\" id=\"extra\"><legend class=\"legend\">Another field</legend><p class=\"hint\" id=\"extra-hint\">Anything else the paper says that a principle may read, such as <code>capital_secured</code> and <code>false</code>.</p>\n<div class=\"{}\"><label class=\"label\" for=\"extra-name\">Name</label>{}<input class=\"input\" id=\"extra-name\" name=\"extra_name\" type=\"text\" value=\"{}\" aria-describedby=\"extra-hint\"></div>\n<div class=\"form-group\"><label class=\"label\" for=\"extra-value\">Value</label><input class=\"input\" id=\"extra-value\" name=\"extra_value\" type=\"text\" value=\"{}\"></div>\n</fieldset>\n",
        group_class("extra-name"),
        error_line("extra-name"),
        escape(&filled.extra_name),
        escape(&filled.extra_value)
    );
    out.push_str("<button class=\"button\" id=\"submit\" type=\"submit\">Check the proposal</button>\n</form>\n");
}

#[cfg(test)]
mod tests {
    use super::cited_lines;

    #[test]
    fn the_lines_a_reason_cites() {
        assert_eq!(cited_lines("Line 163 lets Dr Asha Patel agree"), [163]);
        assert_eq!(
            cited_lines("Nothing in the mandate (lines 155-193) lets them; see line 26"),
            [155, 193, 26]
        );
        assert_eq!(
            cited_lines("Where line 164 or line 168 also applies"),
            [164, 168]
        );
        assert_eq!(cited_lines("lines 10-12"), [10, 11, 12]);
        assert!(cited_lines("the pipeline is fine").is_empty());
    }
}
