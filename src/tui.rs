//! Terminal setup and restore. The [`Tui`] guard puts the terminal in raw
//! mode on the alternate screen with mouse capture and bracketed paste, and
//! puts everything back when dropped: on quit, on error, and (through the
//! panic hook, which restores first and prints after) on panic.

use std::io::{stdout, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

/// True while the terminal is in TUI mode (so restoring twice is harmless).
static ACTIVE: AtomicBool = AtomicBool::new(false);

pub struct Tui {
    terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl Tui {
    /// Take over the terminal.
    pub fn enter() -> anyhow::Result<Tui> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = stdout();
        if let Err(e) = execute!(
            out,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste,
            cursor::Hide
        ) {
            restore();
            return Err(e.into());
        }
        let terminal = match Terminal::new(CrosstermBackend::new(stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e.into());
            }
        };
        Ok(Tui { terminal })
    }

    /// (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        match self.terminal.size() {
            Ok(s) => (s.width, s.height),
            Err(_) => crossterm::terminal::size().unwrap_or((80, 24)),
        }
    }

    /// Draw one frame.
    pub fn draw(
        &mut self,
        view: &crate::ui::ScreenView<'_>,
        screen: Option<&vt100::Screen>,
    ) -> anyhow::Result<()> {
        self.terminal
            .draw(|f| crate::ui::draw(f, view, screen))
            .map(|_| ())
            .map_err(Into::into)
    }

    /// Give the terminal back (also done on drop).
    pub fn leave(self) {
        drop(self);
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

/// Put the terminal back as it was. Safe to call more than once.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        DisableFocusChange,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

fn install_panic_hook() {
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::SeqCst) {
        return;
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let thread = std::thread::current();
        let name = thread.name().unwrap_or("");
        tracing::error!("panic in thread {name:?}: {info}");
        // A panic in a background task (a check run, a listing) is caught by
        // the runtime and reported in the TUI; printing it would scribble
        // over the screen. A panic on the main thread ends the program:
        // restore first, so the message lands on a normal screen.
        if name == "main" || !ACTIVE.load(Ordering::SeqCst) {
            restore();
            previous(info);
        }
    }));
}
