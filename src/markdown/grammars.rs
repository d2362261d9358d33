//! The grammars code is highlighted with, loaded in two tiers.
//!
//! two-face's set has about 200 grammars. Loading it costs about 1 MB of the
//! binary's pages and 1.5 MB of heap, though lessons use a handful. So the
//! binary also carries `grammars.bin`: the same set with every grammar that
//! none of [`BUNDLED`]'s languages needs reduced to an empty, unnamed stub
//! (stubs keep every grammar at its index, so the links between the grammars
//! that stay are untouched). It is what highlighting uses first. A language
//! it lacks (a custom pack's Ruby, say) loads two-face's whole set, once, on
//! first use: every language two-face knows is still highlighted.
//!
//! `grammars.bin` is generated from two-face's set: the test
//! `bundled_grammars_are_two_face_s` checks the file against it, and
//! `DOCKDOJO_UPDATE_GRAMMARS=1 cargo test --lib bundled_grammars` writes it
//! again (after a two-face upgrade, or a change to [`BUNDLED`]).

use std::sync::OnceLock;

use syntect::parsing::{SyntaxReference, SyntaxSet};

/// The languages (fence tokens, as [`super::highlight::mode_for`] names
/// them) whose grammars are bundled: every language the lesson format names.
#[cfg(test)]
pub(crate) const BUNDLED: [&str; 14] = [
    "bash",
    "dockerfile",
    "go",
    "python",
    "json",
    "toml",
    "yaml",
    "rust",
    "js",
    "ts",
    "c",
    "ini",
    "makefile",
    "diff",
];

static BUNDLED_DUMP: &[u8] = include_bytes!("grammars.bin");

static BUNDLED_SET: OnceLock<SyntaxSet> = OnceLock::new();
static FULL_SET: OnceLock<SyntaxSet> = OnceLock::new();

/// A grammar and the set it belongs to (highlighting needs both).
#[derive(Clone, Copy)]
pub(crate) struct Grammar {
    pub set: &'static SyntaxSet,
    pub syntax: &'static SyntaxReference,
}

fn bundled() -> &'static SyntaxSet {
    BUNDLED_SET.get_or_init(|| {
        // The dump is generated and checked by this module's tests; should it
        // ever not load, two-face's whole set still highlights everything.
        syntect::dumps::from_uncompressed_data(BUNDLED_DUMP).unwrap_or_else(|e| {
            tracing::warn!("bundled grammars do not load ({e}); using the whole set");
            full().clone()
        })
    })
}

fn full() -> &'static SyntaxSet {
    FULL_SET.get_or_init(two_face::syntax::extra_newlines)
}

/// The grammar a fence token names (by extension or name), from the bundled
/// grammars, or else from two-face's whole set.
pub(crate) fn find(token: &str) -> Option<Grammar> {
    let set = bundled();
    if let Some(syntax) = set.find_syntax_by_token(token) {
        return Some(Grammar { set, syntax });
    }
    let set = full();
    set.find_syntax_by_token(token)
        .map(|syntax| Grammar { set, syntax })
}

/// Load the bundled grammars now.
pub(crate) fn load() {
    bundled();
}

#[cfg(test)]
mod generate {
    //! Builds the bundled set from two-face's.

    use std::collections::BTreeSet;

    use syntect::parsing::{SyntaxDefinition, SyntaxSet, SyntaxSetBuilder};

    /// Every `syntax_index` a grammar's contexts point to (its embeds,
    /// includes, pushes and prototypes, all linked to direct context ids).
    /// `ContextId`'s fields are private; its serde form is public.
    fn referenced(def: &SyntaxDefinition) -> BTreeSet<usize> {
        fn walk(v: &serde_json::Value, out: &mut BTreeSet<usize>) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(i) = m.get("syntax_index").and_then(serde_json::Value::as_u64) {
                        out.insert(i as usize);
                    }
                    m.values().for_each(|v| walk(v, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut out = BTreeSet::new();
        let json = serde_json::to_value(&def.contexts).expect("grammar contexts serialize");
        walk(&json, &mut out);
        out
    }

    /// The indices of the grammars `tokens` name, with everything they
    /// reference, transitively.
    pub(super) fn needed(
        full: &SyntaxSet,
        defs: &[SyntaxDefinition],
        tokens: &[&str],
    ) -> BTreeSet<usize> {
        let index = |name: &str| full.syntaxes().iter().position(|s| s.name == name);
        let mut todo: Vec<usize> = tokens
            .iter()
            .map(|t| {
                let s = full
                    .find_syntax_by_token(t)
                    .unwrap_or_else(|| panic!("two-face has no grammar for {t:?}"));
                index(&s.name).expect("found by token, so listed")
            })
            .chain(index("Plain Text"))
            .collect();
        let mut keep = BTreeSet::new();
        while let Some(i) = todo.pop() {
            if keep.insert(i) {
                todo.extend(referenced(&defs[i]));
            }
        }
        keep
    }

    /// two-face's set with every grammar outside `keep` an empty stub that
    /// no token finds.
    pub(super) fn bundled_set(tokens: &[&str]) -> SyntaxSet {
        let full = two_face::syntax::extra_newlines();
        let defs: Vec<SyntaxDefinition> = full.clone().into_builder().syntaxes().to_vec();
        let keep = needed(&full, &defs, tokens);
        let mut builder = SyntaxSetBuilder::new();
        for (i, def) in defs.into_iter().enumerate() {
            if keep.contains(&i) {
                builder.add(def);
            } else {
                builder.add(SyntaxDefinition {
                    name: String::new(),
                    file_extensions: Vec::new(),
                    scope: def.scope,
                    first_line_match: None,
                    hidden: true,
                    variables: Default::default(),
                    contexts: Default::default(),
                });
            }
        }
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::highlight::{highlight_with, mode_for, Mode};
    use crate::theme::Theme;

    /// A few lines in each bundled language, touching what its grammar embeds
    /// (the shell in a Dockerfile's RUN, say).
    const SAMPLES: [(&str, &str); 14] = [
        ("bash", "for f in *.go; do echo \"$f\" | wc -l; done # count\n"),
        ("dockerfile", "FROM golang:1.25 AS build\nRUN go build -o /app . && echo \"${HOME}\"\nCOPY --from=build /app /app\nENTRYPOINT [\"/app\"]\n"),
        ("go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(`hi`, 1.5) }\n"),
        ("python", "def f(x: int) -> str:\n    return f\"{x!r}\"  # note\n"),
        ("json", "{\"a\": [1, true, null, \"s\"]}\n"),
        ("toml", "[lesson]\ntitle = \"x\"\nsize = 3\n"),
        ("yaml", "services:\n  web:\n    image: nginx # x\n    ports: [\"80:80\"]\n"),
        ("rust", "fn main() { let v: Vec<u8> = vec![1]; println!(\"{v:?}\"); }\n"),
        ("js", "const f = async (x) => `${x}`; // c\n"),
        ("ts", "function f(x: number): string { return String(x); }\n"),
        ("c", "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 1); }\n"),
        ("ini", "[section]\nkey = value ; c\n"),
        ("makefile", "all: app\n\tgo build -o $@ .\n"),
        ("diff", "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new\n"),
    ];

    #[test]
    fn bundled_grammars_are_two_face_s() {
        let expected = generate::bundled_set(&BUNDLED);
        if std::env::var("DOCKDOJO_UPDATE_GRAMMARS").as_deref() == Ok("1") {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/markdown/grammars.bin");
            syntect::dumps::dump_to_uncompressed_file(&expected, path).expect("write grammars.bin");
        }
        let loaded: SyntaxSet =
            syntect::dumps::from_uncompressed_data(BUNDLED_DUMP).expect("grammars.bin loads");
        let names = |s: &SyntaxSet| -> Vec<(String, String)> {
            s.syntaxes()
                .iter()
                .map(|r| (r.name.clone(), format!("{:?}", r.file_extensions)))
                .collect()
        };
        assert_eq!(
            names(&loaded),
            names(&expected),
            "grammars.bin is not two-face's set for BUNDLED: run \
             DOCKDOJO_UPDATE_GRAMMARS=1 cargo test --lib bundled_grammars"
        );
    }

    #[test]
    fn every_bundled_language_highlights_as_with_the_whole_set() {
        assert_eq!(SAMPLES.map(|(l, _)| l), BUNDLED);
        for theme in [Theme::dark(), Theme::light()] {
            for (lang, code) in SAMPLES {
                let Mode::Syntax(token) = mode_for(lang) else {
                    panic!("{lang} is not a grammar token");
                };
                let grammar = find(token).expect("bundled");
                assert!(
                    std::ptr::eq(grammar.set, bundled()),
                    "{lang} came from the whole set"
                );
                let whole = Grammar {
                    set: full(),
                    syntax: full().find_syntax_by_token(token).expect("two-face has it"),
                };
                assert_eq!(grammar.syntax.name, whole.syntax.name, "{lang}");
                assert_eq!(
                    highlight_with(grammar, code, &theme),
                    highlight_with(whole, code, &theme),
                    "{lang} highlights differently with the bundled grammars"
                );
            }
        }
    }

    #[test]
    fn a_language_outside_the_bundle_comes_from_the_whole_set() {
        let ruby = find("ruby").expect("two-face has Ruby");
        assert_eq!(ruby.syntax.name, "Ruby");
        assert!(!std::ptr::eq(ruby.set, bundled()));
        assert!(bundled().find_syntax_by_token("ruby").is_none());
        let lines = highlight_with(ruby, "puts 'hi' # greet\n", &Theme::dark());
        assert!(lines[0].len() > 1, "Ruby is coloured: {lines:?}");
        assert!(find("klingon").is_none());
    }
}
