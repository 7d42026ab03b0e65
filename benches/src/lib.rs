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
}
