//! From the file types of [`format`](super::format) to a valid [`Product`] or [`Company`]: every
//! check, every problem reported at once, each with its file, key path or CSV cell, line and a
//! hint.

use std::collections::{BTreeMap, BTreeSet};

use super::format::{
    MaterialTable, ProductFormat, RawCompanyFile, RawEnergy, RawMaterial, RawMethod,
    RawProductFile, parse_company, parse_material_table, parse_product,
};
use super::mci::{SHARE_TOLERANCE, energy_recovery_qualifies};
use super::{
    BusinessUnit, Checked, Company, Energy, Material, Method, Product, Utility, Weighting,
};
use crate::diagnostic::{Diagnostic, Location, PathSegment, Severity, did_you_mean, has_errors};
use crate::format::{Format, SourceText, locate};

/// The mass units a file may name. Only ratios are computed, so the unit is a label; the list
/// catches typos.
const MASS_UNITS: [&str; 3] = ["g", "kg", "t"];

/// Reads and validates a product file (TOML, JSON, or a CSV table of its materials alone),
/// reading the material tables it names through `read`.
///
/// # Errors
/// Every problem, when there is at least one error.
pub fn load_product(
    src: SourceText<'_>,
    format: ProductFormat,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Checked<Product>, Vec<Diagnostic>> {
    let Some(doc_format) = format.document() else {
        return load_csv_product(src);
    };
    let raw = parse_product(src, doc_format)?;
    let mut c = Checker::new(src.name);
    let product = c.product_file(&raw, read);
    c.finish(product, src, doc_format)
}

/// Validates a product document that is already in memory (the calculator's): the checks of
/// [`load_product`] without the text, so problems carry their key paths but no lines. `name`
/// names the document in messages.
///
/// # Errors
/// Every problem, when there is at least one error.
pub fn check_product(
    raw: &RawProductFile,
    name: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Checked<Product>, Vec<Diagnostic>> {
    let mut c = Checker::new(name);
    let product = c.product_file(raw, read);
    c.done(product)
}

/// Reads and validates a company file (TOML or JSON), reading the material tables its products
/// name through `read`.
///
/// # Errors
/// Every problem, when there is at least one error.
pub fn load_company(
    src: SourceText<'_>,
    format: Format,
    read: &dyn Fn(&str) -> Result<String, String>,
) -> Result<Checked<Company>, Vec<Diagnostic>> {
    let raw = parse_company(src, format)?;
    let mut c = Checker::new(src.name);
    let company = c.company(&raw, read);
    c.finish(company, src, format)
}

/// A product of the material rows of one CSV table: named after the file, of average utility,
/// by the 2019 method, masses in kg.
fn load_csv_product(src: SourceText<'_>) -> Result<Checked<Product>, Vec<Diagnostic>> {
    let (table, diags) = parse_material_table(src);
    let mut c = Checker::new(src.name);
    c.diags = diags;
    let materials = c.materials(&[], &[key("materials")], &[table], Method::Emf2019);
    if materials.is_empty() && !has_errors(&c.diags) {
        c.error(
            Location::at(src.name, Vec::new()),
            "the table has no material rows",
            "add one row per material, under a header such as id,mass,recycled,recycling,recycling_efficiency",
        );
    }
    let had_errors = has_errors(&c.diags);
    let stem = src.name.rsplit(['/', '\\']).next().unwrap_or(src.name);
    let name = stem.rsplit_once('.').map_or(stem, |(s, _)| s).to_owned();
    let product = Product {
        id: "product".to_owned(),
        name,
        description: None,
        year: None,
        method: Method::Emf2019,
        mass_unit: "kg".to_owned(),
        utility: Utility {
            lifetime: None,
            uses: None,
        },
        materials,
        energy: None,
        units: 1.0,
        revenue: None,
        business_unit: None,
    };
    if !had_errors {
        c.check_mass(&product, &[]);
    }
    if has_errors(&c.diags) {
        Err(c.diags)
    } else {
        Ok(Checked {
            value: product,
            warnings: c.diags,
        })
    }
}

fn key(k: &str) -> PathSegment {
    PathSegment::Key(k.to_owned())
}

fn path(base: &[PathSegment], field: &str) -> Vec<PathSegment> {
    let mut p = base.to_vec();
    p.push(key(field));
    p
}

/// Where a material row was written.
#[derive(Clone, Copy)]
enum Place<'a> {
    /// In the main document, at this key path.
    Doc(&'a [PathSegment]),
    /// In a CSV table, at this line.
    Row(&'a MaterialTable, u32),
}

struct Checker<'a> {
    origin: &'a str,
    diags: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn new(origin: &'a str) -> Checker<'a> {
        Checker {
            origin,
            diags: Vec::new(),
        }
    }

    fn at(&self, path: Vec<PathSegment>) -> Location {
        Location::at(self.origin, path)
    }

    fn error(&mut self, loc: Location, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(loc, message).with_hint(hint));
    }

    fn warn(&mut self, loc: Location, message: impl Into<String>, hint: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(loc, message).with_hint(hint));
    }

    /// The value, or every problem with lines filled in.
    fn finish<T>(
        mut self,
        value: T,
        src: SourceText<'_>,
        format: Format,
    ) -> Result<Checked<T>, Vec<Diagnostic>> {
        locate(&mut self.diags, src.name, src.text, format);
        self.done(value)
    }

    /// The value, or every problem when there is an error.
    fn done<T>(self, value: T) -> Result<Checked<T>, Vec<Diagnostic>> {
        if has_errors(&self.diags) {
            Err(self.diags)
        } else {
            Ok(Checked {
                value,
                warnings: self.diags,
            })
        }
    }

    fn read_tables(
        &mut self,
        names: &[String],
        at: &[PathSegment],
        read: &dyn Fn(&str) -> Result<String, String>,
    ) -> Vec<MaterialTable> {
        let mut tables = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let mut p = at.to_vec();
            p.push(PathSegment::Index(i));
            match read(name) {
                Ok(text) => {
                    let (table, mut d) = parse_material_table(SourceText { name, text: &text });
                    self.diags.append(&mut d);
                    tables.push(table);
                }
                Err(why) => self.error(
                    self.at(p),
                    format!("cannot read material table \"{name}\": {why}"),
                    "paths of material tables are relative to the file that names them",
                ),
            }
        }
        tables
    }

    fn product_file(
        &mut self,
        raw: &RawProductFile,
        read: &dyn Fn(&str) -> Result<String, String>,
    ) -> Product {
        let info = &raw.product;
        let base = [key("product")];
        self.non_empty(&info.name, path(&base, "name"), "the product");
        if let Some(id) = &info.id {
            self.non_empty(id, path(&base, "id"), "the product");
        }
        let method = self.method(info.method.as_ref(), &base);
        let mass_unit = self.mass_unit(info.mass_unit.as_deref(), &base);
        let utility = self.utility(
            [
                info.lifetime,
                info.average_lifetime,
                info.uses,
                info.average_uses,
            ],
            &base,
        );
        let before = self.errors();
        let tables = self.read_tables(
            &info.material_tables,
            &[key("product"), key("material_tables")],
            read,
        );
        let materials = self.materials(&raw.materials, &[key("materials")], &tables, method);
        let clean = self.errors() == before;
        let energy = raw
            .energy
            .as_ref()
            .and_then(|e| self.energy(e, &[key("energy")]));
        let product = Product {
            id: info.id.clone().unwrap_or_else(|| "product".to_owned()),
            name: info.name.clone(),
            description: info.description.clone(),
            year: info.year,
            method,
            mass_unit,
            utility,
            materials,
            energy,
            units: 1.0,
            revenue: None,
            business_unit: None,
        };
        if clean {
            self.check_mass(&product, &[]);
        }
        product
    }

    fn company(
        &mut self,
        raw: &RawCompanyFile,
        read: &dyn Fn(&str) -> Result<String, String>,
    ) -> Company {
        let info = &raw.company;
        let base = [key("company")];
        self.non_empty(&info.name, path(&base, "name"), "the company");
        let method = self.method(info.method.as_ref(), &base);
        let mass_unit = self.mass_unit(info.mass_unit.as_deref(), &base);
        let weighting = match info.weighting.as_deref() {
            None | Some("mass") => Weighting::Mass,
            Some("revenue") => Weighting::Revenue,
            Some(other) => {
                self.error(
                    self.at(path(&base, "weighting")),
                    format!("unknown weighting \"{other}\""),
                    "write weighting = \"mass\" (product mass × units per year) or \"revenue\"",
                );
                Weighting::Mass
            }
        };
        let energy = raw
            .energy
            .as_ref()
            .and_then(|e| self.energy(e, &[key("energy")]));
        let mut units = Vec::new();
        let mut unit_index: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, bu) in raw.business_units.iter().enumerate() {
            let base = [key("business_units"), PathSegment::Index(i)];
            self.non_empty(&bu.id, path(&base, "id"), "a business unit");
            if unit_index.insert(bu.id.as_str(), i).is_some() {
                self.error(
                    self.at(path(&base, "id")),
                    format!("business unit \"{}\" appears twice", bu.id),
                    "give each business unit its own id",
                );
            }
            units.push(BusinessUnit {
                id: bu.id.clone(),
                name: bu.name.clone().unwrap_or_else(|| bu.id.clone()),
                energy: bu
                    .energy
                    .as_ref()
                    .and_then(|e| self.energy(e, &path(&base, "energy"))),
            });
        }
        if raw.products.is_empty() {
            self.error(
                self.at(vec![key("products")]),
                "the company has no products",
                "add a [[products]] table for each product line, with its units per year and materials",
            );
        }
        let mut ids = BTreeMap::new();
        let mut products = Vec::new();
        for (i, p) in raw.products.iter().enumerate() {
            let base = [key("products"), PathSegment::Index(i)];
            self.non_empty(&p.id, path(&base, "id"), "a product");
            if ids.insert(p.id.as_str(), i).is_some() {
                self.error(
                    self.at(path(&base, "id")),
                    format!("product \"{}\" appears twice", p.id),
                    "give each product line its own id",
                );
            }
            let business_unit = p.business_unit.as_deref().and_then(|b| {
                let found = unit_index.get(b).copied();
                if found.is_none() {
                    let hint = match did_you_mean(b, unit_index.keys().copied()) {
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None if unit_index.is_empty() => {
                            "declare it in a [[business_units]] table".to_owned()
                        }
                        None => format!(
                            "the business units are: {}",
                            unit_index.keys().copied().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    self.error(
                        self.at(path(&base, "business_unit")),
                        format!("unknown business unit \"{b}\""),
                        hint,
                    );
                }
                found
            });
            if !(p.units.is_finite() && p.units >= 0.0) {
                self.error(
                    self.at(path(&base, "units")),
                    format!("units must be a number of at least 0, not {}", p.units),
                    "give the units of this product sold (or made) in the year",
                );
            }
            let revenue = match p.revenue {
                Some(r) if !(r.is_finite() && r >= 0.0) => {
                    self.error(
                        self.at(path(&base, "revenue")),
                        format!("revenue must be a number of at least 0, not {r}"),
                        "give the product line's revenue in the year, in the company's currency",
                    );
                    None
                }
                Some(r) => Some(r),
                None => {
                    if weighting == Weighting::Revenue {
                        self.error(
                            self.at(base.to_vec()),
                            format!("product \"{}\" has no revenue, which weighting = \"revenue\" needs", p.id),
                            "give its revenue in the year, or set weighting = \"mass\" in [company]",
                        );
                    }
                    None
                }
            };
            let utility = self.utility(
                [p.lifetime, p.average_lifetime, p.uses, p.average_uses],
                &base,
            );
            let before = self.errors();
            let tables =
                self.read_tables(&p.material_tables, &path(&base, "material_tables"), read);
            let materials =
                self.materials(&p.materials, &path(&base, "materials"), &tables, method);
            let clean = self.errors() == before;
            let product = Product {
                id: p.id.clone(),
                name: p.name.clone().unwrap_or_else(|| p.id.clone()),
                description: None,
                year: info.year,
                method,
                mass_unit: mass_unit.clone(),
                utility,
                materials,
                energy: p
                    .energy
                    .as_ref()
                    .and_then(|e| self.energy(e, &path(&base, "energy"))),
                units: p.units,
                revenue,
                business_unit,
            };
            if clean {
                self.check_mass(&product, &base);
            }
            products.push(product);
        }
        Company {
            name: info.name.clone(),
            description: info.description.clone(),
            year: info.year,
            method,
            mass_unit,
            weighting,
            currency: info.currency.clone(),
            energy,
            business_units: units,
            products,
        }
    }

    fn non_empty(&mut self, text: &str, at: Vec<PathSegment>, what: &str) {
        if text.trim().is_empty() {
            self.error(
                self.at(at),
                "this is empty",
                format!("give {what} a name or id people will recognise"),
            );
        }
    }

    fn method(&mut self, raw: Option<&RawMethod>, base: &[PathSegment]) -> Method {
        let year = match raw {
            None => return Method::Emf2019,
            Some(RawMethod::Year(y)) => y.to_string(),
            Some(RawMethod::Text(t)) => t.trim().to_owned(),
        };
        match year.as_str() {
            "2015" => Method::Emf2015,
            "2019" => Method::Emf2019,
            _ => {
                self.error(
                    self.at(path(base, "method")),
                    format!("unknown MCI method \"{year}\""),
                    "write method = \"2019\" (the current EMF methodology, default) or \"2015\"",
                );
                Method::Emf2019
            }
        }
    }

    fn mass_unit(&mut self, raw: Option<&str>, base: &[PathSegment]) -> String {
        let unit = raw.unwrap_or("kg");
        if !MASS_UNITS.contains(&unit) {
            self.error(
                self.at(path(base, "mass_unit")),
                format!("unknown mass unit \"{unit}\""),
                "write g, kg or t",
            );
        }
        unit.to_owned()
    }

    /// The utility from [L, L_av, U, U_av] as written under `base`.
    fn utility(&mut self, raw: [Option<f64>; 4], base: &[PathSegment]) -> Utility {
        const NAMES: [&str; 4] = ["lifetime", "average_lifetime", "uses", "average_uses"];
        let mut pair = |i: usize| -> Option<(f64, f64)> {
            let (a, b) = (raw[i], raw[i + 1]);
            for (k, v) in [(i, a), (i + 1, b)] {
                if let Some(v) = v
                    && !(v.is_finite() && v > 0.0)
                {
                    self.error(
                        self.at(path(base, NAMES[k])),
                        format!("{} must be a positive number, not {v}", NAMES[k]),
                        "utility ratios compare positive lifetimes or numbers of uses",
                    );
                    return None;
                }
            }
            match (a, b) {
                (Some(a), Some(b)) => Some((a, b)),
                (None, None) => None,
                (Some(_), None) | (None, Some(_)) => {
                    let (given, missing) = if a.is_some() {
                        (NAMES[i], NAMES[i + 1])
                    } else {
                        (NAMES[i + 1], NAMES[i])
                    };
                    self.error(
                        self.at(path(base, given)),
                        format!("{given} is given without {missing}"),
                        format!("the MCI's utility compares the two: give {missing} too, or neither (the industry average is then assumed)"),
                    );
                    None
                }
            }
        };
        let lifetime = pair(0);
        let uses = pair(2);
        Utility { lifetime, uses }
    }

    fn energy(&mut self, raw: &RawEnergy, base: &[PathSegment]) -> Option<Energy> {
        let before = self.diags.len();
        if !(raw.total.is_finite() && raw.total > 0.0) {
            self.error(
                self.at(path(base, "total")),
                format!("total energy must be a positive number, not {}", raw.total),
                "give the energy consumed in the year; leave [energy] out if it is not known",
            );
        } else if !(raw.renewable.is_finite()
            && raw.renewable >= 0.0
            && raw.renewable <= raw.total * (1.0 + SHARE_TOLERANCE))
        {
            self.error(
                self.at(path(base, "renewable")),
                format!(
                    "renewable energy must lie between 0 and the total ({}), not {}",
                    raw.total, raw.renewable
                ),
                "renewable is the part of total that comes from renewable sources, in the same unit",
            );
        }
        (self.diags.len() == before).then(|| Energy {
            unit: raw.unit.clone().unwrap_or_else(|| "MWh".to_owned()),
            total: raw.total,
            renewable: raw.renewable.min(raw.total),
        })
    }

    /// Every material: the inline rows under `base`, then the rows of the tables.
    fn materials(
        &mut self,
        inline: &[RawMaterial],
        base: &[PathSegment],
        tables: &[MaterialTable],
        method: Method,
    ) -> Vec<Material> {
        let mut out = Vec::new();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let paths: Vec<Vec<PathSegment>> = (0..inline.len())
            .map(|i| {
                let mut p = base.to_vec();
                p.push(PathSegment::Index(i));
                p
            })
            .collect();
        let rows = inline
            .iter()
            .zip(&paths)
            .map(|(m, p)| (m, Place::Doc(p)))
            .chain(tables.iter().flat_map(|t| {
                t.rows
                    .iter()
                    .map(move |(line, m)| (m, Place::Row(t, *line)))
            }));
        for (raw, place) in rows {
            if !seen.insert(raw.id.as_str()) {
                self.error(
                    self.loc(place, "id"),
                    format!("material \"{}\" appears twice in this product", raw.id),
                    "give each material or component its own id",
                );
            }
            if let Some(m) = self.material(raw, place, method) {
                out.push(m);
            }
        }
        out
    }

    fn loc(&self, place: Place<'_>, field: &str) -> Location {
        match place {
            Place::Doc(p) => self.at(path(p, field)),
            Place::Row(table, line) => {
                let mut loc = Location::at(&table.name, vec![key(field)]);
                loc.line = Some(line);
                loc.column = table
                    .headers
                    .iter()
                    .position(|h| h == field)
                    .and_then(|i| u32::try_from(i + 1).ok());
                loc
            }
        }
    }

    fn material(
        &mut self,
        raw: &RawMaterial,
        place: Place<'_>,
        method: Method,
    ) -> Option<Material> {
        let before = self.errors();
        if raw.id.trim().is_empty() {
            self.error(
                self.loc(place, "id"),
                "this is empty",
                "give the material an id",
            );
        }
        if !(raw.mass.is_finite() && raw.mass >= 0.0) {
            self.error(
                self.loc(place, "mass"),
                format!("mass must be a number of at least 0, not {}", raw.mass),
                "give the mass of this material in one unit of product",
            );
        }
        let mut share = |field: &str, v: Option<f64>| -> f64 {
            match v {
                None => 0.0,
                Some(x) if x.is_finite() && (0.0..=1.0).contains(&x) => x,
                Some(x) => {
                    let hint = if x > 1.0 && x <= 100.0 {
                        format!("shares are fractions: write {} for {x} %", x / 100.0)
                    } else {
                        "shares are fractions between 0 and 1".to_owned()
                    };
                    self.error(
                        self.loc(place, field),
                        format!("{field} must lie between 0 and 1, not {x}"),
                        hint,
                    );
                    0.0
                }
            }
        };
        let recycled = share("recycled", raw.recycled);
        let reused = share("reused", raw.reused);
        let sustained = share("sustained", raw.sustained);
        let recycling = share("recycling", raw.recycling);
        let reuse = share("reuse", raw.reuse);
        let composting = share("composting", raw.composting);
        let energy_recovery = share("energy_recovery", raw.energy_recovery);
        let potential = raw
            .recovery_potential
            .map(|p| share("recovery_potential", Some(p)));
        let feedstock_efficiency = raw
            .feedstock_efficiency
            .map(|e| share("feedstock_efficiency", Some(e)));
        let recycling_efficiency = raw
            .recycling_efficiency
            .map(|e| share("recycling_efficiency", Some(e)));
        let biological = raw.biological.unwrap_or(false);
        let id = &raw.id;

        let feedstock = recycled + reused + sustained;
        if feedstock > 1.0 + SHARE_TOLERANCE {
            self.error(
                self.loc(place, "recycled"),
                format!("the feedstock shares recycled + reused + sustained of \"{id}\" add up to {feedstock}, more than 1"),
                "each share is a fraction of the same feedstock; the rest is virgin",
            );
        }
        let end = recycling + reuse + composting + energy_recovery;
        if end > 1.0 + SHARE_TOLERANCE {
            self.error(
                self.loc(place, "recycling"),
                format!("the end-of-use shares recycling + reuse + composting + energy_recovery of \"{id}\" add up to {end}, more than 1"),
                "each share is a fraction of the same mass at end of use; the rest is landfilled or lost",
            );
        }
        if !biological {
            for (field, v) in [("sustained", sustained), ("composting", composting)] {
                if v > 0.0 {
                    self.error(
                        self.loc(place, field),
                        format!("\"{id}\" is not biological, so it cannot be {}", if field == "sustained" { "from sustained production" } else { "composted" }),
                        "set biological = true if it is bio-based and biodegradable; otherwise set this to 0",
                    );
                }
            }
        }
        if recycled > 0.0 {
            match feedstock_efficiency {
                None => self.error(
                    self.loc(place, "feedstock_efficiency"),
                    format!("\"{id}\" has recycled feedstock but no feedstock_efficiency (E_F)"),
                    "give the efficiency of the recycling process that made the recycled feedstock, a fraction in (0, 1]; 1 if nothing is lost",
                ),
                Some(e) if e <= 0.0 => self.error(
                    self.loc(place, "feedstock_efficiency"),
                    format!("\"{id}\" has recycled feedstock made with efficiency 0, which yields none"),
                    "a recycling process of efficiency 0 makes no recycled feedstock: give its real efficiency (above 0), or set recycled = 0",
                ),
                Some(_) => {}
            }
        }
        if recycling > 0.0 && recycling_efficiency.is_none() {
            self.error(
                self.loc(place, "recycling_efficiency"),
                format!("\"{id}\" is collected for recycling but has no recycling_efficiency (E_C)"),
                "give the efficiency of the recycling process at end of use, a fraction in [0, 1]; 1 if nothing is lost",
            );
        }
        if self.errors() > before {
            return None;
        }
        let material = Material {
            id: raw.id.clone(),
            name: raw.name.clone().unwrap_or_else(|| raw.id.clone()),
            mass: raw.mass,
            biological,
            recycled,
            reused,
            sustained,
            feedstock_efficiency,
            recycling,
            reuse,
            composting,
            energy_recovery,
            recycling_efficiency,
            recovery_potential: potential,
        };
        match method {
            Method::Emf2015 => {
                for (field, v, counts) in [
                    ("sustained", sustained, "virgin feedstock"),
                    ("composting", composting, "unrecoverable waste"),
                    ("energy_recovery", energy_recovery, "unrecoverable waste"),
                ] {
                    if v > 0.0 {
                        self.warn(
                            self.loc(place, field),
                            format!(
                                "the 2015 method has no {field}: it counts as {counts} in the MCI"
                            ),
                            "set method = \"2019\" to credit it",
                        );
                    }
                }
            }
            Method::Emf2019 => {
                if energy_recovery > 0.0 && !energy_recovery_qualifies(&material, method) {
                    self.warn(
                        self.loc(place, "energy_recovery"),
                        format!("energy recovery of \"{id}\" is not credited: it counts as unrecoverable waste (W_0)"),
                        "the 2019 method credits energy recovery (C_E) only for biological material whose virgin feedstock is all from sustained production",
                    );
                }
            }
        }
        Some(material)
    }

    /// A product needs materials, and mass. Called only when its material rows had no errors,
    /// which would explain an empty list.
    fn check_mass(&mut self, product: &Product, base: &[PathSegment]) {
        if product.materials.is_empty() {
            self.error(
                self.at(path(base, "materials")),
                format!("\"{}\" has no materials", product.name),
                "add a [[materials]] row for each material or component, or name CSV files in material_tables",
            );
        } else if product.mass() <= 0.0 {
            self.error(
                self.at(path(base, "materials")),
                format!("the materials of \"{}\" have no mass", product.name),
                "give each material its mass in one unit of product",
            );
        }
    }

    fn errors(&self) -> usize {
        self.diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Checked<Product>, Vec<Diagnostic>> {
        load_product(
            SourceText {
                name: "p.toml",
                text,
            },
            ProductFormat::Toml,
            &|name| match name {
                "bom.csv" => Ok("id,mass,recycled,feedstock_efficiency\nframe,5,0.4,0.9\n".into()),
                _ => Err("not found".into()),
            },
        )
    }

    fn errors(text: &str) -> Vec<String> {
        load(text)
            .expect_err("invalid")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn a_full_product_reads() {
        let p = load(
            r#"
[product]
name = "Chair"
method = 2015
lifetime = 10
average_lifetime = 8
material_tables = ["bom.csv"]
[energy]
total = 10
renewable = 4
[[materials]]
id = "seat"
mass = 2
recycling = 0.5
recycling_efficiency = 0.8
"#,
        )
        .expect("valid")
        .value;
        assert_eq!(p.method, Method::Emf2015);
        assert_eq!(p.materials.len(), 2);
        assert_eq!(p.materials[1].id, "frame");
        assert_eq!(p.mass(), 7.0);
        assert_eq!(p.utility.x(), 1.25);
        assert_eq!(p.energy.as_ref().map(|e| e.renewable), Some(4.0));
    }

    /// The edge case of ../shared/reference/INDICATORS.md §1.2: E_F = 0 with F_R > 0 divides by
    /// zero. circ refuses it, naming the line and the fix (see the conventions of `mci`).
    #[test]
    fn recycled_feedstock_of_efficiency_zero_is_refused_with_a_fix() {
        let e = errors(
            "[product]\nname = \"x\"\n[[materials]]\nid = \"a\"\nmass = 1\nrecycled = 0.3\nfeedstock_efficiency = 0\n",
        );
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].starts_with("p.toml:7:1: error: materials[0].feedstock_efficiency: \"a\" has recycled feedstock made with efficiency 0"), "{}", e[0]);
        assert!(
            e[0].contains("hint: a recycling process of efficiency 0 makes no recycled feedstock")
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let e = errors(
            r#"
[product]
name = "x"
method = "2020"
mass_unit = "lb"
lifetime = 5
[[materials]]
id = "a"
mass = -1
recycled = 35
[[materials]]
id = "a"
mass = 1
sustained = 0.5
recycling = 0.6
reuse = 0.6
"#,
        );
        let want = [
            "p.toml:4:1: error: product.method: unknown MCI method \"2020\"",
            "p.toml:5:1: error: product.mass_unit: unknown mass unit \"lb\"",
            "p.toml:6:1: error: product.lifetime: lifetime is given without average_lifetime",
            "p.toml:9:1: error: materials[0].mass: mass must be a number of at least 0, not -1",
            "p.toml:10:1: error: materials[0].recycled: recycled must lie between 0 and 1, not 35",
            "p.toml:12:1: error: materials[1].id: material \"a\" appears twice",
            "p.toml:15:1: error: materials[1].recycling: the end-of-use shares",
            "p.toml:14:1: error: materials[1].sustained: \"a\" is not biological",
            "p.toml:11:1: error: materials[1].recycling_efficiency: \"a\" is collected for recycling but has no recycling_efficiency",
        ];
        assert_eq!(e.len(), want.len(), "{e:#?}");
        for (got, want) in e.iter().zip(want) {
            assert!(got.starts_with(want), "{got}\n  expected {want}");
        }
        assert!(e[4].contains("hint: shares are fractions: write 0.35 for 35 %"));
    }

    #[test]
    fn csv_products_read_and_report_cells() {
        let src = |text| SourceText {
            name: "dir/chair-bom.csv",
            text,
        };
        let p = load_product(
            src("id,mass,recycled,feedstock_efficiency\nframe,5,0.4,0.9\n"),
            ProductFormat::Csv,
            &|_| Err(String::new()),
        )
        .expect("valid")
        .value;
        assert_eq!((p.name.as_str(), p.materials.len()), ("chair-bom", 1));
        let e = load_product(
            src("id,mass,recycled\nframe,5,0.4\n"),
            ProductFormat::Csv,
            &|_| Err(String::new()),
        )
        .expect_err("no E_F");
        assert!(
            e[0].to_string()
                .starts_with("dir/chair-bom.csv:2: error: feedstock_efficiency:"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn warnings_say_what_a_method_does_not_credit() {
        let w = load(
            "[product]\nname = \"x\"\n[[materials]]\nid = \"pvc\"\nmass = 1\nenergy_recovery = 0.5\n",
        )
        .expect("valid")
        .warnings;
        assert_eq!(w.len(), 1);
        assert!(w[0].to_string().starts_with("p.toml:6:1: warning: materials[0].energy_recovery: energy recovery of \"pvc\" is not credited"), "{}", w[0]);
    }

    #[test]
    fn company_problems_name_products_and_units() {
        let e = load_company(
            SourceText {
                name: "c.json",
                text: r#"{"company": {"name": "Co", "weighting": "revenue"},
 "business_units": [{"id": "seating"}],
 "products": [
  {"id": "chair", "units": 10, "business_unit": "seatng", "materials": [{"id": "a", "mass": 1}]},
  {"id": "chair", "units": -1, "revenue": 5, "materials": []}
 ]}"#,
            },
            Format::Json,
            &|_| Err(String::new()),
        )
        .expect_err("invalid");
        let e: Vec<String> = e.iter().map(ToString::to_string).collect();
        let want = [
            "c.json:4:32: error: products[0].business_unit: unknown business unit \"seatng\"\n  hint: did you mean \"seating\"?",
            "c.json:4:3: error: products[0]: product \"chair\" has no revenue",
            "c.json:5:4: error: products[1].id: product \"chair\" appears twice",
            "c.json:5:19: error: products[1].units: units must be a number of at least 0, not -1",
            "c.json:5:46: error: products[1].materials: \"chair\" has no materials",
        ];
        assert_eq!(e.len(), want.len(), "{e:#?}");
        for (got, want) in e.iter().zip(want) {
            assert!(got.starts_with(want), "{e:#?}\n  expected {want}");
        }
    }
}
