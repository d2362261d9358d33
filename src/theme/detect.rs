//! Is the terminal light or dark? Asked once, before the TUI starts:
//!
//! 1. OSC 11 ("what is your background colour?") through
//!    `terminal-colorsaurus`, which sends a DA1 query after it: every
//!    terminal answers DA1, so one that ignores OSC 11 is known at once, not
//!    after the timeout. It puts the terminal in raw mode only while it
//!    waits, behind a guard that leaves raw mode when dropped.
//! 2. `COLORFGBG` (set by rxvt, Konsole and others): `"15;0"` is light text
//!    on black. Its last field is the background's ANSI colour.
//! 3. Dark.
//!
//! Nothing is asked when stdin or stdout is not a terminal, so a pipe never waits.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use super::{Kind, Rgb};

/// How long the terminal has to answer. Local terminals answer in well
/// under a millisecond, and one that does not know OSC 11 says so at once
/// (its DA1 answer), so only a terminal that answers nothing at all waits
/// this long. It is long because an answer that comes after it (a slow SSH
/// link) would reach the TUI as keys typed into the console.
pub const TIMEOUT: Duration = Duration::from_secs(1);

/// What decided the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--theme` or `DOCKDOJO_THEME`.
    CommandLine,
    /// `theme` in config.toml.
    ConfigFile,
    /// The terminal's answer to OSC 11, with the background it named.
    Osc11(Rgb),
    /// The `COLORFGBG` environment variable.
    ColorFgBg(String),
    /// No answer and no `COLORFGBG`: dark.
    Default,
}

impl Source {
    /// For logs and `dockdojo doctor`.
    pub fn describe(&self) -> String {
        match self {
            Source::CommandLine => "--theme (or DOCKDOJO_THEME)".into(),
            Source::ConfigFile => "config.toml".into(),
            Source::Osc11(bg) => format!("the terminal's background {} (OSC 11)", bg.hex()),
            Source::ColorFgBg(v) => format!("COLORFGBG={v}"),
            Source::Default => {
                "the default: the terminal did not say its background and COLORFGBG is unset".into()
            }
        }
    }
}

/// Light or dark, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub kind: Kind,
    pub source: Source,
    /// How long asking the terminal took (zero when it was not asked).
    pub waited: Duration,
}

/// Ask the terminal, then `COLORFGBG`, then say dark.
pub fn detect() -> Detected {
    let started = Instant::now();
    let asked = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let osc = if asked {
        query_background(TIMEOUT)
    } else {
        None
    };
    let waited = if asked {
        started.elapsed()
    } else {
        Duration::ZERO
    };
    let colorfgbg = std::env::var("COLORFGBG").ok();
    let d = decide(osc, colorfgbg.as_deref(), waited);
    tracing::info!(
        theme = d.kind.name(),
        source = %d.source.describe(),
        waited_ms = d.waited.as_millis() as u64,
        asked,
        "terminal background"
    );
    d
}

/// The terminal's background colour, or `None` when it does not answer in
/// time (or is not a terminal).
pub fn query_background(timeout: Duration) -> Option<Rgb> {
    let mut options = terminal_colorsaurus::QueryOptions::default();
    options.timeout = timeout;
    match terminal_colorsaurus::background_color(options) {
        Ok(c) => {
            let (r, g, b) = c.scale_to_8bit();
            Some(Rgb(r, g, b))
        }
        Err(e) => {
            tracing::debug!("no answer to OSC 11: {e}");
            None
        }
    }
}

/// The decision, from what the terminal said and `COLORFGBG`.
pub fn decide(osc: Option<Rgb>, colorfgbg: Option<&str>, waited: Duration) -> Detected {
    if let Some(bg) = osc {
        return Detected {
            kind: kind_of_background(bg),
            source: Source::Osc11(bg),
            waited,
        };
    }
    if let Some(v) = colorfgbg {
        if let Some(kind) = from_colorfgbg(v) {
            return Detected {
                kind,
                source: Source::ColorFgBg(v.chars().filter(char::is_ascii_graphic).collect()),
                waited,
            };
        }
    }
    Detected {
        kind: Kind::Dark,
        source: Source::Default,
        waited,
    }
}

/// Light when the background is nearer white than black (by WCAG
/// luminance: the text colour that reads best on it would be black).
pub fn kind_of_background(bg: Rgb) -> Kind {
    let white = super::contrast(bg, Rgb(255, 255, 255));
    let black = super::contrast(bg, Rgb(0, 0, 0));
    if black > white {
        Kind::Light
    } else {
        Kind::Dark
    }
}

/// `COLORFGBG` is `fg;bg` (sometimes `fg;default;bg`): the last field is the
/// background's ANSI index. 7 (light grey) and 9..=15 (the bright colours,
/// 15 white) are light backgrounds, 0..=6 and 8 dark. `None` when unreadable.
pub fn from_colorfgbg(v: &str) -> Option<Kind> {
    let bg: u8 = v.rsplit(';').next()?.trim().parse().ok()?;
    match bg {
        7 | 9..=15 => Some(Kind::Light),
        0..=6 | 8 => Some(Kind::Dark),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colorfgbg_last_field_is_the_background() {
        assert_eq!(from_colorfgbg("15;0"), Some(Kind::Dark));
        assert_eq!(from_colorfgbg("0;15"), Some(Kind::Light));
        assert_eq!(from_colorfgbg("0;default;15"), Some(Kind::Light));
        assert_eq!(from_colorfgbg("0;7"), Some(Kind::Light));
        assert_eq!(from_colorfgbg("7;8"), Some(Kind::Dark));
        assert_eq!(from_colorfgbg("15;default"), None);
        assert_eq!(from_colorfgbg(""), None);
        assert_eq!(from_colorfgbg("0;99"), None);
    }

    #[test]
    fn osc11_first_then_colorfgbg_then_dark() {
        let z = Duration::ZERO;
        let white = Rgb(255, 255, 255);
        let d = decide(Some(white), Some("15;0"), z);
        assert_eq!((d.kind, d.source), (Kind::Light, Source::Osc11(white)));
        let d = decide(None, Some("0;15"), z);
        assert_eq!(d.kind, Kind::Light);
        assert_eq!(d.source, Source::ColorFgBg("0;15".into()));
        let d = decide(None, Some("nonsense"), z);
        assert_eq!((d.kind, d.source), (Kind::Dark, Source::Default));
        let d = decide(None, None, z);
        assert_eq!((d.kind, d.source), (Kind::Dark, Source::Default));
    }

    #[test]
    fn backgrounds_are_light_or_dark() {
        assert_eq!(kind_of_background(Rgb(0, 0, 0)), Kind::Dark);
        assert_eq!(kind_of_background(Rgb(0x28, 0x2c, 0x34)), Kind::Dark);
        assert_eq!(kind_of_background(Rgb(0xfd, 0xf6, 0xe3)), Kind::Light);
        assert_eq!(kind_of_background(Rgb(0xff, 0xff, 0xff)), Kind::Light);
        assert_eq!(kind_of_background(Rgb(0x00, 0x2b, 0x36)), Kind::Dark);
    }
}
