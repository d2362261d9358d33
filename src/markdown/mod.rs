//! Lesson pane Markdown: a pulldown-cmark walker to ratatui Text, syntect highlighting.

use std::ops::Range;

use ratatui::text::Line;

/// Parsed + highlighted once per lesson load (highlighting happens here, never per frame).
pub struct Document {
    source: String,
    code_blocks: Vec<CodeBlock>,
}

/// The lines for one width.
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    /// For each code block (same order as [`Document::code_blocks`]), the range of `lines` it occupies.
    pub block_lines: Vec<Range<usize>>,
}

/// A fenced or indented code block of the lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub lang: String,
    pub code: String,
    /// bash/sh/console/shell blocks can be sent to the console.
    pub sendable: bool,
}

impl Document {
    pub fn parse(markdown: &str) -> Document {
        Document {
            source: crate::sanitize::clean(markdown),
            code_blocks: Vec::new(),
        }
    }

    /// Lay out for a width, cheap enough to redo on resize.
    pub fn layout(&self, _width: u16) -> Rendered {
        Rendered {
            lines: self
                .source
                .lines()
                .map(|l| Line::from(l.to_string()))
                .collect(),
            block_lines: Vec::new(),
        }
    }

    pub fn code_blocks(&self) -> &[CodeBlock] {
        &self.code_blocks
    }
}

/// For a `console` block, the commands without `$ ` prompts and without output
/// lines; for bash/sh the code as is.
pub fn command_text(block: &CodeBlock) -> String {
    block.code.trim_end().to_string()
}
