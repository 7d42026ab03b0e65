//! `circ import`: downloaded Eurostat and UN IRP files to a model with one command, its exit
//! codes, messages and the published figures it compares.

use std::fs;
use std::io::Write as _;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn circ() -> Command {
    Command::cargo_bin("circ").expect("the circ binary is built")
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/import")
        .join(name)
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
fn eurostat_files_become_a_model_that_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("cz.toml");
    circ()
        .args(["import", "eurostat"])
        .arg(fixture("estat_env_ac_mfa.tsv"))
        .arg(fixture("estat_env_wastrt.tsv"))
        .arg(fixture("env_wasgen.csv"))
        .arg(fixture("estat_env_ac_cur.tsv"))
        .args([
            "--geo",
            "CZ",
            "--year",
            "2022",
            "--release",
            "2024-11-14",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("IMP_w, EXP_w"))
        .stderr(predicate::str::contains(": 22 flows from 4 files"))
        .stderr(predicate::str::contains(
            "eurostat.cmu_rate: published 11.9 % [env_ac_cur]; circ: not computable",
        ));
    let text = fs::read_to_string(&out).expect("written");
    assert!(text.starts_with("# Built by `circ import` from official statistics:"));
    assert!(text.contains("flag e: estimated"));
    let json = circ()
        .arg("run")
        .arg(&out)
        .args(["--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
    let share = indicator(&report, "waste.treatment_share.recycling");
    assert_eq!(share["value"].as_f64(), Some(22_000_000.0 / 33_900_000.0));
    let cmu = indicator(&report, "eurostat.cmu_rate");
    assert!(cmu["value"].is_null());
    assert!(cmu["reason"].as_str().unwrap_or("").contains("IMP_w"));
}

#[test]
fn gzip_compressed_downloads_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gz = dir.path().join("estat_env_ac_mfa.tsv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        fs::File::create(&gz).expect("create"),
        flate2::Compression::default(),
    );
    enc.write_all(
        fs::read_to_string(fixture("estat_env_ac_mfa.tsv"))
            .expect("fixture")
            .as_bytes(),
    )
    .expect("write");
    enc.finish().expect("finish");
    let out = dir.path().join("cz.json");
    circ()
        .args(["import", "eurostat"])
        .arg(&gz)
        .args([
            "--geo",
            "CZ",
            "--year",
            "2022",
            "--release",
            "2024-11-14",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let model: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).expect("written")).expect("JSON model");
    assert_eq!(model["meta"]["sources"][0]["id"], "env_ac_mfa");
    assert_eq!(model["flows"].as_array().map(Vec::len), Some(16));
}

#[test]
fn a_malformed_file_is_bad_input_naming_line_and_column() {
    circ()
        .args(["import", "eurostat"])
        .arg(fixture("malformed/env_ac_mfa_bad.tsv"))
        .args(["--geo", "CZ", "--year", "2022"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "env_ac_mfa_bad.tsv:2:3: error: 2022: \"18000,5\" is not a number",
        ))
        .stderr(predicate::str::contains("3 errors, 0 warnings"));
}

#[test]
fn no_figure_for_the_geography_is_bad_input() {
    circ()
        .args(["import", "eurostat"])
        .arg(fixture("estat_env_ac_mfa.tsv"))
        .args(["--geo", "XX", "--year", "2022"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the files hold no figure circ reads for geo XX and year 2022",
        ));
}

#[test]
fn the_un_irp_database_is_read_by_its_own_subcommand() {
    circ()
        .args(["import", "irp"])
        .arg(fixture("irp_mfa13_export.csv"))
        .args(["--geo", "Ukraine", "--year", "2019", "--release", "2024"])
        .assert()
        .success()
        .stdout(predicate::str::contains("id = \"de.mf1\""))
        .stdout(predicate::str::contains("value = 181000000.5"));
    circ()
        .args(["import", "eurostat"])
        .arg(fixture("irp_mfa13_export.csv"))
        .args(["--geo", "Ukraine", "--year", "2019"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("read it with `circ import irp`"));
}

#[test]
fn a_bulk_file_without_a_release_gets_a_warning() {
    circ()
        .args(["import", "eurostat"])
        .arg(fixture("estat_env_wastrt.tsv"))
        .args(["--geo", "CZ", "--year", "2022"])
        .assert()
        .success()
        .stderr(predicate::str::contains("give it with --release"));
}
