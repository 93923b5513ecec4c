//! Mandate -> [`Analysis`]: where representatives would contradict each
//! other, the gaps in what the group can agree, and rules that never
//! matter (the README's "Analysing a mandate").
//!
//! Owns the proof. For each pair of representatives who could be at the
//! same meeting, each topic region their rules tell apart, and each cell of
//! the fields their rules read (`space.rs`), it decides both answers with
//! the check's own step 2 ([`crate::check`]) and gates, so every proposal
//! with one topic is covered: a finding is a proof, and so is finding
//! nothing. Every finding carries a witness proposal that [`Mandate::check`]
//! itself confirms (principles included); where a principle makes both
//! refer or decline, the finding is reported as masked by it. Facts only:
//! [`crate::wording::analysis`] says them in English.
//!
//! Why one topic at a time is enough: a proposal's outcome is the most
//! severe of its topics' outcomes and the gates (principles aside, which
//! are the same for both). If one representative agrees a proposal with
//! several topics, they agree each topic alone; if the other declines it,
//! they decline one of its topics alone (gates only refer), and if they
//! refer it, they refer one of its topics alone or a gate stops them for
//! any topic. So a contradiction on several topics is one on a single
//! topic, with the same fields, forum and date.

mod dead;
pub mod gaps;
mod merge;
pub(crate) mod space;
mod witness;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::check::logic::Truth;
use crate::check::{MandateRef, Outcome};
use crate::compile::{Effect, Mandate, Representative};
use crate::topic::TopicPattern;
use space::{Answer, Inexact, Scope, Space};

pub use dead::{Dead, DeadRule};
pub use gaps::Gap;

/// What to analyse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The representatives to analyse (ids); empty for all. Pairs are
    /// compared when at least one of the two is named; gaps in what a
    /// representative can agree and dead rules are given for the named.
    pub representatives: Vec<String>,
    /// The day of the check: the date a witness uses when no date matters,
    /// and the day principles and gates are judged on otherwise.
    pub today: NaiveDate,
}

/// Why an analysis could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// `--as` named no representative of the mandate (with the ids it has
    /// and "did you mean", as a check says it).
    #[error(transparent)]
    Representative(#[from] crate::check::CheckError),
}

impl AnalysisError {
    /// What to do instead.
    pub fn help(&self) -> String {
        match self {
            AnalysisError::Representative(error) => error.help(),
        }
    }
}

/// Everything the analysis found, as plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// The mandate analysed.
    pub mandate: MandateRef,
    /// The day of the check the witnesses were checked on.
    pub date: String,
    /// The representatives analysed, in file order.
    pub representatives: Vec<String>,
    /// First tier: one would agree where the other must decline.
    pub contradictions: Vec<Finding>,
    /// Second tier: one would agree where the other must refer (a
    /// difference of mandate, not always a contradiction).
    pub differences: Vec<Finding>,
    /// Contradictions and differences in the rules that a shared principle
    /// hides for every witness tried (both must refer or decline because
    /// of it).
    pub masked: Vec<Finding>,
    /// Gaps in what the group can agree.
    pub gaps: Vec<Gap>,
    /// Rules that can never matter, or whose condition can never be true.
    pub dead_rules: Vec<DeadRule>,
    /// What was covered.
    pub coverage: Coverage,
}

/// One way two representatives answer the same proposals differently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Which tier.
    pub tier: Tier,
    /// The one who would agree.
    pub agrees: Stance,
    /// The one who would not.
    pub other: Stance,
    /// The topics (each standing for itself and the topics below it that
    /// neither representative names apart).
    pub topics: Vec<String>,
    /// The meetings both attend (where neither lists any: the forums their
    /// rules name, and "Another meeting" for any other).
    pub forums: Vec<String>,
    /// When: alternatives, each a list of conditions that hold together;
    /// an empty list is "whatever the proposal's fields".
    pub when: Vec<Vec<Condition>>,
    /// A proposal that shows it, and what the check said.
    pub witness: Witness,
}

/// First tier or second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// Agree against decline.
    Contradiction,
    /// Agree against refer.
    Difference,
}

/// One representative's answer in a finding, and what gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stance {
    /// Their id.
    pub representative: String,
    /// Their answer.
    pub outcome: Outcome,
    /// What gives it.
    pub because: Because,
}

/// What gives a representative's answer on a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Because {
    /// A rule: its condition is true (or, for a refer, unknown).
    Rule {
        /// The rule's line.
        line: u32,
        /// Its effect.
        effect: Effect,
        /// `true` or `unknown`.
        condition: String,
    },
    /// No rule grants it (the lines of the grants whose condition does not
    /// hold).
    NothingGrants {
        /// Lines of the matching grants, all false there.
        grants: Vec<u32>,
    },
    /// Their mandate is not in force on the day.
    NotInForce {
        /// The `valid` line.
        line: u32,
    },
}

/// What one field (or, for fields compared with each other, several) is
/// in a finding: any one of `values`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// The field's path (`forum` and `date` are the proposal's).
    pub field: String,
    /// Its values: any one of these.
    pub values: Vec<Values>,
    /// Its other values, where the finding does not hold.
    pub other_values: Vec<Values>,
    /// Whether the rules compare it with dates, so that a text written
    /// `YYYY-MM-DD` is a date rather than a text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compared_as_dates: bool,
}

/// A set of values of a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Values {
    /// Not given (or `null`, or an object).
    NotGiven,
    /// Exactly this number.
    Number {
        /// The number.
        value: f64,
    },
    /// A number in this range.
    Numbers {
        /// The lower end, if any.
        from: Option<Bound>,
        /// The upper end, if any.
        to: Option<Bound>,
    },
    /// Exactly this date (a proposal text `YYYY-MM-DD`, or its `date`).
    Date {
        /// The date.
        value: String,
    },
    /// A date in this range.
    Dates {
        /// The first day, if any.
        from: Option<String>,
        /// The last day, if any.
        to: Option<String>,
    },
    /// Exactly this text.
    Text {
        /// The text.
        value: String,
    },
    /// A text equal to none the rules name, containing exactly `containing`
    /// of the texts they look for (`looked_for`).
    OtherText {
        /// The texts it contains.
        containing: Vec<String>,
        /// The texts the rules look for in it.
        looked_for: Vec<String>,
        /// The texts the rules name, which it is none of.
        other_than: Vec<String>,
    },
    /// `true` or `false`.
    Bool {
        /// Which.
        value: bool,
    },
    /// A list holding exactly `including` of the values the rules look for.
    List {
        /// The values it holds.
        including: Vec<serde_json::Value>,
        /// The values the rules look for in it.
        looked_for: Vec<serde_json::Value>,
    },
    /// An object (the fields below it are given apart).
    Object,
    /// For fields compared with each other: how each comparison comes out.
    Relation {
        /// The comparisons, in words.
        comparisons: Vec<String>,
        /// Their truths (`true`, `false`, `unknown`).
        truths: Vec<String>,
    },
}

/// One end of a range of numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bound {
    /// The number.
    pub value: f64,
    /// Whether the range includes it.
    pub inclusive: bool,
}

/// A proposal that shows a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Witness {
    /// The proposal (the README's proposal form).
    pub proposal: serde_json::Value,
    /// What the check gave each of the two, in the finding's order.
    pub outcomes: Vec<Outcome>,
    /// Whether the check gave the outcomes the finding claims.
    pub confirmed: bool,
    /// When not confirmed: the principles that made both refer or decline.
    pub masked_by: Vec<String>,
}

/// What the analysis covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Pairs of representatives compared (who could be at the same meeting).
    pub pairs: usize,
    /// Pairs who could never be at the same meeting.
    pub pairs_apart: usize,
    /// Topic regions compared, over all pairs.
    pub regions: usize,
    /// Grid cells enumerated, over all pairs and regions.
    pub cells: u64,
    /// Whether every region was enumerated in full, so that no finding is a
    /// proof of no finding.
    pub exact: bool,
    /// The regions that were not, and why.
    pub not_covered: Vec<NotCovered>,
}

/// A region the analysis could not cover in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotCovered {
    /// The representatives compared.
    pub representatives: Vec<String>,
    /// The topic.
    pub topic: String,
    /// Why, in words.
    pub why: String,
}

/// The name a witness gives the forum when the pair lists none.
const ANOTHER_MEETING: &str = "Another meeting";

/// Analyses `mandate`: contradictions and differences between every pair
/// of representatives who could be at the same meeting, gaps, and dead
/// rules. Deterministic: the same mandate and options give the same
/// analysis.
pub fn analyze(mandate: &Mandate, options: &Options) -> Result<Analysis, AnalysisError> {
    for id in &options.representatives {
        mandate.find_representative(id)?;
    }
    let named = |rep: &Representative| {
        options.representatives.is_empty() || options.representatives.contains(&rep.id)
    };
    let reps: Vec<usize> = (0..mandate.representatives.len())
        .filter(|i| mandate.representatives.get(*i).is_some_and(named))
        .collect();

    let mut coverage = Coverage {
        pairs: 0,
        pairs_apart: 0,
        regions: 0,
        cells: 0,
        exact: true,
        not_covered: Vec::new(),
    };
    let mut found: Vec<Finding> = Vec::new();
    let all = &mandate.representatives;
    let another = another_meeting(mandate);
    for a in 0..all.len() {
        for b in a + 1..all.len() {
            let (Some(ra), Some(rb)) = (all.get(a), all.get(b)) else {
                continue;
            };
            if !(named(ra) || named(rb)) {
                continue;
            }
            if !could_meet(ra, rb) {
                coverage.pairs_apart += 1;
                continue;
            }
            coverage.pairs += 1;
            compare_pair(
                mandate,
                &another,
                options.today,
                (a, b),
                &mut found,
                &mut coverage,
            );
        }
    }
    let (dead_rules, skipped) = dead::dead_rules(mandate, &another, &reps, options.today);
    if !skipped.is_empty() {
        coverage.exact = false;
        coverage.not_covered.extend(skipped);
    }
    let mut analysis = Analysis {
        mandate: MandateRef {
            group: mandate.group.name.clone(),
            sha256: mandate.sha256.clone(),
        },
        date: options.today.to_string(),
        representatives: reps
            .iter()
            .filter_map(|i| all.get(*i).map(|r| r.id.clone()))
            .collect(),
        contradictions: Vec::new(),
        differences: Vec::new(),
        masked: Vec::new(),
        gaps: gaps::gaps(mandate, &another, &reps, options.today),
        dead_rules,
        coverage,
    };
    for finding in found {
        // Only a principle may hide a finding; one the check did not bear
        // out for another reason stays in its tier, unconfirmed, to be seen.
        if !finding.witness.confirmed && !finding.witness.masked_by.is_empty() {
            analysis.masked.push(finding);
        } else if finding.tier == Tier::Contradiction {
            analysis.contradictions.push(finding);
        } else {
            analysis.differences.push(finding);
        }
    }
    Ok(analysis)
}

impl Analysis {
    /// Whether there is a first-tier contradiction (`--exit-code`).
    pub fn has_contradictions(&self) -> bool {
        !self.contradictions.is_empty()
    }
}

/// Whether two representatives could be at the same meeting: they share
/// a forum, or either lists none.
pub fn could_meet(a: &Representative, b: &Representative) -> bool {
    a.forums.is_empty() || b.forums.is_empty() || a.forums.iter().any(|f| b.forums.contains(f))
}

/// The forums both of a pair attend, in the first's order; when neither
/// lists any, the forums their rules name and one more.
fn shared_forums(another: &str, a: &Representative, b: &Representative) -> Vec<Option<String>> {
    let forums: Vec<String> = match (a.forums.is_empty(), b.forums.is_empty()) {
        (false, false) => a
            .forums
            .iter()
            .filter(|f| b.forums.contains(f))
            .cloned()
            .collect(),
        (false, true) => a.forums.clone(),
        (true, false) => b.forums.clone(),
        (true, true) => {
            let mut names = named_forums(a);
            names.extend(named_forums(b));
            names.push(another.to_string());
            names
        }
    };
    space::dedup(&forums).into_iter().map(Some).collect()
}

/// The forums a representative's rules name, with `at` or in a condition
/// on `forum`, in file order.
fn named_forums(rep: &Representative) -> Vec<String> {
    let mut names = Vec::new();
    for rule in &rep.rules {
        names.extend(rule.forum.iter().cloned());
        if let Some(expr) = &rule.condition {
            forum_literals(expr, &mut names);
        }
    }
    names
}

fn forum_literals(expr: &crate::compile::Expr, out: &mut Vec<String>) {
    use crate::compile::{Expr, Operand, Value};
    match expr {
        Expr::And(terms) | Expr::Or(terms) => terms.iter().for_each(|t| forum_literals(t, out)),
        Expr::Not(inner) => forum_literals(inner, out),
        Expr::Compare(Operand::Field(f), _, Operand::Value(Value::String(s)))
        | Expr::Compare(Operand::Value(Value::String(s)), _, Operand::Field(f))
            if f == "forum" =>
        {
            out.push(s.clone())
        }
        Expr::In(Operand::Field(f), list) if f == "forum" => {
            out.extend(list.iter().filter_map(|v| match v {
                Value::String(s) => Some(s.clone()),
                _ => None,
            }))
        }
        _ => {}
    }
}

/// A forum name no representative lists and no rule names.
fn another_meeting(mandate: &Mandate) -> String {
    let taken = |name: &str| {
        mandate.representatives.iter().any(|r| {
            r.forums.iter().any(|f| f == name) || named_forums(r).iter().any(|f| f == name)
        })
    };
    let mut name = ANOTHER_MEETING.to_string();
    let mut n = 2;
    while taken(&name) {
        name = format!("{ANOTHER_MEETING} {n}");
        n += 1;
    }
    name
}

/// The topics that stand for a set of representatives' topic regions: each
/// path pattern their rules name (in `except` too), and a topic none of
/// them names when one of them has a rule on `*`.
fn regions(mandate: &Mandate, reps: &[&Representative]) -> Vec<String> {
    let mut topics: Vec<String> = Vec::new();
    let mut any = false;
    let mut seen = BTreeSet::new();
    for rep in reps {
        for rule in &rep.rules {
            for pattern in rule.patterns.iter().chain(&rule.except) {
                match pattern {
                    TopicPattern::Any => any = true,
                    TopicPattern::Path(path) => {
                        if seen.insert(path.clone()) {
                            topics.push(path.clone());
                        }
                    }
                }
            }
        }
    }
    if any {
        topics.push(other_topic(mandate, reps));
    }
    topics
}

/// A topic no rule of `reps` and no organisation names: a declared one if
/// there is one, else a made-up one.
fn other_topic(mandate: &Mandate, reps: &[&Representative]) -> String {
    let named = |topic: &str| {
        reps.iter().any(|rep| {
            rep.rules.iter().any(|rule| {
                rule.patterns
                    .iter()
                    .chain(&rule.except)
                    .any(|p| !matches!(p, TopicPattern::Any) && p.matches(topic))
            })
        }) || !mandate.owners_of(topic).is_empty()
    };
    if let Some(declared) = mandate.vocabulary.iter().find(|t| !named(&t.topic)) {
        return declared.topic.clone();
    }
    let mut name = "other".to_string();
    let mut n = 2;
    while named(&name) {
        name = format!("other_{n}");
        n += 1;
    }
    name
}

/// One pair: every region, every cell.
fn compare_pair(
    mandate: &Mandate,
    another: &str,
    today: NaiveDate,
    (a, b): (usize, usize),
    found: &mut Vec<Finding>,
    coverage: &mut Coverage,
) {
    let (Some(ra), Some(rb)) = (
        mandate.representatives.get(a),
        mandate.representatives.get(b),
    ) else {
        return;
    };
    let forums = shared_forums(another, ra, rb);
    let mut pair_findings: Vec<Finding> = Vec::new();
    for topic in regions(mandate, &[ra, rb]) {
        if !mandate.owners_of(&topic).is_empty() {
            // Redirected for both alike.
            continue;
        }
        let (rules_a, rules_b) = (ra.rules_for(&topic), rb.rules_for(&topic));
        if rules_a.is_empty() && rules_b.is_empty() {
            continue;
        }
        coverage.regions += 1;
        let space = Space::build(Scope {
            reps: vec![(a, rules_a), (b, rules_b)],
            topic: topic.clone(),
            forums: forums.clone(),
            dateless: false,
            today,
            mandate,
        });
        if let Some(inexact) = &space.inexact {
            coverage.exact = false;
            coverage.not_covered.push(NotCovered {
                representatives: vec![ra.id.clone(), rb.id.clone()],
                topic: topic.clone(),
                why: match inexact {
                    Inexact::TooLarge => format!(
                        "the fields its rules read have more than {} combinations",
                        space::MAX_GRID_CELLS
                    ),
                    Inexact::Sampled(why) => why.clone(),
                },
            });
            if *inexact == Inexact::TooLarge {
                continue;
            }
        }
        coverage.cells = coverage.cells.saturating_add(space.cells());
        // Cells by what the finding would say, each cell's classes one
        // after another.
        let mut groups: BTreeMap<FindingKey, Vec<usize>> = BTreeMap::new();
        let (mut ta, mut tb) = (Vec::new(), Vec::new());
        space.walk(|cell, truths| {
            space.rule_truths_into(0, truths, &mut ta);
            space.rule_truths_into(1, truths, &mut tb);
            let (oa, ob) = (
                space.answer(0, &ta, truths, |_| false),
                space.answer(1, &tb, truths, |_| false),
            );
            let tier = match (oa.outcome, ob.outcome) {
                (Outcome::Agree, Outcome::Decline) | (Outcome::Decline, Outcome::Agree) => {
                    Tier::Contradiction
                }
                (Outcome::Agree, Outcome::Refer) | (Outcome::Refer, Outcome::Agree) => {
                    Tier::Difference
                }
                _ => return,
            };
            let agrees_first = oa.outcome == Outcome::Agree;
            let key = FindingKey {
                tier,
                agrees_first,
                first: because(&space, 0, &ta, oa),
                second: because(&space, 1, &tb, ob),
            };
            groups.entry(key).or_default().extend_from_slice(cell);
        });
        let dims = space.groups.len().max(1);
        for (key, flat) in groups {
            let cells: Vec<Vec<usize>> = if space.groups.is_empty() {
                vec![Vec::new()]
            } else {
                flat.chunks(dims).map(<[usize]>::to_vec).collect()
            };
            let cubes = merge::cubes(&space, cells);
            let (agree_rep, other_rep) = if key.agrees_first { (a, b) } else { (b, a) };
            let (agree_because, other_because) = if key.agrees_first {
                (key.first.said(&space, 0), key.second.said(&space, 1))
            } else {
                (key.second.said(&space, 1), key.first.said(&space, 0))
            };
            let other_outcome = match key.tier {
                Tier::Contradiction => Outcome::Decline,
                Tier::Difference => Outcome::Refer,
            };
            let witness = witness::confirm(
                &space,
                &cubes,
                (agree_rep, other_rep),
                (Outcome::Agree, other_outcome),
            );
            let id = |i: usize| {
                mandate
                    .representatives
                    .get(i)
                    .map(|r| r.id.clone())
                    .unwrap_or_default()
            };
            let finding = Finding {
                tier: key.tier,
                agrees: Stance {
                    representative: id(agree_rep),
                    outcome: Outcome::Agree,
                    because: agree_because,
                },
                other: Stance {
                    representative: id(other_rep),
                    outcome: other_outcome,
                    because: other_because,
                },
                topics: vec![topic.clone()],
                forums: forums.iter().flatten().cloned().collect(),
                when: cubes.iter().map(|c| merge::describe(&space, c)).collect(),
                witness,
            };
            // The same statement on another region is said once, for both.
            match pair_findings.iter_mut().find(|f| {
                f.tier == finding.tier
                    && f.agrees == finding.agrees
                    && f.other == finding.other
                    && f.when == finding.when
                    && f.witness.confirmed == finding.witness.confirmed
            }) {
                Some(same) => same.topics.push(topic.clone()),
                None => pair_findings.push(finding),
            }
        }
    }
    found.extend(pair_findings);
}

/// What a finding groups cells by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct FindingKey {
    tier: Tier,
    agrees_first: bool,
    first: Cause,
    second: Cause,
}

impl PartialOrd for Tier {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Tier {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (*self as u8).cmp(&(*other as u8))
    }
}

/// [`Because`] as the walk finds it, without allocating: a matched rule
/// by its place among the representative's matched rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cause {
    Rule(usize, bool),
    NothingGrants,
    NotInForce,
}

impl Cause {
    /// The cause as the finding says it.
    fn said(self, space: &Space<'_>, r: usize) -> Because {
        let rules = space.rules(r);
        match self {
            Cause::Rule(i, unknown) => {
                let (effect, line) = rules.get(i).copied().unwrap_or((Effect::Refer, 0));
                Because::Rule {
                    line,
                    effect,
                    condition: if unknown { "unknown" } else { "true" }.into(),
                }
            }
            Cause::NothingGrants => Because::NothingGrants {
                grants: rules
                    .iter()
                    .filter(|(e, _)| *e == Effect::MayAgree)
                    .map(|(_, l)| *l)
                    .collect(),
            },
            Cause::NotInForce => {
                let rep = space
                    .scope
                    .reps
                    .get(r)
                    .and_then(|(i, _)| space.scope.mandate.representatives.get(*i));
                Because::NotInForce {
                    line: rep.map_or(0, |rep| rep.valid_line.unwrap_or(rep.line)),
                }
            }
        }
    }
}

/// What gives scope representative `r` their answer on a cell: the first
/// rule (in file order) that decides it, else the gate, else that nothing
/// grants it.
fn because(space: &Space<'_>, r: usize, rule_truths: &[Truth], answer: Answer) -> Cause {
    let rules = space.rules(r);
    let first = |wanted: &[(Effect, Truth)]| {
        rules
            .iter()
            .zip(rule_truths)
            .position(|((e, _), t)| wanted.contains(&(*e, *t)))
            .map(|i| Cause::Rule(i, rule_truths.get(i) == Some(&Truth::Unknown)))
    };
    match answer.outcome {
        Outcome::Agree => first(&[(Effect::MayAgree, Truth::True)]),
        Outcome::Decline => first(&[(Effect::MayNotAgree, Truth::True)]),
        _ => first(&[
            (Effect::MayNotAgree, Truth::Unknown),
            (Effect::Refer, Truth::True),
            (Effect::Refer, Truth::Unknown),
        ])
        .or_else(|| (!answer.in_force).then_some(Cause::NotInForce))
        .or_else(|| first(&[(Effect::MayAgree, Truth::Unknown)])),
    }
    .unwrap_or(Cause::NothingGrants)
}

/// The space of one representative alone on one topic: any forum they
/// list or their rules name, another, or none; any date, or none.
fn rep_space<'m>(
    mandate: &'m Mandate,
    another: &str,
    r: usize,
    topic: &str,
    forums: Option<Vec<Option<String>>>,
    today: NaiveDate,
) -> Option<Space<'m>> {
    let rep = mandate.representatives.get(r)?;
    let forums = forums.unwrap_or_else(|| {
        let mut names = rep.forums.clone();
        names.extend(named_forums(rep));
        names.push(another.to_string());
        let mut all: Vec<Option<String>> = space::dedup(&names).into_iter().map(Some).collect();
        all.push(None);
        all
    });
    Some(Space::build(Scope {
        reps: vec![(r, rep.rules_for(topic))],
        topic: topic.to_string(),
        forums,
        dateless: true,
        today,
        mandate,
    }))
}
