//! The command line, as clap structs. `commands` turns them into core calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// circ: material flows, stocks and circularity indicators, from one model.
#[derive(Debug, Parser)]
#[command(
    name = "circ",
    version,
    about = "circ: material flows, stocks and circularity indicators (Circularity Gap metric, Eurostat CMU, EW-MFA accounts) from one model",
    after_help = "Examples:
  circ run                         indicators of the embedded default (CGR 2020, 8.6 %)
  circ run model.toml --format md  indicators of your model, as Markdown
  circ validate model.toml         every problem of a model, with file, line and fix
  circ solve network.toml          every flow of a network given by shares, with uncertainties
  circ reconcile measured.toml     reconciled flows and their test statistics
  circ project stocks.toml --from 2024 --to 2050
                                   indicator time series of a model with dynamic stocks
  circ scenario model.toml scenarios.toml
                                   each scenario's indicators beside the baseline, ranked
  circ batch dataset:cgr2020 --samples 100000 -o batch.csv
                                   a seeded Latin-hypercube batch, in parallel, streamed
  circ sensitivity model.toml -o tornado.svg
                                   every parameter ±10 %, ranked, with a tornado chart
  circ sankey -o flows.svg         the Sankey diagram of the default data set
  circ report -o report.html       a publishable report (HTML, or .md with SVG figures)
  circ check checks/shipped.toml   recompute published numbers; exit 1 if one drifted
  circ import eurostat env_ac_mfa.tsv env_wastrt.tsv --geo CZ --year 2022 -o cz.toml
                                   a model from downloaded Eurostat files
  circ datasets                    the embedded data sets
  circ product chair.toml          MCI and CTI of a product
  circ company company.toml        MCI and CTI of a company, its business units and products

Exit codes: 0 success, 1 bad input, 2 internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compute the indicators of a model (default: the embedded CGR 2020 data set)
    #[command(after_help = "Examples:
  circ run                                  the default data set, as a table
  circ run --dataset cgr2018                another embedded data set
  circ run model.toml                       a model file (TOML or JSON; CSV flow tables it names are read too)
  circ run model.toml --format json -o out.json
                                            every indicator with formula, source and inputs, as JSON
  circ run network.toml --uncertainty gauss each indicator ± its standard deviation
  circ run network.toml --uncertainty mc --samples 100000 --seed 7
                                            Monte Carlo: mean, standard deviation, 5th to 95th percentile

Each indicator carries its formula, source and inputs; one whose inputs are missing is shown as
not computable, with the reason, never as zero. Flows given by shares are solved first; given
values with uncertainties that over-determine the balances are reconciled.

Exit codes:
  0  success
  1  bad input: an invalid model, an unreadable file, an unknown data set, bad arguments
  2  internal error (a bug: please report it)")]
    Run(RunArgs),
    /// Solve a network and print every flow and stock change, with its uncertainty
    #[command(after_help = "Examples:
  circ solve network.toml                        every flow: value, how it was found, ± sd
  circ solve network.toml --uncertainty mc --samples 20000 --seed 1
  circ solve network.toml --format csv -o flows.csv

Flows given by a share of their origin's output, or by nothing (the rest), are solved from the
balances. The table is in the model's unit; JSON and CSV in tonnes. Linear propagation (gauss)
is the default; --uncertainty none leaves it out.

Exit codes:
  0  success
  1  bad input: an invalid or under-determined network, an unreadable file, bad arguments
  2  internal error")]
    Solve(SolveArgs),
    /// Reconcile measured flows onto the balances: reconciled values and test statistics
    #[command(after_help = "Examples:
  circ reconcile measured.toml
  circ reconcile measured.toml --format json

Given values with an uncertainty that the balances over-determine are adjusted by weighted least
squares (as STAN does). The global χ² test says whether the data are consistent with their stated
uncertainties; each value's test statistic (adjustment / its standard deviation) beyond ±1.96
points at a likely gross error. Consistent data are not changed.

Exit codes:
  0  success (also when the data fail the χ² test: read the report)
  1  bad input: an invalid model, nothing to reconcile, an unreadable file, bad arguments
  2  internal error")]
    Reconcile(ModelOutputArgs),
    /// Print the EW-MFA and waste accounts of a model, by material group
    #[command(after_help = "Examples:
  circ accounts                        accounts of the default data set
  circ accounts model.toml --format csv

Masses are in the model's display unit in the table, in tonnes in CSV and JSON.")]
    Accounts(ModelOutputArgs),
    /// Check model files and report every problem at once
    #[command(after_help = "Examples:
  circ validate model.toml
  circ validate models/*.toml --format json

Each problem names the file, the line and key, and what would fix it. Warnings do not change the
exit code.

Exit codes:
  0  every model is valid
  1  at least one model has an error
  2  internal error")]
    Validate(ValidateArgs),
    /// Convert a model between TOML and JSON, with its CSV flow tables inlined
    #[command(after_help = "Examples:
  circ convert model.toml -o model.json     for the web calculator or other programs
  circ convert model.json --to toml         to standard output

The model is validated first; flows from the CSV tables it names are written into `flows`, so the
result stands alone. Comments in TOML are not carried over.")]
    Convert(ConvertArgs),
    /// Project a model with dynamic stocks: end-of-life flows and every indicator, year by year
    #[command(after_help = "Examples:
  circ project data/examples/buildings.toml
                                            every year of the model's time axis, as a table
  circ project model.toml --from 2024 --to 2050 --format csv -o series.csv
                                            every indicator and account line, one row per year
  circ project model.toml --from 2030 --to 2030 --format json

Each year is one model: the network, with the dynamic stocks' inflows and end-of-life outflows of
that year and that year's collection and treatment shares, run as `circ run` runs it. The model's
[dynamics] section is described in docs/stocks.md.

Exit codes:
  0  success
  1  bad input: an invalid model, years outside its time axis, shares that cannot hold
  2  internal error (a bug: please report it)")]
    Project(ProjectArgs),
    /// Print the JSON Schema of the model format
    #[command(after_help = "Examples:
  circ schema > circ-model.schema.json

Editors such as VS Code (Even Better TOML, or JSON with \"$schema\") use it to complete and check
model files.")]
    Schema(OutputArgs),
    /// Compare scenarios of a model: each scenario's indicators beside the baseline, ranked
    #[command(after_help = "Examples:
  circ scenario model.toml scenarios.toml
  circ scenario dataset:cgr2020 data/examples/cgr-scenarios.toml --format csv -o compare.csv
  circ scenario data/examples/buildings.toml data/examples/buildings-scenarios.toml --year 2040
  circ scenario --schema > scenarios.schema.json

A scenario file names scenarios, each a list of interventions: set or scale a flow, a share of a
waste stream (the rest re-balanced in proportion), what an extraction or import process supplies,
a stock change, a dynamic stock's lifetime or demand; optionally ramped over years. circ
re-balances the model (supply follows demand, treatment follows transfer coefficients) and ranks
the scenarios by --rank-by. See docs/scenarios.md.

Exit codes:
  0  success
  1  bad input: an invalid model or scenario file, an intervention that points at nothing or
     leaves the model unbalanced (named with its scenario), bad arguments
  2  internal error")]
    Scenario(ScenarioArgs),
    /// Run a batch of scenarios: a full-factorial grid or a Latin-hypercube sample, streamed to CSV or JSON lines
    #[command(after_help = "Examples:
  circ batch dataset:cgr2020 --samples 100000 --seed 7 -o batch.csv
  circ batch model.toml --grid params.toml --format jsonl -o grid.jsonl
  circ batch model.toml --samples 1000000 --params params.toml --shard 3/10 -o part-03.csv
  circ batch model.toml --samples 1000000 -o batch.csv --resume
  circ batch model.toml --default-params > params.toml

One row per scenario and indicator: scenario,<parameters>,indicator,value,error. Rows come in
scenario order whatever the number of threads (--threads, or RAYON_NUM_THREADS); memory stays flat.
Without --params, --samples varies every parameter of the model (--default-params lists them)
within ±--range %. --shard K/N writes the K-th of N contiguous blocks (the CSV header in the first
only): the shards concatenated are the whole batch, byte for byte. With -o, rows go to a hidden
partial file beside the output, renamed over it at the end; --resume continues from it. A progress
bar shows on a terminal.

Exit codes:
  0  success (scenarios that cannot hold are rows with an error)
  1  bad input: an invalid model or parameter file, bad arguments, a partial file of another batch
  2  internal error")]
    Batch(BatchArgs),
    /// Rank the parameters of a model by their effect on an indicator, one at a time ±X %
    #[command(after_help = "Examples:
  circ sensitivity model.toml                        every parameter ±10 %, as a table
  circ sensitivity model.toml -o tornado.svg         the tornado chart too (the table still prints)
  circ sensitivity model.toml --params params.toml --delta 20 --indicator eurostat.cmu_rate
  circ sensitivity model.toml --format csv -o sensitivity.csv

Each parameter (every share of a waste stream, every flow and stock change nothing re-balances,
each dynamic stock's lifetime and demand; or those of --params) is scaled by 1 − δ and 1 + δ alone,
and the parameters are ranked by the swing of the indicator.

Exit codes:
  0  success
  1  bad input: an invalid model or parameter file, an unknown indicator, bad arguments
  2  internal error")]
    Sensitivity(SensitivityArgs),
    /// Draw the Sankey diagram of a model's flows as SVG
    #[command(after_help = "Examples:
  circ sankey -o flows.svg                  the default data set (CGR 2020)
  circ sankey model.toml -o model.svg       a model file
  circ sankey --dataset cgr2018 > old.svg   to standard output

Processes stand in columns, flows are bands as wide as their mass, coloured by material group;
material cycled back (recycling loops) runs backwards below the columns. The same model gives
the same bytes every time, and the web calculator draws the same picture.")]
    Sankey(SankeyArgs),
    /// Write a publishable report: indicators, formulas, Sankey diagram, charts, sources, input hashes
    #[command(after_help = "Examples:
  circ report -o report.html                    the default data set (CGR 2020), one HTML file
  circ report model.toml -o report.md           Markdown, with its figures as SVG files beside it
  circ report --series dataset:cgr2018 -o report.html
                                                with the time series of another year's model
  circ report model-2024.toml --series model-2022.toml --series model-2023.toml -o report.html

The HTML file is self-contained: no scripts, no fonts or styles from the network; it opens
offline and prints well. Every number in it was computed by circ from the inputs, whose SHA-256
hashes it lists with the circ version, so that anyone can reproduce it.

  circ report model.toml --scenarios scenarios.toml --scenario recycle-70 -o report.html
                                                a scenario of the model (docs/scenarios.md)")]
    Report(ReportArgs),
    /// Check published numbers against what circ computes from their data (for CI)
    #[command(after_help = "Examples:
  circ check checks/shipped.toml
  circ check report-2025.toml --junit artifacts/junit-circ.xml

The file lists models or data sets and the values a report publishes, each with a tolerance:

  [[expect]]
  dataset = \"cgr2020\"                    # or model = \"path.toml\", relative to this file
  indicator = \"cgr.circularity_metric\"   # or an account id such as \"mfa.dmc\"
  value = 8.6
  unit = \"%\"
  abs = 0.05                             # or rel = 0.01

circ recomputes each and prints expected, computed, difference and verdict. See
docs/check-in-ci.md for GitHub Actions and GitLab CI.

Exit codes:
  0  every expectation holds
  1  a number drifted beyond its tolerance, or an expectation could not be checked (bad file,
     a model that does not load, an unknown or uncomputable indicator)
  2  internal error")]
    Check(CheckArgs),
    /// Build a model from official statistics: Eurostat files or the UN IRP database
    #[command(after_help = "Examples:
  circ import eurostat estat_env_ac_mfa.tsv.gz estat_env_wastrt.tsv.gz --geo CZ --year 2022 -o cz.toml
  circ import eurostat env_ac_cur.csv env_wasgen.csv --geo EU27_2020 --year 2022 --release 2024-11-14
  circ import irp mfa13_export.csv --geo Ukraine --year 2019 -o ua.toml

Eurostat files are bulk TSV (`freq,indic_env,material,unit,geo\\TIME_PERIOD` header, values with
flags such as `12.3 e`, `:` for missing) or SDMX-CSV, plain or .gz, of env_ac_mfa (DE, IMP, EXP by
material group), env_wasgen (waste generated), env_wastrt (waste treated by operation) and
env_ac_cur (the published CMU rate, kept for comparison). The model is at accounts level; every
flow names its source and keeps its flags; missing values write no flow, so the indicators say
what is missing. Warnings list the gaps; a malformed file is an error naming line and column.

Exit codes:
  0  the model was written (warnings may list gaps)
  1  bad input: a malformed or unreadable file, no figure for the geography and year
  2  internal error")]
    Import(ImportArgs),
    /// List the embedded data sets
    #[command(after_help = "Examples:
  circ datasets
  circ run --dataset cgr2018

Each data set's source, table, release and licence are in data/datapackage.json and in the output
of `circ run --dataset NAME`.")]
    Datasets(DatasetsArgs),
    /// Compute a product's Material Circularity Indicator (EMF) and Circular Transition Indicators (WBCSD)
    #[command(after_help = "Examples:
  circ product data/examples/office-chair.toml             MCI, LFI, utility and CTI, as a table
  circ product chair.toml --format json -o chair.json     every value with formula, inputs and source
  circ product bom.csv                                    a CSV of material rows alone (2019 method,
                                                          average utility, masses in kg)
  circ product --schema > product.schema.json             the JSON Schema of the product file

The product file (docs/products.md) gives the product's materials per unit: mass, recycled, reused
and sustained-production feedstock, what is recycled, reused, composted or burnt for energy at end
of use, the recycling efficiencies, the recovery potential, and optionally its lifetime and
intensity of use against the industry average, and its energy use. Each indicator carries its
formula, inputs, source and the convention chosen where the source is ambiguous; one that cannot be
computed says why, never zero.

Exit codes:
  0  success
  1  bad input: an invalid file (every problem is listed, with line and a fix), an unreadable
     file, bad arguments
  2  internal error (a bug: please report it)")]
    Product(ProductArgs),
    /// Compute a company's MCI and CTI by business unit and product line, or the CTI of a process network
    #[command(after_help = "Examples:
  circ company data/examples/company.toml                  company, business units and product lines
  circ company company.toml --format md -o company.md
  circ company project-model.toml                          a process network (a circ model): the CTI
                                                          its roles allow, and why the rest is not
                                                          computable
  circ company --schema > company.schema.json

A company file (docs/products.md) lists product lines with their units sold per year, revenue,
business unit and materials (inline or in CSV tables); the company's MCI weights the products' MCIs
by mass (default) or revenue. A document with `processes` is read as a process-network model.

Exit codes:
  0  success
  1  bad input: an invalid file, an unreadable file, bad arguments
  2  internal error (a bug: please report it)")]
    Company(CompanyArgs),
}

/// A model given as a path, or `dataset:NAME` for an embedded data set.
pub type ModelSpec = String;

#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// The model: a file (.toml, .json), or dataset:NAME
    #[arg(value_name = "MODEL", required_unless_present = "schema")]
    pub model: Option<ModelSpec>,
    /// The scenario file (.toml or .json)
    #[arg(value_name = "SCENARIOS", required_unless_present = "schema")]
    pub scenarios: Option<PathBuf>,
    /// Evaluate in this year: ramps part of the way; on a model with dynamic stocks, the
    /// projected year (default: every intervention at its target; the axis's last year)
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub year: Option<i32>,
    /// The indicator to rank by
    #[arg(long, value_name = "ID", default_value = "cgr.circularity_metric")]
    pub rank_by: String,
    /// Output format: a table for people, or csv, json
    #[arg(long, short, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the JSON Schema of scenario files instead
    #[arg(long, conflicts_with_all = ["model", "scenarios"])]
    pub schema: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// Aligned text for a terminal
    Table,
    /// CSV, one row per scenario and indicator
    Csv,
    /// JSON
    Json,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The model: a file (.toml, .json), or dataset:NAME
    #[arg(value_name = "MODEL", required_unless_present = "schema")]
    pub model: Option<ModelSpec>,
    /// A full-factorial grid over the values of this parameter file
    #[arg(long, value_name = "PARAMS.toml", conflicts_with_all = ["samples", "params"])]
    pub grid: Option<PathBuf>,
    /// A Latin-hypercube sample of N scenarios
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub samples: Option<u64>,
    /// The parameters of --samples (default: every parameter of the model, ±--range %)
    #[arg(long, value_name = "PARAMS.toml")]
    pub params: Option<PathBuf>,
    /// Seed of the sample: the same seed gives the same rows
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Range of the model's own parameters, in percent around their base values
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub range: f64,
    /// Indicators to write, comma-separated (default: those computable for the baseline)
    #[arg(long, value_name = "IDS", value_delimiter = ',')]
    pub indicators: Vec<String>,
    /// Row format
    #[arg(long, short, value_enum, default_value_t = RowFormat::Csv)]
    pub format: RowFormat,
    /// Write to this file (atomically, through a partial file beside it) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write only block K of N of the batch (1 ≤ K ≤ N), for array jobs
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Continue an interrupted batch from its partial file
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// Worker threads (default: every core, or RAYON_NUM_THREADS)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Evaluate in this year (ramps; the projected year of a model with dynamic stocks)
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub year: Option<i32>,
    /// Print the model's own parameters as a parameter file (TOML) and stop
    #[arg(long)]
    pub default_params: bool,
    /// Print the JSON Schema of parameter files instead
    #[arg(long, conflicts_with = "model")]
    pub schema: bool,
    /// Test hook: stop without finishing after writing this many scenarios, as if killed
    #[arg(long, hide = true, value_name = "N")]
    pub stop_after: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RowFormat {
    /// CSV with a header row
    Csv,
    /// JSON lines, one object per row
    Jsonl,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// The model: a file (.toml, .json), or dataset:NAME
    #[arg(value_name = "MODEL")]
    pub model: ModelSpec,
    /// The parameters to vary (default: every parameter of the model)
    #[arg(long, value_name = "PARAMS.toml")]
    pub params: Option<PathBuf>,
    /// The change of each parameter, in percent
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub delta: f64,
    /// The indicator ranked by
    #[arg(long, value_name = "ID", default_value = "cgr.circularity_metric")]
    pub indicator: String,
    /// Evaluate in this year (ramps; the projected year of a model with dynamic stocks)
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub year: Option<i32>,
    /// Output format of the table
    #[arg(long, short, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Write to this file (atomically): a .svg file gets the tornado chart (and the table still
    /// prints), any other the table
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ProductArgs {
    /// A product file: .toml, .json, or .csv (material rows alone)
    #[arg(value_name = "FILE", required_unless_present = "schema")]
    pub file: Option<PathBuf>,
    /// Output format: a table for people, or json, csv, md
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the JSON Schema of the product file instead
    #[arg(long, conflicts_with = "file")]
    pub schema: bool,
}

#[derive(Debug, Args)]
pub struct CompanyArgs {
    /// A company file (.toml or .json), or a process-network model
    #[arg(value_name = "FILE", required_unless_present = "schema")]
    pub file: Option<PathBuf>,
    /// Output format: a table for people, or json, csv, md
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Print the JSON Schema of the company file instead
    #[arg(long, conflicts_with = "file")]
    pub schema: bool,
}

#[derive(Debug, Args)]
pub struct ModelArgs {
    /// A model file (.toml, .json), or dataset:NAME. Without it, the default data set is used
    #[arg(value_name = "MODEL", conflicts_with = "dataset")]
    pub model: Option<PathBuf>,
    /// An embedded data set (see `circ datasets`); default cgr2020
    #[arg(long, value_name = "NAME")]
    pub dataset: Option<String>,
}

/// A model, an output format and an output file: what `run`, `accounts` and `reconcile` take.
#[derive(Debug, Args)]
pub struct ModelOutputArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format: a table for people, or json, csv, md
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub report: ModelOutputArgs,
    #[command(flatten)]
    pub uncertainty: UncertaintyArgs,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Output format: a table for people, or json, csv
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How to propagate uncertainty to every flow
    #[arg(long, value_enum, default_value_t = Propagation::Gauss)]
    pub uncertainty: Propagation,
    #[command(flatten)]
    pub sampling: Sampling,
}

#[derive(Debug, Args)]
pub struct UncertaintyArgs {
    /// Propagate the uncertainties of given values and shares to every indicator: gauss
    /// (linear) or mc (Monte Carlo)
    #[arg(long, value_enum)]
    pub uncertainty: Option<Propagation>,
    #[command(flatten)]
    pub sampling: Sampling,
}

#[derive(Debug, Args)]
pub struct Sampling {
    /// Monte Carlo samples
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(2..=100_000_000))]
    pub samples: u64,
    /// Seed of the Monte Carlo streams: the same seed gives the same numbers, on any number of threads
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Propagation {
    /// No propagation
    None,
    /// Linear propagation of variances
    Gauss,
    /// Monte Carlo sampling
    Mc,
}

#[derive(Debug, Args)]
pub struct ProjectArgs {
    /// A model file (.toml or .json) with a `dynamics` section (docs/stocks.md)
    #[arg(value_name = "MODEL")]
    pub model: PathBuf,
    /// First year to project; default the first year of the model's time axis
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub from: Option<i32>,
    /// Last year to project; default the last year of the model's time axis
    #[arg(long, value_name = "YEAR", allow_negative_numbers = true)]
    pub to: Option<i32>,
    /// Output format: a table for people, or csv (long format), json
    #[arg(long, short, value_enum, default_value_t = SeriesFormat::Table)]
    pub format: SeriesFormat,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeriesFormat {
    /// Aligned text for a terminal: the main series
    Table,
    /// CSV, one row per year and series (year,kind,id,name,unit,value,reason)
    Csv,
    /// JSON, every series unrounded
    Json,
}

#[derive(Debug, Args)]
pub struct SankeyArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Height in pixels available to the fullest column's flows
    #[arg(long, value_name = "PX", default_value_t = 420.0)]
    pub height: f64,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub model: ModelArgs,
    /// Report this scenario of --scenarios instead of the model itself
    #[arg(long, value_name = "NAME", requires = "scenarios")]
    pub scenario: Option<String>,
    /// The scenario file of --scenario
    #[arg(long, value_name = "FILE", requires = "scenario")]
    pub scenarios: Option<PathBuf>,
    /// Another year's model for the time series: a file, or dataset:NAME (repeatable)
    #[arg(long, value_name = "MODEL")]
    pub series: Vec<String>,
    /// html or md; default from the extension of --output, else html
    #[arg(long, short, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to this file (atomically) instead of standard output; Markdown writes its figures
    /// beside it
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page
    Html,
    /// Markdown, with SVG figures beside it
    Md,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The expectations file (TOML)
    #[arg(value_name = "EXPECTATIONS")]
    pub file: PathBuf,
    /// Also write the outcomes as JUnit XML to this file (atomically), for CI systems
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// Eurostat bulk TSV or SDMX-CSV files: env_ac_mfa, env_ac_cur, env_wasgen, env_wastrt
    Eurostat(ImportFiles),
    /// The UN IRP Global Material Flows Database CSV export
    Irp(ImportFiles),
}

#[derive(Debug, Args)]
pub struct ImportFiles {
    /// Files to read: .tsv, .csv, or either gzip-compressed (.gz)
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Geography: a Eurostat code (CZ, EU27_2020); for the UN IRP database the country name
    #[arg(long, value_name = "GEO")]
    pub geo: String,
    /// Year (the period as the files write it)
    #[arg(long, value_name = "YEAR")]
    pub year: String,
    /// Release or download date of the files, for files that do not state it (bulk TSV)
    #[arg(long, value_name = "DATE")]
    pub release: Option<String>,
    /// Name of the model; default `<geography> <year>: official statistics`
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Write the model to this file (atomically): .toml, or .json; default standard output (TOML)
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Model files to check
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Output format of the problems: text, or json
    #[arg(long, short, value_enum, default_value_t = ProblemFormat::Text)]
    pub format: ProblemFormat,
}

#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The model to convert: .toml or .json
    #[arg(value_name = "MODEL")]
    pub model: std::path::PathBuf,
    /// Output format; default from the extension of --output
    #[arg(long, value_enum)]
    pub to: Option<ModelSyntax>,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelSyntax {
    /// TOML
    Toml,
    /// JSON
    Json,
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DatasetsArgs {
    /// Output format: a table, or json
    #[arg(long, short, value_enum, default_value_t = ProblemFormat::Text)]
    pub format: ProblemFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for a terminal
    Table,
    /// JSON, every value unrounded (the web module gives the same bytes)
    Json,
    /// CSV, one row per indicator or account line
    Csv,
    /// Markdown
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProblemFormat {
    /// Text for people
    Text,
    /// JSON for programs
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
