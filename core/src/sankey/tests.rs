//! Tests of the Sankey layout: laws that hold for any model, the loops of the shipped data, and
//! snapshots of the SVG (reviewed by eye when they change: `cargo insta review`).

use super::*;
use crate::datasets::dataset;
use crate::testing::{EVERY_ROLE, model};

fn cgr2020() -> Model {
    dataset("cgr2020")
        .expect("embedded")
        .load()
        .expect("valid")
        .into_model()
}

/// Two production processes supplying each other, a recycler feeding back into the first, and
/// repair feeding back into use: loops found by role and by search.
const LOOPS: &str = r#"
[meta]
name = "Loops <&> \"quotes\""
unit = "kt"
scope = "global"
[[processes]]
id = "mine"
name = "Mine"
role = "extraction"
[[processes]]
id = "smelter"
name = "Smelter"
role = "production"
[[processes]]
id = "mill"
name = "Rolling mill"
role = "production"
[[processes]]
id = "use"
name = "Buildings and machines"
role = "use"
[[processes]]
id = "repair"
name = "Repair shop"
role = "reuse"
[[processes]]
id = "scrap"
name = "Scrap recycling"
role = "recycling"
[[processes]]
id = "dump"
name = "Landfill"
role = "landfill"
[[flows]]
from = "mine"
to = "smelter"
material = "MF2"
value = 100
[[flows]]
from = "scrap"
to = "smelter"
material = "MF2"
value = 30
[[flows]]
from = "smelter"
to = "mill"
material = "MF2"
value = 140
[[flows]]
from = "mill"
to = "smelter"
material = "MF2"
value = 10
[[flows]]
from = "mill"
to = "use"
material = "MF2"
value = 130
[[flows]]
from = "use"
to = "repair"
material = "MF2"
value = 5
[[flows]]
from = "repair"
to = "use"
material = "MF2"
value = 5
[[flows]]
from = "use"
to = "scrap"
material = "MF2"
value = 40
[[flows]]
from = "scrap"
to = "dump"
material = "MF2"
value = 10
[[flows]]
from = "use"
to = "dump"
material = "MF2"
value = 90
[[flows]]
from = "mine"
to = "dump"
material = "MF3"
value = 0
"#;

fn backward(l: &Layout) -> Vec<(String, String)> {
    l.bands
        .iter()
        .filter(|b| matches!(b.kind, BandKind::Backward { .. }))
        .map(|b| (l.nodes[b.from].name.clone(), l.nodes[b.to].name.clone()))
        .collect()
}

#[test]
fn the_recycling_loop_of_the_default_data_set_runs_backwards() {
    let l = layout(&cgr2020(), &Options::default());
    assert_eq!(
        backward(&l),
        [(
            "Cycling of secondary materials".to_owned(),
            "Production and manufacturing".to_owned()
        )]
    );
    // Extraction, production, use, then the fates and the recycler.
    assert_eq!(l.columns, 4);
}

#[test]
fn loops_are_found_by_role_and_the_rest_by_search() {
    let l = layout(&model(LOOPS), &Options::default());
    let mut back = backward(&l);
    back.sort();
    assert_eq!(
        back,
        [
            (
                "Repair shop".to_owned(),
                "Buildings and machines".to_owned()
            ),
            ("Rolling mill".to_owned(), "Smelter".to_owned()),
            ("Scrap recycling".to_owned(), "Smelter".to_owned()),
        ]
    );
    let every = layout(&model(EVERY_ROLE), &Options::default());
    assert_eq!(every.loops(), 3);
}

#[test]
fn an_acyclic_model_has_no_backward_bands_whatever_its_roles() {
    // A use process feeding a production process is not a loop unless something comes back.
    let m = model(
        r#"
[meta]
name = "Second-hand parts"
[[processes]]
id = "mine"
role = "extraction"
[[processes]]
id = "fleet"
role = "use"
[[processes]]
id = "factory"
role = "production"
[[processes]]
id = "dump"
role = "landfill"
[[flows]]
from = "mine"
to = "fleet"
material = "MF2"
value = 10
[[flows]]
from = "fleet"
to = "factory"
material = "MF2"
value = 10
[[flows]]
from = "factory"
to = "dump"
material = "MF2"
value = 10
"#,
    );
    let l = layout(&m, &Options::default());
    assert_eq!(l.loops(), 0, "{:?}", backward(&l));
    assert_eq!(l.columns, 4);
}

#[test]
fn geometry_laws_hold() {
    let options = Options::default();
    for text in [LOOPS, EVERY_ROLE] {
        let m = model(text);
        let l = layout(&m, &options);
        for b in &l.bands {
            assert!(b.width >= options.min_band);
            assert!(b.value > 0.0, "zero flows are not drawn");
            match b.kind {
                BandKind::Forward => {
                    assert!(l.nodes[b.from].column < l.nodes[b.to].column);
                }
                BandKind::Backward { lane_y, .. } => {
                    assert!(lane_y > l.nodes_bottom, "lanes run below every node");
                    assert!(lane_y < l.bottom + 1e-9);
                }
            }
            // A band leaves and enters inside its nodes.
            let (from, to) = (&l.nodes[b.from], &l.nodes[b.to]);
            assert!(b.y0 - b.width / 2.0 >= from.y - 1e-9);
            assert!(b.y0 + b.width / 2.0 <= from.y + from.height + 1e-9);
            assert!(b.y1 - b.width / 2.0 >= to.y - 1e-9);
            assert!(b.y1 + b.width / 2.0 <= to.y + to.height + 1e-9);
        }
        // Nodes of a column do not overlap, and keep the gap.
        for c in 0..l.columns {
            let mut col: Vec<&Node> = l.nodes.iter().filter(|n| n.column == c).collect();
            col.sort_by(|a, b| a.y.total_cmp(&b.y));
            for pair in col.windows(2) {
                assert!(pair[0].y + pair[0].height + options.node_gap <= pair[1].y + 1e-6);
            }
            assert!(col.iter().all(|n| n.y >= -1e-9));
        }
    }
}

#[test]
fn heights_are_proportional_to_throughput() {
    let l = layout(&cgr2020(), &Options::default());
    let production = l
        .nodes
        .iter()
        .find(|n| n.name.starts_with("Production"))
        .expect("node");
    let extraction = l
        .nodes
        .iter()
        .find(|n| n.name.starts_with("Extraction"))
        .expect("node");
    let ratio = extraction.height / production.height;
    assert!((ratio - 92.0 / 100.65).abs() < 1e-9, "{ratio}");
    // The fullest column (the five fates of 100.65 Gt) fills the height less its four gaps.
    assert!((production.height - (420.0 - 4.0 * 16.0)).abs() < 1e-9);
}

#[test]
fn the_svg_is_deterministic_accessible_and_escaped() {
    let m = model(LOOPS);
    let options = Options::default();
    let svg = sankey_svg(&m, &options);
    assert_eq!(svg, sankey_svg(&m, &options));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("aria-labelledby=\"sankey-title sankey-desc\""));
    assert!(svg.contains(
        "<title id=\"sankey-title\">Sankey diagram: Loops &lt;&amp;&gt; &quot;quotes&quot;</title>"
    ));
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert!(!svg.contains("-0 ") && !svg.contains(".0 "));
    let prefixed = sankey_svg(
        &m,
        &Options {
            id_prefix: "fig2".into(),
            ..Options::default()
        },
    );
    assert!(prefixed.contains("id=\"fig2-title\""));
}

#[test]
fn numbers_print_with_one_decimal() {
    assert_eq!(num(1.25), "1.2");
    assert_eq!(num(3.0), "3");
    assert_eq!(num(-0.01), "0");
    assert_eq!(num(-2.56), "-2.6");
}

#[test]
fn snapshot_default_data_set() {
    insta::assert_snapshot!(sankey_svg(&cgr2020(), &Options::default()));
}

#[test]
fn snapshot_loops() {
    insta::assert_snapshot!(sankey_svg(&model(LOOPS), &Options::default()));
}

#[test]
fn snapshot_every_role() {
    insta::assert_snapshot!(sankey_svg(&model(EVERY_ROLE), &Options::default()));
}
