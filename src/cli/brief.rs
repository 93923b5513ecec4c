//! `mandate brief`: loads the rule file and prints the briefs of the
//! representatives asked for (all of them, in file order, without `--as`)
//! as text, Markdown or HTML. Bad input prints nothing on stdout.

use super::{colour, print_diagnostics, EXIT_FAILURE, EXIT_OK};
use clap::ValueEnum;
use mandate::brief::{self, render};
use mandate::visible::{visible, visible_path};
use mandate::Mandate;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// What `brief` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BriefFormat {
    /// Plain text, wrapped to fit a page.
    Text,
    /// Markdown.
    Markdown,
    /// One self-contained HTML file with a print stylesheet.
    Html,
}

pub(super) fn brief(
    rules: &Path,
    representatives: &[String],
    day: chrono::NaiveDate,
    format: BriefFormat,
) -> u8 {
    let loaded = Mandate::load(rules, day);
    print_diagnostics(
        &loaded.diagnostics,
        &loaded.sources,
        colour(std::io::stderr().is_terminal()),
    );
    let Some(mandate) = loaded.mandate else {
        eprintln!(
            "error: {} has errors; fix them before writing a brief (run `mandate validate {}`)",
            visible_path(rules),
            visible_path(rules)
        );
        return EXIT_FAILURE;
    };
    let mut briefs = Vec::new();
    let mut seen = Vec::new();
    for id in representatives {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        match brief::for_representative(&mandate, id, day) {
            Ok(one) => briefs.push(one),
            Err(error) => {
                eprintln!(
                    "error: {}: {}\n  help: {}",
                    visible_path(rules),
                    visible(&error.to_string()),
                    visible(&error.help())
                );
                return EXIT_FAILURE;
            }
        }
    }
    if representatives.is_empty() {
        briefs = brief::for_all(&mandate, day);
    }
    let out = match format {
        BriefFormat::Text => render::text(&briefs),
        BriefFormat::Markdown => render::markdown(&briefs),
        BriefFormat::Html => render::html(&briefs, &brief::document_title(&mandate)),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the brief: {error}");
            return EXIT_FAILURE;
        }
    }
    EXIT_OK
}
