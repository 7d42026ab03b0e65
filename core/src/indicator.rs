//! Circularity indicators: definitions with formula and source, and their evaluation.
//!
//! Each [`Indicator`] is a definition: id, name, unit, formula, source and the convention circ
//! chose where the source leaves room. [`evaluate`] turns a model's [`Accounts`] into
//! [`IndicatorValue`]s, each with the inputs it used. An indicator whose inputs are missing is
//! reported as not computable, with the reason; it is never zero.
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

use crate::accounts::{AccountLine, Accounts, Amount, LineValue};
use crate::model::{MaterialGroup, Model, Treatment};

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
}

/// Which slice of an amount an indicator reads.
#[derive(Clone, Copy)]
enum Slice {
    Total,
    Group(MaterialGroup),
}

impl Slice {
    fn of(self, a: &Amount) -> Result<f64, String> {
        match self {
            Slice::Total => Ok(a.total()),
            Slice::Group(g) => a.group(g).ok_or_else(|| {
                "part of it is MIXED material that the data do not split by material group"
                    .to_owned()
            }),
        }
    }
}

/// Evaluates every indicator of a model from its accounts.
#[must_use]
pub fn evaluate(model: &Model, accounts: &Accounts) -> Vec<IndicatorValue> {
    let mut out = Vec::with_capacity(24);
    let slices = std::iter::once(Slice::Total).chain(MaterialGroup::EW_MFA.map(Slice::Group));
    for slice in slices.clone() {
        out.push(ratio(
            &CIRCULARITY_METRIC,
            slice,
            accounts,
            &[AccountLine::SecondaryMaterials],
            &[
                AccountLine::DomesticMaterialConsumption,
                AccountLine::SecondaryMaterials,
            ],
        ));
        if matches!(slice, Slice::Total) {
            let metric = &out[0];
            out.push(IndicatorValue {
                value: metric.value.map(|m| 1.0 - m),
                reason: metric
                    .reason
                    .as_ref()
                    .map(|r| format!("the Circularity Metric is not computable: {r}")),
                inputs: vec![Input {
                    id: CIRCULARITY_METRIC.id.to_owned(),
                    name: CIRCULARITY_METRIC.name.to_owned(),
                    value: metric.value,
                    unit: "fraction".to_owned(),
                }],
                ..blank(&CIRCULARITY_GAP, slice, IndicatorUnit::Fraction)
            });
        }
    }
    for slice in slices {
        out.push(ratio(
            &CMU_RATE,
            slice,
            accounts,
            &[AccountLine::CircularUse],
            &[
                AccountLine::DomesticMaterialConsumption,
                AccountLine::CircularUse,
            ],
        ));
    }
    for t in Treatment::ALL {
        let mut v = ratio(
            &TREATMENT_SHARE,
            Slice::Total,
            accounts,
            &[AccountLine::Treated(t)],
            &[AccountLine::TreatedTotal],
        );
        v.id = format!("{}.{}", TREATMENT_SHARE.id, t.id());
        v.name = format!("Share of waste treated: {}", t.name());
        out.push(v);
    }
    out.push(ratio(
        &RECYCLING_RATE,
        Slice::Total,
        accounts,
        &[AccountLine::CircularUse],
        &[AccountLine::WasteGenerated],
    ));
    out.push(ratio(
        &STOCK_ADDITION_SHARE,
        Slice::Total,
        accounts,
        &[AccountLine::NetAdditionsToStock],
        &[
            AccountLine::DomesticMaterialConsumption,
            AccountLine::SecondaryMaterials,
        ],
    ));
    out.push(per_figure(model, accounts, &DMC_PER_CAPITA));
    out.push(per_figure(model, accounts, &RESOURCE_PRODUCTIVITY));
    out
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
    }
}

/// Reads the `slice` of each line, recording it as an input.
fn read(
    accounts: &Accounts,
    lines: &[AccountLine],
    slice: Slice,
    inputs: &mut Vec<Input>,
) -> Result<Vec<f64>, String> {
    let mut values = Vec::with_capacity(lines.len());
    let mut problem = None;
    for line in lines {
        let value = match accounts.get(*line) {
            LineValue::Known(a) => slice.of(a).map_err(|why| format!("{}: {why}", line.name())),
            LineValue::Missing(why) => Err(format!("{}: {why}", line.name())),
        };
        if inputs.iter().all(|i| i.id != line.id()) {
            inputs.push(Input {
                id: line.id().to_owned(),
                name: line.name().to_owned(),
                value: value.as_ref().ok().copied(),
                unit: "t".to_owned(),
            });
        }
        match value {
            Ok(v) => values.push(v),
            Err(why) => {
                problem.get_or_insert(why);
            }
        }
    }
    problem.map_or(Ok(values), Err)
}

/// `Σ numerator / Σ denominator`, for shares in [0, 1]. Not computable when an input is
/// missing, the denominator is not positive, or DMC (as a part of it) is negative.
fn ratio(
    def: &Indicator,
    slice: Slice,
    accounts: &Accounts,
    numerator: &[AccountLine],
    denominator: &[AccountLine],
) -> IndicatorValue {
    let mut v = blank(def, slice, IndicatorUnit::Fraction);
    let num = read(accounts, numerator, slice, &mut v.inputs);
    let den = read(accounts, denominator, slice, &mut v.inputs);
    let (num, den) = match (num, den) {
        (Ok(n), Ok(d)) => (n, d),
        (Err(why), _) | (_, Err(why)) => {
            v.reason = Some(why);
            return v;
        }
    };
    let dmc_negative = denominator
        .iter()
        .zip(&den)
        .any(|(l, d)| *l == AccountLine::DomesticMaterialConsumption && *d < 0.0);
    let (n, d): (f64, f64) = (num.iter().sum(), den.iter().sum());
    v.value = if dmc_negative {
        v.reason = Some("DMC is negative (exports exceed extraction plus imports), so a share of it has no meaning".into());
        None
    } else if d > 0.0 {
        Some(n / d)
    } else {
        v.reason = Some("the denominator is zero: the model has no material in it".into());
        None
    };
    v
}

/// DMC divided by population, or GDP divided by DMC.
fn per_figure(model: &Model, accounts: &Accounts, def: &Indicator) -> IndicatorValue {
    let per_capita = std::ptr::eq(def, &DMC_PER_CAPITA);
    let economy = model.economy();
    let figure = if per_capita {
        &economy.population
    } else {
        &economy.gdp
    };
    let unit = match (per_capita, figure) {
        (true, _) => IndicatorUnit::TonnesPerCapita,
        (false, Some(gdp)) => IndicatorUnit::CurrencyPerKg(gdp.unit.clone()),
        (false, None) => IndicatorUnit::CurrencyPerKg("currency".to_owned()),
    };
    let mut v = blank(def, Slice::Total, unit);
    let dmc = read(
        accounts,
        &[AccountLine::DomesticMaterialConsumption],
        Slice::Total,
        &mut v.inputs,
    );
    let (fig_id, fig_name) = if per_capita {
        ("economy.population", "Population")
    } else {
        ("economy.gdp", "Gross domestic product")
    };
    v.inputs.push(Input {
        id: fig_id.to_owned(),
        name: fig_name.to_owned(),
        value: figure.as_ref().map(|f| f.value),
        unit: figure.as_ref().map_or_else(String::new, |f| f.unit.clone()),
    });
    let dmc = match dmc {
        Ok(d) => d[0],
        Err(why) => {
            v.reason = Some(why);
            return v;
        }
    };
    let Some(figure) = figure else {
        v.reason = Some(format!(
            "the model gives no {}; add economy.{} with value, unit and source",
            fig_name.to_lowercase(),
            if per_capita { "population" } else { "gdp" }
        ));
        return v;
    };
    if per_capita {
        v.value = Some(dmc / figure.value);
    } else if dmc > 0.0 {
        // DMC is in tonnes; productivity is per kilogram.
        v.value = Some(figure.value / (dmc * 1000.0));
    } else {
        v.reason = Some("DMC is not positive, so GDP per kg of DMC has no meaning".into());
    }
    v
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
