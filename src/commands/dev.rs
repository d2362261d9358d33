//! `dockdojo dev`: tools for lesson authors.
//!
//! `dev new NAME` scaffolds a lesson folder that passes `lint`.
//! `dev verify [LESSON...]` proves, for each lesson, that the checks do not
//! all pass at the start, that they all pass after `solution/solve.sh`, and
//! that a reset leaves nothing the lesson created.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

use super::reset::{describe, print_outcome, target_for};
use super::{find_lesson, load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_FAIL, EXIT_OK};
use crate::check::{CheckEnv, LessonResult, Status};
use crate::cli::DevCommand;
use crate::engine::cleanup::{self, ManagedScope};
use crate::engine::{Engine, EngineError};
use crate::lesson::{Lesson, Pack};
use crate::sanitize::clean_line;
use crate::workspace::{safe_join, write_pack_file, Workspace};

/// The process group of the running `solve.sh` (0: none), for Ctrl-C.
static SOLVE_GROUP: AtomicI32 = AtomicI32::new(0);

/// Ctrl-C during `dev verify`: stop a running solve.sh (its whole process
/// group) and exit 130, as an interrupted command does.
fn stop_on_ctrl_c() {
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            #[cfg(unix)]
            {
                let g = SOLVE_GROUP.load(Ordering::SeqCst);
                if let Some(pid) = rustix::process::Pid::from_raw(g) {
                    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                }
            }
            eprintln!("\ndockdojo: dev verify interrupted; the lesson's objects may still exist (dockdojo reset LESSON removes them)");
            std::process::exit(130);
        }
    });
}

/// Default bound on one `solve.sh` run; `DOCKDOJO_SOLVE_TIMEOUT` (seconds) overrides.
pub const DEFAULT_SOLVE_TIMEOUT: Duration = Duration::from_secs(600);

pub async fn run(ctx: &Ctx, cmd: DevCommand) -> anyhow::Result<i32> {
    match cmd {
        DevCommand::New { name } => new(ctx, &name),
        DevCommand::Verify { lessons } => verify(ctx, &lessons).await,
        DevCommand::Setups { update } => setups(ctx, update.as_deref()),
    }
}

// ------------------------------------------------------------- dev setups

/// Print the lesson × setup table, or write it between the markers of `update`.
fn setups(ctx: &Ctx, update: Option<&Path>) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let Some(file) = update else {
        outln!("{}", crate::class::setups::table(&pack).trim_end());
        return Ok(EXIT_OK);
    };
    let doc = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    match crate::class::setups::replace_section(&doc, &pack) {
        Some(new) if new == doc => outln!("{} is up to date", file.display()),
        Some(new) => {
            std::fs::write(file, new)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", file.display()))?;
            outln!("updated the table in {}", file.display());
        }
        None => {
            eprintln!(
                "dockdojo: {} has no table markers; put these two lines where the table goes:\n{}\n{}",
                file.display(),
                crate::class::setups::BEGIN,
                crate::class::setups::END
            );
            return Ok(EXIT_CANNOT);
        }
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------- dev new

/// Split `13-my-lesson` into (Some(13), "my-lesson"); `my-lesson` into (None, ...).
fn parse_name(name: &str) -> Result<(Option<(u32, usize)>, String), String> {
    let (num, slug) = match name.split_once('-') {
        Some((n, rest)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            let v: u32 = n
                .parse()
                .map_err(|_| format!("`{n}` is not a lesson number"))?;
            (Some((v, n.len())), rest.to_string())
        }
        _ => (None, name.to_string()),
    };
    let ok = !slug.is_empty()
        && slug.len() <= 60
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if !ok {
        return Err(format!(
            "`{}` is not a usable lesson name: use lowercase letters, digits and dashes, e.g. `my-lesson` or `13-my-lesson`",
            clean_line(name)
        ));
    }
    Ok((num, slug))
}

fn title_of(slug: &str) -> String {
    let words: Vec<String> = slug
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| w.to_string())
        .collect();
    let mut t = words.join(" ");
    if let Some(first) = t.get(..1) {
        t = first.to_uppercase() + &t[1..];
    }
    t
}

/// The files of a new lesson, relative to its folder.
pub fn scaffold(slug: &str) -> Vec<(PathBuf, String, bool)> {
    let title = title_of(slug);
    let image = format!("{slug}-app");
    let lesson_md = format!(
        r#"+++
id = "{slug}"
title = "{title}"
summary = "One sentence: what the learner builds and why it matters."
images = ["busybox:1.36"]
requires = []
creates = {{ images = ["{image}"], containers = [], networks = [] }}
hints = [
  "A nudge: what should the learner look at first?",
  "Nearly the answer: a Dockerfile with two FROM lines, the second copying from the first.",
]

[[check]]
id = "built"
title = "{image} exists"
kind = "image.exists"
image = "{image}"
why = "Say in one line why this matters."
hint = "Build it from this folder: docker build -t {image} ."

[[check]]
id = "stages"
title = "the Dockerfile has a build stage and a final stage"
kind = "dockerfile.stages"
min = 2
hint = "Add a second FROM line and COPY --from the first stage."

[[check]]
id = "runs"
title = "{image} prints its message"
kind = "image.run"
image = "{image}"
stdout_contains = "hello from {slug}"
needs = ["built"]
+++
# {title}

Write the lesson here: what the learner should understand, then what to do.
The console opens in this lesson's folder, where `Dockerfile` from `starter/`
waits.

```bash
docker build -t {image} .
docker run --rm {image}
```

The checks on the left turn green when the image is built from a Dockerfile
with two stages and prints its message.
"#
    );
    let starter = format!("FROM busybox:1.36\nCMD [\"echo\", \"hello from {slug}\"]\n");
    let solution = format!(
        "FROM busybox:1.36 AS build\nRUN echo \"hello from {slug}\" > /message\n\n\
         FROM busybox:1.36\nCOPY --from=build /message /message\nCMD [\"cat\", \"/message\"]\n"
    );
    let solve = format!(
        "#!/usr/bin/env bash\n\
         # Runs in the lesson's workspace folder (where the starter files are);\n\
         # DOCKDOJO_SOLUTION_DIR holds the files of solution/.\n\
         set -euo pipefail\n\
         cp \"$DOCKDOJO_SOLUTION_DIR/Dockerfile\" ./Dockerfile\n\
         docker build -t {image} .\n"
    );
    vec![
        (PathBuf::from("lesson.md"), lesson_md, false),
        (PathBuf::from("starter/Dockerfile"), starter, false),
        (PathBuf::from("solution/Dockerfile"), solution, false),
        (PathBuf::from("solution/solve.sh"), solve, true),
    ]
}

fn new(ctx: &Ctx, name: &str) -> anyhow::Result<i32> {
    let (num, slug) = match parse_name(name) {
        Ok(v) => v,
        Err(msg) => {
            eprintln!("dockdojo: {msg}");
            return Ok(EXIT_CANNOT);
        }
    };
    let pack_dir = ctx
        .global
        .lessons
        .clone()
        .unwrap_or_else(|| PathBuf::from("lessons"));
    std::fs::create_dir_all(&pack_dir)?;
    let mut max_num = 0u32;
    let mut width = 2usize;
    for entry in std::fs::read_dir(&pack_dir)?.flatten() {
        let fname = entry.file_name().to_string_lossy().to_string();
        if let Some((n, rest)) = fname.split_once('-') {
            if let Ok(v) = n.parse::<u32>() {
                max_num = max_num.max(v);
                width = width.max(n.len());
                if rest == slug {
                    eprintln!(
                        "dockdojo: a lesson named {slug} already exists: {}",
                        entry.path().display()
                    );
                    return Ok(EXIT_CANNOT);
                }
            }
        }
    }
    let (number, width) = num.unwrap_or((max_num + 1, width));
    let folder = format!("{number:0width$}-{slug}");
    let dir = pack_dir.join(&folder);
    if dir.exists() {
        eprintln!(
            "dockdojo: {} already exists; nothing was written",
            dir.display()
        );
        return Ok(EXIT_CANNOT);
    }
    let manifest = pack_dir.join("pack.toml");
    if !manifest.exists() {
        std::fs::write(
            &manifest,
            "format_version = 1\ntitle = \"My lessons\"\nprobe_image = \"busybox:1.36\"\n",
        )?;
        outln!("created {} (a new pack)", manifest.display());
    }
    for (rel, text, exec) in scaffold(&slug) {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        #[cfg(unix)]
        if exec {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
        }
        #[cfg(not(unix))]
        let _ = exec;
        outln!("created {}", path.display());
    }
    outln!(
        "\nNext: edit {0}/lesson.md, then\n  dockdojo lint {1}\n  dockdojo dev verify {slug} --lessons {1}",
        dir.display(),
        pack_dir.display()
    );
    Ok(EXIT_OK)
}

// ------------------------------------------------------------- dev verify

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

async fn verify(ctx: &Ctx, names: &[String]) -> anyhow::Result<i32> {
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
    let mut verdicts = Vec::new();
    for lesson in &lessons {
        outln!(
            "\n== {} ({})",
            clean_line(&lesson.id),
            clean_line(&lesson.title)
        );
        let unmet = platform
            .as_ref()
            .map(|p| crate::engine::platform::unmet_requirements(&lesson.requires, p))
            .unwrap_or_default();
        let verdict = if !unmet.is_empty() {
            Verdict::Skipped(unmet)
        } else {
            let v = verify_lesson(ctx, &engine, &pack, lesson).await;
            let was_in_swarm = platform
                .as_ref()
                .map(|p| swarm_member(&p.swarm.local_node_state));
            if lesson
                .requires
                .iter()
                .any(|r| r == crate::engine::platform::SWARM)
                && was_in_swarm == Some(false)
            {
                match leave_swarm_made_by_verify(&engine).await {
                    Ok(false) => v,
                    Ok(true) => {
                        outln!(
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
        match &verdict {
            Verdict::Verified(unsupported) if unsupported.is_empty() => {
                outln!("VERIFIED {}", clean_line(&lesson.id))
            }
            Verdict::Verified(unsupported) => {
                outln!(
                    "VERIFIED {} ({} check{} not on this engine):",
                    clean_line(&lesson.id),
                    unsupported.len(),
                    if unsupported.len() == 1 { "" } else { "s" }
                );
                for w in unsupported {
                    outln!("  {}", clean_line(w));
                }
            }
            Verdict::Skipped(why) => {
                outln!("SKIPPED {} (not verified):", clean_line(&lesson.id));
                for w in why {
                    outln!("  {}", clean_line(w));
                }
            }
            Verdict::Failed(why) => {
                outln!("FAILED {}:", clean_line(&lesson.id));
                for w in why {
                    outln!("  {}", clean_line(w));
                }
            }
        }
        verdicts.push((lesson.id.clone(), verdict));
    }
    let verified = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Verified(_)))
        .count();
    let skipped: Vec<&str> = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Skipped(_)))
        .map(|(id, _)| id.as_str())
        .collect();
    let failed: Vec<&str> = verdicts
        .iter()
        .filter(|(_, v)| matches!(v, Verdict::Failed(_)))
        .map(|(id, _)| id.as_str())
        .collect();
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
async fn clean_lesson(ctx: &Ctx, engine: &Engine, lesson: &Lesson) -> Vec<String> {
    let target = target_for(
        ctx,
        &[lesson],
        ManagedScope::Lessons(BTreeSet::from([lesson.id.clone()])),
    );
    match cleanup::plan(engine, &target).await {
        Ok(plan) if plan.is_empty() => vec![],
        Ok(plan) => {
            let out = cleanup::execute(engine, &plan).await;
            print_outcome(&out);
            out.failed
                .iter()
                .map(|(p, why)| format!("reset could not remove {}: {why}", describe(p)))
                .collect()
        }
        Err(e) => vec![format!("reset could not list the engine's objects: {e}")],
    }
}

fn print_results(r: &LessonResult, only_bad: bool) {
    for c in &r.checks {
        if only_bad && c.status == Status::Pass {
            continue;
        }
        outln!(
            "  {} {}: {}",
            c.status.as_str(),
            clean_line(&c.id),
            clean_line(&c.title)
        );
        if c.status != Status::Pass {
            outln!("      expected: {}", clean_line(&c.expected));
            outln!("      actual:   {}", clean_line(&c.actual));
            if !c.message.is_empty() {
                outln!("      {}", clean_line(&c.message));
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

async fn verify_lesson(ctx: &Ctx, engine: &Engine, pack: &Pack, lesson: &Lesson) -> Verdict {
    let mut problems = Vec::new();
    if lesson.solve_script().is_none() {
        return Verdict::Failed(vec!["the lesson has no solution/solve.sh".into()]);
    }

    // 1. A clean start: only the lesson's own objects go.
    outln!("-- reset (the lesson's own objects only)");
    let p = clean_lesson(ctx, engine, lesson).await;
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
    outln!("-- checks at the start (they must not all pass)");
    let start = crate::check::run_lesson(&CheckEnv {
        engine: Ok(engine),
        pack,
        lesson,
        lesson_dir: &lesson_dir,
    })
    .await;
    print_results(&start, false);
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
    outln!(
        "-- running solution/solve.sh in {} (at most {}s)",
        lesson_dir.display(),
        solve_timeout().as_secs()
    );
    if let Err(e) = run_solve(&lesson.id, &sol_dir, &lesson_dir, solve_timeout()).await {
        problems.push(e);
        clean_lesson(ctx, engine, lesson).await;
        return Verdict::Failed(problems);
    }

    // 4. After solve.sh every check must pass.
    outln!("-- checks after solve.sh (they must all pass)");
    let after = crate::check::run_lesson(&CheckEnv {
        engine: Ok(engine),
        pack,
        lesson,
        lesson_dir: &lesson_dir,
    })
    .await;
    print_results(&after, false);
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
    outln!("-- reset, then look for leftovers");
    problems.extend(clean_lesson(ctx, engine, lesson).await);
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

/// Run `bash solve.sh` in `cwd` with `DOCKDOJO_SOLUTION_DIR`, streaming its
/// output with a prefix, killing its whole process group after `timeout`.
async fn run_solve(
    lesson: &str,
    sol_dir: &Path,
    cwd: &Path,
    timeout: Duration,
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
    SOLVE_GROUP.store(pid.map(|p| p as i32).unwrap_or(0), Ordering::SeqCst);
    let prefix = format!("  [{}] ", clean_line(lesson));
    let mut pumps = Vec::new();
    if let Some(out) = child.stdout.take() {
        let p = prefix.clone();
        pumps.push(tokio::spawn(async move {
            let mut lines = BufReader::new(out).lines();
            while let Ok(Some(l)) = lines.next_line().await {
                outln!("{p}{}", clean_line(l.trim_end_matches('\r')));
            }
        }));
    }
    if let Some(err) = child.stderr.take() {
        let p = prefix.clone();
        pumps.push(tokio::spawn(async move {
            let mut lines = BufReader::new(err).lines();
            while let Ok(Some(l)) = lines.next_line().await {
                outln!("{p}{}", clean_line(l.trim_end_matches('\r')));
            }
        }));
    }
    let kill_group = || {
        #[cfg(unix)]
        if let Some(pid) = pid.and_then(|p| rustix::process::Pid::from_raw(p as i32)) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    };
    let status = tokio::select! {
        s = child.wait() => s.map_err(|e| format!("solve.sh: {e}"))?,
        _ = tokio::time::sleep(timeout) => {
            kill_group();
            let _ = child.wait().await;
            SOLVE_GROUP.store(0, Ordering::SeqCst);
            return Err(format!(
                "solve.sh did not finish within {}s and was stopped (set DOCKDOJO_SOLVE_TIMEOUT to allow longer)",
                timeout.as_secs()
            ));
        }
    };
    // Children of solve.sh that outlive it would hold the pipes open.
    kill_group();
    SOLVE_GROUP.store(0, Ordering::SeqCst);
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

    #[test]
    fn names() {
        assert_eq!(
            parse_name("my-lesson").expect("ok"),
            (None, "my-lesson".into())
        );
        assert_eq!(
            parse_name("13-my-lesson").expect("ok"),
            (Some((13, 2)), "my-lesson".into())
        );
        assert!(parse_name("My Lesson").is_err());
        assert!(parse_name("../x").is_err());
        assert!(parse_name("x-").is_err());
        assert!(parse_name("").is_err());
        assert_eq!(title_of("my-first-lesson"), "My first lesson");
    }

    #[test]
    fn scaffold_has_every_part() {
        let files = scaffold("demo");
        let names: Vec<String> = files.iter().map(|f| f.0.display().to_string()).collect();
        assert_eq!(
            names,
            [
                "lesson.md",
                "starter/Dockerfile",
                "solution/Dockerfile",
                "solution/solve.sh"
            ]
        );
        assert!(files[0].1.contains("creates = { images = [\"demo-app\"]"));
        assert!(files[3].1.contains("DOCKDOJO_SOLUTION_DIR"));
        assert!(files[3].2, "solve.sh is executable");
    }
}
