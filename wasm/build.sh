#!/usr/bin/env bash
# Builds circ-wasm for the web (wasm/pkg: the embeddable calculator with its module circ_calc,
# and the whole API, circ_wasm, ready to copy to a web server) and for Node.js (wasm/pkg-node:
# the whole API): cargo for wasm32 with the `wasm` profile, then wasm-bindgen (its version must
# equal the wasm-bindgen crate pinned in wasm/Cargo.toml; `./x setup` installs it), then
# wasm-opt -O2 without inlining from the npm package binaryen (`npm ci`; Debian's older wasm-opt
# breaks wasm-bindgen's output, DESIGN.md). Prints the sizes; fails when the calculator's module
# is over its budget or the whole API over its ceiling.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
# Two modules (docs/web.md, "Two modules"): circ_calc, the calculator's functions only, which
# the embedded calculator loads and which must stay within issue 6's budget of 250 KB gzipped
# (the build fails over it); and circ_wasm, the whole API, for analysts' pages and Node.js,
# which is over that budget and fails over a ceiling so that it cannot grow unnoticed.
budget_gz=$((250 * 1024))
ceiling_gz=$((360 * 1024))
wasm_opt="$root/node_modules/.bin/wasm-opt"
[ -x "$wasm_opt" ] || { echo "wasm/build.sh: $wasm_opt is missing: run npm ci (or ./x setup)" >&2; exit 1; }
raw=target/wasm32-unknown-unknown/wasm/circ_wasm.wasm
cargo_wasm() { cargo build --quiet --locked --profile wasm --target wasm32-unknown-unknown -p circ-wasm "$@"; }

build() { # target out-dir name
  local target=$1 out=$2 name=$3
  wasm-bindgen --target "$target" --out-dir "$out" --out-name "$name" "$raw"
  # wasm-bindgen's output uses these features; name them so wasm-opt keeps them. -O2 without
  # inlining: -Oz inlines, and its output is 10 % larger gzipped (the whole API: 382 against
  # 348 KB; -Os and -O3 without inlining 349 KB).
  "$wasm_opt" -O2 -aimfs 0 -ocimfs 0 -fimfs 0 --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
}
rm -rf wasm/pkg wasm/pkg-node
cargo_wasm
build nodejs wasm/pkg-node circ_wasm
build web wasm/pkg circ_wasm
full_raw=$(wc -c < "$raw" | tr -d ' ')
cargo_wasm --no-default-features
build web wasm/pkg circ_calc
# The calculator: the web component, its loader, its translations and a demo page, beside the
# module it loads.
cp -R wasm/web/. wasm/pkg/
rm -f wasm/pkg/.gitignore wasm/pkg/package.json

bytes() { wc -c < "$1" | tr -d ' '; }
gzipped() { gzip -9 -c "$1" | wc -c | tr -d ' '; }
calc_gz=$(gzipped wasm/pkg/circ_calc_bg.wasm)
full_gz=$(gzipped wasm/pkg/circ_wasm_bg.wasm)
echo "circ_calc.wasm (the calculator's module): $(bytes "$raw") bytes from cargo; $(bytes wasm/pkg/circ_calc_bg.wasm) after wasm-bindgen and wasm-opt; $calc_gz gzipped (budget $budget_gz)"
echo "circ_wasm.wasm (the whole API): $full_raw bytes from cargo; $(bytes wasm/pkg/circ_wasm_bg.wasm) after wasm-bindgen and wasm-opt; $full_gz gzipped (ceiling $ceiling_gz)"
if [ "$calc_gz" -gt "$budget_gz" ]; then
  echo "wasm/build.sh: the calculator's module is $((calc_gz - budget_gz)) bytes over its budget of $budget_gz bytes gzipped" >&2
  exit 1
fi
if [ "$full_gz" -gt "$ceiling_gz" ]; then
  echo "wasm/build.sh: the whole API's module is over its ceiling of $ceiling_gz bytes gzipped" >&2
  exit 1
fi
