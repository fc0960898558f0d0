//! Exports used only by the benchmark page (`www/bench.html`): reference
//! loops in the same wasm module, so the engine's figures have a limit to be
//! compared with in the same run. Built only with the `bench` feature
//! (`./dev bench` builds `www/bench-pkg` with it), so production ships none of it.

use wasm_bindgen::prelude::*;

/// Sums 0..n as f64 in a plain Rust loop: the B2 limit for a ready stream.
/// No `black_box`: float addition is not associative, so the optimiser can
/// neither vectorise the loop nor replace it with a formula.
#[wasm_bindgen]
pub fn bench_plain_sum(n: u32) -> f64 {
    let mut total = 0.0_f64;
    for i in 0..n {
        total += i as f64;
    }
    total
}
