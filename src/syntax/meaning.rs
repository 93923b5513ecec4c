//! What a rule file means, apart from how it is laid out.
//!
//! [`MandateFile::meaning`] projects the syntax tree onto span-free values
//! that derive `PartialEq`: two files whose projections are equal say the
//! same thing, whatever their whitespace, comments, line breaks, line
//! numbers or spelling of a value. A formatter proves itself with it (its
//! output means what its input did), and a diff compares rules by their
//! [`RuleMeaning`] to tell a rule that moved from one that changed.
//!
//! What counts as meaning, decided here once:
//! - **Ignored:** spans, comments, blank lines and indentation; parentheses
//!   in a condition (the tree's shape already says how terms group), and
//!   the grouping of `a or (b or c)` against `a or b or c` (and likewise
//!   `and`); how a number is written (`50_000` is `50000`); how an
//!   organisation's `owns` or a priority's `topics` is split over lines
//!   (`owns a, b` is `owns a` + `owns b`); a principle's missing severity
//!   against `blocking` (the default); where a representative's `role`,
//!   `forums`, `valid` and `report` lines stand among their rules; and
//!   the interleaving of declarations of different kinds (moving every
//!   `topic` line to the top changes nothing).
//! - **Kept:** the order of declarations of one kind (representatives,
//!   organisations, principles are reported in file order), the order of
//!   a representative's rules (the trace lists them in file order), the
//!   order of topics in a list and of forums (they are worded in that
//!   order), every repeated statement (an invalid file stays comparable),
//!   and principle code as text: only the whitespace before and after the
//!   whole code is ignored, since Rhai's own layout is not ours to judge.
//! - **Dates** compare as written, which for the one date form of the
//!   language (YYYY-MM-DD) is the same as comparing the dates.

use super::ast::*;
use crate::topic::TopicPattern;

/// The meaning of a whole rule file: its declarations, each kind in file
/// order.
#[derive(Debug, Clone, PartialEq)]
pub struct FileMeaning {
    /// Every `group` (a valid file has one).
    pub groups: Vec<GroupMeaning>,
    /// The organisations.
    pub organisations: Vec<OrganisationMeaning>,
    /// The principles.
    pub principles: Vec<PrincipleMeaning>,
    /// The priorities.
    pub priorities: Vec<PriorityMeaning>,
    /// The topic vocabulary.
    pub topics: Vec<TopicMeaning>,
    /// The representatives.
    pub representatives: Vec<RepresentativeMeaning>,
}

/// A group: its name and every `place` given.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupMeaning {
    /// The name.
    pub name: String,
    /// Every place, in order.
    pub places: Vec<String>,
}

/// An organisation and everything it owns, over all its `owns` lines.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationMeaning {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Every owned pattern, in order.
    pub owns: Vec<TopicPattern>,
}

/// A principle, with its severity made explicit.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipleMeaning {
    /// Its id.
    pub id: String,
    /// Its statement.
    pub statement: String,
    /// Its severity (`blocking` when none is written).
    pub severity: Severity,
    /// Its code, or the script that holds it.
    pub body: PrincipleBodyMeaning,
}

/// Where a principle's code is.
#[derive(Debug, Clone, PartialEq)]
pub enum PrincipleBodyMeaning {
    /// Inline code, without the whitespace around it.
    Inline(String),
    /// `script "PATH"`, the path as written.
    Script(String),
}

/// A priority and all its topics, over all its `topics` lines.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorityMeaning {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Every pattern, in order.
    pub topics: Vec<TopicPattern>,
}

/// A declared topic and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicMeaning {
    /// The topic.
    pub topic: TopicPattern,
    /// Its label.
    pub label: String,
}

/// A representative: their settings (in a fixed order of kinds) and their
/// rules (in file order).
#[derive(Debug, Clone, PartialEq)]
pub struct RepresentativeMeaning {
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// `role`, `forums`, `valid` and `report`, sorted by kind in that
    /// order; statements of one kind stay in file order.
    pub settings: Vec<SettingMeaning>,
    /// Their rules, in file order.
    pub rules: Vec<RuleMeaning>,
}

/// A representative's statement other than a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingMeaning {
    /// `role "TEXT"`.
    Role(String),
    /// `forums "A", "B"`, in order.
    Forums(Vec<String>),
    /// `valid from A until B`, the dates as written.
    Valid {
        /// The `from` date.
        from: Option<String>,
        /// The `until` date.
        until: Option<String>,
    },
    /// `report within N days`.
    Report(i64),
}

/// A rule, apart from where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMeaning {
    /// Grant, refer or forbid.
    pub effect: Effect,
    /// Its topics, in order.
    pub topics: Vec<TopicPattern>,
    /// Its `except` topics, in order.
    pub except: Vec<TopicPattern>,
    /// `at "FORUM"`.
    pub forum: Option<String>,
    /// `when ...`.
    pub condition: Option<ConditionMeaning>,
}

/// A condition without parentheses, `or` inside `or` (and `and` inside
/// `and`) flattened.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionMeaning {
    /// Any term true.
    Or(Vec<ConditionMeaning>),
    /// All terms true.
    And(Vec<ConditionMeaning>),
    /// `not`.
    Not(Box<ConditionMeaning>),
    /// `left OP right`.
    Compare(OperandMeaning, CompareOp, OperandMeaning),
    /// `value in [list]`.
    In(OperandMeaning, LiteralMeaning),
    /// `container contains item`.
    Contains(OperandMeaning, OperandMeaning),
    /// A lone operand.
    Test(OperandMeaning),
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum OperandMeaning {
    /// A field, as its dotted path.
    Field(String),
    /// A literal.
    Literal(LiteralMeaning),
}

/// A literal value, however it was written.
#[derive(Debug, Clone, PartialEq)]
pub enum LiteralMeaning {
    /// A number's value.
    Number(f64),
    /// A text, escapes resolved.
    String(String),
    /// A date as written.
    Date(String),
    /// `true` or `false`.
    Bool(bool),
    /// A list.
    List(Vec<LiteralMeaning>),
}

impl MandateFile {
    /// What the file means; see the [module documentation](self) for what
    /// is kept and what is ignored.
    pub fn meaning(&self) -> FileMeaning {
        let mut meaning = FileMeaning {
            groups: Vec::new(),
            organisations: Vec::new(),
            principles: Vec::new(),
            priorities: Vec::new(),
            topics: Vec::new(),
            representatives: Vec::new(),
        };
        for declaration in &self.declarations {
            match declaration {
                Declaration::Group(g) => meaning.groups.push(GroupMeaning {
                    name: g.name.value.clone(),
                    places: g.places.iter().map(|p| p.place.value.clone()).collect(),
                }),
                Declaration::Organisation(o) => meaning.organisations.push(OrganisationMeaning {
                    id: o.id.name.clone(),
                    name: o.name.value.clone(),
                    owns: o.owned_patterns().map(|p| p.pattern.clone()).collect(),
                }),
                Declaration::Principle(p) => meaning.principles.push(PrincipleMeaning {
                    id: p.id.name.clone(),
                    statement: p.statement.value.clone(),
                    severity: p.severity_or_default(),
                    body: match &p.body {
                        PrincipleBody::Inline { code, .. } => {
                            PrincipleBodyMeaning::Inline(code.trim().to_string())
                        }
                        PrincipleBody::Script { path } => {
                            PrincipleBodyMeaning::Script(path.value.clone())
                        }
                    },
                }),
                Declaration::Priority(p) => meaning.priorities.push(PriorityMeaning {
                    id: p.id.name.clone(),
                    name: p.name.value.clone(),
                    topics: p.patterns().map(|t| t.pattern.clone()).collect(),
                }),
                Declaration::Topic(t) => meaning.topics.push(TopicMeaning {
                    topic: t.topic.pattern.clone(),
                    label: t.label.value.clone(),
                }),
                Declaration::Representative(r) => meaning.representatives.push(r.meaning()),
            }
        }
        meaning
    }

    /// Whether `other` means the same as this file (see [`Self::meaning`]).
    pub fn same_meaning(&self, other: &MandateFile) -> bool {
        self.meaning() == other.meaning()
    }
}

impl RepresentativeDecl {
    /// What the representative's block means.
    pub fn meaning(&self) -> RepresentativeMeaning {
        let mut settings = Vec::new();
        let mut rules = Vec::new();
        for stmt in &self.statements {
            match stmt {
                RepresentativeStmt::Role { role, .. } => {
                    settings.push((0, SettingMeaning::Role(role.value.clone())))
                }
                RepresentativeStmt::Forums { forums, .. } => settings.push((
                    1,
                    SettingMeaning::Forums(forums.iter().map(|f| f.value.clone()).collect()),
                )),
                RepresentativeStmt::Valid { from, until, .. } => settings.push((
                    2,
                    SettingMeaning::Valid {
                        from: from.as_ref().map(|d| d.text.clone()),
                        until: until.as_ref().map(|d| d.text.clone()),
                    },
                )),
                RepresentativeStmt::Report { days, .. } => {
                    settings.push((3, SettingMeaning::Report(*days)))
                }
                RepresentativeStmt::Rule(rule) => rules.push(rule.meaning()),
            }
        }
        // Stable: statements of one kind keep their order.
        settings.sort_by_key(|(kind, _)| *kind);
        RepresentativeMeaning {
            id: self.id.name.clone(),
            name: self.name.value.clone(),
            settings: settings.into_iter().map(|(_, s)| s).collect(),
            rules,
        }
    }
}

impl RuleDecl {
    /// What the rule means, apart from where it is.
    pub fn meaning(&self) -> RuleMeaning {
        RuleMeaning {
            effect: self.effect,
            topics: self.topics.iter().map(|p| p.pattern.clone()).collect(),
            except: self.except.iter().map(|p| p.pattern.clone()).collect(),
            forum: self.forum.as_ref().map(|f| f.value.clone()),
            condition: self.condition.as_ref().map(Condition::meaning),
        }
    }
}

impl Condition {
    /// What the condition means: parentheses dropped, nested `or` and
    /// `and` flattened.
    pub fn meaning(&self) -> ConditionMeaning {
        match &self.kind {
            ConditionKind::Or(terms) => ConditionMeaning::Or(flatten(terms, |m| match m {
                ConditionMeaning::Or(inner) => Ok(inner),
                other => Err(other),
            })),
            ConditionKind::And(terms) => ConditionMeaning::And(flatten(terms, |m| match m {
                ConditionMeaning::And(inner) => Ok(inner),
                other => Err(other),
            })),
            ConditionKind::Not(inner) => ConditionMeaning::Not(Box::new(inner.meaning())),
            ConditionKind::Parenthesised(inner) => inner.meaning(),
            ConditionKind::Compare { left, op, right } => {
                ConditionMeaning::Compare(left.meaning(), *op, right.meaning())
            }
            ConditionKind::In { value, list } => {
                ConditionMeaning::In(value.meaning(), list.meaning())
            }
            ConditionKind::Contains { container, item } => {
                ConditionMeaning::Contains(container.meaning(), item.meaning())
            }
            ConditionKind::Test(operand) => ConditionMeaning::Test(operand.meaning()),
        }
    }
}

/// The meanings of `terms`, each term of the same operator spliced in.
fn flatten(
    terms: &[Condition],
    same: fn(ConditionMeaning) -> Result<Vec<ConditionMeaning>, ConditionMeaning>,
) -> Vec<ConditionMeaning> {
    let mut out = Vec::with_capacity(terms.len());
    for term in terms {
        match same(term.meaning()) {
            Ok(inner) => out.extend(inner),
            Err(other) => out.push(other),
        }
    }
    out
}

impl Operand {
    /// What the operand means.
    pub fn meaning(&self) -> OperandMeaning {
        match self {
            Operand::Field(field) => OperandMeaning::Field(field.dotted()),
            Operand::Literal(literal) => OperandMeaning::Literal(literal.meaning()),
        }
    }
}

impl Literal {
    /// The literal's value, however it was written.
    pub fn meaning(&self) -> LiteralMeaning {
        match &self.value {
            LiteralValue::Number { value, .. } => LiteralMeaning::Number(*value),
            LiteralValue::String(s) => LiteralMeaning::String(s.clone()),
            LiteralValue::Date(d) => LiteralMeaning::Date(d.text.clone()),
            LiteralValue::Bool(b) => LiteralMeaning::Bool(*b),
            LiteralValue::List(items) => {
                LiteralMeaning::List(items.iter().map(Literal::meaning).collect())
            }
        }
    }
}
