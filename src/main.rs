//! The `mandate` command. All the work is in the library and `cli`.
#![forbid(unsafe_code)]
// Nothing a user controls may make the engine panic: no unwrap, expect,
// panic or unchecked indexing outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod cli;

fn main() -> std::process::ExitCode {
    let code = match cli::parse(std::env::args_os().collect()) {
        Ok(cli) => cli::run(cli),
        Err(code) => code,
    };
    std::process::ExitCode::from(code)
}
