//! `mandate serve`: a page where representatives check a proposal and
//! read their brief, and the JSON API the page and other tools use.
//!
//! Owns the web front end and nothing of the deciding: every answer comes
//! from the same library calls as the command line (`check_each` and
//! `Checked::to_json` for checks, so `POST /api/check` gives the bytes
//! `mandate check --format json` prints; `brief` for briefs), and every
//! sentence from `wording` through `report::sections`.
//!
//! - `catalogue.rs`: the mandates served, reloaded when their files
//!   change, the last good version kept when a change has errors; what the
//!   form and `GET /api/mandates` show of them.
//! - `form.rs`: the check form to a proposal, and its mistakes.
//! - `page.rs`: the HTML; `assets/`: the stylesheet and the small script,
//!   embedded in the binary.
//! - here: the routes, and the guards every request passes: the `Host`
//!   must be the address served (no DNS rebinding), a `POST` from another
//!   site's page is refused, the access token when one is set (compared in
//!   constant time), a body limit, and a time bound on each check.

mod catalogue;
mod form;
mod page;

pub use catalogue::{FieldInfo, FieldKind, MandateInfo, RepresentativeInfo, TopicInfo};

use crate::check::Whom;
use crate::{Mandate, Proposal};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use catalogue::{Catalogue, Current, Pick};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;

/// The largest request body accepted: a proposal's own limit, and room
/// for the request around it.
pub const MAX_BODY_BYTES: usize = crate::proposal::MAX_PROPOSAL_BYTES + 64 * 1024;

/// How long one request may spend checking before it is answered 503
/// (each principle has its own, shorter, bounds).
pub const CHECK_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The environment variable that may hold the access token.
pub const TOKEN_VARIABLE: &str = "MANDATE_TOKEN";

/// The name of the cookie the page keeps the access token in.
const COOKIE: &str = "mandate_token";

/// How a server is set up.
#[derive(Debug, Clone)]
pub struct Options {
    /// The rule files to serve (folders already expanded).
    pub files: Vec<PathBuf>,
    /// The address actually bound (after the OS chose a port).
    pub addr: SocketAddr,
    /// The access token every request must carry, if any. Required when
    /// `addr` is not a loopback address.
    pub token: Option<String>,
    /// The default day of a check and the day expiry is judged on: today,
    /// read on each request.
    pub today: fn() -> NaiveDate,
    /// How long one request may take from its headers to its answer, body
    /// included ([`REQUEST_TIME_LIMIT`] for the command): a client that
    /// sends its body slowly, or never finishes it, is answered 408.
    pub request_time_limit: Duration,
    /// Where every decision the page or the API gives is recorded
    /// ([`crate::record::append`]), if anywhere: a decision that cannot be
    /// recorded is not given.
    pub record: Option<PathBuf>,
}

/// How long `mandate serve` lets one request take, its body included.
pub const REQUEST_TIME_LIMIT: Duration = Duration::from_secs(30);

/// Why a server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A non-loopback address without a token.
    #[error("serving on {addr}, which other computers can reach, needs an access token")]
    TokenNeeded {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// No rule files.
    #[error("there are no mandates to serve")]
    NothingToServe,
    /// A token a browser could not keep in a cookie or send back.
    #[error("the access token may only hold letters, digits and - _ . ~ (and must not be empty)")]
    BadToken,
}

/// Whether `token` can travel in a cookie and a header unchanged.
pub fn token_is_usable(token: &str) -> bool {
    !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'))
}

struct App {
    catalogue: Catalogue,
    options: Options,
    /// The `Host` values accepted (none: any, on an address open to the
    /// network, where the token protects instead).
    hosts: Option<Vec<String>>,
}

/// The server's routes and guards, ready for `axum::serve`. Loads every
/// mandate once.
pub fn router(options: Options) -> Result<Router, ServeError> {
    if options.files.is_empty() {
        return Err(ServeError::NothingToServe);
    }
    if !options.addr.ip().is_loopback() && options.token.is_none() {
        return Err(ServeError::TokenNeeded { addr: options.addr });
    }
    if options
        .token
        .as_deref()
        .is_some_and(|t| !token_is_usable(t))
    {
        return Err(ServeError::BadToken);
    }
    let catalogue = Catalogue::new(&options.files, (options.today)());
    let request_time_limit = options.request_time_limit;
    let port = options.addr.port();
    let hosts = if options.addr.ip().is_unspecified() {
        None
    } else if options.addr.ip().is_loopback() {
        Some(vec![
            options.addr.to_string(),
            format!("localhost:{port}"),
            format!("127.0.0.1:{port}"),
            format!("[::1]:{port}"),
        ])
    } else {
        Some(vec![options.addr.to_string()])
    };
    let app = Arc::new(App {
        catalogue,
        options,
        hosts,
    });
    Ok(Router::new()
        .route("/", get(home))
        .route("/check", post(check_form))
        .route("/brief", get(brief_page))
        .route("/token", post(token_form))
        .route("/assets/style.css", get(style))
        .route("/assets/app.js", get(script))
        .route("/api/mandates", get(api_mandates))
        .route("/api/check", post(api_check))
        .route("/api/brief", get(api_brief))
        .fallback(not_found)
        .method_not_allowed_fallback(wrong_method)
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_time_limit,
        ))
        .with_state(app))
}

// ---------------------------------------------------------------- guards

/// Every request: the `Host`, the `Origin` of a POST, then the token.
async fn guard(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let api = request.uri().path().starts_with("/api/");
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    if let Some(hosts) = &app.hosts {
        if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return refuse(
                api,
                StatusCode::MISDIRECTED_REQUEST,
                "wrong-host",
                "this server does not answer for that host name",
                &format!("Open http://{} instead.", app.options.addr),
            );
        }
    }
    if request.method() == Method::POST {
        if let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
            let ours = format!("http://{host}");
            if !origin.eq_ignore_ascii_case(&ours) {
                return refuse(
                    api,
                    StatusCode::FORBIDDEN,
                    "cross-site",
                    "a form on another site may not send requests to this server",
                    "Use the page this server shows.",
                );
            }
        }
    }
    if let Some(token) = &app.options.token {
        let given = bearer(headers).or_else(|| cookie(headers));
        let good = given.is_some_and(|g| bool::from(g.as_bytes().ct_eq(token.as_bytes())));
        let asking =
            request.uri().path() == "/token" || request.uri().path().starts_with("/assets/");
        if !good && !asking {
            if api {
                return refuse(
                    true,
                    StatusCode::UNAUTHORIZED,
                    "token-needed",
                    "this server needs its access token",
                    "Send it as `Authorization: Bearer TOKEN`.",
                );
            }
            return (StatusCode::UNAUTHORIZED, Html(page::token_page(false))).into_response();
        }
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    // Not `no-referrer`: under it a browser sends `Origin: null` with the
    // page's own form, which the guard above refuses (the browser test
    // found it).
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
}

fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

/// A refusal: JSON for the API, a page for people.
fn refuse(api: bool, status: StatusCode, code: &str, message: &str, help: &str) -> Response {
    if api {
        api_error(status, code, message, help)
    } else {
        (
            status,
            Html(page::problem_page(
                "This request was refused",
                &format!("{message}. {help}"),
            )),
        )
            .into_response()
    }
}

/// The API's error: `{"error": {"code", "message", "help"}}`.
fn api_error(status: StatusCode, code: &str, message: &str, help: &str) -> Response {
    let body = serde_json::json!({
        "error": { "code": code, "message": message, "help": help }
    });
    (status, axum::Json(body)).into_response()
}

async fn not_found(request: Request) -> Response {
    not_found_page(request.uri().path().starts_with("/api/"))
}

fn not_found_page(api: bool) -> Response {
    refuse(
        api,
        StatusCode::NOT_FOUND,
        "not-found",
        "there is nothing at this address",
        "The routes are /, /api/mandates, /api/check and /api/brief.",
    )
}

async fn wrong_method(request: Request) -> Response {
    refuse(
        request.uri().path().starts_with("/api/"),
        StatusCode::METHOD_NOT_ALLOWED,
        "wrong-method",
        &format!("{} is not how this address is used", request.method()),
        "GET /api/mandates and /api/brief; POST /api/check.",
    )
}

// ---------------------------------------------------------------- assets

async fn style() -> Response {
    asset("text/css; charset=utf-8", include_str!("assets/style.css"))
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("assets/app.js"),
    )
}

fn asset(kind: &'static str, text: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], text).into_response()
}

// ---------------------------------------------------------------- the page

/// A query string's pairs, leniently: a name given twice counts once
/// (the first), and a string that cannot be read gives no pairs, so a
/// mangled address shows the page instead of an error.
fn query(raw: Option<String>) -> Vec<(String, String)> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    let mut seen = std::collections::HashSet::new();
    pairs
        .into_iter()
        .filter(|(name, _)| seen.insert(name.clone()))
        .collect()
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A served mandate's good version, with what is served of it now.
type Shown = (MandateInfo, Current);

/// A mandate whose file on disk has errors: id, file, diagnostics.
type Stale = (String, String, String);

/// Every served mandate's good version, and the stale notices.
fn served(app: &App) -> (Vec<Shown>, Vec<Stale>) {
    let today = (app.options.today)();
    let mut infos = Vec::new();
    let mut stale = Vec::new();
    for one in &app.catalogue.served {
        let current = one.current(today);
        if !current.problems.is_empty() {
            let text: String = current
                .problems
                .iter()
                .map(|d| {
                    let source = current
                        .problem_sources
                        .iter()
                        .find(|s| s.name == d.file)
                        .map(|s| s.text.as_str());
                    d.render(source, false)
                })
                .collect();
            stale.push((
                one.id.clone(),
                crate::visible::visible_path(&one.path),
                text,
            ));
        }
        if let Some(info) = catalogue::info(one, &current) {
            infos.push((info, current));
        }
    }
    (infos, stale)
}

/// The mandate and representative a choice names: the representative's
/// mandate is found when the mandate is not named, or named wrongly, and
/// only one mandate has them.
fn choose(
    infos: &[Shown],
    mandate: Option<&str>,
    representative: Option<&str>,
) -> Result<Option<(usize, usize)>, String> {
    let Some(rep) = representative.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let find = |m: &MandateInfo| m.representatives.iter().position(|r| r.id == rep);
    if let Some((i, (named, _))) = infos
        .iter()
        .enumerate()
        .find(|(_, (m, _))| Some(m.id.as_str()) == mandate)
    {
        if let Some(j) = find(named) {
            return Ok(Some((i, j)));
        }
    }
    let all: Vec<(usize, usize)> = infos
        .iter()
        .enumerate()
        .filter_map(|(i, (m, _))| find(m).map(|j| (i, j)))
        .collect();
    match all.as_slice() {
        [one] => Ok(Some(*one)),
        [] => Err(format!(
            "No mandate has a representative `{rep}`: choose one from the list"
        )),
        _ => Err(format!(
            "Several groups have a representative `{rep}`: choose the group too"
        )),
    }
}

async fn home(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let pairs = query(raw);
    let (infos, stale) = served(&app);
    let mandates: Vec<MandateInfo> = infos.iter().map(|(m, _)| m.clone()).collect();
    let filled = form::Filled::default();
    let (chosen, problem) = match choose(
        &infos,
        value(&pairs, "mandate"),
        value(&pairs, "representative"),
    ) {
        Ok(found) => (found, None),
        Err(problem) => (None, Some(problem)),
    };
    let chosen = chosen.and_then(|(i, j)| {
        let m = mandates.get(i)?;
        Some((m, m.representatives.get(j)?))
    });
    let status = if problem.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let html = page::render(&page::Page {
        mandates: &mandates,
        stale: &stale,
        chosen,
        choice_problem: problem,
        filled: &filled,
        mistakes: &[],
        answer: None,
    });
    (status, Html(html)).into_response()
}

/// A posted body, as axum reads it (refused when over the limit).
type Posted = Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>;

/// The body, or the refusal of one over [`MAX_BODY_BYTES`] (in the
/// API's JSON or as a page).
fn body_or_refusal(body: Posted, api: bool) -> Result<axum::body::Bytes, Box<Response>> {
    body.map_err(|rejection| {
        Box::new(refuse(
            api,
            rejection.status(),
            "body-too-large",
            &format!("the request could not be read ({})", rejection.body_text()),
            &format!("A request may be at most {MAX_BODY_BYTES} bytes."),
        ))
    })
}

/// The page's answer to a form it cannot read.
fn bad_form() -> Response {
    refuse(
        false,
        StatusCode::BAD_REQUEST,
        "bad-form",
        "the form could not be read",
        "Fill it in again on the page.",
    )
}

async fn check_form(State(app): State<Arc<App>>, body: Posted) -> Response {
    let body = match body_or_refusal(body, false) {
        Ok(body) => body,
        Err(refusal) => return *refusal,
    };
    let pairs: Vec<(String, String)> = match serde_urlencoded::from_bytes(&body) {
        Ok(pairs) => pairs,
        Err(_) => return bad_form(),
    };
    let filled = form::Filled::from_pairs(&pairs);
    let (infos, stale) = served(&app);
    let mandates: Vec<MandateInfo> = infos.iter().map(|(m, _)| m.clone()).collect();
    let picked = choose(
        &infos,
        filled.mandate.as_deref(),
        filled.representative.as_deref(),
    );
    let Ok(Some((i, j))) = picked else {
        let problem = match picked {
            Err(problem) => problem,
            _ => "Choose who you are first".to_string(),
        };
        let html = page::render(&page::Page {
            mandates: &mandates,
            stale: &stale,
            chosen: None,
            choice_problem: Some(problem),
            filled: &filled,
            mistakes: &[],
            answer: None,
        });
        return (StatusCode::BAD_REQUEST, Html(html)).into_response();
    };
    let (Some((info, current)), Some(rep)) = (
        infos.get(i),
        mandates.get(i).and_then(|m| m.representatives.get(j)),
    ) else {
        return bad_form();
    };
    let Some(good) = current.good.clone() else {
        return refuse(
            false,
            StatusCode::SERVICE_UNAVAILABLE,
            "no-mandate",
            "this mandate has errors",
            "Fix the file.",
        );
    };
    let mut mistakes = Vec::new();
    let mut answer = None;
    match form::proposal(&filled, &rep.fields) {
        Err(found) => mistakes = found,
        Ok(json) => {
            let whom = Whom::Named(vec![rep.id.clone()]);
            match run_check(
                &app,
                good.mandate.clone(),
                json,
                &form::slug(&filled.title),
                whom,
                None,
            )
            .await
            {
                Ok(checked) => {
                    if let Some(decision) = checked.decisions.first() {
                        answer = Some(crate::report::sections(decision, &good.mandate));
                    }
                }
                Err(failure) => mistakes.push(form::Mistake {
                    input: "title".into(),
                    message: failure.message,
                }),
            }
        }
    }
    let status = if mistakes.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let text = good.text.clone();
    let html = page::render(&page::Page {
        mandates: &mandates,
        stale: &stale,
        chosen: Some((info, rep)),
        choice_problem: None,
        filled: &filled,
        mistakes: &mistakes,
        answer: answer.map(|a| (a, &*text)),
    });
    (status, Html(html)).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    token: String,
}

async fn token_form(State(app): State<Arc<App>>, body: Posted) -> Response {
    if app.options.token.is_none() {
        return not_found_page(false);
    }
    let body = match body_or_refusal(body, false) {
        Ok(body) => body,
        Err(refusal) => return *refusal,
    };
    let given = serde_urlencoded::from_bytes::<TokenForm>(&body)
        .map(|f| f.token)
        .unwrap_or_default();
    let good = app
        .options
        .token
        .as_ref()
        .is_some_and(|t| bool::from(given.trim().as_bytes().ct_eq(t.as_bytes())));
    if !good {
        return (StatusCode::UNAUTHORIZED, Html(page::token_page(true))).into_response();
    }
    let mut response = Redirect::to("/").into_response();
    let cookie = format!(
        "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
        given.trim()
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

// ---------------------------------------------------------------- the API

async fn api_mandates(State(app): State<Arc<App>>) -> Response {
    let (infos, stale) = served(&app);
    let mandates: Vec<MandateInfo> = infos.into_iter().map(|(m, _)| m).collect();
    let problems: Vec<serde_json::Value> = stale
        .iter()
        .map(|(id, file, text)| serde_json::json!({"mandate": id, "file": file, "diagnostics": text}))
        .collect();
    axum::Json(serde_json::json!({ "mandates": mandates, "problems": problems })).into_response()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest<'a> {
    #[serde(default)]
    mandate: Option<String>,
    #[serde(default)]
    representative: Option<String>,
    #[serde(borrow)]
    proposal: &'a RawValue,
    #[serde(default)]
    date: Option<String>,
}

/// A check that could not be made: the status, and the same words as the
/// command line.
struct Failure {
    status: StatusCode,
    code: &'static str,
    message: String,
    help: String,
}

async fn api_check(State(app): State<Arc<App>>, body: Posted) -> Response {
    let body = match body_or_refusal(body, true) {
        Ok(body) => body,
        Err(refusal) => return *refusal,
    };
    let fail = |f: Failure| api_error(f.status, f.code, &f.message, &f.help);
    let Ok(text) = std::str::from_utf8(&body) else {
        return fail(bad(
            "not-text",
            "the request is not UTF-8 text",
            "Send JSON.",
        ));
    };
    let request: CheckRequest<'_> = match serde_json::from_str(text) {
        Ok(request) => request,
        Err(error) => {
            return fail(bad(
                "bad-json",
                &format!("the request is not the JSON expected: {error}"),
                "Send {\"mandate\"?: ID, \"representative\"?: ID, \"proposal\": {...}, \"date\"?: \"YYYY-MM-DD\"}.",
            ))
        }
    };
    let served = match app.catalogue.pick(request.mandate.as_deref()) {
        Ok(served) => served,
        Err(pick) => {
            let ids = app.catalogue.ids().join(", ");
            return fail(match pick {
                Pick::Unknown => Failure {
                    status: StatusCode::NOT_FOUND,
                    code: "unknown-mandate",
                    message: format!(
                        "there is no mandate `{}`",
                        crate::visible::visible(request.mandate.as_deref().unwrap_or(""))
                    ),
                    help: format!("The mandates served are: {ids}."),
                },
                Pick::Ambiguous => bad(
                    "mandate-needed",
                    "several mandates are served: name one",
                    &format!("Add \"mandate\": one of {ids}."),
                ),
            });
        }
    };
    let current = served.current((app.options.today)());
    let Some(good) = current.good else {
        return fail(Failure {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "mandate-has-errors",
            message: format!("the mandate `{}` has errors", served.id),
            help:
                "Fix the rule file (`mandate validate`); GET /api/mandates shows its diagnostics."
                    .into(),
        });
    };
    let date = match request.date.as_deref() {
        None => None,
        Some(text) => match crate::proposal::parse_iso_date(text) {
            Some(date) => Some(date),
            None => {
                return fail(bad(
                    "bad-date",
                    &format!("`{}` is not a date", crate::visible::visible(text)),
                    "Write YYYY-MM-DD, for example 2026-12-03.",
                ))
            }
        },
    };
    let whom = catalogue::whom(request.representative.as_deref());
    let text = request.proposal.get().to_string();
    match run_check(&app, good.mandate, text, "proposal", whom, date).await {
        Ok(checked) => match checked.to_json() {
            Ok(json) => (
                [(header::CONTENT_TYPE, "application/json")],
                format!("{json}\n"),
            )
                .into_response(),
            Err(error) => fail(Failure {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                code: "json",
                message: format!("cannot write JSON: {error}"),
                help: String::new(),
            }),
        },
        Err(failure) => fail(failure),
    }
}

fn bad(code: &'static str, message: &str, help: &str) -> Failure {
    Failure {
        status: StatusCode::BAD_REQUEST,
        code,
        message: message.to_string(),
        help: help.to_string(),
    }
}

/// Reads the proposal and checks it, off the async threads and within
/// [`CHECK_TIME_LIMIT`].
async fn run_check(
    app: &App,
    mandate: Arc<Mandate>,
    proposal: String,
    default_id: &str,
    whom: Whom,
    date: Option<NaiveDate>,
) -> Result<crate::check::Checked, Failure> {
    let today = (app.options.today)();
    let default_id = default_id.to_string();
    let record = app.options.record.clone();
    let work = tokio::task::spawn_blocking(move || {
        let proposal = Proposal::from_json(&proposal, &default_id).map_err(|error| Failure {
            status: StatusCode::BAD_REQUEST,
            code: "bad-proposal",
            message: format!("the proposal: {error}"),
            help: error.help(),
        })?;
        let checked = mandate
            .check_each(
                std::slice::from_ref(&proposal),
                &whom,
                date.unwrap_or(today),
            )
            .map_err(|error| Failure {
                status: StatusCode::BAD_REQUEST,
                code: "cannot-check",
                message: error.to_string(),
                help: error.error.help(),
            })?;
        if let Some(path) = &record {
            let failed = |message: String, help: String| Failure {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                code: "record-failed",
                message,
                help,
            };
            let at = crate::record::now();
            let drafts = checked
                .decisions
                .iter()
                .map(|d| crate::record::Draft::of(&proposal, d, at.clone()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| failed(format!("cannot record the decision: {e}"), String::new()))?;
            crate::record::append(path, &drafts).map_err(|e| failed(e.to_string(), e.help()))?;
        }
        Ok(checked)
    });
    match tokio::time::timeout(CHECK_TIME_LIMIT, work).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(Failure {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "check-failed",
            message: "the check stopped unexpectedly".into(),
            help: "Try again; if it happens again, report it with the proposal.".into(),
        }),
        Err(_) => Err(Failure {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "check-too-slow",
            message: format!(
                "the check took more than {} seconds",
                CHECK_TIME_LIMIT.as_secs()
            ),
            help: "The mandate's principles may be too slow for this proposal: check it with `mandate check`.".into(),
        }),
    }
}

async fn brief_page(state: State<Arc<App>>, raw: RawQuery) -> Response {
    brief(state, raw, false).await
}

async fn api_brief(state: State<Arc<App>>, raw: RawQuery) -> Response {
    brief(state, raw, true).await
}

/// A brief: HTML (the printable page) by default, or text or Markdown.
async fn brief(State(app): State<Arc<App>>, RawQuery(raw): RawQuery, api: bool) -> Response {
    let pairs = query(raw);
    let ids = app.catalogue.ids().join(", ");
    let served = match app.catalogue.pick(value(&pairs, "mandate")) {
        Ok(served) => served,
        Err(Pick::Unknown) => {
            return refuse(
                api,
                StatusCode::NOT_FOUND,
                "unknown-mandate",
                "there is no such mandate",
                &format!("The mandates served are: {ids}."),
            )
        }
        Err(Pick::Ambiguous) => {
            return refuse(
                api,
                StatusCode::BAD_REQUEST,
                "mandate-needed",
                "several mandates are served: name one",
                &format!("Add mandate=ID: one of {ids}."),
            )
        }
    };
    let day = match value(&pairs, "date") {
        None => (app.options.today)(),
        Some(text) => match crate::proposal::parse_iso_date(text) {
            Some(day) => day,
            None => {
                return refuse(
                    api,
                    StatusCode::BAD_REQUEST,
                    "bad-date",
                    "that is not a date",
                    "Write YYYY-MM-DD.",
                )
            }
        },
    };
    let Some(good) = served.current((app.options.today)()).good else {
        return refuse(
            api,
            StatusCode::SERVICE_UNAVAILABLE,
            "mandate-has-errors",
            "this mandate has errors",
            "Fix the rule file.",
        );
    };
    let mandate = &good.mandate;
    let briefs = match value(&pairs, "representative") {
        Some(id) => match crate::brief::for_representative(mandate, id, day) {
            Ok(brief) => vec![brief],
            Err(error) => {
                return refuse(
                    api,
                    StatusCode::NOT_FOUND,
                    "unknown-representative",
                    &error.to_string(),
                    "GET /api/mandates lists the representatives.",
                )
            }
        },
        None => crate::brief::for_all(mandate, day),
    };
    let title = crate::brief::document_title(mandate);
    match value(&pairs, "format").unwrap_or("html") {
        "html" => Html(crate::brief::render::html(&briefs, &title)).into_response(),
        "text" => text_response(
            "text/plain; charset=utf-8",
            crate::brief::render::text(&briefs),
        ),
        "markdown" => text_response(
            "text/markdown; charset=utf-8",
            crate::brief::render::markdown(&briefs),
        ),
        other => refuse(
            api,
            StatusCode::BAD_REQUEST,
            "bad-format",
            &format!("`{}` is not a brief format", crate::visible::visible(other)),
            "Use format=html, text or markdown.",
        ),
    }
}

fn text_response(kind: &'static str, text: String) -> Response {
    ([(header::CONTENT_TYPE, kind)], Body::from(text)).into_response()
}

/// Serves until `shutdown` completes, then finishes the requests under
/// way. `listener` is bound already (so the caller knows the port).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
