//! `mandate record verify`: reads a record made by `check --record`, asks
//! the library whether every line and the chain are intact
//! ([`mandate::record::verify_text`]), and says so, naming the first line
//! that is not, with the head to publish. Exits 0 intact, 1 otherwise.

use super::{EXIT_FAILURE, EXIT_OK};
use mandate::visible::{visible, visible_path};
use std::path::Path;

/// Largest record read, in bytes.
const MAX_RECORD_BYTES: usize = 1024 * 1024 * 1024;

pub(super) fn verify(file: &Path, head: Option<&str>) -> u8 {
    let name = visible_path(file);
    let bytes = match mandate::source::read_file(file, MAX_RECORD_BYTES) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            eprintln!("error: {name}: the record is larger than {MAX_RECORD_BYTES} bytes");
            return EXIT_FAILURE;
        }
        Err(error) => {
            eprintln!(
                "error: {name}: {}\n  help: give the file `mandate check --record` wrote",
                visible(&error.to_string())
            );
            return EXIT_FAILURE;
        }
    };
    match mandate::record::verify_text(&bytes) {
        Ok(verified) => {
            if let Some(head) = head {
                if !verified.hashes.iter().any(|h| h == head) {
                    eprintln!(
                        "error: {name}: no entry has the head {}; the record was cut short after it was published, or it is another record",
                        visible(head)
                    );
                    return EXIT_FAILURE;
                }
            }
            println!(
                "{name}: intact, {} entries; head {}",
                verified.entries, verified.head
            );
            EXIT_OK
        }
        Err(tampered) => {
            println!("{name}: line {}: {}", tampered.line, tampered.problem);
            EXIT_FAILURE
        }
    }
}
