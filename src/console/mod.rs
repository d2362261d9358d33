//! The console pane: a real shell in a PTY, a vt100 screen, key encoding.
//!
//! The [`Console`] owns the PTY master, the child shell and a [`vt100::Parser`].
//! A reader thread forwards the shell's output as [`ConsoleEvent::Output`] to the
//! app's main loop, which feeds it back through [`Console::process`]: the main loop
//! stays the single owner of the screen state. A writer thread takes the input
//! (keys, pastes, typed code), so a program that does not read its input never
//! blocks the main loop. A waiter thread reaps the shell and sends
//! [`ConsoleEvent::Exited`] once its last output has been forwarded.

mod keys;
mod terminal;
mod typing;

pub use keys::encode_key;
pub use terminal::Terminal;
pub use typing::typed_bytes;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use anyhow::Context as _;
use crossterm::event::{KeyEvent, KeyEventKind};
use portable_pty::{native_pty_system, ChildKiller, CommandBuilder, MasterPty, PtySize};
use tokio::sync::mpsc::UnboundedSender;

/// Lines of history kept above the visible screen.
pub const SCROLLBACK_LINES: usize = 2000;

/// How long the waiter gives the reader to forward the last output of a shell
/// that has exited before it reports the exit anyway (a background job that
/// keeps the terminal open would otherwise hold the report back forever).
const DRAIN_GRACE: Duration = Duration::from_millis(500);

/// What the console's threads tell the main loop. Each event names the shell
/// session it comes from: after a restart or a lesson switch, events of the
/// old shell may still be queued, and [`Console::owns`] tells them apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleEvent {
    /// Bytes the shell wrote; pass them to [`Console::process`].
    Output { session: u64, bytes: Vec<u8> },
    /// The shell ended, with its exit code (`None` when a signal ended it or
    /// the code could not be read).
    Exited { session: u64, code: Option<u32> },
}

impl ConsoleEvent {
    /// The shell session the event comes from.
    pub fn session(&self) -> u64 {
        match self {
            ConsoleEvent::Output { session, .. } | ConsoleEvent::Exited { session, .. } => *session,
        }
    }
}

/// Session ids, unique within the process.
static NEXT_SESSION: AtomicU64 = AtomicU64::new(1);

/// The program a console runs.
#[derive(Debug, Clone)]
pub struct ShellCommand {
    pub program: OsString,
    pub args: Vec<OsString>,
    /// Extra environment on top of the inherited one (`TERM` is always set).
    pub env: Vec<(OsString, OsString)>,
}

impl ShellCommand {
    /// `$SHELL` when it names an existing file, else `/bin/bash`, else `/bin/sh`.
    pub fn default_shell() -> ShellCommand {
        let from_env =
            std::env::var_os("SHELL").filter(|s| !s.is_empty() && Path::new(s).is_file());
        let program = from_env.unwrap_or_else(|| {
            ["/bin/bash", "/usr/bin/bash", "/bin/sh"]
                .iter()
                .find(|p| Path::new(p).is_file())
                .map_or_else(|| OsString::from("sh"), OsString::from)
        });
        ShellCommand::new(program)
    }

    pub fn new(program: impl Into<OsString>) -> ShellCommand {
        ShellCommand {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> ShellCommand {
        self.args.push(arg.into());
        self
    }

    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> ShellCommand {
        self.env.push((key.into(), value.into()));
        self
    }
}

/// One running shell in a PTY, with the screen it draws on.
pub struct Console {
    command: ShellCommand,
    cwd: PathBuf,
    tx: UnboundedSender<ConsoleEvent>,
    terminal: Terminal,
    session: Option<Session>,
    rows: u16,
    cols: u16,
    exit_code: Option<Option<u32>>,
}

/// The parts of a console that belong to one child process.
struct Session {
    /// Carried by this session's [`ConsoleEvent`]s.
    id: u64,
    master: Box<dyn MasterPty + Send>,
    /// Input for the writer thread: writing never blocks the main loop, even
    /// when the program in the console does not read its input.
    input: mpsc::Sender<Vec<u8>>,
    killer: Box<dyn ChildKiller + Send + Sync>,
    alive: Arc<AtomicBool>,
    /// Set when the console no longer wants this session's events (restart, drop).
    detached: Arc<AtomicBool>,
    /// [`Console::kill`] was called: no more input, even before the shell is reaped.
    killed: bool,
    pid: Option<u32>,
}

impl Console {
    /// `$SHELL`, else bash, else sh, in `cwd`, sized rows x cols; a reader thread
    /// sends [`ConsoleEvent`]s on `tx`.
    pub fn spawn(
        cwd: &Path,
        rows: u16,
        cols: u16,
        tx: UnboundedSender<ConsoleEvent>,
    ) -> anyhow::Result<Console> {
        Console::spawn_with(ShellCommand::default_shell(), cwd, rows, cols, tx)
    }

    /// Like [`Console::spawn`] with a given program.
    pub fn spawn_with(
        command: ShellCommand,
        cwd: &Path,
        rows: u16,
        cols: u16,
        tx: UnboundedSender<ConsoleEvent>,
    ) -> anyhow::Result<Console> {
        let rows = rows.max(1);
        let cols = cols.max(1);
        let session = start_session(&command, cwd, rows, cols, &tx)?;
        Ok(Console {
            command,
            cwd: cwd.to_path_buf(),
            tx,
            terminal: Terminal::new(rows, cols),
            session: Some(session),
            rows,
            cols,
            exit_code: None,
        })
    }

    /// Feed output to the vt100 parser (called by the app's main loop, the
    /// single state owner). Answers terminal queries (cursor position, device
    /// attributes) the way a real terminal would.
    pub fn process(&mut self, bytes: &[u8]) {
        let replies = self.terminal.process(bytes);
        if !replies.is_empty() {
            if let Some(session) = self.session.as_mut() {
                // A reply that cannot be written means the shell is gone;
                // the Exited event tells the app about that.
                let _ = session.input.send(replies);
            }
        }
    }

    /// Record that the shell exited (the app calls this when it receives
    /// [`ConsoleEvent::Exited`]); [`Console::exit_code`] then reports it.
    pub fn mark_exited(&mut self, code: Option<u32>) {
        self.exit_code = Some(code);
    }

    /// The id the current shell's events carry (`None` before a restart
    /// succeeded).
    pub fn session_id(&self) -> Option<u64> {
        self.session.as_ref().map(|s| s.id)
    }

    /// Is the event from the current shell? Events of a shell that was
    /// restarted or replaced must not reach this screen.
    pub fn owns(&self, ev: &ConsoleEvent) -> bool {
        self.session_id() == Some(ev.session())
    }

    /// The exit code of the ended shell, when the app reported it with
    /// [`Console::mark_exited`].
    pub fn exit_code(&self) -> Option<Option<u32>> {
        self.exit_code
    }

    pub fn screen(&self) -> &vt100::Screen {
        self.terminal.screen()
    }

    /// The terminal state (screen, title, bell) without the process.
    pub fn terminal(&self) -> &Terminal {
        &self.terminal
    }

    /// The window title the shell's programs set (sanitized), if any.
    pub fn title(&self) -> Option<&str> {
        self.terminal.title()
    }

    /// Whether a bell rang since the last call.
    pub fn take_bell(&mut self) -> bool {
        self.terminal.take_bell()
    }

    /// The working directory the shell started in.
    pub fn cwd(&self) -> &Path {
        &self.cwd
    }

    /// Current (rows, cols).
    pub fn size(&self) -> (u16, u16) {
        (self.rows, self.cols)
    }

    /// Resize the PTY and the parser together (the pane's inner area).
    pub fn resize(&mut self, rows: u16, cols: u16) {
        let rows = rows.max(1);
        let cols = cols.max(1);
        if (rows, cols) == (self.rows, self.cols) {
            return;
        }
        self.rows = rows;
        self.cols = cols;
        self.terminal.resize(rows, cols);
        if let Some(session) = self.session.as_ref() {
            if let Err(e) = session.master.resize(pty_size(rows, cols)) {
                tracing::warn!("console resize to {rows}x{cols} failed: {e}");
            }
        }
    }

    /// Encode a key with the screen's modes and send it to the shell. Key
    /// releases and keys without an encoding are ignored. Returns to the live
    /// screen if the view was scrolled back.
    pub fn send_key(&mut self, key: KeyEvent) -> std::io::Result<()> {
        if key.kind == KeyEventKind::Release {
            return Ok(());
        }
        let Some(bytes) = encode_key(&key, self.screen().application_cursor()) else {
            return Ok(());
        };
        self.write_input(&bytes)
    }

    /// Paste text the learner pasted into the app: bracketed when the program
    /// in the console enabled bracketed paste, else with newlines as `\r`, as a
    /// terminal sends them.
    pub fn paste(&mut self, text: &str) -> std::io::Result<()> {
        let bytes = paste_bytes(text, self.screen().bracketed_paste());
        self.write_input(&bytes)
    }

    /// Put a lesson's code block at the prompt WITHOUT running it: the learner
    /// reads it and presses Enter. See [`typed_bytes`] for how multi-line
    /// blocks are made safe. Refused while a full-screen program (alternate
    /// screen) runs, where typed letters would act as commands.
    pub fn type_text(&mut self, text: &str) -> std::io::Result<()> {
        if self.screen().alternate_screen() {
            return Err(std::io::Error::other(
                "a full-screen program is running in the console; leave it first",
            ));
        }
        let bytes = typed_bytes(text, self.screen().bracketed_paste());
        if bytes.is_empty() {
            return Ok(());
        }
        self.write_input(&bytes)
    }

    /// Scroll the view into the history: positive goes back (up), negative
    /// towards the live screen. Clamped to the available history.
    pub fn scroll_back(&mut self, lines: isize) {
        self.terminal.scroll_back(lines);
    }

    /// How many lines the view is scrolled back (0 = live).
    pub fn scrollback_offset(&self) -> usize {
        self.screen().scrollback()
    }

    pub fn is_alive(&self) -> bool {
        self.session.as_ref().is_some_and(Session::running)
    }

    /// The shell's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.session
            .as_ref()
            .filter(|s| s.running())
            .and_then(|s| s.pid)
    }

    /// Whether the shell itself holds the terminal's foreground, i.e. no
    /// command it started is running: it is at its prompt (or reading a
    /// line). `None` when that cannot be told (no shell, or a platform
    /// without process groups).
    pub fn shell_in_foreground(&self) -> Option<bool> {
        let session = self.session.as_ref().filter(|s| s.running())?;
        let pid = session.pid?;
        let leader = session.master.process_group_leader()?;
        Some(u32::try_from(leader).ok()? == pid)
    }

    /// Start a new shell (after the old one exited, or ending it first) in the
    /// same directory and size, on a fresh screen. Events of the old shell are
    /// no longer delivered.
    pub fn restart(&mut self) -> anyhow::Result<()> {
        if let Some(old) = self.session.take() {
            old.detached.store(true, Ordering::SeqCst);
            end_session(old);
        }
        let session = start_session(&self.command, &self.cwd, self.rows, self.cols, &self.tx)?;
        self.session = Some(session);
        self.exit_code = None;
        self.terminal = Terminal::new(self.rows, self.cols);
        Ok(())
    }

    /// End the shell with SIGHUP, as a terminal that closes does (bash passes
    /// it on to its jobs). The waiter thread reaps it and still reports
    /// [`ConsoleEvent::Exited`]; [`Console::restart`] starts a new one.
    pub fn kill(&mut self) {
        if let Some(session) = self.session.as_mut() {
            if session.running() {
                session.killed = true;
                if let Err(e) = session.killer.kill() {
                    tracing::debug!("console: signalling the shell failed: {e}");
                }
            }
        }
    }

    fn write_input(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.terminal.scroll_to_live();
        match self.session.as_mut() {
            Some(session) if session.running() => {
                session.input.send(bytes.to_vec()).map_err(|_| {
                    std::io::Error::new(
                        std::io::ErrorKind::BrokenPipe,
                        "the console terminal is closed",
                    )
                })
            }
            _ => Err(std::io::Error::new(
                std::io::ErrorKind::BrokenPipe,
                "the shell has exited",
            )),
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            session.detached.store(true, Ordering::SeqCst);
            end_session(session);
        }
    }
}

impl Session {
    fn running(&self) -> bool {
        !self.killed && self.alive.load(Ordering::SeqCst)
    }
}

fn end_session(mut session: Session) {
    if !session.killed && session.alive.load(Ordering::SeqCst) {
        if let Err(e) = session.killer.kill() {
            tracing::debug!("console: signalling the shell failed: {e}");
        }
    }
    // Dropping the master hangs up the terminal; the writer thread lets go
    // of its end once the shell is gone.
    drop(session);
}

fn pty_size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

fn start_session(
    command: &ShellCommand,
    cwd: &Path,
    rows: u16,
    cols: u16,
    tx: &UnboundedSender<ConsoleEvent>,
) -> anyhow::Result<Session> {
    let pty = native_pty_system();
    let pair = pty
        .openpty(pty_size(rows, cols))
        .context("cannot open a terminal (PTY) for the console")?;
    let mut cmd = CommandBuilder::new(&command.program);
    cmd.args(&command.args);
    cmd.cwd(cwd);
    cmd.env("TERM", "xterm-256color");
    for (k, v) in &command.env {
        cmd.env(k, v);
    }
    let mut child = pair.slave.spawn_command(cmd).with_context(|| {
        format!(
            "cannot start the shell {} in {}",
            Path::new(&command.program).display(),
            cwd.display()
        )
    })?;
    // The child has its own handle on the slave side; ours must close so the
    // reader sees the end when the shell exits.
    drop(pair.slave);
    let master = pair.master;
    let reader = master
        .try_clone_reader()
        .context("cannot read from the console terminal")?;
    let writer = master
        .take_writer()
        .context("cannot write to the console terminal")?;
    let killer = child.clone_killer();
    let pid = child.process_id();
    let id = NEXT_SESSION.fetch_add(1, Ordering::Relaxed);
    let alive = Arc::new(AtomicBool::new(true));
    let detached = Arc::new(AtomicBool::new(false));
    let (drained_tx, drained_rx) = mpsc::channel::<()>();
    let (input, input_rx) = mpsc::channel::<Vec<u8>>();
    let (exited_tx, exited_rx) = mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("console-writer".into())
        .spawn(move || write_loop(writer, input_rx, exited_rx))
        .context("cannot start the console writer")?;

    {
        let tx = tx.clone();
        let detached = detached.clone();
        std::thread::Builder::new()
            .name("console-reader".into())
            .spawn(move || read_loop(id, reader, tx, detached, drained_tx))
            .context("cannot start the console reader")?;
    }
    {
        let tx = tx.clone();
        let detached = detached.clone();
        let alive = alive.clone();
        std::thread::Builder::new()
            .name("console-waiter".into())
            .spawn(move || {
                let code = match child.wait() {
                    Ok(status) if status.signal().is_none() => Some(status.exit_code()),
                    Ok(_) => None,
                    Err(e) => {
                        tracing::warn!("console: waiting for the shell failed: {e}");
                        None
                    }
                };
                alive.store(false, Ordering::SeqCst);
                drop(exited_tx);
                // Let the reader forward the shell's last words first.
                let _ = drained_rx.recv_timeout(DRAIN_GRACE);
                if !detached.load(Ordering::SeqCst) {
                    let _ = tx.send(ConsoleEvent::Exited { session: id, code });
                }
            })
            .context("cannot start the console waiter")?;
    }
    Ok(Session {
        id,
        master,
        input,
        killed: false,
        killer,
        alive,
        detached,
        pid,
    })
}

fn write_loop(
    mut writer: Box<dyn Write + Send>,
    input: mpsc::Receiver<Vec<u8>>,
    exited: mpsc::Receiver<()>,
) {
    let mut broken = false;
    while let Ok(bytes) = input.recv() {
        if !broken
            && writer
                .write_all(&bytes)
                .and_then(|()| writer.flush())
                .is_err()
        {
            // The shell is gone; the waiter reports that. Keep draining.
            broken = true;
        }
    }
    // portable-pty types a newline and EOF into the terminal when its writer
    // is dropped. While the shell still runs, that newline would run whatever
    // the learner had half typed: let go only after the shell has ended.
    let _ = exited.recv();
    drop(writer);
}

fn read_loop(
    session: u64,
    mut reader: Box<dyn Read + Send>,
    tx: UnboundedSender<ConsoleEvent>,
    detached: Arc<AtomicBool>,
    drained: mpsc::Sender<()>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if detached.load(Ordering::SeqCst) {
                    break;
                }
                let bytes = buf[..n].to_vec();
                if tx.send(ConsoleEvent::Output { session, bytes }).is_err() {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // EIO: every slave handle closed, the shell is gone.
            Err(_) => break,
        }
    }
    let _ = drained.send(());
}

/// The bytes a paste sends: wrapped in `ESC [200~ … ESC [201~` when bracketed
/// (an end marker inside the text is removed so the text cannot end the paste
/// early), else with `\n` / `\r\n` turned into `\r`, as terminals do.
pub fn paste_bytes(text: &str, bracketed: bool) -> Vec<u8> {
    let normalized = text.replace("\r\n", "\r").replace('\n', "\r");
    if bracketed {
        let inner = normalized.replace("\x1b[201~", "");
        let mut out = Vec::with_capacity(inner.len() + 12);
        out.extend_from_slice(b"\x1b[200~");
        out.extend_from_slice(inner.as_bytes());
        out.extend_from_slice(b"\x1b[201~");
        out
    } else {
        normalized.into_bytes()
    }
}
