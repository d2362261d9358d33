//! Facts: what the engine and the workspace say, as plain data. They are
//! gathered by `gather` (I/O) and read by `eval` (pure).

use std::collections::BTreeMap;

use crate::lesson::PathSet;

/// Why a fact could not be gathered, in words that say what to do
/// (the check becomes `error`, never `fail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactError(pub String);

impl std::fmt::Display for FactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<crate::engine::EngineError> for FactError {
    fn from(e: crate::engine::EngineError) -> Self {
        FactError(e.to_string())
    }
}

/// A fact, or why it could not be gathered.
pub type Fact<T> = Result<T, FactError>;

/// `image inspect`, reduced to what checks read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageFacts {
    /// The reference asked for, with the default tag (`calc-app-small:latest`).
    pub reference: String,
    /// `sha256:...`
    pub id: String,
    /// Unpacked size in bytes, the same figure on every engine
    /// ([`crate::engine::images`]).
    pub size: u64,
    /// `Config.User` (empty when not set).
    pub user: String,
    /// Number of filesystem layers (`RootFS.Layers`).
    pub layers: usize,
    /// `Config.Env`, `NAME=value`.
    pub env: Vec<String>,
    /// `Config.Labels`.
    pub labels: BTreeMap<String, String>,
    /// Where the engine keeps the image's layers, when it names overlay
    /// directories (empty otherwise): literal paths are then looked up there
    /// ([`crate::engine::layers`]).
    pub layer_dirs: crate::engine::layers::LayerDirs,
}

/// One requested path or pattern and what matched it in the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch {
    /// The path or pattern as asked (`/bin/sh`, `/usr/lib/go-*`).
    pub pattern: String,
    /// The set it came from, if any.
    pub set: Option<PathSet>,
    /// Paths present in the image that match (empty: absent).
    pub present: Vec<String>,
    /// The same paths with symbolic links in their directories resolved
    /// (`/bin/apt` -> `/usr/bin/apt` on merged-/usr images), to list one file
    /// once. Empty when unknown.
    pub canonical: Vec<String>,
}

/// OS package database contents.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct PackageCount {
    pub count: u32,
    /// The databases found, e.g. `/var/lib/dpkg/status`.
    pub sources: Vec<String>,
}

/// What a throwaway container printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: Option<i64>,
    pub timed_out: bool,
    /// The engine refused to start it (e.g. the entrypoint does not exist).
    pub start_error: Option<String>,
}

/// `container inspect`, reduced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContainerFacts {
    pub name: String,
    pub id: String,
    pub running: bool,
    /// `created`, `running`, `exited`...
    pub status: String,
    pub exit_code: Option<i64>,
    /// The image id the container runs.
    pub image_id: String,
    /// `Config.Image`: the reference it was created from.
    pub image_ref: String,
    /// `HostConfig.NetworkMode`.
    pub network_mode: String,
    /// The network the mode names, when it is an id (resolved to a name).
    pub network_mode_name: Option<String>,
    /// Attached networks: name -> IPv4 address (may be empty).
    pub networks: BTreeMap<String, String>,
    /// Published ports: `80/tcp` -> [(host ip, host port)].
    pub ports: BTreeMap<String, Vec<(String, u16)>>,
    /// `HostConfig.PidMode` (`container:ID` when it shares another's).
    pub pid_mode: String,
    /// `HostConfig.IpcMode`.
    pub ipc_mode: String,
    pub security: SecurityFacts,
}

/// A container's security settings, as its inspect gives them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecurityFacts {
    /// `HostConfig.ReadonlyRootfs`.
    pub read_only: bool,
    /// `HostConfig.Privileged`.
    pub privileged: bool,
    /// `HostConfig.CapAdd` / `CapDrop`, normalised (`NET_RAW`, `ALL`).
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// `HostConfig.SecurityOpt`.
    pub security_opt: Vec<String>,
    /// `Config.User` (the image's user when `docker run` sets none).
    pub user: String,
    /// `HostConfig.Memory` in bytes; 0: no limit.
    pub memory: i64,
    /// `HostConfig.PidsLimit`; 0, -1 or none: no limit.
    pub pids_limit: Option<i64>,
    /// Paths mounted as tmpfs (`HostConfig.Tmpfs`, and tmpfs mounts).
    pub tmpfs: Vec<String>,
}

/// `network inspect`, reduced.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetworkFacts {
    pub name: String,
    pub id: String,
    pub driver: String,
    pub scope: String,
    pub internal: bool,
    pub attachable: bool,
    /// (subnet, gateway) per IPAM config.
    pub ipam: Vec<(String, String)>,
    pub options: BTreeMap<String, String>,
}

/// A probe's try at reaching one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachAttempt {
    pub address: String,
    /// `tcp/80` or `icmp`.
    pub method: String,
    pub ok: bool,
}

/// Facts for `network.reach`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ReachFacts {
    /// `from_network` does not exist.
    #[default]
    NoSuchNetwork,
    /// The target container does not exist.
    NoSuchTarget,
    /// The target exists but is not running.
    TargetNotRunning { status: String },
    /// The target has no IP address (network `none`, `host`...).
    TargetWithoutAddress { network_mode: String },
    Probed {
        attempts: Vec<ReachAttempt>,
        /// The probe ran past its bound and was stopped.
        timed_out: bool,
        /// The target shares the host's network (`--network host`): the
        /// addresses tried are the host's on the probe's bridge network (its
        /// gateway).
        via_host: bool,
    },
}

/// Facts for `network.resolves`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ResolveFacts {
    #[default]
    NoSuchNetwork,
    Probed {
        addresses: Vec<String>,
        timed_out: bool,
    },
}

/// `/info` Swarm part.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SwarmFacts {
    /// `inactive`, `pending`, `active`, `error`, `locked`.
    pub state: String,
    pub control_available: bool,
}

/// A published port and whether a TCP connection to it succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortReach {
    pub address: String,
    /// Ok, or why the connection failed.
    pub result: Result<(), String>,
}
