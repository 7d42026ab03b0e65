//! Laws that hold for any valid model (proptest): shares lie in [0, 1]; mass is conserved
//! between sources, sinks and stocks; TOML → JSON → TOML gives identical results; reading a
//! model twice gives identical bits.
//!
//! Models are generated as balanced networks with a process of every kind: extraction and
//! imports feed production, which feeds use, exports, emissions and collection; use adds to or
//! draws down its stock and sends waste to collection, nature and landfill; collection sends
//! waste to recycling, every treatment and export; recycling feeds production again. The
//! recycling loop is closed exactly: with `k` the share of production's input that comes back
//! through the loop, production's input is `(DE + IMP + imported waste recycled) / (1 − k)`.

use circ_core::format::{
    RawEconomy, RawFigure, RawFlow, RawMeta, RawModel, RawProcess, RawStockChange, to_json, to_toml,
};
use circ_core::{Format, Report, SourceText, load, run};
use proptest::prelude::*;

/// Shares that sum to 1, from non-negative weights (all-zero weights give equal shares).
fn split(weights: &[f64]) -> Vec<f64> {
    let sum: f64 = weights.iter().sum();
    if sum == 0.0 {
        vec![1.0 / weights.len() as f64; weights.len()]
    } else {
        weights.iter().map(|w| w / sum).collect()
    }
}

#[derive(Debug, Clone)]
struct Group {
    extraction: f64,
    imports: f64,
    waste_imports: f64,
    production: Vec<f64>, // use, export, collection, emission
    use_split: Vec<f64>,  // collection, dissipation, landfill
    use_out: f64,         // outputs of use / its input: < 1 adds to stock, > 1 draws it down
    collection: Vec<f64>, // recycling, landfill, incineration, energy recovery, backfilling, export
    recycling_yield: f64,
}

fn group() -> impl Strategy<Value = Group> {
    let amount = prop_oneof![Just(0.0), 0.0..1e6];
    (
        amount.clone(),
        amount.clone(),
        amount,
        proptest::collection::vec(0.0..1.0f64, 4),
        proptest::collection::vec(0.0..1.0f64, 3),
        0.0..1.5f64,
        proptest::collection::vec(0.0..1.0f64, 6),
        0.0..1.0f64,
    )
        .prop_map(
            |(extraction, imports, waste_imports, p, u, use_out, c, recycling_yield)| Group {
                extraction,
                imports,
                waste_imports,
                production: split(&p),
                use_split: split(&u),
                use_out,
                collection: split(&c),
                recycling_yield,
            },
        )
}

const PROCESSES: [(&str, &str); 13] = [
    ("mine", "extraction"),
    ("imports", "import"),
    ("exports", "export"),
    ("production", "production"),
    ("use", "use"),
    ("collection", "collection"),
    ("recycling", "recycling"),
    ("backfilling", "backfilling"),
    ("energy", "energy_recovery"),
    ("incineration", "incineration"),
    ("landfill", "landfill"),
    ("air", "emission"),
    ("nature", "dissipation"),
];

/// `energy_emits`: whether energy recovery sends its input to the air, or is terminal (a
/// process is terminal as a whole, so this holds for every group).
fn network(groups: &[Group], energy_emits: bool, with_economy: bool) -> RawModel<'static> {
    let mut flows = Vec::new();
    let mut stock_changes = Vec::new();
    for (g, code) in groups.iter().zip(["MF1", "MF2", "MF3", "MF4"]) {
        let mut flow = |from: &'static str, to: &'static str, value: f64| {
            flows.push(RawFlow {
                id: None,
                from: from.into(),
                to: to.into(),
                material: code.into(),
                value: Some(value),
                share: None,
                unit: None,
                uncertainty: None,
                source: None,
                note: None,
            });
        };
        let [to_use, to_export, to_collection, to_air] = g.production[..] else {
            unreachable!("4 shares")
        };
        let [u_coll, u_nature, u_landfill] = g.use_split[..] else {
            unreachable!("3 shares")
        };
        let c = &g.collection;
        // Share of production's input that returns through collection and recycling.
        let to_coll_per_p = to_collection + to_use * g.use_out * u_coll;
        let k = g.recycling_yield * c[0] * to_coll_per_p;
        let p = (g.extraction + g.imports + g.recycling_yield * g.waste_imports) / (1.0 - k);
        let use_in = to_use * p;
        let use_out = g.use_out * use_in;
        let coll_in = to_coll_per_p * p;
        let rec_in = c[0] * coll_in + g.waste_imports;
        let energy_in = c[3] * coll_in;
        flow("mine", "production", g.extraction);
        flow("imports", "production", g.imports);
        flow("imports", "recycling", g.waste_imports);
        flow("recycling", "production", g.recycling_yield * rec_in);
        flow("recycling", "landfill", (1.0 - g.recycling_yield) * rec_in);
        flow("production", "use", use_in);
        flow("production", "exports", to_export * p);
        flow("production", "collection", to_collection * p);
        flow("production", "air", to_air * p);
        flow("use", "collection", u_coll * use_out);
        flow("use", "nature", u_nature * use_out);
        flow("use", "landfill", u_landfill * use_out);
        flow("collection", "recycling", c[0] * coll_in);
        flow("collection", "landfill", c[1] * coll_in);
        flow("collection", "incineration", c[2] * coll_in);
        flow("collection", "energy", energy_in);
        flow("collection", "backfilling", c[4] * coll_in);
        flow("collection", "exports", c[5] * coll_in);
        if energy_emits {
            flow("energy", "air", energy_in);
        }
        stock_changes.push(RawStockChange {
            process: "use".into(),
            material: code.into(),
            value: Some(use_in - use_out),
            share: None,
            unit: None,
            uncertainty: None,
            source: None,
            note: None,
        });
    }
    RawModel {
        meta: RawMeta {
            name: "generated".into(),
            region: None,
            year: Some(2024),
            unit: Some("kt".into()),
            scope: None,
            description: None,
            // The recycling loop is closed by a division: allow rounding of a few ulps.
            balance_tolerance: Some(1e-12),
            sources: Vec::new(),
        },
        materials: Vec::new(),
        processes: PROCESSES
            .iter()
            .map(|(id, role)| RawProcess {
                id: (*id).into(),
                name: None,
                role: (*role).into(),
                balanced: None,
            })
            .collect(),
        flows,
        flow_tables: Vec::new(),
        stock_changes,
        economy: with_economy.then(|| RawEconomy {
            gdp: Some(RawFigure {
                value: 1e9,
                unit: "EUR".into(),
                source: None,
            }),
            population: Some(RawFigure {
                value: 1e6,
                unit: "persons".into(),
                source: None,
            }),
        }),
        dynamics: None,
    }
}

fn load_text(text: &str, format: Format) -> Report {
    let loaded = load(
        SourceText {
            name: "generated",
            text,
        },
        format,
        &|_| Err("no tables".into()),
    )
    .unwrap_or_else(|d| {
        panic!(
            "{}\n{text}",
            d.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    run(&loaded.model)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn shares_lie_in_zero_one(groups in proptest::collection::vec(group(), 4), emits in any::<bool>(), economy in any::<bool>()) {
        let report = load_text(&to_json(&network(&groups, emits, economy)), Format::Json);
        for i in &report.indicators {
            if let Some(v) = i.value {
                prop_assert!(v.is_finite(), "{} = {v}", i.id);
                if i.unit == "fraction" && i.id != "mfa.stock_addition_share" {
                    prop_assert!((0.0..=1.0).contains(&v), "{} = {v}", i.id);
                }
            } else {
                prop_assert!(i.reason.is_some(), "{} has neither value nor reason", i.id);
            }
        }
        // Net additions to stock are signed: their share is at most 1, and negative only when
        // stocks shrink.
        if let Some(v) = report.indicator("mfa.stock_addition_share").and_then(|i| i.value) {
            prop_assert!(v <= 1.0 + 1e-12, "stock share {v}");
        }
    }

    #[test]
    fn mass_is_conserved(groups in proptest::collection::vec(group(), 4), emits in any::<bool>()) {
        let report = load_text(&to_json(&network(&groups, emits, false)), Format::Json);
        let line = |id: &str| report.accounts.iter().find(|a| a.id == id).and_then(|a| a.total).unwrap_or_else(|| panic!("{id}"));
        // What enters (DE + IMP) leaves (EXP, emissions, dissipation, landfill, terminal
        // treatments) or stays (net additions to stock).
        let terminal = line("waste.treated.incineration") + line("waste.treated.backfilling")
            + if emits { 0.0 } else { line("waste.treated.energy_recovery") };
        let inputs = line("mfa.dmi");
        let outputs = line("mfa.exp") + line("output.emissions") + line("output.dissipative") + line("waste.treated.landfill") + terminal + line("stock.net_additions");
        let scale = inputs.max(outputs).max(1.0);
        prop_assert!((inputs - outputs).abs() <= 1e-9 * scale, "in {inputs} out {outputs}");
    }

    #[test]
    fn toml_json_toml_gives_identical_results(groups in proptest::collection::vec(group(), 4), emits in any::<bool>(), economy in any::<bool>()) {
        let model = network(&groups, emits, economy);
        let from_json = load_text(&to_json(&model), Format::Json);
        let toml1 = to_toml(&model).expect("finite values write as TOML");
        let from_toml = load_text(&toml1, Format::Toml);
        prop_assert_eq!(&from_json, &from_toml);
        // And back again: the document read from TOML writes the same TOML.
        let loaded = load(SourceText { name: "t", text: &toml1 }, Format::Toml, &|_| Err(String::new())).expect("valid");
        let reread = loaded.document.expect("load keeps the document");
        let toml2 = to_toml(&reread).expect("finite");
        prop_assert_eq!(&toml1, &toml2);
        let json2 = to_json(&reread);
        prop_assert_eq!(load_text(&json2, Format::Json), from_json);
    }
}
