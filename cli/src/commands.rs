//! The subcommands: arguments in, core calls, text out.

use std::fmt;
use std::path::Path;

use anyhow::Result;
use circ_core::diagnostic::{Diagnostic, Severity};
use circ_core::product::{self, ProductFormat, ProductReport};
use circ_core::{
    DATASETS, Format as ModelFormat, Loaded, Report, SourceText, company_report, dataset, datasets,
    load, product_report, run,
};

use crate::args::{
    Cli, Command, CompanyArgs, ConvertArgs, DatasetsArgs, Format, ImportArgs, ImportSource,
    ModelArgs, ModelSyntax, ProblemFormat, ProductArgs, RunArgs, ValidateArgs,
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
        Command::Run(args) => run_cmd(&args, false),
        Command::Accounts(args) => run_cmd(&args, true),
        Command::Validate(args) => validate_cmd(&args),
        Command::Convert(args) => convert_cmd(&args),
        Command::Schema(args) => emit(args.output.as_deref(), &(circ_core::json_schema() + "\n")),
        Command::Datasets(args) => datasets_cmd(&args),
        Command::Product(args) => product_cmd(&args),
        Command::Company(args) => company_cmd(&args),
        Command::Import(args) => import_cmd(&args),
    }
}

fn run_cmd(args: &RunArgs, accounts: bool) -> Result<()> {
    let loaded = load_model(&args.model)?;
    print_warnings(&loaded.warnings);
    let report: Report = run(&loaded.model);
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

/// Loads the model named by the arguments: a file, or an embedded data set.
fn load_model(args: &ModelArgs) -> Result<Loaded> {
    match &args.model {
        Some(path) => load_file(path).map_err(|diags| problems_error(&diags)),
        None => {
            let name = args.dataset.as_deref().unwrap_or(datasets::DEFAULT);
            let d = dataset(name).ok_or_else(|| {
                let names: Vec<&str> = DATASETS.iter().map(|d| d.name).collect();
                BadInput(format!(
                    "unknown data set \"{name}\"\n  hint: the embedded data sets are {}",
                    names.join(", ")
                ))
            })?;
            Ok(d.load().map_err(|diags| problems_error(&diags))?)
        }
    }
}

/// Reads and validates a model file and the flow tables it names (relative to it).
fn load_file(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
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
    let read = |table: &str| std::fs::read_to_string(dir.join(table)).map_err(|e| e.to_string());
    load(
        SourceText {
            name: &name,
            text: &text,
        },
        format,
        &read,
    )
}

/// The error for a list of problems: all of them, then a count.
fn problems_error(diags: &[Diagnostic]) -> anyhow::Error {
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

fn print_warnings(warnings: &[Diagnostic]) {
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
