//! mandate beside AWS Cedar, in one interleaved run of one process
//! (issue 17's peer benchmark; `peer/README.md` has the mapping).
//!
//! For 10, 100, 1,000 and 10,000 rules of the peer shape, builds the
//! mandate and the same permit/forbid set as Cedar policies, and before
//! timing anything checks 100 hits and 100 misses on both: mandate's
//! outcome is `agree` exactly when Cedar allows, or the run stops with the
//! request, both answers and the rules. Then one group per size times
//! `Mandate::check`, `check` plus `serde_json::to_string` of the decision,
//! and Cedar's `is_authorized`, each going round the same 200 requests;
//! the `load` group times loading the mandate text (parse, validate,
//! compile) beside `PolicySet::from_str` on the policy text (and beside
//! that plus `Entities::from_json_str`, Cedar's equivalent of the topic
//! declarations), in bytes per second of each one's own text. After each
//! group a short table of criterion's medians goes to stderr.
//!
//! Run: `cargo bench -p mandate-peer` (a quick pass: `-- --quick`; the
//! agreement check alone: `-- --test`).

use cedar_policy::{Authorizer, Decision as CedarDecision, Entities, PolicySet, Response};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use mandate::{Mandate, Outcome, Proposal};
use mandate_peer::{both, day, generate, hits_and_misses, load_mandate, request, Both};
use std::hint::black_box;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

const SIZES: [usize; 4] = [10, 100, 1_000, 10_000];

/// Requests of each kind per size.
const EACH: usize = 100;

/// One size, on both sides, with its requests.
struct Case {
    both: Both,
    mandate: Mandate,
    requests: Vec<generate::Request>,
    proposals: Vec<Proposal>,
    cedar: Vec<cedar_policy::Request>,
}

fn case(rules: usize) -> Case {
    let both = both(rules).unwrap_or_else(|e| panic!("peer mandate of {rules} rules: {e}"));
    let mandate = load_mandate(
        &both.generated.model.shape.file_name(),
        &both.generated.text,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let requests = hits_and_misses(&both.generated, EACH, 17);
    let proposals = requests
        .iter()
        .map(|r| {
            Proposal::from_json(&r.proposal_json, "peer")
                .unwrap_or_else(|e| panic!("{e}: {}", r.proposal_json))
        })
        .collect();
    let cedar = requests
        .iter()
        .map(|r| request(r).unwrap_or_else(|e| panic!("{e}: {}", r.proposal_json)))
        .collect();
    Case {
        both,
        mandate,
        requests,
        proposals,
        cedar,
    }
}

/// The rules Cedar gave as reasons, as the mandate writes them.
fn reasons(case: &Case, response: &Response) -> Vec<String> {
    response
        .diagnostics()
        .reason()
        .map(|id| {
            let id = id.to_string();
            match case.both.policies.rule_of(&case.both.generated.model, &id) {
                Some(rule) => format!("{id} = line {}: {}", rule.line, rule.text),
                None => id,
            }
        })
        .collect()
}

/// Stops the run unless both engines give the same answer on every
/// request (and Cedar evaluated every policy without an error).
fn assert_same_answers(rules: usize, case: &Case) {
    let authorizer = Authorizer::new();
    let (mut agrees, mut allows) = (0, 0);
    for (i, r) in case.requests.iter().enumerate() {
        let decision = case
            .mandate
            .check(&case.proposals[i], &r.representative, day())
            .unwrap_or_else(|e| panic!("check: {e:?}"));
        let response =
            authorizer.is_authorized(&case.cedar[i], &case.both.policy_set, &case.both.entities);
        let agree = decision.outcome == Outcome::Agree;
        let allow = response.decision() == CedarDecision::Allow;
        let errors: Vec<String> = response
            .diagnostics()
            .errors()
            .map(|e| e.to_string())
            .collect();
        let built_on = r.rule.map(|k| {
            let rep = case
                .both
                .generated
                .model
                .representatives
                .iter()
                .find(|x| x.id == r.representative);
            rep.and_then(|x| x.rules.get(k))
                .map(|rule| format!("line {}: {}", rule.line, rule.text))
                .unwrap_or_default()
        });
        if agree != allow || !errors.is_empty() {
            let trace = serde_json::to_string_pretty(&decision).unwrap_or_default();
            panic!(
                "{rules} rules: the engines differ on a {:?} for {}\n{}\n\
                 mandate: {:?}; its decision {trace}\n\
                 Cedar: {:?}, reasons {:?}, errors {errors:?}\n\
                 the request was built on {built_on:?}",
                r.kind,
                r.representative,
                r.proposal_json,
                decision.outcome,
                response.decision(),
                reasons(case, &response),
            );
        }
        agrees += usize::from(agree);
        allows += usize::from(allow);
    }
    eprintln!(
        "peer/{rules}: {} rules, {} representatives, {} topics; {} requests, \
         mandate agrees {agrees}, Cedar allows {allows}: the same on every one",
        rules,
        case.both.generated.model.representatives.len(),
        case.both.generated.model.topics.len(),
        case.requests.len(),
    );
}

/// Where criterion writes its estimates: as criterion finds it
/// (`CRITERION_HOME`, else `CARGO_TARGET_DIR/criterion`, else the target
/// directory `cargo metadata` names).
fn criterion_home() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(PathBuf::from(home));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(PathBuf::from(target).join("criterion"));
    }
    let cargo = std::env::var_os("CARGO")?;
    let output = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .ok()?;
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
    Some(PathBuf::from(metadata["target_directory"].as_str()?).join("criterion"))
}

/// The median (ns) criterion wrote for `group/bench` in this run, if it
/// did (a filtered or `--test` run writes none).
fn median(group: &str, bench: &str, since: SystemTime) -> Option<f64> {
    let safe = |s: &str| s.replace(['?', '"', '/', '\\', '*', '<', '>', ':', '|', '^'], "_");
    let mut path = criterion_home()?.join(safe(group));
    for part in bench.split('/') {
        path.push(safe(part));
    }
    let path = path.join("new").join("estimates.json");
    let written = std::fs::metadata(&path).ok()?.modified().ok()?;
    if written < since {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

fn time(ns: f64) -> String {
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} us", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

const CHECK: &str = "mandate check";
const CHECK_JSON: &str = "mandate check + JSON";
const CEDAR: &str = "cedar is_authorized";

fn bench_checks(c: &mut Criterion) {
    for rules in SIZES {
        let case = case(rules);
        assert_same_answers(rules, &case);
        let name = format!("peer-{rules}");
        let since = SystemTime::now();
        let mut group = c.benchmark_group(&name);
        group
            .sample_size(30)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        let n = case.requests.len();
        let today = day();
        group.bench_function(CHECK, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % n;
                case.mandate.check(
                    black_box(&case.proposals[i]),
                    &case.requests[i].representative,
                    today,
                )
            })
        });
        group.bench_function(CHECK_JSON, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % n;
                let decision = case.mandate.check(
                    black_box(&case.proposals[i]),
                    &case.requests[i].representative,
                    today,
                );
                match decision {
                    Ok(d) => serde_json::to_string(&d).map(|s| s.len()).unwrap_or(0),
                    Err(_) => 0,
                }
            })
        });
        let authorizer = Authorizer::new();
        group.bench_function(CEDAR, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % n;
                authorizer.is_authorized(
                    black_box(&case.cedar[i]),
                    &case.both.policy_set,
                    &case.both.entities,
                )
            })
        });
        group.finish();
        let cedar = median(&name, CEDAR, since);
        for bench in [CHECK, CHECK_JSON, CEDAR] {
            if let Some(m) = median(&name, bench, since) {
                let ratio = cedar.map(|c| format!("{:.4}", m / c)).unwrap_or_default();
                eprintln!(
                    "{name:>11} | {bench:<22} | median {:>10} | /cedar {ratio}",
                    time(m)
                );
            }
        }
    }
}

fn bench_load(c: &mut Criterion) {
    let since = SystemTime::now();
    let mut group = c.benchmark_group("load");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    let mut sizes = Vec::new();
    for rules in SIZES {
        let both = both(rules).unwrap_or_else(|e| panic!("{e}"));
        let name = both.generated.model.shape.file_name();
        let text = both.generated.text.clone();
        let policies = both.policies.text.clone();
        let entities =
            mandate_peer::entities_json(&both.generated.model).unwrap_or_else(|e| panic!("{e}"));
        eprintln!(
            "load/{rules}: mandate text {} bytes; Cedar policies {} bytes ({:.2}x), \
             entities JSON {} bytes",
            text.len(),
            policies.len(),
            policies.len() as f64 / text.len() as f64,
            entities.len()
        );
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("mandate load", rules), &text, |b, t| {
            b.iter(|| load_mandate(&name, black_box(t)).map(|m| m.representatives().len()))
        });
        group.throughput(Throughput::Bytes(policies.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("cedar PolicySet::from_str", rules),
            &policies,
            |b, t| {
                b.iter(|| {
                    PolicySet::from_str(black_box(t))
                        .ok()
                        .map(|p| p.num_of_policies())
                })
            },
        );
        let together = (policies.len() + entities.len()) as u64;
        group.throughput(Throughput::Bytes(together));
        group.bench_with_input(
            BenchmarkId::new("cedar policies + entities", rules),
            &(policies.clone(), entities.clone()),
            |b, (p, e)| {
                b.iter(|| {
                    let set = PolicySet::from_str(black_box(p)).map(|p| p.num_of_policies());
                    let entities = Entities::from_json_str(black_box(e), None).map(|e| e.len());
                    (set.ok(), entities.ok())
                })
            },
        );
        sizes.push((rules, text.len(), policies.len(), together));
    }
    group.finish();
    for (rules, text, policies, together) in sizes {
        let m = median("load", &format!("mandate load/{rules}"), since);
        let p = median("load", &format!("cedar PolicySet::from_str/{rules}"), since);
        let t = median("load", &format!("cedar policies + entities/{rules}"), since);
        if let (Some(m), Some(p), Some(t)) = (m, p, t) {
            let rate = |bytes: usize, ns: f64| bytes as f64 / ns * 1e9 / 1e6;
            eprintln!(
                "load/{rules:>5} | mandate {:>10} {:>6.2} MB/s | Cedar parse {:>10} {:>6.2} MB/s \
                 | + entities {:>10} {:>6.2} MB/s | rate mandate/Cedar parse {:.2}",
                time(m),
                rate(text, m),
                time(p),
                rate(policies, p),
                time(t),
                rate(together as usize, t),
                rate(text, m) / rate(policies, p),
            );
        }
    }
}

criterion_group!(benches, bench_checks, bench_load);
criterion_main!(benches);
