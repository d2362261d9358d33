//! `dockdojo reset`: remove what the lessons `creates` and dockdojo's own
//! labelled objects (nothing else, ever), restore the starter files and keep
//! the learner's files in a backup folder. Lists everything first.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};

use super::{find_lesson, load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_FAIL, EXIT_OK};
use crate::engine::cleanup::{self, ManagedScope, Plan, Planned, Target};
use crate::lesson::Lesson;
use crate::sanitize::clean_line;
use crate::workspace::{BackupReason, RestorePlan};

fn short_id(id: &str) -> String {
    let id = id.strip_prefix("sha256:").unwrap_or(id);
    id.chars().take(12).collect()
}

/// One line per planned object.
pub fn describe(p: &Planned) -> String {
    format!(
        "{} ({}{}) - {}",
        clean_line(&p.name),
        short_id(&p.id),
        if p.running { ", running" } else { "" },
        clean_line(&p.reason)
    )
}

/// Print the engine part of a plan, grouped by kind.
pub fn print_plan(plan: &Plan) {
    if plan.is_empty() {
        outln!("  nothing on the engine to remove");
        return;
    }
    for (label, list) in [
        ("containers", &plan.containers),
        ("images", &plan.images),
        ("networks", &plan.networks),
        ("volumes", &plan.volumes),
    ] {
        if list.is_empty() {
            continue;
        }
        outln!("  remove {label}:");
        for p in list {
            outln!("    {}", describe(p));
        }
    }
}

fn print_restore(plan: &RestorePlan) {
    let dir = plan.lesson_dir.display();
    if plan.not_opened {
        outln!("  {dir}: not opened yet, no files to restore");
        return;
    }
    if plan.is_empty() {
        outln!("  {dir}: starter files already as shipped");
        return;
    }
    outln!("  restore files in {dir}:");
    if !plan.moves.is_empty() {
        outln!("    keep your files in {}/:", plan.backup_dir.display());
        for (rel, why) in &plan.moves {
            let what = match why {
                BackupReason::Edited => "edited",
                BackupReason::Extra => "yours",
            };
            let shown = if rel.as_os_str().is_empty() {
                "(the whole folder)".to_string()
            } else {
                clean_line(&rel.display().to_string())
            };
            outln!("      {shown} ({what})");
        }
    }
    for rel in &plan.writes {
        outln!(
            "    write starter file {}",
            clean_line(&rel.display().to_string())
        );
    }
}

/// Ask on the terminal; `None` when there is no terminal to ask on.
fn confirm(question: &str) -> Option<bool> {
    if !std::io::stdin().is_terminal() {
        return None;
    }
    print!("{question} [y/N] ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    if std::io::stdin().lock().read_line(&mut line).is_err() {
        return Some(false);
    }
    Some(matches!(line.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}

/// Build the engine target for these lessons.
pub fn target_for(ctx: &Ctx, lessons: &[&Lesson], scope: ManagedScope) -> Target {
    let install = match cleanup::install_id(&ctx.home) {
        Ok(id) => id,
        Err(e) => {
            eprintln!(
                "dockdojo: warning: cannot read or create {}: {e}; images, networks and volumes \
                 labelled by dockdojo are kept (only named ones and labelled containers are removed)",
                ctx.home.join("install-id").display()
            );
            String::new()
        }
    };
    let names: Vec<cleanup::LessonNames<'_>> = lessons
        .iter()
        .map(|l| cleanup::LessonNames {
            lesson: &l.id,
            containers: &l.creates.containers,
            images: &l.creates.images,
            networks: &l.creates.networks,
            volumes: &l.creates.volumes,
        })
        .collect();
    Target::for_lessons(&names, scope, install)
}

/// Print removal results; true when everything planned is gone.
/// One line per object the reset removed or could not remove.
pub fn outcome_lines(out: &cleanup::Outcome) -> Vec<String> {
    let removed = out
        .removed
        .iter()
        .map(|p| format!("  removed {} {}", p.kind.as_str(), clean_line(&p.name)));
    let failed = out.failed.iter().map(|(p, why)| {
        format!(
            "  could NOT remove {} {}: {}",
            p.kind.as_str(),
            clean_line(&p.name),
            clean_line(why)
        )
    });
    removed.chain(failed).collect()
}

pub fn print_outcome(out: &cleanup::Outcome) -> bool {
    for l in outcome_lines(out) {
        outln!("{l}");
    }
    out.failed.is_empty()
}

pub async fn run(ctx: &Ctx, args: crate::cli::ResetArgs) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let (lessons, scope): (Vec<&Lesson>, ManagedScope) = match (&args.lesson, args.all) {
        (Some(name), false) => {
            let l = find_lesson(&pack, name)?;
            (
                vec![l],
                ManagedScope::Lessons(BTreeSet::from([l.id.clone()])),
            )
        }
        (None, true) => (pack.lessons.iter().collect(), ManagedScope::All),
        _ => {
            eprintln!("dockdojo: name a lesson to reset, or use --all");
            return Ok(EXIT_CANNOT);
        }
    };
    let target = target_for(ctx, &lessons, scope);

    let engine = crate::engine::connect().await;
    let plan = match &engine {
        Ok(e) => cleanup::plan(e, &target).await,
        Err(e) => Err(e.clone()),
    };

    let stamp = crate::progress::time::file_stamp();
    let mut restores = Vec::new();
    for l in &lessons {
        match ctx.workspace.plan_restore(l, &stamp) {
            Ok(p) => restores.push((*l, p)),
            Err(e) => {
                eprintln!(
                    "dockdojo: cannot read the workspace folder of {}: {e}; nothing was changed",
                    clean_line(&l.id)
                );
                return Ok(EXIT_CANNOT);
            }
        }
    }

    let what = if args.all {
        "every lesson".to_string()
    } else {
        format!("lesson {}", clean_line(&lessons[0].id))
    };
    outln!("Reset {what}. This will:");
    match &plan {
        Ok(p) => print_plan(p),
        Err(e) => outln!(
            "  (the engine cannot be asked, so nothing on it will be removed: {})",
            clean_line(&e.to_string())
        ),
    }
    let not_opened = restores.iter().filter(|(_, r)| r.not_opened).count();
    for (_, r) in restores.iter().filter(|(_, r)| !r.not_opened) {
        print_restore(r);
    }
    if not_opened == restores.len() {
        outln!(
            "  no lesson folder in {} yet: no files to restore",
            ctx.workspace.root.display()
        );
    } else if not_opened > 0 {
        outln!("  ({not_opened} other lesson(s) not opened yet: no files to restore)");
    }
    outln!(
        "Nothing else is touched: other containers, images, networks and volumes stay as they are."
    );

    let files_to_restore = restores.iter().any(|(_, r)| !r.is_empty());
    if args.dry_run {
        outln!("(dry run: nothing was changed)");
        return Ok(if plan.is_err() { EXIT_CANNOT } else { EXIT_OK });
    }
    let nothing = match &plan {
        Ok(p) => p.is_empty() && !files_to_restore,
        Err(_) => !files_to_restore,
    };
    if nothing {
        outln!("Nothing to do.");
        return Ok(if plan.is_err() { EXIT_CANNOT } else { EXIT_OK });
    }
    if !args.yes {
        let question = if plan.is_err() {
            "The engine is unreachable. Restore the files anyway?"
        } else {
            "Go ahead?"
        };
        match confirm(question) {
            Some(true) => {}
            Some(false) => {
                outln!("Nothing was changed.");
                return Ok(EXIT_FAIL);
            }
            None => {
                eprintln!(
                    "dockdojo: reset needs confirmation and there is no terminal to ask on; \
                     nothing was changed. Run it again with --yes to confirm."
                );
                return Ok(EXIT_CANNOT);
            }
        }
    }

    let mut ok = true;
    if let (Ok(engine), Ok(plan)) = (&engine, &plan) {
        if !plan.is_empty() {
            let out = cleanup::execute(engine, plan).await;
            ok &= print_outcome(&out);
        }
    }
    for (l, r) in &restores {
        if r.is_empty() {
            continue;
        }
        match ctx.workspace.apply_restore(l, r) {
            Ok(()) => {
                if r.moves.is_empty() {
                    outln!("  restored starter files in {}", r.lesson_dir.display());
                } else {
                    outln!(
                        "  restored starter files in {}; your files are in {}",
                        r.lesson_dir.display(),
                        r.backup_dir.display()
                    );
                }
            }
            Err(e) => {
                ok = false;
                outln!(
                    "  could NOT restore {}: {e} (files already moved are in {})",
                    r.lesson_dir.display(),
                    r.backup_dir.display()
                );
            }
        }
    }
    if plan.is_err() {
        eprintln!("dockdojo: the engine was unreachable; only files were restored");
        return Ok(EXIT_CANNOT);
    }
    Ok(if ok { EXIT_OK } else { EXIT_FAIL })
}
