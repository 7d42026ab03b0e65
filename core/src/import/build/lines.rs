//! Writing the model: the flows of each EW-MFA line and treatment operation, checks of the
//! derived lines, and the processes, flows and notes of the imported network.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use super::collect::{Acc, Collected, Slot, flag_text, round};
use super::{Published, Table};
use crate::diagnostic::{Diagnostic, Location};
use crate::format::{RawFlow, RawProcess};
use crate::unit::Unit;

/// Treatment operations of env_wastrt that circ writes, with their process.
pub(super) const OPERATIONS: [(&str, &str); 7] = [
    ("RCV_R", "recycling"),
    ("RCV_B", "backfilling"),
    ("RCV_E", "energy_recovery"),
    ("DSP_I", "incineration"),
    ("DSP_L_OTH", "landfill"),
    ("DSP_L", "landfill"),
    ("DSP_OTH", "landfill"),
];

/// Processes of the imported network: id, role, name, balanced.
pub(super) const PROCESSES: [(&str, &str, &str, bool); 9] = [
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

/// The flows of one EW-MFA line: (slot or None for the unallocated rest, material, amount, note).
pub(super) fn mfa_line(
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
pub(super) fn check_derived(
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
pub(super) fn treatment_flows(
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

pub(super) fn processes(flows: &[RawFlow<'_>]) -> Vec<RawProcess> {
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
pub(super) fn flow(
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
        value: Some(value),
        share: None,
        unit: Some(unit.symbol().to_owned()),
        uncertainty: None,
        source: Some(Cow::Owned(source.to_owned())),
        note: note.map(Cow::Owned),
    }
}

/// The note of a flow: where it was read, its flags, and `extra`.
pub(super) fn note(tables: &[Table], a: &Acc, extra: &str) -> Option<String> {
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

pub(super) fn file_loc(tables: &[Table], a: &Acc) -> Location {
    let mut loc = Location::at(&tables[a.table].name, Vec::new());
    if a.line > 0 {
        loc.line = Some(a.line);
    }
    loc
}

pub(super) fn missing_warning(
    tables: &[Table],
    a: &Acc,
    what: &str,
    consequence: &str,
) -> Diagnostic {
    Diagnostic::warning(
        file_loc(tables, a),
        format!("{what}: {}; {consequence}", a.missing.join(", ")),
    )
}
