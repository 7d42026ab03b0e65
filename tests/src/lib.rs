//! End-to-end tests of circ, under `tests/`.
