//! `circ scenario`, `circ batch` and `circ sensitivity`: scenario files, parameter files and
//! model specs in, core's scenario evaluation, text out. `circ batch` streams: scenarios are
//! evaluated in parallel chunks (rayon) and written in index order, so the rows do not depend on
//! the number of threads and memory stays flat.

use std::fs;
use std::io::{IsTerminal as _, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use circ_core::indicator::IDS;
use circ_core::scenario::format::{parameter_schema, parse_parameters, scenario_schema};
use circ_core::scenario::sensitivity::sensitivity;
use circ_core::scenario::space::{RowFormat, Space};
use circ_core::scenario::{At, Baseline, Scenario, compare, load_scenarios};
use circ_core::sha256::sha256_hex;
use circ_core::{Format as DocFormat, Loaded, SourceText};
use rayon::prelude::*;

use crate::args::{BatchArgs, CompareFormat, RowFormat as RowArg, ScenarioArgs, SensitivityArgs};
use crate::commands::{
    BadInput, WithInputs, load_model_with_inputs, print_warnings, problems_error,
};
use crate::io::{emit, read_text, write_atomic};

/// Loads `dataset:NAME` or a model file.
pub fn load_spec(spec: &str) -> Result<WithInputs> {
    load_model_with_inputs(&crate::args::ModelArgs {
        model: Some(spec.into()),
        dataset: None,
    })
}

fn doc_format(path: &Path) -> Result<DocFormat> {
    DocFormat::from_name(&path.display().to_string()).ok_or_else(|| {
        BadInput(format!(
            "cannot tell the format of {}\n  hint: name it .toml or .json",
            path.display()
        ))
        .into()
    })
}

/// Reads and resolves a scenario file against a model.
pub fn read_scenarios(path: &Path, loaded: &Loaded) -> Result<(Vec<Scenario>, String)> {
    let text = read_text(path)?;
    let name = path.display().to_string();
    let scenarios = load_scenarios(
        SourceText {
            name: &name,
            text: &text,
        },
        doc_format(path)?,
        &loaded.model,
    )
    .map_err(|d| problems_error(&d))?;
    Ok((scenarios, text))
}

/// The re-balanced model of scenario `name` in the scenario file at `path` (every intervention
/// at its target), with the file's text: what `circ report` and `circ check` take a scenario as.
pub fn scenario_model(
    loaded: &Loaded,
    path: &Path,
    name: &str,
) -> Result<(circ_core::Model, String)> {
    let (scenarios, text) = read_scenarios(path, loaded)?;
    let s = scenarios.iter().find(|s| s.name == name).ok_or_else(|| {
        let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
        BadInput(format!(
            "{} has no scenario \"{name}\"\n  hint: its scenarios are {}",
            path.display(),
            names.join(", ")
        ))
    })?;
    let model = Baseline::new(loaded)
        .model(s, At::Target)
        .map_err(|e| BadInput(format!("error: {e}")))?;
    Ok((model, text))
}

fn read_space(path: &Path, loaded: &Loaded) -> Result<(Space, String)> {
    let text = read_text(path)?;
    let name = path.display().to_string();
    let src = SourceText {
        name: &name,
        text: &text,
    };
    let format = doc_format(path)?;
    let raw = parse_parameters(src, format).map_err(|d| problems_error(&d))?;
    let space = Space::resolve(&raw, &loaded.model, src, format).map_err(|d| problems_error(&d))?;
    Ok((space, text))
}

fn indicator_index(id: &str) -> Result<usize> {
    IDS.iter().position(|i| *i == id).ok_or_else(|| {
        let hint = circ_core::diagnostic::suggest(id, IDS, "`circ run --format json` lists them");
        BadInput(format!("unknown indicator \"{id}\"\n  hint: {hint}")).into()
    })
}

fn at(year: Option<i32>) -> At {
    year.map_or(At::Target, At::Year)
}

pub fn scenario_cmd(args: &ScenarioArgs) -> Result<()> {
    if args.schema {
        return emit(args.output.as_deref(), &(scenario_schema() + "\n"));
    }
    let (Some(spec), Some(path)) = (&args.model, &args.scenarios) else {
        return Err(BadInput("give a model and a scenario file".into()).into());
    };
    indicator_index(&args.rank_by)?;
    let (loaded, _) = load_spec(spec)?;
    print_warnings(&loaded.warnings);
    let (scenarios, _) = read_scenarios(path, &loaded)?;
    let baseline = Baseline::new(&loaded);
    let comparison = compare(&baseline, &scenarios, at(args.year), &args.rank_by).map_err(|errors| {
        let text: Vec<String> = errors.iter().map(|e| format!("error: {e}")).collect();
        BadInput(format!(
            "{}\n  hint: docs/scenarios.md says how circ re-balances a model; change or drop the intervention named",
            text.join("\n")
        ))
    })?;
    let text = match args.format {
        CompareFormat::Table => comparison.to_text(),
        CompareFormat::Csv => comparison.to_csv(),
        CompareFormat::Json => comparison.to_json(),
    };
    emit(args.output.as_deref(), &text)
}

pub fn sensitivity_cmd(args: &SensitivityArgs) -> Result<()> {
    if !(args.delta.is_finite() && args.delta > 0.0 && args.delta < 100.0) {
        return Err(BadInput(format!(
            "--delta {} must be a percentage between 0 and 100",
            args.delta
        ))
        .into());
    }
    indicator_index(&args.indicator)?;
    let (loaded, _) = load_spec(&args.model)?;
    print_warnings(&loaded.warnings);
    let delta = args.delta / 100.0;
    let space = match &args.params {
        Some(p) => read_space(p, &loaded)?.0,
        None => Space::model_parameters(&loaded.model, delta),
    };
    if space.parameters.is_empty() {
        return Err(BadInput(
            "the model has no parameter to vary\n  hint: name some in a parameter file (--params)"
                .into(),
        )
        .into());
    }
    let baseline = Baseline::new(&loaded);
    let s = sensitivity(&baseline, &space, delta, &args.indicator, at(args.year));
    let table = match args.format {
        CompareFormat::Table => s.to_text(),
        CompareFormat::Csv => s.to_csv(),
        CompareFormat::Json => s.to_json(),
    };
    let svg = args
        .output
        .as_deref()
        .filter(|o| o.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")));
    match svg {
        Some(out) => {
            write_atomic(out, &s.to_svg())?;
            emit(None, &table)
        }
        None => emit(args.output.as_deref(), &table),
    }
}

/// Scenarios evaluated per chunk; a window of chunks is evaluated in parallel, then written in
/// order.
const CHUNK: u64 = 2048;

/// `K/N` as `(K, N)` with `1 ≤ K ≤ N`.
fn parse_shard(s: &str) -> Result<(u64, u64)> {
    let bad = || -> anyhow::Error {
        BadInput(format!(
            "--shard {s} is not K/N with 1 ≤ K ≤ N\n  hint: --shard 3/10 is the third of ten blocks"
        ))
        .into()
    };
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// Block `k` of `n` of `0..total`: `[total·(k−1)/n, total·k/n)`.
fn shard_range(total: u64, k: u64, n: u64) -> (u64, u64) {
    let at = |i: u64| (u128::from(total) * u128::from(i) / u128::from(n)) as u64;
    (at(k - 1), at(k))
}

enum Design {
    Grid,
    Sample { n: u64, seed: u64 },
}

pub fn batch_cmd(args: &BatchArgs) -> Result<()> {
    if args.schema {
        return emit(args.output.as_deref(), &(parameter_schema() + "\n"));
    }
    let Some(spec) = &args.model else {
        return Err(BadInput("give a model".into()).into());
    };
    if !(args.range.is_finite() && args.range >= 0.0 && args.range < 100.0) {
        return Err(BadInput(format!(
            "--range {} must be a percentage from 0 to 100",
            args.range
        ))
        .into());
    }
    let (loaded, inputs) = load_spec(spec)?;
    print_warnings(&loaded.warnings);
    if args.default_params {
        let space = Space::model_parameters(&loaded.model, args.range / 100.0);
        return emit(args.output.as_deref(), &space.to_toml());
    }
    let (space, params_text, design) = match (&args.grid, args.samples) {
        (Some(path), None) => {
            let (s, t) = read_space(path, &loaded)?;
            (s, t, Design::Grid)
        }
        (None, Some(n)) => {
            let (s, t) = match &args.params {
                Some(p) => read_space(p, &loaded)?,
                None => (
                    Space::model_parameters(&loaded.model, args.range / 100.0),
                    String::new(),
                ),
            };
            (s, t, Design::Sample { n, seed: args.seed })
        }
        _ => {
            return Err(BadInput(
                "give --grid PARAMS.toml or --samples N\n  hint: `circ batch --help` shows examples".into(),
            )
            .into());
        }
    };
    if space.parameters.is_empty() {
        return Err(BadInput(
            "the batch has no parameter to vary\n  hint: name some in a parameter file (--params)"
                .into(),
        )
        .into());
    }
    let total = match design {
        Design::Grid => space
            .grid_len()
            .ok_or_else(|| BadInput("the grid has more than 2^64 points".into()))?,
        Design::Sample { n, .. } => n,
    };
    let baseline = Baseline::new(&loaded);
    let indicators: Vec<usize> = if args.indicators.is_empty() {
        (0..IDS.len())
            .filter(|&k| baseline.values()[k].is_some())
            .collect()
    } else {
        args.indicators
            .iter()
            .map(|id| indicator_index(id))
            .collect::<Result<_>>()?
    };
    if indicators.is_empty() {
        return Err(BadInput("no indicator is computable for the baseline\n  hint: name indicators with --indicators".into()).into());
    }
    let (start, end) = match &args.shard {
        Some(s) => {
            let (k, n) = parse_shard(s)?;
            shard_range(total, k, n)
        }
        None => (0, total),
    };
    let format = match args.format {
        RowArg::Csv => RowFormat::Csv,
        RowArg::Jsonl => RowFormat::JsonLines,
    };
    let header = if start == 0 {
        space.header(format)
    } else {
        String::new()
    };
    // What makes this batch this batch: a partial file of another is not resumed.
    let mut key = format!(
        "circ {}\nshard {}..{} of {total}\nformat {:?}\nindicators {:?}\nyear {:?}\n",
        circ_core::report::VERSION,
        start,
        end,
        args.format,
        indicators,
        args.year
    );
    match design {
        Design::Grid => key.push_str("grid\n"),
        Design::Sample { n, seed } => {
            key.push_str(&format!("samples {n} seed {seed} range {}\n", args.range))
        }
    }
    for (name, text) in &inputs {
        key.push_str(&format!("model {name} {}\n", sha256_hex(text.as_bytes())));
    }
    key.push_str(&format!(
        "parameters {}\n",
        sha256_hex(params_text.as_bytes())
    ));
    let key = sha256_hex(key.as_bytes());

    let pool = match args.threads {
        Some(t) => Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(t.max(1))
                .build()
                .context("starting the worker threads")?,
        ),
        None => None,
    };
    let run = || {
        let mut sink = Sink::open(
            args.output.as_deref(),
            &key,
            &header,
            &space,
            &indicators,
            args.resume,
        )?;
        let done = sink.done;
        let progress = progress_bar(end - start);
        progress.set_position(done);
        let at = at(args.year);
        let width = space.parameters.len();
        let evaluate_chunk =
            |(s, scratch, values): &mut (Scenario, circ_core::scenario::Scratch, Vec<f64>),
             (lo, hi): (u64, u64)|
             -> String {
                let mut out = String::with_capacity(
                    ((hi - lo) as usize) * indicators.len() * (24 + 20 * width),
                );
                for i in lo..hi {
                    match design {
                        Design::Grid => space.grid_point(i, values),
                        Design::Sample { n, seed } => space.sample_point(i, n, seed, values),
                    }
                    space.fill(s, values);
                    let result = baseline.evaluate(s, at, scratch);
                    space.write_rows(&mut out, i, values, &result, &indicators, format);
                }
                out
            };
        let window = (rayon::current_num_threads() as u64 * 4).max(4);
        let mut next = start + done;
        let mut written = done;
        while next < end {
            let chunks: Vec<(u64, u64)> = (0..window)
                .map(|c| (next + c * CHUNK, (next + (c + 1) * CHUNK).min(end)))
                .filter(|(lo, hi)| lo < hi)
                .collect();
            let texts: Vec<String> = chunks
                .par_iter()
                .map_init(
                    || {
                        (
                            space.scenario("batch"),
                            baseline.scratch(),
                            vec![0.0; width],
                        )
                    },
                    |state, &range| evaluate_chunk(state, range),
                )
                .collect();
            for ((lo, hi), text) in chunks.iter().zip(texts) {
                if let Some(stop) = args.stop_after
                    && written + (hi - lo) > stop
                {
                    // Test hook: write part of the chunk, cut mid-row, and stop as a kill would.
                    let keep = (stop - written) as usize * indicators.len();
                    let cut: usize = text.split_inclusive('\n').take(keep).map(str::len).sum();
                    let extra = text[cut..].len().min(7);
                    sink.write(&text[..cut + extra])?;
                    sink.flush()?;
                    std::process::exit(3);
                }
                sink.write(&text)?;
                written += hi - lo;
                progress.set_position(written);
            }
            next = chunks.last().map_or(end, |c| c.1);
        }
        progress.finish_and_clear();
        sink.finish()
    };
    match pool {
        Some(p) => p.install(run),
        None => run(),
    }
}

fn progress_bar(len: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} scenarios  {per_sec}  ETA {eta}",
        )
        .expect("a valid template"),
    );
    bar
}

/// Where the rows go: standard output, or a partial file beside the output, renamed over it at
/// the end.
struct Sink {
    out: Box<dyn std::io::Write>,
    target: Option<(PathBuf, PathBuf, PathBuf)>,
    done: u64,
}

fn partial_paths(target: &Path) -> Result<(PathBuf, PathBuf)> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .ok_or_else(|| BadInput(format!("{} is not a file path", target.display())))?
        .to_string_lossy()
        .into_owned();
    Ok((
        dir.join(format!(".{name}.partial")),
        dir.join(format!(".{name}.partial.key")),
    ))
}

impl Sink {
    fn open(
        target: Option<&Path>,
        key: &str,
        header: &str,
        _space: &Space,
        indicators: &[usize],
        resume: bool,
    ) -> Result<Sink> {
        let Some(target) = target else {
            let mut out: Box<dyn std::io::Write> = Box::new(std::io::BufWriter::with_capacity(
                1 << 20,
                std::io::stdout(),
            ));
            out.write_all(header.as_bytes())
                .context("writing to standard output")?;
            return Ok(Sink {
                out,
                target: None,
                done: 0,
            });
        };
        let (partial, key_path) = partial_paths(target)?;
        let cannot = |e: std::io::Error, p: &Path| -> anyhow::Error {
            BadInput(format!("cannot write {}: {e}", p.display())).into()
        };
        let mut done = 0;
        let file = if resume && partial.exists() {
            let stored = fs::read_to_string(&key_path).unwrap_or_default();
            if stored.trim() != key {
                return Err(BadInput(format!(
                    "{} is the partial file of another batch (other model, parameters, options or circ version)\n  hint: run without --resume to start again, or with the arguments it was started with",
                    partial.display()
                ))
                .into());
            }
            let mut f = fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&partial)
                .map_err(|e| cannot(e, &partial))?;
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).map_err(|e| cannot(e, &partial))?;
            // Keep whole scenarios: the header, then complete groups of rows.
            let header_lines = usize::from(!header.is_empty());
            let per = indicators.len();
            let mut ends: Vec<usize> = Vec::new();
            for (i, b) in bytes.iter().enumerate() {
                if *b == b'\n' {
                    ends.push(i + 1);
                }
            }
            let keep_header = if header_lines == 1
                && ends
                    .first()
                    .is_some_and(|&e| bytes[..e] == *header.as_bytes())
            {
                1
            } else {
                0
            };
            if header_lines == 1 && keep_header == 0 {
                ends.clear();
            }
            let rows = ends.len().saturating_sub(keep_header);
            done = (rows / per) as u64;
            let keep_lines = keep_header + done as usize * per;
            let cut = if keep_lines == 0 {
                0
            } else {
                ends[keep_lines - 1]
            };
            f.set_len(cut as u64).map_err(|e| cannot(e, &partial))?;
            f.seek(SeekFrom::End(0)).map_err(|e| cannot(e, &partial))?;
            if cut == 0 {
                f.write_all(header.as_bytes())
                    .map_err(|e| cannot(e, &partial))?;
            }
            f
        } else {
            let mut f = fs::File::create(&partial).map_err(|e| cannot(e, &partial))?;
            fs::write(&key_path, format!("{key}\n")).map_err(|e| cannot(e, &key_path))?;
            f.write_all(header.as_bytes())
                .map_err(|e| cannot(e, &partial))?;
            f
        };
        Ok(Sink {
            out: Box::new(std::io::BufWriter::with_capacity(1 << 20, file)),
            target: Some((target.to_path_buf(), partial, key_path)),
            done,
        })
    }

    fn write(&mut self, text: &str) -> Result<()> {
        match self.out.write_all(text.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe && self.target.is_none() => {
                // `circ batch | head`: the reader has all it wants.
                std::process::exit(0)
            }
            r => r.context("writing the batch"),
        }
    }

    fn flush(&mut self) -> Result<()> {
        self.out.flush().context("writing the batch")
    }

    fn finish(mut self) -> Result<()> {
        self.flush()?;
        if let Some((target, partial, key)) = self.target.take() {
            drop(self.out);
            let f = fs::File::open(&partial)
                .with_context(|| format!("reopening {}", partial.display()))?;
            f.sync_all()
                .with_context(|| format!("syncing {}", partial.display()))?;
            fs::rename(&partial, &target)
                .map_err(|e| BadInput(format!("cannot write {}: {e}", target.display())))?;
            let _ = fs::remove_file(key);
        }
        Ok(())
    }
}
