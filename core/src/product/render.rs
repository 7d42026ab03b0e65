//! The renderings of a [`ProductReport`]: text for a terminal, JSON, CSV and Markdown.
//!
//! Renderers return strings; front ends decide where they go. `circ product`, `circ company`
//! and the web module print the same [`ProductReport::to_json`] text.

use std::fmt::Write as _;

use super::Weighting;
use super::report::{Entity, ProductReport, ReportKind};
use crate::indicator::IndicatorValue;
use crate::report::{format_mass, md_escape, wrap};
use crate::unit::Unit;

impl ProductReport {
    /// Pretty JSON, the same bytes natively and in WebAssembly.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serialises to JSON")
    }

    fn title(&self) -> String {
        let mut t = self.name.clone();
        if let Some(y) = self.year {
            let _ = write!(t, " · {y}");
        }
        t
    }

    fn subtitle(&self) -> String {
        let mut parts = vec![match self.kind {
            ReportKind::Product => "Product".to_owned(),
            ReportKind::Company => "Company".to_owned(),
            ReportKind::Network => "Process network (indicators its roles allow)".to_owned(),
        }];
        if let Some(m) = self.method {
            parts.push(format!("EMF MCI method {}", m.year()));
        }
        if let Some(w) = self.weighting {
            parts.push(format!(
                "company MCI weighted by {}",
                match w {
                    Weighting::Mass => "mass",
                    Weighting::Revenue => "revenue",
                }
            ));
        }
        parts.push(format!("masses in {} {}", self.mass_unit, self.basis));
        parts.join(" · ")
    }

    /// A table for a terminal: each entity's indicators with value, formula and inputs, the
    /// materials of each product, reasons for what is not computable as numbered notes, the
    /// conventions and sources. Warnings are left to the front end (the CLI prints them on
    /// standard error, as for `circ run`).
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}\n{}", self.title(), self.subtitle());
        let width = self
            .entities
            .iter()
            .flat_map(|e| &e.indicators)
            .map(|i| i.name.chars().count())
            .max()
            .unwrap_or(0);
        let pad = " ".repeat(width + 2 + 9 + 2 + 2);
        let mut notes: Vec<&str> = Vec::new();
        let mut shown: Vec<(&str, &str)> = Vec::new();
        for e in &self.entities {
            let _ = writeln!(out, "\n{}: {}", e.level.word(), e.name);
            for i in &e.indicators {
                let formula = if shown.contains(&(i.id.as_str(), i.formula)) {
                    ""
                } else {
                    shown.push((i.id.as_str(), i.formula));
                    i.formula
                };
                let value = match (i.value, &i.reason) {
                    (Some(v), _) => display(i, v),
                    (None, reason) => {
                        let reason = reason.as_deref().unwrap_or("");
                        let n = notes.iter().position(|r| *r == reason).unwrap_or_else(|| {
                            notes.push(reason);
                            notes.len() - 1
                        });
                        format!("n/a [{}]", n + 1)
                    }
                };
                let row = format!("  {:<width$}  {value:>9}  {formula}", i.name);
                let _ = writeln!(out, "{}", row.trim_end());
                if i.value.is_some() && !i.inputs.is_empty() {
                    for line in wrap(&format!("with {}", inputs_text(i)), 70) {
                        let _ = writeln!(out, "{pad}{line}");
                    }
                }
            }
            if !e.materials.is_empty() {
                let _ = writeln!(out);
                out.push_str(&self.materials_text(e));
            }
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
        let _ = writeln!(out, "\nConventions");
        for (id, text) in self.conventions() {
            let mut lines = wrap(&format!("{id}: {text}"), 94).into_iter();
            let _ = writeln!(out, "  {}", lines.next().unwrap_or_default());
            for line in lines {
                let _ = writeln!(out, "    {line}");
            }
        }
        let _ = writeln!(out, "\nSources");
        for (citation, url) in self.sources() {
            let _ = writeln!(out, "  Definition: {citation}, {url}");
        }
        let _ = writeln!(out, "  Computed by circ {}", self.circ);
        out
    }

    fn materials_text(&self, e: &Entity) -> String {
        let mut out = String::new();
        let w = e
            .materials
            .iter()
            .map(|m| m.id.chars().count())
            .max()
            .unwrap_or(0)
            .max(8);
        let _ = writeln!(out, "  Materials, {} per unit of product:", self.mass_unit);
        let _ = writeln!(
            out,
            "  {:<w$}  {:>10} {:>10} {:>10} {:>10} {:>10}  {:>8} {:>8}",
            "Material", "M", "V", "W_0", "W_C", "W_F", "circ.in", "circ.out"
        );
        let n = |v: f64| format_mass(v, Unit::Tonne);
        for m in &e.materials {
            let _ = writeln!(
                out,
                "  {:<w$}  {:>10} {:>10} {:>10} {:>10} {:>10}  {:>8} {:>8}",
                m.id,
                n(m.mass),
                n(m.virgin),
                n(m.unrecoverable),
                n(m.recycling_waste),
                n(m.feedstock_waste),
                percent(m.circular_inflow),
                m.circular_outflow.map_or_else(|| "n/a".to_owned(), percent)
            );
        }
        out
    }

    /// Each indicator id's convention, once, in order of appearance.
    fn conventions(&self) -> Vec<(&str, &str)> {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for i in self.entities.iter().flat_map(|e| &e.indicators) {
            if let Some(c) = i.convention
                && !seen.contains(&(i.id.as_str(), c))
            {
                seen.push((i.id.as_str(), c));
            }
        }
        seen
    }

    fn sources(&self) -> Vec<(&str, &str)> {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for i in self.entities.iter().flat_map(|e| &e.indicators) {
            let s = (i.source.citation, i.source.url);
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
        seen
    }

    /// A Markdown document: one table of indicators per entity, the materials of products,
    /// what could not be computed, the conventions and the sources.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n\n{}", self.title(), self.subtitle());
        let mut missing = Vec::new();
        for e in &self.entities {
            let _ = writeln!(out, "\n## {}: {}\n", e.level.word(), md_escape(&e.name));
            let _ = writeln!(out, "| Indicator | Id | Value | Formula | Inputs |");
            let _ = writeln!(out, "|---|---|---:|---|---|");
            for i in &e.indicators {
                let (value, inputs) = match i.value {
                    Some(v) => (display(i, v), inputs_text(i)),
                    None => {
                        missing.push((e, i));
                        ("n/a".to_owned(), "see below".to_owned())
                    }
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
            if !e.materials.is_empty() {
                let _ = writeln!(
                    out,
                    "\n| Material | M ({u}) | V ({u}) | W_0 ({u}) | W_C ({u}) | W_F ({u}) | circular inflow | circular outflow |",
                    u = self.mass_unit
                );
                let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
                let n = |v: f64| format_mass(v, Unit::Tonne);
                for m in &e.materials {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | {} | {} | {} |",
                        md_escape(&m.name),
                        n(m.mass),
                        n(m.virgin),
                        n(m.unrecoverable),
                        n(m.recycling_waste),
                        n(m.feedstock_waste),
                        percent(m.circular_inflow),
                        m.circular_outflow.map_or_else(|| "n/a".to_owned(), percent)
                    );
                }
            }
        }
        if !missing.is_empty() {
            let _ = writeln!(out, "\n## Not computable\n");
            for (e, i) in missing {
                let _ = writeln!(
                    out,
                    "- **{}, {}**: {}",
                    md_escape(&e.name),
                    md_escape(&i.name),
                    md_escape(i.reason.as_deref().unwrap_or(""))
                );
            }
        }
        let _ = writeln!(out, "\n## Conventions\n");
        for (id, text) in self.conventions() {
            let _ = writeln!(out, "- `{id}`: {}", md_escape(text));
        }
        if !self.warnings.is_empty() {
            let _ = writeln!(out, "\n## Warnings\n");
            for w in &self.warnings {
                let _ = writeln!(out, "- {}", md_escape(&w.to_string().replace('\n', " ")));
            }
        }
        let _ = writeln!(out, "\n## Sources\n");
        for (citation, url) in self.sources() {
            let _ = writeln!(out, "- Definition: {citation}, {url}");
        }
        let _ = writeln!(out, "- Computed by circ {}", self.circ);
        out
    }

    /// CSV: one row per indicator of each entity, values unrounded, fractions as fractions.
    #[must_use]
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "level",
            "entity",
            "entity_name",
            "id",
            "name",
            "value",
            "unit",
            "formula",
            "reason",
            "source",
            "source_url",
        ])
        .expect("writing to memory cannot fail");
        for e in &self.entities {
            for i in &e.indicators {
                let value = i.value.map_or_else(String::new, |v| v.to_string());
                w.write_record([
                    e.level.id(),
                    e.id.as_str(),
                    e.name.as_str(),
                    i.id.as_str(),
                    i.name.as_str(),
                    value.as_str(),
                    i.unit.as_str(),
                    i.formula,
                    i.reason.as_deref().unwrap_or(""),
                    i.source.citation,
                    i.source.url,
                ])
                .expect("writing to memory cannot fail");
            }
        }
        String::from_utf8(w.into_inner().expect("flushing to memory cannot fail"))
            .expect("csv of UTF-8 fields is UTF-8")
    }
}

/// An indicator value as people read it: the MCI and LFI as 0.647, the utility as 1.25,
/// shares as 35.0 %.
fn display(i: &IndicatorValue, v: f64) -> String {
    if i.id == "emf.mci" || i.id == "emf.lfi" {
        format!("{v:.3}")
    } else if i.unit == "fraction" {
        percent(v)
    } else {
        format!("{v:.2}")
    }
}

fn percent(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

fn inputs_text(i: &IndicatorValue) -> String {
    i.inputs
        .iter()
        .map(|inp| {
            let v = match inp.value {
                None => "n/a".to_owned(),
                Some(v) if inp.unit == "fraction" => percent(v),
                Some(v) if inp.unit == "1" => format_mass(v, Unit::Tonne),
                Some(v) => format!("{} {}", format_mass(v, Unit::Tonne), inp.unit),
            };
            format!("{} = {v}", inp.name)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use crate::format::SourceText;
    use crate::product::{ProductFormat, product_report};

    #[test]
    fn renderings_carry_values_formulas_reasons_and_sources() {
        let r = product_report(
            SourceText {
                name: "p.toml",
                text: "[product]\nname = \"Crate\"\n[[materials]]\nid = \"pine\"\nmass = 4\nrecycling = 0.5\nrecycling_efficiency = 1\n",
            },
            ProductFormat::Toml,
            &|_| Err(String::new()),
        )
        .expect("valid");
        let text = r.to_text();
        // V = 4, W_0 = 2, LFI = 6 / 8 = 0.75, MCI = 1 − 0.675 = 0.325.
        let line = |start: &str| {
            text.lines()
                .find(|l| l.trim_start().starts_with(start))
                .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_else(|| panic!("no line {start} in\n{text}"))
        };
        assert!(
            line("Material Circularity Indicator")
                .starts_with("Material Circularity Indicator 0.325 MCI = max(0, 1 − LFI · F(X))")
        );
        assert_eq!(
            line("with LFI"),
            "with LFI = 0.75; X = 1; F(X) = 0.9; MCI* = 0.325"
        );
        assert!(line("% circular outflow").starts_with("% circular outflow n/a [1] Σ m"));
        assert_eq!(line("pine"), "pine 4 4 2 0 0 0.0 % n/a");
        assert!(line("[1]").starts_with("[1] no recovery_potential is given for pine"));
        assert!(text.contains("https://ctitool.com/home-2/"));
        let md = r.to_markdown();
        assert!(
            md.contains("| Material Circularity Indicator | `emf.mci` | 0.325 |"),
            "{md}"
        );
        let csv = r.to_csv();
        assert!(
            csv.lines().nth(1).unwrap_or("").starts_with(
                "product,product,Crate,emf.mci,Material Circularity Indicator,0.32499999999999996,fraction,"
            ),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), 8);
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("json");
        assert_eq!(json["entities"][0]["materials"][0]["virgin"], 4.0);
        assert_eq!(json["method"], "2019");
    }
}
