//! A representative's brief: what they read before a meeting, as plain
//! data (sections of statements, each with its line in the rule file), built
//! from a [`Mandate`], a representative and a day; then rendered as text,
//! Markdown or one self-contained HTML file ([`render`]).
//!
//! This module chooses what a brief says and in what order; every sentence
//! comes from `crate::wording` (only the headings are written here), and it
//! decides nothing a check would decide differently.

pub mod render;

use crate::check::CheckError;
use crate::compile::{Effect, Expr, Mandate, Operand, Representative, Rule, Value};
use crate::wording::brief as say;
use chrono::NaiveDate;

/// One representative's brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    /// The representative's id.
    pub representative: String,
    /// "Brief for Dr Asha Patel (patel)".
    pub title: String,
    /// The group, the day and the version of the rule file.
    pub subtitle: String,
    /// The sections, in reading order.
    pub sections: Vec<Section>,
}

/// One section of a brief.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Its heading.
    pub heading: String,
    /// A sentence before its items, if any.
    pub intro: Option<String>,
    /// Its items.
    pub items: Vec<Item>,
}

/// One item of a section.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A sentence, with the rule-file line it comes from.
    Statement(Statement),
    /// A field for the proposal's checklist: its name, then what each rule
    /// needs of it.
    Field {
        /// The field's dotted path, as a rule writes it.
        name: String,
        /// One statement per test of the field, in file order.
        needs: Vec<Statement>,
    },
}

/// A sentence and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// The rule-file line, if the sentence comes from one.
    pub line: Option<u32>,
    /// The sentence.
    pub text: String,
}

impl Statement {
    fn at(line: impl Into<Option<u32>>, text: String) -> Item {
        Item::Statement(Statement {
            line: line.into(),
            text,
        })
    }
}

/// The brief of the representative with id `id` on `day`, or the error
/// that lists the ids the mandate has.
pub fn for_representative(
    mandate: &Mandate,
    id: &str,
    day: NaiveDate,
) -> Result<Brief, CheckError> {
    let rep = mandate.find_representative(id)?;
    Ok(build(mandate, rep, day))
}

/// Every representative's brief on `day`, in file order.
pub fn for_all(mandate: &Mandate, day: NaiveDate) -> Vec<Brief> {
    mandate
        .representatives()
        .iter()
        .map(|rep| build(mandate, rep, day))
        .collect()
}

/// A representative's brief on `day`.
pub fn build(mandate: &Mandate, rep: &Representative, day: NaiveDate) -> Brief {
    let section = |heading: &str, intro: Option<String>, items: Vec<Item>| Section {
        heading: heading.to_string(),
        intro,
        items,
    };
    let rules = |effect: Effect| -> Vec<Item> {
        rep.rules
            .iter()
            .filter(|r| r.effect == effect)
            .map(|r| {
                let mut text = say::rule(mandate, r);
                if effect == Effect::MayAgree {
                    let winners = winners_over(rep, r);
                    if !winners.is_empty() {
                        text = format!("{text} {}", say::overridden_by(&winners));
                    }
                }
                Statement::at(r.line, text)
            })
            .collect()
    };

    let whom = vec![
        Statement::at(rep.line, say::represents(mandate, rep)),
        Statement::at(rep.forums_line, say::forums(rep)),
        Statement::at(rep.valid_line, say::valid(rep)),
        Statement::at(None, say::in_force(rep, day)),
    ];
    let mut grants = rules(Effect::MayAgree);
    if grants.is_empty() {
        grants.push(Statement::at(None, say::no_grants()));
    }
    let mut refers = rules(Effect::Refer);
    let refer_intro = (!refers.is_empty()).then(say::refer_wins);
    refers.push(Statement::at(None, say::refer_otherwise()));
    let mut forbids = rules(Effect::MayNotAgree);
    let forbid_intro = (!forbids.is_empty()).then(say::forbid_wins);
    if forbids.is_empty() {
        forbids.push(Statement::at(None, say::no_forbids()));
    }

    Brief {
        representative: rep.id.clone(),
        title: say::title(rep),
        subtitle: say::subtitle(mandate, rep, day),
        sections: vec![
            section("Whom they represent and where", None, whom),
            section("What they may agree to", None, grants),
            section(
                "What they must bring back to the group",
                refer_intro,
                refers,
            ),
            section("What they must not agree to", forbid_intro, forbids),
            section(
                "Topics to pass to a member organisation",
                None,
                owners(mandate),
            ),
            section(
                "Shared principles",
                Some(say::principles_intro()),
                principles(mandate),
            ),
            section("The group's priorities", None, priorities(mandate)),
            section(
                "Reporting back",
                None,
                vec![Statement::at(None, say::report_back(rep))],
            ),
            section(
                "What a proposal must give",
                Some(say::checklist_intro()),
                checklist(rep),
            ),
        ],
    }
}

/// The lines of the representative's bring-back and must-not rules that
/// can apply to a proposal `grant` also applies to: they win over it (the
/// README's "How a check decides": forbidding beats referring, referring
/// beats agreeing, whichever rule is narrower).
fn winners_over(rep: &Representative, grant: &Rule) -> Vec<u32> {
    rep.rules
        .iter()
        .filter(|r| r.effect != Effect::MayAgree && can_both_apply(grant, r))
        .map(|r| r.line)
        .collect()
}

/// Whether one proposal can meet both rules, as far as their topics and
/// forums tell (their conditions are left to the reader): some topic both
/// name and neither takes out with `except`, at a forum both allow. Topic
/// patterns nest or are apart, so two overlap where one is within the other.
fn can_both_apply(a: &Rule, b: &Rule) -> bool {
    if let (Some(x), Some(y)) = (&a.forum, &b.forum) {
        if x != y {
            return false;
        }
    }
    a.patterns.iter().any(|p| {
        b.patterns.iter().any(|q| {
            let narrower = if p.is_within(q) {
                p
            } else if q.is_within(p) {
                q
            } else {
                return false;
            };
            !a.except
                .iter()
                .chain(&b.except)
                .any(|e| narrower.is_within(e))
        })
    })
}

/// One item per `owns` line, its topics together.
fn owners(mandate: &Mandate) -> Vec<Item> {
    let mut items = Vec::new();
    let mut at = 0;
    let owned = &mandate.owned;
    while let Some((org, _, line)) = owned.get(at) {
        let same: Vec<&str> = owned
            .iter()
            .skip(at)
            .take_while(|(o, _, l)| o == org && l == line)
            .map(|(_, pattern, _)| pattern.as_str())
            .collect();
        at += same.len().max(1);
        if let Some(organisation) = mandate.organisations().get(*org) {
            items.push(Statement::at(
                *line,
                say::owns(mandate, organisation, &same),
            ));
        }
    }
    if items.is_empty() {
        items.push(Statement::at(None, say::no_owners()));
    }
    items
}

fn principles(mandate: &Mandate) -> Vec<Item> {
    let mut items: Vec<Item> = mandate
        .principles()
        .iter()
        .map(|p| Statement::at(p.line, say::principle(p)))
        .collect();
    if items.is_empty() {
        items.push(Statement::at(None, say::no_principles()));
    }
    items
}

fn priorities(mandate: &Mandate) -> Vec<Item> {
    let mut items: Vec<Item> = mandate
        .priorities()
        .iter()
        .map(|p| Statement::at(None, say::priority(mandate, p)))
        .collect();
    if items.is_empty() {
        items.push(Statement::at(None, say::no_priorities()));
    }
    items
}

/// Every field the representative's rules read, in the order they are
/// first read, each with what every rule needs of it; `forum` for rules
/// with an `at`, and `date` when the mandate has validity dates.
fn checklist(rep: &Representative) -> Vec<Item> {
    let mut fields: Vec<(String, Vec<Statement>)> = Vec::new();
    let mut add = |name: &str, need: Statement| match fields.iter_mut().find(|(n, _)| n == name) {
        Some((_, needs)) => needs.push(need),
        None => fields.push((name.to_string(), vec![need])),
    };
    for rule in &rep.rules {
        if let Some(forum) = &rule.forum {
            let test = Expr::Compare(
                Operand::Field("forum".into()),
                crate::compile::CompareOp::Eq,
                Operand::Value(Value::String(forum.clone())),
            );
            add("forum", need(rule, &test));
        }
        if let Some(condition) = &rule.condition {
            let mut tests = Vec::new();
            tests_of(condition, false, &mut tests);
            for (field, test) in tests {
                add(&field, need(rule, &test));
            }
        }
    }
    if rep.valid_from.is_some() || rep.valid_until.is_some() {
        add(
            "date",
            Statement {
                line: rep.valid_line,
                text: say::date_need(rep),
            },
        );
    }
    if fields.is_empty() {
        return vec![Statement::at(None, say::no_fields())];
    }
    fields
        .into_iter()
        .map(|(name, needs)| Item::Field { name, needs })
        .collect()
}

fn need(rule: &Rule, test: &Expr) -> Statement {
    Statement {
        line: Some(rule.line),
        text: say::field_need(rule, test),
    }
}

/// The single tests of a condition and the fields each reads, each test
/// negated when it sits under an odd number of `not`s, so that it reads as
/// what the rule looks for.
fn tests_of(expr: &Expr, negated: bool, out: &mut Vec<(String, Expr)>) {
    match expr {
        Expr::Or(terms) | Expr::And(terms) => {
            for term in terms {
                tests_of(term, negated, out);
            }
        }
        Expr::Not(inner) => tests_of(inner, !negated, out),
        Expr::Compare(..) | Expr::In(..) | Expr::Contains(..) | Expr::Test(..) => {
            let test = if negated {
                Expr::Not(Box::new(expr.clone()))
            } else {
                expr.clone()
            };
            let mut fields = Vec::new();
            let mut seen = std::collections::HashSet::new();
            crate::wording::condition::fields_of(expr, &mut fields, &mut seen);
            for field in fields {
                out.push((field.to_string(), test.clone()));
            }
        }
    }
}

/// The title of a document holding several briefs of `mandate`.
pub fn document_title(mandate: &Mandate) -> String {
    say::document_title(mandate.group())
}
