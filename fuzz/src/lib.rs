//! What every fuzz target asserts about a decision: the invariants of
//! the README's "How a check decides", recomputed from the compiled mandate and the
//! decision's own trace, so a target only has to produce a mandate and a
//! proposal. It never builds mandates or reads files: the targets do.
//!
//! Each assertion panics with a message that says which promise broke; the
//! fuzzer keeps the input that did it.

pub mod oracle;

use mandate::check::{Outcome, PrincipleOutcome, TopicDecision};
use mandate::compile::{Effect, Operand, Representative};
use mandate::syntax::ast::{Declaration, Severity};
use mandate::topic::TopicPattern;
use mandate::{Decision, Mandate, Proposal};

/// The day every target checks on, so runs are reproducible.
pub fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
}

/// Checks `proposal` for every representative of `mandate` and asserts
/// every invariant on each decision, then that checking again (one
/// representative at a time) gives byte-identical JSON. Returns the
/// decisions, for targets that assert more.
pub fn check_everyone(
    mandate: &Mandate,
    ownership: &Ownership,
    proposal: &Proposal,
) -> Vec<Decision> {
    let decisions = match mandate.check_all(proposal, day()) {
        Ok(decisions) => decisions,
        // A check past the bounds of one check is refused, cleanly: that
        // is the engine keeping its promise, not a finding.
        Err(
            mandate::CheckError::TooManyEntries { .. } | mandate::CheckError::TooLarge { .. },
        ) => return Vec::new(),
        Err(error) => panic!("checking every representative failed: {error}"),
    };
    assert_eq!(
        decisions.len(),
        mandate.representatives().len(),
        "check_all gives one decision per representative"
    );
    for (decision, rep) in decisions.iter().zip(mandate.representatives()) {
        assert_eq!(decision.representative, rep.id, "decisions in file order");
        assert_decision(mandate, ownership, rep, proposal, decision);
        let again = match mandate.check(proposal, &rep.id, day()) {
            Ok(again) => again,
            Err(error) => panic!("checking a known representative failed: {error}"),
        };
        assert_same_json(decision, &again);
        assert_text_report(mandate, proposal, decision);
    }
    decisions
}

/// The same decision twice must give byte-identical JSON.
pub fn assert_same_json(first: &Decision, second: &Decision) {
    let one = json(first);
    let two = json(second);
    assert!(
        one == two,
        "the same input gave different JSON:\n{one}\n---\n{two}"
    );
}

/// The decision's JSON (it must serialise, and parse back as JSON).
pub fn json(decision: &Decision) -> String {
    let text = match mandate::report::json(std::slice::from_ref(decision), true) {
        Ok(text) => text,
        Err(error) => panic!("a decision did not serialise: {error}"),
    };
    if let Err(error) = serde_json::from_str::<serde_json::Value>(&text) {
        panic!("a decision's JSON does not parse: {error}\n{text}");
    }
    text
}

/// The text report renders, and (issue 11, defect 3) echoes no control
/// character but newlines and tabs, so a title cannot rewrite the screen.
/// `MANDATE_FUZZ_SKIP_TEXT=1` turns the control-character check off (to
/// hunt for other findings on a tree without the fix).
pub fn assert_text_report(mandate: &Mandate, proposal: &Proposal, decision: &Decision) {
    // The report draws the title from the decision, which must carry the
    // proposal's own.
    assert_eq!(decision.title, proposal.title, "the decision's title is not the proposal's");
    let text = mandate::report::text(decision, mandate, false);
    if std::env::var_os("MANDATE_FUZZ_SKIP_TEXT").is_some() {
        return;
    }
    if let Some(c) = text
        .chars()
        .find(|c| c.is_control() && *c != '\n' && *c != '\t')
    {
        panic!("the text report echoes the control character {c:?} raw:\n{text:?}");
    }
}

/// Every invariant of one decision, for representative `rep`; `ownership`
/// is what the rule file's organisations own.
pub fn assert_decision(
    mandate: &Mandate,
    ownership: &Ownership,
    rep: &Representative,
    proposal: &Proposal,
    decision: &Decision,
) {
    assert_eq!(decision.proposal, proposal.id);
    assert_eq!(
        decision.topics.len(),
        proposal.topics.len(),
        "one topic decision per proposal topic"
    );

    // The outcome from first principles: topics, gates, principles.
    let mut expected = Outcome::Agree;
    let mut owners_seen: Vec<String> = Vec::new();
    for (topic, given) in decision.topics.iter().zip(&proposal.topics) {
        assert_eq!(&topic.topic, given, "topics in the proposal's order");
        let owned_by = ownership.owners(given);
        if owned_by.is_empty() {
            assert_topic_by_rules(rep, topic);
        } else {
            assert_eq!(
                topic.outcome,
                Outcome::Redirect,
                "an owned topic is redirected"
            );
            assert!(
                topic.rules.is_none(),
                "a redirected topic has no rule trace"
            );
            let listed: Vec<(String, u32)> = topic
                .owners
                .iter()
                .flatten()
                .map(|o| (o.id.clone(), o.line))
                .collect();
            assert_eq!(
                listed, owned_by,
                "a redirected topic lists its owners, sorted, at their lines"
            );
            owners_seen.extend(owned_by.into_iter().map(|(id, _)| id));
        }
        expected = expected.max(topic.outcome);
    }
    if gated(rep, proposal) {
        expected = expected.max(Outcome::Refer);
    }

    assert_eq!(
        decision.principles.len(),
        mandate.principles().len(),
        "one result per principle"
    );
    for (result, principle) in decision.principles.iter().zip(mandate.principles()) {
        assert_eq!(result.id, principle.id, "principles in file order");
        assert_eq!(result.severity, principle.severity);
        let effect = match (result.result, result.severity) {
            (PrincipleOutcome::Upheld, _) | (PrincipleOutcome::Violated, Severity::Advisory) => {
                Outcome::Agree
            }
            (PrincipleOutcome::Violated, Severity::Blocking) => Outcome::Decline,
            (PrincipleOutcome::Violated, Severity::Refer) | (PrincipleOutcome::Error, _) => {
                Outcome::Refer
            }
        };
        expected = expected.max(effect);
    }
    assert_eq!(
        decision.outcome, expected,
        "the outcome is the most severe of topics, gates and principles"
    );

    // redirect_to: sorted, no repeats, exactly the owners of redirected topics.
    owners_seen.sort();
    owners_seen.dedup();
    assert_eq!(
        decision.redirect_to, owners_seen,
        "redirect_to lists every owner, sorted"
    );
    let redirected = decision
        .topics
        .iter()
        .any(|t| t.outcome == Outcome::Redirect);
    assert_eq!(
        redirected,
        !decision.redirect_to.is_empty(),
        "redirect_to is non-empty exactly when a topic is redirected"
    );

    // Agree is earned: nothing unknown, refused or failing stands behind it.
    if decision.outcome == Outcome::Agree {
        for topic in &decision.topics {
            for rule in topic.rules.iter().flatten() {
                assert!(
                    !(rule.condition == "unknown" && rule.effect != Effect::MayAgree),
                    "agree with an unknown {:?} rule at line {}",
                    rule.effect,
                    rule.line
                );
                assert!(
                    !(rule.condition == "true" && rule.effect == Effect::MayNotAgree),
                    "agree with a true forbid at line {}",
                    rule.line
                );
            }
        }
        for result in &decision.principles {
            assert!(
                result.result != PrincipleOutcome::Error,
                "agree with principle {} in error",
                result.id
            );
            assert!(
                !(result.result == PrincipleOutcome::Violated
                    && result.severity != Severity::Advisory),
                "agree with {:?} principle {} violated",
                result.severity,
                result.id
            );
        }
    }

    // Forbid overrides grant.
    let forbidden = decision.topics.iter().any(|t| {
        t.rules
            .iter()
            .flatten()
            .any(|r| r.effect == Effect::MayNotAgree && r.condition == "true")
    });
    if forbidden {
        assert_eq!(decision.outcome, Outcome::Decline, "a true forbid declines");
    }

    // Priorities: those matching a topic, in file order.
    let priorities: Vec<&str> = mandate
        .priorities()
        .iter()
        .filter(|p| {
            proposal
                .topics
                .iter()
                .any(|t| p.patterns.iter().any(|pattern| pattern.matches(t)))
        })
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(
        decision.priorities, priorities,
        "priorities touched, in file order"
    );
    assert!(
        !decision.obligations.is_empty(),
        "there is always something to do next"
    );
}

/// Who owns what, read from the rule file's syntax tree (the compiled
/// mandate keeps it behind an index): the oracle for redirects.
#[derive(Debug, Default, Clone)]
pub struct Ownership {
    /// (organisation id, pattern, line of the pattern), in file order.
    entries: Vec<(String, TopicPattern, u32)>,
}

impl Ownership {
    /// Every `owns` pattern of `text` (a rule file that parses).
    pub fn from_source(text: &str) -> Self {
        let mut entries = Vec::new();
        if let Ok(file) = mandate::syntax::parse(text) {
            for declaration in &file.declarations {
                if let Declaration::Organisation(org) = declaration {
                    for owned in org.owned_patterns() {
                        entries.push((org.id.name.clone(), owned.pattern.clone(), owned.span.line));
                    }
                }
            }
        }
        Ownership { entries }
    }

    /// The owners of `topic`, sorted by id, each with the line of its first
    /// matching pattern, found by the plain matcher (not the engine's index).
    pub fn owners(&self, topic: &str) -> Vec<(String, u32)> {
        let mut owners: Vec<(String, u32)> = Vec::new();
        for (id, pattern, line) in &self.entries {
            if pattern.matches(topic) && !owners.iter().any(|(o, _)| o == id) {
                owners.push((id.clone(), *line));
            }
        }
        owners.sort();
        owners
    }
}

/// A non-redirected topic: the trace lists exactly the representative's
/// rules that match it (by the plain matcher, not the index), in file
/// order, and the topic's outcome follows from the trace by section 4.2.
fn assert_topic_by_rules(rep: &Representative, topic: &TopicDecision) {
    assert!(
        topic.owners.is_none(),
        "a topic kept by the group has no owners"
    );
    let Some(trace) = &topic.rules else {
        panic!("topic {} has neither rules nor owners", topic.topic);
    };
    // Rules, not lines: two rules may share a line.
    let matching_rules: Vec<_> = rep
        .rules
        .iter()
        .filter(|r| {
            r.patterns.iter().any(|p| p.matches(&topic.topic))
                && !r.except.iter().any(|p| p.matches(&topic.topic))
        })
        .collect();
    let matching: Vec<u32> = matching_rules.iter().map(|r| r.line).collect();
    let traced: Vec<u32> = trace.iter().map(|r| r.line).collect();
    assert_eq!(
        traced, matching,
        "the trace lists every matching rule, in file order"
    );
    for (rule, compiled) in trace.iter().zip(matching_rules) {
        assert_eq!(rule.effect, compiled.effect);
        assert!(
            matches!(rule.condition.as_str(), "true" | "false" | "unknown"),
            "condition {:?}",
            rule.condition
        );
        if rule.condition == "unknown" {
            assert!(
                !rule.unknown_fields.is_empty(),
                "an unknown condition names what would decide it (line {})",
                rule.line
            );
        } else {
            assert!(
                rule.unknown_fields.is_empty(),
                "unknown_fields only when unknown"
            );
        }
    }
    let has = |effect: Effect, condition: &str| {
        trace
            .iter()
            .any(|r| r.effect == effect && r.condition == condition)
    };
    let outcome = if has(Effect::MayNotAgree, "true") {
        Outcome::Decline
    } else if has(Effect::MayNotAgree, "unknown")
        || has(Effect::Refer, "unknown")
        || has(Effect::Refer, "true")
    {
        Outcome::Refer
    } else if has(Effect::MayAgree, "true") {
        Outcome::Agree
    } else {
        Outcome::Refer
    };
    assert_eq!(
        topic.outcome, outcome,
        "topic {}: outcome from its trace",
        topic.topic
    );
}

/// Whether a gate (forum or dates) holds the outcome at `refer` or above.
fn gated(rep: &Representative, proposal: &Proposal) -> bool {
    let forum = match &proposal.forum {
        Some(forum) => !rep.forums.is_empty() && !rep.forums.contains(forum),
        None => false,
    };
    let date = proposal.date.unwrap_or_else(day);
    let before = rep.valid_from.is_some_and(|from| date < from);
    let after = rep.valid_until.is_some_and(|until| date > until);
    forum || before || after
}

/// The 1-based line and column (in characters) of byte `offset` of
/// `text`, or `None` when the offset is past the end or inside a character.
pub fn position(text: &str, offset: usize) -> Option<(u32, u32)> {
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..)?.chars().count() + 1;
    Some((u32::try_from(line).ok()?, u32::try_from(column).ok()?))
}

/// `span` lies inside `text`, on character boundaries, and its line and
/// column are those of its start. `what` names it in the panic message.
pub fn assert_span(text: &str, span: mandate::syntax::ast::Span, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {}..{} outside a text of {} bytes",
        span.start,
        span.end,
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {}..{} cuts a character",
        span.start,
        span.end
    );
    assert_eq!(
        position(text, span.start),
        Some((span.line, span.column)),
        "{what}: line/column do not match byte {}",
        span.start
    );
}

/// Every span in a syntax tree (found through its serde form, where a span
/// is the string `line:column@start..end` under a key ending in `span`)
/// satisfies [`assert_span`].
pub fn assert_tree_spans(text: &str, file: &mandate::syntax::ast::MandateFile) {
    let tree = match serde_json::to_value(file) {
        Ok(tree) => tree,
        Err(error) => panic!("a syntax tree did not serialise: {error}"),
    };
    let mut stack = vec![("", &tree)];
    while let Some((key, value)) = stack.pop() {
        match value {
            serde_json::Value::Object(map) => {
                stack.extend(map.iter().map(|(k, v)| (k.as_str(), v)));
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|v| (key, v))),
            serde_json::Value::String(written) if key.ends_with("span") => {
                let span =
                    parse_span(written).unwrap_or_else(|| panic!("{key}: not a span: {written:?}"));
                assert_span(text, span, key);
            }
            _ => {}
        }
    }
}

fn parse_span(written: &str) -> Option<mandate::syntax::ast::Span> {
    let (place, range) = written.split_once('@')?;
    let (line, column) = place.split_once(':')?;
    let (start, end) = range.split_once("..")?;
    Some(mandate::syntax::ast::Span {
        start: start.parse().ok()?,
        end: end.parse().ok()?,
        line: line.parse().ok()?,
        column: column.parse().ok()?,
    })
}

/// Proposals aimed at `mandate`: its own topics (every pattern it names,
/// and one it does not know), first with no fields at all (so conditions
/// are unknown), then with every field a condition compares set to the
/// literal it is compared with (so they are true or false).
pub fn proposals_for(mandate: &Mandate, ownership: &Ownership) -> Vec<Proposal> {
    use mandate::compile::Expr;
    let mut topics: Vec<String> = Vec::new();
    let mut add = |pattern: &TopicPattern| {
        if let TopicPattern::Path(path) = pattern {
            if topics.len() < 30 && !topics.contains(path) {
                topics.push(path.clone());
            }
        }
    };
    let mut fields = serde_json::Map::new();
    for rep in mandate.representatives() {
        for rule in &rep.rules {
            rule.patterns.iter().chain(&rule.except).for_each(&mut add);
            let mut stack: Vec<&Expr> = rule.condition.iter().collect();
            while let Some(expr) = stack.pop() {
                match expr {
                    Expr::Or(terms) | Expr::And(terms) => stack.extend(terms),
                    Expr::Not(inner) => stack.push(inner),
                    Expr::Compare(Operand::Field(field), _, Operand::Value(value))
                    | Expr::Compare(Operand::Value(value), _, Operand::Field(field))
                    | Expr::Contains(Operand::Field(field), Operand::Value(value)) => {
                        set_field(&mut fields, field, to_json(value));
                    }
                    Expr::In(Operand::Field(field), values) => {
                        if let Some(value) = values.first() {
                            set_field(&mut fields, field, to_json(value));
                        }
                    }
                    Expr::Test(Operand::Field(field)) => {
                        set_field(&mut fields, field, serde_json::Value::Bool(true));
                    }
                    _ => {}
                }
            }
        }
    }
    for priority in mandate.priorities() {
        priority.patterns.iter().for_each(&mut add);
    }
    for (_, pattern, _) in &ownership.entries {
        add(pattern);
    }
    topics.push("zzz.not_in_this_mandate".into());
    let forum = mandate
        .representatives()
        .iter()
        .find_map(|r| r.forums.first().cloned());
    let mut proposals = Vec::new();
    for with_fields in [false, true] {
        let mut object = if with_fields {
            fields.clone()
        } else {
            serde_json::Map::new()
        };
        object.insert("title".into(), "Fuzz".into());
        object.insert("topics".into(), topics.clone().into());
        if let (true, Some(forum)) = (with_fields, &forum) {
            object.insert("forum".into(), forum.clone().into());
        }
        let text = serde_json::Value::Object(object).to_string();
        if let Ok(proposal) = Proposal::from_json(&text, "fuzz") {
            proposals.push(proposal);
        }
    }
    proposals
}

fn set_field(
    fields: &mut serde_json::Map<String, serde_json::Value>,
    path: &str,
    value: serde_json::Value,
) {
    let mut parts = path.split('.').peekable();
    let mut here = fields;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            here.entry(part.to_string()).or_insert(value);
            return;
        }
        let next = here
            .entry(part.to_string())
            .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
        match next {
            serde_json::Value::Object(map) => here = map,
            _ => return,
        }
    }
}

fn to_json(value: &mandate::compile::Value) -> serde_json::Value {
    use mandate::compile::Value;
    match value {
        Value::Number(n) => {
            serde_json::Number::from_f64(*n).map_or(serde_json::Value::Null, Into::into)
        }
        Value::String(s) => s.clone().into(),
        Value::Date(d) => d.to_string().into(),
        Value::Bool(b) => (*b).into(),
        Value::List(items) => items.iter().map(to_json).collect(),
    }
}
