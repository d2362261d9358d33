//! One file per pane, each with snapshot tests beside it.
