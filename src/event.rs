//! The messages that reach the main loop. Every source (terminal input, the
//! engine task, the console reader, the check runner, the file watcher,
//! signals) is turned into one [`Msg`]; only the main loop changes state.

use crate::check::LessonResult;
use crate::ui::engine::EngineView;

/// One message for the state owner.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key, mouse, paste or resize event from the terminal.
    Term(crossterm::event::Event),
    /// The terminal input stream failed; the loop ends.
    TermClosed(String),
    /// The console shell printed something (already fed to its screen).
    ConsoleOutput,
    /// The console shell exited.
    ConsoleExited,
    /// News from the engine task.
    Engine(EngineUpdate),
    /// A check run finished. `generation` tells stale results apart.
    ChecksDone {
        generation: u64,
        result: LessonResult,
    },
    /// A file in the lesson's workspace folder changed.
    FilesChanged,
    /// A command typed in the console finished (its shell is back at the
    /// prompt). Engines that send no event for a change (a BuildKit build
    /// on some Docker versions, swarm init) are caught up this way.
    ConsoleCommandDone,
    /// Progress was written to disk (off the main loop): what the file
    /// holds now, and a warning for the status bar if something went wrong.
    ProgressSaved {
        progress: Box<crate::progress::Progress>,
        warning: Option<String>,
    },
    /// The class sender's latest outcome (when a class was joined).
    Class(crate::class::client::Outcome),
    /// The anatomy of the lesson's images was read ([`Cmd::GatherAnatomy`]);
    /// `request` tells an answer to an older request apart.
    AnatomyDone {
        request: u64,
        facts: Vec<crate::check::anatomy::ImageFact>,
    },
    /// The code highlighter finished loading: the lesson can be coloured.
    HighlighterReady,
    /// SIGTERM, SIGHUP or the like: leave cleanly.
    Quit(&'static str),
}

/// What the engine task reports, in the words the TUI needs.
#[derive(Debug, Clone)]
pub enum EngineUpdate {
    /// Connected (or reconnected) to the engine; `platform` when `docker info` answered.
    Connected {
        endpoint: String,
        version: String,
        platform: Option<Box<crate::engine::platform::Platform>>,
    },
    /// The engine cannot be used; `reason` says why and `advice` what to do.
    Unreachable {
        endpoint: String,
        reason: String,
        advice: String,
    },
    /// A full re-list (after each connect and when the view changes).
    Inventory(EngineView),
    /// One engine event: `kind` is `image`, `container`, `network`...
    Change(EngineChange),
}

/// One engine event, reduced to what decides whether checks re-run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineChange {
    pub kind: crate::engine::events::EventKind,
    pub action: String,
    /// Every name the event carries (image references, container and network names).
    pub names: Vec<String>,
    /// The event is about one of dockdojo's own helper containers (a check's
    /// probe or scan): never a reason to re-run checks, or they would loop.
    pub helper: bool,
}

/// What the main loop must do after a state change (side effects stay out of `update`).
#[derive(Debug, Clone, PartialEq)]
pub enum Cmd {
    Quit,
    /// Run checks now (an engine change, a file change, F5, a lesson opened);
    /// a run already in flight is followed by exactly one more.
    RunChecks,
    /// Lesson changed: copy starter files, restart the console there, watch its folder.
    OpenLesson,
    ConsoleKey(crossterm::event::KeyEvent),
    ConsolePaste(String),
    /// Type text at the prompt without executing it.
    ConsoleType(String),
    /// Scroll the console's scrollback by this many lines (positive: back in time).
    ConsoleScroll(i32),
    ConsoleResize {
        rows: u16,
        cols: u16,
    },
    ConsoleRestart,
    /// List what the engine holds again (after a console command: some
    /// engines send no event for a build).
    RefreshInventory,
    /// Read the anatomy of `images` from what the checks gathered; scan the
    /// kinds of tools no check looked for only with `scan`. `candidates` are
    /// the local images (name, id) that may be a final stage's base.
    GatherAnatomy {
        request: u64,
        images: Vec<String>,
        candidates: Vec<(String, String)>,
        scan: bool,
    },
    SaveResult(Box<LessonResult>),
    SaveHints {
        lesson: String,
        shown: usize,
    },
}
