//! What must hold on every engine of the matrix (Docker 20.10 on the host;
//! Docker 26 with overlay2 and with the containerd image store, and Podman 5,
//! each run by `scripts/engines.sh exec NAME` with this binary): one size
//! figure, content checks that never error, and a TUI whose checks follow a
//! build, a network and swarm mode typed in its console, with no key pressed.
//!
//! Images are built with the engine's own default builder (BuildKit where the
//! CLI has it), as a learner would.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::cleanup::Cleanup;
use common::pty::Session;
use dockdojo::check::{run_lesson, CheckEnv, LessonResult, Status};
use dockdojo::engine::kind::EngineKind;
use dockdojo::engine::Engine;
use dockdojo::lesson::{
    CheckKind, CheckSpec, Creates, Lesson, Manifest, Namespace, Pack, PackSource, PathSet,
    SecuritySpec,
};

const MB: u64 = 1_000_000;

fn docker(args: &[&str]) -> (bool, String) {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("the docker CLI");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text.trim().to_string())
}

/// Build `tag` from `dockerfile` with the engine's default builder.
fn build(clean: &mut Cleanup, tag: &str, dockerfile: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).expect("write");
    clean.images.push(tag.to_string());
    let ctx = dir.path().to_string_lossy().to_string();
    let (ok, text) = docker(&["build", "-q", "-t", tag, &ctx]);
    assert!(ok, "docker build {tag} failed: {text}");
}

fn spec(id: &str, kind: CheckKind) -> CheckSpec {
    CheckSpec {
        id: id.to_string(),
        title: format!("check {id}"),
        why: None,
        hint: None,
        needs: vec![],
        requires: vec![],
        kind,
    }
}

async fn run(engine: &Engine, checks: Vec<CheckSpec>) -> LessonResult {
    let lesson = Lesson {
        id: "matrix".into(),
        dir_name: "01-matrix".into(),
        title: "matrix".into(),
        summary: String::new(),
        images: vec![],
        requires: vec![],
        creates: Creates::default(),
        hints: vec![],
        checks,
        body: String::new(),
        body_line: 1,
        starter: vec![],
        solution: vec![],
    };
    let pack = Pack {
        source: PackSource::Dir(PathBuf::from("/nonexistent")),
        manifest: Manifest {
            format_version: 1,
            title: "matrix".into(),
            probe_image: "busybox:1.36".into(),
            lang: "en".into(),
        },
        lessons: vec![],
        translation: Default::default(),
    };
    let env = CheckEnv {
        engine: Ok(engine),
        pack: &pack,
        lesson: &lesson,
        lesson_dir: Path::new("/nonexistent"),
    };
    run_lesson(&env).await
}

fn kind_name(k: Option<EngineKind>) -> &'static str {
    match k {
        Some(EngineKind::DockerClassic) => "Docker, classic store",
        Some(EngineKind::DockerContainerd) => "Docker, containerd store",
        Some(EngineKind::Podman) => "Podman",
        None => "unknown engine",
    }
}

/// A 30 MB final stage fails a 20 MB limit and a 1.3 MB one passes, on every
/// store: the figure is the unpacked size, not the packed one.
#[tokio::test]
async fn sizes_are_unpacked_sizes_on_every_store() {
    let test = "sizes_are_unpacked_sizes_on_every_store";
    let Some(engine) = common::engine(test).await else {
        return;
    };
    let kind = dockdojo::engine::kind::kind(&engine).await;
    let mut clean = Cleanup::default();
    let pid = std::process::id();
    let big = format!("ddt-matrix-big-{pid}");
    let small = format!("ddt-matrix-tiny-{pid}");
    build(
        &mut clean,
        &big,
        "FROM busybox:1.36 AS build\nRUN dd if=/dev/zero of=/zeros bs=1M count=30\n\
         FROM busybox:1.36\nCOPY --from=build /zeros /zeros\n",
    );
    build(
        &mut clean,
        &small,
        "FROM busybox:1.36 AS build\nRUN dd if=/dev/urandom of=/blob bs=1000 count=1300\n\
         FROM scratch\nCOPY --from=build /blob /blob\n",
    );
    let limit = |image: &str| {
        spec(
            image,
            CheckKind::ImageSize {
                image: image.to_string(),
                max: Some(20 * MB),
                min: None,
            },
        )
    };
    let r = run(&engine, vec![limit(&big), limit(&small)]).await;
    let (b, s) = (&r.checks[0], &r.checks[1]);
    let (_, inspect) = docker(&["image", "inspect", "-f", "{{.Size}}", &big]);
    let (_, listed) = docker(&["images", "--format", "{{.Size}}", &big]);
    eprintln!(
        "{}: 30 MB image: check says {:?}; image inspect Size {inspect} bytes; docker images {listed}",
        kind_name(kind),
        b.actual
    );
    assert_eq!(b.status, Status::Fail, "{b:?}");
    assert_eq!(s.status, Status::Pass, "{s:?}");
    let size_of = |actual: &str| -> f64 {
        actual
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(-1.0)
    };
    // 30 MiB of zeros on a 2 MB busybox; 1.3 MB of random bytes alone.
    assert!(b.actual.ends_with("MB (unpacked)"), "{}", b.actual);
    let big_mb = size_of(&b.actual);
    assert!((31.0..40.0).contains(&big_mb), "{}", b.actual);
    assert!(s.actual.ends_with("MB (unpacked)"), "{}", s.actual);
    let small_mb = size_of(&s.actual);
    assert!((1.2..1.5).contains(&small_mb), "{}", s.actual);
}

/// `container.security`, `container.shares` and `image.history` give the
/// same verdicts on every engine: a locked-down container passes and a
/// plain one fails, a sidecar in another container's namespaces passes and
/// one in its own fails, and a token passed as a build argument or ENV is
/// found without being printed.
#[tokio::test]
async fn hardening_checks_give_the_same_verdicts() {
    let test = "hardening_checks_give_the_same_verdicts";
    let Some(engine) = common::engine(test).await else {
        return;
    };
    let kind = dockdojo::engine::kind::kind(&engine).await;
    let mut clean = Cleanup::default();
    let pid = std::process::id();
    let locked = format!("ddt-matrix-locked-{pid}");
    let plain = format!("ddt-matrix-plain-{pid}");
    let sidecar = format!("ddt-matrix-sidecar-{pid}");
    let loner = format!("ddt-matrix-loner-{pid}");
    clean.containers.extend([
        locked.clone(),
        plain.clone(),
        sidecar.clone(),
        loner.clone(),
    ]);
    let run_detached = |args: &[&str]| {
        let mut all = vec!["run", "-d"];
        all.extend_from_slice(args);
        let (ok, text) = docker(&all);
        assert!(ok, "docker {all:?} failed: {text}");
    };
    run_detached(&[
        "--name",
        &locked,
        "--read-only",
        "--tmpfs",
        "/tmp",
        "--cap-drop",
        "ALL",
        "--cap-add",
        "NET_BIND_SERVICE",
        "--security-opt",
        "no-new-privileges",
        "--user",
        "65532",
        "--memory",
        "64m",
        "--pids-limit",
        "50",
        "busybox:1.36",
        "sleep",
        "600",
    ]);
    run_detached(&["--name", &plain, "busybox:1.36", "sleep", "600"]);
    let target = format!("container:{locked}");
    run_detached(&[
        "--name",
        &sidecar,
        "--pid",
        &target,
        "--network",
        &target,
        "busybox:1.36",
        "sleep",
        "600",
    ]);
    run_detached(&["--name", &loner, "busybox:1.36", "sleep", "600"]);

    let token = format!("dojo-token-{pid}x");
    let leaky_arg = format!("ddt-matrix-leaky-arg-{pid}");
    let leaky_env = format!("ddt-matrix-leaky-env-{pid}");
    let clean_img = format!("ddt-matrix-no-secret-{pid}");
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = dir.path().to_string_lossy().to_string();
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM busybox:1.36\nARG TOKEN\nRUN echo \"fetching with ${TOKEN}\" | wc -c > /fetched\n",
    )
    .expect("write");
    clean
        .images
        .extend([leaky_arg.clone(), leaky_env.clone(), clean_img.clone()]);
    let arg = format!("TOKEN={token}");
    let (ok, text) = docker(&["build", "-q", "--build-arg", &arg, "-t", &leaky_arg, &ctx]);
    assert!(ok, "docker build {leaky_arg}: {text}");
    build(
        &mut clean,
        &leaky_env,
        &format!("FROM busybox:1.36\nENV API_TOKEN={token}\n"),
    );
    build(
        &mut clean,
        &clean_img,
        "FROM busybox:1.36\nRUN echo built > /built\n",
    );

    let hardened = SecuritySpec {
        read_only: Some(true),
        tmpfs: vec!["/tmp".into()],
        cap_drop: vec!["ALL".into()],
        cap_add: vec!["NET_BIND_SERVICE".into()],
        no_new_privileges: Some(true),
        not_root: true,
        memory: Some(128 * 1024 * 1024),
        pids: Some(100),
        ..Default::default()
    };
    let security = |id: &str, c: &str| {
        spec(
            id,
            CheckKind::ContainerSecurity {
                container: c.to_string(),
                spec: hardened.clone(),
            },
        )
    };
    let shares = |id: &str, c: &str| {
        spec(
            id,
            CheckKind::ContainerShares {
                container: c.to_string(),
                target: locked.clone(),
                namespaces: vec![Namespace::Pid, Namespace::Network],
            },
        )
    };
    let history = |id: &str, image: &str| {
        spec(
            id,
            CheckKind::ImageHistory {
                image: image.to_string(),
                patterns: vec!["dojo-token-*".into()],
            },
        )
    };
    let r = run(
        &engine,
        vec![
            security("locked", &locked),
            security("plain", &plain),
            shares("sidecar", &sidecar),
            shares("loner", &loner),
            history("leaky-arg", &leaky_arg),
            history("leaky-env", &leaky_env),
            history("no-secret", &clean_img),
        ],
    )
    .await;
    for c in &r.checks {
        eprintln!("{}: {} {:?}: {}", kind_name(kind), c.id, c.status, c.actual);
        for text in [&c.expected, &c.actual, &c.message] {
            assert!(!text.contains(&token), "the token leaked in {c:?}");
        }
    }
    let want = [
        ("locked", Status::Pass),
        ("plain", Status::Fail),
        ("sidecar", Status::Pass),
        ("loner", Status::Fail),
        ("leaky-arg", Status::Fail),
        ("leaky-env", Status::Fail),
        ("no-secret", Status::Pass),
    ];
    for (c, (id, status)) in r.checks.iter().zip(want) {
        assert_eq!((c.id.as_str(), c.status), (id, status), "{c:#?}");
    }
    let plain_r = &r.checks[1];
    for flag in [
        "--read-only",
        "--cap-drop ALL",
        "no-new-privileges",
        "--user",
        "--memory",
        "--pids-limit",
    ] {
        assert!(plain_r.message.contains(flag), "{flag}: {plain_r:?}");
    }
    assert!(
        r.checks[0]
            .actual
            .contains("capabilities: NET_BIND_SERVICE"),
        "{:?}",
        r.checks[0]
    );
    assert!(
        r.checks[3].message.contains("--pid container:"),
        "{:?}",
        r.checks[3]
    );
    assert!(r.checks[4].actual.contains("(RUN)"), "{:?}", r.checks[4]);
    // the ENV step and the variable it left behind
    assert!(r.checks[5].actual.contains("(ENV)"), "{:?}", r.checks[5]);
    assert!(
        r.checks[5].actual.ends_with("ENV API_TOKEN"),
        "{:?}",
        r.checks[5]
    );
}

/// `reset` removes a lesson's service and the sidecar that joined its
/// namespaces, whichever the lesson names first: Podman refuses to remove a
/// container while another that joined it exists.
#[tokio::test]
async fn reset_removes_a_sidecar_and_the_container_it_joined() {
    use dockdojo::engine::cleanup::{self, ManagedScope, Target};
    let test = "reset_removes_a_sidecar_and_the_container_it_joined";
    let Some(engine) = common::engine(test).await else {
        return;
    };
    let mut clean = Cleanup::default();
    let pid = std::process::id();
    let service = format!("ddt-matrix-service-{pid}");
    let sidecar = format!("ddt-matrix-joined-{pid}");
    clean.containers.extend([service.clone(), sidecar.clone()]);
    let (ok, text) = docker(&[
        "run",
        "-d",
        "--name",
        &service,
        "busybox:1.36",
        "sleep",
        "600",
    ]);
    assert!(ok, "{text}");
    let joined = format!("container:{service}");
    let (ok, text) = docker(&[
        "run",
        "-d",
        "--name",
        &sidecar,
        "--pid",
        &joined,
        "--network",
        &joined,
        "busybox:1.36",
        "sleep",
        "600",
    ]);
    assert!(ok, "{text}");
    // the service first, as a lesson's `creates` would list it
    let target = Target {
        containers: vec![
            (service.clone(), "matrix".to_string()),
            (sidecar.clone(), "matrix".to_string()),
        ],
        images: vec![],
        networks: vec![],
        volumes: vec![],
        managed: ManagedScope::Lessons(Default::default()),
        install: "matrix-test".into(),
        podman: false,
    };
    let plan = cleanup::plan(&engine, &target).await.expect("plan");
    assert_eq!(plan.containers.len(), 2, "{plan:?}");
    let out = cleanup::execute(&engine, &plan).await;
    assert!(out.failed.is_empty(), "{:?}", out.failed);
    assert_eq!(out.removed.len(), 2, "{:?}", out.removed);
    for name in [&service, &sidecar] {
        let (exists, _) = docker(&["container", "inspect", name]);
        assert!(!exists, "{name} is still there");
    }
}

/// Twenty fresh scans each of a scratch image (lacks everything: passes)
/// and a busybox image (has a shell: fails): never an error, always the
/// same verdict, also where no mount is kept open between stats.
#[tokio::test]
async fn content_checks_give_the_same_verdict_twenty_times() {
    let test = "content_checks_give_the_same_verdict_twenty_times";
    let Some(engine) = common::engine(test).await else {
        return;
    };
    let kind = dockdojo::engine::kind::kind(&engine).await;
    let mut clean = Cleanup::default();
    let pid = std::process::id();
    let lean = format!("ddt-matrix-lean-{pid}");
    let shelly = format!("ddt-matrix-shelly-{pid}");
    build(
        &mut clean,
        &lean,
        "FROM busybox:1.36 AS build\nRUN mkdir -p /out/app && echo hi > /out/app/hello\n\
         FROM scratch\nCOPY --from=build /out/ /\n",
    );
    build(
        &mut clean,
        &shelly,
        "FROM busybox:1.36\nRUN echo hi > /hello\n",
    );
    let lacks = |image: &str| {
        spec(
            image,
            CheckKind::ImageLacks {
                image: image.to_string(),
                paths: vec!["/root/.cache/go-build".into(), "/.git".into()],
                sets: PathSet::ALL.to_vec(),
            },
        )
    };
    let mut times = Vec::new();
    for round in 0..20 {
        dockdojo::check::gather::clear_cache();
        let t = Instant::now();
        let r = run(&engine, vec![lacks(&lean), lacks(&shelly)]).await;
        times.push(t.elapsed().as_millis());
        let (l, s) = (&r.checks[0], &r.checks[1]);
        assert_eq!(l.status, Status::Pass, "round {round}: {l:?}");
        assert_eq!(s.status, Status::Fail, "round {round}: {s:?}");
        assert!(s.actual.contains("/bin/sh"), "round {round}: {}", s.actual);
    }
    times.sort();
    eprintln!(
        "{}: two image.lacks scans, median {} ms, max {} ms over 20 rounds",
        kind_name(kind),
        times[times.len() / 2],
        times[times.len() - 1]
    );
}

fn matrix_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/matrix")
}

fn tui(home: &Path, ws: &Path, lesson: &str) -> Session {
    Session::spawn_args(
        &matrix_pack(),
        home,
        ws,
        (40, 160),
        Path::new("/bin/sh"),
        &[("PS1", "mx$ ")],
        &[lesson],
    )
}

/// Send a console command and wait for `what` on the screen; how long it took.
fn command_until(s: &mut Session, cmd: &str, what: &str, cond: impl Fn(&str) -> bool) -> u128 {
    let t = Instant::now();
    s.send(format!("{cmd}\r").as_bytes());
    s.wait_for(what, cond);
    t.elapsed().as_millis()
}

/// A build and a network typed in the TUI's console turn their checks with
/// no key pressed, whether or not the engine sends an event for them (a
/// BuildKit build on Docker 26.1 sends none; the console's prompt tells).
#[tokio::test]
async fn the_tui_follows_a_build_and_a_network_typed_in_its_console() {
    let test = "the_tui_follows_a_build_and_a_network_typed_in_its_console";
    let Some(engine) = common::engine(test).await else {
        return;
    };
    let kind = dockdojo::engine::kind::kind(&engine).await;
    let clean = || {
        let mut c = Cleanup::default();
        c.images.push("ddt-matrix-small".into());
        c.networks.push("ddt-matrix-net".into());
        c
    };
    // Nothing left from an earlier run, and nothing left after this one.
    drop(clean());
    let clean = clean();
    let tmp = tempfile::tempdir().expect("tempdir");
    let (home, ws) = (tmp.path().join("home"), tmp.path().join("ws"));
    std::fs::create_dir_all(&ws).expect("workspace");
    let mut s = tui(&home, &ws, "build");
    s.wait_for("the failing checks", |t| {
        t.contains("✘ ddt-matrix-small is under 20 MB") && t.contains("✘ ddt-matrix-net exists")
    });
    s.wait_for("the shell prompt", |t| t.contains("mx$"));
    let built = command_until(
        &mut s,
        "docker build -q -t ddt-matrix-small .",
        "the size check passing",
        |t| t.contains("✔ ddt-matrix-small is under 20 MB"),
    );
    let created = command_until(
        &mut s,
        "docker network create ddt-matrix-net",
        "the network check passing",
        |t| t.contains("✔ ddt-matrix-net exists"),
    );
    let removed = command_until(
        &mut s,
        "docker network rm ddt-matrix-net",
        "the network check failing again",
        |t| t.contains("✘ ddt-matrix-net exists"),
    );
    eprintln!(
        "{}: command to check turned: build {built} ms, network create {created} ms, network rm {removed} ms",
        kind_name(kind)
    );
    s.send(b"\x11");
    let status = s.finish();
    assert!(status.success(), "exit status {status:?}");
    drop(clean);
}

/// `docker swarm init` and `leave` typed in the console turn a
/// `swarm.active` check both ways; the engine's swarm state is as it was
/// before. Podman has no swarm mode: the lesson says so instead.
#[tokio::test]
async fn the_tui_follows_swarm_init_and_leave() {
    let test = "the_tui_follows_swarm_init_and_leave";
    let Some(engine) = common::engine(test).await else {
        return;
    };
    let kind = dockdojo::engine::kind::kind(&engine).await;
    let tmp = tempfile::tempdir().expect("tempdir");
    let (home, ws) = (tmp.path().join("home"), tmp.path().join("ws"));
    std::fs::create_dir_all(&ws).expect("workspace");
    let mut s = tui(&home, &ws, "swarm");
    if kind == Some(EngineKind::Podman) {
        s.wait_for("the check marked as not on this engine", |t| {
            t.contains("~ this engine is a swarm manager") && t.contains("not on this engine")
        });
    } else {
        let (_, state) = docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"]);
        let was_active = state == "active";
        s.wait_for("the shell prompt", |t| t.contains("mx$"));
        let init = "docker swarm init --advertise-addr 127.0.0.1 >/dev/null";
        let leave = "docker swarm leave --force";
        let on = |t: &str| t.contains("✔ this engine is a swarm manager");
        let off = |t: &str| t.contains("✘ this engine is a swarm manager");
        let (first, second) = if was_active {
            s.wait_for("the swarm check passing", on);
            (
                command_until(&mut s, leave, "the swarm check failing", off),
                command_until(&mut s, init, "the swarm check passing", on),
            )
        } else {
            s.wait_for("the swarm check failing", off);
            (
                command_until(&mut s, init, "the swarm check passing", on),
                command_until(&mut s, leave, "the swarm check failing", off),
            )
        };
        eprintln!(
            "{}: command to check turned: swarm {} {first} ms, then {second} ms",
            kind_name(kind),
            if was_active { "leave" } else { "init" }
        );
    }
    s.send(b"\x11");
    let status = s.finish();
    assert!(status.success(), "exit status {status:?}");
}

/// Docker's containerd image store can answer an image list with a 404 while
/// another client deletes an image's content (`dev verify` running two lessons
/// at once met it). `engine::images::list`, which reset and the engine pane use,
/// asks again then: a list made while images are removed never fails, on any
/// engine. (Whether the engine's race is met depends on timing; when it is not,
/// this still checks every list made during the removals.)
#[tokio::test]
async fn an_image_list_never_fails_while_images_are_removed() {
    let test = "an_image_list_never_fails_while_images_are_removed";
    let Some(engine) = common::engine(test).await else {
        return;
    };
    let mut clean = Cleanup::default();
    let pid = std::process::id();
    let tags: Vec<String> = (0..6)
        .map(|i| format!("ddt-matrix-gone-{pid}-{i}"))
        .collect();
    for (i, tag) in tags.iter().enumerate() {
        build(
            &mut clean,
            tag,
            &format!("FROM busybox:1.36\nRUN echo {pid}-{i} > /distinct\n"),
        );
    }
    let remover = {
        let tags = tags.clone();
        std::thread::spawn(move || {
            for t in &tags {
                let (ok, text) = docker(&["rmi", t]);
                assert!(ok, "docker rmi {t}: {text}");
            }
        })
    };
    let mut lists = 0;
    while !remover.is_finished() {
        let listed = dockdojo::engine::images::list(&engine).await;
        assert!(
            listed.is_ok(),
            "an image list made while images were removed failed: {listed:?}"
        );
        lists += 1;
    }
    remover.join().expect("the removals");
    assert!(lists > 0, "no list was made while the images were removed");
    let left: Vec<String> = dockdojo::engine::images::list(&engine)
        .await
        .expect("the image list after the removals")
        .into_iter()
        .flat_map(|i| i.repo_tags)
        .filter(|t| t.contains(&format!("ddt-matrix-gone-{pid}-")))
        .collect();
    assert!(left.is_empty(), "removed images still listed: {left:?}");
}

/// An image's layers read on this machine (`engine::layers`) answer every
/// path as the engine's own archive stat does: whiteouts, opaque directories,
/// a file replacing a directory and the other way round, a directory merged
/// from three layers, links (relative, absolute, through `..` past the root,
/// dangling, into a whited-out file, a loop); files read, from merged
/// folders and from the three kinds of package database; and the walks that
/// patterns read. Where the engine
/// names no overlay layers (the containerd store) nothing is read here.
#[tokio::test]
async fn layers_read_here_answer_as_the_engine_does() {
    use dockdojo::engine::fs::ScanContainer;
    use dockdojo::engine::layers::LayerFs;
    use std::os::unix::fs::MetadataExt;
    let test = "layers_read_here_answer_as_the_engine_does";
    let Some(engine) = common::engine(test).await else {
        return;
    };
    let kind = dockdojo::engine::kind::kind(&engine).await;
    let mut clean = Cleanup::default();
    let tag = format!("ddt-matrix-layers-{}", std::process::id());
    build(
        &mut clean,
        &tag,
        "FROM busybox:1.36\n\
         RUN mkdir -p /t/a/b /t/op/sub /t/d1 /t/usr/bin /t/usr/lib \
          && touch /t/a/f /t/a/b/g /t/op/x /t/op/sub/y /t/file /t/d1/x /t/usr/bin/dash /t/usr/lib/z /t/keep \
          && ln -s a /t/lnk && ln -s ../a/b /t/a/rel && ln -s usr/bin /t/bin && ln -s dash /t/usr/bin/sh \
          && ln -s /t/usr/lib /t/lib && ln -s /nowhere /t/dangling && ln -s loop2 /t/loop1 \
          && ln -s loop1 /t/loop2 && ln -s ../../../../../t/a /t/usr/bin/up && ln -s /t/a/f /t/tof\n\
         RUN rm /t/a/f && rm -rf /t/op && mkdir -p /t/op && touch /t/op/new \
          && rm /t/file && mkdir /t/file && touch /t/file/inner && rm -rf /t/d1 && touch /t/d1 \
          && rm /t/bin && mkdir /t/bin && touch /t/bin/own && rm /t/lnk && ln -s a/b /t/lnk\n\
         RUN touch /t/a/f2 && mkdir /t/a/b/c\n",
    );
    let facts = dockdojo::check::gather::inspect_image(&engine, &format!("{tag}:latest"))
        .await
        .expect("inspect")
        .expect("the image just built");
    if kind == Some(EngineKind::DockerContainerd) {
        assert!(
            facts.layer_dirs.0.is_empty(),
            "the containerd store names no layer directories: {:?}",
            facts.layer_dirs
        );
        eprintln!("{}: layers are not read here", kind_name(kind));
        return;
    }
    let root = std::fs::metadata("/proc/self").expect("/proc/self").uid() == 0;
    let layers = LayerFs::open(&engine, &facts.layer_dirs).await.ok();
    let Some(layers) = layers else {
        // only root may read a rootful engine's layers (and their trusted.* attributes)
        assert!(
            !root,
            "{}: root could not open {:?}",
            kind_name(kind),
            facts.layer_dirs
        );
        eprintln!("{test}: not root, so the layers are not read here");
        return;
    };
    let scan = ScanContainer::create(&engine, &facts.id, "matrix")
        .await
        .expect("scan container");
    let paths = [
        "/",
        "/t",
        "/t/a",
        "/t/a/f",
        "/t/a/f2",
        "/t/a/b/g",
        "/t/a/b/c",
        "/t/a/rel",
        "/t/a/rel/g",
        "/t/op",
        "/t/op/x",
        "/t/op/sub",
        "/t/op/sub/y",
        "/t/op/new",
        "/t/file",
        "/t/file/inner",
        "/t/d1",
        "/t/d1/x",
        "/t/bin",
        "/t/bin/own",
        "/t/bin/dash",
        "/t/bin/sh",
        "/t/usr/bin/sh",
        "/t/usr/bin/up/b/g",
        "/t/usr/bin/up/f",
        "/t/lib/z",
        "/t/lib",
        "/t/lnk",
        "/t/lnk/g",
        "/t/lnk/f",
        "/t/dangling",
        "/t/tof",
        "/t/keep",
        "/t/keep/x",
        "/t/nope",
        "/t/nope/deeper",
        "/t/a/../a/b/g",
        "/t/./a//b/g",
        "/bin/sh",
        "/bin/busybox",
        "/usr/bin/env",
        "/t/loop1",
        "/.dockerenv",
        "/etc/hosts",
        "/etc",
    ];
    // Left to the engine (an error here sends the check to it): a loop, a file
    // where a directory should be (Docker fails there, HTTP 500), and what the
    // engine adds to every container.
    let left_to_engine = [
        "/t/loop1",
        "/t/d1/x",
        "/t/keep/x",
        "/.dockerenv",
        "/etc/hosts",
        "/etc",
    ];
    let mut compared = 0;
    let mut compared_files = 0;
    let mut mismatches = Vec::new();
    for p in paths {
        let engine_says = (scan.exists(p).await, scan.resolve(p).await);
        let here = (layers.exists(p), layers.resolve(p));
        match (engine_says, here) {
            ((Ok(e), Ok(er)), (Ok(h), Ok(hr))) => {
                compared += 1;
                // Podman spells some answers its own way (`/.` for `/`, the
                // path unresolved, a dangling link as missing); the check
                // asks it only for folders that exist, spelled plainly.
                let plain = p == dockdojo::engine::fs::normalize_path(p)
                    && p != "/"
                    && !p.split('/').any(|c| c == "..");
                let same_resolve = er == hr || (kind == Some(EngineKind::Podman) && !(e && plain));
                if e != h || !same_resolve {
                    mismatches.push(format!("{p}: engine {e} {er:?}, layers {h} {hr:?}"));
                }
            }
            (_, (Err(_), Err(_))) if left_to_engine.contains(&p) => {}
            (e, h) => mismatches.push(format!("{p}: engine {e:?}, layers {h:?}")),
        }
    }
    // Files read (a package database, a merged folder): the same names and bytes.
    let sorted = |v: Option<Vec<(String, Vec<u8>)>>| {
        v.map(|mut v| {
            v.sort();
            v
        })
    };
    for p in [
        "/t", "/t/a", "/t/lnk", "/t/bin", "/t/op", "/t/tof", "/t/nope", "/bin/sh",
    ] {
        let e = scan.read_files(p, 1 << 20).await.map(sorted);
        let h = layers.read_files(p, 1 << 20).map(sorted);
        match (e, h) {
            (Ok(e), Ok(h)) if e == h => compared_files += 1,
            (e, h) => mismatches.push(format!("read {p}: engine {e:?}, layers {h:?}")),
        }
    }
    // Walks (what a pattern such as `/usr/lib/jvm/*/bin/javac` reads): the same entries.
    for dir in [
        "/t",
        "/t/a",
        "/t/lnk",
        "/t/op",
        "/t/usr/bin",
        "/t/keep",
        "/t/nope",
    ] {
        let sink = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let s2 = sink.clone();
        let e = scan
            .walk(dir, move |p| {
                s2.lock().expect("lock").push(p.to_string());
                true
            })
            .await;
        let mut engine_seen = sink.lock().expect("lock").clone();
        let mut here_seen = Vec::new();
        let h = layers.walk_entries(dir, |p| {
            here_seen.push(p.to_string());
            true
        });
        engine_seen.sort();
        here_seen.sort();
        match (e, h) {
            (Ok(e), Ok(h)) if e == h && engine_seen == here_seen => compared_files += 1,
            (e, h) => mismatches.push(format!(
                "walk {dir}: engine {e:?} {engine_seen:?}, layers {h:?} {here_seen:?}"
            )),
        }
    }
    scan.remove().await;
    // the package databases of the stand-ins, each kind once
    for (image, db) in [
        ("debian:bookworm-slim", "/var/lib/dpkg/status"),
        (
            "gcr.io/distroless/static-debian13:nonroot",
            "/var/lib/dpkg/status.d",
        ),
        ("cgr.dev/chainguard/static:latest", "/lib/apk/db/installed"),
    ] {
        let f = dockdojo::check::gather::inspect_image(&engine, image)
            .await
            .expect("inspect")
            .unwrap_or_else(|| panic!("the stand-in {image}"));
        let l = LayerFs::open(&engine, &f.layer_dirs)
            .await
            .unwrap_or_else(|why| panic!("{image}'s layers: {why}"));
        let sc = ScanContainer::create(&engine, &f.id, "matrix")
            .await
            .expect("scan container");
        let e = sc.read_files(db, 64 << 20).await.map(sorted);
        sc.remove().await;
        let h = l.read_files(db, 64 << 20).map(sorted);
        match (e, h) {
            (Ok(Some(e)), Ok(Some(h))) if e == h && !e.is_empty() => compared_files += 1,
            (e, h) => mismatches.push(format!(
                "{image} {db}: engine {:?}, layers {:?}",
                e.map(|v| v.map(|v| v.len())),
                h.map(|v| v.map(|v| v.len()))
            )),
        }
    }
    assert!(
        mismatches.is_empty(),
        "{}: the layers and the engine disagree:\n{}",
        kind_name(kind),
        mismatches.join("\n")
    );
    assert_eq!(compared, paths.len() - left_to_engine.len());
    assert_eq!(compared_files, 18);
    assert_eq!(
        (
            layers.exists("/t/op/new").ok(),
            layers.exists("/t/op/x").ok()
        ),
        (Some(true), Some(false)),
        "an opaque directory read here"
    );
    eprintln!(
        "{}: {compared} paths and {compared_files} file reads and walks answered alike",
        kind_name(kind)
    );
}
