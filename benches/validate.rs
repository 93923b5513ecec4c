//! How validation scales with the hostile shapes that once made it slow.
//!
//! Loads (parses, validates and compiles) a rule file of N copies of one
//! `topic` line (each copy an error: once quadratic in N), and one of N
//! rules whose condition is nested 60 deep (the limit is 64; memory and
//! time once grew several hundred times the file). Each shape is run at
//! two sizes: the time should grow with the size, not its square.
//!
//! Run: `cargo bench --bench validate`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mandate::source::{Scripts, SourceFile};
use mandate::Mandate;
use std::hint::black_box;

const HEAD: &str = "group \"G\" {\n  place \"P\"\n}\n";

fn duplicate_topics(copies: usize) -> String {
    format!("{HEAD}{}", "topic a \"A\"\n".repeat(copies))
}

fn nested_conditions(rules: usize) -> String {
    let rule = format!(
        "  may agree a.b when {}cost > 1 or risk == \"x\"{}\n",
        "(".repeat(60),
        ")".repeat(60)
    );
    format!(
        "{HEAD}representative r \"R\" {{\n{}}}\n",
        rule.repeat(rules)
    )
}

fn bench_validate(c: &mut Criterion) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let mut group = c.benchmark_group("validate");
    group.sample_size(10);
    let cases: [(&str, usize, String); 4] = [
        ("duplicate-topics", 8_000, duplicate_topics(8_000)),
        ("duplicate-topics", 49_000, duplicate_topics(49_000)),
        // 1,666 rules of 60 brackets is just under the bracket limit.
        ("nested-conditions", 400, nested_conditions(400)),
        ("nested-conditions", 1_666, nested_conditions(1_666)),
    ];
    for (name, size, text) in cases {
        group.bench_with_input(BenchmarkId::new(name, size), &text, |b, text| {
            b.iter(|| {
                let loaded = Mandate::from_source(
                    SourceFile {
                        name: "bench.mandate".into(),
                        text: text.clone(),
                    },
                    Scripts::new(),
                    day,
                );
                black_box(loaded.diagnostics.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_validate);
criterion_main!(benches);
