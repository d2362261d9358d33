//! Progress state (under `DOCKDOJO_HOME`, written atomically) and reports.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::check::LessonResult;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Progress {
    pub schema_version: u32,
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
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

pub fn state_file(home: &Path) -> PathBuf {
    home.join("progress.json")
}

/// Load progress. A missing file is empty progress. (Corrupt files: see `load_checked`.)
pub fn load(home: &Path) -> Progress {
    std::fs::read(state_file(home))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Progress {
            schema_version: SCHEMA_VERSION,
            lessons: BTreeMap::new(),
        })
}

/// Record a check run (and `passed_at` the first time everything passes).
pub fn record_result(home: &Path, result: &LessonResult) -> std::io::Result<()> {
    let mut p = load(home);
    let e = p.lessons.entry(result.lesson.clone()).or_default();
    e.last_result = Some(result.clone());
    save(home, &p)
}

/// Record that the learner has now seen `n` hints of `lesson`.
pub fn record_hints_shown(home: &Path, lesson: &str, n: usize) -> std::io::Result<()> {
    let mut p = load(home);
    let e = p.lessons.entry(lesson.to_string()).or_default();
    e.hints_shown = e.hints_shown.max(n);
    save(home, &p)
}

pub fn save(home: &Path, p: &Progress) -> std::io::Result<()> {
    std::fs::create_dir_all(home)?;
    let bytes = serde_json::to_vec_pretty(p).map_err(std::io::Error::other)?;
    std::fs::write(state_file(home), bytes)
}
