//! Facts about an image's filesystem (which paths exist, the OS package
//! count), kept across processes in one SQLite file. An image id names
//! immutable content, so a fact is keyed by the id and nothing else ever
//! invalidates it; a rebuilt image has a new id and is scanned again.
//!
//! The file is a cache: it is bounded ([`MAX_IMAGES`], the least recently
//! used go first), shared safely by concurrent processes (WAL, a short busy
//! timeout, and a cache that is busy is simply skipped), and a file that is
//! not a database or is corrupt is set aside as `NAME.corrupt-<time>` and
//! started afresh. Nothing here can fail a check: every error means "not
//! cached".

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use rusqlite::{params, Connection, ErrorCode, OptionalExtension};

use super::facts::PackageCount;

/// Most images whose facts are kept.
pub const MAX_IMAGES: i64 = 500;
/// How long a write waits for another process holding the file (writes are
/// small; a wait this long happens only when many processes write at once
/// on a loaded machine).
const BUSY: Duration = Duration::from_secs(1);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS images (
    image TEXT PRIMARY KEY,
    used  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS paths (
    image     TEXT NOT NULL,
    pattern   TEXT NOT NULL,
    present   TEXT NOT NULL,
    canonical TEXT NOT NULL,
    PRIMARY KEY (image, pattern)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS packages (
    image TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    sources TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sizes (
    image    TEXT PRIMARY KEY,
    unpacked INTEGER NOT NULL
);
";

/// `PRAGMA user_version` of a file with [`SCHEMA`]: a file at this version is
/// opened without running the schema again (and WAL mode is kept in the file).
const SCHEMA_VERSION: i64 = 2;

/// Present paths and their canonical spellings, per pattern.
pub type PathFacts = HashMap<String, (Vec<String>, Vec<String>)>;

/// The persistent fact cache of one file.
pub struct FactCache {
    path: PathBuf,
    /// Opened on first use; `None` after a failure that setting aside could not cure.
    conn: Mutex<Option<Option<Connection>>>,
}

static INSTALLED: OnceLock<FactCache> = OnceLock::new();

/// Use `file` as this process's cache (the first call wins). Without it,
/// facts are cached for the process only.
pub fn install(file: PathBuf) {
    let _ = INSTALLED.set(FactCache::new(file));
}

/// The installed cache, if any.
pub fn installed() -> Option<&'static FactCache> {
    INSTALLED.get()
}

/// The default cache file under `home` (`DOCKDOJO_HOME`).
pub fn default_file(home: &Path) -> PathBuf {
    home.join("cache").join("image-facts.sqlite")
}

fn now() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

impl FactCache {
    pub fn new(path: PathBuf) -> FactCache {
        FactCache {
            path,
            conn: Mutex::new(None),
        }
    }

    fn open(path: &Path) -> rusqlite::Result<Connection> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY)?;
        // A cache may lose its last writes in a power cut (WAL, no fsync
        // at commit); it may not be corrupted by one, and it is not.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < SCHEMA_VERSION {
            conn.pragma_update(None, "journal_mode", "WAL")?;
            // One transaction: a new file costs one commit, not one per table.
            conn.execute_batch(&format!(
                "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            ))?;
        }
        Ok(conn)
    }

    /// Move a broken file (and its WAL) aside: neither trusted nor deleted.
    fn set_aside(&self) {
        let stamp = jiff::Timestamp::now().as_second();
        for suffix in ["", "-wal", "-shm"] {
            let mut from = self.path.clone().into_os_string();
            from.push(suffix);
            let from = PathBuf::from(from);
            if from.exists() {
                let mut to = self.path.clone().into_os_string();
                to.push(format!(".corrupt-{stamp}{suffix}"));
                let _ = std::fs::rename(&from, PathBuf::from(to));
            }
        }
        tracing::warn!(
            "the image fact cache {} was not a readable database; set aside",
            self.path.display()
        );
    }

    /// Run `f` on the connection, opening it first; a corrupt file is set
    /// aside and `f` tried once more on a new one. Any other error: None.
    fn with<T>(&self, f: impl Fn(&mut Connection) -> rusqlite::Result<T>) -> Option<T> {
        let mut slot = self.conn.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            if let Some(dir) = self.path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            match FactCache::open(&self.path) {
                Ok(c) => *slot = Some(Some(c)),
                Err(e) if is_corrupt(&e) => {
                    self.set_aside();
                    // Still unusable after that: give up for this process.
                    *slot = Some(FactCache::open(&self.path).ok());
                }
                Err(e) => {
                    // Busy, say: try again next time.
                    tracing::debug!("image fact cache {}: {e}", self.path.display());
                    return None;
                }
            }
        }
        let conn = slot.as_mut()?.as_mut()?;
        match f(conn) {
            Ok(v) => Some(v),
            Err(e) if is_corrupt(&e) => {
                *slot = None;
                self.set_aside();
                None
            }
            Err(e) => {
                tracing::debug!("image fact cache {}: {e}", self.path.display());
                None
            }
        }
    }

    /// Open the file now (it is otherwise opened on first use), so that the
    /// first look-up does not wait for it.
    pub fn open_now(&self) {
        self.with(|_| Ok(()));
    }

    /// Every path fact known for this image.
    pub fn paths(&self, image: &str) -> PathFacts {
        self.with(|c| {
            let mut stmt =
                c.prepare_cached("SELECT pattern, present, canonical FROM paths WHERE image = ?1")?;
            let rows = stmt.query_map(params![image], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            let mut out = PathFacts::new();
            for row in rows {
                let (pattern, present, canonical) = row?;
                // A row this version cannot read is as good as absent.
                if let (Ok(p), Ok(c)) = (
                    serde_json::from_str(&present),
                    serde_json::from_str(&canonical),
                ) {
                    out.insert(pattern, (p, c));
                }
            }
            Ok(out)
        })
        .unwrap_or_default()
    }

    /// Keep these path facts of an image.
    pub fn store_paths(&self, image: &str, facts: &[(&str, &[String], &[String])]) {
        self.with(|c| {
            let tx = c.transaction()?;
            for (pattern, present, canonical) in facts {
                tx.execute(
                    "INSERT OR REPLACE INTO paths (image, pattern, present, canonical)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![
                        image,
                        pattern,
                        serde_json::to_string(present).unwrap_or_else(|_| "[]".into()),
                        serde_json::to_string(canonical).unwrap_or_else(|_| "[]".into())
                    ],
                )?;
            }
            touch(&tx, image)?;
            tx.commit()
        });
    }

    /// The image's unpacked size (the sum of its history's steps).
    pub fn unpacked_size(&self, image: &str) -> Option<u64> {
        self.with(|c| {
            c.prepare_cached("SELECT unpacked FROM sizes WHERE image = ?1")?
                .query_row(params![image], |r| r.get::<_, i64>(0))
                .optional()
        })
        .flatten()
        .and_then(|v| u64::try_from(v).ok())
    }

    pub fn store_unpacked_size(&self, image: &str, size: u64) {
        let Ok(size) = i64::try_from(size) else {
            return;
        };
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT OR REPLACE INTO sizes (image, unpacked) VALUES (?1, ?2)",
                params![image, size],
            )?;
            touch(&tx, image)?;
            tx.commit()
        });
    }

    pub fn packages(&self, image: &str) -> Option<PackageCount> {
        self.with(|c| {
            c.query_row(
                "SELECT count, sources FROM packages WHERE image = ?1",
                params![image],
                |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)),
            )
            .optional()
        })
        .flatten()
        .and_then(|(count, sources)| {
            Some(PackageCount {
                count,
                sources: serde_json::from_str(&sources).ok()?,
            })
        })
    }

    pub fn store_packages(&self, image: &str, p: &PackageCount) {
        self.with(|c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT OR REPLACE INTO packages (image, count, sources) VALUES (?1, ?2, ?3)",
                params![
                    image,
                    p.count,
                    serde_json::to_string(&p.sources).unwrap_or_else(|_| "[]".into())
                ],
            )?;
            touch(&tx, image)?;
            tx.commit()
        });
    }
}

/// Mark the image used now; forget the least recently used beyond [`MAX_IMAGES`].
fn touch(tx: &rusqlite::Transaction<'_>, image: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO images (image, used) VALUES (?1, ?2)
         ON CONFLICT(image) DO UPDATE SET used = excluded.used",
        params![image, now()],
    )?;
    let count: i64 = tx.query_row("SELECT COUNT(*) FROM images", [], |r| r.get(0))?;
    if count > MAX_IMAGES {
        tx.execute(
            "DELETE FROM images WHERE image IN
             (SELECT image FROM images ORDER BY used ASC LIMIT ?1)",
            params![count - MAX_IMAGES],
        )?;
        tx.execute(
            "DELETE FROM paths WHERE image NOT IN (SELECT image FROM images)",
            [],
        )?;
        tx.execute(
            "DELETE FROM packages WHERE image NOT IN (SELECT image FROM images)",
            [],
        )?;
        tx.execute(
            "DELETE FROM sizes WHERE image NOT IN (SELECT image FROM images)",
            [],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn facts_are_served_for_the_same_image_id_only() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("cache/facts.sqlite");
        let c = FactCache::new(file.clone());
        assert!(c.paths("sha256:aaa").is_empty());
        c.store_paths(
            "sha256:aaa",
            &[("/bin/sh", &s(&["/bin/sh"]), &s(&["/usr/bin/sh"]))],
        );
        c.store_packages(
            "sha256:aaa",
            &PackageCount {
                count: 7,
                sources: s(&["/var/lib/dpkg/status"]),
            },
        );
        c.store_unpacked_size("sha256:aaa", 455_000_000);
        // Another process, the same file.
        let again = FactCache::new(file);
        assert_eq!(again.unpacked_size("sha256:aaa"), Some(455_000_000));
        assert_eq!(again.unpacked_size("sha256:bbb"), None);
        let p = again.paths("sha256:aaa");
        assert_eq!(
            p.get("/bin/sh"),
            Some(&(s(&["/bin/sh"]), s(&["/usr/bin/sh"])))
        );
        assert_eq!(again.packages("sha256:aaa").map(|p| p.count), Some(7));
        // A rebuilt image is a new id: nothing old is served for it.
        assert!(again.paths("sha256:bbb").is_empty());
        assert!(again.packages("sha256:bbb").is_none());
    }

    #[test]
    fn a_file_of_the_first_schema_gains_the_new_table_and_keeps_its_facts() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("facts.sqlite");
        {
            let old = Connection::open(&file).expect("open");
            old.execute_batch(
                "CREATE TABLE images (image TEXT PRIMARY KEY, used INTEGER NOT NULL);
                 CREATE TABLE paths (image TEXT NOT NULL, pattern TEXT NOT NULL,
                     present TEXT NOT NULL, canonical TEXT NOT NULL,
                     PRIMARY KEY (image, pattern)) WITHOUT ROWID;
                 CREATE TABLE packages (image TEXT PRIMARY KEY, count INTEGER NOT NULL,
                     sources TEXT NOT NULL);
                 INSERT INTO paths VALUES ('sha256:aaa', '/x', '[\"/x\"]', '[\"/x\"]');",
            )
            .expect("old schema");
        }
        let c = FactCache::new(file);
        assert!(c.paths("sha256:aaa").contains_key("/x"));
        c.store_unpacked_size("sha256:aaa", 5);
        assert_eq!(c.unpacked_size("sha256:aaa"), Some(5));
    }

    #[test]
    fn a_corrupt_file_is_set_aside_and_replaced() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("facts.sqlite");
        std::fs::write(&file, b"this is not a database, it is a learner's note").expect("write");
        let c = FactCache::new(file.clone());
        assert!(c.paths("sha256:aaa").is_empty());
        c.store_paths("sha256:aaa", &[("/x", &s(&[]), &s(&[]))]);
        assert!(c.paths("sha256:aaa").contains_key("/x"), "a new file works");
        let aside: Vec<String> = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with("facts.sqlite.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{aside:?}");
        assert_eq!(
            std::fs::read(dir.path().join(&aside[0])).expect("read"),
            b"this is not a database, it is a learner's note",
            "the old file is kept as it was"
        );
    }

    #[test]
    fn concurrent_writers_lose_nothing_they_wrote() {
        let dir = tempfile::tempdir().expect("tmp");
        let file = dir.path().join("facts.sqlite");
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let file = file.clone();
                std::thread::spawn(move || {
                    // Each thread is its own connection, as another process would be.
                    let c = FactCache::new(file);
                    for i in 0..25 {
                        let image = format!("sha256:{t}-{i}");
                        let present = vec![format!("/p{i}")];
                        c.store_paths(&image, &[("/p", &present, &present)]);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("writer");
        }
        let c = FactCache::new(file);
        let mut missing = Vec::new();
        for t in 0..8 {
            for i in 0..25 {
                let got = c.paths(&format!("sha256:{t}-{i}"));
                if got.get("/p").map(|(p, _)| p.clone()) != Some(vec![format!("/p{i}")]) {
                    missing.push(format!("{t}-{i}"));
                }
            }
        }
        // A writer that found the file busy skips (a cache may); with a
        // 1 s busy timeout and these small writes, none should have to.
        assert!(missing.is_empty(), "lost: {missing:?}");
    }

    #[test]
    fn the_least_recently_used_images_go_beyond_the_bound() {
        let dir = tempfile::tempdir().expect("tmp");
        let c = FactCache::new(dir.path().join("facts.sqlite"));
        for i in 0..(MAX_IMAGES + 3) {
            c.store_paths(&format!("sha256:{i:04}"), &[("/p", &s(&[]), &s(&[]))]);
        }
        let kept: i64 = c
            .with(|c| c.query_row("SELECT COUNT(*) FROM images", [], |r| r.get(0)))
            .expect("count");
        assert_eq!(kept, MAX_IMAGES);
        let rows: i64 = c
            .with(|c| c.query_row("SELECT COUNT(*) FROM paths", [], |r| r.get(0)))
            .expect("count");
        assert_eq!(rows, MAX_IMAGES);
    }
}
