//! The solution overlay and the "see the solution?" confirmation.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{centered, wrap, Theme};

/// The solution as text: each file with a heading.
pub fn solution_text(t: &Theme, files: &[crate::lesson::PackFile]) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if files.is_empty() {
        lines.push(Line::from(super::text::tr(super::text::T::SolutionNone)));
    }
    for file in files {
        lines.push(Line::from(Span::styled(
            format!(
                "── {} ──",
                crate::sanitize::clean_line(&file.rel_path.display().to_string())
            ),
            Style::default().fg(t.accent()).add_modifier(Modifier::BOLD),
        )));
        let text = String::from_utf8_lossy(&file.contents);
        for l in crate::sanitize::clean(&text).lines() {
            lines.push(Line::from(l.replace('\t', "    ")));
        }
        lines.push(Line::from(""));
    }
    lines
}

pub fn render(f: &mut Frame, t: &Theme, area: Rect, lines: &[Line<'static>], scroll: usize) {
    let want_h = (lines.len() as u16).saturating_add(2);
    let r = centered(
        area,
        area.width.saturating_sub(6).min(100),
        want_h.min(area.height.saturating_sub(4)),
    );
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(Style::default().fg(t.warn()))
        .title(Span::styled(
            format!(" {} ", super::text::tr(super::text::T::PaneSolution)),
            t.bold(),
        ))
        .title_bottom(
            Line::from(Span::styled(
                format!(" {} ", super::text::tr(super::text::T::SolutionKeys)),
                t.dim(),
            ))
            .right_aligned(),
        );
    let inner = block.inner(r);
    f.render_widget(block, r);
    let shown: Vec<Line> = lines
        .iter()
        .skip(scroll)
        .take(inner.height as usize)
        .cloned()
        .collect();
    f.render_widget(Paragraph::new(shown), inner);
}

/// The y/n question before the solution is shown.
pub fn render_confirm(f: &mut Frame, t: &Theme, area: Rect, question: &str) {
    let w = area.width.saturating_sub(4).min(56);
    let lines = wrap(question, w.saturating_sub(4) as usize);
    let h = lines.len() as u16 + 4;
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(Style::default().fg(t.warn()))
        .title(Span::styled(
            format!(" {} ", super::text::tr(super::text::T::PaneSolutionAsk)),
            t.bold(),
        ));
    let mut out: Vec<Line> = lines
        .into_iter()
        .map(|l| Line::from(format!(" {l}")))
        .collect();
    out.push(Line::from(""));
    out.push(Line::from(vec![
        Span::styled(" y ", t.key()),
        Span::raw(format!(
            " {}   ",
            super::text::tr(super::text::T::SolutionShow)
        )),
        Span::styled(" n ", t.key()),
        Span::raw(format!(
            " {}",
            super::text::tr(super::text::T::SolutionNotYet)
        )),
    ]));
    f.render_widget(Paragraph::new(out).block(block), r);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::PackFile;
    use crate::ui::testing::draw;

    #[test]
    fn solution_overlay_shows_files() {
        let files = vec![PackFile {
            rel_path: "Dockerfile".into(),
            contents: b"FROM golang:1.22 AS build\nRUN go build -o /out/calc .\n\nFROM scratch\nCOPY --from=build /out/calc /calc\n".to_vec(),
            executable: false,
        }];
        let lines = solution_text(&Theme::dark(), &files);
        let s = draw(80, 24, |f| render(f, &Theme::dark(), f.area(), &lines, 0));
        assert!(s.contains("── Dockerfile ──"), "{s}");
        assert!(s.contains("COPY --from=build"), "{s}");
        insta::assert_snapshot!(s);
    }

    #[test]
    fn confirm_asks_yes_or_no() {
        let s = draw(80, 24, |f| {
            render_confirm(
                f,
                &Theme::dark(),
                f.area(),
                "That was the last hint. Show the solution? Trying once more teaches more.",
            )
        });
        assert!(s.contains(" y "), "{s}");
        insta::assert_snapshot!(s);
    }
}
