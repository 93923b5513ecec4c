//! An [`Analysis`] in words a chair can read aloud: "Dr Asha Patel may
//! agree to Outpatient referrals (interface.outpatients) (line 163) where
//! Dr Gareth Hughes must decline them (line 201), when `cost` is more than
//! 20,000 and at most 50,000." Each finding is followed by its example
//! proposal, as JSON a representative can check.

use chrono::NaiveDate;
use serde_json::{Map, Value as Json};

use super::condition::{show_json, show_number};
use super::decision::long_date;
use super::names::{the, topic as topic_name};
use crate::analysis::{
    Analysis, Because, Bound, Condition, Dead, DeadRule, Finding, Gap, Tier, Values,
};
use crate::compile::{Effect, Mandate};
use crate::english::join;

/// The analysis as lines of text: a heading, then each kind of finding
/// with its count, then what the analysis covers.
pub fn lines(mandate: &Mandate, analysis: &Analysis) -> Vec<String> {
    let mut out = Vec::new();
    let day = crate::proposal::parse_iso_date(&analysis.date);
    out.push(format!(
        "Analysis of {}: {}{}.",
        mandate.group.name,
        count(analysis.representatives.len(), "representative"),
        day.map(|d| format!(", examples checked on {}", long_date(d)))
            .unwrap_or_default()
    ));
    section(
        &mut out,
        "Contradictions: one may agree where the other must decline",
        analysis
            .contradictions
            .iter()
            .map(|f| finding(mandate, f))
            .collect(),
        "None: no two representatives who could be at the same meeting would answer a proposal agree and decline.",
    );
    section(
        &mut out,
        "Differences: one may agree where the other must refer it to the group",
        analysis
            .differences
            .iter()
            .map(|f| finding(mandate, f))
            .collect(),
        "None.",
    );
    if !analysis.masked.is_empty() {
        section(
            &mut out,
            "Hidden by a principle: the rules differ, but a shared principle holds both back",
            analysis
                .masked
                .iter()
                .map(|f| finding(mandate, f))
                .collect(),
            "",
        );
    }
    section(
        &mut out,
        "Gaps",
        analysis
            .gaps
            .iter()
            .map(|g| vec![gap(mandate, g)])
            .collect(),
        "None.",
    );
    section(
        &mut out,
        "Rules that never matter",
        analysis
            .dead_rules
            .iter()
            .map(|d| vec![dead(mandate, d)])
            .collect(),
        "None.",
    );
    out.push(String::new());
    out.extend(coverage(analysis));
    out
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn section(out: &mut Vec<String>, title: &str, items: Vec<Vec<String>>, none: &str) {
    out.push(String::new());
    out.push(format!("{title} ({}):", items.len()));
    if items.is_empty() {
        out.push(format!("  {none}"));
    }
    for (i, item) in items.into_iter().enumerate() {
        for (j, line) in item.into_iter().enumerate() {
            if j == 0 {
                out.push(format!("  {}. {line}", i + 1));
            } else {
                out.push(format!("     {line}"));
            }
        }
    }
}

fn name(mandate: &Mandate, id: &str) -> String {
    mandate
        .representative(id)
        .map_or_else(|| id.to_string(), |r| r.name.clone())
}

/// One finding: the statement, then the example.
fn finding(mandate: &Mandate, f: &Finding) -> Vec<String> {
    let named_by_them = |t: &str| {
        [&f.agrees.representative, &f.other.representative]
            .iter()
            .filter_map(|id| mandate.representative(id))
            .flat_map(|r| &r.rules)
            .flat_map(|rule| rule.patterns.iter().chain(&rule.except))
            .any(|p| p.as_str() == t)
    };
    let topics: Vec<String> = f
        .topics
        .iter()
        .map(|t| {
            if named_by_them(t) {
                topic_name(mandate, t)
            } else {
                format!(
                    "any topic no rule of theirs names (such as {})",
                    topic_name(mandate, t)
                )
            }
        })
        .collect();
    let agrees = name(mandate, &f.agrees.representative);
    let other = name(mandate, &f.other.representative);
    let stance = match f.tier {
        Tier::Contradiction => "must decline",
        Tier::Difference => "must refer",
    };
    let validity = mandate.representative(&f.agrees.representative).map(|r| {
        (
            r.valid_from.map(|d| d.to_string()),
            r.valid_until.map(|d| d.to_string()),
        )
    });
    let when = when(&f.when, validity);
    // The meetings, when no alternative narrows them.
    let narrowed = f.when.iter().flatten().any(|c| c.field == "forum");
    let at = match f.forums.as_slice() {
        _ if narrowed => String::new(),
        [] => String::new(),
        forums if forums.len() <= 3 => {
            let named: Vec<String> = forums.iter().map(|f| the(f)).collect();
            format!(" at {}", join(&named, "or"))
        }
        _ => " at any meeting both attend".into(),
    };
    let mut lines = vec![format!(
        "{agrees} may agree to {}{at}{} where {other} {stance} it{}{when}.",
        join(&topics, "and"),
        agree_because(&f.agrees.because),
        other_because(mandate, &f.other.because),
    )];
    if !f.witness.masked_by.is_empty() {
        let named: Vec<String> = f
            .witness
            .masked_by
            .iter()
            .map(|id| match mandate.principle(id) {
                Some(p) => format!("`{id}` (\"{}\", line {})", p.statement, p.line),
                None => format!("`{id}`"),
            })
            .collect();
        lines.push(format!(
            "Not a contradiction in practice: the principle {} holds both back on every example tried.",
            join(&named, "and")
        ));
    } else if !f.witness.confirmed {
        lines.push("The check did not confirm this example; please report it.".into());
    }
    lines.push(format!("Example: {}", example(&f.witness.proposal)));
    lines
}

fn agree_because(because: &Because) -> String {
    match because {
        Because::Rule { line, .. } => format!(" (line {line})"),
        _ => String::new(),
    }
}

fn other_because(mandate: &Mandate, because: &Because) -> String {
    let _ = mandate;
    match because {
        Because::Rule {
            line,
            effect,
            condition,
        } => match (effect, condition.as_str()) {
            (Effect::MayNotAgree, "true") | (Effect::Refer, "true") => format!(" (line {line})"),
            (Effect::MayNotAgree, _) => format!(
                " (line {line} may forbid it, and the proposal does not give what it asks, or gives it as another kind of value)"
            ),
            (Effect::Refer, _) => format!(
                " (line {line} may refer it, and the proposal does not give what it asks, or gives it as another kind of value)"
            ),
            (Effect::MayAgree, _) => format!(
                " (line {line} grants it only when the proposal gives what it asks, as the kind of value it compares)"
            ),
        },
        Because::NothingGrants { grants } => match grants.as_slice() {
            [] => " (nothing in their mandate grants it)".into(),
            lines => {
                let shown: Vec<String> = lines.iter().map(|l| format!("line {l}")).collect();
                format!(
                    " (nothing in their mandate grants it then: the condition of {} does not hold)",
                    join(&shown, "and")
                )
            }
        },
        Because::NotInForce { line } => {
            format!(" (their mandate is not in force that day, line {line})")
        }
    }
}

/// ", at the F when A and B, on a day ...; or ...", or nothing when the
/// fields do not matter. A date range that is just the agreeing
/// representative's mandate is left unsaid: agreeing needs it anyway.
fn when(
    alternatives: &[Vec<Condition>],
    validity: Option<(Option<String>, Option<String>)>,
) -> String {
    let said: Vec<String> = alternatives
        .iter()
        .map(|conditions| {
            let mut at = Vec::new();
            let mut fields = Vec::new();
            let mut days = Vec::new();
            for c in conditions {
                match c.field.as_str() {
                    "forum" => at.push(condition(c)),
                    "date" => {
                        let theirs = match (c.values.as_slice(), &validity) {
                            ([Values::Dates { from, to }], Some((f, t))) => from == f && to == t,
                            _ => false,
                        };
                        if !theirs {
                            days.push(condition(c));
                        }
                    }
                    _ => fields.push(condition(c)),
                }
            }
            let mut text = at.join(" ");
            if !fields.is_empty() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&format!("when {}", join(&fields, "and")));
            }
            if !days.is_empty() {
                if !text.is_empty() {
                    text.push_str(", ");
                }
                text.push_str(&days.join(", "));
            }
            text
        })
        .collect();
    if said.iter().any(String::is_empty) {
        // Some alternative holds whatever the fields: that covers the rest.
        return String::new();
    }
    format!(", {}", said.join("; or "))
}

/// One condition: "`cost` is more than 20,000 and at most 50,000".
fn condition(c: &Condition) -> String {
    match c.field.as_str() {
        "forum" => {
            let forums: Vec<String> = c
                .values
                .iter()
                .map(|v| match v {
                    Values::Text { value } => the(value),
                    Values::NotGiven => "no named meeting".into(),
                    _ => "another meeting".into(),
                })
                .collect();
            format!("at {}", join(&forums, "or"))
        }
        "date" => {
            let days: Vec<String> = c.values.iter().map(day_range).collect();
            format!("on a day {}", join(&days, "or"))
        }
        field => {
            let values = value_phrases(&c.values, &c.other_values);
            let others = value_phrases(&c.other_values, &c.values);
            let given = c.values.iter().any(|v| matches!(v, Values::NotGiven));
            let all: Vec<&Values> = c.values.iter().chain(&c.other_values).collect();
            let ranged = matches!(main_kind(&all), Some(Kind::Number | Kind::Date));
            let named = c
                .other_values
                .iter()
                .all(|v| matches!(v, Values::Text { .. }));
            let shorter = others.len() < values.len() || (others.len() == values.len() && named);
            if !ranged && !c.other_values.is_empty() && shorter {
                let but = join(&others, "or");
                if given {
                    format!("`{field}` is anything but {but}")
                } else {
                    format!("`{field}` is given and is anything but {but}")
                }
            } else {
                format!("`{field}` is {}", join(&values, "or"))
            }
        }
    }
}

/// The kind of value the rules compare a field with, judged from all its
/// values.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Date,
    Text,
    Bool,
    List,
    Other,
}

fn kind_of(v: &Values) -> Kind {
    match v {
        Values::Number { .. } | Values::Numbers { .. } => Kind::Number,
        Values::Date { .. } | Values::Dates { .. } => Kind::Date,
        Values::Text { .. } | Values::OtherText { .. } => Kind::Text,
        Values::Bool { .. } => Kind::Bool,
        Values::List { .. } => Kind::List,
        Values::NotGiven | Values::Object | Values::Relation { .. } => Kind::Other,
    }
}

/// The kind the rules compare a field with: the one of its values that is
/// cut finest (a range with an end, a named text, ...).
fn main_kind(all: &[&Values]) -> Option<Kind> {
    let has = |k: Kind| all.iter().filter(|v| kind_of(v) == k).count();
    let bounded = all.iter().any(|v| match v {
        Values::Numbers { from, to } => from.is_some() || to.is_some(),
        Values::Number { .. } => true,
        _ => false,
    });
    // Only a field compared with dates has date values at all.
    let dated = all
        .iter()
        .any(|v| matches!(v, Values::Dates { .. } | Values::Date { .. }));
    if dated {
        Some(Kind::Date)
    } else if bounded {
        Some(Kind::Number)
    } else if all.iter().any(|v| matches!(v, Values::Text { .. }))
        || all
            .iter()
            .any(|v| matches!(v, Values::OtherText { looked_for, .. } if !looked_for.is_empty()))
            && has(Kind::List) <= 1
    {
        Some(Kind::Text)
    } else if has(Kind::List) > 1 {
        Some(Kind::List)
    } else if has(Kind::Bool) > 1 {
        Some(Kind::Bool)
    } else {
        None
    }
}

/// The values of one field in words; the values of other kinds than the
/// one the rules compare are said together when all are in ("not given
/// as a number").
fn value_phrases(values: &[Values], others: &[Values]) -> Vec<String> {
    let all: Vec<&Values> = values.iter().chain(others).collect();
    let Some(main) = main_kind(&all) else {
        return values.iter().map(value).collect();
    };
    let stray = |v: &Values| kind_of(v) != main;
    let every_stray_in = !others.iter().any(stray);
    let strays = values.iter().filter(|v| stray(v)).count();
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !(every_stray_in && strays > 1 && stray(v)) {
            out.push(value(v));
        }
    }
    if every_stray_in && strays > 1 {
        out.push(
            match main {
                Kind::Number => "not given as a number",
                Kind::Date => "not given as a date",
                Kind::Text => "not given as a text",
                Kind::Bool => "not given as true or false",
                Kind::List => "not given as a list",
                Kind::Other => "not given",
            }
            .into(),
        );
    }
    out
}

fn bound(b: &Bound, lower: bool) -> String {
    let n = show_number(b.value);
    match (lower, b.inclusive) {
        (true, true) => format!("at least {n}"),
        (true, false) => format!("more than {n}"),
        (false, true) => format!("at most {n}"),
        (false, false) => format!("less than {n}"),
    }
}

fn value(v: &Values) -> String {
    match v {
        Values::NotGiven => "not given".into(),
        Values::Number { value } => show_number(*value),
        Values::Numbers { from, to } => match (from, to) {
            (Some(f), Some(t)) => format!("{} and {}", bound(f, true), bound(t, false)),
            (Some(f), None) => bound(f, true),
            (None, Some(t)) => bound(t, false),
            (None, None) => "any number".into(),
        },
        Values::Date { .. } | Values::Dates { .. } => format!("a date {}", day_range(v)),
        Values::Text { value } => format!("\"{value}\""),
        Values::OtherText {
            containing,
            looked_for,
            other_than,
        } => {
            let mut text = if other_than.is_empty() {
                "a text".to_string()
            } else {
                let named: Vec<String> = other_than.iter().map(|t| format!("\"{t}\"")).collect();
                format!("a text other than {}", join(&named, "and"))
            };
            let quoted = |items: Vec<&String>| -> Vec<String> {
                items.into_iter().map(|t| format!("\"{t}\"")).collect()
            };
            let with: Vec<&String> = looked_for
                .iter()
                .filter(|l| containing.contains(l))
                .collect();
            let without: Vec<&String> = looked_for
                .iter()
                .filter(|l| !containing.contains(l))
                .collect();
            if !with.is_empty() {
                text.push_str(&format!(" containing {}", join(&quoted(with), "and")));
            }
            if !without.is_empty() {
                text.push_str(&format!(" not containing {}", join(&quoted(without), "or")));
            }
            text
        }
        Values::Bool { value } => value.to_string(),
        Values::List {
            including,
            looked_for,
        } => {
            let shown =
                |items: Vec<&Json>| -> Vec<String> { items.into_iter().map(show_json).collect() };
            let with: Vec<&Json> = including.iter().collect();
            let without: Vec<&Json> = looked_for
                .iter()
                .filter(|l| !including.contains(l))
                .collect();
            match (with.is_empty(), without.is_empty()) {
                (true, true) => "a list".into(),
                (false, true) => format!("a list including {}", join(&shown(with), "and")),
                (true, false) => format!("a list without {}", join(&shown(without), "or")),
                (false, false) => format!(
                    "a list including {} but not {}",
                    join(&shown(with), "and"),
                    join(&shown(without), "or")
                ),
            }
        }
        Values::Object => "an object".into(),
        Values::Relation {
            comparisons,
            truths,
        } => {
            let parts: Vec<String> = comparisons
                .iter()
                .zip(truths)
                .map(|(c, t)| match t.as_str() {
                    "true" => c.clone(),
                    "false" => format!("not ({c})"),
                    _ => format!("unknown whether {c}"),
                })
                .collect();
            format!("such that {}", join(&parts, "and"))
        }
    }
}

fn long(day: &str) -> String {
    crate::proposal::parse_iso_date(day).map_or_else(
        || day.to_string(),
        |d: NaiveDate| d.format("%-d %B %Y").to_string(),
    )
}

fn day_range(v: &Values) -> String {
    match v {
        Values::Date { value } => format!("on {}", long(value)),
        Values::Dates { from, to } => match (from, to) {
            (Some(f), Some(t)) => format!("from {} to {}", long(f), long(t)),
            (Some(f), None) => format!("from {}", long(f)),
            (None, Some(t)) => format!("up to {}", long(t)),
            (None, None) => "any day".into(),
        },
        Values::NotGiven => "not given".into(),
        other => value(other),
    }
}

/// The example proposal as one line of JSON, in the README's order:
/// `title`, `topics`, `forum`, `date`, then the fields.
fn example(proposal: &Json) -> String {
    let Json::Object(map) = proposal else {
        return proposal.to_string();
    };
    let first = ["title", "topics", "forum", "date"];
    let mut parts = Vec::new();
    for key in first {
        if let Some(v) = map.get(key) {
            parts.push(format!("{}: {v}", Json::String(key.into())));
        }
    }
    let rest: Map<String, Json> = map
        .iter()
        .filter(|(k, _)| !first.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in rest {
        parts.push(format!("{}: {v}", Json::String(k)));
    }
    format!("{{{}}}", parts.join(", "))
}

fn gap(mandate: &Mandate, g: &Gap) -> String {
    let grants = |grants: &[crate::analysis::gaps::GrantRef]| {
        if grants.is_empty() {
            " No rule grants it.".to_string()
        } else {
            let shown: Vec<String> = grants
                .iter()
                .map(|g| format!("line {} ({})", g.line, name(mandate, &g.representative)))
                .collect();
            format!(
                " The grants that cover part of it ({}) never give agree: another rule or a gate always wins, or their conditions cannot hold.",
                join(&shown, "and")
            )
        }
    };
    match g {
        Gap::Priority {
            priority,
            line,
            grants: g,
        } => {
            let named = mandate
                .priority(priority)
                .map_or_else(|| priority.clone(), |p| format!("\"{}\"", p.name));
            format!(
                "The priority {named} (line {line}): no representative may agree to anything on it, at any meeting, on any day.{}",
                grants(g)
            )
        }
        Gap::Topic {
            topic,
            line,
            grants: g,
        } => format!(
            "{} (line {line}): no representative may agree to it or to anything below it, and no organisation owns it, so every proposal on it comes back to the group.{}",
            topic_name(mandate, topic),
            grants(g)
        ),
        Gap::Forum {
            representative,
            forum,
            line,
        } => format!(
            "{} lists {} (line {line}), but no rule of theirs can agree to anything there.",
            name(mandate, representative),
            the(forum)
        ),
        Gap::Unrepresented { forum, from, until } => {
            let period = if from == until {
                format!("On {}", long(from))
            } else {
                format!("From {} to {}", long(from), long(until))
            };
            format!(
                "{period}, nobody whose mandate is in force may represent the group at {}.",
                the(forum)
            )
        }
    }
}

fn dead(mandate: &Mandate, d: &DeadRule) -> String {
    let who = name(mandate, &d.representative);
    let rule = match d.effect {
        Effect::MayAgree => "grant",
        Effect::Refer => "refer",
        Effect::MayNotAgree => "forbid",
    };
    let lines = |by: &[u32]| {
        let shown: Vec<String> = by.iter().map(|l| l.to_string()).collect();
        match shown.as_slice() {
            [one] => format!("line {one}"),
            _ => format!("lines {}", join(&shown, "and")),
        }
    };
    let why = match &d.why {
        Dead::Owned { owners } => {
            let shown: Vec<String> = owners
                .iter()
                .map(|o| {
                    let org = mandate
                        .organisation(&o.id)
                        .map_or_else(|| o.id.clone(), |org| org.name.clone());
                    format!("{org} (line {})", o.line)
                })
                .collect();
            format!(
                "never applies: every topic it names belongs to {}, so it is redirected first",
                join(&shown, "and")
            )
        }
        Dead::Excepted => "never applies: its `except` takes out every topic it names".into(),
        Dead::NotTheirForum { forum } => format!(
            "never gives agree: it is at {}, which is not one of {who}'s forums, so the forum gate always refers it",
            the(forum)
        ),
        Dead::NeverTrue => {
            if d.effect == Effect::MayAgree {
                "never applies: its condition can never be true".into()
            } else {
                "can never be true: it only ever refers a proposal that does not give what its condition asks".into()
            }
        }
        Dead::Overridden { by } => format!(
            "never gives agree: wherever it holds, {} {} too and {}",
            lines(by),
            if by.len() == 1 { "holds" } else { "hold" },
            if by.len() == 1 { "wins" } else { "win" }
        ),
        Dead::Default => "only says what happens anyway: wherever it holds, no grant of theirs holds, so the proposal comes back to the group without it".into(),
        Dead::Redundant { by } => {
            if by.is_empty() {
                "never changes the answer: the other rules give the same answer wherever it holds".into()
            } else {
                format!(
                    "never changes the answer: wherever it holds, {} already gives the same answer",
                    lines(by)
                )
            }
        }
    };
    format!("Line {} ({who}'s {rule}) {why}.", d.line)
}

fn coverage(analysis: &Analysis) -> Vec<String> {
    let c = &analysis.coverage;
    let mut out = vec![format!(
        "Covered: {} who could be at the same meeting ({} never could), {} and {} of fields, forums and dates.",
        if c.pairs == 1 { "1 pair of representatives".to_string() } else { format!("{} pairs of representatives", c.pairs) },
        c.pairs_apart,
        count(c.regions, "topic region"),
        count_u64(c.cells, "combination"),
    )];
    if c.exact {
        out.push("This is a proof: every proposal with one topic (and so every proposal) falls in one of these combinations, and the check itself gave every example above the two answers it shows (the examples of a finding hidden by a principle show the principle holding both back). Principles are not compared: they apply to every representative alike, so they can only hide a difference, never make one.".into());
    } else {
        out.push(
            "Not everything could be covered, so finding nothing there is not a proof:".into(),
        );
        for n in &c.not_covered {
            out.push(format!(
                "  - {} on {}: {}.",
                join(&n.representatives, "and"),
                n.topic,
                n.why
            ));
        }
    }
    out
}

fn count_u64(n: u64, word: &str) -> String {
    let shown = show_number(n as f64);
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{shown} {word}s")
    }
}
