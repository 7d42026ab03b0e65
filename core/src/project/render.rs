//! Renderings of a [`Projection`]: a table for people, long-format CSV and JSON for programs.
//! Strings only; the front end decides where they go.

use std::fmt::Write as _;

use super::Projection;
use crate::accounts::AccountLine;
use crate::model::Treatment;
use crate::report::{format_mass, format_value};
use crate::unit::Unit;

/// The columns of the table: account lines (masses) and indicators (shares).
const TABLE_ACCOUNTS: [(AccountLine, &str); 4] = [
    (AccountLine::WasteGenerated, "waste"),
    (AccountLine::Treated(Treatment::Recycling), "recycled"),
    (AccountLine::SecondaryMaterials, "secondary"),
    (AccountLine::DomesticMaterialConsumption, "DMC"),
];
const TABLE_INDICATORS: [(&str, &str); 3] = [
    ("cgr.circularity_metric", "circularity"),
    ("eurostat.cmu_rate", "CMU"),
    ("waste.recycling_rate", "recycling rate"),
];

impl Projection {
    /// Pretty JSON: every series, unrounded, masses in tonnes (stocks in their own unit).
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a projection always serialises to JSON")
    }

    /// Long-format CSV, one row per year and series: `year,kind,id,name,unit,value,reason`.
    /// `kind` is `stock`, `indicator` or `account`; masses of accounts are in tonnes, stocks in
    /// their own unit, indicators as fractions. An empty value has its reason.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut out = String::from("year,kind,id,name,unit,value,reason\n");
        let mut row = |year: i32,
                       kind: &str,
                       id: &str,
                       name: &str,
                       unit: &str,
                       v: Option<f64>,
                       reason: &str| {
            let value = v.map_or(String::new(), |v| v.to_string());
            let _ = writeln!(
                out,
                "{year},{kind},{},{},{},{value},{}",
                csv_field(id),
                csv_field(name),
                csv_field(unit),
                csv_field(if v.is_some() { "" } else { reason })
            );
        };
        for (k, &year) in self.years.iter().enumerate() {
            for s in &self.stocks {
                for (what, series) in [
                    ("stock", &s.stock),
                    ("inflow", &s.inflow),
                    ("outflow", &s.outflow),
                    ("deficit", &s.deficit),
                ] {
                    row(
                        year,
                        "stock",
                        &format!("stock.{}.{what}", s.id),
                        &format!("{} {what}", s.name),
                        &s.unit,
                        Some(series[k]),
                        "",
                    );
                }
            }
            for i in &self.indicators {
                row(
                    year,
                    "indicator",
                    &i.id,
                    &i.name,
                    &i.unit,
                    i.values[k],
                    i.reason.as_deref().unwrap_or(""),
                );
            }
            for a in &self.accounts {
                row(year, "account", a.id, a.name, "t", a.values[k], "missing");
            }
        }
        out
    }

    /// A table for a terminal: per year, each stock's stock and outflow, the waste and
    /// secondary-material accounts and the main indicators; then what is not computable, and the
    /// notes.
    #[must_use]
    pub fn to_text(&self) -> String {
        let unit = self.unit;
        let mut out = String::new();
        let (first, last) = (
            self.years.first().copied().unwrap_or_default(),
            self.years.last().copied().unwrap_or_default(),
        );
        let _ = writeln!(out, "{}: projection {first}–{last}\n", self.model);
        let mut header: Vec<String> = vec!["year".into()];
        for s in &self.stocks {
            header.push(format!("{} stock [{}]", s.id, s.unit));
            header.push(format!("{} outflow", s.id));
        }
        for (_, label) in TABLE_ACCOUNTS {
            header.push(format!("{label} [{}]", unit.symbol()));
        }
        for (_, label) in TABLE_INDICATORS {
            header.push(label.to_owned());
        }
        let mut rows: Vec<Vec<String>> = Vec::new();
        let number = |v: f64| format_mass(v, Unit::Tonne);
        for (k, year) in self.years.iter().enumerate() {
            let mut r = vec![year.to_string()];
            for s in &self.stocks {
                r.push(number(s.stock[k]));
                r.push(number(s.outflow[k]));
            }
            for (line, _) in TABLE_ACCOUNTS {
                let v = self.account(line).and_then(|a| a.values[k]);
                r.push(v.map_or("n/a".into(), |v| format_mass(v, unit)));
            }
            for (id, _) in TABLE_INDICATORS {
                let v = self.indicator(id).and_then(|i| i.values[k]);
                r.push(v.map_or("n/a".into(), |v| format_value(v, "fraction")));
            }
            rows.push(r);
        }
        let widths: Vec<usize> = (0..header.len())
            .map(|c| {
                rows.iter()
                    .map(|r| r[c].chars().count())
                    .chain([header[c].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| -> String {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:>w$}"))
                .collect::<Vec<_>>()
                .join("  ")
        };
        let _ = writeln!(out, "{}", line(&header));
        for r in &rows {
            let _ = writeln!(out, "{}", line(r));
        }
        let missing: Vec<String> = TABLE_INDICATORS
            .iter()
            .filter_map(|(id, label)| {
                let i = self.indicator(id)?;
                i.values
                    .iter()
                    .any(Option::is_none)
                    .then(|| format!("{label} n/a: {}", i.reason.as_deref().unwrap_or("")))
            })
            .collect();
        if !missing.is_empty() {
            let _ = writeln!(out);
            for m in missing {
                let _ = writeln!(out, "{m}");
            }
        }
        if !self.notes.is_empty() {
            let _ = writeln!(out, "\nNotes:");
            for n in &self.notes {
                let _ = writeln!(out, "  {}: {}", n.year, n.message);
            }
        }
        let _ = writeln!(
            out,
            "\nEvery indicator and account line, each year: --format csv or json. Computed by circ {}",
            self.circ
        );
        out
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}
