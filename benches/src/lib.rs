//! Generators of large, valid models for the benchmarks under `benches/benches/`.
//!
//! Deterministic: a fixed-seed xorshift generator, so every run measures the same model.

use std::fmt::Write as _;

/// A small deterministic random generator (xorshift64*), enough to spread flows.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed.
    #[must_use]
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next value in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// The next value in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_f64() * n as f64) as usize).min(n.saturating_sub(1))
    }
}

/// A balanced model, as JSON, with `processes` economy processes (plus 5 boundary processes) and
/// about `flows` flows. Processes form a DAG in index order: each receives extraction and the
/// flows of earlier processes, and splits its input over later processes, recycling and the
/// sinks, in whole tonnes, so every balance holds exactly.
#[must_use]
pub fn generated_model(processes: usize, flows: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let per_process = (flows / processes.max(1)).max(2);
    let groups = ["MF1", "MF2", "MF3", "MF4"];
    let mut inflow = vec![0.0f64; processes];
    let mut out = String::with_capacity(flows * 90);
    out.push_str("{\"meta\":{\"name\":\"generated\",\"unit\":\"t\",\"scope\":\"global\",\"balance_tolerance\":1e-9},\"processes\":[");
    for (id, role) in [
        ("mine", "extraction"),
        ("dump", "landfill"),
        ("air", "emission"),
        ("recycling", "recycling"),
        ("nature", "dissipation"),
    ] {
        let _ = write!(out, "{{\"id\":\"{id}\",\"role\":\"{role}\"}},");
    }
    for i in 0..processes {
        let role = if i % 2 == 0 { "production" } else { "use" };
        let _ = write!(
            out,
            "{{\"id\":\"p{i}\",\"role\":\"{role}\"}}{}",
            if i + 1 < processes { "," } else { "" }
        );
    }
    out.push_str("],\"flows\":[");
    let mut first = true;
    let mut push = |out: &mut String, from: &str, to: &str, group: &str, value: f64| {
        if !first {
            out.push(',');
        }
        first = false;
        let _ = write!(
            out,
            "{{\"id\":\"f{}\",\"from\":\"{from}\",\"to\":\"{to}\",\"material\":\"{group}\",\"value\":{value}}}",
            out.len()
        );
    };
    let mut recycled = 0.0;
    for i in 0..processes {
        let group = groups[i % 4];
        let extraction = 1.0 + (rng.next_f64() * 1000.0).round();
        push(&mut out, "mine", &format!("p{i}"), group, extraction);
        let total = inflow[i] + extraction;
        // Split over later processes, then the sinks; the last share takes the rest exactly.
        let targets = per_process - 1;
        let mut left = total;
        for k in 0..targets {
            let share = if k + 1 == targets {
                1.0
            } else {
                rng.next_f64() / targets as f64
            };
            // Whole tonnes, as statistics give them: the split stays exact.
            let value = if k + 1 == targets {
                left
            } else {
                (total * share).floor()
            };
            left -= value;
            let to = if i + 1 < processes && k + 4 < targets {
                let j = i + 1 + rng.below((processes - i - 1).min(50));
                inflow[j] += value;
                format!("p{j}")
            } else {
                match k % 4 {
                    0 => "dump".to_owned(),
                    1 => "air".to_owned(),
                    2 => "nature".to_owned(),
                    _ => {
                        recycled += value;
                        "recycling".to_owned()
                    }
                }
            };
            push(&mut out, &format!("p{i}"), &to, group, value);
        }
    }
    // Recycling sends everything it receives to the landfill, so it balances.
    push(&mut out, "recycling", "dump", "MF3", recycled);
    out.push_str("]}");
    out
}

/// A TOML model with `uncertainty = { cv = ... }` added to every flow and stock change that
/// gives a value on a line of its own (as the shipped data sets do).
#[must_use]
pub fn with_uncertainty(toml: &str, cv: f64) -> String {
    let mut out = String::with_capacity(toml.len() * 2);
    for line in toml.lines() {
        out.push_str(line);
        out.push('\n');
        if line.starts_with("value = ") {
            let _ = writeln!(out, "uncertainty = {{ cv = {cv} }}");
        }
    }
    out
}

/// A transfer-coefficient network as JSON, given only by imports and shares: `processes`
/// processes, every tenth fed an import; each sends a leak share (10–30 %) to exports or a
/// landfill and splits the rest over `out_degree` other processes. With `window = 0` these are
/// drawn from the whole network, so that the pattern is random and the network one large loop
/// (the hard case for sparse LU, as DESIGN.md notes); otherwise from the next `window`
/// processes (wrapping around), a banded pattern like a supply chain's. Every flow has an id,
/// so parallel flows are allowed.
#[must_use]
pub fn tc_network(processes: usize, out_degree: usize, window: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(processes * (out_degree + 1) * 90);
    out.push_str("{\"meta\":{\"name\":\"transfer-coefficient network\",\"unit\":\"t\",\"scope\":\"national\"},\"processes\":[");
    for (id, role) in [
        ("imports", "import"),
        ("exports", "export"),
        ("dump", "landfill"),
    ] {
        let _ = write!(out, "{{\"id\":\"{id}\",\"role\":\"{role}\"}},");
    }
    for i in 0..processes {
        let _ = write!(
            out,
            "{{\"id\":\"p{i}\",\"role\":\"production\"}}{}",
            if i + 1 < processes { "," } else { "" }
        );
    }
    out.push_str("],\"flows\":[");
    let mut k = 0usize;
    let mut flow = |out: &mut String, from: &str, to: &str, spec: &str| {
        if k > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"id\":\"f{k}\",\"from\":\"{from}\",\"to\":\"{to}\",\"material\":\"MF2\",{spec}}}"
        );
        k += 1;
    };
    for i in (0..processes).step_by(10) {
        let value = 1.0 + (rng.next_f64() * 1000.0).round();
        flow(
            &mut out,
            "imports",
            &format!("p{i}"),
            &format!("\"value\":{value}"),
        );
    }
    let mut weights = vec![0.0; out_degree];
    for i in 0..processes {
        let from = format!("p{i}");
        let leak = 0.1 + 0.2 * rng.next_f64();
        let sink = if i % 2 == 0 { "exports" } else { "dump" };
        flow(&mut out, &from, sink, &format!("\"share\":{leak}"));
        weights.iter_mut().for_each(|w| *w = 0.1 + rng.next_f64());
        let total: f64 = weights.iter().sum();
        let mut given = leak;
        for (d, w) in weights.iter().enumerate() {
            let mut j = if window == 0 {
                rng.below(processes)
            } else {
                (i + 1 + rng.below(window)) % processes
            };
            if j == i {
                j = (j + 1) % processes;
            }
            // The last share closes the split so that the shares sum to 1 within rounding.
            let share = if d + 1 == out_degree {
                1.0 - given
            } else {
                (1.0 - leak) * w / total
            };
            given += share;
            flow(
                &mut out,
                &from,
                &format!("p{j}"),
                &format!("\"share\":{share}"),
            );
        }
    }
    out.push_str("]}");
    out
}

/// A balanced economy-shaped model, as JSON, of about `processes` processes in stages:
/// extraction and imports → primary production → manufacturing → use (adding to stock) →
/// collection → recycling, whose output loops back into primary production → sinks (landfill,
/// incineration, emissions, exports, dissipation). Unlike [`generated_model`], it has recycling
/// loops and the shape of a real material-flow account, for drawing Sankey diagrams of large
/// models. Values are whole tonnes, so every balance holds exactly.
#[must_use]
pub fn staged_model(processes: usize, seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let groups = ["MF1", "MF2", "MF3", "MF4"];
    let n = processes.max(12) - 7;
    let (n_use, n_coll, n_rec) = (n / 4, n / 10, n * 3 / 20);
    let n_man = n / 5;
    let n_prim = n - n_use - n_coll - n_rec - n_man;
    let stages: [(&str, &str, usize); 5] = [
        ("primary", "production", n_prim),
        ("manufacturing", "production", n_man),
        ("use", "use", n_use),
        ("collection", "collection", n_coll),
        ("recycling", "recycling", n_rec),
    ];
    let mut out = String::new();
    out.push_str("{\"meta\":{\"name\":\"Staged economy of ");
    let _ = write!(out, "{} processes", n + 7);
    out.push_str("\",\"unit\":\"t\",\"scope\":\"national\"},\"processes\":[");
    for (id, role) in [
        ("extraction", "extraction"),
        ("imports", "import"),
        ("exports", "export"),
        ("landfill", "landfill"),
        ("incineration", "incineration"),
        ("air", "emission"),
        ("nature", "dissipation"),
    ] {
        let _ = write!(out, "{{\"id\":\"{id}\",\"role\":\"{role}\"}},");
    }
    let mut names: Vec<Vec<String>> = Vec::new();
    for (stage, role, count) in stages {
        let mut ids = Vec::new();
        for i in 0..count {
            let id = format!("{stage}{i}");
            let _ = write!(out, "{{\"id\":\"{id}\",\"role\":\"{role}\"}},");
            ids.push(id);
        }
        names.push(ids);
    }
    out.pop();
    out.push_str("],\"flows\":[");
    let mut flows: Vec<(String, String, &str, f64)> = Vec::new();
    let mut stocks: Vec<(String, &str, f64)> = Vec::new();
    let mut inflow: Vec<Vec<f64>> = names.iter().map(|s| vec![0.0; s.len()]).collect();
    // Recyclers return a fixed amount to primary production, decided first.
    let back: Vec<f64> = (0..n_rec)
        .map(|_| 20.0 + (rng.next_f64() * 60.0).round())
        .collect();
    for (j, b) in back.iter().enumerate() {
        let to = (j * 7) % n_prim;
        inflow[0][to] += b;
        flows.push((names[4][j].clone(), names[0][to].clone(), groups[j % 4], *b));
    }
    for i in 0..n_prim {
        let g = groups[i % 4];
        let v = 100.0 + (rng.next_f64() * 900.0).round();
        inflow[0][i] += v;
        flows.push(("extraction".into(), names[0][i].clone(), g, v));
        if i % 3 == 0 {
            let v = 50.0 + (rng.next_f64() * 250.0).round();
            inflow[0][i] += v;
            flows.push(("imports".into(), names[0][i].clone(), g, v));
        }
    }
    // Each stage splits what it receives over the next stage and the sinks, in whole tonnes;
    // the last share takes the rest.
    for stage in 0..4 {
        let next = stage + 1;
        for i in 0..names[stage].len() {
            let g = groups[i % 4];
            let total = inflow[stage][i];
            let from = names[stage][i].clone();
            let mut left = total;
            let mut take = |share: f64| {
                let v = (total * share).floor().min(left);
                left -= v;
                v
            };
            match stage {
                0 | 1 => {
                    let v = take(0.05);
                    flows.push((from.clone(), "air".into(), g, v));
                    if i % 4 == 0 {
                        let v = take(0.1);
                        flows.push((from.clone(), "exports".into(), g, v));
                    }
                }
                2 => {
                    let v = take(0.3);
                    stocks.push((from.clone(), g, v));
                    let v = take(0.05);
                    flows.push((from.clone(), "nature".into(), g, v));
                }
                _ => {
                    let v = take(0.1);
                    flows.push((from.clone(), "incineration".into(), g, v));
                    let v = take(0.25);
                    flows.push((from.clone(), "landfill".into(), g, v));
                }
            }
            let k = names[next].len();
            // Spread evenly, so that every process of the next stage is fed.
            let a = i * k / names[stage].len();
            let b = (a + 1) % k;
            let v = (left * (0.4 + rng.next_f64() * 0.3)).floor();
            left -= v;
            inflow[next][a] += v;
            flows.push((from.clone(), names[next][a].clone(), g, v));
            let v = left;
            inflow[next][b] += v;
            flows.push((from, names[next][b].clone(), g, v));
        }
    }
    // Recyclers send what they do not return to landfill (at least the return comes in).
    for (j, b) in back.iter().enumerate() {
        let residue = inflow[4][j] - b;
        assert!(residue >= 0.0, "recycler {j} receives less than it returns");
        flows.push((
            names[4][j].clone(),
            "landfill".into(),
            groups[j % 4],
            residue,
        ));
    }
    let mut first = true;
    for (from, to, g, v) in &flows {
        if !first {
            out.push(',');
        }
        first = false;
        let _ = write!(
            out,
            "{{\"from\":\"{from}\",\"to\":\"{to}\",\"material\":\"{g}\",\"value\":{v}}}"
        );
    }
    out.push_str("],\"stock_changes\":[");
    let mut first = true;
    for (p, g, v) in &stocks {
        if !first {
            out.push(',');
        }
        first = false;
        let _ = write!(
            out,
            "{{\"process\":\"{p}\",\"material\":\"{g}\",\"value\":{v}}}"
        );
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use circ_core::{Format, SourceText, load};

    #[test]
    fn generated_models_are_valid_and_sized_as_asked() {
        let text = generated_model(1000, 10_000, 7);
        let loaded = load(
            SourceText {
                name: "g.json",
                text: &text,
            },
            Format::Json,
            &|_| Err(String::new()),
        )
        .unwrap_or_else(|d| panic!("{}", d[0]));
        assert_eq!(loaded.model.processes().len(), 1005);
        let n = loaded.model.flows().len();
        assert!((9_000..=11_000).contains(&n), "{n} flows");
    }

    #[test]
    fn transfer_coefficient_networks_solve() {
        let text = tc_network(2_000, 3, 0, 5);
        let loaded = load(
            SourceText {
                name: "tc.json",
                text: &text,
            },
            Format::Json,
            &|_| Err(String::new()),
        )
        .unwrap_or_else(|d| panic!("{}", d[0]));
        assert_eq!(loaded.solution.info.unknowns, 2_000);
        // Mass is conserved: what the imports bring leaves through exports and the landfill.
        let model = &loaded.model;
        let (mut imported, mut left) = (0.0, 0.0);
        for f in model.flows() {
            match (
                model.process(f.from).id.as_str(),
                model.process(f.to).id.as_str(),
            ) {
                ("imports", _) => imported += f.value,
                (_, "exports" | "dump") => left += f.value,
                _ => {}
            }
        }
        assert!(
            (imported - left).abs() < 1e-9 * imported,
            "{imported} {left}"
        );
    }

    #[test]
    fn staged_models_are_valid() {
        let text = staged_model(200, 7);
        let loaded = load(
            SourceText {
                name: "s.json",
                text: &text,
            },
            Format::Json,
            &|_| Err(String::new()),
        )
        .unwrap_or_else(|d| panic!("{}", d[0]));
        assert_eq!(loaded.model.processes().len(), 200);
    }
}
