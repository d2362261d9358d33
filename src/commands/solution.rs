//! `dockdojo solution`.

use super::{find_lesson, load_pack_or_report, Ctx, EXIT_OK};
use crate::lesson::PackFile;
use crate::sanitize::{clean, clean_line};

/// The reference solution as text: every file in `solution/` under a header,
/// `solve.sh` last. Binary files are named, not printed.
pub fn render(files: &[PackFile]) -> String {
    let mut files: Vec<&PackFile> = files.iter().collect();
    files.sort_by_key(|f| {
        (
            f.rel_path == std::path::Path::new("solve.sh"),
            f.rel_path.clone(),
        )
    });
    let mut out = String::new();
    for (i, f) in files.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let name = clean_line(&f.rel_path.display().to_string());
        out.push_str(&format!("==> solution/{name} <==\n"));
        match std::str::from_utf8(&f.contents) {
            Ok(text) if !text.contains('\0') => {
                out.push_str(&clean(text));
                if !text.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => out.push_str(&format!("(binary file, {} bytes)\n", f.contents.len())),
        }
    }
    out
}

pub async fn run(ctx: &Ctx, lesson: &str) -> anyhow::Result<i32> {
    let pack = match load_pack_or_report(ctx) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let lesson = find_lesson(&pack, lesson)?;
    if lesson.solution.is_empty() {
        outln!(
            "Lesson {} has no reference solution.",
            clean_line(&lesson.id)
        );
        return Ok(EXIT_OK);
    }
    print!("{}", render(&lesson.solution));
    if lesson.solve_script().is_some() {
        outln!(
            "\nsolve.sh runs in the lesson's workspace folder; DOCKDOJO_SOLUTION_DIR points at the files above."
        );
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn solve_sh_last_and_sanitized() {
        let f = |p: &str, c: &[u8]| PackFile {
            rel_path: PathBuf::from(p),
            contents: c.to_vec(),
            executable: false,
        };
        let out = render(&[
            f("solve.sh", b"docker build .\n"),
            f("Dockerfile", b"FROM x\x1b[2J"),
            f("bin/blob", b"\0\x01\x02"),
        ]);
        let solve = out.find("==> solution/solve.sh <==").expect("solve");
        let dockerfile = out.find("==> solution/Dockerfile <==").expect("df");
        assert!(dockerfile < solve);
        assert!(out.find("==> solution/bin/blob <==").expect("blob") < solve);
        assert!(out.contains("(binary file, 3 bytes)"));
        assert!(out.contains("FROM x^[[2J\n"));
        assert!(!out.contains('\u{1b}'));
    }
}
