//! The images the built-in pack relies on: every one has an offline stand-in
//! (scripts/standins.sh), and the images on the engine keep the conventions the
//! lessons teach (distroless users, working directories, entrypoints). These
//! hold for the real public images as well as for the stand-ins.

use crate::common;

use std::collections::BTreeSet;
use std::process::Command;

/// `busybox` -> `busybox:latest`; a name with a tag or digest stays as it is.
fn with_tag(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    if last.contains(':') || last.contains('@') {
        image.to_string()
    } else {
        format!("{image}:latest")
    }
}

fn standin_list() -> BTreeSet<String> {
    let out = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/standins.sh"))
        .arg("--list")
        .output()
        .expect("bash runs scripts/standins.sh --list");
    assert!(
        out.status.success(),
        "scripts/standins.sh --list failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| with_tag(l.trim()))
        .collect()
}

#[test]
fn with_tag_adds_latest_only_when_no_tag() {
    assert_eq!(with_tag("busybox"), "busybox:latest");
    assert_eq!(with_tag("busybox:1.36"), "busybox:1.36");
    assert_eq!(
        with_tag("gcr.io/distroless/static-debian13"),
        "gcr.io/distroless/static-debian13:latest"
    );
    assert_eq!(with_tag("localhost:5000/x"), "localhost:5000/x:latest");
}

#[test]
fn every_image_the_built_in_pack_names_has_a_stand_in() {
    let listed = standin_list();
    assert!(
        listed.contains("golang:1.25-trixie"),
        "the list is not the stand-in list: {listed:?}"
    );
    let pack = dockdojo::lesson::load(None).expect("the built-in pack loads");
    let mut needed: Vec<(String, String)> =
        vec![("pack.toml".into(), pack.manifest.probe_image.clone())];
    for lesson in &pack.lessons {
        for image in &lesson.images {
            needed.push((lesson.dir_name.clone(), image.clone()));
        }
    }
    let missing: Vec<String> = needed
        .iter()
        .filter(|(_, image)| !listed.contains(&with_tag(image)))
        .map(|(lesson, image)| format!("{lesson}: {image}"))
        .collect();
    assert!(
        missing.is_empty(),
        "images the pack names with no offline stand-in in scripts/standins.sh \
         (CI cannot pull them): {missing:?}"
    );
}

struct Config {
    user: String,
    working_dir: String,
    entrypoint: Vec<String>,
}

async fn config(engine: &dockdojo::engine::Engine, image: &str) -> Config {
    let i = engine
        .docker
        .inspect_image(image)
        .await
        .unwrap_or_else(|e| {
            panic!(
                "{image} is not on the engine ({e}); run scripts/standins.sh or dockdojo prepare"
            )
        });
    let c = i.config.expect("image inspect has a Config");
    Config {
        user: c.user.unwrap_or_default(),
        working_dir: c.working_dir.unwrap_or_default(),
        entrypoint: c.entrypoint.unwrap_or_default(),
    }
}

#[tokio::test]
async fn distroless_images_keep_the_conventions_the_lessons_teach() {
    let Some(engine) = common::engine("distroless_images_keep_the_conventions").await else {
        return;
    };
    for image in [
        "gcr.io/distroless/static-debian13:nonroot",
        "gcr.io/distroless/python3-debian13:nonroot",
        "gcr.io/distroless/java21-debian13:nonroot",
    ] {
        let c = config(&engine, image).await;
        assert_eq!(
            c.user, "65532",
            "{image}: the nonroot tag runs as uid 65532"
        );
        assert_eq!(c.working_dir, "/home/nonroot", "{image}: working directory");
    }
    let c = config(&engine, "gcr.io/distroless/static-debian13:latest").await;
    assert!(
        c.user.is_empty() || c.user == "0" || c.user == "root",
        "the latest tag runs as root, found user {:?}",
        c.user
    );
    let c = config(&engine, "gcr.io/distroless/static-debian13:debug").await;
    assert_eq!(
        c.entrypoint,
        vec!["/busybox/sh".to_string()],
        ":debug entrypoint"
    );
    let c = config(&engine, "gcr.io/distroless/python3-debian13:nonroot").await;
    assert!(
        c.entrypoint
            .first()
            .is_some_and(|e| e.starts_with("/usr/bin/python3")),
        "distroless python's entrypoint is the interpreter, found {:?}",
        c.entrypoint
    );
    let c = config(&engine, "gcr.io/distroless/java21-debian13:nonroot").await;
    assert_eq!(
        c.entrypoint,
        vec!["/usr/bin/java".to_string(), "-jar".to_string()],
        "distroless java's entrypoint is java -jar: CMD names only the jar"
    );
    let c = config(&engine, "cgr.dev/chainguard/static:latest").await;
    assert_eq!(
        c.user, "65532",
        "Chainguard's static runs as nonroot (65532)"
    );
}
