//! The Sankey diagram, layout and SVG: the default model (what the web calculator redraws on
//! every edit), the staged 200-process economy with its 28 loops, and 10,000 processes with
//! 100,000 flows (which once took 11 s: per-node scans of every band, now one pass).

use circ_benches::{generated_model, staged_model};
use circ_core::sankey::{Options, sankey_svg};
use circ_core::{Format, Model, SourceText, dataset, load};
use criterion::{Criterion, criterion_group, criterion_main};

fn json_model(text: &str) -> Model {
    load(
        SourceText {
            name: "generated.json",
            text,
        },
        Format::Json,
        &|_| Err("no tables".into()),
    )
    .expect("valid")
    .into_model()
}

fn sankey(c: &mut Criterion) {
    let options = Options::default();
    let default = dataset("cgr2020")
        .expect("shipped")
        .load()
        .expect("valid")
        .model;
    c.bench_function("sankey: default model", |b| {
        b.iter(|| sankey_svg(&default, &options))
    });
    let staged = json_model(&staged_model(200, 7));
    c.bench_function("sankey: staged 200 processes", |b| {
        b.iter(|| sankey_svg(&staged, &options))
    });
    let big = json_model(&generated_model(10_000, 100_000, 42));
    let mut group = c.benchmark_group("sankey: 10k processes, 100k flows");
    group.sample_size(10);
    group.bench_function("layout + SVG", |b| b.iter(|| sankey_svg(&big, &options)));
    group.finish();
}

criterion_group!(benches, sankey);
criterion_main!(benches);
