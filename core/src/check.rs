//! Expectations: the numbers a published report states, checked against what circ computes
//! (`circ check`), with a table for people and JUnit XML for CI systems.
//!
//! An expectations file (TOML) lists models or embedded data sets and the values a report
//! publishes for them, each with a tolerance:
//!
//! ```toml
//! name = "Shipped data sets"             # optional: the JUnit test-suite name
//!
//! [[expect]]
//! dataset = "cgr2020"                    # or model = "models/ua-2024.toml", relative to this file
//! indicator = "cgr.circularity_metric"   # an indicator id, or an account id such as "mfa.dmc"
//! value = 8.6
//! unit = "%"                             # "%", "fraction", "t", "kt", "Mt", "Gt", or the indicator's own unit
//! abs = 0.05                             # allowed difference, in the unit above (here 0.05 percentage points)
//! # rel = 0.01                           # or relative to the expected value; with both, the larger applies
//! ```
//!
//! The front end reads the file and the models it names; core parses the text
//! ([`parse_expectations`]), compares each expectation with a computed [`Report`] ([`verify`]),
//! and renders the outcomes ([`table`], [`junit`]). Conventions chosen here:
//! - A tolerance is required: a published number is rounded, and only its author knows how much
//!   drift is acceptable. Rounding to the digits shown needs half a unit of the last digit
//!   (`8.6` → `abs = 0.05`).
//! - A difference exactly at the tolerance passes (`|computed − expected| ≤ tolerance`).
//! - An indicator that cannot be computed is an error, not a pass or a miss: the report's number
//!   has no counterpart, and the reason is shown.
//! - Percentages are fractions × 100; masses convert exactly between t, kt, Mt and Gt; without a
//!   unit, shares are fractions and masses are in the model's display unit.

use std::fmt::Write as _;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location, PathSegment};
use crate::format::{Format, SourceText, locate};
use crate::report::Report;
use crate::sankey::escape;
use crate::unit::Unit;

/// A parsed expectations file.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectations {
    /// Name of the test suite; the file name when the file gives none.
    pub name: String,
    /// The expectations, in file order.
    pub items: Vec<Expectation>,
}

/// What an expectation is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Subject {
    /// A model file, as written in the expectations file (relative to it).
    Model(String),
    /// An embedded data set.
    Dataset(String),
}

impl Subject {
    /// The name people read: the path or the data set's name.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Subject::Model(p) | Subject::Dataset(p) => p,
        }
    }
}

/// The allowed difference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// Absolute, in the expectation's unit.
    pub abs: Option<f64>,
    /// Relative to the expected value (a fraction: 0.01 is 1 %).
    pub rel: Option<f64>,
}

impl Tolerance {
    /// The allowed difference for an expected value: the larger of the two that are given.
    #[must_use]
    pub fn allowed(&self, expected: f64) -> f64 {
        let abs = self.abs.unwrap_or(0.0);
        let rel = self.rel.map_or(0.0, |r| r * expected.abs());
        abs.max(rel)
    }
}

/// One published number to check.
#[derive(Debug, Clone, PartialEq)]
pub struct Expectation {
    /// The model or data set.
    pub subject: Subject,
    /// A scenario of the model, when the report publishes one.
    pub scenario: Option<String>,
    /// The scenario file that defines `scenario`, relative to the expectations file.
    pub scenarios: Option<String>,
    /// Indicator or account id.
    pub indicator: String,
    /// The published value, in `unit`.
    pub value: f64,
    /// The unit of `value` as written (`%`, `Gt`…); `None` for the indicator's own.
    pub unit: Option<String>,
    /// The allowed difference.
    pub tolerance: Tolerance,
    /// A label for the table and JUnit (default: indicator and subject).
    pub label: Option<String>,
    /// The line of its `[[expect]]` in the file, when known.
    pub line: Option<u32>,
}

impl Expectation {
    /// The name of the check: the label, or `indicator (subject)`.
    #[must_use]
    pub fn title(&self) -> String {
        match &self.label {
            Some(l) => l.clone(),
            None => {
                let mut t = format!("{} ({}", self.indicator, self.subject.name());
                if let Some(s) = &self.scenario {
                    let _ = write!(t, ", scenario {s}");
                }
                t.push(')');
                t
            }
        }
    }
}

/// The result of one expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// What was expected.
    pub expectation: Expectation,
    /// The computed value, in the expectation's unit.
    pub computed: Option<f64>,
    /// `computed − expected`.
    pub difference: Option<f64>,
    /// The allowed difference, in the expectation's unit.
    pub allowed: f64,
    /// The unit both are shown in.
    pub unit: String,
    /// Pass, miss or error.
    pub verdict: Verdict,
}

/// How an expectation fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Within the tolerance.
    Pass,
    /// Outside the tolerance: the published number drifted from its data.
    Miss,
    /// Not comparable: the model did not load, the id is unknown, the indicator cannot be
    /// computed, or the units do not match. The message says which.
    Error(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    name: Option<String>,
    #[serde(default)]
    expect: Vec<RawExpect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    model: Option<String>,
    dataset: Option<String>,
    scenario: Option<String>,
    scenarios: Option<String>,
    indicator: String,
    value: f64,
    unit: Option<String>,
    abs: Option<f64>,
    rel: Option<f64>,
    name: Option<String>,
}

/// Parses an expectations file (TOML), reporting every problem with its line.
///
/// # Errors
/// Every problem: bad syntax, an unknown key, an entry with neither or both of `model` and
/// `dataset`, a missing or negative tolerance, a value that is not finite.
pub fn parse_expectations(src: SourceText<'_>) -> Result<Expectations, Vec<Diagnostic>> {
    let raw = parse_raw(src)?;
    let mut diags = Vec::new();
    let mut items = Vec::new();
    let at = |i: usize, key: &str| {
        let mut path = vec![PathSegment::Key("expect".into()), PathSegment::Index(i)];
        if !key.is_empty() {
            path.push(PathSegment::Key(key.into()));
        }
        Location::at(src.name, path)
    };
    if raw.expect.is_empty() {
        diags.push(
            Diagnostic::error(
                Location::at(src.name, Vec::new()),
                "the file expects nothing",
            )
            .with_hint("add an [[expect]] table for each published number"),
        );
    }
    for (i, e) in raw.expect.into_iter().enumerate() {
        let subject = match (e.model, e.dataset) {
            (Some(m), None) => Some(Subject::Model(m)),
            (None, Some(d)) => Some(Subject::Dataset(d)),
            (Some(_), Some(_)) => {
                diags.push(
                    Diagnostic::error(at(i, ""), "both model and dataset are given")
                        .with_hint("keep one: a model file, or an embedded data set"),
                );
                None
            }
            (None, None) => {
                diags.push(
                    Diagnostic::error(at(i, ""), "neither model nor dataset is given")
                        .with_hint("add model = \"path/to/model.toml\" (relative to this file) or dataset = \"cgr2020\""),
                );
                None
            }
        };
        if !e.value.is_finite() {
            diags.push(Diagnostic::error(
                at(i, "value"),
                "the value is not a finite number",
            ));
        }
        let mut tolerance_ok = true;
        for (key, t) in [("abs", e.abs), ("rel", e.rel)] {
            if let Some(t) = t
                && !(t.is_finite() && t >= 0.0)
            {
                tolerance_ok = false;
                diags.push(Diagnostic::error(
                    at(i, key),
                    format!("the tolerance {key} = {t} is not a number ≥ 0"),
                ));
            }
        }
        if e.abs.is_none() && e.rel.is_none() {
            tolerance_ok = false;
            diags.push(
                Diagnostic::error(at(i, ""), "no tolerance is given")
                    .with_hint(format!(
                        "add abs (in the unit of the value) or rel (a fraction of it); a number published as {} is rounded to within abs = {}",
                        e.value,
                        half_last_digit(e.value)
                    )),
            );
        }
        if let (Some(subject), true) = (subject, tolerance_ok) {
            items.push(Expectation {
                subject,
                scenario: e.scenario,
                scenarios: e.scenarios,
                indicator: e.indicator,
                value: e.value,
                unit: e.unit,
                tolerance: Tolerance {
                    abs: e.abs,
                    rel: e.rel,
                },
                label: e.name,
                line: None,
            });
        }
    }
    if !diags.is_empty() {
        locate(&mut diags, src.name, src.text, Format::Toml);
        return Err(diags);
    }
    // The line of each [[expect]], for messages and JUnit.
    let mut lines: Vec<Diagnostic> = (0..items.len())
        .map(|i| Diagnostic::error(at(i, ""), ""))
        .collect();
    locate(&mut lines, src.name, src.text, Format::Toml);
    for (item, d) in items.iter_mut().zip(lines) {
        item.line = d.location.line;
    }
    let name = raw.name.unwrap_or_else(|| src.name.to_owned());
    Ok(Expectations { name, items })
}

/// The expectations file as written. TOML only; builds without TOML (the web module) say so.
#[cfg(feature = "toml")]
fn parse_raw(src: SourceText<'_>) -> Result<RawFile, Vec<Diagnostic>> {
    toml::from_str(src.text).map_err(|e| {
        let (loc, message) = crate::format::toml_error(src, &e);
        vec![Diagnostic::error(loc, message).with_hint(
            "each [[expect]] takes model or dataset, indicator, value, unit, abs or rel, and optionally scenario (with scenarios, its file) and name",
        )]
    })
}

/// The expectations file as written: this build reads no TOML.
#[cfg(not(feature = "toml"))]
fn parse_raw(src: SourceText<'_>) -> Result<RawFile, Vec<Diagnostic>> {
    Err(vec![crate::format::toml_unavailable(src.name)])
}

/// Half a unit of the last decimal digit of `value` as Rust prints it shortest: 8.6 → 0.05.
fn half_last_digit(value: f64) -> f64 {
    let text = format!("{value}");
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    let mut h = 0.5;
    for _ in 0..decimals {
        h /= 10.0;
    }
    h
}

/// Compares one expectation with the report computed for its subject.
#[must_use]
pub fn verify(expectation: &Expectation, report: &Report) -> Outcome {
    let e = expectation;
    let fail = |message: String, unit: &str| Outcome {
        expectation: e.clone(),
        computed: None,
        difference: None,
        allowed: e.tolerance.allowed(e.value),
        unit: unit.to_owned(),
        verdict: Verdict::Error(message),
    };
    let shown_unit = e.unit.clone().unwrap_or_default();
    // The computed value in its own unit: an indicator, or an account line in tonnes.
    let (value, own_unit) = if let Some(i) = report.indicator(&e.indicator) {
        match i.value {
            Some(v) => (v, i.unit.clone()),
            None => {
                return fail(
                    format!(
                        "{} is not computable: {}",
                        e.indicator,
                        i.reason.as_deref().unwrap_or("no reason given")
                    ),
                    &shown_unit,
                );
            }
        }
    } else if let Some(a) = report.accounts.iter().find(|a| a.id == e.indicator) {
        match a.total {
            Some(t) => (t, "t".to_owned()),
            None => {
                return fail(
                    format!(
                        "{} is missing: {}",
                        e.indicator,
                        a.missing.as_deref().unwrap_or("no reason given")
                    ),
                    &shown_unit,
                );
            }
        }
    } else {
        let ids = report
            .indicators
            .iter()
            .map(|i| i.id.as_str())
            .chain(report.accounts.iter().map(|a| a.id));
        let hint = crate::diagnostic::did_you_mean(&e.indicator, ids)
            .map_or_else(String::new, |s| format!("; did you mean \"{s}\"?"));
        return fail(
            format!(
                "unknown indicator or account \"{}\"{hint} (`circ run --format json` lists the ids)",
                e.indicator
            ),
            &shown_unit,
        );
    };
    let (computed, unit) = match convert(value, &own_unit, e.unit.as_deref(), report.model.unit) {
        Ok(c) => c,
        Err(message) => return fail(message, &shown_unit),
    };
    let difference = computed - e.value;
    let allowed = e.tolerance.allowed(e.value);
    Outcome {
        expectation: e.clone(),
        computed: Some(computed),
        difference: Some(difference),
        allowed,
        unit,
        verdict: if difference.abs() <= allowed {
            Verdict::Pass
        } else {
            Verdict::Miss
        },
    }
}

/// An outcome for an expectation whose subject could not be computed at all (the model did not
/// load, or it names a scenario that is not available).
#[must_use]
pub fn unavailable(expectation: &Expectation, message: impl Into<String>) -> Outcome {
    Outcome {
        expectation: expectation.clone(),
        computed: None,
        difference: None,
        allowed: expectation.tolerance.allowed(expectation.value),
        unit: expectation.unit.clone().unwrap_or_default(),
        verdict: Verdict::Error(message.into()),
    }
}

/// Converts a computed value from its own unit (`fraction`, `t`, `t/person`, `EUR/kg`) into the
/// expectation's unit; returns the value and the unit it is shown in.
fn convert(
    value: f64,
    own: &str,
    wanted: Option<&str>,
    display: Unit,
) -> Result<(f64, String), String> {
    match (own, wanted) {
        ("fraction", Some("%")) => Ok((value * 100.0, "%".to_owned())),
        ("fraction", None | Some("fraction")) => Ok((value, "fraction".to_owned())),
        ("t", None) => Ok((display.from_tonnes(value), display.symbol().to_owned())),
        ("t", Some(u)) => match u.parse::<Unit>() {
            Ok(unit) => Ok((unit.from_tonnes(value), u.to_owned())),
            Err(_) => Err(format!(
                "a mass cannot be expressed in \"{u}\"; use t, kt, Mt or Gt"
            )),
        },
        (own, None) => Ok((value, own.to_owned())),
        (own, Some(u)) if u == own => Ok((value, own.to_owned())),
        (own, Some(u)) => Err(format!(
            "the value is in \"{own}\" and cannot be compared in \"{u}\"{}",
            if own == "fraction" {
                "; use \"%\" or \"fraction\""
            } else {
                ""
            }
        )),
    }
}

/// Counts of passes, misses and errors.
#[must_use]
pub fn counts(outcomes: &[Outcome]) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for o in outcomes {
        match o.verdict {
            Verdict::Pass => c.0 += 1,
            Verdict::Miss => c.1 += 1,
            Verdict::Error(_) => c.2 += 1,
        }
    }
    c
}

/// A number for the table: up to `decimals` decimals, no trailing zeros.
fn show(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    };
    if s == "-0" { "0".to_owned() } else { s }
}

fn signed(x: f64, decimals: usize) -> String {
    let s = show(x, decimals);
    if x > 0.0 && s != "0" {
        format!("+{s}")
    } else {
        s
    }
}

/// Decimals to show: three more than the expected value has, so that a drift within rounding
/// is visible.
fn decimals_for(expected: f64) -> usize {
    let text = format!("{expected}");
    text.split_once('.').map_or(0, |(_, d)| d.len()) + 3
}

/// The outcomes as a table for a terminal, one row per expectation, and a closing count line.
#[must_use]
pub fn table(outcomes: &[Outcome]) -> String {
    let header = [
        "check",
        "expected",
        "computed",
        "difference",
        "tolerance",
        "verdict",
    ];
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for o in outcomes {
        let e = &o.expectation;
        let d = decimals_for(e.value);
        let unit = if o.unit.is_empty() || o.unit == "fraction" {
            String::new()
        } else {
            format!(" {}", o.unit)
        };
        let tol_unit = if o.unit == "%" {
            " pp".to_owned()
        } else {
            unit.clone()
        };
        let verdict = match &o.verdict {
            Verdict::Pass => "pass".to_owned(),
            Verdict::Miss => "MISS".to_owned(),
            Verdict::Error(m) => {
                notes.push(format!("{}: {m}", e.title()));
                format!("ERROR [{}]", notes.len())
            }
        };
        rows.push([
            e.title(),
            format!("{}{unit}", show(e.value, 12)),
            o.computed
                .map_or_else(|| "n/a".to_owned(), |c| format!("{}{unit}", show(c, d))),
            o.difference.map_or_else(
                || "n/a".to_owned(),
                |x| format!("{}{tol_unit}", signed(x, d)),
            ),
            format!("±{}{tol_unit}", show(o.allowed, 12)),
            verdict,
        ]);
    }
    let mut widths = header.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: [&str; 6]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            if i == 0 || i == 5 {
                let _ = write!(text, "{cell}{}  ", " ".repeat(pad));
            } else {
                let _ = write!(text, "{}{cell}  ", " ".repeat(pad));
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(&mut out, header);
    for r in &rows {
        line(&mut out, [&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]);
    }
    if !notes.is_empty() {
        let _ = writeln!(out);
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(out, "[{}] {n}", i + 1);
        }
    }
    let (pass, miss, error) = counts(outcomes);
    let _ = writeln!(out, "\n{pass} passed, {} failed", miss + error);
    out
}

/// The outcomes as JUnit XML (the Ant/Surefire dialect that GitHub, GitLab and Jenkins read):
/// one test suite, one test case per expectation, a `<failure>` for a miss and an `<error>` for
/// an expectation that could not be compared. No timestamps: core has no clock, and the same
/// outcomes give the same bytes.
#[must_use]
pub fn junit(suite: &str, file: &str, outcomes: &[Outcome]) -> String {
    let (_, miss, error) = counts(outcomes);
    let mut out = String::new();
    let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        out,
        r#"<testsuites name="circ check" tests="{n}" failures="{miss}" errors="{error}">"#,
        n = outcomes.len()
    );
    let _ = writeln!(
        out,
        r#"  <testsuite name="{}" tests="{}" failures="{miss}" errors="{error}" skipped="0">"#,
        escape(suite),
        outcomes.len()
    );
    for o in outcomes {
        let e = &o.expectation;
        let _ = write!(
            out,
            r#"    <testcase classname="{}" name="{}" file="{}""#,
            escape(e.subject.name()),
            escape(&e.title()),
            escape(file)
        );
        if let Some(line) = e.line {
            let _ = write!(out, r#" line="{line}""#);
        }
        let detail = describe(o);
        match &o.verdict {
            Verdict::Pass => {
                let _ = writeln!(
                    out,
                    ">\n      <system-out>{}</system-out>\n    </testcase>",
                    escape(&detail)
                );
            }
            Verdict::Miss => {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"drift\">{}</failure>\n    </testcase>",
                    escape(&format!("{} drifted beyond its tolerance", e.indicator)),
                    escape(&detail)
                );
            }
            Verdict::Error(m) => {
                let _ = writeln!(
                    out,
                    ">\n      <error message=\"{}\" type=\"not comparable\">{}</error>\n    </testcase>",
                    escape(m),
                    escape(&detail)
                );
            }
        }
    }
    let _ = writeln!(out, "  </testsuite>\n</testsuites>");
    out
}

/// One line: expected, computed, difference and tolerance.
fn describe(o: &Outcome) -> String {
    let e = &o.expectation;
    let d = decimals_for(e.value);
    let unit = if o.unit == "fraction" || o.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", o.unit)
    };
    let tol_unit = if o.unit == "%" { " pp" } else { &unit };
    match (o.computed, o.difference) {
        (Some(c), Some(x)) => format!(
            "expected {}{unit}, computed {}{unit}, difference {}{tol_unit}, tolerance ±{}{tol_unit}",
            show(e.value, 12),
            show(c, d),
            signed(x, d),
            show(o.allowed, 12)
        ),
        _ => format!(
            "expected {}{unit}, not computed, tolerance ±{}{tol_unit}",
            show(e.value, 12),
            show(o.allowed, 12)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datasets::dataset;
    use crate::report::run;

    fn parse(text: &str) -> Result<Expectations, Vec<Diagnostic>> {
        parse_expectations(SourceText {
            name: "expect.toml",
            text,
        })
    }

    fn report(name: &str) -> Report {
        run(&dataset(name)
            .expect("embedded")
            .load()
            .expect("valid")
            .model)
    }

    const SHIPPED: &str = r#"
name = "published"
[[expect]]
dataset = "cgr2020"
indicator = "cgr.circularity_metric"
value = 8.6
unit = "%"
abs = 0.05

[[expect]]
dataset = "cgr2018"
indicator = "cgr.circularity_metric"
value = 0.091
rel = 0.01
name = "CGR 2018 headline"

[[expect]]
dataset = "cgr2020"
indicator = "mfa.dmc"
value = 92.0
unit = "Gt"
abs = 0.05
"#;

    #[test]
    fn published_numbers_pass() {
        let exp = parse(SHIPPED).expect("valid");
        assert_eq!(exp.name, "published");
        assert_eq!(exp.items[0].line, Some(3));
        assert_eq!(exp.items[2].line, Some(17));
        let outcomes: Vec<Outcome> = exp
            .items
            .iter()
            .map(|e| verify(e, &report(e.subject.name())))
            .collect();
        assert_eq!(counts(&outcomes), (3, 0, 0), "{outcomes:#?}");
        let metric = outcomes[0].computed.expect("computed");
        assert!((metric - 100.0 * 8.65 / 100.65).abs() < 1e-12);
        assert_eq!(outcomes[2].unit, "Gt");
    }

    #[test]
    fn a_drift_beyond_the_tolerance_is_a_miss_and_at_it_a_pass() {
        let text = SHIPPED.replace("value = 8.6", "value = 8.7");
        let exp = parse(&text).expect("valid");
        let o = verify(&exp.items[0], &report("cgr2020"));
        assert_eq!(o.verdict, Verdict::Miss);
        // The computed value is 8.594 %: a tolerance reaching it exactly passes.
        let mut e = exp.items[0].clone();
        e.value = 8.5;
        e.tolerance.abs = Some(o.computed.expect("computed") - 8.5);
        assert_eq!(verify(&e, &report("cgr2020")).verdict, Verdict::Pass);
    }

    #[test]
    fn uncomputable_unknown_and_mismatched_are_errors() {
        let text = r#"
[[expect]]
dataset = "cgr2020"
indicator = "eurostat.cmu_rate.mf2"
value = 5
unit = "%"
abs = 1
[[expect]]
dataset = "cgr2020"
indicator = "cgr.circularity_metrc"
value = 8.6
unit = "%"
abs = 0.05
[[expect]]
dataset = "cgr2020"
indicator = "cgr.circularity_metric"
value = 8.6
unit = "Gt"
abs = 0.05
"#;
        let exp = parse(text).expect("valid");
        let r = report("cgr2020");
        let outcomes: Vec<Outcome> = exp.items.iter().map(|e| verify(e, &r)).collect();
        let messages: Vec<String> = outcomes
            .iter()
            .map(|o| match &o.verdict {
                Verdict::Error(m) => m.clone(),
                v => panic!("{v:?}"),
            })
            .collect();
        assert!(messages[0].contains("not computable"), "{}", messages[0]);
        assert!(
            messages[1].contains("did you mean \"cgr.circularity_metric\""),
            "{}",
            messages[1]
        );
        assert!(
            messages[2].contains("use \"%\" or \"fraction\""),
            "{}",
            messages[2]
        );
        let table = table(&outcomes);
        assert!(table.ends_with("\n0 passed, 3 failed\n"), "{table}");
    }

    #[test]
    fn every_problem_of_a_file_is_reported_with_its_line() {
        let text = r#"
[[expect]]
indicator = "cgr.circularity_metric"
value = 8.6

[[expect]]
model = "a.toml"
dataset = "cgr2020"
indicator = "cgr.circularity_metric"
value = 8.6
abs = -1
"#;
        let diags = parse(text).expect_err("invalid");
        let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 4, "{text:#?}");
        assert!(
            text[0].starts_with("expect.toml:2:1: error: expect[0]: neither model nor dataset")
        );
        assert!(text[1].contains("no tolerance") && text[1].contains("abs = 0.05"));
        assert!(text[2].starts_with("expect.toml:6:1: error: expect[1]: both model and dataset"));
        assert!(text[3].contains("expect[1].abs: the tolerance abs = -1"));
        let unknown = parse(
            "[[expect]]\ndataset = \"x\"\nindicator = \"i\"\nvalue = 1\nabs = 1\ntolerance = 2\n",
        )
        .expect_err("unknown key");
        assert!(
            unknown[0].to_string().contains("expect.toml:6:1"),
            "{}",
            unknown[0]
        );
    }

    #[test]
    fn junit_names_every_case_and_escapes() {
        let exp = parse(&SHIPPED.replace("value = 92.0", "value = 95.0")).expect("valid");
        let outcomes: Vec<Outcome> = exp
            .items
            .iter()
            .map(|e| verify(e, &report(e.subject.name())))
            .chain([unavailable(&exp.items[0], "cannot read <a & b>")])
            .collect();
        let xml = junit("published", "checks/x.toml", &outcomes);
        assert!(
            xml.contains(
                r#"<testsuite name="published" tests="4" failures="1" errors="1" skipped="0">"#
            ),
            "{xml}"
        );
        assert!(xml.contains(r#"<testcase classname="cgr2020" name="mfa.dmc (cgr2020)" file="checks/x.toml" line="17">"#), "{xml}");
        assert!(xml.contains("<failure message=\"mfa.dmc drifted beyond its tolerance\" type=\"drift\">expected 95 Gt, computed 92 Gt, difference -3 Gt, tolerance ±0.05 Gt</failure>"), "{xml}");
        assert!(xml.contains("cannot read &lt;a &amp; b&gt;"));
    }

    #[test]
    fn half_a_unit_of_the_last_digit() {
        assert!((half_last_digit(8.6) - 0.05).abs() < 1e-15);
        assert!((half_last_digit(92.0) - 0.5).abs() < 1e-15);
        assert!((half_last_digit(0.091) - 0.0005).abs() < 1e-15);
    }
}
