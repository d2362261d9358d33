//! The real binary in a PTY: SIGTERM, SIGHUP and a panic each leave the
//! terminal as it was (alternate screen left, cursor shown, mouse and paste
//! modes off) and end the console's shell; a panic's message comes after the
//! screen is restored, so it can be read. A hung engine (a socket that
//! accepts and never answers) is named in the status bar while the UI still
//! answers keys.

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::pty::{Session, LIMIT};

fn fixture_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tui")
}

/// A shell for the console that writes its pid to `pid_file`, then becomes
/// /bin/sh (same pid).
fn pid_shell(dir: &Path) -> (PathBuf, PathBuf) {
    let pid_file = dir.join("shell.pid");
    let script = dir.join("pid-shell.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho $$ > '{}'\nexec /bin/sh \"$@\"\n",
            pid_file.display()
        ),
    )
    .expect("write shell");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    (script, pid_file)
}

/// The binary on the fixture pack in a 30x120 PTY, with `shell` as the
/// console's shell; home and workspace under `dir`.
fn start(dir: &Path, shell: &Path, env: &[(&str, &str)]) -> Session {
    let home = dir.join("home");
    let ws = dir.join("ws");
    std::fs::create_dir_all(&ws).expect("workspace");
    let mut all = vec![("PS1", "sig$ "), ("RUST_BACKTRACE", "0")];
    all.extend_from_slice(env);
    Session::spawn(&fixture_pack(), &home, &ws, (30, 120), shell, &all)
}

/// Direct children of `pid` (every thread's list).
fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    if let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) {
        for t in tasks.flatten() {
            if let Ok(s) = std::fs::read_to_string(t.path().join("children")) {
                out.extend(s.split_whitespace().filter_map(|p| p.parse::<u32>().ok()));
            }
        }
    }
    out
}

fn read_pid(file: &Path) -> u32 {
    let limit = Instant::now() + LIMIT;
    loop {
        if let Some(p) = std::fs::read_to_string(file)
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            return p;
        }
        assert!(Instant::now() < limit, "the console shell never started");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Gone, or a zombie waiting for init to reap it.
fn ended(pid: u32) -> bool {
    let stat = PathBuf::from(format!("/proc/{pid}/stat"));
    match std::fs::read_to_string(stat) {
        Err(_) => true,
        Ok(s) => s
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
    }
}

/// Wait (bounded) for the shell to end: the kill is sent before dockdojo
/// exits, the kernel may take a moment to finish it.
fn assert_shell_ended(pid: u32, what: &str) {
    let limit = Instant::now() + LIMIT;
    while !ended(pid) {
        assert!(Instant::now() < limit, "{what}: the shell {pid} still runs");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The last time the program switched a mode on or off wins.
fn last_is_off(raw: &str, on: &str, off: &str) -> bool {
    match (raw.rfind(on), raw.rfind(off)) {
        (Some(a), Some(b)) => b > a,
        (Some(_), None) => false,
        (None, _) => true,
    }
}

fn assert_restored(s: &Session, what: &str) {
    let raw = String::from_utf8_lossy(&s.raw);
    assert!(
        raw.contains("\x1b[?1049h"),
        "{what}: the TUI took the screen at all"
    );
    for (mode, on, off) in [
        ("alternate screen", "\x1b[?1049h", "\x1b[?1049l"),
        ("mouse capture", "\x1b[?1000h", "\x1b[?1000l"),
        ("bracketed paste", "\x1b[?2004h", "\x1b[?2004l"),
        ("hidden cursor", "\x1b[?25l", "\x1b[?25h"),
    ] {
        assert!(
            last_is_off(&raw, on, off),
            "{what}: {mode} was not switched back off"
        );
    }
    assert!(
        !s.parser.screen().alternate_screen(),
        "{what}: left on the alternate screen"
    );
    assert!(
        !s.parser.screen().hide_cursor(),
        "{what}: left the cursor hidden"
    );
}

fn signal_ends_cleanly(signal: &str) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (shell, pid_file) = pid_shell(tmp.path());
    let mut s = start(tmp.path(), &shell, &[]);
    s.wait_for("the first frame with the shell prompt", |t| {
        t.contains("Lesson: A network of your own") && t.contains("sig$")
    });
    let shell_pid = read_pid(&pid_file);
    let me = s.pid();
    assert!(
        children(me).contains(&shell_pid),
        "the console shell {shell_pid} is a child of dockdojo {me}: {:?}",
        children(me)
    );
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &me.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = s.finish();
    assert!(exit.success(), "{signal}: a clean exit, got {exit:?}");
    assert_restored(&s, signal);
    assert_shell_ended(shell_pid, signal);
}

#[tokio::test]
async fn sigterm_restores_the_terminal_and_ends_the_shell() {
    if common::engine("tui_signals sigterm").await.is_none() {
        return;
    }
    signal_ends_cleanly("TERM");
}

#[tokio::test]
async fn sighup_restores_the_terminal_and_ends_the_shell() {
    if common::engine("tui_signals sighup").await.is_none() {
        return;
    }
    signal_ends_cleanly("HUP");
}

#[tokio::test]
async fn a_panic_restores_the_terminal_then_prints_a_readable_message() {
    if common::engine("tui_signals panic").await.is_none() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let (shell, pid_file) = pid_shell(tmp.path());
    let mut s = start(
        tmp.path(),
        &shell,
        &[("DOCKDOJO_TEST_PANIC_AFTER_FIRST_FRAME", "1")],
    );
    let exit = s.finish();
    assert!(!exit.success(), "a panic is not a clean exit: {exit:?}");
    assert_restored(&s, "panic");
    let raw = String::from_utf8_lossy(&s.raw).to_string();
    let restored_at = raw.rfind("\x1b[?1049l").expect("left the alternate screen");
    let msg = "test panic after the first frame";
    let msg_at = raw
        .rfind(msg)
        .unwrap_or_else(|| panic!("the panic message is printed; output:\n{raw:?}"));
    assert!(
        msg_at > restored_at,
        "the message comes after the screen is restored, so it stays readable"
    );
    // It is on the normal screen, as text.
    assert!(
        s.text().contains(msg),
        "readable on the restored screen:\n{}",
        s.text()
    );
    let shell_pid = read_pid(&pid_file);
    assert_shell_ended(shell_pid, "panic");
}

#[tokio::test]
async fn a_hung_engine_is_named_in_the_status_bar_and_keys_still_work() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sock = tmp.path().join("hung.sock");
    common::proxy::hang(&sock);
    let host = format!("unix://{}", sock.display());
    let mut s = start(
        tmp.path(),
        Path::new("/bin/sh"),
        &[("DOCKER_HOST", host.as_str())],
    );
    s.wait_for("the hung engine named with a timeout", |t| {
        t.contains("Lesson: A network of your own")
            && t.contains(&format!("engine unreachable: {host}"))
            && t.contains("no answer")
    });
    // The UI still answers: F1 opens help, Esc closes it, Ctrl-Q quits.
    s.send(b"\x1bOP");
    s.wait_for("the help overlay", |t| t.contains("Shift-PgUp/PgDn"));
    s.send(b"\x1b");
    s.wait_for("help closed", |t| !t.contains("Shift-PgUp/PgDn"));
    s.send(b"\x11");
    let exit = s.finish();
    assert!(exit.success(), "exit status {exit:?}");
    assert_restored(&s, "hung engine");
}
