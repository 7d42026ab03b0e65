//! `circ project` end to end: the illustrative example, every output format, atomic writes and
//! the exit codes of bad input.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn circ() -> Command {
    Command::cargo_bin("circ").expect("the circ binary is built")
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("data/examples/buildings.toml")
}

#[test]
fn project_prints_a_table_of_the_years_asked_for() {
    circ()
        .args(["project"])
        .arg(example())
        .args(["--from", "2024", "--to", "2050"])
        .assert()
        .success()
        .stdout(predicate::str::contains("projection 2024–2050"))
        .stdout(predicate::str::contains("circularity"))
        .stdout(predicate::function(|s: &str| {
            s.lines().any(|l| l.starts_with("2050")) && !s.lines().any(|l| l.starts_with("2023"))
        }));
}

#[test]
fn project_writes_csv_and_json_atomically() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("series.csv");
    circ()
        .arg("project")
        .arg(example())
        .args(["--from", "2030", "--to", "2032", "--format", "csv", "-o"])
        .arg(&csv)
        .assert()
        .success()
        .stdout("");
    let text = fs::read_to_string(&csv).expect("written");
    assert!(text.starts_with("year,kind,id,name,unit,value,reason\n"));
    assert!(text.contains("\n2031,indicator,cgr.circularity_metric,"));
    assert!(text.contains("\n2032,stock,stock.dwellings.outflow,"));
    // Only the file itself is left in the directory: the temporary file was renamed.
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);

    let out = circ()
        .arg("project")
        .arg(example())
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    // Without --from and --to: the whole time axis of the model.
    assert_eq!(json["years"].as_array().expect("years").len(), 51);
    let dwellings = &json["stocks"][0];
    assert_eq!(dwellings["id"], "dwellings");
    // 2022, the year the stock shrinks: no negative inflow, a deficit outflow instead.
    assert_eq!(dwellings["inflow"][22], 0.0);
    assert!(dwellings["deficit"][22].as_f64().expect("number") > 0.0);
}

#[test]
fn years_outside_the_axis_are_bad_input() {
    circ()
        .arg("project")
        .arg(example())
        .args(["--from", "1990", "--to", "2050"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "1990–2050 is not within the model's time axis 2000–2050",
        ));
}

#[test]
fn a_model_without_dynamics_is_bad_input_with_a_hint() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plain.toml");
    fs::write(
        &path,
        "[meta]\nname = \"x\"\n[[processes]]\nid = \"m\"\nrole = \"extraction\"\n[[processes]]\nid = \"l\"\nrole = \"landfill\"\n[[flows]]\nfrom = \"m\"\nto = \"l\"\nmaterial = \"MF3\"\nvalue = 1\n",
    )
    .expect("write");
    circ()
        .arg("project")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no [dynamics] section"))
        .stderr(predicate::str::contains("docs/stocks.md"));
}

#[test]
fn an_invalid_dynamic_stock_names_line_and_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bad.toml");
    let text = fs::read_to_string(example()).expect("example").replace(
        "{ dist = \"weibull\", shape = 2.2, scale = 20 }",
        "{ dist = \"weibull\", shape = 0, scale = 20 }",
    );
    fs::write(&path, text).expect("write");
    circ()
        .arg("project")
        .arg(&path)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "dynamics.stocks[1].lifetime.shape: weibull lifetime: shape = 0 must be positive",
        ))
        .stderr(predicate::str::is_match(r"bad\.toml:\d+:\d+: error").expect("regex"));
}

#[test]
fn project_help_has_examples() {
    circ()
        .args(["project", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains("--from 2024 --to 2050"));
}

#[test]
fn a_model_with_dynamics_converts_to_json_and_back_without_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (json, toml) = (dir.path().join("m.json"), dir.path().join("m.toml"));
    circ()
        .arg("convert")
        .arg(example())
        .arg("-o")
        .arg(&json)
        .assert()
        .success();
    circ()
        .arg("convert")
        .arg(&json)
        .arg("-o")
        .arg(&toml)
        .assert()
        .success();
    let csv = |model: &Path| {
        let out = circ()
            .arg("project")
            .arg(model)
            .args(["--format", "csv"])
            .output()
            .expect("runs");
        assert!(out.status.success());
        out.stdout
    };
    let original = csv(&example());
    assert_eq!(csv(&json), original);
    assert_eq!(csv(&toml), original);
}
