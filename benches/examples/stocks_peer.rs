//! circ's side of the comparison with flodym (`benches/peers/flodym_compare.py`): reads a case of
//! many products (a JSON file the script writes), computes every product's dynamic stock the
//! given number of times, and prints the median time of one full computation, the peak resident
//! memory before and after computing, and the results (for the script to check they agree).
//!
//! Usage: `stocks_peer CASE.json inflow|stock REPEATS OUT.json`

use std::time::Instant;

use circ_core::stock::{
    Lifetime, LifetimeChanges, StockSeries, Survival, Timing, inflow_driven, stock_driven,
};
use serde_json::{Value, json};

/// Peak resident set size of this process so far, in KiB (Linux `VmHWM`).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn column(v: &Value, p: usize) -> Vec<f64> {
    v.as_array()
        .expect("rows by year")
        .iter()
        .map(|row| row[p].as_f64().expect("a number"))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, case, model, repeats, out] = &args[..] else {
        eprintln!("usage: stocks_peer CASE.json inflow|stock REPEATS OUT.json");
        std::process::exit(1);
    };
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(case).expect("case file")).expect("JSON");
    let repeats: usize = repeats.parse().expect("a count");
    let products = case["products"].as_u64().expect("products") as usize;
    let timing = Timing::parse(case["timing"].as_str().expect("timing")).expect("timing");
    let means: Vec<f64> = (0..products)
        .map(|p| case["mean"][p].as_f64().expect("mean"))
        .collect();
    let sds: Vec<f64> = (0..products)
        .map(|p| case["sd"][p].as_f64().expect("sd"))
        .collect();
    let key = if model == "inflow" { "inflow" } else { "stock" };
    let given: Vec<Vec<f64>> = (0..products).map(|p| column(&case[key], p)).collect();
    let years = given[0].len();
    let before = peak_kib();

    let compute = || -> Vec<StockSeries> {
        (0..products)
            .map(|p| {
                let lt = Lifetime::normal(means[p], sds[p]).expect("valid");
                let sf = Survival::new(lt, timing, years, LifetimeChanges::none());
                match model.as_str() {
                    "inflow" => inflow_driven(&sf, &[], &given[p], false),
                    _ => stock_driven(&sf, &[], &given[p], false),
                }
                .expect("valid case")
            })
            .collect()
    };
    let mut times = Vec::with_capacity(repeats);
    let mut result = compute();
    for _ in 0..repeats {
        let start = Instant::now();
        result = std::hint::black_box(compute());
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let after = peak_kib();
    let by_year = |f: &dyn Fn(&StockSeries) -> &Vec<f64>| -> Vec<Vec<f64>> {
        (0..years)
            .map(|t| result.iter().map(|s| f(s)[t]).collect())
            .collect()
    };
    let report = json!({
        "seconds_median": times[times.len() / 2],
        "seconds_min": times[0],
        "repeats": repeats,
        "peak_kib_before": before,
        "peak_kib_after": after,
        "stock": by_year(&|s| &s.stock),
        "inflow": by_year(&|s| &s.inflow),
        "outflow": by_year(&|s| &s.outflow),
    });
    std::fs::write(out, report.to_string()).expect("write the results");
}
