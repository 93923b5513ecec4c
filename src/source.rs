//! Reading a mandate from disk: the rule file and the principle scripts it
//! names. This is the only part of the library that touches the file
//! system; everything after it works on the texts read here, so checks are
//! pure functions of (mandate, proposal, date).

use crate::syntax::ast::{Declaration, MandateFile, PrincipleBody};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

/// Largest principle script accepted, in bytes.
pub const MAX_SCRIPT_BYTES: usize = 256 * 1024;

/// The text of a rule file and the name it is reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name used in diagnostics (the path as given to the tool).
    pub name: String,
    /// The file's text.
    pub text: String,
}

/// What became of one `script "PATH"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Script {
    /// Read: its text, and the name diagnostics use for it.
    Loaded(SourceFile),
    /// No file at that path.
    Missing,
    /// The path names a folder or something else that is not a file.
    NotAFile,
    /// The path is absolute or leads outside the rule file's folder.
    OutsideFolder,
    /// The file is over [`MAX_SCRIPT_BYTES`].
    TooLarge(u64),
    /// The file exists but could not be read (permissions, not UTF-8...).
    Unreadable(String),
}

/// Every script a rule file names, keyed by the path as written.
pub type Scripts = BTreeMap<String, Script>;

/// Reads every principle script that `file` names, relative to `folder`
/// (the rule file's folder). Never fails: problems are recorded per script
/// for `validate` to report at the `script` line.
pub fn read_scripts(file: &MandateFile, folder: &Path, rule_file_name: &str) -> Scripts {
    let mut scripts = Scripts::new();
    for declaration in &file.declarations {
        let Declaration::Principle(principle) = declaration else {
            continue;
        };
        let PrincipleBody::Script { path } = &principle.body else {
            continue;
        };
        if scripts.contains_key(&path.value) {
            continue;
        }
        let script = read_script(&path.value, folder, rule_file_name);
        scripts.insert(path.value.clone(), script);
    }
    scripts
}

fn read_script(written: &str, folder: &Path, rule_file_name: &str) -> Script {
    let relative = Path::new(written);
    let leaves = written.is_empty()
        || relative.is_absolute()
        || relative
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if leaves {
        return Script::OutsideFolder;
    }
    let full = folder.join(relative);
    let metadata = match std::fs::metadata(&full) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Script::Missing,
        Err(e) => return Script::Unreadable(e.to_string()),
    };
    if !metadata.is_file() {
        return Script::NotAFile;
    }
    // A symbolic link may still lead out of the folder.
    match (std::fs::canonicalize(&full), std::fs::canonicalize(folder)) {
        (Ok(real), Ok(root)) if real.starts_with(&root) => {}
        (Ok(_), Ok(_)) => return Script::OutsideFolder,
        (Err(e), _) | (_, Err(e)) => return Script::Unreadable(e.to_string()),
    }
    if metadata.len() > MAX_SCRIPT_BYTES as u64 {
        return Script::TooLarge(metadata.len());
    }
    match std::fs::read(&full) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Script::Loaded(SourceFile {
                name: display_name(rule_file_name, written),
                text,
            }),
            Err(_) => Script::Unreadable("it is not UTF-8 text".into()),
        },
        Err(e) => Script::Unreadable(e.to_string()),
    }
}

/// The name a script is reported under: beside the rule file's name, so
/// that `rules/a/a.mandate` + `principles/x.rhai` reads
/// `rules/a/principles/x.rhai`.
fn display_name(rule_file_name: &str, written: &str) -> String {
    let parent = Path::new(rule_file_name).parent().unwrap_or(Path::new(""));
    let joined: PathBuf = parent.join(written);
    joined.to_string_lossy().into_owned()
}

/// The mandate's fingerprint: the SHA-256 of a manifest with one line per
/// file, `"<sha256 hex>  <name>\n"`, first the rule file (named `-`), then
/// each loaded script in the order its `script` first appears, named by the
/// path as written. It is exactly what this shell line prints:
///
/// ```text
/// { sha256sum < RULES; sha256sum SCRIPT...; } | sha256sum
/// ```
/// run in the rule file's folder.
pub fn fingerprint(rule_text: &str, scripts_in_order: &[(&str, &str)]) -> String {
    let mut manifest = String::new();
    manifest.push_str(&hex::encode(Sha256::digest(rule_text.as_bytes())));
    manifest.push_str("  -\n");
    for (name, text) in scripts_in_order {
        manifest.push_str(&hex::encode(Sha256::digest(text.as_bytes())));
        manifest.push_str("  ");
        manifest.push_str(name);
        manifest.push('\n');
    }
    hex::encode(Sha256::digest(manifest.as_bytes()))
}
