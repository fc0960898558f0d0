//! The fetch client: one GET, its body streamed through a
//! `ReadableStream` reader and parsed a piece at a time.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{ready, Context, Poll};

use futures::Stream;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{js_message, js_name, note, Shared};
use crate::program::FetchFormat;
use crate::source::text::BodyParser;
use crate::source::{Notes, SourceError, Tick, TickSource};
use crate::url::{is_fetchable_scheme, reason_phrase, slow_path_hint};

/// Bodies larger than this stop with an error: a typo'd URL should not
/// download a video into the page.
pub const MAX_BODY_BYTES: u64 = 50 * 1024 * 1024;

#[wasm_bindgen(module = "/src/web/io/browser.js")]
extern "C" {
    /// One GET read a chunk at a time, in JS (`browser.js`).
    #[derive(Clone)]
    pub(super) type BodyReader;
    #[wasm_bindgen(constructor)]
    fn new(url: &str) -> BodyReader;
    /// Resolves to `false` if `fetch` gave no Response, else `true` with the head read.
    #[wasm_bindgen(method)]
    fn head(this: &BodyReader) -> Promise;
    /// Resolves to the body's next chunk, or null at its end.
    #[wasm_bindgen(method)]
    fn next(this: &BodyReader) -> Promise;
    #[wasm_bindgen(method)]
    pub(super) fn abort(this: &BodyReader);
    #[wasm_bindgen(method, getter)]
    fn aborted(this: &BodyReader) -> bool;
    #[wasm_bindgen(method, getter)]
    fn status(this: &BodyReader) -> u16;
    #[wasm_bindgen(method, getter, js_name = statusText)]
    fn status_text(this: &BodyReader) -> String;
    /// Whether the answer came from the `/slow/` service worker (`x-slow`).
    #[wasm_bindgen(method, getter)]
    fn slow(this: &BodyReader) -> bool;
    /// The URL requested.
    #[wasm_bindgen(method, getter)]
    fn url(this: &BodyReader) -> String;
    /// The `content-length` header, or "".
    #[wasm_bindgen(method, getter)]
    fn length(this: &BodyReader) -> String;
    /// The URL against the page, or "" if it is not a URL.
    #[wasm_bindgen(js_name = resolveUrl)]
    fn resolve_url(url: &str) -> String;
}

/// A request in flight: unregistered and aborted when dropped.
struct InFlight {
    id: u64,
    reader: BodyReader,
    shared: Rc<Shared>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // Harmless once the body is complete; stops the download otherwise.
        self.reader.abort();
        self.shared
            .requests
            .borrow_mut()
            .retain(|(id, _)| *id != self.id);
    }
}

/// A `fetch(...)` source's stream: the request (sent at the first poll), its
/// head, then the body's chunks, each parsed a piece at a time.
pub(super) struct FetchStream {
    url: String,
    parser: BodyParser,
    notes: Option<Notes>,
    shared: Rc<Shared>,
    /// The request and its body's reader, aborted when dropped.
    request: Option<InFlight>,
    /// The promise awaited: the head, then each chunk.
    waiting: Option<JsFuture>,
    /// Whether the head is in: the promises after it are chunks.
    reading: bool,
    /// Values parsed from the last chunk, handed out one by one.
    pending: VecDeque<f64>,
    /// The last chunk read, parsed a piece at a time from `fed` on: a big
    /// chunk is not parsed in one go while the page waits.
    scratch: Vec<u8>,
    fed: usize,
    bytes: u64,
    done: bool,
    /// A parse error, reported after the values before it.
    deferred: Option<String>,
}

impl Stream for FetchStream {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.shared.stopped.get() && !this.done {
                let message = format!("GET {}: aborted (the run stopped)", this.url);
                return Poll::Ready(Some(this.fail(message)));
            }
            if let Some(value) = this.pending.pop_front() {
                return Poll::Ready(Some(Ok(Tick::ready(value))));
            }
            if this.fed < this.scratch.len() {
                this.feed_piece();
                continue;
            }
            if let Some(message) = this.deferred.take() {
                return Poll::Ready(Some(this.fail(message)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let step = match &this.request {
                None => this.start(),
                Some(request) => {
                    let waiting = this
                        .waiting
                        .get_or_insert_with(|| JsFuture::from(request.reader.next()));
                    let settled = ready!(Pin::new(waiting).poll(cx));
                    this.waiting = None;
                    if this.reading {
                        this.chunk(settled)
                    } else {
                        this.head(settled)
                    }
                }
            };
            if let Err(message) = step {
                return Poll::Ready(Some(this.fail(message)));
            }
        }
    }
}

impl TickSource for FetchStream {}

impl FetchStream {
    pub(super) fn new(
        url: &str,
        format: &FetchFormat,
        notes: Option<Notes>,
        shared: Rc<Shared>,
    ) -> FetchStream {
        FetchStream {
            url: url.to_string(),
            parser: BodyParser::new(format),
            notes,
            shared,
            request: None,
            waiting: None,
            reading: false,
            pending: VecDeque::new(),
            scratch: Vec::new(),
            fed: 0,
            bytes: 0,
            done: false,
            deferred: None,
        }
    }

    /// Ends the stream with `message`, aborting the request.
    fn fail(&mut self, message: String) -> Result<Tick, SourceError> {
        self.done = true;
        self.waiting = None;
        self.pending.clear();
        self.scratch.clear();
        self.fed = 0;
        self.request = None;
        Err(message)
    }

    /// Sends the request; its head is awaited next.
    fn start(&mut self) -> Result<(), String> {
        let url = &self.url;
        let resolved = resolve(url)?;
        let reader = BodyReader::new(&resolved);
        let id = self.shared.next_id.get();
        self.shared.next_id.set(id + 1);
        self.shared.requests.borrow_mut().push((id, reader.clone()));
        self.request = Some(InFlight {
            id,
            reader: reader.clone(),
            shared: self.shared.clone(),
        });
        note(&self.notes, &format!("GET {url}"));
        self.waiting = Some(JsFuture::from(reader.head()));
        Ok(())
    }

    /// The head is in (or the request failed): the status line, the caps.
    fn head(&mut self, settled: Result<JsValue, JsValue>) -> Result<(), String> {
        let url = &self.url;
        let Some(InFlight { reader, .. }) = &self.request else {
            return Ok(());
        };
        match settled {
            Ok(is_response) if is_response.is_truthy() => {}
            Ok(_) => return Err(format!("GET {url}: fetch did not give a Response")),
            Err(error) if reader.aborted() || js_name(&error) == "AbortError" => {
                return Err(format!("GET {url}: aborted"))
            }
            Err(error) if js_name(&error) == "TypeError" => {
                return Err(format!(
                    "GET {url}: network error or CORS refusal ({})",
                    js_message(&error)
                ))
            }
            Err(error) => return Err(format!("GET {url}: {}", js_message(&error))),
        }
        self.reading = true;
        let status = reader.status();
        let reason = match reader.status_text() {
            text if text.is_empty() => reason_phrase(status).to_string(),
            text => text,
        };
        let status_line = format!("HTTP {status} {reason}").trim_end().to_string();
        note(&self.notes, &status_line);
        if status >= 400 {
            let hint = slow_path_hint(status, &reader.url(), reader.slow());
            return Err(format!("GET {url}: {status_line}{hint}"));
        }
        if reader
            .length()
            .trim()
            .parse::<u64>()
            .is_ok_and(|n| n > MAX_BODY_BYTES)
        {
            return Err(too_big(url));
        }
        Ok(())
    }

    /// A chunk read (into `scratch`), or the end of the body.
    fn chunk(&mut self, settled: Result<JsValue, JsValue>) -> Result<(), String> {
        let url = &self.url;
        let chunk = settled.map_err(|error| {
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
        if chunk.is_null() {
            let mut values = Vec::new();
            let finished = self.parser.finish(&mut values);
            self.pending.extend(values);
            self.done = true;
            self.request = None;
            if let Err(message) = finished {
                self.deferred = Some(format!("{url}: {message}"));
            }
            return Ok(());
        }
        let chunk: Uint8Array = chunk
            .dyn_into()
            .map_err(|_| format!("GET {url}: the body gave something other than bytes"))?;
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
        Ok(())
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
            self.done = true;
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
    let resolved = resolve_url(url);
    if resolved.is_empty() {
        return Err(format!("GET {url}: not a valid URL"));
    }
    // An absolute URL's text starts with its scheme and a ':'.
    let scheme = &resolved[..resolved.find(':').map_or(0, |colon| colon + 1)];
    if is_fetchable_scheme(scheme) {
        Ok(resolved)
    } else {
        Err(format!(
            "GET {url}: only http(s) and relative URLs can be fetched, not '{scheme}'"
        ))
    }
}
