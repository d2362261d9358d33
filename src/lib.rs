//! dockdojo: an interactive terminal course on Docker multi-stage builds,
//! distroless images and networking, checked against the learner's real engine.

pub mod app;
pub mod check;
pub mod cli;
pub mod commands;
pub mod console;
pub mod engine;
pub mod event;
pub mod lesson;
pub mod markdown;
pub mod paths;
pub mod progress;
pub mod sanitize;
pub mod tui;
pub mod ui;
pub mod workspace;
