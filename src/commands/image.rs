//! `dockdojo image`.

use super::Ctx;

pub async fn run(_ctx: &Ctx, _image: &str, _json: bool) -> anyhow::Result<i32> {
    anyhow::bail!("`dockdojo image` is not built yet")
}
