//! Named path lists for `image.lacks` (`sets = [...]`) and for `dockdojo image`.
//! This is the one place where they are defined (LESSON-FORMAT.md, "Check kinds").

use crate::lesson::PathSet;

/// Directories where package managers and compilers are looked for.
const BIN_DIRS: [&str; 6] = [
    "/bin",
    "/usr/bin",
    "/sbin",
    "/usr/sbin",
    "/usr/local/bin",
    "/usr/local/sbin",
];

const SHELLS: [&str; 6] = [
    "/bin/sh",
    "/bin/bash",
    "/bin/ash",
    "/bin/dash",
    "/usr/bin/sh",
    "/bin/busybox",
];

const PACKAGE_MANAGERS: [&str; 8] = [
    "apt", "apt-get", "dpkg", "apk", "yum", "dnf", "microdnf", "rpm",
];

const COMPILERS: [&str; 7] = ["go", "gcc", "cc", "javac", "mvn", "npm", "rustc"];

/// Go toolchain locations that are not a binary in a `bin` directory.
const GO_ROOTS: [&str; 3] = ["/usr/local/go", "/usr/local/go/bin/go", "/usr/lib/go"];

const NETWORK_TOOLS: [&str; 3] = ["curl", "wget", "nc"];

/// The absolute paths of a set, in a stable order.
pub fn paths(set: PathSet) -> Vec<String> {
    match set {
        PathSet::Shell => SHELLS.iter().map(|s| s.to_string()).collect(),
        PathSet::PackageManager => in_bin_dirs(&PACKAGE_MANAGERS, &BIN_DIRS[..4]),
        PathSet::Compilers => {
            let mut v = in_bin_dirs(&COMPILERS, &BIN_DIRS);
            v.extend(GO_ROOTS.iter().map(|s| s.to_string()));
            v
        }
        PathSet::NetworkTools => in_bin_dirs(&NETWORK_TOOLS, &BIN_DIRS),
    }
}

/// What a learner reads for a set, e.g. "a shell".
pub fn describe(set: PathSet) -> &'static str {
    match set {
        PathSet::Shell => "a shell",
        PathSet::PackageManager => "a package manager",
        PathSet::Compilers => "a compiler or build tool",
        PathSet::NetworkTools => "a network tool",
    }
}

fn in_bin_dirs(names: &[&str], dirs: &[&str]) -> Vec<String> {
    let mut v = Vec::with_capacity(names.len() * dirs.len());
    for n in names {
        for d in dirs {
            v.push(format!("{d}/{n}"));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_the_documented_paths() {
        let shell = paths(PathSet::Shell);
        assert!(shell.contains(&"/bin/sh".to_string()));
        assert!(shell.contains(&"/bin/busybox".to_string()));
        let pm = paths(PathSet::PackageManager);
        assert!(pm.contains(&"/usr/sbin/microdnf".to_string()));
        assert!(pm.contains(&"/bin/apt-get".to_string()));
        assert!(!pm.iter().any(|p| p.starts_with("/usr/local")));
        let cc = paths(PathSet::Compilers);
        assert!(cc.contains(&"/usr/local/go".to_string()));
        assert!(cc.contains(&"/usr/bin/rustc".to_string()));
        let net = paths(PathSet::NetworkTools);
        assert!(net.contains(&"/usr/bin/wget".to_string()));
        for set in PathSet::ALL {
            assert!(paths(set).iter().all(|p| p.starts_with('/')));
            assert!(!describe(set).is_empty());
        }
    }
}
