//! What the worst principles cost: the calibration of the step budget.
//!
//! Runs every principle in `tests/data/principles/hostile/` (each written to
//! run away in its own way) against the largest proposal a principle can be
//! given, and measures how long it takes to be stopped. The step budget is
//! calibrated so that every one of them stops well inside the wall-clock
//! ceiling of one second, on the machine the README names. Also measures an
//! ordinary principle, for the meter's overhead, and each of four ordinary
//! principles beside the same logic written in Rust (`per_principle`).
//!
//! Run: `cargo bench --bench principles`

use criterion::{criterion_group, criterion_main, Criterion};
use mandate::principles::{proposal_to_rhai, to_rhai, CheckBudget, ProposalScope, Sandbox};
use std::hint::black_box;
use std::time::Duration;

/// A text and a list near the proposal size limit (1 MiB).
fn largest_proposal() -> rhai::Dynamic {
    let json = serde_json::json!({
        "title": "t",
        "topics": ["interface.outpatients"],
        "text": "ab".repeat(450_000),
        "list": (0..10_000).collect::<Vec<i64>>(),
    });
    to_rhai(&json).unwrap_or(rhai::Dynamic::UNIT)
}

fn hostile(c: &mut Criterion) {
    let sandbox = Sandbox::new();
    let proposal = largest_proposal();
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/principles/hostile");
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut group = c.benchmark_group("hostile");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(1));
    for path in files {
        let Ok(code) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(ast) = sandbox.compile(&code) else {
            continue;
        };
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut budget = CheckBudget::new();
                black_box(sandbox.evaluate_within(&ast, &proposal, &mut budget))
            })
        });
    }
    group.finish();
}

fn ordinary(c: &mut Criterion) {
    let sandbox = Sandbox::new();
    let proposal = to_rhai(&serde_json::json!({
        "title": "Advice and guidance before cardiology referral",
        "topics": ["interface.outpatients"],
        "cost": 30000,
        "changes": ["referral_pathway"]
    }))
    .unwrap_or(rhai::Dynamic::UNIT);
    let Ok(ast) = sandbox
        .compile("let changes = proposal.changes ?? []; !changes.contains(\"employment_model\")")
    else {
        return;
    };
    c.bench_function("ordinary principle", |b| {
        b.iter(|| {
            let mut budget = CheckBudget::new();
            black_box(sandbox.evaluate_within(&ast, &proposal, &mut budget))
        })
    });
}

/// The proposal an ordinary principle reads, as JSON.
fn ordinary_proposal() -> serde_json::Value {
    serde_json::json!({
        "title": "Advice and guidance before cardiology referral",
        "topics": ["interface.outpatients", "interface.diagnostics"],
        "forum": "ICB Primary Care Commissioning Committee",
        "cost": 30000,
        "duration_months": 12,
        "changes": ["referral_pathway"],
        "funding": {"recurrent": true, "source": "ICB"}
    })
}

/// Each principle twice: as Rhai, run by the sandbox in the scope a check
/// shares (the proposal converted once, outside the timing), and the same
/// logic in Rust over the proposal's JSON. The ratio is what the sandbox
/// costs a principle.
fn per_principle(c: &mut Criterion) {
    let sandbox = Sandbox::new();
    let json = ordinary_proposal();
    let Ok(converted) = to_rhai(&json) else {
        return;
    };
    let mut shared = ProposalScope::new(converted);
    type Native = fn(&serde_json::Value) -> bool;
    let cases: [(&str, &str, Native); 4] = [
        (
            "contains",
            "let changes = proposal.changes ?? []; !changes.contains(\"employment_model\")",
            |p| {
                !p.get("changes")
                    .and_then(|c| c.as_array())
                    .is_some_and(|c| c.iter().any(|v| v == "employment_model"))
            },
        ),
        (
            "threshold",
            "(proposal.cost ?? 0) <= 50000",
            |p| p.get("cost").and_then(|c| c.as_i64()).unwrap_or(0) <= 50000,
        ),
        (
            "nested",
            "proposal.funding?.recurrent ?? false",
            |p| {
                p.get("funding")
                    .and_then(|f| f.get("recurrent"))
                    .and_then(|r| r.as_bool())
                    .unwrap_or(false)
            },
        ),
        (
            "loop",
            "let n = 0; for t in proposal.topics { if t.starts_with(\"interface.\") { n += 1; } } n <= 3",
            |p| {
                p.get("topics")
                    .and_then(|t| t.as_array())
                    .map_or(0, |t| {
                        t.iter()
                            .filter(|t| t.as_str().is_some_and(|t| t.starts_with("interface.")))
                            .count()
                    })
                    <= 3
            },
        ),
    ];
    let mut group = c.benchmark_group("per_principle");
    for (name, code, native) in cases {
        let Ok(ast) = sandbox.compile(code) else {
            panic!("{name}: the bench principle does not compile");
        };
        let mut budget = CheckBudget::new();
        let run = sandbox.evaluate_shared(&ast, &mut shared, &mut budget);
        assert_eq!(
            run.verdict == mandate::principles::Verdict::Upheld,
            native(&json),
            "{name}: the Rhai and Rust versions disagree"
        );
        group.bench_function(format!("{name}/rhai"), |b| {
            b.iter(|| {
                let mut budget = CheckBudget::new();
                black_box(sandbox.evaluate_shared(&ast, &mut shared, &mut budget))
            })
        });
        group.bench_function(format!("{name}/rust"), |b| {
            b.iter(|| black_box(native(black_box(&json))))
        });
    }
    // Once per check: the proposal converted to the value every
    // principle shares.
    let Some(fields) = json.as_object() else {
        return;
    };
    group.bench_function("convert once", |b| {
        b.iter(|| ProposalScope::new(proposal_to_rhai(black_box(fields))))
    });
    group.finish();
}

criterion_group!(benches, per_principle, ordinary, hostile);
criterion_main!(benches);
