//! The Rhai sandbox for shared principles.
//!
//! Owns the engine set-up (only the packages principles need, every limit
//! set explicitly so debug and release builds decide alike), the
//! `has_topic` helper, compiling principle code, and mapping what a
//! principle returns to upheld / violated / error. It never reads files
//! and never prints: `print` and `debug` go nowhere.

use crate::topic::pattern_matches;
use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage,
    BasicMathPackage, BasicStringPackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine, Map, Scope, AST};
use serde::Serialize;

mod fault;
mod meter;
mod natives;
mod reads;

pub use fault::{Fault, FieldFault, Kind, LimitFault, Operation, PrincipleFault};
pub(crate) use reads::{Calls, FieldReads};

pub use meter::{
    CheckBudget, Stop, ITEMS_PER_STEP, MAX_SIZED_DEPTH, STEPS_PER_CHECK, STEPS_PER_PRINCIPLE,
    TEXT_BYTES_PER_STEP, WALL_CLOCK_CEILING,
};

/// The most operations Rhai itself counts for one principle. Rhai's count
/// misses work inside closures that native functions call, so the budget
/// that holds is [`STEPS_PER_PRINCIPLE`], counted by this module; this is a
/// second line behind it.
pub const MAX_OPERATIONS: u64 = STEPS_PER_PRINCIPLE;
/// The deepest call stack (functions calling functions) a principle may build.
pub const MAX_CALL_LEVELS: usize = 32;
/// The deepest expression nesting a principle may contain.
pub const MAX_EXPR_DEPTH: usize = 64;
/// The deepest expression nesting inside a function a principle defines.
pub const MAX_FN_EXPR_DEPTH: usize = 32;
/// The longest string a principle may build, in bytes.
pub const MAX_STRING_SIZE: usize = 16 * 1024;
/// The largest array a principle may build.
pub const MAX_ARRAY_SIZE: usize = 10_000;
/// The largest map a principle may build.
pub const MAX_MAP_SIZE: usize = 10_000;
/// The most variables a principle may have in scope at once.
pub const MAX_VARIABLES: usize = 256;
/// The most functions a principle may define.
pub const MAX_FUNCTIONS: usize = 64;

/// The sandboxed Rhai engine that compiles and runs principles.
///
/// Build it once and share it: it is `Send + Sync`.
pub struct Sandbox {
    engine: Engine,
    /// Every registered function's name and number of values, worked out
    /// the first time a principle fails (classifying the fault needs it).
    arities: std::sync::OnceLock<Vec<(String, usize)>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").finish_non_exhaustive()
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a Rhai error is, relative to the start of the principle's code
/// (1-based line, 1-based column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePosition {
    /// Line within the code.
    pub line: usize,
    /// Column within that line.
    pub column: usize,
}

/// A principle's code that Rhai cannot compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CompileError {
    /// Rhai's description, without its position suffix.
    pub message: String,
    /// Where in the code, when Rhai knows.
    pub position: Option<CodePosition>,
}

/// What evaluating one principle against one proposal gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The proposal respects the principle.
    Upheld,
    /// The proposal goes against the principle, with the principle's reason
    /// if it gave one.
    Violated(Option<String>),
    /// The principle could not be evaluated (a Rhai error, a limit, or a
    /// value of the wrong type); the cause in words.
    Error(String),
}

impl Sandbox {
    /// Builds the engine: raw, with only the packages principles need, and
    /// every limit set.
    pub fn new() -> Self {
        let mut engine = Engine::new_raw();
        // Packages are registered whole; functions left out (sleep,
        // timestamp, parse_json, import, eval) do not exist at all, so
        // `Fn("sleep")` cannot reach them either.
        engine.register_global_module(ArithmeticPackage::new().as_shared_module());
        engine.register_global_module(LogicPackage::new().as_shared_module());
        engine.register_global_module(BasicStringPackage::new().as_shared_module());
        engine.register_global_module(MoreStringPackage::new().as_shared_module());
        engine.register_global_module(BasicMathPackage::new().as_shared_module());
        engine.register_global_module(BasicArrayPackage::new().as_shared_module());
        engine.register_global_module(BasicMapPackage::new().as_shared_module());
        engine.register_global_module(BasicIteratorPackage::new().as_shared_module());
        engine.register_global_module(BasicFnPackage::new().as_shared_module());
        engine.disable_symbol("eval");
        // Inside a method, `this` reads the value the method was called on
        // without a variable read, so the meter would not charge its size.
        // Principles are predicates over `proposal`; they need no methods.
        engine.disable_symbol("this");
        engine.on_print(|_| {});
        engine.on_debug(|_, _, _| {});
        engine
            .set_max_operations(MAX_OPERATIONS)
            .set_max_call_levels(MAX_CALL_LEVELS)
            .set_max_expr_depths(MAX_EXPR_DEPTH, MAX_FN_EXPR_DEPTH)
            .set_max_string_size(MAX_STRING_SIZE)
            .set_max_array_size(MAX_ARRAY_SIZE)
            .set_max_map_size(MAX_MAP_SIZE)
            .set_max_variables(MAX_VARIABLES)
            .set_max_functions(MAX_FUNCTIONS)
            .set_max_strings_interned(256);
        // A misspelt variable (`proposl.cost`) is a compile error, not a
        // silent `()`.
        engine.set_strict_variables(true);
        engine.register_fn("has_topic", has_topic);
        natives::register(&mut engine);
        // Every operation, wherever Rhai runs it (inside closures that
        // native functions call too), is charged to the running principle.
        engine.on_progress(|_| (!meter::charge(1)).then_some(Dynamic::UNIT));
        // Reading a variable charges its size: one operation on a large
        // value does work in proportion to it.
        // `on_var` is marked volatile (it may change in a later Rhai): the
        // sandbox tests would catch a change in what it does.
        #[allow(deprecated)]
        engine.on_var(|name, _, context| {
            let scope = context.scope();
            let steps = match scope.get(name) {
                // The proposal of a check's shared scope, whose size is
                // known: it is read-only and the first entry.
                Some(value)
                    if scope
                        .iter_raw()
                        .next()
                        .is_some_and(|(_, _, first)| std::ptr::eq(first, value)) =>
                {
                    meter::proposal_steps()
                        .unwrap_or_else(|| meter::size_in_steps(value, STEPS_PER_CHECK))
                }
                Some(value) => meter::size_in_steps(value, STEPS_PER_CHECK),
                None => 0,
            };
            if meter::charge(steps) {
                Ok(None)
            } else {
                Err(
                    rhai::EvalAltResult::ErrorTerminated(Dynamic::UNIT, rhai::Position::NONE)
                        .into(),
                )
            }
        });
        Sandbox {
            engine,
            arities: std::sync::OnceLock::new(),
        }
    }

    /// Every function a principle can call, one signature a line
    /// (`name(type, ...) -> type`), sorted. Rhai's syntax-level functions
    /// (`type_of`, `Fn`, `call`, `curry`, `is_def_var`, ...) are part of
    /// the language and not listed. A test keeps this list, so a Rhai
    /// upgrade that adds a function fails until someone reviews it.
    #[doc(hidden)]
    pub fn function_signatures(&self) -> Vec<String> {
        // Return types are left out: Rhai spells those of natively
        // registered functions with Rust's type names, which change
        // between compiler versions.
        let mut signatures: Vec<String> = self
            .engine
            .gen_fn_signatures(true)
            .into_iter()
            .map(|s| match s.split_once(" -> ") {
                Some((call, _)) => call.to_string(),
                None => s,
            })
            .collect();
        signatures.sort();
        signatures.dedup();
        signatures
    }

    /// Compiles a principle's code. `proposal` is the only variable in scope.
    pub fn compile(&self, code: &str) -> Result<AST, CompileError> {
        // A byte-order mark, as some editors save, reads as a space (columns stay).
        let code = &code
            .strip_prefix('\u{feff}')
            .map_or_else(|| code.to_string(), |rest| format!(" {rest}"));
        // `proposal` is declared so strict variables accepts it, but as a
        // plain variable: a constant would be folded into the code by
        // Rhai's optimiser, freezing the compile-time placeholder in place
        // of the real proposal.
        let mut scope = Scope::new();
        scope.push("proposal", Map::new());
        let compiled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.engine.compile_with_scope(&scope, code)
        }));
        match compiled {
            Ok(result) => result.map_err(|error| CompileError {
                message: error.err_type().to_string(),
                position: code_position(error.position()),
            }),
            Err(_) => Err(CompileError {
                message: "the Rhai engine failed while reading this code".into(),
                position: None,
            }),
        }
    }

    /// Runs a compiled principle against a proposal (already converted to a
    /// Rhai map with [`to_rhai`]) with a budget of its own, and maps what it
    /// returns to a verdict.
    pub fn evaluate(&self, ast: &AST, proposal: &Dynamic) -> (Verdict, Option<CodePosition>) {
        let run = self.evaluate_within(ast, proposal, &mut CheckBudget::new());
        (run.verdict, run.position)
    }

    /// Runs a compiled principle against a proposal, charging `budget` (the
    /// steps left for this check's principles) for the work it does.
    ///
    /// A principle stopped by any limit is [`Verdict::Error`], whatever it
    /// returned: a native function that swallowed the stop cannot make it
    /// upheld. Not knowing what the code reads of the proposal, the fault
    /// of an error never blames a proposal field: use
    /// [`Sandbox::evaluate_reading`] for that.
    pub fn evaluate_within(
        &self,
        ast: &AST,
        proposal: &Dynamic,
        budget: &mut CheckBudget,
    ) -> Evaluation {
        self.evaluate_reading(ast, &FieldReads::unknown(), proposal, budget)
    }

    /// As [`Sandbox::evaluate_within`], knowing what the principle's code
    /// reads of the proposal (`FieldReads::of(code)`, worked out once when
    /// the code is compiled), so an error's [`Fault`] can name the field
    /// whose value did not fit.
    pub(crate) fn evaluate_reading(
        &self,
        ast: &AST,
        reads: &FieldReads,
        proposal: &Dynamic,
        budget: &mut CheckBudget,
    ) -> Evaluation {
        let mut scope = ProposalScope::new(proposal.clone());
        self.evaluate_in(ast, reads, &mut scope, budget)
    }

    /// As [`Sandbox::evaluate_within`], in a [`ProposalScope`] that every
    /// principle of one check shares: the proposal is converted once, and
    /// no principle gets a copy of its own.
    pub fn evaluate_shared(
        &self,
        ast: &AST,
        shared: &mut ProposalScope,
        budget: &mut CheckBudget,
    ) -> Evaluation {
        self.evaluate_in(ast, &FieldReads::unknown(), shared, budget)
    }

    /// As [`Sandbox::evaluate_reading`], in a [`ProposalScope`].
    pub(crate) fn evaluate_in(
        &self,
        ast: &AST,
        reads: &FieldReads,
        shared: &mut ProposalScope,
        budget: &mut CheckBudget,
    ) -> Evaluation {
        // Rhai has internal assertions (`unreachable!`) that odd code has
        // reached before; a principle must never take the check down.
        let run = meter::metered(budget, shared.steps, || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                self.engine
                    .eval_ast_with_scope::<Dynamic>(&mut shared.scope, ast)
            }))
        });
        shared.restore();
        let proposal = shared.proposal();
        let (verdict, position, fault) = match (run.stop, run.value) {
            (Some(stop), value) => {
                let ran = value.is_some();
                let position = match value {
                    Some(Ok(Err(error))) => error_position(&error),
                    _ => None,
                };
                let limit = match stop {
                    Stop::PrincipleBudget => LimitFault::Steps,
                    Stop::CheckBudget if ran => LimitFault::CheckSteps,
                    Stop::CheckBudget => LimitFault::NotRun,
                    Stop::WallClock => LimitFault::Time,
                };
                (
                    Verdict::Error(describe_stop(stop, ran)),
                    position,
                    Some(Fault::Limit(limit)),
                )
            }
            (None, Some(Ok(Ok(value)))) => {
                let verdict = verdict_of(value);
                let fault = matches!(verdict, Verdict::Error(_))
                    .then_some(Fault::Principle(PrincipleFault::WrongResult));
                (verdict, None, fault)
            }
            (None, Some(Ok(Err(error)))) => {
                let cx = fault::Context {
                    engine: &self.engine,
                    ast,
                    reads,
                    proposal,
                    arities: self.arities(),
                };
                (
                    Verdict::Error(describe_runtime_error(&error)),
                    error_position(&error),
                    Some(fault::classify(innermost(&error).0, &cx)),
                )
            }
            (None, Some(Err(_)) | None) => (
                Verdict::Error("the Rhai engine failed inside this principle".into()),
                None,
                Some(Fault::Unclear { operation: None }),
            ),
        };
        Evaluation {
            verdict,
            position,
            steps: run.steps,
            fault,
        }
    }

    /// Every registered function's name (once per way of calling it) and
    /// number of values; `validate` checks the names principles call
    /// against it.
    pub(crate) fn arities(&self) -> &[(String, usize)] {
        self.arities.get_or_init(|| {
            self.function_signatures()
                .iter()
                .filter_map(|s| {
                    let (name, rest) = s.split_once('(')?;
                    let params = rest.strip_suffix(')')?;
                    let count = if params.trim().is_empty() {
                        0
                    } else {
                        params.split(", ").count()
                    };
                    Some((name.to_string(), count))
                })
                .collect()
        })
    }
}

/// The proposal as the principles of one check read it.
///
/// It is converted to a Rhai value once per check and made read-only all
/// the way down: Rhai refuses any assignment to it or any changing call on
/// it or on a value inside it, so no principle can change what the next
/// one reads. Every principle runs in this one scope, and the scope is put
/// back as it was after each (the variables a principle declared are
/// dropped), so the order of the principles changes nothing.
pub struct ProposalScope {
    /// `proposal` and nothing else, between runs.
    scope: Scope<'static>,
    /// What reading the variable `proposal` costs (see
    /// [`meter::size_in_steps`]), worked out once: it cannot change.
    steps: u64,
}

impl std::fmt::Debug for ProposalScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProposalScope")
            .field("steps", &self.steps)
            .finish_non_exhaustive()
    }
}

impl ProposalScope {
    /// The scope for a proposal already converted to Rhai (with
    /// [`proposal_to_rhai`] or [`to_rhai`]).
    pub fn new(proposal: Dynamic) -> Self {
        let proposal = proposal.into_read_only();
        let steps = meter::size_in_steps(&proposal, STEPS_PER_CHECK);
        let mut scope = Scope::new();
        // A constant as well as read-only inside: assigning to `proposal`
        // itself is refused too.
        scope.push_constant_dynamic("proposal", proposal);
        ProposalScope { scope, steps }
    }

    /// The proposal.
    fn proposal(&self) -> &Dynamic {
        match self.scope.iter_raw().next() {
            Some((_, _, value)) => value,
            None => &Dynamic::UNIT,
        }
    }

    /// Puts the scope back as it was before a principle ran.
    fn restore(&mut self) {
        self.scope.rewind(1);
        // A closure that captured `proposal` turned the variable into a
        // shared value in place. Its contents are unchanged (read-only);
        // the next principle gets them as a plain value again.
        if self.proposal().is_shared() {
            let value = self.proposal().flatten_clone().into_read_only();
            self.scope.clear();
            self.scope.push_constant_dynamic("proposal", value);
        }
    }
}

/// What one evaluation of a principle gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    /// Upheld, violated or error.
    pub verdict: Verdict,
    /// Where in the principle's code an error arose, when Rhai knows.
    pub position: Option<CodePosition>,
    /// The steps of work it took (see [`STEPS_PER_PRINCIPLE`]).
    pub steps: u64,
    /// For an error, which side is at fault, as facts
    /// (`crate::wording::fault` words them); `None` otherwise.
    pub fault: Option<Fault>,
}

fn describe_stop(stop: Stop, ran: bool) -> String {
    match stop {
        Stop::PrincipleBudget => format!(
            "it ran for more than {STEPS_PER_PRINCIPLE} operations (an endless or very long loop, or repeated work on very large values?)"
        ),
        Stop::CheckBudget if ran => format!(
            "the principles of this check may run for {STEPS_PER_CHECK} operations together, and they ran out while this one was running"
        ),
        Stop::CheckBudget => format!(
            "it was not run: the principles of this check may run for {STEPS_PER_CHECK} operations together, and the ones before it used them all"
        ),
        Stop::WallClock => format!(
            "it ran for more than {} second{} of time, the limit that stops a principle on a machine far slower than usual",
            WALL_CLOCK_CEILING.as_secs(),
            if WALL_CLOCK_CEILING.as_secs() == 1 { "" } else { "s" }
        ),
    }
}

/// Converts a proposal's JSON object (or any JSON value) into the Rhai
/// value principles read.
pub fn to_rhai(value: &impl Serialize) -> Result<Dynamic, String> {
    rhai::serde::to_dynamic(value).map_err(|e| e.to_string())
}

/// Converts a proposal's fields into the Rhai map principles read: the
/// value [`to_rhai`] gives for the same JSON (a test holds them equal),
/// built directly instead of through serde's machinery, which costs most
/// of a short principle's run. The proposal's nesting is bounded when it
/// is read, so the recursion is too.
pub fn proposal_to_rhai(fields: &serde_json::Map<String, serde_json::Value>) -> Dynamic {
    Dynamic::from_map(map_to_rhai(fields))
}

fn map_to_rhai(fields: &serde_json::Map<String, serde_json::Value>) -> Map {
    fields
        .iter()
        .map(|(key, value)| (key.as_str().into(), json_to_rhai(value)))
        .collect()
}

fn json_to_rhai(value: &serde_json::Value) -> Dynamic {
    use serde_json::Value as Json;
    match value {
        Json::Null => Dynamic::UNIT,
        Json::Bool(b) => Dynamic::from_bool(*b),
        // As serde gives them: a whole number that fits Rhai's integer is
        // one, a larger one is a float, and a float stays a float.
        Json::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => rhai::INT::try_from(u)
                .map_or(Dynamic::from_float(u as rhai::FLOAT), Dynamic::from_int),
            (None, Some(i)) => Dynamic::from_int(i),
            (None, None) => n.as_f64().map_or(Dynamic::UNIT, Dynamic::from_float),
        },
        Json::String(text) => Dynamic::from(rhai::ImmutableString::from(text.as_str())),
        Json::Array(items) => Dynamic::from_array(items.iter().map(json_to_rhai).collect()),
        Json::Object(fields) => Dynamic::from_map(map_to_rhai(fields)),
    }
}

/// `has_topic(proposal, "interface")`: whether any topic of the proposal
/// is covered by the pattern, with the same matching as the rule file.
///
/// A pattern that is not a topic (`"mental-health"`, `""`) is an error,
/// never a quiet `false`: no proposal's topic could match it, so a
/// principle asking about it would be switched off without a word.
fn has_topic(proposal: &mut Map, pattern: &str) -> Result<bool, Box<rhai::EvalAltResult>> {
    if pattern != "*" && !crate::topic::is_topic_path(pattern) {
        return Err(rhai::EvalAltResult::ErrorRuntime(
            format!(
                "`has_topic` was given \"{pattern}\", which is not a topic: topics use only letters, digits, `_` and dots"
            )
            .into(),
            rhai::Position::NONE,
        )
        .into());
    }
    let Some(topics) = proposal.get("topics") else {
        return Ok(false);
    };
    let Some(topics) = topics.read_lock::<rhai::Array>() else {
        return Ok(false);
    };
    Ok(topics.iter().any(|t| {
        t.read_lock::<rhai::ImmutableString>()
            .is_some_and(|t| pattern_matches(pattern, t.as_str()))
    }))
}

fn code_position(position: rhai::Position) -> Option<CodePosition> {
    Some(CodePosition {
        line: position.line()?,
        column: position.position().unwrap_or(1),
    })
}

/// The error that started it all, and the functions it happened inside
/// (outermost first). Rhai wraps an error raised inside a function in one
/// error per call, each with a position of its own; only the innermost
/// says where the mistake is.
fn innermost(mut error: &rhai::EvalAltResult) -> (&rhai::EvalAltResult, Vec<String>) {
    let mut inside = Vec::new();
    while let rhai::EvalAltResult::ErrorInFunctionCall(name, _, inner, _) = error {
        inside.push(if name.starts_with("anon$") {
            "a closure".to_string()
        } else {
            format!("function `{name}`")
        });
        error = inner;
    }
    (error, inside)
}

/// Where the error arose, in the principle's code: the innermost position
/// Rhai knows, or the outermost call's.
fn error_position(error: &rhai::EvalAltResult) -> Option<CodePosition> {
    let (inner, _) = innermost(error);
    code_position(inner.position()).or_else(|| code_position(error.position()))
}

fn describe_runtime_error(error: &rhai::EvalAltResult) -> String {
    use rhai::EvalAltResult as E;
    let (error, inside) = innermost(error);
    let text = match error {
        E::ErrorTooManyOperations(_) => format!(
            "it ran for more than {MAX_OPERATIONS} operations (an endless or very long loop?)"
        ),
        E::ErrorStackOverflow(_) => format!(
            "it called functions more than {MAX_CALL_LEVELS} levels deep (endless recursion?)"
        ),
        E::ErrorDataTooLarge(what, _) => format!("it built a value that is too large ({what})"),
        E::ErrorTooManyVariables(_) => {
            format!("it used more than {MAX_VARIABLES} variables")
        }
        E::ErrorNonPureMethodCallOnConstant(function, _) => format!(
            "it called `{function}`, which changes the value it is called on, on the proposal or a value inside it; a principle may only read the proposal: change a copy instead (`let copy = proposal.field;`)"
        ),
        E::ErrorAssignmentToConstant(name, _) => format!(
            "it tried to change `{name}`, which is read-only; a principle may only read the proposal: change a copy instead (`let copy = proposal.field;`)"
        ),
        other => strip_position(&other.to_string()),
    };
    match inside.first() {
        Some(outermost) => format!("{text}, inside {outermost}"),
        None => text,
    }
}

/// Rhai appends " (line L, position P)" to its messages; the caller reports
/// the position against the rule file instead.
fn strip_position(text: &str) -> String {
    match text.rfind(" (line ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text.to_string(),
    }
}

fn verdict_of(value: Dynamic) -> Verdict {
    if let Some(upheld) = value.clone().try_cast::<bool>() {
        return if upheld {
            Verdict::Upheld
        } else {
            Verdict::Violated(None)
        };
    }
    if value.is_string() {
        return Verdict::Violated(Some(value.to_string()));
    }
    if let Some(map) = value.clone().try_cast::<Map>() {
        let upheld = map.get("upheld").and_then(|v| v.clone().try_cast::<bool>());
        let reason = match map.get("reason") {
            None => Ok(None),
            Some(r) if r.is_unit() => Ok(None),
            Some(r) if r.is_string() => Ok(Some(r.to_string())),
            Some(r) => Err(r.type_name()),
        };
        return match (upheld, reason) {
            (Some(true), Ok(_)) => Verdict::Upheld,
            (Some(false), Ok(reason)) => Verdict::Violated(reason),
            (None, _) => Verdict::Error(
                "it returned a map without a true/false `upheld`; return #{ upheld: true, reason: \"...\" }".into(),
            ),
            (_, Err(kind)) => Verdict::Error(format!(
                "its `reason` is {kind}, not a text"
            )),
        };
    }
    Verdict::Error(format!(
        "it returned {}, but a principle must return true, false, a reason text, or #{{ upheld: ..., reason: \"...\" }}",
        describe_type(&value)
    ))
}

fn describe_type(value: &Dynamic) -> String {
    if value.is_unit() {
        return "nothing (`()`)".into();
    }
    let kind = match value.type_name() {
        "i64" | "i32" => "a whole number",
        "f64" | "f32" => "a decimal number",
        "char" => "a single character",
        "array" => "a list",
        "map" => "a map",
        "Fn" => "a function",
        other => return format!("a value of type `{other}`"),
    };
    format!("{kind} ({value})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(code: &str, proposal: serde_json::Value) -> Verdict {
        let sandbox = Sandbox::new();
        let ast = match sandbox.compile(code) {
            Ok(ast) => ast,
            Err(e) => return Verdict::Error(format!("compile: {e}")),
        };
        let proposal = to_rhai(&proposal).unwrap_or(Dynamic::UNIT);
        sandbox.evaluate(&ast, &proposal).0
    }

    #[test]
    fn results_map_to_verdicts() {
        let p = serde_json::json!({"title": "t", "topics": ["interface.outpatients"]});
        assert_eq!(run("true", p.clone()), Verdict::Upheld);
        assert_eq!(run("false", p.clone()), Verdict::Violated(None));
        assert_eq!(
            run("\"too costly\"", p.clone()),
            Verdict::Violated(Some("too costly".into()))
        );
        assert_eq!(
            run("#{ upheld: false, reason: \"no\" }", p.clone()),
            Verdict::Violated(Some("no".into()))
        );
        assert_eq!(run("#{ upheld: true }", p.clone()), Verdict::Upheld);
        assert!(matches!(run("42", p.clone()), Verdict::Error(_)));
        assert!(matches!(run("#{ reason: \"x\" }", p), Verdict::Error(_)));
    }

    #[test]
    fn missing_fields_read_as_unit_and_default_with_coalesce() {
        let p = serde_json::json!({"title": "t", "topics": ["a"]});
        assert_eq!(
            run(
                "let c = proposal.changes ?? []; !c.contains(\"x\")",
                p.clone()
            ),
            Verdict::Upheld
        );
        assert_eq!(run("proposal.cost == ()", p), Verdict::Upheld);
    }

    #[test]
    fn has_topic_uses_the_topic_matcher() {
        let p = serde_json::json!({"title": "t", "topics": ["interface.outpatients"]});
        assert_eq!(
            run("has_topic(proposal, \"interface\")", p.clone()),
            Verdict::Upheld
        );
        assert_eq!(
            run("has_topic(proposal, \"interfaces\")", p.clone()),
            Verdict::Violated(None)
        );
        assert_eq!(run("has_topic(proposal, \"*\")", p), Verdict::Upheld);
    }

    /// A text that is not a topic can match no proposal: asking about it is
    /// an error (the principle is `error`, so the answer is at least
    /// refer), not a quiet false that switches the principle off.
    #[test]
    fn has_topic_given_a_text_that_is_not_a_topic_is_an_error() {
        let p = serde_json::json!({"title": "t", "topics": ["mental_health"]});
        for text in ["mental-health", "mental health", "", "mental_health."] {
            let code = format!("!has_topic(proposal, \"{text}\")");
            match run(&code, p.clone()) {
                Verdict::Error(why) => assert!(why.contains("not a topic"), "{text}: {why}"),
                other => panic!("{text:?}: expected an error, got {other:?}"),
            }
        }
    }

    #[test]
    fn a_misspelt_variable_is_a_compile_error() {
        let sandbox = Sandbox::new();
        let error = sandbox.compile("proposl.cost > 5").err();
        assert!(error.is_some_and(|e| e.message.contains("proposl")));
    }
}
