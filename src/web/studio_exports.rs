//! The studio package's plain exports (feature `studio`, `www/pkg-studio`),
//! loaded after the page is ready: `toPython`; `Replay` (replay.rs) and
//! `SeedBatch` (seeds.rs) are its classes.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::program_error;
use crate::lang;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** One statement's elapsed times over the seeds a `SeedBatch` has run. */
export interface SeedSpread {
  label: string;
  /** "task", or the statement's group: "sequential" | "gather" | "race" | "limit" | "timeout". */
  kind: string;
  runs: number;
  minMs: number; meanMs: number; p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number;
  /** Equal-width bars over one range shared by every statement; `seed`: the first seed in the bar. */
  bins: { fromMs: number; toMs: number; count: number; seed: number | null }[];
}
/** A run at one moment (`Replay.stateAt`): each lane's state and the event loop's view. */
export interface Moment {
  t: number;
  lanes: { status: "pending" | "ready" | "waiting" | "busy" | "running" | "done" | "failed" | "cancelled";
           until?: number; values: number; held?: string; lateMs: number; text: string }[];
  loop: { mode: "before" | "step" | "idle" | "busy" | "over"; busy: number | null;
          /** The first entries (all, or as many as `shown`); `queued` and `readyCount` count them all. */
          queue: { lane: number; name: string; until: number }[]; ready: string[]; line: string;
          queued: number; readyCount: number };
}
"#;

/// The program as Python asyncio code (`lang::to_python`): `{ style:
/// "script" }` (default) ends with `asyncio.run(main())`, `{ style:
/// "notebook" }` with `await main()` for Jupyter. Throws a `ProgramError` if
/// the program has errors.
#[wasm_bindgen(js_name = toPython)]
pub fn to_python(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "{ style?: \"script\" | \"notebook\" } | undefined")]
    options: JsValue,
) -> Result<String, JsValue> {
    let style = match Reflect::get(&options, &"style".into())
        .ok()
        .and_then(|s| s.as_string())
        .as_deref()
    {
        Some("notebook") => lang::PythonStyle::Notebook,
        _ => lang::PythonStyle::Script,
    };
    lang::parse(text)
        .map(|program| lang::to_python(&program, style))
        .map_err(|diagnostics| program_error(text, &diagnostics))
}
