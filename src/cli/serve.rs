//! `mandate serve`: loads the mandates, binds the address, prints the
//! address to open, and serves the page and the API ([`mandate::serve`])
//! until Ctrl-C, finishing the requests under way.

use super::{mandate_paths, EXIT_FAILURE, EXIT_OK, EXIT_USAGE};
use mandate::serve::{Options, ServeError, TOKEN_VARIABLE};
use mandate::visible::{visible, visible_path};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

pub(super) fn serve(paths: &[PathBuf], addr: SocketAddr, token: Option<String>) -> u8 {
    let files = match mandate_paths(paths) {
        Ok(files) => files,
        Err(code) => return code,
    };
    for file in &files {
        if !file.is_file() {
            eprintln!(
                "error: {}: there is no mandate file there\n  help: give `.mandate` files, or folders with `.mandate` files below them",
                visible_path(file)
            );
            return EXIT_FAILURE;
        }
    }
    let token = token.filter(|t| !t.is_empty());
    if !addr.ip().is_loopback() && token.is_none() {
        eprintln!(
            "error: {addr} can be reached from other computers, so the page needs an access code\n  help: give one with --token CODE or the {TOKEN_VARIABLE} environment variable, and tell it to the representatives; or serve on 127.0.0.1 (the default) for this computer only"
        );
        return EXIT_USAGE;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the server: {error}");
            return EXIT_FAILURE;
        }
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln!(
                    "error: cannot listen on {addr}: {}\n  help: another program may be using that port; try --addr 127.0.0.1:8081",
                    visible(&error.to_string())
                );
                return EXIT_FAILURE;
            }
        };
        let bound = listener.local_addr().unwrap_or(addr);
        let options = Options {
            files: files.clone(),
            addr: bound,
            token,
            today: super::today,
        };
        let router = match mandate::serve::router(options) {
            Ok(router) => router,
            Err(error @ ServeError::TokenNeeded { .. }) | Err(error @ ServeError::NothingToServe) => {
                eprintln!("error: {error}");
                return EXIT_FAILURE;
            }
        };
        let shown = if bound.ip().is_unspecified() {
            format!("http://127.0.0.1:{}/ (and this computer's other addresses)", bound.port())
        } else {
            format!("http://{bound}/")
        };
        let mut stdout = std::io::stdout();
        let _ = writeln!(stdout, "mandate serve: open {shown}");
        let _ = stdout.flush();
        for file in &files {
            eprintln!("serving {}", visible_path(file));
        }
        eprintln!("Press Ctrl-C to stop.");
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("stopping: finishing the requests under way");
        };
        match mandate::serve::serve(listener, router, stop).await {
            Ok(()) => EXIT_OK,
            Err(error) => {
                eprintln!("error: the server stopped: {error}");
                EXIT_FAILURE
            }
        }
    })
}
