//! Arbitrary input never panics, at any width, and lines fit the width.

use dockdojo::markdown::{ColorMode, Document};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// Markdown-ish fragments, so the generator reaches tables, lists, quotes,
/// fences and their interactions far more often than random bytes would.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("  ".to_string()),
        Just("    ".to_string()),
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("```".to_string()),
        Just("```bash\n".to_string()),
        Just("```console\n$ ".to_string()),
        Just("```dockerfile\nFROM x\n".to_string()),
        Just("| a | b |\n|---|:-:|\n".to_string()),
        Just("| ".to_string()),
        Just("*".to_string()),
        Just("**".to_string()),
        Just("~~".to_string()),
        Just("`".to_string()),
        Just("[x](http://e.x)".to_string()),
        Just("![alt](i.png)".to_string()),
        Just("<b>".to_string()),
        Just("[^1]".to_string()),
        Just("[^1]: note\n".to_string()),
        Just("- [ ] ".to_string()),
        Just("> [!NOTE]\n".to_string()),
        Just("---\n".to_string()),
        Just("+++\n".to_string()),
        Just("\t".to_string()),
        Just("\x1b[31m".to_string()),
        Just("日本語".to_string()),
        Just("e\u{301}".to_string()),
        Just("🐳".to_string()),
        Just("❤\u{fe0f}".to_string()),
        Just("👩\u{200d}💻".to_string()),
        Just("\u{200b}".to_string()),
        "[a-z ]{0,12}",
        any::<String>(),
    ]
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(fragment(), 0..40).prop_map(|v| v.concat())
}

/// 300 cases; failures are saved beside this file, in
/// `markdown_props.proptest-regressions`, and re-run first. (proptest's
/// default would look for a `proptest-regressions/` folder beside the
/// folder of the binary's `main.rs`.)
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 300,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn never_panics_and_fits(md in markdown(), width in 1u16..200) {
        let doc = Document::parse_with(&md, ColorMode::TrueColor);
        let r = doc.layout(width);
        prop_assert_eq!(r.block_lines.len(), doc.code_blocks().len());
        let mut prev_end = 0;
        for range in &r.block_lines {
            prop_assert!(range.start >= prev_end && range.end <= r.lines.len());
            prop_assert!(range.end > range.start);
            prev_end = range.end;
        }
        for line in &r.lines {
            if width >= 2 {
                prop_assert!(line.width() <= usize::from(width),
                    "{} > {}: {:?}", line.width(), width, line);
            }
            for span in &line.spans {
                prop_assert!(!span.content.contains('\x1b'));
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(md in any::<String>(), width in 1u16..200) {
        let doc = Document::parse_with(&md, ColorMode::Palette256);
        let _ = doc.layout(width);
    }
}
