//! The real binary in a PTY against the real engine: the lesson opens, a
//! command typed in its console creates a network, the matching check turns
//! to ✔ with no key pressed, a workspace edit turns the Dockerfile check to
//! ✔, F1 opens help, and Ctrl-Q leaves the terminal as it was. SIGTERM and
//! SIGHUP are in `tui_signals`.

use crate::common;

use std::path::{Path, PathBuf};

use crate::common::pty::Session;

const NET: &str = "ddt-tuiapp-e2e-net";

fn fixture_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui")
}

/// The binary on the fixture pack, console shell `/bin/sh`.
fn start_with(
    home: &Path,
    workspace: &Path,
    rows: u16,
    cols: u16,
    env: &[(&str, &str)],
) -> Session {
    let mut all = vec![("PS1", "e2e$ ")];
    all.extend_from_slice(env);
    Session::spawn(
        &fixture_pack(),
        home,
        workspace,
        (rows, cols),
        Path::new("/bin/sh"),
        &all,
    )
}

fn start(home: &Path, workspace: &Path, rows: u16, cols: u16) -> Session {
    start_with(home, workspace, rows, cols, &[])
}

fn remove_network() {
    let _ = std::process::Command::new("docker")
        .args(["network", "rm", NET])
        .output();
}

/// The last time the program switched a mode on or off wins.
fn last_is_off(raw: &[u8], on: &str, off: &str) -> bool {
    let s = String::from_utf8_lossy(raw);
    match (s.rfind(on), s.rfind(off)) {
        (Some(a), Some(b)) => b > a,
        (Some(_), None) => false,
        (None, _) => true,
    }
}

fn assert_terminal_restored(s: &Session) {
    for (what, on, off) in [
        ("alternate screen", "\x1b[?1049h", "\x1b[?1049l"),
        ("mouse capture", "\x1b[?1000h", "\x1b[?1000l"),
        ("bracketed paste", "\x1b[?2004h", "\x1b[?2004l"),
        ("hidden cursor", "\x1b[?25l", "\x1b[?25h"),
    ] {
        assert!(
            last_is_off(&s.raw, on, off),
            "{what} was not switched back off"
        );
    }
    assert!(
        !s.parser.screen().alternate_screen(),
        "left on the alternate screen"
    );
}

#[tokio::test]
async fn typing_a_command_turns_its_check_green_and_ctrl_q_restores_the_terminal() {
    let test = "typing_a_command_turns_its_check_green";
    if common::engine(test).await.is_none() {
        return;
    }
    remove_network();
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).expect("workspace");
    let mut s = start(&home, &ws, 40, 140);

    s.wait_for("the lesson and a failing network check", |t| {
        t.contains("Lesson: A network of your own") && t.contains(&format!("✘ {NET} exists"))
    });
    // The starter Dockerfile was copied and the console runs in the lesson folder.
    let lesson_dir = ws.join("01-net");
    assert!(lesson_dir.join("Dockerfile").is_file());
    s.wait_for("the shell prompt", |t| t.contains("e2e$"));

    s.send(format!("docker network create {NET}\r").as_bytes());
    s.wait_for("the network check passing without a key", |t| {
        t.contains(&format!("✔ {NET} exists"))
    });

    // A file change in the workspace re-runs the checks too.
    std::fs::write(
        lesson_dir.join("Dockerfile"),
        "FROM busybox:1.36 AS build\nFROM scratch\n",
    )
    .expect("edit Dockerfile");
    s.wait_for("the lesson complete banner", |t| {
        t.contains("All checks pass — lesson complete!")
    });
    // The progress writer saves off the UI loop, so the banner may be drawn first.
    let progress = common::wait_for_file(&home.join("progress.json"), "the passing run", |t| {
        t.contains("\"passed\": true")
    });
    assert!(progress.contains("\"passed_at\""), "{progress}");

    // F1 shows help over everything; Esc closes it.
    s.send(b"\x1bOP");
    s.wait_for("the help overlay", |t| t.contains("Shift-PgUp/PgDn"));
    s.send(b"\x1b");
    s.wait_for("help closed", |t| !t.contains("Shift-PgUp/PgDn"));

    // Ctrl-Q quits from the console.
    s.send(b"\x11");
    let status = s.finish();
    remove_network();
    assert!(status.success(), "exit status {status:?}");
    assert_terminal_restored(&s);
}

#[tokio::test]
async fn too_small_window_says_so_instead_of_panicking() {
    // No engine needed to draw the "too small" note; but the binary connects anyway.
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).expect("workspace");
    let mut s = start(&home, &ws, 12, 40);
    s.wait_for("the too-small note", |t| {
        t.contains("make the window larger") && t.contains("have 40x12")
    });
    s.send(b"\x11");
    let exit = s.finish();
    assert!(exit.success(), "exit status {exit:?}");
    assert_terminal_restored(&s);
}

/// A socket that forwards to the real engine once started: the engine
/// "comes back" without touching the shared daemon.
fn start_proxy(path: &Path) {
    use std::os::unix::net::{UnixListener, UnixStream};
    let listener = UnixListener::bind(path).expect("bind proxy socket");
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { break };
            let Ok(engine) = UnixStream::connect("/var/run/docker.sock") else {
                continue;
            };
            let pipe = |mut from: UnixStream, mut to: UnixStream| {
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from, &mut to);
                    let _ = to.shutdown(std::net::Shutdown::Write);
                });
            };
            if let (Ok(c2), Ok(e2)) = (client.try_clone(), engine.try_clone()) {
                pipe(client, e2);
                pipe(engine, c2);
            }
        }
    });
}

#[tokio::test]
async fn unreachable_engine_is_explained_and_recovery_needs_no_restart() {
    let test = "unreachable_engine_is_explained";
    if common::engine(test).await.is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).expect("workspace");
    let sock = tmp.path().join("engine.sock");
    let host = format!("unix://{}", sock.display());
    let mut s = start_with(&home, &ws, 30, 120, &[("DOCKER_HOST", host.as_str())]);
    // The lesson opens anyway, and the status bar says why and what to do.
    s.wait_for("the unreachable status", |t| {
        t.contains("Lesson: A network of your own")
            && t.contains(&format!("engine unreachable: {host}"))
            && t.contains("reconnects by itself")
    });
    // Offline checks still run; engine checks say they could not be evaluated.
    s.wait_for("an unevaluable network check", |t| {
        t.contains(&format!("! {NET} exists"))
    });
    start_proxy(&sock);
    s.wait_for("the engine back, with no key pressed", |t| {
        t.contains("engine: ok") && !t.contains("engine unreachable")
    });
    s.wait_for("the network check evaluated", |t| {
        t.contains(&format!("✘ {NET} exists")) || t.contains(&format!("✔ {NET} exists"))
    });
    s.send(b"\x11");
    let exit = s.finish();
    assert!(exit.success(), "exit status {exit:?}");
    assert_terminal_restored(&s);
}

const MAP_NET: &str = "ddt-tuimap-e2e-net";

fn remove_map_network() {
    let _ = std::process::Command::new("docker")
        .args(["network", "rm", MAP_NET])
        .output();
}

/// The map's box for `MAP_NET` with its driver and subnet: the network
/// exists and the map has drawn it.
fn map_draws_the_network(screen: &str) -> bool {
    screen.lines().any(|l| {
        l.split(&format!("╭─ {MAP_NET} "))
            .nth(1)
            .is_some_and(|rest| {
                rest.split(" bridge · ")
                    .nth(1)
                    .is_some_and(|subnet| subnet.starts_with(|c: char| c.is_ascii_digit()))
            })
    })
}

#[tokio::test]
async fn the_open_map_draws_a_network_created_in_the_console_without_a_key() {
    let test = "the_open_map_draws_a_network_created_in_the_console";
    if common::engine(test).await.is_none() {
        return;
    }
    remove_map_network();
    let tmp = tempfile::tempdir().expect("tempdir");
    let home = tmp.path().join("home");
    let ws = tmp.path().join("ws");
    std::fs::create_dir_all(&ws).expect("workspace");
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui-map");
    let mut s = Session::spawn(
        &pack,
        &home,
        &ws,
        (40, 140),
        Path::new("/bin/sh"),
        &[("PS1", "e2e$ ")],
    );
    s.wait_for("the lesson and the shell prompt", |t| {
        t.contains("Lesson: A network on the map") && t.contains("e2e$")
    });

    // F4 opens the map; the console keeps the focus.
    s.send(b"\x1bOS");
    s.wait_for("the map, with the lesson's network not created yet", |t| {
        t.contains("Network map · this lesson") && t.contains(&format!("╭┄ {MAP_NET} "))
    });
    assert!(!map_draws_the_network(&s.text()));

    s.send(format!("docker network create {MAP_NET}\r").as_bytes());
    // The engine answers with the network's id once it exists: from then on
    // only the live feed can bring it to the map.
    s.wait_for("the id docker network create prints", |t| {
        t.lines().any(|l| {
            l.split(|c: char| !c.is_ascii_hexdigit())
                .any(|word| word.len() == 64)
        })
    });
    let created = std::time::Instant::now();
    s.wait_for(
        "the network drawn on the map without a key",
        map_draws_the_network,
    );
    let took = created.elapsed();
    assert!(
        took < std::time::Duration::from_secs(1),
        "the map took {took:?} to draw the new network"
    );

    s.send(b"\x11");
    let status = s.finish();
    remove_map_network();
    assert!(status.success(), "exit status {status:?}");
    assert_terminal_restored(&s);
}
