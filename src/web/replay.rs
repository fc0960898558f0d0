//! `Replay`: a finished run (or a recording of one) that the page can look
//! at any time `t` of, as fast as a pointer drags.
//!
//! ```js
//! const replay = new Replay(text, flatEvents(report.events), texts, report.clock);
//! replay.stateAt(1500);   // { t, lanes: [{status, until, values, held, text}], loop: {...} }
//! replay.stateAt(1500, 150);  // only the first 150 lanes (what a page draws)
//! replay.steps();         // Float64Array of the event times
//! replay.log();           // [{ t, line }]
//! replay.free();
//! ```

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::from_json;
use crate::lang;
use crate::replay;
use crate::run::Plan;
use crate::trace::{Event, EventKind};

/// Numbers per event in the flat form: lane, t, kind, a, b.
const STRIDE: usize = 5;

/// A finished run to scrub through: the state at any time, and the log.
#[wasm_bindgen]
pub struct Replay {
    inner: replay::Replay,
}

#[wasm_bindgen]
impl Replay {
    /// `events` is flat, five numbers an event: `lane, t, kind, a, b`, where
    /// kind is 0 start, 1 value (a value, b lateMs), 2 block (a ms), 3 end,
    /// 4 error, 5 cancel, 6 note (a: index into `texts`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        text: &str,
        events: &[f64],
        texts: Vec<String>,
        clock: &str,
    ) -> Result<Replay, JsValue> {
        let program = lang::parse(text)
            .map_err(|_| js_sys::Error::new("the program has errors: it cannot be replayed"))?;
        let plan = Plan::compile(&program).map_err(|e| js_sys::Error::new(&e.message))?;
        let text_at = |index: f64| -> Rc<str> {
            texts
                .get(index as usize)
                .map_or_else(|| Rc::from(""), |t| Rc::from(t.as_str()))
        };
        let events: Vec<Event> = events
            .chunks_exact(STRIDE)
            .filter_map(|e| {
                let kind = match e[2] as u8 {
                    0 => EventKind::Start,
                    1 => EventKind::Value {
                        value: e[3],
                        late_ms: e[4],
                    },
                    2 => EventKind::Block { ms: e[3] },
                    3 => EventKind::End {
                        result: text_at(e[3]),
                    },
                    4 => EventKind::Error {
                        message: text_at(e[3]),
                    },
                    5 => EventKind::Cancel,
                    6 => EventKind::Note {
                        text: text_at(e[3]),
                    },
                    _ => return None,
                };
                let lane = e[0];
                (lane >= 0.0 && lane < u32::MAX as f64).then_some(Event {
                    lane: lane as u32,
                    t: e[1],
                    kind,
                })
            })
            .collect();
        Ok(Replay {
            inner: replay::Replay::new(&plan, &events, clock == "real"),
        })
    }

    /// Every lane and the event loop at `t` (ms); with `shown`, only the
    /// first `shown` lanes, queue entries and ready tasks (the counts are whole).
    #[wasm_bindgen(js_name = stateAt, unchecked_return_type = "Moment")]
    pub fn state_at(&self, t: f64, shown: Option<u32>) -> JsValue {
        let shown = shown.map_or(usize::MAX, |n| n as usize);
        let moment = self.inner.state_at(t);
        from_json(&replay::moment_json_shown(&self.inner, &moment, shown))
    }

    /// The times where something happens, ascending: where stepping stops.
    pub fn steps(&self) -> Vec<f64> {
        self.inner.steps().to_vec()
    }

    /// Every step's narration: `[{ t, line }]`.
    #[wasm_bindgen(unchecked_return_type = "{ t: number; line: string }[]")]
    pub fn log(&self) -> JsValue {
        from_json(&replay::log_json(&self.inner))
    }
}
