//! Translations of a pack: `_lang/<tag>/` inside it, with a `pack.toml`
//! (`lang` and a translated `title`) and lesson folders named like the
//! original's, each with a `lesson.md` that replaces only text: the title,
//! summary, hints, body, and each check's `title`, `why` and `hint`.
//!
//! A translated lesson repeats the original's checks (same ids, same order,
//! same kind and parameters), so a check id means the same in every
//! language; [`compare`] reports every difference at its `path:line:col`
//! in the translated file. Everything that is not text (`id`, `images`,
//! `requires`, `creates`, starter and solution files) comes from the
//! original and may not appear in a translation.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use super::diag::Diagnostic;
use super::fields;
use super::frontmatter::{split_front_matter, LineIndex};
use super::images;
use super::model::Lesson;
use super::parse;
use super::source::{is_lesson_folder, LANG_DIR};
use super::tree::{self, Entry, Reporter, Table, V};

/// Keys of a translation's pack.toml.
const MANIFEST_FIELDS: &[&str] = &["lang", "title"];
/// Front-matter keys that are not text: they come from the original.
const NOT_TRANSLATED: &[&str] = &["id", "images", "requires", "creates"];
/// Keys of a `[[check]]` table that a translation changes.
const CHECK_TEXT: &[&str] = &["title", "why", "hint"];

/// One `_lang/<tag>/` folder as found among a pack's files.
#[derive(Debug, Clone, Default)]
pub(super) struct Found {
    /// Lesson folder names inside it.
    pub lessons: BTreeSet<String>,
    /// `<lesson>/starter` or `<lesson>/solution` folders inside it (rel paths).
    pub extra: BTreeSet<String>,
}

/// Every `_lang/<tag>/` of a pack, from the relative paths of its files and
/// folders.
pub(super) fn find<'a>(paths: impl Iterator<Item = &'a str>) -> BTreeMap<String, Found> {
    let mut out: BTreeMap<String, Found> = BTreeMap::new();
    for rel in paths {
        let parts: Vec<&str> = rel.split('/').collect();
        if parts.first() != Some(&LANG_DIR) || parts.len() < 2 || !is_lesson_folder(parts[1]) {
            continue;
        }
        let found = out.entry(parts[1].to_string()).or_default();
        if parts.len() >= 3 && parts[2] != "pack.toml" && is_lesson_folder(parts[2]) {
            found.lessons.insert(parts[2].to_string());
            if parts.len() >= 4 && matches!(parts[3], "starter" | "solution") {
                found.extra.insert(parts[..4].join("/"));
            }
        }
    }
    out
}

/// An original lesson as the translation is compared with it.
pub(super) struct Original {
    /// Where it is shown in messages (`lessons/01-why-size/lesson.md`).
    pub path: PathBuf,
    /// Its text with `{{image.NAME}}` expanded.
    pub text: String,
}

/// A translation that loaded: the title of its pack.toml and the lessons it
/// translates (as parsed from the translated files, by folder name).
#[derive(Debug, Clone)]
pub(super) struct Loaded {
    pub title: String,
    pub lessons: Vec<Lesson>,
}

/// What a translation needs from the pack around it.
pub(super) struct Pack<'a> {
    pub files: &'a HashMap<String, (Vec<u8>, bool)>,
    pub refused: &'a BTreeSet<String>,
    /// Every lesson folder of the original, with its lesson when that
    /// parsed without problems.
    pub originals: &'a BTreeMap<String, Option<Original>>,
    pub image_table: &'a BTreeMap<String, String>,
    pub shown: &'a dyn Fn(&str) -> PathBuf,
}

/// Load and lint the translation in `_lang/<tag>/`. Every problem is
/// returned; the translation is usable only when there are none.
pub(super) fn load(pack: &Pack<'_>, tag: &str, found: &Found) -> (Option<Loaded>, Vec<Diagnostic>) {
    let shown = pack.shown;
    let root = format!("{LANG_DIR}/{tag}");
    let mut diags = Vec::new();
    if !crate::lang::is_language_tag(tag) {
        diags.push(Diagnostic::new(
            shown(&root),
            0,
            0,
            format!(
                "`{tag}` is not a language tag; name the folder of a translation after its language, e.g. {LANG_DIR}/de or {LANG_DIR}/pt-BR"
            ),
        ));
        return (None, diags);
    }
    let manifest_rel = format!("{root}/pack.toml");
    let title = match pack.files.get(&manifest_rel) {
        Some((bytes, _)) => {
            let (t, d) = parse_manifest(&shown(&manifest_rel), bytes, tag);
            diags.extend(d);
            t
        }
        None => {
            if !pack.refused.contains(&manifest_rel) {
                diags.push(Diagnostic::new(
                    shown(&manifest_rel),
                    0,
                    0,
                    format!(
                        "a translation needs its pack.toml with lang = \"{tag}\" and the pack's title in that language"
                    ),
                ));
            }
            None
        }
    };
    for extra in &found.extra {
        let part = extra.rsplit('/').next().unwrap_or("starter");
        diags.push(Diagnostic::new(
            shown(extra),
            0,
            0,
            format!(
                "a translated lesson has no {part} files: they come from the original lesson; remove this folder"
            ),
        ));
    }
    let mut lessons = Vec::new();
    for dir_name in &found.lessons {
        let md_rel = format!("{root}/{dir_name}/lesson.md");
        let md_path = shown(&md_rel);
        let Some(original) = pack.originals.get(dir_name) else {
            let names: Vec<&str> = pack.originals.keys().map(String::as_str).collect();
            let at = if pack.files.contains_key(&md_rel) {
                md_path
            } else {
                shown(&format!("{root}/{dir_name}"))
            };
            diags.push(Diagnostic::new(
                at,
                0,
                0,
                format!(
                    "there is no lesson folder `{dir_name}` in the original pack to translate; a translated lesson has the folder name of the lesson it translates{}",
                    list_or_suggest(dir_name, &names)
                ),
            ));
            continue;
        };
        let Some((bytes, _)) = pack.files.get(&md_rel) else {
            if !pack.refused.contains(&md_rel) {
                diags.push(Diagnostic::new(
                    shown(&format!("{root}/{dir_name}")),
                    0,
                    0,
                    format!("translated lesson folder `{dir_name}` has no lesson.md"),
                ));
            }
            continue;
        };
        let expanded = match std::str::from_utf8(bytes) {
            Ok(text) => {
                let (t, d) = images::expand(&md_path, text, pack.image_table);
                diags.extend(d);
                t
            }
            Err(_) => String::from_utf8_lossy(bytes).into_owned(),
        };
        let (parsed, mut d) = parse::parse_lesson(&md_path, expanded.as_bytes(), dir_name);
        if let Some(original) = original {
            let (differences, other_kind) = compare(&md_path, &expanded, original);
            // A check with another kind than the original's is reported as
            // that; what its fields lack for the other kind is beside the point.
            d.retain(|x| !other_kind.iter().any(|lines| lines.contains(&x.line)));
            d.extend(differences);
            d.sort_by_key(|x| (x.line == 0, x.line, x.col));
        }
        diags.extend(d);
        if let Some(p) = parsed {
            lessons.push(p.lesson);
        }
    }
    match title {
        Some(title) if diags.is_empty() => (Some(Loaded { title, lessons }), diags),
        _ => (None, diags),
    }
}

fn list_or_suggest(name: &str, names: &[&str]) -> String {
    let hint = super::suggest::did_you_mean(name, names);
    if !hint.is_empty() {
        hint
    } else if names.is_empty() {
        String::new()
    } else {
        format!(" (lessons: {})", names.join(", "))
    }
}

/// A translation's pack.toml: `lang` (the folder's tag) and `title`.
fn parse_manifest(path: &Path, bytes: &[u8], tag: &str) -> (Option<String>, Vec<Diagnostic>) {
    let text = match parse::decode(path, bytes, "pack.toml") {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let mut r = Reporter::new(path, text, 0);
    let t = match tree::parse(text) {
        Ok(t) => t,
        Err((span, msg)) => {
            r.at(&span, format!("bad TOML in pack.toml: {msg}"));
            return (None, r.finish());
        }
    };
    for e in &t.entries {
        if !MANIFEST_FIELDS.contains(&e.key.as_str()) {
            r.at(
                &e.key_span,
                format!(
                    "`{}` does not belong in a translation's pack.toml: it comes from the original pack.toml. Here: lang = \"{tag}\" and the translated title",
                    e.key
                ),
            );
        }
    }
    let top = 0..0;
    match t.get("lang") {
        None => r.at(
            &top,
            format!("a translation's pack.toml needs lang = \"{tag}\" (the name of its folder)"),
        ),
        Some(_) => {
            if let Some(l) = fields::string(&mut r, &t, "lang", &format!("lang = \"{tag}\"")) {
                if l.v != tag {
                    r.at(
                        &l.span,
                        format!(
                            "this translation is in the folder `{LANG_DIR}/{tag}` but says lang = \"{}\"; write lang = \"{tag}\" (or rename the folder)",
                            l.v
                        ),
                    );
                }
            }
        }
    }
    let title = fields::required_string(
        &mut r,
        &t,
        "title",
        "title = \"Schlanke und sichere Container\"",
        "a translation's pack.toml needs the pack's `title` in its language",
        &top,
    );
    let diags = r.finish();
    match title {
        Some(t) if diags.is_empty() => (Some(t.v), diags),
        _ => (None, diags),
    }
}

/// A front matter's tree and where its TOML starts in the text.
fn front(text: &str) -> Option<(Table, usize)> {
    let split = split_front_matter(text).ok()?;
    let t = tree::parse(split.toml).ok()?;
    Some((t, split.toml_offset))
}

/// The `[[check]]` tables of a front matter: (id, its entry, the table, the
/// table's span).
fn checks(t: &Table) -> Vec<(String, Option<&Entry>, &Table, std::ops::Range<usize>)> {
    let Some(e) = t.get("check") else {
        return Vec::new();
    };
    let (V::TableArray(items) | V::Array(items)) = &e.node.v else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match &item.v {
            V::Table(ct) => {
                let id_entry = ct.get("id");
                let id = match id_entry.map(|e| &e.node.v) {
                    Some(V::Str(s)) => s.clone(),
                    _ => return None,
                };
                Some((id, id_entry, ct, item.span.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Every way the translated lesson (`path`, `text`) differs from the
/// original in more than text, each at its place in the translated file;
/// and the lines of the checks whose kind differs.
/// Both texts have `{{image.NAME}}` expanded; nothing is compared when
/// either front matter is not TOML (the parser reports that).
pub(super) fn compare(
    path: &Path,
    text: &str,
    original: &Original,
) -> (Vec<Diagnostic>, Vec<RangeInclusive<usize>>) {
    let (Some((t, base)), Some((o, obase))) = (front(text), front(&original.text)) else {
        return (Vec::new(), Vec::new());
    };
    let mut other_kind = Vec::new();
    let mut r = Reporter::new(path, text, base);
    let oi = LineIndex::new(&original.text);
    let there = |span: &std::ops::Range<usize>| -> String {
        let (l, c) = oi.line_col(obase + span.start);
        format!("{}:{l}:{c}", original.path.display())
    };
    let top = 0..0;
    let top_line = r.line_of(&top).saturating_sub(1).max(1);

    // Keys that are not text come from the original.
    for e in &t.entries {
        if NOT_TRANSLATED.contains(&e.key.as_str()) {
            r.at(
                &e.key_span,
                format!(
                    "`{}` is not translated: it comes from the original lesson; remove it here (a translation holds the title, summary, hints, the checks and the text)",
                    e.key
                ),
            );
        }
    }
    // Text the original has must be translated; hints count the same.
    for key in ["summary", "hints"] {
        match (t.get(key), o.get(key)) {
            (None, Some(oe)) => r.at_line(
                top_line,
                1,
                format!(
                    "the original has `{key}` ({}); translate it here",
                    there(&oe.key_span)
                ),
            ),
            (Some(te), None) => r.at(
                &te.key_span,
                format!("`{key}` is here but not in the original lesson; remove it"),
            ),
            (Some(te), Some(oe)) => {
                if let (V::Array(a), V::Array(b)) = (&te.node.v, &oe.node.v) {
                    if a.len() != b.len() {
                        r.at(
                            &te.node.span,
                            format!(
                                "{} hints here but {} in the original ({}); hints are shown one by one and counted the same in every language",
                                a.len(),
                                b.len(),
                                there(&oe.node.span)
                            ),
                        );
                    }
                }
            }
            (None, None) => {}
        }
    }

    // The checks: same ids, same order, same kind and parameters.
    let tc = checks(&t);
    let oc = checks(&o);
    let o_ids: Vec<&str> = oc.iter().map(|c| c.0.as_str()).collect();
    let t_ids: BTreeSet<&str> = tc.iter().map(|c| c.0.as_str()).collect();
    let mut seen = BTreeSet::new();
    for (id, id_entry, table, head) in &tc {
        if !seen.insert(id.as_str()) {
            continue; // a duplicate id is reported by the parser
        }
        let id_span = id_entry.map_or(head.clone(), |e| e.node.span.clone());
        let Some((_, _, otable, ohead)) = oc.iter().find(|c| &c.0 == id) else {
            r.at(
                &id_span,
                format!(
                    "check `{id}` is not a check of the original lesson{}; a translation repeats the original's checks and changes only their title, why and hint",
                    if o_ids.is_empty() {
                        " (it has none)".to_string()
                    } else {
                        format!(" (its checks: {})", o_ids.join(", "))
                    }
                ),
            );
            continue;
        };
        let kind = |t: &Table| t.get("kind").map(|e| e.node.v.clone());
        if let (Some(a), Some(b)) = (kind(table), kind(otable)) {
            if !same(&a, &b) {
                other_kind.push(r.line_of(head)..=r.line_of(&(head.end..head.end)));
            }
        }
        compare_check(&mut r, id, table, head, otable, ohead, &there);
    }
    for (id, id_entry, _, head) in &oc {
        if !t_ids.contains(id.as_str()) {
            let span = id_entry.map_or(head.clone(), |e| e.node.span.clone());
            r.at_line(
                top_line,
                1,
                format!(
                    "check `{id}` of the original ({}) is missing here; a translation has every check of the original, in the same order",
                    there(&span)
                ),
            );
        }
    }
    // Order: the checks both have, in the translation's order and the original's.
    let mut here_order: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    for (id, id_entry, _, head) in &tc {
        if o_ids.contains(&id.as_str()) && !here_order.iter().any(|(i, _)| i == id) {
            here_order.push((
                id.as_str(),
                id_entry.map_or(head.clone(), |e| e.node.span.clone()),
            ));
        }
    }
    let their_order: Vec<&str> = o_ids
        .iter()
        .copied()
        .filter(|i| t_ids.contains(i))
        .collect();
    if let Some(k) = (0..here_order.len()).find(|&k| Some(&here_order[k].0) != their_order.get(k)) {
        let (id, span) = &here_order[k];
        let order: Vec<&str> = o_ids.clone();
        r.at(
            span,
            format!(
                "check `{id}` is out of order: the original's checks come in the order {}; keep that order",
                order.join(", ")
            ),
        );
    }
    (r.finish(), other_kind)
}

/// One check of the translation against the same check of the original.
fn compare_check(
    r: &mut Reporter,
    id: &str,
    table: &Table,
    head: &std::ops::Range<usize>,
    otable: &Table,
    ohead: &std::ops::Range<usize>,
    there: &dyn Fn(&std::ops::Range<usize>) -> String,
) {
    for e in &table.entries {
        if CHECK_TEXT.contains(&e.key.as_str()) || e.key == "id" {
            continue;
        }
        match otable.get(&e.key) {
            None => r.at(
                &e.key_span,
                format!(
                    "check `{id}` has `{}` here but not in the original ({}); a translation changes only title, why and hint",
                    e.key,
                    there(ohead)
                ),
            ),
            Some(oe) if !same(&e.node.v, &oe.node.v) => {
                let msg = if e.key == "kind" {
                    format!(
                        "check `{id}` has kind {} here but {} in the original ({})",
                        show(&e.node.v),
                        show(&oe.node.v),
                        there(&oe.node.span)
                    )
                } else {
                    format!(
                        "check `{id}` has {} = {} here but {} = {} in the original ({}); a translation changes only title, why and hint",
                        e.key,
                        show(&e.node.v),
                        oe.key,
                        show(&oe.node.v),
                        there(&oe.node.span)
                    )
                };
                r.at(&e.node.span, msg);
            }
            Some(_) => {}
        }
    }
    for oe in &otable.entries {
        if table.get(&oe.key).is_some() || oe.key == "title" || oe.key == "id" {
            continue;
        }
        let msg = if CHECK_TEXT.contains(&oe.key.as_str()) {
            format!(
                "check `{id}` has a `{}` in the original ({}); translate it here",
                oe.key,
                there(&oe.key_span)
            )
        } else {
            format!(
                "check `{id}` lacks {} = {} of the original ({}); a translation repeats every parameter of a check",
                oe.key,
                show(&oe.node.v),
                there(&oe.key_span)
            )
        };
        r.at(head, msg);
    }
}

/// Two TOML values are the same (spans, key order and table style aside).
fn same(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::Str(x), V::Str(y)) => x == y,
        (V::Int(x), V::Int(y)) => x == y,
        (V::Float(x), V::Float(y)) => x == y,
        (V::Bool(x), V::Bool(y)) => x == y,
        (V::Array(x) | V::TableArray(x), V::Array(y) | V::TableArray(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(&a.v, &b.v))
        }
        (V::Table(x), V::Table(y)) => {
            x.entries.len() == y.entries.len()
                && x.entries
                    .iter()
                    .all(|e| y.get(&e.key).is_some_and(|f| same(&e.node.v, &f.node.v)))
        }
        _ => false,
    }
}

/// A value as TOML, short: `"image.size"`, `["exists"]`, `20`.
fn show(v: &V) -> String {
    let s = match v {
        V::Str(s) => format!("{s:?}"),
        V::Int(i) => i.to_string(),
        V::Float(f) => f.to_string(),
        V::Bool(b) => b.to_string(),
        V::Array(items) | V::TableArray(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|n| show(&n.v))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        V::Table(t) => format!(
            "{{ {} }}",
            t.entries
                .iter()
                .map(|e| format!("{} = {}", e.key, show(&e.node.v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.describe().to_string(),
    };
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// The original lesson with the translation's text: title, summary, hints,
/// body, and each check's title, why and hint (checks matched by id).
pub(super) fn apply(original: &mut Lesson, tr: &Lesson) {
    original.title = tr.title.clone();
    if !tr.summary.is_empty() {
        original.summary = tr.summary.clone();
    }
    if !tr.hints.is_empty() {
        original.hints = tr.hints.clone();
    }
    original.body = tr.body.clone();
    original.body_line = tr.body_line;
    for c in &mut original.checks {
        if let Some(t) = tr.check(&c.id) {
            c.title = t.title.clone();
            if t.why.is_some() {
                c.why = t.why.clone();
            }
            if t.hint.is_some() {
                c.hint = t.hint.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{load_entries_with, CheckKind, PackSource, SourceEntry, Translations};
    use std::path::Path;

    const MANIFEST: &str = "format_version = 1\ntitle = \"T\"\nprobe_image = \"busybox:1.36\"\n";
    const ORIGINAL: &str = "+++
title = \"Small\"
summary = \"S\"
images = [\"x\"]
hints = [\"h1\", \"h2\"]

[[check]]
id = \"exists\"
title = \"app exists\"
kind = \"image.exists\"
image = \"app\"

[[check]]
id = \"size\"
title = \"app is small\"
kind = \"image.layers\"
image = \"app\"
max = 3
needs = [\"exists\"]
why = \"Pulled on every deploy.\"
+++
# Small
Body
";
    /// The German of ORIGINAL; line numbers below refer to it.
    const GERMAN: &str = "+++
title = \"Klein\"
summary = \"K\"
hints = [\"t1\", \"t2\"]

[[check]]
id = \"exists\"
title = \"app existiert\"
kind = \"image.exists\"
image = \"app\"

[[check]]
id = \"size\"
title = \"app ist klein\"
kind = \"image.layers\"
image = \"app\"
max = 3
needs = [\"exists\"]
why = \"Bei jedem Deployment gezogen.\"
+++
# Klein
Text
";
    const DE_MANIFEST: &str = "lang = \"de\"\ntitle = \"Deutsch\"\n";

    fn entries(german: &str, extra: Vec<SourceEntry>) -> Vec<SourceEntry> {
        let mut v = vec![
            SourceEntry::file("pack.toml", MANIFEST, false),
            SourceEntry::dir("01-small"),
            SourceEntry::file("01-small/lesson.md", ORIGINAL, false),
            SourceEntry::file("01-small/starter/Dockerfile", "FROM scratch\n", false),
            SourceEntry::file("_lang/de/pack.toml", DE_MANIFEST, false),
            SourceEntry::file("_lang/de/01-small/lesson.md", german, false),
        ];
        v.extend(extra);
        v
    }

    fn lint(german: &str, extra: Vec<SourceEntry>) -> Vec<String> {
        match load_entries_with(
            PackSource::BuiltIn,
            Path::new("p"),
            entries(german, extra),
            Translations::Lint,
        ) {
            Ok(_) => Vec::new(),
            Err(e) => e.diagnostics.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn has(lines: &[String], want: &str) {
        assert!(
            lines.iter().any(|l| l == want),
            "no line\n{want}\nin\n{lines:#?}"
        );
    }

    #[test]
    fn a_translation_replaces_the_text_and_keeps_the_checks() {
        assert!(lint(GERMAN, vec![]).is_empty());
        for asked in ["de", "de-AT", "DE"] {
            let pack = load_entries_with(
                PackSource::BuiltIn,
                Path::new("p"),
                entries(GERMAN, vec![]),
                Translations::Lang(asked),
            )
            .expect("loads");
            assert_eq!(pack.lang(), "de");
            assert_eq!(pack.manifest.title, "Deutsch");
            assert_eq!(pack.manifest.lang, "en");
            assert_eq!(pack.translation.note, None);
            assert_eq!(pack.translation.lessons, ["small"]);
            let l = &pack.lessons[0];
            assert_eq!(l.id, "small");
            assert_eq!(l.title, "Klein");
            assert_eq!(l.summary, "K");
            assert_eq!(l.hints, ["t1", "t2"]);
            assert_eq!(l.body, "# Klein\nText\n");
            assert_eq!(l.body_line, 21);
            // Not text: from the original.
            assert_eq!(l.images, ["x"]);
            assert_eq!(l.starter.len(), 1);
            let c = l.check("size").expect("size");
            assert_eq!(c.title, "app ist klein");
            assert_eq!(c.why.as_deref(), Some("Bei jedem Deployment gezogen."));
            assert_eq!(c.needs, ["exists"]);
            assert_eq!(
                c.kind,
                CheckKind::ImageLayers {
                    image: "app".into(),
                    max: 3
                }
            );
        }
    }

    #[test]
    fn a_missing_translation_falls_back_with_a_note() {
        let load = |asked| {
            load_entries_with(
                PackSource::BuiltIn,
                Path::new("p"),
                entries(GERMAN, vec![]),
                Translations::Lang(asked),
            )
            .expect("loads")
        };
        let pack = load("fr");
        assert_eq!(pack.lang(), "en");
        assert_eq!(pack.lessons[0].title, "Small");
        assert_eq!(pack.translation.available, ["de"]);
        assert_eq!(
            pack.translation.note.as_deref(),
            Some("no `fr` translation of this pack (it has: de); the lessons are in `en`")
        );
        // The pack's own language needs no translation and no note.
        let pack = load("en-GB");
        assert_eq!(pack.lessons[0].title, "Small");
        assert_eq!(pack.translation.note, None);
        // A broken translation is not used; the learner is told.
        let pack = load_entries_with(
            PackSource::BuiltIn,
            Path::new("p"),
            entries(&GERMAN.replace("max = 3", "max = 4"), vec![]),
            Translations::Lang("de"),
        )
        .expect("the original loads");
        assert_eq!(pack.lessons[0].title, "Small");
        assert!(
            pack.translation
                .note
                .as_deref()
                .is_some_and(|n| n.contains("`de` translation of this pack has problems")),
            "{:?}",
            pack.translation.note
        );
        // Loading the original never reads translations, broken or not.
        let pack = load_entries_with(
            PackSource::BuiltIn,
            Path::new("p"),
            entries("not a lesson", vec![]),
            Translations::Original,
        )
        .expect("loads");
        assert_eq!(pack.translation.available, ["de"]);
    }

    #[test]
    fn a_different_kind_is_named_at_its_place() {
        let l = lint(
            &GERMAN.replace("kind = \"image.layers\"", "kind = \"image.packages\""),
            vec![],
        );
        assert_eq!(
            l,
            ["p/_lang/de/01-small/lesson.md:15:8: check `size` has kind \"image.packages\" here but \"image.layers\" in the original (p/01-small/lesson.md:16:8)"]
        );
    }

    #[test]
    fn another_kinds_own_problems_are_not_piled_on() {
        // image.lacks has no `max` and needs `paths` or `sets`: not reported,
        // the kind is the problem.
        let l = lint(
            &GERMAN.replace("kind = \"image.layers\"", "kind = \"image.lacks\""),
            vec![],
        );
        assert_eq!(
            l,
            ["p/_lang/de/01-small/lesson.md:15:8: check `size` has kind \"image.lacks\" here but \"image.layers\" in the original (p/01-small/lesson.md:16:8)"]
        );
    }

    #[test]
    fn a_different_parameter_is_named_at_its_place() {
        let l = lint(&GERMAN.replace("max = 3", "max = 30"), vec![]);
        assert_eq!(
            l,
            ["p/_lang/de/01-small/lesson.md:17:7: check `size` has max = 30 here but max = 3 in the original (p/01-small/lesson.md:18:7); a translation changes only title, why and hint"]
        );
        let l = lint(&GERMAN.replace("max = 3\n", ""), vec![]);
        has(&l, "p/_lang/de/01-small/lesson.md:12:1: check `size` lacks max = 3 of the original (p/01-small/lesson.md:18:1); a translation repeats every parameter of a check");
        let l = lint(
            &GERMAN.replace("max = 3\n", "max = 3\nmin = \"1MB\"\n"),
            vec![],
        );
        has(&l, "p/_lang/de/01-small/lesson.md:18:1: check `size` has `min` here but not in the original (p/01-small/lesson.md:13:1); a translation changes only title, why and hint");
    }

    #[test]
    fn checks_out_of_order_extra_or_missing() {
        // The two checks swapped.
        let (head, rest) = GERMAN
            .split_once("[[check]]\nid = \"exists\"")
            .expect("split");
        let (exists, size_and_body) = rest.split_once("[[check]]").expect("split");
        let (size, body) = size_and_body.split_once("+++").expect("split");
        let swapped = format!(
            "{head}[[check]]{}\n[[check]]\nid = \"exists\"{}+++{body}",
            size.trim_end_matches('\n'),
            exists.trim_end_matches('\n').to_string() + "\n"
        );
        let l = lint(&swapped, vec![]);
        assert_eq!(
            l,
            ["p/_lang/de/01-small/lesson.md:7:6: check `size` is out of order: the original's checks come in the order exists, size; keep that order"],
            "{swapped}"
        );
        // One more check than the original.
        let extra = GERMAN.replace(
            "+++\n# Klein",
            "\n[[check]]\nid = \"more\"\ntitle = \"mehr\"\nkind = \"swarm.active\"\n+++\n# Klein",
        );
        let l = lint(&extra, vec![]);
        assert_eq!(
            l,
            ["p/_lang/de/01-small/lesson.md:22:6: check `more` is not a check of the original lesson (its checks: exists, size); a translation repeats the original's checks and changes only their title, why and hint"]
        );
        // A check of the original left out.
        let (head, rest) = GERMAN
            .split_once("[[check]]\nid = \"exists\"")
            .expect("split");
        let (_, rest) = rest.split_once("[[check]]").expect("split");
        let missing = format!("{head}[[check]]{rest}").replace("needs = [\"exists\"]\n", "");
        let l = lint(&missing, vec![]);
        has(&l, "p/_lang/de/01-small/lesson.md:1:1: check `exists` of the original (p/01-small/lesson.md:8:6) is missing here; a translation has every check of the original, in the same order");
    }

    #[test]
    fn what_a_translation_may_not_hold() {
        let l = lint(
            GERMAN,
            vec![SourceEntry::file(
                "_lang/de/01-small/starter/Dockerfile",
                "FROM scratch\n",
                false,
            )],
        );
        assert_eq!(
            l,
            ["p/_lang/de/01-small/starter:1:1: a translated lesson has no starter files: they come from the original lesson; remove this folder"]
        );
        let l = lint(
            &GERMAN.replace("summary = \"K\"", "images = [\"x\"]\nsummary = \"K\""),
            vec![],
        );
        assert_eq!(
            l,
            ["p/_lang/de/01-small/lesson.md:3:1: `images` is not translated: it comes from the original lesson; remove it here (a translation holds the title, summary, hints, the checks and the text)"]
        );
        let l = lint(
            &GERMAN.replace("hints = [\"t1\", \"t2\"]", "hints = [\"t1\"]"),
            vec![],
        );
        assert_eq!(
            l,
            ["p/_lang/de/01-small/lesson.md:4:9: 1 hints here but 2 in the original (p/01-small/lesson.md:5:9); hints are shown one by one and counted the same in every language"]
        );
        let l = lint(
            GERMAN,
            vec![SourceEntry::file(
                "_lang/de/02-nope/lesson.md",
                GERMAN,
                false,
            )],
        );
        assert_eq!(
            l,
            ["p/_lang/de/02-nope/lesson.md:1:1: there is no lesson folder `02-nope` in the original pack to translate; a translated lesson has the folder name of the lesson it translates (lessons: 01-small)"]
        );
    }

    #[test]
    fn a_translations_pack_toml() {
        let mut e = entries(GERMAN, vec![]);
        e.retain(|x| x.rel != "_lang/de/pack.toml");
        e.push(SourceEntry::file(
            "_lang/de/pack.toml",
            "lang = \"fr\"\ntitle = \"Deutsch\"\nprobe_image = \"x\"\n",
            false,
        ));
        let l: Vec<String> =
            load_entries_with(PackSource::BuiltIn, Path::new("p"), e, Translations::Lint)
                .expect_err("broken")
                .diagnostics
                .iter()
                .map(|d| d.to_string())
                .collect();
        assert_eq!(
            l,
            [
                "p/_lang/de/pack.toml:1:8: this translation is in the folder `_lang/de` but says lang = \"fr\"; write lang = \"de\" (or rename the folder)",
                "p/_lang/de/pack.toml:3:1: `probe_image` does not belong in a translation's pack.toml: it comes from the original pack.toml. Here: lang = \"de\" and the translated title",
            ]
        );
    }

    #[test]
    fn the_built_in_pack_and_its_translations_lint_clean() {
        let pack = super::super::lint(None).unwrap_or_else(|e| panic!("{e}"));
        assert!(pack.translation.available.iter().any(|t| t == "de"));
        let de = super::super::load_lang(None, Some("de")).expect("loads");
        assert_eq!(de.translation.note, None);
        let l = de.lesson("why-size").expect("why-size");
        assert_eq!(l.title, "Warum die Größe eines Images zählt");
        assert_eq!(de.lesson_lang("why-size"), "de");
        let en = super::super::load(None).expect("loads");
        let e = en.lesson("why-size").expect("why-size");
        assert_eq!(
            l.checks
                .iter()
                .map(|c| (&c.id, &c.kind))
                .collect::<Vec<_>>(),
            e.checks
                .iter()
                .map(|c| (&c.id, &c.kind))
                .collect::<Vec<_>>()
        );
        assert_eq!(l.starter, e.starter);
        assert_eq!(l.solution, e.solution);
    }
}
