//! Why a principle could not be evaluated, as facts: which side is at
//! fault (a proposal field of a kind the principle cannot use, the
//! principle itself, or a limit), never as sentences.
//!
//! Owns classifying a Rhai error. A field is blamed only when exactly one
//! field the principle reads explains the failure (by where the error is
//! and by the kind of its value); otherwise the fault is [`Fault::Unclear`]
//! and neither side is blamed. What an operation accepts is asked of the
//! engine itself, by trying it on small values of each kind, so built-in
//! operators and registered functions are answered alike. The words for
//! a fault live in `crate::wording::fault`.

use super::reads::{FieldRead, FieldReads, Place};
use rhai::{Dynamic, EvalAltResult, Map, Scope, AST};
use serde::{Deserialize, Serialize};

/// The kind of a value, in the terms a proposal's author knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The proposal does not give the field.
    Missing,
    /// The proposal gives the field as `null`.
    Null,
    /// A number, whole or decimal.
    Number,
    /// A text.
    Text,
    /// A text written as a date (`"2026-12-01"`).
    DateText,
    /// A list.
    List,
    /// A set of named values (a JSON object, a Rhai map).
    Map,
    /// `true` or `false`.
    Bool,
    /// A single character (only the principle's own values are these).
    Char,
    /// Anything else (a function, a range, ...).
    Other,
}

/// What a principle did with the value that did not fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "name")]
pub enum Operation {
    /// Called a function or method (`contains`, `len`).
    Function(String),
    /// Applied an operator (`>`, `+`, `!`).
    Operator(String),
    /// Read a named value from it (`.total`).
    Property(String),
    /// Went through it with `for`.
    ForLoop,
    /// Used it where Rhai wanted another kind (an `if` test, an index).
    Other,
}

/// A proposal field of a kind the principle cannot use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldFault {
    /// The field, as a dotted path (`budget.total`).
    pub field: String,
    /// What the proposal gives there.
    pub given: Kind,
    /// What the failing operation accepts there, most likely first.
    pub expected: Vec<Kind>,
    /// The operation that failed.
    pub operation: Operation,
}

/// A mistake in the principle's code itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipleFault {
    /// It calls a function that does not exist (a typo, or one the sandbox
    /// leaves out).
    UnknownFunction {
        /// The name it calls.
        name: String,
    },
    /// It calls a function with a number of values it does not take.
    WrongArgumentCount {
        /// The function.
        name: String,
        /// How many values it gave.
        given: usize,
        /// How many the function takes (each way of calling it).
        accepted: Vec<usize>,
    },
    /// It raised an error of its own (`throw`).
    Threw,
    /// It returned something that is not a verdict.
    WrongResult,
}

/// A limit that stopped the principle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LimitFault {
    /// Its own budget of steps ran out.
    Steps,
    /// The check's shared budget ran out while it ran.
    CheckSteps,
    /// The check's shared budget had run out before it: it was not run.
    NotRun,
    /// The wall-clock backstop.
    Time,
    /// Functions called too deep.
    CallDepth,
    /// A value it built grew too large.
    Size,
    /// Too many variables.
    Variables,
}

/// Why a principle could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    /// A proposal field the principle reads is of a kind it cannot use.
    Proposal(FieldFault),
    /// The principle's code is at fault.
    Principle(PrincipleFault),
    /// A limit stopped it.
    Limit(LimitFault),
    /// It could not be run on this proposal, and no one field or mistake
    /// in the code explains why (several fields could, or none).
    Unclear {
        /// The operation that failed, when known.
        operation: Option<Operation>,
    },
}

/// The kinds an operation is tried with, most likely first: the order
/// `expected` lists them in.
const TRIED: [Kind; 6] = [
    Kind::List,
    Kind::Number,
    Kind::Bool,
    Kind::Text,
    Kind::Map,
    Kind::Char,
];

/// Operators Rhai reports under their symbol.
const OPERATORS: [&str; 20] = [
    "+", "-", "*", "/", "%", "**", "<<", ">>", "&", "|", "^", "==", "!=", ">", ">=", "<", "<=",
    "!", "..", "..=",
];

/// The kind of a value in a proposal.
pub(crate) fn kind_of(value: &Dynamic) -> Kind {
    if value.is_unit() {
        return Kind::Null;
    }
    if value.is_int() || value.is_float() {
        return Kind::Number;
    }
    if value.is_bool() {
        return Kind::Bool;
    }
    if value.is_char() {
        return Kind::Char;
    }
    if value.is_array() {
        return Kind::List;
    }
    if value.is_map() {
        return Kind::Map;
    }
    if value.is_string() {
        let text = value.to_string();
        return if looks_like_date(&text) {
            Kind::DateText
        } else {
            Kind::Text
        };
    }
    Kind::Other
}

fn looks_like_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// A type as Rhai names it in an error ("i64", "&str | ImmutableString |
/// String", "()", "map", ...), as the name `Dynamic::type_name` gives.
fn rhai_type(name: &str) -> &str {
    match name.trim() {
        "&str | ImmutableString | String" | "string" => "string",
        other => other,
    }
}

fn kind_of_type(name: &str) -> Kind {
    match rhai_type(name) {
        "()" => Kind::Missing,
        "i64" | "i32" | "f64" | "f32" | "INT" | "FLOAT" => Kind::Number,
        "string" => Kind::Text,
        "array" => Kind::List,
        "map" => Kind::Map,
        "bool" => Kind::Bool,
        "char" => Kind::Char,
        _ => Kind::Other,
    }
}

/// A small value of a kind, to try an operation on.
fn sample(kind: Kind) -> Option<Vec<Dynamic>> {
    Some(match kind {
        Kind::Missing | Kind::Null => vec![Dynamic::UNIT],
        Kind::Number => vec![Dynamic::from_int(1), Dynamic::from_float(1.5)],
        Kind::Text | Kind::DateText => vec![Dynamic::from("a")],
        Kind::List => vec![Dynamic::from_array(vec![Dynamic::from("a")])],
        Kind::Map => {
            let mut map = Map::new();
            map.insert("a".into(), Dynamic::from_int(1));
            vec![Dynamic::from_map(map)]
        }
        Kind::Bool => vec![Dynamic::TRUE],
        Kind::Char => vec![Dynamic::from_char('a')],
        Kind::Other => return None,
    })
}

/// What a fault is classified from, besides the error.
pub(crate) struct Context<'a> {
    pub engine: &'a rhai::Engine,
    pub ast: &'a AST,
    pub reads: &'a FieldReads,
    pub proposal: &'a Dynamic,
    /// Every registered function: its name and how many values it takes.
    pub arities: &'a [(String, usize)],
}

/// Classifies a Rhai error (the innermost one) into a fault.
pub(crate) fn classify(error: &EvalAltResult, cx: &Context<'_>) -> Fault {
    use EvalAltResult as E;
    let at = super::code_position(error.position()).map(|p| (p.line, p.column));
    match error {
        E::ErrorTooManyOperations(_) | E::ErrorTerminated(..) => Fault::Limit(LimitFault::Steps),
        E::ErrorStackOverflow(_) => Fault::Limit(LimitFault::CallDepth),
        E::ErrorDataTooLarge(..) => Fault::Limit(LimitFault::Size),
        E::ErrorTooManyVariables(_) => Fault::Limit(LimitFault::Variables),
        // `throw`, and changing the read-only `proposal` (or a value inside
        // it): the principle's own.
        E::ErrorRuntime(..)
        | E::ErrorAssignmentToConstant(..)
        | E::ErrorNonPureMethodCallOnConstant(..) => Fault::Principle(PrincipleFault::Threw),
        E::ErrorFunctionNotFound(signature, _) => function_not_found(signature, at, cx),
        E::ErrorDotExpr(text, _) => property_not_found(text, at, cx),
        E::ErrorFor(_) => for_loop(at, cx),
        E::ErrorMismatchDataType(expected, given, _) => {
            let expected = kind_of_type(expected);
            let given = rhai_type(given);
            let candidates = by_type(cx, given, &[]);
            blame(
                cx,
                candidates,
                match expected {
                    Kind::Other => Vec::new(),
                    kind => vec![kind],
                },
                Operation::Other,
            )
        }
        _ => Fault::Unclear { operation: None },
    }
}

/// `name (type, type)` as Rhai writes a call it found no function for.
fn parse_signature(signature: &str) -> Option<(&str, Vec<&str>)> {
    let (name, rest) = signature.split_once(" (")?;
    let args = rest.strip_suffix(')')?;
    let args = if args.trim().is_empty() {
        Vec::new()
    } else {
        args.split(", ").collect()
    };
    Some((name, args))
}

fn function_not_found(signature: &str, at: Option<Place>, cx: &Context<'_>) -> Fault {
    let Some((name, args)) = parse_signature(signature) else {
        return Fault::Unclear { operation: None };
    };
    let is_operator = OPERATORS.contains(&name);
    let operation = if is_operator {
        Operation::Operator(name.to_string())
    } else {
        Operation::Function(name.to_string())
    };
    if !is_operator {
        let mut accepted: Vec<usize> = cx
            .arities
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, a)| *a)
            .chain(
                cx.ast
                    .iter_functions()
                    .filter(|f| f.name == name)
                    .map(|f| f.params.len()),
            )
            .collect();
        accepted.sort_unstable();
        accepted.dedup();
        if accepted.is_empty() {
            return Fault::Principle(PrincipleFault::UnknownFunction {
                name: name.to_string(),
            });
        }
        if !accepted.contains(&args.len()) {
            return Fault::Principle(PrincipleFault::WrongArgumentCount {
                name: name.to_string(),
                given: args.len(),
                accepted,
            });
        }
        // A function of the principle's own is called with values of any
        // kind: what goes wrong is inside it, and reported there.
        if cx.ast.iter_functions().any(|f| f.name == name) {
            return Fault::Unclear {
                operation: Some(operation),
            };
        }
    }
    let kinds: Vec<Kind> = args.iter().map(|a| kind_of_type(a)).collect();
    // Per position, what would have worked there with the others as given.
    let expected: Vec<Vec<Kind>> = (0..args.len())
        .map(|i| {
            TRIED
                .iter()
                .copied()
                .filter(|k| Some(k) != kinds.get(i))
                .filter(|k| {
                    let mut tried = kinds.clone();
                    if let Some(slot) = tried.get_mut(i) {
                        *slot = *k;
                    }
                    accepts(cx.engine, name, &tried, is_operator)
                })
                .collect()
        })
        .collect();
    // A read right at the failing call: its receiver, or an operand.
    let direct: Vec<(usize, usize)> = cx
        .reads
        .reads
        .iter()
        .enumerate()
        .filter_map(|(r, read)| {
            let at = at?;
            let position = if read.method == Some(at) || is_operator && read.after == Some(at) {
                0
            } else if is_operator && read.before == Some(at) {
                args.len().saturating_sub(1)
            } else {
                return None;
            };
            let fits = args
                .get(position)
                .is_some_and(|t| value_type(cx, read).as_deref() == Some(rhai_type(t)));
            fits.then_some((r, position))
        })
        .collect();
    if let [(r, position)] = direct.as_slice() {
        if let (Some(read), Some(expected)) = (cx.reads.reads.get(*r), expected.get(*position)) {
            if !expected.is_empty() {
                return field_fault(cx, read, read.path.len(), expected.clone(), operation);
            }
        }
    }
    // Otherwise: the one field whose value has the kind of an argument
    // that, of another kind, would have worked.
    let mut candidates = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let Some(expected) = expected.get(i).filter(|e| !e.is_empty()) else {
            continue;
        };
        candidates.extend(
            by_type(cx, rhai_type(arg), &[])
                .into_iter()
                .map(|c| (c, expected.clone())),
        );
    }
    blame_with(cx, candidates, operation)
}

/// Whether `name` works on values of these kinds.
fn accepts(engine: &rhai::Engine, name: &str, kinds: &[Kind], is_operator: bool) -> bool {
    let names: Vec<String> = (0..kinds.len()).map(|i| format!("a{i}")).collect();
    let code = match (is_operator, names.as_slice()) {
        (true, [x]) => format!("{name} {x}"),
        (true, [x, y]) => format!("{x} {name} {y}"),
        (true, _) => return false,
        (false, _) => {
            if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return false;
            }
            format!("{name}({})", names.join(", "))
        }
    };
    // Each kind has one or two samples (a whole and a decimal number):
    // the kind works if any combination does.
    let mut samples: Vec<Vec<Dynamic>> = vec![Vec::new()];
    for kind in kinds {
        let Some(values) = sample(*kind) else {
            return false;
        };
        samples = samples
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(v.clone());
                    next
                })
            })
            .collect();
    }
    samples.into_iter().any(|values| {
        let mut scope = Scope::new();
        for (n, v) in names.iter().zip(values) {
            scope.push_dynamic(n.as_str(), v);
        }
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            engine.eval_with_scope::<Dynamic>(&mut scope, &code)
        }));
        match run {
            Ok(Ok(_)) => true,
            Ok(Err(error)) => !matches!(*error, EvalAltResult::ErrorFunctionNotFound(..)),
            Err(_) => false,
        }
    })
}

/// `Unknown property 'total' - a getter is not registered for type 'i64'`.
fn property_not_found(text: &str, at: Option<Place>, cx: &Context<'_>) -> Fault {
    let mut quoted = text.split('\'').skip(1).step_by(2);
    let (Some(property), Some(of_type)) = (quoted.next(), quoted.next()) else {
        return Fault::Unclear { operation: None };
    };
    let operation = Operation::Property(property.to_string());
    // Reads whose step `property` is taken from a value of that type.
    let mut direct = Vec::new();
    let mut named = Vec::new();
    for read in &cx.reads.reads {
        for (step, name) in read.path.iter().enumerate().skip(1) {
            if name != property || read.elvis.get(step).copied().unwrap_or(false) && of_type == "()"
            {
                continue;
            }
            let value = value_at(cx.proposal, read.path.get(..step).unwrap_or_default());
            if value.as_ref().map(|v| v.type_name()) == Some(rhai_type(of_type)) {
                if read.step_places.get(step).copied() == at && at.is_some() {
                    direct.push((read, step));
                }
                named.push((read, step));
            }
        }
    }
    if let [(read, step)] = direct.as_slice() {
        return field_fault(cx, read, *step, vec![Kind::Map], operation);
    }
    let others = nested_of_type(cx, rhai_type(of_type));
    match named.as_slice() {
        [(read, step)]
            if !cx.reads.open && others == 0 && only_field(cx, rhai_type(of_type), read, *step) =>
        {
            field_fault(cx, read, *step, vec![Kind::Map], operation)
        }
        _ => Fault::Unclear {
            operation: Some(operation),
        },
    }
}

/// Whether the value of `read` up to `step` is the only value of this
/// type the principle reads directly.
fn only_field(cx: &Context<'_>, of_type: &str, read: &FieldRead, step: usize) -> bool {
    let path = read.path.get(..step).unwrap_or_default();
    by_type(cx, of_type, path).is_empty()
}

fn for_loop(at: Option<Place>, cx: &Context<'_>) -> Fault {
    let expected: Vec<Kind> = TRIED
        .iter()
        .copied()
        .filter(|k| iterable(cx.engine, *k))
        .collect();
    let iterable_type = |t: &str| matches!(t, "array" | "string" | "range" | "range=" | "blob");
    if let Some(read) = cx
        .reads
        .reads
        .iter()
        .find(|r| at.is_some() && Some(r.start) == at)
    {
        if value_type(cx, read).is_some_and(|t| !iterable_type(&t)) {
            return field_fault(cx, read, read.path.len(), expected, Operation::ForLoop);
        }
    }
    let mut candidates = Vec::new();
    for read in &cx.reads.reads {
        if let Some(t) = value_type(cx, read).filter(|t| !iterable_type(t)) {
            if !candidates
                .iter()
                .any(|(r, _): &(&FieldRead, usize)| r.path == read.path)
            {
                candidates.push((read, read.path.len()));
            }
            let _ = t;
        }
    }
    let nested = cx.reads.reads.iter().any(|r| {
        value_at(cx.proposal, &r.path).is_some_and(|v| {
            nested_values(&v)
                .iter()
                .any(|n| !iterable_type(n.type_name()))
        })
    });
    match candidates.as_slice() {
        [(read, step)] if !cx.reads.open && !nested => {
            field_fault(cx, read, *step, expected, Operation::ForLoop)
        }
        _ => Fault::Unclear {
            operation: Some(Operation::ForLoop),
        },
    }
}

fn iterable(engine: &rhai::Engine, kind: Kind) -> bool {
    let Some(values) = sample(kind) else {
        return false;
    };
    values.into_iter().any(|v| {
        let mut scope = Scope::new();
        scope.push_dynamic("a0", v);
        engine
            .eval_with_scope::<Dynamic>(&mut scope, "for x in a0 {} true")
            .is_ok()
    })
}

/// The reads (with the step their value is taken at) whose value has
/// this Rhai type, but not `except`.
fn by_type<'a>(
    cx: &'a Context<'_>,
    of_type: &str,
    except: &[String],
) -> Vec<(&'a FieldRead, usize)> {
    let mut found: Vec<(&FieldRead, usize)> = Vec::new();
    for read in &cx.reads.reads {
        if read.path == except {
            continue;
        }
        if value_type(cx, read).as_deref() == Some(of_type)
            && !found.iter().any(|(r, _)| r.path == read.path)
        {
            found.push((read, read.path.len()));
        }
    }
    found
}

/// The Rhai type of what a read gives the principle; `None` when the
/// read cannot give anything (a step through a value that is not a map
/// fails first) or when a `??` default replaces what it gives.
fn value_type(cx: &Context<'_>, read: &FieldRead) -> Option<String> {
    let value = value_at(cx.proposal, &read.path)?;
    if value.is_unit() && read.coalesced {
        return None;
    }
    Some(value.type_name().to_string())
}

/// The value at a path of the proposal: `()` past a missing field, `None`
/// past a value that is not a map.
fn value_at(proposal: &Dynamic, path: &[String]) -> Option<Dynamic> {
    let mut value = proposal.clone();
    for name in path {
        if value.is_unit() {
            return Some(Dynamic::UNIT);
        }
        let map = value.try_cast::<Map>()?;
        value = map.get(name.as_str()).cloned().unwrap_or(Dynamic::UNIT);
    }
    Some(value)
}

/// Every value inside a list or map, at any depth.
fn nested_values(value: &Dynamic) -> Vec<Dynamic> {
    let mut found = Vec::new();
    let mut stack = vec![value.clone()];
    while let Some(v) = stack.pop() {
        let inner: Vec<Dynamic> = if let Some(list) = v.clone().try_cast::<rhai::Array>() {
            list
        } else if let Some(map) = v.try_cast::<Map>() {
            map.into_values().collect()
        } else {
            continue;
        };
        for item in inner {
            found.push(item.clone());
            stack.push(item);
        }
    }
    found
}

/// How many values of this type sit inside the lists and maps the
/// principle reads: any of them could reach the failing operation
/// through a variable.
fn nested_of_type(cx: &Context<'_>, of_type: &str) -> usize {
    cx.reads
        .reads
        .iter()
        .filter_map(|r| value_at(cx.proposal, &r.path))
        .map(|v| {
            nested_values(&v)
                .iter()
                .filter(|n| n.type_name() == of_type)
                .count()
        })
        .sum()
}

fn blame(
    cx: &Context<'_>,
    candidates: Vec<(&FieldRead, usize)>,
    expected: Vec<Kind>,
    operation: Operation,
) -> Fault {
    blame_with(
        cx,
        candidates
            .into_iter()
            .map(|c| (c, expected.clone()))
            .collect(),
        operation,
    )
}

/// Blames the one candidate field, if there is exactly one and nothing
/// else of its type can reach the operation.
fn blame_with(
    cx: &Context<'_>,
    candidates: Vec<((&FieldRead, usize), Vec<Kind>)>,
    operation: Operation,
) -> Fault {
    let mut fields: Vec<&[String]> = candidates
        .iter()
        .map(|((read, step), _)| read.path.get(..*step).unwrap_or_default())
        .collect();
    fields.dedup();
    match (fields.as_slice(), candidates.first()) {
        ([_], Some(((read, step), expected))) if !cx.reads.open && !expected.is_empty() => {
            let of_type = value_at(cx.proposal, read.path.get(..*step).unwrap_or_default())
                .map(|v| v.type_name().to_string())
                .unwrap_or_default();
            if nested_of_type(cx, &of_type) > 0 {
                return Fault::Unclear {
                    operation: Some(operation),
                };
            }
            field_fault(cx, read, *step, expected.clone(), operation)
        }
        _ => Fault::Unclear {
            operation: Some(operation),
        },
    }
}

fn field_fault(
    cx: &Context<'_>,
    read: &FieldRead,
    step: usize,
    expected: Vec<Kind>,
    operation: Operation,
) -> Fault {
    let path = read.path.get(..step).unwrap_or_default();
    let given = match value_at(cx.proposal, path) {
        Some(v) if v.is_unit() => {
            if is_absent(cx.proposal, path) {
                Kind::Missing
            } else {
                Kind::Null
            }
        }
        Some(v) => kind_of(&v),
        None => Kind::Other,
    };
    Fault::Proposal(FieldFault {
        field: path.join("."),
        given,
        expected,
        operation,
    })
}

/// Whether the proposal leaves the field out (rather than giving `null`).
fn is_absent(proposal: &Dynamic, path: &[String]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    match value_at(proposal, parent).and_then(|p| p.try_cast::<Map>()) {
        Some(map) => !map.contains_key(last.as_str()),
        None => true,
    }
}
