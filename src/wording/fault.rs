//! Why a principle could not be checked, in the words of the people who
//! write proposals and mandates: the plain words first, Rhai's own text
//! after them as technical detail.
//!
//! Owns the sentences for a [`Fault`]; the facts come from
//! `crate::principles` and are never worked out here.

use crate::principles::{Fault, FieldFault, Kind, LimitFault, Operation, PrincipleFault};

/// A kind of value as a practice manager would say it.
pub(crate) fn kind_words(kind: Kind) -> &'static str {
    match kind {
        Kind::Missing => "nothing (the proposal does not give it)",
        Kind::Null => "empty (null)",
        Kind::Number => "a number",
        Kind::Text => "a text",
        Kind::DateText => "a date written as text",
        Kind::List => "a list",
        Kind::Map => "a set of named values (an object)",
        Kind::Bool => "true or false",
        Kind::Char => "a single character",
        Kind::Other => "a value of another kind",
    }
}

/// "a list, a text or a set of named values (an object)".
fn kinds_words(kinds: &[Kind]) -> String {
    let words: Vec<&str> = kinds.iter().map(|k| kind_words(*k)).collect();
    match words.split_last() {
        None => "a value of another kind".to_string(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// What the principle does with the value: "to use it with `contains`".
fn operation_words(operation: &Operation) -> Option<String> {
    Some(match operation {
        Operation::Function(name) => format!("to use it with `{name}`"),
        Operation::Operator(op) => format!("to use it with `{op}`"),
        Operation::Property(name) => format!("to read `{name}` from it"),
        Operation::ForLoop => "to go through it in a `for` loop".to_string(),
        Operation::Other => return None,
    })
}

/// What the proposal gives, as a clause: "the proposal gives `changes` as
/// a number" / "the proposal does not give `changes`".
fn given_words(fault: &FieldFault) -> String {
    match fault.given {
        Kind::Missing => format!("the proposal does not give `{}`", fault.field),
        given => format!(
            "the proposal gives `{}` as {}",
            fault.field,
            kind_words(given)
        ),
    }
}

/// Why the principle could not be checked, for the decision's `reason`:
/// plain words first, then `technical` (the text the sandbox gave, often
/// Rhai's) as technical detail where it adds anything.
pub(crate) fn fault_reason(fault: &Fault, technical: &str) -> String {
    let detail = |words: String| format!("{words} (technical detail: {technical})");
    match fault {
        Fault::Proposal(field) => {
            let uses = operation_words(&field.operation)
                .map(|how| format!(", {how}"))
                .unwrap_or_default();
            detail(format!(
                "{}; this principle expects {}{uses}",
                given_words(field),
                kinds_words(&field.expected)
            ))
        }
        Fault::Principle(PrincipleFault::UnknownFunction { name }) => detail(format!(
            "the principle calls `{name}`, which does not exist (a misspelt name, or one principles cannot use)"
        )),
        Fault::Principle(PrincipleFault::WrongArgumentCount {
            name,
            given,
            accepted,
        }) => {
            let takes: Vec<String> = accepted.iter().map(|n| n.to_string()).collect();
            let takes = match takes.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => "another number of".to_string(),
            };
            detail(format!(
                "the principle calls `{name}` with {given} value{}, but it takes {takes}",
                if *given == 1 { "" } else { "s" }
            ))
        }
        Fault::Principle(PrincipleFault::Threw) => detail(
            "the principle stopped with an error of its own".to_string(),
        ),
        // The sandbox's own words already say what the principle returned.
        Fault::Principle(PrincipleFault::WrongResult) => {
            format!("the principle gave no verdict: {technical}")
        }
        Fault::Limit(LimitFault::NotRun) => technical.to_string(),
        // Limits on the code itself, whatever the proposal.
        Fault::Limit(LimitFault::Variables) => format!(
            "the principle declares more variables than principles may: {technical}"
        ),
        Fault::Limit(LimitFault::CallDepth) => format!(
            "the principle's functions call each other more deeply than principles may: {technical}"
        ),
        Fault::Limit(_) => format!(
            "this proposal is too large or complex for the principle's budget, or the principle does too much work: {technical}"
        ),
        Fault::Unclear { .. } => detail(
            "the principle could not be run on this proposal, and it cannot be told whether a value in the proposal or the principle itself is at fault".to_string(),
        ),
    }
}

/// What would let the principle be checked, for the decision's changes:
/// the proposal's fix when a field is at fault, the principle's only when
/// the principle is.
pub(crate) fn fault_change(fault: &Fault, principle_id: &str, line: u32) -> String {
    let principle = format!("the principle `{principle_id}` (line {line})");
    match fault {
        Fault::Proposal(field) => {
            let kind = field
                .expected
                .first()
                .map_or("another kind of value", |k| kind_words(*k));
            format!(
                "Giving `{}` as {kind} in the proposal would let {principle} be checked.",
                field.field
            )
        }
        Fault::Principle(_) => format!(
            "Fixing principle `{principle_id}` (line {line}) so that it runs would let it be checked."
        ),
        Fault::Limit(LimitFault::NotRun) => format!(
            "Principles before it that do less work would let {principle} be checked."
        ),
        Fault::Limit(LimitFault::Variables | LimitFault::CallDepth) => format!(
            "Fixing principle `{principle_id}` (line {line}) to use fewer variables or shallower calls would let it be checked."
        ),
        Fault::Limit(_) => format!(
            "A smaller proposal, or a principle that does less work, would let {principle} be checked."
        ),
        Fault::Unclear { .. } => format!(
            "Giving the fields {principle} reads as the kinds of value it expects, or fixing the principle, would let it be checked."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes_as(given: Kind) -> Fault {
        Fault::Proposal(FieldFault {
            field: "changes".into(),
            given,
            expected: vec![Kind::List, Kind::Text, Kind::Map],
            operation: Operation::Function("contains".into()),
        })
    }

    #[test]
    fn a_field_fault_says_what_the_proposal_gives_and_what_to_give() {
        let technical = "Function not found: contains (i64, &str | ImmutableString | String)";
        assert_eq!(
            fault_reason(&changes_as(Kind::Number), technical),
            "the proposal gives `changes` as a number; this principle expects a list, a text or a set of named values (an object), to use it with `contains` (technical detail: Function not found: contains (i64, &str | ImmutableString | String))"
        );
        assert_eq!(
            fault_change(&changes_as(Kind::Number), "independent_contractor", 12),
            "Giving `changes` as a list in the proposal would let the principle `independent_contractor` (line 12) be checked."
        );
        assert!(fault_reason(&changes_as(Kind::Missing), technical)
            .starts_with("the proposal does not give `changes`; this principle expects a list"));
    }

    #[test]
    fn only_a_principle_fault_says_to_fix_the_principle() {
        let unknown = Fault::Principle(PrincipleFault::UnknownFunction {
            name: "contians".into(),
        });
        assert!(fault_change(&unknown, "p", 3).starts_with("Fixing principle `p` (line 3)"));
        for fault in [
            changes_as(Kind::Number),
            Fault::Limit(LimitFault::Steps),
            Fault::Unclear { operation: None },
        ] {
            assert!(
                !fault_change(&fault, "p", 3).starts_with("Fixing"),
                "{fault:?}"
            );
        }
    }

    /// Every case in `tests/data/principles/faults/`: the principle's
    /// verdict stays an error, its fault is the one the case names, and
    /// the sentences for it are pinned.
    #[test]
    fn every_fault_case_is_classified_and_worded() {
        use crate::principles::{to_rhai, CheckBudget, FieldReads, Sandbox, Verdict};
        let sandbox = Sandbox::new();
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/principles/faults");
        let mut files: Vec<_> = match std::fs::read_dir(&folder) {
            Ok(entries) => entries.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
            Err(error) => panic!("cannot read {}: {error}", folder.display()),
        };
        files.sort();
        assert!(files.len() >= 10, "the fault cases are missing");
        for path in files {
            let name = path
                .file_stem()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let case: serde_json::Value = match std::fs::read_to_string(&path)
                .map_err(|e| e.to_string())
                .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
            {
                Ok(case) => case,
                Err(error) => panic!("{}: {error}", path.display()),
            };
            let code = case["principle"].as_str().unwrap_or_default();
            let expected: Fault = match serde_json::from_value(case["fault"].clone()) {
                Ok(fault) => fault,
                Err(error) => panic!("{name}: its fault does not read: {error}"),
            };
            let ast = match sandbox.compile(code) {
                Ok(ast) => ast,
                Err(error) => panic!("{name}: {error}"),
            };
            let proposal = match to_rhai(&case["proposal"]) {
                Ok(p) => p,
                Err(error) => panic!("{name}: {error}"),
            };
            let run = sandbox.evaluate_reading(
                &ast,
                &FieldReads::of(code),
                &proposal,
                &mut CheckBudget::new(),
            );
            let Verdict::Error(technical) = &run.verdict else {
                panic!("{name}: gave {:?}, not an error", run.verdict);
            };
            assert_eq!(run.fault.as_ref(), Some(&expected), "{name}");
            // Without the reads, no field is blamed; the verdict is the same.
            let blind = sandbox.evaluate_within(&ast, &proposal, &mut CheckBudget::new());
            assert_eq!(blind.verdict, run.verdict, "{name}");
            assert!(
                !matches!(blind.fault, Some(Fault::Proposal(_))),
                "{name}: blamed a field without knowing what the code reads"
            );
            let line = run.position.map_or(1, |p| p.line as u32);
            insta::assert_snapshot!(
                name.clone(),
                format!(
                    "{}\n\nreason: {}\nchange: {}",
                    case["about"].as_str().unwrap_or_default(),
                    fault_reason(&expected, technical),
                    fault_change(&expected, "p", line)
                )
            );
        }
    }
}
