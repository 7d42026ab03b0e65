//! Uncertainty of every flow, stock change and indicator: linear (Gaussian) propagation and
//! Monte Carlo, from the uncertainties of the given values and shares.
//!
//! Both propagate through the same pipeline: the inputs (measured values, uncertain shares) →
//! the network solve, reconciling the measured values onto the balances whenever the balances
//! constrain them (so every sample balances, and uncertainties shrink where the data are
//! redundant, as STAN's do) → the accounts → the indicators ([`crate::indicator::values`]).
//!
//! - **Linear**: `var(y) = Σ_k (∂y/∂θ_k)² var(θ_k)` over independent inputs `θ`. For measured
//!   values the derivative is exact, from the solver's affine map `items = G m + g0`; for shares,
//!   and for indicators (ratios of account lines), it is a central difference.
//! - **Monte Carlo**: each sample draws every input from its distribution (normal, lognormal
//!   with the given mean and standard deviation, uniform, triangular), flows truncated at zero
//!   by rejection and shares to [0, 1]; solves; and evaluates. Sample `i` draws from its own
//!   stream, seeded by `(seed, i)` alone, so the same seed gives the same numbers whatever the
//!   number of threads, natively and in WebAssembly. Summaries (mean, standard deviation,
//!   percentiles 5/50/95 by linear interpolation between order statistics) are computed in
//!   sample order.
//!
//! A solved flow that comes out negative in a sample (possible when measured values are
//! reconciled) is set to zero, and the samples where that happened are counted.

use serde::Serialize;

use crate::indicator::{COUNT, Evaluator, IDS};
use crate::model::{Basis, Model, Uncertainty};
use crate::network::{Inputs, Item, Linear, Network, Problem, SolveOptions, solve_inputs};

/// How to propagate uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Linear propagation of variances (Gaussian).
    Gauss,
    /// Monte Carlo sampling.
    MonteCarlo,
}

/// The spread of one propagated quantity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Mean (Monte Carlo), or the solved value (linear).
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 5th percentile (Monte Carlo only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p5: Option<f64>,
    /// Median (Monte Carlo only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p50: Option<f64>,
    /// 95th percentile (Monte Carlo only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p95: Option<f64>,
    /// Samples in which the quantity was computable (Monte Carlo only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
}

/// Propagated uncertainties of a model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Propagated {
    /// Linear or Monte Carlo.
    pub method: Method,
    /// Number of Monte Carlo samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    /// Seed of the Monte Carlo streams.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Per flow, in model order, t.
    pub flows: Vec<Spread>,
    /// Per stock change, in model order, t.
    pub stock_changes: Vec<Spread>,
    /// Per indicator value, as [`crate::indicator::IDS`]; `None` where it is not computable.
    pub indicators: Vec<Option<Spread>>,
    /// Samples in which a solved flow came out negative and was set to zero.
    pub clamped: usize,
}

impl Propagated {
    /// The spread of the indicator with this id.
    #[must_use]
    pub fn indicator(&self, id: &str) -> Option<&Spread> {
        IDS.iter()
            .position(|i| *i == id)
            .and_then(|i| self.indicators[i].as_ref())
    }
}

/// An uncertain input: a measured value or an uncertain share.
#[derive(Debug, Clone, Copy)]
struct Source {
    item: Item,
    /// The given value (t) or share.
    value: f64,
    dist: Uncertainty,
    /// Whether it is a share (sampled within [0, 1]) or a flow value (sampled at or above 0).
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    FlowValue,
    StockValue,
    Share,
}

fn sources(model: &Model) -> Vec<Source> {
    let mut out = Vec::new();
    let items = model
        .flows()
        .iter()
        .zip(0..)
        .map(|(f, i)| {
            (
                Item::Flow(i),
                f.basis,
                f.value,
                f.uncertainty,
                Kind::FlowValue,
            )
        })
        .chain(model.stock_changes().iter().zip(0..).map(|(s, j)| {
            (
                Item::Stock(j),
                s.basis,
                s.value,
                s.uncertainty,
                Kind::StockValue,
            )
        }));
    for (item, basis, value, u, kind) in items {
        let Some(dist) = u else { continue };
        if dist.variance() <= 0.0 {
            continue;
        }
        match basis {
            Basis::Given | Basis::Reconciled => out.push(Source {
                item,
                value,
                dist,
                kind,
            }),
            Basis::Share { share } => out.push(Source {
                item,
                value: share,
                dist,
                kind: Kind::Share,
            }),
            Basis::Balance => {}
        }
    }
    out
}

fn set_input(inputs: &mut Inputs, item: Item, v: f64) {
    match item {
        Item::Flow(i) => inputs.flows[i as usize] = v,
        Item::Stock(j) => inputs.stocks[j as usize] = v,
    }
}

/// The solve used for propagation: measured values always projected onto the balances.
fn solve_items(net: &Network, nominal: &Inputs, inputs: &Inputs) -> Result<Vec<f64>, Vec<Problem>> {
    solve_inputs(net, nominal, inputs, &SolveOptions::default(), true).map(|s| s.values)
}

/// Linear propagation: the standard deviation of every flow, stock change and indicator.
///
/// # Errors
/// The problems of the network's solve (a model that loaded solves, so only for networks too
/// large to reconcile).
pub fn linear(net: &Network) -> Result<Propagated, Vec<Problem>> {
    let model = net.given();
    let nominal = Inputs::of(model);
    let solved = solve_inputs(net, &nominal, &nominal, &SolveOptions::default(), true)?;
    let base = solved.values.clone();
    let n_f = model.flows().len();
    let evaluator = Evaluator::new(model);
    let ind0 = evaluator.values(&base[..n_f], &base[n_f..]);
    let mut var_items = vec![0.0; base.len()];
    let mut var_ind = [0.0; COUNT];
    let measured_index: Vec<Option<usize>> = {
        let mut v = vec![None; net.items()];
        for (k, (item, _)) in net.measured().iter().enumerate() {
            v[net.item_index(*item)] = Some(k);
        }
        v
    };
    let mut plus = vec![0.0; base.len()];
    let mut minus = vec![0.0; base.len()];
    for src in sources(model) {
        let var = src.dist.variance();
        let idx = net.item_index(src.item);
        // Derivatives of every item with respect to this input, times h.
        let exact = match (&solved.linear, measured_index[idx]) {
            (Some(lin), Some(k)) => Some(column(lin, k)),
            _ => None,
        };
        let h = match src.kind {
            Kind::Share => 1e-6 * src.value.abs().max(1e-3),
            _ => 1e-6 * src.value.abs().max(libm::sqrt(var)),
        };
        let d_items: Vec<f64> = match exact {
            Some(col) => col,
            None => {
                let mut up = nominal.clone();
                set_input(&mut up, src.item, src.value + h);
                let mut down = nominal.clone();
                set_input(&mut down, src.item, src.value - h);
                let (a, b) = (
                    solve_items(net, &nominal, &up)?,
                    solve_items(net, &nominal, &down)?,
                );
                a.iter().zip(&b).map(|(x, y)| (x - y) / (2.0 * h)).collect()
            }
        };
        for (v, d) in var_items.iter_mut().zip(&d_items) {
            *v += d * d * var;
        }
        for i in 0..base.len() {
            plus[i] = base[i] + h * d_items[i];
            minus[i] = base[i] - h * d_items[i];
        }
        let up = evaluator.values(&plus[..n_f], &plus[n_f..]);
        let down = evaluator.values(&minus[..n_f], &minus[n_f..]);
        for (j, v) in var_ind.iter_mut().enumerate() {
            if let (Some(a), Some(b)) = (up[j], down[j]) {
                let d = (a - b) / (2.0 * h);
                *v += d * d * var;
            }
        }
    }
    let spread = |mean: f64, var: f64| Spread {
        mean,
        sd: libm::sqrt(var.max(0.0)),
        p5: None,
        p50: None,
        p95: None,
        samples: None,
    };
    let items: Vec<Spread> = base
        .iter()
        .zip(&var_items)
        .map(|(m, v)| spread(*m, *v))
        .collect();
    Ok(Propagated {
        method: Method::Gauss,
        samples: None,
        seed: None,
        flows: items[..n_f].to_vec(),
        stock_changes: items[n_f..].to_vec(),
        indicators: ind0
            .iter()
            .zip(var_ind)
            .map(|(v, var)| v.map(|m| spread(m, var)))
            .collect(),
        clamped: 0,
    })
}

fn column(lin: &Linear, k: usize) -> Vec<f64> {
    (0..lin.g.rows).map(|i| lin.g.at(i, k)).collect()
}

/// A Monte Carlo run, prepared once and sampled by index: front ends may fill the rows of the
/// sample matrix in any order and on any number of threads, and get the same numbers.
#[derive(Debug, Clone)]
pub struct MonteCarlo<'a> {
    net: &'a Network,
    evaluator: Evaluator,
    nominal: Inputs,
    sources: Vec<Source>,
    /// The affine map of the solve when no share is uncertain: then a sample is a
    /// matrix-vector product, not a solve.
    linear: Option<Linear>,
    measured: Vec<usize>,
    seed: u64,
    samples: usize,
    n_flows: usize,
}

/// Reusable buffers of one thread's samples.
#[derive(Debug, Clone)]
pub struct Scratch {
    draws: Vec<f64>,
    m: Vec<f64>,
    items: Vec<f64>,
    inputs: Inputs,
}

impl<'a> MonteCarlo<'a> {
    /// Prepares `samples` samples of a network, seeded by `seed`.
    ///
    /// # Errors
    /// The problems of the network's solve (see [`linear`]).
    pub fn new(
        net: &'a Network,
        samples: usize,
        seed: u64,
    ) -> Result<MonteCarlo<'a>, Vec<Problem>> {
        let model = net.given();
        let nominal = Inputs::of(model);
        let sources = sources(model);
        let shares_uncertain = sources.iter().any(|s| s.kind == Kind::Share);
        let solved = solve_inputs(net, &nominal, &nominal, &SolveOptions::default(), true)?;
        let linear = if shares_uncertain {
            None
        } else {
            solved.linear
        };
        // Position of each measured value among the sources.
        let measured = net
            .measured()
            .iter()
            .map(|(item, _)| {
                sources
                    .iter()
                    .position(|s| s.item == *item)
                    .expect("every measured value is a source")
            })
            .collect();
        Ok(MonteCarlo {
            net,
            evaluator: Evaluator::new(model),
            nominal,
            sources,
            linear,
            measured,
            seed,
            samples,
            n_flows: model.flows().len(),
        })
    }

    /// Number of values per sample: every flow, every stock change, then every indicator.
    #[must_use]
    pub fn width(&self) -> usize {
        self.net.items() + COUNT
    }

    /// Number of samples.
    #[must_use]
    pub fn samples(&self) -> usize {
        self.samples
    }

    /// Buffers for [`MonteCarlo::sample_into`], one per thread.
    #[must_use]
    pub fn scratch(&self) -> Scratch {
        Scratch {
            draws: vec![0.0; self.sources.len()],
            m: vec![0.0; self.net.measured().len()],
            items: vec![0.0; self.net.items()],
            inputs: self.nominal.clone(),
        }
    }

    /// Draws sample `index` and writes its values ([`MonteCarlo::width`] of them) into `row`:
    /// flows and stock changes (t), then the indicators (NaN where not computable). Returns
    /// whether a solved flow was negative and set to zero.
    pub fn sample_into(&self, index: u64, row: &mut [f64], scratch: &mut Scratch) -> bool {
        let mut rng = SplitMix64::stream(self.seed, index);
        for (d, s) in scratch.draws.iter_mut().zip(&self.sources) {
            *d = draw(s, &mut rng);
        }
        let draws = &scratch.draws;
        let items = &mut scratch.items;
        let mut ok = true;
        if let Some(lin) = &self.linear {
            for (k, &src) in self.measured.iter().enumerate() {
                scratch.m[k] = draws[src];
            }
            for (i, out) in items.iter_mut().enumerate() {
                let mut v = lin.g0[i];
                let row_g = &lin.g.data[i * lin.g.cols..(i + 1) * lin.g.cols];
                for (g, m) in row_g.iter().zip(&scratch.m) {
                    v += g * m;
                }
                *out = v;
            }
        } else {
            let inputs = &mut scratch.inputs;
            inputs.clone_from(&self.nominal);
            for (s, v) in self.sources.iter().zip(draws) {
                set_input(inputs, s.item, *v);
            }
            renormalise_rests(self.net.given(), inputs);
            match solve_items(self.net, &self.nominal, inputs) {
                Ok(v) => items.copy_from_slice(&v),
                Err(_) => {
                    ok = false;
                    items.iter_mut().for_each(|v| *v = f64::NAN);
                }
            }
        }
        let mut clamped = false;
        for v in &mut items[..self.n_flows] {
            if *v < 0.0 {
                *v = 0.0;
                clamped = true;
            }
        }
        let n = items.len();
        row[..n].copy_from_slice(items);
        let ind = if ok {
            self.evaluator
                .values(&items[..self.n_flows], &items[self.n_flows..])
        } else {
            [None; COUNT]
        };
        for (r, v) in row[n..].iter_mut().zip(ind) {
            *r = v.unwrap_or(f64::NAN);
        }
        clamped
    }

    /// Summarises a sample matrix (row `i` is sample `i`, as [`MonteCarlo::sample_into`] wrote
    /// it) and the number of samples that clamped a flow.
    #[must_use]
    pub fn summarise(&self, rows: &[f64], clamped: usize) -> Propagated {
        let w = self.width();
        let n = rows.len() / w.max(1);
        let mut column = Vec::with_capacity(n);
        let mut spreads: Vec<Option<Spread>> = Vec::with_capacity(w);
        for c in 0..w {
            column.clear();
            column.extend((0..n).map(|r| rows[r * w + c]).filter(|v| !v.is_nan()));
            spreads.push(summarise_column(&mut column));
        }
        let items = self.net.items();
        let zero = Spread {
            mean: f64::NAN,
            sd: f64::NAN,
            p5: None,
            p50: None,
            p95: None,
            samples: Some(0),
        };
        let flat: Vec<Spread> = spreads[..items].iter().map(|s| s.unwrap_or(zero)).collect();
        Propagated {
            method: Method::MonteCarlo,
            samples: Some(n),
            seed: Some(self.seed),
            flows: flat[..self.n_flows].to_vec(),
            stock_changes: flat[self.n_flows..].to_vec(),
            indicators: spreads[items..].to_vec(),
            clamped,
        }
    }
}

/// Runs a Monte Carlo propagation on this thread.
///
/// # Errors
/// The problems of the network's solve (see [`linear`]).
pub fn monte_carlo(net: &Network, samples: usize, seed: u64) -> Result<Propagated, Vec<Problem>> {
    let mc = MonteCarlo::new(net, samples, seed)?;
    let w = mc.width();
    let mut rows = vec![0.0; w * samples];
    let mut scratch = mc.scratch();
    let mut clamped = 0;
    for (i, row) in rows.chunks_mut(w).enumerate() {
        clamped += usize::from(mc.sample_into(i as u64, row, &mut scratch));
    }
    Ok(mc.summarise(&rows, clamped))
}

/// In a group whose shares came out above 1 in a sample, and that has a flow taking the rest,
/// scales the shares down to sum to 1 (the rest is then 0).
fn renormalise_rests(model: &Model, inputs: &mut Inputs) {
    let flows = model.flows();
    let mut order: Vec<usize> = (0..flows.len())
        .filter(|&i| !matches!(flows[i].basis, Basis::Given | Basis::Reconciled))
        .collect();
    crate::sort::sort_by_key(&mut order, |&i| (flows[i].from, flows[i].material, i));
    let mut start = 0;
    while start < order.len() {
        let key = (flows[order[start]].from, flows[order[start]].material);
        let mut end = start;
        while end < order.len() && (flows[order[end]].from, flows[order[end]].material) == key {
            end += 1;
        }
        let run = &order[start..end];
        let has_rest = run.iter().any(|&i| flows[i].basis == Basis::Balance);
        let sum: f64 = run
            .iter()
            .filter(|&&i| matches!(flows[i].basis, Basis::Share { .. }))
            .map(|&i| inputs.flows[i])
            .sum();
        if has_rest && sum > 1.0 {
            for &i in run {
                if matches!(flows[i].basis, Basis::Share { .. }) {
                    inputs.flows[i] /= sum;
                }
            }
        }
        start = end;
    }
}

/// Mean, standard deviation (n − 1) and percentiles of a column: the sums in the order given,
/// the percentiles from order statistics (found by selection, which reorders the column).
fn summarise_column(values: &mut [f64]) -> Option<Spread> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    let sd = if n > 1 {
        libm::sqrt(ss / (nf - 1.0))
    } else {
        0.0
    };
    Some(Spread {
        mean,
        sd,
        p5: Some(percentile(values, 0.05)),
        p50: Some(percentile(values, 0.5)),
        p95: Some(percentile(values, 0.95)),
        samples: Some(n),
    })
}

/// The `q` quantile, interpolating linearly between the order statistics around `(n − 1) q`
/// (Hyndman and Fan's type 7, the default of R and NumPy). Order statistics are values, so the
/// result does not depend on how selection reorders the slice.
fn percentile(values: &mut [f64], q: f64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let h = (values.len() - 1) as f64 * q;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let lo = h as usize;
    let (_, &mut at_lo, above) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let at_hi = above
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .unwrap_or(at_lo);
    #[allow(clippy::cast_precision_loss)]
    let frac = h - lo as f64;
    at_lo + frac * (at_hi - at_lo)
}

/// Draws an input: flow values truncated at zero and shares to [0, 1], by rejection (at most
/// 64 draws, then the bound).
fn draw(s: &Source, rng: &mut SplitMix64) -> f64 {
    let (lo, hi) = match s.kind {
        Kind::FlowValue => (0.0, f64::INFINITY),
        Kind::StockValue => (f64::NEG_INFINITY, f64::INFINITY),
        Kind::Share => (0.0, 1.0),
    };
    for _ in 0..64 {
        let v = draw_once(s.value, &s.dist, rng);
        if (lo..=hi).contains(&v) {
            return v;
        }
    }
    s.value.clamp(lo, hi)
}

fn draw_once(value: f64, dist: &Uncertainty, rng: &mut SplitMix64) -> f64 {
    match *dist {
        Uncertainty::Normal { sd } => value + sd * rng.normal(),
        Uncertainty::Lognormal { sd } => {
            // Moment matching: the value is the mean, sd the standard deviation of the
            // variable itself (the textbook form; INDICATORS.md §3.1 on ODYM's variant).
            let s2 = libm::log(1.0 + (sd * sd) / (value * value));
            let mu = libm::log(value) - s2 / 2.0;
            libm::exp(mu + libm::sqrt(s2) * rng.normal())
        }
        Uncertainty::Uniform { min, max } => min + (max - min) * rng.uniform(),
        Uncertainty::Triangular { min, mode, max } => {
            let u = rng.uniform();
            let span = max - min;
            if span <= 0.0 {
                return mode;
            }
            let fc = (mode - min) / span;
            if u < fc {
                min + libm::sqrt(u * span * (mode - min))
            } else {
                max - libm::sqrt((1.0 - u) * span * (max - mode))
            }
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014), a small generator that passes BigCrush: the same
/// integer arithmetic on every platform. Each sample has its own stream, from `(seed, index)`.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// The stream of sample `index` under `seed`.
    #[must_use]
    pub fn stream(seed: u64, index: u64) -> SplitMix64 {
        SplitMix64(mix(seed) ^ mix(index.wrapping_add(0x632B_E59B_D9B4_E019)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// A uniform value in (0, 1), never 0 or 1.
    pub fn uniform(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let x = (self.next_u64() >> 11) as f64;
        (x + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal value (Box–Muller, one of the pair).
    pub fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.uniform(), self.uniform());
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::tests::{TC_1, dr};
    use crate::{Format, SourceText, load};

    fn network(text: &str) -> Network {
        load(
            SourceText {
                name: "t.toml",
                text,
            },
            Format::Toml,
            &|_| Err(String::new()),
        )
        .expect("valid")
        .network
    }

    #[test]
    fn linear_propagation_gives_the_reconciled_sd_of_dr_1_and_dr_2() {
        // INDICATORS.md §4.2: σ̂ = 7.0711 (DR-1), 4.4721 (DR-2); both flows equal after
        // reconciliation, so their sds are equal.
        for (sd1, sd2, sd_hat) in [(10.0, 10.0, 7.0711), (5.0, 10.0, 4.4721)] {
            let p = linear(&network(&dr(sd1, sd2))).expect("propagates");
            for f in &p.flows {
                assert!((f.sd - sd_hat).abs() < 5e-5, "{}", f.sd);
            }
        }
    }

    #[test]
    fn monte_carlo_is_seeded_and_reproducible() {
        let text = TC_1.replace("value = 100", "value = 100\nuncertainty = { cv = 0.1 }");
        let net = network(&text);
        let a = monte_carlo(&net, 500, 7).expect("runs");
        let b = monte_carlo(&net, 500, 7).expect("runs");
        let c = monte_carlo(&net, 500, 8).expect("runs");
        assert_eq!(a, b);
        assert_ne!(a.flows[1].mean, c.flows[1].mean);
        // Samples drawn in another order give the same summary.
        let mc = MonteCarlo::new(&net, 500, 7).expect("prepares");
        let w = mc.width();
        let mut rows = vec![0.0; 500 * w];
        let mut scratch = mc.scratch();
        for i in (0..500).rev() {
            mc.sample_into(i as u64, &mut rows[i * w..(i + 1) * w], &mut scratch);
        }
        assert_eq!(mc.summarise(&rows, 0), a);
    }

    #[test]
    fn distributions_have_their_moments() {
        let mut rng = SplitMix64::stream(1, 2);
        let n = 200_000;
        for (dist, value, mean, var) in [
            (Uncertainty::Normal { sd: 2.0 }, 10.0, 10.0, 4.0),
            (Uncertainty::Lognormal { sd: 3.0 }, 6.0, 6.0, 9.0),
            (
                Uncertainty::Uniform { min: 1.0, max: 3.0 },
                2.0,
                2.0,
                4.0 / 12.0,
            ),
            (
                Uncertainty::Triangular {
                    min: 0.0,
                    mode: 1.0,
                    max: 4.0,
                },
                1.0,
                5.0 / 3.0,
                (0.0 + 1.0 + 16.0 - 0.0 - 0.0 - 4.0) / 18.0,
            ),
        ] {
            let xs: Vec<f64> = (0..n).map(|_| draw_once(value, &dist, &mut rng)).collect();
            let m = xs.iter().sum::<f64>() / f64::from(n);
            let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / f64::from(n - 1);
            // Tolerances of a few standard errors of the estimates.
            assert!(
                (m - mean).abs() < 5.0 * libm::sqrt(var / f64::from(n)),
                "{dist:?}: mean {m}"
            );
            assert!((v - var).abs() < 0.05 * var, "{dist:?}: var {v}");
            assert_eq!(dist.variance().to_bits(), var.to_bits(), "{dist:?}");
        }
    }

    #[test]
    fn the_stream_of_a_sample_is_fixed() {
        // Guards the platform-independence of the generator: these bits are the same natively
        // and in wasm32 (integer arithmetic only), and changing them changes every result.
        let mut r = SplitMix64::stream(42, 0);
        assert_eq!(r.next_u64(), SplitMix64::stream(42, 0).next_u64());
        let first = SplitMix64::stream(42, 0).next_u64();
        assert_ne!(first, SplitMix64::stream(42, 1).next_u64());
        assert_ne!(first, SplitMix64::stream(43, 0).next_u64());
    }
}
