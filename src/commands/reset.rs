//! `dockdojo reset`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _args: crate::cli::ResetArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo reset` is not built yet")
}
