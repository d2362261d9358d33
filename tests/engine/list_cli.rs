//! `dockdojo list`: status from progress, corrupt progress moved aside with a
//! warning, requirements the platform cannot meet.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use dockdojo::check::{CheckResult, LessonResult, Status};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn lesson_md(id: &str, requires: &str) -> String {
    format!(
        "+++\nid = \"{id}\"\ntitle = \"Lesson {id}\"\nrequires = [{requires}]\n\n[[check]]\nid = \"c\"\ntitle = \"t\"\nkind = \"image.exists\"\nimage = \"ddt-classroom-list-{id}\"\n+++\n# {id}\n"
    )
}

fn pack(dir: &Path, requires: &str) {
    write(
        &dir.join("pack.toml"),
        "format_version = 1\ntitle = \"List pack\"\nprobe_image = \"busybox:1.36\"\n",
    );
    write(&dir.join("01-one/lesson.md"), &lesson_md("one", ""));
    write(&dir.join("02-two/lesson.md"), &lesson_md("two", ""));
    write(
        &dir.join("03-three/lesson.md"),
        &lesson_md("three", requires),
    );
}

fn result(lesson: &str, passed: bool) -> LessonResult {
    LessonResult {
        lesson: lesson.into(),
        passed,
        checks: vec![CheckResult {
            id: "c".into(),
            title: "t".into(),
            status: if passed { Status::Pass } else { Status::Fail },
            expected: "e".into(),
            actual: "a".into(),
            message: "m".into(),
            hint: None,
            why: None,
            duration_ms: 1,
        }],
    }
}

fn list(home: &Path, pack: &Path, json: bool, docker_host: Option<&str>) -> Output {
    let mut c = Command::new(common::bin());
    c.arg("list");
    if json {
        c.arg("--json");
    }
    c.arg("--lessons").arg(pack).env("DOCKDOJO_HOME", home);
    if let Some(h) = docker_host {
        c.env("DOCKER_HOST", h);
    }
    c.output().expect("runs")
}

#[test]
fn statuses_come_from_progress() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let p = tmp.path().join("pack");
    pack(&p, "");
    dockdojo::progress::record_result(&home, &result("one", true)).expect("rec");
    dockdojo::progress::record_result(&home, &result("two", false)).expect("rec");
    let out = list(&home, &p, true, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let rows = v.as_array().expect("array");
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["id"], "one");
    assert_eq!(rows[0]["number"], 1);
    assert_eq!(rows[0]["status"], "passed");
    assert!(rows[0]["passed_at"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    assert_eq!(rows[1]["status"], "failing");
    assert_eq!(rows[1]["passed_at"], serde_json::Value::Null);
    assert_eq!(rows[2]["status"], "not_started");
    assert_eq!(rows[2]["unmet_requirements"], serde_json::json!([]));

    let out = list(&home, &p, false, None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 of 3 lessons passed"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("two") && l.contains("failing")),
        "{text}"
    );
}

#[test]
fn corrupt_progress_is_moved_aside_with_a_warning() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let p = tmp.path().join("pack");
    pack(&p, "");
    write(
        &home.join("progress.json"),
        "{\"schema_version\": 1, \"lessons\": {tru",
    );
    let out = list(&home, &p, true, None);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v[0]["status"], "not_started");
    let aside: Vec<_> = std::fs::read_dir(&home)
        .expect("rd")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("progress.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert!(
        err.contains(&home.join("progress.json").display().to_string()),
        "{err}"
    );
    assert!(err.contains(&aside[0].display().to_string()), "{err}");
    assert_eq!(
        std::fs::read_to_string(&aside[0]).expect("kept"),
        "{\"schema_version\": 1, \"lessons\": {tru"
    );
}

#[tokio::test]
async fn requirements_follow_the_platform() {
    let Some(engine) = common::engine("requirements_follow_the_platform").await else {
        return;
    };
    let platform = dockdojo::engine::platform::detect(&engine)
        .await
        .expect("platform");
    let tmp = tempfile::tempdir().expect("tmp");
    let p = tmp.path().join("pack");
    pack(&p, "\"swarm\", \"macvlan\"");
    let out = list(&tmp.path().join("home"), &p, true, None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let unmet = dockdojo::engine::platform::unmet_requirements(
        &["swarm".to_string(), "macvlan".to_string()],
        &platform,
    );
    assert_eq!(v[2]["unmet_requirements"], serde_json::json!(unmet));
    assert_eq!(v[0]["unmet_requirements"], serde_json::json!([]));

    // Engine unreachable: list still works; JSON says it cannot tell (null),
    // the table says why.
    let home = tmp.path().join("home");
    let nowhere = Some("unix:///nonexistent/ddt-classroom.sock");
    let out = list(&home, &p, true, nowhere);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v[2]["unmet_requirements"], serde_json::Value::Null);
    assert_eq!(v[0]["unmet_requirements"], serde_json::json!([]));
    let out = list(&home, &p, false, nowhere);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("needs swarm, macvlan (engine unreachable"),
        "{text}"
    );
    assert!(text.contains("/nonexistent/ddt-classroom.sock"), "{text}");
}
