//! WBCSD's Circular Transition Indicators (CTI) of a product, a business unit and a company:
//! % circular inflow, % circular outflow, % circularity and % renewable energy.
//!
//! ```text
//! % circular inflow_k  = F_R + F_U + F_S                    non-virgin + renewable virgin, no double count
//! % circular inflow    = Σ_k m_k · %circ_in,k / Σ_k m_k
//! % circular outflow_k = recovery potential_k × actual recovery_k,  actual recovery = C_R + C_U + C_C
//! % circular outflow   = Σ_k m_k · %circ_out,k / Σ_k m_k
//! % circularity        = (%circ_in · M_in + %circ_out · M_out) / (M_in + M_out)
//! % renewable energy   = renewable energy / total energy
//! ```
//! m_k is the mass of material k in a product times the units of the product per year (1 for a
//! product file), so business units and companies weight every material flow by its mass.
//!
//! # Conventions
//! The formulas are tagged \[R\] in `../shared/reference/INDICATORS.md` §2: consistent with the
//! CTI definitions (ctitool.com) but not re-read in the v4.0 report. circ chooses:
//! - **Renewable inflow** is the EMF's F_S, biological feedstock from sustained production, which
//!   matches CTI v4's "renewable and sustainably managed". One figure serves both methods, so a
//!   file cannot call the same kilogram renewable for one and not the other.
//! - **Inflow and outflow mass**: a product's outflow is the product itself at end of use, so
//!   M_out = M_in per material. Production waste is outside a product or company file; a process
//!   network ([`network`](super::network)) covers it.
//! - **Actual recovery** is what is collected for recycling, component reuse and composting
//!   (C_R + C_U + C_C). Energy recovery is never circular outflow (CTI counts the technical and
//!   biological cycles, not incineration), whatever the MCI method credits.
//! - **Recovery potential** must be given for every material that is actually recovered; a
//!   material without it makes the circular outflow not computable rather than 0. A material
//!   that nothing recovers contributes 0 whatever its potential.
//! - **Energy** is read at each level from that level's own `energy` figures; a company's figure is
//!   not summed from its business units.
//!
//! # References
//! - WBCSD (2023), *Circular Transition Indicators v4.0: Metrics for business, by business*,
//!   chapter 4, "Calculate".
//! - CTI tool, definitions of circular inflow and outflow: <https://ctitool.com/home-2/>.

use super::{Energy, Product};
use crate::indicator::{Indicator, IndicatorValue, Input, Reference};

/// The CTI method and tool.
pub const WBCSD: Reference = Reference {
    citation: "WBCSD (2023), Circular Transition Indicators v4.0: Metrics for business, by business; CTI tool definitions",
    url: "https://ctitool.com/home-2/",
};

/// % circular inflow.
pub const CIRCULAR_INFLOW: Indicator = Indicator {
    id: "wbcsd.cti.circular_inflow",
    name: "% circular inflow",
    formula: "Σ m · (F_R + F_U + F_S) / Σ m: non-virgin plus renewable (sustained-production) virgin inflow, by mass",
    source: WBCSD,
    convention: Some(
        "Formula [R]. Renewable virgin inflow is the EMF's F_S, biological feedstock from sustained production. Masses are material mass × units per year.",
    ),
};

/// % circular outflow.
pub const CIRCULAR_OUTFLOW: Indicator = Indicator {
    id: "wbcsd.cti.circular_outflow",
    name: "% circular outflow",
    formula: "Σ m · recovery potential · actual recovery / Σ m, actual recovery = C_R + C_U + C_C",
    source: WBCSD,
    convention: Some(
        "Formula [R]. The outflow is the product at end of use (M_out = M_in). Actual recovery is recycling, component reuse and composting; energy recovery is not circular. A recovered material without a recovery potential makes the value not computable.",
    ),
};

/// % circularity.
pub const CIRCULARITY: Indicator = Indicator {
    id: "wbcsd.cti.circularity",
    name: "% circularity",
    formula: "(%circ_in · M_in + %circ_out · M_out) / (M_in + M_out)",
    source: WBCSD,
    convention: Some("Formula [R]: the mass-weighted mean of % circular inflow and outflow."),
};

/// % renewable energy.
pub const RENEWABLE_ENERGY: Indicator = Indicator {
    id: "wbcsd.cti.renewable_energy",
    name: "% renewable energy",
    formula: "renewable energy consumed / total energy consumed",
    source: WBCSD,
    convention: Some(
        "Formula [R]. Read from the figures the file gives for this level; not summed from other levels.",
    ),
};

/// The masses the CTI of one level is made of, in the file's mass unit (per unit of product for a
/// product file, per year in a company).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Masses {
    /// M_in: all inflow.
    pub inflow: f64,
    /// Of the inflow: recycled feedstock (F_R).
    pub recycled: f64,
    /// Of the inflow: reused feedstock (F_U).
    pub reused: f64,
    /// Of the inflow: renewable virgin feedstock from sustained production (F_S).
    pub renewable: f64,
    /// M_out: all outflow.
    pub outflow: f64,
    /// Of the outflow: recovered (C_R + C_U + C_C).
    pub recovered: f64,
    /// Of the outflow: circular (recovery potential × actual recovery).
    pub circular_outflow: f64,
    /// Recovered materials without a recovery potential: `product/material`.
    pub missing_potential: Vec<String>,
}

impl Masses {
    /// The circular part of the inflow.
    #[must_use]
    pub fn circular_inflow(&self) -> f64 {
        self.recycled + self.reused + self.renewable
    }

    /// Adds the material flows of `units` units of `product`.
    pub fn add(&mut self, product: &Product, units: f64, name_product: bool) {
        for m in &product.materials {
            let mass = m.mass * units;
            self.inflow += mass;
            self.recycled += mass * m.recycled;
            self.reused += mass * m.reused;
            self.renewable += mass * m.sustained;
            self.outflow += mass;
            let actual = m.recycling + m.reuse + m.composting;
            let recovered = mass * actual;
            self.recovered += recovered;
            match m.recovery_potential {
                Some(p) => self.circular_outflow += recovered * p,
                None if actual > 0.0 => self.missing_potential.push(if name_product {
                    format!("{}/{}", product.id, m.id)
                } else {
                    m.id.clone()
                }),
                None => {}
            }
        }
    }
}

/// The four CTI values of one level. `unit` labels masses; `energy_hint` says how to give
/// energy figures for this level when it has none.
#[must_use]
pub fn evaluate(
    masses: &Masses,
    energy: Option<&Energy>,
    unit: &str,
    energy_hint: &str,
) -> Vec<IndicatorValue> {
    let mass = |id: &str, name: &str, v: f64| Input {
        id: id.to_owned(),
        name: name.to_owned(),
        value: Some(v),
        unit: unit.to_owned(),
    };
    let mut inflow = blank(&CIRCULAR_INFLOW);
    inflow.inputs = vec![
        mass("cti.inflow", "M_in, inflow", masses.inflow),
        mass("cti.inflow.recycled", "recycled (F_R)", masses.recycled),
        mass("cti.inflow.reused", "reused (F_U)", masses.reused),
        mass(
            "cti.inflow.renewable",
            "renewable, sustained production (F_S)",
            masses.renewable,
        ),
    ];
    let circ_in = share(masses.circular_inflow(), masses.inflow);
    set(&mut inflow, circ_in.clone());

    let mut outflow = blank(&CIRCULAR_OUTFLOW);
    outflow.inputs = vec![
        mass("cti.outflow", "M_out, outflow", masses.outflow),
        mass(
            "cti.outflow.recovered",
            "actually recovered (C_R + C_U + C_C)",
            masses.recovered,
        ),
        mass(
            "cti.outflow.circular",
            "recovered × recovery potential",
            masses.circular_outflow,
        ),
    ];
    let circ_out = if masses.missing_potential.is_empty() {
        share(masses.circular_outflow, masses.outflow)
    } else {
        Err(format!(
            "no recovery_potential is given for {}, which {} recovered at end of use; give each recovered material's recovery_potential, the share of its mass designed to be fully reusable, recyclable or compostable",
            masses.missing_potential.join(", "),
            if masses.missing_potential.len() == 1 {
                "is"
            } else {
                "are"
            }
        ))
    };
    set(&mut outflow, circ_out.clone());

    let mut circularity = blank(&CIRCULARITY);
    circularity.inputs = vec![
        Input {
            id: CIRCULAR_INFLOW.id.to_owned(),
            name: "% circular inflow".to_owned(),
            value: circ_in.as_ref().ok().copied(),
            unit: "fraction".to_owned(),
        },
        mass("cti.inflow", "M_in", masses.inflow),
        Input {
            id: CIRCULAR_OUTFLOW.id.to_owned(),
            name: "% circular outflow".to_owned(),
            value: circ_out.as_ref().ok().copied(),
            unit: "fraction".to_owned(),
        },
        mass("cti.outflow", "M_out", masses.outflow),
    ];
    let both = match (circ_in, circ_out) {
        (Ok(_), Ok(_)) => share(
            masses.circular_inflow() + masses.circular_outflow,
            masses.inflow + masses.outflow,
        ),
        (Err(why), _) => Err(format!("% circular inflow is not computable: {why}")),
        (_, Err(why)) => Err(format!("% circular outflow is not computable: {why}")),
    };
    set(&mut circularity, both);

    vec![
        inflow,
        outflow,
        circularity,
        renewable_energy(energy, energy_hint),
    ]
}

/// % renewable energy from a level's energy figures.
#[must_use]
pub fn renewable_energy(energy: Option<&Energy>, hint: &str) -> IndicatorValue {
    let mut v = blank(&RENEWABLE_ENERGY);
    match energy {
        Some(e) => {
            v.inputs = vec![
                Input {
                    id: "energy.renewable".to_owned(),
                    name: "renewable energy".to_owned(),
                    value: Some(e.renewable),
                    unit: e.unit.clone(),
                },
                Input {
                    id: "energy.total".to_owned(),
                    name: "total energy".to_owned(),
                    value: Some(e.total),
                    unit: e.unit.clone(),
                },
            ];
            // Validation makes the total positive.
            v.value = Some(e.renewable / e.total);
        }
        None => v.reason = Some(hint.to_owned()),
    }
    v
}

/// An indicator value of `def` with nothing computed yet.
pub(crate) fn blank(def: &Indicator) -> IndicatorValue {
    IndicatorValue {
        id: def.id.to_owned(),
        name: def.name.to_owned(),
        unit: "fraction".to_owned(),
        value: None,
        reason: None,
        formula: def.formula,
        inputs: Vec::new(),
        source: def.source.clone(),
        convention: def.convention,
        uncertainty: None,
    }
}

/// Sets the value or the reason.
pub(crate) fn set(v: &mut IndicatorValue, result: Result<f64, String>) {
    match result {
        Ok(x) => v.value = Some(x),
        Err(why) => v.reason = Some(why),
    }
}

/// `part / whole`, or why not.
pub(crate) fn share(part: f64, whole: f64) -> Result<f64, String> {
    if whole > 0.0 {
        Ok(part / whole)
    } else {
        Err("there is no material flow: the total mass is zero".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::testing::{linear, product};

    fn value(all: &[IndicatorValue], id: &str) -> Result<f64, String> {
        let v = all
            .iter()
            .find(|v| v.id == id)
            .unwrap_or_else(|| panic!("no {id}"));
        v.value.ok_or_else(|| v.reason.clone().unwrap_or_default())
    }

    /// The two materials of `mci::tests::two_materials`, with recovery potentials, by hand:
    /// steel 6 kg, F_R = 0.5, C_R = 0.9, potential 1; wood 4 kg, F_S = 0.5, C_C = 0.25,
    /// potential 0.5. Inflow: (3 + 2) / 10 = 0.5. Outflow: (6·0.9·1 + 4·0.25·0.5) / 10 =
    /// 5.9 / 10 = 0.59. Circularity: (5 + 5.9) / 20 = 0.545. Energy 30 of 120 MWh: 0.25.
    #[test]
    fn a_product_by_hand() {
        let mut steel = linear("steel", 6.0);
        steel.recycled = 0.5;
        steel.recycling = 0.9;
        steel.recovery_potential = Some(1.0);
        let mut wood = linear("wood", 4.0);
        wood.biological = true;
        wood.sustained = 0.5;
        wood.composting = 0.25;
        wood.energy_recovery = 0.5;
        wood.recovery_potential = Some(0.5);
        let p = product(vec![steel, wood]);
        let mut m = Masses::default();
        m.add(&p, 1.0, false);
        let energy = Energy {
            unit: "MWh".into(),
            total: 120.0,
            renewable: 30.0,
        };
        let all = evaluate(&m, Some(&energy), "kg", "");
        for (id, expected) in [
            ("wbcsd.cti.circular_inflow", 0.5),
            ("wbcsd.cti.circular_outflow", 0.59),
            ("wbcsd.cti.circularity", 0.545),
            ("wbcsd.cti.renewable_energy", 0.25),
        ] {
            let v = value(&all, id).expect("computable");
            assert!((v - expected).abs() < 1e-15, "{id}: {v}");
        }
    }

    #[test]
    fn a_recovered_material_without_potential_is_not_computable_not_zero() {
        let mut foam = linear("foam", 1.0);
        foam.recycling = 0.5;
        foam.recycling_efficiency = Some(0.5);
        let unrecovered = linear("screws", 0.1);
        let mut m = Masses::default();
        m.add(&product(vec![foam, unrecovered]), 3.0, true);
        let all = evaluate(&m, None, "kg", "add energy");
        let why = value(&all, "wbcsd.cti.circular_outflow").expect_err("not computable");
        assert!(why.contains("p/foam") && !why.contains("screws"), "{why}");
        let why = value(&all, "wbcsd.cti.circularity").expect_err("not computable");
        assert!(
            why.starts_with("% circular outflow is not computable"),
            "{why}"
        );
        assert_eq!(
            value(&all, "wbcsd.cti.renewable_energy"),
            Err("add energy".to_owned())
        );
        // The inflow needs no potential: all virgin.
        assert_eq!(value(&all, "wbcsd.cti.circular_inflow"), Ok(0.0));
    }
}
