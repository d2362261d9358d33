//! The main loop: gathers messages from every source, hands them to
//! [`App::update`], carries out the commands it returns, and draws at most
//! once per frame when something changed. It waits on channels and timers
//! only: no polling, no sleeps.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use futures_util::StreamExt;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tokio::time::Instant;

use super::{first_unfinished, App, FRAME};
use crate::check::{self, CheckEnv};
use crate::console::{Console, ConsoleEvent};
use crate::context::Ctx;
use crate::engine::events::{EngineMsg, Settle};
use crate::event::{Cmd, EngineUpdate, Msg};
use crate::lesson::Pack;
use crate::tui::Tui;

struct Runtime {
    ctx: Ctx,
    /// The connected engine (for check runs and re-listing), or why there is none.
    engine: Result<crate::engine::Engine, crate::engine::EngineError>,
    /// dockdojo's own helper containers seen in events.
    helpers: super::relevance::Helpers,
    tx: UnboundedSender<Msg>,
    console: Option<Console>,
    console_tx: UnboundedSender<ConsoleEvent>,
    watcher: Option<notify::RecommendedWatcher>,
    /// Writes progress to disk in order, off the main loop.
    progress: ProgressWriter,
    /// Sends results to the joined class in the background, if one was joined.
    class: Option<crate::class::client::Sender>,
    /// A command was entered in the console: when to look next whether the
    /// shell is back at its prompt ([`COMMAND_POLL`]).
    command_poll_at: Option<Instant>,
    bench: BenchProbe,
    /// The engine feed's [`Settle`]s held while a check run is in flight:
    /// dropped once the frame with its result is out, they let the feed list
    /// the engine for the pane.
    settles: Vec<Settle>,
}

/// While a command entered in the console runs, how often the loop asks
/// whether the shell holds the terminal again (one `tcgetpgrp`). The first
/// look comes this long after Enter, when the shell has started the command.
const COMMAND_POLL: std::time::Duration = std::time::Duration::from_millis(100);

/// Benchmark hooks (see BENCHMARKS.md), off unless their variables are set:
/// `DOCKDOJO_EXIT_AFTER_FIRST_FRAME=1` quits right after the first full frame
/// is flushed; `DOCKDOJO_BENCH=1` logs, for each engine event that makes the
/// checks run, the time until a frame shows the result of that run.
#[derive(Default)]
struct BenchProbe {
    enabled: bool,
    /// An event that asked for checks, not yet covered by a started run.
    event: Option<std::time::Instant>,
    /// The event the run in flight covers.
    in_flight: Option<std::time::Instant>,
    /// The event whose result is in the state, waiting for the next frame.
    ready: Option<std::time::Instant>,
}

fn env_flag(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v == "1")
}

pub async fn run(ctx: &Ctx, lesson: Option<String>) -> anyhow::Result<i32> {
    let started = std::time::Instant::now();
    init_logging();
    let pack = match ctx.pack() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("dockdojo: the lesson pack has problems:\n{e}");
            return Ok(crate::context::EXIT_CANNOT);
        }
    };
    if pack.lessons.is_empty() {
        anyhow::bail!("the lesson pack has no lessons");
    }
    // Never print while the TUI owns the terminal: a warning goes to the status bar.
    let (progress, progress_warning) = crate::progress::load_checked(&ctx.home);
    let idx = match &lesson {
        Some(name) => {
            let l = crate::context::find_lesson(&pack, name)?;
            pack.lessons.iter().position(|x| x.id == l.id).unwrap_or(0)
        }
        None => first_unfinished(&pack, &progress),
    };
    let pack = Arc::new(pack);
    tracing::info!("pack loaded after {} ms", started.elapsed().as_millis());

    let (tx, mut rx) = unbounded_channel::<Msg>();
    let (console_tx, mut console_rx) = unbounded_channel::<ConsoleEvent>();

    // Asked before the alternate screen: the answer to OSC 11 must not land
    // in the TUI's input (the query reads it in raw mode and leaves raw mode).
    let (theme, decided) = ctx.theme();
    tracing::info!(
        theme = decided.kind.name(),
        colours = ?theme.mode,
        "palette from {} after {} ms",
        decided.source.describe(),
        decided.waited.as_millis()
    );
    let mut tui = Tui::enter().context("cannot set up the terminal")?;
    let size = tui.size();
    let home = crate::paths::home_dir();
    let ws = ctx.workspace.clone();
    let mut app = App::new(pack.clone(), idx, progress, size, theme, |l| {
        crate::ui::console::short_path(&ws.lesson_dir(l), &home)
    });
    tracing::info!(
        lesson = %app.lesson().id,
        "lesson rendered at {}x{} after {} ms",
        size.0,
        size.1,
        started.elapsed().as_millis()
    );
    // stderr is hidden under the alternate screen: what was wrong with the
    // settings file goes to the status bar too, and a language that could
    // not be used (said once).
    app.flash = [
        config_flash(&ctx.config_problems),
        progress_warning,
        pack.translation.note.clone(),
    ]
    .into_iter()
    .flatten()
    .reduce(|a, b| format!("{a} · {b}"));

    let mut rt = Runtime {
        ctx: ctx.clone(),
        engine: Err(crate::engine::EngineError::Unreachable {
            endpoint: String::from("(connecting)"),
            reason: "not connected yet".into(),
        }),
        helpers: Default::default(),
        tx: tx.clone(),
        console: None,
        console_tx,
        watcher: None,
        progress: ProgressWriter::spawn(ctx.home.clone(), tx.clone()),
        class: None,
        command_poll_at: None,
        bench: BenchProbe {
            enabled: env_flag("DOCKDOJO_BENCH"),
            ..Default::default()
        },
        settles: Vec::new(),
    };
    let exit_after_first_frame = env_flag("DOCKDOJO_EXIT_AFTER_FIRST_FRAME");

    rt.class = join_class(ctx, &tx, &mut app);
    spawn_input(tx.clone());
    spawn_signals(tx.clone());
    spawn_highlighter_load(tx.clone());
    let (engine_tx, mut engine_rx) = tokio::sync::mpsc::channel::<EngineMsg>(256);
    let _feed = crate::engine::events::spawn(crate::engine::events::Target::Resolve, engine_tx);
    rt.open_lesson(&mut app);
    // The first check run starts when the engine feed has answered (connected or not).

    // Test hook (the test suite proves with it that a panic restores the
    // terminal and ends the shell): with DOCKDOJO_TEST_PANIC_AFTER_FIRST_FRAME=1
    // in the environment, the first frame that shows console output is
    // followed by a panic. Only that variable set to exactly `1` does this;
    // no key, lesson or pack can.
    let test_panic = std::env::var("DOCKDOJO_TEST_PANIC_AFTER_FIRST_FRAME").as_deref() == Ok("1");
    let mut last_draw: Option<Instant> = None;
    let mut draw_at: Option<Instant> = None;
    let mut frames: u64 = 0;
    // A frame that shows the learner something they are waiting for (a check
    // result, the answer to a key) is drawn at once; the frame limit holds
    // back only the frames of a stream (console output, engine chatter).
    let mut urgent = false;
    // What a check result sets off (saving it, a queued run), held until the
    // frame that shows the result is drawn: on two cores it would compete with it.
    let mut after_frame: Vec<Cmd> = Vec::new();
    loop {
        if app.dirty {
            let now = Instant::now();
            match last_draw {
                Some(t) if now < t + FRAME && !urgent => {
                    draw_at.get_or_insert(t + FRAME);
                }
                _ => {
                    tui.draw(&app.view(), rt.console.as_ref().map(Console::screen))?;
                    if frames == 0 {
                        tracing::info!("first frame after {} us", started.elapsed().as_micros());
                        if exit_after_first_frame {
                            app.quit = true;
                        }
                    }
                    if let Some(ev) = rt.bench.ready.take() {
                        let wall = std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map_or(0, |d| d.as_micros());
                        tracing::info!(
                            target: "dockdojo::bench",
                            "checks pane updated event_to_frame_us={} frame_unix_us={wall}",
                            ev.elapsed().as_micros()
                        );
                    }
                    frames += 1;
                    app.dirty = false;
                    if test_panic
                        && rt
                            .console
                            .as_ref()
                            .is_some_and(|c| !c.screen().contents().trim().is_empty())
                    {
                        panic!("test panic after the first frame (DOCKDOJO_TEST_PANIC_AFTER_FIRST_FRAME=1)");
                    }
                    last_draw = Some(now);
                    draw_at = None;
                    urgent = false;
                }
            }
        }
        for cmd in std::mem::take(&mut after_frame) {
            rt.exec(cmd, &mut app);
        }
        // No run in flight (it ended, or a lesson change dropped it): the
        // feed may list, now that the frame with the run's result is out.
        if !app.checks_running() {
            rt.settles.clear();
        }
        if app.quit {
            break;
        }
        let mut event_received = None;
        let msg = tokio::select! {
            m = rx.recv() => match m {
                Some(m) => m,
                None => break,
            },
            Some(ev) = console_rx.recv() => {
                // Output still queued from a shell that was restarted or
                // replaced by another lesson's must not reach this screen.
                let Some(c) = rt.console.as_mut().filter(|c| c.owns(&ev)) else {
                    continue;
                };
                match ev {
                    ConsoleEvent::Output { bytes, .. } => {
                        c.process(&bytes);
                        Msg::ConsoleOutput
                    }
                    ConsoleEvent::Exited { code, .. } => {
                        tracing::info!("shell exited with {code:?}");
                        c.mark_exited(code);
                        Msg::ConsoleExited
                    }
                }
            },
            Some(em) = engine_rx.recv() => {
                let received = std::time::Instant::now();
                if let EngineMsg::Settle(settle) = em {
                    // The check run these events started asks the engine first;
                    // the engine pane's lists wait for it.
                    if app.checks_running() {
                        rt.settles.push(settle);
                    }
                    continue;
                }
                match rt.on_engine(em) {
                    Some(m) => {
                        if matches!(m, Msg::Engine(EngineUpdate::Change(_))) {
                            event_received = Some(received);
                        }
                        m
                    }
                    None => continue,
                }
            },
            _ = sleep_until(rt.command_poll_at), if rt.command_poll_at.is_some() => {
                match rt.console.as_ref().and_then(Console::shell_in_foreground) {
                    Some(false) => {
                        rt.command_poll_at = Some(Instant::now() + COMMAND_POLL);
                        continue;
                    }
                    Some(true) => {
                        rt.command_poll_at = None;
                        Msg::ConsoleCommandDone
                    }
                    None => {
                        rt.command_poll_at = None;
                        continue;
                    }
                }
            }
            _ = sleep_until(draw_at), if draw_at.is_some() => {
                draw_at = None;
                last_draw = None;
                continue;
            }
        };
        let checks_done = matches!(msg, Msg::ChecksDone { .. });
        urgent |= checks_done || matches!(msg, Msg::Term(crossterm::event::Event::Key(_)));
        let cmds = app.update(msg);
        if rt.bench.enabled {
            if checks_done {
                if let Some(ev) = rt.bench.in_flight.take() {
                    rt.bench.ready = Some(ev);
                }
            }
            // Only events that make the checks run are measured.
            if let Some(at) = event_received {
                if cmds.contains(&Cmd::RunChecks) || app.checks_queued() {
                    rt.bench.event.get_or_insert(at);
                }
            }
        }
        if checks_done {
            after_frame = cmds;
            continue;
        }
        for cmd in cmds {
            rt.exec(cmd, &mut app);
        }
    }

    if let Some(mut c) = rt.console.take() {
        c.kill();
    }
    drop(rt.watcher.take());
    tui.leave();
    // What the learner achieved reaches the disk before the process ends.
    rt.progress.finish().await;
    tracing::info!("left after {frames} frames");
    Ok(crate::context::EXIT_OK)
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

impl Runtime {
    fn exec(&mut self, cmd: Cmd, app: &mut App) {
        match cmd {
            Cmd::Quit => {}
            Cmd::RunChecks => {
                if let Some(ev) = self.bench.event.take() {
                    self.bench.in_flight.get_or_insert(ev);
                }
                self.spawn_checks(app);
            }
            Cmd::OpenLesson => self.open_lesson(app),
            Cmd::ConsoleKey(k) => {
                if k.code == crossterm::event::KeyCode::Enter {
                    self.command_entered();
                }
                self.with_console(app, |c| c.send_key(k))
            }
            Cmd::ConsolePaste(t) => {
                if t.contains(['\n', '\r']) {
                    self.command_entered();
                }
                self.with_console(app, |c| c.paste(&t))
            }
            Cmd::ConsoleType(t) => self.with_console(app, |c| c.type_text(&t)),
            Cmd::ConsoleScroll(n) => {
                if let Some(c) = self.console.as_mut() {
                    c.scroll_back(n as isize);
                    app.dirty = true;
                }
            }
            Cmd::ConsoleResize { rows, cols } => {
                if let Some(c) = self.console.as_mut() {
                    c.resize(rows, cols);
                }
            }
            Cmd::ConsoleRestart => match self.console.as_mut() {
                Some(c) => {
                    if let Err(e) = c.restart() {
                        app.console_error = Some(format!("cannot start a shell: {e:#}"));
                    }
                }
                None => self.start_console(app),
            },
            Cmd::RefreshInventory => {
                if let Ok(engine) = self.engine.clone() {
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        match crate::engine::inventory::gather(&engine).await {
                            Ok(inv) => {
                                let _ = tx.send(Msg::Engine(EngineUpdate::Inventory(inv)));
                            }
                            Err(e) => tracing::debug!("inventory after a console command: {e}"),
                        }
                    });
                }
            }
            Cmd::GatherAnatomy {
                request,
                images,
                candidates,
                scan,
            } => {
                if let Ok(engine) = self.engine.clone() {
                    let tx = self.tx.clone();
                    let lesson = app.lesson().id.clone();
                    tokio::spawn(async move {
                        let facts =
                            check::anatomy::gather(&engine, &lesson, &images, &candidates, scan)
                                .await;
                        let _ = tx.send(Msg::AnatomyDone { request, facts });
                    });
                }
            }
            Cmd::SaveResult(r) => {
                if let Some(class) = &self.class {
                    class.send((*r).clone());
                }
                self.progress.save(ProgressWrite::Result(r))
            }
            Cmd::SaveHints { lesson, shown } => {
                self.progress.save(ProgressWrite::Hints { lesson, shown })
            }
        }
    }

    /// Enter went to the console: watch for the shell's return to its prompt.
    fn command_entered(&mut self) {
        self.command_poll_at = Some(Instant::now() + COMMAND_POLL);
    }

    fn with_console(&mut self, app: &mut App, f: impl FnOnce(&mut Console) -> std::io::Result<()>) {
        if let Some(c) = self.console.as_mut() {
            if let Err(e) = f(c) {
                app.flash = Some(crate::ui::text::trf(
                    crate::ui::text::T::FlashConsole,
                    &[("error", &e.to_string())],
                ));
                app.dirty = true;
            }
        }
    }

    /// Copy starter files (never over the learner's edits), start the shell in
    /// the lesson's folder and watch that folder.
    fn open_lesson(&mut self, app: &mut App) {
        let lesson = app.lesson().clone();
        let dir = self.ctx.workspace.lesson_dir(&lesson);
        app.set_console_folder(crate::ui::console::short_path(
            &dir,
            &crate::paths::home_dir(),
        ));
        if let Err(e) = self.ctx.workspace.ensure_starter(&lesson) {
            app.console_error = Some(format!(
                "cannot prepare the lesson folder {}: {e}",
                dir.display()
            ));
            tracing::warn!("ensure_starter: {e}");
        }
        if let Some(mut old) = self.console.take() {
            old.kill();
        }
        self.start_console(app);
        self.watch(&dir);
        app.dirty = true;
    }

    fn start_console(&mut self, app: &mut App) {
        let lesson = app.lesson().clone();
        let dir = self.ctx.workspace.lesson_dir(&lesson);
        let (rows, cols) = app
            .areas()
            .map(|a| {
                let i = a.console_inner();
                (i.height.max(1), i.width.max(1))
            })
            .unwrap_or((24, 80));
        match Console::spawn(&dir, rows, cols, self.console_tx.clone()) {
            Ok(c) => {
                self.console = Some(c);
                app.console_error = None;
            }
            Err(e) => {
                tracing::warn!("cannot start the shell: {e:#}");
                app.console_error =
                    Some(format!("cannot start a shell in {}: {e:#}", dir.display()));
            }
        }
    }

    fn watch(&mut self, dir: &Path) {
        self.watcher = None;
        let tx = self.tx.clone();
        match crate::workspace::watch_folder(dir, move || {
            let _ = tx.send(Msg::FilesChanged);
        }) {
            Ok(w) => self.watcher = Some(w),
            Err(e) => tracing::warn!("cannot watch {}: {e}", dir.display()),
        }
    }

    /// Turn a message of the engine feed into an app message, keeping the
    /// engine handle for check runs.
    fn on_engine(&mut self, em: EngineMsg) -> Option<Msg> {
        Some(Msg::Engine(match em {
            EngineMsg::Connected(c) => {
                let c = *c;
                tracing::info!(endpoint = %c.engine.endpoint.url, "engine connected");
                // Helpers an earlier, killed or cut-off run could not remove
                // (this run's own are never touched).
                let eng = c.engine.clone();
                tokio::spawn(async move {
                    crate::engine::cleanup::sweep_leftovers(&eng).await;
                });
                let update = EngineUpdate::Connected {
                    endpoint: c.engine.endpoint.url.clone(),
                    version: c.engine.version.clone().unwrap_or_else(|| "unknown".into()),
                    platform: c.platform.map(Box::new),
                };
                self.engine = Ok(c.engine);
                update
            }
            EngineMsg::Disconnected(e) => {
                tracing::info!("engine unreachable: {e}");
                let update = unreachable_update(&e);
                self.engine = Err(e);
                update
            }
            EngineMsg::Inventory(inv) => EngineUpdate::Inventory(inv),
            // Taken by the main loop; dropped here it lets the feed go on.
            EngineMsg::Settle(_) => return None,
            EngineMsg::Event {
                kind,
                action,
                name,
                id,
                attributes,
            } => EngineUpdate::Change(self.helpers.change(kind, action, name, id, &attributes)),
        }))
    }

    /// Evaluate the lesson's checks off the main loop.
    fn spawn_checks(&self, app: &App) {
        let pack: Arc<Pack> = app.pack.clone();
        let idx = app.lesson_idx;
        let generation = app.generation;
        let dir: PathBuf = self.ctx.workspace.lesson_dir(app.lesson());
        let tx = self.tx.clone();
        let engine = self.engine.clone();
        let run = tokio::spawn({
            let pack = pack.clone();
            let dir = dir.clone();
            async move {
                let lesson = &pack.lessons[idx];
                let env = CheckEnv {
                    engine: engine.as_ref(),
                    pack: &pack,
                    lesson,
                    lesson_dir: &dir,
                };
                let started = Instant::now();
                let r = check::run_lesson(&env).await;
                tracing::debug!(
                    target: "dockdojo::bench",
                    "check run took {} us",
                    started.elapsed().as_micros()
                );
                r
            }
        });
        // A run that fails outright still ends: its checks say why, and the
        // next change runs them again.
        tokio::spawn(async move {
            let result = match run.await {
                Ok(r) => r,
                Err(e) => {
                    tracing::error!("check run failed: {e}");
                    failed_run(
                        &pack.lessons[idx],
                        &format!("the check run failed ({e}); see the log"),
                    )
                }
            };
            let _ = tx.send(Msg::ChecksDone { generation, result });
        });
    }
}

/// Every check of `lesson` as `error` with `why`.
fn failed_run(lesson: &crate::lesson::Lesson, why: &str) -> check::LessonResult {
    check::LessonResult {
        lesson: lesson.id.clone(),
        passed: false,
        checks: lesson
            .checks
            .iter()
            .map(|c| check::CheckResult {
                id: c.id.clone(),
                title: c.title.clone(),
                status: check::Status::Error,
                expected: String::new(),
                actual: String::new(),
                message: why.to_string(),
                hint: c.hint.clone(),
                why: c.why.clone(),
                duration_ms: 0,
            })
            .collect(),
    }
}

/// When this install joined a class, start sending to it; its state shows
/// in the status bar. A class file that cannot be read is said there too.
fn join_class(
    ctx: &Ctx,
    tx: &UnboundedSender<Msg>,
    app: &mut App,
) -> Option<crate::class::client::Sender> {
    match crate::class::client::membership(&ctx.home) {
        Ok(Some(m)) => {
            app.class_status = Some(crate::ui::status::ClassStatus::Connecting);
            let tx = tx.clone();
            Some(crate::class::client::Sender::spawn(
                ctx.home.clone(),
                m,
                move |outcome| {
                    let _ = tx.send(Msg::Class(outcome));
                },
            ))
        }
        Ok(None) => None,
        Err(e) => {
            app.flash = Some(crate::ui::text::trf(
                crate::ui::text::T::FlashClassFile,
                &[("error", &e.to_string())],
            ));
            None
        }
    }
}

/// Load the code highlighter's grammars off the main loop; the lesson is
/// coloured when they are there.
fn spawn_highlighter_load(tx: UnboundedSender<Msg>) {
    if crate::markdown::is_loaded() {
        return;
    }
    let spawned = std::thread::Builder::new()
        .name("highlighter".into())
        .spawn(move || {
            crate::markdown::warm_up();
            let _ = tx.send(Msg::HighlighterReady);
        });
    if let Err(e) = spawned {
        tracing::warn!("cannot load the highlighter in the background: {e}");
    }
}

/// Terminal input as messages.
fn spawn_input(tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        let mut events = crossterm::event::EventStream::new();
        while let Some(ev) = events.next().await {
            match ev {
                Ok(ev) => {
                    if tx.send(Msg::Term(ev)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    let _ = tx.send(Msg::TermClosed(e.to_string()));
                    break;
                }
            }
        }
    });
}

/// SIGTERM and SIGHUP end the loop cleanly (the terminal is restored, the shell ends).
fn spawn_signals(tx: UnboundedSender<Msg>) {
    use tokio::signal::unix::{signal, SignalKind};
    tokio::spawn(async move {
        let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            tracing::warn!("cannot install signal handlers");
            return;
        };
        let why = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = hup.recv() => "SIGHUP",
        };
        let _ = tx.send(Msg::Quit(why));
    });
}

/// Why the engine cannot be used, and what to do, in the words the learner sees.
pub fn unreachable_update(e: &crate::engine::EngineError) -> EngineUpdate {
    use crate::engine::EngineError as E;
    let (endpoint, reason) = match e {
        E::Unreachable { endpoint, reason } => (endpoint.clone(), short_reason(reason)),
        E::PermissionDenied { endpoint } => (endpoint.clone(), "permission denied".to_string()),
        E::Timeout { endpoint, seconds } => {
            (endpoint.clone(), format!("no answer after {seconds}s"))
        }
        E::Api {
            endpoint, message, ..
        } => (endpoint.clone(), message.clone()),
        other => (String::from("?"), other.to_string()),
    };
    // A Podman socket is started Podman's way.
    let podman = endpoint.contains("podman");
    let advice = match e {
        E::PermissionDenied { .. } if podman => "Use your own Podman socket (systemctl --user start podman.socket, DOCKER_HOST=unix://$XDG_RUNTIME_DIR/podman/podman.sock); dockdojo reconnects by itself.",
        E::PermissionDenied { .. } => "Add yourself to the docker group (sudo usermod -aG docker $USER, log in again); dockdojo reconnects by itself.",
        _ if podman => "Start Podman's service (systemctl --user start podman.socket, or podman machine start) or set DOCKER_HOST; dockdojo reconnects by itself.",
        _ => "Start Docker (sudo systemctl start docker, or open Docker Desktop) or set DOCKER_HOST; dockdojo reconnects by itself.",
    };
    EngineUpdate::Unreachable {
        endpoint: crate::sanitize::clean_line(&endpoint),
        reason: crate::sanitize::clean_line(&reason),
        advice: advice.to_string(),
    }
}

/// The last, most specific part of an error chain ("Connection refused (os error 111)").
fn short_reason(reason: &str) -> String {
    let last = reason.rsplit(": ").next().unwrap_or(reason).trim();
    if last.is_empty() {
        reason.to_string()
    } else {
        last.to_string()
    }
}

/// Logs go to a file under DOCKDOJO_HOME, never to the terminal the TUI owns.
fn init_logging() {
    let path = crate::paths::log_file();
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    else {
        return;
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("DOCKDOJO_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}

/// One write of progress.json.
enum ProgressWrite {
    Result(Box<check::LessonResult>),
    Hints { lesson: String, shown: usize },
}

/// Writes progress on a blocking thread, one write after the other (the
/// file lock and the fsyncs never hold up the main loop), and tells the loop
/// what the file holds afterwards.
struct ProgressWriter {
    tx: Option<UnboundedSender<ProgressWrite>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl ProgressWriter {
    fn spawn(home: PathBuf, msgs: UnboundedSender<Msg>) -> ProgressWriter {
        let (tx, mut rx) = unbounded_channel::<ProgressWrite>();
        let task = tokio::spawn(async move {
            while let Some(w) = rx.recv().await {
                let home = home.clone();
                let done = tokio::task::spawn_blocking(move || {
                    let (written, reload) = match w {
                        ProgressWrite::Result(r) => {
                            (crate::progress::record_result(&home, &r), true)
                        }
                        ProgressWrite::Hints { lesson, shown } => (
                            crate::progress::record_hints_shown(&home, &lesson, shown),
                            false,
                        ),
                    };
                    match written {
                        Err(e) => {
                            tracing::warn!("cannot save progress: {e}");
                            let (p, _) = crate::progress::load_checked(&home);
                            Some((p, Some(format!("cannot save progress: {e}"))))
                        }
                        Ok(()) if reload => Some(crate::progress::load_checked(&home)),
                        Ok(()) => None,
                    }
                })
                .await;
                if let Ok(Some((progress, warning))) = done {
                    let _ = msgs.send(Msg::ProgressSaved {
                        progress: Box::new(progress),
                        warning,
                    });
                }
            }
        });
        ProgressWriter {
            tx: Some(tx),
            task: Some(task),
        }
    }

    fn save(&self, w: ProgressWrite) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(w);
        }
    }

    /// Let the writes already asked for finish (bounded: a stuck disk does
    /// not keep the terminal from being given back for long).
    async fn finish(&mut self) {
        drop(self.tx.take());
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(10), task).await;
        }
    }
}

/// The status bar's line about config.toml's problems: the first, and how
/// many more (`dockdojo doctor` and any other command print them all).
fn config_flash(problems: &[String]) -> Option<String> {
    let first = problems.first()?;
    Some(match problems.len() {
        1 => first.clone(),
        n => format!("{first} (and {} more)", n - 1),
    })
}

#[cfg(test)]
mod tests {
    use super::config_flash;

    #[test]
    fn settings_problems_fit_the_status_line() {
        assert_eq!(config_flash(&[]), None);
        let one = vec!["config.toml:1:9: `theme` is \"auto\", \"light\" or \"dark\"".to_string()];
        assert_eq!(config_flash(&one).as_deref(), Some(one[0].as_str()));
        let two = vec![
            one[0].clone(),
            "config.toml:2:1: unknown setting `foo`".into(),
        ];
        assert_eq!(config_flash(&two), Some(format!("{} (and 1 more)", one[0])));
    }
}
