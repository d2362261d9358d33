//! The checks pane: each check with ✔ ✘ ! … or -, and for failing ones what
//! was expected, what was found and what to try.

use super::text::{tr, trf, T};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::{pane_block, wrap, Theme};
use crate::check::{LessonResult, Status};
use crate::lesson::CheckSpec;
use crate::sanitize::clean_line;

/// What the checks pane shows.
pub struct ChecksView<'a> {
    pub specs: &'a [CheckSpec],
    /// The latest finished run, if any.
    pub result: Option<&'a LessonResult>,
    /// A run is scheduled or in flight.
    pub checking: bool,
}

impl ChecksView<'_> {
    pub fn all_passed(&self) -> bool {
        !self.checking
            && self
                .result
                .is_some_and(|r| r.passed && !r.checks.is_empty())
    }
}

fn icon(t: &Theme, status: Option<Status>, checking: bool) -> Span<'static> {
    if checking {
        return Span::styled("…", Style::default().fg(t.warn()));
    }
    match status {
        Some(Status::Pass) => Span::styled("✔", Style::default().fg(t.pass())),
        Some(Status::Fail) => Span::styled(
            "✘",
            Style::default().fg(t.fail()).add_modifier(Modifier::BOLD),
        ),
        Some(Status::Error) => Span::styled(
            "!",
            Style::default().fg(t.warn()).add_modifier(Modifier::BOLD),
        ),
        Some(Status::Skipped) => Span::styled("-", t.dim()),
        Some(Status::Unsupported) => Span::styled("~", t.dim()),
        None => Span::styled("·", t.dim()),
    }
}

/// One check drawn three ways: its title wrapped, its title on one line, and the
/// details of a failing (or unevaluable) one.
struct Drawn {
    wrapped: Vec<Line<'static>>,
    single: Line<'static>,
    details: Vec<Line<'static>>,
}

fn draw_check(
    t: &Theme,
    spec: &CheckSpec,
    result: Option<&crate::check::CheckResult>,
    checking: bool,
    width: usize,
) -> Drawn {
    let status = result.map(|r| r.status);
    let title = clean_line(&spec.title);
    let title_style = match status {
        Some(Status::Skipped | Status::Unsupported) => t.dim(),
        Some(Status::Fail) if !checking => t.bold(),
        _ => Style::default(),
    };
    let title_w = width.saturating_sub(2).max(1);
    let mut wrapped = Vec::new();
    for (i, l) in wrap(&title, title_w).into_iter().enumerate() {
        let lead = if i == 0 {
            icon(t, status, checking)
        } else {
            Span::raw(" ")
        };
        wrapped.push(Line::from(vec![
            lead,
            Span::raw(" "),
            Span::styled(l, title_style),
        ]));
    }
    let single = Line::from(vec![
        icon(t, status, checking),
        Span::raw(" "),
        Span::styled(super::truncate(&title, title_w), title_style),
    ]);
    let mut details = Vec::new();
    let detail_w = width.saturating_sub(4).max(1);
    let mut detail = |label: &str, text: &str, style: Style| {
        let text = clean_line(text);
        if text.trim().is_empty() {
            return;
        }
        let label_text = format!("{label}: ");
        for (i, l) in wrap(&format!("{label_text}{text}"), detail_w)
            .into_iter()
            .enumerate()
        {
            if i == 0 && l.starts_with(&label_text) {
                details.push(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(label_text.clone(), t.dim()),
                    Span::styled(l[label_text.len()..].to_string(), style),
                ]));
            } else {
                details.push(Line::from(vec![Span::raw("    "), Span::styled(l, style)]));
            }
        }
    };
    if let Some(r) = result {
        match r.status {
            Status::Fail => {
                if r.expected.is_empty() && r.actual.is_empty() {
                    detail(tr(T::CheckWhy), &r.message, Style::default());
                } else {
                    detail(
                        tr(T::CheckExpected),
                        &r.expected,
                        Style::default().fg(t.pass()),
                    );
                    detail(tr(T::CheckFound), &r.actual, Style::default().fg(t.fail()));
                }
                if let Some(h) = r.hint.as_deref().or(spec.hint.as_deref()) {
                    detail(tr(T::CheckTry), h, Style::default().fg(t.warn()));
                }
            }
            Status::Error => detail(
                tr(T::CheckCouldNot),
                &r.message,
                Style::default().fg(t.warn()),
            ),
            Status::Unsupported => detail(tr(T::CheckNotHere), &r.message, t.dim()),
            Status::Skipped | Status::Pass => {}
        }
    }
    Drawn {
        wrapped,
        single,
        details,
    }
}

/// Every check drawn; a reason that cannot evaluate several checks (the engine
/// is unreachable) is spelled out once, not under each of them.
fn draw_all(t: &Theme, view: &ChecksView, width: usize) -> Vec<Drawn> {
    let mut seen: Vec<&str> = Vec::new();
    view.specs
        .iter()
        .map(|spec| {
            let r = view
                .result
                .and_then(|r| r.checks.iter().find(|c| c.id == spec.id));
            let mut d = draw_check(t, spec, r, view.checking, width);
            if let Some(r) = r.filter(|r| r.status == Status::Error) {
                if seen.contains(&r.message.as_str()) {
                    d.details = vec![Line::from(Span::styled(
                        format!("    {}", tr(T::CheckSameReason)),
                        t.dim(),
                    ))];
                } else {
                    seen.push(&r.message);
                }
            }
            d
        })
        .collect()
}

/// Rows the pane's content takes with every detail shown (without the border).
pub fn content_height(view: &ChecksView, width: usize) -> usize {
    let banner = if view.all_passed() { 2 } else { 0 };
    // Colours do not change the height.
    let body: usize = draw_all(&Theme::default(), view, width)
        .iter()
        .map(|d| d.wrapped.len() + d.details.len())
        .sum();
    banner + body.max(1)
}

pub fn render(f: &mut Frame, t: &Theme, area: Rect, view: &ChecksView) {
    let passed = view
        .result
        .map(|r| r.checks.iter().filter(|c| c.status == Status::Pass).count())
        .unwrap_or(0);
    let title = if view.checking {
        format!(" {} ", tr(T::PaneChecksRunning))
    } else if view.result.is_some() {
        format!(
            " {} ",
            trf(
                T::PaneChecksCount,
                &[
                    ("passed", &passed.to_string()),
                    ("total", &view.specs.len().to_string())
                ]
            )
        )
    } else {
        format!(" {} ", tr(T::PaneChecks))
    };
    let block = pane_block(t, title, false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width as usize;
    let height = inner.height as usize;

    let mut lines: Vec<Line<'static>> = Vec::new();
    if view.all_passed() {
        lines.push(Line::from(Span::styled(
            super::truncate(tr(T::ChecksAllPass), width),
            Style::default().fg(t.pass()).add_modifier(Modifier::BOLD),
        )));
        lines.push(Line::from(Span::styled(
            super::truncate(&format!("  {}", tr(T::ChecksAllPassKeys)), width),
            Style::default().fg(t.pass()),
        )));
    }
    if view.specs.is_empty() {
        lines.push(Line::from(Span::styled(tr(T::ChecksNone), t.dim())));
    }
    let drawn = draw_all(t, view, width);
    let rows = height.saturating_sub(lines.len());
    let full: usize = drawn
        .iter()
        .map(|d| d.wrapped.len() + d.details.len())
        .sum();
    if full <= rows {
        for d in drawn {
            lines.extend(d.wrapped);
            lines.extend(d.details);
        }
    } else if drawn.len() <= rows {
        // Every check on one line; the rows left go to the details of the
        // failing ones, first failing first.
        let mut budget = rows - drawn.len();
        for d in drawn {
            lines.push(d.single);
            let take = d.details.len().min(budget);
            budget -= take;
            lines.extend(d.details.into_iter().take(take));
        }
    } else {
        let shown = rows.saturating_sub(1);
        let more = drawn.len() - shown;
        lines.extend(drawn.into_iter().take(shown).map(|d| d.single));
        lines.push(Line::from(Span::styled(
            trf(T::ChecksMore, &[("n", &more.to_string())]),
            t.dim(),
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::check::CheckResult;
    use crate::lesson::CheckKind;
    use crate::ui::testing::draw;

    pub fn specs() -> Vec<CheckSpec> {
        let spec = |id: &str, title: &str, hint: Option<&str>| CheckSpec {
            id: id.into(),
            title: title.into(),
            why: None,
            hint: hint.map(Into::into),
            needs: vec![],
            requires: vec![],
            kind: CheckKind::ImageExists {
                image: "calc-app-small".into(),
            },
        };
        vec![
            spec("large", "calc-app-large exists", None),
            spec(
                "small",
                "calc-app-small is under 20 MB",
                Some("Copy only the binary into a small final stage: COPY --from=build /out/calc /calc"),
            ),
            spec("stages", "The Dockerfile has two stages", None),
            spec("runs", "calc-app-small runs and prints 42", None),
        ]
    }

    pub fn failing_result() -> LessonResult {
        let r =
            |id: &str, status: Status, expected: &str, actual: &str, message: &str| CheckResult {
                id: id.into(),
                title: String::new(),
                status,
                expected: expected.into(),
                actual: actual.into(),
                message: message.into(),
                hint: None,
                why: None,
                duration_ms: 3,
            };
        LessonResult {
            lesson: "multi-stage".into(),
            passed: false,
            checks: vec![
                r("large", Status::Pass, "", "", ""),
                r("small", Status::Fail, "at most 20 MB", "462 MB", "too big"),
                r(
                    "stages",
                    Status::Error,
                    "",
                    "",
                    "cannot read Dockerfile: permission denied",
                ),
                r("runs", Status::Skipped, "", "", "needs: small"),
            ],
        }
    }

    pub fn passing_result() -> LessonResult {
        let mut r = failing_result();
        for c in &mut r.checks {
            c.status = Status::Pass;
        }
        r.passed = true;
        r
    }

    #[test]
    fn failing_checks_show_expected_found_and_hint() {
        let specs = specs();
        let result = failing_result();
        for (w, h) in [(40, 9), (60, 14), (100, 17)] {
            let s = draw(w, h, |f| {
                render(
                    f,
                    &Theme::dark(),
                    f.area(),
                    &ChecksView {
                        specs: &specs,
                        result: Some(&result),
                        checking: false,
                    },
                )
            });
            assert!(s.contains("✘ calc-app-small"), "{s}");
            assert!(s.contains("expected:"), "{s}");
            insta::assert_snapshot!(format!("failing_{w}x{h}"), s);
        }
    }

    #[test]
    fn all_passed_shows_the_banner() {
        let specs = specs();
        let result = passing_result();
        let s = draw(60, 9, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &ChecksView {
                    specs: &specs,
                    result: Some(&result),
                    checking: false,
                },
            )
        });
        assert!(s.contains("All checks pass"));
        assert!(s.contains("F7 next lesson"));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn checking_marks_every_check() {
        let specs = specs();
        let result = failing_result();
        let s = draw(60, 9, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &ChecksView {
                    specs: &specs,
                    result: Some(&result),
                    checking: true,
                },
            )
        });
        assert_eq!(s.matches('…').count(), 5, "{s}");
        assert!(!s.contains('✘'));
        insta::assert_snapshot!(s);
    }

    #[test]
    fn escape_sequences_in_titles_are_neutralised() {
        let mut specs = specs();
        specs[0].title = "evil\x1b[2Jtitle".into();
        let s = draw(60, 9, |f| {
            render(
                f,
                &Theme::dark(),
                f.area(),
                &ChecksView {
                    specs: &specs,
                    result: None,
                    checking: false,
                },
            )
        });
        assert!(s.contains("evil^[[2Jtitle"));
        assert!(!s.contains('\x1b'));
    }
}
