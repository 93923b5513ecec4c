//! The Rhai sandbox: every runaway kind ends as an `error` verdict, never a
//! hang, a crash or an upheld principle; nothing outside is reachable.

use mandate::principles::{to_rhai, Sandbox, Verdict};

fn proposal() -> rhai::Dynamic {
    let json = serde_json::json!({
        "title": "t",
        "topics": ["interface.outpatients"],
        "cost": 30000,
        "changes": ["referral_pathway"]
    });
    match to_rhai(&json) {
        Ok(value) => value,
        Err(error) => panic!("test proposal does not convert: {error}"),
    }
}

/// Compiles and runs `code`; a compile error counts as an error verdict.
fn run(code: &str) -> Verdict {
    let sandbox = Sandbox::new();
    match sandbox.compile(code) {
        Ok(ast) => sandbox.evaluate(&ast, &proposal()).0,
        Err(error) => Verdict::Error(format!("compile: {error}")),
    }
}

fn assert_error(code: &str, cause: &str) {
    assert_error_of(code, &[cause]);
}

/// An error whose text mentions one of `causes`.
fn assert_error_of(code: &str, causes: &[&str]) {
    match run(code) {
        Verdict::Error(text) => assert!(
            causes.iter().any(|c| text.to_lowercase().contains(c)),
            "{code:?}: error {text:?} does not mention any of {causes:?}"
        ),
        other => panic!("{code:?} gave {other:?}, expected an error"),
    }
}

#[test]
fn an_endless_loop_hits_the_operation_limit() {
    assert_error("loop {} ; true", "operations");
    assert_error("while true { let x = 1; } true", "operations");
    assert_error(
        "let n = 0; for i in 0..1_000_000_000 { n += 1; } true",
        "operations",
    );
}

#[test]
fn endless_recursion_hits_the_call_depth_limit() {
    assert_error("fn f(x) { f(x + 1) } f(0)", "levels deep");
}

#[test]
fn huge_values_hit_the_size_limits() {
    assert_error("let s = \"x\"; loop { s += s; }", "too large");
    assert_error("let a = [1]; loop { a += a; }", "too large");
    // Refused before the result is built, not after gigabytes.
    assert_error(
        "let s = \"a\"; s.pad(10000, \"a\"); s.replace(\"a\", s); true",
        "too large",
    );
    assert_error(
        "let s = \"ab\"; s.pad(10000, \"b\"); s.replace('a', s); true",
        "too large",
    );
    // A map grows one entry per iteration: whichever limit comes first.
    assert_error_of(
        "let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; }",
        &["too large", "operations"],
    );
}

#[test]
fn deep_expressions_are_refused_at_compile_time() {
    let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
    assert_error(&deep, "compile");
}

#[test]
fn wrong_return_types_are_errors() {
    assert_error("42", "a principle must return");
    assert_error("()", "nothing");
    assert_error("[true]", "a principle must return");
    assert_error("#{ reason: \"x\" }", "upheld");
    assert_error("#{ upheld: false, reason: 7 }", "reason");
}

#[test]
fn runtime_errors_are_errors_with_their_cause() {
    assert_error("throw \"boom\"", "boom");
    assert_error("let x = 1 / 0; true", "division");
    assert_error("proposal.cost.no_such_method()", "not found");
}

#[test]
fn the_outside_world_is_not_reachable() {
    // No clock, no sleeping, no files, no eval, no modules.
    assert_error("sleep(10); true", "not found");
    assert_error("Fn(\"sleep\").call(10); true", "not found");
    assert_error("timestamp(); true", "not found");
    assert_error("eval(\"true\")", "compile");
    assert_error("import \"x\" as x; true", "compile");
    assert_error("parse_json(\"{}\"); true", "not found");
}

#[test]
fn print_and_debug_go_nowhere_and_do_not_fail() {
    // Output would corrupt JSON on stdout; the principle still works.
    assert_eq!(run("print(\"hello\"); debug(1); true"), Verdict::Upheld);
}

#[test]
fn the_proposal_cannot_be_changed_by_a_principle() {
    assert_error("proposal.cost = 0; true", "constant");
}

#[test]
fn ordinary_principles_work_within_the_limits() {
    assert_eq!(
        run("let c = proposal.changes ?? []; !c.contains(\"employment_model\")"),
        Verdict::Upheld
    );
    assert_eq!(
        run("let total = 0; for i in 0..1000 { total += i; } total > 0"),
        Verdict::Upheld
    );
    assert_eq!(
        run("let s = \"a-b-c\"; s.replace(\"-\", \"+\"); s == \"a+b+c\""),
        Verdict::Upheld
    );
    assert_eq!(
        run("let f = |x| x * 2; if f.call(proposal.cost) > 50_000 { \"too dear\" } else { true }"),
        Verdict::Violated(Some("too dear".into()))
    );
}
