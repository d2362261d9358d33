//! What every entry point shares: the command line's global options, the
//! workspace, `DOCKDOJO_HOME`, the pack, and the exit statuses. Below both
//! the commands and the TUI, which use it.

use std::path::PathBuf;

use anyhow::anyhow;

use crate::cli::{GlobalArgs, ThemeChoice};
use crate::config::Config;
use crate::lesson::{self, Lesson, Pack, PackError};
use crate::theme::detect::{Detected, Source};
use crate::theme::{ColorMode, Kind, Theme};
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
    /// The settings in effect: the command line (or its environment
    /// variables) over the settings file.
    pub settings: Config,
    /// What was wrong with the settings file (`path:line:col: message`).
    pub config_problems: Vec<String>,
}

impl Ctx {
    pub fn from_global(global: GlobalArgs) -> Ctx {
        let ws = global
            .workspace
            .clone()
            .unwrap_or_else(crate::paths::default_workspace);
        let home = crate::paths::dockdojo_home();
        // Facts about images persist across runs (opened on first use).
        crate::check::cache::install(crate::check::cache::default_file(&home));
        let file = crate::config::load(&crate::config::default_file());
        let settings = Config {
            theme: global.theme.or(file.config.theme),
            lang: global.lang.clone().or(file.config.lang),
        };
        Ctx {
            global,
            workspace: Workspace::new(ws),
            home,
            settings,
            config_problems: file.problems,
        }
    }

    /// The palette in effect and what decided it: `--theme` (or
    /// `DOCKDOJO_THEME`) over config.toml's `theme`; `auto` (or neither) asks
    /// the terminal ([`crate::theme::detect`]), which takes up to
    /// [`crate::theme::detect::TIMEOUT`] and only on a terminal.
    pub fn theme(&self) -> (Theme, Detected) {
        let fixed = match self.settings.theme {
            Some(ThemeChoice::Light) => Some(Kind::Light),
            Some(ThemeChoice::Dark) => Some(Kind::Dark),
            Some(ThemeChoice::Auto) | None => None,
        };
        let detected = match fixed {
            Some(kind) => Detected {
                kind,
                source: if self.global.theme.is_some() {
                    Source::CommandLine
                } else {
                    Source::ConfigFile
                },
                waited: std::time::Duration::ZERO,
            },
            None => crate::theme::detect::detect(),
        };
        let theme = Theme::new(detected.kind, ColorMode::detect());
        (theme, detected)
    }

    /// Load the pack (built-in or `--lessons`) in the language of the
    /// settings, when it has that translation (`Pack::translation.note`
    /// says when it has not).
    pub fn pack(&self) -> Result<Pack, PackError> {
        lesson::load_lang(
            self.global.lessons.as_deref(),
            self.settings.lang.as_deref(),
        )
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
/// A language that could not be used is said once, on standard error.
pub fn load_pack_or_report(ctx: &Ctx) -> Result<Pack, i32> {
    let pack = ctx.pack().map_err(|e| {
        eprintln!("dockdojo: the lesson pack has problems:\n{e}");
        EXIT_CANNOT
    })?;
    if let Some(note) = &pack.translation.note {
        eprintln!("dockdojo: {}", crate::sanitize::clean_line(note));
    }
    Ok(pack)
}
