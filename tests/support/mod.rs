//! Running the built `mandate` binary from tests, as a person would: no
//! terminal, `NO_COLOR` set, a deadline on every run so that a hang fails
//! the test instead of stalling the suite, and temporary folders that
//! clean up after themselves.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long one run of the binary may take before it counts as a hang.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// What the command line was, for failure messages.
    pub command: String,
    /// The exit code (a run killed by a signal fails the test instead).
    pub code: i32,
    /// Standard output, as bytes.
    pub stdout: Vec<u8>,
    /// Standard error, as bytes.
    pub stderr: Vec<u8>,
}

impl Run {
    /// Standard output as text (lossy).
    pub fn out(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    /// Standard error as text (lossy).
    pub fn err(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }

    /// Fails unless the run exited with `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            code,
            "{}: exit code {} (expected {code})\nstdout:\n{}\nstderr:\n{}",
            self.command,
            self.code,
            self.out(),
            self.err()
        );
        self
    }

    /// Fails if either stream holds a control character other than a line
    /// end, or a bidirectional formatting character.
    pub fn expect_nothing_hidden(&self) -> &Self {
        for (stream, bytes) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            if let Some(c) = text.chars().find(|c| hidden(*c)) {
                panic!(
                    "{}: {stream} holds the raw character U+{:04X}:\n{text:?}",
                    self.command, c as u32
                );
            }
        }
        self
    }
}

/// A character that must never reach a person's terminal raw. Written out
/// here, independently of the library's own list.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c as u32,
            0x061C | 0x200E | 0x200F | 0x2028 | 0x2029 | 0x202A..=0x202E | 0x2066..=0x2069
        )
}

/// Runs `mandate ARGS` in the crate root, with `stdin` as its standard
/// input (none when `None`). Fails the test on a hang (past [`DEADLINE`]),
/// a signal or a panic (exit 101).
pub fn mandate<S: AsRef<OsStr>>(args: &[S], stdin: Option<&[u8]>) -> Run {
    mandate_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, stdin)
}

/// [`mandate`], run in the folder `cwd`: files made there can be named
/// relative to it, so that messages (and the way miette wraps them) do not
/// depend on where the system keeps temporary files.
pub fn mandate_in<S: AsRef<OsStr>>(cwd: &Path, args: &[S], stdin: Option<&[u8]>) -> Run {
    let command = format!(
        "mandate {}",
        args.iter()
            .map(|a| format!("{:?}", a.as_ref()))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{command}: cannot start: {e}"));
    let input = stdin.map(<[u8]>::to_vec);
    let mut pipe_in = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let (Some(pipe), Some(input)) = (pipe_in.as_mut(), input) {
            // The binary may stop reading early; that is its right.
            let _ = pipe.write_all(&input);
        }
        drop(pipe_in);
    });
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > DEADLINE => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{command}: still running after {DEADLINE:?}; killed");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => panic!("{command}: cannot wait: {e}"),
        }
    };
    let _ = writer.join();
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let Some(code) = status.code() else {
        panic!(
            "{command}: killed by a signal ({status})\nstderr:\n{}",
            String::from_utf8_lossy(&stderr)
        );
    };
    let run = Run {
        command,
        code,
        stdout,
        stderr,
    };
    assert_ne!(run.code, 101, "{}: panicked:\n{}", run.command, run.err());
    run
}

/// A fresh folder under the system's temporary folder, removed on drop.
pub struct TempDir {
    /// Its path.
    pub path: PathBuf,
}

impl TempDir {
    /// Makes a new, empty folder whose name includes `label`.
    pub fn new(label: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "mandate-test-{}-{label}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        TempDir { path }
    }

    /// Writes `bytes` to `name` inside the folder (making folders on the
    /// way) and returns its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }

    /// `text` with this folder's path written as `[tmp]`, so snapshots do
    /// not depend on where the system keeps temporary files.
    pub fn normalise(&self, text: &str) -> String {
        text.replace(&self.path.display().to_string(), "[tmp]")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `path` as an argument.
pub fn arg(path: &Path) -> &OsStr {
    path.as_os_str()
}

/// `path` (relative to the crate root) as an absolute path, for a run in
/// another folder.
pub fn in_crate(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}
