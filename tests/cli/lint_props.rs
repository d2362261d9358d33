//! Property tests: the front-matter splitter, the lesson and manifest
//! parsers, the size parser, the pack builder and the Markdown parser never
//! panic on arbitrary input, and every diagnostic points inside its file.
//! Case counts are bounded so the whole file runs in seconds.

use std::path::Path;

use dockdojo::lesson::frontmatter::split_front_matter;
use dockdojo::lesson::parse::{parse_lesson, parse_manifest};
use dockdojo::lesson::size::parse_size;
use dockdojo::lesson::{load_entries, PackSource, SourceEntry};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces authors write, so random combinations reach deep into validation.
const PIECES: &[&str] = &[
    "+++\n",
    "+++\r\n",
    "title = \"T\"\n",
    "id = \"x\"\n",
    "id = \"../x\"\n",
    "summary = 3\n",
    "requires = [\"swarm\", \"ipv6\"]\n",
    "creates = { images = [\"a\"], bogus = 1 }\n",
    "hints = [\"a\", 2]\n",
    "[[check]]\n",
    "[check]\n",
    "id = \"a\"\n",
    "id = \"b\"\n",
    "title = \"c\"\n",
    "kind = \"image.size\"\n",
    "kind = \"image.run\"\n",
    "kind = \"network.reach\"\n",
    "kind = \"image.lacks\"\n",
    "kind = \"container.port\"\n",
    "kind = \"nope\"\n",
    "image = \"app\"\n",
    "max = \"20XB\"\n",
    "max = 1e400\n",
    "max = -1\n",
    "min = \"1MB\"\n",
    "sets = [\"shell\", \"x\"]\n",
    "paths = [\"rel\"]\n",
    "needs = [\"a\"]\n",
    "needs = [\"b\", \"zz\"]\n",
    "timeout = \"0s\"\n",
    "port = \"99999/tcp\"\n",
    "expect = \"maybe\"\n",
    "options = { a = { b = [1] } }\n",
    "x = [[[[[[[[1]]]]]]]]\n",
    "\u{feff}",
    "\u{1b}[2J",
    "é",
    "\"unterminated\n",
    "# body\n> > > - - [x](\n",
    "\n",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn assert_inside(text: &str, diags: &[dockdojo::lesson::Diagnostic]) {
    let lines = text.split('\n').count();
    for d in diags {
        assert!(
            d.line <= lines.max(1),
            "{d} is past the last line ({lines})"
        );
        let line_text = text.split('\n').nth(d.line.saturating_sub(1)).unwrap_or("");
        let cols = line_text.chars().count() + 1;
        assert!(d.col <= cols, "{d} is past the end of its line ({cols})");
        assert!(!d.message.is_empty());
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn splitter_never_panics(s in any::<String>()) {
        if let Ok(split) = split_front_matter(&s) {
            prop_assert!(split.toml_offset <= s.len());
            prop_assert!(split.body_line >= 3);
            prop_assert!(s.ends_with(split.body));
        }
    }

    #[test]
    fn size_parser_never_panics(s in any::<String>()) {
        let _ = parse_size(&s);
    }

    #[test]
    fn size_parser_on_size_like_strings(s in "[0-9.]{0,30}[ ]?[kKmMgGtTiIbB]{0,4}") {
        if let Ok(n) = parse_size(&s) {
            prop_assert!(n as f64 <= u64::MAX as f64);
        }
    }

    #[test]
    fn lesson_parser_never_panics_on_bytes(b in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = parse_lesson(Path::new("01-a/lesson.md"), &b, "01-a");
        let _ = parse_manifest(Path::new("pack.toml"), &b);
    }

    #[test]
    fn lesson_parser_points_inside_the_file(
        s in (pieces(), pieces(), any::<bool>()).prop_map(|(a, b, close)| {
            format!("+++\n{a}{}{b}", if close { "+++\n" } else { "" })
        })
    ) {
        let (_, diags) = parse_lesson(Path::new("01-a/lesson.md"), s.as_bytes(), "01-a");
        let text = s.strip_prefix('\u{feff}').unwrap_or(&s);
        assert_inside(text, &diags);
        let (_, diags) = parse_manifest(Path::new("pack.toml"), s.as_bytes());
        assert_inside(text, &diags);
    }

    #[test]
    fn markdown_bodies_parse(s in any::<String>(), nest in 0usize..5000) {
        let mut body = "> ".repeat(nest);
        body.push_str(&s);
        body.push_str(&"- ".repeat(nest));
        let events = pulldown_cmark::Parser::new(&body).count();
        prop_assert!(events > 0 || body.trim().is_empty());
    }

    #[test]
    fn pack_builder_never_panics_and_never_escapes(
        files in prop::collection::vec(
            (prop::sample::select(&["pack.toml", "01-a/lesson.md", "01-a/starter/../x", "/abs",
                "01-a/starter/f", "01-a/solution/solve.sh", "02-b/x", "", "a//b", "./c",
                "01-a/starter/", "_d/lesson.md"][..]),
             pieces()),
            0..8)
    ) {
        let entries: Vec<SourceEntry> = files
            .iter()
            .map(|(rel, body)| SourceEntry::file(*rel, body.as_bytes(), false))
            .collect();
        if let Ok(pack) = load_entries(PackSource::BuiltIn, Path::new("p"), entries) {
            for l in &pack.lessons {
                for f in l.starter.iter().chain(&l.solution) {
                    prop_assert!(f.rel_path.components().all(|c| matches!(c, std::path::Component::Normal(_))));
                }
            }
        }
    }
}
