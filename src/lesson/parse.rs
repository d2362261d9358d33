//! `pack.toml` and `lesson.md` into the model, with every problem reported.

use std::collections::HashMap;
use std::path::Path;

use super::checks::{parse_check, ParsedCheck};
use super::diag::Diagnostic;
use super::fields;
use super::frontmatter::{split_front_matter, LineIndex};
use super::model::{CheckSpec, Creates, Lesson, Manifest};
use super::suggest::did_you_mean;
use super::tree::{self, Reporter, Table, V};

/// The pack format this dockdojo reads.
pub const FORMAT_VERSION: i64 = 1;

/// Capabilities a lesson may require.
/// Capabilities a lesson or a check may list in `requires`: what an engine
/// must be able to do (`engine::platform` says which engines cannot).
pub const CAPABILITIES: &[&str] = &[
    "swarm",
    "linux-host-network",
    "macvlan",
    "default-bridge-isolation",
    "container-ip-from-host",
];

const LESSON_FIELDS: &[&str] = &[
    "id", "title", "summary", "images", "requires", "creates", "hints", "check",
];
const CREATES_FIELDS: &[&str] = &["images", "containers", "networks", "volumes"];
const MANIFEST_FIELDS: &[&str] = &["format_version", "title", "probe_image", "images", "lang"];

/// Decode a text file: UTF-8 (a BOM is dropped), no NUL bytes.
/// `what` names the file in messages ("lesson.md").
pub fn decode<'b>(path: &Path, bytes: &'b [u8], what: &str) -> Result<&'b str, Diagnostic> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.valid_up_to();
            // The prefix is valid UTF-8 by construction.
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let prefix = prefix.strip_prefix('\u{feff}').unwrap_or(prefix);
            let (line, col) = LineIndex::new(prefix).line_col(prefix.len());
            let byte = bytes.get(good).copied().unwrap_or(0);
            return Err(Diagnostic::new(
                path,
                line,
                col,
                format!("{what} is not UTF-8 text (byte 0x{byte:02x} here); save it as UTF-8"),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(pos) = text.find('\0') {
        let (line, col) = LineIndex::new(text).line_col(pos);
        return Err(Diagnostic::new(
            path,
            line,
            col,
            format!("{what} contains a NUL byte; it looks like a binary file, not UTF-8 text"),
        ));
    }
    Ok(text)
}

/// Parse `pack.toml`.
pub fn parse_manifest(path: &Path, bytes: &[u8]) -> (Option<Manifest>, Vec<Diagnostic>) {
    let text = match decode(path, bytes, "pack.toml") {
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
    fields::unknown_fields(&mut r, &t, MANIFEST_FIELDS, "in pack.toml", &[]);
    let top = 0..0;
    let format_version = match t.get("format_version") {
        None => {
            r.at(&top, "pack.toml needs format_version = 1");
            None
        }
        Some(e) => match &e.node.v {
            V::Int(FORMAT_VERSION) => Some(1),
            V::Int(n) if *n > FORMAT_VERSION => {
                r.at(
                    &e.node.span,
                    format!("format_version {n} is newer than this dockdojo understands (it reads {FORMAT_VERSION}); update dockdojo"),
                );
                None
            }
            V::Str(s) if s.trim() == "1" => {
                r.at(
                    &e.node.span,
                    "format_version must be the number 1, without quotes",
                );
                None
            }
            other => {
                let found = match other {
                    V::Int(n) => n.to_string(),
                    o => o.describe().to_string(),
                };
                r.at(
                    &e.node.span,
                    format!("format_version must be {FORMAT_VERSION}; found {found}"),
                );
                None
            }
        },
    };
    let title = fields::required_string(
        &mut r,
        &t,
        "title",
        "title = \"Lean and secure containers\"",
        "pack.toml needs a `title`, e.g. title = \"Lean and secure containers\"",
        &top,
    );
    let probe_image = fields::required_string(
        &mut r,
        &t,
        "probe_image",
        "probe_image = \"busybox:1.36\"",
        "pack.toml needs `probe_image`, the image network probes run, e.g. probe_image = \"busybox:1.36\"",
        &top,
    );
    let lang = lang_field(&mut r, &t).unwrap_or_else(|| super::model::DEFAULT_LANG.to_string());
    let diags = r.finish();
    match (format_version, title, probe_image) {
        (Some(v), Some(title), Some(probe)) if diags.is_empty() => (
            Some(Manifest {
                format_version: v,
                title: title.v,
                probe_image: probe.v,
                lang,
            }),
            diags,
        ),
        _ => (None, diags),
    }
}

/// `lang = "de"` of a pack.toml, checked to be a language tag.
pub(super) fn lang_field(r: &mut Reporter, t: &Table) -> Option<String> {
    let l = fields::string(r, t, "lang", "lang = \"de\"")?;
    if crate::lang::is_language_tag(&l.v) {
        Some(l.v)
    } else {
        r.at(
            &l.span,
            format!(
                "`{}` is not a language tag; write e.g. lang = \"en\", \"de\" or \"pt-BR\"",
                l.v
            ),
        );
        None
    }
}

/// The default id: the folder name without its `NN-` prefix.
pub fn default_id(dir_name: &str) -> &str {
    let digits = dir_name.len()
        - dir_name
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    match dir_name[digits..].strip_prefix('-') {
        Some(rest) if digits > 0 && !rest.is_empty() => rest,
        _ => dir_name,
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with(['-', '.'])
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A parsed lesson.md, before starter/solution files are attached.
#[derive(Debug, Clone)]
pub struct ParsedLesson {
    pub lesson: Lesson,
    /// Where the id was written, if it was (line, col).
    pub id_at: Option<(usize, usize)>,
}

/// Parse one `lesson.md`. Diagnostics carry `path`.
pub fn parse_lesson(
    path: &Path,
    bytes: &[u8],
    dir_name: &str,
) -> (Option<ParsedLesson>, Vec<Diagnostic>) {
    let text = match decode(path, bytes, "lesson.md") {
        Ok(t) => t,
        Err(d) => return (None, vec![d]),
    };
    let split = match split_front_matter(text) {
        Ok(s) => s,
        Err(e) => {
            let (line, col, msg) = e.describe();
            return (None, vec![Diagnostic::new(path, line, col, msg)]);
        }
    };
    let mut r = Reporter::new(path, text, split.toml_offset);
    let t = match tree::parse(split.toml) {
        Ok(t) => t,
        Err((span, msg)) => {
            r.at(&span, format!("bad TOML in the front matter: {msg}"));
            return (None, r.finish());
        }
    };
    // Problems about the whole front matter point at its first line.
    let top = 0..0;
    let top_line = r.line_of(&top).saturating_sub(1).max(1);

    fields::unknown_fields(&mut r, &t, LESSON_FIELDS, "in the front matter", &[]);

    let id = fields::string(&mut r, &t, "id", "id = \"multi-stage\"");
    let id_at = id.as_ref().map(|a| r.pos(&a.span));
    let id_value = match &id {
        Some(a) => {
            if !valid_id(&a.v) {
                r.at(
                    &a.span,
                    format!(
                        "lesson id `{}` may only contain letters, digits, `-`, `_` and `.`, and cannot start with `-` or `.`",
                        a.v
                    ),
                );
            }
            a.v.clone()
        }
        None => {
            let d = default_id(dir_name);
            if !valid_id(d) {
                r.at_line(
                    top_line,
                    1,
                    format!(
                        "the lesson id `{d}` taken from the folder name may only contain letters, digits, `-`, `_` and `.`; rename the folder or set id = \"...\""
                    ),
                );
            }
            d.to_string()
        }
    };

    let title = match t.get("title") {
        None => {
            r.at_line(
                top_line,
                1,
                "the front matter has no `title`; add e.g. title = \"Multi-stage builds\"",
            );
            None
        }
        Some(_) => fields::required_string(
            &mut r,
            &t,
            "title",
            "title = \"Multi-stage builds\"",
            "",
            &top,
        ),
    };
    let summary = fields::string(&mut r, &t, "summary", "summary = \"Shrink a Go image\"");
    let images_raw =
        fields::string_list(&mut r, &t, "images", "images = [\"golang:1.22-bookworm\"]")
            .unwrap_or_default();
    for img in &images_raw {
        if img.v.trim().is_empty() || img.v.chars().any(char::is_whitespace) {
            r.at(
                &img.span,
                format!(
                    "`{}` is not an image name; write e.g. \"golang:1.22-bookworm\"",
                    img.v
                ),
            );
        }
    }
    let images: Vec<String> = images_raw.into_iter().map(|a| a.v).collect();
    let requires_raw =
        fields::string_list(&mut r, &t, "requires", "requires = [\"swarm\"]").unwrap_or_default();
    let mut requires = Vec::new();
    for cap in requires_raw {
        if CAPABILITIES.contains(&cap.v.as_str()) {
            requires.push(cap.v);
        } else {
            r.at(
                &cap.span,
                format!(
                    "unknown capability `{}` in `requires` (known: {}){}",
                    cap.v,
                    CAPABILITIES.join(", "),
                    did_you_mean(&cap.v, CAPABILITIES),
                ),
            );
        }
    }
    let creates = parse_creates(&mut r, &t);
    let hints = strings(&mut r, &t, "hints", "hints = [\"Look at the FROM line\"]");

    let mut parsed: Vec<ParsedCheck> = Vec::new();
    if let Some(e) = t.get("check") {
        match &e.node.v {
            V::TableArray(items) | V::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    match &item.v {
                        V::Table(ct) => parsed.push(parse_check(&mut r, ct, item.span.clone(), i + 1)),
                        other => r.at(
                            &item.span,
                            format!(
                                "each check must be a table ([[check]] with id, title, kind ...); found {}",
                                other.describe()
                            ),
                        ),
                    }
                }
            }
            V::Table(ct) if ct.header => r.at(
                &e.node.span,
                "write `[[check]]` with double brackets: a lesson has a list of checks, and each starts with [[check]]",
            ),
            other => r.at(
                &e.node.span,
                format!(
                    "`check` must be a list of tables, each starting with a line [[check]]; found {}",
                    other.describe()
                ),
            ),
        }
    }
    validate_check_ids(&mut r, &parsed);

    let checks: Vec<CheckSpec> = parsed.into_iter().filter_map(|p| p.spec).collect();
    let diags = r.finish();
    let lesson = Lesson {
        id: id_value,
        dir_name: dir_name.to_string(),
        title: title.map(|t| t.v).unwrap_or_default(),
        summary: summary.map(|s| s.v).unwrap_or_default(),
        images,
        requires,
        creates,
        hints,
        checks,
        body: split.body.to_string(),
        body_line: split.body_line,
        starter: Vec::new(),
        solution: Vec::new(),
    };
    (Some(ParsedLesson { lesson, id_at }), diags)
}

fn strings(r: &mut Reporter, t: &Table, key: &str, example: &str) -> Vec<String> {
    fields::string_list(r, t, key, example)
        .unwrap_or_default()
        .into_iter()
        .map(|a| a.v)
        .collect()
}

fn parse_creates(r: &mut Reporter, t: &Table) -> Creates {
    let mut c = Creates::default();
    let Some((ct, _)) = fields::table(
        r,
        t,
        "creates",
        "creates = { images = [\"calc-app-small\"], containers = [], networks = [] }",
    ) else {
        return c;
    };
    fields::unknown_fields(r, ct, CREATES_FIELDS, "in `creates`", &[]);
    c.images = strings(r, ct, "images", "images = [\"calc-app-small\"]");
    c.containers = strings(r, ct, "containers", "containers = [\"finance\"]");
    c.networks = strings(r, ct, "networks", "networks = [\"secure-network\"]");
    c.volumes = strings(r, ct, "volumes", "volumes = [\"data\"]");
    for name in c
        .images
        .iter()
        .chain(&c.containers)
        .chain(&c.networks)
        .chain(&c.volumes)
    {
        if name.trim().is_empty() {
            r.at(
                &t.get("creates")
                    .map(|e| e.node.span.clone())
                    .unwrap_or(0..0),
                "`creates` lists an empty name",
            );
        }
    }
    c
}

/// Duplicate ids, `needs` naming a missing check, itself, or a circle.
fn validate_check_ids(r: &mut Reporter, checks: &[ParsedCheck]) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, c) in checks.iter().enumerate() {
        let Some(id) = &c.id else { continue };
        match first.get(id.v.as_str()) {
            Some(&j) => {
                let line = checks[j].id.as_ref().map_or(0, |a| r.line_of(&a.span));
                r.at(
                    &id.span,
                    format!(
                        "duplicate check id `{}`; the first check with this id is on line {line}. Ids must be unique in a lesson",
                        id.v
                    ),
                );
            }
            None => {
                first.insert(id.v.as_str(), i);
            }
        }
    }
    let mut known: Vec<&str> = first.keys().copied().collect();
    known.sort_unstable();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); checks.len()];
    for (i, c) in checks.iter().enumerate() {
        for n in &c.needs {
            let own = c.id.as_ref().map(|a| a.v.as_str());
            if Some(n.v.as_str()) == own {
                r.at(
                    &n.span,
                    format!("check `{}` needs itself, so it could never run", n.v),
                );
                continue;
            }
            match first.get(n.v.as_str()) {
                Some(&j) => edges[i].push(j),
                None if r.is_full() => r.at(&n.span, ""),
                None => {
                    // Suggestions only among a reasonable number of ids.
                    let others: Vec<&str> = if known.len() <= 200 {
                        known.iter().copied().filter(|k| Some(*k) != own).collect()
                    } else {
                        Vec::new()
                    };
                    r.at(
                        &n.span,
                        format!(
                            "`needs` names `{}`, which is not a check in this lesson{}",
                            n.v,
                            did_you_mean(&n.v, &others)
                        ),
                    )
                }
            }
        }
    }
    for cycle in find_cycles(&edges) {
        let names: Vec<&str> = cycle
            .iter()
            .map(|&i| checks[i].id.as_ref().map_or("?", |a| a.v.as_str()))
            .collect();
        let first_check = &checks[cycle[0]];
        let span = first_check
            .needs_span
            .clone()
            .unwrap_or_else(|| first_check.head.clone());
        let mut path = names.join(" → ");
        path.push_str(" → ");
        path.push_str(names[0]);
        r.at(
            &span,
            format!("checks need each other in a circle ({path}); none of them could ever run"),
        );
    }
}

/// Each elementary cycle found by a depth-first search (iterative; each
/// node is in at most one reported cycle).
fn find_cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Color {
        White,
        Gray,
        Black,
    }
    let mut color = vec![Color::White; edges.len()];
    let mut in_cycle = vec![false; edges.len()];
    let mut cycles = Vec::new();
    for start in 0..edges.len() {
        if color[start] != Color::White {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        color[start] = Color::Gray;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = edges[node].get(*next) {
                *next += 1;
                match color[to] {
                    Color::White => {
                        color[to] = Color::Gray;
                        stack.push((to, 0));
                    }
                    Color::Gray => {
                        let pos = stack.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let cycle: Vec<usize> = stack[pos..].iter().map(|(n, _)| *n).collect();
                        if cycle.iter().all(|n| !in_cycle[*n]) {
                            for n in &cycle {
                                in_cycle[*n] = true;
                            }
                            cycles.push(cycle);
                        }
                    }
                    Color::Black => {}
                }
            } else {
                color[node] = Color::Black;
                stack.pop();
            }
        }
    }
    cycles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::model::{CheckKind, PathSet, Reach};
    use crate::lesson::Namespace;

    fn lesson(text: &str) -> (Option<ParsedLesson>, Vec<String>) {
        let (l, d) = parse_lesson(Path::new("01-x/lesson.md"), text.as_bytes(), "01-x");
        (l, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn default_ids() {
        assert_eq!(default_id("02-multi-stage"), "multi-stage");
        assert_eq!(default_id("multi-stage"), "multi-stage");
        assert_eq!(default_id("02-"), "02-");
        assert_eq!(default_id("123"), "123");
        assert_eq!(default_id("1-a-b"), "a-b");
    }

    #[test]
    fn parses_a_full_lesson() {
        let text = "+++\ntitle = \"T\"\nsummary = \"S\"\nimages = [\"golang:1.22\"]\nrequires = [\"swarm\"]\n\
            creates = { images = [\"a\"], volumes = [\"v\"] }\nhints = [\"h1\", \"h2\"]\n\n\
            [[check]]\nid = \"small\"\ntitle = \"small\"\nkind = \"image.size\"\nimage = \"a\"\nmax = \"20MB\"\n\n\
            [[check]]\nid = \"shell\"\ntitle = \"no shell\"\nkind = \"image.lacks\"\nimage = \"a\"\nsets = [\"shell\"]\nneeds = [\"small\"]\n\
            +++\n# Body\n";
        let (l, d) = lesson(text);
        assert!(d.is_empty(), "{d:?}");
        let l = l.expect("lesson").lesson;
        assert_eq!(l.id, "x");
        assert_eq!(l.title, "T");
        assert_eq!(l.requires, vec!["swarm"]);
        assert_eq!(l.creates.volumes, vec!["v"]);
        assert_eq!(l.hints.len(), 2);
        assert_eq!(l.body, "# Body\n");
        assert_eq!(l.body_line, 24);
        assert_eq!(
            l.checks[0].kind,
            CheckKind::ImageSize {
                image: "a".into(),
                max: Some(20_000_000),
                min: None
            }
        );
        assert_eq!(l.checks[1].needs, vec!["small"]);
        assert!(
            matches!(&l.checks[1].kind, CheckKind::ImageLacks { sets, .. } if sets == &[PathSet::Shell])
        );
    }

    #[test]
    fn reports_every_problem_with_positions() {
        let text = "+++\ntitel = \"T\"\n\n[[check]]\nid = \"a\"\ntitle = \"x\"\nkind = \"image.sise\"\n\n\
            [[check]]\nid = \"a\"\ntitle = \"y\"\nkind = \"network.reach\"\nfrom_network = \"bridge\"\nto = \"c\"\nexpect = \"unreachabel\"\nneeds = [\"zz\"]\n+++\n";
        let (_, d) = lesson(text);
        let expect = [
            "01-x/lesson.md:1:1: the front matter has no `title`",
            "01-x/lesson.md:2:1: unknown field `titel` in the front matter; did you mean `title`?",
            "01-x/lesson.md:7:8: unknown check kind `image.sise`; did you mean `image.size`?",
            "01-x/lesson.md:10:6: duplicate check id `a`; the first check with this id is on line 5",
            "01-x/lesson.md:15:10: `expect` must be \"reachable\" or \"unreachable\"; did you mean `unreachable`?",
            "01-x/lesson.md:16:10: `needs` names `zz`",
        ];
        for e in expect {
            assert!(
                d.iter().any(|l| l.starts_with(e)),
                "missing {e:?} in {d:#?}"
            );
        }
        assert_eq!(d.len(), expect.len(), "{d:#?}");
    }

    #[test]
    fn cycles_and_self_needs() {
        let text = "+++\ntitle = \"T\"\n\
            [[check]]\nid = \"a\"\ntitle = \"a\"\nkind = \"swarm.active\"\nneeds = [\"b\"]\n\
            [[check]]\nid = \"b\"\ntitle = \"b\"\nkind = \"swarm.active\"\nneeds = [\"a\"]\n\
            [[check]]\nid = \"c\"\ntitle = \"c\"\nkind = \"swarm.active\"\nneeds = [\"c\"]\n+++\n";
        let (_, d) = lesson(text);
        assert!(
            d.iter().any(|l| l
                .starts_with("01-x/lesson.md:7:9: checks need each other in a circle (a → b → a)")),
            "{d:#?}"
        );
        assert!(
            d.iter()
                .any(|l| l.starts_with("01-x/lesson.md:17:10: check `c` needs itself")),
            "{d:#?}"
        );
        assert_eq!(d.len(), 2, "{d:#?}");
    }

    #[test]
    fn kind_fields_and_types() {
        let text = "+++\ntitle = \"T\"\n\
            [[check]]\nid = \"run\"\ntitle = \"r\"\nkind = \"image.run\"\nimage = \"i\"\ntimeout = \"500ms\"\nexit_code = 0\nstdin = \"2 * 2\"\nstdout_equals = \"4\"\n\
            [[check]]\nid = \"port\"\ntitle = \"p\"\nkind = \"container.port\"\ncontainer = \"web\"\nport = 80\nhost_port = 8080\nreachable = true\n\
            [[check]]\nid = \"reach\"\ntitle = \"p\"\nkind = \"network.reach\"\nfrom_network = \"bridge\"\nto = \"web\"\nexpect = \"unreachable\"\n+++\n";
        let (l, d) = lesson(text);
        assert!(d.is_empty(), "{d:#?}");
        let l = l.expect("lesson").lesson;
        assert!(
            matches!(&l.checks[0].kind, CheckKind::ImageRun { timeout, exit_code: Some(0), stdin: Some(s), .. }
            if *timeout == std::time::Duration::from_millis(500) && s == "2 * 2")
        );
        assert_eq!(
            l.checks[1].kind,
            CheckKind::ContainerPort {
                container: "web".into(),
                port: "80/tcp".into(),
                host_port: Some(8080),
                reachable: true
            }
        );
        assert!(matches!(
            l.checks[2].kind,
            CheckKind::NetworkReach {
                expect: Reach::Unreachable,
                port: None,
                ..
            }
        ));
    }

    #[test]
    fn hardening_kinds_parse() {
        let text = "+++\ntitle = \"T\"\n\
            [[check]]\nid = \"sec\"\ntitle = \"s\"\nkind = \"container.security\"\ncontainer = \"api\"\nread_only = true\ntmpfs = [\"/tmp/\"]\ncap_drop = [\"all\"]\ncap_add = [\"cap_net_bind_service\"]\nno_new_privileges = true\nnot_root = true\nmemory = \"256MiB\"\npids = 100\n\
            [[check]]\nid = \"share\"\ntitle = \"s\"\nkind = \"container.shares\"\ncontainer = \"debugger\"\ntarget = \"api\"\nnamespaces = [\"network\", \"pid\", \"pid\"]\n\
            [[check]]\nid = \"hist\"\ntitle = \"h\"\nkind = \"image.history\"\nimage = \"api\"\npatterns = [\"dojo-token-*\"]\n+++\n";
        let (l, d) = lesson(text);
        assert!(d.is_empty(), "{d:#?}");
        let l = l.expect("lesson").lesson;
        let CheckKind::ContainerSecurity { container, spec } = &l.checks[0].kind else {
            panic!("{:?}", l.checks[0].kind)
        };
        assert_eq!(container, "api");
        assert_eq!(spec.cap_drop, ["ALL"]);
        assert_eq!(spec.cap_add, ["NET_BIND_SERVICE"]);
        assert_eq!(spec.memory, Some(256 * 1024 * 1024));
        assert_eq!(spec.pids, Some(100));
        assert_eq!(
            (spec.read_only, spec.no_new_privileges, spec.not_root),
            (Some(true), Some(true), true)
        );
        assert_eq!(
            l.checks[1].kind,
            CheckKind::ContainerShares {
                container: "debugger".into(),
                target: "api".into(),
                namespaces: vec![Namespace::Pid, Namespace::Network],
            }
        );
        assert_eq!(
            l.checks[2].kind,
            CheckKind::ImageHistory {
                image: "api".into(),
                patterns: vec!["dojo-token-*".into()],
            }
        );
    }

    #[test]
    fn hardening_kinds_name_what_is_wrong() {
        let text = "+++\ntitle = \"T\"\n\
            [[check]]\nid = \"sec\"\ntitle = \"s\"\nkind = \"container.security\"\ncontainer = \"api\"\ncap_drop = [\"NET_RAWR\"]\n\
            [[check]]\nid = \"none\"\ntitle = \"s\"\nkind = \"container.security\"\ncontainer = \"api\"\n\
            [[check]]\nid = \"share\"\ntitle = \"s\"\nkind = \"container.shares\"\ncontainer = \"api\"\ntarget = \"api\"\nnamespaces = [\"pids\"]\n\
            [[check]]\nid = \"hist\"\ntitle = \"h\"\nkind = \"image.history\"\nimage = \"api\"\npatterns = [\"**\"]\n+++\n";
        let (_, d) = lesson(text);
        let all = d.join("\n");
        assert!(
            all.contains(
                "lesson.md:8:13: `NET_RAWR` is not a Linux capability; did you mean `NET_RAW`?"
            ),
            "{all}"
        );
        assert!(all.contains("asks nothing of the container"), "{all}");
        assert!(all.contains("`pids` is not a namespace a container can share; use pid, network, ipc; did you mean `pid`?"), "{all}");
        assert!(
            all.contains("`container` and `target` are the same container"),
            "{all}"
        );
        assert!(all.contains("`**` would match every step"), "{all}");
        assert_eq!(d.len(), 5, "{all}");
    }

    #[test]
    fn a_flood_of_problems_is_capped() {
        let mut text = String::from("+++\ntitle = \"T\"\n");
        for i in 0..300 {
            text.push_str(&format!("bogus{i} = 1\n"));
        }
        text.push_str("+++\n");
        let (_, d) = lesson(&text);
        assert_eq!(d.len(), 201, "{d:#?}");
        assert!(
            d[0].starts_with("01-x/lesson.md:3:1: unknown field `bogus0`"),
            "{}",
            d[0]
        );
        assert_eq!(
            d[200],
            "01-x/lesson.md:1:1: ... and 100 more problems in this file"
        );
    }

    #[test]
    fn diagnostics_print_on_one_safe_line() {
        let d = Diagnostic::new("01-\u{1b}[31mx/lesson.md", 2, 3, "bad\nthing \u{7}");
        assert_eq!(d.to_string(), "01-^[[31mx/lesson.md:2:3: bad thing ^G");
    }

    #[test]
    fn manifest() {
        let (m, d) = parse_manifest(
            Path::new("pack.toml"),
            b"format_version = 1\ntitle = \"P\"\nprobe_image = \"busybox:1.36\"\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.expect("manifest").probe_image, "busybox:1.36");
        let (m, d) = parse_manifest(Path::new("pack.toml"), b"format_version = 2\ntitle = 3\n");
        assert!(m.is_none());
        let d: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert!(
            d[0].starts_with("pack.toml:1:1: pack.toml needs `probe_image`"),
            "{d:#?}"
        );
        assert!(
            d[1].starts_with("pack.toml:1:18: format_version 2 is newer"),
            "{d:#?}"
        );
        assert!(
            d[2].starts_with("pack.toml:2:9: `title` must be a string"),
            "{d:#?}"
        );
    }

    #[test]
    fn manifest_language() {
        let base = "format_version = 1\ntitle = \"P\"\nprobe_image = \"busybox:1.36\"\n";
        let (m, _) = parse_manifest(Path::new("pack.toml"), base.as_bytes());
        assert_eq!(m.expect("manifest").lang, "en");
        let (m, d) = parse_manifest(
            Path::new("pack.toml"),
            format!("{base}lang = \"de\"\n").as_bytes(),
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.expect("manifest").lang, "de");
        let (m, d) = parse_manifest(
            Path::new("pack.toml"),
            format!("{base}lang = \"German\"\n").as_bytes(),
        );
        assert!(m.is_none());
        assert_eq!(
            d[0].to_string(),
            "pack.toml:4:8: `German` is not a language tag; write e.g. lang = \"en\", \"de\" or \"pt-BR\""
        );
    }

    #[test]
    fn decode_positions() {
        let e = decode(Path::new("l.md"), b"ab\ncd\xffe", "lesson.md").expect_err("bad utf8");
        assert_eq!((e.line, e.col), (2, 3));
        let e = decode(Path::new("l.md"), b"\xef\xbb\xbfa\0", "lesson.md").expect_err("nul");
        assert_eq!((e.line, e.col), (1, 2));
        assert_eq!(
            decode(Path::new("l.md"), b"\xef\xbb\xbfok", "x").ok(),
            Some("ok")
        );
    }
}
