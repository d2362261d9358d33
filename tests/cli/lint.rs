//! `dockdojo lint` on fixture packs: every broken pack in
//! tests/fixtures/broken/ reports the expected `path:line:col: message`
//! lines (listed in its expect.txt) and nothing else, without a panic.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Run `dockdojo lint ARGS` in `cwd` with a private home and workspace.
fn lint(cwd: &Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("tempdir");
    Command::new(common::bin())
        .current_dir(cwd)
        .env("DOCKDOJO_HOME", home.path())
        .env_remove("RUST_BACKTRACE")
        .arg("lint")
        .args(args)
        .output()
        .expect("run dockdojo")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Check one broken pack against its expect.txt; returns a description of
/// every mismatch.
fn check_broken(name: &str) -> Vec<String> {
    let dir = fixtures().join("broken");
    let expect = std::fs::read_to_string(dir.join(name).join("expect.txt"))
        .unwrap_or_else(|e| panic!("{name}/expect.txt: {e}"));
    let out = lint(&dir, &[name]);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    let mut problems = Vec::new();
    if out.status.code() != Some(1) {
        problems.push(format!("exit status {:?}, expected 1", out.status.code()));
    }
    if stderr.contains("panicked") {
        problems.push(format!("panic: {stderr}"));
    }
    if !stderr.contains("problem") {
        problems.push(format!("no summary on stderr: {stderr:?}"));
    }
    if stdout.contains('\u{1b}') || stdout.contains('\u{7}') {
        problems.push("raw control characters reached stdout".into());
    }
    let lines: Vec<&str> = stdout.lines().collect();
    let mut used = vec![false; lines.len()];
    let wanted: Vec<&str> = expect.lines().filter(|l| !l.trim().is_empty()).collect();
    if wanted.is_empty() {
        problems.push("expect.txt lists nothing".into());
    }
    for want in &wanted {
        // `REL:LINE:COL: fragment`; COL may be `*` (any column).
        let (pos, fragment) = want.split_once(": ").unwrap_or((want, ""));
        let matches = |l: &str| -> bool {
            let Some((at, msg)) = l.split_once(": ") else {
                return false;
            };
            let at_ok = match pos.strip_suffix(":*") {
                Some(line) => at
                    .strip_prefix(&format!("{name}/{line}:"))
                    .is_some_and(|col| col.parse::<usize>().is_ok()),
                None => at == format!("{name}/{pos}"),
            };
            at_ok && msg.contains(fragment)
        };
        let prefix = format!("{name}/{pos}");
        let found = lines
            .iter()
            .enumerate()
            .position(|(i, l)| !used[i] && matches(l));
        match found {
            Some(i) => used[i] = true,
            None => problems.push(format!("expected `{prefix}` with `{fragment}`")),
        }
    }
    for (i, l) in lines.iter().enumerate() {
        if !used[i] {
            problems.push(format!("unexpected line: {l}"));
        }
    }
    if !problems.is_empty() {
        problems.insert(0, format!("--- {name}; stdout was:\n{stdout}"));
    }
    problems
}

#[test]
fn every_broken_pack_gets_its_diagnostics() {
    let dir = fixtures().join("broken");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/broken")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "only {} broken fixtures", names.len());
    let failures: Vec<String> = names.iter().flat_map(|n| check_broken(n)).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_valid_pack_is_clean() {
    let out = lint(&fixtures(), &["valid"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(text(&out.stderr).trim(), "pack OK: 2 lessons, 24 checks");
}

#[test]
fn the_valid_pack_fills_the_model() {
    use dockdojo::lesson::{self, kind_names, CheckKind, PathSet, Reach};
    use std::time::Duration;
    let pack = lesson::load(Some(&fixtures().join("valid"))).expect("valid pack loads");
    assert_eq!(pack.manifest.format_version, 1);
    assert_eq!(pack.manifest.title, "Fixture pack");
    assert_eq!(pack.manifest.probe_image, "busybox:1.36");
    let ids: Vec<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["images", "networks"]);
    let dirs: Vec<&str> = pack.lessons.iter().map(|l| l.dir_name.as_str()).collect();
    assert_eq!(dirs, ["01-images", "02-networks"]);

    let mut kinds: Vec<&str> = pack
        .lessons
        .iter()
        .flat_map(|l| l.checks.iter().map(|c| c.kind.name()))
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut all: Vec<&str> = kind_names();
    all.sort_unstable();
    assert_eq!(kinds, all, "the fixture uses every check kind");

    let a = &pack.lessons[0];
    assert_eq!(a.title, "Small images");
    assert_eq!(a.summary, "Shrink an image with a multi-stage build.");
    assert_eq!(
        a.images,
        ["golang:1.22-bookworm", "gcr.io/distroless/static-debian12"]
    );
    assert_eq!(a.creates.images, ["ddt-fixture-large", "ddt-fixture-small"]);
    assert_eq!(a.hints.len(), 2);
    assert!(a.body.starts_with("# Small images\n"), "{:?}", a.body);
    assert_eq!(a.body_line, 113); // the closing `+++` is line 112
    let size = a.check("size").expect("size");
    assert_eq!(
        size.kind,
        CheckKind::ImageSize {
            image: "ddt-fixture-small".into(),
            max: Some(20_000_000),
            min: Some(1000)
        }
    );
    assert_eq!(size.needs, ["exists"]);
    assert_eq!(
        size.hint.as_deref(),
        Some("Use FROM scratch for the final stage.")
    );
    assert!(size
        .why
        .as_deref()
        .is_some_and(|w| w.starts_with("Every megabyte")));
    assert_eq!(
        a.check("ratio").expect("ratio").kind,
        CheckKind::ImageSizeRatio {
            image: "ddt-fixture-small".into(),
            of: "ddt-fixture-large".into(),
            max: 0.1
        }
    );
    assert_eq!(
        a.check("lean").expect("lean").kind,
        CheckKind::ImageLacks {
            image: "ddt-fixture-small".into(),
            paths: vec!["/usr/local/go/**".into()],
            sets: vec![
                PathSet::Shell,
                PathSet::Compilers,
                PathSet::PackageManager,
                PathSet::NetworkTools
            ],
        }
    );
    assert!(matches!(
        &a.check("nonroot").expect("nonroot").kind,
        CheckKind::ImageUser {
            not_root: true,
            user: None,
            ..
        }
    ));
    assert!(matches!(&a.check("user").expect("user").kind,
        CheckKind::ImageUser { not_root: false, user: Some(u), .. } if u == "65532"));
    assert!(matches!(
        a.check("layers").expect("layers").kind,
        CheckKind::ImageLayers { max: 5, .. }
    ));
    assert!(matches!(
        a.check("packages").expect("packages").kind,
        CheckKind::ImagePackages { max: 0, .. }
    ));
    assert_eq!(
        a.check("runs").expect("runs").kind,
        CheckKind::ImageRun {
            image: "ddt-fixture-small".into(),
            args: vec!["--calc".into()],
            stdin: Some("2 * 2".into()),
            stdout_contains: Some("4".into()),
            stdout_equals: Some("4\n".into()),
            exit_code: Some(0),
            timeout: Duration::from_millis(500),
        }
    );
    assert_eq!(
        a.check("stages").expect("stages").kind,
        CheckKind::DockerfileStages {
            file: "Dockerfile".into(),
            min: 2
        }
    );
    assert_eq!(
        a.check("final-base").expect("final-base").kind,
        CheckKind::DockerfileFinalBase {
            file: "build/Dockerfile".into(),
            any_of: vec!["scratch".into(), "gcr.io/distroless/*".into()]
        }
    );
    let starter: Vec<String> = a
        .starter
        .iter()
        .map(|f| f.rel_path.display().to_string())
        .collect();
    assert_eq!(starter, ["Dockerfile", "main.go", "src/util.txt"]);
    assert!(a.starter.iter().all(|f| !f.executable));
    let solve = a.solve_script().expect("solve.sh");
    assert!(solve.executable);
    assert!(solve.contents.starts_with(b"#!/bin/sh\n"));

    let b = &pack.lessons[1];
    assert_eq!(b.title, "User-defined networks");
    assert_eq!(b.summary, "");
    assert_eq!(b.requires, ["swarm", "linux-host-network", "macvlan"]);
    assert_eq!(b.creates.containers, ["ddt-fixture-web"]);
    assert_eq!(b.creates.networks, ["ddt-fixture-net"]);
    assert_eq!(b.creates.volumes, ["ddt-fixture-vol"]);
    assert!(b.starter.is_empty());
    assert_eq!(b.body, "Body line one.\n");
    assert!(matches!(&b.check("running").expect("running").kind,
        CheckKind::ContainerRunning { image: Some(i), .. } if i == "busybox:1.36"));
    assert!(matches!(&b.check("mode").expect("mode").kind,
        CheckKind::ContainerNetworkMode { mode, .. } if mode == "host"));
    assert_eq!(
        b.check("attached").expect("attached").kind,
        CheckKind::ContainerNetworks {
            container: "ddt-fixture-web".into(),
            includes: vec!["ddt-fixture-net".into()],
            excludes: vec!["bridge".into()]
        }
    );
    assert_eq!(
        b.check("port").expect("port").kind,
        CheckKind::ContainerPort {
            container: "ddt-fixture-web".into(),
            port: "80/tcp".into(),
            host_port: Some(8080),
            reachable: true
        }
    );
    match &b.check("net").expect("net").kind {
        CheckKind::NetworkExists {
            network,
            driver,
            scope,
            internal,
            attachable,
            subnet,
            gateway,
            options,
        } => {
            assert_eq!(network, "ddt-fixture-net");
            assert_eq!(driver.as_deref(), Some("macvlan"));
            assert_eq!(scope.as_deref(), Some("local"));
            assert_eq!((*internal, *attachable), (Some(true), Some(false)));
            assert_eq!(subnet.as_deref(), Some("172.30.0.0/16"));
            assert_eq!(gateway.as_deref(), Some("172.30.0.1"));
            assert_eq!(options.get("parent").map(String::as_str), Some("eth0"));
        }
        other => panic!("net is {other:?}"),
    }
    match &b.check("locked-down").expect("locked-down").kind {
        CheckKind::ContainerSecurity { container, spec } => {
            assert_eq!(container, "ddt-fixture-web");
            assert_eq!(
                (spec.read_only, spec.no_new_privileges),
                (Some(true), Some(true))
            );
            assert_eq!(spec.tmpfs, ["/tmp"]);
            assert_eq!(
                (spec.cap_drop.as_slice(), spec.cap_add.as_slice()),
                (
                    &["ALL".to_string()][..],
                    &["NET_BIND_SERVICE".to_string()][..]
                )
            );
            assert_eq!(spec.user.as_deref(), Some("65532"));
            assert_eq!((spec.memory, spec.pids), (Some(128_000_000), Some(100)));
        }
        other => panic!("locked-down is {other:?}"),
    }
    assert!(matches!(&b.check("sidecar").expect("sidecar").kind,
        CheckKind::ContainerShares { target, namespaces, .. }
            if target == "ddt-fixture-web" && namespaces.len() == 2));
    assert!(matches!(&b.check("old-gone").expect("old-gone").kind,
        CheckKind::NetworkAbsent { network } if network == "ddt-fixture-old"));
    assert_eq!(
        b.check("isolated").expect("isolated").kind,
        CheckKind::NetworkReach {
            from_network: "bridge".into(),
            to: "ddt-fixture-web".into(),
            port: Some(80),
            expect: Reach::Unreachable
        }
    );
    assert_eq!(
        b.check("isolated").expect("isolated").needs,
        ["running", "attached"]
    );
    assert!(matches!(
        b.check("dns").expect("dns").kind,
        CheckKind::NetworkResolves { expect: false, .. }
    ));
    assert_eq!(
        b.check("swarm").expect("swarm").kind,
        CheckKind::SwarmActive
    );
    let blob = b
        .solution
        .iter()
        .find(|f| f.rel_path.ends_with("blob.bin"))
        .expect("blob");
    assert_eq!(blob.contents, b"\x00\x01binary\xff");
}

#[test]
fn a_missing_folder_exits_2() {
    let out = lint(&fixtures(), &["no-such-pack"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no-such-pack does not exist"),
        "{}",
        text(&out.stderr)
    );
    let out = lint(&fixtures(), &["valid/pack.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("is not a folder"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn lint_falls_back_to_the_lessons_flag() {
    let out = lint(&fixtures().join("broken"), &["--lessons", "bad-size"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("bad-size/01-a/lesson.md:8:7: `max`: unknown size unit `XB`"),
        "{}",
        text(&out.stdout)
    );
    // DIR wins over --lessons.
    let out = lint(&fixtures(), &["--lessons", "broken/bad-size", "valid"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn the_built_in_pack_lints_without_crashing() {
    // Its lessons change as they are written; it must lint to a verdict.
    let out = lint(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    let stderr = text(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("pack OK") || stderr.contains("problem"),
        "{stderr}"
    );
    for line in text(&out.stdout).lines() {
        assert!(line.starts_with("lessons/"), "{line}");
    }
}

// ---- hostile packs, built at run time (symlinks, FIFOs, huge files) ----

const PACK: &str = "format_version = 1\ntitle = \"Hostile\"\nprobe_image = \"busybox:1.36\"\n";
const LESSON: &str = "+++\ntitle = \"T\"\n[[check]]\nid = \"e\"\ntitle = \"e\"\nkind = \"image.exists\"\nimage = \"app\"\n+++\n# Body\n";

/// A temp folder holding `pack/` with one good lesson `01-a`.
fn temp_pack() -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("tempdir");
    let p = t.path().join("pack");
    std::fs::create_dir_all(p.join("01-a/starter")).expect("mkdir");
    std::fs::write(p.join("pack.toml"), PACK).expect("write");
    std::fs::write(p.join("01-a/lesson.md"), LESSON).expect("write");
    t
}

fn lint_pack(t: &tempfile::TempDir) -> (Option<i32>, String, String) {
    let out = lint(t.path(), &["pack"]);
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_pack_are_refused() {
    use std::os::unix::fs::symlink;
    let t = temp_pack();
    let p = t.path().join("pack");
    std::fs::write(t.path().join("secret.txt"), "outside").expect("write");
    symlink("/etc/passwd", p.join("01-a/starter/passwd")).expect("symlink");
    symlink("../../../secret.txt", p.join("01-a/starter/relative")).expect("symlink");
    symlink("/", p.join("01-a/solution")).expect("symlink");
    symlink("/nonexistent/x", p.join("01-a/starter/dangling")).expect("symlink");
    std::fs::create_dir_all(p.join("02-b")).expect("mkdir");
    symlink(t.path().join("secret.txt"), p.join("02-b/lesson.md")).expect("symlink");
    let (code, out, err) = lint_pack(&t);
    assert_eq!(code, Some(1), "{out}{err}");
    for (path, msg) in [
        (
            "pack/01-a/starter/passwd:1:1: ",
            "symlink to `/etc/passwd`, outside the pack",
        ),
        ("pack/01-a/starter/relative:1:1: ", "outside the pack"),
        (
            "pack/01-a/solution:1:1: ",
            "symlink to `/`, outside the pack",
        ),
        ("pack/01-a/starter/dangling:1:1: ", "broken symlink"),
        ("pack/02-b/lesson.md:1:1: ", "outside the pack"),
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(path) && l.contains(msg)),
            "missing {path}{msg} in:\n{out}"
        );
    }
    assert_eq!(out.lines().count(), 5, "{out}");
    assert!(err.contains("5 problems in 5 files"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_pack_work_and_loops_stop() {
    use std::os::unix::fs::symlink;
    let t = temp_pack();
    let p = t.path().join("pack");
    std::fs::write(p.join("01-a/starter/Dockerfile"), "FROM scratch\n").expect("write");
    std::fs::create_dir_all(p.join("02-b/starter")).expect("mkdir");
    symlink("../01-a/lesson.md", p.join("02-b/lesson.md")).expect("symlink");
    symlink(
        "../../01-a/starter/Dockerfile",
        p.join("02-b/starter/Dockerfile"),
    )
    .expect("symlink");
    let pack = dockdojo::lesson::load(Some(&p)).expect("links inside the pack are fine");
    assert_eq!(pack.lessons.len(), 2);
    assert_eq!(pack.lessons[1].starter[0].contents, b"FROM scratch\n");
    assert_eq!(pack.lessons[1].id, "b");

    symlink("..", p.join("01-a/starter/loop")).expect("symlink");
    let (code, out, _) = lint_pack(&t);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("pack/01-a/starter/loop:1:1: folders nest too deeply")),
        "{out}"
    );
}

#[cfg(unix)]
#[test]
fn special_files_are_never_opened() {
    let t = temp_pack();
    let p = t.path().join("pack");
    std::fs::remove_file(p.join("01-a/lesson.md")).expect("rm");
    let status = Command::new("mkfifo")
        .arg(p.join("01-a/lesson.md"))
        .status()
        .expect("mkfifo");
    assert!(status.success());
    // Reading a FIFO would block forever; lint must answer.
    let (code, out, _) = lint_pack(&t);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with("pack/01-a/lesson.md:1:1: not a regular file (a FIFO, socket or device)"),
        "{out}"
    );
}

#[test]
fn huge_files_are_not_read() {
    let t = temp_pack();
    let p = t.path().join("pack");
    let mut big = String::from(LESSON);
    big.push_str(&"x".repeat(10_500_000));
    std::fs::write(p.join("01-a/lesson.md"), &big).expect("write");
    std::fs::write(p.join("01-a/starter/blob"), vec![0u8; 10_000_001]).expect("write");
    let (code, out, _) = lint_pack(&t);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains(
            "pack/01-a/lesson.md:1:1: this file is 10.5 MB; files in a pack may be at most 10 MB"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "pack/01-a/starter/blob:1:1: this file is 10 MB; files in a pack may be at most 10 MB"
        ),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn big_and_deeply_nested_bodies_load() {
    let t = temp_pack();
    let p = t.path().join("pack");
    let mut md = String::from(LESSON);
    md.push_str(&"> ".repeat(100_000));
    md.push_str("quote\n\n");
    for i in 0..2_000 {
        md.push_str(&"  ".repeat(i));
        md.push_str("- item\n");
    }
    md.push_str(&"[".repeat(100_000));
    md.push_str(&"long line ".repeat(500_000));
    md.push('\n');
    std::fs::write(p.join("01-a/lesson.md"), &md).expect("write");
    let (code, out, err) = lint_pack(&t);
    assert_eq!(code, Some(0), "{out}{err}");
    let pack = dockdojo::lesson::load(Some(&p)).expect("loads");
    assert!(pack.lessons[0].body.starts_with("# Body\n> > "));
    assert_eq!(pack.lessons[0].body_line, 9);
}

#[cfg(unix)]
#[test]
fn file_names_that_are_not_utf8_are_reported() {
    use std::os::unix::ffi::OsStrExt;
    let t = temp_pack();
    let p = t.path().join("pack");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(p.join("01-a/starter").join(name), "x").expect("write");
    let (code, out, _) = lint_pack(&t);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.starts_with("pack/01-a/starter/caf\u{fffd}.txt:1:1: this file name is not valid UTF-8"),
        "{out}"
    );
}

#[test]
fn loading_never_runs_anything() {
    let t = temp_pack();
    let p = t.path().join("pack");
    let marker = t.path().join("ran");
    std::fs::create_dir_all(p.join("01-a/solution")).expect("mkdir");
    let script = format!("#!/bin/sh\ntouch '{}'\n", marker.display());
    std::fs::write(p.join("01-a/solution/solve.sh"), &script).expect("write");
    std::fs::write(p.join("01-a/starter/Dockerfile"), &script).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            p.join("01-a/solution/solve.sh"),
            std::fs::Permissions::from_mode(0o755),
        )
        .expect("chmod");
    }
    let (code, out, err) = lint_pack(&t);
    assert_eq!(code, Some(0), "{out}{err}");
    let pack = dockdojo::lesson::load(Some(&p)).expect("loads");
    assert!(pack.lessons[0].solve_script().expect("solve.sh").executable);
    assert!(!marker.exists(), "loading a pack executed its script");
}

#[cfg(unix)]
#[test]
fn escape_sequences_in_names_never_reach_the_terminal() {
    let t = temp_pack();
    let p = t.path().join("pack");
    std::fs::create_dir_all(p.join("02-\u{1b}]0;owned\u{7}")).expect("mkdir");
    std::fs::write(
        p.join("01-a/lesson.md"),
        "+++\ntitle = \"T\"\nhints = [\"\\u001b[2J\"]\nsummry = \"typo\"\n+++\n",
    )
    .expect("write");
    let (code, out, err) = lint_pack(&t);
    assert_eq!(code, Some(1), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(
        out.contains("pack/02-^[]0;owned^G:1:1: lesson folder"),
        "{out}"
    );
    assert!(
        out.contains("pack/01-a/lesson.md:4:1: unknown field `summry`"),
        "{out}"
    );
}

#[test]
fn a_pack_too_big_in_total_is_not_read_whole() {
    let t = temp_pack();
    let p = t.path().join("pack");
    // Sparse files: 11 x 9.5 MB is over the 100 MB total, each under 10 MB.
    for i in 0..11 {
        let f = std::fs::File::create(p.join(format!("01-a/starter/part{i:02}"))).expect("create");
        f.set_len(9_500_000).expect("set_len");
    }
    let (code, out, _) = lint_pack(&t);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(
        out.trim(),
        "pack/01-a/starter/part10:1:1: the pack's files add up to more than 100 MB; this file is not read"
    );
}

// ---- translations (`_lang/<tag>/`) ----

#[test]
fn a_mismatched_translation_is_named_at_its_place() {
    let out = lint(&fixtures().join("broken"), &["translation-mismatch"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.lines().any(|l| l
            == "translation-mismatch/_lang/de/01-a/lesson.md:13:8: check `layers` has kind \"image.packages\" here but \"image.layers\" in the original (translation-mismatch/01-a/lesson.md:13:8)"),
        "{stdout}"
    );
    assert!(
        text(&out.stderr).contains("4 problems in 3 files"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_built_in_pack_and_its_german_lint_clean() {
    let out = lint(Path::new(env!("CARGO_MANIFEST_DIR")), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("; translation de"),
        "{}",
        text(&out.stderr)
    );
}
