#!/usr/bin/env bash
# CPU profiles of the engine on the benchmark programs, with wasm function names.
#
#   bench/profile.sh            names-kept build of the release profile (opt-level from Cargo.toml)
#   OPT=3 bench/profile.sh      the same with opt-level 3, to compare
#
# Builds the crate (with the `bench` feature, as ./dev bench) with symbols kept
# (no strip, no wasm-opt) into www/bench-pkg of a copy of www/
# under /tmp, then runs `node bench/run.mjs --profile` against it: the DevTools
# protocol profiler samples B2, B4 (10^5 sources), B6 and B3 and prints the top
# self-time functions. Numbers are a little off the release build (no wasm-opt).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/tmp/tgt-bench}"
WWW_COPY="${WWW_COPY:-/tmp/bench-www}"
export CARGO_PROFILE_RELEASE_STRIP=false
[[ -n "${OPT:-}" ]] && export CARGO_PROFILE_RELEASE_OPT_LEVEL="$OPT"
cargo build --release --lib --target wasm32-unknown-unknown --features bench
rm -rf "$WWW_COPY" && mkdir -p "$WWW_COPY"
cp -r www/. "$WWW_COPY/" && rm -rf "$WWW_COPY/bench-pkg"
wasm-bindgen --target web --out-dir "$WWW_COPY/bench-pkg" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/async_playground.wasm"
BENCH_WWW="$WWW_COPY" node bench/run.mjs --profile "$@"
