//! `dockdojo check`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _args: crate::cli::CheckArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo check` is not built yet")
}
