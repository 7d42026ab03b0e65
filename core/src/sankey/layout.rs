//! The Sankey layout: bands, loops, columns, order and positions (the steps of the module
//! documentation in [`super`]). Pure geometry in SVG user units; [`super::svg`] draws it.

use crate::model::{MaterialGroup, Model, ProcessId, Role};

use super::Options;

/// A laid-out diagram: nodes and bands with their coordinates, and the extent of the drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Nodes: the processes in file order, then stock nodes.
    pub nodes: Vec<Node>,
    /// Bands, in the order they are drawn (forward bands, then backward bands).
    pub bands: Vec<Band>,
    /// Number of columns.
    pub columns: usize,
    /// Material groups present in the bands, in [`MaterialGroup::ALL`] order (for the legend).
    pub groups: Vec<MaterialGroup>,
    /// The bottom of the lowest node, where the lanes of backward bands start.
    pub nodes_bottom: f64,
    /// The bottom of the lowest lane of backward bands (equal to `nodes_bottom` without loops).
    pub bottom: f64,
    /// The right edge of the last column.
    pub right: f64,
    /// Distance between the left edges of two columns.
    pub pitch: f64,
    /// Scale: user units per tonne.
    pub scale: f64,
}

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A process of the model.
    Process(ProcessId),
    /// Net additions to stock, of every process that holds stock.
    StockAddition,
    /// Net removals from stock, of every process that holds stock.
    StockRemoval,
}

/// A node: a rectangle in a column.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What it stands for.
    pub kind: NodeKind,
    /// Its name (the process name, or a stock node's).
    pub name: String,
    /// Column, from 0 at the left.
    pub column: usize,
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Height.
    pub height: f64,
    /// Throughput in t per year: the larger of what flows in and what flows out.
    pub throughput: f64,
}

/// Whether a band runs forward (left to right) or closes a loop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BandKind {
    /// From a column to a later one.
    Forward,
    /// Back to an earlier (or the same) column, through a lane below the columns.
    Backward {
        /// Centre line of the lane.
        lane_y: f64,
        /// x of the vertical leg right of the origin.
        out_x: f64,
        /// x of the vertical leg left of the destination.
        in_x: f64,
    },
}

/// A band: the flows of one material group from one node to another.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Origin node (index into [`Layout::nodes`]).
    pub from: usize,
    /// Destination node.
    pub to: usize,
    /// Material group.
    pub group: MaterialGroup,
    /// Mass in t per year.
    pub value: f64,
    /// Drawn width.
    pub width: f64,
    /// Centre of the band where it leaves its origin.
    pub y0: f64,
    /// Centre of the band where it enters its destination.
    pub y1: f64,
    /// Forward or backward.
    pub kind: BandKind,
}

/// Narrowest distance between columns: room for a label such as "p146 425 t" above a node.
const MIN_PITCH: f64 = 120.0;
/// Smallest node height, for a process without flows.
const MIN_NODE: f64 = 2.0;
/// Space between the lowest node and the first lane, and between lanes.
const LANE_GAP: f64 = 6.0;
/// Inner radius of the turns of backward bands.
const TURN: f64 = 6.0;

/// An edge of the graph before positions: a band without geometry.
#[derive(Debug, Clone, Copy)]
struct Edge {
    from: usize,
    to: usize,
    group: MaterialGroup,
    value: f64,
    back: bool,
}

/// Lays out the Sankey diagram of a model (see the module documentation of [`super`]).
#[must_use]
pub fn layout(model: &Model, options: &Options) -> Layout {
    let (nodes, mut edges) = graph(model);
    let n = nodes.len();
    let stages: Vec<u8> = nodes.iter().map(|(k, _)| stage(model, *k)).collect();
    let component = components(n, &edges);
    for e in &mut edges {
        e.back = component[e.from] == component[e.to] && stages[e.to] < stages[e.from];
    }
    mark_back_edges(n, &mut edges);
    let column = columns(n, &edges);
    let columns = column.iter().copied().max().map_or(0, |c| c + 1);
    let order = order(n, &column, columns, &edges, options.sweeps);

    // Throughput and the scale.
    let mut inflow = vec![0.0; n];
    let mut outflow = vec![0.0; n];
    for e in &edges {
        outflow[e.from] += e.value;
        inflow[e.to] += e.value;
    }
    let throughput: Vec<f64> = (0..n).map(|i| inflow[i].max(outflow[i])).collect();
    let scale = scale(&order, &throughput, options);
    let width = |v: f64| (v * scale).max(options.min_band);
    let mut in_width = vec![0.0; n];
    let mut out_width = vec![0.0; n];
    for e in &edges {
        out_width[e.from] += width(e.value);
        in_width[e.to] += width(e.value);
    }
    let height: Vec<f64> = (0..n)
        .map(|i| {
            (throughput[i] * scale)
                .max(in_width[i])
                .max(out_width[i])
                .max(MIN_NODE)
        })
        .collect();
    let y = positions(&order, &height, &edges, options);

    let pitch = pitch(columns, options);
    let x = |c: usize| c as f64 * pitch;
    let mut out_nodes: Vec<Node> = nodes
        .into_iter()
        .enumerate()
        .map(|(i, (kind, name))| Node {
            kind,
            name,
            column: column[i],
            x: x(column[i]),
            y: y[i],
            height: height[i],
            throughput: throughput[i],
        })
        .collect();
    let nodes_bottom = out_nodes
        .iter()
        .map(|nd| nd.y + nd.height)
        .fold(0.0, f64::max);
    let (bands, bottom) = attach(&out_nodes, &edges, &width, nodes_bottom, options);
    let mut groups: Vec<MaterialGroup> = MaterialGroup::ALL
        .into_iter()
        .filter(|g| bands.iter().any(|b| b.group == *g))
        .collect();
    groups.dedup();
    for nd in &mut out_nodes {
        nd.name = nd.name.trim().to_owned();
    }
    Layout {
        nodes: out_nodes,
        bands,
        columns,
        groups,
        nodes_bottom,
        bottom,
        right: x(columns.saturating_sub(1)) + options.node_width,
        pitch,
        scale,
    }
}

/// Distance between the left edges of two columns: `node_width + column_gap`, narrowed (down
/// to [`MIN_PITCH`]) when that many columns would be wider than [`Options::max_width`].
fn pitch(columns: usize, options: &Options) -> f64 {
    let wide = options.node_width + options.column_gap;
    if columns < 2 {
        return wide;
    }
    (options.max_width / (columns - 1) as f64).clamp(MIN_PITCH.min(wide), wide)
}

/// Nodes (processes, then stock nodes) and edges (flows and stock changes summed by origin,
/// destination and group, in order of first appearance; zero sums dropped).
fn graph(model: &Model) -> (Vec<(NodeKind, String)>, Vec<Edge>) {
    let mut nodes: Vec<(NodeKind, String)> = model
        .processes()
        .iter()
        .enumerate()
        .map(|(i, p)| (NodeKind::Process(pid(i)), p.name.clone()))
        .collect();
    let mut edges: Vec<Edge> = Vec::new();
    let add = |edges: &mut Vec<Edge>, from: usize, to: usize, group, value: f64| match edges
        .iter_mut()
        .find(|e| e.from == from && e.to == to && e.group == group)
    {
        Some(e) => e.value += value,
        None => edges.push(Edge {
            from,
            to,
            group,
            value,
            back: false,
        }),
    };
    // Flows can number 100,000: index the (from, to, group) triples through a sorted map of
    // first positions instead of searching the edge list.
    let mut index: std::collections::BTreeMap<(u32, u32, usize), usize> =
        std::collections::BTreeMap::new();
    for f in model.flows() {
        let group = model.material(f.material).group;
        let key = (f.from.0, f.to.0, group.index());
        match index.get(&key) {
            Some(&i) => edges[i].value += f.value,
            None => {
                index.insert(key, edges.len());
                edges.push(Edge {
                    from: f.from.0 as usize,
                    to: f.to.0 as usize,
                    group,
                    value: f.value,
                    back: false,
                });
            }
        }
    }
    // Stock nodes: one for all additions and one for all removals, as the Circularity Gap
    // Report draws "net additions to stock" as one of the fates of material; two, so that a
    // process adding one material and drawing down another does not form a two-node loop.
    let stock_node = |nodes: &mut Vec<(NodeKind, String)>, kind: NodeKind| -> usize {
        if let Some(i) = nodes.iter().position(|(k, _)| *k == kind) {
            return i;
        }
        let name = match kind {
            NodeKind::StockRemoval => "Net removals from stock",
            _ => "Net additions to stock",
        };
        nodes.push((kind, name.to_owned()));
        nodes.len() - 1
    };
    for s in model.stock_changes() {
        let group = model.material(s.material).group;
        let p = s.process.0 as usize;
        if s.value > 0.0 {
            let to = stock_node(&mut nodes, NodeKind::StockAddition);
            add(&mut edges, p, to, group, s.value);
        } else if s.value < 0.0 {
            let from = stock_node(&mut nodes, NodeKind::StockRemoval);
            add(&mut edges, from, p, group, -s.value);
        }
    }
    edges.retain(|e| e.value > 0.0);
    (nodes, edges)
}

fn pid(i: usize) -> ProcessId {
    ProcessId(u32::try_from(i).expect("a model has fewer than 2^32 processes"))
}

/// The place of a node in the cycle of materials: sources, production, use, reuse, collection,
/// sorting, treatment, sinks. An edge to an earlier stage closes a loop.
fn stage(model: &Model, kind: NodeKind) -> u8 {
    let role = match kind {
        NodeKind::Process(p) => model.process(p).role,
        NodeKind::StockAddition => return 7,
        NodeKind::StockRemoval => return 0,
    };
    match role {
        Role::Extraction | Role::Import => 0,
        Role::Production => 1,
        Role::Use => 2,
        Role::Reuse => 3,
        Role::Collection => 4,
        Role::Sorting => 5,
        Role::Recycling
        | Role::Composting
        | Role::Backfilling
        | Role::EnergyRecovery
        | Role::Incineration => 6,
        Role::Export | Role::Landfill | Role::Emission | Role::Dissipation => 7,
    }
}

/// The strongly connected component of each node (Kosaraju's algorithm, iterative): two nodes
/// share one exactly when each reaches the other, so an edge lies on a cycle exactly when its
/// ends share a component.
fn components(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut inc: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges {
        out[e.from].push(e.to);
        inc[e.to].push(e.from);
    }
    // First pass: nodes in order of finishing.
    let mut seen = vec![false; n];
    let mut finished = Vec::with_capacity(n);
    for root in 0..n {
        if seen[root] {
            continue;
        }
        seen[root] = true;
        let mut stack = vec![(root, 0usize)];
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if let Some(&w) = out[v].get(next) {
                top.1 += 1;
                if !seen[w] {
                    seen[w] = true;
                    stack.push((w, 0));
                }
            } else {
                finished.push(v);
                stack.pop();
            }
        }
    }
    // Second pass, on the reversed graph, in reverse finishing order.
    let mut component = vec![usize::MAX; n];
    let mut count = 0;
    for &root in finished.iter().rev() {
        if component[root] != usize::MAX {
            continue;
        }
        component[root] = count;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            for &w in &inc[v] {
                if component[w] == usize::MAX {
                    component[w] = count;
                    stack.push(w);
                }
            }
        }
        count += 1;
    }
    component
}

/// Marks the edges that close the cycles left among the forward edges (between processes of
/// one stage, such as two production processes supplying each other): a depth-first search
/// from the nodes without inflows (in node order), then from any node not yet reached,
/// following edges in their order; an edge to a node on the current path is backward.
fn mark_back_edges(n: usize, edges: &mut [Edge]) {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut has_in = vec![false; n];
    for (i, e) in edges.iter().enumerate().filter(|(_, e)| !e.back) {
        out[e.from].push(i);
        has_in[e.to] = true;
    }
    // 0 unvisited, 1 on the path, 2 done.
    let mut state = vec![0u8; n];
    let roots = (0..n)
        .filter(|&v| !has_in[v])
        .chain((0..n).filter(|&v| has_in[v]));
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        // Iterative DFS: (node, next outgoing edge position).
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(top) = stack.last_mut() {
            let (v, next) = *top;
            if next < out[v].len() {
                top.1 += 1;
                let ei = out[v][next];
                let w = edges[ei].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => edges[ei].back = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
}

/// Columns: the longest path from a source over forward edges; nodes without outflows go to the
/// last column.
fn columns(n: usize, edges: &[Edge]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for e in edges.iter().filter(|e| !e.back) {
        indegree[e.to] += 1;
        out[e.from].push(e.to);
    }
    // Kahn's algorithm, smallest index first: a deterministic topological order.
    // Filled by `extend`, which inserts, rather than `collect`, which sorts first: every
    // collected B-tree would compile its own sort into the web module (crate::sort).
    let mut ready = std::collections::BTreeSet::new();
    ready.extend((0..n).filter(|&v| indegree[v] == 0));
    let mut column = vec![0usize; n];
    while let Some(v) = ready.pop_first() {
        for &w in &out[v] {
            column[w] = column[w].max(column[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.insert(w);
            }
        }
    }
    let last = column.iter().copied().max().unwrap_or(0);
    let mut has_in = vec![false; n];
    let mut has_out = vec![false; n];
    for e in edges {
        has_in[e.to] = true;
        has_out[e.from] = true;
    }
    for v in 0..n {
        // Sinks line up on the right; a process whose outflows all loop back (a recycler, a
        // repair shop) stays next to what feeds it, so that its loop is short; an isolated
        // process stays in the first column.
        if has_in[v] && !has_out[v] {
            column[v] = last;
        }
    }
    column
}

/// Orders the nodes of each column: file order, then barycentre sweeps over forward edges,
/// weighted by mass. Returns the nodes of each column, top to bottom.
fn order(
    n: usize,
    column: &[usize],
    columns: usize,
    edges: &[Edge],
    sweeps: usize,
) -> Vec<Vec<usize>> {
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for v in 0..n {
        cols[column[v]].push(v);
    }
    let forward: Vec<&Edge> = edges.iter().filter(|e| !e.back).collect();
    // Ends of loops go to the bottom of their column, next to the lanes below the columns.
    let mut loop_end = vec![false; n];
    for e in edges.iter().filter(|e| e.back) {
        loop_end[e.from] = true;
        loop_end[e.to] = true;
    }
    let mut pos = vec![0.0; n];
    let place = |cols: &Vec<Vec<usize>>, pos: &mut Vec<f64>| {
        for col in cols {
            for (i, &v) in col.iter().enumerate() {
                pos[v] = (i as f64 + 0.5) / col.len() as f64;
            }
        }
    };
    place(&cols, &mut pos);
    // Forward edges by the column of each end, so that a sweep over a column reads only its own
    // edges: a 10,000-process model has hundreds of columns.
    let mut into: Vec<Vec<&Edge>> = vec![Vec::new(); columns];
    let mut out_of: Vec<Vec<&Edge>> = vec![Vec::new(); columns];
    for e in &forward {
        into[column[e.to]].push(e);
        out_of[column[e.from]].push(e);
    }
    let mut sum = vec![0.0; n];
    let mut weight = vec![0.0; n];
    for _ in 0..sweeps {
        for backwards in [false, true] {
            let range: Vec<usize> = if backwards {
                (0..columns).rev().collect()
            } else {
                (0..columns).collect()
            };
            for c in range {
                for &v in &cols[c] {
                    sum[v] = 0.0;
                    weight[v] = 0.0;
                }
                let edges = if backwards { &out_of[c] } else { &into[c] };
                for e in edges {
                    let (me, other) = if backwards {
                        (e.from, e.to)
                    } else {
                        (e.to, e.from)
                    };
                    sum[me] += pos[other] * e.value;
                    weight[me] += e.value;
                }
                let col = &mut cols[c];
                let mut keyed: Vec<(f64, usize, usize)> = col
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let key = if weight[v] > 0.0 {
                            sum[v] / weight[v]
                        } else {
                            pos[v]
                        } + if loop_end[v] { 2.0 } else { 0.0 };
                        (key, i, v)
                    })
                    .collect();
                crate::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                *col = keyed.into_iter().map(|(_, _, v)| v).collect();
                for (i, &v) in col.iter().enumerate() {
                    pos[v] = (i as f64 + 0.5) / col.len() as f64;
                }
            }
        }
    }
    cols
}

/// User units per tonne: the fullest column's mass fills `options.height`, or more height when
/// a column holds so many nodes that their gaps and minimum heights need it.
fn scale(order: &[Vec<usize>], throughput: &[f64], options: &Options) -> f64 {
    let crowded = order
        .iter()
        .map(|col| col.len() as f64 * (MIN_NODE + options.node_gap))
        .fold(0.0, f64::max);
    let height = options.height.max(crowded);
    order
        .iter()
        .filter_map(|col| {
            let mass: f64 = col.iter().map(|&v| throughput[v]).sum();
            let room = height - (col.len().saturating_sub(1)) as f64 * options.node_gap;
            (mass > 0.0).then(|| room.max(1.0) / mass)
        })
        .fold(f64::INFINITY, f64::min)
        .min(1e12)
}

/// Top edges of the nodes: each column stacked and centred, then relaxed towards the
/// mass-weighted centres of their neighbours, keeping the order and the gaps.
fn positions(order: &[Vec<usize>], height: &[f64], edges: &[Edge], options: &Options) -> Vec<f64> {
    let gap = options.node_gap;
    let extent = order
        .iter()
        .map(|col| {
            col.iter().map(|&v| height[v]).sum::<f64>() + gap * col.len().saturating_sub(1) as f64
        })
        .fold(0.0, f64::max);
    let mut y = vec![0.0; height.len()];
    for col in order {
        let total: f64 =
            col.iter().map(|&v| height[v]).sum::<f64>() + gap * col.len().saturating_sub(1) as f64;
        let mut top = (extent - total) / 2.0;
        for &v in col {
            y[v] = top;
            top += height[v] + gap;
        }
    }
    let forward: Vec<&Edge> = edges.iter().filter(|e| !e.back).collect();
    let mut alpha = 0.9;
    for _ in 0..8 {
        for backwards in [true, false] {
            let mut sum = vec![0.0; height.len()];
            let mut weight = vec![0.0; height.len()];
            for e in &forward {
                let (me, other) = if backwards {
                    (e.from, e.to)
                } else {
                    (e.to, e.from)
                };
                sum[me] += (y[other] + height[other] / 2.0) * e.value;
                weight[me] += e.value;
            }
            for v in 0..height.len() {
                if weight[v] > 0.0 {
                    let target = sum[v] / weight[v] - height[v] / 2.0;
                    y[v] += (target - y[v]) * alpha;
                }
            }
            for col in order {
                resolve(col, height, gap, extent, &mut y);
            }
        }
        alpha *= 0.8;
    }
    y
}

/// Pushes the nodes of a column apart so that they keep their order, their gaps, and stay in
/// `[0, extent]`.
fn resolve(col: &[usize], height: &[f64], gap: f64, extent: f64, y: &mut [f64]) {
    let mut top = 0.0;
    for &v in col {
        if y[v] < top {
            y[v] = top;
        }
        top = y[v] + height[v] + gap;
    }
    let mut bottom = extent;
    for &v in col.iter().rev() {
        if y[v] + height[v] > bottom {
            y[v] = bottom - height[v];
        }
        bottom = y[v] - gap;
    }
    // A column as tall as the extent may have been pushed above 0; stack it down again.
    let mut top = 0.0;
    for &v in col {
        if y[v] < top {
            y[v] = top;
        }
        top = y[v] + height[v] + gap;
    }
}

/// Where each band leaves and enters its nodes, and the lanes of backward bands.
///
/// At a node, forward bands are stacked from the top in the order of the other end's height
/// (which avoids crossings next to the node), and backward bands below them. Backward bands
/// are nested: the one spanning the fewest columns takes the innermost lane and the innermost
/// turns, so loops drawn around one another never cross.
fn attach(
    nodes: &[Node],
    edges: &[Edge],
    width: &dyn Fn(f64) -> f64,
    nodes_bottom: f64,
    options: &Options,
) -> (Vec<Band>, f64) {
    let centre = |v: usize| nodes[v].y + nodes[v].height / 2.0;
    let span = |e: &Edge| nodes[e.from].column as i64 - nodes[e.to].column as i64;
    // Lanes: backward edges by span, then by width (thin inside), then by edge order.
    let mut back: Vec<usize> = (0..edges.len()).filter(|&i| edges[i].back).collect();
    crate::sort::sort_by(&mut back, |&a, &b| {
        span(&edges[a])
            .cmp(&span(&edges[b]))
            .then(width(edges[a].value).total_cmp(&width(edges[b].value)))
            .then(a.cmp(&b))
    });
    let mut lane_rank = vec![usize::MAX; edges.len()];
    let mut lane_y = vec![0.0; edges.len()];
    let mut depth = nodes_bottom + LANE_GAP;
    for (rank, &i) in back.iter().enumerate() {
        let w = width(edges[i].value);
        // Leave room for the turn between the node's bottom and the lane.
        let turn = TURN + w;
        depth = depth.max(nodes_bottom + turn);
        lane_y[i] = depth + w / 2.0;
        lane_rank[i] = rank;
        depth += w + LANE_GAP;
    }
    let bottom = if back.is_empty() {
        nodes_bottom
    } else {
        depth - LANE_GAP
    };

    let mut y0 = vec![0.0; edges.len()];
    let mut y1 = vec![0.0; edges.len()];
    // Outgoing: forward by the destination's centre, then backward from the innermost lane
    // (lowest) upwards, so stacked bottom to top: reverse the rank for the stacking order.
    let mut outs_of: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut ins_of: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, e) in edges.iter().enumerate() {
        outs_of[e.from].push(i);
        ins_of[e.to].push(i);
    }
    for v in 0..nodes.len() {
        let mut outs = std::mem::take(&mut outs_of[v]);
        crate::sort::sort_by(&mut outs, |&a, &b| {
            let (ea, eb) = (&edges[a], &edges[b]);
            ea.back
                .cmp(&eb.back)
                .then_with(|| {
                    if ea.back {
                        lane_rank[b].cmp(&lane_rank[a])
                    } else {
                        centre(ea.to).total_cmp(&centre(eb.to))
                    }
                })
                .then(ea.group.cmp(&eb.group))
                .then(a.cmp(&b))
        });
        let mut top = nodes[v].y;
        for i in outs {
            let w = width(edges[i].value);
            y0[i] = top + w / 2.0;
            top += w;
        }
        let mut ins = std::mem::take(&mut ins_of[v]);
        crate::sort::sort_by(&mut ins, |&a, &b| {
            let (ea, eb) = (&edges[a], &edges[b]);
            ea.back
                .cmp(&eb.back)
                .then_with(|| {
                    if ea.back {
                        lane_rank[b].cmp(&lane_rank[a])
                    } else {
                        centre(ea.from).total_cmp(&centre(eb.from))
                    }
                })
                .then(ea.group.cmp(&eb.group))
                .then(a.cmp(&b))
        });
        let mut top = nodes[v].y;
        for i in ins {
            let w = width(edges[i].value);
            y1[i] = top + w / 2.0;
            top += w;
        }
    }

    // Vertical legs of backward bands: beside the node, outer bands farther out. Per node, the
    // legs are nested in lane order.
    let mut out_offset = vec![0.0; nodes.len()];
    let mut in_offset = vec![0.0; nodes.len()];
    let mut leg_out = vec![0.0; edges.len()];
    let mut leg_in = vec![0.0; edges.len()];
    for &i in &back {
        let e = &edges[i];
        let w = width(e.value);
        let from = &nodes[e.from];
        let to = &nodes[e.to];
        leg_out[i] = from.x + options.node_width + TURN + out_offset[e.from] + w / 2.0;
        out_offset[e.from] += w + 2.0;
        leg_in[i] = to.x - TURN - in_offset[e.to] - w / 2.0;
        in_offset[e.to] += w + 2.0;
    }

    let mut bands: Vec<Band> = Vec::with_capacity(edges.len());
    let forward_first = (0..edges.len())
        .filter(|&i| !edges[i].back)
        .chain(back.iter().copied());
    for i in forward_first {
        let e = &edges[i];
        bands.push(Band {
            from: e.from,
            to: e.to,
            group: e.group,
            value: e.value,
            width: width(e.value),
            y0: y0[i],
            y1: y1[i],
            kind: if e.back {
                BandKind::Backward {
                    lane_y: lane_y[i],
                    out_x: leg_out[i],
                    in_x: leg_in[i],
                }
            } else {
                BandKind::Forward
            },
        });
    }
    (bands, bottom)
}

impl Layout {
    /// Number of backward bands (recycling loops).
    #[must_use]
    pub fn loops(&self) -> usize {
        self.bands
            .iter()
            .filter(|b| matches!(b.kind, BandKind::Backward { .. }))
            .count()
    }

    /// Number of pairs of forward bands between the same two adjacent columns that cross: a
    /// measure of how tangled the picture is, for tests.
    #[must_use]
    pub fn crossings(&self) -> usize {
        let fwd: Vec<&Band> = self
            .bands
            .iter()
            .filter(|b| {
                matches!(b.kind, BandKind::Forward)
                    && self.nodes[b.to].column == self.nodes[b.from].column + 1
            })
            .collect();
        let mut count = 0;
        for (i, a) in fwd.iter().enumerate() {
            for b in &fwd[i + 1..] {
                if self.nodes[a.from].column == self.nodes[b.from].column
                    && (a.y0 - b.y0) * (a.y1 - b.y1) < 0.0
                {
                    count += 1;
                }
            }
        }
        count
    }
}
