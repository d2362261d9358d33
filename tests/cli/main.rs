//! Tests that need no Docker engine: `lint` on fixture packs, property tests
//! of the parsers, `hint` and `solution`, progress surviving `kill -9`, and
//! every command's answer when the engine is missing, hung or not an engine
//! at all (fake endpoints only). One test binary, one module per area (each
//! was its own binary before).

#[path = "../common/mod.rs"]
mod common;

mod classroom;
mod dashboard_browser;
mod devcontainer;
mod engine_unreachable;
mod hint_cli;
mod lint;
mod lint_props;
mod markdown_props;
mod progress_kill;
