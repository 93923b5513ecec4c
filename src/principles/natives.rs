//! Native functions the sandbox defines in place of Rhai's own, where
//! Rhai's version could turn a failure into a result or do unbounded work.
//!
//! Functions registered on the engine take precedence over the packages'
//! functions of the same name and argument types, so these replace them
//! for every principle:
//! - `replace`: Rhai builds the whole result before checking the string
//!   size limit (`s.replace("a", s)` on a 60 KB `s` asks for gigabytes);
//!   this checks first.
//! - `sort(f)`, `sort_by(f)`, `dedup(f)`, `dedup()`: Rhai swallows the
//!   comparator's errors (a comparator that throws, or that is stopped by
//!   the budget, leaves the array half-sorted and the principle carries on).
//!   These pass the first error on.
//! - `pad`: one call builds up to the size limit from almost nothing, work
//!   the meter would not see; these charge the meter for what they add.
//! - `<`, `<=`, `>`, `>=` between values of different kinds (a text and a
//!   number, nothing and a number): Rhai answers `false`, so
//!   `proposal.cost > 50000` is quietly false when the proposal gives
//!   `cost` as "lots" or not at all, and a principle written as "refuse
//!   when it costs more" upholds a proposal it cannot judge. These raise
//!   the error Rhai raises for a call it has no function for, so the
//!   principle is `error` (never upheld) and the fault names the field.
//!   Numbers compare with numbers, texts with texts and characters; `==`
//!   and `!=` keep Rhai's meaning (different kinds are not equal), which
//!   is how a principle asks whether a field is missing (`== ()`).

use super::meter;
use super::{MAX_ARRAY_SIZE, MAX_STRING_SIZE};
use rhai::{
    Array, Dynamic, Engine, EvalAltResult, FnPtr, FuncRegistration, ImmutableString, Map,
    NativeCallContext, Position, FLOAT, INT,
};
use std::cmp::Ordering;

type Result<T> = std::result::Result<T, Box<EvalAltResult>>;

/// An ordering between two kinds that have none: the error Rhai gives
/// for an operator it has no function for, with the same signature text.
fn no_order(ctx: &NativeCallContext, left: &Dynamic, right: &Dynamic) -> Result<bool> {
    let engine = ctx.engine();
    Err(EvalAltResult::ErrorFunctionNotFound(
        format!(
            "{} ({}, {})",
            ctx.fn_name(),
            engine.map_type_name(left.type_name()),
            engine.map_type_name(right.type_name())
        ),
        Position::NONE,
    )
    .into())
}

/// Registers [`no_order`] for the four ordering operators between two
/// kinds (each way round).
macro_rules! refuse_order {
    ($engine:expr, $left:ty, $right:ty) => {
        for op in ["<", "<=", ">", ">="] {
            $engine.register_fn(op, |ctx: NativeCallContext, a: $left, b: $right| {
                no_order(&ctx, &Dynamic::from(a), &Dynamic::from(b))
            });
            $engine.register_fn(op, |ctx: NativeCallContext, b: $right, a: $left| {
                no_order(&ctx, &Dynamic::from(b), &Dynamic::from(a))
            });
        }
    };
}

/// Makes ordering values of different kinds an error (see the module
/// documentation). Registered functions are tried before Rhai's built-in
/// operators only when fast operators are off, which the sandbox sets.
fn refuse_mixed_orderings(engine: &mut Engine) {
    // Every pair of the kinds a proposal value or a literal can be, except
    // the pairs that have an order: number with number, text with text or
    // a character, and a kind with itself.
    refuse_order!(engine, (), bool);
    refuse_order!(engine, (), INT);
    refuse_order!(engine, (), FLOAT);
    refuse_order!(engine, (), ImmutableString);
    refuse_order!(engine, (), char);
    refuse_order!(engine, (), Array);
    refuse_order!(engine, (), Map);
    refuse_order!(engine, bool, INT);
    refuse_order!(engine, bool, FLOAT);
    refuse_order!(engine, bool, ImmutableString);
    refuse_order!(engine, bool, char);
    refuse_order!(engine, bool, Array);
    refuse_order!(engine, bool, Map);
    refuse_order!(engine, INT, ImmutableString);
    refuse_order!(engine, INT, char);
    refuse_order!(engine, INT, Array);
    refuse_order!(engine, INT, Map);
    refuse_order!(engine, FLOAT, ImmutableString);
    refuse_order!(engine, FLOAT, char);
    refuse_order!(engine, FLOAT, Array);
    refuse_order!(engine, FLOAT, Map);
    refuse_order!(engine, ImmutableString, Array);
    refuse_order!(engine, ImmutableString, Map);
    refuse_order!(engine, char, Array);
    refuse_order!(engine, char, Map);
    refuse_order!(engine, Array, Map);
    // Nothing with nothing: Rhai says `() < ()` is false. There is no
    // order to be had, and a principle comparing two missing fields is
    // as unable to judge as one comparing one.
    for op in ["<", "<=", ">", ">="] {
        engine.register_fn(op, |ctx: NativeCallContext, a: (), b: ()| {
            no_order(&ctx, &Dynamic::from(a), &Dynamic::from(b))
        });
    }
}

/// Registers every replacement on `engine`.
///
/// Each of these changes the value it is called on, so each is registered
/// as not pure: Rhai then refuses to call it on a read-only value (the
/// proposal, at any depth) instead of changing what the next principle
/// reads. `register_fn` would mark them pure, Rhai's default.
pub(super) fn register(engine: &mut Engine) {
    engine.set_fast_operators(false);
    refuse_mixed_orderings(engine);
    let changing = |name: &str| FuncRegistration::new(name).with_purity(false);
    changing("replace")
        .register_into_engine(engine, |s: &mut ImmutableString, find: &str, with: &str| {
            checked_replace(s, find, with)
        });
    changing("replace").register_into_engine(
        engine,
        |s: &mut ImmutableString, find: &str, with: char| {
            checked_replace(s, find, with.encode_utf8(&mut [0; 4]))
        },
    );
    changing("replace").register_into_engine(
        engine,
        |s: &mut ImmutableString, find: char, with: &str| {
            checked_replace(s, find.encode_utf8(&mut [0; 4]), with)
        },
    );
    changing("pad").register_into_engine(engine, pad_string_with_char);
    changing("pad").register_into_engine(engine, pad_string_with_string);
    changing("pad").register_into_engine(engine, pad_array);
    for name in ["sort", "sort_by"] {
        changing(name).register_into_engine(engine, sort_by);
    }
    changing("dedup").register_into_engine(engine, dedup_by);
    changing("dedup").register_into_engine(engine, |ctx: NativeCallContext, array: &mut Array| {
        dedup_with(array, |previous, current| {
            let mut previous = previous.clone();
            let mut current = current.clone();
            ctx.call_native_fn_raw("==", false, &mut [&mut previous, &mut current])
        })
    });
}

/// `replace` that refuses, before allocating, a result over the string
/// size limit.
fn checked_replace(string: &mut ImmutableString, find: &str, with: &str) -> Result<()> {
    let count = string.matches(find).count();
    let removed = count.saturating_mul(find.len());
    let added = count.saturating_mul(with.len());
    let size = string.len().saturating_sub(removed).saturating_add(added);
    if size > MAX_STRING_SIZE {
        return Err(EvalAltResult::ErrorDataTooLarge(
            "Length of string".into(),
            rhai::Position::NONE,
        )
        .into());
    }
    charge_growth(0, size)?;
    *string = string.replace(find, with).into();
    Ok(())
}

fn too_large(what: &str) -> Box<EvalAltResult> {
    EvalAltResult::ErrorDataTooLarge(what.into(), rhai::Position::NONE).into()
}

/// Charges the running principle for building `items` new elements and
/// `bytes` new bytes of text.
fn charge_growth(items: usize, bytes: usize) -> Result<()> {
    if meter::charge(meter::steps_for(items as u64, bytes as u64)) {
        Ok(())
    } else {
        Err(EvalAltResult::ErrorTerminated(Dynamic::UNIT, rhai::Position::NONE).into())
    }
}

/// The wanted length of a `pad`, or `None` for no padding (as in Rhai, a
/// length of zero or less pads nothing).
fn wanted(len: rhai::INT, limit: usize, what: &str) -> Result<Option<usize>> {
    if len <= 0 {
        return Ok(None);
    }
    match usize::try_from(len) {
        Ok(len) if len <= limit => Ok(Some(len)),
        _ => Err(too_large(what)),
    }
}

/// `text.pad(len, 'c')`: pads to `len` characters with `c`.
fn pad_string_with_char(string: &mut ImmutableString, len: rhai::INT, with: char) -> Result<()> {
    let Some(len) = wanted(len, MAX_STRING_SIZE, "Length of string")? else {
        return Ok(());
    };
    let have = string.chars().count();
    if len <= have {
        return Ok(());
    }
    let add = len - have;
    if string
        .len()
        .saturating_add(add.saturating_mul(with.len_utf8()))
        > MAX_STRING_SIZE
    {
        return Err(too_large("Length of string"));
    }
    charge_growth(0, add.saturating_mul(with.len_utf8()))?;
    let text = string.make_mut();
    text.extend(std::iter::repeat_n(with, add));
    Ok(())
}

/// `text.pad(len, "abc")`: pads to `len` characters with copies of the
/// padding, the last one cut short.
fn pad_string_with_string(string: &mut ImmutableString, len: rhai::INT, with: &str) -> Result<()> {
    let Some(len) = wanted(len, MAX_STRING_SIZE, "Length of string")? else {
        return Ok(());
    };
    let have = string.chars().count();
    if len <= have || with.is_empty() {
        return Ok(());
    }
    let missing = len - have;
    let with_chars = with.chars().count();
    let whole = missing / with_chars;
    let rest: &str = match with.char_indices().nth(missing % with_chars) {
        Some((end, _)) => &with[..end],
        None => with,
    };
    let added = whole.saturating_mul(with.len()).saturating_add(rest.len());
    if string.len().saturating_add(added) > MAX_STRING_SIZE {
        return Err(too_large("Length of string"));
    }
    charge_growth(0, added)?;
    let text = string.make_mut();
    for _ in 0..whole {
        text.push_str(with);
    }
    text.push_str(rest);
    Ok(())
}

/// `list.pad(len, item)`: pads to `len` elements with copies of `item`.
fn pad_array(array: &mut Array, len: rhai::INT, item: Dynamic) -> Result<()> {
    let Some(len) = wanted(len, MAX_ARRAY_SIZE, "Size of array/BLOB")? else {
        return Ok(());
    };
    if len <= array.len() {
        return Ok(());
    }
    let add = len - array.len();
    // As Rhai counts: every element at any depth, so each copy of the item
    // is one element plus what it holds.
    let Some((items, text_bytes)) = meter::measure(&item, super::STEPS_PER_CHECK) else {
        return Err(too_large("Size of array/BLOB"));
    };
    let add = add as u64;
    let have = array.iter().fold(0u64, |sum, v| {
        let (items, _) = meter::measure(v, super::STEPS_PER_CHECK).unwrap_or((u64::MAX, 0));
        sum.saturating_add(items).saturating_add(1)
    });
    let new_items = add.saturating_mul(items.saturating_add(1));
    if have.saturating_add(new_items) > MAX_ARRAY_SIZE as u64 {
        return Err(too_large("Size of array/BLOB"));
    }
    charge_growth(
        usize::try_from(new_items).unwrap_or(usize::MAX),
        usize::try_from(add.saturating_mul(text_bytes)).unwrap_or(usize::MAX),
    )?;
    array.resize(len, item);
    Ok(())
}

/// Rhai's meaning of a comparator's answer: a number (its sign), or `true`
/// for "before" and `false` for "after".
fn ordering(value: &Dynamic) -> Option<Ordering> {
    if let Ok(n) = value.as_int() {
        return Some(n.cmp(&0));
    }
    value.as_bool().ok().map(|before| {
        if before {
            Ordering::Less
        } else {
            Ordering::Greater
        }
    })
}

/// A stable merge sort that stops at the comparator's first error. Unlike
/// `slice::sort_by` it cannot panic on a comparator that is not a total
/// order; it just gives some order.
fn sort_by(ctx: NativeCallContext, array: &mut Array, comparer: FnPtr) -> Result<()> {
    if array.len() <= 1 {
        return Ok(());
    }
    let mut compare = |a: &Dynamic, b: &Dynamic| -> Result<Ordering> {
        let answer = comparer.call_raw(&ctx, None, [a.clone(), b.clone()])?;
        ordering(&answer).ok_or_else(|| {
            format!(
                "the function given to sort returned {}, not a number or true/false",
                answer.type_name()
            )
            .into()
        })
    };
    let items = std::mem::take(array);
    *array = merge_sort(items, &mut compare)?;
    Ok(())
}

fn merge_sort(
    mut items: Array,
    compare: &mut impl FnMut(&Dynamic, &Dynamic) -> Result<Ordering>,
) -> Result<Array> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let right = items.split_off(items.len() / 2);
    let left = merge_sort(items, compare)?;
    let right = merge_sort(right, compare)?;
    let mut merged = Array::with_capacity(left.len() + right.len());
    let mut left = left.into_iter().peekable();
    let mut right = right.into_iter().peekable();
    while let (Some(a), Some(b)) = (left.peek(), right.peek()) {
        let next = if compare(a, b)? == Ordering::Greater {
            right.next()
        } else {
            left.next()
        };
        merged.extend(next);
    }
    merged.extend(left);
    merged.extend(right);
    Ok(merged)
}

/// Removes consecutive elements the comparator calls equal, stopping at
/// its first error. As in Rhai, an answer that is not `true` keeps both.
fn dedup_by(ctx: NativeCallContext, array: &mut Array, comparer: FnPtr) -> Result<()> {
    dedup_with(array, |previous, current| {
        comparer.call_raw(&ctx, None, [previous.clone(), current.clone()])
    })
}

/// Keeps each element unless `same(previous kept, element)` is `true`.
fn dedup_with(
    array: &mut Array,
    mut same: impl FnMut(&Dynamic, &Dynamic) -> Result<Dynamic>,
) -> Result<()> {
    let items = std::mem::take(array);
    let mut kept = Array::with_capacity(items.len());
    for item in items {
        if let Some(previous) = kept.last() {
            if same(previous, &item)?.as_bool().unwrap_or(false) {
                continue;
            }
        }
        kept.push(item);
    }
    *array = kept;
    Ok(())
}
