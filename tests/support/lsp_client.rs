//! Two clients of `mandate lsp` for the tests: [`Program`] starts the
//! `mandate lsp` program and speaks to it over its standard input and
//! output, as an editor does; [`InProcess`] runs the server in this process
//! on an in-memory connection, so a case costs the analysis and not a
//! process start. Every wait has a deadline, so a hang fails the test.
#![allow(dead_code)] // Each test binary uses part of it.

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// How long any one answer may take before the test fails (not a speed
/// claim: a hang would otherwise stop the suite).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// The parameters of a request at a position.
pub fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

// ------------------------------------------------------------ a program

/// `mandate lsp` as an editor starts it.
pub struct Program {
    pub child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Program {
    /// Starts the program; nothing is sent yet.
    pub fn start() -> Program {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mandate"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("mandate lsp does not start: {e}"));
        let stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                match serde_json::from_slice(&body) {
                    Ok(message) => {
                        if sender.send(message).is_err() {
                            return;
                        }
                    }
                    Err(e) => panic!("the server wrote a message that is not JSON: {e}"),
                }
            }
        });
        Program {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    /// Starts the program and initializes it, offering `encodings`; the
    /// answer to `initialize`.
    pub fn initialized(encodings: &[&str]) -> (Program, Value) {
        let mut program = Program::start();
        let answer = program.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {"general": {"positionEncodings": encodings}}}),
        );
        program.notify("initialized", json!({}));
        (program, answer)
    }

    /// Bytes as they are, with no framing.
    pub fn raw(&mut self, bytes: &[u8]) {
        // A write may fail once the server is gone; the answers say so.
        let _ = self
            .stdin
            .write_all(bytes)
            .and_then(|()| self.stdin.flush());
    }

    /// One body, framed.
    pub fn framed(&mut self, body: &[u8]) {
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body);
        self.raw(&framed);
    }

    /// One message, framed.
    pub fn message(&mut self, message: &Value) {
        self.framed(message.to_string().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.message(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (notifications in
    /// between are dropped).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.message(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.answer(id)
            .unwrap_or_else(|| panic!("no answer from mandate lsp to {method}"))
    }

    /// The response with `id`, if one comes.
    pub fn answer(&self, id: u64) -> Option<Value> {
        loop {
            let message = self.messages.recv_timeout(PATIENCE).ok()?;
            if message["id"] == json!(id) {
                return Some(message);
            }
        }
    }

    /// Whether the server still answers a request (with `id`) after what
    /// was sent.
    pub fn still_answers(&mut self, id: u64) -> bool {
        self.message(
            &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": at("untitled:a", 0, 0)}),
        );
        self.answer(id).is_some()
    }

    pub fn receive(&self) -> Value {
        self.messages
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|e| panic!("no message from mandate lsp: {e}"))
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics(&self, uri: &str) -> Vec<Value> {
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "mandate", "version": 1, "text": text}}),
        );
    }

    pub fn change(&mut self, uri: &str, version: u32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown`, then `exit`: the process ends with status 0.
    pub fn stop(mut self) {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.get("error").is_none(), "{answer}");
        self.notify("exit", Value::Null);
        let status = self
            .child
            .wait()
            .unwrap_or_else(|e| panic!("waiting for mandate lsp: {e}"));
        assert!(status.success(), "mandate lsp exited with {status}");
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        // Only the child this test started; nothing once it has exited.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ------------------------------------------------------------ in process

/// The server in this process, on an in-memory connection.
pub struct InProcess {
    connection: Connection,
    server: Option<std::thread::JoinHandle<Result<(), mandate::lsp::LspError>>>,
    next: i32,
    /// Notifications received while waiting for responses.
    pub seen: Vec<Notification>,
    /// How many of `seen` `diagnostics` has looked through.
    taken: usize,
}

impl InProcess {
    /// A server that has not been sent anything yet.
    pub fn bare() -> InProcess {
        let (server, connection) = Connection::memory();
        let server = std::thread::spawn(move || mandate::lsp::serve(server));
        InProcess {
            connection,
            server: Some(server),
            next: 0,
            seen: Vec::new(),
            taken: 0,
        }
    }

    /// A server initialized with the client's `capabilities`.
    pub fn start_with(capabilities: Value) -> InProcess {
        let mut client = InProcess::bare();
        let answer = client.request("initialize", json!({ "capabilities": capabilities }));
        assert!(answer.response_result.is_ok(), "{answer:?}");
        client.notify("initialized", json!({}));
        client
    }

    pub fn start() -> InProcess {
        InProcess::start_with(json!({}))
    }

    /// Sends a message; whether the server still listens.
    pub fn put(&self, message: Message) -> bool {
        self.connection.sender.send(message).is_ok()
    }

    pub fn notify(&self, method: &str, params: Value) {
        let sent = self.put(Notification::new(method.to_string(), params).into());
        assert!(sent, "the server stopped listening before {method}");
    }

    /// Sends a request; its id.
    pub fn send(&mut self, method: &str, params: Value) -> RequestId {
        self.next += 1;
        let id = RequestId::from(self.next);
        let sent = self.put(Request::new(id.clone(), method.to_string(), params).into());
        assert!(sent, "the server stopped listening before {method}");
        id
    }

    /// The response to `id`, or why there is none.
    pub fn try_response(&mut self, id: &RequestId) -> Result<Response, String> {
        loop {
            match self.connection.receiver.recv_timeout(PATIENCE) {
                Ok(Message::Response(response)) if response.id == *id => return Ok(response),
                Ok(Message::Notification(n)) => self.seen.push(n),
                Ok(_) => {}
                Err(e) => return Err(format!("no answer from the server: {e}")),
            }
        }
    }

    pub fn response(&mut self, id: &RequestId) -> Response {
        self.try_response(id).unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn request(&mut self, method: &str, params: Value) -> Response {
        let id = self.send(method, params);
        self.response(&id)
    }

    /// The result of a request that must succeed.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let answer = self.request(method, params);
        match answer.response_result {
            Ok(result) => result,
            Err(e) => panic!("{method} failed: {e:?}"),
        }
    }

    pub fn open(&self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "mandate", "version": 1, "text": text}}),
        );
    }

    pub fn change(&self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// The next diagnostics published for `uri` (they come once the
    /// changes pause): the last of those not yet taken, or the next to come.
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for = |n: &Notification| {
            n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri
        };
        loop {
            let fresh = self.seen.get(self.taken..).unwrap_or_default();
            if let Some(last) = fresh.iter().rev().find(|n| is_for(n)) {
                let diagnostics = last.params["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                self.taken = self.seen.len();
                return diagnostics;
            }
            match self.connection.receiver.recv_timeout(PATIENCE) {
                Ok(Message::Notification(n)) => self.seen.push(n),
                Ok(_) => {}
                Err(e) => panic!("no diagnostics for {uri}: {e}"),
            }
        }
    }

    pub fn hover(&mut self, uri: &str, line: u32, character: u32) -> Value {
        self.result("textDocument/hover", at(uri, line, character))
    }

    /// A hover's text, which must be plain text.
    pub fn hover_text(&mut self, uri: &str, line: u32, character: u32) -> String {
        let answer = self.hover(uri, line, character);
        assert_eq!(answer["contents"]["kind"], "plaintext", "{answer}");
        answer["contents"]["value"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn completion(&mut self, uri: &str, line: u32, character: u32) -> Vec<Value> {
        let answer = self.result("textDocument/completion", at(uri, line, character));
        answer.as_array().cloned().unwrap_or_default()
    }

    /// Whether the server thread is still running.
    pub fn alive(&self) -> bool {
        self.server.as_ref().is_some_and(|s| !s.is_finished())
    }

    /// `shutdown`, then `exit`: the server returns without an error.
    pub fn stop(mut self) {
        let answer = self.request("shutdown", Value::Null);
        assert!(answer.response_result.is_ok(), "{answer:?}");
        self.notify("exit", Value::Null);
        if let Some(server) = self.server.take() {
            match server.join() {
                Ok(Ok(())) => {}
                Ok(Err(e)) => panic!("the server stopped with an error: {e}"),
                Err(_) => panic!("the server panicked"),
            }
        }
    }
}
