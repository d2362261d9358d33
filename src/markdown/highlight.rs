//! Code highlighting with syntect, using two-face's grammars (which include
//! Dockerfile and TOML) and one of its themes. Loaded once per process.
//!
//! syntect runs on Oniguruma, not fancy-regex: the grammars' patterns use
//! `\w`, `\s` and `\b` everywhere, and fancy-regex compiles each of those
//! into Unicode automata. Highlighting the lessons' bash, Dockerfile, Go and
//! Python took 31 MB of heap that way and 2.6 MB with Oniguruma, which is
//! also 4-7x faster (BENCHMARKS.md, "memory").

use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use syntect::easy::HighlightLines;
use syntect::highlighting::{Color as SyntectColor, FontStyle, Theme as SyntaxTheme};
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

/// One highlighted line: styled pieces of text, no newline, tabs expanded.
pub(crate) type StyledLine = Vec<(Style, String)>;

pub use crate::theme::{rgb_to_xterm256, ColorMode};
use crate::theme::{Kind, Rgb, Theme};

use super::grammars::{self, Grammar};

/// The code themes; the grammars are [`grammars`]'.
struct Highlighter {
    dark: SyntaxTheme,
    light: SyntaxTheme,
}

impl Highlighter {
    fn theme(&self, t: &Theme) -> &SyntaxTheme {
        match t.kind() {
            Kind::Dark => &self.dark,
            Kind::Light => &self.light,
        }
    }
}

/// The code colours for each palette: two-face's themes, with every
/// foreground that misses 4.5:1 on the theme's background (which code blocks
/// are drawn on) moved towards white or black until it reaches it.
pub const DARK_SYNTAX: EmbeddedThemeName = EmbeddedThemeName::MonokaiExtended;
pub const LIGHT_SYNTAX: EmbeddedThemeName = EmbeddedThemeName::InspiredGithub;

static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();

fn highlighter() -> &'static Highlighter {
    HIGHLIGHTER.get_or_init(|| {
        let themes = two_face::theme::extra();
        grammars::load();
        Highlighter {
            dark: readable(themes.get(DARK_SYNTAX).clone()).0,
            light: readable(themes.get(LIGHT_SYNTAX).clone()).0,
        }
    })
}

fn rgb(c: SyntectColor) -> Rgb {
    Rgb(c.r, c.g, c.b)
}

/// The theme with each foreground that misses 4.5:1 on its background
/// darkened (light themes) or lightened (dark ones) just enough, and what
/// was changed: (scope selector, before, after).
pub(crate) fn readable(mut theme: SyntaxTheme) -> (SyntaxTheme, Vec<(String, Rgb, Rgb)>) {
    let mut changed = Vec::new();
    let Some(bg) = theme.settings.background.map(rgb) else {
        return (theme, changed);
    };
    let mut fix = |what: String, c: &mut SyntectColor| {
        let before = rgb(*c);
        let after = crate::theme::ensure_contrast(before, bg, 4.5);
        if after != before {
            changed.push((what, before, after));
            *c = SyntectColor {
                r: after.0,
                g: after.1,
                b: after.2,
                a: 0xff,
            };
        }
    };
    if let Some(fg) = theme.settings.foreground.as_mut() {
        fix("foreground".into(), fg);
    }
    for item in &mut theme.scopes {
        if let Some(fg) = item.style.foreground.as_mut() {
            fix(format!("{:?}", item.scope), fg);
        }
    }
    (theme, changed)
}

/// Whether the grammars and the theme are loaded (so highlighting costs no
/// start-up wait).
pub fn is_loaded() -> bool {
    HIGHLIGHTER.get().is_some()
}

/// Code lines without colours and without touching the grammars: what a
/// lesson shows while they load ([`super::Document::parse_unhighlighted`]).
pub(crate) fn unstyled(code: &str) -> Vec<StyledLine> {
    code.lines()
        .map(|l| vec![(Style::new(), expand_tabs(l, 0).0)])
        .collect()
}

/// Load the grammars and the theme now (they take a while to deserialize), so
/// the first lesson opens without that wait. Safe to call from any thread, any
/// number of times.
pub fn warm_up() {
    // Grammars compile their patterns on first use: use the lessons' ones once
    // (only these: each grammar's compiled patterns stay in memory).
    for (lang, sample) in [
        ("bash", "docker build -t x . && echo \"$HOME\"\n"),
        ("dockerfile", "FROM scratch AS x\nCOPY --from=x /a /a\n"),
        ("console", "$ docker images\n"),
    ] {
        let _ = highlight(sample, lang, &Theme::dark());
    }
}

/// How a fence's language is highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode<'a> {
    /// A shell session: `$ ` lines are commands (highlighted as bash), the rest output.
    Console,
    Syntax(&'a str),
    Plain,
}

/// The language a fence names, normalised to what the highlighter knows.
pub(crate) fn mode_for(lang: &str) -> Mode<'_> {
    match lang.to_ascii_lowercase().as_str() {
        "console" | "shell-session" | "terminal" | "shellsession" => Mode::Console,
        "sh" | "bash" | "shell" | "zsh" | "ksh" | "dash" | "ash" => Mode::Syntax("bash"),
        "dockerfile" | "docker" | "containerfile" => Mode::Syntax("dockerfile"),
        "go" | "golang" => Mode::Syntax("go"),
        "python" | "py" | "python3" => Mode::Syntax("python"),
        "json" | "jsonc" | "json5" => Mode::Syntax("json"),
        "toml" => Mode::Syntax("toml"),
        "yaml" | "yml" | "compose" => Mode::Syntax("yaml"),
        "rust" | "rs" => Mode::Syntax("rust"),
        "js" | "javascript" | "node" => Mode::Syntax("js"),
        "ts" | "typescript" => Mode::Syntax("ts"),
        "c" => Mode::Syntax("c"),
        "ini" | "conf" => Mode::Syntax("ini"),
        "make" | "makefile" => Mode::Syntax("makefile"),
        "diff" | "patch" => Mode::Syntax("diff"),
        "" | "text" | "txt" | "plain" | "plaintext" | "output" => Mode::Plain,
        // Anything else the grammar set knows by name or extension.
        _ => Mode::Syntax(lang),
    }
}

/// Whether the grammar for a fence language exists (for tests and diagnostics).
pub fn has_grammar(lang: &str) -> bool {
    match mode_for(lang) {
        Mode::Console => grammars::find("bash").is_some(),
        Mode::Syntax(token) => grammars::find(token).is_some(),
        Mode::Plain => false,
    }
}

/// The theme's background, for the code block area.
pub(crate) fn code_background(t: &Theme) -> Option<Color> {
    highlighter()
        .theme(t)
        .settings
        .background
        .map(|c| convert_color(c, t.mode))
}

fn code_foreground(t: &Theme) -> Style {
    let fg = highlighter()
        .theme(t)
        .settings
        .foreground
        .map(|c| convert_fg(c, t));
    let mut style = Style::new();
    if let Some(fg) = fg {
        style = style.fg(fg);
    }
    style
}

/// Highlight sanitized code (control characters already made visible).
pub(crate) fn highlight(code: &str, lang: &str, t: &Theme) -> Vec<StyledLine> {
    match mode_for(lang) {
        Mode::Plain => plain(code, t),
        Mode::Syntax(token) => match grammars::find(token) {
            Some(grammar) => highlight_with(grammar, code, t),
            None => plain(code, t),
        },
        Mode::Console => console(code, t),
    }
}

/// Highlight code with one grammar.
pub(crate) fn highlight_with(grammar: Grammar, code: &str, t: &Theme) -> Vec<StyledLine> {
    let mut h = HighlightLines::new(grammar.syntax, highlighter().theme(t));
    LinesWithEndings::from(code)
        .map(|line| highlight_line(&mut h, grammar, line, t))
        .collect()
}

fn plain(code: &str, t: &Theme) -> Vec<StyledLine> {
    let style = code_foreground(t);
    code.lines()
        .map(|l| vec![(style, expand_tabs(l, 0).0)])
        .collect()
}

/// `$ cmd` lines highlighted as bash with a dimmed prompt (continuation lines
/// of a command too), everything else as program output.
fn console(code: &str, t: &Theme) -> Vec<StyledLine> {
    let hl = highlighter();
    let Some(bash) = grammars::find("bash") else {
        return plain(code, t);
    };
    let output = muted(t);
    let prompt = muted(t);
    let mut continuing = false;
    let mut out = Vec::new();
    for line in code.lines() {
        let command = if continuing {
            Some(("", line))
        } else {
            split_prompt(line)
        };
        match command {
            Some((p, cmd)) => {
                let mut h = HighlightLines::new(bash.syntax, hl.theme(t));
                let mut styled = Vec::new();
                if !p.is_empty() {
                    styled.push((prompt, p.to_string()));
                }
                let with_newline = format!("{cmd}\n");
                for (style, text) in highlight_line(&mut h, bash, &with_newline, t) {
                    styled.push((style, text));
                }
                continuing = cmd.trim_end().ends_with('\\');
                out.push(styled);
            }
            None => out.push(vec![(output, expand_tabs(line, 0).0)]),
        }
    }
    out
}

/// Prompts and program output in a console block: the code colour moved a
/// third of the way to the background, and still 4.5:1 on it (the terminal's
/// faint attribute would dim it by an amount nobody can measure).
fn muted(t: &Theme) -> Style {
    let settings = &highlighter().theme(t).settings;
    match (settings.foreground, settings.background) {
        (Some(fg), Some(bg)) => {
            let (f, b) = (rgb(fg), rgb(bg));
            let mix = |x: u8, y: u8| ((f64::from(x) * 2.0 + f64::from(y)) / 3.0).round() as u8;
            let m = Rgb(mix(f.0, b.0), mix(f.1, b.1), mix(f.2, b.2));
            Style::new().fg(crate::theme::readable_color(m, b, t.mode, 4.5))
        }
        _ => code_foreground(t).add_modifier(Modifier::DIM),
    }
}

/// `"$ docker ps"` -> `("$ ", "docker ps")`; also a bare `$`.
pub(crate) fn split_prompt(line: &str) -> Option<(&str, &str)> {
    if let Some(rest) = line.strip_prefix("$ ") {
        Some((&line[..2], rest))
    } else if line.trim_end() == "$" {
        Some((line, ""))
    } else {
        None
    }
}

fn highlight_line(
    h: &mut HighlightLines<'_>,
    grammar: Grammar,
    line: &str,
    t: &Theme,
) -> StyledLine {
    let ranges = match h.highlight_line(line, grammar.set) {
        Ok(r) => r,
        // A grammar error must not lose the text: show it plain.
        Err(_) => {
            return vec![(
                code_foreground(t),
                expand_tabs(line.trim_end_matches(['\n', '\r']), 0).0,
            )]
        }
    };
    let mut out: StyledLine = Vec::new();
    let mut col = 0;
    for (style, text) in ranges {
        let text = text.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            continue;
        }
        let (expanded, new_col) = expand_tabs(text, col);
        col = new_col;
        let style = convert_style(style, t);
        match out.last_mut() {
            Some((s, t)) if *s == style => t.push_str(&expanded),
            _ => out.push((style, expanded)),
        }
    }
    out
}

/// Tabs to spaces with stops every 4 columns, starting at column `col`.
pub(crate) fn expand_tabs(text: &str, mut col: usize) -> (String, usize) {
    use unicode_width::UnicodeWidthChar;
    if !text.contains('\t') {
        let w: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
        return (text.to_string(), col + w);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\t' {
            let n = 4 - col % 4;
            out.push_str(&" ".repeat(n));
            col += n;
        } else {
            out.push(c);
            col += c.width().unwrap_or(0);
        }
    }
    (out, col)
}

fn convert_style(style: syntect::highlighting::Style, t: &Theme) -> Style {
    let mut out = Style::new().fg(convert_fg(style.foreground, t));
    if style.font_style.contains(FontStyle::BOLD) {
        out = out.add_modifier(Modifier::BOLD);
    }
    if style.font_style.contains(FontStyle::ITALIC) {
        out = out.add_modifier(Modifier::ITALIC);
    }
    if style.font_style.contains(FontStyle::UNDERLINE) {
        out = out.add_modifier(Modifier::UNDERLINED);
    }
    out
}

/// A code colour as this terminal writes it, still 4.5:1 on the code
/// background when both become 256-colour indices.
fn convert_fg(c: SyntectColor, t: &Theme) -> Color {
    match highlighter().theme(t).settings.background {
        Some(bg) => crate::theme::readable_color(rgb(c), rgb(bg), t.mode, 4.5),
        None => convert_color(c, t.mode),
    }
}

fn convert_color(c: syntect::highlighting::Color, colors: ColorMode) -> Color {
    match colors {
        ColorMode::TrueColor => Color::Rgb(c.r, c.g, c.b),
        ColorMode::Palette256 => Color::Indexed(rgb_to_xterm256(c.r, c.g, c.b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_languages_have_grammars() {
        for lang in [
            "dockerfile",
            "Dockerfile",
            "bash",
            "sh",
            "shell",
            "console",
            "go",
            "python",
            "json",
            "toml",
            "yaml",
            "yml",
        ] {
            assert!(has_grammar(lang), "{lang}");
        }
        assert!(!has_grammar("klingon"));
        assert!(!has_grammar(""));
    }

    #[test]
    fn highlighting_colours_keywords_differently() {
        let lines = highlight("FROM golang:1.22 AS build\n", "dockerfile", &Theme::dark());
        assert_eq!(lines.len(), 1);
        let text: String = lines[0].iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(text, "FROM golang:1.22 AS build");
        let from = lines[0][0].0;
        let rest = lines[0]
            .iter()
            .find(|(_, t)| t.contains("golang"))
            .map(|(s, _)| *s);
        assert!(matches!(from.fg, Some(Color::Rgb(..))));
        assert_ne!(Some(from), rest, "FROM is styled apart from the image name");
    }

    #[test]
    fn palette_mode_uses_indexed_colours() {
        let lines = highlight(
            "package main\n",
            "go",
            &Theme::new(Kind::Dark, ColorMode::Palette256),
        );
        assert!(lines[0]
            .iter()
            .all(|(s, _)| matches!(s.fg, Some(Color::Indexed(_)))));
    }

    #[test]
    fn console_prompts_and_output() {
        let lines = highlight(
            "$ docker images \\\n    calc\nREPOSITORY TAG\n$\n",
            "console",
            &Theme::dark(),
        );
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0][0].1, "$ ");
        let muted = muted(&Theme::dark());
        assert_eq!(lines[0][0].0, muted);
        assert_ne!(muted.fg, code_foreground(&Theme::dark()).fg);
        // the continuation line is a command too, the table is output
        assert_ne!(lines[1][0].0, muted);
        assert_eq!(lines[2][0].0, muted);
        assert_eq!(lines[2][0].1, "REPOSITORY TAG");
    }

    #[test]
    fn tabs_expand_to_stops() {
        assert_eq!(expand_tabs("a\tb", 0), ("a   b".to_string(), 5));
        assert_eq!(expand_tabs("\tx", 2), ("  x".to_string(), 5));
        let lines = highlight("func main() {\n\treturn\n}\n", "go", &Theme::dark());
        let text: String = lines[1].iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(text, "    return");
    }

    #[test]
    fn xterm256_mapping() {
        assert_eq!(rgb_to_xterm256(0, 0, 0), 16);
        assert_eq!(rgb_to_xterm256(255, 255, 255), 231);
        assert_eq!(rgb_to_xterm256(255, 0, 0), 196);
        assert_eq!(rgb_to_xterm256(0x27, 0x28, 0x22), 235);
        assert_eq!(rgb_to_xterm256(128, 128, 128), 244);
    }

    /// One sample per language the lessons use.
    const SAMPLES: &[(&str, &str)] = &[
        (
            "dockerfile",
            "# syntax=docker/dockerfile:1\nFROM golang:1.22 AS build\nARG VERSION=1\nENV CGO_ENABLED=0\nRUN go build -o /out/app . && echo \"done $VERSION\"\nCOPY --from=build /out/app /app\nUSER 65532:65532\nENTRYPOINT [\"/app\", \"--port\", \"8080\"]\n",
        ),
        (
            "bash",
            "#!/bin/sh\n# build it\nset -eu\nfor i in 1 2; do docker build -t \"calc:$i\" . ; done\nif [ -n \"${HOME:-}\" ]; then echo 'ok' > /tmp/x; fi\nexport A=$(date +%s)\n",
        ),
        (
            "go",
            "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n)\n\n// main serves.\nfunc main() {\n\tvar n int = 42\n\tx := []string{\"a\"}\n\tif err := http.ListenAndServe(\":8080\", nil); err != nil {\n\t\tfmt.Println(err, n, x, true, nil)\n\t}\n}\n",
        ),
        (
            "python",
            "#!/usr/bin/env python3\n\"\"\"Doc.\"\"\"\nimport os\n\n@decorator\nclass A(Base):\n    def f(self, x: int = 3) -> str:\n        # comment\n        return f\"{x} {os.environ['HOME']}\" if x > 1.5 else None\n",
        ),
        (
            "yaml",
            "# compose\nservices:\n  web:\n    image: \"nginx:1.27\"\n    ports: [\"8080:80\"]\n    healthcheck:\n      test: [CMD, curl, -f, http://localhost]\n      retries: 3\n    enabled: true\n    anchor: &a\n      x: ~\n",
        ),
        (
            "json",
            "{\n  \"name\": \"calc\",\n  \"size\": 12.5,\n  \"ok\": true,\n  \"tags\": [null, 1]\n}\n",
        ),
        (
            "toml",
            "# settings\n[server]\nname = \"calc\"\nport = 8080\nratio = 0.5\ndebug = false\nwhen = 1979-05-27T07:32:00Z\n",
        ),
        ("console", "$ docker images --format '{{.Size}}'\nREPOSITORY   TAG\n"),
    ];

    #[test]
    fn code_colours_reach_aa_on_the_code_background_in_both_palettes() {
        // A colour as the terminal shows it (256-colour indices as xterm's palette).
        fn shown(c: Option<Color>) -> Option<Rgb> {
            match c? {
                Color::Rgb(r, g, b) => Some(Rgb(r, g, b)),
                Color::Indexed(i) => crate::theme::xterm256_rgb(i),
                _ => None,
            }
        }
        let mut failures = Vec::new();
        for kind in [Kind::Dark, Kind::Light] {
            for mode in [ColorMode::TrueColor, ColorMode::Palette256] {
                let t = Theme::new(kind, mode);
                let bg = shown(code_background(&t)).expect("a code background");
                for (lang, code) in SAMPLES {
                    for line in highlight(code, lang, &t) {
                        for (style, text) in line {
                            let fg = shown(style.fg)
                                .unwrap_or_else(|| panic!("{lang}: {text:?} has no colour"));
                            let ratio = crate::theme::contrast(fg, bg);
                            if ratio < 4.5 {
                                failures.push(format!(
                                    "{} {mode:?} {lang} {text:?}: {} on {} is {ratio:.2}",
                                    kind.name(),
                                    fg.hex(),
                                    bg.hex()
                                ));
                            }
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    /// What `readable` changed in the chosen themes, and how the others fare
    /// (`cargo test --lib survey_syntax_themes -- --nocapture`).
    #[test]
    fn survey_syntax_themes() {
        let themes = two_face::theme::extra();
        for &name in two_face::theme::EmbeddedLazyThemeSet::theme_names() {
            let theme = themes.get(name).clone();
            let Some(bg) = theme.settings.background.map(rgb) else {
                continue;
            };
            let (_, changed) = readable(theme);
            println!(
                "{name:?} bg {} ({:?}): {} colours below 4.5",
                bg.hex(),
                crate::theme::detect::kind_of_background(bg),
                changed.len()
            );
            if name == DARK_SYNTAX || name == LIGHT_SYNTAX {
                for (what, before, after) in changed {
                    println!(
                        "    {what}: {} ({:.2}) -> {} ({:.2})",
                        before.hex(),
                        crate::theme::contrast(before, bg),
                        after.hex(),
                        crate::theme::contrast(after, bg)
                    );
                }
            }
        }
    }
}
