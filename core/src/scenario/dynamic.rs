//! Scenarios on models with dynamic stocks: lifetimes and demand changed in the `[dynamics]`
//! section (whose stock series are then computed again by the kernels of [`crate::stock`]),
//! yearly shares replaced by a `share` intervention's path, and the year's model projected by
//! [`crate::project::year_model`] from the re-balanced base network.

use super::{At, Baseline, Change, Scenario, ScenarioError, Target};
use crate::format::{RawLifetimeChange, RawModel};
use crate::model::Model;

/// The model of `year` under scenario `s`, from the scenario's re-balanced base network `m`.
pub(super) fn year_model(
    b: &Baseline<'_>,
    s: &Scenario,
    mut m: Model,
    year: i32,
    _at: At,
) -> Result<Model, ScenarioError> {
    let fail = |k: Option<usize>, message: String| ScenarioError {
        scenario: s.name.clone(),
        intervention: k.map(|k| (k + 1, s.interventions[k].label.clone())),
        message,
    };
    let stock_edits: Vec<usize> = s
        .interventions
        .iter()
        .enumerate()
        .filter(|(_, iv)| matches!(iv.target, Target::Lifetime { .. } | Target::Demand { .. }))
        .map(|(k, _)| k)
        .collect();
    if !stock_edits.is_empty() {
        let Some(doc) = &b.loaded.document else {
            return Err(fail(
                stock_edits.first().copied(),
                "the model was not read from a document, so its dynamic stocks cannot be computed again".into(),
            ));
        };
        let mut raw: RawModel<'static> = doc.clone();
        edit_stocks(b, s, &mut raw);
        let loaded = crate::validate(&raw, &[], "scenario").map_err(|d| {
            let first = d
                .iter()
                .find(|d| d.severity == crate::Severity::Error)
                .map_or_else(String::new, |d| d.message.clone());
            fail(
                stock_edits.first().copied(),
                format!("the changed dynamic stocks cannot be computed: {first}"),
            )
        })?;
        m.dynamics = loaded.into_model().dynamics;
    }
    // A share that the model sets by year in [dynamics] is replaced by the intervention's path.
    let first = m
        .dynamics()
        .map_or(year, crate::dynamics::Dynamics::first_year);
    if let Some(d) = m.dynamics.as_mut() {
        for iv in &s.interventions {
            let Target::Share { streams, .. } = &iv.target else {
                continue;
            };
            for (stream, _) in streams {
                let st = &b.frame.streams[*stream as usize];
                let to: Vec<u32> = iv_destinations(b, streams);
                for share in d.shares_mut() {
                    let group_ok = share.group.is_none_or(|g| g.index() == st.group as usize);
                    if share.from.0 == st.process && to.contains(&share.to.0) && group_ok {
                        for (k, v) in share.values.iter_mut().enumerate() {
                            let t = iv.progress(At::Year(first + k as i32), b.start);
                            *v = match iv.change {
                                Change::Set(_) => iv.value(*v, t),
                                Change::Scale(_) => (*v * iv.factor(t)).clamp(0.0, 1.0),
                            };
                        }
                    }
                }
            }
        }
    }
    crate::project::year_model(&m, year)
        .map(|(model, _notes)| model)
        .map_err(|e| fail(None, e.to_string()))
}

fn iv_destinations(b: &Baseline<'_>, streams: &[(u32, Vec<u32>)]) -> Vec<u32> {
    let model = &b.loaded.model;
    let mut to: Vec<u32> = streams
        .iter()
        .flat_map(|(_, flows)| flows.iter().map(|&f| model.flows()[f as usize].to.0))
        .collect();
    crate::sort::sort(&mut to);
    to.dedup();
    to
}

/// The lifetime factor the model's own changes give in `year`, for one kind of change.
fn model_factor(changes: &[RawLifetimeChange], new: bool, year: i32) -> f64 {
    let mut best: Option<&RawLifetimeChange> = None;
    for ch in changes {
        let is_new = ch.cohorts.as_deref() == Some("new");
        if is_new == new && ch.from <= year && best.is_none_or(|b| ch.from >= b.from) {
            best = Some(ch);
        }
    }
    best.map_or(1.0, |c| c.factor)
}

/// Writes the scenario's lifetime and demand changes into the `[dynamics]` of a document.
fn edit_stocks(b: &Baseline<'_>, s: &Scenario, raw: &mut RawModel<'static>) {
    let Some(d) = b.loaded.model.dynamics() else {
        return;
    };
    let (first, last) = (d.first_year(), d.last_year());
    let Some(dynamics) = raw.dynamics.as_mut() else {
        return;
    };
    for iv in &s.interventions {
        let factor = |y: i32| iv.factor(iv.progress(At::Year(y), b.start));
        match iv.target {
            Target::Lifetime { stock, new_cohorts } => {
                let Some(rs) = dynamics.stocks.get_mut(stock) else {
                    continue;
                };
                let old = std::mem::take(&mut rs.lifetime_changes);
                let (same, other): (Vec<_>, Vec<_>) = old
                    .into_iter()
                    .partition(|c| (c.cohorts.as_deref() == Some("new")) == new_cohorts);
                rs.lifetime_changes = other;
                let mut prev = 1.0;
                let from = if new_cohorts { first - 1 } else { first };
                for y in from..=last {
                    let f = model_factor(&same, new_cohorts, y) * factor(y);
                    if f != prev {
                        rs.lifetime_changes.push(RawLifetimeChange {
                            from: y,
                            factor: f,
                            cohorts: Some(if new_cohorts { "new" } else { "all" }.into()),
                        });
                        prev = f;
                    }
                }
            }
            Target::Demand { stock } => {
                let Some(rs) = dynamics.stocks.get_mut(stock) else {
                    continue;
                };
                let series = match (rs.inflow.as_mut(), rs.stock.as_mut()) {
                    (Some(sr), _) | (None, Some(sr)) => sr,
                    (None, None) => continue,
                };
                let years: Vec<i32> = match (&series.years, series.start) {
                    (Some(y), _) => y.clone(),
                    (None, Some(start)) => {
                        (0..series.values.len()).map(|k| start + k as i32).collect()
                    }
                    (None, None) => continue,
                };
                for (v, y) in series.values.iter_mut().zip(years) {
                    *v *= factor(y);
                }
            }
            _ => {}
        }
    }
}
