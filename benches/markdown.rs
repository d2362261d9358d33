//! Lesson rendering cost: parse + highlight once per lesson load, layout per resize.
//!
//! `cargo bench --bench markdown`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dockdojo::markdown::{warm_up, ColorMode, Document};

const LESSON: &str = include_str!("lesson-sample.md");

fn bench(c: &mut Criterion) {
    // Grammar loading is a one-off per process (done in the background at startup).
    let start = std::time::Instant::now();
    warm_up();
    eprintln!(
        "warm_up (load grammars + theme, compile common grammars): {:?}",
        start.elapsed()
    );

    c.bench_function("parse typical lesson", |b| {
        b.iter(|| Document::parse_with(black_box(LESSON), ColorMode::TrueColor))
    });
    let doc = Document::parse_with(LESSON, ColorMode::TrueColor);
    c.bench_function("layout typical lesson at 80 columns", |b| {
        b.iter(|| doc.layout(black_box(80)))
    });
    c.bench_function("layout typical lesson at 40 columns", |b| {
        b.iter(|| doc.layout(black_box(40)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
