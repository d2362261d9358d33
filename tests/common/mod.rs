//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The built binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dockdojo"))
}

/// True when the tests that need an engine were switched off on purpose.
/// Otherwise the calling test shares the engine from now until it ends
/// ([`engine_lock`]: a test that acts on the whole engine waits for it).
pub fn engine_tests_skipped(test: &str) -> bool {
    if std::env::var("DOCKDOJO_SKIP_ENGINE_TESTS").as_deref() == Ok("1") {
        eprintln!(
            "SKIPPED {test}: DOCKDOJO_SKIP_ENGINE_TESTS=1 is set, this test needs a Docker engine"
        );
        true
    } else {
        engine_lock::share();
        false
    }
}

/// Connect to the real engine, or fail loudly: these tests must not pass
/// silently without one. Returns None only when skipped on purpose. The
/// calling test shares the engine until it ends (see [`engine_tests_skipped`]).
pub async fn engine(test: &str) -> Option<dockdojo::engine::Engine> {
    if engine_tests_skipped(test) {
        return None;
    }
    match dockdojo::engine::connect().await {
        Ok(e) => Some(e),
        Err(e) => panic!(
            "{test} needs a Docker engine and none answered: {e}\n\
             Start dockerd (see .ci/run) or set DOCKDOJO_SKIP_ENGINE_TESTS=1 to skip on purpose."
        ),
    }
}
pub mod class_server;
pub mod cleanup;
pub mod engine_lock;
pub mod proxy;
pub mod pty;

/// Wait (at most 10 s) until the file at `path` exists and its text meets
/// `cond`; panics naming `what` and the last text read. For files another
/// process writes in the background (progress.json after a check run).
pub fn wait_for_file(path: &std::path::Path, what: &str, cond: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if cond(&text) {
            return text;
        }
        if std::time::Instant::now() > deadline {
            panic!(
                "timed out waiting for {what} in {}; it holds:\n{text}",
                path.display()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
