//! Synthetic but realistic mandates, and proposals that hit, miss and
//! redirect, from a fixed seed: the one generator every benchmark uses
//! (issue 17), and `tests/generate.rs`, which loads and checks what it
//! makes.
//!
//! std only, so it compiles wherever it is included: from the root crate's
//! benches and tests (`#[path = "support/generate.rs"] mod generate;`) and
//! from the `peer/` crate (`#[path = "../../benches/support/generate.rs"]`).
//!
//! What a mandate of [`Shape::new`]`(rules)` holds:
//! - a topic tree of 3 levels (4 from about 600 rules on), its leaf count
//!   about half the rule count (at least 8), every node declared with a
//!   `topic` line and a label;
//! - 1 to 50 representatives (`round(sqrt(rules) / 2)`: 2 at 10 rules, 5 at
//!   100, 16 at 1,000, 50 at 10,000), each with a name, a role, one to
//!   three `forums`, `valid` dates around the check day [`DAY`], `report
//!   within`, and a portfolio of one to three top-level areas where most
//!   of their rules go; the rules split unevenly among them, every one
//!   getting at least one, and exactly `shape.rules` in all;
//! - `may agree` (about half), `refer` (three in ten) and `may not agree`
//!   (one in five) rules, most with a `when` condition of one to three
//!   comparisons on the pool [`FIELDS`] (numbers, texts, `in` lists,
//!   `contains` on lists and texts, booleans, a date), joined by
//!   `and`/`or`, some under `not`; some name two topics, some carry
//!   `except` or `at "FORUM"`, a few are on `*`;
//! - organisations (1 at 10 rules, 2 at 100, 4 at 1,000, 5 at 10,000)
//!   owning second-level subtrees, which no rule names; a few priorities; no principles
//!   ([`Generated::with_principles`] adds simple ones).
//!
//! [`Shape::peer`] is the subset AWS Cedar expresses one to one: only
//! `may agree` and `may not agree` (seven in ten grants), no
//! organisations, no `forums`, `valid` or `report` on representatives, no
//! priorities or principles, conditions only on integers (ordered
//! comparisons), texts (`==`, `!=`, `in` lists), lists of texts
//! (`contains`) and booleans; `at` and `except` as usual.
//!
//! [`requests`] builds proposals of a [`Kind`] for the representatives in
//! turn, each judged by this module's own evaluator of the model
//! ([`Model::expected`]): [`Kind::Hit`] is agreed, [`Kind::Miss`] is not
//! agreed by the rules (a topic no grant covers, a condition failing or
//! unknown), [`Kind::Redirect`] is on a topic an organisation owns.
//! Every request names its one topic, its forum (passing the
//! representative's forum gate) and the check day; a hit, and every
//! request of the peer shape, gives every field of the pool.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write;

/// The day every check of a generated mandate is made, and the `date` of
/// every generated proposal: inside every representative's `valid` dates.
pub const DAY: &str = "2026-11-23";

/// [`DAY`] as (year, month, day).
pub const DAY_YMD: (i32, u32, u32) = (2026, 11, 23);

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Rules in all, over every representative: exactly this many.
    pub rules: usize,
    /// Representatives (at most `rules`, at least 1).
    pub representatives: usize,
    /// The seed: the same shape gives the same mandate, byte for byte.
    pub seed: u64,
    /// The subset Cedar expresses one to one (see the module docs).
    pub peer: bool,
}

impl Shape {
    /// `rules` rules among `round(sqrt(rules) / 2)` representatives (1 to
    /// 50), the fixed seed, the full language.
    pub fn new(rules: usize) -> Shape {
        let representatives = ((rules as f64).sqrt() / 2.0).round() as usize;
        Shape {
            rules,
            representatives: representatives.clamp(1, 50),
            seed: 17,
            peer: false,
        }
    }

    /// As [`Shape::new`], in the subset Cedar expresses one to one.
    pub fn peer(rules: usize) -> Shape {
        Shape {
            peer: true,
            ..Shape::new(rules)
        }
    }

    /// The same shape with `n` representatives.
    pub fn with_representatives(self, n: usize) -> Shape {
        Shape {
            representatives: n,
            ..self
        }
    }

    /// The same shape from another seed.
    pub fn with_seed(self, seed: u64) -> Shape {
        Shape { seed, ..self }
    }

    /// A file name for the mandate: `generated-1000x16.mandate`, with
    /// `-peer` for the peer shape.
    pub fn file_name(&self) -> String {
        format!(
            "generated-{}x{}{}.mandate",
            self.rules,
            self.representatives,
            if self.peer { "-peer" } else { "" }
        )
    }
}

/// A generated mandate: its text and what it holds.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The `.mandate` file.
    pub text: String,
    /// What the text says, as data.
    pub model: Model,
}

/// What a generated mandate holds, as the generator made it.
#[derive(Debug, Clone)]
pub struct Model {
    /// The shape it was made from.
    pub shape: Shape,
    /// Every declared topic, parents before children.
    pub topics: Vec<Topic>,
    /// The index in `topics` of each topic path.
    pub by_path: BTreeMap<String, usize>,
    /// Levels of the topic tree (3 or 4).
    pub depth: usize,
    /// The member organisations (none in the peer shape).
    pub organisations: Vec<Organisation>,
    /// The priorities (none in the peer shape).
    pub priorities: Vec<Priority>,
    /// Every forum a representative or an `at` names.
    pub forums: Vec<String>,
    /// The representatives, in file order.
    pub representatives: Vec<Representative>,
    /// The proposal fields conditions read (the peer shape reads only
    /// those with `peer`).
    pub fields: Vec<FieldSpec>,
}

/// One declared topic.
#[derive(Debug, Clone)]
pub struct Topic {
    /// Its path: `interface.outpatients.cardiology`.
    pub path: String,
    /// Its label in the `topic` line.
    pub label: String,
    /// Its parent's index in [`Model::topics`] (none at the top level).
    pub parent: Option<usize>,
    /// Its children's indices.
    pub children: Vec<usize>,
    /// 1 at the top level.
    pub level: usize,
}

/// A member organisation and the topic patterns it owns.
#[derive(Debug, Clone)]
pub struct Organisation {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The patterns after `owns` (second-level topics).
    pub owns: Vec<String>,
}

/// A priority and its topics.
#[derive(Debug, Clone)]
pub struct Priority {
    /// Its id.
    pub id: String,
    /// Its statement.
    pub statement: String,
    /// Its topic patterns.
    pub topics: Vec<String>,
}

/// A representative and their rules.
#[derive(Debug, Clone)]
pub struct Representative {
    /// Their id: what `Mandate::check` is given.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their role (none in the peer shape).
    pub role: Option<String>,
    /// Their `forums` (empty: no forum gate).
    pub forums: Vec<String>,
    /// `valid from`, `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    /// `valid until`, `YYYY-MM-DD`.
    pub valid_until: Option<String>,
    /// `report within N days`.
    pub report_days: Option<u32>,
    /// The top-level topics (indices in [`Model::topics`]) most of their
    /// rules are on.
    pub portfolio: Vec<usize>,
    /// Their rules, in file order.
    pub rules: Vec<Rule>,
}

/// What a rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// `may agree`.
    Agree,
    /// `refer`.
    Refer,
    /// `may not agree`.
    Forbid,
}

/// One rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// What it does.
    pub effect: Effect,
    /// Its topic patterns (`*` for every topic).
    pub patterns: Vec<String>,
    /// Its `except` patterns (each below a pattern).
    pub except: Vec<String>,
    /// Its `at "FORUM"`.
    pub at: Option<String>,
    /// Its `when` condition.
    pub when: Option<Cond>,
    /// Its line in the text (1-based).
    pub line: usize,
    /// The rule as written (without indentation).
    pub text: String,
}

/// A condition, as written after `when`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// `field OP literal`.
    Compare {
        /// The proposal field.
        field: String,
        /// The comparison.
        op: Op,
        /// The literal.
        value: Lit,
    },
    /// `field in [literals]` (all of one kind).
    In {
        /// The proposal field.
        field: String,
        /// The list.
        values: Vec<Lit>,
    },
    /// `field contains literal`.
    Contains {
        /// The proposal field (a list, or a text).
        field: String,
        /// What it should contain.
        value: Lit,
    },
    /// A boolean field on its own.
    Field(String),
    /// `not (..)`.
    Not(Box<Cond>),
    /// `.. and ..`.
    And(Vec<Cond>),
    /// `.. or ..`.
    Or(Vec<Cond>),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Op {
    /// The operator as written, the same in the mandate language and in
    /// Cedar.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// A literal in a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// A whole number.
    Int(i64),
    /// A text.
    Text(String),
    /// `true` / `false`.
    Bool(bool),
    /// A date, `YYYY-MM-DD` (never in the peer shape).
    Date(String),
}

/// A proposal field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A whole number.
    Int(i64),
    /// A text (dates are texts in a proposal).
    Text(String),
    /// A boolean.
    Bool(bool),
    /// A list of texts.
    List(Vec<String>),
}

/// The kind of a field of the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A whole number: ordered comparisons.
    Int,
    /// A text from a small set: `==`, `!=`, `in`.
    Text,
    /// `true` / `false`: `==` and on its own.
    Bool,
    /// A list of texts: `contains`.
    List,
    /// A date text, compared with a date literal (not in the peer shape).
    Date,
    /// A free text, `contains` a piece of text (not in the peer shape).
    Summary,
}

/// A field of the pool conditions read.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// Its name in conditions and proposals.
    pub name: &'static str,
    /// Its kind.
    pub kind: FieldKind,
    /// Whether the peer shape reads it.
    pub peer: bool,
}

/// The pool of proposal fields conditions read.
pub const FIELDS: [FieldSpec; 10] = [
    FieldSpec {
        name: "cost",
        kind: FieldKind::Int,
        peer: true,
    },
    FieldSpec {
        name: "duration_months",
        kind: FieldKind::Int,
        peer: true,
    },
    FieldSpec {
        name: "practices",
        kind: FieldKind::Int,
        peer: true,
    },
    FieldSpec {
        name: "risk",
        kind: FieldKind::Text,
        peer: true,
    },
    FieldSpec {
        name: "provider",
        kind: FieldKind::Text,
        peer: true,
    },
    FieldSpec {
        name: "changes",
        kind: FieldKind::List,
        peer: true,
    },
    FieldSpec {
        name: "recurrent",
        kind: FieldKind::Bool,
        peer: true,
    },
    FieldSpec {
        name: "funding_follows",
        kind: FieldKind::Bool,
        peer: true,
    },
    FieldSpec {
        name: "start_date",
        kind: FieldKind::Date,
        peer: false,
    },
    FieldSpec {
        name: "summary",
        kind: FieldKind::Summary,
        peer: false,
    },
];

/// What a request is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// The representative may agree it.
    Hit,
    /// Not agreed through the rules (a gap, or a condition that fails).
    Miss,
    /// On a topic an organisation owns.
    Redirect,
}

/// The outcome this module's evaluator expects ([`Model::expected`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Expected {
    /// agree
    Agree,
    /// refer
    Refer,
    /// redirect
    Redirect,
    /// decline
    Decline,
}

/// A proposal for one representative.
#[derive(Debug, Clone)]
pub struct Request {
    /// Whose mandate to check.
    pub representative: String,
    /// The proposal, in the project's proposal JSON.
    pub proposal_json: String,
    /// What it was built to be.
    pub kind: Kind,
    /// Its one topic (a declared topic).
    pub topic: String,
    /// Its forum.
    pub forum: Option<String>,
    /// Its fields other than id, title, topics, forum and date.
    pub fields: Vec<(String, Value)>,
    /// The rule it was built on (an index in the representative's rules):
    /// the grant a hit or a miss was drawn from, none for a gap or a
    /// redirect.
    pub rule: Option<usize>,
    /// The outcome [`Model::expected`] gives it.
    pub expected: Expected,
}

/// Three-valued truth, as the README's "Unknown" section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    /// true
    True,
    /// false
    False,
    /// unknown
    Unknown,
}

impl Truth {
    fn from_bool(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }

    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::False, _) | (_, Truth::False) => Truth::False,
            (Truth::True, Truth::True) => Truth::True,
            _ => Truth::Unknown,
        }
    }

    fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::True, _) | (_, Truth::True) => Truth::True,
            (Truth::False, Truth::False) => Truth::False,
            _ => Truth::Unknown,
        }
    }
}

/// SplitMix64: a seeded generator, so the mandates are the same every run
/// without a dependency on `rand`.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

const AREAS: [&str; 20] = [
    "interface",
    "services",
    "funding",
    "digital",
    "workforce",
    "estates",
    "prescribing",
    "urgent_care",
    "community",
    "mental_health",
    "population_health",
    "contract",
    "quality",
    "safeguarding",
    "research",
    "education",
    "pharmacy",
    "dentistry",
    "maternity",
    "children",
];
const SUBS: [&str; 20] = [
    "outpatients",
    "discharge",
    "diagnostics",
    "frailty",
    "virtual_wards",
    "planning",
    "delivery",
    "commissioning",
    "agreements",
    "reviews",
    "pathways",
    "access",
    "screening",
    "immunisation",
    "long_term_conditions",
    "end_of_life",
    "care_homes",
    "same_day",
    "transformation",
    "inequalities",
];
const SPECIALTIES: [&str; 20] = [
    "cardiology",
    "respiratory",
    "diabetes",
    "dermatology",
    "gastroenterology",
    "ophthalmology",
    "orthopaedics",
    "neurology",
    "oncology",
    "paediatrics",
    "urology",
    "gynaecology",
    "rheumatology",
    "haematology",
    "renal",
    "ent",
    "pain",
    "stroke",
    "falls",
    "dementia",
];
const ASPECTS: [&str; 16] = [
    "pilots",
    "recurrent",
    "reviews",
    "procurement",
    "evaluation",
    "staffing",
    "premises",
    "data_sharing",
    "training",
    "reporting",
    "funding_flows",
    "governance",
    "referrals",
    "equipment",
    "prescribing",
    "follow_up",
];
const FORUMS: [&str; 8] = [
    "Place Partnership Board",
    "Acute Trust Interface Group",
    "Urgent and Emergency Care Board",
    "Digital Programme Board",
    "Health and Wellbeing Board",
    "Estates and Infrastructure Group",
    "Mental Health Partnership",
    "Community Services Board",
];
const FIRST: [&str; 20] = [
    "Asha", "Ben", "Carys", "David", "Eleri", "Farah", "Gareth", "Hannah", "Imran", "Jo", "Kemi",
    "Liam", "Megan", "Nadia", "Owen", "Priya", "Rhys", "Sian", "Tom", "Uma",
];
const LAST: [&str; 20] = [
    "Patel", "Hughes", "Okafor", "Jones", "Evans", "Khan", "Roberts", "Shah", "Williams", "Davies",
    "Ahmed", "Thomas", "Price", "Morgan", "Ali", "Lewis", "Clarke", "Begum", "Walker", "Wright",
];
const ROLES: [&str; 6] = [
    "PCN Clinical Director",
    "LMC Medical Secretary",
    "GP Federation Chief Executive",
    "ICB Primary Care Lead",
    "Practice Manager Representative",
    "Salaried GP Representative",
];
const ORGANISATIONS: [(&str, &str); 7] = [
    ("lmc", "Local Medical Committee"),
    ("federation", "GP Federation"),
    ("north_pcn", "North PCN"),
    ("south_pcn", "South PCN"),
    ("east_pcn", "East PCN"),
    ("west_pcn", "West PCN"),
    ("pharmacy_committee", "Community Pharmacy Committee"),
];
const COSTS: [i64; 6] = [10_000, 25_000, 50_000, 100_000, 250_000, 500_000];
const MONTHS: [i64; 4] = [6, 12, 24, 36];
const PRACTICES: [i64; 4] = [5, 10, 20, 40];
const RISKS: [&str; 3] = ["low", "medium", "high"];
const PROVIDERS: [&str; 4] = [
    "acute_trust",
    "community_trust",
    "federation",
    "independent",
];
const CHANGES: [&str; 6] = [
    "work_transfer",
    "opening_hours",
    "responsibility_to_gp",
    "prescribing_transfer",
    "referral_pathway",
    "data_sharing",
];
const START_DATES: [&str; 3] = ["2026-10-01", "2027-04-01", "2027-10-01"];
const SUMMARY_WORDS: [&str; 4] = ["pilot", "recurrent", "evaluation", "procurement"];

// Values requests draw from: every literal above, and values between and
// beyond them.
const COST_VALUES: [i64; 12] = [
    0, 5_000, 10_000, 20_000, 25_000, 30_000, 50_000, 75_000, 100_000, 180_000, 250_000, 600_000,
];
const MONTH_VALUES: [i64; 7] = [3, 6, 9, 12, 18, 24, 48];
const PRACTICE_VALUES: [i64; 7] = [1, 5, 8, 10, 20, 30, 45];
const START_VALUES: [&str; 5] = [
    "2026-09-01",
    "2026-12-01",
    "2027-04-01",
    "2027-06-01",
    "2027-11-01",
];
const SUMMARIES: [&str; 5] = [
    "A six-month pilot, then a review",
    "A recurrent service from next year",
    "An evaluation of the current pathway",
    "A procurement of a new provider",
    "A change to how referrals are made",
];

// ---------------------------------------------------------------------------
// Generation

/// Generates the mandate `shape` describes: the same text for the same
/// shape, every run.
pub fn generate(shape: &Shape) -> Generated {
    let mut rng = Rng(shape.seed ^ 0x6D61_6E64_6174_65AA);
    let representatives = shape.representatives.clamp(1, shape.rules.max(1));
    let shape = Shape {
        representatives,
        ..*shape
    };
    let (topics, depth) = topic_tree(&mut rng, shape.rules);
    let by_path: BTreeMap<String, usize> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.path.clone(), i))
        .collect();
    let fields: Vec<FieldSpec> = FIELDS
        .iter()
        .copied()
        .filter(|f| f.peer || !shape.peer)
        .collect();
    let forums: Vec<String> = FORUMS.iter().map(|f| f.to_string()).collect();
    let mut model = Model {
        shape,
        topics,
        by_path,
        depth,
        organisations: Vec::new(),
        priorities: Vec::new(),
        forums,
        representatives: Vec::new(),
        fields,
    };
    if !shape.peer {
        model.organisations = organisations(&mut rng, &model);
        model.priorities = priorities(&mut rng, &model);
    }
    model.representatives = representatives_of(&mut rng, &model);
    let text = render(&mut model);
    Generated { text, model }
}

/// The topic tree: 3 levels, or 4 from 300 leaves on, with about
/// `rules / 2` leaves (at least 8).
fn topic_tree(rng: &mut Rng, rules: usize) -> (Vec<Topic>, usize) {
    let target = (rules / 2).max(8) as f64;
    let depth = if target > 300.0 { 4 } else { 3 };
    let branching = target.powf(1.0 / depth as f64);
    let mut topics: Vec<Topic> = Vec::new();
    let areas = children_count(rng, branching).min(AREAS.len());
    for name in choose(rng, &AREAS, areas) {
        topics.push(Topic {
            path: name.to_string(),
            label: label(&[name.as_str()]),
            parent: None,
            children: Vec::new(),
            level: 1,
        });
    }
    let mut level_start = 0;
    for level in 2..=depth {
        let level_end = topics.len();
        let names: &[&str] = match level {
            2 => &SUBS,
            3 => &SPECIALTIES,
            _ => &ASPECTS,
        };
        for parent in level_start..level_end {
            let count = children_count(rng, branching);
            for name in choose(rng, names, count) {
                let path = format!("{}.{name}", topics[parent].path);
                let parts: Vec<&str> = path.split('.').collect();
                let label = label(&parts);
                let index = topics.len();
                topics.push(Topic {
                    path,
                    label,
                    parent: Some(parent),
                    children: Vec::new(),
                    level,
                });
                topics[parent].children.push(index);
            }
        }
        level_start = level_end;
    }
    (topics, depth)
}

/// Children of one node: `branching` on average, at least 2.
fn children_count(rng: &mut Rng, branching: f64) -> usize {
    let base = branching.floor() as usize;
    let frac = ((branching - branching.floor()) * 100.0) as u64;
    let mut n = base + usize::from(rng.chance(frac));
    // Some nodes have one more or one fewer child.
    match rng.below(10) {
        0 => n += 1,
        1 => n = n.saturating_sub(1),
        _ => {}
    }
    n.max(2)
}

/// `count` distinct names from `names`, in random order; past the list's
/// length, names get a number (`pilots_2`).
fn choose(rng: &mut Rng, names: &[&str], count: usize) -> Vec<String> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    (0..count)
        .map(|k| {
            let name = names[order[k % names.len()]];
            match k / names.len() {
                0 => name.to_string(),
                round => format!("{name}_{}", round + 1),
            }
        })
        .collect()
}

/// "Interface: outpatients, cardiology".
fn label(parts: &[&str]) -> String {
    let words: Vec<String> = parts.iter().map(|p| p.replace('_', " ")).collect();
    let mut first = words[0].clone();
    if let Some(c) = first.get(0..1) {
        let upper = c.to_uppercase();
        first.replace_range(0..1, &upper);
    }
    if words.len() == 1 {
        first
    } else {
        format!("{first}: {}", words[1..].join(", "))
    }
}

/// Organisations, each owning one second-level topic, a few two: one
/// more for each power of ten of rules (2 at 10, 5 at 10,000), as many as
/// a quarter of the second-level topics allow (1 at 10 rules).
fn organisations(rng: &mut Rng, model: &Model) -> Vec<Organisation> {
    let mut seconds: Vec<usize> = (0..model.topics.len())
        .filter(|&i| model.topics[i].level == 2)
        .collect();
    for i in (1..seconds.len()).rev() {
        let j = rng.below(i + 1);
        seconds.swap(i, j);
    }
    let budget = (seconds.len() / 4).max(1);
    let wanted = 1 + (model.shape.rules.max(10) as f64).log10().floor() as usize;
    let count = wanted.min(budget).min(ORGANISATIONS.len());
    let mut organisations: Vec<Organisation> = ORGANISATIONS
        .iter()
        .take(count)
        .zip(&seconds)
        .map(|((id, name), &second)| Organisation {
            id: id.to_string(),
            name: format!("Generated {name}"),
            owns: vec![model.topics[second].path.clone()],
        })
        .collect();
    // What the budget leaves goes to some of them, one more topic each.
    for (k, &second) in seconds.iter().enumerate().take(budget).skip(count) {
        if k - count < organisations.len() && rng.chance(50) {
            organisations[k - count]
                .owns
                .push(model.topics[second].path.clone());
        }
    }
    organisations
}

/// One to three priorities, each on one or two top-level topics.
fn priorities(rng: &mut Rng, model: &Model) -> Vec<Priority> {
    let areas: Vec<usize> = (0..model.topics.len())
        .filter(|&i| model.topics[i].level == 1)
        .collect();
    let count = (1 + rng.below(3)).min(areas.len());
    (0..count)
        .map(|k| {
            let first = &model.topics[areas[k]];
            let mut topics = vec![first.path.clone()];
            if rng.chance(30) && areas.len() > count {
                topics.push(
                    model.topics[areas[count + k % (areas.len() - count)]]
                        .path
                        .clone(),
                );
            }
            Priority {
                id: format!("{}_priority", first.path),
                statement: format!("Influence over {}", first.label.to_lowercase()),
                topics,
            }
        })
        .collect()
}

/// Whether an organisation owns `path` (it or a topic above it).
fn owned_path(model: &Model, path: &str) -> bool {
    model
        .organisations
        .iter()
        .any(|o| o.owns.iter().any(|p| pattern_matches(p, path)))
}

/// Whether the topic pattern `pattern` matches `topic`: itself, every
/// topic below it, or anything for `*`.
pub fn pattern_matches(pattern: &str, topic: &str) -> bool {
    pattern == "*"
        || topic == pattern
        || (topic.len() > pattern.len()
            && topic.starts_with(pattern)
            && topic.as_bytes()[pattern.len()] == b'.')
}

fn representatives_of(rng: &mut Rng, model: &Model) -> Vec<Representative> {
    let shape = model.shape;
    let n = shape.representatives;
    // Every representative gets one rule, the rest go by uneven weights.
    let weights: Vec<usize> = (0..n).map(|_| 1 + rng.below(3)).collect();
    let total: usize = weights.iter().sum();
    let mut counts = vec![usize::from(shape.rules > 0); n];
    for _ in 0..shape.rules.saturating_sub(n) {
        let mut at = rng.below(total);
        let mut k = 0;
        while at >= weights[k] {
            at -= weights[k];
            k += 1;
        }
        counts[k] += 1;
    }
    let areas: Vec<usize> = (0..model.topics.len())
        .filter(|&i| model.topics[i].level == 1)
        .collect();
    let mut used_ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut reps = Vec::with_capacity(n);
    for &count in counts.iter() {
        let first = *rng.pick(&FIRST);
        let last = *rng.pick(&LAST);
        let base = last.to_lowercase();
        let seen = used_ids.entry(base.clone()).or_insert(0);
        *seen += 1;
        let id = if *seen == 1 {
            base
        } else {
            format!("{base}_{seen}")
        };
        let mut portfolio = Vec::new();
        for _ in 0..(1 + rng.below(3)).min(areas.len()) {
            let area = *rng.pick(&areas);
            if !portfolio.contains(&area) {
                portfolio.push(area);
            }
        }
        let (role, forums, valid_from, valid_until, report_days) = if shape.peer {
            (None, Vec::new(), None, None, None)
        } else {
            let start = rng.below(FORUMS.len());
            let forums: Vec<String> = (0..1 + rng.below(3))
                .map(|k| FORUMS[(start + k) % FORUMS.len()].to_string())
                .collect();
            let from = if rng.chance(90) {
                Some(format!("2026-{:02}-01", 4 + rng.below(3)))
            } else {
                None
            };
            let until = if rng.chance(80) {
                "2027-03-31"
            } else {
                "2026-12-31"
            };
            (
                Some(rng.pick(&ROLES).to_string()),
                forums,
                from,
                Some(until.to_string()),
                Some(*rng.pick(&[7u32, 14, 28])),
            )
        };
        let mut rep = Representative {
            id,
            name: format!("Dr {first} {last}"),
            role,
            forums,
            valid_from,
            valid_until,
            report_days,
            portfolio,
            rules: Vec::with_capacity(count),
        };
        for k in 0..count {
            let rule = rule(rng, model, &rep, k == 0);
            rep.rules.push(rule);
        }
        // Written topic by topic, as a group would; `*` last.
        rep.rules
            .sort_by_key(|r| (r.patterns[0] == "*", r.patterns[0].clone()));
        reps.push(rep);
    }
    reps
}

/// A topic for a rule of `rep`: in their portfolio mostly, mostly deep,
/// never owned by an organisation.
fn rule_topic(rng: &mut Rng, model: &Model, rep: &Representative) -> usize {
    loop {
        let mut node = if rng.chance(85) {
            *rng.pick(&rep.portfolio)
        } else {
            rng.below(model.topics.len())
        };
        // Walk down: leaves half the time, their parents three in ten.
        let stop_at = match rng.below(10) {
            0..=4 => model.depth,
            5..=7 => model.depth.saturating_sub(1).max(1),
            _ => 1 + rng.below(model.depth),
        };
        while model.topics[node].level < stop_at && !model.topics[node].children.is_empty() {
            node = *rng.pick(&model.topics[node].children);
        }
        if !owned_path(model, &model.topics[node].path) {
            return node;
        }
    }
}

/// A topic at or below `node`, going down with a chance at each level.
fn at_or_below(rng: &mut Rng, model: &Model, mut node: usize, stay: u64) -> usize {
    while !model.topics[node].children.is_empty() && !rng.chance(stay) {
        node = *rng.pick(&model.topics[node].children);
    }
    node
}

fn rule(rng: &mut Rng, model: &Model, rep: &Representative, first: bool) -> Rule {
    let peer = model.shape.peer;
    let effect = if first {
        Effect::Agree
    } else if peer {
        if rng.chance(70) {
            Effect::Agree
        } else {
            Effect::Forbid
        }
    } else {
        match rng.below(10) {
            0..=4 => Effect::Agree,
            5..=7 => Effect::Refer,
            _ => Effect::Forbid,
        }
    };
    // A few refers and forbids are on every topic, with a condition.
    if !first && effect != Effect::Agree && rng.chance(3) {
        return Rule {
            effect,
            patterns: vec!["*".to_string()],
            except: Vec::new(),
            at: None,
            when: Some(condition(rng, model, effect)),
            line: 0,
            text: String::new(),
        };
    }
    let node = rule_topic(rng, model, rep);
    let mut patterns = vec![model.topics[node].path.clone()];
    if rng.chance(12) {
        if let Some(parent) = model.topics[node].parent {
            let sibling = *rng.pick(&model.topics[parent].children);
            let path = &model.topics[sibling].path;
            if sibling != node && !owned_path(model, path) {
                patterns.push(path.clone());
            }
        }
    }
    let mut except = Vec::new();
    if !model.topics[node].children.is_empty() && rng.chance(15) {
        for _ in 0..1 + usize::from(rng.chance(20)) {
            let child = *rng.pick(&model.topics[node].children);
            let below = at_or_below(rng, model, child, 60);
            let path = model.topics[below].path.clone();
            if !except.contains(&path) {
                except.push(path);
            }
        }
    }
    let at = if rng.chance(20) {
        if rep.forums.is_empty() {
            Some(rng.pick(&FORUMS).to_string())
        } else {
            Some(rng.pick(&rep.forums).clone())
        }
    } else {
        None
    };
    let conditional = match effect {
        Effect::Agree => 85,
        Effect::Refer => 90,
        Effect::Forbid => 85,
    };
    let when = rng
        .chance(conditional)
        .then(|| condition(rng, model, effect));
    Rule {
        effect,
        patterns,
        except,
        at,
        when,
        line: 0,
        text: String::new(),
    }
}

/// One to three comparisons joined by `and`/`or`, sometimes negated.
fn condition(rng: &mut Rng, model: &Model, effect: Effect) -> Cond {
    let count = match rng.below(20) {
        0..=8 => 1,
        9..=15 => 2,
        _ => 3,
    };
    let mut fields: Vec<usize> = Vec::new();
    while fields.len() < count {
        let f = rng.below(model.fields.len());
        if !fields.contains(&f) {
            fields.push(f);
        }
    }
    let mut atoms: Vec<Cond> = fields
        .iter()
        .map(|&f| {
            let atom = comparison(rng, model.fields[f], effect);
            if rng.chance(12) {
                Cond::Not(Box::new(atom))
            } else {
                atom
            }
        })
        .collect();
    if atoms.len() == 1 {
        return atoms.remove(0);
    }
    match rng.below(10) {
        // Mostly all of them.
        0..=5 => Cond::And(atoms),
        6..=7 => Cond::Or(atoms),
        // `a and (b or c)`, or `a or b and c`.
        _ => {
            let first = atoms.remove(0);
            let rest = if atoms.len() == 1 {
                atoms.remove(0)
            } else if rng.chance(50) {
                Cond::Or(atoms)
            } else {
                Cond::And(atoms)
            };
            if rng.chance(50) {
                Cond::And(vec![first, rest])
            } else {
                Cond::Or(vec![first, rest])
            }
        }
    }
}

/// A comparison on `field`: grants mostly set limits (`cost <= 50_000`),
/// refers and forbids mostly name what goes past them (`cost > 50_000`).
fn comparison(rng: &mut Rng, field: FieldSpec, effect: Effect) -> Cond {
    let granting = (effect == Effect::Agree) == rng.chance(80);
    let name = field.name.to_string();
    match field.kind {
        FieldKind::Int => {
            let pool: &[i64] = match field.name {
                "cost" => &COSTS,
                "duration_months" => &MONTHS,
                _ => &PRACTICES,
            };
            let upper = field.name != "practices";
            let op = match (granting == upper, rng.chance(50)) {
                (true, true) => Op::Le,
                (true, false) => Op::Lt,
                (false, true) => Op::Gt,
                (false, false) => Op::Ge,
            };
            Cond::Compare {
                field: name,
                op,
                value: Lit::Int(*rng.pick(pool)),
            }
        }
        FieldKind::Text => {
            let pool: &[&str] = if field.name == "risk" {
                &RISKS
            } else {
                &PROVIDERS
            };
            match rng.below(3) {
                0 => {
                    let first = rng.below(pool.len());
                    let count = 2 + rng.below(pool.len() - 2);
                    let values = (0..count)
                        .map(|k| Lit::Text(pool[(first + k) % pool.len()].to_string()))
                        .collect();
                    Cond::In {
                        field: name,
                        values,
                    }
                }
                1 => Cond::Compare {
                    field: name,
                    op: if granting { Op::Ne } else { Op::Eq },
                    value: Lit::Text(pool[pool.len() - 1].to_string()),
                },
                _ => Cond::Compare {
                    field: name,
                    op: if rng.chance(70) { Op::Eq } else { Op::Ne },
                    value: Lit::Text(rng.pick(pool).to_string()),
                },
            }
        }
        FieldKind::Bool => {
            if rng.chance(30) {
                let lone = Cond::Field(name);
                if granting == (field.name == "funding_follows") {
                    lone
                } else {
                    Cond::Not(Box::new(lone))
                }
            } else {
                Cond::Compare {
                    field: name,
                    op: Op::Eq,
                    value: Lit::Bool(granting == (field.name == "funding_follows")),
                }
            }
        }
        FieldKind::List => {
            let contains = Cond::Contains {
                field: name,
                value: Lit::Text(rng.pick(&CHANGES).to_string()),
            };
            if granting {
                Cond::Not(Box::new(contains))
            } else {
                contains
            }
        }
        FieldKind::Date => Cond::Compare {
            field: name,
            op: if granting { Op::Lt } else { Op::Ge },
            value: Lit::Date(rng.pick(&START_DATES).to_string()),
        },
        FieldKind::Summary => Cond::Contains {
            field: name,
            value: Lit::Text(rng.pick(&SUMMARY_WORDS).to_string()),
        },
    }
}

// ---------------------------------------------------------------------------
// Rendering

/// A number as a rule author writes it: `50_000`.
fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    if digits.len() < 5 {
        out.push_str(&digits);
        return out;
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('_');
        }
        out.push(c);
    }
    out
}

impl Lit {
    /// The literal in the mandate language.
    pub fn to_mandate(&self) -> String {
        match self {
            Lit::Int(n) => number(*n),
            Lit::Text(t) => format!("\"{t}\""),
            Lit::Bool(b) => b.to_string(),
            Lit::Date(d) => d.clone(),
        }
    }
}

impl Cond {
    /// The condition in the mandate language.
    pub fn to_mandate(&self) -> String {
        match self {
            Cond::Compare { field, op, value } => {
                format!("{field} {} {}", op.as_str(), value.to_mandate())
            }
            Cond::In { field, values } => {
                let list: Vec<String> = values.iter().map(Lit::to_mandate).collect();
                format!("{field} in [{}]", list.join(", "))
            }
            Cond::Contains { field, value } => format!("{field} contains {}", value.to_mandate()),
            Cond::Field(field) => field.clone(),
            Cond::Not(inner) => match **inner {
                Cond::Field(ref f) => format!("not {f}"),
                ref other => format!("not ({})", other.to_mandate()),
            },
            Cond::And(parts) => parts
                .iter()
                .map(|p| match p {
                    Cond::Or(_) => format!("({})", p.to_mandate()),
                    _ => p.to_mandate(),
                })
                .collect::<Vec<_>>()
                .join(" and "),
            Cond::Or(parts) => parts
                .iter()
                .map(Cond::to_mandate)
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }

    /// Every field the condition reads.
    pub fn fields(&self, out: &mut Vec<String>) {
        match self {
            Cond::Compare { field, .. }
            | Cond::In { field, .. }
            | Cond::Contains { field, .. }
            | Cond::Field(field) => {
                if !out.contains(field) {
                    out.push(field.clone());
                }
            }
            Cond::Not(inner) => inner.fields(out),
            Cond::And(parts) | Cond::Or(parts) => parts.iter().for_each(|p| p.fields(out)),
        }
    }
}

impl Rule {
    /// The rule in the mandate language.
    pub fn to_mandate(&self) -> String {
        let head = match self.effect {
            Effect::Agree => "may agree",
            Effect::Refer => "refer",
            Effect::Forbid => "may not agree",
        };
        let mut text = format!("{head} {}", self.patterns.join(", "));
        if !self.except.is_empty() {
            let _ = write!(text, " except {}", self.except.join(", "));
        }
        if let Some(forum) = &self.at {
            let _ = write!(text, " at \"{forum}\"");
        }
        if let Some(when) = &self.when {
            let _ = write!(text, " when {}", when.to_mandate());
        }
        text
    }
}

/// The mandate's text; sets each rule's `line` and `text`.
fn render(model: &mut Model) -> String {
    let shape = model.shape;
    let mut lines: Vec<String> = Vec::new();
    lines.push(format!(
        "// Generated mandate: {} rules, {} representatives, seed {}{}.",
        shape.rules,
        shape.representatives,
        shape.seed,
        if shape.peer { ", peer shape" } else { "" }
    ));
    lines.push("group \"Generated GP Leadership Group\" {".into());
    lines.push("  place \"Generated Place\"".into());
    lines.push("}".into());
    lines.push(String::new());
    for o in &model.organisations {
        lines.push(format!("organisation {} \"{}\" {{", o.id, o.name));
        lines.push(format!("  owns {}", o.owns.join(", ")));
        lines.push("}".into());
        lines.push(String::new());
    }
    for p in &model.priorities {
        lines.push(format!("priority {} \"{}\" {{", p.id, p.statement));
        lines.push(format!("  topics {}", p.topics.join(", ")));
        lines.push("}".into());
        lines.push(String::new());
    }
    lines.push("// The group's topics.".into());
    // Each topic followed by the topics below it.
    let mut stack: Vec<usize> = (0..model.topics.len())
        .filter(|&i| model.topics[i].parent.is_none())
        .rev()
        .collect();
    while let Some(i) = stack.pop() {
        let t = &model.topics[i];
        lines.push(format!("topic {} \"{}\"", t.path, t.label));
        stack.extend(t.children.iter().rev());
    }
    lines.push(String::new());
    let topics = &model.topics;
    for rep in model.representatives.iter_mut() {
        lines.push(format!("representative {} \"{}\" {{", rep.id, rep.name));
        if let Some(role) = &rep.role {
            lines.push(format!("  role \"{role}\""));
        }
        if !rep.forums.is_empty() {
            let quoted: Vec<String> = rep.forums.iter().map(|f| format!("\"{f}\"")).collect();
            lines.push(format!("  forums {}", quoted.join(", ")));
        }
        match (&rep.valid_from, &rep.valid_until) {
            (Some(from), Some(until)) => lines.push(format!("  valid from {from} until {until}")),
            (None, Some(until)) => lines.push(format!("  valid until {until}")),
            (Some(from), None) => lines.push(format!("  valid from {from}")),
            (None, None) => {}
        }
        if let Some(days) = rep.report_days {
            lines.push(format!("  report within {days} days"));
        }
        lines.push(String::new());
        let areas: Vec<&str> = rep
            .portfolio
            .iter()
            .map(|&a| topics[a].path.as_str())
            .collect();
        lines.push(format!("  // Portfolio: {}.", areas.join(", ")));
        for (k, rule) in rep.rules.iter_mut().enumerate() {
            if k > 0 && k.is_multiple_of(25) {
                lines.push(format!("  // Agreed by the group, batch {}.", k / 25 + 1));
            }
            rule.text = rule.to_mandate();
            lines.push(format!("  {}", rule.text));
            rule.line = lines.len();
        }
        lines.push("}".into());
        lines.push(String::new());
    }
    let mut text = lines.join("\n");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// `n` simple inline principles that every generated proposal upholds
/// (each reads `changes`, never with the value it looks for).
pub fn principles_text(n: usize) -> String {
    let mut text = String::new();
    for k in 0..n {
        let _ = writeln!(
            text,
            "principle generated_{k} \"Generated principle {k}\" blocking {{\n  \
             let changes = proposal.changes ?? [];\n  \
             !changes.contains(\"employment_model_{k}\")\n}}\n"
        );
    }
    text
}

impl Generated {
    /// The text with `n` simple principles after the group
    /// ([`principles_text`]); the rules' lines move down by the lines
    /// added, and the model does not record the principles.
    pub fn with_principles(&self, n: usize) -> String {
        let marker = "  place \"Generated Place\"\n}\n";
        match self.text.find(marker) {
            Some(at) => {
                let end = at + marker.len();
                format!(
                    "{}\n{}{}",
                    &self.text[..end],
                    principles_text(n),
                    &self.text[end..]
                )
            }
            None => self.text.clone(),
        }
    }
}

// ---------------------------------------------------------------------------
// Evaluation: what a check should decide, as the README says

fn field<'a>(fields: &'a [(String, Value)], name: &str) -> Option<&'a Value> {
    fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

/// A text that is exactly `YYYY-MM-DD` (the generator only makes real days).
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn order(op: Op, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Eq => ord == Equal,
        Op::Ne => ord != Equal,
        Op::Lt => ord == Less,
        Op::Le => ord != Greater,
        Op::Gt => ord == Greater,
        Op::Ge => ord != Less,
    }
}

/// Whether `value` equals `lit`: unknown for values of different kinds.
fn equals(value: &Value, lit: &Lit) -> Option<bool> {
    match (value, lit) {
        (Value::Int(a), Lit::Int(b)) => Some(a == b),
        (Value::Text(a), Lit::Text(b)) => Some(a == b),
        (Value::Bool(a), Lit::Bool(b)) => Some(a == b),
        (Value::Text(a), Lit::Date(b)) if is_date(a) => Some(a == b),
        _ => None,
    }
}

impl Cond {
    /// The condition on a proposal's fields: true, false or unknown.
    pub fn eval(&self, fields: &[(String, Value)]) -> Truth {
        match self {
            Cond::Compare {
                field: f,
                op,
                value,
            } => {
                let Some(v) = field(fields, f) else {
                    return Truth::Unknown;
                };
                match op {
                    Op::Eq | Op::Ne => match equals(v, value) {
                        Some(eq) => Truth::from_bool(eq == (*op == Op::Eq)),
                        None => Truth::Unknown,
                    },
                    _ => match (v, value) {
                        (Value::Int(a), Lit::Int(b)) => Truth::from_bool(order(*op, a.cmp(b))),
                        (Value::Text(a), Lit::Date(b)) if is_date(a) => {
                            Truth::from_bool(order(*op, a.as_str().cmp(b.as_str())))
                        }
                        _ => Truth::Unknown,
                    },
                }
            }
            Cond::In { field: f, values } => {
                let Some(v) = field(fields, f) else {
                    return Truth::Unknown;
                };
                let mut kind_seen = false;
                for lit in values {
                    if let Some(eq) = equals(v, lit) {
                        kind_seen = true;
                        if eq {
                            return Truth::True;
                        }
                    }
                }
                if kind_seen {
                    Truth::False
                } else {
                    Truth::Unknown
                }
            }
            Cond::Contains { field: f, value } => match (field(fields, f), value) {
                (Some(Value::List(items)), Lit::Text(t)) => {
                    Truth::from_bool(items.iter().any(|i| i == t))
                }
                (Some(Value::Text(text)), Lit::Text(t)) => {
                    Truth::from_bool(text.contains(t.as_str()))
                }
                _ => Truth::Unknown,
            },
            Cond::Field(f) => match field(fields, f) {
                Some(Value::Bool(b)) => Truth::from_bool(*b),
                _ => Truth::Unknown,
            },
            Cond::Not(inner) => inner.eval(fields).not(),
            Cond::And(parts) => parts
                .iter()
                .fold(Truth::True, |acc, p| acc.and(p.eval(fields))),
            Cond::Or(parts) => parts
                .iter()
                .fold(Truth::False, |acc, p| acc.or(p.eval(fields))),
        }
    }
}

impl Rule {
    /// Whether the rule is about `topic`: a pattern matches and no
    /// `except` does.
    pub fn applies_to(&self, topic: &str) -> bool {
        self.patterns.iter().any(|p| pattern_matches(p, topic))
            && !self.except.iter().any(|e| pattern_matches(e, topic))
    }

    /// Its `at` and `when` together on a proposal.
    pub fn holds(&self, forum: Option<&str>, fields: &[(String, Value)]) -> Truth {
        let at = match (&self.at, forum) {
            (None, _) => Truth::True,
            (Some(_), None) => Truth::Unknown,
            (Some(want), Some(got)) => Truth::from_bool(want == got),
        };
        match &self.when {
            None => at,
            Some(when) => at.and(when.eval(fields)),
        }
    }
}

impl Model {
    /// Whether an organisation owns `topic`.
    pub fn owned(&self, topic: &str) -> bool {
        owned_path(self, topic)
    }

    /// What a check of a one-topic proposal dated [`DAY`] should give for
    /// the representative at index `rep` (the README's "How a check
    /// decides", with no principles).
    pub fn expected(
        &self,
        rep: usize,
        topic: &str,
        forum: Option<&str>,
        fields: &[(String, Value)],
    ) -> Expected {
        if self.owned(topic) {
            return Expected::Redirect;
        }
        let rep = &self.representatives[rep];
        let (mut forbid, mut refer, mut agree) = (false, false, false);
        for rule in rep.rules.iter().filter(|r| r.applies_to(topic)) {
            match (rule.effect, rule.holds(forum, fields)) {
                (Effect::Forbid, Truth::True) => forbid = true,
                (Effect::Forbid, Truth::Unknown)
                | (Effect::Refer, Truth::True | Truth::Unknown) => refer = true,
                (Effect::Agree, Truth::True) => agree = true,
                _ => {}
            }
        }
        let by_rules = if forbid {
            Expected::Decline
        } else if refer || !agree {
            Expected::Refer
        } else {
            Expected::Agree
        };
        let forum_gate = match forum {
            Some(f) => rep.forums.is_empty() || rep.forums.iter().any(|g| g == f),
            None => true,
        };
        let date_gate = rep.valid_from.as_deref().is_none_or(|from| from <= DAY)
            && rep.valid_until.as_deref().is_none_or(|until| DAY <= until);
        if forum_gate && date_gate {
            by_rules
        } else {
            by_rules.max(Expected::Refer)
        }
    }

    /// A random topic at or below `pattern` (any topic for `*`), or none.
    fn topic_under(&self, rng: &mut Rng, pattern: &str) -> Option<usize> {
        let start = if pattern == "*" {
            rng.below(self.topics.len())
        } else {
            *self.by_path.get(pattern)?
        };
        Some(at_or_below(rng, self, start, 25))
    }
}

// ---------------------------------------------------------------------------
// Requests

fn random_fields(rng: &mut Rng, model: &Model) -> Vec<(String, Value)> {
    model
        .fields
        .iter()
        .map(|f| {
            let value = match (f.kind, f.name) {
                (FieldKind::Int, "cost") => Value::Int(*rng.pick(&COST_VALUES)),
                (FieldKind::Int, "duration_months") => Value::Int(*rng.pick(&MONTH_VALUES)),
                (FieldKind::Int, _) => Value::Int(*rng.pick(&PRACTICE_VALUES)),
                (FieldKind::Text, "risk") => Value::Text(rng.pick(&RISKS).to_string()),
                (FieldKind::Text, _) => Value::Text(rng.pick(&PROVIDERS).to_string()),
                (FieldKind::Bool, _) => Value::Bool(rng.chance(50)),
                (FieldKind::List, _) => {
                    let mut items = Vec::new();
                    for _ in 0..rng.below(3) {
                        let c = rng.pick(&CHANGES).to_string();
                        if !items.contains(&c) {
                            items.push(c);
                        }
                    }
                    Value::List(items)
                }
                (FieldKind::Date, _) => Value::Text(rng.pick(&START_VALUES).to_string()),
                (FieldKind::Summary, _) => Value::Text(rng.pick(&SUMMARIES).to_string()),
            };
            (f.name.to_string(), value)
        })
        .collect()
}

/// A JSON string.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Value {
    /// The value in JSON.
    pub fn to_json(&self) -> String {
        match self {
            Value::Int(n) => n.to_string(),
            Value::Text(t) => json_string(t),
            Value::Bool(b) => b.to_string(),
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(|i| json_string(i)).collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }
}

fn proposal_json(
    id: &str,
    title: &str,
    topic: &str,
    forum: Option<&str>,
    fields: &[(String, Value)],
) -> String {
    let mut json = format!(
        "{{\"id\": {}, \"title\": {}, \"topics\": [{}]",
        json_string(id),
        json_string(title),
        json_string(topic)
    );
    if let Some(forum) = forum {
        let _ = write!(json, ", \"forum\": {}", json_string(forum));
    }
    let _ = write!(json, ", \"date\": \"{DAY}\"");
    for (name, value) in fields {
        let _ = write!(json, ", {}: {}", json_string(name), value.to_json());
    }
    json.push('}');
    json
}

/// A forum for a proposal to `rep` that passes their forum gate: the
/// rule's `at` when given (and wanted), else one of theirs, else any.
fn forum_for(rng: &mut Rng, model: &Model, rep: &Representative, at: Option<&String>) -> String {
    match at {
        Some(f) => f.clone(),
        None if !rep.forums.is_empty() => rng.pick(&rep.forums).clone(),
        None => rng.pick(&model.forums).clone(),
    }
}

/// One attempt at a request of `kind` for the representative at `r`.
fn attempt(rng: &mut Rng, model: &Model, r: usize, kind: Kind) -> Option<Request> {
    let rep = &model.representatives[r];
    let (topic, rule, forum, mut fields) = match kind {
        Kind::Hit => {
            let grants: Vec<usize> = (0..rep.rules.len())
                .filter(|&k| rep.rules[k].effect == Effect::Agree)
                .collect();
            if grants.is_empty() {
                return None;
            }
            let g = *rng.pick(&grants);
            let rule = &rep.rules[g];
            let pattern = rule.patterns[rng.below(rule.patterns.len())].clone();
            let topic = model.topic_under(rng, &pattern)?;
            let forum = forum_for(rng, model, rep, rule.at.as_ref());
            (topic, Some(g), forum, random_fields(rng, model))
        }
        Kind::Miss => {
            let grants: Vec<usize> = (0..rep.rules.len())
                .filter(|&k| rep.rules[k].effect == Effect::Agree)
                .collect();
            if grants.is_empty() || rng.chance(40) {
                // Anywhere: in their portfolio mostly, so the rules are read.
                let start = if rng.chance(70) {
                    *rng.pick(&rep.portfolio)
                } else {
                    rng.below(model.topics.len())
                };
                let topic = at_or_below(rng, model, start, 15);
                let forum = forum_for(rng, model, rep, None);
                (topic, None, forum, random_fields(rng, model))
            } else {
                let g = *rng.pick(&grants);
                let rule = &rep.rules[g];
                let pattern = rule.patterns[rng.below(rule.patterns.len())].clone();
                let topic = model.topic_under(rng, &pattern)?;
                // Sometimes at another of their meetings than the rule's.
                let at = if rng.chance(70) {
                    rule.at.as_ref()
                } else {
                    None
                };
                let forum = forum_for(rng, model, rep, at);
                (topic, Some(g), forum, random_fields(rng, model))
            }
        }
        Kind::Redirect => {
            if model.organisations.is_empty() {
                return None;
            }
            let o = rng.pick(&model.organisations);
            let pattern = rng.pick(&o.owns).clone();
            let topic = model.topic_under(rng, &pattern)?;
            let forum = forum_for(rng, model, rep, None);
            (topic, None, forum, random_fields(rng, model))
        }
    };
    // A miss in the full language sometimes leaves a field out (unknown).
    if kind == Kind::Miss && !model.shape.peer && rng.chance(25) {
        let k = rng.below(fields.len());
        fields.remove(k);
    }
    let path = &model.topics[topic].path;
    let expected = model.expected(r, path, Some(&forum), &fields);
    let fits = match kind {
        Kind::Hit => expected == Expected::Agree,
        Kind::Miss => matches!(expected, Expected::Refer | Expected::Decline),
        Kind::Redirect => expected == Expected::Redirect,
    };
    fits.then(|| Request {
        representative: rep.id.clone(),
        proposal_json: String::new(),
        kind,
        topic: path.clone(),
        forum: Some(forum),
        fields,
        rule,
        expected,
    })
}

/// `n` proposals of `kind`, for the representatives in turn (one who has
/// none of that kind is skipped), drawn from `seed`: the same every run.
/// Each is judged by [`Model::expected`] before it is kept.
///
/// Empty for [`Kind::Redirect`] when the mandate has no organisations
/// (the peer shape). Panics when no representative can have one.
pub fn requests(generated: &Generated, kind: Kind, n: usize, seed: u64) -> Vec<Request> {
    let model = &generated.model;
    if n == 0 || model.representatives.is_empty() {
        return Vec::new();
    }
    if kind == Kind::Redirect && model.organisations.is_empty() {
        return Vec::new();
    }
    let mut rng = Rng(seed ^ 0x7265_7175_6573_7473);
    let reps = model.representatives.len();
    let mut out = Vec::with_capacity(n);
    let mut failures = vec![0usize; reps];
    let mut r = 0;
    let mut misses_in_a_row = 0;
    while out.len() < n {
        if failures[r] < 2_000 {
            let mut found = None;
            for _ in 0..200 {
                if let Some(request) = attempt(&mut rng, model, r, kind) {
                    found = Some(request);
                    break;
                }
            }
            match found {
                Some(mut request) => {
                    let i = out.len();
                    request.proposal_json = proposal_json(
                        &format!("generated-{i}"),
                        &format!(
                            "Proposal {i} on {}",
                            model.topics[model.by_path[&request.topic]].label
                        ),
                        &request.topic,
                        request.forum.as_deref(),
                        &request.fields,
                    );
                    out.push(request);
                    misses_in_a_row = 0;
                }
                None => {
                    failures[r] += 200;
                    misses_in_a_row += 1;
                }
            }
        } else {
            misses_in_a_row += 1;
        }
        assert!(
            misses_in_a_row <= reps,
            "no representative of {} can have a {kind:?} request",
            model.shape.file_name()
        );
        r = (r + 1) % reps;
    }
    out
}
