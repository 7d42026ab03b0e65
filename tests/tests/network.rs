//! Laws of networks (proptest): every balance holds after solving and after reconciliation;
//! reconciling consistent data changes nothing; for small uncertainties the Monte Carlo mean
//! and spread approach the linear result.
//!
//! Networks are generated as transfer-coefficient networks: imports feed some of `n`
//! processes; each process sends a leak to exports (a share, or the rest when it has no share)
//! and splits the remainder by shares over up to three other processes, so every loop leaks.

use circ_core::network::reconcile;
use circ_core::uncertainty::{linear, monte_carlo};
use circ_core::{Format, Loaded, Model, SourceText, load};
use proptest::prelude::*;
use serde_json::{Value, json};

/// A process's leak share (or `None`: the leak takes the rest), and (destination, weight).
type Outs = (Option<f64>, Vec<(usize, f64)>);

#[derive(Debug, Clone)]
struct Spec {
    imports: Vec<(usize, f64)>,
    outs: Vec<Outs>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (2usize..10).prop_flat_map(|n| {
        let process = (
            prop_oneof![Just(None), (0.05..0.6f64).prop_map(Some)],
            proptest::collection::vec((0..n, 0.1..1.0f64), 1..4),
        );
        (
            proptest::collection::vec((0..n, 1.0..1000.0f64), 1..4),
            proptest::collection::vec(process, n),
        )
            .prop_map(|(imports, outs)| Spec { imports, outs })
    })
}

/// The network as JSON: flows by share (and rest), imports by value, optionally with an
/// uncertainty on every import and share.
fn network(spec: &Spec, uncertain: Option<f64>) -> Value {
    let n = spec.outs.len();
    let mut processes = vec![
        json!({"id": "imports", "role": "import"}),
        json!({"id": "exports", "role": "export"}),
    ];
    processes.extend((0..n).map(|i| json!({"id": format!("p{i}"), "role": "production"})));
    let mut flows = Vec::new();
    let mut flow = |from: String, to: String, value: Option<f64>, share: Option<f64>| {
        let mut f =
            json!({"id": format!("f{}", flows.len()), "from": from, "to": to, "material": "MF2"});
        if let Some(v) = value {
            f["value"] = json!(v);
            if let Some(cv) = uncertain {
                f["uncertainty"] = json!({"cv": cv});
            }
        }
        if let Some(s) = share {
            f["share"] = json!(s);
            if let Some(cv) = uncertain {
                f["uncertainty"] = json!({"sd": cv * s});
            }
        }
        flows.push(f);
    };
    for (to, v) in &spec.imports {
        flow("imports".into(), format!("p{to}"), Some(*v), None);
    }
    for (i, (leak, outs)) in spec.outs.iter().enumerate() {
        let keep = 1.0 - leak.unwrap_or(0.3);
        flow(format!("p{i}"), "exports".into(), None, *leak);
        let total: f64 = outs.iter().map(|(_, w)| w).sum();
        for (to, w) in outs {
            let to = if *to == i { (i + 1) % n } else { *to };
            flow(
                format!("p{i}"),
                format!("p{to}"),
                None,
                Some(keep * w / total),
            );
        }
    }
    json!({"meta": {"name": "generated network"}, "processes": processes, "flows": flows})
}

fn load_json(doc: &Value) -> Result<Loaded, String> {
    let text = doc.to_string();
    load(
        SourceText {
            name: "n.json",
            text: &text,
        },
        Format::Json,
        &|_| Err(String::new()),
    )
    .map_err(|d| {
        d.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// The largest relative imbalance of the model's production processes.
fn worst_imbalance(m: &Model) -> f64 {
    let n = m.processes().len();
    let (mut input, mut output) = (vec![0.0; n], vec![0.0; n]);
    for f in m.flows() {
        input[f.to.0 as usize] += f.value;
        output[f.from.0 as usize] += f.value;
    }
    m.processes()
        .iter()
        .enumerate()
        .filter(|(_, p)| p.role.as_str() == "production")
        .map(|(i, _)| (input[i] - output[i]).abs() / input[i].max(output[i]).max(1e-300))
        .fold(0.0, f64::max)
}

/// The solved network with its flows given as values, each with a standard deviation of
/// `cv` times the value.
fn measured(m: &Model, cv: f64, noise: &[f64]) -> Value {
    let processes: Vec<Value> = m
        .processes()
        .iter()
        .map(|p| json!({"id": p.id, "role": p.role.as_str()}))
        .collect();
    let flows: Vec<Value> = m
        .flows()
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let v = f.value * (1.0 + noise.get(i % noise.len().max(1)).copied().unwrap_or(0.0));
            let mut j = json!({"id": format!("f{i}"), "from": m.process(f.from).id, "to": m.process(f.to).id, "material": "MF2", "value": v});
            if v > 0.0 {
                j["uncertainty"] = json!({"sd": cv * v});
            }
            j
        })
        .collect();
    json!({"meta": {"name": "measured"}, "processes": processes, "flows": flows})
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_balance_holds_after_solving(spec in spec()) {
        let loaded = load_json(&network(&spec, None)).map_err(TestCaseError::fail)?;
        let worst = worst_imbalance(&loaded.model);
        prop_assert!(worst <= 1e-12, "imbalance {worst}");
        prop_assert!(loaded.model.flows().iter().all(|f| f.value >= 0.0 && f.value.is_finite()));
    }

    #[test]
    fn every_balance_holds_after_reconciliation(spec in spec(), noise in proptest::collection::vec(-0.2..0.2f64, 1..8)) {
        let solved = load_json(&network(&spec, None)).map_err(TestCaseError::fail)?;
        let loaded = load_json(&measured(&solved.model, 0.05, &noise)).map_err(TestCaseError::fail)?;
        let worst = worst_imbalance(&loaded.model);
        prop_assert!(worst <= 1e-9, "imbalance {worst} after reconciliation");
    }

    #[test]
    fn reconciling_consistent_data_changes_nothing(spec in spec()) {
        let solved = load_json(&network(&spec, None)).map_err(TestCaseError::fail)?;
        let doc = measured(&solved.model, 0.05, &[0.0]);
        let loaded = load_json(&doc).map_err(TestCaseError::fail)?;
        for (f, given) in loaded.model.flows().iter().zip(doc["flows"].as_array().expect("flows")) {
            prop_assert_eq!(f.value.to_bits(), given["value"].as_f64().expect("a value").to_bits());
        }
        if let Some(r) = reconcile(&loaded.network).map_err(|p| TestCaseError::fail(format!("{p:?}")))? {
            prop_assert!(!r.adjusted);
            prop_assert!(r.values.iter().all(|a| a.measured.to_bits() == a.reconciled.to_bits()));
        }
    }
}

proptest! {
    // Monte Carlo is the slow law: fewer cases.
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn monte_carlo_approaches_the_linear_result_for_small_uncertainties(spec in spec(), seed in any::<u64>()) {
        let loaded = load_json(&network(&spec, Some(0.002))).map_err(TestCaseError::fail)?;
        let lin = linear(&loaded.network).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        let samples = 4000;
        let sqrt_samples = 63.245_553_203_367_59; // √4000
        let mc = monte_carlo(&loaded.network, samples, seed).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        for (l, m) in lin.flows.iter().zip(&mc.flows) {
            if l.sd == 0.0 {
                prop_assert!(m.sd <= 1e-9 * l.mean.abs().max(1.0));
                continue;
            }
            // The mean within 5 standard errors; the spread within 10 % (the standard error of
            // a standard deviation from 4000 samples is about 1.1 %), plus what the
            // linearisation misses at 0.2 %.
            let se = l.sd / sqrt_samples;
            prop_assert!((m.mean - l.mean).abs() <= 5.0 * se + 1e-9 * l.mean.abs(), "mean {} vs {} (se {se})", m.mean, l.mean);
            prop_assert!((m.sd / l.sd - 1.0).abs() <= 0.1, "sd {} vs {}", m.sd, l.sd);
        }
    }
}
