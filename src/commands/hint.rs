//! `dockdojo hint`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _lesson: &str, _n: Option<usize>) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo hint` is not built yet")
}
