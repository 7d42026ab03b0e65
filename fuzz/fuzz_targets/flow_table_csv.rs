//! Any bytes read as a CSV flow table, then validated against a small model: never panics.
#![no_main]
use circ_core::{Format, SourceText, load, parse_flow_table, run};
use libfuzzer_sys::fuzz_target;

const MODEL: &str = "flow_tables = [\"t.csv\"]\n[meta]\nname = \"f\"\nunit = \"kt\"\n[[processes]]\nid = \"mine\"\nrole = \"extraction\"\n[[processes]]\nid = \"use\"\nrole = \"use\"\nbalanced = false\n[[processes]]\nid = \"dump\"\nrole = \"landfill\"\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (_, diags) = parse_flow_table(SourceText { name: "t.csv", text: &text });
    let _: Vec<String> = diags.iter().map(ToString::to_string).collect();
    let read = |_: &str| Ok(text.clone().into_owned());
    if let Ok(loaded) = load(SourceText { name: "m.toml", text: MODEL }, Format::Toml, &read) {
        let _ = run(&loaded.model).to_json();
    }
});
