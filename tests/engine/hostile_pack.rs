//! A pack from a stranger: its solve.sh, starter files and lesson code
//! blocks carry commands that would leave a marker file, and its text,
//! hints, check titles, `why` lines and object names carry terminal escape
//! sequences (clear screen, set the window title, write the clipboard,
//! blink). Normal use (list, check, hint, solution, report, lint, the TUI)
//! runs none of those commands and prints no escape byte; `dev verify`
//! says that it runs solve.sh before running it (and then the marker
//! appears, which shows the marker command works).

use crate::common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const LESSON: &str = "hostile";

/// TOML basic-string escapes for ESC and BEL (the pack files carry real
/// ESC bytes after parsing).
const CLEAR: &str = "\\u001b[2J\\u001b[H";
const TITLE: &str = "\\u001b]0;pwned\\u0007";
const CLIP: &str = "\\u001b]52;c;cm0gLXJmIH4K\\u0007";
const BLINK: &str = "\\u001b[5m";

struct Markers {
    solve: PathBuf,
    starter: PathBuf,
    text: PathBuf,
}

impl Markers {
    fn none_exists(&self) -> Vec<&Path> {
        [&self.solve, &self.starter, &self.text]
            .into_iter()
            .filter(|p| p.exists())
            .map(|p| p.as_path())
            .collect()
    }
}

fn write_hostile_pack(dir: &Path) -> (PathBuf, Markers) {
    let m = Markers {
        solve: dir.join("marker-solve"),
        starter: dir.join("marker-starter"),
        text: dir.join("marker-text"),
    };
    let pack = dir.join("pack");
    let l = pack.join("01-hostile");
    std::fs::create_dir_all(l.join("starter")).expect("mkdir");
    std::fs::create_dir_all(l.join("solution")).expect("mkdir");
    std::fs::write(
        pack.join("pack.toml"),
        format!(
            "format_version = 1\ntitle = \"Stranger {TITLE}pack\"\nprobe_image = \"busybox:1.36\"\n"
        ),
    )
    .expect("pack.toml");
    let front = format!(
        r#"+++
id = "{LESSON}"
title = "Hostile {TITLE}lesson"
summary = "Looks {CLEAR}harmless."
images = ["busybox:1.36"]
hints = ["first {BLINK}hint", "second {CLIP}hint"]

[[check]]
id = "ctr"
title = "the {CLEAR}container runs"
kind = "container.running"
container = "ddt-harden-hostile-{TITLE}x"
why = "because {CLIP}"
hint = "try {BLINK}harder"

[[check]]
id = "net"
title = "a {TITLE}network exists"
kind = "network.exists"
network = "ddt-harden-hostile-{CLEAR}net"
why = "networks {BLINK}matter"

[[check]]
id = "img"
title = "an {BLINK}image"
kind = "image.exists"
image = "ddt-harden-hostile-{TITLE}img"

[[check]]
id = "run"
title = "a {CLIP}run"
kind = "image.run"
image = "busybox:1.36"
args = ["printf", "out\\033]0;pwned\\007\\033[2J"]
stdout_equals = "something else"

[[check]]
id = "stages"
title = "two {CLEAR}stages"
kind = "dockerfile.stages"
file = "Dockerfile"
min = 2
+++
"#
    );
    let body = format!(
        "# Hostile \x1b[2J\x1b]0;pwned\x07lesson\n\nText with \x1b[5mblink\x1b[0m and a clipboard \x1b]52;c;eA==\x07write.\n\n\
         ```bash\ntouch '{}'\n```\n",
        m.text.display()
    );
    std::fs::write(l.join("lesson.md"), format!("{front}{body}")).expect("lesson.md");
    let marker_cmd = |p: &Path| format!("touch '{}'\n", p.display());
    std::fs::write(
        l.join("starter/setup.sh"),
        format!("#!/bin/sh\n{}", marker_cmd(&m.starter)),
    )
    .expect("starter");
    std::fs::write(
        l.join("starter/Dockerfile"),
        format!("FROM busybox:1.36\nRUN {}", marker_cmd(&m.starter)),
    )
    .expect("starter Dockerfile");
    std::fs::write(l.join("starter/.envrc"), marker_cmd(&m.starter)).expect("envrc");
    std::fs::write(
        l.join("solution/solve.sh"),
        format!(
            "#!/bin/sh\n# \x1b[2J\x1b]0;pwned\x07\n{}printf 'solve says \\033[2J\\033]0;pwned\\007 hi\\n'\n",
            marker_cmd(&m.solve)
        ),
    )
    .expect("solve.sh");
    std::fs::write(
        l.join("solution/Dockerfile"),
        "FROM busybox:1.36 AS a\nFROM scratch\n",
    )
    .expect("solution Dockerfile");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for f in ["starter/setup.sh", "solution/solve.sh"] {
            std::fs::set_permissions(l.join(f), std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
    }
    (pack, m)
}

/// The same lesson with front-matter mistakes whose messages quote the
/// offending text (an id and a check kind with escapes).
fn write_broken_pack(dir: &Path) -> PathBuf {
    let pack = dir.join("broken");
    let l = pack.join("01-broken");
    std::fs::create_dir_all(&l).expect("mkdir");
    std::fs::write(
        pack.join("pack.toml"),
        "format_version = 1\ntitle = \"Broken\"\nprobe_image = \"busybox:1.36\"\n",
    )
    .expect("pack.toml");
    std::fs::write(
        l.join("lesson.md"),
        format!(
            "+++\nid = \"bad{CLEAR}id\"\ntitle = \"x\"\nsummary = \"y\"\n\n[[check]]\nid = \"c{TITLE}\"\n\
             title = \"t\"\nkind = \"image.{CLIP}exists\"\nimage = \"busybox:1.36\"\n+++\n# \x1b[2J\n"
        ),
    )
    .expect("lesson.md");
    pack
}

struct Out {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

fn run(args: &[&str], pack: &Path, dir: &Path) -> Out {
    let out = Command::new(common::bin())
        .args(args)
        .env("DOCKDOJO_LESSONS", pack)
        .env("DOCKDOJO_HOME", dir.join("home"))
        .env("DOCKDOJO_WORKSPACE", dir.join("ws"))
        .env_remove("DOCKER_CONTEXT")
        .output()
        .expect("run dockdojo");
    Out {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: out.stderr,
    }
}

fn assert_no_escape(args: &[&str], o: &Out) {
    for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        if let Some(i) = bytes
            .iter()
            .position(|&b| b == 0x1b || b == 0x07 || b == 0x9b)
        {
            let from = i.saturating_sub(60);
            let to = (i + 60).min(bytes.len());
            panic!(
                "`dockdojo {}` printed a raw control byte 0x{:02x} on {stream}: {:?}",
                args.join(" "),
                bytes[i],
                String::from_utf8_lossy(&bytes[from..to])
            );
        }
    }
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !all.contains("panicked"),
        "`dockdojo {}`: {all}",
        args.join(" ")
    );
}

#[tokio::test]
async fn a_strangers_pack_runs_nothing_and_cannot_drive_the_terminal() {
    let Some(_eng) = common::engine("a_strangers_pack_runs_nothing").await else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let (pack, markers) = write_hostile_pack(tmp.path());
    let broken = write_broken_pack(tmp.path());

    // The pack loads: the commands below see it (and its escapes).
    let listed = run(&["list"], &pack, tmp.path());
    assert_eq!(
        listed.code,
        Some(0),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Hostile"));

    let commands: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--json"],
        vec!["check", LESSON],
        vec!["check", LESSON, "--json"],
        vec!["check", "--all"],
        vec!["hint", LESSON],
        vec!["hint", LESSON, "1"],
        vec!["hint", LESSON, "2"],
        vec!["solution", LESSON],
        vec!["report"],
        vec!["report", "--format", "markdown"],
        vec!["report", "--format", "junit"],
        vec!["reset", LESSON, "--dry-run"],
        vec!["image", "ddt-harden-hostile-\x1b]0;pwned\x07img"],
    ];
    for args in &commands {
        let o = run(args, &pack, tmp.path());
        assert_no_escape(args, &o);
        assert!(
            matches!(o.code, Some(0..=2)),
            "`dockdojo {}` ended normally: {:?}",
            args.join(" "),
            o.code
        );
    }
    // The checks really ran against the engine and quote the hostile names.
    let checked = run(&["check", LESSON], &pack, tmp.path());
    let text = String::from_utf8_lossy(&checked.stdout);
    assert!(text.contains("ddt-harden-hostile-"), "{text}");
    assert!(
        text.contains("pwned"),
        "the text stays, made harmless: {text}"
    );
    // An engine error message that echoes a hostile name, and a container's
    // output, both reached the printed result (cleaned).
    assert!(text.contains("invalid reference format"), "{text}");
    assert!(text.contains("printed \"out"), "{text}");

    // The solution is shown, never run.
    let sol = run(&["solution", LESSON], &pack, tmp.path());
    assert!(
        String::from_utf8_lossy(&sol.stdout).contains("marker-solve"),
        "solution prints solve.sh"
    );

    for dir in [&pack, &broken] {
        let d = dir.display().to_string();
        let args = ["lint", d.as_str()];
        let o = run(&args, dir, tmp.path());
        assert_no_escape(&args, &o);
        if dir == &broken {
            assert_eq!(o.code, Some(1), "the broken pack has lint errors");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(all.contains("lesson.md:"), "path:line:col messages: {all}");
        }
    }
    // Commands on the broken pack report it without escapes.
    for args in [vec!["list"], vec!["check", "--all"]] {
        let o = run(&args, &broken, tmp.path());
        assert_no_escape(&args, &o);
        assert_eq!(o.code, Some(2));
    }

    // The TUI, for a moment: the lesson is drawn, nothing runs.
    tui_opens_and_runs_nothing(&pack, tmp.path());

    assert!(
        markers.none_exists().is_empty(),
        "normal use ran a pack command: {:?}",
        markers.none_exists()
    );
    // The starter files were copied (by check / the TUI), not run.
    assert!(tmp.path().join("ws/01-hostile/setup.sh").is_file());

    // dev verify says it runs solve.sh, then does.
    let args = ["dev", "verify", LESSON];
    let o = run(&args, &pack, tmp.path());
    assert_no_escape(&args, &o);
    let out = String::from_utf8_lossy(&o.stdout);
    let notice = out
        .find("runs each lesson's solution/solve.sh")
        .unwrap_or_else(|| panic!("dev verify warns before running solve.sh:\n{out}"));
    let ran = out
        .find("solve says")
        .unwrap_or_else(|| panic!("solve.sh ran under dev verify:\n{out}"));
    assert!(notice < ran, "the notice comes before solve.sh runs");
    assert!(
        markers.solve.exists(),
        "the marker command works: dev verify made it"
    );
    assert!(!markers.starter.exists() && !markers.text.exists());
}

fn tui_opens_and_runs_nothing(pack: &Path, dir: &Path) {
    use portable_pty::{native_pty_system, CommandBuilder, PtySize};
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(common::bin());
    cmd.arg(LESSON);
    cmd.env("DOCKDOJO_LESSONS", pack);
    cmd.env("DOCKDOJO_HOME", dir.join("home"));
    cmd.env("DOCKDOJO_WORKSPACE", dir.join("ws"));
    cmd.env("SHELL", "/bin/sh");
    cmd.env("TERM", "xterm-256color");
    cmd.env("PS1", "hostile$ ");
    cmd.cwd(dir);
    let mut child = pair.slave.spawn_command(cmd).expect("start the TUI");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let mut writer = pair.master.take_writer().expect("writer");
    let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut parser = vt100::Parser::new(30, 120, 0);
    let mut raw = Vec::new();
    let limit = Instant::now() + Duration::from_secs(90);
    let ready = |s: &str| s.contains("Hostile") && s.contains("hostile$") && s.contains("stages");
    while !ready(&parser.screen().contents()) {
        match rx.recv_timeout(limit.saturating_duration_since(Instant::now())) {
            Ok(b) => {
                raw.extend_from_slice(&b);
                parser.process(&b);
            }
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the TUI never drew the lesson:\n{}",
                    parser.screen().contents()
                );
            }
        }
    }
    use std::io::Write;
    writer.write_all(b"\x11").expect("ctrl-q");
    writer.flush().expect("flush");
    while let Ok(b) = rx.recv_timeout(Duration::from_secs(30)) {
        raw.extend_from_slice(&b);
        parser.process(&b);
    }
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    let s = String::from_utf8_lossy(&raw);
    // The TUI writes its own escape sequences; the pack's never get through.
    for bad in ["\x1b]0;pwned", "\x1b]52;", "\x1b[5m"] {
        assert!(
            !s.contains(bad),
            "the TUI passed a pack escape through: {bad:?}"
        );
    }
    // dockdojo's own question to the terminal (OSC 11, "what is your
    // background?") ends with BEL, as terminal-colorsaurus sends it; any
    // other BEL would be the pack's.
    let without_own_query = s.replace("\x1b]11;?\x07", "");
    assert!(!without_own_query.contains('\x07'), "no BEL from the pack");
}
