//! `dockdojo list`.

use serde::Serialize;

use super::{load_pack_or_report, Ctx, EXIT_OK};
use crate::engine::platform::{self, Platform};
use crate::engine::EngineError;
use crate::progress::LessonStatus;
use crate::sanitize::clean_line;

#[derive(Debug, Serialize)]
struct Row {
    number: usize,
    id: String,
    folder: String,
    title: String,
    /// The language of the lesson's text (`de` when a German translation of
    /// it is in effect, else the pack's own).
    lang: String,
    status: crate::progress::LessonStatus,
    passed_at: Option<String>,
    /// null when the engine could not be asked.
    unmet_requirements: Option<Vec<String>>,
    /// Checks this engine cannot serve (they do not count): "id: why".
    unsupported_checks: Vec<String>,
}

pub async fn run(ctx: &Ctx, json: bool) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let progress = crate::progress::load(&ctx.home);
    let needs_engine = pack
        .lessons
        .iter()
        .any(|l| !l.requires.is_empty() || l.checks.iter().any(|c| !c.requires.is_empty()));
    let facts: Option<Result<Platform, EngineError>> = if needs_engine {
        // A ping, then `info` and `version` together (detect asks the version).
        Some(match crate::engine::connect_quick().await {
            Ok(engine) => platform::detect(&engine).await,
            Err(e) => Err(e),
        })
    } else {
        None
    };
    let rows: Vec<Row> = pack
        .lessons
        .iter()
        .enumerate()
        .map(|(i, l)| Row {
            number: i + 1,
            id: l.id.clone(),
            folder: l.dir_name.clone(),
            title: l.title.clone(),
            lang: pack.lesson_lang(&l.id).to_string(),
            status: progress.status(&l.id),
            passed_at: progress
                .lessons
                .get(&l.id)
                .and_then(|p| p.passed_at.clone()),
            unmet_requirements: match &facts {
                None => Some(vec![]),
                Some(Ok(p)) => Some(platform::unmet_requirements(&l.requires, p)),
                Some(Err(_)) if l.requires.is_empty() => Some(vec![]),
                Some(Err(_)) => None,
            },
            unsupported_checks: match &facts {
                Some(Ok(p)) => l
                    .checks
                    .iter()
                    .filter_map(|c| {
                        platform::unmet_requirements(&c.requires, p)
                            .first()
                            .map(|why| format!("{}: {why}", c.id))
                    })
                    .collect(),
                _ => vec![],
            },
        })
        .collect();
    if json {
        outln!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(EXIT_OK);
    }
    let t = &pack.translation;
    match &t.applied {
        Some(lang) if t.lessons.len() < rows.len() => outln!(
            "{} ({}: {} of {} lessons translated, the others in {})",
            clean_line(&pack.manifest.title),
            clean_line(lang),
            t.lessons.len(),
            rows.len(),
            clean_line(&pack.manifest.lang)
        ),
        Some(lang) => outln!(
            "{} ({})",
            clean_line(&pack.manifest.title),
            clean_line(lang)
        ),
        None => outln!("{}", clean_line(&pack.manifest.title)),
    }
    let idw = rows.iter().map(|r| r.id.chars().count()).max().unwrap_or(2);
    for r in &rows {
        let mark = match r.status {
            LessonStatus::Passed => "✔",
            LessonStatus::Failing => "✘",
            LessonStatus::NotStarted => " ",
        };
        outln!(
            "{mark} {:>2}. {:<idw$}  {:<11}  {}",
            r.number,
            clean_line(&r.id),
            r.status.as_str(),
            clean_line(&r.title)
        );
        match &r.unmet_requirements {
            Some(unmet) => {
                for u in unmet {
                    outln!("        needs {}", clean_line(u));
                }
            }
            None => outln!(
                "        needs {} (engine unreachable, cannot tell whether this platform has it)",
                pack.lessons[r.number - 1].requires.join(", ")
            ),
        }
        for u in &r.unsupported_checks {
            outln!(
                "        not on this engine (does not count): {}",
                clean_line(u)
            );
        }
    }
    let passed = rows
        .iter()
        .filter(|r| r.status == LessonStatus::Passed)
        .count();
    outln!("\n{passed} of {} lessons passed.", rows.len());
    if let Some(Err(e)) = &facts {
        outln!(
            "The engine could not be asked about platform requirements: {}",
            clean_line(&e.to_string())
        );
    }
    Ok(EXIT_OK)
}
