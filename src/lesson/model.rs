//! The in-memory model of a lesson pack (LESSON-FORMAT.md, version 1).
//!
//! Parsing and validation live in the sibling modules; everything else in
//! dockdojo reads packs only through these types.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// Where a pack was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackSource {
    /// The pack compiled into the binary (`lessons/` of this repository).
    BuiltIn,
    /// A pack on disk (`--lessons DIR`).
    Dir(PathBuf),
}

/// A loaded, validated pack.
#[derive(Debug, Clone)]
pub struct Pack {
    pub source: PackSource,
    pub manifest: Manifest,
    /// Sorted by folder name.
    pub lessons: Vec<Lesson>,
    /// Which translation is in effect, and which exist.
    pub translation: Translation,
}

/// The translations of a pack (`_lang/<tag>/`) as this load used them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translation {
    /// The translation whose text the lessons carry (its folder's tag), or
    /// `None`: the pack's own language (`Manifest::lang`).
    pub applied: Option<String>,
    /// The tags of every `_lang/<tag>/` folder, sorted.
    pub available: Vec<String>,
    /// Ids of the lessons that the applied translation translates; the
    /// others keep the original's text.
    pub lessons: Vec<String>,
    /// Said once to the learner when the language asked for could not be
    /// used (no such translation, or a broken one); the original is used.
    pub note: Option<String>,
}

impl Pack {
    /// The language of the text in effect: the applied translation's, else
    /// the pack's own.
    pub fn lang(&self) -> &str {
        self.translation
            .applied
            .as_deref()
            .unwrap_or(&self.manifest.lang)
    }
    /// The language a lesson's text is in (a lesson the translation leaves
    /// out keeps the original's).
    pub fn lesson_lang(&self, id: &str) -> &str {
        if self.translation.lessons.iter().any(|l| l == id) {
            self.lang()
        } else {
            &self.manifest.lang
        }
    }
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.lessons.iter().position(|l| l.id == id)
    }
}

/// `pack.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub format_version: u32,
    pub title: String,
    /// Image used by `network.reach` / `network.resolves` probes.
    pub probe_image: String,
    /// The language the pack is written in (`lang = "en"`, the default).
    pub lang: String,
}

/// The language of a pack whose pack.toml does not say.
pub const DEFAULT_LANG: &str = "en";

/// One file shipped with a lesson (starter or solution), path relative to
/// the `starter/` or `solution/` folder. Paths are validated: never absolute,
/// never containing `..`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackFile {
    pub rel_path: PathBuf,
    pub contents: Vec<u8>,
    pub executable: bool,
}

/// What a lesson asks the learner to create; the only names `reset` may remove.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Creates {
    pub images: Vec<String>,
    pub containers: Vec<String>,
    pub networks: Vec<String>,
    pub volumes: Vec<String>,
}

impl Creates {
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
            && self.containers.is_empty()
            && self.networks.is_empty()
            && self.volumes.is_empty()
    }
}

/// One lesson folder.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// `id` from the front matter, default: folder name without `NN-`.
    pub id: String,
    /// The folder name, e.g. `02-multi-stage`; also the workspace folder name.
    pub dir_name: String,
    pub title: String,
    pub summary: String,
    /// Images `dockdojo prepare` pulls for this lesson.
    pub images: Vec<String>,
    /// Capabilities: "swarm", "linux-host-network", "macvlan".
    pub requires: Vec<String>,
    pub creates: Creates,
    /// Progressive hints, nudge first.
    pub hints: Vec<String>,
    pub checks: Vec<CheckSpec>,
    /// The CommonMark body after the front matter.
    pub body: String,
    /// 1-based line in lesson.md where `body` starts.
    pub body_line: usize,
    pub starter: Vec<PackFile>,
    pub solution: Vec<PackFile>,
}

impl Lesson {
    pub fn check(&self, id: &str) -> Option<&CheckSpec> {
        self.checks.iter().find(|c| c.id == id)
    }
    /// `solution/solve.sh`, if the lesson has one.
    pub fn solve_script(&self) -> Option<&PackFile> {
        self.solution
            .iter()
            .find(|f| f.rel_path == std::path::Path::new("solve.sh"))
    }
}

/// One `[[check]]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSpec {
    pub id: String,
    pub title: String,
    pub why: Option<String>,
    pub hint: Option<String>,
    /// Evaluated only after these pass; otherwise `skipped`.
    pub needs: Vec<String>,
    /// Capabilities the engine must have for this check to mean anything;
    /// on an engine without one the check is `unsupported`, with the reason.
    pub requires: Vec<String>,
    pub kind: CheckKind,
}

/// Named path lists for `image.lacks` (see `check::sets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathSet {
    Shell,
    PackageManager,
    Compilers,
    NetworkTools,
}

impl PathSet {
    pub fn name(self) -> &'static str {
        match self {
            PathSet::Shell => "shell",
            PathSet::PackageManager => "package_manager",
            PathSet::Compilers => "compilers",
            PathSet::NetworkTools => "network_tools",
        }
    }
    pub fn from_name(s: &str) -> Option<PathSet> {
        Some(match s {
            "shell" => PathSet::Shell,
            "package_manager" => PathSet::PackageManager,
            "compilers" => PathSet::Compilers,
            "network_tools" => PathSet::NetworkTools,
            _ => return None,
        })
    }
    pub const ALL: [PathSet; 4] = [
        PathSet::Shell,
        PathSet::PackageManager,
        PathSet::Compilers,
        PathSet::NetworkTools,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Reachable,
    Unreachable,
}

/// A namespace one container can share with another (`container.shares`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Namespace {
    /// `--pid container:X`: the same process tree.
    Pid,
    /// `--network container:X`: the same interfaces, addresses and ports.
    Network,
    /// `--ipc container:X`: the same System V IPC and POSIX message queues.
    Ipc,
}

impl Namespace {
    pub const ALL: [Namespace; 3] = [Namespace::Pid, Namespace::Network, Namespace::Ipc];

    /// The spelling in lesson files and in `docker run` (`--pid`, `--network`, `--ipc`).
    pub fn as_str(self) -> &'static str {
        match self {
            Namespace::Pid => "pid",
            Namespace::Network => "network",
            Namespace::Ipc => "ipc",
        }
    }

    pub fn parse(s: &str) -> Option<Namespace> {
        Namespace::ALL.into_iter().find(|n| n.as_str() == s)
    }
}

/// What `container.security` asks of a running container. Every field is
/// optional; an empty spec only asks that the container runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecuritySpec {
    /// `--read-only`: the root filesystem is mounted read-only.
    pub read_only: Option<bool>,
    /// Paths that must be tmpfs mounts (`--tmpfs /tmp`).
    pub tmpfs: Vec<String>,
    /// Capabilities that must be gone, upper case without `CAP_`; `ALL`
    /// means every capability not in `cap_add`.
    pub cap_drop: Vec<String>,
    /// Capabilities the container may keep or add back (and no others beyond
    /// the engine's defaults, unless `cap_drop` removes those).
    pub cap_add: Vec<String>,
    /// `--security-opt no-new-privileges`.
    pub no_new_privileges: Option<bool>,
    /// The exact user (`Config.User`).
    pub user: Option<String>,
    /// Any user but root.
    pub not_root: bool,
    /// A memory limit at most this many bytes (`--memory`).
    pub memory: Option<u64>,
    /// A process limit at most this (`--pids-limit`).
    pub pids: Option<u32>,
}

/// The kind of a check with its typed fields (LESSON-FORMAT.md, "Check kinds").
#[derive(Debug, Clone, PartialEq)]
pub enum CheckKind {
    ImageExists {
        image: String,
    },
    ImageSize {
        image: String,
        max: Option<u64>,
        min: Option<u64>,
    },
    ImageSizeRatio {
        image: String,
        of: String,
        max: f64,
    },
    ImageLacks {
        image: String,
        paths: Vec<String>,
        sets: Vec<PathSet>,
    },
    ImageHas {
        image: String,
        paths: Vec<String>,
    },
    ImageUser {
        image: String,
        not_root: bool,
        user: Option<String>,
    },
    ImageLayers {
        image: String,
        max: u32,
    },
    ImagePackages {
        image: String,
        max: u32,
    },
    ImageHistory {
        image: String,
        patterns: Vec<String>,
    },
    ImageRun {
        image: String,
        args: Vec<String>,
        stdin: Option<String>,
        stdout_contains: Option<String>,
        stdout_equals: Option<String>,
        exit_code: Option<i64>,
        timeout: Duration,
    },
    DockerfileStages {
        file: String,
        min: u32,
    },
    DockerfileFinalBase {
        file: String,
        any_of: Vec<String>,
    },
    ContainerRunning {
        container: String,
        image: Option<String>,
    },
    ContainerNetworkMode {
        container: String,
        mode: String,
    },
    ContainerNetworks {
        container: String,
        includes: Vec<String>,
        excludes: Vec<String>,
    },
    ContainerPort {
        container: String,
        port: String,
        host_port: Option<u16>,
        reachable: bool,
    },
    ContainerSecurity {
        container: String,
        spec: SecuritySpec,
    },
    ContainerShares {
        container: String,
        target: String,
        namespaces: Vec<Namespace>,
    },
    NetworkExists {
        network: String,
        driver: Option<String>,
        scope: Option<String>,
        internal: Option<bool>,
        attachable: Option<bool>,
        subnet: Option<String>,
        gateway: Option<String>,
        options: BTreeMap<String, String>,
    },
    NetworkAbsent {
        network: String,
    },
    NetworkReach {
        from_network: String,
        to: String,
        port: Option<u16>,
        expect: Reach,
    },
    NetworkResolves {
        network: String,
        name: String,
        expect: bool,
    },
    SwarmActive,
}

impl CheckKind {
    /// The images the check inspects, by the names the lesson gives them.
    pub fn images(&self) -> Vec<&str> {
        match self {
            CheckKind::ImageExists { image }
            | CheckKind::ImageSize { image, .. }
            | CheckKind::ImageLacks { image, .. }
            | CheckKind::ImageHas { image, .. }
            | CheckKind::ImageUser { image, .. }
            | CheckKind::ImageLayers { image, .. }
            | CheckKind::ImagePackages { image, .. }
            | CheckKind::ImageHistory { image, .. }
            | CheckKind::ImageRun { image, .. } => vec![image],
            CheckKind::ImageSizeRatio { image, of, .. } => vec![of, image],
            CheckKind::ContainerRunning {
                image: Some(image), ..
            } => vec![image],
            _ => vec![],
        }
    }

    /// The `kind = "..."` spelling.
    pub fn name(&self) -> &'static str {
        match self {
            CheckKind::ImageExists { .. } => "image.exists",
            CheckKind::ImageSize { .. } => "image.size",
            CheckKind::ImageSizeRatio { .. } => "image.size_ratio",
            CheckKind::ImageLacks { .. } => "image.lacks",
            CheckKind::ImageHas { .. } => "image.has",
            CheckKind::ImageUser { .. } => "image.user",
            CheckKind::ImageLayers { .. } => "image.layers",
            CheckKind::ImagePackages { .. } => "image.packages",
            CheckKind::ImageHistory { .. } => "image.history",
            CheckKind::ImageRun { .. } => "image.run",
            CheckKind::DockerfileStages { .. } => "dockerfile.stages",
            CheckKind::DockerfileFinalBase { .. } => "dockerfile.final_base",
            CheckKind::ContainerRunning { .. } => "container.running",
            CheckKind::ContainerNetworkMode { .. } => "container.network_mode",
            CheckKind::ContainerNetworks { .. } => "container.networks",
            CheckKind::ContainerPort { .. } => "container.port",
            CheckKind::ContainerSecurity { .. } => "container.security",
            CheckKind::ContainerShares { .. } => "container.shares",
            CheckKind::NetworkExists { .. } => "network.exists",
            CheckKind::NetworkAbsent { .. } => "network.absent",
            CheckKind::NetworkReach { .. } => "network.reach",
            CheckKind::NetworkResolves { .. } => "network.resolves",
            CheckKind::SwarmActive => "swarm.active",
        }
    }

    /// True when the check needs no engine (reads only workspace files).
    pub fn is_offline(&self) -> bool {
        matches!(
            self,
            CheckKind::DockerfileStages { .. } | CheckKind::DockerfileFinalBase { .. }
        )
    }
}
