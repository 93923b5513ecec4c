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
    assert_error("proposal.cost = 0; true", "read-only");
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

/// Issue 11, defect 1: work done inside closures that Rhai's native array
/// functions call must count against the principle's one budget.
#[test]
fn closures_called_by_native_functions_count_against_the_budget() {
    let spin = "{ let n = 0; while n < 2_000 { n += 1; } true }";
    for call in [
        format!("a.all(|x| {spin})"),
        format!("a.map(|x| {spin}); true"),
        format!("a.filter(|x| {spin}); true"),
        format!("a.retain(|x| {spin}); true"),
        format!("a.reduce(|s, x| {spin}, 0); true"),
        format!("a.index_of(|x| {{ {spin}; false }}) < 0"),
        format!("a.zip(a, |x, y| {spin}); true"),
        format!("a.some(|x| {{ {spin}; false }}) == false"),
        format!(
            "let m = #{{}}; for i in 0..500 {{ m[`k${{i}}`] = i; }} m.filter(|k, v| {spin}); true"
        ),
    ] {
        let code = format!("let a = []; for i in 0..500 {{ a.push(i); }} {call}");
        assert_error(&code, "operations");
    }
}

/// Issue 11, defect 2: a comparator that throws or runs away is an error.
#[test]
fn sort_and_dedup_comparators_that_fail_are_errors() {
    let list = "let a = [5, 3, 1, 4, 2, 2, 3];";
    assert_error(&format!("{list} a.sort(|x, y| throw \"no\"); true"), "no");
    assert_error(
        &format!("{list} a.sort_by(|x, y| throw \"no\"); true"),
        "no",
    );
    assert_error(&format!("{list} a.dedup(|x, y| throw \"no\"); true"), "no");
    assert_error(
        &format!("{list} a.sort(|x, y| {{ loop {{}} }}); true"),
        "operations",
    );
    assert_error(
        &format!("{list} a.dedup(|x, y| {{ loop {{}} }}); true"),
        "operations",
    );
}

/// The largest proposal a principle can be given: a text and a list near
/// the proposal size limit (1 MiB).
pub fn largest_proposal() -> rhai::Dynamic {
    let json = serde_json::json!({
        "title": "t",
        "topics": ["interface.outpatients"],
        "text": "ab".repeat(450_000),
        "list": (0..10_000).collect::<Vec<i64>>(),
    });
    match to_rhai(&json) {
        Ok(value) => value,
        Err(error) => panic!("test proposal does not convert: {error}"),
    }
}

/// Every principle in `tests/data/principles/hostile/` ends as an error,
/// never upheld or violated, however it tries to run away.
#[test]
fn every_hostile_principle_is_an_error() {
    let sandbox = Sandbox::new();
    let proposal = largest_proposal();
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/principles/hostile");
    let mut files: Vec<_> = match std::fs::read_dir(&folder) {
        Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(error) => panic!("cannot read {}: {error}", folder.display()),
    };
    files.sort();
    assert!(files.len() >= 30, "the hostile corpus is missing");
    for path in files {
        let code = match std::fs::read_to_string(&path) {
            Ok(code) => code,
            Err(error) => panic!("cannot read {}: {error}", path.display()),
        };
        let ast = match sandbox.compile(&code) {
            Ok(ast) => ast,
            Err(error) => panic!("{} does not compile: {error}", path.display()),
        };
        let started = std::time::Instant::now();
        let run = sandbox.evaluate_within(
            &ast,
            &proposal,
            &mut mandate::principles::CheckBudget::new(),
        );
        eprintln!(
            "{:>8} steps {:>6} ms  {}: {:?}",
            run.steps,
            started.elapsed().as_millis(),
            path.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default(),
            run.verdict
        );
        assert!(
            matches!(run.verdict, Verdict::Error(_)),
            "{} gave {:?}",
            path.display(),
            run.verdict
        );
    }
}

/// `this` would let a method read a value without the meter seeing it.
#[test]
fn methods_cannot_use_this() {
    assert_error(
        "fn search() { this.index_of(\"zz\") } let t = proposal.title; t.search(); true",
        "compile",
    );
}

/// Rhai's `pad`, replaced so the meter sees what it builds, keeps Rhai's
/// meaning.
#[test]
fn pad_pads_as_rhai_does() {
    assert_eq!(
        run("let s = \"hello\"; s.pad(10, \"(!)\"); s == \"hello(!)(!\""),
        Verdict::Upheld
    );
    assert_eq!(
        run("let s = \"hé\"; s.pad(4, 'é'); s == \"hééé\""),
        Verdict::Upheld
    );
    assert_eq!(
        run("let s = \"hello\"; s.pad(3, '-'); s == \"hello\""),
        Verdict::Upheld
    );
    assert_eq!(
        run("let s = \"ab\"; s.pad(-1, \"x\"); s == \"ab\""),
        Verdict::Upheld
    );
    assert_eq!(
        run("let a = [1]; a.pad(3, 0); a == [1, 0, 0]"),
        Verdict::Upheld
    );
    assert_eq!(
        run("let a = [1, 2]; a.pad(1, 0); a == [1, 2]"),
        Verdict::Upheld
    );
    assert_error("let s = \"\"; s.pad(20000, 'x'); true", "too large");
    assert_error("let a = []; a.pad(20000, 0); true", "too large");
}

/// Sorting and de-duplicating with a function keep Rhai's meaning.
#[test]
fn sort_and_dedup_sort_as_rhai_does() {
    assert_eq!(
        run("let a = [3, 1, 2]; a.sort(|x, y| x - y); a == [1, 2, 3]"),
        Verdict::Upheld
    );
    assert_eq!(
        run("let a = [3, 1, 2]; a.sort_by(|x, y| y - x); a == [3, 2, 1]"),
        Verdict::Upheld
    );
    assert_eq!(
        run("let a = [3, 1, 2]; a.sort(|x, y| x < y); a == [1, 2, 3]"),
        Verdict::Upheld
    );
    assert_eq!(
        run("let a = [1, 1, 2, 1]; a.dedup(); a == [1, 2, 1]"),
        Verdict::Upheld
    );
    assert_eq!(
        run("let a = [1, 2, 5, 6]; a.dedup(|p, c| c - p == 1); a == [1, 5]"),
        Verdict::Upheld
    );
    assert_error(
        "let a = [2, 1]; a.sort(|x, y| \"no\"); true",
        "not a number",
    );
}

/// Loads `rules` (with `scripts`) and checks a one-topic proposal for the
/// representative `r`.
fn decide(rules: &str, scripts: mandate::source::Scripts) -> mandate::Decision {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default();
    let loaded = mandate::Mandate::from_source(
        mandate::source::SourceFile {
            name: "t.mandate".into(),
            text: rules.into(),
        },
        scripts,
        day,
    );
    let Some(mandate) = loaded.mandate else {
        panic!("the test mandate has errors: {:?}", loaded.diagnostics);
    };
    let proposal = match mandate::Proposal::from_json(r#"{"title": "t", "topics": ["a"]}"#, "t") {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    };
    match mandate.check(&proposal, "r", day) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

/// Issue 11, defect 9: an error inside a closure or function is reported
/// at its own line of the rule file or script, with no position of Rhai's
/// left in the words.
#[test]
fn errors_inside_functions_are_reported_at_their_line() {
    use mandate::source::{Script, Scripts, SourceFile};
    let rules = "group \"G\" { place \"P\" }\n\
                 principle inline \"Inline\" {\n\
                   let a = [2, 1];\n\
                   a.sort(|x, y| throw \"no order\");\n\
                   true\n\
                 }\n\
                 principle scripted \"Scripted\" script \"p.rhai\"\n\
                 representative r \"R\" { may agree a }\n";
    // `to_upper` exists, for texts: given a number it fails as it runs
    // (a name no function has would be refused by `validate`).
    let script = "// A comment.\nfn check(x) {\n  x.to_upper()\n}\ncheck(1)\n";
    let mut scripts = Scripts::new();
    scripts.insert(
        "p.rhai".into(),
        Script::Loaded(SourceFile {
            name: "p.rhai".into(),
            text: script.into(),
        }),
    );
    let decision = decide(rules, scripts);
    let reasons: Vec<String> = decision
        .principles
        .iter()
        .map(|p| p.reason.clone().unwrap_or_default())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("no order") && reasons[0].contains("(at line 4)"),
        "{}",
        reasons[0]
    );
    assert!(
        reasons[1].contains("to_upper") && reasons[1].contains("(at p.rhai line 3)"),
        "{}",
        reasons[1]
    );
    for reason in &reasons {
        assert!(!reason.contains("position"), "{reason}");
    }
}

/// Issue 11, defect 6: one check has one budget for all its principles.
/// Once it is spent, the principles left are errors (so the outcome is at
/// least refer), said in plain words, and they are not run at all.
#[test]
fn all_the_principles_of_a_check_share_one_budget() {
    use mandate::source::Scripts;
    let mut rules = String::from("group \"G\" { place \"P\" }\n");
    for i in 0..2_000 {
        rules.push_str(&format!(
            "principle p{i} \"Loops {i}\" advisory {{ loop {{}} }}\n"
        ));
    }
    rules.push_str("representative r \"R\" { may agree a }\n");
    let decision = decide(&rules, Scripts::new());
    assert_eq!(decision.outcome, mandate::Outcome::Refer);
    let ran = mandate::principles::STEPS_PER_CHECK / mandate::principles::STEPS_PER_PRINCIPLE;
    for (i, p) in decision.principles.iter().enumerate() {
        let reason = p.reason.clone().unwrap_or_default();
        assert_eq!(
            p.result,
            mandate::check::PrincipleOutcome::Error,
            "{}",
            p.id
        );
        if (i as u64) < ran {
            assert!(reason.contains("more than"), "{}: {reason}", p.id);
        } else {
            assert!(reason.starts_with("it was not run"), "{}: {reason}", p.id);
        }
    }
}

/// Every function a principle can call. A Rhai upgrade (or a change to the
/// sandbox) that adds one changes this snapshot, and someone must review
/// whether the new function can reach the outside world, the clock, or do
/// work the meter does not see.
#[test]
fn the_functions_a_principle_can_call_are_reviewed() {
    let functions = Sandbox::new().function_signatures();
    for forbidden in [
        "sleep",
        "timestamp",
        "parse_json",
        "eval",
        "import",
        "print_to",
    ] {
        assert!(
            !functions
                .iter()
                .any(|f| f.starts_with(&format!("{forbidden}("))),
            "{forbidden} is reachable"
        );
    }
    insta::assert_snapshot!(functions.join("\n"));
}

/// Issue 11, defect 7: work in proportion to the size of what a principle
/// reads or builds counts against its budget. Each of these does a few
/// dozen operations on very large values; with only operations counted,
/// each was upheld after seconds of work.
#[test]
fn work_on_large_values_counts_against_the_budget() {
    let sandbox = Sandbox::new();
    let proposal = largest_proposal();
    for code in [
        "let n = 0; while n < 10 { proposal.text.index_of(\"zz\"); n += 1; } true",
        "let t = proposal.text; let n = 0; while n < 10 { t.contains(\"zz\"); n += 1; } true",
        "let n = 0; while n < 10 { proposal.text.len(); n += 1; } true",
        "let n = 0; while n < 200 { let s = \"\"; s.pad(16_000, \"ab\"); n += 1; } true",
        "let s = \"\"; s.pad(16_000, \"a\"); let n = 0; while n < 200 { let t = s; t.replace(\"a\", \"b\"); n += 1; } true",
        "let n = 0; while n < 200 { let a = proposal.list; a.sort(); n += 1; } true",
        "let n = 0; while n < 200 { proposal.list.contains(-1); n += 1; } true",
    ] {
        let ast = match sandbox.compile(code) {
            Ok(ast) => ast,
            Err(error) => panic!("{code}: {error}"),
        };
        let run = sandbox.evaluate_within(&ast, &proposal, &mut mandate::principles::CheckBudget::new());
        match run.verdict {
            Verdict::Error(text) => assert!(text.contains("operations"), "{code}: {text}"),
            other => panic!("{code} gave {other:?} after {} steps", run.steps),
        }
    }
}

/// Reading an ordinary proposal costs a principle little: the shipped
/// kinds of principle stay far inside the budget.
#[test]
fn ordinary_principles_cost_little() {
    let sandbox = Sandbox::new();
    for code in [
        "let c = proposal.changes ?? []; !c.contains(\"employment_model\")",
        "has_topic(proposal, \"interface\") && (proposal.cost ?? 0) < 50_000",
    ] {
        let Ok(ast) = sandbox.compile(code) else {
            panic!("{code} does not compile");
        };
        let run = sandbox.evaluate_within(
            &ast,
            &proposal(),
            &mut mandate::principles::CheckBudget::new(),
        );
        assert!(run.steps < 100, "{code}: {} steps", run.steps);
    }
}

/// Ordering values of different kinds is an error, never a quiet `false`
/// that would let a principle uphold what it cannot judge; values of one
/// kind (and numbers with numbers) still order as before.
#[test]
fn orderings_between_kinds_are_errors() {
    for code in [
        "!(proposal.missing > 50000)",
        "!(proposal.title > 5)",
        "!(50000 <= proposal.missing)",
        "!(proposal.changes < 1)",
        "!(true >= 1.5)",
        "!(proposal.missing < proposal.also_missing)",
        "!(#{a: 1} > [1])",
    ] {
        assert_error(code, "function not found");
    }
    for code in [
        "proposal.cost > 29999.5",
        "2.5 < proposal.cost",
        "\"a\" < \"b\"",
        "'a' < 'b'",
        "proposal.cost >= 30000 && proposal.cost <= 30000",
        // Equality keeps Rhai's meaning: different kinds are not equal, so
        // a principle can ask whether a field is there.
        "proposal.missing == ()",
        "proposal.title != 5",
    ] {
        assert_eq!(run(code), Verdict::Upheld, "{code}");
    }
}

/// The proposal is read-only all the way down: no assignment and no call
/// that changes a value reaches it or anything inside it, whether the
/// function is Rhai's own (`push`) or one the sandbox replaced (`pad`,
/// `replace`, `sort`, `dedup`).
#[test]
fn the_proposal_cannot_be_changed_at_any_depth() {
    for code in [
        "proposal.topics.push(\"x\"); true",
        "proposal.topics[0] = \"x\"; true",
        "proposal.topics.clear(); true",
        "proposal.title.pad(50, \"x\"); true",
        "proposal.title.pad(50, 'x'); true",
        "proposal.title.replace(\"t\", \"x\"); true",
        "proposal.changes.pad(5, 0); true",
        "proposal.changes.sort(); true",
        "proposal.changes.sort(|a, b| 0); true",
        "proposal.changes.sort_by(|a, b| 0); true",
        "proposal.changes.dedup(); true",
        "proposal.changes.dedup(|a, b| true); true",
        "proposal.title += \"x\"; true",
    ] {
        match run(code) {
            Verdict::Error(text) => assert!(
                text.contains("a principle may only read the proposal"),
                "{code:?}: {text}"
            ),
            other => panic!("{code:?} gave {other:?}, expected an error"),
        }
    }
}

/// A copy of a part of the proposal is the principle's own to change.
#[test]
fn a_copy_of_the_proposal_can_be_changed() {
    assert_eq!(
        run("let t = proposal.topics; t.push(\"x\"); t.len() == 2 && proposal.topics.len() == 1"),
        Verdict::Upheld
    );
    assert_eq!(
        run("let s = proposal.title; s.pad(3, '-'); s == \"t--\" && proposal.title == \"t\""),
        Verdict::Upheld
    );
}

/// Every principle of one check reads the same proposal, converted once:
/// what one principle tried to change, the variables it declared and a
/// closure that captured the proposal leave nothing for the next.
#[test]
fn principles_of_one_check_share_the_proposal_and_leave_it_as_it_was() {
    let rules = "group \"G\" { place \"P\" }\n\
                 principle sorts \"Sorts\" { proposal.topics.push(\"b\"); true }\n\
                 principle declares \"Declares\" { let seen = 1; true }\n\
                 principle captures \"Captures\" { let t = proposal.topics; t.all(|x| proposal.title == \"t\") }\n\
                 principle reads \"Reads\" {\n\
                   proposal.topics == [\"a\"] && proposal.title == \"t\" && !is_def_var(\"seen\")\n\
                 }\n\
                 principle again \"Again\" { proposal.topics.all(|t| t == \"a\") }\n\
                 representative r \"R\" { may agree a }\n";
    let decision = decide(rules, mandate::source::Scripts::new());
    let results: Vec<(String, String)> = decision
        .principles
        .iter()
        .map(|p| (p.id.clone(), format!("{:?}", p.result)))
        .collect();
    let expected: Vec<(String, String)> = [
        ("sorts", "Error"),
        ("declares", "Upheld"),
        ("captures", "Upheld"),
        ("reads", "Upheld"),
        ("again", "Upheld"),
    ]
    .iter()
    .map(|(id, r)| (id.to_string(), r.to_string()))
    .collect();
    assert_eq!(results, expected, "{:?}", decision.principles);
}

/// The proposal converted directly gives what serde's conversion gives,
/// kind for kind: integers (up to Rhai's largest, and past it), floats,
/// texts, lists, nested maps, `null` and the empty cases.
#[test]
fn the_direct_conversion_is_serdes() {
    let json = serde_json::json!({
        "title": "Advice and guidance — café ☕",
        "topics": ["interface.outpatients", "digital"],
        "cost": 30000,
        "negative": -12,
        "largest": 9_223_372_036_854_775_807_i64,
        "past_largest": 18_446_744_073_709_551_615_u64,
        "float": 0.1,
        "whole_float": 2.0,
        "tiny": 1e-300,
        "yes": true,
        "no": false,
        "nothing": null,
        "empty_list": [],
        "empty_map": {},
        "mixed": [1, "two", 3.5, null, [false, {"deep": ["x"]}]],
        "funding": {"recurrent": true, "source": {"name": "ICB", "share": 0.5}},
        "": "an empty key",
        "a key that is longer than twenty-three bytes": 1
    });
    let Some(fields) = json.as_object() else {
        panic!("the test proposal is an object");
    };
    let direct = mandate::principles::proposal_to_rhai(fields);
    let through_serde = match to_rhai(&json) {
        Ok(value) => value,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(format!("{direct:?}"), format!("{through_serde:?}"));
    let back = |value: &rhai::Dynamic| -> serde_json::Value {
        match rhai::serde::from_dynamic(value) {
            Ok(json) => json,
            Err(error) => panic!("{error}"),
        }
    };
    assert_eq!(back(&direct), back(&through_serde));
    assert_eq!(back(&direct)["largest"], json["largest"]);
}
