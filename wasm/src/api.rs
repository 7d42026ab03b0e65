//! The analyst's API: models, product and company files, scenario files and projections given
//! as text, as the `circ` command line reads them. Behind the `api` feature (on by default):
//! `wasm/build.sh` also builds the module without it, the calculator's module, which the
//! embedded calculator loads (docs/web.md, "Two modules").

use circ_core::datasets::{self, DATASETS};
use circ_core::product::ProductReport;
use circ_core::uncertainty::{linear, monte_carlo};
use circ_core::{Format, Report, SourceText, load, run, run_with_uncertainty};
use tsify::Ts;
use wasm_bindgen::prelude::*;

use crate::{Diagnostic, MAX_TEXT_BYTES, Validation, into_error, problems_error, to_ts};

/// Refuses a text over [`MAX_TEXT_BYTES`] before reading a byte of it.
fn guard(what: &str, text: &str) -> Result<(), JsValue> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(into_error(format!(
            "the {what} is {:.1} MB, more than the {:.1} MB the web module reads; use the circ command line for larger files",
            mb(text.len()),
            mb(MAX_TEXT_BYTES)
        )));
    }
    Ok(())
}

fn mb(bytes: usize) -> f64 {
    // Display only: sizes far below 2^52 convert exactly.
    #[allow(clippy::cast_precision_loss)]
    let b = bytes as f64;
    b / (1024.0 * 1024.0)
}

/// The syntax named by `syntax` (`"json"` when not given).
fn syntax_of(syntax: Option<String>) -> Result<Format, JsValue> {
    match syntax.as_deref().unwrap_or("json") {
        "json" => Ok(Format::Json),
        "toml" => Ok(Format::Toml),
        other => Err(into_error(format!(
            "unknown syntax \"{other}\": say \"json\" or \"toml\""
        ))),
    }
}

fn no_files(table: &str) -> Result<String, String> {
    Err(format!(
        "flow tables are not available in the browser (asked for {table}); put the flows in the model"
    ))
}

/// Loads a model from text, or the `Error` with every problem.
fn load_model(text: &str, format: Format) -> Result<circ_core::Loaded, JsValue> {
    guard("model", text)?;
    let name = match format {
        Format::Json => "model.json",
        Format::Toml => "model.toml",
    };
    load(SourceText { name, text }, format, &no_files).map_err(|d| problems_error(&d))
}

/// A report in the format asked for: `json` (default), `csv`, `markdown` or `text`.
fn render_report(report: &Report, format: Option<String>) -> Result<String, JsValue> {
    match format.as_deref().unwrap_or("json") {
        "json" => Ok(report.to_json()),
        "csv" => Ok(report.to_csv()),
        "markdown" => Ok(report.to_markdown()),
        "text" => Ok(report.to_text()),
        other => Err(unknown_format(other)),
    }
}

/// A product or company report in the format asked for.
fn render_product(report: &ProductReport, format: Option<String>) -> Result<String, JsValue> {
    match format.as_deref().unwrap_or("json") {
        "json" => Ok(report.to_json()),
        "csv" => Ok(report.to_csv()),
        "markdown" => Ok(report.to_markdown()),
        "text" => Ok(report.to_text()),
        other => Err(unknown_format(other)),
    }
}

fn unknown_format(other: &str) -> JsValue {
    into_error(format!(
        "unknown format \"{other}\": say \"json\", \"csv\", \"markdown\" or \"text\""
    ))
}

/// Computes the indicators and accounts of a model given as JSON text: with `format` `"json"`
/// (the default) the same bytes as `circ run MODEL.json --format json` (without its final
/// newline); `"csv"`, `"markdown"` and `"text"` give the CLI's other formats.
///
/// # Errors
/// An `Error` listing every problem of the model, one per line, as `circ validate` prints them,
/// with the structured `problems`; or one saying the text is too long.
#[wasm_bindgen]
pub fn indicators(model_json: &str, format: Option<String>) -> Result<String, JsValue> {
    let loaded = load_model(model_json, Format::Json)?;
    render_report(&run(&loaded.model), format)
}

/// Like [`indicators`], with the propagated uncertainty of every indicator: `method` is
/// `"gauss"` (linear) or `"mc"` (Monte Carlo with `samples` samples from `seed`). The same
/// bytes as `circ run MODEL.json --uncertainty METHOD --samples N --seed S --format json`: the
/// same seed gives the same numbers in the browser as natively.
///
/// # Errors
/// A JavaScript `Error` for a bad model or method.
#[wasm_bindgen]
pub fn indicators_with_uncertainty(
    model_json: &str,
    method: &str,
    samples: u32,
    seed: u64,
) -> Result<String, JsValue> {
    let loaded = load_model(model_json, Format::Json)?;
    let propagated = match method {
        "gauss" => linear(&loaded.network),
        "mc" => monte_carlo(&loaded.network, samples as usize, seed),
        other => {
            return Err(into_error(format!(
                "unknown method \"{other}\": gauss or mc"
            )));
        }
    }
    .map_err(|p| {
        into_error(format!(
            "cannot propagate uncertainty through this network: {p:?}"
        ))
    })?;
    Ok(run_with_uncertainty(&loaded.model, &propagated).to_json())
}

/// Draws the Sankey diagram of a model given as JSON text, as SVG: the same bytes as
/// `circ sankey MODEL.json`.
///
/// # Errors
/// A JavaScript `Error` listing every problem of the model, as for [`indicators`].
#[wasm_bindgen]
pub fn sankey(model_json: &str) -> Result<String, JsValue> {
    let loaded = load_model(model_json, Format::Json)?;
    Ok(circ_core::sankey::sankey_svg(
        &loaded.model,
        &circ_core::sankey::Options::default(),
    ))
}

/// Every problem of a model given as text (`syntax` `"json"`, the default, or `"toml"`): errors
/// and warnings, each with its file, key path, line and hint, as `circ validate` finds them.
/// A model without errors is `valid`, and may still have warnings.
///
/// # Errors
/// Only for a text over the size limit or an unknown syntax; problems of the model are the
/// result, not an error.
#[wasm_bindgen]
pub fn validate(text: &str, syntax: Option<String>) -> Result<Ts<Validation>, JsValue> {
    let format = syntax_of(syntax)?;
    guard("model", text)?;
    let name = match format {
        Format::Json => "model.json",
        Format::Toml => "model.toml",
    };
    let (valid, diags) = match load(SourceText { name, text }, format, &no_files) {
        Ok(loaded) => (true, loaded.warnings),
        Err(diags) => (false, diags),
    };
    to_ts(&Validation {
        valid,
        problems: diags.iter().map(Diagnostic::from).collect(),
    })
}

/// The Material Circularity Indicator and Circular Transition Indicators of a product file given
/// as JSON: the same bytes as `circ product FILE.json --format json` (without its final newline),
/// or its other `format`s.
///
/// # Errors
/// An `Error` listing every problem, one per line, as the CLI prints them.
#[wasm_bindgen]
pub fn product(product_json: &str, format: Option<String>) -> Result<String, JsValue> {
    guard("product file", product_json)?;
    let report = circ_core::product::product_from_text(product_json, Format::Json)
        .map_err(|d| problems_error(&d))?;
    render_product(&report, format)
}

/// The company-level MCI and CTI of a company file (or the CTI of a process-network model) given
/// as JSON: the same bytes as `circ company FILE.json --format json` (without its final newline),
/// or its other `format`s.
///
/// # Errors
/// An `Error` listing every problem, one per line, as the CLI prints them.
#[wasm_bindgen]
pub fn company(company_json: &str, format: Option<String>) -> Result<String, JsValue> {
    guard("company file", company_json)?;
    let report = circ_core::product::company_from_text(company_json, Format::Json)
        .map_err(|d| problems_error(&d))?;
    render_product(&report, format)
}

/// The projection of a model with dynamic stocks (given as JSON) over the years `from` to `to`
/// (default: its whole time axis): every indicator as a series, the same bytes as
/// `circ project MODEL.json --format json` (without its final newline; docs/stocks.md).
///
/// # Errors
/// An `Error` listing every problem of the model, or saying why it cannot be projected (no
/// `[dynamics]` section, years outside its axis).
#[wasm_bindgen]
pub fn project(model_json: &str, from: Option<i32>, to: Option<i32>) -> Result<String, JsValue> {
    let loaded = load_model(model_json, Format::Json)?;
    let dynamics = loaded.model.dynamics().ok_or_else(|| {
        into_error(
            "model.json: the model has no [dynamics] section, so there is nothing to project",
        )
    })?;
    let opts = circ_core::ProjectOptions {
        from: from.unwrap_or(dynamics.first_year()),
        to: to.unwrap_or(dynamics.last_year()),
    };
    circ_core::project(&loaded.model, &opts)
        .map(|p| p.to_json())
        .map_err(|e| into_error(format!("model.json: {e}")))
}

/// Scenarios of a model, both given as JSON: each scenario's indicators beside the baseline,
/// ranked by the Circularity Metric, with every intervention at its target: the same bytes as
/// `circ scenario MODEL.json SCENARIOS.json --format json` (without its final newline;
/// docs/scenarios.md).
///
/// # Errors
/// An `Error` listing every problem of the model or the scenario file, or every scenario that
/// cannot hold, naming its intervention.
#[wasm_bindgen]
pub fn scenarios(model_json: &str, scenarios_json: &str) -> Result<String, JsValue> {
    guard("model", model_json)?;
    guard("scenario file", scenarios_json)?;
    circ_core::scenario::scenarios_json(model_json, scenarios_json)
        .map(|json| json.trim_end().to_owned())
        .map_err(|d| problems_error(&d))
}

/// The model of an embedded data set as JSON (the values of its TOML file in data/), ready for
/// `indicators`. The module has no TOML: asked for `"toml"`, it throws an `Error` saying so.
///
/// # Errors
/// An `Error` naming the data sets, for an unknown name.
#[wasm_bindgen(js_name = datasetModel)]
pub fn dataset_model(name: &str, syntax: Option<String>) -> Result<String, JsValue> {
    let format = syntax_of(syntax)?;
    let d = datasets::dataset(name).ok_or_else(|| {
        let names: Vec<&str> = DATASETS.iter().map(|d| d.name).collect();
        into_error(format!(
            "unknown data set \"{name}\"; the data sets are: {}",
            names.join(", ")
        ))
    })?;
    match format {
        Format::Toml => Err(into_error(
            "the web module is built without TOML; `circ datasets` and data/ have the TOML files",
        )),
        Format::Json => d
            .json()
            .map(str::to_owned)
            .ok_or_else(|| into_error("the data set has no JSON form")),
    }
}

/// Validates a model and writes it again, as `circ convert` does (JSON without its final
/// newline). The web module is built without TOML (docs/web.md: it would be a quarter of the
/// module), so `from` and `to` are `"json"`; asked for TOML, it throws an `Error` that says to
/// use `circ convert`.
///
/// # Errors
/// An `Error` with every problem of the model, or for TOML or an unknown syntax.
#[wasm_bindgen]
pub fn convert(text: &str, from: &str, to: &str) -> Result<String, JsValue> {
    let (from, to) = (
        syntax_of(Some(from.to_owned()))?,
        syntax_of(Some(to.to_owned()))?,
    );
    let loaded = load_model(text, from)?;
    let doc = loaded
        .document
        .ok_or_else(|| into_error("load returns the document it read"))?;
    match to {
        Format::Json => Ok(circ_core::format::to_json(&doc)),
        Format::Toml => circ_core::format::to_toml(&doc)
            .map_err(|e| into_error(format!("cannot write TOML: {e}"))),
    }
}
