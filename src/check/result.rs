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
    /// This engine cannot do what the check looks at (its `requires`); the
    /// message says why. It does not count against the lesson.
    Unsupported,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skipped => "skipped",
            Status::Unsupported => "unsupported",
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
    /// The one rule for a lesson that passes: every check passes, except
    /// those this engine cannot serve, and at least one check passes.
    pub fn passes(checks: &[CheckResult]) -> bool {
        checks.iter().any(|c| c.status == Status::Pass)
            && checks
                .iter()
                .all(|c| matches!(c.status, Status::Pass | Status::Unsupported))
    }

    /// True when at least one check could be evaluated (not all `error`).
    pub fn evaluated_any(&self) -> bool {
        self.checks.iter().any(|c| c.status != Status::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(status: Status) -> CheckResult {
        CheckResult {
            id: "x".into(),
            title: "x".into(),
            status,
            expected: String::new(),
            actual: String::new(),
            message: String::new(),
            hint: None,
            why: None,
            duration_ms: 0,
        }
    }

    #[test]
    fn a_lesson_passes_when_every_check_it_can_serve_passes() {
        use Status::*;
        assert!(LessonResult::passes(&[c(Pass), c(Pass)]));
        assert!(LessonResult::passes(&[c(Pass), c(Unsupported)]));
        assert!(!LessonResult::passes(&[c(Unsupported)]));
        assert!(!LessonResult::passes(&[]));
        assert!(!LessonResult::passes(&[c(Pass), c(Skipped)]));
        assert!(!LessonResult::passes(&[c(Pass), c(Error)]));
        assert!(!LessonResult::passes(&[c(Pass), c(Fail)]));
    }
}
