//! `dockdojo class serve` as a test starts it: the built binary on the
//! offline fixture pack, a real SQLite file, killed on drop.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const JOIN: &str = "join-token-for-tests";
pub const INSTRUCTOR: &str = "instructor-token-for-tests";

/// A pack whose checks need no engine (Dockerfile checks only).
pub fn offline_pack() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/offline")
}

/// A running `dockdojo class serve`; killed on drop.
pub struct Server {
    child: Child,
    pub url: String,
    /// What it printed when it started.
    banner: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Start on `bind` (port 0: a free one) and wait for the printed address.
    pub fn start(home: &Path, db: &Path, bind: &str) -> Server {
        Server::start_with(
            home,
            db,
            bind,
            &["--join-token", JOIN, "--instructor-token", INSTRUCTOR],
        )
    }

    pub fn start_with(home: &Path, db: &Path, bind: &str, tokens: &[&str]) -> Server {
        let mut child = Command::new(super::bin())
            .args(["class", "serve", "--bind", bind, "--db"])
            .arg(db)
            .args(tokens)
            .args(["--title", "Test class", "--lessons"])
            .arg(offline_pack())
            .env("DOCKDOJO_HOME", home)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("class serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    // The last line of the banner: everything above is printed.
                    let done = line.starts_with("Only check results");
                    seen.push(line);
                    if done {
                        let url = seen
                            .iter()
                            .find_map(|l| l.split("is serving at ").nth(1))
                            .map(|u| u.trim().trim_end_matches('/').to_string())
                            .unwrap_or_else(|| panic!("no address in {seen:?}"));
                        return Server {
                            child,
                            url,
                            banner: seen,
                        };
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("class serve printed no address; it printed: {seen:?}");
                }
            }
        }
    }

    /// The value printed after `label` (e.g. `join token:`).
    pub fn printed(&self, label: &str) -> String {
        self.banner
            .iter()
            .find_map(|l| l.trim().strip_prefix(label))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {label} in {:?}", self.banner))
    }

    pub fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port")
    }
}

/// The learner with this client id, and the status of each of its lessons.
pub fn statuses(view: &serde_json::Value, client: &str) -> Vec<(String, String)> {
    let learner = view["learners"]
        .as_array()
        .expect("learners")
        .iter()
        .find(|l| l["client_id"] == client)
        .unwrap_or_else(|| panic!("no learner {client} in {view}"));
    learner["lessons"]
        .as_array()
        .expect("lessons")
        .iter()
        .map(|l| {
            (
                l["id"].as_str().expect("id").to_string(),
                l["status"].as_str().expect("status").to_string(),
            )
        })
        .collect()
}
