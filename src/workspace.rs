//! The learner's workspace: one folder per lesson, starter files copied in
//! on first use and never overwriting the learner's edits.

use std::path::{Path, PathBuf};

use crate::lesson::Lesson;

#[derive(Debug, Clone)]
pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Workspace { root: root.into() }
    }

    /// The lesson's folder (the console's working directory).
    pub fn lesson_dir(&self, lesson: &Lesson) -> PathBuf {
        self.root.join(&lesson.dir_name)
    }

    /// Create the lesson folder and copy in starter files that are not there
    /// yet. Existing files are left alone. Returns the files written.
    pub fn ensure_starter(&self, lesson: &Lesson) -> std::io::Result<Vec<PathBuf>> {
        let dir = self.lesson_dir(lesson);
        std::fs::create_dir_all(&dir)?;
        let mut written = Vec::new();
        for f in &lesson.starter {
            let dest = safe_join(&dir, &f.rel_path)?;
            if dest.exists() {
                continue;
            }
            write_pack_file(&dest, f)?;
            written.push(dest);
        }
        Ok(written)
    }
}

/// Write one file of a pack at `dest` (its folders made), executable when the
/// pack's file was.
pub fn write_pack_file(dest: &Path, f: &crate::lesson::PackFile) -> std::io::Result<()> {
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(dest, &f.contents)?;
    #[cfg(unix)]
    if f.executable {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dest, std::fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

/// Join a pack-relative path under `base`, refusing absolute paths and `..`.
pub fn safe_join(base: &Path, rel: &Path) -> std::io::Result<PathBuf> {
    use std::path::Component;
    for c in rel.components() {
        match c {
            Component::Normal(_) | Component::CurDir => {}
            _ => {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("refusing path outside the workspace: {}", rel.display()),
                ))
            }
        }
    }
    Ok(base.join(rel))
}

/// Why a learner's file is moved to the backup folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BackupReason {
    /// A starter file the learner changed.
    Edited,
    /// A file the starter does not have.
    Extra,
}

/// What restoring a lesson's starter files will do. Nothing is deleted: the
/// learner's edited and extra files are moved into `backup_dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestorePlan {
    pub lesson_dir: PathBuf,
    /// `<workspace>/.dockdojo-backup/<lesson folder>-<timestamp>/`.
    pub backup_dir: PathBuf,
    /// Paths relative to `lesson_dir`, moved to the same relative path in `backup_dir`.
    pub moves: Vec<(PathBuf, BackupReason)>,
    /// Starter files (relative) written afresh.
    pub writes: Vec<PathBuf>,
    /// The lesson folder does not exist yet (never opened): nothing to do.
    pub not_opened: bool,
}

impl RestorePlan {
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty() && self.writes.is_empty()
    }
}

impl Workspace {
    /// Where backups of the learner's files go.
    pub fn backup_root(&self) -> PathBuf {
        self.root.join(".dockdojo-backup")
    }

    /// Work out what restoring `lesson`'s starter files means; touches nothing.
    pub fn plan_restore(&self, lesson: &Lesson, stamp: &str) -> std::io::Result<RestorePlan> {
        let lesson_dir = safe_join(&self.root, Path::new(&lesson.dir_name))?;
        let mut backup_dir = self
            .backup_root()
            .join(format!("{}-{stamp}", lesson.dir_name));
        let mut n = 1;
        while backup_dir.exists() {
            backup_dir = self
                .backup_root()
                .join(format!("{}-{stamp}-{n}", lesson.dir_name));
            n += 1;
        }
        let mut plan = RestorePlan {
            lesson_dir: lesson_dir.clone(),
            backup_dir,
            moves: vec![],
            writes: vec![],
            not_opened: false,
        };
        let meta = match std::fs::symlink_metadata(&lesson_dir) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                plan.not_opened = true;
                return Ok(plan);
            }
            Err(e) => return Err(e),
        };
        if !meta.is_dir() {
            // A file or symlink where the folder should be: keep it aside whole.
            plan.moves.push((PathBuf::new(), BackupReason::Extra));
            plan.writes = lesson.starter.iter().map(|f| f.rel_path.clone()).collect();
            return Ok(plan);
        }
        let starter: std::collections::BTreeMap<&Path, &crate::lesson::PackFile> = lesson
            .starter
            .iter()
            .map(|f| (f.rel_path.as_path(), f))
            .collect();
        let mut stack = vec![PathBuf::new()];
        while let Some(rel) = stack.pop() {
            let mut entries: Vec<_> =
                std::fs::read_dir(lesson_dir.join(&rel))?.collect::<Result<Vec<_>, _>>()?;
            entries.sort_by_key(|e| e.file_name());
            for entry in entries {
                let child = rel.join(entry.file_name());
                let ft = entry.file_type()?;
                let wanted = starter.get(child.as_path());
                if ft.is_dir() {
                    if wanted.is_some() {
                        plan.moves.push((child, BackupReason::Edited));
                    } else {
                        stack.push(child);
                    }
                } else if let Some(f) = wanted {
                    let same =
                        ft.is_file() && std::fs::read(entry.path()).map(|b| b == f.contents)?;
                    if !same {
                        plan.moves.push((child, BackupReason::Edited));
                    }
                } else {
                    plan.moves.push((child, BackupReason::Extra));
                }
            }
        }
        plan.moves.sort();
        for f in &lesson.starter {
            let moved = plan.moves.iter().any(|(m, _)| *m == f.rel_path);
            let present = std::fs::symlink_metadata(lesson_dir.join(&f.rel_path)).is_ok();
            if moved || !present {
                plan.writes.push(f.rel_path.clone());
            }
        }
        Ok(plan)
    }

    /// Carry out a restore plan: move the learner's files into the backup
    /// folder, then write the starter files. Never deletes a learner's file.
    pub fn apply_restore(&self, lesson: &Lesson, plan: &RestorePlan) -> std::io::Result<()> {
        if plan.not_opened {
            return Ok(());
        }
        for (rel, _) in &plan.moves {
            let from = if rel.as_os_str().is_empty() {
                plan.lesson_dir.clone()
            } else {
                plan.lesson_dir.join(rel)
            };
            let to = if rel.as_os_str().is_empty() {
                plan.backup_dir.join(&lesson.dir_name)
            } else {
                plan.backup_dir.join(rel)
            };
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(&from, &to).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("cannot move {} to {}: {e}", from.display(), to.display()),
                )
            })?;
        }
        // Folders left empty by the moves, deepest first, unless the starter
        // needs them. remove_dir only ever removes an empty folder.
        let mut dirs: Vec<PathBuf> = plan
            .moves
            .iter()
            .flat_map(|(rel, _)| rel.ancestors().skip(1).map(Path::to_path_buf))
            .filter(|d| !d.as_os_str().is_empty())
            .collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        dirs.dedup();
        for d in dirs {
            let needed = lesson.starter.iter().any(|f| f.rel_path.starts_with(&d));
            if !needed {
                let _ = std::fs::remove_dir(plan.lesson_dir.join(&d));
            }
        }
        self.ensure_starter(lesson)?;
        Ok(())
    }
}

/// Files editors write beside the real ones (swap, backup, lock and probe
/// files, hidden files): changing them is no reason to check again.
pub fn is_editor_noise(dir: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    let hidden_dir = rel.parent().is_some_and(|p| {
        p.components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    });
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    hidden_dir
        || name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// Watch a lesson's folder: `on_change` runs (on the watcher's thread) when a
/// file in it is created, removed, written or renamed, editor noise aside.
/// The folder is watched while the returned watcher lives.
pub fn watch_folder(
    dir: &Path,
    on_change: impl Fn() + Send + 'static,
) -> notify::Result<notify::RecommendedWatcher> {
    use notify::{EventKind, RecursiveMode, Watcher};
    let root = dir.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let Ok(ev) = res else { return };
        if ev.paths.iter().all(|p| is_editor_noise(&root, p)) {
            return;
        }
        if matches!(
            ev.kind,
            EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(
                    notify::event::ModifyKind::Data(_)
                        | notify::event::ModifyKind::Name(_)
                        | notify::event::ModifyKind::Any
                )
        ) {
            on_change();
        }
    })?;
    watcher.watch(dir, RecursiveMode::Recursive)?;
    Ok(watcher)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::{Creates, PackFile};

    fn lesson() -> Lesson {
        let f = |p: &str, c: &str| PackFile {
            rel_path: PathBuf::from(p),
            contents: c.as_bytes().to_vec(),
            executable: false,
        };
        Lesson {
            id: "ms".into(),
            dir_name: "02-ms".into(),
            title: "T".into(),
            summary: String::new(),
            images: vec![],
            requires: vec![],
            creates: Creates::default(),
            hints: vec![],
            checks: vec![],
            body: String::new(),
            body_line: 1,
            starter: vec![
                f("Dockerfile", "FROM x\n"),
                f("src/main.go", "package main\n"),
            ],
            solution: vec![],
        }
    }

    #[test]
    fn restore_backs_up_edits_and_extras_and_deletes_nothing() {
        let tmp = tempfile::tempdir().expect("tmp");
        let ws = Workspace::new(tmp.path());
        let l = lesson();
        ws.ensure_starter(&l).expect("starter");
        let dir = ws.lesson_dir(&l);
        let clean = ws.plan_restore(&l, "S0").expect("plan");
        assert!(clean.is_empty(), "{clean:?}");

        std::fs::write(dir.join("Dockerfile"), "FROM mine\n").expect("w");
        std::fs::write(dir.join("notes.txt"), "my notes").expect("w");
        std::fs::create_dir_all(dir.join("extra/deep")).expect("mk");
        std::fs::write(dir.join("extra/deep/x"), "x").expect("w");
        std::fs::remove_file(dir.join("src/main.go")).expect("rm");

        let plan = ws.plan_restore(&l, "S1").expect("plan");
        assert_eq!(
            plan.moves,
            vec![
                (PathBuf::from("Dockerfile"), BackupReason::Edited),
                (PathBuf::from("extra/deep/x"), BackupReason::Extra),
                (PathBuf::from("notes.txt"), BackupReason::Extra),
            ]
        );
        assert_eq!(
            plan.writes,
            vec![PathBuf::from("Dockerfile"), PathBuf::from("src/main.go")]
        );
        assert_eq!(
            plan.backup_dir,
            tmp.path().join(".dockdojo-backup/02-ms-S1")
        );
        ws.apply_restore(&l, &plan).expect("apply");

        assert_eq!(
            std::fs::read_to_string(dir.join("Dockerfile")).expect("r"),
            "FROM x\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("src/main.go")).expect("r"),
            "package main\n"
        );
        assert!(!dir.join("notes.txt").exists());
        assert!(!dir.join("extra").exists(), "emptied folder removed");
        let b = &plan.backup_dir;
        assert_eq!(
            std::fs::read_to_string(b.join("Dockerfile")).expect("r"),
            "FROM mine\n"
        );
        assert_eq!(
            std::fs::read_to_string(b.join("notes.txt")).expect("r"),
            "my notes"
        );
        assert_eq!(
            std::fs::read_to_string(b.join("extra/deep/x")).expect("r"),
            "x"
        );
        assert!(ws.plan_restore(&l, "S2").expect("plan").is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_moved_not_followed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let outside = tempfile::tempdir().expect("tmp");
        std::fs::write(outside.path().join("main.go"), "outside").expect("w");
        let ws = Workspace::new(tmp.path().join("ws"));
        let l = lesson();
        let dir = ws.lesson_dir(&l);
        std::fs::create_dir_all(&dir).expect("mk");
        std::os::unix::fs::symlink(outside.path(), dir.join("src")).expect("ln");
        let plan = ws.plan_restore(&l, "S").expect("plan");
        assert!(plan
            .moves
            .contains(&(PathBuf::from("src"), BackupReason::Extra)));
        ws.apply_restore(&l, &plan).expect("apply");
        assert_eq!(
            std::fs::read_to_string(outside.path().join("main.go")).expect("r"),
            "outside",
            "the file outside the workspace is untouched"
        );
        assert!(!std::fs::symlink_metadata(dir.join("src"))
            .expect("m")
            .is_symlink());
    }

    #[test]
    fn never_opened_lesson_is_left_alone() {
        let tmp = tempfile::tempdir().expect("tmp");
        let ws = Workspace::new(tmp.path());
        let plan = ws.plan_restore(&lesson(), "S").expect("plan");
        assert!(plan.not_opened && plan.is_empty());
        ws.apply_restore(&lesson(), &plan).expect("apply");
        assert!(!ws.lesson_dir(&lesson()).exists());
    }
}
