//! Projection of a small model worked by hand, and the errors of bad `[dynamics]` sections.

use super::*;
use crate::model::Treatment;
use crate::testing::model;
use crate::{Format, SourceText, load};

/// A network where concrete goes from a mine through construction into buildings, and from
/// buildings to collection, then half to recycling (back to construction) and half to landfill.
/// Houses last exactly 3 years (timing `end`), 100 t enter each year from 2020, and the share of
/// collected waste recycled rises from 0.5 in 2020 to 1.0 in 2030.
pub(crate) const HOUSES: &str = r#"
[meta]
name = "Houses"
unit = "t"
scope = "global"
year = 2024

[[materials]]
id = "concrete"
parent = "MF3"

[[processes]]
id = "mine"
role = "extraction"
[[processes]]
id = "build"
role = "production"
[[processes]]
id = "buildings"
role = "use"
[[processes]]
id = "coll"
role = "collection"
[[processes]]
id = "rec"
role = "recycling"
[[processes]]
id = "lf"
role = "landfill"

[[flows]]
from = "mine"
to = "build"
material = "concrete"
value = 95
[[flows]]
from = "rec"
to = "build"
material = "concrete"
value = 5
[[flows]]
from = "build"
to = "buildings"
material = "concrete"
value = 100
[[flows]]
from = "buildings"
to = "coll"
material = "concrete"
value = 10
[[flows]]
from = "coll"
to = "rec"
material = "concrete"
value = 5
[[flows]]
from = "coll"
to = "lf"
material = "concrete"
value = 5

[[stock_changes]]
process = "buildings"
material = "concrete"
value = 90

[dynamics]
first_year = 2020
last_year = 2030
timing = "end"

[[dynamics.stocks]]
id = "houses"
process = "buildings"
lifetime = { dist = "fixed", mean = 3 }
inflow = { start = 2020, values = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100] }
content = [{ material = "concrete", per_unit = 1.0 }]

[[dynamics.shares]]
from = "coll"
to = "rec"
years = [2020, 2030]
values = [0.5, 1.0]
"#;

fn value(p: &Projection, id: &str, year: i32) -> Option<f64> {
    let k = p.years.iter().position(|y| *y == year).expect("projected");
    p.indicator(id).expect("defined").values[k]
}

fn account(p: &Projection, line: AccountLine, year: i32) -> Option<f64> {
    let k = p.years.iter().position(|y| *y == year).expect("projected");
    p.account(line).expect("defined").values[k]
}

#[test]
fn a_projection_worked_by_hand() {
    let m = model(HOUSES);
    let p = project(
        &m,
        &ProjectOptions {
            from: 2020,
            to: 2030,
        },
    )
    .expect("projects");
    assert_eq!(p.years, (2020..=2030).collect::<Vec<_>>());
    assert_eq!(p.stocks[0].stock[..4], [100.0, 200.0, 300.0, 300.0]);
    assert_eq!(p.stocks[0].outflow[..4], [0.0, 0.0, 0.0, 100.0]);
    // 2020: nothing reaches its end of life yet: no waste, no secondary material, all virgin.
    assert_eq!(account(&p, AccountLine::WasteGenerated, 2020), Some(0.0));
    assert_eq!(
        account(&p, AccountLine::DomesticMaterialConsumption, 2020),
        Some(100.0)
    );
    assert_eq!(value(&p, "cgr.circularity_metric", 2020), Some(0.0));
    // 2025: 100 t leave the stock, are collected, and 0.75 of them recycled back into
    // construction, which then needs only 25 t from the mine: metric 75 / (25 + 75).
    assert_eq!(account(&p, AccountLine::WasteGenerated, 2025), Some(100.0));
    let recycled = account(&p, AccountLine::Treated(Treatment::Recycling), 2025).expect("known");
    assert!((recycled - 75.0).abs() < 1e-9, "{recycled}");
    let dmc = account(&p, AccountLine::DomesticMaterialConsumption, 2025).expect("known");
    assert!((dmc - 25.0).abs() < 1e-9, "{dmc}");
    let metric = value(&p, "cgr.circularity_metric", 2025).expect("known");
    assert!((metric - 0.75).abs() < 1e-12, "{metric}");
    assert_eq!(
        account(&p, AccountLine::NetAdditionsToStock, 2025),
        Some(0.0)
    );
    // 2030: everything collected is recycled: the mine is idle.
    let metric = value(&p, "cgr.circularity_metric", 2030).expect("known");
    assert!((metric - 1.0).abs() < 1e-12, "{metric}");
    assert!(p.notes.is_empty(), "{:?}", p.notes);
    // Each year's model balances, as the network did.
    for year in 2020..=2030 {
        let (ym, _) = year_model(&m, year).expect("builds");
        let mut net = vec![0.0; ym.processes().len()];
        for f in ym.flows() {
            net[f.to.0 as usize] += f.value;
            net[f.from.0 as usize] -= f.value;
        }
        for s in ym.stock_changes() {
            net[s.process.0 as usize] -= s.value;
        }
        for (p, v) in ym.processes().iter().zip(&net) {
            if !p.role.is_source() && !p.role.is_sink() {
                assert!(v.abs() < 1e-9, "{year} {}: {v}", p.id);
            }
        }
    }
}

#[test]
fn renderings_carry_every_series() {
    let m = model(HOUSES);
    let p = project(
        &m,
        &ProjectOptions {
            from: 2024,
            to: 2026,
        },
    )
    .expect("projects");
    let csv = p.to_csv();
    let header = csv.lines().next().expect("header");
    assert_eq!(header, "year,kind,id,name,unit,value,reason");
    let rows = csv.lines().count() - 1;
    assert_eq!(rows, 3 * (4 + p.indicators.len() + p.accounts.len()));
    assert!(
        csv.contains("2025,indicator,cgr.circularity_metric,Circularity Metric,fraction,0.75,")
    );
    let text = p.to_text();
    assert!(text.contains("projection 2024–2026"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.trim_start().starts_with("2025") && l.contains("75.0 %")),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&p.to_json()).expect("valid JSON");
    assert_eq!(json["years"], serde_json::json!([2024, 2025, 2026]));
}

#[test]
fn projection_errors_are_clear() {
    let m = model(HOUSES);
    let err = project(
        &m,
        &ProjectOptions {
            from: 2019,
            to: 2030,
        },
    )
    .expect_err("outside");
    assert_eq!(
        err.to_string(),
        "2019–2030 is not within the model's time axis 2020–2030"
    );
    assert!(matches!(
        project(
            &m,
            &ProjectOptions {
                from: 2030,
                to: 2020
            }
        ),
        Err(ProjectError::Reversed { .. })
    ));
    let plain = model(crate::testing::EVERY_ROLE);
    assert_eq!(
        project(
            &plain,
            &ProjectOptions {
                from: 2020,
                to: 2020
            }
        ),
        Err(ProjectError::NoDynamics)
    );
}

fn problems(text: &str) -> Vec<String> {
    match load(
        SourceText {
            name: "m.toml",
            text,
        },
        Format::Toml,
        &|_| Err("no files".into()),
    ) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn bad_dynamics_get_every_problem_with_line_and_hint() {
    let bad = HOUSES
        .replace(
            "inflow = { start = 2020, values = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100] }",
            "stock = { years = [2020, 2021, 2023, 2022, 2024, 2025, 2026, 2027, 2028, 2029, 2030], values = [1, 2, 3, 4, -5, 6, 7, 8, 9, 10, 11] }",
        )
        .replace("{ dist = \"fixed\", mean = 3 }", "{ dist = \"normal\", mean = 0, sd = 2 }")
        .replace("material = \"concrete\", per_unit", "material = \"concrte\", per_unit");
    let p = problems(&bad);
    let all = p.join("\n");
    assert!(
        all.contains(
            "dynamics.stocks[0].lifetime.mean: normal lifetime: mean = 0 must be positive"
        ),
        "{all}"
    );
    assert!(all.contains("dynamics.stocks[0].stock.years[2]: the stock has a gap: 2022 missing between 2021 and 2023"), "{all}");
    assert!(all.contains("dynamics.stocks[0].stock.years[3]: year 2022 follows 2023: the years are out of order or repeated"), "{all}");
    assert!(
        all.contains("unknown material \"concrte\"\n  hint: did you mean \"concrete\"?"),
        "{all}"
    );
    // Every problem names its line.
    assert!(p.iter().all(|d| d.starts_with("m.toml:")), "{all}");

    let negative = HOUSES.replace(
        "inflow = { start = 2020, values = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100] }",
        "stock = { start = 2020, values = [100, 100, 100, -100, 100, 100, 100, 100, 100, 100, 100] }",
    );
    let all = problems(&negative).join("\n");
    assert!(
        all.contains("stock.values[3]: negative stock -100 in 2023"),
        "{all}"
    );

    let short = HOUSES.replace(
        "values = [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100]",
        "values = [100, 100]",
    );
    let all = problems(&short).join("\n");
    assert!(
        all.contains("the inflow covers 2020–2021, not the time axis 2020–2030"),
        "{all}"
    );

    let weibull = HOUSES.replace(
        "{ dist = \"fixed\", mean = 3 }",
        "{ dist = \"weibull\", shape = -1, scale = 10, mean = 3 }",
    );
    let all = problems(&weibull).join("\n");
    assert!(all.contains("a weibull lifetime takes no `mean`"), "{all}");

    let reversed = HOUSES.replace("last_year = 2030", "last_year = 2010");
    let all = problems(&reversed).join("\n");
    assert!(
        all.contains("dynamics.last_year: the time axis ends (2010) before it starts (2020)"),
        "{all}"
    );

    let old = HOUSES.replace(
        "content = [",
        "initial_cohorts = { years = [2010], values = [50] }\ncontent = [",
    );
    let all = problems(&old).join("\n");
    assert!(
        all.contains("the lifetime leaves nothing of cohort 2010 by 2019"),
        "{all}"
    );

    let share = HOUSES.replace("values = [0.5, 1.0]", "values = [0.5, 1.5]");
    let all = problems(&share).join("\n");
    assert!(
        all.contains("dynamics.shares[0].values[1]: share 1.5 is not a fraction in [0, 1]"),
        "{all}"
    );
}

#[test]
fn content_short_of_the_whole_product_is_a_warning() {
    let half = HOUSES.replace("per_unit = 1.0 }", "per_unit = 0.5 }");
    let loaded = load(
        SourceText {
            name: "m.toml",
            text: &half,
        },
        Format::Toml,
        &|_| Err("no files".into()),
    )
    .expect("valid, with a warning");
    let w: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert!(
        w.iter().any(|w| w.contains("warning: dynamics.stocks[0].content: the mass fractions of the content sum to 0.5: 50.0 % of the product's mass is in no material flow")),
        "{w:?}"
    );
    let ancient = HOUSES.replace(
        "content = [",
        "initial_cohorts = { years = [-2147483648], values = [1] }\ncontent = [",
    );
    let all = problems(&ancient).join("\n");
    assert!(
        all.contains("entered more than 10000 years before the axis"),
        "{all}"
    );
}

#[test]
fn an_existing_file_without_dynamics_is_unchanged() {
    let m = model(crate::testing::EVERY_ROLE);
    assert!(m.dynamics().is_none());
}
