//! `dockdojo report`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _args: crate::cli::ReportArgs) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo report` is not built yet")
}
