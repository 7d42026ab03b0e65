//! Worked cases TC-1, DR-1 and DR-2 of ../shared/reference/INDICATORS.md §4, solved through
//! the whole pipeline (load → validate → network solve), and the solver's choices.

use super::*;
use crate::testing::model;
use crate::{Format, SourceText, load};

/// Case TC-1 (INDICATORS.md §4.1, a [C] example): P1 receives an import of 100, sends 60 % to
/// P2 and exports 40 %; P2 returns 25 % to P1 and puts out 75 % as product.
pub(crate) const TC_1: &str = r#"
[meta]
name = "TC-1"
[[processes]]
id = "imports"
role = "import"
[[processes]]
id = "p1"
role = "collection"
[[processes]]
id = "p2"
role = "recycling"
[[processes]]
id = "exports"
role = "export"
[[processes]]
id = "market"
role = "export"
[[flows]]
from = "imports"
to = "p1"
material = "MF2"
value = 100
[[flows]]
from = "p1"
to = "p2"
material = "MF2"
share = 0.6
[[flows]]
from = "p1"
to = "exports"
material = "MF2"
share = 0.4
[[flows]]
from = "p2"
to = "p1"
material = "MF2"
share = 0.25
[[flows]]
from = "p2"
to = "market"
material = "MF2"
share = 0.75
"#;

/// A measured import and export around one process: cases DR-1 (σ = 10, 10) and DR-2
/// (σ = 5, 10) of INDICATORS.md §4.2.
pub(crate) fn dr(sd_import: f64, sd_export: f64) -> String {
    format!(
        r#"
[meta]
name = "DR"
[[processes]]
id = "imports"
role = "import"
[[processes]]
id = "plant"
role = "production"
[[processes]]
id = "exports"
role = "export"
[[flows]]
from = "imports"
to = "plant"
material = "MF3"
value = 100
uncertainty = {{ sd = {sd_import} }}
[[flows]]
from = "plant"
to = "exports"
material = "MF3"
value = 110
uncertainty = {{ sd = {sd_export} }}
"#
    )
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

#[test]
fn tc_1_gives_the_throughputs_of_the_reference() {
    let m = model(TC_1);
    let v: Vec<f64> = m.flows().iter().map(|f| f.value).collect();
    // x = [2000/17, 1200/17] (INDICATORS.md §4.1): P1 → P2 = 0.6 x1 = 1200/17,
    // P1 export = 0.4 x1, P2 → P1 = 0.25 x2, P2 product = 0.75 x2.
    let x1 = 2000.0 / 17.0;
    let x2 = 1200.0 / 17.0;
    let expected = [100.0, 0.6 * x1, 0.4 * x1, 0.25 * x2, 0.75 * x2];
    for (got, want) in v.iter().zip(expected) {
        assert!(close(*got, want, 1e-14), "{got} vs {want}");
    }
    // The residual as well as the value: both balances hold, and exports sum to the import.
    assert!((100.0 + v[3] - v[1] - v[2]).abs() < 1e-12);
    assert!((v[1] - v[3] - v[4]).abs() < 1e-12);
    assert!((v[2] + v[4] - 100.0).abs() < 1e-12);
    assert_eq!(
        m.flows()[1].basis,
        Basis::Share { share: 0.6 },
        "a solved flow says how it was found"
    );
}

#[test]
fn tc_1_gives_the_same_with_every_solver() {
    let loaded = load(
        SourceText {
            name: "tc1.toml",
            text: TC_1,
        },
        Format::Toml,
        &|_| Err(String::new()),
    )
    .expect("valid");
    assert_eq!(loaded.solution.info.method, Method::Dense);
    for method in [Method::Dense, Method::GaussSeidel, Method::BiCgStab] {
        let (m, sol) = solve(&loaded.network, &SolveOptions { method }).expect("solves");
        assert_eq!(sol.info.method, method);
        assert!(
            close(m.flows()[1].value, 1200.0 / 17.0, 1e-12),
            "{method:?}"
        );
    }
}

#[test]
fn dr_1_and_dr_2_reconcile_as_the_reference_states() {
    // (sd import, sd export, x̂, σ̂) from INDICATORS.md §4.2, cases R1 and R2 ([C] oracles:
    // x̂ = x̃ − Q Aᵀ (A Q Aᵀ)⁻¹ A x̃ with A = [1, −1]).
    for (sd1, sd2, x_hat, sd_hat) in [(10.0, 10.0, 105.0, 7.0711), (5.0, 10.0, 102.0, 4.4721)] {
        let text = dr(sd1, sd2);
        let loaded = load(
            SourceText {
                name: "dr.toml",
                text: &text,
            },
            Format::Toml,
            &|_| Err(String::new()),
        )
        .expect("reconciled, not refused");
        let flows = loaded.model.flows();
        assert!(close(flows[0].value, x_hat, 1e-14), "{}", flows[0].value);
        assert!(close(flows[1].value, x_hat, 1e-14), "{}", flows[1].value);
        assert_eq!(flows[0].basis, Basis::Reconciled);
        let r = loaded.solution.reconciliation.expect("reconciled");
        assert!(r.adjusted);
        assert_eq!(r.df, 1);
        for a in &r.values {
            assert!(
                (a.reconciled_sd - sd_hat).abs() < 5e-5,
                "{}",
                a.reconciled_sd
            );
        }
        // χ² = e² / (σ1² + σ2²) with e = −10.
        assert!(close(r.chi2, 100.0 / (sd1 * sd1 + sd2 * sd2), 1e-14));
        // The test statistic: adjustment / its standard deviation, equal and opposite here.
        let t0 = r.values[0].test.expect("redundant");
        let t1 = r.values[1].test.expect("redundant");
        assert!(close(t0, -t1, 1e-12) && t0 > 0.0, "{t0} {t1}");
        assert_eq!(
            loaded.warnings.len(),
            1,
            "a warning says the values were reconciled"
        );
    }
}

#[test]
fn chi2_survival_matches_tables() {
    // Upper 5 % points: 3.841 (df 1), 5.991 (df 2), 18.307 (df 10); and P(χ²_1 ≥ 0.5).
    assert!((chi2_survival(3.841_458_820_694_124, 1) - 0.05).abs() < 1e-9);
    assert!((chi2_survival(5.991_464_547_107_979, 2) - 0.05).abs() < 1e-9);
    assert!((chi2_survival(18.307_038_053_275_146, 10) - 0.05).abs() < 1e-9);
    assert!((chi2_survival(0.5, 1) - 0.479_500_122_186_953_5).abs() < 1e-9);
}

#[test]
fn a_flow_without_value_takes_the_rest_of_its_origin() {
    // 30 % of the plant's output goes to recycling; the landfill flow takes the rest.
    let text = r#"
[meta]
name = "rest"
[[processes]]
id = "mine"
role = "extraction"
[[processes]]
id = "plant"
role = "production"
[[processes]]
id = "rec"
role = "recycling"
[[processes]]
id = "dump"
role = "landfill"
[[flows]]
from = "mine"
to = "plant"
material = "MF3"
value = 200
[[flows]]
from = "plant"
to = "rec"
material = "MF3"
share = 0.3
[[flows]]
from = "plant"
to = "dump"
material = "MF3"
[[flows]]
from = "rec"
to = "plant"
material = "MF3"
share = 0.5
[[flows]]
from = "rec"
to = "dump"
material = "MF3"
"#;
    let m = model(text);
    let v: Vec<f64> = m.flows().iter().map(|f| f.value).collect();
    // plant: y = 200 + 0.5 · 0.3 y → y = 200 / 0.85.
    let y = 200.0 / 0.85;
    assert!(
        close(v[1], 0.3 * y, 1e-14) && close(v[2], 0.7 * y, 1e-14),
        "{v:?}"
    );
    assert!(
        close(v[3], 0.15 * y, 1e-14) && close(v[4], 0.15 * y, 1e-14),
        "{v:?}"
    );
    assert_eq!(m.flows()[2].basis, Basis::Balance);
}

/// Issue 3's "done when": a network given only by inputs and coefficients yields every flow and
/// the indicators. Production's output P = 90 + 0.21 P (0.75 of it leaves use, 0.7 of that is
/// collected, half of it recycled, 0.8 of that returns), so the Circularity Metric
/// S / (DMC + S) = 0.21 P / P = 0.21, and use adds 0.25 P to stock.
#[test]
fn a_network_of_inputs_and_coefficients_yields_every_flow_and_the_indicators() {
    let text = r#"
[meta]
name = "coefficients only"
scope = "global"
[[processes]]
id = "mine"
role = "extraction"
[[processes]]
id = "prod"
role = "production"
[[processes]]
id = "use"
role = "use"
[[processes]]
id = "coll"
role = "collection"
[[processes]]
id = "rec"
role = "recycling"
[[processes]]
id = "dump"
role = "landfill"
[[flows]]
from = "mine"
to = "prod"
material = "MF2"
value = 90
[[flows]]
from = "prod"
to = "use"
material = "MF2"
share = 1.0
[[flows]]
from = "use"
to = "coll"
material = "MF2"
share = 0.7
[[flows]]
from = "use"
to = "dump"
material = "MF2"
[[flows]]
from = "coll"
to = "rec"
material = "MF2"
share = 0.5
[[flows]]
from = "coll"
to = "dump"
material = "MF2"
[[flows]]
from = "rec"
to = "prod"
material = "MF2"
share = 0.8
[[flows]]
from = "rec"
to = "dump"
material = "MF2"
[[stock_changes]]
process = "use"
material = "MF2"
share = 0.25
"#;
    let m = model(text);
    let p = 90.0 / 0.79;
    assert!(close(m.stock_changes()[0].value, 0.25 * p, 1e-14));
    assert!(
        close(m.flows()[6].value, 0.21 * p, 1e-14),
        "{}",
        m.flows()[6].value
    );
    let report = crate::run(&m);
    let metric = report
        .indicator("cgr.circularity_metric")
        .and_then(|i| i.value)
        .expect("computable");
    assert!((metric - 0.21).abs() < 1e-14, "{metric}");
    assert!(
        report
            .indicator("eurostat.cmu_rate")
            .and_then(|i| i.value)
            .is_some(),
        "CMU too"
    );
}
