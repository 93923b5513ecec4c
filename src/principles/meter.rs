//! The one work budget every step of a principle counts against.
//!
//! Rhai counts operations on a copy of its run-time state whenever a native
//! function (`all`, `map`, `sort`, ...) calls back into script code, and
//! drops that copy's count when the call returns (rhai 1.27,
//! `NativeCallContext::_call_fn_raw` writes it back only under a cfg the
//! published crate never sets). So Rhai's own `max_operations` sees none of
//! the work done inside closures. This meter does not rely on Rhai's count:
//! Rhai calls the engine's progress callback for every operation, wherever
//! it runs, and the callback charges the meter installed for the principle
//! being evaluated on this thread.
//!
//! Work is counted in steps: one per Rhai operation, plus the size of every
//! value a principle reads from a variable (see [`size_in_steps`]), because
//! one operation on a large value (`text.index_of(..)` on a long proposal
//! field) does work in proportion to its size. Steps depend only on the
//! principle and the proposal, never on the machine, so a decision stays a
//! pure function of its inputs. A wall-clock ceiling stays as a backstop
//! that no principle within its step budget reaches.
//!
//! Once a limit stops a principle, the meter stays stopped: every later
//! step fails at once, so a native function that swallows the error (as
//! Rhai's `sort` and `dedup` do with their comparators) cannot carry on,
//! and the principle is reported as `error` whatever it returned.

use rhai::Dynamic;
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// The most steps one principle may take for one proposal.
pub const STEPS_PER_PRINCIPLE: u64 = 100_000;
/// The most steps all the principles of one check may take together.
pub const STEPS_PER_CHECK: u64 = 2 * STEPS_PER_PRINCIPLE;
/// Items of a list or entries of a map that count as one step when a
/// principle reads a value or a native function builds one. Calibrated on
/// the costliest use of a list we know (sorting it, or writing it out as
/// text), so that building a list of a thousand items one `push` at a time
/// (Rhai re-measures the list after every push) stays within budget.
pub const ITEMS_PER_STEP: usize = 16;
/// Bytes of text that count as one step when a principle reads a value or
/// a native function builds one (`pad`, `replace`). Calibrated on the
/// costliest use of a text we know: splitting it into single characters.
pub const TEXT_BYTES_PER_STEP: usize = 16;
/// The wall-clock backstop for one principle. The step budget is the rule;
/// this only catches a principle on a machine far slower than the one the
/// budget was calibrated on.
pub const WALL_CLOCK_CEILING: Duration = Duration::from_secs(1);
/// How many steps go by between two looks at the clock.
const STEPS_PER_CLOCK_LOOK: u64 = 256;

/// What stopped a principle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// It used up its own budget of [`STEPS_PER_PRINCIPLE`] steps.
    PrincipleBudget,
    /// The principles before it had used up the check's budget of
    /// [`STEPS_PER_CHECK`] steps.
    CheckBudget,
    /// It ran past [`WALL_CLOCK_CEILING`].
    WallClock,
}

/// The steps left for the principles of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckBudget {
    remaining: u64,
}

impl Default for CheckBudget {
    fn default() -> Self {
        Self::new()
    }
}

impl CheckBudget {
    /// A full budget of [`STEPS_PER_CHECK`] steps.
    pub fn new() -> Self {
        CheckBudget {
            remaining: STEPS_PER_CHECK,
        }
    }
}

/// The meter of the principle running on this thread.
struct Meter {
    used: u64,
    limit: u64,
    /// Whether `limit` is the check's remainder rather than the
    /// principle's own budget.
    limit_is_check: bool,
    started: Instant,
    next_clock_look: u64,
    stop: Option<Stop>,
    /// What reading the proposal costs, known in advance.
    proposal_steps: u64,
}

thread_local! {
    static METER: RefCell<Option<Meter>> = const { RefCell::new(None) };
}

/// What one metered run used.
pub(crate) struct Metered<T> {
    pub value: T,
    pub steps: u64,
    pub stop: Option<Stop>,
}

/// Runs `f` with a meter installed on this thread, charging `budget` for
/// the steps it takes. Returns `None` for the value when the budget was
/// already empty (then `f` does not run).
///
/// `proposal_steps` is what reading the proposal costs, worked out once by
/// the [`super::ProposalScope`] the principle runs in.
pub(crate) fn metered<T>(
    budget: &mut CheckBudget,
    proposal_steps: u64,
    f: impl FnOnce() -> T,
) -> Metered<Option<T>> {
    if budget.remaining == 0 {
        return Metered {
            value: None,
            steps: 0,
            stop: Some(Stop::CheckBudget),
        };
    }
    let limit_is_check = budget.remaining < STEPS_PER_PRINCIPLE;
    let limit = budget.remaining.min(STEPS_PER_PRINCIPLE);
    let previous = METER.with(|m| {
        m.borrow_mut().replace(Meter {
            used: 0,
            limit,
            limit_is_check,
            started: Instant::now(),
            next_clock_look: STEPS_PER_CLOCK_LOOK,
            stop: None,
            proposal_steps,
        })
    });
    let value = f();
    let meter = METER.with(|m| std::mem::replace(&mut *m.borrow_mut(), previous));
    let (steps, stop) = meter.map_or((0, None), |m| (m.used.min(m.limit), m.stop));
    budget.remaining = budget.remaining.saturating_sub(steps);
    Metered {
        value: Some(value),
        steps,
        stop,
    }
}

/// Charges `steps` to the running principle. `false` means stop now: a
/// limit is reached (now or earlier). With no meter installed (compiling),
/// nothing is charged.
pub(crate) fn charge(steps: u64) -> bool {
    METER.with(|m| {
        let mut slot = m.borrow_mut();
        let Some(meter) = slot.as_mut() else {
            return true;
        };
        if meter.stop.is_some() {
            return false;
        }
        meter.used = meter.used.saturating_add(steps);
        if meter.used > meter.limit {
            meter.stop = Some(if meter.limit_is_check {
                Stop::CheckBudget
            } else {
                Stop::PrincipleBudget
            });
            return false;
        }
        if meter.used >= meter.next_clock_look {
            meter.next_clock_look = meter.used.saturating_add(STEPS_PER_CLOCK_LOOK);
            if meter.started.elapsed() > WALL_CLOCK_CEILING {
                meter.stop = Some(Stop::WallClock);
                return false;
            }
        }
        true
    })
}

/// What reading the proposal costs the running principle; `None` when no
/// principle is running (compiling).
pub(crate) fn proposal_steps() -> Option<u64> {
    METER.with(|m| m.borrow().as_ref().map(|meter| meter.proposal_steps))
}

/// What reading `value` costs, in steps: one per [`ITEMS_PER_STEP`]
/// elements of arrays and entries of maps, at any depth, and one per
/// [`TEXT_BYTES_PER_STEP`] bytes of text, each rounded up. Scalars cost
/// nothing beyond the read's operation.
///
/// Counting stops once it passes `cap` (the answer then only has to say
/// "too much"), and a value nested deeper than [`MAX_SIZED_DEPTH`] costs
/// `cap + 1`: the walk is bounded, and no proposal nests that deep.
pub(crate) fn size_in_steps(value: &Dynamic, cap: u64) -> u64 {
    match measure(value, cap) {
        Some((items, text_bytes)) => steps_for(items, text_bytes),
        None => cap.saturating_add(1),
    }
}

/// The elements and entries (at any depth) and the bytes of text in
/// `value`, counted until their cost passes `cap`; `None` when it nests
/// deeper than [`MAX_SIZED_DEPTH`].
pub(crate) fn measure(value: &Dynamic, cap: u64) -> Option<(u64, u64)> {
    let mut tally = Tally {
        items: 0,
        text_bytes: 0,
        cap,
    };
    tally
        .visit(value, 0)
        .then_some((tally.items, tally.text_bytes))
}

/// What `items` elements and `text_bytes` bytes of text cost, in steps.
pub(crate) fn steps_for(items: u64, text_bytes: u64) -> u64 {
    items
        .div_ceil(ITEMS_PER_STEP as u64)
        .saturating_add(text_bytes.div_ceil(TEXT_BYTES_PER_STEP as u64))
}

/// The longest map key Rhai stores inline (no allocation of its own).
const INLINE_KEY_BYTES: usize = 23;

/// The deepest nesting `size_in_steps` walks into.
pub const MAX_SIZED_DEPTH: usize = 64;

struct Tally {
    items: u64,
    text_bytes: u64,
    cap: u64,
}

impl Tally {
    fn total(&self) -> u64 {
        steps_for(self.items, self.text_bytes)
    }

    /// Adds `value`; `false` when it nests too deep to size.
    fn visit(&mut self, value: &Dynamic, depth: usize) -> bool {
        if self.total() > self.cap {
            return true;
        }
        if depth > MAX_SIZED_DEPTH {
            return false;
        }
        if value.is_string() {
            if let Some(text) = value.read_lock::<rhai::ImmutableString>() {
                self.text_bytes = self.text_bytes.saturating_add(text.len() as u64);
            }
        } else if value.is_array() {
            if let Some(array) = value.read_lock::<rhai::Array>() {
                self.items = self.items.saturating_add(array.len() as u64);
                return array.iter().all(|item| self.visit(item, depth + 1));
            }
        } else if value.is_map() {
            if let Some(map) = value.read_lock::<rhai::Map>() {
                self.items = self.items.saturating_add(map.len() as u64);
                return map.iter().all(|(key, item)| {
                    // A key is part of its entry: a short one is stored
                    // inline and costs nothing more to copy; a long one is
                    // text like any other.
                    let long = key.len().saturating_sub(INLINE_KEY_BYTES);
                    self.text_bytes = self.text_bytes.saturating_add(long as u64);
                    self.visit(item, depth + 1)
                });
            }
        } else if let Some(pointer) = value.read_lock::<rhai::FnPtr>() {
            // A closure carries the values it captured.
            self.items = self.items.saturating_add(pointer.curry().len() as u64);
            return pointer
                .curry()
                .iter()
                .all(|item| self.visit(item, depth + 1));
        }
        true
    }
}
