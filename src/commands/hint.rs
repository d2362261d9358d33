//! `dockdojo hint`.

use super::{find_lesson, load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_OK};
use crate::sanitize::{clean, clean_line};

pub async fn run(ctx: &Ctx, lesson: &str, n: Option<usize>) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let lesson = find_lesson(&pack, lesson)?;
    let total = lesson.hints.len();
    let id = clean_line(&lesson.id);
    if total == 0 {
        outln!("Lesson {id} has no hints. To see the reference solution: dockdojo solution {id}");
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
                "You have seen all {total} hints of lesson {id}.\n\
                 See one again: dockdojo hint {id} N (1-{total})\n\
                 See the reference solution: dockdojo solution {id}"
            );
            return Ok(EXIT_OK);
        }
        None => shown + 1,
    };
    outln!("Hint {which} of {total} ({id}):\n");
    outln!("{}", clean(&lesson.hints[which - 1]));
    if which == total {
        outln!("\nThat was the last hint. To see the reference solution: dockdojo solution {id}");
    } else {
        outln!("\nNext hint: dockdojo hint {id}");
    }
    if let Err(e) = crate::progress::record_hints_shown(&ctx.home, &lesson.id, which) {
        eprintln!("dockdojo: warning: could not record that this hint was shown: {e}");
    }
    Ok(EXIT_OK)
}
