//! A small spanned TOML tree built from `toml_edit`, so that every key and
//! value can be traced back to `line:col` in the file, plus a reporter that
//! turns spans into diagnostics.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{ImDocument, Item, Value};

use super::diag::Diagnostic;
use super::frontmatter::LineIndex;

/// Deeper structures than this are not needed by any lesson field.
const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone)]
pub enum V {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Datetime,
    Array(Vec<Node>),
    /// `[[x]]` arrays of tables, kept apart for better messages.
    TableArray(Vec<Node>),
    Table(Table),
    /// Nested deeper than any lesson field goes.
    TooDeep,
}

#[derive(Debug, Clone)]
pub struct Node {
    pub v: V,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    pub node: Node,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub entries: Vec<Entry>,
    /// `[header]` tables written with a header (as opposed to inline).
    pub header: bool,
}

impl Table {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

impl V {
    /// Words for "found ..." in type errors.
    pub fn describe(&self) -> &'static str {
        match self {
            V::Str(_) => "a string",
            V::Int(_) => "a whole number",
            V::Float(_) => "a decimal number",
            V::Bool(_) => "true/false",
            V::Datetime => "a date",
            V::Array(_) => "a list",
            V::TableArray(_) => "a list of tables",
            V::Table(_) => "a table",
            V::TooDeep => "a deeply nested value",
        }
    }
}

/// Parse TOML into a spanned tree. Errors: (span, message).
pub fn parse(text: &str) -> Result<Table, (Range<usize>, String)> {
    let doc = ImDocument::parse(text).map_err(|e| {
        let msg = e
            .message()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        let span = e.span().unwrap_or(0..0);
        let hint = friendly(&msg, text, span.start);
        (span, format!("{msg}{hint}"))
    })?;
    Ok(convert_table(doc.as_table(), 0))
}

/// A plain-words hint for the TOML mistakes authors make most.
fn friendly(msg: &str, text: &str, at: usize) -> &'static str {
    let here = text.get(at..).and_then(|t| t.chars().next());
    if here == Some(':') && msg.contains("expected `.`, `=`") {
        " (TOML writes `key = value`, not `key: value`)"
    } else if msg.starts_with("invalid basic string") || msg.starts_with("invalid literal string") {
        " (is the closing quote missing on this line?)"
    } else if msg.starts_with("invalid multiline") {
        " (a string opened with three quotes is never closed)"
    } else if msg.starts_with("invalid inline table") {
        " (an inline table `{ ... }` must be on one line; use a [table] header for longer ones)"
    } else if msg.starts_with("invalid string") {
        " (text values need quotes, e.g. kind = \"image.size\")"
    } else if msg.starts_with("invalid array") {
        " (is a `]` or a comma missing?)"
    } else {
        ""
    }
}

fn convert_table(t: &toml_edit::Table, depth: usize) -> Table {
    let mut entries = Vec::new();
    for (key, item) in t.iter() {
        let key_span = t.key(key).and_then(|k| k.span()).unwrap_or(0..0);
        if let Some(node) = convert_item(item, depth + 1, &key_span) {
            entries.push(Entry {
                key: key.to_string(),
                key_span,
                node,
            });
        }
    }
    Table {
        entries,
        header: !t.is_dotted() && !t.is_implicit(),
    }
}

fn convert_inline(t: &toml_edit::InlineTable, depth: usize) -> Table {
    let mut entries = Vec::new();
    for (key, value) in t.iter() {
        let key_span = t.key(key).and_then(|k| k.span()).unwrap_or(0..0);
        entries.push(Entry {
            key: key.to_string(),
            key_span: key_span.clone(),
            node: convert_value(value, depth + 1, &key_span),
        });
    }
    Table {
        entries,
        header: false,
    }
}

fn convert_item(item: &Item, depth: usize, fallback: &Range<usize>) -> Option<Node> {
    let span = item.span().unwrap_or_else(|| fallback.clone());
    if depth > MAX_DEPTH {
        return Some(Node {
            v: V::TooDeep,
            span,
        });
    }
    let v = match item {
        Item::None => return None,
        Item::Value(v) => return Some(convert_value(v, depth, fallback)),
        Item::Table(t) => V::Table(convert_table(t, depth)),
        Item::ArrayOfTables(a) => V::TableArray(
            a.iter()
                .map(|t| Node {
                    span: t.span().unwrap_or_else(|| span.clone()),
                    v: V::Table(convert_table(t, depth + 1)),
                })
                .collect(),
        ),
    };
    Some(Node { v, span })
}

fn convert_value(value: &Value, depth: usize, fallback: &Range<usize>) -> Node {
    let span = value.span().unwrap_or_else(|| fallback.clone());
    if depth > MAX_DEPTH {
        return Node {
            v: V::TooDeep,
            span,
        };
    }
    let v = match value {
        Value::String(s) => V::Str(s.value().clone()),
        Value::Integer(i) => V::Int(*i.value()),
        Value::Float(f) => V::Float(*f.value()),
        Value::Boolean(b) => V::Bool(*b.value()),
        Value::Datetime(_) => V::Datetime,
        Value::Array(a) => V::Array(
            a.iter()
                .map(|v| convert_value(v, depth + 1, &span))
                .collect(),
        ),
        Value::InlineTable(t) => V::Table(convert_inline(t, depth)),
    };
    Node { v, span }
}

/// Most problems reported for one file; the rest are summarised.
pub const MAX_PER_FILE: usize = 200;

/// Collects diagnostics for one file, mapping spans relative to `base`.
pub struct Reporter<'a> {
    pub path: PathBuf,
    index: LineIndex<'a>,
    base: usize,
    pub diags: Vec<Diagnostic>,
    dropped: usize,
}

impl<'a> Reporter<'a> {
    pub fn new(path: &Path, text: &'a str, base: usize) -> Self {
        Reporter {
            path: path.to_path_buf(),
            index: LineIndex::new(text),
            base,
            diags: Vec::new(),
            dropped: 0,
        }
    }

    /// Report at a span of the TOML text (relative to `base`).
    pub fn at(&mut self, span: &Range<usize>, msg: impl Into<String>) {
        let (line, col) = self.index.line_col(self.base + span.start);
        self.at_line(line, col, msg);
    }

    /// Report at a file position.
    pub fn at_line(&mut self, line: usize, col: usize, msg: impl Into<String>) {
        if self.diags.len() >= MAX_PER_FILE {
            self.dropped += 1;
            return;
        }
        self.diags
            .push(Diagnostic::new(self.path.clone(), line, col, msg));
    }

    /// True once the per-file limit is reached: further problems are only
    /// counted, so callers may skip building messages.
    pub fn is_full(&self) -> bool {
        self.diags.len() >= MAX_PER_FILE
    }

    /// The 1-based (line, col) of a span's start.
    pub fn pos(&self, span: &Range<usize>) -> (usize, usize) {
        self.index.line_col(self.base + span.start)
    }

    /// The 1-based line of a span.
    pub fn line_of(&self, span: &Range<usize>) -> usize {
        self.index.line_col(self.base + span.start).0
    }

    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.diags.sort_by_key(|d| (d.line, d.col));
        if self.dropped > 0 {
            let more = self.dropped;
            self.diags.push(Diagnostic::new(
                self.path.clone(),
                0,
                0,
                format!("... and {more} more problems in this file"),
            ));
        }
        self.diags
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = "title = \"x\"\n[[check]]\nid = \"a\"\nmax = 3\n";
        let t = parse(text).expect("parses");
        let title = t.get("title").expect("title");
        assert_eq!(&text[title.key_span.clone()], "title");
        assert_eq!(&text[title.node.span.clone()], "\"x\"");
        let check = t.get("check").expect("check");
        let V::TableArray(items) = &check.node.v else {
            panic!("not a table array: {:?}", check.node.v)
        };
        assert!(text[items[0].span.clone()].starts_with("[[check]]\n"));
        let V::Table(c) = &items[0].v else {
            panic!("not a table")
        };
        let max = c.get("max").expect("max");
        assert!(matches!(max.node.v, V::Int(3)));
        assert_eq!(&text[max.key_span.clone()], "max");
    }

    #[test]
    fn reports_errors_with_a_span() {
        let (span, msg) = parse("a = 1\na = 2\n").expect_err("duplicate key");
        assert!(msg.contains("duplicate key"), "{msg}");
        assert_eq!(span.start, 6);
        let (_, msg) = parse("a = [1, 2").expect_err("unclosed");
        assert!(!msg.is_empty());
    }

    #[test]
    fn deep_nesting_is_refused_or_bounded() {
        let deep = format!("a = {}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep).is_err());
        let dotted = format!("{} = 1", vec!["k"; 60].join("."));
        let t = parse(&dotted).expect("parses");
        assert!(t.get("k").is_some());
    }
}
