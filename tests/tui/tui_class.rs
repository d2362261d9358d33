//! A joined class, seen from the TUI: the status bar says whether the class
//! server is reached, results go to it in the background, wait in the queue
//! while it is down, and arrive when it is back.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::class_server::{offline_pack, statuses, Server, INSTRUCTOR, JOIN};
use crate::common::pty::Session;
use crate::common::{self};

/// The status of each lesson of the learner `client` in `GET /api/class`.
fn lesson_statuses(url: &str, client: &str) -> Vec<(String, String)> {
    let body = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(10))
        .build()
        .get(&format!("{url}/api/class"))
        .set("Authorization", &format!("Bearer {INSTRUCTOR}"))
        .call()
        .expect("GET /api/class")
        .into_string()
        .expect("body");
    statuses(&serde_json::from_str(&body).expect("class JSON"), client)
}

fn join(home: &Path, url: &str) -> String {
    let o = Command::new(common::bin())
        .args(["class", "join", url, "--token", JOIN, "--name", "Tui Tess"])
        .env("DOCKDOJO_HOME", home)
        .output()
        .expect("class join");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let joined: serde_json::Value =
        serde_json::from_slice(&std::fs::read(home.join("class.json")).expect("class.json"))
            .expect("class.json JSON");
    joined["client_id"].as_str().expect("client_id").to_string()
}

#[test]
fn tui_sends_results_to_the_class_and_queues_them_while_it_is_down() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let ws = tmp.path().join("ws");
    let db = tmp.path().join("class.db");
    let server = Server::start(&tmp.path().join("server-home"), &db, "127.0.0.1:0");
    let port = server.port();
    let client = join(&home, &server.url);

    let mut s = Session::spawn(
        &offline_pack(),
        &home,
        &ws,
        (30, 120),
        Path::new("/bin/sh"),
        &[("PS1", "class$ ")],
    );
    s.wait_for("class: connected", |t| t.contains("class: connected"));
    s.wait_for("the first check run", |t| t.contains("has two stages"));
    // The first run's result reaches the server (it was sent after the hello).
    let deadline = std::time::Instant::now() + common::pty::LIMIT;
    while lesson_statuses(&server.url, &client)[0] != ("stages".into(), "failing".into()) {
        assert!(
            std::time::Instant::now() < deadline,
            "the first result never arrived"
        );
        std::thread::sleep(Duration::from_millis(200));
    }

    // The server goes away; the learner fixes the lesson: the TUI queues it.
    drop(server);
    std::fs::copy(
        offline_pack().join("01-stages/solution/Dockerfile"),
        ws.join("01-stages/Dockerfile"),
    )
    .expect("solution");
    s.wait_for("class: offline (queued)", |t| {
        t.contains("class: offline (queued)")
    });
    let queue: serde_json::Value = serde_json::from_slice(
        &std::fs::read(home.join("class-queue.json")).expect("the queue is on disk"),
    )
    .expect("queue JSON");
    assert_eq!(queue[0]["lesson"], "stages");
    assert_eq!(queue[0]["passed"], true);

    // Back on the same port and database: the queue arrives with no key pressed.
    let server = Server::start(
        &tmp.path().join("server-home"),
        &db,
        &format!("127.0.0.1:{port}"),
    );
    s.wait_for("class: connected again", |t| t.contains("class: connected"));
    assert_eq!(lesson_statuses(&server.url, &client)[0].1, "passed");
    assert!(
        !home.join("class-queue.json").exists(),
        "the queue is emptied"
    );

    s.send(b"\x11");
    let status = s.finish();
    assert!(status.success(), "{status:?}");
}
