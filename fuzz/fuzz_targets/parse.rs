//! Any text: parsing and validating never panic, and a syntax error always
//! points inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandate::source::{Scripts, SourceFile};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(error) = mandate::syntax::parse(text) {
        assert!(error.span().start <= text.len());
    }
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap_or_default();
    let loaded = mandate::Mandate::from_source(
        SourceFile {
            name: "fuzz.mandate".into(),
            text: text.into(),
        },
        Scripts::new(),
        day,
    );
    // A mandate is built exactly when there is no error.
    assert_eq!(loaded.mandate.is_some(), !loaded.has_errors());
});
