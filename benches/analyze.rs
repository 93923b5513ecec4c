//! What `mandate analyze` costs: on the real mandates and on large ones.
//!
//! Measures [`mandate::analysis::analyze`] on every mandate under `rules/`
//! (loaded once, outside the timing) and on two generated mandates of
//! 1,000 rules each: 10 representatives of 100 rules and 50 of 20. The
//! generated files have the shape of `rules/ashdown/ashdown.mandate` (a
//! topic tree three deep with labels, organisations owning subtrees, six
//! forums that representatives share, dates, grants, refers and forbids on
//! a small pool of fields, some `at` and some `except`), drawn from a
//! fixed seed so every run measures the same files. Before timing each
//! input, prints its size and how much the analysis enumerated (pairs,
//! regions, cells), the numbers the closing note of issue 15 quotes.
//!
//! Run: `cargo bench --bench analyze` (once, untimed: `-- --test`)

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use mandate::analysis::{analyze, Options};
use mandate::source::{Scripts, SourceFile};
use mandate::Mandate;
use std::fmt::Write;
use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// SplitMix64: a seeded generator, so the mandates are the same every run
/// without a dependency on `rand`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const AREAS: [&str; 6] = [
    "interface",
    "services",
    "funding",
    "digital",
    "workforce",
    "estates",
];
const SUBS: [&str; 4] = ["planning", "delivery", "contracts", "quality"];
const LEAVES: [&str; 3] = ["pilots", "recurrent", "reviews"];
const FORUMS: [&str; 6] = [
    "Place Partnership Board",
    "Acute Trust Interface Group",
    "Urgent and Emergency Care Board",
    "Digital Programme Board",
    "Health and Wellbeing Board",
    "Estates and Infrastructure Group",
];
const COSTS: [u32; 5] = [10_000, 25_000, 50_000, 100_000, 250_000];
const MONTHS: [u32; 3] = [6, 12, 24];
const RISKS: [&str; 3] = ["low", "medium", "high"];
const CHANGES: [&str; 4] = [
    "work_transfer",
    "opening_hours",
    "responsibility_to_gp",
    "prescribing_transfer",
];

/// A topic path: one, two or three levels deep, mostly the deeper ones.
fn topic(rng: &mut Rng) -> String {
    let area = rng.pick(&AREAS);
    match rng.below(10) {
        0 => (*area).to_string(),
        1..=5 => format!("{area}.{}", rng.pick(&SUBS)),
        _ => format!("{area}.{}.{}", rng.pick(&SUBS), rng.pick(&LEAVES)),
    }
}

/// A topic strictly below `pattern`, if it has one.
fn below(rng: &mut Rng, pattern: &str) -> Option<String> {
    match pattern.matches('.').count() {
        0 => Some(format!("{pattern}.{}", rng.pick(&SUBS))),
        1 => Some(format!("{pattern}.{}", rng.pick(&LEAVES))),
        _ => None,
    }
}

fn comparison(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!(
            "cost {} {}",
            rng.pick(&["<=", "<", ">", ">="]),
            rng.pick(&COSTS)
        ),
        1 => format!(
            "duration_months {} {}",
            rng.pick(&["<=", ">"]),
            rng.pick(&MONTHS)
        ),
        2 => {
            let first = rng.below(RISKS.len());
            let count = 1 + rng.below(RISKS.len() - 1);
            let chosen: Vec<String> = (0..count)
                .map(|k| format!("\"{}\"", RISKS[(first + k) % RISKS.len()]))
                .collect();
            format!("risk in [{}]", chosen.join(", "))
        }
        3 => format!("changes contains \"{}\"", rng.pick(&CHANGES)),
        _ => format!("recurrent == {}", rng.pick(&["true", "false"])),
    }
}

/// One to three comparisons joined by `and` / `or`, sometimes negated.
fn condition(rng: &mut Rng) -> String {
    let mut text = comparison(rng);
    for _ in 0..rng.below(3) {
        let joiner = if rng.chance(70) { "and" } else { "or" };
        let next = comparison(rng);
        let next = if rng.chance(15) {
            format!("not ({next})")
        } else {
            next
        };
        let _ = write!(text, " {joiner} {next}");
    }
    text
}

/// A mandate of `representatives` representatives with `rules_each` rules
/// each, drawn from `seed`.
fn generated(representatives: usize, rules_each: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let mut text =
        String::from("group \"Generated GP Leadership Group\" {\n  place \"Generated\"\n}\n\n");
    // Organisations own the `contracts` subtree of a few areas.
    let owners = 2 + rng.below(3);
    for (k, area) in AREAS.iter().take(owners).enumerate() {
        let _ = writeln!(
            text,
            "organisation org{k} \"Member organisation {k}\" {{\n  owns {area}.contracts\n}}\n"
        );
    }
    for area in AREAS {
        let _ = writeln!(text, "topic {area} \"The {area} area\"");
        for sub in SUBS {
            let _ = writeln!(text, "topic {area}.{sub} \"{area}: {sub}\"");
            for leaf in LEAVES {
                let _ = writeln!(text, "topic {area}.{sub}.{leaf} \"{area}: {sub}, {leaf}\"");
            }
        }
    }
    text.push_str("\npriority interface \"The interface\" {\n  topics interface\n}\n\n");
    for r in 0..representatives {
        let _ = writeln!(text, "representative rep{r} \"Representative {r}\" {{");
        let first = rng.below(FORUMS.len());
        let count = 1 + rng.below(3);
        let forums: Vec<&str> = (0..count)
            .map(|k| FORUMS[(first + k) % FORUMS.len()])
            .collect();
        let quoted: Vec<String> = forums.iter().map(|f| format!("\"{f}\"")).collect();
        let _ = writeln!(text, "  forums {}", quoted.join(", "));
        let from_month = 4 + rng.below(3);
        let until = if rng.chance(80) {
            "2027-03-31"
        } else {
            "2026-12-31"
        };
        let _ = writeln!(text, "  valid from 2026-{from_month:02}-01 until {until}");
        text.push_str("  report within 7 days\n");
        for _ in 0..rules_each {
            let head = match rng.below(10) {
                0..=4 => "may agree",
                5..=7 => "refer",
                _ => "may not agree",
            };
            let pattern = topic(&mut rng);
            let mut rule = format!("  {head} {pattern}");
            if rng.chance(15) {
                if let Some(except) = below(&mut rng, &pattern) {
                    let _ = write!(rule, " except {except}");
                }
            }
            if rng.chance(25) {
                let _ = write!(rule, " at \"{}\"", rng.pick(&forums));
            }
            if rng.chance(85) {
                let _ = write!(rule, " when {}", condition(&mut rng));
            }
            let _ = writeln!(text, "{rule}");
        }
        text.push_str("}\n\n");
    }
    text
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default()
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

fn generated_mandate(representatives: usize, rules_each: usize, seed: u64) -> Mandate {
    let loaded = Mandate::from_source(
        SourceFile {
            name: format!("generated-{representatives}x{rules_each}.mandate"),
            text: generated(representatives, rules_each, seed),
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
    for (representatives, rules_each, seed) in [(10usize, 100usize, 15u64), (50, 20, 1515)] {
        let name = format!("{representatives}x{rules_each}");
        let mandate = generated_mandate(representatives, rules_each, seed);
        describe(&format!("generated/{name}"), &mandate, &options);
        group.bench_with_input(BenchmarkId::new("generated", &name), &mandate, |b, m| {
            b.iter(|| analyze(black_box(m), &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_analyze);
criterion_main!(benches);
