//! What one check costs, beside the floor, in one run so the ratios
//! between groups are comparable (issue 17).
//!
//! Every mandate and request comes from the shared generator
//! (`benches/support/generate.rs`, seed 17): topic trees three or four
//! deep, 1 to 50 representatives, grants, refers and forbids with
//! conditions, `at` forums, `except`, organisations owning subtrees.
//! Everything is generated and loaded before any timing.
//!
//! Groups:
//! - `floor`: a `HashMap<String, u32>` lookup of the proposal's topic and
//!   one integer comparison: the least a check could cost;
//! - `facts`: `Mandate::decide` (the decision facts, no wording) at 10
//!   rules, principles off, for a hit, a miss and a redirect;
//! - `check`: `Mandate::check` (the `Decision` as an embedder gets it,
//!   its sentences still unwritten) for the same requests;
//! - `check+json`: `check`, then `serde_json::to_string` of the decision;
//! - `check+reasons`: `check`, then every reason read (the sentences
//!   written) and their lengths summed;
//! - `principles`: `check` of the hit with 0, 1 and 10 simple principles;
//! - `scaling`: a hit, `decide` and `check`, at 10, 100, 1,000 and 10,000
//!   rules (a larger generated mandate has deeper topic trees and more
//!   rules over each topic, so its hit matches more rules);
//! - `flat`: the same at 10 to 10,000 rules in the shape where a hit
//!   matches one grant at every size (four representatives, one leaf topic
//!   per rule under shared parents, one condition each), so only the index
//!   could make it grow.
//!
//! Run: `cargo bench --bench check` (about 90 s on 2 cores; `-- --quick` for
//! a rough pass, `-- --test` to run each once untimed).

#[path = "support/fixture.rs"]
mod fixture;
#[path = "support/generate.rs"]
mod generate;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use fixture::Case;
use generate::{Kind, Shape};
use mandate::Mandate;
use std::hint::black_box;
use std::time::Duration;

/// Every group's timing: short, as each call takes microseconds.
fn configure(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>) {
    group
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
}

const KINDS: [(&str, Kind); 3] = [
    ("hit", Kind::Hit),
    ("miss", Kind::Miss),
    ("redirect", Kind::Redirect),
];

fn check(mandate: &Mandate, case: &Case) -> mandate::Decision {
    match mandate.check(
        black_box(&case.proposal),
        &case.representative,
        fixture::day(),
    ) {
        Ok(decision) => decision,
        Err(e) => panic!("check refused: {e}"),
    }
}

fn bench_check(c: &mut Criterion) {
    let day = fixture::day();
    let (small, mandate) = fixture::generated(&Shape::new(10));
    let cases: Vec<(&str, Case)> = KINDS
        .iter()
        .map(|(name, kind)| (*name, fixture::case(&small, *kind)))
        .collect();
    for (_, case) in &cases {
        fixture::verify(&mandate, case);
    }
    let hit = &cases[0].1;

    let table = fixture::floor_table(&small);
    let mut group = c.benchmark_group("floor");
    configure(&mut group);
    group.bench_function("lookup+compare", |b| {
        b.iter(|| {
            fixture::floor(
                black_box(&table),
                black_box(hit.topic.as_str()),
                black_box(hit.cost),
            )
        })
    });
    group.finish();

    let mut group = c.benchmark_group("facts");
    configure(&mut group);
    for (name, case) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| mandate.decide(black_box(&case.proposal), &case.representative, day))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("check");
    configure(&mut group);
    for (name, case) in &cases {
        group.bench_function(*name, |b| b.iter(|| check(&mandate, case)));
    }
    group.finish();

    let mut group = c.benchmark_group("check+json");
    configure(&mut group);
    for (name, case) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| serde_json::to_string(&check(&mandate, case)).map(|json| json.len()))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("check+reasons");
    configure(&mut group);
    for (name, case) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| {
                let decision = check(&mandate, case);
                decision.reasons.iter().map(String::len).sum::<usize>()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("principles");
    configure(&mut group);
    for n in [0usize, 1, 10] {
        let with = fixture::load(
            &format!("principles-{n}.mandate"),
            &small.with_principles(n),
        );
        group.bench_with_input(BenchmarkId::from_parameter(n), &with, |b, with| {
            b.iter(|| check(with, hit))
        });
    }
    group.finish();

    let sizes: Vec<(usize, Mandate, Case)> = [10usize, 100, 1_000, 10_000]
        .into_iter()
        .map(|rules| {
            let (generated, mandate) = fixture::generated(&Shape::new(rules));
            let case = fixture::case(&generated, Kind::Hit);
            fixture::verify(&mandate, &case);
            (rules, mandate, case)
        })
        .collect();
    let mut group = c.benchmark_group("scaling");
    configure(&mut group);
    for (rules, mandate, case) in &sizes {
        group.bench_with_input(BenchmarkId::new("facts", rules), case, |b, case| {
            b.iter(|| mandate.decide(black_box(&case.proposal), &case.representative, day))
        });
        group.bench_with_input(BenchmarkId::new("full", rules), case, |b, case| {
            b.iter(|| check(mandate, case))
        });
    }
    group.finish();

    // The index alone: the same work at every size (one grant matches).
    let mut group = c.benchmark_group("flat");
    configure(&mut group);
    for rules in [10usize, 100, 1_000, 10_000] {
        let mandate = fixture::load(&format!("flat-{rules}.mandate"), &flat_text(rules));
        let (topic, representative) = flat_hit(rules);
        let proposal = mandate::Proposal::from_json(
            &format!(r#"{{"title": "t", "topics": ["{topic}"], "forum": "Board", "cost": 500}}"#),
            "flat",
        )
        .unwrap_or_else(|e| panic!("flat proposal: {e}"));
        match mandate.check(&proposal, &representative, day) {
            Ok(d) if d.outcome == mandate::Outcome::Agree => {}
            other => panic!("the flat hit at {rules} rules does not agree: {other:?}"),
        }
        group.bench_with_input(BenchmarkId::new("facts", rules), &proposal, |b, p| {
            b.iter(|| mandate.decide(black_box(p), &representative, day))
        });
        group.bench_with_input(BenchmarkId::new("full", rules), &proposal, |b, p| {
            b.iter(|| mandate.check(black_box(p), &representative, day))
        });
    }
    group.finish();
}

/// The representatives of the `flat` mandates.
const FLAT_REPRESENTATIVES: usize = 4;

/// The issue's shape, where only the index could make a check grow: four
/// representatives, one leaf topic per rule under 50 shared parents, one
/// condition each, so a request for one leaf matches one grant at every
/// size.
fn flat_text(rules: usize) -> String {
    use std::fmt::Write;
    let mut text = String::from("group \"Flat GP Leadership Group\" { place \"Flat\" }\n");
    for r in 0..FLAT_REPRESENTATIVES {
        let _ = writeln!(
            text,
            "representative rep{r} \"Dr Flat {r}\" {{\n  forums \"Board\""
        );
        for i in (r..rules).step_by(FLAT_REPRESENTATIVES) {
            let _ = writeln!(
                text,
                "  may agree area{}.topic{i} when cost <= {}",
                i % 50,
                1000 + i
            );
        }
        text.push_str("}\n");
    }
    text
}

/// The topic and representative of a request that matches one grant.
fn flat_hit(rules: usize) -> (String, String) {
    let i = rules / 2;
    (
        format!("area{}.topic{i}", i % 50),
        format!("rep{}", i % FLAT_REPRESENTATIVES),
    )
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
