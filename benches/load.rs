//! What loading a rule file costs, stage by stage, beside the ceiling pest
//! allows.
//!
//! Generates mandates of 10, 100, 1,000 and 10,000 rules with the shared
//! generator (`benches/support/generate.rs`, the same files every run) and
//! times, per size, in bytes per second (criterion prints MB/s):
//! - `parse`: text -> typed syntax tree ([`mandate::syntax::parse`]);
//! - `validate`: the tree -> diagnostics (warnings only: the generated
//!   files have no errors, and a few rules a broader forbid overrules);
//! - `compile`: the validated tree -> a [`Mandate`];
//! - `load`: all three, as an embedder calls them
//!   ([`Mandate::from_source`]);
//! - `json`: pest parsing a JSON document of about the same size with the
//!   JSON grammar below (the pest book's example grammar, written out
//!   here), to pairs only: the fastest a pest grammar goes on this machine,
//!   in the same run.
//!
//! Run: `cargo bench --bench load` (once, untimed: `-- --test`)

#[path = "support/generate.rs"]
mod generate;

use criterion::{
    criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use mandate::compile::stages;
use mandate::source::{Scripts, SourceFile};
use mandate::Mandate;
use pest::Parser as _;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

/// JSON (RFC 8259) as a pest grammar: objects, arrays, strings with their
/// escapes, numbers, `true`, `false` and `null`, whitespace between tokens.
#[derive(pest_derive::Parser)]
#[grammar_inline = r#"
WHITESPACE = _{ " " | "\t" | "\r" | "\n" }
document   = _{ SOI ~ value ~ EOI }
value      = _{ object | array | string | number | boolean | null }
object     = { "{" ~ (member ~ ("," ~ member)*)? ~ "}" }
member     = { string ~ ":" ~ value }
array      = { "[" ~ (value ~ ("," ~ value)*)? ~ "]" }
boolean    = { "true" | "false" }
null       = { "null" }
string     = ${ "\"" ~ characters ~ "\"" }
characters = @{ character* }
character  = {
    !("\"" | "\\") ~ ANY
  | "\\" ~ ("\"" | "\\" | "/" | "b" | "f" | "n" | "r" | "t")
  | "\\" ~ "u" ~ ASCII_HEX_DIGIT{4}
}
number = @{
    "-"? ~ ("0" | ASCII_NONZERO_DIGIT ~ ASCII_DIGIT*)
    ~ ("." ~ ASCII_DIGIT+)?
    ~ (("e" | "E") ~ ("+" | "-")? ~ ASCII_DIGIT+)?
}
"#]
struct Json;

/// A JSON document of at least `bytes` bytes, shaped like a mandate's
/// content: an array of rules, each an object of short strings, numbers,
/// a boolean, a null and a nested list, over several lines.
fn json_document(bytes: usize) -> String {
    let mut text = String::from("[\n");
    let mut i = 0usize;
    while text.len() < bytes {
        if i > 0 {
            text.push_str(",\n");
        }
        let _ = write!(
            text,
            "  {{\"representative\": \"rep_{r}\", \"effect\": \"may agree\", \
             \"topics\": [\"area{a}.sub{s}.topic{i}\"], \"cost\": {c}, \
             \"ratio\": {f}.5, \"virtual\": {v}, \"forum\": null, \
             \"when\": {{\"field\": \"duration_months\", \"op\": \"<=\", \"value\": 12}}}}",
            r = i % 50,
            a = i % 7,
            s = i % 13,
            c = 1_000 + i * 17,
            f = i % 100,
            v = i.is_multiple_of(2),
        );
        i += 1;
    }
    text.push_str("\n]\n");
    text
}

fn today() -> chrono::NaiveDate {
    let (y, m, d) = generate::DAY_YMD;
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn rule_file(text: &str) -> SourceFile {
    SourceFile {
        name: "generated.mandate".into(),
        text: text.to_string(),
    }
}

fn bench_load(c: &mut Criterion) {
    let day = today();
    let scripts = Scripts::new();
    let mut group = c.benchmark_group("load");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    for rules in [10usize, 100, 1_000, 10_000] {
        let text = generate::generate(&generate::Shape::new(rules)).text;
        let file = rule_file(&text);
        let tree = mandate::syntax::parse(&text).expect("the generated mandate parses");
        let clean = stages::validate(&tree, &file, &scripts, day);
        let errors: Vec<_> = clean
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .collect();
        assert!(
            errors.is_empty(),
            "the generated mandate has errors: {errors:?}"
        );
        let json = json_document(text.len());
        assert!(
            Json::parse(Rule::document, &json).is_ok(),
            "the JSON parses"
        );
        eprintln!(
            "load/{rules}: mandate {} bytes ({} warnings), JSON {} bytes",
            text.len(),
            clean.diagnostics().len(),
            json.len()
        );

        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", rules), &text, |b, text| {
            b.iter(|| black_box(mandate::syntax::parse(text).map(|f| f.declarations.len())))
        });
        group.bench_with_input(BenchmarkId::new("validate", rules), &tree, |b, tree| {
            b.iter(|| black_box(stages::validate(tree, &file, &scripts, day)))
        });
        group.bench_with_input(BenchmarkId::new("compile", rules), &tree, |b, tree| {
            b.iter_batched(
                || stages::validate(tree, &file, &scripts, day),
                |validation| black_box(stages::compile(tree, &file, &scripts, validation).is_ok()),
                BatchSize::LargeInput,
            )
        });
        group.bench_with_input(BenchmarkId::new("load", rules), &text, |b, text| {
            b.iter_batched(
                || rule_file(text),
                |file| {
                    let loaded = Mandate::from_source(file, Scripts::new(), day);
                    black_box(loaded.mandate.is_some())
                },
                BatchSize::LargeInput,
            )
        });
        group.throughput(Throughput::Bytes(json.len() as u64));
        group.bench_with_input(BenchmarkId::new("json", rules), &json, |b, json| {
            b.iter(|| black_box(Json::parse(Rule::document, json).map(|p| p.count())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
