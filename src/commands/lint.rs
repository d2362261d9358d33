//! `dockdojo lint`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _dir: Option<std::path::PathBuf>) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo lint` is not built yet")
}
