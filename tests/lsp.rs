//! `mandate lsp` as an editor starts it: a separate process spoken to in
//! the Language Server Protocol over its standard input and output.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// How long any one answer may take before the test fails (not a speed
/// claim: a hang would otherwise stop the suite).
const PATIENCE: Duration = Duration::from_secs(20);

struct Editor {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Editor {
    fn start() -> Editor {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mandate"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
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
        Editor {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.stdin
            .write_all(framed.as_bytes())
            .and_then(|()| self.stdin.flush())
            .unwrap_or_else(|e| panic!("writing to mandate lsp: {e}"));
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (notifications in
    /// between are dropped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    fn receive(&self) -> Value {
        self.messages
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|e| panic!("no message from mandate lsp: {e}"))
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&self, uri: &str) -> Vec<Value> {
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

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "mandate", "version": 1, "text": text}}),
        );
    }

    fn change(&mut self, uri: &str, version: u32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    /// `shutdown`, then `exit`: the process ends with status 0.
    fn stop(mut self) {
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

fn initialize(editor: &mut Editor, encodings: &[&str]) -> Value {
    let answer = editor.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {"general": {"positionEncodings": encodings}}}),
    );
    editor.notify("initialized", json!({}));
    answer
}

/// What `validate` says of `text`, as (byte start, byte end, message, help).
fn validate(name: &str, text: &str) -> Vec<(usize, usize, String, Option<String>)> {
    let day = chrono::Local::now().date_naive();
    let loaded = mandate::Mandate::from_source(
        mandate::source::SourceFile {
            name: name.into(),
            text: text.into(),
        },
        mandate::source::Scripts::new(),
        day,
    );
    loaded
        .diagnostics
        .iter()
        .map(|d| (d.start, d.end, d.message.clone(), d.help.clone()))
        .collect()
}

/// Line and UTF-16 column of byte `offset`, worked out here apart from
/// the server.
fn utf16(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].encode_utf16().count() as u64)
}

fn range_of(diagnostic: &Value) -> ((u64, u64), (u64, u64)) {
    let at = |end: &str| {
        (
            diagnostic["range"][end]["line"]
                .as_u64()
                .unwrap_or(u64::MAX),
            diagnostic["range"][end]["character"]
                .as_u64()
                .unwrap_or(u64::MAX),
        )
    };
    (at("start"), at("end"))
}

const FIXED: &str = "// Zoë's mandate 😀, café\n\
group \"Gröup 😀\" { place \"Café\" }\n\
representative zoe \"Dr Zoë Ångström 😀\" {\n  forums \"Board\"\n  may agree interface.outpatients\n}\n";

/// A mistake after non-ASCII text on its own line and on the lines
/// before: the range is where `validate` puts it, in UTF-16 columns.
const BROKEN: &str = "// Zoë's mandate 😀, café\n\
group \"Gröup 😀\" { place \"Café\" }\n\
representative zoe \"Dr Zoë Ångström 😀\" { forums \"Board\" may agre interface.outpatients }\n";

#[test]
fn diagnostics_follow_the_text_at_the_right_utf16_ranges_and_clear_when_fixed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("zoe.mandate");
    let uri = url::Url::from_file_path(&path)
        .unwrap_or_else(|()| panic!("no file URI for {}", path.display()))
        .to_string();
    let mut editor = Editor::start();
    let answer = initialize(&mut editor, &["utf-16"]);
    assert_eq!(
        answer["result"]["capabilities"]["positionEncoding"], "utf-16",
        "{answer}"
    );

    editor.open(&uri, BROKEN);
    let published = editor.diagnostics(&uri);
    let expected = validate(&path.display().to_string(), BROKEN);
    assert!(!expected.is_empty(), "the broken text must have a problem");
    assert_eq!(published.len(), expected.len(), "{published:?}");
    for (diagnostic, (start, end, message, help)) in published.iter().zip(&expected) {
        assert_eq!(
            range_of(diagnostic),
            (utf16(BROKEN, *start), utf16(BROKEN, *end))
        );
        assert_eq!(diagnostic["message"], json!(message));
        assert_eq!(diagnostic["severity"], 1, "{diagnostic}");
        assert_eq!(diagnostic["source"], "mandate");
        if let Some(help) = help {
            assert_eq!(diagnostic["relatedInformation"][0]["message"], json!(help));
        }
    }
    // The mistake is `agre`, after two 😀 (two UTF-16 units each) on its line.
    let line = BROKEN.lines().nth(2).unwrap_or_default();
    let column = line
        .find("agre")
        .map(|b| line[..b].encode_utf16().count() as u64);
    assert_eq!(Some(range_of(&published[0]).0), column.map(|c| (2, c)));

    editor.change(&uri, 2, FIXED);
    assert_eq!(editor.diagnostics(&uri), Vec::<Value>::new());

    editor.stop();
}

#[test]
fn a_client_that_counts_in_utf8_gets_byte_columns() {
    let mut editor = Editor::start();
    let answer = initialize(&mut editor, &["utf-8", "utf-16"]);
    assert_eq!(
        answer["result"]["capabilities"]["positionEncoding"],
        "utf-8"
    );
    let uri = "untitled:zoe.mandate";
    editor.open(uri, BROKEN);
    let published = editor.diagnostics(uri);
    let line = BROKEN.lines().nth(2).unwrap_or_default();
    let bytes = line.find("agre").map(|b| b as u64);
    assert_eq!(Some(range_of(&published[0]).0), bytes.map(|c| (2, c)));
    editor.stop();
}

/// Text that is not a mandate, an empty file, a request the server does
/// not know and a change to a document never opened: answers or
/// diagnostics, never a crash, and the server still answers after them.
#[test]
fn garbage_and_unknown_requests_do_not_stop_the_server() {
    let mut editor = Editor::start();
    initialize(&mut editor, &[]);
    let uri = "file:///nowhere/garbage.mandate";
    editor.open(uri, "\u{0}\u{1b}[2J{{{{ }}}} \"unterminated\n\u{feff}");
    assert!(!editor.diagnostics(uri).is_empty());
    editor.change(uri, 2, "");
    assert!(!editor.diagnostics(uri).is_empty());
    editor.change("file:///never/opened.mandate", 2, "group");
    let answer = editor.request("workspace/somethingElse", json!({}));
    assert_eq!(answer["error"]["code"], -32601, "{answer}");
    editor.notify("textDocument/didOpen", json!({"not": "a document"}));
    editor.open(uri, FIXED);
    assert_eq!(editor.diagnostics(uri), Vec::<Value>::new());
    editor.stop();
}
