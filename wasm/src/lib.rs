//! circ-wasm: the JavaScript API over circ-core. Thin: check the size of the input, parse the
//! arguments, call core, turn problems into JavaScript `Error`s with the same messages as the
//! CLI. Every number comes from core.
//!
//! Errors: every function throws a JavaScript `Error` whose message is the problems as
//! `circ validate` prints them, one per line; where core found structured problems, the
//! `Error` also carries them as `problems: Diagnostic[]`. No input makes a function panic
//! (core's parsers are fuzzed, and `wasm/tests/node/robust.test.mjs` throws garbage at every
//! function); should a bug make one trap all the same, the calculator page shows an internal
//! error instead of a result.

mod types;

use std::fmt::Display;

use circ_core::calculator::{self, EXAMPLES, MAX_ROWS};
use circ_core::datasets::{self, DATASETS};
use circ_core::product::ProductReport;
use circ_core::uncertainty::{linear, monte_carlo};
use circ_core::{Format, Report, SourceText, load, run, run_with_uncertainty};
use serde::Serialize;
use tsify::Ts;
use wasm_bindgen::prelude::*;

pub use types::{
    Calculation, CalculatorFiles, Catalog, DatasetInfo, Design, Diagnostic, ExampleInfo, Form,
    IndicatorView, InputRow, Limits, ProductRow, Validation, WasteRow,
};

/// The longest text any function reads: 5 MiB, far above any model a person types or a
/// cluster's data (the shipped global data sets are under 20 KB), and small enough to parse in
/// well under a second in a browser. Larger models belong to the `circ` command line.
pub const MAX_TEXT_BYTES: usize = 5 * 1024 * 1024;

/// A Rust value as the JavaScript object of its TypeScript type. Through JSON text and
/// `JSON.parse`, not serde-wasm-bindgen: serde_json is in the module anyway (reports are JSON
/// text), and a second serde format for every type would cost the module its size budget
/// (docs/web.md). A form or a result is a few kilobytes: tens of microseconds.
fn to_ts<T: tsify::Tsify + Serialize>(value: &T) -> Result<Ts<T>, JsValue> {
    let text = serde_json::to_string(value).map_err(into_error)?;
    Ok(Ts::new_unchecked(js_sys::JSON::parse(&text)?))
}

/// Turns any error into a JavaScript `Error` with its text.
fn into_error(err: impl Display) -> JsValue {
    JsError::new(&err.to_string()).into()
}

/// A JavaScript `Error` with the problems as the CLI prints them, one per line, and the same
/// problems as structured objects in its `problems` property.
fn problems_error(diags: &[circ_core::Diagnostic]) -> JsValue {
    let text = diags
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    let err = js_sys::Error::new(&text);
    let list: Vec<Diagnostic> = diags.iter().map(Diagnostic::from).collect();
    let value = serde_json::to_string(&list)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok());
    if let Some(value) = value {
        // Setting a property of a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("problems"), &value);
    }
    err.into()
}

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

/// The embedded data sets (as `circ datasets` lists them) and the calculator's example forms.
#[wasm_bindgen]
pub fn datasets() -> Result<Ts<Catalog>, JsValue> {
    to_ts(&Catalog {
        datasets: DATASETS
            .iter()
            .map(|d| DatasetInfo {
                name: d.name.to_owned(),
                title: d.title.to_owned(),
                reproduces: d.reproduces.to_owned(),
                is_default: d.name == datasets::DEFAULT,
            })
            .collect(),
        examples: EXAMPLES
            .iter()
            .enumerate()
            .map(|(i, e)| ExampleInfo {
                name: e.name.to_owned(),
                title: e.title.to_owned(),
                is_default: i == 0,
            })
            .collect(),
    })
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

/// An example form of the calculator by name (`"workshop"`, `"rubble"`), or the default one.
///
/// # Errors
/// An `Error` naming the examples, for an unknown name.
#[wasm_bindgen(js_name = exampleForm)]
pub fn example_form(name: Option<String>) -> Result<Ts<Form>, JsValue> {
    let name = name.unwrap_or_else(|| EXAMPLES[0].name.to_owned());
    let e = EXAMPLES.iter().find(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
        into_error(format!(
            "unknown example \"{name}\"; the examples are: {}",
            names.join(", ")
        ))
    })?;
    // The shipped examples are valid forms (core's tests read each).
    Ok(Ts::new_unchecked(js_sys::JSON::parse(e.text)?))
}

/// The calculator: turns a form into its model (and, when it has a design, its product file)
/// in core, and evaluates them. What it returns is what `circ run` and `circ product` give for
/// the files of `calculatorFiles(form)`, value for value.
///
/// # Errors
/// An `Error` with every problem of the form, one per line, and as structured `problems`, each
/// at its key path in the form (`inputs[2].recycled`).
#[wasm_bindgen]
pub fn calculate(form: Ts<Form>) -> Result<Ts<Calculation>, JsValue> {
    let c = calculator::calculate(&read_form(&form)?).map_err(|d| problems_error(&d))?;
    to_ts(&Calculation {
        indicators: c
            .report
            .indicators
            .iter()
            .map(IndicatorView::from)
            .collect(),
        product: c
            .product_report
            .as_ref()
            .and_then(|r| r.entities.first())
            .map(|e| e.indicators.iter().map(IndicatorView::from).collect()),
        warnings: c.warnings.iter().map(Diagnostic::from).collect(),
    })
}

/// The model and product file a form stands for, as JSON text: the files the page exports.
///
/// # Errors
/// As `calculate`.
#[wasm_bindgen(js_name = calculatorFiles)]
pub fn calculator_files(form: Ts<Form>) -> Result<Ts<CalculatorFiles>, JsValue> {
    let c = calculator::calculate(&read_form(&form)?).map_err(|d| problems_error(&d))?;
    to_ts(&CalculatorFiles {
        model: c.model_json(),
        product: c.product_json,
    })
}

/// The Sankey diagram of the model a form stands for, as SVG: the bytes of `circ sankey` on the
/// model of `calculatorFiles(form)`. Separate from `calculate`, so that a page can show the
/// numbers at once and draw the picture after.
///
/// # Errors
/// As `calculate`.
#[wasm_bindgen(js_name = calculatorSankey)]
pub fn calculator_sankey(form: Ts<Form>) -> Result<String, JsValue> {
    let c = calculator::calculate(&read_form(&form)?).map_err(|d| problems_error(&d))?;
    Ok(circ_core::sankey::sankey_svg(
        &c.model,
        &circ_core::sankey::Options::default(),
    ))
}

/// The form as core takes it, through JSON (see [`to_ts`]).
fn read_form(form: &Ts<Form>) -> Result<calculator::Form, JsValue> {
    let form = form.js_value();
    guard_rows(&form)?;
    let text = String::from(js_sys::JSON::stringify(&form)?);
    serde_json::from_str(&text).map_err(|e| into_error(format!("form: error: {e}")))
}

/// Refuses a form whose tables are longer than [`MAX_ROWS`] before converting a row of it.
fn guard_rows(form: &JsValue) -> Result<(), JsValue> {
    for table in ["inputs", "products", "waste"] {
        let rows = js_sys::Reflect::get(form, &JsValue::from_str(table)).unwrap_or_default();
        if let Some(rows) = rows.dyn_ref::<js_sys::Array>()
            && rows.length() as usize > MAX_ROWS
        {
            return Err(into_error(format!(
                "form: error: {table}: {} rows, more than the calculator takes ({MAX_ROWS})",
                rows.length()
            )));
        }
    }
    Ok(())
}

/// The limits of the web module.
#[wasm_bindgen]
pub fn limits() -> Result<Ts<Limits>, JsValue> {
    to_ts(&Limits {
        max_text_bytes: u32::try_from(MAX_TEXT_BYTES).unwrap_or(u32::MAX),
        max_form_rows: u32::try_from(MAX_ROWS).unwrap_or(u32::MAX),
    })
}

/// The version of circ.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    circ_core::report::VERSION.to_owned()
}
