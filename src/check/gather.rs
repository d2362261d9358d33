//! Gathering facts from the engine (I/O). Image inspections are cached for
//! one run; path and package facts are cached by image id for the process
//! and, when one is installed, in the persistent [`super::cache`] (an image
//! id names immutable content).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use futures_util::StreamExt;

use crate::check::eval::normalize_image;
use crate::check::facts::*;
use crate::check::{glob, packages, probes};
use crate::engine::fs::ScanContainer;
use crate::engine::layers::{LayerDirs, LayerFs};
use crate::engine::{probe, Engine, EngineError};
use crate::lesson::PathSet;

/// Most matches listed for one pattern.
const MAX_MATCHES: usize = 20;
/// Most bytes read from package databases.
const PACKAGE_DB_LIMIT: u64 = 64 * 1024 * 1024;
/// With more path look-ups than this, the scan container's filesystem is
/// kept mounted while they run ([`ScanContainer::pin_mount`]).
const PIN_MOUNT_FROM: usize = 4;
/// Each probe try is bounded to this.
pub const TRY_BOUND: Duration = Duration::from_secs(2);
/// How long a published port is tried before the check says nothing answers.
pub const PORT_WINDOW: Duration = Duration::from_secs(2);
/// The pause between two tries of a published port.
const PORT_RETRY: Duration = Duration::from_millis(150);
/// Time for a probe container to start and stop, on top of its tries.
const PROBE_OVERHEAD: Duration = Duration::from_secs(5);

/// (image id, pattern) -> (present paths, their canonical spellings).
type PathCache = HashMap<(String, String), (Vec<String>, Vec<String>)>;

static PATHS: LazyLock<Mutex<PathCache>> = LazyLock::new(Default::default);
static PACKAGES: LazyLock<Mutex<HashMap<String, PackageCount>>> = LazyLock::new(Default::default);

/// Images whose persistent facts were already read into [`PATHS`].
static LOADED: LazyLock<Mutex<std::collections::HashSet<String>>> = LazyLock::new(Default::default);

fn cached_paths(image_id: &str, pattern: &str) -> Option<(Vec<String>, Vec<String>)> {
    load_persistent(image_id);
    PATHS
        .lock()
        .ok()?
        .get(&(image_id.to_string(), pattern.to_string()))
        .cloned()
}

/// Read what the persistent cache knows of this image, once per process.
fn load_persistent(image_id: &str) {
    let Some(cache) = super::cache::installed() else {
        return;
    };
    if !LOADED
        .lock()
        .is_ok_and(|mut l| l.insert(image_id.to_string()))
    {
        return;
    }
    let facts = cache.paths(image_id);
    if let Ok(mut m) = PATHS.lock() {
        for (pattern, v) in facts {
            m.entry((image_id.to_string(), pattern)).or_insert(v);
        }
    }
}

fn store_paths(image_id: &str, found: &[PathMatch]) {
    if let Ok(mut m) = PATHS.lock() {
        for f in found {
            m.insert(
                (image_id.to_string(), f.pattern.clone()),
                (f.present.clone(), f.canonical.clone()),
            );
        }
    }
    if let Some(cache) = super::cache::installed() {
        let rows: Vec<(&str, &[String], &[String])> = found
            .iter()
            .map(|f| (f.pattern.as_str(), &f.present[..], &f.canonical[..]))
            .collect();
        cache.store_paths(image_id, &rows);
    }
}

/// What earlier scans of this process found for `reqs` in image
/// `image_id`, without asking the engine: `None` for a request no scan has
/// answered yet.
pub fn known_paths(image_id: &str, reqs: &[(String, Option<PathSet>)]) -> Vec<Option<PathMatch>> {
    reqs.iter()
        .map(|(p, set)| {
            cached_paths(image_id, p).map(|(present, canonical)| PathMatch {
                pattern: p.clone(),
                set: *set,
                present,
                canonical,
            })
        })
        .collect()
}

/// Forget every image fact cached in this process (tests and benchmarks;
/// the persistent cache, when installed, is read again).
pub fn clear_cache() {
    if let Ok(mut m) = PATHS.lock() {
        m.clear();
    }
    if let Ok(mut m) = LOADED.lock() {
        m.clear();
    }
    if let Ok(mut m) = PACKAGES.lock() {
        m.clear();
    }
}

/// Gathers facts for the checks of one lesson.
pub struct Gatherer<'a> {
    pub engine: &'a Engine,
    pub lesson: &'a str,
    pub probe_image: &'a str,
    images: HashMap<String, Fact<Option<ImageFacts>>>,
    /// Each image's layers as opened for this run, by id (`None`: read
    /// through a scan container).
    layers: HashMap<String, Option<Arc<LayerFs>>>,
}

impl<'a> Gatherer<'a> {
    pub fn new(engine: &'a Engine, lesson: &'a str, probe_image: &'a str) -> Self {
        Gatherer {
            engine,
            lesson,
            probe_image,
            images: HashMap::new(),
            layers: HashMap::new(),
        }
    }

    fn err(&self, e: bollard::errors::Error) -> EngineError {
        EngineError::from_bollard(&self.engine.endpoint, e)
    }

    /// An inspection's answer: `Ok(None)` when the engine has no such object.
    fn found<T>(&self, r: Result<T, bollard::errors::Error>) -> Fact<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(e) => {
                let e = self.err(e);
                if e.is_not_found() {
                    Ok(None)
                } else {
                    Err(e.into())
                }
            }
        }
    }

    /// `image inspect`; `Ok(None)` when there is no such image.
    pub async fn image(&mut self, name: &str) -> Fact<Option<ImageFacts>> {
        let reference = normalize_image(name);
        if let Some(f) = self.images.get(&reference) {
            return f.clone();
        }
        let f = inspect_image(self.engine, &reference).await;
        self.images.insert(reference, f.clone());
        f
    }

    /// Inspect these images at once (those not asked yet), so that a check
    /// run waits for one round trip, not one per image.
    pub async fn prefetch_images(&mut self, names: &[&str]) {
        let mut todo: Vec<String> = names
            .iter()
            .map(|n| normalize_image(n))
            .filter(|r| !self.images.contains_key(r))
            .collect();
        todo.sort();
        todo.dedup();
        if todo.len() < 2 {
            return;
        }
        let engine = self.engine;
        let facts =
            futures_util::future::join_all(todo.iter().map(|r| inspect_image(engine, r))).await;
        self.images.extend(todo.into_iter().zip(facts));
    }

    /// Which of the requested paths / patterns exist in the image.
    pub async fn paths(
        &mut self,
        info: &ImageFacts,
        reqs: &[(String, Option<PathSet>)],
    ) -> Fact<Vec<PathMatch>> {
        let mut out = known_paths(&info.id, reqs);
        if out.iter().all(|m| m.is_some()) {
            return Ok(out.into_iter().flatten().collect());
        }
        if let Some(found) = self.paths_from_layers(info, reqs, &out).await {
            store_paths(&info.id, &found);
            return Ok(found);
        }
        // Many stats ahead: keep the filesystem mounted meanwhile (each stat
        // would otherwise mount and unmount it), where that is safe: which
        // engine this is is asked while the container is created.
        let todo = out.iter().filter(|m| m.is_none()).count();
        let (scan, kind) = tokio::join!(
            ScanContainer::create(self.engine, &info.id, self.lesson),
            async {
                if todo > PIN_MOUNT_FROM {
                    crate::engine::kind::kind(self.engine).await
                } else {
                    None
                }
            }
        );
        let scan = scan?;
        // An engine that could not be told keeps the cautious ways: no pin,
        // every "missing" asked twice.
        if kind.is_some_and(|k| k.trusts_missing()) {
            scan.trust_missing();
        }
        let pin_safe = kind.is_some_and(|k| k.keeps_mounts_safely());
        let pin = pin_safe.then(|| scan.pin_mount());
        let r = scan_paths(&scan, reqs, &mut out).await;
        if let Some(pin) = pin {
            pin.release().await;
        }
        scan.remove().await;
        r?;
        let found: Vec<PathMatch> = out.into_iter().flatten().collect();
        store_paths(&info.id, &found);
        Ok(found)
    }

    /// The paths and patterns still unknown in `known`, looked up in the
    /// image's layers on this machine ([`LayerFs`]) when the engine lets its
    /// layers be read. `None`: ask the engine.
    async fn paths_from_layers(
        &mut self,
        info: &ImageFacts,
        reqs: &[(String, Option<PathSet>)],
        known: &[Option<PathMatch>],
    ) -> Option<Vec<PathMatch>> {
        let layers = self.layers(info).await?;
        let source = Source::Layers(&layers);
        let mut out = known.to_vec();
        let read = match scan_literal(&source, reqs, &mut out).await {
            Ok(()) => scan_patterns(&source, reqs, &mut out).await,
            Err(e) => Err(e),
        };
        answer_from_layers(&layers, &info.id, read)?;
        out.into_iter().collect()
    }

    /// The image's layers on this machine, opened once per run
    /// ([`LayerFs::open`]); `None` when they cannot be read here.
    async fn layers(&mut self, info: &ImageFacts) -> Option<Arc<LayerFs>> {
        if let Some(l) = self.layers.get(&info.id) {
            return l.clone();
        }
        let l = LayerFs::open(self.engine, &info.layer_dirs)
            .await
            .ok()
            .map(Arc::new);
        self.layers.insert(info.id.clone(), l.clone());
        l
    }

    /// The OS package count of the image.
    pub async fn packages(&mut self, info: &ImageFacts) -> Fact<PackageCount> {
        if let Some(p) = PACKAGES.lock().ok().and_then(|m| m.get(&info.id).cloned()) {
            return Ok(p);
        }
        let cache = super::cache::installed();
        if let Some(p) = cache.and_then(|c| c.packages(&info.id)) {
            if let Ok(mut m) = PACKAGES.lock() {
                m.insert(info.id.clone(), p.clone());
            }
            return Ok(p);
        }
        let here = match self.layers(info).await {
            Some(layers) => {
                let r = count_packages(&Source::Layers(&layers)).await;
                answer_from_layers(&layers, &info.id, r)
            }
            None => None,
        };
        let p = match here {
            Some(p) => p,
            None => {
                let scan = ScanContainer::create(self.engine, &info.id, self.lesson).await?;
                let r = count_packages(&Source::Container(&scan)).await;
                scan.remove().await;
                r.map_err(SourceError::into_engine)?
            }
        };
        if let Some(c) = cache {
            c.store_packages(&info.id, &p);
        }
        if let Ok(mut m) = PACKAGES.lock() {
            m.insert(info.id.clone(), p.clone());
        }
        Ok(p)
    }

    /// `container inspect`; `Ok(None)` when there is no such container.
    pub async fn container(&mut self, name: &str) -> Fact<Option<ContainerFacts>> {
        let Some(c) =
            self.found(crate::engine::inventory::inspect_container(self.engine, name).await)?
        else {
            return Ok(None);
        };
        let state = c.state.clone().unwrap_or_default();
        let cfg = c.config.clone().unwrap_or_default();
        let host = c.host_config.clone().unwrap_or_default();
        let ns = c.network_settings.clone().unwrap_or_default();
        let mut networks = BTreeMap::new();
        for (n, ep) in ns.networks.unwrap_or_default() {
            networks.insert(n, ep.ip_address.unwrap_or_default());
        }
        let mut ports: BTreeMap<String, Vec<(String, u16)>> = BTreeMap::new();
        for (p, b) in ns.ports.unwrap_or_default() {
            let mut v = Vec::new();
            for pb in b.unwrap_or_default() {
                if let Some(hp) = pb.host_port.as_deref().and_then(|h| h.parse::<u16>().ok()) {
                    v.push((pb.host_ip.unwrap_or_default(), hp));
                }
            }
            v.sort();
            v.dedup_by_key(|(_, p)| *p);
            ports.insert(p, v);
        }
        let security = security_facts(&cfg, &host, &c.mounts);
        let network_mode = host.network_mode.clone().unwrap_or_default();
        let network_mode_name = if ["", "default", "bridge", "host", "none"]
            .contains(&network_mode.as_str())
            || network_mode.starts_with("container:")
        {
            None
        } else {
            // a network given by id: find its name
            match self
                .engine
                .docker
                .inspect_network(&network_mode, None)
                .await
            {
                Ok(n) => n.name.filter(|n| *n != network_mode),
                Err(_) => None,
            }
        };
        Ok(Some(ContainerFacts {
            name: c
                .name
                .unwrap_or_default()
                .trim_start_matches('/')
                .to_string(),
            id: c.id.unwrap_or_default(),
            running: state.running.unwrap_or(false),
            status: state.status.map(|s| s.to_string()).unwrap_or_default(),
            exit_code: state.exit_code,
            image_id: c.image.unwrap_or_default(),
            image_ref: cfg.image.unwrap_or_default(),
            network_mode,
            network_mode_name,
            networks,
            ports,
            pid_mode: host.pid_mode.unwrap_or_default(),
            ipc_mode: host.ipc_mode.unwrap_or_default(),
            security,
        }))
    }

    /// The image's build steps (`CreatedBy`), oldest first.
    pub async fn history(&mut self, info: &ImageFacts) -> Fact<Vec<String>> {
        let steps = crate::engine::images::history(self.engine, &info.id).await?;
        Ok(steps.into_iter().map(|s| s.created_by).collect())
    }

    /// `network inspect` by exact name; `Ok(None)` when no network has that name.
    pub async fn network(&mut self, name: &str) -> Fact<Option<NetworkFacts>> {
        let Some(n) = self.found(self.engine.docker.inspect_network(name, None).await)? else {
            return Ok(None);
        };
        let id = n.id.unwrap_or_default();
        let nname = n.name.unwrap_or_default();
        // the engine also matches id prefixes; a check names networks
        if nname != name && id != name {
            return Ok(None);
        }
        let ipam = n
            .ipam
            .and_then(|i| i.config)
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.subnet.unwrap_or_default(), c.gateway.unwrap_or_default()))
            .collect();
        Ok(Some(NetworkFacts {
            name: nname,
            id,
            driver: n.driver.unwrap_or_default(),
            scope: n.scope.unwrap_or_default(),
            internal: n.internal.unwrap_or(false),
            attachable: n.attachable.unwrap_or(false),
            ipam,
            options: n.options.unwrap_or_default().into_iter().collect(),
        }))
    }

    /// Run the image once in a throwaway container.
    pub async fn run(
        &mut self,
        info: &ImageFacts,
        args: &[String],
        stdin: Option<&str>,
        timeout: Duration,
    ) -> Fact<RunOutput> {
        let r = probe::run_image(
            self.engine,
            &info.reference,
            args,
            stdin,
            timeout,
            self.lesson,
        )
        .await?;
        Ok(RunOutput {
            stdout: r.stdout,
            stderr: r.stderr,
            exit_code: r.exit_code,
            timed_out: r.timed_out,
            start_error: r.start_error,
        })
    }

    async fn require_probe_image(&mut self) -> Fact<()> {
        let probe = self.probe_image.to_string();
        match self.image(&probe).await? {
            Some(_) => Ok(()),
            None => Err(FactError(format!(
                "the probe image {} is missing, so dockdojo cannot test the network; run `dockdojo prepare`",
                normalize_image(&probe)
            ))),
        }
    }

    /// Can a probe on `from` reach container `to`?
    pub async fn reach(&mut self, from: &str, to: &str, port: Option<u16>) -> Fact<ReachFacts> {
        let Some(from_net) = self.network(from).await? else {
            return Ok(ReachFacts::NoSuchNetwork);
        };
        let from_gateways: Vec<String> = if from_net.driver == "bridge" {
            from_net
                .ipam
                .iter()
                // Docker 20.10 lists no gateway for the default bridge: its
                // gateway is then the subnet's first address (docker0's, unless
                // the daemon was given another --bip)
                .map(|(subnet, gw)| {
                    if gw.is_empty() {
                        first_host(subnet).unwrap_or_default()
                    } else {
                        gw.clone()
                    }
                })
                .filter(|gw| !gw.is_empty() && !gw.contains(':'))
                .collect()
        } else {
            Vec::new()
        };
        let Some(target) = self.container(to).await? else {
            return Ok(ReachFacts::NoSuchTarget);
        };
        if !target.running {
            return Ok(ReachFacts::TargetNotRunning {
                status: target.status.clone(),
            });
        }
        let mut addrs: Vec<String> = target
            .networks
            .values()
            .filter(|a| !a.is_empty())
            .cloned()
            .collect();
        addrs.sort();
        addrs.dedup();
        // A container on the host's network has no address of its own: from a
        // bridge network it is the host, at that network's gateway address.
        let via_host =
            addrs.is_empty() && target.network_mode == "host" && !from_gateways.is_empty();
        if via_host {
            addrs = from_gateways;
        }
        if addrs.is_empty() {
            return Ok(ReachFacts::TargetWithoutAddress {
                network_mode: target.network_mode.clone(),
            });
        }
        self.require_probe_image().await?;
        let (script, method, mut args) = match port {
            Some(p) => (probes::TCP_SCRIPT, format!("tcp/{p}"), vec![p.to_string()]),
            None => (probes::ICMP_SCRIPT, "icmp".to_string(), vec![]),
        };
        args.extend(addrs.iter().cloned());
        let bound = TRY_BOUND * addrs.len() as u32 + PROBE_OVERHEAD;
        let out = probe::run_probe(
            self.engine,
            self.probe_image,
            from,
            script,
            &args,
            bound,
            self.lesson,
        )
        .await
        .map_err(|e| probe_error(e, from))?;
        Ok(ReachFacts::Probed {
            attempts: probes::parse_reach(&out.stdout, &method),
            timed_out: out.timed_out,
            via_host,
        })
    }

    /// Does `name` resolve for a probe on `network`?
    pub async fn resolves(&mut self, network: &str, name: &str) -> Fact<ResolveFacts> {
        if self.network(network).await?.is_none() {
            return Ok(ResolveFacts::NoSuchNetwork);
        }
        self.require_probe_image().await?;
        let out = probe::run_probe(
            self.engine,
            self.probe_image,
            network,
            probes::RESOLVE_SCRIPT,
            &[name.to_string()],
            TRY_BOUND + PROBE_OVERHEAD,
            self.lesson,
        )
        .await
        .map_err(|e| probe_error(e, network))?;
        Ok(ResolveFacts::Probed {
            addresses: probes::parse_resolve(&out.stdout),
            timed_out: out.timed_out,
        })
    }

    /// A TCP connection to a published port.
    pub async fn port_reach(&self, host_ip: &str, host_port: u16) -> PortReach {
        let host = if host_ip.is_empty() || host_ip == "0.0.0.0" || host_ip == "::" {
            engine_host(&self.engine.endpoint.url)
        } else {
            host_ip.to_string()
        };
        let address = if host.contains(':') {
            format!("[{host}]:{host_port}")
        } else {
            format!("{host}:{host_port}")
        };
        // Right after a container starts, the engine's proxy may accept
        // before the server inside listens: try again for a short while.
        let deadline = tokio::time::Instant::now() + PORT_WINDOW;
        loop {
            let result = probe::tcp_connect(&address, TRY_BOUND).await;
            let now = tokio::time::Instant::now();
            if result.is_ok() || now + PORT_RETRY > deadline {
                return PortReach { address, result };
            }
            tokio::time::sleep(PORT_RETRY).await;
        }
    }

    /// `/info`: swarm state.
    pub async fn swarm(&mut self) -> Fact<SwarmFacts> {
        let info = self.engine.docker.info().await.map_err(|e| self.err(e))?;
        let s = info.swarm.unwrap_or_default();
        Ok(SwarmFacts {
            state: s
                .local_node_state
                .map(|s| s.to_string())
                .unwrap_or_default(),
            control_available: s.control_available.unwrap_or(false),
        })
    }
}

/// A probe that cannot join the network: say why in words, and what to do.
fn probe_error(e: EngineError, network: &str) -> FactError {
    let text = e.to_string();
    if text.contains("not manually attachable") {
        FactError(format!(
            "dockdojo's probe container cannot join {network}: it is a swarm overlay network created without --attachable. Create it with `docker network create --driver overlay --attachable {network}`"
        ))
    } else {
        e.into()
    }
}

/// Where published ports are reachable: the engine's host for `tcp://`
/// endpoints, else this machine.
pub fn engine_host(url: &str) -> String {
    if let Some(rest) = url
        .strip_prefix("tcp://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("https://"))
    {
        let hostport = rest.split('/').next().unwrap_or(rest);
        let host = match hostport.rsplit_once(':') {
            Some((h, _)) => h,
            None => hostport,
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if !host.is_empty() {
            return host.to_string();
        }
    }
    "127.0.0.1".to_string()
}

/// A container's security settings, as its inspect gives them.
fn security_facts(
    cfg: &bollard::models::ContainerConfig,
    host: &bollard::models::HostConfig,
    mounts: &Option<Vec<bollard::models::MountPoint>>,
) -> SecurityFacts {
    use crate::lesson::caps;
    let norm = |v: &Option<Vec<String>>| -> Vec<String> {
        v.as_deref()
            .unwrap_or_default()
            .iter()
            .map(|c| caps::normalize(c))
            .collect()
    };
    let mut tmpfs: Vec<String> = host
        .tmpfs
        .as_ref()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let tmpfs_type = |t: &str| t.eq_ignore_ascii_case("tmpfs");
    for m in host.mounts.as_deref().unwrap_or_default() {
        if m.typ.as_ref().is_some_and(|t| tmpfs_type(&t.to_string())) {
            tmpfs.extend(m.target.clone());
        }
    }
    for m in mounts.as_deref().unwrap_or_default() {
        if m.typ.as_ref().is_some_and(|t| tmpfs_type(&t.to_string())) {
            tmpfs.extend(m.destination.clone());
        }
    }
    let mut tmpfs: Vec<String> = tmpfs.iter().map(|p| glob::normalize(p)).collect();
    tmpfs.sort();
    tmpfs.dedup();
    SecurityFacts {
        read_only: host.readonly_rootfs.unwrap_or(false),
        privileged: host.privileged.unwrap_or(false),
        cap_add: norm(&host.cap_add),
        cap_drop: norm(&host.cap_drop),
        security_opt: host.security_opt.clone().unwrap_or_default(),
        user: cfg.user.clone().unwrap_or_default(),
        memory: host.memory.unwrap_or(0),
        pids_limit: host.pids_limit,
        tmpfs,
    }
}

/// `image inspect` of a normalised reference.
pub async fn inspect_image(engine: &Engine, reference: &str) -> Fact<Option<ImageFacts>> {
    match engine.docker.inspect_image(reference).await {
        Ok(i) => {
            let layer_dirs = LayerDirs::of(&i);
            let id = i.id.unwrap_or_default();
            let inspect_size = i.size.unwrap_or(0).max(0) as u64;
            let cache = super::cache::installed();
            let size = match cache.and_then(|c| c.unpacked_size(&id)) {
                Some(s) => s,
                None => {
                    // Kept only when the history carries sizes: the fallback,
                    // inspect's Size, may change with what the engine has unpacked.
                    let steps = crate::engine::images::history(engine, &id).await?;
                    match crate::engine::images::sum_of(&steps) {
                        Some(s) => {
                            if let Some(c) = cache {
                                c.store_unpacked_size(&id, s);
                            }
                            s
                        }
                        None => inspect_size,
                    }
                }
            };
            let config = i.config.unwrap_or_default();
            let layers = i
                .root_fs
                .and_then(|r| r.layers)
                .map(|l| l.len())
                .unwrap_or(0);
            Ok(Some(ImageFacts {
                reference: reference.to_string(),
                id,
                size,
                user: config.user.unwrap_or_default(),
                env: config.env.unwrap_or_default(),
                labels: config.labels.unwrap_or_default().into_iter().collect(),
                layers,
                layer_dirs,
            }))
        }
        Err(e) => {
            let e = EngineError::from_bollard(&engine.endpoint, e);
            if e.is_not_found() {
                Ok(None)
            } else {
                Err(e.into())
            }
        }
    }
}

async fn scan_paths(
    scan: &ScanContainer,
    reqs: &[(String, Option<PathSet>)],
    out: &mut [Option<PathMatch>],
) -> Result<(), EngineError> {
    let source = Source::Container(scan);
    scan_literal(&source, reqs, out)
        .await
        .map_err(SourceError::into_engine)?;
    scan_patterns(&source, reqs, out)
        .await
        .map_err(SourceError::into_engine)
}

/// Where an image's files are read (paths, patterns, package databases): a
/// scan container, or the image's layers on this machine. Both answer alike
/// (the engine tests compare them).
enum Source<'a> {
    Container(&'a ScanContainer),
    Layers(&'a LayerFs),
}

#[derive(Debug, thiserror::Error)]
enum SourceError {
    #[error(transparent)]
    Engine(EngineError),
    #[error("{0}")]
    Layers(std::io::Error),
}

/// What the layers answered, if it stands: read without error and the layers
/// still there afterwards (an image removed meanwhile leaves no answer).
/// `None`: ask the engine.
fn answer_from_layers<T>(layers: &LayerFs, image: &str, r: Result<T, SourceError>) -> Option<T> {
    match r {
        Ok(v) if layers.intact() => Some(v),
        Ok(_) => None,
        Err(e) => {
            tracing::debug!("reading {image}'s layers: {e}; asking the engine");
            None
        }
    }
}

impl SourceError {
    /// The error of a scan container (whose errors are all the engine's).
    fn into_engine(self) -> EngineError {
        match self {
            SourceError::Engine(e) => e,
            SourceError::Layers(e) => EngineError::Config(e.to_string()),
        }
    }
}

impl Source<'_> {
    /// Walk `dir` and what lies under it (see `ScanContainer::walk`).
    async fn walk<F>(&self, dir: &str, visit: F) -> Result<bool, SourceError>
    where
        F: FnMut(&str) -> bool + Send + 'static,
    {
        match self {
            Source::Container(s) => s.walk(dir, visit).await.map_err(SourceError::Engine),
            Source::Layers(l) => l.walk_entries(dir, visit).map_err(SourceError::Layers),
        }
    }

    async fn read_files(
        &self,
        path: &str,
        limit: u64,
    ) -> Result<Option<crate::engine::fs::ImageFiles>, SourceError> {
        match self {
            Source::Container(s) => s.read_files(path, limit).await.map_err(SourceError::Engine),
            Source::Layers(l) => l.read_files(path, limit).map_err(SourceError::Layers),
        }
    }

    async fn resolve(&self, path: &str) -> Result<Option<String>, SourceError> {
        match self {
            Source::Container(s) => s.resolve(path).await.map_err(SourceError::Engine),
            Source::Layers(l) => l.resolve(path).map_err(SourceError::Layers),
        }
    }

    async fn exists(&self, path: &str) -> Result<bool, SourceError> {
        match self {
            Source::Container(s) => s.exists(path).await.map_err(SourceError::Engine),
            Source::Layers(l) => l.exists(path).map_err(SourceError::Layers),
        }
    }
}

/// Answer the literal paths of `reqs` still unknown in `out`.
async fn scan_literal(
    scan: &Source<'_>,
    reqs: &[(String, Option<PathSet>)],
    out: &mut [Option<PathMatch>],
) -> Result<(), SourceError> {
    // literal paths: one stat each, a few at a time; first the distinct
    // parent directories, so that paths under a missing directory cost nothing
    // (a scratch or distroless image has few of the usual bin directories)
    let literal: Vec<usize> = (0..reqs.len())
        .filter(|&i| out[i].is_none() && !glob::is_glob(&reqs[i].0))
        .collect();
    let mut parents: Vec<String> = literal
        .iter()
        .map(|&i| parent_dir(&glob::normalize(&reqs[i].0)))
        .filter(|p| p != "/")
        .collect();
    parents.sort();
    parents.dedup();
    // directory -> where it really is (None: missing)
    let parent_real: HashMap<String, Option<String>> = if parents.len() * 2 < literal.len() {
        ask_each(parents, |p| async move { scan.resolve(&p).await }).await?
    } else {
        HashMap::new()
    };
    // Where each path really is: `/bin/sh` is `/usr/bin/sh` when `/bin` links
    // to `usr/bin` (merged /usr). Paths that are one file are asked once; the
    // engine resolves parent links itself, so the answer is the same.
    let canonical_of = |path: &str| -> String {
        match parent_real.get(&parent_dir(path)) {
            Some(Some(real)) => {
                let name = path.rsplit('/').next().unwrap_or("");
                glob::normalize(&format!("{real}/{name}"))
            }
            _ => path.to_string(),
        }
    };
    let mut distinct: Vec<String> = Vec::new();
    for &i in &literal {
        let path = glob::normalize(&reqs[i].0);
        if parent_real.get(&parent_dir(&path)) == Some(&None) {
            continue;
        }
        let canon = canonical_of(&path);
        if !distinct.contains(&canon) {
            distinct.push(canon);
        }
    }
    let answers: HashMap<String, bool> =
        ask_each(distinct, |p| async move { scan.exists(&p).await }).await?;
    for i in literal {
        let path = glob::normalize(&reqs[i].0);
        let canon = canonical_of(&path);
        let (present, canonical) = if answers.get(&canon) == Some(&true) {
            (vec![path], vec![canon])
        } else {
            (vec![], vec![])
        };
        out[i] = Some(PathMatch {
            pattern: reqs[i].0.clone(),
            set: reqs[i].1,
            present,
            canonical,
        });
    }
    Ok(())
}

/// Answer the patterns of `reqs`: walk what lies under their literal prefix.
async fn scan_patterns(
    scan: &Source<'_>,
    reqs: &[(String, Option<PathSet>)],
    out: &mut [Option<PathMatch>],
) -> Result<(), SourceError> {
    for i in 0..reqs.len() {
        if out[i].is_some() {
            continue;
        }
        let pattern = reqs[i].0.clone();
        let prefix = glob::literal_prefix(&pattern);
        let found = Arc::new(Mutex::new(Vec::<String>::new()));
        let sink = found.clone();
        let pat = pattern.clone();
        scan.walk(&prefix, move |p| {
            if glob::matches(&pat, p) {
                if let Ok(mut v) = sink.lock() {
                    if !v.contains(&p.to_string()) {
                        v.push(p.to_string());
                    }
                    return v.len() < MAX_MATCHES;
                }
            }
            true
        })
        .await?;
        let present = found.lock().map(|v| v.clone()).unwrap_or_default();
        out[i] = Some(PathMatch {
            pattern,
            set: reqs[i].1,
            canonical: present.clone(),
            present,
        });
    }
    Ok(())
}

/// One question per path, 8 in flight (the engine serialises stats on one
/// scan container; more in flight measured no faster).
async fn ask_each<T, E, Fut>(
    paths: Vec<String>,
    ask: impl Fn(String) -> Fut,
) -> Result<HashMap<String, T>, E>
where
    Fut: std::future::Future<Output = Result<T, E>>,
{
    let answers: Vec<(String, Result<T, E>)> = futures_util::stream::iter(paths)
        .map(|p| {
            let answer = ask(p.clone());
            async move { (p, answer.await) }
        })
        .buffered(8)
        .collect()
        .await;
    let mut m = HashMap::new();
    for (p, r) in answers {
        m.insert(p, r?);
    }
    Ok(m)
}

fn parent_dir(path: &str) -> String {
    match path.rsplit_once('/') {
        Some(("", _)) | None => "/".to_string(),
        Some((p, _)) => p.to_string(),
    }
}

async fn count_packages(scan: &Source<'_>) -> Result<PackageCount, SourceError> {
    let mut p = PackageCount::default();
    if let Some(files) = scan
        .read_files("/var/lib/dpkg/status", PACKAGE_DB_LIMIT)
        .await?
    {
        for (_, data) in files {
            p.count += packages::count_dpkg(&String::from_utf8_lossy(&data));
        }
        p.sources.push("/var/lib/dpkg/status".into());
    }
    if let Some(files) = scan
        .read_files("/var/lib/dpkg/status.d", PACKAGE_DB_LIMIT)
        .await?
    {
        let mut n = 0;
        for (name, data) in files {
            if name.ends_with(".md5sums") {
                continue;
            }
            n += packages::count_dpkg(&String::from_utf8_lossy(&data));
        }
        p.count += n;
        p.sources.push("/var/lib/dpkg/status.d/".into());
    }
    if let Some(files) = scan
        .read_files("/lib/apk/db/installed", PACKAGE_DB_LIMIT)
        .await?
    {
        for (_, data) in files {
            p.count += packages::count_apk(&String::from_utf8_lossy(&data));
        }
        p.sources.push("/lib/apk/db/installed".into());
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::engine_host;

    #[test]
    fn a_probe_that_cannot_join_an_overlay_says_what_to_do() {
        let e = crate::engine::EngineError::Api {
            endpoint: "unix:///var/run/docker.sock".into(),
            status: 403,
            message: "Could not attach to network ledger-overlay: rpc error: network ledger-overlay not manually attachable".into(),
        };
        let f = super::probe_error(e, "ledger-overlay");
        assert!(f.0.contains("--attachable ledger-overlay"), "{f}");
    }

    #[test]
    fn published_ports_are_reached_where_the_engine_is() {
        assert_eq!(engine_host("unix:///var/run/docker.sock"), "127.0.0.1");
        assert_eq!(engine_host("tcp://10.0.0.5:2376"), "10.0.0.5");
        assert_eq!(engine_host("tcp://[::1]:2375"), "::1");
    }
}

/// The first host address of an IPv4 subnet (`172.17.0.0/16` -> `172.17.0.1`),
/// which Docker's IPAM makes the gateway when none is given.
fn first_host(subnet: &str) -> Option<String> {
    let (addr, len) = subnet.split_once('/')?;
    let addr: std::net::Ipv4Addr = addr.parse().ok()?;
    let len: u32 = len.parse().ok()?;
    if len > 30 {
        return None;
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some(std::net::Ipv4Addr::from((u32::from(addr) & mask) + 1).to_string())
}

#[cfg(test)]
mod first_host_tests {
    use super::first_host;

    #[test]
    fn first_host_of_a_subnet() {
        assert_eq!(first_host("172.17.0.0/16").as_deref(), Some("172.17.0.1"));
        assert_eq!(first_host("10.1.2.128/25").as_deref(), Some("10.1.2.129"));
        assert_eq!(first_host("fd00::/64"), None);
        assert_eq!(first_host("10.0.0.4/32"), None);
        assert_eq!(first_host(""), None);
    }
}
