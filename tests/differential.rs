//! Differential testing against the reference model (`tests/reference/`),
//! in the spirit of Cedar's testing against its Lean model.
//!
//! Random mandates (written as source text and compiled with
//! `Mandate::from_source`, so no files are written) and random proposals
//! whose values sit near every literal of the mandate go to both the
//! library and the model; both must give the same outcome, `redirect_to`,
//! per-topic outcome, rule trace (effect, line, condition, unknown fields)
//! or owners, principles (as declared), priorities and date, for every
//! representative, and the `gates` trace (each gate's kind, line and
//! whether it passed).
//!
//! 256 cases by default; `PROPTEST_CASES=20000` for a longer run.
//! Cases found by earlier runs are kept under `tests/data/differential/`
//! (one mandate and its proposals per case) and checked the same way.

mod reference;

use proptest::prelude::*;
use reference::generate::{self, MandateSpec, ProposalSpec};
use reference::model::{self, Reading};
use serde_json::Value as Json;
use std::path::Path;

use reference::config;

/// Checks one rule file and one proposal in both; `Err` describes the
/// first difference.
fn compare(
    text: &str,
    proposal: &Json,
    day: chrono::NaiveDate,
    reading: Reading,
) -> Result<(), String> {
    let mandate = generate::compile(text).map_err(|e| format!("does not compile:\n{e}"))?;
    let file = mandate::syntax::parse(text).map_err(|e| e.to_string())?;
    let read = generate::read_proposal(proposal)?;
    let Json::Object(fields) = proposal else {
        return Err("the proposal is not an object".into());
    };
    let decisions = mandate.check_all(&read, day).map_err(|e| e.to_string())?;
    // Every representative, in file order.
    let ids: Vec<&str> = decisions
        .iter()
        .map(|d| d.representative.as_str())
        .collect();
    let declared: Vec<&str> = file
        .declarations
        .iter()
        .filter_map(|d| match d {
            mandate::syntax::ast::Declaration::Representative(r) => Some(r.id.name.as_str()),
            _ => None,
        })
        .collect();
    if ids != declared {
        return Err(format!(
            "decisions for {ids:?}, representatives {declared:?}"
        ));
    }
    for decision in decisions {
        let library = serde_json::to_value(&decision).map_err(|e| e.to_string())?;
        let verdicts: Vec<String> = decision
            .principles
            .iter()
            .map(|p| {
                serde_json::to_value(p.result)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            })
            .collect();
        let expected = model::decide(
            &file,
            fields,
            &decision.representative,
            day,
            &verdicts,
            reading,
        )
        .ok_or_else(|| {
            format!(
                "the model has no representative {}",
                decision.representative
            )
        })?;
        let got = model::project(&library);
        let expected_cmp = model::comparable(&expected, &library);
        if got != expected_cmp {
            return Err(format!(
                "representative {} on {day}\n--- library\n{}\n--- model\n{}",
                decision.representative,
                pretty(&got),
                pretty(&expected),
            ));
        }
    }
    Ok(())
}

fn pretty(value: &Json) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn report(spec: &MandateSpec, proposal: &Json, why: &str) -> String {
    format!(
        "--- mandate\n{}--- proposal\n{}\n{why}",
        spec.render(),
        pretty(proposal)
    )
}

/// The library follows the model's reading of the README throughout,
/// `unknown_fields` included (a present field beside a missing one is not
/// named: `tests/data/differential/present_beside_missing.*`).
const LIBRARY: Reading = Reading::README;

proptest! {
    #![proptest_config(config())]

    /// The library and the model decide alike.
    #[test]
    fn library_agrees_with_the_model(
        spec in generate::mandate(),
        proposal in generate::proposal(),
        day in generate::day(),
    ) {
        check(&spec, &proposal, day, LIBRARY)?;
    }

    /// The same with at most one organisation, so that rules, not
    /// ownership, decide most topics.
    #[test]
    fn library_agrees_with_the_model_when_rules_decide(
        spec in generate::mandate_few_owners(),
        proposal in generate::proposal(),
        day in generate::day(),
    ) {
        check(&spec, &proposal, day, LIBRARY)?;
    }
}

fn check(
    spec: &MandateSpec,
    proposal: &ProposalSpec,
    day: chrono::NaiveDate,
    reading: Reading,
) -> Result<(), TestCaseError> {
    let json = proposal.resolve(spec);
    let text = spec.render();
    compare(&text, &json, day, reading)
        .map_err(|why| TestCaseError::fail(report(spec, &json, &why)))
}

/// Every case kept under `tests/data/differential/`: `<case>.mandate` with
/// `<case>.<n>.json` proposals, each holding `"check_day"` besides the
/// proposal's own keys. `Err` lists the cases that differ.
fn kept_cases(reading: Reading) -> Result<usize, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/differential");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let case = name.split('.').next().unwrap_or_default();
        let text = std::fs::read_to_string(dir.join(format!("{case}.mandate")))
            .map_err(|e| format!("{case}.mandate: {e}"))?;
        let mut proposal: Json = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
            .map_err(|e| format!("{name}: {e}"))?;
        let day = proposal
            .as_object_mut()
            .and_then(|o| o.remove("check_day"))
            .and_then(|d| d.as_str().map(generate::iso))
            .ok_or_else(|| format!("{name}: no \"check_day\""))?;
        checked += 1;
        if let Err(why) = compare(&text, &proposal, day, reading) {
            failures.push(format!("{name}: {why}"));
        }
    }
    if failures.is_empty() {
        Ok(checked)
    } else {
        Err(failures.join("\n\n"))
    }
}

/// The kept cases agree.
#[test]
fn kept_cases_agree() {
    match kept_cases(LIBRARY) {
        Ok(checked) => assert!(checked > 0, "no case in tests/data/differential"),
        Err(failures) => panic!("{failures}"),
    }
}
