//! The same permit/forbid sets as AWS Cedar policies: the translation of
//! a generated mandate of the peer shape (`benches/support/generate.rs`,
//! `Shape::peer`) and of its requests into Cedar's terms, for the
//! side-by-side benchmark (`benches/peer.rs`) and the peak-memory
//! programs (`src/bin/`). `README.md` beside this crate says what maps to
//! what and what has no Cedar equivalent.
//!
//! - one principal `Representative::"id"` per representative, one resource
//!   `Topic::"a.b.c"` per declared topic, its parent topic as its parent
//!   entity, and one action `Action::"agree"`;
//! - `may agree` is `permit`, `may not agree` is `forbid`, each for its
//!   representative: a single pattern in the scope (`resource in
//!   Topic::"P"`), several in the `when` (`resource in [..]`), `*` as no
//!   resource constraint, `except` as `unless { resource in [..] }`, `at
//!   "F"` as `context.forum == "F"`, and the condition on `context`;
//! - a request's principal, action, resource (its one topic) and context
//!   (its fields and its forum).

#[path = "../../benches/support/generate.rs"]
pub mod generate;

use cedar_policy::{
    Context, Entities, Entity, EntityUid, PolicySet, Request, RestrictedExpression,
};
use generate::{Cond, Effect, Generated, Lit, Model, Op, Rule, Value};
use std::collections::HashSet;
use std::fmt::Write;
use std::str::FromStr;

/// Why a mandate or a request has no Cedar equivalent here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untranslatable(pub String);

impl std::fmt::Display for Untranslatable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Untranslatable {}

fn refuse<T>(why: impl Into<String>) -> Result<T, Untranslatable> {
    Err(Untranslatable(why.into()))
}

/// A text as a Cedar string literal.
fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `Topic::"a.b.c"`.
pub fn topic_uid_text(path: &str) -> String {
    format!("Topic::{}", string(path))
}

/// `Representative::"id"`.
pub fn representative_uid_text(id: &str) -> String {
    format!("Representative::{}", string(id))
}

fn lit(value: &Lit) -> Result<String, Untranslatable> {
    match value {
        Lit::Int(n) => Ok(n.to_string()),
        Lit::Text(t) => Ok(string(t)),
        Lit::Bool(b) => Ok(b.to_string()),
        Lit::Date(d) => refuse(format!("the date {d}: Cedar has no date literal here")),
    }
}

/// A condition as a Cedar expression on `context`.
pub fn condition(cond: &Cond) -> Result<String, Untranslatable> {
    Ok(match cond {
        Cond::Compare { field, op, value } => {
            match (op, value) {
                (Op::Eq | Op::Ne, _) | (_, Lit::Int(_)) => {}
                _ => return refuse(format!("`{}`: ordering only numbers", cond.to_mandate())),
            }
            format!("context.{field} {} {}", op.as_str(), lit(value)?)
        }
        Cond::In { field, values } => {
            let list: Result<Vec<String>, _> = values.iter().map(lit).collect();
            format!("[{}].contains(context.{field})", list?.join(", "))
        }
        // `contains` on a list of texts; the peer shape has no text fields
        // it would ask for a piece of.
        Cond::Contains { field, value } => {
            format!("context.{field}.contains({})", lit(value)?)
        }
        Cond::Field(field) => format!("context.{field}"),
        Cond::Not(inner) => format!("!({})", condition(inner)?),
        Cond::And(parts) => join(parts, " && ")?,
        Cond::Or(parts) => join(parts, " || ")?,
    })
}

fn join(parts: &[Cond], with: &str) -> Result<String, Untranslatable> {
    let parts: Result<Vec<String>, _> = parts
        .iter()
        .map(|p| condition(p).map(|c| format!("({c})")))
        .collect();
    Ok(parts?.join(with))
}

/// One rule of the representative `rep` as one Cedar policy.
pub fn policy(rep: &str, rule: &Rule) -> Result<String, Untranslatable> {
    let head = match rule.effect {
        Effect::Agree => "permit",
        Effect::Forbid => "forbid",
        Effect::Refer => return refuse(format!("`{}`: refer has no Cedar effect", rule.text)),
    };
    let mut when: Vec<String> = Vec::new();
    let resource = if rule.patterns.iter().any(|p| p == "*") {
        "resource".to_string()
    } else if let [one] = rule.patterns.as_slice() {
        format!("resource in {}", topic_uid_text(one))
    } else {
        let list: Vec<String> = rule.patterns.iter().map(|p| topic_uid_text(p)).collect();
        when.push(format!("resource in [{}]", list.join(", ")));
        "resource".to_string()
    };
    if let Some(forum) = &rule.at {
        when.push(format!("context.forum == {}", string(forum)));
    }
    if let Some(cond) = &rule.when {
        when.push(condition(cond)?);
    }
    let mut text = format!(
        "{head} (\n  principal == {},\n  action == Action::\"agree\",\n  {resource}\n)",
        representative_uid_text(rep)
    );
    if !when.is_empty() {
        let parts: Vec<String> = if when.len() == 1 {
            when
        } else {
            when.into_iter().map(|w| format!("({w})")).collect()
        };
        let _ = write!(text, "\nwhen {{ {} }}", parts.join(" && "));
    }
    if !rule.except.is_empty() {
        let list: Vec<String> = rule.except.iter().map(|p| topic_uid_text(p)).collect();
        let _ = write!(text, "\nunless {{ resource in [{}] }}", list.join(", "));
    }
    text.push_str(";\n");
    Ok(text)
}

/// Refuses what the peer shape leaves out: organisations, forum and date
/// gates (and principles, which the generator writes only on request).
fn check_shape(model: &Model) -> Result<(), Untranslatable> {
    if !model.organisations.is_empty() {
        return refuse("organisations (redirect) have no Cedar equivalent");
    }
    for rep in &model.representatives {
        if !rep.forums.is_empty() || rep.valid_from.is_some() || rep.valid_until.is_some() {
            return refuse(format!(
                "{}: forum and date gates (refer) have no Cedar equivalent",
                rep.id
            ));
        }
    }
    Ok(())
}

/// The Cedar side of a generated mandate.
#[derive(Debug, Clone)]
pub struct Policies {
    /// Every policy, one per rule, in the model's order: `policy{i}` is
    /// the rule `rules[i]` names.
    pub text: String,
    /// For each policy: the representative's index and the rule's index
    /// among their rules.
    pub rules: Vec<(usize, usize)>,
}

impl Policies {
    /// The rule of the policy `policy{i}`, as the mandate writes it.
    pub fn rule_of<'m>(&self, model: &'m Model, policy_id: &str) -> Option<&'m Rule> {
        let i: usize = policy_id.strip_prefix("policy")?.parse().ok()?;
        let (r, k) = *self.rules.get(i)?;
        model.representatives.get(r)?.rules.get(k)
    }
}

/// Every rule of a peer-shape model as Cedar policy text.
pub fn policies(model: &Model) -> Result<Policies, Untranslatable> {
    check_shape(model)?;
    let mut text = String::new();
    let mut rules = Vec::new();
    for (r, rep) in model.representatives.iter().enumerate() {
        for (k, rule) in rep.rules.iter().enumerate() {
            text.push_str(&policy(&rep.id, rule)?);
            text.push('\n');
            rules.push((r, k));
        }
    }
    Ok(Policies { text, rules })
}

fn uid(text: &str) -> Result<EntityUid, Untranslatable> {
    EntityUid::from_str(text).map_err(|e| Untranslatable(format!("{text}: {e}")))
}

/// The entities: every representative, and every topic with its parent.
pub fn entities(model: &Model) -> Result<Entities, Untranslatable> {
    let mut all = Vec::with_capacity(model.representatives.len() + model.topics.len());
    for rep in &model.representatives {
        all.push(Entity::new_no_attrs(
            uid(&representative_uid_text(&rep.id))?,
            HashSet::new(),
        ));
    }
    for topic in &model.topics {
        let mut parents = HashSet::new();
        if let Some(p) = topic.parent {
            parents.insert(uid(&topic_uid_text(&model.topics[p].path))?);
        }
        all.push(Entity::new_no_attrs(
            uid(&topic_uid_text(&topic.path))?,
            parents,
        ));
    }
    Entities::from_entities(all, None).map_err(|e| Untranslatable(e.to_string()))
}

/// The entities in Cedar's JSON entity format, for a program that reads
/// them back with `Entities::from_json_str`.
pub fn entities_json(model: &Model) -> Result<String, Untranslatable> {
    let mut out = Vec::new();
    entities(model)?
        .write_to_json(&mut out)
        .map_err(|e| Untranslatable(e.to_string()))?;
    String::from_utf8(out).map_err(|e| Untranslatable(e.to_string()))
}

fn value(value: &Value) -> RestrictedExpression {
    match value {
        Value::Int(n) => RestrictedExpression::new_long(*n),
        Value::Text(t) => RestrictedExpression::new_string(t.clone()),
        Value::Bool(b) => RestrictedExpression::new_bool(*b),
        Value::List(items) => RestrictedExpression::new_set(
            items
                .iter()
                .map(|i| RestrictedExpression::new_string(i.clone())),
        ),
    }
}

/// A generated request as a Cedar request: the representative, `agree`,
/// the proposal's one topic, and its fields and forum as the context.
pub fn request(request: &generate::Request) -> Result<Request, Untranslatable> {
    let mut pairs: Vec<(String, RestrictedExpression)> = request
        .fields
        .iter()
        .map(|(name, v)| (name.clone(), value(v)))
        .collect();
    if let Some(forum) = &request.forum {
        pairs.push((
            "forum".to_string(),
            RestrictedExpression::new_string(forum.clone()),
        ));
    }
    let context = Context::from_pairs(pairs).map_err(|e| Untranslatable(e.to_string()))?;
    Request::new(
        uid(&representative_uid_text(&request.representative))?,
        uid("Action::\"agree\"")?,
        uid(&topic_uid_text(&request.topic))?,
        context,
        None,
    )
    .map_err(|e| Untranslatable(e.to_string()))
}

/// A peer-shape mandate on both sides.
#[derive(Debug)]
pub struct Both {
    /// The mandate's text and model.
    pub generated: Generated,
    /// The Cedar policies' text and the rule of each.
    pub policies: Policies,
    /// The policies parsed.
    pub policy_set: PolicySet,
    /// The representatives and topics.
    pub entities: Entities,
}

/// Generates the peer-shape mandate of `rules` rules and translates it.
pub fn both(rules: usize) -> Result<Both, Untranslatable> {
    let generated = generate::generate(&generate::Shape::peer(rules));
    let policies = policies(&generated.model)?;
    let policy_set =
        PolicySet::from_str(&policies.text).map_err(|e| Untranslatable(format!("{e:?}")))?;
    let entities = entities(&generated.model)?;
    Ok(Both {
        generated,
        policies,
        policy_set,
        entities,
    })
}

/// `n` hits and `n` misses of a generated mandate, in turn.
pub fn hits_and_misses(generated: &Generated, n: usize, seed: u64) -> Vec<generate::Request> {
    let hits = generate::requests(generated, generate::Kind::Hit, n, seed);
    let misses = generate::requests(generated, generate::Kind::Miss, n, seed.wrapping_add(1));
    hits.into_iter()
        .zip(misses)
        .flat_map(|(h, m)| [h, m])
        .collect()
}

/// The day every check is made ([`generate::DAY`]).
pub fn day() -> chrono::NaiveDate {
    let (y, m, d) = generate::DAY_YMD;
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Loads a mandate's text (parse, validate, compile), as `mandate` does:
/// the mandate, or the first error.
pub fn load_mandate(name: &str, text: &str) -> Result<mandate::Mandate, Untranslatable> {
    let loaded = mandate::Mandate::from_source(
        mandate::SourceFile {
            name: name.to_string(),
            text: text.to_string(),
        },
        mandate::Scripts::new(),
        day(),
    );
    match loaded.mandate {
        Some(m) => Ok(m),
        None => refuse(format!("{name}: {:?}", loaded.diagnostics.first())),
    }
}

/// The process's peak resident set so far (`VmHWM` in
/// `/proc/self/status`), in KiB; none where there is no such file.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The files the peak-memory programs read, in one folder.
pub mod rss_files {
    /// The mandate text.
    pub const MANDATE: &str = "peer.mandate";
    /// The Cedar policies.
    pub const POLICIES: &str = "peer.cedar";
    /// The Cedar entities, as Cedar's entity JSON.
    pub const ENTITIES: &str = "peer.entities.json";
    /// One request a line: the representative, a tab, the proposal JSON.
    pub const REQUESTS: &str = "requests.tsv";
}

/// What the proposal JSON of a request gives Cedar's context: every key
/// but `id`, `title`, `topics`, `date` and `representative` (its fields and
/// its forum), as `request` builds it from the generator's request.
pub fn context_of(proposal: &serde_json::Value) -> Result<Context, Untranslatable> {
    let Some(object) = proposal.as_object() else {
        return refuse("a proposal is a JSON object");
    };
    let mut context = serde_json::Map::new();
    for (key, value) in object {
        if !["id", "title", "topics", "date", "representative"].contains(&key.as_str()) {
            context.insert(key.clone(), value.clone());
        }
    }
    Context::from_json_value(serde_json::Value::Object(context), None)
        .map_err(|e| Untranslatable(e.to_string()))
}

/// A Cedar request from a representative's id and a proposal's JSON (its
/// first topic is the resource).
pub fn request_from_json(representative: &str, json: &str) -> Result<Request, Untranslatable> {
    let proposal: serde_json::Value =
        serde_json::from_str(json).map_err(|e| Untranslatable(e.to_string()))?;
    let Some(topic) = proposal["topics"][0].as_str() else {
        return refuse("a proposal with no topic");
    };
    Request::new(
        uid(&representative_uid_text(representative))?,
        uid("Action::\"agree\"")?,
        uid(&topic_uid_text(topic))?,
        context_of(&proposal)?,
        None,
    )
    .map_err(|e| Untranslatable(e.to_string()))
}
