//! Official statistics in: Eurostat bulk TSV, SDMX-CSV and the UN IRP Global Material Flows
//! Database CSV, read into [`Table`]s and built into an accounts-level [`RawModel`](crate::format::RawModel).
//!
//! This sits before the pipeline of the crate documentation: the front end hands each file's text
//! to [`read_table`] (which tells the layout from the text itself), then the tables to
//! [`build_model`], which returns a model document for [`crate::validate()`] like any other, plus
//! warnings that say what the files leave missing.
//!
//! The parsers are pure and never panic: malformed input comes back as [`Diagnostic`]s naming the
//! file, the line and the column (the spreadsheet column: the n-th cell of the line), the rows
//! that could be read beside them. A [`Filter`] keeps only one geography and period while still
//! checking every line, so that a whole Eurostat bulk file can be read in little memory.
//!
//! Conventions, in `docs/data.md` at length:
//! - `:` is a missing value (Eurostat), as is an empty cell (SDMX-CSV, UN IRP): no flow is
//!   written for it, so the accounts report the line as missing, never as zero.
//! - Flags (`e` estimated, `p` provisional, `s` Eurostat estimate, …) are kept with each value and
//!   written into the note of the flow they make up.
//! - Dimension order is read from each file's header, never assumed.

mod build;
mod eurostat;
mod irp;

use std::fmt;

use crate::diagnostic::{Diagnostic, Location, PathSegment};
use crate::format::SourceText;

pub use build::{ImportOptions, Imported, Published, build_model, compare_published};
pub use eurostat::{parse_eurostat_tsv, parse_sdmx_csv};
pub use irp::parse_irp_csv;

/// The layout a table was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Eurostat's tab-separated bulk format: one time series per line, a header such as
    /// `freq,indic_env,material,unit,geo\TIME_PERIOD`, values with flags (`12.3 e`), `:` missing.
    EurostatTsv,
    /// SDMX-CSV, one observation per line: version 1.0 (`DATAFLOW,…`, as Eurostat's API writes it)
    /// or 2.0 (`STRUCTURE,STRUCTURE_ID,ACTION,…`), with `TIME_PERIOD`, `OBS_VALUE`, `OBS_FLAG`.
    SdmxCsv,
    /// The UN IRP Global Material Flows Database export: `Country,Category,Flow name,Flow
    /// code,Flow unit,1970,1971,…`, one column per year.
    IrpCsv,
}

impl fmt::Display for Layout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Layout::EurostatTsv => "Eurostat TSV",
            Layout::SdmxCsv => "SDMX-CSV",
            Layout::IrpCsv => "UN IRP CSV",
        })
    }
}

/// One observation: a value (or its absence) for one period, with its flags and its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The period as written: `2022`.
    pub period: String,
    /// The value in the series' unit; `None` where the file says it is missing.
    pub value: Option<f64>,
    /// Flags as written, such as `e` or `bp`; empty when there are none.
    pub flags: String,
    /// Decimal places of the value as written (to round derived figures the same way).
    pub decimals: u8,
    /// Line in the file, from 1.
    pub line: u32,
    /// Column (cell number) in the line, from 1.
    pub column: u32,
}

/// A time series: the codes of its key dimensions and its observations.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// One code per dimension of [`Table::dimensions`], in that order.
    pub key: Vec<String>,
    /// Its observations, in file order.
    pub points: Vec<Point>,
}

/// A table of statistics as read from one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The file name, as the front end gave it.
    pub name: String,
    /// The layout it was read from.
    pub layout: Layout,
    /// The dataset code in lower case (`env_ac_mfa`), from the file's `DATAFLOW` column or its name.
    pub dataset: Option<String>,
    /// The release date the file states (SDMX-CSV `LAST UPDATE`), if any.
    pub last_update: Option<String>,
    /// Names of the key dimensions in lower case, in the file's order (`freq`, `unit`, `geo`…).
    pub dimensions: Vec<String>,
    /// The series kept by the [`Filter`].
    pub series: Vec<Series>,
}

impl Table {
    /// Position of a dimension, by lower-case name.
    #[must_use]
    pub fn dimension(&self, name: &str) -> Option<usize> {
        self.dimensions.iter().position(|d| d == name)
    }

    /// The number of observations kept.
    #[must_use]
    pub fn observations(&self) -> usize {
        self.series.iter().map(|s| s.points.len()).sum()
    }
}

/// Which observations to keep while reading. Every line is checked either way.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'a> {
    /// Keep series whose `geo` code (UN IRP: country name, case-insensitive) is this.
    pub geo: Option<&'a str>,
    /// Keep observations of this period.
    pub period: Option<&'a str>,
}

impl Filter<'_> {
    fn keeps_geo(&self, geo: Option<&str>, ignore_case: bool) -> bool {
        match (self.geo, geo) {
            (None, _) => true,
            (Some(want), Some(have)) if ignore_case => want.eq_ignore_ascii_case(have),
            (Some(want), Some(have)) => want == have,
            (Some(_), None) => true,
        }
    }

    fn keeps_period(&self, period: &str) -> bool {
        self.period.is_none_or(|p| p == period)
    }
}

/// The layout of a text, told from its first line: a Eurostat TSV header has a tab and a
/// backslash, SDMX-CSV begins with `DATAFLOW` or `STRUCTURE`, the UN IRP export names `Country`
/// and a flow column.
#[must_use]
pub fn sniff(text: &str) -> Option<Layout> {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    let upper = first.trim_start_matches('"').to_ascii_uppercase();
    if first.contains('\t') && first.split('\t').next().is_some_and(|c| c.contains('\\')) {
        Some(Layout::EurostatTsv)
    } else if upper.starts_with("DATAFLOW") || upper.starts_with("STRUCTURE") {
        Some(Layout::SdmxCsv)
    } else if upper.starts_with("COUNTRY") && upper.contains("FLOW") {
        Some(Layout::IrpCsv)
    } else {
        None
    }
}

/// Reads a file of official statistics in whatever layout its first line shows. The table is
/// `None` when the layout cannot be told, and the diagnostics then say so.
pub fn read_table(src: SourceText<'_>, filter: &Filter<'_>) -> (Option<Table>, Vec<Diagnostic>) {
    match sniff(src.text) {
        Some(Layout::EurostatTsv) => {
            let (t, d) = parse_eurostat_tsv(src, filter);
            (Some(t), d)
        }
        Some(Layout::SdmxCsv) => {
            let (t, d) = parse_sdmx_csv(src, filter);
            (Some(t), d)
        }
        Some(Layout::IrpCsv) => {
            let (t, d) = parse_irp_csv(src, filter);
            (Some(t), d)
        }
        None => (
            None,
            vec![
                Diagnostic::error(at(src.name, 1, 1, None), "not a file circ can import")
                    .with_hint(
                        "circ reads Eurostat bulk TSV (a first line such as `freq,unit,geo\\TIME_PERIOD` then years, tab-separated), SDMX-CSV (a first column DATAFLOW or STRUCTURE) and the UN IRP Global Material Flows Database CSV (columns Country,Category,Flow name,Flow code,Flow unit, then years)",
                    ),
            ],
        ),
    }
}

/// The known dataset code in a file name (`estat_env_ac_mfa.tsv.gz` → `env_ac_mfa`), if any.
#[must_use]
pub fn dataset_from_name(name: &str) -> Option<String> {
    let lower = name.to_ascii_lowercase();
    let file = lower.rsplit(['/', '\\']).next().unwrap_or(&lower);
    build::DATASETS
        .iter()
        .find(|d| file.contains(d.code))
        .map(|d| d.code.to_owned())
}

/// A location in a table file: line, column, and the column's header as key.
pub(crate) fn at(name: &str, line: u32, column: u32, header: Option<&str>) -> Location {
    let mut loc = Location::at(
        name,
        header.map_or_else(Vec::new, |h| vec![PathSegment::Key(h.to_owned())]),
    );
    loc.line = Some(line);
    loc.column = Some(column);
    loc
}

/// Parses a value cell of statistics: a decimal number, `:` or empty for missing. Returns the
/// value (or `None` for missing) and its decimal places, or `Err` for anything else.
pub(crate) fn parse_value(cell: &str) -> Result<(Option<f64>, u8), ()> {
    let cell = cell.trim();
    if cell.is_empty() || cell == ":" {
        return Ok((None, 0));
    }
    let value = crate::format::parse_number(cell).ok_or(())?;
    let decimals = cell.split_once('.').map_or(0, |(_, frac)| {
        frac.bytes().take_while(u8::is_ascii_digit).count()
    });
    Ok((Some(value), u8::try_from(decimals).unwrap_or(u8::MAX)))
}

/// Eurostat's observation flags and what they mean, as the dissemination database states them.
pub const FLAGS: [(char, &str); 12] = [
    ('b', "break in time series"),
    ('c', "confidential"),
    ('d', "definition differs"),
    ('e', "estimated"),
    ('f', "forecast"),
    ('i', "see metadata"),
    ('n', "not significant"),
    ('p', "provisional"),
    ('r', "revised"),
    ('s', "Eurostat estimate"),
    ('u', "low reliability"),
    ('z', "not applicable"),
];

/// What a flag letter means, if Eurostat defines it.
#[must_use]
pub fn flag_meaning(flag: char) -> Option<&'static str> {
    FLAGS.iter().find(|(c, _)| *c == flag).map(|(_, m)| *m)
}

/// Checks the letters of a flag cell: letters Eurostat does not define give a warning (the flag
/// is kept as written); anything but letters is an error.
pub(crate) fn check_flags(flags: &str, loc: impl Fn() -> Location, diags: &mut Vec<Diagnostic>) {
    if let Some(bad) = flags.chars().find(|c| !c.is_ascii_alphabetic()) {
        diags.push(
            Diagnostic::error(loc(), format!("flag \"{flags}\" has the character '{bad}'"))
                .with_hint("flags are letters such as e (estimated) or p (provisional), written after the value and a space"),
        );
    } else if let Some(unknown) = flags
        .chars()
        .find(|c| flag_meaning(c.to_ascii_lowercase()).is_none())
    {
        diags.push(
            Diagnostic::warning(loc(), format!("unknown flag '{unknown}' in \"{flags}\""))
                .with_hint(
                    "Eurostat's flags are b, c, d, e, f, i, n, p, r, s, u, z; it is kept as written",
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_is_told_from_the_first_line() {
        assert_eq!(
            sniff("freq,unit,geo\\TIME_PERIOD\t2022 \nA,T,CZ\t1 \n"),
            Some(Layout::EurostatTsv)
        );
        assert_eq!(
            sniff("\u{feff}DATAFLOW,LAST UPDATE,freq\n"),
            Some(Layout::SdmxCsv)
        );
        assert_eq!(
            sniff("STRUCTURE,STRUCTURE_ID,ACTION,freq\n"),
            Some(Layout::SdmxCsv)
        );
        assert_eq!(
            sniff("Country,Category,Flow name,Flow code,Flow unit,1970\n"),
            Some(Layout::IrpCsv)
        );
        assert_eq!(sniff("from,to,material,value\n"), None);
    }

    #[test]
    fn values_missing_and_malformed() {
        assert_eq!(parse_value("12.345"), Ok((Some(12.345), 3)));
        assert_eq!(parse_value(":"), Ok((None, 0)));
        assert_eq!(parse_value(""), Ok((None, 0)));
        assert_eq!(parse_value("-4"), Ok((Some(-4.0), 0)));
        assert!(parse_value("12,3").is_err());
        assert!(parse_value("nan").is_err());
        assert!(parse_value("1 000").is_err());
    }

    #[test]
    fn dataset_codes_come_from_file_names() {
        assert_eq!(
            dataset_from_name("downloads/estat_env_ac_mfa.tsv.gz").as_deref(),
            Some("env_ac_mfa")
        );
        assert_eq!(
            dataset_from_name("ENV_WASTRT.csv").as_deref(),
            Some("env_wastrt")
        );
        assert_eq!(dataset_from_name("data.tsv"), None);
    }
}
