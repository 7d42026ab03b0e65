//! circ-core: material flows, stocks and circularity indicators, computed from one model.
//!
//! The pipeline, each step a free function over values:
//!
//! 1. [`parse_model`] reads a TOML or JSON document into the file types of [`format`](mod@format), and
//!    [`parse_flow_table`] reads CSV tables of flows.
//! 2. [`validate()`] turns them into a [`Model`], valid by construction, or returns every problem
//!    as a [`Diagnostic`] naming file, line or key, and what would fix it. [`load`] does steps 1
//!    and 2 and finds the line of each problem. A model whose flows are not all given (flows by
//!    a `share` of their origin's output, or by nothing) is a [`network::Network`]: validation
//!    solves it with [`network::solve`], reconciling given values with uncertainties that
//!    over-determine the balances, so that the model has every flow known.
//! 3. [`accounts()`] derives the EW-MFA and waste accounts from process roles.
//! 4. [`evaluate`] computes every [`indicator`] from the accounts, each with its formula, source
//!    and inputs, or the reason it cannot be computed.
//! 5. [`run`] does steps 3 and 4 and returns a [`Report`], which renders itself as text, JSON, CSV
//!    or Markdown; [`run_with_uncertainty`] adds the spread of every indicator, propagated by
//!    [`uncertainty::linear`] or [`uncertainty::monte_carlo`].
//! 6. [`sankey::sankey_svg`] draws the model's flows as a Sankey diagram, [`publish::html`] and
//!    [`publish::markdown`] write the publishable report around a [`Report`], with the charts of
//!    [`chart`], and [`check::verify`] compares a published number with the [`Report`].
//!
//! Beside it, [`product`] computes the indicators of products, companies and projects (the EMF
//! Material Circularity Indicator and WBCSD's Circular Transition Indicators) from a product or
//! company file, and what a process network's roles allow: [`product_report`],
//! [`company_report`].
//!
//! For the web calculator, [`calculator::calculate`] turns the form a visitor fills in into a
//! model and a product file, and evaluates both.
//!
//! Core does no I/O: texts come in as `&str`, results leave as values and strings. It builds for
//! `wasm32-unknown-unknown` and gives the same bits there as natively.
//!
//! ```
//! use circ_core::{Format, SourceText, load, run};
//!
//! let text = r#"
//! [meta]
//! name = "Two-process economy"
//! unit = "kt"
//! scope = "global"
//!
//! [[processes]]
//! id = "mine"
//! role = "extraction"
//! [[processes]]
//! id = "economy"
//! role = "use"
//! [[processes]]
//! id = "recycler"
//! role = "recycling"
//! [[processes]]
//! id = "dump"
//! role = "landfill"
//!
//! [[flows]]
//! from = "mine"
//! to = "economy"
//! material = "MF2"
//! value = 90
//! [[flows]]
//! from = "recycler"
//! to = "economy"
//! material = "MF2"
//! value = 10
//! [[flows]]
//! from = "economy"
//! to = "recycler"
//! material = "MF2"
//! value = 10
//! [[flows]]
//! from = "economy"
//! to = "dump"
//! material = "MF2"
//! value = 90
//! "#;
//! let loaded = load(SourceText { name: "two.toml", text }, Format::Toml, &|_| Err("no files".into()))
//!     .expect("a valid model");
//! let report = run(&loaded.model);
//! let metric = report.indicator("cgr.circularity_metric").and_then(|i| i.value);
//! assert_eq!(metric, Some(0.1)); // 10 / (90 + 10)
//! ```
#![deny(missing_docs)]

pub mod accounts;
pub mod calculator;
pub mod chart;
pub mod check;
pub mod datasets;
pub mod diagnostic;
pub mod dynamics;
pub mod format;
pub mod import;
pub mod indicator;
pub mod model;
pub mod network;
pub mod product;
pub mod project;
pub mod publish;
pub mod report;
pub mod sankey;
pub mod scenario;
pub mod sha256;
mod sort;
pub mod stock;
pub mod uncertainty;
pub mod unit;
pub mod validate;

pub use accounts::{AccountLine, Accounts, Amount, LineValue, accounts};
pub use datasets::{DATASETS, Dataset, dataset};
pub use diagnostic::{Diagnostic, Location, Severity};
pub use format::{Format, RawModel, SourceText, json_schema, parse_flow_table, parse_model};
pub use indicator::{Indicator, IndicatorValue, evaluate};
pub use model::{MaterialGroup, Model, Role, Scope, Treatment};
pub use product::{
    Company, Product, ProductFormat, ProductReport, assess_company, assess_network, assess_product,
    company_report, product_report,
};
pub use project::{ProjectError, ProjectOptions, Projection, project};
pub use report::{Report, run, run_with_uncertainty};
pub use unit::Unit;
pub use validate::{Loaded, load, validate};

#[cfg(test)]
pub(crate) mod testing {
    //! Helpers for unit tests: models from TOML text.
    use crate::{Format, Model, SourceText, load};

    /// The network of `tests/cases/valid/every_role.toml`: a process of every role, balanced.
    pub const EVERY_ROLE: &str = include_str!("../../tests/cases/valid/every_role.toml");

    /// Loads a model from TOML, panicking with every problem if it is invalid.
    pub fn model(text: &str) -> Model {
        load(
            SourceText {
                name: "test.toml",
                text,
            },
            Format::Toml,
            &|_| Err("no files".into()),
        )
        .unwrap_or_else(|d| {
            panic!(
                "{}",
                d.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        })
        .into_model()
    }
}
