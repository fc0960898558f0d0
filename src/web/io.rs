//! Real I/O for the browser: [`BrowserIo`] opens `fetch(...)` sources with
//! the platform's `fetch`, streaming the body through a `ReadableStream`
//! reader, and `db(...)` sources with an IndexedDB cursor.
//!
//! Every request has its own `AbortController`, aborted when its stream is
//! dropped (a cancelled task, a lost race, a timeout) and by
//! [`BrowserIo::abort_all`] when the run stops or ends. Errors are messages
//! for the task's lane, never panics.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::{Poll, Waker};

use futures::StreamExt;
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, IdbCursorWithValue, IdbDatabase, IdbKeyRange, IdbObjectStoreParameters,
    IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode, ReadableStreamDefaultReader,
    RequestInit, Response,
};

use crate::program::FetchFormat;
use crate::source::text::BodyParser;
use crate::source::{Budget, Notes, OpenIo, SourceError, Tick, TickStream};

/// Bodies larger than this stop with an error: a typo'd URL should not
/// download a video into the page.
pub const MAX_BODY_BYTES: u64 = 50 * 1024 * 1024;
/// The sample database, created and filled on first use.
pub const DB_NAME: &str = "async-playground";
pub const DB_VERSION: u32 = 1;
/// The sample store: records `{id, age, income, score, name}` keyed by `id`.
pub const DB_STORE: &str = "features";
/// How many sample records the store holds (ids 1 to this).
pub const DB_RECORDS: u32 = 60;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in a window or a worker.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

/// Opens `fetch` and `db` sources in the browser for one run.
#[derive(Clone, Default)]
pub struct BrowserIo {
    shared: Rc<Shared>,
}

#[derive(Default)]
struct Shared {
    notes: RefCell<Option<Notes>>,
    /// Requests in flight, by id.
    requests: RefCell<Vec<(u64, AbortController)>>,
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
        for (_, controller) in requests {
            controller.abort();
        }
    }

    /// How many requests are in flight (for tests).
    pub fn in_flight(&self) -> usize {
        self.shared.requests.borrow().len()
    }

    fn notes(&self) -> Option<Notes> {
        self.shared.notes.borrow().clone()
    }
}

/// An I/O source read one value at a time by an async method.
trait Reader: 'static {
    async fn next(&mut self) -> Option<Result<Tick, SourceError>>;
}

/// The reader as a stream of ticks.
fn stream_of(reader: impl Reader) -> TickStream {
    Box::new(
        futures::stream::unfold(reader, |mut reader| async move {
            let item = reader.next().await?;
            Some((item, reader))
        })
        .boxed_local(),
    )
}

impl OpenIo for BrowserIo {
    fn fetch(&self, url: &str, format: &FetchFormat) -> TickStream {
        let state = FetchState {
            url: url.to_string(),
            parser: BodyParser::new(format),
            notes: self.notes(),
            shared: self.shared.clone(),
            request: None,
            reader: None,
            pending: VecDeque::new(),
            scratch: Vec::new(),
            fed: 0,
            bytes: 0,
            phase: Phase::Start,
            deferred: None,
        };
        stream_of(state)
    }

    fn database(
        &self,
        store: &str,
        field: &str,
        keys: Option<(f64, f64)>,
        limit: Option<u64>,
    ) -> TickStream {
        let state = DbState {
            store: store.to_string(),
            field: field.to_string(),
            keys,
            limit,
            notes: self.notes(),
            shared: self.shared.clone(),
            cursor: None,
            started: false,
        };
        stream_of(state)
    }

    fn set_notes(&self, notes: Option<Notes>) {
        *self.shared.notes.borrow_mut() = notes;
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

// ---------------------------------------------------------------- fetch

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Start,
    Reading,
    Done,
}

/// A request in flight: unregistered and aborted when dropped.
struct InFlight {
    id: u64,
    controller: AbortController,
    shared: Rc<Shared>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // Harmless once the body is complete; stops the download otherwise.
        self.controller.abort();
        self.shared
            .requests
            .borrow_mut()
            .retain(|(id, _)| *id != self.id);
    }
}

struct FetchState {
    url: String,
    parser: BodyParser,
    notes: Option<Notes>,
    shared: Rc<Shared>,
    /// Dropped after the reader: aborting errors the body stream (no
    /// `reader.cancel()`, whose rejection nobody would handle).
    request: Option<InFlight>,
    reader: Option<ReadableStreamDefaultReader>,
    /// Values parsed from the last chunk, handed out one by one.
    pending: VecDeque<f64>,
    /// The last chunk read, parsed a piece at a time from `fed` on: a big
    /// chunk is not parsed in one go while the page waits.
    scratch: Vec<u8>,
    fed: usize,
    bytes: u64,
    phase: Phase,
    /// A parse error, reported after the values before it.
    deferred: Option<String>,
}

impl Reader for FetchState {
    async fn next(&mut self) -> Option<Result<Tick, SourceError>> {
        loop {
            if self.shared.stopped.get() && self.phase != Phase::Done {
                return Some(self.fail(format!("GET {}: aborted (the run stopped)", self.url)));
            }
            if let Some(value) = self.pending.pop_front() {
                return Some(Ok(Tick::ready(value)));
            }
            if self.fed < self.scratch.len() {
                self.feed_piece();
                continue;
            }
            if let Some(message) = self.deferred.take() {
                return Some(self.fail(message));
            }
            match self.phase {
                Phase::Done => return None,
                Phase::Start => {
                    if let Err(message) = self.start().await {
                        return Some(self.fail(message));
                    }
                    self.phase = Phase::Reading;
                }
                Phase::Reading => match self.read().await {
                    Ok(true) => {}
                    Ok(false) => {
                        let mut values = Vec::new();
                        let finished = self.parser.finish(&mut values);
                        self.pending.extend(values);
                        self.phase = Phase::Done;
                        self.reader = None;
                        self.request = None;
                        if let Err(message) = finished {
                            self.deferred = Some(format!("{}: {message}", self.url));
                        }
                    }
                    Err(message) => return Some(self.fail(message)),
                },
            }
        }
    }
}

impl FetchState {
    /// Ends the stream with `message`, aborting the request.
    fn fail(&mut self, message: String) -> Result<Tick, SourceError> {
        self.phase = Phase::Done;
        self.pending.clear();
        self.scratch.clear();
        self.fed = 0;
        self.reader = None;
        self.request = None;
        Err(message)
    }

    /// Sends the request and waits for the headers.
    async fn start(&mut self) -> Result<(), String> {
        let url = &self.url;
        let resolved = resolve(url)?;
        let controller =
            AbortController::new().map_err(|e| format!("GET {url}: {}", js_message(&e)))?;
        let id = self.shared.next_id.get();
        self.shared.next_id.set(id + 1);
        self.shared
            .requests
            .borrow_mut()
            .push((id, controller.clone()));
        let signal = controller.signal();
        self.request = Some(InFlight {
            id,
            controller,
            shared: self.shared.clone(),
        });
        let init = RequestInit::new();
        init.set_method("GET");
        init.set_signal(Some(&signal));
        note(&self.notes, &format!("GET {url}"));
        let response = match global_fetch(&resolved, &init) {
            Ok(promise) => JsFuture::from(promise).await,
            Err(error) => Err(error),
        };
        let response: Response = match response.map(JsCast::dyn_into) {
            Ok(Ok(response)) => response,
            Ok(Err(_)) => return Err(format!("GET {url}: fetch did not give a Response")),
            Err(error) if signal.aborted() || js_name(&error) == "AbortError" => {
                return Err(format!("GET {url}: aborted"))
            }
            Err(error) if js_name(&error) == "TypeError" => {
                return Err(format!(
                    "GET {url}: network error or CORS refusal ({})",
                    js_message(&error)
                ))
            }
            Err(error) => return Err(format!("GET {url}: {}", js_message(&error))),
        };
        let status = response.status();
        let reason = match response.status_text() {
            text if text.is_empty() => reason_phrase(status).to_string(),
            text => text,
        };
        let status_line = format!("HTTP {status} {reason}").trim_end().to_string();
        note(&self.notes, &status_line);
        if status >= 400 {
            let headers = response.headers();
            let from_sw = matches!(headers.get("x-slow"), Ok(Some(_)));
            // A byte search: a `str` pattern search would add 2 KB of wasm.
            let slow_path = resolved.as_bytes().windows(6).any(|w| w == b"/slow/");
            let hint = if status == 404 && slow_path && !from_sw {
                " (/slow/ paths are answered by the page's service worker, which is not \
                 active yet: reload the page)"
            } else {
                ""
            };
            return Err(format!("GET {url}: {status_line}{hint}"));
        }
        if let Ok(Some(length)) = response.headers().get("content-length") {
            if length
                .trim()
                .parse::<u64>()
                .is_ok_and(|n| n > MAX_BODY_BYTES)
            {
                return Err(too_big(url));
            }
        }
        self.reader = match response.body() {
            None => None,
            Some(body) => Some(
                body.get_reader()
                    .dyn_into::<ReadableStreamDefaultReader>()
                    .map_err(|_| format!("GET {url}: the body has no reader"))?,
            ),
        };
        Ok(())
    }

    /// Reads one chunk into `pending`; `false` at the end of the body.
    async fn read(&mut self) -> Result<bool, String> {
        let url = &self.url;
        let Some(reader) = &self.reader else {
            return Ok(false);
        };
        let result = JsFuture::from(reader.read()).await.map_err(|error| {
            if self.shared.stopped.get() || js_name(&error) == "AbortError" {
                format!("GET {url}: aborted after {} bytes", self.bytes)
            } else {
                format!(
                    "GET {url}: the body broke off after {} bytes ({})",
                    self.bytes,
                    js_message(&error)
                )
            }
        })?;
        if Reflect::get(&result, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            return Ok(false);
        }
        let chunk: Uint8Array = Reflect::get(&result, &"value".into())
            .ok()
            .and_then(|v| v.dyn_into().ok())
            .ok_or_else(|| format!("GET {url}: the body gave something other than bytes"))?;
        let length = chunk.length() as usize;
        self.bytes += length as u64;
        if self.bytes > MAX_BODY_BYTES {
            return Err(too_big(url));
        }
        // Every body of a run counts towards the bytes it may hold.
        self.shared
            .budget
            .hold(length as u64)
            .map_err(|message| format!("GET {url}: {message}"))?;
        self.scratch.resize(length, 0);
        chunk.copy_to(&mut self.scratch);
        self.fed = 0;
        Ok(true)
    }

    /// Parses the next piece of the last chunk into `pending`.
    fn feed_piece(&mut self) {
        /// Bytes parsed at a time: well under a millisecond of work.
        const PIECE: usize = 16 * 1024;
        let end = self.scratch.len().min(self.fed + PIECE);
        let mut values = Vec::new();
        let fed = self.parser.feed(&self.scratch[self.fed..end], &mut values);
        self.fed = end;
        // The values before a bad row still count; the error comes after them.
        self.pending.extend(values);
        if let Err(message) = fed {
            self.deferred = Some(format!("{}: {message}", self.url));
            self.fed = self.scratch.len();
            self.phase = Phase::Done;
            self.reader = None;
            self.request = None;
        }
    }
}

fn too_big(url: &str) -> String {
    format!(
        "GET {url}: the body is over the {} MB limit; stopped reading",
        MAX_BODY_BYTES / (1024 * 1024)
    )
}

/// `url` made absolute against the page, if it is http(s).
fn resolve(url: &str) -> Result<String, String> {
    let base = Reflect::get(&js_sys::global(), &"location".into())
        .ok()
        .and_then(|location| Reflect::get(&location, &"href".into()).ok())
        .and_then(|href| href.as_string());
    let parsed = match &base {
        Some(base) => web_sys::Url::new_with_base(url, base),
        None => web_sys::Url::new(url),
    }
    .map_err(|_| format!("GET {url}: not a valid URL"))?;
    match parsed.protocol().as_str() {
        "http:" | "https:" => Ok(parsed.href()),
        other => Err(format!(
            "GET {url}: only http(s) and relative URLs can be fetched, not '{other}'"
        )),
    }
}

/// Reason phrases for HTTP/2 and HTTP/3 responses, which carry none.
fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

// ---------------------------------------------------------------- IndexedDB

struct DbState {
    store: String,
    field: String,
    keys: Option<(f64, f64)>,
    limit: Option<u64>,
    notes: Option<Notes>,
    shared: Rc<Shared>,
    cursor: Option<Cursor>,
    started: bool,
}

impl Reader for DbState {
    async fn next(&mut self) -> Option<Result<Tick, SourceError>> {
        if !self.started {
            self.started = true;
            if self.shared.stopped.get() {
                return Some(Err(format!(
                    "db(\"{}\"): aborted (the run stopped)",
                    self.store
                )));
            }
            if self.limit == Some(0) {
                return None;
            }
            match self.open().await {
                Ok(cursor) => self.cursor = Some(cursor),
                Err(message) => return Some(Err(message)),
            }
        }
        let cursor = self.cursor.as_ref()?;
        let item = futures::future::poll_fn(|cx| {
            let mut queue = cursor.queue.borrow_mut();
            match queue.items.pop_front() {
                Some(item) => Poll::Ready(Some(item)),
                None if queue.done => Poll::Ready(None),
                None => {
                    queue.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await;
        match item {
            Some(Ok(value)) => Some(Ok(Tick::ready(value))),
            Some(Err(message)) => {
                self.cursor = None;
                Some(Err(message))
            }
            None => {
                self.cursor = None;
                None
            }
        }
    }
}

impl DbState {
    async fn open(&mut self) -> Result<Cursor, String> {
        let store = self.store.as_str();
        let context = format!("db(\"{store}\")");
        note(&self.notes, &format!("open IndexedDB '{DB_NAME}'"));
        let db = open_database()
            .await
            .map_err(|message| format!("{context}: {message}"))?;
        let names = db.object_store_names();
        if !names.contains(store) {
            let known: Vec<String> = (0..names.length()).filter_map(|i| names.item(i)).collect();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            db.close();
            let mut message = format!(
                "{context}: no store '{store}'; stores: {}",
                known.join(", ")
            );
            if let Some(guess) = crate::source::text::did_you_mean(store, &known) {
                message.push_str(&format!("; did you mean '{guess}'?"));
            }
            return Err(message);
        }
        let tx = db
            .transaction_with_str_and_mode(store, IdbTransactionMode::Readonly)
            .map_err(|e| format!("{context}: {}", js_message(&e)))?;
        let object_store = tx
            .object_store(store)
            .map_err(|e| format!("{context}: {}", js_message(&e)))?;
        let request = match self.keys {
            None => object_store.open_cursor(),
            Some((low, high)) => IdbKeyRange::bound(&low.into(), &high.into())
                .and_then(|range| object_store.open_cursor_with_range(&range)),
        }
        .map_err(|e| format!("{context}: {}", js_message(&e)))?;
        note(&self.notes, &format!("cursor on '{store}'"));
        Ok(Cursor::new(
            db,
            tx,
            request,
            context,
            self.field.clone(),
            self.limit,
        ))
    }
}

#[derive(Default)]
struct Queue {
    items: VecDeque<Result<f64, String>>,
    done: bool,
    waker: Option<Waker>,
}

impl Queue {
    fn push(&mut self, item: Result<f64, String>) {
        if item.is_err() {
            self.done = true;
        }
        self.items.push_back(item);
        self.wake();
    }

    fn finish(&mut self) {
        self.done = true;
        self.wake();
    }

    fn wake(&mut self) {
        if let Some(waker) = self.waker.take() {
            waker.wake();
        }
    }
}

/// A cursor walking a store. Its success handler reads each record as it
/// arrives and asks for the next at once, while the transaction is active;
/// the stream drains the queue.
struct Cursor {
    db: IdbDatabase,
    tx: IdbTransaction,
    request: IdbRequest,
    queue: Rc<RefCell<Queue>>,
    _on_success: Closure<dyn FnMut(JsValue)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl Cursor {
    fn new(
        db: IdbDatabase,
        tx: IdbTransaction,
        request: IdbRequest,
        context: String,
        field: String,
        limit: Option<u64>,
    ) -> Cursor {
        let queue = Rc::new(RefCell::new(Queue::default()));
        let on_success = {
            let (queue, request, context) = (queue.clone(), request.clone(), context.clone());
            let mut count = 0u64;
            Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
                let mut queue = queue.borrow_mut();
                if queue.done {
                    return;
                }
                let cursor = match request.result() {
                    Ok(result) if result.is_null() || result.is_undefined() => {
                        return queue.finish();
                    }
                    Ok(result) => result.unchecked_into::<IdbCursorWithValue>(),
                    Err(error) => {
                        return queue.push(Err(format!("{context}: {}", js_message(&error))));
                    }
                };
                let key = cursor.key().ok().and_then(|k| k.as_f64());
                let record = cursor.value().unwrap_or(JsValue::UNDEFINED);
                queue.push(field_of(&context, key, &record, &field));
                count += 1;
                if queue.done || limit.is_some_and(|limit| count >= limit) {
                    return queue.finish();
                }
                if let Err(error) = cursor.continue_() {
                    queue.push(Err(format!("{context}: {}", js_message(&error))));
                }
            })
        };
        let on_error = {
            let (queue, request) = (queue.clone(), request.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
                let message = match request.error() {
                    Ok(Some(error)) => format!("{}: {}", error.name(), error.message()),
                    _ => "the cursor failed".to_string(),
                };
                queue
                    .borrow_mut()
                    .push(Err(format!("{context}: {message}")));
            })
        };
        request.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
        request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Cursor {
            db,
            tx,
            request,
            queue,
            _on_success: on_success,
            _on_error: on_error,
        }
    }
}

impl Drop for Cursor {
    fn drop(&mut self) {
        self.request.set_onsuccess(None);
        self.request.set_onerror(None);
        if !self.queue.borrow().done {
            // Stopped early: end the transaction instead of letting it run on.
            let _ = self.tx.abort();
        }
        self.db.close();
    }
}

/// The number in `record[field]`, or a message naming the record.
fn field_of(context: &str, key: Option<f64>, record: &JsValue, field: &str) -> Result<f64, String> {
    let which = match key {
        Some(key) => format!("record {key}"),
        None => "a record".to_string(),
    };
    if !record.is_object() {
        return Err(format!("{context}: {which} is not an object"));
    }
    let value = Reflect::get(record, &field.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() {
        let keys: Vec<String> = Object::keys(record.unchecked_ref::<Object>())
            .iter()
            .filter_map(|k| k.as_string())
            .collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        return Err(format!(
            "{context}: {which}: {}",
            crate::source::text::missing_name("field", field, &keys, "the record")
        ));
    }
    match value.as_f64() {
        Some(number) if number.is_finite() => Ok(number),
        _ => {
            let shown = value
                .as_string()
                .map(|s| format!("'{s}'"))
                .unwrap_or_else(|| {
                    js_sys::JSON::stringify(&value)
                        .ok()
                        .and_then(|s| s.as_string())
                        .unwrap_or_else(|| "this value".to_string())
                });
            Err(format!(
                "{context}: {which}, field '{field}': {shown} is not a number"
            ))
        }
    }
}

/// The global `indexedDB`, if this context has one.
fn factory() -> Result<web_sys::IdbFactory, String> {
    const UNAVAILABLE: &str =
        "IndexedDB is unavailable here (private browsing, or storage disabled for this site)";
    let value = Reflect::get(&js_sys::global(), &"indexedDB".into())
        .map_err(|_| UNAVAILABLE.to_string())?;
    value
        .dyn_into::<web_sys::IdbFactory>()
        .map_err(|_| UNAVAILABLE.to_string())
}

/// Opens the sample database, creating and filling it on first use.
async fn open_database() -> Result<IdbDatabase, String> {
    let request: IdbOpenDbRequest = factory()?.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| {
        format!(
            "IndexedDB is unavailable here ({}: {})",
            js_name(&e),
            js_message(&e)
        )
    })?;
    let outcome: Rc<RefCell<Option<Result<(), String>>>> = Rc::default();
    let waker: Rc<RefCell<Option<Waker>>> = Rc::default();
    let settle = {
        let (outcome, waker) = (outcome.clone(), waker.clone());
        move |result: Result<(), String>| {
            let mut outcome = outcome.borrow_mut();
            if outcome.is_none() {
                *outcome = Some(result);
                if let Some(waker) = waker.borrow_mut().take() {
                    waker.wake();
                }
            }
        }
    };
    let handlers = OpenHandlers {
        request: request.clone(),
        on_upgrade: {
            let (request, settle) = (request.clone(), settle.clone());
            Closure::new(move |_event: JsValue| {
                if let Err(message) = seed(&request) {
                    settle(Err(message));
                }
            })
        },
        on_success: {
            let settle = settle.clone();
            Closure::new(move |_event: JsValue| settle(Ok(())))
        },
        on_error: {
            let (request, settle) = (request.clone(), settle.clone());
            Closure::new(move |_event: JsValue| {
                let message = match request.error() {
                    Ok(Some(error)) => format!("{}: {}", error.name(), error.message()),
                    _ => "the database did not open".to_string(),
                };
                settle(Err(format!(
                    "could not open IndexedDB '{DB_NAME}': {message}"
                )))
            })
        },
        on_blocked: Closure::new(move |_event: JsValue| {
            settle(Err(format!(
                "opening IndexedDB '{DB_NAME}' is blocked: another tab holds an older \
                 version open; close it and run again"
            )))
        }),
    };
    handlers.install();
    let result = futures::future::poll_fn(|cx| match outcome.borrow_mut().take() {
        Some(result) => Poll::Ready(result),
        None => {
            *waker.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    })
    .await;
    drop(handlers);
    result?;
    let db: IdbDatabase = request
        .result()
        .ok()
        .and_then(|db| db.dyn_into().ok())
        .ok_or_else(|| format!("IndexedDB '{DB_NAME}' opened without a database"))?;
    Ok(db)
}

/// The open request's handlers, removed when dropped. A connection that
/// opens after its reader gave up (blocked, or the run stopped) is closed at
/// once, so it never blocks anyone else.
struct OpenHandlers {
    request: IdbOpenDbRequest,
    on_upgrade: Closure<dyn FnMut(JsValue)>,
    on_success: Closure<dyn FnMut(JsValue)>,
    on_error: Closure<dyn FnMut(JsValue)>,
    on_blocked: Closure<dyn FnMut(JsValue)>,
}

impl OpenHandlers {
    fn install(&self) {
        let r = &self.request;
        r.set_onupgradeneeded(Some(self.on_upgrade.as_ref().unchecked_ref()));
        r.set_onsuccess(Some(self.on_success.as_ref().unchecked_ref()));
        r.set_onerror(Some(self.on_error.as_ref().unchecked_ref()));
        r.set_onblocked(Some(self.on_blocked.as_ref().unchecked_ref()));
    }
}

impl Drop for OpenHandlers {
    fn drop(&mut self) {
        let r = &self.request;
        r.set_onupgradeneeded(None);
        r.set_onerror(None);
        r.set_onblocked(None);
        let pending = r.ready_state() == web_sys::IdbRequestReadyState::Pending;
        if pending {
            let request = r.clone();
            let close = Closure::once_into_js(move |_event: JsValue| {
                if let Ok(db) = request.result().and_then(JsCast::dyn_into::<IdbDatabase>) {
                    db.close();
                }
            });
            r.set_onsuccess(Some(close.unchecked_ref::<Function>()));
        } else {
            r.set_onsuccess(None);
        }
    }
}

/// Creates the sample store in the upgrade transaction and fills it.
fn seed(request: &IdbOpenDbRequest) -> Result<(), String> {
    let fail = |e: JsValue| format!("could not create the sample store: {}", js_message(&e));
    let db: IdbDatabase = request
        .result()
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "the upgrade gave no database".to_string())?;
    if db.object_store_names().contains(DB_STORE) {
        return Ok(());
    }
    let params = IdbObjectStoreParameters::new();
    params.set_key_path(&"id".into());
    let store = db
        .create_object_store_with_optional_parameters(DB_STORE, &params)
        .map_err(fail)?;
    for id in 1..=DB_RECORDS {
        let (age, income, score) = sample_record(id);
        let record = Object::new();
        for (key, value) in [
            ("id", JsValue::from(id)),
            ("age", age.into()),
            ("income", income.into()),
            ("score", score.into()),
            ("name", format!("user-{id}").into()),
        ] {
            Reflect::set(&record, &key.into(), &value).map_err(fail)?;
        }
        store.put(&record).map_err(fail)?;
    }
    Ok(())
}

/// The sample record `id`: `(age, income, score)`, the same on every machine.
pub fn sample_record(id: u32) -> (f64, f64, f64) {
    let age = 18 + (id * 37) % 53;
    let income = 20_000 + (id * 7_919) % 80_000 / 100 * 100;
    let score = (id * 61) % 1_000;
    (age as f64, income as f64, score as f64 / 10.0)
}
