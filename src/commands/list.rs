//! `dockdojo list`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _json: bool) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo list` is not built yet")
}
