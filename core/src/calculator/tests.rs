//! Tests of the form-to-model translation: the examples, every check, and the law that any
//! valid form gives a valid model.

use proptest::prelude::*;

use super::*;
use crate::accounts::AccountLine;
use crate::format::{Format, SourceText};
use crate::validate::load;

fn value(report: &Report, id: &str) -> f64 {
    report
        .indicator(id)
        .and_then(|i| i.value)
        .unwrap_or_else(|| panic!("{id} not computable: {:?}", report.indicator(id)))
}

fn account(report: &Report, line: AccountLine) -> f64 {
    report
        .account(line)
        .and_then(|a| a.total)
        .unwrap_or_else(|| panic!("{} missing", line.id()))
}

fn paths(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(|d| d.location.path_text()).collect()
}

#[test]
fn every_example_calculates_without_warnings() {
    for e in EXAMPLES {
        let form = example(e.name).expect("listed");
        let c = calculate(&form).unwrap_or_else(|d| panic!("{}: {d:?}", e.name));
        assert!(c.warnings.is_empty(), "{}: {:?}", e.name, c.warnings);
        assert_eq!(form.name, e.title);
    }
    assert!(example("nonesuch").is_none());
}

/// The workshop's numbers, worked out by hand from data/examples/calculator-workshop.json.
#[test]
fn the_workshop_by_hand() {
    let c = calculate(&example("workshop").expect("shipped")).expect("valid");
    let r = &c.report;
    // Virgin 10 + 24 + 9 and renewable 54 are extraction.
    assert_eq!(account(r, AccountLine::DomesticExtraction), 97.0);
    assert_eq!(account(r, AccountLine::Imports), 0.0);
    // The steel turnings exported for recycling are the only export.
    assert_eq!(account(r, AccountLine::Exports), 2.0);
    assert_eq!(account(r, AccountLine::DomesticMaterialConsumption), 95.0);
    // Recycled inputs 4 + 16 + 3.
    assert_eq!(account(r, AccountLine::SecondaryMaterials), 23.0);
    assert_eq!(value(r, "cgr.circularity_metric"), 23.0 / (95.0 + 23.0));
    // U = RCV_R − IMP_w + EXP_w = (3 + 1 recycled, 4 composted) − 0 + 2.
    assert_eq!(account(r, AccountLine::CircularUse), 10.0);
    assert_eq!(value(r, "eurostat.cmu_rate"), 10.0 / (95.0 + 10.0));
    // Waste generated 21; treated 19 (the 2 t exported are treated abroad).
    assert_eq!(account(r, AccountLine::WasteGenerated), 21.0);
    assert_eq!(value(r, "waste.recycling_rate"), 10.0 / 21.0);
    assert_eq!(value(r, "waste.treatment_share.landfill"), 3.0 / 19.0);
    // Products sold are added to stock; nothing else is.
    assert_eq!(account(r, AccountLine::NetAdditionsToStock), 101.0);
    // The chair's product file: its three materials, shares from their groups' inputs.
    let p = c.product_report.expect("the workshop designs its chair");
    let mci = p.entities[0].indicator("emf.mci").and_then(|i| i.value);
    assert!(mci.is_some_and(|m| (0.0..=1.0).contains(&m)), "{mci:?}");
    let inflow = p.entities[0]
        .indicator("wbcsd.cti.circular_inflow")
        .and_then(|i| i.value)
        .expect("computable");
    // (20 · (4 + 2 + 54)/70 + 25 · 16/40 + 8 · 3/12) / 53
    let expected = (20.0 * 60.0 / 70.0 + 25.0 * 0.4 + 8.0 * 0.25) / 53.0;
    assert!((inflow - expected).abs() < 1e-12, "{inflow} vs {expected}");
}

/// The model text is what the page exports: loading it again gives the same report bytes, as
/// `circ run` on the exported file does.
#[test]
fn the_model_text_gives_the_same_report() {
    let c = calculate(&example("rubble").expect("shipped")).expect("valid");
    let again = load(
        SourceText {
            name: MODEL_NAME,
            text: &c.model_json(),
        },
        Format::Json,
        &|_| Err("none".into()),
    )
    .expect("valid");
    assert_eq!(run(&again.model).to_json(), c.report.to_json());
    assert!(c.product_json().is_none());
    assert!(c.model_json().contains("\"unit\": \"kt\""));
}

#[test]
fn the_exported_results_are_the_reports_of_the_exported_files() {
    // With a design (workshop) and without (rubble): the export holds the reports `circ run`
    // and `circ product` give for the two files, and the product only where there is one.
    for name in ["workshop", "rubble"] {
        let c = calculate(&example(name).expect("shipped")).expect("valid");
        assert_eq!(c.product_report.is_some(), name == "workshop");
        let json: serde_json::Value = serde_json::from_str(&c.results_json()).expect("JSON");
        let report: serde_json::Value = serde_json::from_str(&c.report.to_json()).expect("JSON");
        assert_eq!(json["report"], report, "{name}");
        let csv = c.results_csv();
        assert!(csv.starts_with(&c.report.to_csv()), "{name}");
        match (&c.product_json(), &c.product_report) {
            (Some(text), Some(r)) => {
                let again = crate::product::product_from_text(text, Format::Json).expect("valid");
                let product: serde_json::Value =
                    serde_json::from_str(&again.to_json()).expect("JSON");
                assert_eq!(json["product"], product, "{name}");
                assert!(csv.ends_with(&format!("\n{}", r.to_csv())), "{name}");
            }
            _ => {
                assert!(json.get("product").is_none(), "{name}");
                assert_eq!(csv, c.report.to_csv(), "{name}");
            }
        }
    }
}

#[test]
fn every_problem_is_reported_at_its_key() {
    let form = Form {
        name: "Bad".into(),
        inputs: vec![
            InputRow {
                group: "MF5".into(),
                virgin: -1.0,
                ..InputRow::default()
            },
            InputRow {
                group: "MF2".into(),
                renewable: 3.0,
                recycled: f64::NAN,
                ..InputRow::default()
            },
        ],
        products: vec![ProductRow {
            name: "Chair".into(),
            group: "mf2".into(),
            mass: 1.0,
        }],
        waste: vec![WasteRow {
            name: "Scrap".into(),
            group: "MF2".into(),
            mass: 1.0,
            treatment: "recyling".into(),
        }],
        design: Some(Design {
            product: "Chiar".into(),
            ..Design::default()
        }),
        ..Form::default()
    };
    let err = calculate(&form).expect_err("invalid");
    assert_eq!(
        paths(&err),
        [
            "inputs[0].group",
            "inputs[0].virgin",
            "inputs[1].recycled",
            "inputs[1].renewable",
            "products[0].group",
            "waste[0].treatment",
            "design.product",
        ]
    );
    let text: Vec<String> = err.iter().map(ToString::to_string).collect();
    assert!(text[0].starts_with("form: error: inputs[0].group: unknown material group \"MF5\""));
    assert!(
        text[5].contains("did you mean \"recycling\"?"),
        "{}",
        text[5]
    );
    assert!(text[6].contains("did you mean \"Chair\"?"), "{}", text[6]);
}

#[test]
fn too_many_rows_is_an_error_not_a_slow_page() {
    let form = Form {
        name: "Big".into(),
        waste: vec![WasteRow::default(); MAX_ROWS + 1],
        ..Form::default()
    };
    let err = calculate(&form).expect_err("too big");
    assert_eq!(paths(&err), ["waste"]);
    assert!(
        err[0]
            .message
            .contains("more than the calculator takes (500)")
    );
}

#[test]
fn outputs_beyond_inputs_come_out_of_stock_with_a_warning() {
    let form = Form {
        name: "Short".into(),
        inputs: vec![InputRow {
            group: "MF2".into(),
            virgin: 10.0,
            ..InputRow::default()
        }],
        products: vec![ProductRow {
            name: "Beams".into(),
            group: "MF2".into(),
            mass: 12.0,
        }],
        ..Form::default()
    };
    let c = calculate(&form).expect("valid, with a warning");
    assert_eq!(c.warnings.len(), 1);
    assert!(
        c.warnings[0]
            .message
            .contains("MF2: products and waste (12 t) exceed the inputs (10 t)"),
        "{}",
        c.warnings[0]
    );
    assert_eq!(
        account(&c.report, AccountLine::NetAdditionsToStock),
        12.0 - 2.0
    );
}

#[test]
fn design_problems_point_at_the_design() {
    let mut form = example("workshop").expect("shipped");
    let design = form.design.as_mut().expect("has one");
    design.recycling = Some(1.5);
    design.recycling_efficiency = None;
    design.energy_renewable = Some(500.0);
    let err = calculate(&form).expect_err("invalid design");
    let p = paths(&err);
    assert!(p.iter().all(|p| p.starts_with("design")), "{p:?}");
    assert!(p.contains(&"design.recycling".to_owned()), "{p:?}");
    assert!(p.contains(&"design.energy_renewable".to_owned()), "{p:?}");
    assert!(err.iter().all(|d| d.location.origin == FORM_NAME));
}

#[test]
fn process_names_follow_the_page_language() {
    let mut form = example("workshop").expect("shipped");
    form.names.insert("landfill".into(), "Полігон".into());
    let c = calculate(&form).expect("valid");
    assert!(c.model_json().contains("\"name\": \"Полігон\""));
    assert!(c.model_json().contains("\"name\": \"Virgin materials\""));
}

#[test]
fn an_empty_form_is_valid_and_says_what_is_not_computable() {
    let c = calculate(&Form {
        name: "Nothing yet".into(),
        ..Form::default()
    })
    .expect("valid");
    let metric = c
        .report
        .indicator("cgr.circularity_metric")
        .expect("listed");
    assert!(
        metric.value.is_none() && metric.reason.is_some(),
        "{metric:?}"
    );
}

fn arb_group() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["MF1", "MF2", "MF3", "MF4"]).prop_map(str::to_owned)
}

fn arb_mass() -> impl Strategy<Value = f64> {
    prop_oneof![Just(0.0), 0.0..1e6_f64, (0u32..1000).prop_map(f64::from)]
}

fn arb_form() -> impl Strategy<Value = Form> {
    let input = (arb_group(), arb_mass(), arb_mass(), arb_mass(), arb_mass()).prop_map(
        |(group, virgin, recycled, reused, renewable)| InputRow {
            renewable: if group == "MF1" { renewable } else { 0.0 },
            group,
            name: None,
            virgin,
            recycled,
            reused,
        },
    );
    let product = (0usize..3, arb_group(), arb_mass()).prop_map(|(n, group, mass)| ProductRow {
        name: format!("P{n}"),
        group,
        mass,
    });
    let waste = (
        arb_group(),
        arb_mass(),
        prop::sample::select(TREATMENTS.to_vec()),
    )
        .prop_map(|(group, mass, t)| WasteRow {
            name: "w".into(),
            group,
            mass,
            treatment: t.to_owned(),
        });
    (
        prop::collection::vec(input, 0..5),
        prop::collection::vec(product, 0..5),
        prop::collection::vec(waste, 0..8),
    )
        .prop_map(|(inputs, products, waste)| Form {
            name: "Any".into(),
            inputs,
            products,
            waste,
            ..Form::default()
        })
}

proptest! {
    /// Any form without errors gives a valid, balanced model, whose shares stay in [0, 1].
    #[test]
    fn any_valid_form_gives_a_valid_model(form in arb_form()) {
        let c = calculate(&form).map_err(|d| TestCaseError::fail(format!("{d:?}")))?;
        for id in ["cgr.circularity_metric", "eurostat.cmu_rate", "waste.recycling_rate"] {
            if let Some(v) = c.report.indicator(id).and_then(|i| i.value) {
                prop_assert!((0.0..=1.0).contains(&v), "{id} = {v}");
            }
        }
    }
}

fn arb_share() -> impl Strategy<Value = Option<f64>> {
    // Mostly small fractions (the four end-of-use shares must add up to at most 1), sometimes
    // out of range, so that both valid and invalid designs occur often.
    prop_oneof![
        8 => Just(None),
        8 => (0.0..=0.25_f64).prop_map(Some),
        1 => (-0.5..2.0_f64).prop_map(Some),
    ]
}

fn arb_design() -> impl Strategy<Value = Design> {
    (
        (arb_share(), arb_share(), arb_share(), arb_share()),
        (arb_share(), arb_share(), arb_share()),
        // Lifetimes come in pairs; now and then one alone, which is an error.
        prop_oneof![
            3 => Just((None, None)),
            3 => (0.5..40.0_f64, 0.5..40.0_f64).prop_map(|(l, a)| (Some(l), Some(a))),
            1 => (0.5..40.0_f64).prop_map(|l| (Some(l), None)),
        ],
        // Renewable energy is mostly a part of the total.
        prop_oneof![
            3 => Just((None, None)),
            3 => (0.0..1e4_f64, 0.0..=1.0_f64).prop_map(|(t, r)| (Some(t), Some(t * r))),
            1 => (0.0..1e4_f64, 0.0..1e4_f64).prop_map(|(t, r)| (Some(t), Some(r))),
        ],
    )
        .prop_map(
            |(
                (recycling, reuse, composting, energy_recovery),
                (feedstock_efficiency, recycling_efficiency, recovery_potential),
                (lifetime, average_lifetime),
                (energy_total, energy_renewable),
            )| Design {
                product: "P0".into(),
                lifetime,
                average_lifetime,
                feedstock_efficiency,
                recycling,
                recycling_efficiency,
                reuse,
                composting,
                energy_recovery,
                recovery_potential,
                energy_total,
                energy_renewable,
            },
        )
}

proptest! {
    /// The calculator validates its product document as it is; `circ product` reads the same
    /// document as text. Both give the same report, or the same problems at the same keys (the
    /// text's with lines, which the calculator drops: it points at the form's `design`).
    #[test]
    fn the_product_document_gives_what_its_text_gives(form in arb_form(), design in arb_design()) {
        let mut form = form;
        form.products.push(ProductRow { name: "P0".into(), group: "MF2".into(), mass: 1.0 });
        form.design = Some(design);
        if has_errors(&check(&form)) {
            return Ok(());
        }
        let file = build(&form).product.expect("a design gives a product file");
        let text = serde_json::to_string_pretty(&file).expect("JSON");
        let document = crate::product::product_from_document(&file, PRODUCT_NAME);
        let from_text = crate::product::product_from_text(&text, Format::Json);
        match (document, from_text) {
            (Ok(a), Ok(mut b)) => {
                // The same report; the text's warnings also have lines.
                for w in &mut b.warnings {
                    (w.location.line, w.location.column) = (None, None);
                }
                prop_assert_eq!(a.to_json(), b.to_json());
            }
            (Err(a), Err(b)) => {
                let keys = |d: &[Diagnostic]| -> Vec<(String, String)> {
                    d.iter().map(|d| (d.location.path_text(), d.message.clone())).collect()
                };
                prop_assert_eq!(keys(&a), keys(&b));
            }
            (a, b) => prop_assert!(false, "document {:?}, text {:?}", a.map(|r| r.to_json()), b.map(|r| r.to_json())),
        }
    }
}
