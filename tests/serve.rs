//! `mandate serve` against a real server on a loopback port the OS
//! chooses: every route and every refusal, `/api/check` byte for byte the
//! command line's JSON for every shipped proposal, the access token, the
//! body limit, the `Host` and `Origin` guards, the form without
//! JavaScript, and the reload of a mandate edited, broken and fixed on
//! disk.

use mandate::serve::{Options, MAX_BODY_BYTES};
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()
}

/// A server on its own thread and runtime, stopped when dropped.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(files: Vec<PathBuf>, token: Option<&str>) -> Server {
        Self::start_recording(files, token, None)
    }

    fn start_recording(
        files: Vec<PathBuf>,
        token: Option<&str>,
        record: Option<PathBuf>,
    ) -> Server {
        let token = token.map(str::to_string);
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("a loopback port");
                let addr = listener.local_addr().expect("its address");
                let router = mandate::serve::router(Options {
                    files,
                    addr,
                    token,
                    today,
                    request_time_limit: Duration::from_secs(2),
                    record,
                })
                .expect("a router");
                ready_tx.send(addr).expect("the test is waiting");
                let stop = async {
                    let _ = stop_rx.await;
                };
                mandate::serve::serve(listener, router, stop)
                    .await
                    .expect("serves");
            });
        });
        let addr = ready_rx.recv().expect("the server started");
        Server {
            addr,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn shipped() -> Vec<PathBuf> {
    vec![
        root().join("rules/ashdown/ashdown.mandate"),
        root().join("rules/brackenmoor/brackenmoor.mandate"),
    ]
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// The error code of an API refusal, after checking it is JSON with a
/// message and a help line.
fn error_code(response: reqwest::blocking::Response) -> String {
    let json: serde_json::Value = response.json().expect("a JSON error");
    let error = &json["error"];
    assert!(
        error["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{json}"
    );
    assert!(error["help"].is_string(), "{json}");
    error["code"].as_str().unwrap_or_default().to_string()
}

/// A raw request, for the headers a client library would not send.
fn raw(addr: SocketAddr, request: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).expect("connects");
    stream.write_all(request.as_bytes()).expect("writes");
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

#[test]
fn the_api_lists_the_mandates_and_what_the_form_needs() {
    let server = Server::start(shipped(), None);
    let json: serde_json::Value = client()
        .get(server.url("/api/mandates"))
        .send()
        .expect("answers")
        .json()
        .expect("JSON");
    let mandates = json["mandates"].as_array().expect("a list");
    let ids: Vec<&str> = mandates.iter().filter_map(|m| m["id"].as_str()).collect();
    assert_eq!(ids, ["ashdown", "brackenmoor"]);
    let patel = &mandates[0]["representatives"][0];
    assert_eq!(patel["id"], "patel");
    assert_eq!(patel["forums"][0], "Acute Trust Interface Group");
    let fields = patel["fields"].as_array().expect("fields");
    let kind = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .map(|f| f["kind"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(kind("cost").as_deref(), Some("number"));
    assert_eq!(kind("start_date").as_deref(), Some("date"));
    assert_eq!(kind("changes").as_deref(), Some("list"));
    // Read only by a principle's code.
    assert!(kind("data_sharing_agreement").is_some(), "{fields:?}");
    let topics = mandates[0]["topics"].as_array().expect("topics");
    assert!(topics.iter().any(|t| t["topic"] == "interface.outpatients"
        && t["label"] == "Outpatient referrals and follow-up"));
}

/// `POST /api/check` answers with exactly what `mandate check --format
/// json` prints for the same proposal, mandate and day.
#[test]
fn the_api_check_is_byte_for_byte_the_command_line() {
    let server = Server::start(shipped(), None);
    let mut seen = 0;
    for (mandate, rules) in [("ashdown", &shipped()[0]), ("brackenmoor", &shipped()[1])] {
        let folder = rules.parent().expect("a folder").join("proposals");
        let mut proposals: Vec<PathBuf> = std::fs::read_dir(&folder)
            .expect("proposals")
            .map(|e| e.expect("an entry").path())
            .collect();
        proposals.sort();
        for proposal in proposals {
            let text = std::fs::read_to_string(&proposal).expect("readable");
            let cli = Command::new(env!("CARGO_BIN_EXE_mandate"))
                .args(["check", "--format", "json", "--date", "2026-12-03"])
                .arg(rules)
                .arg(&proposal)
                .output()
                .expect("the command runs");
            let body = format!(
                "{{\"mandate\": \"{mandate}\", \"date\": \"2026-12-03\", \"proposal\": {text}}}"
            );
            let api = client()
                .post(server.url("/api/check"))
                .body(body)
                .send()
                .expect("answers");
            assert_eq!(api.status(), 200, "{}", proposal.display());
            let api = api.text().expect("text");
            assert_eq!(
                api,
                String::from_utf8_lossy(&cli.stdout),
                "{}",
                proposal.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 6, "too few proposals: {seen}");
}

#[test]
fn every_bad_request_gets_a_clear_refusal() {
    let server = Server::start(shipped(), None);
    let post = |body: &str| {
        client()
            .post(server.url("/api/check"))
            .body(body.to_string())
            .send()
            .expect("answers")
    };
    let good_proposal = r#"{"title": "T", "topics": ["interface.outpatients"], "cost": 1}"#;
    let cases: Vec<(String, u16, &str)> = vec![
        ("{".into(), 400, "bad-json"),
        ("[]".into(), 400, "bad-json"),
        (
            format!(r#"{{"proposal": {good_proposal}}}"#),
            400,
            "mandate-needed",
        ),
        (
            format!(r#"{{"mandate": "nowhere", "proposal": {good_proposal}}}"#),
            404,
            "unknown-mandate",
        ),
        (
            format!(
                r#"{{"mandate": "ashdown", "representative": "nobody", "proposal": {good_proposal}}}"#
            ),
            400,
            "cannot-check",
        ),
        (
            format!(r#"{{"mandate": "ashdown", "date": "3 Dec", "proposal": {good_proposal}}}"#),
            400,
            "bad-date",
        ),
        (
            r#"{"mandate": "ashdown", "proposal": {"topics": ["x"]}}"#.into(),
            400,
            "bad-proposal",
        ),
        (
            format!(r#"{{"mandate": "ashdown", "proposal": {good_proposal}, "extra": 1}}"#),
            400,
            "bad-json",
        ),
    ];
    for (body, status, code) in cases {
        let response = post(&body);
        assert_eq!(response.status().as_u16(), status, "{body}");
        assert_eq!(error_code(response), code, "{body}");
    }
    // The command line's words for an unknown representative.
    let response = post(&format!(
        r#"{{"mandate": "ashdown", "representative": "nobody", "proposal": {good_proposal}}}"#
    ));
    let json: serde_json::Value = response.json().expect("JSON");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nobody"),
        "{json}"
    );

    let huge = format!(r#"{{"proposal": "{}"}}"#, "x".repeat(MAX_BODY_BYTES + 10));
    let response = post(&huge);
    assert_eq!(response.status().as_u16(), 413);
    assert_eq!(error_code(response), "body-too-large");
    let response = client()
        .post(server.url("/check"))
        .body(huge)
        .send()
        .expect("answers");
    assert_eq!(response.status().as_u16(), 413);
    assert!(response
        .text()
        .expect("text")
        .contains("<h1>This request was refused</h1>"));
    // With no token set, there is no token form.
    let response = client()
        .post(server.url("/token"))
        .body("token=x")
        .send()
        .expect("answers");
    assert_eq!(response.status().as_u16(), 404);

    let get = |path: &str| client().get(server.url(path)).send().expect("answers");
    let response = get("/api/check");
    assert_eq!(response.status().as_u16(), 405);
    assert_eq!(error_code(response), "wrong-method");
    let response = get("/api/nothing");
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(error_code(response), "not-found");
    assert_eq!(get("/nothing/../etc/passwd").status().as_u16(), 404);
    assert_eq!(
        get("/api/brief?mandate=ashdown&representative=nobody")
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        get("/api/brief?mandate=ashdown&format=pdf")
            .status()
            .as_u16(),
        400
    );
    assert_eq!(get("/?representative=nobody").status().as_u16(), 400);
    // A mangled or repeated query shows the page, not an error.
    assert_eq!(
        get("/?mandate=%ZZ&representative=patel&representative=okafor")
            .status()
            .as_u16(),
        200
    );
    let response = get("/api/brief?format=text");
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(error_code(response), "mandate-needed");
}

#[test]
fn the_brief_is_the_libraries() {
    let server = Server::start(shipped(), None);
    let text = client()
        .get(
            server
                .url("/api/brief?mandate=ashdown&representative=patel&format=text&date=2026-12-03"),
        )
        .send()
        .expect("answers")
        .text()
        .expect("text");
    let cli = Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(["brief", "--as", "patel", "--date", "2026-12-03"])
        .arg(&shipped()[0])
        .output()
        .expect("runs");
    assert_eq!(text, String::from_utf8_lossy(&cli.stdout));
    let html = client()
        .get(server.url("/brief?mandate=ashdown&representative=patel"))
        .send()
        .expect("answers");
    assert_eq!(html.status(), 200);
    assert!(html
        .text()
        .expect("text")
        .contains("<h1>Brief for Dr Asha Patel"));
}

#[test]
fn the_host_and_origin_guards() {
    let server = Server::start(shipped(), None);
    // DNS rebinding: a page of another name that resolves here.
    let answer = raw(
        server.addr,
        "GET /api/mandates HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
    let answer = raw(
        server.addr,
        &format!(
            "GET /api/mandates HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
            server.addr.port()
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // A form on another site posting here.
    let response = client()
        .post(server.url("/check"))
        .header("Origin", "http://evil.example")
        .body("title=x")
        .send()
        .expect("answers");
    assert_eq!(response.status().as_u16(), 403);
    let response = client()
        .post(server.url("/api/check"))
        .header("Origin", format!("http://{}", server.addr))
        .body("{")
        .send()
        .expect("answers");
    assert_eq!(
        response.status().as_u16(),
        400,
        "our own origin is let through"
    );
}

#[test]
fn the_token_guards_every_route() {
    let server = Server::start(shipped(), Some("s3cret-code"));
    let response = client()
        .get(server.url("/api/mandates"))
        .send()
        .expect("answers");
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(error_code(response), "token-needed");
    let response = client()
        .get(server.url("/api/mandates"))
        .bearer_auth("wrong")
        .send()
        .expect("answers");
    assert_eq!(response.status().as_u16(), 401);
    let response = client()
        .get(server.url("/api/mandates"))
        .bearer_auth("s3cret-code")
        .send()
        .expect("answers");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    let lower = client()
        .get(server.url("/api/mandates"))
        .header("Authorization", "bearer s3cret-code")
        .send()
        .expect("answers");
    assert_eq!(
        lower.status().as_u16(),
        200,
        "the scheme's case does not matter"
    );
    // The page asks for it once and keeps it in a cookie.
    let page = client().get(server.url("/")).send().expect("answers");
    assert_eq!(page.status().as_u16(), 401);
    assert!(page.text().expect("text").contains("id=\"token-form\""));
    let wrong = client()
        .post(server.url("/token"))
        .body("token=nope")
        .send()
        .expect("answers");
    assert_eq!(wrong.status().as_u16(), 401);
    assert!(wrong.text().expect("text").contains("error-summary"));
    let right = client()
        .post(server.url("/token"))
        .body("token=s3cret-code")
        .send()
        .expect("answers");
    assert_eq!(right.status().as_u16(), 303);
    let cookie = right
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .expect("a cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("name=value");
    let page = client()
        .get(server.url("/"))
        .header("Cookie", pair)
        .send()
        .expect("answers");
    assert_eq!(page.status().as_u16(), 200);
    // The assets need no token (the token page uses them).
    let css = client()
        .get(server.url("/assets/style.css"))
        .send()
        .expect("answers");
    assert_eq!(css.status().as_u16(), 200);
}

#[test]
fn the_form_works_without_javascript() {
    let server = Server::start(shipped(), None);
    let page = client()
        .get(server.url("/?mandate=ashdown&representative=patel"))
        .send()
        .expect("answers")
        .text()
        .expect("text");
    for needle in [
        "id=\"check\"",
        "id=\"field-cost\"",
        "id=\"topic-interface.outpatients\"",
        "<option value=\"Acute Trust Interface Group\">",
        "id=\"brief-link\"",
    ] {
        assert!(page.contains(needle), "{needle} missing");
    }
    let form = [
        ("mandate", "ashdown"),
        ("representative", "patel"),
        ("title", "A and G <pilot>"),
        ("forum", "Acute Trust Interface Group"),
        ("date", "2026-12-03"),
        ("topic", "interface.outpatients"),
        ("field.cost", "30,000"),
        ("field.duration_months", "6"),
    ];
    let answer = client()
        .post(server.url("/check"))
        .form(&form)
        .send()
        .expect("answers");
    assert_eq!(answer.status().as_u16(), 200);
    let answer = answer.text().expect("text");
    assert!(answer.contains("data-outcome=\"agree\""), "{answer}");
    assert!(
        answer.contains("Line 163 lets Dr Asha Patel agree"),
        "{answer}"
    );
    assert!(
        answer.contains("A and G &lt;pilot&gt;"),
        "the title is escaped"
    );
    assert!(!answer.contains("<pilot>"));
    // Mistakes: an error summary at the top, linking to each field.
    let wrong = client()
        .post(server.url("/check"))
        .form(&[
            ("mandate", "ashdown"),
            ("representative", "patel"),
            ("field.cost", "lots"),
        ])
        .send()
        .expect("answers");
    assert_eq!(wrong.status().as_u16(), 422);
    let wrong = wrong.text().expect("text");
    assert!(wrong.contains("id=\"error-summary\""));
    for link in [
        "href=\"#title\"",
        "href=\"#field-cost\"",
        "href=\"#topic-interface\"",
    ] {
        assert!(wrong.contains(link), "{link} missing");
    }
}

#[test]
fn a_mandate_is_reloaded_when_it_changes_and_kept_when_it_breaks() {
    let dir = tempfile::tempdir().expect("a folder");
    let from = root().join("rules/ashdown");
    std::fs::create_dir_all(dir.path().join("principles")).expect("mkdir");
    for name in [
        "ashdown.mandate",
        "principles/continuity.rhai",
        "principles/funded_work.rhai",
    ] {
        std::fs::copy(from.join(name), dir.path().join(name)).expect("copy");
    }
    let rules = dir.path().join("ashdown.mandate");
    let server = Server::start(vec![rules.clone()], None);
    let sha = || -> (String, usize) {
        let json: serde_json::Value = client()
            .get(server.url("/api/mandates"))
            .send()
            .expect("answers")
            .json()
            .expect("JSON");
        (
            json["mandates"][0]["sha256"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            json["problems"].as_array().map_or(0, Vec::len),
        )
    };
    let (first, problems) = sha();
    assert_eq!(problems, 0);
    let text = std::fs::read_to_string(&rules).expect("read");
    // Edited: the new version is served.
    std::fs::write(&rules, format!("{text}\n// edited\n")).expect("write");
    let (edited, problems) = sha();
    assert_ne!(edited, first);
    assert_eq!(problems, 0);
    // A script edited counts too.
    let script = dir.path().join("principles/continuity.rhai");
    let code = std::fs::read_to_string(&script).expect("read");
    std::fs::write(&script, format!("{code}\n// edited\n")).expect("write");
    let (script_edited, _) = sha();
    assert_ne!(script_edited, edited);
    // Broken: the last good version stays, and the page says so.
    std::fs::write(
        &rules,
        format!("{text}\nrepresentative x \"X\" {{ may agee y }}\n"),
    )
    .expect("write");
    let (broken, problems) = sha();
    assert_eq!(broken, script_edited, "the good version is still served");
    assert_eq!(problems, 1);
    let page = client()
        .get(server.url("/"))
        .send()
        .expect("answers")
        .text()
        .expect("text");
    assert!(page.contains("has errors"), "{page}");
    assert!(page.contains("agee"), "the diagnostics are shown");
    assert!(!page.contains("\\n"), "their line breaks stay line breaks");
    // Fixed: served again, no problems.
    std::fs::write(&rules, &text).expect("write");
    let (fixed, problems) = sha();
    assert_eq!(problems, 0);
    assert_ne!(fixed, broken);
}

/// Every text from a mandate or a proposal is escaped: a mandate full of
/// HTML and a proposal title with a script give a page whose only tags
/// are the page's own.
#[test]
fn texts_from_the_mandate_and_the_proposal_are_escaped() {
    let hostile = root().join("tests/data/brief/links_and_html.mandate");
    let server = Server::start(vec![hostile], None);
    let page = client()
        .get(server.url("/?representative=r"))
        .send()
        .expect("answers")
        .text()
        .expect("text");
    let answer = client()
        .post(server.url("/check"))
        .form(&[
            ("representative", "r"),
            ("title", "<script>alert(2)</script>\u{1b}[2J"),
            ("topic", "estates"),
            ("field.cost", "3"),
            ("field.label", "[a](b)"),
            ("forum", "<Board> & Co"),
        ])
        .send()
        .expect("answers")
        .text()
        .expect("text");
    assert!(answer.contains("data-outcome="), "{answer}");
    for html in [&page, &answer] {
        for bad in [
            "<script>alert",
            "<b>Org",
            "<img",
            "<em>",
            "<u>first",
            "<a href='http",
            "<Board>",
            "<role>",
        ] {
            assert!(!html.contains(bad), "{bad} came through:\n{html}");
        }
        assert!(!html.contains('\u{1b}'), "a control character came through");
        assert_eq!(
            html.matches("<script").count(),
            1,
            "only the page's own script"
        );
    }
    assert!(
        answer.contains("&lt;script&gt;alert(2)&lt;/script&gt;\\u{1b}[2J"),
        "{answer}"
    );
}

/// The command: the address it prints, a refusal of an open address
/// without a token, and a clean stop on Ctrl-C (SIGINT).
#[cfg(unix)]
#[test]
fn the_command_prints_the_address_and_stops_on_ctrl_c() {
    use std::io::BufRead;
    let refused = Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(["serve", "rules/", "--addr", "0.0.0.0:0"])
        .current_dir(root())
        .env_remove("MANDATE_TOKEN")
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--token"));
    // A code a browser could not keep in its cookie.
    let refused = Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(["serve", "rules/", "--addr", "127.0.0.1:0", "--token", "a;b"])
        .current_dir(root())
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("letters, digits"));

    let mut child = Command::new(env!("CARGO_BIN_EXE_mandate"))
        .args(["serve", "rules/", "--addr", "127.0.0.1:0"])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("piped");
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a line");
    let url = line
        .trim()
        .strip_prefix("mandate serve: open ")
        .expect("the address line")
        .to_string();
    let answer = client()
        .get(format!("{url}api/mandates"))
        .send()
        .expect("answers");
    assert_eq!(answer.status().as_u16(), 200);
    // A client that never finishes its request cannot hold the stop up.
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .expect("an address");
    let mut hung = std::net::TcpStream::connect(addr).expect("connects");
    let request =
        format!("POST /api/check HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 1000\r\n\r\n{{");
    hung.write_all(request.as_bytes()).expect("writes");
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let started = std::time::Instant::now();
    while child.try_wait().expect("waits").is_none() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "still running 20 s after Ctrl-C"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    drop(hung);
    let output = child.wait_with_output().expect("it stops");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("stopping"));
}

/// The headers every answer carries, and that the page's own form still
/// sends its origin under them (a `Referrer-Policy` of `no-referrer` made
/// a browser send `Origin: null`, which the guard refuses).
#[test]
fn every_answer_carries_the_safety_headers() {
    let server = Server::start(shipped(), None);
    let response = client().get(server.url("/")).send().expect("answers");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
    assert_ne!(header("referrer-policy"), "no-referrer");
    let refused = client()
        .post(server.url("/check"))
        .header("Origin", "null")
        .body("title=x")
        .send()
        .expect("answers");
    assert_eq!(refused.status().as_u16(), 403);
}

/// A client that sends its body slowly, or never finishes it, is
/// answered 408 when the request's time is up (2 s here), and the server
/// goes on answering others.
#[test]
fn a_request_that_never_finishes_is_timed_out() {
    let server = Server::start(shipped(), None);
    let mut slow = std::net::TcpStream::connect(server.addr).expect("connects");
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    let request = format!(
        "POST /api/check HTTP/1.1\r\nHost: {}\r\nContent-Length: 1000\r\n\r\n{{",
        server.addr
    );
    slow.write_all(request.as_bytes()).expect("writes");
    let started = std::time::Instant::now();
    let other = client()
        .get(server.url("/api/mandates"))
        .send()
        .expect("answers");
    assert_eq!(
        other.status().as_u16(),
        200,
        "others are answered meanwhile"
    );
    let mut answer = [0u8; 64];
    let read = slow.read(&mut answer).expect("an answer before 10 s");
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "not before its time"
    );
}

/// `serve --record`: each decision the API gives is appended to the
/// record through the same library code as `check --record`, concurrent
/// requests included, and the record verifies with one line per decision.
#[test]
fn a_served_check_is_recorded() {
    let dir = tempfile::tempdir().expect("a folder");
    let record = dir.path().join("record.jsonl");
    let server = Server::start_recording(shipped(), None, Some(record.clone()));
    let text = std::fs::read_to_string(
        shipped()[0]
            .parent()
            .expect("a folder")
            .join("proposals/ag-cardiology.json"),
    )
    .expect("readable");
    let check = || {
        client()
            .post(server.url("/api/check"))
            .body(format!(
                "{{\"mandate\": \"ashdown\", \"date\": \"2026-12-03\", \"representative\": \"patel\", \"proposal\": {text}}}"
            ))
            .send()
            .expect("answers")
    };
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| assert_eq!(check().status(), 200));
        }
    });
    let verified =
        mandate::record::verify_text(&std::fs::read(&record).expect("a record")).expect("intact");
    assert_eq!(verified.entries, 4);
    // A record that cannot be appended to refuses the answer.
    std::fs::write(&record, b"{\"torn").expect("writable");
    let api = check();
    assert_eq!(api.status(), 500);
    assert!(api.text().expect("text").contains("record-failed"));
}
