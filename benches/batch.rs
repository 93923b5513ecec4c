//! A meeting's agenda checked for every representative, on one core and
//! on all cores (issue 17's batch target: all cores at least 1.7x one
//! core on a 2-core machine).
//!
//! The mandate is the shared generator's (`benches/support/generate.rs`)
//! at 1,000 rules among 10 representatives; the agenda is 1,000 of its
//! proposals, 400 hits, 400 misses and 200 redirects, interleaved. One
//! iteration checks every proposal for every representative with
//! `Mandate::check` (10,000 decisions), the proposals spread over the
//! threads with rayon's `par_iter`: `one core` in a pool of one thread,
//! `all cores` in rayon's default pool (one thread a core). Both are in
//! one group, so their ratio is read off one report. A control beside
//! them (`control one core`, `control all cores`) spreads work that shares
//! nothing over the threads the same way: its ratio is what the machine
//! gave at the time, the ceiling for the check's; and `facts one core` /
//! `facts all cores` do the same with `Mandate::decide`. Everything is
//! generated, loaded and parsed before timing.
//!
//! `analyze` on the generated mandates is in `benches/analyze.rs`.
//!
//! Run: `cargo bench --bench batch`

#[path = "support/fixture.rs"]
mod fixture;
#[path = "support/generate.rs"]
mod generate;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use generate::{Kind, Shape};
use mandate::{Mandate, Outcome, Proposal};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

/// The agenda: `n` proposals, hits, misses and redirects interleaved 2:2:1.
fn agenda(generated: &generate::Generated, n: usize) -> Vec<Proposal> {
    let fifth = n / 5;
    let mut hits = fixture::cases(generated, Kind::Hit, 2 * fifth).into_iter();
    let mut misses = fixture::cases(generated, Kind::Miss, 2 * fifth).into_iter();
    let mut redirects = fixture::cases(generated, Kind::Redirect, n - 4 * fifth).into_iter();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let before = out.len();
        for case in [
            hits.next(),
            misses.next(),
            hits.next(),
            misses.next(),
            redirects.next(),
        ]
        .into_iter()
        .flatten()
        {
            out.push(case.proposal);
        }
        if out.len() == before {
            break;
        }
    }
    out
}

/// The control: the same agenda spread over the threads the same way,
/// each (proposal, representative) pair doing 100 floor lookups (about
/// the time of a check) and touching nothing shared but the table. Where
/// this is not near 2x on all cores either, the machine did not give
/// the bench two cores (other processes had them), whatever `run` shows.
fn control(table: &HashMap<String, u32>, topics: &[String], representatives: usize) -> usize {
    topics
        .par_iter()
        .map(|topic| {
            (0..representatives * 100)
                .filter(|&k| fixture::floor(black_box(table), black_box(topic), k as u32))
                .count()
        })
        .sum()
}

/// Every proposal of `agenda` decided by `agrees` for every
/// representative, the proposals spread over the pool's threads: how many
/// agreed.
fn spread(
    representatives: &[String],
    agenda: &[Proposal],
    agrees: impl Fn(&Proposal, &str) -> bool + Sync,
) -> usize {
    agenda
        .par_iter()
        .map(|proposal| {
            representatives
                .iter()
                .filter(|rep| agrees(black_box(proposal), rep))
                .count()
        })
        .sum()
}

/// Every proposal of `agenda` checked for every representative.
fn run(mandate: &Mandate, representatives: &[String], agenda: &[Proposal]) -> usize {
    let day = fixture::day();
    spread(
        representatives,
        agenda,
        |proposal, rep| matches!(mandate.check(proposal, rep, day), Ok(d) if d.outcome == Outcome::Agree),
    )
}

/// As [`run`], with the decision facts alone (`Mandate::decide`): what
/// the deciding scales to, apart from building each `Decision`.
fn run_facts(mandate: &Mandate, representatives: &[String], agenda: &[Proposal]) -> usize {
    let day = fixture::day();
    spread(
        representatives,
        agenda,
        |proposal, rep| matches!(mandate.decide(proposal, rep, day), Ok(d) if d.outcome == Outcome::Agree),
    )
}

fn bench_batch(c: &mut Criterion) {
    let shape = Shape::new(1_000).with_representatives(10);
    let (generated, mandate) = fixture::generated(&shape);
    let agenda = agenda(&generated, 1_000);
    let representatives: Vec<String> = generated
        .model
        .representatives
        .iter()
        .map(|r| r.id.clone())
        .collect();
    let one = match rayon::ThreadPoolBuilder::new().num_threads(1).build() {
        Ok(pool) => pool,
        Err(e) => panic!("a pool of one thread: {e}"),
    };
    let agreed = run(&mandate, &representatives, &agenda);
    eprintln!(
        "batch: {} proposals x {} representatives = {} checks ({agreed} agreed), \
         all cores = {} threads",
        agenda.len(),
        representatives.len(),
        agenda.len() * representatives.len(),
        rayon::current_num_threads()
    );

    let mut group = c.benchmark_group("batch");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(
            (agenda.len() * representatives.len()) as u64,
        ));
    group.bench_function("one core", |b| {
        b.iter(|| one.install(|| run(&mandate, &representatives, &agenda)))
    });
    group.bench_function("all cores", |b| {
        b.iter(|| run(&mandate, &representatives, &agenda))
    });
    group.bench_function("facts one core", |b| {
        b.iter(|| one.install(|| run_facts(&mandate, &representatives, &agenda)))
    });
    group.bench_function("facts all cores", |b| {
        b.iter(|| run_facts(&mandate, &representatives, &agenda))
    });
    let table = fixture::floor_table(&generated);
    let topics: Vec<String> = (0..agenda.len())
        .map(|i| {
            generated.model.topics[i % generated.model.topics.len()]
                .path
                .clone()
        })
        .collect();
    let pairs = representatives.len();
    group.bench_function("control one core", |b| {
        b.iter(|| one.install(|| control(&table, &topics, pairs)))
    });
    group.bench_function("control all cores", |b| {
        b.iter(|| control(&table, &topics, pairs))
    });
    group.finish();
}

criterion_group!(benches, bench_batch);
criterion_main!(benches);
