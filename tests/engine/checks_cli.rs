//! `dockdojo check` as a whole process: JSON shape, JUnit, exit status,
//! starter files, and an unreachable engine.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

fn uniq(name: &str) -> String {
    format!("ddt-checks-cli-{name}-{}", std::process::id())
}

struct RemoveImage(String);
impl Drop for RemoveImage {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rmi", "-f", &self.0]).output();
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

/// A pack with one lesson `cli` checking image `image`.
fn make_pack(root: &Path, image: &str) {
    write(
        &root.join("pack.toml"),
        "format_version = 1\ntitle = \"cli test\"\nprobe_image = \"busybox:1.36\"\n",
    );
    write(
        &root.join("01-cli/lesson.md"),
        &format!(
            r#"+++
title = "CLI lesson"
summary = "checks through the command line"
creates = {{ images = ["{image}"] }}

[[check]]
id = "exists"
title = "{image} exists"
kind = "image.exists"
image = "{image}"

[[check]]
id = "small"
title = "{image} is under 1 kB"
kind = "image.size"
image = "{image}"
max = "1kB"
hint = "Start FROM scratch."
needs = ["exists"]

[[check]]
id = "stages"
title = "two stages"
kind = "dockerfile.stages"
min = 2
+++
# CLI lesson
"#
        ),
    );
    write(
        &root.join("01-cli/starter/Dockerfile"),
        "FROM busybox:1.36\n",
    );
    write(&root.join("02-other/lesson.md"), "+++\ntitle = \"Other\"\n\n[[check]]\nid = \"df\"\ntitle = \"final base\"\nkind = \"dockerfile.final_base\"\nany_of = [\"scratch\"]\n+++\n# Other\n");
}

fn run(pack: &Path, ws: &Path, home: &Path, args: &[&str], docker_host: Option<&str>) -> Output {
    let mut c = Command::new(common::bin());
    c.arg("--lessons")
        .arg(pack)
        .arg("--workspace")
        .arg(ws)
        .env("DOCKDOJO_HOME", home);
    if let Some(h) = docker_host {
        c.env("DOCKER_HOST", h);
    }
    c.args(args).output().expect("run dockdojo")
}

#[test]
fn check_reports_json_junit_and_exit_status() {
    if common::engine_tests_skipped("check_reports_json_junit_and_exit_status") {
        return;
    }
    let image = uniq("img");
    let _rm = RemoveImage(image.clone());
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = tmp.path().join("pack");
    let ws = tmp.path().join("ws");
    let home = tmp.path().join("home");
    make_pack(&pack, &image);

    // before: the image does not exist -> fail, needs -> skipped, exit 1
    let out = run(&pack, &ws, &home, &["check", "cli", "--json"], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    assert_eq!(v["lesson"], "cli");
    assert_eq!(v["passed"], false);
    let checks = v["checks"].as_array().expect("checks");
    assert_eq!(checks[0]["id"], "exists");
    assert_eq!(checks[0]["status"], "fail");
    assert_eq!(
        checks[0]["message"],
        format!(
            "There is no image named {image}:latest; build it with `docker build -t {image} .`"
        )
    );
    assert_eq!(checks[1]["status"], "skipped");
    assert_eq!(checks[1]["hint"], "Start FROM scratch.");
    assert!(checks[1]["duration_ms"].is_u64());
    // the starter Dockerfile was copied into the workspace: one stage
    assert!(ws.join("01-cli/Dockerfile").exists());
    assert_eq!(checks[2]["status"], "fail");
    assert_eq!(checks[2]["actual"], "1 stage: FROM busybox:1.36 (line 1)");

    // a too-big image: the size check fails with readable expected/actual
    let st = Command::new("docker")
        .args(["tag", "busybox:1.36", &image])
        .output()
        .expect("tag");
    assert!(st.status.success());
    write(
        &ws.join("01-cli/Dockerfile"),
        "FROM busybox:1.36 AS b\nFROM scratch\n",
    );
    let junit = tmp.path().join("out/junit.xml");
    let out = run(
        &pack,
        &ws,
        &home,
        &["check", "cli", "--junit", junit.to_str().expect("utf8")],
        None,
    );
    let human = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{human}");
    assert!(human.contains(&format!("✔ {image} exists")), "{human}");
    assert!(
        human.contains(&format!("✘ {image} is under 1 kB\n      expected: at most 1 kB\n      actual:   2 MB (unpacked)")),
        "{human}"
    );
    assert!(human.contains("      hint: Start FROM scratch."), "{human}");
    assert!(
        !human.contains('\x1b'),
        "no colours when stdout is not a terminal"
    );
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(
        xml.contains(
            "<testsuite name=\"cli\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"0\""
        ),
        "{xml}"
    );
    assert!(xml.contains("<failure message=\""), "{xml}");
    assert!(xml.contains("expected: at most 1 kB"), "{xml}");

    // the result was recorded under DOCKDOJO_HOME
    let progress = std::fs::read_to_string(home.join("progress.json")).expect("progress");
    assert!(progress.contains("\"cli\""), "{progress}");

    // several lessons -> a JSON array; all pass -> exit 0
    write(&ws.join("02-other/Dockerfile"), "FROM scratch\n");
    let out = run(&pack, &ws, &home, &["check", "other", "--json"], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // no lesson named: the lesson whose workspace folder we are in
    let out = Command::new(common::bin())
        .arg("--lessons")
        .arg(&pack)
        .arg("--workspace")
        .arg(&ws)
        .env("DOCKDOJO_HOME", &home)
        .current_dir(ws.join("02-other"))
        .args(["check", "--json"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["lesson"], "other");
    let out = run(&pack, &ws, &home, &["check", "--all", "--json"], None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let arr = v.as_array().expect("an array with --all");
    assert_eq!(arr.len(), 2);
    assert_eq!(arr[1]["lesson"], "other");
    assert_eq!(arr[1]["passed"], true);
}

#[test]
fn check_cannot_evaluate_exits_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pack = tmp.path().join("pack");
    let ws = tmp.path().join("ws");
    let home = tmp.path().join("home");
    make_pack(&pack, "ddt-checks-cli-never");

    // no lesson named, and not inside a lesson folder
    let out = Command::new(common::bin())
        .arg("--lessons")
        .arg(&pack)
        .arg("--workspace")
        .arg(&ws)
        .env("DOCKDOJO_HOME", &home)
        .current_dir(tmp.path())
        .arg("check")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("say which lesson to check"));

    // unknown lesson
    let out = run(&pack, &ws, &home, &["check", "no-such-lesson"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no lesson named `no-such-lesson`"), "{err}");
    assert!(err.contains("cli, other"), "{err}");

    // engine unreachable: the endpoint is named, dockerfile checks still run
    let out = run(
        &pack,
        &ws,
        &home,
        &["check", "cli", "--json"],
        Some("unix:///nonexistent/ddt-checks.sock"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unix:///nonexistent/ddt-checks.sock"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["checks"][0]["status"], "error");
    assert_eq!(v["checks"][2]["id"], "stages");
    assert_eq!(v["checks"][2]["status"], "fail");

    // an invalid pack
    let bad = tmp.path().join("bad");
    write(
        &bad.join("pack.toml"),
        "format_version = 1\ntitle = \"x\"\nprobe_image = \"busybox:1.36\"\n",
    );
    write(
        &bad.join("01-x/lesson.md"),
        "+++\ntitle = \"x\"\n[[check]]\nid = \"a\"\ntitle = \"a\"\nkind = \"image.nope\"\n+++\n",
    );
    let out = run(&bad, &ws, &home, &["check", "x"], None);
    assert_eq!(out.status.code(), Some(2));
}
