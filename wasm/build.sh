#!/usr/bin/env bash
# Builds circ-wasm for the web (wasm/pkg: the embeddable calculator, ready to copy to a web
# server) and for Node.js (wasm/pkg-node): cargo for wasm32 with the `wasm` profile, then
# wasm-bindgen (its version must equal the wasm-bindgen crate pinned in wasm/Cargo.toml; `./x
# setup` installs it), then wasm-opt -O2 without inlining from the npm package binaryen (`npm ci`; Debian's older
# wasm-opt breaks wasm-bindgen's output, DESIGN.md). Prints the sizes, warns over the target and fails over the ceiling.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
# Issue 6 sets a target of 250 KB gzipped for the .wasm, which the module misses since the
# scenario engine, dynamic stocks, networks and Sankey joined it (docs/web.md, "Size and speed").
# The build warns over the target and fails over a ceiling that keeps the module from growing
# unnoticed while that is worked on.
target_gz=$((250 * 1024))
ceiling_gz=$((360 * 1024))
wasm_opt="$root/node_modules/.bin/wasm-opt"
[ -x "$wasm_opt" ] || { echo "wasm/build.sh: $wasm_opt is missing: run npm ci (or ./x setup)" >&2; exit 1; }

cargo build --quiet --locked --profile wasm --target wasm32-unknown-unknown -p circ-wasm
raw=target/wasm32-unknown-unknown/wasm/circ_wasm.wasm

build() { # target out-dir
  local target=$1 out=$2
  rm -rf "$out"
  wasm-bindgen --target "$target" --out-dir "$out" "$raw"
  # wasm-bindgen's output uses these features; name them so wasm-opt keeps them. -O2 without
  # inlining: -Oz inlines, and its output is 10 % larger gzipped (382 against 348 KB; -Os and -O3
  # without inlining 349 KB).
  "$wasm_opt" -O2 -aimfs 0 -ocimfs 0 -fimfs 0 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/circ_wasm_bg.wasm" -o "$out/circ_wasm_bg.wasm"
}
build nodejs wasm/pkg-node
build web wasm/pkg
# The calculator: the web component, its loader, its translations and a demo page, beside the
# module it loads.
cp -R wasm/web/. wasm/pkg/
rm -f wasm/pkg/.gitignore wasm/pkg/package.json

bytes() { wc -c < "$1" | tr -d ' '; }
gz=$(gzip -9 -c wasm/pkg/circ_wasm_bg.wasm | wc -c | tr -d ' ')
echo "circ_wasm.wasm: $(bytes "$raw") bytes from cargo; $(bytes wasm/pkg/circ_wasm_bg.wasm) bytes after wasm-bindgen and wasm-opt; $gz bytes gzipped (target $target_gz, ceiling $ceiling_gz)"
if [ "$gz" -gt "$ceiling_gz" ]; then
  echo "wasm/build.sh: the module is over its ceiling of $ceiling_gz bytes gzipped" >&2
  exit 1
fi
if [ "$gz" -gt "$target_gz" ]; then
  echo "wasm/build.sh: warning: the module is $((gz - target_gz)) bytes over the target of $target_gz bytes gzipped" >&2
fi
