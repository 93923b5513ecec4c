//! What the worst principles cost: the calibration of the step budget.
//!
//! Runs every principle in `tests/data/principles/hostile/` (each written to
//! run away in its own way) against the largest proposal a principle can be
//! given, and measures how long it takes to be stopped. The step budget is
//! calibrated so that every one of them stops well inside the wall-clock
//! ceiling of one second, on the machine the README names. Also measures an
//! ordinary principle, for the meter's overhead.
//!
//! Run: `cargo bench --bench principles`

use criterion::{criterion_group, criterion_main, Criterion};
use mandate::principles::{to_rhai, CheckBudget, Sandbox};
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

criterion_group!(benches, ordinary, hostile);
criterion_main!(benches);
