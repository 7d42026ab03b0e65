//! The shipped data sets: each embedded one is described in data/datapackage.json with its
//! sources, release and licence, its file is the embedded text, and it reproduces the published
//! figure the package names.

use std::path::Path;

use circ_core::{DATASETS, run};

fn package() -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/datapackage.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("datapackage.json"))
        .expect("valid JSON")
}

#[test]
fn every_embedded_data_set_is_described_with_its_sources() {
    let pkg = package();
    let resources = pkg["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), DATASETS.len());
    for d in DATASETS {
        let r = resources
            .iter()
            .find(|r| r["name"] == d.name)
            .unwrap_or_else(|| panic!("{} not in datapackage.json", d.name));
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../data")
            .join(r["path"].as_str().expect("path"));
        assert_eq!(
            std::fs::read_to_string(file).expect("file"),
            d.text,
            "{}: embedded text differs from the file",
            d.name
        );
        let sources = r["sources"].as_array().expect("sources");
        assert!(!sources.is_empty());
        for s in sources {
            for key in ["title", "path", "table", "release"] {
                assert!(
                    s[key].as_str().is_some_and(|v| !v.is_empty()),
                    "{}: a source lacks {key}",
                    d.name
                );
            }
        }
        assert!(
            r["licenses"].as_array().is_some_and(|l| !l.is_empty()),
            "{}: no licence",
            d.name
        );
        assert!(r["units"].as_str().is_some(), "{}: no units", d.name);
    }
}

/// Every published figure a data set names: reproduced within its tolerance where the data set
/// has its components, and otherwise reported as not computable, naming what is missing (the
/// data set states the published value for reference; it never shows a number it cannot back).
#[test]
fn every_published_figure_is_reproduced_or_reported_missing() {
    for r in package()["resources"].as_array().expect("resources") {
        let name = r["name"].as_str().expect("name");
        let loaded = circ_core::dataset(name)
            .expect("embedded")
            .load()
            .expect("valid");
        let report = run(&loaded.model);
        for p in r["published"]
            .as_array()
            .expect("a list of published figures")
        {
            let id = p["indicator"].as_str().expect("indicator");
            let value = p["value"].as_f64().expect("value");
            let i = report
                .indicator(id)
                .unwrap_or_else(|| panic!("{name}: no indicator {id}"));
            for key in ["source", "release"] {
                assert!(
                    p[key].as_str().is_some_and(|v| !v.is_empty()),
                    "{name}: {id} lacks its {key}"
                );
            }
            if p["reproducible"].as_bool().expect("reproducible") {
                let tol = p["tolerance"].as_f64().expect("tolerance");
                let got = i
                    .value
                    .unwrap_or_else(|| panic!("{name}: {id}: {:?}", i.reason));
                assert!(
                    (got - value).abs() <= tol,
                    "{name}: {id} = {got}, published {value} (tolerance {tol})"
                );
            } else {
                let missing = p["missing"].as_str().expect("what is missing");
                assert_eq!(i.value, None, "{name}: {id} should not be computable");
                let why = i.reason.as_deref().unwrap_or("");
                assert!(why.contains(missing), "{name}: {id}: {why}");
                let description = r["description"].as_str().unwrap_or("");
                assert!(
                    description.contains("not available"),
                    "{name}: the description must say the components are not available"
                );
            }
        }
        for f in r["reference_figures"]
            .as_array()
            .expect("reference figures")
        {
            for key in ["name", "unit", "source", "release"] {
                assert!(
                    f[key].as_str().is_some_and(|v| !v.is_empty()),
                    "{name}: a reference figure lacks its {key}: {f}"
                );
            }
            assert!(
                f["value"].as_f64().is_some() && f["year"].as_i64().is_some(),
                "{name}: {f}"
            );
        }
    }
}

/// The shipped data sets cover the EU, the five partner countries and Ukraine.
#[test]
fn the_eu_the_partner_countries_and_ukraine_are_covered() {
    for (name, region) in [
        ("eu27", "EU27_2020"),
        ("cz", "CZ"),
        ("pl", "PL"),
        ("lt", "LT"),
        ("ro", "RO"),
        ("sk", "SK"),
        ("ua", "UA"),
    ] {
        let m = circ_core::dataset(name)
            .unwrap_or_else(|| panic!("no data set {name}"))
            .load()
            .expect("valid")
            .model;
        assert_eq!(m.meta().region.as_deref(), Some(region), "{name}");
        assert!(!m.flows().is_empty(), "{name} holds no figure");
    }
}

/// The illustrative project: one debris hub like Bucha's (30 % of 80 kt crushed into aggregates,
/// replacing quarried ones) moves the Kyiv oblast system's indicators from the baseline by the
/// amounts docs/data.md states.
#[test]
fn the_illustrative_project_moves_the_regions_indicators() {
    let values = |name: &str| {
        let m = circ_core::dataset(name)
            .expect("embedded")
            .load()
            .expect("valid")
            .model;
        let report = run(&m);
        [
            "cgr.circularity_metric",
            "eurostat.cmu_rate",
            "waste.treatment_share.recycling",
            "waste.treatment_share.landfill",
            "waste.recycling_rate",
        ]
        .map(|id| {
            report
                .indicator(id)
                .and_then(|i| i.value)
                .unwrap_or(f64::NAN)
        })
    };
    assert_eq!(values("ua-cdw-baseline"), [0.0, 0.0, 0.0, 1.0, 0.0]);
    // 24 / (176 + 24), 24 / (176 + 24), 24 / 80, 56 / 80, 24 / 80.
    assert_eq!(values("ua-cdw-project"), [0.12, 0.12, 0.3, 0.7, 0.3]);
    let docs =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/data.md"))
            .expect("docs/data.md");
    for row in [
        "| Circularity Metric (`cgr.circularity_metric`) | 0 % | 12 % |",
        "| Circular material use rate (`eurostat.cmu_rate`) | 0 % | 12 % |",
        "| Share of debris recycled (`waste.treatment_share.recycling`) | 0 % | 30 % |",
        "| Share of debris disposed of (`waste.treatment_share.landfill`) | 100 % | 70 % |",
    ] {
        assert!(docs.contains(row), "docs/data.md lacks the row {row}");
    }
}

#[test]
fn every_flow_of_a_shipped_data_set_names_its_source() {
    for d in DATASETS {
        let model = d.load().expect("valid").model;
        for f in model.flows() {
            assert!(
                f.source.is_some(),
                "{}: flow {} has no source",
                d.name,
                model.flow_label(f)
            );
        }
        for s in model.stock_changes() {
            assert!(
                s.source.is_some(),
                "{}: a stock change has no source",
                d.name
            );
        }
    }
}
