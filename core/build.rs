//! Writes each data set (`data/NAME.toml`) as JSON into `OUT_DIR`, so that builds of
//! circ-core without TOML (the web module) embed the same data sets. The JSON has the TOML's
//! keys in alphabetical order; its numbers are the same literals, so they read as the same bits.

use std::{env, fs, path::Path};

fn main() {
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo::rerun-if-changed=../data");
    let mut names: Vec<String> = fs::read_dir("../data")
        .expect("data/ is beside core/")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|f| f.strip_suffix(".toml").map(str::to_owned))
        .collect();
    names.sort();
    let mut index = String::from(
        "/// Every data set as JSON: (name, text).\nconst JSON: &[(&str, &str)] = &[\n",
    );
    for name in &names {
        index.push_str(&format!(
            "    (\"{name}\", include_str!(concat!(env!(\"OUT_DIR\"), \"/{name}.json\"))),\n"
        ));
    }
    index.push_str("];\n");
    fs::write(Path::new(&out).join("datasets_json.rs"), index).expect("OUT_DIR is writable");
    for name in names {
        let path = format!("../data/{name}.toml");
        println!("cargo::rerun-if-changed={path}");
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        // Compact: the web module embeds it, and every byte is download.
        let json = serde_json::to_string(&value).expect("TOML values are JSON values");
        fs::write(Path::new(&out).join(format!("{name}.json")), json).expect("OUT_DIR is writable");
    }
}
