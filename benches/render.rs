//! A full 200x50 frame of the TUI: lesson text, console, checks (with a
//! failing check's details) and the engine pane, drawn into a TestBackend.
//!
//! `cargo bench --bench render`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use dockdojo::app::App;
use dockdojo::check::{CheckResult, LessonResult, Status};
use dockdojo::ui::engine::{ContainerInfo, EngineView, ImageInfo, NetworkInfo};
use dockdojo::ui::status::EngineStatus;

fn app() -> App {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/packs");
    let pack = dockdojo::lesson::load(Some(&dir)).expect("the benchmark pack loads");
    let idx = pack
        .lessons
        .iter()
        .position(|l| l.id == "tui")
        .expect("the benchmark pack has the tui lesson");
    // Colour the code as the TUI does once the grammars are loaded.
    dockdojo::markdown::warm_up();
    let mut app = App::new(
        Arc::new(pack),
        idx,
        Default::default(),
        (200, 50),
        Default::default(),
        |_| "~/dockdojo/04-tui".to_string(),
    );
    let lesson = app.lesson().clone();
    app.engine_status = EngineStatus::Ok {
        version: "20.10.24".into(),
    };
    app.checking = false;
    app.result = Some(LessonResult {
        lesson: lesson.id.clone(),
        passed: false,
        checks: lesson
            .checks
            .iter()
            .enumerate()
            .map(|(i, c)| CheckResult {
                id: c.id.clone(),
                title: c.title.clone(),
                status: if i % 3 == 2 {
                    Status::Fail
                } else {
                    Status::Pass
                },
                expected: "at most 20 MB".into(),
                actual: "455.2 MB".into(),
                message: "ddt-perf-event is 455.2 MB; the goal is at most 20 MB.".into(),
                hint: c.hint.clone(),
                why: c.why.clone(),
                duration_ms: 3,
            })
            .collect(),
    });
    app.engine_view = Some(EngineView {
        images: (0..30)
            .map(|i| ImageInfo {
                names: vec![format!("ddt-perf-image-{i}:latest")],
                id: format!("sha256:{i:064x}"),
                size: 1_000_000 * (i + 1) as u64 * 13,
            })
            .collect(),
        containers: (0..12)
            .map(|i| ContainerInfo {
                name: format!("ddt-perf-c{i}"),
                image: "busybox:1.36".into(),
                state: if i % 2 == 0 { "running" } else { "exited" }.into(),
                ..Default::default()
            })
            .collect(),
        networks: (0..5)
            .map(|i| NetworkInfo {
                name: format!("ddt-perf-net{i}"),
                driver: "bridge".into(),
                containers: (0..3).map(|c| format!("ddt-perf-c{}", i * 2 + c)).collect(),
                ..Default::default()
            })
            .collect(),
    });
    app
}

fn screen() -> vt100::Parser {
    // A console pane full of a docker build's output.
    let mut p = vt100::Parser::new(38, 108, 1000);
    for i in 0..60 {
        p.process(
            format!(
                "\x1b[32mStep {i}/60\x1b[0m : RUN go build -o /calc . \x1b[1;34m---> abc{i:03}\x1b[0m\r\n"
            )
            .as_bytes(),
        );
    }
    p.process(b"$ docker images calc-app-small");
    p
}

fn bench(c: &mut Criterion) {
    let app = app();
    let parser = screen();
    let mut term = Terminal::new(TestBackend::new(200, 50)).expect("a test terminal");
    c.bench_function("full 200x50 frame (lesson, console, checks, engine)", |b| {
        b.iter(|| {
            term.draw(|f| dockdojo::ui::draw(f, black_box(&app.view()), Some(parser.screen())))
                .map(|_| ())
                .expect("draw")
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
