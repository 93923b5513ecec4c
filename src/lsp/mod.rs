//! `mandate lsp`: a Language Server Protocol server over standard input
//! and output, for editors.
//!
//! Owns the protocol side only: the documents an editor has open (their
//! text as last sent, and what the library made of it), the position
//! encoding agreed with the client (`text`), and turning what the
//! library says about a document into protocol messages. Every word comes
//! from the library:
//! - diagnostics are those `mandate validate` gives (loaded as
//!   `Mandate::load` loads a file, so the principle scripts beside the file
//!   are read too), with their help line as related information;
//! - a hover on a rule is the rule in plain English from the wording module
//!   (the sentence a brief uses); on a topic, a principle, a forum, an
//!   organisation, a priority or a representative, what the file says of
//!   it (`locate` reads the facts, `wording` words them);
//! - completion is what the grammar allows at the cursor, filled in with
//!   the file's own topics, fields and forums (`complete`);
//! - go to definition takes a topic to its `topic` declaration, a
//!   `script "..."` to its file and a rule's `at "FORUM"` to the `forums`
//!   line listing it; document symbols are the file's outline; formatting
//!   is `mandate fmt`'s text.
//!
//! Whatever a person reads that echoes the file has its control characters
//! made visible, as in every other front end. Hovers are plain text, never
//! Markdown, so a label cannot make a link.
//!
//! A message the server cannot use (a request it does not know, parameters
//! that do not parse, a document it was never sent, a position past the
//! end of the text) gets an error response or an empty answer; it never
//! stops the server. Diagnostics are debounced: they are published once the
//! changes pause for 100 ms (at most a second after the first change while
//! typing goes on), so a burst of keystrokes is validated once; a request
//! in between is answered at once, from the text as it is, and a document
//! is analysed at most once per change, when first needed.

mod complete;
mod locate;
mod text;
mod transport;

pub use text::{offset, position, range, Encoding, Lines};
pub use transport::{MAX_HEADER_BYTES, MAX_MESSAGE_BYTES};

use crate::compile::{Loaded, Mandate};
use crate::diagnostic::{Diagnostic, Level};
use crate::source::SourceFile;
use crate::syntax::ast::{self, Declaration, MandateFile, RepresentativeStmt, Span};
use crate::visible::visible;
use crate::wording;
use locate::Target;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, Request as _,
};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionOptions, CompletionResponse, CompletionTextEdit,
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, DocumentSymbolResponse,
    GotoDefinitionResponse, Hover, HoverContents, HoverProviderCapability, InitializeParams,
    Location, MarkupContent, MarkupKind, NumberOrString, OneOf, PublishDiagnosticsParams, Range,
    ServerCapabilities, SymbolKind, TextDocumentIdentifier, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the changes to a document must pause before it is validated.
const PAUSE: Duration = Duration::from_millis(100);

/// The longest diagnostics wait while changes keep coming.
const MOST_WAIT: Duration = Duration::from_millis(1000);

/// Why the server stopped other than by `shutdown` and `exit`.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The client broke the protocol at shutdown (a message other than
    /// `exit` after `shutdown`, or the connection closed in between).
    #[error("the editor broke the language server protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// Standard input or output failed.
    #[error("reading from or writing to the editor failed: {0}")]
    Io(#[from] std::io::Error),
    /// The editor's input could not be read on (a message longer than
    /// [`MAX_MESSAGE_BYTES`], a header line longer than
    /// [`MAX_HEADER_BYTES`], a failed read).
    #[error("{0}")]
    Input(String),
    /// The editor sent `exit` without `shutdown` first (the protocol
    /// says the server then exits with status 1).
    #[error("the editor sent `exit` without `shutdown` first")]
    ExitWithoutShutdown,
    /// The server's own answer could not be written as JSON.
    #[error("an answer could not be written as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// A document the editor has open.
struct Document {
    uri: Uri,
    text: String,
    /// The file it is, for a `file:` URI.
    path: Option<PathBuf>,
    /// The name its diagnostics give the file: its path, else its URI.
    name: String,
    /// What the library made of `text`; `None` until first needed after a
    /// change.
    analysis: Option<Analysis>,
    /// The last tree of this document that parsed, for the names that
    /// completion offers while the text being typed does not parse.
    last_tree: Option<Arc<MandateFile>>,
}

/// What the library made of a document's text.
struct Analysis {
    /// Its syntax tree, if it parses.
    tree: Option<Arc<MandateFile>>,
    /// Its diagnostics, and the mandate if it has no errors.
    loaded: Loaded,
}

impl Document {
    fn new(uri: Uri, text: String) -> Document {
        let path = file_path(uri.as_str());
        let name = path
            .as_ref()
            .map_or_else(|| uri.as_str().to_string(), |p| p.display().to_string());
        Document {
            path,
            name,
            uri,
            text,
            analysis: None,
            last_tree: None,
        }
    }

    /// Takes a new text; the analysis is made again when needed.
    fn change(&mut self, text: String) {
        self.text = text;
        self.analysis = None;
    }

    /// The analysis of the current text, made if it is not yet.
    fn analysed(&mut self) -> &Analysis {
        let Document {
            path,
            name,
            text,
            last_tree,
            ..
        } = self;
        self.analysis.get_or_insert_with(|| {
            // Parsed once: the tree is kept, and loaded from.
            let parsed = crate::syntax::parse(text);
            let rule_file = SourceFile {
                name: name.clone(),
                text: text.clone(),
            };
            let today = chrono::Local::now().date_naive();
            let loaded = Mandate::load_parsed(path.as_deref(), rule_file, parsed.as_ref(), today);
            let tree = parsed.ok().map(Arc::new);
            if let Some(tree) = &tree {
                *last_tree = Some(Arc::clone(tree));
            }
            Analysis { tree, loaded }
        })
    }
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
    let (connection, threads) = transport::stdio();
    let served = serve(connection);
    // The connection is gone: the writer ends once it has written all.
    let finished = threads.finish().map_err(LspError::Input);
    served.and(finished)
}

/// Serves one editor on `connection` until it sends `shutdown` and `exit`.
pub fn serve(connection: Connection) -> Result<(), LspError> {
    let Some((id, params)) = initialize_request(&connection)? else {
        return Ok(());
    };
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::agreed(&params);
    let capabilities = ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), ".".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    };
    // The answer is sent without waiting for `initialized`, which the
    // server needs nothing from: a request sent before it is answered.
    let answer = serde_json::json!({
        "capabilities": serde_json::to_value(capabilities)?,
        "serverInfo": {"name": "mandate", "version": env!("CARGO_PKG_VERSION")},
    });
    send(&connection, Response::new_ok(id, answer).into())?;
    let mut server = Server {
        connection,
        encoding,
        documents: BTreeMap::new(),
    };
    server.run()
}

/// Waits for `initialize`: its id and parameters, or `None` when the
/// input ends (`exit` first is [`LspError::ExitWithoutShutdown`]). A
/// request before it is answered "not initialized"; anything else is
/// dropped.
fn initialize_request(
    connection: &Connection,
) -> Result<Option<(RequestId, serde_json::Value)>, LspError> {
    for message in &connection.receiver {
        match message {
            Message::Request(request) if request.method == "initialize" => {
                return Ok(Some((request.id, request.params)));
            }
            Message::Request(request) => {
                let refused = error(
                    request.id,
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized: send `initialize` first".into(),
                );
                send(connection, refused.into())?;
            }
            Message::Notification(notification) if notification.method == "exit" => {
                return Err(LspError::ExitWithoutShutdown)
            }
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
    Ok(None)
}

fn send(connection: &Connection, message: Message) -> Result<(), LspError> {
    connection.sender.send(message).map_err(|_| {
        LspError::Io(std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            "the editor closed the connection",
        ))
    })
}

/// Why a request got no answer of its kind.
enum Refusal {
    /// The server does not answer this method.
    Unknown,
    /// Its parameters are not what the method takes.
    Params(serde_json::Error),
}

impl Server {
    fn run(&mut self) -> Result<(), LspError> {
        use crossbeam_channel::RecvTimeoutError;
        // Documents changed and not yet validated, and since when.
        let mut changed: BTreeSet<String> = BTreeSet::new();
        let mut since = Instant::now();
        loop {
            let message = if changed.is_empty() {
                match self.connection.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(()),
                }
            } else {
                // Debounced: diagnostics wait for a pause in the changes,
                // but never longer than `MOST_WAIT` while typing goes on.
                let left = MOST_WAIT.saturating_sub(since.elapsed()).min(PAUSE);
                match self.connection.receiver.recv_timeout(left) {
                    Ok(message) => message,
                    Err(RecvTimeoutError::Timeout) => {
                        for uri in std::mem::take(&mut changed) {
                            self.publish(&uri)?;
                        }
                        continue;
                    }
                    Err(RecvTimeoutError::Disconnected) => return Ok(()),
                }
            };
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    self.answer(request)?;
                }
                Message::Notification(notification) if notification.method == "exit" => {
                    return Err(LspError::ExitWithoutShutdown);
                }
                Message::Notification(notification) => {
                    if let Some(uri) = self.note(notification) {
                        if changed.is_empty() {
                            since = Instant::now();
                        }
                        changed.insert(uri);
                    }
                }
                Message::Response(_) => {}
            }
        }
    }

    /// Answers a request. A request the server does not know gets "method
    /// not found"; one whose handling failed (a bug) gets an internal
    /// error, and the server carries on.
    fn answer(&mut self, request: Request) -> Result<(), LspError> {
        let Request { id, method, params } = request;
        let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.respond(&method, params)
        }));
        let response = match answered {
            Ok(Ok(result)) => Response::new_ok(id, result),
            Ok(Err(Refusal::Unknown)) => error(
                id,
                ErrorCode::MethodNotFound,
                format!("mandate lsp does not answer `{}`", visible(&method)),
            ),
            Ok(Err(Refusal::Params(e))) => error(
                id,
                ErrorCode::InvalidParams,
                format!("the parameters of `{}` are not right: {e}", visible(&method)),
            ),
            Err(_) => error(
                id,
                ErrorCode::InternalError,
                format!(
                    "mandate lsp failed to answer `{}`; this is a bug, please report it with the file",
                    visible(&method)
                ),
            ),
        };
        self.send(response.into())
    }

    fn respond(
        &mut self,
        method: &str,
        params: serde_json::Value,
    ) -> Result<serde_json::Value, Refusal> {
        fn take<T: serde::de::DeserializeOwned>(params: serde_json::Value) -> Result<T, Refusal> {
            serde_json::from_value(params).map_err(Refusal::Params)
        }
        let encoding = self.encoding;
        let result = match method {
            HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = take(params)?;
                let at = params.text_document_position_params;
                serde_json::to_value(self.at(&at).and_then(|(d, o)| hover(d, o, encoding)))
            }
            Completion::METHOD => {
                let params: lsp_types::CompletionParams = take(params)?;
                let at = params.text_document_position;
                serde_json::to_value(self.at(&at).map(|(d, o)| completion(d, o, encoding)))
            }
            GotoDefinition::METHOD => {
                let params: lsp_types::GotoDefinitionParams = take(params)?;
                let at = params.text_document_position_params;
                serde_json::to_value(self.at(&at).and_then(|(d, o)| definition(d, o, encoding)))
            }
            DocumentSymbolRequest::METHOD => {
                let params: lsp_types::DocumentSymbolParams = take(params)?;
                let document = self.document(&params.text_document);
                serde_json::to_value(document.map(|d| symbols(d, encoding)))
            }
            Formatting::METHOD => {
                let params: lsp_types::DocumentFormattingParams = take(params)?;
                let document = self.document(&params.text_document);
                serde_json::to_value(document.and_then(|d| formatting(d, encoding)))
            }
            _ => return Err(Refusal::Unknown),
        };
        Ok(result.unwrap_or(serde_json::Value::Null))
    }

    fn document(&mut self, id: &TextDocumentIdentifier) -> Option<&mut Document> {
        self.documents.get_mut(id.uri.as_str())
    }

    /// The document and byte offset a request points at; `None` when the
    /// document is not open or the position is past its end.
    fn at(&mut self, at: &TextDocumentPositionParams) -> Option<(&mut Document, usize)> {
        let encoding = self.encoding;
        let document = self.document(&at.text_document)?;
        let offset = offset(&document.text, at.position, encoding)?;
        Some((document, offset))
    }

    /// Takes a notification in; the document it changed, if any.
    fn note(&mut self, notification: Notification) -> Option<String> {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let params: lsp_types::DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let key = params.text_document.uri.as_str().to_string();
                let document = Document::new(params.text_document.uri, params.text_document.text);
                self.documents.insert(key.clone(), document);
                Some(key)
            }
            DidChangeTextDocument::METHOD => {
                let params: lsp_types::DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params).ok()?;
                let key = params.text_document.uri.as_str().to_string();
                // Full sync: the last change holds the whole text.
                let text = params.content_changes.into_iter().last()?.text;
                match self.documents.get_mut(&key) {
                    Some(document) => document.change(text),
                    None => {
                        let document = Document::new(params.text_document.uri, text);
                        self.documents.insert(key.clone(), document);
                    }
                }
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
    fn publish(&mut self, key: &str) -> Result<(), LspError> {
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(key) else {
            return Ok(());
        };
        let uri = document.uri.clone();
        let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            document.analysed();
        }));
        let mut lines = None;
        let diagnostics = match (&document.analysis, made) {
            (Some(analysis), Ok(())) => analysis
                .loaded
                .diagnostics
                .iter()
                .map(|d| {
                    let lines = lines.get_or_insert_with(|| Lines::new(&document.text, encoding));
                    diagnostic(d, document, lines)
                })
                .collect(),
            // A bug in the library: said in the file, and the server goes on.
            _ => vec![lsp_types::Diagnostic {
                severity: Some(DiagnosticSeverity::ERROR),
                source: Some("mandate".into()),
                message: "mandate lsp failed to check this file; this is a bug, please report it with the file (`mandate validate` may say more)".into(),
                ..lsp_types::Diagnostic::default()
            }],
        };
        self.send_diagnostics(uri, diagnostics)
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
        send(&self.connection, message)
    }
}

fn error(id: RequestId, code: ErrorCode, message: String) -> Response {
    Response::new_err(id, code as i32, message)
}

/// One of the library's diagnostics as the protocol's. A problem in
/// another file (a principle script) is shown at the start of this one,
/// saying which file it is in.
fn diagnostic(d: &Diagnostic, document: &Document, lines: &Lines<'_>) -> lsp_types::Diagnostic {
    let here = d.file == document.name;
    let range = if here && d.line > 0 {
        lines.range(d.start, d.end)
    } else {
        Range::default()
    };
    let message = if here || d.file.is_empty() {
        visible(&d.message).into_owned()
    } else {
        format!(
            "{} (in {}, line {})",
            visible(&d.message),
            visible(&d.file),
            d.line
        )
    };
    let related = d.help.as_ref().map(|help| {
        vec![DiagnosticRelatedInformation {
            location: Location {
                uri: document.uri.clone(),
                range,
            },
            message: visible(help).into_owned(),
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

/// Paragraphs as the plain text of a hover, what they echo made visible.
fn plain(paragraphs: &[String]) -> HoverContents {
    let shown: Vec<String> = paragraphs.iter().map(|p| visible(p).into_owned()).collect();
    HoverContents::Markup(MarkupContent {
        kind: MarkupKind::PlainText,
        value: shown.join("\n\n"),
    })
}

fn between(from: Span, to: Span) -> Span {
    Span {
        end: to.end.max(from.start),
        ..from
    }
}

/// What the document says of the thing at `offset`, in words.
fn hover(document: &mut Document, offset: usize, encoding: Encoding) -> Option<Hover> {
    let analysis = document.analysed();
    let tree = analysis.tree.as_deref()?;
    let (paragraphs, span) = match locate::at(tree, offset)? {
        Target::Topic(pattern) => {
            let declared = locate::declaration_of(tree, &pattern.pattern)
                .map(|d| (d.topic.pattern.as_str(), d.label.value.as_str()));
            let owners: Vec<_> = locate::owners_of(tree, &pattern.pattern)
                .into_iter()
                .map(|o| (o.id.name.as_str(), o.name.value.as_str()))
                .collect();
            let priorities: Vec<_> = locate::priorities_of(tree, &pattern.pattern)
                .into_iter()
                .map(|p| (p.id.name.as_str(), p.name.value.as_str()))
                .collect();
            let vocabulary = locate::vocabulary(tree).next().is_some();
            let words = wording::editor::topic(
                &pattern.pattern,
                declared,
                vocabulary,
                &owners,
                &priorities,
            );
            (words, pattern.span)
        }
        Target::Forum {
            forum,
            rep,
            in_rule,
        } => {
            let attendees: Vec<_> = locate::attendees(tree, &forum.value)
                .into_iter()
                .map(|r| (r.id.name.as_str(), r.name.value.as_str()))
                .collect();
            let rule_of = in_rule.then_some((rep.id.name.as_str(), rep.name.value.as_str()));
            let words = wording::editor::forum(&forum.value, &attendees, rule_of);
            (words, forum.span)
        }
        Target::Script(principle, _) | Target::Principle(principle) => {
            let script = match &principle.body {
                ast::PrincipleBody::Script { path } => Some(path.value.as_str()),
                ast::PrincipleBody::Inline { .. } => None,
            };
            let words = wording::editor::principle(
                &principle.id.name,
                &principle.statement.value,
                principle.severity_or_default(),
                script,
            );
            (words, between(principle.span, principle.statement.span))
        }
        Target::Rule { rep, rule, index } => {
            let compiled = analysis.loaded.mandate.as_ref().and_then(|mandate| {
                let compiled = mandate.representative(&rep.id.name)?;
                let one = compiled
                    .rules
                    .get(index)
                    .filter(|r| r.line == rule.span.line)?;
                Some(wording::rule(mandate, compiled, one))
            });
            let errors = analysis
                .loaded
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .count();
            let words = compiled.unwrap_or_else(|| wording::editor::rule_unworded(errors));
            (vec![words], rule.span)
        }
        Target::Organisation(org) => {
            let owns: Vec<&str> = org.owned_patterns().map(|p| p.pattern.as_str()).collect();
            let words = wording::editor::organisation(&org.id.name, &org.name.value, &owns);
            (words, between(org.span, org.name.span))
        }
        Target::Priority(priority) => {
            let topics: Vec<&str> = priority.patterns().map(|p| p.pattern.as_str()).collect();
            let words = wording::editor::priority(&priority.id.name, &priority.name.value, &topics);
            (words, between(priority.span, priority.name.span))
        }
        Target::Representative(rep) => {
            let role = rep.statements.iter().find_map(|s| match s {
                RepresentativeStmt::Role { role, .. } => Some(role.value.as_str()),
                _ => None,
            });
            let forums: Vec<&str> = locate::forums(rep).map(|f| f.value.as_str()).collect();
            let rules = rep
                .statements
                .iter()
                .filter(|s| matches!(s, RepresentativeStmt::Rule(_)))
                .count();
            let words = wording::editor::representative(
                &rep.id.name,
                &rep.name.value,
                role,
                &forums,
                rules,
            );
            (words, between(rep.span, rep.name.span))
        }
    };
    Some(Hover {
        contents: plain(&paragraphs),
        range: Some(range(&document.text, span.start, span.end, encoding)),
    })
}

/// What may be written at `offset`.
fn completion(document: &mut Document, offset: usize, encoding: Encoding) -> CompletionResponse {
    document.analysed();
    let names = document.last_tree.clone();
    let found = complete::at(&document.text, offset, names.as_deref());
    let replaced = range(&document.text, found.start, found.end, encoding);
    let items = found
        .suggestions
        .into_iter()
        .enumerate()
        .map(|(i, suggestion)| CompletionItem {
            label: visible(&suggestion.text).into_owned(),
            kind: Some(match suggestion.kind {
                complete::Kind::Keyword => CompletionItemKind::KEYWORD,
                complete::Kind::Topic => CompletionItemKind::ENUM_MEMBER,
                complete::Kind::Field => CompletionItemKind::FIELD,
                complete::Kind::Forum => CompletionItemKind::VALUE,
            }),
            detail: suggestion.detail,
            // The grammar's order, then the file's.
            sort_text: Some(format!("{i:05}")),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range: replaced,
                new_text: suggestion.text,
            })),
            ..CompletionItem::default()
        })
        .collect();
    CompletionResponse::Array(items)
}

/// Where the thing at `offset` is declared.
fn definition(
    document: &mut Document,
    offset: usize,
    encoding: Encoding,
) -> Option<GotoDefinitionResponse> {
    let tree = document.analysed().tree.clone()?;
    // The character at the cursor, or the word the cursor ends.
    let before = offset
        .checked_sub(1)
        .filter(|b| document.text.is_char_boundary(*b));
    [Some(offset), before]
        .into_iter()
        .flatten()
        .find_map(|at| definition_at(document, &tree, at, encoding))
}

fn definition_at(
    document: &Document,
    tree: &MandateFile,
    offset: usize,
    encoding: Encoding,
) -> Option<GotoDefinitionResponse> {
    let here = |span: Span| Location {
        uri: document.uri.clone(),
        range: range(&document.text, span.start, span.end, encoding),
    };
    let location = match locate::at(tree, offset)? {
        Target::Topic(pattern) => here(locate::declaration_of(tree, &pattern.pattern)?.span),
        Target::Forum {
            forum,
            rep,
            in_rule: true,
        } => here(locate::forums(rep).find(|f| f.value == forum.value)?.span),
        Target::Script(_, path) => {
            // Only to a script loading would read: not out of the folder.
            let folder = document.path.as_deref()?.parent()?;
            let file = crate::source::script_file(&path.value, folder)?;
            Location {
                uri: file_uri(&file)?,
                range: Range::default(),
            }
        }
        _ => return None,
    };
    Some(GotoDefinitionResponse::Scalar(location))
}

/// The file's outline: its declarations, and each representative's rules
/// under them. From the last text that parsed, so the outline stays while a
/// line is being written.
fn symbols(document: &mut Document, encoding: Encoding) -> DocumentSymbolResponse {
    document.analysed();
    let Some(tree) = document.last_tree.clone() else {
        return DocumentSymbolResponse::Nested(Vec::new());
    };
    let lines = Lines::new(&document.text, encoding);
    let symbol = |name: String, detail: Option<String>, kind, span: Span, pick: Span, children| {
        let name = visible(name.trim()).into_owned();
        #[allow(deprecated)] // `deprecated` is a field the protocol keeps; it must be written.
        DocumentSymbol {
            name: if name.is_empty() {
                "(unnamed)".into()
            } else {
                name
            },
            detail: detail.map(|d| visible(&d).into_owned()),
            kind,
            tags: None,
            deprecated: None,
            range: lines.range(span.start, span.end),
            selection_range: lines.range(pick.start, pick.end.min(span.end)),
            children,
        }
    };
    let outline = tree
        .declarations
        .iter()
        .map(|declaration| match declaration {
            Declaration::Group(g) => symbol(
                g.name.value.clone(),
                Some("group".into()),
                SymbolKind::NAMESPACE,
                g.span,
                g.name.span,
                None,
            ),
            Declaration::Organisation(o) => symbol(
                o.name.value.clone(),
                Some(format!("organisation {}", o.id.name)),
                SymbolKind::CLASS,
                o.span,
                o.id.span,
                None,
            ),
            Declaration::Principle(p) => symbol(
                p.statement.value.clone(),
                Some(format!(
                    "principle {}, {}",
                    p.id.name,
                    p.severity_or_default().keyword()
                )),
                SymbolKind::CONSTANT,
                p.span,
                p.id.span,
                None,
            ),
            Declaration::Priority(p) => symbol(
                p.name.value.clone(),
                Some(format!("priority {}", p.id.name)),
                SymbolKind::ENUM,
                p.span,
                p.id.span,
                None,
            ),
            Declaration::Topic(t) => symbol(
                t.label.value.clone(),
                Some(format!("topic {}", t.topic.pattern)),
                SymbolKind::ENUM_MEMBER,
                t.span,
                t.topic.span,
                None,
            ),
            Declaration::Representative(r) => {
                let rules = r
                    .statements
                    .iter()
                    .filter_map(|s| match s {
                        RepresentativeStmt::Rule(rule) => Some(symbol(
                            rule_name(rule),
                            None,
                            SymbolKind::FUNCTION,
                            rule.span,
                            rule.span,
                            None,
                        )),
                        _ => None,
                    })
                    .collect();
                symbol(
                    r.name.value.clone(),
                    Some(format!("representative {}", r.id.name)),
                    SymbolKind::OBJECT,
                    r.span,
                    r.id.span,
                    Some(rules),
                )
            }
        })
        .collect();
    DocumentSymbolResponse::Nested(outline)
}

/// A rule as the outline names it: its effect and its topics, as written.
fn rule_name(rule: &ast::RuleDecl) -> String {
    const MOST: usize = 6;
    let topics: Vec<&str> = rule
        .topics
        .iter()
        .take(MOST)
        .map(|p| p.pattern.as_str())
        .collect();
    let more = if rule.topics.len() > MOST {
        ", ..."
    } else {
        ""
    };
    format!("{} {}{more}", rule.effect.keyword(), topics.join(", "))
}

/// The edits that give the document `mandate fmt`'s layout: none when it
/// has it, nothing (no answer) when it does not parse.
fn formatting(document: &mut Document, encoding: Encoding) -> Option<Vec<TextEdit>> {
    let formatted = crate::format::format(&document.text).ok()?;
    if formatted == document.text {
        return Some(Vec::new());
    }
    Some(vec![TextEdit {
        range: range(&document.text, 0, document.text.len(), encoding),
        new_text: formatted,
    }])
}

/// The file a `file:` URI names; `None` for any other URI (an unsaved
/// buffer), which is then validated without its scripts.
fn file_path(uri: &str) -> Option<PathBuf> {
    url::Url::parse(uri).ok()?.to_file_path().ok()
}

/// The `file:` URI of a path.
fn file_uri(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    url.as_str().parse().ok()
}
