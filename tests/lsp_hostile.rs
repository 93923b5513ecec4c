//! A hostile client for `mandate lsp`: inputs chosen to break the server's
//! promises (it never stops on what a client sends; a position past the
//! end is answered with null; what a person reads is made visible, hovers
//! are plain text; ranges are in the agreed encoding and inside the
//! document; go to definition stays in the rule file's folder; formatting
//! is `mandate fmt`; completion offers only what may be written there;
//! a hover on a rule is the wording module's sentence for that rule).
//!
//! Most cases run the server in this process on an in-memory connection;
//! the few that are about the bytes on standard input (framing, JSON,
//! UTF-8) start the `mandate lsp` program, as an editor does.
//!
//! Each was written first against the server, and those it broke were
//! fixed; what cannot be read past (a message longer than the server
//! reads) stops it with a reason instead.

#[path = "support/lsp_client.rs"]
mod lsp_client;

use lsp_client::{at, InProcess, Program};
use lsp_server::{Request, RequestId, Response};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};

fn labels(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Line and column (in UTF-16 units) of byte `offset` of `text`, counting
/// lines as the protocol does: `\n`, `\r\n` and a lone `\r` each end one.
fn spec_position(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let mut line = 0;
    let mut start = 0;
    let bytes = before.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                start = i + 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                line += 1;
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    (line, before[start..].encode_utf16().count() as u64)
}

fn position_of(value: &Value) -> (u64, u64) {
    (
        value["line"].as_u64().unwrap_or(u64::MAX),
        value["character"].as_u64().unwrap_or(u64::MAX),
    )
}

/// The line and UTF-16 column of the first `needle` in `text`, with `\n`
/// lines.
fn find(text: &str, needle: &str) -> (u32, u32) {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not in the text"));
    let (line, character) = spec_position(text, byte);
    (line as u32, character as u32)
}

/// The compiled mandate of `text`, which must have no errors.
fn compiled(text: &str) -> mandate::Mandate {
    let loaded = mandate::Mandate::from_source(
        mandate::source::SourceFile {
            name: "untitled:x.mandate".into(),
            text: text.into(),
        },
        mandate::source::Scripts::new(),
        chrono::Local::now().date_naive(),
    );
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    loaded
        .mandate
        .unwrap_or_else(|| panic!("the text does not load"))
}

/// The wording of rule `index` of representative `rep` in `text`.
fn worded(text: &str, rep: &str, index: usize) -> String {
    let mandate = compiled(text);
    let representative = mandate
        .representative(rep)
        .unwrap_or_else(|| panic!("no representative {rep}"));
    let rule = representative
        .rules
        .get(index)
        .unwrap_or_else(|| panic!("{rep} has no rule {index}"));
    mandate::wording::rule(&mandate, representative, rule)
}

// ------------------------------------------------------------ a program

// ------------------------------------------------------------ the bytes

/// A message whose body is not JSON is skipped, and the server goes on.
#[test]
fn a_body_that_is_not_json_is_skipped() {
    let mut editor = Program::initialized(&[]).0;
    editor.framed(b"{this is not json");
    assert!(
        editor.still_answers(7),
        "the server stopped after a body that is not JSON"
    );
}

/// A body that is not UTF-8 (a client in the wrong encoding) is skipped.
#[test]
fn a_body_that_is_not_utf8_is_skipped() {
    let mut editor = Program::initialized(&[]).0;
    editor.framed(b"{\"jsonrpc\": \"2.0\", \"method\": \"x\", \"params\": \"caf\xe9\"}");
    assert!(
        editor.still_answers(7),
        "the server stopped after a body in Latin-1"
    );
}

/// A request whose id is `null` is taken as a notification; the server
/// goes on.
#[test]
fn a_request_whose_id_is_null_does_not_stop_the_server() {
    let mut editor = Program::initialized(&[]).0;
    editor.message(
        &json!({"jsonrpc": "2.0", "id": null, "method": "textDocument/hover", "params": {}}),
    );
    assert!(
        editor.still_answers(7),
        "the server stopped after an id of null"
    );
}

/// A `Content-Length` of `u64::MAX`: the next message cannot be found, so
/// the server stops, saying why on stderr, with status 1 (it does not try
/// to allocate the length, and does not wait for it).
#[test]
fn an_absurd_content_length_stops_the_server_with_a_reason() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mandate"))
        .arg("lsp")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("mandate lsp does not start: {e}"));
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    stdin
        .write_all(b"Content-Length: 18446744073709551615\r\n\r\n{}")
        .unwrap_or_else(|e| panic!("{e}"));
    // The input stays open: the server stops by itself.
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    drop(stdin);
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("a message of 18446744073709551615 bytes; the most mandate lsp reads is"),
        "{said}"
    );
}

/// A header ended by a bare line feed is read as one ended by `\r\n`.
#[test]
fn a_header_without_carriage_return_is_read() {
    let mut editor = Program::initialized(&[]).0;
    editor.raw(b"Content-Length: 2\n\n{}");
    assert!(
        editor.still_answers(7),
        "the server stopped after a header ended by \\n"
    );
}

// ------------------------------------------------------------ the protocol

/// A request sent before `initialized` (after `initialize`'s answer) is
/// answered.
#[test]
fn a_request_before_initialized_is_answered() {
    let mut client = InProcess::bare();
    let answer = client.request("initialize", json!({"capabilities": {}}));
    assert!(answer.response_result.is_ok(), "{answer:?}");
    let id = client.send("textDocument/hover", at("untitled:a", 0, 0));
    let answered = client.try_response(&id);
    assert!(
        answered.is_ok(),
        "a hover before `initialized`: {answered:?}"
    );
    client.notify("initialized", json!({}));
    client.stop();
}

/// A response (to nothing) before `initialize` is dropped, and the
/// `initialize` after it answered.
#[test]
fn a_response_before_initialize_is_dropped() {
    let client = InProcess::bare();
    client.put(Response::new_ok(RequestId::from(99), json!(null)).into());
    let mut client = client;
    let id = client.send("initialize", json!({"capabilities": {}}));
    let answered = client.try_response(&id);
    assert!(
        answered.is_ok(),
        "initialize after a stray response: {answered:?}"
    );
    client.notify("initialized", json!({}));
    client.stop();
}

/// Requests before `initialize` are refused and the server still starts;
/// requests on documents never opened, duplicate ids, parameters of the
/// wrong shape and unknown methods are answered, and the server goes on.
#[test]
fn odd_requests_are_answered_and_the_server_goes_on() {
    let mut client = InProcess::bare();
    let early = client.request("textDocument/hover", at("untitled:a", 0, 0));
    assert!(early.response_result.is_err(), "{early:?}");
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": "untitled:a", "languageId": "mandate", "version": 1, "text": "x"}}));
    let answer = client.request(
        "initialize",
        json!({"capabilities": {"general": {"positionEncodings": 5}}}),
    );
    assert_eq!(
        answer.response_result.unwrap_or_default()["capabilities"]["positionEncoding"],
        "utf-16"
    );
    client.notify("initialized", json!({}));
    // Never opened.
    for method in [
        "textDocument/hover",
        "textDocument/completion",
        "textDocument/definition",
    ] {
        assert_eq!(
            client.result(method, at("untitled:never", 0, 0)),
            Value::Null,
            "{method}"
        );
    }
    for method in ["textDocument/documentSymbol", "textDocument/formatting"] {
        let params = json!({"textDocument": {"uri": "untitled:never"}, "options": {"tabSize": 2, "insertSpaces": true}});
        assert_eq!(client.result(method, params), Value::Null, "{method}");
    }
    // Duplicate ids: both answered.
    let text = "group \"G\" { }\ntopic a \"A\"\n";
    client.open("untitled:a", text);
    let request = Request::new(
        RequestId::from(5),
        "textDocument/hover".into(),
        at("untitled:a", 1, 6),
    );
    client.put(request.clone().into());
    client.put(request.into());
    let first = client.response(&RequestId::from(5));
    let second = client.response(&RequestId::from(5));
    assert_eq!(first.response_result.ok(), second.response_result.ok());
    // String ids, wrong shapes, huge and negative numbers.
    let id = RequestId::from("a string id".to_string());
    client.put(
        Request::new(
            id.clone(),
            "textDocument/hover".into(),
            at("untitled:a", 1, 6),
        )
        .into(),
    );
    assert!(client.response(&id).response_result.is_ok());
    for params in [
        json!(null),
        json!([1, 2]),
        json!({"textDocument": {"uri": "untitled:a"}, "position": {"line": -1, "character": 0}}),
        json!({"textDocument": {"uri": "untitled:a"}, "position": {"line": 4_294_967_296u64, "character": 0}}),
        json!({"textDocument": {"uri": "not a uri at all"}, "position": {"line": 0, "character": 0}}),
        json!({"textDocument": {"uri": 7}, "position": {"line": 0, "character": 0}}),
    ] {
        let answer = client.request("textDocument/hover", params.clone());
        assert!(answer.response_result.is_err(), "{params}: {answer:?}");
    }
    let answer = client.request("textDocument/\u{1b}[2Jodd\u{202e}", json!({}));
    let message = answer
        .response_result
        .err()
        .map(|e| e.message)
        .unwrap_or_default();
    assert!(
        !message.contains('\u{1b}') && !message.contains('\u{202e}'),
        "{message:?}"
    );
    // Notifications that make no sense.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "untitled:a", "version": 2}, "contentChanges": []}),
    );
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": "untitled:never"}}),
    );
    client.notify("$/cancelRequest", json!({"id": 12345}));
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": "untitled:b", "version": 2}, "contentChanges": [{"range": {"start": {"line": 9, "character": 9}, "end": {"line": 0, "character": 0}}, "text": "group"}]}));
    assert!(client.alive());
    assert_eq!(
        client.hover_text("untitled:a", 1, 6),
        "A (a).\n\nNo member organisation owns it: the group's rules decide it."
    );
    client.stop();
}

/// Positions past the end of the text are answered with null; a
/// character past the end of a line, half of a UTF-16 pair or the middle
/// of a UTF-8 sequence is taken as the protocol says.
#[test]
fn positions_past_the_end_and_inside_characters() {
    let text = "group \"G\" { }\ntopic a \"😀 A\"\nrepresentative r \"R\" { may agree a }";
    for encodings in [json!(["utf-16"]), json!(["utf-8"]), json!(["utf-32"])] {
        let mut client =
            InProcess::start_with(json!({"general": {"positionEncodings": encodings}}));
        client.open("untitled:a", text);
        for (line, character) in [
            (3, 0),
            (4, 0),
            (u32::MAX, 0),
            (u32::MAX, u32::MAX),
            (100_000, 5),
        ] {
            for method in [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/definition",
            ] {
                assert_eq!(
                    client.result(method, at("untitled:a", line, character)),
                    Value::Null,
                    "{method} at {line}:{character} with {encodings}"
                );
            }
        }
        // Inside the emoji, in every encoding: the topic's hover.
        for character in 9..13 {
            let said = client.hover_text("untitled:a", 1, character);
            assert!(said.starts_with("😀 A (a)."), "{character}: {said}");
        }
        // Past the end of a line: its end.
        assert!(client.hover("untitled:a", 0, u32::MAX).is_null());
        let answer = client.hover("untitled:a", 2, u32::MAX);
        assert!(answer.is_null(), "{answer}");
        client.stop();
    }
}

// ------------------------------------------------------------ ranges

/// The protocol ends a line at `\n`, `\r\n` or a lone `\r`, and so do the
/// server's ranges, in a file whose lines end in `\r` (which the language
/// reads: `\r` is a blank).
#[test]
fn a_lone_carriage_return_ends_a_line_in_ranges() {
    let text = "group \"G\" { }\rtopic a \"A\"\rrepresentative r \"R\" { may agree zz }\r";
    let mut client = InProcess::start();
    client.open("untitled:cr", text);
    let published = client.diagnostics("untitled:cr");
    let zz = published
        .iter()
        .find(|d| d["message"].as_str().is_some_and(|m| m.contains("zz")))
        .unwrap_or_else(|| panic!("no diagnostic on zz: {published:?}"));
    let start = text.find("zz").unwrap_or_default();
    assert_eq!(
        position_of(&zz["range"]["start"]),
        spec_position(text, start),
        "{zz}"
    );
    client.stop();
}

/// Formatting a file with `\r` lines: the edit covers the whole file as
/// the client counts its lines, so the result is `mandate fmt`'s text.
#[test]
fn formatting_a_file_with_carriage_return_lines_covers_it_all() {
    let text = "group \"G\" {\r}\rtopic a \"A\"\r";
    let expected = mandate::format::format(text).unwrap_or_else(|e| panic!("{e}"));
    let mut client = InProcess::start();
    client.open("untitled:cr", text);
    let edits = client.result(
        "textDocument/formatting",
        json!({"textDocument": {"uri": "untitled:cr"}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let edit = &edits[0];
    assert_eq!(edit["newText"], json!(expected));
    assert_eq!(position_of(&edit["range"]["start"]), (0, 0));
    assert_eq!(
        position_of(&edit["range"]["end"]),
        spec_position(text, text.len()),
        "the edit does not cover the file as the client counts it: {edit}"
    );
    client.stop();
}

/// Every range the server sends (diagnostics, hovers, outline,
/// completion, definition) is inside the document and counted in the
/// agreed encoding, also when the outline comes from an older text that
/// parsed.
#[test]
fn ranges_stay_inside_the_document() {
    let long = "// 😀😀😀 ünïcödé\ngroup \"Gröup 😀\" { place \"Café\" }\ntopic a \"Å 😀\"\ntopic a.b \"B\"\norganisation o \"Ö\" { owns a.b }\nrepresentative r \"Ř 😀\" {\n  forums \"Bøard\"\n  may agree a.b at \"Bøard\" when cost <= 5\n  may agree a except a.b\n}\n";
    let short = "😀😀 may";
    for encoding in ["utf-16", "utf-8", "utf-32"] {
        let mut client =
            InProcess::start_with(json!({"general": {"positionEncodings": [encoding]}}));
        client.open("untitled:r", long);
        let _ = client.diagnostics("untitled:r");
        client.change("untitled:r", 2, short);
        let units = |line: &str| match encoding {
            "utf-8" => line.len() as u64,
            "utf-16" => line.encode_utf16().count() as u64,
            _ => line.chars().count() as u64,
        };
        let lines: Vec<&str> = short.split('\n').collect();
        let inside = |p: &Value| {
            let (line, character) = position_of(p);
            lines
                .get(line as usize)
                .is_some_and(|l| character <= units(l))
        };
        let outline = client.result(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "untitled:r"}}),
        );
        let mut stack: Vec<Value> = outline.as_array().cloned().unwrap_or_default();
        assert!(
            !stack.is_empty(),
            "the outline of the last text that parsed"
        );
        while let Some(symbol) = stack.pop() {
            for key in ["range", "selectionRange"] {
                for end in ["start", "end"] {
                    assert!(inside(&symbol[key][end]), "{encoding}: {symbol}");
                }
            }
            stack.extend(symbol["children"].as_array().cloned().unwrap_or_default());
        }
        for d in client.diagnostics("untitled:r") {
            assert!(
                inside(&d["range"]["start"]) && inside(&d["range"]["end"]),
                "{d}"
            );
        }
        for item in client.completion("untitled:r", 0, 99) {
            let range = &item["textEdit"]["range"];
            assert!(inside(&range["start"]) && inside(&range["end"]), "{item}");
        }
        client.stop();
    }
}

// ------------------------------------------------------------ hovers

const RULES: &str = "group \"G\" { }\ntopic a \"Alpha\"\ntopic a.x \"Alpha X\"\ntopic b \"Beta\"\norganisation o \"Org O\" { owns a }\norganisation p \"Org P\" { owns a.x }\nrepresentative r \"R\" {\n  forums \"F\"\n  may agree a except a.x may not agree b when cost > 5\n  refer b at \"F\"\n}\n";

/// Several rules on one line, a rule with `except`, a rule hovered at
/// its last character: each is the wording module's sentence for that
/// rule; a topic is its label and its owners.
#[test]
fn a_hover_is_the_rule_under_the_cursor() {
    let mut client = InProcess::start();
    client.open("untitled:h", RULES);
    let line = RULES.lines().nth(8).unwrap_or_default();
    let column = |needle: &str| line.find(needle).unwrap_or_default() as u32;
    let first = worded(RULES, "r", 0);
    let second = worded(RULES, "r", 1);
    assert_ne!(first, second);
    assert_eq!(
        client.hover_text("untitled:h", 8, column("may agree")),
        first
    );
    assert_eq!(client.hover_text("untitled:h", 8, column("except")), first);
    assert_eq!(
        client.hover_text("untitled:h", 8, column("may not")),
        second
    );
    assert_eq!(client.hover_text("untitled:h", 8, column("cost")), second);
    // The last character of the second rule: `5`.
    assert_eq!(client.hover_text("untitled:h", 8, column("5")), second);
    assert_eq!(client.hover_text("untitled:h", 9, 3), worded(RULES, "r", 2));
    // A topic in `except`: its label, and the organisation owning it.
    let ax = client.hover_text("untitled:h", 8, column("a.x"));
    assert!(ax.starts_with("Alpha X (a.x)."), "{ax}");
    assert!(ax.contains("Org P (p)") && ax.contains("Org O (o)"), "{ax}");
    let answer = client.hover("untitled:h", 8, column("a.x"));
    assert_eq!(answer["contents"]["kind"], "plaintext");
    client.stop();
}

/// A rule written right after the one before, with no blank between
/// (after a text: `"s"may`; after its forum: `at "F"may`): the hover on
/// the first letter of the second rule is the second rule's sentence, not
/// the first rule's or the forum's.
#[test]
fn a_hover_on_a_rule_that_touches_the_one_before_is_that_rule() {
    for text in [
        "group \"G\" { }\ntopic a \"Alpha\"\ntopic b \"Beta\"\nrepresentative r \"R\" {\n  may agree a when kind == \"s\"may not agree b\n}\n",
        "group \"G\" { }\ntopic a \"Alpha\"\nrepresentative r \"R\" {\n  forums \"F\"\n  may agree a at \"F\"may not agree a.b\n}\n",
    ] {
        let mut client = InProcess::start();
        client.open("untitled:t", text);
        let line = text.lines().nth(4).unwrap_or_default();
        let may = line.rfind("may").unwrap_or_default() as u32;
        assert_eq!(
            client.hover_text("untitled:t", 4, may),
            worded(text, "r", 1),
            "the hover on the `m` of the second rule in {text:?}"
        );
        client.stop();
    }
}

/// What a person reads is made visible: a label, a name or a forum
/// carrying a terminal escape or a bidirectional override or isolate, in
/// hovers, completion labels and details, the outline and diagnostics.
#[test]
fn what_a_person_reads_is_made_visible() {
    let evil = "\u{1b}]8;;http://x\u{7}\u{202e}\u{2066}\u{200b}\u{9b}2J";
    let text = format!(
        "group \"G{evil}\" {{ }}\ntopic a \"A{evil}\"\norganisation o \"O{evil}\" {{ owns a }}\npriority q \"Q{evil}\" {{ topics a }}\nprinciple p \"P{evil}\" advisory {{ true }}\nrepresentative r \"R{evil}\" {{\n  role \"x{evil}\"\n  forums \"F{evil}\"\n  may agree a at \"F{evil}\" when cost < 5\n  may agree a at \"N{evil}\"\n}}\n"
    );
    let hidden = |s: &str| {
        s.chars()
            .any(|c| c.is_control() || matches!(c, '\u{202e}' | '\u{2066}' | '\u{200b}'))
    };
    let mut client = InProcess::start();
    client.open("untitled:v", &text);
    let diagnostics = client.diagnostics("untitled:v");
    assert!(!diagnostics.is_empty(), "the unlisted forum is a warning");
    for d in &diagnostics {
        assert!(!hidden(d["message"].as_str().unwrap_or_default()), "{d}");
        for info in d["relatedInformation"].as_array().into_iter().flatten() {
            assert!(!hidden(info["message"].as_str().unwrap_or_default()), "{d}");
        }
    }
    for (line, row) in text.lines().enumerate() {
        for character in 0..row.encode_utf16().count() as u32 {
            let answer = client.hover("untitled:v", line as u32, character);
            if answer.is_null() {
                continue;
            }
            assert_eq!(answer["contents"]["kind"], "plaintext", "{answer}");
            let said = answer["contents"]["value"].as_str().unwrap_or_default();
            // Paragraphs are joined by blank lines; nothing else is raw.
            assert!(
                !hidden(&said.replace("\n\n", " ")),
                "{line}:{character}: {said:?}"
            );
        }
    }
    let outline = client.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "untitled:v"}}),
    );
    let mut stack: Vec<Value> = outline.as_array().cloned().unwrap_or_default();
    while let Some(symbol) = stack.pop() {
        assert!(
            !hidden(symbol["name"].as_str().unwrap_or_default()),
            "{symbol}"
        );
        assert!(
            !hidden(symbol["detail"].as_str().unwrap_or_default()),
            "{symbol}"
        );
        stack.extend(symbol["children"].as_array().cloned().unwrap_or_default());
    }
    // Completion while typing a rule after `at` and at a topic.
    for (version, typed) in [(2, "  may agree a at \""), (3, "  may agree ")] {
        let typing = text.replace(
            "  may agree a at \"N",
            &format!("{typed}\n  may agree a at \"N"),
        );
        client.change("untitled:v", version, &typing);
        let (line, _) = find(&typing, &format!("{typed}\n"));
        let items = client.completion("untitled:v", line, typed.len() as u32);
        assert!(!items.is_empty(), "{typed}");
        for item in items {
            assert!(
                !hidden(item["label"].as_str().unwrap_or_default()),
                "{item}"
            );
            assert!(
                !hidden(item["detail"].as_str().unwrap_or_default()),
                "{item}"
            );
        }
    }
    client.stop();
}

// ------------------------------------------------------------ completion

/// Whether writing `item` at the cursor of `typing` leaves a file
/// `validate` finds no error in (warnings allowed), once `tail` closes
/// what is open.
fn errors_after(typing: &str, item: &Value, tail: &str) -> Vec<String> {
    let new_text = item["textEdit"]["newText"].as_str().unwrap_or_default();
    let text = format!("{typing}{new_text}{tail}");
    let loaded = mandate::Mandate::from_source(
        mandate::source::SourceFile {
            name: "x".into(),
            text: text.clone(),
        },
        mandate::source::Scripts::new(),
        chrono::Local::now().date_naive(),
    );
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("`{new_text}`: {}", d.message))
        .collect()
}

/// The grammar's suggestions, filled in from the file, in a file that
/// parsed just before: each one written there leaves no error.
#[test]
fn completion_offers_what_may_be_written() {
    let base = "group \"G\" { }\ntopic a \"Alpha\"\ntopic a.x \"Alpha X\"\nrepresentative r \"R\" {\n  forums \"F\", \"Trust \\\"T\\\"\"\n  may agree a when cost <= 5 and risk == \"low\"\n";
    let mut client = InProcess::start();
    client.open("untitled:c", &format!("{base}}}\n"));
    let _ = client.diagnostics("untitled:c");
    let cases: &[(&str, &str, &[&str])] = &[
        ("  may agree ", "\n}\n", &["a", "a.x"]),
        (
            "  may agree a at ",
            "\n}\n",
            &["\"F\"", "\"Trust \\\"T\\\"\""],
        ),
        (
            "  may agree a when ",
            " == 1\n}\n",
            &["not", "cost", "risk"],
        ),
        ("  may ", " a\n}\n", &["agree", "not agree"]),
    ];
    for (version, (typed, tail, expected)) in cases.iter().enumerate() {
        let typing = format!("{base}{typed}");
        client.change("untitled:c", version as i32 + 2, &typing);
        let line = typing.lines().count() as u32 - 1;
        let items = client.completion("untitled:c", line, typed.len() as u32);
        assert_eq!(labels(&items), *expected, "{typed}");
        for item in &items {
            // `not` is followed by a condition.
            let tail = if item["label"] == "not" {
                format!(" cost{tail}")
            } else {
                tail.to_string()
            };
            assert_eq!(errors_after(&typing, item, &tail), Vec::<String>::new());
        }
    }
    // A principle's severities after its statement.
    let typing = "group \"G\" { }\nprinciple p \"P\" ";
    client.change("untitled:c", 20, typing);
    let items = client.completion("untitled:c", 1, 16);
    assert_eq!(labels(&items), ["script", "blocking", "refer", "advisory"]);
    // Nothing in a comment, or inside a principle's Rhai.
    client.change("untitled:c", 21, "group \"G\" { } // may agree ");
    assert!(client.completion("untitled:c", 0, 27).is_empty());
    client.change(
        "untitled:c",
        22,
        "group \"G\" { }\nprinciple p \"P\" {\n  let x = ",
    );
    let inside_rhai = client.completion("untitled:c", 2, 10);
    assert!(inside_rhai.is_empty(), "{inside_rhai:?}");
    client.stop();
}

/// After `topic`, no declared topic is offered: writing one there would
/// declare it twice, an error.
#[test]
fn completion_after_topic_offers_no_declared_topic() {
    let base = "group \"G\" { }\ntopic a \"Alpha\"\ntopic a.x \"Alpha X\"\n";
    let mut client = InProcess::start();
    client.open("untitled:c", base);
    let _ = client.diagnostics("untitled:c");
    let typing = format!("{base}topic ");
    client.change("untitled:c", 2, &typing);
    let items = client.completion("untitled:c", 3, 6);
    let wrong: Vec<String> = items
        .iter()
        .flat_map(|item| errors_after(&typing, item, " \"New\"\n"))
        .collect();
    assert_eq!(wrong, Vec::<String>::new(), "{:?}", labels(&items));
    client.stop();
}

/// At the top of a file that has its `group`, `group` is not offered: a
/// second one is an error.
#[test]
fn completion_offers_no_second_group() {
    let base = "group \"G\" { }\ntopic a \"Alpha\"\n";
    let mut client = InProcess::start();
    client.open("untitled:c", base);
    let items = client.completion("untitled:c", 2, 0);
    assert!(
        !labels(&items).contains(&"group".to_string()),
        "{:?}",
        labels(&items)
    );
    client.stop();
}

/// In a representative that already has its `role`, `forums`, `valid`
/// and `report within`, none is offered again: a second one is an error.
#[test]
fn completion_offers_no_second_role_forums_valid_or_report() {
    let base = "group \"G\" { }\ntopic a \"Alpha\"\nrepresentative r \"R\" {\n  role \"Chair\"\n  forums \"F\"\n  valid until 2099-01-01\n  report within 3 days\n  may agree a\n";
    let mut client = InProcess::start();
    client.open("untitled:c", &format!("{base}}}\n"));
    let _ = client.diagnostics("untitled:c");
    let typing = format!("{base}  ");
    client.change("untitled:c", 2, &typing);
    let items = client.completion("untitled:c", 8, 2);
    let offered = labels(&items);
    assert!(offered.contains(&"may agree".to_string()), "{offered:?}");
    let tails = [
        (" \"Again\"\n}\n"),
        (" \"G\"\n}\n"),
        (" 2099-01-01\n}\n"),
        (" 3 days\n}\n"),
    ];
    let mut wrong = Vec::new();
    for item in &items {
        for tail in tails {
            let text = format!(
                "{typing}{}{tail}",
                item["textEdit"]["newText"].as_str().unwrap_or_default()
            );
            if mandate::syntax::parse(&text).is_ok() {
                wrong.extend(
                    errors_after(&typing, item, tail)
                        .into_iter()
                        .filter(|e| e.contains("given twice")),
                );
            }
        }
    }
    assert_eq!(wrong, Vec::<String>::new(), "{offered:?}");
    client.stop();
}

/// In the middle of a word (or of a forum's text), a suggestion replaces
/// the whole of it: taking `interface` at `inter|face` writes `interface`.
#[test]
fn completion_in_the_middle_of_a_word_replaces_all_of_it() {
    let text = "group \"G\" { }\ntopic interface \"I\"\nrepresentative r \"R\" {\n  forums \"Board\"\n  may agree interface at \"Board\"\n}\n";
    let mut client = InProcess::start();
    client.open("untitled:c", text);
    let _ = client.diagnostics("untitled:c");
    let line = text.lines().nth(4).unwrap_or_default();
    for (needle, cut, taken) in [("interface", 5, "interface"), ("\"Board\"", 3, "\"Board\"")] {
        let start = line.find(needle).unwrap_or_default();
        let items = client.completion("untitled:c", 4, (start + cut) as u32);
        let item = items
            .iter()
            .find(|i| i["label"] == taken)
            .unwrap_or_else(|| panic!("{taken} is not offered: {items:?}"));
        let range = &item["textEdit"]["range"];
        let (from, to) = (
            position_of(&range["start"]).1 as usize,
            position_of(&range["end"]).1 as usize,
        );
        let written = format!("{}{}{}", &line[..from], taken, &line[to..]);
        assert_eq!(written, line, "taking {taken} inside {needle}");
    }
    client.stop();
}

/// After `at`, in a representative the last text that parsed does not
/// have, every forum of the file is offered, each once.
#[test]
fn completion_after_at_offers_each_forum_once() {
    let base = "group \"G\" { }\ntopic a \"Alpha\"\nrepresentative r \"R\" { forums \"Board\", \"Council\" }\nrepresentative s \"S\" { forums \"Board\" }\n";
    let mut client = InProcess::start();
    client.open("untitled:c", base);
    let _ = client.diagnostics("untitled:c");
    let typing = format!("{base}representative t \"T\" {{\n  forums \"Board\"\n  may agree a at ");
    client.change("untitled:c", 2, &typing);
    let offered = labels(&client.completion("untitled:c", 6, 17));
    let mut once = offered.clone();
    once.sort();
    once.dedup();
    assert_eq!(offered.len(), once.len(), "{offered:?}");
    client.stop();
}

// ------------------------------------------------------------ definition, formatting, size

/// Go to definition opens only a script loading reads: not one through a
/// symbolic link out of the folder, an absolute path, `..`, a folder or
/// a document that is not a file.
#[test]
fn definition_stays_in_the_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let inner = dir.path().join("group");
    std::fs::create_dir_all(inner.join("principles")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("outside.rhai"), "true").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(inner.join("principles/in.rhai"), "true").unwrap_or_else(|e| panic!("{e}"));
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("outside.rhai"), inner.join("link.rhai"))
        .unwrap_or_else(|e| panic!("{e}"));
    let outside = dir.path().join("outside.rhai");
    let path = inner.join("g.mandate");
    let uri = url::Url::from_file_path(&path)
        .unwrap_or_else(|()| panic!("no URI"))
        .to_string();
    let scripts = [
        "link.rhai".to_string(),
        outside.display().to_string(),
        "../outside.rhai".into(),
        "principles/../../outside.rhai".into(),
        "principles".into(),
        "principles/in.rhai".into(),
    ];
    let mut text = String::from("group \"G\" { }\n");
    for (i, script) in scripts.iter().enumerate() {
        text.push_str(&format!("principle p{i} \"P\" script \"{script}\"\n"));
    }
    let mut client = InProcess::start();
    client.open(&uri, &text);
    for (i, script) in scripts.iter().enumerate() {
        let line = i as u32 + 1;
        let column = text
            .lines()
            .nth(i + 1)
            .and_then(|l| l.find("script \""))
            .unwrap_or_default() as u32
            + 9;
        let answer = client.result("textDocument/definition", at(&uri, line, column));
        if script == "principles/in.rhai" {
            let target = answer["uri"].as_str().unwrap_or_default();
            assert!(target.ends_with("/group/principles/in.rhai"), "{answer}");
        } else {
            assert_eq!(answer, Value::Null, "{script}");
        }
    }
    // The same text in an unsaved buffer has no folder: no script.
    client.open("untitled:g", &text);
    let answer = client.result("textDocument/definition", at("untitled:g", 6, 30));
    assert_eq!(answer, Value::Null);
    client.stop();
}

/// Formatting gives exactly `mandate fmt`'s text, for messy, commented,
/// non-ASCII and `\r\n` files; nothing for a file that does not parse.
#[test]
fn formatting_is_exactly_mandate_fmt() {
    let texts = [
        "group \"G 😀\"{place \"P\"}\r\n// a comment\r\ntopic a \"Å\"\r\nrepresentative r \"R\"{may agree a when(cost<=5)and not x==\"y\"}",
        "\u{feff}group \"G\" { }\n\n\n\ntopic a \"A\" // kept\n",
        "group \"G\" { } principle p \"P\" { let x = \"}\"; x == \"}\" }",
    ];
    let mut client = InProcess::start();
    for (i, text) in texts.iter().enumerate() {
        let uri = format!("untitled:f{i}");
        client.open(&uri, text);
        let edits = client.result(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 8, "insertSpaces": false}}),
        );
        let expected = mandate::format::format(text).unwrap_or_else(|e| panic!("{e}"));
        let edits = edits.as_array().cloned().unwrap_or_default();
        if expected == *text {
            assert!(edits.is_empty());
            continue;
        }
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0]["newText"], json!(expected));
        assert_eq!(position_of(&edits[0]["range"]["start"]), (0, 0));
        assert_eq!(
            position_of(&edits[0]["range"]["end"]),
            spec_position(text, text.len())
        );
    }
    for broken in ["group \"G\" {", "group \"G\" { } \"", "\u{0}"] {
        client.open("untitled:b", broken);
        let answer = client.result(
            "textDocument/formatting",
            json!({"textDocument": {"uri": "untitled:b"}, "options": {"tabSize": 2, "insertSpaces": true}}),
        );
        assert_eq!(answer, Value::Null, "{broken:?}");
    }
    client.stop();
}

/// Huge and deeply nested texts: every request is answered.
#[test]
fn huge_and_deep_texts_are_answered() {
    let deep_condition = format!(
        "group \"G\" {{ }}\ntopic a \"A\"\nrepresentative r \"R\" {{ may agree a when {}x{} }}\n",
        "(".repeat(50_000),
        ")".repeat(50_000)
    );
    let nots = format!(
        "group \"G\" {{ }}\ntopic a \"A\"\nrepresentative r \"R\" {{ may agree a when {}x }}\n",
        "not ".repeat(200_000)
    );
    let rhai = format!(
        "group \"G\" {{ }}\nprinciple p \"P\" {{ let c = '\"'; {} }}\n",
        "{".repeat(100_000)
    );
    let big = "x".repeat(5 * 1024 * 1024);
    let lines = "\n".repeat(1_000_000);
    let mut client = InProcess::start();
    for (name, text) in [
        ("deep", &deep_condition),
        ("nots", &nots),
        ("rhai", &rhai),
        ("big", &big),
        ("lines", &lines),
    ] {
        let uri = format!("untitled:{name}");
        client.open(&uri, text);
        let _ = client.diagnostics(&uri);
        let last = text.matches('\n').count() as u32;
        for (line, character) in [(0, 0), (2, 40), (last, 0), (last / 2, 3)] {
            for method in [
                "textDocument/hover",
                "textDocument/completion",
                "textDocument/definition",
            ] {
                client.result(method, at(&uri, line, character));
            }
        }
        client.result(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        client.result(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
        );
        client.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }
    client.stop();
}

/// Many declarations (40 000 topics, under 2 MB): the outline is answered.
/// (Each range once counted the lines from the start of the text again:
/// 2 000 topics took 5 s in a debug build, 40 000 no answer in 30 s.)
#[test]
fn the_outline_of_a_long_file_is_answered() {
    let mut text = String::from("group \"G\" { }\n");
    for i in 0..40_000 {
        text.push_str(&format!("topic t{i} \"Topic number {i}, with a label\"\n"));
    }
    let mut client = InProcess::start();
    client.open("untitled:long", &text);
    // The analysis itself is quick (well under a second here).
    let _ = client.diagnostics("untitled:long");
    let id = client.send(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "untitled:long"}}),
    );
    let answered = client.try_response(&id);
    assert!(
        answered.is_ok(),
        "the outline of {} bytes: {answered:?}",
        text.len()
    );
}
