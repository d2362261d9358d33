//! `dockdojo dev`: tools for lesson authors.
//!
//! `dev new NAME` scaffolds a lesson folder that passes `lint`.
//! `dev verify [LESSON...]` proves, for each lesson, that the checks do not
//! all pass at the start, that they all pass after `solution/solve.sh`, and
//! that a reset leaves nothing the lesson created (see [`verify`]).
//! `dev setups` prints which lessons run on which classroom setup.

use std::path::{Path, PathBuf};

use super::{load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_OK};
use crate::cli::DevCommand;
use crate::sanitize::clean_line;

mod verify;

pub async fn run(ctx: &Ctx, cmd: DevCommand) -> anyhow::Result<i32> {
    match cmd {
        DevCommand::New { name } => new(ctx, &name),
        DevCommand::Verify { lessons, jobs } => verify::run(ctx, &lessons, jobs).await,
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

#[cfg(test)]
mod tests {
    use super::*;

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
