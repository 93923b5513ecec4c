//! A stand-in for `mandate serve` that follows the page contract in a few
//! lines of fixed HTML, served from a thread on a loopback port. It proves
//! the harness itself (that JavaScript really is off when asked, that the
//! Tab walk and axe-core see what they should) independently of the real
//! page.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};

const STYLE: &str = "<style>body{font-family:sans-serif;color:#212b32;background:#fff}\
:focus{outline:3px solid #ffeb3b;box-shadow:0 4px 0 #212b32}</style>";

const SCRIPT: &str = "<script>document.documentElement.dataset.script='ran';\
var s=document.getElementById('search-slot');if(s){s.innerHTML=\
'<label for=\"topics-find\">Find a topic</label><input id=\"topics-find\" type=\"search\">';}</script>";

fn page(main: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Check a proposal</title>{STYLE}</head><body><header><a href=\"#main\">Skip to main content</a></header>\
         <main id=\"main\"><h1>Check a proposal</h1>{main}</main>{SCRIPT}</body></html>"
    )
}

fn check_form() -> String {
    page(
        "<form id=\"check\" method=\"post\" action=\"/check\">\
         <label for=\"title\">Title</label><input id=\"title\" name=\"title\">\
         <label for=\"forum\">Forum</label><select id=\"forum\" name=\"forum\">\
         <option value=\"\">Choose</option><option>Acute Trust Interface Group</option></select>\
         <label for=\"date\">Date</label><input id=\"date\" name=\"date\" type=\"date\">\
         <fieldset><legend>Topics</legend><div id=\"search-slot\"></div>\
         <input type=\"checkbox\" name=\"topic\" value=\"interface.outpatients\" id=\"topic-interface.outpatients\">\
         <label for=\"topic-interface.outpatients\">Outpatient referrals</label></fieldset>\
         <label for=\"field-cost\">cost</label><input id=\"field-cost\" name=\"field.cost\" type=\"number\">\
         <label for=\"field-duration_months\">duration_months</label>\
         <input id=\"field-duration_months\" name=\"field.duration_months\" type=\"number\">\
         <button id=\"submit\">Check</button></form>",
    )
}

fn choose_form() -> String {
    page(
        "<form id=\"choose\" method=\"get\" action=\"/\">\
         <label for=\"mandate\">Mandate</label><select id=\"mandate\" name=\"mandate\">\
         <option value=\"ashdown\">Ashdown</option><option value=\"brackenmoor\">Brackenmoor</option></select>\
         <label for=\"representative\">Representative</label>\
         <select id=\"representative\" name=\"representative\"><optgroup label=\"Ashdown\">\
         <option value=\"patel\">Dr Asha Patel</option></optgroup></select>\
         <button id=\"choose\">Continue</button></form>",
    )
}

fn answer(body: &str) -> String {
    let agrees = body.contains("topic=interface.outpatients") && body.contains("field.cost=30000");
    let outcome = if agrees { "agree" } else { "refer" };
    page(&format!(
        "<section id=\"answer\" data-outcome=\"{outcome}\"><h2>You may {outcome}</h2>\
         <ol id=\"reasons\"><li>Line 163 lets you agree.<details><summary>Line 163</summary>\
         <pre>agree to interface.outpatients</pre></details></li></ol>\
         <a id=\"brief-link\" href=\"/brief\">Read your brief</a></section>"
    ))
}

fn respond(mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0).min(1 << 16);
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let body = String::from_utf8_lossy(&body);
    let html = if request_line.starts_with("POST /check ") {
        answer(&body)
    } else if request_line.contains("representative=patel") {
        check_form()
    } else {
        choose_form()
    };
    write!(
        stream,
        "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n\
         content-length: {}\r\nconnection: close\r\n\r\n{html}",
        html.len()
    )
}

/// Serves the stand-in page on a free loopback port until the test
/// process ends; returns its address, ending in `/`.
pub fn start() -> Result<String, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("binding the stand-in page: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("reading the stand-in's address: {e}"))?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = respond(stream);
        }
    });
    Ok(format!("http://{addr}/"))
}
