//! The dynamic stock kernels (core/src/stock) and the projection (core/src/project.rs): survival
//! tables of each distribution, inflow- and stock-driven models of one product over 200 years,
//! with and without lifetime changes, the 200 years × 100 products case that
//! benches/peers/flodym_compare.py runs against flodym, and the projection of
//! data/examples/buildings.toml.

use std::time::Duration;

use circ_core::stock::{Lifetime, LifetimeChanges, Survival, Timing, inflow_driven, stock_driven};
use circ_core::{Format, ProjectOptions, SourceText, load, project};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

const YEARS: usize = 200;

fn inflow(p: usize) -> Vec<f64> {
    (0..YEARS)
        .map(|t| 100.0 + p as f64 + 0.5 * t as f64 + 20.0 * libm::sin(0.1 * t as f64 + p as f64))
        .collect()
}

fn lifetimes() -> [(&'static str, Lifetime); 5] {
    [
        ("fixed", Lifetime::fixed(30.0).expect("valid")),
        ("normal", Lifetime::normal(30.0, 9.0).expect("valid")),
        (
            "folded_normal",
            Lifetime::folded_normal(30.0, 9.0).expect("valid"),
        ),
        ("lognormal", Lifetime::lognormal(30.0, 9.0).expect("valid")),
        ("weibull", Lifetime::weibull(2.0, 34.0).expect("valid")),
    ]
}

fn kernels(c: &mut Criterion) {
    let mut g = c.benchmark_group("stock kernels, 200 years");
    g.sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let input = inflow(0);
    for (name, lt) in lifetimes() {
        g.bench_with_input(BenchmarkId::new("survival table", name), &lt, |b, lt| {
            b.iter(|| Survival::new(*lt, Timing::Middle, YEARS, LifetimeChanges::none()))
        });
    }
    let lt = Lifetime::normal(30.0, 9.0).expect("valid");
    let sf = Survival::new(lt, Timing::Middle, YEARS, LifetimeChanges::none());
    let stock = inflow_driven(&sf, &[], &input, false).expect("valid").stock;
    g.bench_function("inflow-driven, normal", |b| {
        b.iter(|| inflow_driven(&sf, &[], &input, false).expect("valid"))
    });
    g.bench_function("inflow-driven, normal, by cohort", |b| {
        b.iter(|| inflow_driven(&sf, &[], &input, true).expect("valid"))
    });
    g.bench_function("stock-driven, normal", |b| {
        b.iter(|| stock_driven(&sf, &[], &stock, false).expect("valid"))
    });
    // A shrinking path: every other decade loses 2 % a year.
    let shrinking: Vec<f64> = stock
        .iter()
        .enumerate()
        .map(|(t, s)| if (t / 10) % 2 == 1 { s * 0.8 } else { *s })
        .collect();
    g.bench_function("stock-driven, normal, shrinking", |b| {
        b.iter(|| stock_driven(&sf, &[], &shrinking, false).expect("valid"))
    });
    let mut by_year = vec![1.0; YEARS];
    by_year[100..].fill(1.2);
    let changes = LifetimeChanges {
        by_year,
        by_cohort: Vec::new(),
        before_axis: 1.0,
    };
    g.bench_function("survival table, normal, lifetime change by year", |b| {
        b.iter(|| Survival::new(lt, Timing::Middle, YEARS, changes.clone()))
    });
    let changed = Survival::new(lt, Timing::Middle, YEARS, changes);
    g.bench_function("inflow-driven, normal, lifetime change by year", |b| {
        b.iter(|| inflow_driven(&changed, &[], &input, false).expect("valid"))
    });
    g.finish();
}

/// The case of benches/peers/flodym_compare.py: 100 products, each its own Normal lifetime.
fn peer_case(c: &mut Criterion) {
    let mut g = c.benchmark_group("200 years × 100 products (flodym comparison case)");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let products: Vec<(Lifetime, Vec<f64>)> = (0..100)
        .map(|p| {
            let mean = 10.0 + 50.0 * p as f64 / 99.0;
            (
                Lifetime::normal(mean, 0.3 * mean).expect("valid"),
                inflow(p),
            )
        })
        .collect();
    let stocks: Vec<Vec<f64>> = products
        .iter()
        .map(|(lt, i)| {
            let sf = Survival::new(*lt, Timing::Middle, YEARS, LifetimeChanges::none());
            inflow_driven(&sf, &[], i, false).expect("valid").stock
        })
        .collect();
    g.bench_function("inflow-driven", |b| {
        b.iter(|| {
            products
                .iter()
                .map(|(lt, i)| {
                    let sf = Survival::new(*lt, Timing::Middle, YEARS, LifetimeChanges::none());
                    inflow_driven(&sf, &[], i, false).expect("valid")
                })
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("stock-driven", |b| {
        b.iter(|| {
            products
                .iter()
                .zip(&stocks)
                .map(|((lt, _), s)| {
                    let sf = Survival::new(*lt, Timing::Middle, YEARS, LifetimeChanges::none());
                    stock_driven(&sf, &[], s, false).expect("valid")
                })
                .collect::<Vec<_>>()
        })
    });
    g.finish();
}

fn projection(c: &mut Criterion) {
    let text = include_str!("../../data/examples/buildings.toml");
    let load_it = || {
        load(
            SourceText {
                name: "buildings.toml",
                text,
            },
            Format::Toml,
            &|_| Err("no tables".into()),
        )
        .expect("valid")
    };
    let mut g = c.benchmark_group("projection of data/examples/buildings.toml, 2000–2050");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    g.bench_function("load (validates and runs the stocks)", |b| b.iter(load_it));
    let loaded = load_it();
    let opts = ProjectOptions {
        from: 2000,
        to: 2050,
    };
    g.bench_function("project, 51 yearly models", |b| {
        b.iter(|| project(&loaded.model, &opts).expect("projects"))
    });
    g.finish();
}

criterion_group!(benches, kernels, peer_case, projection);
criterion_main!(benches);
