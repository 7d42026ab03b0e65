//! Any text read as a JSON model: circ reports problems or computes indicators, never panics.
#![no_main]
use circ_core::{Format, SourceText, load, run};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let read = |_: &str| Err("no tables".to_owned());
    match load(SourceText { name: "fuzz.json", text }, Format::Json, &read) {
        Ok(loaded) => {
            let report = run(&loaded.model);
            let _ = (report.to_text(), report.to_json(), report.to_csv(), report.to_markdown());
        }
        Err(diags) => {
            let _: Vec<String> = diags.iter().map(ToString::to_string).collect();
        }
    }
});
