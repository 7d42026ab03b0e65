//! Assembly of a network's linear system, and its structural checks.
//!
//! Every flow and stock change becomes an affine expression in a few unknowns and the measured
//! values (given values with an uncertainty):
//!
//! - a given value is a constant (or, with an uncertainty, a measured value `m_k`);
//! - a flow given by a share `s` of its origin's output of its material is `s · y_g`, where
//!   `y_g` is one unknown per share group `g` = (origin, material);
//! - a flow with neither value nor share, in a share group, takes the rest of the group:
//!   `(1 − Σ s) · y_g − Σ given values of the group`; outside a share group it is an unknown;
//! - a stock change given by a share `σ` is `σ ·` (the inflows of its process and material);
//!   one with neither value nor share is an unknown.
//!
//! The equations are the balances of the balanced processes (inputs − outputs − stock change
//! = 0), and, for a share group whose shares sum below 1 and that has given values but no rest
//! flow, its closure `(1 − Σ s) · y_g = Σ given values`. Groups whose shares sum to 1 need no
//! closure: the balance of the origin determines `y_g`. With shares sampled in Monte Carlo,
//! such a group's flows are then shares `s_i / Σ s` of the output: the split is renormalised.

// Index loops mirror the equations they build.
#![allow(clippy::needless_range_loop)]

use crate::model::{Basis, MaterialId, Model, ProcessId};

/// Tolerance on the sum of a group's shares: sums within it of 1 are complete splits.
pub(crate) const SHARE_SUM_TOLERANCE: f64 = 1e-9;

/// A flow or a stock change, by index in its model's vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// A flow.
    Flow(u32),
    /// A stock change.
    Stock(u32),
}

/// What an unknown of the system stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// The base `y_g` of a share group: its share flows are `s · y_g`.
    Group(u32),
    /// A flow with neither value nor share, outside a share group.
    Flow(u32),
    /// A stock change with neither value nor share.
    Stock(u32),
}

/// What an equation states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EqKind {
    /// The mass balance of a process.
    Balance(ProcessId),
    /// The closure of a share group with given values and no rest flow.
    Closure(u32),
}

/// A column of an affine expression: an unknown or a measured value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Col {
    Z(u32),
    M(u32),
}

/// The outflows of one process of one material that include at least one share flow.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group {
    pub process: ProcessId,
    pub material: MaterialId,
    pub flows: Vec<u32>,
    /// The flow that takes the rest, if one has neither value nor share.
    pub rest: Option<u32>,
    /// Whether the group has a closure equation (shares below 1, given values, no rest).
    pub closure: bool,
}

/// A problem with the structure or the coefficients of a network. validate turns these into
/// diagnostics that name processes and flows.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The shares of a process's outflows of one material sum above 1.
    SharesAboveOne {
        /// The process.
        process: ProcessId,
        /// The material.
        material: MaterialId,
        /// The sum of the shares.
        sum: f64,
        /// The flows given by shares.
        flows: Vec<u32>,
    },
    /// The shares sum below 1, and no outflow of that material takes the rest.
    NoRest {
        /// The process.
        process: ProcessId,
        /// The material.
        material: MaterialId,
        /// The sum of the shares.
        sum: f64,
        /// The flows given by shares.
        flows: Vec<u32>,
    },
    /// The shares sum to 1, yet other outflows of that material are given non-zero values.
    NothingLeft {
        /// The process.
        process: ProcessId,
        /// The material.
        material: MaterialId,
        /// The flows given by value.
        flows: Vec<u32>,
    },
    /// More than one outflow of a share group has neither value nor share.
    TwoRests {
        /// The process.
        process: ProcessId,
        /// The material.
        material: MaterialId,
        /// The flows without value or share.
        flows: Vec<u32>,
    },
    /// Processes that send all their output around a loop by shares: nothing ever leaves, so
    /// `I − T` is singular.
    ClosedLoop {
        /// The processes of the loop, in file order.
        processes: Vec<ProcessId>,
    },
    /// Flows and stock changes that the data do not determine.
    Undetermined {
        /// The free items.
        items: Vec<Item>,
    },
    /// Given values that over-determine balances and disagree, with nothing to reconcile.
    Inconsistent {
        /// The process whose balance fails.
        process: ProcessId,
        /// Inputs − outputs − stock change, t.
        gap: f64,
        /// Throughput, t.
        scale: f64,
    },
    /// A share group's shares and given values fix its output, and the balance disagrees.
    SharesDisagree {
        /// The process.
        process: ProcessId,
        /// The material.
        material: MaterialId,
        /// Output by shares and values − output by balance, t.
        gap: f64,
    },
    /// The iterative solver did not converge.
    NotConverged {
        /// Iterations done.
        iterations: usize,
        /// Relative residual reached.
        residual: f64,
    },
    /// The system is too large for reconciliation (which is dense).
    TooLargeToReconcile {
        /// Unknowns.
        unknowns: usize,
        /// Equations.
        equations: usize,
    },
}

/// A network's system, for one set of given values and shares.
#[derive(Debug, Clone)]
pub(crate) struct System {
    /// Number of measured values (columns `M`).
    pub k: usize,
    pub unknowns: Vec<Unknown>,
    pub groups: Vec<Group>,
    /// Per item (flows, then stock changes): constant and terms.
    pub konst: Vec<f64>,
    pub expr_start: Vec<u32>,
    pub terms: Vec<(Col, f64)>,
    /// Equations: `Σ a z + Σ b m = rhs`.
    pub eqs: Vec<Equation>,
}

#[derive(Debug, Clone)]
pub(crate) struct Equation {
    pub kind: EqKind,
    /// Sorted by column; `Z` before `M`.
    pub terms: Vec<(Col, f64)>,
    pub rhs: f64,
}

/// Per flow and stock change: the given value (t) or share, as the model or a sample says.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    /// Per flow: its given value in t, its share, or unused (0) for an unknown.
    pub flows: Vec<f64>,
    /// Per stock change: likewise.
    pub stocks: Vec<f64>,
}

impl Inputs {
    /// The given values and shares of a model, as written.
    #[must_use]
    pub fn of(model: &Model) -> Inputs {
        let v = |b: Basis, value: f64| match b {
            Basis::Share { share } => share,
            Basis::Balance => 0.0,
            Basis::Given | Basis::Reconciled => value,
        };
        Inputs {
            flows: model.flows().iter().map(|f| v(f.basis, f.value)).collect(),
            stocks: model
                .stock_changes()
                .iter()
                .map(|s| v(s.basis, s.value))
                .collect(),
        }
    }
}

impl System {
    pub fn n(&self) -> usize {
        self.unknowns.len()
    }

    pub fn items(&self) -> usize {
        self.konst.len()
    }

    pub fn expr(&self, item: usize) -> (f64, &[(Col, f64)]) {
        (
            self.konst[item],
            &self.terms[self.expr_start[item] as usize..self.expr_start[item + 1] as usize],
        )
    }

    /// The value of every item, given unknowns `z` and measured values `m`.
    pub fn item_values(&self, z: &[f64], m: &[f64], out: &mut [f64]) {
        for (i, o) in out.iter_mut().enumerate().take(self.items()) {
            let (k, terms) = self.expr(i);
            let mut v = k;
            for &(c, a) in terms {
                v += a * match c {
                    Col::Z(j) => z[j as usize],
                    Col::M(j) => m[j as usize],
                };
            }
            *o = v;
        }
    }
}

/// Whether a process's balance is an equation: it is neither source nor sink, is balanced, and
/// is not a terminal treatment without outflows or stock.
pub(crate) fn is_balanced(model: &Model, p: ProcessId, n_out: &[u32], has_stock: &[bool]) -> bool {
    let pr = model.process(p);
    let i = p.0 as usize;
    !(pr.role.is_source()
        || pr.role.is_sink()
        || !pr.balanced
        || (pr.role.may_be_terminal() && n_out[i] == 0 && !has_stock[i]))
}

/// A sparse accumulator of terms, merged by column.
struct Acc {
    z: Vec<f64>,
    m: Vec<f64>,
    seen_z: Vec<bool>,
    seen_m: Vec<bool>,
    touched_z: Vec<u32>,
    touched_m: Vec<u32>,
    konst: f64,
}

impl Acc {
    fn new(n: usize, k: usize) -> Acc {
        Acc {
            z: vec![0.0; n],
            m: vec![0.0; k],
            seen_z: vec![false; n],
            seen_m: vec![false; k],
            touched_z: Vec::new(),
            touched_m: Vec::new(),
            konst: 0.0,
        }
    }

    fn add(&mut self, konst: f64, terms: &[(Col, f64)], sign: f64) {
        self.konst += sign * konst;
        for &(c, a) in terms {
            let (vals, seen, touched, j) = match c {
                Col::Z(j) => (&mut self.z, &mut self.seen_z, &mut self.touched_z, j),
                Col::M(j) => (&mut self.m, &mut self.seen_m, &mut self.touched_m, j),
            };
            if !seen[j as usize] {
                seen[j as usize] = true;
                touched.push(j);
            }
            vals[j as usize] += sign * a;
        }
    }

    /// The merged terms (sorted, exact zeros dropped) and the constant; resets.
    fn take(&mut self, out: &mut Vec<(Col, f64)>) -> f64 {
        crate::sort::sort(&mut self.touched_z);
        crate::sort::sort(&mut self.touched_m);
        for &j in &self.touched_z {
            self.seen_z[j as usize] = false;
            let v = std::mem::take(&mut self.z[j as usize]);
            if v != 0.0 {
                out.push((Col::Z(j), v));
            }
        }
        for &j in &self.touched_m {
            self.seen_m[j as usize] = false;
            let v = std::mem::take(&mut self.m[j as usize]);
            if v != 0.0 {
                out.push((Col::M(j), v));
            }
        }
        self.touched_z.clear();
        self.touched_m.clear();
        std::mem::take(&mut self.konst)
    }
}

/// Builds the system of `model` with the values and shares of `values`; the structure (which
/// groups have a rest flow or a closure) follows the shares of `nominal`, so that every Monte
/// Carlo sample has the same structure. `measured[i]` is the measured index of item `i`.
///
/// # Errors
/// The structural problems of the shares, every one found.
pub(crate) fn build(
    model: &Model,
    measured: &[Option<u32>],
    k: usize,
    nominal: &Inputs,
    values: &Inputs,
) -> Result<System, Vec<Problem>> {
    let flows = model.flows();
    let n_f = flows.len();
    let n_p = model.processes().len();
    let mut problems = Vec::new();

    // Outflows sorted by (origin, material): each run is a candidate share group.
    let mut order: Vec<u32> = (0..u32::try_from(n_f).expect("fewer than 2^32 flows")).collect();
    crate::sort::sort_by_key(&mut order, |&i| {
        let f = &flows[i as usize];
        (f.from, f.material, i)
    });

    let mut unknowns = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    // Per flow: (constant, terms) as built; terms are at most a few.
    let mut flow_terms: Vec<(f64, Vec<(Col, f64)>)> = vec![(0.0, Vec::new()); n_f];
    let given = |i: usize, v: f64| -> (f64, Vec<(Col, f64)>) {
        match measured[i] {
            Some(m) => (0.0, vec![(Col::M(m), 1.0)]),
            None => (v, Vec::new()),
        }
    };
    let (mut shares, mut free, mut given_flows): (Vec<u32>, Vec<u32>, Vec<u32>) =
        (Vec::new(), Vec::new(), Vec::new());
    let mut start = 0;
    while start < order.len() {
        let f0 = &flows[order[start] as usize];
        let mut end = start + 1;
        while end < order.len() {
            let f = &flows[order[end] as usize];
            if f.from != f0.from || f.material != f0.material {
                break;
            }
            end += 1;
        }
        let run = &order[start..end];
        start = end;
        // Scratch lists, reused from run to run (a network has a run per process).
        shares.clear();
        free.clear();
        given_flows.clear();
        for &i in run {
            match flows[i as usize].basis {
                Basis::Share { .. } => shares.push(i),
                Basis::Balance => free.push(i),
                Basis::Given | Basis::Reconciled => given_flows.push(i),
            }
        }
        for &i in &given_flows {
            flow_terms[i as usize] = given(i as usize, values.flows[i as usize]);
        }
        if shares.is_empty() {
            for &i in &free {
                flow_terms[i as usize] = (0.0, vec![(Col::Z(index_u32(unknowns.len())), 1.0)]);
                unknowns.push(Unknown::Flow(i));
            }
            continue;
        }
        let nominal_sum: f64 = shares.iter().map(|&i| nominal.flows[i as usize]).sum();
        let sum: f64 = shares.iter().map(|&i| values.flows[i as usize]).sum();
        let (process, material) = (f0.from, f0.material);
        if nominal_sum > 1.0 + SHARE_SUM_TOLERANCE {
            problems.push(Problem::SharesAboveOne {
                process,
                material,
                sum: nominal_sum,
                flows: shares.clone(),
            });
        }
        let complete = (nominal_sum - 1.0).abs() <= SHARE_SUM_TOLERANCE;
        let g = index_u32(groups.len());
        let y = Col::Z(index_u32(unknowns.len()));
        unknowns.push(Unknown::Group(g));
        for &i in &shares {
            flow_terms[i as usize] = (0.0, vec![(y, values.flows[i as usize])]);
        }
        let mut closure = false;
        let mut rest = None;
        match free.len() {
            0 if complete => {
                let nonzero = given_flows
                    .iter()
                    .any(|&i| measured[i as usize].is_some() || values.flows[i as usize] != 0.0);
                if nonzero {
                    problems.push(Problem::NothingLeft {
                        process,
                        material,
                        flows: given_flows.clone(),
                    });
                }
            }
            0 if nominal_sum > 1.0 + SHARE_SUM_TOLERANCE => {}
            0 if given_flows.is_empty() => problems.push(Problem::NoRest {
                process,
                material,
                sum: nominal_sum,
                flows: shares.clone(),
            }),
            0 => closure = true,
            1 => {
                let r = free[0];
                let mut terms = vec![(y, (1.0 - sum).max(0.0))];
                let mut konst = 0.0;
                for &i in &given_flows {
                    let (c, t) = given(i as usize, values.flows[i as usize]);
                    konst -= c;
                    terms.extend(t.into_iter().map(|(col, a)| (col, -a)));
                }
                flow_terms[r as usize] = (konst, terms);
                rest = Some(r);
            }
            _ => problems.push(Problem::TwoRests {
                process,
                material,
                flows: free.clone(),
            }),
        }
        groups.push(Group {
            process,
            material,
            flows: run.to_vec(),
            rest,
            closure,
        });
    }

    // Stock changes: given, a share of the process's inflows of the material, or unknown.
    let stocks = model.stock_changes();
    let mut stock_terms: Vec<(f64, Vec<(Col, f64)>)> = Vec::with_capacity(stocks.len());
    let mut inflows_of: Vec<(ProcessId, MaterialId, u32)> = Vec::new();
    if stocks
        .iter()
        .any(|s| matches!(s.basis, Basis::Share { .. }))
    {
        inflows_of = flows
            .iter()
            .enumerate()
            .map(|(i, f)| (f.to, f.material, index_u32(i)))
            .collect();
        crate::sort::sort(&mut inflows_of);
    }
    for (j, s) in stocks.iter().enumerate() {
        let item = n_f + j;
        stock_terms.push(match s.basis {
            Basis::Given | Basis::Reconciled => given(item, values.stocks[j]),
            Basis::Balance => {
                let col = Col::Z(index_u32(unknowns.len()));
                unknowns.push(Unknown::Stock(index_u32(j)));
                (0.0, vec![(col, 1.0)])
            }
            Basis::Share { .. } => {
                let sigma = values.stocks[j];
                let lo = inflows_of.partition_point(|&(p, m, _)| (p, m) < (s.process, s.material));
                let mut konst = 0.0;
                let mut terms = Vec::new();
                for &(p, m, i) in &inflows_of[lo..] {
                    if (p, m) != (s.process, s.material) {
                        break;
                    }
                    let (c, t) = &flow_terms[i as usize];
                    konst += sigma * c;
                    terms.extend(t.iter().map(|&(col, a)| (col, sigma * a)));
                }
                (konst, terms)
            }
        });
    }

    let n = unknowns.len();
    let mut acc = Acc::new(n, k);
    // Flatten the item expressions.
    let mut konst = Vec::with_capacity(n_f + stocks.len());
    let mut expr_start = Vec::with_capacity(n_f + stocks.len() + 1);
    let mut terms = Vec::new();
    expr_start.push(0);
    for (c, t) in flow_terms.iter().chain(&stock_terms) {
        acc.add(*c, t, 1.0);
        konst.push(acc.take(&mut terms));
        expr_start.push(index_u32(terms.len()));
    }
    let sys_items = System {
        k,
        unknowns,
        groups,
        konst,
        expr_start,
        terms,
        eqs: Vec::new(),
    };

    // Balances.
    let (mut n_out, mut has_stock) = (vec![0u32; n_p], vec![false; n_p]);
    let mut touching: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n_p];
    for (i, f) in flows.iter().enumerate() {
        n_out[f.from.0 as usize] += 1;
        touching[f.to.0 as usize].push((index_u32(i), 1.0));
        touching[f.from.0 as usize].push((index_u32(i), -1.0));
    }
    for (j, s) in stocks.iter().enumerate() {
        has_stock[s.process.0 as usize] = true;
        touching[s.process.0 as usize].push((index_u32(n_f + j), -1.0));
    }
    let mut eqs = Vec::new();
    for p in 0..n_p {
        let pid = ProcessId(index_u32(p));
        if !is_balanced(model, pid, &n_out, &has_stock) || touching[p].is_empty() {
            continue;
        }
        for &(item, sign) in &touching[p] {
            let (c, t) = sys_items.expr(item as usize);
            acc.add(c, t, sign);
        }
        let mut row = Vec::new();
        let c = acc.take(&mut row);
        eqs.push(Equation {
            kind: EqKind::Balance(pid),
            terms: row,
            rhs: -c,
        });
    }
    for (g, group) in sys_items.groups.iter().enumerate() {
        if !group.closure {
            continue;
        }
        // (1 − Σ s) y − Σ given = 0.
        let y = sys_items
            .unknowns
            .iter()
            .position(|u| *u == Unknown::Group(index_u32(g)))
            .expect("every group has its unknown");
        let sum: f64 = group
            .flows
            .iter()
            .filter(|&&i| matches!(flows[i as usize].basis, Basis::Share { .. }))
            .map(|&i| values.flows[i as usize])
            .sum();
        acc.add(0.0, &[(Col::Z(index_u32(y)), 1.0 - sum)], 1.0);
        for &i in &group.flows {
            if flows[i as usize].basis.is_given() {
                let (c, t) = sys_items.expr(i as usize);
                acc.add(c, t, -1.0);
            }
        }
        let mut row = Vec::new();
        let c = acc.take(&mut row);
        eqs.push(Equation {
            kind: EqKind::Closure(index_u32(g)),
            terms: row,
            rhs: -c,
        });
    }
    let sys = System { eqs, ..sys_items };
    problems.extend(closed_loops(model, &sys, &n_out, &has_stock, values));
    if problems.is_empty() {
        Ok(sys)
    } else {
        Err(problems)
    }
}

/// Strongly connected sets of processes that send all their output around by shares: each is
/// balanced, has no stock change that could take material out of the loop, and each of its
/// outflows is a share flow of a complete group (shares summing to 1) into the set.
fn closed_loops(
    model: &Model,
    sys: &System,
    n_out: &[u32],
    has_stock: &[bool],
    values: &Inputs,
) -> Vec<Problem> {
    let n_p = model.processes().len();
    let flows = model.flows();
    // A process leaks when any of its outflows is not a share of a complete group, or when
    // some stock change of it is not a given constant.
    let mut leaks = vec![false; n_p];
    for (p, l) in leaks.iter_mut().enumerate() {
        *l = !is_balanced(model, ProcessId(index_u32(p)), n_out, has_stock) || n_out[p] == 0;
    }
    for s in model.stock_changes() {
        if s.basis != Basis::Given || s.value != 0.0 {
            leaks[s.process.0 as usize] = true;
        }
    }
    let mut in_complete_group = vec![false; flows.len()];
    for g in &sys.groups {
        let sum: f64 = g
            .flows
            .iter()
            .filter(|&&i| matches!(flows[i as usize].basis, Basis::Share { .. }))
            .map(|&i| values.flows[i as usize])
            .sum();
        if g.rest.is_none() && !g.closure && (sum - 1.0).abs() <= SHARE_SUM_TOLERANCE {
            for &i in &g.flows {
                in_complete_group[i as usize] = true;
            }
        }
    }
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n_p];
    for (i, f) in flows.iter().enumerate() {
        let share = matches!(f.basis, Basis::Share { .. });
        if !in_complete_group[i] || !share {
            leaks[f.from.0 as usize] = true;
        } else if values.flows[i] > 0.0 {
            adj[f.from.0 as usize].push(f.to.0);
        }
    }
    let mut problems = Vec::new();
    let mut component = vec![u32::MAX; n_p];
    for (c, scc) in strongly_connected(&adj).into_iter().enumerate() {
        if scc.len() < 2 {
            continue;
        }
        let c = index_u32(c);
        for &p in &scc {
            component[p as usize] = c;
        }
        let closed = scc.iter().all(|&p| {
            !leaks[p as usize] && adj[p as usize].iter().all(|&q| component[q as usize] == c)
        });
        if closed {
            let mut processes = scc;
            crate::sort::sort(&mut processes);
            problems.push(Problem::ClosedLoop {
                processes: processes.into_iter().map(ProcessId).collect(),
            });
        }
    }
    problems
}

/// Tarjan's strongly connected components, iteratively (networks of 100,000 processes would
/// overflow the stack of a recursive version).
pub(crate) fn strongly_connected(adj: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let n = adj.len();
    let mut index = vec![u32::MAX; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut out = Vec::new();
    let mut next = 0u32;
    let mut call: Vec<(u32, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != u32::MAX {
            continue;
        }
        call.push((index_u32(root), 0));
        while let Some(&mut (v, ref mut edge)) = call.last_mut() {
            let vi = v as usize;
            if *edge == 0 && index[vi] == u32::MAX {
                index[vi] = next;
                low[vi] = next;
                next += 1;
                stack.push(v);
                on_stack[vi] = true;
            }
            if let Some(&w) = adj[vi].get(*edge) {
                *edge += 1;
                let wi = w as usize;
                if index[wi] == u32::MAX {
                    call.push((w, 0));
                } else if on_stack[wi] {
                    low[vi] = low[vi].min(index[wi]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                let pi = parent as usize;
                low[pi] = low[pi].min(low[vi]);
            }
            if low[vi] == index[vi] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

pub(crate) fn index_u32(i: usize) -> u32 {
    u32::try_from(i).expect("a network has fewer than 2^32 items")
}
