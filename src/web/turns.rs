//! Turns for the page during a real-clock run.
//!
//! A run wakes itself through promise microtasks (wasm-bindgen-futures), and
//! microtasks never let the browser paint, handle input or fire an abort:
//! a run that keeps finding work (ready values, a fast body) would hold the
//! page for as long as it lasts. [`Turn`] measures how long the run has held
//! the page; once that passes [`Turn::MAX_MS`], [`TakingTurns`] parks the
//! run on a zero-delay browser timeout (a macrotask), so the page gets its
//! turn and a Stop is heard, and then resumes it.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use gloo_timers::callback::Timeout;

/// How long the run has held the page in this turn.
#[derive(Clone)]
pub struct Turn(Rc<TurnState>);

struct TurnState {
    performance: Option<web_sys::Performance>,
    started: Cell<f64>,
    /// When the last poll of the run returned.
    last_exit: Cell<f64>,
}

impl Turn {
    /// The longest the run holds the page before giving it a turn.
    pub const MAX_MS: f64 = 20.0;
    /// A pause between polls at least this long means the page had its turn.
    const IDLE_MS: f64 = 1.0;

    pub fn new() -> Turn {
        let performance = web_sys::window().and_then(|w| w.performance());
        let turn = Turn(Rc::new(TurnState {
            performance,
            started: Cell::new(0.0),
            last_exit: Cell::new(0.0),
        }));
        turn.0.started.set(turn.now());
        turn.0.last_exit.set(turn.now());
        turn
    }

    fn now(&self) -> f64 {
        self.0
            .performance
            .as_ref()
            .map_or_else(js_sys::Date::now, web_sys::Performance::now)
    }

    /// Whether the run has held the page for [`Turn::MAX_MS`].
    pub fn is_over(&self) -> bool {
        self.now() - self.0.started.get() > Turn::MAX_MS
    }
}

impl Default for Turn {
    fn default() -> Self {
        Turn::new()
    }
}

/// `inner`, parked on a macrotask whenever its [`Turn`] is over.
#[must_use = "futures do nothing unless polled"]
pub struct TakingTurns<F> {
    inner: Pin<Box<F>>,
    turn: Turn,
    parked: Option<Parked>,
}

struct Parked {
    resumed: Rc<Cell<bool>>,
    waker: Rc<RefCell<Waker>>,
    _timeout: Timeout,
}

impl<F> TakingTurns<F> {
    pub fn new(inner: F, turn: Turn) -> TakingTurns<F> {
        TakingTurns {
            inner: Box::pin(inner),
            turn,
            parked: None,
        }
    }
}

impl<F: Future> Future for TakingTurns<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let now = self.turn.now();
        let state = self.turn.0.clone();
        match &self.parked {
            Some(parked) if !parked.resumed.get() => {
                *parked.waker.borrow_mut() = cx.waker().clone();
                return Poll::Pending;
            }
            Some(_) => {
                self.parked = None;
                state.started.set(now);
            }
            None if now - state.last_exit.get() >= Turn::IDLE_MS => state.started.set(now),
            None => {}
        }
        if self.turn.is_over() {
            let resumed = Rc::new(Cell::new(false));
            let waker = Rc::new(RefCell::new(cx.waker().clone()));
            let timeout = {
                let (resumed, waker) = (resumed.clone(), waker.clone());
                Timeout::new(0, move || {
                    resumed.set(true);
                    waker.borrow().wake_by_ref();
                })
            };
            self.parked = Some(Parked {
                resumed,
                waker,
                _timeout: timeout,
            });
            return Poll::Pending;
        }
        let polled = self.inner.as_mut().poll(cx);
        let exit = self.turn.now();
        self.turn.0.last_exit.set(exit);
        polled
    }
}
