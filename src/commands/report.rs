//! `dockdojo report`.

use super::{load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_OK};
use crate::cli::{ReportArgs, ReportFormat};
use crate::progress::report::{self, EngineInfo};

/// What the report says about the engine (never fails: an unreachable engine
/// is reported as such).
pub async fn engine_info() -> EngineInfo {
    match crate::engine::connect().await {
        Ok(engine) => {
            let platform = match crate::engine::platform::detect(&engine).await {
                Ok(p) => p.name(),
                Err(e) => format!("unknown ({e})"),
            };
            EngineInfo {
                reachable: true,
                endpoint: Some(engine.endpoint.url.clone()),
                version: engine.version.clone(),
                api_version: engine.api_version.clone(),
                platform: Some(platform),
                error: None,
            }
        }
        Err(e) => EngineInfo {
            reachable: false,
            endpoint: crate::engine::resolve_endpoint().ok().map(|e| e.url),
            version: None,
            api_version: None,
            platform: None,
            error: Some(e.to_string()),
        },
    }
}

pub async fn run(ctx: &Ctx, args: ReportArgs) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let progress = crate::progress::load(&ctx.home);
    let engine = engine_info().await;
    if !engine.reachable {
        eprintln!(
            "dockdojo: note: the engine is not reachable; the report says so and lists saved results only"
        );
    }
    let r = report::build(
        &pack,
        &progress,
        engine,
        crate::progress::time::now_rfc3339(),
    );
    let text = match args.format {
        ReportFormat::Json => report::to_json(&r),
        ReportFormat::Junit => report::to_junit(&r),
        ReportFormat::Markdown => report::to_markdown(&r),
    };
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, text.as_bytes()) {
                eprintln!("dockdojo: cannot write {}: {e}", path.display());
                return Ok(EXIT_CANNOT);
            }
            eprintln!(
                "Wrote {} ({} of {} lessons passed).",
                path.display(),
                r.summary.passed,
                r.summary.lessons
            );
        }
        None => print!("{}", crate::sanitize::clean(&text)),
    }
    Ok(EXIT_OK)
}
