//! The classroom: learners send their check results to an instructor's
//! server, which keeps the newest result per learner and lesson in SQLite
//! and shows them on a live dashboard. Only check results travel: no files,
//! commands or environment.
//!
//! `store` is the database, `server` the HTTP routes, `client` what a
//! learner's `dockdojo check` uses to send (and queue) its results. This file
//! holds the shapes both sides share and the pure rules over them.

pub mod client;
pub mod server;
pub mod setups;
pub mod store;

use serde::{Deserialize, Serialize};

use crate::check::{LessonResult, Status};
use crate::progress::LessonStatus;

/// The longest learner name (in characters) and client id the server accepts.
pub const MAX_NAME_CHARS: usize = 64;
/// The largest request body the server reads.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What `POST /api/results` carries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    pub name: String,
    pub client_id: String,
    /// What `dockdojo check --json` prints: an array of lesson results, or
    /// one lesson's object.
    pub results: Results,
}

/// One lesson's result or several, as `dockdojo check --json` prints them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Results {
    Many(Vec<LessonResult>),
    One(LessonResult),
}

impl Results {
    pub fn into_vec(self) -> Vec<LessonResult> {
        match self {
            Results::Many(v) => v,
            Results::One(r) => vec![r],
        }
    }
}

/// Why a submission is refused (the 400 answer's text).
pub fn validate(s: &Submission) -> Result<(), String> {
    let name = s.name.trim();
    if name.is_empty() {
        return Err("name is empty".into());
    }
    if s.name.chars().count() > MAX_NAME_CHARS {
        return Err(format!("name is longer than {MAX_NAME_CHARS} characters"));
    }
    if s.client_id.is_empty() || s.client_id.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "client_id must be 1 to {MAX_NAME_CHARS} characters"
        ));
    }
    for r in s_results(s) {
        if r.lesson.is_empty() || r.lesson.chars().count() > MAX_NAME_CHARS {
            return Err(format!(
                "a lesson id must be 1 to {MAX_NAME_CHARS} characters"
            ));
        }
    }
    Ok(())
}

fn s_results(s: &Submission) -> &[LessonResult] {
    match &s.results {
        Results::Many(v) => v,
        Results::One(r) => std::slice::from_ref(r),
    }
}

/// `GET /api/class`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClassView {
    pub title: String,
    pub learners: Vec<LearnerRow>,
    /// Checks several learners have been failing for a while, most learners first.
    #[serde(default)]
    pub stuck: Vec<StuckCheck>,
}

/// When a failing check counts as "stuck", and for how many learners it is
/// worth the instructor's attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StuckRule {
    pub after: std::time::Duration,
    pub min_learners: usize,
}

impl StuckRule {
    /// Checks failing since this instant (Unix ms) or earlier are stuck at `now_ms`.
    pub fn failing_before(&self, now_ms: i64) -> i64 {
        now_ms.saturating_sub(i64::try_from(self.after.as_millis()).unwrap_or(i64::MAX))
    }
}

impl Default for StuckRule {
    fn default() -> Self {
        StuckRule {
            after: std::time::Duration::from_secs(10 * 60),
            min_learners: 2,
        }
    }
}

/// One learner failing one check since `since_ms` (a database row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StuckRow {
    pub lesson: String,
    pub check: String,
    pub title: String,
    pub learner: String,
    pub since_ms: i64,
}

/// A check that several learners are stuck on.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct StuckCheck {
    pub lesson: String,
    pub check: String,
    pub title: String,
    /// The learners failing it, in the order they joined.
    pub learners: Vec<String>,
    /// When the first of them started failing it (RFC 3339).
    pub since: String,
}

/// Group rows of failing checks by lesson and check; keep the groups of at
/// least `min_learners`, most learners first, then the longest failing.
pub fn stuck(rows: &[StuckRow], min_learners: usize) -> Vec<StuckCheck> {
    let mut groups: Vec<(StuckCheck, i64)> = Vec::new();
    for r in rows {
        match groups
            .iter_mut()
            .find(|(g, _)| g.lesson == r.lesson && g.check == r.check)
        {
            Some((g, since)) => {
                g.learners.push(r.learner.clone());
                *since = (*since).min(r.since_ms);
            }
            None => groups.push((
                StuckCheck {
                    lesson: r.lesson.clone(),
                    check: r.check.clone(),
                    title: r.title.clone(),
                    learners: vec![r.learner.clone()],
                    since: String::new(),
                },
                r.since_ms,
            )),
        }
    }
    groups.retain(|(g, _)| g.learners.len() >= min_learners.max(1));
    groups.sort_by(|(a, sa), (b, sb)| {
        b.learners
            .len()
            .cmp(&a.learners.len())
            .then(sa.cmp(sb))
            .then_with(|| (&a.lesson, &a.check).cmp(&(&b.lesson, &b.check)))
    });
    groups
        .into_iter()
        .map(|(mut g, since)| {
            g.since = jiff::Timestamp::from_millisecond(since)
                .map(|t| t.to_string())
                .unwrap_or_default();
            g
        })
        .collect()
}

/// One learner: a row of the dashboard.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LearnerRow {
    pub name: String,
    pub client_id: String,
    /// RFC 3339.
    pub last_seen: String,
    pub lessons: Vec<LessonCell>,
}

/// One lesson of one learner.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LessonCell {
    pub id: String,
    /// `passed`, `failing` or `not_started`.
    pub status: String,
    pub checks: Vec<CheckCell>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckCell {
    pub id: String,
    pub title: String,
    pub status: Status,
}

/// Where a lesson stands from its newest result: the rule of
/// [`LessonResult::passes`], `not_started` without a result.
pub fn lesson_status(result: Option<&LessonResult>) -> LessonStatus {
    match result {
        None => LessonStatus::NotStarted,
        Some(r) if LessonResult::passes(&r.checks) => LessonStatus::Passed,
        Some(_) => LessonStatus::Failing,
    }
}

/// The word the API uses: `passed`, `failing`, `not_started` (as `report`'s JSON).
pub fn status_word(s: LessonStatus) -> &'static str {
    match s {
        LessonStatus::Passed => "passed",
        LessonStatus::Failing => "failing",
        LessonStatus::NotStarted => "not_started",
    }
}

/// A learner's row: `lessons` (the pack's order) first, then any other lesson
/// the learner sent a result for, in the order sent.
pub fn learner_row(
    name: &str,
    client_id: &str,
    last_seen: &str,
    lessons: &[String],
    results: &[LessonResult],
) -> LearnerRow {
    let mut ids: Vec<&str> = lessons.iter().map(String::as_str).collect();
    for r in results {
        if !ids.contains(&r.lesson.as_str()) {
            ids.push(&r.lesson);
        }
    }
    let cells = ids
        .into_iter()
        .map(|id| {
            let r = results.iter().rev().find(|r| r.lesson == id);
            LessonCell {
                id: id.to_string(),
                status: status_word(lesson_status(r)).to_string(),
                checks: r
                    .map(|r| {
                        r.checks
                            .iter()
                            .map(|c| CheckCell {
                                id: c.id.clone(),
                                title: c.title.clone(),
                                status: c.status,
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    LearnerRow {
        name: name.to_string(),
        client_id: client_id.to_string(),
        last_seen: last_seen.to_string(),
        lessons: cells,
    }
}

/// `older` then `new` results, the newest per lesson, in the order each
/// lesson was first seen: the offline queue plus new results, and the
/// server's view of a learner after a post.
pub fn merge_queue(queued: Vec<LessonResult>, new: &[LessonResult]) -> Vec<LessonResult> {
    let mut out: Vec<LessonResult> = Vec::new();
    for r in queued.into_iter().chain(new.iter().cloned()) {
        match out.iter_mut().find(|o| o.lesson == r.lesson) {
            Some(slot) => *slot = r,
            None => out.push(r),
        }
    }
    out
}

/// A random token or id: 16 bytes from the OS, in hex.
pub fn random_hex() -> String {
    let mut buf = [0u8; 16];
    if getrandom::getrandom(&mut buf).is_err() {
        // No OS randomness: a clock-and-pid mix is still unique, if guessable.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        buf[..16].copy_from_slice(&(t ^ u128::from(std::process::id())).to_le_bytes());
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compare tokens without an early exit on the first different byte.
pub fn token_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Now, RFC 3339.
pub fn now_rfc3339() -> String {
    jiff::Timestamp::now().to_string()
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckResult;

    fn check(id: &str, status: Status) -> CheckResult {
        CheckResult {
            id: id.into(),
            title: format!("title {id}"),
            status,
            expected: String::new(),
            actual: String::new(),
            message: String::new(),
            hint: None,
            why: None,
            duration_ms: 1,
        }
    }

    fn lesson(id: &str, checks: Vec<CheckResult>) -> LessonResult {
        LessonResult {
            lesson: id.into(),
            passed: LessonResult::passes(&checks),
            checks,
        }
    }

    #[test]
    fn status_follows_the_lesson_rule() {
        assert_eq!(lesson_status(None), LessonStatus::NotStarted);
        let pass = lesson(
            "a",
            vec![check("x", Status::Pass), check("y", Status::Unsupported)],
        );
        assert_eq!(lesson_status(Some(&pass)), LessonStatus::Passed);
        let fail = lesson(
            "a",
            vec![check("x", Status::Pass), check("y", Status::Fail)],
        );
        assert_eq!(lesson_status(Some(&fail)), LessonStatus::Failing);
        let errs = lesson("a", vec![check("x", Status::Error)]);
        assert_eq!(lesson_status(Some(&errs)), LessonStatus::Failing);
        let unsupported = lesson("a", vec![check("x", Status::Unsupported)]);
        assert_eq!(lesson_status(Some(&unsupported)), LessonStatus::Failing);
    }

    #[test]
    fn row_lists_pack_lessons_then_others_with_newest_result() {
        let pack = vec!["one".to_string(), "two".to_string()];
        let results = vec![
            lesson("extra", vec![check("e", Status::Fail)]),
            lesson("one", vec![check("x", Status::Fail)]),
            lesson("one", vec![check("x", Status::Pass)]),
        ];
        let row = learner_row("Ann", "c1", "2026-01-01T00:00:00Z", &pack, &results);
        let got: Vec<(&str, &str)> = row
            .lessons
            .iter()
            .map(|l| (l.id.as_str(), l.status.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("one", "passed"),
                ("two", "not_started"),
                ("extra", "failing")
            ]
        );
        assert_eq!(row.lessons[0].checks[0].status, Status::Pass);
        assert_eq!(row.lessons[2].checks[0].title, "title e");
        assert!(row.lessons[1].checks.is_empty());
    }

    #[test]
    fn queue_keeps_the_newest_per_lesson() {
        let queued = vec![
            lesson("a", vec![check("x", Status::Fail)]),
            lesson("b", vec![check("x", Status::Fail)]),
        ];
        let new = vec![
            lesson("a", vec![check("x", Status::Pass)]),
            lesson("c", vec![check("x", Status::Fail)]),
        ];
        let merged = merge_queue(queued, &new);
        let ids: Vec<&str> = merged.iter().map(|r| r.lesson.as_str()).collect();
        assert_eq!(ids, vec!["a", "b", "c"]);
        assert!(merged[0].passed);
        assert_eq!(merge_queue(Vec::new(), &[]).len(), 0);
    }

    #[test]
    fn submissions_accept_one_object_or_an_array_and_refuse_long_names() {
        let one =
            r#"{"name":"A","client_id":"c","results":{"lesson":"l","passed":false,"checks":[]}}"#;
        let s: Submission = serde_json::from_str(one).expect("one object");
        assert_eq!(s.results.clone().into_vec().len(), 1);
        assert!(validate(&s).is_ok());
        let many = r#"{"name":"A","client_id":"c","results":[]}"#;
        let mut s: Submission = serde_json::from_str(many).expect("array");
        assert!(validate(&s).is_ok());
        s.name = "é".repeat(64);
        assert!(validate(&s).is_ok());
        s.name = "é".repeat(65);
        assert!(validate(&s).expect_err("too long").contains("64"));
        s.name = "  ".into();
        assert!(validate(&s).is_err());
    }

    #[test]
    fn tokens_are_hex_and_compared_exactly() {
        let t = random_hex();
        assert_eq!(t.len(), 32);
        assert!(t.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(t, random_hex());
        assert!(token_eq("abc", "abc"));
        assert!(!token_eq("abc", "abd"));
        assert!(!token_eq("abc", "abcd"));
    }

    #[test]
    fn stuck_groups_by_check_and_puts_the_most_learners_first() {
        let row = |lesson: &str, check: &str, who: &str, since_ms: i64| StuckRow {
            lesson: lesson.into(),
            check: check.into(),
            title: format!("{lesson}/{check}"),
            learner: who.into(),
            since_ms,
        };
        let rows = vec![
            row("a", "x", "Ann", 5_000),
            row("b", "y", "Ann", 1_000),
            row("a", "x", "Bob", 3_000),
            row("b", "y", "Bob", 9_000),
            row("a", "x", "Cy", 7_000),
            row("c", "z", "Cy", 0),
        ];
        let s = stuck(&rows, 2);
        let got: Vec<(&str, usize, &str)> = s
            .iter()
            .map(|g| (g.check.as_str(), g.learners.len(), g.since.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("x", 3, "1970-01-01T00:00:03Z"),
                ("y", 2, "1970-01-01T00:00:01Z")
            ]
        );
        assert_eq!(s[0].learners, vec!["Ann", "Bob", "Cy"]);
        assert_eq!(stuck(&rows, 1).len(), 3);
        assert!(stuck(&rows, 4).is_empty());
    }
}
