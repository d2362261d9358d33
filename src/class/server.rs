//! The class server's routes (axum): learners post results with the join
//! token; the instructor reads the class, its live events and the dashboard
//! with the instructor token. No route answers without a valid token.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast;

use super::store::Store;
use super::{
    stuck, token_eq, validate, ClassView, StuckCheck, StuckRule, Submission, MAX_BODY_BYTES,
};

/// The dashboard page (no build step, no external resources).
const PAGE: &str = include_str!("page.html");
/// The cookie `/?key=TOKEN` sets.
pub const COOKIE: &str = "dockdojo_class";
/// Posts one learner may make per [`RATE_WINDOW`].
pub const RATE_LIMIT: u32 = 10;
pub const RATE_WINDOW: Duration = Duration::from_secs(1);

/// What the server needs to run.
pub struct ServerConfig {
    pub store: Store,
    pub title: String,
    pub join_token: String,
    pub instructor_token: String,
    /// The pack's lesson ids, the dashboard's columns.
    pub lessons: Vec<String>,
    /// When failing checks show in the dashboard's "stuck" panel.
    pub stuck: StuckRule,
}

/// How often the "stuck" panel is worked out again (time alone moves
/// checks into it).
pub const STUCK_EVERY: Duration = Duration::from_secs(5);

/// One server-sent event: its name and JSON data.
#[derive(Debug, Clone)]
struct ClassEvent {
    name: &'static str,
    data: String,
}

struct Shared {
    store: Mutex<Store>,
    title: String,
    join_token: String,
    instructor_token: String,
    lessons: Vec<String>,
    stuck: StuckRule,
    events: broadcast::Sender<ClassEvent>,
    rate: Mutex<HashMap<String, (Instant, u32)>>,
    /// Each learner's newest results as stored, so the event a post makes
    /// is built without reading the learner back from the database.
    recent: Mutex<HashMap<String, Vec<crate::check::LessonResult>>>,
}

fn shared(cfg: ServerConfig) -> Arc<Shared> {
    let (events, _) = broadcast::channel(1024);
    Arc::new(Shared {
        store: Mutex::new(cfg.store),
        title: cfg.title,
        join_token: cfg.join_token,
        instructor_token: cfg.instructor_token,
        lessons: cfg.lessons,
        stuck: cfg.stuck,
        events,
        rate: Mutex::new(HashMap::new()),
        recent: Mutex::new(HashMap::new()),
    })
}

fn routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/api/results", post(post_results))
        .route("/api/class", get(get_class))
        .route("/api/events", get(get_events))
        .with_state(shared)
}

/// The routes over a configuration (without the "stuck" panel's timer).
pub fn router(cfg: ServerConfig) -> Router {
    routes(shared(cfg))
}

/// Serve on `listener` until Ctrl-C, telling the dashboards every
/// [`STUCK_EVERY`] when the "stuck" panel changed.
pub async fn serve(listener: tokio::net::TcpListener, cfg: ServerConfig) -> anyhow::Result<()> {
    let st = shared(cfg);
    let app = routes(st.clone());
    tokio::select! {
        r = axum::serve(listener, app) => r?,
        _ = watch_stuck(st) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    Ok(())
}

/// Work out the "stuck" panel now and then; send it when it changed.
async fn watch_stuck(st: Arc<Shared>) {
    // Dashboards read the panel with the class; only changes are sent.
    let mut last: Vec<StuckCheck> = Vec::new();
    let mut tick = tokio::time::interval(STUCK_EVERY);
    loop {
        tick.tick().await;
        // No dashboard open: it reads the panel with the class when it opens.
        if st.events.receiver_count() == 0 {
            continue;
        }
        let st2 = st.clone();
        let Ok(Ok(now)) = tokio::task::spawn_blocking(move || stuck_now(&st2)).await else {
            continue;
        };
        if last != now {
            if let Ok(data) = serde_json::to_string(&now) {
                let _ = st.events.send(ClassEvent {
                    name: "stuck",
                    data,
                });
            }
            last = now;
        }
    }
}

fn stuck_now(st: &Shared) -> anyhow::Result<Vec<StuckCheck>> {
    let rows = lock(&st.store).failing_since(st.stuck.failing_before(super::now_ms()))?;
    Ok(stuck(&rows, st.stuck.min_learners))
}

fn text(code: StatusCode, msg: impl Into<String>) -> Response {
    let mut body = msg.into();
    body.push('\n');
    (
        code,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The token of `Authorization: Bearer ...`, or None when there is none.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let v = v.trim();
    v.strip_prefix("Bearer ")
        .or_else(|| v.strip_prefix("bearer "))
        .map(str::trim)
}

fn cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| kv.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

/// A refused token: its status and reason.
type Denied = (StatusCode, &'static str);

/// 401 without a token, 403 with a wrong one.
fn authorize(given: Option<&str>, expected: &str) -> Result<(), Denied> {
    match given {
        None | Some("") => Err((StatusCode::UNAUTHORIZED, "a token is required")),
        Some(t) if token_eq(t, expected) => Ok(()),
        Some(_) => Err((StatusCode::FORBIDDEN, "this token does not open this")),
    }
}

fn instructor(st: &Shared, headers: &HeaderMap, query: Option<&str>) -> Result<(), Denied> {
    let given = bearer(headers).or(query).or_else(|| cookie(headers));
    authorize(given, &st.instructor_token)
}

/// One learner may post [`RATE_LIMIT`] times per [`RATE_WINDOW`].
fn allow(st: &Shared, client: &str) -> bool {
    let now = Instant::now();
    let mut rate = lock(&st.rate);
    if rate.len() > 10_000 {
        rate.retain(|_, (start, _)| now.duration_since(*start) < RATE_WINDOW);
    }
    let slot = rate.entry(client.to_string()).or_insert((now, 0));
    if now.duration_since(slot.0) >= RATE_WINDOW {
        *slot = (now, 0);
    }
    slot.1 += 1;
    slot.1 <= RATE_LIMIT
}

async fn post_results(State(st): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    if let Err((code, why)) = authorize(bearer(&headers), &st.join_token) {
        return text(code, why);
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAIN_LIMIT as u64) {
        return text(StatusCode::PAYLOAD_TOO_LARGE, "the body is over 256 kB");
    }
    let bytes = match read_body(body).await {
        Ok(b) => b,
        Err(r) => return r,
    };
    let sub: Submission = match serde_json::from_slice(&bytes) {
        Ok(s) => s,
        Err(e) => return text(StatusCode::BAD_REQUEST, format!("malformed JSON: {e}")),
    };
    if let Err(why) = validate(&sub) {
        return text(StatusCode::BAD_REQUEST, why);
    }
    if !allow(&st, &sub.client_id) {
        return text(
            StatusCode::TOO_MANY_REQUESTS,
            "too many posts; try again in a second",
        );
    }
    let at = super::now_rfc3339();
    let at_ms = super::now_ms();
    let st2 = st.clone();
    let client = sub.client_id.clone();
    let stored = tokio::task::spawn_blocking(move || {
        let results = sub.results.into_vec();
        let n = results.len();
        let name = sub.name.trim();
        let mut store = lock(&st2.store);
        store.record(&sub.client_id, name, &at, at_ms, &results)?;
        let mut recent = lock(&st2.recent);
        let known = match recent.entry(sub.client_id.clone()) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let known = e.into_mut();
                *known = super::merge_queue(std::mem::take(known), &results);
                known
            }
            // First post since the server started: what the database holds (this post included).
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(store.results_of(&sub.client_id)?)
            }
        };
        let row = super::learner_row(name, &sub.client_id, &at, &st2.lessons, known);
        anyhow::Ok((n, Some(row)))
    })
    .await;
    match stored {
        Ok(Ok((n, row))) => {
            if let Some(row) = row {
                if let Ok(data) = serde_json::to_string(&row) {
                    let _ = st.events.send(ClassEvent {
                        name: "learner",
                        data,
                    });
                }
            }
            tracing::debug!(client = %client, n, "class: stored results");
            (StatusCode::OK, Json(serde_json::json!({ "stored": n }))).into_response()
        }
        Ok(Err(e)) => {
            tracing::warn!("class: could not store results: {e:#}");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "could not store the results",
            )
        }
        Err(_) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not store the results",
        ),
    }
}

/// A body over [`MAX_BODY_BYTES`] is still read (and dropped) up to this
/// much, so the client reads the 413 rather than a reset connection.
const DRAIN_LIMIT: usize = 4 * 1024 * 1024;
/// How long reading one body may take.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

async fn read_body(body: Body) -> Result<Vec<u8>, Response> {
    let too_large = || text(StatusCode::PAYLOAD_TOO_LARGE, "the body is over 256 kB");
    let read = async {
        let mut stream = body.into_data_stream();
        let mut buf = Vec::new();
        let mut total = 0usize;
        while let Some(chunk) = stream.next().await {
            let chunk =
                chunk.map_err(|_| text(StatusCode::BAD_REQUEST, "the body could not be read"))?;
            total = total.saturating_add(chunk.len());
            if total <= MAX_BODY_BYTES {
                buf.extend_from_slice(&chunk);
            } else if total > DRAIN_LIMIT {
                return Err(too_large());
            }
        }
        if total > MAX_BODY_BYTES {
            return Err(too_large());
        }
        Ok(buf)
    };
    match tokio::time::timeout(BODY_TIMEOUT, read).await {
        Ok(r) => r,
        Err(_) => Err(text(StatusCode::REQUEST_TIMEOUT, "the body took too long")),
    }
}

fn class_view(st: &Shared) -> anyhow::Result<ClassView> {
    let learners = lock(&st.store).learners(&st.lessons)?;
    Ok(ClassView {
        title: st.title.clone(),
        learners,
        stuck: stuck_now(st)?,
    })
}

async fn get_class(State(st): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err((code, why)) = instructor(&st, &headers, None) {
        return text(code, why);
    }
    let st2 = st.clone();
    match tokio::task::spawn_blocking(move || class_view(&st2)).await {
        Ok(Ok(view)) => Json(view).into_response(),
        _ => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "could not read the class",
        ),
    }
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
    key: Option<String>,
}

async fn get_events(
    State(st): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    if let Err((code, why)) = instructor(&st, &headers, q.token.as_deref()) {
        return text(code, why);
    }
    Sse::new(learner_events(st.events.subscribe()))
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// A comment first (the subscription is live), then one `learner` event per
/// stored result and a `stuck` event when that panel changes; a reader
/// that falls behind skips what it missed.
fn learner_events(
    rx: broadcast::Receiver<ClassEvent>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    let hello = stream::once(async { Ok(Event::default().comment("connected")) });
    let rows = stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(e) => Event::default().event(e.name).data(e.data),
            // Fell behind: the page reads the whole class again.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                Event::default().event("resync").data("{}")
            }
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    });
    hello.chain(rows)
}

async fn page(
    State(st): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    if let Some(key) = q.key.as_deref() {
        if let Err((code, why)) = authorize(Some(key), &st.instructor_token) {
            return text(code, why);
        }
        // The token leaves the address bar: the cookie carries it from now on.
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::SEE_OTHER;
        r.headers_mut()
            .insert(header::LOCATION, HeaderValue::from_static("/"));
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{COOKIE}={key}; HttpOnly; SameSite=Strict; Path=/"
        )) {
            r.headers_mut().insert(header::SET_COOKIE, v);
        }
        return r;
    }
    if let Err((code, why)) = instructor(&st, &headers, None) {
        return text(code, why);
    }
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        PAGE,
    )
        .into_response()
}
