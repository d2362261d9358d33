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
use syntect::highlighting::{FontStyle, Theme};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// One highlighted line: styled pieces of text, no newline, tabs expanded.
pub(crate) type StyledLine = Vec<(Style, String)>;

/// How colours are written to the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    /// 24-bit colour (`COLORTERM=truecolor`).
    TrueColor,
    /// The xterm 256-colour palette, for terminals without 24-bit colour.
    Palette256,
}

impl ColorMode {
    /// From the environment: `COLORTERM=truecolor|24bit` (or a terminal known to
    /// support it) gives true colour, anything else the 256-colour palette.
    pub fn detect() -> ColorMode {
        let colorterm = std::env::var("COLORTERM").unwrap_or_default();
        let program = std::env::var("TERM_PROGRAM").unwrap_or_default();
        if matches!(colorterm.as_str(), "truecolor" | "24bit")
            || matches!(
                program.as_str(),
                "iTerm.app" | "WezTerm" | "vscode" | "ghostty" | "Hyper"
            )
        {
            ColorMode::TrueColor
        } else {
            ColorMode::Palette256
        }
    }
}

struct Highlighter {
    syntaxes: SyntaxSet,
    theme: Theme,
}

static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();

fn highlighter() -> &'static Highlighter {
    HIGHLIGHTER.get_or_init(|| {
        let themes = two_face::theme::extra();
        Highlighter {
            syntaxes: two_face::syntax::extra_newlines(),
            theme: themes
                .get(two_face::theme::EmbeddedThemeName::MonokaiExtended)
                .clone(),
        }
    })
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
    // Grammars compile their patterns on first use: use the common ones once.
    for (lang, sample) in [
        ("bash", "docker build -t x . && echo \"$HOME\"\n"),
        ("dockerfile", "FROM scratch AS x\nCOPY --from=x /a /a\n"),
        ("console", "$ docker images\n"),
        ("go", "package main\nfunc main() {}\n"),
    ] {
        let _ = highlight(sample, lang, ColorMode::TrueColor);
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

fn find_syntax(token: &str) -> Option<&'static SyntaxReference> {
    highlighter().syntaxes.find_syntax_by_token(token)
}

/// Whether the grammar for a fence language exists (for tests and diagnostics).
pub fn has_grammar(lang: &str) -> bool {
    match mode_for(lang) {
        Mode::Console => find_syntax("bash").is_some(),
        Mode::Syntax(token) => find_syntax(token).is_some(),
        Mode::Plain => false,
    }
}

/// The theme's background, for the code block area.
pub(crate) fn code_background(colors: ColorMode) -> Option<Color> {
    highlighter()
        .theme
        .settings
        .background
        .map(|c| convert_color(c, colors))
}

fn code_foreground(colors: ColorMode) -> Style {
    let fg = highlighter()
        .theme
        .settings
        .foreground
        .map(|c| convert_color(c, colors));
    let mut style = Style::new();
    if let Some(fg) = fg {
        style = style.fg(fg);
    }
    style
}

/// Highlight sanitized code (control characters already made visible).
pub(crate) fn highlight(code: &str, lang: &str, colors: ColorMode) -> Vec<StyledLine> {
    let hl = highlighter();
    match mode_for(lang) {
        Mode::Plain => plain(code, colors),
        Mode::Syntax(token) => match find_syntax(token) {
            Some(syntax) => {
                let mut h = HighlightLines::new(syntax, &hl.theme);
                LinesWithEndings::from(code)
                    .map(|line| highlight_line(&mut h, line, colors))
                    .collect()
            }
            None => plain(code, colors),
        },
        Mode::Console => console(code, colors),
    }
}

fn plain(code: &str, colors: ColorMode) -> Vec<StyledLine> {
    let style = code_foreground(colors);
    code.lines()
        .map(|l| vec![(style, expand_tabs(l, 0).0)])
        .collect()
}

/// `$ cmd` lines highlighted as bash with a dimmed prompt (continuation lines
/// of a command too), everything else as program output.
fn console(code: &str, colors: ColorMode) -> Vec<StyledLine> {
    let hl = highlighter();
    let Some(bash) = find_syntax("bash") else {
        return plain(code, colors);
    };
    let output = code_foreground(colors).add_modifier(Modifier::DIM);
    let prompt = code_foreground(colors).add_modifier(Modifier::DIM);
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
                let mut h = HighlightLines::new(bash, &hl.theme);
                let mut styled = Vec::new();
                if !p.is_empty() {
                    styled.push((prompt, p.to_string()));
                }
                let with_newline = format!("{cmd}\n");
                for (style, text) in highlight_line(&mut h, &with_newline, colors) {
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

fn highlight_line(h: &mut HighlightLines<'_>, line: &str, colors: ColorMode) -> StyledLine {
    let hl = highlighter();
    let ranges = match h.highlight_line(line, &hl.syntaxes) {
        Ok(r) => r,
        // A grammar error must not lose the text: show it plain.
        Err(_) => {
            return vec![(
                code_foreground(colors),
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
        let style = convert_style(style, colors);
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

fn convert_style(style: syntect::highlighting::Style, colors: ColorMode) -> Style {
    let mut out = Style::new().fg(convert_color(style.foreground, colors));
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

fn convert_color(c: syntect::highlighting::Color, colors: ColorMode) -> Color {
    match colors {
        ColorMode::TrueColor => Color::Rgb(c.r, c.g, c.b),
        ColorMode::Palette256 => Color::Indexed(rgb_to_xterm256(c.r, c.g, c.b)),
    }
}

/// The nearest colour of the xterm 256-colour palette (the 6x6x6 cube or
/// the grey ramp; the 16 system colours vary between terminals and are not used).
pub fn rgb_to_xterm256(r: u8, g: u8, b: u8) -> u8 {
    const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    fn cube_index(v: u8) -> usize {
        // nearest of STEPS
        let mut best = 0;
        for (i, s) in STEPS.iter().enumerate() {
            if v.abs_diff(*s) < v.abs_diff(STEPS[best]) {
                best = i;
            }
        }
        best
    }
    fn dist(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
        let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
        d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
    }
    let (ri, gi, bi) = (cube_index(r), cube_index(g), cube_index(b));
    let cube = (STEPS[ri], STEPS[gi], STEPS[bi]);
    let cube_idx = 16 + 36 * ri + 6 * gi + bi;
    // grey ramp: 232..=255 are 8, 18, ..., 238
    let avg = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    let grey_i = if avg < 8 {
        0
    } else {
        ((avg - 8 + 5) / 10).min(23)
    };
    let grey_v = (8 + 10 * grey_i) as u8;
    let grey_idx = 232 + grey_i as usize;
    let target = (r, g, b);
    if dist(target, (grey_v, grey_v, grey_v)) < dist(target, cube) {
        grey_idx as u8
    } else {
        cube_idx as u8
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
        let lines = highlight(
            "FROM golang:1.22 AS build\n",
            "dockerfile",
            ColorMode::TrueColor,
        );
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
        let lines = highlight("package main\n", "go", ColorMode::Palette256);
        assert!(lines[0]
            .iter()
            .all(|(s, _)| matches!(s.fg, Some(Color::Indexed(_)))));
    }

    #[test]
    fn console_prompts_and_output() {
        let lines = highlight(
            "$ docker images \\\n    calc\nREPOSITORY TAG\n$\n",
            "console",
            ColorMode::TrueColor,
        );
        assert_eq!(lines.len(), 4);
        assert_eq!(lines[0][0].1, "$ ");
        assert!(lines[0][0].0.add_modifier.contains(Modifier::DIM));
        // the continuation line is a command too, the table is output
        assert!(!lines[1][0].0.add_modifier.contains(Modifier::DIM));
        assert!(lines[2][0].0.add_modifier.contains(Modifier::DIM));
        assert_eq!(lines[2][0].1, "REPOSITORY TAG");
    }

    #[test]
    fn tabs_expand_to_stops() {
        assert_eq!(expand_tabs("a\tb", 0), ("a   b".to_string(), 5));
        assert_eq!(expand_tabs("\tx", 2), ("  x".to_string(), 5));
        let lines = highlight("func main() {\n\treturn\n}\n", "go", ColorMode::TrueColor);
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
}
