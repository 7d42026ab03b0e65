//! Solvers of transfer-coefficient networks at several sizes (dense elimination against the
//! sparse iterative solvers, which is how `network::DENSE_MAX` was chosen), the 100,000-process
//! network of issue 3, and Monte Carlo throughput on the default model with a 10 % uncertainty
//! on every flow (target: 100,000 samples per second per core).

use circ_benches::{tc_network, with_uncertainty};
use circ_core::network::sparse::{bicgstab, gauss_seidel};
use circ_core::network::{Method, Network, SolveOptions, solve, square_system};
use circ_core::uncertainty::MonteCarlo;
use circ_core::{Format, SourceText, dataset, load};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn network(text: &str) -> Network {
    load(
        SourceText {
            name: "n.json",
            text,
        },
        Format::Json,
        &|_| Err(String::new()),
    )
    .expect("valid")
    .network
}

fn solvers(c: &mut Criterion) {
    let mut group = c.benchmark_group("solve by size");
    group.sample_size(10);
    for n in [25, 50, 100, 200, 400, 800] {
        let net = network(&tc_network(n, 3, 0, 1));
        for method in [Method::Dense, Method::BiCgStab, Method::GaussSeidel] {
            if method == Method::Dense && n > 400 {
                continue;
            }
            group.bench_with_input(
                BenchmarkId::new(format!("{method:?}"), n),
                &net,
                |b, net| {
                    b.iter(|| solve(net, &SolveOptions { method }).expect("solves"));
                },
            );
        }
    }
    group.finish();

    let mut group = c.benchmark_group("100k processes");
    group.sample_size(10);
    let net = network(&tc_network(100_000, 3, 0, 42));
    let (a, rhs) = square_system(&net).expect("square");
    group.bench_function("BiCGSTAB on the assembled system", |b| {
        b.iter(|| {
            let mut x = vec![0.0; a.n];
            bicgstab(&a, &rhs, &mut x, 1e-13, 2_000).expect("converges")
        });
    });
    group.bench_function("Gauss-Seidel on the assembled system", |b| {
        b.iter(|| {
            let mut x = vec![0.0; a.n];
            gauss_seidel(&a, &rhs, &mut x, 1e-13, 20_000).expect("converges")
        });
    });
    group.bench_function("assemble + solve (auto)", |b| {
        b.iter(|| solve(&net, &SolveOptions::default()).expect("solves"));
    });
    group.finish();
}

fn monte_carlo(c: &mut Criterion) {
    let text = with_uncertainty(dataset("cgr2020").expect("shipped").text, 0.1);
    let loaded = load(
        SourceText {
            name: "cgr2020.toml",
            text: &text,
        },
        Format::Toml,
        &|_| Err(String::new()),
    )
    .expect("valid");
    let mc = MonteCarlo::new(&loaded.network, 1, 1).expect("prepares");
    let mut row = vec![0.0; mc.width()];
    let mut scratch = mc.scratch();
    let mut group = c.benchmark_group("Monte Carlo, default model, cv 10 % on every flow");
    group.throughput(Throughput::Elements(1));
    let mut i = 0u64;
    group.bench_function("one sample (one core)", |b| {
        b.iter(|| {
            i += 1;
            mc.sample_into(i, &mut row, &mut scratch)
        });
    });
    group.finish();
}

criterion_group!(benches, solvers, monte_carlo);
criterion_main!(benches);
