//! `dockdojo reset` against the real engine: exactly the lesson's objects and
//! dockdojo's own go; every object of the user's survives untouched, including
//! ones whose names merely resemble lesson objects.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

const P: &str = "ddt-classroom-rs";

fn docker(args: &[&str]) -> Output {
    Command::new("docker")
        .args(args)
        .output()
        .expect("the docker CLI runs")
}

fn docker_ok(args: &[&str]) -> String {
    let out = docker(args);
    assert!(
        out.status.success(),
        "docker {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// `id state` of an object, or None when it does not exist.
fn inspect(kind: &str, name: &str) -> Option<String> {
    let format = match kind {
        "container" => "{{.Id}} {{.State.Status}}",
        "image" => "{{.Id}}",
        "network" => "{{.Id}}",
        _ => "{{.Name}} {{.Mountpoint}}",
    };
    let out = docker(&[kind, "inspect", "--format", format, name]);
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A pack whose two lessons name objects with this test's prefix.
fn write_pack(dir: &Path) {
    write(
        &dir.join("pack.toml"),
        "format_version = 1\ntitle = \"Reset test pack\"\nprobe_image = \"busybox:1.36\"\n",
    );
    write(
        &dir.join("01-alpha/lesson.md"),
        &format!(
            r#"+++
id = "{P}-alpha"
title = "Alpha"
creates = {{ images = ["{P}-img"], containers = ["{P}-box"], networks = ["{P}-net"], volumes = ["{P}-vol"] }}
hints = ["one"]

[[check]]
id = "img"
title = "image exists"
kind = "image.exists"
image = "{P}-img"
+++
# Alpha
"#
        ),
    );
    write(
        &dir.join("01-alpha/starter/Dockerfile"),
        "FROM busybox:1.36\n",
    );
    write(
        &dir.join("02-beta/lesson.md"),
        &format!(
            r#"+++
id = "{P}-beta"
title = "Beta"
creates = {{ containers = ["{P}-box2"], images = ["{P}-img2:v1"] }}

[[check]]
id = "c"
title = "container runs"
kind = "container.running"
container = "{P}-box2"
+++
# Beta
"#
        ),
    );
}

/// Removes every object this test may have made, by exact name, even when
/// an assertion failed.
struct Cleanup;

impl Drop for Cleanup {
    fn drop(&mut self) {
        for c in [
            "box",
            "box2",
            "box-old",
            "my-box",
            "box-backup",
            "inherits",
            "probe-run",
            "probe-created",
            "foreign-probe",
        ] {
            let _ = docker(&["rm", "-f", &format!("{P}-{c}")]);
        }
        for i in [
            "img",
            "img-backup",
            "my-img",
            "img:v2",
            "img2:v1",
            "img2",
            "labelled",
        ] {
            let _ = docker(&["rmi", &format!("{P}-{i}")]);
        }
        for n in ["net", "my-net", "net-old", "managed-net", "foreign-net"] {
            let _ = docker(&["network", "rm", &format!("{P}-{n}")]);
        }
        for v in ["vol", "vol-keep", "my-vol"] {
            let _ = docker(&["volume", "rm", &format!("{P}-{v}")]);
        }
    }
}

fn dockdojo(home: &Path, pack: &Path, ws: &Path, args: &[&str]) -> Output {
    Command::new(common::bin())
        .args(args)
        .arg("--lessons")
        .arg(pack)
        .arg("--workspace")
        .arg(ws)
        .env("DOCKDOJO_HOME", home)
        .env_remove("DOCKDOJO_LESSONS")
        .env_remove("DOCKDOJO_WORKSPACE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("dockdojo runs")
}

#[tokio::test]
async fn reset_all_removes_exactly_lesson_and_managed_objects() {
    // `reset --all` removes every managed container without an install
    // value, whoever made it (engine_faults' bystanders): no other test beside it.
    common::engine_lock::alone();
    let Some(_engine) =
        common::engine("reset_all_removes_exactly_lesson_and_managed_objects").await
    else {
        return;
    };
    let _cleanup = Cleanup;
    drop(Cleanup); // leftovers of an interrupted earlier run
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let pack = tmp.path().join("pack");
    let ws = tmp.path().join("ws");
    write_pack(&pack);
    let install = dockdojo::engine::cleanup::install_id(&home).expect("install id");

    // --- the lesson's objects and dockdojo's own
    let img = "busybox:1.36";
    docker_ok(&["tag", img, &format!("{P}-img")]);
    docker_ok(&["tag", img, &format!("{P}-img2:v1")]);
    docker_ok(&[
        "run",
        "-d",
        "--name",
        &format!("{P}-box"),
        img,
        "sleep",
        "300",
    ]);
    docker_ok(&["create", "--name", &format!("{P}-box2"), img, "true"]);
    docker_ok(&["network", "create", &format!("{P}-net")]);
    docker_ok(&["volume", "create", &format!("{P}-vol")]);
    let managed = "dev.dockdojo.managed=true".to_string();
    let lesson_label = format!("dev.dockdojo.lesson={P}-alpha");
    docker_ok(&[
        "run",
        "-d",
        "--name",
        &format!("{P}-probe-run"),
        "--label",
        &managed,
        "--label",
        &lesson_label,
        img,
        "sleep",
        "300",
    ]);
    docker_ok(&[
        "create",
        "--name",
        &format!("{P}-probe-created"),
        "--label",
        &managed,
        img,
        "true",
    ]);
    let ours = format!("dev.dockdojo.install={install}");
    docker_ok(&[
        "network",
        "create",
        "--label",
        &managed,
        "--label",
        &ours,
        &format!("{P}-managed-net"),
    ]);

    // --- the user's own objects, some with look-alike names
    docker_ok(&[
        "run",
        "-d",
        "--name",
        &format!("{P}-box-old"),
        img,
        "sleep",
        "300",
    ]);
    docker_ok(&["create", "--name", &format!("{P}-my-box"), img, "true"]);
    docker_ok(&["create", "--name", &format!("{P}-box-backup"), img, "true"]);
    docker_ok(&["tag", img, &format!("{P}-img-backup")]);
    docker_ok(&["tag", img, &format!("{P}-my-img")]);
    docker_ok(&["tag", img, &format!("{P}-img:v2")]);
    docker_ok(&["tag", img, &format!("{P}-img2")]);
    docker_ok(&["network", "create", &format!("{P}-my-net")]);
    docker_ok(&["network", "create", &format!("{P}-net-old")]);
    docker_ok(&["volume", "create", &format!("{P}-vol-keep")]);
    docker_ok(&["volume", "create", &format!("{P}-my-vol")]);
    // an image labelled managed by its author (no install value): the label
    // is inherited by the user's container, which is still the user's
    let build = tmp.path().join("build");
    write(
        &build.join("Dockerfile"),
        "FROM busybox:1.36\nLABEL dev.dockdojo.managed=true\n",
    );
    docker_ok(&[
        "build",
        "-q",
        "-t",
        &format!("{P}-labelled"),
        build.to_str().expect("utf8"),
    ]);
    docker_ok(&[
        "run",
        "-d",
        "--name",
        &format!("{P}-inherits"),
        &format!("{P}-labelled"),
        "sleep",
        "300",
    ]);
    // another install's helper network and container
    let foreign = format!("dev.dockdojo.install={}", "f".repeat(32));
    docker_ok(&[
        "network",
        "create",
        "--label",
        &managed,
        "--label",
        &foreign,
        &format!("{P}-foreign-net"),
    ]);
    docker_ok(&[
        "create",
        "--name",
        &format!("{P}-foreign-probe"),
        "--label",
        &managed,
        "--label",
        &foreign,
        img,
        "true",
    ]);

    let user: Vec<(&str, String)> = vec![
        ("container", format!("{P}-box-old")),
        ("container", format!("{P}-my-box")),
        ("container", format!("{P}-box-backup")),
        ("container", format!("{P}-inherits")),
        ("container", format!("{P}-foreign-probe")),
        ("image", format!("{P}-img-backup")),
        ("image", format!("{P}-my-img")),
        ("image", format!("{P}-img:v2")),
        ("image", format!("{P}-img2")),
        ("image", format!("{P}-labelled")),
        ("image", img.to_string()),
        ("network", format!("{P}-my-net")),
        ("network", format!("{P}-net-old")),
        ("network", format!("{P}-foreign-net")),
        ("network", "bridge".to_string()),
        ("volume", format!("{P}-vol-keep")),
        ("volume", format!("{P}-my-vol")),
    ];
    let lesson: Vec<(&str, String)> = vec![
        ("container", format!("{P}-box")),
        ("container", format!("{P}-box2")),
        ("container", format!("{P}-probe-run")),
        ("container", format!("{P}-probe-created")),
        ("image", format!("{P}-img")),
        ("image", format!("{P}-img2:v1")),
        ("network", format!("{P}-net")),
        ("network", format!("{P}-managed-net")),
        ("volume", format!("{P}-vol")),
    ];
    let before: Vec<Option<String>> = user.iter().map(|(k, n)| inspect(k, n)).collect();
    for ((k, n), b) in user.iter().zip(&before) {
        assert!(b.is_some(), "setup: user {k} {n} exists");
    }
    for (k, n) in &lesson {
        assert!(inspect(k, n).is_some(), "setup: lesson {k} {n} exists");
    }

    // The learner's files: one edited starter file, one of their own.
    let lesson_dir = ws.join("01-alpha");
    write(&lesson_dir.join("Dockerfile"), "FROM mine\n");
    write(&lesson_dir.join("notes.md"), "my notes\n");

    // --dry-run lists and removes nothing.
    let out = dockdojo(&home, &pack, &ws, &["reset", "--all", "--dry-run"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (_, n) in &lesson {
        assert!(text.contains(n.as_str()), "dry run lists {n}:\n{text}");
    }
    for (_, n) in &user {
        assert!(
            !text
                .lines()
                .any(|l| l.trim_start().starts_with(&format!("{n} ("))
                    || l.trim_start().starts_with(&format!("{n}:latest ("))),
            "dry run must not list the user's {n}:\n{text}"
        );
    }
    assert!(text.contains("(dry run: nothing was changed)"), "{text}");
    for (k, n) in &lesson {
        assert!(inspect(k, n).is_some(), "dry run removed {k} {n}");
    }
    assert_eq!(
        std::fs::read_to_string(lesson_dir.join("Dockerfile")).expect("r"),
        "FROM mine\n"
    );

    // Without --yes and without a terminal: refuse, change nothing.
    let out = dockdojo(&home, &pack, &ws, &["reset", "--all"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    for (k, n) in &lesson {
        assert!(inspect(k, n).is_some(), "refused reset removed {k} {n}");
    }

    // The real thing.
    let out = dockdojo(&home, &pack, &ws, &["reset", "--all", "--yes"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (k, n) in &lesson {
        assert!(inspect(k, n).is_none(), "{k} {n} should be gone:\n{text}");
    }
    let after: Vec<Option<String>> = user.iter().map(|(k, n)| inspect(k, n)).collect();
    for (((k, n), b), a) in user.iter().zip(&before).zip(&after) {
        assert_eq!(
            b, a,
            "the user's {k} {n} must be untouched (same id, same state)"
        );
    }

    // Files: starter restored, the learner's files kept in the named backup.
    assert_eq!(
        std::fs::read_to_string(lesson_dir.join("Dockerfile")).expect("r"),
        "FROM busybox:1.36\n"
    );
    assert!(!lesson_dir.join("notes.md").exists());
    let backups: Vec<_> = std::fs::read_dir(ws.join(".dockdojo-backup"))
        .expect("backup folder")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(text.contains(&backups[0].display().to_string()), "{text}");
    assert_eq!(
        std::fs::read_to_string(backups[0].join("Dockerfile")).expect("r"),
        "FROM mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(backups[0].join("notes.md")).expect("r"),
        "my notes\n"
    );
    // The lesson the learner never opened gets no folder.
    assert!(!ws.join("02-beta").exists());
}

#[tokio::test]
async fn reset_one_lesson_leaves_other_lessons_objects() {
    let Some(_engine) = common::engine("reset_one_lesson_leaves_other_lessons_objects").await
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let pack = tmp.path().join("pack");
    let ws = tmp.path().join("ws");
    // its own names, so it cannot race the test above
    let pack_text = |id: &str, c: &str| {
        format!(
            "+++\nid = \"{id}\"\ntitle = \"T\"\ncreates = {{ containers = [\"{c}\"] }}\n\n[[check]]\nid = \"c\"\ntitle = \"t\"\nkind = \"container.running\"\ncontainer = \"{c}\"\n+++\n# T\n"
        )
    };
    write(
        &pack.join("pack.toml"),
        "format_version = 1\ntitle = \"T\"\nprobe_image = \"busybox:1.36\"\n",
    );
    let a = format!("{P}-one-a");
    let b = format!("{P}-one-b");
    write(&pack.join("01-a/lesson.md"), &pack_text("one-a", &a));
    write(&pack.join("02-b/lesson.md"), &pack_text("one-b", &b));
    struct Rm(Vec<String>);
    impl Drop for Rm {
        fn drop(&mut self) {
            for n in &self.0 {
                let _ = docker(&["rm", "-f", n]);
            }
        }
    }
    let _rm = Rm(vec![a.clone(), b.clone()]);
    docker_ok(&["create", "--name", &a, "busybox:1.36", "true"]);
    docker_ok(&["create", "--name", &b, "busybox:1.36", "true"]);
    let out = dockdojo(&home, &pack, &ws, &["reset", "one-a", "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(inspect("container", &a).is_none());
    assert!(inspect("container", &b).is_some());
}

#[test]
fn reset_with_engine_unreachable_says_so_and_exits_2() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let pack = tmp.path().join("pack");
    let ws = tmp.path().join("ws");
    write_pack(&pack);
    write(&ws.join("01-alpha/Dockerfile"), "FROM mine\n");
    let out = Command::new(common::bin())
        .args(["reset", "--all", "--yes", "--lessons"])
        .arg(&pack)
        .arg("--workspace")
        .arg(&ws)
        .env("DOCKDOJO_HOME", &home)
        .env("DOCKER_HOST", "unix:///nonexistent/ddt-classroom.sock")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}{err}");
    assert!(text.contains("engine cannot be asked"), "{text}");
    assert!(text.contains("/nonexistent/ddt-classroom.sock"), "{text}");
    assert!(err.contains("only files were restored"), "{err}");
    // --yes confirmed the file part
    assert_eq!(
        std::fs::read_to_string(ws.join("01-alpha/Dockerfile")).expect("r"),
        "FROM busybox:1.36\n"
    );
}
