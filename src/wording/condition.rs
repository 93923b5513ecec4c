//! Conditions and values in words: "`cost` is at most 50,000 and `risk`
//! is \"low\"", numbers with thousands separators, proposal values quoted
//! at a bounded length. Needs no proposal: a rule's condition reads the
//! same in a decision, a brief or a diff.

use crate::check::MAX_VALUE_CHARS;
use crate::compile::{CompareOp, Expr, Operand, Value};
use crate::english::join;
use std::collections::HashSet;

/// A condition in words: "`cost` is at most 50,000 and `risk` is \"low\"".
pub(crate) fn describe(expr: &Expr, nested: bool) -> String {
    match expr {
        Expr::Or(terms) | Expr::And(terms) => {
            let word = if matches!(expr, Expr::Or(_)) {
                " or "
            } else {
                " and "
            };
            let inner: Vec<String> = terms.iter().map(|t| describe(t, true)).collect();
            let text = inner.join(word);
            if nested {
                format!("({text})")
            } else {
                text
            }
        }
        Expr::Not(inner) => negated(inner),
        Expr::Compare(left, op, right) => {
            let (left, op, right) = match (left, right) {
                (Operand::Value(_), Operand::Field(_)) => (right, flip(*op), left),
                _ => (left, *op, right),
            };
            let words = match op {
                CompareOp::Eq => "is",
                CompareOp::Ne => "is not",
                CompareOp::Lt => "is less than",
                CompareOp::Le => "is at most",
                CompareOp::Gt => "is more than",
                CompareOp::Ge => "is at least",
            };
            format!("{} {words} {}", operand(left), operand(right))
        }
        Expr::In(value, list) => format!(
            "{} is one of {}",
            operand(value),
            join(&list.iter().map(show_value).collect::<Vec<_>>(), "or")
        ),
        Expr::Contains(container, item) => {
            format!("{} includes {}", operand(container), operand(item))
        }
        Expr::Test(value) => format!("{} is true", operand(value)),
    }
}

/// At most how many bytes [`describe`] writes for `expr`, and how many
/// field names it reads (repeats counted): bounds worked out without
/// writing anything (see [`super::decision::Words::bound`]).
pub(crate) fn describe_bound(expr: &Expr) -> (usize, usize) {
    let both = |a: &Operand, b: &Operand| {
        let (a, b) = (operand_bound(a), operand_bound(b));
        (a.0 + b.0, a.1 + b.1)
    };
    match expr {
        Expr::Or(terms) | Expr::And(terms) => terms.iter().fold((4, 0), |(w, f), t| {
            let (tw, tf) = describe_bound(t);
            (w + tw + 8, f + tf)
        }),
        Expr::Not(inner) => {
            let (w, f) = describe_bound(inner);
            (w + 32, f)
        }
        Expr::Compare(left, _, right) | Expr::Contains(left, right) => {
            let (w, f) = both(left, right);
            (w + 32, f)
        }
        Expr::In(value, list) => {
            let (w, f) = operand_bound(value);
            let listed: usize = list.iter().map(|v| value_bound(v) + 4).sum();
            (w + listed + 32, f)
        }
        Expr::Test(value) => {
            let (w, f) = operand_bound(value);
            (w + 24, f)
        }
    }
}

/// An operand's bound in words (a field's name counted twice: named, and
/// beside its value), and whether it is a field (0 or 1).
fn operand_bound(operand: &Operand) -> (usize, usize) {
    match operand {
        Operand::Field(f) => (2 * f.len() + 2, 1),
        Operand::Value(v) => (value_bound(v), 0),
    }
}

/// [`show_value`] at most: a number in full is up to 309 digits and their
/// commas.
fn value_bound(value: &Value) -> usize {
    match value {
        Value::Number(_) => 512,
        Value::String(s) => s.len() + 2,
        Value::Date(_) => 16,
        Value::Bool(_) => 5,
        Value::List(items) => 2 + items.iter().map(|v| value_bound(v) + 2).sum::<usize>(),
    }
}

/// `not X` in words: "`risk` is not \"high\"" rather than "not `risk` is".
fn negated(inner: &Expr) -> String {
    match inner {
        Expr::Compare(left, op, right) => {
            let opposite = match op {
                CompareOp::Eq => CompareOp::Ne,
                CompareOp::Ne => CompareOp::Eq,
                // `not a < b` is not `a >= b` when unknown; say it plainly.
                _ => return format!("it is not so that {}", describe(inner, false)),
            };
            describe(&Expr::Compare(left.clone(), opposite, right.clone()), false)
        }
        Expr::In(value, list) => format!(
            "{} is not one of {}",
            operand(value),
            join(&list.iter().map(show_value).collect::<Vec<_>>(), "or")
        ),
        Expr::Contains(container, item) => {
            format!("{} does not include {}", operand(container), operand(item))
        }
        Expr::Test(value) => format!("{} is not true", operand(value)),
        Expr::Not(twice) => describe(twice, true),
        Expr::Or(_) | Expr::And(_) => format!("not {}", describe(inner, true)),
    }
}

fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

pub(crate) fn operand(operand: &Operand) -> String {
    match operand {
        Operand::Field(f) => format!("`{f}`"),
        Operand::Value(v) => show_value(v),
    }
}

pub(crate) fn show_value(value: &Value) -> String {
    match value {
        Value::Number(n) => show_number(*n),
        Value::String(s) => format!("\"{s}\""),
        Value::Date(d) => d.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::List(items) => format!(
            "[{}]",
            items.iter().map(show_value).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// 50000 -> "50,000"; 12.5 -> "12.5".
pub(crate) fn show_number(n: f64) -> String {
    let text = if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    };
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match rest.find('.') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}{fraction}")
}

pub(crate) fn show_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), show_number),
        serde_json::Value::String(s) => format!("\"{}\"", shorten(s)),
        other => shorten(&other.to_string()),
    }
}

/// A proposal's value as quoted in a sentence: at most [`MAX_VALUE_CHARS`]
/// characters, then "…" (one field must not make every sentence long).
fn shorten(text: &str) -> String {
    match text.char_indices().nth(MAX_VALUE_CHARS) {
        Some((end, _)) => format!("{}…", text.get(..end).unwrap_or(text)),
        None => text.to_string(),
    }
}

/// The fields a condition reads, in order, each once.
pub(crate) fn fields_of<'e>(expr: &'e Expr, out: &mut Vec<&'e str>, seen: &mut HashSet<&'e str>) {
    let mut add = |o: &'e Operand| {
        if let Operand::Field(f) = o {
            if seen.insert(f.as_str()) {
                out.push(f.as_str());
            }
        }
    };
    match expr {
        Expr::Or(terms) | Expr::And(terms) => {
            for t in terms {
                fields_of(t, out, seen);
            }
        }
        Expr::Not(inner) => fields_of(inner, out, seen),
        Expr::Compare(l, _, r) | Expr::Contains(l, r) => {
            add(l);
            add(r);
        }
        Expr::In(v, _) | Expr::Test(v) => add(v),
    }
}

/// The proposal's value at a dotted field path, unless missing or `null`.
pub(crate) fn lookup<'a>(
    fields: &'a serde_json::Map<String, serde_json::Value>,
    path: &str,
) -> Option<&'a serde_json::Value> {
    crate::check::logic::field(fields, path).filter(|v| !v.is_null())
}
