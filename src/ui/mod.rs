//! One file per pane, each with snapshot tests beside it. Drawing only reads
//! state; nothing here changes it.

pub mod anatomy;
pub mod checks;
pub mod console;
pub mod engine;
pub mod help;
pub mod lesson;
pub mod lessons_list;
pub mod map;
pub mod solution;
pub mod status;
pub mod text;
pub mod too_small;

use ratatui::layout::{Constraint, Layout, Rect};

use self::engine::{EngineView, Named};
use ratatui::style::Style;

pub use crate::theme::Theme;
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
    /// Where a picture (the network map, image anatomy) is drawn: the
    /// lesson's whole column.
    pub fn picture(&self) -> Rect {
        self.lesson.union(self.checks)
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

/// An overlay over the panes, with what it shows.
pub enum OverlayView<'a> {
    None,
    Help,
    Lessons {
        rows: Vec<lessons_list::Row<'a>>,
        selected: usize,
        current: usize,
    },
    ConfirmSolution,
    Solution {
        lines: &'a [ratatui::text::Line<'static>],
        scroll: usize,
    },
}

/// A picture drawn in the lesson's column instead of the lesson and its
/// checks, while the console stays usable beside it.
pub enum PictureView<'a> {
    None,
    Map(map::MapView),
    Anatomy(anatomy::AnatomyView<'a>),
}

/// Everything one frame shows, borrowed from the app's state (the app builds
/// it; the UI never sees the app).
pub struct ScreenView<'a> {
    /// `None` when the window is too small.
    pub areas: Option<Areas>,
    pub lesson: lesson::LessonView<'a>,
    pub console: console::ConsoleView<'a>,
    pub checks: checks::ChecksView<'a>,
    pub engine_view: Option<&'a EngineView>,
    pub named: &'a Named,
    pub engine_status: &'a status::EngineStatus,
    /// The joined class's link, when a class was joined.
    pub class_status: Option<status::ClassStatus>,
    pub console_focused: bool,
    pub flash: Option<&'a str>,
    pub overlay: OverlayView<'a>,
    pub picture: PictureView<'a>,
    /// The palette.
    pub theme: Theme,
}

/// Draw the whole screen.
pub fn draw(f: &mut ratatui::Frame, v: &ScreenView<'_>, screen: Option<&vt100::Screen>) {
    let area = f.area();
    let t = &v.theme;
    let Some(a) = v.areas else {
        too_small::render(f, t, area);
        return;
    };
    match &v.picture {
        PictureView::None => {
            lesson::render(f, t, a.lesson, &v.lesson);
            checks::render(f, t, a.checks, &v.checks);
        }
        PictureView::Map(m) => map::render(f, t, a.picture(), m),
        PictureView::Anatomy(an) => anatomy::render(f, t, a.picture(), an),
    }
    console::render(f, t, a.console, screen, &v.console);
    engine::render(
        f,
        t,
        a.engine,
        v.engine_view,
        v.named,
        !matches!(v.engine_status, status::EngineStatus::Unreachable { .. }),
    );
    status::render(
        f,
        t,
        a.status,
        &status::keys(v.console_focused),
        v.engine_status,
        v.class_status,
        v.flash,
    );
    match &v.overlay {
        OverlayView::None => {}
        OverlayView::Help => help::render(f, t, area),
        OverlayView::Lessons {
            rows,
            selected,
            current,
        } => lessons_list::render(f, t, area, rows, *selected, *current),
        OverlayView::ConfirmSolution => {
            solution::render_confirm(f, t, area, text::tr(text::T::SolutionConfirm))
        }
        OverlayView::Solution { lines, scroll } => solution::render(f, t, area, lines, *scroll),
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

/// A pane's border: focused panes get a thick accent border.
pub fn pane_block<'a>(
    t: &Theme,
    title: impl Into<ratatui::text::Line<'a>>,
    focused: bool,
) -> Block<'a> {
    let (border_type, style) = if focused {
        (BorderType::Thick, Style::default().fg(t.accent()))
    } else {
        (BorderType::Rounded, Style::default().fg(t.border()))
    };
    Block::default()
        .borders(Borders::ALL)
        .border_type(border_type)
        .border_style(style)
        .title(title.into().style(t.title(focused)))
}

/// Word-wrap `text` to `width` display columns (long words are broken).
/// Newlines in `text` start new lines. The same wrap as the lesson text's.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    crate::markdown::wrap_plain(text, width)
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

    /// The colours of a drawn buffer, row by row: each run of cells with the
    /// same colours and modifiers as `row col-col fg bg +MODS "text"`, where
    /// a colour is `#rrggbb`, `@index` (256-colour), a name, or `-` for the
    /// terminal's own. Runs of blanks on the terminal's background are left
    /// out. Snapshots of it show a palette change.
    pub fn colours(b: &ratatui::buffer::Buffer) -> String {
        use ratatui::style::{Color, Modifier};
        use std::fmt::Write;
        fn name(c: Color) -> String {
            match c {
                Color::Reset => "-".into(),
                Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
                Color::Indexed(i) => format!("@{i}"),
                other => format!("{other:?}"),
            }
        }
        let area = b.area;
        let mut out = String::new();
        for y in area.top()..area.bottom() {
            let mut x = area.left();
            while x < area.right() {
                let key = |x: u16| {
                    let c = &b[(x, y)];
                    (c.fg, c.bg, c.modifier)
                };
                let k = key(x);
                let start = x;
                let mut text = String::new();
                while x < area.right() && key(x) == k {
                    text.push_str(b[(x, y)].symbol());
                    x += 1;
                }
                let (fg, bg, m) = k;
                if bg == Color::Reset
                    && (text.trim().is_empty() || (fg == Color::Reset && m.is_empty()))
                {
                    continue;
                }
                let mods = if m == Modifier::empty() {
                    String::new()
                } else {
                    format!(" +{m:?}")
                        .replace("Modifier(", "")
                        .replace(')', "")
                        .replace(" | ", "+")
                };
                let _ = writeln!(
                    out,
                    "{y:>2} {start:>3}-{:<3} {:<8} {:<8}{mods} {:?}",
                    x - 1,
                    name(fg),
                    name(bg),
                    text
                );
            }
        }
        out
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
