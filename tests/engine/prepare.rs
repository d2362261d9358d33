//! `dockdojo prepare` against the real engine with a fixture pack: pulls
//! are skipped for present images, failures are reported per image, and an
//! archive saved with --save brings a removed image back with --load.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use bollard::query_parameters::{RemoveImageOptions, TagImageOptions};

fn write_pack(dir: &Path, images: &[&str]) {
    std::fs::create_dir_all(dir.join("01-engine-fixture")).expect("mkdir");
    std::fs::write(
        dir.join("pack.toml"),
        "format_version = 1\ntitle = \"Engine fixture\"\nprobe_image = \"busybox:1.36\"\n",
    )
    .expect("pack.toml");
    let list = images
        .iter()
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ");
    std::fs::write(
        dir.join("01-engine-fixture/lesson.md"),
        format!(
            "+++\ntitle = \"Engine fixture\"\nsummary = \"Needs images.\"\nimages = [{list}]\n\n\
             [[check]]\nid = \"img\"\ntitle = \"the image exists\"\nkind = \"image.exists\"\nimage = \"busybox:1.36\"\n+++\n# Fixture\n"
        ),
    )
    .expect("lesson.md");
}

fn prepare(pack: &Path, home: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let out: Output = Command::new(common::bin())
        .arg("prepare")
        .arg("--lessons")
        .arg(pack)
        .args(extra)
        .env("DOCKDOJO_HOME", home)
        .output()
        .expect("run dockdojo prepare");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.contains("panicked"), "{text}");
    (out.status.code(), text)
}

async fn present(docker: &bollard::Docker, name: &str) -> bool {
    match docker.inspect_image(name).await {
        Ok(_) => true,
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => false,
        Err(e) => panic!("inspect {name}: {e}"),
    }
}

async fn untag(docker: &bollard::Docker, name: &str) {
    // Removing a tag that shares its id with busybox:1.36 only untags.
    let _ = docker
        .remove_image(name, None::<RemoveImageOptions>, None)
        .await;
}

/// The image names inside a `docker save` archive (manifest.json RepoTags).
fn archive_tags(file: &Path) -> Vec<String> {
    let f = std::fs::File::open(file).expect("open archive");
    let mut ar = tar::Archive::new(f);
    for entry in ar.entries().expect("tar entries") {
        let mut entry = entry.expect("tar entry");
        if entry.path().expect("path").to_string_lossy() == "manifest.json" {
            let v: serde_json::Value = serde_json::from_reader(&mut entry).expect("manifest json");
            return v
                .as_array()
                .expect("manifest array")
                .iter()
                .flat_map(|m| m["RepoTags"].as_array().cloned().unwrap_or_default())
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect();
        }
    }
    panic!("no manifest.json in {}", file.display());
}

#[tokio::test]
async fn save_remove_load_makes_the_image_present_again() {
    let Some(eng) = common::engine("save_remove_load_makes_the_image_present_again").await else {
        return;
    };
    let img = "ddt-engine-img:1";
    eng.docker
        .tag_image(
            "busybox:1.36",
            Some(TagImageOptions {
                repo: Some("ddt-engine-img".into()),
                tag: Some("1".into()),
            }),
        )
        .await
        .expect("tag busybox:1.36 as ddt-engine-img:1");
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = dir.path().join("pack");
    write_pack(&pack, &[img]);
    let home = dir.path().join("home");
    let archive = dir.path().join("classroom.tar");

    // Everything present: nothing to pull.
    let (code, text) = prepare(&pack, &home, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("ddt-engine-img:1  present"), "{text}");
    assert!(
        text.contains("busybox:1.36  present"),
        "the probe image too: {text}"
    );

    let (code, text) = prepare(&pack, &home, &["--save", archive.to_str().expect("utf8")]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Saved 2 images"), "{text}");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&archive)
            .expect("archive written")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o044,
            0o044,
            "the archive can be handed out: {mode:o}"
        );
    }
    let tags = archive_tags(&archive);
    assert!(
        tags.iter().any(|t| t == img),
        "archive holds {img}: {tags:?}"
    );
    assert!(tags.iter().any(|t| t == "busybox:1.36"), "{tags:?}");

    untag(&eng.docker, img).await;
    assert!(!present(&eng.docker, img).await, "tag removed");

    let (code, text) = prepare(&pack, &home, &["--load", archive.to_str().expect("utf8")]);
    let back = present(&eng.docker, img).await;
    untag(&eng.docker, img).await;
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("Loaded"), "{text}");
    assert!(text.contains("ddt-engine-img:1  present"), "{text}");
    assert!(back, "{img} is present again after --load");
}

#[tokio::test]
async fn pull_failures_are_reported_per_image_with_what_to_do() {
    let Some(_eng) = common::engine("pull_failures_are_reported_per_image_with_what_to_do").await
    else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = dir.path().join("pack");
    // No registry serves this name (and none is reachable here at all).
    let absent = "ddt-engine-absent/none:1";
    write_pack(&pack, &[absent]);
    let home = dir.path().join("home");

    let (code, text) = prepare(&pack, &home, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains(&format!("✘ {absent}  could not be pulled")),
        "{text}"
    );
    assert!(text.contains("dockdojo prepare --load FILE"), "{text}");
    assert!(text.contains("busybox:1.36  present"), "{text}");

    // Saving refuses while an image is missing, and writes nothing.
    let archive = dir.path().join("out.tar");
    let (code, text) = prepare(&pack, &home, &["--save", archive.to_str().expect("utf8")]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains(absent) && text.contains("missing"), "{text}");
    assert!(!archive.exists(), "no partial archive");
}

#[tokio::test]
async fn loading_a_broken_archive_says_so() {
    let Some(_eng) = common::engine("loading_a_broken_archive_says_so").await else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = dir.path().join("pack");
    write_pack(&pack, &[]);
    let bad = dir.path().join("bad.tar");
    std::fs::write(&bad, b"this is not an image archive").expect("write");
    let (code, text) = prepare(
        &pack,
        &dir.path().join("home"),
        &["--load", bad.to_str().expect("utf8")],
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("could not load"), "{text}");

    let (code, text) = prepare(
        &pack,
        &dir.path().join("home"),
        &["--load", "/nonexistent/ddt-engine.tar"],
    );
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("/nonexistent/ddt-engine.tar"), "{text}");
}
