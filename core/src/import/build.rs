//! From tables of official statistics to an accounts-level model document.
//!
//! The network is always the same, and only the processes that receive a flow are written:
//!
//! ```text
//! extraction ─DE─┐                         ┌─RCV_R──→ recycling        (balanced = false)
//! imports ──IMP──┼→ economy ─generated─→ waste_management ─RCV_B──→ backfilling
//!                │  (balanced = false)     (balanced = false)  ├─RCV_E──→ energy_recovery
//! exports ←─EXP──┘                                             ├─DSP_I──→ incineration
//!                                                              └─DSP_L_OTH→ landfill
//! ```
//!
//! - env_ac_mfa (and the UN IRP database): DE, IMP and EXP by material group MF1–MF4. Traded
//!   MF5 (other products) and MF6 (waste for final treatment) become materials of those names
//!   below `MIXED`; so does what TOTAL holds beyond the groups. A line whose groups are
//!   incomplete is written from TOTAL (the known groups plus the rest as `MIXED`) or, without
//!   TOTAL, not at all: circ never fills a gap with zero. DMC, DMI and PTB are derived by circ and
//!   only checked against the file.
//! - env_wasgen: waste generated, all NACE activities and households (`TOTAL_HH`), all waste
//!   categories (`TOTAL`), hazardous and not (`HAZ_NHAZ`), as material `MIXED`.
//! - env_wastrt: waste treated by operation, likewise, into treatment processes.
//! - env_ac_cur: the published rate (unit `PC`), kept as a [`Published`] figure to compare with
//!   circ's own value; its components are not in the table.
//! - Imported and exported waste for recycling (IMP_w, EXP_w) are in none of these tables
//!   (Eurostat estimates them from Comext trade statistics), so the CMU rate of an imported
//!   model says that they are missing until the analyst adds them.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::{Layout, Point, Table, flag_meaning};
use crate::diagnostic::{Diagnostic, Location};
use crate::format::{RawFlow, RawMaterial, RawMeta, RawModel, RawProcess, RawSource};
use crate::model::Scope;
use crate::report::Report;
use crate::unit::Unit;

/// A dataset circ reads, with its title as the publisher gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DatasetInfo {
    pub code: &'static str,
    pub title: &'static str,
}

pub(crate) const DATASETS: [DatasetInfo; 5] = [
    DatasetInfo {
        code: "env_ac_mfa",
        title: "Material flow accounts",
    },
    DatasetInfo {
        code: "env_ac_cur",
        title: "Circular material use rate",
    },
    DatasetInfo {
        code: "env_wastrt",
        title: "Treatment of waste by waste category, hazardousness and waste management operations",
    },
    DatasetInfo {
        code: "env_wasgen",
        title: "Generation of waste by waste category, hazardousness and NACE Rev. 2 activity",
    },
    DatasetInfo {
        code: "un_irp_gmfd",
        title: "UN International Resource Panel, Global Material Flows Database",
    },
];

/// What to build: one geography and one year.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions<'a> {
    /// The geography: a Eurostat code (`CZ`, `EU27_2020`) or, for the UN IRP database, the
    /// country name as the file writes it.
    pub geo: &'a str,
    /// The year, as the files write the period: `2022`.
    pub year: &'a str,
    /// The release (vintage) of the files, when they do not state it themselves.
    pub release: Option<&'a str>,
    /// The model's name; default `<geo> <year>: official statistics`.
    pub name: Option<&'a str>,
}

/// A figure the files publish that circ computes itself (a CMU rate, a DMC given without its
/// components): kept to compare, never used as an input.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// The indicator or account id circ computes it as: `eurostat.cmu_rate.mf2`, `mfa.dmc`.
    pub id: String,
    /// The value: a fraction for rates, tonnes for masses.
    pub value: f64,
    /// `fraction` or `t`.
    pub unit: &'static str,
    /// Flags as written.
    pub flags: String,
    /// The id of its source in the model's `meta.sources`.
    pub source: String,
}

/// A model built from official statistics, with what the files leave missing.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The model document; valid, since it is built only of known processes and materials.
    pub document: RawModel<'static>,
    /// What is missing, inconsistent or skipped, each naming its file (and line where known).
    pub warnings: Vec<Diagnostic>,
    /// Figures the files publish that circ computes itself, for comparison.
    pub published: Vec<Published>,
}

impl Imported {
    /// The model as TOML, under a comment that says where it comes from.
    ///
    /// # Errors
    /// When a value cannot be written in TOML (a non-finite number, which the parsers refuse).
    pub fn to_toml(&self) -> Result<String, String> {
        let files: Vec<String> = self
            .document
            .meta
            .sources
            .iter()
            .map(|s| format!("#   [{}] {}", s.id, s.table.as_deref().unwrap_or(&s.title)))
            .collect();
        let body = crate::format::to_toml(&self.document)?;
        Ok(format!(
            "# Built by `circ import` from official statistics:\n{}\n# Each flow names its source in meta.sources and keeps its flags in its note. Values the\n# files give as missing (`:`) are not written, so the indicators that need them say so.\n\n{body}",
            files.join("\n")
        ))
    }
}

/// A slot of material: a group, the traded non-group categories, or the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    Mf1,
    Mf2,
    Mf3,
    Mf4,
    Mf5,
    Mf6,
    Total,
}

impl Slot {
    const GROUPS: [Slot; 4] = [Slot::Mf1, Slot::Mf2, Slot::Mf3, Slot::Mf4];

    fn code(self) -> &'static str {
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
    fn from_eurostat(code: &str) -> Option<Slot> {
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
    fn from_irp(category: &str) -> Option<Slot> {
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
struct Acc {
    /// Sum in tonnes.
    tonnes: f64,
    /// Sum in `unit`, when all parts share it.
    value: f64,
    unit: Option<Unit>,
    mixed_units: bool,
    decimals: u8,
    flags: BTreeSet<char>,
    /// Descriptions of missing parts (`:`); a slot with any is incomplete.
    missing: Vec<String>,
    parts: usize,
    /// The first table and line it was read from.
    table: usize,
    line: u32,
}

impl Acc {
    fn add(&mut self, table: usize, unit: Unit, p: &Point, what: &str) {
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

    fn complete(&self) -> bool {
        self.parts > 0 && self.missing.is_empty()
    }

    /// The value and unit to write: the file's own number when it is one observation, else the
    /// sum rounded to the decimals written.
    fn written(&self) -> (f64, Unit) {
        match (self.unit, self.mixed_units) {
            (Some(u), false) if self.parts == 1 => (self.value, u),
            (Some(u), false) => (round(self.value, self.decimals), u),
            _ => (round(self.tonnes, 3), Unit::Tonne),
        }
    }
}

fn round(v: f64, decimals: u8) -> f64 {
    let f = libm::pow(10.0, f64::from(decimals.min(9)));
    (v * f).round() / f
}

/// `flag e: estimated; flag p: provisional`.
fn flag_text(flags: &str) -> String {
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

fn unit_of(code: Option<&str>) -> Result<Unit, Option<&str>> {
    match code.map(str::to_ascii_uppercase).as_deref() {
        Some("THS_T" | "KT") => Ok(Unit::Kilotonne),
        Some("T" | "TONNES" | "TONNE") => Ok(Unit::Tonne),
        Some("MIO_T" | "MT") => Ok(Unit::Megatonne),
        Some("BIO_T" | "GT") => Ok(Unit::Gigatonne),
        _ => Err(code),
    }
}

/// Treatment operations of env_wastrt that circ writes, with their process.
const OPERATIONS: [(&str, &str); 7] = [
    ("RCV_R", "recycling"),
    ("RCV_B", "backfilling"),
    ("RCV_E", "energy_recovery"),
    ("DSP_I", "incineration"),
    ("DSP_L_OTH", "landfill"),
    ("DSP_L", "landfill"),
    ("DSP_OTH", "landfill"),
];

/// Processes of the imported network: id, role, name, balanced.
const PROCESSES: [(&str, &str, &str, bool); 9] = [
    ("extraction", "extraction", "Domestic extraction (DE)", true),
    ("imports", "import", "Imports (IMP)", true),
    ("exports", "export", "Exports (EXP)", true),
    (
        "economy",
        "use",
        "The economy, at accounts level (its inputs and outputs as the statistics give them)",
        false,
    ),
    (
        "waste_management",
        "collection",
        "Waste management, at accounts level (waste generated in, waste treated out)",
        false,
    ),
    (
        "recycling",
        "recycling",
        "Recycling, R2–R11 without backfilling (RCV_R); its outputs are not in the statistics",
        false,
    ),
    ("backfilling", "backfilling", "Backfilling (RCV_B)", true),
    (
        "energy_recovery",
        "energy_recovery",
        "Energy recovery, R1 (RCV_E)",
        true,
    ),
    (
        "incineration",
        "incineration",
        "Incineration without energy recovery, D10 (DSP_I)",
        true,
    ),
];

/// Every observation the builder uses, by what it is.
#[derive(Default)]
struct Collected {
    mfa: BTreeMap<(String, Slot), Acc>,
    rates: BTreeMap<Slot, (f64, String, usize)>,
    treated: BTreeMap<String, Acc>,
    generated: Option<Acc>,
    used: BTreeSet<usize>,
    skipped: BTreeMap<usize, BTreeSet<String>>,
}

/// Builds an accounts-level model of one geography and year from tables of official statistics.
///
/// # Errors
/// When the tables hold no figure for the geography and year.
pub fn build_model(
    tables: &[Table],
    opts: &ImportOptions<'_>,
) -> Result<Imported, Vec<Diagnostic>> {
    let mut warnings = Vec::new();
    let c = collect(tables, opts, &mut warnings);
    if c.used.is_empty() {
        let names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
        return Err(vec![
            Diagnostic::error(
                Location::at(names.first().copied().unwrap_or("import"), Vec::new()),
                format!(
                    "the files hold no figure circ reads for geo {} and year {}",
                    opts.geo, opts.year
                ),
            )
            .with_hint("check --geo (a Eurostat code such as CZ or EU27_2020; for the UN IRP database the country name) and --year, and that the files are env_ac_mfa, env_ac_cur, env_wasgen, env_wastrt or UN IRP tables"),
        ]);
    }
    let sources = sources(tables, &c, opts, &mut warnings);
    let source_of = |t: usize| sources[&t].id.clone();
    let mut flows: Vec<RawFlow<'static>> = Vec::new();
    let mut materials: BTreeSet<Slot> = BTreeSet::new();
    let mut published = Vec::new();
    let mut totals: BTreeMap<&str, f64> = BTreeMap::new();
    for (indic, from, to) in [
        ("DE", "extraction", "economy"),
        ("IMP", "imports", "economy"),
        ("EXP", "economy", "exports"),
    ] {
        let written = mfa_line(&c, tables, indic, opts.year, &mut warnings);
        for (slot, material, acc, note) in written {
            if matches!(slot, Some(Slot::Mf5 | Slot::Mf6)) {
                materials.insert(slot.expect("matched"));
            }
            let (value, unit) = acc.written();
            *totals.entry(indic).or_default() += unit.to_tonnes(value);
            flows.push(flow(
                &format!(
                    "{}.{}",
                    indic.to_ascii_lowercase(),
                    slot.map_or("unallocated", |s| s.code())
                        .to_ascii_lowercase()
                ),
                from,
                to,
                &material,
                value,
                unit,
                &source_of(acc.table),
                note,
            ));
        }
    }
    check_derived(
        &c,
        tables,
        &totals,
        &source_of,
        &mut published,
        &mut warnings,
    );
    if let Some(g) = &c.generated {
        if g.complete() {
            let (value, unit) = g.written();
            flows.push(flow(
                "waste.generated",
                "economy",
                "waste_management",
                "MIXED",
                value,
                unit,
                &source_of(g.table),
                note(tables, g, "waste generated, all activities and households"),
            ));
        } else {
            warnings.push(missing_warning(
                tables,
                g,
                "waste generated",
                "the line stays missing",
            ));
        }
    }
    treatment_flows(&c, tables, &source_of, &mut flows, &mut warnings);
    for (slot, (value, flags, table)) in &c.rates {
        let id = match slot {
            Slot::Total => "eurostat.cmu_rate".to_owned(),
            s => format!("eurostat.cmu_rate.{}", s.code().to_ascii_lowercase()),
        };
        published.push(Published {
            id,
            value: value / 100.0,
            unit: "fraction",
            flags: flags.clone(),
            source: source_of(*table),
        });
    }
    if c.treated.contains_key("RCV_R") {
        warnings.push(Diagnostic::warning(
            Location::at(&tables[c.treated["RCV_R"].table].name, Vec::new()),
            "imported and exported waste for recycling (IMP_w, EXP_w) are in none of these tables, so the CMU rate and the recycling rate will say they are missing",
        ).with_hint("Eurostat estimates them from Comext trade statistics; add them as flows imports → recycling and waste_management → exports (value 0 where there are none)"));
    }
    if flows.is_empty() {
        let mut diags = vec![
            Diagnostic::error(
                Location::at(
                    &tables[*c.used.first().expect("checked above")].name,
                    Vec::new(),
                ),
                format!(
                    "the files give no flow circ can write for geo {} and year {}",
                    opts.geo, opts.year
                ),
            )
            .with_hint("the warnings below say what is missing"),
        ];
        diags.append(&mut warnings);
        return Err(diags);
    }
    let processes = processes(&flows);
    let document = RawModel {
        meta: RawMeta {
            name: opts.name.map_or_else(
                || format!("{} {}: official statistics", geo_name(opts.geo), opts.year),
                str::to_owned,
            ),
            region: Some(opts.geo.to_owned()),
            year: opts.year.parse().ok(),
            unit: Some("kt".to_owned()),
            scope: Some(if opts.geo.eq_ignore_ascii_case("world") {
                Scope::Global
            } else {
                Scope::National
            }),
            description: Some(description(tables, &c, opts, &flows)),
            balance_tolerance: None,
            sources: sources.into_values().collect(),
        },
        materials: materials
            .into_iter()
            .map(|s| RawMaterial {
                id: s.code().to_owned(),
                name: Some(
                    match s {
                        Slot::Mf5 => "Other products (EW-MFA MF5, traded only)",
                        _ => "Waste for final treatment and disposal (EW-MFA MF6, traded only)",
                    }
                    .to_owned(),
                ),
                parent: "MIXED".to_owned(),
            })
            .collect(),
        processes,
        flows,
        flow_tables: Vec::new(),
        stock_changes: Vec::new(),
        economy: None,
    };
    Ok(Imported {
        document,
        warnings,
        published,
    })
}

/// Sorts every observation of the geography and year into what the builder uses.
fn collect(
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

/// The flows of one EW-MFA line: (slot or None for the unallocated rest, material, amount, note).
fn mfa_line(
    c: &Collected,
    tables: &[Table],
    indic: &str,
    year: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<(Option<Slot>, String, Acc, Option<String>)> {
    let get = |s: Slot| c.mfa.get(&(indic.to_owned(), s));
    let any = [
        Slot::Mf1,
        Slot::Mf2,
        Slot::Mf3,
        Slot::Mf4,
        Slot::Mf5,
        Slot::Mf6,
        Slot::Total,
    ]
    .iter()
    .filter_map(|s| get(*s))
    .next();
    let Some(first) = any else { return Vec::new() };
    let mut out = Vec::new();
    let groups_complete = Slot::GROUPS
        .iter()
        .all(|s| get(*s).is_some_and(Acc::complete));
    let total = get(Slot::Total).filter(|t| t.complete());
    if !groups_complete && total.is_none() {
        let mut missing: Vec<String> = Slot::GROUPS
            .iter()
            .filter_map(|s| match get(*s) {
                None => Some(format!("{} is not in the files", s.code())),
                Some(a) if !a.complete() => Some(a.missing.join(", ")),
                Some(_) => None,
            })
            .collect();
        if let Some(t) = get(Slot::Total) {
            missing.extend(t.missing.iter().cloned());
        } else {
            missing.push("TOTAL is not in the files".to_owned());
        }
        warnings.push(
            Diagnostic::warning(
                file_loc(tables, first),
                format!("{indic} {year} stays missing: {}", missing.join("; ")),
            )
            .with_hint("without every group or the TOTAL circ cannot give the line, and it never fills a gap with zero"),
        );
        return out;
    }
    let mut written_t = 0.0;
    let mut decimals = 0;
    let mut parts = 0;
    let groups: Vec<Slot> = if groups_complete {
        Slot::GROUPS.to_vec()
    } else {
        Slot::GROUPS
            .iter()
            .copied()
            .filter(|s| get(*s).is_some_and(Acc::complete))
            .collect()
    };
    for s in groups.iter().copied().chain([Slot::Mf5, Slot::Mf6]) {
        if let Some(a) = get(s).filter(|a| a.complete()) {
            written_t += a.tonnes;
            decimals = decimals.max(a.decimals);
            parts += 1;
            out.push((Some(s), s.code().to_owned(), a.clone(), note(tables, a, "")));
        }
    }
    if let Some(t) = total {
        let unit = t.unit.unwrap_or(Unit::Tonne);
        let step = unit.to_tonnes(libm::pow(10.0, -f64::from(decimals.max(t.decimals))));
        // Each figure is rounded to half a step, so their sum may be off by that much per part.
        let tol = t.tonnes.abs() * 1e-9 + 0.5 * step * (parts as f64 + 1.0);
        let rest_t = t.tonnes - written_t;
        if rest_t > tol || !groups_complete && rest_t >= -tol {
            let missing: Vec<String> = Slot::GROUPS
                .iter()
                .filter(|s| !groups.contains(s))
                .map(|s| match get(*s) {
                    Some(a) => a.missing.join(", "),
                    None => format!("{} is not in the files", s.code()),
                })
                .collect();
            let why = if missing.is_empty() {
                "TOTAL minus the material groups: not allocated to a group in the files".to_owned()
            } else {
                format!(
                    "TOTAL minus the groups the files give; not split by group because {}",
                    missing.join("; ")
                )
            };
            let value = round(unit.from_tonnes(rest_t.max(0.0)), decimals.max(t.decimals));
            let rest = Acc {
                value,
                unit: Some(unit),
                parts: 1,
                ..t.clone()
            };
            out.push((
                None,
                "MIXED".to_owned(),
                rest.clone(),
                note(tables, &rest, &why),
            ));
            if !groups_complete {
                warnings.push(Diagnostic::warning(
                    file_loc(tables, t),
                    format!("{indic} {year}: {why}; the rest of TOTAL is written as MIXED, so its per-group values are not computable"),
                ));
            }
        } else if rest_t < -tol {
            warnings.push(
                Diagnostic::warning(
                    file_loc(tables, t),
                    format!(
                        "{indic} {year}: the material groups add up to {} t more than TOTAL",
                        round(-rest_t, 3)
                    ),
                )
                .with_hint(
                    "the files disagree with themselves; the groups are written, TOTAL is not used",
                ),
            );
        }
    }
    out
}

/// Checks DMC, DMI and PTB of the files against those circ derives, and keeps them as published
/// figures when their components are missing.
fn check_derived(
    c: &Collected,
    tables: &[Table],
    totals: &BTreeMap<&str, f64>,
    source_of: &dyn Fn(usize) -> String,
    published: &mut Vec<Published>,
    warnings: &mut Vec<Diagnostic>,
) {
    let have = |k: &str| totals.get(k).copied();
    for (indic, derived) in [
        (
            "DMC",
            have("DE")
                .zip(have("IMP"))
                .zip(have("EXP"))
                .map(|((de, i), e)| de + i - e),
        ),
        ("DMI", have("DE").zip(have("IMP")).map(|(de, i)| de + i)),
        ("PTB", have("IMP").zip(have("EXP")).map(|(i, e)| i - e)),
    ] {
        let Some(given) = c
            .mfa
            .get(&(indic.to_owned(), Slot::Total))
            .filter(|a| a.complete())
        else {
            continue;
        };
        match derived {
            Some(d) => {
                let tol = given.tonnes.abs() * 1e-6 + 10.0;
                if (d - given.tonnes).abs() > tol {
                    warnings.push(Diagnostic::warning(
                        file_loc(tables, given),
                        format!(
                            "{indic} in the file is {} t, but the DE, IMP and EXP written give {} t",
                            given.tonnes, d
                        ),
                    ).with_hint("circ derives it from the flows; check that the files are of one release"));
                }
            }
            None => {
                if indic == "DMC" {
                    published.push(Published {
                        id: "mfa.dmc".to_owned(),
                        value: given.tonnes,
                        unit: "t",
                        flags: given.flags.iter().collect(),
                        source: source_of(given.table),
                    });
                    warnings.push(Diagnostic::warning(
                        file_loc(tables, given),
                        "the files give DMC but not all of DE, IMP and EXP; circ derives DMC from them, so the model has no DMC and keeps the file's figure for comparison only",
                    ).with_hint("download env_ac_mfa with indic_env DE, IMP and EXP as well"));
                }
            }
        }
    }
}

/// The flows from waste management into the treatment processes.
fn treatment_flows(
    c: &Collected,
    tables: &[Table],
    source_of: &dyn Fn(usize) -> String,
    flows: &mut Vec<RawFlow<'static>>,
    warnings: &mut Vec<Diagnostic>,
) {
    let t = &c.treated;
    let has = |op: &str| t.get(op).is_some_and(Acc::complete);
    let mut written = 0.0;
    let mut ops = 0;
    for (op, process) in OPERATIONS {
        let Some(a) = t.get(op) else { continue };
        // DSP_L and DSP_OTH are the parts of DSP_L_OTH: read them only without it.
        if matches!(op, "DSP_L" | "DSP_OTH") && t.contains_key("DSP_L_OTH") {
            continue;
        }
        if !a.complete() {
            warnings.push(missing_warning(
                tables,
                a,
                op,
                "its treatment line stays missing",
            ));
            continue;
        }
        let (value, unit) = a.written();
        written += a.tonnes;
        ops += 1;
        flows.push(flow(
            &format!("treated.{}", op.to_ascii_lowercase()),
            "waste_management",
            process,
            "MIXED",
            value,
            unit,
            &source_of(a.table),
            note(tables, a, ""),
        ));
    }
    if t.contains_key("DSP_L") != t.contains_key("DSP_OTH") && !t.contains_key("DSP_L_OTH") {
        let a = t
            .get("DSP_L")
            .or_else(|| t.get("DSP_OTH"))
            .expect("one is present");
        warnings.push(Diagnostic::warning(
            file_loc(tables, a),
            "only one of DSP_L (landfill) and DSP_OTH (other disposal) is in the files, so landfill and other disposal is incomplete",
        ));
    }
    if (!has("RCV_R") || !has("RCV_B")) && has("RCV_R_B") {
        warnings.push(Diagnostic::warning(
            file_loc(tables, &t["RCV_R_B"]),
            "the files give recycling and backfilling together (RCV_R_B) but not each; circ cannot split them, so the missing one stays missing",
        ).with_hint("download env_wastrt with wst_oper RCV_R and RCV_B"));
    }
    if let Some(trt) = t.get("TRT").filter(|a| a.complete())
        && ops > 0
    {
        let all_five = has("RCV_R")
            && has("RCV_B")
            && has("RCV_E")
            && has("DSP_I")
            && (has("DSP_L_OTH") || has("DSP_L") && has("DSP_OTH"));
        if all_five && (written - trt.tonnes).abs() > trt.tonnes.abs() * 1e-3 + 1.0 {
            warnings.push(Diagnostic::warning(
                file_loc(tables, trt),
                format!(
                    "the operations add up to {} t, but TRT (total treated) is {} t",
                    round(written, 3),
                    trt.tonnes
                ),
            ));
        }
    }
}

fn processes(flows: &[RawFlow<'_>]) -> Vec<RawProcess> {
    let used: BTreeSet<&str> = flows
        .iter()
        .flat_map(|f| [f.from.as_ref(), f.to.as_ref()])
        .collect();
    let mut out: Vec<RawProcess> = PROCESSES
        .iter()
        .filter(|(id, ..)| used.contains(id))
        .map(|(id, role, name, balanced)| RawProcess {
            id: (*id).to_owned(),
            name: Some((*name).to_owned()),
            role: (*role).to_owned(),
            balanced: (!balanced).then_some(false),
        })
        .collect();
    if used.contains("landfill") {
        out.push(RawProcess {
            id: "landfill".to_owned(),
            name: Some("Landfill and other disposal, D1–D7, D12 (DSP_L_OTH)".to_owned()),
            role: "landfill".to_owned(),
            balanced: None,
        });
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn flow(
    id: &str,
    from: &str,
    to: &str,
    material: &str,
    value: f64,
    unit: Unit,
    source: &str,
    note: Option<String>,
) -> RawFlow<'static> {
    RawFlow {
        id: Some(Cow::Owned(id.to_owned())),
        from: Cow::Owned(from.to_owned()),
        to: Cow::Owned(to.to_owned()),
        material: Cow::Owned(material.to_owned()),
        value,
        unit: Some(unit.symbol().to_owned()),
        uncertainty: None,
        source: Some(Cow::Owned(source.to_owned())),
        note: note.map(Cow::Owned),
    }
}

/// The note of a flow: where it was read, its flags, and `extra`.
fn note(tables: &[Table], a: &Acc, extra: &str) -> Option<String> {
    let flags: String = a.flags.iter().collect();
    let mut parts = vec![format!("{} line {}", tables[a.table].name, a.line)];
    if a.parts > 1 {
        parts[0] = format!("sum of {} rows from {}", a.parts, parts[0]);
    }
    if !flags.is_empty() {
        parts.push(flag_text(&flags));
    }
    if !extra.is_empty() {
        parts.push(extra.to_owned());
    }
    Some(parts.join("; "))
}

fn file_loc(tables: &[Table], a: &Acc) -> Location {
    let mut loc = Location::at(&tables[a.table].name, Vec::new());
    if a.line > 0 {
        loc.line = Some(a.line);
    }
    loc
}

fn missing_warning(tables: &[Table], a: &Acc, what: &str, consequence: &str) -> Diagnostic {
    Diagnostic::warning(
        file_loc(tables, a),
        format!("{what}: {}; {consequence}", a.missing.join(", ")),
    )
}

/// One source per table that gave a figure, keyed by table index.
fn sources(
    tables: &[Table],
    c: &Collected,
    opts: &ImportOptions<'_>,
    warnings: &mut Vec<Diagnostic>,
) -> BTreeMap<usize, RawSource> {
    let mut out = BTreeMap::new();
    let mut ids = BTreeSet::new();
    for &ti in &c.used {
        let t = &tables[ti];
        let code = t
            .dataset
            .clone()
            .unwrap_or_else(|| format!("table{}", ti + 1));
        let mut id = code.clone();
        let mut n = 2;
        while !ids.insert(id.clone()) {
            id = format!("{code}_{n}");
            n += 1;
        }
        let info = DATASETS.iter().find(|d| d.code == code);
        let irp = t.layout == Layout::IrpCsv;
        let title = match (irp, info) {
            (true, _) => {
                "UN International Resource Panel, Global Material Flows Database".to_owned()
            }
            (false, Some(i)) => format!("Eurostat, {} ({})", i.title, i.code),
            (false, None) => format!("Eurostat table {code}"),
        };
        let url = if irp {
            "https://www.resourcepanel.org/global-material-flows-database".to_owned()
        } else {
            format!("https://ec.europa.eu/eurostat/databrowser/view/{code}/default/table")
        };
        let release = match (&t.last_update, opts.release) {
            (Some(l), _) => format!("{l} (LAST UPDATE in the file)"),
            (None, Some(r)) => r.to_owned(),
            (None, None) => {
                warnings.push(Diagnostic::warning(
                    Location::at(&t.name, Vec::new()),
                    "the file does not state its release, so the model cannot say which vintage its numbers are",
                ).with_hint("give it with --release (the date of the download or of the dataset's last update)"));
                "not stated in the file".to_owned()
            }
        };
        let mut note = vec![format!("{} file, read by circ import", t.layout)];
        let flags: BTreeSet<char> = c
            .mfa
            .values()
            .chain(c.treated.values())
            .chain(c.generated.iter())
            .filter(|a| a.table == ti)
            .flat_map(|a| a.flags.iter().copied())
            .collect();
        if !flags.is_empty() {
            note.push(format!(
                "flags kept in the flows' notes: {}",
                flag_text(&flags.iter().collect::<String>())
            ));
        }
        let rates: Vec<String> = c
            .rates
            .iter()
            .filter(|(_, (_, _, t))| *t == ti)
            .map(|(s, (v, f, _))| {
                let flags = if f.is_empty() {
                    String::new()
                } else {
                    format!(" {f}")
                };
                format!("{} {v}{flags}", s.code())
            })
            .collect();
        if !rates.is_empty() {
            note.push(format!(
                "published circular material use rate (%), kept for comparison: {}",
                rates.join(", ")
            ));
        }
        if let Some(skipped) = c.skipped.get(&ti) {
            note.push(format!(
                "not read: {}",
                skipped.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        out.insert(
            ti,
            RawSource {
                id,
                title,
                url: Some(url),
                table: Some(format!("{}: geo {}, {}", t.name, opts.geo, opts.year)),
                release: Some(release),
                licence: Some(if irp {
                    "UNEP IRP Global Material Flows Database: free use with attribution".to_owned()
                } else {
                    "Eurostat: reuse authorised, the source acknowledged (Commission Decision 2011/833/EU)".to_owned()
                }),
                note: Some(note.join("; ")),
            },
        );
    }
    out
}

fn description(
    tables: &[Table],
    c: &Collected,
    opts: &ImportOptions<'_>,
    flows: &[RawFlow<'_>],
) -> String {
    let files: Vec<&str> = c.used.iter().map(|t| tables[*t].name.as_str()).collect();
    format!(
        "{} {} at accounts level, built by circ import from {} ({} flows). Missing values are not written: the indicators that need them say what is missing.",
        geo_name(opts.geo),
        opts.year,
        files.join(", "),
        flows.len()
    )
}

/// Names of the geographies circ's users work with; other codes are shown as they are.
fn geo_name(geo: &str) -> String {
    let name = match geo {
        "EU27_2020" => "European Union (27 countries, from 2020)",
        "CZ" => "Czechia",
        "PL" => "Poland",
        "LT" => "Lithuania",
        "RO" => "Romania",
        "SK" => "Slovakia",
        "UA" => "Ukraine",
        "DE" => "Germany",
        "AT" => "Austria",
        "HU" => "Hungary",
        _ => geo,
    };
    name.to_owned()
}

/// Published figures beside circ's own values, one line each: what a front end prints after an
/// import.
#[must_use]
pub fn compare_published(report: &Report, published: &[Published]) -> Vec<String> {
    published
        .iter()
        .map(|p| {
            let shown = |v: f64| match p.unit {
                "fraction" => format!("{:.1} %", v * 100.0),
                _ => format!("{} kt", v / 1000.0),
            };
            let flags = if p.flags.is_empty() {
                String::new()
            } else {
                format!(" ({})", flag_text(&p.flags))
            };
            let circ = if p.id.starts_with("mfa.") {
                report
                    .accounts
                    .iter()
                    .find(|a| a.id == p.id)
                    .map(|a| (a.total, a.missing.clone()))
            } else {
                report.indicator(&p.id).map(|i| (i.value, i.reason.clone()))
            };
            let theirs = format!(
                "{}: published {}{flags} [{}]",
                p.id,
                shown(p.value),
                p.source
            );
            match circ {
                Some((Some(v), _)) => format!(
                    "{theirs}; circ {} (difference {:+.2} pp)",
                    shown(v),
                    (v - p.value) * 100.0
                ),
                Some((None, why)) => format!(
                    "{theirs}; circ: not computable: {}",
                    why.unwrap_or_default()
                ),
                None => theirs,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
