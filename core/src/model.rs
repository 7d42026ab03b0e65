//! The validated model: materials, processes with roles, flows and stock changes, in tonnes.
//!
//! A [`Model`] is valid by construction: only [`validate`](crate::validate()) builds one, and the
//! accounts and indicators accept it without re-checking. Ids are `Copy` newtypes that index the
//! model's vectors; front ends see names.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::unit::Unit;

/// One of the four EW-MFA main material categories, or material the data do not split by group.
///
/// The four groups are the roots of every model's material taxonomy (Eurostat EW-MFA main
/// categories MF1–MF4). [`MaterialGroup::Mixed`] is circ's fifth root for flows that the source
/// statistics do not allocate to a group (Ukrainian waste statistics, the secondary-material total
/// of the Circularity Gap Report). Totals include mixed flows; a per-group figure whose line
/// contains a mixed flow is reported as not computable rather than silently missing that mass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MaterialGroup {
    /// MF1 Biomass.
    #[serde(rename = "MF1")]
    Biomass,
    /// MF2 Metal ores (gross ores).
    #[serde(rename = "MF2")]
    MetalOres,
    /// MF3 Non-metallic minerals.
    #[serde(rename = "MF3")]
    NonMetallicMinerals,
    /// MF4 Fossil energy materials/carriers.
    #[serde(rename = "MF4")]
    FossilEnergy,
    /// Not allocated to one of the four groups by the data.
    #[serde(rename = "MIXED")]
    Mixed,
}

impl MaterialGroup {
    /// The four EW-MFA groups, in code order (without [`MaterialGroup::Mixed`]).
    pub const EW_MFA: [MaterialGroup; 4] = [
        MaterialGroup::Biomass,
        MaterialGroup::MetalOres,
        MaterialGroup::NonMetallicMinerals,
        MaterialGroup::FossilEnergy,
    ];
    /// All five roots, in the order of [`MaterialGroup::index`].
    pub const ALL: [MaterialGroup; 5] = [
        MaterialGroup::Biomass,
        MaterialGroup::MetalOres,
        MaterialGroup::NonMetallicMinerals,
        MaterialGroup::FossilEnergy,
        MaterialGroup::Mixed,
    ];

    /// The code used in files: `MF1`…`MF4`, `MIXED`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            MaterialGroup::Biomass => "MF1",
            MaterialGroup::MetalOres => "MF2",
            MaterialGroup::NonMetallicMinerals => "MF3",
            MaterialGroup::FossilEnergy => "MF4",
            MaterialGroup::Mixed => "MIXED",
        }
    }

    /// The lowercase suffix of per-group indicator ids: `mf1`…`mf4`.
    #[must_use]
    pub fn id_suffix(self) -> &'static str {
        match self {
            MaterialGroup::Biomass => "mf1",
            MaterialGroup::MetalOres => "mf2",
            MaterialGroup::NonMetallicMinerals => "mf3",
            MaterialGroup::FossilEnergy => "mf4",
            MaterialGroup::Mixed => "mixed",
        }
    }

    /// The English name, as Eurostat writes it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            MaterialGroup::Biomass => "Biomass",
            MaterialGroup::MetalOres => "Metal ores",
            MaterialGroup::NonMetallicMinerals => "Non-metallic minerals",
            MaterialGroup::FossilEnergy => "Fossil energy materials/carriers",
            MaterialGroup::Mixed => "Mixed, not allocated to a group",
        }
    }

    /// Position in [`MaterialGroup::ALL`].
    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }

    /// The group with this code, if any.
    #[must_use]
    pub fn from_code(code: &str) -> Option<MaterialGroup> {
        MaterialGroup::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// What a process does. Accounts and indicators are derived from roles, so that no flow needs to
/// be named by hand. The table in `docs/model-format.md` lists which accounts each role feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Domestic extraction from nature (EW-MFA DE). A source: no inflows.
    Extraction,
    /// Imports from the rest of the world (EW-MFA IMP). A source: no inflows.
    Import,
    /// Exports to the rest of the world (EW-MFA EXP). A sink: no outflows.
    Export,
    /// Production, manufacturing, processing, construction.
    Production,
    /// Use of products, holding the in-use stock (buildings, vehicles, goods).
    Use,
    /// Preparing for reuse, repair, remanufacturing: returns products to use without reprocessing
    /// their material. Not waste treatment; its outputs are not secondary material.
    Reuse,
    /// Collection of waste.
    Collection,
    /// Sorting and pre-treatment of waste.
    Sorting,
    /// Recycling, recovery operations R2–R11 of the Waste Framework Directive except backfilling.
    Recycling,
    /// Composting and anaerobic digestion (R3): counted as recycling, as Eurostat does.
    Composting,
    /// Backfilling: use of waste in excavated areas or landscaping in place of other material.
    Backfilling,
    /// Energy recovery, R1.
    EnergyRecovery,
    /// Incineration without energy recovery, D10.
    Incineration,
    /// Landfill and other disposal (D1–D7, D12). A sink: no outflows.
    Landfill,
    /// Emissions to air or water. A sink: no outflows.
    Emission,
    /// Dissipative use and losses to nature (fertiliser, abrasion, spreading). A sink: no outflows.
    Dissipation,
}

/// The roles in declaration order, for listing and parsing.
pub const ROLES: [Role; 16] = [
    Role::Extraction,
    Role::Import,
    Role::Export,
    Role::Production,
    Role::Use,
    Role::Reuse,
    Role::Collection,
    Role::Sorting,
    Role::Recycling,
    Role::Composting,
    Role::Backfilling,
    Role::EnergyRecovery,
    Role::Incineration,
    Role::Landfill,
    Role::Emission,
    Role::Dissipation,
];

/// A waste-treatment operation, as Eurostat's env_wastrt groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// Recycling, R2–R11 excluding backfilling (env_wastrt RCV_R); includes composting.
    Recycling,
    /// Backfilling (RCV_B).
    Backfilling,
    /// Energy recovery, R1 (RCV_E).
    EnergyRecovery,
    /// Incineration without energy recovery, D10 (DSP_I).
    Incineration,
    /// Landfill and other disposal, D1–D7, D12 (DSP_L and DSP_OTH).
    Landfill,
}

impl Treatment {
    /// All operations, in the order Eurostat lists them.
    pub const ALL: [Treatment; 5] = [
        Treatment::Recycling,
        Treatment::Backfilling,
        Treatment::EnergyRecovery,
        Treatment::Incineration,
        Treatment::Landfill,
    ];

    /// The id fragment: `recycling`, `backfilling`, `energy_recovery`, `incineration`, `landfill`.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Treatment::Recycling => "recycling",
            Treatment::Backfilling => "backfilling",
            Treatment::EnergyRecovery => "energy_recovery",
            Treatment::Incineration => "incineration",
            Treatment::Landfill => "landfill",
        }
    }

    /// The name with its operation codes.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Treatment::Recycling => "recycling (R2–R11)",
            Treatment::Backfilling => "backfilling",
            Treatment::EnergyRecovery => "energy recovery (R1)",
            Treatment::Incineration => "incineration (D10)",
            Treatment::Landfill => "landfill and other disposal",
        }
    }
}

impl Role {
    /// The name used in files: `energy_recovery`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Extraction => "extraction",
            Role::Import => "import",
            Role::Export => "export",
            Role::Production => "production",
            Role::Use => "use",
            Role::Reuse => "reuse",
            Role::Collection => "collection",
            Role::Sorting => "sorting",
            Role::Recycling => "recycling",
            Role::Composting => "composting",
            Role::Backfilling => "backfilling",
            Role::EnergyRecovery => "energy_recovery",
            Role::Incineration => "incineration",
            Role::Landfill => "landfill",
            Role::Emission => "emission",
            Role::Dissipation => "dissipation",
        }
    }

    /// The role with this file name, if any. `stock` is accepted for [`Role::Use`].
    #[must_use]
    pub fn parse(name: &str) -> Option<Role> {
        if name == "stock" {
            return Some(Role::Use);
        }
        ROLES.into_iter().find(|r| r.as_str() == name)
    }

    /// Sources bring material into the system and take none in.
    #[must_use]
    pub fn is_source(self) -> bool {
        matches!(self, Role::Extraction | Role::Import)
    }

    /// Sinks take material out of the system and give none back.
    #[must_use]
    pub fn is_sink(self) -> bool {
        matches!(
            self,
            Role::Export | Role::Landfill | Role::Emission | Role::Dissipation
        )
    }

    /// Processes of the economy proper: what they send to waste management is waste generated.
    #[must_use]
    pub fn is_economy(self) -> bool {
        matches!(self, Role::Production | Role::Use | Role::Reuse)
    }

    /// Waste management: collection, sorting and every treatment.
    #[must_use]
    pub fn is_waste_management(self) -> bool {
        matches!(self, Role::Collection | Role::Sorting) || self.treatment().is_some()
    }

    /// Roles whose outputs back into the economy are secondary materials.
    #[must_use]
    pub fn yields_secondary_material(self) -> bool {
        matches!(self, Role::Recycling | Role::Composting)
    }

    /// Treatments that end a material's economic life. Such a process may have no outflows; its
    /// input then leaves the system (as emissions, ash or fill) and it is not balance-checked.
    #[must_use]
    pub fn may_be_terminal(self) -> bool {
        matches!(
            self,
            Role::Backfilling | Role::EnergyRecovery | Role::Incineration
        )
    }

    /// The treatment operation this role performs, if it treats waste.
    #[must_use]
    pub fn treatment(self) -> Option<Treatment> {
        match self {
            Role::Recycling | Role::Composting => Some(Treatment::Recycling),
            Role::Backfilling => Some(Treatment::Backfilling),
            Role::EnergyRecovery => Some(Treatment::EnergyRecovery),
            Role::Incineration => Some(Treatment::Incineration),
            Role::Landfill => Some(Treatment::Landfill),
            _ => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The spatial or organisational extent of a model.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The world economy: a closed system, so imports and exports are zero by definition.
    Global,
    /// A national economy (the default).
    #[default]
    National,
    /// A region inside a country.
    Regional,
    /// An economic sector or industry.
    Sector,
    /// An industrial cluster.
    Cluster,
    /// A company.
    Company,
    /// A single project.
    Project,
}

/// Index of a [`Process`] in its [`Model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcessId(pub u32);

/// Index of a [`Material`] in its [`Model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MaterialId(pub u32);

/// Index of a [`Flow`] in its [`Model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlowId(pub u32);

/// Index of a [`Source`] in its model's [`Meta`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub u32);

/// A published source of numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Short id, referenced by flows.
    pub id: String,
    /// Title, with author and year.
    pub title: String,
    /// Where it can be read.
    pub url: Option<String>,
    /// The table or section the numbers come from.
    pub table: Option<String>,
    /// Release date or vintage, as the publisher gives it.
    pub release: Option<String>,
    /// Licence of the data.
    pub licence: Option<String>,
    /// How the numbers were taken or derived.
    pub note: Option<String>,
}

/// What a model describes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Name of the model.
    pub name: String,
    /// Region covered: a country, region or "World".
    pub region: Option<String>,
    /// Reference year.
    pub year: Option<i32>,
    /// Display unit: results are printed in it, and values in the file without a unit are in it.
    pub unit: Unit,
    /// Extent of the model; [`Scope::Global`] makes trade zero by definition.
    pub scope: Scope,
    /// Free text.
    pub description: Option<String>,
    /// Sources of the numbers.
    pub sources: Vec<Source>,
    /// Relative tolerance of process balances (a fraction of the larger side).
    pub balance_tolerance: f64,
}

/// A material: one of the group roots, or a user material below a root or another material.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Material {
    /// Id used in files: `MF3` or `concrete`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Parent material; `None` for the five roots.
    #[serde(skip)]
    pub parent: Option<MaterialId>,
    /// The root group the material belongs to.
    pub group: MaterialGroup,
}

/// A process: a node of the material-flow network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Process {
    /// Id used in files.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the process does.
    pub role: Role,
    /// Whether its mass balance is checked: `false` for accounts-level nodes whose inputs or
    /// outputs the data do not fully give.
    pub balanced: bool,
}

/// The uncertainty of a value, in tonnes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "dist", rename_all = "snake_case")]
pub enum Uncertainty {
    /// Normal with standard deviation `sd`.
    Normal {
        /// Standard deviation, t.
        sd: f64,
    },
    /// Lognormal with the value as its mean and standard deviation `sd` (of the variable itself).
    Lognormal {
        /// Standard deviation, t.
        sd: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound, t.
        min: f64,
        /// Upper bound, t.
        max: f64,
    },
    /// Triangular on `[min, max]` with mode `mode`.
    Triangular {
        /// Lower bound, t.
        min: f64,
        /// Most likely value, t.
        mode: f64,
        /// Upper bound, t.
        max: f64,
    },
}

/// How the value of a flow or stock change was found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    /// Given in the file as a value.
    Given,
    /// Given as a value with an uncertainty, then adjusted by data reconciliation so that the
    /// balances hold (see [`crate::network`]).
    Reconciled,
    /// Solved from a transfer coefficient: for a flow, the share of its origin's output of its
    /// material; for a stock change, the share of its process's inflows of its material.
    Share {
        /// The share, a fraction in [0, 1].
        share: f64,
    },
    /// Solved from the balances: the file gives neither value nor share.
    Balance,
}

impl Basis {
    /// Whether the file gave the value itself (possibly reconciled since).
    #[must_use]
    pub fn is_given(self) -> bool {
        matches!(self, Basis::Given | Basis::Reconciled)
    }

    /// A word for tables: `given`, `reconciled`, `share`, `balance`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Given => "given",
            Basis::Reconciled => "reconciled",
            Basis::Share { .. } => "share",
            Basis::Balance => "balance",
        }
    }
}

/// Where a flow's id lies in its model's text of ids ([`Model::flow_id`]): one string for all
/// ids, rather than an allocation per flow, which made up a fifth of validating 100,000 flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdSpan {
    start: u32,
    len: u32,
}

/// A flow of one material from one process to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Optional id, for scenarios and messages: see [`Model::flow_id`].
    pub id: Option<IdSpan>,
    /// Origin process.
    pub from: ProcessId,
    /// Destination process.
    pub to: ProcessId,
    /// Material carried.
    pub material: MaterialId,
    /// Mass in t per year: given, or solved (see `basis`).
    pub value: f64,
    /// How `value` was found.
    pub basis: Basis,
    /// Uncertainty of the given value, in t; for a flow given by a share, of the share (as a
    /// fraction).
    pub uncertainty: Option<Uncertainty>,
    /// Where the value comes from.
    pub source: Option<SourceId>,
}

/// A net addition to (or, when negative, removal from) the stock of a process.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StockChange {
    /// The process holding the stock.
    #[serde(skip)]
    pub process: ProcessId,
    /// Material of the stock.
    #[serde(skip)]
    pub material: MaterialId,
    /// Net addition in t per year; negative for a net removal. Given, or solved (see `basis`).
    pub value: f64,
    /// How `value` was found.
    #[serde(skip)]
    pub basis: Basis,
    /// Uncertainty of the given value, in t; for a stock change given by a share, of the share.
    pub uncertainty: Option<Uncertainty>,
    /// Where the value comes from.
    #[serde(skip)]
    pub source: Option<SourceId>,
}

/// A number with its source: GDP or population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// The value.
    pub value: f64,
    /// Unit of the value: a currency code for GDP, `persons` for population.
    pub unit: String,
    /// Where the value comes from.
    #[serde(skip)]
    pub source: Option<SourceId>,
}

/// Economic context, for per-capita and productivity indicators.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Economy {
    /// Gross domestic product in the currency named by its unit, for the model's year.
    pub gdp: Option<Figure>,
    /// Population, persons (annual average or 1 January, as the source says).
    pub population: Option<Figure>,
}

/// A valid material-flow model. Built only by [`validate`](crate::validate()).
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub(crate) meta: Meta,
    pub(crate) materials: Vec<Material>,
    pub(crate) processes: Vec<Process>,
    pub(crate) flows: Vec<Flow>,
    /// The ids of all flows, one after the other; [`Flow::id`] spans index it.
    pub(crate) flow_ids: String,
    pub(crate) stock_changes: Vec<StockChange>,
    pub(crate) economy: Economy,
    /// Dynamic stocks and yearly shares, when the model has a `[dynamics]` section.
    pub(crate) dynamics: Option<crate::dynamics::Dynamics>,
}

impl Model {
    /// What the model describes.
    #[must_use]
    pub fn meta(&self) -> &Meta {
        &self.meta
    }
    /// Materials, the five roots first.
    #[must_use]
    pub fn materials(&self) -> &[Material] {
        &self.materials
    }
    /// Processes, in file order.
    #[must_use]
    pub fn processes(&self) -> &[Process] {
        &self.processes
    }
    /// Flows, in file order (tables after the main file).
    #[must_use]
    pub fn flows(&self) -> &[Flow] {
        &self.flows
    }
    /// Stock changes, in file order.
    #[must_use]
    pub fn stock_changes(&self) -> &[StockChange] {
        &self.stock_changes
    }
    /// GDP and population, when given.
    #[must_use]
    pub fn economy(&self) -> &Economy {
        &self.economy
    }
    /// Dynamic stocks and yearly shares, when given.
    #[must_use]
    pub fn dynamics(&self) -> Option<&crate::dynamics::Dynamics> {
        self.dynamics.as_ref()
    }
    /// The process with this id.
    #[must_use]
    pub fn process(&self, id: ProcessId) -> &Process {
        &self.processes[id.0 as usize]
    }
    /// The material with this id.
    #[must_use]
    pub fn material(&self, id: MaterialId) -> &Material {
        &self.materials[id.0 as usize]
    }
    /// The source with this id.
    #[must_use]
    pub fn source(&self, id: SourceId) -> &Source {
        &self.meta.sources[id.0 as usize]
    }
    /// The id of a flow, if it has one.
    #[must_use]
    pub fn flow_id(&self, flow: &Flow) -> Option<&str> {
        let span = flow.id?;
        self.flow_ids
            .get(span.start as usize..(span.start + span.len) as usize)
    }

    /// Sets the values of every flow, then every stock change (t), as a scenario re-balanced
    /// them.
    pub(crate) fn set_values(&mut self, items: &[f64]) {
        let n = self.flows.len();
        for (f, v) in self.flows.iter_mut().zip(items) {
            f.value = *v;
        }
        for (s, v) in self.stock_changes.iter_mut().zip(&items[n..]) {
            s.value = *v;
        }
    }

    /// Gives the model another name (a scenario's model, in reports).
    pub fn rename(&mut self, name: String) {
        self.meta.name = name;
    }

    /// A readable name of a flow: its id, or `from → to (material)`.
    #[must_use]
    pub fn flow_label(&self, flow: &Flow) -> String {
        match self.flow_id(flow) {
            Some(id) => id.to_owned(),
            None => format!(
                "{} → {} ({})",
                self.process(flow.from).id,
                self.process(flow.to).id,
                self.material(flow.material).id
            ),
        }
    }
}

impl Uncertainty {
    /// The variance, in t² (or in share² for a share).
    #[must_use]
    pub fn variance(&self) -> f64 {
        match *self {
            Uncertainty::Normal { sd } | Uncertainty::Lognormal { sd } => sd * sd,
            Uncertainty::Uniform { min, max } => (max - min) * (max - min) / 12.0,
            Uncertainty::Triangular { min, mode, max } => {
                (min * min + mode * mode + max * max - min * mode - min * max - mode * max) / 18.0
            }
        }
    }
}

impl IdSpan {
    /// Appends `id` to `text` and returns where it lies.
    pub(crate) fn push(text: &mut String, id: &str) -> IdSpan {
        let start = u32::try_from(text.len()).expect("flow ids total less than 4 GiB");
        text.push_str(id);
        IdSpan {
            start,
            len: u32::try_from(id.len()).expect("a flow id is shorter than 4 GiB"),
        }
    }
}
