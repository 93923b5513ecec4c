//! `mandate serve`: loads the mandates, binds the address, prints the
//! address to open, and serves the page and the API ([`mandate::serve`])
//! until Ctrl-C, finishing the requests under way.

use super::{mandate_paths, EXIT_FAILURE, EXIT_OK, EXIT_USAGE};
use mandate::serve::{Options, TOKEN_VARIABLE};
use mandate::visible::{visible, visible_path};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

/// How long, after Ctrl-C, the requests under way may take to finish.
const GRACE: std::time::Duration = std::time::Duration::from_secs(5);

fn finished(result: std::io::Result<()>) -> u8 {
    match result {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("error: the server stopped: {error}");
            EXIT_FAILURE
        }
    }
}

pub(super) fn serve(
    paths: &[PathBuf],
    addr: SocketAddr,
    token: Option<String>,
    record: Option<PathBuf>,
) -> u8 {
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
    if token
        .as_deref()
        .is_some_and(|t| !mandate::serve::token_is_usable(t))
    {
        eprintln!(
            "error: the access code may only hold letters, digits and - _ . ~ (a browser keeps it in a cookie)\n  help: choose another, for example one made by `openssl rand -hex 16`"
        );
        return EXIT_USAGE;
    }
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
    let code = runtime.block_on(async move {
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
            request_time_limit: mandate::serve::REQUEST_TIME_LIMIT,
            record: record.clone(),
        };
        let router = match mandate::serve::router(options) {
            Ok(router) => router,
            Err(error) => {
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
        // Ctrl-C: stop taking requests and finish those under way, for at
        // most GRACE; a second Ctrl-C, or the end of GRACE, stops at once
        // (a client that never finishes its request cannot hold it up).
        let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
        let stop = async {
            let _ = stopped.await;
        };
        let server = mandate::serve::serve(listener, router, stop);
        tokio::pin!(server);
        tokio::select! {
            result = &mut server => return finished(result),
            _ = tokio::signal::ctrl_c() => {}
        }
        eprintln!(
            "stopping: finishing the requests under way (at most {} s; Ctrl-C again to stop now)",
            GRACE.as_secs()
        );
        let _ = stopping.send(());
        tokio::select! {
            result = &mut server => finished(result),
            _ = tokio::time::sleep(GRACE) => {
                eprintln!("stopped: some requests were still unfinished");
                EXIT_OK
            }
            _ = tokio::signal::ctrl_c() => {
                eprintln!("stopped at once");
                EXIT_OK
            }
        }
    });
    // Connections still open (a client that never finished) are dropped.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    code
}
