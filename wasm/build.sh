#!/usr/bin/env bash
# Builds circ-wasm for Node.js into wasm/pkg-node: cargo for wasm32, then wasm-bindgen (the CLI
# version must equal the wasm-bindgen crate pinned in wasm/Cargo.toml; `./x setup` installs it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
cargo build --quiet --release --target wasm32-unknown-unknown -p circ-wasm
wasm=target/wasm32-unknown-unknown/release/circ_wasm.wasm
rm -rf wasm/pkg-node
wasm-bindgen --target nodejs --out-dir wasm/pkg-node "$wasm"
echo "built wasm/pkg-node ($(wc -c < wasm/pkg-node/circ_wasm_bg.wasm) bytes)"
