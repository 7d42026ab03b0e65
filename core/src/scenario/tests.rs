//! Unit tests of scenarios: resolution, re-balancing, comparison, spaces and sensitivity.

use super::*;
use crate::dataset;

fn cgr() -> Loaded {
    dataset("cgr2020").expect("shipped").load().expect("valid")
}

fn scenarios(loaded: &Loaded, text: &str) -> Result<Vec<Scenario>, Vec<Diagnostic>> {
    load_scenarios(
        SourceText {
            name: "s.toml",
            text,
        },
        Format::Toml,
        &loaded.model,
    )
}

#[test]
fn an_empty_scenario_is_the_baseline_bit_for_bit() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let s = scenarios(&loaded, "[[scenarios]]\nname = \"nothing\"\n").expect("valid");
    let v = b
        .evaluate(&s[0], At::Target, &mut b.scratch())
        .expect("evaluates");
    let full = run(&loaded.model);
    for (id, v) in IDS.iter().zip(v) {
        let want = full.indicator(id).and_then(|i| i.value);
        assert_eq!(v.map(f64::to_bits), want.map(f64::to_bits), "{id}");
    }
}

fn metric(v: &Values) -> f64 {
    v[0].expect("computable")
}

/// In − out − stock change of every balanced process of a model, largest by magnitude.
fn worst_imbalance(m: &Model) -> f64 {
    let np = m.processes().len();
    let mut bal = vec![0.0; np];
    for f in m.flows() {
        bal[f.to.0 as usize] += f.value;
        bal[f.from.0 as usize] -= f.value;
    }
    for s in m.stock_changes() {
        bal[s.process.0 as usize] -= s.value;
    }
    m.processes()
        .iter()
        .zip(bal)
        .filter(|(p, _)| !p.role.is_source() && !p.role.is_sink())
        .map(|(_, b)| b.abs())
        .fold(0.0, f64::max)
}

/// CGR 2020: 20 % of societal needs' outputs cycled instead of 8.65 / 71.9 (12 %). Secondary
/// materials become 0.2 × 71.9 = 14.38 Gt, which displace as much extraction (spread over MF1–MF4
/// in proportion): the metric is 14.38 / 100.65.
#[test]
fn a_treatment_split_displaces_extraction() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let s = scenarios(
        &loaded,
        r#"
[[scenarios]]
name = "cycle 20 %"
[[scenarios.interventions]]
kind = "share"
from = "use"
to = "recycling"
set = 0.2
"#,
    )
    .expect("valid");
    let v = b
        .evaluate(&s[0], At::Target, &mut b.scratch())
        .expect("holds");
    let want = 14.38e9 / 100.65e9;
    assert!((metric(&v) - want).abs() < 1e-12, "{}", metric(&v));
    let m = b.model(&s[0], At::Target).expect("holds");
    assert!(
        worst_imbalance(&m) < 1e-6 * 100.65e9,
        "{}",
        worst_imbalance(&m)
    );
    // Landfill, emissions and dissipation share the other 80 % in their proportions.
    let landfill = m
        .flows()
        .iter()
        .find(|f| m.process(f.to).id == "landfill")
        .expect("flow");
    assert!((landfill.value - 28.75e9 * (0.8 * 71.9 / 63.25)).abs() < 1.0);
    // The same through the fast path and through the model.
    let full = run(&m);
    assert_eq!(full.indicator(IDS[0]).and_then(|i| i.value), v[0]);
}

#[test]
fn setting_a_flow_is_the_same_as_its_share() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let s = scenarios(
        &loaded,
        r#"
[[scenarios]]
name = "flow"
[[scenarios.interventions]]
kind = "flow"
from = "use"
to = "recycling"
set = 14.38
"#,
    )
    .expect("valid");
    let v = b
        .evaluate(&s[0], At::Target, &mut b.scratch())
        .expect("holds");
    assert!((metric(&v) - 14.38 / 100.65).abs() < 1e-12);
}

#[test]
fn a_ramp_is_linear_between_its_years() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let s = scenarios(
        &loaded,
        r#"
[[scenarios]]
name = "ramp"
[[scenarios.interventions]]
kind = "flow"
from = "use"
to = "recycling"
set = 18.65
years = [2020, 2030]
"#,
    )
    .expect("valid");
    let mut scratch = b.scratch();
    let half = b
        .evaluate(&s[0], At::Year(2025), &mut scratch)
        .expect("holds");
    assert!((metric(&half) - 13.65 / 100.65).abs() < 1e-12);
    let before = b
        .evaluate(&s[0], At::Year(2019), &mut scratch)
        .expect("holds");
    assert_eq!(before[0].map(f64::to_bits), b.values()[0].map(f64::to_bits));
    let after = b
        .evaluate(&s[0], At::Year(2040), &mut scratch)
        .expect("holds");
    assert!((metric(&after) - 18.65 / 100.65).abs() < 1e-12);
}

#[test]
fn an_intervention_that_leaves_a_process_unbalanced_names_itself() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let s = scenarios(
        &loaded,
        r#"
[[scenarios]]
name = "less mining"
[[scenarios.interventions]]
kind = "source"
process = "extraction"
scale = 0.5
"#,
    )
    .expect("valid");
    let e = b
        .evaluate(&s[0], At::Target, &mut b.scratch())
        .expect_err("cannot balance");
    assert_eq!(
        e.to_string(),
        "scenario \"less mining\", intervention 1 (source extraction): \"production\" cannot balance: its inputs and outputs would differ by -46 Gt, and the interventions fix every flow circ could adjust"
    );
}

#[test]
fn shares_beyond_the_whole_are_an_error_of_the_last_intervention() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let s = scenarios(
        &loaded,
        r#"
[[scenarios]]
name = "too much"
[[scenarios.interventions]]
kind = "share"
from = "use"
to = "recycling"
set = 0.7
[[scenarios.interventions]]
kind = "share"
from = "use"
to = "landfill"
set = 0.5
"#,
    )
    .expect("valid");
    let e = b
        .evaluate(&s[0], At::Target, &mut b.scratch())
        .expect_err("too much");
    assert_eq!(e.intervention.as_ref().map(|i| i.0), Some(2));
    assert!(e.message.contains("add up to 1.2"), "{e}");
}

#[test]
fn every_problem_of_a_scenario_file_is_reported_with_its_line() {
    let loaded = cgr();
    let text = r#"[[scenarios]]
name = "bad"
[[scenarios.interventions]]
kind = "share"
from = "use"
to = "recyling"
set = 1.5
[[scenarios.interventions]]
kind = "lifetime"
stock = "cars"
scale = 1.2
[[scenarios.interventions]]
kind = "flows"
scale = 2
[[scenarios]]
name = "bad"
"#;
    let d = scenarios(&loaded, text).expect_err("invalid");
    let text: Vec<String> = d.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "s.toml:6:1: error: scenarios[0].interventions[0].to: scenario \"bad\", intervention 1: the model has no process \"recyling\"\n  hint: did you mean \"recycling\"?",
            "s.toml:10:1: error: scenarios[0].interventions[1].stock: scenario \"bad\", intervention 2: the model has no dynamic stocks, so no stock \"cars\"\n  hint: lifetime and demand interventions change the [dynamics] stocks of a model (docs/stocks.md)",
            "s.toml:13:1: error: scenarios[0].interventions[2].kind: scenario \"bad\", intervention 3: unknown kind \"flows\"\n  hint: did you mean \"flow\"?",
            "s.toml:16:1: error: scenarios[1].name: scenario \"bad\" is named twice\n  hint: give each scenario its own name",
        ]
    );
}

#[test]
fn a_share_outside_0_1_is_an_error() {
    let loaded = cgr();
    let d = scenarios(
        &loaded,
        "[[scenarios]]\nname = \"x\"\n[[scenarios.interventions]]\nkind = \"share\"\nfrom = \"use\"\nto = \"recycling\"\nset = 1.5\n",
    )
    .expect_err("invalid");
    assert!(
        d[0].to_string()
            .contains("a share of 1.5 is not a fraction in [0, 1]"),
        "{}",
        d[0]
    );
}

#[test]
fn comparison_ranks_by_the_indicator() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let s = scenarios(
        &loaded,
        r#"
[[scenarios]]
name = "a little"
interventions = [{ kind = "share", from = "use", to = "recycling", set = 0.15 }]
[[scenarios]]
name = "more"
interventions = [{ kind = "share", from = "use", to = "recycling", set = 0.3 }]
[[scenarios]]
name = "same"
"#,
    )
    .expect("valid");
    let c = compare(&b, &s, At::Target, "cgr.circularity_metric").expect("holds");
    let names: Vec<&str> = c.scenarios.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["more", "a little", "same"]);
    assert_eq!(c.scenarios[0].rank, Some(1));
    let csv = c.to_csv();
    assert!(csv.starts_with("scenario,rank,indicator,unit,baseline,value,change,relative\nmore,1,cgr.circularity_metric,fraction,"));
    let text = c.to_text();
    assert!(text.contains("baseline"), "{text}");
}

#[test]
fn grid_points_enumerate_the_full_factorial() {
    let loaded = cgr();
    let space = space::Space::model_parameters(&loaded.model, 0.1);
    let names: Vec<&str> = space.parameters.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "share use → recycling (MIXED)",
            "share use → emissions (MIXED)",
            "share use → dissipation (MIXED)",
            "share use → landfill (MIXED)",
            "flow production → use (MIXED)",
        ]
    );
    assert_eq!(space.grid_len(), Some(243));
    let mut p = vec![0.0; 5];
    space.grid_point(0, &mut p);
    assert_eq!(p, [0.9; 5]);
    space.grid_point(1, &mut p);
    assert_eq!(p, [0.9, 0.9, 0.9, 0.9, 1.0]);
    space.grid_point(242, &mut p);
    assert_eq!(p, [1.1; 5]);
}

#[test]
fn a_latin_hypercube_has_one_point_in_each_stratum_of_each_parameter() {
    let loaded = cgr();
    let space = space::Space::model_parameters(&loaded.model, 0.1);
    let n = 1000u64;
    let mut seen = vec![vec![false; n as usize]; space.parameters.len()];
    let mut p = vec![0.0; space.parameters.len()];
    for i in 0..n {
        space.sample_point(i, n, 7, &mut p);
        for (j, x) in p.iter().enumerate() {
            let u = (x - 0.9) / 0.2;
            let k = (u * n as f64).floor() as usize;
            assert!(!seen[j][k], "parameter {j} stratum {k} twice");
            seen[j][k] = true;
        }
    }
    // Another seed gives another sample.
    let mut q = vec![0.0; space.parameters.len()];
    space.sample_point(0, n, 8, &mut q);
    space.sample_point(0, n, 7, &mut p);
    assert_ne!(p, q);
}

#[test]
fn the_feistel_permutation_is_a_permutation() {
    for n in [1u64, 2, 3, 7, 64, 1000, 4097] {
        let mut hit = vec![false; n as usize];
        for i in 0..n {
            let k = space::permute(i, n, 42) as usize;
            assert!(!hit[k], "n = {n}");
            hit[k] = true;
        }
    }
}

#[test]
fn sampled_scenarios_of_the_default_space_hold() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let space = space::Space::model_parameters(&loaded.model, 0.1);
    let mut s = space.scenario("sample");
    let mut p = vec![0.0; space.parameters.len()];
    let mut scratch = b.scratch();
    for i in 0..200 {
        space.sample_point(i, 200, 1, &mut p);
        space.fill(&mut s, &p);
        let v = b.evaluate(&s, At::Target, &mut scratch).expect("holds");
        let m = metric(&v);
        assert!((0.0..1.0).contains(&m));
    }
}

#[test]
fn sensitivity_ranks_the_recycling_share_first() {
    let loaded = cgr();
    let b = Baseline::new(&loaded);
    let space = space::Space::model_parameters(&loaded.model, 0.1);
    let s = sensitivity::sensitivity(&b, &space, 0.1, "cgr.circularity_metric", At::Target);
    assert_eq!(s.rows[0].parameter, "share use → recycling (MIXED)");
    // ±10 % of the recycling share: 8.65 × (1 ± 0.1) Gt of 100.65.
    assert!((s.rows[0].low.expect("computable") - 7.785 / 100.65).abs() < 1e-12);
    assert!((s.rows[0].high.expect("computable") - 9.515 / 100.65).abs() < 1e-12);
    let svg = s.to_svg();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    assert_eq!(svg, s.to_svg(), "deterministic");
}

fn buildings() -> Loaded {
    let text = include_str!("../../../data/examples/buildings.toml");
    crate::load(
        SourceText {
            name: "buildings.toml",
            text,
        },
        Format::Toml,
        &|_| Err("none".into()),
    )
    .expect("valid")
}

#[test]
fn on_dynamic_stocks_an_empty_scenario_is_the_projection() {
    let loaded = buildings();
    let b = Baseline::new(&loaded);
    let (m, _) = crate::project::year_model(&loaded.model, 2050).expect("projects");
    let want = run(&m);
    let empty = Scenario {
        name: "none".into(),
        description: None,
        interventions: Vec::new(),
    };
    let v = b
        .evaluate(&empty, At::Target, &mut b.scratch())
        .expect("holds");
    for (id, v) in IDS.iter().zip(v) {
        assert_eq!(
            v.map(f64::to_bits),
            want.indicator(id).and_then(|i| i.value).map(f64::to_bits),
            "{id}"
        );
    }
}

#[test]
fn longer_lifetimes_change_the_end_of_life_flows() {
    let loaded = buildings();
    let b = Baseline::new(&loaded);
    let s = scenarios(
        &loaded,
        r#"
[[scenarios]]
name = "cars last longer"
interventions = [{ kind = "lifetime", stock = "cars", scale = 1.2 }]
[[scenarios]]
name = "identity"
interventions = [{ kind = "lifetime", stock = "cars", scale = 1.0 }]
"#,
    )
    .expect("valid");
    let longer = b.model(&s[0], At::Year(2040)).expect("projects");
    let same = b.model(&s[1], At::Year(2040)).expect("projects");
    let (base, _) = crate::project::year_model(&loaded.model, 2040).expect("projects");
    let eol = |m: &Model| -> f64 {
        m.flows()
            .iter()
            .filter(|f| m.process(f.from).id == "fleet")
            .map(|f| f.value)
            .sum()
    };
    assert_eq!(eol(&same), eol(&base));
    assert!(
        eol(&longer) < eol(&base),
        "{} vs {}",
        eol(&longer),
        eol(&base)
    );
}
