//! The class database: one SQLite file with the newest result per learner
//! and lesson. WAL with `synchronous=FULL`: a write that returned is on disk,
//! so nothing acknowledged to a learner is lost when the server stops.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::{learner_row, LearnerRow, StuckRow};
use crate::check::{LessonResult, Status};

pub struct Store {
    conn: Connection,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS learners (
    client_id TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    seq       INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    client_id TEXT NOT NULL REFERENCES learners(client_id),
    lesson    TEXT NOT NULL,
    result    TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (client_id, lesson)
);
CREATE TABLE IF NOT EXISTS checks (
    client_id TEXT NOT NULL REFERENCES learners(client_id),
    lesson    TEXT NOT NULL,
    check_id  TEXT NOT NULL,
    title     TEXT NOT NULL,
    status    TEXT NOT NULL,
    since_ms  INTEGER NOT NULL,
    PRIMARY KEY (client_id, lesson, check_id)
);
";

impl Store {
    /// Open (or create) the database file; its folder is created too.
    pub fn open(path: &Path) -> anyhow::Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn })
    }

    /// The class's title, as the last `class serve` on this file named it.
    pub fn title(&self) -> anyhow::Result<Option<String>> {
        self.meta("title")
    }

    pub fn set_title(&self, title: &str) -> anyhow::Result<()> {
        self.set_meta("title", title)
    }

    /// A setting kept with the class (its title, its tokens).
    pub fn meta(&self, key: &str) -> anyhow::Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> anyhow::Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Store one learner's results (each replaces that lesson's older one)
    /// in one transaction. `at` is RFC 3339 and `at_ms` the same instant in
    /// Unix milliseconds: each check keeps the time it entered its current
    /// status, which is what "stuck" is measured from.
    pub fn record(
        &mut self,
        client_id: &str,
        name: &str,
        at: &str,
        at_ms: i64,
        results: &[LessonResult],
    ) -> anyhow::Result<()> {
        let tx = self.conn.transaction()?;
        let seq: i64 = tx
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) + 1 FROM learners")?
            .query_row([], |r| r.get(0))?;
        tx.prepare_cached(
            "INSERT INTO learners (client_id, name, last_seen, seq) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(client_id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen",
        )?
        .execute(params![client_id, name, at, seq])?;
        for r in results {
            tx.prepare_cached(
                "INSERT INTO results (client_id, lesson, result, at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(client_id, lesson) DO UPDATE SET result = excluded.result, at = excluded.at",
            )?
            .execute(params![client_id, r.lesson, serde_json::to_string(r)?, at])?;
            // Each check keeps when it entered its status; checks the
            // lesson no longer has are dropped.
            let ids: Vec<&str> = r.checks.iter().map(|c| c.id.as_str()).collect();
            tx.prepare_cached(
                "DELETE FROM checks WHERE client_id = ?1 AND lesson = ?2
                 AND check_id NOT IN (SELECT value FROM json_each(?3))",
            )?
            .execute(params![client_id, r.lesson, serde_json::to_string(&ids)?])?;
            for c in &r.checks {
                tx.prepare_cached(
                    "INSERT INTO checks (client_id, lesson, check_id, title, status, since_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT(client_id, lesson, check_id) DO UPDATE SET
                       title = excluded.title,
                       since_ms = CASE WHEN checks.status = excluded.status
                                  THEN checks.since_ms ELSE excluded.since_ms END,
                       status = excluded.status",
                )?
                .execute(params![
                    client_id,
                    r.lesson,
                    c.id,
                    c.title,
                    status_word(c.status),
                    at_ms
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every check that has failed since `failing_before_ms` or earlier,
    /// one row per learner, for [`super::stuck`].
    pub fn failing_since(&self, failing_before_ms: i64) -> anyhow::Result<Vec<StuckRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.lesson, c.check_id, c.title, l.name, c.since_ms
             FROM checks c JOIN learners l ON l.client_id = c.client_id
             WHERE c.status = 'fail' AND c.since_ms <= ?1
             ORDER BY l.seq",
        )?;
        let rows = stmt.query_map(params![failing_before_ms], |r| {
            Ok(StuckRow {
                lesson: r.get(0)?,
                check: r.get(1)?,
                title: r.get(2)?,
                learner: r.get(3)?,
                since_ms: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every learner's name, id and full lesson results (for the JUnit export).
    pub fn results(&self) -> anyhow::Result<Vec<(String, String, Vec<LessonResult>)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT client_id, name FROM learners ORDER BY seq")?;
        let heads: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        heads
            .into_iter()
            .map(|(id, name)| {
                let results = self.results_of(&id)?;
                Ok((name, id, results))
            })
            .collect()
    }

    /// Every learner, in the order they first sent something.
    pub fn learners(&self, lessons: &[String]) -> anyhow::Result<Vec<LearnerRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT client_id, name, last_seen FROM learners ORDER BY seq")?;
        let heads: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut rows = Vec::with_capacity(heads.len());
        for (id, name, seen) in heads {
            let results = self.results_of(&id)?;
            rows.push(learner_row(&name, &id, &seen, lessons, &results));
        }
        Ok(rows)
    }

    /// One learner's newest result per lesson, in the order first sent.
    pub fn results_of(&self, client_id: &str) -> anyhow::Result<Vec<LessonResult>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT result FROM results WHERE client_id = ?1 ORDER BY rowid")?;
        let texts: Vec<String> = stmt
            .query_map(params![client_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // A row that no longer parses (written by another version) is left out
        // rather than hiding the whole learner.
        Ok(texts
            .iter()
            .filter_map(|t| serde_json::from_str(t).ok())
            .collect())
    }
}

/// A check status as the database keeps it (as the JSON spells it).
fn status_word(s: Status) -> &'static str {
    match s {
        Status::Pass => "pass",
        Status::Fail => "fail",
        Status::Error => "error",
        Status::Skipped => "skipped",
        Status::Unsupported => "unsupported",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{CheckResult, Status};

    fn result(lesson: &str, status: Status) -> LessonResult {
        let checks = vec![CheckResult {
            id: "c".into(),
            title: "t".into(),
            status,
            expected: String::new(),
            actual: String::new(),
            message: String::new(),
            hint: None,
            why: None,
            duration_ms: 0,
        }];
        LessonResult {
            lesson: lesson.into(),
            passed: LessonResult::passes(&checks),
            checks,
        }
    }

    #[test]
    fn keeps_the_newest_result_per_lesson_across_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("sub/class.db");
        let lessons = vec!["a".to_string()];
        {
            let mut s = Store::open(&db).expect("open");
            s.record("c1", "Ann", "t1", 1, &[result("a", Status::Fail)])
                .expect("record");
            s.record("c2", "Bob", "t1", 1, &[result("a", Status::Pass)])
                .expect("record");
            s.record("c1", "Ann B", "t2", 2, &[result("a", Status::Pass)])
                .expect("record");
        }
        let s = Store::open(&db).expect("reopen");
        let rows = s.learners(&lessons).expect("learners");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Ann B");
        assert_eq!(rows[0].last_seen, "t2");
        assert_eq!(rows[0].lessons[0].status, "passed");
        assert_eq!(rows[1].client_id, "c2");
        assert!(s.results_of("nobody").expect("query").is_empty());
        assert_eq!(s.meta("join_token").expect("meta"), None);
        s.set_meta("join_token", "j1").expect("set");
        s.set_meta("join_token", "j2").expect("set");
        assert_eq!(s.meta("join_token").expect("meta").as_deref(), Some("j2"));
    }

    #[test]
    fn a_check_keeps_the_time_it_started_failing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut s = Store::open(&dir.path().join("class.db")).expect("open");
        s.record("c1", "Ann", "t", 1_000, &[result("a", Status::Fail)])
            .expect("record");
        s.record("c1", "Ann", "t", 5_000, &[result("a", Status::Fail)])
            .expect("record");
        s.record("c2", "Bob", "t", 2_000, &[result("a", Status::Fail)])
            .expect("record");
        let rows = s.failing_since(10_000).expect("query");
        let got: Vec<(&str, i64)> = rows
            .iter()
            .map(|r| (r.learner.as_str(), r.since_ms))
            .collect();
        assert_eq!(got, vec![("Ann", 1_000), ("Bob", 2_000)]);
        assert_eq!(s.failing_since(1_500).expect("query").len(), 1);
        // Passing resets it; failing again starts a new period.
        s.record("c1", "Ann", "t", 6_000, &[result("a", Status::Pass)])
            .expect("record");
        s.record("c1", "Ann", "t", 7_000, &[result("a", Status::Fail)])
            .expect("record");
        let rows = s.failing_since(10_000).expect("query");
        assert_eq!(rows[0].since_ms, 7_000);
        assert_eq!(rows[0].title, "t");
        assert_eq!(s.results().expect("results")[0].2.len(), 1);
    }
}
