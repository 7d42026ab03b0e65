//! The `[dynamics]` section of a model file, as written: a time axis, dynamic stocks of
//! products by cohort, and yearly shares of the network's flows. `docs/stocks.md` documents
//! each field with a complete example; [`crate::dynamics`] validates it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Dynamic stocks and their projection over a time axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDynamics {
    /// First year of the time axis. Yearly steps.
    pub first_year: i32,
    /// Last year of the time axis (inclusive).
    pub last_year: i32,
    /// When in its year an inflow enters the stock: `end` (survival at ages 0, 1, 2, …, as
    /// ODYM), `middle` (0.5, 1.5, …, flodym's default) or `start` (1, 2, …). Default `middle`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
    /// The dynamic stocks, each of one product held by one process of the network.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stocks: Vec<RawDynamicStock>,
    /// Yearly shares of flows of the network that change over time (collection and treatment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shares: Vec<RawShare>,
}

/// A product in use, by cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDynamicStock {
    /// Id, unique among dynamic stocks.
    pub id: String,
    /// Display name; default the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The process of the network that holds the stock (role use, production or reuse).
    pub process: String,
    /// Unit of the inflow, stock and initial cohorts: a mass unit (`t`, `kt`, `Mt`, `Gt`;
    /// default the model's unit), or a count such as `dwellings`, `vehicles`, `m2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The lifetime distribution.
    pub lifetime: RawLifetime,
    /// Timing convention of this stock; default the section's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
    /// Inflow by year (inflow-driven). Give `inflow` or `stock`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inflow: Option<RawSeries>,
    /// Stock at the end of each year (stock-driven).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<RawSeries>,
    /// The stock at the end of the year before `first_year`, by the year each cohort entered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_cohorts: Option<RawSeries>,
    /// Material content of one unit of the product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub content: Vec<RawContent>,
    /// Lifetimes that change from a given year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifetime_changes: Vec<RawLifetimeChange>,
    /// Id of the source in `meta.sources`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free text: assumptions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A lifetime distribution, in years: `fixed` (mean), `normal` (mean, sd), `folded_normal`
/// (mean, sd of the normal before folding), `lognormal` (mean, sd of the lifetime itself),
/// `weibull` (shape, scale).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLifetime {
    /// `fixed`, `normal`, `folded_normal`, `lognormal` or `weibull`.
    pub dist: String,
    /// Mean lifetime, years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    /// Standard deviation, years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Weibull shape `k`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<f64>,
    /// Weibull scale `λ`, years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<f64>,
}

/// Values by year: `start` and consecutive `values`, or `years` and `values` of the same length.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSeries {
    /// Year of the first value, the others following year by year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i32>,
    /// The year of each value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub years: Option<Vec<i32>>,
    /// The values.
    pub values: Vec<f64>,
}

/// The mass of one material in one unit of product.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawContent {
    /// Material id.
    pub material: String,
    /// For a product measured in mass: the mass fraction (t/t). For a product counted in other
    /// units: the mass per unit, in `unit`.
    pub per_unit: f64,
    /// Mass unit of `per_unit` for counted products; default `t`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A lifetime stretched (or shortened) by a factor from a given year on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLifetimeChange {
    /// First year of the change.
    pub from: i32,
    /// Factor on the mean and standard deviation (Weibull: on the scale); positive.
    pub factor: f64,
    /// `all`: every cohort in stock from that year, old ones included (repair, maintenance;
    /// default). `new`: the cohorts entering from that year (design, material choice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cohorts: Option<String>,
}

/// The share of a process's input (of one material group, or each) that goes to one
/// destination, by year; linear between the years given and constant outside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawShare {
    /// A waste-management process, or a process holding a dynamic stock (its collection).
    pub from: String,
    /// A destination of `from` in the network.
    pub to: String,
    /// A material group (`MF1`…`MF4`, `MIXED`); default every group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Years, increasing.
    pub years: Vec<i32>,
    /// Shares in [0, 1], one per year.
    pub values: Vec<f64>,
}
