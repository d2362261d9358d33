//! The network map drawn as lines of text at a width: each network a box
//! (a lane) with its driver, subnets and flags, its containers with their
//! addresses; the host on top with its published ports as arrows; the reach
//! checks' results below. Narrow widths get a compact form without boxes;
//! wide ones put the lanes side by side. Every span carries a [`Tone`] so the
//! TUI can colour what `dockdojo map` prints plain.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Lane, LaneFacts, Member, NetworkMap, Path, PortArrow, ReachEdge};
use crate::engine::inventory::PublishedPort;
use crate::sanitize::clean_line;

/// Below this width the lanes are drawn without boxes.
pub const BOX_MIN: usize = 44;
/// A lane box is at least this wide when lanes are put side by side.
const COLUMN_MIN: usize = 60;

/// What a span is, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Plain,
    /// Secondary text: details, counts, explanations.
    Dim,
    /// A container's or the host's name.
    Name,
    /// A network's name.
    Network,
    /// Running; reached or blocked as the lesson wants.
    Pass,
    /// Not as the lesson wants.
    Fail,
    /// Not created yet.
    Warn,
    /// Box lines.
    Border,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub tone: Tone,
}

/// One line of the picture.
pub type Line = Vec<Span>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    Unicode,
    /// Plain ASCII, for files, pipes and terminals without box drawing.
    Ascii,
}

/// How to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Display columns available.
    pub width: usize,
    pub charset: Charset,
    /// How the reader asks for everything (`a`, `--all`), for the line that
    /// counts what is left out.
    pub show_all: &'static str,
}

struct Glyphs {
    tl: &'static str,
    tr: &'static str,
    bl: &'static str,
    br: &'static str,
    h: &'static str,
    v: &'static str,
    dash: &'static str,
    arrow: &'static str,
    arrow_short: &'static str,
    blocked: &'static str,
    running: &'static str,
    stopped: &'static str,
    ok: &'static str,
    wrong: &'static str,
    sep: &'static str,
    shares: &'static str,
    /// Ends a cut name.
    more: &'static str,
}

const UNICODE: Glyphs = Glyphs {
    tl: "╭",
    tr: "╮",
    bl: "╰",
    br: "╯",
    h: "─",
    v: "│",
    dash: "┄",
    arrow: "──▶",
    arrow_short: "▶",
    blocked: "──╳",
    running: "●",
    stopped: "○",
    ok: "✔",
    wrong: "✘",
    sep: " · ",
    shares: "└",
    more: "…",
};

const ASCII: Glyphs = Glyphs {
    tl: "+",
    tr: "+",
    bl: "+",
    br: "+",
    h: "-",
    v: "|",
    dash: ".",
    arrow: "-->",
    arrow_short: ">",
    blocked: "--x",
    running: "*",
    stopped: "o",
    ok: "ok",
    wrong: "NO",
    sep: " | ",
    shares: "`-",
    more: "~",
};

fn glyphs(c: Charset) -> &'static Glyphs {
    match c {
        Charset::Unicode => &UNICODE,
        Charset::Ascii => &ASCII,
    }
}

fn span(text: impl Into<String>, tone: Tone) -> Span {
    Span {
        text: text.into(),
        tone,
    }
}

/// The display width of a line.
pub fn width(line: &[Span]) -> usize {
    line.iter().map(|s| s.text.width()).sum()
}

/// The lines as text, one per line, without trailing blanks.
pub fn plain(lines: &[Line]) -> String {
    let mut out = String::new();
    for l in lines {
        let text: String = l.iter().map(|s| s.text.as_str()).collect();
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// Cut `s` to at most `w` display columns, ending with `…` (or `~` in
/// ASCII) when cut.
fn fit(s: &str, w: usize, g: &Glyphs) -> String {
    if s.width() <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw + 1 > w {
            break;
        }
        out.push(c);
        used += cw;
    }
    if w > 0 {
        out.push_str(g.more);
    }
    out
}

/// Cut a line's spans to `w` columns.
fn fit_line(line: Line, w: usize, g: &Glyphs) -> Line {
    if width(&line) <= w {
        return line;
    }
    let mut out = Vec::new();
    let mut left = w;
    for s in line {
        let sw = s.text.width();
        if sw <= left {
            left -= sw;
            out.push(s);
        } else {
            out.push(span(fit(&s.text, left, g), s.tone));
            break;
        }
    }
    out
}

/// Pad a line with spaces to exactly `w` columns (cutting it if longer).
fn pad(line: Line, w: usize, g: &Glyphs) -> Line {
    let mut line = fit_line(line, w, g);
    let used = width(&line);
    if used < w {
        line.push(span(" ".repeat(w - used), Tone::Plain));
    }
    line
}

/// Draw the map.
pub fn lines(map: &NetworkMap, o: &Options) -> Vec<Line> {
    let g = glyphs(o.charset);
    let w = o.width.max(16);
    let mut out: Vec<Line> = Vec::new();
    if w < BOX_MIN {
        out.extend(compact_host(map, g));
        for lane in &map.lanes {
            out.extend(compact_lane(lane, w, g));
        }
    } else {
        out.extend(boxed(
            "host",
            Some("this machine".to_string()),
            host_rows(map, w - 4, g),
            w,
            g,
            false,
        ));
        let cols = (w / COLUMN_MIN).clamp(1, map.lanes.len().max(1));
        let box_w = (w - (cols - 1)) / cols;
        for row in map.lanes.chunks(cols) {
            let boxes: Vec<Vec<Line>> = row.iter().map(|l| lane_box(l, box_w, g)).collect();
            let height = boxes.iter().map(Vec::len).max().unwrap_or(0);
            for i in 0..height {
                let mut line = Vec::new();
                for (j, b) in boxes.iter().enumerate() {
                    if j > 0 {
                        line.push(span(" ", Tone::Plain));
                    }
                    let part = b.get(i).cloned().unwrap_or_default();
                    line.extend(pad(part, box_w, g));
                }
                out.push(line);
            }
        }
    }
    if !map.missing_containers.is_empty() {
        let names: Vec<String> = map
            .missing_containers
            .iter()
            .map(|n| clean_line(n))
            .collect();
        let text = format!("not created yet: {}", names.join(", "));
        out.extend(wrapped(&text, w, Tone::Warn));
    }
    if !map.reach.is_empty() {
        out.extend(reach_lines(&map.reach, w, g));
    } else if map.reach_pending {
        out.extend(wrapped(
            "reach: the lesson's checks are still probing…",
            w,
            Tone::Dim,
        ));
    }
    let h = map.hidden;
    if h.networks + h.containers > 0 {
        let mut parts = Vec::new();
        if h.networks > 0 {
            parts.push(plural(h.networks, "network", "networks"));
        }
        if h.containers > 0 {
            parts.push(plural(h.containers, "container", "containers"));
        }
        let text = format!(
            "+{} not in this lesson ({})",
            parts.join(" and "),
            o.show_all
        );
        out.extend(wrapped(&text, w, Tone::Dim));
    }
    out.into_iter().map(|l| fit_line(l, w, g)).collect()
}

/// `text` word-wrapped to `w` columns, each line one span of `tone`.
fn wrapped(text: &str, w: usize, tone: Tone) -> Vec<Line> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let Some(last) = lines.last_mut() else { break };
        if last.is_empty() {
            last.push_str(word);
        } else if last.width() + 1 + word.width() <= w {
            last.push(' ');
            last.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    lines.into_iter().map(|l| vec![span(l, tone)]).collect()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `0.0.0.0:8080`, `[::1]:8080`.
fn host_address(p: &PublishedPort) -> String {
    let ip = if p.host_ip.is_empty() {
        "0.0.0.0"
    } else {
        p.host_ip.as_str()
    };
    if ip.contains(':') {
        format!("[{}]:{}", clean_line(ip), p.host_port)
    } else {
        format!("{}:{}", clean_line(ip), p.host_port)
    }
}

fn port_row(a: &PortArrow, arrow: &str) -> Line {
    let tone = if a.running { Tone::Plain } else { Tone::Dim };
    let mut l = vec![
        span(host_address(&a.port), tone),
        span(format!(" {arrow} "), Tone::Border),
        span(clean_line(&a.container), Tone::Name),
        span(
            format!(
                ":{}/{}",
                a.port.container_port,
                clean_line(&a.port.protocol)
            ),
            tone,
        ),
    ];
    if !a.running {
        l.push(span("  (not running)", Tone::Dim));
    }
    l
}

fn dot(m: &Member, g: &Glyphs) -> Span {
    if m.running {
        span(g.running, Tone::Pass)
    } else {
        span(g.stopped, Tone::Dim)
    }
}

fn host_rows(map: &NetworkMap, inner: usize, g: &Glyphs) -> Vec<Line> {
    let mut rows: Vec<Line> = map
        .host
        .ports
        .iter()
        .map(|a| port_row(a, g.arrow))
        .collect();
    for m in &map.host.containers {
        rows.push(vec![
            dot(m, g),
            span(" ", Tone::Plain),
            span(clean_line(&m.name), Tone::Name),
            span("  on the host's own network stack", Tone::Dim),
        ]);
    }
    if rows.is_empty() {
        rows.push(vec![span(
            fit(
                "no published ports, no container on the host network",
                inner,
                g,
            ),
            Tone::Dim,
        )]);
    }
    rows
}

/// A box `w` wide around `rows`, `title` in its top border with `details`
/// on the right when they fit (else as its first row).
fn boxed(
    title: &str,
    details: Option<String>,
    rows: Vec<Line>,
    w: usize,
    g: &Glyphs,
    dashed: bool,
) -> Vec<Line> {
    let h = if dashed { g.dash } else { g.h };
    let inner = w.saturating_sub(4);
    let title = fit(&clean_line(title), w.saturating_sub(6).max(1), g);
    let tw = title.width();
    let mut rows = rows;
    let mut top = vec![
        span(format!("{}{h} ", g.tl), Tone::Border),
        span(title, Tone::Network),
        span(" ", Tone::Border),
    ];
    // ╭─ title ─── details ─╮: 3 + tw + 1 + fill + 1 + dw + 1 + 2
    let room = w.saturating_sub(tw + 8);
    match details {
        Some(d) if d.width() < room => {
            let fill = room - d.width();
            top.push(span(h.repeat(fill), Tone::Border));
            top.push(span(" ", Tone::Border));
            top.push(span(d, Tone::Dim));
            top.push(span(format!(" {h}{}", g.tr), Tone::Border));
        }
        other => {
            if let Some(d) = other {
                rows.insert(0, vec![span(d, Tone::Dim)]);
            }
            let fill = w.saturating_sub(tw + 5);
            top.push(span(h.repeat(fill), Tone::Border));
            top.push(span(g.tr, Tone::Border));
        }
    }
    let mut out = vec![top];
    for r in rows {
        let mut line = vec![span(format!("{} ", g.v), Tone::Border)];
        line.extend(pad(r, inner, g));
        line.push(span(format!(" {}", g.v), Tone::Border));
        out.push(line);
    }
    out.push(vec![span(
        format!("{}{}{}", g.bl, h.repeat(w.saturating_sub(2)), g.br),
        Tone::Border,
    )]);
    out
}

fn details(f: &LaneFacts, g: &Glyphs) -> String {
    f.details()
        .iter()
        .map(|d| clean_line(d))
        .collect::<Vec<_>>()
        .join(g.sep)
}

fn member_rows(lane: &Lane, inner: usize, g: &Glyphs) -> Vec<Line> {
    let name_w = lane
        .members
        .iter()
        .map(|m| clean_line(&m.name).width())
        .max()
        .unwrap_or(0)
        .min(inner / 2);
    let mut rows = Vec::new();
    for m in &lane.members {
        let name = fit(&clean_line(&m.name), name_w.max(1), g);
        let gap = " ".repeat(name_w.saturating_sub(name.width()) + 2);
        let mut row = vec![
            dot(m, g),
            span(" ", Tone::Plain),
            span(name, Tone::Name),
            span(gap, Tone::Plain),
        ];
        match (&m.address, m.running) {
            (Some(a), _) => row.push(span(clean_line(a), Tone::Plain)),
            (None, true) => row.push(span("no address", Tone::Dim)),
            (None, false) => row.push(span(clean_line(&m.state), Tone::Dim)),
        }
        rows.push(row);
        for s in &m.sharing {
            rows.push(vec![
                span(format!("  {} ", g.shares), Tone::Border),
                span(clean_line(s), Tone::Name),
                span(" shares its network", Tone::Dim),
            ]);
        }
    }
    if lane.others > 0 {
        rows.push(vec![span(
            format!(
                "+{} other {}",
                lane.others,
                if lane.others == 1 {
                    "container"
                } else {
                    "containers"
                }
            ),
            Tone::Dim,
        )]);
    }
    if rows.is_empty() {
        rows.push(vec![span("no containers", Tone::Dim)]);
    }
    rows
}

fn lane_box(lane: &Lane, w: usize, g: &Glyphs) -> Vec<Line> {
    match &lane.network {
        None => boxed(
            &lane.name,
            Some("not created".into()),
            vec![vec![span(
                "the lesson names it; it does not exist yet",
                Tone::Warn,
            )]],
            w,
            g,
            true,
        ),
        Some(f) => boxed(
            &lane.name,
            Some(details(f, g)),
            member_rows(lane, w.saturating_sub(4), g),
            w,
            g,
            false,
        ),
    }
}

fn compact_host(map: &NetworkMap, g: &Glyphs) -> Vec<Line> {
    let mut out = vec![vec![span("host", Tone::Network)]];
    for a in &map.host.ports {
        let mut l = vec![span("  ", Tone::Plain)];
        l.extend(port_row(a, g.arrow_short));
        out.push(l);
    }
    for m in &map.host.containers {
        out.push(vec![
            span("  ", Tone::Plain),
            dot(m, g),
            span(" ", Tone::Plain),
            span(clean_line(&m.name), Tone::Name),
            span(" host network", Tone::Dim),
        ]);
    }
    if out.len() == 1 {
        out[0].push(span("  nothing published", Tone::Dim));
    }
    out
}

fn compact_lane(lane: &Lane, w: usize, g: &Glyphs) -> Vec<Line> {
    let name = clean_line(&lane.name);
    let d = match &lane.network {
        Some(f) => details(f, g),
        None => "not created".to_string(),
    };
    let tone = if lane.network.is_some() {
        Tone::Dim
    } else {
        Tone::Warn
    };
    let mut out = Vec::new();
    if name.width() + g.sep.width() + d.width() <= w {
        out.push(vec![
            span(name, Tone::Network),
            span(g.sep, Tone::Dim),
            span(d, tone),
        ]);
    } else {
        out.push(vec![span(name, Tone::Network)]);
        out.push(vec![span("  ", Tone::Plain), span(d, tone)]);
    }
    if lane.network.is_some() {
        for r in member_rows(lane, w.saturating_sub(2), g) {
            let mut l = vec![span("  ", Tone::Plain)];
            l.extend(r);
            out.push(l);
        }
    }
    out
}

fn reach_lines(edges: &[ReachEdge], w: usize, g: &Glyphs) -> Vec<Line> {
    let compact = w < BOX_MIN;
    let from_w = edges
        .iter()
        .map(|e| clean_line(&e.from).width())
        .max()
        .unwrap_or(0)
        .min(if compact { w / 2 } else { w / 3 });
    let title = if compact {
        format!("reach ({} reached, {} blocked)", g.arrow, g.blocked)
    } else {
        "reach, as the lesson's checks found it".to_string()
    };
    let mut out = vec![vec![span(title, Tone::Dim)]];
    for e in edges {
        let from = fit(&clean_line(&e.from), from_w.max(1), g);
        let gap = " ".repeat(from_w.saturating_sub(from.width()));
        let (arrow, word) = match e.path {
            Path::Reached => (g.arrow, "reached"),
            Path::Blocked => (g.blocked, "blocked"),
        };
        let target = match e.port {
            Some(p) => format!(":{p}"),
            None => " (ping)".to_string(),
        };
        let mut l = vec![
            span("  ", Tone::Plain),
            span(from, Tone::Network),
            span(gap, Tone::Plain),
            span(format!(" {arrow} "), Tone::Border),
            span(clean_line(&e.to), Tone::Name),
            span(target, Tone::Plain),
            span(
                if compact {
                    " ".to_string()
                } else {
                    format!("  {word} ")
                },
                Tone::Plain,
            ),
        ];
        if e.as_expected {
            l.push(span(g.ok, Tone::Pass));
        } else if compact {
            l.push(span(g.wrong, Tone::Fail));
        } else {
            let want = match e.path {
                Path::Reached => "should be blocked",
                Path::Blocked => "should be reached",
            };
            l.push(span(format!("{} {want}", g.wrong), Tone::Fail));
        }
        out.push(l);
    }
    out
}
