//! Lesson pane Markdown: our own pulldown-cmark walker to ratatui lines, with
//! fenced code highlighted by syntect (two-face grammars).
//!
//! [`Document::parse`] does the expensive work once per lesson load (parsing,
//! sanitizing, highlighting); [`Document::layout`] wraps for a width and is
//! cheap enough to redo on every resize. Nothing here runs per frame.

mod grammars;
mod highlight;
mod layout;
mod parse;
mod wrap;

use std::ops::Range;

use ratatui::style::{Color, Style};
use ratatui::text::Line;

use crate::theme::Theme;

pub use highlight::{has_grammar, is_loaded, rgb_to_xterm256, warm_up, ColorMode};
pub use wrap::wrap_plain;

/// Parsed + highlighted once per lesson load (syntect highlighting happens
/// here, never per frame).
#[derive(Debug, Clone)]
pub struct Document {
    pub(crate) blocks: Vec<parse::Block>,
    pub(crate) containers: Vec<parse::Container>,
    pub(crate) lists: Vec<parse::ListInfo>,
    pub(crate) code_blocks: Vec<CodeBlock>,
    pub(crate) highlighted: Vec<Vec<highlight::StyledLine>>,
    pub(crate) code_bg: Option<Color>,
    /// The palette the styles came from (layout draws frames and rules with it).
    pub(crate) theme: Theme,
}

/// A document laid out for one width.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    /// For each code block (same order as [`Document::code_blocks`]), the
    /// range of `lines` it occupies (frame included).
    pub block_lines: Vec<Range<usize>>,
    /// The first line of each heading, with its level (1..=6), in order.
    pub headings: Vec<(usize, u8)>,
    /// Where each code block's frame is drawn: (line, span) pairs, restyled
    /// by [`Rendered::select_block`].
    frames: Vec<Vec<(usize, usize)>>,
    selected: Option<usize>,
    theme: Theme,
}

/// A fenced or indented code block of the lesson.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    /// The fence's language as written (`""` when none), sanitized.
    pub lang: String,
    /// The code, sanitized (control characters made visible), with its final newline.
    pub code: String,
    /// bash/sh/console/shell blocks can be sent to the console.
    pub sendable: bool,
}

impl Document {
    /// Parse, sanitize and highlight, with the colours of `theme`.
    pub fn parse(markdown: &str, theme: &Theme) -> Document {
        parse::parse(markdown, theme)
    }

    /// Like [`Document::parse`] with the dark palette in a given colour mode.
    pub fn parse_with(markdown: &str, colors: ColorMode) -> Document {
        parse::parse(markdown, &Theme::new(crate::theme::Kind::Dark, colors))
    }

    /// Like [`Document::parse`] without colouring code: it never waits for the
    /// grammars to load (tens of milliseconds once per process), so the first
    /// frame need not either. Parse again with [`Document::parse`] once
    /// [`is_loaded`] says they are there.
    pub fn parse_unhighlighted(markdown: &str, theme: &Theme) -> Document {
        parse::parse_opts(markdown, theme, false)
    }

    /// Lay out for a width (wrapping prose; code lines are hard-wrapped at the
    /// frame with a `┆` gutter), cheap enough to redo on resize. Every line
    /// fits in `width` columns (a width below 2 can only show narrow text).
    pub fn layout(&self, width: u16) -> Rendered {
        layout::layout(self, usize::from(width.max(1)))
    }

    pub fn code_blocks(&self) -> &[CodeBlock] {
        &self.code_blocks
    }

    /// Indices of the code blocks that can be sent to the console.
    pub fn sendable_blocks(&self) -> impl Iterator<Item = usize> + '_ {
        self.code_blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.sendable)
            .map(|(i, _)| i)
    }
}

impl Rendered {
    /// Mark one code block as selected (its frame drawn in the selection
    /// style), or none. Cheap: touches only the two blocks' frame spans.
    pub fn select_block(&mut self, block: Option<usize>) {
        if let Some(old) = self.selected.take() {
            self.restyle_frame(old, theme::frame(&self.theme));
        }
        if let Some(new) = block.filter(|&b| b < self.frames.len()) {
            self.restyle_frame(new, theme::frame_selected(&self.theme));
            self.selected = Some(new);
        }
    }

    /// The selected code block, if any.
    pub fn selected_block(&self) -> Option<usize> {
        self.selected
    }

    /// The code block that occupies `line`, if any.
    pub fn block_at_line(&self, line: usize) -> Option<usize> {
        self.block_lines.iter().position(|r| r.contains(&line))
    }

    fn restyle_frame(&mut self, block: usize, style: Style) {
        let Some(spans) = self.frames.get(block) else {
            return;
        };
        for &(line, span) in spans {
            if let Some(s) = self.lines.get_mut(line).and_then(|l| l.spans.get_mut(span)) {
                s.style = style;
            }
        }
    }
}

/// For a `console` block, the commands without `$ ` prompts and without
/// output lines (a command's `\` continuation lines are kept); for bash/sh
/// the code as is. A `console` block without any `$ ` prompt is taken as
/// commands. No trailing newline.
pub fn command_text(block: &CodeBlock) -> String {
    if highlight::mode_for(&block.lang) != highlight::Mode::Console {
        return block.code.trim_end().to_string();
    }
    let has_prompt = block
        .code
        .lines()
        .any(|l| highlight::split_prompt(l).is_some());
    if !has_prompt {
        return block.code.trim_end().to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    let mut continuing = false;
    for line in block.code.lines() {
        let command = if continuing {
            Some(line)
        } else {
            highlight::split_prompt(line).map(|(_, cmd)| cmd)
        };
        match command {
            Some(cmd) => {
                continuing = cmd.trim_end().ends_with('\\');
                if !cmd.trim().is_empty() || continuing {
                    out.push(cmd);
                }
            }
            None => continuing = false,
        }
    }
    out.join("\n").trim_end().to_string()
}

/// The styles of the lesson text, in one place, from the palette.
pub(crate) mod theme {
    use crate::theme::Theme;
    use pulldown_cmark::BlockQuoteKind;
    use ratatui::style::{Color, Modifier, Style};

    pub fn heading(t: &Theme, level: u8) -> Style {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        match level {
            1..=3 => bold.fg(t.color(t.palette.headings[usize::from(level) - 1])),
            _ => bold.add_modifier(Modifier::ITALIC),
        }
    }
    pub fn heading_rule(t: &Theme, level: u8) -> Style {
        match level {
            1 => Style::new().fg(t.color(t.palette.headings[0])),
            _ => Style::new().fg(t.color(t.palette.headings[1])),
        }
    }
    pub fn emphasis(_: &Theme) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }
    pub fn strong(_: &Theme) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
    pub fn strikethrough(_: &Theme) -> Style {
        Style::new().add_modifier(Modifier::CROSSED_OUT)
    }
    pub fn inline_code(t: &Theme) -> Style {
        Style::new().fg(t.color(t.palette.inline_code))
    }
    pub fn link(t: &Theme) -> Style {
        Style::new()
            .fg(t.color(t.palette.link))
            .add_modifier(Modifier::UNDERLINED)
    }
    pub fn url(t: &Theme) -> Style {
        t.dim()
    }
    pub fn image(t: &Theme) -> Style {
        Style::new()
            .fg(t.color(t.palette.important))
            .add_modifier(Modifier::ITALIC)
    }
    pub fn html(t: &Theme) -> Style {
        t.dim()
    }
    pub fn footnote(t: &Theme) -> Style {
        Style::new().fg(t.accent())
    }
    pub fn task_done(t: &Theme) -> Style {
        Style::new().fg(t.pass())
    }
    pub fn task_open(t: &Theme) -> Style {
        Style::new().fg(t.warn())
    }
    pub fn list_marker(t: &Theme) -> Style {
        Style::new().fg(t.accent())
    }
    pub fn quote_bar(t: &Theme, kind: Option<BlockQuoteKind>) -> Style {
        match kind {
            None => Style::new().fg(t.border()),
            Some(k) => Style::new().fg(alert_color(t, k)),
        }
    }
    pub fn alert_title(t: &Theme, kind: BlockQuoteKind) -> Style {
        Style::new()
            .fg(alert_color(t, kind))
            .add_modifier(Modifier::BOLD)
    }
    fn alert_color(t: &Theme, kind: BlockQuoteKind) -> Color {
        let p = t.palette;
        t.color(match kind {
            BlockQuoteKind::Note => p.note,
            BlockQuoteKind::Tip => p.tip,
            BlockQuoteKind::Important => p.important,
            BlockQuoteKind::Warning => p.warning,
            BlockQuoteKind::Caution => p.caution,
        })
    }
    pub fn rule(t: &Theme) -> Style {
        Style::new().fg(t.border())
    }
    pub fn frame(t: &Theme) -> Style {
        Style::new().fg(t.border())
    }
    pub fn frame_selected(t: &Theme) -> Style {
        Style::new().fg(t.warn()).add_modifier(Modifier::BOLD)
    }
    pub fn code_label(t: &Theme) -> Style {
        Style::new()
            .fg(t.color(t.palette.code_label))
            .add_modifier(Modifier::BOLD)
    }
    pub fn table_border(t: &Theme) -> Style {
        Style::new().fg(t.border())
    }
    pub fn table_header(_: &Theme) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

#[cfg(test)]
mod tests;
