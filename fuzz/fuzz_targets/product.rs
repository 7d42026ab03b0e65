//! Any text read as a product or company file, in TOML and in JSON: circ reports problems or
//! computes the MCI and CTI, never panics.
#![no_main]
use circ_core::Format;
use circ_core::product::{company_from_text, product_from_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for format in [Format::Toml, Format::Json] {
        for result in [product_from_text(text, format), company_from_text(text, format)] {
            match result {
                Ok(report) => {
                    let _ = (report.to_json(), report.to_text(), report.to_csv(), report.to_markdown());
                }
                Err(diags) => {
                    let _: Vec<String> = diags.iter().map(ToString::to_string).collect();
                }
            }
        }
    }
});
