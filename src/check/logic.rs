//! Three-valued evaluation of rule conditions over a proposal's fields
//! (the README's "Conditions").
//!
//! Every comparison is true, false or unknown. Missing fields, JSON `null`
//! and types that do not fit make a comparison unknown, never false, and
//! `and` / `or` / `not` follow Kleene's three-valued logic. Unknown never
//! becomes agree.

use crate::compile::{CompareOp, Expr, Operand, Value};
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::borrow::Cow;
use std::cmp::Ordering;

/// A three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Truth {
    /// Certainly true.
    True,
    /// Certainly false.
    False,
    /// Cannot be decided from what the proposal gives.
    Unknown,
}

impl Truth {
    /// Kleene conjunction: false wins, then unknown.
    pub fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
            _ => Truth::True,
        }
    }

    /// Kleene disjunction: true wins, then unknown.
    pub fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
            _ => Truth::False,
        }
    }

    fn of(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }

    /// The word used in the decision trace.
    pub fn as_str(self) -> &'static str {
        match self {
            Truth::True => "true",
            Truth::False => "false",
            Truth::Unknown => "unknown",
        }
    }
}

/// Negation: unknown stays unknown.
impl std::ops::Not for Truth {
    type Output = Truth;

    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// Why a field made a comparison unknown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// The proposal does not have the field, or has it as `null`.
    Missing(String),
    /// The proposal has it, but of a type the comparison cannot use; with
    /// what the comparison wanted, in words, when that is known.
    WrongType(String, Option<&'static str>),
}

impl Gap {
    /// The field's dotted path.
    pub fn field(&self) -> &str {
        match self {
            Gap::Missing(f) | Gap::WrongType(f, _) => f,
        }
    }
}

/// A value's kind, in words, for "give it as ...".
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Number(_) => "a number",
        Value::String(_) => "a text in quotes",
        Value::Date(_) => "a date written YYYY-MM-DD",
        Value::Bool(_) => "true or false",
        Value::List(_) => "a list",
    }
}

/// What an item looked for in `container` should be.
fn element_kind(container: &Operand) -> Option<&'static str> {
    match container {
        Operand::Value(Value::List(items)) => items.first().map(kind),
        Operand::Value(Value::String(_)) => Some("a text in quotes"),
        _ => None,
    }
}

/// What a field compared with `other` should be.
fn wanted(other: &Operand) -> Option<&'static str> {
    match other {
        Operand::Value(v) => Some(kind(v)),
        Operand::Field(_) => None,
    }
}

/// Evaluates a condition against the proposal's fields. Returns the truth
/// and, when it is unknown, the fields that made it so (in order, no
/// repeats).
pub fn evaluate(expr: &Expr, fields: &Map<String, Json>) -> (Truth, Vec<Gap>) {
    let mut gaps = Vec::new();
    let truth = eval(expr, fields, &mut gaps);
    if truth != Truth::Unknown {
        gaps.clear();
    }
    // A set, not a scan of what is kept: an `and` of thousands of missing
    // fields stays linear.
    if gaps.len() > 1 {
        let mut seen = std::collections::HashSet::new();
        gaps.retain(|g| seen.insert(g.field().to_string()));
    }
    (truth, gaps)
}

/// For a condition that is false: the parts of it that made it so, each
/// conjunct of an `and` that is false (looking inside it), or the whole
/// of any other part. Empty unless the condition is false.
pub(crate) fn failed_parts<'e>(expr: &'e Expr, fields: &Map<String, Json>) -> Vec<&'e Expr> {
    let mut parts = Vec::new();
    if eval(expr, fields, &mut Vec::new()) == Truth::False {
        failed(expr, fields, &mut parts);
    }
    parts
}

fn failed<'e>(expr: &'e Expr, fields: &Map<String, Json>, parts: &mut Vec<&'e Expr>) {
    match expr {
        Expr::And(terms) => {
            for term in terms {
                if eval(term, fields, &mut Vec::new()) == Truth::False {
                    failed(term, fields, parts);
                }
            }
        }
        // An `or` fails as a whole, and so does a `not`: name it whole.
        _ => parts.push(expr),
    }
}

fn eval(expr: &Expr, fields: &Map<String, Json>, gaps: &mut Vec<Gap>) -> Truth {
    match expr {
        Expr::Or(terms) => {
            // Collect the gaps of every unknown term: they are what would
            // decide the whole.
            let mut truth = Truth::False;
            for term in terms {
                truth = truth.or(eval(term, fields, gaps));
            }
            truth
        }
        Expr::And(terms) => {
            let mut truth = Truth::True;
            for term in terms {
                truth = truth.and(eval(term, fields, gaps));
            }
            truth
        }
        Expr::Not(inner) => !eval(inner, fields, gaps),
        Expr::Compare(left, op, right) => {
            let (l, r) = (resolve(left, fields), resolve(right, fields));
            leaf(
                compare(&l, *op, &r),
                &[(&l, left, wanted(right)), (&r, right, wanted(left))],
                gaps,
            )
        }
        Expr::In(value, list) => {
            let v = resolve(value, fields);
            let truth = match &v {
                Side::Missing | Side::Other => Truth::Unknown,
                Side::Value(x) => {
                    let mut fitted = false;
                    let mut found = false;
                    for item in list {
                        if let Some(equal) = equal(x, item) {
                            fitted = true;
                            found |= equal;
                        }
                    }
                    if found {
                        Truth::True
                    } else if fitted {
                        Truth::False
                    } else {
                        Truth::Unknown
                    }
                }
            };
            leaf(truth, &[(&v, value, list.first().map(kind))], gaps)
        }
        Expr::Contains(container, item) => {
            let (c, i) = (resolve(container, fields), resolve(item, fields));
            let truth = match (c.value(), i.value()) {
                (Some(Value::List(items)), Some(x)) => {
                    Truth::of(items.iter().any(|e| equal(e, x) == Some(true)))
                }
                (Some(Value::String(s)), Some(Value::String(x))) => {
                    Truth::of(s.contains(x.as_str()))
                }
                _ => Truth::Unknown,
            };
            leaf(
                truth,
                &[
                    (&c, container, Some("a list or a text")),
                    (&i, item, element_kind(container)),
                ],
                gaps,
            )
        }
        Expr::Test(operand) => {
            let v = resolve(operand, fields);
            let truth = match v.value() {
                Some(Value::Bool(b)) => Truth::of(*b),
                _ => Truth::Unknown,
            };
            leaf(truth, &[(&v, operand, Some("true or false"))], gaps)
        }
    }
}

/// Records, for an unknown comparison, which of its fields caused it.
type LeafSide<'a> = (&'a Side<'a>, &'a Operand, Option<&'static str>);

fn leaf(truth: Truth, sides: &[LeafSide<'_>], gaps: &mut Vec<Gap>) -> Truth {
    if truth == Truth::Unknown {
        // A missing field is the whole cause: the other side, given well,
        // is not at fault (`d contains n` with no `d` names `d` only).
        let any_missing = sides.iter().any(|(side, operand, _)| {
            matches!(operand, Operand::Field(_)) && matches!(side, Side::Missing)
        });
        for (side, operand, wanted) in sides {
            if let Operand::Field(name) = operand {
                match side {
                    Side::Missing => gaps.push(Gap::Missing(name.clone())),
                    Side::Other | Side::Value(_) if !any_missing => {
                        gaps.push(Gap::WrongType(name.clone(), *wanted))
                    }
                    Side::Other | Side::Value(_) => {}
                }
            }
        }
    }
    truth
}

/// One side of a comparison once read from the proposal.
#[derive(Debug, Clone, PartialEq)]
enum Side<'a> {
    /// Not in the proposal, or `null`.
    Missing,
    /// Present, but an object: comparable with nothing.
    Other,
    /// A comparable value: the rule's own, borrowed, or read from the
    /// proposal.
    Value(Cow<'a, Value>),
}

impl Side<'_> {
    fn value(&self) -> Option<&Value> {
        match self {
            Side::Value(value) => Some(value),
            Side::Missing | Side::Other => None,
        }
    }
}

fn resolve<'a>(operand: &'a Operand, fields: &Map<String, Json>) -> Side<'a> {
    match operand {
        Operand::Value(v) => Side::Value(Cow::Borrowed(v)),
        Operand::Field(path) => match field(fields, path) {
            None | Some(Json::Null) => Side::Missing,
            Some(Json::Object(_)) => Side::Other,
            Some(json) => from_json(json).map_or(Side::Other, |v| Side::Value(Cow::Owned(v))),
        },
    }
}

/// The proposal's value at a dotted field path (`budget.recurrent`), if
/// every step of the path is there.
pub(crate) fn field<'a>(fields: &'a Map<String, Json>, path: &str) -> Option<&'a Json> {
    if !path.as_bytes().contains(&b'.') {
        return fields.get(path);
    }
    let mut segments = path.split('.');
    let mut current = fields.get(segments.next()?)?;
    for segment in segments {
        current = current.as_object()?.get(segment)?;
    }
    Some(current)
}

/// A proposal's JSON value as a condition value; `None` for `null` and
/// objects, which compare with nothing (inside a list they are skipped:
/// no element of theirs can equal a value).
fn from_json(json: &Json) -> Option<Value> {
    Some(match json {
        Json::Null | Json::Object(_) => return None,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.as_f64()?),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::List(items.iter().filter_map(from_json).collect()),
    })
}

/// Equality with the README's typing: `Some(bool)` when the types fit,
/// `None` when they do not. A date compares with a string that is exactly
/// a `YYYY-MM-DD` calendar date.
fn equal(a: &Value, b: &Value) -> Option<bool> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => Some(x == y),
        (Value::String(x), Value::String(y)) => Some(x == y),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        (Value::Date(x), Value::Date(y)) => Some(x == y),
        (Value::Date(x), Value::String(s)) | (Value::String(s), Value::Date(x)) => {
            crate::proposal::parse_iso_date(s).map(|d| d == *x)
        }
        _ => None,
    }
}

fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::String(s)) => crate::proposal::parse_iso_date(s).map(|d| x.cmp(&d)),
        (Value::String(s), Value::Date(y)) => crate::proposal::parse_iso_date(s).map(|d| d.cmp(y)),
        _ => None,
    }
}

fn compare(left: &Side, op: CompareOp, right: &Side) -> Truth {
    let (Side::Value(l), Side::Value(r)) = (left, right) else {
        return Truth::Unknown;
    };
    let answer = match op {
        CompareOp::Eq => equal(l, r),
        CompareOp::Ne => equal(l, r).map(|e| !e),
        CompareOp::Lt => order(l, r).map(|o| o == Ordering::Less),
        CompareOp::Le => order(l, r).map(|o| o != Ordering::Greater),
        CompareOp::Gt => order(l, r).map(|o| o == Ordering::Greater),
        CompareOp::Ge => order(l, r).map(|o| o != Ordering::Less),
    };
    answer.map_or(Truth::Unknown, Truth::of)
}

#[cfg(test)]
mod tests {
    use super::Truth::{False as F, True as T, Unknown as U};

    #[test]
    fn kleene_truth_tables() {
        let all = [T, F, U];
        let and = [[T, F, U], [F, F, F], [U, F, U]];
        let or = [[T, T, T], [T, F, U], [T, U, U]];
        for (i, a) in all.iter().enumerate() {
            for (j, b) in all.iter().enumerate() {
                assert_eq!(a.and(*b), and[i][j], "{a:?} and {b:?}");
                assert_eq!(a.or(*b), or[i][j], "{a:?} or {b:?}");
            }
        }
        assert_eq!(!T, F);
        assert_eq!(!F, T);
        assert_eq!(!U, U);
    }
}
