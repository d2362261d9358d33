//! `dockdojo prepare`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _args: crate::cli::PrepareArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo prepare` is not built yet")
}
