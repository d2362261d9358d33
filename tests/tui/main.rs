//! The terminal: the real binary in a PTY (the TUI, its signals and panics,
//! `reset` asking y/N) and the console pane's shell and screen. One test
//! binary, one module per area (each was its own binary before).

#[path = "../common/mod.rs"]
mod common;

mod console_pty;
mod console_screen;
mod reset_tty;
mod tui_class;
mod tui_e2e;
mod tui_signals;
