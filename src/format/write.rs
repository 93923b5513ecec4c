//! Replacing a rule file without ever leaving half of one.

use std::io::Write;
use std::path::Path;

/// Replaces the file at `path` with `text`, atomically: the text goes to a
/// temporary file in the same folder, which is flushed to disk (fsync),
/// given the old file's permissions, and then renamed over it. A reader
/// sees the old file or the new one, never part of either; if anything
/// fails the old file is untouched and the temporary one is removed.
///
/// `path` must be an existing file that its user may write (a read-only
/// file is refused); through a symbolic link, the file it leads to is
/// replaced and the link is kept. The new file has the old one's
/// permissions, and its owner where the user may give it. Like any atomic
/// save, it is a new file: another hard link to the old one keeps the old
/// text.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    // Through a symbolic link, the file it leads to is replaced (the link
    // stays a link).
    let path = &std::fs::canonicalize(path)?;
    let metadata = std::fs::metadata(path)?;
    // Only a file its user could write is replaced: renaming over a
    // read-only file needs only the folder's permission, and would make
    // light of the file's own.
    if metadata.permissions().readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    std::fs::OpenOptions::new().append(true).open(path)?;
    let folder = match path.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".mandate-fmt-")
        .suffix(".tmp")
        .tempfile_in(folder)?;
    temporary.write_all(text.as_bytes())?;
    temporary
        .as_file()
        .set_permissions(metadata.permissions())?;
    temporary.as_file().sync_all()?;
    temporary.persist(path).map_err(|error| error.error)?;
    // The rename itself is durable once the folder is flushed too (where
    // the platform allows opening a folder; elsewhere this does nothing).
    if let Ok(dir) = std::fs::File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_replaces_the_text_and_keeps_the_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mandate");
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomically(&path, "new\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "a temporary file was left behind");
    }

    #[cfg(unix)]
    #[test]
    fn through_a_link_the_file_it_leads_to_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.mandate");
        let link = dir.path().join("link.mandate");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomically(&link, "new\n").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new\n");
    }

    #[test]
    fn a_read_only_file_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mandate");
        std::fs::write(&path, "old").unwrap();
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions).unwrap();
        let error = write_atomically(&path, "new").unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::PermissionDenied);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_file_is_an_error_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.mandate");
        assert!(write_atomically(&path, "x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
