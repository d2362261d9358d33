//! Laying a parsed document out for a width.

use pulldown_cmark::Alignment;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::parse::{BlockKind, ContainerKind, Table};
use super::wrap::{
    grapheme_width, hard_wrap, push_run, runs_width, str_width, truncate, wrap, Piece, Runs,
};
use super::{theme, Document, Rendered};
use crate::theme::Theme;

const BULLETS: [&str; 3] = ["•", "◦", "▪"];

struct Out {
    r: Rendered,
}

impl Out {
    /// Push prefix + content as one line; returns (line index, prefix span count).
    fn push(&mut self, prefix: &Runs, content: Runs) -> (usize, usize) {
        let mut spans: Vec<Span<'static>> = Vec::with_capacity(prefix.len() + content.len());
        for (style, text) in prefix.iter().chain(content.iter()) {
            spans.push(Span::styled(text.clone(), *style));
        }
        self.r.lines.push(Line::from(spans));
        (self.r.lines.len() - 1, prefix.len())
    }
}

pub(crate) fn layout(doc: &Document, width: usize) -> Rendered {
    let mut out = Out {
        r: Rendered {
            block_lines: vec![0..0; doc.code_blocks.len()],
            frames: vec![Vec::new(); doc.code_blocks.len()],
            theme: doc.theme,
            ..Rendered::default()
        },
    };
    // Narrow panes still get some room for text under deep nesting.
    let min_content = width.min((width / 3).max(2));
    let max_prefix = width - min_content;
    let mut chain: Vec<usize> = Vec::new();

    for block in &doc.blocks {
        chain.clear();
        let mut c = block.container;
        while let Some(id) = c {
            chain.push(id);
            c = doc.containers[id].parent;
        }
        chain.reverse();

        if let Some(d) = block.gap {
            let mut p = prefix(doc, &chain[..d.min(chain.len())], usize::MAX, max_prefix);
            trim_end(&mut p);
            out.push(&p, Vec::new());
        }
        let first = prefix(doc, &chain, block.marker_from, max_prefix);
        let cont = prefix(doc, &chain, usize::MAX, max_prefix);
        let avail = width - runs_width(&first).max(runs_width(&cont));

        match &block.kind {
            BlockKind::Text { pieces, heading } => {
                let lines = wrap(pieces, avail);
                let rule_w = lines.iter().map(|l| runs_width(l)).max().unwrap_or(0);
                if let Some(level) = heading {
                    out.r.headings.push((out.r.lines.len(), *level));
                }
                emit_lines(&mut out, &first, &cont, lines);
                if let Some(level @ (1 | 2)) = heading {
                    let ch = if *level == 1 { "━" } else { "─" };
                    let rule = ch.repeat(rule_w.clamp(1, avail));
                    out.push(&cont, vec![(theme::heading_rule(&doc.theme, *level), rule)]);
                }
            }
            BlockKind::Html(raw) => {
                let mut lines = Vec::new();
                for l in raw {
                    lines.extend(hard_wrap(&[(theme::html(&doc.theme), l.clone())], avail));
                }
                if lines.is_empty() {
                    lines.push(Vec::new());
                }
                emit_lines(&mut out, &first, &cont, lines);
            }
            BlockKind::Rule => {
                out.push(&first, vec![(theme::rule(&doc.theme), "─".repeat(avail))]);
            }
            BlockKind::Code(i) => code_block(&mut out, doc, *i, &first, &cont, avail),
            BlockKind::Table(t) => {
                let lines = table(t, avail, &doc.theme);
                emit_lines(&mut out, &first, &cont, lines);
            }
        }
    }
    out.r
}

fn emit_lines(out: &mut Out, first: &Runs, cont: &Runs, lines: Vec<Runs>) {
    for (i, line) in lines.into_iter().enumerate() {
        let p = if i == 0 { first } else { cont };
        if line.is_empty() {
            let mut p = p.clone();
            trim_end(&mut p);
            out.push(&p, line);
        } else {
            out.push(p, line);
        }
    }
}

fn trim_end(runs: &mut Runs) {
    while let Some((_, t)) = runs.last_mut() {
        let trimmed = t.trim_end().len();
        t.truncate(trimmed);
        if t.is_empty() {
            runs.pop();
        } else {
            break;
        }
    }
}

/// The prefix a chain of containers draws: quote bars, list markers (for
/// items at chain index >= `marker_from`, else their indent), footnote labels.
/// Cut to `max` columns.
fn prefix(doc: &Document, chain: &[usize], marker_from: usize, max: usize) -> Runs {
    let mut runs: Runs = Vec::new();
    let mut w = 0;
    for (i, &id) in chain.iter().enumerate() {
        if w > max {
            break;
        }
        let (style, text): (Style, String) = match &doc.containers[id].kind {
            ContainerKind::List(_) => continue,
            ContainerKind::Quote(kind) => (theme::quote_bar(&doc.theme, *kind), "│ ".to_string()),
            ContainerKind::Item { list, ordinal } => {
                let info = &doc.lists[*list];
                let marker = match info.start {
                    Some(start) => {
                        let last = start.saturating_add(info.items.saturating_sub(1));
                        let digits = last.to_string().len();
                        format!("{ordinal:>digits$}. ")
                    }
                    None => format!("{} ", BULLETS[info.level % BULLETS.len()]),
                };
                if i >= marker_from {
                    (theme::list_marker(&doc.theme), marker)
                } else {
                    (Style::new(), " ".repeat(str_width(&marker)))
                }
            }
            ContainerKind::Footnote(label) => {
                let marker = format!("[{label}] ");
                let indent = str_width(&marker).min(4);
                if i >= marker_from {
                    (theme::footnote(&doc.theme), marker)
                } else {
                    (Style::new(), " ".repeat(indent))
                }
            }
        };
        w += str_width(&text);
        push_run(&mut runs, style, &text);
    }
    if w > max {
        truncate(&runs, max)
    } else {
        runs
    }
}

fn code_block(out: &mut Out, doc: &Document, i: usize, first: &Runs, cont: &Runs, avail: usize) {
    let start = out.r.lines.len();
    let frame = theme::frame(&doc.theme);
    let block = &doc.code_blocks[i];
    let mut frames = Vec::new();

    // ╭─ lang ─────
    let mut top: Runs = vec![(frame, "╭─".to_string())];
    if !block.lang.is_empty() {
        let label: String = block.lang.chars().take(24).collect();
        top.push((theme::code_label(&doc.theme), format!(" {label} ")));
    }
    // The frame is closed on the right when there is room for it and for
    // some code: `│ code │`.
    let closed = avail >= 8;
    let used = runs_width(&top);
    let right = usize::from(closed);
    if used + right < avail {
        top.push((frame, "─".repeat(avail - used - right)));
    }
    let mut top = truncate(&top, avail - right);
    if closed {
        top.push((frame, "╮".to_string()));
    }
    let (line, skip) = out.push(first, top.clone());
    for (k, (style, _)) in top.iter().enumerate() {
        if *style == frame {
            frames.push((line, skip + k));
        }
    }

    // │ code, hard-wrapped with ┆ on continuation lines, on the theme's background
    // Below 4 columns the gutter would leave no room for a wide character.
    let (gutter_w, text_w) = if closed {
        (2, avail - 4)
    } else if avail >= 4 {
        (2, avail - 2)
    } else {
        (0, avail)
    };
    let bg = doc.code_bg;
    let with_bg = |s: Style| match bg {
        Some(c) => s.bg(c),
        None => s,
    };
    let empty = vec![Vec::new()];
    let lines = doc
        .highlighted
        .get(i)
        .filter(|l| !l.is_empty())
        .unwrap_or(&empty);
    for styled in lines {
        for (k, chunk) in hard_wrap(styled, text_w).into_iter().enumerate() {
            let mut content: Runs = Vec::new();
            if gutter_w > 0 {
                content.push((frame, if k == 0 { "│ " } else { "┆ " }.to_string()));
            }
            let w = runs_width(&chunk);
            for (s, t) in chunk {
                content.push((with_bg(s), t));
            }
            if (bg.is_some() || closed) && w < text_w {
                content.push((with_bg(Style::new()), " ".repeat(text_w - w)));
            }
            let right_at = content.len();
            if closed {
                content.push((with_bg(Style::new()), " ".to_string()));
                content.push((frame, if k == 0 { "│" } else { "┆" }.to_string()));
            }
            let (line, skip) = out.push(cont, content);
            if gutter_w > 0 {
                frames.push((line, skip));
            }
            if closed {
                frames.push((line, skip + right_at + 1));
            }
        }
    }

    // ╰─────
    let bottom = if closed {
        vec![(frame, format!("╰{}╯", "─".repeat(avail - 2)))]
    } else {
        truncate(
            &[(frame, format!("╰{}", "─".repeat(avail.saturating_sub(1))))],
            avail,
        )
    };
    let (line, skip) = out.push(cont, bottom);
    frames.push((line, skip));

    if let Some(r) = out.r.block_lines.get_mut(i) {
        *r = start..out.r.lines.len();
    }
    if let Some(f) = out.r.frames.get_mut(i) {
        *f = frames;
    }
}

fn cell_width(cell: &[Piece]) -> usize {
    cell.iter()
        .map(|p| match p {
            Piece::Text(_, t) => str_width(t),
            Piece::Break => 1,
        })
        .sum()
}

/// Column widths within `budget` columns of cell text: natural widths when
/// they fit, else the widest columns are capped equally (water-filling), never
/// below a column's minimum (its widest character). `None` when even the
/// minimums do not fit.
fn fit_columns(natural: &[usize], mins: &[usize], budget: usize) -> Option<Vec<usize>> {
    let natural: Vec<usize> = natural.iter().map(|&n| n.max(1)).collect();
    if natural.iter().sum::<usize>() <= budget {
        return Some(natural);
    }
    if mins.iter().sum::<usize>() > budget {
        return None;
    }
    let width = |n: usize, m: usize, cap: usize| n.min(cap).max(m);
    let fits = |cap: usize| {
        natural
            .iter()
            .zip(mins)
            .map(|(&n, &m)| width(n, m, cap))
            .sum::<usize>()
            <= budget
    };
    let (mut lo, mut hi) = (1, natural.iter().copied().max().unwrap_or(1));
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut widths: Vec<usize> = natural
        .iter()
        .zip(mins)
        .map(|(&n, &m)| width(n, m, lo))
        .collect();
    let mut left = budget.saturating_sub(widths.iter().sum());
    for (w, &n) in widths.iter_mut().zip(&natural) {
        if left == 0 {
            break;
        }
        if n > *w {
            *w += 1;
            left -= 1;
        }
    }
    Some(widths)
}

/// The widest grapheme of a cell (at least 1).
fn widest_grapheme(cell: &[Piece]) -> usize {
    use unicode_segmentation::UnicodeSegmentation;
    cell.iter()
        .filter_map(|p| match p {
            Piece::Text(_, t) => t.graphemes(true).map(grapheme_width).max(),
            Piece::Break => None,
        })
        .max()
        .unwrap_or(1)
        .max(1)
}

fn table(t: &Table, avail: usize, theme: &Theme) -> Vec<Runs> {
    let ncols = t
        .rows
        .iter()
        .map(|r| r.cells.len())
        .max()
        .unwrap_or(0)
        .max(t.aligns.len());
    if ncols == 0 || t.rows.is_empty() {
        return vec![Vec::new()];
    }
    let overhead = 3 * ncols + 1;
    if avail < overhead + ncols {
        return stacked_table(t, avail, theme);
    }
    let mut natural = vec![0; ncols];
    let mut mins = vec![1; ncols];
    for row in &t.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            natural[c] = natural[c].max(cell_width(cell));
            mins[c] = mins[c].max(widest_grapheme(cell));
        }
    }
    let Some(widths) = fit_columns(&natural, &mins, avail - overhead) else {
        return stacked_table(t, avail, theme);
    };
    let border = theme::table_border(theme);
    let rule = |l: &str, m: &str, r: &str| -> Runs {
        let mut s = String::from(l);
        for (c, w) in widths.iter().enumerate() {
            s.push_str(&"─".repeat(w + 2));
            s.push_str(if c + 1 == ncols { r } else { m });
        }
        vec![(border, s)]
    };

    let wrapped: Vec<Vec<Vec<Runs>>> = t
        .rows
        .iter()
        .map(|row| {
            (0..ncols)
                .map(|c| match row.cells.get(c) {
                    Some(cell) => wrap(cell, widths[c]),
                    None => vec![Vec::new()],
                })
                .collect()
        })
        .collect();
    let multi_line_body = t
        .rows
        .iter()
        .zip(&wrapped)
        .any(|(row, cells)| !row.header && cells.iter().any(|c| c.len() > 1));

    let mut lines = vec![rule("┌", "┬", "┐")];
    for (r, (row, cells)) in t.rows.iter().zip(&wrapped).enumerate() {
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for k in 0..height {
            let mut line: Runs = vec![(border, "│".to_string())];
            for (c, cell) in cells.iter().enumerate() {
                let content = cell.get(k).cloned().unwrap_or_default();
                let pad = widths[c].saturating_sub(runs_width(&content));
                let (left, right) = match t.aligns.get(c) {
                    Some(Alignment::Right) => (pad, 0),
                    Some(Alignment::Center) => (pad / 2, pad - pad / 2),
                    _ => (0, pad),
                };
                push_run(&mut line, Style::new(), &" ".repeat(left + 1));
                for (s, text) in content {
                    push_run(&mut line, s, &text);
                }
                push_run(&mut line, Style::new(), &" ".repeat(right + 1));
                line.push((border, "│".to_string()));
            }
            lines.push(line);
        }
        let last = r + 1 == t.rows.len();
        if !last && (row.header || multi_line_body) {
            lines.push(rule("├", "┼", "┤"));
        }
    }
    lines.push(rule("└", "┴", "┘"));
    lines
}

/// Too narrow for columns: each row as `header: value` lines.
fn stacked_table(t: &Table, avail: usize, theme: &Theme) -> Vec<Runs> {
    let header = t.rows.iter().find(|r| r.header);
    let mut lines = Vec::new();
    let body: Vec<_> = t.rows.iter().filter(|r| !r.header).collect();
    let rows = if body.is_empty() {
        t.rows.iter().collect()
    } else {
        body
    };
    for (r, row) in rows.iter().enumerate() {
        if r > 0 {
            lines.push(vec![(theme::table_border(theme), "─".repeat(avail))]);
        }
        for (c, cell) in row.cells.iter().enumerate() {
            let mut pieces = Vec::new();
            if let Some(h) = header.filter(|h| !std::ptr::eq(*h, *row)) {
                if let Some(hc) = h.cells.get(c) {
                    pieces.extend(hc.iter().cloned());
                    pieces.push(Piece::Text(theme::table_header(theme), ": ".into()));
                }
            }
            pieces.extend(cell.iter().cloned());
            lines.extend(wrap(&pieces, avail));
        }
    }
    if lines.is_empty() {
        lines.push(Vec::new());
    }
    lines
}
