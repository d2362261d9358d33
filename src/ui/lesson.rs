//! The lesson pane: rendered Markdown (laid out once per width, never per
//! frame), the selected sendable code block marked in the gutter, platform
//! notes above the text and the hint box below it.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{pane_block, wrap, Theme};

/// Lesson text laid out for one width.
#[derive(Debug, Clone, Default)]
pub struct LessonText {
    pub lines: Vec<Line<'static>>,
    /// Line ranges `[start, end)` of the code blocks that can be sent to the console.
    pub blocks: Vec<(usize, usize)>,
}

/// The hint box.
pub struct HintBox<'a> {
    /// 1-based.
    pub n: usize,
    pub of: usize,
    pub text: &'a str,
}

/// Everything the lesson pane draws.
pub struct LessonView<'a> {
    pub title: &'a str,
    /// 1-based position in the pack, and the pack's size.
    pub position: (usize, usize),
    /// Sentences about requirements this platform cannot meet.
    pub notes: &'a [String],
    pub text: &'a LessonText,
    pub scroll: usize,
    pub selected_block: Option<usize>,
    pub focused: bool,
    pub hint: Option<HintBox<'a>>,
}

/// Rows the notes take above the text at this text width.
pub fn notes_height(notes: &[String], width: u16) -> u16 {
    notes
        .iter()
        .map(|n| wrap(&format!("⚠ {n}"), width.saturating_sub(1) as usize).len() as u16)
        .sum()
}

/// Rows the hint box takes at this pane size.
pub fn hint_height(hint: &HintBox, inner: Rect) -> u16 {
    let lines = wrap(hint.text, inner.width.saturating_sub(4) as usize).len() as u16;
    (lines + 2).min(inner.height / 2).max(3)
}

pub fn render(f: &mut Frame, t: &Theme, area: Rect, v: &LessonView) {
    let (n, of) = v.position;
    let title = Line::from(vec![
        Span::raw(format!(
            " {}: ",
            super::text::tr(super::text::T::PaneLesson)
        )),
        Span::raw(crate::sanitize::clean_line(v.title)),
        Span::styled(format!(" ({n}/{of}) "), t.dim()),
    ]);
    let mut block = pane_block(t, title, v.focused);
    let total = v.text.lines.len();
    let inner_probe = super::inner(area);
    let notes_h = notes_height(v.notes, inner_probe.width);
    let hint_h = v.hint.as_ref().map_or(0, |h| hint_height(h, inner_probe));
    let text_h = inner_probe.height.saturating_sub(notes_h + hint_h) as usize;
    if total > text_h && text_h > 0 {
        let end = (v.scroll + text_h).min(total);
        let pct = if total == text_h {
            100
        } else {
            end * 100 / total
        };
        block = block
            .title_bottom(Line::from(Span::styled(format!(" {pct}% "), t.dim())).right_aligned());
    }
    if v.focused {
        let help = if v.text.blocks.is_empty() {
            " j/k scroll "
        } else {
            " j/k scroll · Tab block · ⏎ type it in console "
        };
        block = block.title_bottom(Line::from(Span::styled(help, t.dim())));
    }
    let inner = block.inner(area);
    f.render_widget(block, area);

    let mut y = inner.y;
    // Platform notes, always visible above the text.
    if notes_h > 0 {
        let mut lines = Vec::new();
        for note in v.notes {
            for l in wrap(
                &format!("⚠ {}", crate::sanitize::clean_line(note)),
                inner.width.saturating_sub(1) as usize,
            ) {
                lines.push(Line::from(Span::styled(
                    format!(" {l}"),
                    Style::default().fg(t.warn()),
                )));
            }
        }
        let h = notes_h.min(inner.height);
        f.render_widget(
            Paragraph::new(lines),
            Rect {
                y,
                height: h,
                ..inner
            },
        );
        y += h;
    }

    // The text, with a one-column gutter marking the selected block.
    let text_area = Rect {
        x: inner.x,
        y,
        width: inner.width,
        height: text_h as u16,
    };
    let selected = v.selected_block.and_then(|i| v.text.blocks.get(i)).copied();
    let mut lines = Vec::with_capacity(text_h);
    for i in v.scroll..(v.scroll + text_h).min(total) {
        let in_sel = selected.is_some_and(|(s, e)| i >= s && i < e);
        let in_block = v.text.blocks.iter().any(|&(s, e)| i >= s && i < e);
        let gutter = if in_sel {
            Span::styled(
                "▌",
                Style::default().fg(t.accent()).add_modifier(Modifier::BOLD),
            )
        } else if in_block {
            Span::styled("│", t.dim())
        } else {
            Span::raw(" ")
        };
        let mut spans = vec![gutter];
        spans.extend(v.text.lines[i].spans.iter().cloned());
        let mut line = Line::from(spans);
        line.style = v.text.lines[i].style;
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), text_area);

    // The hint box, at the bottom of the pane.
    if let Some(h) = &v.hint {
        let box_area = Rect {
            x: inner.x,
            y: inner.y + inner.height - hint_h,
            width: inner.width,
            height: hint_h,
        };
        f.render_widget(Clear, box_area);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_type(BorderType::Rounded)
            .border_style(Style::default().fg(t.warn()))
            .title(Span::styled(
                format!(
                    " {} ",
                    super::text::trf(
                        super::text::T::PaneHint,
                        &[("n", &h.n.to_string()), ("of", &h.of.to_string())]
                    )
                ),
                Style::default().fg(t.warn()).add_modifier(Modifier::BOLD),
            ))
            .title_bottom(Line::from(Span::styled(
                format!(
                    " {} ",
                    super::text::tr(if h.n < h.of {
                        super::text::T::HintNextKeys
                    } else {
                        super::text::T::HintLastKeys
                    })
                ),
                t.dim(),
            )));
        let block = block.padding(ratatui::widgets::Padding::horizontal(1));
        let text: Vec<Line> = wrap(
            &crate::sanitize::clean(h.text),
            box_area.width.saturating_sub(4) as usize,
        )
        .into_iter()
        .map(Line::from)
        .collect();
        f.render_widget(Paragraph::new(text).block(block), box_area);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::{buffer, draw};

    fn text() -> LessonText {
        let mut lines: Vec<Line<'static>> = vec![
            Line::from(Span::styled("Multi-stage builds", Theme::dark().bold())),
            Line::from(""),
            Line::from("Build the large image first:"),
            Line::from(""),
            Line::from("  docker build -t calc-app-large ."),
            Line::from(""),
            Line::from("Then look at its size:"),
            Line::from(""),
            Line::from("  docker image ls calc-app-large"),
            Line::from(""),
        ];
        for i in 0..30 {
            lines.push(Line::from(format!("More text, line {i}.")));
        }
        LessonText {
            lines,
            blocks: vec![(4, 5), (8, 9)],
        }
    }

    fn view<'a>(
        text: &'a LessonText,
        notes: &'a [String],
        hint: Option<HintBox<'a>>,
    ) -> LessonView<'a> {
        LessonView {
            title: "Multi-stage builds",
            position: (2, 11),
            notes,
            text,
            scroll: 0,
            selected_block: Some(1),
            focused: true,
            hint,
        }
    }

    #[test]
    fn lesson_pane_80x24_half() {
        let t = text();
        let s = draw(40, 16, |f| {
            render(f, &Theme::dark(), f.area(), &view(&t, &[], None))
        });
        assert!(s.contains("Lesson: Multi-stage builds (2/11)"), "{s}");
        insta::assert_snapshot!(s);
    }

    #[test]
    fn selected_block_is_marked_in_the_gutter() {
        let t = text();
        let b = buffer(40, 16, |f| {
            render(f, &Theme::dark(), f.area(), &view(&t, &[], None))
        });
        // Line 8 of the text (selected block 1) is row 9 (after the border), gutter at x=1.
        assert_eq!(b[(1, 9)].symbol(), "▌");
        assert_eq!(b[(1, 5)].symbol(), "│");
        assert_eq!(b[(1, 3)].symbol(), " ");
    }

    #[test]
    fn notes_and_hint_box() {
        let t = text();
        let notes = vec!["This lesson needs the host network, which Docker Desktop does not provide; the checks will say what differs.".to_string()];
        let hint = HintBox {
            n: 1,
            of: 3,
            text: "A second FROM line starts a new stage; COPY --from=0 copies from the first.",
        };
        let s = draw(60, 20, |f| {
            render(f, &Theme::dark(), f.area(), &view(&t, &notes, Some(hint)))
        });
        assert!(s.contains("⚠ This lesson needs the host network"), "{s}");
        assert!(s.contains("Hint 1/3"), "{s}");
        insta::assert_snapshot!(s);
    }

    #[test]
    fn scrolled_lesson_shows_position() {
        let t = text();
        let mut v = view(&t, &[], None);
        v.scroll = 20;
        v.focused = false;
        let s = draw(50, 12, |f| render(f, &Theme::dark(), f.area(), &v));
        assert!(s.contains("More text, line 10."), "{s}");
        assert!(s.contains("%"), "{s}");
        insta::assert_snapshot!(s);
    }
}
