//! Integration tests that talk to a Docker engine, or run the dockdojo
//! commands that do: one test binary, one module per area (each was its own
//! binary before). The tests of this binary run side by side on one engine;
//! the few that act on the whole engine (a full `dev verify` of the built-in
//! pack, `reset --all`) take it alone (`common::engine_lock`).

#[path = "../common/mod.rs"]
mod common;

mod checks_cli;
mod checks_engine;
mod dev_cli;
mod doctor;
mod engine_events;
mod engine_faults;
mod engine_safety;
mod engine_tls;
mod hostile_pack;
mod image_cli;
mod list_cli;
mod map_cli;
mod prepare;
mod report_cli;
mod reset_engine;
mod scan_pin;
mod standins;
mod watch_cli;
