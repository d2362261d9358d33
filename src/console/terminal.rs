//! The terminal emulation part of the console, without a process: a vt100
//! screen with scrollback that answers the queries programs make.

use super::SCROLLBACK_LINES;

/// A vt100 screen with scrollback. [`super::Console`] feeds it the shell's
/// output; tests and pane snapshots can feed it recorded output directly.
pub struct Terminal {
    parser: vt100::Parser<Replies>,
}

/// What the vt100 parser reports through callbacks: replies to queries the
/// shell's programs make, the window title, the bell.
#[derive(Debug, Default)]
struct Replies {
    /// Bytes to write back to the PTY (cursor position and device reports).
    pending: Vec<u8>,
    title: Option<String>,
    bell: bool,
}

impl vt100::Callbacks for Replies {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bell = true;
    }

    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        let text = String::from_utf8_lossy(title);
        self.title = Some(crate::sanitize::clean_line(&text));
    }

    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        let first = params.first().and_then(|p| p.first()).copied().unwrap_or(0);
        match (i1, c, first) {
            // DSR: status report, "terminal ok".
            (None, 'n', 5) => self.pending.extend_from_slice(b"\x1b[0n"),
            // DSR: cursor position report (1-based).
            (None, 'n', 6) => {
                let (row, col) = screen.cursor_position();
                let reply = format!("\x1b[{};{}R", row + 1, col + 1);
                self.pending.extend_from_slice(reply.as_bytes());
            }
            // DA1: a VT220 with ANSI colour, as xterm answers.
            (None, 'c', 0) => self.pending.extend_from_slice(b"\x1b[?62;22c"),
            // DA2: secondary device attributes.
            (Some(b'>'), 'c', 0) => self.pending.extend_from_slice(b"\x1b[>0;10;1c"),
            _ => {}
        }
    }
}

impl Terminal {
    /// A blank screen of rows x cols (each at least 1) with
    /// [`SCROLLBACK_LINES`] of history.
    pub fn new(rows: u16, cols: u16) -> Terminal {
        Terminal {
            parser: vt100::Parser::new_with_callbacks(
                rows.max(1),
                cols.max(1),
                SCROLLBACK_LINES,
                Replies::default(),
            ),
        }
    }

    /// Interpret output. Returns the bytes a real terminal would answer to
    /// queries in it (cursor position, device attributes), to be written back
    /// to the program; usually empty.
    pub fn process(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.parser.process(bytes);
        std::mem::take(&mut self.parser.callbacks_mut().pending)
    }

    pub fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    /// Resize the screen (each side at least 1).
    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.parser.screen_mut().set_size(rows.max(1), cols.max(1));
    }

    /// Scroll the view into the history: positive goes back (up), negative
    /// towards the live screen; clamped to the history there is.
    pub fn scroll_back(&mut self, lines: isize) {
        let current = self.screen().scrollback() as isize;
        let target = current.saturating_add(lines).max(0) as usize;
        self.parser.screen_mut().set_scrollback(target);
    }

    /// Back to the live screen.
    pub fn scroll_to_live(&mut self) {
        self.parser.screen_mut().set_scrollback(0);
    }

    /// The window title programs set (sanitized), if any.
    pub fn title(&self) -> Option<&str> {
        self.parser.callbacks().title.as_deref()
    }

    /// Whether a bell rang since the last call.
    pub fn take_bell(&mut self) -> bool {
        std::mem::take(&mut self.parser.callbacks_mut().bell)
    }
}
