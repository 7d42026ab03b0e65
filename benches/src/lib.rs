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
