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

#[test]
fn solve_prints_every_flow_of_a_transfer_coefficient_network() {
    // Case TC-1 (INDICATORS.md §4.1): P1 → P2 = 0.6 · 2000/17 = 70.5882.
    circ()
        .arg("solve")
        .arg(case("valid/tc_1.toml"))
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"p1 → p2\s+MF2\s+70\.5882\s+share 0\.6").expect("regex"))
        .stdout(predicate::str::contains(
            "Solved 2 unknowns from 2 equations",
        ));
    let out = circ()
        .args(["solve", "--format", "json"])
        .arg(case("valid/tc_1.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    let x = report["items"][1]["value"].as_f64().expect("a value");
    assert!((x - 1200.0 / 17.0).abs() < 1e-9, "{x}");
    assert_eq!(report["items"][1]["basis"], "share");
}

#[test]
fn monte_carlo_gives_the_same_bytes_on_one_thread_and_on_two() {
    let run = |threads: &str| {
        circ()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "solve",
                "--uncertainty",
                "mc",
                "--samples",
                "3000",
                "--seed",
                "7",
                "--format",
                "json",
            ])
            .arg(case("reconcile/dr_1.toml"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let report = json(&one);
    assert_eq!(report["uncertainty"]["samples"], 3000);
    assert_eq!(report["uncertainty"]["seed"], 7);
    assert!(report["items"][0]["uncertainty"]["p95"].as_f64().is_some());
}

#[test]
fn reconcile_reports_values_and_test_statistics() {
    // Case DR-1 (INDICATORS.md §4.2): x̂ = [105, 105], σ̂ = 7.0711.
    let out = circ()
        .args(["reconcile", "--format", "json"])
        .arg(case("reconcile/dr_1.toml"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r = json(&out);
    assert_eq!(r["df"], 1);
    assert_eq!(r["passes"], true);
    for v in r["values"].as_array().expect("values") {
        assert!((v["reconciled"].as_f64().expect("number") - 105.0).abs() < 1e-9);
        assert!((v["reconciled_sd"].as_f64().expect("number") - 7.0711).abs() < 1e-4);
    }
    circ()
        .arg("reconcile")
        .arg(case("reconcile/dr_2.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "χ² = 0.8000 on 1 degree of freedom",
        ));
}

#[test]
fn reconcile_without_measured_values_is_bad_input() {
    circ()
        .arg("reconcile")
        .arg(case("valid/tc_1.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("nothing to reconcile"));
}

#[test]
fn run_with_uncertainty_in_every_format() {
    let dr2 = case("reconcile/dr_2.toml");
    let out = circ()
        .args(["run", "--uncertainty", "gauss", "--format", "json"])
        .arg(&dr2)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    assert_eq!(report["uncertainty"]["method"], "gauss");
    circ()
        .args([
            "run",
            "--uncertainty",
            "mc",
            "--samples",
            "500",
            "--format",
            "csv",
        ])
        .arg(&dr2)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "id,name,value,unit,formula,reason,source,source_url,mean,sd,p5,p50,p95\n",
        ));
    circ()
        .args([
            "run",
            "--uncertainty",
            "mc",
            "--samples",
            "500",
            "--format",
            "md",
        ])
        .arg(&dr2)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| Indicator | Id | Value | Uncertainty |",
        ))
        .stdout(predicate::str::contains("Monte Carlo, 500 samples, seed 1"));
    circ()
        .args(["run", "--uncertainty", "gauss"])
        .arg(&dr2)
        .assert()
        .success()
        .stdout(predicate::str::contains("linear propagation"));
}

#[test]
fn network_problems_name_processes_and_exit_1() {
    circ()
        .arg("solve")
        .arg(case("invalid/network_loop.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "processes \"collection\", \"sorting\" form a closed loop",
        ));
}

#[test]
fn solve_and_reconcile_have_examples_in_their_help() {
    for cmd in ["solve", "reconcile"] {
        circ()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"))
            .stdout(predicate::str::contains("Exit codes:"));
    }
}

#[test]
fn solve_writes_its_output_atomically() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("flows.csv");
    circ()
        .args(["solve", "--format", "csv", "-o"])
        .arg(&path)
        .arg(case("valid/tc_1.toml"))
        .assert()
        .success();
    let text = fs::read_to_string(&path).expect("written");
    assert!(text.starts_with("kind,id,from,to,material,value_t,basis,share"));
    assert_eq!(text.lines().count(), 6);
}

/// Regression: a model with every value given reported "solved by BiCGSTAB in 0 iterations".
#[test]
fn solve_says_when_there_was_nothing_to_solve() {
    circ()
        .args(["solve", "--dataset", "cgr2018"])
        .assert()
        .success()
        .stdout(predicate::str::contains("nothing to solve"));
}

#[test]
fn sankey_draws_the_default_data_set_with_its_loop() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("flows.svg");
    circ().args(["sankey", "-o"]).arg(&out).assert().success();
    let svg = fs::read_to_string(&out).expect("written");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("One band is cycled back: Cycling of secondary materials to Production and manufacturing, 8.65 Gt."));
    // The same bytes on standard output, every time.
    circ()
        .arg("sankey")
        .assert()
        .success()
        .stdout(predicate::eq(svg.as_str()));
    circ()
        .args(["sankey", "--height=-3"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--height must be a positive number",
        ));
}

/// Writes an expectations file into `dir` and returns its path.
fn expectations(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("expect.toml");
    fs::write(&path, text).expect("write expectations");
    path
}

#[test]
fn check_passes_the_shipped_numbers_and_writes_junit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let junit = dir.path().join("reports/junit.xml");
    circ()
        .arg("check")
        .arg(repo().join("checks/shipped.toml"))
        .arg("--junit")
        .arg(&junit)
        .assert()
        .success()
        .stdout(
            predicate::str::is_match(r"CGR 2020: Circularity Metric 8\.6 %\s+8\.6 %\s+8\.5941 %\s+-0\.0059 pp\s+±0\.05 pp\s+pass")
                .expect("regex"),
        )
        .stdout(predicate::str::is_match(r"CGR 2018: Circularity Metric 9\.1 %\s+9\.1 %\s+9\.0517 %").expect("regex"))
        .stdout(predicate::str::ends_with("\n6 passed, 0 failed\n"));
    let xml = fs::read_to_string(&junit).expect("JUnit written");
    assert!(
        xml.contains(
            r#"<testsuite name="Shipped data sets" tests="6" failures="0" errors="0" skipped="0">"#
        ),
        "{xml}"
    );
}

#[test]
fn check_fails_on_a_drift_with_exit_1_and_a_junit_failure() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(case("valid/every_role.toml"), dir.path().join("model.toml")).expect("copy");
    let file = expectations(
        dir.path(),
        r#"
[[expect]]
model = "model.toml"
indicator = "cgr.circularity_metric"
value = 9.5
unit = "%"
abs = 0.05

[[expect]]
dataset = "cgr2020"
indicator = "cgr.circularity_metric"
value = 0.086
rel = 0.01
"#,
    );
    let junit = dir.path().join("junit.xml");
    circ()
        .arg("check")
        .arg(&file)
        .arg("--junit")
        .arg(&junit)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("MISS"))
        .stdout(predicate::str::ends_with("\n1 passed, 1 failed\n"))
        .stderr(predicate::str::contains("1 of 2 expectations in"));
    let xml = fs::read_to_string(&junit).expect("JUnit written");
    assert!(
        xml.contains(r#"tests="2" failures="1" errors="0""#),
        "{xml}"
    );
    assert!(xml.contains(r#"<failure message="cgr.circularity_metric drifted beyond its tolerance" type="drift">"#), "{xml}");
}

#[test]
fn check_reports_what_it_cannot_check_as_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = expectations(
        dir.path(),
        r#"
[[expect]]
model = "missing.toml"
indicator = "cgr.circularity_metric"
value = 8.6
unit = "%"
abs = 0.05

[[expect]]
dataset = "cgr2020"
scenario = "recycling-70"
indicator = "cgr.circularity_metric"
value = 8.6
unit = "%"
abs = 0.05

[[expect]]
dataset = "cgr2020"
indicator = "mfa.dmc_per_capita"
value = 12
abs = 1
"#,
    );
    let junit = dir.path().join("junit.xml");
    circ()
        .arg("check")
        .arg(&file)
        .arg("--junit")
        .arg(&junit)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ERROR [3]"))
        .stdout(predicate::str::contains("cannot read"))
        .stdout(predicate::str::contains("a scenario needs both"))
        .stdout(predicate::str::contains("not computable"))
        .stdout(predicate::str::ends_with("\n0 passed, 3 failed\n"));
    let xml = fs::read_to_string(&junit).expect("JUnit written");
    assert!(xml.contains(r#"failures="0" errors="3""#), "{xml}");

    // A broken file: every problem on standard error, and a JUnit error case for CI.
    let bad = expectations(dir.path(), "[[expect]]\nindicator = \"x\"\nvalue = 1\n");
    circ()
        .arg("check")
        .arg(&bad)
        .arg("--junit")
        .arg(&junit)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "expect.toml:1:1: error: expect[0]: neither model nor dataset is given",
        ))
        .stderr(predicate::str::contains("no tolerance is given"));
    let xml = fs::read_to_string(&junit).expect("JUnit written");
    assert!(
        xml.contains(r#"tests="1" failures="0" errors="1""#),
        "{xml}"
    );
}

#[test]
fn report_writes_a_self_contained_html_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("report.html");
    circ()
        .args(["report", "--series", "dataset:cgr2018", "-o"])
        .arg(&out)
        .assert()
        .success();
    let page = fs::read_to_string(&out).expect("written");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains(">8.6 %</div><div class=\"n\">Circularity Metric"));
    assert!(page.contains("Indicators over time"));
    assert!(!page.contains("<script"));
    // The hash of the embedded data set is the hash of its file in data/.
    let text = fs::read(repo().join("data/cgr2020.toml")).expect("data set");
    let hex = circ_core::sha256::sha256_hex(&text);
    assert!(page.contains(&format!(
        "<code>cgr2020.toml</code></td><td class=\"num\">{}</td><td><code>{hex}</code>",
        text.len()
    )));
}

#[test]
fn report_markdown_writes_its_figures_beside_it_and_hashes_tables() {
    let dir = tempfile::tempdir().expect("temp dir");
    let model = dir.path().join("model.toml");
    let table = "from,to,material,value\nmine,economy,MF2,90\neconomy,dump,MF2,90\n";
    fs::write(dir.path().join("flows.csv"), table).expect("write table");
    fs::write(
        &model,
        "flow_tables = [\"flows.csv\"]\n[meta]\nname = \"Tabled\"\nscope = \"global\"\n[[processes]]\nid = \"mine\"\nrole = \"extraction\"\n[[processes]]\nid = \"economy\"\nrole = \"use\"\n[[processes]]\nid = \"dump\"\nrole = \"landfill\"\n",
    )
    .expect("write model");
    let out = dir.path().join("out/report.md");
    fs::create_dir_all(out.parent().expect("dir")).expect("mkdir");
    circ()
        .arg("report")
        .arg(&model)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let doc = fs::read_to_string(&out).expect("written");
    assert!(doc.contains("![Material flows](report-sankey.svg)"));
    assert!(
        fs::read_to_string(dir.path().join("out/report-sankey.svg"))
            .expect("figure beside")
            .starts_with("<svg")
    );
    assert!(dir.path().join("out/report-groups.svg").exists());
    // Every input is hashed: the model, then its table.
    let hex = circ_core::sha256::sha256_hex(table.as_bytes());
    assert!(
        doc.contains(&format!("flows.csv` | {} | `{hex}` |", table.len())),
        "{doc}"
    );
    // Markdown needs a place for its figures; a scenario needs its file.
    circ()
        .args(["report", "--format", "md"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("give -o report.md"));
    circ()
        .args(["report", "--scenario", "s1"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--scenarios <FILE>"));
    circ()
        .args(["report", "-o", "x.pdf"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot tell the report format"));
}
