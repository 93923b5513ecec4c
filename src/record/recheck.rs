//! Re-running a record against the mandates it names: every recorded
//! proposal checked again, on its recorded day, for its representative,
//! against the mandate whose sha256 the line names, and the decision's
//! facts compared (outcome, redirects, each topic's outcome and rules,
//! the gates, each principle's result), never its wording, so a later
//! release that words a reason better does not flag the record.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::compile::Mandate;
use crate::proposal::{parse_iso_date, Proposal};

/// A line whose decision the mandates given do not bear out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unborne {
    /// No mandate given has the sha256 the line names.
    UnknownMandate {
        /// The line.
        line: usize,
        /// The sha256 it names.
        sha256: String,
    },
    /// The mandate gives another decision.
    Differs {
        /// The line.
        line: usize,
        /// The facts that differ, each as "what: recorded X, now Y".
        differences: Vec<String>,
    },
    /// The recorded proposal could not be checked again.
    Unchecked {
        /// The line.
        line: usize,
        /// Why.
        why: String,
    },
}

/// The facts of a decision (as its JSON) that a re-check compares.
pub fn facts(decision: &Value) -> Value {
    let topics: Vec<Value> = decision["topics"]
        .as_array()
        .map(|topics| {
            topics
                .iter()
                .map(|t| {
                    let rules: Vec<Value> = t["rules"]
                        .as_array()
                        .map(|rules| {
                            rules
                                .iter()
                                .map(|r| json!({"effect": r["effect"], "line": r["line"], "condition": r["condition"]}))
                                .collect()
                        })
                        .unwrap_or_default();
                    json!({"topic": t["topic"], "outcome": t["outcome"], "rules": rules, "owners": t["owners"]})
                })
                .collect()
        })
        .unwrap_or_default();
    let principles: Vec<Value> = decision["principles"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| json!({"id": p["id"], "result": p["result"]}))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "outcome": decision["outcome"],
        "redirect_to": decision["redirect_to"],
        "topics": topics,
        "gates": decision["gates"],
        "principles": principles,
    })
}

/// Checks each entry (line number, entry) again against the mandate its
/// sha256 names among `mandates`; gives the lines not borne out.
pub fn recheck(entries: &[super::Entry], mandates: &[&Mandate]) -> Vec<Unborne> {
    let mut out = Vec::new();
    for (line, entry) in entries {
        let line = *line;
        let sha = entry["mandate_sha256"].as_str().unwrap_or_default();
        let Some(mandate) = mandates.iter().find(|m| m.sha256 == sha) else {
            out.push(Unborne::UnknownMandate {
                line,
                sha256: sha.to_string(),
            });
            continue;
        };
        let unchecked = |why: String| Unborne::Unchecked { line, why };
        let Some(day) = entry["day"].as_str().and_then(parse_iso_date) else {
            out.push(unchecked("its `day` is not a date".into()));
            continue;
        };
        let id = entry["proposal_id"].as_str().unwrap_or("proposal");
        let proposal = match Proposal::from_json(&entry["proposal"].to_string(), id) {
            Ok(p) => p,
            Err(e) => {
                out.push(unchecked(format!("its proposal cannot be read: {e}")));
                continue;
            }
        };
        let rep = entry["representative"].as_str().unwrap_or_default();
        let decision = match mandate.check(&proposal, rep, day) {
            Ok(d) => d,
            Err(e) => {
                out.push(unchecked(e.to_string()));
                continue;
            }
        };
        let now = match serde_json::to_value(&decision) {
            Ok(v) => facts(&v),
            Err(e) => {
                out.push(unchecked(e.to_string()));
                continue;
            }
        };
        let then = facts(&entry["decision"]);
        if now != then {
            let mut differences = Vec::new();
            for key in ["outcome", "redirect_to", "topics", "gates", "principles"] {
                let (was, is) = (then.get(key), now.get(key));
                if was != is {
                    let shown =
                        |v: Option<&Value>| v.map_or_else(|| "nothing".into(), Value::to_string);
                    differences.push(format!("{key}: recorded {}, now {}", shown(was), shown(is)));
                }
            }
            out.push(Unborne::Differs { line, differences });
        }
    }
    out
}
