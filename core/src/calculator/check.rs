//! The checks of a calculator form, each problem at its key path, and the move of the product
//! file's problems to the design's keys.

use super::{FORM_NAME, Form, MAX_ROWS, TREATMENTS, group, key, product_name};
use crate::diagnostic::{Diagnostic, Location, PathSegment, did_you_mean};
use crate::model::MaterialGroup;
use crate::unit::Unit;

/// Every problem of the form, each at its key path.
pub(super) fn check(form: &Form) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let at = |path: Vec<PathSegment>| Location::at(FORM_NAME, path);
    let row_at = |table: &str, i: usize, field: &str| {
        at(vec![key(table), PathSegment::Index(i), key(field)])
    };
    if let Some(u) = &form.unit
        && u.parse::<Unit>().is_err()
    {
        diags.push(
            Diagnostic::error(at(vec![key("unit")]), format!("unknown unit \"{u}\""))
                .with_hint("the calculator takes t, kt, Mt or Gt"),
        );
    }
    for (table, len) in [
        ("inputs", form.inputs.len()),
        ("products", form.products.len()),
        ("waste", form.waste.len()),
    ] {
        if len > MAX_ROWS {
            diags.push(
                Diagnostic::error(
                    at(vec![key(table)]),
                    format!("{len} rows, more than the calculator takes ({MAX_ROWS})"),
                )
                .with_hint(
                    "sum rows of the same group and treatment, or use circ with a model file",
                ),
            );
        }
    }
    if !diags.is_empty() {
        return diags;
    }
    let group_at = |diags: &mut Vec<Diagnostic>, table: &str, i: usize, code: &str| {
        if group(code).is_none() {
            let mut d = Diagnostic::error(
                row_at(table, i, "group"),
                format!("unknown material group \"{code}\""),
            );
            d = match did_you_mean(code, ["MF1", "MF2", "MF3", "MF4"]) {
                Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
                None => d.with_hint("MF1 biomass, MF2 metal ores, MF3 non-metallic minerals, MF4 fossil energy materials"),
            };
            diags.push(d);
        }
    };
    let mass_at = |diags: &mut Vec<Diagnostic>, table: &str, i: usize, field: &str, v: f64| {
        if !v.is_finite() || v < 0.0 {
            diags.push(
                Diagnostic::error(
                    row_at(table, i, field),
                    format!("{v} is not a mass: masses are zero or more"),
                )
                .with_hint(
                    "enter the mass per year in the form's unit, or leave it empty for none",
                ),
            );
        }
    };
    for (i, r) in form.inputs.iter().enumerate() {
        group_at(&mut diags, "inputs", i, &r.group);
        for (field, v) in [
            ("virgin", r.virgin),
            ("recycled", r.recycled),
            ("reused", r.reused),
            ("renewable", r.renewable),
        ] {
            mass_at(&mut diags, "inputs", i, field, v);
        }
        if r.renewable > 0.0 && group(&r.group).is_some_and(|g| g != MaterialGroup::Biomass) {
            diags.push(
                Diagnostic::error(
                    row_at("inputs", i, "renewable"),
                    format!(
                        "{} is not biomass: only biomass (MF1) is renewable",
                        r.group
                    ),
                )
                .with_hint("enter this group's primary material as virgin"),
            );
        }
    }
    for (i, r) in form.products.iter().enumerate() {
        group_at(&mut diags, "products", i, &r.group);
        mass_at(&mut diags, "products", i, "mass", r.mass);
    }
    for (i, r) in form.waste.iter().enumerate() {
        group_at(&mut diags, "waste", i, &r.group);
        mass_at(&mut diags, "waste", i, "mass", r.mass);
        if !TREATMENTS.contains(&r.treatment.as_str()) {
            let mut d = Diagnostic::error(
                row_at("waste", i, "treatment"),
                format!("unknown treatment \"{}\"", r.treatment),
            );
            d = match did_you_mean(&r.treatment, TREATMENTS) {
                Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
                None => d.with_hint(format!("treatments are: {}", TREATMENTS.join(", "))),
            };
            diags.push(d);
        }
    }
    if let Some(d) = &form.design {
        let known = form
            .products
            .iter()
            .enumerate()
            .any(|(i, r)| product_name(r, i) == d.product.trim() && r.mass > 0.0);
        if !known {
            let names: Vec<String> = form
                .products
                .iter()
                .enumerate()
                .map(|(i, r)| product_name(r, i))
                .collect();
            let mut diag = Diagnostic::error(
                at(vec![key("design"), key("product")]),
                format!(
                    "no product \"{}\" with a mass in the products table",
                    d.product
                ),
            );
            diag = match did_you_mean(&d.product, names.iter().map(String::as_str)) {
                Some(s) => diag.with_hint(format!("did you mean \"{s}\"?")),
                None => diag.with_hint("name a product of the products table"),
            };
            diags.push(diag);
        }
    }
    diags
}

/// A diagnostic of the generated product file, moved to the design's key it comes from: a
/// material's `recycling` becomes `design.recycling`, `energy.total` `design.energy_total`.
pub(super) fn at_design(mut d: Diagnostic) -> Diagnostic {
    let field = d.location.path.iter().rev().find_map(|s| match s {
        PathSegment::Key(k) => Some(k.clone()),
        PathSegment::Index(_) => None,
    });
    let in_energy = matches!(d.location.path.first(), Some(PathSegment::Key(k)) if k == "energy");
    let field = match field.as_deref() {
        Some("total") if in_energy => Some("energy_total".to_owned()),
        Some("renewable") if in_energy => Some("energy_renewable".to_owned()),
        Some("sustained" | "recycled" | "reused" | "mass" | "biological") => None,
        other => other.map(str::to_owned),
    };
    let mut path = vec![key("design")];
    path.extend(field.map(PathSegment::Key));
    d.location = Location::at(FORM_NAME, path);
    d
}
