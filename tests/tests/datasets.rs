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

#[test]
fn every_data_set_reproduces_its_published_figure() {
    for r in package()["resources"].as_array().expect("resources") {
        let name = r["name"].as_str().expect("name");
        let expect = &r["reproduces"];
        let (id, value, tol) = (
            expect["indicator"].as_str().expect("indicator"),
            expect["value"].as_f64().expect("value"),
            expect["tolerance"].as_f64().expect("tolerance"),
        );
        let loaded = circ_core::dataset(name)
            .expect("embedded")
            .load()
            .expect("valid");
        let got = run(&loaded.model)
            .indicator(id)
            .and_then(|i| i.value)
            .expect("computable");
        assert!(
            (got - value).abs() <= tol,
            "{name}: {id} = {got}, published {value}"
        );
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
