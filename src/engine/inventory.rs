//! What the engine holds right now: images, containers, networks, gathered
//! with list calls. Used by the TUI's engine pane (image sizes as bars,
//! networks with their containers).

use std::collections::BTreeMap;

use bollard::query_parameters::{ListContainersOptions, ListImagesOptions, ListNetworksOptions};
use serde::Serialize;

use super::{Engine, EngineError};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageInfo {
    /// `repo:tag` names; empty for an untagged image.
    pub names: Vec<String>,
    pub id: String,
    /// Unpacked bytes, the same figure on every engine ([`super::images`]).
    pub size: u64,
}

impl ImageInfo {
    /// The first name, or the short id for an untagged image.
    pub fn label(&self) -> String {
        match self.names.first() {
            Some(n) => n.clone(),
            None => short_id(&self.id),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContainerInfo {
    /// Without the leading `/`.
    pub name: String,
    pub id: String,
    pub image: String,
    /// created, running, paused, restarting, exited, removing, dead.
    pub state: String,
    /// Names of the networks it is attached to.
    pub networks: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NetworkInfo {
    pub name: String,
    pub id: String,
    pub driver: String,
    pub scope: String,
    /// Names of the containers attached to it (any state).
    pub containers: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inventory {
    /// Largest first.
    pub images: Vec<ImageInfo>,
    /// By name.
    pub containers: Vec<ContainerInfo>,
    /// By name.
    pub networks: Vec<NetworkInfo>,
}

impl Inventory {
    /// The image a reference names (`calc-app` is `calc-app:latest`, and
    /// Podman's `localhost/calc-app:latest`).
    pub fn image(&self, name: &str) -> Option<&ImageInfo> {
        self.images
            .iter()
            .find(|i| i.names.iter().any(|n| super::image_ref::same(n, name)))
    }
    pub fn container(&self, name: &str) -> Option<&ContainerInfo> {
        self.containers.iter().find(|c| c.name == name)
    }
    pub fn network(&self, name: &str) -> Option<&NetworkInfo> {
        self.networks.iter().find(|n| n.name == name)
    }
}

/// `sha256:abcdef...` -> `abcdef123456`.
pub fn short_id(id: &str) -> String {
    let bare = id.strip_prefix("sha256:").unwrap_or(id);
    bare.chars().take(12).collect()
}

/// List images, containers (all states) and networks.
pub async fn gather(engine: &Engine) -> Result<Inventory, EngineError> {
    let d = &engine.docker;
    let (images, containers, networks) = tokio::try_join!(
        async {
            d.list_images(Some(ListImagesOptions {
                all: false,
                ..Default::default()
            }))
            .await
            .map_err(|e| engine.err(e))
        },
        async {
            d.list_containers(Some(ListContainersOptions {
                all: true,
                ..Default::default()
            }))
            .await
            .map_err(|e| engine.err(e))
        },
        async {
            d.list_networks(None::<ListNetworksOptions>)
                .await
                .map_err(|e| engine.err(e))
        },
    )?;

    let mut images: Vec<ImageInfo> = images
        .into_iter()
        .map(|i| ImageInfo {
            names: i
                .repo_tags
                .into_iter()
                .filter(|t| t != "<none>:<none>")
                .collect(),
            id: i.id,
            size: u64::try_from(i.size).unwrap_or(0),
        })
        .collect();
    // The list's Size on the containerd store is packed plus unpacked:
    // report the unpacked size there, as everywhere ([`super::images`]).
    // Sizes are cached by image id, so only new images cost a request.
    if super::kind::known(&engine.endpoint.url) == Some(super::kind::EngineKind::DockerContainerd) {
        use futures_util::StreamExt;
        let asks: Vec<(String, u64)> = images.iter().map(|i| (i.id.clone(), i.size)).collect();
        let sizes: Vec<u64> = futures_util::stream::iter(asks)
            .map(|(id, size)| async move {
                super::images::unpacked_size(engine, &id, size)
                    .await
                    .unwrap_or(size)
            })
            .buffered(8)
            .collect()
            .await;
        for (i, size) in images.iter_mut().zip(sizes) {
            i.size = size;
        }
    }
    images.sort_by(|a, b| b.size.cmp(&a.size).then_with(|| a.label().cmp(&b.label())));

    let mut containers: Vec<ContainerInfo> = containers
        .into_iter()
        .map(|c| {
            let name = c
                .names
                .unwrap_or_default()
                .first()
                .map(|n| n.trim_start_matches('/').to_string())
                .unwrap_or_else(|| short_id(c.id.as_deref().unwrap_or("")));
            let mut networks: Vec<String> = c
                .network_settings
                .and_then(|n| n.networks)
                .map(|m| m.into_keys().collect())
                .unwrap_or_default();
            networks.sort();
            ContainerInfo {
                name,
                id: c.id.unwrap_or_default(),
                image: c.image.unwrap_or_default(),
                state: c.state.map(|s| s.to_string()).unwrap_or_default(),
                networks,
            }
        })
        .collect();
    containers.sort_by(|a, b| a.name.cmp(&b.name));

    // Listing networks does not fill in their containers; the containers
    // say which networks they are on.
    let mut members: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for c in &containers {
        for n in &c.networks {
            members.entry(n.as_str()).or_default().push(c.name.clone());
        }
    }
    let mut networks: Vec<NetworkInfo> = networks
        .into_iter()
        .map(|n| {
            let name = n.name.unwrap_or_default();
            let containers = members.get(name.as_str()).cloned().unwrap_or_default();
            NetworkInfo {
                containers,
                id: n.id.unwrap_or_default(),
                driver: n.driver.unwrap_or_default(),
                scope: n.scope.unwrap_or_default(),
                name,
            }
        })
        .collect();
    networks.sort_by(|a, b| a.name.cmp(&b.name));

    Ok(Inventory {
        images,
        containers,
        networks,
    })
}
