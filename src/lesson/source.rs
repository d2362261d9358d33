//! Where pack files come from: the pack embedded in the binary, or a folder
//! on disk. Both produce the same list of entries, which the loader checks
//! and parses in one code path. Reading a pack never executes anything.

use std::path::{Component, Path, PathBuf};

/// Largest file a pack may contain.
pub const MAX_FILE_BYTES: u64 = 10_000_000;
/// Most entries (files and folders) read from one pack.
pub const MAX_ENTRIES: usize = 10_000;
/// Most bytes read from one pack, all files together.
pub const MAX_PACK_BYTES: u64 = 100_000_000;
/// Deepest folder nesting inside a pack.
pub const MAX_DEPTH: usize = 24;

/// One thing found in a pack, `rel` relative to the pack root with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    pub rel: String,
    pub item: SourceItem,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceItem {
    File {
        bytes: Vec<u8>,
        executable: bool,
    },
    Dir,
    /// Present but refused (symlink out of the pack, too large, not a
    /// regular file ...); the message says why.
    Refused(String),
}

impl SourceEntry {
    pub fn file(rel: impl Into<String>, bytes: impl Into<Vec<u8>>, executable: bool) -> Self {
        SourceEntry {
            rel: rel.into(),
            item: SourceItem::File {
                bytes: bytes.into(),
                executable,
            },
        }
    }
    pub fn dir(rel: impl Into<String>) -> Self {
        SourceEntry {
            rel: rel.into(),
            item: SourceItem::Dir,
        }
    }
}

/// What the loader needs from a path (by its `/`-separated parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// A file to read (pack.toml, lesson.md, starter/solution files).
    Read,
    /// A folder to look inside.
    Walk,
    /// Neither: listed only for symlink checks.
    Skip,
}

fn ignored_top(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_')
}

/// The folder of a pack that holds its translations, one `<tag>/` each.
pub const LANG_DIR: &str = "_lang";

/// A folder beside pack.toml that is a lesson (not `_lang`, `_drafts`, `.git` ...).
pub fn is_lesson_folder(name: &str) -> bool {
    !ignored_top(name)
}

/// Which entries the loader reads or walks; the same for both sources.
pub fn want(parts: &[&str], is_dir: bool) -> Want {
    match (parts, is_dir) {
        (["pack.toml"], false) => Want::Read,
        // Translations: `_lang/<tag>/pack.toml` and `_lang/<tag>/<lesson>/lesson.md`.
        // Their `starter/` and `solution/` are listed (a lint error), never read.
        ([LANG_DIR], true) => Want::Walk,
        ([LANG_DIR, tag], true) if !ignored_top(tag) => Want::Walk,
        ([LANG_DIR, tag, "pack.toml"], false) if !ignored_top(tag) => Want::Read,
        ([LANG_DIR, tag, lesson], true) if !ignored_top(tag) && !ignored_top(lesson) => Want::Walk,
        ([LANG_DIR, tag, lesson, "lesson.md"], false)
            if !ignored_top(tag) && !ignored_top(lesson) =>
        {
            Want::Read
        }
        ([LANG_DIR, tag, lesson, "starter" | "solution"], true)
            if !ignored_top(tag) && !ignored_top(lesson) =>
        {
            Want::Walk
        }
        ([lesson], true) if !ignored_top(lesson) => Want::Walk,
        ([lesson, "lesson.md"], false) if !ignored_top(lesson) => Want::Read,
        ([lesson, "starter" | "solution"], true) if !ignored_top(lesson) => Want::Walk,
        ([lesson, "starter" | "solution", rest @ ..], _)
            if !ignored_top(lesson) && !rest.is_empty() =>
        {
            if is_dir && rest.last() == Some(&".git") {
                Want::Skip
            } else if is_dir {
                Want::Walk
            } else {
                Want::Read
            }
        }
        _ => Want::Skip,
    }
}

/// A shell script or other program marked by a `#!` line.
fn has_shebang(bytes: &[u8]) -> bool {
    bytes.starts_with(b"#!")
}

static BUILT_IN: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/lessons");

/// The pack compiled into the binary.
pub fn built_in() -> Vec<SourceEntry> {
    let mut out = Vec::new();
    let mut stack: Vec<&include_dir::Dir<'static>> = vec![&BUILT_IN];
    while let Some(dir) = stack.pop() {
        for entry in dir.entries() {
            let rel = rel_string(entry.path());
            let parts: Vec<&str> = rel.split('/').collect();
            match entry {
                include_dir::DirEntry::Dir(d) => {
                    if want(&parts, true) == Want::Walk {
                        out.push(SourceEntry::dir(rel.clone()));
                        stack.push(d);
                    }
                }
                include_dir::DirEntry::File(f) => {
                    if want(&parts, false) == Want::Read {
                        let bytes = f.contents();
                        out.push(SourceEntry::file(rel.clone(), bytes, has_shebang(bytes)));
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

fn rel_string(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Read a pack folder. Symlinks may point only inside the pack; special
/// files (FIFOs, devices) are never opened; big files are not read.
pub fn read_dir(root: &Path) -> Vec<SourceEntry> {
    let mut out = Vec::new();
    let canon_root = match root.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            out.push(SourceEntry {
                rel: String::new(),
                item: SourceItem::Refused(format!("cannot open the pack folder: {e}")),
            });
            return out;
        }
    };
    // (absolute path, rel parts, canonical folders from the root to here)
    let mut stack: Vec<(PathBuf, Vec<String>, Vec<PathBuf>)> =
        vec![(canon_root.clone(), Vec::new(), vec![canon_root.clone()])];
    let mut count = 0usize;
    let mut total = 0u64;
    while let Some((dir, parts, chain)) = stack.pop() {
        let listing = match std::fs::read_dir(&dir) {
            Ok(l) => l,
            Err(e) => {
                out.push(SourceEntry {
                    rel: parts.join("/"),
                    item: SourceItem::Refused(format!("cannot list this folder: {e}")),
                });
                continue;
            }
        };
        let mut names: Vec<(std::ffi::OsString, PathBuf)> = listing
            .filter_map(|e| e.ok())
            .map(|e| (e.file_name(), e.path()))
            .collect();
        names.sort();
        for (name, path) in names {
            count += 1;
            if count > MAX_ENTRIES {
                out.push(SourceEntry {
                    rel: parts.join("/"),
                    item: SourceItem::Refused(format!(
                        "the pack has more than {MAX_ENTRIES} files and folders; the rest is not read"
                    )),
                });
                return out;
            }
            let Some(name_str) = name.to_str() else {
                let mut p = parts.clone();
                p.push(name.to_string_lossy().into_owned());
                out.push(SourceEntry {
                    rel: p.join("/"),
                    item: SourceItem::Refused(
                        "this file name is not valid UTF-8; rename it".into(),
                    ),
                });
                continue;
            };
            let mut child_parts = parts.clone();
            child_parts.push(name_str.to_string());
            let rel = child_parts.join("/");
            let refs: Vec<&str> = child_parts.iter().map(String::as_str).collect();
            let Ok(lmeta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let mut target = path.clone();
            if lmeta.file_type().is_symlink() {
                let link = std::fs::read_link(&path)
                    .map(|l| l.display().to_string())
                    .unwrap_or_default();
                match path.canonicalize() {
                    Ok(t) if t.starts_with(&canon_root) => target = t,
                    Ok(_) => {
                        out.push(SourceEntry {
                            rel,
                            item: SourceItem::Refused(format!(
                                "symlink to `{link}`, outside the pack; a pack may only link to files inside itself"
                            )),
                        });
                        continue;
                    }
                    Err(_) => {
                        out.push(SourceEntry {
                            rel,
                            item: SourceItem::Refused(format!(
                                "broken symlink (to `{link}`, which does not exist or loops)"
                            )),
                        });
                        continue;
                    }
                }
            }
            let Ok(meta) = std::fs::metadata(&target) else {
                continue;
            };
            if meta.is_dir() {
                if want(&refs, true) != Want::Walk {
                    continue;
                }
                if chain.contains(&target) || child_parts.len() > MAX_DEPTH {
                    out.push(SourceEntry {
                        rel,
                        item: SourceItem::Refused(
                            "folders nest too deeply here (a symlink loop?); this folder is not read".into(),
                        ),
                    });
                    continue;
                }
                out.push(SourceEntry::dir(rel));
                let mut next_chain = chain.clone();
                next_chain.push(target.clone());
                stack.push((target, child_parts, next_chain));
            } else if meta.is_file() {
                if want(&refs, false) != Want::Read {
                    continue;
                }
                if total.saturating_add(meta.len()) > MAX_PACK_BYTES {
                    out.push(SourceEntry {
                        rel,
                        item: SourceItem::Refused(format!(
                            "the pack's files add up to more than {}; this file is not read",
                            super::size::format_size(MAX_PACK_BYTES)
                        )),
                    });
                    continue;
                }
                let entry = read_file(&target, rel, meta.len(), executable_bits(&meta));
                if let SourceItem::File { bytes, .. } = &entry.item {
                    total += bytes.len() as u64;
                }
                out.push(entry);
            } else if want(&refs, false) == Want::Read {
                out.push(SourceEntry {
                    rel,
                    item: SourceItem::Refused(
                        "not a regular file (a FIFO, socket or device); a pack holds only files and folders".into(),
                    ),
                });
            }
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

#[cfg(unix)]
fn executable_bits(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn executable_bits(_meta: &std::fs::Metadata) -> bool {
    false
}

fn read_file(path: &Path, rel: String, len: u64, exec: bool) -> SourceEntry {
    use std::io::Read;
    if len > MAX_FILE_BYTES {
        return SourceEntry {
            rel,
            item: SourceItem::Refused(format!(
                "this file is {}; files in a pack may be at most {}",
                super::size::format_size(len),
                super::size::format_size(MAX_FILE_BYTES)
            )),
        };
    }
    let mut bytes = Vec::new();
    let read =
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes));
    match read {
        Err(e) => SourceEntry {
            rel,
            item: SourceItem::Refused(format!("cannot read this file: {e}")),
        },
        Ok(_) if bytes.len() as u64 > MAX_FILE_BYTES => SourceEntry {
            rel,
            item: SourceItem::Refused(format!(
                "this file grew past {} while being read",
                super::size::format_size(MAX_FILE_BYTES)
            )),
        },
        Ok(_) => {
            let executable = exec || has_shebang(&bytes);
            SourceEntry::file(rel, bytes, executable)
        }
    }
}

/// A pack-relative path that stays inside the pack: relative, no `..`,
/// no empty or `.` parts.
pub fn safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && rel
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_paths() {
        assert_eq!(want(&["pack.toml"], false), Want::Read);
        assert_eq!(want(&["README.md"], false), Want::Skip);
        assert_eq!(want(&["01-a"], true), Want::Walk);
        assert_eq!(want(&[".git"], true), Want::Skip);
        assert_eq!(want(&["_drafts"], true), Want::Skip);
        assert_eq!(want(&["01-a", "lesson.md"], false), Want::Read);
        assert_eq!(want(&["01-a", "notes.txt"], false), Want::Skip);
        assert_eq!(want(&["01-a", "starter"], true), Want::Walk);
        assert_eq!(want(&["01-a", "starter", "Dockerfile"], false), Want::Read);
        assert_eq!(want(&["01-a", "solution", "src"], true), Want::Walk);
        assert_eq!(want(&["01-a", "solution", ".git"], true), Want::Skip);
        assert_eq!(
            want(&["01-a", "starter", ".dockerignore"], false),
            Want::Read
        );
        assert_eq!(want(&["_lang"], true), Want::Walk);
        assert_eq!(want(&["_lang", "de"], true), Want::Walk);
        assert_eq!(want(&["_lang", "de", "pack.toml"], false), Want::Read);
        assert_eq!(want(&["_lang", "de", "01-a"], true), Want::Walk);
        assert_eq!(
            want(&["_lang", "de", "01-a", "lesson.md"], false),
            Want::Read
        );
        assert_eq!(want(&["_lang", "de", "01-a", "starter"], true), Want::Walk);
        assert_eq!(
            want(&["_lang", "de", "01-a", "starter", "Dockerfile"], false),
            Want::Skip
        );
        assert_eq!(
            want(&["_lang", "de", "01-a", "notes.md"], false),
            Want::Skip
        );
        assert_eq!(want(&["_lang", "_old"], true), Want::Skip);
        assert!(!is_lesson_folder(LANG_DIR));
    }

    #[test]
    fn safe_relative_paths() {
        assert!(safe_rel("01-a/starter/Dockerfile"));
        assert!(!safe_rel("/etc/passwd"));
        assert!(!safe_rel("01-a/starter/../../x"));
        assert!(!safe_rel("01-a//x"));
        assert!(!safe_rel("./x"));
        assert!(!safe_rel(""));
        assert!(!safe_rel("a\\..\\b"));
    }

    #[test]
    fn built_in_pack_has_a_manifest() {
        let entries = built_in();
        assert!(entries.iter().any(|e| e.rel == "pack.toml"), "{entries:?}");
        assert!(entries.iter().all(|e| safe_rel(&e.rel)));
    }
}
