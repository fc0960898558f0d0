//! The fetch client: one GET, its body streamed through a
//! `ReadableStream` reader and parsed a piece at a time.

use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestInit, Response};

use super::{js_message, js_name, note, Reader, Shared};
use crate::program::FetchFormat;
use crate::source::text::BodyParser;
use crate::source::{Notes, SourceError, Tick};
use crate::url::{is_fetchable_scheme, reason_phrase, slow_path_hint};

/// Bodies larger than this stop with an error: a typo'd URL should not
/// download a video into the page.
pub const MAX_BODY_BYTES: u64 = 50 * 1024 * 1024;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, in a window or a worker.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(input: &str, init: &RequestInit) -> Result<Promise, JsValue>;
}

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

pub(super) struct FetchState {
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
    pub(super) fn new(
        url: &str,
        format: &FetchFormat,
        notes: Option<Notes>,
        shared: Rc<Shared>,
    ) -> FetchState {
        FetchState {
            url: url.to_string(),
            parser: BodyParser::new(format),
            notes,
            shared,
            request: None,
            reader: None,
            pending: VecDeque::new(),
            scratch: Vec::new(),
            fed: 0,
            bytes: 0,
            phase: Phase::Start,
            deferred: None,
        }
    }

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
            let hint = slow_path_hint(status, &resolved, from_sw);
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
    let scheme = parsed.protocol();
    if is_fetchable_scheme(&scheme) {
        Ok(parsed.href())
    } else {
        Err(format!(
            "GET {url}: only http(s) and relative URLs can be fetched, not '{scheme}'"
        ))
    }
}
