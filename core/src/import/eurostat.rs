//! Eurostat's two download layouts: the tab-separated bulk file (one time series per line) and
//! SDMX-CSV (one observation per line), each read into a [`Table`].
//!
//! References: Eurostat, *API - FAQ - TSV data format* (<https://wikis.ec.europa.eu/x/c4eBBg>):
//! the first header cell lists the key dimensions, comma-separated, then a backslash and the time
//! dimension (`freq,unit,geo\TIME_PERIOD`); each further cell is a period; data cells hold the
//! value, a space and the flags (`20734.273 s`, `: ` for missing, `: c` for confidential). SDMX-CSV
//! 1.0 (Eurostat's API: `DATAFLOW,LAST UPDATE,freq,…,TIME_PERIOD,OBS_VALUE,OBS_FLAG`) and 2.0
//! (`STRUCTURE,STRUCTURE_ID,ACTION,…`), SDMX Technical Working Group, *SDMX-CSV format*.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    Filter, Layout, Point, Series, Table, at, check_flags, dataset_from_name, parse_value,
};
use crate::diagnostic::Diagnostic;
use crate::format::{SourceText, line_col};

/// Parses a Eurostat bulk TSV file. Every malformed cell is reported with its line and column;
/// the lines that could be read are kept (those the filter selects).
#[must_use]
pub fn parse_eurostat_tsv(src: SourceText<'_>, filter: &Filter<'_>) -> (Table, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut table = Table {
        name: src.name.to_owned(),
        layout: Layout::EurostatTsv,
        dataset: dataset_from_name(src.name),
        last_update: None,
        dimensions: Vec::new(),
        series: Vec::new(),
    };
    let text = src.text.strip_prefix('\u{feff}').unwrap_or(src.text);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let header = lines.next().unwrap_or("");
    let cells: Vec<&str> = header.split('\t').collect();
    let Some((dims, time)) = cells[0].rsplit_once('\\') else {
        diags.push(
            Diagnostic::error(
                at(src.name, 1, 1, None),
                format!(
                    "the first cell of the header, \"{}\", does not name the dimensions and the time dimension",
                    cells[0].trim()
                ),
            )
            .with_hint("a Eurostat TSV file begins with a cell such as `freq,indic_env,material,unit,geo\\TIME_PERIOD`, then the periods, tab-separated"),
        );
        return (table, diags);
    };
    let mut seen = BTreeSet::new();
    for dim in dims.split(',') {
        let dim = dim.trim().to_ascii_lowercase();
        if dim.is_empty() {
            diags.push(
                Diagnostic::error(
                    at(src.name, 1, 1, None),
                    "the header has an empty dimension name",
                )
                .with_hint(
                    "dimension names are separated by single commas: `freq,unit,geo\\TIME_PERIOD`",
                ),
            );
        } else if !seen.insert(dim.clone()) {
            diags.push(Diagnostic::error(
                at(src.name, 1, 1, None),
                format!("the header names the dimension \"{dim}\" twice"),
            ));
        }
        table.dimensions.push(dim);
    }
    if time.trim().is_empty() {
        diags.push(
            Diagnostic::error(
                at(src.name, 1, 1, None),
                "the header names no time dimension after the backslash",
            )
            .with_hint("end the first cell with `\\TIME_PERIOD`"),
        );
    }
    let periods: Vec<&str> = cells[1..].iter().map(|c| c.trim()).collect();
    if periods.is_empty() {
        diags.push(
            Diagnostic::error(at(src.name, 1, 2, None), "the header names no periods").with_hint(
                "after the first cell come the periods, one per tab-separated cell: 2021, 2022…",
            ),
        );
    }
    let mut seen_periods = BTreeSet::new();
    for (i, p) in periods.iter().enumerate() {
        let col = column(i + 2);
        if p.is_empty() {
            diags.push(Diagnostic::error(
                at(src.name, 1, col, None),
                format!("the header's cell {col} names no period"),
            ));
        } else if !seen_periods.insert(*p) {
            diags.push(Diagnostic::error(
                at(src.name, 1, col, Some(p)),
                format!("the period {p} appears twice in the header"),
            ));
        }
    }
    if !diags.is_empty() {
        return (table, diags);
    }
    let geo = table.dimension("geo");
    let keep_period: Vec<bool> = periods.iter().map(|p| filter.keeps_period(p)).collect();
    for (i, line) in lines.enumerate() {
        let n = u32::try_from(i + 2).unwrap_or(u32::MAX);
        if line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() != periods.len() + 1 {
            let col = column(cells.len().min(periods.len() + 1) + 1);
            diags.push(
                Diagnostic::error(
                    at(src.name, n, col, None),
                    format!(
                        "this line has {} cells where the header has {}",
                        cells.len(),
                        periods.len() + 1
                    ),
                )
                .with_hint("each line holds the series key, then one cell per period of the header, separated by tabs"),
            );
            continue;
        }
        let key: Vec<String> = cells[0].split(',').map(|c| c.trim().to_owned()).collect();
        if key.len() != table.dimensions.len() {
            diags.push(
                Diagnostic::error(
                    at(src.name, n, 1, None),
                    format!(
                        "the series key \"{}\" has {} codes where the header names {} dimensions ({})",
                        cells[0].trim(),
                        key.len(),
                        table.dimensions.len(),
                        table.dimensions.join(",")
                    ),
                )
                .with_hint("the first cell of a line gives one code per dimension, comma-separated"),
            );
            continue;
        }
        if let Some(empty) = key.iter().position(String::is_empty) {
            diags.push(Diagnostic::error(
                at(src.name, n, 1, None),
                format!(
                    "the series key \"{}\" has no code for the dimension \"{}\"",
                    cells[0].trim(),
                    table.dimensions[empty]
                ),
            ));
            continue;
        }
        let keep = filter.keeps_geo(geo.map(|g| key[g].as_str()), false);
        let mut points = Vec::new();
        for (j, cell) in cells[1..].iter().enumerate() {
            let col = column(j + 2);
            let trimmed = cell.trim();
            let (value_text, flags) = match trimmed.split_once(char::is_whitespace) {
                Some((v, f)) => (v, f.trim()),
                None => (trimmed, ""),
            };
            let loc = || at(src.name, n, col, Some(periods[j]));
            let Ok((value, decimals)) = parse_value(value_text) else {
                diags.push(
                    Diagnostic::error(loc(), format!("\"{trimmed}\" is not a number"))
                        .with_hint("Eurostat writes a value with a decimal point, then a space and its flags (`12.3 e`); `:` is a missing value"),
                );
                continue;
            };
            check_flags(flags, loc, &mut diags);
            if keep && keep_period[j] {
                points.push(Point {
                    period: periods[j].to_owned(),
                    value,
                    flags: flags.to_owned(),
                    decimals,
                    line: n,
                    column: col,
                });
            }
        }
        if keep && !points.is_empty() {
            table.series.push(Series { key, points });
        }
    }
    (table, diags)
}

/// Columns of SDMX-CSV that are not key dimensions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Dimension,
    Dataflow,
    Action,
    LastUpdate,
    Time,
    Value,
    Flag,
    Status,
    Other,
}

fn classify(header: &str) -> Column {
    match header.trim().to_ascii_uppercase().as_str() {
        "DATAFLOW" | "STRUCTURE_ID" => Column::Dataflow,
        "ACTION" => Column::Action,
        "LAST UPDATE" | "LAST_UPDATE" => Column::LastUpdate,
        "TIME_PERIOD" => Column::Time,
        "OBS_VALUE" => Column::Value,
        "OBS_FLAG" => Column::Flag,
        "OBS_STATUS" => Column::Status,
        "STRUCTURE" | "STRUCTURE_NAME" | "CONF_STATUS" | "UNIT_MULT" | "DECIMALS"
        | "OBS_COMMENT" | "COMMENT_OBS" | "OBS_CONF" => Column::Other,
        _ => Column::Dimension,
    }
}

/// Parses an SDMX-CSV file (version 1.0 or 2.0; comma- or semicolon-separated). Every malformed
/// cell is reported with its line and column; the rows that could be read are kept.
#[must_use]
pub fn parse_sdmx_csv(src: SourceText<'_>, filter: &Filter<'_>) -> (Table, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut table = Table {
        name: src.name.to_owned(),
        layout: Layout::SdmxCsv,
        dataset: None,
        last_update: None,
        dimensions: Vec::new(),
        series: Vec::new(),
    };
    let text = src.text.strip_prefix('\u{feff}').unwrap_or(src.text);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => return (table, vec![csv_error(src.name, text, &e)]),
    };
    let kinds: Vec<Column> = headers.iter().map(|h| classify(h)).collect();
    let find = |k: Column| kinds.iter().position(|c| *c == k);
    let first_header = headers
        .first()
        .map(|h| h.trim().to_ascii_uppercase())
        .unwrap_or_default();
    if first_header != "DATAFLOW" && first_header != "STRUCTURE" {
        diags.push(
            Diagnostic::error(
                at(src.name, 1, 1, None),
                format!(
                    "\"{}\" is not the first column of SDMX-CSV",
                    headers.first().map_or("", |h| h.trim())
                ),
            )
            .with_hint("SDMX-CSV 1.0 begins with the column DATAFLOW, version 2.0 with STRUCTURE"),
        );
    }
    let (time, value) = (find(Column::Time), find(Column::Value));
    for (col, name) in [(time, "TIME_PERIOD"), (value, "OBS_VALUE")] {
        if col.is_none() {
            diags.push(
                Diagnostic::error(
                    at(src.name, 1, 1, None),
                    format!("the header has no column {name}"),
                )
                .with_hint("SDMX-CSV names the period TIME_PERIOD and the value OBS_VALUE"),
            );
        }
    }
    let (Some(time), Some(value)) = (time, value) else {
        return (table, diags);
    };
    if !diags.is_empty() {
        return (table, diags);
    }
    let dims: Vec<usize> = (0..kinds.len())
        .filter(|i| kinds[*i] == Column::Dimension)
        .collect();
    table.dimensions = dims
        .iter()
        .map(|i| headers[*i].trim().to_ascii_lowercase())
        .collect();
    let geo = table.dimension("geo");
    let (dataflow, action, last_update) = (
        find(Column::Dataflow),
        find(Column::Action),
        find(Column::LastUpdate),
    );
    let (flag, status) = (find(Column::Flag), find(Column::Status));
    let mut index: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                diags.push(csv_error(src.name, text, &e));
                continue;
            }
        };
        let n = record_line(text, &record);
        let cell = |i: usize| record.get(i).unwrap_or("").trim();
        if action.is_some_and(|a| cell(a).eq_ignore_ascii_case("D")) {
            continue;
        }
        let mut key = Vec::with_capacity(dims.len());
        let mut bad = false;
        for &d in &dims {
            // Labels written beside codes (`A: Annual`) are dropped: circ matches codes.
            let code = cell(d).split(':').next().unwrap_or("").trim();
            if code.is_empty() {
                diags.push(Diagnostic::error(
                    at(src.name, n, column(d + 1), Some(headers[d].trim())),
                    format!("the dimension \"{}\" has no code", headers[d].trim()),
                ));
                bad = true;
            }
            key.push(code.to_owned());
        }
        let period = cell(time);
        if period.is_empty() {
            diags.push(Diagnostic::error(
                at(src.name, n, column(time + 1), Some("TIME_PERIOD")),
                "the period is empty",
            ));
            bad = true;
        }
        let raw = cell(value);
        let vloc = || at(src.name, n, column(value + 1), Some("OBS_VALUE"));
        let parsed = if raw.eq_ignore_ascii_case("nan") {
            Ok((None, 0))
        } else {
            parse_value(raw)
        };
        let Ok((v, decimals)) = parsed else {
            diags.push(
                Diagnostic::error(vloc(), format!("\"{raw}\" is not a number"))
                    .with_hint("OBS_VALUE holds a number with a decimal point; leave it empty for a missing value"),
            );
            continue;
        };
        let flags = match (flag.map(cell), status.map(cell)) {
            (Some(f), _) if !f.is_empty() => f.to_owned(),
            // SDMX's OBS_STATUS: A (normal) is no flag; other codes are Eurostat's letters.
            (_, Some(s)) if !s.is_empty() && !s.eq_ignore_ascii_case("A") => s.to_ascii_lowercase(),
            _ => String::new(),
        };
        let floc = || {
            let c = flag.or(status).unwrap_or(value);
            at(src.name, n, column(c + 1), Some(headers[c].trim()))
        };
        check_flags(&flags, floc, &mut diags);
        if bad {
            continue;
        }
        if table.dataset.is_none()
            && let Some(d) = dataflow
        {
            table.dataset = dataflow_code(cell(d));
        }
        if table.last_update.is_none()
            && let Some(l) = last_update.map(cell).filter(|l| !l.is_empty())
        {
            table.last_update = Some(l.to_owned());
        }
        if !filter.keeps_geo(geo.map(|g| key[g].as_str()), false) || !filter.keeps_period(period) {
            continue;
        }
        let point = Point {
            period: period.to_owned(),
            value: v,
            flags,
            decimals,
            line: n,
            column: column(value + 1),
        };
        match index.get(&key) {
            Some(&i) => table.series[i].points.push(point),
            None => {
                index.insert(key.clone(), table.series.len());
                table.series.push(Series {
                    key,
                    points: vec![point],
                });
            }
        }
    }
    if table.dataset.is_none() {
        table.dataset = dataset_from_name(src.name);
    }
    (table, diags)
}

/// `ESTAT:ENV_AC_MFA(1.0)` → `env_ac_mfa`.
fn dataflow_code(text: &str) -> Option<String> {
    let id = text.rsplit(':').next()?.split('(').next()?.trim();
    let code = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    code.then(|| id.to_ascii_lowercase())
}

/// Converts a 0-based cell count to a 1-based column number.
fn column(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The line a CSV record starts on. The csv reader's line count skips blank lines and its byte
/// offset points before them, so step over line breaks from that offset and count in the text.
pub(crate) fn record_line(text: &str, record: &csv::StringRecord) -> u32 {
    record.position().map_or(0, |p| {
        let start = usize::try_from(p.byte())
            .unwrap_or(usize::MAX)
            .min(text.len());
        let skip = text.as_bytes()[start..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        line_col(text, start + skip).0
    })
}

/// A diagnostic for an error of the CSV reader itself: ragged rows, bad UTF-8.
pub(crate) fn csv_error(name: &str, text: &str, e: &csv::Error) -> Diagnostic {
    let (line, col) = e.position().map_or((1, 1), |pos| {
        line_col(text, usize::try_from(pos.byte()).unwrap_or(usize::MAX))
    });
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} cells where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8".to_owned(),
        _ => e.to_string(),
    };
    Diagnostic::error(at(name, line, col, None), message).with_hint(
        "save the file as CSV (UTF-8, one header row), as the publisher's download gives it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src<'a>(name: &'a str, text: &'a str) -> SourceText<'a> {
        SourceText { name, text }
    }

    /// The layout of the real bulk file (the header of the reference extract
    /// `eurostat_env_ac_mfa_DMC_MF4_ths_t_2014_2023.csv`, values from it).
    const TSV: &str = "freq,indic_env,material,unit,geo\\TIME_PERIOD\t2021 \t2022 \t2023 \nA,DMC,MF4,THS_T,AL\t1713.167 \t: \t: \nA,DMC,MF4,THS_T,CZ\t50794.709 \t54196.148 \t47756.335 s\nA,DMC,MF4,THS_T,EU27_2020\t1159683.85 \t1235521.056 \t1065636.647 s\n";

    #[test]
    fn tsv_reads_dimensions_values_flags_and_missing() {
        let (t, d) = parse_eurostat_tsv(src("env_ac_mfa.tsv", TSV), &Filter::default());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t.dataset.as_deref(), Some("env_ac_mfa"));
        assert_eq!(
            t.dimensions,
            ["freq", "indic_env", "material", "unit", "geo"]
        );
        assert_eq!(t.series.len(), 3);
        let al = &t.series[0];
        assert_eq!(al.points[1].value, None);
        let cz = &t.series[1];
        assert_eq!(cz.key, ["A", "DMC", "MF4", "THS_T", "CZ"]);
        assert_eq!(cz.points[1].value, Some(54196.148));
        assert_eq!(cz.points[1].decimals, 3);
        assert_eq!(cz.points[2].flags, "s");
        assert_eq!((cz.points[2].line, cz.points[2].column), (3, 4));
    }

    #[test]
    fn tsv_filter_keeps_one_geography_and_period() {
        let filter = Filter {
            geo: Some("CZ"),
            period: Some("2022"),
        };
        let (t, d) = parse_eurostat_tsv(src("x.tsv", TSV), &filter);
        assert!(d.is_empty());
        assert_eq!(t.series.len(), 1);
        assert_eq!(t.series[0].points.len(), 1);
        assert_eq!(t.series[0].points[0].period, "2022");
    }

    #[test]
    fn tsv_reports_malformed_cells_with_line_and_column() {
        let text = "freq,unit,geo\\TIME_PERIOD\t2021 \t2022 \nA,T,CZ\t12,5 \t3 e\nA,T\t1 \t2 \nA,T,PL\t1 \nA,T,SK\t1 x!\t2 q\n";
        let (t, d) = parse_eurostat_tsv(src("w.tsv", text), &Filter::default());
        let text: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert!(
            text[0].starts_with("w.tsv:2:2: error: 2021: \"12,5\" is not a number"),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("w.tsv:3:1: error: the series key \"A,T\" has 2 codes"),
            "{text:?}"
        );
        assert!(
            text[2].starts_with("w.tsv:4:3: error: this line has 2 cells where the header has 3"),
            "{text:?}"
        );
        assert!(
            text[3].starts_with("w.tsv:5:2: error: 2021: flag \"x!\""),
            "{text:?}"
        );
        assert!(
            text[4].starts_with("w.tsv:5:3: warning: 2022: unknown flag 'q'"),
            "{text:?}"
        );
        // The good cells of line 2 and line 5 are kept.
        assert_eq!(t.series.len(), 2);
        assert_eq!(t.series[0].points.len(), 1);
    }

    #[test]
    fn tsv_header_problems_are_reported() {
        let (_, d) = parse_eurostat_tsv(src("h.tsv", "freq,unit,geo\t2022\n"), &Filter::default());
        assert!(
            d[0].to_string()
                .starts_with("h.tsv:1:1: error: the first cell")
        );
        let (_, d) = parse_eurostat_tsv(
            src("h.tsv", "freq,,geo\\TIME_PERIOD\t2022\t2022\n"),
            &Filter::default(),
        );
        assert_eq!(d.len(), 2, "{d:?}");
        let (_, d) = parse_eurostat_tsv(src("h.tsv", ""), &Filter::default());
        assert_eq!(d.len(), 1);
    }

    const SDMX: &str = "DATAFLOW,LAST UPDATE,freq,wst_oper,waste,hazard,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\nESTAT:ENV_WASTRT(1.0),14/03/24 23:00:00,A,RCV_R,TOTAL,HAZ_NHAZ,T,CZ,2022,25000000,e,\nESTAT:ENV_WASTRT(1.0),14/03/24 23:00:00,A,RCV_B,TOTAL,HAZ_NHAZ,T,CZ,2022,,c,C\n\nESTAT:ENV_WASTRT(1.0),14/03/24 23:00:00,A,RCV_R,TOTAL,HAZ_NHAZ,T,CZ,2020,24000000,,\n";

    #[test]
    fn sdmx_reads_dataflow_release_flags_and_missing() {
        let (t, d) = parse_sdmx_csv(src("x.csv", SDMX), &Filter::default());
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t.dataset.as_deref(), Some("env_wastrt"));
        assert_eq!(t.last_update.as_deref(), Some("14/03/24 23:00:00"));
        assert_eq!(
            t.dimensions,
            ["freq", "wst_oper", "waste", "hazard", "unit", "geo"]
        );
        assert_eq!(t.series.len(), 2);
        assert_eq!(
            t.series[0].points.len(),
            2,
            "RCV_R 2022 and 2020 in one series"
        );
        assert_eq!(t.series[0].points[0].flags, "e");
        assert_eq!(t.series[1].points[0].value, None);
        assert_eq!(t.series[0].points[1].line, 5, "a blank line is counted");
    }

    #[test]
    fn sdmx_2_skips_deletions_and_reads_labels_beside_codes() {
        let text = "STRUCTURE,STRUCTURE_ID,ACTION,freq,unit,geo,TIME_PERIOD,OBS_VALUE\ndataflow,ESTAT:ENV_AC_CUR(1.0),I,A: Annual,PC: Percentage,CZ: Czechia,2022,11.9\ndataflow,ESTAT:ENV_AC_CUR(1.0),D,A,PC,CZ,2021,11.4\n";
        let filter = Filter {
            geo: Some("CZ"),
            period: None,
        };
        let (t, d) = parse_sdmx_csv(src("y.csv", text), &filter);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t.dataset.as_deref(), Some("env_ac_cur"));
        assert_eq!(t.series.len(), 1);
        assert_eq!(t.series[0].key, ["A", "PC", "CZ"]);
    }

    #[test]
    fn sdmx_reports_bad_values_and_ragged_rows() {
        let text = "DATAFLOW,freq,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\nESTAT:X(1.0),A,CZ,2022,1.5.2,\nESTAT:X(1.0),A,CZ\nESTAT:X(1.0),A,,2021,3,p\n";
        let (_, d) = parse_sdmx_csv(src("z.csv", text), &Filter::default());
        let text: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert!(
            text[0].starts_with("z.csv:2:5: error: OBS_VALUE: \"1.5.2\" is not a number"),
            "{text:?}"
        );
        assert!(
            text[1].starts_with("z.csv:3:1: error: this row has 3 cells where the header has 6"),
            "{text:?}"
        );
        assert!(
            text[2].starts_with("z.csv:4:3: error: geo: the dimension \"geo\" has no code"),
            "{text:?}"
        );
    }

    #[test]
    fn sdmx_needs_time_and_value_columns() {
        let (_, d) = parse_sdmx_csv(src("n.csv", "DATAFLOW,geo,OBS_VALUE\n"), &Filter::default());
        assert!(d[0].message.contains("TIME_PERIOD"), "{d:?}");
        let (_, d) = parse_sdmx_csv(
            src("n.csv", "geo,TIME_PERIOD,OBS_VALUE\n"),
            &Filter::default(),
        );
        assert!(d[0].message.contains("not the first column"), "{d:?}");
    }
}
