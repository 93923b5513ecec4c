//! Structure-aware: the fuzzer's bytes drive small generator types
//! (`arbitrary`) that build a VALID mandate (organisations, principles
//! from a fixed set, priorities, an optional vocabulary, representatives
//! with forums, dates and rules with `except`, `at` and `when` over a few
//! fields) and a proposal aimed at it. Then:
//!
//! - the mandate loads with no error (validate accepts what is valid);
//! - every decision invariant of `mandate_fuzz::assert_decision` holds;
//! - a small model of the README's "How a check decides", written here from the text and
//!   knowing what was generated, agrees with the engine on every rule's
//!   condition (true / false / unknown), every topic's outcome, the
//!   redirects and the overall outcome; in particular forbid overrides
//!   grant: a `may not agree` rule whose condition is true on a topic kept
//!   by the group declines;
//! - writing each representative's rules in reverse order changes no
//!   outcome and no redirect.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use mandate::check::{Outcome, PrincipleOutcome};
use mandate::source::{Scripts, SourceFile};
use mandate::{Mandate, Proposal};
use mandate_fuzz::{check_everyone, day, Ownership};
use serde_json::{json, Map, Value as Json};

// ---------------------------------------------------------------------------
// The small world mandates and proposals are drawn from.
// ---------------------------------------------------------------------------

/// Topics rules, ownership and priorities may name.
const TOPICS: &[&str] = &["a", "a.b", "a.b.c", "a.c", "b", "b.x", "c", "c.d.e"];
/// Topics a proposal may give: the above, and some no pattern is about.
const PROPOSAL_TOPICS: &[&str] = &[
    "a", "a.b", "a.b.c", "a.c", "b", "b.x", "c", "c.d.e", "d", "a.bb", "ab", "b.x.y", "c.d",
];
/// Topics organisations may own: fewer than rules name, so that most
/// topics stay with the group and every outcome is common.
const OWNED: &[&str] = &["a.b.c", "b.x", "c.d.e", "c"];
const FORUMS: &[&str] = &["Board A", "Board B", "Board \"C\""];
const DATES: &[&str] = &[
    "2025-01-01",
    "2026-04-01",
    "2026-11-23",
    "2027-03-31",
    "2027-04-01",
];
const FIELDS: &[&str] = &[
    "cost",
    "risk",
    "changes",
    "recurrent",
    "start_date",
    "budget.recurrent",
];
/// Number literals: as written, and their value.
const NUMBERS: &[(&str, f64)] = &[
    ("0", 0.0),
    ("10", 10.0),
    ("50_000", 50_000.0),
    ("-5", -5.0),
    ("12.5", 12.5),
    ("100", 100.0),
    ("2_500.50", 2_500.5),
];
const STRINGS: &[&str] = &[
    "low",
    "high",
    "closure",
    "shared_space",
    "",
    "say \"no\"",
    "hi",
];
/// Proposal date strings that are not dates.
const NOT_DATES: &[&str] = &[
    "2026-02-30",
    "next spring",
    "2026-04-01T00:00:00",
    "2026-4-1",
];

fn pick<T: Copy>(items: &[T], i: u8) -> T {
    items[usize::from(i) % items.len()]
}

// ---------------------------------------------------------------------------
// Generator types.
// ---------------------------------------------------------------------------

#[derive(Arbitrary, Debug)]
struct Input {
    vocabulary: bool,
    organisations: Vec<Vec<u8>>,
    principles: Vec<(u8, u8)>,
    priorities: Vec<Vec<u8>>,
    representatives: Vec<Rep>,
    proposal: ProposalGen,
}

#[derive(Arbitrary, Debug)]
struct Rep {
    forums: Vec<u8>,
    valid: Option<(Option<u8>, Option<u8>)>,
    report_within: Option<u8>,
    rules: Vec<RuleGen>,
}

#[derive(Arbitrary, Debug)]
struct RuleGen {
    effect: u8,
    patterns: Vec<u8>,
    any: bool,
    except: Vec<u8>,
    at: Option<u8>,
    when: Option<CondGen>,
}

#[derive(Arbitrary, Debug)]
enum CondGen {
    Compare(u8, u8, LitGen, bool),
    In(u8, Vec<LitGen>),
    Contains(u8, LitGen),
    Bool(bool),
    Not(Box<CondGen>),
    And(Box<CondGen>, Box<CondGen>),
    Or(Box<CondGen>, Box<CondGen>),
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum LitGen {
    Number(u8),
    Text(u8),
    Date(u8),
    Bool(bool),
}

#[derive(Arbitrary, Debug)]
struct ProposalGen {
    topics: Vec<u8>,
    forum: Option<u8>,
    date: Option<u8>,
    fields: Vec<(u8, JsonGen)>,
}

#[derive(Arbitrary, Debug)]
enum JsonGen {
    Number(u8),
    Text(u8),
    Date(u8),
    NotADate(u8),
    Bool(bool),
    Null,
    Texts(Vec<u8>),
    Numbers(Vec<u8>),
    Object(u8),
}

// ---------------------------------------------------------------------------
// The model: what was generated, normalised and bounded.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Lit {
    Number(usize),
    Text(&'static str),
    Date(chrono::NaiveDate, &'static str),
    Bool(bool),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

const OPS: &[(Op, &str)] = &[
    (Op::Eq, "=="),
    (Op::Ne, "!="),
    (Op::Lt, "<"),
    (Op::Le, "<="),
    (Op::Gt, ">"),
    (Op::Ge, ">="),
];

#[derive(Debug, Clone)]
enum Cond {
    /// `field OP literal`, or `literal OP field` when `flipped`.
    Compare(&'static str, Op, Lit, bool),
    In(&'static str, Vec<Lit>),
    Contains(&'static str, Lit),
    Bool(bool),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Effect {
    MayAgree,
    Refer,
    MayNotAgree,
}

#[derive(Debug, Clone)]
struct Rule {
    effect: Effect,
    patterns: Vec<&'static str>,
    except: Vec<&'static str>,
    at: Option<&'static str>,
    when: Option<Cond>,
}

#[derive(Debug, Clone)]
struct Representative {
    forums: Vec<&'static str>,
    valid_from: Option<&'static str>,
    valid_until: Option<&'static str>,
    report_within: Option<u8>,
    rules: Vec<Rule>,
}

/// The fixed principles: code, and the result it must give whatever the
/// proposal (`None`: it depends on the proposal).
const PRINCIPLES: &[(&str, Option<PrincipleOutcome>)] = &[
    ("true", Some(PrincipleOutcome::Upheld)),
    ("false", Some(PrincipleOutcome::Violated)),
    ("\"The group said no\"", Some(PrincipleOutcome::Violated)),
    (
        "#{ upheld: false, reason: \"A map says no\" }",
        Some(PrincipleOutcome::Violated),
    ),
    (
        "#{ upheld: true, reason: \"\" }",
        Some(PrincipleOutcome::Upheld),
    ),
    ("throw \"boom\"", Some(PrincipleOutcome::Error)),
    // Errors that cost nothing: a runaway loop costs a whole budget per
    // evaluation, and the principles target covers it.
    ("let x = 1 / 0; true", Some(PrincipleOutcome::Error)),
    ("()", Some(PrincipleOutcome::Error)),
    ("42", Some(PrincipleOutcome::Error)),
    ("(proposal.cost ?? 0) > 100", None),
    ("!(proposal.changes ?? []).contains(\"closure\")", None),
    ("has_topic(proposal, \"a\")", None),
];
const SEVERITIES: &[&str] = &["blocking", "refer", "advisory", ""];

#[derive(Debug, Clone)]
struct Model {
    vocabulary: bool,
    organisations: Vec<Vec<&'static str>>,
    principles: Vec<(usize, &'static str)>,
    priorities: Vec<Vec<&'static str>>,
    representatives: Vec<Representative>,
}

fn lit(g: LitGen) -> Lit {
    match g {
        LitGen::Number(i) => Lit::Number(usize::from(i) % NUMBERS.len()),
        LitGen::Text(i) => Lit::Text(pick(STRINGS, i)),
        LitGen::Date(i) => {
            let text = pick(DATES, i);
            Lit::Date(date(text), text)
        }
        LitGen::Bool(b) => Lit::Bool(b),
    }
}

fn date(text: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn cond(g: &CondGen, depth: u32) -> Cond {
    if depth > 4 {
        return Cond::Bool(true);
    }
    match g {
        CondGen::Compare(f, op, l, flipped) => {
            Cond::Compare(pick(FIELDS, *f), pick(OPS, *op).0, lit(*l), *flipped)
        }
        CondGen::In(f, items) => {
            let mut items: Vec<Lit> = items.iter().take(4).map(|l| lit(*l)).collect();
            if items.is_empty() {
                items.push(Lit::Text("low"));
            }
            Cond::In(pick(FIELDS, *f), items)
        }
        CondGen::Contains(f, l) => Cond::Contains(pick(FIELDS, *f), lit(*l)),
        CondGen::Bool(b) => Cond::Bool(*b),
        CondGen::Not(c) => Cond::Not(Box::new(cond(c, depth + 1))),
        CondGen::And(a, b) => Cond::And(Box::new(cond(a, depth + 1)), Box::new(cond(b, depth + 1))),
        CondGen::Or(a, b) => Cond::Or(Box::new(cond(a, depth + 1)), Box::new(cond(b, depth + 1))),
    }
}

fn topics(indexes: &[u8], at_least_one: bool, most: usize) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for i in indexes.iter().take(most) {
        let t = pick(TOPICS, *i);
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if at_least_one && out.is_empty() {
        out.push("a");
    }
    out
}

impl Model {
    fn new(input: &Input) -> Self {
        let representatives: Vec<Representative> = input
            .representatives
            .iter()
            .take(3)
            .map(|r| {
                let mut forums: Vec<&'static str> = Vec::new();
                for f in r.forums.iter().take(3) {
                    let f = pick(FORUMS, *f);
                    if !forums.contains(&f) {
                        forums.push(f);
                    }
                }
                let (valid_from, valid_until) = match r.valid {
                    None => (None, None),
                    Some((from, until)) => {
                        let from = from.map(|i| pick(DATES, i));
                        let until = until.map(|i| pick(DATES, i));
                        match (from, until) {
                            // `until` before `from` is an error: put them in order.
                            (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
                            other => other,
                        }
                    }
                };
                Representative {
                    forums,
                    valid_from,
                    valid_until,
                    report_within: r.report_within.map(|n| n % 60 + 1),
                    rules: r
                        .rules
                        .iter()
                        .take(8)
                        .map(|g| Rule {
                            // Grants are half the rules: forbids would
                            // otherwise decide most proposals.
                            effect: [
                                Effect::MayAgree,
                                Effect::MayAgree,
                                Effect::Refer,
                                Effect::MayNotAgree,
                            ][usize::from(g.effect) % 4],
                            patterns: if g.any {
                                vec!["*"]
                            } else {
                                topics(&g.patterns, true, 3)
                            },
                            except: topics(&g.except, false, 2),
                            at: g.at.map(|f| pick(FORUMS, f)),
                            when: g.when.as_ref().map(|c| cond(c, 0)),
                        })
                        .collect(),
                }
            })
            .collect();
        Model {
            vocabulary: input.vocabulary,
            organisations: input
                .organisations
                .iter()
                .take(3)
                .map(|o| {
                    let mut owns: Vec<&'static str> =
                        o.iter().take(2).map(|i| pick(OWNED, *i)).collect();
                    owns.dedup();
                    if owns.is_empty() {
                        owns.push("c.d.e");
                    }
                    owns
                })
                .collect(),
            principles: input
                .principles
                .iter()
                .take(4)
                .map(|(code, severity)| {
                    // Most principles are `true`, so that agree is common.
                    let code = if code % 4 != 0 {
                        0
                    } else {
                        usize::from(code / 4) % PRINCIPLES.len()
                    };
                    (code, pick(SEVERITIES, *severity))
                })
                .collect(),
            priorities: input
                .priorities
                .iter()
                .take(2)
                .map(|p| topics(p, true, 2))
                .collect(),
            representatives,
        }
    }

    /// The rule file, and the line of every rule (per representative).
    fn render(&self, reversed: bool) -> (String, Vec<Vec<u32>>) {
        let mut out = String::from("// Generated by the structured fuzz target.\n");
        out.push_str("group \"Structured\" { place \"Fuzzshire\" }\n");
        if self.vocabulary {
            for t in ["a", "a.b", "b", "c"] {
                out.push_str(&format!("topic {t} \"Label of {t}\"\n"));
            }
        }
        for (i, owns) in self.organisations.iter().enumerate() {
            out.push_str(&format!(
                "organisation o{i} \"Organisation {i}\" {{\n  owns {}\n}}\n",
                owns.join(", ")
            ));
        }
        for (i, (code, severity)) in self.principles.iter().enumerate() {
            out.push_str(&format!(
                "principle p{i} \"Principle {i}\" {severity} {{ {} }}\n",
                PRINCIPLES[*code].0
            ));
        }
        for (i, topics) in self.priorities.iter().enumerate() {
            out.push_str(&format!(
                "priority q{i} \"Priority {i}\" {{ topics {} }}\n",
                topics.join(", ")
            ));
        }
        let mut lines = Vec::new();
        for (i, rep) in self.representatives.iter().enumerate() {
            out.push_str(&format!("representative r{i} \"Representative {i}\" {{\n"));
            if !rep.forums.is_empty() {
                let forums: Vec<String> = rep.forums.iter().map(|f| quote(f)).collect();
                out.push_str(&format!("  forums {}\n", forums.join(", ")));
            }
            match (rep.valid_from, rep.valid_until) {
                (None, None) => {}
                (from, until) => {
                    out.push_str("  valid");
                    if let Some(from) = from {
                        out.push_str(&format!(" from {from}"));
                    }
                    if let Some(until) = until {
                        out.push_str(&format!(" until {until}"));
                    }
                    out.push('\n');
                }
            }
            if let Some(n) = rep.report_within {
                out.push_str(&format!("  report within {n} days\n"));
            }
            let mut rule_lines = vec![0; rep.rules.len()];
            let order: Vec<usize> = if reversed {
                (0..rep.rules.len()).rev().collect()
            } else {
                (0..rep.rules.len()).collect()
            };
            for r in order {
                let rule = &rep.rules[r];
                rule_lines[r] = out.matches('\n').count() as u32 + 1;
                out.push_str("  ");
                out.push_str(match rule.effect {
                    Effect::MayAgree => "may agree ",
                    Effect::Refer => "refer ",
                    Effect::MayNotAgree => "may not agree ",
                });
                out.push_str(&rule.patterns.join(", "));
                if !rule.except.is_empty() {
                    out.push_str(" except ");
                    out.push_str(&rule.except.join(", "));
                }
                if let Some(forum) = rule.at {
                    out.push_str(&format!(" at {}", quote(forum)));
                }
                if let Some(when) = &rule.when {
                    out.push_str(" when ");
                    write_cond(&mut out, when);
                }
                out.push('\n');
            }
            lines.push(rule_lines);
            out.push_str("}\n");
        }
        (out, lines)
    }

    fn owners(&self, topic: &str) -> Vec<String> {
        let mut ids: Vec<String> = self
            .organisations
            .iter()
            .enumerate()
            .filter(|(_, owns)| owns.iter().any(|p| matches(p, topic)))
            .map(|(i, _)| format!("o{i}"))
            .collect();
        ids.sort();
        ids
    }
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn write_lit(out: &mut String, lit: &Lit) {
    match lit {
        Lit::Number(i) => out.push_str(NUMBERS[*i].0),
        Lit::Text(t) => out.push_str(&quote(t)),
        Lit::Date(_, text) => out.push_str(text),
        Lit::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    }
}

fn write_cond(out: &mut String, cond: &Cond) {
    // Every compound is parenthesised, so precedence never decides; the
    // property tests and the clause cases cover precedence.
    match cond {
        Cond::Compare(field, op, lit, flipped) => {
            let op = OPS.iter().find(|(o, _)| o == op).map_or("==", |(_, w)| w);
            if *flipped {
                write_lit(out, lit);
                out.push_str(&format!(" {op} {field}"));
            } else {
                out.push_str(&format!("{field} {op} "));
                write_lit(out, lit);
            }
        }
        Cond::In(field, items) => {
            out.push_str(&format!("{field} in ["));
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_lit(out, item);
            }
            out.push(']');
        }
        Cond::Contains(field, lit) => {
            out.push_str(&format!("{field} contains "));
            write_lit(out, lit);
        }
        Cond::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Cond::Not(inner) => {
            out.push_str("not (");
            write_cond(out, inner);
            out.push(')');
        }
        Cond::And(a, b) | Cond::Or(a, b) => {
            out.push('(');
            write_cond(out, a);
            out.push_str(if matches!(cond, Cond::And(..)) {
                ") and ("
            } else {
                ") or ("
            });
            write_cond(out, b);
            out.push(')');
        }
    }
}

/// The README: a pattern matches its topic and every topic below it.
fn matches(pattern: &str, topic: &str) -> bool {
    pattern == "*"
        || topic == pattern
        || (topic.starts_with(pattern) && topic.as_bytes().get(pattern.len()) == Some(&b'.'))
}

// ---------------------------------------------------------------------------
// Three-valued truth, from the README's "Conditions".
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    fn of(b: bool) -> Self {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }
    fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
            _ => Truth::True,
        }
    }
    fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
            _ => Truth::False,
        }
    }
    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
    fn word(self) -> &'static str {
        match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        }
    }
}

/// A proposal value as a condition sees it.
#[derive(Debug, Clone, PartialEq)]
enum Seen {
    Number(f64),
    Text(String),
    Bool(bool),
    /// A list or an object: no comparison takes it.
    Other,
}

fn lookup(fields: &Map<String, Json>, path: &str) -> Option<Seen> {
    let mut parts = path.split('.');
    let mut here = fields.get(parts.next()?)?;
    for part in parts {
        here = here.as_object()?.get(part)?;
    }
    Some(match here {
        Json::Null => return None,
        Json::Number(n) => Seen::Number(n.as_f64()?),
        Json::String(s) => Seen::Text(s.clone()),
        Json::Bool(b) => Seen::Bool(*b),
        Json::Array(_) | Json::Object(_) => Seen::Other,
    })
}

/// A proposal string that is exactly `YYYY-MM-DD` and a real date.
fn as_date(text: &str) -> Option<chrono::NaiveDate> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        });
    if shape {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
    } else {
        None
    }
}

fn compare(op: Op, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ordering == Equal,
        Op::Ne => ordering != Equal,
        Op::Lt => ordering == Less,
        Op::Le => ordering != Greater,
        Op::Gt => ordering == Greater,
        Op::Ge => ordering != Less,
    }
}

/// `value OP literal` (the field on the left).
fn compare_field(value: &Seen, op: Op, lit: &Lit) -> Truth {
    let ordered = !matches!(op, Op::Eq | Op::Ne);
    let ordering = match (value, lit) {
        (Seen::Number(a), Lit::Number(i)) => a.partial_cmp(&NUMBERS[*i].1),
        (Seen::Text(a), Lit::Text(b)) if !ordered => Some(a.as_str().cmp(b)),
        (Seen::Bool(a), Lit::Bool(b)) if !ordered => Some(a.cmp(b)),
        (Seen::Text(a), Lit::Date(b, _)) => as_date(a).map(|a| a.cmp(b)),
        _ => None,
    };
    ordering.map_or(Truth::Unknown, |o| Truth::of(compare(op, o)))
}

fn flip(op: Op) -> Op {
    match op {
        Op::Lt => Op::Gt,
        Op::Le => Op::Ge,
        Op::Gt => Op::Lt,
        Op::Ge => Op::Le,
        other => other,
    }
}

/// Same type and value, for `in` and list `contains`: `None` when the
/// types differ.
fn same(value: &Json, lit: &Lit) -> Option<bool> {
    match (value, lit) {
        (Json::Number(a), Lit::Number(i)) => Some(a.as_f64() == Some(NUMBERS[*i].1)),
        (Json::String(a), Lit::Text(b)) => Some(a == b),
        (Json::Bool(a), Lit::Bool(b)) => Some(a == b),
        (Json::String(a), Lit::Date(b, _)) => as_date(a).map(|a| a == *b),
        _ => None,
    }
}

fn raw<'a>(fields: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    let mut parts = path.split('.');
    let mut here = fields.get(parts.next()?)?;
    for part in parts {
        here = here.as_object()?.get(part)?;
    }
    if here.is_null() {
        None
    } else {
        Some(here)
    }
}

fn truth(cond: &Cond, fields: &Map<String, Json>) -> Truth {
    match cond {
        Cond::Compare(field, op, lit, flipped) => match lookup(fields, field) {
            None => Truth::Unknown,
            Some(value) => compare_field(&value, if *flipped { flip(*op) } else { *op }, lit),
        },
        Cond::In(field, items) => match raw(fields, field) {
            None => Truth::Unknown,
            Some(value) => {
                let results: Vec<Option<bool>> = items.iter().map(|l| same(value, l)).collect();
                if results.contains(&Some(true)) {
                    Truth::True
                } else if results.iter().any(Option::is_some) {
                    Truth::False
                } else {
                    Truth::Unknown
                }
            }
        },
        Cond::Contains(field, lit) => match raw(fields, field) {
            Some(Json::Array(items)) => Truth::of(items.iter().any(|v| same(v, lit) == Some(true))),
            Some(Json::String(text)) => match lit {
                Lit::Text(needle) => Truth::of(text.contains(needle)),
                _ => Truth::Unknown,
            },
            _ => Truth::Unknown,
        },
        Cond::Bool(b) => Truth::of(*b),
        Cond::Not(inner) => truth(inner, fields).not(),
        Cond::And(a, b) => truth(a, fields).and(truth(b, fields)),
        Cond::Or(a, b) => truth(a, fields).or(truth(b, fields)),
    }
}

// ---------------------------------------------------------------------------
// The proposal.
// ---------------------------------------------------------------------------

fn proposal_json(g: &ProposalGen) -> Json {
    let mut topics: Vec<&str> = Vec::new();
    for t in g.topics.iter().take(4) {
        let t = pick(PROPOSAL_TOPICS, *t);
        topics.push(t);
    }
    if topics.is_empty() {
        topics.push("a.b");
    }
    let mut object = Map::new();
    object.insert("id".into(), "structured".into());
    object.insert("title".into(), "A generated proposal".into());
    object.insert("topics".into(), json!(topics));
    if let Some(f) = g.forum {
        object.insert("forum".into(), pick(FORUMS, f).into());
    }
    if let Some(d) = g.date {
        object.insert("date".into(), pick(DATES, d).into());
    }
    for (field, value) in g.fields.iter().take(6) {
        let field = pick(FIELDS, *field);
        let value = match value {
            JsonGen::Number(i) => json!(NUMBERS[usize::from(*i) % NUMBERS.len()].1),
            JsonGen::Text(i) => json!(pick(STRINGS, *i)),
            JsonGen::Date(i) => json!(pick(DATES, *i)),
            JsonGen::NotADate(i) => json!(pick(NOT_DATES, *i)),
            JsonGen::Bool(b) => json!(b),
            JsonGen::Null => Json::Null,
            JsonGen::Texts(items) => json!(items
                .iter()
                .take(4)
                .map(|i| pick(STRINGS, *i))
                .collect::<Vec<_>>()),
            JsonGen::Numbers(items) => json!(items
                .iter()
                .take(4)
                .map(|i| NUMBERS[usize::from(*i) % NUMBERS.len()].1)
                .collect::<Vec<_>>()),
            JsonGen::Object(i) => {
                json!({ "recurrent": NUMBERS[usize::from(*i) % NUMBERS.len()].1 })
            }
        };
        // Later values win, as the first write of a nested path decides
        // whether `budget` is an object.
        match field.split_once('.') {
            None => {
                object.insert(field.into(), value);
            }
            Some((outer, inner)) => {
                let entry = object.entry(outer.to_string()).or_insert_with(|| json!({}));
                if let Some(map) = entry.as_object_mut() {
                    map.insert(inner.into(), value);
                }
            }
        }
    }
    Json::Object(object)
}

// ---------------------------------------------------------------------------
// The target.
// ---------------------------------------------------------------------------

fn load(text: &str) -> Mandate {
    let loaded = Mandate::from_source(
        SourceFile {
            name: "structured.mandate".into(),
            text: text.to_string(),
        },
        Scripts::new(),
        day(),
    );
    match loaded.mandate {
        Some(mandate) => mandate,
        None => panic!(
            "a valid generated mandate was refused:\n{text}\n{:#?}",
            loaded
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect::<Vec<_>>()
        ),
    }
}

fuzz_target!(|input: Input| {
    let model = Model::new(&input);
    if model.representatives.is_empty() {
        return;
    }
    let (text, lines) = model.render(false);
    let mandate = load(&text);
    let ownership = Ownership::from_source(&text);
    let json = proposal_json(&input.proposal);
    let proposal = match Proposal::from_json(&json.to_string(), "structured") {
        Ok(proposal) => proposal,
        Err(error) => panic!("a valid generated proposal was refused: {error}\n{json}"),
    };
    let decisions = check_everyone(&mandate, &ownership, &proposal);
    if std::env::var_os("MANDATE_FUZZ_DEBUG").is_some() {
        let outcomes: Vec<&str> = decisions.iter().map(|d| d.outcome.as_str()).collect();
        eprintln!("{text}{json}\n{outcomes:?}");
    }

    let fields = &proposal.fields;
    let check_day = proposal.date.unwrap_or_else(day);
    for ((decision, rep), rule_lines) in decisions.iter().zip(&model.representatives).zip(&lines) {
        let mut expected = Outcome::Agree;
        let mut redirect_to: Vec<String> = Vec::new();
        for topic in &decision.topics {
            let owners = model.owners(&topic.topic);
            if !owners.is_empty() {
                assert_eq!(topic.outcome, Outcome::Redirect);
                redirect_to.extend(owners);
                expected = expected.max(Outcome::Redirect);
                continue;
            }
            // The model's trace: matching rules in file order, each with its truth.
            let mut trace: Vec<(u32, Effect, Truth)> = rep
                .rules
                .iter()
                .zip(rule_lines)
                .filter(|(rule, _)| {
                    rule.patterns.iter().any(|p| matches(p, &topic.topic))
                        && !rule.except.iter().any(|p| matches(p, &topic.topic))
                })
                .map(|(rule, line)| {
                    let at = match (rule.at, &proposal.forum) {
                        (None, _) => Truth::True,
                        (Some(_), None) => Truth::Unknown,
                        (Some(wanted), Some(forum)) => Truth::of(wanted == forum),
                    };
                    let when = rule.when.as_ref().map_or(Truth::True, |c| truth(c, fields));
                    (*line, rule.effect, at.and(when))
                })
                .collect();
            trace.sort_by_key(|(line, _, _)| *line);
            let engine: Vec<(u32, &str)> = topic
                .rules
                .iter()
                .flatten()
                .map(|r| (r.line, r.condition.as_str()))
                .collect();
            let model_trace: Vec<(u32, &str)> =
                trace.iter().map(|(l, _, t)| (*l, t.word())).collect();
            assert_eq!(
                engine, model_trace,
                "topic {}: the rule trace (line, condition)\n{text}\n{json}",
                topic.topic
            );
            let has = |e: Effect, t: Truth| {
                trace
                    .iter()
                    .any(|(_, effect, truth)| *effect == e && *truth == t)
            };
            let outcome = if has(Effect::MayNotAgree, Truth::True) {
                // Forbid overrides grant.
                Outcome::Decline
            } else if has(Effect::MayNotAgree, Truth::Unknown)
                || has(Effect::Refer, Truth::Unknown)
                || has(Effect::Refer, Truth::True)
            {
                Outcome::Refer
            } else if has(Effect::MayAgree, Truth::True) {
                Outcome::Agree
            } else {
                Outcome::Refer
            };
            assert_eq!(
                topic.outcome, outcome,
                "topic {}\n{text}\n{json}",
                topic.topic
            );
            expected = expected.max(outcome);
        }
        redirect_to.sort();
        redirect_to.dedup();
        assert_eq!(
            decision.redirect_to, redirect_to,
            "redirect_to\n{text}\n{json}"
        );

        let forum_gate = match &proposal.forum {
            Some(forum) => !rep.forums.is_empty() && !rep.forums.contains(&forum.as_str()),
            None => false,
        };
        let before = rep.valid_from.is_some_and(|from| check_day < date(from));
        let after = rep.valid_until.is_some_and(|until| check_day > date(until));
        if forum_gate || before || after {
            expected = expected.max(Outcome::Refer);
        }

        for (result, (code, severity)) in decision.principles.iter().zip(&model.principles) {
            if let Some(wanted) = PRINCIPLES[*code].1 {
                assert_eq!(
                    result.result, wanted,
                    "principle `{}`: {result:?}",
                    PRINCIPLES[*code].0
                );
            }
            let effect = match (result.result, *severity) {
                (PrincipleOutcome::Upheld, _) | (PrincipleOutcome::Violated, "advisory") => {
                    Outcome::Agree
                }
                (PrincipleOutcome::Violated, "refer") | (PrincipleOutcome::Error, _) => {
                    Outcome::Refer
                }
                (PrincipleOutcome::Violated, _) => Outcome::Decline,
            };
            expected = expected.max(effect);
        }
        assert_eq!(
            decision.outcome, expected,
            "overall outcome of {}\n{text}\n{json}",
            decision.representative
        );
    }

    // Rule order does not change the decision.
    let (reversed_text, _) = model.render(true);
    let reversed = load(&reversed_text);
    let again = check_everyone(
        &reversed,
        &Ownership::from_source(&reversed_text),
        &proposal,
    );
    for (one, two) in decisions.iter().zip(&again) {
        assert_eq!(
            one.outcome, two.outcome,
            "rule order changed the outcome\n{text}\n{reversed_text}"
        );
        assert_eq!(one.redirect_to, two.redirect_to);
        let topics_one: Vec<Outcome> = one.topics.iter().map(|t| t.outcome).collect();
        let topics_two: Vec<Outcome> = two.topics.iter().map(|t| t.outcome).collect();
        assert_eq!(
            topics_one, topics_two,
            "rule order changed a topic's outcome"
        );
    }
});
