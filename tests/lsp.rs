//! `mandate lsp` as an editor starts it: a separate process spoken to in
//! the Language Server Protocol over its standard input and output.

#[path = "support/lsp_client.rs"]
mod lsp_client;

use lsp_client::Program;
use serde_json::{json, Value};

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
    let (mut editor, answer) = Program::initialized(&["utf-16"]);
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
    let (mut editor, answer) = Program::initialized(&["utf-8", "utf-16"]);
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
    let (mut editor, _) = Program::initialized(&[]);
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

/// The shipped example, as an editor opens it from disk.
fn ashdown() -> (std::path::PathBuf, String, String) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/ashdown/ashdown.mandate");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let uri = url::Url::from_file_path(&path)
        .unwrap_or_else(|()| panic!("no file URI for {}", path.display()))
        .to_string();
    (path, text, uri)
}

/// Line (0-based) and UTF-16 column of the first `needle` on the line
/// (1-based, as editors number them) that holds it.
fn spot(text: &str, line: usize, needle: &str) -> Value {
    let row = text.lines().nth(line - 1).unwrap_or_default();
    let byte = row
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is not on line {line}: {row}"));
    json!({"line": line - 1, "character": row[..byte].encode_utf16().count()})
}

fn at(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

fn hover_text(editor: &mut Program, uri: &str, position: Value) -> String {
    let answer = editor.request("textDocument/hover", at(uri, position));
    assert_eq!(
        answer["result"]["contents"]["kind"], "plaintext",
        "{answer}"
    );
    answer["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn labels(answer: &Value) -> Vec<String> {
    answer["result"]
        .as_array()
        .unwrap_or_else(|| panic!("completion is not a list: {answer}"))
        .iter()
        .map(|item| item["label"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_shipped_mandate_is_clean_and_every_feature_answers_from_it() {
    let (path, text, uri) = ashdown();
    let today = chrono::Local::now().date_naive();
    let loaded = mandate::Mandate::load(&path, today);
    let mandate = loaded
        .mandate
        .as_ref()
        .unwrap_or_else(|| panic!("ashdown does not load"));
    let (mut editor, _) = Program::initialized(&[]);
    editor.open(&uri, &text);
    // No diagnostics but what `validate` says of the file on disk: no
    // errors (a warning would come only as the year's dates run out).
    let published = editor.diagnostics(&uri);
    assert_eq!(published.len(), loaded.diagnostics.len(), "{published:?}");
    assert!(
        published.iter().all(|d| d["severity"] != 1),
        "{published:?}"
    );

    // A rule: the wording module's sentence, the one a brief uses.
    let patel = mandate
        .representative("patel")
        .unwrap_or_else(|| panic!("no patel"));
    let rule = patel
        .rules
        .iter()
        .find(|r| r.line == 163)
        .unwrap_or_else(|| panic!("no rule on 163"));
    let said = hover_text(&mut editor, &uri, spot(&text, 163, "may agree"));
    assert_eq!(said, mandate::wording::rule(mandate, patel, rule));
    assert!(
        said.contains("Dr Asha Patel may agree to Outpatient referrals"),
        "{said}"
    );
    // A condition of the rule on the next line is the same rule.
    assert_eq!(
        hover_text(&mut editor, &uri, spot(&text, 164, "cost")),
        said
    );
    // A topic: its label, and the member organisation that owns it.
    let discharge = hover_text(&mut editor, &uri, spot(&text, 173, "discharge"));
    assert!(
        discharge.starts_with("Hospital discharge (interface.discharge)."),
        "{discharge}"
    );
    assert!(
        discharge.contains("A local priority: The primary/secondary care interface (interface)"),
        "{discharge}"
    );
    let contract = hover_text(&mut editor, &uri, spot(&text, 26, "contract"));
    assert!(
        contract.contains("Owned by Ashdown Local Medical Committee (lmc)"),
        "{contract}"
    );
    // A principle: its statement and severity.
    let continuity = hover_text(&mut editor, &uri, spot(&text, 109, "continuity"));
    assert!(
        continuity.starts_with("Principle continuity: We protect continuity of care."),
        "{continuity}"
    );
    assert!(continuity.contains("Severity refer"), "{continuity}");
    assert!(
        continuity.contains("principles/continuity.rhai"),
        "{continuity}"
    );
    // A forum: who lists it.
    let forum = hover_text(&mut editor, &uri, spot(&text, 174, "Acute"));
    assert_eq!(
        forum,
        "The Acute Trust Interface Group: attended by Dr Asha Patel (patel)."
    );

    // Go to definition: a topic to its declaration, a script to its file,
    // an `at` to the forums line.
    let answer = editor.request(
        "textDocument/definition",
        at(&uri, spot(&text, 173, "discharge")),
    );
    assert_eq!(answer["result"]["uri"], json!(uri), "{answer}");
    assert_eq!(
        answer["result"]["range"]["start"],
        json!({"line": 49, "character": 0})
    );
    let answer = editor.request(
        "textDocument/definition",
        at(&uri, spot(&text, 109, "principles/")),
    );
    let script = answer["result"]["uri"].as_str().unwrap_or_default();
    assert!(
        script.starts_with("file://")
            && script.ends_with("/rules/ashdown/principles/continuity.rhai"),
        "{answer}"
    );
    let answer = editor.request(
        "textDocument/definition",
        at(&uri, spot(&text, 185, "Place")),
    );
    assert_eq!(
        answer["result"]["range"]["start"],
        spot(&text, 157, "\"Place"),
        "{answer}"
    );

    // The outline: every declaration, Dr Patel's rules under her.
    let answer = editor.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let outline = answer["result"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = outline.iter().filter_map(|s| s["name"].as_str()).collect();
    for name in [
        "Ashdown GP Leadership Group",
        "Ashdown Local Medical Committee",
        "We protect continuity of care",
        "Same-day access and urgent care",
        "Dr Asha Patel",
        "Chidi Okafor",
    ] {
        assert!(
            names.contains(&name),
            "{name} is not in the outline: {names:?}"
        );
    }
    let asha = outline
        .iter()
        .find(|s| s["name"] == "Dr Asha Patel")
        .cloned()
        .unwrap_or_default();
    let rules: Vec<&str> = asha["children"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["name"].as_str())
        .collect();
    assert_eq!(rules.len(), patel.rules.len(), "{rules:?}");
    assert_eq!(
        rules.first(),
        Some(&"may agree interface.outpatients, interface.advice_and_guidance")
    );

    // A formatted file needs no edit.
    let answer = editor.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(answer["result"], json!([]), "{answer}");

    // Completion while a new rule is written under Dr Patel's forums line.
    let lines: Vec<&str> = text.lines().collect();
    let mut typing = lines.clone();
    typing.insert(159, "  may agree interface.discharge at ");
    let typing = typing.join("\n") + "\n";
    editor.change(&uri, 2, &typing);
    let end_of = |line: usize| json!({"line": line, "character": typing.lines().nth(line).map_or(0, |l| l.encode_utf16().count())});
    let answer = editor.request("textDocument/completion", at(&uri, end_of(159)));
    assert_eq!(
        labels(&answer),
        [
            "\"Acute Trust Interface Group\"",
            "\"Place Partnership Board\""
        ],
        "{answer}"
    );
    let mut typing = lines.clone();
    typing.insert(159, "  may agree ");
    let typing = typing.join("\n") + "\n";
    editor.change(&uri, 3, &typing);
    let answer = editor.request(
        "textDocument/completion",
        at(&uri, json!({"line": 159, "character": 12})),
    );
    let topics = labels(&answer);
    assert_eq!(topics.len(), mandate.vocabulary().len(), "{topics:?}");
    assert!(
        topics.contains(&"interface.outpatients".to_string()),
        "{topics:?}"
    );
    let item = answer["result"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["label"] == "interface.discharge")
        .cloned()
        .unwrap_or_default();
    assert_eq!(item["detail"], "Hospital discharge", "{item}");
    assert_eq!(
        item["textEdit"]["range"]["start"],
        json!({"line": 159, "character": 12}),
        "{item}"
    );

    // Past the end of the file: nothing.
    let answer = editor.request(
        "textDocument/hover",
        at(&uri, json!({"line": 100_000, "character": 0})),
    );
    assert_eq!(answer["result"], Value::Null, "{answer}");
    editor.stop();
}

/// Formatting gives `mandate fmt`'s text; a file that does not parse gets
/// no edit (its diagnostics say why).
#[test]
fn formatting_is_mandate_fmt() {
    let (mut editor, _) = Program::initialized(&[]);
    let uri = "untitled:messy.mandate";
    let messy =
        "group \"G\"   {place \"P\"}\n// kept\nrepresentative r \"R\" { may agree x when cost<=5 }";
    editor.open(uri, messy);
    let options = json!({"tabSize": 2, "insertSpaces": true});
    let answer = editor.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": options}),
    );
    let edits = answer["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(edits.len(), 1, "{answer}");
    let expected = mandate::format::format(messy).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(edits[0]["newText"], json!(expected));
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    assert_eq!(
        edits[0]["range"]["end"],
        json!({"line": 2, "character": 49})
    );
    editor.change(uri, 2, "group \"G\" {");
    let answer = editor.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": options}),
    );
    assert_eq!(answer["result"], Value::Null, "{answer}");
    editor.stop();
}

/// A label that carries a terminal escape and a bidirectional override is
/// shown with both made visible; a rule in a file with an error says why
/// it is not in words yet, and the topic beside it is still explained.
#[test]
fn hovers_show_input_visibly_and_say_when_a_rule_cannot_be_worded() {
    let (mut editor, _) = Program::initialized(&[]);
    let uri = "untitled:hostile.mandate";
    let text = "group \"G\" { }\ntopic x \"Safe\u{1b}[2K\u{202e}AGREE\"\nrepresentative r \"R\" {\n  may agree x\n  may agree y\n}\n";
    editor.open(uri, text);
    let published = editor.diagnostics(uri);
    assert_eq!(published.len(), 1, "`y` is not declared: {published:?}");
    let said = hover_text(&mut editor, uri, json!({"line": 3, "character": 12}));
    assert!(
        said.starts_with("Safe\\u{1b}[2K\\u{202e}AGREE (x)."),
        "{said}"
    );
    assert!(
        !said.contains('\u{1b}') && !said.contains('\u{202e}'),
        "{said:?}"
    );
    let rule = hover_text(&mut editor, uri, json!({"line": 3, "character": 2}));
    assert!(
        rule.contains("once the file has no errors; it has 1 now"),
        "{rule}"
    );
    let y = hover_text(&mut editor, uri, json!({"line": 4, "character": 12}));
    assert!(
        y.starts_with("y: not a declared topic. Declare it with `topic y \"LABEL\"`"),
        "{y}"
    );
    editor.stop();
}

/// Go to definition opens only a script that loading reads: one that
/// leaves the rule file's folder is not offered, even when it exists.
#[test]
fn definition_does_not_lead_out_of_the_folder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let inner = dir.path().join("group");
    std::fs::create_dir_all(inner.join("principles")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("outside.rhai"), "true").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(inner.join("principles/in.rhai"), "true").unwrap_or_else(|e| panic!("{e}"));
    let path = inner.join("g.mandate");
    let uri = url::Url::from_file_path(&path)
        .unwrap_or_else(|()| panic!("no file URI for {}", path.display()))
        .to_string();
    let text = "group \"G\" { }\nprinciple a \"A\" script \"../outside.rhai\"\nprinciple b \"B\" script \"principles/in.rhai\"\n";
    let (mut editor, _) = Program::initialized(&[]);
    editor.open(&uri, text);
    let published = editor.diagnostics(&uri);
    assert_eq!(
        published.len(),
        1,
        "the outside script is refused: {published:?}"
    );
    let answer = editor.request(
        "textDocument/definition",
        at(&uri, spot(text, 2, "outside")),
    );
    assert_eq!(answer["result"], Value::Null, "{answer}");
    let answer = editor.request(
        "textDocument/definition",
        at(&uri, spot(text, 3, "principles/")),
    );
    let script = answer["result"]["uri"].as_str().unwrap_or_default();
    assert!(script.ends_with("/group/principles/in.rhai"), "{answer}");
    editor.stop();
}

/// Diagnostics are debounced: a burst of changes is validated once, for
/// the text the burst ends with.
#[test]
fn a_burst_of_changes_gets_the_last_texts_diagnostics() {
    let (mut editor, _) = Program::initialized(&[]);
    let uri = "untitled:burst.mandate";
    editor.open(uri, FIXED);
    assert_eq!(editor.diagnostics(uri), Vec::<Value>::new());
    // Broken 28 times, then fixed: one validation, of the fixed text (a
    // validation per change would publish the broken text's error first).
    for version in 2..30 {
        editor.change(uri, version, BROKEN);
    }
    editor.change(uri, 30, FIXED);
    assert_eq!(editor.diagnostics(uri), Vec::<Value>::new());
    // Nothing else was published before a request sent now is answered.
    let answer = editor.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(answer.get("result").is_some(), "{answer}");
    editor.stop();
}

/// `exit` without `shutdown` first: the server stops with status 1, as
/// the protocol says, and says why.
#[test]
fn exit_without_shutdown_is_status_1() {
    let (mut editor, _) = Program::initialized(&[]);
    editor.notify("exit", Value::Null);
    let status = editor
        .child
        .wait()
        .unwrap_or_else(|e| panic!("waiting for mandate lsp: {e}"));
    assert_eq!(status.code(), Some(1), "{status}");
}
