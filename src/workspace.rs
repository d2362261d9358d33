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
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&dest, &f.contents)?;
            #[cfg(unix)]
            if f.executable {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o755))?;
            }
            written.push(dest);
        }
        Ok(written)
    }
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
