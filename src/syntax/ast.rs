//! The typed syntax tree of a rule file.
//!
//! Every node keeps its [`Span`], and the file keeps every comment, so a
//! formatter can rebuild the file without losing anything. The tree holds
//! what was written, not what it means: reserved words used as names,
//! impossible dates and the like are still here, for `validate` to report.

use crate::topic::TopicPattern;
use serde::Serialize;

pub use crate::span::Span;

/// A whole rule file.
#[derive(Debug, Clone, Serialize)]
pub struct MandateFile {
    /// The top-level declarations, in file order.
    pub declarations: Vec<Declaration>,
    /// Every `//` comment outside principle code, in file order.
    pub comments: Vec<Comment>,
}

/// A `//` comment. `text` is what follows the `//`.
#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    /// The comment's text without the leading `//`.
    pub text: String,
    /// Where the comment is, `//` included.
    pub span: Span,
}

/// A name given by the rule author (`patel`, `lmc`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ident {
    /// The name as written.
    pub name: String,
    /// Where it is.
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Text {
    /// The string's value, escapes resolved.
    pub value: String,
    /// Where the literal is, quotes included.
    pub span: Span,
}

/// A topic pattern (`interface.outpatients`, `*`) as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatternRef {
    /// The pattern.
    pub pattern: TopicPattern,
    /// Where it is.
    pub span: Span,
}

/// A date literal (`2026-04-01`). `date` is `None` when the text is not a
/// real calendar date (`2026-02-30`); `validate` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateLit {
    /// The text as written.
    pub text: String,
    /// The calendar date, if the text names one.
    #[serde(skip)]
    pub date: Option<chrono::NaiveDate>,
    /// Where it is.
    pub span: Span,
}

/// One top-level declaration.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Declaration {
    /// `group "NAME" { place "PLACE" }`
    Group(GroupDecl),
    /// `organisation ID "NAME" { owns PATTERNS }`
    Organisation(OrganisationDecl),
    /// `principle ID "STATEMENT" [severity] { RHAI }` or `script "PATH"`
    Principle(PrincipleDecl),
    /// `priority ID "NAME" { topics PATTERNS }`
    Priority(PriorityDecl),
    /// `topic TOPIC "LABEL"`
    Topic(TopicDecl),
    /// `representative ID "NAME" { ... }`
    Representative(RepresentativeDecl),
}

impl Declaration {
    /// Where the whole declaration is.
    pub fn span(&self) -> Span {
        match self {
            Declaration::Group(d) => d.span,
            Declaration::Organisation(d) => d.span,
            Declaration::Principle(d) => d.span,
            Declaration::Priority(d) => d.span,
            Declaration::Topic(d) => d.span,
            Declaration::Representative(d) => d.span,
        }
    }
}

/// The group that sends the representatives.
#[derive(Debug, Clone, Serialize)]
pub struct GroupDecl {
    /// The group's name.
    pub name: Text,
    /// Every `place` statement, in file order. A valid file has at most
    /// one; `validate` reports the second.
    pub places: Vec<PlaceStmt>,
    /// The whole declaration.
    pub span: Span,
}

impl GroupDecl {
    /// The place the group covers: its first `place` statement.
    pub fn place(&self) -> Option<&Text> {
        self.places.first().map(|p| &p.place)
    }
}

/// `place "PLACE"` inside a group.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceStmt {
    /// The place.
    pub place: Text,
    /// The whole statement.
    pub span: Span,
}

/// A member organisation and the topics that are its job.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationDecl {
    /// Its id (`lmc`).
    pub id: Ident,
    /// Its name.
    pub name: Text,
    /// Every `owns` statement, each as written, in file order.
    pub owns: Vec<OwnsStmt>,
    /// The whole declaration.
    pub span: Span,
}

impl OrganisationDecl {
    /// Every pattern of every `owns` statement, in file order: what the
    /// organisation owns, however many lines it is written on.
    pub fn owned_patterns(&self) -> impl Iterator<Item = &PatternRef> {
        self.owns.iter().flat_map(|s| &s.patterns)
    }
}

/// `owns PATTERNS` inside an organisation.
#[derive(Debug, Clone, Serialize)]
pub struct OwnsStmt {
    /// The patterns, in order.
    pub patterns: Vec<PatternRef>,
    /// The whole statement.
    pub span: Span,
}

/// How a violated principle affects the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Violated: the outcome is `decline`.
    Blocking,
    /// Violated: the outcome is at least `refer`.
    Refer,
    /// Violated: reported only.
    Advisory,
}

impl Severity {
    /// The keyword that writes this severity.
    pub fn keyword(self) -> &'static str {
        match self {
            Severity::Blocking => "blocking",
            Severity::Refer => "refer",
            Severity::Advisory => "advisory",
        }
    }
}

/// A shared principle.
#[derive(Debug, Clone, Serialize)]
pub struct PrincipleDecl {
    /// Its id.
    pub id: Ident,
    /// The principle as the group states it.
    pub statement: Text,
    /// The severity as written; `None` means the default, `blocking`.
    pub severity: Option<Severity>,
    /// The Rhai code, inline or in a script file.
    pub body: PrincipleBody,
    /// The whole declaration.
    pub span: Span,
}

impl PrincipleDecl {
    /// The severity it has: as written, or `blocking` when none is.
    pub fn severity_or_default(&self) -> Severity {
        self.severity.unwrap_or(Severity::Blocking)
    }
}

/// Where a principle's Rhai code is.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PrincipleBody {
    /// Code between the braces of the rule file.
    Inline {
        /// The code, exactly as written between `{` and `}`.
        code: String,
        /// Where the code is (after the `{`, before the `}`).
        span: Span,
    },
    /// `script "PATH"`: a file relative to the rule file's folder.
    Script {
        /// The path as written.
        path: Text,
    },
}

/// A local priority.
#[derive(Debug, Clone, Serialize)]
pub struct PriorityDecl {
    /// Its id.
    pub id: Ident,
    /// Its name.
    pub name: Text,
    /// Every `topics` statement, each as written, in file order.
    pub topics: Vec<TopicsStmt>,
    /// The whole declaration.
    pub span: Span,
}

impl PriorityDecl {
    /// Every pattern of every `topics` statement, in file order.
    pub fn patterns(&self) -> impl Iterator<Item = &PatternRef> {
        self.topics.iter().flat_map(|s| &s.patterns)
    }
}

/// `topics PATTERNS` inside a priority.
#[derive(Debug, Clone, Serialize)]
pub struct TopicsStmt {
    /// The patterns, in order.
    pub patterns: Vec<PatternRef>,
    /// The whole statement.
    pub span: Span,
}

/// A vocabulary entry: `topic interface.outpatients "Outpatient referrals"`.
#[derive(Debug, Clone, Serialize)]
pub struct TopicDecl {
    /// The declared topic path.
    pub topic: PatternRef,
    /// Its plain-English label.
    pub label: Text,
    /// The whole declaration.
    pub span: Span,
}

/// A person who represents the group.
#[derive(Debug, Clone, Serialize)]
pub struct RepresentativeDecl {
    /// Their id (`patel`).
    pub id: Ident,
    /// Their name.
    pub name: Text,
    /// Their statements, in file order.
    pub statements: Vec<RepresentativeStmt>,
    /// The whole declaration.
    pub span: Span,
}

/// One statement inside a `representative` block.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RepresentativeStmt {
    /// `role "TEXT"`
    Role {
        /// The role.
        role: Text,
        /// The whole statement.
        span: Span,
    },
    /// `forums "A", "B"`
    Forums {
        /// The forums, in order.
        forums: Vec<Text>,
        /// The whole statement.
        span: Span,
    },
    /// `valid from DATE until DATE` (either part may be missing).
    Valid {
        /// First valid day, inclusive.
        from: Option<DateLit>,
        /// Last valid day, inclusive.
        until: Option<DateLit>,
        /// The whole statement.
        span: Span,
    },
    /// `report within N days`
    Report {
        /// N as written (may be out of range; `validate` checks).
        days: i64,
        /// Where N is.
        days_span: Span,
        /// The whole statement.
        span: Span,
    },
    /// `may agree`, `refer` or `may not agree`.
    Rule(RuleDecl),
}

impl RepresentativeStmt {
    /// Where the whole statement is.
    pub fn span(&self) -> Span {
        match self {
            RepresentativeStmt::Role { span, .. }
            | RepresentativeStmt::Forums { span, .. }
            | RepresentativeStmt::Valid { span, .. }
            | RepresentativeStmt::Report { span, .. } => *span,
            RepresentativeStmt::Rule(rule) => rule.span,
        }
    }
}

/// What a rule does when it applies.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// `may agree`: a grant.
    MayAgree,
    /// `refer`: bring it back to the group first.
    Refer,
    /// `may not agree`: a forbid.
    MayNotAgree,
}

impl Effect {
    /// The words that write this effect in a rule file.
    pub fn keyword(self) -> &'static str {
        match self {
            Effect::MayAgree => "may agree",
            Effect::Refer => "refer",
            Effect::MayNotAgree => "may not agree",
        }
    }
}

/// A rule: `may agree PATTERNS [except PATTERNS] [at "FORUM"] [when CONDITION]`.
#[derive(Debug, Clone, Serialize)]
pub struct RuleDecl {
    /// Grant, refer or forbid.
    pub effect: Effect,
    /// The topics the rule is about.
    pub topics: Vec<PatternRef>,
    /// Topics taken out again by `except`.
    pub except: Vec<PatternRef>,
    /// `at "FORUM"`.
    pub forum: Option<Text>,
    /// `when CONDITION`.
    pub condition: Option<Condition>,
    /// The whole rule.
    pub span: Span,
}

/// A condition over the proposal's fields.
#[derive(Debug, Clone, Serialize)]
pub struct Condition {
    /// What kind of expression this is.
    pub kind: ConditionKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of condition expression.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionKind {
    /// `a or b or ...` (two or more).
    Or(Vec<Condition>),
    /// `a and b and ...` (two or more).
    And(Vec<Condition>),
    /// `not a`.
    Not(Box<Condition>),
    /// `( a )`, kept so a formatter can reproduce the author's parentheses.
    Parenthesised(Box<Condition>),
    /// `left OP right`.
    Compare {
        /// Left operand.
        left: Operand,
        /// The operator.
        op: CompareOp,
        /// Right operand.
        right: Operand,
    },
    /// `value in [list]`.
    In {
        /// What is looked for.
        value: Operand,
        /// The list it is looked for in.
        list: Literal,
    },
    /// `container contains item`.
    Contains {
        /// The list or string searched.
        container: Operand,
        /// What is searched for.
        item: Operand,
    },
    /// A lone operand: a boolean field (`urgent`) or `true`/`false`.
    Test(Operand),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CompareOp {
    /// `==`
    #[serde(rename = "==")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
}

impl CompareOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operand {
    /// A proposal field (`cost`, `budget.recurrent`).
    Field(FieldPath),
    /// A literal value.
    Literal(Literal),
}

impl Operand {
    /// Where the operand is.
    pub fn span(&self) -> Span {
        match self {
            Operand::Field(field) => field.span,
            Operand::Literal(literal) => literal.span,
        }
    }
}

/// A dotted path into the proposal (`budget.recurrent`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldPath {
    /// The segments, in order.
    pub segments: Vec<String>,
    /// Where the path is.
    pub span: Span,
}

impl FieldPath {
    /// The path as written (`budget.recurrent`).
    pub fn dotted(&self) -> String {
        self.segments.join(".")
    }
}

/// A literal value with its span.
#[derive(Debug, Clone, Serialize)]
pub struct Literal {
    /// The value.
    pub value: LiteralValue,
    /// Where it is.
    pub span: Span,
}

/// A literal's value.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LiteralValue {
    /// A number; `text` is how it was written (`50_000`).
    Number {
        /// The numeric value.
        value: f64,
        /// The text as written.
        text: String,
    },
    /// A string.
    String(String),
    /// A date.
    Date(DateLit),
    /// `true` or `false`.
    Bool(bool),
    /// `[a, b, ...]`.
    List(Vec<Literal>),
}
