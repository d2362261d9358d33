//! The class database: one SQLite file with the newest result per learner
//! and lesson. WAL with `synchronous=FULL`: a write that returned is on disk,
//! so nothing acknowledged to a learner is lost when the server stops.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};

use super::{learner_row, LearnerRow};
use crate::check::LessonResult;

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
    /// in one transaction.
    pub fn record(
        &mut self,
        client_id: &str,
        name: &str,
        at: &str,
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
        }
        tx.commit()?;
        Ok(())
    }

    /// One learner's row, or None when unknown.
    pub fn learner(
        &self,
        client_id: &str,
        lessons: &[String],
    ) -> anyhow::Result<Option<LearnerRow>> {
        let head: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT name, last_seen FROM learners WHERE client_id = ?1")?
            .query_row(params![client_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((name, last_seen)) = head else {
            return Ok(None);
        };
        let results = self.results_of(client_id)?;
        Ok(Some(learner_row(
            &name, client_id, &last_seen, lessons, &results,
        )))
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

    fn results_of(&self, client_id: &str) -> anyhow::Result<Vec<LessonResult>> {
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
            s.record("c1", "Ann", "t1", &[result("a", Status::Fail)])
                .expect("record");
            s.record("c2", "Bob", "t1", &[result("a", Status::Pass)])
                .expect("record");
            s.record("c1", "Ann B", "t2", &[result("a", Status::Pass)])
                .expect("record");
        }
        let s = Store::open(&db).expect("reopen");
        let rows = s.learners(&lessons).expect("learners");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name, "Ann B");
        assert_eq!(rows[0].last_seen, "t2");
        assert_eq!(rows[0].lessons[0].status, "passed");
        assert_eq!(rows[1].client_id, "c2");
        assert!(s.learner("nobody", &lessons).expect("query").is_none());
        assert_eq!(s.meta("join_token").expect("meta"), None);
        s.set_meta("join_token", "j1").expect("set");
        s.set_meta("join_token", "j2").expect("set");
        assert_eq!(s.meta("join_token").expect("meta").as_deref(), Some("j2"));
    }
}
