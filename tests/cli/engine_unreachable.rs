//! With no engine (a missing socket) or a hung one (a socket that accepts
//! and never answers), every command that needs the engine names the
//! endpoint it tried, says what to do, and exits 2 without a panic.

use crate::common;

use std::os::unix::net::UnixListener;
use std::path::Path;
use std::process::{Command, Output};

/// A one-lesson pack whose check needs the engine.
fn write_pack(dir: &Path) -> std::path::PathBuf {
    let pack = dir.join("pack");
    std::fs::create_dir_all(pack.join("01-needs-engine")).expect("mkdir");
    std::fs::write(
        pack.join("pack.toml"),
        "format_version = 1\ntitle = \"Engine fixture\"\nprobe_image = \"busybox:1.36\"\n",
    )
    .expect("pack.toml");
    std::fs::write(
        pack.join("01-needs-engine/lesson.md"),
        "+++\ntitle = \"Needs the engine\"\nsummary = \"One image check.\"\nimages = [\"busybox:1.36\"]\n\n\
         [[check]]\nid = \"img\"\ntitle = \"busybox exists\"\nkind = \"image.exists\"\nimage = \"busybox:1.36\"\n+++\n# Needs the engine\n",
    )
    .expect("lesson.md");
    pack
}

fn run(args: &[&str], docker_host: &str, dir: &Path) -> Output {
    let pack = write_pack(dir);
    Command::new(common::bin())
        .args(args)
        .env("DOCKDOJO_LESSONS", pack)
        .env("DOCKER_HOST", docker_host)
        .env_remove("DOCKER_CONTEXT")
        .env("DOCKDOJO_HOME", dir.join("home"))
        .env("DOCKDOJO_WORKSPACE", dir.join("ws"))
        .output()
        .expect("run dockdojo")
}

fn assert_cannot(args: &[&str], docker_host: &str, dir: &Path, words: &[&str]) {
    let out = run(args, docker_host, dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let all = format!("{stdout}{stderr}");
    assert_eq!(
        out.status.code(),
        Some(2),
        "`dockdojo {}` with DOCKER_HOST={docker_host} exits 2\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        args.join(" ")
    );
    assert!(
        !all.contains("panicked"),
        "no panic for `dockdojo {}`:\n{all}",
        args.join(" ")
    );
    assert!(
        stderr.contains(docker_host),
        "`dockdojo {}` names the endpoint {docker_host} on stderr:\n{stderr}",
        args.join(" ")
    );
    for w in words {
        assert!(
            stderr.contains(w),
            "`dockdojo {}` says `{w}`:\n{stderr}",
            args.join(" ")
        );
    }
}

/// The commands that need the engine, with arguments that would otherwise work.
fn commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["doctor"],
        vec!["doctor", "--json"],
        vec!["prepare"],
        vec!["prepare", "--save", "/nonexistent-dir/out.tar"],
    ]
}

/// Commands owned elsewhere that must keep the same contract.
fn other_commands() -> Vec<Vec<&'static str>> {
    vec![vec!["check", "--all"], vec!["image", "busybox:1.36"]]
}

#[test]
fn check_and_image_exit_2_when_the_engine_is_missing_or_hung() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = format!("unix://{}/no-engine-here.sock", dir.path().display());
    let path = dir.path().join("hung.sock");
    let _listener = UnixListener::bind(&path).expect("bind");
    let hung = format!("unix://{}", path.display());
    for args in other_commands() {
        assert_cannot(&args, &missing, dir.path(), &["Start Docker"]);
        assert_cannot(&args, &hung, dir.path(), &["did not answer"]);
    }
}

#[test]
fn missing_socket_exits_2_and_names_the_endpoint() {
    let dir = tempfile::tempdir().expect("temp dir");
    let host = format!("unix://{}/no-engine-here.sock", dir.path().display());
    for args in commands() {
        assert_cannot(&args, &host, dir.path(), &["Start Docker"]);
    }
}

#[test]
fn hung_engine_times_out_exits_2_and_names_the_endpoint() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("hung.sock");
    // Bound and listening but never accepting: connections succeed, no
    // answer ever comes.
    let _listener = UnixListener::bind(&path).expect("bind");
    let host = format!("unix://{}", path.display());
    for args in commands() {
        assert_cannot(&args, &host, dir.path(), &["did not answer"]);
    }
}

#[test]
fn refused_tcp_port_exits_2() {
    // Port 1 on loopback: nothing listens there.
    let dir = tempfile::tempdir().expect("temp dir");
    assert_cannot(
        &["doctor"],
        "tcp://127.0.0.1:1",
        dir.path(),
        &["connection refused"],
    );
}

#[test]
fn named_pipe_and_nonsense_hosts_are_explained() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(&["doctor"], "npipe:////./pipe/docker_engine", dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("named pipe"), "{stderr}");
    let out = run(&["prepare"], "gopher://engine", dir.path());
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("gopher://engine"), "{stderr}");
}

/// Effective uid from /proc (no unsafe code needed).
fn euid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|r| r.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
}

#[test]
fn socket_without_permission_says_join_the_docker_group() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let path = dir.path().join("engine.sock");
    let _listener = UnixListener::bind(&path).expect("bind");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let host = format!("unix://{}", path.display());
    let uid = euid().expect("uid from /proc");
    let out = if uid == 0 {
        // root ignores socket modes: run as nobody instead.
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(common::bin())
            .arg("doctor")
            .env("DOCKER_HOST", &host)
            .env("HOME", dir.path())
            .env("DOCKDOJO_HOME", dir.path().join("home"))
            .output()
            .expect("setpriv (util-linux) runs dockdojo as nobody")
    } else {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        run(&["doctor"], &host, dir.path())
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("permission denied on"), "{stderr}");
    assert!(stderr.contains(&host), "{stderr}");
    assert!(stderr.contains("docker` group"), "{stderr}");
    assert!(stdout.contains("you may not use it"), "{stdout}");
}

#[test]
fn check_refuses_an_endpoint_that_is_not_a_docker_engine() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("not-docker.sock");
    let listener = UnixListener::bind(&path).expect("bind");
    // An HTTP server that answers every request 200 with a body that is not
    // the engine's `OK`.
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { break };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
            );
        }
    });
    let host = format!("unix://{}", path.display());
    assert_cannot(
        &["check", "needs-engine"],
        &host,
        dir.path(),
        &["not OK", "is this a Docker engine?"],
    );
}
