//! `dockdojo watch` with stdout piped, as a screen reader or an editor's
//! terminal would read it: a change made from another process becomes one
//! plain line, with no escape sequence anywhere in the output.

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const NET: &str = "ddt-watch-e2e-net";

fn pack() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/watch")
}

#[test]
fn watch_prints_a_plain_line_when_a_check_starts_passing() {
    if common::engine_tests_skipped("watch_prints_a_plain_line_when_a_check_starts_passing") {
        return;
    }
    let _ = Command::new("docker").args(["network", "rm", NET]).output();
    let mut cleanup = common::cleanup::Cleanup::default();
    cleanup.networks.push(NET.to_string());
    let tmp = tempfile::tempdir().expect("tmp");
    let mut child = Command::new(common::bin())
        .args(["watch", "--lessons"])
        .arg(pack())
        .arg("--workspace")
        .arg(tmp.path().join("ws"))
        .env("DOCKDOJO_HOME", tmp.path().join("home"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dockdojo watch starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut all = Vec::new();
    let mut wait_for = |what: &str, cond: &dyn Fn(&str) -> bool| -> Instant {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    let hit = cond(&line);
                    all.push(line);
                    if hit {
                        return Instant::now();
                    }
                }
                Err(_) => panic!("never saw {what}; the output:\n{}", all.join("\n")),
            }
        }
    };
    wait_for("the lesson title", &|l| l.contains("A network, watched"));
    wait_for("the failing check", &|l| {
        l.starts_with(&format!("FAIL: {NET} exists."))
    });

    // Another process creates the network.
    let out = Command::new("docker")
        .args(["network", "create", NET])
        .output()
        .expect("docker network create");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let created = Instant::now();
    let seen = wait_for("the check passing", &|l| {
        l == format!("PASS: {NET} exists.").as_str()
    });
    eprintln!(
        "watch: network created -> PASS line in {} ms",
        seen.duration_since(created).as_millis()
    );
    wait_for("the lesson passed", &|l| {
        l.starts_with("Lesson passed: A network, watched.")
    });

    // A hint, then quit, each typed on its own line.
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "h").expect("type h");
    wait_for("the first hint", &|l| {
        l == "Hint 1 of 2: Networks are created with `docker network create`."
    });
    writeln!(stdin, "q").expect("type q");
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    for line in rx.try_iter() {
        all.push(line);
    }
    let text = all.join("\n");
    assert!(!text.contains('\x1b'), "an escape sequence in:\n{text}");
}
