//! The TUI application: one state owner (TEA style). Input, the engine task
//! and the console reader send messages; only the main loop changes state.

use crate::commands::Ctx;

/// Open the course at `lesson`, or at the first unfinished one.
pub async fn run(_ctx: &Ctx, _lesson: Option<String>) -> anyhow::Result<i32> {
    anyhow::bail!("the TUI is not built yet")
}
