//! A record as the group tells its members: one row per decision (who,
//! what, when, where, the outcome, the mandate, whether a report-back was
//! due), filtered by representative and day, as text, Markdown, CSV or
//! JSON. CSV cells a spreadsheet would run as a formula are neutralised.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One decision of a record, as a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The record's line.
    pub line: usize,
    /// When it was recorded.
    pub recorded_at: String,
    /// The day the check was made for.
    pub day: String,
    /// The representative's id.
    pub representative: String,
    /// The proposal's id.
    pub proposal: String,
    /// The proposal's title.
    pub title: String,
    /// The forum it was put to, if it names one.
    pub forum: String,
    /// The outcome.
    pub outcome: String,
    /// The organisations it was redirected to.
    pub redirect_to: Vec<String>,
    /// The mandate's sha256.
    pub mandate_sha256: String,
    /// For an agreement: the report-back the representative owed.
    pub report_back: String,
}

/// The rows of a record's entries, keeping those for `representative` (if
/// given) whose day is within `since`..=`until` (each if given).
pub fn rows(
    entries: &[super::Entry],
    representative: Option<&str>,
    since: Option<chrono::NaiveDate>,
    until: Option<chrono::NaiveDate>,
) -> Vec<Row> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    entries
        .iter()
        .filter(|(_, e)| representative.is_none_or(|r| e["representative"] == r))
        .filter(|(_, e)| {
            let day = e["day"].as_str().and_then(crate::proposal::parse_iso_date);
            since.is_none_or(|s| day.is_some_and(|d| d >= s))
                && until.is_none_or(|u| day.is_some_and(|d| d <= u))
        })
        .map(|(line, e)| {
            let decision = &e["decision"];
            let outcome = text(&decision["outcome"]);
            let report_back = if outcome == "agree" {
                decision["obligations"]
                    .as_array()
                    .and_then(|o| o.first())
                    .map(text)
                    .unwrap_or_default()
            } else {
                String::new()
            };
            Row {
                line: *line,
                recorded_at: text(&e["recorded_at"]),
                day: text(&e["day"]),
                representative: text(&e["representative"]),
                proposal: text(&e["proposal_id"]),
                title: text(&decision["title"]),
                forum: e
                    .get("proposal")
                    .and_then(|p| p.get("forum"))
                    .map(text)
                    .unwrap_or_default(),
                outcome,
                redirect_to: decision["redirect_to"]
                    .as_array()
                    .map(|a| a.iter().map(text).collect())
                    .unwrap_or_default(),
                mandate_sha256: text(&e["mandate_sha256"]),
                report_back,
            }
        })
        .collect()
}

/// The column names, in order.
pub const COLUMNS: [&str; 11] = [
    "line",
    "recorded_at",
    "day",
    "representative",
    "proposal",
    "title",
    "forum",
    "outcome",
    "redirect_to",
    "mandate_sha256",
    "report_back",
];

fn cells(row: &Row) -> [String; 11] {
    [
        row.line.to_string(),
        row.recorded_at.clone(),
        row.day.clone(),
        row.representative.clone(),
        row.proposal.clone(),
        row.title.clone(),
        row.forum.clone(),
        row.outcome.clone(),
        row.redirect_to.join(" "),
        row.mandate_sha256.clone(),
        row.report_back.clone(),
    ]
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return first) made plain text with a leading `'`.
pub fn neutralised(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The rows as CSV (RFC 4180, a header row), formulas neutralised and
/// control characters made visible.
pub fn csv(rows: &[Row]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for row in rows {
        // Control characters made visible, so a cell cannot forge a line.
        writer.write_record(
            cells(row)
                .iter()
                .map(|c| neutralised(&crate::visible::visible(c))),
        )?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The rows as a Markdown table, `|` and line breaks escaped.
pub fn markdown(rows: &[Row]) -> String {
    let escape = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace(['\n', '\r'], " ")
    };
    let shown = [
        "day",
        "representative",
        "title",
        "forum",
        "outcome",
        "mandate",
        "report back",
    ];
    let mut out = format!(
        "| {} |\n|{}\n",
        shown.join(" | "),
        "---|".repeat(shown.len())
    );
    for row in rows {
        let short: String = row.mandate_sha256.chars().take(12).collect();
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            escape(&row.day),
            escape(&row.representative),
            escape(&row.title),
            escape(&row.forum),
            escape(&row.outcome),
            escape(&short),
            escape(&row.report_back)
        ));
    }
    out
}

/// The rows as lines of text for a person.
pub fn text(rows: &[Row]) -> String {
    let mut out = String::new();
    for row in rows {
        let short: String = row.mandate_sha256.chars().take(12).collect();
        let at = if row.forum.is_empty() {
            String::new()
        } else {
            format!(" at {}", row.forum)
        };
        out.push_str(&format!(
            "{}  {}  {}  \"{}\"{at}  (mandate {short}, line {})\n",
            row.day, row.outcome, row.representative, row.title, row.line
        ));
        if !row.report_back.is_empty() {
            out.push_str(&format!("    {}\n", row.report_back));
        }
    }
    out.push_str(&format!("{} decisions\n", rows.len()));
    out
}
