//! Safe cleanup for `reset` and `dev verify`.
//!
//! dockdojo removes only:
//! - objects whose name EXACTLY matches a name in a lesson's `creates`
//!   (image references compared after normalising `:latest` and the
//!   `docker.io/library/` prefix; `finance-old` is not `finance`);
//! - containers labelled `dev.dockdojo.managed=true` (a label inherited from
//!   an image does not count unless the container also carries this install's
//!   value; one carrying another install's value belongs to that install);
//! - images, networks and volumes labelled `dev.dockdojo.managed=true` AND
//!   carrying this install's `dev.dockdojo.install` value (image labels are
//!   inherited by images built FROM them, so a label alone is not proof).
//!
//! Selection ([`select`]) is a pure function over an [`Objects`], unit-tested
//! without an engine; [`inventory`] and [`execute`] do the I/O.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::Path;

use bollard::query_parameters::{
    ListNetworksOptions, ListVolumesOptions, RemoveContainerOptions, RemoveImageOptions,
    RemoveVolumeOptions, StopContainerOptions,
};

use super::labels::{INSTALL, LESSON, MANAGED};
use super::{Engine, EngineError};

/// Networks the engine makes itself; never removed, whatever a pack says.
const PREDEFINED_NETWORKS: &[&str] = &["bridge", "host", "none", "ingress", "docker_gwbridge"];

/// This install's random value (created once in `DOCKDOJO_HOME/install-id`).
pub fn install_id(home: &Path) -> std::io::Result<String> {
    let path = home.join("install-id");
    if let Ok(s) = std::fs::read_to_string(&path) {
        let s = s.trim();
        if is_valid_id(s) {
            return Ok(s.to_string());
        }
    }
    std::fs::create_dir_all(home)?;
    let id = random_hex();
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(mut f) => {
            f.write_all(id.as_bytes())?;
            f.sync_all()?;
            Ok(id)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            // Another process created it first, or it holds garbage: use a
            // valid value if there is one, otherwise replace it.
            let s = std::fs::read_to_string(&path)?;
            if is_valid_id(s.trim()) {
                Ok(s.trim().to_string())
            } else {
                std::fs::write(&path, id.as_bytes())?;
                Ok(id)
            }
        }
        Err(e) => Err(e),
    }
}

fn is_valid_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn random_hex() -> String {
    let mut buf = [0u8; 16];
    let from_os = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut buf))
        .is_ok();
    if !from_os {
        use sha2::{Digest, Sha256};
        let seed = format!(
            "{:?}{}{:?}",
            std::time::SystemTime::now(),
            std::process::id(),
            std::thread::current().id()
        );
        buf.copy_from_slice(&Sha256::digest(seed.as_bytes())[..16]);
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// Labels for an object dockdojo creates: managed, lesson, purpose and this
/// install's value. Use these (not just `helper_labels`) for anything that
/// is not removed right away, so `reset` can prove it is ours.
pub fn install_labels(
    home: &Path,
    lesson: &str,
    purpose: &str,
) -> std::io::Result<HashMap<String, String>> {
    let mut m = super::labels::base_labels(lesson, purpose);
    m.insert(INSTALL.to_string(), install_id(home)?);
    Ok(m)
}

/// `calc-app` -> `calc-app:latest`; `docker.io/library/x:1` -> `x:1`.
/// Digest references are kept as they are.
pub fn normalize_image_ref(r: &str) -> String {
    super::image_ref::canonical(r)
}

/// Which managed objects a cleanup may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagedScope {
    /// Every dockdojo-managed object (reset --all).
    All,
    /// Only those labelled with one of these lesson ids.
    Lessons(BTreeSet<String>),
}

impl ManagedScope {
    fn admits(&self, labels: &HashMap<String, String>) -> bool {
        match self {
            ManagedScope::All => true,
            ManagedScope::Lessons(ids) => labels.get(LESSON).is_some_and(|l| ids.contains(l)),
        }
    }
}

/// What to clean: the `creates` names of some lessons plus managed objects.
#[derive(Debug, Clone)]
pub struct Target {
    /// (name, lesson id) for each kind.
    pub containers: Vec<(String, String)>,
    pub images: Vec<(String, String)>,
    pub networks: Vec<(String, String)>,
    pub volumes: Vec<(String, String)>,
    pub managed: ManagedScope,
    /// This install's `dev.dockdojo.install` value.
    pub install: String,
    /// Podman names local images `localhost/NAME`: compare without that prefix.
    pub podman: bool,
}

impl Target {
    /// What lessons name in their `creates`.
    pub fn for_lessons(
        lessons: &[LessonNames<'_>],
        managed: ManagedScope,
        install: String,
    ) -> Target {
        let mut t = Target {
            containers: vec![],
            images: vec![],
            networks: vec![],
            volumes: vec![],
            managed,
            install,
            podman: false,
        };
        for creates in lessons {
            let id = creates.lesson.to_string();
            t.containers
                .extend(creates.containers.iter().map(|n| (n.clone(), id.clone())));
            t.images
                .extend(creates.images.iter().map(|n| (n.clone(), id.clone())));
            t.networks
                .extend(creates.networks.iter().map(|n| (n.clone(), id.clone())));
            t.volumes
                .extend(creates.volumes.iter().map(|n| (n.clone(), id.clone())));
        }
        t
    }
}

/// The names one lesson's `creates` lists (the only names a cleanup may
/// take besides dockdojo's own labelled objects).
#[derive(Debug, Clone, Copy)]
pub struct LessonNames<'a> {
    pub lesson: &'a str,
    pub containers: &'a [String],
    pub images: &'a [String],
    pub networks: &'a [String],
    pub volumes: &'a [String],
}

/// What the engine has (only the fields selection needs).
#[derive(Debug, Clone, Default)]
pub struct Objects {
    pub containers: Vec<LabelledContainer>,
    pub images: Vec<LabelledImage>,
    pub networks: Vec<LabelledObject>,
    pub volumes: Vec<LabelledObject>,
}

#[derive(Debug, Clone, Default)]
pub struct LabelledContainer {
    pub id: String,
    /// Without the leading `/`.
    pub names: Vec<String>,
    pub labels: HashMap<String, String>,
    pub running: bool,
    /// Labels of the container's image, when the container is labelled
    /// managed (to tell an inherited label from our own).
    pub image_labels: Option<HashMap<String, String>>,
}

#[derive(Debug, Clone, Default)]
pub struct LabelledImage {
    pub id: String,
    pub tags: Vec<String>,
    pub labels: HashMap<String, String>,
}

#[derive(Debug, Clone, Default)]
pub struct LabelledObject {
    pub id: String,
    pub name: String,
    pub labels: HashMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Container,
    Image,
    Network,
    Volume,
}

impl ObjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Container => "container",
            ObjectKind::Image => "image",
            ObjectKind::Network => "network",
            ObjectKind::Volume => "volume",
        }
    }
}

/// One object a cleanup will remove, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub kind: ObjectKind,
    /// What is removed: a container/network/volume id, or an image tag.
    pub target: String,
    /// The name shown to the user.
    pub name: String,
    pub id: String,
    /// e.g. `named by lesson multi-stage`, `dockdojo helper (probe)`.
    pub reason: String,
    pub running: bool,
}

/// Everything a cleanup removes, in order: containers, images, networks, volumes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub containers: Vec<Planned>,
    pub images: Vec<Planned>,
    pub networks: Vec<Planned>,
    pub volumes: Vec<Planned>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.containers.is_empty()
            && self.images.is_empty()
            && self.networks.is_empty()
            && self.volumes.is_empty()
    }
    pub fn all(&self) -> impl Iterator<Item = &Planned> {
        self.containers
            .iter()
            .chain(&self.images)
            .chain(&self.networks)
            .chain(&self.volumes)
    }
    pub fn len(&self) -> usize {
        self.all().count()
    }
}

fn is_managed(labels: &HashMap<String, String>) -> bool {
    labels.get(MANAGED).map(String::as_str) == Some("true")
}

fn has_install(labels: &HashMap<String, String>, install: &str) -> bool {
    !install.is_empty() && labels.get(INSTALL).map(String::as_str) == Some(install)
}

/// Labelled with another install's value (another dockdojo on this engine).
fn foreign_install(labels: &HashMap<String, String>, install: &str) -> bool {
    labels.get(INSTALL).is_some_and(|v| v != install)
}

fn managed_reason(labels: &HashMap<String, String>) -> String {
    let purpose = labels
        .get(super::labels::PURPOSE)
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    format!("dockdojo helper{purpose}")
}

/// Choose what to remove. Pure: exact names and labels only.
pub fn select(target: &Target, inv: &Objects) -> Plan {
    let mut plan = Plan::default();

    for c in &inv.containers {
        let named = target
            .containers
            .iter()
            .find(|(n, _)| c.names.iter().any(|cn| cn == n));
        let reason = if let Some((_, lesson)) = named {
            Some(format!("named by lesson {lesson}"))
        } else if is_managed(&c.labels)
            && target.managed.admits(&c.labels)
            && !foreign_install(&c.labels, &target.install)
            && (has_install(&c.labels, &target.install)
                || !c.image_labels.as_ref().is_some_and(is_managed))
        {
            Some(managed_reason(&c.labels))
        } else {
            None
        };
        if let Some(reason) = reason {
            plan.containers.push(Planned {
                kind: ObjectKind::Container,
                target: c.id.clone(),
                name: c.names.first().cloned().unwrap_or_else(|| c.id.clone()),
                id: c.id.clone(),
                reason,
                running: c.running,
            });
        }
    }

    let wanted: Vec<(String, &String)> = target
        .images
        .iter()
        .map(|(n, l)| (normalize_image_ref(n), l))
        .collect();
    for img in &inv.images {
        let mut by_name = false;
        for tag in &img.tags {
            if tag == "<none>:<none>" {
                continue;
            }
            let norm = match tag.strip_prefix("localhost/") {
                Some(local) if target.podman => normalize_image_ref(local),
                _ => normalize_image_ref(tag),
            };
            if let Some((_, lesson)) = wanted.iter().find(|(w, _)| *w == norm) {
                by_name = true;
                plan.images.push(Planned {
                    kind: ObjectKind::Image,
                    target: tag.clone(),
                    name: tag.clone(),
                    id: img.id.clone(),
                    reason: format!("named by lesson {lesson}"),
                    running: false,
                });
            }
        }
        if !by_name
            && is_managed(&img.labels)
            && has_install(&img.labels, &target.install)
            && target.managed.admits(&img.labels)
        {
            plan.images.push(Planned {
                kind: ObjectKind::Image,
                target: img.id.clone(),
                name: img.tags.first().cloned().unwrap_or_else(|| img.id.clone()),
                id: img.id.clone(),
                reason: managed_reason(&img.labels),
                running: false,
            });
        }
    }

    let named_or_managed = |list: &[(String, String)], o: &LabelledObject, kind: ObjectKind| {
        if kind == ObjectKind::Network && PREDEFINED_NETWORKS.contains(&o.name.as_str()) {
            return None;
        }
        let reason = if let Some((_, lesson)) = list.iter().find(|(n, _)| *n == o.name) {
            format!("named by lesson {lesson}")
        } else if is_managed(&o.labels)
            && has_install(&o.labels, &target.install)
            && target.managed.admits(&o.labels)
        {
            managed_reason(&o.labels)
        } else {
            return None;
        };
        Some(Planned {
            kind,
            target: if kind == ObjectKind::Volume {
                o.name.clone()
            } else {
                o.id.clone()
            },
            name: o.name.clone(),
            id: o.id.clone(),
            reason,
            running: false,
        })
    };
    plan.networks = inv
        .networks
        .iter()
        .filter_map(|n| named_or_managed(&target.networks, n, ObjectKind::Network))
        .collect();
    plan.volumes = inv
        .volumes
        .iter()
        .filter_map(|v| named_or_managed(&target.volumes, v, ObjectKind::Volume))
        .collect();
    plan
}

/// A helper container as the leftover sweep sees it.
#[derive(Debug, Clone, Default)]
pub struct HelperInfo {
    pub id: String,
    pub labels: HashMap<String, String>,
    /// Creation time, seconds since the epoch.
    pub created: i64,
}

/// A helper whose creator gave no pid is presumed live for this long.
pub const LEFTOVER_MIN_AGE_SECS: i64 = 60;
/// A helper is never live for this long, whatever its pid (pids are reused).
pub const LEFTOVER_MAX_AGE_SECS: i64 = 3600;

/// Is `c` a helper container left behind by a run of this install that
/// ended before it could remove it (killed, or cut off from the engine)?
/// Only short-lived helpers (scan, probe, run) labelled managed with this
/// install's value qualify; then: its creating process no longer runs, or
/// (without a pid label) it is older than a minute, or it is older than an
/// hour. Pure: `alive` answers whether a process id runs.
pub fn is_leftover(c: &HelperInfo, install: &str, now: i64, alive: &dyn Fn(u32) -> bool) -> bool {
    if !is_managed(&c.labels) || !has_install(&c.labels, install) {
        return false;
    }
    let helper = c
        .labels
        .get(super::labels::PURPOSE)
        .is_some_and(|p| super::labels::HELPER_PURPOSES.contains(&p.as_str()));
    if !helper {
        return false;
    }
    let age = now.saturating_sub(c.created);
    if age > LEFTOVER_MAX_AGE_SECS {
        return true;
    }
    match c
        .labels
        .get(super::labels::PID)
        .and_then(|p| p.parse::<u32>().ok())
    {
        Some(pid) if pid == std::process::id() => false,
        Some(pid) => !alive(pid),
        None => age > LEFTOVER_MIN_AGE_SECS,
    }
}

/// Does a process with this id run on this machine?
pub fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(p) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        match rustix::process::test_kill_process(p) {
            Ok(()) => true,
            // It exists but belongs to someone else.
            Err(e) => e == rustix::io::Errno::PERM,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Remove the helper containers an earlier run of this install left behind
/// (see [`is_leftover`]). Returns the ids removed. Called when `check`,
/// `dev verify` and the TUI start.
pub async fn remove_leftovers(engine: &Engine, install: &str) -> Result<Vec<String>, EngineError> {
    if install.is_empty() {
        return Ok(vec![]);
    }
    let mut filters = HashMap::new();
    filters.insert(
        "label".to_string(),
        vec![format!("{MANAGED}=true"), format!("{INSTALL}={install}")],
    );
    let list = super::inventory::list_containers(engine, Some(filters)).await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let mut removed = Vec::new();
    for c in list {
        let info = HelperInfo {
            id: c.id.unwrap_or_default(),
            labels: c.labels.unwrap_or_default(),
            created: c.created.unwrap_or(now),
        };
        if info.id.is_empty() || !is_leftover(&info, install, now, &process_alive) {
            continue;
        }
        let r = engine
            .docker
            .remove_container(
                &info.id,
                Some(RemoveContainerOptions {
                    force: true,
                    v: true,
                    ..Default::default()
                }),
            )
            .await;
        match r.map_err(|e| err(engine, e)) {
            Ok(()) => removed.push(info.id),
            Err(e) if e.is_not_found() => {}
            Err(e) => tracing::warn!("could not remove leftover helper {}: {e}", info.id),
        }
    }
    if !removed.is_empty() {
        tracing::info!("removed {} leftover helper container(s)", removed.len());
    }
    Ok(removed)
}

/// [`remove_leftovers`] for this install (from `DOCKDOJO_HOME`); problems
/// are logged, never fatal: a sweep must not stop a check.
pub async fn sweep_leftovers(engine: &Engine) -> usize {
    let Some(install) = super::labels::this_install() else {
        return 0;
    };
    match remove_leftovers(engine, install).await {
        Ok(v) => v.len(),
        Err(e) => {
            tracing::warn!("leftover sweep failed: {e}");
            0
        }
    }
}

fn err(engine: &Engine, e: bollard::errors::Error) -> EngineError {
    EngineError::from_bollard(&engine.endpoint, e)
}

/// Read what the engine has.
pub async fn objects(engine: &Engine) -> Result<Objects, EngineError> {
    let d = &engine.docker;
    let containers = super::inventory::list_containers(engine, None).await?;
    let mut inv = Objects::default();
    for c in containers {
        let labels = c.labels.unwrap_or_default();
        let image_labels = if is_managed(&labels) {
            match c.image_id.as_deref() {
                Some(img) if !img.is_empty() => match d.inspect_image(img).await {
                    Ok(i) => Some(i.config.and_then(|c| c.labels).unwrap_or_default()),
                    Err(_) => None,
                },
                _ => None,
            }
        } else {
            None
        };
        inv.containers.push(LabelledContainer {
            id: c.id.unwrap_or_default(),
            names: c
                .names
                .unwrap_or_default()
                .into_iter()
                .map(|n| n.trim_start_matches('/').to_string())
                .collect(),
            labels,
            running: matches!(
                c.state,
                Some(
                    bollard::models::ContainerSummaryStateEnum::RUNNING
                        | bollard::models::ContainerSummaryStateEnum::PAUSED
                        | bollard::models::ContainerSummaryStateEnum::RESTARTING
                )
            ),
            image_labels,
        });
    }
    let images = super::images::list(engine).await?;
    inv.images = images
        .into_iter()
        .map(|i| LabelledImage {
            id: i.id,
            tags: i.repo_tags,
            labels: i.labels,
        })
        .collect();
    let networks = d
        .list_networks(None::<ListNetworksOptions>)
        .await
        .map_err(|e| err(engine, e))?;
    inv.networks = networks
        .into_iter()
        .map(|n| LabelledObject {
            id: n.id.unwrap_or_default(),
            name: n.name.unwrap_or_default(),
            labels: n.labels.unwrap_or_default(),
        })
        .collect();
    let volumes = d
        .list_volumes(None::<ListVolumesOptions>)
        .await
        .map_err(|e| err(engine, e))?;
    inv.volumes = volumes
        .volumes
        .unwrap_or_default()
        .into_iter()
        .map(|v| LabelledObject {
            id: v.name.clone(),
            name: v.name,
            labels: v.labels,
        })
        .collect();
    Ok(inv)
}

/// Objects + selection.
pub async fn plan(engine: &Engine, target: &Target) -> Result<Plan, EngineError> {
    let inv = objects(engine).await?;
    let mut target = target.clone();
    if !target.podman {
        target.podman = super::platform::detect(engine)
            .await
            .map(|p| p.podman)
            .unwrap_or(false);
    }
    Ok(select(&target, &inv))
}

/// What happened to each planned object.
#[derive(Debug, Default)]
pub struct Outcome {
    pub removed: Vec<Planned>,
    pub failed: Vec<(Planned, String)>,
}

/// How long a running container gets to exit on SIGTERM before a reset kills
/// it. A lesson's server or `sleep` that runs as PID 1 ignores SIGTERM and
/// always waits this out, so it is short, and every container waits at once.
pub const STOP_GRACE_SECS: i32 = 1;

/// Remove the planned objects: containers (all running ones stopped at once,
/// with [`STOP_GRACE_SECS`], then force-removed), images (by the tag named,
/// never forced: a tag shared with the learner's other names only loses that
/// name), networks, volumes.
pub async fn execute(engine: &Engine, plan: &Plan) -> Outcome {
    let d = &engine.docker;
    let mut out = Outcome::default();
    let mut deferred = Vec::new();
    futures_util::future::join_all(plan.containers.iter().filter(|c| c.running).map(|c| {
        d.stop_container(
            &c.target,
            Some(StopContainerOptions {
                t: Some(STOP_GRACE_SECS),
                ..Default::default()
            }),
        )
    }))
    .await;
    for c in &plan.containers {
        let r = remove_container(engine, &c.target).await;
        if has_dependents(&r) {
            deferred.push(c);
        } else {
            record(engine, &mut out, c, r);
        }
    }
    // Containers others had joined: their dependents are gone now (or were
    // not ours to remove, and the engine's answer says so).
    while !deferred.is_empty() {
        let mut again = Vec::new();
        let before = deferred.len();
        for c in deferred {
            let r = remove_container(engine, &c.target).await;
            if has_dependents(&r) {
                again.push((c, r));
            } else {
                record(engine, &mut out, c, r);
            }
        }
        if again.len() == before {
            for (c, r) in again {
                record(engine, &mut out, c, r);
            }
            break;
        }
        deferred = again.into_iter().map(|(c, _)| c).collect();
    }
    // Removing an image also removes its untagged parents (a classic build
    // keeps every step as one): deleting hundreds of MB of layers can take
    // longer than an ordinary request may, on a busy disk. Bounded still.
    let slow = d.clone().with_timeout(IMAGE_REMOVE_TIMEOUT);
    for i in &plan.images {
        let r = slow
            .remove_image(
                &i.target,
                Some(RemoveImageOptions {
                    force: false,
                    noprune: false,
                    ..Default::default()
                }),
                None,
            )
            .await
            .map(|_| ())
            .map_err(|e| {
                EngineError::from_bollard_timeout(
                    &engine.endpoint,
                    e,
                    IMAGE_REMOVE_TIMEOUT.as_secs(),
                )
            });
        record_mapped(&mut out, i, r);
    }
    for n in &plan.networks {
        let r = d.remove_network(&n.target).await;
        record(engine, &mut out, n, r);
    }
    for v in &plan.volumes {
        let r = d
            .remove_volume(&v.target, Some(RemoveVolumeOptions { force: false }))
            .await;
        record(engine, &mut out, v, r);
    }
    out
}

/// Force-remove one container.
async fn remove_container(engine: &Engine, target: &str) -> Result<(), bollard::errors::Error> {
    engine
        .docker
        .remove_container(
            target,
            Some(RemoveContainerOptions {
                force: true,
                ..Default::default()
            }),
        )
        .await
}

/// Podman refuses to remove a container that another joined
/// (`--network container:X`) while that one exists.
fn has_dependents(r: &Result<(), bollard::errors::Error>) -> bool {
    matches!(r, Err(e) if e.to_string().contains("dependent containers"))
}

/// How long removing one image (and its untagged parents) may take.
pub const IMAGE_REMOVE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

fn record(engine: &Engine, out: &mut Outcome, p: &Planned, r: Result<(), bollard::errors::Error>) {
    record_mapped(out, p, r.map_err(|e| err(engine, e)));
}

fn record_mapped(out: &mut Outcome, p: &Planned, r: Result<(), EngineError>) {
    match r {
        Ok(()) => out.removed.push(p.clone()),
        Err(e) => {
            let in_progress = matches!(&e, EngineError::Api { status: 409, message, .. }
                if message.contains("already in progress"));
            if e.is_not_found() || in_progress {
                // Gone already (e.g. removed with its container, or by the helper's
                // own cleanup at the same moment): that is the goal.
                out.removed.push(p.clone());
            } else {
                out.failed.push((p.clone(), e.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn target(scope: ManagedScope) -> Target {
        Target {
            containers: vec![("finance".into(), "net".into())],
            images: vec![
                ("calc-app-large".into(), "ms".into()),
                ("calc-app-small:latest".into(), "ms".into()),
            ],
            networks: vec![
                ("secure-network".into(), "net".into()),
                ("bridge".into(), "net".into()),
            ],
            volumes: vec![("data".into(), "vol".into())],
            managed: scope,
            install: "a".repeat(32),
            podman: false,
        }
    }

    fn container(id: &str, name: &str, l: HashMap<String, String>) -> LabelledContainer {
        LabelledContainer {
            id: id.into(),
            names: vec![name.into()],
            labels: l,
            running: true,
            image_labels: Some(HashMap::new()),
        }
    }

    #[test]
    fn normalises_image_refs() {
        assert_eq!(normalize_image_ref("calc-app"), "calc-app:latest");
        assert_eq!(normalize_image_ref("calc-app:v2"), "calc-app:v2");
        assert_eq!(normalize_image_ref("docker.io/library/x"), "x:latest");
        assert_eq!(normalize_image_ref("docker.io/me/x:1"), "me/x:1");
        assert_eq!(
            normalize_image_ref("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(
            normalize_image_ref("gcr.io/a/b@sha256:ab"),
            "gcr.io/a/b@sha256:ab"
        );
    }

    #[test]
    fn only_exact_names_are_selected() {
        let inv = Objects {
            containers: vec![
                container("1", "finance", HashMap::new()),
                container("2", "finance-old", HashMap::new()),
                container("3", "my-finance", HashMap::new()),
            ],
            images: vec![
                LabelledImage {
                    id: "i1".into(),
                    tags: vec!["calc-app-large:latest".into()],
                    labels: HashMap::new(),
                },
                LabelledImage {
                    id: "i2".into(),
                    tags: vec![
                        "my-calc-app-large:latest".into(),
                        "calc-app-large-backup:latest".into(),
                        "calc-app-large:v2".into(),
                    ],
                    labels: HashMap::new(),
                },
                LabelledImage {
                    id: "i3".into(),
                    tags: vec!["calc-app-small:latest".into(), "keep:me".into()],
                    labels: HashMap::new(),
                },
            ],
            networks: vec![
                LabelledObject {
                    id: "n1".into(),
                    name: "secure-network".into(),
                    labels: HashMap::new(),
                },
                LabelledObject {
                    id: "n2".into(),
                    name: "my-secure-network".into(),
                    labels: HashMap::new(),
                },
                LabelledObject {
                    id: "n3".into(),
                    name: "bridge".into(),
                    labels: HashMap::new(),
                },
            ],
            volumes: vec![
                LabelledObject {
                    id: "data".into(),
                    name: "data".into(),
                    labels: HashMap::new(),
                },
                LabelledObject {
                    id: "data2".into(),
                    name: "data2".into(),
                    labels: HashMap::new(),
                },
            ],
        };
        let p = select(&target(ManagedScope::All), &inv);
        let ids: Vec<&str> = p.containers.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["1"]);
        let tags: Vec<&str> = p.images.iter().map(|c| c.target.as_str()).collect();
        assert_eq!(tags, ["calc-app-large:latest", "calc-app-small:latest"]);
        let nets: Vec<&str> = p.networks.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(nets, ["secure-network"], "bridge is never removed");
        let vols: Vec<&str> = p.volumes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(vols, ["data"]);
        assert_eq!(p.len(), 5);
    }

    #[test]
    fn managed_needs_install_value_for_images_and_networks() {
        let ours = labels(&[
            (MANAGED, "true"),
            (INSTALL, &"a".repeat(32)),
            (LESSON, "ms"),
        ]);
        let foreign = labels(&[(MANAGED, "true"), (INSTALL, &"b".repeat(32))]);
        let bare = labels(&[(MANAGED, "true")]);
        let inv = Objects {
            containers: vec![
                container("c-ours", "dockdojo-probe-1", ours.clone()),
                container("c-bare", "dockdojo-probe-2", bare.clone()),
                container("c-foreign", "dockdojo-probe-3", foreign.clone()),
                LabelledContainer {
                    // label inherited from a managed image, not ours
                    image_labels: Some(bare.clone()),
                    ..container("c-inherited", "users-app", bare.clone())
                },
            ],
            images: vec![
                LabelledImage {
                    id: "i-ours".into(),
                    tags: vec![],
                    labels: ours.clone(),
                },
                LabelledImage {
                    id: "i-foreign".into(),
                    tags: vec!["built-from-ours:1".into()],
                    labels: foreign.clone(),
                },
                LabelledImage {
                    id: "i-bare".into(),
                    tags: vec!["x:1".into()],
                    labels: bare.clone(),
                },
            ],
            networks: vec![
                LabelledObject {
                    id: "n-ours".into(),
                    name: "dd-net".into(),
                    labels: ours.clone(),
                },
                LabelledObject {
                    id: "n-bare".into(),
                    name: "other".into(),
                    labels: bare.clone(),
                },
            ],
            volumes: vec![],
        };
        let p = select(&target(ManagedScope::All), &inv);
        let c: Vec<&str> = p.containers.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(c, ["c-ours", "c-bare"]);
        let i: Vec<&str> = p.images.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(i, ["i-ours"]);
        let n: Vec<&str> = p.networks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(n, ["n-ours"]);

        // scoped to another lesson: only lesson-labelled ones of that lesson
        let scoped = select(
            &target(ManagedScope::Lessons(["net".to_string()].into())),
            &inv,
        );
        assert!(scoped.containers.is_empty(), "{scoped:?}");
        assert!(scoped.images.is_empty());
    }

    #[test]
    fn podman_local_prefix_only_on_podman() {
        let inv = Objects {
            images: vec![LabelledImage {
                id: "i".into(),
                tags: vec!["localhost/calc-app-large:latest".into()],
                labels: HashMap::new(),
            }],
            ..Default::default()
        };
        let mut t = target(ManagedScope::All);
        assert!(
            select(&t, &inv).images.is_empty(),
            "on Docker, localhost/ is a registry"
        );
        t.podman = true;
        let p = select(&t, &inv);
        assert_eq!(p.images.len(), 1);
        assert_eq!(p.images[0].target, "localhost/calc-app-large:latest");
    }

    #[test]
    fn leftovers_are_this_installs_helpers_whose_run_ended() {
        let me = "a".repeat(32);
        let other = "b".repeat(32);
        let now = 10_000;
        let dead = 999_999u32;
        let alive = |p: u32| p != dead;
        let helper = |install: Option<&str>, purpose: &str, pid: Option<u32>, age: i64| {
            let mut l = labels(&[
                (MANAGED, "true"),
                (LESSON, "ms"),
                (super::super::labels::PURPOSE, purpose),
            ]);
            if let Some(i) = install {
                l.insert(INSTALL.into(), i.into());
            }
            if let Some(p) = pid {
                l.insert(super::super::labels::PID.into(), p.to_string());
            }
            HelperInfo {
                id: "c".into(),
                labels: l,
                created: now - age,
            }
        };
        let left = |c: &HelperInfo| is_leftover(c, &me, now, &alive);
        assert!(
            left(&helper(Some(&me), "scan", Some(dead), 1)),
            "creator gone"
        );
        assert!(left(&helper(Some(&me), "probe", Some(dead), 1)));
        assert!(
            !left(&helper(Some(&me), "scan", Some(42), 1)),
            "creator still runs"
        );
        assert!(
            !left(&helper(Some(&me), "scan", Some(std::process::id()), 10)),
            "this run's own"
        );
        assert!(
            left(&helper(
                Some(&me),
                "run",
                Some(42),
                LEFTOVER_MAX_AGE_SECS + 1
            )),
            "pid reused"
        );
        assert!(
            !left(&helper(Some(&me), "scan", None, 10)),
            "no pid: young is live"
        );
        assert!(left(&helper(
            Some(&me),
            "scan",
            None,
            LEFTOVER_MIN_AGE_SECS + 1
        )));
        assert!(
            !left(&helper(Some(&other), "scan", Some(dead), 5000)),
            "another install's"
        );
        assert!(
            !left(&helper(None, "scan", Some(dead), 5000)),
            "no install value"
        );
        assert!(
            !left(&helper(Some(&me), "network", Some(dead), 5000)),
            "not a helper"
        );
        let mut unmanaged = helper(Some(&me), "scan", Some(dead), 5000);
        unmanaged.labels.remove(MANAGED);
        assert!(!left(&unmanaged));
        assert!(!is_leftover(
            &helper(Some(""), "scan", Some(dead), 5000),
            "",
            now,
            &alive
        ));
    }

    #[test]
    fn this_process_is_alive_and_a_huge_pid_is_not() {
        assert!(process_alive(std::process::id()));
        assert!(!process_alive(u32::MAX));
    }

    #[test]
    fn install_id_is_stable_and_random() {
        let a = tempfile::tempdir().expect("tmp");
        let b = tempfile::tempdir().expect("tmp");
        let ia = install_id(a.path()).expect("id");
        assert!(is_valid_id(&ia));
        assert_eq!(install_id(a.path()).expect("id"), ia);
        assert_ne!(install_id(b.path()).expect("id"), ia);
        std::fs::write(a.path().join("install-id"), "garbage").expect("w");
        let fresh = install_id(a.path()).expect("id");
        assert!(is_valid_id(&fresh));
        let l = install_labels(a.path(), "ms", "probe").expect("labels");
        assert_eq!(l[INSTALL], fresh);
        assert_eq!(l[MANAGED], "true");
    }
}
