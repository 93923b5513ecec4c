//! The failure suite: bad and hostile input of every kind ends in a clear
//! message on standard error and exit 1 (2 for a command line that cannot
//! be run), never a panic (exit 101), a signal or a hang.
//!
//! Every case runs the built binary with a deadline
//! ([`support::DEADLINE`]). The cases:
//! - `tests/data/failures/rules/*.mandate`: rule files (truncated, empty,
//!   binary, not UTF-8, UTF-16, nested just past the limit), each through
//!   `validate` and `check`;
//! - `tests/data/failures/proposals/*.json`: proposals, each from a file
//!   and from standard input, checked against `tests/data/failures/ok.mandate`;
//! - `tests/data/failures/scripts/*.rhai`: principle scripts, each named by
//!   a rule file made beside it in a temporary folder;
//! - made at test time, not committed: files just past each size limit,
//!   nesting far past every limit, and special paths (a folder, a named
//!   pipe, `/dev/zero`, a broken symbolic link, a missing file) given as
//!   each kind of input.
//!
//! Standard error is pinned in `tests/snapshots/failures__*.snap` with
//! temporary paths written `[tmp]`: review that each message names the
//! file and says what to do.

// Named pipes, devices and symbolic links as the suite makes them.
#![cfg(unix)]

mod support;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use support::{arg, in_crate, mandate_in, Run, TempDir};

const OK_RULES: &str = "tests/data/failures/ok.mandate";
const OK_PROPOSAL: &str = "tests/data/failures/ok.json";
/// A rule file naming one principle script, `p.rhai`, beside it.
const SCRIPT_RULES: &str = "group \"G\" { place \"P\" }\nprinciple p \"P\" refer script \"p.rhai\"\nrepresentative a \"A\" { may agree x }\n";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root()).unwrap_or(path).to_path_buf()
}

/// Fails unless the run failed cleanly: `code`, no decision on standard
/// output, and a message on standard error that names `name`.
fn failed_cleanly(run: &Run, code: i32, name: &str) {
    run.expect_code(code).expect_nothing_hidden();
    assert!(
        run.stdout.is_empty() || run.out().contains("FAILED"),
        "{}: printed on stdout:\n{}",
        run.command,
        run.out()
    );
    assert!(
        run.err().contains(name),
        "{}: the message does not name {name}:\n{}",
        run.command,
        run.err()
    );
}

/// Runs `validate` and `check` on the rule file `path` (relative to
/// `cwd`); gives what `validate` wrote on standard error.
fn rules_case(cwd: &Path, path: &Path) -> String {
    let name = path.display().to_string();
    let validate = mandate_in(cwd, &["validate".as_ref(), arg(path)], None);
    failed_cleanly(&validate, 1, &name);
    let ok_proposal = in_crate(OK_PROPOSAL);
    let check = mandate_in(
        cwd,
        &[
            "check".as_ref(),
            arg(path),
            arg(&ok_proposal),
            "--as".as_ref(),
            "a".as_ref(),
        ],
        None,
    );
    failed_cleanly(&check, 1, &name);
    validate.err()
}

/// Checks the proposal `path` (relative to `cwd`), from the file and, when
/// it is a regular file, from standard input; gives what the first wrote on
/// standard error.
fn proposal_case(cwd: &Path, path: &Path) -> String {
    let ok_rules = in_crate(OK_RULES);
    let check = |proposal: &OsStr, stdin: Option<&[u8]>| {
        mandate_in(
            cwd,
            &[
                "check".as_ref(),
                arg(&ok_rules),
                proposal,
                "--as".as_ref(),
                "a".as_ref(),
            ],
            stdin,
        )
    };
    let from_file = check(arg(path), None);
    failed_cleanly(&from_file, 1, &path.display().to_string());
    // Only a regular file can be read here without waiting for ever.
    let full = cwd.join(path);
    let regular = std::fs::metadata(&full).is_ok_and(|m| m.is_file());
    if let Some(bytes) = regular.then(|| std::fs::read(&full).ok()).flatten() {
        let from_stdin = check("-".as_ref(), Some(&bytes));
        failed_cleanly(&from_stdin, 1, "standard input");
    }
    from_file.err()
}

/// Validates a rule file naming `p.rhai`, in `dir`; `make` puts the script
/// at the path it is given.
fn script_case(dir: &TempDir, make: impl FnOnce(&Path)) -> String {
    dir.write("r.mandate", SCRIPT_RULES);
    make(&dir.path.join("p.rhai"));
    let validate = mandate_in(&dir.path, &["validate", "r.mandate"], None);
    failed_cleanly(&validate, 1, "p.rhai");
    dir.normalise(&validate.err())
}

#[test]
fn broken_rule_files() {
    insta::glob!("data/failures/rules/*.mandate", |path| {
        insta::assert_snapshot!(rules_case(root(), &relative(path)));
    });
}

#[test]
fn broken_proposals() {
    insta::glob!("data/failures/proposals/*.json", |path| {
        insta::assert_snapshot!(proposal_case(root(), &relative(path)));
    });
}

#[test]
fn broken_principle_scripts() {
    insta::glob!("data/failures/scripts/*.rhai", |path| {
        let dir = TempDir::new("script");
        let bytes = std::fs::read(path).expect("the case is readable");
        insta::assert_snapshot!(script_case(&dir, |p| {
            std::fs::write(p, &bytes).expect("the script can be written");
        }));
    });
}

/// What a path is made into for a case.
#[derive(Clone, Copy, Debug)]
enum Special {
    Folder,
    NamedPipe,
    DevZero,
    BrokenLink,
    Missing,
}

const SPECIALS: [(Special, &str); 5] = [
    (Special::Folder, "folder"),
    (Special::NamedPipe, "named_pipe"),
    (Special::DevZero, "dev_zero"),
    (Special::BrokenLink, "broken_link"),
    (Special::Missing, "missing"),
];

/// Makes `path` into `special`; returns the path to give the binary,
/// relative to `path`'s folder (`/dev/zero` itself for a rule file or a
/// proposal; for a script, a link to it inside the folder).
fn make(path: &Path, special: Special, script: bool) -> PathBuf {
    match special {
        Special::Folder => std::fs::create_dir(path).expect("mkdir"),
        Special::NamedPipe => {
            let status = std::process::Command::new("mkfifo")
                .arg(path)
                .status()
                .expect("mkfifo runs (the failure suite needs it)");
            assert!(status.success(), "mkfifo {}: {status}", path.display());
        }
        Special::DevZero if script => {
            std::os::unix::fs::symlink("/dev/zero", path).expect("symlink");
        }
        Special::DevZero => return PathBuf::from("/dev/zero"),
        Special::BrokenLink => {
            std::os::unix::fs::symlink(path.with_extension("gone"), path).expect("symlink");
        }
        Special::Missing => {}
    }
    PathBuf::from(path.file_name().unwrap_or_default())
}

#[test]
fn special_files_are_refused_without_waiting() {
    for (special, label) in SPECIALS {
        let dir = TempDir::new(label);
        let rules = make(&dir.path.join("r.mandate"), special, false);
        let text = rules_case(&dir.path, &rules);
        insta::assert_snapshot!(format!("rules_{label}"), dir.normalise(&text));

        let dir = TempDir::new(label);
        let proposal = make(&dir.path.join("p.json"), special, false);
        let text = proposal_case(&dir.path, &proposal);
        insta::assert_snapshot!(format!("proposal_{label}"), dir.normalise(&text));

        let dir = TempDir::new(label);
        let text = script_case(&dir, |p| {
            make(p, special, true);
        });
        insta::assert_snapshot!(format!("script_{label}"), text);
    }
}

#[test]
fn symbolic_links_to_files_are_followed() {
    let dir = TempDir::new("links");
    let real = dir.write(
        "real/r.mandate",
        std::fs::read(in_crate(OK_RULES)).expect("ok.mandate"),
    );
    std::os::unix::fs::symlink(&real, dir.path.join("r.mandate")).expect("symlink");
    std::os::unix::fs::symlink(in_crate(OK_PROPOSAL), dir.path.join("p.json")).expect("symlink");
    let run = mandate_in(
        &dir.path,
        &["check", "r.mandate", "p.json", "--as", "a", "--exit-code"],
        None,
    );
    run.expect_code(0).expect_nothing_hidden();
    assert!(run.out().starts_with("AGREE"), "{}", run.out());
}

/// Just past each size limit: refused by size, read no further.
#[test]
fn files_just_past_the_size_limits() {
    let comment = |size: usize| {
        let mut text = b"//".to_vec();
        text.resize(size - 1, b'x');
        text.push(b'\n');
        text
    };

    let dir = TempDir::new("huge-rules");
    dir.write("r.mandate", comment(mandate::syntax::MAX_FILE_BYTES + 1));
    let text = rules_case(&dir.path, Path::new("r.mandate"));
    insta::assert_snapshot!("rules_too_large", dir.normalise(&text));

    let dir = TempDir::new("huge-proposal");
    let limit = mandate::proposal::MAX_PROPOSAL_BYTES;
    let mut proposal = br#"{"topics": ["x"], "title": ""#.to_vec();
    proposal.resize(limit + 1 - 2, b'x');
    proposal.extend_from_slice(b"\"}");
    assert_eq!(proposal.len(), limit + 1);
    dir.write("p.json", &proposal);
    let text = proposal_case(&dir.path, Path::new("p.json"));
    insta::assert_snapshot!("proposal_too_large", dir.normalise(&text));

    let dir = TempDir::new("huge-script");
    let text = script_case(&dir, |p| {
        std::fs::write(p, comment(mandate::source::MAX_SCRIPT_BYTES + 1)).expect("write");
    });
    insta::assert_snapshot!("script_too_large", text);
}

/// Nesting far past every limit: a clear error, not a stack overflow.
#[test]
fn nesting_far_past_the_limits() {
    let around = |depth: usize, open: &str, inner: &str, close: &str| {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    };
    // Rule files and proposals: far past their limits, well within their
    // sizes.
    const DEEP: usize = 100_000;
    let head = "group \"G\" { place \"P\" }\nrepresentative a \"A\" {\n  may agree x when ";
    let rules = [
        (
            "parentheses",
            format!("{head}{}\n}}\n", around(DEEP, "(", "cost > 1", ")")),
        ),
        (
            "negations",
            format!("{head}{}cost > 1\n}}\n", "not ".repeat(DEEP)),
        ),
        (
            "braces",
            format!("{head}cost > 1 {}\n", around(DEEP, "{", "", "}")),
        ),
    ];
    for (label, text) in rules {
        let dir = TempDir::new(label);
        dir.write("r.mandate", text);
        let text = rules_case(&dir.path, Path::new("r.mandate"));
        insta::assert_snapshot!(format!("rules_deep_{label}"), dir.normalise(&text));
    }

    let proposals = [
        ("lists", around(DEEP, "[", "", "]")),
        ("objects", around(DEEP, "{\"a\": ", "1", "}")),
    ];
    for (label, nested) in proposals {
        let dir = TempDir::new(label);
        dir.write(
            "p.json",
            format!("{{\"title\": \"A\", \"topics\": [\"x\"], \"f\": {nested}}}"),
        );
        let text = proposal_case(&dir.path, Path::new("p.json"));
        insta::assert_snapshot!(format!("proposal_deep_{label}"), dir.normalise(&text));
    }

    // Scripts are smaller (MAX_SCRIPT_BYTES): as deep as fits.
    const DEEP_SCRIPT: usize = 20_000;
    let scripts = [
        ("parentheses", around(DEEP_SCRIPT, "(", "true", ")")),
        ("arrays", around(DEEP_SCRIPT, "[", "", "]")),
        ("blocks", around(DEEP_SCRIPT, "{", "true", "}")),
        ("maps", around(DEEP_SCRIPT, "#{a: ", "1", "}")),
        ("ifs", around(DEEP_SCRIPT, "if true { ", "true", " }")),
        ("closures", format!("{}1", "|| ".repeat(DEEP_SCRIPT))),
        ("unary", format!("{}true", "!".repeat(DEEP_SCRIPT))),
    ];
    for (label, code) in scripts {
        assert!(code.len() <= mandate::source::MAX_SCRIPT_BYTES, "{label}");
        let dir = TempDir::new(label);
        let text = script_case(&dir, |p| std::fs::write(p, &code).expect("write"));
        insta::assert_snapshot!(format!("script_deep_{label}"), text);
    }
}

/// Standard input can be read once: `-` twice is a usage error, found
/// before anything is read.
#[test]
fn standard_input_twice_is_a_usage_error() {
    let run = mandate_in(
        root(),
        &["check", OK_RULES, "-", OK_PROPOSAL, "-", "--as", "a"],
        Some(br#"{"title": "A", "topics": ["x"]}"#),
    );
    run.expect_code(2).expect_nothing_hidden();
    assert!(run.stdout.is_empty(), "{}", run.out());
    insta::assert_snapshot!(run.err());
}

/// A principle script saved with a byte-order mark is accepted, and the
/// fingerprint is still over the file's bytes as the README's recipe
/// (`{ sha256sum < RULES; sha256sum SCRIPT...; } | sha256sum`) reads them.
#[test]
fn a_byte_order_mark_in_a_script_is_accepted_and_fingerprinted_as_written() {
    use sha2::{Digest, Sha256};
    let dir = TempDir::new("bom");
    dir.write("r.mandate", SCRIPT_RULES);
    let script = b"\xef\xbb\xbf// Saved by an editor that writes a byte-order mark.\nproposal.title != \"\"\n";
    dir.write("p.rhai", script);
    let validate = mandate_in(&dir.path, &["validate", "r.mandate"], None);
    validate.expect_code(0);
    assert!(validate.stderr.is_empty(), "{}", validate.err());

    let ok_proposal = in_crate(OK_PROPOSAL);
    let check = mandate_in(
        &dir.path,
        &[
            "check".as_ref(),
            "r.mandate".as_ref(),
            arg(&ok_proposal),
            "--as".as_ref(),
            "a".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
        ],
        None,
    );
    check.expect_code(0);
    let decision: serde_json::Value = serde_json::from_slice(&check.stdout).expect("JSON");
    assert_eq!(
        decision.pointer("/principles/0/result"),
        Some(&serde_json::Value::from("upheld")),
        "{}",
        check.out()
    );
    let hash = |bytes: &[u8]| hex::encode(Sha256::digest(bytes));
    let manifest = format!(
        "{}  -\n{}  p.rhai\n",
        hash(SCRIPT_RULES.as_bytes()),
        hash(script)
    );
    assert_eq!(
        decision.pointer("/mandate/sha256"),
        Some(&serde_json::Value::from(hash(manifest.as_bytes()))),
    );
}
