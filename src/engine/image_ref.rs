//! Image references, spelled one way: `busybox`, `busybox:latest`,
//! `docker.io/library/busybox` and `index.docker.io/library/busybox:latest`
//! are one image.

/// The reference with the default tag: `calc-app` -> `calc-app:latest`.
/// Digest references are kept as they are.
pub fn with_tag(name: &str) -> String {
    let name = name.trim();
    if name.contains('@') {
        return name.to_string();
    }
    let last = name.rsplit('/').next().unwrap_or(name);
    if last.contains(':') {
        name.to_string()
    } else {
        format!("{name}:latest")
    }
}

/// The canonical spelling: Docker Hub's registry names and `library/`
/// dropped, the default tag added. `docker.io/library/x` -> `x:latest`.
pub fn canonical(r: &str) -> String {
    let mut s = r.trim();
    for registry in ["docker.io/", "index.docker.io/", "registry-1.docker.io/"] {
        if let Some(rest) = s.strip_prefix(registry) {
            s = rest;
            break;
        }
    }
    let s = s.strip_prefix("library/").unwrap_or(s);
    with_tag(s)
}

/// Whether two references name the same image. Podman names the images it
/// builds `localhost/NAME`, so that prefix is ignored too (on Docker,
/// `localhost/` would be a registry; only names are compared here, to tell
/// which events and images a lesson cares about, never to remove anything).
pub fn same(a: &str, b: &str) -> bool {
    let local = |s: String| {
        s.strip_prefix("localhost/")
            .map(str::to_string)
            .unwrap_or(s)
    };
    local(canonical(a)) == local(canonical(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_prefixes_library_and_the_default_tag_are_one_spelling() {
        for r in [
            "busybox",
            "busybox:latest",
            "library/busybox",
            "docker.io/busybox",
            "docker.io/library/busybox:latest",
            "index.docker.io/library/busybox",
            "registry-1.docker.io/library/busybox:latest",
        ] {
            assert_eq!(canonical(r), "busybox:latest", "{r}");
        }
        assert_eq!(
            canonical("gcr.io/distroless/static-debian12"),
            "gcr.io/distroless/static-debian12:latest"
        );
        assert_eq!(canonical("localhost:5000/app"), "localhost:5000/app:latest");
        assert_eq!(canonical("x@sha256:abc"), "x@sha256:abc");
        assert_eq!(canonical("golang:1.22-bookworm"), "golang:1.22-bookworm");
    }

    #[test]
    fn podmans_local_names_match_their_short_names() {
        assert!(same("calc-app-small", "localhost/calc-app-small:latest"));
        assert!(same("index.docker.io/library/busybox", "busybox:latest"));
        assert!(!same("busybox:1.36", "busybox:latest"));
        assert!(!same("calc-app", "calc-app-small"));
    }
}
