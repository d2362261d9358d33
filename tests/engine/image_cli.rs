//! `dockdojo image` on a real image.

use crate::common;

use std::process::Command;

struct RemoveImage(String);
impl Drop for RemoveImage {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rmi", "-f", &self.0]).output();
    }
}

#[test]
fn image_anatomy_lists_layers_tools_and_packages() {
    if common::engine_tests_skipped("image_anatomy_lists_layers_tools_and_packages") {
        return;
    }
    let tag = format!("ddt-checks-anatomy-{}", std::process::id());
    let _rm = RemoveImage(tag.clone());
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        "FROM busybox:1.36\nRUN mkdir -p /var/lib/dpkg && printf 'Package: a\\n\\nPackage: b\\n' > /var/lib/dpkg/status\nRUN rm /bin/wget\nCMD [\"sh\"]\n",
    )
    .expect("write");
    let out = Command::new("docker")
        .env("DOCKER_BUILDKIT", "0")
        .args(["build", "-q", "-t", &tag])
        .arg(dir.path())
        .output()
        .expect("build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = Command::new(common::bin())
        .args(["image", &tag, "--json"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["image"], format!("{tag}:latest"));
    let layers = v["layers"].as_array().expect("layers");
    let instrs: Vec<&str> = layers
        .iter()
        .filter_map(|l| l["created_by"].as_str())
        .collect();
    assert!(instrs.contains(&"RUN rm /bin/wget"), "{instrs:?}");
    assert!(instrs.contains(&"CMD [\"sh\"]"), "{instrs:?}");
    assert_eq!(v["packages"]["count"], 2);
    let shells: Vec<&str> = v["found"]["shell"]
        .as_array()
        .expect("shell")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(shells.contains(&"/bin/sh"), "{shells:?}");
    let net: Vec<&str> = v["found"]["network_tools"]
        .as_array()
        .expect("net")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        !net.contains(&"/bin/wget"),
        "wget was removed in a later layer: {net:?}"
    );

    let out = Command::new(common::bin())
        .args(["image", &tag])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("RUN rm /bin/wget"), "{text}");
    assert!(text.contains("█"), "sizes drawn as bars: {text}");
    assert!(
        text.contains("OS packages:      2 (/var/lib/dpkg/status)"),
        "{text}"
    );

    let out = Command::new(common::bin())
        .args(["image", "ddt-checks-no-such-image"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("there is no image named ddt-checks-no-such-image:latest"));
}

fn build(tag: &str, dockerfile: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).expect("write");
    let out = Command::new("docker")
        .env("DOCKER_BUILDKIT", "0")
        .args(["build", "-q", "-t", tag])
        .arg(dir.path())
        .output()
        .expect("build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `dockdojo image TAG --json` with this home: the shells it found.
fn shells(home: &std::path::Path, tag: &str) -> Vec<String> {
    let out = Command::new(common::bin())
        .args(["image", tag, "--json"])
        .env("DOCKDOJO_HOME", home)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["found"]["shell"]
        .as_array()
        .expect("shell")
        .iter()
        .filter_map(|s| s.as_str().map(String::from))
        .collect()
}

#[test]
fn image_facts_persist_across_processes_and_a_rebuilt_image_is_scanned_again() {
    if common::engine_tests_skipped(
        "image_facts_persist_across_processes_and_a_rebuilt_image_is_scanned_again",
    ) {
        return;
    }
    let tag = format!("ddt-checks-factcache-{}", std::process::id());
    let _rm = RemoveImage(tag.clone());
    let home = tempfile::tempdir().expect("home");
    build(&tag, "FROM busybox:1.36\nLABEL round=1\n");
    assert!(shells(home.path(), &tag).contains(&"/bin/sh".to_string()));
    let cache = home.path().join("cache/image-facts.sqlite");
    assert!(cache.exists(), "the facts were kept in {}", cache.display());
    // Served from the file by a new process: the same answer.
    assert!(shells(home.path(), &tag).contains(&"/bin/sh".to_string()));

    // The same tag rebuilt without a shell is a new image id: scanned anew.
    build(
        &tag,
        "FROM busybox:1.36\nRUN [\"/bin/busybox\", \"rm\", \"-f\", \"/bin/sh\", \"/bin/ash\", \"/bin/bash\", \"/bin/hush\"]\nLABEL round=2\n",
    );
    let now = shells(home.path(), &tag);
    assert!(
        !now.contains(&"/bin/sh".to_string()),
        "old facts served for a new image: {now:?}"
    );
}
