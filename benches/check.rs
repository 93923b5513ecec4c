//! How the check scales with the size of a mandate.
//!
//! Builds synthetic mandates of 10 to 10,000 rules (each rule on its own
//! topic, with a condition) and checks one proposal against each. With the
//! topic index the cost should stay nearly flat; a check that scanned every
//! rule would grow with the rule count.
//!
//! Run: `cargo bench --bench check`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mandate::source::{Scripts, SourceFile};
use mandate::{Mandate, Proposal};
use std::fmt::Write;
use std::hint::black_box;

fn synthetic(rules: usize) -> String {
    let mut text = String::from(
        "group \"Bench GP Leadership Group\" { place \"Bench\" }\n\
         organisation lmc \"Bench LMC\" { owns contract }\n\
         principle independent \"We keep the independent contractor model\" {\n\
           !(proposal.changes ?? []).contains(\"employment_model\")\n\
         }\n\
         representative rep \"Dr Bench\" {\n\
           forums \"Board\"\n\
           report within 7 days\n",
    );
    for i in 0..rules {
        let _ = writeln!(
            text,
            "  may agree area{}.topic{i} when cost <= {} and duration_months <= 12",
            i % 50,
            1000 + i
        );
    }
    text.push_str("}\n");
    text
}

fn bench_check(c: &mut Criterion) {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let mut group = c.benchmark_group("check");
    for rules in [10usize, 100, 1_000, 10_000] {
        let loaded = Mandate::from_source(
            SourceFile {
                name: format!("bench-{rules}.mandate"),
                text: synthetic(rules),
            },
            Scripts::new(),
            day,
        );
        let Some(mandate) = loaded.mandate else {
            panic!("synthetic mandate has errors: {:?}", loaded.diagnostics);
        };
        let topic = format!("area{}.topic{}", (rules / 2) % 50, rules / 2);
        let proposal = Proposal::from_json(
            &format!(
                r#"{{"title": "t", "topics": ["{topic}"], "forum": "Board", "cost": 500, "duration_months": 6, "changes": []}}"#
            ),
            "bench",
        )
        .unwrap_or_else(|e| panic!("bench proposal: {e}"));
        group.bench_with_input(BenchmarkId::from_parameter(rules), &rules, |b, _| {
            b.iter(|| mandate.check(black_box(&proposal), "rep", day))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
