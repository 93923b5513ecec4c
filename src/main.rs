//! The `mandate` command. All the work is in the library and `cli`.
#![forbid(unsafe_code)]

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(cli::run(cli::Cli::parse()))
}
