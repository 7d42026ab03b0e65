//! The circ side of `benches/peers/scipy_spsolve.py`: generates the 100,000-process
//! transfer-coefficient network, times its end-to-end load (parse, validate, assemble, solve)
//! and the iterative solve of its assembled system, and writes that system (Matrix Market, and
//! the right-hand side and circ's solution one value a line) for SciPy to solve the same.
//!
//! `cargo run --release -p circ-benches --example network_peer -- DIR [PROCESSES] [WINDOW]`
//! (WINDOW 0: destinations anywhere, a random pattern; default 50: the next 50 processes).

use std::fmt::Write as _;
use std::time::Instant;

use circ_benches::tc_network;
use circ_core::network::sparse::{auto, bicgstab, gauss_seidel};
use circ_core::network::square_system;
use circ_core::{Format, SourceText, load};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "/tmp/circ-peer".into()));
    let n: usize = args
        .next()
        .map_or(100_000, |s| s.parse().expect("a number of processes"));
    let window: usize = args.next().map_or(50, |s| s.parse().expect("a window"));
    std::fs::create_dir_all(&dir).expect("output directory");
    let text = tc_network(n, 3, window, 42);

    let mut load_times = Vec::new();
    let mut loaded = None;
    for _ in 0..3 {
        let t = Instant::now();
        let l = load(
            SourceText {
                name: "tc.json",
                text: &text,
            },
            Format::Json,
            &|_| Err(String::new()),
        )
        .expect("valid");
        load_times.push(t.elapsed().as_secs_f64());
        loaded = Some(l);
    }
    let loaded = loaded.expect("loaded");
    let t = Instant::now();
    let (a, b) = square_system(&loaded.network).expect("square");
    let assemble = t.elapsed().as_secs_f64();

    let (mut bicg, mut gs, mut chosen) = (Vec::new(), Vec::new(), Vec::new());
    let mut choice = "";
    let (mut x, mut iters) = (Vec::new(), (0, 0));
    for _ in 0..5 {
        let mut z = vec![0.0; a.n];
        let t = Instant::now();
        let info = bicgstab(&a, &b, &mut z, 1e-13, 2_000).expect("BiCGSTAB converges");
        bicg.push(t.elapsed().as_secs_f64());
        iters.0 = info.iterations;
        x = z;
        let mut z = vec![0.0; a.n];
        let t = Instant::now();
        let info = gauss_seidel(&a, &b, &mut z, 1e-13, 20_000).expect("Gauss-Seidel converges");
        gs.push(t.elapsed().as_secs_f64());
        iters.1 = info.iterations;
        let mut z = vec![0.0; a.n];
        let t = Instant::now();
        let (by_gs, _) = auto(&a, &b, &mut z, 1e-13, 20_000).expect("converges");
        chosen.push(t.elapsed().as_secs_f64());
        choice = if by_gs { "Gauss-Seidel" } else { "BiCGSTAB" };
    }

    // Matrix Market, 1-based coordinates.
    let mut mtx = String::with_capacity(a.vals.len() * 40);
    let _ = writeln!(mtx, "%%MatrixMarket matrix coordinate real general");
    let _ = writeln!(
        mtx,
        "% circ: the square system of tc_network({n}, 3, {window}, 42)"
    );
    let _ = writeln!(mtx, "{} {} {}", a.n, a.n, a.vals.len());
    for i in 0..a.n {
        for k in a.row_start[i]..a.row_start[i + 1] {
            let _ = writeln!(mtx, "{} {} {:e}", i + 1, a.cols[k] + 1, a.vals[k]);
        }
    }
    std::fs::write(dir.join("system.mtx"), mtx).expect("write system.mtx");
    let lines = |v: &[f64]| v.iter().map(|x| format!("{x:e}\n")).collect::<String>();
    std::fs::write(dir.join("rhs.txt"), lines(&b)).expect("write rhs.txt");
    std::fs::write(dir.join("circ_x.txt"), lines(&x)).expect("write circ_x.txt");
    println!(
        "{{\"processes\": {n}, \"window\": {window}, \"unknowns\": {}, \"nonzeros\": {}, \"load_s\": {:.4}, \"assemble_s\": {assemble:.4}, \"bicgstab_s\": {:.4}, \"bicgstab_iterations\": {}, \"gauss_seidel_s\": {:.4}, \"gauss_seidel_iterations\": {}, \"auto_s\": {:.4}, \"auto_choice\": \"{choice}\"}}",
        a.n,
        a.vals.len(),
        median(load_times),
        median(bicg),
        iters.0,
        median(gs),
        iters.1,
        median(chosen)
    );
}
