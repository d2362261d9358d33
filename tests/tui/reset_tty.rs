//! `dockdojo reset` asks on a terminal (y/N) and changes nothing unless the
//! answer is yes. Runs dockdojo in a real pseudo-terminal.

use crate::common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

const C: &str = "ddt-classroom-tty-box";

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

fn exists() -> bool {
    Command::new("docker")
        .args(["container", "inspect", C])
        .output()
        .expect("docker")
        .status
        .success()
}

/// Run reset in a PTY, answer `answer` at the prompt; returns (exit code, output).
fn reset_answering(home: &Path, pack: &Path, ws: &Path, answer: &str) -> (u32, String) {
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 160,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(common::bin());
    cmd.args(["reset", "tty"]);
    cmd.arg("--lessons");
    cmd.arg(pack);
    cmd.arg("--workspace");
    cmd.arg(ws);
    cmd.env("DOCKDOJO_HOME", home);
    if let Ok(h) = std::env::var("DOCKER_HOST") {
        cmd.env("DOCKER_HOST", h);
    }
    let mut child = pty.slave.spawn_command(cmd).expect("spawn");
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let mut writer = pty.master.take_writer().expect("writer");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut out = Vec::new();
    let mut answered = false;
    // bounded wait for the prompt, then for the end
    for _ in 0..600 {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(chunk) => out.extend(chunk),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if !answered && String::from_utf8_lossy(&out).contains("[y/N]") {
            writer.write_all(answer.as_bytes()).expect("answer");
            writer.write_all(b"\r").expect("enter");
            writer.flush().expect("flush");
            answered = true;
        }
        if let Ok(Some(_)) = child.try_wait() {
            // drain what is left
            while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
                out.extend(chunk);
            }
            break;
        }
    }
    let status = child.wait().expect("wait");
    assert!(answered, "never asked: {}", String::from_utf8_lossy(&out));
    (
        status.exit_code(),
        String::from_utf8_lossy(&out).to_string(),
    )
}

#[tokio::test]
async fn reset_asks_and_no_means_no() {
    let Some(_e) = common::engine("reset_asks_and_no_means_no").await else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tmp.path().join("home");
    let pack = tmp.path().join("pack");
    let ws = tmp.path().join("ws");
    write(
        &pack.join("pack.toml"),
        "format_version = 1\ntitle = \"T\"\nprobe_image = \"busybox:1.36\"\n",
    );
    write(
        &pack.join("01-tty/lesson.md"),
        &format!("+++\nid = \"tty\"\ntitle = \"T\"\ncreates = {{ containers = [\"{C}\"] }}\n\n[[check]]\nid = \"c\"\ntitle = \"t\"\nkind = \"container.running\"\ncontainer = \"{C}\"\n+++\n# T\n"),
    );
    struct Rm;
    impl Drop for Rm {
        fn drop(&mut self) {
            let _ = Command::new("docker").args(["rm", "-f", C]).output();
        }
    }
    drop(Rm);
    let _rm = Rm;
    let made = Command::new("docker")
        .args(["create", "--name", C, "busybox:1.36", "true"])
        .output()
        .expect("docker");
    assert!(made.status.success());

    let (code, out) = reset_answering(&home, &pack, &ws, "n");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(C), "the plan names the container: {out}");
    assert!(out.contains("Nothing was changed"), "{out}");
    assert!(exists(), "answering no removed the container");

    let (code, out) = reset_answering(&home, &pack, &ws, "");
    assert_eq!(code, 1, "Enter alone means no: {out}");
    assert!(exists());

    let (code, out) = reset_answering(&home, &pack, &ws, "y");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(&format!("removed container {C}")), "{out}");
    assert!(!exists());
}
