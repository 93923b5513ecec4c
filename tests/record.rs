//! The decision record: appends chain, every kind of tampering is found at
//! its line, a record cut short at any byte of its last line is reported
//! as torn and refuses further appends, and concurrent appenders never
//! fork the chain.

use mandate::record::{append, entry_hash, verify_text, Draft, Problem, GENESIS};
use mandate::{Mandate, Proposal};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

fn mandate() -> Mandate {
    Mandate::load(&root().join("rules/ashdown/ashdown.mandate"), day())
        .mandate
        .unwrap()
}

/// A draft for proposal number `n`, checked for patel.
fn draft(mandate: &Mandate, n: usize) -> Draft {
    let text = format!(
        r#"{{"title": "Pilot {n}", "topics": ["interface.outpatients"], "forum": "Acute Trust Interface Group", "cost": {}, "duration_months": 6}}"#,
        n * 10_000
    );
    let proposal = Proposal::from_json(&text, &format!("p{n}")).unwrap();
    let decision = mandate.check(&proposal, "patel", day()).unwrap();
    Draft::of(&proposal, &decision, "2026-12-01T10:00:00Z".into()).unwrap()
}

fn record(dir: &Path, entries: usize) -> PathBuf {
    let mandate = mandate();
    let path = dir.join("record.jsonl");
    for n in 0..entries {
        append(&path, &[draft(&mandate, n)]).unwrap();
    }
    path
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn write_lines(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

fn verify(path: &Path) -> Result<mandate::record::Verified, mandate::record::Tampered> {
    verify_text(&std::fs::read(path).unwrap())
}

#[test]
fn appends_chain_from_the_genesis_value_and_every_hash_recomputes() {
    let dir = tempfile::tempdir().unwrap();
    let path = record(dir.path(), 4);
    let verified = verify(&path).unwrap();
    assert_eq!(verified.entries, 4);
    let entries: Vec<serde_json::Map<String, Value>> = lines(&path)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries[0]["prev"], GENESIS);
    for pair in entries.windows(2) {
        assert_eq!(pair[1]["prev"], pair[0]["hash"]);
    }
    for entry in &entries {
        assert_eq!(entry["hash"].as_str().unwrap(), entry_hash(entry).unwrap());
        assert_eq!(entry["representative"], "patel");
        assert!(entry["proposal"]["title"]
            .as_str()
            .unwrap()
            .starts_with("Pilot"));
        assert!(entry["decision"]["outcome"].is_string());
    }
    assert_eq!(verified.head, entries[3]["hash"].as_str().unwrap());
}

/// Each kind of tampering, and the line it must be found at.
#[test]
fn every_kind_of_tampering_is_found_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = record(dir.path(), 4);
    let original = lines(&path);
    let edit = |i: usize, f: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut out = original.clone();
        let mut entry: serde_json::Map<String, Value> = serde_json::from_str(&out[i]).unwrap();
        f(&mut entry);
        out[i] = serde_json::to_string(&entry).unwrap();
        out
    };
    let cases: Vec<(&str, Vec<String>, usize, Problem)> = vec![
        (
            "a field edited",
            edit(1, &|e| {
                e.insert("representative".into(), "hughes".into());
            }),
            2,
            Problem::Edited,
        ),
        (
            "the decision edited",
            edit(2, &|e| {
                e["decision"]["outcome"] = "agree".into();
                e["decision"]["reasons"] = Value::Array(Vec::new());
            }),
            3,
            Problem::Edited,
        ),
        (
            "the last line edited",
            edit(3, &|e| {
                e.insert("day".into(), "2026-12-31".into());
            }),
            4,
            Problem::Edited,
        ),
        (
            "a mandate hash changed",
            edit(0, &|e| {
                e.insert("mandate_sha256".into(), "0".repeat(64).into());
            }),
            1,
            Problem::Edited,
        ),
        (
            "an edit with its hash recomputed",
            edit(1, &|e| {
                e.insert("representative".into(), "hughes".into());
                let hash = entry_hash(e).unwrap();
                e.insert("hash".into(), hash.into());
            }),
            3,
            Problem::ChainBroken,
        ),
        (
            "a line deleted",
            [&original[..1], &original[2..]].concat(),
            2,
            Problem::ChainBroken,
        ),
        (
            "a line inserted",
            [&original[..2], &original[..1], &original[2..]].concat(),
            3,
            Problem::ChainBroken,
        ),
        (
            "two lines swapped",
            vec![
                original[0].clone(),
                original[2].clone(),
                original[1].clone(),
                original[3].clone(),
            ],
            2,
            Problem::ChainBroken,
        ),
        (
            "the first line deleted",
            original[1..].to_vec(),
            1,
            Problem::ChainBroken,
        ),
    ];
    for (what, text, line, problem) in cases {
        write_lines(&path, &text);
        let tampered = verify(&path).expect_err(what);
        assert_eq!((tampered.line, tampered.problem), (line, problem), "{what}");
    }
    // Garbage after the last line.
    let mut garbage = original.clone();
    garbage.push("not json at all".into());
    write_lines(&path, &garbage);
    let tampered = verify(&path).unwrap_err();
    assert_eq!(tampered.line, 5);
    assert!(matches!(tampered.problem, Problem::NotJson { .. }));
    // JSON that is not an entry.
    let mut other = original.clone();
    other.push("{\"a\": 1}".into());
    write_lines(&path, &other);
    let tampered = verify(&path).unwrap_err();
    assert_eq!(tampered.line, 5);
    assert!(matches!(tampered.problem, Problem::NotAnEntry { .. }));
}

/// For every byte offset inside the last line, a record cut there is torn
/// at that line, and appending to it is refused and leaves it as it is.
/// Cut at the start of the line, the record verifies with one entry fewer
/// and an older head: the published head catches that.
#[test]
fn a_record_cut_at_any_byte_of_its_last_line_is_torn_and_refuses_appends() {
    let dir = tempfile::tempdir().unwrap();
    let path = record(dir.path(), 3);
    let whole = std::fs::read(&path).unwrap();
    let head = verify(&path).unwrap().head;
    let last_start = whole[..whole.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap()
        + 1;
    let mandate = mandate();
    let extra = draft(&mandate, 9);
    for cut in last_start..whole.len() {
        std::fs::write(&path, &whole[..cut]).unwrap();
        if cut == last_start {
            let verified = verify(&path).unwrap();
            assert_eq!(verified.entries, 2);
            assert!(
                !verified.hashes.contains(&head),
                "the published head is gone"
            );
            continue;
        }
        let tampered = verify(&path).unwrap_err();
        assert_eq!(tampered.line, 3, "cut at {cut}");
        assert_eq!(tampered.problem, Problem::Torn, "cut at {cut}");
        let refused = append(&path, std::slice::from_ref(&extra)).unwrap_err();
        assert!(
            matches!(
                refused,
                mandate::record::RecordError::Broken {
                    line: 3,
                    problem: Problem::Torn,
                    ..
                }
            ),
            "cut at {cut}: {refused:?}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            &whole[..cut],
            "cut at {cut}: changed"
        );
    }
}

#[test]
fn an_edited_last_line_refuses_appends() {
    let dir = tempfile::tempdir().unwrap();
    let path = record(dir.path(), 2);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"patel\"", "\"hughes\"");
    std::fs::write(&path, &text).unwrap();
    let refused = append(&path, &[draft(&mandate(), 5)]).unwrap_err();
    assert!(matches!(
        refused,
        mandate::record::RecordError::Broken {
            line: 2,
            problem: Problem::Edited,
            ..
        }
    ));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn threads_appending_at_once_make_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.jsonl");
    let mandate = std::sync::Arc::new(mandate());
    let (threads, each) = (4, 8);
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (path, mandate) = (&path, mandate.clone());
            scope.spawn(move || {
                for n in 0..each {
                    append(path, &[draft(&mandate, t * 100 + n)]).unwrap();
                }
            });
        }
    });
    assert_eq!(verify(&path).unwrap().entries, threads * each);
}

#[test]
fn processes_appending_at_once_make_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.jsonl");
    let bin = env!("CARGO_BIN_EXE_mandate");
    let children: Vec<_> = (0..4)
        .map(|_| {
            std::process::Command::new(bin)
                .args([
                    "check",
                    "rules/ashdown/ashdown.mandate",
                    "rules/ashdown/proposals/",
                    "--all",
                    "--date",
                    "2026-12-01",
                    "--format",
                    "summary",
                    "--record",
                ])
                .arg(&path)
                .current_dir(root())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let verified = verify(&path).unwrap();
    // Every run records each shipped proposal for each representative.
    assert_eq!(verified.entries % 4, 0);
    assert!(verified.entries >= 4 * 3);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
    /// Any sequence of appends, of any sizes, verifies.
    #[test]
    fn any_sequence_of_appends_verifies(batches in proptest::collection::vec(0usize..4, 1..6)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("record.jsonl");
        let mandate = mandate();
        let mut total = 0;
        let mut head = GENESIS.to_string();
        for (b, size) in batches.iter().enumerate() {
            let drafts: Vec<Draft> = (0..*size).map(|n| draft(&mandate, b * 10 + n)).collect();
            head = append(&path, &drafts).unwrap();
            total += size;
        }
        let verified = verify(&path).unwrap();
        prop_assert_eq!(verified.entries, total);
        prop_assert_eq!(verified.head, head);
    }
}

/// `recheck`: a record made by this mandate is borne out by it; one whose
/// decision says otherwise (recorded with a consistent hash) is flagged at
/// its line with the fact that differs; reworded reasons are not; a line
/// naming another mandate is reported.
#[test]
fn a_record_is_checked_again_against_its_mandate_by_facts_not_words() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.jsonl");
    let ashdown = mandate();
    let mut reworded = draft(&ashdown, 1);
    reworded.decision["reasons"] = serde_json::json!(["Said better in a later release."]);
    let mut altered = draft(&ashdown, 2);
    altered.decision["outcome"] = "decline".into();
    append(&path, &[draft(&ashdown, 0), reworded, altered]).unwrap();
    let entries = mandate::record::entries(&std::fs::read(&path).unwrap()).unwrap();
    let unborne = mandate::record::recheck(&entries, &[&ashdown]);
    assert_eq!(unborne.len(), 1, "{unborne:?}");
    match &unborne[0] {
        mandate::record::Unborne::Differs { line, differences } => {
            assert_eq!(*line, 3);
            assert!(
                differences[0].starts_with("outcome: recorded \"decline\", now \"agree\""),
                "{differences:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    let brackenmoor = Mandate::load(&root().join("rules/brackenmoor/brackenmoor.mandate"), day())
        .mandate
        .unwrap();
    let unknown = mandate::record::recheck(&entries, &[&brackenmoor]);
    assert_eq!(unknown.len(), 3);
    assert!(unknown
        .iter()
        .all(|u| matches!(u, mandate::record::Unborne::UnknownMandate { .. })));
}

/// `record show`: rows filtered by representative and day; CSV has a
/// header and neutralises cells a spreadsheet would run as formulas;
/// Markdown escapes `|`.
#[test]
fn a_record_is_shown_as_rows_and_csv_cannot_run_formulas() {
    use mandate::record::show;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.jsonl");
    let ashdown = mandate();
    let text = r#"{"title": "=HYPERLINK(\"http://x\") | pipe", "topics": ["interface.outpatients"], "forum": "Acute Trust Interface Group", "date": "2026-12-10", "cost": 1000, "duration_months": 6}"#;
    let proposal = Proposal::from_json(text, "-1+1").unwrap();
    let decision = ashdown.check(&proposal, "patel", day()).unwrap();
    let hostile = Draft::of(&proposal, &decision, "2026-12-01T10:00:00Z".into()).unwrap();
    append(&path, &[draft(&ashdown, 0), hostile]).unwrap();
    let entries = mandate::record::entries(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(show::rows(&entries, Some("patel"), None, None).len(), 2);
    assert_eq!(show::rows(&entries, Some("hughes"), None, None).len(), 0);
    let since = chrono::NaiveDate::from_ymd_opt(2026, 12, 5);
    let later = show::rows(&entries, None, since, None);
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].outcome, "agree");
    assert!(later[0].report_back.starts_with("Report this agreement"));
    let csv = show::csv(&later).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        show::COLUMNS
    );
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[4], "'-1+1");
    assert_eq!(&row[5], "'=HYPERLINK(\"http://x\") | pipe");
    assert_eq!(show::neutralised("@SUM(A1)"), "'@SUM(A1)");
    assert_eq!(show::neutralised("+1"), "'+1");
    assert_eq!(show::neutralised("plain"), "plain");
    let markdown = show::markdown(&later);
    assert!(markdown.contains("=HYPERLINK(\"http://x\") \\| pipe"));
}
