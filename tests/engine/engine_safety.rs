//! The learner's engine is safe from dockdojo: with "user" objects on the
//! engine (running and stopped containers, a network, a volume, an image
//! tag, and a container carrying another install's dockdojo labels), a full
//! `dockdojo dev verify` of the built-in pack leaves every object that
//! existed before unchanged (same id, same state, every tag on the same
//! image), leaves nothing of its own (nothing labelled with its install
//! value or its process id, no name a lesson `creates`), and leaves the
//! engine's swarm state as it found it.
//!
//! The test takes the engine alone (`common::engine_lock::alone`): no other
//! test of its binary runs beside it, as when it was a binary of its own.
//! Other users of a shared engine may add objects meanwhile; only objects
//! that existed before are compared, and other test runs' `ddt-*` objects
//! and helper containers are left out of the comparison.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use bollard::models::{ContainerCreateBody, NetworkCreateRequest, VolumeCreateRequest};
use bollard::query_parameters::{
    CreateContainerOptions, ListContainersOptions, ListImagesOptions, ListNetworksOptions,
    ListVolumesOptions, RemoveContainerOptions, RemoveImageOptions, TagImageOptions,
};
use dockdojo::engine::cleanup::normalize_image_ref;
use dockdojo::engine::Engine;

/// A full verify takes about a minute; this bound only catches a hang.
const VERIFY_LIMIT: Duration = Duration::from_secs(40 * 60);

const MANAGED: &str = "dev.dockdojo.managed";
const INSTALL: &str = "dev.dockdojo.install";
const PID: &str = "dev.dockdojo.pid";

#[derive(Debug, Default)]
struct Snapshot {
    /// id -> (name, state, labels)
    containers: BTreeMap<String, (String, String, HashMap<String, String>)>,
    /// normalised tag -> image id
    tags: BTreeMap<String, String>,
    /// image id -> labels
    image_labels: BTreeMap<String, HashMap<String, String>>,
    /// id -> (name, labels)
    networks: BTreeMap<String, (String, HashMap<String, String>)>,
    /// name -> labels
    volumes: BTreeMap<String, HashMap<String, String>>,
    swarm: String,
}

async fn snapshot(eng: &Engine) -> Snapshot {
    let d = &eng.docker;
    let mut s = Snapshot::default();
    for c in d
        .list_containers(Some(ListContainersOptions {
            all: true,
            ..Default::default()
        }))
        .await
        .expect("list containers")
    {
        let name = c
            .names
            .unwrap_or_default()
            .first()
            .map(|n| n.trim_start_matches('/').to_string())
            .unwrap_or_default();
        let state = c.state.map(|s| s.to_string()).unwrap_or_default();
        s.containers.insert(
            c.id.unwrap_or_default(),
            (name, state, c.labels.unwrap_or_default()),
        );
    }
    for i in d
        .list_images(Some(ListImagesOptions::default()))
        .await
        .expect("list images")
    {
        for t in &i.repo_tags {
            if t != "<none>:<none>" {
                s.tags.insert(normalize_image_ref(t), i.id.clone());
            }
        }
        s.image_labels.insert(i.id.clone(), i.labels.clone());
    }
    for n in d
        .list_networks(None::<ListNetworksOptions>)
        .await
        .expect("list networks")
    {
        s.networks.insert(
            n.id.unwrap_or_default(),
            (n.name.unwrap_or_default(), n.labels.unwrap_or_default()),
        );
    }
    for v in d
        .list_volumes(None::<ListVolumesOptions>)
        .await
        .expect("list volumes")
        .volumes
        .unwrap_or_default()
    {
        s.volumes.insert(v.name, v.labels);
    }
    s.swarm = d
        .info()
        .await
        .expect("docker info")
        .swarm
        .and_then(|sw| sw.local_node_state)
        .map(|st| st.to_string())
        .unwrap_or_default();
    s
}

/// Names a lesson of the built-in pack `creates`, per kind.
#[derive(Default)]
struct LessonNames {
    containers: BTreeSet<String>,
    images: BTreeSet<String>,
    networks: BTreeSet<String>,
    volumes: BTreeSet<String>,
}

fn lesson_names(pack: &dockdojo::lesson::Pack) -> LessonNames {
    let mut n = LessonNames::default();
    for l in &pack.lessons {
        n.containers.extend(l.creates.containers.iter().cloned());
        n.images
            .extend(l.creates.images.iter().map(|i| normalize_image_ref(i)));
        n.networks.extend(l.creates.networks.iter().cloned());
        n.volumes.extend(l.creates.volumes.iter().cloned());
    }
    n
}

/// Objects left out of the before/after comparison: other test runs'
/// (`ddt-*` of other branches), helper containers of any dockdojo run
/// (`dockdojo-*`, managed labels), and lesson names (dockdojo may remove
/// those: that is what `reset` promises).
fn someone_elses(name: &str, ours: &str) -> bool {
    (name.starts_with("ddt-") && !name.starts_with(ours)) || name.starts_with("dockdojo-")
}

fn managed(labels: &HashMap<String, String>) -> bool {
    labels.get(MANAGED).map(String::as_str) == Some("true")
}

async fn make_user_objects(eng: &Engine, prefix: &str) -> Vec<String> {
    let d = &eng.docker;
    let mut problems = Vec::new();
    let create = |name: String, cmd: Vec<&str>, labels: Option<HashMap<String, String>>| {
        let body = ContainerCreateBody {
            image: Some("busybox:1.36".into()),
            cmd: Some(cmd.into_iter().map(String::from).collect()),
            labels,
            ..Default::default()
        };
        async move {
            d.create_container(
                Some(CreateContainerOptions {
                    name: Some(name),
                    ..Default::default()
                }),
                body,
            )
            .await
            .map(|c| c.id)
        }
    };
    match create(format!("{prefix}running"), vec!["sleep", "3600"], None).await {
        Ok(id) => {
            if let Err(e) = d.start_container(&id, None).await {
                problems.push(format!("start: {e}"));
            }
        }
        Err(e) => problems.push(format!("create running: {e}")),
    }
    if let Err(e) = create(format!("{prefix}created"), vec!["true"], None).await {
        problems.push(format!("create created: {e}"));
    }
    match create(format!("{prefix}exited"), vec!["true"], None).await {
        Ok(id) => {
            let _ = d.start_container(&id, None).await;
            let mut w =
                d.wait_container(&id, None::<bollard::query_parameters::WaitContainerOptions>);
            use futures_util::StreamExt;
            while w.next().await.is_some() {}
        }
        Err(e) => problems.push(format!("create exited: {e}")),
    }
    // A container another dockdojo install made: not ours to touch.
    let foreign = HashMap::from([
        (MANAGED.to_string(), "true".to_string()),
        (INSTALL.to_string(), "f".repeat(32)),
        ("dev.dockdojo.lesson".to_string(), "multi-stage".to_string()),
        ("dev.dockdojo.purpose".to_string(), "scan".to_string()),
    ]);
    if let Err(e) = create(format!("{prefix}foreign"), vec!["true"], Some(foreign)).await {
        problems.push(format!("create foreign: {e}"));
    }
    if let Err(e) = d
        .create_network(NetworkCreateRequest {
            name: format!("{prefix}net"),
            ..Default::default()
        })
        .await
    {
        problems.push(format!("network: {e}"));
    }
    if let Err(e) = d
        .create_volume(VolumeCreateRequest {
            name: Some(format!("{prefix}vol")),
            ..Default::default()
        })
        .await
    {
        problems.push(format!("volume: {e}"));
    }
    if let Err(e) = d
        .tag_image(
            "busybox:1.36",
            Some(TagImageOptions {
                repo: Some(format!("{prefix}img")),
                tag: Some("mine".into()),
            }),
        )
        .await
    {
        problems.push(format!("tag: {e}"));
    }
    problems
}

async fn remove_user_objects(eng: &Engine, prefix: &str) {
    let d = &eng.docker;
    for c in ["running", "created", "exited", "foreign"] {
        let _ = d
            .remove_container(
                &format!("{prefix}{c}"),
                Some(RemoveContainerOptions {
                    force: true,
                    ..Default::default()
                }),
            )
            .await;
    }
    let _ = d.remove_network(&format!("{prefix}net")).await;
    let _ = d
        .remove_volume(
            &format!("{prefix}vol"),
            None::<bollard::query_parameters::RemoveVolumeOptions>,
        )
        .await;
    let _ = d
        .remove_image(
            &format!("{prefix}img:mine"),
            Some(RemoveImageOptions {
                noprune: true,
                ..Default::default()
            }),
            None,
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_dev_verify_leaves_the_users_engine_as_it_was() {
    // The verify turns swarm mode on and off and removes every lesson name,
    // and the comparison covers the whole engine: no other test beside it.
    common::engine_lock::alone();
    let Some(eng) = common::engine("full_dev_verify_leaves_the_users_engine_as_it_was").await
    else {
        return;
    };
    let pack = dockdojo::lesson::load(None).expect("the built-in pack loads");
    let names = lesson_names(&pack);

    // The stand-in images the lessons build from must be there (scripts/standins.sh).
    let before_images = snapshot(&eng).await;
    let missing: BTreeSet<String> = pack
        .lessons
        .iter()
        .flat_map(|l| l.images.iter())
        .map(|i| normalize_image_ref(i))
        .filter(|i| !before_images.tags.contains_key(i))
        .collect();
    assert!(
        missing.is_empty(),
        "the lessons' images are missing (build the stand-ins: scripts/standins.sh): {missing:?}"
    );

    let prefix = format!("ddt-harden-safety-{}-", std::process::id());
    remove_user_objects(&eng, &prefix).await;
    let problems = make_user_objects(&eng, &prefix).await;
    if !problems.is_empty() {
        remove_user_objects(&eng, &prefix).await;
        panic!("could not create the user's objects: {problems:?}");
    }

    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let install = dockdojo::engine::cleanup::install_id(&home).expect("install id");
    let before = snapshot(&eng).await;

    let child = tokio::process::Command::new(common::bin())
        .args(["dev", "verify"])
        .env("DOCKDOJO_HOME", &home)
        .env("DOCKDOJO_WORKSPACE", tmp.path().join("ws"))
        .env_remove("DOCKDOJO_LESSONS")
        .kill_on_drop(true)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start dev verify");
    let verify_pid = child.id().unwrap_or(0).to_string();
    let out = tokio::time::timeout(VERIFY_LIMIT, child.wait_with_output()).await;
    let after = snapshot(&eng).await;
    remove_user_objects(&eng, &prefix).await;
    let out = out
        .expect("dev verify ended within the bound")
        .expect("dev verify ran");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report = format!("--- dev verify stdout\n{stdout}\n--- stderr\n{stderr}");

    let mut wrong = Vec::new();

    // 1. Everything that existed before, and is not someone else's or a
    //    lesson's name, is unchanged.
    for (id, (name, state, labels)) in &before.containers {
        if someone_elses(name, &prefix) || names.containers.contains(name) {
            continue;
        }
        if managed(labels) && !name.starts_with(&prefix) {
            continue;
        }
        match after.containers.get(id) {
            None => wrong.push(format!("container {name} ({id:.12}) was removed")),
            Some((n2, s2, _)) if n2 != name || s2 != state => wrong.push(format!(
                "container {name} ({id:.12}) changed: {state} -> {s2} (name {n2})"
            )),
            Some(_) => {}
        }
    }
    for (tag, id) in &before.tags {
        let repo = tag.rsplit_once(':').map(|(r, _)| r).unwrap_or(tag);
        if someone_elses(repo, &prefix) || names.images.contains(tag) {
            continue;
        }
        match after.tags.get(tag) {
            None => wrong.push(format!("image tag {tag} was removed")),
            Some(id2) if id2 != id => wrong.push(format!("image tag {tag} moved to {id2:.19}")),
            Some(_) => {}
        }
    }
    for (id, (name, _)) in &before.networks {
        if someone_elses(name, &prefix) || names.networks.contains(name) {
            continue;
        }
        if !after.networks.contains_key(id) {
            wrong.push(format!("network {name} ({id:.12}) was removed"));
        }
    }
    for name in before.volumes.keys() {
        if someone_elses(name, &prefix) || names.volumes.contains(name) {
            continue;
        }
        if !after.volumes.contains_key(name) {
            wrong.push(format!("volume {name} was removed"));
        }
    }
    // The user's own objects are among them: prove they were compared.
    let ours = before
        .containers
        .values()
        .filter(|(n, _, _)| n.starts_with(&prefix))
        .count();
    assert_eq!(ours, 4, "the user's containers were in the snapshot");

    // 2. Nothing of this dockdojo run remains.
    let mine = |l: &HashMap<String, String>| {
        managed(l) && (l.get(INSTALL) == Some(&install) || l.get(PID) == Some(&verify_pid))
    };
    for (id, (name, _, l)) in &after.containers {
        if mine(l) {
            wrong.push(format!("dockdojo's container {name} ({id:.12}) remains"));
        }
    }
    for (id, l) in &after.image_labels {
        if mine(l) {
            wrong.push(format!("dockdojo's image {id:.19} remains"));
        }
    }
    for (id, (name, l)) in &after.networks {
        if mine(l) {
            wrong.push(format!("dockdojo's network {name} ({id:.12}) remains"));
        }
    }
    for (name, l) in &after.volumes {
        if mine(l) {
            wrong.push(format!("dockdojo's volume {name} remains"));
        }
    }
    // 3. No lesson name remains.
    for (_, (name, _, _)) in after.containers.iter() {
        if names.containers.contains(name) {
            wrong.push(format!("lesson container {name} remains"));
        }
    }
    for tag in after.tags.keys() {
        if names.images.contains(tag) {
            wrong.push(format!("lesson image {tag} remains"));
        }
    }
    for (name, _) in after.networks.values() {
        if names.networks.contains(name) {
            wrong.push(format!("lesson network {name} remains"));
        }
    }
    for name in after.volumes.keys() {
        if names.volumes.contains(name) {
            wrong.push(format!("lesson volume {name} remains"));
        }
    }
    // 4. The swarm is as it was.
    if after.swarm != before.swarm {
        wrong.push(format!(
            "swarm state changed: {} -> {}",
            before.swarm, after.swarm
        ));
    }

    assert!(
        wrong.is_empty(),
        "the engine was changed:\n  {}\n{report}",
        wrong.join("\n  ")
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "dev verify verifies every lesson of the built-in pack\n{report}"
    );
    assert!(stdout.contains("VERIFIED"), "{report}");
}
