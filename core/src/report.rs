//! The result of running a model, and its renderings as text, JSON, CSV and Markdown.
//!
//! Renderers return strings; front ends decide where they go. The CLI's `--format json` and the
//! web module return the same [`Report::to_json`] text, so the two agree bit for bit.

use std::fmt::Write as _;

use serde::Serialize;

use crate::accounts::{AccountLine, Accounts, LineValue, accounts, short_name};
use crate::indicator::{IndicatorValue, evaluate};
use crate::model::{MaterialGroup, Model, Scope, Source};
use crate::uncertainty::{Method, Propagated, Spread};
use crate::unit::Unit;

/// The version of circ that computed a report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a report says about the model it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Model name.
    pub name: String,
    /// Region.
    pub region: Option<String>,
    /// Reference year.
    pub year: Option<i32>,
    /// Display unit.
    pub unit: Unit,
    /// Extent.
    pub scope: Scope,
    /// Sources of the model's numbers.
    pub sources: Vec<Source>,
}

/// Mass by material group, in tonnes; `None` where unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ByGroup {
    /// MF1 Biomass.
    #[serde(rename = "MF1")]
    pub mf1: Option<f64>,
    /// MF2 Metal ores.
    #[serde(rename = "MF2")]
    pub mf2: Option<f64>,
    /// MF3 Non-metallic minerals.
    #[serde(rename = "MF3")]
    pub mf3: Option<f64>,
    /// MF4 Fossil energy materials/carriers.
    #[serde(rename = "MF4")]
    pub mf4: Option<f64>,
    /// Mixed, not allocated to a group.
    #[serde(rename = "MIXED")]
    pub mixed: Option<f64>,
}

/// One line of the accounts in a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountRow {
    /// Stable id: `mfa.dmc`.
    pub id: &'static str,
    /// Name with its code.
    pub name: &'static str,
    /// How it is derived from roles.
    pub definition: &'static str,
    /// Total in tonnes, or `None` when missing.
    pub total: Option<f64>,
    /// By material group, in tonnes.
    pub by_group: Option<ByGroup>,
    /// Why it is missing, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
}

/// Everything `circ run` computes for one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The circ version that computed it.
    pub circ: &'static str,
    /// The model.
    pub model: Summary,
    /// Indicator values, in definition order.
    pub indicators: Vec<IndicatorValue>,
    /// Account lines, masses in tonnes.
    pub accounts: Vec<AccountRow>,
    /// How uncertainty was propagated, when it was: each indicator then carries its spread.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<UncertaintyRun>,
}

/// How the uncertainties of a report were propagated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertaintyRun {
    /// Linear (gauss) or Monte Carlo.
    pub method: Method,
    /// Monte Carlo samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub samples: Option<usize>,
    /// Monte Carlo seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Samples in which a solved flow came out negative and was set to zero.
    pub clamped: usize,
}

/// Computes accounts and indicators of a model, with the propagated uncertainty of each
/// indicator.
#[must_use]
pub fn run_with_uncertainty(model: &Model, propagated: &Propagated) -> Report {
    let mut report = run(model);
    for (i, v) in report.indicators.iter_mut().enumerate() {
        v.uncertainty = propagated.indicators.get(i).copied().flatten();
    }
    report.uncertainty = Some(UncertaintyRun {
        method: propagated.method,
        samples: propagated.samples,
        seed: propagated.seed,
        clamped: propagated.clamped,
    });
    report
}

/// Computes accounts and indicators of a model.
#[must_use]
pub fn run(model: &Model) -> Report {
    let acc = accounts(model);
    let indicators = evaluate(model, &acc);
    let meta = model.meta();
    Report {
        circ: VERSION,
        model: Summary {
            name: meta.name.clone(),
            region: meta.region.clone(),
            year: meta.year,
            unit: meta.unit,
            scope: meta.scope,
            sources: meta.sources.clone(),
        },
        indicators,
        accounts: account_rows(&acc),
        uncertainty: None,
    }
}

fn account_rows(acc: &Accounts) -> Vec<AccountRow> {
    acc.iter()
        .map(|(line, value)| {
            let (total, by_group, missing) = match value {
                LineValue::Known(a) => {
                    let g = |m: MaterialGroup| a.group(m);
                    let by_group = ByGroup {
                        mf1: g(MaterialGroup::Biomass),
                        mf2: g(MaterialGroup::MetalOres),
                        mf3: g(MaterialGroup::NonMetallicMinerals),
                        mf4: g(MaterialGroup::FossilEnergy),
                        mixed: g(MaterialGroup::Mixed),
                    };
                    (Some(a.total()), Some(by_group), None)
                }
                LineValue::Missing(why) => (None, None, Some(why.clone())),
            };
            AccountRow {
                id: line.id(),
                name: line.name(),
                definition: line.definition(),
                total,
                by_group,
                missing,
            }
        })
        .collect()
}

impl Report {
    /// The indicator with this id.
    #[must_use]
    pub fn indicator(&self, id: &str) -> Option<&IndicatorValue> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The account line with this id.
    #[must_use]
    pub fn account(&self, line: AccountLine) -> Option<&AccountRow> {
        self.accounts.iter().find(|a| a.id == line.id())
    }

    /// Pretty JSON, the same bytes natively and in WebAssembly.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serialises to JSON")
    }

    /// A table for a terminal: indicators with value, formula and inputs; reasons for what is not
    /// computable as numbered notes; then sources.
    #[must_use]
    pub fn to_text(&self) -> String {
        let unit = self.model.unit;
        let mut out = String::new();
        let _ = writeln!(out, "{}\n", self.title());
        let width = self
            .indicators
            .iter()
            .map(|i| i.name.chars().count())
            .max()
            .unwrap_or(0);
        let pad = " ".repeat(width + 13);
        let mut notes: Vec<&str> = Vec::new();
        let mut last_formula = "";
        for i in &self.indicators {
            let formula = if i.formula == last_formula {
                ""
            } else {
                i.formula
            };
            last_formula = i.formula;
            let value = match (&i.value, &i.reason) {
                (Some(v), _) => format_value(*v, &i.unit),
                (None, reason) => {
                    let reason = reason.as_deref().unwrap_or("");
                    let n = notes.iter().position(|r| *r == reason).unwrap_or_else(|| {
                        notes.push(reason);
                        notes.len() - 1
                    });
                    format!("n/a [{}]", n + 1)
                }
            };
            let row = format!("{:<width$}  {:>9}  {formula}", i.name, value);
            let _ = writeln!(out, "{}", row.trim_end());
            if let (Some(u), Some(_)) = (&i.uncertainty, i.value) {
                let _ = writeln!(out, "{pad}{}", format_spread(u, &i.unit));
            }
            if i.value.is_some() {
                let inputs = format_inputs(i, unit);
                if !inputs.is_empty() {
                    for line in wrap(&format!("with {inputs}"), 60) {
                        let _ = writeln!(out, "{pad}{line}");
                    }
                }
            }
        }
        if let Some(u) = &self.uncertainty {
            let _ = writeln!(out, "\n{}", u.describe());
        }
        if !notes.is_empty() {
            let _ = writeln!(out, "\nNot computable");
            for (n, reason) in notes.iter().enumerate() {
                let mut lines = wrap(reason, 94).into_iter();
                let _ = writeln!(out, "  [{}] {}", n + 1, lines.next().unwrap_or_default());
                for line in lines {
                    let _ = writeln!(out, "      {line}");
                }
            }
        }
        self.write_sources(&mut out, false);
        out
    }

    /// A Markdown document: the indicator table, what could not be computed, and the sources.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let unit = self.model.unit;
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n", self.title());
        let with_u = self.uncertainty.is_some();
        if with_u {
            let _ = writeln!(
                out,
                "| Indicator | Id | Value | Uncertainty | Formula | Inputs |"
            );
            let _ = writeln!(out, "|---|---|---:|---|---|---|");
        } else {
            let _ = writeln!(out, "| Indicator | Id | Value | Formula | Inputs |");
            let _ = writeln!(out, "|---|---|---:|---|---|");
        }
        for i in &self.indicators {
            let mut value = i
                .value
                .map_or_else(|| "n/a".to_owned(), |v| format_value(v, &i.unit));
            if with_u {
                let spread = match (&i.uncertainty, i.value) {
                    (Some(u), Some(_)) => format_spread(u, &i.unit),
                    _ => String::new(),
                };
                let _ = write!(value, " | {}", md_escape(&spread));
            }
            let inputs = if i.reason.is_some() {
                "see below".to_owned()
            } else {
                format_inputs(i, unit)
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                md_escape(&i.name),
                i.id,
                value,
                md_escape(i.formula),
                md_escape(&inputs)
            );
        }
        let missing: Vec<&IndicatorValue> = self
            .indicators
            .iter()
            .filter(|i| i.reason.is_some())
            .collect();
        if !missing.is_empty() {
            let _ = writeln!(out, "\n## Not computable\n");
            for i in missing {
                let _ = writeln!(
                    out,
                    "- **{}**: {}",
                    md_escape(&i.name),
                    md_escape(i.reason.as_deref().unwrap_or(""))
                );
            }
        }
        if let Some(u) = &self.uncertainty {
            let _ = writeln!(out, "\n{}", u.describe());
        }
        self.write_sources(&mut out, true);
        out
    }

    /// CSV: one row per indicator, values unrounded, fractions as fractions; with the columns
    /// `mean,sd,p5,p50,p95` when uncertainty was propagated.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec![
            "id",
            "name",
            "value",
            "unit",
            "formula",
            "reason",
            "source",
            "source_url",
        ];
        let with_u = self.uncertainty.is_some();
        if with_u {
            header.extend(["mean", "sd", "p5", "p50", "p95"]);
        }
        w.write_record(&header)
            .expect("writing to memory cannot fail");
        let s = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
        for i in &self.indicators {
            let mut record = vec![
                i.id.clone(),
                i.name.clone(),
                s(i.value),
                i.unit.clone(),
                i.formula.to_owned(),
                i.reason.clone().unwrap_or_default(),
                i.source.citation.to_owned(),
                i.source.url.to_owned(),
            ];
            if with_u {
                let u = i.uncertainty.filter(|_| i.value.is_some());
                record.extend([
                    s(u.map(|u| u.mean)),
                    s(u.map(|u| u.sd)),
                    s(u.and_then(|u| u.p5)),
                    s(u.and_then(|u| u.p50)),
                    s(u.and_then(|u| u.p95)),
                ]);
            }
            w.write_record(&record)
                .expect("writing to memory cannot fail");
        }
        String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
            .expect("csv of UTF-8 fields is UTF-8")
    }

    /// The accounts as a table for a terminal, in the display unit, by material group.
    #[must_use]
    pub fn accounts_text(&self) -> String {
        let unit = self.model.unit;
        let mut out = String::new();
        let _ = writeln!(out, "{}\n", self.title());
        let width = self
            .accounts
            .iter()
            .map(|a| a.name.chars().count())
            .max()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "{:<width$}  {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
            format!("Account ({unit})"),
            "Total",
            "MF1",
            "MF2",
            "MF3",
            "MF4",
            "Mixed"
        );
        for a in &self.accounts {
            let cell =
                |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |t| format_mass(t, unit));
            match &a.by_group {
                Some(g) => {
                    let _ = writeln!(
                        out,
                        "{:<width$}  {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
                        a.name,
                        cell(a.total),
                        cell(g.mf1),
                        cell(g.mf2),
                        cell(g.mf3),
                        cell(g.mf4),
                        cell(g.mixed)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "{:<width$}  {:>10}   {}",
                        a.name,
                        "missing",
                        a.missing.as_deref().unwrap_or("")
                    );
                }
            }
        }
        out
    }

    /// The accounts as CSV, tonnes, one row per line.
    #[must_use]
    pub fn accounts_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "id", "name", "total_t", "MF1_t", "MF2_t", "MF3_t", "MF4_t", "MIXED_t", "missing",
        ])
        .expect("writing to memory cannot fail");
        let s = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
        for a in &self.accounts {
            let g = a.by_group.as_ref();
            w.write_record([
                a.id.to_owned(),
                a.name.to_owned(),
                s(a.total),
                s(g.and_then(|g| g.mf1)),
                s(g.and_then(|g| g.mf2)),
                s(g.and_then(|g| g.mf3)),
                s(g.and_then(|g| g.mf4)),
                s(g.and_then(|g| g.mixed)),
                a.missing.clone().unwrap_or_default(),
            ])
            .expect("writing to memory cannot fail");
        }
        String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
            .expect("csv of UTF-8 fields is UTF-8")
    }

    fn title(&self) -> String {
        let m = &self.model;
        let mut t = m.name.clone();
        if let Some(r) = &m.region {
            let _ = write!(t, " · {r}");
        }
        if let Some(y) = m.year {
            let _ = write!(t, " · {y}");
        }
        t
    }

    fn write_sources(&self, out: &mut String, markdown: bool) {
        let (h, item) = if markdown {
            ("\n## Sources\n", "- ")
        } else {
            ("\nSources", "  ")
        };
        let _ = writeln!(out, "{h}");
        let mut seen: Vec<&str> = Vec::new();
        for i in &self.indicators {
            if !seen.contains(&i.source.citation) {
                seen.push(i.source.citation);
                let _ = writeln!(
                    out,
                    "{item}Definition: {}, {}",
                    i.source.citation, i.source.url
                );
            }
        }
        for s in &self.model.sources {
            let mut line = format!("{item}Data [{}]: {}", s.id, s.title);
            for part in [&s.table, &s.release, &s.url].into_iter().flatten() {
                let _ = write!(line, ", {part}");
            }
            let _ = writeln!(out, "{line}");
        }
        let _ = writeln!(out, "{item}Computed by circ {}", self.circ);
    }
}

impl UncertaintyRun {
    /// One sentence saying how the uncertainties were propagated.
    #[must_use]
    pub fn describe(&self) -> String {
        match self.method {
            Method::Gauss => "Uncertainty: linear propagation of the given uncertainties (± one standard deviation).".to_owned(),
            Method::MonteCarlo => {
                let mut s = format!(
                    "Uncertainty: Monte Carlo, {} samples, seed {}; mean ± standard deviation and the 5–95 % range.",
                    self.samples.unwrap_or(0),
                    self.seed.unwrap_or(0)
                );
                if self.clamped > 0 {
                    let _ = write!(s, " In {} samples a solved flow came out negative and was set to zero.", self.clamped);
                }
                s
            }
        }
    }
}

/// A spread as people read it: `± 0.4 %`, with the 5–95 % range for Monte Carlo.
#[must_use]
pub fn format_spread(u: &Spread, unit: &str) -> String {
    let sd = if unit == "fraction" {
        format!("± {:.1} %", u.sd * 100.0)
    } else {
        format!("± {:.2} {unit}", u.sd)
    };
    match (u.p5, u.p95) {
        (Some(lo), Some(hi)) => format!(
            "{sd}, mean {}, 5–95 %: {} to {}",
            format_value(u.mean, unit),
            format_value(lo, unit),
            format_value(hi, unit)
        ),
        _ => sd,
    }
}

/// An indicator value as people read it: `8.6 %`, `13.42 t/person`, `2.31 EUR/kg`.
#[must_use]
pub fn format_value(value: f64, unit: &str) -> String {
    if unit == "fraction" {
        format!("{:.1} %", value * 100.0)
    } else {
        format!("{value:.2} {unit}")
    }
}

/// A mass in tonnes, shown in `unit` with at most six significant digits and no trailing zeros.
#[must_use]
pub fn format_mass(tonnes: f64, unit: Unit) -> String {
    let v = unit.from_tonnes(tonnes);
    if v == 0.0 {
        return "0".to_owned();
    }
    let magnitude = log10_floor(v.abs());
    let decimals = usize::try_from((5 - magnitude).max(0)).unwrap_or(0);
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// Floor of the decimal logarithm of a positive number, by counting digits (exact at powers of
/// ten, where a floating-point `log10` may land just below the integer).
fn log10_floor(mut x: f64) -> i32 {
    let mut e = 0;
    while x >= 10.0 {
        x /= 10.0;
        e += 1;
    }
    while x < 1.0 && x > 0.0 {
        x *= 10.0;
        e -= 1;
    }
    e
}

/// The inputs of an indicator as one line: `DMC = 92 Gt; S = 8.65 Gt`.
pub(crate) fn format_inputs(i: &IndicatorValue, unit: Unit) -> String {
    i.inputs
        .iter()
        .map(|inp| {
            let v = match inp.value {
                None => "n/a".to_owned(),
                Some(v) if inp.unit == "t" => format!("{} {unit}", format_mass(v, unit)),
                Some(v) if inp.unit == "fraction" => format_value(v, "fraction"),
                Some(v) => format!("{v} {}", inp.unit),
            };
            format!("{} = {v}", short_name(&inp.name))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masses_show_six_significant_digits() {
        assert_eq!(format_mass(8_650_000_000.0, Unit::Gigatonne), "8.65");
        assert_eq!(format_mass(100_650_000_000.0, Unit::Gigatonne), "100.65");
        assert_eq!(format_mass(1_234_567_890.0, Unit::Megatonne), "1234.57");
        assert_eq!(format_mass(0.000_123_456_7, Unit::Tonne), "0.000123457");
        assert_eq!(format_mass(-2_500.0, Unit::Kilotonne), "-2.5");
        assert_eq!(format_mass(0.0, Unit::Gigatonne), "0");
    }

    #[test]
    fn values_show_as_people_read_them() {
        assert_eq!(format_value(0.085_941, "fraction"), "8.6 %");
        assert_eq!(format_value(13.4167, "t/person"), "13.42 t/person");
    }

    #[test]
    fn wrap_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc dd", 5), vec!["aa bb", "cc dd"]);
    }
}
