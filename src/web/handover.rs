//! The report's lanes and events, handed to the page as the run records
//! them: converted to JS objects after every poll (the real clock's run
//! waits most of the time), so its end converts only what the last round
//! added instead of the whole trace (B4, 10^3 sources: bench/README.md).

use std::cell::RefCell;

use js_sys::{Array, Function, Reflect, JSON};
use wasm_bindgen::prelude::*;

use crate::clock::EitherClock;
use crate::run::Engine;
use crate::schema;

/// Batches of lanes and events already in JS, kept for the report, and
/// the caller's `onEvent`, which receives each batch as it is made.
pub(super) struct Handover {
    /// One array per batch; the report flattens them once.
    lanes: Array,
    events: Array,
    on_event: Option<Function>,
    /// Why a batch could not be handed over: the report says so instead.
    failed: RefCell<Option<String>>,
}

impl Handover {
    pub(super) fn new(on_event: Option<Function>) -> Handover {
        Handover {
            lanes: Array::new(),
            events: Array::new(),
            on_event,
            failed: RefCell::default(),
        }
    }

    /// Hands over what `engine` recorded since the last call: one JS batch
    /// `{ lanes, events }`, kept for the report and given to `onEvent`.
    pub(super) fn take(&self, engine: &Engine<EitherClock>) {
        let batch = engine.with_new_events(|lanes, events| {
            (!lanes.is_empty() || !events.is_empty()).then(|| schema::batch(lanes, events))
        });
        let Some(batch) = batch else {
            return;
        };
        let batch = match JSON::parse(&batch) {
            Ok(batch) => batch,
            Err(error) => {
                self.failed
                    .borrow_mut()
                    .get_or_insert_with(|| reason(&error));
                return;
            }
        };
        for (key, batches) in [("lanes", &self.lanes), ("events", &self.events)] {
            batches
                .push(&Reflect::get(&batch, &key.into()).unwrap_or_else(|_| Array::new().into()));
        }
        if let Some(callback) = &self.on_event {
            if let Err(error) = callback.call1(&JsValue::NULL, &batch) {
                web_sys::console::error_2(&"onEvent threw:".into(), &error);
            }
        }
    }

    /// The run's report as a JS object, or an error saying why not (the
    /// run's promise always settles with one or the other). Its `lanes` and
    /// `events` are the objects handed over, `onEvent`'s among them.
    pub(super) fn report(
        &self,
        engine: &Engine<EitherClock>,
        cancelled: bool,
    ) -> Result<JsValue, JsValue> {
        self.take(engine);
        let report = engine.final_report(cancelled);
        let json = schema::report_with(&report, &[], &[]);
        let parsed = JSON::parse(&json);
        let failed = self.failed.borrow_mut().take();
        let report = match (parsed, failed) {
            (Ok(report), None) => report,
            (Err(error), _) => return Err(unhandable(&reason(&error))),
            (_, Some(reason)) => return Err(unhandable(&reason)),
        };
        for (key, batches) in [("lanes", &self.lanes), ("events", &self.events)] {
            // A lone batch nobody else saw (a virtual run's) is used as it is.
            let all = if batches.length() == 1 && self.on_event.is_none() {
                batches.get(0)
            } else {
                batches.flat(1).into()
            };
            Reflect::set(&report, &key.into(), &all)?;
        }
        Ok(report)
    }
}

fn reason(error: &JsValue) -> String {
    error.as_string().unwrap_or_else(|| "too large".into())
}

fn unhandable(reason: &str) -> JsValue {
    js_sys::Error::new(&format!(
        "the run ended, but its report could not be handed over ({reason})"
    ))
    .into()
}
