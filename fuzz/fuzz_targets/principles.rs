//! Any Rhai code as a principle, through the whole load
//! (`Mandate::from_source`: the code is a script given in the `Scripts`
//! map, or, when the input starts with byte 0x01, the body of an inline
//! principle), checked against a fixed proposal:
//!
//! - never a panic, never a hang (run with `-timeout=5`: the wall-clock
//!   ceiling is 1 s per principle);
//! - a principle that ran past the ceiling is `error`, never upheld or
//!   violated;
//! - the result decides the outcome as section 4 says (the representative
//!   may agree everything, so only the principle can refuse): `upheld`
//!   agrees, `violated` declines (blocking), `error` refers, never agrees;
//! - a principle before it, `true`, is upheld whatever this one does;
//! - the same code run twice gives the same result, byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandate::check::{Outcome, PrincipleOutcome};
use mandate::source::{Script, Scripts, SourceFile};
use mandate::syntax::ast::{Declaration, PrincipleBody};
use mandate::{Mandate, Proposal};
use mandate_fuzz::oracle::Oracle;
use mandate_fuzz::{assert_same_json, day};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Past this, a principle must have been stopped by the ceiling (1 s),
/// with room for a slow, instrumented fuzz build.
const PAST_THE_CEILING: Duration = Duration::from_secs(3);

const HEAD: &str = "group \"Fuzz Group\" { place \"Fuzzshire\" }\n\
representative r \"R\" {\n  may agree *\n}\n\
principle first \"Always upheld\" advisory { true }\n";

fn oracle() -> &'static Oracle {
    static ORACLE: OnceLock<Oracle> = OnceLock::new();
    ORACLE.get_or_init(Oracle::new)
}

/// What the rule file's braces hold for the inline principle `fuzzed`
/// (the fuzzer's code can close them early and write more declarations).
fn inline_code(text: &str) -> Option<String> {
    let file = mandate::syntax::parse(text).ok()?;
    file.declarations.iter().find_map(|d| match d {
        Declaration::Principle(p) if p.id.name == "fuzzed" => match &p.body {
            PrincipleBody::Inline { code, .. } => Some(code.clone()),
            PrincipleBody::Script { .. } => None,
        },
        _ => None,
    })
}

fn proposal() -> &'static Proposal {
    static PROPOSAL: OnceLock<Proposal> = OnceLock::new();
    PROPOSAL.get_or_init(|| {
        let text = r#"{
            "id": "fuzz", "title": "A proposal for principles to read",
            "topics": ["interface.outpatients", "digital.shared_records"],
            "forum": "Board", "date": "2026-12-03",
            "cost": 30000, "duration_months": 6, "ratio": 0.25, "negative": -5,
            "recurrent": false, "data_sharing_agreement": true, "nothing": null,
            "changes": ["referral_pathway", "employment_model", "work_transfer"],
            "numbers": [3, 1, 2, 2, 10],
            "notes": "Advice and guidance {before} referral: `backticks` ${x} \u00e9",
            "budget": { "recurrent": 12000, "sources": ["ICB", "council"], "deep": { "deeper": [1, { "x": "y" }] } }
        }"#;
        match Proposal::from_json(text, "fuzz") {
            Ok(proposal) => proposal,
            Err(error) => panic!("the fixed proposal does not read: {error}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let (inline, code) = match data.split_first() {
        Some((1, rest)) => (true, rest),
        _ => (false, data),
    };
    let Ok(code) = std::str::from_utf8(code) else {
        return;
    };
    let mut scripts = Scripts::new();
    let text = if inline {
        format!("{HEAD}principle fuzzed \"Fuzzed\" blocking {{{code}}}\n")
    } else {
        scripts.insert(
            "fuzzed.rhai".into(),
            Script::Loaded(SourceFile {
                name: "principles/fuzzed.rhai".into(),
                text: code.to_string(),
            }),
        );
        format!("{HEAD}principle fuzzed \"Fuzzed\" blocking script \"fuzzed.rhai\"\n")
    };
    let code = if inline {
        match inline_code(&text) {
            Some(code) => code,
            None => return,
        }
    } else {
        code.to_string()
    };
    let loaded = Mandate::from_source(
        SourceFile {
            name: "fuzz.mandate".into(),
            text,
        },
        scripts,
        day(),
    );
    let Some(mandate) = loaded.mandate else {
        // A Rhai syntax error (or, inline, braces the rule file cannot
        // close): reported by validate, which the validate target covers.
        assert!(loaded.has_errors());
        return;
    };
    if mandate.principles().len() != 2 || mandate.representatives().len() != 1 {
        // Inline code that closed the braces and declared more.
        return;
    }

    let started = Instant::now();
    let first = check(&mandate, started);
    // A second count of the work, independent of the sandbox's meter: past
    // four budgets, nothing may be upheld or violated, whatever a native
    // function did with the stop.
    if first
        .principles
        .last()
        .is_some_and(|p| p.result != PrincipleOutcome::Error)
    {
        let value = serde_json::Value::Object(proposal().fields.clone());
        if let Ok(value) = mandate::principles::to_rhai(&value) {
            assert!(
                !oracle().runs_far_past_the_budget(&code, &value),
                "a principle ran past four budgets and was not error: {:?}",
                first.principles.last()
            );
        }
    }
    // Determinism, unless something was slow enough for the wall clock
    // (which depends on the machine) to have a say.
    let second = check(&mandate, Instant::now());
    if started.elapsed() < Duration::from_millis(900) {
        assert_same_json(&first, &second);
    }
});

/// One check, and the assertions on its principle results.
fn check(mandate: &Mandate, started: Instant) -> mandate::Decision {
    let decision = match mandate.check(proposal(), "r", day()) {
        Ok(decision) => decision,
        Err(error) => panic!("check failed: {error}"),
    };
    let took = started.elapsed();
    if std::env::var_os("MANDATE_FUZZ_DEBUG").is_some() {
        eprintln!("{took:?}: {:?}", decision.principles.last());
    }
    let [always, fuzzed] = decision.principles.as_slice() else {
        panic!(
            "expected two principle results, got {:?}",
            decision.principles
        );
    };
    assert_eq!(
        always.result,
        PrincipleOutcome::Upheld,
        "a principle evaluated before the fuzzed one is upheld: {always:?}"
    );
    if took > PAST_THE_CEILING {
        assert_eq!(
            fuzzed.result,
            PrincipleOutcome::Error,
            "the principle ran {took:?}, past the ceiling, and was not stopped: {fuzzed:?}"
        );
    }
    let expected = match fuzzed.result {
        PrincipleOutcome::Upheld => Outcome::Agree,
        PrincipleOutcome::Violated => Outcome::Decline,
        PrincipleOutcome::Error => Outcome::Refer,
    };
    assert_eq!(
        decision.outcome, expected,
        "the outcome follows the principle: {fuzzed:?}"
    );
    if fuzzed.result == PrincipleOutcome::Error {
        assert!(
            fuzzed.reason.as_deref().is_some_and(|r| !r.is_empty()),
            "an error says its cause"
        );
    }
    decision
}
