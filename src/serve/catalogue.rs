//! The mandates a server was started with: each loaded once, reloaded when
//! its rule file or one of its scripts changes on disk, the last good
//! version kept (with the new version's diagnostics) when a change does
//! not validate; and what the page and `GET /api/mandates` show of them.

use crate::check::Whom;
use crate::compile::{Expr, Operand, Value};
use crate::{Diagnostic, Mandate};
use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One served mandate file.
pub(crate) struct Served {
    /// Its id on the page and in the API: the file's stem, made unique.
    pub id: String,
    /// The path it was started with.
    pub path: PathBuf,
    state: Mutex<Current>,
}

/// What is being served for one file now.
#[derive(Clone)]
pub(crate) struct Current {
    /// The last version that loaded without errors, and its text.
    pub good: Option<Good>,
    /// The diagnostics of the version on disk when it does not load
    /// (empty when the version served is the one on disk).
    pub problems: Vec<Diagnostic>,
    /// The texts of those diagnostics' files, to draw them against.
    pub problem_sources: Vec<crate::source::SourceFile>,
    /// A digest of the files read for the version on disk.
    digest: [u8; 32],
}

/// A version that loaded.
#[derive(Clone)]
pub(crate) struct Good {
    /// The compiled mandate.
    pub mandate: Arc<Mandate>,
    /// The rule file's text, to show the lines reasons cite.
    pub text: Arc<str>,
}

impl Served {
    fn new(id: String, path: PathBuf, today: NaiveDate) -> Self {
        let current = load(&path, today, None);
        Served {
            id,
            path,
            state: Mutex::new(current),
        }
    }

    /// What is served now, reloaded first if the files changed on disk.
    pub fn current(&self, today: NaiveDate) -> Current {
        let mut state = match self.state.lock() {
            Ok(state) => state,
            Err(poisoned) => poisoned.into_inner(),
        };
        if digest_of(&self.path) != state.digest {
            *state = load(&self.path, today, state.good.clone());
        }
        state.clone()
    }
}

/// Loads `path`: a new good version, or the previous one kept with the
/// new version's diagnostics.
fn load(path: &Path, today: NaiveDate, previous: Option<Good>) -> Current {
    let digest = digest_of(path);
    let loaded = Mandate::load(path, today);
    match loaded.mandate {
        Some(mandate) => {
            let text = loaded
                .sources
                .first()
                .map(|s| s.text.clone())
                .unwrap_or_default();
            Current {
                good: Some(Good {
                    mandate: Arc::new(mandate),
                    text: text.into(),
                }),
                problems: Vec::new(),
                problem_sources: Vec::new(),
                digest,
            }
        }
        None => Current {
            good: previous,
            problems: loaded
                .diagnostics
                .into_iter()
                .filter(|d| d.is_error())
                .collect(),
            problem_sources: loaded.sources,
            digest,
        },
    }
}

/// A digest of the rule file's bytes and those of every script it names
/// (read again on each request: the files are small, and a digest sees a
/// change that a modification time, coarse on some file systems, would
/// not). It reads only the rule file and the scripts it names that the
/// loader would read (none outside the rule file's folder).
fn digest_of(path: &Path) -> [u8; 32] {
    let mut hash = Sha256::new();
    let limit = crate::syntax::MAX_FILE_BYTES;
    let text = match crate::source::read_file(path, limit) {
        Ok(Some(bytes)) => bytes,
        _ => b"\0unreadable".to_vec(),
    };
    hash.update((text.len() as u64).to_le_bytes());
    hash.update(&text);
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    // The scripts through the loader's own reading, which refuses a path
    // that leads out of the rule file's folder before opening it.
    if let Ok(Ok(file)) = std::str::from_utf8(&text).map(crate::syntax::parse) {
        let scripts = crate::source::read_scripts(&file, folder, "");
        for (written, script) in &scripts {
            hash.update((written.len() as u64).to_le_bytes());
            hash.update(written.as_bytes());
            match script {
                crate::source::Script::Loaded(source) => {
                    hash.update((source.text.len() as u64).to_le_bytes());
                    hash.update(source.text.as_bytes());
                }
                other => hash.update(format!("{other:?}").as_bytes()),
            }
        }
    }
    hash.finalize().into()
}

/// Every mandate a server serves, in the order it was given them.
pub(crate) struct Catalogue {
    pub served: Vec<Served>,
}

impl Catalogue {
    /// Loads each file once. Ids are the files' stems; a stem seen before
    /// gets `-2`, `-3`...
    pub fn new(paths: &[PathBuf], today: NaiveDate) -> Self {
        let mut served: Vec<Served> = Vec::new();
        for path in paths {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "mandate".into());
            let mut id = stem.clone();
            let mut n = 1;
            while served.iter().any(|s| s.id == id) {
                n += 1;
                id = format!("{stem}-{n}");
            }
            served.push(Served::new(id, path.clone(), today));
        }
        Catalogue { served }
    }

    /// The served mandate with this id.
    pub fn get(&self, id: &str) -> Option<&Served> {
        self.served.iter().find(|s| s.id == id)
    }

    /// The mandate a request means: the one named, or the only one.
    pub fn pick(&self, id: Option<&str>) -> Result<&Served, Pick> {
        match id {
            Some(id) => self.get(id).ok_or(Pick::Unknown),
            None => match self.served.as_slice() {
                [only] => Ok(only),
                _ => Err(Pick::Ambiguous),
            },
        }
    }

    /// The ids, for messages.
    pub fn ids(&self) -> Vec<String> {
        self.served.iter().map(|s| s.id.clone()).collect()
    }
}

/// Why no mandate was picked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pick {
    /// No served mandate has the id given.
    Unknown,
    /// Several are served and none was named.
    Ambiguous,
}

/// What `GET /api/mandates` gives for one mandate (and what the page's
/// form is built from).
#[derive(Debug, Clone, Serialize)]
pub struct MandateInfo {
    /// Its id in the API (the file's stem).
    pub id: String,
    /// The rule file, as given to the server.
    pub file: String,
    /// The group's name.
    pub group: String,
    /// The place it covers.
    pub place: Option<String>,
    /// The fingerprint of the version served.
    pub sha256: String,
    /// Whether the file on disk has errors, so an older version is served.
    pub stale: bool,
    /// Its representatives, in file order.
    pub representatives: Vec<RepresentativeInfo>,
    /// The topics it knows, with their labels, in file order.
    pub topics: Vec<TopicInfo>,
}

/// A representative, as the form needs them.
#[derive(Debug, Clone, Serialize)]
pub struct RepresentativeInfo {
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
    /// Their role.
    pub role: Option<String>,
    /// The forums they may act at.
    pub forums: Vec<String>,
    /// The fields their rules, and the principles, read of a proposal.
    pub fields: Vec<FieldInfo>,
}

/// A topic of the vocabulary.
#[derive(Debug, Clone, Serialize)]
pub struct TopicInfo {
    /// The topic (`interface.outpatients`).
    pub topic: String,
    /// Its label.
    pub label: String,
}

/// A proposal field a rule or a principle reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldInfo {
    /// The field's dotted path.
    pub name: String,
    /// What kind of value it takes, as far as the mandate shows.
    pub kind: FieldKind,
    /// Who reads it: `line 163`, `principle funded_work`.
    pub read_by: Vec<String>,
}

/// The kind of value a field takes, from what it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// Compared with a number.
    Number,
    /// Compared with a date.
    Date,
    /// Tested as true or false.
    YesNo,
    /// Searched with `contains`: a list of texts.
    List,
    /// Compared with a text, or read by a principle only.
    Text,
}

/// The keys a proposal always has, which the form asks for apart.
pub(crate) const OWN_KEYS: &[&str] = &["id", "title", "topics", "forum", "date", "representative"];

/// What the page and the API show of one served mandate.
pub(crate) fn info(served: &Served, current: &Current) -> Option<MandateInfo> {
    let good = current.good.as_ref()?;
    let mandate = &good.mandate;
    Some(MandateInfo {
        id: served.id.clone(),
        file: crate::visible::visible_path(&served.path),
        group: mandate.group().name.clone(),
        place: mandate.group().place.clone(),
        sha256: mandate.sha256().to_string(),
        stale: !current.problems.is_empty(),
        representatives: mandate
            .representatives()
            .iter()
            .map(|rep| RepresentativeInfo {
                id: rep.id.clone(),
                name: rep.name.clone(),
                role: rep.role.clone(),
                forums: rep.forums.clone(),
                fields: fields(mandate, rep),
            })
            .collect(),
        topics: mandate
            .vocabulary()
            .iter()
            .map(|t| TopicInfo {
                topic: t.topic.to_string(),
                label: t.label.clone(),
            })
            .collect(),
    })
}

/// The fields the representative's rules read, in the order first read,
/// each with the kind of the values it is compared with; then those the
/// principles read (`proposal.NAME`), which every check runs.
pub(crate) fn fields(mandate: &Mandate, rep: &crate::compile::Representative) -> Vec<FieldInfo> {
    let mut out: Vec<FieldInfo> = Vec::new();
    let mut add = |name: &str, kind: Option<FieldKind>, by: String| {
        if OWN_KEYS.contains(&name) {
            return;
        }
        match out.iter_mut().find(|f| f.name == name) {
            Some(field) => {
                if field.kind == FieldKind::Text {
                    if let Some(kind) = kind {
                        field.kind = kind;
                    }
                }
                if !field.read_by.contains(&by) {
                    field.read_by.push(by);
                }
            }
            None => out.push(FieldInfo {
                name: name.to_string(),
                kind: kind.unwrap_or(FieldKind::Text),
                read_by: vec![by],
            }),
        }
    };
    for rule in &rep.rules {
        if let Some(condition) = &rule.condition {
            let mut found = Vec::new();
            kinds(condition, &mut found);
            for (name, kind) in found {
                add(&name, kind, format!("line {}", rule.line));
            }
        }
    }
    for principle in mandate.principles() {
        for read in &principle.reads.reads {
            if let Some(name) = read.path.first() {
                add(name, None, format!("principle {}", principle.id));
            }
        }
    }
    out
}

/// Each field a condition reads, with the kind its comparison shows.
fn kinds(expr: &Expr, out: &mut Vec<(String, Option<FieldKind>)>) {
    let of_value = |value: &Value| match value {
        Value::Number(_) => Some(FieldKind::Number),
        Value::Date(_) => Some(FieldKind::Date),
        Value::Bool(_) => Some(FieldKind::YesNo),
        Value::String(_) => Some(FieldKind::Text),
        Value::List(_) => Some(FieldKind::List),
    };
    match expr {
        Expr::Or(terms) | Expr::And(terms) => terms.iter().for_each(|t| kinds(t, out)),
        Expr::Not(inner) => kinds(inner, out),
        Expr::Compare(left, _, right) => match (left, right) {
            (Operand::Field(f), Operand::Value(v)) | (Operand::Value(v), Operand::Field(f)) => {
                out.push((f.clone(), of_value(v)));
            }
            (Operand::Field(a), Operand::Field(b)) => {
                out.push((a.clone(), None));
                out.push((b.clone(), None));
            }
            _ => {}
        },
        Expr::In(Operand::Field(f), values) => {
            out.push((f.clone(), values.first().and_then(of_value)));
        }
        Expr::Contains(container, item) => {
            if let Operand::Field(f) = container {
                out.push((f.clone(), Some(FieldKind::List)));
            }
            if let Operand::Field(f) = item {
                out.push((f.clone(), None));
            }
        }
        Expr::Test(Operand::Field(f)) => out.push((f.clone(), Some(FieldKind::YesNo))),
        Expr::In(..) | Expr::Test(..) => {}
    }
}

/// Whom a check is for, from an optional representative id.
pub(crate) fn whom(representative: Option<&str>) -> Whom {
    match representative {
        Some(id) => Whom::Named(vec![id.to_string()]),
        None => Whom::AsProposed,
    }
}
