//! Every check kind against the real engine: a passing and a failing state,
//! each asserting the message a learner reads.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use dockdojo::check::{run_lesson, CheckEnv, CheckResult, LessonResult, Status};
use dockdojo::engine::{Engine, EngineError};
use dockdojo::lesson::{
    CheckKind, CheckSpec, Creates, Lesson, Manifest, Pack, PackSource, PathSet, Reach,
};

use crate::common::cleanup::Cleanup;

fn uniq(name: &str) -> String {
    format!("ddt-checks-{name}-{}", std::process::id())
}

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("docker CLI");
    assert!(
        out.status.success(),
        "docker {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Build `tag` from a Dockerfile and extra files (path, contents) in a temp dir.
fn build(clean: &mut Cleanup, tag: &str, dockerfile: &str, files: &[(&str, &[u8])]) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).expect("write");
    for (p, data) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, data).expect("write");
    }
    clean.images.push(tag.to_string());
    let out = Command::new("docker")
        .env("DOCKER_BUILDKIT", "0")
        .args(["build", "-q", "-t", tag])
        .arg(dir.path())
        .output()
        .expect("docker build");
    assert!(
        out.status.success(),
        "docker build {tag} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn spec(id: &str, kind: CheckKind) -> CheckSpec {
    CheckSpec {
        id: id.to_string(),
        title: format!("check {id}"),
        why: None,
        hint: Some(format!("hint for {id}")),
        needs: vec![],
        requires: vec![],
        kind,
    }
}

fn lesson(id: &str, checks: Vec<CheckSpec>) -> Lesson {
    Lesson {
        id: id.to_string(),
        dir_name: format!("01-{id}"),
        title: format!("Lesson {id}"),
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
    }
}

fn pack(probe_image: &str) -> Pack {
    Pack {
        source: PackSource::Dir(PathBuf::from("/nonexistent")),
        manifest: Manifest {
            format_version: 1,
            title: "test pack".into(),
            probe_image: probe_image.into(),
            lang: "en".into(),
        },
        lessons: vec![],
        translation: Default::default(),
    }
}

async fn run_checks(
    engine: Result<&Engine, &EngineError>,
    l: &Lesson,
    dir: &Path,
    probe: &str,
) -> LessonResult {
    let p = pack(probe);
    let env = CheckEnv {
        engine,
        pack: &p,
        lesson: l,
        lesson_dir: dir,
    };
    run_lesson(&env).await
}

fn by_id<'a>(r: &'a LessonResult, id: &str) -> &'a CheckResult {
    r.checks
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("no result for {id}: {r:#?}"))
}

#[track_caller]
fn expect(r: &LessonResult, id: &str, status: Status, message_part: &str) {
    let c = by_id(r, id);
    assert_eq!(c.status, status, "check {id}: {c:#?}");
    assert!(
        c.message.contains(message_part),
        "check {id}: message {:?} does not contain {message_part:?}",
        c.message
    );
}

/// No helper container of this lesson is left behind.
fn assert_no_helpers(lesson: &str) {
    let left = docker(&[
        "ps",
        "-a",
        "-q",
        "--filter",
        "label=dev.dockdojo.managed=true",
        "--filter",
        &format!("label=dev.dockdojo.lesson={lesson}"),
    ]);
    assert!(
        left.is_empty(),
        "helper containers left behind for {lesson}: {left}"
    );
}

const DPKG_STATUS: &str = "Package: base-files\nStatus: install ok installed\n\nPackage: libc6\nStatus: install ok installed\n\nPackage: gone\nStatus: deinstall ok config-files\n\nPackage: tzdata\nStatus: install ok installed\n";

#[tokio::test]
async fn image_metadata_checks_pass_and_fail() {
    let Some(engine) = common::engine("image_metadata_checks_pass_and_fail").await else {
        return;
    };
    let mut clean = Cleanup::default();
    let small = uniq("meta-small");
    let big = uniq("meta-big");
    build(
        &mut clean,
        &small,
        "FROM scratch\nCOPY hello /hello\nUSER 65532\n",
        &[("hello", b"hi\n")],
    );
    let payload = vec![7u8; 3_000_000];
    build(
        &mut clean,
        &big,
        "FROM busybox:1.36\nCOPY payload /payload\nRUN echo one > /one\n",
        &[("payload", &payload)],
    );
    let missing = uniq("meta-missing");
    let lid = uniq("lesson-meta");
    let checks = vec![
        spec(
            "exists-pass",
            CheckKind::ImageExists {
                image: small.clone(),
            },
        ),
        spec(
            "exists-fail",
            CheckKind::ImageExists {
                image: missing.clone(),
            },
        ),
        spec(
            "size-pass",
            CheckKind::ImageSize {
                image: small.clone(),
                max: Some(1_000_000),
                min: None,
            },
        ),
        spec(
            "size-fail",
            CheckKind::ImageSize {
                image: big.clone(),
                max: Some(1_000_000),
                min: None,
            },
        ),
        spec(
            "ratio-pass",
            CheckKind::ImageSizeRatio {
                image: small.clone(),
                of: big.clone(),
                max: 0.1,
            },
        ),
        spec(
            "ratio-fail",
            CheckKind::ImageSizeRatio {
                image: big.clone(),
                of: small.clone(),
                max: 0.1,
            },
        ),
        spec(
            "user-pass",
            CheckKind::ImageUser {
                image: small.clone(),
                not_root: true,
                user: None,
            },
        ),
        spec(
            "user-eq-pass",
            CheckKind::ImageUser {
                image: small.clone(),
                not_root: false,
                user: Some("65532".into()),
            },
        ),
        spec(
            "user-fail",
            CheckKind::ImageUser {
                image: big.clone(),
                not_root: true,
                user: None,
            },
        ),
        spec(
            "layers-pass",
            CheckKind::ImageLayers {
                image: small.clone(),
                max: 1,
            },
        ),
        spec(
            "layers-fail",
            CheckKind::ImageLayers {
                image: big.clone(),
                max: 1,
            },
        ),
    ];
    let l = lesson(&lid, checks);
    let dir = tempfile::tempdir().expect("tempdir");
    let r = run_checks(Ok(&engine), &l, dir.path(), "busybox:1.36").await;

    expect(
        &r,
        "exists-pass",
        Status::Pass,
        &format!("{small}:latest exists."),
    );
    expect(
        &r,
        "exists-fail",
        Status::Fail,
        &format!(
            "There is no image named {missing}:latest; build it with `docker build -t {missing} .`"
        ),
    );
    expect(
        &r,
        "size-pass",
        Status::Pass,
        "within the goal of at most 1 MB",
    );
    expect(&r, "size-fail", Status::Fail, &format!("{big} is "));
    expect(&r, "size-fail", Status::Fail, "; the goal is at most 1 MB.");
    assert!(by_id(&r, "size-fail").actual.ends_with("MB (unpacked)"));
    expect(
        &r,
        "ratio-pass",
        Status::Pass,
        &format!("the size of {big}"),
    );
    expect(&r, "ratio-fail", Status::Fail, "the goal is at most 0.10");
    expect(&r, "user-pass", Status::Pass, "runs as 65532");
    expect(&r, "user-eq-pass", Status::Pass, "runs as 65532");
    expect(
        &r,
        "user-fail",
        Status::Fail,
        "runs as root; the goal is a non-root user",
    );
    expect(&r, "layers-pass", Status::Pass, "has 1 layers");
    expect(
        &r,
        "layers-fail",
        Status::Fail,
        "has 3 layers; the goal is at most 1.",
    );
    assert_no_helpers(&lid);
}

#[tokio::test]
async fn image_filesystem_checks_pass_and_fail() {
    let Some(engine) = common::engine("image_filesystem_checks_pass_and_fail").await else {
        return;
    };
    let mut clean = Cleanup::default();
    let bare = uniq("fs-bare");
    let full = uniq("fs-full");
    let merged = uniq("fs-merged");
    build(
        &mut clean,
        &bare,
        "FROM scratch\nCOPY app /app\nCOPY tool /opt/tool-1.2/bin/tool\nCOPY status /var/lib/dpkg/status\n",
        &[("app", b"app"), ("tool", b"tool"), ("status", DPKG_STATUS.as_bytes())],
    );
    // wget is removed in a later layer: a whiteout, so it is absent
    build(
        &mut clean,
        &full,
        "FROM busybox:1.36\nRUN rm /bin/wget\n",
        &[],
    );
    // merged-/usr: /bin is a symbolic link to usr/bin
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("root/usr/bin")).expect("mkdir");
    std::fs::write(dir.path().join("root/usr/bin/bash"), b"#!fake").expect("write");
    std::os::unix::fs::symlink("usr/bin", dir.path().join("root/bin")).expect("symlink");
    clean.images.push(merged.clone());
    let st = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "tar -C {} -c . | docker import - {merged}",
            dir.path().join("root").display()
        ))
        .output()
        .expect("import");
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );

    let lid = uniq("lesson-fs");
    let checks = vec![
        spec(
            "lacks-pass",
            CheckKind::ImageLacks {
                image: bare.clone(),
                paths: vec![],
                sets: vec![PathSet::Shell, PathSet::Compilers],
            },
        ),
        spec(
            "lacks-fail",
            CheckKind::ImageLacks {
                image: full.clone(),
                paths: vec![],
                sets: vec![PathSet::Shell, PathSet::Compilers],
            },
        ),
        spec(
            "whiteout-pass",
            CheckKind::ImageLacks {
                image: full.clone(),
                paths: vec!["/bin/wget".into()],
                sets: vec![],
            },
        ),
        spec(
            "merged-fail",
            CheckKind::ImageLacks {
                image: merged.clone(),
                paths: vec![],
                sets: vec![PathSet::Shell],
            },
        ),
        spec(
            "glob-pass",
            CheckKind::ImageLacks {
                image: bare.clone(),
                paths: vec!["/opt/**/gcc".into(), "/usr/lib/go-*".into()],
                sets: vec![],
            },
        ),
        spec(
            "glob-fail",
            CheckKind::ImageLacks {
                image: bare.clone(),
                paths: vec!["/opt/tool-*/bin/*".into()],
                sets: vec![],
            },
        ),
        spec(
            "has-pass",
            CheckKind::ImageHas {
                image: bare.clone(),
                paths: vec![
                    "/app".into(),
                    "/opt/tool-*/bin/tool".into(),
                    "/**/tool".into(),
                ],
            },
        ),
        spec(
            "has-fail",
            CheckKind::ImageHas {
                image: bare.clone(),
                paths: vec!["/app".into(), "/etc/passwd".into()],
            },
        ),
        spec(
            "packages-pass",
            CheckKind::ImagePackages {
                image: bare.clone(),
                max: 3,
            },
        ),
        spec(
            "packages-fail",
            CheckKind::ImagePackages {
                image: bare.clone(),
                max: 2,
            },
        ),
        spec(
            "packages-none",
            CheckKind::ImagePackages {
                image: full.clone(),
                max: 0,
            },
        ),
    ];
    let l = lesson(&lid, checks);
    let ws = tempfile::tempdir().expect("tempdir");
    let r = run_checks(Ok(&engine), &l, ws.path(), "busybox:1.36").await;

    expect(
        &r,
        "lacks-pass",
        Status::Pass,
        &format!("{bare} has no shell, no compiler or build tool."),
    );
    expect(
        &r,
        "lacks-fail",
        Status::Fail,
        &format!("{full} still contains a shell (/bin/sh, /bin/ash, /bin/busybox)"),
    );
    expect(&r, "whiteout-pass", Status::Pass, "none of /bin/wget");
    expect(
        &r,
        "merged-fail",
        Status::Fail,
        "still contains a shell (/bin/bash)",
    );
    expect(
        &r,
        "glob-pass",
        Status::Pass,
        "none of /opt/**/gcc, /usr/lib/go-*",
    );
    expect(
        &r,
        "glob-fail",
        Status::Fail,
        "still contains /opt/tool-1.2/bin/tool",
    );
    expect(&r, "has-pass", Status::Pass, "has every path it needs");
    expect(
        &r,
        "has-fail",
        Status::Fail,
        &format!("{bare} lacks /etc/passwd; the goal is that it has them."),
    );
    expect(&r, "packages-pass", Status::Pass, "has 3 OS packages");
    assert_eq!(
        by_id(&r, "packages-pass").actual,
        "3 packages (/var/lib/dpkg/status)"
    );
    expect(
        &r,
        "packages-fail",
        Status::Fail,
        "has 3 OS packages; the goal is at most 2.",
    );
    expect(&r, "packages-none", Status::Pass, "has 0 OS packages");

    // distroless keeps one file per package in status.d; apk has `installed`
    let distroless = uniq("fs-distroless");
    build(
        &mut clean,
        &distroless,
        "FROM scratch\nCOPY status.d /var/lib/dpkg/status.d/\nCOPY installed /lib/apk/db/installed\n",
        &[
            ("status.d/base-files", b"Package: base-files\nVersion: 12\n"),
            ("status.d/base-files.md5sums", b"abc  /etc/x\n"),
            ("status.d/tzdata", b"Package: tzdata\nVersion: 2024\n"),
            ("installed", b"P:musl\nV:1\n\nP:busybox\nV:1\n"),
        ],
    );
    let l = lesson(
        &lid,
        vec![spec(
            "pk",
            CheckKind::ImagePackages {
                image: distroless.clone(),
                max: 3,
            },
        )],
    );
    let r = run_checks(Ok(&engine), &l, ws.path(), "busybox:1.36").await;
    expect(
        &r,
        "pk",
        Status::Fail,
        "has 4 OS packages; the goal is at most 3.",
    );
    assert_eq!(
        by_id(&r, "pk").actual,
        "4 packages (/var/lib/dpkg/status.d/, /lib/apk/db/installed)"
    );
    assert_no_helpers(&lid);
}

#[tokio::test]
async fn image_run_checks_pass_and_fail() {
    let Some(engine) = common::engine("image_run_checks_pass_and_fail").await else {
        return;
    };
    let mut clean = Cleanup::default();
    let calc = uniq("run-calc");
    build(
        &mut clean,
        &calc,
        "FROM busybox:1.36\nCOPY calc.sh /calc.sh\nENTRYPOINT [\"/bin/sh\", \"/calc.sh\"]\n",
        &[(
            "calc.sh",
            b"read a op b\nif [ \"$op\" = '*' ]; then echo $((a * b)); else echo $((a + b)); fi\n",
        )],
    );
    let lid = uniq("lesson-run");
    let run = |stdin: Option<&str>,
               eq: Option<&str>,
               args: Vec<String>,
               image: &str,
               timeout: u64,
               code: Option<i64>| CheckKind::ImageRun {
        image: image.to_string(),
        args,
        stdin: stdin.map(String::from),
        stdout_contains: None,
        stdout_equals: eq.map(String::from),
        exit_code: code,
        timeout: Duration::from_secs(timeout),
    };
    let checks = vec![
        spec(
            "run-pass",
            run(Some("2 * 2\n"), Some("4"), vec![], &calc, 10, None),
        ),
        spec(
            "run-fail",
            run(Some("2 + 3\n"), Some("4"), vec![], &calc, 10, None),
        ),
        spec(
            "run-timeout",
            run(
                None,
                None,
                vec!["sleep".into(), "30".into()],
                "busybox:1.36",
                1,
                None,
            ),
        ),
        spec(
            "run-exit",
            run(
                None,
                None,
                vec!["sh".into(), "-c".into(), "echo bad >&2; exit 3".into()],
                "busybox:1.36",
                10,
                None,
            ),
        ),
        spec(
            "run-exit-pass",
            run(
                None,
                None,
                vec!["sh".into(), "-c".into(), "exit 3".into()],
                "busybox:1.36",
                10,
                Some(3),
            ),
        ),
        spec(
            "run-nostart",
            run(
                None,
                None,
                vec!["/no/such/program".into()],
                "busybox:1.36",
                10,
                None,
            ),
        ),
        spec(
            "run-no-network",
            run(
                None,
                Some("lo"),
                vec!["ls".into(), "/sys/class/net".into()],
                "busybox:1.36",
                10,
                None,
            ),
        ),
    ];
    let l = lesson(&lid, checks);
    let ws = tempfile::tempdir().expect("tempdir");
    let r = run_checks(Ok(&engine), &l, ws.path(), "busybox:1.36").await;
    expect(&r, "run-pass", Status::Pass, "works as expected");
    expect(
        &r,
        "run-fail",
        Status::Fail,
        "printed \"5\" instead of \"4\".",
    );
    expect(&r, "run-timeout", Status::Fail, "did not finish within 1 s");
    expect(
        &r,
        "run-exit",
        Status::Fail,
        "exited with 3; the goal is 0. It wrote to stderr: \"bad\"",
    );
    expect(&r, "run-exit-pass", Status::Pass, "works as expected");
    expect(&r, "run-nostart", Status::Fail, "does not start");
    expect(&r, "run-no-network", Status::Pass, "works as expected");
    assert_no_helpers(&lid);
}

#[tokio::test]
async fn dockerfile_checks_and_needs_and_unreachable_engine() {
    let ws = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        ws.path().join("Dockerfile"),
        "FROM busybox:1.36 AS build\nRUN true\nFROM scratch\nCOPY --from=build /bin/true /true\n",
    )
    .expect("write");
    std::fs::write(
        ws.path().join("Single.Dockerfile"),
        "FROM debian:bookworm-slim\n",
    )
    .expect("write");
    let lid = uniq("lesson-df");
    let mut needs_fail = spec(
        "needs-fail",
        CheckKind::DockerfileStages {
            file: "Dockerfile".into(),
            min: 1,
        },
    );
    needs_fail.needs = vec!["stages-fail".into()];
    let mut needs_pass = spec(
        "needs-pass",
        CheckKind::DockerfileStages {
            file: "Dockerfile".into(),
            min: 1,
        },
    );
    needs_pass.needs = vec!["stages-pass".into()];
    let checks = vec![
        needs_fail,
        needs_pass,
        spec(
            "stages-pass",
            CheckKind::DockerfileStages {
                file: "Dockerfile".into(),
                min: 2,
            },
        ),
        spec(
            "stages-fail",
            CheckKind::DockerfileStages {
                file: "Single.Dockerfile".into(),
                min: 2,
            },
        ),
        spec(
            "stages-missing",
            CheckKind::DockerfileStages {
                file: "Nope".into(),
                min: 2,
            },
        ),
        spec(
            "base-pass",
            CheckKind::DockerfileFinalBase {
                file: "Dockerfile".into(),
                any_of: vec!["scratch".into(), "gcr.io/distroless/*".into()],
            },
        ),
        spec(
            "base-fail",
            CheckKind::DockerfileFinalBase {
                file: "Single.Dockerfile".into(),
                any_of: vec!["scratch".into(), "gcr.io/distroless/*".into()],
            },
        ),
        spec(
            "engine",
            CheckKind::ImageExists {
                image: "busybox:1.36".into(),
            },
        ),
    ];
    let l = lesson(&lid, checks);
    let down = EngineError::Unreachable {
        endpoint: "unix:///nonexistent/docker.sock".into(),
        reason: "No such file or directory".into(),
    };
    let r = run_checks(Err(&down), &l, ws.path(), "busybox:1.36").await;
    // results come in declaration order even though needs are evaluated first
    let ids: Vec<&str> = r.checks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids[..3], ["needs-fail", "needs-pass", "stages-pass"]);
    expect(&r, "stages-pass", Status::Pass, "Dockerfile has 2 stages.");
    expect(
        &r,
        "stages-fail",
        Status::Fail,
        "Single.Dockerfile has 1 stage; the goal is at least 2",
    );
    expect(
        &r,
        "stages-missing",
        Status::Fail,
        "There is no Nope in the lesson folder yet",
    );
    expect(
        &r,
        "needs-fail",
        Status::Skipped,
        "it needs check `stages-fail` to pass first",
    );
    expect(&r, "needs-pass", Status::Pass, "Dockerfile has 2 stages.");
    expect(&r, "base-pass", Status::Pass, "starts FROM scratch");
    expect(
        &r,
        "base-fail",
        Status::Fail,
        "starts FROM debian:bookworm-slim; the goal is",
    );
    expect(
        &r,
        "engine",
        Status::Error,
        "unix:///nonexistent/docker.sock",
    );
    assert!(!r.passed);
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

#[tokio::test]
async fn container_checks_pass_and_fail() {
    let Some(engine) = common::engine("container_checks_pass_and_fail").await else {
        return;
    };
    let mut clean = Cleanup::default();
    let net = uniq("ctr-net");
    clean.networks.push(net.clone());
    docker(&["network", "create", &net]);
    let web = uniq("ctr-web");
    let stopped = uniq("ctr-stopped");
    let port = free_port();
    let dead_port = free_port();
    clean.containers.push(web.clone());
    clean.containers.push(stopped.clone());
    docker(&[
        "run",
        "-d",
        "--name",
        &web,
        "--network",
        &net,
        "-p",
        &format!("127.0.0.1:{port}:80"),
        "-p",
        &format!("127.0.0.1:{dead_port}:81"),
        "busybox:1.36",
        "httpd",
        "-f",
        "-p",
        "80",
    ]);
    docker(&["create", "--name", &stopped, "busybox:1.36", "true"]);
    let missing = uniq("ctr-missing");
    let lid = uniq("lesson-ctr");
    let port_check = |p: &str, host: Option<u16>, reachable: bool| CheckKind::ContainerPort {
        container: web.clone(),
        port: p.into(),
        host_port: host,
        reachable,
    };
    let checks = vec![
        spec(
            "running-pass",
            CheckKind::ContainerRunning {
                container: web.clone(),
                image: Some("busybox:1.36".into()),
            },
        ),
        spec(
            "running-fail",
            CheckKind::ContainerRunning {
                container: stopped.clone(),
                image: None,
            },
        ),
        spec(
            "running-missing",
            CheckKind::ContainerRunning {
                container: missing.clone(),
                image: None,
            },
        ),
        spec(
            "running-image-fail",
            CheckKind::ContainerRunning {
                container: web.clone(),
                image: Some("ddt-checks-other:1".into()),
            },
        ),
        spec(
            "mode-pass",
            CheckKind::ContainerNetworkMode {
                container: web.clone(),
                mode: net.clone(),
            },
        ),
        spec(
            "mode-fail",
            CheckKind::ContainerNetworkMode {
                container: web.clone(),
                mode: "host".into(),
            },
        ),
        spec(
            "nets-pass",
            CheckKind::ContainerNetworks {
                container: web.clone(),
                includes: vec![net.clone()],
                excludes: vec!["bridge".into()],
            },
        ),
        spec(
            "nets-fail",
            CheckKind::ContainerNetworks {
                container: web.clone(),
                includes: vec!["bridge".into()],
                excludes: vec![net.clone()],
            },
        ),
        spec("port-pass", port_check("80/tcp", Some(port), true)),
        spec("port-wrong-host", port_check("80", Some(1), false)),
        spec("port-unpublished", port_check("443", None, false)),
        spec("port-unreachable", port_check("81", Some(dead_port), true)),
    ];
    let l = lesson(&lid, checks);
    let ws = tempfile::tempdir().expect("tempdir");
    let r = run_checks(Ok(&engine), &l, ws.path(), "busybox:1.36").await;
    expect(
        &r,
        "running-pass",
        Status::Pass,
        &format!("{web} is running."),
    );
    expect(
        &r,
        "running-fail",
        Status::Fail,
        &format!("{stopped} exists but is created; start it with `docker start {stopped}`"),
    );
    expect(
        &r,
        "running-missing",
        Status::Fail,
        &format!("There is no container named {missing}"),
    );
    expect(
        &r,
        "running-image-fail",
        Status::Fail,
        "there is no image named ddt-checks-other:1",
    );
    expect(
        &r,
        "mode-pass",
        Status::Pass,
        &format!("uses network mode {net}."),
    );
    expect(
        &r,
        "mode-fail",
        Status::Fail,
        &format!("uses network mode {net}; the goal is host"),
    );
    expect(&r, "nets-pass", Status::Pass, "is on the right networks.");
    expect(&r, "nets-fail", Status::Fail, &format!("{web} is not attached to bridge (docker network connect bridge {web}) and is still attached to {net}"));
    expect(&r, "port-pass", Status::Pass, "publishes 80/tcp as asked.");
    assert!(by_id(&r, "port-pass")
        .actual
        .contains("accepted a connection"));
    expect(
        &r,
        "port-wrong-host",
        Status::Fail,
        &format!("publishes 80/tcp on host port {port}; the goal is host port 1"),
    );
    expect(
        &r,
        "port-unpublished",
        Status::Fail,
        "does not publish port 443/tcp",
    );
    expect(
        &r,
        "port-unreachable",
        Status::Fail,
        &format!("Nothing answered on 127.0.0.1:{dead_port}"),
    );
}

#[tokio::test]
async fn network_checks_pass_and_fail() {
    let Some(engine) = common::engine("network_checks_pass_and_fail").await else {
        return;
    };
    let mut clean = Cleanup::default();
    let a = uniq("net-a");
    let b = uniq("net-b");
    let internal = uniq("net-int");
    clean
        .networks
        .extend([a.clone(), b.clone(), internal.clone()]);
    docker(&["network", "create", &a]);
    docker(&["network", "create", &b]);
    docker(&[
        "network",
        "create",
        "--internal",
        "--attachable",
        "-o",
        "com.docker.network.bridge.enable_icc=true",
        &internal,
    ]);
    let target = uniq("net-target");
    clean.containers.push(target.clone());
    docker(&[
        "run",
        "-d",
        "--name",
        &target,
        "--network",
        &a,
        "busybox:1.36",
        "httpd",
        "-f",
        "-p",
        "80",
    ]);
    let missing_net = uniq("net-missing");
    let lid = uniq("lesson-net");
    let mut opts = BTreeMap::new();
    opts.insert(
        "com.docker.network.bridge.enable_icc".to_string(),
        "true".to_string(),
    );
    let exists = |n: &str,
                  driver: Option<&str>,
                  internal: Option<bool>,
                  options: BTreeMap<String, String>| CheckKind::NetworkExists {
        network: n.into(),
        driver: driver.map(String::from),
        scope: Some("local".into()),
        internal,
        attachable: None,
        subnet: None,
        gateway: None,
        options,
    };
    let reach = |from: &str, port: Option<u16>, expect: Reach| CheckKind::NetworkReach {
        from_network: from.into(),
        to: target.clone(),
        port,
        expect,
    };
    let checks = vec![
        spec(
            "exists-pass",
            exists(&internal, Some("bridge"), Some(true), opts.clone()),
        ),
        spec(
            "exists-fail",
            exists(&a, Some("macvlan"), Some(true), BTreeMap::new()),
        ),
        spec(
            "exists-missing",
            exists(&missing_net, None, None, BTreeMap::new()),
        ),
        spec(
            "absent-pass",
            CheckKind::NetworkAbsent {
                network: missing_net.clone(),
            },
        ),
        spec(
            "absent-fail",
            CheckKind::NetworkAbsent { network: a.clone() },
        ),
        spec("reach-tcp-pass", reach(&a, Some(80), Reach::Reachable)),
        spec(
            "reach-tcp-isolated-pass",
            reach(&b, Some(80), Reach::Unreachable),
        ),
        spec("reach-tcp-fail", reach(&b, Some(80), Reach::Reachable)),
        spec("reach-closed-port", reach(&a, Some(81), Reach::Reachable)),
        spec("reach-icmp-pass", reach(&a, None, Reach::Reachable)),
        spec("reach-icmp-fail", reach(&a, None, Reach::Unreachable)),
        spec(
            "resolves-pass",
            CheckKind::NetworkResolves {
                network: a.clone(),
                name: target.clone(),
                expect: true,
            },
        ),
        spec(
            "resolves-fail",
            CheckKind::NetworkResolves {
                network: b.clone(),
                name: target.clone(),
                expect: true,
            },
        ),
    ];
    let l = lesson(&lid, checks);
    let ws = tempfile::tempdir().expect("tempdir");
    let r = run_checks(Ok(&engine), &l, ws.path(), "busybox:1.36").await;
    expect(
        &r,
        "exists-pass",
        Status::Pass,
        &format!("Network {internal} exists as asked."),
    );
    expect(
        &r,
        "exists-fail",
        Status::Fail,
        "its driver is bridge (wanted macvlan); internal is false (wanted true; `--internal`)",
    );
    expect(&r, "exists-missing", Status::Fail, &format!("There is no network named {missing_net}; create it with `docker network create {missing_net}`."));
    expect(
        &r,
        "absent-pass",
        Status::Pass,
        &format!("There is no network named {missing_net}."),
    );
    expect(
        &r,
        "absent-fail",
        Status::Fail,
        &format!("remove it with `docker network rm {a}`"),
    );
    expect(
        &r,
        "reach-tcp-pass",
        Status::Pass,
        &format!("{target} is reachable from {a}."),
    );
    expect(
        &r,
        "reach-tcp-isolated-pass",
        Status::Pass,
        &format!("{target} cannot be reached from {b}."),
    );
    expect(
        &r,
        "reach-tcp-fail",
        Status::Fail,
        &format!("{target} cannot be reached from network {b}"),
    );
    expect(&r, "reach-closed-port", Status::Fail, "check that");
    expect(&r, "reach-icmp-pass", Status::Pass, "is reachable");
    expect(
        &r,
        "reach-icmp-fail",
        Status::Fail,
        &format!("can still be reached from network {a}"),
    );
    expect(
        &r,
        "resolves-pass",
        Status::Pass,
        &format!("On {a}, {target} resolves to "),
    );
    expect(
        &r,
        "resolves-fail",
        Status::Fail,
        &format!("A container on {b} cannot resolve {target}."),
    );
    assert_no_helpers(&lid);

    // a target on the host's network is reached at the host's address on a
    // bridge network (its gateway)
    let on_host = uniq("net-on-host");
    clean.containers.push(on_host.clone());
    let port = free_port();
    docker(&[
        "run",
        "-d",
        "--name",
        &on_host,
        "--network",
        "host",
        "busybox:1.36",
        "httpd",
        "-f",
        "-p",
        &port.to_string(),
    ]);
    let host_reach = |port: u16, expect: Reach| CheckKind::NetworkReach {
        from_network: a.clone(),
        to: on_host.clone(),
        port: Some(port),
        expect,
    };
    let l = lesson(
        &lid,
        vec![
            spec("host-pass", host_reach(port, Reach::Reachable)),
            spec("host-fail", host_reach(port, Reach::Unreachable)),
        ],
    );
    let r = run_checks(Ok(&engine), &l, ws.path(), "busybox:1.36").await;
    let gateway = docker(&[
        "network",
        "inspect",
        &a,
        "--format",
        "{{range .IPAM.Config}}{{.Gateway}}{{end}}",
    ]);
    expect(
        &r,
        "host-pass",
        Status::Pass,
        &format!(
            "{on_host} shares the host's network and is reachable from {a} at the host's address."
        ),
    );
    assert!(
        by_id(&r, "host-pass")
            .actual
            .contains(&format!("reached {on_host} at {}", gateway.trim())),
        "{:?}",
        by_id(&r, "host-pass")
    );
    expect(&r, "host-fail", Status::Fail, "instead of `--network host`");
    assert_no_helpers(&lid);

    // a missing probe image is dockdojo's problem, not the learner's
    let l = lesson(
        &lid,
        vec![spec("probe-missing", reach(&a, Some(80), Reach::Reachable))],
    );
    let r = run_checks(Ok(&engine), &l, ws.path(), "ddt-checks-no-probe:1").await;
    expect(&r, "probe-missing", Status::Error, "the probe image ddt-checks-no-probe:1 is missing, so dockdojo cannot test the network; run `dockdojo prepare`");
}

#[tokio::test]
async fn swarm_check_matches_the_engine_state() {
    let Some(engine) = common::engine("swarm_check_matches_the_engine_state").await else {
        return;
    };
    let state = docker(&[
        "info",
        "--format",
        "{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}",
    ]);
    let lid = uniq("lesson-swarm");
    let l = lesson(&lid, vec![spec("swarm", CheckKind::SwarmActive)]);
    let ws = tempfile::tempdir().expect("tempdir");
    let r = run_checks(Ok(&engine), &l, ws.path(), "busybox:1.36").await;
    // this test must not change the shared engine's swarm state: it checks
    // whichever state the engine is in
    if state == "active true" {
        expect(
            &r,
            "swarm",
            Status::Pass,
            "Swarm mode is active and this engine is a manager.",
        );
    } else if state.starts_with("active") {
        expect(&r, "swarm", Status::Fail, "swarm worker");
    } else {
        expect(
            &r,
            "swarm",
            Status::Fail,
            "Swarm mode is not active; start it with `docker swarm init",
        );
    }
}

#[tokio::test]
async fn a_dropped_scan_container_is_still_removed() {
    use futures_util::StreamExt;
    let Some(engine) = common::engine("a_dropped_scan_container_is_still_removed").await else {
        return;
    };
    let lid = uniq("lesson-drop");
    let scan = dockdojo::engine::fs::ScanContainer::create(&engine, "busybox:1.36", &lid)
        .await
        .expect("create scan container");
    let id = scan.id.clone();
    // labelled as dockdojo's own, for this lesson
    let info = engine
        .docker
        .inspect_container(&id, None)
        .await
        .expect("inspect");
    let labels = info.config.and_then(|c| c.labels).unwrap_or_default();
    assert_eq!(
        labels.get("dev.dockdojo.managed").map(String::as_str),
        Some("true")
    );
    assert_eq!(labels.get("dev.dockdojo.lesson"), Some(&lid));
    assert!(scan.exists("/bin/sh").await.expect("stat"));
    assert!(!scan.exists("/no/such/file").await.expect("stat"));
    // dropped without `remove` (a cancelled check): removal still happens
    drop(scan);
    let mut wait = engine.docker.wait_container(
        &id,
        Some(bollard::query_parameters::WaitContainerOptions {
            condition: "removed".into(),
        }),
    );
    let _ = tokio::time::timeout(Duration::from_secs(60), wait.next()).await;
    let gone = engine.docker.inspect_container(&id, None).await;
    assert!(gone.is_err(), "scan container {id} was not removed");
    assert_no_helpers(&lid);
}
