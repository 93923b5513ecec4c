//! The `mandate` command as a program: the built binary, run with
//! arguments, standard input and environment, its exit code and both of its
//! streams checked.
//!
//! Most cases are data: each `tests/data/cli/<name>.case` is one run, in
//! lines of `key: value` (`#` starts a comment line):
//!
//! - `args:` the arguments, split at spaces (run from the crate root);
//! - `stdin:` a file whose bytes are piped in (else stdin is empty);
//! - `env:` `NAME=VALUE`, set for the run (repeatable);
//! - `exit:` the exit code expected;
//! - `stdout: empty` / `stderr: empty`, or `stdout has: TEXT`,
//!   `stderr has: TEXT`, `stdout lacks: TEXT` (repeatable);
//! - `json: object` or `json: array`: stdout is JSON of that shape;
//! - `decisions: ID/REP=OUTCOME, ...`: stdout is JSON whose decisions are
//!   these, in this order.
//!
//! Every case must say something about both streams, and no output may
//! hold an escape character (stdout and stderr are pipes here, so there is
//! never colour). The expected outcomes are worked out by reading the
//! proposals and the mandate lines they cite, not copied from a run.
//!
//! Beside them: the agenda summary's snapshot, and every shipped proposal
//! the README uses, with its outcome from a table written here by hand.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the crate root with `args`, `stdin` piped in and
/// `env` set; `NO_COLOR` is cleared unless `env` sets it.
fn run(args: &[&str], stdin: Option<&[u8]>, env: &[(String, String)]) -> Output {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_mandate"));
    command
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("cannot start the mandate binary");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    pipe.write_all(stdin.unwrap_or_default())
        .expect("cannot write to the binary's stdin");
    drop(pipe);
    child.wait_with_output().expect("the binary did not finish")
}

/// One `.case` file, parsed.
#[derive(Default)]
struct Case {
    args: Vec<String>,
    stdin: Option<PathBuf>,
    env: Vec<(String, String)>,
    exit: Option<i32>,
    /// (stream, "empty" | "has" | "lacks", text)
    streams: Vec<(String, String, String)>,
    json: Option<String>,
    decisions: Option<Vec<String>>,
}

fn parse_case(path: &Path) -> Case {
    let text = std::fs::read_to_string(path).expect("cannot read the case");
    let mut case = Case::default();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("{}:{}: write `key: value`", path.display(), n + 1));
        match key {
            "args" => case.args = value.split(' ').map(str::to_string).collect(),
            "stdin" => case.stdin = Some(PathBuf::from(value)),
            "env" => {
                let (name, value) = value.split_once('=').expect("env: NAME=VALUE");
                case.env.push((name.to_string(), value.to_string()));
            }
            "exit" => case.exit = Some(value.parse().expect("exit: a number")),
            "stdout" | "stderr" => {
                assert_eq!(value, "empty", "{}:{}", path.display(), n + 1);
                case.streams
                    .push((key.to_string(), "empty".to_string(), String::new()));
            }
            "stdout has" | "stderr has" | "stdout lacks" | "stderr lacks" => {
                let (stream, how) = key.split_once(' ').unwrap_or_default();
                case.streams
                    .push((stream.to_string(), how.to_string(), value.to_string()));
            }
            "json" => case.json = Some(value.to_string()),
            "decisions" => {
                case.decisions = Some(value.split(", ").map(str::to_string).collect());
            }
            other => panic!("{}:{}: unknown key `{other}`", path.display(), n + 1),
        }
    }
    case
}

/// What went wrong with one case, or nothing.
fn check_case(path: &Path) -> Vec<String> {
    let case = parse_case(path);
    let mut failures = Vec::new();
    let Some(exit) = case.exit else {
        return vec!["no `exit:` line".to_string()];
    };
    for stream in ["stdout", "stderr"] {
        let said = case.streams.iter().any(|(s, _, _)| s == stream)
            || (stream == "stdout" && (case.json.is_some() || case.decisions.is_some()));
        if !said {
            failures.push(format!("the case says nothing about {stream}"));
        }
    }
    let stdin = case
        .stdin
        .as_ref()
        .map(|p| std::fs::read(root().join(p)).expect("cannot read the stdin file"));
    let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
    let output = run(&args, stdin.as_deref(), &case.env);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if output.status.code() != Some(exit) {
        failures.push(format!(
            "exit code {:?}, expected {exit}",
            output.status.code()
        ));
    }
    for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        if text.contains('\u{1b}') {
            failures.push(format!("{stream} holds an escape character"));
        }
    }
    for (stream, how, expected) in &case.streams {
        let text = if stream == "stdout" { &stdout } else { &stderr };
        let ok = match how.as_str() {
            "empty" => text.is_empty(),
            "has" => text.contains(expected.as_str()),
            _ => !text.contains(expected.as_str()),
        };
        if !ok {
            failures.push(format!("{stream} {how} {expected:?}"));
        }
    }
    if case.json.is_some() || case.decisions.is_some() {
        match serde_json::from_str::<serde_json::Value>(&stdout) {
            Err(error) => failures.push(format!("stdout is not JSON: {error}")),
            Ok(value) => {
                let shape = if value.is_array() { "array" } else { "object" };
                if let Some(expected) = &case.json {
                    if shape != expected {
                        failures.push(format!("stdout is a JSON {shape}, expected {expected}"));
                    }
                }
                if let Some(expected) = &case.decisions {
                    let list = match value {
                        serde_json::Value::Array(list) => list,
                        one => vec![one],
                    };
                    let got: Vec<String> = list
                        .iter()
                        .map(|d| {
                            format!(
                                "{}/{}={}",
                                d["proposal"].as_str().unwrap_or("?"),
                                d["representative"].as_str().unwrap_or("?"),
                                d["outcome"].as_str().unwrap_or("?")
                            )
                        })
                        .collect();
                    if &got != expected {
                        failures.push(format!("decisions {got:?}, expected {expected:?}"));
                    }
                }
            }
        }
    }
    if !failures.is_empty() {
        failures.push(format!("stdout was:\n{stdout}\nstderr was:\n{stderr}"));
    }
    failures
}

#[test]
fn every_case() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("tests/data/cli"))
        .expect("cannot list tests/data/cli")
        .map(|e| e.expect("cannot list tests/data/cli").path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 30, "only {} cases found", paths.len());
    let failed: Vec<String> = paths
        .iter()
        .filter_map(|path| {
            let failures = check_case(path);
            let name = path.file_name()?.to_string_lossy().into_owned();
            (!failures.is_empty()).then(|| format!("{name}:\n  {}", failures.join("\n  ")))
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failed.len(),
        paths.len(),
        failed.join("\n\n")
    );
}

/// A meeting's agenda (a folder) for every representative: decisions by
/// rule, principle, gate and ownership; a long accented title with an
/// escape character in it.
#[test]
fn summary_of_an_agenda() {
    let output = run(
        &[
            "check",
            "rules/ashdown/ashdown.mandate",
            "tests/data/cli/agenda",
            "--all",
            "--format",
            "summary",
            "--date",
            "2026-11-23",
        ],
        None,
        &[],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let stdout = String::from_utf8(output.stdout).expect("the summary is UTF-8");
    // Columns line up in characters: every line's representative starts at
    // the same character.
    let starts: Vec<Option<usize>> = stdout
        .lines()
        .filter(|l| l.contains("  Dr ") || l.contains("  Chidi "))
        .map(|l| {
            let byte = l.find("  Dr ").or_else(|| l.find("  Chidi "))?;
            Some(l.get(..byte)?.chars().count())
        })
        .collect();
    assert_eq!(starts.len(), 24, "{stdout}");
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{stdout}");
    insta::assert_snapshot!(stdout);
}

/// Every shipped proposal, checked for the representative it names. The
/// outcomes come from reading each proposal against its mandate:
const SHIPPED: &[(&str, &str)] = &[
    // interface.outpatients, cost 30,000 for 6 months: line 163 grants it,
    // line 165 (cost > 50,000) is false.
    ("rules/ashdown/proposals/ag-cardiology.json", "agree"),
    // line 188 refers virtual wards with start_date from 2027-04-01; the
    // proposal starts on 2027-04-01.
    (
        "rules/ashdown/proposals/frailty-virtual-ward-2027.json",
        "refer",
    ),
    // contract.enhanced_services and workload.safe_working: the LMC's
    // (line 26).
    ("rules/ashdown/proposals/phlebotomy-les.json", "redirect"),
    // line 158 refers minor injury units when changes include
    // reduced_hours, which they do.
    (
        "rules/brackenmoor/proposals/saltby-miu-winter-hours.json",
        "refer",
    ),
    // contract.dispensing is the LMC's; the smoking cessation part is
    // granted by line 190; redirect outranks agree.
    (
        "rules/brackenmoor/proposals/stop-smoking-dispensing.json",
        "redirect",
    ),
    // line 211 grants remote consultation at the Digital Programme Board
    // for at most 30,000 with a data sharing agreement: 18,000, true.
    (
        "rules/brackenmoor/proposals/village-video-hubs.json",
        "agree",
    ),
];

fn rules_of(proposal: &str) -> String {
    let place = proposal.split('/').nth(1).expect("rules/<place>/...");
    format!("rules/{place}/{place}.mandate")
}

fn outcome_of(proposal: &str) -> String {
    let rules = rules_of(proposal);
    let output = run(
        &["check", &rules, proposal, "--format", "json", "--exit-code"],
        None,
        &[],
    );
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{proposal}");
    let value: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the decision is JSON");
    let outcome = value["outcome"].as_str().expect("one decision").to_string();
    let code = match outcome.as_str() {
        "agree" => 0,
        "refer" => 3,
        "redirect" => 4,
        _ => 5,
    };
    assert_eq!(output.status.code(), Some(code), "{proposal}");
    outcome
}

#[test]
fn every_shipped_proposal_has_its_outcome() {
    let mut shipped: Vec<String> = ["rules/ashdown/proposals", "rules/brackenmoor/proposals"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root().join(dir)).expect("a proposals folder"))
        .map(|e| {
            let path = e.expect("a folder entry").path();
            let path = path.strip_prefix(root()).expect("inside the crate");
            path.to_string_lossy().replace('\\', "/")
        })
        .filter(|p| p.ends_with(".json"))
        .collect();
    shipped.sort();
    let mut listed: Vec<String> = SHIPPED.iter().map(|(p, _)| p.to_string()).collect();
    listed.sort();
    assert_eq!(shipped, listed, "SHIPPED must list every shipped proposal");
    for (proposal, expected) in SHIPPED {
        assert_eq!(outcome_of(proposal), *expected, "{proposal}");
    }
}

/// Every proposal file the README names, and every outcome its table of
/// examples gives, agree with what the binary says.
#[test]
fn the_readme_proposals() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    // The commands and paths that name a shipped proposal.
    let mut named: Vec<String> = readme
        .split(|c: char| c.is_whitespace() || c == '`' || c == '"' || c == '(' || c == ')')
        .filter(|w| w.starts_with("rules/") && w.contains("/proposals/") && w.ends_with(".json"))
        .map(str::to_string)
        .collect();
    named.sort();
    named.dedup();
    assert!(!named.is_empty(), "the README names no shipped proposal");
    for path in &named {
        let expected = SHIPPED
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, o)| *o)
            .unwrap_or_else(|| panic!("the README names {path}, which SHIPPED does not list"));
        assert_eq!(outcome_of(path), expected, "{path}");
    }
    // The table of examples: "| `NAME.json`: ... | OUTCOME | ... |".
    let mut rows = 0;
    for line in readme.lines() {
        let Some(rest) = line.strip_prefix("| `") else {
            continue;
        };
        let Some((file, rest)) = rest.split_once(".json`") else {
            continue;
        };
        let a_name = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if !file.chars().all(a_name) {
            continue;
        }
        let Some(outcome) = rest.split('|').nth(1).map(str::trim) else {
            continue;
        };
        let path = SHIPPED
            .iter()
            .map(|(p, _)| *p)
            .find(|p| p.ends_with(&format!("/{file}.json")))
            .unwrap_or_else(|| panic!("the README's table names {file}.json, not shipped"));
        assert_eq!(
            outcome_of(path),
            outcome,
            "the README's table row for {file}.json"
        );
        rows += 1;
    }
    assert!(rows >= 3, "the README's table of examples has {rows} rows");
    // Its first command, as written.
    let first = readme
        .lines()
        .find(|l| l.starts_with("cargo run -- check "))
        .expect("the README opens with a check");
    let args: Vec<&str> = first
        .trim_start_matches("cargo run -- ")
        .split(' ')
        .collect();
    let output = run(&args, None, &[]);
    assert_eq!(output.status.code(), Some(0), "{first}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("AGREE: "));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// Each example output in the README is what the binary prints today: a
/// fenced `mandate check ...` command (or a sentence "`mandate check ...`
/// prints:" or "`mandate analyze ...` prints:") followed by a fenced block of its output. When output changes
/// on purpose, paste the new output into the README.
#[test]
fn the_readme_example_outputs() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let lines: Vec<&str> = readme.lines().collect();
    // (command, expected output)
    let mut examples: Vec<(String, String)> = Vec::new();
    let fence = |i: usize| lines.get(i).is_some_and(|l| l.starts_with("```"));
    let block_at = |start: usize| -> Option<(String, usize)> {
        // `start` is an opening fence; the block's text and the index
        // after its closing fence.
        let end = (start + 1..lines.len()).find(|&i| fence(i))?;
        let text: Vec<&str> = lines.get(start + 1..end)?.to_vec();
        Some((text.join("\n") + "\n", end + 1))
    };
    let mut i = 0;
    while i < lines.len() {
        let line = lines.get(i).copied().unwrap_or_default();
        let sentence = ["check", "analyze"].iter().find_map(|c| {
            line.strip_prefix(&format!("`mandate {c} "))
                .and_then(|rest| rest.strip_suffix("` prints:"))
                .map(|args| format!("{c} {args}"))
        });
        let command = if sentence.is_some() {
            sentence
        } else if fence(i) && lines.get(i + 2).is_some_and(|l| l.starts_with("```")) {
            lines
                .get(i + 1)
                .and_then(|l| l.strip_prefix("mandate check "))
                .map(|args| format!("check {args}"))
        } else {
            None
        };
        let Some(command) = command else {
            i += 1;
            continue;
        };
        // After the sentence, or after the command's closing fence.
        let after = if fence(i) { i + 3 } else { i + 1 };
        let next = (after..lines.len()).find(|&j| !lines.get(j).unwrap_or(&"x").is_empty());
        match next.filter(|&j| fence(j)).and_then(block_at) {
            Some((expected, end)) => {
                examples.push((command, expected));
                i = end;
            }
            None => i += 1,
        }
    }
    assert!(
        examples.len() >= 2,
        "found {} example outputs in the README: {:?}",
        examples.len(),
        examples.iter().map(|(c, _)| c).collect::<Vec<_>>()
    );
    for (command, expected) in &examples {
        let args: Vec<&str> = command.split(' ').collect();
        let output = run(&args, None, &[]);
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            *expected,
            "the README's output of `mandate {command}` is not what it prints"
        );
    }
}

/// A generated 10,000-rule mandate with 1,000 warnings (grants on topics an
/// organisation owns): `validate` exits 0 and says more were not shown,
/// and `check` checks it normally.
#[test]
fn many_warnings_validate_and_check_as_a_program() {
    let dir = std::env::temp_dir().join(format!("mandate-cli-warnings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::from(
        "group \"Generated\" { }\norganisation trust \"The Trust\" { owns estates }\n",
    );
    for rep in 0..10 {
        text.push_str(&format!("representative r{rep} \"Rep {rep}\" {{\n"));
        for rule in 0..1000 {
            let area = if rule % 10 == 0 {
                "estates"
            } else {
                "services"
            };
            text.push_str(&format!("  may agree {area}.t{rep}_{rule}\n"));
        }
        text.push_str("}\n");
    }
    let rules = dir.join("generated.mandate");
    std::fs::write(&rules, text).unwrap();
    let proposal = dir.join("p.json");
    std::fs::write(
        &proposal,
        r#"{"title": "T", "topics": ["services.t3_1"], "date": "2026-12-03"}"#,
    )
    .unwrap();
    let rules = rules.to_str().unwrap();

    let validated = run(&["validate", rules], None, &[]);
    let stdout = String::from_utf8_lossy(&validated.stdout);
    assert_eq!(validated.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.ends_with("ok (0 errors, 500 warnings, and more not shown)\n"),
        "{stdout}"
    );

    let checked = run(
        &[
            "check",
            rules,
            proposal.to_str().unwrap(),
            "--as",
            "r3",
            "--exit-code",
        ],
        None,
        &[],
    );
    assert_eq!(checked.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&checked.stdout).starts_with("AGREE: Rep 3 may agree to \"T\".")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `mandate fmt` writing files: the formatted text replaces the file (the
/// library's layout, permissions kept, no temporary file left); a file
/// already formatted is not rewritten; a file that does not parse is left
/// byte for byte; several files are each handled.
#[cfg(unix)]
#[test]
fn fmt_rewrites_only_what_changes_and_keeps_permissions() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let loose = dir.path().join("loose.mandate");
    let tidy = dir.path().join("tidy.mandate");
    let broken = dir.path().join("broken.mandate");
    let loose_text =
        std::fs::read_to_string(root().join("tests/data/cli/fmt_data/unformatted.mandate"))
            .expect("the fixture");
    let tidy_text =
        std::fs::read_to_string(root().join("tests/data/cli/fmt_data/formatted.mandate"))
            .expect("the fixture");
    let broken_bytes =
        std::fs::read(root().join("tests/data/cli/broken.mandate")).expect("the fixture");
    std::fs::write(&loose, &loose_text).expect("write");
    std::fs::write(&tidy, &tidy_text).expect("write");
    std::fs::write(&broken, &broken_bytes).expect("write");
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let tidy_inode = std::fs::metadata(&tidy).expect("stat").ino();

    let paths = [&loose, &tidy, &broken].map(|p| p.to_string_lossy().into_owned());
    let output = run(&["fmt", &paths[0], &paths[1], &paths[2]], None, &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "the broken file fails the run\n{stderr}"
    );
    assert_eq!(stdout, format!("formatted {}\n", paths[0]));
    assert!(
        stderr.contains(&format!("{} was left as it is.", paths[2])),
        "{stderr}"
    );

    let written = std::fs::read_to_string(&loose).expect("read");
    assert_eq!(
        written,
        mandate::format::format(&loose_text).expect("formats")
    );
    assert_eq!(
        std::fs::metadata(&loose)
            .expect("stat")
            .permissions()
            .mode()
            & 0o777,
        0o640
    );
    assert_eq!(
        std::fs::metadata(&tidy).expect("stat").ino(),
        tidy_inode,
        "rewritten"
    );
    assert_eq!(std::fs::read(&broken).expect("read"), broken_bytes);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 3, "a temporary file was left: {names:?}");

    // Formatted, the file passes --check; --check and --diff write nothing.
    let check = run(&["fmt", "--check", &paths[0], &paths[1]], None, &[]);
    assert_eq!(check.status.code(), Some(0));
    std::fs::write(&loose, &loose_text).expect("write");
    // A file named twice is done once.
    let twice = run(&["fmt", "--check", &paths[0], &paths[0]], None, &[]);
    assert_eq!(String::from_utf8_lossy(&twice.stdout).lines().count(), 1);
    for flag in ["--check", "--diff"] {
        let _ = run(&["fmt", flag, &paths[0]], None, &[]);
        assert_eq!(
            std::fs::read_to_string(&loose).expect("read"),
            loose_text,
            "{flag} wrote"
        );
    }
}
