//! Circularity indicators: definitions with formula and source, and their evaluation.
//!
//! Each [`Indicator`] is a definition: id, name, unit, formula, source and the convention circ
//! chose where the source leaves room. [`evaluate`] turns a model's [`Accounts`] into
//! [`IndicatorValue`]s, each with the inputs it used. An indicator whose inputs are missing is
//! reported as not computable, with the reason; it is never zero.
//!
//! Each formula is written once (`Formula`, in the table of indicator values): [`values`]
//! evaluates the table on numeric accounts, without allocation, for Monte Carlo samples and
//! scenario batches ([`Evaluator`] re-evaluates a model with other flow values), and
//! [`evaluate`] evaluates the same table and adds names, inputs and reasons.
//!
//! # References
//! - Circle Economy, *The Circularity Gap Report 2020*, and *Measuring circularity: technical
//!   methodology document*, January 2023, <https://www.circularity-gap.world/methodology>.
//! - Eurostat, *Circular material use rate: calculation method*, 2018 edition, KS-GQ-18-013,
//!   and the env_ac_cur metadata, <https://ec.europa.eu/eurostat/cache/metadata/en/env_ac_cur_esms.htm>.
//! - Eurostat, env_wastrt, treatment of waste by waste management operations,
//!   <https://ec.europa.eu/eurostat/databrowser/view/env_wastrt/default/table>.
//! - Eurostat, *Glossary: Material flow indicators*,
//!   <https://ec.europa.eu/eurostat/statistics-explained/index.php?title=Glossary:Material_flow_indicators>.
//! - UNCTAD SDG Pulse, *National recycling rate*,
//!   <https://sdgpulse.unctad.org/glossary/national-recycling-rate/>.

use serde::Serialize;

use crate::accounts::{AccountLine, Accounts, LineValue, Plan, Sums};
use crate::model::{Economy, MaterialGroup, Model, Treatment};
use crate::uncertainty::Spread;

/// The unit of an indicator's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorUnit {
    /// A share, as a fraction in [0, 1]; printed as a percentage.
    Fraction,
    /// Tonnes per person.
    TonnesPerCapita,
    /// Currency units per kilogram, such as EUR/kg.
    CurrencyPerKg(String),
}

impl IndicatorUnit {
    /// The unit as written in output: `fraction`, `t/person`, `EUR/kg`.
    #[must_use]
    pub fn symbol(&self) -> String {
        match self {
            IndicatorUnit::Fraction => "fraction".to_owned(),
            IndicatorUnit::TonnesPerCapita => "t/person".to_owned(),
            IndicatorUnit::CurrencyPerKg(c) => format!("{c}/kg"),
        }
    }
}

/// A published source of a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reference {
    /// Author, title, year.
    pub citation: &'static str,
    /// Where to read it.
    pub url: &'static str,
}

/// The definition of an indicator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// Stable id: `cgr.circularity_metric`.
    pub id: &'static str,
    /// Name.
    pub name: &'static str,
    /// The formula, in the terms of the accounts.
    pub formula: &'static str,
    /// Where the definition comes from.
    pub source: Reference,
    /// The choice circ made where the source leaves room, if any.
    pub convention: Option<&'static str>,
}

const CGR: Reference = Reference {
    citation: "Circle Economy (2020), The Circularity Gap Report 2020; Circle Economy (2023), Measuring circularity: technical methodology document",
    url: "https://www.circularity-gap.world/methodology",
};
const CMU: Reference = Reference {
    citation: "Eurostat (2018), Circular material use rate: calculation method, KS-GQ-18-013; env_ac_cur metadata (2023)",
    url: "https://ec.europa.eu/eurostat/cache/metadata/en/env_ac_cur_esms.htm",
};
const WASTRT: Reference = Reference {
    citation: "Eurostat, env_wastrt: treatment of waste by waste management operations; Waste Framework Directive 2008/98/EC, Annexes I and II",
    url: "https://ec.europa.eu/eurostat/databrowser/view/env_wastrt/default/table",
};
const MFA: Reference = Reference {
    citation: "Eurostat, Glossary: Material flow indicators; Economy-wide material flow accounts handbook, 2018 edition",
    url: "https://ec.europa.eu/eurostat/statistics-explained/index.php?title=Glossary:Material_flow_indicators",
};
const UNCTAD: Reference = Reference {
    citation: "UNCTAD SDG Pulse, National recycling rate (SDG 12.5.1)",
    url: "https://sdgpulse.unctad.org/glossary/national-recycling-rate/",
};

/// The Circularity Metric of the Circularity Gap Report.
pub const CIRCULARITY_METRIC: Indicator = Indicator {
    id: "cgr.circularity_metric",
    name: "Circularity Metric",
    formula: "secondary / (virgin + secondary), virgin = DMC",
    source: CGR,
    convention: Some(
        "Virgin input is DMC (at global scale DMC = DE; at national scale CGR uses the material footprint, which EW-MFA data do not give). Secondary materials are the outputs of recycling and composting processes fed back into production and use; backfilling and energy recovery do not count, as in Eurostat's CMU.",
    ),
};
/// The Circularity Gap: the share of inputs that is not secondary.
pub const CIRCULARITY_GAP: Indicator = Indicator {
    id: "cgr.circularity_gap",
    name: "Circularity Gap",
    formula: "1 − Circularity Metric",
    source: CGR,
    convention: None,
};
/// Eurostat's circular material use rate.
pub const CMU_RATE: Indicator = Indicator {
    id: "eurostat.cmu_rate",
    name: "Circular material use rate",
    formula: "U / (DMC + U), U = RCV_R − IMP_w + EXP_w",
    source: CMU,
    convention: Some(
        "RCV_R is the waste entering recycling and composting processes (R2–R11 without backfilling); IMP_w the flows from import processes into them; EXP_w the flows from collection and sorting into export processes.",
    ),
};
/// Share of treated waste going to one operation.
const TREATMENT_SHARE: Indicator = Indicator {
    id: "waste.treatment_share",
    name: "Share of waste treated",
    formula: "treated by the operation / waste treated in total",
    source: WASTRT,
    convention: Some(
        "Composting counts as recycling (R3). Treated waste includes imported waste and residues of sorting and recycling, as in env_wastrt.",
    ),
};
/// The national recycling rate of SDG 12.5.1.
pub const RECYCLING_RATE: Indicator = Indicator {
    id: "waste.recycling_rate",
    name: "Recycling rate",
    formula: "(RCV_R − IMP_w + EXP_w) / waste generated",
    source: UNCTAD,
    convention: Some("Composting counts as recycling, incineration does not, as UNCTAD says."),
};
/// Share of material inputs added to stock.
pub const STOCK_ADDITION_SHARE: Indicator = Indicator {
    id: "mfa.stock_addition_share",
    name: "Share of inputs added to stock",
    formula: "NAS / (DMC + secondary)",
    source: CGR,
    convention: Some(
        "Material inputs are virgin (DMC) plus secondary, the denominator of the Circularity Metric. Negative when stocks shrink.",
    ),
};
/// DMC per person.
pub const DMC_PER_CAPITA: Indicator = Indicator {
    id: "mfa.dmc_per_capita",
    name: "DMC per capita",
    formula: "DMC / population",
    source: MFA,
    convention: None,
};
/// GDP per kilogram of DMC.
pub const RESOURCE_PRODUCTIVITY: Indicator = Indicator {
    id: "mfa.resource_productivity",
    name: "Resource productivity",
    formula: "GDP / DMC, per kg",
    source: MFA,
    convention: Some(
        "GDP in the currency and prices the model states; Eurostat uses chain-linked volumes (2015) for time series.",
    ),
};

/// Every indicator definition circ evaluates, in output order. Per-group variants of the
/// Circularity Metric and CMU share their definition and add `.mf1`…`.mf4` to the id.
pub const INDICATORS: [&Indicator; 8] = [
    &CIRCULARITY_METRIC,
    &CIRCULARITY_GAP,
    &CMU_RATE,
    &TREATMENT_SHARE,
    &RECYCLING_RATE,
    &STOCK_ADDITION_SHARE,
    &DMC_PER_CAPITA,
    &RESOURCE_PRODUCTIVITY,
];

/// An input an indicator used, with its value in its own unit (tonnes for masses).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    /// The account line or figure id: `mfa.dmc`, `economy.population`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The value used, or `None` if it was missing.
    pub value: Option<f64>,
    /// Unit of the value: `t`, `persons`, or a currency code.
    pub unit: String,
}

/// The value of one indicator for one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorValue {
    /// Stable id, with the group suffix for per-group values: `eurostat.cmu_rate.mf2`.
    pub id: String,
    /// Name, with the group for per-group values.
    pub name: String,
    /// Unit of the value.
    pub unit: String,
    /// The value; `None` when it cannot be computed.
    pub value: Option<f64>,
    /// Why it cannot be computed, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The formula.
    pub formula: &'static str,
    /// The inputs used.
    pub inputs: Vec<Input>,
    /// Where the definition comes from.
    pub source: Reference,
    /// The choice made where the source leaves room.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub convention: Option<&'static str>,
    /// The propagated uncertainty of the value, when asked for (`circ run --uncertainty`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Spread>,
}

/// Which slice of an amount an indicator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slice {
    Total,
    Group(MaterialGroup),
}

/// How an indicator is computed from the accounts: each formula is written once, here, and
/// both [`values`] (numbers only) and [`evaluate`] (with names, inputs and reasons) use it.
#[derive(Debug, Clone, Copy)]
enum Formula {
    /// `Σ numerator / Σ denominator`, a share in [0, 1].
    Ratio {
        numerator: &'static [AccountLine],
        denominator: &'static [AccountLine],
    },
    /// `1 −` the value of the indicator in slot 0 (the Circularity Metric).
    Gap,
    /// DMC / population.
    PerCapita,
    /// GDP / DMC, per kg.
    Productivity,
}

/// One indicator value of the output: a definition, the slice it reads, and its formula.
#[derive(Debug, Clone, Copy)]
struct Slot {
    def: &'static Indicator,
    slice: Slice,
    formula: Formula,
    /// The treatment of a treatment share (for its id and name).
    treatment: Option<Treatment>,
}

use AccountLine as L;
const METRIC_NUM: &[AccountLine] = &[L::SecondaryMaterials];
const METRIC_DEN: &[AccountLine] = &[L::DomesticMaterialConsumption, L::SecondaryMaterials];
const CMU_NUM: &[AccountLine] = &[L::CircularUse];
const CMU_DEN: &[AccountLine] = &[L::DomesticMaterialConsumption, L::CircularUse];
const TREATED_TOTAL: &[AccountLine] = &[L::TreatedTotal];
const WASTE_GENERATED: &[AccountLine] = &[L::WasteGenerated];
const NAS: &[AccountLine] = &[L::NetAdditionsToStock];

/// Number of indicator values of a model, per-group variants included.
pub const COUNT: usize = 20;

/// The ids of the indicator values, in output order: what [`values`] returns is indexed alike.
pub const IDS: [&str; COUNT] = [
    "cgr.circularity_metric",
    "cgr.circularity_gap",
    "cgr.circularity_metric.mf1",
    "cgr.circularity_metric.mf2",
    "cgr.circularity_metric.mf3",
    "cgr.circularity_metric.mf4",
    "eurostat.cmu_rate",
    "eurostat.cmu_rate.mf1",
    "eurostat.cmu_rate.mf2",
    "eurostat.cmu_rate.mf3",
    "eurostat.cmu_rate.mf4",
    "waste.treatment_share.recycling",
    "waste.treatment_share.backfilling",
    "waste.treatment_share.energy_recovery",
    "waste.treatment_share.incineration",
    "waste.treatment_share.landfill",
    "waste.recycling_rate",
    "mfa.stock_addition_share",
    "mfa.dmc_per_capita",
    "mfa.resource_productivity",
];

const fn ratio_slot(
    def: &'static Indicator,
    slice: Slice,
    numerator: &'static [AccountLine],
    denominator: &'static [AccountLine],
) -> Slot {
    Slot {
        def,
        slice,
        formula: Formula::Ratio {
            numerator,
            denominator,
        },
        treatment: None,
    }
}

const fn treatment_slot(t: Treatment, numerator: &'static [AccountLine]) -> Slot {
    Slot {
        def: &TREATMENT_SHARE,
        slice: Slice::Total,
        formula: Formula::Ratio {
            numerator,
            denominator: TREATED_TOTAL,
        },
        treatment: Some(t),
    }
}

const G1: Slice = Slice::Group(MaterialGroup::Biomass);
const G2: Slice = Slice::Group(MaterialGroup::MetalOres);
const G3: Slice = Slice::Group(MaterialGroup::NonMetallicMinerals);
const G4: Slice = Slice::Group(MaterialGroup::FossilEnergy);
const T: Slice = Slice::Total;

/// Every indicator value, in output order (as [`IDS`]).
const SLOTS: [Slot; COUNT] = [
    ratio_slot(&CIRCULARITY_METRIC, T, METRIC_NUM, METRIC_DEN),
    Slot {
        def: &CIRCULARITY_GAP,
        slice: T,
        formula: Formula::Gap,
        treatment: None,
    },
    ratio_slot(&CIRCULARITY_METRIC, G1, METRIC_NUM, METRIC_DEN),
    ratio_slot(&CIRCULARITY_METRIC, G2, METRIC_NUM, METRIC_DEN),
    ratio_slot(&CIRCULARITY_METRIC, G3, METRIC_NUM, METRIC_DEN),
    ratio_slot(&CIRCULARITY_METRIC, G4, METRIC_NUM, METRIC_DEN),
    ratio_slot(&CMU_RATE, T, CMU_NUM, CMU_DEN),
    ratio_slot(&CMU_RATE, G1, CMU_NUM, CMU_DEN),
    ratio_slot(&CMU_RATE, G2, CMU_NUM, CMU_DEN),
    ratio_slot(&CMU_RATE, G3, CMU_NUM, CMU_DEN),
    ratio_slot(&CMU_RATE, G4, CMU_NUM, CMU_DEN),
    treatment_slot(Treatment::Recycling, &[L::Treated(Treatment::Recycling)]),
    treatment_slot(
        Treatment::Backfilling,
        &[L::Treated(Treatment::Backfilling)],
    ),
    treatment_slot(
        Treatment::EnergyRecovery,
        &[L::Treated(Treatment::EnergyRecovery)],
    ),
    treatment_slot(
        Treatment::Incineration,
        &[L::Treated(Treatment::Incineration)],
    ),
    treatment_slot(Treatment::Landfill, &[L::Treated(Treatment::Landfill)]),
    ratio_slot(&RECYCLING_RATE, T, CMU_NUM, WASTE_GENERATED),
    ratio_slot(&STOCK_ADDITION_SHARE, T, NAS, METRIC_DEN),
    Slot {
        def: &DMC_PER_CAPITA,
        slice: T,
        formula: Formula::PerCapita,
        treatment: None,
    },
    Slot {
        def: &RESOURCE_PRODUCTIVITY,
        slice: T,
        formula: Formula::Productivity,
        treatment: None,
    },
];

/// Why a value cannot be computed, without text: [`evaluate`] words it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Why {
    /// An input line is missing.
    Missing(AccountLine),
    /// An input line contains MIXED material, so its group slice is unknown.
    Mixed(AccountLine),
    /// DMC, part of the denominator, is negative.
    DmcNegative,
    /// The denominator is not positive.
    ZeroDenominator,
    /// The model gives no population (per capita) or GDP (productivity).
    NoFigure,
    /// DMC is not positive (productivity).
    DmcNotPositive,
    /// The Circularity Metric is not computable (the gap).
    Metric,
}

/// The indicator values of a model, indexed as [`IDS`]; `None` where not computable.
pub type Values = [Option<f64>; COUNT];

/// Reads the `slice` of a line.
fn slice_of(sums: &Sums, line: AccountLine, slice: Slice) -> Result<f64, Why> {
    let a = sums[line.index()].as_ref().ok_or(Why::Missing(line))?;
    match slice {
        Slice::Total => Ok(a.total()),
        Slice::Group(g) => a.group(g).ok_or(Why::Mixed(line)),
    }
}

/// Sums the slices of lines; the first problem in line order.
fn sum_of(sums: &Sums, lines: &[AccountLine], slice: Slice) -> Result<f64, Why> {
    let mut total = 0.0;
    for line in lines {
        total += slice_of(sums, *line, slice)?;
    }
    Ok(total)
}

/// The one numeric evaluation of a slot. `metric` is the Circularity Metric's result, for the
/// gap.
fn compute(
    slot: &Slot,
    sums: &Sums,
    economy: &Economy,
    metric: Result<f64, Why>,
) -> Result<f64, Why> {
    match slot.formula {
        Formula::Ratio {
            numerator,
            denominator,
        } => {
            let n = sum_of(sums, numerator, slot.slice);
            let d = sum_of(sums, denominator, slot.slice);
            let (n, d) = match (n, d) {
                (Ok(n), Ok(d)) => (n, d),
                (Err(why), _) | (_, Err(why)) => return Err(why),
            };
            let dmc_negative = denominator.contains(&L::DomesticMaterialConsumption)
                && slice_of(sums, L::DomesticMaterialConsumption, slot.slice)? < 0.0;
            if dmc_negative {
                Err(Why::DmcNegative)
            } else if d > 0.0 {
                Ok(n / d)
            } else {
                Err(Why::ZeroDenominator)
            }
        }
        Formula::Gap => metric.map(|m| 1.0 - m).map_err(|_| Why::Metric),
        Formula::PerCapita => {
            let dmc = slice_of(sums, L::DomesticMaterialConsumption, Slice::Total)?;
            let pop = economy.population.as_ref().ok_or(Why::NoFigure)?;
            Ok(dmc / pop.value)
        }
        Formula::Productivity => {
            let dmc = slice_of(sums, L::DomesticMaterialConsumption, Slice::Total)?;
            let gdp = economy.gdp.as_ref().ok_or(Why::NoFigure)?;
            // DMC is in tonnes; productivity is per kilogram.
            if dmc > 0.0 {
                Ok(gdp.value / (dmc * 1000.0))
            } else {
                Err(Why::DmcNotPositive)
            }
        }
    }
}

fn compute_all(sums: &Sums, economy: &Economy) -> [Result<f64, Why>; COUNT] {
    let mut out = [Err(Why::Metric); COUNT];
    for (i, slot) in SLOTS.iter().enumerate() {
        let metric = out[0];
        out[i] = compute(slot, sums, economy, metric);
    }
    out
}

/// Every indicator value from numeric accounts ([`Plan::sums`]): the fast path of Monte Carlo
/// and scenario batches. No allocation; the same numbers [`evaluate`] reports.
#[must_use]
pub fn values(sums: &Sums, economy: &Economy) -> Values {
    compute_all(sums, economy).map(Result::ok)
}

/// Re-evaluates a model's indicators for other flow and stock-change values, without
/// re-validating: the plan of its accounts is computed once.
///
/// ```
/// # use circ_core::{dataset, indicator::Evaluator};
/// let model = dataset("cgr2020").expect("shipped").load().expect("valid").model;
/// let eval = Evaluator::new(&model);
/// let mut flows: Vec<f64> = model.flows().iter().map(|f| f.value).collect();
/// let stocks: Vec<f64> = model.stock_changes().iter().map(|s| s.value).collect();
/// let before = eval.values(&flows, &stocks)[0].expect("computable");
/// flows.iter_mut().for_each(|v| *v *= 2.0); // every flow doubled: the same shares
/// let after = eval.values(&flows, &stocks)[0].expect("computable");
/// assert!((before - after).abs() < 1e-15);
/// ```
#[derive(Debug, Clone)]
pub struct Evaluator {
    plan: Plan,
    economy: Economy,
}

impl Evaluator {
    /// The evaluator of a model's network.
    #[must_use]
    pub fn new(model: &Model) -> Evaluator {
        Evaluator {
            plan: Plan::new(model),
            economy: model.economy().clone(),
        }
    }

    /// The indicator values for these flow and stock-change values (t, in model order).
    #[must_use]
    pub fn values(&self, flows: &[f64], stocks: &[f64]) -> Values {
        values(&self.plan.sums(flows, stocks), &self.economy)
    }

    /// The account lines for these values.
    #[must_use]
    pub fn sums(&self, flows: &[f64], stocks: &[f64]) -> Sums {
        self.plan.sums(flows, stocks)
    }
}

/// Evaluates every indicator of a model from its accounts, each with its inputs, or the reason
/// it cannot be computed.
#[must_use]
pub fn evaluate(model: &Model, accounts: &Accounts) -> Vec<IndicatorValue> {
    let sums: Sums = std::array::from_fn(|i| accounts.get(AccountLine::ALL[i]).known().copied());
    let results = compute_all(&sums, model.economy());
    let mut out: Vec<IndicatorValue> = Vec::with_capacity(COUNT);
    for (slot, result) in SLOTS.iter().zip(results) {
        let unit = match slot.formula {
            Formula::PerCapita => IndicatorUnit::TonnesPerCapita,
            Formula::Productivity => IndicatorUnit::CurrencyPerKg(
                model
                    .economy()
                    .gdp
                    .as_ref()
                    .map_or_else(|| "currency".to_owned(), |g| g.unit.clone()),
            ),
            _ => IndicatorUnit::Fraction,
        };
        let mut v = blank(slot.def, slot.slice, unit);
        if let Some(t) = slot.treatment {
            v.id = format!("{}.{}", TREATMENT_SHARE.id, t.id());
            v.name = format!("Share of waste treated: {}", t.name());
        }
        v.inputs = inputs(slot, &sums, model, &out);
        v.value = result.ok();
        v.reason = result.err().map(|why| reason(why, slot, accounts, &out));
        out.push(v);
    }
    out
}

/// The inputs a slot reads, with their values.
fn inputs(slot: &Slot, sums: &Sums, model: &Model, before: &[IndicatorValue]) -> Vec<Input> {
    let mut inputs: Vec<Input> = Vec::new();
    let mut line_input = |line: AccountLine, slice: Slice| {
        if inputs.iter().all(|i| i.id != line.id()) {
            inputs.push(Input {
                id: line.id().to_owned(),
                name: line.name().to_owned(),
                value: slice_of(sums, line, slice).ok(),
                unit: "t".to_owned(),
            });
        }
    };
    match slot.formula {
        Formula::Ratio {
            numerator,
            denominator,
        } => {
            for line in numerator.iter().chain(denominator) {
                line_input(*line, slot.slice);
            }
        }
        Formula::Gap => {
            return vec![Input {
                id: CIRCULARITY_METRIC.id.to_owned(),
                name: CIRCULARITY_METRIC.name.to_owned(),
                value: before.first().and_then(|m| m.value),
                unit: "fraction".to_owned(),
            }];
        }
        Formula::PerCapita | Formula::Productivity => {
            line_input(L::DomesticMaterialConsumption, Slice::Total);
            let per_capita = matches!(slot.formula, Formula::PerCapita);
            let economy = model.economy();
            let figure = if per_capita {
                &economy.population
            } else {
                &economy.gdp
            };
            let (id, name) = figure_names(per_capita);
            inputs.push(Input {
                id: id.to_owned(),
                name: name.to_owned(),
                value: figure.as_ref().map(|f| f.value),
                unit: figure.as_ref().map_or_else(String::new, |f| f.unit.clone()),
            });
        }
    }
    inputs
}

fn figure_names(per_capita: bool) -> (&'static str, &'static str) {
    if per_capita {
        ("economy.population", "Population")
    } else {
        ("economy.gdp", "Gross domestic product")
    }
}

/// The words for why a value cannot be computed.
fn reason(why: Why, slot: &Slot, accounts: &Accounts, before: &[IndicatorValue]) -> String {
    match why {
        Why::Missing(line) => {
            let detail = match accounts.get(line) {
                LineValue::Missing(w) => w.as_str(),
                LineValue::Known(_) => "",
            };
            format!("{}: {detail}", line.name())
        }
        Why::Mixed(line) => format!(
            "{}: part of it is MIXED material that the data do not split by material group",
            line.name()
        ),
        Why::DmcNegative => "DMC is negative (exports exceed extraction plus imports), so a share of it has no meaning".into(),
        Why::ZeroDenominator => "the denominator is zero: the model has no material in it".into(),
        Why::NoFigure => {
            let per_capita = matches!(slot.formula, Formula::PerCapita);
            format!(
                "the model gives no {}; add economy.{} with value, unit and source",
                figure_names(per_capita).1.to_lowercase(),
                if per_capita { "population" } else { "gdp" }
            )
        }
        Why::DmcNotPositive => "DMC is not positive, so GDP per kg of DMC has no meaning".into(),
        Why::Metric => format!(
            "the Circularity Metric is not computable: {}",
            before
                .first()
                .and_then(|m| m.reason.as_deref())
                .unwrap_or("")
        ),
    }
}

fn blank(def: &Indicator, slice: Slice, unit: IndicatorUnit) -> IndicatorValue {
    let (id, name) = match slice {
        Slice::Total => (def.id.to_owned(), def.name.to_owned()),
        Slice::Group(g) => (
            format!("{}.{}", def.id, g.id_suffix()),
            format!("{}: {}", def.name, g.name()),
        ),
    };
    IndicatorValue {
        id,
        name,
        unit: unit.symbol(),
        value: None,
        reason: None,
        formula: def.formula,
        inputs: Vec::new(),
        source: def.source.clone(),
        convention: def.convention,
        uncertainty: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::accounts;
    use crate::testing::{EVERY_ROLE, model};

    fn values(text: &str) -> Vec<IndicatorValue> {
        let m = model(text);
        evaluate(&m, &accounts(&m))
    }

    fn value(all: &[IndicatorValue], id: &str) -> Option<f64> {
        all.iter()
            .find(|v| v.id == id)
            .unwrap_or_else(|| panic!("no indicator {id}"))
            .value
    }

    fn reason<'a>(all: &'a [IndicatorValue], id: &str) -> &'a str {
        all.iter()
            .find(|v| v.id == id)
            .and_then(|v| v.reason.as_deref())
            .unwrap_or("")
    }

    /// Every indicator of `tests/cases/valid/every_role.toml`, from the account values worked out by hand
    /// in `accounts::tests` and the formulas of this module.
    #[test]
    fn every_indicator_of_the_every_role_network() {
        let all = values(EVERY_ROLE);
        let expected = [
            ("cgr.circularity_metric", 70.0 / 810.0), // S / (DMC + S)
            ("cgr.circularity_gap", 1.0 - 70.0 / 810.0),
            ("cgr.circularity_metric.mf1", 10.0 / 210.0),
            ("cgr.circularity_metric.mf2", 60.0 / 450.0),
            ("cgr.circularity_metric.mf3", 0.0),
            ("cgr.circularity_metric.mf4", 0.0),
            ("eurostat.cmu_rate", 140.0 / 880.0), // U / (DMC + U)
            ("eurostat.cmu_rate.mf1", 40.0 / 240.0),
            ("eurostat.cmu_rate.mf2", 100.0 / 490.0),
            ("eurostat.cmu_rate.mf3", 0.0),
            ("eurostat.cmu_rate.mf4", 0.0),
            ("waste.treatment_share.recycling", 130.0 / 320.0),
            ("waste.treatment_share.backfilling", 20.0 / 320.0),
            ("waste.treatment_share.energy_recovery", 50.0 / 320.0),
            ("waste.treatment_share.incineration", 20.0 / 320.0),
            ("waste.treatment_share.landfill", 100.0 / 320.0),
            ("waste.recycling_rate", 140.0 / 310.0), // U / waste generated
            ("mfa.stock_addition_share", 400.0 / 810.0),
            ("mfa.dmc_per_capita", 7.4), // 740 t / 100 persons
            ("mfa.resource_productivity", 1.2e6 / 740e3), // EUR / kg
        ];
        assert_eq!(
            expected.len(),
            all.len(),
            "{:?}",
            all.iter().map(|v| &v.id).collect::<Vec<_>>()
        );
        for (id, v) in expected {
            assert_eq!(value(&all, id), Some(v), "{id}");
        }
        let shares: f64 = Treatment::ALL
            .iter()
            .map(|t| value(&all, &format!("waste.treatment_share.{}", t.id())).expect("computed"))
            .sum();
        assert!((shares - 1.0).abs() < 1e-15);
    }

    /// The fast path and the full evaluation give the same numbers, bit for bit, in the order
    /// of `IDS`.
    #[test]
    fn values_and_evaluate_agree() {
        for text in [EVERY_ROLE, crate::dataset("cgr2020").expect("shipped").text] {
            let m = model(text);
            let full = evaluate(&m, &accounts(&m));
            let flows: Vec<f64> = m.flows().iter().map(|f| f.value).collect();
            let stocks: Vec<f64> = m.stock_changes().iter().map(|s| s.value).collect();
            let fast = Evaluator::new(&m).values(&flows, &stocks);
            assert_eq!(full.len(), COUNT);
            for ((v, id), f) in full.iter().zip(IDS).zip(fast) {
                assert_eq!(v.id, id);
                assert_eq!(v.value.map(f64::to_bits), f.map(f64::to_bits), "{id}");
            }
        }
    }

    /// Case CMU-1 of ../shared/reference/INDICATORS.md §5: DMC = 900, RCV_R = 120, IMP_w = 30,
    /// EXP_w = 10 give U = 100, M = 1000, CMU = 10 %.
    #[test]
    fn cmu_1() {
        let text = r#"
flows = [
  { from = "mine", to = "economy", material = "MF3", value = 900 },
  { from = "imp", to = "economy", material = "MF3", value = 20 },
  { from = "imp", to = "rec", material = "MF3", value = 30 },
  { from = "economy", to = "exp", material = "MF3", value = 40 },
  { from = "economy", to = "coll", material = "MF3", value = 100 },
  { from = "coll", to = "rec", material = "MF3", value = 90 },
  { from = "coll", to = "exp", material = "MF3", value = 10 },
  { from = "rec", to = "economy", material = "MF3", value = 120 },
]
stock_changes = [{ process = "economy", material = "MF3", value = 900 }]
[meta]
name = "CMU-1"
[[processes]]
id = "mine"
role = "extraction"
[[processes]]
id = "imp"
role = "import"
[[processes]]
id = "exp"
role = "export"
[[processes]]
id = "economy"
role = "use"
[[processes]]
id = "coll"
role = "collection"
[[processes]]
id = "rec"
role = "recycling"
"#;
        let all = values(text);
        assert_eq!(value(&all, "eurostat.cmu_rate"), Some(0.1));
        assert_eq!(value(&all, "eurostat.cmu_rate.mf3"), Some(0.1));
        // The other groups have no material at all.
        assert_eq!(value(&all, "eurostat.cmu_rate.mf1"), None);
        assert!(reason(&all, "eurostat.cmu_rate.mf1").contains("no material"));
    }

    #[test]
    fn missing_inputs_make_indicators_not_computable_with_the_reason() {
        let text = EVERY_ROLE
            .split("[economy]")
            .next()
            .expect("split yields one part")
            .to_owned();
        let all = values(&text);
        assert_eq!(value(&all, "mfa.dmc_per_capita"), None);
        assert!(reason(&all, "mfa.dmc_per_capita").contains("no population"));
        assert_eq!(value(&all, "mfa.resource_productivity"), None);
        // The rest is unaffected.
        assert_eq!(value(&all, "eurostat.cmu_rate"), Some(140.0 / 880.0));
    }

    #[test]
    fn a_negative_dmc_gives_no_share() {
        // 10 t extracted, 30 t exported out of a stock that shrinks by 20 t.
        let text = r#"
flows = [
  { from = "mine", to = "use", material = "MF2", value = 10 },
  { from = "use", to = "exp", material = "MF2", value = 30 },
  { from = "imp", to = "use", material = "MF2", value = 0 },
  { from = "use", to = "rec", material = "MF2", value = 0 },
  { from = "rec", to = "use", material = "MF2", value = 0 },
]
stock_changes = [{ process = "use", material = "MF2", value = -20 }]
[meta]
name = "shrinking"
[[processes]]
id = "mine"
role = "extraction"
[[processes]]
id = "imp"
role = "import"
[[processes]]
id = "exp"
role = "export"
[[processes]]
id = "use"
role = "use"
[[processes]]
id = "rec"
role = "recycling"
"#;
        let all = values(text);
        assert_eq!(value(&all, "cgr.circularity_metric"), None);
        assert!(reason(&all, "cgr.circularity_metric").contains("DMC is negative"));
        assert!(
            reason(&all, "cgr.circularity_gap")
                .starts_with("the Circularity Metric is not computable")
        );
    }

    /// The published CGR figures: 8.65 / 100.6 Gt = 8.6 % (2020), 8.4 / 92.8 Gt = 9.1 % (2018).
    #[test]
    fn shipped_data_sets_reproduce_the_published_metric() {
        for (name, published, secondary, total) in [
            ("cgr2020", 0.086, 8.65e9, 100.65e9),
            ("cgr2018", 0.091, 8.4e9, 92.8e9),
        ] {
            let m = crate::dataset(name)
                .expect("shipped")
                .load()
                .expect("valid")
                .model;
            let all = evaluate(&m, &accounts(&m));
            let metric = value(&all, "cgr.circularity_metric").expect("computable");
            assert_eq!(metric, secondary / total, "{name}");
            assert!(
                (metric - published).abs() < 0.0005,
                "{name}: {metric} rounds to {published}"
            );
        }
    }
}
