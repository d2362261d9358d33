//! `dockdojo doctor` against the real engine.

use crate::common;

use std::path::Path;
use std::process::Command;

use bollard::query_parameters::{RemoveImageOptions, TagImageOptions};

fn write_pack(dir: &Path, images: &[&str], requires: &[&str]) {
    std::fs::create_dir_all(dir.join("01-doctor-fixture")).expect("mkdir");
    std::fs::write(
        dir.join("pack.toml"),
        "format_version = 1\ntitle = \"Doctor fixture\"\nprobe_image = \"busybox:1.36\"\n",
    )
    .expect("pack.toml");
    let q = |v: &[&str]| {
        v.iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    std::fs::write(
        dir.join("01-doctor-fixture/lesson.md"),
        format!(
            "+++\ntitle = \"Doctor fixture\"\nsummary = \"Needs images.\"\nimages = [{}]\nrequires = [{}]\n\n\
             [[check]]\nid = \"img\"\ntitle = \"the image exists\"\nkind = \"image.exists\"\nimage = \"busybox:1.36\"\n+++\n# Fixture\n",
            q(images),
            q(requires)
        ),
    )
    .expect("lesson.md");
}

fn doctor(args: &[&str], home: &Path) -> (Option<i32>, String, String) {
    let out = Command::new(common::bin())
        .arg("doctor")
        .args(args)
        .env("DOCKDOJO_HOME", home)
        .output()
        .expect("run doctor");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stdout, stderr)
}

#[tokio::test]
async fn doctor_reports_engine_platform_and_each_image() {
    let Some(eng) = common::engine("doctor_reports_engine_platform_and_each_image").await else {
        return;
    };
    let present = "ddt-engine-doc:1";
    let missing = "ddt-engine-doc-missing:1";
    eng.docker
        .tag_image(
            "busybox:1.36",
            Some(TagImageOptions {
                repo: Some("ddt-engine-doc".into()),
                tag: Some("1".into()),
            }),
        )
        .await
        .expect("tag");
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = dir.path().join("pack");
    write_pack(
        &pack,
        &[present, missing],
        &["macvlan", "linux-host-network"],
    );
    let pack_s = pack.to_str().expect("utf8");
    let home = dir.path().join("home");
    let json_run = doctor(&["--json", "--lessons", pack_s], &home);
    let text_run = doctor(&["--lessons", pack_s], &home);
    let _ = eng
        .docker
        .remove_image(present, None::<RemoveImageOptions>, None)
        .await;

    let (code, stdout, stderr) = json_run;
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("doctor --json is JSON");
    assert_eq!(v["engine"]["reachable"], true);
    assert_eq!(
        v["engine"]["api_version"],
        eng.api_version
            .as_deref()
            .expect("connect asks the API version")
    );
    assert_eq!(
        v["engine"]["version"],
        eng.version.as_deref().expect("connect asks the version")
    );
    assert_eq!(v["endpoint"]["url"], eng.endpoint.url.as_str());
    assert_eq!(v["endpoint"]["source"], eng.endpoint.source.as_str());
    assert_eq!(v["platform"]["os_type"], "linux");
    assert_eq!(v["platform"]["desktop"], false);
    assert!(v["platform"]["swarm"]["local_node_state"].is_string());
    if eng.endpoint.unix_path().is_some() {
        assert_eq!(v["socket"]["exists"], true);
        assert_eq!(v["socket"]["accessible"], true);
    }
    assert_eq!(v["pack"]["loaded"], true);
    let images = v["images"].as_array().expect("images array");
    let find = |n: &str| {
        images
            .iter()
            .find(|i| i["name"] == n)
            .unwrap_or_else(|| panic!("{n} listed: {images:?}"))
    };
    assert_eq!(find(present)["present"], true);
    assert!(find(present)["size"].as_u64().unwrap_or(0) > 0);
    assert_eq!(find(present)["used_by"][0], "doctor-fixture");
    assert_eq!(find(missing)["present"], false);
    assert_eq!(find("busybox:1.36")["probe"], true);
    // A Linux engine that is not rootless meets macvlan and host networking.
    if v["platform"]["rootless"] == false {
        assert_eq!(v["requirements"], serde_json::json!({}));
    }

    let (code, stdout, _) = text_run;
    assert_eq!(code, Some(0));
    assert!(stdout.contains(&eng.endpoint.url), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "API {}",
            eng.api_version.as_deref().unwrap_or("?")
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("✘ {missing}  MISSING: run `dockdojo prepare`")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("✔ {present}  present")),
        "{stdout}"
    );
    assert!(stdout.contains("Platform   Linux"), "{stdout}");
    // How image files are read: from the layers when root on the engine's
    // machine with an overlay store, else through a scan container, with why.
    let files = &v["image_files"];
    let kind = dockdojo::engine::kind::kind(&eng).await;
    let root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    if root && kind == Some(dockdojo::engine::kind::EngineKind::DockerClassic) {
        assert_eq!(files["read_here"], true, "{files}");
        assert!(
            stdout.contains("Files      read from the engine's layers on this machine"),
            "{stdout}"
        );
    } else if files["read_here"] == false {
        assert!(
            files["why_not"].as_str().is_some_and(|w| !w.is_empty()),
            "{files}"
        );
        assert!(
            stdout.contains("Files      asked of the engine"),
            "{stdout}"
        );
    }
}

#[tokio::test]
async fn doctor_still_reports_the_engine_when_the_pack_cannot_load() {
    let Some(eng) =
        common::engine("doctor_still_reports_the_engine_when_the_pack_cannot_load").await
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(&broken).expect("mkdir");
    std::fs::write(broken.join("pack.toml"), "format_version = [").expect("write");
    let (code, stdout, stderr) = doctor(
        &["--json", "--lessons", broken.to_str().expect("utf8")],
        &dir.path().join("home"),
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(v["engine"]["reachable"], true);
    assert_eq!(
        v["engine"]["api_version"],
        eng.api_version
            .as_deref()
            .expect("connect asks the API version")
    );
    assert_eq!(v["pack"]["loaded"], false);
    assert!(
        v["pack"]["error"]
            .as_str()
            .unwrap_or("")
            .contains("pack.toml"),
        "{}",
        v["pack"]
    );
    assert!(v["images"].is_null());
}
