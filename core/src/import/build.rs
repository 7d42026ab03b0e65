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

use std::collections::{BTreeMap, BTreeSet};

use self::collect::{Collected, Slot, collect, flag_text};
use self::lines::{
    check_derived, flow, mfa_line, missing_warning, note, processes, treatment_flows,
};
use super::{Layout, Point, Table, flag_meaning};
use crate::diagnostic::{Diagnostic, Location};
use crate::format::{RawFlow, RawMaterial, RawMeta, RawModel, RawSource};
use crate::model::Scope;
use crate::report::Report;

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
            .map(|s| {
                let line = format!("[{}] {}", s.id, s.table.as_deref().unwrap_or(&s.title));
                format!("#   {}", printable(&line))
            })
            .collect();
        let body = crate::format::to_toml(&self.document)?;
        Ok(format!(
            "# Built by `circ import` from official statistics:\n{}\n# Each flow names its source in meta.sources and keeps its flags in its note. Values the\n# files give as missing (`:`) are not written, so the indicators that need them say so.\n\n{body}",
            files.join("\n")
        ))
    }
}

/// `text` fit for a TOML comment, which may hold no control character: those a file carries
/// (in a code or a name) are written as escapes.
///
/// Regression: the fuzz targets `eurostat_tsv` and `sdmx_csv` found that a NUL in a geography
/// code or a dataflow id made the written model unreadable.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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
    if warnings
        .iter()
        .any(|d| d.severity == crate::Severity::Error)
    {
        return Err(warnings);
    }
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
        dynamics: None,
    };
    Ok(Imported {
        document,
        warnings,
        published,
    })
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

mod collect;
mod lines;

#[cfg(test)]
mod tests;
