//! The decision record (the README's "A record nobody can quietly edit"):
//! one JSON line per decision a representative relied on, each chained to
//! the one before by its hash, so that an edited, removed, inserted or
//! reordered line is found at its line.
//!
//! Owns the entry's form, its hash (SHA-256 of the entry's RFC 8785
//! canonical JSON without `hash`, through `serde_json_canonicalizer`, so
//! anyone can recompute it in any language), appending (one write of whole
//! lines under an exclusive lock, then fsync; a torn or edited last line
//! refuses the append), and verifying a whole file.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

mod recheck;
pub mod show;
pub use recheck::{facts, recheck, Unborne};

use crate::check::Decision;
use crate::proposal::Proposal;
use crate::visible::visible_path;

/// The `prev` of the first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The keys every entry has, besides `hash`.
pub const KEYS: [&str; 8] = [
    "recorded_at",
    "day",
    "proposal_id",
    "representative",
    "proposal",
    "decision",
    "mandate_sha256",
    "prev",
];

/// Most bytes read from the end of a record to find its last line.
const MAX_LINE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a record could not be appended to or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The file or its folder could not be opened, read, written or synced.
    #[error("{file}: {message}")]
    Io {
        /// The file.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// The record is not intact where the append would go: nothing was
    /// written.
    #[error("{file}: line {line}: {problem}; nothing was added to it")]
    Broken {
        /// The file.
        file: String,
        /// The line.
        line: usize,
        /// What is wrong there.
        problem: Problem,
    },
}

impl RecordError {
    /// What to do instead.
    pub fn help(&self) -> String {
        match self {
            RecordError::Io { .. } => "check that the folder exists and you may write there, or record to another file with --record".into(),
            RecordError::Broken { .. } => "run `mandate record verify` on the file to see what happened, and keep it as evidence; start a new record file rather than repair this one".into(),
        }
    }
}

/// What is wrong with a line of a record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The file ends without a newline: the last line was cut short (a
    /// crash while writing, or a truncation).
    #[error("the line is cut short (the file does not end with a newline)")]
    Torn,
    /// Not JSON.
    #[error("the line is not JSON ({message})")]
    NotJson {
        /// serde_json's message.
        message: String,
    },
    /// JSON, but not an entry.
    #[error("the line is not a record entry: {why}")]
    NotAnEntry {
        /// What is missing or wrong.
        why: String,
    },
    /// Its hash is not the hash of its contents: it was edited.
    #[error("the line was edited after it was recorded (its hash does not match its contents)")]
    Edited,
    /// Its `prev` is not the hash of the line before it: a line was removed,
    /// inserted or moved here.
    #[error("the chain breaks here: a line before it was removed, or this line was inserted or moved (its `prev` is not the hash of the line before it)")]
    ChainBroken,
}

/// What a check adds to the record.
#[derive(Debug, Clone)]
pub struct Draft {
    /// When it is recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The day the check was made for (YYYY-MM-DD).
    pub day: String,
    /// The proposal's id.
    pub proposal_id: String,
    /// The representative's id.
    pub representative: String,
    /// The proposal in full, as given.
    pub proposal: Value,
    /// The decision, as its JSON.
    pub decision: Value,
    /// The mandate's sha256.
    pub mandate_sha256: String,
}

impl Draft {
    /// The draft of one decision on one proposal, recorded at `recorded_at`.
    pub fn of(
        proposal: &Proposal,
        decision: &Decision,
        recorded_at: String,
    ) -> Result<Draft, serde_json::Error> {
        Ok(Draft {
            recorded_at,
            day: decision.date.clone(),
            proposal_id: decision.proposal.clone(),
            representative: decision.representative.clone(),
            proposal: Value::Object(proposal.fields.clone()),
            decision: serde_json::to_value(decision)?,
            mandate_sha256: decision.mandate.sha256.clone(),
        })
    }
}

/// The time now, as an entry records it: RFC 3339 in UTC, to the second.
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The hash of an entry: SHA-256 (lowercase hex) of the RFC 8785 canonical
/// JSON of the entry without its `hash` key.
pub fn entry_hash(entry: &Map<String, Value>) -> Result<String, serde_json::Error> {
    let mut without = entry.clone();
    without.remove("hash");
    let canonical = serde_json_canonicalizer::to_vec(&Value::Object(without))?;
    Ok(hex::encode(Sha256::digest(&canonical)))
}

/// Appends one entry per draft to the record at `path` (made when missing),
/// chained after its last line, and gives the new head. The last line is
/// checked first: a record that ends cut short, or whose last line was
/// edited, is refused and left as it is. The lines are written in one
/// write, under an exclusive lock, and synced before this returns.
pub fn append(path: &Path, drafts: &[Draft]) -> Result<String, RecordError> {
    let file_name = visible_path(path);
    let io = |e: std::io::Error| RecordError::Io {
        file: file_name.clone(),
        message: e.to_string(),
    };
    let created = !path.exists();
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)
        .map_err(io)?;
    file.lock().map_err(io)?;
    let (mut prev, _) = last_hash(&mut file, &file_name)?;
    let mut text = String::new();
    for draft in drafts {
        let mut entry = Map::new();
        entry.insert(
            "recorded_at".into(),
            Value::String(draft.recorded_at.clone()),
        );
        entry.insert("day".into(), Value::String(draft.day.clone()));
        entry.insert(
            "proposal_id".into(),
            Value::String(draft.proposal_id.clone()),
        );
        entry.insert(
            "representative".into(),
            Value::String(draft.representative.clone()),
        );
        entry.insert("proposal".into(), draft.proposal.clone());
        entry.insert("decision".into(), draft.decision.clone());
        entry.insert(
            "mandate_sha256".into(),
            Value::String(draft.mandate_sha256.clone()),
        );
        entry.insert("prev".into(), Value::String(prev.clone()));
        let hash = entry_hash(&entry).map_err(|e| io(std::io::Error::other(e)))?;
        entry.insert("hash".into(), Value::String(hash.clone()));
        let line = serde_json::to_string(&Value::Object(entry))
            .map_err(|e| io(std::io::Error::other(e)))?;
        text.push_str(&line);
        text.push('\n');
        prev = hash;
    }
    file.write_all(text.as_bytes()).map_err(io)?;
    file.flush().map_err(io)?;
    file.sync_all().map_err(io)?;
    if created {
        sync_folder(path).map_err(io)?;
    }
    file.unlock().map_err(io)?;
    Ok(prev)
}

fn sync_folder(path: &Path) -> std::io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    File::open(folder)?.sync_all()
}

/// The hash of the record's last line (the genesis value for an empty
/// record) and how many lines it has, checking that line: whole, an entry,
/// and not edited.
fn last_hash(file: &mut File, name: &str) -> Result<(String, usize), RecordError> {
    let io = |e: std::io::Error| RecordError::Io {
        file: name.to_string(),
        message: e.to_string(),
    };
    let len = file.seek(SeekFrom::End(0)).map_err(io)?;
    if len == 0 {
        return Ok((GENESIS.to_string(), 0));
    }
    // Read back from the end far enough to hold the last line.
    let start = len.saturating_sub(MAX_LINE_BYTES);
    file.seek(SeekFrom::Start(start)).map_err(io)?;
    let mut tail = Vec::new();
    file.take(len - start).read_to_end(&mut tail).map_err(io)?;
    // Lines are counted from the whole file, for the message.
    let lines_before = if start == 0 {
        0
    } else {
        count_lines(file, start).map_err(io)?
    };
    let broken = |line: usize, problem: Problem| RecordError::Broken {
        file: name.to_string(),
        line,
        problem,
    };
    let newlines = tail.iter().filter(|b| **b == b'\n').count();
    if tail.last() != Some(&b'\n') {
        return Err(broken(lines_before + newlines + 1, Problem::Torn));
    }
    let body = tail.get(..tail.len() - 1).unwrap_or_default();
    let last = match body.iter().rposition(|b| *b == b'\n') {
        Some(i) => body.get(i + 1..).unwrap_or_default(),
        None if start == 0 => body,
        None => {
            return Err(broken(
                lines_before + 1,
                Problem::NotAnEntry {
                    why: format!("the line is longer than {MAX_LINE_BYTES} bytes"),
                },
            ))
        }
    };
    let line = lines_before + newlines;
    let entry = parse_entry(last).map_err(|problem| broken(line, problem))?;
    let hash = entry
        .get("hash")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    Ok((hash, line))
}

fn count_lines(file: &mut File, upto: u64) -> std::io::Result<usize> {
    file.seek(SeekFrom::Start(0))?;
    let mut head = Vec::new();
    file.take(upto).read_to_end(&mut head)?;
    Ok(head.iter().filter(|b| **b == b'\n').count())
}

/// One line as an entry: JSON, an object with every key, and a hash that
/// matches its contents.
fn parse_entry(line: &[u8]) -> Result<Map<String, Value>, Problem> {
    let value: Value = serde_json::from_slice(line).map_err(|e| Problem::NotJson {
        message: e.to_string(),
    })?;
    let Value::Object(entry) = value else {
        return Err(Problem::NotAnEntry {
            why: "it is not a JSON object".into(),
        });
    };
    for key in KEYS.iter().chain(&["hash"]) {
        if !entry.contains_key(*key) {
            return Err(Problem::NotAnEntry {
                why: format!("it has no `{key}`"),
            });
        }
    }
    let stated = entry
        .get("hash")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let actual = entry_hash(&entry).map_err(|e| Problem::NotJson {
        message: e.to_string(),
    })?;
    if stated != actual {
        return Err(Problem::Edited);
    }
    Ok(entry)
}

/// A record that verified: how many entries, and the head (the last
/// entry's hash, or the genesis value for an empty record).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Verified {
    /// How many entries.
    pub entries: usize,
    /// The last entry's hash.
    pub head: String,
    /// Each entry's hash, in order.
    pub hashes: Vec<String>,
}

/// The first line of a record that is not as it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tampered {
    /// The line (1-based).
    pub line: usize,
    /// What is wrong there.
    pub problem: Problem,
}

/// One entry of a record: its line number and its JSON object.
pub type Entry = (usize, Map<String, Value>);

/// The entries of an intact record, each with its line number.
pub fn entries(text: &[u8]) -> Result<Vec<Entry>, Tampered> {
    read(text).map(|(_, entries)| entries)
}

/// Checks every line of a record's text and the chain between them.
pub fn verify_text(text: &[u8]) -> Result<Verified, Tampered> {
    read(text).map(|(verified, _)| verified)
}

/// Checks every line of a record's text and the chain between them, and
/// gives the entries too, each read once.
pub fn read(text: &[u8]) -> Result<(Verified, Vec<Entry>), Tampered> {
    let mut hashes = Vec::new();
    let mut entries = Vec::new();
    let mut prev = GENESIS.to_string();
    if text.is_empty() {
        let verified = Verified {
            entries: 0,
            head: prev,
            hashes,
        };
        return Ok((verified, entries));
    }
    let ends_whole = text.last() == Some(&b'\n');
    let body = if ends_whole {
        text.get(..text.len() - 1).unwrap_or_default()
    } else {
        text
    };
    let lines: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        let number = i + 1;
        if number == count && !ends_whole {
            return Err(Tampered {
                line: number,
                problem: Problem::Torn,
            });
        }
        let entry = parse_entry(line).map_err(|problem| Tampered {
            line: number,
            problem,
        })?;
        if entry.get("prev").and_then(Value::as_str) != Some(prev.as_str()) {
            return Err(Tampered {
                line: number,
                problem: Problem::ChainBroken,
            });
        }
        prev = entry
            .get("hash")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        hashes.push(prev.clone());
        entries.push((number, entry));
    }
    let verified = Verified {
        entries: hashes.len(),
        head: prev,
        hashes,
    };
    Ok((verified, entries))
}
