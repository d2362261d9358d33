//! Pure `update` tests: a message in, a state change and commands out.

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::*;
use crate::check::{CheckResult, Status};
use crate::engine::events::EventKind;
use crate::event::EngineChange;
use crate::lesson::{CheckKind, CheckSpec, Creates, Manifest, PackFile, PackSource};

pub fn lesson(id: &str, n: usize) -> Lesson {
    Lesson {
        id: id.into(),
        dir_name: format!("{n:02}-{id}"),
        title: format!("Lesson {id}"),
        summary: String::new(),
        images: vec![],
        requires: vec![],
        creates: Creates {
            images: vec!["calc-app-small".into()],
            containers: vec!["web".into()],
            networks: vec!["secure-network".into()],
            volumes: vec![],
        },
        hints: vec!["first nudge".into(), "second, closer".into()],
        checks: vec![
            CheckSpec {
                id: "small".into(),
                title: "calc-app-small is under 20 MB".into(),
                why: None,
                hint: Some("use a second stage".into()),
                needs: vec![],
                requires: vec![],
                kind: CheckKind::ImageSize {
                    image: "calc-app-small".into(),
                    max: Some(20_000_000),
                    min: None,
                },
            },
            CheckSpec {
                id: "net".into(),
                title: "secure-network exists".into(),
                why: None,
                hint: None,
                needs: vec![],
                requires: vec![],
                kind: CheckKind::NetworkExists {
                    network: "secure-network".into(),
                    driver: None,
                    scope: None,
                    internal: None,
                    attachable: None,
                    subnet: None,
                    gateway: None,
                    options: Default::default(),
                },
            },
        ],
        body: "# Title\n\nBuild it:\n\n```bash\ndocker build -t calc-app-small .\n```\n\nThen:\n\n```bash\ndocker image ls\n```\n".into(),
        body_line: 5,
        starter: vec![],
        solution: vec![PackFile {
            rel_path: "Dockerfile".into(),
            contents: b"FROM scratch\n".to_vec(),
            executable: false,
        }],
    }
}

pub fn pack() -> Arc<Pack> {
    Arc::new(Pack {
        source: PackSource::BuiltIn,
        manifest: Manifest {
            format_version: 1,
            title: "Test pack".into(),
            probe_image: "busybox:1.36".into(),
            lang: "en".into(),
        },
        lessons: vec![lesson("first", 1), lesson("second", 2), lesson("third", 3)],
        translation: Default::default(),
    })
}

/// An app whose engine feed has answered (checks run at once).
pub fn app() -> App {
    let mut a = App::new(
        pack(),
        0,
        Progress::default(),
        (120, 40),
        Theme::default(),
        |l| format!("~/dockdojo/{}", l.dir_name),
    );
    a.engine_status = EngineStatus::Ok {
        version: "20.10".into(),
    };
    a
}

fn key(code: KeyCode) -> Msg {
    Msg::Term(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(c: char) -> Msg {
    Msg::Term(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn change(kind: &str, action: &str, name: &str) -> Msg {
    Msg::Engine(EngineUpdate::Change(EngineChange {
        kind: EventKind::from_name(kind).expect("a kind the feed carries"),
        action: action.into(),
        names: vec![name.into(), "sha256:0123".into()],
        helper: false,
    }))
}

fn result(passed: bool) -> LessonResult {
    let c = |id: &str, status| CheckResult {
        id: id.into(),
        title: String::new(),
        status,
        expected: "at most 20 MB".into(),
        actual: "462 MB".into(),
        message: String::new(),
        hint: None,
        why: None,
        duration_ms: 1,
    };
    LessonResult {
        lesson: "first".into(),
        passed,
        checks: vec![
            c("small", if passed { Status::Pass } else { Status::Fail }),
            c("net", Status::Pass),
        ],
    }
}

#[test]
fn console_has_focus_when_a_lesson_opens_and_f2_toggles() {
    let mut a = app();
    assert_eq!(a.focus, Focus::Console);
    a.update(key(KeyCode::F(2)));
    assert_eq!(a.focus, Focus::Lesson);
    a.update(key(KeyCode::F(2)));
    assert_eq!(a.focus, Focus::Console);
}

#[test]
fn ctrl_q_quits_from_anywhere() {
    for setup in [
        |_: &mut App| {},
        |a: &mut App| a.focus = Focus::Lesson,
        |a: &mut App| a.overlay = Overlay::Help,
    ] {
        let mut a = app();
        setup(&mut a);
        let cmds = a.update(ctrl('q'));
        assert!(a.quit);
        assert_eq!(cmds, vec![Cmd::Quit]);
    }
}

#[test]
fn q_quits_only_in_lesson_focus() {
    let mut a = app();
    let cmds = a.update(key(KeyCode::Char('q')));
    assert!(!a.quit);
    assert!(matches!(cmds.as_slice(), [Cmd::ConsoleKey(_)]));
    a.focus = Focus::Lesson;
    a.update(key(KeyCode::Char('q')));
    assert!(a.quit);
}

#[test]
fn unreserved_keys_go_to_the_console() {
    let mut a = app();
    for code in [
        KeyCode::Char('x'),
        KeyCode::Enter,
        KeyCode::F(10),
        KeyCode::F(12),
        KeyCode::Tab,
    ] {
        let cmds = a.update(key(code));
        assert_eq!(
            cmds,
            vec![Cmd::ConsoleKey(KeyEvent::new(code, KeyModifiers::NONE))]
        );
    }
    // F5 is reserved: it checks instead.
    let cmds = a.update(key(KeyCode::F(5)));
    assert!(!cmds.iter().any(|c| matches!(c, Cmd::ConsoleKey(_))));
}

#[test]
fn f6_advances_hints_and_records_them() {
    let mut a = app();
    let cmds = a.update(key(KeyCode::F(6)));
    assert_eq!(a.hints_shown, 1);
    assert!(a.hint_visible);
    assert_eq!(
        a.hint_box().map(|h| h.text.to_string()),
        Some("first nudge".into())
    );
    assert_eq!(
        cmds,
        vec![Cmd::SaveHints {
            lesson: "first".into(),
            shown: 1
        }]
    );
    a.update(key(KeyCode::F(6)));
    assert_eq!(a.hints_shown, 2);
    // After the last hint: the solution, with a confirmation.
    a.update(key(KeyCode::F(6)));
    assert_eq!(a.overlay, Overlay::ConfirmSolution);
    a.update(key(KeyCode::Char('y')));
    assert_eq!(a.overlay, Overlay::Solution { scroll: 0 });
}

#[test]
fn solution_is_refused_before_hints_or_passing() {
    let mut a = app();
    a.update(key(KeyCode::F(8)));
    assert_eq!(a.overlay, Overlay::None);
    assert!(a
        .flash
        .as_deref()
        .is_some_and(|f| f.contains("after the last hint")));
    // After passing it opens at once.
    a.update(Msg::ChecksDone {
        generation: a.generation,
        result: result(true),
    });
    a.update(key(KeyCode::F(8)));
    assert_eq!(a.overlay, Overlay::Solution { scroll: 0 });
}

#[test]
fn engine_event_concerning_the_lesson_runs_the_checks() {
    let mut a = app();
    a.checking = false;
    let cmds = a.update(change("image", "tag", "calc-app-small:latest"));
    assert_eq!(cmds, vec![Cmd::RunChecks]);
    assert!(a.checking, "the pane shows … at once");
    // A change while that run is in flight queues exactly one more.
    let cmds = a.update(change("network", "create", "secure-network"));
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(a.checks_queued());
    for (kind, action, name) in [
        ("network", "create", "secure-network"),
        ("network", "connect", "bridge"),
        ("container", "start", "web"),
        ("container", "die", "web"),
        ("image", "delete", "sha256:abc"),
        ("image", "untag", "sha256:abc"),
    ] {
        a.check_running = false;
        let cmds = a.update(change(kind, action, name));
        assert_eq!(cmds, vec![Cmd::RunChecks], "{kind} {action} {name}");
    }
}

#[test]
fn unrelated_engine_event_does_not() {
    let mut a = app();
    a.checking = false;
    a.dirty = false;
    for (kind, action, name) in [
        ("image", "tag", "someone-elses-app:latest"),
        ("container", "start", "unrelated"),
        ("container", "exec_start: sh", "web"),
        ("network", "create", "other-net-of-the-learner"),
        ("volume", "create", "data"),
        ("container", "attach", "web"),
    ] {
        let cmds = a.update(change(kind, action, name));
        assert!(cmds.is_empty(), "{kind} {action} {name}: {cmds:?}");
    }
    assert!(!a.checking);
    assert!(!a.dirty, "nothing to redraw");
}

#[test]
fn file_changes_run_checks() {
    let mut a = app();
    let cmds = a.update(Msg::FilesChanged);
    assert_eq!(cmds, vec![Cmd::RunChecks]);
}

#[test]
fn a_run_in_flight_gets_one_follow_up() {
    let mut a = app();
    // App::new leaves checks to the loop; the first run is in flight.
    a.check_running = true;
    let g = a.generation;
    let cmds = a.update(Msg::FilesChanged);
    assert!(cmds.is_empty(), "no second concurrent run: {cmds:?}");
    let cmds = a.update(key(KeyCode::F(5)));
    assert!(cmds.is_empty());
    let cmds = a.update(Msg::ChecksDone {
        generation: g,
        result: result(false),
    });
    assert!(
        cmds.contains(&Cmd::RunChecks),
        "one follow-up run: {cmds:?}"
    );
    assert!(a.checking);
    let cmds = a.update(Msg::ChecksDone {
        generation: g,
        result: result(false),
    });
    assert!(!cmds.contains(&Cmd::RunChecks));
    assert!(!a.checking);
}

#[test]
fn results_are_saved_and_the_banner_shows_when_all_pass() {
    let mut a = app();
    let g = a.generation;
    let cmds = a.update(Msg::ChecksDone {
        generation: g,
        result: result(true),
    });
    assert!(matches!(cmds.as_slice(), [Cmd::SaveResult(r)] if r.passed));
    assert!(a.passed());
    assert_eq!(a.status_of(a.lesson()), LessonStatus::Passed);
}

#[test]
fn stale_results_of_another_lesson_are_dropped() {
    let mut a = app();
    let old = a.generation;
    a.update(key(KeyCode::F(7)));
    assert_eq!(a.lesson_idx, 1);
    let cmds = a.update(Msg::ChecksDone {
        generation: old,
        result: result(true),
    });
    assert!(cmds.is_empty());
    assert!(a.result.is_none());
}

#[test]
fn f7_opens_the_next_lesson_with_console_focus() {
    let mut a = app();
    a.focus = Focus::Lesson;
    let cmds = a.update(key(KeyCode::F(7)));
    assert_eq!(a.lesson_idx, 1);
    assert_eq!(a.focus, Focus::Console);
    assert_eq!(cmds, vec![Cmd::OpenLesson, Cmd::RunChecks]);
    a.update(key(KeyCode::F(7)));
    let cmds = a.update(key(KeyCode::F(7)));
    assert_eq!(a.lesson_idx, 2);
    assert!(cmds.is_empty(), "no lesson after the last");
    assert!(a.flash.is_some());
}

#[test]
fn lesson_list_opens_the_chosen_lesson() {
    let mut a = app();
    a.update(key(KeyCode::F(3)));
    assert_eq!(a.overlay, Overlay::Lessons { selected: 0 });
    a.update(key(KeyCode::Down));
    a.update(key(KeyCode::Down));
    let cmds = a.update(key(KeyCode::Enter));
    assert_eq!(a.overlay, Overlay::None);
    assert_eq!(a.lesson_idx, 2);
    assert!(cmds.contains(&Cmd::OpenLesson));
}

#[test]
fn help_overlay_opens_and_closes() {
    let mut a = app();
    a.update(key(KeyCode::F(1)));
    assert_eq!(a.overlay, Overlay::Help);
    // Keys do not leak to the console while an overlay is open.
    let cmds = a.update(key(KeyCode::Char('x')));
    assert!(cmds.is_empty());
    a.update(key(KeyCode::Esc));
    assert_eq!(a.overlay, Overlay::None);
}

#[test]
fn exited_shell_restarts_on_enter_only() {
    let mut a = app();
    a.update(Msg::ConsoleExited);
    assert!(a.console_exited);
    assert!(a.update(key(KeyCode::Char('x'))).is_empty());
    assert_eq!(a.update(key(KeyCode::Enter)), vec![Cmd::ConsoleRestart]);
    assert!(!a.console_exited);
}

#[test]
fn shift_pgup_scrolls_the_console_back() {
    let mut a = app();
    let cmds = a.update(Msg::Term(Event::Key(KeyEvent::new(
        KeyCode::PageUp,
        KeyModifiers::SHIFT,
    ))));
    assert!(matches!(cmds.as_slice(), [Cmd::ConsoleScroll(n)] if *n > 0));
    let cmds = a.update(Msg::Term(Event::Key(KeyEvent::new(
        KeyCode::PageDown,
        KeyModifiers::SHIFT,
    ))));
    assert!(matches!(cmds.as_slice(), [Cmd::ConsoleScroll(n)] if *n < 0));
}

#[test]
fn resize_resizes_the_console_to_its_pane() {
    let mut a = app();
    let cmds = a.update(Msg::Term(Event::Resize(80, 24)));
    let inner = a.areas().expect("fits").console_inner();
    assert_eq!(
        cmds,
        vec![Cmd::ConsoleResize {
            rows: inner.height,
            cols: inner.width
        }]
    );
    // Too small: no layout, no resize, no panic.
    let cmds = a.update(Msg::Term(Event::Resize(30, 10)));
    assert!(cmds.is_empty());
    assert!(a.areas().is_none());
}

#[test]
fn engine_going_away_and_back_rechecks_and_says_so() {
    let mut a = app();
    a.update(Msg::Engine(EngineUpdate::Connected {
        endpoint: "unix:///x".into(),
        version: "20.10".into(),
        platform: None,
    }));
    assert!(a.engine_status.is_ok());
    a.checking = false;
    let unreachable = || {
        Msg::Engine(EngineUpdate::Unreachable {
            endpoint: "unix:///var/run/docker.sock".into(),
            reason: "Connection refused".into(),
            advice: "Start Docker.".into(),
        })
    };
    let cmds = a.update(unreachable());
    assert!(cmds.contains(&Cmd::RunChecks));
    assert!(matches!(a.engine_status, EngineStatus::Unreachable { .. }));
    // Repeated reports of the same trouble change nothing.
    a.checking = false;
    let cmds = a.update(unreachable());
    assert!(cmds.is_empty(), "{cmds:?}");
    let cmds = a.update(Msg::Engine(EngineUpdate::Connected {
        endpoint: "unix:///x".into(),
        version: "20.10".into(),
        platform: None,
    }));
    assert!(
        a.checking && (cmds.contains(&Cmd::RunChecks) || a.checks_queued()),
        "{cmds:?}"
    );
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_the_pointer() {
    let mut a = app();
    a.text.lines = (0..200).map(|i| Line::from(format!("line {i}"))).collect();
    let areas = a.areas().expect("fits");
    let wheel = |kind, x, y| {
        Msg::Term(Event::Mouse(MouseEvent {
            kind,
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }))
    };
    a.update(wheel(
        MouseEventKind::ScrollDown,
        areas.lesson.x + 2,
        areas.lesson.y + 2,
    ));
    assert_eq!(a.scroll, 3);
    let cmds = a.update(wheel(
        MouseEventKind::ScrollUp,
        areas.console.x + 2,
        areas.console.y + 2,
    ));
    assert_eq!(cmds, vec![Cmd::ConsoleScroll(3)]);
}

#[test]
fn lesson_focus_scrolls_with_keys() {
    let mut a = app();
    a.text.lines = (0..200).map(|i| Line::from(format!("line {i}"))).collect();
    a.focus = Focus::Lesson;
    a.update(key(KeyCode::Char('j')));
    a.update(key(KeyCode::Down));
    assert_eq!(a.scroll, 2);
    a.update(key(KeyCode::Char('k')));
    assert_eq!(a.scroll, 1);
    a.update(key(KeyCode::PageDown));
    assert!(a.scroll > 10);
    a.update(key(KeyCode::Char('G')));
    assert_eq!(a.scroll, 200 - a.text_rows());
    a.update(key(KeyCode::Char('g')));
    assert_eq!(a.scroll, 0);
}

#[test]
fn first_unfinished_skips_passed_lessons() {
    let p = pack();
    let mut progress = Progress::default();
    assert_eq!(first_unfinished(&p, &progress), 0);
    progress
        .lessons
        .entry("first".into())
        .or_default()
        .passed_at = Some("2026-01-01T00:00:00Z".into());
    assert_eq!(first_unfinished(&p, &progress), 1);
}

#[test]
fn names_come_from_creates_and_checks() {
    let mut l = lesson("x", 1);
    l.creates = Creates::default();
    l.checks.push(CheckSpec {
        id: "c".into(),
        title: "t".into(),
        why: None,
        hint: None,
        needs: vec![],
        requires: vec![],
        kind: CheckKind::ContainerNetworks {
            container: "api".into(),
            includes: vec!["backend".into()],
            excludes: vec!["frontend".into()],
        },
    });
    let n = lesson_names(&l);
    assert_eq!(n.images, ["calc-app-small"]);
    assert_eq!(n.containers, ["api"]);
    assert_eq!(n.networks, ["secure-network", "backend", "frontend"]);
}

#[test]
fn unmet_requirements_show_above_the_lesson() {
    let mut p = (*pack()).clone();
    p.lessons[0].requires = vec!["linux-host-network".into()];
    let mut a = App::new(
        Arc::new(p),
        0,
        Progress::default(),
        (120, 40),
        Theme::default(),
        |_| String::new(),
    );
    assert!(a.notes.is_empty(), "unknown until the engine answers");
    let platform = crate::engine::platform::Platform {
        desktop: true,
        ..Default::default()
    };
    a.update(Msg::Engine(EngineUpdate::Connected {
        endpoint: "unix:///x".into(),
        version: "29".into(),
        platform: Some(Box::new(platform)),
    }));
    assert_eq!(a.notes.len(), 1);
    assert!(a.notes[0].contains("host networking"), "{:?}", a.notes);
    // The next lesson needs nothing.
    a.update(key(KeyCode::F(7)));
    assert!(a.notes.is_empty());
}

#[test]
fn events_of_dockdojo_helpers_never_trigger_checks() {
    let mut a = app();
    a.checking = false;
    for (kind, action, name) in [
        ("network", "connect", "secure-network"),
        ("container", "start", "web"),
    ] {
        let cmds = a.update(Msg::Engine(EngineUpdate::Change(EngineChange {
            kind: EventKind::from_name(kind).expect("a kind the feed carries"),
            action: action.into(),
            names: vec![name.into()],
            helper: true,
        })));
        assert!(cmds.is_empty(), "{kind} {action}: {cmds:?}");
    }
}

#[test]
fn the_first_check_run_waits_for_the_engine_feed() {
    let mut a = App::new(
        pack(),
        0,
        Progress::default(),
        (120, 40),
        Theme::default(),
        |_| String::new(),
    );
    assert!(a.checking, "shown as … from the start");
    let cmds = a.update(key(KeyCode::F(5)));
    assert!(cmds.is_empty(), "no run before the feed answers: {cmds:?}");
    let cmds = a.update(Msg::Engine(EngineUpdate::Unreachable {
        endpoint: "unix:///x".into(),
        reason: "no socket".into(),
        advice: "start it".into(),
    }));
    assert_eq!(cmds.first(), Some(&Cmd::RunChecks), "{cmds:?}");
}

#[test]
fn an_unchanged_inventory_does_not_redraw() {
    let mut a = app();
    let (view, _) = crate::ui::engine::tests::sample();
    a.update(Msg::Engine(EngineUpdate::Inventory(view.clone())));
    assert!(a.dirty);
    a.dirty = false;
    a.update(Msg::Engine(EngineUpdate::Inventory(view.clone())));
    assert!(!a.dirty);
    let mut changed = view;
    changed.containers[0].state = "exited".into();
    a.update(Msg::Engine(EngineUpdate::Inventory(changed)));
    assert!(a.dirty);
}

#[test]
fn lesson_text_fits_its_pane() {
    let mut a = app();
    let mut p = (*a.pack).clone();
    p.lessons[0].body = "# T\n\n```bash\ndocker build -t calc-app-large .\n```\n".into();
    a.pack = Arc::new(p);
    a.load_lesson(0);
    let width = a.areas().expect("fits").lesson_text().width as usize;
    for l in &a.text.lines {
        assert!(l.width() <= width, "{} > {width}: {l:?}", l.width());
    }
    assert_eq!(a.text.blocks.len(), 1, "one sendable block");
}

#[test]
fn builtin_lesson_text_fits_its_pane() {
    let pack = crate::lesson::load(None).expect("built-in pack");
    for (w, h) in [(200, 50), (120, 40), (80, 24)] {
        let mut a = App::new(
            Arc::new(pack.clone()),
            1,
            Progress::default(),
            (w, h),
            Theme::default(),
            |_| String::new(),
        );
        a.update(Msg::Term(Event::Resize(w, h)));
        let width = a.areas().expect("fits").lesson_text().width as usize;
        for l in &a.text.lines {
            assert!(
                l.width() <= width,
                "{w}x{h}: {} > {width}: {l:?}",
                l.width()
            );
        }
    }
}

#[test]
fn editor_swap_files_do_not_trigger_checks() {
    use crate::workspace::is_editor_noise;
    use std::path::Path;
    let dir = Path::new("/home/u/.local/ws/01-x");
    for noise in [
        ".Dockerfile.swp",
        "Dockerfile~",
        "4913",
        ".#Dockerfile",
        ".git/index",
        "f.tmp",
    ] {
        assert!(is_editor_noise(dir, &dir.join(noise)), "{noise}");
    }
    for real in ["Dockerfile", "main.go", "app/Dockerfile.prod", "go.mod"] {
        assert!(!is_editor_noise(dir, &dir.join(real)), "{real}");
    }
}

#[test]
fn the_lesson_is_coloured_when_the_highlighter_is_ready() {
    let mut a = app();
    // Whether or not the grammars were loaded when the app was made, the
    // message leaves a highlighted document and asks for a frame.
    a.doc_unhighlighted = true;
    a.dirty = false;
    let lines_before = a.text.lines.len();
    let cmds = a.update(Msg::HighlighterReady);
    assert!(cmds.is_empty());
    assert!(!a.doc_unhighlighted);
    assert!(a.dirty);
    assert!(crate::markdown::is_loaded());
    assert_eq!(a.text.lines.len(), lines_before);
    // Once coloured, the message changes nothing.
    a.dirty = false;
    a.update(Msg::HighlighterReady);
    assert!(!a.dirty);
}

#[test]
fn untag_and_delete_of_an_image_the_view_knows_as_unrelated_do_not_run_checks() {
    use crate::ui::engine::{EngineView, ImageInfo};
    let mut a = app();
    let id = |n: char| format!("sha256:{}", n.to_string().repeat(64));
    a.engine_view = Some(EngineView {
        images: vec![
            ImageInfo {
                names: vec!["calc-app-small:latest".into()],
                id: id('1'),
                size: 1,
            },
            ImageInfo {
                names: vec!["someone-elses-app:latest".into()],
                id: id('2'),
                size: 1,
            },
            ImageInfo {
                names: vec![],
                id: id('3'),
                size: 1,
            },
        ],
        ..EngineView::default()
    });
    let event = |action: &str, image_id: String| {
        Msg::Engine(EngineUpdate::Change(EngineChange {
            kind: EventKind::Image,
            action: action.into(),
            names: vec![image_id.clone(), image_id],
            helper: false,
        }))
    };
    for action in ["untag", "delete"] {
        a.checking = false;
        // someone else's image, and a dangling one: not the lesson's business
        for other in [id('2'), id('3')] {
            let cmds = a.update(event(action, other.clone()));
            assert!(cmds.is_empty(), "{action} {other}: {cmds:?}");
        }
        // the image the lesson names
        a.check_running = false;
        let cmds = a.update(event(action, id('1')));
        assert_eq!(cmds, vec![Cmd::RunChecks], "{action} of calc-app-small");
        // an image the view has not seen yet (built and removed between two
        // inventory reads) might have been the lesson's: it counts
        a.checking = false;
        a.check_running = false;
        let cmds = a.update(event(action, id('9')));
        assert_eq!(cmds, vec![Cmd::RunChecks], "{action} of an unknown id");
    }
}

fn inventory_with(networks: &[&str]) -> crate::ui::engine::EngineView {
    use crate::ui::engine::{EngineView, ImageInfo, NetworkInfo};
    EngineView {
        images: vec![ImageInfo {
            names: vec!["calc-app-small:latest".into()],
            id: format!("sha256:{}", "1".repeat(64)),
            size: 1_300_000,
        }],
        containers: vec![],
        networks: networks
            .iter()
            .map(|n| NetworkInfo {
                name: n.to_string(),
                driver: "bridge".into(),
                subnets: vec!["172.30.0.0/16".into()],
                ..Default::default()
            })
            .collect(),
    }
}

#[test]
fn f4_opens_the_map_beside_a_console_that_still_gets_the_keys() {
    let mut a = app();
    a.update(key(KeyCode::F(4)));
    assert_eq!(
        a.picture,
        Some(Picture::Map {
            all: false,
            scroll: 0
        })
    );
    assert_eq!(a.focus, Focus::Console);
    let cmds = a.update(key(KeyCode::Char('a')));
    assert!(matches!(cmds.as_slice(), [Cmd::ConsoleKey(_)]), "{cmds:?}");
    a.update(key(KeyCode::F(4)));
    assert_eq!(a.picture, None);
}

#[test]
fn the_open_map_follows_the_inventory_without_a_key() {
    let mut a = app();
    a.update(Msg::Engine(EngineUpdate::Inventory(inventory_with(&[
        "bridge",
    ]))));
    a.update(key(KeyCode::F(4)));
    let lane = |a: &App| {
        a.network_map(false)
            .and_then(|m| m.lane("secure-network").cloned())
            .and_then(|l| l.network)
    };
    assert_eq!(lane(&a), None, "named by the lesson, not created yet");
    a.dirty = false;
    a.update(Msg::Engine(EngineUpdate::Inventory(inventory_with(&[
        "bridge",
        "secure-network",
    ]))));
    assert!(a.dirty, "the new inventory is drawn");
    assert_eq!(
        lane(&a).map(|f| f.subnets),
        Some(vec!["172.30.0.0/16".to_string()])
    );
}

#[test]
fn in_the_map_a_shows_everything_keys_scroll_and_esc_closes() {
    let mut a = app();
    let names: Vec<String> = (0..20).map(|i| format!("net-{i:02}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    a.update(Msg::Engine(EngineUpdate::Inventory(inventory_with(&names))));
    a.update(Msg::Term(Event::Resize(80, 24)));
    a.update(key(KeyCode::F(4)));
    a.update(key(KeyCode::F(2)));
    a.update(key(KeyCode::Char('a')));
    assert_eq!(
        a.picture,
        Some(Picture::Map {
            all: true,
            scroll: 0
        })
    );
    a.update(key(KeyCode::Char('j')));
    assert_eq!(
        a.picture,
        Some(Picture::Map {
            all: true,
            scroll: 1
        })
    );
    // Past the end stays at the last screenful.
    for _ in 0..10 {
        a.update(key(KeyCode::PageDown));
    }
    let Some(Picture::Map { scroll, .. }) = a.picture else {
        panic!("map closed")
    };
    a.update(key(KeyCode::Char('k')));
    assert_eq!(
        a.picture,
        Some(Picture::Map {
            all: true,
            scroll: scroll - 1
        })
    );
    // The lesson text did not move.
    assert_eq!(a.scroll, 0);
    a.update(key(KeyCode::Esc));
    assert_eq!(a.picture, None);
}

#[test]
fn f9_reads_the_anatomy_and_checks_done_reads_it_again() {
    let mut a = app();
    a.update(Msg::Engine(EngineUpdate::Inventory(inventory_with(&[
        "bridge",
    ]))));
    let cmds = a.update(key(KeyCode::F(9)));
    let [Cmd::GatherAnatomy {
        request: first,
        images,
        candidates,
        scan: false,
    }] = cmds.as_slice()
    else {
        panic!("{cmds:?}")
    };
    assert_eq!(images, &["calc-app-small".to_string()]);
    assert_eq!(
        candidates,
        &[(
            "calc-app-small:latest".to_string(),
            format!("sha256:{}", "1".repeat(64))
        )]
    );
    let first = *first;
    let cmds = a.update(Msg::ChecksDone {
        generation: a.generation,
        result: result(false),
    });
    assert!(
        cmds.iter()
            .any(|c| matches!(c, Cmd::GatherAnatomy { scan: false, .. })),
        "{cmds:?}"
    );
    // `s` in the view scans; only the answer to the last request is kept.
    a.update(key(KeyCode::F(2)));
    let cmds = a.update(key(KeyCode::Char('s')));
    let [Cmd::GatherAnatomy {
        request: last,
        scan: true,
        ..
    }] = cmds.as_slice()
    else {
        panic!("{cmds:?}")
    };
    let last = *last;
    a.update(Msg::AnatomyDone {
        request: first,
        facts: vec![],
    });
    assert_eq!(a.anatomy, None);
    a.update(Msg::AnatomyDone {
        request: last,
        facts: vec![],
    });
    assert_eq!(a.anatomy, Some(vec![]));
    // F4 switches to the map, F4 again closes it.
    a.update(key(KeyCode::F(4)));
    assert!(matches!(a.picture, Some(Picture::Map { .. })));
}

#[test]
fn m_and_i_in_the_lesson_open_the_pictures() {
    let mut a = app();
    a.focus = Focus::Lesson;
    a.update(key(KeyCode::Char('m')));
    assert!(matches!(a.picture, Some(Picture::Map { .. })));
    a.update(key(KeyCode::Char('i')));
    assert!(matches!(a.picture, Some(Picture::Anatomy { .. })));
    a.update(key(KeyCode::Char('i')));
    assert_eq!(a.picture, None);
}
