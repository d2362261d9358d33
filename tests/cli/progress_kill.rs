//! `kill -9` of a process in the middle of writing progress never leaves a
//! file that does not parse: at most that one write is lost.
//!
//! The test re-runs its own test binary, filtered to this one test, as the
//! writer (selected by an environment variable): the child records results
//! in a tight loop until it is killed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dockdojo::check::{CheckResult, LessonResult, Status};

const CHILD_ENV: &str = "DDT_CLASSROOM_PROGRESS_WRITER_HOME";

fn big_result(lesson: &str, n: usize) -> LessonResult {
    LessonResult {
        lesson: lesson.into(),
        passed: n % 2 == 0,
        checks: (0..40)
            .map(|i| CheckResult {
                id: format!("check-{i}"),
                title: format!("check number {i} of a long lesson"),
                status: if (i + n) % 3 == 0 {
                    Status::Pass
                } else {
                    Status::Fail
                },
                expected: "x".repeat(200),
                actual: format!("{n}-{}", "y".repeat(200)),
                message: "m".repeat(300),
                hint: Some("h".repeat(100)),
                why: None,
                duration_ms: n as u64,
            })
            .collect(),
    }
}

fn writer_loop(home: &Path) -> ! {
    let mut n = 0usize;
    loop {
        let lesson = format!("lesson-{}", n % 12);
        dockdojo::progress::record_result(home, &big_result(&lesson, n)).expect("write");
        if n == 0 {
            std::fs::write(home.join("writer-started"), b"1").expect("marker");
        }
        n += 1;
    }
}

fn pseudo_random(seed: u64) -> u64 {
    // xorshift over the clock: varied kill points without a dependency
    let mut x = seed
        ^ std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos() as u64)
            .unwrap_or(7);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// This test's name as the test binary lists it (`progress_kill::kill_9_…`:
/// the module path without the crate), for running only it in the child.
fn own_test_name() -> String {
    let module = module_path!()
        .split_once("::")
        .map_or("", |(_crate, rest)| rest);
    if module.is_empty() {
        "kill_9_mid_write_never_corrupts_progress".to_string()
    } else {
        format!("{module}::kill_9_mid_write_never_corrupts_progress")
    }
}

#[test]
fn kill_9_mid_write_never_corrupts_progress() {
    if let Some(home) = std::env::var_os(CHILD_ENV) {
        writer_loop(&PathBuf::from(home));
    }
    let home = tempfile::tempdir().expect("tmp");
    let exe = std::env::current_exe().expect("test binary");
    let rounds = 60;
    let mut killed_after_writing = 0;
    for round in 0..rounds {
        let _ = std::fs::remove_file(home.path().join("writer-started"));
        let mut child = Command::new(&exe)
            .args([
                own_test_name().as_str(),
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, home.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        // Wait until it has written once (bounded), then a varied extra delay.
        let deadline = Instant::now() + Duration::from_secs(20);
        while !home.path().join("writer-started").exists() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        if home.path().join("writer-started").exists() {
            killed_after_writing += 1;
        }
        std::thread::sleep(Duration::from_micros(pseudo_random(round) % 15_000));
        child.kill().expect("SIGKILL"); // SIGKILL on unix
        let _ = child.wait();

        let raw = std::fs::read(dockdojo::progress::state_file(home.path()))
            .expect("progress.json exists after the first write");
        let parsed: Result<dockdojo::progress::Progress, _> = serde_json::from_slice(&raw);
        assert!(
            parsed.is_ok(),
            "round {round}: progress.json does not parse after kill -9: {:?}",
            parsed.err()
        );
        let (p, warning) = dockdojo::progress::load_checked(home.path());
        assert!(warning.is_none(), "round {round}: {warning:?}");
        assert!(!p.lessons.is_empty(), "round {round}: no lessons recorded");
        let corrupt = std::fs::read_dir(home.path())
            .expect("rd")
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains(".corrupt-"));
        assert!(!corrupt, "round {round}: a file was moved aside");
    }
    assert_eq!(
        killed_after_writing, rounds,
        "every writer got to write before it was killed"
    );
}
