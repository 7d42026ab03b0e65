//! circ's dynamic stock kernels against flodym 1.1.0, on the cases that
//! `benches/peers/flodym_generate.py` wrote to `tests/data/flodym/cases.json`: every lifetime
//! distribution and timing convention, inflow-driven and stock-driven, without lifetime changes,
//! with a factor by year (applied to cohorts in stock, "nurture") and by cohort ("nature").
//!
//! Tolerance: `|circ − flodym| ≤ 1e-12 · max(1, max |flodym series|)` for every value. Both
//! compute the same formulas in double precision; they differ only in the special functions
//! (libm's `erfc`, `exp`, `pow` against SciPy's `ndtr`, `foldnorm` as `1 − cdf`, `weibull_min`),
//! which agree to a few ulps, and in summation order. flodym's folded normal survival is
//! `1 − cdf`, which loses digits to cancellation (absolute error ~1e-16 on values of order 1),
//! and the stock-driven forward substitution divides by `sf[t, t]` and so carries such errors
//! forward, amplified at most by `1 / min sf[t, t]` per year. The largest difference seen is
//! 6.3e-15 of the series' scale; 1e-12 leaves a factor of 100 for other platforms' SciPy while
//! still failing on any convention error (a timing shift changes values by more than 1e-3).

use circ_core::stock::{Lifetime, LifetimeChanges, Survival, Timing, inflow_driven, stock_driven};
use serde_json::Value;

const CASES: &str = include_str!("../../tests/data/flodym/cases.json");

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn lifetime(v: &Value) -> Lifetime {
    let p = |k: &str| v[k].as_f64().expect(k);
    match v["dist"].as_str().expect("dist") {
        "fixed" => Lifetime::fixed(p("mean")),
        "normal" => Lifetime::normal(p("mean"), p("sd")),
        "folded_normal" => Lifetime::folded_normal(p("mean"), p("sd")),
        "lognormal" => Lifetime::lognormal(p("mean"), p("sd")),
        "weibull" => Lifetime::weibull(p("shape"), p("scale")),
        other => panic!("unknown distribution {other}"),
    }
    .expect("valid parameters")
}

#[test]
fn circ_agrees_with_flodym_on_every_case() {
    let doc: Value = serde_json::from_str(CASES).expect("valid JSON");
    let cases = doc["cases"].as_array().expect("cases");
    // 5 distributions × 3 timings × 2 models × 3 lifetime-change settings.
    assert_eq!(cases.len(), 90);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let timing = Timing::parse(case["timing"].as_str().expect("timing")).expect("timing");
        let given = numbers(&case["given"]);
        let n = given.len();
        let factor = |key: &str| {
            if case[key].is_null() {
                Vec::new()
            } else {
                numbers(&case[key])
            }
        };
        let changes = LifetimeChanges {
            by_year: factor("lifetime_factor_by_year"),
            by_cohort: factor("lifetime_factor_by_cohort"),
            before_axis: 1.0,
        };
        let sf = Survival::new(lifetime(&case["lifetime"]), timing, n, changes);
        let result = match case["model"].as_str().expect("model") {
            "inflow_driven" => inflow_driven(&sf, &[], &given, false),
            "stock_driven" => stock_driven(&sf, &[], &given, false),
            other => panic!("unknown model {other}"),
        }
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            result.deficit.iter().all(|d| *d == 0.0),
            "{name}: no shrinking"
        );
        let expected = &case["expected"];
        for (series, got) in [
            ("stock", &result.stock),
            ("inflow", &result.inflow),
            ("outflow", &result.outflow),
        ] {
            let want = numbers(&expected[series]);
            let scale = want.iter().fold(1.0f64, |m, v| m.max(v.abs()));
            for (t, (g, w)) in got.iter().zip(&want).enumerate() {
                let diff = (g - w).abs() / scale;
                assert!(
                    diff <= 1e-12,
                    "{name}: {series}[{t}] circ {g} flodym {w} (relative to the series {diff:e})"
                );
            }
        }
    }
}

/// The timing conventions matter: the same case read with the wrong timing fails the tolerance
/// by orders of magnitude (so the test above tells them apart).
#[test]
fn a_wrong_timing_is_caught() {
    let doc: Value = serde_json::from_str(CASES).expect("valid JSON");
    let case = doc["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|c| c["name"] == "normal/middle/inflow_driven/none")
        .expect("present");
    let given = numbers(&case["given"]);
    let sf = Survival::new(
        lifetime(&case["lifetime"]),
        Timing::End,
        given.len(),
        LifetimeChanges::none(),
    );
    let got = inflow_driven(&sf, &[], &given, false).expect("valid");
    let want = numbers(&case["expected"]["stock"]);
    let scale = want.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let max = got
        .stock
        .iter()
        .zip(&want)
        .map(|(g, w)| (g - w).abs() / scale)
        .fold(0.0, f64::max);
    assert!(max > 1e-3, "{max}");
}
