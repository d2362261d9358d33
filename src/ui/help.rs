//! The help overlay (F1): every key dockdojo knows.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::{centered, Theme};

/// (keys, what they do), grouped by heading (`keys` empty = heading).
pub const KEYS: &[(&str, &str)] = &[
    ("", "Anywhere"),
    ("F1", "this help (Esc closes)"),
    ("F2", "move focus between console and lesson"),
    ("F3", "lesson list (also `l` in the lesson)"),
    (
        "F4 F9",
        "network map, image anatomy (in the lesson's place)",
    ),
    ("F5", "check now (checks also run by themselves)"),
    ("F6", "next hint"),
    ("F7", "next lesson"),
    ("F8", "solution (after passing or after the last hint)"),
    ("Ctrl-Q", "quit"),
    ("", "Lesson focus"),
    ("j k ↑ ↓", "scroll"),
    (
        "PgUp PgDn g G",
        "scroll a page / top, bottom (Space, Home, End)",
    ),
    ("Tab ] / Shift-Tab [", "next / previous code block"),
    ("Enter s", "type the block at the console prompt (not run)"),
    (
        "n h l m i q",
        "next lesson, hint, lesson list, map, images, quit",
    ),
    (
        "a  ← →  s  Esc",
        "map: all; anatomy: more images, scan; close",
    ),
    (
        "wheel, click",
        "scroll, focus the pane; Shift-drag selects text",
    ),
    ("", "Console focus"),
    ("any key", "goes to the shell (F10-F12 too)"),
    ("Shift-PgUp/PgDn", "scroll back through output"),
    ("Enter", "start a new shell after it exited"),
];

pub fn render(f: &mut Frame, t: &Theme, area: Rect) {
    let key_w = KEYS
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let text_w = KEYS
        .iter()
        .map(|(_, text)| text.chars().count())
        .max()
        .unwrap_or(0);
    let w = (key_w + text_w + 6) as u16;
    let h = KEYS.len() as u16 + 2;
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, text)| {
            if k.is_empty() {
                Line::from(Span::styled(
                    text.to_string(),
                    Style::default().fg(t.accent()).add_modifier(Modifier::BOLD),
                ))
            } else {
                Line::from(vec![
                    Span::styled(format!(" {k:>key_w$} "), t.bold()),
                    Span::raw(format!(" {text}")),
                ])
            }
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(Style::default().fg(t.accent()))
        .title(Span::styled(" Help ", t.bold()))
        .title_bottom(Line::from(Span::styled(" Esc close ", t.dim())).right_aligned());
    f.render_widget(Paragraph::new(lines).block(block), r);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::draw;

    #[test]
    fn help_lists_every_key() {
        for (w, h) in [(80, 24), (120, 40)] {
            let s = draw(w, h, |f| render(f, &Theme::dark(), f.area()));
            for k in [
                "F1",
                "F2",
                "F3",
                "F4 F9",
                "network map",
                "image anatomy",
                "F5",
                "F6",
                "F7",
                "F8",
                "Ctrl-Q",
                "Shift-PgUp",
            ] {
                assert!(s.contains(k), "{k} missing at {w}x{h}:\n{s}");
            }
            insta::assert_snapshot!(format!("help_{w}x{h}"), s);
        }
    }
}
