//! dockdojo: an interactive terminal course on Docker multi-stage builds,
//! distroless images and networking, checked against the learner's real engine.

/// `println!` for command output that may go to a closed pipe
/// (`dockdojo list | head`): a write that fails is dropped instead of
/// panicking.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

pub mod app;
pub mod check;
pub mod class;
pub mod cli;
pub mod commands;
pub mod config;
pub mod console;
pub mod context;
pub mod engine;
pub mod event;
pub mod lang;
pub mod lesson;
pub mod map;
pub mod markdown;
pub mod paths;
pub mod progress;
pub mod sanitize;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod workspace;
