//! One file per CLI command. Each returns the process exit status.

pub mod check;
pub mod dev;
pub mod doctor;
pub mod hint;
pub mod image;
pub mod lint;
pub mod list;
pub mod prepare;
pub mod report;
pub mod reset;
pub mod solution;

use std::path::PathBuf;

use anyhow::anyhow;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::lesson::{self, Lesson, Pack, PackError};
use crate::workspace::Workspace;

/// Exit status: everything passed / fine.
pub const EXIT_OK: i32 = 0;
/// Some check failed (or lint found problems).
pub const EXIT_FAIL: i32 = 1;
/// Nothing could be evaluated: engine unreachable, unknown lesson, invalid pack.
pub const EXIT_CANNOT: i32 = 2;

/// What every command gets.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub global: GlobalArgs,
    pub workspace: Workspace,
    /// `DOCKDOJO_HOME`.
    pub home: PathBuf,
}

impl Ctx {
    pub fn from_global(global: GlobalArgs) -> Ctx {
        let ws = global
            .workspace
            .clone()
            .unwrap_or_else(crate::paths::default_workspace);
        Ctx {
            global,
            workspace: Workspace::new(ws),
            home: crate::paths::dockdojo_home(),
        }
    }

    /// Load the pack (built-in or `--lessons`).
    pub fn pack(&self) -> Result<Pack, PackError> {
        lesson::load(self.global.lessons.as_deref())
    }
}

/// Find a lesson by id or folder name, with a helpful error.
pub fn find_lesson<'p>(pack: &'p Pack, name: &str) -> anyhow::Result<&'p Lesson> {
    pack.lessons
        .iter()
        .find(|l| l.id == name || l.dir_name == name)
        .ok_or_else(|| {
            let ids: Vec<&str> = pack.lessons.iter().map(|l| l.id.as_str()).collect();
            anyhow!(
                "no lesson named `{}` in this pack; lessons are: {}",
                crate::sanitize::clean_line(name),
                ids.join(", ")
            )
        })
}

/// Load the pack or print every diagnostic; `Err(exit status)` on failure.
pub fn load_pack_or_report(ctx: &Ctx) -> Result<Pack, i32> {
    ctx.pack().map_err(|e| {
        eprintln!("dockdojo: the lesson pack has problems:\n{e}");
        EXIT_CANNOT
    })
}

/// Run the parsed command line; returns the exit status.
pub async fn run(cli: Cli) -> i32 {
    let ctx = Ctx::from_global(cli.global.clone());
    let result = match cli.command {
        None => crate::app::run(&ctx, cli.lesson).await,
        Some(Command::List { json }) => list::run(&ctx, json).await,
        Some(Command::Check(a)) => check::run(&ctx, a).await,
        Some(Command::Hint { lesson, n }) => hint::run(&ctx, &lesson, n).await,
        Some(Command::Solution { lesson }) => solution::run(&ctx, &lesson).await,
        Some(Command::Reset(a)) => reset::run(&ctx, a).await,
        Some(Command::Image { image, json }) => image::run(&ctx, &image, json).await,
        Some(Command::Doctor { json }) => doctor::run(&ctx, json).await,
        Some(Command::Prepare(a)) => prepare::run(&ctx, a).await,
        Some(Command::Report(a)) => report::run(&ctx, a).await,
        Some(Command::Lint { dir }) => lint::run(&ctx, dir).await,
        Some(Command::Dev(d)) => dev::run(&ctx, d).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dockdojo: {}", crate::sanitize::clean(&format!("{e:#}")));
            EXIT_CANNOT
        }
    }
}
