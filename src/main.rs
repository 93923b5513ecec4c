//! The `mandate` command. All the work is in the library and `cli`.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    let code = match cli::parse(std::env::args_os().collect()) {
        Ok(cli) => cli::run(cli),
        Err(code) => code,
    };
    std::process::ExitCode::from(code)
}
