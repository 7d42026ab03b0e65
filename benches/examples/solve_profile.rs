//! Times the stages of solving the 100,000-process transfer-coefficient network (load, then
//! re-solves), for profiling: `perf record cargo run --release --example solve_profile`.
use std::time::Instant;

use circ_core::network::{SolveOptions, solve};
use circ_core::{Format, SourceText, load};

fn main() {
    let text = circ_benches::tc_network(100_000, 3, 0, 42);
    let t = Instant::now();
    let loaded = load(
        SourceText {
            name: "tc.json",
            text: &text,
        },
        Format::Json,
        &|_| Err(String::new()),
    )
    .expect("valid");
    println!("load (parse, validate, solve): {:?}", t.elapsed());
    for _ in 0..5 {
        let t = Instant::now();
        let (_, s) = solve(&loaded.network, &SolveOptions::default()).expect("solves");
        println!(
            "solve: {:?} ({:?}, {} iterations)",
            t.elapsed(),
            s.info.method,
            s.info.iterations
        );
    }
}
