//! Parameter spaces for batches: the quantities varied, a full-factorial grid over their values,
//! and a seeded Latin-hypercube sample over their ranges, each point computed from its index
//! alone (no table of points is kept), so that a batch of any size streams with flat memory, on
//! any number of threads and machines, and gives the same rows.
//!
//! - **Grid**: point `i` is `i` written in mixed radix over the parameters' value counts, the
//!   last parameter varying fastest.
//! - **Latin hypercube** (McKay, Beckman and Conover 1979): each parameter's range is cut into
//!   `n` strata of equal width, and point `i` draws uniformly within stratum `π_j(i)` of
//!   parameter `j`, where `π_j` is a permutation of `0..n`: a four-round Feistel network over
//!   the next even power of two, keyed by `(seed, j)`, walked until it lands below `n` (cycle
//!   walking, as format-preserving encryption does). The draws come from
//!   [`SplitMix64`] streams keyed by `(seed, j)` and `i`: integer arithmetic, the same bits on
//!   every platform.
//!
//! [`Space::model_parameters`] gives every parameter of a model that can be varied
//! independently under the re-balancing rules: the shares of each stream's destinations, the
//! flows that nothing re-balances (final demand, exports, imported waste, flows of unbalanced
//! processes), the stock changes that nothing absorbs, and each dynamic stock's lifetime and
//! demand.

use std::fmt::Write as _;

use super::balance::{Frame, Rule};
use super::format::{RawParameter, RawParameterFile};
use super::{Change, Intervention, Scenario, ScenarioError, intervention};
use crate::diagnostic::{Diagnostic, Location, PathSegment};
use crate::format::{Format, SourceText, locate};
use crate::indicator::{IDS, Values};
use crate::model::{MaterialGroup, Model};
use crate::uncertainty::SplitMix64;
use crate::unit::Unit;

/// One varied quantity.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Column name.
    pub name: String,
    template: Intervention,
    set: bool,
    /// Grid values, in order.
    pub values: Vec<f64>,
    /// Range of a Latin-hypercube sample.
    pub range: (f64, f64),
    /// The file form of the parameter (to write the default space as a file).
    pub raw: RawParameter,
    /// The unit of `set` values of masses.
    unit: Option<Unit>,
}

/// The parameters of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Space {
    /// The parameters, in column order.
    pub parameters: Vec<Parameter>,
}

/// How batch rows are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFormat {
    /// CSV with a header row: `scenario,<parameters…>,indicator,value,error`.
    Csv,
    /// JSON lines: one object per row, no header.
    JsonLines,
}

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

impl Space {
    /// Binds a parameter file to a model, reporting every problem with its line.
    ///
    /// # Errors
    /// Every problem of the file.
    pub fn resolve(
        raw: &RawParameterFile,
        model: &Model,
        src: SourceText<'_>,
        format: Format,
    ) -> Result<Space, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        if raw.parameters.is_empty() {
            diags.push(
                Diagnostic::error(
                    Location::at(src.name, Vec::new()),
                    "the file has no parameter",
                )
                .with_hint("add a [[parameters]] table for each quantity to vary"),
            );
        }
        let space = Self::build(&raw.parameters, model, src.name, &mut diags);
        if diags.is_empty() {
            Ok(space)
        } else {
            locate(&mut diags, src.name, src.text, format);
            Err(diags)
        }
    }

    fn build(
        raw: &[RawParameter],
        model: &Model,
        origin: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Space {
        let frame = Frame::new(model);
        let mut parameters: Vec<Parameter> = Vec::new();
        for (j, p) in raw.iter().enumerate() {
            let path = vec![key("parameters"), PathSegment::Index(j)];
            let at = |field: &str| {
                let mut q = path.clone();
                q.push(key(field));
                Location::at(origin, q)
            };
            let set = match p.op.as_deref() {
                None | Some("scale") => false,
                Some("set") => true,
                Some(other) => {
                    diags.push(
                        Diagnostic::error(
                            at("op"),
                            format!("parameter {}: unknown op \"{other}\"", j + 1),
                        )
                        .with_hint(
                            "op is scale (values are factors) or set (values are the values)",
                        ),
                    );
                    continue;
                }
            };
            let values: Vec<f64> = match (&p.values, p.min, p.max) {
                (Some(v), None, None) if !v.is_empty() => v.clone(),
                (None, Some(lo), Some(hi)) if lo <= hi => {
                    let steps = p.steps.unwrap_or(3).max(1);
                    if steps == 1 {
                        vec![lo]
                    } else {
                        (0..steps)
                            .map(|k| lo + (hi - lo) * f64::from(k) / f64::from(steps - 1))
                            .collect()
                    }
                }
                _ => {
                    diags.push(
                        Diagnostic::error(
                            at(""),
                            format!("parameter {}: give `values = [...]`, or `min` ≤ `max` (and `steps` for a grid)", j + 1),
                        )
                        .with_hint("values = [0.3, 0.5, 0.7], or min = 0.9, max = 1.1, steps = 5"),
                    );
                    continue;
                }
            };
            if values.iter().any(|v| !v.is_finite()) {
                diags.push(Diagnostic::error(
                    at("values"),
                    format!("parameter {}: a value is not a finite number", j + 1),
                ));
                continue;
            }
            let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let range = (p.min.unwrap_or(lo), p.max.unwrap_or(hi));
            let name = p.name.clone().unwrap_or_default();
            let who = if name.is_empty() {
                format!("parameter {}", j + 1)
            } else {
                format!("parameter \"{name}\"")
            };
            // Both ends of the range must make sense for the intervention.
            let mut template = None;
            for v in [range.0, range.1] {
                match intervention(&p.intervention(v), model, &frame, origin, &path, &who) {
                    Ok(iv) => template = Some(iv),
                    Err(mut d) => {
                        diags.append(&mut d);
                        template = None;
                        break;
                    }
                }
            }
            let Some(template) = template else { continue };
            let name = if name.is_empty() {
                template.label.clone()
            } else {
                name
            };
            if parameters.iter().any(|q| q.name == name) {
                diags.push(
                    Diagnostic::error(
                        at("name"),
                        format!("{who}: the name \"{name}\" is taken by another parameter"),
                    )
                    .with_hint("give each parameter its own name"),
                );
                continue;
            }
            let unit = (set && matches!(template.target, super::Target::Items(_))).then(|| {
                p.unit
                    .as_deref()
                    .and_then(|u| u.parse::<Unit>().ok())
                    .unwrap_or(model.meta().unit)
            });
            parameters.push(Parameter {
                name,
                template,
                set,
                values,
                range,
                raw: p.clone(),
                unit,
            });
        }
        Space { parameters }
    }

    /// Every parameter of a model that can be varied on its own, each scaled within
    /// `1 ± delta` (three grid points: low, base, high).
    #[must_use]
    pub fn model_parameters(model: &Model, delta: f64) -> Space {
        let frame = Frame::new(model);
        let mut raw: Vec<RawParameter> = Vec::new();
        let scaled = |kind: &str| RawParameter {
            kind: kind.to_owned(),
            min: Some(1.0 - delta),
            max: Some(1.0 + delta),
            steps: Some(3),
            ..RawParameter::default()
        };
        let pid = |p: u32| model.processes()[p as usize].id.clone();
        for s in &frame.streams {
            let mut dests: Vec<u32> = Vec::new();
            for &f in &s.flows {
                let to = model.flows()[f as usize].to.0;
                if !dests.contains(&to) {
                    dests.push(to);
                }
            }
            if dests.len() < 2 || s.total0 <= 0.0 {
                continue;
            }
            for to in dests {
                raw.push(RawParameter {
                    from: Some(pid(s.process)),
                    to: Some(pid(to)),
                    material: Some(MaterialGroup::ALL[s.group as usize].code().to_owned()),
                    ..scaled("share")
                });
            }
        }
        // Items nothing re-balances: those an economy process's balance does not absorb.
        let n_f = frame.n_flows;
        let absorbs = |p: usize, g: u8, rule: Rule| -> bool {
            let proc = &frame.procs[p];
            let has = |r: Rule, list: &[u32]| {
                list.iter()
                    .any(|&i| frame.rule[i as usize] == r && frame.group[i as usize] == g)
            };
            match rule {
                Rule::Supply => true,
                Rule::EconStock => !has(Rule::Supply, &proc.inflows),
                Rule::Inner => {
                    !has(Rule::Supply, &proc.inflows) && !has(Rule::EconStock, &proc.stocks)
                }
                _ => false,
            }
        };
        for (i, f) in model.flows().iter().enumerate() {
            let free = match frame.rule[i] {
                Rule::Fixed => true,
                Rule::Inner => !absorbs(f.to.0 as usize, frame.group[i], Rule::Inner),
                _ => false,
            };
            if free && f.value > 0.0 {
                let id = model.flow_id(f).map(str::to_owned);
                let unique = id.is_some()
                    || model
                        .flows()
                        .iter()
                        .filter(|g| g.from == f.from && g.to == f.to && g.material == f.material)
                        .count()
                        == 1;
                if !unique {
                    continue;
                }
                raw.push(RawParameter {
                    flow: id.clone(),
                    from: id.is_none().then(|| pid(f.from.0)),
                    to: id.is_none().then(|| pid(f.to.0)),
                    material: id.is_none().then(|| model.material(f.material).id.clone()),
                    ..scaled("flow")
                });
            }
        }
        for (j, s) in model.stock_changes().iter().enumerate() {
            let i = n_f + j;
            let free = match frame.rule[i] {
                Rule::Fixed => true,
                Rule::EconStock => !absorbs(s.process.0 as usize, frame.group[i], Rule::EconStock),
                _ => false,
            };
            if free && s.value != 0.0 {
                raw.push(RawParameter {
                    process: Some(pid(s.process.0)),
                    material: Some(model.material(s.material).id.clone()),
                    ..scaled("stock_change")
                });
            }
        }
        if let Some(d) = model.dynamics() {
            for s in d.stocks() {
                for kind in ["lifetime", "demand"] {
                    raw.push(RawParameter {
                        stock: Some(s.id().to_owned()),
                        ..scaled(kind)
                    });
                }
            }
        }
        let mut diags = Vec::new();
        let space = Self::build(&raw, model, "model parameters", &mut diags);
        debug_assert!(diags.is_empty(), "{diags:?}");
        space
    }

    /// The space as a parameter file (TOML), to edit and pass back with `--params`.
    #[cfg(feature = "toml")]
    #[must_use]
    pub fn to_toml(&self) -> String {
        let file = RawParameterFile {
            parameters: self
                .parameters
                .iter()
                .map(|p| RawParameter {
                    name: Some(p.name.clone()),
                    ..p.raw.clone()
                })
                .collect(),
        };
        toml::to_string(&file).expect("a parameter file always serialises")
    }

    /// Number of points of the full-factorial grid; `None` beyond `u64`.
    #[must_use]
    pub fn grid_len(&self) -> Option<u64> {
        self.parameters
            .iter()
            .try_fold(1u64, |n, p| n.checked_mul(p.values.len() as u64))
    }

    /// The values of grid point `index`: mixed radix, the last parameter fastest.
    pub fn grid_point(&self, mut index: u64, out: &mut [f64]) {
        for (p, o) in self.parameters.iter().zip(out.iter_mut()).rev() {
            let m = p.values.len() as u64;
            *o = p.values[(index % m) as usize];
            index /= m;
        }
    }

    /// The values of point `index` of a Latin-hypercube sample of `n` points.
    pub fn sample_point(&self, index: u64, n: u64, seed: u64, out: &mut [f64]) {
        for (j, (p, o)) in self.parameters.iter().zip(out.iter_mut()).enumerate() {
            let key = SplitMix64::stream(seed, j as u64).next_u64();
            let stratum = permute(index, n, key);
            let u = SplitMix64::stream(key, index).uniform();
            #[allow(clippy::cast_precision_loss)]
            let x = (stratum as f64 + u) / n as f64;
            let (lo, hi) = p.range;
            *o = lo + (hi - lo) * x;
        }
    }

    /// A scenario with one intervention per parameter; [`Space::fill`] sets their values.
    #[must_use]
    pub fn scenario(&self, name: &str) -> Scenario {
        Scenario {
            name: name.to_owned(),
            description: None,
            interventions: self.parameters.iter().map(|p| p.template.clone()).collect(),
        }
    }

    /// Sets the scenario's interventions (made by [`Space::scenario`]) to `values`.
    pub fn fill(&self, s: &mut Scenario, values: &[f64]) {
        for ((iv, p), v) in s.interventions.iter_mut().zip(&self.parameters).zip(values) {
            iv.change = if p.set {
                // Masses are set in the parameter's unit; the model is in tonnes.
                Change::Set(p.unit.map_or(*v, |u| u.to_tonnes(*v)))
            } else {
                Change::Scale(*v)
            };
        }
    }

    /// The CSV header of batch rows (empty for JSON lines).
    #[must_use]
    pub fn header(&self, format: RowFormat) -> String {
        match format {
            RowFormat::JsonLines => String::new(),
            RowFormat::Csv => {
                let mut h = String::from("scenario");
                for p in &self.parameters {
                    h.push(',');
                    h.push_str(&csv_field(&p.name));
                }
                h.push_str(",indicator,value,error\n");
                h
            }
        }
    }

    /// Appends the rows of scenario `index` (one per indicator of `indicators`, positions in
    /// [`IDS`]) to `out`.
    pub fn write_rows(
        &self,
        out: &mut String,
        index: u64,
        values: &[f64],
        result: &Result<Values, ScenarioError>,
        indicators: &[usize],
        format: RowFormat,
    ) {
        let error = result.as_ref().err().map(|e| e.message.as_str());
        for &k in indicators {
            let v = result
                .as_ref()
                .ok()
                .and_then(|r| r[k])
                .filter(|v| v.is_finite());
            match format {
                RowFormat::Csv => {
                    let _ = write!(out, "{index}");
                    for x in values {
                        let _ = write!(out, ",{x:?}");
                    }
                    let _ = write!(out, ",{},", IDS[k]);
                    if let Some(v) = v {
                        let _ = write!(out, "{v:?}");
                    }
                    out.push(',');
                    if let Some(e) = error {
                        out.push_str(&csv_field(e));
                    }
                    out.push('\n');
                }
                RowFormat::JsonLines => {
                    let _ = write!(out, "{{\"scenario\":{index},\"parameters\":{{");
                    for (j, (p, x)) in self.parameters.iter().zip(values).enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        let _ = write!(out, "{}:{x:?}", json_string(&p.name));
                    }
                    let _ = write!(out, "}},\"indicator\":\"{}\",\"value\":", IDS[k]);
                    match v {
                        Some(v) => {
                            let _ = write!(out, "{v:?}");
                        }
                        None => out.push_str("null"),
                    }
                    if let Some(e) = error {
                        let _ = write!(out, ",\"error\":{}", json_string(e));
                    }
                    out.push_str("}\n");
                }
            }
        }
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serialises")
}

/// A permutation of `0..n`, keyed: a four-round Feistel network over `2^(2h) ≥ n`, walked
/// until it lands below `n`.
#[must_use]
pub fn permute(index: u64, n: u64, key: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let bits = 64 - (n - 1).leading_zeros();
    let half = bits.div_ceil(2);
    let mask = if half >= 64 {
        u64::MAX
    } else {
        (1u64 << half) - 1
    };
    let mut x = index;
    loop {
        let (mut l, mut r) = (x >> half, x & mask);
        for round in 0..4u64 {
            let f = SplitMix64::stream(key, (r << 2) | round).next_u64() & mask;
            (l, r) = (r, l ^ f);
        }
        x = (l << half) | r;
        if x < n {
            return x;
        }
    }
}
