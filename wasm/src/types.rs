//! The objects of the JavaScript API, with their TypeScript types (tsify).
//!
//! The calculator's form mirrors `circ_core::calculator::Form` field for field: core knows
//! nothing of JavaScript (ARCHITECTURE.md), so the TypeScript declarations live here; the test
//! below stops compiling when the two drift apart, and checks that they read and write the same
//! JSON. Values cross the boundary as JSON (see `to_ts` in lib.rs); big documents (models,
//! reports) as JSON text, so that the page gets the CLI's bytes.

use std::collections::BTreeMap;

use circ_core::diagnostic::Severity;
use serde::{Deserialize, Serialize};
use tsify::Tsify;

/// What a visitor enters in the calculator; masses per year in `unit`. docs/web.md maps every
/// field to the model it becomes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct Form {
    /// Name of the company or project.
    pub name: String,
    /// Reference year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub year: Option<i32>,
    /// Region, such as `UA-63`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub region: Option<String>,
    /// `t` (default), `kt`, `Mt` or `Gt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub unit: Option<String>,
    /// Material inputs by group.
    #[serde(default)]
    pub inputs: Vec<InputRow>,
    /// Products sold: one row per product and material group.
    #[serde(default)]
    pub products: Vec<ProductRow>,
    /// Waste streams with their treatment.
    #[serde(default)]
    pub waste: Vec<WasteRow>,
    /// How one product is designed and treated at end of use (MCI, CTI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub design: Option<Design>,
    /// Display names of the fixed processes, by id (`virgin`, `recycling`, `landfill`…).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[tsify(optional, type = "Record<string, string>")]
    pub names: BTreeMap<String, String>,
}

/// Material inputs of one group (`MF1`…`MF4`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct InputRow {
    /// `MF1` biomass, `MF2` metal ores, `MF3` non-metallic minerals, `MF4` fossil.
    pub group: String,
    /// What the material is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub name: Option<String>,
    /// Primary material that is not renewable.
    #[serde(default)]
    #[tsify(optional)]
    pub virgin: f64,
    /// Material from recycling.
    #[serde(default)]
    #[tsify(optional)]
    pub recycled: f64,
    /// Reused products, components or material.
    #[serde(default)]
    #[tsify(optional)]
    pub reused: f64,
    /// Virgin biomass from renewable, sustainably managed sources (MF1 only).
    #[serde(default)]
    #[tsify(optional)]
    pub renewable: f64,
}

/// A product sold, or its part of one material group.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct ProductRow {
    /// Rows with the same name are one product.
    pub name: String,
    /// `MF1`…`MF4`.
    pub group: String,
    /// Mass sold in the year.
    #[serde(default)]
    #[tsify(optional)]
    pub mass: f64,
}

/// A waste stream.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct WasteRow {
    /// What the waste is.
    pub name: String,
    /// `MF1`…`MF4`.
    pub group: String,
    /// Mass in the year.
    #[serde(default)]
    #[tsify(optional)]
    pub mass: f64,
    /// `recycling`, `export_recycling`, `composting`, `backfilling`, `energy_recovery`,
    /// `incineration` or `landfill`.
    pub treatment: String,
}

/// A product's design and end of use, for its MCI and CTI. Shares are fractions in [0, 1].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Tsify)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // the fields are documented in circ_core::calculator::Design
pub struct Design {
    pub product: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub lifetime: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub average_lifetime: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub feedstock_efficiency: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub recycling: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub recycling_efficiency: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub reuse: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub composting: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub energy_recovery: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub recovery_potential: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub energy_total: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub energy_renewable: Option<f64>,
}

/// A problem, as structured data: the CLI prints `text`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// `"error"` stops the model from being used; `"warning"` does not.
    pub severity: String,
    /// The document: `model.json`, `product.json`, `form`.
    pub origin: String,
    /// The key path inside it, such as `flows[3].to`; empty for the whole document.
    pub path: String,
    /// Line, from 1, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub line: Option<u32>,
    /// Column, from 1, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub column: Option<u32>,
    /// What is wrong.
    pub message: String,
    /// What would fix it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub hint: Option<String>,
    /// The whole diagnostic as `circ validate` prints it.
    pub text: String,
}

/// An embedded data set (a process-network model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct DatasetInfo {
    /// Name, as `circ run --dataset NAME` takes it.
    pub name: String,
    /// One-line title.
    pub title: String,
    /// The published figure it reproduces.
    pub reproduces: String,
    /// True for the data set `circ run` uses when given no model.
    pub is_default: bool,
}

/// An example form of the calculator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExampleInfo {
    /// Name, as the `example` attribute of `<circ-calculator>` takes it.
    pub name: String,
    /// One-line title.
    pub title: String,
    /// True for the example the calculator starts from by default.
    pub is_default: bool,
}

/// What `calculate` gives for a form: the numbers the page shows, computed by core. The files
/// behind them come from `calculatorFiles`; `indicators()` and `product()` on those give the full
/// reports, the bytes of `circ run` and `circ product`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Calculation {
    /// The indicators of the model, in the order of `circ run`.
    pub indicators: Vec<IndicatorView>,
    /// The MCI and CTI of the designed product, when the form has a design.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub product: Option<Vec<IndicatorView>>,
    /// Warnings about the form (errors are thrown).
    pub warnings: Vec<Diagnostic>,
}

/// One indicator's value, as `circ run --format json` gives it, less its inputs and sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
pub struct IndicatorView {
    /// Stable id: `cgr.circularity_metric`.
    pub id: String,
    /// Name, in English (the page translates by id).
    pub name: String,
    /// `fraction` (a share in [0, 1]), or the unit of the value.
    pub unit: String,
    /// The value, or `null` when it cannot be computed.
    #[tsify(type = "number | null")]
    pub value: Option<f64>,
    /// Why it cannot be computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub reason: Option<String>,
    /// The formula.
    pub formula: String,
}

/// The documents a form stands for, to export or to hand to `indicators()` and `product()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
pub struct CalculatorFiles {
    /// The model, as JSON text: `circ run` reads it.
    pub model: String,
    /// The product file of the form's design, as JSON text: `circ product` reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[tsify(optional)]
    pub product: Option<String>,
}

impl From<&circ_core::IndicatorValue> for IndicatorView {
    fn from(i: &circ_core::IndicatorValue) -> IndicatorView {
        IndicatorView {
            id: i.id.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            value: i.value,
            reason: i.reason.clone(),
            formula: i.formula.to_owned(),
        }
    }
}

/// The problems of a model: `valid` when none of them is an error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Validation {
    /// True when the model has no error (it may have warnings).
    pub valid: bool,
    /// Every error and warning, in the order `circ validate` prints them.
    pub problems: Vec<Diagnostic>,
}

/// What is embedded: the data sets and the calculator's example forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
pub struct Catalog {
    /// Process-network models (`datasetModel(name)`).
    pub datasets: Vec<DatasetInfo>,
    /// Calculator forms (`exampleForm(name)`).
    pub examples: Vec<ExampleInfo>,
}

/// The limits of the web module, so that no input freezes the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// The longest text (model, product or company file) any function reads, in bytes.
    pub max_text_bytes: u32,
    /// The most rows of one table of a calculator form.
    pub max_form_rows: u32,
}

impl From<&circ_core::Diagnostic> for Diagnostic {
    fn from(d: &circ_core::Diagnostic) -> Diagnostic {
        Diagnostic {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .to_owned(),
            origin: d.location.origin.clone(),
            path: d.location.path_text(),
            line: d.location.line,
            column: d.location.column,
            message: d.message.clone(),
            hint: d.hint.clone(),
            text: d.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use circ_core::calculator as core_calc;

    // The mirror's fields, one by one: this stops compiling when core's form changes.
    impl From<Form> for core_calc::Form {
        fn from(f: Form) -> core_calc::Form {
            core_calc::Form {
                name: f.name,
                year: f.year,
                region: f.region,
                unit: f.unit,
                inputs: f
                    .inputs
                    .into_iter()
                    .map(|r| core_calc::InputRow {
                        group: r.group,
                        name: r.name,
                        virgin: r.virgin,
                        recycled: r.recycled,
                        reused: r.reused,
                        renewable: r.renewable,
                    })
                    .collect(),
                products: f
                    .products
                    .into_iter()
                    .map(|r| core_calc::ProductRow {
                        name: r.name,
                        group: r.group,
                        mass: r.mass,
                    })
                    .collect(),
                waste: f
                    .waste
                    .into_iter()
                    .map(|r| core_calc::WasteRow {
                        name: r.name,
                        group: r.group,
                        mass: r.mass,
                        treatment: r.treatment,
                    })
                    .collect(),
                design: f.design.map(|d| core_calc::Design {
                    product: d.product,
                    lifetime: d.lifetime,
                    average_lifetime: d.average_lifetime,
                    feedstock_efficiency: d.feedstock_efficiency,
                    recycling: d.recycling,
                    recycling_efficiency: d.recycling_efficiency,
                    reuse: d.reuse,
                    composting: d.composting,
                    energy_recovery: d.energy_recovery,
                    recovery_potential: d.recovery_potential,
                    energy_total: d.energy_total,
                    energy_renewable: d.energy_renewable,
                }),
                names: f.names,
            }
        }
    }

    /// The mirror reads every shipped example as core does and writes it back alike, so the two
    /// forms have the same fields and the same serde names.
    #[test]
    fn the_form_mirrors_core() {
        for e in core_calc::EXAMPLES {
            let mirror: Form = serde_json::from_str(e.text).expect("the mirror reads it");
            let core: core_calc::Form = serde_json::from_str(e.text).expect("core reads it");
            assert_eq!(core_calc::Form::from(mirror.clone()), core);
            assert_eq!(
                serde_json::to_value(&mirror).expect("serialises"),
                serde_json::to_value(&core).expect("serialises")
            );
        }
    }
}
