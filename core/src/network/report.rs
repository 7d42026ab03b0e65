//! What `circ solve` and `circ reconcile` print: every flow with how it was found and its
//! uncertainty, and every measured value with its reconciliation and test statistic. Renderers
//! return strings (text, JSON, CSV); the front end decides where they go.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Item, Reconciliation, Solution, SolveInfo};
use crate::model::{Basis, Model};
use crate::report::{UncertaintyRun, VERSION, format_mass};
use crate::uncertainty::{Propagated, Spread};
use crate::unit::Unit;

/// Two-sided 5 % critical value of the standard normal: a test statistic beyond it flags a
/// likely gross error.
pub const CRITICAL_Z: f64 = 1.959_963_984_540_054;

/// One flow or stock change of a solved model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRow {
    /// `flow` or `stock_change`.
    pub kind: &'static str,
    /// The flow's id, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Origin process (the process, for a stock change).
    pub from: String,
    /// Destination process (empty for a stock change).
    pub to: String,
    /// Material.
    pub material: String,
    /// Value, t.
    pub value: f64,
    /// How it was found: given, reconciled, share, balance.
    pub basis: &'static str,
    /// The share, for a value solved from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Its propagated uncertainty, t.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Spread>,
}

/// Every flow and stock change of a solved model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SolveReport {
    /// The circ version.
    pub circ: &'static str,
    /// The model's name.
    pub model: String,
    /// Display unit of the table (JSON and CSV are in tonnes).
    pub unit: Unit,
    /// The solver and its statistics.
    pub solve: SolveInfo,
    /// How uncertainty was propagated, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<UncertaintyRun>,
    /// Flows, then stock changes, in model order.
    pub items: Vec<ItemRow>,
}

/// The rows of a solved model, with the spreads of `propagated` if given.
#[must_use]
pub fn solve_report(
    model: &Model,
    solution: &Solution,
    propagated: Option<&Propagated>,
) -> SolveReport {
    let mut items = Vec::new();
    for (i, f) in model.flows().iter().enumerate() {
        items.push(ItemRow {
            kind: "flow",
            id: model.flow_id(f).map(str::to_owned),
            from: model.process(f.from).id.clone(),
            to: model.process(f.to).id.clone(),
            material: model.material(f.material).id.clone(),
            value: f.value,
            basis: f.basis.as_str(),
            share: share_of(f.basis),
            uncertainty: propagated.map(|p| p.flows[i]),
        });
    }
    for (j, s) in model.stock_changes().iter().enumerate() {
        items.push(ItemRow {
            kind: "stock_change",
            id: None,
            from: model.process(s.process).id.clone(),
            to: String::new(),
            material: model.material(s.material).id.clone(),
            value: s.value,
            basis: s.basis.as_str(),
            share: share_of(s.basis),
            uncertainty: propagated.map(|p| p.stock_changes[j]),
        });
    }
    SolveReport {
        circ: VERSION,
        model: model.meta().name.clone(),
        unit: model.meta().unit,
        solve: solution.info,
        uncertainty: propagated.map(|p| UncertaintyRun {
            method: p.method,
            samples: p.samples,
            seed: p.seed,
            clamped: p.clamped,
        }),
        items,
    }
}

fn share_of(b: Basis) -> Option<f64> {
    match b {
        Basis::Share { share } => Some(share),
        _ => None,
    }
}

impl SolveReport {
    /// Pretty JSON, masses in tonnes.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a solve report always serialises")
    }

    /// A table for a terminal, masses in the display unit.
    #[must_use]
    pub fn to_text(&self) -> String {
        let u = self.unit;
        let mut out = format!("{}\n\n", self.model);
        let label = |r: &ItemRow| {
            if r.kind == "flow" {
                format!("{} → {}", r.from, r.to)
            } else {
                format!("{} (stock change)", r.from)
            }
        };
        let width = self
            .items
            .iter()
            .map(|r| label(r).chars().count())
            .max()
            .unwrap_or(0)
            .max(4);
        let mw = self
            .items
            .iter()
            .map(|r| r.material.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        let with_u = self.uncertainty.is_some();
        let _ = write!(
            out,
            "{:<width$}  {:<mw$}  {:>12}  {:<16}",
            "Flow",
            "Material",
            format!("Value ({u})"),
            "Basis"
        );
        if with_u {
            let _ = write!(out, "  {:>12}", format!("± sd ({u})"));
            if self
                .uncertainty
                .as_ref()
                .is_some_and(|r| r.samples.is_some())
            {
                let _ = write!(out, "  {:>12}  {:>12}", "p5", "p95");
            }
        }
        out.push('\n');
        for r in &self.items {
            let basis = match r.share {
                Some(s) => format!("share {s}"),
                None => r.basis.to_owned(),
            };
            let mut line = format!(
                "{:<width$}  {:<mw$}  {:>12}  {:<16}",
                label(r),
                r.material,
                format_mass(r.value, u),
                basis
            );
            if let Some(s) = &r.uncertainty {
                let _ = write!(line, "  {:>12}", format_mass(s.sd, u));
                if let (Some(lo), Some(hi)) = (s.p5, s.p95) {
                    let _ = write!(
                        line,
                        "  {:>12}  {:>12}",
                        format_mass(lo, u),
                        format_mass(hi, u)
                    );
                }
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        let _ = writeln!(out, "\n{}", self.describe_solve());
        if let Some(run) = &self.uncertainty {
            let _ = writeln!(out, "{}", run.describe());
        }
        out
    }

    fn describe_solve(&self) -> String {
        let s = &self.solve;
        match s.method {
            super::Method::None | super::Method::Auto => {
                "Every value is given and the balances hold; nothing to solve.".to_owned()
            }
            super::Method::Dense => format!(
                "Solved {} unknowns from {} equations by dense elimination.",
                s.unknowns, s.equations
            ),
            m => format!(
                "Solved {} unknowns from {} equations by {} in {} iterations (relative residual {:.1e}).",
                s.unknowns,
                s.equations,
                if m == super::Method::GaussSeidel {
                    "Gauss–Seidel"
                } else {
                    "BiCGSTAB"
                },
                s.iterations,
                s.residual
            ),
        }
    }

    /// CSV, one row per flow and stock change, masses in tonnes.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "kind", "id", "from", "to", "material", "value_t", "basis", "share", "mean_t", "sd_t",
            "p5_t", "p50_t", "p95_t",
        ])
        .expect("writing to memory cannot fail");
        let s = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
        for r in &self.items {
            let u = r.uncertainty;
            w.write_record([
                r.kind.to_owned(),
                r.id.clone().unwrap_or_default(),
                r.from.clone(),
                r.to.clone(),
                r.material.clone(),
                r.value.to_string(),
                r.basis.to_owned(),
                s(r.share),
                s(u.map(|u| u.mean)),
                s(u.map(|u| u.sd)),
                s(u.and_then(|u| u.p5)),
                s(u.and_then(|u| u.p50)),
                s(u.and_then(|u| u.p95)),
            ])
            .expect("writing to memory cannot fail");
        }
        String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
            .expect("csv of UTF-8 fields is UTF-8")
    }
}

/// One measured value in a reconciliation report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReconcileRow {
    /// The flow (`from → to (material)` or its id) or stock change.
    pub item: String,
    /// As given, t.
    pub measured: f64,
    /// Its standard deviation, t.
    pub sd: f64,
    /// Reconciled, t.
    pub reconciled: f64,
    /// Standard deviation after reconciliation, t.
    pub reconciled_sd: f64,
    /// Reconciled − measured, t.
    pub adjustment: f64,
    /// The standardised adjustment; `None` when the balances do not constrain the value.
    pub test: Option<f64>,
    /// Whether `|test|` exceeds the two-sided 5 % critical value: a likely gross error.
    pub suspect: bool,
}

/// What `circ reconcile` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReconcileReport {
    /// The circ version.
    pub circ: &'static str,
    /// The model's name.
    pub model: String,
    /// Display unit of the table (JSON and CSV are in tonnes).
    pub unit: Unit,
    /// The global test statistic.
    pub chi2: f64,
    /// Its degrees of freedom.
    pub df: usize,
    /// `P(χ²_df ≥ chi2)`.
    pub p_value: f64,
    /// Whether the data pass the χ² test at the 5 % level.
    pub passes: bool,
    /// Whether the values were adjusted (they are not when consistent within tolerance).
    pub adjusted: bool,
    /// Every measured value.
    pub values: Vec<ReconcileRow>,
}

/// The report of a reconciliation of `model`'s measured values.
#[must_use]
pub fn reconcile_report(model: &Model, r: &Reconciliation) -> ReconcileReport {
    let values = r
        .values
        .iter()
        .map(|a| ReconcileRow {
            item: match a.item {
                Item::Flow(i) => model.flow_label(&model.flows()[i as usize]),
                Item::Stock(j) => {
                    let s = &model.stock_changes()[j as usize];
                    format!(
                        "stock change of {} ({})",
                        model.process(s.process).id,
                        model.material(s.material).id
                    )
                }
            },
            measured: a.measured,
            sd: a.sd,
            reconciled: a.reconciled,
            reconciled_sd: a.reconciled_sd,
            adjustment: a.reconciled - a.measured,
            test: a.test,
            suspect: a.test.is_some_and(|t| t.abs() > CRITICAL_Z),
        })
        .collect();
    ReconcileReport {
        circ: VERSION,
        model: model.meta().name.clone(),
        unit: model.meta().unit,
        chi2: r.chi2,
        df: r.df,
        p_value: r.p_value,
        passes: r.p_value >= 0.05,
        adjusted: r.adjusted,
        values,
    }
}

impl ReconcileReport {
    /// Pretty JSON, masses in tonnes.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a reconciliation report always serialises")
    }

    /// A table for a terminal, masses in the display unit.
    #[must_use]
    pub fn to_text(&self) -> String {
        let u = self.unit;
        let mut out = format!("{}\n\n", self.model);
        let width = self
            .values
            .iter()
            .map(|r| r.item.chars().count())
            .max()
            .unwrap_or(0)
            .max(4);
        let _ = writeln!(
            out,
            "{:<width$}  {:>11}  {:>9}  {:>11}  {:>9}  {:>10}  {:>6}",
            format!("Value ({u})"),
            "measured",
            "± sd",
            "reconciled",
            "± sd",
            "adjusted",
            "test"
        );
        for r in &self.values {
            let test = r.test.map_or_else(|| "–".to_owned(), |t| format!("{t:.2}"));
            let flag = if r.suspect {
                "  ← likely gross error"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "{:<width$}  {:>11}  {:>9}  {:>11}  {:>9}  {:>10}  {:>6}{flag}",
                r.item,
                format_mass(r.measured, u),
                format_mass(r.sd, u),
                format_mass(r.reconciled, u),
                format_mass(r.reconciled_sd, u),
                format_mass(r.adjustment, u),
                test
            );
        }
        let _ = writeln!(
            out,
            "\nχ² = {:.4} on {} degree{} of freedom, p = {:.4}: the data {} the test at the 5 % level.",
            self.chi2,
            self.df,
            if self.df == 1 { "" } else { "s" },
            self.p_value,
            if self.passes { "pass" } else { "fail" }
        );
        if !self.adjusted {
            let _ = writeln!(
                out,
                "The data are consistent within the model's balance tolerance: no value was changed."
            );
        }
        let _ = writeln!(
            out,
            "test: the adjustment divided by its standard deviation; beyond ±1.96 it points at a likely gross error. – : not constrained by the balances."
        );
        out
    }

    /// CSV, one row per measured value, masses in tonnes.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "item",
            "measured_t",
            "sd_t",
            "reconciled_t",
            "reconciled_sd_t",
            "adjustment_t",
            "test",
            "suspect",
        ])
        .expect("writing to memory cannot fail");
        for r in &self.values {
            w.write_record([
                r.item.clone(),
                r.measured.to_string(),
                r.sd.to_string(),
                r.reconciled.to_string(),
                r.reconciled_sd.to_string(),
                r.adjustment.to_string(),
                r.test.map_or_else(String::new, |t| t.to_string()),
                r.suspect.to_string(),
            ])
            .expect("writing to memory cannot fail");
        }
        String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
            .expect("csv of UTF-8 fields is UTF-8")
    }
}
