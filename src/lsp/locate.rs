//! What stands at a place in a document's syntax tree, and what the tree
//! says about it: the facts a hover words and the declaration a "go to
//! definition" goes to. Reads the typed tree only (no compiled mandate),
//! so it answers for a file with errors as long as it parses.

use crate::syntax::ast::{
    ConditionKind, Declaration, MandateFile, Operand, OrganisationDecl, PatternRef, PrincipleBody,
    PrincipleDecl, PriorityDecl, RepresentativeDecl, RepresentativeStmt, RuleDecl, Span, Text,
    TopicDecl,
};
use crate::topic::{pattern_matches, TopicPattern};

/// A thing a person can point at in a rule file.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    /// A topic pattern, wherever it is written.
    Topic(&'a PatternRef),
    /// A forum: in a `forums` statement or a rule's `at`.
    Forum {
        /// The forum as written.
        forum: &'a Text,
        /// The representative whose statement it is in.
        rep: &'a RepresentativeDecl,
        /// Whether it is a rule's `at` (not the `forums` line itself).
        in_rule: bool,
    },
    /// A principle's `script "PATH"`.
    Script(&'a PrincipleDecl, &'a Text),
    /// A rule (outside its topics and forum); `index` counts the rules of
    /// `rep` before it.
    Rule {
        /// Whose rule it is.
        rep: &'a RepresentativeDecl,
        /// The rule.
        rule: &'a RuleDecl,
        /// Its place among the representative's rules.
        index: usize,
    },
    /// A principle's heading.
    Principle(&'a PrincipleDecl),
    /// An organisation's heading.
    Organisation(&'a OrganisationDecl),
    /// A priority's heading.
    Priority(&'a PriorityDecl),
    /// A representative's heading or a statement that is not a rule.
    Representative(&'a RepresentativeDecl),
}

/// Whether `offset` is inside `span`.
fn on(span: Span, offset: usize) -> bool {
    span.start <= offset && offset < span.end
}

/// What is at byte `offset` of the file: the smallest thing a person can
/// point at that holds the character starting there. (A cursor at the end
/// of a word is on the character after it; a caller that wants the word
/// asks again one byte before.)
pub(crate) fn at(file: &MandateFile, offset: usize) -> Option<Target<'_>> {
    let declaration = file.declarations.iter().find(|d| on(d.span(), offset))?;
    match declaration {
        Declaration::Group(_) => None,
        Declaration::Topic(decl) => Some(Target::Topic(&decl.topic)),
        Declaration::Organisation(org) => {
            Some(pattern_at(org.owned_patterns(), offset).unwrap_or(Target::Organisation(org)))
        }
        Declaration::Priority(priority) => {
            Some(pattern_at(priority.patterns(), offset).unwrap_or(Target::Priority(priority)))
        }
        Declaration::Principle(principle) => match &principle.body {
            PrincipleBody::Script { path } if on(path.span, offset) => {
                Some(Target::Script(principle, path))
            }
            // Inside the code, it is Rhai's, not the mandate's.
            PrincipleBody::Inline { span, .. } if on(*span, offset) => None,
            _ => Some(Target::Principle(principle)),
        },
        Declaration::Representative(rep) => Some(in_representative(rep, offset)),
    }
}

fn pattern_at<'a>(
    mut patterns: impl Iterator<Item = &'a PatternRef>,
    offset: usize,
) -> Option<Target<'a>> {
    patterns.find(|p| on(p.span, offset)).map(Target::Topic)
}

fn in_representative(rep: &RepresentativeDecl, offset: usize) -> Target<'_> {
    let mut index = 0;
    for statement in &rep.statements {
        match statement {
            RepresentativeStmt::Forums { forums, .. } => {
                if let Some(forum) = forums.iter().find(|f| on(f.span, offset)) {
                    return Target::Forum {
                        forum,
                        rep,
                        in_rule: false,
                    };
                }
            }
            RepresentativeStmt::Rule(rule) => {
                if on(rule.span, offset) {
                    if let Some(target) = pattern_at(rule.topics.iter().chain(&rule.except), offset)
                    {
                        return target;
                    }
                    if let Some(forum) = rule.forum.as_ref().filter(|f| on(f.span, offset)) {
                        return Target::Forum {
                            forum,
                            rep,
                            in_rule: true,
                        };
                    }
                    return Target::Rule { rep, rule, index };
                }
                index += 1;
            }
            _ => {}
        }
    }
    Target::Representative(rep)
}

/// The topic declarations of the file, in file order.
pub(crate) fn vocabulary(file: &MandateFile) -> impl Iterator<Item = &TopicDecl> {
    file.declarations.iter().filter_map(|d| match d {
        Declaration::Topic(t) => Some(t),
        _ => None,
    })
}

/// The most specific declared topic at or above `pattern` (`*` has none).
pub(crate) fn declaration_of<'a>(
    file: &'a MandateFile,
    pattern: &TopicPattern,
) -> Option<&'a TopicDecl> {
    let TopicPattern::Path(topic) = pattern else {
        return None;
    };
    vocabulary(file)
        .filter(|d| pattern_matches(d.topic.pattern.as_str(), topic))
        .max_by_key(|d| d.topic.pattern.as_str().len())
}

/// The organisations owning every topic `pattern` covers, in file order.
pub(crate) fn owners_of<'a>(
    file: &'a MandateFile,
    pattern: &TopicPattern,
) -> Vec<&'a OrganisationDecl> {
    organisations(file)
        .filter(|org| org.owned_patterns().any(|p| pattern.is_within(&p.pattern)))
        .collect()
}

/// The priorities whose topics cover or fall within `pattern`.
pub(crate) fn priorities_of<'a>(
    file: &'a MandateFile,
    pattern: &TopicPattern,
) -> Vec<&'a PriorityDecl> {
    file.declarations
        .iter()
        .filter_map(|d| match d {
            Declaration::Priority(p) => Some(p),
            _ => None,
        })
        .filter(|priority| {
            priority
                .patterns()
                .any(|p| pattern.is_within(&p.pattern) || p.pattern.is_within(pattern))
        })
        .collect()
}

fn organisations(file: &MandateFile) -> impl Iterator<Item = &OrganisationDecl> {
    file.declarations.iter().filter_map(|d| match d {
        Declaration::Organisation(o) => Some(o),
        _ => None,
    })
}

/// The representatives, in file order.
pub(crate) fn representatives(file: &MandateFile) -> impl Iterator<Item = &RepresentativeDecl> {
    file.declarations.iter().filter_map(|d| match d {
        Declaration::Representative(r) => Some(r),
        _ => None,
    })
}

/// The forums a representative lists, in order, as written.
pub(crate) fn forums(rep: &RepresentativeDecl) -> impl Iterator<Item = &Text> {
    rep.statements.iter().flat_map(|s| match s {
        RepresentativeStmt::Forums { forums, .. } => forums.as_slice(),
        _ => &[],
    })
}

/// The representatives who list `forum` in their `forums`.
pub(crate) fn attendees<'a>(file: &'a MandateFile, forum: &str) -> Vec<&'a RepresentativeDecl> {
    representatives(file)
        .filter(|rep| forums(rep).any(|f| f.value == forum))
        .collect()
}

/// Every rule of every representative.
pub(crate) fn rules(file: &MandateFile) -> impl Iterator<Item = &RuleDecl> {
    representatives(file).flat_map(|rep| {
        rep.statements.iter().filter_map(|s| match s {
            RepresentativeStmt::Rule(rule) => Some(rule),
            _ => None,
        })
    })
}

/// The field names the file's conditions use, sorted, each once.
pub(crate) fn fields(file: &MandateFile) -> Vec<String> {
    let mut fields = Vec::new();
    for rule in rules(file) {
        let mut stack: Vec<&crate::syntax::ast::Condition> = rule.condition.iter().collect();
        while let Some(condition) = stack.pop() {
            let mut operand = |o: &Operand| {
                if let Operand::Field(field) = o {
                    fields.push(field.dotted());
                }
            };
            match &condition.kind {
                ConditionKind::Or(all) | ConditionKind::And(all) => stack.extend(all),
                ConditionKind::Not(inner) | ConditionKind::Parenthesised(inner) => {
                    stack.push(inner)
                }
                ConditionKind::Compare { left, right, .. } => {
                    operand(left);
                    operand(right);
                }
                ConditionKind::In { value, .. } => operand(value),
                ConditionKind::Contains { container, item } => {
                    operand(container);
                    operand(item);
                }
                ConditionKind::Test(o) => operand(o),
            }
        }
    }
    fields.sort();
    fields.dedup();
    fields
}

/// Every topic pattern written anywhere in the file, sorted, each once
/// (`*` left out).
pub(crate) fn topics_written(file: &MandateFile) -> Vec<&str> {
    let mut topics: Vec<&str> = Vec::new();
    for declaration in &file.declarations {
        match declaration {
            Declaration::Topic(t) => topics.push(t.topic.pattern.as_str()),
            Declaration::Organisation(o) => {
                topics.extend(o.owned_patterns().map(|p| p.pattern.as_str()))
            }
            Declaration::Priority(p) => topics.extend(p.patterns().map(|p| p.pattern.as_str())),
            Declaration::Representative(_) | Declaration::Group(_) | Declaration::Principle(_) => {}
        }
    }
    for rule in rules(file) {
        topics.extend(
            rule.topics
                .iter()
                .chain(&rule.except)
                .map(|p| p.pattern.as_str()),
        );
    }
    topics.retain(|t| *t != "*");
    topics.sort();
    topics.dedup();
    topics
}
