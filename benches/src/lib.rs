//! Benchmarks of circ-core (criterion), under `benches/`.
