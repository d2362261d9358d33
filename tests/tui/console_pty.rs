//! A real shell in the console: typing, resizing, exiting, restarting.

use std::path::Path;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dockdojo::console::{Console, ConsoleEvent, ShellCommand};
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

/// Generous: the machine is shared and busy. Only an upper bound for waiting.
const WAIT: Duration = Duration::from_secs(20);

fn sh(dir: &Path, rows: u16, cols: u16) -> (Console, UnboundedReceiver<ConsoleEvent>) {
    let (tx, rx) = unbounded_channel();
    // A plain prompt makes the screen easy to read; ENV must not load rc files.
    let cmd = ShellCommand::new("sh").env("PS1", "$ ").env("ENV", "");
    let console = Console::spawn_with(cmd, dir, rows, cols, tx).expect("spawn sh");
    (console, rx)
}

/// Feed events into the console until `done(screen text)` holds; returns the
/// exit code if the shell exited on the way. Panics after WAIT.
async fn pump_until(
    console: &mut Console,
    rx: &mut UnboundedReceiver<ConsoleEvent>,
    what: &str,
    done: impl Fn(&str) -> bool,
) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        if done(&console.screen().contents()) {
            return;
        }
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            // as the app does: events of a replaced shell are dropped
            Ok(Some(ev)) if !console.owns(&ev) => {}
            Ok(Some(ConsoleEvent::Output { bytes, .. })) => console.process(&bytes),
            Ok(Some(ConsoleEvent::Exited { code, .. })) => console.mark_exited(code),
            Ok(None) => panic!("console channel closed while waiting for {what}"),
            Err(_) => panic!(
                "timed out waiting for {what}; screen:\n{}",
                console.screen().contents()
            ),
        }
    }
}

async fn wait_exit(console: &mut Console, rx: &mut UnboundedReceiver<ConsoleEvent>) -> Option<u32> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            // as the app does: events of a replaced shell are dropped
            Ok(Some(ev)) if !console.owns(&ev) => {}
            Ok(Some(ConsoleEvent::Output { bytes, .. })) => console.process(&bytes),
            Ok(Some(ConsoleEvent::Exited { code, .. })) => return code,
            Ok(None) => panic!("console channel closed before Exited"),
            Err(_) => panic!("timed out waiting for the shell to exit"),
        }
    }
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Wait until the shell shows its prompt on the cursor's row, so typed text
/// does not race the prompt.
async fn wait_prompt(console: &mut Console, rx: &mut UnboundedReceiver<ConsoleEvent>) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let screen = console.screen();
        let (row, _) = screen.cursor_position();
        let cols = screen.size().1;
        let line = screen.contents_between(row, 0, row, cols);
        if line.trim_end() == "$" {
            return;
        }
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            // as the app does: events of a replaced shell are dropped
            Ok(Some(ev)) if !console.owns(&ev) => {}
            Ok(Some(ConsoleEvent::Output { bytes, .. })) => console.process(&bytes),
            Ok(Some(ConsoleEvent::Exited { code, .. })) => panic!("shell exited ({code:?})"),
            Ok(None) => panic!("console channel closed while waiting for the prompt"),
            Err(_) => panic!(
                "timed out waiting for the prompt; screen:\n{}",
                console.screen().contents()
            ),
        }
    }
}

async fn run_line(console: &mut Console, rx: &mut UnboundedReceiver<ConsoleEvent>, line: &str) {
    wait_prompt(console, rx).await;
    for c in line.chars() {
        console.send_key(key(KeyCode::Char(c))).expect("type");
    }
    console.send_key(key(KeyCode::Enter)).expect("enter");
}

/// Wait until at most `senders` handles of the console's channel are left:
/// the console holds one, and each shell session's reader and waiter threads
/// one each. After a restart, the old shell's threads let go when they are
/// done, so everything they sent is queued by then. Panics after WAIT.
async fn wait_senders_at_most(rx: &UnboundedReceiver<ConsoleEvent>, senders: usize, what: &str) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while rx.sender_strong_count() > senders {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}: {} senders, expected at most {senders}",
            rx.sender_strong_count()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn typed_command_runs_in_the_working_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("marker-file.txt"), "x").expect("write");
    let (mut console, mut rx) = sh(dir.path(), 24, 80);
    assert!(console.is_alive());
    run_line(&mut console, &mut rx, "echo hi-$((1+1))").await;
    pump_until(&mut console, &mut rx, "hi-2", |s| s.contains("\nhi-2")).await;
    run_line(&mut console, &mut rx, "ls; echo TERM=$TERM").await;
    pump_until(&mut console, &mut rx, "ls output", |s| {
        s.contains("marker-file.txt") && s.contains("TERM=xterm-256color")
    })
    .await;
}

#[tokio::test]
async fn resize_reaches_the_pty_and_the_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut console, mut rx) = sh(dir.path(), 24, 80);
    run_line(&mut console, &mut rx, "stty size").await;
    pump_until(&mut console, &mut rx, "24 80", |s| s.contains("24 80")).await;
    console.resize(30, 100);
    assert_eq!(console.screen().size(), (30, 100));
    assert_eq!(console.size(), (30, 100));
    run_line(&mut console, &mut rx, "stty size").await;
    pump_until(&mut console, &mut rx, "30 100", |s| s.contains("30 100")).await;
    console.resize(10, 40);
    run_line(&mut console, &mut rx, "clear; stty size").await;
    pump_until(&mut console, &mut rx, "10 40", |s| s.contains("10 40")).await;
    assert_eq!(console.screen().size(), (10, 40));
}

#[tokio::test]
async fn exit_is_reported_and_restart_gives_a_new_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut console, mut rx) = sh(dir.path(), 24, 80);
    let first_pid = console.pid().expect("pid");
    run_line(&mut console, &mut rx, "echo bye; exit 3").await;
    let code = wait_exit(&mut console, &mut rx).await;
    assert_eq!(code, Some(3));
    assert!(!console.is_alive());
    // output written just before exiting is delivered before Exited
    assert!(
        console.screen().contents().contains("\nbye"),
        "{}",
        console.screen().contents()
    );
    // typing into a dead shell is an error, not a hang
    assert!(console.send_key(key(KeyCode::Char('x'))).is_err());

    console.restart().expect("restart");
    assert!(console.is_alive());
    assert_ne!(console.pid(), Some(first_pid));
    assert!(!console.screen().contents().contains("bye"), "fresh screen");
    run_line(&mut console, &mut rx, "echo again-$((40+2))").await;
    pump_until(&mut console, &mut rx, "again-42", |s| {
        s.contains("\nagain-42")
    })
    .await;
}

#[tokio::test]
async fn kill_ends_the_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut console, mut rx) = sh(dir.path(), 24, 80);
    run_line(&mut console, &mut rx, "echo ready").await;
    pump_until(&mut console, &mut rx, "ready", |s| s.contains("\nready")).await;
    console.kill();
    assert!(!console.is_alive());
    let code = wait_exit(&mut console, &mut rx).await;
    // SIGHUP ends sh: no exit code
    assert_eq!(code, None);
}

#[tokio::test]
async fn typed_code_block_waits_for_enter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut console, mut rx) = sh(dir.path(), 24, 80);
    run_line(&mut console, &mut rx, "echo ready").await;
    pump_until(&mut console, &mut rx, "ready", |s| s.contains("\nready")).await;
    // two commands; plain sh has no bracketed paste, so they are joined
    wait_prompt(&mut console, &mut rx).await;
    console
        .type_text("echo one-$((0+1))\necho two-$((1+1))\n")
        .expect("type");
    pump_until(&mut console, &mut rx, "the typed line", |s| {
        s.contains("echo one-$((0+1)) && echo two-$((1+1))")
    })
    .await;
    assert!(
        !console.screen().contents().contains("one-1"),
        "not run yet"
    );
    console.send_key(key(KeyCode::Enter)).expect("enter");
    pump_until(&mut console, &mut rx, "both outputs", |s| {
        s.contains("\none-1") && s.contains("\ntwo-2")
    })
    .await;
}

#[tokio::test]
async fn cursor_position_queries_are_answered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut console, mut rx) = sh(dir.path(), 24, 80);
    // Ask for the cursor position and read the reply back as input.
    run_line(
        &mut console,
        &mut rx,
        "clear; stty -echo raw; printf '\\033[3;5H\\033[6n'; dd bs=1 count=6 2>/dev/null | od -c | head -1; stty sane",
    )
    .await;
    pump_until(&mut console, &mut rx, "the reply", |s| {
        s.contains("033   [   3   ;   5   R")
    })
    .await;
}

/// bash (5.1+) turns on bracketed paste: a multi-line block is typed as one
/// paste and runs only on Enter, both lines.
#[tokio::test]
async fn multi_line_block_in_bash_uses_bracketed_paste() {
    if !Path::new("/bin/bash").exists() && !Path::new("/usr/bin/bash").exists() {
        panic!("bash is needed for this test (it is the default shell of most learners)");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (tx, mut rx) = unbounded_channel();
    let cmd = ShellCommand::new("bash")
        .arg("--norc")
        .arg("--noprofile")
        .env("PS1", "$ ");
    let mut console = Console::spawn_with(cmd, dir.path(), 24, 80, tx).expect("spawn bash");
    wait_prompt(&mut console, &mut rx).await;
    assert!(
        console.screen().bracketed_paste(),
        "bash at its prompt enables bracketed paste"
    );
    console
        .type_text("echo first-$((2*3))\necho second-$((2*4))\n")
        .expect("type");
    pump_until(&mut console, &mut rx, "both lines at the prompt", |s| {
        s.contains("echo first-$((2*3))") && s.contains("echo second-$((2*4))")
    })
    .await;
    assert!(
        !console.screen().contents().contains("first-6"),
        "not run yet"
    );
    console.send_key(key(KeyCode::Enter)).expect("enter");
    pump_until(&mut console, &mut rx, "both outputs", |s| {
        s.contains("\nfirst-6") && s.contains("\nsecond-8")
    })
    .await;
}

#[tokio::test]
async fn typing_is_refused_while_a_full_screen_program_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut console, mut rx) = sh(dir.path(), 24, 80);
    run_line(
        &mut console,
        &mut rx,
        "printf '\\033[?1049hFULL'; read x; printf '\\033[?1049l'",
    )
    .await;
    pump_until(&mut console, &mut rx, "the alternate screen", |s| {
        s.starts_with("FULL")
    })
    .await;
    assert!(console.screen().alternate_screen());
    assert!(console.type_text("rm -rf /").is_err());
    console.send_key(key(KeyCode::Enter)).expect("enter");
    pump_until(&mut console, &mut rx, "back on the shell screen", |s| {
        s.contains("read x")
    })
    .await;
    assert!(!console.screen().alternate_screen());
    console.type_text("echo ok").expect("typing allowed again");
}

/// Ending the console never runs what the learner had half typed.
#[tokio::test]
async fn ending_the_console_does_not_run_a_half_typed_line() {
    for end in ["kill", "drop", "restart"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut console, mut rx) = sh(dir.path(), 24, 80);
        wait_prompt(&mut console, &mut rx).await;
        let marker = dir.path().join("half-typed");
        console
            .type_text(&format!("touch {}", marker.display()))
            .expect("type");
        pump_until(&mut console, &mut rx, "the half-typed line", |s| {
            s.contains("touch ")
        })
        .await;
        match end {
            "kill" => {
                console.kill();
                wait_exit(&mut console, &mut rx).await;
            }
            "restart" => {
                console.restart().expect("restart");
                wait_prompt(&mut console, &mut rx).await;
                run_line(&mut console, &mut rx, "echo fresh").await;
                pump_until(&mut console, &mut rx, "fresh", |s| s.contains("\nfresh")).await;
            }
            _ => {
                drop(console);
                // the channel closes once every thread of the console is done
                let deadline = tokio::time::Instant::now() + WAIT;
                while tokio::time::timeout_at(deadline, rx.recv())
                    .await
                    .expect("console threads end")
                    .is_some()
                {}
            }
        }
        assert!(!marker.exists(), "{end}: the half-typed command ran");
    }
}

#[tokio::test]
async fn restart_after_kill_does_not_report_the_old_shell_exit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut console, mut rx) = sh(dir.path(), 24, 80);
    wait_prompt(&mut console, &mut rx).await;
    // the console's own handle plus the shell's reader and waiter threads
    let senders = rx.sender_strong_count();
    console.kill();
    assert!(!console.is_alive());
    assert!(console.send_key(key(KeyCode::Char('x'))).is_err());
    console.restart().expect("restart");
    assert!(console.is_alive());
    // The old shell's threads are done: an Exited event of the old shell, if
    // one was sent, is now queued ahead of anything the new shell prints.
    wait_senders_at_most(&rx, senders, "the old shell's threads to end").await;
    run_line(&mut console, &mut rx, "echo fresh-$((1+1))").await;
    pump_until(&mut console, &mut rx, "fresh-2", |s| {
        s.contains("\nfresh-2")
    })
    .await;
    assert_eq!(
        console.exit_code(),
        None,
        "no Exited event from the old shell"
    );
    assert!(console.is_alive());
}

#[tokio::test]
async fn output_queued_from_a_replaced_shell_never_reaches_the_new_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tx, mut rx) = unbounded_channel();
    // Writes a line every 10 ms, each naming the shell's pid.
    let cmd = ShellCommand::new("sh")
        .arg("-c")
        .arg("while :; do echo tag-$$; sleep 0.01; done");
    let mut console = Console::spawn_with(cmd, dir.path(), 24, 80, tx).expect("spawn");
    let first = console.session_id().expect("a session");
    pump_until(&mut console, &mut rx, "the first shell's output", |s| {
        s.contains("tag-")
    })
    .await;
    let screen = console.screen().contents();
    let old_tag = screen
        .lines()
        .find(|l| l.starts_with("tag-"))
        .expect("a tag line")
        .trim()
        .to_string();
    // let more of the old shell's output queue up unread
    let deadline = tokio::time::Instant::now() + WAIT;
    while rx.len() < 3 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the old shell's output never queued up"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // the console's own handle plus the old shell's reader and waiter threads
    let senders = rx.sender_strong_count();
    console.restart().expect("restart");
    let second = console.session_id().expect("a session");
    assert_ne!(first, second, "a restart starts a new session");
    let new_tag = format!("tag-{}", console.pid().expect("the new shell's pid"));
    let mut stale = 0;
    let mut take = |console: &mut Console, ev: ConsoleEvent| {
        if !console.owns(&ev) {
            assert_eq!(ev.session(), first);
            stale += 1;
        } else if let ConsoleEvent::Output { bytes, .. } = ev {
            console.process(&bytes);
        }
    };
    // Until the new shell's output is on the screen and the old shell's
    // threads are done (everything they sent is queued by then) ...
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let new_output = console.screen().contents().contains(&new_tag);
        if new_output && rx.sender_strong_count() <= senders {
            break;
        }
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(ev)) => take(&mut console, ev),
            Ok(None) => panic!("console channel closed while waiting for {new_tag}"),
            Err(_) => panic!(
                "timed out waiting for {new_tag} and the old shell's threads to end; screen:\n{}",
                console.screen().contents()
            ),
        }
    }
    // ... and whatever is still queued.
    while let Ok(ev) = rx.try_recv() {
        take(&mut console, ev);
    }
    assert!(stale > 0, "the old shell's output was still queued");
    let screen = console.screen().contents();
    assert!(screen.contains("tag-"), "the new shell's output: {screen}");
    assert!(
        !screen.contains(&old_tag),
        "{old_tag} from the replaced shell reached the new screen:\n{screen}"
    );
    console.kill();
}
