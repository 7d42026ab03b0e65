//! The dynamic-stock documentation and example say what they compute: the example of
//! docs/stocks.md gives the numbers its text states, and data/examples/buildings.toml projects
//! over its whole axis.

use std::path::Path;

use circ_core::{Format, ProjectOptions, SourceText, load, project};

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path))
        .expect(path)
}

fn projection(text: &str, from: i32, to: i32) -> circ_core::Projection {
    let loaded = load(
        SourceText {
            name: "model.toml",
            text,
        },
        Format::Toml,
        &|_| Err(String::new()),
    )
    .unwrap_or_else(|d| panic!("{}", d[0]));
    project(&loaded.model, &ProjectOptions { from, to }).expect("projects")
}

#[test]
fn the_stocks_doc_example_gives_what_the_text_says() {
    let doc = read("docs/stocks.md");
    let example = doc
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a TOML example");
    let p = projection(example, 2020, 2025);
    let metric = &p
        .indicator("cgr.circularity_metric")
        .expect("defined")
        .values;
    // "In 2020 nothing has reached its end of life yet, and the metric is 0."
    assert_eq!(metric[0], Some(0.0));
    // "… gives a Circularity Metric of 75 / (25 + 75) = 75 %."
    let m2025 = metric[5].expect("computable");
    assert!((m2025 - 0.75).abs() < 1e-12, "{m2025}");
    assert!(doc.contains("= **75 %**"));
}

#[test]
fn the_illustrative_example_projects_over_its_axis() {
    let p = projection(&read("data/examples/buildings.toml"), 2000, 2050);
    assert_eq!(p.years.len(), 51);
    assert_eq!(p.stocks.len(), 2);
    for s in &p.stocks {
        assert!(s.inflow.iter().all(|v| *v >= 0.0), "{}", s.id);
    }
    // The recycling share reaches 70 % in 2033: the recycling rate rises with it.
    let rate = &p.indicator("waste.recycling_rate").expect("defined").values;
    let (r2024, r2040) = (rate[24].expect("known"), rate[40].expect("known"));
    assert!(r2040 > r2024 + 0.3, "{r2024} → {r2040}");
}
