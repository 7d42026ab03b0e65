//! The web calculator's form, and its translation into a model and a product file.
//!
//! The embeddable calculator asks a visitor (an SME, a cluster project) for a few tables: the
//! material inputs of a year by material group (virgin, recycled, reused, renewable), the
//! products sold, and the waste streams with their treatment; optionally how one product is
//! designed and treated at end of use. [`calculate`] turns that [`Form`] into
//!
//! 1. a **process-network model** (the file format of [`format`](mod@crate::format)), which
//!    [`run`](crate::run()) evaluates exactly as `circ run` does with the model file the page
//!    exports; and
//! 2. when the form describes a product, a **product file** (the format of
//!    [`product`](crate::product)), which gives its MCI and CTI exactly as `circ product` does.
//!
//! The translation lives here, not in JavaScript, because it computes: the stock change that
//! balances the project is inputs less products less waste, and front ends do not compute
//! (ARCHITECTURE.md). `docs/web.md` gives the mapping as a table; in short:
//!
//! | form | model |
//! |---|---|
//! | virgin input of group g | flow `virgin` (extraction) → `production` |
//! | renewable input (MF1 only) | flow `renewable` (extraction) → `production` |
//! | recycled input | flow `recycling` (recycling, not balance-checked) → `production`: secondary material |
//! | reused input | flow `reuse` (reuse, not balance-checked) → `production` |
//! | product sold | flow `production` → a `use` process named after the product, whose stock grows by it |
//! | waste stream | flow `production` → `collection` → the treatment's process; "exported for recycling" → `exports` |
//! | inputs − products − waste, by group | stock change of `production` (a warning when negative) |
//!
//! A form leaves nothing unknown: a table row not given is a zero. So the model states, with
//! flows of value 0, that the project neither imports nor exports across its boundary, imports
//! no waste for recycling, and sends nothing to a treatment no stream names; its accounts are
//! then complete, and every indicator that its data allow is computed.

mod check;
mod examples;

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location, PathSegment, has_errors};

use crate::format::{RawFlow, RawMeta, RawModel, RawProcess, RawStockChange, to_json};
use crate::model::{MaterialGroup, Model, Scope};
use crate::product::ProductReport;
use crate::product::format::{RawEnergy, RawMaterial, RawProductFile, RawProductInfo};
use crate::report::{Report, run};
use crate::unit::Unit;
use check::{at_design, check};

pub use examples::{EXAMPLES, Example, example};

/// The most rows one table of a form may have: enough for any SME or cluster project, and small
/// enough that a form pasted by mistake cannot freeze the page.
pub const MAX_ROWS: usize = 500;

/// What a visitor enters in the calculator. Masses are per year, in `unit`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Name of the company or project: the model's name and its production process's.
    pub name: String,
    /// Reference year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Region, such as `UA-63`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Unit of every mass: `t` (default), `kt`, `Mt` or `Gt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Material inputs of the year, by material group.
    #[serde(default)]
    pub inputs: Vec<InputRow>,
    /// Products sold in the year: one row per product and material group.
    #[serde(default)]
    pub products: Vec<ProductRow>,
    /// Waste streams of the year, with their treatment.
    #[serde(default)]
    pub waste: Vec<WasteRow>,
    /// How one of the products is designed and treated at end of use, for its MCI and CTI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design: Option<Design>,
    /// Display names of the fixed processes (`virgin`, `renewable`, `reuse`, `recycling`,
    /// `imports`, `exports`, `collection`, `composting`, `backfilling`, `energy_recovery`,
    /// `incineration`, `landfill`), so that the model and its Sankey diagram speak the page's
    /// language. A name not given is the English default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

/// Material inputs of one material group. Masses in the form's unit; a mass not given is 0.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputRow {
    /// `MF1` (biomass), `MF2` (metal ores), `MF3` (non-metallic minerals), `MF4` (fossil).
    pub group: String,
    /// What the material is, such as "Steel sheet"; kept as the flows' note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Primary (virgin) material that is not renewable.
    #[serde(default)]
    pub virgin: f64,
    /// Material from recycling (secondary material).
    #[serde(default)]
    pub recycled: f64,
    /// Reused products, components or material.
    #[serde(default)]
    pub reused: f64,
    /// Virgin biomass from renewable, sustainably managed sources (MF1 only).
    #[serde(default)]
    pub renewable: f64,
}

/// A product sold, or the part of it of one material group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductRow {
    /// Name of the product; rows with the same name are one product of several materials.
    pub name: String,
    /// Material group of this part: `MF1`…`MF4`.
    pub group: String,
    /// Mass sold in the year.
    #[serde(default)]
    pub mass: f64,
}

/// A waste stream and its treatment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WasteRow {
    /// What the waste is, such as "Steel offcuts"; kept as the flows' note.
    pub name: String,
    /// Material group: `MF1`…`MF4`.
    pub group: String,
    /// Mass in the year.
    #[serde(default)]
    pub mass: f64,
    /// One of [`TREATMENTS`].
    pub treatment: String,
}

/// The treatments a waste stream may go to.
pub const TREATMENTS: [&str; 7] = [
    "recycling",
    "export_recycling",
    "composting",
    "backfilling",
    "energy_recovery",
    "incineration",
    "landfill",
];

/// How one product is designed and what happens to it at end of use: the figures the EMF MCI
/// and the WBCSD CTI need beyond the form's tables. Shares are fractions in [0, 1] and apply to
/// every material of the product; composting applies to its biomass (MF1) only.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Design {
    /// The product, by its name in the products table.
    pub product: String,
    /// L: the product's lifetime, in years (give `average_lifetime` too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<f64>,
    /// L_av: the industry-average lifetime of such products, in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_lifetime: Option<f64>,
    /// E_F: efficiency of the recycling that made the recycled feedstock; needed when an
    /// input of the product's groups is recycled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedstock_efficiency: Option<f64>,
    /// C_R: share collected for recycling at end of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycling: Option<f64>,
    /// E_C: efficiency of that recycling; needed when `recycling` > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycling_efficiency: Option<f64>,
    /// C_U: share going to reuse at end of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse: Option<f64>,
    /// C_C: share of the product's biomass composted at end of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composting: Option<f64>,
    /// C_E: share collected for energy recovery at end of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_recovery: Option<f64>,
    /// CTI: share of the product designed to be fully reusable, recyclable or compostable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_potential: Option<f64>,
    /// Energy used in the year, in MWh, for % renewable energy (give `energy_renewable` too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_total: Option<f64>,
    /// Of which renewable, in MWh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_renewable: Option<f64>,
}

/// What [`calculate`] gives: the documents the form stands for, and their results.
#[derive(Debug, Clone)]
pub struct Calculation {
    /// The model document: [`Calculation::model_json`] is the file the page exports, and
    /// `circ run` on it gives [`report`](Calculation::report).
    pub document: RawModel<'static>,
    /// The validated model (for the Sankey diagram).
    pub model: std::sync::Arc<Model>,
    /// Indicators and accounts of the model.
    pub report: Report,
    /// The product file of [`Form::design`], when the form has one:
    /// [`Calculation::product_json`] is the file the page exports.
    pub product: Option<RawProductFile>,
    /// Its MCI and CTI: what `circ product` gives for [`Calculation::product_json`].
    pub product_report: Option<ProductReport>,
    /// Things the visitor should know, such as outputs that exceed inputs.
    pub warnings: Vec<Diagnostic>,
}

/// The name the calculator gives the model text in messages.
pub const MODEL_NAME: &str = "model.json";
/// The name the calculator gives the product text in messages.
pub const PRODUCT_NAME: &str = "product.json";
/// The origin of the form's own diagnostics.
pub const FORM_NAME: &str = "form";

/// Turns a form into its model and product file, and evaluates both.
///
/// # Errors
/// Every problem of the form, each at its key path (`inputs[2].recycled`), or, for figures of
/// the design that the product rules refuse, at the design's key.
pub fn calculate(form: &Form) -> Result<Calculation, Vec<Diagnostic>> {
    let mut diags = check(form);
    if has_errors(&diags) {
        return Err(diags);
    }
    let built = build(form);
    diags.extend(built.warnings);
    // Validated as the document it is, not as its JSON text read again: the same values, since
    // JSON keeps every float's bits (the TOML ↔ JSON law of tests/tests/laws.rs), at a third
    // of the time of a recompute in the browser.
    let loaded = crate::validate::validate(&built.model, &[], MODEL_NAME);
    // The form's checks make every model valid; should one not be, its problems are the
    // visitor's to see, not a panic.
    let loaded = loaded.map_err(|mut d| {
        diags.append(&mut d);
        std::mem::take(&mut diags)
    })?;
    let report = run(&loaded.model);
    let product_report = match &built.product {
        None => None,
        Some(file) => {
            // Validated as the document it is, as the model is above; a test holds the report
            // to what `circ product` gives for the text.
            match crate::product::product_from_document(file, PRODUCT_NAME) {
                Ok(mut r) => {
                    diags.extend(r.warnings.drain(..).map(at_design));
                    Some(r)
                }
                Err(d) => {
                    diags.extend(d.into_iter().map(at_design));
                    return Err(diags);
                }
            }
        }
    };
    Ok(Calculation {
        document: built.model,
        model: loaded.model,
        report,
        product: built.product,
        product_report,
        warnings: diags,
    })
}

impl Calculation {
    /// The model as pretty JSON, the bytes `circ convert` writes (less the final newline).
    #[must_use]
    pub fn model_json(&self) -> String {
        to_json(&self.document)
    }

    /// The product file as pretty JSON, when the form has a design: written when asked for
    /// (the page exports it), not on every edit.
    #[must_use]
    pub fn product_json(&self) -> Option<String> {
        self.product.as_ref().map(|file| {
            serde_json::to_string_pretty(file).expect("a product file always serialises to JSON")
        })
    }

    /// The results the page exports, as pretty JSON: `{"report": …, "product": …}`, the report
    /// as `circ run --format json` gives it for [`model_json`](Calculation::model_json) and the
    /// product report as `circ product --format json` gives it for the product file (left out
    /// without a design).
    #[must_use]
    pub fn results_json(&self) -> String {
        #[derive(Serialize)]
        struct Results<'a> {
            report: &'a Report,
            #[serde(skip_serializing_if = "Option::is_none")]
            product: Option<&'a ProductReport>,
        }
        serde_json::to_string_pretty(&Results {
            report: &self.report,
            product: self.product_report.as_ref(),
        })
        .expect("a report always serialises to JSON")
    }

    /// The results as CSV: the report as `circ run --format csv` gives it, then, after an
    /// empty line, the product report as `circ product --format csv` gives it.
    #[must_use]
    pub fn results_csv(&self) -> String {
        let mut text = self.report.to_csv();
        if let Some(product) = &self.product_report {
            text.push('\n');
            text.push_str(&product.to_csv());
        }
        text
    }
}

/// The documents a valid form stands for.
#[derive(Debug)]
struct Built {
    model: RawModel<'static>,
    product: Option<RawProductFile>,
    warnings: Vec<Diagnostic>,
}

/// The fixed processes, in the order the model lists them: id, role, default name, balanced.
const FIXED: [(&str, &str, &str, bool); 12] = [
    ("virgin", "extraction", "Virgin materials", true),
    ("renewable", "extraction", "Renewable materials", true),
    ("imports", "import", "Imports", true),
    ("reuse", "reuse", "Reused parts and products", false),
    ("recycling", "recycling", "Recycling", false),
    ("collection", "collection", "Waste collection", true),
    ("composting", "composting", "Composting", false),
    ("backfilling", "backfilling", "Backfilling", true),
    (
        "energy_recovery",
        "energy_recovery",
        "Energy recovery",
        true,
    ),
    ("incineration", "incineration", "Incineration", true),
    ("landfill", "landfill", "Landfill", true),
    ("exports", "export", "Exports", true),
];

/// Flows keyed by (from, to, group), summed in the order rows come, with the rows' names as
/// note. A vector, not a map: a form has a few dozen such keys, and every map type is code in
/// the web module.
#[derive(Default)]
struct Flows {
    list: Vec<(FlowKey, f64, Vec<String>)>,
}

/// Origin, destination and material group of a flow.
type FlowKey = (&'static str, String, MaterialGroup);

impl Flows {
    fn add(
        &mut self,
        from: &'static str,
        to: &str,
        group: MaterialGroup,
        value: f64,
        note: Option<&str>,
    ) {
        let i = match self
            .list
            .iter()
            .position(|((f, t, g), _, _)| *f == from && t == to && *g == group)
        {
            Some(i) => i,
            None => {
                self.list
                    .push(((from, to.to_owned(), group), 0.0, Vec::new()));
                self.list.len() - 1
            }
        };
        let entry = &mut self.list[i];
        entry.1 += value;
        if let Some(n) = note.map(str::trim).filter(|n| !n.is_empty())
            && !entry.2.iter().any(|e| e == n)
        {
            entry.2.push(n.to_owned());
        }
    }

    fn touches(&self, process: &str) -> bool {
        self.list
            .iter()
            .any(|((f, t, _), _, _)| *f == process || t == process)
    }
}

fn build(form: &Form) -> Built {
    let mut flows = Flows::default();
    let mut warnings = Vec::new();
    // Inputs, by group: [virgin + renewable + recycled + reused] per group index.
    let mut inputs = [0.0; 5];
    let mut recycled = [0.0; 5];
    let mut reused = [0.0; 5];
    let mut renewable = [0.0; 5];
    let mut any_recycled = false;
    for row in &form.inputs {
        let g = group(&row.group).expect("checked");
        let name = row.name.as_deref();
        for (from, value) in [
            ("virgin", row.virgin),
            ("renewable", row.renewable),
            ("recycling", row.recycled),
            ("reuse", row.reused),
        ] {
            if value > 0.0 {
                flows.add(from, "production", g, value, name);
            }
        }
        any_recycled |= row.recycled > 0.0;
        let i = g.index();
        inputs[i] += row.virgin + row.renewable + row.recycled + row.reused;
        recycled[i] += row.recycled;
        reused[i] += row.reused;
        renewable[i] += row.renewable;
    }
    // True zeros the form implies: no recycled input, no imports, no waste imported for
    // recycling. The first group used stands for all (a zero of any group makes the line known).
    let zero_group = form
        .inputs
        .first()
        .and_then(|r| group(&r.group))
        .unwrap_or(MaterialGroup::Biomass);
    if !any_recycled {
        flows.add("recycling", "production", zero_group, 0.0, None);
    }
    flows.add("imports", "production", zero_group, 0.0, None);
    flows.add("imports", "recycling", zero_group, 0.0, None);

    // Products: one use process per product name, in the order names first appear.
    let mut products: Vec<(String, String)> = Vec::new(); // (process id, name)
    let mut outputs = [0.0; 5];
    let mut stock: Vec<(String, MaterialGroup, f64)> = Vec::new();
    for row in &form.products {
        let g = group(&row.group).expect("checked");
        let name = product_name(row, products.len());
        let id = match products.iter().find(|(_, n)| *n == name) {
            Some((id, _)) => id.clone(),
            None => {
                let id = format!("product-{}", products.len() + 1);
                products.push((id.clone(), name));
                id
            }
        };
        flows.add("production", &id, g, row.mass, None);
        match stock.iter_mut().find(|(p, sg, _)| *p == id && *sg == g) {
            Some(s) => s.2 += row.mass,
            None => stock.push((id, g, row.mass)),
        }
        outputs[g.index()] += row.mass;
    }
    flows.add("production", "exports", zero_group, 0.0, None);

    // Waste: production → collection → treatment, by group.
    let mut treated = [false; TREATMENTS.len()];
    for row in &form.waste {
        let g = group(&row.group).expect("checked");
        let t = TREATMENTS
            .iter()
            .position(|t| *t == row.treatment)
            .expect("checked");
        treated[t] = true;
        flows.add("production", "collection", g, row.mass, Some(&row.name));
        let to = match TREATMENTS[t] {
            "export_recycling" => "exports",
            other => other,
        };
        flows.add("collection", to, g, row.mass, Some(&row.name));
        outputs[g.index()] += row.mass;
    }
    for (t, done) in TREATMENTS.iter().zip(treated) {
        if !done {
            let to = if *t == "export_recycling" {
                "exports"
            } else {
                t
            };
            flows.add("collection", to, zero_group, 0.0, None);
        }
    }
    if form.waste.is_empty() {
        flows.add("production", "collection", zero_group, 0.0, None);
    }

    // What is neither product nor waste stays in production's stock (or, when outputs exceed
    // inputs, comes out of it).
    let unit = form.unit.as_deref().unwrap_or("t").trim();
    let mut production_stock = Vec::new();
    for g in MaterialGroup::ALL {
        let change = inputs[g.index()] - outputs[g.index()];
        if change != 0.0 {
            production_stock.push((g, change));
        }
        if change < 0.0 {
            warnings.push(
                Diagnostic::warning(
                    Location::at(FORM_NAME, vec![key("products")]),
                    format!(
                        "{}: products and waste ({} {unit}) exceed the inputs ({} {unit}); the model takes the difference, {} {unit}, out of stock",
                        g.code(),
                        outputs[g.index()],
                        inputs[g.index()],
                        -change
                    ),
                )
                .with_hint("check the masses of this group's inputs, products and waste streams"),
            );
        }
    }

    let name_of = |id: &str, default: &str| -> String {
        form.names
            .get(id)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .unwrap_or(default)
            .to_owned()
    };
    let mut processes = Vec::new();
    let fixed = |id: &str| FIXED.iter().find(|f| f.0 == id).expect("a fixed process");
    let push_fixed = |processes: &mut Vec<RawProcess>, id: &str| {
        let (id, role, default, balanced) = *fixed(id);
        if flows.touches(id) {
            processes.push(RawProcess {
                id: id.to_owned(),
                name: Some(name_of(id, default)),
                role: role.to_owned(),
                balanced: (!balanced).then_some(false),
            });
        }
    };
    for id in ["virgin", "renewable", "imports", "reuse", "recycling"] {
        push_fixed(&mut processes, id);
    }
    processes.push(RawProcess {
        id: "production".to_owned(),
        name: Some(form.name.trim().to_owned()).filter(|n| !n.is_empty()),
        role: "production".to_owned(),
        balanced: None,
    });
    for (id, name) in &products {
        processes.push(RawProcess {
            id: id.clone(),
            name: Some(name.clone()),
            role: "use".to_owned(),
            balanced: None,
        });
    }
    for id in [
        "collection",
        "composting",
        "backfilling",
        "energy_recovery",
        "incineration",
        "landfill",
        "exports",
    ] {
        push_fixed(&mut processes, id);
    }

    let raw_flows = flows
        .list
        .into_iter()
        .map(|((from, to, group), value, notes)| RawFlow {
            id: None,
            from: Cow::Borrowed(from),
            to: Cow::Owned(to),
            material: Cow::Borrowed(group.code()),
            value: Some(value),
            share: None,
            unit: None,
            uncertainty: None,
            source: None,
            note: (!notes.is_empty()).then(|| Cow::Owned(notes.join("; "))),
        })
        .collect();
    let stock_change = |process: String, g: MaterialGroup, value: f64, note: &str| RawStockChange {
        process,
        material: g.code().to_owned(),
        value: Some(value),
        share: None,
        unit: None,
        uncertainty: None,
        source: None,
        note: Some(note.to_owned()),
    };
    let mut stock_changes: Vec<RawStockChange> = production_stock
        .into_iter()
        .map(|(g, value)| {
            let note = if value > 0.0 {
                "inputs that are neither products sold nor waste: kept in stock, or not reported"
            } else {
                "products and waste beyond the inputs: taken out of stock"
            };
            stock_change("production".to_owned(), g, value, note)
        })
        .collect();
    stock_changes.extend(
        stock
            .into_iter()
            .map(|(id, g, value)| stock_change(id, g, value, "products sold, in use")),
    );

    let model = RawModel {
        meta: RawMeta {
            name: Some(form.name.trim().to_owned())
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "Project".to_owned()),
            region: form.region.clone().filter(|r| !r.trim().is_empty()),
            year: form.year,
            unit: Some(unit.to_owned()),
            scope: Some(Scope::Project),
            description: Some("Built by the circ web calculator from its form (docs/web.md): virgin and renewable inputs are extraction, products sold go into use, waste goes through collection to its treatment, and the project has no imports or exports but waste exported for recycling.".to_owned()),
            balance_tolerance: None,
            sources: Vec::new(),
        },
        materials: Vec::new(),
        processes,
        flows: raw_flows,
        flow_tables: Vec::new(),
        stock_changes,
        economy: None,
        dynamics: None,
    };
    let product = form
        .design
        .as_ref()
        .map(|d| product_file(form, d, unit, [&inputs, &recycled, &reused, &renewable]));
    Built {
        model,
        product,
        warnings,
    }
}

/// The product file of a design: the product's rows by group as its materials, each with the
/// feedstock shares of its group's inputs and the design's end-of-use shares.
fn product_file(form: &Form, d: &Design, unit: &str, by_group: [&[f64; 5]; 4]) -> RawProductFile {
    let [inputs, recycled, reused, renewable] = by_group;
    // The product file's masses are in t (only their ratios count; t keeps them readable).
    let tonnes: Unit = unit.parse().expect("checked");
    let mut mass = [0.0; 5];
    for row in form
        .products
        .iter()
        .enumerate()
        .filter(|(i, r)| product_name(r, *i) == d.product.trim())
        .map(|(_, r)| r)
    {
        mass[group(&row.group).expect("checked").index()] += tonnes.to_tonnes(row.mass);
    }
    let share = |part: f64, whole: f64| (whole > 0.0 && part > 0.0).then(|| part / whole);
    let materials = MaterialGroup::ALL
        .into_iter()
        .filter(|g| mass[g.index()] > 0.0)
        .map(|g| {
            let i = g.index();
            let biological = g == MaterialGroup::Biomass;
            let recycled = share(recycled[i], inputs[i]);
            RawMaterial {
                id: g.code().to_owned(),
                name: Some(g.name().to_owned()),
                mass: mass[i],
                biological: biological.then_some(true),
                recycled,
                reused: share(reused[i], inputs[i]),
                sustained: if biological {
                    share(renewable[i], inputs[i])
                } else {
                    None
                },
                feedstock_efficiency: recycled.and(d.feedstock_efficiency),
                recycling: d.recycling,
                reuse: d.reuse,
                composting: if biological { d.composting } else { None },
                energy_recovery: d.energy_recovery,
                recycling_efficiency: d.recycling_efficiency,
                recovery_potential: d.recovery_potential,
                note: None,
            }
        })
        .collect();
    let energy = match (d.energy_total, d.energy_renewable) {
        (Some(total), renewable) => Some(RawEnergy {
            unit: Some("MWh".to_owned()),
            total,
            renewable: renewable.unwrap_or(0.0),
            note: None,
        }),
        (None, _) => None,
    };
    RawProductFile {
        product: RawProductInfo {
            name: d.product.trim().to_owned(),
            id: None,
            description: Some(format!(
                "Built by the circ web calculator from the form of {} (docs/web.md)",
                form.name.trim()
            )),
            year: form.year,
            method: None,
            mass_unit: Some("t".to_owned()),
            lifetime: d.lifetime,
            average_lifetime: d.average_lifetime,
            uses: None,
            average_uses: None,
            material_tables: Vec::new(),
        },
        energy,
        materials,
    }
}

/// A product row's name, or `Product N` when it has none.
fn product_name(row: &ProductRow, i: usize) -> String {
    let name = row.name.trim();
    if name.is_empty() {
        format!("Product {}", i + 1)
    } else {
        name.to_owned()
    }
}

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

/// The four EW-MFA groups by code; `MIXED` is not offered, since the form's inputs are by group.
fn group(code: &str) -> Option<MaterialGroup> {
    MaterialGroup::from_code(code.trim()).filter(|g| *g != MaterialGroup::Mixed)
}

#[cfg(test)]
mod tests;
