//! The core package's exports (feature `web`, `www/pkg`): what a page needs
//! to be ready and to run programs: `parse`, `format`, `shownItems`, `run`,
//! and `examples` (the default program and the picker are examples).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::future::{AbortHandle, Abortable};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::handover::Handover;
use super::turns::{TakingTurns, Turn};
use super::{from_json, io, plan_error, program_error};
use crate::clock::{EitherClock, Progress, RealClock, VirtualClock};
use crate::examples::EXAMPLES;
use crate::lang;
use crate::program::Program;
use crate::run::{Engine, Hops, Ideals, Plan, Rebound};
use crate::schema;
use crate::source::{Budget, NoIo, OpenIo};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export type ParseResult =
  | { ok: true; sources: { name: string; line: number }[]; statements: { label: string; line: number }[];
      /** Whether some source draws random delays (`every exp(100ms)`, ...): Run ×N shows their spread. */
      randomDelays: boolean }
  | { ok: false; diagnostics: Diagnostic[] };
export interface RunOptions {
  /** "real" (default): the browser's timers. "virtual": instant, exact times. */
  clock?: "real" | "virtual";
  /** Called with what is new, while the program runs (real clock) or once (virtual).
   *  The report's `lanes` and `events` are these same objects. */
  onEvent?: (batch: { lanes: Lane[]; events: TraceEvent[] }) => void;
  /** Aborting it stops the run: pending timers are cancelled and the report says `cancelled`. */
  signal?: AbortSignal;
  /** Overrides the program's `seed` line: which random delays this run draws. */
  seed?: number;
}
/** A task's result; a group's `items` are its first 1000 children (input order), `count` all of them. */
export type Outcome =
  | { type: "number"; text: string; value: number }
  | { type: "list"; text: string; values: number[] }
  | { type: "stats"; text: string; count: number; min: number; max: number; mean: number }
  | { type: "empty"; text: string }
  | { type: "error"; text: string; message: string }
  | { type: "group"; text: string; items: Outcome[]; count: number };
export interface Lane {
  id: number; parent: number | null; depth: number; statement: number;
  label: string;
  /** "task", or the group: "sequential" | "gather" | "race" | "any" | "limit" | "timeout". */
  kind: string;
}
export interface TraceEvent {
  lane: number;
  /** Milliseconds since the run started. */
  t: number;
  kind: "start" | "value" | "block" | "end" | "error" | "cancel" | "note";
  /** value: the number; lateMs: how late its timer fired. */
  value?: number; lateMs?: number;
  /** block: the loop was frozen from t for ms. */
  ms?: number;
  /** end: the result as text. error: the message. */
  result?: string; message?: string;
  /** note: what happened on the lane that is not a value, e.g. "GET data/x.csv", "HTTP 200 OK". */
  text?: string;
}
export interface StatementReport {
  lane: number; label: string;
  startMs: number; elapsedMs: number;
  /** The elapsed time with zero overhead (a virtual-time run of the same program). */
  idealMs: number;
  result: Outcome;
}
export interface Report {
  clock: "real" | "virtual";
  cancelled: boolean;
  elapsedMs: number; idealMs: number;
  /** False when the program does real I/O, which the ideal counts as instant. */
  idealExact: boolean;
  statements: StatementReport[];
  lanes: Lane[]; events: TraceEvent[];
  lanesOmitted: number; eventsOmitted: number;
  timers: { count: number; meanLateMs: number; maxLateMs: number; over4ms: number; over50ms: number; warning: string | null };
}
export interface ExampleInfo { name: string; title: string; ideal: string; text: string }
"#;

/// Checks a program without running it: its sources and statements, or
/// every error with its line and column.
#[wasm_bindgen(unchecked_return_type = "ParseResult")]
pub fn parse(text: &str) -> JsValue {
    let parsed = lang::parse(text);
    let plan = parsed.as_ref().ok().and_then(|p| Plan::compile(p).ok());
    let labels: Vec<&str> = plan.iter().flat_map(Plan::statement_labels).collect();
    let random_delays = plan.as_ref().is_some_and(Plan::draws);
    from_json(&schema::parse_result(text, &parsed, &labels, random_delays))
}

/// The canonical text of a program, comments kept; throws a `ProgramError` if it has errors.
#[wasm_bindgen]
pub fn format(text: &str) -> Result<String, JsValue> {
    lang::format_text(text).map_err(|diagnostics| program_error(text, &diagnostics))
}

/// How many items of a list or group a result shows before "… N more":
/// the page renders groups itself and reads the number here, not a copy.
#[wasm_bindgen(js_name = shownItems)]
pub fn shown_items() -> usize {
    crate::aggregate::SHOWN_ITEMS
}

/// The built-in examples, in display order.
#[wasm_bindgen(unchecked_return_type = "ExampleInfo[]")]
pub fn examples() -> JsValue {
    from_json(&schema::examples(EXAMPLES))
}

struct Options {
    virtual_clock: bool,
    seed: Option<u64>,
    on_event: Option<Function>,
    signal: Option<web_sys::AbortSignal>,
}

fn read_options(options: &JsValue) -> Result<Options, JsValue> {
    let get = |key: &str| {
        if options.is_object() {
            Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let clock = get("clock");
    let virtual_clock = match clock.as_string().as_deref() {
        None if clock.is_undefined() => false,
        Some("real") => false,
        Some("virtual") => true,
        _ => {
            return Err(
                js_sys::TypeError::new("options.clock must be \"real\" or \"virtual\"").into(),
            )
        }
    };
    let on_event = get("onEvent");
    let on_event = match on_event.dyn_into::<Function>() {
        Ok(function) => Some(function),
        Err(other) if other.is_undefined() || other.is_null() => None,
        Err(_) => return Err(js_sys::TypeError::new("options.onEvent must be a function").into()),
    };
    let signal = get("signal");
    let signal = match signal.dyn_into::<web_sys::AbortSignal>() {
        Ok(signal) => Some(signal),
        Err(other) if other.is_undefined() || other.is_null() => None,
        Err(_) => {
            return Err(js_sys::TypeError::new("options.signal must be an AbortSignal").into())
        }
    };
    let seed = get("seed");
    let seed = match seed.as_f64() {
        None if seed.is_undefined() || seed.is_null() => None,
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_992.0 => Some(n as u64),
        _ => {
            return Err(
                js_sys::TypeError::new("options.seed must be a whole number 0 or more").into(),
            )
        }
    };
    Ok(Options {
        virtual_clock,
        seed,
        on_event,
        signal,
    })
}

/// Runs a program and resolves to its report. Rejects with a
/// `ProgramError` (and runs nothing) when the text has errors.
#[wasm_bindgen(unchecked_return_type = "Promise<Report>")]
pub fn run(
    text: &str,
    #[wasm_bindgen(unchecked_param_type = "RunOptions | undefined")] options: JsValue,
) -> Promise {
    let prepared = read_options(&options).and_then(|options| {
        let mut program =
            lang::parse(text).map_err(|diagnostics| program_error(text, &diagnostics))?;
        if options.seed.is_some() {
            program.seed = options.seed;
        }
        Ok((program, options))
    });
    match prepared {
        Err(error) => Promise::reject(&error),
        Ok((program, options)) if options.virtual_clock => run_virtual(&program, options),
        Ok((program, options)) => run_real(program, options),
    }
}

fn plan_or_reject(program: &Program) -> Result<Plan, JsValue> {
    Plan::compile(program).map_err(plan_error)
}

/// Wall-clock milliseconds a virtual run computes before giving the browser
/// a turn: a run of 10^6 events stays responsive and can be stopped.
const VIRTUAL_SLICE_MS: f64 = 30.0;

/// Drives `work` on the virtual `clock` in slices of [`VIRTUAL_SLICE_MS`]
/// with a turn for the page in between; `None` when `aborted` says so
/// first, or when the work stalls.
async fn in_slices<F: Future>(
    clock: &VirtualClock,
    mut work: Pin<&mut F>,
    aborted: &dyn Fn() -> bool,
) -> Option<F::Output> {
    loop {
        if aborted() {
            return None;
        }
        let slice_end = js_sys::Date::now() + VIRTUAL_SLICE_MS;
        match clock.advance(work.as_mut(), || js_sys::Date::now() < slice_end) {
            Progress::Done(output) => return Some(output),
            Progress::Stalled => return None,
            Progress::Paused => gloo_timers::future::TimeoutFuture::new(0).await,
        }
    }
}

fn run_virtual(program: &Program, options: Options) -> Promise {
    let plan = match plan_or_reject(program) {
        Ok(plan) => plan,
        Err(error) => return Promise::reject(&error),
    };
    let clock = VirtualClock::new();
    let engine = Engine::new(clock.clone().into(), plan, Rc::new(NoIo));
    let aborted = move || options.signal.as_ref().is_some_and(|s| s.aborted());
    wasm_bindgen_futures::future_to_promise(async move {
        let finished = in_slices(&clock, std::pin::pin!(engine.run(None)), &aborted)
            .await
            .is_some();
        Handover::new(options.on_event).report(&engine, !finished)
    })
}

/// Hands new lanes and events over after every poll of the run: once per
/// turn of the event loop that did something, not once per event.
struct LiveEvents<'a, F> {
    run: Pin<Box<F>>,
    engine: Rc<Engine<EitherClock>>,
    handover: &'a Handover,
}

impl<F: Future> Future for LiveEvents<'_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let polled = this.run.as_mut().poll(cx);
        this.handover.take(&this.engine);
        polled
    }
}

fn run_real(program: Program, options: Options) -> Promise {
    let plan = match plan_or_reject(&program) {
        Ok(plan) => plan,
        Err(error) => return Promise::reject(&error),
    };
    let ideals = match Ideals::new(&program) {
        Ok(ideals) => ideals,
        Err(error) => return Promise::reject(&js_sys::Error::new(&error.message)),
    };
    let signal = options.signal.clone();
    let aborted = move || signal.as_ref().is_some_and(|s| s.aborted());
    wasm_bindgen_futures::future_to_promise(async move {
        // The ideal times come from a virtual run, sliced like any other.
        let ideals = in_slices(ideals.clock(), std::pin::pin!(ideals.times()), &aborted).await;
        run_on_real_clock(plan, ideals.unwrap_or_default(), options).await
    })
}

async fn run_on_real_clock(
    plan: Plan,
    ideals: Vec<f64>,
    options: Options,
) -> Result<JsValue, JsValue> {
    // The run holds the page for at most a turn at a time; its budget's
    // work, its re-polls and its wakes all end with the turn.
    let turn = Turn::new();
    let budget = Budget::default();
    budget.watch_turn({
        let turn = turn.clone();
        move || turn.is_over()
    });
    // Real fetch and IndexedDB; stopping the run aborts its requests.
    let browser_io = io::BrowserIo::with_budget(budget.clone());
    let io: Rc<dyn OpenIo> = Rc::new(browser_io.clone());
    let clock = RealClock::new();
    // A statement that is one timed leaf takes its hops in place, from the
    // re-polls of the `Rebound` below.
    let hops = Hops::new({
        let turn = turn.clone();
        move || !turn.seems_over()
    });
    let engine = Rc::new(
        Engine::with_budget(clock.clone().into(), plan, io, budget).with_hops(hops.clone()),
    );
    let (abort, registration) = AbortHandle::new_pair();
    let on_abort = options.signal.as_ref().map(|signal| {
        let (on_abort, clock, browser_io) = (abort.clone(), clock.clone(), browser_io.clone());
        let listener = Closure::<dyn FnMut()>::new(move || {
            on_abort.abort();
            clock.shut_down();
            browser_io.abort_all();
        });
        let _ = signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
        if signal.aborted() {
            abort.abort();
        }
        (signal.clone(), listener)
    });
    let work = {
        let engine = engine.clone();
        async move { engine.run(Some(&ideals)).await }
    };
    let rebound = Rebound::with_hops(work, hops);
    let handover = Handover::new(options.on_event);
    let live = LiveEvents {
        run: Box::pin(Abortable::new(rebound, registration)),
        engine: engine.clone(),
        handover: &handover,
    };
    let finished = TakingTurns::new(live, turn).await.is_ok();
    clock.shut_down();
    browser_io.abort_all();
    if let Some((signal, listener)) = on_abort {
        let _ =
            signal.remove_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
    }
    handover.report(&engine, !finished)
}
