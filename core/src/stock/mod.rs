//! Dynamic stock models: products in use by cohort, and the end-of-life flows they give.
//!
//! Where this sits: a model's `[dynamics]` section (see `docs/stocks.md`) is validated into
//! [`DynamicStock`](crate::dynamics::DynamicStock)s, whose series these kernels turn into stock,
//! inflow and outflow by year; [`project`](crate::project()) then routes the outflows through the
//! model's network, one model per year.
//!
//! - [`inflow_driven`]: stock and outflow from inflows, `s_c[t, c] = i[c] · sf[t, c]`.
//! - [`stock_driven`]: inflows from a stock path, by forward substitution of the lower-triangular
//!   system `SF · i = s`. A shrinking stock never gives a negative inflow: see below.
//! - [`Survival`] holds `sf[t, c]` for a [`Lifetime`] and a [`Timing`], with
//!   [`LifetimeChanges`] for lifetimes that change over the years or by cohort.
//! - An initial stock by cohort ([`InitialCohort`]): the stock at the end of the year before the
//!   axis, by the year each cohort entered. Each then follows its conditional survival, `m ·
//!   sf[t, c] / sf[−1, c]`, which is what ODYM's `compute_stock_driven_model_initialstock`
//!   computes by recovering the historic inflow `m / sf[−1, c]`.
//!
//! Conventions (ODYM, `dynamic_stock_model.py`): stock at the end of year `t`; the outflow of a
//! cohort in its own year is `i[c] · (1 − sf[c, c])` (so a Normal lifetime's mass at negative
//! ages leaves in the inflow year); later `i[c] · (sf[t−1, c] − sf[t, c])`. Mass balance
//! `i − o − Δs = 0` holds with `Δs[0] = s[0] − (initial stock)`.
//!
//! **Shrinking stocks** (stock-driven): when the survivors of earlier cohorts exceed the stock of
//! year `t`, the inflow of year `t` is 0, every cohort in stock is reduced by the same share so
//! that the stock is met, and the mass removed is reported as [`StockSeries::deficit`], part of
//! the outflow. Later years carry the reduced cohorts on with their survival curves. This is
//! ODYM's `NegativeInflowCorrect = True`; flodym (as of 1.1) and ODYM by default return a
//! negative inflow instead.

mod lifetime;

pub use lifetime::{Dist, Lifetime, LifetimeChanges, LifetimeError, Survival, Timing};

use std::fmt;

/// Part of the stock at the start of the time axis, by the year it entered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InitialCohort {
    /// How many years before the first year of the axis the cohort entered (1 = the year
    /// before).
    pub years_before: usize,
    /// Its stock at the end of the year before the axis, in the stock's unit.
    pub mass: f64,
}

/// Stock, inflow and outflow of one dynamic stock, by year of the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct StockSeries {
    /// Stock at the end of each year.
    pub stock: Vec<f64>,
    /// Inflow in each year.
    pub inflow: Vec<f64>,
    /// Outflow in each year: end of life of every cohort, and the deficit removals.
    pub outflow: Vec<f64>,
    /// The part of the outflow removed from existing cohorts because the stock path shrinks
    /// faster than they leave (stock-driven only; zeros otherwise).
    pub deficit: Vec<f64>,
    /// Stock and outflow by cohort, when asked for.
    pub by_cohort: Option<ByCohort>,
}

/// Stock and outflow by year and cohort. Columns: the initial cohorts in the order given, then
/// the cohorts of the axis, year by year.
#[derive(Debug, Clone, PartialEq)]
pub struct ByCohort {
    /// Number of columns: initial cohorts + years of the axis.
    pub columns: usize,
    /// `stock[t * columns + col]`: stock of a cohort at the end of year `t`.
    pub stock: Vec<f64>,
    /// `outflow[t * columns + col]`: outflow of a cohort in year `t`.
    pub outflow: Vec<f64>,
}

impl ByCohort {
    fn new(n: usize, columns: usize) -> ByCohort {
        ByCohort {
            columns,
            stock: vec![0.0; n * columns],
            outflow: vec![0.0; n * columns],
        }
    }
}

/// Why a dynamic stock cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StockError {
    /// A series does not have one value per year of the axis.
    Length {
        /// Which series.
        series: &'static str,
        /// Its length.
        len: usize,
        /// Years of the axis.
        years: usize,
    },
    /// A value is NaN, infinite or negative.
    BadValue {
        /// Which series.
        series: &'static str,
        /// Position in the series.
        index: usize,
        /// The value.
        value: f64,
    },
    /// An initial cohort has stock, but the lifetime leaves none of it by the start of the axis.
    NoSurvivors {
        /// How many years before the axis the cohort entered.
        years_before: usize,
        /// Its stock.
        mass: f64,
    },
    /// The stock grows in a year, but the lifetime leaves nothing of a new cohort by the end of
    /// its inflow year, so no inflow can build it.
    NoSurvivalInInflowYear {
        /// Position of the year in the axis.
        index: usize,
        /// The stock that new inflow would have to add.
        needed: f64,
    },
}

impl fmt::Display for StockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StockError::Length { series, len, years } => {
                write!(f, "{series} has {len} values for {years} years")
            }
            StockError::BadValue {
                series,
                index,
                value,
            } => write!(
                f,
                "{series}[{index}] = {value}: values must be finite and not negative"
            ),
            StockError::NoSurvivors { years_before, mass } => write!(
                f,
                "the initial cohort of {years_before} year(s) before the axis has stock {mass}, but its lifetime leaves none of it by then"
            ),
            StockError::NoSurvivalInInflowYear { index, needed } => write!(
                f,
                "year {index} of the axis needs {needed} of new stock, but the lifetime leaves nothing of an inflow by the end of its year"
            ),
        }
    }
}

impl std::error::Error for StockError {}

fn check_series(series: &'static str, values: &[f64], years: usize) -> Result<(), StockError> {
    if values.len() != years {
        return Err(StockError::Length {
            series,
            len: values.len(),
            years,
        });
    }
    match values.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        Some(index) => Err(StockError::BadValue {
            series,
            index,
            value: values[index],
        }),
        None => Ok(()),
    }
}

/// The conditional survival of each initial cohort over the axis, after checking them.
fn initial_columns(sf: &Survival, initial: &[InitialCohort]) -> Result<Vec<Vec<f64>>, StockError> {
    initial
        .iter()
        .enumerate()
        .map(|(index, h)| {
            if !(h.mass.is_finite() && h.mass >= 0.0) || h.years_before == 0 {
                return Err(StockError::BadValue {
                    series: "initial cohorts",
                    index,
                    value: h.mass,
                });
            }
            if h.mass > 0.0 && sf.before_axis_survival(h.years_before) <= 0.0 {
                return Err(StockError::NoSurvivors {
                    years_before: h.years_before,
                    mass: h.mass,
                });
            }
            Ok(sf.initial_cohort(h.years_before))
        })
        .collect()
}

/// The inflow-driven model: stock and outflow by year from the inflow of each year of the axis
/// and the initial stock by cohort.
///
/// `s[t] = Σ_c i[c]·sf[t, c] + Σ_h m_h·r_h[t]`, `o[t] = Σ_c i[c]·pdf[t, c] + Σ_h m_h·(r_h[t−1] −
/// r_h[t])`, with `pdf[c, c] = 1 − sf[c, c]`, `pdf[t, c] = sf[t−1, c] − sf[t, c]`, and `r_h` the
/// conditional survival of initial cohort `h` (`r_h[−1] = 1`). The outflow is summed from the
/// cohorts, not taken from the balance, so that the balance is a check.
///
/// # Errors
/// When `inflow` does not have one finite non-negative value per year of `sf`'s axis, or an
/// initial cohort is invalid (see [`StockError`]).
pub fn inflow_driven(
    sf: &Survival,
    initial: &[InitialCohort],
    inflow: &[f64],
    by_cohort: bool,
) -> Result<StockSeries, StockError> {
    let n = sf.len();
    check_series("inflow", inflow, n)?;
    let hist = initial_columns(sf, initial)?;
    let h = hist.len();
    let mut stock = vec![0.0; n];
    let mut outflow = vec![0.0; n];
    let mut table = by_cohort.then(|| ByCohort::new(n, h + n));
    for (j, (col, cohort)) in hist.iter().zip(initial).enumerate() {
        let mut prev = 1.0;
        for (t, r) in col.iter().enumerate() {
            let (s, o) = (cohort.mass * r, cohort.mass * (prev - r));
            stock[t] += s;
            outflow[t] += o;
            if let Some(tab) = &mut table {
                tab.stock[t * tab.columns + j] = s;
                tab.outflow[t * tab.columns + j] = o;
            }
            prev = *r;
        }
    }
    if let (Some(by_age), None) = (sf.by_age(), &table) {
        // Survival by age only: one pdf for all cohorts, and each year is a convolution.
        let pdf: Vec<f64> = std::iter::once(1.0 - by_age[0])
            .chain(by_age.windows(2).map(|w| w[0] - w[1]))
            .collect();
        for c in 0..n {
            let i = inflow[c];
            if i != 0.0 {
                axpy2(i, by_age, &mut stock[c..], &pdf, &mut outflow[c..]);
            }
        }
    } else {
        for c in 0..n {
            let i = inflow[c];
            let mut prev = 1.0;
            for (k, v) in sf.col(c).iter().enumerate() {
                let (s, o) = (i * v, i * (prev - v));
                stock[c + k] += s;
                outflow[c + k] += o;
                if let Some(tab) = &mut table {
                    tab.stock[(c + k) * tab.columns + h + c] = s;
                    tab.outflow[(c + k) * tab.columns + h + c] = o;
                }
                prev = *v;
            }
        }
    }
    Ok(StockSeries {
        stock,
        inflow: inflow.to_vec(),
        outflow,
        deficit: vec![0.0; n],
        by_cohort: table,
    })
}

/// The stock-driven model: the inflow of each year that makes the stock follow `stock`, given
/// the initial stock by cohort, by forward substitution:
/// `i[t] = (s[t] − Σ_{c<t} s_c[t, c]) / sf[t, t]`.
///
/// A shrinking stock gives no negative inflow: when the survivors exceed `s[t]`, `i[t] = 0` and
/// every cohort is reduced by the factor `s[t] / survivors`; the mass removed is the year's
/// [`StockSeries::deficit`] and counts in its outflow (ODYM's `NegativeInflowCorrect`).
///
/// # Errors
/// When `stock` does not have one finite non-negative value per year of `sf`'s axis, an initial
/// cohort is invalid, or the stock grows in a year whose new cohort does not survive to the end
/// of the year (`sf[t, t] = 0`).
pub fn stock_driven(
    sf: &Survival,
    initial: &[InitialCohort],
    stock: &[f64],
    by_cohort: bool,
) -> Result<StockSeries, StockError> {
    let n = sf.len();
    check_series("stock", stock, n)?;
    let hist = initial_columns(sf, initial)?;
    if !by_cohort {
        return stock_driven_totals(sf, initial, &hist, stock);
    }
    let h = hist.len();
    // Current scale of each cohort: the initial mass, or the inflow, times the product of the
    // deficit reductions so far. Columns as in `ByCohort`.
    let mut w: Vec<f64> = initial.iter().map(|c| c.mass).collect();
    w.resize(h + n, 0.0);
    let mut series = StockSeries {
        stock: vec![0.0; n],
        inflow: vec![0.0; n],
        outflow: vec![0.0; n],
        deficit: vec![0.0; n],
        by_cohort: by_cohort.then(|| ByCohort::new(n, h + n)),
    };
    // Survival of column j at the end of year t, and at the end of year t − 1 (1 before entry).
    let at = |j: usize, t: usize| -> (f64, f64) {
        if j < h {
            let col = &hist[j];
            (col[t], if t == 0 { 1.0 } else { col[t - 1] })
        } else {
            let c = j - h;
            let col = sf.col(c);
            let k = t - c;
            (col[k], if k == 0 { 1.0 } else { col[k - 1] })
        }
    };
    for t in 0..n {
        let existing_cols = h + t;
        let mut existing = 0.0;
        let mut leaving = 0.0;
        for (j, wj) in w[..h].iter().enumerate() {
            let (now, before) = at(j, t);
            existing += wj * now;
            leaving += wj * (before - now);
        }
        if let Some(by_age) = sf.by_age() {
            // Survival by age only: cohort c is t − c years into the column (t − c ≥ 1 here).
            for (c, wc) in w[h..existing_cols].iter().enumerate() {
                let k = t - c;
                existing += wc * by_age[k];
                leaving += wc * (by_age[k - 1] - by_age[k]);
            }
        } else {
            for (j, wj) in w[h..existing_cols].iter().enumerate() {
                let (now, before) = at(h + j, t);
                existing += wj * now;
                leaving += wj * (before - now);
            }
        }
        let gap = stock[t] - existing;
        let diag = sf.col(t)[0];
        // Either a new cohort (factor 1) or a reduction of the existing ones (inflow 0).
        let (inflow, factor) = if gap >= 0.0 {
            let i = if gap == 0.0 {
                0.0
            } else if diag > 0.0 {
                gap / diag
            } else {
                return Err(StockError::NoSurvivalInInflowYear {
                    index: t,
                    needed: gap,
                });
            };
            (i, 1.0)
        } else {
            // Shrinking faster than cohorts leave: take the deficit from every cohort in
            // proportion. `existing > stock[t] ≥ 0` here, so the factor lies in [0, 1).
            (0.0, stock[t] / existing)
        };
        w[h + t] = inflow;
        if let Some(tab) = &mut series.by_cohort {
            let row = t * tab.columns;
            for (j, wj) in w[..=existing_cols].iter().enumerate() {
                let (now, before) = at(j, t);
                let f = if j < existing_cols { factor } else { 1.0 };
                tab.stock[row + j] = wj * f * now;
                tab.outflow[row + j] = wj * (before - now) + wj * (1.0 - f) * now;
            }
        }
        series.inflow[t] = inflow;
        if factor < 1.0 {
            series.deficit[t] = existing - stock[t];
            series.stock[t] = existing * factor;
            series.outflow[t] = leaving + series.deficit[t];
            for wj in &mut w[..existing_cols] {
                *wj *= factor;
            }
        } else {
            series.stock[t] = existing + inflow * diag;
            series.outflow[t] = leaving + inflow * (1.0 - diag);
        }
    }
    Ok(series)
}

/// `y1 += a·x1` and `y2 += a·x2` over the length of `y1` (which `y2`, `x1`, `x2` have at least):
/// slices cut to one length first, so that the loop has no bounds checks and vectorises.
fn axpy2(a: f64, x1: &[f64], y1: &mut [f64], x2: &[f64], y2: &mut [f64]) {
    let n = y1.len();
    let (x1, x2, y2) = (&x1[..n], &x2[..n], &mut y2[..n]);
    for k in 0..n {
        y1[k] += a * x1[k];
        y2[k] += a * x2[k];
    }
}

/// The stock-driven model without the cohort table, in O(n²) contiguous work: once a year's
/// inflow is known, its survivors and leavers are added to every later year (`acc_s`, `acc_o`),
/// so each year reads the survivors of all earlier cohorts in one value. A deficit reduces every
/// existing cohort by the same factor, and so every later value of the accumulators, which hold
/// only those cohorts: scaling them is exact.
fn stock_driven_totals(
    sf: &Survival,
    initial: &[InitialCohort],
    hist: &[Vec<f64>],
    stock: &[f64],
) -> Result<StockSeries, StockError> {
    let n = sf.len();
    let mut acc_s = vec![0.0; n];
    let mut acc_o = vec![0.0; n];
    for (col, cohort) in hist.iter().zip(initial) {
        let mut prev = 1.0;
        for (t, r) in col.iter().enumerate() {
            acc_s[t] += cohort.mass * r;
            acc_o[t] += cohort.mass * (prev - r);
            prev = *r;
        }
    }
    let by_age_pdf: Option<Vec<f64>> = sf.by_age().map(|v| {
        std::iter::once(1.0 - v[0])
            .chain(v.windows(2).map(|w| w[0] - w[1]))
            .collect()
    });
    let mut pdf = vec![0.0; n];
    let mut series = StockSeries {
        stock: vec![0.0; n],
        inflow: vec![0.0; n],
        outflow: vec![0.0; n],
        deficit: vec![0.0; n],
        by_cohort: None,
    };
    for t in 0..n {
        let (existing, leaving) = (acc_s[t], acc_o[t]);
        let gap = stock[t] - existing;
        let col = sf.col(t);
        let diag = col[0];
        if gap >= 0.0 {
            let i = if gap == 0.0 {
                0.0
            } else if diag > 0.0 {
                gap / diag
            } else {
                return Err(StockError::NoSurvivalInInflowYear {
                    index: t,
                    needed: gap,
                });
            };
            series.inflow[t] = i;
            series.stock[t] = existing + i * diag;
            series.outflow[t] = leaving + i * (1.0 - diag);
            if i != 0.0 && t + 1 < n {
                let pdf = match &by_age_pdf {
                    Some(p) => &p[..],
                    None => {
                        for (k, p) in pdf[..col.len()].iter_mut().enumerate() {
                            *p = if k == 0 {
                                1.0 - col[0]
                            } else {
                                col[k - 1] - col[k]
                            };
                        }
                        &pdf[..col.len()]
                    }
                };
                axpy2(
                    i,
                    &col[1..],
                    &mut acc_s[t + 1..],
                    &pdf[1..],
                    &mut acc_o[t + 1..],
                );
            }
        } else {
            let factor = stock[t] / existing;
            series.deficit[t] = existing - stock[t];
            series.stock[t] = existing * factor;
            series.outflow[t] = leaving + series.deficit[t];
            for v in acc_s[t + 1..].iter_mut().chain(&mut acc_o[t + 1..]) {
                *v *= factor;
            }
        }
    }
    Ok(series)
}

#[cfg(test)]
mod tests;
