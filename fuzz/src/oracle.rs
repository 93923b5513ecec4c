//! A second, independent count of a principle's work, for the principles
//! target: the same Rhai packages and functions as the sandbox, no
//! operation limit of Rhai's own, and a progress callback that counts every
//! operation wherever Rhai runs it (closures called by native functions
//! included) and stops the run far past the sandbox's budget.
//!
//! Rhai's `try`/`catch` cannot catch a stop, so when this count passes
//! [`FAR_PAST_THE_BUDGET`] the code really did that much work before it
//! could finish, whatever a native function (`sort`, `dedup`, ...) did with
//! the stop afterwards: the sandbox, which charges at least one step per
//! operation, must then report `error`. Only code that reads `this` or
//! functions the sandbox does not have can run differently here, and those
//! end sooner in the sandbox (as errors), never later.

use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage,
    BasicMathPackage, BasicStringPackage, LogicPackage, MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine, Map, Scope};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Operations past which the sandbox must have stopped a principle: four
/// times its budget.
pub const FAR_PAST_THE_BUDGET: u64 = 4 * mandate::principles::MAX_OPERATIONS;

/// The counting engine.
pub struct Oracle {
    engine: Engine,
    count: Arc<AtomicU64>,
}

impl Default for Oracle {
    fn default() -> Self {
        Self::new()
    }
}

impl Oracle {
    /// An engine set up like the sandbox, but counting instead of limiting
    /// operations (its size limits are the sandbox's, so values grow no
    /// further here than there).
    pub fn new() -> Self {
        let mut engine = Engine::new_raw();
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
        engine.disable_symbol("this");
        engine.on_print(|_| {});
        engine.on_debug(|_, _, _| {});
        engine
            .set_max_call_levels(mandate::principles::MAX_CALL_LEVELS)
            .set_max_expr_depths(
                mandate::principles::MAX_EXPR_DEPTH,
                mandate::principles::MAX_FN_EXPR_DEPTH,
            )
            .set_max_string_size(mandate::principles::MAX_STRING_SIZE)
            .set_max_array_size(mandate::principles::MAX_ARRAY_SIZE)
            .set_max_map_size(mandate::principles::MAX_MAP_SIZE)
            .set_max_variables(mandate::principles::MAX_VARIABLES)
            .set_max_functions(mandate::principles::MAX_FUNCTIONS);
        engine.set_strict_variables(true);
        engine.register_fn("has_topic", has_topic);
        let count = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&count);
        // Rhai's own count (the callback's argument) restarts inside
        // native calls; count the calls instead.
        engine.on_progress(move |_| {
            let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
            (n > FAR_PAST_THE_BUDGET).then_some(Dynamic::UNIT)
        });
        Oracle { engine, count }
    }

    /// Whether `code`, run against `proposal`, does more than
    /// [`FAR_PAST_THE_BUDGET`] operations before it ends (`false` when it
    /// does not compile here).
    pub fn runs_far_past_the_budget(&self, code: &str, proposal: &Dynamic) -> bool {
        let mut scope = Scope::new();
        scope.push("proposal", Map::new());
        let Ok(ast) = self.engine.compile_with_scope(&scope, code) else {
            return false;
        };
        let mut scope = Scope::new();
        scope.push_constant_dynamic("proposal", proposal.clone());
        self.count.store(0, Ordering::Relaxed);
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.engine.eval_ast_with_scope::<Dynamic>(&mut scope, &ast)
        }));
        self.count.load(Ordering::Relaxed) > FAR_PAST_THE_BUDGET
    }
}

/// The sandbox's `has_topic`, over the same matcher: code must take the
/// same branches here as there.
fn has_topic(proposal: &mut Map, pattern: &str) -> bool {
    let Some(topics) = proposal.get("topics") else {
        return false;
    };
    let Some(topics) = topics.read_lock::<rhai::Array>() else {
        return false;
    };
    topics.iter().any(|t| {
        t.read_lock::<rhai::ImmutableString>()
            .is_some_and(|t| mandate::topic::pattern_matches(pattern, t.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::Oracle;

    fn far(code: &str) -> bool {
        let proposal = mandate::principles::to_rhai(&serde_json::json!({ "topics": ["a"] }))
            .unwrap_or_else(|e| panic!("{e}"));
        Oracle::new().runs_far_past_the_budget(code, &proposal)
    }

    #[test]
    fn counts_work_wherever_it_runs() {
        assert!(!far("true"));
        assert!(!far("let n = 0; for i in 0..1000 { n += i; } n > 0"));
        assert!(far("loop {}"));
        // The comparator's stop is swallowed by `sort`, the count is not.
        assert!(far("let a = [3, 1, 2]; a.sort(|x, y| { loop {} }); true"));
        assert!(far("[1, 2, 3].all(|x| { loop {} })"));
        // Same branches as the sandbox: has_topic is the real one.
        assert!(!far("if has_topic(proposal, \"b\") { loop {} } else { true }"));
        assert!(far("if has_topic(proposal, \"a\") { loop {} } else { true }"));
    }
}
