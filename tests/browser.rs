#![cfg(all(target_arch = "wasm32", feature = "web"))]
//! The engine on the browser's real event loop and timers
//! (`wasm-pack test --headless --chrome`). Timing checks use tolerances.

mod common;

use std::future::Future;
use std::ops::Range;
use std::rc::Rc;

use async_playground::clock::RealClock;
use async_playground::lang;
use async_playground::run::{Engine, Plan};
use async_playground::source::NoIo;
use async_playground::trace::Report;
use common::results;
use futures::future::{select, Either};
use futures::FutureExt;
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const POST_100MS: &str = "
source afeat1 = [10, 20, 40] every 100ms
source afeat2 = [50, 500, 5000] every 100ms
";

async fn run_real(text: &str) -> (Report, RealClock) {
    let program = lang::parse(text).expect("valid program");
    let plan = Plan::compile(&program).expect("plan");
    let clock = RealClock::new();
    let engine = Engine::new(clock.clone(), plan, Rc::new(NoIo));
    engine.run(None).await;
    (engine.report(false), clock)
}

/// How often a timing check runs before it fails. On a busy machine a
/// browser timer now and then fires late (the tab or the machine stalls);
/// a wrong schedule is off in every round.
const TIMING_ROUNDS: usize = 3;

/// Runs `round` until it is on time, at most [`TIMING_ROUNDS`] times;
/// fails with every round's complaint.
async fn until_on_time<T, F: Future<Output = Result<T, String>>>(
    mut round: impl FnMut() -> F,
) -> T {
    let mut complaints = Vec::new();
    for _ in 0..TIMING_ROUNDS {
        match round().await {
            Ok(on_time) => return on_time,
            Err(complaint) => complaints.push(complaint),
        }
    }
    panic!("off in every one of {TIMING_ROUNDS} rounds: {complaints:?}");
}

/// Runs `text` on the real clock until `timing` accepts the report (see
/// [`until_on_time`]).
async fn run_timed(
    text: &str,
    timing: impl Fn(&Report) -> Result<(), String>,
) -> (Report, RealClock) {
    until_on_time(|| async {
        let (report, clock) = run_real(text).await;
        timing(&report).map(|()| (report, clock))
    })
    .await
}

/// `Ok` when `elapsed` (ms) is in `range`. Under its floor fails at once:
/// timers never fire early, so that is never the machine's doing.
fn took(what: &str, elapsed: f64, range: Range<f64>) -> Result<(), String> {
    assert!(
        elapsed >= range.start,
        "{what} took {elapsed} ms, under its floor of {} ms",
        range.start
    );
    if elapsed < range.end {
        Ok(())
    } else {
        Err(format!(
            "{what} took {elapsed} ms (at most {} ms)",
            range.end
        ))
    }
}

#[wasm_bindgen_test]
async fn gather_with_100ms_delays_takes_about_300ms() {
    let text = format!("{POST_100MS} gather(collect(afeat1), collect(afeat2))");
    let (report, _) = run_timed(&text, |report| {
        took("gather", report.statements[0].elapsed_ms, 300.0..380.0)
    })
    .await;
    assert_eq!(results(&report), ["[[10, 20, 40], [50, 500, 5000]]"]);
}

/// A browser timer set from a timer's callback is nested, and past five
/// levels the browser makes a wait under 4 ms last 4 ms; the clock arms
/// short waits from a message instead. Clamped, 40 sleeps of 1 ms would
/// take at least 5 + 35 * 4 = 145 ms (they took 160 to 200 ms before).
#[wasm_bindgen_test]
async fn chained_one_millisecond_sleeps_are_not_clamped_to_four() {
    let (report, clock) = run_timed("sum(range(40) every 1ms)", |report| {
        took(
            "40 sleeps of 1 ms",
            report.statements[0].elapsed_ms,
            40.0..120.0,
        )
    })
    .await;
    assert_eq!(results(&report), ["780"]);
    assert!(!clock.is_armed(), "no browser timer is left armed");
}

#[wasm_bindgen_test]
async fn sequential_with_100ms_delays_takes_about_600ms() {
    let text = format!("{POST_100MS} sequential(collect(afeat1), collect(afeat2))");
    let (report, _) = run_timed(&text, |report| {
        took("sequential", report.statements[0].elapsed_ms, 600.0..720.0)
    })
    .await;
    assert_eq!(results(&report), ["[[10, 20, 40], [50, 500, 5000]]"]);
}

#[wasm_bindgen_test]
async fn blocking_takes_the_sum_of_the_delays_awaiting_the_max() {
    let text = "
        source s1 = [1, 2, 3] every 50ms blocking
        source s2 = [4, 5, 6] every 50ms blocking
        source a1 = [1, 2, 3] every 50ms
        source a2 = [4, 5, 6] every 50ms
        gather(collect(s1), collect(s2))
        gather(collect(a1), collect(a2))
        ";
    // Busy-waits cannot end early, so the sum (300 ms) is a hard floor; the
    // ceilings leave room for a loaded machine's late timers, yet awaiting
    // must stay well below the sum it would take if it blocked.
    run_timed(text, |report| {
        let blocking = report.statements[0].elapsed_ms;
        let awaiting = report.statements[1].elapsed_ms;
        took("blocking", blocking, 300.0..600.0)?;
        took("awaiting", awaiting, 150.0..290.0)?;
        if blocking - awaiting > 60.0 {
            Ok(())
        } else {
            Err(format!(
                "blocking {blocking} ms should exceed awaiting {awaiting} ms by about the 150 ms it overlaps"
            ))
        }
    })
    .await;
}

#[wasm_bindgen_test]
async fn stopping_a_run_cancels_every_timer_and_result() {
    let text = format!("{POST_100MS} gather(collect(afeat1), collect(afeat2))");
    let program = lang::parse(&text).unwrap();
    let plan = Plan::compile(&program).unwrap();
    let clock = RealClock::new();
    let engine = Engine::new(clock.clone(), plan, Rc::new(NoIo));
    // Stop after 150 ms: dropping the run is how `web::run` stops it too.
    let stopped = match select(engine.run(None).boxed_local(), TimeoutFuture::new(150)).await {
        Either::Left(_) => false,
        Either::Right(_) => true,
    };
    assert!(stopped, "the run should still be going at 150 ms");
    clock.shut_down();
    assert!(!clock.is_armed(), "no browser timer is left armed");
    let at_stop = engine.report(true);
    TimeoutFuture::new(400).await;
    let later = engine.report(true);
    assert_eq!(
        at_stop.events, later.events,
        "nothing happens after the stop"
    );
    assert!(later.statements.is_empty(), "no result arrives");
    let cancels = later
        .events
        .iter()
        .filter(|e| e.kind.name() == "cancel")
        .count();
    assert_eq!(cancels, 3, "the gather and both tasks are marked cancelled");
}

#[wasm_bindgen_test]
async fn ten_thousand_concurrent_sources_give_correct_results() {
    let (report, clock) = run_timed(
        "source a = [10, 20, 40] every 100ms\n gather(10000 * sum(a))",
        |report| {
            took(
                "10^4 sources",
                report.statements[0].elapsed_ms,
                300.0..1500.0,
            )
        },
    )
    .await;
    match &report.statements[0].outcome {
        async_playground::aggregate::Outcome::Group(items) => {
            assert_eq!(items.len(), 10_000);
            assert!(items.iter().all(|i| i.to_string() == "70"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!clock.is_armed());
}

#[wasm_bindgen_test]
async fn the_js_api_runs_text_and_reports_live_events() {
    use js_sys::{Object, Reflect};
    use wasm_bindgen::JsValue;
    let batches = js_sys::Array::new();
    let push = batches.clone();
    let on_event = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |batch| {
        push.push(&batch);
    });
    let options = Object::new();
    Reflect::set(&options, &"onEvent".into(), on_event.as_ref()).unwrap();
    let text = format!("{POST_100MS} gather(collect(afeat1), collect(afeat2))");
    let get = |value: &JsValue, key: &str| Reflect::get(value, &key.into()).unwrap();
    until_on_time(|| async {
        batches.set_length(0);
        let running = async_playground::web::run(&text, options.clone().into());
        let report = wasm_bindgen_futures::JsFuture::from(running).await.unwrap();
        let statement = get(&get(&report, "statements"), "0");
        let result = get(&get(&statement, "result"), "text");
        assert_eq!(
            result.as_string().unwrap(),
            "[[10, 20, 40], [50, 500, 5000]]"
        );
        assert_eq!(get(&statement, "idealMs").as_f64(), Some(300.0));
        assert!(
            batches.length() >= 3,
            "events arrive in several live batches, got {}",
            batches.length()
        );
        let elapsed = get(&statement, "elapsedMs").as_f64().unwrap();
        took("run(text)", elapsed, 300.0..380.0)
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_js_api_rejects_bad_programs_with_diagnostics() {
    use js_sys::Reflect;
    let promise = async_playground::web::run("sum(nope)", wasm_bindgen::JsValue::UNDEFINED);
    let error = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .unwrap_err();
    let diagnostics: js_sys::Array = Reflect::get(&error, &"diagnostics".into())
        .unwrap()
        .unchecked_into();
    assert_eq!(diagnostics.length(), 1);
    let line = Reflect::get(&diagnostics.get(0), &"line".into()).unwrap();
    assert_eq!(line.as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn a_long_virtual_run_yields_to_the_page_and_can_be_stopped() {
    use js_sys::{Object, Reflect};
    let controller = web_sys::AbortController::new().unwrap();
    let options = Object::new();
    Reflect::set(&options, &"clock".into(), &"virtual".into()).unwrap();
    Reflect::set(&options, &"signal".into(), &controller.signal()).unwrap();
    // About 2 * 10^6 timed events: far longer than one slice of the page's time.
    let text = "source t = range(1000) every 1ms\n gather(2000 * count(t))";
    let running =
        wasm_bindgen_futures::JsFuture::from(async_playground::web::run(text, options.into()));
    let stop = async {
        TimeoutFuture::new(20).await;
        controller.abort();
    };
    let (report, ()) = futures::join!(running, stop);
    let report = report.unwrap();
    let cancelled = Reflect::get(&report, &"cancelled".into()).unwrap();
    assert_eq!(
        cancelled.as_bool(),
        Some(true),
        "the abort arrived while the run was going"
    );
}

/// The report's lanes and events are the very objects handed over while the
/// run waited (`onEvent`'s batches), and a run without `onEvent` (which
/// hands them over all the same) reports the same trace as the virtual clock.
#[wasm_bindgen_test]
async fn the_report_reuses_the_handed_over_objects_and_misses_nothing() {
    use js_sys::{Array, Object, Reflect};
    use wasm_bindgen::JsValue;
    let text =
        "source a = [1, 2] every 20ms\n\ngather(5 * sum(a))\nsequential(sum(a), collect(a))\n";
    let get = |value: &JsValue, key: &str| Reflect::get(value, &key.into()).unwrap();
    let run = |clock: &str, on_event: Option<&JsValue>| {
        let options = Object::new();
        Reflect::set(&options, &"clock".into(), &clock.into()).unwrap();
        if let Some(on_event) = on_event {
            Reflect::set(&options, &"onEvent".into(), on_event).unwrap();
        }
        wasm_bindgen_futures::JsFuture::from(async_playground::web::run(text, options.into()))
    };
    let batches = Array::new();
    let push = batches.clone();
    let on_event = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |batch| {
        push.push(&batch);
    });
    let live = run("real", Some(on_event.as_ref())).await.unwrap();
    assert!(batches.length() >= 3, "{} batches", batches.length());
    for key in ["lanes", "events"] {
        let handed: Array = batches.map(&mut |batch, _, _| get(&batch, key)).flat(1);
        let reported: Array = get(&live, key).into();
        assert_eq!(reported.length(), handed.length(), "{key}");
        for (i, (reported, handed)) in reported.iter().zip(handed.iter()).enumerate() {
            assert!(
                Object::is(&reported, &handed),
                "{key}[{i}] is not the object handed over"
            );
        }
    }
    // What each lane recorded, in order: the same with or without onEvent, and on either clock.
    let trace = |report: &JsValue| {
        let lanes: Array = get(report, "lanes").into();
        let events: Array = get(report, "events").into();
        let mut per_lane = vec![String::new(); lanes.length() as usize];
        for event in events.iter() {
            let lane = get(&event, "lane").as_f64().unwrap() as usize;
            per_lane[lane] += &format!("{} ", get(&event, "kind").as_string().unwrap());
        }
        assert_eq!(get(report, "eventsOmitted").as_f64(), Some(0.0));
        per_lane
    };
    let quiet = run("real", None).await.unwrap();
    let virtual_report = run("virtual", None).await.unwrap();
    let expected = trace(&virtual_report);
    assert_eq!(expected.len(), 1 + 5 + 1 + 2, "lanes: {expected:?}");
    assert_eq!(expected[1], "start value value end ");
    assert_eq!(trace(&live), expected);
    assert_eq!(trace(&quiet), expected);
}

/// Real-clock times are kept to the microsecond: differences of two
/// `performance.now()` readings carry binary noise the report would write
/// out digit by digit (`300.1000000000058`).
#[wasm_bindgen_test]
async fn real_clock_times_are_whole_microseconds() {
    let (report, _) =
        run_real("gather(collect(range(5) every 7ms), sum(range(3) every 3ms))").await;
    let times = report.events.iter().map(|e| e.t);
    let times: Vec<f64> = times.chain([report.statements[0].elapsed_ms]).collect();
    assert!(times.iter().any(|&t| t.fract() != 0.0), "{times:?}");
    for t in times {
        assert_eq!((t * 1000.0).round() / 1000.0, t, "{t}");
    }
}
