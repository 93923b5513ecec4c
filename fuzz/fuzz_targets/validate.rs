//! Any text as a rule file, through the whole load (`Mandate::from_source`)
//! with its principle scripts given as data: never a panic; a mandate
//! exactly when there is no error; every diagnostic inside its file, at a
//! line and column that match its byte offsets; and a mandate that loads
//! checks proposals aimed at its own topics and fields with every decision
//! invariant holding.
//!
//! The input is split at NUL characters: the first piece is the rule file,
//! the next pieces are the texts of its `script "PATH"`s in the order they
//! first appear. A script with no piece gets one of the other fates a
//! script can meet on disk (missing, not a file, outside the folder, too
//! large, unreadable), so validate reports each.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mandate::source::{Script, Scripts, SourceFile};
use mandate::syntax::ast::{Declaration, PrincipleBody};
use mandate::Mandate;
use mandate_fuzz::{check_everyone, position, proposals_for, Ownership};

const RULE_FILE: &str = "fuzz.mandate";

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let mut pieces = input.split('\u{0}');
    let text = pieces.next().unwrap_or_default().to_string();
    let mut bodies = pieces;
    let mut scripts = Scripts::new();
    if let Ok(file) = mandate::syntax::parse(&text) {
        let mut fates = 0usize;
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
            let script = match bodies.next() {
                Some(body) => Script::Loaded(SourceFile {
                    name: format!("principles/{}", path.value),
                    text: body.to_string(),
                }),
                None => {
                    fates += 1;
                    match fates % 5 {
                        0 => Script::Missing,
                        1 => Script::NotAFile,
                        2 => Script::OutsideFolder,
                        3 => Script::TooLarge(1 << 20),
                        _ => Script::Unreadable("permission denied".into()),
                    }
                }
            };
            scripts.insert(path.value.clone(), script);
        }
    }
    let loaded = Mandate::from_source(
        SourceFile {
            name: RULE_FILE.into(),
            text: text.clone(),
        },
        scripts.clone(),
        mandate_fuzz::day(),
    );
    assert_eq!(
        loaded.mandate.is_some(),
        !loaded.has_errors(),
        "a mandate exactly when there is no error: {:#?}",
        loaded.diagnostics
    );

    for diagnostic in &loaded.diagnostics {
        let source = if diagnostic.file == RULE_FILE {
            Some(text.as_str())
        } else {
            scripts.values().find_map(|s| match s {
                Script::Loaded(file) if file.name == diagnostic.file => Some(file.text.as_str()),
                _ => None,
            })
        };
        let Some(source) = source else {
            panic!("a diagnostic names a file that was not given: {diagnostic:#?}");
        };
        assert!(!diagnostic.message.is_empty(), "{diagnostic:#?}");
        assert!(
            diagnostic.help.as_deref().is_some_and(|h| !h.is_empty()),
            "every diagnostic says what to write instead: {diagnostic:#?}"
        );
        if diagnostic.line == 0 {
            // About the whole file: no place to point at.
            assert_eq!(
                (diagnostic.column, diagnostic.start, diagnostic.end),
                (0, 0, 0),
                "{diagnostic:#?}"
            );
        } else {
            assert!(
                diagnostic.start <= diagnostic.end && diagnostic.end <= source.len(),
                "diagnostic outside its file of {} bytes: {diagnostic:#?}",
                source.len()
            );
            assert_eq!(
                position(source, diagnostic.start),
                Some((diagnostic.line, diagnostic.column)),
                "the line/column of a diagnostic are those of its start: {diagnostic:#?}"
            );
            assert_eq!(
                position(source, diagnostic.end),
                Some((diagnostic.end_line, diagnostic.end_column)),
                "the end line/column of a diagnostic are those of its end: {diagnostic:#?}"
            );
        }
        let drawn = diagnostic.render(Some(source), false);
        assert!(!drawn.is_empty());
    }

    if let Some(mandate) = &loaded.mandate {
        let ownership = Ownership::from_source(&text);
        for proposal in proposals_for(mandate, &ownership) {
            check_everyone(mandate, &ownership, &proposal);
        }
    }
});
