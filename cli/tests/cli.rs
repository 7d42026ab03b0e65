//! The `circ` binary end to end: every subcommand, its output formats, exit codes and messages
//! for bad input.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn circ() -> Command {
    Command::cargo_bin("circ").expect("the circ binary is built")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn case(path: &str) -> PathBuf {
    repo().join("tests/cases").join(path)
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("valid JSON")
}

fn indicator(report: &serde_json::Value, id: &str) -> serde_json::Value {
    report["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
        .clone()
}

#[test]
fn run_without_arguments_prints_the_default_with_formula_and_source() {
    // CGR 2020: 8.65 / (92.0 + 8.65) Gt = 8.59 %, published as 8.6 %.
    circ()
        .arg("run")
        .assert()
        .success()
        .stdout(predicate::str::contains("Circularity Metric"))
        .stdout(
            predicate::str::is_match(
                r"Circularity Metric\s+8\.6 %\s+secondary / \(virgin \+ secondary\)",
            )
            .expect("regex"),
        )
        .stdout(predicate::str::contains(
            "https://www.circularity-gap.world/methodology",
        ))
        .stdout(predicate::str::contains(
            "Data [cgr2020]: Circle Economy (2020)",
        ));
}

#[test]
fn run_another_dataset() {
    // CGR 2018: 8.4 / 92.8 Gt = 9.05 %, published as 9.1 %.
    circ()
        .args(["run", "--dataset", "cgr2018"])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"Circularity Metric\s+9\.1 %").expect("regex"));
}

#[test]
fn run_json_carries_values_formulas_sources_and_reasons() {
    let out = circ()
        .args(["run", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    let metric = indicator(&report, "cgr.circularity_metric");
    assert_eq!(metric["value"].as_f64(), Some(8.65e9 / 100.65e9));
    assert_eq!(
        metric["formula"],
        "secondary / (virgin + secondary), virgin = DMC"
    );
    assert!(
        metric["source"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
    let per_capita = indicator(&report, "mfa.dmc_per_capita");
    assert!(per_capita["value"].is_null());
    assert!(
        per_capita["reason"]
            .as_str()
            .is_some_and(|r| r.contains("population"))
    );
}

#[test]
fn run_csv_and_markdown() {
    circ()
        .args(["run", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "id,name,value,unit,formula,reason,source,source_url\n",
        ))
        .stdout(predicate::str::contains(format!(
            "cgr.circularity_metric,Circularity Metric,{},fraction",
            8.65e9 / 100.65e9
        )));
    circ()
        .args(["run", "--format", "md"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| Circularity Metric | `cgr.circularity_metric` | 8.6 % |",
        ))
        .stdout(predicate::str::contains("## Not computable"));
}

#[test]
fn run_writes_output_files_atomically_replacing_the_old_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.json");
    fs::write(&out, "old").expect("write");
    circ()
        .args(["run", "--format", "json", "-o"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let text = fs::read_to_string(&out).expect("written");
    assert!(text.starts_with('{'));
    // No temporary file is left beside it.
    let names: Vec<_> = fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn a_failed_write_keeps_the_previous_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    // The output's directory does not exist: the write fails with exit 1 and names the file.
    let out = dir.path().join("missing").join("report.json");
    circ()
        .args(["run", "-o"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot write"));
}

#[test]
fn run_a_model_file_with_flow_tables() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("m.toml"),
        "flow_tables = [\"flows.csv\"]\n[meta]\nname = \"m\"\nscope = \"global\"\n[[processes]]\nid = \"mine\"\nrole = \"extraction\"\n[[processes]]\nid = \"use\"\nrole = \"use\"\n[[processes]]\nid = \"rec\"\nrole = \"recycling\"\n[[processes]]\nid = \"dump\"\nrole = \"landfill\"\n",
    )
    .expect("write");
    fs::write(dir.path().join("flows.csv"), "from,to,material,value,unit\nmine,use,MF2,9,kt\nrec,use,MF2,1000,t\nuse,rec,MF2,1,kt\nuse,dump,MF2,9,kt\n")
        .expect("write");
    let out = circ()
        .arg("run")
        .arg(dir.path().join("m.toml"))
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    // 1 kt secondary of 9 kt virgin + 1 kt: 10 %.
    assert_eq!(
        indicator(&json(&out), "cgr.circularity_metric")["value"].as_f64(),
        Some(0.1)
    );
}

#[test]
fn run_a_bad_model_exits_1_with_every_problem() {
    circ()
        .arg("run")
        .arg(case("invalid/unknown_references.toml"))
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "unknown_references.toml:12:1: error: processes[1].role: unknown role \"recyling\"",
        ))
        .stderr(predicate::str::contains("hint: did you mean \"plant\"?"))
        .stderr(predicate::str::contains("4 errors, 0 warnings"));
}

#[test]
fn bad_invocations_exit_1_with_a_hint() {
    circ()
        .args(["run", "--dataset", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the embedded data sets are cgr2020, cgr2018",
        ));
    circ()
        .args(["run", "no/such/model.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read no/such/model.toml"));
    circ()
        .args(["run", "model.xlsx"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot tell the format"));
    circ()
        .args(["accounts", "--format", "md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no Markdown form"));
    // Bad arguments are bad input too (clap would exit 2, which circ keeps for its bugs).
    circ()
        .args(["run", "--format", "xml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("invalid value 'xml'"));
}

#[test]
fn validate_reports_all_files_and_all_problems() {
    circ()
        .arg("validate")
        .arg(case("valid/every_role.toml"))
        .assert()
        .success()
        .stdout("1 model valid\n");
    circ()
        .arg("validate")
        .arg(case("valid/every_role.toml"))
        .arg(case("invalid/roles.toml"))
        .arg(case("invalid/bad_values.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("roles.toml:20:1: error: flows[0]: flow into \"mine\", whose role extraction is a source"))
        .stderr(predicate::str::contains("bad_values.toml:19:1: error: flows[0].value: negative value -5"))
        .stderr(predicate::str::contains("14 errors, 0 warnings"))
        .stderr(predicate::str::contains("2 of 3 models invalid"));
}

#[test]
fn validate_json_lists_structured_problems() {
    let out = circ()
        .arg("validate")
        .arg(case("invalid/unbalanced.toml"))
        .args(["--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let problems = json(&out);
    let first = &problems[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["location"]["line"], 9);
    assert_eq!(
        first["location"]["path"],
        serde_json::json!(["processes", 1])
    );
    assert!(first["hint"].as_str().is_some());
    assert_eq!(problems.as_array().map(Vec::len), Some(3));
}

#[test]
fn warnings_do_not_fail_validation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.toml");
    fs::write(
        &path,
        "[meta]\nname = \"w\"\n[[processes]]\nid = \"idle\"\nrole = \"use\"\n",
    )
    .expect("write");
    circ()
        .arg("validate")
        .arg(&path)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: processes[0]: process \"idle\" has no flows",
        ));
}

#[test]
fn schema_is_a_json_schema_of_the_model() {
    let out = circ()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let schema = json(&out);
    assert_eq!(schema["title"], "circ model");
    assert!(schema["properties"]["processes"].is_object());
    assert!(
        schema["required"]
            .as_array()
            .is_some_and(|r| r.contains(&serde_json::json!("meta")))
    );
}

#[test]
fn datasets_lists_the_embedded_data_sets() {
    circ()
        .arg("datasets")
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(
                r"cgr2020 +Global economy 2017 \(Circularity Gap Report 2020\) \(default\)",
            )
            .expect("regex"),
        )
        .stdout(predicate::str::contains("cgr2018"))
        .stdout(predicate::str::contains("ua-cdw-project"));
    let out = circ()
        .args(["datasets", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&out)[0]["default"], true);
}

#[test]
fn accounts_show_ew_mfa_lines_by_group() {
    circ().arg("accounts").assert().success().stdout(
        predicate::str::is_match(
            r"Domestic material consumption \(DMC\)\s+92\s+23\s+9\.2\s+46\s+13\.8\s+0",
        )
        .expect("regex"),
    );
    circ()
        .args(["accounts", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("mfa.dmc,Domestic material consumption (DMC),92000000000,23000000000,9200000000,46000000000,13800000000,0,"));
}

#[test]
fn convert_round_trips_toml_and_json_to_the_same_results() {
    let dir = tempfile::tempdir().expect("temp dir");
    let as_json = dir.path().join("m.json");
    let as_toml = dir.path().join("m.toml");
    let model = case("valid/every_role.toml");
    circ()
        .arg("convert")
        .arg(&model)
        .arg("-o")
        .arg(&as_json)
        .assert()
        .success();
    circ()
        .arg("convert")
        .arg(&as_json)
        .arg("-o")
        .arg(&as_toml)
        .assert()
        .success();
    let run = |p: &Path| {
        circ()
            .arg("run")
            .arg(p)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let original = run(&model);
    assert_eq!(run(&as_json), original);
    assert_eq!(run(&as_toml), original);
    circ()
        .arg("convert")
        .arg(&model)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--to toml or --to json"));
}

#[test]
fn every_subcommand_has_help_with_examples() {
    for sub in [
        "run", "accounts", "validate", "convert", "schema", "datasets", "import",
    ] {
        circ()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
    circ()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Exit codes: 0 success, 1 bad input, 2 internal error",
        ));
}
