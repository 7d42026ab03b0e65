//! One scenario evaluation of the default model (CGR 2020), as `circ batch` does it per row:
//! fill the interventions with a Latin-hypercube point, re-balance, evaluate the indicators.
//! Issue 5's target: 1,000,000 evaluations a minute on two cores, 120 µs each per core.
//! Also the one-at-a-time sensitivity of every parameter, and a scenario of the model with
//! dynamic stocks (a projected year, with the stock series computed again).

use circ_core::scenario::sensitivity::sensitivity;
use circ_core::scenario::space::Space;
use circ_core::scenario::{At, Baseline, load_scenarios};
use circ_core::{Format, SourceText, dataset, load};
use criterion::{Criterion, criterion_group, criterion_main};

fn scenarios(c: &mut Criterion) {
    let loaded = dataset("cgr2020").expect("shipped").load().expect("valid");
    let baseline = Baseline::new(&loaded);
    let space = Space::model_parameters(&loaded.model, 0.1);
    let mut s = space.scenario("bench");
    let mut scratch = baseline.scratch();
    let mut values = vec![0.0; space.parameters.len()];
    let mut i = 0u64;
    c.bench_function(
        "default model: one scenario evaluation (5 parameters)",
        |b| {
            b.iter(|| {
                space.sample_point(i % 1_000_000, 1_000_000, 1, &mut values);
                space.fill(&mut s, &values);
                i += 1;
                baseline
                    .evaluate(&s, At::Target, &mut scratch)
                    .expect("holds")
            });
        },
    );
    let empty = space.scenario("none");
    let empty = circ_core::scenario::Scenario {
        interventions: Vec::new(),
        ..empty
    };
    c.bench_function("default model: the empty scenario", |b| {
        b.iter(|| {
            baseline
                .evaluate(&empty, At::Target, &mut scratch)
                .expect("holds")
        });
    });
    c.bench_function(
        "default model: sensitivity of every parameter ±10 %",
        |b| {
            b.iter(|| sensitivity(&baseline, &space, 0.1, "cgr.circularity_metric", At::Target));
        },
    );

    let text = include_str!("../../data/examples/buildings.toml");
    let dynamic = load(
        SourceText {
            name: "buildings.toml",
            text,
        },
        Format::Toml,
        &|_| Err("none".into()),
    )
    .expect("valid");
    let base = Baseline::new(&dynamic);
    let file = include_str!("../../data/examples/buildings-scenarios.toml");
    let list = load_scenarios(
        SourceText {
            name: "buildings-scenarios.toml",
            text: file,
        },
        Format::Toml,
        &dynamic.model,
    )
    .expect("valid");
    let mut group = c.benchmark_group("buildings.toml, 2040");
    group.sample_size(20);
    for s in &list {
        group.bench_function(s.name.as_str(), |b| {
            b.iter(|| {
                base.evaluate(s, At::Year(2040), &mut scratch)
                    .expect("holds")
            });
        });
    }
    group.finish();
}

criterion_group!(benches, scenarios);
criterion_main!(benches);
