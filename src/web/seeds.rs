//! Run ×N from JavaScript: a batch of seeded virtual runs that the page
//! advances in slices (`run(count)`) and reads as spreads.

use wasm_bindgen::prelude::*;

use super::{from_json, plan_error, program_error};
use crate::lang;
use crate::run::SeedRuns;
use crate::schema;

/// A program's runs under seeds 0, 1, 2, ... on the virtual clock, keeping
/// only each statement's elapsed time.
///
/// ```js
/// const batch = new SeedBatch(text);     // throws a ProgramError for bad text
/// while (batch.runs < 1000) { batch.runFor(1000 - batch.runs, 30); await turn(); }
/// const spreads = batch.spreads(40);     // SeedSpread[]
/// batch.free();
/// ```
#[wasm_bindgen]
pub struct SeedBatch {
    runs: SeedRuns,
}

#[wasm_bindgen]
impl SeedBatch {
    #[wasm_bindgen(constructor)]
    pub fn new(text: &str) -> Result<SeedBatch, JsValue> {
        let program = lang::parse(text).map_err(|diagnostics| program_error(text, &diagnostics))?;
        let runs = SeedRuns::new(&program).map_err(plan_error)?;
        Ok(SeedBatch { runs })
    }

    /// Runs the next `count` seeds at once; returns how many have run in all.
    pub fn run(&mut self, count: u32) -> u32 {
        self.runs.run(count.into());
        self.runs()
    }

    /// Runs up to `count` more seeds for about `ms` of wall time at most
    /// (a seed cut short resumes at the next call); returns how many have
    /// run in all.
    #[wasm_bindgen(js_name = runFor)]
    pub fn run_for(&mut self, count: u32, ms: f64) -> u32 {
        let end = js_sys::Date::now() + ms;
        self.runs
            .run_while(count.into(), || js_sys::Date::now() < end);
        self.runs()
    }

    /// How many seeds have run.
    #[wasm_bindgen(getter)]
    pub fn runs(&self) -> u32 {
        u32::try_from(self.runs.runs()).unwrap_or(u32::MAX)
    }

    /// Each statement's percentiles and a histogram of `bins` bars over one
    /// shared range; every bar names the first seed that fell in it.
    #[wasm_bindgen(unchecked_return_type = "SeedSpread[]")]
    pub fn spreads(&self, bins: u32) -> JsValue {
        from_json(&schema::spreads(
            &self.runs.spreads(bins.clamp(1, 1000) as usize),
        ))
    }
}
