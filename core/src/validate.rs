//! From the file types of [`format`](crate::format) to a valid [`Model`]: every check, every
//! problem reported at once.
//!
//! Checks, in order: the metadata; materials (unique ids, known parents, no cycles); processes
//! (unique ids, known roles); flows (known processes and materials, finite non-negative values,
//! known units, roles that make sense, no duplicates); stock changes; GDP and population; and, when
//! all of that holds, the mass balance of every process that is neither a source nor a sink.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Location, PathSegment, has_errors, suggest};
use crate::format::{
    FlowTable, Format, RawFigure, RawModel, RawUncertainty, SourceText, locate, parse_flow_table,
    parse_model,
};
use crate::model::{
    Basis, Economy, Figure, Flow, IdSpan, Material, MaterialGroup, MaterialId, Meta, Model,
    Process, ProcessId, ROLES, Role, Source, SourceId, StockChange, Uncertainty,
};
use crate::network::{self, Item, Network, Problem, Solution, SolveOptions, process_names};
use crate::unit::Unit;

/// Default relative tolerance of process balances: float noise only. Data sets built from
/// rounded published figures state their own in `meta.balance_tolerance`.
pub const DEFAULT_BALANCE_TOLERANCE: f64 = 1e-9;

/// A valid model and the warnings found on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The model, shared with [`Loaded::network`] when every value is given (it derefs to
    /// [`Model`]).
    pub model: Arc<Model>,
    /// Problems that do not stop the model from being used.
    pub warnings: Vec<Diagnostic>,
    /// The network as given, with its unknowns and measured values: what uncertainty
    /// propagation and re-solving start from.
    pub network: Network,
    /// How the unknowns were solved, and the reconciliation if the data needed one.
    pub solution: Solution,
    /// The document as read, with the flows of its CSV tables moved into `flows` (so that it
    /// stands alone, for `circ convert`). Empty from [`validate`], which does not own it.
    pub document: Option<RawModel<'static>>,
}

impl Loaded {
    /// The model, owned: without a copy when nothing else holds it.
    #[must_use]
    pub fn into_model(self) -> Model {
        drop(self.network);
        Arc::unwrap_or_clone(self.model)
    }
}

/// Parses and validates a model document, reading the flow tables it names through `read`
/// (which the front end provides: core does no I/O). Returns every problem found, each with its
/// file and line.
///
/// # Errors
/// Every problem, when there is at least one error.
pub fn load(
    main: SourceText<'_>,
    format: Format,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let mut raw = parse_model(main, format)?;
    let mut tables = Vec::new();
    let mut diags = Vec::new();
    for (i, name) in raw.flow_tables.iter().enumerate() {
        let at = Location::at(main.name, vec![key("flow_tables"), PathSegment::Index(i)]);
        match read(name) {
            Ok(text) => {
                let (table, mut d) = parse_flow_table(SourceText { name, text: &text });
                tables.push(table);
                diags.append(&mut d);
            }
            Err(why) => diags.push(
                Diagnostic::error(at, format!("cannot read flow table \"{name}\": {why}"))
                    .with_hint("paths of flow tables are relative to the model file"),
            ),
        }
    }
    // Validate the rows the tables could read even when some could not, so that every problem
    // is reported at once.
    let result = match (validate(&raw, &tables, main.name), has_errors(&diags)) {
        (Ok(loaded), false) => Ok(loaded),
        (Ok(loaded), true) => {
            diags.extend(loaded.warnings);
            Err(diags)
        }
        (Err(more), _) => {
            diags.extend(more);
            Err(diags)
        }
    };
    result
        .map(|mut loaded| {
            locate(&mut loaded.warnings, main.name, main.text, format);
            raw.flows.extend(
                tables
                    .into_iter()
                    .flat_map(|t| t.flows.into_iter().map(|(_, f)| f)),
            );
            raw.flow_tables.clear();
            loaded.document = Some(raw.into_owned());
            loaded
        })
        .map_err(|mut d| {
            locate(&mut d, main.name, main.text, format);
            d
        })
}

/// Validates a parsed model document and its flow tables. `origin` names the document in
/// messages. Lines are not filled in here; [`load`] does that with [`locate`].
///
/// # Errors
/// Every problem, when there is at least one error.
pub fn validate(
    raw: &RawModel<'_>,
    tables: &[FlowTable],
    origin: &str,
) -> Result<Loaded, Vec<Diagnostic>> {
    let mut v = Validator {
        origin,
        diags: Vec::new(),
    };
    let model = v.model(raw, tables);
    if has_errors(&v.diags) {
        return Err(v.diags);
    }
    let mut model = model.expect("a model is built whenever no error was found");
    let needs_reconciling = v.balances(&model);
    // Dynamic stocks are checked against the network's topology (the flows that carry their
    // inflows and outflows), which the skeleton already has; solving keeps them.
    if let Some(raw) = &raw.dynamics {
        model.dynamics = crate::dynamics::validate(raw, &model, origin, &mut v.diags);
    }
    if has_errors(&v.diags) {
        return Err(v.diags);
    }
    let network = Network::new(Arc::new(model));
    if !network.has_unknowns() && !needs_reconciling {
        return Ok(Loaded {
            model: network.shared(),
            warnings: v.diags,
            document: None,
            network,
            solution: Solution {
                info: network::SolveInfo {
                    method: network::Method::None,
                    ..network::SolveInfo::default()
                },
                reconciliation: None,
            },
        });
    }
    match network::solve(&network, &SolveOptions::default()) {
        Ok((model, solution)) => {
            if let Some(r) = &solution.reconciliation {
                v.reconciled(&model, r);
            }
            Ok(Loaded {
                model: Arc::new(model),
                warnings: v.diags,
                document: None,
                network,
                solution,
            })
        }
        Err(problems) => {
            for p in problems {
                v.problem(raw, tables, network.given(), &p);
            }
            Err(v.diags)
        }
    }
}

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

/// Where an item of the model was written: a key path in the main document, or a line of a
/// flow table.
#[derive(Clone, Copy)]
enum Place<'a> {
    /// In the main document: under the keys `keys`, at position `index` of that array if any.
    Main {
        keys: &'static [&'static str],
        index: Option<usize>,
    },
    Table {
        name: &'a str,
        line: u32,
    },
}

impl Place<'_> {
    fn at(keys: &'static [&'static str], index: usize) -> Self {
        Place::Main {
            keys,
            index: Some(index),
        }
    }

    fn under(keys: &'static [&'static str]) -> Self {
        Place::Main { keys, index: None }
    }

    fn path(keys: &[&str], index: Option<usize>) -> Vec<PathSegment> {
        let mut p: Vec<PathSegment> = keys.iter().map(|k| key(k)).collect();
        p.extend(index.map(PathSegment::Index));
        p
    }
}

struct Validator<'a> {
    origin: &'a str,
    diags: Vec<Diagnostic>,
}

impl<'a> Validator<'a> {
    fn loc(&self, place: &Place<'_>, field: &str) -> Location {
        match place {
            Place::Main { keys, index } => {
                let mut p = Place::path(keys, *index);
                if !field.is_empty() {
                    p.push(key(field));
                }
                Location::at(self.origin, p)
            }
            Place::Table { name, line } => {
                let mut loc = Location::at(
                    name,
                    if field.is_empty() {
                        Vec::new()
                    } else {
                        vec![key(field)]
                    },
                );
                loc.line = Some(*line);
                loc
            }
        }
    }

    fn error(&mut self, place: &Place<'_>, field: &str, message: String, hint: Option<String>) {
        let mut d = Diagnostic::error(self.loc(place, field), message);
        d.hint = hint;
        self.diags.push(d);
    }

    fn model(&mut self, raw: &RawModel<'_>, tables: &'a [FlowTable]) -> Option<Model> {
        let meta = self.meta(raw);
        // `extend`, not `collect`, which would compile a sort into the web module (crate::sort).
        let mut sources: BTreeMap<&str, SourceId> = BTreeMap::new();
        sources.extend(
            raw.meta
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), SourceId(index_u32(i)))),
        );
        let materials = self.materials(raw);
        let processes = self.processes(raw);
        let unit = meta.as_ref().map_or(Unit::Tonne, |m| m.unit);
        let names = Names {
            materials: &materials,
            processes: &processes,
            sources: &sources,
            process_index: processes
                .iter()
                .enumerate()
                .map(|(i, p)| (p.id.as_str(), ProcessId(index_u32(i))))
                .collect(),
            material_index: materials
                .iter()
                .enumerate()
                .map(|(i, (id, _))| (id.as_str(), MaterialId(index_u32(i))))
                .collect(),
        };

        // First place of each flow id and of each (from, to, material) without an id; lookups
        // only, so hash maps (nothing iterates them into output).
        let n_flows = raw.flows.len() + tables.iter().map(|t| t.flows.len()).sum::<usize>();
        let mut seen_ids: FxMap<&str, Place<'_>> =
            FxMap::with_capacity_and_hasher(n_flows, BuildHasherDefault::default());
        let mut flows = Vec::with_capacity(n_flows);
        let mut flow_ids = String::new();
        let mut seen_triples: FxMap<(&str, &str, &str), Place<'_>> = FxMap::default();
        let main_flows = raw
            .flows
            .iter()
            .enumerate()
            .map(|(i, f)| (Place::at(&["flows"], i), f));
        let table_flows = tables.iter().flat_map(|t| {
            t.flows.iter().map(move |(line, f)| {
                (
                    Place::Table {
                        name: &t.name,
                        line: *line,
                    },
                    f,
                )
            })
        });
        for (place, f) in main_flows.chain(table_flows) {
            if let Some(id) = &f.id {
                if let Some(first) = seen_ids.insert(id, place) {
                    let first = self.describe(&first);
                    self.error(
                        &place,
                        "id",
                        format!("duplicate flow id \"{id}\" (first at {first})"),
                        Some("give every flow its own id".into()),
                    );
                }
            } else if let Some(first) = seen_triples.insert((&f.from, &f.to, &f.material), place) {
                let first = self.describe(&first);
                self.error(
                    &place,
                    "",
                    format!(
                        "a second flow {} → {} of {} (first at {first})",
                        f.from, f.to, f.material
                    ),
                    Some("merge the two flows into one, or give each an `id`".into()),
                );
            }
            let from = self.process_ref(&names, &place, "from", &f.from);
            let to = self.process_ref(&names, &place, "to", &f.to);
            let material = self.material_ref(&names, &place, "material", &f.material);
            let flow_unit = self.unit(&place, f.unit.as_deref(), unit);
            let spec = self.spec(&place, f.value, f.share, false);
            let uncertainty =
                self.spec_uncertainty(&place, f.uncertainty.as_deref(), spec, flow_unit);
            let source = self.source_ref(&names, &place, "source", f.source.as_deref());
            if let (Some(from), Some(to)) = (from, to) {
                self.roles_make_sense(&place, &processes, from, to);
            }
            if let (Some(from), Some(to), Some(material), Some(fu), Some((value, basis))) =
                (from, to, material, flow_unit, spec)
            {
                flows.push(Flow {
                    id: f.id.as_deref().map(|id| IdSpan::push(&mut flow_ids, id)),
                    from,
                    to,
                    material,
                    value: if basis == Basis::Given {
                        fu.to_tonnes(value)
                    } else {
                        0.0
                    },
                    basis,
                    uncertainty: uncertainty.flatten(),
                    source: source.flatten(),
                });
            }
        }

        let mut stock_changes = Vec::new();
        for (i, s) in raw.stock_changes.iter().enumerate() {
            let place = Place::at(&["stock_changes"], i);
            let process = self.process_ref(&names, &place, "process", &s.process);
            if let Some(p) = process {
                let role = processes[p.0 as usize].role;
                if role.is_source() || role.is_sink() {
                    self.error(
                        &place,
                        "process",
                        format!("process \"{}\" has role {role}, which holds no stock", s.process),
                        Some("stock changes belong to processes that hold stock: use, production, reuse, or a waste-management process".into()),
                    );
                }
            }
            let material = self.material_ref(&names, &place, "material", &s.material);
            let su = self.unit(&place, s.unit.as_deref(), unit);
            let spec = self.spec(&place, s.value, s.share, true);
            let uncertainty = self.spec_uncertainty(&place, s.uncertainty.as_ref(), spec, su);
            let source = self.source_ref(&names, &place, "source", s.source.as_deref());
            if let (Some(process), Some(material), Some(su), Some((value, basis))) =
                (process, material, su, spec)
            {
                stock_changes.push(StockChange {
                    process,
                    material,
                    value: if basis == Basis::Given {
                        su.to_tonnes(value)
                    } else {
                        0.0
                    },
                    basis,
                    uncertainty: uncertainty.flatten(),
                    source: source.flatten(),
                });
            }
        }

        let economy = self.economy(raw, &names);
        let meta = meta?;
        if has_errors(&self.diags) {
            return None;
        }
        let materials = materials.into_iter().map(|(_, m)| m).collect();
        Some(Model {
            meta,
            materials,
            processes,
            flows,
            flow_ids,
            stock_changes,
            economy,
            dynamics: None,
        })
    }

    fn describe(&self, place: &Place<'_>) -> String {
        match place {
            Place::Main { keys, index } => {
                let loc = Location::at(self.origin, Place::path(keys, *index));
                format!("{} {}", self.origin, loc.path_text())
            }
            Place::Table { name, line } => format!("{name}:{line}"),
        }
    }

    fn meta(&mut self, raw: &RawModel<'_>) -> Option<Meta> {
        let place = Place::under(&["meta"]);
        let unit = self.unit(&place, raw.meta.unit.as_deref(), Unit::Tonne);
        let tol = raw
            .meta
            .balance_tolerance
            .unwrap_or(DEFAULT_BALANCE_TOLERANCE);
        if !(tol.is_finite() && (0.0..1.0).contains(&tol)) {
            self.error(
                &place,
                "balance_tolerance",
                format!("balance tolerance {tol} is not a fraction in [0, 1)"),
                Some("give the largest acceptable imbalance as a fraction of throughput, such as 0.001 for 0.1 %".into()),
            );
        }
        if raw.meta.name.trim().is_empty() {
            self.error(
                &place,
                "name",
                "the model has an empty name".into(),
                Some("name what the model describes".into()),
            );
        }
        let mut ids = BTreeSet::new();
        for (i, s) in raw.meta.sources.iter().enumerate() {
            let sp = Place::at(&["meta", "sources"], i);
            if s.id.trim().is_empty() {
                self.error(
                    &sp,
                    "id",
                    "a source has an empty id".into(),
                    Some("give each source a short id such as \"cgr2020\"".into()),
                );
            } else if !ids.insert(s.id.as_str()) {
                self.error(
                    &sp,
                    "id",
                    format!("duplicate source id \"{}\"", s.id),
                    Some("give every source its own id".into()),
                );
            }
        }
        Some(Meta {
            name: raw.meta.name.clone(),
            region: raw.meta.region.clone(),
            year: raw.meta.year,
            unit: unit?,
            scope: raw.meta.scope.unwrap_or_default(),
            description: raw.meta.description.clone(),
            sources: raw
                .meta
                .sources
                .iter()
                .map(|s| Source {
                    id: s.id.clone(),
                    title: s.title.clone(),
                    url: s.url.clone(),
                    table: s.table.clone(),
                    release: s.release.clone(),
                    licence: s.licence.clone(),
                    note: s.note.clone(),
                })
                .collect(),
            balance_tolerance: tol,
        })
    }

    /// Materials by id: the five roots, then user materials in file order, each with its group.
    fn materials(&mut self, raw: &RawModel<'_>) -> Vec<(String, Material)> {
        let mut out: Vec<(String, Material)> = MaterialGroup::ALL
            .into_iter()
            .map(|g| {
                let m = Material {
                    id: g.code().to_owned(),
                    name: g.name().to_owned(),
                    parent: None,
                    group: g,
                };
                (g.code().to_owned(), m)
            })
            .collect();
        let mut index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, m) in raw.materials.iter().enumerate() {
            let place = Place::at(&["materials"], i);
            if m.id.trim().is_empty() {
                self.error(&place, "id", "a material has an empty id".into(), None);
            } else if MaterialGroup::from_code(&m.id).is_some() {
                self.error(
                    &place,
                    "id",
                    format!(
                        "\"{}\" is a root material group and cannot be redefined",
                        m.id
                    ),
                    Some("use it as the parent of your material instead".into()),
                );
            } else if index.insert(&m.id, i).is_some() {
                self.error(
                    &place,
                    "id",
                    format!("duplicate material id \"{}\"", m.id),
                    Some("give every material its own id".into()),
                );
            }
        }
        // Resolve each material's root by walking up its parents; a walk longer than the number
        // of materials is a cycle.
        let mut groups: Vec<Option<MaterialGroup>> = vec![None; raw.materials.len()];
        for (i, m) in raw.materials.iter().enumerate() {
            let place = Place::at(&["materials"], i);
            let mut current = m;
            let mut steps = 0;
            let group = loop {
                if let Some(g) = MaterialGroup::from_code(&current.parent) {
                    break Some(g);
                }
                match index.get(current.parent.as_str()) {
                    Some(&j) if steps <= raw.materials.len() => {
                        current = &raw.materials[j];
                        steps += 1;
                    }
                    Some(_) => {
                        self.error(
                            &place,
                            "parent",
                            format!("material \"{}\" is its own ancestor", m.id),
                            Some(
                                "every chain of parents must end at MF1, MF2, MF3, MF4 or MIXED"
                                    .into(),
                            ),
                        );
                        break None;
                    }
                    None => {
                        if std::ptr::eq(current, m) {
                            let known = index
                                .keys()
                                .copied()
                                .chain(MaterialGroup::ALL.iter().map(|g| g.code()));
                            let hint = suggest(
                                &m.parent,
                                known,
                                "a parent is MF1 (biomass), MF2 (metal ores), MF3 (non-metallic minerals), MF4 (fossil energy materials), MIXED, or another material",
                            );
                            self.error(
                                &place,
                                "parent",
                                format!("unknown parent material \"{}\"", m.parent),
                                Some(hint),
                            );
                        }
                        break None;
                    }
                }
            };
            groups[i] = group;
        }
        // Second pass, now that every id has its index in `out`.
        let base = out.len();
        for (i, m) in raw.materials.iter().enumerate() {
            let parent = MaterialGroup::from_code(&m.parent)
                .map(|g| MaterialId(index_u32(g.index())))
                .or_else(|| {
                    index
                        .get(m.parent.as_str())
                        .map(|&j| MaterialId(index_u32(base + j)))
                });
            out.push((
                m.id.clone(),
                Material {
                    id: m.id.clone(),
                    name: m.name.clone().unwrap_or_else(|| m.id.clone()),
                    parent,
                    group: groups[i].unwrap_or(MaterialGroup::Mixed),
                },
            ));
        }
        out
    }

    fn processes(&mut self, raw: &RawModel<'_>) -> Vec<Process> {
        let mut ids = BTreeSet::new();
        let mut out = Vec::new();
        if raw.processes.is_empty() {
            self.error(
                &Place::under(&[]),
                "processes",
                "the model has no processes".into(),
                Some("add [[processes]] with an id and a role".into()),
            );
        }
        for (i, p) in raw.processes.iter().enumerate() {
            let place = Place::at(&["processes"], i);
            if p.id.trim().is_empty() {
                self.error(&place, "id", "a process has an empty id".into(), None);
            } else if !ids.insert(p.id.as_str()) {
                self.error(
                    &place,
                    "id",
                    format!("duplicate process id \"{}\"", p.id),
                    Some("give every process its own id".into()),
                );
            }
            let role = Role::parse(&p.role);
            if role.is_none() {
                let names = ROLES.iter().map(|r| r.as_str());
                let hint = suggest(
                    &p.role,
                    names,
                    format!("roles are: {}", ROLES.map(Role::as_str).join(", ")),
                );
                self.error(
                    &place,
                    "role",
                    format!("unknown role \"{}\"", p.role),
                    Some(hint),
                );
            }
            out.push(Process {
                id: p.id.clone(),
                name: p.name.clone().unwrap_or_else(|| p.id.clone()),
                role: role.unwrap_or(Role::Production),
                balanced: p.balanced.unwrap_or(true),
            });
        }
        out
    }

    fn process_ref(
        &mut self,
        names: &Names<'_>,
        place: &Place<'_>,
        field: &str,
        id: &str,
    ) -> Option<ProcessId> {
        let found = names.process_index.get(id).copied();
        if found.is_none() {
            let hint = suggest(
                id,
                names.processes.iter().map(|p| p.id.as_str()),
                "declare it under [[processes]], or correct the id",
            );
            self.error(
                place,
                field,
                format!("unknown process \"{id}\""),
                Some(hint),
            );
        }
        found
    }

    fn material_ref(
        &mut self,
        names: &Names<'_>,
        place: &Place<'_>,
        field: &str,
        id: &str,
    ) -> Option<MaterialId> {
        let found = names.material_index.get(id).copied();
        if found.is_none() {
            let hint = suggest(
                id,
                names.materials.iter().map(|(m, _)| m.as_str()),
                "use MF1, MF2, MF3, MF4, MIXED or a material declared under [[materials]]",
            );
            self.error(
                place,
                field,
                format!("unknown material \"{id}\""),
                Some(hint),
            );
        }
        found
    }

    /// `Some(None)` for no source, `Some(Some(id))` for a known one, `None` after an error.
    fn source_ref(
        &mut self,
        names: &Names<'_>,
        place: &Place<'_>,
        field: &str,
        id: Option<&str>,
    ) -> Option<Option<SourceId>> {
        let Some(id) = id else { return Some(None) };
        match names.sources.get(id) {
            Some(s) => Some(Some(*s)),
            None => {
                let hint = suggest(
                    id,
                    names.sources.keys().copied(),
                    "declare it under [[meta.sources]] with an id, title and url",
                );
                self.error(place, field, format!("unknown source \"{id}\""), Some(hint));
                None
            }
        }
    }

    fn unit(&mut self, place: &Place<'_>, unit: Option<&str>, default: Unit) -> Option<Unit> {
        match unit {
            None => Some(default),
            Some(u) => match u.parse::<Unit>() {
                Ok(u) => Some(u),
                Err(e) => {
                    self.error(
                        place,
                        "unit",
                        e.to_string(),
                        Some("units are t, kt, Mt and Gt (case matters)".into()),
                    );
                    None
                }
            },
        }
    }

    fn value(&mut self, place: &Place<'_>, field: &str, value: f64, signed: bool) -> Option<f64> {
        if !value.is_finite() {
            self.error(
                place,
                field,
                format!("{value} is not a finite number"),
                Some("give a mass per year, such as 12.5".into()),
            );
            None
        } else if !signed && value < 0.0 {
            self.error(
                place,
                field,
                format!("negative value {value}"),
                Some("a flow carries a non-negative mass; reverse `from` and `to` for a flow the other way".into()),
            );
            None
        } else {
            Some(value)
        }
    }

    /// How a flow or stock change is given: `(value, Basis::Given)`, `(share, Basis::Share)` or
    /// `(0, Basis::Balance)` for an unknown; `None` after an error.
    fn spec(
        &mut self,
        place: &Place<'_>,
        value: Option<f64>,
        share: Option<f64>,
        signed: bool,
    ) -> Option<(f64, Basis)> {
        match (value, share) {
            (Some(v), None) => self
                .value(place, "value", v, signed)
                .map(|v| (v, Basis::Given)),
            (None, Some(s)) => {
                if s.is_finite() && (0.0..=1.0).contains(&s) {
                    Some((s, Basis::Share { share: s }))
                } else {
                    self.error(
                        place,
                        "share",
                        format!("share {s} is not a fraction in [0, 1]"),
                        Some("a share is the fraction of the origin's output that the flow carries, such as 0.6 for 60 %".into()),
                    );
                    None
                }
            }
            (None, None) => Some((0.0, Basis::Balance)),
            (Some(_), Some(_)) => {
                self.error(
                    place,
                    "share",
                    "give `value` or `share`, not both".into(),
                    Some("a value states the mass; a share states it as a fraction of the origin's output, and circ solves the mass".into()),
                );
                None
            }
        }
    }

    /// The uncertainty of a given value or share; an unknown takes none (circ computes it).
    fn spec_uncertainty(
        &mut self,
        place: &Place<'_>,
        u: Option<&RawUncertainty>,
        spec: Option<(f64, Basis)>,
        unit: Option<Unit>,
    ) -> Option<Option<Uncertainty>> {
        match (u, unit, spec) {
            (Some(u), Some(unit), Some((v, Basis::Given))) => self.uncertainty(place, u, v, unit),
            // A share's uncertainty is in the share's terms, a fraction: no unit to convert.
            (Some(u), Some(_), Some((s, Basis::Share { .. }))) => {
                self.uncertainty(place, u, s, Unit::Tonne)
            }
            (Some(_), _, Some((_, Basis::Balance))) => {
                self.error(
                    place,
                    "uncertainty",
                    "an unknown value takes no uncertainty: circ propagates one to it".into(),
                    Some("give the uncertainty of the values and shares it is solved from".into()),
                );
                None
            }
            _ => None,
        }
    }

    /// `Some(Some(u))` for a valid uncertainty, `None` after an error.
    fn uncertainty(
        &mut self,
        place: &Place<'_>,
        u: &RawUncertainty,
        value: f64,
        unit: Unit,
    ) -> Option<Option<Uncertainty>> {
        let path = |f: &str| format!("uncertainty.{f}");
        let before = self.diags.len();
        for (name, v) in [
            ("sd", u.sd),
            ("cv", u.cv),
            ("min", u.min),
            ("mode", u.mode),
            ("max", u.max),
        ] {
            let spread = name == "sd" || name == "cv";
            if let Some(v) = v
                && (!v.is_finite() || (spread && v < 0.0))
            {
                let what = if spread {
                    "a finite non-negative number"
                } else {
                    "a finite number"
                };
                self.error(
                    place,
                    &path(name),
                    format!("{name} = {v} must be {what}"),
                    None,
                );
            }
        }
        if self.diags.len() > before {
            return None;
        }
        let spread = |this: &mut Self| -> Option<f64> {
            match (u.sd, u.cv) {
                (Some(sd), None) => Some(unit.to_tonnes(sd)),
                (None, Some(cv)) => Some(cv * unit.to_tonnes(value.abs())),
                _ => {
                    this.error(
                        place,
                        "uncertainty",
                        "give exactly one of `sd` and `cv`".into(),
                        Some(
                            "sd is a standard deviation in the value's unit; cv is sd / value"
                                .into(),
                        ),
                    );
                    None
                }
            }
        };
        let no_bounds = |this: &mut Self, dist: &str| {
            if u.min.is_some() || u.mode.is_some() || u.max.is_some() {
                this.error(
                    place,
                    "uncertainty",
                    format!("a {dist} uncertainty takes `sd` or `cv`, not min/mode/max"),
                    Some("use dist = \"uniform\" or \"triangular\" for bounds".into()),
                );
                false
            } else {
                true
            }
        };
        let in_bounds = |this: &mut Self, min: f64, max: f64| {
            if min <= value && value <= max {
                true
            } else {
                this.error(
                    place,
                    "uncertainty",
                    format!("the value {value} lies outside [{min}, {max}]"),
                    Some("bounds must enclose the value".into()),
                );
                false
            }
        };
        let t = |v: f64| unit.to_tonnes(v);
        match u.dist.as_deref().unwrap_or("normal") {
            "normal" => {
                let ok = no_bounds(self, "normal");
                let sd = spread(self)?;
                ok.then_some(Some(Uncertainty::Normal { sd }))
            }
            "lognormal" => {
                let ok = no_bounds(self, "lognormal");
                let sd = spread(self)?;
                if value <= 0.0 {
                    self.error(
                        place,
                        "uncertainty",
                        "a lognormal uncertainty needs a positive value".into(),
                        Some("use a normal uncertainty for values of zero".into()),
                    );
                    return None;
                }
                ok.then_some(Some(Uncertainty::Lognormal { sd }))
            }
            "uniform" => match (u.min, u.max, u.mode, u.sd.or(u.cv)) {
                (Some(min), Some(max), None, None) => {
                    in_bounds(self, min, max).then_some(Some(Uncertainty::Uniform {
                        min: t(min),
                        max: t(max),
                    }))
                }
                _ => {
                    self.error(
                        place,
                        "uncertainty",
                        "a uniform uncertainty takes exactly `min` and `max`".into(),
                        None,
                    );
                    None
                }
            },
            "triangular" => match (u.min, u.mode, u.max, u.sd.or(u.cv)) {
                (Some(min), Some(mode), Some(max), None) => {
                    if !(min <= mode && mode <= max) {
                        self.error(
                            place,
                            "uncertainty",
                            format!("min {min} ≤ mode {mode} ≤ max {max} does not hold"),
                            None,
                        );
                        return None;
                    }
                    in_bounds(self, min, max).then_some(Some(Uncertainty::Triangular {
                        min: t(min),
                        mode: t(mode),
                        max: t(max),
                    }))
                }
                _ => {
                    self.error(
                        place,
                        "uncertainty",
                        "a triangular uncertainty takes exactly `min`, `mode` and `max`".into(),
                        None,
                    );
                    None
                }
            },
            other => {
                let hint = suggest(
                    other,
                    ["normal", "lognormal", "uniform", "triangular"],
                    "distributions are normal, lognormal, uniform and triangular",
                );
                self.error(
                    place,
                    "uncertainty.dist",
                    format!("unknown distribution \"{other}\""),
                    Some(hint),
                );
                None
            }
        }
    }

    fn roles_make_sense(
        &mut self,
        place: &Place<'_>,
        processes: &[Process],
        from: ProcessId,
        to: ProcessId,
    ) {
        let (f, t) = (&processes[from.0 as usize], &processes[to.0 as usize]);
        let problem = if from == to {
            Some((
                format!("flow from \"{}\" to itself", f.id),
                "a process's internal flows are not flows of the model; remove it".to_owned(),
            ))
        } else if t.role.is_source() {
            Some((
                format!("flow into \"{}\", whose role {} is a source", t.id, t.role),
                format!(
                    "nothing flows into {} processes; send the flow to a process that takes it in",
                    t.role
                ),
            ))
        } else if f.role.is_sink() {
            Some((
                format!("flow out of \"{}\", whose role {} is a sink", f.id, f.role),
                format!(
                    "nothing leaves {} processes; if material comes back (landfill mining), model it as extraction",
                    f.role
                ),
            ))
        } else {
            None
        };
        if let Some((message, hint)) = problem {
            self.error(place, "", message, Some(hint));
        }
    }

    fn economy(&mut self, raw: &RawModel<'_>, names: &Names<'_>) -> Economy {
        let Some(e) = &raw.economy else {
            return Economy::default();
        };
        let figure = |this: &mut Self,
                      name: &str,
                      keys: &'static [&'static str],
                      f: &Option<RawFigure>,
                      check_unit: fn(&str) -> bool,
                      unit_hint: &str| {
            let f = f.as_ref()?;
            let place = Place::under(keys);
            let mut ok = true;
            if !(f.value.is_finite() && f.value > 0.0) {
                this.error(
                    &place,
                    "value",
                    format!("{name} {} must be a positive number", f.value),
                    None,
                );
                ok = false;
            }
            if !check_unit(&f.unit) {
                this.error(
                    &place,
                    "unit",
                    format!("unit \"{}\" is not valid for {name}", f.unit),
                    Some(unit_hint.to_owned()),
                );
                ok = false;
            }
            let source = this.source_ref(names, &place, "source", f.source.as_deref())?;
            ok.then(|| Figure {
                value: f.value,
                unit: f.unit.clone(),
                source,
            })
        };
        let currency = |u: &str| u.len() == 3 && u.bytes().all(|b| b.is_ascii_uppercase());
        let gdp = figure(
            self,
            "gdp",
            &["economy", "gdp"],
            &e.gdp,
            currency,
            "give GDP in currency units with an ISO 4217 code such as EUR, USD or UAH",
        );
        let population = figure(
            self,
            "population",
            &["economy", "population"],
            &e.population,
            |u| u == "persons",
            "the unit of population is \"persons\"",
        );
        Economy { gdp, population }
    }

    /// Mass balance of every process that is neither a source nor a sink: inputs = outputs +
    /// stock change, within the model's relative tolerance. Processes with unknown flows or
    /// stock changes are left to the network solver; so are processes that do not balance but
    /// have given values with uncertainties, which reconciliation adjusts. Returns whether
    /// there is such a process.
    fn balances(&mut self, model: &Model) -> bool {
        let mut needs_reconciling = false;
        let (mut unknown, mut measured) = (
            vec![false; model.processes.len()],
            vec![false; model.processes.len()],
        );
        let mut mark = |p: ProcessId, basis: Basis, u: Option<Uncertainty>| {
            let i = p.0 as usize;
            unknown[i] |= !basis.is_given();
            measured[i] |= u.is_some_and(|u| u.variance() > 0.0);
        };
        for f in &model.flows {
            mark(f.from, f.basis, f.uncertainty);
            mark(f.to, f.basis, f.uncertainty);
        }
        for s in &model.stock_changes {
            mark(s.process, s.basis, s.uncertainty);
        }
        let n = model.processes.len();
        let (mut inflow, mut outflow, mut stock) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let (mut n_out, mut n_flows) = (vec![0u32; n], vec![0u32; n]);
        for f in &model.flows {
            outflow[f.from.0 as usize] += f.value;
            inflow[f.to.0 as usize] += f.value;
            n_out[f.from.0 as usize] += 1;
            n_flows[f.from.0 as usize] += 1;
            n_flows[f.to.0 as usize] += 1;
        }
        let mut has_stock = vec![false; n];
        for s in &model.stock_changes {
            stock[s.process.0 as usize] += s.value;
            has_stock[s.process.0 as usize] = true;
        }
        let unit = model.meta.unit;
        let tol = model.meta.balance_tolerance;
        for (i, p) in model.processes.iter().enumerate() {
            let place = Place::at(&["processes"], i);
            if n_flows[i] == 0 && !has_stock[i] {
                self.diags.push(
                    Diagnostic::warning(
                        self.loc(&place, ""),
                        format!("process \"{}\" has no flows", p.id),
                    )
                    .with_hint("connect it with flows, or remove it"),
                );
                continue;
            }
            if p.role.is_source() || p.role.is_sink() || !p.balanced {
                continue;
            }
            if p.role.may_be_terminal() && n_out[i] == 0 && !has_stock[i] {
                continue;
            }
            if unknown[i] {
                continue;
            }
            let (input, output, ds) = (inflow[i], outflow[i], stock[i]);
            let gap = input - output - ds;
            let scale = input.max(output + ds.abs());
            if gap.abs() > tol * scale && measured[i] {
                needs_reconciling = true;
            } else if gap.abs() > tol * scale {
                let show = |t: f64| format!("{} {unit}", unit.from_tonnes(t));
                self.error(
                    &place,
                    "",
                    format!(
                        "process \"{}\" does not balance: inputs {} ≠ outputs {} + stock change {} (off by {}, {:.3} % of throughput; tolerance {tol:e} of throughput)",
                        p.id,
                        show(input),
                        show(output),
                        show(ds),
                        show(gap),
                        100.0 * gap.abs() / scale,
                    ),
                    Some(if gap > 0.0 {
                        "add the missing outflow or stock addition, or correct the inflows; for rounded published data set meta.balance_tolerance".into()
                    } else {
                        "add the missing inflow, or correct the outflows or stock change; for rounded published data set meta.balance_tolerance".into()
                    }),
                );
            }
        }
        needs_reconciling
    }

    /// A warning that given values were reconciled, naming the likely gross error when the
    /// data fail the χ² test.
    fn reconciled(&mut self, model: &Model, r: &network::Reconciliation) {
        if !r.adjusted {
            return;
        }
        let mut message = format!(
            "the given values over-determine the balances and disagree, so circ reconciled them by weighted least squares (χ² = {:.4} on {} degree{} of freedom, p = {:.4})",
            r.chi2,
            r.df,
            if r.df == 1 { "" } else { "s" },
            r.p_value
        );
        if r.p_value < 0.05 {
            let worst = r
                .values
                .iter()
                .filter_map(|a| a.test.map(|t| (t.abs(), a.item)))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((t, item)) = worst {
                message.push_str(&format!(
                    "; the data fail the test at the 5 % level, and the largest adjustment test statistic, {t:.2}, is that of {}: a likely gross error",
                    item_label(model, item)
                ));
            }
        }
        self.diags.push(
            Diagnostic::warning(Location::at(self.origin, Vec::new()), message)
                .with_hint("`circ reconcile MODEL` shows every adjustment with its test statistic"),
        );
    }

    /// The diagnostic of a network problem, at the flow, stock change or process it names.
    fn problem(&mut self, raw: &RawModel<'_>, tables: &[FlowTable], model: &Model, p: &Problem) {
        let flow_place = |i: u32| -> Place<'_> {
            let i = i as usize;
            if i < raw.flows.len() {
                return Place::at(&["flows"], i);
            }
            let mut rest = i - raw.flows.len();
            for t in tables {
                if rest < t.flows.len() {
                    return Place::Table {
                        name: &t.name,
                        line: t.flows[rest].0,
                    };
                }
                rest -= t.flows.len();
            }
            Place::under(&["flows"])
        };
        let item_place = |item: Item| match item {
            Item::Flow(i) => flow_place(i),
            Item::Stock(j) => Place::at(&["stock_changes"], j as usize),
        };
        let process_place = |p: ProcessId| Place::at(&["processes"], p.0 as usize);
        let pid = |p: ProcessId| &model.process(p).id;
        let mid = |m: crate::model::MaterialId| &model.material(m).id;
        match p {
            Problem::SharesAboveOne { process, material, sum, flows } => self.error(
                &flow_place(flows[0]),
                "share",
                format!("the shares of the outflows of {} from \"{}\" sum to {}, above 1", mid(*material), pid(*process), fraction(*sum)),
                Some("a share is a fraction of the origin's output of the material; make them sum to at most 1 (a flow with neither value nor share takes the rest)".into()),
            ),
            Problem::NoRest { process, material, sum, flows } => self.error(
                &flow_place(flows[0]),
                "share",
                format!(
                    "the shares of the outflows of {} from \"{}\" sum to {}, and no other outflow of {} takes the remaining {}",
                    mid(*material), pid(*process), fraction(*sum), mid(*material), fraction(1.0 - sum)
                ),
                Some("add an outflow with neither value nor share (it takes the rest), or make the shares sum to 1".into()),
            ),
            Problem::NothingLeft { process, material, flows } => self.error(
                &flow_place(flows[0]),
                "value",
                format!(
                    "the shares of the outflows of {} from \"{}\" sum to 1, which leaves nothing for the outflows given by value",
                    mid(*material), pid(*process)
                ),
                Some("lower the shares, or give these flows as shares too".into()),
            ),
            Problem::TwoRests { process, material, flows } => {
                let others: Vec<String> = flows.iter().map(|&i| item_label(model, Item::Flow(i))).collect();
                self.error(
                    &flow_place(flows[1]),
                    "",
                    format!(
                        "\"{}\" has {} outflows of {} with neither value nor share beside its shares ({}), so circ cannot tell which takes the rest",
                        pid(*process), flows.len(), mid(*material), others.join(", ")
                    ),
                    Some("give all but one of them a value or a share".into()),
                );
            }
            Problem::ClosedLoop { processes } => self.error(
                &process_place(processes[0]),
                "",
                format!(
                    "processes {} form a closed loop: all their output goes around it by shares and nothing ever leaves, so their flows cannot be determined (I − T is singular)",
                    process_names(model, processes)
                ),
                Some("let material leave the loop: a share to a process outside it, a stock change, or an outflow with a value".into()),
            ),
            Problem::Undetermined { items } => {
                let labels: Vec<String> = items.iter().map(|i| item_label(model, *i)).collect();
                for (n, item) in items.iter().enumerate().take(MAX_UNDETERMINED) {
                    let others: Vec<&str> = labels.iter().enumerate().filter(|(m, _)| *m != n).map(|(_, l)| l.as_str()).take(5).collect();
                    let hint = if others.is_empty() {
                        "give it a value or a share, or give one to a flow it depends on".to_owned()
                    } else {
                        format!("give it or one of the flows free with it a value or a share; free with it: {}{}", others.join(", "), if labels.len() > 6 { ", …" } else { "" })
                    };
                    self.error(
                        &item_place(*item),
                        "",
                        format!("{} is not determined: the values, shares and balances leave it free", labels[n]),
                        Some(hint),
                    );
                }
                if items.len() > MAX_UNDETERMINED {
                    self.error(
                        &Place::under(&["flows"]),
                        "",
                        format!("and {} more values that are not determined", items.len() - MAX_UNDETERMINED),
                        None,
                    );
                }
            }
            Problem::Inconsistent { process, gap, scale } => {
                let unit = model.meta.unit;
                self.error(
                    &process_place(*process),
                    "",
                    format!(
                        "the given values over-determine the balance of process \"{}\", and it does not hold: off by {} {unit} ({:.3} % of throughput)",
                        pid(*process),
                        unit.from_tonnes(*gap),
                        100.0 * gap.abs() / scale.max(f64::MIN_POSITIVE)
                    ),
                    Some("correct a value, leave out one that the balances already determine, or give the conflicting values uncertainties so that circ reconciles them".into()),
                );
            }
            Problem::SharesDisagree { process, material, gap } => {
                let unit = model.meta.unit;
                self.error(
                    &process_place(*process),
                    "",
                    format!(
                        "the shares and given values of the outflows of {} from \"{}\" fix its output, and its balance disagrees by {} {unit}",
                        mid(*material), pid(*process), unit.from_tonnes(*gap)
                    ),
                    Some("give the flows that complete the split without value (one takes the rest), or correct a value or share".into()),
                );
            }
            Problem::NotConverged { iterations, residual } => self.error(
                &Place::under(&["flows"]),
                "",
                format!("the iterative solver did not converge: relative residual {residual:e} after {iterations} iterations"),
                Some("a loop that (almost) never leaks makes the system (nearly) singular: check the shares of processes that send their output back".into()),
            ),
            Problem::TooLargeToReconcile { unknowns, equations } => self.error(
                &Place::under(&["flows"]),
                "",
                format!(
                    "the given values over-determine this network ({unknowns} unknowns, {equations} equations) and disagree, and it is too large to reconcile (at most {} unknowns plus equations)",
                    network::RECONCILE_MAX
                ),
                Some("give fewer values with uncertainties, or correct the values so that the balances hold".into()),
            ),
        }
    }
}

/// A share or a sum of shares as people write it: rounding noise of the sum removed.
fn fraction(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// Undetermined flows reported one by one; more are counted.
const MAX_UNDETERMINED: usize = 20;

/// A flow's or stock change's name in messages.
fn item_label(model: &Model, item: Item) -> String {
    match item {
        Item::Flow(i) => format!("flow {}", model.flow_label(&model.flows()[i as usize])),
        Item::Stock(j) => {
            let s = &model.stock_changes()[j as usize];
            format!(
                "the stock change of \"{}\" ({})",
                model.process(s.process).id,
                model.material(s.material).id
            )
        }
    }
}

struct Names<'n> {
    materials: &'n [(String, Material)],
    processes: &'n [Process],
    sources: &'n BTreeMap<&'n str, SourceId>,
    /// Index of every process and material id, for lookups in O(1).
    process_index: FxMap<&'n str, ProcessId>,
    material_index: FxMap<&'n str, MaterialId>,
}

fn index_u32(i: usize) -> u32 {
    u32::try_from(i).expect("a model has fewer than 2^32 items of each kind")
}

/// A hash map with a fast, non-cryptographic hasher (the rustc "Fx" multiply-rotate hash), for
/// id lookups while validating. Model files are not adversarial inputs to a server, and nothing
/// iterates these maps into output.
type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The Fx hash of rustc (rotate, xor, multiply, one word at a time), with a final mix.
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("chunks of 8")));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// Mixes the high bits down: hashbrown picks buckets with the low bits, which the
    /// multiply alone leaves poorly spread (hence long probe chains on ids like "f12345").
    fn finish(&self) -> u64 {
        let x = self.0 ^ (self.0 >> 32);
        let x = x.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        x ^ (x >> 29)
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}
