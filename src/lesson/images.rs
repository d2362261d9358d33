//! The pack's image table: one place to name the images the lessons use.
//!
//! ```toml
//! [images]
//! go = "golang:1.25-trixie"
//! ```
//!
//! `{{image.go}}` in a lesson.md (front matter and body) and in its starter
//! and solution files becomes `golang:1.25-trixie` when the pack loads, so
//! the next version of an image is a one-line change in pack.toml.

use std::collections::BTreeMap;
use std::path::Path;

use super::diag::Diagnostic;
use super::frontmatter::LineIndex;
use super::tree::{self, V};

const OPEN: &str = "{{image.";
const CLOSE: &str = "}}";

/// The `[images]` table of pack.toml (empty when there is none), and what
/// is wrong with it.
pub fn parse_table(path: &Path, text: &str) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut out = BTreeMap::new();
    let mut diags = Vec::new();
    let Ok(t) = tree::parse(text) else {
        return (out, diags); // the manifest's own parse reports bad TOML
    };
    let Some(e) = t.get("images") else {
        return (out, diags);
    };
    let lines = LineIndex::new(text);
    let at = |span: &std::ops::Range<usize>, msg: String| {
        let (l, c) = lines.line_col(span.start);
        Diagnostic::new(path, l, c, msg)
    };
    let V::Table(table) = &e.node.v else {
        diags.push(at(
            &e.node.span,
            format!(
                "`images` must be a table of names, e.g. [images] go = \"golang:1.25-trixie\"; found {}",
                e.node.v.describe()
            ),
        ));
        return (out, diags);
    };
    for entry in &table.entries {
        if !valid_name(&entry.key) {
            diags.push(at(
                &entry.key_span,
                format!(
                    "image name `{}` may hold only lowercase letters, digits, `-` and `_`",
                    entry.key
                ),
            ));
            continue;
        }
        match &entry.node.v {
            V::Str(s) if !s.trim().is_empty() && !s.chars().any(char::is_whitespace) => {
                out.insert(entry.key.clone(), s.clone());
            }
            other => diags.push(at(
                &entry.node.span,
                format!(
                    "image `{}` must be an image reference such as \"golang:1.25-trixie\"; found {}",
                    entry.key,
                    other.describe()
                ),
            )),
        }
    }
    (out, diags)
}

fn valid_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// `text` with every `{{image.NAME}}` replaced from `images`. An unknown
/// name, or a `{{image.` that is never closed, is reported at its line and
/// column (and left as it is).
pub fn expand(
    path: &Path,
    text: &str,
    images: &BTreeMap<String, String>,
) -> (String, Vec<Diagnostic>) {
    if !text.contains(OPEN) {
        return (text.to_string(), Vec::new());
    }
    let lines = LineIndex::new(text);
    let mut out = String::with_capacity(text.len());
    let mut diags = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        let at = offset + i;
        let end = after.find(CLOSE).filter(|&e| !after[..e].contains('\n'));
        match end {
            Some(e) => {
                let name = after[..e].trim();
                match images.get(name) {
                    Some(r) => out.push_str(r),
                    None => {
                        let (l, c) = lines.line_col(at);
                        let known: Vec<&str> = images.keys().map(String::as_str).collect();
                        let hint = super::suggest::did_you_mean(name, &known);
                        diags.push(Diagnostic::new(
                            path,
                            l,
                            c,
                            if known.is_empty() {
                                format!(
                                    "`{{{{image.{name}}}}}` names an image, but pack.toml has no [images] table"
                                )
                            } else {
                                format!(
                                    "unknown image `{name}` in `{{{{image.{name}}}}}` (pack.toml's [images]: {}){hint}",
                                    known.join(", ")
                                )
                            },
                        ));
                        out.push_str(&rest[i..i + OPEN.len() + e + CLOSE.len()]);
                    }
                }
                let consumed = i + OPEN.len() + e + CLOSE.len();
                offset += consumed;
                rest = &rest[consumed..];
            }
            None => {
                let (l, c) = lines.line_col(at);
                diags.push(Diagnostic::new(
                    path,
                    l,
                    c,
                    "`{{image.` is never closed with `}}` on its line",
                ));
                out.push_str(OPEN);
                offset += i + OPEN.len();
                rest = after;
            }
        }
    }
    out.push_str(rest);
    (out, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> BTreeMap<String, String> {
        BTreeMap::from([
            ("go".to_string(), "golang:1.25-trixie".to_string()),
            (
                "static".to_string(),
                "gcr.io/distroless/static-debian13".to_string(),
            ),
        ])
    }

    #[test]
    fn names_become_references() {
        let (t, d) = expand(
            Path::new("x"),
            "FROM {{image.go}} AS build\nFROM {{ image.static }}x\nFROM {{image.static}}:nonroot\n",
            &table(),
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            t,
            "FROM golang:1.25-trixie AS build\nFROM {{ image.static }}x\nFROM gcr.io/distroless/static-debian13:nonroot\n"
        );
    }

    #[test]
    fn unknown_and_unclosed_names_are_reported_where_they_are() {
        let (t, d) = expand(
            Path::new("01-a/lesson.md"),
            "one\nFROM {{image.goo}}\nand {{image.go\n",
            &table(),
        );
        let d: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].starts_with("01-a/lesson.md:2:6: unknown image `goo`"),
            "{}",
            d[0]
        );
        assert!(d[0].contains("did you mean `go`?"), "{}", d[0]);
        assert!(
            d[1].starts_with("01-a/lesson.md:3:5: `{{image.` is never closed"),
            "{}",
            d[1]
        );
        assert_eq!(t, "one\nFROM {{image.goo}}\nand {{image.go\n");
    }

    #[test]
    fn the_table_is_checked() {
        let (m, d) = parse_table(
            Path::new("pack.toml"),
            "format_version = 1\n[images]\ngo = \"golang:1.25-trixie\"\nBad = \"x\"\nempty = \"\"\n",
        );
        assert_eq!(m.get("go").map(String::as_str), Some("golang:1.25-trixie"));
        let d: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].starts_with("pack.toml:4:1: image name `Bad`"),
            "{}",
            d[0]
        );
        assert!(d[1].starts_with("pack.toml:5:9: image `empty`"), "{}", d[1]);
    }
}
