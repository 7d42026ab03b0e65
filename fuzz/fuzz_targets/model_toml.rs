//! Any text read as a TOML model: circ reports problems or computes indicators, never panics.
#![no_main]
use circ_core::{Format, SourceText, load, run};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // A flow table read from the same bytes, so the CSV path is reached from TOML as well.
    let read = |_: &str| Ok(text.to_owned());
    match load(SourceText { name: "fuzz.toml", text }, Format::Toml, &read) {
        Ok(loaded) => {
            let report = run(&loaded.model);
            let _ = (report.to_text(), report.to_json(), report.to_csv(), report.to_markdown());
            let _ = (report.accounts_text(), report.accounts_csv());
            if let Some(doc) = loaded.document {
                let _ = circ_core::format::to_toml(&doc);
                let _ = circ_core::format::to_json(&doc);
            }
        }
        Err(diags) => {
            let _: Vec<String> = diags.iter().map(ToString::to_string).collect();
        }
    }
});
