//! circ-wasm
