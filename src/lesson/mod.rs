//! Lesson packs: loading (built-in or from a directory), front matter,
//! validation with `path:line:col` diagnostics.
//!
//! Both sources (the pack embedded from `lessons/`, a `--lessons DIR`) are
//! turned into one list of [`SourceEntry`] and go through [`load_entries`].
//! What a pack may contain, beyond LESSON-FORMAT.md:
//! - every folder beside `pack.toml` is a lesson, except folders starting
//!   with `.` or `_`; other files beside `pack.toml` are ignored;
//! - `_lang/<tag>/` holds a translation (`translate`): its `pack.toml` and
//!   `*/lesson.md` are read, its lessons' `starter/` and `solution/` only
//!   listed (a translation may not have them);
//! - only `pack.toml`, `*/lesson.md`, `*/starter/**` and `*/solution/**`
//!   (and a translation's files) are read; files are at most 10 MB (100 MB
//!   for the whole pack); `lesson.md` and `pack.toml` are UTF-8;
//! - symlinks may point only inside the pack; FIFOs, sockets and devices are
//!   never opened; paths are relative without `..`;
//! - a file is executable if its mode says so or it starts with `#!`
//!   (the embedded pack keeps no modes);
//! - `creates.volumes` lists volumes, like images, containers and networks;
//! - loading never executes anything.

pub mod caps;
mod checks;
pub mod diag;
mod fields;
pub mod frontmatter;
pub mod images;
pub mod model;
pub mod parse;
pub mod size;
pub mod source;
mod suggest;
mod translate;
mod tree;

pub use checks::{kind_names, parse_duration, parse_port, KINDS};
pub use diag::{Diagnostic, PackError};
pub use model::*;
pub use source::{SourceEntry, SourceItem, LANG_DIR};

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Where diagnostics of the built-in pack point (the repository folder).
pub const BUILT_IN_DISPLAY: &str = "lessons";

/// Which translations a load reads (`_lang/<tag>/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Translations<'a> {
    /// None: the pack as written (its translations are only listed).
    Original,
    /// The one that answers this language tag, if any (`de-AT` finds `de`);
    /// a missing or broken translation leaves the original, with a note.
    Lang(&'a str),
    /// Every one, each problem reported: for `dockdojo lint`.
    Lint,
}

/// Load the built-in pack (`dir = None`) or the pack in `dir`.
/// Every problem is reported, not just the first.
pub fn load(dir: Option<&Path>) -> Result<Pack, PackError> {
    load_with(dir, Translations::Original)
}

/// Load a pack with the text of the translation for `lang` (when there is
/// one; else the original and a note in `Pack::translation`).
pub fn load_lang(dir: Option<&Path>, lang: Option<&str>) -> Result<Pack, PackError> {
    load_with(dir, lang.map_or(Translations::Original, Translations::Lang))
}

/// Load a pack and lint every translation in it too.
pub fn lint(dir: Option<&Path>) -> Result<Pack, PackError> {
    load_with(dir, Translations::Lint)
}

/// Load a pack from its source with the chosen translations.
pub fn load_with(dir: Option<&Path>, tr: Translations<'_>) -> Result<Pack, PackError> {
    match dir {
        None => load_entries_with(
            PackSource::BuiltIn,
            Path::new(BUILT_IN_DISPLAY),
            source::built_in(),
            tr,
        ),
        Some(d) => {
            if !d.is_dir() {
                let msg = if d.exists() {
                    "this is a file, not a pack folder (a folder with pack.toml and lesson folders)"
                } else {
                    "no such folder; a pack is a folder with pack.toml and lesson folders"
                };
                return Err(PackError {
                    diagnostics: vec![Diagnostic::new(d, 0, 0, msg)],
                });
            }
            load_entries_with(PackSource::Dir(d.to_path_buf()), d, source::read_dir(d), tr)
        }
    }
}

/// Build a pack from its entries (paths relative to the pack root, `/`
/// separated). Diagnostics name `display_root/rel`. This is the one code
/// path for every source of packs.
pub fn load_entries(
    source: PackSource,
    display_root: &Path,
    entries: Vec<SourceEntry>,
) -> Result<Pack, PackError> {
    load_entries_with(source, display_root, entries, Translations::Original)
}

/// [`load_entries`] with the chosen translations.
pub fn load_entries_with(
    source: PackSource,
    display_root: &Path,
    entries: Vec<SourceEntry>,
    tr: Translations<'_>,
) -> Result<Pack, PackError> {
    let shown = |rel: &str| -> PathBuf {
        if rel.is_empty() {
            display_root.to_path_buf()
        } else {
            display_root.join(rel)
        }
    };
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut files: HashMap<String, (Vec<u8>, bool)> = HashMap::new();
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    let mut refused: BTreeSet<String> = BTreeSet::new();

    for e in entries {
        match e.item {
            SourceItem::Refused(msg) => {
                diags.push(Diagnostic::new(shown(&e.rel), 0, 0, msg));
                refused.insert(e.rel);
            }
            _ if !source::safe_rel(&e.rel) => {
                diags.push(Diagnostic::new(
                    shown(&e.rel),
                    0,
                    0,
                    "refusing this path: pack paths must be relative and stay inside the pack (no `..`, no absolute paths)",
                ));
            }
            SourceItem::Dir => {
                dirs.insert(e.rel);
            }
            SourceItem::File { bytes, executable } => {
                if let Some((parent, _)) = e.rel.split_once('/') {
                    dirs.insert(parent.to_string());
                }
                files.insert(e.rel, (bytes, executable));
            }
        }
    }

    // pack.toml
    let mut image_table = std::collections::BTreeMap::new();
    let manifest = match files.get("pack.toml") {
        Some((bytes, _)) => {
            let (m, d) = parse::parse_manifest(&shown("pack.toml"), bytes);
            diags.extend(d);
            if let Ok(text) = std::str::from_utf8(bytes) {
                let (t, d) = images::parse_table(&shown("pack.toml"), text);
                diags.extend(d);
                image_table = t;
            }
            m
        }
        None => {
            if !refused.contains("pack.toml") {
                diags.push(Diagnostic::new(
                    shown("pack.toml"),
                    0,
                    0,
                    "no pack.toml: a pack needs pack.toml with format_version = 1, title = \"...\" and probe_image = \"busybox:1.36\"",
                ));
            }
            None
        }
    };

    // Lesson folders: top-level folders, sorted by name.
    let lesson_dirs: BTreeSet<&str> = dirs
        .iter()
        .map(|d| d.split('/').next().unwrap_or(d))
        .filter(|d| source::is_lesson_folder(d) && source::want(&[d], true) == source::Want::Walk)
        .collect();

    let mut lessons = Vec::new();
    let mut originals = std::collections::BTreeMap::new();
    let mut first_id: HashMap<String, String> = HashMap::new();
    for dir_name in lesson_dirs {
        let md_rel = format!("{dir_name}/lesson.md");
        let Some((bytes, _)) = files.get(&md_rel) else {
            if !refused.contains(&md_rel) {
                diags.push(Diagnostic::new(
                    shown(dir_name),
                    0,
                    0,
                    format!(
                        "lesson folder `{dir_name}` has no lesson.md; every folder beside pack.toml is a lesson (folders starting with `_` or `.` are ignored)"
                    ),
                ));
            }
            continue;
        };
        let md_path = shown(&md_rel);
        // `{{image.NAME}}` from pack.toml's [images], before anything reads the text.
        let expanded = match std::str::from_utf8(bytes) {
            Ok(text) => {
                let (t, d) = images::expand(&md_path, text, &image_table);
                diags.extend(d);
                t.into_bytes()
            }
            Err(_) => bytes.clone(),
        };
        let (parsed, d) = parse::parse_lesson(&md_path, &expanded, dir_name);
        // Translations are compared with the lessons that parse cleanly.
        originals.insert(
            dir_name.to_string(),
            d.is_empty().then(|| translate::Original {
                path: md_path.clone(),
                text: String::from_utf8_lossy(&expanded).into_owned(),
            }),
        );
        diags.extend(d);
        let Some(parsed) = parsed else { continue };
        let mut lesson = parsed.lesson;
        if let Some(other) = first_id.get(&lesson.id) {
            let (line, col) = parsed.id_at.unwrap_or((0, 0));
            diags.push(Diagnostic::new(
                md_path.clone(),
                line,
                col,
                format!(
                    "lesson id `{}` is also the id of `{other}`; lesson ids must be unique in a pack (set id = \"...\" or rename the folder)",
                    lesson.id
                ),
            ));
        } else {
            first_id.insert(lesson.id.clone(), dir_name.to_string());
        }
        for (part, list) in [
            ("starter", &mut lesson.starter),
            ("solution", &mut lesson.solution),
        ] {
            *list = pack_files(&files, &format!("{dir_name}/{part}/"));
            for f in list.iter_mut() {
                let Ok(text) = std::str::from_utf8(&f.contents) else {
                    continue; // binary files are copied as they are
                };
                let path = shown(&format!("{dir_name}/{part}/{}", f.rel_path.display()));
                let (t, d) = images::expand(&path, text, &image_table);
                diags.extend(d);
                f.contents = t.into_bytes();
            }
        }
        lessons.push(lesson);
    }

    // Translations (`_lang/<tag>/`): listed always, read as asked.
    let found = translate::find(files.keys().chain(dirs.iter()).map(String::as_str));
    let mut translation = Translation {
        available: found.keys().cloned().collect(),
        ..Translation::default()
    };
    let tr_pack = translate::Pack {
        files: &files,
        refused: &refused,
        originals: &originals,
        image_table: &image_table,
        shown: &shown,
    };
    let mut applied: Option<(String, translate::Loaded)> = None;
    match tr {
        Translations::Original => {}
        Translations::Lint => {
            for (tag, f) in &found {
                let (_, d) = translate::load(&tr_pack, tag, f);
                diags.extend(d);
            }
        }
        Translations::Lang(asked) => {
            let own = manifest.as_ref().map_or(DEFAULT_LANG, |m| m.lang.as_str());
            let tags: Vec<&str> = found.keys().map(String::as_str).collect();
            if crate::lang::pick(asked, &[own]).is_some() {
                // The pack's own language.
            } else if let Some(tag) = crate::lang::pick(asked, &tags) {
                let (loaded, d) = match found.get(tag) {
                    Some(f) => translate::load(&tr_pack, tag, f),
                    None => (None, Vec::new()),
                };
                match loaded {
                    Some(l) if d.is_empty() => applied = Some((tag.to_string(), l)),
                    _ => {
                        translation.note = Some(format!(
                            "the `{tag}` translation of this pack has problems (`dockdojo lint` lists them); the lessons are in `{own}`"
                        ))
                    }
                }
            } else {
                let there = if tags.is_empty() {
                    "it has none".to_string()
                } else {
                    format!("it has: {}", tags.join(", "))
                };
                translation.note = Some(format!(
                    "no `{}` translation of this pack ({there}); the lessons are in `{own}`",
                    crate::sanitize::clean_line(asked)
                ));
            }
        }
    }

    match manifest {
        Some(mut manifest) if diags.is_empty() => {
            if let Some((tag, loaded)) = applied {
                manifest.title = loaded.title;
                for tl in &loaded.lessons {
                    if let Some(l) = lessons.iter_mut().find(|l| l.dir_name == tl.dir_name) {
                        translate::apply(l, tl);
                        translation.lessons.push(l.id.clone());
                    }
                }
                translation.applied = Some(tag);
            }
            Ok(Pack {
                source,
                manifest,
                lessons,
                translation,
            })
        }
        _ => {
            if diags.is_empty() {
                diags.push(Diagnostic::new(
                    shown("pack.toml"),
                    0,
                    0,
                    "pack.toml could not be read",
                ));
            }
            // Grouped by file, pack.toml first; each file's own order kept.
            let manifest_path = shown("pack.toml");
            diags.sort_by(|a, b| {
                (a.path != manifest_path, &a.path).cmp(&(b.path != manifest_path, &b.path))
            });
            Err(PackError { diagnostics: diags })
        }
    }
}

fn pack_files(files: &HashMap<String, (Vec<u8>, bool)>, prefix: &str) -> Vec<PackFile> {
    let mut out: Vec<PackFile> = files
        .iter()
        .filter_map(|(rel, (bytes, executable))| {
            let rest = rel.strip_prefix(prefix)?;
            Some(PackFile {
                rel_path: PathBuf::from(rest),
                contents: bytes.clone(),
                executable: *executable,
            })
        })
        .collect();
    out.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    out
}

/// How many problems in how many files, for a one-line summary.
pub fn summarize(diags: &[Diagnostic]) -> String {
    let files: BTreeSet<&Path> = diags.iter().map(|d| d.path.as_path()).collect();
    let p = if diags.len() == 1 {
        "problem"
    } else {
        "problems"
    };
    let f = if files.len() == 1 { "file" } else { "files" };
    format!("{} {p} in {} {f}", diags.len(), files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "format_version = 1\ntitle = \"T\"\nprobe_image = \"busybox:1.36\"\n";
    const LESSON: &str = "+++\ntitle = \"L\"\n[[check]]\nid = \"e\"\ntitle = \"e\"\nkind = \"image.exists\"\nimage = \"x\"\n+++\nBody\n";

    fn entries(extra: Vec<SourceEntry>) -> Vec<SourceEntry> {
        let mut v = vec![
            SourceEntry::file("pack.toml", MANIFEST, false),
            SourceEntry::dir("01-a"),
            SourceEntry::file("01-a/lesson.md", LESSON, false),
        ];
        v.extend(extra);
        v
    }

    fn lines(e: PackError) -> Vec<String> {
        e.diagnostics.iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn zero_lessons_is_a_valid_pack() {
        let pack = load_entries(
            PackSource::BuiltIn,
            Path::new("p"),
            vec![SourceEntry::file("pack.toml", MANIFEST, false)],
        )
        .expect("loads");
        assert!(pack.lessons.is_empty());
        assert_eq!(pack.manifest.title, "T");
    }

    #[test]
    fn built_in_pack_loads_through_the_same_path() {
        // Whatever lessons exist, the manifest is there and nothing escapes.
        match load(None) {
            Ok(p) => assert_eq!(p.source, PackSource::BuiltIn),
            Err(e) => assert!(
                !e.diagnostics.is_empty()
                    && e.diagnostics
                        .iter()
                        .all(|d| d.path.starts_with(BUILT_IN_DISPLAY)),
                "{e}"
            ),
        }
    }

    #[test]
    fn starter_and_solution_files() {
        let pack = load_entries(
            PackSource::BuiltIn,
            Path::new("p"),
            entries(vec![
                SourceEntry::file("01-a/starter/Dockerfile", "FROM scratch\n", false),
                SourceEntry::file("01-a/starter/src/main.go", "package main\n", false),
                SourceEntry::file("01-a/solution/solve.sh", "#!/bin/sh\n", true),
                SourceEntry::file("01-a/notes.txt", "ignored", false),
            ]),
        )
        .expect("loads");
        let l = &pack.lessons[0];
        assert_eq!(l.id, "a");
        let names: Vec<_> = l.starter.iter().map(|f| f.rel_path.clone()).collect();
        assert_eq!(
            names,
            vec![PathBuf::from("Dockerfile"), PathBuf::from("src/main.go")]
        );
        assert!(l.solve_script().expect("solve.sh").executable);
    }

    #[test]
    fn hostile_paths_are_refused() {
        let e = load_entries(
            PackSource::BuiltIn,
            Path::new("p"),
            entries(vec![
                SourceEntry::file("01-a/starter/../../../etc/cron.d/x", "boom", false),
                SourceEntry::file("/etc/passwd", "boom", false),
                SourceEntry {
                    rel: "01-a/starter/link".into(),
                    item: SourceItem::Refused("symlink to `/etc`, outside the pack".into()),
                },
            ]),
        )
        .expect_err("refused");
        let l = lines(e);
        assert!(
            l.iter()
                .any(|x| x.starts_with("/etc/passwd:1:1: refusing this path")),
            "{l:#?}"
        );
        assert!(
            l.iter()
                .any(|x| x.starts_with("p/01-a/starter/../../../etc/cron.d/x:1:1: refusing")),
            "{l:#?}"
        );
        assert!(
            l.iter()
                .any(|x| x.starts_with("p/01-a/starter/link:1:1: symlink")),
            "{l:#?}"
        );
    }

    #[test]
    fn pack_level_problems() {
        let e = load_entries(
            PackSource::BuiltIn,
            Path::new("p"),
            vec![
                SourceEntry::dir("01-a"),
                SourceEntry::file("01-a/lesson.md", LESSON, false),
                SourceEntry::dir("02-b"),
                SourceEntry::dir("03-a"),
                SourceEntry::file("03-a/lesson.md", LESSON, false),
                SourceEntry::dir("_drafts"),
            ],
        )
        .expect_err("broken");
        let l = lines(e);
        assert!(
            l.iter()
                .any(|x| x.starts_with("p/pack.toml:1:1: no pack.toml")),
            "{l:#?}"
        );
        assert!(
            l.iter()
                .any(|x| x.starts_with("p/02-b:1:1: lesson folder `02-b` has no lesson.md")),
            "{l:#?}"
        );
        assert!(
            l.iter()
                .any(|x| x
                    .starts_with("p/03-a/lesson.md:1:1: lesson id `a` is also the id of `01-a`")),
            "{l:#?}"
        );
        assert_eq!(l.len(), 3, "{l:#?}");
        // Grouped by file, pack.toml first.
        assert!(l[0].starts_with("p/pack.toml:"), "{l:#?}");
        assert!(l[1].starts_with("p/02-b:"), "{l:#?}");
        assert!(l[2].starts_with("p/03-a/lesson.md:"), "{l:#?}");
    }

    #[test]
    fn summaries() {
        let d = vec![
            Diagnostic::new("a", 1, 1, "x"),
            Diagnostic::new("a", 2, 1, "y"),
            Diagnostic::new("b", 1, 1, "z"),
        ];
        assert_eq!(summarize(&d), "3 problems in 2 files");
        assert_eq!(summarize(&d[..1]), "1 problem in 1 file");
    }
}
