//! The console pane: a real shell in a PTY, a vt100 screen, key encoding.
