//! Process networks: flows solved from transfer coefficients, data reconciliation, and the
//! linear maps that uncertainty propagation uses.
//!
//! A model may leave flows unknown: a flow may give a `share` of its origin's output of its
//! material (a transfer coefficient) instead of a value, or neither (then it takes the rest),
//! and a stock change may give a share of its process's inflows, or neither. [`validate`](crate::validate())
//! builds a [`Network`] and solves it here, so that the [`Model`] it returns has every flow
//! known. The semantics and the choices behind them are in `docs/network.md`.
//!
//! The system is `x = T x + b` in the terms of the reference (`x = (I − T)⁻¹ b`), assembled
//! sparsely by [`system`]: one unknown per share group, per free flow and per free stock change;
//! one equation per balanced process and per share group that needs a closure.
//!
//! - **Solvers, chosen by size** ([`Method::Auto`]). Systems of up to [`DENSE_MAX`] unknowns,
//!   and over-determined ones up to [`RECONCILE_MAX`], go to dense Gauss–Jordan elimination
//!   with complete pivoting: it finds free unknowns and redundant equations exactly, and
//!   reconciliation needs it. Larger square systems go to sparse iterative solvers, matched
//!   equation to unknown ([`sparse::auto`]): a few Gauss–Seidel sweeps when the matrix has the
//!   sign pattern of `I − T` (an M-matrix, for which it converges), then Gauss–Seidel or
//!   BiCGSTAB by the convergence rate they show; BiCGSTAB for other patterns. The
//!   threshold is measured: see `benches/benches/network.rs` and docs/network.md.
//! - **Reconciliation** (weighted least squares, as STAN does): when given values with
//!   uncertainties over-determine the balances and disagree beyond `meta.balance_tolerance`,
//!   the unknowns are eliminated first and the measured values `x̃` adjusted:
//!   `x̂ = x̃ − Q Rᵀ (R Q Rᵀ)⁻¹ (R x̃ − r)`, `Q̂ = Q − Q Rᵀ (R Q Rᵀ)⁻¹ R Q`, with the global
//!   test `χ² = eᵀ (R Q Rᵀ)⁻¹ e` on `df = rank R` degrees of freedom and, per value, the
//!   standardised adjustment `(x̂ − x̃) / sd(x̂ − x̃)`. Consistent data are not changed at all.
//!
//! # References
//! - Cencic, O. (2016), Nonlinear data reconciliation in material flow analysis with software
//!   STAN, Sustainable Environment Research 26:291–298.
//! - Narasimhan, S., Jordache, C. (2000), Data Reconciliation and Gross Error Detection, ch. 3
//!   and 7 (the measurement test).
//! - Duff, I. S. (1981), On algorithms for obtaining a maximum transversal (the matching).

// Index loops mirror the formulas they implement.
#![allow(clippy::needless_range_loop)]

pub(crate) mod dense;
pub mod report;
pub mod sparse;
pub mod system;

use serde::Serialize;
use std::sync::Arc;

use crate::model::{Basis, Model, ProcessId};
use dense::{Mat, cholesky, cholesky_solve, gauss_jordan};
use sparse::{Csr, IterativeFailure, bicgstab, gauss_seidel};
use system::{Col, EqKind, System, Unknown, build};
pub use system::{Inputs, Item, Problem};

/// Systems with at most this many unknowns are solved densely. Measured on this project's
/// machine (benches/benches/network.rs, transfer-coefficient networks, assembly included):
/// at 25 unknowns dense elimination and BiCGSTAB both take about 55 µs; at 50, 0.27 against
/// 0.17 ms; at 100, 1.1 against 0.26 ms; at 200, 12 against 1.3 ms (dense grows as n³). Up to
/// here the dense solve costs nothing noticeable and gives rank and redundancy exactly.
pub const DENSE_MAX: usize = 64;

/// Over-determined systems (reconciliation) are solved densely up to this many unknowns plus
/// equations (about 0.4 s at the limit, by the measurements above); beyond it they are refused
/// with [`Problem::TooLargeToReconcile`].
pub const RECONCILE_MAX: usize = 1000;

/// Relative residual at which the iterative solvers stop.
pub const ITERATIVE_TOLERANCE: f64 = 1e-13;

/// Which solver to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Chosen by size and structure (see the module documentation).
    #[default]
    Auto,
    /// Dense Gauss–Jordan elimination.
    Dense,
    /// Sparse Gauss–Seidel.
    GaussSeidel,
    /// Sparse BiCGSTAB with a Jacobi preconditioner.
    BiCgStab,
    /// No system to solve: every value is given, and the data are consistent.
    None,
}

/// Options of a solve.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SolveOptions {
    /// The solver; [`Method::Auto`] by default.
    pub method: Method,
}

/// How a network was solved.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SolveInfo {
    /// The solver used.
    pub method: Method,
    /// Unknowns of the system.
    pub unknowns: usize,
    /// Equations of the system.
    pub equations: usize,
    /// Iterations of an iterative solver (0 for a direct one).
    pub iterations: usize,
    /// Relative residual of an iterative solver at the end.
    pub residual: f64,
}

/// One measured value, before and after reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Adjustment {
    /// The flow or stock change.
    #[serde(skip)]
    pub item: Item,
    /// The value as given, t.
    pub measured: f64,
    /// Its standard deviation, t.
    pub sd: f64,
    /// The reconciled value, t.
    pub reconciled: f64,
    /// The standard deviation of the reconciled value, t.
    pub reconciled_sd: f64,
    /// The standardised adjustment `(x̂ − x̃) / sd(x̂ − x̃)`, approximately standard normal when
    /// there is no gross error; `None` when the balances do not constrain this value (no
    /// redundancy: reconciliation cannot check it).
    pub test: Option<f64>,
}

/// The result of reconciling over-determined data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reconciliation {
    /// The global test statistic `eᵀ (R Q Rᵀ)⁻¹ e`.
    pub chi2: f64,
    /// Its degrees of freedom, the number of independent redundant balances.
    pub df: usize,
    /// `P(χ²_df ≥ chi2)`: below 0.05, the data fail the test at the 5 % level.
    pub p_value: f64,
    /// Whether the values were changed: `false` when the data were consistent within the
    /// model's balance tolerance (reconciling consistent data changes nothing).
    pub adjusted: bool,
    /// Every measured value.
    pub values: Vec<Adjustment>,
}

/// How a model's flows were determined.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Solution {
    /// The solver and its statistics.
    pub info: SolveInfo,
    /// The reconciliation, when given values with uncertainties over-determine the balances.
    pub reconciliation: Option<Reconciliation>,
}

/// A validated network: a model whose unknown flows and stock changes are still to be solved,
/// with its measured values (given values with an uncertainty). Built by
/// [`validate`](crate::validate()); solved by [`solve`].
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// The model as given: unknown values are placeholders, never shown.
    /// Shared with [`Loaded::model`](crate::Loaded) when every value is given, so that a large
    /// model is held once.
    skeleton: Arc<Model>,
    /// Per item (flows, then stock changes): its measured index.
    measured: Vec<Option<u32>>,
    /// Per measured value: its item and variance (t²).
    measured_items: Vec<(Item, f64)>,
}

impl Network {
    pub(crate) fn new(skeleton: Arc<Model>) -> Network {
        let mut measured = Vec::with_capacity(skeleton.flows().len());
        let mut measured_items = Vec::new();
        let items = skeleton
            .flows()
            .iter()
            .enumerate()
            .map(|(i, f)| (Item::Flow(system::index_u32(i)), f.basis, f.uncertainty))
            .chain(
                skeleton
                    .stock_changes()
                    .iter()
                    .enumerate()
                    .map(|(j, s)| (Item::Stock(system::index_u32(j)), s.basis, s.uncertainty)),
            );
        for (item, basis, u) in items {
            let var = u.map_or(0.0, |u| u.variance());
            if basis == Basis::Given && var > 0.0 {
                measured.push(Some(system::index_u32(measured_items.len())));
                measured_items.push((item, var));
            } else {
                measured.push(None);
            }
        }
        Network {
            skeleton,
            measured,
            measured_items,
        }
    }

    /// The model as given, shared.
    pub(crate) fn shared(&self) -> Arc<Model> {
        Arc::clone(&self.skeleton)
    }

    /// The model as given, with its processes, materials and flow bases. The values of flows
    /// whose basis is not given are placeholders (0) until solved.
    #[must_use]
    pub fn given(&self) -> &Model {
        &self.skeleton
    }

    /// Whether some flow or stock change is unknown (given by a share or by nothing).
    #[must_use]
    pub fn has_unknowns(&self) -> bool {
        let unknown = |b: Basis| !b.is_given();
        self.skeleton.flows().iter().any(|f| unknown(f.basis))
            || self
                .skeleton
                .stock_changes()
                .iter()
                .any(|s| unknown(s.basis))
    }

    /// The measured values: given values with an uncertainty, with their variances (t²).
    #[must_use]
    pub fn measured(&self) -> &[(Item, f64)] {
        &self.measured_items
    }

    /// Number of flows plus stock changes.
    #[must_use]
    pub fn items(&self) -> usize {
        self.skeleton.flows().len() + self.skeleton.stock_changes().len()
    }

    /// The index of an item among all items (flows first).
    #[must_use]
    pub fn item_index(&self, item: Item) -> usize {
        match item {
            Item::Flow(i) => i as usize,
            Item::Stock(j) => self.skeleton.flows().len() + j as usize,
        }
    }

    /// The model with these item values (flows, then stock changes) in place of the given
    /// ones, and bases updated: measured values that moved are marked reconciled.
    pub(crate) fn model_with(&self, values: &[f64], reconciled: bool) -> Model {
        let mut m = Model::clone(&self.skeleton);
        let n_f = m.flows.len();
        for (i, f) in m.flows.iter_mut().enumerate() {
            if reconciled && self.measured[i].is_some() && values[i] != f.value {
                f.basis = Basis::Reconciled;
            }
            f.value = values[i];
        }
        for (j, s) in m.stock_changes.iter_mut().enumerate() {
            if reconciled && self.measured[n_f + j].is_some() && values[n_f + j] != s.value {
                s.basis = Basis::Reconciled;
            }
            s.value = values[n_f + j];
        }
        m
    }
}

/// A solved network: every item's value, and what is needed to propagate uncertainty.
#[derive(Debug, Clone)]
pub(crate) struct Solved {
    /// Per item (flows, then stock changes), t.
    pub values: Vec<f64>,
    pub info: SolveInfo,
    pub reconciliation: Option<Reconciliation>,
    /// `items = G m + g0` for measured values `m`, reconciled when the balances constrain them;
    /// only from the dense solver.
    pub linear: Option<Linear>,
}

/// An affine map from the measured values to every item.
#[derive(Debug, Clone)]
pub(crate) struct Linear {
    /// Items × measured values, row-major.
    pub g: Mat,
    pub g0: Vec<f64>,
}

/// Solves a network as given. The model it returns has every flow and stock change known;
/// given values with uncertainties are reconciled when they over-determine the balances.
///
/// # Errors
/// The problems that stop the solve, each naming processes or flows.
pub fn solve(net: &Network, opts: &SolveOptions) -> Result<(Model, Solution), Vec<Problem>> {
    let inputs = Inputs::of(&net.skeleton);
    let s = solve_inputs(net, &inputs, &inputs, opts, false)?;
    let reconciled = s.reconciliation.as_ref().is_some_and(|r| r.adjusted);
    Ok((
        net.model_with(&s.values, reconciled),
        Solution {
            info: s.info,
            reconciliation: s.reconciliation,
        },
    ))
}

/// Reconciles a network's measured values, whether or not they disagree: the χ² test and the
/// per-value test statistics, with the values adjusted only when they disagree beyond the
/// balance tolerance. `None` when the balances constrain no measured value (nothing to test).
///
/// # Errors
/// The problems of the solve.
pub fn reconcile(net: &Network) -> Result<Option<Reconciliation>, Vec<Problem>> {
    let inputs = Inputs::of(&net.skeleton);
    solve_inputs(net, &inputs, &inputs, &SolveOptions::default(), false).map(|s| s.reconciliation)
}

/// Solves with the given values and shares of `values` (the structure from `nominal`). With
/// `always_project`, measured values are projected onto the balances even when they agree
/// within tolerance (as uncertainty propagation needs); otherwise consistent data are kept.
pub(crate) fn solve_inputs(
    net: &Network,
    nominal: &Inputs,
    values: &Inputs,
    opts: &SolveOptions,
    always_project: bool,
) -> Result<Solved, Vec<Problem>> {
    let k = net.measured_items.len();
    let sys = build(&net.skeleton, &net.measured, k, nominal, values)?;
    let m: Vec<f64> = net
        .measured_items
        .iter()
        .map(|(item, _)| match *item {
            Item::Flow(i) => values.flows[i as usize],
            Item::Stock(j) => values.stocks[j as usize],
        })
        .collect();
    let var: Vec<f64> = net.measured_items.iter().map(|(_, v)| *v).collect();
    let (n, me) = (sys.n(), sys.eqs.len());
    let matching = Matching::new(&sys, &net.skeleton);
    let undetermined = matching.undetermined(&sys);
    if !undetermined.is_empty() {
        return Err(vec![Problem::Undetermined {
            items: unknowns_to_items(&sys, &undetermined),
        }]);
    }
    let redundant = me > n;
    let method = match opts.method {
        Method::Auto if n <= DENSE_MAX || (redundant && n + me <= RECONCILE_MAX) => Method::Dense,
        Method::Auto => Method::Auto,
        other => other,
    };
    if method == Method::Dense {
        dense_solve(net, &sys, &m, &var, always_project)
    } else {
        sparse_solve(net, &sys, &matching, &m, method)
    }
}

/// A maximum matching of unknowns to equations (structural rank).
struct Matching {
    /// Per unknown: its equation.
    eq_of: Vec<Option<u32>>,
    /// Per equation: its unknown.
    unknown_of: Vec<Option<u32>>,
    /// Per unknown: the equations it appears in.
    col_eqs: Vec<Vec<u32>>,
}

impl Matching {
    fn new(sys: &System, model: &Model) -> Matching {
        let n = sys.n();
        let mut col_eqs: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut balance_of = vec![u32::MAX; model.processes().len()];
        for (e, eq) in sys.eqs.iter().enumerate() {
            if let EqKind::Balance(p) = eq.kind {
                balance_of[p.0 as usize] = system::index_u32(e);
            }
            for &(c, _) in &eq.terms {
                if let Col::Z(j) = c {
                    col_eqs[j as usize].push(system::index_u32(e));
                }
            }
        }
        let mut eq_of = vec![None; n];
        let mut unknown_of = vec![None; sys.eqs.len()];
        // Seed with each unknown's natural equation: a group's or a free outflow's origin, a
        // stock change's process. For transfer-coefficient networks this is already perfect.
        let flows = model.flows();
        for (j, u) in sys.unknowns.iter().enumerate() {
            let home = match *u {
                Unknown::Group(g) => {
                    let group = &sys.groups[g as usize];
                    if group.closure {
                        sys.eqs
                            .iter()
                            .position(|e| e.kind == EqKind::Closure(g))
                            .map_or(u32::MAX, system::index_u32)
                    } else {
                        balance_of[group.process.0 as usize]
                    }
                }
                Unknown::Flow(i) => {
                    let f = &flows[i as usize];
                    let from = balance_of[f.from.0 as usize];
                    if from == u32::MAX {
                        balance_of[f.to.0 as usize]
                    } else {
                        from
                    }
                }
                Unknown::Stock(s) => {
                    balance_of[model.stock_changes()[s as usize].process.0 as usize]
                }
            };
            if home != u32::MAX && unknown_of[home as usize].is_none() && col_eqs[j].contains(&home)
            {
                unknown_of[home as usize] = Some(system::index_u32(j));
                eq_of[j] = Some(home);
            }
        }
        let mut m = Matching {
            eq_of,
            unknown_of,
            col_eqs,
        };
        m.augment();
        m
    }

    /// Augmenting paths from every unmatched unknown (depth first, with an explicit stack).
    fn augment(&mut self) {
        let n = self.eq_of.len();
        let mut visited = vec![u32::MAX; self.unknown_of.len()];
        for start in 0..n {
            if self.eq_of[start].is_some() {
                continue;
            }
            let stamp = system::index_u32(start);
            // Stack of (unknown, next edge index); parent equations along the path.
            let mut stack: Vec<(u32, usize)> = vec![(stamp, 0)];
            let mut path_eqs: Vec<u32> = Vec::new();
            let mut found = None;
            while let Some(&mut (u, ref mut next)) = stack.last_mut() {
                let eqs = &self.col_eqs[u as usize];
                if *next >= eqs.len() {
                    stack.pop();
                    path_eqs.pop();
                    continue;
                }
                let e = eqs[*next];
                *next += 1;
                if visited[e as usize] == stamp {
                    continue;
                }
                visited[e as usize] = stamp;
                match self.unknown_of[e as usize] {
                    None => {
                        path_eqs.push(e);
                        found = Some(());
                        break;
                    }
                    Some(w) => {
                        path_eqs.push(e);
                        stack.push((w, 0));
                    }
                }
            }
            if found.is_some() {
                // Flip the path: unknown stack[i] takes equation path_eqs[i].
                for (i, &(u, _)) in stack.iter().enumerate() {
                    let e = path_eqs[i];
                    self.eq_of[u as usize] = Some(e);
                    self.unknown_of[e as usize] = Some(u);
                }
            }
        }
    }

    /// Unknowns that the equations do not determine: those reachable by alternating paths
    /// from an unmatched unknown (the under-determined part of the Dulmage–Mendelsohn
    /// decomposition).
    fn undetermined(&self, sys: &System) -> Vec<u32> {
        let mut seen = vec![false; sys.n()];
        let mut queue: Vec<u32> = (0..sys.n())
            .filter(|&j| self.eq_of[j].is_none())
            .map(system::index_u32)
            .collect();
        for &j in &queue {
            seen[j as usize] = true;
        }
        while let Some(j) = queue.pop() {
            for &e in &self.col_eqs[j as usize] {
                if let Some(w) = self.unknown_of[e as usize]
                    && !seen[w as usize]
                {
                    seen[w as usize] = true;
                    queue.push(w);
                }
            }
        }
        (0..sys.n())
            .filter(|&j| seen[j])
            .map(system::index_u32)
            .collect()
    }
}

fn unknowns_to_items(sys: &System, unknowns: &[u32]) -> Vec<Item> {
    let mut items: Vec<Item> = unknowns
        .iter()
        .flat_map(|&j| match sys.unknowns[j as usize] {
            Unknown::Group(g) => sys.groups[g as usize]
                .flows
                .iter()
                .map(|&i| Item::Flow(i))
                .collect::<Vec<_>>(),
            Unknown::Flow(i) => vec![Item::Flow(i)],
            Unknown::Stock(s) => vec![Item::Stock(s)],
        })
        .collect();
    crate::sort::sort(&mut items);
    items.dedup();
    items
}

/// Per process: inputs, outputs and stock change, from item values.
fn balance_gaps(net: &Network, sys: &System, values: &[f64], z: &[f64], m: &[f64]) -> Vec<Problem> {
    let model = &net.skeleton;
    let n_p = model.processes().len();
    let n_f = model.flows().len();
    let (mut input, mut output, mut stock) = (vec![0.0; n_p], vec![0.0; n_p], vec![0.0; n_p]);
    for (i, f) in model.flows().iter().enumerate() {
        input[f.to.0 as usize] += values[i];
        output[f.from.0 as usize] += values[i];
    }
    for (j, s) in model.stock_changes().iter().enumerate() {
        stock[s.process.0 as usize] += values[n_f + j];
    }
    let tol = model.meta().balance_tolerance.max(1e-12);
    let mut problems = Vec::new();
    for eq in &sys.eqs {
        if let EqKind::Closure(g) = eq.kind {
            let (mut lhs, mut scale) = (0.0, eq.rhs.abs());
            for &(c, a) in &eq.terms {
                let v = a * match c {
                    Col::Z(j) => z[j as usize],
                    Col::M(j) => m[j as usize],
                };
                lhs += v;
                scale += v.abs();
            }
            if (lhs - eq.rhs).abs() > tol * scale {
                let group = &sys.groups[g as usize];
                problems.push(Problem::SharesDisagree {
                    process: group.process,
                    material: group.material,
                    gap: lhs - eq.rhs,
                });
            }
        }
        if let EqKind::Balance(p) = eq.kind {
            let i = p.0 as usize;
            let gap = input[i] - output[i] - stock[i];
            let scale = input[i].max(output[i] + stock[i].abs());
            if gap.abs() > tol * scale {
                problems.push(Problem::Inconsistent {
                    process: p,
                    gap,
                    scale,
                });
            }
        }
    }
    problems
}

fn dense_solve(
    net: &Network,
    sys: &System,
    m_given: &[f64],
    var: &[f64],
    always_project: bool,
) -> Result<Solved, Vec<Problem>> {
    let (n, k, me) = (sys.n(), sys.k, sys.eqs.len());
    let cols = n + k + 1;
    let mut a = Mat::zeros(me, cols);
    for (r, eq) in sys.eqs.iter().enumerate() {
        for &(c, v) in &eq.terms {
            match c {
                Col::Z(j) => a.set(r, j as usize, v),
                Col::M(j) => a.set(r, n + j as usize, v),
            }
        }
        a.set(r, n + k, eq.rhs);
    }
    let elim = gauss_jordan(&mut a, n, 1e-12);
    if elim.rank < n {
        let mut pivot_of = vec![None; n];
        for &(r, c) in &elim.pivots {
            pivot_of[c] = Some(r);
        }
        let free: Vec<usize> = (0..n).filter(|&c| pivot_of[c].is_none()).collect();
        let scale = 1e-12;
        let mut undetermined: Vec<u32> = free.iter().map(|&c| system::index_u32(c)).collect();
        for &(r, c) in &elim.pivots {
            if free.iter().any(|&f| a.at(r, f).abs() > scale) {
                undetermined.push(system::index_u32(c));
            }
        }
        crate::sort::sort(&mut undetermined);
        return Err(vec![Problem::Undetermined {
            items: unknowns_to_items(sys, &undetermined),
        }]);
    }
    // z = c_z − Zm m̂, from the pivot rows.
    let unknowns_for = |m: &[f64]| -> Vec<f64> {
        let mut z = vec![0.0; n];
        for &(r, c) in &elim.pivots {
            let row = a.row(r);
            let mut v = row[n + k];
            for j in 0..k {
                v -= row[n + j] * m[j];
            }
            z[c] = v;
        }
        z
    };
    let mut values = vec![0.0; sys.items()];
    let z = unknowns_for(m_given);
    sys.item_values(&z, m_given, &mut values);
    let gaps = balance_gaps(net, sys, &values, &z, m_given);

    // The redundant rows, reduced to independent ones: R m = r.
    let redundant_rows = me - elim.rank;
    let mut red = Mat::zeros(redundant_rows, k + 1);
    for (i, r) in (elim.rank..me).enumerate() {
        for j in 0..=k {
            red.set(i, j, a.at(r, n + j));
        }
    }
    let red_elim = gauss_jordan(&mut red, k, 1e-10);
    let df = red_elim.rank;
    let info = SolveInfo {
        method: Method::Dense,
        unknowns: n,
        equations: me,
        iterations: 0,
        residual: 0.0,
    };
    let mut linear = None;
    let mut reconciliation = None;
    let mut m_hat = m_given.to_vec();
    let mut z = z;
    if df > 0 {
        let rec = weighted_least_squares(m_given, var, &red, df);
        let must_adjust = !gaps.is_empty();
        if must_adjust || always_project {
            m_hat.clone_from(&rec.m_hat);
        }
        z = unknowns_for(&m_hat);
        sys.item_values(&z, &m_hat, &mut values);
        let mut r = rec.summary;
        r.adjusted = must_adjust;
        r.values = net
            .measured_items
            .iter()
            .enumerate()
            .map(|(j, (item, v))| Adjustment {
                item: *item,
                measured: m_given[j],
                sd: libm::sqrt(*v),
                reconciled: m_hat[j],
                reconciled_sd: libm::sqrt(rec.q_hat_diag[j].max(0.0)),
                test: rec.tests[j],
            })
            .collect();
        reconciliation = Some(r);
        linear = Some(affine(sys, &a, &elim.pivots, Some((&rec.p, &rec.p0))));
    } else if k > 0 {
        linear = Some(affine(sys, &a, &elim.pivots, None));
    }
    let still = balance_gaps(net, sys, &values, &z, &m_hat);
    if !still.is_empty() {
        return Err(still);
    }
    Ok(Solved {
        values,
        info,
        reconciliation,
        linear,
    })
}

/// The map `items = G m + g0`, from the pivot rows of the eliminated system and, when the
/// balances constrain the measured values, the reconciliation's projection `m̂ = P m + p0`.
fn affine(
    sys: &System,
    a: &Mat,
    pivots: &[(usize, usize)],
    proj: Option<(&Mat, &[f64])>,
) -> Linear {
    let (n, k) = (sys.n(), sys.k);
    let mut pivot_row = vec![0usize; n];
    for &(r, c) in pivots {
        pivot_row[c] = r;
    }
    let items = sys.items();
    let mut h = Mat::zeros(items, k);
    let mut h0 = vec![0.0; items];
    for i in 0..items {
        let (c0, terms) = sys.expr(i);
        h0[i] = c0;
        for &(c, v) in terms {
            match c {
                Col::Z(j) => {
                    let row = a.row(pivot_row[j as usize]);
                    h0[i] += v * row[n + k];
                    for q in 0..k {
                        h.add(i, q, -v * row[n + q]);
                    }
                }
                Col::M(j) => h.add(i, j as usize, v),
            }
        }
    }
    match proj {
        None => Linear { g: h, g0: h0 },
        Some((p, p0)) => {
            let mut g = Mat::zeros(items, k);
            let mut g0 = h0;
            for i in 0..items {
                for q in 0..k {
                    let hiq = h.at(i, q);
                    if hiq == 0.0 {
                        continue;
                    }
                    g0[i] += hiq * p0[q];
                    for j in 0..k {
                        g.add(i, j, hiq * p.at(q, j));
                    }
                }
            }
            Linear { g, g0 }
        }
    }
}

struct Reconciled {
    m_hat: Vec<f64>,
    q_hat_diag: Vec<f64>,
    tests: Vec<Option<f64>>,
    /// The projection `m̂ = P m + p0`.
    p: Mat,
    p0: Vec<f64>,
    summary: Reconciliation,
}

/// Weighted least squares: adjusts `m` (variances `var`) to satisfy the first `df` rows of
/// `red` (`R m = r`, `r` in the last column), which are independent.
fn weighted_least_squares(m: &[f64], var: &[f64], red: &Mat, df: usize) -> Reconciled {
    let k = m.len();
    // B = R Q (df × k); S = B Rᵀ = R Q Rᵀ.
    let mut b = Mat::zeros(df, k);
    for l in 0..df {
        for j in 0..k {
            b.set(l, j, red.at(l, j) * var[j]);
        }
    }
    let mut s = Mat::zeros(df, df);
    for l in 0..df {
        for l2 in 0..df {
            let mut v = 0.0;
            for j in 0..k {
                v += b.at(l, j) * red.at(l2, j);
            }
            s.set(l, l2, v);
        }
    }
    let chol = cholesky(&s)
        .expect("independent redundant rows of measured values give a positive definite R Q Rᵀ");
    // e = R m − r; W e.
    let mut e: Vec<f64> = (0..df)
        .map(|l| (0..k).map(|j| red.at(l, j) * m[j]).sum::<f64>() - red.at(l, k))
        .collect();
    let e0 = e.clone();
    cholesky_solve(&chol, &mut e);
    let chi2: f64 = e0.iter().zip(&e).map(|(a, b)| a * b).sum();
    let m_hat: Vec<f64> = (0..k)
        .map(|j| m[j] - (0..df).map(|l| b.at(l, j) * e[l]).sum::<f64>())
        .collect();
    // W R (df × k) and W r, column by column.
    let mut wr = Mat::zeros(df, k + 1);
    let mut col = vec![0.0; df];
    for j in 0..=k {
        for l in 0..df {
            col[l] = red.at(l, j);
        }
        cholesky_solve(&chol, &mut col);
        for l in 0..df {
            wr.set(l, j, col[l]);
        }
    }
    // P = I − Bᵀ W R; p0 = Bᵀ W r; adjustment covariance Bᵀ W B = (I − P) Q.
    let mut p = Mat::zeros(k, k);
    let mut p0 = vec![0.0; k];
    for i in 0..k {
        for j in 0..k {
            let v: f64 = (0..df).map(|l| b.at(l, i) * wr.at(l, j)).sum();
            p.set(i, j, f64::from(u8::from(i == j)) - v);
        }
        p0[i] = (0..df).map(|l| b.at(l, i) * wr.at(l, k)).sum();
    }
    let adj_var: Vec<f64> = (0..k).map(|i| (1.0 - p.at(i, i)) * var[i]).collect();
    let q_hat_diag: Vec<f64> = (0..k).map(|i| var[i] - adj_var[i]).collect();
    let tests = (0..k)
        .map(|i| (adj_var[i] > 1e-12 * var[i]).then(|| (m_hat[i] - m[i]) / libm::sqrt(adj_var[i])))
        .collect();
    Reconciled {
        m_hat,
        q_hat_diag,
        tests,
        p,
        p0,
        summary: Reconciliation {
            chi2,
            df,
            p_value: chi2_survival(chi2, df),
            adjusted: false,
            values: Vec::new(),
        },
    }
}

/// The square system of the unknowns: row `j` is the equation matched to unknown `j`, signed
/// so that its diagonal is positive, with the measured values `m` moved to the right side.
fn matched_square(sys: &System, matching: &Matching, m: &[f64]) -> (Csr, Vec<f64>) {
    let n = sys.n();
    let mut rows: Vec<Vec<(u32, f64)>> = Vec::with_capacity(n);
    let mut b = Vec::with_capacity(n);
    for j in 0..n {
        let e = matching.eq_of[j].expect("a determined system matches every unknown");
        let eq = &sys.eqs[e as usize];
        let mut rhs = eq.rhs;
        let mut row = Vec::with_capacity(eq.terms.len());
        for &(c, v) in &eq.terms {
            match c {
                Col::Z(c) => row.push((c, v)),
                Col::M(q) => rhs -= v * m[q as usize],
            }
        }
        let diag = row
            .iter()
            .find(|(c, _)| *c as usize == j)
            .map_or(0.0, |x| x.1);
        if diag < 0.0 {
            for t in &mut row {
                t.1 = -t.1;
            }
            rhs = -rhs;
        }
        rows.push(row);
        b.push(rhs);
    }
    (Csr::from_rows(&rows), b)
}

/// The square sparse system `A z = b` that the iterative solvers solve for this network, as
/// given: for benchmarks and for comparison with other solvers (benches/peers/).
///
/// # Errors
/// The structural problems of the network, or [`Problem::Undetermined`].
pub fn square_system(net: &Network) -> Result<(Csr, Vec<f64>), Vec<Problem>> {
    let inputs = Inputs::of(&net.skeleton);
    let sys = build(
        &net.skeleton,
        &net.measured,
        net.measured_items.len(),
        &inputs,
        &inputs,
    )?;
    let matching = Matching::new(&sys, &net.skeleton);
    let undetermined = matching.undetermined(&sys);
    if !undetermined.is_empty() {
        return Err(vec![Problem::Undetermined {
            items: unknowns_to_items(&sys, &undetermined),
        }]);
    }
    let m: Vec<f64> = net
        .measured_items
        .iter()
        .map(|(item, _)| match *item {
            Item::Flow(i) => inputs.flows[i as usize],
            Item::Stock(j) => inputs.stocks[j as usize],
        })
        .collect();
    Ok(matched_square(&sys, &matching, &m))
}

fn sparse_solve(
    net: &Network,
    sys: &System,
    matching: &Matching,
    m: &[f64],
    method: Method,
) -> Result<Solved, Vec<Problem>> {
    let n = sys.n();
    let (a, b) = matched_square(sys, matching, m);
    let mut z = vec![0.0; n];
    let max_iter = 20_000;
    let result = match method {
        Method::GaussSeidel => gauss_seidel(&a, &b, &mut z, ITERATIVE_TOLERANCE, max_iter)
            .map(|i| (Method::GaussSeidel, i)),
        Method::BiCgStab => {
            bicgstab(&a, &b, &mut z, ITERATIVE_TOLERANCE, max_iter).map(|i| (Method::BiCgStab, i))
        }
        _ => sparse::auto(&a, &b, &mut z, ITERATIVE_TOLERANCE, max_iter).map(|(gs, i)| {
            (
                if gs {
                    Method::GaussSeidel
                } else {
                    Method::BiCgStab
                },
                i,
            )
        }),
    };
    let (method, it) = result.map_err(|e| {
        let (iterations, residual) = match e {
            IterativeFailure::NotConverged {
                iterations,
                residual,
            } => (iterations, residual),
            IterativeFailure::Breakdown { iterations } => (iterations, f64::NAN),
        };
        vec![Problem::NotConverged {
            iterations,
            residual,
        }]
    })?;
    let mut values = vec![0.0; sys.items()];
    sys.item_values(&z, m, &mut values);
    let gaps = balance_gaps(net, sys, &values, &z, m);
    if !gaps.is_empty() {
        if sys.eqs.len() > n && sys.k > 0 {
            return Err(vec![Problem::TooLargeToReconcile {
                unknowns: n,
                equations: sys.eqs.len(),
            }]);
        }
        return Err(gaps);
    }
    Ok(Solved {
        values,
        info: SolveInfo {
            method,
            unknowns: n,
            equations: sys.eqs.len(),
            iterations: it.iterations,
            residual: it.residual,
        },
        reconciliation: None,
        linear: None,
    })
}

/// `P(χ²_df ≥ x)`, the regularised upper incomplete gamma function `Q(df/2, x/2)`: a series for
/// small `x`, Lentz's continued fraction otherwise (Numerical Recipes §6.2).
#[must_use]
pub fn chi2_survival(x: f64, df: usize) -> f64 {
    if df == 0 || x <= 0.0 {
        return 1.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let a = df as f64 / 2.0;
    let x = x / 2.0;
    let ln_gamma_a = libm::lgamma(a);
    let front = libm::exp(-x + a * libm::log(x) - ln_gamma_a);
    if x < a + 1.0 {
        let (mut sum, mut term, mut ap) = (1.0 / a, 1.0 / a, a);
        for _ in 0..1000 {
            ap += 1.0;
            term *= x / ap;
            sum += term;
            if term.abs() < sum.abs() * 1e-16 {
                break;
            }
        }
        (1.0 - sum * front).clamp(0.0, 1.0)
    } else {
        let tiny = 1e-300;
        let mut b = x + 1.0 - a;
        let mut c = 1.0 / tiny;
        let mut d = 1.0 / b;
        let mut h = d;
        for i in 1..1000 {
            #[allow(clippy::cast_precision_loss)]
            let an = -(i as f64) * (i as f64 - a);
            b += 2.0;
            d = an * d + b;
            if d.abs() < tiny {
                d = tiny;
            }
            c = b + an / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = d * c;
            h *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (front * h).clamp(0.0, 1.0)
    }
}

/// The processes of a closed loop or an inconsistency, as ids for messages.
#[must_use]
pub fn process_names(model: &Model, processes: &[ProcessId]) -> String {
    processes
        .iter()
        .map(|p| format!("\"{}\"", model.process(*p).id))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
pub(crate) mod tests;
