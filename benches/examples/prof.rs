//! Times the stages of loading a 100,000-flow model (parse, validate, indicators), as CPU time
//! of this thread, so that a busy machine inflates the figures less than wall time would.
use circ_core::{Format, SourceText, parse_model, run, validate};

fn cpu_time() -> std::time::Duration {
    let text = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = text
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    std::time::Duration::from_millis(ticks * 10)
}

fn main() {
    let big = circ_benches::generated_model(10_000, 100_000, 42);
    // `--baseline`: also time serde_json's untyped Value on the same text, for comparison.
    if std::env::args().any(|a| a == "--baseline") {
        baseline(&big);
    }
    for _ in 0..5 {
        let (c0, t) = (cpu_time(), std::time::Instant::now());
        let raw = parse_model(
            SourceText {
                name: "b",
                text: &big,
            },
            Format::Json,
        )
        .expect("valid");
        let (c1, t1) = (cpu_time(), t.elapsed());
        let loaded = validate(&raw, &[], "b").expect("valid");
        let (c2, t2) = (cpu_time(), t.elapsed());
        let report = run(&loaded.model);
        let (c3, t3) = (cpu_time(), t.elapsed());
        std::hint::black_box(report);
        println!(
            "wall: parse {:?} validate {:?} run {:?} | cpu: parse {:?} validate {:?} run {:?}",
            t1,
            t2 - t1,
            t3 - t2,
            c1 - c0,
            c2 - c1,
            c3 - c2
        );
    }
}
fn baseline(big: &str) {
    let t = std::time::Instant::now();
    let v: serde_json::Value = serde_json::from_str(big).expect("json");
    std::hint::black_box(v);
    println!("Value {:?} for {} MB", t.elapsed(), big.len() / 1_000_000);
}
