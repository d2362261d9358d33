//! The real binary in a PTY, with what it drew: for end-to-end TUI tests.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{native_pty_system, CommandBuilder, PtySize};

/// Generous bounds: reaching one fails the test, nothing is timed.
pub const LIMIT: Duration = Duration::from_secs(90);

pub struct Session {
    pub parser: vt100::Parser,
    /// Every byte the program wrote, for checking the terminal modes it left.
    pub raw: Vec<u8>,
    rx: mpsc::Receiver<Vec<u8>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    /// `dockdojo --lessons PACK --workspace WORKSPACE` in a `rows` x `cols`
    /// PTY, with `DOCKDOJO_HOME`, `SHELL` and `TERM` set, then `env`.
    pub fn spawn(
        pack: &Path,
        home: &Path,
        workspace: &Path,
        size: (u16, u16),
        shell: &Path,
        env: &[(&str, &str)],
    ) -> Session {
        Session::spawn_args(pack, home, workspace, size, shell, env, &[])
    }

    /// [`Session::spawn`] with more arguments after the options (a lesson).
    pub fn spawn_args(
        pack: &Path,
        home: &Path,
        workspace: &Path,
        (rows, cols): (u16, u16),
        shell: &Path,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(super::bin());
        cmd.arg("--lessons");
        cmd.arg(pack);
        cmd.arg("--workspace");
        cmd.arg(workspace);
        for a in args {
            cmd.arg(a);
        }
        cmd.env("DOCKDOJO_HOME", home);
        cmd.env("SHELL", shell);
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(workspace);
        let child = pair.slave.spawn_command(cmd).expect("start dockdojo");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(buf[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Session {
            parser: vt100::Parser::new(rows, cols, 0),
            raw: Vec::new(),
            rx,
            writer,
            child,
            _master: pair.master,
        }
    }

    pub fn text(&self) -> String {
        self.parser.screen().contents()
    }

    /// Read output until `cond` holds on the screen; panics with the screen
    /// after a generous limit (a hang, not a slow machine).
    pub fn wait_for(&mut self, what: &str, cond: impl Fn(&str) -> bool) {
        let limit = Instant::now() + LIMIT;
        while !cond(&self.text()) {
            let left = limit.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(bytes) => {
                    self.raw.extend_from_slice(&bytes);
                    self.parser.process(&bytes);
                }
                Err(_) => panic!("never saw {what}; the screen:\n{}", self.text()),
            }
        }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Read until the program closes the PTY; its exit status.
    pub fn finish(&mut self) -> portable_pty::ExitStatus {
        while let Ok(bytes) = self.rx.recv_timeout(Duration::from_secs(30)) {
            self.raw.extend_from_slice(&bytes);
            self.parser.process(&bytes);
        }
        let limit = Instant::now() + LIMIT;
        loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                return s;
            }
            if Instant::now() > limit {
                let _ = self.child.kill();
                panic!("dockdojo did not exit; the screen:\n{}", self.text());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("dockdojo pid")
    }
}
