//! `dockdojo dev verify [LESSON...]`: for each lesson, the checks do not all
//! pass at the start, they all pass after `solution/solve.sh`, and a reset
//! leaves nothing the lesson created.
//!
//! Lessons run side by side (`--jobs`, two by default) where they cannot see
//! each other's work: see [`may_run_together`]. Their output is never
//! interleaved: [`Output`] shows one lesson live at a time, in the order the
//! lessons started, and holds the others' lines until their turn.

use std::collections::{BTreeSet, VecDeque};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::check::{CheckEnv, LessonResult, Status};
use crate::commands::reset::{describe, outcome_lines, target_for};
use crate::commands::{find_lesson, load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_FAIL, EXIT_OK};
use crate::engine::cleanup::{self, ManagedScope};
use crate::engine::platform::Platform;
use crate::engine::{Engine, EngineError};
use crate::lesson::{Lesson, Pack};
use crate::sanitize::clean_line;
use crate::workspace::{safe_join, write_pack_file, Workspace};

/// Default bound on one `solve.sh` run; `DOCKDOJO_SOLVE_TIMEOUT` (seconds) overrides.
const DEFAULT_SOLVE_TIMEOUT: Duration = Duration::from_secs(600);

/// The process groups of the running `solve.sh` scripts, for Ctrl-C.
static SOLVE_GROUPS: Mutex<Vec<i32>> = Mutex::new(Vec::new());

fn solve_groups() -> std::sync::MutexGuard<'static, Vec<i32>> {
    SOLVE_GROUPS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Ctrl-C during `dev verify`: stop every running solve.sh (each one's whole
/// process group) and exit 130, as an interrupted command does.
fn stop_on_ctrl_c() {
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            #[cfg(unix)]
            for g in solve_groups().iter() {
                if let Some(pid) = rustix::process::Pid::from_raw(*g) {
                    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                }
            }
            eprintln!("\ndockdojo: dev verify interrupted; the lessons' objects may still exist (dockdojo reset LESSON removes them)");
            std::process::exit(130);
        }
    });
}

#[derive(Debug)]
enum Verdict {
    /// Every check passed after solve.sh, but those this engine cannot serve
    /// (listed: check id and why).
    Verified(Vec<String>),
    Skipped(Vec<String>),
    Failed(Vec<String>),
}

fn solve_timeout() -> Duration {
    std::env::var("DOCKDOJO_SOLVE_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map(Duration::from_secs)
        .unwrap_or(DEFAULT_SOLVE_TIMEOUT)
}

// ------------------------------------------------------ who runs with whom

/// Does the lesson change only its own, named images? Such a lesson cannot
/// disturb another one, nor be disturbed, unless they name the same image.
/// Anything else (containers, networks, volumes, a platform requirement such
/// as a swarm or a macvlan parent, host ports its solve.sh publishes) touches
/// state the whole engine shares.
fn images_only(l: &Lesson) -> bool {
    l.requires.is_empty()
        && l.creates.containers.is_empty()
        && l.creates.networks.is_empty()
        && l.creates.volumes.is_empty()
}

/// May these two lessons be verified at the same time? Lessons that touch
/// shared engine state run one after the other among themselves; a lesson
/// that builds only its own images runs beside any lesson that names none of
/// them (the first two lessons both build `calc-app-large`, so they do not).
pub fn may_run_together(a: &Lesson, b: &Lesson) -> bool {
    if !images_only(a) && !images_only(b) {
        return false;
    }
    !a.creates.images.iter().any(|x| {
        b.creates
            .images
            .iter()
            .any(|y| crate::engine::image_ref::same(x, y))
    })
}

/// The next lesson to start: the first waiting one (in pack order) that may
/// run beside every running one.
fn next_to_start(lessons: &[&Lesson], waiting: &[usize], running: &[usize]) -> Option<usize> {
    waiting.iter().position(|&w| {
        running
            .iter()
            .all(|&r| may_run_together(lessons[w], lessons[r]))
    })
}

// ------------------------------------------------------------------ output

/// Where the lessons' lines go: the lesson that started first among those
/// not yet printed streams to the sink; the others are held and printed whole
/// when their turn comes, so that output is in start order and never mixed.
struct Output {
    sink: Box<dyn Write + Send>,
    /// Lessons in start order whose output is not all printed yet: each one's
    /// held lines and whether it has finished. The first one streams.
    queue: VecDeque<(usize, Vec<String>, bool)>,
}

impl Output {
    fn new(sink: Box<dyn Write + Send>) -> Self {
        Self {
            sink,
            queue: VecDeque::new(),
        }
    }

    fn start(&mut self, lesson: usize) {
        self.queue.push_back((lesson, Vec::new(), false));
    }

    fn line(&mut self, lesson: usize, text: String) {
        match self.queue.iter().position(|q| q.0 == lesson) {
            Some(i) if i > 0 => self.queue[i].1.push(text),
            _ => {
                let _ = writeln!(self.sink, "{text}");
            }
        }
    }

    fn finish(&mut self, lesson: usize) {
        if let Some(q) = self.queue.iter_mut().find(|q| q.0 == lesson) {
            q.2 = true;
        }
        // Print every finished lesson at the front, then the held lines of
        // the next running one, which streams from now on.
        while let Some((_, lines, done)) = self.queue.front_mut() {
            for l in lines.drain(..) {
                let _ = writeln!(self.sink, "{l}");
            }
            if !*done {
                break;
            }
            self.queue.pop_front();
        }
        let _ = self.sink.flush();
    }
}

/// One lesson's handle on the shared [`Output`].
#[derive(Clone)]
struct Log {
    out: Arc<Mutex<Output>>,
    lesson: usize,
}

impl Log {
    fn line(&self, text: String) {
        self.out
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .line(self.lesson, text);
    }
}

macro_rules! logln {
    ($log:expr, $($t:tt)*) => { $log.line(format!($($t)*)) };
}

// ------------------------------------------------------------------ verify

pub async fn run(ctx: &Ctx, names: &[String], jobs: u16) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let lessons: Vec<&Lesson> = if names.is_empty() {
        pack.lessons.iter().collect()
    } else {
        let mut v = Vec::new();
        for n in names {
            v.push(find_lesson(&pack, n)?);
        }
        v
    };
    outln!(
        "dev verify runs each lesson's solution/solve.sh with bash on this machine, against your \
         Docker engine. A pack can run any command that way: verify only packs you trust."
    );
    let engine = match crate::engine::connect().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("dockdojo: {}", clean_line(&e.to_string()));
            return Ok(EXIT_CANNOT);
        }
    };
    stop_on_ctrl_c();
    // Helpers an earlier, killed or cut-off run could not remove.
    cleanup::sweep_leftovers(&engine).await;
    let platform = match crate::engine::platform::detect(&engine).await {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!(
                "dockdojo: warning: cannot tell the platform ({}); requirements are not checked",
                clean_line(&e.to_string())
            );
            None
        }
    };
    let jobs = usize::from(jobs.max(1));
    if jobs > 1 && lessons.len() > 1 {
        outln!(
            "Up to {jobs} lessons at a time where they share no engine state; each lesson's \
             output is shown whole, in the order they started (--jobs 1: one at a time)."
        );
    }

    let out = Arc::new(Mutex::new(Output::new(Box::new(std::io::stdout()))));
    let mut verdicts: Vec<Option<Verdict>> = lessons.iter().map(|_| None).collect();
    let mut waiting: Vec<usize> = (0..lessons.len()).collect();
    let mut running: Vec<usize> = Vec::new();
    let mut in_flight = FuturesUnordered::new();
    loop {
        while running.len() < jobs {
            let Some(pos) = next_to_start(&lessons, &waiting, &running) else {
                break;
            };
            let i = waiting.remove(pos);
            running.push(i);
            out.lock().unwrap_or_else(PoisonError::into_inner).start(i);
            let log = Log {
                out: out.clone(),
                lesson: i,
            };
            let (pack, engine, platform) = (&pack, &engine, platform.as_ref());
            let lesson = lessons[i];
            in_flight.push(async move {
                let v = verify_one(ctx, engine, pack, lesson, platform, &log).await;
                (i, v)
            });
        }
        let Some((i, verdict)) = in_flight.next().await else {
            break;
        };
        running.retain(|&r| r != i);
        out.lock().unwrap_or_else(PoisonError::into_inner).finish(i);
        verdicts[i] = Some(verdict);
    }

    let verdicts: Vec<(&str, Verdict)> = lessons
        .iter()
        .zip(verdicts)
        .map(|(l, v)| {
            (
                l.id.as_str(),
                v.unwrap_or_else(|| Verdict::Failed(vec!["not run".into()])),
            )
        })
        .collect();
    let verified = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Verified(_)))
        .count();
    let of = |want: fn(&Verdict) -> bool| -> Vec<&str> {
        verdicts
            .iter()
            .filter(|(_, v)| want(v))
            .map(|(id, _)| *id)
            .collect()
    };
    let skipped = of(|v| matches!(v, Verdict::Skipped(_)));
    let failed = of(|v| matches!(v, Verdict::Failed(_)));
    outln!(
        "\nSummary: {verified} of {} lessons verified",
        verdicts.len()
    );
    if !failed.is_empty() {
        outln!("  failed: {}", clean_line(&failed.join(", ")));
    }
    if !skipped.is_empty() {
        outln!(
            "  skipped on this platform (not verified): {}",
            clean_line(&skipped.join(", "))
        );
    }
    // A lesson this platform cannot serve is skipped with its reason, never
    // a failure: exit 0 when no lesson failed.
    Ok(if failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_FAIL
    })
}

/// Verify one lesson (or skip it when the platform cannot serve it) and log
/// its verdict.
async fn verify_one(
    ctx: &Ctx,
    engine: &Engine,
    pack: &Pack,
    lesson: &Lesson,
    platform: Option<&Platform>,
    log: &Log,
) -> Verdict {
    let started = Instant::now();
    logln!(
        log,
        "\n== {} ({})",
        clean_line(&lesson.id),
        clean_line(&lesson.title)
    );
    let unmet = platform
        .map(|p| crate::engine::platform::unmet_requirements(&lesson.requires, p))
        .unwrap_or_default();
    let verdict = if !unmet.is_empty() {
        Verdict::Skipped(unmet)
    } else {
        let v = verify_lesson(ctx, engine, pack, lesson, log).await;
        let was_in_swarm = platform.map(|p| swarm_member(&p.swarm.local_node_state));
        if lesson
            .requires
            .iter()
            .any(|r| r == crate::engine::platform::SWARM)
            && was_in_swarm == Some(false)
        {
            match leave_swarm_made_by_verify(engine).await {
                Ok(false) => v,
                Ok(true) => {
                    logln!(
                        log,
                        "-- left the swarm solve.sh made (the engine was not in one before)"
                    );
                    v
                }
                Err(e) => add_problem(v, e),
            }
        } else {
            v
        }
    };
    let id = clean_line(&lesson.id);
    let secs = started.elapsed().as_secs_f64();
    match &verdict {
        Verdict::Verified(unsupported) if unsupported.is_empty() => {
            logln!(log, "VERIFIED {id} ({secs:.1} s)")
        }
        Verdict::Verified(unsupported) => {
            logln!(
                log,
                "VERIFIED {id} ({secs:.1} s; {} check{} not on this engine):",
                unsupported.len(),
                if unsupported.len() == 1 { "" } else { "s" }
            );
            for w in unsupported {
                logln!(log, "  {}", clean_line(w));
            }
        }
        Verdict::Skipped(why) => {
            logln!(log, "SKIPPED {id} (not verified):");
            for w in why {
                logln!(log, "  {}", clean_line(w));
            }
        }
        Verdict::Failed(why) => {
            logln!(log, "FAILED {id} ({secs:.1} s):");
            for w in why {
                logln!(log, "  {}", clean_line(w));
            }
        }
    }
    verdict
}

/// Is a node in this swarm state part of a swarm (`active`, `pending`,
/// `locked`, `error`), as opposed to `inactive` or unknown?
fn swarm_member(state: &str) -> bool {
    !matches!(state, "" | "inactive")
}

/// The engine was in no swarm before `dev verify` ran a lesson that needs
/// one: leave the swarm its solve.sh made. `Ok(true)` when it left one.
async fn leave_swarm_made_by_verify(engine: &Engine) -> Result<bool, String> {
    let now = crate::engine::platform::detect(engine)
        .await
        .map_err(|e| format!("cannot read the swarm state after verifying: {e}"))?;
    if !swarm_member(&now.swarm.local_node_state) {
        return Ok(false);
    }
    engine
        .docker
        .leave_swarm(Some(bollard::query_parameters::LeaveSwarmOptions { force: true }))
        .await
        .map_err(|e| {
            format!(
                "the engine was in no swarm before dev verify, and leaving the one solve.sh made failed: {}",
                crate::engine::EngineError::from_bollard(&engine.endpoint, e)
            )
        })?;
    Ok(true)
}

fn add_problem(v: Verdict, problem: String) -> Verdict {
    match v {
        Verdict::Failed(mut p) => {
            p.push(problem);
            Verdict::Failed(p)
        }
        _ => Verdict::Failed(vec![problem]),
    }
}

/// Remove the lesson's own objects (its `creates` names and managed objects
/// labelled with its id); returns problems.
async fn clean_lesson(ctx: &Ctx, engine: &Engine, lesson: &Lesson, log: &Log) -> Vec<String> {
    let target = target_for(
        ctx,
        &[lesson],
        ManagedScope::Lessons(BTreeSet::from([lesson.id.clone()])),
    );
    match cleanup::plan(engine, &target).await {
        Ok(plan) if plan.is_empty() => vec![],
        Ok(plan) => {
            let out = cleanup::execute(engine, &plan).await;
            for l in outcome_lines(&out) {
                log.line(l);
            }
            out.failed
                .iter()
                .map(|(p, why)| format!("reset could not remove {}: {why}", describe(p)))
                .collect()
        }
        Err(e) => vec![format!("reset could not list the engine's objects: {e}")],
    }
}

fn log_results(log: &Log, r: &LessonResult) {
    for c in &r.checks {
        logln!(
            log,
            "  {} {}: {}",
            c.status.as_str(),
            clean_line(&c.id),
            clean_line(&c.title)
        );
        if c.status != Status::Pass {
            logln!(log, "      expected: {}", clean_line(&c.expected));
            logln!(log, "      actual:   {}", clean_line(&c.actual));
            if !c.message.is_empty() {
                logln!(log, "      {}", clean_line(&c.message));
            }
        }
    }
}

fn write_files(dir: &Path, files: &[crate::lesson::PackFile]) -> std::io::Result<()> {
    for f in files {
        write_pack_file(&safe_join(dir, &f.rel_path)?, f)?;
    }
    Ok(())
}

async fn verify_lesson(
    ctx: &Ctx,
    engine: &Engine,
    pack: &Pack,
    lesson: &Lesson,
    log: &Log,
) -> Verdict {
    let mut problems = Vec::new();
    if lesson.solve_script().is_none() {
        return Verdict::Failed(vec!["the lesson has no solution/solve.sh".into()]);
    }

    // 1. A clean start: only the lesson's own objects go.
    logln!(log, "-- reset (the lesson's own objects only)");
    let p = clean_lesson(ctx, engine, lesson, log).await;
    if !p.is_empty() {
        return Verdict::Failed(p);
    }

    let tmp = match tempfile::Builder::new()
        .prefix("dockdojo-verify-")
        .tempdir()
    {
        Ok(t) => t,
        Err(e) => return Verdict::Failed(vec![format!("cannot make a temporary folder: {e}")]),
    };
    let ws = Workspace::new(tmp.path().join("workspace"));
    if let Err(e) = ws.ensure_starter(lesson) {
        return Verdict::Failed(vec![format!("cannot copy the starter files: {e}")]);
    }
    let lesson_dir = ws.lesson_dir(lesson);

    // 2. At the start the checks must not all pass.
    logln!(log, "-- checks at the start (they must not all pass)");
    let env = CheckEnv {
        engine: Ok(engine),
        pack,
        lesson,
        lesson_dir: &lesson_dir,
    };
    let start = crate::check::run_lesson(&env).await;
    log_results(log, &start);
    if start.passed || start.checks.iter().all(|c| c.status == Status::Pass) {
        problems.push(
            "every check passes before solve.sh runs: the lesson has nothing to do".to_string(),
        );
    }

    // 3. solve.sh.
    let sol_dir = tmp.path().join("solution");
    if let Err(e) = write_files(&sol_dir, &lesson.solution) {
        return Verdict::Failed(vec![format!("cannot write the solution files: {e}")]);
    }
    logln!(
        log,
        "-- running solution/solve.sh in {} (at most {}s)",
        lesson_dir.display(),
        solve_timeout().as_secs()
    );
    if let Err(e) = run_solve(&lesson.id, &sol_dir, &lesson_dir, solve_timeout(), log).await {
        problems.push(e);
        clean_lesson(ctx, engine, lesson, log).await;
        return Verdict::Failed(problems);
    }

    // 4. After solve.sh every check must pass.
    logln!(log, "-- checks after solve.sh (they must all pass)");
    let after = crate::check::run_lesson(&env).await;
    log_results(log, &after);
    let unsupported: Vec<String> = after
        .checks
        .iter()
        .filter(|c| c.status == Status::Unsupported)
        .map(|c| format!("{}: {}", c.id, c.message))
        .collect();
    let bad: Vec<String> = after
        .checks
        .iter()
        .filter(|c| !matches!(c.status, Status::Pass | Status::Unsupported))
        .map(|c| {
            format!(
                "after solve.sh, check {} is {}: expected {}; actual: {}",
                c.id,
                c.status.as_str(),
                c.expected,
                c.actual
            )
        })
        .collect();
    problems.extend(bad);

    // 5. Reset, then nothing the lesson created may remain.
    logln!(log, "-- reset, then look for leftovers");
    problems.extend(clean_lesson(ctx, engine, lesson, log).await);
    let target = target_for(
        ctx,
        &[lesson],
        ManagedScope::Lessons(BTreeSet::from([lesson.id.clone()])),
    );
    match leftovers_after_reset(engine, &target).await {
        Ok(left) => {
            for p in left.all() {
                problems.push(format!(
                    "still there after reset: {} {}",
                    p.kind.as_str(),
                    describe(p)
                ));
            }
        }
        Err(e) => problems.push(format!("cannot list leftovers: {e}")),
    }
    if problems.is_empty() {
        Verdict::Verified(unsupported)
    } else {
        Verdict::Failed(problems)
    }
}

/// What the lesson left after its reset. A swarm removes overlay networks in
/// the background after `network rm` has answered, so networks that are still
/// listed get a bounded grace period (about 15 s) to disappear before they
/// count as leftovers; anything else counts at once.
async fn leftovers_after_reset(
    engine: &Engine,
    target: &cleanup::Target,
) -> Result<cleanup::Plan, EngineError> {
    let mut delay = Duration::from_millis(100);
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let left = cleanup::plan(engine, target).await?;
        let only_networks = left.containers.is_empty()
            && left.images.is_empty()
            && left.volumes.is_empty()
            && !left.networks.is_empty();
        if !only_networks || std::time::Instant::now() >= deadline {
            return Ok(left);
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(2));
    }
}

/// Run `bash solve.sh` in `cwd` with `DOCKDOJO_SOLUTION_DIR`, logging its
/// output with a prefix, killing its whole process group after `timeout`.
async fn run_solve(
    lesson: &str,
    sol_dir: &Path,
    cwd: &Path,
    timeout: Duration,
    log: &Log,
) -> Result<(), String> {
    let mut cmd = tokio::process::Command::new("bash");
    cmd.arg(sol_dir.join("solve.sh"))
        .current_dir(cwd)
        .env("DOCKDOJO_SOLUTION_DIR", sol_dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true);
    #[cfg(unix)]
    cmd.process_group(0);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run bash (is it installed?): {e}"))?;
    let pid = child.id();
    let group = pid.map(|p| p as i32).unwrap_or(0);
    if group > 0 {
        solve_groups().push(group);
    }
    let prefix = format!("  [{}] ", clean_line(lesson));
    let mut pumps = Vec::new();
    let mut pump = |stream: Option<Box<dyn tokio::io::AsyncRead + Send + Unpin>>| {
        if let Some(s) = stream {
            let (p, log) = (prefix.clone(), log.clone());
            pumps.push(tokio::spawn(async move {
                let mut lines = BufReader::new(s).lines();
                while let Ok(Some(l)) = lines.next_line().await {
                    logln!(log, "{p}{}", clean_line(l.trim_end_matches('\r')));
                }
            }));
        }
    };
    pump(child.stdout.take().map(|s| Box::new(s) as _));
    pump(child.stderr.take().map(|s| Box::new(s) as _));
    let kill_group = || {
        #[cfg(unix)]
        if let Some(pid) = rustix::process::Pid::from_raw(group) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    };
    let forget_group = || solve_groups().retain(|g| *g != group);
    let status = tokio::select! {
        s = child.wait() => s.map_err(|e| format!("solve.sh: {e}"))?,
        _ = tokio::time::sleep(timeout) => {
            kill_group();
            let _ = child.wait().await;
            forget_group();
            return Err(format!(
                "solve.sh did not finish within {}s and was stopped (set DOCKDOJO_SOLVE_TIMEOUT to allow longer)",
                timeout.as_secs()
            ));
        }
    };
    // Children of solve.sh that outlive it would hold the pipes open.
    kill_group();
    forget_group();
    for p in pumps {
        let _ = p.await;
    }
    if status.success() {
        Ok(())
    } else {
        Err(format!("solve.sh failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swarm_membership() {
        assert!(!swarm_member("inactive"));
        assert!(!swarm_member(""));
        for s in ["active", "pending", "locked", "error"] {
            assert!(swarm_member(s), "{s}");
        }
    }

    fn builtin() -> Pack {
        crate::lesson::load(None).expect("the built-in pack loads")
    }

    fn by_id<'a>(p: &'a Pack, prefix: &str) -> &'a Lesson {
        p.lessons
            .iter()
            .find(|l| l.dir_name.starts_with(prefix))
            .unwrap_or_else(|| panic!("no lesson {prefix}"))
    }

    #[test]
    fn who_runs_with_whom_in_the_builtin_pack() {
        let p = builtin();
        let l = |n| by_id(&p, n);
        // both build calc-app-large
        assert!(!may_run_together(l("01"), l("02")));
        // images only, different names
        assert!(may_run_together(l("03"), l("05")));
        // an image lesson beside a network lesson
        assert!(may_run_together(l("04"), l("12")));
        assert!(may_run_together(l("12"), l("04")));
        // containers, networks, ports, a swarm: one after the other
        assert!(!may_run_together(l("11"), l("12")));
        assert!(!may_run_together(l("09"), l("14")));
        assert!(!may_run_together(l("14"), l("15")));
        // the rule is symmetric over the whole pack
        for a in &p.lessons {
            for b in &p.lessons {
                assert_eq!(
                    may_run_together(a, b),
                    may_run_together(b, a),
                    "{} {}",
                    a.id,
                    b.id
                );
            }
        }
    }

    #[test]
    fn the_first_waiting_lesson_that_fits_starts() {
        let p = builtin();
        let lessons: Vec<&Lesson> = p.lessons.iter().collect();
        let idx = |n: &str| {
            lessons
                .iter()
                .position(|l| l.dir_name.starts_with(n))
                .expect("lesson")
        };
        let waiting: Vec<usize> = (0..lessons.len()).collect();
        // nothing runs: the first lesson
        assert_eq!(next_to_start(&lessons, &waiting, &[]), Some(0));
        // 01 runs: 02 shares its image, so 03 is next
        let w: Vec<usize> = waiting[1..].to_vec();
        assert_eq!(
            next_to_start(&lessons, &w, &[idx("01")]).map(|i| w[i]),
            Some(idx("03"))
        );
        // 11 runs and only network lessons wait: none may start
        let w = vec![idx("12"), idx("13")];
        assert_eq!(next_to_start(&lessons, &w, &[idx("11")]), None);
    }

    /// A sink the test can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);
    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Shared {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().expect("lock").clone()).expect("utf-8")
        }
    }

    #[test]
    fn output_is_in_start_order_and_never_mixed() {
        let sink = Shared::default();
        let mut o = Output::new(Box::new(sink.clone()));
        o.start(1);
        o.start(2);
        o.line(1, "a1".into());
        o.line(2, "b1".into());
        // the first lesson streams, the second is held
        assert_eq!(sink.text(), "a1\n");
        o.start(3);
        o.line(3, "c1".into());
        // the third finishes before the second: still held
        o.finish(3);
        assert_eq!(sink.text(), "a1\n");
        o.line(2, "b2".into());
        o.line(1, "a2".into());
        o.finish(1);
        // the second's held lines come out, and it streams from now on
        assert_eq!(sink.text(), "a1\na2\nb1\nb2\n");
        o.line(2, "b3".into());
        assert_eq!(sink.text(), "a1\na2\nb1\nb2\nb3\n");
        o.finish(2);
        // then the third, which had finished, whole
        assert_eq!(sink.text(), "a1\na2\nb1\nb2\nb3\nc1\n");
        assert!(o.queue.is_empty());
    }
}
