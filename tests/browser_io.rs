#![cfg(all(target_arch = "wasm32", feature = "web"))]
//! Real I/O in the browser (`wasm-pack test --headless --chrome`): fetch
//! sources stream files served by the test runner (it serves the crate root,
//! so `/www/data/...` are the sample datasets), errors are clear, stopping
//! aborts, and the IndexedDB source reads its seeded records.
//!
//! The /slow/ service worker needs a page it controls, which the test runner
//! is not: tests/e2e/io.test.mjs covers it against the served `www/`.

use std::cell::RefCell;
use std::rc::Rc;

use async_playground::clock::RealClock;
use async_playground::lang;
use async_playground::program::FetchFormat;
use async_playground::run::{Engine, Plan};
use async_playground::source::text::parse_all;
use async_playground::source::{OpenIo, TickStream};
use async_playground::trace::{EventKind, Report};
use async_playground::web::io::{sample_record, BrowserIo, DB_RECORDS};
use futures::StreamExt;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NUMBERS: &[f64] = &[10.0, 20.0, 40.0, 50.0, 500.0, 5000.0, 3.0, 7.0, 11.0, 13.0];

async fn drain(mut stream: TickStream) -> (Vec<f64>, Option<String>) {
    let mut values = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(tick) => values.push(tick.value),
            Err(message) => return (values, Some(message)),
        }
    }
    (values, None)
}

async fn fetch_all(url: &str, format: FetchFormat) -> (Vec<f64>, Option<String>) {
    drain(BrowserIo::new().fetch(url, &format, None)).await
}

fn csv(column: &str) -> FetchFormat {
    FetchFormat::Csv {
        column: column.into(),
    }
}

async fn run_with_io(text: &str) -> Report {
    let program = lang::parse(text).expect("valid program");
    let plan = Plan::compile(&program).expect("plan");
    let engine = Engine::new(RealClock::new(), plan, Rc::new(BrowserIo::new()));
    engine.run(None).await;
    engine.report(false)
}

#[wasm_bindgen_test]
async fn fetch_streams_lines_csv_and_ndjson_from_a_served_file() {
    assert_eq!(
        fetch_all("/www/data/numbers.txt", FetchFormat::Lines).await,
        (NUMBERS.to_vec(), None)
    );
    let expected = parse_all(&csv("age"), include_bytes!("../www/data/features.csv")).unwrap();
    assert_eq!(expected.len(), 24);
    assert_eq!(
        fetch_all("/www/data/features.csv", csv("age")).await,
        (expected, None)
    );
    let ndjson = FetchFormat::Ndjson {
        field: "income".into(),
    };
    let expected = parse_all(&ndjson, include_bytes!("../www/data/features.ndjson")).unwrap();
    assert_eq!(
        fetch_all("/www/data/features.ndjson", ndjson).await,
        (expected, None)
    );
}

#[wasm_bindgen_test]
async fn a_fetch_lane_records_the_request_the_headers_and_every_value() {
    let report = run_with_io(r#"sum(fetch("/www/data/numbers.txt"))"#).await;
    assert_eq!(report.statements[0].outcome.to_string(), "5654");
    let kinds: Vec<String> = report
        .events
        .iter()
        .filter(|e| e.lane == report.statements[0].lane)
        .map(|e| match &e.kind {
            EventKind::Note { text } => format!("note {text}"),
            other => other.name().to_string(),
        })
        .collect();
    assert_eq!(kinds[0], "start");
    assert_eq!(kinds[1], "note GET /www/data/numbers.txt");
    assert!(kinds[2].starts_with("note HTTP 200"), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "value").count(), 10);
    assert_eq!(kinds.last().map(String::as_str), Some("end"));
}

#[wasm_bindgen_test]
async fn http_errors_bad_hosts_and_bad_urls_are_clear() {
    let (values, error) = fetch_all("/www/data/missing.csv", csv("age")).await;
    assert!(values.is_empty());
    let error = error.expect("an error");
    assert!(
        error.starts_with("GET /www/data/missing.csv: HTTP 404"),
        "{error}"
    );

    let (_, error) = fetch_all("http://no-such-host.invalid/x.csv", csv("age")).await;
    let error = error.expect("an error");
    assert!(
        error.starts_with("GET http://no-such-host.invalid/x.csv: network error or CORS refusal"),
        "{error}"
    );

    let (_, error) = fetch_all("ftp://example.com/x.txt", FetchFormat::Lines).await;
    assert_eq!(
        error.as_deref(),
        Some("GET ftp://example.com/x.txt: only http(s) and relative URLs can be fetched, not 'ftp:'")
    );

    // Without the service worker, /slow/ paths say what is missing.
    let (_, error) = fetch_all("/slow/www/data/numbers.txt", FetchFormat::Lines).await;
    assert!(
        error.expect("an error").contains("service worker"),
        "a hint about the service worker"
    );
}

#[wasm_bindgen_test]
async fn malformed_rows_missing_columns_and_non_numbers_name_the_place() {
    let (values, error) = fetch_all("/www/data/bad-row.csv", csv("age")).await;
    assert_eq!(values, [34.0, 41.0, 29.0, 52.0, 38.0]);
    assert_eq!(
        error.as_deref(),
        Some("/www/data/bad-row.csv: line 7: expected 4 fields, found 3")
    );
    let (_, error) = fetch_all("/www/data/bad-value.csv", csv("age")).await;
    assert_eq!(
        error.as_deref(),
        Some("/www/data/bad-value.csv: line 3, column 'age': 'abc' is not a number")
    );
    let (_, error) = fetch_all("/www/data/features.csv", csv("agee")).await;
    assert_eq!(
        error.as_deref(),
        Some("/www/data/features.csv: no column 'agee' in header: id, age, income, score, city, note; did you mean 'age'?")
    );
}

#[wasm_bindgen_test]
async fn a_failed_fetch_in_a_gather_leaves_the_others_alone() {
    let report = run_with_io(
        r#"gather(sum(fetch("/www/data/numbers.txt")), sum(fetch("/www/data/nope.txt")), count(fetch("/www/data/features.csv", column "score")))"#,
    )
    .await;
    let text = report.statements[0].outcome.to_string();
    assert!(
        text.starts_with("[5654, error: GET /www/data/nope.txt: HTTP 404")
            && text.ends_with(", 24]"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn aborting_mid_body_stops_the_stream_and_the_request() {
    let io = BrowserIo::new();
    let mut stream = io.fetch("/www/data/numbers.txt", &FetchFormat::Lines, None);
    let first = stream.next().await.expect("a value").expect("no error");
    assert_eq!(first.value, 10.0);
    assert_eq!(
        io.in_flight(),
        1,
        "the request is registered while the body is read"
    );
    io.abort_all();
    assert_eq!(io.in_flight(), 0);
    let next = stream
        .next()
        .await
        .expect("an error, not the rest of the body");
    assert_eq!(
        next,
        Err("GET /www/data/numbers.txt: aborted (the run stopped)".into())
    );
    assert!(stream.next().await.is_none());

    // Dropping a stream (a cancelled task) aborts its request too.
    let io = BrowserIo::new();
    let mut stream = io.fetch("/www/data/features.csv", &csv("age"), None);
    stream.next().await.expect("a value").expect("no error");
    assert_eq!(io.in_flight(), 1);
    drop(stream);
    assert_eq!(io.in_flight(), 0);
}

fn set(target: &Object, key: &str, value: &JsValue) {
    Reflect::set(target, &key.into(), value).unwrap();
}

/// Makes `fetch` answer URLs containing `/fake-slow/` with a body of the
/// numbers 1 to 50, one every 20 ms, and count aborted requests in
/// `globalThis.fakeSlowAborted`. Other URLs go to the real `fetch`.
fn install_fake_slow_fetch() {
    let install = Function::new_no_args(
        r#"
        if (globalThis.fakeSlowInstalled) return;
        globalThis.fakeSlowInstalled = true;
        globalThis.fakeSlowAborted = 0;
        const original = globalThis.fetch;
        globalThis.fetch = function (input, init) {
          if (!String(input).includes('/fake-slow/')) return original.call(this, input, init);
          const signal = init && init.signal;
          if (signal) signal.addEventListener('abort', () => { globalThis.fakeSlowAborted++; });
          const encoder = new TextEncoder();
          let n = 0;
          let timer;
          const body = new ReadableStream({
            pull(controller) {
              return new Promise((resolve) => {
                timer = setTimeout(() => {
                  n += 1;
                  if (n > 50) controller.close(); else controller.enqueue(encoder.encode(n + '\n'));
                  resolve();
                }, 20);
              });
            },
            cancel() { clearTimeout(timer); },
          });
          return Promise.resolve(new Response(body, { status: 200, statusText: 'OK' }));
        };
        "#,
    );
    install.call0(&JsValue::NULL).expect("fake fetch installed");
}

fn fake_slow_aborted() -> f64 {
    Reflect::get(&js_sys::global(), &"fakeSlowAborted".into())
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

#[wasm_bindgen_test]
async fn stopping_a_run_from_js_mid_body_cancels_the_lane_and_aborts_the_request() {
    install_fake_slow_fetch();
    let aborted_before = fake_slow_aborted();
    // The JS API: abort the run's signal when the third value arrives.
    let controller = web_sys::AbortController::new().unwrap();
    let seen = Rc::new(RefCell::new(0u32));
    let on_event = {
        let (controller, seen) = (controller.clone(), seen.clone());
        Closure::<dyn FnMut(JsValue)>::new(move |batch: JsValue| {
            let events: js_sys::Array = Reflect::get(&batch, &"events".into()).unwrap().into();
            for event in events.iter() {
                let kind = Reflect::get(&event, &"kind".into()).unwrap().as_string();
                if kind.as_deref() == Some("value") {
                    *seen.borrow_mut() += 1;
                    if *seen.borrow() == 3 {
                        controller.abort();
                    }
                }
            }
        })
    };
    let options = Object::new();
    set(&options, "signal", &controller.signal().into());
    set(
        &options,
        "onEvent",
        on_event.as_ref().unchecked_ref::<Function>(),
    );
    let promise: Promise =
        async_playground::web::run(r#"collect(fetch("/fake-slow/n.txt"))"#, options.into());
    let report = JsFuture::from(promise).await.expect("a report");
    assert_eq!(
        Reflect::get(&report, &"cancelled".into()).unwrap(),
        JsValue::TRUE
    );
    let events: js_sys::Array = Reflect::get(&report, &"events".into()).unwrap().into();
    let kinds: Vec<String> = events
        .iter()
        .filter_map(|e| Reflect::get(&e, &"kind".into()).ok()?.as_string())
        .collect();
    let values = kinds.iter().filter(|k| *k == "value").count();
    assert_eq!(values, 3, "{kinds:?}");
    assert_eq!(
        kinds.last().map(String::as_str),
        Some("cancel"),
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| *k == "note").count(),
        2,
        "{kinds:?}"
    );
    assert_eq!(
        fake_slow_aborted(),
        aborted_before + 1.0,
        "the request was aborted"
    );
}

#[wasm_bindgen_test]
async fn a_timeout_cancels_a_slow_body_and_aborts_its_request() {
    install_fake_slow_fetch();
    let aborted_before = fake_slow_aborted();
    let report = run_with_io(r#"timeout(150ms, count(fetch("/fake-slow/n.txt")))"#).await;
    assert_eq!(
        report.statements[0].outcome.to_string(),
        "error: timed out after 150ms"
    );
    assert_eq!(fake_slow_aborted(), aborted_before + 1.0);
    // Values arrive as the body streams, not at its end.
    let report = run_with_io(r#"collect(fetch("/fake-slow/n.txt") | take 3)"#).await;
    assert_eq!(report.statements[0].outcome.to_string(), "[1, 2, 3]");
    let times: Vec<f64> = report
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Value { .. }))
        .map(|e| e.t)
        .collect();
    assert!(
        times[2] - times[0] >= 30.0,
        "values spread over time: {times:?}"
    );
}

fn db(store: &str, field: &str, keys: Option<(f64, f64)>, limit: Option<u64>) -> TickStream {
    BrowserIo::new().database(store, field, keys, limit, None)
}

#[wasm_bindgen_test]
async fn the_database_source_reads_seeded_records_with_range_and_limit() {
    let ages: Vec<f64> = (1..=DB_RECORDS).map(|id| sample_record(id).0).collect();
    assert_eq!(drain(db("features", "age", None, None)).await, (ages, None));
    // Run twice: the seeding is idempotent.
    let ids: Vec<f64> = (1..=DB_RECORDS).map(f64::from).collect();
    assert_eq!(drain(db("features", "id", None, None)).await, (ids, None));

    let incomes: Vec<f64> = (10..=29).map(|id| sample_record(id).1).collect();
    assert_eq!(
        drain(db("features", "income", Some((10.0, 29.0)), None)).await,
        (incomes.clone(), None)
    );
    assert_eq!(
        drain(db("features", "income", Some((10.0, 29.0)), Some(5))).await,
        (incomes[..5].to_vec(), None)
    );
    assert_eq!(
        drain(db("features", "score", None, Some(3))).await,
        ((1..=3).map(|id| sample_record(id).2).collect(), None)
    );
    assert_eq!(
        drain(db("features", "age", Some((1000.0, 2000.0)), None)).await,
        (vec![], None)
    );

    let report = run_with_io(r#"stats(db("features", field "age", keys 1..10, limit 4))"#).await;
    let expected: Vec<f64> = (1..=4).map(|id| sample_record(id).0).collect();
    let min = expected.iter().copied().fold(f64::INFINITY, f64::min);
    let text = report.statements[0].outcome.to_string();
    assert!(
        text.starts_with(&format!("{{count: 4, min: {min}")),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn database_errors_name_the_store_and_the_field() {
    assert_eq!(
        drain(db("featurs", "age", None, None)).await,
        (
            vec![],
            Some(
                "db(\"featurs\"): no store 'featurs'; stores: features; did you mean 'features'?"
                    .into()
            )
        )
    );
    assert_eq!(
        drain(db("features", "agee", None, None)).await,
        (
            vec![],
            Some("db(\"features\"): record 1: no field 'agee' in the record: id, age, income, score, name; did you mean 'age'?".into())
        )
    );
    assert_eq!(
        drain(db("features", "name", None, None)).await,
        (
            vec![],
            Some("db(\"features\"): record 1, field 'name': 'user-1' is not a number".into())
        )
    );
}

#[wasm_bindgen_test]
async fn a_database_scan_stopped_early_releases_the_database() {
    let mut stream = db("features", "age", None, None);
    assert!(stream.next().await.is_some());
    drop(stream);
    // Another scan still works: nothing was left open or blocked.
    let (values, error) = drain(db("features", "age", None, Some(2))).await;
    assert_eq!((values.len(), error), (2, None));
}
