use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

use super::*;

use crate::theme::{Rgb, DARK};

/// A dark palette colour as the tests' documents (24-bit) carry it.
fn rgb(c: Rgb) -> Option<Color> {
    Some(Color::Rgb(c.0, c.1, c.2))
}

fn doc(md: &str) -> Document {
    Document::parse_with(md, ColorMode::TrueColor)
}

fn text_of(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

fn texts(md: &str, width: u16) -> Vec<String> {
    doc(md).layout(width).lines.iter().map(text_of).collect()
}

/// The style of the first span whose text contains `needle`.
fn style_of(r: &Rendered, needle: &str) -> Style {
    r.lines
        .iter()
        .flat_map(|l| l.spans.iter())
        .find(|s| s.content.contains(needle))
        .map(|s| s.style)
        .unwrap_or_else(|| panic!("no span contains {needle:?}"))
}

fn width_of(line: &Line<'_>) -> usize {
    line.width()
}

fn assert_fits(r: &Rendered, width: usize) {
    for l in &r.lines {
        assert!(
            width_of(l) <= width,
            "line wider than {width}: {:?}",
            text_of(l)
        );
    }
}

#[test]
fn headings_are_styled_and_h1_h2_distinct() {
    let r = doc("# Title\n\n## Section\n\n### Sub\n\n#### Minor").layout(40);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(
        t,
        [
            "Title",
            "━━━━━",
            "",
            "Section",
            "───────",
            "",
            "Sub",
            "",
            "Minor"
        ]
    );
    let h1 = style_of(&r, "Title");
    let h2 = style_of(&r, "Section");
    let h3 = style_of(&r, "Sub");
    assert!(h1.add_modifier.contains(Modifier::BOLD));
    assert!(h2.add_modifier.contains(Modifier::BOLD));
    assert_ne!(h1, h2);
    assert_ne!(h2, h3);
    assert_eq!(h1.fg, rgb(DARK.headings[0]));
    assert_eq!(h2.fg, rgb(DARK.headings[1]));
    assert_eq!(r.headings, [(0, 1), (3, 2), (6, 3), (8, 4)]);
}

#[test]
fn emphasis_strong_strikethrough() {
    let r = doc("plain *it* **bold** ~~gone~~ ***both***").layout(80);
    assert_eq!(text_of(&r.lines[0]), "plain it bold gone both");
    assert!(style_of(&r, "it").add_modifier.contains(Modifier::ITALIC));
    assert!(style_of(&r, "bold").add_modifier.contains(Modifier::BOLD));
    assert!(style_of(&r, "gone")
        .add_modifier
        .contains(Modifier::CROSSED_OUT));
    let both = style_of(&r, "both").add_modifier;
    assert!(both.contains(Modifier::BOLD | Modifier::ITALIC));
    assert_eq!(style_of(&r, "plain"), Style::new());
}

#[test]
fn paragraphs_wrap_and_are_separated() {
    let t = texts("one two three four five six\nseven\n\nnext para", 12);
    assert_eq!(
        t,
        [
            "one two",
            "three four",
            "five six",
            "seven",
            "",
            "next para"
        ]
    );
}

#[test]
fn hard_break_keeps_the_line() {
    assert_eq!(texts("a  \nb\\\nc", 20), ["a", "b", "c"]);
}

#[test]
fn bullet_lists_nested_with_wrapped_indentation() {
    let md = "- first item that wraps around\n- second\n  - inner one\n    - deepest\n- third";
    let r = doc(md).layout(20);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(
        t,
        [
            "• first item that",
            "  wraps around",
            "• second",
            "  ◦ inner one",
            "    ▪ deepest",
            "• third",
        ]
    );
    assert_eq!(style_of(&r, "•").fg, rgb(DARK.accent));
}

#[test]
fn numbered_lists_align_and_start_where_told() {
    let md: String = (1..=10).map(|i| format!("{i}. item {i}\n")).collect();
    let t = texts(&md, 40);
    assert_eq!(t[0], " 1. item 1");
    assert_eq!(t[8], " 9. item 9");
    assert_eq!(t[9], "10. item 10");
    let t = texts("7. seven\n8. eight that is long enough to wrap", 20);
    assert_eq!(
        t,
        [
            "7. seven",
            "8. eight that is",
            "   long enough to",
            "   wrap"
        ]
    );
}

#[test]
fn loose_lists_have_blank_lines_and_item_paragraphs_indent() {
    let t = texts("1. first\n\n   more of first\n\n2. second\n\nafter", 40);
    assert_eq!(
        t,
        [
            "1. first",
            "",
            "   more of first",
            "",
            "2. second",
            "",
            "after"
        ]
    );
}

#[test]
fn task_lists() {
    let r = doc("- [x] done\n- [ ] todo").layout(30);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(t, ["• [x] done", "• [ ] todo"]);
    assert_eq!(style_of(&r, "[x]").fg, rgb(DARK.pass));
}

#[test]
fn empty_items_keep_their_marker() {
    assert_eq!(texts("-\n- b", 10), ["•", "• b"]);
}

#[test]
fn block_quotes_with_bar_nested_and_wrapped() {
    let md = "> outer text here\n>\n> > inner quote that wraps\n>\n> back";
    let r = doc(md).layout(16);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(
        t,
        [
            "│ outer text",
            "│ here",
            "│",
            "│ │ inner quote",
            "│ │ that wraps",
            "│",
            "│ back",
        ]
    );
    assert_eq!(r.lines[0].spans[0].style.fg, rgb(DARK.border));
}

#[test]
fn alerts_have_a_coloured_title() {
    let r = doc("> [!WARNING]\n> Stop the container first.").layout(40);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(t, ["│ Warning", "│ Stop the container first."]);
    assert_eq!(style_of(&r, "Warning").fg, rgb(DARK.warning));
    assert_eq!(r.lines[1].spans[0].style.fg, rgb(DARK.warning));
}

#[test]
fn quotes_and_lists_mix() {
    let t = texts("- > quoted in item\n\n> - item in quote", 30);
    assert_eq!(t, ["• │ quoted in item", "", "│ • item in quote"]);
}

const TABLE: &str = "| Image | Size | Note |\n|:--|--:|:-:|\n| calc-app-large | 462 MB | go |\n| small | 1.3 MB | ok |";

#[test]
fn tables_align_columns_with_box_characters() {
    let r = doc(TABLE).layout(60);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(
        t,
        [
            "┌────────────────┬────────┬──────┐",
            "│ Image          │   Size │ Note │",
            "├────────────────┼────────┼──────┤",
            "│ calc-app-large │ 462 MB │  go  │",
            "│ small          │ 1.3 MB │  ok  │",
            "└────────────────┴────────┴──────┘",
        ]
    );
    assert!(style_of(&r, "Image").add_modifier.contains(Modifier::BOLD));
    assert!(!style_of(&r, "small").add_modifier.contains(Modifier::BOLD));
    assert_eq!(style_of(&r, "┌").fg, rgb(DARK.border));
}

#[test]
fn tables_shrink_to_fit_and_wrap_cells() {
    let r = doc(TABLE).layout(26);
    assert_fits(&r, 26);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(t[0].chars().count(), 26);
    // the wide column wrapped inside its cell, and nothing was lost
    let all = t.join("\n");
    let first_col: String = t[3..6]
        .iter()
        .map(|l| l.split('│').nth(1).unwrap_or("").trim().to_string())
        .collect();
    assert_eq!(first_col, "calc-app-large", "{all}");
    for word in ["462 MB", "1.3 MB", "small", "ok"] {
        assert!(all.contains(word), "{word} missing from\n{all}");
    }
    // rows that wrap are separated by rules
    assert!(
        t.iter().filter(|l| l.starts_with('├')).count() >= 2,
        "{all}"
    );
}

#[test]
fn tables_too_narrow_for_columns_are_stacked() {
    let t = texts(TABLE, 12);
    assert_eq!(
        t,
        [
            "Image:",
            "calc-app-lar",
            "ge",
            "Size: 462 MB",
            "Note: go",
            "────────────",
            "Image: small",
            "Size: 1.3 MB",
            "Note: ok"
        ]
    );
}

#[test]
fn links_show_text_underlined_and_url_dimmed() {
    let r = doc("see [the docs](https://docs.docker.com/x) now").layout(80);
    assert_eq!(
        text_of(&r.lines[0]),
        "see the docs (https://docs.docker.com/x) now"
    );
    let link = style_of(&r, "the docs");
    assert!(link.add_modifier.contains(Modifier::UNDERLINED));
    assert_eq!(link.fg, rgb(DARK.link));
    assert_eq!(style_of(&r, "(https").fg, rgb(DARK.dim));
    // autolinks and links whose text is the URL are not repeated; anchors hide
    assert_eq!(texts("<https://a.io>", 80), ["https://a.io"]);
    assert_eq!(texts("[https://a.io](https://a.io)", 80), ["https://a.io"]);
    assert_eq!(texts("[up](#top)", 80), ["up"]);
}

#[test]
fn inline_code_is_styled() {
    let r = doc("run `docker ps -a` now").layout(80);
    assert_eq!(text_of(&r.lines[0]), "run docker ps -a now");
    assert_eq!(style_of(&r, "docker ps").fg, rgb(DARK.inline_code));
}

#[test]
fn rules_span_the_width() {
    let r = doc("a\n\n---\n\nb").layout(10);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(t, ["a", "", "──────────", "", "b"]);
    assert_eq!(r.lines[2].spans[0].style.fg, rgb(DARK.border));
}

#[test]
fn images_show_alt_text() {
    let r = doc("![a whale](whale.png) and ![](x.png)").layout(80);
    assert_eq!(text_of(&r.lines[0]), "[image: a whale] and [image: …]");
    assert!(style_of(&r, "whale")
        .add_modifier
        .contains(Modifier::ITALIC));
}

#[test]
fn html_is_shown_as_text_never_interpreted() {
    let r = doc("<div class=\"x\">\n<b>hi</b>\n</div>\n\ninline <b>bold?</b> text").layout(80);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(
        t,
        [
            "<div class=\"x\">",
            "<b>hi</b>",
            "</div>",
            "",
            "inline <b>bold?</b> text"
        ]
    );
    assert!(!style_of(&r, "bold?").add_modifier.contains(Modifier::BOLD));
    assert_eq!(style_of(&r, "<b>").fg, rgb(DARK.dim));
}

#[test]
fn footnotes() {
    let t = texts("text[^n].\n\n[^n]: the note", 40);
    assert_eq!(t, ["text[n].", "", "[n] the note"]);
}

#[test]
fn front_matter_is_not_shown() {
    let t = texts("+++\ntitle = \"x\"\n+++\n# Hello", 40);
    assert_eq!(t, ["Hello", "━━━━━"]);
}

const CODE: &str = "Intro\n\n```dockerfile\nFROM golang:1.22 AS build\nRUN go build\n```\n\n```bash\necho hi\n```\n\n```klingon\nqapla'\n```\n";

#[test]
fn code_blocks_are_framed_labelled_and_highlighted() {
    let d = doc(CODE);
    let r = d.layout(40);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(t[2], format!("╭─ dockerfile {}╮", "─".repeat(25)));
    assert!(t[3].starts_with("│ FROM golang:1.22 AS build"));
    assert!(t[3].ends_with(" │"), "closed on the right: {:?}", t[3]);
    assert_eq!(t[3].chars().count(), 40, "padded to the frame width");
    assert!(t[4].starts_with("│ RUN go build"));
    assert_eq!(t[5], format!("╰{}╯", "─".repeat(38)));
    assert_eq!(r.block_lines, [2..6, 7..10, 11..14]);
    // highlighted: FROM differs from the image name, colours are RGB on a background
    let from = style_of(&r, "FROM");
    assert!(matches!(from.fg, Some(Color::Rgb(..))));
    assert!(matches!(from.bg, Some(Color::Rgb(..))));
    let spans_line3: Vec<Style> = r.lines[3].spans.iter().map(|s| s.style).collect();
    assert!(spans_line3.len() > 3, "several styles: {spans_line3:?}");
    // unknown language: one plain style for the text
    let klingon = &r.lines[12];
    assert_eq!(
        text_of(klingon).trim_end(),
        format!("│ qapla'{}│", " ".repeat(31))
    );
    assert_eq!(
        klingon.spans.len(),
        5,
        "gutter, text, padding, space, right edge"
    );
}

#[test]
fn code_blocks_are_listed_with_sendability() {
    let d = doc(CODE);
    let blocks = d.code_blocks();
    assert_eq!(blocks.len(), 3);
    assert_eq!(blocks[0].lang, "dockerfile");
    assert_eq!(blocks[0].code, "FROM golang:1.22 AS build\nRUN go build\n");
    assert!(!blocks[0].sendable);
    assert!(blocks[1].sendable);
    assert!(!blocks[2].sendable);
    assert_eq!(d.sendable_blocks().collect::<Vec<_>>(), [1]);
    for lang in ["sh", "console", "shell", "bash"] {
        let d = doc(&format!("```{lang}\nls\n```"));
        assert!(d.code_blocks()[0].sendable, "{lang}");
    }
    let d = doc("    indented code\n");
    assert_eq!(d.code_blocks()[0].lang, "");
    assert_eq!(d.code_blocks()[0].code, "indented code\n");
}

#[test]
fn every_required_language_is_highlighted() {
    for (lang, sample) in [
        ("dockerfile", "FROM scratch\n"),
        ("bash", "echo \"$HOME\"\n"),
        ("sh", "if true; then echo x; fi\n"),
        ("console", "$ echo \"x\"\n"),
        ("go", "package main\n"),
        ("python", "def f(): return 1\n"),
        ("json", "{\"a\": 1}\n"),
        ("toml", "[a]\nb = 1\n"),
        ("yaml", "a: 1\n"),
    ] {
        let r = doc(&format!("```{lang}\n{sample}```")).layout(60);
        let styles: std::collections::HashSet<_> = r.lines[1]
            .spans
            .iter()
            .skip(1)
            .filter(|s| !s.content.trim().is_empty())
            .map(|s| s.style.fg)
            .collect();
        assert!(
            styles.len() >= 2,
            "{lang}: one colour only: {:?}",
            r.lines[1]
        );
    }
}

#[test]
fn long_code_lines_are_hard_wrapped() {
    let r = doc("```\n0123456789abcdefghij\n```").layout(12);
    let t: Vec<String> = r.lines.iter().map(text_of).collect();
    assert_eq!(
        t,
        [
            "╭──────────╮",
            "│ 01234567 │",
            "┆ 89abcdef ┆",
            "┆ ghij     ┆",
            "╰──────────╯"
        ]
    );
}

#[test]
fn code_in_lists_and_quotes_keeps_the_prefix() {
    let t = texts("- step:\n\n  ```sh\n  ls\n  ```\n", 20);
    assert_eq!(t[0], "• step:");
    assert_eq!(t[2], "  ╭─ sh ───────────╮");
    assert!(t[3].starts_with("  │ ls"));
    assert!(t[3].ends_with(" │"));
    let t = texts("> ```\n> x\n> ```", 10);
    assert!(t[1].starts_with("│ │ x"), "{t:?}");
    assert!(t[1].ends_with(" │"), "{t:?}");
    // too narrow to close: open on the right, as before
    let t: Vec<String> = texts("```\nx\n```", 6)
        .iter()
        .map(|l| l.trim_end().to_string())
        .collect();
    assert_eq!(t, ["╭─────", "│ x", "╰─────"]);
}

#[test]
fn selecting_a_block_restyles_its_frame() {
    let mut r = doc(CODE).layout(40);
    let normal = r.lines[3].spans[0].style;
    r.select_block(Some(0));
    assert_eq!(r.selected_block(), Some(0));
    let sel = r.lines[3].spans[0].style;
    assert_ne!(sel, normal);
    assert_eq!(r.lines[2].spans[0].style, sel);
    assert_eq!(r.lines[5].spans[0].style, sel);
    // the code itself keeps its colours
    assert!(matches!(r.lines[3].spans[1].style.fg, Some(Color::Rgb(..))));
    r.select_block(Some(1));
    assert_eq!(r.lines[3].spans[0].style, normal);
    assert_eq!(r.lines[8].spans[0].style, sel);
    r.select_block(None);
    assert_eq!(r.lines[8].spans[0].style, normal);
    assert_eq!(r.block_at_line(8), Some(1));
    assert_eq!(r.block_at_line(0), None);
    r.select_block(Some(99));
    assert_eq!(r.selected_block(), None);
}

#[test]
fn command_text_for_console_bash_and_sh() {
    let console = CodeBlock {
        lang: "console".into(),
        code: "$ docker build -t calc \\\n    .\nStep 1/3 : FROM golang\n$ docker images\nREPO TAG\n$\n"
            .into(),
        sendable: true,
    };
    assert_eq!(
        command_text(&console),
        "docker build -t calc \\\n    .\ndocker images"
    );
    let bash = CodeBlock {
        lang: "bash".into(),
        code: "$HOME/bin/x\necho done\n".into(),
        sendable: true,
    };
    assert_eq!(command_text(&bash), "$HOME/bin/x\necho done");
    let bare = CodeBlock {
        lang: "console".into(),
        code: "docker ps\n".into(),
        sendable: true,
    };
    assert_eq!(command_text(&bare), "docker ps");
}

#[test]
fn escape_sequences_never_reach_the_output() {
    let md = "# T\x1b[2J\n\ntext \x1b]0;pwn\x07 [l\x1b[31m](http://x\x1b[0m) `c\x1b[1m`\n\n```bash\x1b[31m\necho \x1b[2J\u{9b}31m\n```\n\n| a\x1b[1m |\n|--|\n| b\x07 |\n\n<b>\x1b[5m</b>\n\n![\x1bx](y)";
    let d = doc(md);
    for width in [5u16, 40, 120] {
        let r = d.layout(width);
        for l in &r.lines {
            for s in &l.spans {
                assert!(
                    !s.content.chars().any(|c| c.is_control() && c != '\u{a0}'),
                    "control character in {:?}",
                    s.content
                );
            }
        }
    }
    let all: String = d.layout(200).lines.iter().map(text_of).collect();
    assert!(all.contains("^[[2J"), "made visible: {all}");
    assert!(!d.code_blocks()[0].code.contains('\x1b'));
    assert!(!d.code_blocks()[0].lang.contains('\x1b'));
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    // run on a small stack to prove the walker and layout are iterative
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let quotes = format!("{}deep", "> ".repeat(20_000));
            let lists: String = (0..3_000)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect();
            let mixed = "> - ".repeat(5_000) + "x";
            let emph = format!("{}x{}", "*a ".repeat(5_000), " a*".repeat(5_000));
            let mut total = 0;
            for md in [quotes, lists, mixed, emph] {
                let d = doc(&md);
                for w in [1u16, 40] {
                    let r = d.layout(w);
                    assert!(!r.lines.is_empty());
                    if w >= 2 {
                        assert_fits(&r, w.into());
                    }
                    total += r.lines.len();
                }
                drop(d);
            }
            total
        })
        .expect("thread");
    let total = handle.join().expect("no stack overflow or panic");
    assert!(total > 0);
}

#[test]
fn deep_nesting_keeps_room_for_text() {
    let md = format!("{}deep words here", "> ".repeat(100));
    let r = doc(&md).layout(30);
    assert_fits(&r, 30);
    let all: String = r.lines.iter().map(text_of).collect::<Vec<_>>().join("\n");
    assert!(all.contains("deep"), "{all}");
}

#[test]
fn tiny_widths_do_not_panic_and_fit() {
    let md = format!("# Head\n\n- a\n  > b\n\n{TABLE}\n\n{CODE}\n\n---\n\n日本語");
    let d = doc(&md);
    for w in 1..=12u16 {
        let r = d.layout(w);
        assert!(!r.lines.is_empty());
        if w >= 2 {
            assert_fits(&r, w.into());
        }
    }
    assert_eq!(doc(&md).layout(0).lines.len(), d.layout(1).lines.len());
}

#[test]
fn a_cluster_wider_than_the_line_is_cut_so_that_lines_fit() {
    // a wide character with a spacing mark: one cluster, three columns
    let md = "\u{30000}\u{1122C}";
    for w in 2..=3u16 {
        let r = doc(md).layout(w);
        assert_fits(&r, w.into());
        let text: String = r
            .lines
            .iter()
            .flat_map(|l| l.spans.iter().map(|s| s.content.to_string()))
            .collect();
        assert_eq!(text, md, "every character kept at width {w}");
    }
}

#[test]
fn empty_document() {
    let r = doc("").layout(40);
    assert!(r.lines.is_empty());
    assert!(r.block_lines.is_empty());
    assert!(doc("").code_blocks().is_empty());
}

#[test]
fn palette_mode_for_terminals_without_true_colour() {
    let d = Document::parse_with("```go\npackage main\n```", ColorMode::Palette256);
    let r = d.layout(30);
    assert!(r.lines[1]
        .spans
        .iter()
        .skip(1)
        .filter(|s| !matches!(s.content.as_ref(), "│" | "┆"))
        .all(|s| matches!(s.style.fg, Some(Color::Indexed(_)) | None)));
}

#[test]
fn unhighlighted_parse_has_the_same_text_and_uncoloured_code() {
    let md = "# T\n\nRun:\n\n```dockerfile\nFROM scratch AS x\nCOPY --from=x /a /a\n```\n\n```bash\necho \"$HOME\"\n```\n";
    let full = Document::parse_with(md, ColorMode::TrueColor).layout(60);
    let plain = Document::parse_unhighlighted(md, &crate::theme::Theme::dark()).layout(60);
    // Without a code background, code lines are not padded to the frame.
    let t = |r: &Rendered| {
        r.lines
            .iter()
            .map(|l| text_of(l).trim_end().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(t(&full), t(&plain));
    assert_eq!(full.block_lines, plain.block_lines);
    let code = Document::parse_unhighlighted(md, &crate::theme::Theme::dark());
    assert!(code
        .highlighted
        .iter()
        .flatten()
        .flatten()
        .all(|(s, _)| *s == Style::new()));
    assert_eq!(code.code_bg, None);
}
