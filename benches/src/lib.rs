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
}
