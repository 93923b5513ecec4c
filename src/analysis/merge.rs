//! Grid cells -> a few statements: merging cells into *cubes* (one set of
//! classes per field group, every combination of them in the set) and
//! saying each cube as conditions on the fields, with adjacent number and
//! date cells merged into ranges ("`cost` more than 50,000 and at most
//! 100,000").

use std::collections::{BTreeMap, BTreeSet};

use super::space::{Cell, Space};
use super::{Bound, Condition, Values};

/// A set of classes per group: every combination is in the cube.
pub(crate) type Cube = Vec<BTreeSet<usize>>;

/// Merges cells into cubes: repeatedly, cubes equal on every group but one
/// become one cube holding both sets of that group. Exactly the cells
/// given are covered, each once.
pub(crate) fn cubes(space: &Space<'_>, cells: Vec<Vec<usize>>) -> Vec<Cube> {
    let dims = space.groups.len();
    if space.groups.iter().all(|g| g.classes.len() <= 128) {
        return masked_cubes(dims, &cells);
    }
    let mut cubes: Vec<Cube> = cells
        .into_iter()
        .map(|cell| cell.into_iter().map(|c| BTreeSet::from([c])).collect())
        .collect();
    loop {
        let before = cubes.len();
        for d in 0..dims {
            let mut merged: BTreeMap<Vec<BTreeSet<usize>>, BTreeSet<usize>> = BTreeMap::new();
            let mut order: Vec<Vec<BTreeSet<usize>>> = Vec::new();
            for cube in cubes {
                let mut rest = cube.clone();
                let own = if d < rest.len() {
                    rest.remove(d)
                } else {
                    BTreeSet::new()
                };
                let entry = merged.entry(rest.clone()).or_insert_with(|| {
                    order.push(rest);
                    BTreeSet::new()
                });
                entry.extend(own);
            }
            cubes = order
                .into_iter()
                .filter_map(|rest| {
                    let own = merged.remove(&rest)?;
                    let mut cube = rest;
                    cube.insert(d.min(cube.len()), own);
                    Some(cube)
                })
                .collect();
        }
        if cubes.len() == before {
            break;
        }
    }
    cubes
}

/// [`cubes`] with each group's set as a bit mask (at most 128 classes a
/// group): the same merging, without a set allocated per cell.
fn masked_cubes(dims: usize, cells: &[Vec<usize>]) -> Vec<Cube> {
    let mut cubes: Vec<Vec<u128>> = cells
        .iter()
        .map(|cell| cell.iter().map(|c| 1u128 << c).collect())
        .collect();
    loop {
        let before = cubes.len();
        for d in 0..dims {
            let mut merged: std::collections::HashMap<Vec<u128>, usize> =
                std::collections::HashMap::new();
            let mut next: Vec<Vec<u128>> = Vec::new();
            for cube in cubes {
                let own = cube.get(d).copied().unwrap_or(0);
                let mut rest = cube;
                if let Some(slot) = rest.get_mut(d) {
                    *slot = 0;
                }
                match merged.get(&rest) {
                    Some(&at) => {
                        if let Some(slot) = next.get_mut(at).and_then(|c| c.get_mut(d)) {
                            *slot |= own;
                        }
                    }
                    None => {
                        merged.insert(rest.clone(), next.len());
                        let mut cube = rest;
                        if let Some(slot) = cube.get_mut(d) {
                            *slot = own;
                        }
                        next.push(cube);
                    }
                }
            }
            cubes = next;
        }
        if cubes.len() == before {
            break;
        }
    }
    cubes
        .into_iter()
        .map(|cube| {
            cube.into_iter()
                .map(|mask| (0..128).filter(|i| mask & (1u128 << i) != 0).collect())
                .collect()
        })
        .collect()
}

/// A cube as conditions: one per group whose set is not every class.
pub(crate) fn describe(space: &Space<'_>, cube: &Cube) -> Vec<Condition> {
    let mut out = Vec::new();
    for (g, set) in cube.iter().enumerate() {
        let Some(group) = space.groups.get(g) else {
            continue;
        };
        if set.len() == group.classes.len() {
            continue;
        }
        if let [path] = group.paths.as_slice() {
            let rest: BTreeSet<usize> = (0..group.classes.len())
                .filter(|c| !set.contains(c))
                .collect();
            out.push(Condition {
                field: path.clone(),
                values: values(space, g, set),
                other_values: values(space, g, &rest),
                compared_as_dates: space.dates_compared(g),
            });
        } else {
            let classes: Vec<usize> = set.iter().copied().collect();
            let (exprs, signatures) = space.relations(g, &classes);
            let comparisons: Vec<String> = exprs
                .iter()
                .map(|e| crate::wording::condition::describe(e, false))
                .collect();
            out.push(Condition {
                field: group.paths.join(", "),
                compared_as_dates: false,
                other_values: Vec::new(),
                values: signatures
                    .into_iter()
                    .map(|truths| Values::Relation {
                        comparisons: comparisons.clone(),
                        truths: truths.iter().map(|t| t.as_str().to_string()).collect(),
                    })
                    .collect(),
            });
        }
    }
    out
}

/// The values of a one-field group's classes in `set`, numbers and dates
/// merged into ranges.
fn values(space: &Space<'_>, group: usize, set: &BTreeSet<usize>) -> Vec<Values> {
    // Every elementary cell of the field in order, and whether it is in.
    let Some(g) = space.groups.get(group) else {
        return Vec::new();
    };
    let mut cells: Vec<(Cell, bool)> = Vec::new();
    for (c, _) in g.classes.iter().enumerate() {
        for cell in space.cells_of(group, c) {
            if !cells.iter().any(|(seen, _)| *seen == cell) {
                cells.push((cell, set.contains(&c)));
            }
        }
    }
    let mut numbers: Vec<(Cell, bool)> = cells
        .iter()
        .filter(|(c, _)| matches!(c, Cell::Number(_) | Cell::NumberBetween(..)))
        .cloned()
        .collect();
    numbers.sort_by(|(a, _), (b, _)| {
        let (a, b) = (number_key(a), number_key(b));
        a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
    });
    let mut dates: Vec<(Cell, bool)> = cells
        .iter()
        .filter(|(c, _)| matches!(c, Cell::Date(_) | Cell::DateBetween(..)))
        .cloned()
        .collect();
    dates.sort_by_key(|(c, _)| date_key(c));
    let mut out = Vec::new();
    if cells
        .iter()
        .any(|(c, inside)| *inside && *c == Cell::Absent)
    {
        out.push(Values::NotGiven);
    }
    for run in runs(&numbers) {
        out.push(number_range(run));
    }
    for run in runs(&dates) {
        out.push(date_range(run));
    }
    for (cell, inside) in &cells {
        if !inside {
            continue;
        }
        match cell {
            Cell::Text(s) => out.push(Values::Text { value: s.clone() }),
            Cell::OtherText(containing) => out.push(Values::OtherText {
                containing: containing.clone(),
                looked_for: looked_for_texts(&cells),
                other_than: cells
                    .iter()
                    .filter_map(|(c, _)| match c {
                        Cell::Text(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect(),
            }),
            Cell::Bool(b) => out.push(Values::Bool { value: *b }),
            Cell::List(including) => out.push(Values::List {
                including: including.clone(),
                looked_for: looked_for_items(&cells),
            }),
            Cell::Object => out.push(Values::Object),
            _ => {}
        }
    }
    out
}

fn looked_for_texts(cells: &[(Cell, bool)]) -> Vec<String> {
    let mut all = Vec::new();
    for (cell, _) in cells {
        if let Cell::OtherText(containing) = cell {
            for s in containing {
                if !all.contains(s) {
                    all.push(s.clone());
                }
            }
        }
    }
    all
}

fn looked_for_items(cells: &[(Cell, bool)]) -> Vec<serde_json::Value> {
    let mut all = Vec::new();
    for (cell, _) in cells {
        if let Cell::List(including) = cell {
            for x in including {
                if !all.contains(x) {
                    all.push(x.clone());
                }
            }
        }
    }
    all
}

/// Maximal runs of consecutive cells that are in.
fn runs(cells: &[(Cell, bool)]) -> Vec<&[(Cell, bool)]> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, (_, inside)) in cells.iter().enumerate() {
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.extend(cells.get(s..i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.extend(cells.get(s..));
    }
    out
}

fn number_key(cell: &Cell) -> (f64, u8) {
    match cell {
        Cell::Number(x) => (*x, 1),
        // An interval sorts just above its lower end.
        Cell::NumberBetween(Some(a), _) => (*a, 2),
        _ => (f64::NEG_INFINITY, 0),
    }
}

fn date_key(cell: &Cell) -> (chrono::NaiveDate, u8) {
    match cell {
        Cell::Date(d) => (*d, 1),
        Cell::DateBetween(Some(a), _) => (*a, 2),
        Cell::DateBetween(None, _) => (chrono::NaiveDate::MIN, 0),
        _ => (chrono::NaiveDate::MIN, 0),
    }
}

fn number_range(run: &[(Cell, bool)]) -> Values {
    if let [(Cell::Number(x), _)] = run {
        return Values::Number { value: *x };
    }
    let from = match run.first() {
        Some((Cell::Number(x), _)) => Some(Bound {
            value: *x,
            inclusive: true,
        }),
        Some((Cell::NumberBetween(Some(a), _), _)) => Some(Bound {
            value: *a,
            inclusive: false,
        }),
        _ => None,
    };
    let to = match run.last() {
        Some((Cell::Number(x), _)) => Some(Bound {
            value: *x,
            inclusive: true,
        }),
        Some((Cell::NumberBetween(_, Some(b)), _)) => Some(Bound {
            value: *b,
            inclusive: false,
        }),
        _ => None,
    };
    Values::Numbers { from, to }
}

fn date_range(run: &[(Cell, bool)]) -> Values {
    if let [(Cell::Date(d), _)] = run {
        return Values::Date {
            value: d.to_string(),
        };
    }
    // Days are whole: an open end is the day after (or before) it.
    let from = match run.first() {
        Some((Cell::Date(d), _)) => Some(*d),
        Some((Cell::DateBetween(Some(a), _), _)) => a.succ_opt(),
        _ => None,
    };
    let to = match run.last() {
        Some((Cell::Date(d), _)) => Some(*d),
        Some((Cell::DateBetween(_, Some(b)), _)) => b.pred_opt(),
        _ => None,
    };
    if let (Some(from), Some(to)) = (from, to) {
        if from == to {
            return Values::Date {
                value: from.to_string(),
            };
        }
    }
    Values::Dates {
        from: from.map(|d| d.to_string()),
        to: to.map(|d| d.to_string()),
    }
}

impl Values {
    /// Whether `value` (a proposal's JSON at the field, `None` when not
    /// given) is one of these values. Decided from the description alone,
    /// so a test can hold the description to what the check does.
    pub fn admits(
        &self,
        value: Option<&serde_json::Value>,
        date_compared: bool,
        object_apart: bool,
    ) -> bool {
        use serde_json::Value as Json;
        let value = match value {
            None | Some(Json::Null) => return matches!(self, Values::NotGiven),
            Some(v) => v,
        };
        let as_date = |v: &Json| {
            v.as_str()
                .filter(|_| date_compared)
                .and_then(crate::proposal::parse_iso_date)
        };
        match self {
            Values::NotGiven => !object_apart && matches!(value, Json::Object(_)),
            Values::Number { value: x } => value.as_f64() == Some(*x) && value.is_number(),
            Values::Numbers { from, to } => match value {
                Json::Number(n) => n.as_f64().is_some_and(|x| {
                    from.is_none_or(|b| {
                        if b.inclusive {
                            x >= b.value
                        } else {
                            x > b.value
                        }
                    }) && to.is_none_or(|b| {
                        if b.inclusive {
                            x <= b.value
                        } else {
                            x < b.value
                        }
                    })
                }),
                _ => false,
            },
            Values::Date { value: d } => as_date(value).is_some_and(|x| x.to_string() == *d),
            Values::Dates { from, to } => as_date(value).is_some_and(|x| {
                let x = x.to_string();
                from.as_ref().is_none_or(|f| x >= *f) && to.as_ref().is_none_or(|t| x <= *t)
            }),
            Values::Text { value: s } => value.as_str() == Some(s.as_str()),
            Values::OtherText {
                containing,
                looked_for,
                other_than,
            } => value.as_str().is_some_and(|s| {
                as_date(value).is_none()
                    && !other_than.iter().any(|t| t == s)
                    && looked_for
                        .iter()
                        .all(|l| s.contains(l.as_str()) == containing.contains(l))
            }),
            Values::Bool { value: b } => value.as_bool() == Some(*b),
            Values::List {
                including,
                looked_for,
            } => value.as_array().is_some_and(|items| {
                looked_for.iter().all(|l| {
                    let held = items.iter().any(|i| same(i, l));
                    held == including.iter().any(|x| same(x, l))
                })
            }),
            Values::Object => value.is_object(),
            Values::Relation { .. } => true,
        }
    }
}

/// Equality of two JSON values as a condition's `contains` sees them:
/// numbers as numbers.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

impl Condition {
    /// Whether the proposal fields `fields` meet this condition (one of its
    /// values), decided from the description alone.
    pub fn admits(&self, fields: &serde_json::Map<String, serde_json::Value>) -> bool {
        if self
            .values
            .iter()
            .any(|v| matches!(v, Values::Relation { .. }))
        {
            // Fields compared with each other: said, not decided here.
            return true;
        }
        let value = crate::check::logic::field(fields, &self.field);
        let object_apart = self.values.iter().any(|v| matches!(v, Values::Object));
        self.values
            .iter()
            .any(|v| v.admits(value, self.compared_as_dates, object_apart))
    }
}
