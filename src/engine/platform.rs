//! What kind of engine this is (Linux, Docker Desktop, WSL, rootless,
//! Podman, colima), its swarm state, and which lesson requirements it
//! cannot meet, in sentences a learner can act on.

use bollard::models::{LocalNodeState, SystemInfo, SystemVersion};
use serde::Serialize;

use super::{Endpoint, Engine, EngineError};

/// Capability names lessons may list in `requires`.
pub const SWARM: &str = "swarm";
pub const LINUX_HOST_NETWORK: &str = "linux-host-network";
pub const MACVLAN: &str = "macvlan";
/// The default bridge network is kept apart from user-defined networks.
pub const DEFAULT_BRIDGE_ISOLATION: &str = "default-bridge-isolation";
/// The host reaches containers at their network addresses.
pub const CONTAINER_IP_FROM_HOST: &str = "container-ip-from-host";

/// Facts about the engine's platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Platform {
    /// `OperatingSystem` from `docker info`, e.g. "Debian GNU/Linux 12 (bookworm)".
    pub operating_system: String,
    /// `OSType`: "linux" or "windows".
    pub os_type: String,
    pub kernel_version: String,
    pub architecture: String,
    pub desktop: bool,
    pub wsl: bool,
    pub rootless: bool,
    pub podman: bool,
    pub colima: bool,
    pub swarm: SwarmState,
}

/// The engine's swarm membership.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SwarmState {
    /// `LocalNodeState`: inactive, pending, active, error, locked (or empty).
    pub local_node_state: String,
    /// True on a manager node.
    pub control_available: bool,
    /// The swarm's own error text, if any.
    pub error: String,
}

impl SwarmState {
    pub fn is_manager(&self) -> bool {
        self.local_node_state == "active" && self.control_available
    }
    /// In words: "inactive", "active (manager)", "active (worker)", ...
    pub fn describe(&self) -> String {
        match self.local_node_state.as_str() {
            "active" if self.control_available => "active (manager)".into(),
            "active" => "active (worker)".into(),
            "" => "unknown".into(),
            s if !self.error.is_empty() => format!("{s}: {}", self.error),
            s => s.to_string(),
        }
    }
}

impl Platform {
    /// Pure: derive the platform from `docker info`, `docker version` and the endpoint.
    pub fn from_facts(info: &SystemInfo, version: &SystemVersion, endpoint: &Endpoint) -> Platform {
        let os = info.operating_system.clone().unwrap_or_default();
        let kernel = info
            .kernel_version
            .clone()
            .or_else(|| version.kernel_version.clone())
            .unwrap_or_default();
        let security = info.security_options.clone().unwrap_or_default();
        let rootless = security
            .iter()
            .any(|s| s.split(',').any(|kv| kv.trim() == "name=rootless"));
        let kind = super::kind::EngineKind::from_facts(info, version);
        let podman =
            kind == super::kind::EngineKind::Podman || os.to_ascii_lowercase().contains("podman");
        let desktop = os.contains("Docker Desktop");
        let wsl = kernel.to_ascii_lowercase().contains("microsoft");
        let colima = info.name.as_deref() == Some("colima")
            || endpoint.url.contains("/.colima/")
            || endpoint.source.contains("colima");
        let swarm = info
            .swarm
            .as_ref()
            .map(|s| SwarmState {
                local_node_state: s
                    .local_node_state
                    .as_ref()
                    .map(|l| match l {
                        LocalNodeState::EMPTY => String::new(),
                        other => other.to_string(),
                    })
                    .unwrap_or_default(),
                control_available: s.control_available.unwrap_or(false),
                error: s.error.clone().unwrap_or_default(),
            })
            .unwrap_or_default();
        Platform {
            operating_system: os,
            os_type: info.os_type.clone().unwrap_or_default(),
            kernel_version: kernel,
            architecture: info.architecture.clone().unwrap_or_default(),
            desktop,
            wsl,
            rootless,
            podman,
            colima,
            swarm,
        }
    }

    /// A short name: "Docker Desktop", "Podman (rootless)", "Linux (Debian ...)".
    pub fn name(&self) -> String {
        let base = if self.podman {
            "Podman".to_string()
        } else if self.desktop {
            "Docker Desktop".to_string()
        } else if self.colima {
            "colima".to_string()
        } else if self.wsl {
            "Docker Engine in WSL".to_string()
        } else {
            "Linux Docker Engine".to_string()
        };
        let mut extra = Vec::new();
        if self.rootless {
            extra.push("rootless".to_string());
        }
        if self.wsl && (self.desktop || self.podman || self.colima) {
            extra.push("WSL".to_string());
        }
        if !self.operating_system.is_empty() && !self.desktop {
            extra.push(self.operating_system.clone());
        }
        if extra.is_empty() {
            base
        } else {
            format!("{base} ({})", extra.join(", "))
        }
    }

    /// Whether the engine can serve `capability`: `None` when it can,
    /// otherwise the learner-facing sentence.
    pub fn unmet(&self, capability: &str) -> Option<String> {
        match capability {
            SWARM => {
                if self.podman {
                    return Some("This lesson needs Docker swarm mode (for overlay networks), which Podman does not have; follow it with Docker Engine on a Linux host or VM (e.g. colima, a cloud VM).".into());
                }
                match self.swarm.local_node_state.as_str() {
                    "active" if self.swarm.control_available => None,
                    "active" => Some("This lesson needs a swarm manager (for overlay networks), but this engine is a swarm worker; follow it on a manager node, or on an engine that is not part of a swarm.".into()),
                    "inactive" | "" => None,
                    "locked" => Some("This lesson needs swarm mode, but this engine's swarm is locked; unlock it with `docker swarm unlock`, then open the lesson again.".into()),
                    other => Some(format!(
                        "This lesson needs swarm mode, but this engine's swarm is in state \"{other}\"{}; fix the swarm (see `docker info`) or follow the lesson on another engine.",
                        if self.swarm.error.is_empty() { String::new() } else { format!(" ({})", self.swarm.error) }
                    )),
                }
            }
            LINUX_HOST_NETWORK => {
                if self.desktop {
                    Some("This lesson needs host networking (`--network host`), which on Docker Desktop puts containers on the Desktop VM's network, not your computer's (Docker Desktop 4.34 and later can turn host networking on under Settings > Resources > Network, and then serves TCP and UDP ports on your computer, but the lesson's checks look at the Linux host); follow it on a Linux host or VM (e.g. colima, a cloud VM).".into())
                } else if self.rootless {
                    Some("This lesson needs host networking (`--network host`), which on rootless Docker is the network of rootlesskit's namespace, not your computer's: ports a host-mode container opens are not reachable from the host. Follow it with a rootful engine (`docker context use default`) or on a Linux VM.".into())
                } else {
                    None
                }
            }
            DEFAULT_BRIDGE_ISOLATION => {
                if self.podman {
                    Some("Podman's default network is not kept apart from other networks (it has no `isolate` option), so a container on it can reach every other network; on Docker Engine the default bridge is isolated. This check cannot pass on Podman and does not count.".into())
                } else {
                    None
                }
            }
            CONTAINER_IP_FROM_HOST => {
                if self.desktop {
                    Some("On Docker Desktop, container addresses live inside the Desktop VM and are not reachable from your computer; publish a port (`-p`) instead. This check does not count here.".into())
                } else if self.rootless {
                    Some("On rootless Docker, container addresses live in rootlesskit's namespace and are not reachable from the host; publish a port (`-p`) instead. This check does not count here.".into())
                } else {
                    None
                }
            }
            MACVLAN => {
                if self.desktop {
                    Some("This lesson needs macvlan networking, which Docker Desktop does not give containers on your LAN; follow it on a Linux host or VM (e.g. colima, a cloud VM).".into())
                } else if self.rootless {
                    Some("This lesson needs macvlan networking, which a rootless engine cannot create (it needs root on the host); follow it with a rootful engine (`docker context use default`) or on a Linux VM (e.g. colima, a cloud VM).".into())
                } else {
                    None
                }
            }
            other => Some(format!(
                "This lesson needs \"{other}\", which this version of dockdojo does not know how to check; update dockdojo, or ask the lesson's author."
            )),
        }
    }
}

/// The sentences for every requirement `platform` cannot meet, in order.
pub fn unmet_requirements(requires: &[String], platform: &Platform) -> Vec<String> {
    requires.iter().filter_map(|r| platform.unmet(r)).collect()
}

/// Ask the engine (`docker info`, `docker version`) what platform it runs on.
/// The two requests run side by side (each takes several ms on dockerd).
pub async fn detect(engine: &Engine) -> Result<Platform, EngineError> {
    let (info, version) = tokio::try_join!(
        async { engine.docker.info().await.map_err(|e| engine.err(e)) },
        async { engine.docker.version().await.map_err(|e| engine.err(e)) },
    )?;
    super::kind::EngineKind::remember(
        &engine.endpoint.url,
        super::kind::EngineKind::from_facts(&info, &version),
    );
    Ok(Platform::from_facts(&info, &version, &engine.endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::models::{SwarmInfo, SystemVersionComponents};

    fn ep() -> Endpoint {
        Endpoint::new("unix:///var/run/docker.sock", "default socket")
    }

    fn info(os: &str, kernel: &str) -> SystemInfo {
        SystemInfo {
            operating_system: Some(os.into()),
            kernel_version: Some(kernel.into()),
            os_type: Some("linux".into()),
            security_options: Some(vec!["name=seccomp,profile=default".into()]),
            swarm: Some(SwarmInfo {
                local_node_state: Some(LocalNodeState::INACTIVE),
                control_available: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn req(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plain_linux_meets_everything() {
        let p = Platform::from_facts(
            &info("Debian GNU/Linux 12 (bookworm)", "6.1.0"),
            &SystemVersion::default(),
            &ep(),
        );
        assert!(!p.desktop && !p.wsl && !p.rootless && !p.podman && !p.colima);
        assert!(p.name().starts_with("Linux Docker Engine"), "{}", p.name());
        assert!(
            unmet_requirements(&req(&["swarm", "linux-host-network", "macvlan"]), &p).is_empty()
        );
    }

    #[test]
    fn docker_desktop_lacks_host_network_and_macvlan() {
        let p = Platform::from_facts(
            &info("Docker Desktop", "6.10.14-linuxkit"),
            &SystemVersion::default(),
            &ep(),
        );
        assert!(p.desktop);
        assert_eq!(p.name(), "Docker Desktop");
        let u = unmet_requirements(&req(&["macvlan", "linux-host-network", "swarm"]), &p);
        assert_eq!(u.len(), 2, "{u:?}");
        assert_eq!(u[0], "This lesson needs macvlan networking, which Docker Desktop does not give containers on your LAN; follow it on a Linux host or VM (e.g. colima, a cloud VM).");
        assert!(u[1].contains("host networking"), "{}", u[1]);
    }

    #[test]
    fn wsl_kernel_is_detected() {
        let p = Platform::from_facts(
            &info("Ubuntu 22.04.3 LTS", "5.15.133.1-microsoft-standard-WSL2"),
            &SystemVersion::default(),
            &ep(),
        );
        assert!(p.wsl && !p.desktop);
        assert!(p.name().contains("WSL"), "{}", p.name());
    }

    #[test]
    fn rootless_lacks_macvlan_host_networking_and_container_addresses() {
        let mut i = info("Ubuntu 24.04", "6.8.0");
        i.security_options = Some(vec![
            "name=seccomp,profile=builtin".into(),
            "name=rootless".into(),
            "name=cgroupns".into(),
        ]);
        let p = Platform::from_facts(&i, &SystemVersion::default(), &ep());
        assert!(p.rootless);
        let u = unmet_requirements(
            &req(&[
                "macvlan",
                "linux-host-network",
                "container-ip-from-host",
                "default-bridge-isolation",
                "swarm",
            ]),
            &p,
        );
        assert_eq!(u.len(), 3, "{u:?}");
        assert!(u.iter().all(|s| s.contains("rootless")), "{u:?}");
        assert!(u[1].contains("rootlesskit"), "{}", u[1]);
    }

    #[test]
    fn podman_cannot_isolate_its_default_network() {
        let v = SystemVersion {
            components: Some(vec![SystemVersionComponents {
                name: "Podman Engine".into(),
                version: "5.4.2".into(),
                details: None,
            }]),
            ..Default::default()
        };
        let p = Platform::from_facts(&info("debian", "6.1.0"), &v, &ep());
        let u = unmet_requirements(&req(&["default-bridge-isolation", "macvlan"]), &p);
        assert_eq!(u.len(), 1, "{u:?}");
        assert!(u[0].contains("Podman's default network"), "{}", u[0]);
        let docker =
            Platform::from_facts(&info("debian", "6.1.0"), &SystemVersion::default(), &ep());
        assert!(unmet_requirements(&req(&["default-bridge-isolation"]), &docker).is_empty());
    }

    #[test]
    fn podman_from_version_components_has_no_swarm() {
        let v = SystemVersion {
            components: Some(vec![SystemVersionComponents {
                name: "Podman Engine".into(),
                version: "4.9.3".into(),
                details: None,
            }]),
            ..Default::default()
        };
        let p = Platform::from_facts(&info("fedora", "6.5.0"), &v, &ep());
        assert!(p.podman);
        assert!(p.name().starts_with("Podman"));
        let u = unmet_requirements(&req(&["swarm"]), &p);
        assert_eq!(u.len(), 1);
        assert!(u[0].contains("Podman does not have"), "{}", u[0]);
    }

    #[test]
    fn colima_from_endpoint_or_name() {
        let e = Endpoint::new(
            "unix:///Users/me/.colima/default/docker.sock",
            "context \"colima\"",
        );
        let p = Platform::from_facts(
            &info("Ubuntu 24.04 LTS", "6.8.0"),
            &SystemVersion::default(),
            &e,
        );
        assert!(p.colima);
        let mut i = info("Ubuntu 24.04 LTS", "6.8.0");
        i.name = Some("colima".into());
        assert!(Platform::from_facts(&i, &SystemVersion::default(), &ep()).colima);
    }

    #[test]
    fn swarm_states() {
        let mut i = info("Debian", "6.1");
        let sw = |state, ctl| SwarmInfo {
            local_node_state: Some(state),
            control_available: Some(ctl),
            ..Default::default()
        };
        i.swarm = Some(sw(LocalNodeState::ACTIVE, true));
        let p = Platform::from_facts(&i, &SystemVersion::default(), &ep());
        assert!(p.swarm.is_manager());
        assert_eq!(p.swarm.describe(), "active (manager)");
        assert!(p.unmet(SWARM).is_none());

        i.swarm = Some(sw(LocalNodeState::ACTIVE, false));
        let p = Platform::from_facts(&i, &SystemVersion::default(), &ep());
        assert!(p.unmet(SWARM).expect("worker").contains("swarm worker"));

        i.swarm = Some(sw(LocalNodeState::LOCKED, false));
        let p = Platform::from_facts(&i, &SystemVersion::default(), &ep());
        assert!(p
            .unmet(SWARM)
            .expect("locked")
            .contains("docker swarm unlock"));

        i.swarm = Some(sw(LocalNodeState::INACTIVE, false));
        let p = Platform::from_facts(&i, &SystemVersion::default(), &ep());
        assert_eq!(p.swarm.describe(), "inactive");
        assert!(
            p.unmet(SWARM).is_none(),
            "an inactive swarm can be initialised"
        );
    }

    #[test]
    fn unknown_requirement_is_reported() {
        let p = Platform::default();
        let u = unmet_requirements(&req(&["gpu"]), &p);
        assert_eq!(u.len(), 1);
        assert!(u[0].contains("\"gpu\""), "{}", u[0]);
    }
}
