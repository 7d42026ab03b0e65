//! The UN International Resource Panel's Global Material Flows Database, as its CSV export writes
//! it: `Country,Category,Flow name,Flow code,Flow unit,1970,1971,…`, one row per country, material
//! category and flow, one column per year, values in tonnes, empty cells for missing values.
//!
//! The rows become a [`Table`] with the dimensions `geo` (the country as written), `material`
//! (the category as written), `indic_env` (the flow code: DE, IMP, EXP, DMI, DMC, PTB) and `unit`,
//! so that the model builder treats them as it treats Eurostat's env_ac_mfa.
//!
//! Reference: UNEP IRP, Global Material Flows Database,
//! <https://www.resourcepanel.org/global-material-flows-database>; the export's columns as read by
//! other tools (e.g. USEPA flowsa, `UNEP_IRP_GMFD.py`).

use std::collections::BTreeMap;

use super::eurostat::{csv_error, record_line};
use super::{Filter, Layout, Point, Series, Table, at, parse_value};
use crate::diagnostic::Diagnostic;
use crate::format::SourceText;

/// Flow names of the export, for files that give no flow code.
const FLOW_NAMES: [(&str, &str); 6] = [
    ("domestic extraction", "DE"),
    ("imports", "IMP"),
    ("exports", "EXP"),
    ("direct material input", "DMI"),
    ("domestic material consumption", "DMC"),
    ("physical trade balance", "PTB"),
];

/// Parses a UN IRP Global Material Flows Database CSV. Rows are kept for the filter's country
/// (matched without regard to case, on the country name or an ISO alpha-3 column) and year.
#[must_use]
pub fn parse_irp_csv(src: SourceText<'_>, filter: &Filter<'_>) -> (Table, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut table = Table {
        name: src.name.to_owned(),
        layout: Layout::IrpCsv,
        dataset: Some("un_irp_gmfd".to_owned()),
        last_update: None,
        dimensions: ["geo", "material", "indic_env", "unit"]
            .map(str::to_owned)
            .to_vec(),
        series: Vec::new(),
    };
    let text = src.text.strip_prefix('\u{feff}').unwrap_or(src.text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => return (table, vec![csv_error(src.name, text, &e)]),
    };
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
    };
    let country = find(&["Country"]);
    let category = find(&["Category", "MFA13", "MFA4", "Material category"]);
    let code = find(&["Flow code"]);
    let name = find(&["Flow name", "Flow"]);
    let unit = find(&["Flow unit", "Unit"]);
    let iso = find(&["ISO Alpha-3 code", "ISOAlpha3", "ISO3", "ISO Code"]);
    let years: Vec<usize> = (0..headers.len())
        .filter(|i| {
            let h = headers[*i].trim();
            h.len() == 4 && h.bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    for (col, what) in [(country, "Country"), (category, "Category")] {
        if col.is_none() {
            diags.push(
                Diagnostic::error(at(src.name, 1, 1, None), format!("the header has no column {what}"))
                    .with_hint("the UN IRP export has the columns Country,Category,Flow name,Flow code,Flow unit, then one column per year"),
            );
        }
    }
    if code.is_none() && name.is_none() {
        diags.push(
            Diagnostic::error(
                at(src.name, 1, 1, None),
                "the header has no column Flow code or Flow name",
            )
            .with_hint("the flow says which account a row is: DE, IMP, EXP, DMI, DMC or PTB"),
        );
    }
    if years.is_empty() {
        diags.push(
            Diagnostic::error(at(src.name, 1, 1, None), "the header has no year columns")
                .with_hint(
                    "after the descriptive columns come the years, one column each: 1970, 1971…",
                ),
        );
    }
    let (Some(country), Some(category)) = (country, category) else {
        return (table, diags);
    };
    if !diags.is_empty() {
        return (table, diags);
    }
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
        let flow = match code.map(cell).filter(|c| !c.is_empty()) {
            Some(c) => c.to_ascii_uppercase(),
            None => {
                let written = name.map(cell).unwrap_or("");
                FLOW_NAMES
                    .iter()
                    .find(|(n, _)| written.eq_ignore_ascii_case(n))
                    .map_or_else(|| written.to_owned(), |(_, c)| (*c).to_owned())
            }
        };
        let key = vec![
            cell(country).to_owned(),
            cell(category).to_owned(),
            flow,
            unit.map(cell)
                .filter(|u| !u.is_empty())
                .unwrap_or("t")
                .to_owned(),
        ];
        if key[0].is_empty() || key[1].is_empty() || key[2].is_empty() {
            diags.push(
                Diagnostic::error(
                    at(src.name, n, 1, None),
                    "the row lacks its country, category or flow",
                )
                .with_hint("every row names Country, Category and Flow code (or Flow name)"),
            );
            continue;
        }
        let by_name = filter.keeps_geo(Some(&key[0]), true);
        let by_iso = iso.is_some_and(|i| filter.keeps_geo(Some(cell(i)), true));
        // Matched on the ISO code: file the series under that code, so that the model builder,
        // which matches the geography as the analyst wrote it, finds it.
        let mut key = key;
        if by_iso
            && !by_name
            && let Some(geo) = filter.geo
        {
            key[0] = geo.to_owned();
        }
        let keep = by_name || by_iso;
        let mut points = Vec::new();
        for &y in &years {
            let raw = cell(y);
            let col = u32::try_from(y + 1).unwrap_or(u32::MAX);
            let Ok((value, decimals)) = parse_value(raw) else {
                diags.push(
                    Diagnostic::error(at(src.name, n, col, Some(headers[y].trim())), format!("\"{raw}\" is not a number"))
                        .with_hint("write tonnes as a plain number with a decimal point; leave the cell empty when missing"),
                );
                continue;
            };
            let period = headers[y].trim();
            if keep && filter.keeps_period(period) {
                points.push(Point {
                    period: period.to_owned(),
                    value,
                    flags: String::new(),
                    decimals,
                    line: n,
                    column: col,
                });
            }
        }
        if points.is_empty() {
            continue;
        }
        match index.get(&key) {
            Some(&i) => table.series[i].points.extend(points),
            None => {
                index.insert(key.clone(), table.series.len());
                table.series.push(Series { key, points });
            }
        }
    }
    (table, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IRP: &str = "Country,Category,Flow name,Flow code,Flow unit,2018,2019\nUkraine,Crops,Domestic Extraction,DE,t,60000000,61000000.5\nUkraine,Coal,Imports,IMP,t,,20000000\n\"Ukraine\",\"Non-metallic minerals - construction dominant\",Exports,EXP,t,1.5e6,x\n";

    #[test]
    fn irp_reads_wide_years_and_missing_cells() {
        let filter = Filter {
            geo: Some("ukraine"),
            period: None,
        };
        let (t, d) = parse_irp_csv(
            SourceText {
                name: "irp.csv",
                text: IRP,
            },
            &filter,
        );
        let text: Vec<String> = d.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 1, "{text:?}");
        assert!(text[0].starts_with("irp.csv:4:7: error: 2019: \"x\" is not a number"));
        assert_eq!(t.series.len(), 3);
        assert_eq!(t.series[0].key, ["Ukraine", "Crops", "DE", "t"]);
        assert_eq!(t.series[0].points[1].value, Some(61_000_000.5));
        assert_eq!(t.series[1].points[0].value, None);
        assert_eq!(t.series[2].points[0].value, Some(1.5e6));
    }

    #[test]
    fn irp_flow_names_stand_in_for_codes() {
        let text =
            "Country,Category,Flow name,Flow unit,2020\nPoland,Biomass,Domestic extraction,t,5\n";
        let (t, d) = parse_irp_csv(
            SourceText {
                name: "n.csv",
                text,
            },
            &Filter::default(),
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(t.series[0].key[2], "DE");
    }

    #[test]
    fn irp_needs_its_columns() {
        let (_, d) = parse_irp_csv(
            SourceText {
                name: "b.csv",
                text: "Country,Flow code\nX,DE\n",
            },
            &Filter::default(),
        );
        assert_eq!(d.len(), 2, "{d:?}");
    }
}
