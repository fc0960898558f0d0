//! The JavaScript API: the only module that touches `JsValue`. It is built
//! as two wasm packages that a page loads apart (code splitting): the core,
//! what the page needs to be ready (feature `web`, `www/pkg`), and the
//! studio, loaded after it (feature `studio`, `www/pkg-studio`). Each has its
//! own memory; nothing crosses from one to the other but JS values.
//!
//! ```js
//! import init, { run, parse, format } from "./pkg/async_playground.js";
//! await init();
//! const report = await run(text, { clock: "real", onEvent: draw, signal });
//! import initStudio, { toPython, Replay } from "./pkg-studio/async_playground_studio.js";
//! await initStudio();
//! const replay = new Replay(text, flatEvents(report.events), texts, report.clock);
//! ```
//!
//! The types are in the generated `.d.ts` files (the sections here and in
//! the two export modules); the README documents the report.

#[cfg(feature = "bench")]
mod bench;
#[cfg(feature = "web")]
mod core_exports;
#[cfg(feature = "web")]
mod handover;
#[cfg(feature = "web")]
pub mod io;
#[cfg(feature = "studio")]
mod replay;
#[cfg(feature = "studio")]
mod seeds;
#[cfg(feature = "studio")]
mod studio_exports;
#[cfg(feature = "web")]
mod turns;

#[cfg(feature = "web")]
pub use core_exports::{examples, format, parse, run, shown_items};
#[cfg(feature = "studio")]
pub use studio_exports::to_python;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::lang::Diagnostic;
use crate::schema;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Where a problem is: 1-based line and column, and UTF-16 offsets for editors. */
export interface Diagnostic {
  line: number; column: number; from: number; to: number;
  message: string;
  /** "3:14: error: ..." with the line and a caret, for plain-text display. */
  rendered: string;
}
/** Thrown (or rejected with) for a program with errors, by either package. */
export interface ProgramError extends Error { name: "ProgramError"; diagnostics: Diagnostic[] }
"#;

/// Reports panics to the console: a panic in wasm kills the module, and the
/// page should at least say why. No input is meant to reach one.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("async-playground panicked: {info}").into());
    }));
}

/// Parses JSON made by [`schema`]: one call across the boundary.
fn from_json(json: &str) -> JsValue {
    // Our own writer's output is always valid JSON.
    js_sys::JSON::parse(json).unwrap_or(JsValue::NULL)
}

fn program_error(text: &str, diagnostics: &[Diagnostic]) -> JsValue {
    let summary = diagnostics
        .iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect::<Vec<_>>()
        .join("\n");
    let error = js_sys::Error::new(&summary);
    error.set_name("ProgramError");
    let _ = Reflect::set(
        &error,
        &"diagnostics".into(),
        &from_json(&schema::diagnostics(text, diagnostics)),
    );
    error.into()
}

fn plan_error(error: crate::run::PlanError) -> JsValue {
    js_sys::Error::new(&error.message).into()
}
