//! A condition written back in the language's own syntax (`cost <= 50000
//! and risk in ["low", "medium"]`), for the diff's data: what a tool reads
//! in the JSON, and the key by which rules that mean the same are found.

use crate::compile::{Expr, Operand, Value};

/// `expr` in the language's syntax, with parentheses only where needed.
pub fn expr_source(expr: &Expr) -> String {
    write(expr, false)
}

fn write(expr: &Expr, nested: bool) -> String {
    let text = match expr {
        Expr::Or(terms) | Expr::And(terms) => {
            let word = if matches!(expr, Expr::Or(_)) {
                " or "
            } else {
                " and "
            };
            let inner: Vec<String> = terms.iter().map(|t| write(t, true)).collect();
            let text = inner.join(word);
            return if nested { format!("({text})") } else { text };
        }
        Expr::Not(inner) => format!("not {}", write(inner, true)),
        Expr::Compare(left, op, right) => {
            format!("{} {} {}", operand(left), op.symbol(), operand(right))
        }
        Expr::In(value, list) => format!(
            "{} in [{}]",
            operand(value),
            list.iter().map(value_source).collect::<Vec<_>>().join(", ")
        ),
        Expr::Contains(container, item) => {
            format!("{} contains {}", operand(container), operand(item))
        }
        Expr::Test(value) => operand(value),
    };
    if nested && matches!(expr, Expr::Not(_)) {
        format!("({text})")
    } else {
        text
    }
}

fn operand(operand: &Operand) -> String {
    match operand {
        Operand::Field(f) => f.clone(),
        Operand::Value(v) => value_source(v),
    }
}

/// A literal in the language's syntax.
pub(crate) fn value_source(value: &Value) -> String {
    match value {
        Value::Number(n) => format!("{n}"),
        Value::String(s) => {
            let mut out = String::from("\"");
            for c in s.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
            out
        }
        Value::Date(d) => d.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(value_source)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
