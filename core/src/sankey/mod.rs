//! Sankey diagrams of a model's flows: the layout, and its rendering as a deterministic SVG.
//!
//! One picture for every front end: `circ sankey`, the HTML report and the web calculator all
//! call [`sankey_svg`], so they draw the same bytes. The layout is a layered drawing of the
//! process network, built in [`layout()`] in five steps:
//!
//! 1. **Bands.** Flows with the same origin, destination and [`MaterialGroup`] are summed into one
//!    band, coloured by the group ([`group_colour`]). Flows of value 0 are not drawn (a band of no
//!    mass has no width; the model's data still say the flow is zero). Stock changes become bands
//!    into one "net additions to stock" node (or out of one "net removals from stock" node), so
//!    that every process shows its whole balance and stock is one of the fates of material, as
//!    in the Circularity Gap Report's pictures.
//! 2. **Loops.** Roles place processes in the cycle of materials: sources, production, use,
//!    reuse, collection, sorting, treatment, sinks. A band that lies on a cycle (its ends are in
//!    one strongly connected component) and goes into an earlier stage (recycling into
//!    production, repair back into use) is *backward*; so is any band that closes a cycle left
//!    among the others (found by a depth-first search from the sources, in file order). A search
//!    alone would pick whichever band of a cycle it meets last, which in a large model is often a
//!    forward one, so the roles come first. Backward bands are left out of the layering and drawn
//!    leaving the right side of their origin, running left in a lane below every column, and
//!    entering the left side of their destination. Nested loops get nested lanes (the shortest
//!    loop innermost), so they do not cross one another.
//! 3. **Columns.** Each process goes in the column of its longest path from a source over the
//!    remaining acyclic graph; processes with no outflow (sinks, stock additions, terminal
//!    treatments) are pushed to the last column, so that the fates of material (landfill,
//!    emissions, stock, exports) line up on the right. A process whose outflows all loop back (a
//!    recycler, a repair shop) stays next to what feeds it, so that its loop stays short.
//! 4. **Order.** A few barycentre sweeps, left to right and right to left, order the processes in
//!    each column by the mass-weighted mean position of their neighbours, which removes most band
//!    crossings; ties keep the previous order, so the result is deterministic.
//! 5. **Position.** Node heights are proportional to throughput (the larger of inflow and
//!    outflow), with one scale for the whole picture, chosen so that the fullest column fits
//!    [`Options::height`]. Bands are as wide as their mass, but never thinner than
//!    [`Options::min_band`] so that small flows stay visible (a node is then as tall as its
//!    bands). A few relaxation passes move each node towards its neighbours without changing
//!    the order, then overlaps are resolved.
//!
//! The SVG is accessible (`role="img"`, `<title>`, `<desc>`, a `<title>` on every band and node
//! for a tooltip), uses presentation attributes only (no CSS class that could clash with a page
//! it is inlined into), prints every coordinate with one decimal, and iterates no hash map, so the
//! same model gives the same bytes natively and in WebAssembly. Labels carry values in the
//! model's display unit ([`format_mass`](crate::report::format_mass)); text is near-black with a
//! white halo, for contrast on any band.

mod layout;
mod svg;

pub use layout::{Band, BandKind, Layout, Node, NodeKind, layout};
pub use svg::render;

use crate::model::{MaterialGroup, Model};

/// How to draw a Sankey diagram. Lengths are in SVG user units (pixels at 100 %).
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Height available to the fullest column's mass, before gaps and minimum widths; the
    /// picture grows beyond it when a column holds many processes.
    pub height: f64,
    /// Horizontal distance from one column's nodes to the next (room for bands and labels).
    pub column_gap: f64,
    /// Width the columns should not exceed: with many columns, the gap between them narrows
    /// (to no less than 120 minus the node width), so that a 200-process model stays a picture
    /// rather than a scroll.
    pub max_width: f64,
    /// Width of a node.
    pub node_width: f64,
    /// Vertical gap between nodes of a column.
    pub node_gap: f64,
    /// The thinnest band drawn, however small its mass.
    pub min_band: f64,
    /// Bands at least this wide carry a value label; thinner ones show it in their tooltip.
    pub label_min_band: f64,
    /// Process names longer than this are shortened with "…" (the tooltip has the whole name).
    pub label_chars: usize,
    /// Font size of labels.
    pub font_size: f64,
    /// Heading drawn at the top; `None` for the model's name, `Some("")` for none.
    pub heading: Option<String>,
    /// Prefix of the element ids (`{prefix}-title`, `{prefix}-desc`), so that several diagrams
    /// can be inlined into one page.
    pub id_prefix: String,
    /// Number of barycentre sweeps (each one left to right and back).
    pub sweeps: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            height: 420.0,
            column_gap: 260.0,
            max_width: 2400.0,
            node_width: 14.0,
            node_gap: 16.0,
            min_band: 1.5,
            label_min_band: 10.0,
            label_chars: 36,
            font_size: 12.0,
            heading: None,
            id_prefix: "sankey".to_owned(),
            sweeps: 6,
        }
    }
}

/// The Sankey diagram of a model, as a standalone SVG document (without an XML declaration, so
/// that it can also be inlined into HTML). Pure and deterministic: the CLI's `circ sankey`, the
/// HTML report and the web module call this with the same model and options and get the same
/// bytes.
///
/// ```
/// # use circ_core::{dataset, sankey::{Options, sankey_svg}};
/// let model = dataset("cgr2020").expect("embedded").load().expect("valid").model;
/// let svg = sankey_svg(&model, &Options::default());
/// assert!(svg.starts_with("<svg") && svg.contains("role=\"img\""));
/// ```
#[must_use]
pub fn sankey_svg(model: &Model, options: &Options) -> String {
    render(&layout(model, options), model, options)
}

/// The colour of a material group's bands and bars: the Okabe–Ito palette, which stays distinct
/// for the common forms of colour blindness. Biomass green, metal ores blue, non-metallic
/// minerals orange, fossil energy vermilion, mixed grey.
#[must_use]
pub fn group_colour(group: MaterialGroup) -> &'static str {
    match group {
        MaterialGroup::Biomass => "#009E73",
        MaterialGroup::MetalOres => "#0072B2",
        MaterialGroup::NonMetallicMinerals => "#E69F00",
        MaterialGroup::FossilEnergy => "#D55E00",
        MaterialGroup::Mixed => "#8C8C8C",
    }
}

/// A coordinate or length as SVG text: one decimal, no trailing `.0`, never `-0`. Rust formats
/// floats with its own code on every target, so this is the same natively and in wasm32.
pub(crate) fn num(x: f64) -> String {
    let s = format!("{x:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Escapes text for XML and HTML content and attribute values.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
