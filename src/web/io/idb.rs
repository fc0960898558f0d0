//! Opening the sample IndexedDB database, creating its store and filling it
//! with [`crate::source::sample`]'s records on first use.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbOpenDbRequest};

use super::{js_message, js_name};
use crate::source::sample::{sample_records, DB_NAME, DB_STORE, DB_VERSION};

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
pub(super) async fn open_database() -> Result<IdbDatabase, String> {
    let request: IdbOpenDbRequest = factory()?.open_with_u32(DB_NAME, DB_VERSION).map_err(|e| {
        format!(
            "IndexedDB is unavailable here ({}: {})",
            js_name(&e),
            js_message(&e)
        )
    })?;
    let (sender, outcome) = oneshot::channel::<Result<(), String>>();
    // Whichever handler fires first settles the open.
    let sender = Rc::new(RefCell::new(Some(sender)));
    let settle = move |result: Result<(), String>| {
        if let Some(sender) = sender.borrow_mut().take() {
            let _ = sender.send(result);
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
    let result = outcome
        .await
        .unwrap_or_else(|_| Err("the database did not open".to_string()));
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
    for sample in sample_records() {
        let record = Object::new();
        for (key, value) in [
            ("id", JsValue::from(sample.id)),
            ("age", sample.age.into()),
            ("income", sample.income.into()),
            ("score", sample.score.into()),
            ("name", sample.name.into()),
        ] {
            Reflect::set(&record, &key.into(), &value).map_err(fail)?;
        }
        store.put(&record).map_err(fail)?;
    }
    Ok(())
}
