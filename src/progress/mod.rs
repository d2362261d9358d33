//! Progress state (under `DOCKDOJO_HOME`, written atomically) and reports.
//!
//! The state file is `progress.json`. Every write goes to a temporary file in
//! the same directory, is flushed to disk, renamed over the old file, and the
//! directory is flushed too: a crash (even `kill -9`) in the middle of a write
//! leaves either the old or the new file, never a torn one. Read-modify-write
//! cycles hold an exclusive lock on `progress.lock`, so the TUI and a CLI
//! command can record at the same time without losing each other's update.
//!
//! A file that cannot be read or parsed is moved aside to
//! `progress.json.corrupt-<timestamp>` (never deleted, never trusted) and
//! progress starts empty, with a warning that names both paths. A file written
//! by a newer dockdojo (higher `schema_version`) is left alone: it is not
//! overwritten, and saving refuses with a message.

pub mod report;
pub mod time;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::LessonResult;

pub const SCHEMA_VERSION: u32 = 1;

const TMP_PREFIX: &str = "progress.json.tmp-";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Progress {
    pub schema_version: u32,
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            schema_version: SCHEMA_VERSION,
            lessons: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct LessonProgress {
    /// RFC 3339 time of the first run where every check passed.
    #[serde(default)]
    pub passed_at: Option<String>,
    /// How many hints the learner has seen.
    #[serde(default)]
    pub hints_shown: usize,
    /// The latest check run.
    #[serde(default)]
    pub last_result: Option<LessonResult>,
    /// RFC 3339 time of `last_result`.
    #[serde(default)]
    pub last_checked_at: Option<String>,
}

/// Where a lesson stands, as `list` and `report` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LessonStatus {
    /// Every check passed at least once (`passed_at` is set).
    Passed,
    /// Checked, but never all passing yet.
    Failing,
    /// Never checked.
    NotStarted,
}

impl LessonStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LessonStatus::Passed => "passed",
            LessonStatus::Failing => "failing",
            LessonStatus::NotStarted => "not started",
        }
    }
}

impl Progress {
    /// The one rule: a lesson is passed once all its checks passed (its
    /// `passed_at` is set, or, before that is written, its latest result
    /// passed); failing once checked; else not started.
    pub fn status(&self, lesson: &str) -> LessonStatus {
        match self.lessons.get(lesson) {
            Some(l)
                if l.passed_at.is_some() || l.last_result.as_ref().is_some_and(|r| r.passed) =>
            {
                LessonStatus::Passed
            }
            Some(l) if l.last_result.is_some() => LessonStatus::Failing,
            _ => LessonStatus::NotStarted,
        }
    }
}

pub fn state_file(home: &Path) -> PathBuf {
    home.join("progress.json")
}

fn lock_file(home: &Path) -> PathBuf {
    home.join("progress.lock")
}

/// Load progress. A missing file is empty progress. A corrupt or unreadable
/// file is moved aside and a warning naming both paths goes to stderr (see
/// [`load_checked`] to show the warning elsewhere, e.g. in the TUI).
pub fn load(home: &Path) -> Progress {
    let (p, warning) = load_checked(home);
    if let Some(w) = warning {
        eprintln!("dockdojo: warning: {w}");
    }
    p
}

/// Load progress and say what went wrong, if anything, without printing.
/// Never panics, never deletes the state file.
pub fn load_checked(home: &Path) -> (Progress, Option<String>) {
    match read_state(home) {
        ReadOutcome::Ok(p) => (p, None),
        ReadOutcome::Missing => (Progress::default(), None),
        ReadOutcome::Newer(v) => {
            let w = format!(
                "{} was written by a newer dockdojo (schema version {v}, this one knows {SCHEMA_VERSION}); \
                 it is left untouched and progress is not saved by this version; upgrade dockdojo to keep recording",
                state_file(home).display()
            );
            tracing::warn!("{w}");
            (Progress::default(), Some(w))
        }
        ReadOutcome::Bad(why) => {
            let w = move_aside(home, &why);
            tracing::warn!("{w}");
            (Progress::default(), Some(w))
        }
    }
}

enum ReadOutcome {
    Ok(Progress),
    Missing,
    Newer(u64),
    Bad(String),
}

fn read_state(home: &Path) -> ReadOutcome {
    let path = state_file(home);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return ReadOutcome::Missing,
        Err(e) => return ReadOutcome::Bad(format!("cannot be read ({e})")),
    };
    parse_state(&bytes)
}

fn parse_state(bytes: &[u8]) -> ReadOutcome {
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return ReadOutcome::Bad(format!("is not valid JSON ({e})")),
    };
    let version = match value.get("schema_version").and_then(|v| v.as_u64()) {
        Some(v) => v,
        None => return ReadOutcome::Bad("has no schema_version".into()),
    };
    if version > u64::from(SCHEMA_VERSION) {
        return ReadOutcome::Newer(version);
    }
    match serde_json::from_value::<Progress>(value) {
        Ok(mut p) => {
            p.schema_version = SCHEMA_VERSION;
            ReadOutcome::Ok(p)
        }
        Err(e) => ReadOutcome::Bad(format!("does not have the expected shape ({e})")),
    }
}

/// Move a bad state file aside; returns the warning text.
fn move_aside(home: &Path, why: &str) -> String {
    let path = state_file(home);
    let mut aside = home.join(format!("progress.json.corrupt-{}", time::file_stamp()));
    let mut n = 1;
    while aside.exists() {
        aside = home.join(format!("progress.json.corrupt-{}-{n}", time::file_stamp()));
        n += 1;
    }
    match std::fs::rename(&path, &aside) {
        Ok(()) => {
            let _ = sync_dir(home);
            format!(
                "the progress file {} {why}; it was moved to {} and progress starts empty",
                path.display(),
                aside.display()
            )
        }
        Err(e) => format!(
            "the progress file {} {why}, and it could not be moved to {} ({e}); \
             it is left in place and progress starts empty for this run",
            path.display(),
            aside.display()
        ),
    }
}

/// An exclusive lock on `progress.lock`, released on drop.
struct StateLock {
    _file: File,
}

fn lock(home: &Path) -> std::io::Result<StateLock> {
    std::fs::create_dir_all(home)?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_file(home))?;
    #[cfg(unix)]
    rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
        .map_err(std::io::Error::from)?;
    Ok(StateLock { _file: file })
}

/// Load, change, save, all under the lock. `f` returns false when nothing
/// worth a write changed (the file is then left as it is).
fn update(home: &Path, f: impl FnOnce(&mut Progress) -> bool) -> std::io::Result<()> {
    let _guard = lock(home)?;
    let mut p = match read_state(home) {
        ReadOutcome::Ok(p) => p,
        ReadOutcome::Missing => Progress::default(),
        ReadOutcome::Newer(v) => return Err(newer_error(home, v)),
        ReadOutcome::Bad(why) => {
            eprintln!("dockdojo: warning: {}", move_aside(home, &why));
            Progress::default()
        }
    };
    if f(&mut p) {
        write_atomic(home, &p)
    } else {
        Ok(())
    }
}

/// A run with the same outcome as the one recorded less than this long ago
/// is not written again: `last_checked_at` is then at most this old, and a
/// learner re-running a check does not pay two fsyncs each time.
pub const SAME_RESULT_REFRESH_SECS: i64 = 60;

/// The same statuses and messages (timings aside).
fn same_outcome(a: &LessonResult, b: &LessonResult) -> bool {
    let untimed = |r: &LessonResult| {
        let mut r = r.clone();
        r.checks.iter_mut().for_each(|c| c.duration_ms = 0);
        r
    };
    untimed(a) == untimed(b)
}

fn newer_error(home: &Path, v: u64) -> std::io::Error {
    std::io::Error::other(format!(
        "{} was written by a newer dockdojo (schema version {v}); not overwriting it",
        state_file(home).display()
    ))
}

/// Record a check run (and `passed_at` the first time everything passes).
pub fn record_result(home: &Path, result: &LessonResult) -> std::io::Result<()> {
    update(home, |p| {
        let now = time::now_rfc3339();
        let e = p.lessons.entry(result.lesson.clone()).or_default();
        let recent = e
            .last_checked_at
            .as_deref()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .is_some_and(|t| {
                let age = jiff::Timestamp::now().as_second() - t.as_second();
                (0..SAME_RESULT_REFRESH_SECS).contains(&age)
            });
        let unchanged = e
            .last_result
            .as_ref()
            .is_some_and(|last| same_outcome(last, result));
        let achievement = result.passed && e.passed_at.is_none();
        if unchanged && recent && !achievement {
            return false;
        }
        e.last_result = Some(result.clone());
        e.last_checked_at = Some(now.clone());
        if achievement {
            e.passed_at = Some(now);
        }
        true
    })
}

/// Record that the learner has now seen `n` hints of `lesson`.
pub fn record_hints_shown(home: &Path, lesson: &str, n: usize) -> std::io::Result<()> {
    update(home, |p| {
        let e = p.lessons.entry(lesson.to_string()).or_default();
        let before = e.hints_shown;
        e.hints_shown = e.hints_shown.max(n);
        e.hints_shown != before
    })
}

/// Replace the whole state with `p` (atomically). Refuses to overwrite a file
/// written by a newer dockdojo.
pub fn save(home: &Path, p: &Progress) -> std::io::Result<()> {
    let _guard = lock(home)?;
    if let ReadOutcome::Newer(v) = read_state(home) {
        return Err(newer_error(home, v));
    }
    write_atomic(home, p)
}

/// Temp file in the same directory, fsync, rename, fsync the directory.
/// Call with the lock held.
fn write_atomic(home: &Path, p: &Progress) -> std::io::Result<()> {
    std::fs::create_dir_all(home)?;
    remove_stale_temps(home);
    let mut p = p.clone();
    p.schema_version = SCHEMA_VERSION;
    let mut bytes = serde_json::to_vec_pretty(&p).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    let mut tmp = tempfile::Builder::new()
        .prefix(TMP_PREFIX)
        .tempfile_in(home)?;
    tmp.write_all(&bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(state_file(home)).map_err(|e| e.error)?;
    sync_dir(home)
}

/// Temp files left by a writer that was killed. Only called with the lock
/// held, so no live writer owns one.
fn remove_stale_temps(home: &Path) {
    if let Ok(rd) = std::fs::read_dir(home) {
        for entry in rd.flatten() {
            if entry.file_name().to_string_lossy().starts_with(TMP_PREFIX) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckResult, Status};

    fn result(lesson: &str, passed: bool) -> LessonResult {
        LessonResult {
            lesson: lesson.into(),
            passed,
            checks: vec![CheckResult {
                id: "c".into(),
                title: "t".into(),
                status: if passed { Status::Pass } else { Status::Fail },
                expected: "e".into(),
                actual: "a".into(),
                message: "m".into(),
                hint: None,
                why: None,
                duration_ms: 1,
            }],
        }
    }

    #[test]
    fn round_trip_and_passed_at_set_once() {
        let home = tempfile::tempdir().expect("tempdir");
        record_result(home.path(), &result("a", false)).expect("record");
        let p = load_checked(home.path());
        assert!(p.1.is_none());
        assert_eq!(p.0.status("a"), LessonStatus::Failing);
        assert_eq!(p.0.status("b"), LessonStatus::NotStarted);
        record_result(home.path(), &result("a", true)).expect("record");
        let first = load(home.path()).lessons["a"].passed_at.clone();
        assert!(first.as_deref().is_some_and(|t| t.ends_with('Z')));
        // a later failing run keeps passed_at
        record_result(home.path(), &result("a", false)).expect("record");
        let p = load(home.path());
        assert_eq!(p.lessons["a"].passed_at, first);
        assert_eq!(p.status("a"), LessonStatus::Passed);
        assert_eq!(p.lessons["a"].last_result, Some(result("a", false)));
        let raw = std::fs::read_to_string(state_file(home.path())).expect("read");
        assert!(raw.contains("\"schema_version\": 1"), "{raw}");
    }

    #[test]
    fn a_run_with_the_same_outcome_soon_after_is_not_written_again() {
        let home = tempfile::tempdir().expect("tempdir");
        let first = result("a", false);
        record_result(home.path(), &first).expect("record");
        let stored = |home: &Path| load(home).lessons["a"].last_result.clone();
        // Same outcome, other timings: the file keeps the first run.
        let mut again = first.clone();
        again.checks[0].duration_ms = 99;
        record_result(home.path(), &again).expect("record");
        assert_eq!(stored(home.path()), Some(first.clone()));
        // A changed message is written.
        let mut changed = first.clone();
        changed.checks[0].actual = "b".into();
        record_result(home.path(), &changed).expect("record");
        assert_eq!(stored(home.path()), Some(changed.clone()));
        // An old record is refreshed even when the outcome is the same.
        let mut p = load(home.path());
        p.lessons.get_mut("a").expect("a").last_checked_at = Some("2020-01-01T00:00:00Z".into());
        save(home.path(), &p).expect("save");
        let mut later = changed.clone();
        later.checks[0].duration_ms = 7;
        record_result(home.path(), &later).expect("record");
        let l = load(home.path());
        assert_eq!(l.lessons["a"].last_result, Some(later));
        assert_ne!(
            l.lessons["a"].last_checked_at.as_deref(),
            Some("2020-01-01T00:00:00Z")
        );
    }

    #[test]
    fn hints_only_grow() {
        let home = tempfile::tempdir().expect("tempdir");
        record_hints_shown(home.path(), "a", 2).expect("record");
        record_hints_shown(home.path(), "a", 1).expect("record");
        assert_eq!(load(home.path()).lessons["a"].hints_shown, 2);
    }

    #[test]
    fn corrupt_file_is_moved_aside_not_deleted() {
        let home = tempfile::tempdir().expect("tempdir");
        std::fs::write(state_file(home.path()), b"{\"schema_version\": 1, \"less").expect("w");
        let (p, w) = load_checked(home.path());
        assert_eq!(p, Progress::default());
        let w = w.expect("a warning");
        assert!(w.contains("progress.json"), "{w}");
        assert!(w.contains(".corrupt-"), "{w}");
        assert!(!state_file(home.path()).exists());
        let aside: Vec<_> = std::fs::read_dir(home.path())
            .expect("rd")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(
            std::fs::read(aside[0].path()).expect("r"),
            b"{\"schema_version\": 1, \"less"
        );
        // recording afterwards works and starts fresh
        record_hints_shown(home.path(), "x", 1).expect("record");
        assert_eq!(load(home.path()).lessons["x"].hints_shown, 1);
    }

    #[test]
    fn wrong_shape_is_corrupt_too() {
        let home = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            state_file(home.path()),
            br#"{"schema_version": 1, "lessons": {"a": {"hints_shown": "lots"}}}"#,
        )
        .expect("w");
        let (_, w) = load_checked(home.path());
        assert!(w.expect("warning").contains("expected shape"));
        std::fs::write(state_file(home.path()), b"[1,2]").expect("w");
        let (_, w) = load_checked(home.path());
        assert!(w.expect("warning").contains("schema_version"));
    }

    #[test]
    fn newer_schema_is_not_overwritten() {
        let home = tempfile::tempdir().expect("tempdir");
        let newer = br#"{"schema_version": 99, "lessons": {}, "future": true}"#;
        std::fs::write(state_file(home.path()), newer).expect("w");
        let (p, w) = load_checked(home.path());
        assert!(p.lessons.is_empty());
        assert!(w.expect("warning").contains("newer dockdojo"));
        let err = record_hints_shown(home.path(), "a", 1).expect_err("must refuse");
        assert!(err.to_string().contains("newer dockdojo"), "{err}");
        assert!(save(home.path(), &Progress::default()).is_err());
        assert_eq!(std::fs::read(state_file(home.path())).expect("r"), newer);
    }

    #[test]
    fn stale_temp_files_are_cleaned() {
        let home = tempfile::tempdir().expect("tempdir");
        let stale = home.path().join(format!("{TMP_PREFIX}abc"));
        std::fs::write(&stale, b"half").expect("w");
        record_hints_shown(home.path(), "a", 1).expect("record");
        assert!(!stale.exists());
    }

    #[test]
    fn concurrent_updates_are_not_lost() {
        let home = tempfile::tempdir().expect("tempdir");
        let threads: Vec<_> = (0..8)
            .map(|i| {
                let h = home.path().to_path_buf();
                std::thread::spawn(move || {
                    for _ in 0..10 {
                        record_hints_shown(&h, &format!("lesson-{i}"), 1).expect("record");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("join");
        }
        let p = load(home.path());
        assert_eq!(p.lessons.len(), 8, "{:?}", p.lessons.keys());
    }
}
