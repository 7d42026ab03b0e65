//! Sankey diagrams of 200-process models: the layout stays a readable picture (bounded size,
//! loops found, no overlapping nodes), deterministically. The SVGs are written to `artifacts/`
//! for people to look at; the snapshots pin their shape and their bytes (by SHA-256).

use std::fmt::Write as _;
use std::path::Path;

use circ_core::sankey::{BandKind, Layout, Options, layout, sankey_svg};
use circ_core::sha256::sha256_hex;
use circ_core::{Format, Model, SourceText, load};

fn model(json: &str) -> Model {
    load(
        SourceText {
            name: "generated.json",
            text: json,
        },
        Format::Json,
        &|_| Err("no tables".into()),
    )
    .unwrap_or_else(|d| panic!("{}", d[0]))
    .into_model()
}

/// The shape of a layout, for a snapshot.
fn summary(l: &Layout, svg: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "nodes: {}", l.nodes.len());
    let _ = writeln!(s, "columns: {}", l.columns);
    let _ = writeln!(s, "bands: {}", l.bands.len());
    let _ = writeln!(s, "backward bands: {}", l.loops());
    let _ = writeln!(s, "crossings between adjacent columns: {}", l.crossings());
    let per_column: Vec<usize> = (0..l.columns)
        .map(|c| l.nodes.iter().filter(|n| n.column == c).count())
        .collect();
    let _ = writeln!(s, "nodes per column: {per_column:?}");
    let size = svg
        .lines()
        .next()
        .and_then(|line| line.split("viewBox=\"0 0 ").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("");
    let _ = writeln!(s, "size: {size}");
    let _ = writeln!(s, "bytes: {}", svg.len());
    let _ = writeln!(s, "sha256: {}", sha256_hex(svg.as_bytes()));
    s
}

fn laws(l: &Layout, options: &Options) {
    for c in 0..l.columns {
        let mut col: Vec<_> = l.nodes.iter().filter(|n| n.column == c).collect();
        col.sort_by(|a, b| a.y.total_cmp(&b.y));
        for pair in col.windows(2) {
            // Room for a label between two nodes: the gap is at least the font size.
            assert!(pair[0].y + pair[0].height + options.node_gap <= pair[1].y + 1e-6);
        }
    }
    for b in &l.bands {
        if let BandKind::Forward = b.kind {
            assert!(l.nodes[b.from].column < l.nodes[b.to].column);
        }
    }
}

fn keep(name: &str, svg: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    std::fs::write(dir.join(name), svg).expect("write artifact");
}

#[test]
fn a_staged_200_process_economy_with_recycling_loops() {
    let m = model(&circ_benches::staged_model(200, 7));
    let options = Options::default();
    let l = layout(&m, &options);
    let svg = sankey_svg(&m, &options);
    keep("sankey-staged-200.svg", &svg);
    laws(&l, &options);
    // Sources, primary production, manufacturing, use, collection, recycling, sinks.
    assert_eq!(l.columns, 7);
    // Every recycler's return to primary production is a loop, and nothing else is.
    assert_eq!(l.loops(), 28);
    assert!(svg.len() < 250_000, "{} bytes", svg.len());
    insta::assert_snapshot!(summary(&l, &svg));
}

#[test]
fn a_random_200_process_network() {
    // circ-benches' generator: every process fed by the mine and feeding the sinks, and flows
    // jumping up to 50 processes ahead: 39 columns. The columns narrow towards the 2400 px of
    // `max_width`, down to 120 px apart, where the labels above the nodes still fit.
    let m = model(&circ_benches::generated_model(200, 1600, 42));
    let options = Options::default();
    let l = layout(&m, &options);
    let svg = sankey_svg(&m, &options);
    keep("sankey-random-200.svg", &svg);
    laws(&l, &options);
    assert_eq!(l.loops(), 0, "the generated network has no cycle");
    assert!((l.pitch - 120.0).abs() < 1e-9, "{}", l.pitch);
    assert!(svg.len() < 400_000, "{} bytes", svg.len());
    insta::assert_snapshot!(summary(&l, &svg));
}
