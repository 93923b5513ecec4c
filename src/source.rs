//! Reading a mandate from disk: the rule file and the principle scripts it
//! names (`read_file`, which the command line also uses for proposals,
//! refuses anything that is not a regular file before opening it). This is
//! the only part of the library that touches the file system; everything after it works on the texts read here, so checks are
//! pure functions of (mandate, proposal, date).

use crate::diagnostic::{Diagnostic, Level};
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
pub(crate) fn read_scripts(file: &MandateFile, folder: &Path, rule_file_name: &str) -> Scripts {
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

/// The file a principle's `script "WRITTEN"` names in `folder`, when it is
/// one that loading reads (inside the folder, a file, UTF-8 text under the
/// size limit); `None` for any script loading would refuse.
pub(crate) fn script_file(written: &str, folder: &Path) -> Option<PathBuf> {
    match read_script(written, folder, "") {
        Script::Loaded(_) => Some(folder.join(written)),
        _ => None,
    }
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
    match read_file(&full, MAX_SCRIPT_BYTES) {
        Ok(Some(bytes)) => match String::from_utf8(bytes) {
            // The text is kept byte for byte, a byte-order mark included,
            // so that the fingerprint is `sha256sum` of the file; the
            // sandbox skips the mark when it compiles the code.
            Ok(text) => Script::Loaded(SourceFile {
                name: display_name(rule_file_name, written),
                text,
            }),
            Err(_) => Script::Unreadable("it is not UTF-8 text".into()),
        },
        Ok(None) => Script::TooLarge(metadata.len().max(MAX_SCRIPT_BYTES as u64 + 1)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Script::Missing,
        Err(e) => Script::Unreadable(e.to_string()),
    }
}

/// Reads the rule file at `path` as UTF-8 text, named as the path is
/// written. The error is the diagnostic to show: the file is missing, not
/// a file, too large or not text.
pub fn read_rule_file(path: &Path) -> Result<SourceFile, Box<Diagnostic>> {
    let name = path.to_string_lossy().into_owned();
    let problem = |code: &str, message: String, help: &str| {
        Box::new(Diagnostic::file(
            Level::Error,
            code,
            message,
            Some(help.into()),
            &name,
        ))
    };
    match read_file(path, crate::syntax::MAX_FILE_BYTES) {
        Ok(Some(bytes)) => match String::from_utf8(bytes) {
            Ok(text) => Ok(SourceFile { name, text }),
            Err(error) => {
                // Where: the valid text before the first bad byte.
                let good = error.utf8_error().valid_up_to();
                let before =
                    String::from_utf8_lossy(error.as_bytes().get(..good).unwrap_or_default());
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                let mut diagnostic = problem(
                    "not-text",
                    "this file is not UTF-8 text".into(),
                    "Save the rule file as plain UTF-8 text.",
                );
                diagnostic.line = u32::try_from(line).unwrap_or(u32::MAX);
                diagnostic.column = u32::try_from(column).unwrap_or(u32::MAX);
                diagnostic.end_line = diagnostic.line;
                diagnostic.end_column = diagnostic.column;
                diagnostic.start = good;
                diagnostic.end = good;
                // The line so far: the bad byte comes just after it.
                diagnostic.source_line = before.rsplit('\n').next().unwrap_or_default().into();
                Err(diagnostic)
            }
        },
        Ok(None) => Err(problem(
            "file-too-large",
            format!(
                "this file is larger than {} bytes",
                crate::syntax::MAX_FILE_BYTES
            ),
            "A mandate should be far smaller; check that this is the right file.",
        )),
        Err(error) => Err(problem(
            "unreadable",
            format!("cannot read this file: {error}"),
            "Check the path and that the file exists.",
        )),
    }
}

/// Reads the regular file at `path` (a symbolic link to one is followed),
/// at most `limit` bytes: `Ok(None)` when it is larger. Anything else (a
/// folder, a named pipe, a device such as `/dev/zero`, a socket) is refused
/// by its metadata before it is opened, because opening a named pipe
/// waits for a writer, for ever if none comes; a device is never read past
/// one byte over `limit`. The error's text says, for a person, what the
/// path is instead of a file.
// Hidden: the command (src/cli) reads proposals with it.
#[doc(hidden)]
pub fn read_file(path: &Path, limit: usize) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(|e| explain(path, e))?;
    not_a_file(&metadata)?;
    if metadata.len() > limit as u64 {
        return Ok(None);
    }
    let file = std::fs::File::open(path).map_err(|e| explain(path, e))?;
    // The path may have been replaced between the two looks.
    not_a_file(&file.metadata()?)?;
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() <= limit).then_some(bytes))
}

/// An error when `metadata` is not that of a regular file.
fn not_a_file(metadata: &std::fs::Metadata) -> std::io::Result<()> {
    let kind = metadata.file_type();
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "it is a folder, not a file"
    } else {
        special_kind(&kind)
    };
    Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, what))
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "it is a named pipe (FIFO), not a file"
    } else if kind.is_char_device() || kind.is_block_device() {
        "it is a device, not a file"
    } else if kind.is_socket() {
        "it is a socket, not a file"
    } else {
        "it is not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "it is not a regular file"
}

/// The operating system's error in words a rule author reads, keeping its
/// kind.
fn explain(path: &Path, error: std::io::Error) -> std::io::Error {
    let kind = error.kind();
    let what = match kind {
        std::io::ErrorKind::NotFound
            if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) =>
        {
            "it is a symbolic link to something that does not exist"
        }
        std::io::ErrorKind::NotFound => "there is no such file",
        std::io::ErrorKind::PermissionDenied => "permission to read it was denied",
        _ => return error,
    };
    std::io::Error::new(kind, what)
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
pub(crate) fn fingerprint(rule_text: &str, scripts_in_order: &[(&str, &str)]) -> String {
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
