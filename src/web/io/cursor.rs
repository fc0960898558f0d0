//! A `db(...)` source: a cursor over a store of the sample database, read as
//! a stream of one field's numbers. The database, its seeding and the cursor
//! are `browser.js`'s `RecordReader`; this side words the messages.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{ready, Context, Poll};

use futures::Stream;

use js_sys::{Float64Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{js_message, note, Shared};
use crate::float_text::FloatText;
use crate::source::sample::{sample_records_json, DB_NAME, DB_STORE, DB_VERSION};
use crate::source::text::{did_you_mean, missing_name};
use crate::source::{Notes, SourceError, Tick, TickSource};

#[wasm_bindgen(module = "/src/web/io/browser.js")]
extern "C" {
    /// A scan of one store, in JS (`browser.js`).
    #[derive(Clone)]
    type RecordReader;
    /// `low` NaN: every key; `limit` infinite: every record.
    #[wasm_bindgen(constructor)]
    fn new(store: &str, field: &str, low: f64, high: f64, limit: f64) -> RecordReader;
    /// Resolves to null once the cursor runs, or to the store names if the
    /// store is not one of them.
    #[wasm_bindgen(method)]
    fn open(
        this: &RecordReader,
        name: &str,
        version: u32,
        seed_store: &str,
        seed_json: &str,
    ) -> Promise;
    /// Resolves to a batch of numbers (a `Float64Array`), or null at the end.
    #[wasm_bindgen(method)]
    fn next(this: &RecordReader) -> Promise;
    #[wasm_bindgen(method)]
    fn close(this: &RecordReader);
    /// Whether the scan stopped at a record without a number.
    #[wasm_bindgen(method, getter)]
    fn bad(this: &RecordReader) -> bool;
    /// That record's key, NaN if it is not a number.
    #[wasm_bindgen(method, getter, js_name = badKey)]
    fn bad_key(this: &RecordReader) -> f64;
    /// That record's keys, if it is an object without the field.
    #[wasm_bindgen(method, getter, js_name = badKeys)]
    fn bad_keys(this: &RecordReader) -> Option<Vec<String>>;
    /// Its field's value as shown, if it is an object with the field.
    #[wasm_bindgen(method, getter, js_name = badShown)]
    fn bad_shown(this: &RecordReader) -> Option<String>;
}

/// A `db(...)` source's stream: the database opened (at the first poll),
/// then the cursor's numbers, a batch at a time.
pub(super) struct DbStream {
    store: String,
    field: String,
    keys: Option<(f64, f64)>,
    limit: Option<u64>,
    notes: Option<Notes>,
    shared: Rc<Shared>,
    /// The scan, closed when dropped; `None` once it has ended.
    scan: Option<Scan>,
    /// The promise awaited: the open, then each batch.
    waiting: Option<JsFuture>,
    started: bool,
    /// Whether the cursor runs: the promises after the open are batches.
    scanning: bool,
    /// Numbers of the last batch, handed out one by one.
    pending: VecDeque<f64>,
}

/// A `RecordReader` that is closed when dropped: an unfinished transaction
/// is aborted, the database closed.
struct Scan(RecordReader);

impl Drop for Scan {
    fn drop(&mut self) {
        self.0.close();
    }
}

impl Stream for DbStream {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(value) = this.pending.pop_front() {
                return Poll::Ready(Some(Ok(Tick::ready(value))));
            }
            if !this.started {
                this.started = true;
                if this.shared.stopped.get() {
                    let message = format!("{}: aborted (the run stopped)", this.context());
                    return Poll::Ready(Some(Err(message)));
                }
                if this.limit == Some(0) {
                    return Poll::Ready(None);
                }
                this.open();
            }
            let Some(Scan(reader)) = &this.scan else {
                return Poll::Ready(None);
            };
            let waiting = this
                .waiting
                .get_or_insert_with(|| JsFuture::from(reader.next()));
            let settled = ready!(Pin::new(waiting).poll(cx));
            this.waiting = None;
            let step = if this.scanning {
                this.batch(settled)
            } else {
                this.opened(settled)
            };
            if let Err(message) = step {
                this.scan = None;
                return Poll::Ready(Some(Err(message)));
            }
        }
    }
}

impl TickSource for DbStream {}

impl DbStream {
    pub(super) fn new(
        store: &str,
        field: &str,
        keys: Option<(f64, f64)>,
        limit: Option<u64>,
        notes: Option<Notes>,
        shared: Rc<Shared>,
    ) -> DbStream {
        DbStream {
            store: store.to_string(),
            field: field.to_string(),
            keys,
            limit,
            notes,
            shared,
            scan: None,
            waiting: None,
            started: false,
            scanning: false,
            pending: VecDeque::new(),
        }
    }

    /// `db("features")`, the start of every message.
    fn context(&self) -> String {
        format!("db(\"{}\")", self.store)
    }

    /// Opens the database; the open is awaited next.
    fn open(&mut self) {
        let (low, high) = self.keys.unwrap_or((f64::NAN, f64::NAN));
        let limit = self.limit.map_or(f64::INFINITY, |limit| limit as f64);
        let reader = RecordReader::new(&self.store, &self.field, low, high, limit);
        note(&self.notes, &format!("open IndexedDB '{DB_NAME}'"));
        let opened = reader.open(DB_NAME, DB_VERSION, DB_STORE, &sample_records_json());
        self.waiting = Some(JsFuture::from(opened));
        self.scan = Some(Scan(reader));
    }

    /// The open settled: the cursor runs, or why it does not.
    fn opened(&mut self, settled: Result<JsValue, JsValue>) -> Result<(), String> {
        let store = self.store.as_str();
        let stores =
            settled.map_err(|error| format!("{}: {}", self.context(), js_message(&error)))?;
        if !stores.is_null() {
            let known: Vec<String> = js_sys::Array::from(&stores)
                .iter()
                .filter_map(|name| name.as_string())
                .collect();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            let mut message = format!(
                "{}: no store '{store}'; stores: {}",
                self.context(),
                known.join(", ")
            );
            if let Some(guess) = did_you_mean(store, &known) {
                message.push_str(&format!("; did you mean '{guess}'?"));
            }
            return Err(message);
        }
        note(&self.notes, &format!("cursor on '{store}'"));
        self.scanning = true;
        Ok(())
    }

    /// A batch of numbers, the end of the scan, or why it stopped.
    fn batch(&mut self, settled: Result<JsValue, JsValue>) -> Result<(), String> {
        match settled {
            Ok(batch) if batch.is_null() => self.scan = None,
            Ok(batch) => self.pending.extend(Float64Array::from(batch).to_vec()),
            Err(error) => {
                return Err(match &self.scan {
                    Some(Scan(reader)) if reader.bad() => self.bad_record(reader),
                    _ => format!("{}: {}", self.context(), js_message(&error)),
                })
            }
        }
        Ok(())
    }

    /// The message for the record the scan stopped at.
    fn bad_record(&self, reader: &RecordReader) -> String {
        let (context, field) = (self.context(), &self.field);
        let key = reader.bad_key();
        let which = if key.is_nan() {
            "a record".to_string()
        } else {
            format!("record {}", FloatText::plain(key))
        };
        if let Some(keys) = reader.bad_keys() {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            return format!(
                "{context}: {which}: {}",
                missing_name("field", field, &keys, "the record")
            );
        }
        match reader.bad_shown() {
            Some(shown) => format!("{context}: {which}, field '{field}': {shown} is not a number"),
            None => format!("{context}: {which} is not an object"),
        }
    }
}
