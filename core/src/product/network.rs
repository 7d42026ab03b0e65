//! The CTI of a project or company described as a process network, derived from the roles of
//! its processes; and why the rest is not computable from a network.
//!
//! The network's **core** is its production and use processes: the company or project proper.
//!
//! **Inflow** is every flow into a core process from a process outside the core. By the role of
//! its origin it is
//! - *virgin*: from extraction and import processes. Imports count as virgin because a role
//!   cannot say that imported material is secondary; model imported scrap as a flow from an
//!   import process into a recycling process, whose output then counts as secondary.
//! - *non-virgin* (circular): from reuse (reused products), recycling and composting (secondary
//!   material), and from collection, sorting, backfilling, energy recovery or incineration
//!   (material recovered from waste, such as sorted fractions or metals from ash).
//!
//! Virgin biomass (MF1, or MIXED material, which may contain biomass) is circular in the CTI if
//! it is renewable and sustainably managed, and roles do not say whether it is. When a network
//! has such inflow, the circular inflow is **not computable**, and the reason gives the range
//! between "none of it is renewable" and "all of it is".
//!
//! **Outflow** is every flow out of a core process to a process outside the core (stock
//! additions stay in the core). Its circular part is the mass that the network carries back, as
//! material, into production and use (or exports for recycling):
//! - into reuse, recycling and composting processes, times the share of their output that goes
//!   back to production and use or is exported (their material yield: the rest, sent to
//!   landfill, incineration, energy recovery, backfilling, emission or dissipation, is lost);
//! - into collection and sorting processes, followed through their output shares to the
//!   processes above (collected waste exported counts as exported for recycling, as Eurostat's
//!   EXP_w does);
//! - never into landfill, incineration, energy recovery, backfilling, emission or dissipation.
//!
//! Shares are followed per material where a process sends that material on, and by the
//! process's total output where it does not (a recycler that turns "scrap" into "steel").
//! In the CTI's terms, the share of an outflow that reaches a recovery process is its actual
//! recovery, and that process's material yield its recovery potential.
//!
//! Products that leave the core straight into an export process have an end of use outside the
//! network; if there are any, the circular outflow is **not computable**, with the range. So is
//! outflow that reaches a recovery or collection process without outflows.
//!
//! % circularity follows from the two by mass. % renewable energy and the MCI are not
//! computable from a network: it carries no energy figures, and the MCI needs a product's
//! utility (lifetime and intensity of use against the industry average) and the efficiencies
//! of the recycling processes by product.

use std::collections::{BTreeMap, BTreeSet};

use super::cti::{CIRCULARITY, RENEWABLE_ENERGY, WBCSD, blank, set, share};
use super::mci::MCI;
use super::report::{Entity, Level, ProductReport, ReportKind};
use crate::indicator::{Indicator, IndicatorValue, Input};
use crate::model::{MaterialGroup, Model, Role};
use crate::report::VERSION;

/// % circular inflow of a process network.
pub const NETWORK_INFLOW: Indicator = Indicator {
    id: "wbcsd.cti.circular_inflow",
    name: "% circular inflow",
    formula: "non-virgin inflow into production and use / all inflow into production and use",
    source: WBCSD,
    convention: Some(
        "Derived from roles: inflow from extraction and import is virgin, from reuse, recycling, composting and other waste treatment non-virgin. Virgin biomass (MF1, MIXED) makes it not computable, since roles do not say whether it is renewable and sustainably managed.",
    ),
};

/// % circular outflow of a process network.
pub const NETWORK_OUTFLOW: Indicator = Indicator {
    id: "wbcsd.cti.circular_outflow",
    name: "% circular outflow",
    formula: "outflow from production and use that returns as material (through collection, sorting, reuse, recycling, composting, less their losses) / all outflow from production and use",
    source: WBCSD,
    convention: Some(
        "Derived from roles: actual recovery is the share reaching reuse, recycling or composting (through collection and sorting by their output shares), recovery potential those processes' material yield. Landfill, incineration, energy recovery, backfilling, emission and dissipation are not circular. Products exported straight from production or use make it not computable.",
    ),
};

/// The roles of the core: the company or project proper.
fn is_core(role: Role) -> bool {
    matches!(role, Role::Production | Role::Use)
}

/// Roles through which outflow may still come back as material.
fn carries_on(role: Role) -> bool {
    matches!(
        role,
        Role::Reuse | Role::Recycling | Role::Composting | Role::Collection | Role::Sorting
    )
}

/// (recovered, unknown) shares of the material entering a process.
type Fate = (f64, f64);

/// The CTI that a process network's roles allow, and the reasons for the rest.
#[must_use]
pub fn assess_network(model: &Model) -> ProductReport {
    let mut indicators = Vec::with_capacity(5);
    let mut mci = blank(&MCI);
    // The product conventions (the clamp, the energy figures of a level) do not apply here.
    mci.convention = None;
    mci.reason = Some("the MCI is a product indicator: it needs a product's mass by material, its lifetime and intensity of use against the industry average, and the efficiencies of the recycling processes that make its feedstock and take it back, which a process network does not carry; describe the product in a product file (circ product)".to_owned());
    indicators.push(mci);

    let inflow = inflow(model);
    let outflow = outflow(model);
    let mut circularity = blank(&CIRCULARITY);
    circularity.inputs = vec![
        fraction_input(&inflow.0),
        mass_input("cti.inflow", "M_in", inflow.1),
        fraction_input(&outflow.0),
        mass_input("cti.outflow", "M_out", outflow.1),
    ];
    let both = match (&inflow.0.value, &outflow.0.value) {
        (Some(i), Some(o)) => share(i * inflow.1 + o * outflow.1, inflow.1 + outflow.1),
        (None, _) => Err(format!(
            "% circular inflow is not computable: {}",
            inflow.0.reason.as_deref().unwrap_or("")
        )),
        (_, None) => Err(format!(
            "% circular outflow is not computable: {}",
            outflow.0.reason.as_deref().unwrap_or("")
        )),
    };
    set(&mut circularity, both);
    indicators.push(inflow.0);
    indicators.push(outflow.0);
    indicators.push(circularity);
    let mut energy = blank(&RENEWABLE_ENERGY);
    energy.convention = None;
    energy.reason = Some("a process network carries no energy figures; give the energy use in a company file's [energy] table (circ company)".to_owned());
    indicators.push(energy);

    let meta = model.meta();
    super::report::guard(ProductReport {
        circ: VERSION,
        kind: ReportKind::Network,
        name: meta.name.clone(),
        description: meta.description.clone(),
        year: meta.year,
        method: None,
        weighting: None,
        mass_unit: "t".to_owned(),
        basis: "per year",
        entities: vec![Entity {
            level: Level::Network,
            id: "network".to_owned(),
            name: meta.name.clone(),
            indicators,
            materials: Vec::new(),
        }],
        warnings: Vec::new(),
    })
}

fn mass_input(id: &str, name: &str, v: f64) -> Input {
    Input {
        id: id.to_owned(),
        name: name.to_owned(),
        value: Some(v),
        unit: "t".to_owned(),
    }
}

fn fraction_input(v: &IndicatorValue) -> Input {
    Input {
        id: v.id.clone(),
        name: v.name.clone(),
        value: v.value,
        unit: "fraction".to_owned(),
    }
}

fn range(lo: f64, hi: f64, total: f64) -> String {
    format!(
        "the share lies between {:.1} % and {:.1} %",
        lo / total * 100.0,
        hi / total * 100.0
    )
}

/// % circular inflow, and M_in in tonnes.
fn inflow(model: &Model) -> (IndicatorValue, f64) {
    let (mut total, mut virgin, mut biomass) = (0.0, 0.0, 0.0);
    let (mut reused, mut secondary, mut other) = (0.0, 0.0, 0.0);
    for f in model.flows() {
        let (from, to) = (model.process(f.from).role, model.process(f.to).role);
        if !is_core(to) || is_core(from) {
            continue;
        }
        total += f.value;
        match from {
            Role::Extraction | Role::Import => {
                virgin += f.value;
                if matches!(
                    model.material(f.material).group,
                    MaterialGroup::Biomass | MaterialGroup::Mixed
                ) {
                    biomass += f.value;
                }
            }
            Role::Reuse => reused += f.value,
            Role::Recycling | Role::Composting => secondary += f.value,
            _ => other += f.value,
        }
    }
    let mut v = blank(&NETWORK_INFLOW);
    v.inputs = vec![
        mass_input("cti.inflow", "M_in, inflow into production and use", total),
        mass_input(
            "cti.inflow.virgin",
            "virgin, from extraction and import",
            virgin,
        ),
        mass_input(
            "cti.inflow.virgin_biomass",
            "of which biomass or mixed",
            biomass,
        ),
        mass_input("cti.inflow.reused", "reused, from reuse", reused),
        mass_input(
            "cti.inflow.secondary",
            "secondary, from recycling and composting",
            secondary,
        ),
        mass_input(
            "cti.inflow.recovered",
            "recovered by other waste treatment",
            other,
        ),
    ];
    let circular = reused + secondary + other;
    let result = if total <= 0.0 {
        Err("no flow enters a production or use process from outside them".to_owned())
    } else if biomass > 0.0 {
        Err(format!(
            "{biomass} t of virgin biomass or mixed material enter from extraction or import, and roles do not say whether it is renewable and sustainably managed (circular in the CTI) or not; {}",
            range(circular, circular + biomass, total)
        ))
    } else {
        share(circular, total)
    };
    set(&mut v, result);
    (v, total)
}

/// % circular outflow, and M_out in tonnes.
fn outflow(model: &Model) -> (IndicatorValue, f64) {
    let fates = Fates::new(model);
    let (mut total, mut recovered, mut exported, mut dead) = (0.0, 0.0, 0.0, 0.0);
    for f in model.flows() {
        let (from, to) = (model.process(f.from).role, model.process(f.to).role);
        if !is_core(from) || is_core(to) {
            continue;
        }
        total += f.value;
        if to == Role::Export {
            exported += f.value;
        } else if carries_on(to) {
            let (r, u) = fates.get(f.to.0, f.material.0);
            recovered += f.value * r;
            dead += f.value * u;
        }
    }
    let mut v = blank(&NETWORK_OUTFLOW);
    v.inputs = vec![
        mass_input(
            "cti.outflow",
            "M_out, outflow from production and use",
            total,
        ),
        mass_input(
            "cti.outflow.circular",
            "returned as material or exported for recycling",
            recovered,
        ),
        mass_input(
            "cti.outflow.exported",
            "exported straight from production and use",
            exported,
        ),
    ];
    let unknown = exported + dead;
    let result = if !fates.converged {
        Err("the recovery processes pass material round a loop that does not end; check the flows between collection, sorting, reuse, recycling and composting".to_owned())
    } else if total <= 0.0 {
        Err("no flow leaves a production or use process for a process outside them".to_owned())
    } else if unknown > 0.0 {
        let mut causes = Vec::new();
        if exported > 0.0 {
            causes.push(format!("{exported} t go straight from production or use into export, and their end of use is outside the network"));
        }
        if dead > 0.0 {
            causes.push(format!(
                "{dead} t reach {} without outflows, so where they go is not in the network",
                fates
                    .dead_ends
                    .iter()
                    .map(|p| format!("\"{}\"", model.processes()[*p as usize].id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        Err(format!(
            "{}; {}",
            causes.join("; "),
            range(recovered, recovered + unknown, total)
        ))
    } else {
        share(recovered, total)
    };
    set(&mut v, result);
    (v, total)
}

/// The fate of material entering each reuse, recycling, composting, collection and sorting
/// process, per material: which share comes back as material, and which share goes where the
/// network does not show.
struct Fates {
    fates: BTreeMap<(u32, u32), Fate>,
    dead_ends: BTreeSet<u32>,
    converged: bool,
}

impl Fates {
    /// Largest number of sweeps: the fates of a loop-free network settle in as many sweeps as
    /// its longest chain of recovery processes; loops converge geometrically.
    const SWEEPS: usize = 10_000;

    fn new(model: &Model) -> Fates {
        let mut out_of: Vec<Vec<usize>> = vec![Vec::new(); model.processes().len()];
        for (i, f) in model.flows().iter().enumerate() {
            out_of[f.from.0 as usize].push(i);
        }
        // The (process, material) pairs that outflow from the core can reach, each with the
        // flows that carry it on: those of its material, or all of the process's flows when it
        // sends none of that material on (it transforms it).
        let mut outs: BTreeMap<(u32, u32), Vec<usize>> = BTreeMap::new();
        let mut todo: Vec<(u32, u32)> = model
            .flows()
            .iter()
            .filter(|f| is_core(model.process(f.from).role) && carries_on(model.process(f.to).role))
            .map(|f| (f.to.0, f.material.0))
            .collect();
        while let Some(key) = todo.pop() {
            if outs.contains_key(&key) {
                continue;
            }
            let all = &out_of[key.0 as usize];
            let same: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&i| {
                    let f = &model.flows()[i];
                    f.material.0 == key.1 && f.value > 0.0
                })
                .collect();
            let chosen = if same.is_empty() { all.clone() } else { same };
            for &i in &chosen {
                let f = &model.flows()[i];
                if carries_on(model.process(f.to).role) {
                    todo.push((f.to.0, f.material.0));
                }
            }
            outs.insert(key, chosen);
        }
        // `extend`, not `collect`, which would compile a sort into the web module (crate::sort).
        let mut start = BTreeMap::new();
        start.extend(outs.keys().map(|k| (*k, (0.0, 0.0))));
        let mut fates = Fates {
            fates: start,
            dead_ends: BTreeSet::new(),
            converged: outs.is_empty(),
        };
        for _ in 0..Self::SWEEPS {
            let mut change = 0.0f64;
            for (&key, flows) in &outs {
                let sum: f64 = flows.iter().map(|&i| model.flows()[i].value).sum();
                let new = if sum > 0.0 {
                    let (mut r, mut u) = (0.0, 0.0);
                    for &i in flows {
                        let f = &model.flows()[i];
                        let to = model.process(f.to).role;
                        let (fr, fu) = if is_core(to) || to == Role::Export {
                            (1.0, 0.0)
                        } else if carries_on(to) {
                            fates.get(f.to.0, f.material.0)
                        } else {
                            (0.0, 0.0)
                        };
                        r += f.value * fr;
                        u += f.value * fu;
                    }
                    (r / sum, u / sum)
                } else {
                    fates.dead_ends.insert(key.0);
                    (0.0, 1.0)
                };
                let old = fates.fates.insert(key, new).unwrap_or((0.0, 0.0));
                change = change.max((new.0 - old.0).abs()).max((new.1 - old.1).abs());
            }
            if change <= 1e-15 {
                fates.converged = true;
                break;
            }
        }
        fates
    }

    fn get(&self, process: u32, material: u32) -> Fate {
        self.fates
            .get(&(process, material))
            .copied()
            .unwrap_or((0.0, 0.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{EVERY_ROLE, model};

    fn value(r: &ProductReport, id: &str) -> Result<f64, String> {
        let i = r.entities[0]
            .indicator(id)
            .unwrap_or_else(|| panic!("no {id}"));
        i.value.ok_or_else(|| i.reason.clone().unwrap_or_default())
    }

    const HEADER: &str = "[meta]\nname = \"C&D project\"\n";

    fn processes(roles: &[(&str, &str)]) -> String {
        roles
            .iter()
            .map(|(id, role)| format!("[[processes]]\nid = \"{id}\"\nrole = \"{role}\"\n"))
            .collect()
    }

    /// By hand: inflow 800 t virgin + 200 t secondary, so 200 / 1000 = 20 %. Outflow: 400 t
    /// from use to collection, of which 250 go to the recycler (yield 200 / 250 = 0.8) and 150
    /// to landfill: 250 · 0.8 / 400 = 50 %. Circularity: (200 + 200) / (1000 + 400) = 2/7.
    #[test]
    fn a_closed_project_by_hand() {
        let text = format!(
            "flows = [\n{}]\nstock_changes = [{{ process = \"use\", material = \"MF3\", value = 600 }}]\n{HEADER}{}",
            [
                ("mine", "prod", 800),
                ("rec", "prod", 200),
                ("prod", "use", 1000),
                ("use", "coll", 400),
                ("coll", "rec", 250),
                ("coll", "lf", 150),
                ("rec", "lf", 50),
            ]
            .iter()
            .map(|(a, b, v)| format!(
                "  {{ from = \"{a}\", to = \"{b}\", material = \"MF3\", value = {v} }},\n"
            ))
            .collect::<String>(),
            processes(&[
                ("mine", "extraction"),
                ("prod", "production"),
                ("use", "use"),
                ("coll", "collection"),
                ("rec", "recycling"),
                ("lf", "landfill"),
            ])
        );
        let r = assess_network(&model(&text));
        assert_eq!(value(&r, "wbcsd.cti.circular_inflow"), Ok(0.2));
        assert_eq!(value(&r, "wbcsd.cti.circular_outflow"), Ok(0.5));
        let c = value(&r, "wbcsd.cti.circularity").expect("computable");
        assert!((c - 2.0 / 7.0).abs() < 1e-15, "{c}");
        assert!(
            value(&r, "emf.mci")
                .expect_err("not computable")
                .contains("product file")
        );
        assert!(
            value(&r, "wbcsd.cti.renewable_energy")
                .expect_err("not computable")
                .contains("no energy figures")
        );
    }

    /// tests/cases/valid/every_role.toml, by hand. Inflow into prod and use: 500 + 200 (MF1) +
    /// 100 virgin, 5 reused, 60 + 10 secondary: 875 t, 75 non-virgin, 200 virgin biomass, so
    /// not computable, between 75/875 = 8.6 % and 275/875 = 31.4 %.
    /// Outflow: 80 exported, 100 to air, 10 + 150 (MF1) and 100 (MF2) to collection, 5 to
    /// reuse, 30 to nature: 475 t. Fates: reuse 1; recycler (60 to prod + 20 exported) / 90;
    /// compost 10 / 40; sorting MF2 (70 · 8/9 + 30 exported) / 100, MF1 40 · 0.25 / 160.
    /// Circular: 5 + 100 · 0.92222 + 160 · 0.0625 = 107.222 t; with the 80 t exported the share
    /// lies between 107.222/475 = 22.6 % and 187.222/475 = 39.4 %.
    #[test]
    fn the_every_role_network_by_hand() {
        let r = assess_network(&model(EVERY_ROLE));
        let why = value(&r, "wbcsd.cti.circular_inflow").expect_err("biomass");
        assert!(why.starts_with("200 t of virgin biomass"), "{why}");
        assert!(why.ends_with("between 8.6 % and 31.4 %"), "{why}");
        let why = value(&r, "wbcsd.cti.circular_outflow").expect_err("exports");
        assert!(
            why.starts_with("80 t go straight from production or use into export"),
            "{why}"
        );
        assert!(why.ends_with("between 22.6 % and 39.4 %"), "{why}");
        let circular = r.entities[0]
            .indicator("wbcsd.cti.circular_outflow")
            .and_then(|i| i.inputs.iter().find(|i| i.id == "cti.outflow.circular"))
            .and_then(|i| i.value)
            .expect("an input");
        let expected = 5.0 + 100.0 * (70.0 * 80.0 / 90.0 + 30.0) / 100.0 + 160.0 * 10.0 / 160.0;
        assert!(
            (circular - expected).abs() < 1e-12,
            "{circular} vs {expected}"
        );
    }

    #[test]
    fn outflow_into_a_process_without_outflows_is_not_computable() {
        let text = format!(
            "flows = [\n  {{ from = \"mine\", to = \"use\", material = \"MF2\", value = 10 }},\n  {{ from = \"use\", to = \"yard\", material = \"MF2\", value = 10 }},\n]\n{HEADER}{}[[processes]]\nid = \"yard\"\nrole = \"collection\"\nbalanced = false\n",
            processes(&[("mine", "extraction"), ("use", "use")])
        );
        let r = assess_network(&model(&text));
        let why = value(&r, "wbcsd.cti.circular_outflow").expect_err("dead end");
        assert!(why.contains("reach \"yard\" without outflows"), "{why}");
        assert_eq!(value(&r, "wbcsd.cti.circular_inflow"), Ok(0.0));
    }
}
