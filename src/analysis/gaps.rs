//! Gaps in what the group can agree: a priority or a declared topic
//! nobody may agree to (and, for a topic, nobody owns), a forum a
//! representative lists but can never agree at, and days when a forum
//! anyone lists has nobody in force.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rep_space;
use crate::check::Outcome;
use crate::compile::{Effect, Mandate};
use crate::topic::TopicPattern;

/// A gap in what the group can agree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Gap {
    /// A priority on which no representative may agree to anything, at any
    /// forum, on any day.
    Priority {
        /// Its id.
        priority: String,
        /// Its line.
        line: u32,
        /// The grants that cover some of its topics but never give agree,
        /// as (representative, line).
        grants: Vec<GrantRef>,
    },
    /// A declared topic that nobody may agree to (nor anything below it)
    /// and no organisation owns.
    Topic {
        /// The topic.
        topic: String,
        /// The line declaring it.
        line: u32,
        /// The grants that cover it or topics below it but never give agree.
        grants: Vec<GrantRef>,
    },
    /// A forum a representative lists where no rule of theirs can agree.
    Forum {
        /// The representative.
        representative: String,
        /// The forum.
        forum: String,
        /// Their `forums` line.
        line: u32,
    },
    /// Days when nobody who may attend a forum is in force.
    Unrepresented {
        /// The forum.
        forum: String,
        /// The first day (YYYY-MM-DD).
        from: String,
        /// The last day.
        until: String,
    },
}

/// A grant, by representative and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantRef {
    /// The representative's id.
    pub representative: String,
    /// The rule's line.
    pub line: u32,
}

/// Whether representatives can agree to topics: answers kept, since
/// priorities and topics ask about the same regions.
struct Agreeable<'m> {
    mandate: &'m Mandate,
    another: &'m str,
    today: NaiveDate,
    known: HashMap<(usize, String), bool>,
}

impl Agreeable<'_> {
    /// Whether representative `r` may agree to a proposal on `topic` at
    /// some forum on some day, with some fields.
    fn can(&mut self, r: usize, topic: &str) -> bool {
        if let Some(known) = self.known.get(&(r, topic.to_string())) {
            return *known;
        }
        let mut agrees = false;
        if self.mandate.owners_of(topic).is_empty() {
            if let Some(space) = rep_space(self.mandate, self.another, r, topic, None, self.today) {
                agrees = may_agree(&space);
            }
        }
        self.known.insert((r, topic.to_string()), agrees);
        agrees
    }

    /// Whether anyone may agree to anything within `patterns`, and the
    /// grants that cover some of it.
    fn anyone(&mut self, patterns: &[TopicPattern]) -> (bool, Vec<GrantRef>) {
        let mandate = self.mandate;
        let mut grants = Vec::new();
        for (r, rep) in mandate.representatives.iter().enumerate() {
            let mut topics: Vec<String> = Vec::new();
            for p in patterns {
                match p {
                    TopicPattern::Path(path) => topics.push(path.clone()),
                    TopicPattern::Any => {
                        topics.push(super::other_topic(mandate, &[rep]));
                    }
                }
            }
            for topic in super::regions(mandate, &[rep]) {
                let inside = patterns.iter().any(|p| p.matches(&topic));
                if inside && !topics.contains(&topic) {
                    topics.push(topic);
                }
            }
            for topic in &topics {
                if self.can(r, topic) {
                    return (true, Vec::new());
                }
                for i in rep.rules_for(topic) {
                    if let Some(rule) = rep.rules.get(i).filter(|r| r.effect == Effect::MayAgree) {
                        let g = GrantRef {
                            representative: rep.id.clone(),
                            line: rule.line,
                        };
                        if !grants.contains(&g) {
                            grants.push(g);
                        }
                    }
                }
            }
        }
        grants.sort_by_key(|g| g.line);
        (false, grants)
    }
}

/// Whether the one representative of a space agrees on some cell of it. A
/// space not walked in full proves nothing, so it counts as agreeing: no
/// gap is claimed from it.
fn may_agree(space: &super::Space<'_>) -> bool {
    let mut agrees = space.inexact.is_some();
    let mut rule_truths = Vec::new();
    space.walk(|_, truths| {
        if !agrees {
            space.rule_truths_into(0, truths, &mut rule_truths);
            agrees = space.answer(0, &rule_truths, truths, |_| false).outcome == Outcome::Agree;
        }
    });
    agrees
}

/// Every gap, in this order: priorities, topics, forums, days.
pub(crate) fn gaps(mandate: &Mandate, another: &str, reps: &[usize], today: NaiveDate) -> Vec<Gap> {
    let mut out = Vec::new();
    let mut agreeable = Agreeable {
        mandate,
        another,
        today,
        known: HashMap::new(),
    };
    for priority in &mandate.priorities {
        let (any, grants) = agreeable.anyone(&priority.patterns);
        if !any {
            out.push(Gap::Priority {
                priority: priority.id.clone(),
                line: priority.line,
                grants,
            });
        }
    }
    for declared in &mandate.vocabulary {
        if !mandate.owners_of(&declared.topic).is_empty() {
            continue;
        }
        let (any, grants) = agreeable.anyone(&[TopicPattern::new(&declared.topic)]);
        if !any {
            out.push(Gap::Topic {
                topic: declared.topic.clone(),
                line: declared.line,
                grants,
            });
        }
    }
    for r in reps {
        let Some(rep) = mandate.representatives.get(*r) else {
            continue;
        };
        for forum in &rep.forums {
            let mut agrees = false;
            for topic in super::regions(mandate, &[rep]) {
                if agrees || !mandate.owners_of(&topic).is_empty() {
                    continue;
                }
                let only = Some(vec![Some(forum.clone())]);
                if let Some(space) = rep_space(mandate, another, *r, &topic, only, today) {
                    agrees = may_agree(&space);
                }
            }
            if !agrees {
                out.push(Gap::Forum {
                    representative: rep.id.clone(),
                    forum: forum.clone(),
                    line: rep.forums_line.unwrap_or(rep.line),
                });
            }
        }
    }
    out.extend(unrepresented(mandate));
    out
}

/// Days between the earliest `valid from` and the latest `until` when a
/// forum someone lists has nobody in force who may attend it.
fn unrepresented(mandate: &Mandate) -> Vec<Gap> {
    let reps = &mandate.representatives;
    let (Some(start), Some(end)) = (
        reps.iter().filter_map(|r| r.valid_from).min(),
        reps.iter().filter_map(|r| r.valid_until).max(),
    ) else {
        return Vec::new();
    };
    let mut forums: Vec<&String> = Vec::new();
    for rep in reps {
        for f in &rep.forums {
            if !forums.contains(&f) {
                forums.push(f);
            }
        }
    }
    let mut out = Vec::new();
    for forum in forums {
        // The periods of everyone who may attend, sorted by start.
        let mut periods: Vec<(NaiveDate, NaiveDate)> = reps
            .iter()
            .filter(|r| r.attends(Some(forum)))
            .map(|r| {
                (
                    r.valid_from.unwrap_or(NaiveDate::MIN),
                    r.valid_until.unwrap_or(NaiveDate::MAX),
                )
            })
            .collect();
        periods.sort();
        let mut day = start;
        for (from, until) in periods {
            if from > day {
                let last = from.pred_opt().unwrap_or(from).min(end);
                if day <= last {
                    out.push(Gap::Unrepresented {
                        forum: forum.clone(),
                        from: day.to_string(),
                        until: last.to_string(),
                    });
                }
            }
            if until >= day {
                match until.succ_opt() {
                    Some(next) => day = next,
                    None => {
                        day = NaiveDate::MAX;
                        break;
                    }
                }
            }
            if day > end {
                break;
            }
        }
        if day <= end && day != NaiveDate::MAX {
            out.push(Gap::Unrepresented {
                forum: forum.clone(),
                from: day.to_string(),
                until: end.to_string(),
            });
        }
    }
    out
}
