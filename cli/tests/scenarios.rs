//! `circ scenario`, `circ batch` and `circ sensitivity` end to end: the documented examples,
//! the laws of batches (shards concatenated = the whole, resume after a kill = the same file,
//! 1 thread = N threads, byte for byte), `circ report --scenario`, `circ check` with a scenario,
//! and the exit codes of bad input.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use assert_cmd::Command;
use predicates::prelude::*;

fn circ() -> Command {
    Command::cargo_bin("circ").expect("the circ binary is built")
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn example(name: &str) -> PathBuf {
    root().join("data/examples").join(name)
}

fn batch(dir: &Path, out: &str, extra: &[&str]) -> Vec<u8> {
    let path = dir.join(out);
    circ()
        .args([
            "batch",
            "dataset:cgr2020",
            "--samples",
            "3000",
            "--seed",
            "5",
            "-o",
        ])
        .arg(&path)
        .args(extra)
        .assert()
        .success()
        .stdout("")
        .stderr("");
    fs::read(&path).expect("written")
}

#[test]
fn scenario_ranks_the_documented_examples() {
    circ()
        .args(["scenario", "dataset:cgr2020"])
        .arg(example("cgr-scenarios.toml"))
        .assert()
        .success()
        // From the formula (data/cgr2020.toml): half of the 28.75 Gt landfilled cycled besides the
        // 8.65 Gt gives (8.65 + 14.375) / 100.65 = 22.9 %; a fifth of the 71.9 Gt leaving use
        // cycled gives 14.3 %; against the baseline 8.65 / 100.65 = 8.6 %.
        .stdout(predicate::str::contains(
            "1     half-the-landfill-cycled        22.9 %     +14.28 pp    +166.2 %",
        ))
        .stdout(predicate::str::contains(
            "2     cycle-a-fifth                   14.3 %      +5.69 pp     +66.2 %",
        ));
    let out = circ()
        .args(["scenario", "dataset:cgr2020", "--format", "csv"])
        .arg(example("cgr-scenarios.toml"))
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.starts_with("scenario,rank,indicator,unit,baseline,value,change,relative\n"));
    assert!(
        text.contains("\nsufficiency,3,cgr.circularity_metric,fraction,"),
        "{text}"
    );
    circ()
        .arg("scenario")
        .arg(example("buildings.toml"))
        .arg(example("buildings-scenarios.toml"))
        .args(["--year", "2040"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1     aggregate-90"))
        .stdout(predicate::str::contains("in 2040"));
}

/// An empty scenario is the baseline, bit for bit: its JSON values are those of `circ run`.
#[test]
fn an_empty_scenario_is_the_baseline_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("s.json");
    fs::write(&file, r#"{"scenarios": [{"name": "nothing"}]}"#).expect("written");
    let out = circ()
        .args(["scenario", "dataset:cgr2020", "--format", "json"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let run = circ()
        .args(["run", "--format", "json"])
        .output()
        .expect("runs");
    let r: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let values = c["scenarios"][0]["values"].as_array().expect("values");
    let indicators = r["indicators"].as_array().expect("indicators");
    assert_eq!(values.len(), indicators.len());
    for (v, i) in values.iter().zip(indicators) {
        assert_eq!(v, &i["value"], "{}", i["id"]);
        assert_eq!(
            c["scenarios"][0]["values"],
            c["indicators"]
                .as_array()
                .expect("list")
                .iter()
                .map(|i| i["baseline"].clone())
                .collect::<serde_json::Value>()
        );
    }
}

#[test]
fn bad_scenarios_exit_1_naming_scenario_intervention_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("s.toml");
    fs::write(
        &file,
        "[[scenarios]]\nname = \"x\"\n[[scenarios.interventions]]\nkind = \"share\"\nfrom = \"use\"\nto = \"recyling\"\nset = 0.2\n",
    )
    .expect("written");
    circ()
        .args(["scenario", "dataset:cgr2020"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "s.toml:6:1: error: scenarios[0].interventions[0].to: scenario \"x\", intervention 1: the model has no process \"recyling\"\n  hint: did you mean \"recycling\"?",
        ));
    fs::write(
        &file,
        "[[scenarios]]\nname = \"less mining\"\n[[scenarios.interventions]]\nkind = \"source\"\nprocess = \"extraction\"\nscale = 0.5\n",
    )
    .expect("written");
    circ()
        .args(["scenario", "dataset:cgr2020"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: scenario \"less mining\", intervention 1 (source extraction): \"production\" cannot balance",
        ));
    circ()
        .args(["scenario", "--schema"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"title\": \"circ scenarios\""));
}

#[test]
fn shards_concatenated_are_the_batch_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    for format in ["csv", "jsonl"] {
        let whole = batch(
            dir.path(),
            &format!("whole.{format}"),
            &["--format", format],
        );
        let mut joined = Vec::new();
        for k in 1..=3 {
            let shard = format!("{k}/3");
            joined.extend(batch(
                dir.path(),
                &format!("part-{k}.{format}"),
                &["--format", format, "--shard", &shard],
            ));
        }
        assert!(
            joined == whole,
            "{format}: the shards differ from the whole"
        );
    }
    // Only the outputs are left: the partial files were renamed.
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 8);
}

#[test]
fn one_thread_and_many_give_the_same_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let one = batch(dir.path(), "one.csv", &["--threads", "1"]);
    let many = batch(dir.path(), "many.csv", &["--threads", "3"]);
    assert!(one == many);
    // RAYON_NUM_THREADS is honoured too.
    let path = dir.path().join("env.csv");
    circ()
        .env("RAYON_NUM_THREADS", "2")
        .args([
            "batch",
            "dataset:cgr2020",
            "--samples",
            "3000",
            "--seed",
            "5",
            "-o",
        ])
        .arg(&path)
        .assert()
        .success();
    assert!(fs::read(&path).expect("written") == one);
}

#[test]
fn resuming_after_a_stop_gives_the_same_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = batch(dir.path(), "whole.csv", &[]);
    let out = dir.path().join("resumed.csv");
    // The hook stops after 1234 scenarios with half a row written, as a kill would leave it.
    circ()
        .args([
            "batch",
            "dataset:cgr2020",
            "--samples",
            "3000",
            "--seed",
            "5",
            "-o",
        ])
        .arg(&out)
        .args(["--stop-after", "1234"])
        .assert()
        .code(3);
    assert!(!out.exists(), "no output before the batch is complete");
    let partial = dir.path().join(".resumed.csv.partial");
    let left = fs::read(&partial).expect("partial file");
    assert!(!left.ends_with(b"\n"), "cut mid-row");
    // Another batch's partial file is refused.
    circ()
        .args([
            "batch",
            "dataset:cgr2020",
            "--samples",
            "3000",
            "--seed",
            "6",
            "-o",
        ])
        .arg(&out)
        .arg("--resume")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("partial file of another batch"));
    circ()
        .args([
            "batch",
            "dataset:cgr2020",
            "--samples",
            "3000",
            "--seed",
            "5",
            "-o",
        ])
        .arg(&out)
        .arg("--resume")
        .assert()
        .success();
    assert!(fs::read(&out).expect("written") == whole);
    assert!(!partial.exists());
}

#[test]
fn resuming_after_a_kill_gives_the_same_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = [
        "batch",
        "dataset:cgr2020",
        "--samples",
        "40000",
        "--indicators",
        "cgr.circularity_metric",
        "--threads",
        "1",
        "-o",
    ];
    let out = dir.path().join("killed.csv");
    let bin = assert_cmd::cargo::cargo_bin("circ");
    let mut child = std::process::Command::new(&bin)
        .args(args)
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let partial = dir.path().join(".killed.csv.partial");
    // Kill it once it has written some rows (and before it could finish: 40,000 scenarios).
    loop {
        if fs::metadata(&partial).is_ok_and(|m| m.len() > 100_000) {
            break;
        }
        if let Some(status) = child.try_wait().expect("waits") {
            panic!("the batch ended before it could be killed: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().expect("killed");
    child.wait().expect("reaped");
    assert!(!out.exists());
    circ()
        .args(args)
        .arg(&out)
        .arg("--resume")
        .assert()
        .success();
    let whole = dir.path().join("whole.csv");
    circ().args(args).arg(&whole).assert().success();
    assert!(fs::read(&out).expect("written") == fs::read(&whole).expect("written"));
}

#[test]
fn batch_grid_of_the_documented_parameters() {
    let out = circ()
        .args(["batch", "dataset:cgr2020", "--grid"])
        .arg(example("cgr-parameters.toml"))
        .args(["--indicators", "cgr.circularity_metric"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + 15);
    assert_eq!(
        lines[0],
        "scenario,cycled share,material delivered,indicator,value,error"
    );
    // Golden values from the formula: with a share s of the outflow of use (8.65 + 12.94 +
    // 21.56 + 28.75 = 71.9 Gt in data/cgr2020.toml) cycled, and supply following demand, the
    // inputs stay 100.65 Gt, so the Circularity Metric is s × 71.9 / 100.65 whatever the
    // material delivered (its scale moves inputs and outflows alike).
    for line in &lines[1..] {
        let cells: Vec<&str> = line.split(',').collect();
        let share: f64 = cells[1].parse().expect("a share");
        let value: f64 = cells[4].parse().expect("a value");
        let expected = share * (8.65 + 12.94 + 21.56 + 28.75) / 100.65;
        assert!(
            (value - expected).abs() < 1e-12,
            "{line}: expected {expected}"
        );
    }
    assert!(lines[8].starts_with("7,0.2,1.0,"), "{}", lines[8]);
    // The model's own parameters, as a file to edit.
    circ()
        .args(["batch", "dataset:cgr2020", "--default-params"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "name = \"share use → recycling (MIXED)\"",
        ));
    circ()
        .args([
            "batch",
            "dataset:cgr2020",
            "--samples",
            "10",
            "--shard",
            "4/3",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not K/N"));
}

#[test]
fn sensitivity_prints_the_ranking_and_draws_the_tornado() {
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = dir.path().join("tornado.svg");
    circ()
        .args(["sensitivity", "dataset:cgr2020", "-o"])
        .arg(&svg)
        .assert()
        .success()
        // From the formula: the cycled 8.65 Gt of 100.65 Gt inputs (data/cgr2020.toml) scaled by
        // 0.9 and 1.1 give 7.7 % and 9.5 %, a swing of 0.2 × 8.65 / 100.65 = 1.719 pp.
        .stdout(predicate::str::contains(
            "1     share use → recycling (MIXED)           7.7 %         9.5 %      1.719 pp",
        ));
    let chart = fs::read_to_string(&svg).expect("written");
    assert!(chart.starts_with("<svg") && chart.contains("share use → recycling (MIXED)"));
    circ()
        .args([
            "sensitivity",
            "dataset:cgr2020",
            "--indicator",
            "cgr.metric",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown indicator"));
}

#[test]
fn report_and_check_take_a_scenario() {
    let dir = tempfile::tempdir().expect("temp dir");
    let html = dir.path().join("report.html");
    circ()
        .args(["report", "--scenarios"])
        .arg(example("cgr-scenarios.toml"))
        .args(["--scenario", "cycle-a-fifth", "-o"])
        .arg(&html)
        .assert()
        .success();
    let page = fs::read_to_string(&html).expect("written");
    assert!(
        page.contains("scenario &quot;cycle-a-fifth&quot;")
            || page.contains("scenario \"cycle-a-fifth\"")
    );
    assert!(page.contains("14.3 %"));
    fs::copy(example("cgr-scenarios.toml"), dir.path().join("s.toml")).expect("copied");
    let file = dir.path().join("expect.toml");
    fs::write(
        &file,
        "[[expect]]\ndataset = \"cgr2020\"\nscenarios = \"s.toml\"\nscenario = \"cycle-a-fifth\"\nindicator = \"cgr.circularity_metric\"\nvalue = 14.3\nunit = \"%\"\nabs = 0.05\n",
    )
    .expect("written");
    circ()
        .arg("check")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 passed, 0 failed"));
}

/// Every `$ circ …` command of docs/scenarios.md runs as written (from a directory where `data`
/// is the repository's), succeeds, prints every line the document shows for it (`...` stands for
/// lines left out), and writes the files its `-o` names.
#[test]
fn the_documented_commands_print_what_the_document_shows() {
    let doc = fs::read_to_string(root().join("docs/scenarios.md")).expect("docs/scenarios.md");
    let dir = tempfile::tempdir().expect("temporary directory");
    std::os::unix::fs::symlink(root().join("data"), dir.path().join("data")).expect("symlink");
    let mut commands = 0;
    for block in doc.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap_or("");
        let mut runs: Vec<(&str, Vec<&str>)> = Vec::new();
        for line in block.lines() {
            match line.strip_prefix("$ circ ") {
                Some(command) => runs.push((command, Vec::new())),
                None if line != "..." => runs.last_mut().expect("a command first").1.push(line),
                None => {}
            }
        }
        for (command, shown) in runs {
            commands += 1;
            let args: Vec<&str> = command.split_whitespace().collect();
            let out = circ()
                .args(&args)
                .current_dir(dir.path())
                .output()
                .expect("runs");
            assert!(out.status.success(), "circ {command}: {out:?}");
            let stdout = String::from_utf8(out.stdout).expect("UTF-8");
            for line in shown {
                assert!(
                    stdout.lines().any(|l| l.trim_end() == line.trim_end()),
                    "circ {command} does not print\n{line}\nbut\n{stdout}"
                );
            }
            if let Some(i) = args.iter().position(|a| *a == "-o") {
                let written = dir.path().join(args[i + 1]);
                assert!(
                    fs::metadata(&written).is_ok_and(|m| m.len() > 0),
                    "{command}"
                );
            }
        }
    }
    assert_eq!(commands, 7, "the commands of docs/scenarios.md");
}
