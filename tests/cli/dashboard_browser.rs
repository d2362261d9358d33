//! The class dashboard in a real browser: headless Chromium (Debian's
//! `chromium`, driven over the DevTools protocol) opens the page the
//! instructor opens, sees the learners, sees a change arrive without a
//! reload, and shows a hostile name as text.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::common::class_server::{Server, INSTRUCTOR, JOIN};

const HOSTILE: &str = "<img src=x onerror=\"window.pwned=1\"><script>2</script>";

fn chromium() -> PathBuf {
    let path = PathBuf::from(
        std::env::var("DOCKDOJO_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
    );
    assert!(
        path.exists(),
        "this test needs headless Chromium at {} (Debian: apt-get install chromium; \
         .ci/run installs it), or DOCKDOJO_CHROMIUM set to another path",
        path.display()
    );
    path
}

fn post(url: &str, name: &str, client: &str, status: &str) {
    let body = serde_json::json!({
        "name": name,
        "client_id": client,
        "results": [{
            "lesson": "stages",
            "passed": status == "pass",
            "checks": [{
                "id": "stages", "title": "the Dockerfile has two stages", "status": status,
                "expected": "2 stages", "actual": "1 stage", "message": "m", "duration_ms": 1
            }]
        }]
    })
    .to_string();
    let code = ureq::post(&format!("{url}/api/results"))
        .set("Authorization", &format!("Bearer {JOIN}"))
        .set("Content-Type", "application/json")
        .timeout(Duration::from_secs(10))
        .send_string(&body)
        .map(|r| r.status())
        .unwrap_or_else(|e| panic!("post: {e}"));
    assert_eq!(code, 200);
}

/// Evaluate `js` in the page: its JSON value.
fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false)
        .unwrap_or_else(|e| panic!("evaluate {js}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}

/// Evaluate `js` until it is `true`; fails with `what` after a generous bound.
fn wait_true(tab: &Tab, what: &str, js: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if eval(tab, js) == serde_json::Value::Bool(true) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the page never showed {what}; its text:\n{}",
            eval(tab, "document.body.innerText")
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn dashboard_in_chromium_shows_learners_live_and_names_as_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let server = Server::start_with(
        &home,
        &tmp.path().join("class.db"),
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
    post(&url, "Ann", "c-ann", "fail");
    post(&url, HOSTILE, "c-hostile", "fail");

    let browser = Browser::new(
        LaunchOptions::default_builder()
            .path(Some(chromium()))
            .headless(true)
            .sandbox(false)
            .idle_browser_timeout(Duration::from_secs(120))
            .build()
            .expect("launch options"),
    )
    .expect("headless Chromium starts");
    let tab = browser.new_tab().expect("a tab");
    // The address the server printed: the key becomes a cookie, then `/`.
    tab.navigate_to(&format!("{url}/?key={INSTRUCTOR}"))
        .expect("navigate")
        .wait_until_navigated()
        .expect("navigated");
    assert_eq!(
        eval(&tab, "location.pathname + location.search"),
        "/",
        "the key left the address bar"
    );
    wait_true(
        &tab,
        "both learners",
        "document.querySelectorAll('#rows tr').length === 2",
    );
    let names = eval(
        &tab,
        "JSON.stringify([...document.querySelectorAll('#rows td.name')].map(e => e.textContent))",
    );
    assert_eq!(
        names,
        serde_json::Value::String(serde_json::json!(["Ann", HOSTILE]).to_string()),
        "names are shown literally"
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('#rows img, #rows script').length"
        ),
        0,
        "no element came from a name"
    );
    assert_eq!(eval(&tab, "typeof window.pwned"), "undefined");
    // Both fail the same check: the "stuck" panel names it.
    wait_true(
        &tab,
        "the stuck panel",
        "!document.getElementById('stuck').hidden && \
         document.getElementById('stuck').innerText.includes('2 learners') && \
         document.getElementById('stuck').innerText.includes('the Dockerfile has two stages')",
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('#rows tr td.failing') !== null"
        ),
        true
    );

    // A change arrives on the open page, without a reload.
    eval(&tab, "window.stillTheSamePage = 42");
    post(&url, "Ann", "c-ann", "pass");
    wait_true(
        &tab,
        "Ann's lesson passed",
        "(() => { const row = document.querySelector('#rows tr'); \
           return row !== null && row.querySelector('td.passed') !== null; })()",
    );
    assert_eq!(eval(&tab, "window.stillTheSamePage"), 42, "no reload");
    assert!(eval(&tab, "document.getElementById('summary').textContent")
        .as_str()
        .is_some_and(|s| s.contains("2 learner(s), 1 lesson(s) passed")));
}
