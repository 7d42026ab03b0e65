//! The product and company file formats: serde types as written in TOML, JSON and CSV, their
//! parsers, and their JSON Schemas.
//!
//! These types mirror the files one to one and check nothing beyond syntax and field types; the
//! validator turns them into a [`Product`](super::Product) or [`Company`](super::Company).
//! `docs/products.md` describes both files with complete examples.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location, PathSegment, did_you_mean};
use crate::format::{Format, SourceText, csv_error, line_col, parse_number};

/// The syntax of a product file: a document, or a CSV table of its material rows alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductFormat {
    /// TOML.
    Toml,
    /// JSON.
    Json,
    /// CSV: one material per row, with the columns of [`MATERIAL_COLUMNS`]. The product is
    /// named after the file, of average utility, by the 2019 method, masses in kg.
    Csv,
}

impl ProductFormat {
    /// The format named by a file name's extension (`.toml`, `.json`, `.csv`), if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<ProductFormat> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(ProductFormat::Toml),
            "json" => Some(ProductFormat::Json),
            "csv" => Some(ProductFormat::Csv),
            _ => None,
        }
    }

    /// The document syntax, for TOML and JSON.
    #[must_use]
    pub fn document(self) -> Option<Format> {
        match self {
            ProductFormat::Toml => Some(Format::Toml),
            ProductFormat::Json => Some(Format::Json),
            ProductFormat::Csv => None,
        }
    }
}

/// A product file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "circ product")]
pub struct RawProductFile {
    /// What the product is, its method and its utility.
    pub product: RawProductInfo,
    /// Energy used to make the product in a year, for % renewable energy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<RawEnergy>,
    /// The product's materials or components, per unit of product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<RawMaterial>,
}

/// The `[product]` table of a product file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProductInfo {
    /// Name of the product.
    pub name: String,
    /// Short id; default `product`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Reference year of the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// EMF MCI method: `"2015"` or `"2019"` (default `"2019"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<RawMethod>,
    /// Unit of every mass: `g`, `kg` (default) or `t`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mass_unit: Option<String>,
    /// L: the product's expected lifetime, in any unit of time (give average_lifetime too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<f64>,
    /// L_av: industry-average lifetime of such products, in the unit of `lifetime`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_lifetime: Option<f64>,
    /// U: intensity of use, functional units over the lifetime (give average_uses too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses: Option<f64>,
    /// U_av: industry-average intensity of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_uses: Option<f64>,
    /// CSV files with more material rows, relative to this file (columns as `materials`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub material_tables: Vec<String>,
}

/// The MCI method, as a year: `"2019"` or `2019`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawMethod {
    /// Written as a number.
    Year(i64),
    /// Written as text.
    Text(String),
}

/// A company file as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "circ company")]
pub struct RawCompanyFile {
    /// What the company is, its method and how products are weighted.
    pub company: RawCompanyInfo,
    /// Energy the whole company used in the year, for % renewable energy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<RawEnergy>,
    /// Business units, which products may name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub business_units: Vec<RawBusinessUnit>,
    /// Product lines.
    pub products: Vec<RawCompanyProduct>,
}

/// The `[company]` table of a company file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCompanyInfo {
    /// Name of the company.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Reference year: units, revenue and energy are per this year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// EMF MCI method for every product: `"2015"` or `"2019"` (default `"2019"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<RawMethod>,
    /// Unit of every mass: `g`, `kg` (default) or `t`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mass_unit: Option<String>,
    /// How the company's MCI weights its products: `mass` (default) or `revenue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighting: Option<String>,
    /// Currency of revenues, such as `EUR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

/// A business unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBusinessUnit {
    /// Id, unique among business units; products name it in `business_unit`.
    pub id: String,
    /// Display name; default the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Energy the unit used in the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<RawEnergy>,
}

/// A product line of a company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCompanyProduct {
    /// Id, unique among products.
    pub id: String,
    /// Display name; default the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Id of its business unit, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_unit: Option<String>,
    /// Units sold (or made) in the year; weights its mass in the company.
    pub units: f64,
    /// Revenue in the year, in the company's currency; needed when weighting = "revenue".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue: Option<f64>,
    /// L: expected lifetime (give average_lifetime too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime: Option<f64>,
    /// L_av: industry-average lifetime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_lifetime: Option<f64>,
    /// U: intensity of use (give average_uses too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uses: Option<f64>,
    /// U_av: industry-average intensity of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_uses: Option<f64>,
    /// Energy used to make this product line in the year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy: Option<RawEnergy>,
    /// CSV files with more material rows, relative to the company file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub material_tables: Vec<String>,
    /// Materials or components per unit of product.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<RawMaterial>,
}

/// Energy used in a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEnergy {
    /// Unit of both figures, such as `MWh` or `GJ`; default `MWh`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Total energy consumed, positive.
    pub total: f64,
    /// Of which from renewable sources.
    pub renewable: f64,
    /// Free text: where the figures come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A material or component of a product, per unit of product. Shares are fractions in [0, 1];
/// a share not given is 0 (virgin feedstock, not recovered).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMaterial {
    /// Id, unique within the product.
    pub id: String,
    /// Display name; default the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// M: mass in one unit of product, in the mass unit.
    pub mass: f64,
    /// Biological (bio-based, biodegradable) material; only these may be `sustained` or
    /// `composting`. Default false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biological: Option<bool>,
    /// F_R: share of the feedstock from recycled sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycled: Option<f64>,
    /// F_U: share of the feedstock from reused sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reused: Option<f64>,
    /// F_S: share of the feedstock that is biological material from sustained production
    /// (CTI: renewable, sustainably managed). Counted by the 2019 method only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sustained: Option<f64>,
    /// E_F: efficiency of the recycling process that made the recycled feedstock, in (0, 1].
    /// Needed when `recycled` > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedstock_efficiency: Option<f64>,
    /// C_R: share of the mass collected for recycling at end of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycling: Option<f64>,
    /// C_U: share of the mass going to component reuse at end of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse: Option<f64>,
    /// C_C: share of the mass composted (or anaerobically digested). 2019 method, biological only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composting: Option<f64>,
    /// Share of the mass collected for energy recovery. Credited as C_E (2019) only for
    /// biological material whose virgin feedstock is all from sustained production.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub energy_recovery: Option<f64>,
    /// E_C: efficiency of the recycling process at end of use, in [0, 1]. Needed when
    /// `recycling` > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycling_efficiency: Option<f64>,
    /// CTI recovery potential: share of the mass designed to be fully reusable, recyclable or
    /// compostable. Needed for % circular outflow when the material is recovered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_potential: Option<f64>,
    /// Free text: where the figures come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Material rows read from one CSV table, each with its line.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialTable {
    /// The table's name, as given to [`parse_material_table`].
    pub name: String,
    /// The header row, for column positions in messages.
    pub headers: Vec<String>,
    /// The rows that could be read, with the 1-based line of each.
    pub rows: Vec<(u32, RawMaterial)>,
}

/// The columns a material table may have: the keys of a material.
pub const MATERIAL_COLUMNS: [&str; 15] = [
    "id",
    "name",
    "mass",
    "biological",
    "recycled",
    "reused",
    "sustained",
    "feedstock_efficiency",
    "recycling",
    "reuse",
    "composting",
    "energy_recovery",
    "recycling_efficiency",
    "recovery_potential",
    "note",
];
const REQUIRED: [&str; 2] = ["id", "mass"];

/// Parses a product file in TOML or JSON. Syntax and type errors come back as diagnostics with
/// line and column.
///
/// # Errors
/// The syntax or type error.
pub fn parse_product(
    src: SourceText<'_>,
    format: Format,
) -> Result<RawProductFile, Vec<Diagnostic>> {
    parse_document(
        src,
        format,
        (
            "company",
            "this is a company file: run `circ company` on it",
        ),
    )
}

/// Parses a company file in TOML or JSON.
///
/// # Errors
/// The syntax or type error.
pub fn parse_company(
    src: SourceText<'_>,
    format: Format,
) -> Result<RawCompanyFile, Vec<Diagnostic>> {
    parse_document(
        src,
        format,
        (
            "product",
            "this is a product file: run `circ product` on it",
        ),
    )
}

/// Parses a document; `other` is the top-level key of the other kind of file, and what to say
/// when it is found.
fn parse_document<T: serde::de::DeserializeOwned>(
    src: SourceText<'_>,
    format: Format,
    other: (&str, &'static str),
) -> Result<T, Vec<Diagnostic>> {
    let (message, position) = match format {
        #[cfg(not(feature = "toml"))]
        Format::Toml => return Err(vec![crate::format::toml_unavailable(src.name)]),
        #[cfg(feature = "toml")]
        Format::Toml => match toml::from_str::<T>(src.text) {
            Ok(v) => return Ok(v),
            Err(e) => (
                e.message().trim().replace('\n', " "),
                e.span().map(|s| line_col(src.text, s.start)),
            ),
        },
        Format::Json => match crate::format::from_json::<T>(src.text) {
            Ok(v) => return Ok(v),
            Err(e) => (e.message, e.position),
        },
    };
    let mut loc = Location::at(src.name, Vec::new());
    if let Some((line, column)) = position {
        loc.line = Some(line);
        loc.column = Some(column);
    }
    let about_fields = ["field", "invalid type", "expected", "variant"]
        .iter()
        .any(|w| message.contains(w));
    let hint = if has_top_key(src.text, format, other.0) {
        other.1
    } else if about_fields {
        "docs/products.md describes every field; `circ product --schema` and `circ company --schema` print the JSON Schemas"
    } else {
        "check the syntax just before this position: quotes, brackets, commas, `=` or `:`"
    };
    Err(vec![Diagnostic::error(loc, message).with_hint(hint)])
}

/// Whether a document is a process-network model rather than a company file: it has a
/// top-level `processes` key. A document that does not parse is not a network (the company
/// parser then reports its syntax error).
#[must_use]
pub fn is_network(text: &str, format: Format) -> bool {
    has_top_key(text, format, "processes")
}

/// Whether a document parses and has `key` at its top level.
fn has_top_key(text: &str, format: Format, key: &str) -> bool {
    match format {
        #[cfg(feature = "toml")]
        Format::Toml => toml::from_str::<toml::Table>(text).is_ok_and(|t| t.contains_key(key)),
        #[cfg(not(feature = "toml"))]
        Format::Toml => false,
        Format::Json => crate::format::from_json::<TopKeys>(text).is_ok_and(|t| match key {
            "processes" => t.processes.is_some(),
            "company" => t.company.is_some(),
            "product" => t.product.is_some(),
            _ => false,
        }),
    }
}

/// The top-level keys that tell the kinds of document apart, read without building the
/// document: a `serde_json::Value` would do, but costs the web module its code.
#[derive(Deserialize)]
struct TopKeys {
    processes: Option<serde::de::IgnoredAny>,
    company: Option<serde::de::IgnoredAny>,
    product: Option<serde::de::IgnoredAny>,
}

/// Parses a CSV table of material rows (comma-separated, one header row, UTF-8). Every bad cell
/// is reported with its line and column; the rows without problems are returned beside them,
/// so that validation can check them too.
pub fn parse_material_table(src: SourceText<'_>) -> (MaterialTable, Vec<Diagnostic>) {
    let mut table = MaterialTable {
        name: src.name.to_owned(),
        headers: Vec::new(),
        rows: Vec::new(),
    };
    let mut diags = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(src.text.as_bytes());
    let at = |line: u32, column: Option<(usize, &str)>| {
        let mut loc = Location::at(
            src.name,
            column.map_or_else(Vec::new, |(_, c)| vec![PathSegment::Key(c.to_owned())]),
        );
        loc.line = Some(line);
        loc.column = column.and_then(|(i, _)| u32::try_from(i + 1).ok());
        loc
    };
    table.headers = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => return (table, vec![csv_error(src.name, src.text, &e)]),
    };
    let headers = table.headers.clone();
    let mut seen = BTreeSet::new();
    for (i, h) in headers.iter().enumerate() {
        if !MATERIAL_COLUMNS.contains(&h.as_str()) {
            let d = Diagnostic::error(at(1, Some((i, h))), format!("unknown column \"{h}\""));
            diags.push(match did_you_mean(h, MATERIAL_COLUMNS) {
                Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
                None => d.with_hint(format!("columns are: {}", MATERIAL_COLUMNS.join(", "))),
            });
        } else if !seen.insert(h.as_str()) {
            diags.push(Diagnostic::error(
                at(1, Some((i, h))),
                format!("column \"{h}\" appears twice"),
            ));
        }
    }
    for req in REQUIRED {
        if !headers.iter().any(|h| h == req) {
            diags.push(
                Diagnostic::error(at(1, None), format!("the header has no column \"{req}\""))
                    .with_hint("a material table needs at least the columns id,mass"),
            );
        }
    }
    if !diags.is_empty() {
        return (table, diags);
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                diags.push(csv_error(src.name, src.text, &e));
                continue;
            }
        };
        // As for flow tables: the reader's byte offset may point before blank lines.
        let line = record.position().map_or(0, |p| {
            let start = usize::try_from(p.byte())
                .unwrap_or(usize::MAX)
                .min(src.text.len());
            let skip = src.text.as_bytes()[start..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            line_col(src.text, start + skip).0
        });
        if record.iter().all(str::is_empty) {
            continue;
        }
        let row_start = diags.len();
        let text = |name: &str| -> Option<String> {
            col(name)
                .and_then(|i| record.get(i))
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        let cell_at = |name: &str| at(line, col(name).map(|i| (i, name)));
        let mut number = |name: &str| -> Option<f64> {
            let cell = text(name)?;
            let value = parse_number(&cell);
            if value.is_none() {
                diags.push(
                    Diagnostic::error(cell_at(name), format!("\"{cell}\" is not a number"))
                        .with_hint("write numbers with a decimal point and no thousands separator, such as 0.35 (shares are fractions, not percentages)"),
                );
            }
            value
        };
        let mut row = RawMaterial {
            mass: number("mass").unwrap_or(f64::NAN),
            recycled: number("recycled"),
            reused: number("reused"),
            sustained: number("sustained"),
            feedstock_efficiency: number("feedstock_efficiency"),
            recycling: number("recycling"),
            reuse: number("reuse"),
            composting: number("composting"),
            energy_recovery: number("energy_recovery"),
            recycling_efficiency: number("recycling_efficiency"),
            recovery_potential: number("recovery_potential"),
            ..RawMaterial::default()
        };
        row.biological = match text("biological").map(|s| s.to_ascii_lowercase()) {
            None => None,
            Some(s) if s == "true" || s == "yes" => Some(true),
            Some(s) if s == "false" || s == "no" => Some(false),
            Some(s) => {
                diags.push(
                    Diagnostic::error(
                        cell_at("biological"),
                        format!("\"{s}\" is not true or false"),
                    )
                    .with_hint(
                        "write true or false (or yes, no), or leave the cell empty for false",
                    ),
                );
                None
            }
        };
        for name in REQUIRED {
            if text(name).is_none() {
                diags.push(
                    Diagnostic::error(cell_at(name), format!("the cell \"{name}\" is empty"))
                        .with_hint("every material row needs an id and a mass"),
                );
            }
        }
        row.id = text("id").unwrap_or_default();
        row.name = text("name");
        row.note = text("note");
        if diags.len() == row_start {
            table.rows.push((line, row));
        }
    }
    (table, diags)
}

/// The JSON Schema of the product file, pretty-printed.
#[must_use]
pub fn product_schema() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(RawProductFile))
        .expect("a JSON Schema always serialises")
}

/// The JSON Schema of the company file, pretty-printed.
#[must_use]
pub fn company_schema() -> String {
    serde_json::to_string_pretty(&schemars::schema_for!(RawCompanyFile))
        .expect("a JSON Schema always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> (MaterialTable, Vec<Diagnostic>) {
        parse_material_table(SourceText {
            name: "bom.csv",
            text,
        })
    }

    #[test]
    fn csv_rows_read_with_their_lines() {
        let (t, d) = csv("id,mass,recycled,biological\nsteel,6,0.5,\n\nwood,4,,yes\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t.rows.len(), 2);
        assert_eq!((t.rows[0].0, t.rows[0].1.recycled), (2, Some(0.5)));
        assert_eq!((t.rows[1].0, t.rows[1].1.biological), (4, Some(true)));
        assert_eq!(t.rows[1].1.recycled, None);
    }

    #[test]
    fn csv_reports_every_bad_cell() {
        let (t, d) = csv("id,mass,recycled,biological\nsteel,6,35%,maybe\n,2,,\nok,1,,\n");
        let text: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[0].starts_with("bom.csv:2:3: error: recycled: \"35%\" is not a number"));
        assert!(text[1].starts_with("bom.csv:2:4: error: biological: \"maybe\""));
        assert!(text[2].starts_with("bom.csv:3:1: error: id: the cell \"id\" is empty"));
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].0, 4);
    }

    #[test]
    fn csv_unknown_columns_get_suggestions() {
        let (_, d) = csv("id,mas,recyled\n");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean \"mass\"?"));
        assert_eq!(d[1].hint.as_deref(), Some("did you mean \"recycled\"?"));
        assert!(d[2].message.contains("no column \"mass\""));
    }

    #[test]
    fn networks_are_told_from_company_files() {
        assert!(is_network(
            "[meta]\nname = \"x\"\n[[processes]]\n",
            Format::Toml
        ));
        assert!(!is_network("[company]\nname = \"x\"\n", Format::Toml));
        assert!(is_network("{\"processes\": []}", Format::Json));
        assert!(!is_network("{\"company\": ", Format::Json));
    }

    #[test]
    fn the_method_may_be_a_number_or_text() {
        for (text, method) in [
            (
                "[product]\nname = \"x\"\nmethod = 2015\n",
                RawMethod::Year(2015),
            ),
            (
                "[product]\nname = \"x\"\nmethod = \"2019\"\n",
                RawMethod::Text("2019".into()),
            ),
        ] {
            let raw = parse_product(
                SourceText {
                    name: "p.toml",
                    text,
                },
                Format::Toml,
            )
            .expect("parses");
            assert_eq!(raw.product.method, Some(method));
        }
    }

    #[test]
    fn the_other_kind_of_file_is_recognised() {
        let err = parse_company(
            SourceText {
                name: "chair.toml",
                text: "[product]\nname = \"x\"\n",
            },
            Format::Toml,
        )
        .expect_err("a product file");
        assert_eq!(
            err[0].hint.as_deref(),
            Some("this is a product file: run `circ product` on it")
        );
        let err = parse_product(
            SourceText {
                name: "co.json",
                text: "{\"company\": {\"name\": \"x\"}, \"products\": []}",
            },
            Format::Json,
        )
        .expect_err("a company file");
        assert_eq!(
            err[0].hint.as_deref(),
            Some("this is a company file: run `circ company` on it")
        );
    }

    #[test]
    fn parse_errors_name_the_line_and_the_docs() {
        let err = parse_product(
            SourceText {
                name: "p.toml",
                text: "[product]\nname = \"x\"\n[[materials]]\nid = \"a\"\nmass = 1\nrecyled = 0.3\n",
            },
            Format::Toml,
        )
        .expect_err("unknown field");
        assert_eq!(err[0].location.line, Some(6));
        assert!(err[0].message.contains("recyled"), "{}", err[0]);
        assert!(
            err[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("docs/products.md")
        );
    }
}
