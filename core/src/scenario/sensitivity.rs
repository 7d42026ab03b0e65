//! One-at-a-time sensitivity: each parameter scaled by `1 − δ` and `1 + δ` alone, the others at
//! their base values, and the parameters ranked by the swing of one indicator; as a table, CSV,
//! JSON and a tornado chart (SVG, drawn by [`crate::chart::tornado_svg`]).

use std::fmt::Write as _;

use serde::Serialize;

use super::space::Space;
use super::{At, Baseline, Change};
use crate::indicator::IDS;
use crate::report::{VERSION, format_value};

/// One parameter's effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// The parameter.
    pub parameter: String,
    /// The indicator with the parameter scaled by `1 − δ`; `None` when not computable.
    pub low: Option<f64>,
    /// With `1 + δ`.
    pub high: Option<f64>,
    /// `|high − low|`; `None` when either is not computable.
    pub swing: Option<f64>,
    /// Why a side could not be evaluated (an intervention that cannot hold).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The parameters of a model ranked by their effect on one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The circ version that computed it.
    pub circ: &'static str,
    /// Model name.
    pub model: String,
    /// The indicator's id.
    pub indicator: String,
    /// Its name.
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// Its baseline value.
    pub baseline: Option<f64>,
    /// The relative change of each parameter, `δ` (0.1 for ±10 %).
    pub delta: f64,
    /// The parameters, largest swing first.
    pub rows: Vec<SensitivityRow>,
}

/// Scales each parameter of `space` by `1 ± delta` alone and ranks them by the swing of
/// `indicator` (an id of [`IDS`]).
#[must_use]
pub fn sensitivity(
    baseline: &Baseline<'_>,
    space: &Space,
    delta: f64,
    indicator: &str,
    at: At,
) -> Sensitivity {
    let k = IDS.iter().position(|i| *i == indicator).unwrap_or(0);
    let mut scratch = baseline.scratch();
    let full = space.scenario("sensitivity");
    let mut rows: Vec<SensitivityRow> = full
        .interventions
        .iter()
        .zip(&space.parameters)
        .map(|(iv, p)| {
            let mut one = super::Scenario {
                name: format!("{} {:+}%", p.name, delta * 100.0),
                description: None,
                interventions: vec![iv.clone()],
            };
            let mut side = |f: f64| {
                one.interventions[0].change = Change::Scale(f);
                baseline.evaluate(&one, at, &mut scratch)
            };
            let (lo, hi) = (side(1.0 - delta), side(1.0 + delta));
            let error = lo
                .as_ref()
                .err()
                .or(hi.as_ref().err())
                .map(|e| e.message.clone());
            let low = lo.ok().and_then(|v| v[k]);
            let high = hi.ok().and_then(|v| v[k]);
            SensitivityRow {
                parameter: p.name.clone(),
                low,
                high,
                swing: low.zip(high).map(|(a, b)| (b - a).abs()),
                error,
            }
        })
        .collect();
    crate::sort::sort_by(&mut rows, |a, b| match (a.swing, b.swing) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let report = baseline.report();
    let ind = report.indicator(IDS[k]);
    Sensitivity {
        circ: VERSION,
        model: baseline.model_ref().meta().name.clone(),
        indicator: IDS[k].to_owned(),
        name: ind.map_or_else(|| IDS[k].to_owned(), |i| i.name.clone()),
        unit: ind.map_or_else(|| "fraction".to_owned(), |i| i.unit.clone()),
        baseline: baseline.values()[k],
        delta,
        rows,
    }
}

fn fmt(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "n/a".to_owned(), |v| format_value(v, unit))
}

fn num(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map_or_else(String::new, |v| format!("{v:?}"))
}

impl Sensitivity {
    /// A table: rank, parameter, the indicator at `−δ` and `+δ`, and the swing.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut t = String::new();
        let pct = self.delta * 100.0;
        let _ = writeln!(
            t,
            "Sensitivity of {} ({}) of \"{}\" to each parameter ±{pct} %, one at a time",
            self.name, self.indicator, self.model
        );
        let _ = writeln!(t, "baseline: {}\n", fmt(self.baseline, &self.unit));
        let w = self
            .rows
            .iter()
            .map(|r| r.parameter.chars().count())
            .max()
            .unwrap_or(9)
            .max(9);
        let _ = writeln!(
            t,
            "rank  {:<w$}  {:>12}  {:>12}  {:>12}",
            "parameter",
            format!("−{pct} %"),
            format!("+{pct} %"),
            "swing"
        );
        for (i, r) in self.rows.iter().enumerate() {
            let swing = match r.swing {
                Some(s) if self.unit == "fraction" => format!("{:.3} pp", s * 100.0),
                Some(s) => format!("{s:.4}"),
                None => "n/a".to_owned(),
            };
            let _ = writeln!(
                t,
                "{:<4}  {:<w$}  {:>12}  {:>12}  {:>12}",
                i + 1,
                r.parameter,
                fmt(r.low, &self.unit),
                fmt(r.high, &self.unit),
                swing
            );
            if let Some(e) = &r.error {
                let _ = writeln!(t, "      {e}");
            }
        }
        t
    }

    /// CSV: `rank,parameter,low,high,swing,error`, unrounded.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut t = String::from("rank,parameter,indicator,baseline,low,high,swing,error\n");
        for (i, r) in self.rows.iter().enumerate() {
            let quote = |s: &str| {
                if s.contains([',', '"', '\n']) {
                    format!("\"{}\"", s.replace('"', "\"\""))
                } else {
                    s.to_owned()
                }
            };
            let _ = writeln!(
                t,
                "{},{},{},{},{},{},{},{}",
                i + 1,
                quote(&r.parameter),
                self.indicator,
                num(self.baseline),
                num(r.low),
                num(r.high),
                num(r.swing),
                quote(r.error.as_deref().unwrap_or(""))
            );
        }
        t
    }

    /// JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a sensitivity always serialises") + "\n"
    }

    /// The tornado chart (SVG).
    #[must_use]
    pub fn to_svg(&self) -> String {
        let bars: Vec<crate::chart::TornadoBar> = self
            .rows
            .iter()
            .map(|r| crate::chart::TornadoBar {
                label: r.parameter.clone(),
                low: r.low,
                high: r.high,
            })
            .collect();
        let pct = self.delta * 100.0;
        crate::chart::tornado_svg(
            &bars,
            self.baseline,
            &self.unit,
            &format!("Sensitivity of {} to each parameter ±{pct} %", self.name),
            &format!("−{pct} %"),
            &format!("+{pct} %"),
        )
    }
}
