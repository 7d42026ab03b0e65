//! The indicators of a product, a company or a process network: the [`ProductReport`] and how it
//! is built from a product or a company. Its renderings are in `render.rs`.

use serde::Serialize;

use super::cti::{self, Masses};
use super::mci::{self, MciTerms};
use super::{Company, Method, Product, Weighting};
use crate::diagnostic::Diagnostic;
use crate::indicator::{IndicatorValue, Input};
use crate::report::VERSION;

/// What a report describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// One product, per unit.
    Product,
    /// A company, its business units and product lines, per year.
    Company,
    /// A project or company described as a process network.
    Network,
}

/// The level of an entity in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The whole company.
    Company,
    /// A business unit.
    BusinessUnit,
    /// A product or product line.
    Product,
    /// A process network.
    Network,
}

impl Level {
    /// The word used in output.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Level::Company => "Company",
            Level::BusinessUnit => "Business unit",
            Level::Product => "Product",
            Level::Network => "Process network",
        }
    }

    /// The id used in CSV: `company`, `business_unit`, `product`, `network`.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Level::Company => "company",
            Level::BusinessUnit => "business_unit",
            Level::Product => "product",
            Level::Network => "network",
        }
    }
}

/// The MCI terms of one material of a product, per unit of product, and its CTI shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialRow {
    /// Material id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// M_k, in the report's mass unit.
    pub mass: f64,
    /// V_k: virgin feedstock.
    pub virgin: f64,
    /// W_0,k: unrecoverable waste.
    pub unrecoverable: f64,
    /// W_C,k: waste of recycling at end of use.
    pub recycling_waste: f64,
    /// W_F,k: waste of making the recycled feedstock.
    pub feedstock_waste: f64,
    /// Whether energy recovery was credited as C_E.
    pub energy_recovery_credited: bool,
    /// CTI % circular inflow of the material, F_R + F_U + F_S.
    pub circular_inflow: f64,
    /// CTI % circular outflow of the material, recovery potential × actual recovery, when
    /// computable.
    pub circular_outflow: Option<f64>,
}

/// A product, business unit, company or network, with its indicator values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// What it is.
    pub level: Level,
    /// Its id in the file.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Indicator values, each with formula, inputs and source, or the reason it is not
    /// computable.
    pub indicators: Vec<IndicatorValue>,
    /// For products: the MCI terms by material.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<MaterialRow>,
}

impl Entity {
    /// The indicator with this id.
    #[must_use]
    pub fn indicator(&self, id: &str) -> Option<&IndicatorValue> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// Everything `circ product` or `circ company` computes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductReport {
    /// The circ version that computed it.
    pub circ: &'static str,
    /// What the report describes.
    pub kind: ReportKind,
    /// Name of the product, company or network.
    pub name: String,
    /// Free text from the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Reference year.
    pub year: Option<i32>,
    /// EMF MCI method, for product and company files.
    pub method: Option<Method>,
    /// How company and business-unit MCIs weight product lines.
    pub weighting: Option<Weighting>,
    /// Unit of every mass in the report.
    pub mass_unit: String,
    /// What the masses are per: a unit of product, or a year.
    pub basis: &'static str,
    /// The company first, then business units, then products; or the one product or network.
    pub entities: Vec<Entity>,
    /// Problems of the file that did not stop the computation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Diagnostic>,
}

/// Turns values that overflowed (an infinite or NaN result of finite but huge inputs, such as a
/// feedstock efficiency of 1e−300) into a reason, so that no report carries a non-number.
pub(crate) fn guard(mut report: ProductReport) -> ProductReport {
    for i in report.entities.iter_mut().flat_map(|e| &mut e.indicators) {
        for input in &mut i.inputs {
            input.value = input.value.filter(|v| v.is_finite());
        }
        if i.value.is_some_and(|v| !v.is_finite()) {
            i.value = None;
            i.reason = Some("the computation overflowed: some masses, revenues or wastes are too large (or an efficiency too small) to compute with".to_owned());
        }
    }
    report
}

/// The report of a product file.
pub(crate) fn for_product(p: &Product) -> ProductReport {
    guard(ProductReport {
        circ: VERSION,
        kind: ReportKind::Product,
        name: p.name.clone(),
        description: p.description.clone(),
        year: p.year,
        method: Some(p.method),
        weighting: None,
        mass_unit: p.mass_unit.clone(),
        basis: "per unit of product",
        entities: vec![product_entity(
            p,
            "the file gives no energy use; add an [energy] table with total and renewable (MWh, GJ or another unit)",
        )],
        warnings: Vec::new(),
    })
}

/// The report of a company file.
pub(crate) fn for_company(c: &Company) -> ProductReport {
    let mut entities = Vec::with_capacity(1 + c.business_units.len() + c.products.len());
    let all: Vec<&Product> = c.products.iter().collect();
    entities.push(aggregate(
        c,
        Level::Company,
        "company",
        &c.name,
        &all,
        c.energy.as_ref(),
        "the file gives no energy use of the company; add an [energy] table with total and renewable",
    ));
    for (i, bu) in c.business_units.iter().enumerate() {
        let members: Vec<&Product> = c
            .products
            .iter()
            .filter(|p| p.business_unit == Some(i))
            .collect();
        entities.push(aggregate(
            c,
            Level::BusinessUnit,
            &bu.id,
            &bu.name,
            &members,
            bu.energy.as_ref(),
            &format!(
                "business unit \"{}\" gives no energy use; add energy = {{ total = …, renewable = … }} to it",
                bu.id
            ),
        ));
    }
    for p in &c.products {
        entities.push(product_entity(
            p,
            &format!(
                "product \"{}\" gives no energy use of its own; add energy = {{ total = …, renewable = … }} to it",
                p.id
            ),
        ));
    }
    guard(ProductReport {
        circ: VERSION,
        kind: ReportKind::Company,
        name: c.name.clone(),
        description: c.description.clone(),
        year: c.year,
        method: Some(c.method),
        weighting: Some(c.weighting),
        mass_unit: c.mass_unit.clone(),
        basis: "(MCI terms per unit of product, CTI flows per year)",
        entities,
        warnings: Vec::new(),
    })
}

fn dimensionless(id: &str, name: &str, value: Option<f64>) -> Input {
    Input {
        id: id.to_owned(),
        name: name.to_owned(),
        value,
        unit: "1".to_owned(),
    }
}

/// The MCI, LFI, utility and CTI of one product (per unit in a product file, per year of its
/// units in a company).
fn product_entity(p: &Product, energy_hint: &str) -> Entity {
    let t = mci::product_terms(p);
    let unit = p.mass_unit.as_str();
    let mass = |id: &str, name: &str, v: f64| Input {
        id: id.to_owned(),
        name: name.to_owned(),
        value: Some(v),
        unit: unit.to_owned(),
    };
    let mut mci_value = cti::blank(&mci::MCI);
    mci_value.value = Some(t.mci);
    mci_value.inputs = vec![
        dimensionless("emf.lfi", "LFI", Some(t.lfi)),
        dimensionless("emf.utility", "X", Some(t.utility)),
        dimensionless("emf.utility_factor", "F(X)", Some(t.utility_factor)),
        dimensionless("emf.mci_unclamped", "MCI*", Some(t.unclamped)),
    ];
    let mut lfi = cti::blank(match p.method {
        Method::Emf2015 => &mci::LFI_2015,
        Method::Emf2019 => &mci::LFI_2019,
    });
    lfi.value = Some(t.lfi);
    lfi.inputs = vec![
        mass("emf.m", "M", t.mass),
        mass("emf.v", "V", t.virgin),
        mass("emf.w", "W", t.waste),
        mass("emf.w0", "W_0", t.unrecoverable),
        mass("emf.wc", "W_C", t.recycling_waste),
        mass("emf.wf", "W_F", t.feedstock_waste),
    ];
    let mut utility = cti::blank(&mci::UTILITY);
    utility.unit = "1".to_owned();
    utility.value = Some(t.utility);
    let u = p.utility;
    utility.inputs = match u.lifetime {
        Some((l, l_av)) => vec![
            dimensionless("emf.l", "L", Some(l)),
            dimensionless("emf.l_av", "L_av", Some(l_av)),
        ],
        None => vec![dimensionless(
            "emf.l_ratio",
            "L/L_av (not given: industry average)",
            Some(1.0),
        )],
    };
    utility.inputs.extend(match u.uses {
        Some((n, n_av)) => vec![
            dimensionless("emf.u", "U", Some(n)),
            dimensionless("emf.u_av", "U_av", Some(n_av)),
        ],
        None => vec![dimensionless(
            "emf.u_ratio",
            "U/U_av (not given: industry average)",
            Some(1.0),
        )],
    });
    let mut masses = Masses::default();
    masses.add(p, p.units, false);
    let mut indicators = vec![mci_value, lfi, utility];
    indicators.extend(cti::evaluate(&masses, p.energy.as_ref(), unit, energy_hint));
    let materials = p
        .materials
        .iter()
        .map(|m| {
            let f = mci::material_flows(m, p.method);
            let actual = m.recycling + m.reuse + m.composting;
            MaterialRow {
                id: m.id.clone(),
                name: m.name.clone(),
                mass: f.mass,
                virgin: f.virgin,
                unrecoverable: f.unrecoverable,
                recycling_waste: f.recycling_waste,
                feedstock_waste: f.feedstock_waste,
                energy_recovery_credited: f.energy_recovery_credited,
                circular_inflow: m.recycled + m.reused + m.sustained,
                circular_outflow: match m.recovery_potential {
                    Some(pot) => Some(pot * actual),
                    None if actual == 0.0 => Some(0.0),
                    None => None,
                },
            }
        })
        .collect();
    Entity {
        level: Level::Product,
        id: p.id.clone(),
        name: p.name.clone(),
        indicators,
        materials,
    }
}

/// The weighted MCI and the CTI of a group of product lines: a company or a business unit.
fn aggregate(
    c: &Company,
    level: Level,
    id: &str,
    name: &str,
    products: &[&Product],
    energy: Option<&super::Energy>,
    energy_hint: &str,
) -> Entity {
    let (def, z_unit) = match c.weighting {
        Weighting::Mass => (&mci::MCI_BY_MASS, c.mass_unit.clone()),
        Weighting::Revenue => (
            &mci::MCI_BY_REVENUE,
            c.currency.clone().unwrap_or_else(|| "currency".to_owned()),
        ),
    };
    let mut value = cti::blank(def);
    let (mut sum_z, mut sum) = (0.0, 0.0);
    for p in products {
        let t: MciTerms = mci::product_terms(p);
        let z = match c.weighting {
            Weighting::Mass => p.mass() * p.units,
            // Validation gives every product a revenue under revenue weighting.
            Weighting::Revenue => p.revenue.unwrap_or(0.0),
        };
        sum_z += z;
        sum += z * t.mci;
        value.inputs.push(Input {
            id: format!("{}.mci", p.id),
            name: format!("MCI of {}", p.name),
            value: Some(t.mci),
            unit: "1".to_owned(),
        });
        value.inputs.push(Input {
            id: format!("{}.z", p.id),
            name: format!("Z of {}", p.name),
            value: Some(z),
            unit: z_unit.clone(),
        });
    }
    if products.is_empty() {
        value.reason = Some(format!(
            "{} \"{id}\" has no product lines",
            level.word().to_lowercase()
        ));
    } else if sum_z > 0.0 {
        value.value = Some(sum / sum_z);
    } else {
        value.reason = Some(match c.weighting {
            Weighting::Mass => "the product lines have no mass in the year (their units are 0), so there is nothing to weight".to_owned(),
            Weighting::Revenue => "the product lines have no revenue, so there is nothing to weight".to_owned(),
        });
    }
    let mut masses = Masses::default();
    for p in products {
        masses.add(p, p.units, true);
    }
    let mut indicators = vec![value];
    indicators.extend(cti::evaluate(&masses, energy, &c.mass_unit, energy_hint));
    Entity {
        level,
        id: id.to_owned(),
        name: name.to_owned(),
        indicators,
        materials: Vec::new(),
    }
}

impl ProductReport {
    /// The entity with this level and id.
    #[must_use]
    pub fn entity(&self, level: Level, id: &str) -> Option<&Entity> {
        self.entities
            .iter()
            .find(|e| e.level == level && e.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{Format, SourceText};
    use crate::product::{ProductFormat, assess_company, load_company, product_report};

    fn company(text: &str) -> ProductReport {
        let c = load_company(
            SourceText {
                name: "c.toml",
                text,
            },
            Format::Toml,
            &|_| Err(String::new()),
        )
        .unwrap_or_else(|d| panic!("{}", d[0]))
        .value;
        assess_company(&c)
    }

    fn value(r: &ProductReport, level: Level, id: &str, indicator: &str) -> Result<f64, String> {
        let i = r
            .entity(level, id)
            .and_then(|e| e.indicator(indicator))
            .unwrap_or_else(|| panic!("no {indicator} of {id}"));
        i.value.ok_or_else(|| i.reason.clone().unwrap_or_default())
    }

    const COMPANY: &str = r#"
[company]
name = "Co"
[energy]
total = 200
renewable = 50
[[business_units]]
id = "bu"
[[business_units]]
id = "empty"
[[products]]
id = "linear"
business_unit = "bu"
units = 100
revenue = 1000
[[products.materials]]
id = "steel"
mass = 2
recovery_potential = 1
[[products]]
id = "restorative"
units = 50
revenue = 3000
[[products.materials]]
id = "alu"
mass = 1
recycled = 1
feedstock_efficiency = 1
recycling = 1
recycling_efficiency = 1
recovery_potential = 1
"#;

    /// By hand: "linear" has MCI 0.1 (MCI-1) and mass 2 × 100 = 200 kg in the year;
    /// "restorative" has MCI 1 (MCI-2) and mass 1 × 50 = 50 kg.
    /// By mass: (200·0.1 + 50·1) / 250 = 70 / 250 = 0.28.
    /// By revenue: (1000·0.1 + 3000·1) / 4000 = 3100 / 4000 = 0.775.
    /// CTI: inflow 50 / 250 = 0.2; outflow 50 / 250 = 0.2; circularity 100 / 500 = 0.2.
    #[test]
    fn company_mci_is_weighted_by_mass_or_revenue() {
        let r = company(COMPANY);
        let mci = value(&r, Level::Company, "company", "emf.mci").expect("computable");
        assert!((mci - 0.28).abs() < 1e-15, "{mci}");
        let r =
            company(&COMPANY.replace("name = \"Co\"", "name = \"Co\"\nweighting = \"revenue\""));
        let mci = value(&r, Level::Company, "company", "emf.mci").expect("computable");
        assert!((mci - 0.775).abs() < 1e-15, "{mci}");
        for id in [
            "wbcsd.cti.circular_inflow",
            "wbcsd.cti.circular_outflow",
            "wbcsd.cti.circularity",
        ] {
            assert_eq!(value(&r, Level::Company, "company", id), Ok(0.2), "{id}");
        }
        assert_eq!(
            value(&r, Level::Company, "company", "wbcsd.cti.renewable_energy"),
            Ok(0.25)
        );
    }

    #[test]
    fn business_units_and_products_have_their_own_values() {
        let r = company(COMPANY);
        let bu = value(&r, Level::BusinessUnit, "bu", "emf.mci").expect("computable");
        assert!((bu - 0.1).abs() < 1e-15);
        assert!(
            value(&r, Level::BusinessUnit, "empty", "emf.mci")
                .expect_err("no products")
                .contains("has no product lines")
        );
        assert!(
            value(&r, Level::BusinessUnit, "bu", "wbcsd.cti.renewable_energy")
                .expect_err("no energy")
                .contains("business unit \"bu\" gives no energy use")
        );
        assert_eq!(value(&r, Level::Product, "restorative", "emf.mci"), Ok(1.0));
        assert_eq!(r.entities.len(), 5);
    }

    /// Regression guard: finite inputs whose terms overflow (E_F = 1e−300 makes W_F infinite)
    /// give a reason, not a NaN that JSON would print as null.
    #[test]
    fn overflow_is_a_reason_not_a_nan() {
        let r = product_report(
            SourceText {
                name: "p.toml",
                text: "[product]\nname = \"x\"\n[[materials]]\nid = \"a\"\nmass = 1e300\nrecycled = 1\nfeedstock_efficiency = 1e-300\n",
            },
            ProductFormat::Toml,
            &|_| Err(String::new()),
        )
        .expect("valid");
        let mci = r.entities[0].indicator("emf.mci").expect("defined");
        assert_eq!(mci.value, None);
        assert!(mci.reason.as_deref().unwrap_or("").contains("overflowed"));
        for i in &r.entities[0].indicators {
            assert!(i.value.is_none_or(f64::is_finite), "{}", i.id);
        }
    }
}
