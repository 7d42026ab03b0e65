//! Publishable reports (`circ report`): one self-contained HTML page, or Markdown with its figures
//! as SVG files beside it, holding everything a reader needs to trust the numbers.
//!
//! Sections: headline figures; every indicator with formula, inputs or the reason it is not
//! computable; the Sankey diagram ([`crate::sankey`]); bars by material group and the time
//! series when there is one ([`crate::chart`]); the accounts; definitions and conventions; the
//! source of every data set; and, for reproducibility, the circ version and the SHA-256 of each
//! input file and of all of them together.
//!
//! Choices:
//! - **HTML is self-contained**: styles and figures are inline, there is no script at all, and a
//!   Content-Security-Policy forbids loading anything, so the page opens offline and cannot
//!   phone home. Links to sources are plain links.
//! - **Markdown keeps figures beside it** (`report.md` → `report-sankey.svg`…), referenced as
//!   images: GitHub, GitLab and most viewers show SVG files from relative paths, but not
//!   `data:` URIs, and diffs of the Markdown stay readable.
//! - **The inputs hash** is the SHA-256 of the manifest that `sha256sum` prints for the inputs
//!   (`<hex>  <name>\n` per file: the model first, then its flow tables in the order it names
//!   them), so `sha256sum model.toml tables/a.csv | sha256sum` reproduces it from the shell.

use std::fmt::Write as _;

use crate::chart::{self, SeriesPoint};
use crate::indicator::IndicatorValue;
use crate::model::{MaterialGroup, Model};
use crate::report::{Report, format_inputs, format_mass, format_value};
use crate::sankey::{self, escape};
use crate::sha256::sha256_hex;

/// An input file of a report: its name as the user gave it, and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputFile<'a> {
    /// The name, such as `data/cgr2020.toml`.
    pub name: &'a str,
    /// The text as read.
    pub text: &'a str,
}

/// Everything a published report shows.
#[derive(Debug, Clone, Copy)]
pub struct Publication<'a> {
    /// The model.
    pub model: &'a Model,
    /// Its computed report ([`crate::run`]).
    pub report: &'a Report,
    /// The input files: the model, then its flow tables.
    pub inputs: &'a [InputFile<'a>],
    /// Reports of the same system in other years, for the time series (the report itself is
    /// added; only reports with a year count).
    pub series: &'a [Report],
    /// The command that made the report, shown so that a reader can make it again.
    pub command: Option<&'a str>,
}

/// A figure of a Markdown report, to be written beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The file name, such as `report-sankey.svg`.
    pub file_name: String,
    /// The SVG text.
    pub svg: String,
}

/// The SHA-256 of each input (hex) and of all of them: see the module documentation.
#[must_use]
pub fn inputs_digest(inputs: &[InputFile<'_>]) -> (Vec<String>, String) {
    let each: Vec<String> = inputs
        .iter()
        .map(|i| sha256_hex(i.text.as_bytes()))
        .collect();
    let manifest: String = inputs
        .iter()
        .zip(&each)
        .map(|(i, h)| format!("{h}  {}\n", i.name))
        .collect();
    let all = sha256_hex(manifest.as_bytes());
    (each, all)
}

/// The headline indicators, shown first and large.
const HEADLINE: [&str; 3] = [
    "cgr.circularity_metric",
    "cgr.circularity_gap",
    "eurostat.cmu_rate",
];

/// The figures of a publication, as `(suffix, title, svg)`.
fn figures(p: &Publication<'_>) -> Vec<(&'static str, String, String)> {
    let unit = p.report.model.unit;
    let mut figs = Vec::new();
    let options = sankey::Options {
        heading: Some(String::new()),
        id_prefix: "fig-sankey".to_owned(),
        ..sankey::Options::default()
    };
    figs.push((
        "sankey",
        "Material flows".to_owned(),
        sankey::sankey_svg(p.model, &options),
    ));
    let bars = chart::account_bars(p.report);
    if !bars.is_empty() {
        let title = format!("Accounts by material group, {unit} per year");
        figs.push((
            "groups",
            title.clone(),
            chart::group_bars_svg(&bars, unit, &title, "fig-groups"),
        ));
    }
    let shares = group_shares(p.report);
    if shares.iter().any(|s| s.1.is_some()) {
        let title = "Circularity by material group".to_owned();
        figs.push((
            "group-shares",
            title.clone(),
            chart::share_bars_svg(&shares, &title, "fig-shares"),
        ));
    }
    let (names, points) = series(p);
    if points.len() > 1 {
        let title = "Indicators over time".to_owned();
        figs.push((
            "series",
            title.clone(),
            chart::series_svg(&names, &points, &title, "fig-series"),
        ));
    }
    figs
}

/// The Circularity Metric and CMU of each EW-MFA group.
fn group_shares(report: &Report) -> Vec<(String, Option<f64>, MaterialGroup)> {
    let mut out = Vec::new();
    for base in ["cgr.circularity_metric", "eurostat.cmu_rate"] {
        for g in MaterialGroup::EW_MFA {
            if let Some(i) = report.indicator(&format!("{base}.{}", g.id_suffix())) {
                let short = if base.starts_with("cgr") {
                    "Circularity Metric"
                } else {
                    "CMU rate"
                };
                out.push((format!("{short}, {}", g.name()), i.value, g));
            }
        }
    }
    out
}

/// The time series: the report and the others, by year (one per year, the report's own first).
fn series(p: &Publication<'_>) -> (Vec<&'static str>, Vec<SeriesPoint>) {
    let names = vec!["Circularity Metric", "Circular material use rate"];
    let ids = ["cgr.circularity_metric", "eurostat.cmu_rate"];
    let mut points: Vec<SeriesPoint> = Vec::new();
    for r in std::iter::once(p.report).chain(p.series) {
        let Some(year) = r.model.year else { continue };
        if points.iter().any(|q| q.year == year) {
            continue;
        }
        points.push(SeriesPoint {
            year,
            values: ids
                .iter()
                .map(|id| r.indicator(id).and_then(|i| i.value))
                .collect(),
        });
    }
    crate::sort::sort_by_key(&mut points, |q| q.year);
    (names, points)
}

fn value_text(i: &IndicatorValue) -> String {
    i.value
        .map_or_else(|| "n/a".to_owned(), |v| format_value(v, &i.unit))
}

fn subtitle(report: &Report) -> String {
    let m = &report.model;
    let mut parts: Vec<String> = Vec::new();
    if let Some(r) = &m.region {
        parts.push(r.clone());
    }
    if let Some(y) = m.year {
        parts.push(y.to_string());
    }
    let scope = serde_json::to_value(m.scope)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    parts.push(format!("scope: {scope}"));
    parts.push(format!("masses in {} per year", m.unit));
    parts.join(" · ")
}

/// Flows per source id, in the order of the model's sources.
fn flows_per_source(model: &Model) -> Vec<usize> {
    let mut counts = vec![0; model.meta().sources.len()];
    for f in model.flows() {
        if let Some(s) = f.source {
            counts[s.0 as usize] += 1;
        }
    }
    counts
}

/// Definitions used by the report's indicators, each once, in order.
fn definitions(report: &Report) -> Vec<&IndicatorValue> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for i in &report.indicators {
        if !seen.contains(&i.formula) {
            seen.push(i.formula);
            out.push(i);
        }
    }
    out
}

/// Name of a definition: the indicator name without the group or operation suffix.
fn definition_name(i: &IndicatorValue) -> &str {
    i.name.split(':').next().unwrap_or(&i.name)
}

const STYLE: &str = "
:root{color-scheme:light}
body{font:15px/1.5 'DejaVu Sans',Verdana,Arial,sans-serif;color:#1a1a1a;background:#fff;max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:1.7em;margin:0 0 4px}h2{font-size:1.25em;margin:2em 0 .5em;border-bottom:1px solid #d0d0d0;padding-bottom:4px}
.sub{color:#595959;margin:0 0 1em}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:1em 0}
.card{border:1px solid #d0d0d0;border-radius:6px;padding:10px 16px;min-width:180px}
.card .v{font-size:1.9em;font-weight:bold}.card .n{color:#595959;font-size:.9em}
table{border-collapse:collapse;width:100%;font-size:.92em;margin:.5em 0}
th,td{border-bottom:1px solid #e0e0e0;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.na{color:#595959;font-style:italic}
code{font-family:'DejaVu Sans Mono',Consolas,monospace;font-size:.9em;overflow-wrap:anywhere}
figure{margin:1em 0;overflow-x:auto}figcaption{color:#595959;font-size:.9em}
figure svg{max-width:100%;height:auto}
a{color:#0b5cad}
footer{margin-top:3em;color:#595959;font-size:.85em}
@media print{figure{overflow:visible}body{max-width:none}}
";

/// The report as one self-contained HTML page.
#[must_use]
pub fn html(p: &Publication<'_>) -> String {
    let r = p.report;
    let unit = r.model.unit;
    let (each, all) = inputs_digest(p.inputs);
    let mut o = String::with_capacity(64 * 1024);
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"
    );
    let _ = writeln!(
        o,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
    );
    let _ = writeln!(
        o,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    );
    let _ = writeln!(o, "<meta name=\"generator\" content=\"circ {}\">", r.circ);
    let _ = writeln!(o, "<link rel=\"icon\" href=\"data:,\">");
    let _ = writeln!(
        o,
        "<title>{} · circularity report</title>",
        escape(&r.model.name)
    );
    let _ = writeln!(o, "<style>{STYLE}</style>\n</head>\n<body>\n<header>");
    let _ = writeln!(o, "<h1>{}</h1>", escape(&r.model.name));
    let _ = writeln!(o, "<p class=\"sub\">{}</p>", escape(&subtitle(r)));
    if let Some(d) = &p.model.meta().description {
        let _ = writeln!(o, "<p>{}</p>", escape(d));
    }
    let _ = writeln!(
        o,
        "</header>\n<main>\n<section aria-labelledby=\"h-headline\">"
    );
    let _ = writeln!(
        o,
        "<h2 id=\"h-headline\">Headline figures</h2>\n<div class=\"cards\">"
    );
    for id in HEADLINE {
        if let Some(i) = r.indicator(id) {
            let _ = writeln!(
                o,
                "<div class=\"card\"><div class=\"v\">{}</div><div class=\"n\">{}</div></div>",
                escape(&value_text(i)),
                escape(&i.name)
            );
        }
    }
    for id in ["cycle.secondary_materials", "mfa.dmc"] {
        if let Some(a) = r.accounts.iter().find(|a| a.id == id) {
            let v = a.total.map_or_else(
                || "n/a".to_owned(),
                |t| format!("{} {unit}", format_mass(t, unit)),
            );
            let _ = writeln!(
                o,
                "<div class=\"card\"><div class=\"v\">{}</div><div class=\"n\">{}</div></div>",
                escape(&v),
                escape(a.name)
            );
        }
    }
    let _ = writeln!(o, "</div>\n</section>");

    // Indicators.
    let _ = writeln!(
        o,
        "<section aria-labelledby=\"h-ind\">\n<h2 id=\"h-ind\">Indicators</h2>\n<table>\n<thead><tr><th scope=\"col\">Indicator</th><th scope=\"col\">Value</th><th scope=\"col\">Formula</th><th scope=\"col\">Inputs, or why it is not computable</th></tr></thead>\n<tbody>"
    );
    for i in &r.indicators {
        let (cell, class) = match &i.reason {
            Some(reason) => (reason.clone(), " class=\"na\""),
            None => (format_inputs(i, unit), ""),
        };
        let _ = writeln!(
            o,
            "<tr><td>{}<br><code>{}</code></td><td class=\"num\">{}</td><td>{}</td><td{class}>{}</td></tr>",
            escape(&i.name),
            escape(&i.id),
            escape(&value_text(i)),
            escape(i.formula),
            escape(&cell)
        );
    }
    let _ = writeln!(o, "</tbody>\n</table>\n</section>");

    // Figures.
    let figs = figures(p);
    let captions = |suffix: &str| -> &'static str {
        match suffix {
            "sankey" => {
                "Processes stand in columns; each band is as wide as its mass and coloured by material group. Bands below the columns run backwards: material cycled back into production or use."
            }
            "groups" => {
                "Each account line split by EW-MFA material group; grey where the data do not split it."
            }
            "group-shares" => {
                "Indicators of each material group, where the data split the inputs by group."
            }
            _ => "The report's year and the other years given with --series.",
        }
    };
    let _ = writeln!(
        o,
        "<section aria-labelledby=\"h-flows\">\n<h2 id=\"h-flows\">Material flows</h2>"
    );
    for (suffix, title, svg) in &figs {
        if *suffix == "groups" {
            let _ = writeln!(
                o,
                "</section>\n<section aria-labelledby=\"h-groups\">\n<h2 id=\"h-groups\">By material group</h2>"
            );
        }
        if *suffix == "series" {
            let _ = writeln!(
                o,
                "</section>\n<section aria-labelledby=\"h-series\">\n<h2 id=\"h-series\">Over time</h2>"
            );
        }
        let _ = writeln!(
            o,
            "<figure>\n{}<figcaption>{}. {}</figcaption>\n</figure>",
            svg,
            escape(title),
            captions(suffix)
        );
        if *suffix == "groups" && !figs.iter().any(|f| f.0 == "group-shares") {
            let reason = group_shares(r)
                .into_iter()
                .find_map(|(name, _, _)| {
                    r.indicators
                        .iter()
                        .find(|i| i.name.ends_with(name.split(", ").nth(1).unwrap_or("")))
                        .and_then(|i| i.reason.clone())
                })
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "<p>Indicators by material group are not computable for this model: {}.</p>",
                escape(reason.trim_end_matches('.'))
            );
        }
    }
    let _ = writeln!(o, "</section>");

    // Accounts.
    let _ = writeln!(
        o,
        "<section aria-labelledby=\"h-acc\">\n<h2 id=\"h-acc\">Accounts ({unit} per year)</h2>\n<table>\n<thead><tr><th scope=\"col\">Account</th><th scope=\"col\">Total</th><th scope=\"col\">MF1</th><th scope=\"col\">MF2</th><th scope=\"col\">MF3</th><th scope=\"col\">MF4</th><th scope=\"col\">Mixed</th></tr></thead>\n<tbody>"
    );
    let cell = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |t| format_mass(t, unit));
    for a in &r.accounts {
        match &a.by_group {
            Some(g) => {
                let _ = writeln!(
                    o,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    escape(a.name),
                    cell(a.total),
                    cell(g.mf1),
                    cell(g.mf2),
                    cell(g.mf3),
                    cell(g.mf4),
                    cell(g.mixed)
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "<tr><td>{}</td><td class=\"na\" colspan=\"6\">missing: {}</td></tr>",
                    escape(a.name),
                    escape(a.missing.as_deref().unwrap_or(""))
                );
            }
        }
    }
    let _ = writeln!(o, "</tbody>\n</table>\n</section>");

    // Definitions.
    let _ = writeln!(
        o,
        "<section aria-labelledby=\"h-def\">\n<h2 id=\"h-def\">Definitions and conventions</h2>\n<dl>"
    );
    for i in definitions(r) {
        let _ = writeln!(
            o,
            "<dt><strong>{}</strong>: <code>{}</code></dt>\n<dd>{}Source: {}, <a href=\"{url}\">{url}</a></dd>",
            escape(definition_name(i)),
            escape(i.formula),
            i.convention
                .map_or_else(String::new, |c| format!("{} ", escape(c))),
            escape(i.source.citation),
            url = escape(i.source.url)
        );
    }
    let _ = writeln!(o, "</dl>\n</section>");

    // Data sources.
    let _ = writeln!(
        o,
        "<section aria-labelledby=\"h-src\">\n<h2 id=\"h-src\">Data sources</h2>"
    );
    let sources = &p.model.meta().sources;
    if sources.is_empty() {
        let _ = writeln!(o, "<p>The model names no sources for its data.</p>");
    } else {
        let counts = flows_per_source(p.model);
        let _ = writeln!(o, "<ul>");
        for (s, count) in sources.iter().zip(counts) {
            let mut line = format!(
                "<li><strong>[{}]</strong> {}",
                escape(&s.id),
                escape(&s.title)
            );
            if let Some(t) = &s.table {
                let _ = write!(line, ". Table: {}", escape(t));
            }
            if let Some(rel) = &s.release {
                let _ = write!(line, ". Released {}", escape(rel));
            }
            if let Some(l) = &s.licence {
                let _ = write!(line, ". Licence: {}", escape(l));
            }
            if let Some(nt) = &s.note {
                let _ = write!(line, ". {}", escape(nt));
            }
            if let Some(u) = &s.url {
                let _ = write!(line, ". <a href=\"{0}\">{0}</a>", escape(u));
            }
            let _ = write!(
                line,
                ". Source of {count} flow{}.</li>",
                if count == 1 { "" } else { "s" }
            );
            let _ = writeln!(o, "{line}");
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "</section>");

    // Reproducibility.
    let _ = writeln!(
        o,
        "<section aria-labelledby=\"h-rep\">\n<h2 id=\"h-rep\">Reproducibility</h2>\n<p>Computed by circ {} from these inputs. The inputs hash is the SHA-256 of the <code>sha256sum</code> lines of the input files, in this order.</p>\n<table>\n<thead><tr><th scope=\"col\">Input</th><th scope=\"col\">Bytes</th><th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>",
        escape(r.circ)
    );
    for (i, h) in p.inputs.iter().zip(&each) {
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td><code>{h}</code></td></tr>",
            escape(i.name),
            i.text.len()
        );
    }
    let _ = writeln!(
        o,
        "<tr><th scope=\"row\">Inputs hash</th><td></td><td><code>{all}</code></td></tr>\n</tbody>\n</table>"
    );
    if let Some(c) = p.command {
        let _ = writeln!(o, "<p>Made with <code>{}</code>.</p>", escape(c));
    }
    let _ = writeln!(o, "</section>\n</main>");
    let _ = writeln!(
        o,
        "<footer>circ {} · inputs SHA-256 {} · every number above was computed from the inputs listed; none was typed in.</footer>\n</body>\n</html>",
        escape(r.circ),
        &all[..16]
    );
    o
}

/// The report as Markdown, and its figures as SVG files named `{stem}-sankey.svg` and so on,
/// to be written beside it.
#[must_use]
pub fn markdown(p: &Publication<'_>, stem: &str) -> (String, Vec<Attachment>) {
    let r = p.report;
    let unit = r.model.unit;
    let (each, all) = inputs_digest(p.inputs);
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n\n{}\n", md(&r.model.name), md(&subtitle(r)));
    if let Some(d) = &p.model.meta().description {
        let _ = writeln!(o, "{}\n", md(d));
    }
    let _ = writeln!(o, "## Headline figures\n");
    for id in HEADLINE {
        if let Some(i) = r.indicator(id) {
            let _ = writeln!(o, "- **{}**: {}", md(&i.name), value_text(i));
        }
    }
    for id in ["cycle.secondary_materials", "mfa.dmc"] {
        if let Some(a) = r.accounts.iter().find(|a| a.id == id) {
            let v = a.total.map_or_else(
                || "n/a".to_owned(),
                |t| format!("{} {unit}", format_mass(t, unit)),
            );
            let _ = writeln!(o, "- **{}**: {v}", md(a.name));
        }
    }
    let _ = writeln!(
        o,
        "\n## Indicators\n\n| Indicator | Value | Formula | Inputs, or why it is not computable |\n|---|---:|---|---|"
    );
    for i in &r.indicators {
        let cell = match &i.reason {
            Some(reason) => format!("*{}*", md(reason)),
            None => md(&format_inputs(i, unit)),
        };
        let _ = writeln!(
            o,
            "| {} (`{}`) | {} | {} | {cell} |",
            md(&i.name),
            i.id,
            value_text(i),
            md(i.formula)
        );
    }
    let mut attachments = Vec::new();
    for (suffix, title, svg) in figures(p) {
        let heading = match suffix {
            "sankey" => "\n## Material flows\n",
            "groups" => "\n## By material group\n",
            "series" => "\n## Over time\n",
            _ => "",
        };
        let file_name = format!("{stem}-{suffix}.svg");
        let _ = writeln!(o, "{heading}\n![{}]({file_name})", md(&title));
        attachments.push(Attachment { file_name, svg });
    }
    let _ = writeln!(
        o,
        "\n## Accounts ({unit} per year)\n\n| Account | Total | MF1 | MF2 | MF3 | MF4 | Mixed |\n|---|---:|---:|---:|---:|---:|---:|"
    );
    let cell = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |t| format_mass(t, unit));
    for a in &r.accounts {
        match &a.by_group {
            Some(g) => {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    md(a.name),
                    cell(a.total),
                    cell(g.mf1),
                    cell(g.mf2),
                    cell(g.mf3),
                    cell(g.mf4),
                    cell(g.mixed)
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "| {} | missing: {} | | | | | |",
                    md(a.name),
                    md(a.missing.as_deref().unwrap_or(""))
                );
            }
        }
    }
    let _ = writeln!(o, "\n## Definitions and conventions\n");
    for i in definitions(r) {
        let _ = writeln!(
            o,
            "- **{}**: `{}`. {}Source: {}, <{}>",
            md(definition_name(i)),
            i.formula,
            i.convention
                .map_or_else(String::new, |c| format!("{} ", md(c))),
            md(i.source.citation),
            i.source.url
        );
    }
    let _ = writeln!(o, "\n## Data sources\n");
    let counts = flows_per_source(p.model);
    if p.model.meta().sources.is_empty() {
        let _ = writeln!(o, "The model names no sources for its data.");
    }
    for (s, count) in p.model.meta().sources.iter().zip(counts) {
        let mut line = format!("- **[{}]** {}", md(&s.id), md(&s.title));
        for (label, part) in [
            ("Table: ", &s.table),
            ("Released ", &s.release),
            ("Licence: ", &s.licence),
            ("", &s.note),
        ] {
            if let Some(text) = part {
                let _ = write!(line, ". {label}{}", md(text));
            }
        }
        if let Some(u) = &s.url {
            let _ = write!(line, ". <{u}>");
        }
        let _ = write!(
            line,
            ". Source of {count} flow{}.",
            if count == 1 { "" } else { "s" }
        );
        let _ = writeln!(o, "{line}");
    }
    let _ = writeln!(
        o,
        "\n## Reproducibility\n\nComputed by circ {} from these inputs. The inputs hash is the SHA-256 of the `sha256sum` lines of the input files, in this order.\n\n| Input | Bytes | SHA-256 |\n|---|---:|---|",
        r.circ
    );
    for (i, h) in p.inputs.iter().zip(&each) {
        let _ = writeln!(o, "| `{}` | {} | `{h}` |", i.name, i.text.len());
    }
    let _ = writeln!(o, "| **Inputs hash** | | `{all}` |");
    if let Some(c) = p.command {
        let _ = writeln!(o, "\nMade with `{c}`.");
    }
    (o, attachments)
}

/// Escapes the characters that would break a Markdown table or start markup.
fn md(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('*', "\\*")
        .replace('_', "\\_")
        .replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::dataset;
    use crate::report::run;

    fn cgr(name: &str) -> (Model, &'static str) {
        let d = dataset(name).expect("embedded");
        (d.load().expect("valid").into_model(), d.text)
    }

    #[test]
    fn the_inputs_hash_is_sha256sum_of_sha256sum() {
        let inputs = [
            InputFile {
                name: "a.toml",
                text: "abc",
            },
            InputFile {
                name: "t.csv",
                text: "",
            },
        ];
        let (each, all) = inputs_digest(&inputs);
        assert_eq!(
            each[0],
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let manifest = format!("{}  a.toml\n{}  t.csv\n", each[0], each[1]);
        assert_eq!(all, sha256_hex(manifest.as_bytes()));
    }

    #[test]
    fn html_is_self_contained_and_complete() {
        let (model, text) = cgr("cgr2020");
        let (old, _) = cgr("cgr2018");
        let report = run(&model);
        let series = [run(&old)];
        let inputs = [InputFile {
            name: "cgr2020.toml",
            text,
        }];
        let page = html(&Publication {
            model: &model,
            report: &report,
            inputs: &inputs,
            series: &series,
            command: Some("circ report --series dataset:cgr2018"),
        });
        for needle in [
            "<!DOCTYPE html>",
            "default-src 'none'",
            ">8.6 %</div><div class=\"n\">Circularity Metric",
            "secondary / (virgin + secondary), virgin = DMC",
            "Sankey diagram",
            "Accounts by material group",
            "Indicators over time",
            ">9.1 %<",
            "[cgr2020]</strong> Circle Economy (2020)",
            "Source of 3 flows",
            &sha256_hex(text.as_bytes()),
            "circ report --series dataset:cgr2018",
            "Indicators by material group are not computable",
        ] {
            assert!(page.contains(needle), "missing {needle}");
        }
        for banned in [
            "<script", " src=", "@import", "url(", "<img", "<iframe", "<object",
        ] {
            assert!(!page.contains(banned), "the page contains {banned}");
        }
        // The only things with an address: links a reader may follow, and the empty icon.
        for (i, _) in page.match_indices("href=\"") {
            let before = &page[i.saturating_sub(3)..i];
            let after = &page[i + 6..];
            assert!(
                (before == "<a " && after.starts_with("https://")) || after.starts_with("data:,"),
                "{}",
                &page[i.saturating_sub(20)..(i + 60).min(page.len())]
            );
        }
        // Unique ids: the figures are inlined into one page.
        let ids: Vec<&str> = page
            .split(" id=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap_or(0)])
            .collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{ids:?}");
    }

    #[test]
    fn markdown_names_its_figures() {
        let (model, text) = cgr("cgr2020");
        let report = run(&model);
        let inputs = [InputFile {
            name: "cgr2020.toml",
            text,
        }];
        let (doc, figures) = markdown(
            &Publication {
                model: &model,
                report: &report,
                inputs: &inputs,
                series: &[],
                command: None,
            },
            "report",
        );
        let names: Vec<&str> = figures.iter().map(|f| f.file_name.as_str()).collect();
        assert_eq!(names, ["report-sankey.svg", "report-groups.svg"]);
        assert!(doc.contains("![Material flows](report-sankey.svg)"));
        assert!(doc.contains("| Circularity Metric (`cgr.circularity_metric`) | 8.6 % |"));
        assert!(doc.contains("## Reproducibility"));
    }
}
