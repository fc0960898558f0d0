//! Real I/O for the browser: [`BrowserIo`] opens `fetch(...)` sources with
//! the platform's `fetch`, streaming the body through a `ReadableStream`
//! reader, and `db(...)` sources with an IndexedDB cursor.
//!
//! The browser's side is JavaScript, `browser.js` (the request and the body's
//! reader; opening, seeding and scanning the sample database): it hands the
//! wasm one chunk of bytes or one batch of numbers per Promise, so the core
//! package carries no IndexedDB or stream bindings. The Rust side is
//! `fetch.rs` (the fetch client: status, caps, budget, the body parsed in
//! pieces) and `cursor.rs` (a store read as a stream of numbers); both word
//! the messages. The URL rules and the `/slow/` hint are plain Rust in
//! [`crate::url`]; the sample records in [`crate::source::sample`].
//!
//! Every request has its own `AbortController`, aborted when its stream is
//! dropped (a cancelled task, a lost race, a timeout) and by
//! [`BrowserIo::abort_all`] when the run stops or ends. Errors are messages
//! for the task's lane, never panics.

mod cursor;
mod fetch;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::program::FetchFormat;
use crate::source::{Budget, Notes, OpenIo, TickStream};

pub use crate::source::sample::{sample_record, DB_RECORDS};
pub use fetch::MAX_BODY_BYTES;

/// Opens `fetch` and `db` sources in the browser for one run.
#[derive(Clone, Default)]
pub struct BrowserIo {
    shared: Rc<Shared>,
}

#[derive(Default)]
struct Shared {
    /// Requests in flight, by id.
    requests: RefCell<Vec<(u64, fetch::BodyReader)>>,
    next_id: Cell<u64>,
    /// Set by [`BrowserIo::abort_all`]: no new requests.
    stopped: Cell<bool>,
    /// The run's budget: bodies count towards the bytes it may hold.
    budget: Budget,
}

impl BrowserIo {
    pub fn new() -> BrowserIo {
        BrowserIo::default()
    }

    /// I/O whose bodies count towards `budget`'s bytes held (the run's).
    pub fn with_budget(budget: Budget) -> BrowserIo {
        BrowserIo {
            shared: Rc::new(Shared {
                budget,
                ..Shared::default()
            }),
        }
    }

    /// Aborts every request in flight and refuses new ones: the run was
    /// stopped or has ended.
    pub fn abort_all(&self) {
        self.shared.stopped.set(true);
        let requests = std::mem::take(&mut *self.shared.requests.borrow_mut());
        for (_, reader) in requests {
            reader.abort();
        }
    }

    /// How many requests are in flight (for tests).
    pub fn in_flight(&self) -> usize {
        self.shared.requests.borrow().len()
    }
}

impl OpenIo for BrowserIo {
    fn fetch(&self, url: &str, format: &FetchFormat, notes: Option<Notes>) -> TickStream {
        Box::new(fetch::FetchStream::new(
            url,
            format,
            notes,
            self.shared.clone(),
        ))
    }

    fn database(
        &self,
        store: &str,
        field: &str,
        keys: Option<(f64, f64)>,
        limit: Option<u64>,
        notes: Option<Notes>,
    ) -> TickStream {
        Box::new(cursor::DbStream::new(
            store,
            field,
            keys,
            limit,
            notes,
            self.shared.clone(),
        ))
    }
}

fn note(notes: &Option<Notes>, text: &str) {
    if let Some(notes) = notes {
        notes(text);
    }
}

/// `error.message`, or the value as text.
fn js_message(error: &JsValue) -> String {
    Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}

fn js_name(error: &JsValue) -> String {
    Reflect::get(error, &"name".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default()
}
