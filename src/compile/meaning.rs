//! What a compiled mandate means, apart from where it was written.
//!
//! [`Mandate::meaning`] projects the mandate onto values without lines,
//! fingerprint or compiled code, that derive `PartialEq`, so a test can
//! prove that a reformatted file compiles to the same mandate and a diff
//! can match a rule that moved by its [`RuleMeaning`]. The choices are
//! those of the syntax tree's meaning (`crate::syntax::meaning`): order
//! is kept where it shows in a decision (declarations of one kind, a
//! representative's rules, topics in a list, forums), parentheses and the
//! grouping of `or` in `or` (and `and` in `and`) are not, and principle
//! code compares as text without the whitespace around it. Ownership is
//! kept per organisation, in the order of its patterns.

use super::{Effect, Expr, Mandate, Rule};
use crate::syntax::ast::Severity;
use crate::topic::TopicPattern;
use chrono::NaiveDate;

/// The meaning of a compiled mandate.
#[derive(Debug, Clone, PartialEq)]
pub struct MandateMeaning {
    /// The group's name and place.
    pub group: (String, Option<String>),
    /// Per organisation: id, name, and its patterns in order.
    pub organisations: Vec<(String, String, Vec<TopicPattern>)>,
    /// Per principle: id, statement, severity, the script's path (empty
    /// for inline code) and the code without surrounding whitespace.
    pub principles: Vec<(String, String, Severity, String, String)>,
    /// Per priority: id, name and patterns.
    pub priorities: Vec<(String, String, Vec<TopicPattern>)>,
    /// The vocabulary: topic and label.
    pub vocabulary: Vec<(String, String)>,
    /// The representatives, in file order.
    pub representatives: Vec<RepresentativeMeaning>,
}

/// A compiled representative, without lines.
#[derive(Debug, Clone, PartialEq)]
pub struct RepresentativeMeaning {
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Option<String>,
    /// Their forums, in order.
    pub forums: Vec<String>,
    /// First valid day.
    pub valid_from: Option<NaiveDate>,
    /// Last valid day.
    pub valid_until: Option<NaiveDate>,
    /// `report within N days`.
    pub report_within_days: Option<u32>,
    /// Their rules, in file order.
    pub rules: Vec<RuleMeaning>,
}

/// A compiled rule, without its line.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMeaning {
    /// Grant, refer or forbid.
    pub effect: Effect,
    /// Its topics, in order.
    pub patterns: Vec<TopicPattern>,
    /// Its `except` topics, in order.
    pub except: Vec<TopicPattern>,
    /// `at "FORUM"`.
    pub forum: Option<String>,
    /// `when ...`, nested `or` and `and` flattened.
    pub condition: Option<ExprMeaning>,
}

/// A condition with `or` inside `or` and `and` inside `and` flattened
/// (the compiled [`Expr`] has no parentheses already).
#[derive(Debug, Clone, PartialEq)]
pub struct ExprMeaning(pub Expr);

impl Mandate {
    /// What the mandate means, apart from where it was written: no lines,
    /// fingerprint or compiled code. Order is kept where it shows in a
    /// decision (declarations of one kind, a representative's rules, topics
    /// in a list, forums); parentheses, the grouping of `or` in `or` (and
    /// `and` in `and`) and the whitespace around principle code are not.
    /// Two mandates mean the same when their meanings are equal.
    pub fn meaning(&self) -> MandateMeaning {
        let mut organisations: Vec<(String, String, Vec<TopicPattern>)> = self
            .organisations
            .iter()
            .map(|o| (o.id.clone(), o.name.clone(), Vec::new()))
            .collect();
        for (index, pattern, _) in &self.owned {
            if let Some(organisation) = organisations.get_mut(*index) {
                organisation.2.push(pattern.clone());
            }
        }
        MandateMeaning {
            group: (self.group.name.clone(), self.group.place.clone()),
            organisations,
            principles: self
                .principles
                .iter()
                .map(|p| {
                    (
                        p.id.clone(),
                        p.statement.clone(),
                        p.severity,
                        p.code_file.clone(),
                        p.code.trim().to_string(),
                    )
                })
                .collect(),
            priorities: self
                .priorities
                .iter()
                .map(|p| (p.id.clone(), p.name.clone(), p.patterns.clone()))
                .collect(),
            vocabulary: self
                .vocabulary
                .iter()
                .map(|t| (t.topic.clone(), t.label.clone()))
                .collect(),
            representatives: self
                .representatives
                .iter()
                .map(|r| RepresentativeMeaning {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    role: r.role.clone(),
                    forums: r.forums.clone(),
                    valid_from: r.valid_from,
                    valid_until: r.valid_until,
                    report_within_days: r.report_within_days,
                    rules: r.rules.iter().map(Rule::meaning).collect(),
                })
                .collect(),
        }
    }

    /// Whether `other` means the same as this mandate (see
    /// [`Self::meaning`]).
    pub fn same_meaning(&self, other: &Mandate) -> bool {
        self.meaning() == other.meaning()
    }
}

impl Rule {
    /// What the rule means, apart from its line.
    pub fn meaning(&self) -> RuleMeaning {
        RuleMeaning {
            effect: self.effect,
            patterns: self.patterns.clone(),
            except: self.except.clone(),
            forum: self.forum.clone(),
            condition: self.condition.as_ref().map(|c| ExprMeaning(flatten(c))),
        }
    }
}

fn flatten(expr: &Expr) -> Expr {
    match expr {
        Expr::Or(terms) => Expr::Or(splice(terms, |e| match e {
            Expr::Or(inner) => Ok(inner),
            other => Err(other),
        })),
        Expr::And(terms) => Expr::And(splice(terms, |e| match e {
            Expr::And(inner) => Ok(inner),
            other => Err(other),
        })),
        Expr::Not(inner) => Expr::Not(Box::new(flatten(inner))),
        other => other.clone(),
    }
}

/// The flattened `terms`, each term of the same operator spliced in.
fn splice(terms: &[Expr], same: fn(Expr) -> Result<Vec<Expr>, Expr>) -> Vec<Expr> {
    let mut out = Vec::with_capacity(terms.len());
    for term in terms {
        match same(flatten(term)) {
            Ok(inner) => out.extend(inner),
            Err(other) => out.push(other),
        }
    }
    out
}
