//! Instruction counts of the check path, under valgrind's callgrind
//! (gungraun, formerly iai-callgrind): numbers that do not move with
//! machine noise, so a regression shows as a number (issue 17). The
//! counts are recorded in `benches/instructions.txt`.
//!
//! Measured, each in a process of its own, setup outside the count:
//! - `floor`: a `HashMap<String, u32>` lookup of the topic and one
//!   comparison (`benches/support/fixture.rs`);
//! - `decide` (the decision facts) and `check` (the `Decision` as an
//!   embedder gets it, its sentences unwritten) of a hit, principles off,
//!   at 10 and 1,000 rules of the shared generator's mandates.
//!
//! The setup generates and loads the mandate, parses the request and
//! checks it once, so what is counted is a check in a process that has
//! already made one (no first-call initialisation). The decision and the
//! inputs are dropped after the count.
//!
//! Needs valgrind and `gungraun-runner` 0.20.0, the library's exact
//! version. Without the runner (not on `PATH`, `GUNGRAUN_RUNNER` unset)
//! this bench prints how to get it and succeeds, so a plain `cargo bench`
//! still runs on a machine that has neither. `.ci/bench-instructions`
//! installs the runner when it is missing, runs this bench and prints the
//! counts.
//!
//! Run: `bash .ci/bench-instructions` (or `cargo bench --bench
//! instructions` with the runner installed)

#[path = "support/fixture.rs"]
mod fixture;
#[path = "support/generate.rs"]
mod generate;

use generate::{Kind, Shape};
use gungraun::{library_benchmark, library_benchmark_group};
use mandate::{CheckError, Decision, DecisionFacts, Mandate};
use std::collections::HashMap;
use std::hint::black_box;

/// A generated mandate and a hit for it, checked once already.
struct Ready {
    mandate: Mandate,
    case: fixture::Case,
    day: chrono::NaiveDate,
}

fn ready(rules: usize) -> Ready {
    let (generated, mandate) = fixture::generated(&Shape::new(rules));
    let case = fixture::case(&generated, Kind::Hit);
    fixture::verify(&mandate, &case);
    Ready {
        mandate,
        case,
        day: fixture::day(),
    }
}

/// The floor's table for the 10-rule mandate, and the hit's topic and cost.
fn floor_ready() -> (HashMap<String, u32>, String, u32) {
    let (generated, _) = fixture::generated(&Shape::new(10));
    let case = fixture::case(&generated, Kind::Hit);
    let table = fixture::floor_table(&generated);
    black_box(fixture::floor(&table, &case.topic, case.cost));
    (table, case.topic, case.cost)
}

#[library_benchmark]
#[bench::lookup_compare(setup = floor_ready)]
fn floor(
    input: (HashMap<String, u32>, String, u32),
) -> ((HashMap<String, u32>, String, u32), bool) {
    let agreed = fixture::floor(black_box(&input.0), black_box(&input.1), black_box(input.2));
    (input, agreed)
}

#[library_benchmark]
#[bench::rules_10(args = (10), setup = ready)]
#[bench::rules_1000(args = (1_000), setup = ready)]
fn decide(input: Ready) -> (Ready, Result<DecisionFacts, CheckError>) {
    let facts = black_box(&input.mandate).decide(
        black_box(&input.case.proposal),
        &input.case.representative,
        input.day,
    );
    (input, facts)
}

#[library_benchmark]
#[bench::rules_10(args = (10), setup = ready)]
#[bench::rules_1000(args = (1_000), setup = ready)]
fn check(input: Ready) -> (Ready, Result<Decision, CheckError>) {
    let decision = black_box(&input.mandate).check(
        black_box(&input.case.proposal),
        &input.case.representative,
        input.day,
    );
    (input, decision)
}

library_benchmark_group!(
    name = check_path;
    benchmarks = floor, decide, check
);

/// Whether `gungraun-runner` can be started: `GUNGRAUN_RUNNER` names it,
/// or it is on `PATH`.
fn runner_found() -> bool {
    if std::env::var_os("GUNGRAUN_RUNNER").is_some() {
        return true;
    }
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| dir.join("gungraun-runner").is_file())
    })
}

/// gungraun's harness. Its `main!` writes a `fn main` (which both starts
/// the runner and, when the runner starts this binary under valgrind,
/// runs one benchmark); declared inside this function, it is this
/// function's own.
fn harness() {
    gungraun::main!(library_benchmark_groups = check_path);
    main();
}

fn main() {
    let under_runner = std::env::args()
        .nth(1)
        .is_some_and(|a| a == "--gungraun-run");
    if under_runner || runner_found() {
        harness();
    } else {
        eprintln!(
            "instructions: skipped, gungraun-runner 0.20.0 is not installed \
             (`bash .ci/bench-instructions` installs it and runs this bench)"
        );
    }
}
