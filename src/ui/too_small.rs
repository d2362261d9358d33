//! Shown instead of the course when the window is too small to draw it.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::{Theme, MIN_HEIGHT, MIN_WIDTH};

pub fn render(f: &mut Frame, t: &Theme, area: Rect) {
    let text = super::text::trf(
        super::text::T::TooSmall,
        &[
            ("min_w", &MIN_WIDTH.to_string()),
            ("min_h", &MIN_HEIGHT.to_string()),
            ("w", &area.width.to_string()),
            ("h", &area.height.to_string()),
        ],
    );
    let lines = super::wrap(&text, area.width.max(1) as usize);
    let h = (lines.len() as u16 + 2).min(area.height);
    let y = area.y + area.height.saturating_sub(h) / 2;
    let mut out: Vec<Line> = lines.into_iter().map(Line::from).collect();
    out.push(Line::from(""));
    out.push(Line::styled(
        super::text::tr(super::text::T::TooSmallQuit),
        Style::default().fg(t.dim_color()),
    ));
    f.render_widget(
        Paragraph::new(out).centered().wrap(Wrap { trim: true }),
        Rect {
            y,
            height: area.height.saturating_sub(y - area.y),
            ..area
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::draw;

    #[test]
    fn too_small_says_what_is_needed() {
        let s = draw(50, 10, |f| render(f, &Theme::dark(), f.area()));
        assert!(s.contains("make the window larger"), "{s}");
        assert!(s.contains("have 50x10"), "{s}");
        insta::assert_snapshot!(s);
    }

    #[test]
    fn tiny_windows_do_not_panic() {
        for (w, h) in [(1, 1), (3, 2), (10, 1), (1, 10), (0, 0), (0, 5)] {
            let b = crate::ui::testing::buffer(w, h, |f| render(f, &Theme::dark(), f.area()));
            assert_eq!(b.area.width, w);
        }
        let s = draw(12, 3, |f| render(f, &Theme::dark(), f.area()));
        assert!(s.contains("make the"), "{s}");
    }
}
