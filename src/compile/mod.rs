//! Validated syntax tree -> a ready-to-check [`Mandate`].
//!
//! Owns the compiled form: every representative's rules with a topic index
//! (so a check looks up the rules for a topic instead of scanning them all),
//! ownership indexed the same way, principles compiled to Rhai ASTs once
//! (by `validate`, which hands the compiled code on),
//! the vocabulary, and the mandate's fingerprint. Also owns loading, the
//! one entry point that runs the stages in order: read -> parse -> validate
//! -> compile. A `Mandate` is immutable, `Send + Sync`, and checked many
//! times.

use crate::topic::TopicIndex;
use std::collections::HashMap;

mod meaning;
pub use meaning::{ExprMeaning, MandateMeaning, RepresentativeMeaning, RuleMeaning};

use crate::diagnostic::{Diagnostic, Level};
use crate::source::{self, Script, Scripts, SourceFile};
use crate::syntax::ast::{self, Declaration, PrincipleBody, RepresentativeStmt, Severity, Span};
use crate::syntax::SyntaxError;
use crate::topic::TopicPattern;
use chrono::NaiveDate;
use std::path::Path;

pub use crate::syntax::ast::{CompareOp, Effect};

/// A mandate ready to check proposals against. Build it once (with
/// [`Mandate::load`] or [`Mandate::from_source`]) and share it: it is
/// `Send + Sync`, and checking never changes it.
///
/// A clone is a reference count: a [`crate::Decision`] keeps the mandate it
/// was made by, to put its reasons into words only when someone reads them.
#[derive(Debug, Clone)]
pub struct Mandate(std::sync::Arc<compiled::Compiled>);

impl std::ops::Deref for Mandate {
    type Target = compiled::Compiled;

    fn deref(&self) -> &compiled::Compiled {
        &self.0
    }
}

mod compiled {
    use super::*;

    /// What a [`Mandate`] holds; read through its methods.
    #[derive(Debug)]
    pub struct Compiled {
        pub(crate) group: Group,
        pub(crate) organisations: Vec<Organisation>,
        pub(crate) ownership: TopicIndex,
        /// (organisation index, pattern, line) per ownership entry.
        pub(crate) owned: Vec<(usize, TopicPattern, u32)>,
        pub(crate) principles: Vec<Principle>,
        pub(crate) priorities: Vec<Priority>,
        /// The priorities indexed by their topics.
        pub(crate) priority_index: TopicIndex,
        pub(crate) vocabulary: Vec<TopicLabel>,
        /// The vocabulary indexed by topic, for "the declared topic at or above".
        pub(crate) vocabulary_index: TopicIndex,
        pub(crate) representatives: Vec<Representative>,
        /// Each representative's and principle's place by id (ids are unique:
        /// `validate` refuses a repeat), so a front end drawing thousands of
        /// decisions looks each up in constant time.
        pub(crate) representative_ids: HashMap<String, usize>,
        pub(crate) principle_ids: HashMap<String, usize>,
        pub(crate) priority_ids: HashMap<String, usize>,
        pub(crate) organisation_ids: HashMap<String, usize>,
        pub(crate) sandbox: crate::validate::LazySandbox,
        pub(crate) sha256: String,
        /// The longest name, label, id, forum or topic pattern in the file,
        /// in bytes: what a sentence naming one of them may need (worked out
        /// the first time a sentence's length is bounded).
        pub(crate) longest_name: std::sync::OnceLock<usize>,
    }
}

/// The group that sends the representatives.
#[derive(Debug, Clone)]
pub struct Group {
    /// Its name.
    pub name: String,
    /// The place it covers.
    pub place: Option<String>,
}

/// A member organisation.
#[derive(Debug, Clone)]
pub struct Organisation {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Line of its declaration.
    pub line: u32,
}

/// A compiled principle.
#[derive(Debug, Clone)]
pub struct Principle {
    /// Its id.
    pub id: String,
    /// Its statement.
    pub statement: String,
    /// Its severity.
    pub severity: Severity,
    /// Line of its declaration.
    pub line: u32,
    /// Where its code is, for reporting runtime errors: empty for inline
    /// code (the rule file), else the script's path as written.
    pub code_file: String,
    /// Line of the code's first character in `code_file`.
    pub code_line: u32,
    /// Column of the code's first character in `code_file`.
    pub code_column: u32,
    /// What the code reads of the proposal, so an error can name the field
    /// whose value did not fit.
    pub(crate) reads: crate::principles::FieldReads,
    pub(crate) ast: rhai::AST,
    /// The code as written, for [`Mandate::meaning`].
    pub(crate) code: String,
}

/// A local priority.
#[derive(Debug, Clone)]
pub struct Priority {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its topics.
    pub patterns: Vec<TopicPattern>,
    /// Line of its declaration.
    pub line: u32,
}

/// A declared topic and its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicLabel {
    /// The topic path.
    pub topic: String,
    /// Its plain-English label.
    pub label: String,
    /// Line of the declaration.
    pub line: u32,
}

/// A compiled representative.
#[derive(Debug, Clone)]
pub struct Representative {
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Option<String>,
    /// First line of their block in the rule file.
    pub line: u32,
    /// Last line of their block.
    pub end_line: u32,
    /// The forums they attend for the group (empty: no forum gate).
    pub forums: Vec<String>,
    /// First valid day, inclusive.
    pub valid_from: Option<NaiveDate>,
    /// Last valid day, inclusive.
    pub valid_until: Option<NaiveDate>,
    /// Line of the `valid` statement.
    pub valid_line: Option<u32>,
    /// Line of the `forums` statement.
    pub forums_line: Option<u32>,
    /// `report within N days`.
    pub report_within_days: Option<u32>,
    /// Their rules, in file order.
    pub rules: Vec<Rule>,
    pub(crate) index: TopicIndex,
}

impl Representative {
    /// The forum gate: whether a proposal put to `forum` may be agreed by
    /// them there (a proposal naming no forum passes; the rules with `at`
    /// ask for it instead). Always true for someone who lists no forums.
    pub fn attends(&self, forum: Option<&str>) -> bool {
        self.forums.is_empty() || forum.is_none_or(|f| self.forums.iter().any(|own| own == f))
    }

    /// The date gate: whether their mandate is in force on `date` (both
    /// ends of `valid` inclusive).
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| date >= from)
            && self.valid_until.is_none_or(|until| date <= until)
    }

    /// Their rules whose patterns match `topic` and whose `except` does
    /// not take it out, by index, in file order.
    pub(crate) fn rules_for(&self, topic: &str) -> Vec<usize> {
        self.index
            .lookup(topic)
            .into_iter()
            .filter(|i| self.rules.get(*i).is_some_and(|r| !r.excepts(topic)))
            .collect()
    }
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Grant, refer or forbid.
    pub effect: Effect,
    /// The topics it is about.
    pub patterns: Vec<TopicPattern>,
    /// Topics taken out by `except`.
    pub except: Vec<TopicPattern>,
    /// `at "FORUM"`.
    pub forum: Option<String>,
    /// `when ...`.
    pub condition: Option<Expr>,
    /// Line of the rule.
    pub line: u32,
    /// `except` indexed, when it is long enough for a scan to cost.
    pub(crate) except_index: Option<TopicIndex>,
}

impl Rule {
    /// Whether an `except` of this rule takes `topic` out.
    pub fn excepts(&self, topic: &str) -> bool {
        match &self.except_index {
            Some(index) => index.matches_any(topic),
            None => self.except.iter().any(|e| e.matches(topic)),
        }
    }
}

/// Past this many `except` patterns, a rule's exceptions are indexed.
const EXCEPT_SCAN: usize = 8;

/// A compiled condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// Any term true.
    Or(Vec<Expr>),
    /// All terms true.
    And(Vec<Expr>),
    /// Negation.
    Not(Box<Expr>),
    /// `left OP right`.
    Compare(Operand, CompareOp, Operand),
    /// `value in [list]`.
    In(Operand, Vec<Value>),
    /// `container contains item`.
    Contains(Operand, Operand),
    /// A lone field or boolean.
    Test(Operand),
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A proposal field, as its dotted path.
    Field(String),
    /// A literal.
    Value(Value),
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number.
    Number(f64),
    /// A text.
    String(String),
    /// A date.
    Date(NaiveDate),
    /// A boolean.
    Bool(bool),
    /// A list.
    List(Vec<Value>),
}

/// What loading a rule file gave: the mandate when there were no errors,
/// every diagnostic (errors and warnings), and the texts read, so a front
/// end can draw the diagnostics against their source.
#[derive(Debug)]
pub struct Loaded {
    /// The mandate, if it has no errors.
    pub mandate: Option<Mandate>,
    /// Every error and warning, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The rule file and every script read.
    pub sources: Vec<SourceFile>,
}

impl Loaded {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl Mandate {
    /// Reads, validates and compiles the rule file at `path` (and the
    /// principle scripts it names). `today` is the day warnings such as
    /// "this mandate has expired" are judged against.
    pub fn load(path: &Path, today: NaiveDate) -> Loaded {
        match source::read_rule_file(path) {
            Ok(rule_file) => Self::load_text(path, rule_file, today),
            Err(diagnostic) => failed(*diagnostic),
        }
    }

    /// As [`Mandate::load`], for the text of a rule file at `path` that is
    /// already in memory (an editor's unsaved buffer): the principle
    /// scripts it names are read from beside `path`.
    pub(crate) fn load_text(path: &Path, rule_file: SourceFile, today: NaiveDate) -> Loaded {
        let tree = crate::syntax::parse(&rule_file.text);
        Self::load_parsed(Some(path), rule_file, tree.as_ref(), today)
    }

    /// Validates and compiles a rule file already in memory. `scripts`
    /// holds the principle scripts it names, keyed by the path as written
    /// (a script missing from it is reported as missing).
    pub fn from_source(rule_file: SourceFile, scripts: Scripts, today: NaiveDate) -> Loaded {
        let tree = crate::syntax::parse(&rule_file.text);
        Self::from_tree(rule_file, tree.as_ref(), |_, _| scripts, today)
    }

    /// As [`Mandate::load_text`] (with a `path`) or [`Mandate::from_source`]
    /// with no scripts (without one), for a rule file whose text the caller
    /// has already parsed into `tree` (an editor keeps the tree too).
    pub(crate) fn load_parsed(
        path: Option<&Path>,
        rule_file: SourceFile,
        tree: Result<&ast::MandateFile, &SyntaxError>,
        today: NaiveDate,
    ) -> Loaded {
        let Some(path) = path else {
            return Self::from_tree(rule_file, tree, |_, _| Scripts::new(), today);
        };
        let folder = match path.parent() {
            Some(folder) if !folder.as_os_str().is_empty() => folder,
            _ => Path::new("."),
        };
        Self::from_tree(
            rule_file,
            tree,
            |ast, name| source::read_scripts(ast, folder, name),
            today,
        )
    }

    fn from_tree(
        rule_file: SourceFile,
        tree: Result<&ast::MandateFile, &SyntaxError>,
        read_scripts: impl FnOnce(&ast::MandateFile, &str) -> Scripts,
        today: NaiveDate,
    ) -> Loaded {
        let file = match tree {
            Ok(file) => file,
            Err(error) => {
                let diagnostic = Diagnostic::at(
                    Level::Error,
                    error.code(),
                    error.to_string(),
                    Some(error.help()),
                    &rule_file.name,
                    &rule_file.text,
                    error.span(),
                );
                return Loaded {
                    mandate: None,
                    diagnostics: vec![diagnostic],
                    sources: vec![rule_file],
                };
            }
        };
        let scripts = read_scripts(file, &rule_file.name);
        let validation = stages::validate(file, &rule_file, &scripts, today);
        let mut sources = vec![rule_file.clone()];
        sources.extend(scripts.values().filter_map(|s| match s {
            Script::Loaded(file) => Some(file.clone()),
            _ => None,
        }));
        let stages::Validation { validated, sandbox } = validation;
        let mut diagnostics = validated.diagnostics;
        // Every load that gives no mandate says why: validation's errors,
        // or what stopped the build.
        let mandate = if diagnostics.iter().any(Diagnostic::is_error) {
            None
        } else {
            match build(file, &rule_file, &scripts, validated.principles, sandbox) {
                Ok(mandate) => Some(mandate),
                Err(diagnostic) => {
                    diagnostics.push(*diagnostic);
                    None
                }
            }
        };
        Loaded {
            mandate,
            diagnostics,
            sources,
        }
    }

    /// The group's name.
    pub fn group(&self) -> &Group {
        &self.group
    }

    /// The representatives, in file order.
    pub fn representatives(&self) -> &[Representative] {
        &self.representatives
    }

    /// The representative with this id.
    pub fn representative(&self, id: &str) -> Option<&Representative> {
        self.representative_ids
            .get(id)
            .and_then(|i| self.representatives.get(*i))
    }

    /// The principle with this id.
    pub fn principle(&self, id: &str) -> Option<&Principle> {
        self.principle_ids
            .get(id)
            .and_then(|i| self.principles.get(*i))
    }

    /// The priority with this id.
    pub fn priority(&self, id: &str) -> Option<&Priority> {
        self.priority_ids
            .get(id)
            .and_then(|i| self.priorities.get(*i))
    }

    /// The organisation with this id.
    pub fn organisation(&self, id: &str) -> Option<&Organisation> {
        self.organisation_ids
            .get(id)
            .and_then(|i| self.organisations.get(*i))
    }

    /// The organisations, in file order.
    pub fn organisations(&self) -> &[Organisation] {
        &self.organisations
    }

    /// The principles, in file order.
    pub fn principles(&self) -> &[Principle] {
        &self.principles
    }

    /// The priorities, in file order.
    pub fn priorities(&self) -> &[Priority] {
        &self.priorities
    }

    /// The declared topics and their labels, in file order.
    pub fn vocabulary(&self) -> &[TopicLabel] {
        &self.vocabulary
    }

    /// The most specific declared topic at or above `topic`.
    pub fn declared(&self, topic: &str) -> Option<&TopicLabel> {
        self.vocabulary_index
            .lookup(topic)
            .into_iter()
            .filter_map(|i| self.vocabulary.get(i))
            .max_by_key(|d| d.topic.len())
    }

    /// The declared topic `topic` itself, if it is declared.
    pub fn declared_exactly(&self, topic: &str) -> Option<&TopicLabel> {
        self.declared(topic).filter(|d| d.topic == topic)
    }

    /// The label of the most specific declared topic at or above `topic`.
    pub fn label(&self, topic: &str) -> Option<&str> {
        self.declared(topic).map(|d| d.label.as_str())
    }

    /// The longest name, label, id, forum or topic pattern in the file, in
    /// bytes.
    pub(crate) fn longest_name(&self) -> usize {
        *self.longest_name.get_or_init(|| {
            let pattern = |p: &TopicPattern| match p {
                TopicPattern::Any => 0,
                TopicPattern::Path(path) => path.len(),
            };
            let vocabulary = self
                .vocabulary
                .iter()
                .map(|t| t.topic.len() + t.label.len());
            let organisations = self.organisations.iter().map(|o| o.id.len() + o.name.len());
            let principles = self
                .principles
                .iter()
                .map(|p| p.id.len() + p.statement.len());
            let representatives = self.representatives.iter().flat_map(|r| {
                let rules = r.rules.iter().flat_map(|rule| {
                    rule.patterns
                        .iter()
                        .chain(&rule.except)
                        .map(pattern)
                        .chain(rule.forum.as_ref().map(String::len))
                });
                std::iter::once(r.id.len() + r.name.len())
                    .chain(r.forums.iter().map(String::len))
                    .chain(rules)
            });
            vocabulary
                .chain(organisations)
                .chain(principles)
                .chain(representatives)
                .chain(std::iter::once(self.group.name.len()))
                .max()
                .unwrap_or(0)
        })
    }

    /// The SHA-256 fingerprint of the rule file and every script it loads
    /// (the README's "The mandate fingerprint": the same digest its shell
    /// recipe prints).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

/// The stages of a load one at a time, for `benches/load.rs`, which
/// times each apart: [`Mandate::from_source`] runs these same functions.
/// Not part of the library's interface.
#[doc(hidden)]
pub mod stages {
    use super::*;

    /// What validation gave: its diagnostics, the principles' compiled
    /// code and the sandbox that compiled it.
    #[derive(Debug)]
    pub struct Validation {
        pub(super) validated: crate::validate::Validated,
        pub(super) sandbox: crate::validate::LazySandbox,
    }

    impl Validation {
        /// Every error and warning, in file order.
        pub fn diagnostics(&self) -> &[Diagnostic] {
            &self.validated.diagnostics
        }
    }

    /// Validates a parsed rule file (`file`, the tree of `rule_file`),
    /// compiling its principles in a new sandbox (built only if there are
    /// principles).
    pub fn validate(
        file: &ast::MandateFile,
        rule_file: &SourceFile,
        scripts: &Scripts,
        today: NaiveDate,
    ) -> Validation {
        let sandbox = crate::validate::LazySandbox::default();
        let validated = crate::validate::validate_compiling(
            file,
            &crate::validate::Context {
                rule_file,
                scripts,
                sandbox: &sandbox,
                today,
            },
        );
        Validation { validated, sandbox }
    }

    /// Compiles a rule file that validated without errors.
    pub fn compile(
        file: &ast::MandateFile,
        rule_file: &SourceFile,
        scripts: &Scripts,
        validation: Validation,
    ) -> Result<Mandate, Box<Diagnostic>> {
        build(
            file,
            rule_file,
            scripts,
            validation.validated.principles,
            validation.sandbox,
        )
    }
}

fn failed(diagnostic: Diagnostic) -> Loaded {
    Loaded {
        mandate: None,
        diagnostics: vec![diagnostic],
        sources: Vec::new(),
    }
}

/// Builds the compiled mandate from a tree that validated without errors,
/// with the principles' code as validation compiled it (one entry per
/// `principle` declaration, in file order). Validation refuses everything
/// that could stop it, so an error here is a fault in this program, not in
/// the file; it is still reported as a diagnostic, never silently.
fn build(
    file: &ast::MandateFile,
    rule_file: &SourceFile,
    scripts: &Scripts,
    compiled: Vec<Option<rhai::AST>>,
    sandbox: crate::validate::LazySandbox,
) -> Result<Mandate, Box<Diagnostic>> {
    let cannot = |what: String, span: Span| {
        Box::new(Diagnostic::at(
            Level::Error,
            "cannot-build",
            format!("the mandate cannot be built: {what}"),
            Some("The file passed validation, so this is a fault in mandate itself: please report it, with the file. Until it is fixed, this mandate cannot be used.".into()),
            &rule_file.name,
            &rule_file.text,
            span,
        ))
    };
    let mut compiled = compiled.into_iter();
    let mut group = None;
    let mut organisations = Vec::new();
    let mut owned = Vec::new();
    let mut ownership = TopicIndex::new();
    let mut principles = Vec::new();
    let mut priorities = Vec::new();
    let mut vocabulary = Vec::new();
    let mut representatives = Vec::new();
    let mut scripts_in_order: Vec<(&str, &str)> = Vec::new();

    for declaration in &file.declarations {
        match declaration {
            Declaration::Group(g) => {
                group = Some(Group {
                    name: g.name.value.clone(),
                    place: g.place().map(|p| p.value.clone()),
                });
            }
            Declaration::Organisation(o) => {
                let index = organisations.len();
                organisations.push(Organisation {
                    id: o.id.name.clone(),
                    name: o.name.value.clone(),
                    line: o.span.line,
                });
                for pattern in o.owned_patterns() {
                    ownership.insert(&pattern.pattern, owned.len());
                    owned.push((index, pattern.pattern.clone(), pattern.span.line));
                }
            }
            Declaration::Principle(p) => {
                let (code, code_file, span) = match &p.body {
                    // Positions name the rule file as "line N" and a script by
                    // the path as written, so a decision does not depend on
                    // how the rule file was named on the command line.
                    PrincipleBody::Inline { code, span } => (code.as_str(), String::new(), *span),
                    PrincipleBody::Script { path } => match scripts.get(&path.value) {
                        Some(Script::Loaded(script)) => {
                            if !scripts_in_order.iter().any(|(n, _)| *n == path.value) {
                                scripts_in_order.push((&path.value, &script.text));
                            }
                            (script.text.as_str(), path.value.clone(), Span::START)
                        }
                        _ => {
                            return Err(cannot(
                                format!(
                                    "the script \"{}\" of principle `{}` was not read",
                                    path.value, p.id.name
                                ),
                                path.span,
                            ))
                        }
                    },
                };
                let Some(ast) = compiled.next().flatten() else {
                    return Err(cannot(
                        format!("principle `{}` has no compiled code", p.id.name),
                        p.id.span,
                    ));
                };
                principles.push(Principle {
                    id: p.id.name.clone(),
                    statement: p.statement.value.clone(),
                    severity: p.severity_or_default(),
                    line: p.span.line,
                    code_file,
                    code_line: span.line,
                    code_column: span.column,
                    reads: crate::principles::FieldReads::of(code),
                    ast,
                    code: code.to_string(),
                });
            }
            Declaration::Priority(p) => priorities.push(Priority {
                id: p.id.name.clone(),
                name: p.name.value.clone(),
                patterns: p.patterns().map(|t| t.pattern.clone()).collect(),
                line: p.span.line,
            }),
            Declaration::Topic(t) => vocabulary.push(TopicLabel {
                topic: t.topic.pattern.to_string(),
                label: t.label.value.clone(),
                line: t.span.line,
            }),
            Declaration::Representative(r) => {
                // Counted from the declaration's own start: a line index
                // of the whole file for a few dozen lines cost more.
                let last = Span {
                    end: r.span.end.saturating_sub(1),
                    ..r.span
                };
                let (end_line, _) = last.end_line_column(&rule_file.text);
                representatives.push(representative(r, end_line));
            }
        }
    }
    let sha256 = source::fingerprint(&rule_file.text, &scripts_in_order);
    let mut priority_index = TopicIndex::new();
    for (i, priority) in priorities.iter().enumerate() {
        for pattern in &priority.patterns {
            priority_index.insert(pattern, i);
        }
    }
    let mut vocabulary_index = TopicIndex::new();
    for (i, entry) in vocabulary.iter().enumerate() {
        vocabulary_index.insert(&TopicPattern::new(&entry.topic), i);
    }
    let Some(group) = group else {
        let span = file.declarations.first().map_or(Span::START, |d| d.span());
        return Err(cannot("it has no `group`".into(), span));
    };
    let representative_ids = ids(representatives.iter().map(|r| r.id.as_str()));
    let principle_ids = ids(principles.iter().map(|p| p.id.as_str()));
    let priority_ids = ids(priorities.iter().map(|p| p.id.as_str()));
    let organisation_ids = ids(organisations.iter().map(|o| o.id.as_str()));
    Ok(Mandate(std::sync::Arc::new(compiled::Compiled {
        group,
        organisations,
        ownership,
        owned,
        principles,
        priorities,
        priority_index,
        vocabulary,
        vocabulary_index,
        representative_ids,
        principle_ids,
        priority_ids,
        organisation_ids,
        representatives,
        sandbox,
        sha256,
        longest_name: std::sync::OnceLock::new(),
    })))
}

/// Each id's first place.
fn ids<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, id) in ids.enumerate() {
        map.entry(id.to_string()).or_insert(i);
    }
    map
}

fn representative(r: &ast::RepresentativeDecl, end_line: u32) -> Representative {
    let mut rep = Representative {
        id: r.id.name.clone(),
        name: r.name.value.clone(),
        role: None,
        line: r.span.line,
        end_line,
        forums: Vec::new(),
        valid_from: None,
        valid_until: None,
        valid_line: None,
        forums_line: None,
        report_within_days: None,
        rules: Vec::new(),
        index: TopicIndex::new(),
    };
    for stmt in &r.statements {
        match stmt {
            RepresentativeStmt::Role { role, .. } => rep.role = Some(role.value.clone()),
            RepresentativeStmt::Forums { forums, span } => {
                rep.forums = forums.iter().map(|f| f.value.clone()).collect();
                rep.forums_line = Some(span.line);
            }
            RepresentativeStmt::Valid { from, until, span } => {
                rep.valid_from = from.as_ref().and_then(|d| d.date);
                rep.valid_until = until.as_ref().and_then(|d| d.date);
                rep.valid_line = Some(span.line);
            }
            RepresentativeStmt::Report { days, .. } => {
                rep.report_within_days = u32::try_from(*days).ok();
            }
            RepresentativeStmt::Rule(rule) => {
                let index = rep.rules.len();
                for pattern in &rule.topics {
                    rep.index.insert(&pattern.pattern, index);
                }
                let except: Vec<TopicPattern> =
                    rule.except.iter().map(|p| p.pattern.clone()).collect();
                let except_index = (except.len() > EXCEPT_SCAN).then(|| {
                    let mut index = TopicIndex::new();
                    for pattern in &except {
                        index.insert(pattern, 0);
                    }
                    index
                });
                rep.rules.push(Rule {
                    effect: rule.effect,
                    patterns: rule.topics.iter().map(|p| p.pattern.clone()).collect(),
                    except,
                    except_index,
                    forum: rule.forum.as_ref().map(|f| f.value.clone()),
                    condition: rule.condition.as_ref().map(expr),
                    line: rule.span.line,
                });
            }
        }
    }
    rep
}

fn expr(condition: &ast::Condition) -> Expr {
    use ast::ConditionKind as K;
    match &condition.kind {
        K::Or(terms) => Expr::Or(terms.iter().map(expr).collect()),
        K::And(terms) => Expr::And(terms.iter().map(expr).collect()),
        K::Not(inner) => Expr::Not(Box::new(expr(inner))),
        K::Parenthesised(inner) => expr(inner),
        K::Compare { left, op, right } => Expr::Compare(operand(left), *op, operand(right)),
        K::In { value, list } => Expr::In(
            operand(value),
            match literal(list) {
                Value::List(items) => items,
                other => vec![other],
            },
        ),
        K::Contains { container, item } => Expr::Contains(operand(container), operand(item)),
        K::Test(value) => Expr::Test(operand(value)),
    }
}

fn operand(operand: &ast::Operand) -> Operand {
    match operand {
        ast::Operand::Field(field) => Operand::Field(field.dotted()),
        ast::Operand::Literal(l) => Operand::Value(literal(l)),
    }
}

fn literal(literal: &ast::Literal) -> Value {
    match &literal.value {
        ast::LiteralValue::Number { value, .. } => Value::Number(*value),
        ast::LiteralValue::String(s) => Value::String(s.clone()),
        // Validation refused impossible dates; a None cannot reach here, and
        // the minimum date keeps this total without a panic.
        ast::LiteralValue::Date(d) => Value::Date(d.date.unwrap_or(NaiveDate::MIN)),
        ast::LiteralValue::Bool(b) => Value::Bool(*b),
        ast::LiteralValue::List(items) => Value::List(items.iter().map(self::literal).collect()),
    }
}

// A compiled mandate is shared across threads (`mandate serve`, batch
// checks): keep it that way.
const _: fn() = || {
    fn is_send_sync<T: Send + Sync>() {}
    is_send_sync::<Mandate>();
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds `text` as if it had validated, with `compiled` as the
    /// principles' code, and returns what stopped the build.
    fn build_error(text: &str, compiled: Vec<Option<rhai::AST>>) -> Diagnostic {
        let rule_file = SourceFile {
            name: "t.mandate".into(),
            text: text.into(),
        };
        let file = crate::syntax::parse(text).expect("the test file parses");
        match build(
            &file,
            &rule_file,
            &Scripts::new(),
            compiled,
            Default::default(),
        ) {
            Ok(_) => panic!("built a mandate from an inconsistent input"),
            Err(diagnostic) => *diagnostic,
        }
    }

    #[test]
    fn a_build_that_fails_says_why_and_where() {
        let no_group = build_error("representative r \"R\" {\n  refer *\n}\n", Vec::new());
        assert_eq!(no_group.code, "cannot-build");
        assert!(no_group.is_error());
        assert_eq!(no_group.line, 1);
        assert!(
            no_group.message.contains("no `group`"),
            "{}",
            no_group.message
        );

        let inline = "group \"g\" { }\nprinciple p \"P\" { true }\n";
        let uncompiled = build_error(inline, Vec::new());
        assert_eq!(
            (uncompiled.line, uncompiled.code.as_str()),
            (2, "cannot-build")
        );
        assert!(
            uncompiled.message.contains("principle `p`"),
            "{}",
            uncompiled.message
        );

        let script = "group \"g\" { }\nprinciple p \"P\" script \"p.rhai\"\n";
        let unread = build_error(script, vec![None]);
        assert_eq!(unread.line, 2);
        assert!(unread.message.contains("\"p.rhai\""), "{}", unread.message);
    }
}
