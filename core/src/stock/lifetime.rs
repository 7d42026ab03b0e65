//! Lifetime distributions, the timing convention, and the survival table `sf[t, c]` that the
//! dynamic stock kernels ([`inflow_driven`](super::inflow_driven),
//! [`stock_driven`](super::stock_driven)) read.
//!
//! `sf[t, c]` is the share of the inflow of cohort `c` still in stock at the end of year `t`
//! (ODYM's and flodym's convention). It is the survival function `S` of the lifetime evaluated at
//! the age `t − c + δ`, where the [`Timing`] gives `δ`: 0 (ODYM, flodym `end`), 0.5 (flodym's
//! default `middle`, circ's default) or 1 (flodym `start`).
//!
//! Every transcendental function goes through `libm`, so the table has the same bits natively
//! and in wasm32.
//!
//! # References
//! - S. Pauliuk, N. Heeren, *ODYM — An open software framework for studying dynamic material
//!   systems*, J. Ind. Ecol. 24 (2020) 446–458; `dynamic_stock_model.py`, `compute_sf`.
//! - flodym (PIK), `lifetime_models.py`: `inflow_at`, `lt_factor_by_year` ("nurture") and
//!   `lt_factor_by_cohort` ("nature"), after Krych et al., J. Ind. Ecol. (2024),
//!   <https://doi.org/10.1111/jiec.13586>.

use std::f64::consts::FRAC_1_SQRT_2;
use std::fmt;

/// A lifetime distribution. Build one with its constructor, which checks the parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lifetime {
    dist: Dist,
}

/// The distributions and their parameters, in years.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Dist {
    /// Every product leaves at age `mean`: `S(a) = 1` for `a < mean`, else 0.
    Fixed {
        /// Lifetime, years (≥ 0; 0 means everything leaves in its inflow year).
        mean: f64,
    },
    /// Normal, not truncated: `S(a) = ½ erfc((a − mean) / (sd √2))`. The mass at negative ages
    /// leaves in the inflow year, as in ODYM and flodym.
    Normal {
        /// Mean lifetime, years (> 0).
        mean: f64,
        /// Standard deviation, years (> 0).
        sd: f64,
    },
    /// The absolute value of a normal variable: `S(a) = ½ erfc((a − mean)/(sd √2)) + ½ erfc((a +
    /// mean)/(sd √2))` for `a ≥ 0`. `mean` and `sd` are those of the normal *before* folding, as
    /// in ODYM and flodym.
    FoldedNormal {
        /// Mean of the normal before folding, years (≥ 0).
        mean: f64,
        /// Standard deviation of the normal before folding, years (> 0).
        sd: f64,
    },
    /// Lognormal with the given mean and standard deviation *of the lifetime itself*, by textbook
    /// moment matching: `σ² = ln(1 + sd²/mean²)`, `μ = ln(mean) − σ²/2` (as flodym). ODYM's
    /// `LogNormal` swaps the ratio, `ln(1 + mean²/sd²)`, so that its lifetimes have standard
    /// deviation `mean²/sd`; the two agree only when `mean = sd`.
    LogNormal {
        /// Mean lifetime, years (> 0).
        mean: f64,
        /// Standard deviation of the lifetime, years (> 0).
        sd: f64,
    },
    /// Weibull: `S(a) = exp(−(a/scale)^shape)` for `a ≥ 0`.
    Weibull {
        /// Shape `k` (> 0).
        shape: f64,
        /// Scale `λ`, years (> 0).
        scale: f64,
    },
}

/// Why a lifetime's parameters are not valid.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LifetimeError {
    /// A parameter is NaN or infinite.
    NotFinite {
        /// The parameter's name.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// A parameter that must be positive (or, with `zero_ok`, non-negative) is not.
    NotPositive {
        /// The parameter's name.
        name: &'static str,
        /// Its value.
        value: f64,
        /// Whether 0 is allowed.
        zero_ok: bool,
    },
}

impl fmt::Display for LifetimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LifetimeError::NotFinite { name, value } => {
                write!(f, "{name} = {value} is not a finite number")
            }
            LifetimeError::NotPositive {
                name,
                value,
                zero_ok: false,
            } => write!(f, "{name} = {value} must be positive"),
            LifetimeError::NotPositive { name, value, .. } => {
                write!(f, "{name} = {value} must not be negative")
            }
        }
    }
}

fn check(name: &'static str, value: f64, zero_ok: bool) -> Result<f64, LifetimeError> {
    if !value.is_finite() {
        Err(LifetimeError::NotFinite { name, value })
    } else if value > 0.0 || (zero_ok && value == 0.0) {
        Ok(value)
    } else {
        Err(LifetimeError::NotPositive {
            name,
            value,
            zero_ok,
        })
    }
}

impl Lifetime {
    /// A fixed lifetime of `mean` years (≥ 0).
    ///
    /// # Errors
    /// When `mean` is negative or not finite.
    pub fn fixed(mean: f64) -> Result<Lifetime, LifetimeError> {
        let mean = check("mean", mean, true)?;
        Ok(Lifetime {
            dist: Dist::Fixed { mean },
        })
    }

    /// A normal lifetime (`mean` > 0, `sd` > 0).
    ///
    /// # Errors
    /// When a parameter is not positive or not finite.
    pub fn normal(mean: f64, sd: f64) -> Result<Lifetime, LifetimeError> {
        Ok(Lifetime {
            dist: Dist::Normal {
                mean: check("mean", mean, false)?,
                sd: check("sd", sd, false)?,
            },
        })
    }

    /// A folded-normal lifetime, with the normal's parameters before folding (`mean` ≥ 0,
    /// `sd` > 0).
    ///
    /// # Errors
    /// When `mean` is negative, `sd` not positive, or either not finite.
    pub fn folded_normal(mean: f64, sd: f64) -> Result<Lifetime, LifetimeError> {
        Ok(Lifetime {
            dist: Dist::FoldedNormal {
                mean: check("mean", mean, true)?,
                sd: check("sd", sd, false)?,
            },
        })
    }

    /// A lognormal lifetime with this mean and standard deviation of the lifetime itself
    /// (`mean` > 0, `sd` > 0).
    ///
    /// # Errors
    /// When a parameter is not positive or not finite.
    pub fn lognormal(mean: f64, sd: f64) -> Result<Lifetime, LifetimeError> {
        Ok(Lifetime {
            dist: Dist::LogNormal {
                mean: check("mean", mean, false)?,
                sd: check("sd", sd, false)?,
            },
        })
    }

    /// A Weibull lifetime (`shape` > 0, `scale` > 0).
    ///
    /// # Errors
    /// When a parameter is not positive or not finite.
    pub fn weibull(shape: f64, scale: f64) -> Result<Lifetime, LifetimeError> {
        Ok(Lifetime {
            dist: Dist::Weibull {
                shape: check("shape", shape, false)?,
                scale: check("scale", scale, false)?,
            },
        })
    }

    /// The distribution and its parameters.
    #[must_use]
    pub fn dist(&self) -> Dist {
        self.dist
    }

    /// The survival function `S(a)`: the share of a cohort still in use at age `a` years, with
    /// the lifetime stretched by `factor` (mean and standard deviation, or the Weibull scale,
    /// multiplied by it; 1 leaves it unchanged).
    #[must_use]
    pub fn survival(&self, age: f64, factor: f64) -> f64 {
        match self.dist {
            Dist::Fixed { mean } => {
                if age < mean * factor {
                    1.0
                } else {
                    0.0
                }
            }
            Dist::Normal { mean, sd } => normal_sf((age - mean * factor) / (sd * factor)),
            Dist::FoldedNormal { mean, sd } => {
                if age < 0.0 {
                    1.0
                } else {
                    let (m, s) = (mean * factor, sd * factor);
                    normal_sf((age - m) / s) + normal_sf((age + m) / s)
                }
            }
            Dist::LogNormal { mean, sd } => {
                if age <= 0.0 {
                    1.0
                } else {
                    let (mu, sigma) = lognormal_params(mean * factor, sd * factor);
                    normal_sf((libm::log(age) - mu) / sigma)
                }
            }
            Dist::Weibull { shape, scale } => {
                if age <= 0.0 {
                    1.0
                } else {
                    libm::exp(-libm::pow(age / (scale * factor), shape))
                }
            }
        }
    }
}

/// `μ` and `σ` of the normal underlying a lognormal with this mean and standard deviation, by
/// moment matching, in flodym's arithmetic: `μ = ln(m² / √(m² + s²))`, `σ = √ln(1 + s²/m²)`.
#[must_use]
pub fn lognormal_params(mean: f64, sd: f64) -> (f64, f64) {
    let (m2, s2) = (mean * mean, sd * sd);
    (
        libm::log(m2 / libm::sqrt(m2 + s2)),
        libm::sqrt(libm::log(1.0 + s2 / m2)),
    )
}

/// The standard normal survival function `½ erfc(z / √2)`.
fn normal_sf(z: f64) -> f64 {
    0.5 * libm::erfc(z * FRAC_1_SQRT_2)
}

/// When in its year an inflow enters the stock, which sets the age at which survival is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Timing {
    /// At the end of the year: ages 0, 1, 2, … at the ends of years c, c + 1, … (ODYM; flodym
    /// `inflow_at = "end"`).
    End,
    /// In the middle of the year: ages 0.5, 1.5, … (flodym's default). circ's default too, since
    /// inflows arrive through the year and the average item is half a year old at its end.
    #[default]
    Middle,
    /// At the start of the year: ages 1, 2, … (flodym `inflow_at = "start"`).
    Start,
}

impl Timing {
    /// Every timing, in the order of the documentation.
    pub const ALL: [Timing; 3] = [Timing::End, Timing::Middle, Timing::Start];

    /// The age of a cohort at the end of its own inflow year.
    #[must_use]
    pub fn offset(self) -> f64 {
        match self {
            Timing::End => 0.0,
            Timing::Middle => 0.5,
            Timing::Start => 1.0,
        }
    }

    /// The name used in files: `end`, `middle`, `start`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Timing::End => "end",
            Timing::Middle => "middle",
            Timing::Start => "start",
        }
    }

    /// The timing with this file name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Timing> {
        Timing::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// Lifetime factors that change over time: mean and standard deviation (or the Weibull scale)
/// are multiplied by them.
///
/// - `by_year[t]` applies in year `t` to every cohort still in stock, old ones included
///   (flodym's `lt_factor_by_year`, the "nurture" strategies: repair, maintenance). Survival
///   then follows the hazard of the stretched lifetime: `sf[t, c] = sf[t−1, c] · S_t(a_t) /
///   S_t(a_{t−1})`, where `S_t` is the survival function with year `t`'s factor.
/// - `by_cohort` applies to the cohorts entering from a given year on, for their whole life
///   (flodym's `lt_factor_by_cohort`, the "nature" strategies: design, material choice).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LifetimeChanges {
    /// Factor of each year of the axis; empty for none.
    pub by_year: Vec<f64>,
    /// Factor of each cohort of the axis; empty for none.
    pub by_cohort: Vec<f64>,
    /// Factor of the cohorts before the axis (initial stock); 1 unless a "new cohorts" change
    /// starts before the axis.
    pub before_axis: f64,
}

impl LifetimeChanges {
    /// No change: every factor 1.
    #[must_use]
    pub fn none() -> LifetimeChanges {
        LifetimeChanges {
            by_year: Vec::new(),
            by_cohort: Vec::new(),
            before_axis: 1.0,
        }
    }

    fn year(&self, t: usize) -> f64 {
        self.by_year.get(t).copied().unwrap_or(1.0)
    }

    fn cohort(&self, c: isize) -> f64 {
        match usize::try_from(c) {
            Ok(c) => self.by_cohort.get(c).copied().unwrap_or(1.0),
            Err(_) => self.before_axis,
        }
    }

    fn has_year_factors(&self) -> bool {
        self.by_year.iter().any(|f| *f != 1.0)
    }

    fn has_cohort_factors(&self) -> bool {
        self.by_cohort.iter().any(|f| *f != 1.0) || self.before_axis != 1.0
    }
}

/// The survival table `sf[t, c]` of one lifetime over a time axis of `n` years, for the cohorts
/// of the axis (`0 ≤ c ≤ t < n`) and, on demand, for cohorts before it.
///
/// Without lifetime changes `sf[t, c]` depends on `t − c` only, and the table is one column of
/// `n` values: the kernels then cost `n` survival evaluations and `n²/2` multiply-adds. With
/// changes it holds a column per cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Survival {
    lifetime: Lifetime,
    timing: Timing,
    changes: LifetimeChanges,
    n: usize,
    table: Table,
}

/// Survival by age index for each lifetime factor met so far, keyed by the factor's bits.
type Cache = Vec<(u64, Vec<f64>)>;

#[derive(Debug, Clone, PartialEq)]
enum Table {
    /// `sf[t, c] = by_age[t − c]`.
    ByAge(Vec<f64>),
    /// `sf[t, c] = cols[c][t − c]`.
    ByCohort(Vec<Vec<f64>>),
}

impl Survival {
    /// The survival table of `lifetime` over `n` years.
    #[must_use]
    pub fn new(lifetime: Lifetime, timing: Timing, n: usize, changes: LifetimeChanges) -> Survival {
        let mut s = Survival {
            lifetime,
            timing,
            changes,
            n,
            table: Table::ByAge(Vec::new()),
        };
        let mut cache = Cache::new();
        s.table = if s.changes.has_year_factors() || s.changes.has_cohort_factors() {
            Table::ByCohort(
                (0..n)
                    .map(|c| s.column(c as isize, c, 1.0, &mut cache))
                    .collect(),
            )
        } else {
            Table::ByAge(s.column(0, 0, 1.0, &mut cache))
        };
        s
    }

    /// Number of years of the axis.
    #[must_use]
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the axis has no years.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The lifetime.
    #[must_use]
    pub fn lifetime(&self) -> Lifetime {
        self.lifetime
    }

    /// The timing convention.
    #[must_use]
    pub fn timing(&self) -> Timing {
        self.timing
    }

    /// `sf[t, c]` for `t = c, c + 1, …, n − 1`: the column of cohort `c` from its inflow year.
    #[must_use]
    pub fn col(&self, c: usize) -> &[f64] {
        match &self.table {
            Table::ByAge(v) => &v[..self.n - c],
            Table::ByCohort(cols) => &cols[c],
        }
    }

    /// `sf[t, c]` when the survival depends on age only (no lifetime changes).
    pub(crate) fn by_age(&self) -> Option<&[f64]> {
        match &self.table {
            Table::ByAge(v) => Some(v),
            Table::ByCohort(_) => None,
        }
    }

    /// The age of cohort `c` at the end of year `t` (axis indices; `c` may be negative).
    fn age(&self, t: isize, c: isize) -> f64 {
        (t - c) as f64 + self.timing.offset()
    }

    /// The share of cohort `c` (an axis index; negative before the axis) surviving to the end of
    /// years `from, from + 1, …, n − 1`, relative to `start` at the end of year `from − 1` (or
    /// absolute from its inflow year when `from = c`). Year factors follow the hazard rule.
    fn column(&self, c: isize, from: usize, start: f64, cache: &mut Cache) -> Vec<f64> {
        let g = self.changes.cohort(c);
        let mut out = Vec::with_capacity(self.n - from);
        let year_factors = self.changes.has_year_factors();
        let mut prev = start;
        for t in from..self.n {
            let ti = t as isize;
            let value = if ti == c {
                self.cached(cache, 0, self.changes.year(t) * g)
            } else if year_factors {
                let f = self.changes.year(t) * g;
                let before = self.cached(cache, ti - 1 - c, f);
                if before > 0.0 {
                    prev * self.cached(cache, ti - c, f) / before
                } else {
                    0.0
                }
            } else if from as isize == c {
                self.cached(cache, ti - c, g)
            } else {
                // Relative to the survival at the end of year `from − 1`, checked positive by
                // `before_axis_survival`.
                let base = self.cached(cache, from as isize - 1 - c, g);
                if base > 0.0 {
                    start * self.cached(cache, ti - c, g) / base
                } else {
                    0.0
                }
            };
            out.push(value);
            prev = value;
        }
        out
    }

    /// `S` at age index `k` (age `k + δ`) with lifetime factor `f`. Ages within the axis come
    /// from a table per distinct factor, so that a table with lifetime changes costs `n`
    /// evaluations per factor rather than two per cell; the values are the same bits.
    fn cached(&self, cache: &mut Cache, k: isize, f: f64) -> f64 {
        let age = |k: isize| k as f64 + self.timing.offset();
        match usize::try_from(k) {
            Ok(k) if k < self.n => {
                let bits = f.to_bits();
                let i = match cache.iter().position(|(b, _)| *b == bits) {
                    Some(i) => i,
                    None => {
                        let table = (0..self.n)
                            .map(|k| self.lifetime.survival(age(k as isize), f))
                            .collect();
                        cache.push((bits, table));
                        cache.len() - 1
                    }
                };
                cache[i].1[k]
            }
            _ => self.lifetime.survival(age(k), f),
        }
    }

    /// For a cohort that entered `years_before` years before the axis (1 = the year before the
    /// first), the share of its stock at the start of the axis still in stock at the end of each
    /// year of the axis.
    pub(crate) fn initial_cohort(&self, years_before: usize) -> Vec<f64> {
        let c = -(years_before as isize);
        self.column(c, 0, 1.0, &mut Cache::new())
    }

    /// The survival, at the start of the axis, of the cohort that entered `years_before` years
    /// before it, with the lifetime of the first year. Zero means the lifetime leaves nothing of
    /// that cohort, so an initial stock of it is a contradiction.
    #[must_use]
    pub fn before_axis_survival(&self, years_before: usize) -> f64 {
        let c = -(years_before as isize);
        let f = self.changes.year(0) * self.changes.cohort(c);
        self.lifetime.survival(self.age(-1, c), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn survival_at_odym_ages() {
        // DSM-N, ../shared/reference/INDICATORS.md §3.3: sf[:, 0] of Normal(5, 1.5) at ages 0..9.
        let sf = Survival::new(
            Lifetime::normal(5.0, 1.5).expect("valid"),
            Timing::End,
            10,
            LifetimeChanges::none(),
        );
        let expected = [
            0.9995709397,
            0.9961696194,
            0.9772498681,
            0.9087887803,
            0.7475074625,
            0.5,
            0.2524925375,
            0.0912112197,
            0.0227501319,
            0.0038303806,
        ];
        for (got, want) in sf.col(0).iter().zip(expected) {
            assert!((got - want).abs() < 1e-10, "{got} vs {want}");
        }
        // DSM-W: Weibull(shape 1.2, scale 1).
        let w = Lifetime::weibull(1.2, 1.0).expect("valid");
        let expected = [
            1.0,
            0.367879441,
            0.100520187,
            0.023820879,
            0.005102464,
            0.001009149,
        ];
        for (a, want) in expected.iter().enumerate() {
            let got = w.survival(a as f64, 1.0);
            assert!((got - want).abs() < 1e-9, "age {a}: {got} vs {want}");
        }
    }

    #[test]
    fn timing_shifts_the_ages() {
        let lt = Lifetime::fixed(3.5).expect("valid");
        for (timing, survivors) in [(Timing::End, 4), (Timing::Middle, 3), (Timing::Start, 3)] {
            let sf = Survival::new(lt, timing, 8, LifetimeChanges::none());
            let n = sf.col(0).iter().filter(|v| **v == 1.0).count();
            assert_eq!(n, survivors, "{timing:?}");
        }
        let sf = Survival::new(
            Lifetime::normal(2.0, 1.0).expect("valid"),
            Timing::Middle,
            3,
            LifetimeChanges::none(),
        );
        let want = Lifetime::normal(2.0, 1.0)
            .expect("valid")
            .survival(1.5, 1.0);
        assert_eq!(sf.col(0)[1], want);
        assert_eq!(Timing::default(), Timing::Middle);
    }

    /// Case LN of ../shared/reference/INDICATORS.md: mean 6, sd 3. circ's textbook conversion
    /// gives lifetimes of mean 6 and sd 3; ODYM's (`ln(1 + mean²/sd²)`) gives sd 12.
    #[test]
    fn lognormal_matches_its_moments_and_odym_does_not() {
        let moments = |mu: f64, sigma: f64| {
            let mean = libm::exp(mu + sigma * sigma / 2.0);
            let var = (libm::exp(sigma * sigma) - 1.0) * libm::exp(2.0 * mu + sigma * sigma);
            (mean, libm::sqrt(var))
        };
        let (mu, sigma) = lognormal_params(6.0, 3.0);
        let (mean, sd) = moments(mu, sigma);
        assert!(
            (mean - 6.0).abs() < 1e-12 && (sd - 3.0).abs() < 1e-12,
            "{mean} {sd}"
        );
        // ODYM: LT_LN = ln(Mean / sqrt(1 + Mean²/StdDev²)), SG_LN = sqrt(ln(1 + Mean²/StdDev²)).
        let odym_mu = libm::log(6.0 / libm::sqrt(1.0 + 36.0 / 9.0));
        let odym_sigma = libm::sqrt(libm::log(1.0 + 36.0 / 9.0));
        let (mean, sd) = moments(odym_mu, odym_sigma);
        assert!(
            (mean - 6.0).abs() < 1e-12 && (sd - 12.0).abs() < 1e-12,
            "{mean} {sd}"
        );
        // The survival function integrates to the mean: ∫ S(a) da = 6.
        let lt = Lifetime::lognormal(6.0, 3.0).expect("valid");
        let h = 0.001;
        let integral: f64 = (0..200_000)
            .map(|k| lt.survival((k as f64 + 0.5) * h, 1.0) * h)
            .sum();
        assert!((integral - 6.0).abs() < 1e-6, "{integral}");
    }

    #[test]
    fn folded_normal_is_the_normal_folded_at_zero() {
        let lt = Lifetime::folded_normal(2.0, 3.0).expect("valid");
        let n = Lifetime::normal(2.0, 3.0).expect("valid");
        for a in [0.0, 0.5, 1.0, 4.0, 10.0] {
            let folded = n.survival(a, 1.0) + (1.0 - n.survival(-a, 1.0));
            assert!((lt.survival(a, 1.0) - folded).abs() < 1e-15);
        }
        assert_eq!(lt.survival(-1.0, 1.0), 1.0);
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(Lifetime::normal(0.0, 1.0).is_err());
        assert!(Lifetime::normal(5.0, 0.0).is_err());
        assert!(Lifetime::lognormal(-1.0, 1.0).is_err());
        assert!(Lifetime::weibull(1.0, f64::NAN).is_err());
        assert!(Lifetime::fixed(-1.0).is_err());
        assert!(Lifetime::fixed(0.0).is_ok());
        assert!(Lifetime::folded_normal(0.0, 1.0).is_ok());
        assert_eq!(
            Lifetime::normal(-2.0, 1.0)
                .expect_err("negative")
                .to_string(),
            "mean = -2 must be positive"
        );
    }

    #[test]
    fn year_factors_follow_the_hazard_and_telescope_when_constant() {
        let lt = Lifetime::weibull(2.0, 10.0).expect("valid");
        let n = 30;
        let plain = Survival::new(lt, Timing::Middle, n, LifetimeChanges::none());
        // A factor of 1 in every year is no change: the same table, by the hazard rule.
        let ones = Survival::new(
            lt,
            Timing::Middle,
            n,
            LifetimeChanges {
                by_year: vec![1.0; n],
                by_cohort: vec![1.0; n],
                before_axis: 1.0,
            },
        );
        for c in 0..n {
            assert_eq!(plain.col(c), ones.col(c));
        }
        // Doubling the lifetime from year 10 slows the decline of every cohort from then on.
        let mut by_year = vec![1.0; n];
        by_year[10..].fill(2.0);
        let ext = Survival::new(
            lt,
            Timing::Middle,
            n,
            LifetimeChanges {
                by_year,
                by_cohort: Vec::new(),
                before_axis: 1.0,
            },
        );
        for c in 0..10 {
            let (p, e) = (plain.col(c), ext.col(c));
            for k in 0..(10 - c) {
                assert!((p[k] - e[k]).abs() < 1e-15);
            }
            for k in (10 - c)..(n - c) {
                assert!(e[k] >= p[k]);
            }
        }
    }
}
