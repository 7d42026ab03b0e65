//! Small SVG charts for reports: masses by material group as stacked bars, shares as bars, and
//! indicator time series as lines. Same conventions as [`crate::sankey`]: pure, deterministic,
//! one decimal per coordinate, `role="img"` with a title and a description, the Okabe–Ito
//! colours of [`group_colour`], and text near-black on white.

use std::fmt::Write as _;

use crate::model::MaterialGroup;
use crate::report::{ByGroup, Report, format_mass, format_value};
use crate::sankey::{escape, group_colour};
use crate::unit::Unit;

const INK: &str = "#1a1a1a";
const MUTED: &str = "#595959";
const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
/// Average character advance at 12 px, to reserve room for labels.
const CHAR: f64 = 7.2;

/// One stacked bar: a label, and the mass of each group in tonnes; `None` when the line is not
/// split by group (it is then drawn as one grey segment of its total).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupBar {
    /// Label, such as "Domestic extraction (DE)".
    pub label: String,
    /// Tonnes per group in [`MaterialGroup::ALL`] order, or `None` when not split.
    pub by_group: Option<[f64; 5]>,
    /// Total in tonnes.
    pub total: f64,
}

/// The account lines of a report worth a bar: inputs, outputs and waste, known and positive.
/// Derived sums (DMI, PTB, TRT, U) and trade lines of zero would repeat or add nothing.
#[must_use]
pub fn account_bars(report: &Report) -> Vec<GroupBar> {
    const LINES: [&str; 14] = [
        "mfa.de",
        "mfa.imp",
        "mfa.exp",
        "mfa.dmc",
        "cycle.secondary_materials",
        "stock.net_additions",
        "output.emissions",
        "output.dissipative",
        "waste.generated",
        "waste.treated.recycling",
        "waste.treated.backfilling",
        "waste.treated.energy_recovery",
        "waste.treated.incineration",
        "waste.treated.landfill",
    ];
    LINES
        .iter()
        .filter_map(|id| report.accounts.iter().find(|a| a.id == *id))
        .filter_map(|a| {
            let total = a.total.filter(|t| *t > 0.0)?;
            let by_group = a.by_group.as_ref().and_then(split);
            Some(GroupBar {
                label: a.name.to_owned(),
                by_group,
                total,
            })
        })
        .collect()
}

fn split(g: &ByGroup) -> Option<[f64; 5]> {
    let v = [g.mf1?, g.mf2?, g.mf3?, g.mf4?, g.mixed.unwrap_or(0.0)];
    v.iter().all(|x| *x >= 0.0).then_some(v)
}

/// Stacked horizontal bars of masses by material group, in the display unit, with a legend.
#[must_use]
pub fn group_bars_svg(bars: &[GroupBar], unit: Unit, title: &str, id: &str) -> String {
    let label_w = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0) as f64
        * CHAR
        + 12.0;
    let plot_w = 460.0;
    let row = 26.0;
    let bar_h = 16.0;
    let top = 34.0;
    let max = bars.iter().map(|b| b.total).fold(0.0, f64::max);
    let scale = if max > 0.0 { plot_w / max } else { 0.0 };
    let present: Vec<MaterialGroup> = MaterialGroup::ALL
        .into_iter()
        .filter(|g| {
            bars.iter().any(|b| match b.by_group {
                Some(v) => v[g.index()] > 0.0,
                None => *g == MaterialGroup::Mixed,
            })
        })
        .collect();
    let legend_y = top + row * bars.len() as f64 + 14.0;
    let width = (16.0 + label_w + plot_w + 90.0).max(600.0);
    let height = legend_y + 24.0 * legend_rows(&present, width) + 8.0;
    let mut out = open_svg(width, height, id, title, &bars_description(bars, unit));
    let _ = writeln!(
        out,
        r#"<text x="16" y="20" font-weight="bold" fill="{INK}">{}</text>"#,
        escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{INK}">{}</text>"#,
            n(16.0 + label_w - 8.0),
            n(y + bar_h - 3.0),
            escape(&b.label)
        );
        let mut x = 16.0 + label_w;
        let segments: Vec<(MaterialGroup, f64)> = match b.by_group {
            Some(v) => MaterialGroup::ALL
                .into_iter()
                .map(|g| (g, v[g.index()]))
                .filter(|(_, m)| *m > 0.0)
                .collect(),
            None => vec![(MaterialGroup::Mixed, b.total)],
        };
        for (g, m) in segments {
            let w = m * scale;
            let what = if b.by_group.is_some() {
                g.name()
            } else {
                "not split by material group"
            };
            let _ = writeln!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {what}, {} {unit}</title></rect>"#,
                n(x),
                n(y),
                n(w),
                n(bar_h),
                group_colour(g),
                escape(&b.label),
                format_mass(m, unit)
            );
            x += w;
        }
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" fill="{INK}">{} {unit}</text>"#,
            n(x + 6.0),
            n(y + bar_h - 3.0),
            format_mass(b.total, unit)
        );
    }
    legend(
        &mut out,
        &present,
        bars.iter().any(|b| b.by_group.is_none()),
        legend_y,
        width,
    );
    out.push_str("</svg>\n");
    out
}

fn legend_rows(groups: &[MaterialGroup], width: f64) -> f64 {
    let mut rows = 1.0;
    let mut x = 16.0;
    for g in groups {
        let w = 24.0 + legend_text(*g, false).chars().count() as f64 * CHAR + 16.0;
        if x + w > width - 16.0 && x > 16.0 {
            rows += 1.0;
            x = 16.0;
        }
        x += w;
    }
    rows
}

fn legend_text(g: MaterialGroup, unsplit: bool) -> String {
    if g == MaterialGroup::Mixed && unsplit {
        "Mixed or not split by group".to_owned()
    } else {
        format!("{} ({})", g.name(), g.code())
    }
}

fn legend(out: &mut String, groups: &[MaterialGroup], unsplit: bool, y: f64, width: f64) {
    let mut x = 16.0;
    let mut y = y;
    for g in groups {
        let text = legend_text(*g, unsplit);
        let w = 24.0 + text.chars().count() as f64 * CHAR + 16.0;
        if x + w > width - 16.0 && x > 16.0 {
            x = 16.0;
            y += 24.0;
        }
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" fill="{INK}">{}</text>"#,
            n(x),
            n(y),
            group_colour(*g),
            n(x + 18.0),
            n(y + 10.5),
            escape(&text)
        );
        x += w;
    }
}

fn bars_description(bars: &[GroupBar], unit: Unit) -> String {
    let parts: Vec<String> = bars
        .iter()
        .map(|b| format!("{} {} {unit}", b.label, format_mass(b.total, unit)))
        .collect();
    format!(
        "Bar chart, one bar per account line, split by material group: {}.",
        parts.join("; ")
    )
}

/// Horizontal bars of shares (fractions, drawn as percentages), each with its value; `None`
/// values are listed as not computable.
#[must_use]
pub fn share_bars_svg(
    items: &[(String, Option<f64>, MaterialGroup)],
    title: &str,
    id: &str,
) -> String {
    let label_w = items.iter().map(|i| i.0.chars().count()).max().unwrap_or(0) as f64 * CHAR + 12.0;
    let plot_w = 360.0;
    let row = 26.0;
    let top = 34.0;
    let max = items
        .iter()
        .filter_map(|i| i.1)
        .fold(0.0, f64::max)
        .max(0.01);
    // A round upper bound: the next multiple of 10 % (or of 1 % below 10 %).
    let step = if max > 0.1 { 0.1 } else { 0.01 };
    let upper = ((max / step).ceil() * step).min(1.0);
    let width = 16.0 + label_w + plot_w + 120.0;
    let height = top + row * items.len() as f64 + 10.0;
    let desc: Vec<String> = items
        .iter()
        .map(|(l, v, _)| {
            format!(
                "{l} {}",
                v.map_or_else(
                    || "not computable".to_owned(),
                    |v| format_value(v, "fraction")
                )
            )
        })
        .collect();
    let mut out = open_svg(
        width,
        height,
        id,
        title,
        &format!("Bar chart: {}.", desc.join("; ")),
    );
    let _ = writeln!(
        out,
        r#"<text x="16" y="20" font-weight="bold" fill="{INK}">{}</text>"#,
        escape(title)
    );
    for (i, (label, value, group)) in items.iter().enumerate() {
        let y = top + row * i as f64;
        let x0 = 16.0 + label_w;
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{INK}">{}</text>"#,
            n(x0 - 8.0),
            n(y + 13.0),
            escape(label)
        );
        match value {
            Some(v) => {
                let w = (v.max(0.0) / upper) * plot_w;
                let _ = writeln!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="16" fill="{}"/><text x="{}" y="{}" fill="{INK}">{}</text>"#,
                    n(x0),
                    n(y),
                    n(w),
                    group_colour(*group),
                    n(x0 + w + 6.0),
                    n(y + 13.0),
                    format_value(*v, "fraction")
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    r#"<text x="{}" y="{}" fill="{MUTED}" font-style="italic">not computable</text>"#,
                    n(x0),
                    n(y + 13.0)
                );
            }
        }
    }
    out.push_str("</svg>\n");
    out
}

/// One year of a time series: the year and the values of the indicators drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    /// Reference year.
    pub year: i32,
    /// Values (fractions) in the order of the series names; `None` when not computable.
    pub values: Vec<Option<f64>>,
}

/// Lines of shares over the years, one per series, with each point's value printed.
#[must_use]
pub fn series_svg(names: &[&str], points: &[SeriesPoint], title: &str, id: &str) -> String {
    let (left, top, plot_w, plot_h) = (64.0, 40.0, 520.0, 220.0);
    let width = left + plot_w + 200.0;
    let height = top + plot_h + 44.0;
    let first = points.first().map_or(0, |p| p.year);
    let last = points.last().map_or(first + 1, |p| p.year).max(first + 1);
    let max = points
        .iter()
        .flat_map(|p| p.values.iter().flatten())
        .fold(0.0, |a: f64, b| a.max(*b))
        .max(0.01);
    let step = if max > 0.1 { 0.1 } else { 0.01 };
    let upper = ((max / step).ceil() * step).min(1.0);
    let x = |year: i32| left + (year - first) as f64 / (last - first) as f64 * plot_w;
    let y = |v: f64| top + plot_h - v / upper * plot_h;
    let desc: Vec<String> = points
        .iter()
        .map(|p| {
            let vals: Vec<String> = names
                .iter()
                .zip(&p.values)
                .map(|(name, v)| {
                    format!(
                        "{name} {}",
                        v.map_or_else(
                            || "not computable".to_owned(),
                            |v| format_value(v, "fraction")
                        )
                    )
                })
                .collect();
            format!("{}: {}", p.year, vals.join(", "))
        })
        .collect();
    let mut out = open_svg(
        width,
        height,
        id,
        title,
        &format!("Line chart. {}.", desc.join("; ")),
    );
    let _ = writeln!(
        out,
        r#"<text x="16" y="20" font-weight="bold" fill="{INK}">{}</text>"#,
        escape(title)
    );
    // Axes: five gridlines with percentages, and each year of the series.
    for k in 0..=4 {
        let v = upper * f64::from(k) / 4.0;
        let _ = writeln!(
            out,
            r##"<line x1="{l}" x2="{r}" y1="{yy}" y2="{yy}" stroke="#d0d0d0"/><text x="{tx}" y="{ty}" text-anchor="end" fill="{MUTED}">{}</text>"##,
            format_value(v, "fraction"),
            l = n(left),
            r = n(left + plot_w),
            yy = n(y(v)),
            tx = n(left - 6.0),
            ty = n(y(v) + 4.0)
        );
    }
    for p in points {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            n(x(p.year)),
            n(top + plot_h + 20.0),
            p.year
        );
    }
    let colours = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"];
    for (s, name) in names.iter().enumerate() {
        let colour = colours[s % colours.len()];
        let pts: Vec<(f64, f64, f64)> = points
            .iter()
            .filter_map(|p| {
                p.values
                    .get(s)
                    .copied()
                    .flatten()
                    .map(|v| (x(p.year), y(v), v))
            })
            .collect();
        if pts.is_empty() {
            continue;
        }
        let d: Vec<String> = pts
            .iter()
            .enumerate()
            .map(|(i, (px, py, _))| {
                format!("{}{} {}", if i == 0 { "M" } else { "L" }, n(*px), n(*py))
            })
            .collect();
        let _ = writeln!(
            out,
            r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="2.5"/>"#,
            d.join("")
        );
        for (px, py, v) in &pts {
            let _ = writeln!(
                out,
                r##"<circle cx="{}" cy="{}" r="4" fill="{colour}"/><text x="{}" y="{}" text-anchor="middle" fill="{INK}" stroke="#fff" stroke-width="3" paint-order="stroke">{}</text>"##,
                n(*px),
                n(*py),
                n(*px),
                n(py - 9.0),
                format_value(*v, "fraction")
            );
        }
        let (lx, ly, _) = pts[pts.len() - 1];
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" fill="{colour}" font-weight="bold">{}</text>"#,
            n(lx + 12.0),
            n(ly + 4.0 + 16.0 * s as f64),
            escape(name)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// One bar of a tornado chart: a parameter and the indicator with it lowered and raised.
#[derive(Debug, Clone, PartialEq)]
pub struct TornadoBar {
    /// The parameter.
    pub label: String,
    /// The indicator with the parameter lowered; `None` when not computable.
    pub low: Option<f64>,
    /// The indicator with the parameter raised.
    pub high: Option<f64>,
}

/// A tornado chart: one horizontal bar per parameter (in the order given, the largest swing
/// first), from the baseline to the value with the parameter lowered (blue) and raised
/// (orange), around a vertical line at the baseline; values printed at the ends.
#[must_use]
pub fn tornado_svg(
    bars: &[TornadoBar],
    baseline: Option<f64>,
    unit: &str,
    title: &str,
    low_label: &str,
    high_label: &str,
) -> String {
    const LOW: &str = "#0072B2";
    const HIGH: &str = "#E69F00";
    let label_w = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(48) as f64
        * CHAR
        + 12.0;
    let (plot_w, row, top) = (420.0, 24.0, 56.0);
    let width = 16.0 + label_w + plot_w + 90.0;
    let height = top + row * bars.len().max(1) as f64 + 40.0;
    let base = baseline.unwrap_or(0.0);
    let values = bars
        .iter()
        .flat_map(|b| [b.low, b.high])
        .flatten()
        .chain([base]);
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        lo = base - 1e-9_f64.max(base.abs() * 0.01);
        hi = base + 1e-9_f64.max(base.abs() * 0.01);
    }
    let pad = (hi - lo) * 0.05;
    let (lo, hi) = (lo - pad, hi + pad);
    let x0 = 16.0 + label_w;
    let x = |v: f64| x0 + (v - lo) / (hi - lo) * plot_w;
    let show = |v: f64| format_value(v, unit);
    let desc: Vec<String> = bars
        .iter()
        .map(|b| {
            let f = |v: Option<f64>| v.map_or_else(|| "not computable".to_owned(), show);
            format!(
                "{}: {low_label} {}, {high_label} {}",
                b.label,
                f(b.low),
                f(b.high)
            )
        })
        .collect();
    let mut out = open_svg(
        width,
        height,
        "tornado",
        title,
        &format!(
            "Tornado chart around the baseline {}: {}.",
            baseline.map_or_else(|| "not computable".to_owned(), show),
            desc.join("; ")
        ),
    );
    let _ = writeln!(
        out,
        r#"<text x="16" y="20" font-weight="bold" fill="{INK}">{}</text>"#,
        escape(title)
    );
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="30" width="12" height="12" fill="{LOW}"/><text x="{}" y="40" fill="{INK}">{}</text><rect x="{}" y="30" width="12" height="12" fill="{HIGH}"/><text x="{}" y="40" fill="{INK}">{}</text>"#,
        n(x0),
        n(x0 + 16.0),
        escape(low_label),
        n(x0 + 100.0),
        n(x0 + 116.0),
        escape(high_label)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let label: String = b.label.chars().take(48).collect();
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="end" fill="{INK}">{}</text>"#,
            n(x0 - 8.0),
            n(y + 13.0),
            escape(&label)
        );
        for (v, colour) in [(b.low, LOW), (b.high, HIGH)] {
            match v {
                Some(v) => {
                    let (a, c) = (x(base.min(v)), x(base.max(v)));
                    let _ = writeln!(
                        out,
                        r#"<rect x="{}" y="{}" width="{}" height="16" fill="{colour}"/>"#,
                        n(a),
                        n(y),
                        n((c - a).max(0.5))
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        r#"<text x="{}" y="{}" fill="{MUTED}" font-style="italic">not computable</text>"#,
                        n(x0 + plot_w + 6.0),
                        n(y + 13.0)
                    );
                }
            }
        }
    }
    let bottom = top + row * bars.len().max(1) as f64;
    if let Some(bv) = baseline {
        let _ = writeln!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-width="1"/><text x="{}" y="{}" text-anchor="middle" fill="{INK}">baseline {}</text>"#,
            n(x(bv)),
            n(top - 4.0),
            n(x(bv)),
            n(bottom),
            n(x(bv)),
            n(bottom + 16.0),
            escape(&show(bv))
        );
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" fill="{MUTED}">{}</text><text x="{}" y="{}" text-anchor="end" fill="{MUTED}">{}</text>"#,
        n(x0),
        n(bottom + 32.0),
        escape(&show(lo)),
        n(x0 + plot_w),
        n(bottom + 32.0),
        escape(&show(hi))
    );
    out.push_str("</svg>\n");
    out
}

fn open_svg(width: f64, height: f64, id: &str, title: &str, desc: &str) -> String {
    let id = escape(id);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}" font-size="12">"#,
        w = n(width.ceil()),
        h = n(height.ceil())
    );
    let _ = writeln!(out, r#"<title id="{id}-title">{}</title>"#, escape(title));
    let _ = writeln!(out, r#"<desc id="{id}-desc">{}</desc>"#, escape(desc));
    let _ = writeln!(
        out,
        r##"<rect width="{}" height="{}" fill="#fff"/>"##,
        n(width.ceil()),
        n(height.ceil())
    );
    out
}

fn n(x: f64) -> String {
    crate::sankey::num(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::dataset;
    use crate::report::run;

    #[test]
    fn bars_of_the_default_data_set() {
        let model = dataset("cgr2020")
            .expect("embedded")
            .load()
            .expect("valid")
            .model;
        let report = run(&model);
        let bars = account_bars(&report);
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Domestic extraction (DE)",
                "Domestic material consumption (DMC)",
                "Secondary materials fed back (S)",
                "Net additions to stock (NAS)",
                "Emissions to air and water (EM)",
                "Dissipative use and losses (DU)",
                "Waste generated (GEN)",
                "Waste treated: recycling, R2–R11 (RCV_R)",
                "Waste treated: landfill and other disposal (DSP_L_OTH)",
            ]
        );
        // DE is split by group; secondary materials are not.
        assert!(bars[0].by_group.is_some());
        assert!(bars[2].by_group.is_none());
        let svg = group_bars_svg(&bars, Unit::Gigatonne, "Accounts by material group", "bars");
        assert_eq!(
            svg,
            group_bars_svg(&bars, Unit::Gigatonne, "Accounts by material group", "bars")
        );
        assert!(svg.contains("Mixed or not split by group"));
        assert!(svg.contains(r#"role="img" aria-labelledby="bars-title bars-desc""#));
    }

    #[test]
    fn series_and_shares_are_deterministic() {
        let points = [
            SeriesPoint {
                year: 2015,
                values: vec![Some(0.0906), None],
            },
            SeriesPoint {
                year: 2017,
                values: vec![Some(0.0859), Some(0.02)],
            },
        ];
        let svg = series_svg(&["Circularity Metric", "CMU"], &points, "Over time", "ts");
        assert!(svg.contains(">9.1 %<") && svg.contains(">8.6 %<"));
        assert!(svg.contains("2015: Circularity Metric 9.1 %, CMU not computable"));
        let shares = share_bars_svg(
            &[
                ("MF1".into(), Some(0.2), MaterialGroup::Biomass),
                ("MF2".into(), None, MaterialGroup::MetalOres),
            ],
            "By group",
            "sh",
        );
        assert!(shares.contains(">20.0 %<") && shares.contains("not computable"));
    }
}
