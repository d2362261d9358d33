//! The colours of everything drawn: a palette for dark terminals and one for
//! light ones, each reaching WCAG AA contrast on its reference backgrounds
//! (text 4.5:1, borders 3:1; the tests below hold every colour to it), and
//! how they are written (24-bit or the xterm 256-colour palette).
//!
//! A [`Theme`] is passed down explicitly (to the Markdown renderer, the
//! panes, `dockdojo watch`), never kept in a global, so both palettes can be
//! drawn side by side (the snapshot tests do).
//!
//! [`detect`] asks the terminal its background (OSC 11) for `--theme auto`.

pub mod detect;

use ratatui::style::{Color, Modifier, Style};

/// Which palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dark,
    Light,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Dark => "dark",
            Kind::Light => "light",
        }
    }
}

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

/// A 24-bit colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb`.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// The colours of one palette. Text colours are read on the terminal's own
/// background; only key caps and labels bring their own background.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Palette {
    pub kind: Kind,
    /// The backgrounds the colours are held to (the first is the usual one:
    /// black for dark, white for light).
    pub backgrounds: &'static [Rgb],
    /// Focused pane borders and titles, selection marks, section names.
    pub accent: Rgb,
    pub pass: Rgb,
    pub fail: Rgb,
    pub warn: Rgb,
    /// Secondary text (hints, counts, URLs).
    pub dim: Rgb,
    /// Unfocused pane borders, rules, code frames (not text: 3:1).
    pub border: Rgb,
    /// Key caps and labels: `label_fg` on `label_bg`.
    pub label_fg: Rgb,
    pub label_bg: Rgb,
    /// Text on a `warn` background (the "shell exited" bar).
    pub on_warn: Rgb,
    /// Lesson headings, levels 1 to 3.
    pub headings: [Rgb; 3],
    pub link: Rgb,
    pub inline_code: Rgb,
    /// Block quote kinds: note, tip, important, warning, caution.
    pub note: Rgb,
    pub tip: Rgb,
    pub important: Rgb,
    pub warning: Rgb,
    pub caution: Rgb,
    /// A code block's language label.
    pub code_label: Rgb,
}

/// For dark backgrounds.
pub const DARK: Palette = Palette {
    kind: Kind::Dark,
    backgrounds: &[Rgb(0x00, 0x00, 0x00), Rgb(0x1e, 0x1e, 0x1e)],
    accent: Rgb(0x4f, 0xc1, 0xe9),
    pass: Rgb(0x5f, 0xd7, 0x5f),
    fail: Rgb(0xff, 0x6b, 0x6b),
    warn: Rgb(0xf0, 0xc6, 0x74),
    dim: Rgb(0x9a, 0x9a, 0x9a),
    border: Rgb(0x6c, 0x6c, 0x6c),
    label_fg: Rgb(0x00, 0x00, 0x00),
    label_bg: Rgb(0xc6, 0xc6, 0xc6),
    on_warn: Rgb(0x00, 0x00, 0x00),
    headings: [
        Rgb(0xe0, 0x8c, 0xf0),
        Rgb(0x4f, 0xc1, 0xe9),
        Rgb(0x5f, 0xd7, 0x5f),
    ],
    link: Rgb(0x6c, 0xb6, 0xff),
    inline_code: Rgb(0xf0, 0xc6, 0x74),
    note: Rgb(0x6c, 0xb6, 0xff),
    tip: Rgb(0x5f, 0xd7, 0x5f),
    important: Rgb(0xe0, 0x8c, 0xf0),
    warning: Rgb(0xf0, 0xc6, 0x74),
    caution: Rgb(0xff, 0x6b, 0x6b),
    code_label: Rgb(0xc6, 0xc6, 0xc6),
};

/// For light backgrounds.
pub const LIGHT: Palette = Palette {
    kind: Kind::Light,
    backgrounds: &[Rgb(0xff, 0xff, 0xff), Rgb(0xfd, 0xf6, 0xe3)],
    accent: Rgb(0x00, 0x5f, 0x87),
    pass: Rgb(0x1a, 0x6e, 0x2e),
    fail: Rgb(0xb3, 0x1d, 0x28),
    warn: Rgb(0x87, 0x50, 0x00),
    dim: Rgb(0x5f, 0x5f, 0x5f),
    border: Rgb(0x87, 0x87, 0x87),
    label_fg: Rgb(0x00, 0x00, 0x00),
    label_bg: Rgb(0xd0, 0xd0, 0xd0),
    on_warn: Rgb(0xff, 0xff, 0xff),
    headings: [
        Rgb(0x87, 0x00, 0x87),
        Rgb(0x00, 0x5f, 0x87),
        Rgb(0x1a, 0x6e, 0x2e),
    ],
    link: Rgb(0x00, 0x57, 0xc2),
    inline_code: Rgb(0x87, 0x3e, 0x00),
    note: Rgb(0x00, 0x57, 0xc2),
    tip: Rgb(0x1a, 0x6e, 0x2e),
    important: Rgb(0x87, 0x00, 0x87),
    warning: Rgb(0x87, 0x50, 0x00),
    caution: Rgb(0xb3, 0x1d, 0x28),
    code_label: Rgb(0x3a, 0x3a, 0x3a),
};

/// A palette and how its colours are written: what drawing needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub palette: &'static Palette,
    pub mode: ColorMode,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::dark()
    }
}

impl Theme {
    pub fn new(kind: Kind, mode: ColorMode) -> Theme {
        let palette = match kind {
            Kind::Dark => &DARK,
            Kind::Light => &LIGHT,
        };
        Theme { palette, mode }
    }
    /// The dark palette in 24-bit colour.
    pub fn dark() -> Theme {
        Theme::new(Kind::Dark, ColorMode::TrueColor)
    }
    /// The light palette in 24-bit colour.
    pub fn light() -> Theme {
        Theme::new(Kind::Light, ColorMode::TrueColor)
    }
    pub fn kind(&self) -> Kind {
        self.palette.kind
    }

    /// A palette colour as this terminal writes it.
    pub fn color(&self, c: Rgb) -> Color {
        match self.mode {
            ColorMode::TrueColor => Color::Rgb(c.0, c.1, c.2),
            ColorMode::Palette256 => Color::Indexed(rgb_to_xterm256(c.0, c.1, c.2)),
        }
    }

    /// The SGR parameters that make `c` the text colour, for line output
    /// (`dockdojo watch`, `check`, `map`): `38;2;r;g;b`, or `38;5;n`.
    pub fn sgr(&self, c: Rgb) -> String {
        match self.color(c) {
            Color::Indexed(i) => format!("38;5;{i}"),
            _ => format!("38;2;{};{};{}", c.0, c.1, c.2),
        }
    }

    pub fn accent(&self) -> Color {
        self.color(self.palette.accent)
    }
    pub fn pass(&self) -> Color {
        self.color(self.palette.pass)
    }
    pub fn fail(&self) -> Color {
        self.color(self.palette.fail)
    }
    pub fn warn(&self) -> Color {
        self.color(self.palette.warn)
    }
    pub fn dim_color(&self) -> Color {
        self.color(self.palette.dim)
    }
    pub fn border(&self) -> Color {
        self.color(self.palette.border)
    }

    /// Secondary text.
    pub fn dim(&self) -> Style {
        Style::default().fg(self.dim_color())
    }
    pub fn bold(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    /// A key cap (` y `).
    pub fn key(&self) -> Style {
        Style::default()
            .fg(self.color(self.palette.label_fg))
            .bg(self.color(self.palette.label_bg))
    }
    /// Text on the warning colour.
    pub fn on_warn(&self) -> Style {
        Style::default()
            .fg(self.color(self.palette.on_warn))
            .bg(self.warn())
    }
    pub fn title(&self, focused: bool) -> Style {
        if focused {
            Style::default()
                .fg(self.accent())
                .add_modifier(Modifier::BOLD)
        } else {
            // The terminal's own text colour, not the border's (a title is text).
            Style::default()
                .fg(Color::Reset)
                .add_modifier(Modifier::BOLD)
        }
    }
}

/// The nearest colour of the xterm 256-colour palette (the 6x6x6 cube or
/// the grey ramp; the 16 system colours vary between terminals and are not used).
pub fn rgb_to_xterm256(r: u8, g: u8, b: u8) -> u8 {
    fn cube_index(v: u8) -> usize {
        // nearest of STEPS
        let mut best = 0;
        for (i, s) in CUBE_STEPS.iter().enumerate() {
            if v.abs_diff(*s) < v.abs_diff(CUBE_STEPS[best]) {
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
    let cube = (CUBE_STEPS[ri], CUBE_STEPS[gi], CUBE_STEPS[bi]);
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

const CUBE_STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The colour of an xterm 256-colour index from the cube or the grey ramp
/// (`None` for the 16 system colours, which each terminal picks).
pub fn xterm256_rgb(i: u8) -> Option<Rgb> {
    match i {
        0..=15 => None,
        16..=231 => {
            let n = usize::from(i - 16);
            Some(Rgb(
                CUBE_STEPS[n / 36],
                CUBE_STEPS[(n / 6) % 6],
                CUBE_STEPS[n % 6],
            ))
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            Some(Rgb(v, v, v))
        }
    }
}

/// WCAG 2 relative luminance (0 black .. 1 white).
pub fn luminance(c: Rgb) -> f64 {
    fn channel(v: u8) -> f64 {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    }
    0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
}

/// WCAG 2 contrast ratio between two colours (1 .. 21), order does not matter.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// `fg`, moved towards black (on a light `bg`) or white (on a dark one) just
/// enough to reach `ratio` against `bg`; unchanged when it already does.
pub fn ensure_contrast(fg: Rgb, bg: Rgb, ratio: f64) -> Rgb {
    if contrast(fg, bg) >= ratio {
        return fg;
    }
    let target = if luminance(bg) > 0.18 {
        Rgb(0, 0, 0)
    } else {
        Rgb(255, 255, 255)
    };
    let mix = |t: f64| {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(fg.0, target.0), m(fg.1, target.1), m(fg.2, target.2))
    };
    // The smallest step that gets there (1/64ths are fine enough to see no difference).
    for step in 1..=64 {
        let c = mix(f64::from(step) / 64.0);
        if contrast(c, bg) >= ratio {
            return c;
        }
    }
    target
}

/// `fg` as `mode` writes it, reaching `ratio` on `bg` as `mode` writes it.
/// In the 256-colour palette the nearest index can fall short where the
/// 24-bit colour did not, so `fg` is first pushed a little further from `bg`.
pub fn readable_color(fg: Rgb, bg: Rgb, mode: ColorMode, ratio: f64) -> Color {
    match mode {
        ColorMode::TrueColor => {
            let c = ensure_contrast(fg, bg, ratio);
            Color::Rgb(c.0, c.1, c.2)
        }
        ColorMode::Palette256 => {
            let shown = |c: Rgb| {
                let i = rgb_to_xterm256(c.0, c.1, c.2);
                (i, xterm256_rgb(i).unwrap_or(c))
            };
            let (_, bg) = shown(bg);
            let mut want = ratio;
            while want <= 21.0 {
                let (i, c) = shown(ensure_contrast(fg, bg, want));
                if contrast(c, bg) >= ratio {
                    return Color::Indexed(i);
                }
                want += 0.25;
            }
            Color::Indexed(shown(ensure_contrast(fg, bg, 21.0)).0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text colours, which must reach 4.5:1 (WCAG AA for normal text).
    fn text_colours(p: &Palette) -> Vec<(&'static str, Rgb)> {
        vec![
            ("accent", p.accent),
            ("pass", p.pass),
            ("fail", p.fail),
            ("warn", p.warn),
            ("dim", p.dim),
            ("heading 1", p.headings[0]),
            ("heading 2", p.headings[1]),
            ("heading 3", p.headings[2]),
            ("link", p.link),
            ("inline code", p.inline_code),
            ("note", p.note),
            ("tip", p.tip),
            ("important", p.important),
            ("warning", p.warning),
            ("caution", p.caution),
            ("code label", p.code_label),
        ]
    }

    /// What each palette colour is written as in a mode.
    fn written(c: Rgb, mode: ColorMode) -> Rgb {
        match mode {
            ColorMode::TrueColor => c,
            ColorMode::Palette256 => {
                xterm256_rgb(rgb_to_xterm256(c.0, c.1, c.2)).expect("cube or grey ramp")
            }
        }
    }

    #[test]
    fn contrast_matches_wcag_examples() {
        let white = Rgb(255, 255, 255);
        let black = Rgb(0, 0, 0);
        assert!((contrast(white, black) - 21.0).abs() < 1e-9);
        assert!((contrast(black, white) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey that passes AA on white (4.54:1).
        assert!((contrast(Rgb(0x76, 0x76, 0x76), white) - 4.54).abs() < 0.01);
        assert!(contrast(Rgb(0x77, 0x77, 0x77), white) < 4.5);
        assert!((luminance(Rgb(255, 0, 0)) - 0.2126).abs() < 1e-9);
    }

    #[test]
    fn every_palette_colour_meets_wcag_aa_on_its_backgrounds() {
        let mut failures = Vec::new();
        for p in [&DARK, &LIGHT] {
            for mode in [ColorMode::TrueColor, ColorMode::Palette256] {
                for &bg in p.backgrounds {
                    for (name, c) in text_colours(p) {
                        let r = contrast(written(c, mode), bg);
                        if r < 4.5 {
                            failures.push(format!(
                                "{} {name} {} on {} ({mode:?}): {r:.2}",
                                p.kind.name(),
                                c.hex(),
                                bg.hex()
                            ));
                        }
                    }
                    let r = contrast(written(p.border, mode), bg);
                    if r < 3.0 {
                        failures.push(format!("{} border on {}: {r:.2}", p.kind.name(), bg.hex()));
                    }
                }
                for (what, fg, bg) in [
                    ("key cap", p.label_fg, p.label_bg),
                    ("on warn", p.on_warn, p.warn),
                ] {
                    let r = contrast(written(fg, mode), written(bg, mode));
                    if r < 4.5 {
                        failures.push(format!("{} {what} ({mode:?}): {r:.2}", p.kind.name()));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn ensure_contrast_darkens_or_lightens_just_enough() {
        let white = Rgb(255, 255, 255);
        let yellow = Rgb(0xe6, 0xdb, 0x74);
        let fixed = ensure_contrast(yellow, white, 4.5);
        assert!(contrast(fixed, white) >= 4.5);
        assert!(luminance(fixed) < luminance(yellow));
        let grey = Rgb(0x40, 0x40, 0x40);
        let black = Rgb(0, 0, 0);
        let fixed = ensure_contrast(grey, black, 4.5);
        assert!(contrast(fixed, black) >= 4.5);
        assert!(luminance(fixed) > luminance(grey));
        assert_eq!(ensure_contrast(white, black, 4.5), white);
    }

    #[test]
    fn xterm_round_trip() {
        for i in 16..=255u8 {
            let c = xterm256_rgb(i).expect("cube or grey");
            assert_eq!(rgb_to_xterm256(c.0, c.1, c.2), i, "{i}");
        }
        assert_eq!(xterm256_rgb(3), None);
    }

    /// Prints the ratios (for the record: `cargo test --lib theme -- --nocapture`).
    #[test]
    fn print_ratios() {
        for p in [&DARK, &LIGHT] {
            for (name, c) in text_colours(p).into_iter().chain([("border", p.border)]) {
                let ratios: Vec<String> = p
                    .backgrounds
                    .iter()
                    .map(|&bg| format!("{:.2} on {}", contrast(c, bg), bg.hex()))
                    .collect();
                println!(
                    "{} {name:12} {}: {}",
                    p.kind.name(),
                    c.hex(),
                    ratios.join(", ")
                );
            }
        }
    }
}
