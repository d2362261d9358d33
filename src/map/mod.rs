//! The network map: the host, the networks and the containers as one
//! picture. [`NetworkMap::build`] is pure: it reads the engine's
//! [`Inventory`], what the lesson names ([`Scope`]) and the results of the
//! lesson's reach checks ([`reach_edges`]); [`text`] draws it as lines at a
//! width, in Unicode or plain ASCII. The TUI's map view and `dockdojo map`
//! draw the same lines.

pub mod text;

use crate::check::{LessonResult, Status};
use crate::engine::inventory::{ContainerInfo, Inventory, NetworkInfo, PublishedPort};
use crate::engine::labels::is_helper_name;
use crate::lesson::{CheckKind, Lesson, Reach};

/// The networks every engine starts with. `bridge` is drawn as a lane,
/// `host` as the host itself, `none` only when a container shown uses it.
pub const DEFAULT_NETWORKS: [&str; 3] = ["bridge", "host", "none"];

/// Which objects the map shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every network and container (dockdojo's own helpers aside).
    Everything,
    /// A lesson's objects: the networks and containers it names, the default
    /// networks, and every network a named container joins.
    Lesson {
        networks: Vec<String>,
        containers: Vec<String>,
    },
}

/// The whole picture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkMap {
    pub host: Host,
    /// One lane per network, default bridge first.
    pub lanes: Vec<Lane>,
    /// Containers the lesson names that do not exist (yet).
    pub missing_containers: Vec<String>,
    /// What the lesson's reach checks found, where both ends are drawn.
    pub reach: Vec<ReachEdge>,
    /// The lesson has reach checks whose first run has not ended yet.
    pub reach_pending: bool,
    /// Networks and containers left out because the lesson does not name them.
    pub hidden: Hidden,
}

/// The host itself: containers that share its network stack, and the ports
/// it publishes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Host {
    /// `--network host` containers.
    pub containers: Vec<Member>,
    /// `-p HOST:CONTAINER` of every container shown, by host port.
    pub ports: Vec<PortArrow>,
}

/// A published port: an arrow from the host's address and port to a
/// container's port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortArrow {
    pub port: PublishedPort,
    pub container: String,
    pub running: bool,
}

/// One network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub name: String,
    /// `None`: the lesson names it, the engine does not have it.
    pub network: Option<LaneFacts>,
    pub members: Vec<Member>,
    /// Containers on it that are left out (not the lesson's).
    pub others: usize,
}

/// What the engine says about a network.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaneFacts {
    pub driver: String,
    pub subnets: Vec<String>,
    pub internal: bool,
    pub attachable: bool,
    pub swarm_scope: bool,
    pub ingress: bool,
    /// A macvlan or ipvlan network's host interface.
    pub parent: Option<String>,
}

impl LaneFacts {
    fn of(n: &NetworkInfo) -> LaneFacts {
        LaneFacts {
            driver: n.driver.clone(),
            subnets: n.subnets.clone(),
            internal: n.internal,
            attachable: n.attachable,
            swarm_scope: n.scope == "swarm",
            ingress: n.ingress,
            parent: n.parent.clone(),
        }
    }

    /// `bridge`, the subnets, then the flags: what a lane's label says.
    pub fn details(&self) -> Vec<String> {
        let mut d = vec![self.driver.clone()];
        d.extend(self.subnets.iter().cloned());
        if let Some(p) = &self.parent {
            d.push(format!("parent {p}"));
        }
        for (on, flag) in [
            (self.internal, "internal"),
            (self.attachable, "attachable"),
            (self.swarm_scope, "swarm scope"),
            (self.ingress, "ingress"),
        ] {
            if on {
                d.push(flag.to_string());
            }
        }
        d
    }
}

/// A container on a lane (or on the host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub running: bool,
    /// `exited`, `created`... when not running.
    pub state: String,
    /// Its address on this network.
    pub address: Option<String>,
    /// Containers that share its network stack (`--network container:NAME`).
    pub sharing: Vec<String>,
}

/// What a reach check found: a probe on `from` reached `to`, or was blocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachEdge {
    pub from: String,
    pub to: String,
    pub port: Option<u16>,
    pub path: Path,
    /// The lesson wants this (the check passed).
    pub as_expected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    Reached,
    Blocked,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hidden {
    pub networks: usize,
    pub containers: usize,
}

/// The edges the lesson's `network.reach` checks drew in their last run.
/// Checks that could not be evaluated (error, skipped, unsupported) draw none.
pub fn reach_edges(lesson: &Lesson, result: &LessonResult) -> Vec<ReachEdge> {
    if result.lesson != lesson.id {
        return Vec::new();
    }
    lesson
        .checks
        .iter()
        .filter_map(|spec| {
            let CheckKind::NetworkReach {
                from_network,
                to,
                port,
                expect,
            } = &spec.kind
            else {
                return None;
            };
            let status = result.checks.iter().find(|r| r.id == spec.id)?.status;
            let as_expected = match status {
                Status::Pass => true,
                Status::Fail => false,
                Status::Error | Status::Skipped | Status::Unsupported => return None,
            };
            let wanted = match expect {
                Reach::Reachable => Path::Reached,
                Reach::Unreachable => Path::Blocked,
            };
            let path = match (wanted, as_expected) {
                (p, true) => p,
                (Path::Reached, false) => Path::Blocked,
                (Path::Blocked, false) => Path::Reached,
            };
            Some(ReachEdge {
                from: from_network.clone(),
                to: to.clone(),
                port: *port,
                path,
                as_expected,
            })
        })
        .collect()
}

/// Whether `lesson` has `network.reach` checks (edges on the map).
pub fn has_reach_checks(lesson: &Lesson) -> bool {
    lesson
        .checks
        .iter()
        .any(|c| matches!(c.kind, CheckKind::NetworkReach { .. }))
}

/// `lesson` with only its `network.reach` checks and the checks they need
/// (transitively): what drawing the reach edges costs to evaluate.
pub fn with_reach_checks_only(lesson: &Lesson) -> Lesson {
    let mut keep: Vec<&str> = lesson
        .checks
        .iter()
        .filter(|c| matches!(c.kind, CheckKind::NetworkReach { .. }))
        .map(|c| c.id.as_str())
        .collect();
    let mut i = 0;
    while i < keep.len() {
        if let Some(c) = lesson.check(keep[i]) {
            for n in &c.needs {
                if !keep.contains(&n.as_str()) {
                    keep.push(n);
                }
            }
        }
        i += 1;
    }
    let mut l = lesson.clone();
    l.checks.retain(|c| keep.contains(&c.id.as_str()));
    l
}

impl NetworkMap {
    /// The picture of `inv` for `scope`, with the reach checks' `edges`
    /// (those whose ends are not both drawn are left out).
    pub fn build(inv: &Inventory, scope: &Scope, edges: &[ReachEdge]) -> NetworkMap {
        let containers: Vec<&ContainerInfo> = inv
            .containers
            .iter()
            .filter(|c| !is_helper_name(&c.name))
            .collect();
        let (named_nets, named_ctrs): (&[String], &[String]) = match scope {
            Scope::Everything => (&[], &[]),
            Scope::Lesson {
                networks,
                containers,
            } => (networks, containers),
        };
        let everything = matches!(scope, Scope::Everything);

        // Containers shown: the lesson's in its order, then (everything) by name.
        let mut shown: Vec<&ContainerInfo> = named_ctrs
            .iter()
            .filter_map(|n| containers.iter().copied().find(|c| &c.name == n))
            .collect();
        if everything {
            shown.extend(containers.iter().copied());
        }
        let shown_names: Vec<&str> = shown.iter().map(|c| c.name.as_str()).collect();
        let missing_containers = named_ctrs
            .iter()
            .filter(|n| !containers.iter().any(|c| &&c.name == n))
            .cloned()
            .collect();

        // Lanes: the default bridge, the lesson's networks in its order, the
        // networks its containers join; or every network.
        let mut lane_names: Vec<String> = Vec::new();
        let mut add = |n: &str| {
            if n != "host" && !lane_names.iter().any(|x| x == n) {
                lane_names.push(n.to_string());
            }
        };
        add("bridge");
        // Podman's default network.
        if inv.network("podman").is_some() {
            add("podman");
        }
        if everything {
            // By name (the inventory's order), `none` when someone uses it.
            for n in &inv.networks {
                if n.name != "none" || !n.containers.is_empty() {
                    add(&n.name);
                }
            }
        } else {
            for n in named_nets {
                add(n);
            }
            for c in &shown {
                for n in &c.networks {
                    add(n);
                }
            }
        }
        let lanes: Vec<Lane> = lane_names
            .iter()
            .filter_map(|name| {
                let info = inv.network(name);
                // The default bridge of an engine without one (Podman calls
                // its default network `podman`) is not a lesson's to miss.
                let default = DEFAULT_NETWORKS.contains(&name.as_str());
                if info.is_none() && (default || !named_nets.contains(name)) {
                    return None;
                }
                let members: Vec<Member> = shown
                    .iter()
                    .filter(|c| c.networks.iter().any(|n| n == name))
                    .map(|c| member(c, Some(name), &shown))
                    .collect();
                let others = info.map_or(0, |n| {
                    n.containers
                        .iter()
                        .filter(|c| !is_helper_name(c) && !shown_names.contains(&c.as_str()))
                        .count()
                });
                Some(Lane {
                    name: name.clone(),
                    network: info.map(LaneFacts::of),
                    members,
                    others,
                })
            })
            .collect();

        let host = Host {
            containers: shown
                .iter()
                .filter(|c| c.network_mode == "host")
                .map(|c| member(c, None, &shown))
                .collect(),
            ports: {
                let mut ports: Vec<PortArrow> = shown
                    .iter()
                    .flat_map(|c| {
                        c.ports.iter().map(|p| PortArrow {
                            port: p.clone(),
                            container: c.name.clone(),
                            running: c.state == "running",
                        })
                    })
                    .collect();
                ports.sort_by(|a, b| a.port.cmp(&b.port).then(a.container.cmp(&b.container)));
                ports
            },
        };

        let drawn = |net: &str| lanes.iter().any(|l| l.name == net && l.network.is_some());
        let reach = edges
            .iter()
            .filter(|e| drawn(&e.from) && shown_names.contains(&e.to.as_str()))
            .cloned()
            .collect();

        let hidden = Hidden {
            networks: inv
                .networks
                .iter()
                .filter(|n| n.name != "host" && !lane_names.contains(&n.name))
                .filter(|n| !DEFAULT_NETWORKS.contains(&n.name.as_str()))
                .count(),
            containers: containers.len() - shown.len(),
        };
        NetworkMap {
            host,
            lanes,
            missing_containers,
            reach,
            reach_pending: false,
            hidden,
        }
    }

    /// The lane of network `name`, if drawn.
    pub fn lane(&self, name: &str) -> Option<&Lane> {
        self.lanes.iter().find(|l| l.name == name)
    }
}

/// `c` as drawn on network `net` (or on the host), with the shown
/// containers that share its network stack.
fn member(c: &ContainerInfo, net: Option<&str>, shown: &[&ContainerInfo]) -> Member {
    let sharing = shown
        .iter()
        .filter(|o| {
            o.network_mode
                .strip_prefix("container:")
                .is_some_and(|t| t == c.name || (!t.is_empty() && c.id.starts_with(t)))
        })
        .map(|o| o.name.clone())
        .collect();
    Member {
        name: c.name.clone(),
        running: c.state == "running",
        state: c.state.clone(),
        address: net.and_then(|n| c.addresses.get(n).cloned()),
        sharing,
    }
}

#[cfg(test)]
pub(crate) mod tests;
