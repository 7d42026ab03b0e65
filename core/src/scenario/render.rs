//! The comparison of `circ scenario`: every scenario's indicators beside the baseline's, with
//! absolute and relative change, ranked; as a table, CSV and JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::{At, Baseline, Scenario};
use crate::indicator::{IDS, Values};
use crate::report::{VERSION, format_value};

/// One indicator of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorInfo {
    /// Stable id.
    pub id: &'static str,
    /// Name.
    pub name: String,
    /// Unit of the values (`fraction` for shares).
    pub unit: String,
    /// The baseline's value; `None` when not computable.
    pub baseline: Option<f64>,
}

/// One scenario of the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compared {
    /// Name.
    pub name: String,
    /// What it stands for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Rank by the ranking indicator, from 1 (highest); `None` when it is not computable.
    pub rank: Option<usize>,
    /// Value of each indicator, in the order of [`Comparison::indicators`].
    pub values: Vec<Option<f64>>,
    /// The interventions, as people read them.
    pub interventions: Vec<String>,
}

/// Scenarios beside the baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The circ version that computed it.
    pub circ: &'static str,
    /// Model name.
    pub model: String,
    /// When: `target` (every intervention at its target) or a year.
    pub at: String,
    /// The indicator the scenarios are ranked by.
    pub rank_by: String,
    /// Every indicator, with the baseline's value.
    pub indicators: Vec<IndicatorInfo>,
    /// The scenarios, in ranking order.
    pub scenarios: Vec<Compared>,
}

pub(super) fn comparison(
    baseline: &Baseline<'_>,
    results: &[(&Scenario, Values)],
    at: At,
    rank_by: &str,
) -> Comparison {
    let report = baseline.report();
    let indicators: Vec<IndicatorInfo> = IDS
        .iter()
        .zip(baseline.values())
        .map(|(id, v)| {
            let ind = report.indicator(id);
            IndicatorInfo {
                id,
                name: ind.map_or_else(|| (*id).to_owned(), |i| i.name.clone()),
                unit: ind.map_or_else(|| "fraction".to_owned(), |i| i.unit.clone()),
                baseline: *v,
            }
        })
        .collect();
    let r = IDS.iter().position(|i| *i == rank_by).unwrap_or(0);
    let mut order: Vec<usize> = (0..results.len()).collect();
    // Highest first; not computable last; ties in file order (the sort is stable).
    crate::sort::sort_by(&mut order, |&a, &b| {
        let (va, vb) = (results[a].1[r], results[b].1[r]);
        match (va, vb) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
    });
    let scenarios = order
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let (s, v) = &results[i];
            Compared {
                name: s.name.clone(),
                description: s.description.clone(),
                rank: v[r].map(|_| k + 1),
                values: v.to_vec(),
                interventions: s.interventions.iter().map(describe).collect(),
            }
        })
        .collect();
    Comparison {
        circ: VERSION,
        model: baseline.model_ref().meta().name.clone(),
        at: match at {
            At::Target => "target".into(),
            At::Year(y) => y.to_string(),
        },
        rank_by: IDS[r].to_owned(),
        indicators,
        scenarios,
    }
}

fn describe(iv: &super::Intervention) -> String {
    let change = match iv.change {
        super::Change::Set(v) => format!("set to {v}"),
        super::Change::Scale(f) => format!("× {f}"),
    };
    match iv.ramp {
        Some((a, b)) => format!("{} {change}, ramped {a}–{b}", iv.label),
        None => format!("{} {change}", iv.label),
    }
}

/// Absolute and relative change of `v` from `base`.
fn change(base: Option<f64>, v: Option<f64>) -> (Option<f64>, Option<f64>) {
    match (base, v) {
        (Some(b), Some(v)) => (Some(v - b), (b != 0.0).then(|| (v - b) / b.abs())),
        _ => (None, None),
    }
}

fn fmt_value(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format_value(v, unit))
}

fn fmt_change(d: Option<f64>, unit: &str) -> String {
    match d {
        None => "n/a".to_owned(),
        Some(d) if unit == "fraction" => format!("{} pp", signed(d * 100.0, 2)),
        Some(d) => format!("{} {unit}", signed(d, 3)),
    }
}

fn fmt_relative(r: Option<f64>) -> String {
    r.map_or_else(
        || "n/a".to_owned(),
        |r| format!("{} %", signed(r * 100.0, 1)),
    )
}

/// `x` with its sign and `decimals` decimals; a change that rounds to zero is "+0.00", not the
/// "-0.00" of a tiny negative rounding error.
fn signed(x: f64, decimals: usize) -> String {
    let text = format!("{x:+.decimals$}");
    if text
        .trim_start_matches(['+', '-'])
        .trim_matches(['0', '.'])
        .is_empty()
    {
        format!("{:+.decimals$}", 0.0)
    } else {
        text
    }
}

fn num(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(String::new, |v| format!("{v:?}"))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

impl Comparison {
    /// The indicators shown in tables: those the baseline or some scenario can compute.
    fn shown(&self) -> Vec<usize> {
        (0..self.indicators.len())
            .filter(|&i| {
                self.indicators[i].baseline.is_some()
                    || self.scenarios.iter().any(|s| s.values[i].is_some())
            })
            .collect()
    }

    /// A table for a terminal: the ranking, then each scenario's indicators.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut t = String::new();
        let r = IDS.iter().position(|i| *i == self.rank_by).unwrap_or(0);
        let rank_ind = &self.indicators[r];
        let _ = writeln!(t, "Scenarios of \"{}\"", self.model);
        let _ = writeln!(
            t,
            "ranked by {} ({}), {}\n",
            rank_ind.name,
            rank_ind.id,
            if self.at == "target" {
                "every intervention at its target".to_owned()
            } else {
                format!("in {}", self.at)
            }
        );
        let width = self
            .scenarios
            .iter()
            .map(|s| s.name.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        let _ = writeln!(
            t,
            "rank  {:<width$}  {:>12}  {:>12}  {:>10}",
            "scenario", "value", "change", "relative"
        );
        let _ = writeln!(
            t,
            "      {:<width$}  {:>12}",
            "baseline",
            fmt_value(rank_ind.baseline, &rank_ind.unit)
        );
        for s in &self.scenarios {
            let (d, rel) = change(rank_ind.baseline, s.values[r]);
            let _ = writeln!(
                t,
                "{:<4}  {:<width$}  {:>12}  {:>12}  {:>10}",
                s.rank.map_or_else(|| "–".to_owned(), |k| k.to_string()),
                s.name,
                fmt_value(s.values[r], &rank_ind.unit),
                fmt_change(d, &rank_ind.unit),
                fmt_relative(rel)
            );
        }
        let shown = self.shown();
        let name_w = shown
            .iter()
            .map(|&i| self.indicators[i].name.chars().count())
            .max()
            .unwrap_or(10)
            .min(48);
        for s in &self.scenarios {
            let _ = writeln!(t, "\n{}", s.name);
            if let Some(d) = &s.description {
                let _ = writeln!(t, "  {d}");
            }
            for iv in &s.interventions {
                let _ = writeln!(t, "  - {iv}");
            }
            let _ = writeln!(
                t,
                "  {:<name_w$}  {:>12}  {:>12}  {:>12}  {:>10}",
                "indicator", "baseline", "scenario", "change", "relative"
            );
            for &i in &shown {
                let ind = &self.indicators[i];
                let (d, rel) = change(ind.baseline, s.values[i]);
                let name: String = ind.name.chars().take(name_w).collect();
                let _ = writeln!(
                    t,
                    "  {name:<name_w$}  {:>12}  {:>12}  {:>12}  {:>10}",
                    fmt_value(ind.baseline, &ind.unit),
                    fmt_value(s.values[i], &ind.unit),
                    fmt_change(d, &ind.unit),
                    fmt_relative(rel)
                );
            }
        }
        t
    }

    /// CSV, one row per scenario and indicator:
    /// `scenario,rank,indicator,unit,baseline,value,change,relative`, unrounded; empty where not
    /// computable.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut t = String::from("scenario,rank,indicator,unit,baseline,value,change,relative\n");
        for s in &self.scenarios {
            for (ind, v) in self.indicators.iter().zip(&s.values) {
                let (d, rel) = change(ind.baseline, *v);
                let _ = writeln!(
                    t,
                    "{},{},{},{},{},{},{},{}",
                    csv_field(&s.name),
                    s.rank.map_or_else(String::new, |k| k.to_string()),
                    ind.id,
                    csv_field(&ind.unit),
                    num(ind.baseline),
                    num(*v),
                    num(d),
                    num(rel)
                );
            }
        }
        t
    }

    /// JSON: the model, the ranking indicator, the baseline and every scenario's values.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a comparison always serialises") + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::{fmt_change, fmt_relative};

    #[test]
    fn a_change_that_rounds_to_zero_has_no_minus_sign() {
        assert_eq!(fmt_change(Some(-1e-12), "fraction"), "+0.00 pp");
        assert_eq!(fmt_relative(Some(-1e-12)), "+0.0 %");
        assert_eq!(fmt_change(Some(-0.0123), "fraction"), "-1.23 pp");
        assert_eq!(fmt_change(Some(-0.0004), "t"), "+0.000 t");
        assert_eq!(fmt_change(Some(2.5), "t"), "+2.500 t");
    }
}
