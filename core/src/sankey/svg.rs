//! Draws a [`Layout`] as SVG text: a heading, a legend of material groups, bands, nodes and
//! labels. Everything is computed before the first byte is written, so the drawing's extent
//! (labels included) sets the `viewBox` exactly.

use std::fmt::Write as _;

use crate::model::{MaterialGroup, Model};
use crate::report::format_mass;

use super::layout::{Band, BandKind, Layout, NodeKind};
use super::{Options, escape, group_colour, num};

/// Blank space around the drawing.
const MARGIN: f64 = 16.0;
/// Space between a node and its label.
const LABEL_GAP: f64 = 6.0;
/// Text colour: near-black on the white background (contrast ratio about 17:1).
const INK: &str = "#1a1a1a";
/// Average advance of a character, as a share of the font size (DejaVu Sans and Arial are
/// narrower): used to reserve room for labels.
const CHAR_WIDTH: f64 = 0.6;
/// The same for fitting a label between two columns: closer to the true average of mixed-case
/// text (about 0.55 in DejaVu Sans), so that names are not cut a word early.
const FIT_CHAR_WIDTH: f64 = 0.56;

/// A label placed beside a node.
struct Label {
    x: f64,
    y: f64,
    anchor: &'static str,
    name: String,
    value: String,
}

/// Renders a layout of `model` as an SVG document.
#[must_use]
pub fn render(layout: &Layout, model: &Model, options: &Options) -> String {
    let unit = model.meta().unit;
    let fs = options.font_size;
    let char_w = fs * CHAR_WIDTH;
    let last = layout.columns.saturating_sub(1);
    let pitch = layout.pitch;

    // Labels: left of the first column and right of the last, outside the bands (beyond the
    // leg of a loop leaving a node of the last column); above the node in the columns between,
    // where the bands would cover them.
    let mut leg_right = vec![f64::NEG_INFINITY; layout.nodes.len()];
    for b in &layout.bands {
        if let BandKind::Backward { out_x, .. } = b.kind {
            leg_right[b.from] = leg_right[b.from].max(out_x + b.width / 2.0);
        }
    }
    let labels: Vec<Label> = layout
        .nodes
        .iter()
        .enumerate()
        .map(|(v, node)| {
            let centre = node.y + node.height / 2.0 + fs * 0.35;
            let right = node.x + options.node_width;
            let (x, y, anchor) = if node.column == 0 && layout.columns > 1 {
                (node.x - LABEL_GAP, centre, "end")
            } else if node.column == last {
                (right.max(leg_right[v]) + LABEL_GAP, centre, "start")
            } else {
                (
                    node.x + options.node_width / 2.0,
                    node.y - fs * 0.4,
                    "middle",
                )
            };
            let value = format!("{} {unit}", format_mass(node.throughput, unit));
            // Above a node, a label must fit between the columns' centres.
            let chars = if anchor == "middle" {
                let fit = ((pitch - 2.0 * LABEL_GAP) / (fs * FIT_CHAR_WIDTH)) as usize;
                fit.saturating_sub(value.chars().count() + 1)
                    .min(options.label_chars)
                    .max(4)
            } else {
                options.label_chars
            };
            Label {
                x,
                y,
                anchor,
                name: shorten(&node.name, chars),
                value,
            }
        })
        .collect();
    let label_width =
        |l: &Label| (l.name.chars().count() + 1 + l.value.chars().count()) as f64 * char_w;

    // Horizontal extent of the drawing.
    let mut min_x: f64 = 0.0;
    let mut max_x: f64 = layout.right;
    let mut min_y: f64 = 0.0;
    for l in &labels {
        let w = label_width(l);
        let (a, b) = match l.anchor {
            "end" => (l.x - w, l.x),
            "middle" => (l.x - w / 2.0, l.x + w / 2.0),
            _ => (l.x, l.x + w),
        };
        min_x = min_x.min(a);
        max_x = max_x.max(b);
        min_y = min_y.min(l.y - fs);
    }
    for b in &layout.bands {
        if let BandKind::Backward { out_x, in_x, .. } = b.kind {
            max_x = max_x.max(out_x + b.width / 2.0 + 2.0);
            min_x = min_x.min(in_x - b.width / 2.0 - 2.0);
        }
    }

    // Heading and legend above the drawing.
    let heading = match &options.heading {
        Some(h) => h.clone(),
        None => model.meta().name.clone(),
    };
    let content_width = max_x - min_x;
    let mut top = MARGIN;
    let mut head = String::new();
    if !heading.is_empty() {
        top += fs * 1.3;
        let _ = writeln!(
            head,
            r#"<text x="{}" y="{}" font-size="{}" font-weight="bold" fill="{INK}">{}</text>"#,
            num(MARGIN),
            num(top),
            num(fs * 1.3),
            escape(&heading)
        );
        top += fs * 0.6;
    }
    top += fs * 1.2;
    let loops = layout.loops();
    let _ = writeln!(
        head,
        r#"<text x="{}" y="{}" fill="{INK}">Material flows in {} per year. Band width is proportional to mass{}.</text>"#,
        num(MARGIN),
        num(top),
        unit,
        if loops > 0 {
            "; bands below the columns run backwards: material cycled back"
        } else {
            ""
        }
    );
    top += fs * 0.8;
    // Legend items, wrapped to the drawing's width.
    let mut items: Vec<(Option<MaterialGroup>, String)> = layout
        .groups
        .iter()
        .map(|g| (Some(*g), format!("{} ({})", g.name(), g.code())))
        .collect();
    if loops > 0 {
        items.push((None, "cycled back (loop)".to_owned()));
    }
    let mut lx = MARGIN;
    let row_height = fs * 1.6;
    let mut ly = top + fs * 0.4;
    let mut legend = String::new();
    let _ = writeln!(legend, r#"<g aria-label="legend">"#);
    for (group, text) in &items {
        let w = fs * 1.4 + text.chars().count() as f64 * char_w + fs * 1.5;
        if lx + w > MARGIN + content_width.max(480.0) && lx > MARGIN {
            lx = MARGIN;
            ly += row_height;
        }
        match group {
            Some(g) => {
                let _ = writeln!(
                    legend,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                    num(lx),
                    num(ly),
                    num(fs),
                    num(fs),
                    group_colour(*g)
                );
            }
            None => {
                // A small U-turn: the shape of a backward band.
                let _ = writeln!(
                    legend,
                    r#"<path d="M{} {}h{}v{}h{}" fill="none" stroke="{INK}" stroke-width="2"/>"#,
                    num(lx + fs),
                    num(ly + 1.0),
                    num(0.0),
                    num(fs - 2.0),
                    num(-fs)
                );
            }
        }
        let _ = writeln!(
            legend,
            r#"<text x="{}" y="{}" fill="{INK}">{}</text>"#,
            num(lx + fs * 1.4),
            num(ly + fs * 0.85),
            escape(text)
        );
        lx += w;
    }
    let _ = writeln!(legend, "</g>");
    let legend_bottom = ly + row_height;

    // The drawing's origin.
    let ox = MARGIN - min_x;
    let oy = legend_bottom + fs - min_y;
    let width = (content_width + 2.0 * MARGIN).max(lx + MARGIN).ceil();
    let height = (oy + layout.bottom + MARGIN).ceil();

    let p = escape(&options.id_prefix);
    let mut out = String::with_capacity(1024 + layout.bands.len() * 220);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{p}-title {p}-desc" font-family="DejaVu Sans, Verdana, Arial, sans-serif" font-size="{fs}">"#,
        w = num(width),
        h = num(height),
        fs = num(fs)
    );
    let _ = writeln!(
        out,
        r#"<title id="{p}-title">Sankey diagram: {}</title>"#,
        escape(&heading_or_name(&heading, model))
    );
    let _ = writeln!(
        out,
        r#"<desc id="{p}-desc">{}</desc>"#,
        escape(&description(layout, model))
    );
    let _ = writeln!(
        out,
        r##"<rect width="{}" height="{}" fill="#fff"/>"##,
        num(width),
        num(height)
    );
    out.push_str(&head);
    out.push_str(&legend);

    let _ = writeln!(out, r#"<g transform="translate({} {})">"#, num(ox), num(oy));
    // Bands under nodes; forward first, loops over them.
    let _ = writeln!(out, r#"<g fill="none" stroke-opacity="0.55">"#);
    for band in &layout.bands {
        write_band(&mut out, layout, model, band, options);
    }
    let _ = writeln!(out, "</g>");
    // Nodes.
    let _ = writeln!(out, r##"<g fill="#333">"##);
    for node in &layout.nodes {
        let role = match node.kind {
            NodeKind::Process(p) => model.process(p).role.as_str(),
            NodeKind::StockAddition | NodeKind::StockRemoval => "stock",
        };
        let _ = writeln!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}"><title>{} ({role}): {} {unit}</title></rect>"#,
            num(node.x),
            num(node.y),
            num(options.node_width),
            num(node.height),
            escape(&node.name),
            format_mass(node.throughput, unit)
        );
    }
    let _ = writeln!(out, "</g>");
    // Labels, with a white halo for contrast over bands.
    let _ = writeln!(
        out,
        r##"<g fill="{INK}" stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">"##
    );
    for l in &labels {
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="{}">{} <tspan font-weight="bold">{}</tspan></text>"#,
            num(l.x),
            num(l.y),
            l.anchor,
            escape(&l.name),
            escape(&l.value)
        );
    }
    // Value labels of wide bands, unless they would cover a node's label or an earlier one.
    let mut taken: Vec<[f64; 4]> = labels
        .iter()
        .map(|l| {
            let w = label_width(l);
            let left = match l.anchor {
                "end" => l.x - w,
                "middle" => l.x - w / 2.0,
                _ => l.x,
            };
            [left, l.y - fs, left + w, l.y + fs * 0.3]
        })
        .collect();
    for band in &layout.bands {
        if band.width < options.label_min_band {
            continue;
        }
        let value = format!("{} {unit}", format_mass(band.value, unit));
        let (x, y) = match band.kind {
            BandKind::Forward => {
                let x0 = layout.nodes[band.from].x + options.node_width;
                let x1 = layout.nodes[band.to].x;
                ((x0 + x1) / 2.0, (band.y0 + band.y1) / 2.0)
            }
            BandKind::Backward {
                lane_y,
                out_x,
                in_x,
                ..
            } => ((out_x + in_x) / 2.0, lane_y),
        };
        let w = value.chars().count() as f64 * char_w * 0.9;
        let sz = fs * 0.9;
        let rect = [
            x - w / 2.0,
            y + fs * 0.3 - sz,
            x + w / 2.0,
            y + fs * 0.3 + sz * 0.3,
        ];
        if taken
            .iter()
            .any(|t| rect[0] < t[2] && t[0] < rect[2] && rect[1] < t[3] && t[1] < rect[3])
        {
            continue;
        }
        taken.push(rect);
        let _ = writeln!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}">{}</text>"#,
            num(x),
            num(y + fs * 0.3),
            num(fs * 0.9),
            escape(&value)
        );
    }
    let _ = writeln!(out, "</g>\n</g>\n</svg>");
    out
}

fn write_band(out: &mut String, layout: &Layout, model: &Model, band: &Band, options: &Options) {
    let unit = model.meta().unit;
    let from = &layout.nodes[band.from];
    let to = &layout.nodes[band.to];
    let x0 = from.x + options.node_width;
    let x1 = to.x;
    let w = band.width;
    let d = match band.kind {
        BandKind::Forward => {
            let xm = (x0 + x1) / 2.0;
            format!(
                "M{} {}C{} {} {} {} {} {}",
                num(x0),
                num(band.y0),
                num(xm),
                num(band.y0),
                num(xm),
                num(band.y1),
                num(x1),
                num(band.y1)
            )
        }
        BandKind::Backward {
            lane_y,
            out_x,
            in_x,
        } => {
            // Right from the origin, a quarter turn down, along the lane to the left, a quarter
            // turn up, and right into the destination; the radius keeps the inner edge round.
            let r = w / 2.0 + 6.0;
            format!(
                "M{} {}H{}Q{} {} {} {}V{}Q{} {} {} {}H{}Q{} {} {} {}V{}Q{} {} {} {}H{}",
                num(x0),
                num(band.y0),
                num(out_x - r),
                num(out_x),
                num(band.y0),
                num(out_x),
                num(band.y0 + r),
                num(lane_y - r),
                num(out_x),
                num(lane_y),
                num(out_x - r),
                num(lane_y),
                num(in_x + r),
                num(in_x),
                num(lane_y),
                num(in_x),
                num(lane_y - r),
                num(band.y1 + r),
                num(in_x),
                num(band.y1),
                num(in_x + r),
                num(band.y1),
                num(x1)
            )
        }
    };
    let back = matches!(band.kind, BandKind::Backward { .. });
    let _ = writeln!(
        out,
        r#"<path d="{d}" stroke="{}" stroke-width="{}"><title>{} → {}: {}, {} {unit}{}</title></path>"#,
        group_colour(band.group),
        num(w),
        escape(&from.name),
        escape(&to.name),
        band.group.name(),
        format_mass(band.value, unit),
        if back { " (cycled back)" } else { "" }
    );
    if back && w >= 8.0 {
        // A chevron pointing left, in the middle of the lane: the direction of the loop.
        if let BandKind::Backward {
            lane_y,
            out_x,
            in_x,
            ..
        } = band.kind
        {
            let a = (w / 2.0 - 1.0).min(6.0);
            let x = (out_x + in_x) / 2.0 - 3.0 * options.font_size;
            let _ = writeln!(
                out,
                r##"<path d="M{} {}L{} {}L{} {}" stroke="#fff" stroke-width="2" stroke-opacity="1"/>"##,
                num(x + a),
                num(lane_y - a),
                num(x),
                num(lane_y),
                num(x + a),
                num(lane_y + a)
            );
        }
    }
}

/// The accessible description: what the picture shows, in words.
fn description(layout: &Layout, model: &Model) -> String {
    let unit = model.meta().unit;
    let processes = layout
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Process(_)))
        .count();
    let mut text = format!(
        "{processes} processes in {} columns linked by {} bands of material in {unit} per year, coloured by material group",
        layout.columns,
        layout.bands.len()
    );
    let loops: Vec<String> = layout
        .bands
        .iter()
        .filter(|b| matches!(b.kind, BandKind::Backward { .. }))
        .take(5)
        .map(|b| {
            format!(
                "{} to {}, {} {unit}",
                layout.nodes[b.from].name,
                layout.nodes[b.to].name,
                format_mass(b.value, unit)
            )
        })
        .collect();
    if loops.is_empty() {
        text.push('.');
    } else {
        let _ = write!(
            text,
            ". {} cycled back: {}{}.",
            if layout.loops() == 1 {
                "One band is".to_owned()
            } else {
                format!("{} bands are", layout.loops())
            },
            loops.join("; "),
            if layout.loops() > 5 { "; …" } else { "" }
        );
    }
    text
}

fn heading_or_name(heading: &str, model: &Model) -> String {
    if heading.is_empty() {
        model.meta().name.clone()
    } else {
        heading.to_owned()
    }
}

/// `text` cut to `max` characters with "…" at the end.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
        s = s.trim_end().trim_end_matches([',', ':', ';']).to_owned();
        s.push('…');
        s
    }
}
