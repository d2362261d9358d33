//! The help overlay (F1): every key dockdojo knows.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};
use ratatui::Frame;

use super::text::{tr, T};
use super::{centered, Theme};

/// (keys, what they do, from `ui::text`), grouped by heading (`keys` empty = heading).
pub const KEYS: &[(&str, T)] = &[
    ("", T::HelpAnywhere),
    ("F1", T::HelpF1),
    ("F2", T::HelpF2),
    ("F3", T::HelpF3),
    ("F4 F9", T::HelpF4F9),
    ("F5", T::HelpF5),
    ("F6", T::HelpF6),
    ("F7", T::HelpF7),
    ("F8", T::HelpF8),
    ("Ctrl-Q", T::HelpQuit),
    ("", T::HelpLessonFocus),
    ("j k ↑ ↓", T::HelpScroll),
    ("PgUp PgDn g G", T::HelpPage),
    ("Tab ] / Shift-Tab [", T::HelpBlocks),
    ("Enter s", T::HelpSendBlock),
    ("n h l m i q", T::HelpLetters),
    ("a  ← →  s  Esc", T::HelpPictureKeys),
    ("wheel, click", T::HelpMouse),
    ("", T::HelpConsoleFocus),
    ("any key", T::HelpAnyKey),
    ("Shift-PgUp/PgDn", T::HelpScrollBack),
    ("Enter", T::HelpNewShell),
];

pub fn render(f: &mut Frame, t: &Theme, area: Rect) {
    let key_w = KEYS
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let text_w = KEYS
        .iter()
        .map(|(_, key)| tr(*key).chars().count())
        .max()
        .unwrap_or(0);
    let w = (key_w + text_w + 6) as u16;
    let h = KEYS.len() as u16 + 2;
    let r = centered(area, w, h);
    f.render_widget(Clear, r);
    let lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, key)| {
            let text = tr(*key);
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
        .title(Span::styled(format!(" {} ", tr(T::PaneHelp)), t.bold()))
        .title_bottom(
            Line::from(Span::styled(format!(" {} ", tr(T::EscClose)), t.dim())).right_aligned(),
        );
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
