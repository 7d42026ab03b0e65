//! The indicators of a product, a company or a process network, and their renderings as text,
//! JSON, CSV and Markdown.
//!
//! Renderers return strings; front ends decide where they go. `circ product`, `circ company`
//! and the web module print the same [`ProductReport::to_json`] text.

use std::fmt::Write as _;

use serde::Serialize;

use super::cti::{self, Masses};
use super::mci::{self, MciTerms};
use super::{Company, Method, Product, Weighting};
use crate::diagnostic::Diagnostic;
use crate::indicator::{IndicatorValue, Input};
use crate::report::{VERSION, format_mass, md_escape, wrap};
use crate::unit::Unit;

/// What a report describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// One product, per unit.
    Product,
    /// A company, its business units and product lines, per year.
    Company,
    /// A project or company described as a process network.
    Network,
}

/// The level of an entity in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The whole company.
    Company,
    /// A business unit.
    BusinessUnit,
    /// A product or product line.
    Product,
    /// A process network.
    Network,
}

impl Level {
    /// The word used in output.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Level::Company => "Company",
            Level::BusinessUnit => "Business unit",
            Level::Product => "Product",
            Level::Network => "Process network",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Level::Company => "company",
            Level::BusinessUnit => "business_unit",
            Level::Product => "product",
            Level::Network => "network",
        }
    }
}

/// The MCI terms of one material of a product, per unit of product, and its CTI shares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaterialRow {
    /// Material id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// M_k, in the report's mass unit.
    pub mass: f64,
    /// V_k: virgin feedstock.
    pub virgin: f64,
    /// W_0,k: unrecoverable waste.
    pub unrecoverable: f64,
    /// W_C,k: waste of recycling at end of use.
    pub recycling_waste: f64,
    /// W_F,k: waste of making the recycled feedstock.
    pub feedstock_waste: f64,
    /// Whether energy recovery was credited as C_E.
    pub energy_recovery_credited: bool,
    /// CTI % circular inflow of the material, F_R + F_U + F_S.
    pub circular_inflow: f64,
    /// CTI % circular outflow of the material, recovery potential × actual recovery, when
    /// computable.
    pub circular_outflow: Option<f64>,
}

/// A product, business unit, company or network, with its indicator values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// What it is.
    pub level: Level,
    /// Its id in the file.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Indicator values, each with formula, inputs and source, or the reason it is not
    /// computable.
    pub indicators: Vec<IndicatorValue>,
    /// For products: the MCI terms by material.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<MaterialRow>,
}

impl Entity {
    /// The indicator with this id.
    #[must_use]
    pub fn indicator(&self, id: &str) -> Option<&IndicatorValue> {
        self.indicators.iter().find(|i| i.id == id)
    }
}

/// Everything `circ product` or `circ company` computes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductReport {
    /// The circ version that computed it.
    pub circ: &'static str,
    /// What the report describes.
    pub kind: ReportKind,
    /// Name of the product, company or network.
    pub name: String,
    /// Free text from the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Reference year.
    pub year: Option<i32>,
    /// EMF MCI method, for product and company files.
    pub method: Option<Method>,
    /// How company and business-unit MCIs weight product lines.
    pub weighting: Option<Weighting>,
    /// Unit of every mass in the report.
    pub mass_unit: String,
    /// What the masses are per: a unit of product, or a year.
    pub basis: &'static str,
    /// The company first, then business units, then products; or the one product or network.
    pub entities: Vec<Entity>,
    /// Problems of the file that did not stop the computation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Diagnostic>,
}

/// Turns values that overflowed (an infinite or NaN result of finite but huge inputs, such as a
/// feedstock efficiency of 1e−300) into a reason, so that no report carries a non-number.
pub(crate) fn guard(mut report: ProductReport) -> ProductReport {
    for i in report.entities.iter_mut().flat_map(|e| &mut e.indicators) {
        for input in &mut i.inputs {
            input.value = input.value.filter(|v| v.is_finite());
        }
        if i.value.is_some_and(|v| !v.is_finite()) {
            i.value = None;
            i.reason = Some("the computation overflowed: some masses, revenues or wastes are too large (or an efficiency too small) to compute with".to_owned());
        }
    }
    report
}

/// The report of a product file.
pub(crate) fn for_product(p: &Product) -> ProductReport {
    guard(ProductReport {
        circ: VERSION,
        kind: ReportKind::Product,
        name: p.name.clone(),
        description: p.description.clone(),
        year: p.year,
        method: Some(p.method),
        weighting: None,
        mass_unit: p.mass_unit.clone(),
        basis: "per unit of product",
        entities: vec![product_entity(
            p,
            "the file gives no energy use; add an [energy] table with total and renewable (MWh, GJ or another unit)",
        )],
        warnings: Vec::new(),
    })
}

/// The report of a company file.
pub(crate) fn for_company(c: &Company) -> ProductReport {
    let mut entities = Vec::with_capacity(1 + c.business_units.len() + c.products.len());
    let all: Vec<&Product> = c.products.iter().collect();
    entities.push(aggregate(
        c,
        Level::Company,
        "company",
        &c.name,
        &all,
        c.energy.as_ref(),
        "the file gives no energy use of the company; add an [energy] table with total and renewable",
    ));
    for (i, bu) in c.business_units.iter().enumerate() {
        let members: Vec<&Product> = c
            .products
            .iter()
            .filter(|p| p.business_unit == Some(i))
            .collect();
        entities.push(aggregate(
            c,
            Level::BusinessUnit,
            &bu.id,
            &bu.name,
            &members,
            bu.energy.as_ref(),
            &format!(
                "business unit \"{}\" gives no energy use; add energy = {{ total = …, renewable = … }} to it",
                bu.id
            ),
        ));
    }
    for p in &c.products {
        entities.push(product_entity(
            p,
            &format!(
                "product \"{}\" gives no energy use of its own; add energy = {{ total = …, renewable = … }} to it",
                p.id
            ),
        ));
    }
    guard(ProductReport {
        circ: VERSION,
        kind: ReportKind::Company,
        name: c.name.clone(),
        description: c.description.clone(),
        year: c.year,
        method: Some(c.method),
        weighting: Some(c.weighting),
        mass_unit: c.mass_unit.clone(),
        basis: "(MCI terms per unit of product, CTI flows per year)",
        entities,
        warnings: Vec::new(),
    })
}

fn dimensionless(id: &str, name: &str, value: Option<f64>) -> Input {
    Input {
        id: id.to_owned(),
        name: name.to_owned(),
        value,
        unit: "1".to_owned(),
    }
}

/// The MCI, LFI, utility and CTI of one product (per unit in a product file, per year of its
/// units in a company).
fn product_entity(p: &Product, energy_hint: &str) -> Entity {
    let t = mci::product_terms(p);
    let unit = p.mass_unit.as_str();
    let mass = |id: &str, name: &str, v: f64| Input {
        id: id.to_owned(),
        name: name.to_owned(),
        value: Some(v),
        unit: unit.to_owned(),
    };
    let mut mci_value = cti::blank(&mci::MCI);
    mci_value.value = Some(t.mci);
    mci_value.inputs = vec![
        dimensionless("emf.lfi", "LFI", Some(t.lfi)),
        dimensionless("emf.utility", "X", Some(t.utility)),
        dimensionless("emf.utility_factor", "F(X)", Some(t.utility_factor)),
        dimensionless("emf.mci_unclamped", "MCI*", Some(t.unclamped)),
    ];
    let mut lfi = cti::blank(match p.method {
        Method::Emf2015 => &mci::LFI_2015,
        Method::Emf2019 => &mci::LFI_2019,
    });
    lfi.value = Some(t.lfi);
    lfi.inputs = vec![
        mass("emf.m", "M", t.mass),
        mass("emf.v", "V", t.virgin),
        mass("emf.w", "W", t.waste),
        mass("emf.w0", "W_0", t.unrecoverable),
        mass("emf.wc", "W_C", t.recycling_waste),
        mass("emf.wf", "W_F", t.feedstock_waste),
    ];
    let mut utility = cti::blank(&mci::UTILITY);
    utility.unit = "1".to_owned();
    utility.value = Some(t.utility);
    let u = p.utility;
    utility.inputs = match u.lifetime {
        Some((l, l_av)) => vec![
            dimensionless("emf.l", "L", Some(l)),
            dimensionless("emf.l_av", "L_av", Some(l_av)),
        ],
        None => vec![dimensionless(
            "emf.l_ratio",
            "L/L_av (not given: industry average)",
            Some(1.0),
        )],
    };
    utility.inputs.extend(match u.uses {
        Some((n, n_av)) => vec![
            dimensionless("emf.u", "U", Some(n)),
            dimensionless("emf.u_av", "U_av", Some(n_av)),
        ],
        None => vec![dimensionless(
            "emf.u_ratio",
            "U/U_av (not given: industry average)",
            Some(1.0),
        )],
    });
    let mut masses = Masses::default();
    masses.add(p, p.units, false);
    let mut indicators = vec![mci_value, lfi, utility];
    indicators.extend(cti::evaluate(&masses, p.energy.as_ref(), unit, energy_hint));
    let materials = p
        .materials
        .iter()
        .map(|m| {
            let f = mci::material_flows(m, p.method);
            let actual = m.recycling + m.reuse + m.composting;
            MaterialRow {
                id: m.id.clone(),
                name: m.name.clone(),
                mass: f.mass,
                virgin: f.virgin,
                unrecoverable: f.unrecoverable,
                recycling_waste: f.recycling_waste,
                feedstock_waste: f.feedstock_waste,
                energy_recovery_credited: f.energy_recovery_credited,
                circular_inflow: m.recycled + m.reused + m.sustained,
                circular_outflow: match m.recovery_potential {
                    Some(pot) => Some(pot * actual),
                    None if actual == 0.0 => Some(0.0),
                    None => None,
                },
            }
        })
        .collect();
    Entity {
        level: Level::Product,
        id: p.id.clone(),
        name: p.name.clone(),
        indicators,
        materials,
    }
}

/// The weighted MCI and the CTI of a group of product lines: a company or a business unit.
fn aggregate(
    c: &Company,
    level: Level,
    id: &str,
    name: &str,
    products: &[&Product],
    energy: Option<&super::Energy>,
    energy_hint: &str,
) -> Entity {
    let (def, z_unit) = match c.weighting {
        Weighting::Mass => (&mci::MCI_BY_MASS, c.mass_unit.clone()),
        Weighting::Revenue => (
            &mci::MCI_BY_REVENUE,
            c.currency.clone().unwrap_or_else(|| "currency".to_owned()),
        ),
    };
    let mut value = cti::blank(def);
    let (mut sum_z, mut sum) = (0.0, 0.0);
    for p in products {
        let t: MciTerms = mci::product_terms(p);
        let z = match c.weighting {
            Weighting::Mass => p.mass() * p.units,
            // Validation gives every product a revenue under revenue weighting.
            Weighting::Revenue => p.revenue.unwrap_or(0.0),
        };
        sum_z += z;
        sum += z * t.mci;
        value.inputs.push(Input {
            id: format!("{}.mci", p.id),
            name: format!("MCI of {}", p.name),
            value: Some(t.mci),
            unit: "1".to_owned(),
        });
        value.inputs.push(Input {
            id: format!("{}.z", p.id),
            name: format!("Z of {}", p.name),
            value: Some(z),
            unit: z_unit.clone(),
        });
    }
    if products.is_empty() {
        value.reason = Some(format!(
            "{} \"{id}\" has no product lines",
            level.word().to_lowercase()
        ));
    } else if sum_z > 0.0 {
        value.value = Some(sum / sum_z);
    } else {
        value.reason = Some(match c.weighting {
            Weighting::Mass => "the product lines have no mass in the year (their units are 0), so there is nothing to weight".to_owned(),
            Weighting::Revenue => "the product lines have no revenue, so there is nothing to weight".to_owned(),
        });
    }
    let mut masses = Masses::default();
    for p in products {
        masses.add(p, p.units, true);
    }
    let mut indicators = vec![value];
    indicators.extend(cti::evaluate(&masses, energy, &c.mass_unit, energy_hint));
    Entity {
        level,
        id: id.to_owned(),
        name: name.to_owned(),
        indicators,
        materials: Vec::new(),
    }
}

impl ProductReport {
    /// The entity with this level and id.
    #[must_use]
    pub fn entity(&self, level: Level, id: &str) -> Option<&Entity> {
        self.entities
            .iter()
            .find(|e| e.level == level && e.id == id)
    }

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
    use super::*;
    use crate::format::{Format, SourceText};
    use crate::product::{ProductFormat, assess_company, load_company, product_report};

    fn company(text: &str) -> ProductReport {
        let c = load_company(
            SourceText {
                name: "c.toml",
                text,
            },
            Format::Toml,
            &|_| Err(String::new()),
        )
        .unwrap_or_else(|d| panic!("{}", d[0]))
        .value;
        assess_company(&c)
    }

    fn value(r: &ProductReport, level: Level, id: &str, indicator: &str) -> Result<f64, String> {
        let i = r
            .entity(level, id)
            .and_then(|e| e.indicator(indicator))
            .unwrap_or_else(|| panic!("no {indicator} of {id}"));
        i.value.ok_or_else(|| i.reason.clone().unwrap_or_default())
    }

    const COMPANY: &str = r#"
[company]
name = "Co"
[energy]
total = 200
renewable = 50
[[business_units]]
id = "bu"
[[business_units]]
id = "empty"
[[products]]
id = "linear"
business_unit = "bu"
units = 100
revenue = 1000
[[products.materials]]
id = "steel"
mass = 2
recovery_potential = 1
[[products]]
id = "restorative"
units = 50
revenue = 3000
[[products.materials]]
id = "alu"
mass = 1
recycled = 1
feedstock_efficiency = 1
recycling = 1
recycling_efficiency = 1
recovery_potential = 1
"#;

    /// By hand: "linear" has MCI 0.1 (MCI-1) and mass 2 × 100 = 200 kg in the year;
    /// "restorative" has MCI 1 (MCI-2) and mass 1 × 50 = 50 kg.
    /// By mass: (200·0.1 + 50·1) / 250 = 70 / 250 = 0.28.
    /// By revenue: (1000·0.1 + 3000·1) / 4000 = 3100 / 4000 = 0.775.
    /// CTI: inflow 50 / 250 = 0.2; outflow 50 / 250 = 0.2; circularity 100 / 500 = 0.2.
    #[test]
    fn company_mci_is_weighted_by_mass_or_revenue() {
        let r = company(COMPANY);
        let mci = value(&r, Level::Company, "company", "emf.mci").expect("computable");
        assert!((mci - 0.28).abs() < 1e-15, "{mci}");
        let r =
            company(&COMPANY.replace("name = \"Co\"", "name = \"Co\"\nweighting = \"revenue\""));
        let mci = value(&r, Level::Company, "company", "emf.mci").expect("computable");
        assert!((mci - 0.775).abs() < 1e-15, "{mci}");
        for id in [
            "wbcsd.cti.circular_inflow",
            "wbcsd.cti.circular_outflow",
            "wbcsd.cti.circularity",
        ] {
            assert_eq!(value(&r, Level::Company, "company", id), Ok(0.2), "{id}");
        }
        assert_eq!(
            value(&r, Level::Company, "company", "wbcsd.cti.renewable_energy"),
            Ok(0.25)
        );
    }

    #[test]
    fn business_units_and_products_have_their_own_values() {
        let r = company(COMPANY);
        let bu = value(&r, Level::BusinessUnit, "bu", "emf.mci").expect("computable");
        assert!((bu - 0.1).abs() < 1e-15);
        assert!(
            value(&r, Level::BusinessUnit, "empty", "emf.mci")
                .expect_err("no products")
                .contains("has no product lines")
        );
        assert!(
            value(&r, Level::BusinessUnit, "bu", "wbcsd.cti.renewable_energy")
                .expect_err("no energy")
                .contains("business unit \"bu\" gives no energy use")
        );
        assert_eq!(value(&r, Level::Product, "restorative", "emf.mci"), Ok(1.0));
        assert_eq!(r.entities.len(), 5);
    }

    /// Regression guard: finite inputs whose terms overflow (E_F = 1e−300 makes W_F infinite)
    /// give a reason, not a NaN that JSON would print as null.
    #[test]
    fn overflow_is_a_reason_not_a_nan() {
        let r = product_report(
            SourceText {
                name: "p.toml",
                text: "[product]\nname = \"x\"\n[[materials]]\nid = \"a\"\nmass = 1e300\nrecycled = 1\nfeedstock_efficiency = 1e-300\n",
            },
            ProductFormat::Toml,
            &|_| Err(String::new()),
        )
        .expect("valid");
        let mci = r.entities[0].indicator("emf.mci").expect("defined");
        assert_eq!(mci.value, None);
        assert!(mci.reason.as_deref().unwrap_or("").contains("overflowed"));
        for i in &r.entities[0].indicators {
            assert!(i.value.is_none_or(f64::is_finite), "{}", i.id);
        }
    }

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
