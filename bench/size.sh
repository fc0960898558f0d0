#!/usr/bin/env bash
# Where the bytes of the release wasm go, by crate, module and function.
#
#   bench/size.sh [--top N] [--depth N]
#
# Builds the release profile with function names kept (no strip; v0 mangling,
# whose demangled names show generic arguments such as the clock), runs
# wasm-bindgen and wasm-opt with the release flags from Cargo.toml plus -g
# (keep the name section), and prints node bench/size.mjs's breakdown. Code
# sizes match the release package's to within a few per cent (the names and
# the mangling change symbol order, not code).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target/size}"
export CARGO_PROFILE_RELEASE_STRIP=false
export RUSTFLAGS="-C symbol-mangling-version=v0"
OUT="$CARGO_TARGET_DIR/size-pkg"
cargo build --release --lib --target wasm32-unknown-unknown ${FEATURES:+--features "$FEATURES"}
wasm-bindgen --target web --out-dir "$OUT" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/async_playground.wasm"
mapfile -t FLAGS < <(python3 -c 'import tomllib; print("\n".join(tomllib.load(open("Cargo.toml", "rb"))["package"]["metadata"]["wasm-pack"]["profile"]["release"]["wasm-opt"]))')
wasm-opt "${FLAGS[@]}" -g "$OUT/async_playground_bg.wasm" -o "$OUT/named.wasm"
node bench/size.mjs "$OUT/named.wasm" "$@"
