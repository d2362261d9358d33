//! One meaning of an image's size on every engine: its **unpacked size**,
//! the bytes its layers take once unpacked (what `docker images` showed as
//! SIZE before the containerd image store, and what a container starts
//! from).
//!
//! Engines disagree about `Size` in image inspect: Docker's classic store
//! and Podman give the unpacked size, while Docker's containerd image store
//! gives the packed size (manifest, config and compressed layers), so a
//! 30 MB file of zeros weighs about 30 kB there. The image's history lists
//! each build step with the unpacked size of the layer it made, on every
//! engine, so the sum of the steps is the figure. It is metadata only (no
//! layer is read) and is cached for the process by image id, which names
//! immutable content.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use super::{Engine, EngineError};

static UNPACKED: LazyLock<Mutex<HashMap<String, u64>>> = LazyLock::new(Default::default);
/// Build steps by image id: an id names immutable content, so its history
/// never changes. The check run's size requests fill it; image anatomy
/// reads it without asking the engine again.
static STEPS: LazyLock<Mutex<HashMap<String, Vec<Step>>>> = LazyLock::new(Default::default);
/// Most histories kept (a few kB each).
const STEPS_KEPT: usize = 512;

/// One build step of an image, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The instruction as the engine recorded it.
    pub created_by: String,
    /// Unpacked bytes the step added (0 for steps that made no layer).
    pub size: u64,
}

/// The engine's tagged and dangling images (`GET /images/json`, not `all`).
/// The containerd store's passing 404 is asked again ([`super::passing`]).
pub async fn list(engine: &Engine) -> Result<Vec<bollard::models::ImageSummary>, EngineError> {
    super::passing::ask(
        "image list",
        super::passing::content_gone_while_listing,
        || {
            engine
                .docker
                .list_images(Some(bollard::query_parameters::ListImagesOptions {
                    all: false,
                    ..Default::default()
                }))
        },
    )
    .await
    .map_err(|e| engine.err(e))
}

/// The image's build steps, oldest first (`GET /images/{id}/history`,
/// asked once per image id in a process).
pub async fn history(engine: &Engine, id: &str) -> Result<Vec<Step>, EngineError> {
    if let Some(steps) = cached_history(id) {
        return Ok(steps);
    }
    let items = engine
        .docker
        .image_history(id)
        .await
        .map_err(|e| engine.err(e))?;
    let steps: Vec<Step> = items
        .into_iter()
        .rev()
        .map(|h| Step {
            created_by: h.created_by,
            size: h.size.max(0) as u64,
        })
        .collect();
    if let Some(total) = sum_of(&steps) {
        remember(id, total);
    }
    if let Ok(mut m) = STEPS.lock() {
        if m.len() >= STEPS_KEPT {
            m.clear();
        }
        m.insert(id.to_string(), steps.clone());
    }
    Ok(steps)
}

/// The build steps of image `id` if this process already asked for them.
pub fn cached_history(id: &str) -> Option<Vec<Step>> {
    STEPS.lock().ok()?.get(id).cloned()
}

/// The unpacked size of image `id`. `inspect_size` is the `Size` image
/// inspect gave: it is the answer when the history carries no sizes (an
/// image assembled without history).
pub async fn unpacked_size(
    engine: &Engine,
    id: &str,
    inspect_size: u64,
) -> Result<u64, EngineError> {
    if let Some(known) = UNPACKED.lock().ok().and_then(|m| m.get(id).copied()) {
        return Ok(known);
    }
    let steps = history(engine, id).await?;
    Ok(sum_of(&steps).unwrap_or(inspect_size))
}

fn remember(id: &str, total: u64) {
    if let Ok(mut m) = UNPACKED.lock() {
        if m.len() > 4096 {
            m.clear();
        }
        m.insert(id.to_string(), total);
    }
}

/// The sum of the steps' sizes; `None` when no step has one.
pub fn sum_of(steps: &[Step]) -> Option<u64> {
    let total: u64 = steps.iter().map(|s| s.size).sum();
    (total > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(size: u64) -> Step {
        Step {
            created_by: String::new(),
            size,
        }
    }

    #[test]
    fn the_size_is_the_sum_of_the_steps() {
        assert_eq!(
            sum_of(&[step(1_000), step(0), step(31_457_280)]),
            Some(31_458_280)
        );
        assert_eq!(sum_of(&[step(0), step(0)]), None);
        assert_eq!(sum_of(&[]), None);
    }
}
