//! One file per pane, each with snapshot tests beside it. Drawing only reads
//! state; nothing here changes it.

pub mod checks;
pub mod console;
pub mod engine;
pub mod help;
pub mod lesson;
pub mod lessons_list;
pub mod solution;
pub mod status;
pub mod too_small;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Block, BorderType, Borders};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Smallest window we draw the course in; below it a "make the window larger" note.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Where each pane goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub lesson: Rect,
    pub console: Rect,
    pub checks: Rect,
    pub engine: Rect,
    pub status: Rect,
}

impl Areas {
    /// The console's inner area (inside its border): the PTY's size.
    pub fn console_inner(&self) -> Rect {
        inner(self.console)
    }
    /// The lesson's text area (inside the border, after the one-column gutter).
    pub fn lesson_text(&self) -> Rect {
        let i = inner(self.lesson);
        Rect {
            x: i.x + 1,
            width: i.width.saturating_sub(1),
            ..i
        }
    }
}

/// Split the window into panes, or `None` when it is too small to draw.
/// `status_height` is 1, or 2 when the status bar has something to explain.
pub fn layout(area: Rect, status_height: u16) -> Option<Areas> {
    layout_with(area, status_height, None)
}

/// Like [`layout`], with the rows the checks pane would like (its content plus
/// border): the lesson gets what the checks do not need. The console column
/// does not change with it, so the shell is not resized when checks change.
pub fn layout_with(area: Rect, status_height: u16, checks_want: Option<u16>) -> Option<Areas> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [body, status] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(status_height)]).areas(area);
    // The lesson reads best at most ~100 columns wide; the console gets the rest.
    let left_w = if body.width >= 180 {
        body.width * 45 / 100
    } else {
        body.width / 2
    };
    let [left, right] =
        Layout::horizontal([Constraint::Length(left_w), Constraint::Min(1)]).areas(body);
    // Bottom row (checks, engine): about a third of the height, at least 7 rows.
    let bottom_h = (body.height * 35 / 100).clamp(7, body.height.saturating_sub(8).max(7));
    let checks_h = match checks_want {
        Some(want) => want.clamp(7, (body.height / 2).max(7)),
        None => bottom_h,
    };
    let [lesson, checks] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(checks_h)]).areas(left);
    // Narrow windows: the engine pane shrinks so the console keeps its rows.
    let engine_h = if body.width < 100 {
        bottom_h.min(body.height / 3).max(5)
    } else {
        bottom_h
    };
    let [console, engine] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(engine_h)]).areas(right);
    Some(Areas {
        lesson,
        console,
        checks,
        engine,
        status,
    })
}

/// Draw the whole screen from the app state.
pub fn draw(f: &mut ratatui::Frame, app: &crate::app::App, screen: Option<&vt100::Screen>) {
    use crate::app::{Focus, Overlay};
    let area = f.area();
    let Some(a) = app.areas() else {
        too_small::render(f, area);
        return;
    };
    let lesson = app.lesson();
    lesson::render(
        f,
        a.lesson,
        &lesson::LessonView {
            title: &lesson.title,
            position: (app.lesson_idx + 1, app.pack.lessons.len()),
            notes: &app.notes,
            text: &app.text,
            scroll: app.scroll,
            selected_block: app.selected_block,
            focused: app.focus == Focus::Lesson,
            hint: app.hint_box(),
        },
    );
    console::render(
        f,
        a.console,
        screen,
        &console::ConsoleView {
            folder: &app.console_folder,
            focused: app.focus == Focus::Console,
            exited: app.console_exited,
            error: app.console_error.as_deref(),
        },
    );
    checks::render(
        f,
        a.checks,
        &checks::ChecksView {
            specs: &lesson.checks,
            result: app.result.as_ref(),
            checking: app.checking,
        },
    );
    engine::render(
        f,
        a.engine,
        app.engine_view.as_ref(),
        &app.named,
        !matches!(app.engine_status, status::EngineStatus::Unreachable { .. }),
    );
    status::render(
        f,
        a.status,
        &status::keys(app.focus == Focus::Console),
        &app.engine_status,
        app.flash.as_deref(),
    );
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help => help::render(f, area),
        Overlay::Lessons { selected } => {
            let rows: Vec<lessons_list::Row> = app
                .pack
                .lessons
                .iter()
                .map(|l| lessons_list::Row {
                    dir_name: &l.dir_name,
                    title: &l.title,
                    status: app.status_of(l),
                })
                .collect();
            lessons_list::render(f, area, &rows, *selected, app.lesson_idx);
        }
        Overlay::ConfirmSolution => solution::render_confirm(
            f,
            area,
            "That was the last hint. Show the solution now? Trying once more teaches more than reading it.",
        ),
        Overlay::Solution { scroll } => solution::render(f, area, &app.solution_lines, *scroll),
    }
}

/// Inside a one-cell border.
pub fn inner(r: Rect) -> Rect {
    Rect {
        x: r.x.saturating_add(1),
        y: r.y.saturating_add(1),
        width: r.width.saturating_sub(2),
        height: r.height.saturating_sub(2),
    }
}

/// A rectangle of at most `w` x `h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// The colours and styles used everywhere.
pub mod theme {
    use super::*;

    pub const ACCENT: Color = Color::Cyan;
    pub const PASS: Color = Color::Green;
    pub const FAIL: Color = Color::Red;
    pub const WARN: Color = Color::Yellow;
    pub const DIM: Color = Color::DarkGray;

    pub fn dim() -> Style {
        Style::default().fg(DIM)
    }
    pub fn bold() -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn key() -> Style {
        Style::default().fg(Color::Black).bg(Color::Gray)
    }
    pub fn title(focused: bool) -> Style {
        if focused {
            Style::default().fg(ACCENT).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::BOLD)
        }
    }
}

/// A pane's border: focused panes get a thick accent border.
pub fn pane_block<'a>(title: impl Into<ratatui::text::Line<'a>>, focused: bool) -> Block<'a> {
    let (border_type, style) = if focused {
        (BorderType::Thick, Style::default().fg(theme::ACCENT))
    } else {
        (BorderType::Rounded, Style::default().fg(theme::DIM))
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(border_type)
        .border_style(style)
        .title(title.into().style(theme::title(focused)))
}

/// Word-wrap `text` to `width` display columns (long words are broken).
/// Newlines in `text` start new lines.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0usize;
        for word in para.split(' ') {
            let ww = word.width();
            if line_w > 0 && line_w + 1 + ww > width {
                out.push(std::mem::take(&mut line));
                line_w = 0;
            }
            if line_w > 0 {
                line.push(' ');
                line_w += 1;
            }
            if ww > width {
                for c in word.chars() {
                    let cw = c.width().unwrap_or(0);
                    if line_w + cw > width {
                        out.push(std::mem::take(&mut line));
                        line_w = 0;
                    }
                    line.push(c);
                    line_w += cw;
                }
            } else {
                line.push_str(word);
                line_w += ww;
            }
        }
        out.push(line);
    }
    out
}

/// Cut `s` to at most `width` display columns, ending with `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

#[cfg(test)]
pub(crate) mod testing {
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    /// Draw with `f` on a `w` x `h` test terminal and return its text.
    pub fn draw(w: u16, h: u16, f: impl FnOnce(&mut ratatui::Frame)) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        t.draw(f).expect("draw");
        t.backend().to_string()
    }

    /// Draw and return the buffer, for style assertions.
    pub fn buffer(w: u16, h: u16, f: impl FnOnce(&mut ratatui::Frame)) -> ratatui::buffer::Buffer {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        t.draw(f).expect("draw");
        t.backend().buffer().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_fills_the_window_without_overlap() {
        for (w, h) in [(80, 24), (120, 40), (200, 50), (60, 16)] {
            let a = layout(Rect::new(0, 0, w, h), 1).expect("big enough");
            assert_eq!(a.lesson.width + a.console.width, w);
            assert_eq!(a.lesson.height + a.checks.height + a.status.height, h);
            let b = layout_with(Rect::new(0, 0, w, h), 1, Some(5)).expect("big enough");
            assert_eq!(b.checks.height, 7, "at least 7 rows for checks");
            assert_eq!(
                b.console, a.console,
                "the console does not move with the checks"
            );
            let c = layout_with(Rect::new(0, 0, w, h), 1, Some(200)).expect("big enough");
            assert!(c.lesson.height >= (h - 1) / 2, "the lesson keeps half");
            assert_eq!(a.console.height + a.engine.height + a.status.height, h);
            assert!(
                a.console_inner().width >= 20,
                "console too narrow at {w}x{h}"
            );
            assert!(a.lesson.height >= 8, "lesson too short at {w}x{h}");
        }
    }

    #[test]
    fn too_small_windows_have_no_layout() {
        assert!(layout(Rect::new(0, 0, 59, 24), 1).is_none());
        assert!(layout(Rect::new(0, 0, 80, 15), 1).is_none());
        assert!(layout(Rect::new(0, 0, 0, 0), 1).is_none());
    }

    #[test]
    fn wrap_respects_width_and_breaks_long_words() {
        assert_eq!(
            wrap("expected at most 20 MB", 10),
            ["expected", "at most 20", "MB"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
        assert_eq!(truncate("calc-app-large", 6), "calc-…");
        assert_eq!(truncate("web", 6), "web");
    }
}

#[cfg(test)]
mod screen_tests {
    //! The whole screen at the sizes people use, from an app state.
    use crate::app::tests::app;
    use crate::app::{App, Overlay};
    use crate::event::{EngineUpdate, Msg};
    use crate::ui::checks::tests::{failing_result, passing_result, specs};
    use crate::ui::testing::draw;

    const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];

    fn screen(rows: u16, cols: u16) -> vt100::Parser {
        let mut p = vt100::Parser::new(rows, cols, 100);
        p.process(b"learner@box:~/dockdojo/02-multi-stage$ docker build -t calc-app-small .\r\n[+] Building 2.3s (9/9) FINISHED\r\n => => naming to docker.io/library/calc-app-small\r\nlearner@box:~/dockdojo/02-multi-stage$ ");
        p
    }

    fn with_engine(mut a: App) -> App {
        let (view, _) = crate::ui::engine::tests::sample();
        a.update(Msg::Engine(EngineUpdate::Connected {
            endpoint: "unix:///var/run/docker.sock".into(),
            version: "20.10.24".into(),
            platform: None,
        }));
        a.update(Msg::Engine(EngineUpdate::Inventory(view)));
        a
    }

    fn failing_app(w: u16, h: u16) -> App {
        let mut a = with_engine(app());
        let mut p = (*a.pack).clone();
        p.lessons[0].checks = specs();
        a.pack = std::sync::Arc::new(p);
        a.update(Msg::Term(crossterm::event::Event::Resize(w, h)));
        a.update(Msg::ChecksDone {
            generation: a.generation,
            result: failing_result(),
        });
        a
    }

    fn render(a: &App) -> String {
        let inner = a.areas().map(|x| x.console_inner());
        let p = inner.map(|i| screen(i.height, i.width));
        draw(a.size.0, a.size.1, |f| {
            super::draw(f, a, p.as_ref().map(|p| p.screen()))
        })
    }

    #[test]
    fn failing_checks_screen() {
        for (w, h) in SIZES {
            let a = failing_app(w, h);
            let s = render(&a);
            assert!(s.contains("✘ calc-app-small is under 20 MB"), "{s}");
            assert!(s.contains("engine: ok"), "{s}");
            assert!(s.contains("Console: ~/dockdojo/01-first"), "{s}");
            insta::assert_snapshot!(format!("screen_failing_{w}x{h}"), s);
        }
    }

    #[test]
    fn all_passed_screen() {
        for (w, h) in SIZES {
            let mut a = failing_app(w, h);
            a.update(Msg::ChecksDone {
                generation: a.generation,
                result: passing_result(),
            });
            let s = render(&a);
            assert!(s.contains("All checks pass — lesson complete!"), "{s}");
            insta::assert_snapshot!(format!("screen_passed_{w}x{h}"), s);
        }
    }

    #[test]
    fn unreachable_engine_screen() {
        for (w, h) in SIZES {
            let mut a = failing_app(w, h);
            a.update(Msg::Engine(EngineUpdate::Unreachable {
                endpoint: "unix:///var/run/docker.sock".into(),
                reason: "Connection refused (os error 111)".into(),
                advice: "Start Docker (sudo systemctl start docker, or open Docker Desktop) or set DOCKER_HOST; dockdojo reconnects by itself.".into(),
            }));
            let s = render(&a);
            assert!(
                s.contains("engine unreachable: unix:///var/run/docker.sock: Connection refused"),
                "{s}"
            );
            insta::assert_snapshot!(format!("screen_unreachable_{w}x{h}"), s);
        }
    }

    #[test]
    fn help_and_lesson_list_screens() {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut a = failing_app(w, h);
            a.overlay = Overlay::Help;
            let s = render(&a);
            assert!(s.contains("Ctrl-Q"), "{s}");
            insta::assert_snapshot!(format!("screen_help_{w}x{h}"), s);
            a.overlay = Overlay::Lessons { selected: 1 };
            let s = render(&a);
            assert!(s.contains("02-second"), "{s}");
            insta::assert_snapshot!(format!("screen_lessons_{w}x{h}"), s);
        }
    }

    #[test]
    fn too_small_screen() {
        let a = failing_app(50, 14);
        let s = render(&a);
        assert!(s.contains("make the window larger"), "{s}");
        assert!(s.contains("have 50x14"), "{s}");
    }
}
