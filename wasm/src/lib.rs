//! circ-wasm: the JavaScript API over circ-core. Thin: parse the arguments, call core, turn
//! errors into JavaScript `Error`s with the same messages as the CLI.

use std::fmt::Display;

use circ_core::uncertainty::{linear, monte_carlo};
use circ_core::{Format, Loaded, SourceText, load, run, run_with_uncertainty};
use wasm_bindgen::prelude::*;

/// Turns any error into a JavaScript `Error` with its text.
fn into_error(err: impl Display) -> JsError {
    JsError::new(&err.to_string())
}

/// Computes the indicators and accounts of a model given as JSON text, and returns them as JSON:
/// the same bytes as `circ run MODEL.json --format json` (without its final newline).
///
/// # Errors
/// A JavaScript `Error` listing every problem of the model, one per line, as `circ validate`
/// prints them.
#[wasm_bindgen]
pub fn indicators(model_json: &str) -> Result<String, JsError> {
    Ok(run(&load_json(model_json)?.model).to_json())
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
) -> Result<String, JsError> {
    let loaded = load_json(model_json)?;
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
pub fn sankey(model_json: &str) -> Result<String, JsError> {
    let loaded = load_json(model_json)?;
    Ok(circ_core::sankey::sankey_svg(
        &loaded.model,
        &circ_core::sankey::Options::default(),
    ))
}

/// Loads a model from JSON text, or the `Error` with every problem.
fn load_json(model_json: &str) -> Result<Loaded, JsError> {
    let source = SourceText {
        name: "model.json",
        text: model_json,
    };
    load(source, Format::Json, &|table| {
        Err(format!("flow tables are not available in the browser (asked for {table}); put the flows in the model"))
    })
    .map_err(|diags| {
        into_error(diags.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))
    })
}

/// The Material Circularity Indicator and Circular Transition Indicators of a product file given
/// as JSON: the same bytes as `circ product FILE.json --format json` (without its final newline).
///
/// # Errors
/// A JavaScript `Error` listing every problem, one per line, as the CLI prints them.
#[wasm_bindgen]
pub fn product(product_json: &str) -> Result<String, JsError> {
    circ_core::product::product_json(product_json).map_err(into_error)
}

/// The company-level MCI and CTI of a company file (or the CTI of a process-network model) given
/// as JSON: the same bytes as `circ company FILE.json --format json` (without its final newline).
///
/// # Errors
/// A JavaScript `Error` listing every problem, one per line, as the CLI prints them.
#[wasm_bindgen]
pub fn company(company_json: &str) -> Result<String, JsError> {
    circ_core::product::company_json(company_json).map_err(into_error)
}
