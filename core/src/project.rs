//! Projection: a model with dynamic stocks becomes one model per year, and every indicator a
//! time series.
//!
//! Where this sits: after [`dynamics`](crate::dynamics) has computed each stock's inflow and
//! outflow by year, [`project`] builds, for each year, a [`Model`] from the network and that
//! year's flows, and runs [`run`](crate::run()) on it: the accounts and indicators are those of
//! `circ run`, never re-implemented. [`year_model`] gives one of those models.
//!
//! Each year's model is the network with these changes, all by material group:
//! 1. **Inflow.** The flows into a stock's process from outside waste management are scaled so
//!    that each group sums to the year's inflow times the content (split as in the network).
//! 2. **End of life.** The flows from that process to processes outside the economy are
//!    replaced by the year's outflow of each content material, split over the same destinations
//!    in the network's proportions or the year's yearly [`crate::dynamics::Share`]s (the
//!    collection rate).
//! 3. **Waste management.** Every output of a collection, sorting or treatment process is its
//!    transfer coefficient times the year's input, `x = b + T x` solved by iteration; the
//!    coefficient is the network's flow over the process's input of that group, or the year's
//!    share. Outputs of a group the process receives none of in the network stay as they are.
//! 4. **Supply.** An economy process without a dynamic stock whose outputs or secondary inputs
//!    changed keeps its balance by group: its inputs from sources (extraction, imports) and from
//!    other such processes change in the network's proportions, upstream to extraction and
//!    imports. So secondary material displaces virgin material, and demand drives extraction.
//!    What cannot be balanced (no such input of the group; secondary supply beyond the need)
//!    stays unbalanced and is reported in the year's notes.
//! 5. **Stock.** The stock change of each content material is the year's inflow − outflow.
//!
//! Everything else keeps its network value. Stock changes of waste-management processes keep
//! theirs too.

use serde::Serialize;

use crate::accounts::AccountLine;
use crate::dynamics::{Dynamics, Share};
use crate::model::{Basis, Flow, MaterialGroup, MaterialId, Model, ProcessId, StockChange};
use crate::report::{Report, VERSION, format_mass, run};
use crate::unit::Unit;

/// Which years to project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectOptions {
    /// First year.
    pub from: i32,
    /// Last year (inclusive).
    pub to: i32,
}

/// Why a model cannot be projected.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectError {
    /// The model has no `[dynamics]` section.
    NoDynamics,
    /// `from` is after `to`.
    Reversed {
        /// First year asked for.
        from: i32,
        /// Last year asked for.
        to: i32,
    },
    /// The years asked for are not all on the model's time axis.
    OutsideAxis {
        /// First year asked for.
        from: i32,
        /// Last year asked for.
        to: i32,
        /// First year of the axis.
        first: i32,
        /// Last year of the axis.
        last: i32,
    },
    /// The shares of a process's destinations add up to more than the network allows, or leave
    /// a remainder that no other destination can take.
    Shares {
        /// The process.
        process: String,
        /// The material group.
        group: MaterialGroup,
        /// The year.
        year: i32,
        /// What is wrong.
        why: String,
    },
    /// Waste circulates among waste-management processes without leaving.
    WasteLoop {
        /// The year.
        year: i32,
    },
}

impl std::fmt::Display for ProjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProjectError::NoDynamics => f.write_str(
                "the model has no [dynamics] section: nothing to project (see docs/stocks.md)",
            ),
            ProjectError::Reversed { from, to } => {
                write!(f, "--from {from} is after --to {to}")
            }
            ProjectError::OutsideAxis {
                from,
                to,
                first,
                last,
            } => write!(
                f,
                "{from}–{to} is not within the model's time axis {first}–{last}"
            ),
            ProjectError::Shares {
                process,
                group,
                year,
                why,
            } => write!(
                f,
                "shares of \"{process}\" for {} in {year}: {why}",
                group.code()
            ),
            ProjectError::WasteLoop { year } => write!(
                f,
                "in {year}, waste circulates among waste-management processes without leaving: some loop passes on all of its input"
            ),
        }
    }
}

impl std::error::Error for ProjectError {}

/// One dynamic stock's series over the projected years, in its own unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StockRow {
    /// Stock id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The process holding it.
    pub process: String,
    /// Unit of the values: a mass unit or a count.
    pub unit: String,
    /// Stock at the end of each year.
    pub stock: Vec<f64>,
    /// Inflow.
    pub inflow: Vec<f64>,
    /// Outflow (end of life, and deficit removals).
    pub outflow: Vec<f64>,
    /// Deficit removals of a shrinking stock-driven stock.
    pub deficit: Vec<f64>,
}

/// One indicator over the projected years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorSeries {
    /// Stable id, as in `circ run`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Unit of the values.
    pub unit: String,
    /// The formula.
    pub formula: &'static str,
    /// The value in each year; `None` where it cannot be computed.
    pub values: Vec<Option<f64>>,
    /// Why it cannot be computed, in the years it cannot (the first reason given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One account line over the projected years, in tonnes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountSeries {
    /// Stable id: `waste.generated`.
    pub id: &'static str,
    /// Name with its code.
    pub name: &'static str,
    /// Total in each year, tonnes; `None` where missing.
    pub values: Vec<Option<f64>>,
}

/// A note about one year of the projection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The year.
    pub year: i32,
    /// What happened.
    pub message: String,
}

/// Indicators and accounts of a model with dynamic stocks, year by year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    /// The circ version that computed it.
    pub circ: &'static str,
    /// Model name.
    pub model: String,
    /// Display unit of masses (values are in tonnes in JSON and CSV).
    pub unit: Unit,
    /// The projected years.
    pub years: Vec<i32>,
    /// Each dynamic stock.
    pub stocks: Vec<StockRow>,
    /// Each indicator of `circ run`.
    pub indicators: Vec<IndicatorSeries>,
    /// Each account line.
    pub accounts: Vec<AccountSeries>,
    /// What could not be balanced, year by year.
    pub notes: Vec<Note>,
}

/// Projects a model with dynamic stocks over `opts.from..=opts.to`.
///
/// # Errors
/// When the model has no dynamics, the years are not on its axis, or a year's shares or waste
/// loops cannot be resolved (see [`ProjectError`]).
pub fn project(model: &Model, opts: &ProjectOptions) -> Result<Projection, ProjectError> {
    let dynamics = model.dynamics().ok_or(ProjectError::NoDynamics)?;
    let range = indices(dynamics, opts)?;
    let years: Vec<i32> = range
        .clone()
        .map(|k| dynamics.first_year() + k as i32)
        .collect();
    let mut reports: Vec<Report> = Vec::with_capacity(years.len());
    let mut notes = Vec::new();
    for k in range.clone() {
        let (m, mut n) = build(model, dynamics, k)?;
        reports.push(run(&m));
        notes.append(&mut n);
    }
    let stocks = dynamics
        .stocks()
        .iter()
        .map(|d| {
            let s = d.series();
            let cut = |v: &[f64]| -> Vec<f64> {
                let scale = |x: f64| match d.unit() {
                    crate::dynamics::StockUnit::Mass(u) => u.from_tonnes(x),
                    crate::dynamics::StockUnit::Count(_) => x,
                };
                v[range.clone()].iter().map(|x| scale(*x)).collect()
            };
            StockRow {
                id: d.id().to_owned(),
                name: d.name().to_owned(),
                process: model.process(d.process()).id.clone(),
                unit: d.unit().symbol(),
                stock: cut(&s.stock),
                inflow: cut(&s.inflow),
                outflow: cut(&s.outflow),
                deficit: cut(&s.deficit),
            }
        })
        .collect();
    let first = &reports[0];
    let indicators = first
        .indicators
        .iter()
        .enumerate()
        .map(|(i, ind)| IndicatorSeries {
            id: ind.id.clone(),
            name: ind.name.clone(),
            unit: ind.unit.clone(),
            formula: ind.formula,
            values: reports.iter().map(|r| r.indicators[i].value).collect(),
            reason: reports.iter().find_map(|r| r.indicators[i].reason.clone()),
        })
        .collect();
    let accounts = first
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| AccountSeries {
            id: a.id,
            name: a.name,
            values: reports.iter().map(|r| r.accounts[i].total).collect(),
        })
        .collect();
    Ok(Projection {
        circ: VERSION,
        model: model.meta().name.clone(),
        unit: model.meta().unit,
        years,
        stocks,
        indicators,
        accounts,
        notes,
    })
}

/// The model of one year of the axis, as [`project`] builds it, with its notes.
///
/// # Errors
/// As [`project`].
pub fn year_model(model: &Model, year: i32) -> Result<(Model, Vec<Note>), ProjectError> {
    let dynamics = model.dynamics().ok_or(ProjectError::NoDynamics)?;
    let k = indices(
        dynamics,
        &ProjectOptions {
            from: year,
            to: year,
        },
    )?
    .start;
    build(model, dynamics, k)
}

fn indices(d: &Dynamics, opts: &ProjectOptions) -> Result<std::ops::Range<usize>, ProjectError> {
    if opts.from > opts.to {
        return Err(ProjectError::Reversed {
            from: opts.from,
            to: opts.to,
        });
    }
    match (d.index(opts.from), d.index(opts.to)) {
        (Some(a), Some(b)) => Ok(a..b + 1),
        _ => Err(ProjectError::OutsideAxis {
            from: opts.from,
            to: opts.to,
            first: d.first_year(),
            last: d.last_year(),
        }),
    }
}

/// What happens to a flow of the network in a year's model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Kept at its network value, unless supply balancing adjusts it.
    Kept,
    /// Into a stock's process: scaled to the inflow.
    Supply,
    /// Out of a stock's process to the end of life: replaced by the routed outflow.
    EndOfLife,
    /// Out of a waste-management process: transfer coefficient × input.
    Waste,
}

const G: usize = 5;

fn group_of(model: &Model, m: MaterialId) -> usize {
    model.material(m).group.index()
}

/// Builds the model of axis year `k`.
fn build(model: &Model, d: &Dynamics, k: usize) -> Result<(Model, Vec<Note>), ProjectError> {
    let year = d.first_year() + k as i32;
    let np = model.processes().len();
    let role = |p: ProcessId| model.process(p).role;
    let is_wm = |p: ProcessId| role(p).is_waste_management();
    // Demand, end of life and stock change of each stock process, by material.
    let mut holds = vec![false; np];
    let mut demand = vec![[0.0; G]; np];
    let mut content_groups = vec![[false; G]; np];
    let mut eol: Vec<(ProcessId, MaterialId, f64)> = Vec::new();
    let mut stock_change: Vec<(ProcessId, MaterialId, f64)> = Vec::new();
    for s in d.stocks() {
        let p = s.process();
        holds[p.0 as usize] = true;
        let series = s.series();
        for c in s.content() {
            let g = group_of(model, c.material);
            content_groups[p.0 as usize][g] = true;
            demand[p.0 as usize][g] += series.inflow[k] * c.per_unit;
            add(&mut eol, p, c.material, series.outflow[k] * c.per_unit);
            add(
                &mut stock_change,
                p,
                c.material,
                (series.inflow[k] - series.outflow[k]) * c.per_unit,
            );
        }
    }
    let flows = model.flows();
    let kinds: Vec<Kind> = flows
        .iter()
        .map(|f| {
            let g = group_of(model, f.material);
            if is_wm(f.from) {
                Kind::Waste
            } else if holds[f.from.0 as usize]
                && content_groups[f.from.0 as usize][g]
                && !role(f.to).is_economy()
            {
                Kind::EndOfLife
            } else if holds[f.to.0 as usize] && content_groups[f.to.0 as usize][g] {
                Kind::Supply
            } else {
                Kind::Kept
            }
        })
        .collect();
    let mut value: Vec<f64> = flows.iter().map(|f| f.value).collect();
    let mut notes = Vec::new();

    // 1. Supply into stock processes, scaled by group.
    let mut supply_base = vec![[0.0; G]; np];
    let mut supply_count = vec![[0usize; G]; np];
    for (f, kind) in flows.iter().zip(&kinds) {
        if *kind == Kind::Supply {
            let g = group_of(model, f.material);
            supply_base[f.to.0 as usize][g] += f.value;
            supply_count[f.to.0 as usize][g] += 1;
        }
    }
    for (i, (f, kind)) in flows.iter().zip(&kinds).enumerate() {
        if *kind == Kind::Supply {
            let (p, g) = (f.to.0 as usize, group_of(model, f.material));
            value[i] = if supply_base[p][g] > 0.0 {
                demand[p][g] * f.value / supply_base[p][g]
            } else {
                demand[p][g] / supply_count[p][g] as f64
            };
        }
    }

    // 2. End of life, routed by the network's proportions or the year's shares.
    let mut new_flows: Vec<Flow> = Vec::new();
    for &(p, m, amount) in &eol {
        let g = group_of(model, m);
        let dest: Vec<(ProcessId, f64)> = destinations(model, &kinds, p, g, Kind::EndOfLife);
        let base: Vec<f64> = normalise(&dest.iter().map(|(_, v)| *v).collect::<Vec<_>>());
        let shares = apply_shares(model, d, k, p, g, &dest, &base, 1.0)?;
        for ((q, _), s) in dest.iter().zip(shares) {
            new_flows.push(Flow {
                id: None,
                from: p,
                to: *q,
                material: m,
                value: amount * s,
                // Computed by the projection from the stock model and the year's shares.
                basis: Basis::Balance,
                uncertainty: None,
                source: None,
            });
        }
    }

    // 3. Waste management: x = b + T x, by group.
    let mut input_base = vec![[0.0; G]; np];
    for f in flows {
        input_base[f.to.0 as usize][group_of(model, f.material)] += f.value;
    }
    // Transfer coefficient of each waste flow (None: kept constant), with the year's shares.
    let mut tc: Vec<Option<f64>> = vec![None; flows.len()];
    for p in (0..np).map(|i| ProcessId(i as u32)).filter(|p| is_wm(*p)) {
        for (g, &inp) in input_base[p.0 as usize].iter().enumerate() {
            if inp <= 0.0 {
                continue;
            }
            let dest = destinations(model, &kinds, p, g, Kind::Waste);
            if dest.is_empty() {
                continue;
            }
            let base: Vec<f64> = dest.iter().map(|(_, v)| v / inp).collect();
            let total: f64 = base.iter().sum();
            let shares = apply_shares(model, d, k, p, g, &dest, &base, total)?;
            // Spread each destination's coefficient over its flows in the network's proportions.
            for ((q, sum), s) in dest.iter().zip(shares) {
                let members: Vec<usize> = (0..flows.len())
                    .filter(|i| {
                        kinds[*i] == Kind::Waste
                            && flows[*i].from == p
                            && flows[*i].to == *q
                            && group_of(model, flows[*i].material) == g
                    })
                    .collect();
                for i in &members {
                    tc[*i] = Some(if *sum > 0.0 {
                        s * flows[*i].value / sum
                    } else {
                        s / members.len() as f64
                    });
                }
            }
        }
    }
    // External input of each waste-management process: everything not from waste management.
    let mut external = vec![[0.0; G]; np];
    for (i, f) in flows.iter().enumerate() {
        if kinds[i] != Kind::Waste && kinds[i] != Kind::EndOfLife && is_wm(f.to) {
            external[f.to.0 as usize][group_of(model, f.material)] += value[i];
        }
    }
    for f in &new_flows {
        if is_wm(f.to) {
            external[f.to.0 as usize][group_of(model, f.material)] += f.value;
        }
    }
    let mut x = external.clone();
    let scale = 1.0 + flows.iter().map(|f| f.value).fold(0.0, f64::max);
    let mut converged = false;
    for _ in 0..10_000 {
        let mut next = external.clone();
        for (i, f) in flows.iter().enumerate() {
            if kinds[i] == Kind::Waste && is_wm(f.to) {
                let g = group_of(model, f.material);
                next[f.to.0 as usize][g] += match tc[i] {
                    Some(c) => c * x[f.from.0 as usize][g],
                    None => f.value,
                };
            }
        }
        let change = x
            .iter()
            .flatten()
            .zip(next.iter().flatten())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        x = next;
        if change <= 1e-13 * scale {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(ProjectError::WasteLoop { year });
    }
    for (i, f) in flows.iter().enumerate() {
        if let (Kind::Waste, Some(c)) = (kinds[i], tc[i]) {
            value[i] = c * x[f.from.0 as usize][group_of(model, f.material)];
        }
    }

    // 4. Supply balancing of economy processes without dynamic stocks.
    balance_supply(
        model,
        &kinds,
        &holds,
        &base_values(flows),
        &mut value,
        &new_flows,
        year,
        &mut notes,
    );

    // 5. Assemble.
    let mut year_flows: Vec<Flow> = flows
        .iter()
        .zip(&kinds)
        .zip(&value)
        .filter(|((_, kind), _)| **kind != Kind::EndOfLife)
        .map(|((f, _), v)| Flow {
            value: *v,
            ..f.clone()
        })
        .collect();
    year_flows.extend(new_flows);
    let mut changes: Vec<StockChange> = model
        .stock_changes()
        .iter()
        .filter(|s| {
            !(holds[s.process.0 as usize]
                && content_groups[s.process.0 as usize][group_of(model, s.material)])
        })
        .cloned()
        .collect();
    changes.extend(stock_change.into_iter().map(|(p, m, v)| StockChange {
        process: p,
        material: m,
        value: v,
        basis: Basis::Balance,
        uncertainty: None,
        source: None,
    }));
    let mut meta = model.meta().clone();
    meta.year = Some(year);
    Ok((
        Model {
            meta,
            materials: model.materials().to_vec(),
            processes: model.processes().to_vec(),
            flows: year_flows,
            flow_ids: model.flow_ids.clone(),
            stock_changes: changes,
            economy: model.economy().clone(),
            dynamics: None,
        },
        notes,
    ))
}

fn add(list: &mut Vec<(ProcessId, MaterialId, f64)>, p: ProcessId, m: MaterialId, v: f64) {
    match list.iter_mut().find(|(q, n, _)| *q == p && *n == m) {
        Some(entry) => entry.2 += v,
        None => list.push((p, m, v)),
    }
}

fn base_values(flows: &[Flow]) -> Vec<f64> {
    flows.iter().map(|f| f.value).collect()
}

/// The destinations of `p`'s flows of `kind` and group `g`, in order of first appearance, with
/// the network's total to each.
fn destinations(
    model: &Model,
    kinds: &[Kind],
    p: ProcessId,
    g: usize,
    kind: Kind,
) -> Vec<(ProcessId, f64)> {
    let mut out: Vec<(ProcessId, f64)> = Vec::new();
    for (f, k) in model.flows().iter().zip(kinds) {
        if *k == kind && f.from == p && group_of(model, f.material) == g {
            match out.iter_mut().find(|(q, _)| *q == f.to) {
                Some(e) => e.1 += f.value,
                None => out.push((f.to, f.value)),
            }
        }
    }
    out
}

/// Weights scaled to sum to 1; equal shares when they are all zero.
fn normalise(w: &[f64]) -> Vec<f64> {
    let sum: f64 = w.iter().sum();
    if sum > 0.0 {
        w.iter().map(|v| v / sum).collect()
    } else {
        vec![1.0 / w.len().max(1) as f64; w.len()]
    }
}

/// The year's share of each destination: the network's `base` shares (summing to `total`), with
/// the destinations that have a yearly [`Share`] set to it and the others scaled so that the
/// sum stays `total`.
#[allow(clippy::too_many_arguments)]
fn apply_shares(
    model: &Model,
    d: &Dynamics,
    k: usize,
    p: ProcessId,
    g: usize,
    dest: &[(ProcessId, f64)],
    base: &[f64],
    total: f64,
) -> Result<Vec<f64>, ProjectError> {
    let group = MaterialGroup::ALL[g];
    let set: Vec<Option<f64>> = dest
        .iter()
        .map(|(q, _)| {
            d.shares()
                .iter()
                .rev()
                .find(|s: &&Share| {
                    s.from == p && s.to == *q && s.group.is_none_or(|sg| sg == group)
                })
                .map(|s| s.values[k])
        })
        .collect();
    if set.iter().all(Option::is_none) {
        return Ok(base.to_vec());
    }
    let year = d.first_year() + k as i32;
    let fail = |why: String| ProjectError::Shares {
        process: model.process(p).id.clone(),
        group,
        year,
        why,
    };
    let fixed: f64 = set.iter().flatten().sum();
    let free_base: f64 = base
        .iter()
        .zip(&set)
        .filter(|(_, s)| s.is_none())
        .map(|(b, _)| b)
        .sum();
    let rest = total - fixed;
    if rest < -1e-12 {
        return Err(fail(format!(
            "the shares set sum to {fixed}, more than the {total} of its input that the network passes on"
        )));
    }
    let rest = rest.max(0.0);
    if free_base <= 0.0 && rest > 1e-12 {
        let free = set.iter().filter(|s| s.is_none()).count();
        if free == 0 {
            return Err(fail(format!(
                "the shares set sum to {fixed}, but the network passes on {total} of its input"
            )));
        }
        // Destinations with no flow in the network share the remainder equally.
        return Ok(set
            .iter()
            .map(|s| s.unwrap_or(rest / free as f64))
            .collect());
    }
    Ok(base
        .iter()
        .zip(&set)
        .map(|(b, s)| match s {
            Some(v) => *v,
            None if free_base > 0.0 => b * rest / free_base,
            None => 0.0,
        })
        .collect())
}

/// Step 4: economy processes without dynamic stocks keep their network balance by group,
/// adjusting their inputs from sources and from other such processes, upstream.
#[allow(clippy::too_many_arguments)]
fn balance_supply(
    model: &Model,
    kinds: &[Kind],
    holds: &[bool],
    base: &[f64],
    value: &mut [f64],
    new_flows: &[Flow],
    year: i32,
    notes: &mut Vec<Note>,
) {
    let np = model.processes().len();
    let unit = model.meta().unit;
    let flows = model.flows();
    let balanced = |p: ProcessId| model.process(p).role.is_economy() && !holds[p.0 as usize];
    let adjustable: Vec<bool> = flows
        .iter()
        .zip(kinds)
        .map(|(f, k)| {
            *k == Kind::Kept
                && balanced(f.to)
                && (model.process(f.from).role.is_source() || balanced(f.from))
        })
        .collect();
    // The network's balance of each process and group: in − out − stock change.
    let mut target = vec![[0.0; G]; np];
    for (f, v) in flows.iter().zip(base) {
        let g = group_of(model, f.material);
        target[f.to.0 as usize][g] += v;
        target[f.from.0 as usize][g] -= v;
    }
    let mut stock = vec![[0.0; G]; np];
    for s in model.stock_changes() {
        stock[s.process.0 as usize][group_of(model, s.material)] += s.value;
    }
    for (t, s) in target.iter_mut().zip(&stock) {
        for g in 0..G {
            t[g] -= s[g];
        }
    }
    let scale = 1.0 + base.iter().fold(0.0, |m: f64, v| m.max(*v));
    let tol = 1e-12 * scale;
    let mut unresolved: Vec<(ProcessId, usize, String)> = Vec::new();
    let mut converged = false;
    for _ in 0..1_000 {
        let mut balance = vec![[0.0; G]; np];
        for (f, v) in flows.iter().zip(value.iter()) {
            let g = group_of(model, f.material);
            balance[f.to.0 as usize][g] += v;
            balance[f.from.0 as usize][g] -= v;
        }
        for f in new_flows {
            let g = group_of(model, f.material);
            balance[f.to.0 as usize][g] += f.value;
            balance[f.from.0 as usize][g] -= f.value;
        }
        let mut moved = false;
        unresolved.clear();
        for p in (0..np)
            .map(|i| ProcessId(i as u32))
            .filter(|p| balanced(*p))
        {
            for g in 0..G {
                let i = p.0 as usize;
                // in − out − ΔS must equal the network's: the input missing for that.
                let need = target[i][g] + stock[i][g] - balance[i][g];
                if need.abs() <= tol {
                    continue;
                }
                let inputs: Vec<usize> = (0..flows.len())
                    .filter(|j| {
                        adjustable[*j]
                            && flows[*j].to == p
                            && group_of(model, flows[*j].material) == g
                    })
                    .collect();
                let have: f64 = inputs.iter().map(|j| value[*j]).sum();
                let group = MaterialGroup::ALL[g].code();
                let name = &model.process(p).id;
                if inputs.is_empty() {
                    unresolved.push((
                        p,
                        g,
                        format!("\"{name}\" is off balance by {} {unit} of {group}: it has no input from extraction, imports or other production to adjust", format_mass(-need, unit)),
                    ));
                    continue;
                }
                let want = have + need;
                if want < 0.0 {
                    unresolved.push((
                        p,
                        g,
                        format!("\"{name}\" receives {} {unit} of {group} more than it needs: its other inputs are cut to 0, and the surplus stays unbalanced", format_mass(-want, unit)),
                    ));
                }
                let want = want.max(0.0);
                if (want - have).abs() <= tol {
                    continue;
                }
                for j in &inputs {
                    value[*j] = if have > 0.0 {
                        value[*j] * want / have
                    } else {
                        want / inputs.len() as f64
                    };
                }
                moved = true;
            }
        }
        if !moved {
            converged = true;
            break;
        }
    }
    if !converged {
        notes.push(Note {
            year,
            message: "balancing the supply of the economy's processes did not settle in 1,000 rounds: a loop among them passes on nearly all it receives; balances may be off".into(),
        });
    }
    notes.extend(
        unresolved
            .into_iter()
            .map(|(_, _, message)| Note { year, message }),
    );
}

impl Projection {
    /// The indicator series with this id.
    #[must_use]
    pub fn indicator(&self, id: &str) -> Option<&IndicatorSeries> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The account series of this line.
    #[must_use]
    pub fn account(&self, line: AccountLine) -> Option<&AccountSeries> {
        self.accounts.iter().find(|a| a.id == line.id())
    }
}

mod render;
#[cfg(test)]
mod tests;
