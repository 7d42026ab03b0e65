//! Writes each embedded data set (`data/NAME.toml`) as JSON into `OUT_DIR`, so that builds of
//! circ-core without TOML (the web module) embed the same data sets. The JSON has the TOML's
//! keys in alphabetical order; its numbers are the same literals, so they read as the same bits.

use std::{env, fs, path::Path};

const DATASETS: [&str; 2] = ["cgr2020", "cgr2018"];

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for name in DATASETS {
        let path = format!("../data/{name}.toml");
        println!("cargo::rerun-if-changed={path}");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = serde_json::to_string_pretty(&value).expect("TOML values are JSON values");
        fs::write(Path::new(&out).join(format!("{name}.json")), json).expect("OUT_DIR is writable");
    }
}
