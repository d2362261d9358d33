//! `dockdojo dev`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _cmd: crate::cli::DevCommand) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo dev` is not built yet")
}
