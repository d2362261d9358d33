//! The status bar: the keys that matter now, and the engine's state.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::text::{tr, trf, T};
use super::Theme;

/// What the status bar says about the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineStatus {
    Connecting,
    Ok {
        version: String,
    },
    Unreachable {
        endpoint: String,
        reason: String,
        advice: String,
    },
}

impl EngineStatus {
    /// Rows the status bar needs at this width: one for the keys, and when the
    /// engine is unreachable, the reason and what to do, wrapped.
    pub fn height(&self, width: u16) -> u16 {
        match self.explanation() {
            Some(text) => {
                1 + (super::wrap(&text, width.saturating_sub(1) as usize).len() as u16).min(3)
            }
            None => 1,
        }
    }
    pub fn is_ok(&self) -> bool {
        matches!(self, EngineStatus::Ok { .. })
    }
    fn explanation(&self) -> Option<String> {
        match self {
            EngineStatus::Unreachable {
                endpoint,
                reason,
                advice,
            } => Some(trf(
                T::EngineUnreachableWhy,
                &[
                    ("endpoint", endpoint),
                    ("reason", reason),
                    ("advice", advice),
                ],
            )),
            _ => None,
        }
    }
}

/// What the status bar says about the class this install joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassStatus {
    /// Joined; no answer from the server yet.
    Connecting,
    /// The last send (or hello) reached the server.
    Connected,
    /// The server could not be reached: results wait in the queue.
    Offline,
    /// The server refused the results (a wrong token, say).
    Refused,
}

impl ClassStatus {
    fn span(self, t: &Theme) -> Span<'static> {
        let (text, colour) = match self {
            ClassStatus::Connecting => (T::ClassConnecting, t.warn()),
            ClassStatus::Connected => (T::ClassConnected, t.pass()),
            ClassStatus::Offline => (T::ClassOffline, t.warn()),
            ClassStatus::Refused => (T::ClassRefused, t.fail()),
        };
        Span::styled(format!(" {} ", tr(text)), Style::default().fg(colour))
    }
}

/// The key hints shown for the current focus.
pub fn keys(console_focused: bool) -> Vec<(&'static str, &'static str)> {
    let mut k = vec![
        ("F1", tr(T::KeyHelp)),
        (
            "F2",
            tr(if console_focused {
                T::KeyLesson
            } else {
                T::KeyConsole
            }),
        ),
        ("F3", tr(T::KeyLessons)),
        ("F4", tr(T::KeyMap)),
        ("F5", tr(T::KeyCheck)),
        ("F6", tr(T::KeyHint)),
        ("F7", tr(T::KeyNext)),
        ("^Q", tr(T::KeyQuit)),
    ];
    if !console_focused {
        k.insert(2, ("⏎", tr(T::KeySend)));
    }
    k
}

pub fn render(
    f: &mut Frame,
    t: &Theme,
    area: Rect,
    keys: &[(&str, &str)],
    engine: &EngineStatus,
    class: Option<ClassStatus>,
    flash: Option<&str>,
) {
    let engine_span = match engine {
        EngineStatus::Connecting => Span::styled(
            format!(" {} ", tr(T::EngineConnecting)),
            Style::default().fg(t.warn()),
        ),
        EngineStatus::Ok { .. } => Span::styled(
            format!(" {} ", tr(T::EngineOk)),
            Style::default().fg(t.pass()),
        ),
        EngineStatus::Unreachable { .. } => Span::styled(
            format!(" {} ", tr(T::EngineUnreachable)),
            Style::default().fg(t.fail()).add_modifier(Modifier::BOLD),
        ),
    };
    let width = area.width as usize;
    // The class state sits left of the engine's, when there is room for both.
    let class_span = class
        .map(|c| c.span(t))
        .filter(|c| c.content.width() + engine_span.content.width() <= width);
    let class_w = class_span.as_ref().map_or(0, |c| c.content.width());
    let engine_w = (engine_span.content.width() + class_w).min(width);
    // Keys on the left, as many as fit beside the engine state.
    let mut spans: Vec<Span> = Vec::new();
    let mut used = 0usize;
    let room = width.saturating_sub(engine_w);
    if let Some(msg) = flash {
        let msg = super::truncate(&format!(" {} ", crate::sanitize::clean_line(msg)), room);
        used = msg.width();
        spans.push(Span::styled(
            msg,
            Style::default().fg(t.warn()).add_modifier(Modifier::BOLD),
        ));
    }
    // Drop the least needed keys until the rest fit; Ctrl-Q always stays.
    let cost = |k: &(&str, &str)| k.0.width() + k.1.width() + 3;
    let mut shown: Vec<(&str, &str)> = keys.to_vec();
    for drop in ["F4", "F3", "⏎", "F6", "F1", "F7", "F5", "F2"] {
        if shown.iter().map(cost).sum::<usize>() <= room {
            break;
        }
        shown.retain(|k| k.0 != drop);
    }
    for (k, what) in shown.iter().filter(|_| flash.is_none()) {
        let w = k.width() + what.width() + 3;
        if used + w > room {
            break;
        }
        spans.push(Span::styled(format!(" {k} "), t.key()));
        spans.push(Span::raw(format!("{what} ")));
        used += w;
    }
    let engine_text = super::truncate(&engine_span.content, width.saturating_sub(used + class_w));
    let pad = width.saturating_sub(used + class_w + engine_text.width());
    spans.push(Span::raw(" ".repeat(pad)));
    if let Some(c) = class_span {
        spans.push(c);
    }
    spans.push(Span::styled(engine_text, engine_span.style));
    let mut lines = vec![Line::from(spans)];
    if let Some(text) = engine.explanation() {
        for l in super::wrap(&text, width.saturating_sub(1))
            .into_iter()
            .take(3)
        {
            lines.push(Line::from(Span::styled(
                format!(" {l}"),
                Style::default().fg(t.fail()),
            )));
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::draw;

    fn unreachable() -> EngineStatus {
        EngineStatus::Unreachable {
            endpoint: "unix:///var/run/docker.sock".into(),
            reason: "connection refused".into(),
            advice: "Start Docker (sudo systemctl start docker, or open Docker Desktop) or set DOCKER_HOST; dockdojo reconnects by itself.".into(),
        }
    }

    #[test]
    fn status_ok_80() {
        let s = draw(80, 1, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &keys(true),
                &EngineStatus::Ok {
                    version: "20.10".into(),
                },
                None,
                None,
            )
        });
        assert!(s.contains("engine: ok"));
        assert!(s.contains("^Q quit"), "{s}");
        insta::assert_snapshot!(s);
    }

    #[test]
    fn status_unreachable_80() {
        let h = unreachable().height(80);
        assert_eq!(h, 4);
        let s = draw(80, h, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &keys(true),
                &unreachable(),
                None,
                None,
            )
        });
        assert!(s.contains("engine unreachable: unix:///var/run/docker.sock"));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn status_unreachable_200() {
        let h = unreachable().height(200);
        assert_eq!(h, 2);
        let s = draw(200, h, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &keys(false),
                &unreachable(),
                None,
                None,
            )
        });
        assert!(s.contains("F7 next"));
        assert!(s.contains("reconnects by itself"));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn status_shows_the_class_beside_the_engine() {
        let ok = EngineStatus::Ok {
            version: "26.1".into(),
        };
        let s = draw(80, 1, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &keys(true),
                &ok,
                Some(ClassStatus::Offline),
                None,
            )
        });
        assert!(s.contains("class: offline (queued)  engine: ok"), "{s}");
        assert!(s.contains("^Q quit"), "{s}");
        let s = draw(80, 1, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &keys(true),
                &ok,
                Some(ClassStatus::Connected),
                None,
            )
        });
        assert!(s.contains("class: connected"), "{s}");
        // Too narrow for both: the engine's state wins.
        let s = draw(30, 1, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &keys(true),
                &ok,
                Some(ClassStatus::Offline),
                None,
            )
        });
        assert!(s.contains("engine: ok") && !s.contains("class"), "{s}");
    }
}
