//! Any text read by `import::parse_eurostat_tsv`, then built into a model, written as TOML and loaded again:
//! never panics, and an imported model always loads.
#![no_main]
use circ_core::import::{self, Filter, ImportOptions};
use circ_core::{Format, SourceText, load, run};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let src = SourceText { name: "fuzz", text };
    let (table, diags) = import::parse_eurostat_tsv(src, &Filter::default());
    let _: Vec<String> = diags.iter().map(ToString::to_string).collect();
    // Build for the first geography and period the table holds, and for the fixtures' ones.
    let geo = table
        .dimension("geo")
        .and_then(|g| table.series.first().map(|s| s.key[g].clone()))
        .unwrap_or_else(|| "CZ".to_owned());
    let year = table
        .series
        .first()
        .and_then(|s| s.points.first().map(|p| p.period.clone()))
        .unwrap_or_else(|| "2022".to_owned());
    let opts = ImportOptions { geo: &geo, year: &year, release: None, name: None };
    if let Ok(imported) = import::build_model(std::slice::from_ref(&table), &opts) {
        let toml = imported.to_toml().expect("an imported model is written as TOML");
        let loaded = load(SourceText { name: "imported.toml", text: &toml }, Format::Toml, &|_| {
            Err("no tables".into())
        })
        .unwrap_or_else(|d| panic!("an imported model must load: {}\n{toml}", d[0]));
        let report = run(&loaded.model);
        let _ = import::compare_published(&report, &imported.published);
    }
});
