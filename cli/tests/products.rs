//! `circ product` and `circ company` end to end: the shipped examples in every output format,
//! process networks, exit codes and the messages for bad input.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn circ() -> Command {
    Command::cargo_bin("circ").expect("the circ binary is built")
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join(path)
}

fn stdout_json(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("valid JSON")
}

fn indicator<'a>(entity: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    entity["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// Writes `text` to `name` in a fresh directory and returns both.
fn file(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    fs::write(&path, text).expect("write");
    (dir, path)
}

#[test]
fn product_table_shows_values_formulas_inputs_and_sources() {
    // data/examples/office-chair.toml: LFI 0.475, X = 12/8, MCI = 1 − 0.475 · 0.6 = 0.715.
    circ()
        .arg("product")
        .arg(repo("data/examples/office-chair.toml"))
        .assert()
        .success()
        .stderr("")
        .stdout(predicate::str::starts_with(
            "Office chair K-12 (illustrative) · 2025\nProduct · EMF MCI method 2019",
        ))
        .stdout(
            predicate::str::is_match(
                r"Material Circularity Indicator +0\.715  MCI = max\(0, 1 − LFI · F\(X\)\), F\(X\) = 0\.9 / X",
            )
            .expect("regex"),
        )
        .stdout(predicate::str::contains("with LFI = 0.475459; X = 1.5; F(X) = 0.6"))
        .stdout(predicate::str::is_match(r"% circular inflow +46\.4 %").expect("regex"))
        .stdout(predicate::str::is_match(r"% renewable energy +30\.0 %").expect("regex"))
        .stdout(predicate::str::contains("Conventions"))
        .stdout(predicate::str::contains("https://ctitool.com/home-2/"));
}

#[test]
fn product_json_carries_every_value_with_its_formula_source_and_convention() {
    let report = stdout_json(
        circ()
            .arg("product")
            .arg(repo("data/examples/office-chair.toml"))
            .args(["--format", "json"]),
    );
    assert_eq!(report["kind"], "product");
    assert_eq!(report["method"], "2019");
    let chair = &report["entities"][0];
    assert_eq!(chair["level"], "product");
    let mci = indicator(chair, "emf.mci");
    let v = mci["value"].as_f64().expect("a value");
    assert!((v - 0.714_725).abs() < 1e-6, "{v}");
    assert_eq!(mci["unit"], "fraction");
    assert!(
        mci["source"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
    assert!(
        mci["convention"]
            .as_str()
            .is_some_and(|c| c.contains("Clamped at 0"))
    );
    let lfi = indicator(chair, "emf.lfi");
    assert!(
        lfi["formula"]
            .as_str()
            .is_some_and(|f| f.contains("(W_F − W_C)/2"))
    );
    assert_eq!(chair["materials"].as_array().map(Vec::len), Some(5));
    assert_eq!(chair["materials"][3]["energy_recovery_credited"], true);
}

#[test]
fn product_csv_and_markdown() {
    circ()
        .arg("product")
        .arg(repo("data/examples/office-chair.toml"))
        .args(["--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "level,entity,entity_name,id,name,value,unit,formula,reason,source,source_url\n",
        ))
        .stdout(predicate::str::contains(
            "product,chair-k12,Office chair K-12 (illustrative),emf.mci,Material Circularity Indicator,0.7147",
        ));
    circ()
        .arg("product")
        .arg(repo("data/examples/office-chair.toml"))
        .args(["--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| Material Circularity Indicator | `emf.mci` | 0.715 |",
        ))
        .stdout(predicate::str::contains("## Conventions"));
}

#[test]
fn product_output_files_are_written_atomically() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("chair.json");
    fs::write(&out, "old").expect("write");
    circ()
        .arg("product")
        .arg(repo("data/examples/office-chair.toml"))
        .args(["--format", "json", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    assert!(fs::read_to_string(&out).expect("written").starts_with('{'));
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);
}

#[test]
fn a_csv_of_material_rows_is_a_product() {
    // The chair's materials alone: the same LFI, average utility: MCI = 1 − 0.475459 · 0.9.
    circ()
        .arg("product")
        .arg(repo("data/examples/office-chair-materials.csv"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Product: office-chair-materials"))
        .stdout(
            predicate::str::is_match(r"Material Circularity Indicator +0\.572").expect("regex"),
        );
}

#[test]
fn schemas_are_printed() {
    let schema = stdout_json(circ().args(["product", "--schema"]));
    assert_eq!(schema["title"], "circ product");
    let schema = stdout_json(circ().args(["company", "--schema"]));
    assert_eq!(schema["title"], "circ company");
}

/// The edge case of ../shared/reference/INDICATORS.md §1.2, recycled feedstock with recycling
/// efficiency 0: refused with its line and the fix, exit 1, nothing on standard output.
#[test]
fn recycled_feedstock_made_with_efficiency_zero_exits_1_with_the_line_and_a_fix() {
    let (_dir, path) = file(
        "bad.toml",
        "[product]\nname = \"x\"\n\n[[materials]]\nid = \"steel\"\nmass = 2\nrecycled = 0.4\nfeedstock_efficiency = 0\n",
    );
    circ()
        .arg("product")
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "bad.toml:8:1: error: materials[0].feedstock_efficiency: \"steel\" has recycled feedstock made with efficiency 0",
        ))
        .stderr(predicate::str::contains(
            "hint: a recycling process of efficiency 0 makes no recycled feedstock",
        ))
        .stderr(predicate::str::contains("1 error, 0 warnings"));
}

#[test]
fn every_problem_of_a_product_is_listed() {
    let (_dir, path) = file(
        "bad.json",
        r#"{"product": {"name": "x", "method": "2020", "lifetime": 5},
 "materials": [
  {"id": "a", "mass": 1, "recycled": 40, "recycling": 0.5},
  {"id": "b", "mass": 1, "composting": 0.5}
 ]}"#,
    );
    circ()
        .arg("product")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.json:1:27: error: product.method: unknown MCI method \"2020\""))
        .stderr(predicate::str::contains("product.lifetime: lifetime is given without average_lifetime"))
        .stderr(predicate::str::contains("bad.json:3:26: error: materials[0].recycled: recycled must lie between 0 and 1, not 40"))
        .stderr(predicate::str::contains("hint: shares are fractions: write 0.4 for 40 %"))
        .stderr(predicate::str::contains("materials[0].recycling_efficiency"))
        .stderr(predicate::str::contains("materials[1].composting: \"b\" is not biological"))
        .stderr(predicate::str::contains("5 errors, 0 warnings"));
}

#[test]
fn syntax_errors_and_unknown_fields_name_the_line() {
    let (_dir, path) = file(
        "typo.toml",
        "[product]\nname = \"x\"\n[[materials]]\nid = \"a\"\nmass = 1\nrecyled = 0.2\n",
    );
    circ()
        .arg("product")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "typo.toml:6:1: error: unknown field `recyled`",
        ))
        .stderr(predicate::str::contains("docs/products.md"));
}

#[test]
fn warnings_go_to_standard_error_and_the_exit_code_stays_0() {
    let (_dir, path) = file(
        "w.toml",
        "[product]\nname = \"x\"\n[[materials]]\nid = \"pvc\"\nmass = 1\nenergy_recovery = 0.5\n",
    );
    circ()
        .arg("product")
        .arg(&path)
        .args(["--format", "json"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "w.toml:6:1: warning: materials[0].energy_recovery: energy recovery of \"pvc\" is not credited",
        ))
        .stdout(predicate::str::contains("\"warnings\""));
}

#[test]
fn bad_invocations_exit_1() {
    circ()
        .arg("product")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("FILE"));
    circ()
        .args(["product", "--schema", "x.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot be used with"));
    let (_dir, path) = file("chair.txt", "");
    circ()
        .arg("product")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "cannot tell the format of this file",
        ))
        .stderr(predicate::str::contains(".toml or .json, or .csv"));
    circ()
        .args(["product", "no/such/chair.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read no/such/chair.toml"));
}

#[test]
fn company_example_gives_company_units_and_products() {
    let report = stdout_json(
        circ()
            .arg("company")
            .arg(repo("data/examples/company.toml"))
            .args(["--format", "json"]),
    );
    assert_eq!(report["kind"], "company");
    assert_eq!(report["weighting"], "mass");
    let entities = report["entities"].as_array().expect("entities");
    let levels: Vec<&str> = entities
        .iter()
        .map(|e| e["level"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        levels,
        [
            "company",
            "business_unit",
            "business_unit",
            "product",
            "product",
            "product"
        ]
    );
    // (168000 · 0.714725 + 156000 · 0.841979 + 7500 · 0.85) / 331500 = 0.7777
    let mci = indicator(&entities[0], "emf.mci")["value"]
        .as_f64()
        .expect("value");
    assert!((mci - 0.7777).abs() < 1e-4, "{mci}");
    let energy = indicator(&entities[3], "wbcsd.cti.renewable_energy");
    assert!(energy["value"].is_null());
    assert!(
        energy["reason"]
            .as_str()
            .is_some_and(|r| r.contains("chair-k12"))
    );
}

#[test]
fn company_reads_a_process_network() {
    circ()
        .arg("company")
        .arg(repo("tests/cases/valid/every_role.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Process network (indicators its roles allow)",
        ))
        .stdout(predicate::str::is_match(r"% circular inflow +n/a \[\d\]").expect("regex"))
        .stdout(predicate::str::contains("between 8.6 % and 31.4 %"))
        .stdout(predicate::str::contains("the MCI is a product indicator"));
}

#[test]
fn company_errors_exit_1() {
    // A CSV is not a company file.
    let (_dir, path) = file("c.csv", "id,mass\n");
    circ()
        .arg("company")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("named in material_tables"));
    // A material table that is not there.
    let (_dir, path) = file(
        "c.toml",
        "[company]\nname = \"Co\"\n[[products]]\nid = \"p\"\nunits = 1\nmaterial_tables = [\"missing.csv\"]\n",
    );
    circ()
        .arg("company")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "c.toml:6:20: error: products[0].material_tables[0]: cannot read material table \"missing.csv\"",
        ));
    // A product file is not a company file, and the message says which command to run.
    circ()
        .arg("company")
        .arg(repo("data/examples/office-chair.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "hint: this is a product file: run `circ product` on it",
        ));
    // An invalid process network is reported as a model.
    circ()
        .arg("company")
        .arg(repo("tests/cases/invalid/unknown_references.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown role \"recyling\""));
}

/// "From the CLI and from the web API alike": the web module wraps `product_json` and
/// `company_json`, which give the bytes of `--format json` (without its final newline).
#[test]
fn the_cli_and_the_web_api_give_the_same_bytes() {
    use circ_core::format::{parse_model, to_json};
    use circ_core::product::format::parse_product;
    use circ_core::product::{company_json, product_json};
    use circ_core::{Format, SourceText};

    let cli_json = |command: &str, path: &Path| {
        let out = circ()
            .arg(command)
            .arg(path)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).expect("UTF-8")
    };

    let toml = fs::read_to_string(repo("data/examples/office-chair.toml")).expect("example");
    let raw = parse_product(
        SourceText {
            name: "office-chair.toml",
            text: &toml,
        },
        Format::Toml,
    )
    .expect("valid");
    let json = serde_json::to_string_pretty(&raw).expect("serialises");
    let (_dir, path) = file("chair.json", &json);
    let web = product_json(&json).expect("valid");
    assert_eq!(cli_json("product", &path), web + "\n");

    let company = r#"{"company": {"name": "Co", "weighting": "revenue", "currency": "EUR"},
 "products": [
  {"id": "a", "units": 10, "revenue": 100, "materials": [{"id": "m", "mass": 2, "recycled": 0.5, "feedstock_efficiency": 0.9}]},
  {"id": "b", "units": 5, "revenue": 300, "materials": [{"id": "m", "mass": 1, "reuse": 1, "recovery_potential": 1}]}
 ]}"#;
    let (_dir, path) = file("company.json", company);
    let web = company_json(company).expect("valid");
    assert_eq!(cli_json("company", &path), web + "\n");

    let model = fs::read_to_string(repo("tests/cases/valid/every_role.toml")).expect("case");
    let network = to_json(
        &parse_model(
            SourceText {
                name: "every_role.toml",
                text: &model,
            },
            Format::Toml,
        )
        .expect("valid"),
    );
    let (_dir, path) = file("network.json", &network);
    let web = company_json(&network).expect("valid");
    assert_eq!(cli_json("company", &path), web + "\n");
}
