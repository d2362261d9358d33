//! `dockdojo solution`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _lesson: &str) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo solution` is not built yet")
}
