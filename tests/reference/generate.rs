//! Random mandates (as source text) and proposals near their literals.
//!
//! A [`MandateSpec`] is a small structured description that renders to a
//! rule file the library validates without errors: a few organisations
//! owning topics, principles of every severity (some that always error),
//! priorities, and representatives with forums, valid dates and random
//! `may agree` / `refer` / `may not agree` rules with `except`, `at` and
//! `when` conditions over a handful of fields, using every operator,
//! `and` / `or` / `not`, parentheses and literals of every type. A
//! [`ProposalSpec`] is resolved against the mandate's literals so that each
//! field is equal to one, just below or above it, of the wrong type,
//! missing, `null`, or a date string valid or not.

use chrono::{Duration, NaiveDate};
use mandate::source::{Scripts, SourceFile};
use mandate::{Mandate, Proposal};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{json, Map, Value as Json};

/// Patterns rules and priorities use (`ab` is not below `a`).
pub const PATTERNS: &[&str] = &["*", "a", "a.b", "a.b.c", "ab", "b", "b.a", "c", "c.d"];
/// Patterns organisations own.
pub const OWNED: &[&str] = &["a.b", "ab", "b.a", "c", "c.d", "d", "a.b.c"];
/// Topics proposals touch: at, below, beside and outside the patterns.
pub const TOPICS: &[&str] = &[
    "a", "a.b", "a.b.c", "a.c", "ab", "ab.c", "b", "b.a", "c", "c.d", "c.d.e", "d", "e",
];
/// Forums: representatives list some of the first two; `F3` is nobody's.
pub const FORUMS: &[&str] = &["F1", "F2", "F3"];
/// The forums proposals name: those, and near misses (a forum matches
/// exactly or not at all).
pub const PROPOSAL_FORUMS: &[&str] = &["F1", "F2", "F3", "f1", "F1 "];
/// The ends of `valid` periods.
pub const VALID_DATES: &[&str] = &["2026-03-01", "2026-06-30", "2026-12-31"];
/// Meeting dates and check days: on, just inside and just outside the ends.
pub const MEETING_DATES: &[&str] = &[
    "2026-02-28",
    "2026-03-01",
    "2026-03-02",
    "2026-06-30",
    "2026-07-01",
    "2026-12-31",
    "2027-01-01",
];
/// Organisation ids, in an order that is not sorted.
pub const ORG_IDS: &[&str] = &["lmc", "fed", "zed", "alpha"];
/// The fields conditions read most; `o.x` is nested.
pub const FIELDS: &[&str] = &["n", "s", "d", "b", "l", "o.x"];
/// Proposal keys that are also fields.
pub const SPECIAL_FIELDS: &[&str] = &["forum", "date", "title"];

/// The code of the principles the generator writes, by kind.
pub const PRINCIPLE_CODE: &[&str] = &[
    "true",
    "false",
    "proposal.p == true",
    "if proposal.p == true { \"p is set\" } else { true }",
    "#{ upheld: proposal.p != true, reason: \"p must not be set\" }",
    "let x = (); x.len()",
    "throw \"no\"",
    "42",
];

/// The codes of [`PRINCIPLE_CODE`] that can be upheld.
const UPHELD_CODES: &[usize] = &[0, 2, 3, 4];
/// The codes of [`PRINCIPLE_CODE`] that always end in `error`.
const ERROR_CODES: &[usize] = &[5, 6, 7];

/// A literal as the rule file writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Lit {
    /// A number, as written (`50_000`).
    Num(String),
    /// A string, unescaped.
    Str(String),
    /// A date, as written.
    Date(String),
    /// A boolean.
    Bool(bool),
    /// A list.
    List(Vec<Lit>),
}

impl Lit {
    fn render(&self) -> String {
        match self {
            Lit::Num(text) | Lit::Date(text) => text.clone(),
            Lit::Str(s) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
            Lit::Bool(b) => b.to_string(),
            Lit::List(items) => format!(
                "[{}]",
                items.iter().map(Lit::render).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Opnd {
    /// A field path.
    Field(String),
    /// A literal.
    Lit(Lit),
}

impl Opnd {
    fn render(&self) -> String {
        match self {
            Opnd::Field(f) => f.clone(),
            Opnd::Lit(l) => l.render(),
        }
    }
}

/// A condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// `a or b ...`
    Or(Vec<Cond>),
    /// `a and b ...`
    And(Vec<Cond>),
    /// `not a`
    Not(Box<Cond>),
    /// `( a )`
    Paren(Box<Cond>),
    /// `left OP right`
    Cmp(Opnd, &'static str, Opnd),
    /// `value in [list]`
    In(Opnd, Vec<Lit>),
    /// `container contains item`
    Contains(Opnd, Opnd),
    /// A lone field or boolean.
    Test(Opnd),
}

impl Cond {
    /// 0 `or`, 1 `and`, 2 `not`, 3 a comparison or parentheses.
    fn level(&self) -> u8 {
        match self {
            Cond::Or(_) => 0,
            Cond::And(_) => 1,
            Cond::Not(_) => 2,
            _ => 3,
        }
    }

    /// Written so that it parses back to this tree: a part binding looser
    /// than its place allows gets parentheses.
    pub fn render(&self, min_level: u8) -> String {
        let text = match self {
            Cond::Or(terms) => terms
                .iter()
                .map(|t| t.render(1))
                .collect::<Vec<_>>()
                .join(" or "),
            Cond::And(terms) => terms
                .iter()
                .map(|t| t.render(2))
                .collect::<Vec<_>>()
                .join(" and "),
            Cond::Not(inner) => format!("not {}", inner.render(2)),
            Cond::Paren(inner) => format!("({})", inner.render(0)),
            Cond::Cmp(l, op, r) => format!("{} {op} {}", l.render(), r.render()),
            Cond::In(v, list) => format!("{} in {}", v.render(), Lit::List(list.clone()).render()),
            Cond::Contains(c, i) => format!("{} contains {}", c.render(), i.render()),
            Cond::Test(o) => o.render(),
        };
        if self.level() < min_level {
            format!("({text})")
        } else {
            text
        }
    }

    /// Every literal, each with the fields compared with it (none for a
    /// literal compared with a literal).
    fn literals(&self, out: &mut Vec<(Vec<String>, Lit)>) {
        let leaf = |operands: &[&Opnd], list: &[Lit], out: &mut Vec<(Vec<String>, Lit)>| {
            let fields: Vec<String> = operands
                .iter()
                .filter_map(|o| match o {
                    Opnd::Field(f) => Some(f.clone()),
                    Opnd::Lit(_) => None,
                })
                .collect();
            let mut literals = Vec::new();
            for o in operands {
                if let Opnd::Lit(l) = o {
                    push_literal(l, &mut literals);
                }
            }
            for l in list {
                push_literal(l, &mut literals);
            }
            out.extend(literals.into_iter().map(|l| (fields.clone(), l)));
        };
        match self {
            Cond::Or(terms) | Cond::And(terms) => terms.iter().for_each(|t| t.literals(out)),
            Cond::Not(inner) | Cond::Paren(inner) => inner.literals(out),
            Cond::Cmp(l, _, r) | Cond::Contains(l, r) => leaf(&[l, r], &[], out),
            Cond::In(v, list) => leaf(&[v], list, out),
            Cond::Test(o) => leaf(&[o], &[], out),
        }
    }
}

fn push_literal(literal: &Lit, out: &mut Vec<Lit>) {
    if let Lit::List(items) = literal {
        items.iter().for_each(|l| push_literal(l, out));
    }
    if !out.contains(literal) {
        out.push(literal.clone());
    }
}

/// `may agree`, `refer` or `may not agree`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Eff {
    /// `may agree`
    Grant,
    /// `refer`
    Refer,
    /// `may not agree`
    Forbid,
}

/// A rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    /// Its effect.
    pub effect: Eff,
    /// Its patterns.
    pub topics: Vec<&'static str>,
    /// Its `except` patterns.
    pub except: Vec<&'static str>,
    /// `at "F"`.
    pub at: Option<&'static str>,
    /// `when ...`.
    pub when: Option<Cond>,
    /// Write `when` on a line of its own (the rule's line is its first).
    pub split: bool,
}

impl RuleSpec {
    /// The rule as one or two lines of text (no trailing newline).
    pub fn render(&self) -> String {
        let mut text = String::from(match self.effect {
            Eff::Grant => "may agree ",
            Eff::Refer => "refer ",
            Eff::Forbid => "may not agree ",
        });
        text.push_str(&self.topics.join(", "));
        if !self.except.is_empty() {
            text.push_str(" except ");
            text.push_str(&self.except.join(", "));
        }
        if let Some(forum) = self.at {
            text.push_str(&format!(" at \"{forum}\""));
        }
        if let Some(when) = &self.when {
            text.push_str(if self.split {
                "\n      when "
            } else {
                " when "
            });
            text.push_str(&when.render(0));
        }
        text
    }

    /// How many lines the rule takes.
    pub fn lines(&self) -> u32 {
        if self.split && self.when.is_some() {
            2
        } else {
            1
        }
    }
}

/// A representative.
#[derive(Debug, Clone, PartialEq)]
pub struct RepSpec {
    /// `forums ...` (never empty when present).
    pub forums: Option<Vec<&'static str>>,
    /// `valid from ... until ...` (at least one end when present).
    pub valid: Option<(Option<&'static str>, Option<&'static str>)>,
    /// `report within N days`.
    pub report: Option<u32>,
    /// The rules, in order.
    pub rules: Vec<RuleSpec>,
    /// Write the rules before `forums` and `valid`.
    pub rules_first: bool,
}

/// A principle: severity (`None` is the default, blocking) and code kind.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipleSpec {
    /// `None`, `blocking`, `refer` or `advisory`.
    pub severity: Option<&'static str>,
    /// Its Rhai code (one of [`PRINCIPLE_CODE`] when generated).
    pub code: &'static str,
}

/// A whole rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct MandateSpec {
    /// Per organisation (ids from [`ORG_IDS`]), its `owns` statements.
    pub organisations: Vec<Vec<Vec<&'static str>>>,
    /// The principles.
    pub principles: Vec<PrincipleSpec>,
    /// Per priority, its patterns.
    pub priorities: Vec<Vec<&'static str>>,
    /// The representatives (ids `r0`, `r1`, ...).
    pub representatives: Vec<RepSpec>,
}

impl MandateSpec {
    /// The rule file's text.
    pub fn render(&self) -> String {
        let mut out = String::from("// generated\ngroup \"G\" {\n  place \"P\"\n}\n");
        for (i, owns) in self.organisations.iter().enumerate() {
            out.push_str(&format!("organisation {} \"Org {i}\" {{\n", ORG_IDS[i]));
            for patterns in owns {
                out.push_str(&format!("  owns {}\n", patterns.join(", ")));
            }
            out.push_str("}\n");
        }
        for (i, p) in self.principles.iter().enumerate() {
            let severity = p.severity.map(|s| format!(" {s}")).unwrap_or_default();
            out.push_str(&format!(
                "principle p{i} \"Principle {i}\"{severity} {{\n  {}\n}}\n",
                p.code
            ));
        }
        for (i, patterns) in self.priorities.iter().enumerate() {
            out.push_str(&format!(
                "priority pr{i} \"Priority {i}\" {{\n  topics {}\n}}\n",
                patterns.join(", ")
            ));
        }
        for (i, rep) in self.representatives.iter().enumerate() {
            out.push_str(&format!("representative r{i} \"Rep {i}\" {{\n"));
            let mut gates = String::new();
            if let Some(forums) = &rep.forums {
                let quoted: Vec<String> = forums.iter().map(|f| format!("\"{f}\"")).collect();
                gates.push_str(&format!("  forums {}\n", quoted.join(", ")));
            }
            if let Some((from, until)) = &rep.valid {
                gates.push_str("  valid");
                if let Some(from) = from {
                    gates.push_str(&format!(" from {from}"));
                }
                if let Some(until) = until {
                    gates.push_str(&format!(" until {until}"));
                }
                gates.push('\n');
            }
            if let Some(days) = rep.report {
                gates.push_str(&format!("  report within {days} days\n"));
            }
            let rules: String = rep
                .rules
                .iter()
                .map(|r| format!("  {}\n", r.render()))
                .collect();
            if rep.rules_first {
                out.push_str(&rules);
                out.push_str(&gates);
            } else {
                out.push_str(&gates);
                out.push_str(&rules);
            }
            out.push_str("}\n");
        }
        out
    }

    /// Every literal in every condition (list elements included), with
    /// the fields compared with it.
    fn tagged_literals(&self) -> Vec<(Vec<String>, Lit)> {
        let mut out = Vec::new();
        for rep in &self.representatives {
            for rule in &rep.rules {
                if let Some(when) = &rule.when {
                    when.literals(&mut out);
                }
            }
        }
        out
    }

    /// Every literal in every condition, list elements included.
    pub fn literals(&self) -> Vec<Lit> {
        let mut out = Vec::new();
        for (_, l) in self.tagged_literals() {
            if !out.contains(&l) {
                out.push(l);
            }
        }
        out
    }

    /// The literals compared with `field` somewhere in the mandate.
    pub fn literals_for(&self, field: &str) -> Vec<Lit> {
        let mut out = Vec::new();
        for (fields, l) in self.tagged_literals() {
            if fields.iter().any(|f| f == field) && !out.contains(&l) {
                out.push(l);
            }
        }
        out
    }
}

/// The day warnings are judged against when compiling.
pub fn compile_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

/// Compiles a rule file's text, or gives its errors.
pub fn compile(text: &str) -> Result<Mandate, String> {
    let loaded = Mandate::from_source(
        SourceFile {
            name: "generated.mandate".into(),
            text: text.to_string(),
        },
        Scripts::new(),
        compile_day(),
    );
    loaded.mandate.ok_or_else(|| {
        loaded
            .diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

// ------------------------------------------------------------------ strategies

fn number() -> impl Strategy<Value = Lit> {
    prop_oneof![
        select(&["0", "10", "-5", "12.5", "50_000", "1_000.25", "-0.5", "3", "0.1"][..])
            .prop_map(|n| Lit::Num(n.to_string())),
        (-20i32..20).prop_map(|n| Lit::Num(n.to_string())),
    ]
}

fn scalar() -> impl Strategy<Value = Lit> {
    prop_oneof![
        3 => number(),
        3 => select(&["low", "high", "", "Low", "2026-03-01", "F1", "a\"b", "x\\y", "a"][..])
            .prop_map(|s| Lit::Str(s.to_string())),
        2 => select(&["2026-03-01", "2024-02-29", "2026-12-31", "2027-01-01", "2026-06-15"][..])
            .prop_map(|d| Lit::Date(d.to_string())),
        1 => any::<bool>().prop_map(Lit::Bool),
    ]
}

fn list_items() -> impl Strategy<Value = Vec<Lit>> {
    prop_oneof![
        5 => vec(scalar(), 0..4),
        1 => vec(prop_oneof![3 => scalar(), 1 => vec(scalar(), 0..3).prop_map(Lit::List)], 0..3),
    ]
}

fn literal() -> impl Strategy<Value = Lit> {
    prop_oneof![5 => scalar(), 1 => list_items().prop_map(Lit::List)]
}

fn field() -> impl Strategy<Value = Opnd> {
    prop_oneof![
        8 => select(FIELDS).prop_map(|f| Opnd::Field(f.to_string())),
        1 => select(SPECIAL_FIELDS).prop_map(|f| Opnd::Field(f.to_string())),
    ]
}

fn op() -> impl Strategy<Value = &'static str> {
    select(&["==", "!=", "<", "<=", ">", ">="][..])
}

fn comparison() -> impl Strategy<Value = Cond> {
    let lit = || literal().prop_map(Opnd::Lit);
    prop_oneof![
        6 => (field(), op(), lit()).prop_map(|(l, o, r)| Cond::Cmp(l, o, r)),
        2 => (lit(), op(), field()).prop_map(|(l, o, r)| Cond::Cmp(l, o, r)),
        1 => (field(), op(), field()).prop_map(|(l, o, r)| Cond::Cmp(l, o, r)),
        1 => (lit(), op(), lit()).prop_map(|(l, o, r)| Cond::Cmp(l, o, r)),
        3 => (
            prop_oneof![5 => field(), 1 => scalar().prop_map(Opnd::Lit)],
            list_items()
        )
            .prop_map(|(v, list)| Cond::In(v, list)),
        3 => (
            prop_oneof![
                5 => field(),
                1 => list_items().prop_map(|l| Opnd::Lit(Lit::List(l))),
                1 => scalar().prop_map(Opnd::Lit),
            ],
            prop_oneof![3 => scalar().prop_map(Opnd::Lit), 1 => field()],
        )
            .prop_map(|(c, i)| Cond::Contains(c, i)),
        2 => prop_oneof![3 => field(), 1 => any::<bool>().prop_map(|b| Opnd::Lit(Lit::Bool(b)))]
            .prop_map(Cond::Test),
    ]
}

/// A condition: comparisons joined by `and`, `or`, `not` and parentheses.
pub fn condition() -> impl Strategy<Value = Cond> {
    comparison().prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            vec(inner.clone(), 2..4).prop_map(Cond::Or),
            vec(inner.clone(), 2..4).prop_map(Cond::And),
            inner.clone().prop_map(|c| Cond::Not(Box::new(c))),
            inner.prop_map(|c| Cond::Paren(Box::new(c))),
        ]
    })
}

/// An effect, grants the most common (as in real mandates, and so that
/// `agree` is not rare).
pub fn effect() -> impl Strategy<Value = Eff> {
    prop_oneof![3 => Just(Eff::Grant), 1 => Just(Eff::Refer), 1 => Just(Eff::Forbid)]
}

/// A rule.
pub fn rule() -> impl Strategy<Value = RuleSpec> {
    (
        effect(),
        vec(select(PATTERNS), 1..3),
        prop_oneof![3 => Just(Vec::new()), 1 => vec(select(PATTERNS), 1..3)],
        option::weighted(0.3, select(FORUMS)),
        option::weighted(0.6, condition()),
        any::<bool>(),
    )
        .prop_map(|(effect, topics, except, at, when, split)| RuleSpec {
            effect,
            topics,
            except,
            at,
            when,
            split,
        })
}

fn representative() -> impl Strategy<Value = RepSpec> {
    (
        option::weighted(0.5, subsequence(&FORUMS[..2], 1..=2)),
        option::weighted(
            0.4,
            (
                option::of(select(VALID_DATES)),
                option::of(select(VALID_DATES)),
            ),
        ),
        option::weighted(0.3, 1u32..30),
        vec(rule(), 1..7),
        any::<bool>(),
    )
        .prop_map(|(forums, valid, report, rules, rules_first)| RepSpec {
            forums,
            // At least one end, and `until` not before `from`.
            valid: valid.map(|(a, b)| match (a, b) {
                (None, None) => (Some(VALID_DATES[0]), None),
                (Some(a), Some(b)) if b < a => (Some(b), Some(a)),
                other => other,
            }),
            report,
            rules,
            rules_first,
        })
}

/// A principle of any severity and code (mostly code that can be upheld,
/// so that not every mandate ends in `refer`).
pub fn principle() -> impl Strategy<Value = PrincipleSpec> {
    (
        select(&[None, Some("blocking"), Some("refer"), Some("advisory")][..]),
        prop_oneof![
            4 => select(UPHELD_CODES),
            1 => Just(1usize),
            1 => select(ERROR_CODES),
        ],
    )
        .prop_map(|(severity, code)| PrincipleSpec {
            severity,
            code: PRINCIPLE_CODE[code],
        })
}

/// A whole mandate.
pub fn mandate() -> impl Strategy<Value = MandateSpec> {
    (
        vec(
            prop_oneof![
                3 => vec(vec(select(OWNED), 1..3), 1..2),
                1 => vec(vec(select(OWNED), 1..3), 2..4),
            ],
            0..3,
        ),
        prop_oneof![2 => Just(Vec::new()), 1 => vec(principle(), 1..3)],
        vec(vec(select(PATTERNS), 1..3), 0..3),
        vec(representative(), 1..3),
    )
        .prop_map(
            |(organisations, principles, priorities, representatives)| MandateSpec {
                organisations,
                principles,
                priorities,
                representatives,
            },
        )
}

/// A mandate with at most one organisation: fewer redirects, so rules
/// decide more often.
pub fn mandate_few_owners() -> impl Strategy<Value = MandateSpec> {
    mandate().prop_map(|mut m| {
        m.organisations.truncate(1);
        m
    })
}

// ------------------------------------------------------------------ proposals

/// How one field's value is chosen, resolved against the mandate's
/// literals by [`ProposalSpec::resolve`].
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    kind: u8,
    pick: usize,
    variant: u8,
}

fn choice() -> impl Strategy<Value = Choice> {
    (0u8..16, any::<usize>(), any::<u8>()).prop_map(|(kind, pick, variant)| Choice {
        kind,
        pick,
        variant,
    })
}

/// A proposal, before it is fitted to a mandate.
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalSpec {
    /// Indexes into [`TOPICS`] (repeats allowed: the proposal drops them).
    pub topics: Vec<usize>,
    /// 0 none, 1 `null`, else `PROPOSAL_FORUMS[i - 2]`.
    pub forum: usize,
    /// 0 none, 1 `null`, else `MEETING_DATES[i - 2]`.
    pub date: usize,
    /// One choice per field of [`FIELDS`] (with `o` for `o.x`), then `p`.
    pub values: Vec<Choice>,
}

/// A proposal spec.
pub fn proposal() -> impl Strategy<Value = ProposalSpec> {
    (
        vec(0..TOPICS.len(), 1..3),
        0..PROPOSAL_FORUMS.len() + 2,
        0..MEETING_DATES.len() + 2,
        vec(choice(), FIELDS.len() + 1),
    )
        .prop_map(|(topics, forum, date, values)| ProposalSpec {
            topics,
            forum,
            date,
            values,
        })
}

/// A day from [`MEETING_DATES`].
pub fn day() -> impl Strategy<Value = NaiveDate> {
    select(MEETING_DATES).prop_map(iso)
}

/// A `YYYY-MM-DD` text as a date (the generator's own texts only).
pub fn iso(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn number_json(v: f64) -> Json {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

/// A value near `literal`: equal, just below or above, of another type, or
/// (for dates) another date or a string that is not one.
fn near(literal: &Lit, variant: u8) -> Json {
    match literal {
        Lit::Num(text) => {
            let v: f64 = text.replace('_', "").parse().unwrap_or(0.0);
            match variant % 8 {
                0 | 1 => number_json(v),
                2 => number_json(v - 1.0),
                3 => number_json(v + 1.0),
                4 => json!(v - 0.5),
                5 => json!(v + 0.5),
                6 => json!(text.replace('_', "")),
                _ => json!(true),
            }
        }
        Lit::Str(s) => match variant % 7 {
            0 | 1 => json!(s),
            2 => json!(format!("{s}x")),
            3 => json!(format!("z{s}z")),
            4 => json!(s.to_uppercase()),
            5 => json!(s.chars().take(1).collect::<String>()),
            _ => json!(5),
        },
        Lit::Date(text) => {
            let d = iso(text);
            match variant % 10 {
                0 | 1 => json!(text),
                2 => json!((d - Duration::days(1)).to_string()),
                3 => json!((d + Duration::days(1)).to_string()),
                4 => json!("2026-02-30"),
                5 => json!(d.format("%Y-%-m-%-d").to_string()),
                6 => json!(format!("{text}T00:00:00")),
                7 => json!("next spring"),
                8 => json!(d.format("%Y/%m/%d").to_string()),
                _ => json!(20260301),
            }
        }
        Lit::Bool(b) => match variant % 4 {
            0 | 1 => json!(b),
            2 => json!(!b),
            _ => json!(b.to_string()),
        },
        Lit::List(items) => match variant % 3 {
            0 | 1 => Json::Array(items.iter().map(|i| near(i, 0)).collect()),
            _ => json!([]),
        },
    }
}

fn default_pool() -> Vec<Lit> {
    vec![
        Lit::Num("10".into()),
        Lit::Str("low".into()),
        Lit::Date("2026-03-01".into()),
        Lit::Bool(true),
    ]
}

impl Choice {
    /// A value for a field compared with `own` literals (the mandate's
    /// `all` literals serve when it has none); `None` leaves the field out.
    fn value(&self, own: &[Lit], all: &[Lit]) -> Option<Json> {
        let pool = if own.is_empty() || self.kind == 14 {
            all
        } else {
            own
        };
        let at = |k: usize| &pool[(self.pick.wrapping_add(k)) % pool.len()];
        Some(match self.kind {
            0 | 15 => return None,
            1 => Json::Null,
            11 => json!({ "k": 1 }),
            12 => Json::Array(vec![
                near(at(0), self.variant),
                near(at(1), self.variant / 3),
            ]),
            13 => json!([null, { "k": 1 }, near(at(0), self.variant)]),
            _ => near(at(0), self.variant),
        })
    }
}

impl ProposalSpec {
    /// The proposal's JSON, its values near `mandate`'s literals.
    pub fn resolve(&self, mandate: &MandateSpec) -> Json {
        let mut all = mandate.literals();
        if all.is_empty() {
            all = default_pool();
        }
        let mut fields = Map::new();
        fields.insert("title".into(), json!("Generated proposal"));
        fields.insert(
            "topics".into(),
            Json::Array(self.topics.iter().map(|t| json!(TOPICS[*t])).collect()),
        );
        match self.forum {
            0 => {}
            1 => {
                fields.insert("forum".into(), Json::Null);
            }
            i => {
                fields.insert("forum".into(), json!(PROPOSAL_FORUMS[i - 2]));
            }
        }
        match self.date {
            0 => {}
            1 => {
                fields.insert("date".into(), Json::Null);
            }
            i => {
                fields.insert("date".into(), json!(MEETING_DATES[i - 2]));
            }
        }
        for (name, choice) in FIELDS.iter().zip(&self.values) {
            let value = choice.value(&mandate.literals_for(name), &all);
            match *name {
                "o.x" => {
                    // The parent of a nested field: an object with or
                    // without `x`, or not an object at all.
                    let parent = match choice.variant % 5 {
                        0 => value.map(|v| json!({ "x": v })),
                        1 => Some(json!({ "x": null })),
                        2 => Some(json!({ "y": 1 })),
                        3 => Some(json!(5)),
                        _ => value.map(|v| json!({ "x": v, "y": 2 })),
                    };
                    if let Some(parent) = parent {
                        fields.insert("o".into(), parent);
                    }
                }
                name => {
                    if let Some(value) = value {
                        fields.insert(name.into(), value);
                    }
                }
            }
        }
        if let Some(p) = self.values.get(FIELDS.len()) {
            match p.variant % 4 {
                0 => {}
                1 => {
                    fields.insert("p".into(), json!(true));
                }
                2 => {
                    fields.insert("p".into(), json!(false));
                }
                _ => {
                    fields.insert("p".into(), json!("yes"));
                }
            }
        }
        Json::Object(fields)
    }
}

/// Reads the JSON as the library reads a proposal file.
pub fn read_proposal(json: &Json) -> Result<Proposal, String> {
    Proposal::from_json(&json.to_string(), "generated").map_err(|e| e.to_string())
}
