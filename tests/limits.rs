//! Every limit of a rule file, a proposal and a check, at the limit and
//! just past it; and the inputs that used to hang or exhaust memory within
//! those limits.
//!
//! The inputs are generated here, at test time: each limit's test builds
//! the smallest file that reaches it. At the limit the input is accepted;
//! one past, it is refused with an error that names the file and the line
//! (or, for a check, says what to do). The regression tests for quadratic
//! paths assert on what can be counted (the size of a message, whether a
//! suggestion is offered); where only time shows the old fault, the input
//! is large enough that the old code took well over a minute.

use chrono::NaiveDate;
use mandate::check::{logic, CheckError, MAX_DECISION_BYTES, MAX_TRACE_ENTRIES};
use mandate::compile::{CompareOp, Expr, Operand, Value};
use mandate::proposal::{MAX_PROPOSAL_BYTES, MAX_PROPOSAL_DEPTH, MAX_TOPICS};
use mandate::source::{Scripts, SourceFile};
use mandate::syntax::{
    MAX_BRACKETS, MAX_DECLARATIONS, MAX_FILE_BYTES, MAX_NESTING, MAX_RULES, MAX_TEXT_CHARS,
};
use mandate::topic::MAX_TOPIC_SEGMENTS;
use mandate::{Diagnostic, Loaded, Mandate, Proposal, ProposalError};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;

/// The name generated rule files are reported under.
const NAME: &str = "limits.mandate";

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn load(text: String) -> Loaded {
    Mandate::from_source(
        SourceFile {
            name: NAME.into(),
            text,
        },
        Scripts::new(),
        day(),
    )
}

/// The mandate, which must have no errors.
fn accepted(text: String) -> Mandate {
    let loaded = load(text);
    let errors: Vec<String> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}:{}: {} [{}]", d.file, d.line, d.message, d.code))
        .collect();
    assert!(errors.is_empty(), "refused: {errors:#?}");
    loaded.mandate.expect("no errors, so a mandate")
}

/// The one error, which must have `code` and be at `line` of the file.
fn refused(text: String, code: &str, line: u32) -> Diagnostic {
    let loaded = load(text);
    let errors: Vec<&Diagnostic> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
    let error = errors[0].clone();
    assert_eq!(error.code, code, "{error:?}");
    assert_eq!(error.file, NAME, "{error:?}");
    assert_eq!(error.line, line, "{error:?}");
    assert!(
        error.help.as_deref().is_some_and(|h| !h.is_empty()),
        "no help: {error:?}"
    );
    assert!(loaded.mandate.is_none());
    error
}

/// A rule file: the group on line 1, then `body`.
fn file(body: &str) -> String {
    format!("group \"G\" {{ }}\n{body}")
}

fn proposal(json: &str) -> Result<Proposal, ProposalError> {
    Proposal::from_json(json, "limits")
}

fn topics_json(topics: impl IntoIterator<Item = String>) -> String {
    let topics: Vec<String> = topics.into_iter().map(|t| format!("\"{t}\"")).collect();
    format!("{{\"title\": \"T\", \"topics\": [{}]}}", topics.join(", "))
}

// ---------------------------------------------------------------- rule file

#[test]
fn rule_file_size() {
    let head = file("representative r \"R\" { may agree x }\n// ");
    let at = format!("{head}{}", "x".repeat(MAX_FILE_BYTES - head.len()));
    assert_eq!(at.len(), MAX_FILE_BYTES);
    accepted(at.clone());
    let past = format!("{at}x");
    let error = refused(past.clone(), "file-too-large", 1);
    assert!(
        error.message.contains(&MAX_FILE_BYTES.to_string()),
        "{error:?}"
    );

    // Read from disk, a larger file is refused after reading one byte past
    // the limit, naming the file.
    let dir = scratch("rule-file-size");
    let path = dir.join("big.mandate");
    std::fs::write(&path, past).unwrap();
    let loaded = Mandate::load(&path, day());
    let error = loaded.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(error.code, "file-too-large");
    assert_eq!(error.file, path.to_string_lossy());
}

#[test]
fn declarations() {
    // The group is the first declaration: MAX_DECLARATIONS - 1 topics.
    let mut body = String::new();
    for i in 1..MAX_DECLARATIONS {
        writeln!(body, "topic t{i} \"T\"").unwrap();
    }
    accepted(file(&body));
    body.push_str("topic one_more \"T\"\n");
    let error = refused(
        file(&body),
        "too-many-declarations",
        MAX_DECLARATIONS as u32 + 1,
    );
    assert!(error.source_line.contains("one_more"), "{error:?}");
}

#[test]
fn rules() {
    let mut body = String::from("representative r \"R\" {\n");
    body.push_str(&"refer *\n".repeat(MAX_RULES));
    accepted(file(&format!("{body}}}\n")));
    body.push_str("may agree one_more\n");
    // Line 1 is the group, line 2 the representative, then a rule a line.
    let error = refused(
        file(&format!("{body}}}\n")),
        "too-many-rules",
        MAX_RULES as u32 + 3,
    );
    assert!(error.source_line.contains("one_more"), "{error:?}");
}

#[test]
fn condition_nesting() {
    let rule = |depth: usize| {
        file(&format!(
            "representative r \"R\" {{\n  may agree x when {}cost == 1{}\n}}\n",
            "(".repeat(depth),
            ")".repeat(depth)
        ))
    };
    accepted(rule(MAX_NESTING));
    refused(rule(MAX_NESTING + 1), "too-deep", 3);

    let negations = |count: usize| {
        file(&format!(
            "representative r \"R\" {{\n  may agree x when {}cost == 1\n}}\n",
            "not ".repeat(count)
        ))
    };
    accepted(negations(MAX_NESTING));
    refused(negations(MAX_NESTING + 1), "too-deep", 3);
}

#[test]
fn brackets_in_a_file() {
    // 60 deep a rule (under the nesting limit), then a last rule making
    // up the exact count: 4 MiB of such rules took 25 s and 1.3 GB.
    let rule = |depth: usize| {
        format!(
            "  may agree a.b when {}cost > 1 or risk == \"x\"{}\n",
            "(".repeat(depth),
            ")".repeat(depth)
        )
    };
    let mut body = String::from("representative r \"R\" {\n");
    body.push_str(&rule(60).repeat(MAX_BRACKETS / 60));
    body.push_str(&rule(MAX_BRACKETS % 60));
    let rules = MAX_BRACKETS / 60 + 1;
    accepted(file(&format!("{body}}}\n")));
    body.push_str("  may agree c when [1] contains 1\n");
    let error = refused(
        file(&format!("{body}}}\n")),
        "too-many-brackets",
        rules as u32 + 3,
    );
    assert_eq!(error.column, 20, "{error:?}");
    assert!(error.message.contains("100000"), "{error:?}");
}

#[test]
fn list_nesting() {
    let rule = |depth: usize| {
        file(&format!(
            "representative r \"R\" {{\n  may agree x when cost in {}1{}\n}}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ))
    };
    accepted(rule(MAX_NESTING));
    refused(rule(MAX_NESTING + 1), "too-deep", 3);
}

#[test]
fn quoted_text_length() {
    // Counted in characters, not bytes.
    let name = |chars: usize| {
        file(&format!(
            "\nrepresentative r \"{}\" {{ may agree x }}\n",
            "é".repeat(chars)
        ))
    };
    accepted(name(MAX_TEXT_CHARS));
    let error = refused(name(MAX_TEXT_CHARS + 1), "text-too-long", 3);
    assert!(
        error.message.contains(&MAX_TEXT_CHARS.to_string()),
        "{error:?}"
    );
}

#[test]
fn topic_parts() {
    let topic = |parts: usize| vec!["a"; parts].join(".");
    let rule = |parts: usize| {
        file(&format!(
            "representative r \"R\" {{\n  may agree {}\n}}\n",
            topic(parts)
        ))
    };
    accepted(rule(MAX_TOPIC_SEGMENTS));
    refused(rule(MAX_TOPIC_SEGMENTS + 1), "topic-too-deep", 3);

    // The same limit for a proposal's topics, at the line of `topics`.
    let json = |parts: usize| format!("{{\"title\": \"T\",\n \"topics\": [\"{}\"]}}", topic(parts));
    assert!(proposal(&json(MAX_TOPIC_SEGMENTS)).is_ok());
    let error = proposal(&json(MAX_TOPIC_SEGMENTS + 1)).unwrap_err();
    assert!(
        matches!(error, ProposalError::TopicTooDeep { .. }),
        "{error:?}"
    );
    assert_eq!(error.line(), 2);
}

// ----------------------------------------------------------------- proposal

#[test]
fn proposal_size() {
    let head = "{\"title\": \"T\", \"topics\": [\"a\"], \"pad\": \"";
    let tail = "\"}";
    let at = format!(
        "{head}{}{tail}",
        "x".repeat(MAX_PROPOSAL_BYTES - head.len() - tail.len())
    );
    assert_eq!(at.len(), MAX_PROPOSAL_BYTES);
    assert!(proposal(&at).is_ok());
    let past = at.replacen("\"pad\": \"", "\"pad\": \"x", 1);
    let error = proposal(&past).unwrap_err();
    assert!(matches!(error, ProposalError::TooLarge { .. }), "{error:?}");
    assert!(!error.help().is_empty());
}

#[test]
fn proposal_depth() {
    // The proposal object itself is the first level.
    let json = |depth: usize| {
        format!(
            "{{\"title\": \"T\", \"topics\": [\"a\"],\n \"x\": {}1{}}}",
            "[".repeat(depth - 1),
            "]".repeat(depth - 1)
        )
    };
    assert!(proposal(&json(MAX_PROPOSAL_DEPTH)).is_ok());
    let error = proposal(&json(MAX_PROPOSAL_DEPTH + 1)).unwrap_err();
    assert!(
        error.to_string().contains(&MAX_PROPOSAL_DEPTH.to_string()),
        "{error}"
    );
    assert_eq!(error.line(), 2);
}

#[test]
fn proposal_topics() {
    let json = |count: usize| {
        let mut json = topics_json((0..count).map(|i| format!("t{i}")));
        json.insert(1, '\n');
        json
    };
    assert_eq!(
        proposal(&json(MAX_TOPICS)).unwrap().topics.len(),
        MAX_TOPICS
    );
    let error = proposal(&json(MAX_TOPICS + 1)).unwrap_err();
    assert!(
        matches!(error, ProposalError::TooManyTopics { .. }),
        "{error:?}"
    );
    assert_eq!(error.line(), 2);
    assert!(error.help().contains(&MAX_TOPICS.to_string()));
}

/// The command line names the proposal's file (and line) for each limit.
#[test]
fn proposal_errors_name_the_file_and_line() {
    let dir = scratch("proposal-errors");
    let rules = dir.join("r.mandate");
    std::fs::write(&rules, file("representative r \"R\" { may agree * }\n")).unwrap();
    let cases = [
        ("topics.json", {
            let mut json = topics_json((0..=MAX_TOPICS).map(|i| format!("t{i}")));
            json.insert(1, '\n');
            json
        }),
        (
            "deep.json",
            format!(
                "{{\"title\": \"T\", \"topics\": [\"a\"],\n \"x\": {}1{}}}",
                "[".repeat(MAX_PROPOSAL_DEPTH),
                "]".repeat(MAX_PROPOSAL_DEPTH)
            ),
        ),
        ("big.json", " ".repeat(MAX_PROPOSAL_BYTES + 1)),
    ];
    for (name, json) in cases {
        let path = dir.join(name);
        std::fs::write(&path, json).unwrap();
        let output = mandate_cli(&["check", path_str(&rules), path_str(&path), "--as", "r"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        let named = if name == "big.json" {
            format!("{}:", path.display())
        } else {
            format!("{}:2:", path.display())
        };
        assert!(stderr.contains(&named), "{name}: {stderr}");
        assert!(stderr.contains("help:"), "{name}: {stderr}");
    }
}

// -------------------------------------------------------------------- check

/// A representative with `rules` rules on `*`, and optionally a priority
/// on `*`, which adds one entry to every decision.
fn star_rules(representatives: usize, rules: usize, priority: bool) -> Mandate {
    let mut body = String::new();
    if priority {
        body.push_str("priority p \"P\" { topics * }\n");
    }
    for r in 0..representatives {
        writeln!(body, "representative r{r} \"R\" {{").unwrap();
        body.push_str(&"  may agree *\n".repeat(rules));
        body.push_str("}\n");
    }
    accepted(file(&body))
}

fn many_topics(count: usize) -> Proposal {
    proposal(&topics_json((0..count).map(|i| format!("t{i}")))).unwrap()
}

#[test]
fn rules_matched_per_check() {
    // 100 topics x (1 + 999 rules) = MAX_TRACE_ENTRIES entries.
    let topics = 100;
    let rules = MAX_TRACE_ENTRIES / topics - 1;
    let proposal = many_topics(topics);
    let decision = star_rules(1, rules, false)
        .check(&proposal, "r0", day())
        .unwrap();
    let entries: usize = decision
        .topics
        .iter()
        .map(|t| 1 + t.rules.as_ref().map_or(0, Vec::len))
        .sum();
    assert_eq!(entries, MAX_TRACE_ENTRIES);

    // One more entry (a priority the proposal touches) is refused.
    let error = star_rules(1, rules, true)
        .check(&proposal, "r0", day())
        .unwrap_err();
    assert_eq!(
        error,
        CheckError::TooManyEntries {
            limit: MAX_TRACE_ENTRIES
        }
    );
    assert!(
        error.help().contains("Split the proposal"),
        "{}",
        error.help()
    );
}

#[test]
fn rules_matched_count_every_representative_of_a_check() {
    // Each representative alone is within the bound; all of them in one
    // check are not.
    let mandate = star_rules(2, 600, false);
    let proposal = many_topics(100);
    assert!(mandate.check(&proposal, "r0", day()).is_ok());
    assert!(mandate.check(&proposal, "r1", day()).is_ok());
    assert!(matches!(
        mandate.check_all(&proposal, day()),
        Err(CheckError::TooManyEntries { .. })
    ));
}

/// Defect 4: 200,000 rules matching a proposal of 1,000 topics made a
/// decision trace of tens of GB and the process aborted. Here 20,000 rules
/// (2 x 10^7 trace entries, gigabytes before): refused, not built.
#[test]
fn a_trace_of_millions_of_entries_is_refused_not_built() {
    let mandate = star_rules(1, 20_000, false);
    let proposal = many_topics(MAX_TOPICS);
    let error = mandate.check(&proposal, "r0", day()).unwrap_err();
    assert!(
        matches!(error, CheckError::TooManyEntries { .. }),
        "{error}"
    );
    assert!(matches!(
        mandate.check_all(&proposal, day()),
        Err(CheckError::TooManyEntries { .. })
    ));
}

#[test]
fn decision_size() {
    // Few entries, long text: every trace entry names the fields its rule
    // lacks, and each field name here is 900 characters long. (Reasons of
    // one rule are said once, whatever the topics, so the trace is what
    // grows with topics x rules.)
    let topics =
        |count: usize| proposal(&topics_json((0..count).map(|i| format!("t{i:03}")))).unwrap();
    let mut body = String::from("representative r \"R\" {\n");
    for j in 0..20 {
        body.push_str(&format!("  refer * when f{j:02}{}\n", "y".repeat(900)));
    }
    body.push_str("}\n");
    let mandate = accepted(file(&body));

    // Under the bound: ten topics, a few hundred KB of text.
    let decision = mandate.check(&topics(10), "r", day()).unwrap();
    let text = serde_json::to_string(&decision).unwrap().len();
    assert!(text > 100_000 && text < MAX_DECISION_BYTES, "{text}");

    // 1,000 topics x 20 rules x 900 bytes: past the bound.
    let Err(error) = mandate.check(&topics(MAX_TOPICS), "r", day()) else {
        panic!("a decision past {MAX_DECISION_BYTES} bytes was made");
    };
    assert_eq!(
        error,
        CheckError::TooLarge {
            limit: MAX_DECISION_BYTES
        }
    );
    assert!(
        error.help().contains("Split the proposal"),
        "{}",
        error.help()
    );
}

/// A sentence names at most MAX_NAMES_IN_A_SENTENCE topics of a rule and
/// quotes at most MAX_VALUE_CHARS characters of a proposal's value.
#[test]
fn sentences_name_a_few_items_and_quote_short_values() {
    use mandate::check::{MAX_NAMES_IN_A_SENTENCE, MAX_VALUE_CHARS};
    let topics: Vec<String> = (0..1_000).map(|i| format!("t{i}")).collect();
    let mandate = accepted(file(&format!(
        "representative r \"R\" {{\n  may agree {} when note == \"x\"\n}}\n",
        topics.join(", ")
    )));
    let json = format!(
        "{{\"title\": \"T\", \"topics\": [\"t0\"], \"note\": \"{}\"}}",
        "y".repeat(10_000)
    );
    let decision = mandate
        .check(&proposal(&json).unwrap(), "r", day())
        .unwrap();
    let reason = decision
        .reasons
        .iter()
        .find(|r| r.starts_with("Line 3 would let them agree"))
        .unwrap();
    let more = format!("and {} more", 1_000 - MAX_NAMES_IN_A_SENTENCE);
    assert!(reason.contains(&more), "{reason}");
    assert!(!reason.contains("t999"), "{reason}");
    let quoted = format!("\"{}…", "y".repeat(MAX_VALUE_CHARS));
    assert!(reason.contains(&quoted), "{reason}");
    assert!(reason.len() < 1_000, "{} bytes: {reason}", reason.len());
}

// ------------------------------------------------- quadratic paths (defect 5)

/// 5(a): "did you mean" compared two names of half a megabyte character by
/// character (over 20 s at 1 MB). Long names now get no suggestion.
#[test]
fn long_names_get_no_did_you_mean() {
    let declared = "a".repeat(500_000);
    let typo = format!("{}b", "a".repeat(499_999));
    let loaded = load(file(&format!(
        "topic {declared} \"Long\"\nrepresentative r \"R\" {{ may agree {typo} }}\n"
    )));
    let error = loaded.diagnostics.iter().find(|d| d.is_error()).unwrap();
    assert_eq!(error.code, "undeclared-topic");
    assert!(
        !error.help.as_deref().unwrap_or("").contains("Did you mean"),
        "{:?}",
        error.help
    );

    // And in a check, for a proposal topic the vocabulary does not know.
    let mandate = accepted(file(&format!(
        "topic {declared} \"Long\"\nrepresentative r \"R\" {{ may agree * }}\n"
    )));
    let decision = mandate
        .check(&proposal(&topics_json([typo])).unwrap(), "r", day())
        .unwrap();
    assert!(
        decision.reasons.iter().all(|r| !r.contains("did you mean")),
        "{:?}",
        decision.reasons
    );
}

/// 5(a), the other way: a hundred thousand names of the longest length
/// that gets a suggestion, none close: the search stops at its step budget.
#[test]
fn did_you_mean_does_bounded_work() {
    let length = mandate::topic::fuzzy::MAX_SUGGESTION_CHARS;
    let word = "a".repeat(length);
    let far: Vec<String> = (0..100_000)
        .map(|i| format!("{i:x}{}", "b".repeat(length - format!("{i:x}").len())))
        .collect();
    assert_eq!(
        mandate::topic::fuzzy::did_you_mean(&word, far.iter().map(String::as_str)),
        None
    );
}

/// 5(b): an `and` of 200,000 distinct missing fields took 198 s (each new
/// field was compared with every field already found).
#[test]
fn an_and_of_many_unknown_fields_is_linear() {
    let count = 200_000;
    let condition = Expr::And(
        (0..count)
            .map(|i| {
                Expr::Compare(
                    Operand::Field(format!("f{i}")),
                    CompareOp::Eq,
                    Operand::Value(Value::Number(1.0)),
                )
            })
            .collect(),
    );
    let (truth, gaps) = logic::evaluate(&condition, &serde_json::Map::new());
    assert_eq!(truth, logic::Truth::Unknown);
    assert_eq!(gaps.len(), count);
}

/// 5(b), through a whole check: every unknown field is listed once (100,000
/// took over a minute in a debug build before; now mostly parsing).
#[test]
fn a_check_with_many_unknown_fields_lists_each_once() {
    let count = 100_000;
    let condition: Vec<String> = (0..count).map(|i| format!("f{i} == 1")).collect();
    let mandate = accepted(file(&format!(
        "representative r \"R\" {{\n  may agree x when {} and f0 == 1\n}}\n",
        condition.join(" and ")
    )));
    let decision = mandate
        .check(
            &proposal(&topics_json(["x".to_string()])).unwrap(),
            "r",
            day(),
        )
        .unwrap();
    let trace = decision.topics[0].rules.as_ref().unwrap();
    assert_eq!(trace[0].unknown_fields.len(), count);
}

/// 5(c): validating 49,000 representatives took 47 s (the line of each
/// representative's end was counted from the start of the file). 20,000
/// took over 100 s in a debug build before; a few seconds now, nearly all
/// of it parsing.
#[test]
fn many_representatives_validate_in_linear_time() {
    let count: u32 = 20_000;
    let mut body = String::new();
    for i in 0..count {
        writeln!(body, "representative r{i} \"R\" {{ may agree x }}").unwrap();
    }
    let mandate = accepted(file(&body));
    let last = mandate.representatives().last().unwrap();
    assert_eq!((last.line, last.end_line), (count + 1, count + 1));
}

/// 5(d): the unknown-`--as` message listed every id (761 KB at 49,000).
#[test]
fn unknown_representative_message_is_short() {
    let count = 5_000;
    let mut body = String::new();
    for i in 0..count {
        writeln!(body, "representative r{i} \"R\" {{ may agree x }}").unwrap();
    }
    let mandate = accepted(file(&body));
    let proposal = proposal(&topics_json(["x".to_string()])).unwrap();

    let error = mandate.check(&proposal, "nobody", day()).unwrap_err();
    let message = error.to_string();
    assert!(message.len() < 200, "{} bytes: {message}", message.len());
    assert!(
        message.contains("r0, r1, r2, r3, r4 and 4995 more"),
        "{message}"
    );
    assert!(error.help().len() < 200, "{}", error.help());

    let error = mandate.check(&proposal, "r4999x", day()).unwrap_err();
    assert!(error.help().contains("`r4999`"), "{}", error.help());
}

/// A topic of a million parts built a trie a million levels deep, whose
/// drop overflowed the stack: the process aborted. Refused now.
#[test]
fn a_very_deep_topic_is_refused_not_overflowing() {
    let deep = vec!["a"; 1_000_000].join(".");
    refused(
        file(&format!(
            "representative r \"R\" {{\n  may agree {deep}\n}}\n"
        )),
        "topic-too-deep",
        3,
    );
}

/// Each topic of a rule was compared with each of its `except`s: 80,000 of
/// each took minutes to validate. (Every topic here is excepted by the
/// last `except`, so the scan went to the end every time.)
#[test]
fn a_rule_with_many_exceptions_validates_in_linear_time() {
    let count = 80_000;
    let topics: Vec<String> = (0..count).map(|i| format!("t{i}")).collect();
    let except: Vec<String> = (0..count).map(|i| format!("u{i}")).collect();
    let loaded = load(file(&format!(
        "representative r \"R\" {{\n  may agree {} except {}, *\n}}\n",
        topics.join(", "),
        except.join(", ")
    )));
    assert!(!loaded.has_errors());
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.code == "excepts-everything" && d.line == 3));
}

/// Each rule was compared with every broader unconditional forbid that
/// could overrule it: 50,000 of each took minutes. The search for that
/// warning now has a budget.
#[test]
fn many_forbids_and_rules_validate_in_bounded_time() {
    let count = 50_000;
    let mut body = String::from("representative r \"R\" {\n");
    for i in 0..count {
        writeln!(body, "  may not agree * except x.a{i}").unwrap();
    }
    body.push_str(&"  may agree x\n".repeat(count));
    body.push_str("}\n");
    let loaded = load(file(&body));
    assert!(!loaded.has_errors());
}

/// The same topic declared 49,000 times (588 KB) took about 110 s: each
/// copy was looked up against every other. Each copy is a
/// `duplicate-id` error naming the first; 500 are shown, the rest counted.
#[test]
fn many_copies_of_a_topic_validate_in_linear_time() {
    let copies = 49_000;
    let loaded = load(file(&"topic a \"A\"\n".repeat(copies)));
    let shown: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "duplicate-id")
        .collect();
    assert_eq!(shown.len(), 500);
    assert!(shown
        .iter()
        .all(|d| d.message.contains("first is on line 2")));
    let summary = loaded.diagnostics.last().unwrap();
    assert_eq!(summary.code, "too-many-problems", "{summary:?}");
    assert!(
        summary
            .message
            .contains(&format!("not shown: {} errors", copies - 1 - 500)),
        "{summary:?}"
    );
}

/// Each principle whose code Rhai refused had its line counted from the
/// file's start: 20,000 of them took 26 s in a debug build. The line is
/// counted from the code's own start now, and is still right.
#[test]
fn many_refused_principles_validate_in_linear_time() {
    let count = 20_000;
    let mut body = String::new();
    for i in 0..count {
        writeln!(body, "principle p{i} \"P\" {{\n  let = 1\n}}").unwrap();
    }
    let loaded = load(file(&body));
    let refused: Vec<&Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "rhai-syntax")
        .collect();
    assert!(refused.len() > 400, "{}", refused.len());
    for (i, d) in refused.iter().enumerate() {
        // Principle i opens on line 2 + 3i; its code's mistake is below.
        assert_eq!(d.line, 3 + 3 * i as u32, "{d:?}");
        assert_eq!(&d.source_line, "  let = 1", "{d:?}");
    }
}

/// A grant under thousands of forbids of the same topic gathered and
/// sorted all of them; so did naming the organisations that own a topic,
/// for each rule on it. Both cost a few steps a rule now.
#[test]
fn rules_under_many_forbids_and_owners_validate_in_linear_time() {
    let count = 20_000;
    let mut body = String::from("representative r \"R\" {\n");
    body.push_str(&"  may not agree a\n".repeat(count));
    body.push_str(&"  may agree a.b\n".repeat(count));
    body.push_str("}\n");
    let loaded = load(file(&body));
    assert!(!loaded.has_errors());
    let overruled = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "overruled-rule")
        .collect::<Vec<_>>();
    assert_eq!(overruled.len(), 500);
    assert!(
        overruled.iter().all(|d| d.message.contains("on line 3 ")),
        "{overruled:?}"
    );

    let mut body = String::new();
    for i in 0..count {
        writeln!(body, "organisation o{i} \"O{i}\" {{ owns owned }}").unwrap();
    }
    body.push_str("representative r \"R\" {\n");
    body.push_str(&"  may agree owned.x\n".repeat(count));
    body.push_str("}\n");
    let loaded = load(file(&body));
    assert!(!loaded.has_errors());
    let owned = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "owned-rule")
        .collect::<Vec<_>>();
    assert!(owned.len() > 400, "{}", owned.len());
    let named = format!("O0, O1, O2, O3, O4 and {} more", count - 5);
    assert!(
        owned.iter().all(|d| d.message.contains(&named)),
        "{:?}",
        owned[0]
    );
}

// ----------------------------------------------------------------- helpers

/// A fresh folder for this test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mandate-limits-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn path_str(path: &std::path::Path) -> &str {
    path.to_str().unwrap()
}

fn mandate_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(args)
        .args(["--date", "2026-11-23"])
        .output()
        .unwrap()
}

/// A file under the size limit that formatting would take over it (a long
/// list, put one item per line) is refused for its size, not blamed on the
/// formatter, and the message says what to do.
#[test]
fn formatting_past_the_file_size_limit() {
    let topics: Vec<String> = (0..340_000).map(|i| format!("x{i}")).collect();
    let text = format!(
        "organisation o \"O\" {{\n  owns {}\n}}\n",
        topics.join(", ")
    );
    assert!(text.len() < MAX_FILE_BYTES);
    let error = mandate::format::format(&text).expect_err("formatted past the limit");
    assert!(
        matches!(error, mandate::format::FormatError::TooLarge { size, limit }
            if size > MAX_FILE_BYTES && limit == MAX_FILE_BYTES),
        "{error}"
    );
    assert!(error.help().contains("Split"), "{}", error.help());
}
