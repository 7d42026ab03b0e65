//! The model file format: serde types as written in TOML, JSON and CSV, and their parsers.
//!
//! These types mirror the file one to one and check nothing beyond syntax and field types;
//! [`validate`](crate::validate()) turns them into a [`Model`](crate::Model). The JSON Schema that
//! `circ schema` prints is derived from [`RawModel`].

mod dynamics;
mod locate;

use std::borrow::Cow;
use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Location, PathSegment};
use crate::model::Scope;

pub use dynamics::{
    RawContent, RawDynamicStock, RawDynamics, RawLifetime, RawLifetimeChange, RawSeries, RawShare,
};
pub use locate::locate;

/// A text and the name it is known by (a file path, or a data set name).
#[derive(Debug, Clone, Copy)]
pub struct SourceText<'a> {
    /// Name used in messages, such as `models/cluster.toml`.
    pub name: &'a str,
    /// The whole text.
    pub text: &'a str,
}

/// The syntax of a model document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML, the format meant for people.
    Toml,
    /// JSON, for programs and the web calculator.
    Json,
}

impl Format {
    /// The format named by a file name's extension (`.toml`, `.json`), if it names one.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A model document as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "circ model")]
pub struct RawModel<'a> {
    /// What the model describes.
    pub meta: RawMeta,
    /// User materials, each below one of the roots `MF1` (biomass), `MF2` (metal ores), `MF3`
    /// (non-metallic minerals), `MF4` (fossil energy materials/carriers), `MIXED` (not allocated to
    /// a group), or below another user material.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<RawMaterial>,
    /// Processes, the nodes of the network.
    pub processes: Vec<RawProcess>,
    /// Flows between processes.
    #[serde(default, borrow, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<RawFlow<'a>>,
    /// CSV files with more flows, relative to this file. Columns: `from,to,material,value` and
    /// optionally `id,share,unit,sd,cv,dist,min,mode,max,source,note`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flow_tables: Vec<String>,
    /// Net additions to stock (negative for net removals).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stock_changes: Vec<RawStockChange>,
    /// GDP and population, for per-capita and productivity indicators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub economy: Option<RawEconomy>,
    /// Dynamic stocks over a time axis, and yearly shares: see `docs/stocks.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dynamics: Option<RawDynamics>,
}

/// What a model describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    /// Name of the model.
    pub name: String,
    /// Region covered: a country, region, or `World`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Reference year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Unit of values that state none, and of printed results: `t`, `kt`, `Mt` or `Gt`.
    /// Default `t`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Extent: `global` makes imports and exports zero by definition. Default `national`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Relative tolerance of process balances, a fraction of the larger side. Default 1e-9; data
    /// sets built from rounded published figures state a larger one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_tolerance: Option<f64>,
    /// Sources of the numbers, referenced by id from flows and figures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<RawSource>,
}

/// A published source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Short id, referenced by flows.
    pub id: String,
    /// Title, with author and year.
    pub title: String,
    /// Where it can be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Table or section the numbers come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Release date or vintage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// Licence of the data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// How the numbers were taken or derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A user material.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMaterial {
    /// Id, unique among materials; the roots `MF1`…`MF4` and `MIXED` are taken.
    pub id: String,
    /// Display name; default the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A root (`MF1`…`MF4`, `MIXED`) or another user material.
    pub parent: String,
}

/// A process.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProcess {
    /// Id, unique among processes.
    pub id: String,
    /// Display name; default the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One of: extraction, import, export, production, use (or stock), reuse, collection,
    /// sorting, recycling, composting, backfilling, energy_recovery, incineration, landfill,
    /// emission, dissipation.
    pub role: String,
    /// `false` for an accounts-level node whose inputs or outputs the data do not fully give:
    /// circ then does not check its mass balance. Default `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balanced: Option<bool>,
}

/// The uncertainty of a value. Give `sd` (absolute) or `cv` (relative), with `dist` normal
/// (default) or lognormal; or `min` and `max` with `dist = "uniform"`; or `min`, `mode`, `max`
/// with `dist = "triangular"`. Bounds are in the value's unit.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUncertainty {
    /// `normal`, `lognormal`, `uniform` or `triangular`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dist: Option<String>,
    /// Standard deviation, in the value's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    /// Coefficient of variation: standard deviation / value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cv: Option<f64>,
    /// Lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Most likely value (triangular).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<f64>,
    /// Upper bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A flow. Its text fields borrow from the document where they can: models with 100,000 flows
/// are read without an allocation per id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFlow<'a> {
    /// Optional id, unique among flows; needed when two flows share origin, destination and
    /// material.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub id: Option<Cow<'a, str>>,
    /// Origin process id.
    #[serde(borrow)]
    pub from: Cow<'a, str>,
    /// Destination process id.
    #[serde(borrow)]
    pub to: Cow<'a, str>,
    /// Material id.
    #[serde(borrow)]
    pub material: Cow<'a, str>,
    /// Mass per year, non-negative. Without it (and without `share`) the flow is unknown, and
    /// circ solves it from the balances: it takes the rest of its origin's output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Transfer coefficient, instead of a value: the share of its origin's output of this
    /// material that the flow carries, a fraction in [0, 1]. See docs/network.md.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Unit of `value`; default the model's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Uncertainty of `value`, or of `share` for a flow given by a share (then in the share's
    /// terms: `sd = 0.05` is five percentage points).
    // Boxed: most flows have none, and a flow a third the size halves the parse time of
    // 100,000 flows (the vector of flows is moved and grown less).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<Box<RawUncertainty>>,
    /// Id of the source in `meta.sources`.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub source: Option<Cow<'a, str>>,
    /// Free text.
    #[serde(default, borrow, skip_serializing_if = "Option::is_none")]
    pub note: Option<Cow<'a, str>>,
}

impl RawFlow<'_> {
    /// The same flow, owning its text.
    #[must_use]
    pub fn into_owned(self) -> RawFlow<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        RawFlow {
            id: self.id.map(own),
            from: own(self.from),
            to: own(self.to),
            material: own(self.material),
            value: self.value,
            share: self.share,
            unit: self.unit,
            uncertainty: self.uncertainty,
            source: self.source.map(own),
            note: self.note.map(own),
        }
    }
}

impl RawModel<'_> {
    /// The same document, owning its text.
    #[must_use]
    pub fn into_owned(self) -> RawModel<'static> {
        RawModel {
            meta: self.meta,
            materials: self.materials,
            processes: self.processes,
            flows: self.flows.into_iter().map(RawFlow::into_owned).collect(),
            flow_tables: self.flow_tables,
            stock_changes: self.stock_changes,
            economy: self.economy,
            dynamics: self.dynamics,
        }
    }
}

/// A net addition to stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStockChange {
    /// The process holding the stock.
    pub process: String,
    /// Material id.
    pub material: String,
    /// Net addition per year; negative for a net removal. Without it (and without `share`) the
    /// stock change is unknown, and circ solves it from the process's balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// Instead of a value: the share of the process's inflows of this material that is added
    /// to stock, a fraction in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// Unit of `value`; default the model's unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Uncertainty of `value`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<RawUncertainty>,
    /// Id of the source in `meta.sources`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// GDP and population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEconomy {
    /// Gross domestic product of the model's year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdp: Option<RawFigure>,
    /// Population (unit `persons`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<RawFigure>,
}

/// A number with its unit and source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    /// The value, positive.
    pub value: f64,
    /// A currency code such as `EUR` or `USD` for GDP; `persons` for population.
    pub unit: String,
    /// Id of the source in `meta.sources`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Flows read from one CSV table, each with its line in the table.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowTable {
    /// The table's name, as given to [`parse_flow_table`].
    pub name: String,
    /// The flows, with the 1-based line each was read from.
    pub flows: Vec<(u32, RawFlow<'static>)>,
}

/// Parses a model document in TOML or JSON. Syntax and type errors come back as diagnostics
/// with line and column.
pub fn parse_model<'a>(
    src: SourceText<'a>,
    format: Format,
) -> Result<RawModel<'a>, Vec<Diagnostic>> {
    match format {
        #[cfg(not(feature = "toml"))]
        Format::Toml => Err(vec![toml_unavailable(src.name)]),
        #[cfg(feature = "toml")]
        Format::Toml => toml::from_str::<RawModel<'a>>(src.text).map_err(|e| {
            let (loc, message) = toml_error(src, &e);
            let hint = hint_for(&message);
            vec![Diagnostic::error(loc, message).with_hint(hint)]
        }),
        Format::Json => from_json::<RawModel<'a>>(src.text).map_err(|e| {
            let hint = hint_for(&e.message);
            vec![Diagnostic::error(e.location(src.name), e.message).with_hint(hint)]
        }),
    }
}

/// What would fix a parse error: the schema for a wrong field or type, the syntax otherwise.
fn hint_for(message: &str) -> &'static str {
    let about_fields = [
        "field",
        "invalid type",
        "variant",
        "expected a",
        "invalid length",
    ]
    .iter()
    .any(|w| message.contains(w));
    if about_fields {
        "`circ schema` prints every field the format accepts, with its type"
    } else {
        "check the syntax just before this position: quotes, brackets, commas, `=` or `:`"
    }
}

/// Where a TOML error is (line and column from its span) and what it says, on one line.
#[cfg(feature = "toml")]
pub(crate) fn toml_error(src: SourceText<'_>, e: &toml::de::Error) -> (Location, String) {
    let mut loc = Location::at(src.name, Vec::new());
    if let Some(span) = e.span() {
        let (line, col) = line_col(src.text, span.start);
        loc.line = Some(line);
        loc.column = Some(col);
    }
    (loc, toml_message(e))
}

/// The error of a build without TOML (the web module) given a TOML text.
#[cfg(not(feature = "toml"))]
pub(crate) fn toml_unavailable(name: &str) -> Diagnostic {
    Diagnostic::error(
        Location::at(name, Vec::new()),
        "this build of circ reads JSON only, not TOML",
    )
    .with_hint("convert the file with `circ convert FILE.toml -o FILE.json`")
}

/// The message of a TOML error, without the source excerpt the toml crate appends (the
/// diagnostic already gives line and column).
#[cfg(feature = "toml")]
fn toml_message(e: &toml::de::Error) -> String {
    let msg = e.message().trim().to_owned();
    msg.replace('\n', " ")
}

/// A JSON syntax or type error: serde_json's message without its position, and the position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// What is wrong, such as ``unknown field `flow`, expected one of …``.
    pub message: String,
    /// 1-based line and column, where serde_json knows them.
    pub position: Option<(u32, u32)>,
}

impl JsonError {
    /// Where the error is in the file `name`.
    #[must_use]
    pub fn location(&self, name: &str) -> Location {
        let mut loc = Location::at(name, Vec::new());
        if let Some((line, column)) = self.position {
            loc.line = Some(line);
            loc.column = Some(column);
        }
        loc
    }
}

/// As serde_json writes it: the message, then " at line L column C".
impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        match self.position {
            Some((line, column)) => write!(f, " at line {line} column {column}"),
            None => Ok(()),
        }
    }
}

/// Reads a JSON document: every JSON file type of circ goes through here, so that each reports
/// its errors the same way.
///
/// # Errors
/// The first syntax or type error of the document.
pub fn from_json<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, JsonError> {
    serde_json::from_str(text).map_err(|e| json_error(&e))
}

/// serde_json's error as a [`JsonError`]: its text ends in " at line L column C" when it knows
/// the position.
fn json_error(e: &serde_json::Error) -> JsonError {
    let text = e.to_string();
    let known = e.line() > 0;
    let message = match text.rfind(" at line ") {
        Some(i) if known => text[..i].to_owned(),
        _ => text,
    };
    JsonError {
        message,
        position: known.then(|| {
            (
                u32::try_from(e.line()).unwrap_or(u32::MAX),
                u32::try_from(e.column()).unwrap_or(u32::MAX),
            )
        }),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// The columns a flow table may have.
pub const FLOW_TABLE_COLUMNS: [&str; 15] = [
    "id", "from", "to", "material", "value", "share", "unit", "sd", "cv", "dist", "min", "mode",
    "max", "source", "note",
];
const REQUIRED_COLUMNS: [&str; 4] = ["from", "to", "material", "value"];

/// Parses a CSV table of flows (comma-separated, a header row, UTF-8). Every bad cell is
/// reported, with its line and column; the rows without problems are returned beside them, so
/// that validation can report the problems of those rows too.
pub fn parse_flow_table(src: SourceText<'_>) -> (FlowTable, Vec<Diagnostic>) {
    let mut table = FlowTable {
        name: src.name.to_owned(),
        flows: Vec::new(),
    };
    let diags = read_flow_table(src, &mut table.flows);
    (table, diags)
}

fn read_flow_table(
    src: SourceText<'_>,
    flows: &mut Vec<(u32, RawFlow<'static>)>,
) -> Vec<Diagnostic> {
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
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => return vec![csv_error(src.name, src.text, &e)],
    };
    let mut seen = BTreeSet::new();
    for (i, h) in headers.iter().enumerate() {
        if !FLOW_TABLE_COLUMNS.contains(&h.as_str()) {
            let mut d = Diagnostic::error(at(1, Some((i, h))), format!("unknown column \"{h}\""));
            d = d.with_hint(crate::diagnostic::suggest(
                h,
                FLOW_TABLE_COLUMNS,
                format!("columns are: {}", FLOW_TABLE_COLUMNS.join(", ")),
            ));
            diags.push(d);
        } else if !seen.insert(h.as_str()) {
            diags.push(Diagnostic::error(
                at(1, Some((i, h))),
                format!("column \"{h}\" appears twice"),
            ));
        }
    }
    for req in REQUIRED_COLUMNS {
        if !headers.iter().any(|h| h == req) {
            diags.push(
                Diagnostic::error(at(1, None), format!("the header has no column \"{req}\""))
                    .with_hint("a flow table needs at least the columns from,to,material,value"),
            );
        }
    }
    if !diags.is_empty() {
        return diags;
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
        // The csv reader's line count skips blank lines, and its byte offset points before them:
        // step over line breaks from that offset and count lines in the text.
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
                        .with_hint("write numbers with a decimal point and no thousands separator, such as 1234.5"),
                );
            }
            value
        };
        let value = number("value");
        let share = number("share");
        let (sd, cv, min, mode, max) = (
            number("sd"),
            number("cv"),
            number("min"),
            number("mode"),
            number("max"),
        );
        let mut required = |name: &str| -> String {
            text(name).unwrap_or_else(|| {
                diags.push(
                    Diagnostic::error(cell_at(name), format!("the cell \"{name}\" is empty"))
                        .with_hint(format!("every flow needs {}", REQUIRED_COLUMNS.join(", "))),
                );
                String::new()
            })
        };
        let (from, to, material) = (required("from"), required("to"), required("material"));
        // A row gives its flow's value or share; an unknown flow (neither) is written in the
        // model file, where leaving both out is visibly deliberate.
        if text("value").is_none() && text("share").is_none() {
            required("value");
        }
        let dist = text("dist");
        let uncertainty = ([sd, cv, min, mode, max].iter().any(Option::is_some) || dist.is_some())
            .then_some(RawUncertainty {
                dist,
                sd,
                cv,
                min,
                mode,
                max,
            });
        if diags.len() == row_start && (value.is_some() || share.is_some()) {
            flows.push((
                line,
                RawFlow {
                    id: text("id").map(Cow::Owned),
                    from: Cow::Owned(from),
                    to: Cow::Owned(to),
                    material: Cow::Owned(material),
                    value,
                    share,
                    unit: text("unit"),
                    uncertainty: uncertainty.map(Box::new),
                    source: text("source").map(Cow::Owned),
                    note: text("note").map(Cow::Owned),
                },
            ));
        }
    }
    diags
}

/// Parses a decimal number as analysts write it in a CSV cell. Refuses `nan`, `inf` and
/// thousands separators, which `str::parse::<f64>` would accept or misread.
pub(crate) fn parse_number(cell: &str) -> Option<f64> {
    let ok = cell
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'));
    if !ok {
        return None;
    }
    cell.parse::<f64>().ok().filter(|v| v.is_finite())
}

pub(crate) fn csv_error(name: &str, text: &str, e: &csv::Error) -> Diagnostic {
    let mut loc = Location::at(name, Vec::new());
    if let Some(pos) = e.position() {
        loc.line = Some(line_col(text, usize::try_from(pos.byte()).unwrap_or(usize::MAX)).0);
    }
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("this row has {len} cells where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "the table is not valid UTF-8".to_owned(),
        _ => e.to_string(),
    };
    Diagnostic::error(loc, message)
        .with_hint("save the table as CSV (comma-separated, UTF-8) with one header row")
}

/// The JSON Schema of the model format, pretty-printed.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawModel);
    serde_json::to_string_pretty(&schema).expect("a JSON Schema always serialises")
}

/// Writes a model document as TOML.
///
/// # Errors
/// When a value cannot be written in TOML (a non-finite number).
pub fn to_toml(raw: &RawModel<'_>) -> Result<String, String> {
    #[cfg(feature = "toml")]
    return toml::to_string(raw).map_err(|e| e.to_string());
    #[cfg(not(feature = "toml"))]
    {
        let _ = raw;
        Err("this build of circ writes JSON only, not TOML".to_owned())
    }
}

/// Writes a model document as pretty JSON.
#[must_use]
pub fn to_json(raw: &RawModel<'_>) -> String {
    serde_json::to_string_pretty(raw).expect("a model document always serialises to JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> SourceText<'_> {
        SourceText {
            name: "t.csv",
            text,
        }
    }

    #[test]
    fn csv_reads_optional_columns_and_lines() {
        let (t, diags) = parse_flow_table(src(
            "from,to,material,value,unit,sd\nmine,plant,MF2,10,kt,1\n\nplant,use,MF2,9.5,,\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(t.flows.len(), 2);
        assert_eq!(t.flows[0].0, 2);
        assert_eq!(t.flows[0].1.unit.as_deref(), Some("kt"));
        assert_eq!(
            t.flows[0].1.uncertainty.as_ref().and_then(|u| u.sd),
            Some(1.0)
        );
        assert_eq!(t.flows[1].0, 4);
        assert!(t.flows[1].1.uncertainty.is_none());
    }

    #[test]
    fn csv_reports_every_bad_cell_with_line_and_column() {
        let (table, err) = parse_flow_table(src(
            "from,to,material,value\nmine,plant,MF2,1 000\n,plant,MF2,nan\nmine,plant,MF3,4\n",
        ));
        let text: Vec<String> = err.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(text[0].starts_with("t.csv:2:4: error: value: \"1 000\" is not a number"));
        assert!(text[1].starts_with("t.csv:3:4: error: value: \"nan\" is not a number"));
        assert!(text[2].starts_with("t.csv:3:1: error: from: the cell \"from\" is empty"));
        // The good row is kept, for validation to check.
        assert_eq!(table.flows.len(), 1);
        assert_eq!(table.flows[0].0, 4);
    }

    #[test]
    fn csv_unknown_column_gets_a_suggestion() {
        let (_, err) = parse_flow_table(src("from,to,materal,value\n"));
        assert!(err[0].to_string().contains("unknown column \"materal\""));
        assert_eq!(err[0].hint.as_deref(), Some("did you mean \"material\"?"));
        assert!(err[1].to_string().contains("no column \"material\""));
    }

    #[test]
    fn csv_ragged_row_is_an_error_not_a_panic() {
        let (_, err) = parse_flow_table(src("from,to,material,value\na,b\n"));
        assert!(
            err[0]
                .to_string()
                .contains("this row has 2 cells where the header has 4")
        );
    }

    #[test]
    fn toml_errors_have_line_and_column() {
        let err = parse_model(
            SourceText {
                name: "m.toml",
                text: "[meta]\nname = \"x\"\n[[processes]]\nid = \"a\"\nrole = 5\n",
            },
            Format::Toml,
        )
        .expect_err("role is not a string");
        assert_eq!(err[0].location.line, Some(5));
        assert!(err[0].message.contains("invalid type"), "{}", err[0]);
    }

    #[test]
    fn json_errors_have_line_and_column() {
        let err = parse_model(
            SourceText {
                name: "m.json",
                text: "{\"meta\": {\"name\": \"x\"},\n \"processes\": [], \"flws\": []}",
            },
            Format::Json,
        )
        .expect_err("unknown field");
        assert_eq!(err[0].location.line, Some(2));
        assert!(
            err[0].message.contains("unknown field `flws`"),
            "{}",
            err[0]
        );
    }

    /// Regression: serde_json's default float parser is not correctly rounded, so the same model
    /// read from JSON and from TOML differed in the last bit (found by the TOML ↔ JSON law in
    /// tests/tests/laws.rs). The workspace enables serde_json's `float_roundtrip`.
    #[test]
    fn json_and_toml_read_the_same_bits() {
        let text = |v: &str| {
            format!(
                "[meta]\nname = \"x\"\n[[processes]]\nid = \"a\"\nrole = \"use\"\n[[flows]]\nfrom = \"a\"\nto = \"a\"\nmaterial = \"MF1\"\nvalue = {v}\n"
            )
        };
        for literal in ["158924.75567403313", "0.30000000000000004", "8.65"] {
            let source = text(literal);
            let toml = parse_model(
                SourceText {
                    name: "m.toml",
                    text: &source,
                },
                Format::Toml,
            )
            .expect("valid");
            let json = to_json(&toml);
            let back = parse_model(
                SourceText {
                    name: "m.json",
                    text: &json,
                },
                Format::Json,
            )
            .expect("valid");
            let expected: f64 = literal.parse().expect("a float literal");
            assert_eq!(
                toml.flows[0].value.map(f64::to_bits),
                Some(expected.to_bits())
            );
            assert_eq!(
                back.flows[0].value.map(f64::to_bits),
                Some(expected.to_bits()),
                "{literal}"
            );
        }
    }
}
