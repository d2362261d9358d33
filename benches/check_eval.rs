//! Pure check evaluation: it runs on every engine event in the TUI, so it
//! must stay far below a frame's time.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

use dockdojo::check::eval;
use dockdojo::check::facts::{ImageFacts, PathMatch};
use dockdojo::check::{dockerfile, path_requests};
use dockdojo::lesson::PathSet;

fn bench(c: &mut Criterion) {
    let info = Ok(Some(ImageFacts {
        reference: "calc-app-large:latest".into(),
        id: "sha256:0123456789abcdef".into(),
        size: 462_300_000,
        user: String::new(),
        layers: 9,
        ..Default::default()
    }));
    let sets = [PathSet::Shell, PathSet::Compilers];
    let matches: Vec<PathMatch> = path_requests(&[], &sets)
        .into_iter()
        .enumerate()
        .map(|(i, (p, set))| PathMatch {
            present: if i % 5 == 0 { vec![p.clone()] } else { vec![] },
            canonical: vec![],
            pattern: p,
            set,
        })
        .collect();
    let matches = Ok(matches);
    c.bench_function("image.lacks shell+compilers evaluation", |b| {
        b.iter(|| eval::image_lacks(black_box("calc-app-large"), &[], &sets, &info, &matches))
    });
    c.bench_function("image.size evaluation", |b| {
        b.iter(|| eval::image_size(black_box("calc-app-large"), Some(20_000_000), None, &info))
    });
    let df = "# syntax=docker/dockerfile:1\nARG GO=1.22\nFROM golang:${GO}-bookworm AS build\nWORKDIR /src\nCOPY . .\nRUN go build \\\n  -o /calc .\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /calc /calc\nENTRYPOINT [\"/calc\"]\n".repeat(4);
    c.bench_function("dockerfile stages + final base", |b| {
        b.iter(|| {
            let st = dockerfile::stages(black_box(&df));
            dockerfile::final_base(&st)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
