//! The scenario and parameter file formats, as written in TOML or JSON: serde types that mirror
//! the files one to one, and their parsers. [`resolve`](super::resolve) turns them into
//! [`Scenario`](super::Scenario)s and [`Space`](super::space::Space)s bound to a model.
//! `docs/scenarios.md` documents every key with complete examples; `circ scenario --schema` and
//! `circ batch --schema` print the JSON Schemas derived from these types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::format::{Format, SourceText};

/// A scenario file: named scenarios, each a list of interventions on one base model.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "circ scenarios")]
pub struct RawScenarioFile {
    /// The scenarios, compared with the base model and with each other.
    #[serde(default)]
    pub scenarios: Vec<RawScenario>,
}

/// One named scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Name, unique in the file: used in tables, CSV and `circ report --scenario`.
    pub name: String,
    /// What the scenario stands for, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The changes to the base model, applied together. None: the baseline itself.
    #[serde(default)]
    pub interventions: Vec<RawIntervention>,
}

/// One change to the model. `kind` says what it changes and which keys select it:
///
/// - `flow`: a flow, by `flow` (its id) or by `from`, `to` and optionally `material`;
/// - `share`: the share that `from` sends to `to` of its outputs to waste management and
///   disposal (its waste stream; for a waste-management process, all its outputs) of the
///   material group of `material` (default every group); the other outputs of that stream, or
///   those named in `rest`, are scaled in proportion so that the stream keeps its total;
/// - `source`: the flows out of an extraction or import `process`, optionally only to `to` and
///   of `material`;
/// - `stock_change`: the stock change of `process`, optionally of `material` only;
/// - `lifetime`: the mean lifetime (and standard deviation; Weibull: scale) of the dynamic stock
///   `stock`, for `cohorts` `all` (default) or `new`;
/// - `demand`: the inflow or stock path that drives the dynamic stock `stock`.
///
/// The change is `set` (a value in `unit`, default the model's unit; a share as a fraction) or
/// `scale` (a factor). With `years = [start, end]` it ramps linearly from the base value in
/// `start` to the target in `end`, and stays there.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawIntervention {
    /// `flow`, `share`, `source`, `stock_change`, `lifetime` or `demand`.
    pub kind: String,
    /// A flow id (kind `flow`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    /// Origin process id (kinds `flow`, `share`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Destination process id (kinds `flow`, `share`, `source`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Material id; for `share`, its material group is meant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<String>,
    /// Process id (kinds `source`, `stock_change`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// Dynamic stock id (kinds `lifetime`, `demand`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<String>,
    /// For `share`: the destinations that take up the rest of the stream; default every other
    /// destination of the stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest: Option<Vec<String>>,
    /// For `lifetime`: `all` (every cohort in use, default) or `new` (cohorts entering from then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cohorts: Option<String>,
    /// The new value: a mass per year in `unit` (flows, stock changes), or a fraction (shares).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set: Option<f64>,
    /// A factor on the base value: 1.2 is 20 % more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
    /// Unit of `set` for masses: `t`, `kt`, `Mt`, `Gt`; default the model's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `[start, end]`: the change ramps linearly from the base value in `start` to its target
    /// in `end`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<Vec<i32>>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A parameter file for `circ batch` and `circ sensitivity`: the ranges of the quantities varied.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "circ parameters")]
pub struct RawParameterFile {
    /// The parameters, in the order of the output's columns.
    #[serde(default)]
    pub parameters: Vec<RawParameter>,
}

/// One varied quantity: what it changes (the selecting keys of an intervention), how (`op`), and
/// its values: `values` (a grid), or `min` and `max` (with `steps` for a grid; a Latin-hypercube
/// sample draws uniformly between them).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawParameter {
    /// Column name in the output; default a name made from the kind and what it selects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// As an intervention's: `flow`, `share`, `source`, `stock_change`, `lifetime`, `demand`.
    pub kind: String,
    /// As an intervention's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow: Option<String>,
    /// As an intervention's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// As an intervention's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// As an intervention's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub material: Option<String>,
    /// As an intervention's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// As an intervention's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<String>,
    /// As an intervention's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rest: Option<Vec<String>>,
    /// As an intervention's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cohorts: Option<String>,
    /// As an intervention's (for `op = "set"` on masses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `scale` (default): the values are factors on the base value; `set`: they are the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub op: Option<String>,
    /// The values of a grid, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<f64>>,
    /// Lower end of the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Upper end of the range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Points of a grid between `min` and `max`, both included (at least 2; 1 means `min`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
}

fn parse<T: serde::de::DeserializeOwned>(
    src: SourceText<'_>,
    format: Format,
    hint: &str,
) -> Result<T, Vec<Diagnostic>> {
    let result = match format {
        #[cfg(feature = "toml")]
        Format::Toml => {
            toml::from_str::<T>(src.text).map_err(|e| crate::format::toml_error(src, &e))
        }
        #[cfg(not(feature = "toml"))]
        Format::Toml => return Err(vec![crate::format::toml_unavailable(src.name)]),
        Format::Json => {
            crate::format::from_json::<T>(src.text).map_err(|e| (e.location(src.name), e.message))
        }
    };
    result.map_err(|(loc, message)| vec![Diagnostic::error(loc, message).with_hint(hint)])
}

/// Parses a scenario file (TOML or JSON). Syntax and type errors come back with line and column.
///
/// # Errors
/// The syntax or type error.
pub fn parse_scenarios(
    src: SourceText<'_>,
    format: Format,
) -> Result<RawScenarioFile, Vec<Diagnostic>> {
    parse(
        src,
        format,
        "`circ scenario --schema` prints every key a scenario file accepts; docs/scenarios.md has examples",
    )
}

/// Parses a parameter file (TOML or JSON).
///
/// # Errors
/// The syntax or type error.
pub fn parse_parameters(
    src: SourceText<'_>,
    format: Format,
) -> Result<RawParameterFile, Vec<Diagnostic>> {
    parse(
        src,
        format,
        "`circ batch --schema` prints every key a parameter file accepts; docs/scenarios.md has examples",
    )
}

/// The JSON Schema of scenario files, pretty-printed.
#[must_use]
pub fn scenario_schema() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(RawScenarioFile))
        .expect("a JSON Schema always serialises")
}

/// The JSON Schema of parameter files, pretty-printed.
#[must_use]
pub fn parameter_schema() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(RawParameterFile))
        .expect("a JSON Schema always serialises")
}

impl RawParameter {
    /// The intervention this parameter varies, with `value` as its set value or factor.
    #[must_use]
    pub fn intervention(&self, value: f64) -> RawIntervention {
        let set = self.op.as_deref() == Some("set");
        RawIntervention {
            kind: self.kind.clone(),
            flow: self.flow.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            material: self.material.clone(),
            process: self.process.clone(),
            stock: self.stock.clone(),
            rest: self.rest.clone(),
            cohorts: self.cohorts.clone(),
            set: set.then_some(value),
            scale: (!set).then_some(value),
            unit: self.unit.clone(),
            years: None,
            note: None,
        }
    }
}
