//! The subcommands: arguments in, core calls, text out.

use std::fmt;
use std::path::Path;

use anyhow::Result;
use circ_core::diagnostic::{Diagnostic, Severity};
use circ_core::network::report::{reconcile_report, solve_report};
use circ_core::network::{Problem, reconcile};
use circ_core::product::{self, ProductFormat, ProductReport};
use circ_core::uncertainty::{self, MonteCarlo, Propagated};
use circ_core::{
    DATASETS, Format as ModelFormat, Loaded, Report, SourceText, company_report, dataset, datasets,
    load, product_report, run, run_with_uncertainty,
};
use rayon::prelude::*;

use crate::args::{
    CheckArgs, Cli, Command, CompanyArgs, ConvertArgs, DatasetsArgs, Format, ImportArgs,
    ImportSource, ModelArgs, ModelOutputArgs, ModelSyntax, ProblemFormat, ProductArgs, ProjectArgs,
    Propagation, ReportArgs, ReportFormat, Sampling, SankeyArgs, SeriesFormat, SolveArgs,
    UncertaintyArgs, ValidateArgs,
};
use crate::io::{emit, read_text, read_text_or_gz};

/// An error caused by the input, not by circ: exit code 1.
#[derive(Debug)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// The text printed for an error: bad input as it is, anything else as an internal error.
pub fn render_error(err: &anyhow::Error) -> String {
    match err.downcast_ref::<BadInput>() {
        Some(bad) => bad.0.clone(),
        None => format!(
            "internal error: {err:#}\n  this is a bug in circ; please report it with the command you ran"
        ),
    }
}

pub fn dispatch(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(args) => run_cmd(&args.report, Some(&args.uncertainty), false),
        Command::Accounts(args) => run_cmd(&args, None, true),
        Command::Solve(args) => solve_cmd(&args),
        Command::Reconcile(args) => reconcile_cmd(&args),
        Command::Validate(args) => validate_cmd(&args),
        Command::Convert(args) => convert_cmd(&args),
        Command::Project(args) => project_cmd(&args),
        Command::Schema(args) => emit(args.output.as_deref(), &(circ_core::json_schema() + "\n")),
        Command::Sankey(args) => sankey_cmd(&args),
        Command::Check(args) => check_cmd(&args),
        Command::Report(args) => report_cmd(&args),
        Command::Import(args) => import_cmd(&args),
        Command::Datasets(args) => datasets_cmd(&args),
        Command::Product(args) => product_cmd(&args),
        Command::Company(args) => company_cmd(&args),
        Command::Scenario(args) => crate::scenario::scenario_cmd(&args),
        Command::Batch(args) => crate::scenario::batch_cmd(&args),
        Command::Sensitivity(args) => crate::scenario::sensitivity_cmd(&args),
    }
}

fn run_cmd(args: &ModelOutputArgs, u: Option<&UncertaintyArgs>, accounts: bool) -> Result<()> {
    let loaded = load_model(&args.model)?;
    print_warnings(&loaded.warnings);
    let propagation = u.and_then(|u| u.uncertainty).unwrap_or(Propagation::None);
    let sampling = u.map(|u| &u.sampling);
    let report: Report = match propagate(&loaded, propagation, sampling)? {
        Some(p) => run_with_uncertainty(&loaded.model, &p),
        None => run(&loaded.model),
    };
    let text = match (args.format, accounts) {
        (Format::Table, false) => report.to_text(),
        (Format::Table, true) => report.accounts_text(),
        (Format::Json, _) => report.to_json() + "\n",
        (Format::Csv, false) => report.to_csv(),
        (Format::Csv, true) => report.accounts_csv(),
        (Format::Md, false) => report.to_markdown(),
        (Format::Md, true) => {
            return Err(BadInput(
                "accounts have no Markdown form; use --format table, csv or json".into(),
            )
            .into());
        }
    };
    emit(args.output.as_deref(), &text)
}

fn sankey_cmd(args: &SankeyArgs) -> Result<()> {
    if !(args.height.is_finite() && args.height > 0.0) {
        return Err(BadInput(format!(
            "--height must be a positive number of pixels, not {}",
            args.height
        ))
        .into());
    }
    let loaded = load_model(&args.model)?;
    print_warnings(&loaded.warnings);
    let options = circ_core::sankey::Options {
        height: args.height,
        ..circ_core::sankey::Options::default()
    };
    emit(
        args.output.as_deref(),
        &circ_core::sankey::sankey_svg(&loaded.model, &options),
    )
}

fn report_cmd(args: &ReportArgs) -> Result<()> {
    use circ_core::publish::{self, InputFile, Publication};
    let extension = args
        .output
        .as_deref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match (args.format, extension.as_deref()) {
        (Some(f), _) => f,
        (None, Some("md" | "markdown")) => ReportFormat::Md,
        (None, Some("html" | "htm") | None) => ReportFormat::Html,
        (None, Some(other)) => {
            return Err(BadInput(format!(
                "cannot tell the report format from \".{other}\"\n  hint: name the file .html or .md, or give --format html|md"
            ))
            .into());
        }
    };
    let (mut loaded, mut texts) = load_model_with_inputs(&args.model)?;
    print_warnings(&loaded.warnings);
    if let (Some(name), Some(path)) = (&args.scenario, &args.scenarios) {
        // The report of a scenario is the report of the scenario's re-balanced model.
        let (mut model, text) = crate::scenario::scenario_model(&loaded, path, name)?;
        model.rename(format!("{}: scenario \"{name}\"", loaded.model.meta().name));
        loaded.model = std::sync::Arc::new(model);
        texts.push((path.display().to_string(), text));
    }
    let report = run(&loaded.model);
    let mut series = Vec::new();
    for spec in &args.series {
        let other = load_model(&ModelArgs {
            model: Some(spec.into()),
            dataset: None,
        })?;
        print_warnings(&other.warnings);
        let r = run(&other.model);
        if r.model.year.is_none() {
            eprintln!(
                "warning: {spec} has no meta.year, so it cannot be placed in the time series"
            );
        }
        series.push(r);
    }
    let inputs: Vec<InputFile<'_>> = texts
        .iter()
        .map(|(name, text)| InputFile { name, text })
        .collect();
    let command = command_line();
    let publication = Publication {
        model: &loaded.model,
        report: &report,
        inputs: &inputs,
        series: &series,
        command: Some(&command),
    };
    match format {
        ReportFormat::Html => emit(args.output.as_deref(), &publish::html(&publication)),
        ReportFormat::Md => {
            let Some(out) = args.output.as_deref() else {
                return Err(BadInput(
                    "a Markdown report writes its figures as SVG files beside it: give -o report.md"
                        .into(),
                )
                .into());
            };
            let stem = out
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("report")
                .to_owned();
            let (text, figures) = publish::markdown(&publication, &stem);
            let dir = out.parent().unwrap_or(Path::new(""));
            for f in figures {
                crate::io::write_atomic(&dir.join(&f.file_name), &f.svg)?;
            }
            emit(Some(out), &text)
        }
    }
}

/// The command as typed, for a report's reproducibility section (arguments with spaces quoted).
fn command_line() -> String {
    let mut words = vec!["circ".to_owned()];
    for a in std::env::args().skip(1) {
        if a.contains(char::is_whitespace) || a.is_empty() {
            words.push(format!("'{a}'"));
        } else {
            words.push(a);
        }
    }
    words.join(" ")
}

fn check_cmd(args: &CheckArgs) -> Result<()> {
    use circ_core::check::{self, Subject, Verdict};
    let file = args.file.display().to_string();
    let write_junit = |outcomes: &[check::Outcome], suite: &str| -> Result<()> {
        match &args.junit {
            Some(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| BadInput(format!("cannot create {}: {e}", dir.display())))?;
                }
                crate::io::write_atomic(path, &check::junit(suite, &file, outcomes))
            }
            None => Ok(()),
        }
    };
    let text = read_text(&args.file)?;
    let expectations = match check::parse_expectations(SourceText {
        name: &file,
        text: &text,
    }) {
        Ok(e) => e,
        Err(diags) => {
            // CI still gets a JUnit file that says why nothing was checked.
            let whole = check::Expectation {
                subject: Subject::Model(file.clone()),
                scenario: None,
                scenarios: None,
                indicator: "expectations file".into(),
                value: 0.0,
                unit: None,
                tolerance: check::Tolerance {
                    abs: Some(0.0),
                    rel: None,
                },
                label: Some(format!("{file} is valid")),
                line: None,
            };
            let message = problems_text(&diags);
            write_junit(&[check::unavailable(&whole, message.clone())], &file)?;
            return Err(BadInput(message).into());
        }
    };
    let dir = args.file.parent().unwrap_or(Path::new(""));
    // Each model (or scenario of a model) is loaded and computed once, however many
    // expectations name it.
    type Key = (Subject, Option<(String, String)>);
    let mut reports: Vec<(Key, Result<Report, String>)> = Vec::new();
    let mut outcomes = Vec::with_capacity(expectations.items.len());
    for e in &expectations.items {
        let scenario = match (&e.scenario, &e.scenarios) {
            (None, None) => None,
            (Some(name), Some(path)) => Some((path.clone(), name.clone())),
            (Some(_), None) | (None, Some(_)) => {
                outcomes.push(check::unavailable(
                    e,
                    "a scenario needs both `scenario` (its name) and `scenarios` (its file, relative to this file)",
                ));
                continue;
            }
        };
        let key: Key = (e.subject.clone(), scenario);
        let i = match reports.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                let loaded = match &e.subject {
                    Subject::Model(path) => {
                        load_file(&dir.join(path)).map_err(|d| problems_text(&d))
                    }
                    Subject::Dataset(name) => load_model(&ModelArgs {
                        model: None,
                        dataset: Some(name.clone()),
                    })
                    .map_err(|err| render_error(&err)),
                };
                let report = loaded.and_then(|l| match &key.1 {
                    None => Ok(run(&l.model)),
                    Some((path, name)) => {
                        crate::scenario::scenario_model(&l, &dir.join(path), name)
                            .map(|(m, _)| run(&m))
                            .map_err(|e| render_error(&e))
                    }
                });
                reports.push((key, report));
                reports.len() - 1
            }
        };
        outcomes.push(match &reports[i].1 {
            Ok(report) => check::verify(e, report),
            Err(why) => check::unavailable(e, why.clone()),
        });
    }
    emit(None, &check::table(&outcomes))?;
    write_junit(&outcomes, &expectations.name)?;
    let failed = outcomes
        .iter()
        .filter(|o| o.verdict != Verdict::Pass)
        .count();
    if failed > 0 {
        Err(BadInput(format!(
            "{failed} of {} expectations in {file} failed",
            outcomes.len()
        ))
        .into())
    } else {
        Ok(())
    }
}

/// Loads the model named by the arguments: a file, or an embedded data set.
fn load_model(args: &ModelArgs) -> Result<Loaded> {
    load_model_with_inputs(args).map(|(loaded, _)| loaded)
}

/// A model and the texts it was read from (name, text): the model, then its flow tables.
pub(crate) type WithInputs = (Loaded, Vec<(String, String)>);

/// Loads the model named by the arguments, with the texts it came from: a file, or an embedded
/// data set named by `--dataset NAME` or by `dataset:NAME` in place of the file (as every
/// command that takes a model accepts), or the default data set.
pub(crate) fn load_model_with_inputs(args: &ModelArgs) -> Result<WithInputs> {
    let path = args.model.as_deref();
    let named = path.and_then(|p| p.to_str()?.strip_prefix("dataset:"));
    match (path, named.or(args.dataset.as_deref())) {
        (Some(path), None) => load_file_with_inputs(path).map_err(|diags| problems_error(&diags)),
        (_, name) => {
            let name = name.unwrap_or(datasets::DEFAULT);
            let d = dataset(name).ok_or_else(|| {
                let names: Vec<&str> = DATASETS.iter().map(|d| d.name).collect();
                BadInput(format!(
                    "unknown data set \"{name}\"\n  hint: the embedded data sets are {}",
                    names.join(", ")
                ))
            })?;
            let loaded = d.load().map_err(|diags| problems_error(&diags))?;
            Ok((loaded, vec![(format!("{name}.toml"), d.text.to_owned())]))
        }
    }
}

/// Reads and validates a model file and the flow tables it names (relative to it).
fn load_file(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load_file_with_inputs(path).map(|(loaded, _)| loaded)
}

/// [`load_file`], also returning the texts read: the model, then each flow table.
pub(crate) fn load_file_with_inputs(path: &Path) -> Result<WithInputs, Vec<Diagnostic>> {
    let name = path.display().to_string();
    let at_file = |message: String, hint: &str| {
        vec![Diagnostic::error(circ_core::Location::at(&name, Vec::new()), message).with_hint(hint)]
    };
    let Some(format) = ModelFormat::from_name(&name) else {
        return Err(at_file(
            "cannot tell the format of this file".into(),
            "model files end in .toml or .json; CSV tables of flows are named in the model's flow_tables",
        ));
    };
    let text = read_text(path).map_err(|e| at_file(format!("{e:#}"), "check the path"))?;
    let dir = path.parent().unwrap_or(Path::new(""));
    let tables = std::cell::RefCell::new(Vec::new());
    let read = |table: &str| {
        let path = dir.join(table);
        let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
        tables
            .borrow_mut()
            .push((path.display().to_string(), text.clone()));
        Ok(text)
    };
    let loaded = load(
        SourceText {
            name: &name,
            text: &text,
        },
        format,
        &read,
    )?;
    let mut inputs = vec![(name, text)];
    inputs.extend(tables.into_inner());
    Ok((loaded, inputs))
}

/// The error for a list of problems: all of them, then a count.
pub(crate) fn problems_error(diags: &[Diagnostic]) -> anyhow::Error {
    BadInput(problems_text(diags)).into()
}

fn problems_text(diags: &[Diagnostic]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let mut text: Vec<String> = diags.iter().map(ToString::to_string).collect();
    text.push(format!(
        "{errors} error{}, {warnings} warning{}",
        plural(errors),
        plural(warnings)
    ));
    text.join("\n")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

pub(crate) fn print_warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

fn validate_cmd(args: &ValidateArgs) -> Result<()> {
    let mut all = Vec::new();
    let mut failed = 0usize;
    for path in &args.files {
        match load_file(path) {
            Ok(loaded) => all.extend(loaded.warnings),
            Err(diags) => {
                failed += 1;
                all.extend(diags);
            }
        }
    }
    match args.format {
        ProblemFormat::Json => {
            let json = serde_json::to_string_pretty(&all).expect("diagnostics serialise");
            emit(None, &(json + "\n"))?;
        }
        ProblemFormat::Text => {
            if all.is_empty() {
                emit(None, &format!("{} valid\n", count_models(args.files.len())))?;
            } else {
                eprintln!("{}", problems_text(&all));
            }
        }
    }
    if failed > 0 {
        Err(BadInput(format!(
            "{failed} of {} invalid",
            count_models(args.files.len())
        ))
        .into())
    } else {
        Ok(())
    }
}

fn count_models(n: usize) -> String {
    format!("{n} model{}", plural(n))
}

fn datasets_cmd(args: &DatasetsArgs) -> Result<()> {
    match args.format {
        ProblemFormat::Json => {
            let list: Vec<serde_json::Value> = DATASETS
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "name": d.name,
                        "title": d.title,
                        "reproduces": d.reproduces,
                        "default": d.name == datasets::DEFAULT,
                    })
                })
                .collect();
            emit(
                None,
                &(serde_json::to_string_pretty(&list).expect("json") + "\n"),
            )
        }
        ProblemFormat::Text => {
            let width = DATASETS.iter().map(|d| d.name.len()).max().unwrap_or(0);
            let mut out = String::new();
            for d in DATASETS {
                let default = if d.name == datasets::DEFAULT {
                    " (default)"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "{:<width$}  {}{default}\n{:<width$}  figures: {}\n",
                    d.name, d.title, "", d.reproduces
                ));
            }
            out.push_str("\nSources, tables, releases and licences: data/datapackage.json, or `circ run --dataset NAME`.\n");
            emit(None, &out)
        }
    }
}

fn convert_cmd(args: &ConvertArgs) -> Result<()> {
    let loaded = load_file(&args.model).map_err(|diags| problems_error(&diags))?;
    print_warnings(&loaded.warnings);
    let from_name = args
        .output
        .as_deref()
        .and_then(|p| ModelFormat::from_name(&p.display().to_string()));
    let to = match (args.to, from_name) {
        (Some(t), _) => t,
        (None, Some(ModelFormat::Toml)) => ModelSyntax::Toml,
        (None, Some(ModelFormat::Json)) => ModelSyntax::Json,
        (None, None) => {
            return Err(BadInput("say which format to write: --to toml or --to json, or an --output ending in .toml or .json".into()).into());
        }
    };
    let doc = loaded.document.expect("load returns the document it read");
    let text = match to {
        ModelSyntax::Json => circ_core::format::to_json(&doc) + "\n",
        ModelSyntax::Toml => circ_core::format::to_toml(&doc)
            .map_err(|e| BadInput(format!("cannot write TOML: {e}")))?,
    };
    emit(args.output.as_deref(), &text)
}

fn product_cmd(args: &ProductArgs) -> Result<()> {
    if args.schema {
        return emit(args.output.as_deref(), &(product::product_schema() + "\n"));
    }
    let path = args
        .file
        .as_deref()
        .expect("clap requires FILE unless --schema is given");
    let name = path.display().to_string();
    let format = ProductFormat::from_name(&name).ok_or_else(|| {
        problems_error(&[at_file(
            &name,
            "cannot tell the format of this file",
            "product files end in .toml or .json, or .csv for a table of material rows alone",
        )])
    })?;
    let text = read_text(path)?;
    let read = tables_beside(path);
    let report = product_report(
        SourceText {
            name: &name,
            text: &text,
        },
        format,
        &read,
    )
    .map_err(|diags| problems_error(&diags))?;
    emit_product_report(&report, args.format, args.output.as_deref())
}

fn company_cmd(args: &CompanyArgs) -> Result<()> {
    if args.schema {
        return emit(args.output.as_deref(), &(product::company_schema() + "\n"));
    }
    let path = args
        .file
        .as_deref()
        .expect("clap requires FILE unless --schema is given");
    let name = path.display().to_string();
    let format = ModelFormat::from_name(&name).ok_or_else(|| {
        problems_error(&[at_file(
            &name,
            "cannot tell the format of this file",
            "company files end in .toml or .json; their products' material rows may be CSV tables named in material_tables",
        )])
    })?;
    let text = read_text(path)?;
    let read = tables_beside(path);
    let report = company_report(
        SourceText {
            name: &name,
            text: &text,
        },
        format,
        &read,
    )
    .map_err(|diags| problems_error(&diags))?;
    emit_product_report(&report, args.format, args.output.as_deref())
}

/// A problem with the file as a whole.
fn at_file(name: &str, message: &str, hint: &str) -> Diagnostic {
    Diagnostic::error(circ_core::Location::at(name, Vec::new()), message).with_hint(hint)
}

/// Reads the tables a file names, relative to the file.
fn tables_beside(path: &Path) -> impl Fn(&str) -> Result<String, String> {
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    move |table: &str| std::fs::read_to_string(dir.join(table)).map_err(|e| e.to_string())
}

/// Prints the warnings, then writes the report in the chosen format.
fn emit_product_report(
    report: &ProductReport,
    format: Format,
    output: Option<&Path>,
) -> Result<()> {
    print_warnings(&report.warnings);
    let text = match format {
        Format::Table => report.to_text(),
        Format::Json => report.to_json() + "\n",
        Format::Csv => report.to_csv(),
        Format::Md => report.to_markdown(),
    };
    emit(output, &text)
}

/// Most sample values kept in memory at once (8 bytes each): 800 MB.
const MAX_SAMPLE_VALUES: u64 = 100_000_000;

/// Propagates uncertainty as asked: core computes, this only spreads Monte Carlo samples over
/// threads (each sample's numbers depend on its index and the seed alone).
fn propagate(
    loaded: &Loaded,
    how: Propagation,
    sampling: Option<&Sampling>,
) -> Result<Option<Propagated>> {
    let problem = |p: Vec<Problem>| -> anyhow::Error {
        BadInput(format!(
            "cannot propagate uncertainty through this network: {p:?}\n  hint: `circ solve` and `circ reconcile` show how it solves"
        ))
        .into()
    };
    match how {
        Propagation::None => Ok(None),
        Propagation::Gauss => Ok(Some(uncertainty::linear(&loaded.network).map_err(problem)?)),
        Propagation::Mc => {
            let (samples, seed) = sampling.map_or((10_000, 1), |s| (s.samples, s.seed));
            let mc = MonteCarlo::new(&loaded.network, usize::try_from(samples)?, seed)
                .map_err(problem)?;
            let width = mc.width();
            let values = samples.saturating_mul(width as u64);
            if values > MAX_SAMPLE_VALUES {
                return Err(BadInput(format!(
                    "{samples} samples of {width} values each would hold {values} numbers in memory, more than {MAX_SAMPLE_VALUES}\n  hint: use fewer --samples"
                ))
                .into());
            }
            let mut rows = vec![0.0; usize::try_from(values)?];
            let clamped: usize = rows
                .par_chunks_mut(width.max(1))
                .enumerate()
                .map_init(
                    || mc.scratch(),
                    |scratch, (i, row)| usize::from(mc.sample_into(i as u64, row, scratch)),
                )
                .sum();
            Ok(Some(mc.summarise(&rows, clamped)))
        }
    }
}

fn solve_cmd(args: &SolveArgs) -> Result<()> {
    let loaded = load_model(&args.model)?;
    print_warnings(&loaded.warnings);
    let propagated = propagate(&loaded, args.uncertainty, Some(&args.sampling))?;
    let report = solve_report(&loaded.model, &loaded.solution, propagated.as_ref());
    let text = match args.format {
        Format::Table => report.to_text(),
        Format::Json => report.to_json() + "\n",
        Format::Csv => report.to_csv(),
        Format::Md => {
            return Err(BadInput(
                "flows have no Markdown form; use --format table, csv or json".into(),
            )
            .into());
        }
    };
    emit(args.output.as_deref(), &text)
}

fn reconcile_cmd(args: &ModelOutputArgs) -> Result<()> {
    let loaded = load_model(&args.model)?;
    print_warnings(&loaded.warnings);
    let r = reconcile(&loaded.network)
        .map_err(|p| BadInput(format!("cannot reconcile this network: {p:?}")))?
        .ok_or_else(|| {
            BadInput(
                "nothing to reconcile: the balances constrain no given value that has an uncertainty\n  hint: give the measured values an `uncertainty`, and more values than the balances need"
                    .into(),
            )
        })?;
    let report = reconcile_report(&loaded.model, &r);
    let text = match args.format {
        Format::Table => report.to_text(),
        Format::Json => report.to_json() + "\n",
        Format::Csv => report.to_csv(),
        Format::Md => {
            return Err(BadInput(
                "a reconciliation has no Markdown form; use --format table, csv or json".into(),
            )
            .into());
        }
    };
    emit(args.output.as_deref(), &text)
}

fn project_cmd(args: &ProjectArgs) -> Result<()> {
    let loaded = load_file(&args.model).map_err(|diags| problems_error(&diags))?;
    print_warnings(&loaded.warnings);
    let Some(dynamics) = loaded.model.dynamics() else {
        return Err(BadInput(format!(
            "{}: the model has no [dynamics] section, so there is nothing to project\n  hint: add a time axis and dynamic stocks as docs/stocks.md shows; `circ run` gives the indicators of a model without them",
            args.model.display()
        ))
        .into());
    };
    let opts = circ_core::ProjectOptions {
        from: args.from.unwrap_or(dynamics.first_year()),
        to: args.to.unwrap_or(dynamics.last_year()),
    };
    let projection = circ_core::project(&loaded.model, &opts)
        .map_err(|e| BadInput(format!("{}: {e}", args.model.display())))?;
    let text = match args.format {
        SeriesFormat::Table => projection.to_text(),
        SeriesFormat::Csv => projection.to_csv(),
        SeriesFormat::Json => projection.to_json() + "\n",
    };
    emit(args.output.as_deref(), &text)
}

/// Reads official statistics, builds the model in core, writes it, and prints what is missing
/// and how the published figures compare with circ's.
fn import_cmd(args: &ImportArgs) -> Result<()> {
    use circ_core::import::{self, Filter, ImportOptions, Layout};
    let (eurostat, a) = match &args.source {
        ImportSource::Eurostat(a) => (true, a),
        ImportSource::Irp(a) => (false, a),
    };
    let filter = Filter {
        geo: Some(&a.geo),
        period: Some(&a.year),
    };
    let mut tables = Vec::new();
    let mut diags = Vec::new();
    for path in &a.files {
        let text = read_text_or_gz(path)?;
        let name = path.display().to_string();
        let (table, mut d) = import::read_table(
            SourceText {
                name: &name,
                text: &text,
            },
            &filter,
        );
        if let Some(t) = &table {
            let fits = if eurostat {
                t.layout != Layout::IrpCsv
            } else {
                t.layout == Layout::IrpCsv
            };
            if !fits {
                let sub = if eurostat { "irp" } else { "eurostat" };
                return Err(BadInput(format!(
                    "{name}: a {} file\n  hint: read it with `circ import {sub}`",
                    t.layout
                ))
                .into());
            }
        }
        diags.append(&mut d);
        tables.extend(table);
    }
    if circ_core::diagnostic::has_errors(&diags) {
        return Err(problems_error(&diags));
    }
    print_warnings(&diags);
    let opts = ImportOptions {
        geo: &a.geo,
        year: &a.year,
        release: a.release.as_deref(),
        name: a.name.as_deref(),
    };
    let imported = import::build_model(&tables, &opts).map_err(|d| problems_error(&d))?;
    print_warnings(&imported.warnings);
    let out_name = a
        .output
        .as_ref()
        .map_or_else(|| "model.toml".to_owned(), |p| p.display().to_string());
    let format = ModelFormat::from_name(&out_name).unwrap_or(ModelFormat::Toml);
    let text = match format {
        ModelFormat::Json => circ_core::format::to_json(&imported.document) + "\n",
        ModelFormat::Toml => imported
            .to_toml()
            .map_err(|e| BadInput(format!("cannot write TOML: {e}")))?,
    };
    // The model must load as any other; if it does not, that is a bug in circ.
    let loaded = load(
        SourceText {
            name: &out_name,
            text: &text,
        },
        format,
        &|_| Err("an imported model has no flow tables".into()),
    )
    .map_err(|d| anyhow::anyhow!("the imported model is invalid:\n{}", problems_text(&d)))?;
    emit(a.output.as_deref(), &text)?;
    let report = run(&loaded.model);
    eprintln!(
        "{}: {} flows from {} file{}",
        a.output
            .as_ref()
            .map_or_else(|| "standard output".to_owned(), |p| p.display().to_string()),
        imported.document.flows.len(),
        a.files.len(),
        plural(a.files.len())
    );
    for line in import::compare_published(&report, &imported.published) {
        eprintln!("{line}");
    }
    Ok(())
}
