//! the README's "How a check decides", transcribed as plainly as possible.
//!
//! The model reads the rule file's syntax tree (`mandate::syntax`) and the
//! proposal's JSON object, and answers with the parts of a decision that
//! it and the decision trace define: the outcome, `redirect_to`,
//! each topic's outcome with its rule trace or its owners, the gates, the
//! principles as the file declares them, the priorities and the date used.
//! It has no index and no shortcuts: every topic looks at every
//! organisation and every rule. Its three-valued logic, topic matching,
//! field lookup, date parsing and gates are its own; the only things taken
//! from the library are the parser (for the tree) and the principles'
//! verdicts (Rhai is not modelled).
//!
//! Where the README leaves a choice open, the model says which reading it
//! takes, next to the code that takes it.

use chrono::NaiveDate;
use mandate::syntax::ast::{
    CompareOp, Condition, ConditionKind, Declaration, Effect, Literal, LiteralValue, MandateFile,
    Operand, RepresentativeStmt, Severity,
};
use serde_json::{json, Map, Value as Json};
use std::cmp::Ordering;

// ------------------------------------------------------------------ logic

/// A three-valued truth (the README's "Conditions").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tv {
    /// True.
    T,
    /// False.
    F,
    /// Unknown.
    U,
}

impl Tv {
    fn of(b: bool) -> Tv {
        if b {
            Tv::T
        } else {
            Tv::F
        }
    }

    /// `unknown and false` is false; otherwise unknown wins over true.
    fn and(self, other: Tv) -> Tv {
        if self == Tv::F || other == Tv::F {
            Tv::F
        } else if self == Tv::U || other == Tv::U {
            Tv::U
        } else {
            Tv::T
        }
    }

    /// `unknown or true` is true; otherwise unknown wins over false.
    fn or(self, other: Tv) -> Tv {
        if self == Tv::T || other == Tv::T {
            Tv::T
        } else if self == Tv::U || other == Tv::U {
            Tv::U
        } else {
            Tv::F
        }
    }

    /// `not unknown` is unknown.
    fn not(self) -> Tv {
        match self {
            Tv::T => Tv::F,
            Tv::F => Tv::T,
            Tv::U => Tv::U,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Tv::T => "true",
            Tv::F => "false",
            Tv::U => "unknown",
        }
    }
}

// ------------------------------------------------------------------ topics

/// "A topic pattern matches that topic and every topic below it ... The
/// pattern `*` matches every topic."
pub fn pattern_covers(pattern: &str, topic: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let pattern: Vec<&str> = pattern.split('.').collect();
    let topic: Vec<&str> = topic.split('.').collect();
    topic.len() >= pattern.len() && pattern.iter().zip(&topic).all(|(p, t)| p == t)
}

// ------------------------------------------------------------------ values

/// "A date literal compares with a proposal string that is exactly
/// `YYYY-MM-DD` and a real calendar date."
pub fn iso_date(text: &str) -> Option<NaiveDate> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() != 10 || chars[4] != '-' || chars[7] != '-' {
        return None;
    }
    let digits = |from: usize, to: usize| -> Option<u32> {
        let mut n = 0u32;
        for c in &chars[from..to] {
            n = n * 10 + c.to_digit(10).filter(|_| c.is_ascii_digit())?;
        }
        Some(n)
    };
    let year = i32::try_from(digits(0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5, 7)?, digits(8, 10)?)
}

/// A value a condition can look at.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Num(f64),
    Str(String),
    Date(NaiveDate),
    Bool(bool),
    List(Vec<Val>),
    /// A JSON object, or `null` inside a list: present, comparable with
    /// nothing.
    Other,
}

fn from_json(json: &Json) -> Val {
    match json {
        Json::Bool(b) => Val::Bool(*b),
        Json::Number(n) => n.as_f64().map_or(Val::Other, Val::Num),
        Json::String(s) => Val::Str(s.clone()),
        Json::Array(items) => Val::List(items.iter().map(from_json).collect()),
        Json::Null | Json::Object(_) => Val::Other,
    }
}

fn from_literal(literal: &Literal) -> Val {
    match &literal.value {
        // From the text as written, so `50_000` is read by the model too.
        LiteralValue::Number { text, .. } => text
            .replace('_', "")
            .parse::<f64>()
            .map_or(Val::Other, Val::Num),
        LiteralValue::String(s) => Val::Str(s.clone()),
        LiteralValue::Date(d) => iso_date(&d.text).map_or(Val::Other, Val::Date),
        LiteralValue::Bool(b) => Val::Bool(*b),
        LiteralValue::List(items) => Val::List(items.iter().map(from_literal).collect()),
    }
}

/// The proposal's value at a dotted path; `None` when the proposal does not
/// have it or has it as `null` ("a field the proposal does not have, or has
/// as JSON `null`").
fn lookup(fields: &Map<String, Json>, path: &[String]) -> Option<Val> {
    let (first, rest) = path.split_first()?;
    let mut at = fields.get(first)?;
    for segment in rest {
        at = match at {
            Json::Object(map) => map.get(segment)?,
            _ => return None,
        };
    }
    if at.is_null() {
        None
    } else {
        Some(from_json(at))
    }
}

/// `==` with the README's typing: `None` when the pair is not one that compares
/// ("number with number, string with string, boolean with boolean, date
/// with date"; a date with a string that is a real `YYYY-MM-DD` date).
fn same(a: &Val, b: &Val) -> Option<bool> {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => Some(x == y),
        (Val::Str(x), Val::Str(y)) => Some(x == y),
        (Val::Bool(x), Val::Bool(y)) => Some(x == y),
        (Val::Date(x), Val::Date(y)) => Some(x == y),
        (Val::Date(x), Val::Str(s)) | (Val::Str(s), Val::Date(x)) => iso_date(s).map(|d| d == *x),
        _ => None,
    }
}

/// `< <= > >=` "compare numbers with numbers and dates with dates".
fn order(a: &Val, b: &Val) -> Option<Ordering> {
    match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.partial_cmp(y),
        (Val::Date(x), Val::Date(y)) => Some(x.cmp(y)),
        (Val::Date(x), Val::Str(s)) => iso_date(s).map(|d| x.cmp(&d)),
        (Val::Str(s), Val::Date(y)) => iso_date(s).map(|d| d.cmp(y)),
        _ => None,
    }
}

// ------------------------------------------------------------------ conditions

/// Which fields `unknown_fields` names, where the README leaves room. It
/// "names what the proposal lacked or gave with the wrong type", and a
/// reason "for an unknown, says which field would decide it".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Name only fields that could still change the answer: those of
    /// unknown comparisons reached from the top through unknown parts only
    /// (`(a > 1 or true) and b > 1` names `b`). Otherwise every unknown
    /// comparison inside an unknown `when` names its fields (`a` and `b`).
    pub deciding_only: bool,
}

impl Reading {
    /// The model's reading of the README.
    pub const README: Reading = Reading {
        deciding_only: false,
    };
}

/// One evaluated condition node: its truth and, for an unknown comparison,
/// the fields to name.
struct Node {
    truth: Tv,
    fields: Vec<String>,
    children: Vec<Node>,
}

fn operand_value(operand: &Operand, fields: &Map<String, Json>) -> Option<Val> {
    match operand {
        Operand::Field(path) => lookup(fields, &path.segments),
        Operand::Literal(literal) => Some(from_literal(literal)),
    }
}

/// The fields of an unknown comparison that the proposal "lacked or gave
/// with the wrong type": the missing ones when any is missing (a present
/// field beside a missing one was not given wrongly), else every field in
/// it (none of them fitted).
fn leaf_fields(operands: &[&Operand], fields: &Map<String, Json>) -> Vec<String> {
    let named: Vec<(String, bool)> = operands
        .iter()
        .filter_map(|o| match o {
            Operand::Field(path) => Some((
                path.segments.join("."),
                lookup(fields, &path.segments).is_none(),
            )),
            Operand::Literal(_) => None,
        })
        .collect();
    let any_missing = named.iter().any(|(_, missing)| *missing);
    named
        .into_iter()
        .filter(|(_, missing)| *missing || !any_missing)
        .map(|(name, _)| name)
        .collect()
}

fn leaf(truth: Tv, operands: &[&Operand], fields: &Map<String, Json>) -> Node {
    Node {
        truth,
        fields: if truth == Tv::U {
            leaf_fields(operands, fields)
        } else {
            Vec::new()
        },
        children: Vec::new(),
    }
}

fn evaluate(condition: &Condition, fields: &Map<String, Json>) -> Node {
    match &condition.kind {
        ConditionKind::Or(terms) => {
            let children: Vec<Node> = terms.iter().map(|t| evaluate(t, fields)).collect();
            let truth = children.iter().fold(Tv::F, |acc, c| acc.or(c.truth));
            Node {
                truth,
                fields: Vec::new(),
                children,
            }
        }
        ConditionKind::And(terms) => {
            let children: Vec<Node> = terms.iter().map(|t| evaluate(t, fields)).collect();
            let truth = children.iter().fold(Tv::T, |acc, c| acc.and(c.truth));
            Node {
                truth,
                fields: Vec::new(),
                children,
            }
        }
        ConditionKind::Not(inner) => {
            let child = evaluate(inner, fields);
            Node {
                truth: child.truth.not(),
                fields: Vec::new(),
                children: vec![child],
            }
        }
        ConditionKind::Parenthesised(inner) => evaluate(inner, fields),
        ConditionKind::Compare { left, op, right } => {
            let truth = match (operand_value(left, fields), operand_value(right, fields)) {
                (Some(l), Some(r)) => {
                    let answer = match op {
                        CompareOp::Eq => same(&l, &r),
                        CompareOp::Ne => same(&l, &r).map(|e| !e),
                        CompareOp::Lt => order(&l, &r).map(|o| o == Ordering::Less),
                        CompareOp::Le => order(&l, &r).map(|o| o != Ordering::Greater),
                        CompareOp::Gt => order(&l, &r).map(|o| o == Ordering::Greater),
                        CompareOp::Ge => order(&l, &r).map(|o| o != Ordering::Less),
                    };
                    answer.map_or(Tv::U, Tv::of)
                }
                _ => Tv::U,
            };
            leaf(truth, &[left, right], fields)
        }
        ConditionKind::In { value, list } => {
            // "true when x equals an element (same type and value), false
            // when it equals none; unknown when x is missing or of a type no
            // element has."
            let items = match from_literal(list) {
                Val::List(items) => items,
                one => vec![one],
            };
            let truth = match operand_value(value, fields) {
                None => Tv::U,
                Some(x) => {
                    let answers: Vec<Option<bool>> = items.iter().map(|i| same(&x, i)).collect();
                    if answers.contains(&Some(true)) {
                        Tv::T
                    } else if answers.contains(&Some(false)) {
                        Tv::F
                    } else {
                        Tv::U
                    }
                }
            };
            leaf(truth, &[value], fields)
        }
        ConditionKind::Contains { container, item } => {
            // "if L is a list, true when some element has v's type and
            // value, else false; if L and v are strings, substring; anything
            // else is unknown." A missing `v` is unknown like any missing
            // field, and so is an object `v`: a JSON object is no value of
            // the language, so it fits no comparison ("values of types that
            // do not fit"). A list `v` is one of the language's types: a
            // list `L` gives false for it, as no element equals a list
            // (`==` does not compare lists).
            let truth = match (
                operand_value(container, fields),
                operand_value(item, fields),
            ) {
                (_, Some(Val::Other)) => Tv::U,
                (Some(Val::List(elements)), Some(v)) => {
                    Tv::of(elements.iter().any(|e| same(e, &v) == Some(true)))
                }
                (Some(Val::Str(l)), Some(Val::Str(v))) => Tv::of(l.contains(v.as_str())),
                _ => Tv::U,
            };
            leaf(truth, &[container, item], fields)
        }
        ConditionKind::Test(operand) => {
            let truth = match operand_value(operand, fields) {
                Some(Val::Bool(b)) => Tv::of(b),
                _ => Tv::U,
            };
            leaf(truth, &[operand], fields)
        }
    }
}

fn collect(node: &Node, reading: Reading, out: &mut Vec<String>) {
    if reading.deciding_only && node.truth != Tv::U {
        return;
    }
    out.extend(node.fields.iter().cloned());
    for child in &node.children {
        collect(child, reading, out);
    }
}

// ------------------------------------------------------------------ decision

/// Severity order: `agree` < `refer` < `redirect` < `decline`.
fn rank(outcome: &str) -> u8 {
    match outcome {
        "agree" => 0,
        "refer" => 1,
        "redirect" => 2,
        _ => 3,
    }
}

fn most_severe(a: &'static str, b: &'static str) -> &'static str {
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

fn effect_word(effect: Effect) -> &'static str {
    match effect {
        Effect::MayAgree => "may_agree",
        Effect::Refer => "refer",
        Effect::MayNotAgree => "may_not_agree",
    }
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Blocking => "blocking",
        Severity::Refer => "refer",
        Severity::Advisory => "advisory",
    }
}

/// A principle's result as the library reported it (`upheld`, `violated`
/// or `error`), in the file's order of principles.
pub type Verdicts<'a> = &'a [String];

/// What the model decides for representative `rep` and the proposal whose
/// JSON object is `fields`, on `check_day`, given the principles' results.
/// `None` when the file has no such representative.
pub fn decide(
    file: &MandateFile,
    fields: &Map<String, Json>,
    rep: &str,
    check_day: NaiveDate,
    verdicts: Verdicts<'_>,
    reading: Reading,
) -> Option<Json> {
    let representative = file.declarations.iter().find_map(|d| match d {
        Declaration::Representative(r) if r.id.name == rep => Some(r),
        _ => None,
    })?;

    // The proposal's own parts (section 3): topics (repeats removed),
    // forum, meeting date.
    let mut topics: Vec<String> = Vec::new();
    if let Some(Json::Array(items)) = fields.get("topics") {
        for item in items {
            if let Json::String(t) = item {
                if !topics.contains(t) {
                    topics.push(t.clone());
                }
            }
        }
    }
    let forum = match fields.get("forum") {
        Some(Json::String(f)) => Some(f.clone()),
        _ => None,
    };
    let date = match fields.get("date") {
        Some(Json::String(d)) => iso_date(d),
        _ => None,
    }
    .unwrap_or(check_day);

    let mut outcome = "agree";
    let mut redirect_to: Vec<String> = Vec::new();
    let mut topic_entries = Vec::new();

    for topic in &topics {
        // 1. Redirect: every organisation owning a pattern that matches.
        let mut owners: Vec<(String, u32)> = Vec::new();
        for declaration in &file.declarations {
            if let Declaration::Organisation(org) = declaration {
                if let Some(pattern) = org
                    .owned_patterns()
                    .find(|p| pattern_covers(p.pattern.as_str(), topic))
                {
                    owners.push((org.id.name.clone(), pattern.span.line));
                }
            }
        }
        if !owners.is_empty() {
            owners.sort();
            for (id, _) in &owners {
                if !redirect_to.contains(id) {
                    redirect_to.push(id.clone());
                }
            }
            outcome = most_severe(outcome, "redirect");
            topic_entries.push(json!({
                "topic": topic,
                "outcome": "redirect",
                "owners": owners.iter().map(|(id, line)| json!({ "id": id, "line": line })).collect::<Vec<_>>(),
            }));
            continue;
        }

        // 2. Rules: every rule whose patterns match and whose `except`
        // patterns do not, in file order.
        let mut trace = Vec::new();
        let mut seen: Vec<(Effect, Tv)> = Vec::new();
        for stmt in &representative.statements {
            let RepresentativeStmt::Rule(rule) = stmt else {
                continue;
            };
            let matches = rule
                .topics
                .iter()
                .any(|p| pattern_covers(p.pattern.as_str(), topic));
            let excepted = rule
                .except
                .iter()
                .any(|p| pattern_covers(p.pattern.as_str(), topic));
            if !matches || excepted {
                continue;
            }
            // `at "F"` is the condition `forum == "F"`, unknown when the
            // proposal has no forum; a rule with neither part is true.
            let at = match (&rule.forum, &forum) {
                (None, _) => Tv::T,
                (Some(wanted), Some(given)) => Tv::of(wanted.value == *given),
                (Some(_), None) => Tv::U,
            };
            let when = rule.condition.as_ref().map(|c| evaluate(c, fields));
            let truth = at.and(when.as_ref().map_or(Tv::T, |n| n.truth));
            let mut unknown_fields: Vec<String> = Vec::new();
            if truth == Tv::U {
                if at == Tv::U {
                    unknown_fields.push("forum".into());
                }
                if let Some(node) = &when {
                    if node.truth == Tv::U {
                        let mut named = Vec::new();
                        collect(node, reading, &mut named);
                        for name in named {
                            if !unknown_fields.contains(&name) {
                                unknown_fields.push(name);
                            }
                        }
                    }
                }
            }
            seen.push((rule.effect, truth));
            trace.push(json!({
                "effect": effect_word(rule.effect),
                "line": rule.span.line,
                "condition": truth.word(),
                "unknown_fields": unknown_fields,
            }));
        }
        let any = |effect: Effect, truth: Tv| seen.contains(&(effect, truth));
        let topic_outcome = if any(Effect::MayNotAgree, Tv::T) {
            "decline"
        } else if any(Effect::MayNotAgree, Tv::U)
            || any(Effect::Refer, Tv::U)
            || any(Effect::Refer, Tv::T)
        {
            "refer"
        } else if any(Effect::MayAgree, Tv::T) {
            "agree"
        } else {
            "refer"
        };
        outcome = most_severe(outcome, topic_outcome);
        topic_entries.push(json!({ "topic": topic, "outcome": topic_outcome, "rules": trace }));
    }

    // 3. Gates, in file order.
    let mut gates = Vec::new();
    for stmt in &representative.statements {
        match stmt {
            RepresentativeStmt::Forums { forums, span } => {
                let passed = match &forum {
                    None => true,
                    Some(f) => forums.iter().any(|listed| listed.value == *f),
                };
                gates.push(json!({ "gate": "forum", "line": span.line, "passed": passed }));
            }
            RepresentativeStmt::Valid { from, until, span } => {
                let from = from.as_ref().and_then(|d| iso_date(&d.text));
                let until = until.as_ref().and_then(|d| iso_date(&d.text));
                let passed = from.is_none_or(|f| f <= date) && until.is_none_or(|u| date <= u);
                gates.push(json!({ "gate": "dates", "line": span.line, "passed": passed }));
            }
            _ => {}
        }
    }
    if gates.iter().any(|g| g["passed"] == json!(false)) {
        outcome = most_severe(outcome, "refer");
    }

    // 4. Principles, with the library's verdicts.
    let mut principles = Vec::new();
    let mut declared = file.declarations.iter().filter_map(|d| match d {
        Declaration::Principle(p) => Some(p),
        _ => None,
    });
    for (i, p) in declared.by_ref().enumerate() {
        let severity = p.severity.unwrap_or(Severity::Blocking);
        let result = verdicts.get(i).map_or("missing", String::as_str);
        let effect = match (result, severity) {
            ("violated", Severity::Blocking) => "decline",
            ("violated", Severity::Refer) | ("error", _) => "refer",
            _ => "agree",
        };
        outcome = most_severe(outcome, effect);
        principles.push(json!({
            "id": p.id.name,
            "severity": severity_word(severity),
            "result": result,
        }));
    }

    // 5. `redirect_to`, sorted ids.
    redirect_to.sort();

    // 6. Priorities touching any topic, in file order.
    let priorities: Vec<String> = file
        .declarations
        .iter()
        .filter_map(|d| match d {
            Declaration::Priority(p)
                if p.patterns().any(|pattern| {
                    topics
                        .iter()
                        .any(|t| pattern_covers(pattern.pattern.as_str(), t))
                }) =>
            {
                Some(p.id.name.clone())
            }
            _ => None,
        })
        .collect();

    Some(json!({
        "outcome": outcome,
        "redirect_to": redirect_to,
        "topics": topic_entries,
        "gates": gates,
        "principles": principles,
        "priorities": priorities,
        "date": date.to_string(),
    }))
}

/// The parts of the library's decision JSON that the model decides, in the
/// model's shape: principles keep `id`, `severity` and `result`, gates keep
/// `gate`, `line` and `passed` (and are absent while the library has none).
pub fn project(decision: &Json) -> Json {
    let mut out = Map::new();
    for key in ["outcome", "redirect_to", "topics", "priorities", "date"] {
        out.insert(key.into(), decision.get(key).cloned().unwrap_or(Json::Null));
    }
    let keep = |value: Option<&Json>, keys: &[&str]| -> Json {
        let items = value.and_then(Json::as_array).cloned().unwrap_or_default();
        Json::Array(
            items
                .iter()
                .map(|item| {
                    let mut kept = Map::new();
                    for key in keys {
                        kept.insert((*key).into(), item.get(*key).cloned().unwrap_or(Json::Null));
                    }
                    Json::Object(kept)
                })
                .collect(),
        )
    };
    out.insert(
        "principles".into(),
        keep(decision.get("principles"), &["id", "severity", "result"]),
    );
    if decision.get("gates").is_some() {
        out.insert(
            "gates".into(),
            keep(decision.get("gates"), &["gate", "line", "passed"]),
        );
    }
    Json::Object(out)
}

/// The model's answer with what the library cannot yet be compared on
/// removed (the `gates` array, while the library's decision has none).
pub fn comparable(model: &Json, library: &Json) -> Json {
    let mut model = model.clone();
    if library.get("gates").is_none() {
        if let Some(map) = model.as_object_mut() {
            map.remove("gates");
        }
    }
    model
}
