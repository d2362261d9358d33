//! The learner's settings file, `config.toml`: the theme and the language.
//!
//! Where it is: `$DOCKDOJO_HOME/config.toml` when `DOCKDOJO_HOME` is set,
//! else `$XDG_CONFIG_HOME/dockdojo/config.toml` (`~/.config/dockdojo/config.toml`).
//! A command-line option (`--theme`, `--lang`, or their environment
//! variables) wins over the file. A file that does not parse, or a setting
//! that is not known, is reported as `path:line:col: message` and the rest
//! of the file still applies; nothing is ever written to it.

use std::path::{Path, PathBuf};

use crate::cli::ThemeChoice;
use crate::lesson::frontmatter::LineIndex;

/// The settings the file may hold. `None`: not set there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub theme: Option<ThemeChoice>,
    /// A language tag such as `de` or `pt-BR`.
    pub lang: Option<String>,
}

/// The settings file and what was wrong with it (empty when it is fine or absent).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    /// `path:line:col: message`, one per problem.
    pub problems: Vec<String>,
}

/// Where the settings file is.
pub fn default_file() -> PathBuf {
    if std::env::var_os("DOCKDOJO_HOME").is_some_and(|v| !v.is_empty()) {
        return crate::paths::dockdojo_home().join("config.toml");
    }
    dirs::config_dir()
        .unwrap_or_else(|| crate::paths::home_dir().join(".config"))
        .join("dockdojo")
        .join("config.toml")
}

/// Read the settings file at `path`; an absent file is an empty config.
pub fn load(path: &Path) -> Loaded {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => parse(path, &text),
            Err(_) => Loaded {
                config: Config::default(),
                problems: vec![format!(
                    "{}:1:1: the settings file is not UTF-8 text; it is ignored",
                    path.display()
                )],
            },
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Loaded::default(),
        Err(e) => Loaded {
            config: Config::default(),
            problems: vec![format!(
                "{}: cannot read the settings file ({e}); it is ignored",
                path.display()
            )],
        },
    }
}

/// Parse the text of a settings file (`path` names it in messages).
pub fn parse(path: &Path, text: &str) -> Loaded {
    let lines = LineIndex::new(text);
    let at = |offset: usize, msg: String| {
        let (l, c) = lines.line_col(offset);
        format!("{}:{l}:{c}: {msg}", path.display())
    };
    let doc = match toml_edit::ImDocument::parse(text) {
        Ok(d) => d,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            let msg = e.message().trim_end().to_string();
            return Loaded {
                config: Config::default(),
                problems: vec![at(offset, format!("{msg}; the settings file is ignored"))],
            };
        }
    };
    let mut out = Loaded::default();
    for (key, item) in doc.as_table().iter() {
        let offset = doc
            .as_table()
            .key(key)
            .and_then(|k| k.span())
            .map_or(0, |s| s.start);
        let value_at = item.span().map_or(offset, |s| s.start);
        match key {
            "theme" => match item.as_str().map(ThemeChoice::parse) {
                Some(Some(t)) => out.config.theme = Some(t),
                _ => out.problems.push(at(
                    value_at,
                    "`theme` is \"auto\", \"light\" or \"dark\"".to_string(),
                )),
            },
            "lang" => match item.as_str() {
                Some(l) if crate::lang::is_language_tag(l) => out.config.lang = Some(l.to_string()),
                _ => out.problems.push(at(
                    value_at,
                    "`lang` is a language tag such as \"de\" or \"pt-BR\"".to_string(),
                )),
            },
            other => out.problems.push(at(
                offset,
                format!(
                    "unknown setting `{}`; the settings are `theme` and `lang`",
                    crate::sanitize::clean_line(other)
                ),
            )),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Loaded {
        parse(Path::new("config.toml"), text)
    }

    #[test]
    fn both_settings_are_read() {
        let l = p("theme = \"light\"\nlang = \"de\"\n");
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        assert_eq!(l.config.theme, Some(ThemeChoice::Light));
        assert_eq!(l.config.lang.as_deref(), Some("de"));
    }

    #[test]
    fn a_bad_value_is_named_with_its_position_and_the_rest_applies() {
        let l = p("lang = \"de\"\ntheme = \"pink\"\n");
        assert_eq!(l.config.lang.as_deref(), Some("de"));
        assert_eq!(l.config.theme, None);
        assert_eq!(l.problems.len(), 1);
        assert!(
            l.problems[0].starts_with("config.toml:2:9: `theme` is"),
            "{}",
            l.problems[0]
        );
    }

    #[test]
    fn an_unknown_setting_is_named() {
        let l = p("\ncolour = 1\n");
        assert!(
            l.problems[0].starts_with("config.toml:2:1: unknown setting `colour`"),
            "{:?}",
            l.problems
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_ignored_with_a_position() {
        let l = p("theme = \n");
        assert_eq!(l.config, Config::default());
        assert!(
            l.problems[0].starts_with("config.toml:1:"),
            "{:?}",
            l.problems
        );
        assert!(l.problems[0].ends_with("the settings file is ignored"));
    }

    #[test]
    fn an_absent_file_is_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        let l = load(&dir.path().join("config.toml"));
        assert_eq!(l.config, Config::default());
        assert!(l.problems.is_empty());
    }
}
