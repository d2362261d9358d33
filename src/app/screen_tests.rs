//! The whole screen at the sizes people use, from an app state.
use crate::app::tests::app;
use crate::app::{App, Overlay};
use crate::event::{EngineUpdate, Msg};
use crate::theme::{contrast, Rgb, Theme};
use crate::ui::checks::tests::{failing_result, passing_result, specs};
use crate::ui::testing::{buffer, colours, draw};

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (200, 50)];

fn screen(rows: u16, cols: u16) -> vt100::Parser {
    let mut p = vt100::Parser::new(rows, cols, 100);
    p.process(b"learner@box:~/dockdojo/02-multi-stage$ docker build -t calc-app-small .\r\n[+] Building 2.3s (9/9) FINISHED\r\n => => naming to docker.io/library/calc-app-small\r\nlearner@box:~/dockdojo/02-multi-stage$ ");
    p
}

fn with_engine(mut a: App) -> App {
    let (view, _) = crate::ui::engine::tests::sample();
    a.update(Msg::Engine(EngineUpdate::Connected {
        endpoint: "unix:///var/run/docker.sock".into(),
        version: "20.10.24".into(),
        platform: None,
    }));
    a.update(Msg::Engine(EngineUpdate::Inventory(view)));
    a
}

fn failing_app(w: u16, h: u16) -> App {
    let mut a = with_engine(app());
    let mut p = (*a.pack).clone();
    p.lessons[0].checks = specs();
    a.pack = std::sync::Arc::new(p);
    a.update(Msg::Term(crossterm::event::Event::Resize(w, h)));
    a.update(Msg::ChecksDone {
        generation: a.generation,
        result: failing_result(),
    });
    a
}

fn render(a: &App) -> String {
    let inner = a.areas().map(|x| x.console_inner());
    let p = inner.map(|i| screen(i.height, i.width));
    draw(a.size.0, a.size.1, |f| {
        crate::ui::draw(f, &a.view(), p.as_ref().map(|p| p.screen()))
    })
}

#[test]
fn failing_checks_screen() {
    for (w, h) in SIZES {
        let a = failing_app(w, h);
        let s = render(&a);
        assert!(s.contains("✘ calc-app-small is under 20 MB"), "{s}");
        assert!(s.contains("engine: ok"), "{s}");
        assert!(s.contains("Console: ~/dockdojo/01-first"), "{s}");
        insta::assert_snapshot!(format!("screen_failing_{w}x{h}"), s);
    }
}

#[test]
fn all_passed_screen() {
    for (w, h) in SIZES {
        let mut a = failing_app(w, h);
        a.update(Msg::ChecksDone {
            generation: a.generation,
            result: passing_result(),
        });
        let s = render(&a);
        assert!(s.contains("All checks pass — lesson complete!"), "{s}");
        insta::assert_snapshot!(format!("screen_passed_{w}x{h}"), s);
    }
}

#[test]
fn unreachable_engine_screen() {
    for (w, h) in SIZES {
        let mut a = failing_app(w, h);
        a.update(Msg::Engine(EngineUpdate::Unreachable {
            endpoint: "unix:///var/run/docker.sock".into(),
            reason: "Connection refused (os error 111)".into(),
            advice: "Start Docker (sudo systemctl start docker, or open Docker Desktop) or set DOCKER_HOST; dockdojo reconnects by itself.".into(),
        }));
        let s = render(&a);
        assert!(
            s.contains("engine unreachable: unix:///var/run/docker.sock: Connection refused"),
            "{s}"
        );
        insta::assert_snapshot!(format!("screen_unreachable_{w}x{h}"), s);
    }
}

#[test]
fn help_and_lesson_list_screens() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut a = failing_app(w, h);
        a.overlay = Overlay::Help;
        let s = render(&a);
        assert!(s.contains("Ctrl-Q"), "{s}");
        insta::assert_snapshot!(format!("screen_help_{w}x{h}"), s);
        a.overlay = Overlay::Lessons { selected: 1 };
        let s = render(&a);
        assert!(s.contains("02-second"), "{s}");
        insta::assert_snapshot!(format!("screen_lessons_{w}x{h}"), s);
    }
}

#[test]
fn too_small_screen() {
    let a = failing_app(50, 14);
    let s = render(&a);
    assert!(s.contains("make the window larger"), "{s}");
    assert!(s.contains("have 50x14"), "{s}");
}

#[test]
fn network_map_and_image_anatomy_screens() {
    for (w, h) in [(80, 24), (200, 50)] {
        let mut a = failing_app(w, h);
        a.update(Msg::Engine(EngineUpdate::Inventory(
            crate::map::tests::inventory(),
        )));
        if let crate::map::Scope::Lesson {
            networks,
            containers,
        } = crate::map::tests::lesson_scope()
        {
            a.named.networks = networks;
            a.named.containers = containers;
        }
        a.update(Msg::Term(crossterm::event::Event::Key(
            crossterm::event::KeyEvent::from(crossterm::event::KeyCode::F(4)),
        )));
        let s = render(&a);
        assert!(s.contains("Network map"), "{s}");
        assert!(s.contains("secure-network"), "{s}");
        insta::assert_snapshot!(format!("screen_map_{w}x{h}"), s);
        a.picture = Some(crate::app::Picture::Anatomy {
            first: 0,
            scroll: 0,
        });
        a.anatomy = Some(crate::ui::anatomy::tests::facts());
        a.named.images = a.anatomy.iter().flatten().map(|(n, _)| n.clone()).collect();
        let s = render(&a);
        assert!(s.contains("Image anatomy"), "{s}");
        insta::assert_snapshot!(format!("screen_anatomy_{w}x{h}"), s);
    }
}

#[test]
fn a_german_screen() {
    // The language for this test's thread only: other tests keep English.
    crate::ui::text::with_lang("de", || {
        let a = failing_app(120, 40);
        let s = render(&a);
        for want in [
            "Lektion: ",
            "Prüfungen 1/4",
            "Konsole: ~/dockdojo/01-first",
            "Engine: ok",
            "erwartet:",
            "gefunden:",
            "probier:",
            "F1 Hilfe",
            "F5 prüfen",
            "Netzwerke",
            "nicht angelegt",
        ] {
            assert!(s.contains(want), "{want} missing:\n{s}");
        }
        assert!(!s.contains("Checks"), "{s}");
        let mut a = a;
        a.overlay = Overlay::Help;
        let s = render(&a);
        assert!(s.contains("Hilfe") && s.contains("nächster Tipp"), "{s}");
    });
    // And English again on this thread.
    let s = render(&failing_app(120, 40));
    assert!(s.contains("Checks 1/4") && s.contains("engine: ok"), "{s}");
}

/// A lesson with every kind of styled text, for the palette snapshots.
const STYLED_LESSON: &str = "# Multi-stage builds\n\nA *small* image has **less** to attack: see [the docs](https://docs.docker.com/build/) and `docker image ls`.\n\n## Build stage\n\n```dockerfile\n# build, then copy\nFROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM scratch\nCOPY --from=build /out/app /app\n```\n\n### Check\n\n- [x] built\n- [ ] smaller\n\n> [!TIP]\n> Name the stage.\n\n> [!WARNING]\n> Keep secrets out of layers.\n\n```console\n$ docker images calc-app-small\nREPOSITORY   TAG\n```\n";

fn palette_app(theme: Theme) -> App {
    // Code is coloured only once the grammars are loaded: load them first
    // so the snapshot does not depend on which test ran before.
    crate::markdown::warm_up();
    let mut a = failing_app(120, 40);
    let mut p = (*a.pack).clone();
    p.lessons[0].body = STYLED_LESSON.into();
    a.pack = std::sync::Arc::new(p);
    a.set_theme(theme);
    a
}

fn render_buffer(a: &App) -> ratatui::buffer::Buffer {
    let inner = a.areas().map(|x| x.console_inner());
    let p = inner.map(|i| screen(i.height, i.width));
    buffer(a.size.0, a.size.1, |f| {
        crate::ui::draw(f, &a.view(), p.as_ref().map(|p| p.screen()))
    })
}

fn text_of(b: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in b.area.top()..b.area.bottom() {
        let mut line = String::new();
        for x in b.area.left()..b.area.right() {
            line.push_str(b[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Every cell we colour reaches its contrast on the palette's backgrounds
/// (or on the background it brings): 4.5:1 for text, 3:1 for lines.
fn assert_readable(b: &ratatui::buffer::Buffer, theme: &Theme) {
    use ratatui::style::Color;
    let rgb = |c: Color| match c {
        Color::Rgb(r, g, b) => Some(Rgb(r, g, b)),
        // Ours come from the cube and the grey ramp; the 16 system colours
        // (each terminal picks them) are the console's.
        Color::Indexed(i) => crate::theme::xterm256_rgb(i),
        _ => None,
    };
    let mut bad = Vec::new();
    for y in b.area.top()..b.area.bottom() {
        for x in b.area.left()..b.area.right() {
            let cell = &b[(x, y)];
            let sym = cell.symbol();
            if sym.trim().is_empty() {
                continue;
            }
            // The console shows the learner's shell with its own colours.
            let Some(fg) = rgb(cell.fg) else { continue };
            let line = sym.chars().all(|c| ('\u{2500}'..='\u{259f}').contains(&c));
            let need = if line { 3.0 } else { 4.5 };
            let bgs: Vec<Rgb> = match rgb(cell.bg) {
                Some(bg) => vec![bg],
                None => theme.palette.backgrounds.to_vec(),
            };
            let fg = match (cell.fg, theme.mode) {
                (Color::Rgb(..), crate::theme::ColorMode::Palette256) => {
                    bad.push(format!("{y}:{x} {sym:?} is 24-bit in 256-colour mode"));
                    continue;
                }
                _ => fg,
            };
            for bg in bgs {
                let r = contrast(fg, bg);
                if r < need {
                    bad.push(format!(
                        "{y}:{x} {sym:?} {} on {}: {r:.2}",
                        fg.hex(),
                        bg.hex()
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{:?}: {bad:#?}", theme.kind());
}

#[test]
fn failing_checks_screen_in_both_palettes() {
    let mut seen = Vec::new();
    for theme in [Theme::dark(), Theme::light()] {
        let a = palette_app(theme);
        let b = render_buffer(&a);
        let text = text_of(&b);
        assert!(text.contains("FROM golang:1.22 AS build"), "{text}");
        assert!(text.contains("✘ calc-app-small is under 20 MB"), "{text}");
        assert_readable(&b, &theme);
        let legend = colours(&b);
        assert!(legend.contains(&theme.palette.accent.hex()), "{legend}");
        assert!(legend.contains(&theme.palette.fail.hex()), "{legend}");
        seen.push(legend.clone());
        insta::assert_snapshot!(
            format!("screen_failing_120x40_{}", theme.kind().name()),
            format!("{text}\n--- colours: row col-col fg bg +modifiers text ---\n{legend}")
        );
    }
    assert_ne!(seen[0], seen[1], "the palettes draw differently");
}

#[test]
fn the_256_colour_palettes_are_readable_too() {
    use crate::theme::{ColorMode, Kind};
    for kind in [Kind::Dark, Kind::Light] {
        let theme = Theme::new(kind, ColorMode::Palette256);
        let b = render_buffer(&palette_app(theme));
        assert_readable(&b, &theme);
    }
}

#[test]
fn both_palettes_draw_the_same_text() {
    let dark = text_of(&render_buffer(&palette_app(Theme::dark())));
    let light = text_of(&render_buffer(&palette_app(Theme::light())));
    assert_eq!(dark, light);
}
