//! Word wrapping of styled text by display width.

use ratatui::style::Style;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// A piece of inline content.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Piece {
    /// Sanitized text without newlines or tabs.
    Text(Style, String),
    /// A hard line break.
    Break,
}

/// A line of styled runs, adjacent runs of the same style merged.
pub(crate) type Runs = Vec<(Style, String)>;

/// Display width of one grapheme cluster, as ratatui measures it.
pub(crate) fn grapheme_width(g: &str) -> usize {
    g.width()
}

/// Display width, summed over grapheme clusters as ratatui draws them.
pub(crate) fn str_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

/// The grapheme clusters of `text` as they go on lines `width` columns wide:
/// a cluster wider than a whole line (a wide character with a spacing mark,
/// at a width of 2) is cut into its characters, so that every line fits.
fn fitting_graphemes(text: &str, width: usize) -> impl Iterator<Item = &str> {
    text.graphemes(true).flat_map(move |g| {
        let parts: Vec<&str> = if grapheme_width(g) > width {
            g.char_indices()
                .map(|(i, c)| &g[i..i + c.len_utf8()])
                .collect()
        } else {
            vec![g]
        };
        parts
    })
}

pub(crate) fn runs_width(runs: &[(Style, String)]) -> usize {
    runs.iter().map(|(_, t)| str_width(t)).sum()
}

pub(crate) fn push_run(runs: &mut Runs, style: Style, text: &str) {
    if text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some((s, t)) if *s == style => t.push_str(text),
        _ => runs.push((style, text.to_string())),
    }
}

fn push_char(runs: &mut Runs, style: Style, g: &str) {
    push_run(runs, style, g);
}

/// [`wrap`] for plain text: newlines start new lines. The one wrap of the
/// program: panes that are not Markdown use it too.
pub fn wrap_plain(text: &str, width: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            pieces.push(Piece::Break);
        }
        if !line.is_empty() {
            pieces.push(Piece::Text(Style::default(), line.to_string()));
        }
    }
    wrap(&pieces, width)
        .into_iter()
        .map(|runs| runs.into_iter().map(|(_, t)| t).collect())
        .collect()
}

/// Greedy word wrap to `width` columns (at least 1). Runs of spaces between
/// words are kept inside a line and dropped at line ends; a word longer than
/// the width is broken between characters. Always at least one line.
pub(crate) fn wrap(pieces: &[Piece], width: usize) -> Vec<Runs> {
    let width = width.max(1);
    let mut w = Wrapper {
        width,
        lines: Vec::new(),
        cur: Vec::new(),
        cur_w: 0,
        spaces: Vec::new(),
        word: Vec::new(),
        word_w: 0,
    };
    for piece in pieces {
        match piece {
            Piece::Break => {
                w.flush_word();
                w.spaces.clear();
                w.end_line();
            }
            Piece::Text(style, text) => {
                for g in text.graphemes(true) {
                    if g == " " {
                        w.flush_word();
                        w.spaces.push(*style);
                    } else {
                        push_char(&mut w.word, *style, g);
                        w.word_w += grapheme_width(g);
                    }
                }
            }
        }
    }
    w.flush_word();
    if !w.cur.is_empty() || w.lines.is_empty() {
        w.end_line();
    }
    w.lines
}

struct Wrapper {
    width: usize,
    lines: Vec<Runs>,
    cur: Runs,
    cur_w: usize,
    spaces: Vec<Style>,
    word: Runs,
    word_w: usize,
}

impl Wrapper {
    fn end_line(&mut self) {
        self.lines.push(std::mem::take(&mut self.cur));
        self.cur_w = 0;
    }

    fn flush_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let word = std::mem::take(&mut self.word);
        let word_w = std::mem::take(&mut self.word_w);
        let spaces = std::mem::take(&mut self.spaces);
        let gap = if self.cur.is_empty() { 0 } else { spaces.len() };
        if self.cur_w + gap + word_w <= self.width {
            if gap > 0 {
                for style in spaces {
                    push_char(&mut self.cur, style, " ");
                }
                self.cur_w += gap;
            }
        } else if !self.cur.is_empty() {
            self.end_line();
        }
        if self.cur_w + word_w <= self.width {
            for (style, text) in &word {
                push_run(&mut self.cur, *style, text);
            }
            self.cur_w += word_w;
            return;
        }
        // Longer than a line: break between characters.
        for (style, text) in &word {
            for g in fitting_graphemes(text, self.width) {
                let cw = grapheme_width(g);
                if self.cur_w + cw > self.width && self.cur_w > 0 {
                    self.end_line();
                }
                push_char(&mut self.cur, *style, g);
                self.cur_w += cw;
            }
        }
    }
}

/// Cut a styled line into lines of at most `width` columns (at least 1), at
/// character boundaries, keeping every character. Always at least one line.
pub(crate) fn hard_wrap(runs: &[(Style, String)], width: usize) -> Vec<Runs> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut cur: Runs = Vec::new();
    let mut cur_w = 0;
    for (style, text) in runs {
        for g in fitting_graphemes(text, width) {
            let cw = grapheme_width(g);
            if cur_w + cw > width && cur_w > 0 {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
            }
            push_char(&mut cur, *style, g);
            cur_w += cw;
        }
    }
    lines.push(cur);
    lines
}

/// The first `width` columns of a styled line.
pub(crate) fn truncate(runs: &[(Style, String)], width: usize) -> Runs {
    let mut out = Vec::new();
    let mut used = 0;
    for (style, text) in runs {
        let mut kept = String::new();
        for g in text.graphemes(true) {
            let cw = grapheme_width(g);
            if used + cw > width {
                push_run(&mut out, *style, &kept);
                return out;
            }
            kept.push_str(g);
            used += cw;
        }
        push_run(&mut out, *style, &kept);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn text(lines: &[Runs]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect()
    }

    fn plain(s: &str) -> Piece {
        Piece::Text(Style::new(), s.to_string())
    }

    #[test]
    fn wraps_at_spaces() {
        let l = wrap(&[plain("the quick brown fox jumps")], 10);
        assert_eq!(text(&l), ["the quick", "brown fox", "jumps"]);
        for line in &l {
            assert!(runs_width(line) <= 10);
        }
    }

    #[test]
    fn long_words_are_broken() {
        let l = wrap(&[plain("ab sha256:0123456789abcdef")], 8);
        assert_eq!(text(&l), ["ab", "sha256:0", "12345678", "9abcdef"]);
    }

    #[test]
    fn styles_survive_wrapping_and_words_span_styles() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let l = wrap(
            &[plain("aa "), Piece::Text(bold, "bb".into()), plain("cc dd")],
            6,
        );
        assert_eq!(text(&l), ["aa", "bbcc", "dd"]);
        assert_eq!(l[1][0], (bold, "bb".to_string()));
        assert_eq!(l[1][1], (Style::new(), "cc".to_string()));
    }

    #[test]
    fn breaks_and_wide_characters() {
        let l = wrap(&[plain("a"), Piece::Break, plain("日本語テキスト")], 5);
        assert_eq!(text(&l), ["a", "日本", "語テ", "キス", "ト"]);
        let l = wrap(&[plain("日本")], 1);
        assert_eq!(text(&l), ["日", "本"]);
        assert_eq!(text(&wrap(&[], 10)), [""]);
        assert_eq!(text(&wrap(&[plain("   ")], 10)), [""]);
    }

    #[test]
    fn hard_wrap_and_truncate() {
        let runs = vec![(Style::new(), "abcdefg".to_string())];
        assert_eq!(text(&hard_wrap(&runs, 3)), ["abc", "def", "g"]);
        assert_eq!(text(&hard_wrap(&[], 3)), [""]);
        assert_eq!(text(&[truncate(&runs, 4)]), ["abcd"]);
        let wide = vec![(Style::new(), "日本".to_string())];
        assert_eq!(text(&[truncate(&wide, 3)]), ["日"]);
    }
}
