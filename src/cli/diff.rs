//! `mandate diff`: loads two versions of a mandate, asks the library what
//! changed in meaning ([`mandate::diff::diff`]) and prints it in words or
//! as JSON. Exits 0 (1 with `--exit-code` when anything changed); a
//! version that does not load prints its diagnostics and exits 1.

use super::{load_quietly, print_json, Format, EXIT_FAILURE, EXIT_OK};
use mandate::visible::{visible, visible_path};
use mandate::wording::diff::Version;
use mandate::Mandate;
use std::io::Write;
use std::path::Path;

pub(super) fn diff(
    old: &Path,
    new: &Path,
    format: Format,
    exit_code: bool,
    today: chrono::NaiveDate,
) -> u8 {
    // Warnings say nothing about what changed; only errors are shown.
    let loaded: Vec<Mandate> = [old, new]
        .iter()
        .filter_map(|path| load_quietly(path, today, "comparing it"))
        .collect();
    let [before, after] = loaded.as_slice() else {
        return EXIT_FAILURE;
    };
    let diff = mandate::diff::diff(before, after);
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            if let Err(code) = print_json(&mut stdout, &diff) {
                return code;
            }
        }
        Format::Text => {
            let (old_name, new_name) = (visible_path(old), visible_path(new));
            let lines = mandate::wording::diff::lines(
                Version {
                    name: &old_name,
                    mandate: before,
                },
                Version {
                    name: &new_name,
                    mandate: after,
                },
                &diff,
            );
            for line in lines {
                let _ = writeln!(stdout, "{}", visible(&line));
            }
        }
    }
    if exit_code && !diff.is_empty() {
        EXIT_FAILURE
    } else {
        EXIT_OK
    }
}
