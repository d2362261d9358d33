//! The engine goes away in the middle of a check, without stopping the
//! shared daemon: `dockdojo check` talks through a test-owned socket that
//! drops every connection at a chosen request (the scan of an image's
//! filesystem, the wait for a network probe). The check reports `error`,
//! never `fail`, and exits 2; the helper container it could not remove
//! (removal needs the engine) is removed by the next start, while managed
//! containers of another install, or with no install value, stay.

use crate::common;
use crate::common::proxy::{self, Proxy};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use bollard::models::{ContainerCreateBody, HostConfig, NetworkCreateRequest};
use bollard::query_parameters::{
    CreateContainerOptions, ListContainersOptions, RemoveContainerOptions,
};

/// A bound on one dockdojo run: a hang fails the test, nothing is timed.
const RUN_LIMIT: Duration = Duration::from_secs(180);

const MANAGED: &str = "dev.dockdojo.managed";
const INSTALL: &str = "dev.dockdojo.install";
const LESSON: &str = "dev.dockdojo.lesson";
const PURPOSE: &str = "dev.dockdojo.purpose";
const PID: &str = "dev.dockdojo.pid";

fn unique(what: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("ddt-harden-{what}-{}-{nanos:x}", std::process::id())
}

/// A one-lesson pack with the given checks.
fn write_pack(dir: &Path, lesson_id: &str, checks: &str) -> PathBuf {
    let pack = dir.join("pack");
    let ldir = pack.join("01-fault");
    std::fs::create_dir_all(&ldir).expect("mkdir");
    std::fs::write(
        pack.join("pack.toml"),
        "format_version = 1\ntitle = \"Faults\"\nprobe_image = \"busybox:1.36\"\n",
    )
    .expect("pack.toml");
    std::fs::write(
        ldir.join("lesson.md"),
        format!(
            "+++\nid = \"{lesson_id}\"\ntitle = \"Faults\"\nsummary = \"A check cut off from the engine.\"\n\
             images = [\"busybox:1.36\"]\n\n{checks}+++\n# Faults\n"
        ),
    )
    .expect("lesson.md");
    pack
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

async fn dockdojo(args: &[&str], pack: &Path, home: &Path, docker_host: &str) -> Run {
    let child = tokio::process::Command::new(common::bin())
        .args(args)
        .env("DOCKDOJO_LESSONS", pack)
        .env("DOCKDOJO_HOME", home)
        .env("DOCKDOJO_WORKSPACE", home.join("ws"))
        .env("DOCKER_HOST", docker_host)
        .env_remove("DOCKER_CONTEXT")
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(RUN_LIMIT, child)
        .await
        .unwrap_or_else(|_| {
            panic!(
                "`dockdojo {}` did not end within {RUN_LIMIT:?}",
                args.join(" ")
            )
        })
        .expect("run dockdojo");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

/// Containers labelled managed with this install value and lesson id.
async fn helpers_of(
    eng: &dockdojo::engine::Engine,
    install: &str,
    lesson: &str,
) -> Vec<(String, HashMap<String, String>)> {
    let mut filters = HashMap::new();
    filters.insert(
        "label".to_string(),
        vec![
            format!("{MANAGED}=true"),
            format!("{INSTALL}={install}"),
            format!("{LESSON}={lesson}"),
        ],
    );
    eng.docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        }))
        .await
        .expect("list containers")
        .into_iter()
        .map(|c| (c.id.unwrap_or_default(), c.labels.unwrap_or_default()))
        .collect()
}

async fn exists(eng: &dockdojo::engine::Engine, id: &str) -> bool {
    eng.docker
        .inspect_container(
            id,
            None::<bollard::query_parameters::InspectContainerOptions>,
        )
        .await
        .is_ok()
}

async fn remove(eng: &dockdojo::engine::Engine, id: &str) {
    let _ = eng
        .docker
        .remove_container(
            id,
            Some(RemoveContainerOptions {
                force: true,
                ..Default::default()
            }),
        )
        .await;
}

/// The pid of a process that has ended (for a "killed run" label).
fn dead_pid() -> u32 {
    let mut c = std::process::Command::new("true")
        .spawn()
        .expect("spawn true");
    let pid = c.id();
    c.wait().expect("wait true");
    pid
}

/// A stopped, managed container that belongs to someone else: another
/// install's value, or no install value at all.
async fn bystander(eng: &dockdojo::engine::Engine, name: &str, install: Option<&str>) -> String {
    let mut labels = HashMap::from([
        (MANAGED.to_string(), "true".to_string()),
        (LESSON.to_string(), "harden-bystander".to_string()),
        (PURPOSE.to_string(), "scan".to_string()),
        (PID.to_string(), dead_pid().to_string()),
    ]);
    if let Some(i) = install {
        labels.insert(INSTALL.to_string(), i.to_string());
    }
    eng.docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(name.to_string()),
                ..Default::default()
            }),
            ContainerCreateBody {
                image: Some("busybox:1.36".into()),
                cmd: Some(vec!["true".into()]),
                labels: Some(labels),
                ..Default::default()
            },
        )
        .await
        .expect("create bystander container")
        .id
}

fn assert_error_not_fail(run: &Run, what: &str) {
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "{what}: JSON on stdout ({e})\n--- stdout\n{}\n--- stderr\n{}",
            run.stdout, run.stderr
        )
    });
    let checks = v["checks"].as_array().expect("checks array");
    assert!(!checks.is_empty());
    for c in checks {
        assert_eq!(
            c["status"], "error",
            "{what}: an engine that goes away is `error`, never blamed on the learner: {c}"
        );
    }
    assert_eq!(
        run.code,
        Some(2),
        "{what}: nothing could be evaluated, exit 2\n--- stderr\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
}

/// Cut at `needle`, then prove the error, the leftover, and its removal by
/// the next start (with bystanders that must survive).
async fn cut_then_next_start_cleans(
    test: &str,
    lesson_id: &str,
    checks: &str,
    needle: &str,
    eng: &dockdojo::engine::Engine,
) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let pack = write_pack(tmp.path(), lesson_id, checks);
    let install = dockdojo::engine::cleanup::install_id(&home).expect("install id");

    // Someone else's managed containers: another install, and none.
    let other_install = "0123456789abcdef0123456789abcdef";
    let foreign = bystander(eng, &unique("foreign"), Some(other_install)).await;
    let bare = bystander(eng, &unique("bare"), None).await;

    let p = Proxy::cut_on(&tmp.path().join("engine.sock"), &proxy::upstream(), needle);
    let cut_run = dockdojo(&["check", lesson_id, "--json"], &pack, &home, &p.url()).await;
    let was_cut = p.was_cut();
    drop(p);
    let left = helpers_of(eng, &install, lesson_id).await;

    // The next start, with the engine back: the leftover goes, the rest stays.
    let next = dockdojo(
        &["check", lesson_id, "--json"],
        &pack,
        &home,
        &format!("unix://{}", proxy::upstream()),
    )
    .await;
    let after = helpers_of(eng, &install, lesson_id).await;
    let foreign_kept = exists(eng, &foreign).await;
    let bare_kept = exists(eng, &bare).await;
    remove(eng, &foreign).await;
    remove(eng, &bare).await;
    for (id, _) in left.iter().chain(&after) {
        remove(eng, id).await;
    }

    assert!(
        was_cut,
        "{test}: the check never sent `{needle}`: the fault was not injected\n--- stdout\n{}\n--- stderr\n{}",
        cut_run.stdout, cut_run.stderr
    );
    assert_error_not_fail(&cut_run, test);
    assert!(
        cut_run.stderr.contains("engine.sock") || cut_run.stdout.contains("engine.sock"),
        "{test}: the message names the endpoint that went away\n--- stdout\n{}\n--- stderr\n{}",
        cut_run.stdout,
        cut_run.stderr
    );
    // The helper could not be removed without the engine: a labelled leftover.
    assert!(
        !left.is_empty(),
        "{test}: expected the cut-off helper to be left behind (removal needs the engine)"
    );
    for (_, l) in &left {
        assert_eq!(
            l.get(INSTALL),
            Some(&install),
            "carries this install's value"
        );
        assert!(
            l.get(PID).is_some_and(|p| p.parse::<u32>().is_ok()),
            "carries a pid: {l:?}"
        );
        assert!(
            matches!(
                l.get(PURPOSE).map(String::as_str),
                Some("scan" | "probe" | "run")
            ),
            "{l:?}"
        );
    }
    assert!(
        !next.stderr.contains("panicked") && matches!(next.code, Some(0..=2)),
        "{test}: the next run works: {:?}\n{}",
        next.code,
        next.stderr
    );
    assert!(
        after.is_empty(),
        "{test}: the next start removed the leftover helper(s); still there: {after:?}"
    );
    assert!(
        foreign_kept,
        "{test}: another install's managed container stays"
    );
    assert!(
        bare_kept,
        "{test}: a managed container without an install value stays"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_gone_during_an_image_scan_is_an_error_and_the_next_start_cleans_up() {
    let test = "engine_gone_during_an_image_scan";
    let Some(eng) = common::engine(test).await else {
        return;
    };
    // A path the engine adds to every container it creates: the scan goes
    // through a scan container even where the image's layers could be read
    // here (engine::layers leaves such paths to the engine).
    let checks = "[[check]]\nid = \"no-shell\"\ntitle = \"busybox has no shell\"\n\
                  kind = \"image.lacks\"\nimage = \"busybox:1.36\"\nsets = [\"shell\"]\n\
                  paths = [\"/.dockerenv\"]\n";
    // The first request that reads the scan container's filesystem.
    cut_then_next_start_cleans(test, "harden-scan", checks, "/archive", &eng).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn engine_gone_during_a_network_probe_is_an_error_and_the_next_start_cleans_up() {
    let test = "engine_gone_during_a_network_probe";
    let Some(eng) = common::engine(test).await else {
        return;
    };
    let net = unique("reach-net");
    let target = unique("reach-target");
    eng.docker
        .create_network(NetworkCreateRequest {
            name: net.clone(),
            ..Default::default()
        })
        .await
        .expect("create network");
    let made = eng
        .docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(target.clone()),
                ..Default::default()
            }),
            ContainerCreateBody {
                image: Some("busybox:1.36".into()),
                cmd: Some(vec!["sleep".into(), "300".into()]),
                host_config: Some(HostConfig {
                    network_mode: Some(net.clone()),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await;
    let started = match &made {
        Ok(c) => eng
            .docker
            .start_container(&c.id, None)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if started.is_ok() {
        let checks = format!(
            "[[check]]\nid = \"reach\"\ntitle = \"the target answers\"\nkind = \"network.reach\"\n\
             from_network = \"{net}\"\nto = \"{target}\"\nexpect = \"reachable\"\n"
        );
        // The probe container is created and started; the wait for it is cut.
        // A failed assertion still removes the target and its network.
        use futures_util::FutureExt;
        let r = std::panic::AssertUnwindSafe(cut_then_next_start_cleans(
            test,
            "harden-probe",
            &checks,
            "/wait",
            &eng,
        ))
        .catch_unwind()
        .await;
        remove(&eng, &target).await;
        let _ = eng.docker.remove_network(&net).await;
        if let Err(p) = r {
            std::panic::resume_unwind(p);
        }
    } else {
        remove(&eng, &target).await;
        let _ = eng.docker.remove_network(&net).await;
    }
    started.expect("start the probe target");
}

/// A helper container as a killed run leaves it: this install's value and
/// the pid of a process that has ended.
async fn fake_leftover(eng: &dockdojo::engine::Engine, install: &str, lesson: &str) -> String {
    let labels = HashMap::from([
        (MANAGED.to_string(), "true".to_string()),
        (INSTALL.to_string(), install.to_string()),
        (LESSON.to_string(), lesson.to_string()),
        (PURPOSE.to_string(), "probe".to_string()),
        (PID.to_string(), dead_pid().to_string()),
    ]);
    eng.docker
        .create_container(
            Some(CreateContainerOptions {
                name: Some(unique("leftover")),
                ..Default::default()
            }),
            ContainerCreateBody {
                image: Some("busybox:1.36".into()),
                cmd: Some(vec!["true".into()]),
                labels: Some(labels),
                ..Default::default()
            },
        )
        .await
        .expect("create leftover")
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dev_verify_and_the_tui_remove_leftovers_when_they_start() {
    let test = "dev_verify_and_the_tui_remove_leftovers_when_they_start";
    let Some(eng) = common::engine(test).await else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let checks = "[[check]]\nid = \"img\"\ntitle = \"busybox exists\"\n\
                  kind = \"image.exists\"\nimage = \"busybox:1.36\"\n";
    let pack = write_pack(tmp.path(), "harden-start", checks);
    let install = dockdojo::engine::cleanup::install_id(&home).expect("install id");
    let real = format!("unix://{}", proxy::upstream());

    // dev verify (the lesson has no solve.sh: the verdict does not matter here).
    let left = fake_leftover(&eng, &install, "harden-start").await;
    let other = bystander(
        &eng,
        &unique("other"),
        Some("fedcba9876543210fedcba9876543210"),
    )
    .await;
    let v = dockdojo(&["dev", "verify"], &pack, &home, &real).await;
    let gone_after_verify = !exists(&eng, &left).await;
    let other_kept = exists(&eng, &other).await;
    remove(&eng, &left).await;

    // The TUI: the sweep runs when the engine connects.
    let left = fake_leftover(&eng, &install, "harden-start").await;
    let gone_after_tui = tui_until_gone(&pack, &home, &eng, &left).await;
    let other_kept_tui = exists(&eng, &other).await;
    remove(&eng, &left).await;
    remove(&eng, &other).await;

    assert!(!v.stderr.contains("panicked"), "{}", v.stderr);
    assert!(
        gone_after_verify,
        "dev verify removed the leftover\n{}",
        v.stdout
    );
    assert!(
        other_kept && other_kept_tui,
        "another install's container stays"
    );
    assert!(
        gone_after_tui,
        "the TUI removed the leftover when it connected"
    );
}

/// Run the TUI in a PTY until `id` is gone (bounded), then quit it.
async fn tui_until_gone(
    pack: &Path,
    home: &Path,
    eng: &dockdojo::engine::Engine,
    id: &str,
) -> bool {
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    use std::io::{Read, Write};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(common::bin());
    cmd.env("DOCKDOJO_LESSONS", pack);
    cmd.env("DOCKDOJO_HOME", home);
    cmd.env("DOCKDOJO_WORKSPACE", home.join("ws"));
    cmd.env("DOCKER_HOST", format!("unix://{}", proxy::upstream()));
    cmd.env("SHELL", "/bin/sh");
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).expect("start the TUI");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
    });
    let limit = std::time::Instant::now() + Duration::from_secs(60);
    let mut gone = false;
    while std::time::Instant::now() < limit {
        if !exists(eng, id).await {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let _ = writer.write_all(b"\x11");
    let _ = writer.flush();
    let end = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if std::time::Instant::now() > end {
            let _ = child.kill();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    gone
}
