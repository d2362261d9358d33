//! The console pane: the shell's vt100 screen drawn with tui-term.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;
use tui_term::widget::{Cursor, PseudoTerminal};

use super::{pane_block, wrap, Theme};

/// What the console pane shows besides the screen.
pub struct ConsoleView<'a> {
    /// The folder the shell runs in, shortened (`~/dockdojo/02-multi-stage`).
    pub folder: &'a str,
    pub focused: bool,
    /// The shell has exited.
    pub exited: bool,
    /// The shell could not start: why.
    pub error: Option<&'a str>,
}

/// Shorten a path under the home folder to `~/...`.
pub fn short_path(path: &std::path::Path, home: &std::path::Path) -> String {
    match path.strip_prefix(home) {
        Ok(rest) if !home.as_os_str().is_empty() && home != std::path::Path::new("/") => {
            format!("~/{}", rest.display())
        }
        _ => path.display().to_string(),
    }
}

pub fn render(
    f: &mut Frame,
    t: &Theme,
    area: Rect,
    screen: Option<&vt100::Screen>,
    v: &ConsoleView,
) {
    let title = format!(
        " {} ",
        super::text::trf(
            super::text::T::PaneConsole,
            &[("folder", &crate::sanitize::clean_line(v.folder))]
        )
    );
    let mut block = pane_block(t, title, v.focused);
    if let Some(s) = screen {
        let back = s.scrollback();
        if back > 0 {
            block = block.title_bottom(
                Line::from(Span::styled(
                    format!(" scrolled back {back} lines · Shift-PgDn "),
                    Style::default().fg(t.warn()),
                ))
                .right_aligned(),
            );
        }
    }
    if !v.focused {
        block = block.title_bottom(Line::from(Span::styled(
            format!(" {} ", super::text::tr(super::text::T::ConsoleTypeHere)),
            t.dim(),
        )));
    }
    let inner = block.inner(area);
    match screen {
        Some(screen) => {
            let cursor =
                Cursor::default().visibility(v.focused && !v.exited && screen.scrollback() == 0);
            f.render_widget(
                PseudoTerminal::new(screen).block(block).cursor(cursor),
                area,
            );
        }
        None => f.render_widget(block, area),
    }
    if let Some(err) = v.error {
        let lines: Vec<Line> = wrap(&crate::sanitize::clean(err), inner.width as usize)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, Style::default().fg(t.fail()))))
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }
    if v.exited && inner.height > 0 {
        let row = Rect {
            y: inner.y + inner.height - 1,
            height: 1,
            ..inner
        };
        f.render_widget(Clear, row);
        let text = super::truncate(
            super::text::tr(super::text::T::ConsoleExited),
            inner.width as usize,
        );
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(
                text,
                t.on_warn().add_modifier(Modifier::BOLD),
            )))
            .centered(),
            row,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::testing::{buffer, draw};

    /// Recorded output of a shell session: a prompt, coloured `ls`, a build progress line
    /// rewritten with `\r`, and a cursor movement.
    const RECORDED: &[u8] = b"\x1b[1;32mlearner@box\x1b[0m:\x1b[1;34m~/dockdojo/02-multi-stage\x1b[0m$ ls\r\n\x1b[0m\x1b[01;34mapp\x1b[0m  Dockerfile  go.mod\r\n$ docker build -t calc-app-small .\r\n[+] Building 0.1s (1/9)\r[+] Building 2.3s (9/9) FINISHED\r\n$ ";

    fn screen(rows: u16, cols: u16) -> vt100::Parser {
        let mut p = vt100::Parser::new(rows, cols, 100);
        p.process(RECORDED);
        p
    }

    #[test]
    fn console_shows_the_screen() {
        let p = screen(12, 48);
        let v = ConsoleView {
            folder: "~/dockdojo/02-multi-stage",
            focused: true,
            exited: false,
            error: None,
        };
        let s = draw(50, 14, |f| {
            render(f, &Theme::dark(), f.area(), Some(p.screen()), &v)
        });
        assert!(s.contains("Console: ~/dockdojo/02-multi-stage"), "{s}");
        assert!(s.contains("[+] Building 2.3s (9/9) FINISHED"), "{s}");
        assert!(
            !s.contains("0.1s"),
            "the \\r rewrite must replace the line: {s}"
        );
        insta::assert_snapshot!(s);
    }

    #[test]
    fn console_keeps_colours() {
        let p = screen(12, 48);
        let v = ConsoleView {
            folder: "~/x",
            focused: true,
            exited: false,
            error: None,
        };
        let b = buffer(50, 14, |f| {
            render(f, &Theme::dark(), f.area(), Some(p.screen()), &v)
        });
        // "learner" starts at the inner origin (1,1), bold green.
        assert_eq!(b[(1, 1)].symbol(), "l");
        assert_eq!(b[(1, 1)].fg, ratatui::style::Color::Indexed(2));
    }

    #[test]
    fn exited_shell_says_how_to_restart() {
        let p = screen(12, 48);
        let v = ConsoleView {
            folder: "~/dockdojo/02-multi-stage",
            focused: false,
            exited: true,
            error: None,
        };
        let s = draw(50, 14, |f| {
            render(f, &Theme::dark(), f.area(), Some(p.screen()), &v)
        });
        assert!(
            s.contains("shell exited — press Enter to start a new one"),
            "{s}"
        );
        insta::assert_snapshot!(s);
    }

    #[test]
    fn scrollback_is_announced() {
        let mut p = vt100::Parser::new(4, 30, 100);
        for i in 0..20 {
            p.process(format!("line {i}\r\n").as_bytes());
        }
        p.screen_mut().set_scrollback(5);
        let v = ConsoleView {
            folder: "~/x",
            focused: true,
            exited: false,
            error: None,
        };
        let s = draw(40, 6, |f| {
            render(f, &Theme::dark(), f.area(), Some(p.screen()), &v)
        });
        assert!(s.contains("scrolled back 5 lines"), "{s}");
        assert!(s.contains("line 12"), "{s}");
    }

    #[test]
    fn short_paths() {
        use std::path::Path;
        assert_eq!(
            short_path(Path::new("/home/a/dockdojo/01-x"), Path::new("/home/a")),
            "~/dockdojo/01-x"
        );
        assert_eq!(
            short_path(Path::new("/tmp/ws/01-x"), Path::new("/home/a")),
            "/tmp/ws/01-x"
        );
    }
}
