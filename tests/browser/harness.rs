//! What the browser tests stand on: finding Chromium, ChromeDriver and
//! axe-core (and saying loudly when they are missing), starting
//! ChromeDriver and `mandate serve` on loopback ports and stopping both
//! however a test ends, and one WebDriver session per test.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// A test's failure, in words: what was done, what was seen.
pub type Failure = String;

/// What a test returns.
pub type Outcome = Result<(), Failure>;

/// The crate root, where `rules/`, `node_modules/` and `target/` are.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Where screenshots go: `target/screenshots/` (created).
pub fn screenshot_dir() -> Result<PathBuf, Failure> {
    let dir = root().join("target").join("screenshots");
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(dir)
}

/// The programs and files the browser tests need.
#[derive(Debug, Clone)]
pub struct Tools {
    /// The Chromium binary (`CHROMIUM`, else `/usr/bin/chromium`).
    pub chromium: PathBuf,
    /// The ChromeDriver binary (`CHROMEDRIVER`, else `/usr/bin/chromedriver`).
    pub chromedriver: PathBuf,
    /// `node_modules/axe-core/axe.min.js`.
    pub axe: PathBuf,
}

fn from_env(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// The tools a test needs, or `Ok(None)` after saying loudly on stderr
/// that `test` did not run and how to make it run. With `CI=true` a
/// missing tool is a failure: CI must never pass without the browser.
pub fn tools(test: &str, needs_axe: bool) -> Result<Option<Tools>, Failure> {
    let tools = Tools {
        chromium: from_env("CHROMIUM", "/usr/bin/chromium"),
        chromedriver: from_env("CHROMEDRIVER", "/usr/bin/chromedriver"),
        axe: root().join("node_modules/axe-core/axe.min.js"),
    };
    let mut missing = Vec::new();
    if !tools.chromium.is_file() {
        missing.push(format!("Chromium ({})", tools.chromium.display()));
    }
    if !tools.chromedriver.is_file() {
        missing.push(format!("ChromeDriver ({})", tools.chromedriver.display()));
    }
    if needs_axe && !tools.axe.is_file() {
        missing.push(format!("axe-core ({})", tools.axe.display()));
    }
    if missing.is_empty() {
        return Ok(Some(tools));
    }
    let message = format!(
        "the browser test `{test}` did NOT run: missing {}. \
         Run `.ci/browser-setup` (Debian: installs chromium, chromium-driver and, \
         with npm, axe-core), then `cargo test --test browser`.",
        missing.join(", ")
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        return Err(format!("CI=true and {message}"));
    }
    // Straight to the stream, not eprintln!: the test harness captures
    // what a passing test prints, and this must be seen.
    let bar = "!".repeat(72);
    let _ = writeln!(std::io::stderr(), "\n{bar}\n!!! {message}\n{bar}\n");
    Ok(None)
}

/// One browser test at a time: two cores cannot start several Chromiums
/// at once quickly, and each test times its waits.
pub fn one_at_a_time() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    // A test that failed while holding the lock poisons it; the next test
    // can still run, so take the guard either way.
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A child process in its own process group, killed with everything it
/// started (ChromeDriver's Chromium) when dropped, whatever the test did.
#[derive(Debug)]
pub struct Guard {
    name: &'static str,
    child: Child,
}

impl Guard {
    /// Starts `command` in a new process group.
    pub fn spawn(name: &'static str, command: &mut Command) -> Result<Guard, Failure> {
        let child = command
            .process_group(0)
            .spawn()
            .map_err(|e| format!("starting {name} ({command:?}): {e}"))?;
        Ok(Guard { name, child })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // The group's id is the child's own id (process_group(0)), so this
        // ends the child and the browser it started, and nothing else.
        let group = format!("-{}", self.child.id());
        let killed = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        if !killed.is_ok_and(|s| s.success()) {
            let _ = self.child.kill();
        }
        if self.child.wait().is_err() {
            eprintln!("could not wait for {} to end", self.name);
        }
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> Result<u16, Failure> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("finding a free loopback port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| format!("reading the free port: {e}"))
}

/// Waits until something listens on `addr`.
fn wait_for_listener(name: &str, addr: SocketAddr, within: Duration) -> Result<(), Failure> {
    let start = Instant::now();
    while start.elapsed() < within {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("{name} did not listen on {addr} within {within:?}"))
}

/// ChromeDriver on a free loopback port.
#[derive(Debug)]
pub struct Driver {
    /// The WebDriver address, `http://127.0.0.1:PORT`.
    pub url: String,
    _guard: Guard,
}

impl Driver {
    /// Starts ChromeDriver and waits for it to listen.
    pub fn start(tools: &Tools) -> Result<Driver, Failure> {
        let port = free_port()?;
        let guard = Guard::spawn(
            "chromedriver",
            Command::new(&tools.chromedriver)
                .arg(format!("--port={port}"))
                .arg("--allowed-ips=127.0.0.1")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        wait_for_listener("chromedriver", addr, Duration::from_secs(10))?;
        Ok(Driver {
            url: format!("http://{addr}"),
            _guard: guard,
        })
    }
}

/// `mandate serve rules/` on a port the OS chose.
#[derive(Debug)]
pub struct Server {
    /// The page's address as the server printed it, ending in `/`.
    pub url: String,
    _guard: Guard,
}

impl Server {
    /// Starts the server and reads the address from the one line it
    /// prints, `mandate serve: open http://127.0.0.1:PORT/`.
    pub fn start() -> Result<Server, Failure> {
        let mut command = Command::new(env!("CARGO_BIN_EXE_mandate"));
        command
            .args(["serve", "rules/", "--addr", "127.0.0.1:0"])
            .current_dir(root())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut guard = Guard::spawn("mandate serve", &mut command)?;
        let stdout = guard
            .child
            .stdout
            .take()
            .ok_or("mandate serve: no stdout pipe")?;
        // Its stderr ("serving rules/...") is kept for a failure's message,
        // not mixed into the test output.
        let stderr = guard
            .child
            .stderr
            .take()
            .ok_or("mandate serve: no stderr pipe")?;
        let said = std::sync::Arc::new(Mutex::new(String::new()));
        let said_too = std::sync::Arc::clone(&said);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Ok(mut said) = said_too.lock() {
                    said.push_str(&line);
                    said.push('\n');
                }
            }
        });
        let stderr_so_far = move || said.lock().map(|s| s.clone()).unwrap_or_default();
        let (send, receive) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let _ = send.send(lines.next());
            // Keep the pipe drained so the server never blocks writing.
            for _ in lines {}
        });
        let line = match receive.recv_timeout(Duration::from_secs(30)) {
            Ok(Some(Ok(line))) => line,
            Ok(Some(Err(e))) => return Err(format!("reading mandate serve's stdout: {e}")),
            Ok(None) | Err(_) => {
                return Err(format!(
                    "mandate serve printed no line within 30 s; its stderr:\n{}",
                    stderr_so_far()
                ))
            }
        };
        let url = line
            .strip_prefix("mandate serve: open ")
            .filter(|u| u.starts_with("http://127.0.0.1:") && u.ends_with('/'))
            .ok_or_else(|| {
                format!(
                    "mandate serve printed {line:?}, not `mandate serve: open http://127.0.0.1:PORT/`; its stderr:\n{}",
                    stderr_so_far()
                )
            })?
            .to_string();
        Ok(Server { url, _guard: guard })
    }
}

/// Whether the page may run its script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// JavaScript on, as most people have it.
    On,
    /// JavaScript off: forms must post and the server answer with a page.
    Off,
}

/// The Chromium flags this machine needs (see the README's "The browser
/// test"); without the background-networking ones Chromium keeps trying
/// hosts that a closed network refuses.
fn chromium_args(profile: &Path, script: Script) -> Vec<String> {
    let mut args: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--disable-extensions",
        "--lang=en-GB",
        "--window-size=1280,900",
        "--hide-scrollbars",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    if script == Script::Off {
        args.push("--blink-settings=scriptEnabled=false".into());
    }
    args
}

/// Opens a browser session, runs `body` in it, and closes the session
/// whether `body` passed or not.
pub async fn with_browser<F>(tools: &Tools, driver: &Driver, script: Script, body: F) -> Outcome
where
    F: AsyncFnOnce(&Client) -> Outcome,
{
    let profile = tempfile::tempdir().map_err(|e| format!("making a Chromium profile: {e}"))?;
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": tools.chromium,
            "args": chromium_args(profile.path(), script),
            "prefs": { "intl.accept_languages": "en-GB" },
        },
    });
    let Value::Object(capabilities) = capabilities else {
        return Err("capabilities are not an object".into());
    };
    let capabilities: Capabilities = capabilities;
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .map_err(|e| format!("opening a Chromium session through {}: {e}", driver.url))?;
    let outcome = body(&client).await;
    let closed = client.close().await;
    outcome?;
    closed.map_err(|e| format!("closing the Chromium session: {e}"))
}

/// Wraps a WebDriver error with what was being done.
pub fn ctx<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> Failure + '_ {
    move |e| format!("{what}: {e}")
}

/// Runs a test's async body on a runtime of its own.
pub fn block_on<F: std::future::Future<Output = Outcome>>(body: F) -> Outcome {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting tokio: {e}"))?
        .block_on(body)
}
