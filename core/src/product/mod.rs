//! Product, company and project indicators: the Ellen MacArthur Foundation's Material Circularity
//! Indicator (MCI) and WBCSD's Circular Transition Indicators (CTI).
//!
//! Where this sits beside the economy-wide pipeline of the crate:
//!
//! 1. [`format`](mod@format) reads a product file or a company file (TOML or JSON, material rows also from
//!    CSV) into serde types; [`load_product`] and [`load_company`] validate them into a
//!    [`Product`] or a [`Company`], valid by construction, or return every problem as a
//!    [`Diagnostic`] with file, key path, line and a hint.
//! 2. [`assess_product`] and [`assess_company`] compute the MCI ([`mci`]) and the CTI ([`cti`])
//!    of each product, business unit and the company, each an
//!    [`IndicatorValue`](crate::IndicatorValue) with formula, inputs, source and convention.
//! 3. [`assess_network`] derives what a process network's roles allow (the CTI's circular inflow
//!    and outflow, see [`network`]) from a validated [`Model`](crate::Model), and says why the
//!    rest is not computable.
//! 4. The [`ProductReport`] renders itself as text, JSON, CSV or Markdown.
//!
//! [`product_report`] and [`company_report`] do all of it from a text, for front ends: the CLI's
//! `circ product` and `circ company`; [`product_json`] and [`company_json`] do it from JSON text to
//! JSON text for the web module, which so gets the same bytes as the CLI.
//!
//! ```
//! use circ_core::SourceText;
//! use circ_core::product::{ProductFormat, product_report};
//!
//! let text = r#"
//! [product]
//! name = "Crate"
//!
//! [[materials]]
//! id = "pine"
//! mass = 4.0
//! "#;
//! let report = product_report(
//!     SourceText { name: "crate.toml", text },
//!     ProductFormat::Toml,
//!     &|_| Err("no files".into()),
//! )
//! .expect("a valid product");
//! // Fully virgin and landfilled, of average utility: MCI = 1 − 0.9 = 0.1.
//! let mci = report.entities[0].indicator("emf.mci").and_then(|i| i.value);
//! assert!((mci.expect("computable") - 0.1).abs() < 1e-15);
//! ```

pub mod cti;
pub mod format;
pub mod mci;
pub mod network;
mod render;
pub mod report;
mod validate;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::format::{Format, SourceText};

pub use format::{ProductFormat, company_schema, product_schema};
pub use network::assess_network;
pub use report::{Entity, Level, MaterialRow, ProductReport, ReportKind};
pub use validate::{load_company, load_product};

/// The edition of the EMF Material Circularity Indicator methodology a file follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Method {
    /// *Circularity Indicators: Methodology*, May 2015: no biological cycle; composting and
    /// energy recovery count as unrecoverable waste, sustained-production feedstock as virgin.
    #[serde(rename = "2015")]
    Emf2015,
    /// The 2019 revision: sustained-production biological feedstock (F_S), composting (C_C) and
    /// energy recovery (C_E, where the material qualifies) reduce the linear flow.
    #[serde(rename = "2019")]
    Emf2019,
}

impl Method {
    /// The year that names the method: `2015` or `2019`.
    #[must_use]
    pub fn year(self) -> &'static str {
        match self {
            Method::Emf2015 => "2015",
            Method::Emf2019 => "2019",
        }
    }
}

/// How a company's MCI combines the MCIs of its product lines (EMF: the normalising factor Z).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// Z_i = mass of product line i per year: product mass × units per year.
    Mass,
    /// Z_i = revenue of product line i per year.
    Revenue,
}

/// One material (or component) of a product, per unit of product. Shares are fractions in
/// [0, 1]; the symbols are those of the EMF methodology.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Material {
    /// Id, unique within the product.
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// M: mass in one unit of product, in the file's mass unit. Positive or zero.
    pub(crate) mass: f64,
    /// Biological (biodegradable, bio-based) material: only these may be composted or come
    /// from sustained production.
    pub(crate) biological: bool,
    /// F_R: share of the feedstock from recycled sources.
    pub(crate) recycled: f64,
    /// F_U: share of the feedstock from reused sources.
    pub(crate) reused: f64,
    /// F_S: share of the feedstock that is biological material from sustained production
    /// (CTI: renewable virgin content, sustainably managed). 0 unless biological.
    pub(crate) sustained: f64,
    /// E_F: efficiency of the recycling process that made the recycled feedstock, in (0, 1].
    /// `None` only when `recycled` is 0, where it plays no part.
    pub(crate) feedstock_efficiency: Option<f64>,
    /// C_R: share of the mass collected for recycling at end of use.
    pub(crate) recycling: f64,
    /// C_U: share of the mass going to component reuse.
    pub(crate) reuse: f64,
    /// C_C: share of the mass going to composting (or anaerobic digestion). 0 unless biological.
    pub(crate) composting: f64,
    /// Share of the mass collected for energy recovery; credited as C_E only where the
    /// material qualifies (see [`mci`]).
    pub(crate) energy_recovery: f64,
    /// E_C: efficiency of the recycling process used at end of use, in [0, 1]. `None` only when
    /// `recycling` is 0.
    pub(crate) recycling_efficiency: Option<f64>,
    /// CTI recovery potential: share of the mass designed to be fully recoverable (reusable,
    /// recyclable or compostable). `None` when the file does not say.
    pub(crate) recovery_potential: Option<f64>,
}

impl Material {
    /// Id, unique within the product.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Display name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Mass in one unit of product, in the file's mass unit.
    #[must_use]
    pub fn mass(&self) -> f64 {
        self.mass
    }
}

/// The product's utility against the industry average: X = (L / L_av) · (U / U_av).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Utility {
    /// (L, L_av): actual and industry-average lifetime, both positive, in the same unit.
    pub(crate) lifetime: Option<(f64, f64)>,
    /// (U, U_av): actual and industry-average intensity of use (functional units over the
    /// lifetime), both positive.
    pub(crate) uses: Option<(f64, f64)>,
}

impl Utility {
    /// X = (L / L_av) · (U / U_av); a ratio not given counts as 1, the industry average.
    #[must_use]
    pub fn x(&self) -> f64 {
        let ratio = |p: Option<(f64, f64)>| p.map_or(1.0, |(a, b)| a / b);
        ratio(self.lifetime) * ratio(self.uses)
    }
}

/// Energy used in a year, for the CTI's % renewable energy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Energy {
    /// Unit of both figures, as the file names it (MWh, GJ…): a label, since only the ratio is
    /// used.
    pub unit: String,
    /// Total energy consumed, positive.
    pub total: f64,
    /// Of which renewable, in [0, total].
    pub renewable: f64,
}

/// A product: its materials per unit, its utility, and, in a company, its sales.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) year: Option<i32>,
    pub(crate) method: Method,
    pub(crate) mass_unit: String,
    pub(crate) utility: Utility,
    pub(crate) materials: Vec<Material>,
    pub(crate) energy: Option<Energy>,
    /// Units sold (or made) per year: 1 for a product file, which describes one unit.
    pub(crate) units: f64,
    /// Revenue per year, in the company's currency.
    pub(crate) revenue: Option<f64>,
    /// Index of its business unit in [`Company::business_units`].
    pub(crate) business_unit: Option<usize>,
}

impl Product {
    /// Id: the `id` of the file, or `product`.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
    /// Display name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The EMF method.
    #[must_use]
    pub fn method(&self) -> Method {
        self.method
    }
    /// Materials, in file order (inline rows before CSV rows).
    #[must_use]
    pub fn materials(&self) -> &[Material] {
        &self.materials
    }
    /// Mass of one unit: the sum of its materials.
    #[must_use]
    pub fn mass(&self) -> f64 {
        self.materials.iter().map(|m| m.mass).sum()
    }
    /// The utility X and its parts.
    #[must_use]
    pub fn utility(&self) -> Utility {
        self.utility
    }
}

/// A business unit of a company.
#[derive(Debug, Clone, PartialEq)]
pub struct BusinessUnit {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) energy: Option<Energy>,
}

/// A company: its product lines, grouped in business units, and its energy use.
#[derive(Debug, Clone, PartialEq)]
pub struct Company {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) year: Option<i32>,
    pub(crate) method: Method,
    pub(crate) mass_unit: String,
    pub(crate) weighting: Weighting,
    pub(crate) currency: Option<String>,
    pub(crate) energy: Option<Energy>,
    pub(crate) business_units: Vec<BusinessUnit>,
    pub(crate) products: Vec<Product>,
}

impl Company {
    /// Name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }
    /// Product lines, in file order.
    #[must_use]
    pub fn products(&self) -> &[Product] {
        &self.products
    }
    /// How product MCIs are combined.
    #[must_use]
    pub fn weighting(&self) -> Weighting {
        self.weighting
    }
}

/// A value read from a file, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Checked<T> {
    /// The value, valid by construction.
    pub value: T,
    /// Problems that do not stop it from being used.
    pub warnings: Vec<Diagnostic>,
}

/// Reads, validates and assesses a product file: the MCI and CTI of one product, with every
/// warning in the report. `read` gives the text of the CSV material tables the file names (the
/// front end reads files; core does not).
///
/// # Errors
/// Every problem of the file, when there is at least one error.
pub fn product_report(
    src: SourceText<'_>,
    format: ProductFormat,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<ProductReport, Vec<Diagnostic>> {
    let checked = load_product(src, format, read)?;
    let mut report = assess_product(&checked.value);
    report.warnings = checked.warnings;
    Ok(report)
}

/// Reads, validates and assesses a company file; or, when the document is a process-network
/// model (it has `processes`), loads the model and derives what its roles allow
/// ([`assess_network`]).
///
/// # Errors
/// Every problem of the file, when there is at least one error.
pub fn company_report(
    src: SourceText<'_>,
    format: Format,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<ProductReport, Vec<Diagnostic>> {
    if format::is_network(src.text, format) {
        let loaded = crate::validate::load(src, format, read)?;
        let mut report = assess_network(&loaded.model);
        report.warnings = loaded.warnings;
        return Ok(report);
    }
    let checked = load_company(src, format, read)?;
    let mut report = assess_company(&checked.value);
    report.warnings = checked.warnings;
    Ok(report)
}

/// The report of a product document already in memory, as [`product_from_text`] gives it for
/// the document's text: the calculator builds the document, and validating it as it is saves
/// writing and reading it again on every edit. Problems carry their key paths, no lines.
///
/// # Errors
/// Every problem of the document, when there is at least one error.
pub fn product_from_document(
    raw: &format::RawProductFile,
    name: &str,
) -> Result<ProductReport, Vec<Diagnostic>> {
    let checked = validate::check_product(raw, name, &no_files)?;
    let mut report = assess_product(&checked.value);
    report.warnings = checked.warnings;
    Ok(report)
}

/// For front ends without files (the web module): the report of a product file given as text,
/// named `product.json` or `product.toml` in messages. Materials must be inline: a file that
/// names material tables gets an error saying so.
///
/// # Errors
/// Every problem of the file, when there is at least one error.
pub fn product_from_text(text: &str, format: Format) -> Result<ProductReport, Vec<Diagnostic>> {
    let (name, syntax) = match format {
        Format::Toml => ("product.toml", ProductFormat::Toml),
        Format::Json => ("product.json", ProductFormat::Json),
    };
    product_report(SourceText { name, text }, syntax, &no_files)
}

/// For front ends without files: the report of a company file (or a process-network model)
/// given as text, named `company.json` or `company.toml` in messages.
///
/// # Errors
/// Every problem of the file, when there is at least one error.
pub fn company_from_text(text: &str, format: Format) -> Result<ProductReport, Vec<Diagnostic>> {
    let name = match format {
        Format::Toml => "company.toml",
        Format::Json => "company.json",
    };
    company_report(SourceText { name, text }, format, &no_files)
}

/// A product file in JSON, to its report in JSON: the bytes of `circ product product.json
/// --format json` without the final newline. The error is every problem, one per line, as the
/// CLI prints them. The web module wraps this in one line.
///
/// # Errors
/// The problems of the file, as text.
pub fn product_json(text: &str) -> Result<String, String> {
    product_from_text(text, Format::Json)
        .map(|r| r.to_json())
        .map_err(|d| problems(&d))
}

/// A company file (or a process-network model) in JSON, to its report in JSON: the bytes of
/// `circ company company.json --format json` without the final newline.
///
/// # Errors
/// The problems of the file, as text.
pub fn company_json(text: &str) -> Result<String, String> {
    company_from_text(text, Format::Json)
        .map(|r| r.to_json())
        .map_err(|d| problems(&d))
}

/// Diagnostics as text, one after the other, as the CLI prints them.
fn problems(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The reader of material tables where there are no files.
fn no_files(table: &str) -> Result<String, String> {
    Err(format!(
        "material tables are not available without files (asked for {table}); put the materials inline"
    ))
}

/// The MCI and CTI of one product.
#[must_use]
pub fn assess_product(product: &Product) -> ProductReport {
    report::for_product(product)
}

/// The MCI and CTI of a company, each business unit and each product line.
#[must_use]
pub fn assess_company(company: &Company) -> ProductReport {
    report::for_company(company)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_json_out_for_the_web() {
        let out = product_json(
            r#"{"product": {"name": "Crate"}, "materials": [{"id": "pine", "mass": 4}]}"#,
        )
        .expect("valid");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["entities"][0]["indicators"][0]["id"], "emf.mci");
        let err = product_json(
            r#"{"product": {"name": "Crate"}, "materials": [{"id": "pine", "mass": -4}]}"#,
        )
        .expect_err("negative mass");
        assert!(
            err.starts_with("product.json:1:61: error: materials[0].mass:"),
            "{err}"
        );
        let err = company_json(r#"{"company": {"name": "Co"}, "products": [{"id": "p", "units": 1, "material_tables": ["m.csv"]}]}"#)
            .expect_err("no files");
        assert!(
            err.contains("material tables are not available without files"),
            "{err}"
        );
        let toml = product_from_text(
            "[product]\nname = \"x\"\n[[materials]]\nid = \"a\"\nmass = 1\n",
            Format::Toml,
        )
        .expect("valid");
        assert_eq!(toml.name, "x");
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Products built in code, for unit and property tests.
    use super::{Material, Method, Product, Utility};

    /// A fully virgin, landfilled material of mass `mass`.
    pub fn linear(id: &str, mass: f64) -> Material {
        Material {
            id: id.to_owned(),
            name: id.to_owned(),
            mass,
            biological: false,
            recycled: 0.0,
            reused: 0.0,
            sustained: 0.0,
            feedstock_efficiency: None,
            recycling: 0.0,
            reuse: 0.0,
            composting: 0.0,
            energy_recovery: 0.0,
            recycling_efficiency: None,
            recovery_potential: None,
        }
    }

    /// A product of these materials, of average utility, by the 2019 method.
    pub fn product(materials: Vec<Material>) -> Product {
        Product {
            id: "p".to_owned(),
            name: "p".to_owned(),
            description: None,
            year: None,
            method: Method::Emf2019,
            mass_unit: "kg".to_owned(),
            utility: Utility {
                lifetime: None,
                uses: None,
            },
            materials,
            energy: None,
            units: 1.0,
            revenue: None,
            business_unit: None,
        }
    }
}
