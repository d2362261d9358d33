//! Splitting `lesson.md` into TOML front matter (between `+++` lines) and
//! the CommonMark body, and mapping byte offsets back to `line:col`.

use std::ops::Range;

/// A lesson file split into its parts. Offsets are byte offsets into the
/// text given to [`split_front_matter`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML between the `+++` lines.
    pub toml: &'a str,
    /// Where `toml` starts in the text.
    pub toml_offset: usize,
    /// Everything after the closing `+++` line.
    pub body: &'a str,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

/// Why a lesson file could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The file is empty (or only whitespace).
    Empty,
    /// The first non-blank line is not `+++`; `line` is 1-based.
    NoFrontMatter { line: usize, yaml: bool },
    /// The opening `+++` at `line` has no closing `+++`.
    Unclosed { line: usize },
}

impl SplitError {
    /// (line, col, message) for a diagnostic.
    pub fn describe(&self) -> (usize, usize, String) {
        match self {
            SplitError::Empty => (
                1,
                1,
                "lesson.md is empty; it must start with TOML front matter between `+++` lines, \
                 with at least title = \"...\""
                    .to_string(),
            ),
            SplitError::NoFrontMatter { line, yaml: true } => (
                *line,
                1,
                "the front matter starts with `---` (YAML); dockdojo lessons use TOML between \
                 `+++` lines"
                    .to_string(),
            ),
            SplitError::NoFrontMatter { line, yaml: false } => (
                *line,
                1,
                "lesson.md must start with TOML front matter: a line `+++`, the TOML \
                 (title = \"...\", [[check]] ...), then another line `+++`"
                    .to_string(),
            ),
            SplitError::Unclosed { line } => (
                *line,
                1,
                format!(
                    "the front matter opened with `+++` on line {line} never closes: add a line \
                     `+++` after the last TOML line"
                ),
            ),
        }
    }
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// Split a lesson file (already stripped of a UTF-8 BOM). Blank lines before
/// the opening `+++` are allowed. Never panics, for any input.
pub fn split_front_matter(text: &str) -> Result<Split<'_>, SplitError> {
    let mut offset = 0usize;
    let mut line_no = 0usize;
    let mut lines = text.split_inclusive('\n');
    // Find the opening fence.
    let toml_offset = loop {
        let Some(line) = lines.next() else {
            return Err(SplitError::Empty);
        };
        line_no += 1;
        offset += line.len();
        if line.trim().is_empty() {
            continue;
        }
        if is_fence(line) {
            break offset;
        }
        return Err(SplitError::NoFrontMatter {
            line: line_no,
            yaml: line.trim_end() == "---",
        });
    };
    let open_line = line_no;
    // Find the closing fence.
    for line in lines {
        line_no += 1;
        if is_fence(line) {
            let toml = &text[toml_offset..offset];
            let body_start = offset + line.len();
            return Ok(Split {
                toml,
                toml_offset,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed { line: open_line })
}

/// Byte offset -> 1-based (line, column) in characters.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset; offsets
    /// past the end or inside a character are clamped.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut off = offset.min(self.text.len());
        while off > 0 && !self.text.is_char_boundary(off) {
            off -= 1;
        }
        let line = match self.starts.binary_search(&off) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0).min(off);
        let col = self.text.get(start..off).map_or(0, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Position of the start of a span.
    pub fn span_start(&self, span: &Range<usize>) -> (usize, usize) {
        self.line_col(span.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let text = "+++\ntitle = \"x\"\n+++\n# Body\ntext\n";
        let s = split_front_matter(text).expect("splits");
        assert_eq!(s.toml, "title = \"x\"\n");
        assert_eq!(s.toml_offset, 4);
        assert_eq!(s.body, "# Body\ntext\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn accepts_crlf_trailing_spaces_and_leading_blank_lines() {
        let text = "\r\n+++ \r\ntitle = \"x\"\r\n+++\r\nbody";
        let s = split_front_matter(text).expect("splits");
        assert_eq!(s.toml, "title = \"x\"\r\n");
        assert_eq!(s.body, "body");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn empty_front_matter_and_no_body() {
        let s = split_front_matter("+++\n+++").expect("splits");
        assert_eq!(s.toml, "");
        assert_eq!(s.body, "");
        assert_eq!(s.body_line, 3);
    }

    #[test]
    fn reports_each_kind_of_problem() {
        assert_eq!(split_front_matter(""), Err(SplitError::Empty));
        assert_eq!(split_front_matter("  \n\n"), Err(SplitError::Empty));
        assert_eq!(
            split_front_matter("\n# Title\n"),
            Err(SplitError::NoFrontMatter {
                line: 2,
                yaml: false
            })
        );
        assert_eq!(
            split_front_matter("---\ntitle: x\n---\n"),
            Err(SplitError::NoFrontMatter {
                line: 1,
                yaml: true
            })
        );
        assert_eq!(
            split_front_matter("+++\ntitle = \"x\"\n# body"),
            Err(SplitError::Unclosed { line: 1 })
        );
        // `++++` is not a fence.
        assert_eq!(
            split_front_matter("+++\na = 1\n++++\n"),
            Err(SplitError::Unclosed { line: 1 })
        );
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncé d\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(0), (1, 1));
        assert_eq!(idx.line_col(2), (1, 3));
        assert_eq!(idx.line_col(3), (2, 1));
        // 'd' comes after "cé " (é is two bytes)
        assert_eq!(idx.line_col(7), (2, 4));
        assert_eq!(idx.line_col(9), (3, 1));
        assert_eq!(idx.line_col(10), (4, 1));
        // inside a character and past the end are clamped
        assert_eq!(idx.line_col(5), (2, 2));
        assert_eq!(idx.line_col(999), (4, 2));
    }
}
