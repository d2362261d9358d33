//! `dockdojo map [LESSON] [--all] [--ascii] [--width N]`: the network map
//! as text, the picture the TUI's map view draws (F4). With a lesson, its
//! objects and its reach checks, run now; without, everything.

use std::io::IsTerminal;

use super::{find_lesson, load_pack_or_report, Ctx, EXIT_CANNOT, EXIT_OK};
use crate::check::{self, CheckEnv};
use crate::cli::MapArgs;
use crate::map::text::{self, Charset, Options, Tone};
use crate::map::{NetworkMap, Scope};
use crate::sanitize::clean;
use crate::theme::Theme;

/// Width when standard output is not a terminal and `--width` is not given.
const DEFAULT_WIDTH: usize = 80;

pub async fn run(ctx: &Ctx, args: MapArgs) -> anyhow::Result<i32> {
    let pack = match &args.lesson {
        Some(_) => match load_pack_or_report(ctx) {
            Ok(p) => Some(p),
            Err(code) => return Ok(code),
        },
        None => None,
    };
    let lesson = match (&pack, &args.lesson) {
        (Some(p), Some(name)) => match find_lesson(p, name) {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!("dockdojo: {}", clean(&format!("{e:#}")));
                return Ok(EXIT_CANNOT);
            }
        },
        _ => None,
    };
    let engine = match crate::engine::connect_quick().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("dockdojo: {}", clean(&e.to_string()));
            return Ok(EXIT_CANNOT);
        }
    };
    let inventory = match crate::engine::inventory::gather(&engine).await {
        Ok(i) => i,
        Err(e) => {
            eprintln!("dockdojo: {}", clean(&e.to_string()));
            return Ok(EXIT_CANNOT);
        }
    };

    // The reach edges: the lesson's reach checks (and what they need), run now.
    let edges = match (&pack, lesson) {
        (Some(pack), Some(l)) => {
            let reach = crate::map::with_reach_checks_only(l);
            if reach.checks.is_empty() {
                Vec::new()
            } else {
                if std::io::stderr().is_terminal() {
                    eprintln!(
                        "dockdojo: running the reach checks of {} (each probe takes a few seconds)…",
                        crate::sanitize::clean_line(&l.id)
                    );
                }
                let dir = ctx.workspace.lesson_dir(l);
                let env = CheckEnv {
                    engine: Ok(&engine),
                    pack,
                    lesson: &reach,
                    lesson_dir: &dir,
                };
                let (result, _swept) = tokio::join!(
                    check::run_lesson(&env),
                    crate::engine::cleanup::sweep_leftovers(&engine)
                );
                crate::map::reach_edges(l, &result)
            }
        }
        _ => Vec::new(),
    };

    let scope = match lesson {
        Some(l) if !args.all => {
            let named = crate::app::lesson_names(l);
            Scope::Lesson {
                networks: named.networks,
                containers: named.containers,
            }
        }
        _ => Scope::Everything,
    };
    let map = NetworkMap::build(&inventory, &scope, &edges);

    let tty = std::io::stdout().is_terminal();
    let width = args.width.map(usize::from).unwrap_or_else(|| {
        if tty {
            crossterm::terminal::size().map_or(DEFAULT_WIDTH, |(w, _)| w as usize)
        } else {
            DEFAULT_WIDTH
        }
    });
    let charset = if args.ascii || !tty {
        Charset::Ascii
    } else {
        Charset::Unicode
    };
    let lines = text::lines(
        &map,
        &Options {
            width,
            charset,
            show_all: "--all shows them",
        },
    );
    let color = tty && std::env::var_os("NO_COLOR").is_none();
    let out = if color {
        coloured(&lines, &ctx.theme().0)
    } else {
        text::plain(&lines)
    };
    super::check::print_stdout(&out);
    Ok(EXIT_OK)
}

/// The lines with ANSI colours, for a terminal.
fn coloured(lines: &[text::Line], t: &Theme) -> String {
    let p = t.palette;
    let mut out = String::new();
    for l in lines {
        let mut row = String::new();
        for s in l {
            let code = match s.tone {
                Tone::Plain => String::new(),
                Tone::Dim | Tone::Border => format!("\x1b[{}m", t.sgr(p.dim)),
                Tone::Name => "\x1b[1m".to_string(),
                Tone::Network => format!("\x1b[1;{}m", t.sgr(p.accent)),
                Tone::Pass => format!("\x1b[{}m", t.sgr(p.pass)),
                Tone::Fail => format!("\x1b[{}m", t.sgr(p.fail)),
                Tone::Warn => format!("\x1b[{}m", t.sgr(p.warn)),
            };
            if code.is_empty() {
                row.push_str(&s.text);
            } else {
                row.push_str(&code);
                row.push_str(&s.text);
                row.push_str("\x1b[0m");
            }
        }
        out.push_str(row.trim_end());
        out.push('\n');
    }
    out
}
