//! `dockdojo lint [DIR]`: validate a lesson pack and its translations
//! (`_lang/<tag>/`) and print every problem as `path:line:col: message`.

use super::{Ctx, EXIT_CANNOT, EXIT_FAIL, EXIT_OK};
use crate::lesson;

pub async fn run(ctx: &Ctx, dir: Option<std::path::PathBuf>) -> anyhow::Result<i32> {
    let dir = dir.or_else(|| ctx.global.lessons.clone());
    if let Some(d) = &dir {
        if !d.is_dir() {
            let what = if d.exists() {
                "is not a folder"
            } else {
                "does not exist"
            };
            eprintln!(
                "dockdojo lint: {} {what}; give the folder that holds pack.toml",
                crate::sanitize::clean_line(&d.display().to_string())
            );
            return Ok(EXIT_CANNOT);
        }
    }
    match lesson::lint(dir.as_deref()) {
        Ok(pack) => {
            let checks: usize = pack.lessons.iter().map(|l| l.checks.len()).sum();
            let n = pack.lessons.len();
            let langs = &pack.translation.available;
            eprintln!(
                "pack OK: {n} {}, {checks} {}{}",
                if n == 1 { "lesson" } else { "lessons" },
                if checks == 1 { "check" } else { "checks" },
                if langs.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; {} {}",
                        if langs.len() == 1 {
                            "translation"
                        } else {
                            "translations"
                        },
                        crate::sanitize::clean_line(&langs.join(", "))
                    )
                }
            );
            Ok(EXIT_OK)
        }
        Err(e) => {
            for d in &e.diagnostics {
                outln!("{}", crate::sanitize::clean_line(&d.to_string()));
            }
            eprintln!("{}", lesson::summarize(&e.diagnostics));
            Ok(EXIT_FAIL)
        }
    }
}
