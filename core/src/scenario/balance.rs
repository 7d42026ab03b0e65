//! Re-balancing a model after interventions: which flows follow from which, and the small
//! linear system that says by how much.
//!
//! The rules (docs/scenarios.md states them for users):
//!
//! 1. **Transfer coefficients.** Every output of a balanced waste-management process, and every
//!    output of a balanced economy process (production, use, reuse) to waste management or
//!    disposal (its waste stream), is a fixed fraction of the process's input of the same
//!    material group (of its total input when the process receives none of that group). The
//!    outputs of one process and group form a *stream*; a `share` intervention changes the
//!    fractions within a stream, the stream's total staying the same fraction of the input. A
//!    stock change of a waste-management process is likewise a fraction of its input.
//! 2. **Supply follows demand.** An economy process keeps its balance (by material group, as in
//!    the base model) by adjusting, in proportion to their base values: its inputs from
//!    extraction and imports; if it has none left free, its stock change; if none, its inputs
//!    from other economy processes (which then adjust their own supply, upstream). What one
//!    group cannot absorb (secondary material of group MIXED displacing virgin MF1–MF4, say) is
//!    spread over the groups that can, in proportion to their base supply.
//! 3. Everything else keeps its base value: flows between economy processes that the
//!    destination does not adjust (final demand), exports, flows out of processes whose balance
//!    is not checked, imports of waste into treatment.
//! 4. A flow an intervention sets or scales is fixed at that value; the rest of its stream
//!    shares what is left, and its destination and origin re-balance by the rules above.
//!
//! The unknowns are the deviations `δ` from the base values, so that a scenario without
//! effect gives the base values bit for bit. The system is solved densely (Gauss–Jordan with
//! complete pivoting) up to [`DENSE_MAX`](crate::network::DENSE_MAX) unknowns, iteratively
//! above (as [`crate::network`] does).

// Index loops mirror the equations they assemble.
#![allow(clippy::needless_range_loop)]

use crate::model::{MaterialGroup, Model, ProcessId};
use crate::network::dense::{Mat, gauss_jordan};
use crate::network::sparse::{Csr, auto};
use crate::network::{DENSE_MAX, ITERATIVE_TOLERANCE};

const G: usize = MaterialGroup::ALL.len();
const NONE: u32 = u32::MAX;

/// How an item (a flow or a stock change) of the model follows the others.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Rule {
    /// Keeps its base value.
    Fixed,
    /// An output in a stream: a fraction of its origin's input.
    Tc(u32),
    /// A waste-management process's stock change: `c` times the input `(process, group)`
    /// (`group` [`NONE`] for the total input).
    WmStock { process: u32, group: u32, c: f64 },
    /// From extraction or imports into a balanced economy process.
    Supply,
    /// Between two balanced economy processes.
    Inner,
    /// The stock change of a balanced economy process.
    EconStock,
}

/// The outputs of one process and material group that are fractions of its input.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stream {
    pub process: u32,
    pub group: u8,
    /// Whether the fractions are of the total input (the process receives none of the group).
    pub by_total: bool,
    /// Flow items, in model order.
    pub flows: Vec<u32>,
    /// Base total of the stream, t.
    pub total0: f64,
    /// Base input the fractions are of, t.
    pub input0: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Proc {
    pub economy: bool,
    pub balanced: bool,
    pub inflows: Vec<u32>,
    pub outflows: Vec<u32>,
    pub stocks: Vec<u32>,
}

/// What re-balancing needs of a base model, computed once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Frame {
    pub n_flows: usize,
    /// Base values of the items: flows, then stock changes, t.
    pub x0: Vec<f64>,
    /// Material group index of each item.
    pub group: Vec<u8>,
    pub rule: Vec<Rule>,
    pub streams: Vec<Stream>,
    pub procs: Vec<Proc>,
    /// Largest absolute base value, t: the scale of rounding noise.
    pub scale: f64,
    pub tolerance: f64,
}

/// A change of the shares within a stream.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ShareOp {
    pub stream: u32,
    /// The stream's flows to the destination.
    pub flows: Vec<u32>,
    /// `Ok(share)` to set the destination's share of the stream, `Err(factor)` to scale it.
    pub op: Result<f64, f64>,
    /// Destinations that take up the rest; `None`: every other one.
    pub rest: Option<Vec<u32>>,
    pub intervention: u32,
}

/// The numeric effect of a scenario's interventions at one point in time.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Effects {
    /// `(item, value, intervention)`: items fixed at a value (later entries win).
    pub pins: Vec<(u32, f64, u32)>,
    pub shares: Vec<ShareOp>,
}

/// Why a scenario cannot be balanced.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fail {
    /// The shares of a stream cannot hold.
    Shares { intervention: u32, why: String },
    /// A flow would have to become negative.
    Negative { item: u32, value: f64 },
    /// A process cannot close its balance.
    Unbalanced { process: u32, deviation: f64 },
    /// The rules give no unique solution (a loop that passes on all it receives).
    Singular,
}

impl Frame {
    pub(crate) fn new(model: &Model) -> Frame {
        let flows = model.flows();
        let n_f = flows.len();
        let np = model.processes().len();
        let mut n_out = vec![0u32; np];
        let mut has_stock = vec![false; np];
        for f in flows {
            n_out[f.from.0 as usize] += 1;
        }
        for s in model.stock_changes() {
            has_stock[s.process.0 as usize] = true;
        }
        let mut procs: Vec<Proc> = (0..np)
            .map(|i| {
                let p = ProcessId(i as u32);
                let balanced = crate::network::system::is_balanced(model, p, &n_out, &has_stock);
                Proc {
                    economy: balanced && model.process(p).role.is_economy(),
                    balanced,
                    ..Proc::default()
                }
            })
            .collect();
        let mut x0: Vec<f64> = flows.iter().map(|f| f.value).collect();
        x0.extend(model.stock_changes().iter().map(|s| s.value));
        let mut group: Vec<u8> = flows
            .iter()
            .map(|f| model.material(f.material).group.index() as u8)
            .collect();
        group.extend(
            model
                .stock_changes()
                .iter()
                .map(|s| model.material(s.material).group.index() as u8),
        );
        let mut input0 = vec![[0.0; G]; np];
        for (i, f) in flows.iter().enumerate() {
            procs[f.to.0 as usize].inflows.push(i as u32);
            procs[f.from.0 as usize].outflows.push(i as u32);
            input0[f.to.0 as usize][group[i] as usize] += x0[i];
        }
        for (j, s) in model.stock_changes().iter().enumerate() {
            procs[s.process.0 as usize].stocks.push((n_f + j) as u32);
        }
        let total0: Vec<f64> = input0.iter().map(|g| g.iter().sum()).collect();
        // The input a fraction of group g at process p is of: (group or total, its base).
        let reference = |p: usize, g: usize| -> Option<(bool, f64)> {
            if input0[p][g] > 0.0 {
                Some((false, input0[p][g]))
            } else if total0[p] > 0.0 {
                Some((true, total0[p]))
            } else {
                None
            }
        };
        let mut rule = vec![Rule::Fixed; x0.len()];
        let mut streams: Vec<Stream> = Vec::new();
        let mut stream_of = vec![[NONE; G]; np];
        for (i, f) in flows.iter().enumerate() {
            let (from, to) = (f.from.0 as usize, f.to.0 as usize);
            let to_role = model.process(f.to).role;
            let from_role = model.process(f.from).role;
            let tc = procs[from].balanced
                && if procs[from].economy {
                    !to_role.is_economy() && to_role != crate::model::Role::Export
                } else {
                    from_role.is_waste_management()
                };
            rule[i] = if tc {
                let g = group[i] as usize;
                match reference(from, g) {
                    Some((by_total, input)) => {
                        if stream_of[from][g] == NONE {
                            stream_of[from][g] = streams.len() as u32;
                            streams.push(Stream {
                                process: from as u32,
                                group: g as u8,
                                by_total,
                                flows: Vec::new(),
                                total0: 0.0,
                                input0: input,
                            });
                        }
                        let s = &mut streams[stream_of[from][g] as usize];
                        s.flows.push(i as u32);
                        s.total0 += x0[i];
                        Rule::Tc(stream_of[from][g])
                    }
                    None => Rule::Fixed,
                }
            } else if procs[to].economy && from_role.is_source() {
                Rule::Supply
            } else if procs[to].economy && procs[from].economy {
                Rule::Inner
            } else {
                Rule::Fixed
            };
        }
        for (j, s) in model.stock_changes().iter().enumerate() {
            let p = s.process.0 as usize;
            let item = n_f + j;
            rule[item] = if procs[p].economy {
                Rule::EconStock
            } else if procs[p].balanced && model.process(s.process).role.is_waste_management() {
                match reference(p, group[item] as usize) {
                    Some((by_total, input)) => Rule::WmStock {
                        process: p as u32,
                        group: if by_total {
                            NONE
                        } else {
                            u32::from(group[item])
                        },
                        c: x0[item] / input,
                    },
                    None => Rule::Fixed,
                }
            } else {
                Rule::Fixed
            };
        }
        let scale = x0.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        Frame {
            n_flows: n_f,
            x0,
            group,
            rule,
            streams,
            procs,
            scale,
            tolerance: model.meta().balance_tolerance,
        }
    }

    /// The streams of `process` (one per material group), in group order.
    pub(crate) fn streams_of(&self, process: u32) -> impl Iterator<Item = (u32, &Stream)> {
        self.streams
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.process == process)
            .map(|(i, s)| (i as u32, s))
    }
}

/// The inflows of `p` that a fraction refers to: of group `g`, or all when `g` is [`NONE`].
fn refs(frame: &Frame, p: usize, g: u32) -> impl Iterator<Item = u32> + '_ {
    frame.procs[p]
        .inflows
        .iter()
        .copied()
        .filter(move |&j| g == NONE || u32::from(frame.group[j as usize]) == g)
}

/// Per flow of a touched stream: `x = a·I + c` in deviation form, `δx = a·δI + r`.
fn stream_coefficients(
    frame: &Frame,
    fx: &Effects,
    pin: &[Option<f64>],
    a: &mut [f64],
    r: &mut [f64],
) -> Result<(), Fail> {
    let mut touched = vec![false; frame.streams.len()];
    for op in &fx.shares {
        touched[op.stream as usize] = true;
    }
    for (i, p) in pin.iter().enumerate() {
        if p.is_some()
            && let Rule::Tc(s) = frame.rule[i]
        {
            touched[s as usize] = true;
        }
    }
    for (s, stream) in frame.streams.iter().enumerate() {
        let x0 = &frame.x0;
        if !touched[s] {
            for &f in &stream.flows {
                a[f as usize] = x0[f as usize] / stream.input0;
                r[f as usize] = 0.0;
            }
            continue;
        }
        let total = stream.total0;
        let m = stream.flows.len();
        let mut sigma: Vec<f64> = stream
            .flows
            .iter()
            .map(|&f| {
                if total > 0.0 {
                    x0[f as usize] / total
                } else {
                    0.0
                }
            })
            .collect();
        let mut set = vec![false; m];
        let mut any_set_op = false;
        let mut rest: Option<Vec<u32>> = None;
        let mut last_op = NONE;
        for op in fx.shares.iter().filter(|o| o.stream == s as u32) {
            last_op = op.intervention;
            let idx: Vec<usize> = op
                .flows
                .iter()
                .filter_map(|f| stream.flows.iter().position(|g| g == f))
                .collect();
            let now: f64 = idx.iter().map(|&k| sigma[k]).sum();
            match op.op {
                Ok(v) => {
                    any_set_op = true;
                    if total <= 0.0 {
                        return Err(Fail::Shares {
                            intervention: op.intervention,
                            why: "the stream carries nothing in the base model, so it has no shares to change".into(),
                        });
                    }
                    for &k in &idx {
                        sigma[k] = if now > 0.0 {
                            sigma[k] * v / now
                        } else {
                            v / idx.len() as f64
                        };
                    }
                }
                Err(factor) => {
                    for &k in &idx {
                        sigma[k] *= factor;
                    }
                }
            }
            for &k in &idx {
                set[k] = true;
            }
            if let Some(list) = &op.rest {
                rest.get_or_insert_with(Vec::new)
                    .extend(list.iter().copied());
            }
        }
        if set.iter().any(|s| *s) {
            let to_of = |k: usize| -> u32 { stream_to(frame, stream.flows[k]) };
            let takes_rest =
                |k: usize| !set[k] && rest.as_ref().is_none_or(|list| list.contains(&to_of(k)));
            let fixed: f64 = (0..m).filter(|&k| !takes_rest(k)).map(|k| sigma[k]).sum();
            let base_rest: f64 = (0..m).filter(|&k| takes_rest(k)).map(|k| sigma[k]).sum();
            let n_rest = (0..m).filter(|&k| takes_rest(k)).count();
            let remainder = 1.0 - fixed;
            if remainder < -1e-12 {
                if n_rest == 0 && !any_set_op && rest.is_none() {
                    // Every output scaled: their proportions change, the stream keeps its total.
                    for v in &mut sigma {
                        *v /= fixed;
                    }
                } else {
                    return Err(Fail::Shares {
                        intervention: last_op,
                        why: format!(
                            "the shares set add up to {}, more than the whole stream",
                            round(fixed)
                        ),
                    });
                }
            } else if n_rest == 0 {
                if remainder > 1e-12 {
                    if any_set_op || rest.is_some() || fixed <= 0.0 {
                        return Err(Fail::Shares {
                            intervention: last_op,
                            why: format!(
                                "the shares add up to {}, and no other output of the stream takes the rest",
                                round(fixed)
                            ),
                        });
                    }
                    for v in &mut sigma {
                        *v /= fixed;
                    }
                }
            } else {
                let remainder = remainder.max(0.0);
                for k in (0..m).filter(|&k| takes_rest(k)) {
                    sigma[k] = if base_rest > 0.0 {
                        sigma[k] * remainder / base_rest
                    } else {
                        remainder / n_rest as f64
                    };
                }
            }
        }
        // Fixed flows of the stream take their values; the others share what is left.
        let pinned: f64 = stream.flows.iter().filter_map(|&f| pin[f as usize]).sum();
        let free: f64 = stream
            .flows
            .iter()
            .zip(&sigma)
            .filter(|(f, _)| pin[**f as usize].is_none())
            .map(|(_, s)| s)
            .sum();
        for (&f, &sg) in stream.flows.iter().zip(&sigma) {
            let k = if free > 0.0 { sg / free } else { 0.0 };
            a[f as usize] = k * total / stream.input0;
            r[f as usize] = k * (total - pinned) - x0[f as usize];
        }
    }
    Ok(())
}

fn stream_to(frame: &Frame, flow: u32) -> u32 {
    // The destination is not stored per item; streams are small, so search the processes.
    frame
        .procs
        .iter()
        .position(|p| p.inflows.contains(&flow))
        .map_or(NONE, |p| p as u32)
}

fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// One absorber: the free items that close the balance of one process and group.
struct Absorber {
    process: usize,
    group: usize,
    members: Vec<u32>,
    weights: Vec<f64>,
    col: u32,
}

/// Re-balances the base model under `fx`, writing every item's value into `out`.
pub(crate) fn rebalance(frame: &Frame, fx: &Effects, out: &mut Vec<f64>) -> Result<(), Fail> {
    let n = frame.x0.len();
    out.clear();
    out.extend_from_slice(&frame.x0);
    if fx.pins.is_empty() && fx.shares.is_empty() {
        return Ok(());
    }
    let mut pin: Vec<Option<f64>> = vec![None; n];
    for &(item, v, _) in &fx.pins {
        pin[item as usize] = Some(v);
    }
    let mut a = vec![0.0; n];
    let mut r = vec![0.0; n];
    stream_coefficients(frame, fx, &pin, &mut a, &mut r)?;
    // Deviations of the items that are not unknowns.
    let mut known = vec![0.0; n];
    for (i, p) in pin.iter().enumerate() {
        if let Some(v) = p {
            known[i] = v - frame.x0[i];
        }
    }
    let mut col = vec![NONE; n];
    let mut cols = 0u32;
    for i in 0..n {
        if pin[i].is_none() && matches!(frame.rule[i], Rule::Tc(_) | Rule::WmStock { .. }) {
            col[i] = cols;
            cols += 1;
        }
    }
    let mut absorbers: Vec<Absorber> = Vec::new();
    for (p, proc) in frame.procs.iter().enumerate() {
        if !proc.economy {
            continue;
        }
        for g in 0..G {
            let free = |rule: Rule, i: u32| {
                pin[i as usize].is_none()
                    && frame.rule[i as usize] == rule
                    && frame.group[i as usize] as usize == g
            };
            let mut members: Vec<u32> = proc
                .inflows
                .iter()
                .copied()
                .filter(|&i| free(Rule::Supply, i))
                .collect();
            if members.is_empty() {
                members = proc
                    .stocks
                    .iter()
                    .copied()
                    .filter(|&i| free(Rule::EconStock, i))
                    .collect();
            }
            if members.is_empty() {
                members = proc
                    .inflows
                    .iter()
                    .copied()
                    .filter(|&i| free(Rule::Inner, i))
                    .collect();
            }
            if members.is_empty() {
                continue;
            }
            let sum: f64 = members.iter().map(|&i| frame.x0[i as usize]).sum();
            let weights: Vec<f64> = if sum.abs() > 0.0 {
                members.iter().map(|&i| frame.x0[i as usize]).collect()
            } else {
                vec![1.0; members.len()]
            };
            for &m in &members {
                col[m as usize] = cols;
                cols += 1;
            }
            absorbers.push(Absorber {
                process: p,
                group: g,
                members,
                weights,
                col: cols,
            });
            cols += 1;
        }
    }
    let size = cols as usize;
    // Rows of (column, coefficient) and right-hand sides.
    let mut rows: Vec<Vec<(u32, f64)>> = vec![Vec::new(); size];
    let mut rhs = vec![0.0; size];
    for i in 0..n {
        let c = col[i];
        if c == NONE {
            continue;
        }
        let (p, g, coef, constant) = match frame.rule[i] {
            Rule::Tc(s) => {
                let st = &frame.streams[s as usize];
                let g = if st.by_total {
                    NONE
                } else {
                    u32::from(st.group)
                };
                (st.process as usize, g, a[i], r[i])
            }
            Rule::WmStock { process, group, c } => (process as usize, group, c, 0.0),
            _ => continue,
        };
        let row = &mut rows[c as usize];
        row.push((c, 1.0));
        rhs[c as usize] = constant;
        for j in refs(frame, p, g) {
            let cj = col[j as usize];
            if cj == NONE {
                rhs[c as usize] += coef * known[j as usize];
            } else {
                row.push((cj, -coef));
            }
        }
    }
    for ab in &absorbers {
        for (&m, &w) in ab.members.iter().zip(&ab.weights) {
            rows[col[m as usize] as usize].extend([(col[m as usize], 1.0), (ab.col, -w)]);
        }
    }
    // Balance equations: per absorbed group, D_g + ω_g · Σ_{unabsorbed h} D_h = 0.
    let mut p_start = 0;
    while p_start < absorbers.len() {
        let p = absorbers[p_start].process;
        let mut p_end = p_start;
        while p_end < absorbers.len() && absorbers[p_end].process == p {
            p_end += 1;
        }
        let group_abs = &absorbers[p_start..p_end];
        let mut absorbed = [false; G];
        let mut weight = [0.0; G];
        for ab in group_abs {
            absorbed[ab.group] = true;
            weight[ab.group] = ab.members.iter().map(|&i| frame.x0[i as usize].abs()).sum();
        }
        let total_w: f64 = weight.iter().sum();
        let proc = &frame.procs[p];
        for ab in group_abs {
            let omega = if total_w > 0.0 {
                weight[ab.group] / total_w
            } else {
                1.0 / group_abs.len() as f64
            };
            let row_i = ab.col as usize;
            let items = proc
                .inflows
                .iter()
                .map(|&i| (i, 1.0))
                .chain(proc.outflows.iter().map(|&i| (i, -1.0)))
                .chain(proc.stocks.iter().map(|&i| (i, -1.0)));
            for (i, sign) in items {
                let h = frame.group[i as usize] as usize;
                let w = if h == ab.group {
                    1.0
                } else if absorbed[h] {
                    0.0
                } else {
                    omega
                };
                if w == 0.0 {
                    continue;
                }
                let c = col[i as usize];
                if c == NONE {
                    rhs[row_i] -= sign * w * known[i as usize];
                } else {
                    rows[row_i].push((c, sign * w));
                }
            }
        }
        p_start = p_end;
    }
    let mut delta = vec![0.0; size];
    if rhs.iter().any(|v| *v != 0.0) {
        solve(&mut rows, &rhs, &mut delta)?;
    }
    for i in 0..n {
        if let Some(v) = pin[i] {
            out[i] = v;
        } else if col[i] != NONE {
            out[i] = frame.x0[i] + delta[col[i] as usize];
        }
    }
    check(frame, out)
}

fn solve(rows: &mut [Vec<(u32, f64)>], rhs: &[f64], x: &mut [f64]) -> Result<(), Fail> {
    let n = rows.len();
    for row in rows.iter_mut() {
        crate::sort::sort_by_key(row, |(c, _)| *c);
        // Merge repeated columns.
        let mut merged: Vec<(u32, f64)> = Vec::with_capacity(row.len());
        for &(c, v) in row.iter() {
            match merged.last_mut() {
                Some(last) if last.0 == c => last.1 += v,
                _ => merged.push((c, v)),
            }
        }
        *row = merged;
    }
    if n <= DENSE_MAX {
        let mut m = Mat::zeros(n, n + 1);
        for (i, row) in rows.iter().enumerate() {
            for &(c, v) in row {
                m.set(i, c as usize, v);
            }
            m.set(i, n, rhs[i]);
        }
        let e = gauss_jordan(&mut m, n, 1e-12);
        if e.rank < n {
            return Err(Fail::Singular);
        }
        for &(r, c) in &e.pivots {
            x[c] = m.at(r, n);
        }
        Ok(())
    } else {
        let a = Csr::from_rows(rows);
        auto(&a, rhs, x, ITERATIVE_TOLERANCE, 10_000)
            .map(|_| ())
            .map_err(|_| Fail::Singular)
    }
}

/// After solving: no flow below zero (rounding noise is set to zero), every balanced process
/// in balance, as the validator checks it.
fn check(frame: &Frame, out: &mut [f64]) -> Result<(), Fail> {
    let noise = 1e-9 * frame.scale.max(1.0);
    for i in 0..frame.n_flows {
        if out[i] < 0.0 {
            if out[i] >= -noise {
                out[i] = 0.0;
            } else {
                return Err(Fail::Negative {
                    item: i as u32,
                    value: out[i],
                });
            }
        }
    }
    for (p, proc) in frame.procs.iter().enumerate() {
        if !proc.balanced {
            continue;
        }
        let (mut inp, mut outp, mut dev) = (0.0, 0.0, 0.0);
        for &i in &proc.inflows {
            inp += out[i as usize];
            dev += out[i as usize] - frame.x0[i as usize];
        }
        for &i in &proc.outflows {
            outp += out[i as usize];
            dev -= out[i as usize] - frame.x0[i as usize];
        }
        let mut stock = 0.0;
        for &i in &proc.stocks {
            stock += out[i as usize];
            dev -= out[i as usize] - frame.x0[i as usize];
        }
        let size = inp.max(outp);
        let balance = inp - outp - stock;
        let ok = dev.abs() <= 1e-9 * size.max(noise) || balance.abs() <= frame.tolerance * size;
        if !ok {
            return Err(Fail::Unbalanced {
                process: p as u32,
                deviation: dev,
            });
        }
    }
    Ok(())
}
