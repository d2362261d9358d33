//! `dockdojo report` in every format, with the real engine and without one.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use dockdojo::check::{CheckResult, LessonResult, Status};

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn pack(dir: &Path) {
    write(
        &dir.join("pack.toml"),
        "format_version = 1\ntitle = \"Report pack\"\nprobe_image = \"busybox:1.36\"\n",
    );
    for (folder, id) in [("01-a", "alpha"), ("02-b", "beta"), ("03-c", "gamma")] {
        write(
            &dir.join(format!("{folder}/lesson.md")),
            &format!("+++\nid = \"{id}\"\ntitle = \"Lesson {id}\"\n\n[[check]]\nid = \"small\"\ntitle = \"small enough\"\nkind = \"image.size\"\nimage = \"ddt-classroom-report\"\nmax = \"20MB\"\n+++\n# {id}\n"),
        );
    }
}

fn check(status: Status, actual: &str) -> CheckResult {
    CheckResult {
        id: "small".into(),
        title: "small enough".into(),
        status,
        expected: "at most 20 MB".into(),
        actual: actual.into(),
        message: format!("the image is {actual}"),
        hint: None,
        why: None,
        duration_ms: 2,
    }
}

fn seed(home: &Path) {
    let rec = |lesson: &str, passed: bool, c: CheckResult| {
        dockdojo::progress::record_result(
            home,
            &LessonResult {
                lesson: lesson.into(),
                passed,
                checks: vec![c],
            },
        )
        .expect("record");
    };
    rec("alpha", true, check(Status::Pass, "1.3 MB"));
    rec("beta", false, check(Status::Fail, "462 MB <&>"));
}

fn report(home: &Path, pack: &Path, args: &[&str], docker_host: Option<&str>) -> Output {
    let mut c = Command::new(common::bin());
    c.arg("report")
        .args(args)
        .arg("--lessons")
        .arg(pack)
        .env("DOCKDOJO_HOME", home);
    if let Some(h) = docker_host {
        c.env("DOCKER_HOST", h);
    }
    c.output().expect("runs")
}

#[tokio::test]
async fn json_report_has_everything_and_a_digest() {
    let Some(engine) = common::engine("json_report_has_everything_and_a_digest").await else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let p = tmp.path().join("pack");
    pack(&p);
    seed(&home);
    let file = tmp.path().join("report.json");
    let out = report(
        &home,
        &p,
        &["--format", "json", "-o", file.to_str().expect("utf8")],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("written")).expect("json");
    assert_eq!(v["dockdojo_version"], env!("CARGO_PKG_VERSION"));
    assert!(v["generated_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(v["engine"]["reachable"], true);
    assert_eq!(
        v["engine"]["version"],
        engine.version.as_deref().expect("connect asks the version")
    );
    assert_eq!(
        v["engine"]["api_version"],
        engine
            .api_version
            .as_deref()
            .expect("connect asks the API version")
    );
    assert!(v["engine"]["platform"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert_eq!(v["summary"]["passed"], 1);
    assert_eq!(v["summary"]["failing"], 1);
    assert_eq!(v["summary"]["not_started"], 1);
    let l = &v["lessons"];
    assert_eq!(l[0]["id"], "alpha");
    assert_eq!(l[0]["status"], "passed");
    assert!(l[0]["passed_at"].as_str().is_some_and(|t| t.ends_with('Z')));
    assert_eq!(l[0]["checks"][0]["status"], "pass");
    assert_eq!(l[1]["status"], "failing");
    assert_eq!(l[1]["passed_at"], serde_json::Value::Null);
    assert_eq!(l[1]["checks"][0]["actual"], "462 MB <&>");
    assert_eq!(l[2]["status"], "not_started");

    // The digest is recomputable from the report and changes with any edit.
    let mut canon = String::new();
    dockdojo::progress::report::canonical_json(l, &mut canon);
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(canon.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v["digest"]["value"], hex.as_str());
    assert!(v["digest"]["note"]
        .as_str()
        .expect("note")
        .contains("not tamper-proof"));
    let mut edited = l.clone();
    edited[1]["checks"][0]["status"] = "pass".into();
    let mut canon2 = String::new();
    dockdojo::progress::report::canonical_json(&edited, &mut canon2);
    let hex2: String = sha2::Sha256::digest(canon2.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_ne!(hex, hex2);
}

#[test]
fn junit_and_markdown_and_unreachable_engine() {
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let p = tmp.path().join("pack");
    pack(&p);
    seed(&home);
    let nowhere = Some("unix:///nonexistent/ddt-classroom.sock");

    let out = report(&home, &p, &["--format", "junit"], nowhere);
    assert_eq!(out.status.code(), Some(0));
    let x = String::from_utf8_lossy(&out.stdout);
    assert!(x.starts_with("<?xml"), "{x}");
    assert!(
        x.contains("<testsuite name=\"alpha\" tests=\"1\" failures=\"0\""),
        "{x}"
    );
    assert!(
        x.contains("<testsuite name=\"beta\" tests=\"1\" failures=\"1\""),
        "{x}"
    );
    assert!(x.contains("462 MB &lt;&amp;&gt;"), "{x}");
    assert!(x.contains("<skipped message=\"not checked yet\"/>"), "{x}");
    assert!(x.contains("not reachable"), "{x}");
    assert_eq!(x.matches("<testsuite ").count(), 3);

    let out = report(&home, &p, &[], nowhere);
    assert_eq!(out.status.code(), Some(0));
    let m = String::from_utf8_lossy(&out.stdout);
    assert!(m.starts_with("# dockdojo report: Report pack"), "{m}");
    assert!(m.contains("1 of 3 lessons passed"), "{m}");
    assert!(m.contains("engine: not reachable"), "{m}");
    assert!(m.contains("/nonexistent/ddt-classroom.sock"), "{m}");
    assert!(m.contains("| ✘ fail | at most 20 MB | 462 MB <&> |"), "{m}");
    assert!(m.contains("not tamper-proof"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not reachable"));

    let out = report(&home, &p, &["--format", "json"], nowhere);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["engine"]["reachable"], false);
    assert!(v["engine"]["error"]
        .as_str()
        .is_some_and(|e| e.contains("nonexistent")));
}
