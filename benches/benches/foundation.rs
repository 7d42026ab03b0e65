//! Parse + validate + accounts + indicators, end to end in-process: the default model (TOML),
//! and a generated model of 10,000 processes and 100,000 flows (JSON). Targets of issue 2: the
//! default well under a millisecond, 100,000 flows under 100 ms.

use circ_benches::generated_model;
use circ_core::{Format, SourceText, dataset, load, run};
use criterion::{Criterion, criterion_group, criterion_main};

fn no_tables(_: &str) -> Result<String, String> {
    Err("no tables".into())
}

fn end_to_end(c: &mut Criterion) {
    let default = dataset("cgr2020").expect("shipped").text;
    c.bench_function("default model: parse + validate + indicators", |b| {
        b.iter(|| {
            let loaded = load(
                SourceText {
                    name: "cgr2020.toml",
                    text: default,
                },
                Format::Toml,
                &no_tables,
            )
            .expect("valid");
            run(&loaded.model)
        });
    });
    let loaded = load(
        SourceText {
            name: "cgr2020.toml",
            text: default,
        },
        Format::Toml,
        &no_tables,
    )
    .expect("valid");
    c.bench_function("default model: indicators only", |b| {
        b.iter(|| run(&loaded.model))
    });

    let big = generated_model(10_000, 100_000, 42);
    let mut group = c.benchmark_group("10k processes, 100k flows");
    group.sample_size(20);
    group.bench_function("parse + validate + indicators (JSON)", |b| {
        b.iter(|| {
            let loaded = load(
                SourceText {
                    name: "big.json",
                    text: &big,
                },
                Format::Json,
                &no_tables,
            )
            .expect("valid");
            run(&loaded.model)
        });
    });
    let loaded = load(
        SourceText {
            name: "big.json",
            text: &big,
        },
        Format::Json,
        &no_tables,
    )
    .expect("valid");
    group.bench_function("indicators only", |b| b.iter(|| run(&loaded.model)));
    group.finish();
}

criterion_group!(benches, end_to_end);
criterion_main!(benches);
