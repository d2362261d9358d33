//! `dockdojo doctor`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _json: bool) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo doctor` is not built yet")
}
