//! Where dockdojo keeps state and where the learner's workspace is.

use std::path::PathBuf;

/// `DOCKDOJO_HOME`, else `$XDG_DATA_HOME/dockdojo` (`~/.local/share/dockdojo`).
pub fn dockdojo_home() -> PathBuf {
    if let Some(h) = std::env::var_os("DOCKDOJO_HOME").filter(|v| !v.is_empty()) {
        return PathBuf::from(h);
    }
    dirs::data_dir()
        .unwrap_or_else(|| home_dir().join(".local/share"))
        .join("dockdojo")
}

/// The default workspace: `~/dockdojo`.
pub fn default_workspace() -> PathBuf {
    home_dir().join("dockdojo")
}

pub fn home_dir() -> PathBuf {
    dirs::home_dir().unwrap_or_else(|| PathBuf::from("."))
}

/// The log file (the TUI owns the terminal, so logs never go there).
pub fn log_file() -> PathBuf {
    dockdojo_home().join("dockdojo.log")
}
