//! The network map view (F4): the picture of [`crate::map`], coloured, in
//! the lesson's column while the console stays usable beside it. It is drawn
//! from the engine pane's inventory, which the live feed re-lists after
//! every burst of engine events, so it follows the engine without a key.

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use super::{pane_block, Theme};
use crate::map::text::{self, Charset, Options, Tone};
use crate::map::NetworkMap;

/// What the map view shows.
pub struct MapView {
    /// `None` until the engine has been listed once.
    pub map: Option<NetworkMap>,
    /// Everything, not only the lesson's objects.
    pub all: bool,
    pub scroll: usize,
    pub focused: bool,
}

fn style(t: &Theme, tone: Tone) -> Style {
    match tone {
        Tone::Plain => Style::default(),
        Tone::Dim | Tone::Border => t.dim(),
        Tone::Name => t.bold(),
        Tone::Network => Style::default().fg(t.accent()).add_modifier(Modifier::BOLD),
        Tone::Pass => Style::default().fg(t.pass()),
        Tone::Fail => Style::default().fg(t.fail()).add_modifier(Modifier::BOLD),
        Tone::Warn => Style::default().fg(t.warn()),
    }
}

/// The map as styled lines `width` columns wide.
pub fn lines(t: &Theme, map: &NetworkMap, width: usize) -> Vec<Line<'static>> {
    text::lines(
        map,
        &Options {
            width,
            charset: Charset::Unicode,
            show_all: "a shows all",
        },
    )
    .into_iter()
    .map(|l| {
        Line::from(
            l.into_iter()
                .map(|s| Span::styled(s.text, style(t, s.tone)))
                .collect::<Vec<_>>(),
        )
    })
    .collect()
}

/// The first line to show: `scroll`, kept where the last screenful still fills the pane.
pub fn clamp_scroll(scroll: usize, total: usize, height: usize) -> usize {
    scroll.min(total.saturating_sub(height))
}

/// A picture's bottom border: how many lines are below, and its keys, as
/// much as fits in `width` columns.
pub fn bottom_title(below: usize, keys: &str, width: usize) -> String {
    let more = format!(" {below} more ↓ ");
    let both = format!(" {below} more ↓ ·{keys}");
    let fits = |s: &str| s.width() + 2 <= width;
    if below == 0 {
        if fits(keys) {
            keys.to_string()
        } else {
            String::new()
        }
    } else if fits(&both) {
        both
    } else if fits(&more) {
        more
    } else {
        String::new()
    }
}

pub fn render(f: &mut Frame, t: &Theme, area: Rect, v: &MapView) {
    let what = super::text::tr(if v.all {
        super::text::T::MapEverything
    } else {
        super::text::T::MapThisLesson
    });
    let keys = if v.focused {
        format!(" {} ", super::text::tr(super::text::T::MapKeysFocused))
    } else {
        format!(" {} ", super::text::tr(super::text::T::MapKeys))
    };
    let mut block = pane_block(
        t,
        format!(
            " {} ",
            super::text::trf(super::text::T::PaneMap, &[("what", what)])
        ),
        v.focused,
    );
    let inner = block.inner(area);
    let width = inner.width as usize;
    let height = inner.height as usize;
    let all = match &v.map {
        Some(m) => lines(t, m, width),
        None => vec![Line::from(Span::styled(
            super::text::tr(super::text::T::MapListing),
            t.dim(),
        ))],
    };
    let scroll = clamp_scroll(v.scroll, all.len(), height);
    let below = all.len().saturating_sub(scroll + height);
    let bottom = super::map::bottom_title(below, &keys, inner.width as usize);
    block = block.title_bottom(Line::from(Span::styled(bottom, t.dim())).right_aligned());
    f.render_widget(block, area);
    let shown: Vec<Line<'static>> = all.into_iter().skip(scroll).take(height).collect();
    f.render_widget(Paragraph::new(shown), inner);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::tests::{edges, inventory, lesson_scope};
    use crate::map::Scope;
    use crate::ui::testing::draw;

    fn view(all: bool) -> MapView {
        let scope = if all {
            Scope::Everything
        } else {
            lesson_scope()
        };
        MapView {
            map: Some(NetworkMap::build(&inventory(), &scope, &edges())),
            all,
            scroll: 0,
            focused: true,
        }
    }

    /// The map pane as the layout gives it at 80x24 (the compact form) and
    /// 200x50 (boxes), for the lesson's objects and for everything.
    #[test]
    fn map_view_at_80x24_and_200x50() {
        for (w, h) in [(80u16, 24u16), (200, 50)] {
            let area = crate::ui::layout(Rect::new(0, 0, w, h), 1).expect("layout");
            let pane = area.picture();
            for all in [false, true] {
                let s = draw(pane.width, pane.height, |f| {
                    render(f, &Theme::dark(), f.area(), &view(all))
                });
                assert!(s.contains("finance"), "{s}");
                let scope = if all { "all" } else { "lesson" };
                insta::assert_snapshot!(format!("map_view_{scope}_{w}x{h}"), s);
            }
        }
    }

    #[test]
    fn a_long_map_scrolls_and_says_how_much_is_below() {
        let mut v = view(true);
        let s = draw(40, 12, |f| render(f, &Theme::dark(), f.area(), &v));
        assert!(s.contains("more ↓"), "{s}");
        v.scroll = 1000;
        let s = draw(40, 12, |f| render(f, &Theme::dark(), f.area(), &v));
        assert!(!s.contains("more ↓"), "{s}");
        assert!(s.contains("reach"), "the last screenful: {s}");
    }

    #[test]
    fn before_the_first_listing_it_says_so() {
        let v = MapView {
            map: None,
            all: false,
            scroll: 0,
            focused: false,
        };
        let s = draw(40, 6, |f| render(f, &Theme::dark(), f.area(), &v));
        assert!(s.contains("listing the engine"), "{s}");
        assert!(s.contains("F4 close"), "{s}");
    }
}
