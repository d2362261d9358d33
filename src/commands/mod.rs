//! One file per CLI command. Each returns the process exit status.

pub mod check;
pub mod class;
pub mod dev;
pub mod doctor;
pub mod hint;
pub mod image;
pub mod lint;
pub mod list;
pub mod map;
pub mod prepare;
pub mod report;
pub mod reset;
pub mod solution;
pub mod watch;

use crate::cli::{Cli, Command};

pub use crate::context::{find_lesson, load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_FAIL, EXIT_OK};

/// Run the parsed command line; returns the exit status.
pub async fn run(cli: Cli) -> i32 {
    let ctx = Ctx::from_global(cli.global.clone());
    // The interface's words: once, for the whole process (English when no
    // table speaks the language).
    crate::ui::text::set_lang(ctx.settings.lang.as_deref());
    for problem in &ctx.config_problems {
        eprintln!("dockdojo: {}", crate::sanitize::clean_line(problem));
    }
    let result = match cli.command {
        None => crate::app::run(&ctx, cli.lesson).await,
        Some(Command::List { json }) => list::run(&ctx, json).await,
        Some(Command::Check(a)) => check::run(&ctx, a).await,
        Some(Command::Hint { lesson, n }) => hint::run(&ctx, &lesson, n).await,
        Some(Command::Solution { lesson }) => solution::run(&ctx, &lesson).await,
        Some(Command::Reset(a)) => reset::run(&ctx, a).await,
        Some(Command::Image { image, json }) => image::run(&ctx, &image, json).await,
        Some(Command::Map(a)) => map::run(&ctx, a).await,
        Some(Command::Watch { lesson }) => watch::run(&ctx, lesson).await,
        Some(Command::Doctor { json }) => doctor::run(&ctx, json).await,
        Some(Command::Prepare(a)) => prepare::run(&ctx, a).await,
        Some(Command::Report(a)) => report::run(&ctx, a).await,
        Some(Command::Lint { dir }) => lint::run(&ctx, dir).await,
        Some(Command::Dev(d)) => dev::run(&ctx, d).await,
        Some(Command::Class(c)) => class::run(&ctx, c).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dockdojo: {}", crate::sanitize::clean(&format!("{e:#}")));
            EXIT_CANNOT
        }
    }
}
