//! Reading the tables: every observation of the geography and year sorted into what the model
//! builder writes (EW-MFA lines by material slot, waste treated by operation, waste generated,
//! published rates), with what is missing kept beside each.

use std::collections::{BTreeMap, BTreeSet};

use super::{ImportOptions, Layout, Point, Table, flag_meaning};
use crate::diagnostic::{Diagnostic, Location};
use crate::unit::Unit;

/// A slot of material: a group, the traded non-group categories, or the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Slot {
    Mf1,
    Mf2,
    Mf3,
    Mf4,
    Mf5,
    Mf6,
    Total,
}

impl Slot {
    pub(super) const GROUPS: [Slot; 4] = [Slot::Mf1, Slot::Mf2, Slot::Mf3, Slot::Mf4];

    pub(super) fn code(self) -> &'static str {
        match self {
            Slot::Mf1 => "MF1",
            Slot::Mf2 => "MF2",
            Slot::Mf3 => "MF3",
            Slot::Mf4 => "MF4",
            Slot::Mf5 => "MF5",
            Slot::Mf6 => "MF6",
            Slot::Total => "TOTAL",
        }
    }

    /// Eurostat's material code. Sub-categories (`MF11`, `MF421`…) are not read: their main
    /// category carries them.
    pub(super) fn from_eurostat(code: &str) -> Option<Slot> {
        Some(match code {
            "MF1" => Slot::Mf1,
            "MF2" => Slot::Mf2,
            "MF3" => Slot::Mf3,
            "MF4" => Slot::Mf4,
            "MF5" => Slot::Mf5,
            "MF6" => Slot::Mf6,
            "TOTAL" => Slot::Total,
            _ => return None,
        })
    }

    /// A UN IRP category (13 categories and the traded product groups, or the 4 main groups).
    pub(super) fn from_irp(category: &str) -> Option<Slot> {
        let c = category.to_ascii_lowercase();
        let has = |w: &str| c.contains(w);
        Some(if has("total") || c == "all" {
            Slot::Total
        } else if has("waste for final") {
            Slot::Mf6
        } else if has("mixed") || has("complex") {
            Slot::Mf5
        } else if has("non-metallic") || has("nonmetallic") {
            Slot::Mf3
        } else if has("ore") || has("metal") {
            Slot::Mf2
        } else if has("fossil")
            || has("coal")
            || has("petroleum")
            || has("natural gas")
            || has("oil shale")
        {
            Slot::Mf4
        } else if has("biomass")
            || has("crop")
            || has("wood")
            || has("grazed")
            || has("wild catch")
            || has("animal")
        {
            Slot::Mf1
        } else {
            return None;
        })
    }
}

/// A mass summed from one or more observations.
#[derive(Debug, Clone, Default)]
pub(super) struct Acc {
    /// Sum in tonnes.
    pub(super) tonnes: f64,
    /// Sum in `unit`, when all parts share it.
    pub(super) value: f64,
    pub(super) unit: Option<Unit>,
    pub(super) mixed_units: bool,
    pub(super) decimals: u8,
    pub(super) flags: BTreeSet<char>,
    /// Descriptions of missing parts (`:`); a slot with any is incomplete.
    pub(super) missing: Vec<String>,
    pub(super) parts: usize,
    /// The first table and line it was read from.
    pub(super) table: usize,
    pub(super) line: u32,
}

impl Acc {
    pub(super) fn add(&mut self, table: usize, unit: Unit, p: &Point, what: &str) {
        if self.parts == 0 && self.missing.is_empty() {
            self.table = table;
            self.line = p.line;
        }
        self.flags
            .extend(p.flags.chars().map(|c| c.to_ascii_lowercase()));
        match p.value {
            Some(v) => {
                self.tonnes += unit.to_tonnes(v);
                match self.unit {
                    None => self.unit = Some(unit),
                    Some(u) if u != unit => self.mixed_units = true,
                    Some(_) => {}
                }
                self.value += v;
                self.decimals = self.decimals.max(p.decimals);
                self.parts += 1;
            }
            None => {
                let flags = flag_text(&p.flags);
                self.missing.push(if flags.is_empty() {
                    format!("{what} is `:`")
                } else {
                    format!("{what} is `:` ({flags})")
                });
            }
        }
    }

    pub(super) fn complete(&self) -> bool {
        self.parts > 0 && self.missing.is_empty()
    }

    /// The value and unit to write: the file's own number when it is one observation, else the
    /// sum rounded to the decimals written.
    pub(super) fn written(&self) -> (f64, Unit) {
        match (self.unit, self.mixed_units) {
            (Some(u), false) if self.parts == 1 => (self.value, u),
            (Some(u), false) => (round(self.value, self.decimals), u),
            _ => (round(self.tonnes, 3), Unit::Tonne),
        }
    }
}

pub(super) fn round(v: f64, decimals: u8) -> f64 {
    let f = libm::pow(10.0, f64::from(decimals.min(9)));
    (v * f).round() / f
}

/// `flag e: estimated; flag p: provisional`.
pub(super) fn flag_text(flags: &str) -> String {
    let mut seen = BTreeSet::new();
    flags
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .filter(|c| seen.insert(*c))
        .map(|c| match flag_meaning(c) {
            Some(m) => format!("flag {c}: {m}"),
            None => format!("flag {c}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn unit_of(code: Option<&str>) -> Result<Unit, Option<&str>> {
    match code.map(str::to_ascii_uppercase).as_deref() {
        Some("THS_T" | "KT") => Ok(Unit::Kilotonne),
        Some("T" | "TONNES" | "TONNE") => Ok(Unit::Tonne),
        Some("MIO_T" | "MT") => Ok(Unit::Megatonne),
        Some("BIO_T" | "GT") => Ok(Unit::Gigatonne),
        _ => Err(code),
    }
}

/// Every observation the builder uses, by what it is.
#[derive(Default)]
pub(super) struct Collected {
    pub(super) mfa: BTreeMap<(String, Slot), Acc>,
    pub(super) rates: BTreeMap<Slot, (f64, String, usize)>,
    pub(super) treated: BTreeMap<String, Acc>,
    pub(super) generated: Option<Acc>,
    pub(super) used: BTreeSet<usize>,
    pub(super) skipped: BTreeMap<usize, BTreeSet<String>>,
}

/// Sorts every observation of the geography and year into what the builder uses.
pub(super) fn collect(
    tables: &[Table],
    opts: &ImportOptions<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> Collected {
    let mut c = Collected::default();
    for (ti, t) in tables.iter().enumerate() {
        let dim = |name: &str| t.dimension(name);
        let (freq, unit, geo, indic, material) = (
            dim("freq"),
            dim("unit"),
            dim("geo"),
            dim("indic_env"),
            dim("material"),
        );
        let (oper, waste, hazard, nace) =
            (dim("wst_oper"), dim("waste"), dim("hazard"), dim("nace_r2"));
        if indic.is_none() && material.is_none() && oper.is_none() && waste.is_none() {
            warnings.push(Diagnostic::warning(
                Location::at(&t.name, Vec::new()),
                format!("circ reads nothing from a table with the dimensions {}", t.dimensions.join(",")),
            ).with_hint("circ reads env_ac_mfa (indic_env, material), env_ac_cur (material, unit PC), env_wasgen (waste, nace_r2) and env_wastrt (wst_oper) tables, and the UN IRP database"));
            continue;
        }
        for s in &t.series {
            let code = |d: Option<usize>| d.map(|i| s.key[i].as_str());
            if code(freq).is_some_and(|f| f != "A") {
                continue;
            }
            let ignore_case = t.layout == Layout::IrpCsv;
            if let Some(g) = code(geo)
                && !(if ignore_case {
                    g.eq_ignore_ascii_case(opts.geo)
                } else {
                    g == opts.geo
                })
            {
                continue;
            }
            let Some(p) = s.points.iter().find(|p| p.period == opts.year) else {
                continue;
            };
            let unit_code = code(unit);
            let mut skip = |why: String| {
                c.skipped.entry(ti).or_default().insert(why);
            };
            let unit = unit_of(unit_code);
            if let Some(op) = code(oper) {
                if code(waste).is_some_and(|w| w != "TOTAL")
                    || code(hazard).is_some_and(|h| h != "HAZ_NHAZ")
                {
                    continue;
                }
                let Ok(u) = unit else {
                    skip(format!("unit {}", unit_code.unwrap_or("?")));
                    continue;
                };
                if negative_flow(t, p, &format!("waste treated by {op}"), warnings) {
                    continue;
                }
                c.treated.entry(op.to_owned()).or_default().add(
                    ti,
                    u,
                    p,
                    &format!("{op} {}", opts.year),
                );
                c.used.insert(ti);
            } else if waste.is_some() || nace.is_some() {
                if code(waste).is_some_and(|w| w != "TOTAL")
                    || code(hazard).is_some_and(|h| h != "HAZ_NHAZ")
                    || code(nace).is_some_and(|n| n != "TOTAL_HH")
                {
                    continue;
                }
                let Ok(u) = unit else {
                    skip(format!("unit {}", unit_code.unwrap_or("?")));
                    continue;
                };
                if negative_flow(t, p, "waste generated", warnings) {
                    continue;
                }
                c.generated.get_or_insert_with(Acc::default).add(
                    ti,
                    u,
                    p,
                    &format!("waste generated {}", opts.year),
                );
                c.used.insert(ti);
            } else if let Some(m) = code(material) {
                let slot = if t.layout == Layout::IrpCsv {
                    Slot::from_irp(m)
                } else {
                    Slot::from_eurostat(m)
                };
                let Some(slot) = slot else {
                    if t.layout == Layout::IrpCsv {
                        skip(format!(
                            "category \"{m}\" (not recognised; its rows are not read)"
                        ));
                    }
                    continue;
                };
                if unit_code.is_some_and(|u| u.eq_ignore_ascii_case("PC")) {
                    if slot != Slot::Mf5
                        && slot != Slot::Mf6
                        && let Some(v) = p.value
                    {
                        c.rates.entry(slot).or_insert((v, p.flags.clone(), ti));
                        c.used.insert(ti);
                    }
                    continue;
                }
                let Ok(u) = unit else {
                    skip(format!("unit {}", unit_code.unwrap_or("?")));
                    continue;
                };
                let Some(ind) = code(indic) else {
                    skip(format!(
                        "material {m} in {} without an indicator",
                        unit_code.unwrap_or("?")
                    ));
                    continue;
                };
                if !matches!(ind, "DE" | "IMP" | "EXP" | "DMC" | "DMI" | "PTB") {
                    skip(format!("indic_env {ind}"));
                    continue;
                }
                let what = format!("{ind} {} {}", m, opts.year);
                // DE, IMP and EXP become flows; DMC, DMI and PTB (which may be negative) are only
                // compared.
                if matches!(ind, "DE" | "IMP" | "EXP") && negative_flow(t, p, &what, warnings) {
                    continue;
                }
                c.mfa
                    .entry((ind.to_owned(), slot))
                    .or_default()
                    .add(ti, u, p, &what);
                c.used.insert(ti);
            }
        }
    }
    c
}

/// Reports a negative figure that would become a flow (a flow carries a non-negative mass) as an
/// error at its cell, and says whether it was.
fn negative_flow(t: &Table, p: &Point, what: &str, diags: &mut Vec<Diagnostic>) -> bool {
    let Some(v) = p.value.filter(|v| *v < 0.0) else {
        return false;
    };
    diags.push(
        Diagnostic::error(
            crate::import::at(&t.name, p.line, p.column, None),
            format!("{what}: {v} is negative, and circ writes it as a flow, a non-negative mass"),
        )
        .with_hint("check the cell in the file: material and waste flows cannot be negative"),
    );
    true
}
