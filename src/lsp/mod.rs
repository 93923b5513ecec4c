//! `mandate lsp`: a Language Server Protocol server over standard input
//! and output, for editors.
//!
//! Owns the protocol side only: the documents an editor has open (their
//! text as last sent), the position encoding agreed with the client, and
//! turning what the library says about a document into protocol messages.
//! Every word comes from the library: a document's diagnostics are those
//! `mandate validate` gives (loaded as `Mandate::load` loads a file, so the
//! principle scripts beside the file are read too), with their help line as
//! related information.
//!
//! A message the server cannot use (a request it does not know, parameters
//! that do not parse, a document it was never sent) gets an error response
//! or is dropped; it never stops the server. Changes that arrive together
//! are taken together: the server reads every message already waiting
//! before it validates, so a burst of keystrokes costs one validation.

use crate::compile::Mandate;
use crate::diagnostic::{Diagnostic, Level};
use crate::source::SourceFile;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, InitializeParams, Location, NumberOrString,
    Position, PositionEncodingKind, PublishDiagnosticsParams, Range, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Why the server stopped other than by `shutdown` and `exit`.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The client broke the protocol (no `initialize` first, a message
    /// that is not JSON-RPC, the connection closed early).
    #[error("the editor broke the language server protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// Standard input or output failed.
    #[error("reading from or writing to the editor failed: {0}")]
    Io(#[from] std::io::Error),
    /// The server's own answer could not be written as JSON.
    #[error("an answer could not be written as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// How positions count characters within a line, as agreed with the
/// client: UTF-16 code units unless the client offers another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the protocol's default).
    Utf16,
    /// Unicode scalar values.
    Utf32,
}

impl Encoding {
    /// The first encoding the client offers that the server knows, in the
    /// client's order of preference; UTF-16 when it offers none.
    fn agreed(params: &InitializeParams) -> Encoding {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|general| general.position_encodings.as_ref());
        offered
            .into_iter()
            .flatten()
            .find_map(|kind| match kind.as_str() {
                "utf-8" => Some(Encoding::Utf8),
                "utf-16" => Some(Encoding::Utf16),
                "utf-32" => Some(Encoding::Utf32),
                _ => None,
            })
            .unwrap_or(Encoding::Utf16)
    }

    fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    /// The length of `text` in this encoding's units.
    fn units(self, text: &str) -> u32 {
        let units = match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.encode_utf16().count(),
            Encoding::Utf32 => text.chars().count(),
        };
        u32::try_from(units).unwrap_or(u32::MAX)
    }
}

/// The position of byte `offset` of `text` (clamped to the text and to a
/// character boundary), counted in `encoding`.
pub fn position(text: &str, offset: usize, encoding: Encoding) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.bytes().filter(|&b| b == b'\n').count();
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: encoding.units(before.get(line_start..).unwrap_or_default()),
    }
}

/// A document the editor has open.
struct Document {
    uri: Uri,
    text: String,
}

/// The server's state between messages.
struct Server {
    connection: Connection,
    encoding: Encoding,
    documents: BTreeMap<String, Document>,
}

/// Serves one editor on standard input and output until it sends
/// `shutdown` and `exit`.
pub fn serve_stdio() -> Result<(), LspError> {
    let (connection, threads) = Connection::stdio();
    serve(connection)?;
    threads.join()?;
    Ok(())
}

/// Serves one editor on `connection` until it sends `shutdown` and `exit`.
pub fn serve(connection: Connection) -> Result<(), LspError> {
    let (id, params) = connection.initialize_start()?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::agreed(&params);
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        ..ServerCapabilities::default()
    };
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": serde_json::to_value(capabilities)?,
            "serverInfo": {"name": "mandate", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let mut server = Server {
        connection,
        encoding,
        documents: BTreeMap::new(),
    };
    server.run()
}

impl Server {
    fn run(&mut self) -> Result<(), LspError> {
        while let Ok(first) = self.connection.receiver.recv() {
            // Everything already waiting is taken with it: a burst of
            // changes is validated once.
            let mut batch = vec![first];
            while let Ok(next) = self.connection.receiver.try_recv() {
                batch.push(next);
            }
            let mut changed = BTreeSet::new();
            for message in batch {
                match message {
                    Message::Request(request) => {
                        if self.connection.handle_shutdown(&request)? {
                            return Ok(());
                        }
                        self.answer(request)?;
                    }
                    Message::Notification(notification) => {
                        if let Some(uri) = self.note(notification) {
                            changed.insert(uri);
                        }
                    }
                    Message::Response(_) => {}
                }
            }
            for uri in changed {
                self.publish(&uri)?;
            }
        }
        Ok(())
    }

    /// Answers a request; none is known yet but `shutdown`, so each gets
    /// "method not found".
    fn answer(&self, request: Request) -> Result<(), LspError> {
        let response = Response::new_err(
            request.id,
            ErrorCode::MethodNotFound as i32,
            format!("mandate lsp does not answer `{}`", request.method),
        );
        self.send(response.into())
    }

    /// Takes a notification in; the document it changed, if any.
    fn note(&mut self, notification: Notification) -> Option<String> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let key = params.text_document.uri.as_str().to_string();
                self.documents.insert(
                    key.clone(),
                    Document {
                        uri: params.text_document.uri,
                        text: params.text_document.text,
                    },
                );
                Some(key)
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let key = params.text_document.uri.as_str().to_string();
                // Full sync: the last change holds the whole text.
                let text = params.content_changes.into_iter().last()?.text;
                let uri = params.text_document.uri;
                self.documents.insert(key.clone(), Document { uri, text });
                Some(key)
            }
            DidCloseTextDocument::METHOD => {
                let params: lsp_types::DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                self.documents.remove(params.text_document.uri.as_str());
                // A closed document's diagnostics are cleared.
                let _ = self.send_diagnostics(params.text_document.uri, Vec::new());
                None
            }
            _ => None,
        }
    }

    /// Validates a document and sends its diagnostics.
    fn publish(&self, key: &str) -> Result<(), LspError> {
        let Some(document) = self.documents.get(key) else {
            return Ok(());
        };
        let path = file_path(key);
        let name = path
            .as_ref()
            .map_or_else(|| key.to_string(), |p| p.display().to_string());
        let rule_file = SourceFile {
            name: name.clone(),
            text: document.text.clone(),
        };
        let today = chrono::Local::now().date_naive();
        let loaded = match &path {
            Some(path) => Mandate::load_text(path, rule_file, today),
            None => Mandate::from_source(rule_file, crate::source::Scripts::new(), today),
        };
        let diagnostics = loaded
            .diagnostics
            .iter()
            .map(|d| self.diagnostic(d, &document.uri, &name, &document.text))
            .collect();
        self.send_diagnostics(document.uri.clone(), diagnostics)
    }

    /// One of the library's diagnostics as the protocol's. A problem in
    /// another file (a principle script) is shown at the start of this one,
    /// saying which file it is in.
    fn diagnostic(
        &self,
        d: &Diagnostic,
        uri: &Uri,
        name: &str,
        text: &str,
    ) -> lsp_types::Diagnostic {
        let here = d.file == name;
        let range = if here && d.line > 0 {
            Range {
                start: position(text, d.start, self.encoding),
                end: position(text, d.end, self.encoding),
            }
        } else {
            Range::default()
        };
        let message = if here || d.file.is_empty() {
            d.message.clone()
        } else {
            format!("{} (in {}, line {})", d.message, d.file, d.line)
        };
        let related = d.help.as_ref().map(|help| {
            vec![DiagnosticRelatedInformation {
                location: Location {
                    uri: uri.clone(),
                    range,
                },
                message: help.clone(),
            }]
        });
        lsp_types::Diagnostic {
            range,
            severity: Some(match d.level {
                Level::Error => DiagnosticSeverity::ERROR,
                Level::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(d.code.clone())),
            source: Some("mandate".into()),
            message,
            related_information: related,
            ..lsp_types::Diagnostic::default()
        }
    }

    fn send_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
    ) -> Result<(), LspError> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into())
    }

    fn send(&self, message: Message) -> Result<(), LspError> {
        self.connection.sender.send(message).map_err(|_| {
            LspError::Io(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the editor closed the connection",
            ))
        })
    }
}

/// The file a `file:` URI names; `None` for any other URI (an unsaved
/// buffer), which is then validated without its scripts.
fn file_path(uri: &str) -> Option<PathBuf> {
    url::Url::parse(uri).ok()?.to_file_path().ok()
}

#[cfg(test)]
mod tests {
    use super::{position, Encoding};

    #[test]
    fn positions_count_in_the_agreed_encoding() {
        let text = "# café ☕ 😀\nmay agree x\n";
        let emoji = text.find('😀').unwrap_or_default();
        assert_eq!(position(text, emoji, Encoding::Utf8).character, 12);
        assert_eq!(position(text, emoji, Encoding::Utf16).character, 9);
        assert_eq!(position(text, emoji, Encoding::Utf32).character, 9);
        let after = emoji + '😀'.len_utf8();
        assert_eq!(position(text, after, Encoding::Utf16).character, 11);
        assert_eq!(position(text, after, Encoding::Utf32).character, 10);
        let second = text.find("may").unwrap_or_default();
        let p = position(text, second, Encoding::Utf16);
        assert_eq!((p.line, p.character), (1, 0));
        // Past the end, and inside a character: clamped.
        let end = position(text, 10_000, Encoding::Utf16);
        assert_eq!((end.line, end.character), (2, 0));
        assert_eq!(position(text, emoji + 1, Encoding::Utf16).character, 9);
    }
}
