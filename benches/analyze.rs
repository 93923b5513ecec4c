//! What `mandate analyze` costs: on the real mandates and on large ones.
//!
//! Measures [`mandate::analysis::analyze`] on every mandate under `rules/`
//! (loaded once, outside the timing) and on two generated mandates from
//! the shared generator (`benches/support/generate.rs`: a topic tree three
//! deep, organisations owning subtrees, forums, dates, grants, refers and
//! forbids with conditions, `at` and `except`): 100 rules among 10
//! representatives and 250 among 50, the same files every run. (At 1,000
//! rules the generator's conditions, on up to ten fields a region, give
//! the analysis 2-3 x 10^8 cells and a minute a run.) Before
//! timing each input, prints its size and how much the analysis enumerated
//! (pairs, regions, cells), the numbers the closing note of issue 15
//! quotes.
//!
//! Run: `cargo bench --bench analyze` (once, untimed: `-- --test`)

#[path = "support/generate.rs"]
mod generate;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use mandate::analysis::{analyze, Options};
use mandate::source::{Scripts, SourceFile};
use mandate::Mandate;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn today() -> chrono::NaiveDate {
    let (y, m, d) = generate::DAY_YMD;
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Every mandate under `rules/`, loaded with its principle scripts.
fn rules_mandates() -> Vec<(String, Mandate)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    folders.sort();
    let mut mandates = Vec::new();
    for folder in folders {
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "mandate"));
        files.sort();
        for file in files {
            let loaded = Mandate::load(&file, today());
            let Some(mandate) = loaded.mandate else {
                panic!("{} has errors: {:?}", file.display(), loaded.diagnostics);
            };
            let name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            mandates.push((name, mandate));
        }
    }
    assert!(!mandates.is_empty(), "no mandate under {}", root.display());
    mandates
}

fn generated_mandate(shape: &generate::Shape) -> Mandate {
    let loaded = Mandate::from_source(
        SourceFile {
            name: shape.file_name(),
            text: generate::generate(shape).text,
        },
        Scripts::new(),
        today(),
    );
    let Some(mandate) = loaded.mandate else {
        panic!("generated mandate has errors: {:?}", loaded.diagnostics);
    };
    mandate
}

/// Runs the analysis once untimed and prints what it enumerated.
fn describe(name: &str, mandate: &Mandate, options: &Options) {
    let started = Instant::now();
    let analysis = analyze(mandate, options).unwrap_or_else(|e| panic!("{name}: {e}"));
    let took = started.elapsed();
    let rules: usize = mandate
        .representatives()
        .iter()
        .map(|r| r.rules.len())
        .sum();
    let c = &analysis.coverage;
    eprintln!(
        "analyze/{name}: {} representatives, {rules} rules, {} pairs ({} apart), {} regions, \
         {} cells, exact {}; {} contradictions, {} differences, {} masked, {} gaps, \
         {} dead rules; first run {took:.2?}",
        mandate.representatives().len(),
        c.pairs,
        c.pairs_apart,
        c.regions,
        c.cells,
        c.exact,
        analysis.contradictions.len(),
        analysis.differences.len(),
        analysis.masked.len(),
        analysis.gaps.len(),
        analysis.dead_rules.len(),
    );
    // What was not covered, and why (the first few).
    for n in c.not_covered.iter().take(3) {
        eprintln!(
            "  not covered: {} on {}: {}",
            n.representatives.join(" and "),
            n.topic,
            n.why
        );
    }
    if c.not_covered.len() > 3 {
        eprintln!("  ... and {} more not covered", c.not_covered.len() - 3);
    }
}

fn bench_analyze(c: &mut Criterion) {
    let options = Options {
        representatives: Vec::new(),
        today: today(),
    };
    let mut group = c.benchmark_group("analyze");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for (name, mandate) in rules_mandates() {
        describe(&name, &mandate, &options);
        group.bench_with_input(BenchmarkId::new("rules", &name), &mandate, |b, m| {
            b.iter(|| analyze(black_box(m), &options))
        });
    }
    // Each run takes seconds: flat sampling runs ten of them, where the
    // default linear sampling would run 55.
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for (rules, representatives) in [(100usize, 10usize), (250, 50)] {
        let shape = generate::Shape::new(rules).with_representatives(representatives);
        let name = format!("{}x{representatives}", shape.rules);
        let mandate = generated_mandate(&shape);
        describe(&format!("generated/{name}"), &mandate, &options);
        group.bench_with_input(BenchmarkId::new("generated", &name), &mandate, |b, m| {
            b.iter(|| analyze(black_box(m), &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_analyze);
criterion_main!(benches);
