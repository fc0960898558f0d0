//! A `db(...)` source: a cursor over a store of the sample database, read as
//! a stream of one field's numbers.

use futures::channel::mpsc;
use futures::StreamExt;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    IdbCursorWithValue, IdbDatabase, IdbKeyRange, IdbRequest, IdbTransaction, IdbTransactionMode,
};

use std::rc::Rc;

use super::idb::open_database;
use super::{js_message, note, Reader, Shared};
use crate::source::sample::DB_NAME;
use crate::source::{Notes, SourceError, Tick};

pub(super) struct DbState {
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
        let cursor = self.cursor.as_mut()?;
        let item = cursor.items.next().await;
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
    pub(super) fn new(
        store: &str,
        field: &str,
        keys: Option<(f64, f64)>,
        limit: Option<u64>,
        notes: Option<Notes>,
        shared: Rc<Shared>,
    ) -> DbState {
        DbState {
            store: store.to_string(),
            field: field.to_string(),
            keys,
            limit,
            notes,
            shared,
            cursor: None,
            started: false,
        }
    }

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

/// A cursor walking a store. Its success handler reads each record as it
/// arrives and asks for the next at once, while the transaction is active;
/// the stream drains the channel. The channel is closed at the end of the
/// store, after an error, or after `limit` records.
struct Cursor {
    db: IdbDatabase,
    tx: IdbTransaction,
    request: IdbRequest,
    sender: mpsc::UnboundedSender<Result<f64, String>>,
    items: mpsc::UnboundedReceiver<Result<f64, String>>,
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
        let (sender, items) = mpsc::unbounded();
        let on_success = {
            let (sender, request, context) = (sender.clone(), request.clone(), context.clone());
            let mut count = 0u64;
            Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
                if sender.is_closed() {
                    return;
                }
                let cursor = match request.result() {
                    Ok(result) if result.is_null() || result.is_undefined() => {
                        return sender.close_channel();
                    }
                    Ok(result) => result.unchecked_into::<IdbCursorWithValue>(),
                    Err(error) => {
                        return fail(&sender, format!("{context}: {}", js_message(&error)));
                    }
                };
                let key = cursor.key().ok().and_then(|k| k.as_f64());
                let record = cursor.value().unwrap_or(JsValue::UNDEFINED);
                let item = field_of(&context, key, &record, &field);
                let failed = item.is_err();
                let _ = sender.unbounded_send(item);
                count += 1;
                if failed || limit.is_some_and(|limit| count >= limit) {
                    return sender.close_channel();
                }
                if let Err(error) = cursor.continue_() {
                    fail(&sender, format!("{context}: {}", js_message(&error)));
                }
            })
        };
        let on_error = {
            let (sender, request) = (sender.clone(), request.clone());
            Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| {
                let message = match request.error() {
                    Ok(Some(error)) => format!("{}: {}", error.name(), error.message()),
                    _ => "the cursor failed".to_string(),
                };
                fail(&sender, format!("{context}: {message}"));
            })
        };
        request.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
        request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Cursor {
            db,
            tx,
            request,
            sender,
            items,
            _on_success: on_success,
            _on_error: on_error,
        }
    }
}

impl Drop for Cursor {
    fn drop(&mut self) {
        self.request.set_onsuccess(None);
        self.request.set_onerror(None);
        if !self.sender.is_closed() {
            // Stopped early: end the transaction instead of letting it run on.
            let _ = self.tx.abort();
        }
        self.db.close();
    }
}

/// Sends `message` as the stream's last item.
fn fail(sender: &mpsc::UnboundedSender<Result<f64, String>>, message: String) {
    let _ = sender.unbounded_send(Err(message));
    sender.close_channel();
}

/// The number in `record[field]`, or a message naming the record.
fn field_of(context: &str, key: Option<f64>, record: &JsValue, field: &str) -> Result<f64, String> {
    let which = match key {
        Some(key) => format!("record {}", crate::float_text::FloatText::plain(key)),
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
