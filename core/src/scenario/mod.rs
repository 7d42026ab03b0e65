//! Scenarios: named sets of interventions on a base model, applied and re-balanced, and their
//! indicators beside the baseline's.
//!
//! Where this sits: after [`load`](crate::load()) has given a valid [`Model`], [`resolve`] binds a
//! scenario file ([`format::parse_scenarios`]) to it, reporting every intervention that points at
//! nothing as a [`Diagnostic`]; a [`Baseline`] prepares the model once (which flows follow from
//! which: `balance`) and evaluates each [`Scenario`] by re-balancing the model's flows and
//! running the numeric fast path of [`crate::indicator`] ([`Baseline::evaluate`]), or builds the
//! scenario's whole [`Model`] ([`Baseline::model`]) for reports. [`compare`] ranks scenarios
//! against the baseline; [`space`] spans parameter grids and Latin-hypercube samples for batches;
//! [`sensitivity`] varies one parameter at a time. Models with dynamic stocks are projected per
//! year ([`mod@crate::project`]) with their lifetimes and demand changed.
//!
//! The re-balancing rules are in `balance.rs` and docs/scenarios.md.

mod balance;
mod dynamic;
pub mod format;
mod render;
pub mod sensitivity;
pub mod space;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Location, PathSegment, suggest};
use crate::format::{Format, SourceText, locate};
use crate::indicator::{COUNT, Evaluator, IDS, Values};
use crate::model::{MaterialGroup, MaterialId, Model, ProcessId, Role};
use crate::report::{Report, run};
use crate::unit::Unit;
use crate::validate::Loaded;
use balance::{Effects, Fail, Frame, ShareOp};
pub use format::{RawIntervention, RawScenario, RawScenarioFile};
pub use render::{Compared, Comparison, IndicatorInfo};

/// A named scenario: interventions on the base model, applied together.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name, as in the file.
    pub name: String,
    /// What it stands for.
    pub description: Option<String>,
    /// The interventions, in file order.
    pub interventions: Vec<Intervention>,
}

/// One resolved intervention.
#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    /// What it changes, as people read it: `share use → recycling (MIXED)`.
    pub label: String,
    target: Target,
    /// The change.
    pub change: Change,
    /// `(start, end)`: a linear ramp from the base value in `start` to the target in `end`.
    pub ramp: Option<(i32, i32)>,
    /// Processes whose balance the intervention touches (for messages).
    touches: Vec<u32>,
}

/// A change to a value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// A new value: tonnes per year for masses, a fraction for shares.
    Set(f64),
    /// A factor on the base value.
    Scale(f64),
}

#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// Flows or stock changes (items), fixed at the changed value.
    Items(Vec<u32>),
    /// A destination's share in streams: `(stream, its flows to the destination)`.
    Share {
        streams: Vec<(u32, Vec<u32>)>,
        rest: Option<Vec<u32>>,
    },
    /// A dynamic stock's lifetime.
    Lifetime { stock: usize, new_cohorts: bool },
    /// A dynamic stock's driving series (inflow or stock).
    Demand { stock: usize },
}

/// When a scenario is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Every intervention at its target (the end of its ramp). On a model with dynamic stocks:
    /// the last year of its time axis.
    Target,
    /// A year: ramps part of the way.
    Year(i32),
}

/// Why a scenario cannot be evaluated: it names the scenario and, where one is to blame, the
/// intervention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioError {
    /// The scenario.
    pub scenario: String,
    /// Position (from 1) and label of the intervention to blame, if one is.
    pub intervention: Option<(usize, String)>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "scenario \"{}\"", self.scenario)?;
        if let Some((i, label)) = &self.intervention {
            write!(f, ", intervention {i} ({label})")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

const KINDS: [&str; 6] = [
    "flow",
    "share",
    "source",
    "stock_change",
    "lifetime",
    "demand",
];

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

/// Binds the scenarios of a file to a model: every intervention must point at something, and
/// every value must make sense. Every problem is reported, each naming the scenario and the
/// intervention, with its line in `src`.
///
/// # Errors
/// Every problem of the file.
pub fn resolve(
    raw: &RawScenarioFile,
    model: &Model,
    src: SourceText<'_>,
    format: Format,
) -> Result<Vec<Scenario>, Vec<Diagnostic>> {
    let frame = Frame::new(model);
    let mut diags = Vec::new();
    let mut out = Vec::new();
    if raw.scenarios.is_empty() {
        diags.push(
            Diagnostic::error(
                Location::at(src.name, Vec::new()),
                "the file has no scenario",
            )
            .with_hint("add a [[scenarios]] table with a name and its [[scenarios.interventions]]"),
        );
    }
    for (i, s) in raw.scenarios.iter().enumerate() {
        let at = vec![key("scenarios"), PathSegment::Index(i)];
        if raw.scenarios[..i].iter().any(|o| o.name == s.name) {
            let mut p = at.clone();
            p.push(key("name"));
            diags.push(
                Diagnostic::error(
                    Location::at(src.name, p),
                    format!("scenario \"{}\" is named twice", s.name),
                )
                .with_hint("give each scenario its own name"),
            );
        }
        let mut interventions = Vec::new();
        for (j, iv) in s.interventions.iter().enumerate() {
            let mut path = at.clone();
            path.extend([key("interventions"), PathSegment::Index(j)]);
            let who = format!("scenario \"{}\", intervention {}", s.name, j + 1);
            match intervention(iv, model, &frame, src.name, &path, &who) {
                Ok(x) => interventions.push(x),
                Err(mut d) => diags.append(&mut d),
            }
        }
        out.push(Scenario {
            name: s.name.clone(),
            description: s.description.clone(),
            interventions,
        });
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        locate(&mut diags, src.name, src.text, format);
        Err(diags)
    }
}

/// Parses and resolves a scenario file in one step.
///
/// # Errors
/// Every problem of the file, with its line.
pub fn load_scenarios(
    src: SourceText<'_>,
    format: Format,
    model: &Model,
) -> Result<Vec<Scenario>, Vec<Diagnostic>> {
    let raw = format::parse_scenarios(src, format)?;
    resolve(&raw, model, src, format)
}

struct Ctx<'a> {
    model: &'a Model,
    origin: &'a str,
    path: &'a [PathSegment],
    who: &'a str,
    diags: Vec<Diagnostic>,
}

impl Ctx<'_> {
    fn error(&mut self, field: &str, message: String, hint: impl Into<String>) {
        let mut p = self.path.to_vec();
        if !field.is_empty() {
            p.push(key(field));
        }
        let hint: String = hint.into();
        let mut d = Diagnostic::error(
            Location::at(self.origin, p),
            format!("{}: {message}", self.who),
        );
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }

    fn process(&mut self, field: &str, id: &str) -> Option<ProcessId> {
        let found = self.model.processes().iter().position(|p| p.id == id);
        if found.is_none() {
            let hint = suggest(
                id,
                self.model.processes().iter().map(|p| p.id.as_str()),
                "name a process of the model by its id",
            );
            self.error(field, format!("the model has no process \"{id}\""), hint);
        }
        found.map(|i| ProcessId(i as u32))
    }

    fn material(&mut self, id: &str) -> Option<MaterialId> {
        let found = self.model.materials().iter().position(|m| m.id == id);
        if found.is_none() {
            let hint = suggest(
                id,
                self.model.materials().iter().map(|m| m.id.as_str()),
                "name a material of the model, or a group MF1…MF4, MIXED",
            );
            self.error(
                "material",
                format!("the model has no material \"{id}\""),
                hint,
            );
        }
        found.map(|i| MaterialId(i as u32))
    }

    fn required<'v>(&mut self, field: &str, v: Option<&'v String>, kind: &str) -> Option<&'v str> {
        if v.is_none() {
            self.error(
                field,
                format!("a `{kind}` intervention needs `{field}`"),
                "docs/scenarios.md lists the keys of each kind",
            );
        }
        v.map(String::as_str)
    }

    fn unused(&mut self, raw: &RawIntervention, allowed: &[&str]) {
        let present = [
            ("flow", raw.flow.is_some()),
            ("from", raw.from.is_some()),
            ("to", raw.to.is_some()),
            ("material", raw.material.is_some()),
            ("process", raw.process.is_some()),
            ("stock", raw.stock.is_some()),
            ("rest", raw.rest.is_some()),
            ("cohorts", raw.cohorts.is_some()),
            ("unit", raw.unit.is_some()),
        ];
        for (k, here) in present {
            if here && !allowed.contains(&k) {
                self.error(
                    k,
                    format!("`{k}` means nothing to a `{}` intervention", raw.kind),
                    format!("a `{}` intervention takes {}", raw.kind, allowed.join(", ")),
                );
            }
        }
    }
}

fn label_of(
    model: &Model,
    from: ProcessId,
    to: Option<ProcessId>,
    m: Option<MaterialId>,
) -> String {
    let mut s = model.process(from).id.clone();
    if let Some(to) = to {
        s.push_str(" → ");
        s.push_str(&model.process(to).id);
    }
    if let Some(m) = m {
        s.push_str(&format!(" ({})", model.material(m).id));
    }
    s
}

/// Resolves one intervention; `who` names it in messages.
fn intervention(
    raw: &RawIntervention,
    model: &Model,
    frame: &Frame,
    origin: &str,
    path: &[PathSegment],
    who: &str,
) -> Result<Intervention, Vec<Diagnostic>> {
    let mut c = Ctx {
        model,
        origin,
        path,
        who,
        diags: Vec::new(),
    };
    let change = match (raw.set, raw.scale) {
        (Some(v), None) => Some(Change::Set(v)),
        (None, Some(f)) => Some(Change::Scale(f)),
        (Some(_), Some(_)) => {
            c.error(
                "scale",
                "both `set` and `scale` are given".into(),
                "keep one",
            );
            None
        }
        (None, None) => {
            c.error(
                "",
                "neither `set` nor `scale` is given".into(),
                "add set = VALUE (the new value) or scale = FACTOR (1.2 is 20 % more)",
            );
            None
        }
    };
    match change {
        Some(Change::Set(v)) if !v.is_finite() => {
            c.error("set", format!("{v} is not a finite number"), "");
        }
        Some(Change::Scale(f)) if !(f.is_finite() && f >= 0.0) => {
            c.error(
                "scale",
                format!("the factor {f} must be a number ≥ 0"),
                "1.2 is 20 % more, 0.5 half",
            );
        }
        _ => {}
    }
    let ramp = match raw.years.as_deref() {
        None => None,
        Some([a, b]) if a < b => Some((*a, *b)),
        Some(other) => {
            c.error(
                "years",
                format!("years = {other:?} is not a ramp [start, end] with start before end"),
                "write years = [2024, 2033]: from the base value in 2024 to the target in 2033",
            );
            None
        }
    };
    let unit = match raw.unit.as_deref() {
        None => model.meta().unit,
        Some(u) => match u.parse::<Unit>().ok() {
            Some(u) => u,
            None => {
                c.error(
                    "unit",
                    format!("unknown unit \"{u}\""),
                    "units are t, kt, Mt and Gt",
                );
                model.meta().unit
            }
        },
    };
    let target = match raw.kind.as_str() {
        "flow" => {
            c.unused(raw, &["flow", "from", "to", "material", "unit"]);
            flow_target(&mut c, raw)
        }
        "source" => {
            c.unused(raw, &["process", "to", "material", "unit"]);
            source_target(&mut c, raw)
        }
        "stock_change" => {
            c.unused(raw, &["process", "material", "unit"]);
            stock_target(&mut c, raw)
        }
        "share" => {
            c.unused(raw, &["from", "to", "material", "rest"]);
            share_target(&mut c, raw, frame)
        }
        "lifetime" | "demand" => {
            c.unused(
                raw,
                if raw.kind == "lifetime" {
                    &["stock", "cohorts"]
                } else {
                    &["stock"]
                },
            );
            dynamic_target(&mut c, raw)
        }
        other => {
            let hint = suggest(other, KINDS, format!("kinds are {}", KINDS.join(", ")));
            c.error("kind", format!("unknown kind \"{other}\""), hint);
            None
        }
    };
    // Values that cannot make sense, whatever they point at.
    if let (Some((t, label, touches)), Some(change)) = (&target, change) {
        match (t, change) {
            (Target::Share { .. }, Change::Set(v)) if !(0.0..=1.0).contains(&v) => {
                c.error(
                    "set",
                    format!("a share of {v} is not a fraction in [0, 1]"),
                    "0.7 is 70 %",
                );
            }
            (Target::Items(items), Change::Set(_)) if items.len() > 1 => {
                c.error(
                    "set",
                    format!("`set` needs one flow, but {label} selects {}", items.len()),
                    "select one flow (by its id, or with material), or use scale",
                );
            }
            (Target::Items(items), Change::Set(v))
                if v < 0.0 && items.iter().all(|&i| (i as usize) < frame.n_flows) =>
            {
                c.error("set", format!("a flow of {v} is negative"), "flows are ≥ 0");
            }
            (Target::Lifetime { .. } | Target::Demand { .. }, Change::Set(_)) => {
                c.error(
                    "set",
                    format!("a `{}` intervention scales", raw.kind),
                    "use scale = 1.2 for 20 % more",
                );
            }
            (Target::Lifetime { .. }, Change::Scale(f)) if f <= 0.0 => {
                c.error("scale", "a lifetime factor must be positive".into(), "");
            }
            _ => {}
        }
        let _ = touches;
    }
    if !c.diags.is_empty() {
        return Err(c.diags);
    }
    let (target, label, touches) = target.expect("no error means a target");
    let change = match change.expect("no error means a change") {
        Change::Set(v) if matches!(target, Target::Items(_)) => Change::Set(unit.to_tonnes(v)),
        other => other,
    };
    Ok(Intervention {
        label: format!("{} {label}", raw.kind),
        target,
        change,
        ramp,
        touches,
    })
}

type Resolved = Option<(Target, String, Vec<u32>)>;

fn flows_touching(model: &Model, items: &[u32]) -> Vec<u32> {
    let mut t: Vec<u32> = items
        .iter()
        .flat_map(|&i| {
            let f = &model.flows()[i as usize];
            [f.from.0, f.to.0]
        })
        .collect();
    crate::sort::sort(&mut t);
    t.dedup();
    t
}

fn flow_target(c: &mut Ctx<'_>, raw: &RawIntervention) -> Resolved {
    let model = c.model;
    if let Some(id) = &raw.flow {
        let items: Vec<u32> = model
            .flows()
            .iter()
            .enumerate()
            .filter(|(_, f)| model.flow_id(f) == Some(id.as_str()))
            .map(|(i, _)| i as u32)
            .collect();
        if items.is_empty() {
            let hint = suggest(
                id,
                model.flows().iter().filter_map(|f| model.flow_id(f)),
                "name a flow by its id, or select it with from, to and material",
            );
            c.error("flow", format!("the model has no flow \"{id}\""), hint);
            return None;
        }
        let touches = flows_touching(model, &items);
        return Some((Target::Items(items), id.clone(), touches));
    }
    let from = c.required("from", raw.from.as_ref(), "flow");
    let to = c.required("to", raw.to.as_ref(), "flow");
    let (from, to) = (
        from.and_then(|f| c.process("from", f)),
        to.and_then(|t| c.process("to", t)),
    );
    let material = raw.material.as_deref().and_then(|m| c.material(m));
    let (from, to) = (from?, to?);
    if raw.material.is_some() && material.is_none() {
        return None;
    }
    let items: Vec<u32> = model
        .flows()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.from == from && f.to == to && material.is_none_or(|m| f.material == m))
        .map(|(i, _)| i as u32)
        .collect();
    let label = label_of(model, from, Some(to), material);
    if items.is_empty() {
        c.error(
            "",
            format!("the model has no flow {label}"),
            "select a flow of the model; `circ solve MODEL` lists them",
        );
        return None;
    }
    let touches = flows_touching(model, &items);
    Some((Target::Items(items), label, touches))
}

fn source_target(c: &mut Ctx<'_>, raw: &RawIntervention) -> Resolved {
    let model = c.model;
    let p = c.required("process", raw.process.as_ref(), "source")?;
    let p = c.process("process", p)?;
    if !model.process(p).role.is_source() {
        c.error(
            "process",
            format!(
                "\"{}\" is a {} process, not extraction or import",
                model.process(p).id,
                model.process(p).role
            ),
            "a `source` intervention changes what an extraction or import process supplies; use `flow` for other flows",
        );
        return None;
    }
    let to = raw.to.as_deref().and_then(|t| c.process("to", t));
    let material = raw.material.as_deref().and_then(|m| c.material(m));
    if (raw.to.is_some() && to.is_none()) || (raw.material.is_some() && material.is_none()) {
        return None;
    }
    let items: Vec<u32> = model
        .flows()
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.from == p && to.is_none_or(|t| f.to == t) && material.is_none_or(|m| f.material == m)
        })
        .map(|(i, _)| i as u32)
        .collect();
    let label = label_of(model, p, to, material);
    if items.is_empty() {
        c.error("", format!("the model has no flow out of {label}"), "");
        return None;
    }
    let touches = flows_touching(model, &items);
    Some((Target::Items(items), label, touches))
}

fn stock_target(c: &mut Ctx<'_>, raw: &RawIntervention) -> Resolved {
    let model = c.model;
    let p = c.required("process", raw.process.as_ref(), "stock_change")?;
    let p = c.process("process", p)?;
    let material = raw.material.as_deref().and_then(|m| c.material(m));
    if raw.material.is_some() && material.is_none() {
        return None;
    }
    let n_f = model.flows().len() as u32;
    let items: Vec<u32> = model
        .stock_changes()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.process == p && material.is_none_or(|m| s.material == m))
        .map(|(j, _)| n_f + j as u32)
        .collect();
    let label = label_of(model, p, None, material);
    if items.is_empty() {
        c.error(
            "",
            format!("the model has no stock change of {label}"),
            "add one to the model (value 0 is fine) to change it in scenarios",
        );
        return None;
    }
    Some((Target::Items(items), label, vec![p.0]))
}

fn share_target(c: &mut Ctx<'_>, raw: &RawIntervention, frame: &Frame) -> Resolved {
    let model = c.model;
    let from = c.required("from", raw.from.as_ref(), "share");
    let to = c.required("to", raw.to.as_ref(), "share");
    let (from, to) = (
        from.and_then(|f| c.process("from", f)),
        to.and_then(|t| c.process("to", t)),
    );
    let material = raw.material.as_deref().and_then(|m| c.material(m));
    let rest: Option<Vec<u32>> = raw.rest.as_ref().map(|list| {
        list.iter()
            .filter_map(|r| c.process("rest", r).map(|p| p.0))
            .collect()
    });
    let (from, to) = (from?, to?);
    if raw.material.is_some() && material.is_none() {
        return None;
    }
    let group: Option<MaterialGroup> = material.map(|m| model.material(m).group);
    let label = label_of(model, from, Some(to), material.filter(|_| true));
    let mut streams = Vec::new();
    let mut any_stream = false;
    for (s, stream) in frame.streams_of(from.0) {
        if group.is_some_and(|g| g.index() != stream.group as usize) {
            continue;
        }
        any_stream = true;
        let flows: Vec<u32> = stream
            .flows
            .iter()
            .copied()
            .filter(|&f| model.flows()[f as usize].to == to)
            .collect();
        if !flows.is_empty() {
            streams.push((s, flows));
        }
    }
    if !any_stream {
        let role = model.process(from).role;
        c.error(
            "from",
            format!(
                "\"{}\" ({role}) has no outputs that split by shares{}",
                model.process(from).id,
                group.map_or(String::new(), |g| format!(" in group {}", g.code()))
            ),
            "shares split the outputs of waste-management processes (collection, sorting, treatments) and the waste of production, use and reuse to waste management and disposal; the process must be balanced and receive something",
        );
        return None;
    }
    if streams.is_empty() {
        c.error(
            "to",
            format!("the model has no flow {label} among the outputs that split by shares"),
            "add that flow to the model (value 0 is fine), or name another destination",
        );
        return None;
    }
    let touches = vec![from.0];
    let _ = Role::Export;
    Some((Target::Share { streams, rest }, label, touches))
}

fn dynamic_target(c: &mut Ctx<'_>, raw: &RawIntervention) -> Resolved {
    let model = c.model;
    let id = c.required("stock", raw.stock.as_ref(), &raw.kind)?;
    let Some(d) = model.dynamics() else {
        c.error(
            "stock",
            format!("the model has no dynamic stocks, so no stock \"{id}\""),
            "lifetime and demand interventions change the [dynamics] stocks of a model (docs/stocks.md)",
        );
        return None;
    };
    let Some(stock) = d.stocks().iter().position(|s| s.id() == id) else {
        let hint = suggest(
            id,
            d.stocks().iter().map(|s| s.id()),
            "name a dynamic stock by its id",
        );
        c.error(
            "stock",
            format!("the model has no dynamic stock \"{id}\""),
            hint,
        );
        return None;
    };
    let new_cohorts = match raw.cohorts.as_deref() {
        None | Some("all") => false,
        Some("new") => true,
        Some(other) => {
            let hint = suggest(
                other,
                ["all", "new"],
                "cohorts are all (every cohort in use) or new (cohorts entering from then)",
            );
            c.error("cohorts", format!("unknown cohorts \"{other}\""), hint);
            return None;
        }
    };
    let target = if raw.kind == "lifetime" {
        Target::Lifetime { stock, new_cohorts }
    } else {
        Target::Demand { stock }
    };
    let p = d.stocks()[stock].process().0;
    Some((target, id.to_owned(), vec![p]))
}

impl Intervention {
    /// How far along its ramp the intervention is at `at`, from 0 (base) to 1 (target).
    /// Without a ramp it takes effect from `start` (the model's year) on.
    fn progress(&self, at: At, start: Option<i32>) -> f64 {
        match (at, self.ramp) {
            (At::Target, _) => 1.0,
            (At::Year(y), Some((a, b))) => (f64::from(y - a) / f64::from(b - a)).clamp(0.0, 1.0),
            (At::Year(y), None) => {
                if start.is_none_or(|s| y >= s) {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// The changed value of a base value `base` at progress `t`.
    fn value(&self, base: f64, t: f64) -> f64 {
        match self.change {
            Change::Set(v) => {
                if t >= 1.0 {
                    v
                } else {
                    base + t * (v - base)
                }
            }
            Change::Scale(f) => {
                if t >= 1.0 {
                    base * f
                } else {
                    base * (1.0 + t * (f - 1.0))
                }
            }
        }
    }

    /// The factor of a scaling intervention at progress `t` (lifetime, demand).
    fn factor(&self, t: f64) -> f64 {
        self.value(1.0, t)
    }
}

/// A base model prepared for evaluating scenarios: which flows follow from which, and the
/// baseline's indicators. Cheap to share between threads (`Sync`).
#[derive(Debug, Clone)]
pub struct Baseline<'a> {
    loaded: &'a Loaded,
    frame: Frame,
    evaluator: Evaluator,
    report: Report,
    values: Values,
    start: Option<i32>,
}

/// Reusable buffers of one thread's evaluations.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    items: Vec<f64>,
    effects: Effects,
}

impl<'a> Baseline<'a> {
    /// Prepares a loaded model. For a model with dynamic stocks, the baseline is the last year
    /// of its time axis.
    #[must_use]
    pub fn new(loaded: &'a Loaded) -> Baseline<'a> {
        let model = &loaded.model;
        let frame = Frame::new(model);
        let evaluator = Evaluator::new(model);
        let start = match model.dynamics() {
            Some(d) => model.meta().year.or(Some(d.first_year())),
            None => model.meta().year,
        };
        let mut b = Baseline {
            loaded,
            frame,
            evaluator,
            report: run(model),
            values: [None; COUNT],
            start,
        };
        if model.dynamics().is_some() {
            let empty = Scenario {
                name: "baseline".into(),
                description: None,
                interventions: Vec::new(),
            };
            if let Ok(m) = b.model(&empty, At::Target) {
                b.report = run(&m);
            }
        }
        b.values = values_of(&b.report);
        b
    }

    /// The model.
    #[must_use]
    pub fn model_ref(&self) -> &Model {
        &self.loaded.model
    }

    /// The baseline's indicator values, indexed as [`IDS`].
    #[must_use]
    pub fn values(&self) -> &Values {
        &self.values
    }

    /// The baseline's report (names, units, formulas of the indicators).
    #[must_use]
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// Whether the model has dynamic stocks (scenarios are then projected year by year).
    #[must_use]
    pub fn is_dynamic(&self) -> bool {
        self.loaded.model.dynamics().is_some()
    }

    /// The year a scenario is evaluated in at `at` on a model with dynamic stocks.
    fn year(&self, at: At) -> Option<i32> {
        let d = self.loaded.model.dynamics()?;
        Some(match at {
            At::Year(y) => y,
            At::Target => d.last_year(),
        })
    }

    /// The numeric effect of a scenario's network interventions at `at`.
    fn effects(&self, s: &Scenario, at: At, fx: &mut Effects) {
        fx.pins.clear();
        fx.shares.clear();
        let x0 = &self.frame.x0;
        for (k, iv) in s.interventions.iter().enumerate() {
            let t = iv.progress(at, self.start);
            let k = k as u32;
            match &iv.target {
                Target::Items(items) => {
                    for &i in items {
                        fx.pins.push((i, iv.value(x0[i as usize], t), k));
                    }
                }
                Target::Share { streams, rest } => {
                    for (stream, flows) in streams {
                        let st = &self.frame.streams[*stream as usize];
                        let op = match iv.change {
                            Change::Set(_) => {
                                let now: f64 = flows.iter().map(|&f| x0[f as usize]).sum();
                                let base = if st.total0 > 0.0 {
                                    now / st.total0
                                } else {
                                    0.0
                                };
                                Ok(iv.value(base, t))
                            }
                            Change::Scale(_) => Err(iv.factor(t)),
                        };
                        fx.shares.push(ShareOp {
                            stream: *stream,
                            flows: flows.clone(),
                            op,
                            rest: rest.clone(),
                            intervention: k,
                        });
                    }
                }
                Target::Lifetime { .. } | Target::Demand { .. } => {}
            }
        }
    }

    /// A fresh set of buffers for [`Baseline::evaluate`].
    #[must_use]
    pub fn scratch(&self) -> Scratch {
        Scratch::default()
    }

    /// The indicator values of a scenario at `at`, indexed as [`IDS`]. On a model without
    /// dynamic stocks this is the fast path of batches: re-balance, then evaluate the numbers,
    /// without building a model.
    ///
    /// # Errors
    /// When the interventions cannot hold: shares beyond the whole, a flow driven below zero, a
    /// process that cannot balance.
    pub fn evaluate(
        &self,
        s: &Scenario,
        at: At,
        scratch: &mut Scratch,
    ) -> Result<Values, ScenarioError> {
        if s.interventions.is_empty() {
            return Ok(self.values);
        }
        if self.is_dynamic() {
            return self.model(s, at).map(|m| values_of(&run(&m)));
        }
        self.effects(s, at, &mut scratch.effects);
        balance::rebalance(&self.frame, &scratch.effects, &mut scratch.items)
            .map_err(|f| self.error(s, &f))?;
        let n = self.frame.n_flows;
        Ok(self
            .evaluator
            .values(&scratch.items[..n], &scratch.items[n..]))
    }

    /// The scenario's model at `at`: the base model with its flows and stock changes
    /// re-balanced; on a model with dynamic stocks, the projected model of the year.
    ///
    /// # Errors
    /// As [`Baseline::evaluate`], and when a changed lifetime or demand cannot be projected.
    pub fn model(&self, s: &Scenario, at: At) -> Result<Model, ScenarioError> {
        let base = &self.loaded.model;
        let mut fx = Effects::default();
        let mut items = Vec::new();
        self.effects(s, at, &mut fx);
        balance::rebalance(&self.frame, &fx, &mut items).map_err(|f| self.error(s, &f))?;
        let mut m = Model::clone(base);
        m.set_values(&items);
        match self.year(at) {
            None => Ok(m),
            Some(year) => dynamic::year_model(self, s, m, year, at),
        }
    }

    fn error(&self, s: &Scenario, fail: &Fail) -> ScenarioError {
        let model = &self.loaded.model;
        let unit = model.meta().unit;
        let blame = |process: u32| -> Option<(usize, String)> {
            s.interventions
                .iter()
                .enumerate()
                .rev()
                .find(|(_, iv)| iv.touches.contains(&process))
                .map(|(k, iv)| (k + 1, iv.label.clone()))
        };
        let (intervention, message) = match fail {
            Fail::Shares { intervention, why } => {
                let k = *intervention as usize;
                (
                    s.interventions.get(k).map(|iv| (k + 1, iv.label.clone())),
                    why.clone(),
                )
            }
            Fail::Negative { item, value } => {
                let f = &model.flows()[*item as usize];
                (
                    blame(f.from.0).or_else(|| blame(f.to.0)),
                    format!(
                        "the flow {} would have to be {} {unit}, below zero: the model cannot balance that way",
                        model.flow_label(f),
                        crate::report::format_mass(*value, unit)
                    ),
                )
            }
            Fail::Unbalanced { process, deviation } => (
                blame(*process),
                format!(
                    "\"{}\" cannot balance: its inputs and outputs would differ by {} {unit}, and the interventions fix every flow circ could adjust",
                    model.processes()[*process as usize].id,
                    crate::report::format_mass(*deviation, unit)
                ),
            ),
            Fail::Singular => (
                None,
                "the re-balanced flows have no unique solution: some loop passes on all it receives".into(),
            ),
        };
        ScenarioError {
            scenario: s.name.clone(),
            intervention,
            message,
        }
    }
}

/// The indicator values of a report, indexed as [`IDS`].
fn values_of(report: &Report) -> Values {
    let mut v = [None; COUNT];
    for (slot, id) in v.iter_mut().zip(IDS) {
        *slot = report.indicator(id).and_then(|i| i.value);
    }
    v
}

/// Every scenario's indicators beside the baseline's at `at`, ranked by the indicator
/// `rank_by` (highest first; scenarios where it is not computable last).
///
/// # Errors
/// Every scenario that cannot be evaluated, each naming its intervention.
pub fn compare(
    baseline: &Baseline<'_>,
    scenarios: &[Scenario],
    at: At,
    rank_by: &str,
) -> Result<Comparison, Vec<ScenarioError>> {
    let mut scratch = baseline.scratch();
    let mut errors = Vec::new();
    let mut results = Vec::new();
    for s in scenarios {
        match baseline.evaluate(s, at, &mut scratch) {
            Ok(v) => results.push((s, v)),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(render::comparison(baseline, &results, at, rank_by))
}

/// The web module's entry point: a model (JSON) and a scenario file (JSON), compared as
/// `circ scenario MODEL SCENARIOS --format json` does, at the targets of every intervention.
///
/// # Errors
/// Every problem of the model or the scenario file, or the scenarios that cannot hold (as
/// diagnostics naming the scenario file).
pub fn scenarios_json(model_json: &str, scenarios_json: &str) -> Result<String, Vec<Diagnostic>> {
    let loaded = crate::load(
        SourceText {
            name: "model.json",
            text: model_json,
        },
        Format::Json,
        &|_| Err("the web calculator reads no flow tables".into()),
    )?;
    let src = SourceText {
        name: "scenarios.json",
        text: scenarios_json,
    };
    let scenarios = load_scenarios(src, Format::Json, &loaded.model)?;
    let baseline = Baseline::new(&loaded);
    compare(&baseline, &scenarios, At::Target, crate::indicator::IDS[0])
        .map(|c| c.to_json())
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    Diagnostic::error(Location::at("scenarios.json", Vec::new()), e.to_string())
                })
                .collect()
        })
}

#[cfg(test)]
mod tests;
