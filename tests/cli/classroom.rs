//! `dockdojo class`: the real server (the built binary on a free port, a
//! real SQLite file), real HTTP, and `dockdojo check` on an offline-only pack
//! sending its results to it or queueing them while it is down.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::class_server::{offline_pack, statuses, Server, INSTRUCTOR, JOIN};

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .redirects(0)
        .build()
}

/// Status and body of an answer, whatever the status.
fn answer(r: Result<ureq::Response, ureq::Error>) -> (u16, String) {
    match r {
        Ok(resp) => (resp.status(), resp.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, resp)) => (code, resp.into_string().unwrap_or_default()),
        Err(e) => panic!("no HTTP answer: {e}"),
    }
}

fn post(url: &str, token: Option<&str>, body: &str) -> (u16, String) {
    let mut req = agent()
        .post(&format!("{url}/api/results"))
        .set("Content-Type", "application/json");
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    answer(req.send_string(body))
}

fn get(url: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut req = agent().get(&format!("{url}{path}"));
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    answer(req.call())
}

fn class(url: &str) -> serde_json::Value {
    let (code, body) = get(url, "/api/class", Some(INSTRUCTOR));
    assert_eq!(code, 200, "{body}");
    serde_json::from_str(&body).expect("class JSON")
}

fn check(id: &str, title: &str, status: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id, "title": title, "status": status, "expected": "e",
        "actual": "a", "message": "m", "duration_ms": 1
    })
}

fn submission(name: &str, client: &str, results: serde_json::Value) -> String {
    serde_json::json!({ "name": name, "client_id": client, "results": results }).to_string()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const HOSTILE: &str = "<script>alert(1)</script>\"'&";

#[test]
fn class_server_stores_learners_guards_routes_and_survives_a_restart() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let db = tmp.path().join("class.db");
    let server = Server::start(&home, &db, "127.0.0.1:0");
    let url = server.url.clone();

    // Ann: the stages lesson passes, the final base fails (an array, as
    // `check --all --json` prints).
    let ann = submission(
        "Ann",
        "client-ann",
        serde_json::json!([
            { "lesson": "stages", "passed": true, "checks": [check("stages", "two stages", "pass")] },
            { "lesson": "final-base", "passed": false, "checks": [check("final-base", "final is scratch", "fail")] }
        ]),
    );
    assert_eq!(post(&url, Some(JOIN), &ann).0, 200);
    // A hostile name, one lesson as one object (as `check LESSON --json` prints).
    let bob = submission(
        HOSTILE,
        "client-bob",
        serde_json::json!({ "lesson": "final-base", "passed": true, "checks": [check("final-base", "final is scratch", "pass")] }),
    );
    let (code, body) = post(&url, Some(JOIN), &bob);
    assert_eq!(code, 200, "{body}");

    let view = class(&url);
    assert_eq!(view["title"], "Test class");
    assert_eq!(view["learners"].as_array().expect("learners").len(), 2);
    assert_eq!(
        statuses(&view, "client-ann"),
        pairs(&[("stages", "passed"), ("final-base", "failing")])
    );
    assert_eq!(
        statuses(&view, "client-bob"),
        pairs(&[("stages", "not_started"), ("final-base", "passed")])
    );
    let bob_row = view["learners"]
        .as_array()
        .expect("learners")
        .iter()
        .find(|l| l["client_id"] == "client-bob")
        .expect("bob");
    assert_eq!(
        bob_row["name"], HOSTILE,
        "the name comes back verbatim as JSON text"
    );
    let seen = bob_row["last_seen"].as_str().expect("last_seen");
    assert!(seen.parse::<jiff::Timestamp>().is_ok(), "RFC 3339: {seen}");
    let failing_check = &view["learners"][0]["lessons"][1]["checks"][0];
    assert_eq!(failing_check["title"], "final is scratch");
    assert_eq!(failing_check["status"], "fail");

    // Newer results replace older ones for the same lesson.
    let ann_fixed = submission(
        "Ann",
        "client-ann",
        serde_json::json!([{ "lesson": "final-base", "passed": true, "checks": [check("final-base", "final is scratch", "pass")] }]),
    );
    assert_eq!(post(&url, Some(JOIN), &ann_fixed).0, 200);
    assert_eq!(
        statuses(&class(&url), "client-ann"),
        pairs(&[("stages", "passed"), ("final-base", "passed")])
    );

    // Tokens: none is 401, a wrong one 403; the join token cannot read.
    assert_eq!(post(&url, None, &ann).0, 401);
    assert_eq!(post(&url, Some("wrong"), &ann).0, 403);
    assert_eq!(post(&url, Some(INSTRUCTOR), &ann).0, 403);
    assert_eq!(get(&url, "/api/class", None).0, 401);
    assert_eq!(get(&url, "/api/class", Some(JOIN)).0, 403);
    assert_eq!(get(&url, "/api/class", Some("wrong")).0, 403);
    assert_eq!(get(&url, "/api/events", None).0, 401);
    assert_eq!(get(&url, "/api/events?token=wrong", None).0, 403);
    assert_eq!(get(&url, &format!("/api/events?token={JOIN}"), None).0, 403);
    assert_eq!(get(&url, "/", None).0, 401);
    assert_eq!(get(&url, "/?key=wrong", None).0, 403);

    // What a learner may send and may not.
    let big = submission(
        "Big",
        "client-big",
        serde_json::json!([{ "lesson": "x".repeat(300 * 1024), "passed": false, "checks": [] }]),
    );
    assert!(big.len() > 300 * 1024);
    let (code, body) = post(&url, Some(JOIN), &big);
    assert_eq!(code, 413, "{body}");
    let (code, body) = post(&url, Some(JOIN), "{\"name\": \"Ann\", ");
    assert_eq!(code, 400);
    assert!(body.contains("malformed JSON"), "{body}");
    let (code, body) = post(&url, Some(JOIN), "{\"name\": \"Ann\"}");
    assert_eq!(code, 400);
    assert!(body.contains("client_id"), "{body}");
    let long = submission(&"n".repeat(65), "client-long", serde_json::json!([]));
    let (code, body) = post(&url, Some(JOIN), &long);
    assert_eq!(code, 400);
    assert!(body.contains("64"), "{body}");
    let bad_status = submission(
        "Ann",
        "client-ann",
        serde_json::json!([{ "lesson": "stages", "passed": true, "checks": [check("c", "t", "great")] }]),
    );
    assert_eq!(post(&url, Some(JOIN), &bad_status).0, 400);
    // Still both learners, nothing refused was stored.
    assert_eq!(
        class(&url)["learners"].as_array().expect("learners").len(),
        2
    );

    // A learner posting in a burst is slowed down with 429.
    let burst = submission("Cy", "client-burst", serde_json::json!([]));
    let codes: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..25)
            .map(|_| s.spawn(|| post(&url, Some(JOIN), &burst).0))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert!(codes.contains(&429), "{codes:?}");
    assert!(codes.contains(&200), "{codes:?}");
    assert!(codes.iter().all(|c| *c == 200 || *c == 429), "{codes:?}");

    // The dashboard: the key sets an HttpOnly cookie, the cookie opens the page.
    let resp = agent()
        .get(&format!("{url}/?key={INSTRUCTOR}"))
        .call()
        .expect("303");
    assert_eq!(resp.status(), 303);
    let cookie = resp.header("set-cookie").expect("cookie").to_string();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let pair = cookie.split(';').next().expect("pair").to_string();
    let page = agent()
        .get(&format!("{url}/"))
        .set("Cookie", &pair)
        .call()
        .expect("page");
    assert_eq!(page.status(), 200);
    let html = page.into_string().expect("html");
    assert!(
        html.contains("textContent") && !html.contains("innerHTML ="),
        "built with textContent"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resources"
    );
    let (code, _) = answer(
        agent()
            .get(&format!("{url}/api/class"))
            .set("Cookie", &pair)
            .call(),
    );
    assert_eq!(code, 200);

    // A restart on the same database keeps everyone.
    drop(server);
    let server = Server::start(&home, &db, "127.0.0.1:0");
    let view = class(&server.url);
    let learners = view["learners"].as_array().expect("learners");
    assert_eq!(learners.len(), 3, "{view}");
    assert_eq!(
        statuses(&view, "client-ann"),
        pairs(&[("stages", "passed"), ("final-base", "passed")])
    );
    assert_eq!(statuses(&view, "client-bob")[1].1, "passed");

    // The export reads the same database.
    let out = Command::new(common::bin())
        .args(["class", "export", "--format", "csv", "--lessons"])
        .arg(offline_pack())
        .arg("--db")
        .arg(&db)
        .env("DOCKDOJO_HOME", &home)
        .output()
        .expect("export");
    let csv = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        csv.starts_with("name,client_id,last_seen,lesson,status,failing_checks\n"),
        "{csv}"
    );
    assert!(csv.contains("\nAnn,client-ann,"), "{csv}");
    assert!(csv.contains(",stages,not_started,"), "{csv}");
}

#[test]
fn class_events_stream_each_stored_result() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let server = Server::start(&home, &tmp.path().join("class.db"), "127.0.0.1:0");
    let url = server.url.clone();

    let rx = event_lines(&url);
    let next_line = |what: &str| -> String {
        rx.recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("no {what} on the event stream"))
    };
    // The comment that says the subscription is live.
    while !next_line("comment").starts_with(": connected") {}

    let body = submission(
        "Dee <b>",
        "client-dee",
        serde_json::json!([{ "lesson": "stages", "passed": false, "checks": [check("stages", "two stages", "fail")] }]),
    );
    assert_eq!(post(&url, Some(JOIN), &body).0, 200);
    let mut event = String::new();
    loop {
        let line = next_line("learner event");
        if line.starts_with("event:") {
            event = line.trim().to_string();
        }
        if let Some(data) = line.strip_prefix("data:") {
            let row: serde_json::Value = serde_json::from_str(data.trim()).expect("row JSON");
            assert_eq!(event, "event: learner");
            assert_eq!(row["client_id"], "client-dee");
            assert_eq!(row["name"], "Dee <b>");
            assert_eq!(row["lessons"][0]["status"], "failing");
            assert_eq!(row["lessons"][0]["checks"][0]["title"], "two stages");
            break;
        }
    }
}

/// Lines of a server-sent event stream, read on a thread.
fn event_lines(url: &str) -> mpsc::Receiver<String> {
    let resp = agent()
        .get(&format!("{url}/api/events?token={INSTRUCTOR}"))
        .call()
        .expect("events");
    assert_eq!(resp.status(), 200);
    assert!(resp.content_type().starts_with("text/event-stream"));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(resp.into_reader());
        let mut line = String::new();
        while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
            if tx.send(line.clone()).is_err() {
                break;
            }
            line.clear();
        }
    });
    rx
}

#[test]
fn class_stuck_panel_lists_a_check_several_learners_fail_and_export_writes_junit() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let db = tmp.path().join("class.db");
    let server = Server::start_with(
        &home,
        &db,
        "127.0.0.1:0",
        &[
            "--join-token",
            JOIN,
            "--instructor-token",
            INSTRUCTOR,
            "--stuck-after",
            "0",
        ],
    );
    let url = server.url.clone();
    let events = event_lines(&url);
    let failing = |name: &str, client: &str| {
        submission(
            name,
            client,
            serde_json::json!([{ "lesson": "stages", "passed": false, "checks": [
                check("stages", "two stages", "fail"),
                check("small", "small <image>", "pass")
            ] }]),
        )
    };
    assert_eq!(post(&url, Some(JOIN), &failing("Ann", "c-ann")).0, 200);
    // One learner is not "several": nothing is stuck yet.
    assert_eq!(class(&url)["stuck"], serde_json::json!([]));
    assert_eq!(post(&url, Some(JOIN), &failing("Bob", "c-bob")).0, 200);
    let view = class(&url);
    let stuck = view["stuck"].as_array().expect("stuck");
    assert_eq!(stuck.len(), 1, "{view}");
    assert_eq!(stuck[0]["lesson"], "stages");
    assert_eq!(stuck[0]["check"], "stages");
    assert_eq!(stuck[0]["title"], "two stages");
    assert_eq!(stuck[0]["learners"], serde_json::json!(["Ann", "Bob"]));

    // The dashboards hear of it without asking.
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut event = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = events
            .recv_timeout(left)
            .expect("a stuck event on the stream");
        if line.starts_with("event:") {
            event = line.trim().to_string();
        }
        if let Some(data) = line.strip_prefix("data:") {
            if event == "event: stuck" {
                let v: serde_json::Value = serde_json::from_str(data.trim()).expect("JSON");
                if v.as_array().is_some_and(|a| !a.is_empty()) {
                    assert_eq!(v[0]["learners"], serde_json::json!(["Ann", "Bob"]));
                    break;
                }
            }
        }
    }

    let out = Command::new(common::bin())
        .args(["class", "export", "--format", "junit", "--lessons"])
        .arg(offline_pack())
        .arg("--db")
        .arg(&db)
        .env("DOCKDOJO_HOME", &home)
        .output()
        .expect("export");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let xml = String::from_utf8_lossy(&out.stdout);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(
        xml.contains("tests=\"4\" failures=\"2\""),
        "two learners, two checks each, one failing each: {xml}"
    );
    assert!(xml.contains("<testsuite name=\"Ann: stages\""), "{xml}");
    assert!(xml.contains("<testsuite name=\"Bob: stages\""), "{xml}");
    assert!(xml.contains("name=\"small: small &lt;image&gt;\""), "{xml}");
}

#[test]
fn class_serve_prints_random_tokens_and_keeps_them_across_restarts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let db = tmp.path().join("class.db");
    let server = Server::start_with(&home, &db, "127.0.0.1:0", &[]);
    let join = server.printed("join token:");
    let dashboard = server.printed("dashboard:");
    let key = dashboard.split("?key=").nth(1).expect("key").to_string();
    assert_eq!(join.len(), 32, "{join}");
    assert!(join.chars().all(|c| c.is_ascii_hexdigit()), "{join}");
    assert_ne!(join, key);
    assert_eq!(
        server.printed("learners run:"),
        format!(
            "dockdojo class join {} --token {join} --name \"YOUR NAME\"",
            server.url
        )
    );
    let body = submission("Fay", "client-fay", serde_json::json!([]));
    assert_eq!(post(&server.url, Some(&join), &body).0, 200);
    drop(server);

    let server = Server::start_with(&home, &db, "127.0.0.1:0", &[]);
    assert_eq!(
        server.printed("join token:"),
        join,
        "learners who joined keep working"
    );
    assert_eq!(post(&server.url, Some(&join), &body).0, 200);
    let (code, text) = get(&server.url, "/api/class", Some(&key));
    assert_eq!(code, 200, "{text}");
    assert!(text.contains("client-fay"), "{text}");
}

fn dockdojo(home: &Path, ws: &Path, args: &[&str]) -> Output {
    Command::new(common::bin())
        .args(args)
        .arg("--lessons")
        .arg(offline_pack())
        .arg("--workspace")
        .arg(ws)
        .env("DOCKDOJO_HOME", home)
        .env_remove("DOCKDOJO_LESSONS")
        .env_remove("DOCKDOJO_WORKSPACE")
        .output()
        .expect("dockdojo runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn class_join_then_check_sends_results_and_queues_them_while_offline() {
    let tmp = tempfile::tempdir().expect("tmp");
    let server_home = tmp.path().join("server-home");
    let db = tmp.path().join("class.db");
    let learner = tmp.path().join("learner-home");
    let ws = tmp.path().join("ws");
    let server = Server::start(&server_home, &db, "127.0.0.1:0");
    let port = server.port();

    let o = dockdojo(
        &learner,
        &ws,
        &[
            "class",
            "join",
            &server.url,
            "--token",
            JOIN,
            "--name",
            "Eve",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let joined: serde_json::Value =
        serde_json::from_slice(&std::fs::read(learner.join("class.json")).expect("class.json"))
            .expect("class.json JSON");
    assert_eq!(joined["name"], "Eve");
    let client = joined["client_id"].as_str().expect("client_id").to_string();

    // The starter files fail both checks; the check still says so itself.
    let o = dockdojo(&learner, &ws, &["check", "--all"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("class: sent"), "{}", stderr(&o));
    assert_eq!(
        statuses(&class(&server.url), &client),
        pairs(&[("stages", "failing"), ("final-base", "failing")])
    );

    // The server goes away; the learner fixes the first lesson.
    drop(server);
    std::fs::copy(
        offline_pack().join("01-stages/solution/Dockerfile"),
        ws.join("01-stages/Dockerfile"),
    )
    .expect("solution");
    let started = Instant::now();
    let o = dockdojo(&learner, &ws, &["check", "stages"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "the check itself passes: {}",
        stderr(&o)
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(
        stderr(&o).contains("class: offline, queued 1 result(s)"),
        "{}",
        stderr(&o)
    );
    // Then the second, still offline: the queue keeps one result per lesson.
    std::fs::copy(
        offline_pack().join("02-final-base/solution/Dockerfile"),
        ws.join("02-final-base/Dockerfile"),
    )
    .expect("solution");
    let o = dockdojo(&learner, &ws, &["check", "--all", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("class: offline, queued 2 result(s)"),
        "{}",
        stderr(&o)
    );
    let printed: serde_json::Value = serde_json::from_slice(&o.stdout).expect("check --json");
    assert_eq!(printed.as_array().expect("array").len(), 2);

    // Back on the same port and database: the next check delivers the queue.
    let server = Server::start(&server_home, &db, &format!("127.0.0.1:{port}"));
    assert_eq!(
        statuses(&class(&server.url), &client),
        pairs(&[("stages", "failing"), ("final-base", "failing")]),
        "nothing arrived while it was down"
    );
    let o = dockdojo(&learner, &ws, &["check", "stages"]);
    assert!(stderr(&o).contains("class: sent"), "{}", stderr(&o));
    assert!(
        !learner.join("class-queue.json").exists(),
        "the queue is emptied"
    );
    assert_eq!(
        statuses(&class(&server.url), &client),
        pairs(&[("stages", "passed"), ("final-base", "passed")])
    );

    // Leaving stops the sending.
    let o = dockdojo(&learner, &ws, &["class", "leave"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(!learner.join("class.json").exists());
    let o = dockdojo(&learner, &ws, &["check", "stages"]);
    assert!(!stderr(&o).contains("class:"), "{}", stderr(&o));
}
