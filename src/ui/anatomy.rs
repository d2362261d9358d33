//! The image anatomy view (F9): the lesson's images two at a time, side by
//! side when there is room (before and after a multi-stage rewrite): their
//! size, the image the final stage starts from, the size of each build step
//! as a bar with its instruction, and the kinds of tools each carries. It
//! shows what the check run already found ([`crate::check::anatomy`]);
//! kinds no check looked for say so until `s` scans them.

use super::text::{tr, trf, T};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::engine::bar;
use super::{pane_block, truncate, Theme};
use crate::check::anatomy::{instruction, Anatomy, ImageFact};
use crate::lesson::size::format_size;
use crate::lesson::PathSet;
use crate::sanitize::clean_line;

/// Columns each image needs to be drawn beside another.
const SIDE_BY_SIDE_MIN: usize = 36;
const GAP: &str = " │ ";

/// What the anatomy view shows.
pub struct AnatomyView<'a> {
    /// The lesson's images, in its order.
    pub images: &'a [String],
    /// What was found of each, once gathered.
    pub facts: Option<&'a [ImageFact]>,
    /// The first of the two images shown.
    pub first: usize,
    pub scroll: usize,
    pub focused: bool,
}

fn fact_of<'a>(facts: &'a [ImageFact], image: &str) -> Option<&'a ImageFact> {
    facts.iter().find(|(n, _)| n == image)
}

/// The lines of one image, `w` columns wide; bars are relative to `largest`
/// (the larger image's size) and `largest_step` (the largest step shown).
fn column(
    t: &Theme,
    name: &str,
    fact: Option<&ImageFact>,
    w: usize,
    largest: u64,
    largest_step: u64,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(Span::styled(
        truncate(&clean_line(name), w),
        t.bold(),
    ))];
    let a = match fact.map(|(_, f)| f) {
        None => {
            out.push(Line::from(Span::styled(tr(T::AnatomyReading), t.dim())));
            return out;
        }
        Some(Ok(None)) => {
            out.push(Line::from(Span::styled(
                tr(T::EngineNotBuilt),
                Style::default().fg(t.warn()),
            )));
            return out;
        }
        Some(Err(e)) => {
            for l in super::wrap(
                &trf(T::AnatomyCannotRead, &[("error", &clean_line(&e.0))]),
                w,
            ) {
                out.push(Line::from(Span::styled(l, Style::default().fg(t.fail()))));
            }
            return out;
        }
        Some(Ok(Some(a))) => a,
    };
    let size = format_size(a.size);
    let frac = |n: u64, of: u64| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    out.push(Line::from(vec![
        Span::styled(format!("{size:>8} "), t.bold()),
        Span::styled(
            bar(frac(a.size, largest), w.saturating_sub(9)),
            Style::default().fg(t.warn()),
        ),
    ]));
    let (base_steps, own) = a.split_steps();
    let base = match &a.base {
        Some(b) => format!("FROM {}", clean_line(&b.name)),
        None => "FROM scratch, or an image not on this engine".to_string(),
    };
    out.push(Line::from(Span::styled(truncate(&base, w), t.dim())));
    let bar_w = (w / 4).clamp(4, 16);
    let instr_w = w.saturating_sub(bar_w + 10);
    let step_line = |size: u64, text: String, dim: bool| {
        let size_text = if size == 0 {
            "—".to_string()
        } else {
            format_size(size)
        };
        let color = if dim { t.dim_color() } else { t.accent() };
        Line::from(vec![
            Span::styled(format!("{size_text:>8} "), t.dim()),
            Span::styled(
                format!("{:<bar_w$} ", bar(frac(size, largest_step), bar_w)),
                Style::default().fg(color),
            ),
            Span::styled(
                truncate(&text, instr_w),
                if dim { t.dim() } else { Style::default() },
            ),
        ])
    };
    out.push(Line::from(Span::styled(
        tr(T::AnatomySteps),
        Style::default().add_modifier(Modifier::UNDERLINED),
    )));
    if !base_steps.is_empty() {
        let total: u64 = base_steps.iter().map(|s| s.size).sum();
        out.push(step_line(
            total,
            match base_steps.len() {
                1 => tr(T::AnatomyBaseOneStep).to_string(),
                n => trf(T::AnatomyBaseSteps, &[("n", &n.to_string())]),
            },
            true,
        ));
    }
    for s in own {
        let text = instruction(&s.created_by);
        let text = if text.is_empty() {
            tr(T::AnatomyNoInstruction).to_string()
        } else {
            clean_line(&text)
        };
        out.push(step_line(s.size, text, s.size == 0));
    }
    out.push(Line::from(Span::styled(
        tr(T::AnatomyTools),
        Style::default().add_modifier(Modifier::UNDERLINED),
    )));
    for tool in &a.tools {
        let label = match tool.set {
            PathSet::Shell => tr(T::AnatomyShell),
            PathSet::PackageManager => tr(T::AnatomyPackages),
            PathSet::Compilers => tr(T::AnatomyCompilers),
            PathSet::NetworkTools => tr(T::AnatomyNetwork),
        };
        let (text, style) = match &tool.found {
            None => (tr(T::AnatomyNotLooked).to_string(), t.dim()),
            Some(v) if v.is_empty() => (
                tr(T::AnatomyNone).to_string(),
                Style::default().fg(t.pass()),
            ),
            Some(v) => (tool_names(v), Style::default().fg(t.warn())),
        };
        out.push(Line::from(vec![
            Span::styled(format!("{label:<10}"), t.dim()),
            Span::styled(truncate(&clean_line(&text), w.saturating_sub(10)), style),
        ]));
    }
    out
}

/// `/usr/bin/apt, /usr/bin/dpkg` -> `apt, dpkg`: each tool once, by name.
fn tool_names(paths: &[String]) -> String {
    let mut names: Vec<&str> = Vec::new();
    for p in paths {
        let n = p.trim_end_matches('/').rsplit('/').next().unwrap_or(p);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names.join(", ")
}

fn anatomy_of(fact: Option<&ImageFact>) -> Option<&Anatomy> {
    match fact {
        Some((_, Ok(Some(a)))) => Some(a),
        _ => None,
    }
}

/// The view's lines at `width`: the two images side by side, or one under
/// the other when they do not fit.
pub fn lines(t: &Theme, v: &AnatomyView<'_>, width: usize) -> Vec<Line<'static>> {
    if v.images.is_empty() {
        return vec![Line::from(Span::styled(tr(T::AnatomyNoImages), t.dim()))];
    }
    let first = v.first.min(v.images.len().saturating_sub(1));
    let pair: Vec<&String> = v.images.iter().skip(first).take(2).collect();
    let facts = v.facts.unwrap_or(&[]);
    let found: Vec<Option<&ImageFact>> = pair
        .iter()
        .map(|n| v.facts.and_then(|_| fact_of(facts, n)))
        .collect();
    let anatomies: Vec<&Anatomy> = found.iter().filter_map(|f| anatomy_of(*f)).collect();
    let largest = anatomies.iter().map(|a| a.size).max().unwrap_or(0);
    let largest_step = anatomies
        .iter()
        .flat_map(|a| {
            let (base, own) = a.split_steps();
            let base_total: u64 = base.iter().map(|s| s.size).sum();
            own.iter()
                .map(|s| s.size)
                .chain(std::iter::once(base_total))
        })
        .max()
        .unwrap_or(0);
    let side = pair.len() == 2 && width >= 2 * SIDE_BY_SIDE_MIN + GAP.width();
    if side {
        let cw = (width - GAP.width()) / 2;
        let left = column(t, pair[0], found[0], cw, largest, largest_step);
        let right = column(t, pair[1], found[1], cw, largest, largest_step);
        let rows = left.len().max(right.len());
        (0..rows)
            .map(|i| {
                let l = left.get(i).cloned().unwrap_or_default();
                let pad = cw.saturating_sub(l.width());
                let mut spans = l.spans;
                spans.push(Span::raw(" ".repeat(pad)));
                spans.push(Span::styled(GAP, t.dim()));
                if let Some(r) = right.get(i) {
                    spans.extend(r.spans.clone());
                }
                Line::from(spans)
            })
            .collect()
    } else {
        let mut out = Vec::new();
        for (i, name) in pair.iter().enumerate() {
            if i > 0 {
                out.push(Line::from(Span::styled("─".repeat(width), t.dim())));
            }
            out.extend(column(t, name, found[i], width, largest, largest_step));
        }
        out
    }
}

pub fn render(f: &mut Frame, t: &Theme, area: Rect, v: &AnatomyView<'_>) {
    let n = v.images.len();
    let first = v.first.min(n.saturating_sub(1));
    let which = match n {
        0 => String::new(),
        1 => format!(" · {}", tr(T::AnatomyOneImage)),
        2 => String::new(),
        _ => format!(
            " · {}",
            trf(
                T::AnatomyRange,
                &[
                    ("a", &(first + 1).to_string()),
                    ("b", &(first + 2).min(n).to_string()),
                    ("n", &n.to_string())
                ]
            )
        ),
    };
    let keys = format!(
        " {} ",
        tr(if !v.focused {
            T::AnatomyKeys
        } else if n > 2 {
            T::AnatomyKeysMore
        } else {
            T::AnatomyKeysFocused
        })
    );
    let keys = keys.as_str();
    let mut block = pane_block(t, format!(" {}{which} ", tr(T::PaneAnatomy)), v.focused);
    let inner = block.inner(area);
    let all = lines(t, v, inner.width as usize);
    let height = inner.height as usize;
    let scroll = super::map::clamp_scroll(v.scroll, all.len(), height);
    let below = all.len().saturating_sub(scroll + height);
    let bottom = super::map::bottom_title(below, keys, inner.width as usize);
    block = block.title_bottom(Line::from(Span::styled(bottom, t.dim())).right_aligned());
    f.render_widget(block, area);
    let shown: Vec<Line<'static>> = all.into_iter().skip(scroll).take(height).collect();
    f.render_widget(Paragraph::new(shown), inner);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::check::anatomy::{Base, Tools};
    use crate::check::facts::FactError;
    use crate::engine::images::Step;
    use crate::ui::testing::draw;

    fn step(by: &str, size: u64) -> Step {
        Step {
            created_by: by.into(),
            size,
        }
    }

    fn tools(found: [Option<&[&str]>; 4]) -> Vec<Tools> {
        PathSet::ALL
            .into_iter()
            .zip(found)
            .map(|(set, f)| Tools {
                set,
                found: f.map(|v| v.iter().map(|s| s.to_string()).collect()),
            })
            .collect()
    }

    /// Before and after the multi-stage rewrite, and an image not built yet.
    pub fn facts() -> Vec<ImageFact> {
        let large = Anatomy {
            image: "calc-app-large".into(),
            id: "sha256:1111".into(),
            size: 366_200_000,
            steps: vec![
                step("/bin/sh -c #(nop) ADD file:4b1 in / ", 78_600_000),
                step(
                    "/bin/sh -c apt-get update && apt-get install -y gcc",
                    242_000_000,
                ),
                step("/bin/sh -c #(nop)  ENV GOLANG_VERSION=1.25", 0),
                step("WORKDIR /src", 0),
                step("COPY . . # buildkit", 12_400),
                step("RUN /bin/sh -c go build -o /calc . # buildkit", 45_600_000),
                step("CMD [\"/calc\"]", 0),
            ],
            base: Some(Base {
                name: "golang:1.25-trixie".into(),
                steps: 3,
            }),
            tools: tools([
                Some(&["/bin/sh", "/bin/bash", "/bin/dash"]),
                Some(&["/usr/bin/apt", "/usr/bin/apt-get", "/usr/bin/dpkg"]),
                Some(&["/usr/local/go/bin/go", "/usr/bin/gcc"]),
                None,
            ]),
        };
        let small = Anatomy {
            image: "calc-app-small".into(),
            id: "sha256:2222".into(),
            size: 1_300_000,
            steps: vec![
                step("COPY /calc /calc # buildkit", 1_300_000),
                step("USER 65532", 0),
                step("ENTRYPOINT [\"/calc\"]", 0),
            ],
            base: None,
            tools: tools([Some(&[]), Some(&[]), Some(&[]), None]),
        };
        vec![
            ("calc-app-large".into(), Ok(Some(large))),
            ("calc-app-small".into(), Ok(Some(small))),
            ("calc-app-tiny".into(), Ok(None)),
            (
                "calc-app-broken".into(),
                Err(FactError("the engine did not answer within 60 s".into())),
            ),
        ]
    }

    fn images() -> Vec<String> {
        facts().into_iter().map(|(n, _)| n).collect()
    }

    /// The anatomy pane as the layout gives it at 80x24 (one image under the
    /// other) and 200x50 (side by side).
    #[test]
    fn anatomy_view_at_80x24_and_200x50() {
        let facts = facts();
        let images = images();
        for (w, h) in [(80u16, 24u16), (200, 50)] {
            let area = crate::ui::layout(Rect::new(0, 0, w, h), 1).expect("layout");
            let pane = area.picture();
            let v = AnatomyView {
                images: &images,
                facts: Some(&facts),
                first: 0,
                scroll: 0,
                focused: true,
            };
            let s = draw(pane.width, pane.height, |f| {
                render(f, &Theme::dark(), f.area(), &v)
            });
            assert!(s.contains("calc-app-large"), "{s}");
            assert!(s.contains("calc-app-small"), "{s}");
            assert!(s.contains("RUN go build"), "{s}");
            assert!(s.contains("FROM golang:1.25-trixie"), "{s}");
            insta::assert_snapshot!(format!("anatomy_view_{w}x{h}"), s);
        }
    }

    #[test]
    fn side_by_side_when_both_fit() {
        let facts = facts();
        let images = images();
        let v = AnatomyView {
            images: &images,
            facts: Some(&facts),
            first: 0,
            scroll: 0,
            focused: true,
        };
        let wide = lines(&Theme::dark(), &v, 88);
        let first: String = wide[0].spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(
            first.contains("calc-app-large") && first.contains("calc-app-small"),
            "{first}"
        );
        let narrow = lines(&Theme::dark(), &v, 38);
        let first: String = narrow[0].spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(!first.contains("calc-app-small"), "{first}");
    }

    #[test]
    fn tools_say_none_found_and_not_looked_for() {
        let facts = facts();
        let images = images();
        let v = AnatomyView {
            images: &images,
            facts: Some(&facts),
            first: 0,
            scroll: 0,
            focused: true,
        };
        let s = draw(90, 40, |f| render(f, &Theme::dark(), f.area(), &v));
        assert!(s.contains("shell     sh, bash, dash"), "{s}");
        assert!(s.contains("packages  apt, apt-get, dpkg"), "{s}");
        assert!(s.contains("compilers none"), "{s}");
        assert!(s.contains("network   not looked for yet (s)"), "{s}");
    }

    #[test]
    fn later_pairs_not_built_and_unreadable_images_say_so() {
        let facts = facts();
        let images = images();
        let v = AnatomyView {
            images: &images,
            facts: Some(&facts),
            first: 2,
            scroll: 0,
            focused: true,
        };
        let s = draw(90, 12, |f| render(f, &Theme::dark(), f.area(), &v));
        assert!(s.contains("3-4 of 4"), "{s}");
        assert!(s.contains("not built yet"), "{s}");
        assert!(
            s.contains("cannot read it: the engine did not answer"),
            "{s}"
        );
        let v = AnatomyView { facts: None, ..v };
        let s = draw(90, 12, |f| render(f, &Theme::dark(), f.area(), &v));
        assert!(s.contains("reading…"), "{s}");
    }
}
