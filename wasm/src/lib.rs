//! circ-wasm: the JavaScript API over circ-core. Thin: check the size of the input, parse the
//! arguments, call core, turn problems into JavaScript `Error`s with the same messages as the
//! CLI. Every number comes from core.
//!
//! Errors: every function throws a JavaScript `Error` whose message is the problems as
//! `circ validate` prints them, one per line; where core found structured problems, the
//! `Error` also carries them as `problems: Diagnostic[]`. No input makes a function panic
//! (core's parsers are fuzzed, and `wasm/tests/node/api.test.mjs` throws garbage at the
//! functions); should a bug make one trap all the same, the calculator page shows an internal
//! error instead of a result.
//!
//! Two modules come from this crate (docs/web.md, "Two modules"): with the `api` feature (the
//! default) every function; without it only the calculator's (`calculate`, `calculatorFiles`,
//! `calculatorResults`, `calculatorSankey`, `exampleForm`, `datasets`, `limits`, `version`),
//! the module the embedded calculator loads, within the size budget of issue 6.

#[cfg(feature = "api")]
mod api;
mod types;

use std::fmt::Display;

use circ_core::calculator::{self, EXAMPLES, MAX_ROWS};
use circ_core::datasets::{self, DATASETS};
use serde::Serialize;
use tsify::Ts;
use wasm_bindgen::prelude::*;

#[cfg(feature = "api")]
pub use api::*;
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
        product: c.product_json(),
    })
}

/// The results of a form as the page exports them: `"json"` (the default) gives
/// `{"report": …, "product": …}`, the reports `circ run` and `circ product` give in JSON for the
/// files of `calculatorFiles(form)` (the product only when the form has a design); `"csv"` the
/// two CSV reports, one after the other with an empty line between.
///
/// # Errors
/// As `calculate`, or for another format.
#[wasm_bindgen(js_name = calculatorResults)]
pub fn calculator_results(form: Ts<Form>, format: Option<String>) -> Result<String, JsValue> {
    let c = calculator::calculate(&read_form(&form)?).map_err(|d| problems_error(&d))?;
    match format.as_deref().unwrap_or("json") {
        "json" => Ok(c.results_json()),
        "csv" => Ok(c.results_csv()),
        other => Err(into_error(format!(
            "unknown format \"{other}\": say \"json\" or \"csv\""
        ))),
    }
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
    circ_core::format::from_json(&text).map_err(|e| into_error(format!("form: error: {e}")))
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
