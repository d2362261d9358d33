//! `dockdojo check [LESSON...|--all] [--json] [--junit FILE]`.

use std::io::IsTerminal;
use std::path::Path;

use super::{find_lesson, load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_FAIL, EXIT_OK};
use crate::check::{self, CheckEnv, CheckResult, LessonResult, Status};
use crate::lesson::{Lesson, Pack};
use crate::sanitize::{clean, clean_line};
use crate::theme::Theme;

pub async fn run(ctx: &Ctx, args: crate::cli::CheckArgs) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let lessons: Vec<&Lesson> = if args.all {
        pack.lessons.iter().collect()
    } else if args.lessons.is_empty() {
        match lesson_from_cwd(ctx, &pack) {
            Some(l) => vec![l],
            None => {
                let ids: Vec<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
                eprintln!(
                    "dockdojo: say which lesson to check (`dockdojo check LESSON`) or use --all; lessons are: {}",
                    clean_line(&ids.join(", "))
                );
                return Ok(EXIT_CANNOT);
            }
        }
    } else {
        let mut v = Vec::new();
        for name in &args.lessons {
            match find_lesson(&pack, name) {
                Ok(l) => v.push(l),
                Err(e) => {
                    eprintln!("dockdojo: {}", clean(&format!("{e:#}")));
                    return Ok(EXIT_CANNOT);
                }
            }
        }
        v
    };

    for l in &lessons {
        let dir = ctx.workspace.lesson_dir(l);
        if !dir.exists() {
            if let Err(e) = ctx.workspace.ensure_starter(l) {
                eprintln!(
                    "dockdojo: warning: could not copy the starter files to {}: {e}",
                    clean_line(&dir.display().to_string())
                );
            }
        }
    }

    let needs_engine = lessons
        .iter()
        .any(|l| l.checks.iter().any(|c| !c.kind.is_offline()));
    let engine = if needs_engine {
        // The fact cache file is opened while the engine answers (its first
        // look-up waits for the open if it is not done by then).
        drop(tokio::task::spawn_blocking(|| {
            if let Some(c) = crate::check::cache::installed() {
                c.open_now();
            }
        }));
        Some(crate::engine::connect_quick().await)
    } else {
        None
    };
    // Helpers an earlier, killed or cut-off run could not remove: swept while
    // the checks run (the sweep never touches this process's own helpers).
    let sweep = async {
        if let Some(Ok(e)) = &engine {
            crate::engine::cleanup::sweep_leftovers(e).await;
        }
    };
    let mut unreachable = false;
    if let Some(Err(e)) = &engine {
        eprintln!("dockdojo: {}", clean(&e.to_string()));
        unreachable = true;
    }

    let run_all = async {
        let mut results = Vec::new();
        for l in &lessons {
            let dir = ctx.workspace.lesson_dir(l);
            let env = CheckEnv {
                engine: match &engine {
                    Some(Ok(e)) => Ok(e),
                    Some(Err(e)) => Err(e),
                    None => Err(&NO_ENGINE_NEEDED),
                },
                pack: &pack,
                lesson: l,
                lesson_dir: &dir,
            };
            let r = check::run_lesson(&env).await;
            if let Err(e) = crate::progress::record_result(&ctx.home, &r) {
                eprintln!(
                    "dockdojo: warning: could not record the result of {}: {e}",
                    clean_line(&r.lesson)
                );
            }
            results.push(r);
        }
        results
    };
    let ((), results) = tokio::join!(sweep, run_all);

    if args.json {
        let text = if results.len() == 1 && args.lessons.len() <= 1 && !args.all {
            serde_json::to_string_pretty(&results[0])?
        } else {
            serde_json::to_string_pretty(&results)?
        };
        print_stdout(&format!("{text}\n"));
    } else {
        let color = (std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            .then(|| ctx.theme().0);
        let titles: Vec<&str> = lessons.iter().map(|l| l.title.as_str()).collect();
        print_stdout(&render_human(&results, &titles, color.as_ref()));
    }
    send_to_class(ctx, &results).await;

    if let Some(file) = &args.junit {
        if let Err(e) = write_junit(file, &results) {
            eprintln!(
                "dockdojo: could not write JUnit XML to {}: {e}",
                clean_line(&file.display().to_string())
            );
            return Ok(EXIT_CANNOT);
        }
    }
    Ok(exit_status(&results, unreachable))
}

/// When this install joined a class, send it the results that could be
/// evaluated (a run the engine could not serve would hide a real status),
/// within a short time bound; never fails the check. One line on stderr.
async fn send_to_class(ctx: &Ctx, results: &[LessonResult]) {
    let m = match crate::class::client::membership(&ctx.home) {
        Ok(Some(m)) => m,
        Ok(None) => return,
        Err(e) => {
            eprintln!(
                "class: cannot read the class file: {}",
                clean_line(&e.to_string())
            );
            return;
        }
    };
    let evaluated: Vec<LessonResult> = results
        .iter()
        .filter(|r| r.evaluated_any())
        .cloned()
        .collect();
    let outcome = crate::class::client::send_or_queue(&ctx.home, &m, &evaluated).await;
    eprintln!(
        "{}",
        clean_line(&crate::class::client::outcome_line(&outcome))
    );
}

/// Print to stdout; a closed pipe (`| head`) is not an error worth a panic.
pub(crate) fn print_stdout(s: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes()).and_then(|_| out.flush());
}

/// Never shown: an engine is not connected when no check needs one.
static NO_ENGINE_NEEDED: crate::engine::EngineError =
    crate::engine::EngineError::Config(String::new());

/// The lesson whose workspace folder holds the current directory.
fn lesson_from_cwd<'p>(ctx: &Ctx, pack: &'p Pack) -> Option<&'p Lesson> {
    let cwd = std::env::current_dir().ok()?;
    let cwd = cwd.canonicalize().unwrap_or(cwd);
    pack.lessons.iter().find(|l| {
        let d = ctx.workspace.lesson_dir(l);
        let d = d.canonicalize().unwrap_or(d);
        cwd.starts_with(&d)
    })
}

/// 0 all pass, 1 some fail, 2 nothing could be evaluated.
pub fn exit_status(results: &[LessonResult], engine_unreachable: bool) -> i32 {
    let all: Vec<&CheckResult> = results.iter().flat_map(|r| r.checks.iter()).collect();
    if engine_unreachable {
        return EXIT_CANNOT;
    }
    if all.iter().all(|c| c.status == Status::Pass) {
        return EXIT_OK;
    }
    if !all.is_empty() && all.iter().all(|c| c.status == Status::Error) {
        return EXIT_CANNOT;
    }
    EXIT_FAIL
}

fn paint(s: &str, code: &str, color: bool) -> String {
    if color && !code.is_empty() {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// The human report: one line per check, details under failures.
/// `color`: the palette when colour is written.
pub fn render_human(results: &[LessonResult], titles: &[&str], color: Option<&Theme>) -> String {
    let t = color.copied().unwrap_or_default();
    let color = color.is_some();
    let mut out = String::new();
    for (i, r) in results.iter().enumerate() {
        let title = titles.get(i).copied().unwrap_or("");
        out.push_str(&paint(
            &format!("{} — {}", clean_line(&r.lesson), clean_line(title)),
            "1",
            color,
        ));
        out.push('\n');
        let mut last_error: Option<String> = None;
        for c in &r.checks {
            let p = t.palette;
            let (mark, code) = match c.status {
                Status::Pass => ("✔", t.sgr(p.pass)),
                Status::Fail => ("✘", t.sgr(p.fail)),
                Status::Error => ("!", t.sgr(p.warn)),
                Status::Skipped => ("-", t.sgr(p.dim)),
                Status::Unsupported => ("~", t.sgr(p.dim)),
            };
            out.push_str(&format!(
                "  {} {}\n",
                paint(mark, &code, color),
                clean_line(&c.title)
            ));
            match c.status {
                Status::Pass => {}
                Status::Fail => {
                    out.push_str(&format!("      expected: {}\n", clean_line(&c.expected)));
                    out.push_str(&format!("      actual:   {}\n", clean_line(&c.actual)));
                    out.push_str(&format!("      {}\n", clean_line(&c.message)));
                    if let Some(h) = &c.hint {
                        out.push_str(&format!("      hint: {}\n", clean_line(h)));
                    }
                }
                Status::Error => {
                    if last_error.as_deref() == Some(c.message.as_str()) {
                        out.push_str("      could not check: same reason as above\n");
                    } else {
                        out.push_str(&format!(
                            "      could not check: {}\n",
                            clean_line(&c.message)
                        ));
                        last_error = Some(c.message.clone());
                    }
                }
                Status::Skipped | Status::Unsupported => {
                    out.push_str(&format!("      {}\n", clean_line(&c.message)));
                }
            }
        }
        let pass = r.checks.iter().filter(|c| c.status == Status::Pass).count();
        out.push_str(&format!("  {pass} of {} checks pass.\n", r.checks.len()));
        if i + 1 < results.len() {
            out.push('\n');
        }
    }
    out
}

/// XML escaping (see [`crate::check::junit::escape`]).
pub fn xml_escape(s: &str) -> String {
    crate::check::junit::escape(s)
}

/// JUnit XML of check results ([`crate::check::junit`]).
pub fn junit_xml(results: &[LessonResult]) -> String {
    let suites: Vec<crate::check::junit::Suite<'_>> =
        results.iter().map(crate::check::junit::Suite::of).collect();
    crate::check::junit::xml(&suites, &[], None)
}

fn write_junit(file: &Path, results: &[LessonResult]) -> std::io::Result<()> {
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(file, junit_xml(results))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(id: &str, status: Status) -> CheckResult {
        CheckResult {
            id: id.into(),
            title: format!("title <{id}>"),
            status,
            expected: "at most 20 MB".into(),
            actual: "462.3 MB (unpacked)".into(),
            message: "calc-app-small is 462.3 MB; the goal is at most 20 MB.".into(),
            hint: Some("use \"scratch\" & COPY --from".into()),
            why: None,
            duration_ms: 3,
        }
    }

    fn lesson(checks: Vec<CheckResult>) -> LessonResult {
        LessonResult {
            lesson: "multi-stage".into(),
            passed: checks.iter().all(|c| c.status == Status::Pass),
            checks,
        }
    }

    #[test]
    fn exit_status_follows_the_contract() {
        assert_eq!(
            exit_status(&[lesson(vec![res("a", Status::Pass)])], false),
            0
        );
        assert_eq!(
            exit_status(
                &[lesson(vec![res("a", Status::Pass), res("b", Status::Fail)])],
                false
            ),
            1
        );
        assert_eq!(
            exit_status(&[lesson(vec![res("a", Status::Error)])], false),
            2
        );
        assert_eq!(
            exit_status(&[lesson(vec![res("a", Status::Pass)])], true),
            2
        );
        assert_eq!(
            exit_status(
                &[lesson(vec![
                    res("a", Status::Pass),
                    res("b", Status::Skipped)
                ])],
                false
            ),
            1
        );
    }

    #[test]
    fn human_output_shows_expected_actual_and_hint_for_failures() {
        let out = render_human(
            &[lesson(vec![
                res("a", Status::Pass),
                res("b", Status::Fail),
                res("c", Status::Error),
            ])],
            &["Multi-stage builds"],
            None,
        );
        assert!(out.contains("✔ title <a>"), "{out}");
        assert!(
            out.contains("✘ title <b>\n      expected: at most 20 MB\n      actual:   462.3 MB"),
            "{out}"
        );
        assert!(out.contains("hint: use \"scratch\""), "{out}");
        assert!(
            out.contains("! title <c>\n      could not check: calc-app-small"),
            "{out}"
        );
        let twice = render_human(
            &[lesson(vec![
                res("a", Status::Error),
                res("b", Status::Error),
            ])],
            &["t"],
            None,
        );
        assert!(
            twice.contains("! title <b>\n      could not check: same reason as above"),
            "{twice}"
        );
        assert!(out.contains("1 of 3 checks pass."), "{out}");
        assert!(!out.contains('\x1b'));
        let light = Theme::light();
        let colored = render_human(
            &[lesson(vec![res("a", Status::Pass)])],
            &["t"],
            Some(&light),
        );
        assert!(
            colored.contains("\x1b[38;2;26;110;46m✔\x1b[0m"),
            "{colored}"
        );
    }

    #[test]
    fn junit_is_escaped_and_counts_statuses() {
        let x = junit_xml(&[lesson(vec![
            res("a", Status::Pass),
            res("b", Status::Fail),
            res("c", Status::Error),
            res("d", Status::Skipped),
        ])]);
        assert!(x.contains("<testsuite name=\"multi-stage\" tests=\"4\" failures=\"1\" errors=\"1\" skipped=\"1\""), "{x}");
        assert!(
            x.contains("<testcase classname=\"multi-stage\" name=\"a: title &lt;a&gt;\""),
            "{x}"
        );
        assert!(x.contains("<failure message=\"calc-app-small is 462.3 MB; the goal is at most 20 MB. (expected: at most 20 MB; actual: 462.3 MB (unpacked))\""), "{x}");
        assert!(
            x.contains("hint: use &quot;scratch&quot; &amp; COPY --from</failure>"),
            "{x}"
        );
        assert!(x.contains("<error message="));
        assert!(x.contains("<skipped message="));
        assert_eq!(xml_escape("a\u{1b}[1mb"), "a\u{fffd}[1mb");
    }
}
