//! What the engine holds right now: images, containers, networks, gathered
//! with three list calls (no inspect per object). Used by the TUI's engine
//! pane (image sizes as bars, networks with their containers) and by the
//! network map (subnets, flags, addresses, published ports). Fields an engine
//! does not answer stay empty: Docker 20.10 lists no gateway for the default
//! bridge, Podman lists no `Ingress`.

use std::collections::BTreeMap;

use bollard::query_parameters::{ListContainersOptions, ListNetworksOptions};
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
    /// Its IPv4 address on each network it has one on (a stopped container
    /// has none).
    pub addresses: BTreeMap<String, String>,
    /// `HostConfig.NetworkMode`: `bridge`, `host`, `none`, a network's name,
    /// or `container:<id>` when it shares another container's network.
    pub network_mode: String,
    /// Its published ports, by host port.
    pub ports: Vec<PublishedPort>,
}

/// One published port: `-p 8080:80` is host port 8080 to container port 80.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PublishedPort {
    /// The host address it listens on (`0.0.0.0`, `127.0.0.1`, `::`).
    pub host_ip: String,
    pub host_port: u16,
    pub container_port: u16,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NetworkInfo {
    pub name: String,
    pub id: String,
    pub driver: String,
    /// `local` or `swarm`.
    pub scope: String,
    /// Its subnets (IPv4 and IPv6), from the IPAM configuration.
    pub subnets: Vec<String>,
    /// `--internal`: no traffic to or from outside the network.
    pub internal: bool,
    /// `--attachable`: standalone containers may join (overlay networks).
    pub attachable: bool,
    /// The swarm's routing mesh (`ingress`).
    pub ingress: bool,
    /// The host interface a macvlan or ipvlan network sends on (`-o parent=`).
    pub parent: Option<String>,
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

/// The published ports of a container list entry, by host port. Docker
/// lists a port published on every address twice (`0.0.0.0` and `::`): it
/// is kept once, as the IPv4 binding. Exposed ports that are not published
/// (no host port) are left out.
pub fn published_ports(ports: Vec<bollard::models::PortSummary>) -> Vec<PublishedPort> {
    let mut out: Vec<PublishedPort> = ports
        .into_iter()
        .filter_map(|p| {
            Some(PublishedPort {
                host_ip: p.ip.unwrap_or_default(),
                host_port: p.public_port.filter(|&hp| hp != 0)?,
                container_port: p.private_port,
                protocol: p
                    .typ
                    .map(|t| t.to_string())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| "tcp".into()),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (
            a.host_port,
            &a.protocol,
            a.host_ip.contains(':'),
            &a.host_ip,
        )
            .cmp(&(
                b.host_port,
                &b.protocol,
                b.host_ip.contains(':'),
                &b.host_ip,
            ))
    });
    // `0.0.0.0:8080` and `[::]:8080` are one publication.
    out.dedup_by(|b, a| {
        a.host_port == b.host_port
            && a.protocol == b.protocol
            && a.container_port == b.container_port
            && is_any(&a.host_ip)
            && is_any(&b.host_ip)
    });
    out
}

/// `0.0.0.0`, `::` or empty: every address of the host.
pub fn is_any(ip: &str) -> bool {
    matches!(ip, "" | "0.0.0.0" | "::")
}

/// The engine's containers, in every state (`all`), those with these
/// `filters` only. Podman's passing `stopped` state is asked again
/// ([`super::passing`]).
pub async fn list_containers(
    engine: &Engine,
    filters: Option<std::collections::HashMap<String, Vec<String>>>,
) -> Result<Vec<bollard::models::ContainerSummary>, EngineError> {
    super::passing::ask(
        "container list",
        super::passing::podmans_stopped_state,
        || {
            engine.docker.list_containers(Some(ListContainersOptions {
                all: true,
                filters: filters.clone(),
                ..Default::default()
            }))
        },
    )
    .await
    .map_err(|e| engine.err(e))
}

/// `container inspect`; Podman's passing `stopped` state is asked again
/// ([`super::passing`]). The bollard error is kept, so the caller can tell a
/// missing container.
pub async fn inspect_container(
    engine: &Engine,
    name: &str,
) -> Result<bollard::models::ContainerInspectResponse, bollard::errors::Error> {
    super::passing::ask(
        "container inspect",
        super::passing::podmans_stopped_state,
        || engine.docker.inspect_container(name, None),
    )
    .await
}

/// List images, containers (all states) and networks.
pub async fn gather(engine: &Engine) -> Result<Inventory, EngineError> {
    let d = &engine.docker;
    let (images, containers, networks) = tokio::try_join!(
        super::images::list(engine),
        list_containers(engine, None),
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
            let endpoints = c
                .network_settings
                .and_then(|n| n.networks)
                .unwrap_or_default();
            let mut networks: Vec<String> = endpoints.keys().cloned().collect();
            networks.sort();
            let addresses = endpoints
                .into_iter()
                .filter_map(|(net, ep)| Some((net, ep.ip_address.filter(|a| !a.is_empty())?)))
                .collect();
            ContainerInfo {
                name,
                id: c.id.unwrap_or_default(),
                image: c.image.unwrap_or_default(),
                state: c.state.map(|s| s.to_string()).unwrap_or_default(),
                networks,
                addresses,
                network_mode: c
                    .host_config
                    .and_then(|h| h.network_mode)
                    .unwrap_or_default(),
                ports: published_ports(c.ports.unwrap_or_default()),
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
            let subnets = n
                .ipam
                .and_then(|i| i.config)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|c| c.subnet.filter(|s| !s.is_empty()))
                .collect();
            let driver = n.driver.unwrap_or_default();
            let parent = matches!(driver.as_str(), "macvlan" | "ipvlan")
                .then(|| n.options.unwrap_or_default().remove("parent"))
                .flatten()
                .filter(|p| !p.is_empty());
            NetworkInfo {
                containers,
                id: n.id.unwrap_or_default(),
                driver,
                scope: n.scope.unwrap_or_default(),
                subnets,
                internal: n.internal.unwrap_or(false),
                attachable: n.attachable.unwrap_or(false),
                ingress: n.ingress.unwrap_or(false),
                parent,
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

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{PortSummary, PortSummaryTypeEnum};

    fn port(ip: &str, public: Option<u16>, private: u16) -> PortSummary {
        PortSummary {
            ip: Some(ip.into()),
            private_port: private,
            public_port: public,
            typ: Some(PortSummaryTypeEnum::TCP),
        }
    }

    #[test]
    fn a_port_published_on_every_address_is_listed_once() {
        let ports = published_ports(vec![
            port("::", Some(8080), 80),
            port("0.0.0.0", Some(8080), 80),
            port("127.0.0.1", Some(9000), 9000),
            port("", None, 443),
        ]);
        assert_eq!(
            ports,
            vec![
                PublishedPort {
                    host_ip: "0.0.0.0".into(),
                    host_port: 8080,
                    container_port: 80,
                    protocol: "tcp".into(),
                },
                PublishedPort {
                    host_ip: "127.0.0.1".into(),
                    host_port: 9000,
                    container_port: 9000,
                    protocol: "tcp".into(),
                },
            ]
        );
    }
}
