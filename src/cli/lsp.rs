//! `mandate lsp`: runs the language server on standard input and output
//! until the editor sends `shutdown` and `exit`. Exits 0 then, 1 when the
//! editor sent `exit` without `shutdown`, sent what cannot be read on (a
//! message over the length limit), or the connection failed (said on
//! stderr, which editors show in their log).

use super::{EXIT_FAILURE, EXIT_OK};

pub(super) fn lsp() -> u8 {
    match mandate::lsp::serve_stdio() {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("mandate lsp: {error}");
            EXIT_FAILURE
        }
    }
}
