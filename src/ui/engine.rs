//! The engine pane: the images a lesson names with size bars, the networks
//! as a small map of their containers, and containers with their state.

use super::text::{tr, trf, T};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::{pane_block, truncate, Theme};
use crate::lesson::size::format_size;
use crate::sanitize::clean_line;

/// What the engine has: the engine's own inventory, drawn as it is.
pub use crate::engine::inventory::{
    ContainerInfo, ImageInfo, Inventory as EngineView, NetworkInfo,
};

/// The names a lesson mentions (its `creates` and check fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    pub images: Vec<String>,
    pub containers: Vec<String>,
    pub networks: Vec<String>,
}

/// `calc-app` and `calc-app:latest` are the same image.
pub fn same_image(a: &str, b: &str) -> bool {
    crate::engine::image_ref::same(a, b)
}

pub use crate::engine::labels::is_helper_name;

/// The width of the section labels (`images`, `networks`...): none in narrow panes.
fn label_w(width: usize) -> usize {
    if width >= 56 {
        11
    } else {
        0
    }
}

fn label(t: &Theme, text: &str, first: bool, width: usize) -> Span<'static> {
    let w = label_w(width);
    if w == 0 {
        Span::raw("")
    } else if first {
        Span::styled(format!("{text:<w$}"), t.dim())
    } else {
        Span::raw(" ".repeat(w))
    }
}

fn state_dot(t: &Theme, state: Option<&str>) -> Span<'static> {
    match state {
        Some("running") => Span::styled("●", Style::default().fg(t.pass())),
        Some("restarting") | Some("paused") => Span::styled("●", Style::default().fg(t.warn())),
        Some(_) => Span::styled("○", t.dim()),
        None => Span::styled("○", t.dim()),
    }
}

/// A bar of `fraction` of `width` cells, with eighth blocks for the remainder.
pub fn bar(fraction: f64, width: usize) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let fraction = fraction.clamp(0.0, 1.0);
    let eighths = (fraction * width as f64 * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(EIGHTHS[eighths % 8]);
    if s.is_empty() && fraction > 0.0 {
        s.push('▏');
    }
    s
}

fn image_lines(t: &Theme, view: &EngineView, named: &Named, width: usize) -> Vec<Line<'static>> {
    let rows: Vec<(String, Option<u64>)> = named
        .images
        .iter()
        .map(|n| (clean_line(n), view.image(n).map(|i| i.size)))
        .collect();
    if rows.is_empty() {
        return vec![];
    }
    let largest = rows.iter().filter_map(|r| r.1).max().unwrap_or(0);
    let lw = label_w(width);
    let size_w = 8;
    let name_w = rows
        .iter()
        .map(|r| r.0.width())
        .max()
        .unwrap_or(0)
        .min(width.saturating_sub(lw + size_w + 6))
        .max(4);
    let bar_w = width.saturating_sub(lw + name_w + size_w + 2);
    rows.into_iter()
        .enumerate()
        .map(|(i, (name, size))| {
            let name = truncate(&name, name_w);
            let pad = name_w.saturating_sub(name.width());
            let mut spans = vec![
                label(t, tr(T::EngineImages), i == 0, width),
                Span::styled(name, t.bold()),
                Span::raw(" ".repeat(pad + 1)),
            ];
            match size {
                Some(size) => {
                    spans.push(Span::raw(format!("{:>size_w$} ", format_size(size))));
                    let frac = if largest == 0 {
                        0.0
                    } else {
                        size as f64 / largest as f64
                    };
                    let color = if frac > 0.5 { t.warn() } else { t.pass() };
                    spans.push(Span::styled(bar(frac, bar_w), Style::default().fg(color)));
                }
                None => spans.push(Span::styled(tr(T::EngineNotBuilt), t.dim())),
            }
            Line::from(spans)
        })
        .collect()
}

fn network_lines(
    t: &Theme,
    view: &EngineView,
    named: &Named,
    width: usize,
) -> (Vec<Line<'static>>, Vec<String>) {
    // Lesson networks first (present or not), then networks holding a lesson container,
    // then other user networks with containers.
    let mut shown: Vec<(String, Option<&NetworkInfo>)> = named
        .networks
        .iter()
        .map(|n| (n.clone(), view.networks.iter().find(|x| &x.name == n)))
        .collect();
    for n in &view.networks {
        if shown.iter().any(|(s, _)| s == &n.name) {
            continue;
        }
        let holds_named = n.containers.iter().any(|c| named.containers.contains(c));
        let default = matches!(n.name.as_str(), "bridge" | "host" | "none");
        let holds_any = n.containers.iter().any(|c| !is_helper_name(c));
        if holds_named || (!default && holds_any) {
            shown.push((n.name.clone(), Some(n)));
        }
    }
    let mut lines = Vec::new();
    let mut mapped = Vec::new();
    for (i, (name, info)) in shown.iter().enumerate() {
        let first = i == 0;
        let name = clean_line(name);
        let name_w = name
            .width()
            .min(width.saturating_sub(label_w(width) + 8) / 2)
            .max(4);
        let name = truncate(&name, name_w);
        let head = vec![
            label(t, tr(T::EngineNetworks), first, width),
            Span::styled(name.clone(), t.bold()),
        ];
        match info {
            None => {
                let mut s = head;
                s.push(Span::styled(
                    format!("  {}", tr(T::EngineNotCreated)),
                    t.dim(),
                ));
                lines.push(Line::from(s));
            }
            Some(n) if !n.containers.iter().any(|c| !is_helper_name(c)) => {
                let mut s = head;
                s.push(Span::styled(
                    format!(
                        "  {}",
                        trf(T::EngineNoContainers, &[("driver", &clean_line(&n.driver))])
                    ),
                    t.dim(),
                ));
                lines.push(Line::from(s));
            }
            Some(n) => {
                let members: Vec<&String> =
                    n.containers.iter().filter(|c| !is_helper_name(c)).collect();
                let count = members.len();
                for (j, c) in members.into_iter().enumerate() {
                    mapped.push(c.clone());
                    let connector = match (j, count) {
                        (0, 1) => " ─── ",
                        (0, _) => " ─┬─ ",
                        (j, c) if j + 1 == c => " └─ ",
                        _ => " ├─ ",
                    };
                    let mut s = if j == 0 {
                        let mut s = head.clone();
                        s.push(Span::styled(connector, t.dim()));
                        s
                    } else {
                        vec![
                            label(t, "", false, width),
                            Span::raw(" ".repeat(name.width() + 1)),
                            Span::styled(connector, t.dim()),
                        ]
                    };
                    let state = view.container(c).map(|c| c.state.as_str());
                    s.push(state_dot(t, state));
                    s.push(Span::raw(format!(" {}", clean_line(c))));
                    lines.push(Line::from(s));
                }
            }
        }
    }
    (lines, mapped)
}

fn container_lines(
    t: &Theme,
    view: &EngineView,
    named: &Named,
    mapped: &[String],
    width: usize,
) -> Vec<Line<'static>> {
    // Lesson containers first (present or not), then other running ones, minus
    // those already drawn in the network map.
    let mut rows: Vec<(String, Option<&ContainerInfo>)> = named
        .containers
        .iter()
        .map(|n| (n.clone(), view.container(n)))
        .collect();
    rows.retain(|(n, _)| !mapped.contains(n));
    // A few of the learner's other running containers, for context.
    const OTHERS: usize = 3;
    let others: Vec<&ContainerInfo> = view
        .containers
        .iter()
        .filter(|c| {
            c.state == "running"
                && !is_helper_name(&c.name)
                && !named.containers.contains(&c.name)
                && !mapped.contains(&c.name)
        })
        .collect();
    let hidden = others.len().saturating_sub(OTHERS);
    rows.extend(
        others
            .into_iter()
            .take(OTHERS)
            .map(|c| (c.name.clone(), Some(c))),
    );
    let mut lines: Vec<Line<'static>> = rows
        .iter()
        .enumerate()
        .map(|(i, (name, info))| {
            let mut s = vec![
                label(t, tr(T::EngineContainers), i == 0, width),
                state_dot(t, info.map(|c| c.state.as_str())),
                Span::raw(format!(" {} ", clean_line(name))),
            ];
            match info {
                Some(c) => s.push(Span::styled(
                    format!("{} · {}", clean_line(&c.state), clean_line(&c.image)),
                    t.dim(),
                )),
                None => s.push(Span::styled(tr(T::EngineNotCreated), t.dim())),
            }
            Line::from(s)
        })
        .collect();
    if hidden > 0 {
        lines.push(Line::from(vec![
            label(t, tr(T::EngineContainers), lines.is_empty(), width),
            Span::styled(format!("+{hidden} more running"), t.dim()),
        ]));
    }
    lines
}

pub fn render(
    f: &mut Frame,
    t: &Theme,
    area: Rect,
    view: Option<&EngineView>,
    named: &Named,
    reachable: bool,
) {
    let block = pane_block(t, format!(" {} ", tr(T::PaneEngine)), false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    let height = inner.height as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if !reachable {
        let text = if view.is_some() {
            tr(T::EnginePaneLastKnown)
        } else {
            tr(T::EnginePaneWaiting)
        };
        lines.push(Line::from(Span::styled(
            truncate(text, width),
            Style::default().fg(t.fail()).add_modifier(Modifier::BOLD),
        )));
    }
    match view {
        None if reachable => lines.push(Line::from(Span::styled(tr(T::EngineListing), t.dim()))),
        None => {}
        Some(view) => {
            let images = image_lines(t, view, named, width);
            let (networks, mapped) = network_lines(t, view, named, width);
            let containers = container_lines(t, view, named, &mapped, width);
            let empty = images.is_empty() && networks.is_empty() && containers.is_empty();
            lines.extend(images);
            lines.extend(networks);
            lines.extend(containers);
            if empty {
                lines.push(Line::from(Span::styled(
                    format!(
                        "{} images, {} containers, {} networks; none named by this lesson yet",
                        view.images.len(),
                        view.containers.len(),
                        view.networks.len()
                    ),
                    t.dim(),
                )));
            }
        }
    }
    if lines.len() > height && height > 0 {
        let more = lines.len() - height + 1;
        lines.truncate(height - 1);
        lines.push(Line::from(Span::styled(
            format!("+{more} more lines"),
            t.dim(),
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ui::testing::draw;

    pub fn sample() -> (EngineView, Named) {
        let view = EngineView {
            images: vec![
                ImageInfo {
                    names: vec!["calc-app-large:latest".into()],
                    id: format!("sha256:{}", "1".repeat(64)),
                    size: 462_000_000,
                },
                ImageInfo {
                    names: vec!["calc-app-small:latest".into()],
                    id: format!("sha256:{}", "2".repeat(64)),
                    size: 1_300_000,
                },
                ImageInfo {
                    names: vec!["busybox:1.36".into()],
                    id: format!("sha256:{}", "3".repeat(64)),
                    size: 4_000_000,
                },
            ],
            containers: vec![
                ContainerInfo {
                    name: "api".into(),
                    image: "calc-app-small".into(),
                    state: "running".into(),
                    ..Default::default()
                },
                ContainerInfo {
                    name: "db".into(),
                    image: "busybox:1.36".into(),
                    state: "running".into(),
                    ..Default::default()
                },
                ContainerInfo {
                    name: "old".into(),
                    image: "busybox:1.36".into(),
                    state: "exited".into(),
                    ..Default::default()
                },
            ],
            networks: vec![
                NetworkInfo {
                    name: "bridge".into(),
                    driver: "bridge".into(),
                    containers: vec![],
                    ..Default::default()
                },
                NetworkInfo {
                    name: "backend".into(),
                    driver: "bridge".into(),
                    containers: vec!["api".into(), "db".into()],
                    ..Default::default()
                },
                NetworkInfo {
                    name: "frontend".into(),
                    driver: "bridge".into(),
                    containers: vec![],
                    ..Default::default()
                },
            ],
        };
        let named = Named {
            images: vec![
                "calc-app-large".into(),
                "calc-app-small".into(),
                "calc-app-tiny".into(),
            ],
            containers: vec!["api".into(), "web".into()],
            networks: vec!["frontend".into(), "backend".into(), "isolated".into()],
        };
        (view, named)
    }

    #[test]
    fn only_a_few_unrelated_containers_are_listed() {
        let (mut view, named) = sample();
        for i in 0..6 {
            view.containers.push(ContainerInfo {
                name: format!("other-{i}"),
                image: "busybox:1.36".into(),
                state: "running".into(),
                ..Default::default()
            });
        }
        let s = draw(60, 20, |f| {
            render(f, &Theme::dark(), f.area(), Some(&view), &named, true)
        });
        assert!(s.contains("other-2"), "{s}");
        assert!(!s.contains("other-3"), "{s}");
        assert!(s.contains("+3 more running"), "{s}");
    }

    #[test]
    fn helper_containers_are_recognised() {
        assert!(is_helper_name("dockdojo-probe-495c85b31087"));
        assert!(is_helper_name("dockdojo-scan-1a2b"));
        assert!(!is_helper_name("dockdojo-web"));
        assert!(!is_helper_name("dockdojo-api-server"));
        assert!(!is_helper_name("web"));
    }

    #[test]
    fn helper_containers_are_not_drawn() {
        let (mut view, named) = sample();
        view.networks[1]
            .containers
            .push("dockdojo-probe-abc123".into());
        view.containers.push(ContainerInfo {
            name: "dockdojo-probe-abc123".into(),
            image: "busybox:1.36".into(),
            state: "running".into(),
            ..Default::default()
        });
        let s = draw(60, 13, |f| {
            render(f, &Theme::dark(), f.area(), Some(&view), &named, true)
        });
        assert!(!s.contains("dockdojo-probe"), "{s}");
    }

    #[test]
    fn bars_are_relative_to_the_largest() {
        assert_eq!(bar(1.0, 4), "████");
        assert_eq!(bar(0.5, 4), "██");
        assert_eq!(bar(0.001, 10), "▏");
        assert_eq!(bar(0.0, 10), "");
    }

    #[test]
    fn image_names_match_with_and_without_latest() {
        assert!(same_image("calc-app", "calc-app:latest"));
        assert!(same_image("docker.io/library/busybox:1.36", "busybox:1.36"));
        assert!(!same_image("calc-app:v2", "calc-app"));
        assert!(same_image(
            "localhost:5000/app",
            "localhost:5000/app:latest"
        ));
    }

    #[test]
    fn engine_pane_sizes() {
        let (view, named) = sample();
        for (w, h) in [(40, 8), (60, 13), (110, 17)] {
            let s = draw(w, h, |f| {
                render(f, &Theme::dark(), f.area(), Some(&view), &named, true)
            });
            assert!(s.contains("calc-app-large"), "{s}");
            insta::assert_snapshot!(format!("engine_{w}x{h}"), s);
        }
    }

    #[test]
    fn network_map_shows_containers_under_their_network() {
        let (view, named) = sample();
        let s = draw(60, 13, |f| {
            render(f, &Theme::dark(), f.area(), Some(&view), &named, true)
        });
        assert!(s.contains("backend ─┬─ ● api"), "{s}");
        assert!(s.contains("└─ ● db"), "{s}");
        assert!(s.contains("isolated  not created"), "{s}");
    }

    #[test]
    fn unreachable_engine_says_so() {
        let (view, named) = sample();
        let s = draw(60, 8, |f| {
            render(f, &Theme::dark(), f.area(), Some(&view), &named, false)
        });
        assert!(s.contains("engine unreachable"));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn names_from_the_engine_are_neutralised() {
        let (mut view, mut named) = sample();
        view.containers[0].name = "x\x1b]0;pwned\x07".into();
        named.containers = vec!["x\x1b]0;pwned\x07".into()];
        view.networks.clear();
        let s = draw(60, 10, |f| {
            render(f, &Theme::dark(), f.area(), Some(&view), &named, true)
        });
        assert!(!s.contains('\x1b') && !s.contains('\x07'));
        assert!(s.contains("x^[]0;pwned^G"), "{s}");
    }
}
