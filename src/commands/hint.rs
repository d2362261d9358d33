//! `dockdojo hint`.

use super::{find_lesson, load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_OK};
use crate::sanitize::{clean, clean_line};
use crate::ui::text::{trf, T};

pub async fn run(ctx: &Ctx, lesson: &str, n: Option<usize>) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let lesson = find_lesson(&pack, lesson)?;
    let total = lesson.hints.len();
    let id = clean_line(&lesson.id);
    if total == 0 {
        outln!("{}", trf(T::HintNone, &[("id", &id)]));
        return Ok(EXIT_OK);
    }
    let shown = crate::progress::load(&ctx.home)
        .lessons
        .get(&lesson.id)
        .map(|p| p.hints_shown)
        .unwrap_or(0);
    let which = match n {
        Some(0) => {
            eprintln!("dockdojo: hints are numbered from 1 (lesson {id} has {total})");
            return Ok(EXIT_CANNOT);
        }
        Some(k) if k > total => {
            eprintln!("dockdojo: lesson {id} has {total} hint(s); there is no hint {k}");
            return Ok(EXIT_CANNOT);
        }
        Some(k) => k,
        None if shown >= total => {
            outln!(
                "{}",
                trf(T::HintAllSeen, &[("n", &total.to_string()), ("id", &id)])
            );
            return Ok(EXIT_OK);
        }
        None => shown + 1,
    };
    outln!(
        "{}\n",
        trf(
            T::HintHeading,
            &[
                ("n", &which.to_string()),
                ("of", &total.to_string()),
                ("id", &id)
            ]
        )
    );
    outln!("{}", clean(&lesson.hints[which - 1]));
    if which == total {
        outln!("\n{}", trf(T::HintWasLast, &[("id", &id)]));
    } else {
        outln!("\n{}", trf(T::HintNextCommand, &[("id", &id)]));
    }
    if let Err(e) = crate::progress::record_hints_shown(&ctx.home, &lesson.id, which) {
        eprintln!("dockdojo: warning: could not record that this hint was shown: {e}");
    }
    Ok(EXIT_OK)
}
