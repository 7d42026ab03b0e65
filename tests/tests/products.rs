//! docs/products.md: its examples are the shipped files under data/examples/, and they give the
//! numbers the text states.

use std::path::Path;

use circ_core::product::{Level, ProductFormat, ProductReport};
use circ_core::{Format, SourceText, company_report, load, product_report};

fn repo(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path))
        .expect(path)
}

/// The fenced blocks of a Markdown text in the given language.
fn blocks<'a>(markdown: &'a str, lang: &str) -> Vec<&'a str> {
    let fence = format!("```{lang}\n");
    markdown
        .split(fence.as_str())
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or(""))
        .collect()
}

fn tables(name: &str) -> Result<String, String> {
    Ok(repo(&format!("data/examples/{name}")))
}

fn value(r: &ProductReport, level: Level, id: &str, indicator: &str) -> Option<f64> {
    r.entity(level, id)
        .and_then(|e| e.indicator(indicator))
        .and_then(|i| i.value)
}

/// Rounds as the text does: to `decimals` places.
fn round(v: Option<f64>, decimals: i32) -> Option<String> {
    v.map(|v| format!("{v:.*}", usize::try_from(decimals).unwrap_or(0)))
}

#[test]
fn the_docs_show_the_shipped_examples() {
    let doc = repo("docs/products.md");
    let toml = blocks(&doc, "toml");
    assert_eq!(toml[0], repo("data/examples/office-chair.toml"));
    assert_eq!(toml[1], repo("data/examples/company.toml"));
    assert_eq!(
        blocks(&doc, "csv")[0],
        repo("data/examples/office-chair-materials.csv")
    );
}

#[test]
fn the_product_example_gives_what_the_text_says() {
    let text = repo("data/examples/office-chair.toml");
    let r = product_report(
        SourceText {
            name: "office-chair.toml",
            text: &text,
        },
        ProductFormat::Toml,
        &tables,
    )
    .unwrap_or_else(|d| panic!("{}", d[0]));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let at = |id: &str| value(&r, Level::Product, "chair-k12", id);
    assert_eq!(round(at("emf.mci"), 3).as_deref(), Some("0.715"));
    assert_eq!(round(at("emf.lfi"), 3).as_deref(), Some("0.475"));
    assert_eq!(at("emf.utility"), Some(1.5));
    assert_eq!(
        round(at("wbcsd.cti.circular_inflow"), 3).as_deref(),
        Some("0.464")
    );
    assert_eq!(
        round(at("wbcsd.cti.circular_outflow"), 3).as_deref(),
        Some("0.545")
    );
    assert_eq!(
        round(at("wbcsd.cti.circularity"), 3).as_deref(),
        Some("0.505")
    );
    assert_eq!(at("wbcsd.cti.renewable_energy"), Some(0.3));
    // The text's arithmetic: inflow (4.5 + 2) / 14, circularity (6.5 + 7.635) / 28.
    assert!((at("wbcsd.cti.circular_inflow").unwrap_or(0.0) - 6.5 / 14.0).abs() < 1e-15);
    assert!((at("wbcsd.cti.circularity").unwrap_or(0.0) - 14.135 / 28.0).abs() < 1e-15);

    // The CSV of the same materials alone: the same LFI, and X = 1.
    let csv = repo("data/examples/office-chair-materials.csv");
    let alone = product_report(
        SourceText {
            name: "office-chair-materials.csv",
            text: &csv,
        },
        ProductFormat::Csv,
        &tables,
    )
    .unwrap_or_else(|d| panic!("{}", d[0]));
    let lfi = value(&alone, Level::Product, "product", "emf.lfi");
    assert_eq!(lfi, at("emf.lfi"));
    let mci = value(&alone, Level::Product, "product", "emf.mci");
    assert_eq!(round(mci, 3).as_deref(), Some("0.572"));
}

#[test]
fn the_company_example_gives_what_the_text_says() {
    let text = repo("data/examples/company.toml");
    let r = company_report(
        SourceText {
            name: "company.toml",
            text: &text,
        },
        Format::Toml,
        &tables,
    )
    .unwrap_or_else(|d| panic!("{}", d[0]));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let at = |id: &str| value(&r, Level::Company, "company", id);
    assert_eq!(round(at("emf.mci"), 3).as_deref(), Some("0.778"));
    assert_eq!(
        round(at("wbcsd.cti.circular_inflow"), 3).as_deref(),
        Some("0.661")
    );
    assert_eq!(
        round(at("wbcsd.cti.circular_outflow"), 3).as_deref(),
        Some("0.440")
    );
    assert_eq!(
        round(at("wbcsd.cti.circularity"), 3).as_deref(),
        Some("0.550")
    );
    assert_eq!(at("wbcsd.cti.renewable_energy"), Some(0.3));
    // The chair line in the company has the product file's MCI: its materials come from the CSV.
    assert_eq!(
        round(value(&r, Level::Product, "chair-k12", "emf.mci"), 3).as_deref(),
        Some("0.715")
    );
    assert_eq!(r.entities.len(), 1 + 2 + 3);
}

#[test]
fn the_network_ranges_in_the_text_hold() {
    let text = repo("tests/cases/valid/every_role.toml");
    let r = company_report(
        SourceText {
            name: "every_role.toml",
            text: &text,
        },
        Format::Toml,
        &|_| Err(String::new()),
    )
    .unwrap_or_else(|d| panic!("{}", d[0]));
    let reason = |id: &str| {
        r.entities[0]
            .indicator(id)
            .and_then(|i| i.reason.clone())
            .unwrap_or_default()
    };
    assert!(reason("wbcsd.cti.circular_inflow").ends_with("between 8.6 % and 31.4 %"));
    assert!(reason("wbcsd.cti.circular_outflow").ends_with("between 22.6 % and 39.4 %"));
    // A network is a model: the same text loads as one.
    assert!(
        load(
            SourceText {
                name: "every_role.toml",
                text: &text,
            },
            Format::Toml,
            &|_| Err(String::new()),
        )
        .is_ok()
    );
}
