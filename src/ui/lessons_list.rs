//! The lesson list overlay (F3): every lesson with its status; Enter opens one.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::text::{tr, trf, T};
use super::{centered, truncate, Theme};

pub use crate::progress::LessonStatus;

pub struct Row<'a> {
    pub dir_name: &'a str,
    pub title: &'a str,
    pub status: LessonStatus,
}

pub fn render(f: &mut Frame, t: &Theme, area: Rect, rows: &[Row], selected: usize, current: usize) {
    let w = area.width.saturating_sub(8).min(84);
    let h = (rows.len() as u16 + 4).min(area.height.saturating_sub(2));
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(Style::default().fg(t.accent()))
        .title(Span::styled(format!(" {} ", tr(T::PaneLessons)), t.bold()))
        .title_bottom(
            Line::from(Span::styled(format!(" {} ", tr(T::LessonsKeys)), t.dim())).right_aligned(),
        );
    let inner = block.inner(r);
    f.render_widget(block, r);
    let width = inner.width as usize;
    let visible = inner.height.saturating_sub(1) as usize;
    let first = selected.saturating_sub(visible.saturating_sub(1));
    let done = rows
        .iter()
        .filter(|r| r.status == LessonStatus::Passed)
        .count();
    let mut lines = vec![Line::from(Span::styled(
        trf(
            T::LessonsDone,
            &[
                ("done", &done.to_string()),
                ("total", &rows.len().to_string()),
            ],
        ),
        t.dim(),
    ))];
    let dir_w = rows
        .iter()
        .map(|r| r.dir_name.chars().count())
        .max()
        .unwrap_or(0)
        .min(width / 3);
    for (i, row) in rows.iter().enumerate().skip(first).take(visible) {
        let (icon, style, label) = match row.status {
            LessonStatus::Passed => (
                "✔",
                Style::default().fg(t.pass()),
                super::text::tr(super::text::T::LessonDone),
            ),
            LessonStatus::Failing => (
                "✘",
                Style::default().fg(t.fail()),
                super::text::tr(super::text::T::LessonInProgress),
            ),
            LessonStatus::NotStarted => (
                " ",
                t.dim(),
                super::text::tr(super::text::T::LessonNotStarted),
            ),
        };
        let marker = if i == current { "▸" } else { " " };
        let dir = truncate(&crate::sanitize::clean_line(row.dir_name), dir_w);
        let room = width.saturating_sub(dir_w + 18);
        let title = truncate(&crate::sanitize::clean_line(row.title), room);
        let mut line = Line::from(vec![
            Span::styled(format!("{marker}{icon} "), style),
            Span::styled(format!("{dir:<dir_w$}  "), t.dim()),
            Span::raw(format!("{title:<room$}")),
            Span::styled(format!(" {label:>11}"), style),
        ]);
        if i == selected {
            line = line.style(Style::default().add_modifier(Modifier::REVERSED));
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::{buffer, draw};

    fn rows() -> Vec<Row<'static>> {
        vec![
            Row {
                dir_name: "01-first-image",
                title: "Your first image",
                status: LessonStatus::Passed,
            },
            Row {
                dir_name: "02-multi-stage",
                title: "Multi-stage builds",
                status: LessonStatus::Failing,
            },
            Row {
                dir_name: "03-distroless",
                title: "Distroless: nothing but your program",
                status: LessonStatus::NotStarted,
            },
            Row {
                dir_name: "04-bridge",
                title: "The default bridge network",
                status: LessonStatus::NotStarted,
            },
        ]
    }

    #[test]
    fn lesson_list_shows_status() {
        for (w, h) in [(80, 24), (120, 40)] {
            let s = draw(w, h, |f| render(f, &Theme::dark(), f.area(), &rows(), 2, 1));
            assert!(s.contains("✔ 01-first-image"), "{s}");
            assert!(s.contains("not started"), "{s}");
            assert!(s.contains("1 of 4 done"), "{s}");
            insta::assert_snapshot!(format!("lessons_{w}x{h}"), s);
        }
    }

    #[test]
    fn selected_row_is_reversed() {
        let b = buffer(80, 24, |f| {
            render(f, &Theme::dark(), f.area(), &rows(), 2, 1)
        });
        // find the row that holds 03-distroless
        let y = (0..24)
            .find(|&y| {
                (0..80)
                    .map(|x| b[(x, y)].symbol())
                    .collect::<String>()
                    .contains("03-distroless")
            })
            .expect("row drawn");
        let x = (0..80)
            .find(|&x| b[(x, y)].symbol() == "0")
            .expect("dir drawn");
        assert!(b[(x, y)].modifier.contains(Modifier::REVERSED));
    }
}
