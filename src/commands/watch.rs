//! `dockdojo watch [LESSON]`: the course as plain lines, for a screen reader,
//! a terminal beside an editor, or a tmux split. The lesson is printed once;
//! then one complete sentence per check each time a check changes, from the
//! same engine events, relevance rule and file watching as the TUI. No cursor
//! movement ever; colour only on a terminal without NO_COLOR. Keys are typed
//! on their own line: `h` next hint, `n` next lesson, `q` quit.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::sync::Arc;

use tokio::io::AsyncBufReadExt;
use tokio::sync::mpsc;

use super::{Ctx, EXIT_OK};
use crate::check::{self, CheckEnv, CheckResult, LessonResult, Status};
use crate::engine::events::EngineMsg;
use crate::event::EngineUpdate;
use crate::lesson::Lesson;
use crate::sanitize::clean_line;
use crate::theme::{Palette, Rgb, Theme};
use crate::ui::text::{tr, trf, T};

/// One line a learner reads for a check: the status word, the title, and on
/// a fail what was expected, what was found and what to try.
/// `color`: the palette when colour is written (a terminal without NO_COLOR).
pub fn check_line(c: &CheckResult, color: Option<&Theme>) -> String {
    let (word, rgb): (_, fn(&Palette) -> Rgb) = match c.status {
        Status::Pass => (tr(T::WatchPass), |p| p.pass),
        Status::Fail => (tr(T::WatchFail), |p| p.fail),
        Status::Error => (tr(T::WatchError), |p| p.warn),
        Status::Skipped => (tr(T::WatchSkipped), |p| p.dim),
        Status::Unsupported => (tr(T::WatchUnsupported), |p| p.dim),
    };
    let word = if let Some(t) = color {
        format!("\x1b[1;{}m{word}\x1b[0m", t.sgr(rgb(t.palette)))
    } else {
        word.to_string()
    };
    let sentence = |s: &str| {
        let s = clean_line(s.trim());
        if s.is_empty() || s.ends_with(['.', '!', '?']) {
            s
        } else {
            format!("{s}.")
        }
    };
    let mut line = format!("{word}: {}", sentence(&c.title));
    match c.status {
        Status::Pass => {}
        Status::Fail => {
            line.push_str(&format!(
                " {}: {}",
                tr(T::WatchExpected),
                sentence(&c.expected)
            ));
            line.push_str(&format!(" {}: {}", tr(T::WatchFound), sentence(&c.actual)));
            let try_this = c.hint.as_deref().unwrap_or(&c.message);
            if !try_this.trim().is_empty() {
                line.push_str(&format!(" {}: {}", tr(T::WatchTry), sentence(try_this)));
            }
        }
        Status::Error | Status::Skipped | Status::Unsupported => {
            if !c.message.trim().is_empty() {
                line.push_str(&format!(" {}", sentence(&c.message)));
            }
        }
    }
    line
}

/// The checks whose status or finding differ from `before` (all of them
/// when there is no earlier result).
pub fn changed<'a>(before: Option<&LessonResult>, now: &'a LessonResult) -> Vec<&'a CheckResult> {
    let old: HashMap<&str, (Status, &str)> = before
        .map(|b| {
            b.checks
                .iter()
                .map(|c| (c.id.as_str(), (c.status, c.actual.as_str())))
                .collect()
        })
        .unwrap_or_default();
    now.checks
        .iter()
        .filter(|c| old.get(c.id.as_str()) != Some(&(c.status, c.actual.as_str())))
        .collect()
}

/// The lesson's text, as plain lines at `width`: code blocks as "Code
/// (LANG):" and their lines, without the frame a screen reader would spell
/// out, and no rule lines under headings.
fn plain_lesson(lesson: &Lesson, width: u16) -> String {
    let doc = crate::markdown::Document::parse_unhighlighted(
        &lesson.body,
        // Only the text is used.
        &crate::theme::Theme::default(),
    );
    let rendered = doc.layout(width);
    let mut out = String::new();
    for (i, line) in rendered.lines.iter().enumerate() {
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let text = text.trim_end();
        let block = rendered.block_lines.iter().find(|r| r.contains(&i));
        let plain = match block {
            Some(r) if i == r.start => {
                let lang = text.trim_matches(|c: char| "╭╮─ ".contains(c));
                if lang.is_empty() {
                    tr(T::WatchCode).to_string()
                } else {
                    trf(T::WatchCodeIn, &[("lang", lang)])
                }
            }
            Some(r) if i + 1 == r.end => tr(T::WatchCodeEnd).to_string(),
            Some(_) => text
                .trim_start_matches('│')
                .trim_end_matches('│')
                .trim()
                .to_string(),
            None if !text.is_empty() && text.chars().all(|c| "─═━".contains(c)) => continue,
            None => text.to_string(),
        };
        out.push_str(&clean_line(&plain));
        out.push('\n');
    }
    out
}

fn say(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{s}");
    let _ = out.flush();
}

enum Input {
    Engine(EngineMsg),
    Files,
    Key(String),
    Done(u64, LessonResult),
}

pub async fn run(ctx: &Ctx, lesson: Option<String>) -> anyhow::Result<i32> {
    let pack = match crate::context::load_pack_or_report(ctx) {
        Ok(p) => Arc::new(p),
        Err(code) => return Ok(code),
    };
    if pack.lessons.is_empty() {
        anyhow::bail!("the lesson pack has no lessons");
    }
    let progress = crate::progress::load(&ctx.home);
    let mut idx = match &lesson {
        Some(name) => {
            let l = crate::context::find_lesson(&pack, name)?;
            pack.lessons.iter().position(|x| x.id == l.id).unwrap_or(0)
        }
        None => crate::app::first_unfinished(&pack, &progress),
    };
    let color = (std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .then(|| ctx.theme().0);
    let width = crossterm::terminal::size()
        .ok()
        .filter(|_| std::io::stdout().is_terminal())
        .map_or(80, |(w, _)| w.clamp(40, 100));

    let (tx, mut rx) = mpsc::unbounded_channel::<Input>();
    let (engine_tx, mut engine_rx) = mpsc::channel::<EngineMsg>(256);
    let _feed = crate::engine::events::spawn(crate::engine::events::Target::Resolve, engine_tx);
    {
        let tx = tx.clone();
        tokio::spawn(async move {
            while let Some(m) = engine_rx.recv().await {
                if tx.send(Input::Engine(m)).is_err() {
                    break;
                }
            }
        });
    }
    {
        let tx = tx.clone();
        tokio::spawn(async move {
            let mut lines = tokio::io::BufReader::new(tokio::io::stdin()).lines();
            // At the end of input (stdin not a terminal), keep watching.
            while let Ok(Some(line)) = lines.next_line().await {
                if tx.send(Input::Key(line.trim().to_lowercase())).is_err() {
                    break;
                }
            }
        });
    }
    let class = match crate::class::client::membership(&ctx.home) {
        Ok(Some(m)) => Some(crate::class::client::Sender::spawn(
            ctx.home.clone(),
            m,
            |o| say(&clean_line(&crate::class::client::outcome_line(&o))),
        )),
        _ => None,
    };

    let mut engine: Result<crate::engine::Engine, crate::engine::EngineError> =
        Err(crate::engine::EngineError::Unreachable {
            endpoint: String::from("(connecting)"),
            reason: "not connected yet".into(),
        });
    let mut helpers = crate::app::Helpers::default();
    let mut view: Option<crate::engine::inventory::Inventory> = None;
    let mut engine_said: Option<String> = None;

    'lessons: loop {
        let lesson = &pack.lessons[idx];
        let named = crate::app::lesson_names(lesson);
        let dir = ctx.workspace.lesson_dir(lesson);
        if let Err(e) = ctx.workspace.ensure_starter(lesson) {
            say(&trf(
                T::WatchCannotCopy,
                &[
                    ("dir", &dir.display().to_string()),
                    ("error", &e.to_string()),
                ],
            ));
        }
        say(&trf(
            T::WatchLesson,
            &[
                ("n", &(idx + 1).to_string()),
                ("of", &pack.lessons.len().to_string()),
                ("title", &clean_line(&lesson.title)),
            ],
        ));
        print!("{}", plain_lesson(lesson, width));
        say(&trf(T::WatchWorkIn, &[("dir", &dir.display().to_string())]));
        say(tr(T::WatchKeys));
        let _watcher = {
            let tx = tx.clone();
            crate::workspace::watch_folder(&dir, move || {
                let _ = tx.send(Input::Files);
            })
            .map_err(|e| {
                say(&trf(
                    T::WatchCannotWatch,
                    &[
                        ("dir", &dir.display().to_string()),
                        ("error", &e.to_string()),
                    ],
                ))
            })
            .ok()
        };
        let mut last: Option<LessonResult> = None;
        let mut generation = 0u64;
        let mut running = false;
        let mut again = false;
        let mut hints_shown = progress
            .lessons
            .get(&lesson.id)
            .map_or(0, |p| p.hints_shown);
        let mut started = false;
        let spawn_run = |generation: u64, engine: &Result<_, _>| {
            let pack = pack.clone();
            let engine: Result<crate::engine::Engine, crate::engine::EngineError> = engine.clone();
            let dir = dir.clone();
            let tx = tx.clone();
            tokio::spawn(async move {
                let lesson = &pack.lessons[idx];
                let env = CheckEnv {
                    engine: engine.as_ref(),
                    pack: &pack,
                    lesson,
                    lesson_dir: &dir,
                };
                let r = check::run_lesson(&env).await;
                let _ = tx.send(Input::Done(generation, r));
            });
        };
        // Without an engine answer yet, the first run waits for the feed's
        // first word (connected or not), as in the TUI.
        if engine_said.is_some() {
            generation += 1;
            running = true;
            started = true;
            spawn_run(generation, &engine);
        }
        while let Some(input) = rx.recv().await {
            let mut run_now = false;
            match input {
                Input::Engine(EngineMsg::Connected(c)) => {
                    let c = *c;
                    let line = trf(
                        T::WatchEngineOk,
                        &[
                            ("endpoint", &clean_line(&c.engine.endpoint.url)),
                            (
                                "version",
                                &clean_line(c.engine.version.as_deref().unwrap_or("unknown")),
                            ),
                        ],
                    );
                    if engine_said.as_deref() != Some(&line) {
                        say(&line);
                    }
                    engine_said = Some(line);
                    engine = Ok(c.engine);
                    run_now = true;
                }
                Input::Engine(EngineMsg::Disconnected(e)) => {
                    if let EngineUpdate::Unreachable {
                        endpoint,
                        reason,
                        advice,
                    } = crate::app::unreachable_update(&e)
                    {
                        let line = trf(
                            T::WatchEngineUnreachable,
                            &[
                                ("endpoint", &endpoint),
                                ("reason", &reason),
                                ("advice", &advice),
                            ],
                        );
                        if engine_said.as_deref() != Some(&line) {
                            say(&line);
                        }
                        engine_said = Some(line);
                    }
                    engine = Err(e);
                    run_now = !started;
                }
                Input::Engine(EngineMsg::Inventory(inv)) => view = Some(inv),
                // Dropped at once: watch's checks need not go first.
                Input::Engine(EngineMsg::Settle(_)) => {}
                Input::Engine(EngineMsg::Event {
                    kind,
                    action,
                    name,
                    id,
                    attributes,
                }) => {
                    let change = helpers.change(kind, action, name, id, &attributes);
                    run_now = crate::app::concerns(lesson, &named, view.as_ref(), &change);
                }
                Input::Files => run_now = true,
                Input::Key(k) => match k.as_str() {
                    "q" | "quit" => break 'lessons,
                    "n" | "next" => {
                        if idx + 1 < pack.lessons.len() {
                            idx += 1;
                            continue 'lessons;
                        }
                        say(tr(T::WatchLastLesson));
                    }
                    "h" | "hint" => match lesson.hints.get(hints_shown) {
                        Some(h) => {
                            hints_shown += 1;
                            say(&trf(
                                T::WatchHint,
                                &[
                                    ("n", &hints_shown.to_string()),
                                    ("of", &lesson.hints.len().to_string()),
                                    ("text", &clean_line(h)),
                                ],
                            ));
                            let _ = crate::progress::record_hints_shown(
                                &ctx.home,
                                &lesson.id,
                                hints_shown,
                            );
                        }
                        None => say(tr(T::WatchNoMoreHints)),
                    },
                    "" => {}
                    other => say(&trf(T::WatchNotAKey, &[("key", &clean_line(other))])),
                },
                Input::Done(g, result) => {
                    if g != generation {
                        continue;
                    }
                    running = false;
                    let lines = changed(last.as_ref(), &result);
                    for c in &lines {
                        say(&check_line(c, color.as_ref()));
                    }
                    let newly_passed = result.passed && !last.as_ref().is_some_and(|l| l.passed);
                    if newly_passed {
                        say(&trf(
                            T::WatchLessonPassed,
                            &[("title", &clean_line(&lesson.title))],
                        ));
                    }
                    if let Err(e) = crate::progress::record_result(&ctx.home, &result) {
                        say(&trf(T::WatchCannotSave, &[("error", &e.to_string())]));
                    }
                    if let Some(class) = &class {
                        class.send(result.clone());
                    }
                    last = Some(result);
                    if again {
                        again = false;
                        run_now = true;
                    }
                }
            }
            if run_now {
                if running {
                    again = true;
                } else {
                    generation += 1;
                    running = true;
                    started = true;
                    spawn_run(generation, &engine);
                }
            }
        }
        break;
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, status: Status, actual: &str) -> CheckResult {
        CheckResult {
            id: id.into(),
            title: "secure-network exists".into(),
            status,
            expected: "a bridge network".into(),
            actual: actual.into(),
            message: "m".into(),
            hint: Some("docker network create secure-network".into()),
            why: None,
            duration_ms: 1,
        }
    }

    #[test]
    fn lines_are_sentences_without_escapes_unless_coloured() {
        let fail = c("a", Status::Fail, "no network named secure-network");
        assert_eq!(
            check_line(&fail, None),
            "FAIL: secure-network exists. Expected: a bridge network. Found: no network named secure-network. Try: docker network create secure-network."
        );
        assert_eq!(
            check_line(&c("a", Status::Pass, "x"), None),
            "PASS: secure-network exists."
        );
        assert!(!check_line(&fail, None).contains('\x1b'));
        assert!(check_line(&fail, Some(&Theme::dark()))
            .starts_with("\x1b[1;38;2;255;107;107mFAIL\x1b[0m: "));
        let light = crate::theme::Theme::new(
            crate::theme::Kind::Light,
            crate::theme::ColorMode::Palette256,
        );
        assert!(check_line(&fail, Some(&light)).starts_with("\x1b[1;38;5;124mFAIL\x1b[0m: "));
    }

    #[test]
    fn only_changed_checks_are_said_again() {
        let r = |checks| LessonResult {
            lesson: "l".into(),
            passed: false,
            checks,
        };
        let before = r(vec![c("a", Status::Fail, "x"), c("b", Status::Pass, "y")]);
        assert_eq!(changed(None, &before).len(), 2);
        let same = r(vec![c("a", Status::Fail, "x"), c("b", Status::Pass, "y")]);
        assert!(changed(Some(&before), &same).is_empty());
        let now = r(vec![c("a", Status::Pass, "x"), c("b", Status::Pass, "y")]);
        let ids: Vec<&str> = changed(Some(&before), &now)
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, vec!["a"]);
    }
}
