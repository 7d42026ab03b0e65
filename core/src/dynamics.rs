//! The `[dynamics]` section, validated: a time axis, [`DynamicStock`]s computed by the kernels of
//! [`stock`](crate::stock), and yearly [`Share`]s of the network's flows.
//!
//! Where this sits: [`validate`](crate::validate()) builds the network's [`Model`] first, then
//! calls `validate` here, which checks the section against the network (processes, materials),
//! reports every problem with its key path and a hint, and runs the stock kernels, so that a
//! stock path that cannot be met is an error at load time too. [`project`](crate::project())
//! reads the result.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, Location, PathSegment, suggest};
use crate::format::{RawDynamicStock, RawDynamics, RawLifetime, RawSeries, RawShare};
use crate::model::{MaterialGroup, MaterialId, Model, ProcessId};
use crate::stock::{
    InitialCohort, Lifetime, LifetimeChanges, StockError, StockSeries, Survival, Timing,
    inflow_driven, stock_driven,
};
use crate::unit::Unit;

/// The longest time axis accepted, in years: the kernels' tables grow with its square.
pub const MAX_YEARS: usize = 2_000;

const TIMINGS: &str = "timings are end (ages 0, 1, …; ODYM), middle (0.5, 1.5, …; flodym's default) and start (1, 2, …)";
const COHORTS: &str = "\"all\": every cohort in stock from that year (repair, maintenance); \"new\": the cohorts entering from that year (design)";

/// The oldest initial cohort accepted, in years before the axis.
pub const MAX_COHORT_AGE: i64 = 10_000;

/// Dynamic stocks and yearly shares over a time axis of consecutive years.
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamics {
    first_year: i32,
    len: usize,
    stocks: Vec<DynamicStock>,
    shares: Vec<Share>,
}

impl Dynamics {
    /// First year of the axis.
    #[must_use]
    pub fn first_year(&self) -> i32 {
        self.first_year
    }
    /// Last year of the axis.
    #[must_use]
    pub fn last_year(&self) -> i32 {
        self.first_year + self.len as i32 - 1
    }
    /// Number of years.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }
    /// Whether the axis is empty (never, for a validated model).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// The dynamic stocks, in file order.
    #[must_use]
    pub fn stocks(&self) -> &[DynamicStock] {
        &self.stocks
    }
    /// The yearly shares, in file order.
    #[must_use]
    pub fn shares(&self) -> &[Share] {
        &self.shares
    }
    /// The yearly shares, to be changed by a scenario.
    pub(crate) fn shares_mut(&mut self) -> &mut [Share] {
        &mut self.shares
    }
    /// Position of `year` in the axis.
    #[must_use]
    pub fn index(&self, year: i32) -> Option<usize> {
        let k = usize::try_from(i64::from(year) - i64::from(self.first_year)).ok()?;
        (k < self.len).then_some(k)
    }
}

/// How a dynamic stock is driven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    /// By its inflows.
    Inflow,
    /// By its stock path.
    Stock,
}

/// What a stock's quantities are measured in.
#[derive(Debug, Clone, PartialEq)]
pub enum StockUnit {
    /// Mass: the series are kept in tonnes.
    Mass(Unit),
    /// A count (`dwellings`, `vehicles`): the series are kept in these units.
    Count(String),
}

impl StockUnit {
    /// The unit as written.
    #[must_use]
    pub fn symbol(&self) -> String {
        match self {
            StockUnit::Mass(u) => u.symbol().to_owned(),
            StockUnit::Count(c) => c.clone(),
        }
    }
}

/// The mass of one material in one unit of product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Content {
    /// The material.
    pub material: MaterialId,
    /// Tonnes of the material per unit of the product (per tonne, for a mass product).
    pub per_unit: f64,
}

/// A product in use by cohort, held by a process of the network, with its computed series.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicStock {
    id: String,
    name: String,
    process: ProcessId,
    unit: StockUnit,
    lifetime: Lifetime,
    timing: Timing,
    driver: Driver,
    content: Vec<Content>,
    series: StockSeries,
}

impl DynamicStock {
    /// Id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Display name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The process holding it.
    #[must_use]
    pub fn process(&self) -> ProcessId {
        self.process
    }
    /// The unit of its quantities.
    #[must_use]
    pub fn unit(&self) -> &StockUnit {
        &self.unit
    }
    /// Its lifetime.
    #[must_use]
    pub fn lifetime(&self) -> Lifetime {
        self.lifetime
    }
    /// Its timing convention.
    #[must_use]
    pub fn timing(&self) -> Timing {
        self.timing
    }
    /// Inflow-driven or stock-driven.
    #[must_use]
    pub fn driver(&self) -> Driver {
        self.driver
    }
    /// Material content per unit.
    #[must_use]
    pub fn content(&self) -> &[Content] {
        &self.content
    }
    /// Stock, inflow, outflow and deficit by year of the axis, in tonnes for a mass product and
    /// in its own units for a counted one.
    #[must_use]
    pub fn series(&self) -> &StockSeries {
        &self.series
    }
}

/// A share of a process's input that goes to one destination, by year.
#[derive(Debug, Clone, PartialEq)]
pub struct Share {
    /// The process whose input is split.
    pub from: ProcessId,
    /// The destination.
    pub to: ProcessId,
    /// The material group it applies to; `None` for every group.
    pub group: Option<MaterialGroup>,
    /// The share in each year of the axis, in [0, 1].
    pub values: Vec<f64>,
}

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

struct Checker<'a> {
    origin: &'a str,
    model: &'a Model,
    diags: &'a mut Vec<Diagnostic>,
    errors: usize,
}

impl Checker<'_> {
    fn error(&mut self, path: Vec<PathSegment>, message: String, hint: impl Into<String>) {
        let hint: String = hint.into();
        let mut d = Diagnostic::error(Location::at(self.origin, path), message);
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
        self.errors += 1;
    }

    fn warning(&mut self, path: Vec<PathSegment>, message: String, hint: &str) {
        self.diags
            .push(Diagnostic::warning(Location::at(self.origin, path), message).with_hint(hint));
    }

    fn process(&mut self, path: Vec<PathSegment>, id: &str) -> Option<ProcessId> {
        let found = self.model.processes().iter().position(|p| p.id == id);
        if found.is_none() {
            let ids = self.model.processes().iter().map(|p| p.id.as_str());
            let hint = suggest(id, ids, "name a process of `processes`");
            self.error(path, format!("unknown process \"{id}\""), hint);
        }
        found.map(|i| ProcessId(i as u32))
    }

    fn material(&mut self, path: Vec<PathSegment>, id: &str) -> Option<MaterialId> {
        let found = self.model.materials().iter().position(|m| m.id == id);
        if found.is_none() {
            let ids = self.model.materials().iter().map(|m| m.id.as_str());
            let hint = suggest(
                id,
                ids,
                "name a material of `materials`, or a group MF1…MF4",
            );
            self.error(path, format!("unknown material \"{id}\""), hint);
        }
        found.map(|i| MaterialId(i as u32))
    }

    fn timing(&mut self, path: Vec<PathSegment>, name: Option<&str>, default: Timing) -> Timing {
        let Some(name) = name else { return default };
        Timing::parse(name).unwrap_or_else(|| {
            let hint = suggest(name, Timing::ALL.map(Timing::as_str), TIMINGS);
            self.error(path, format!("unknown timing \"{name}\""), hint);
            default
        })
    }

    /// The values of a series for every year of the axis, or `None` after reporting why not.
    fn series(
        &mut self,
        path: &[PathSegment],
        s: &RawSeries,
        first: i32,
        last: i32,
        what: &str,
    ) -> Option<Vec<f64>> {
        let at = |k: &str| {
            let mut p = path.to_vec();
            p.push(key(k));
            p
        };
        let before = self.errors;
        let years: Vec<i32> = match (&s.start, &s.years) {
            (Some(start), None) => (0..s.values.len())
                .map(|k| start.saturating_add(k as i32))
                .collect(),
            (None, Some(years)) => {
                if years.len() != s.values.len() {
                    self.error(
                        at("values"),
                        format!("{} values for {} years", s.values.len(), years.len()),
                        "give one value per year",
                    );
                    return None;
                }
                years.clone()
            }
            _ => {
                self.error(
                    path.to_vec(),
                    format!("give the years of the {what} with exactly one of `start` and `years`"),
                    "`start = 2020` with consecutive values, or `years = [2020, 2021, …]`",
                );
                return None;
            }
        };
        for (k, pair) in years.windows(2).enumerate() {
            let (a, b) = (pair[0], pair[1]);
            let mut p = at("years");
            p.push(PathSegment::Index(k + 1));
            if b <= a {
                self.error(
                    p,
                    format!("year {b} follows {a}: the years are out of order or repeated"),
                    "list every year once, in increasing order",
                );
            } else if b > a + 1 {
                let missing = if b == a + 2 {
                    format!("{}", a + 1)
                } else {
                    format!("{}–{}", a + 1, b - 1)
                };
                self.error(
                    p,
                    format!("the {what} has a gap: {missing} missing between {a} and {b}"),
                    "the time axis has yearly steps: give a value for every year",
                );
            }
        }
        if self.errors > before {
            return None;
        }
        match (years.first(), years.last()) {
            (Some(&a), Some(&b)) if a == first && b == last => {}
            (a, b) => {
                let given = match (a, b) {
                    (Some(a), Some(b)) => format!("{a}–{b}"),
                    _ => "no years".to_owned(),
                };
                self.error(
                    path.to_vec(),
                    format!("the {what} covers {given}, not the time axis {first}–{last}"),
                    "give a value for every year from dynamics.first_year to dynamics.last_year",
                );
                return None;
            }
        }
        for (k, v) in s.values.iter().enumerate() {
            if !v.is_finite() || *v < 0.0 {
                let mut p = at("values");
                p.push(PathSegment::Index(k));
                let problem = if v.is_finite() {
                    format!("negative {what} {v} in {}", years[k])
                } else {
                    format!("{what} {v} in {} is not a finite number", years[k])
                };
                self.error(
                    p,
                    problem,
                    "stocks and flows are non-negative masses or counts",
                );
            }
        }
        (self.errors == before).then(|| s.values.clone())
    }

    fn lifetime(&mut self, path: &[PathSegment], raw: &RawLifetime) -> Option<Lifetime> {
        let at = |k: &str| {
            let mut p = path.to_vec();
            p.push(key(k));
            p
        };
        let names = ["fixed", "normal", "folded_normal", "lognormal", "weibull"];
        let wants: &[&str] = match raw.dist.as_str() {
            "fixed" => &["mean"],
            "normal" | "folded_normal" | "lognormal" => &["mean", "sd"],
            "weibull" => &["shape", "scale"],
            other => {
                let hint = suggest(
                    other,
                    names,
                    format!("distributions are {}", names.join(", ")),
                );
                self.error(
                    at("dist"),
                    format!("unknown lifetime distribution \"{other}\""),
                    hint,
                );
                return None;
            }
        };
        let given = [
            ("mean", raw.mean),
            ("sd", raw.sd),
            ("shape", raw.shape),
            ("scale", raw.scale),
        ];
        let before = self.errors;
        for (name, value) in given {
            match (wants.contains(&name), value) {
                (true, None) => self.error(
                    path.to_vec(),
                    format!("a {} lifetime needs `{name}`", raw.dist),
                    format!("give {}", wants.join(" and ")),
                ),
                (false, Some(_)) => self.error(
                    at(name),
                    format!("a {} lifetime takes no `{name}`", raw.dist),
                    format!("it takes {}", wants.join(" and ")),
                ),
                _ => {}
            }
        }
        if self.errors > before {
            return None;
        }
        let v = |x: Option<f64>| x.unwrap_or(f64::NAN);
        let made = match raw.dist.as_str() {
            "fixed" => Lifetime::fixed(v(raw.mean)),
            "normal" => Lifetime::normal(v(raw.mean), v(raw.sd)),
            "folded_normal" => Lifetime::folded_normal(v(raw.mean), v(raw.sd)),
            "lognormal" => Lifetime::lognormal(v(raw.mean), v(raw.sd)),
            _ => Lifetime::weibull(v(raw.shape), v(raw.scale)),
        };
        made.map_err(|e| {
            let field = match e {
                crate::stock::LifetimeError::NotFinite { name, .. }
                | crate::stock::LifetimeError::NotPositive { name, .. } => name,
            };
            let hint = if raw.dist == "fixed" {
                "a fixed lifetime is at least 0 years (0: everything leaves in its inflow year)"
            } else {
                "lifetimes, spreads and Weibull parameters are positive numbers of years; for products that leave in their inflow year use dist = \"fixed\", mean = 0"
            };
            self.error(at(field), format!("{} lifetime: {e}", raw.dist), hint);
        })
        .ok()
    }
}

/// Validates the `[dynamics]` section against the network of `model`, pushing every problem
/// into `diags`, and computes each stock. `None` when there is an error.
pub(crate) fn validate(
    raw: &RawDynamics,
    model: &Model,
    origin: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Dynamics> {
    let mut c = Checker {
        origin,
        model,
        diags,
        errors: 0,
    };
    let base = vec![key("dynamics")];
    let at = |more: &[PathSegment]| {
        let mut p = base.clone();
        p.extend_from_slice(more);
        p
    };
    let (first, last) = (raw.first_year, raw.last_year);
    let span = i64::from(last) - i64::from(first) + 1;
    if span < 1 {
        c.error(
            at(&[key("last_year")]),
            format!("the time axis ends ({last}) before it starts ({first})"),
            "last_year is the last year of the axis, not its length",
        );
        return None;
    }
    if span > MAX_YEARS as i64 {
        c.error(
            at(&[key("last_year")]),
            format!("the time axis {first}–{last} has {span} years, more than {MAX_YEARS}"),
            "dynamic stock models need a few hundred years at most",
        );
        return None;
    }
    let n = span as usize;
    let timing = c.timing(at(&[key("timing")]), raw.timing.as_deref(), Timing::Middle);
    let mut ids = BTreeSet::new();
    let mut stocks = Vec::new();
    for (i, s) in raw.stocks.iter().enumerate() {
        let path = at(&[key("stocks"), PathSegment::Index(i)]);
        if !ids.insert(s.id.as_str()) {
            let mut p = path.clone();
            p.push(key("id"));
            c.error(
                p,
                format!("duplicate dynamic stock id \"{}\"", s.id),
                "give every dynamic stock its own id",
            );
        }
        if let Some(stock) = dynamic_stock(&mut c, &path, s, first, n, timing) {
            stocks.push(stock);
        }
    }
    let mut shares = Vec::new();
    for (i, s) in raw.shares.iter().enumerate() {
        let path = at(&[key("shares"), PathSegment::Index(i)]);
        if let Some(share) = share(&mut c, &path, s, first, n, &stocks) {
            shares.push(share);
        }
    }
    (c.errors == 0).then_some(Dynamics {
        first_year: first,
        len: n,
        stocks,
        shares,
    })
}

fn dynamic_stock(
    c: &mut Checker<'_>,
    path: &[PathSegment],
    s: &RawDynamicStock,
    first: i32,
    n: usize,
    timing: Timing,
) -> Option<DynamicStock> {
    let at = |more: &[PathSegment]| {
        let mut p = path.to_vec();
        p.extend_from_slice(more);
        p
    };
    let before = c.errors;
    let last = first + n as i32 - 1;
    let process = c.process(at(&[key("process")]), &s.process);
    if let Some(p) = process {
        let role = c.model.process(p).role;
        if !role.is_economy() {
            c.error(
                at(&[key("process")]),
                format!(
                    "process \"{}\" has role {role}, which holds no products in use",
                    s.process
                ),
                "attach a dynamic stock to a process of role use (or production, reuse)",
            );
        }
    }
    let model_unit = c.model.meta().unit;
    let unit = match s.unit.as_deref() {
        None => StockUnit::Mass(model_unit),
        Some(u) => match u.parse::<Unit>() {
            Ok(mass) => StockUnit::Mass(mass),
            Err(_) if !u.trim().is_empty() => StockUnit::Count(u.to_owned()),
            Err(_) => {
                c.error(
                    at(&[key("unit")]),
                    "an empty unit".into(),
                    "t, kt, Mt, Gt, or a count such as \"dwellings\"",
                );
                StockUnit::Mass(model_unit)
            }
        },
    };
    let timing = c.timing(at(&[key("timing")]), s.timing.as_deref(), timing);
    let lifetime = c.lifetime(&at(&[key("lifetime")]), &s.lifetime);
    let (driver, values) = match (&s.inflow, &s.stock) {
        (Some(series), None) => (
            Driver::Inflow,
            c.series(&at(&[key("inflow")]), series, first, last, "inflow"),
        ),
        (None, Some(series)) => (
            Driver::Stock,
            c.series(&at(&[key("stock")]), series, first, last, "stock"),
        ),
        _ => {
            c.error(
                path.to_vec(),
                "give exactly one of `inflow` (inflow-driven) and `stock` (stock-driven)".into(),
                "`inflow = { start = 2000, values = [...] }` or `stock = { start = 2000, values = [...] }`",
            );
            (Driver::Inflow, None)
        }
    };
    let to_base = |v: f64| match &unit {
        StockUnit::Mass(u) => u.to_tonnes(v),
        StockUnit::Count(_) => v,
    };
    // Initial cohorts: years before the axis, increasing, any spacing.
    let mut initial = Vec::new();
    if let Some(h) = &s.initial_cohorts {
        let hp = at(&[key("initial_cohorts")]);
        let years: Option<Vec<i32>> = match (&h.start, &h.years) {
            (Some(start), None) => Some(
                (0..h.values.len())
                    .map(|k| start.saturating_add(k as i32))
                    .collect(),
            ),
            (None, Some(y)) if y.len() == h.values.len() => Some(y.clone()),
            (None, Some(y)) => {
                c.error(
                    hp.clone(),
                    format!("{} values for {} cohort years", h.values.len(), y.len()),
                    "give one value per cohort year",
                );
                None
            }
            _ => {
                c.error(
                    hp.clone(),
                    "give the cohort years with exactly one of `start` and `years`".into(),
                    "`years = [1960, 1970, …]` and the stock of each cohort in `values`",
                );
                None
            }
        };
        for (k, (year, v)) in years
            .unwrap_or_default()
            .into_iter()
            .zip(&h.values)
            .enumerate()
        {
            let mut yp = hp.clone();
            yp.extend([key("years"), PathSegment::Index(k)]);
            let mut vp = hp.clone();
            vp.extend([key("values"), PathSegment::Index(k)]);
            if year >= first {
                c.error(
                    yp,
                    format!("cohort {year} is not before the time axis ({first}–{last})"),
                    "initial cohorts are the stock at the end of the year before first_year, by the year each entered; later inflows go in `inflow`",
                );
            } else if i64::from(first) - i64::from(year) > MAX_COHORT_AGE {
                c.error(
                    yp,
                    format!(
                        "cohort {year} entered more than {MAX_COHORT_AGE} years before the axis"
                    ),
                    "give the years the cohorts entered, such as 1965",
                );
            } else if initial
                .last()
                .is_some_and(|(prev, _): &(i32, f64)| *prev >= year)
            {
                c.error(
                    yp,
                    format!("cohort {year} is out of order or repeated"),
                    "list cohort years once, in increasing order",
                );
            } else if !v.is_finite() || *v < 0.0 {
                c.error(
                    vp,
                    format!("initial stock {v} of cohort {year} must be a non-negative number"),
                    "negative stocks do not exist; give 0 for an empty cohort",
                );
            } else {
                initial.push((year, *v));
            }
        }
    }
    let content = content(c, path, s, &unit);
    let changes = lifetime_changes(c, path, s, first, n);
    if c.errors > before {
        return None;
    }
    let (lifetime, values, process, content, changes) =
        (lifetime?, values?, process?, content?, changes?);
    if !network_carries(c, path, s, process, &content) {
        return None;
    }
    let sf = Survival::new(lifetime, timing, n, changes);
    let initial: Vec<InitialCohort> = initial
        .into_iter()
        .map(|(year, mass)| InitialCohort {
            years_before: (i64::from(first) - i64::from(year)) as usize,
            mass: to_base(mass),
        })
        .collect();
    let values: Vec<f64> = values.into_iter().map(to_base).collect();
    let result = match driver {
        Driver::Inflow => inflow_driven(&sf, &initial, &values, false),
        Driver::Stock => stock_driven(&sf, &initial, &values, false),
    };
    let series = match result {
        Ok(series) => series,
        Err(e) => {
            let (p, message, hint) = match e {
                StockError::NoSurvivors { years_before, .. } => {
                    let k = s
                        .initial_cohorts
                        .as_ref()
                        .and_then(|h| {
                            let year = i64::from(first) - years_before as i64;
                            h.years
                                .as_ref()
                                .and_then(|y| y.iter().position(|v| i64::from(*v) == year))
                                .or_else(|| {
                                    h.start.map(|st| (year - i64::from(st)).max(0) as usize)
                                })
                        })
                        .unwrap_or(0);
                    (
                        at(&[key("initial_cohorts"), key("values"), PathSegment::Index(k)]),
                        format!(
                            "the lifetime leaves nothing of cohort {} by {}, but the initial stock has some of it",
                            i64::from(first) - years_before as i64,
                            i64::from(first) - 1
                        ),
                        "lengthen the lifetime, or move this stock to a younger cohort",
                    )
                }
                StockError::NoSurvivalInInflowYear { index, .. } => (
                    at(&[key("stock"), key("values"), PathSegment::Index(index)]),
                    format!(
                        "the stock grows in {}, but the lifetime leaves nothing of an inflow by the end of its year",
                        first + index as i32
                    ),
                    "a fixed lifetime of 0 (or one shorter than the timing's first age) cannot hold a stock; lengthen it",
                ),
                other => (path.to_vec(), other.to_string(), ""),
            };
            c.error(p, message, hint);
            return None;
        }
    };
    Some(DynamicStock {
        id: s.id.clone(),
        name: s.name.clone().unwrap_or_else(|| s.id.clone()),
        process,
        unit,
        lifetime,
        timing,
        driver,
        content,
        series,
    })
}

/// The projection scales the flows into the stock's process to its inflow and routes its
/// outflow along the process's end-of-life flows, by material group: both must exist in the
/// network for every group of the content.
fn network_carries(
    c: &mut Checker<'_>,
    path: &[PathSegment],
    s: &RawDynamicStock,
    process: ProcessId,
    content: &[Content],
) -> bool {
    let model = c.model;
    let mut groups: Vec<MaterialGroup> = content
        .iter()
        .map(|x| model.material(x.material).group)
        .collect();
    crate::sort::sort(&mut groups);
    groups.dedup();
    let mut ok = true;
    for g in groups {
        let of_group = |f: &crate::model::Flow| model.material(f.material).group == g;
        let supplied = model.flows().iter().any(|f| {
            f.to == process && of_group(f) && !model.process(f.from).role.is_waste_management()
        });
        let disposed = model
            .flows()
            .iter()
            .any(|f| f.from == process && of_group(f) && !model.process(f.to).role.is_economy());
        let mut p = path.to_vec();
        p.push(key("process"));
        if !supplied {
            c.error(
                p.clone(),
                format!(
                    "the network has no flow of group {} into \"{}\" to carry the inflow of dynamic stock \"{}\"",
                    g.code(),
                    s.process,
                    s.id
                ),
                "add a flow into it from the process that supplies the product (any value: each year replaces it with the inflow)",
            );
            ok = false;
        }
        if !disposed {
            c.error(
                p,
                format!(
                    "the network has no end-of-life flow of group {} out of \"{}\" for the outflow of dynamic stock \"{}\"",
                    g.code(),
                    s.process,
                    s.id
                ),
                "add flows from it to collection, landfill or other waste management (their values set the split; each year replaces them)",
            );
            ok = false;
        }
    }
    ok
}

fn content(
    c: &mut Checker<'_>,
    path: &[PathSegment],
    s: &RawDynamicStock,
    unit: &StockUnit,
) -> Option<Vec<Content>> {
    let at = |k: usize, field: &str| {
        let mut p = path.to_vec();
        p.extend([key("content"), PathSegment::Index(k), key(field)]);
        p
    };
    if s.content.is_empty() {
        let mut p = path.to_vec();
        p.push(key("id"));
        c.error(
            p,
            format!("dynamic stock \"{}\" has no material content", s.id),
            "add content = [{ material = \"…\", per_unit = … }]: for a product in tonnes the mass fraction of each material, for a counted product the tonnes per unit",
        );
        return None;
    }
    let before = c.errors;
    let mut out: Vec<Content> = Vec::new();
    for (k, m) in s.content.iter().enumerate() {
        let material = c.material(at(k, "material"), &m.material);
        if !(m.per_unit.is_finite() && m.per_unit >= 0.0) {
            c.error(
                at(k, "per_unit"),
                format!("per_unit = {} must be a non-negative number", m.per_unit),
                "",
            );
        }
        let per_unit = match (unit, &m.unit) {
            (StockUnit::Mass(_), Some(_)) => {
                c.error(
                    at(k, "unit"),
                    "a product measured in mass takes mass fractions, without a unit".into(),
                    "remove `unit`; per_unit is the mass fraction (t/t)",
                );
                m.per_unit
            }
            (StockUnit::Mass(_), None) => m.per_unit,
            (StockUnit::Count(_), u) => match u.as_deref().unwrap_or("t").parse::<Unit>() {
                Ok(u) => u.to_tonnes(m.per_unit),
                Err(_) => {
                    c.error(
                        at(k, "unit"),
                        format!("unknown mass unit \"{}\"", u.as_deref().unwrap_or_default()),
                        "t, kt, Mt or Gt",
                    );
                    m.per_unit
                }
            },
        };
        if let Some(material) = material {
            if out.iter().any(|x| x.material == material) {
                c.error(
                    at(k, "material"),
                    format!("material \"{}\" appears twice in the content", m.material),
                    "give each material once",
                );
            }
            out.push(Content { material, per_unit });
        }
    }
    if c.errors > before {
        return None;
    }
    if let StockUnit::Mass(_) = unit {
        let sum: f64 = out.iter().map(|x| x.per_unit).sum();
        let mut p = path.to_vec();
        p.push(key("content"));
        if sum > 1.0 + 1e-9 {
            c.error(
                p,
                format!("the mass fractions of the content sum to {sum}, more than 1"),
                "for a product measured in mass, per_unit is the fraction of its mass; they add up to at most 1",
            );
            return None;
        } else if sum < 1.0 - 1e-9 {
            c.warning(
                p,
                format!(
                    "the mass fractions of the content sum to {sum}: {:.1} % of the product's mass is in no material flow",
                    100.0 * (1.0 - sum)
                ),
                "add the missing materials, or a MIXED remainder",
            );
        }
    }
    Some(out)
}

fn lifetime_changes(
    c: &mut Checker<'_>,
    path: &[PathSegment],
    s: &RawDynamicStock,
    first: i32,
    n: usize,
) -> Option<LifetimeChanges> {
    let mut changes = LifetimeChanges::none();
    let before = c.errors;
    // Applied in the order of their years: a later change replaces an earlier one from its year.
    let mut order: Vec<usize> = (0..s.lifetime_changes.len()).collect();
    crate::sort::sort_by_key(&mut order, |k| s.lifetime_changes[*k].from);
    for k in order {
        let ch = &s.lifetime_changes[k];
        let at = |field: &str| {
            let mut p = path.to_vec();
            p.extend([key("lifetime_changes"), PathSegment::Index(k), key(field)]);
            p
        };
        if !(ch.factor.is_finite() && ch.factor > 0.0) {
            c.error(
                at("factor"),
                format!("lifetime factor {} must be positive", ch.factor),
                "1.2 makes lifetimes 20 % longer, 0.8 20 % shorter",
            );
            continue;
        }
        let target = match ch.cohorts.as_deref().unwrap_or("all") {
            "all" => &mut changes.by_year,
            "new" => &mut changes.by_cohort,
            other => {
                let hint = suggest(other, ["all", "new"], COHORTS);
                c.error(at("cohorts"), format!("unknown cohorts \"{other}\""), hint);
                continue;
            }
        };
        if target.is_empty() {
            target.resize(n, 1.0);
        }
        let from = usize::try_from(i64::from(ch.from) - i64::from(first)).unwrap_or(0);
        for f in target.iter_mut().skip(from) {
            *f = ch.factor;
        }
        if ch.cohorts.as_deref() == Some("new") && ch.from < first {
            changes.before_axis = ch.factor;
        }
    }
    (c.errors == before).then_some(changes)
}

fn share(
    c: &mut Checker<'_>,
    path: &[PathSegment],
    s: &RawShare,
    first: i32,
    n: usize,
    stocks: &[DynamicStock],
) -> Option<Share> {
    let at = |field: &str| {
        let mut p = path.to_vec();
        p.push(key(field));
        p
    };
    let before = c.errors;
    let from = c.process(at("from"), &s.from);
    let to = c.process(at("to"), &s.to);
    let group = match s.group.as_deref() {
        None => None,
        Some(g) => {
            let found = MaterialGroup::from_code(g);
            if found.is_none() {
                c.error(
                    at("group"),
                    format!("unknown material group \"{g}\""),
                    "groups are MF1, MF2, MF3, MF4 and MIXED",
                );
            }
            found
        }
    };
    if let (Some(f), Some(t)) = (from, to) {
        let role = c.model.process(f).role;
        let holds_stock = stocks.iter().any(|d| d.process == f);
        if !(role.is_waste_management() || holds_stock) {
            c.error(
                at("from"),
                format!(
                    "process \"{}\" (role {role}) neither manages waste nor holds a dynamic stock",
                    s.from
                ),
                "yearly shares split the input of collection, sorting and treatment processes, or the end-of-life outflow of a dynamic stock's process",
            );
        }
        let linked = c.model.flows().iter().any(|fl| {
            fl.from == f
                && fl.to == t
                && group.is_none_or(|g| c.model.material(fl.material).group == g)
        });
        if !linked {
            c.error(
                path.to_vec(),
                format!(
                    "the network has no flow from \"{}\" to \"{}\"{}",
                    s.from,
                    s.to,
                    group.map_or(String::new(), |g| format!(" of group {}", g.code()))
                ),
                "shares re-weight the flows of the network: add the flow (a value of 0 is fine)",
            );
        }
    }
    if s.years.is_empty() || s.years.len() != s.values.len() {
        c.error(
            at("values"),
            format!("{} values for {} years", s.values.len(), s.years.len()),
            "give at least one year, and one share per year",
        );
        return None;
    }
    for (k, pair) in s.years.windows(2).enumerate() {
        if pair[1] <= pair[0] {
            let mut p = at("years");
            p.push(PathSegment::Index(k + 1));
            c.error(
                p,
                format!("year {} follows {}: years must increase", pair[1], pair[0]),
                "list the years in increasing order; values in between are interpolated",
            );
        }
    }
    for (k, v) in s.values.iter().enumerate() {
        if !(v.is_finite() && (0.0..=1.0).contains(v)) {
            let mut p = at("values");
            p.push(PathSegment::Index(k));
            c.error(
                p,
                format!("share {v} is not a fraction in [0, 1]"),
                "shares are fractions of the process's input: 0.45 for 45 %",
            );
        }
    }
    if c.errors > before {
        return None;
    }
    let values = (0..n)
        .map(|t| interpolate(&s.years, &s.values, first + t as i32))
        .collect();
    Some(Share {
        from: from?,
        to: to?,
        group,
        values,
    })
}

/// Linear between the points given, constant before the first and after the last.
fn interpolate(years: &[i32], values: &[f64], year: i32) -> f64 {
    match years.iter().position(|y| *y >= year) {
        None => values[values.len() - 1],
        Some(0) => values[0],
        Some(k) => {
            let (y0, y1) = (f64::from(years[k - 1]), f64::from(years[k]));
            let w = (f64::from(year) - y0) / (y1 - y0);
            values[k - 1] + w * (values[k] - values[k - 1])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::interpolate;

    #[test]
    fn shares_are_linear_between_years_and_flat_outside() {
        let (y, v) = ([2024, 2033], [0.3, 0.7]);
        assert_eq!(interpolate(&y, &v, 2020), 0.3);
        assert_eq!(interpolate(&y, &v, 2024), 0.3);
        assert!((interpolate(&y, &v, 2028) - (0.3 + 0.4 * 4.0 / 9.0)).abs() < 1e-15);
        assert_eq!(interpolate(&y, &v, 2033), 0.7);
        assert_eq!(interpolate(&y, &v, 2050), 0.7);
    }
}
