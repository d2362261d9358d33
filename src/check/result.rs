//! The result of evaluating checks (LESSON-FORMAT.md, "Result of a check run").

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The learner's state meets the goal.
    Pass,
    /// The learner's state does not meet the goal.
    Fail,
    /// dockdojo could not evaluate it (engine unreachable, probe image missing...).
    /// Never blamed on the learner.
    Error,
    /// A check named in `needs` did not pass.
    Skipped,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub expected: String,
    pub actual: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub why: Option<String>,
    pub duration_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonResult {
    pub lesson: String,
    pub passed: bool,
    pub checks: Vec<CheckResult>,
}

impl LessonResult {
    /// True when at least one check could be evaluated (not all `error`).
    pub fn evaluated_any(&self) -> bool {
        self.checks.iter().any(|c| c.status != Status::Error)
    }
}
