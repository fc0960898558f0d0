//! Turns for the page during a real-clock run.
//!
//! A run wakes itself through promise microtasks (wasm-bindgen-futures), and
//! microtasks never let the browser paint, handle input or fire an abort:
//! a run that keeps finding work (ready values, a fast body) would hold the
//! page for as long as it lasts. [`Turn`] measures how long the run has held
//! the page; once that passes [`Turn::MAX_MS`], [`TakingTurns`] parks the
//! run on a message to itself (a macrotask), so the page gets its turn and
//! a Stop is heard, and then resumes it.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
    /// How the run comes back after the page's turn; `None` only where no
    /// `MessageChannel` can be made, and then the run does not park.
    resume: Option<Resume>,
    parked: bool,
}

/// A message to ourselves: a macrotask, without the 4 ms a nested
/// zero-delay timeout waits.
struct Resume {
    sender: web_sys::MessagePort,
    receiver: web_sys::MessagePort,
    _on_message: Closure<dyn FnMut()>,
    state: Rc<ResumeState>,
}

#[derive(Default)]
struct ResumeState {
    pending: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

impl Resume {
    fn new() -> Option<Resume> {
        let channel = web_sys::MessageChannel::new().ok()?;
        let state = Rc::new(ResumeState::default());
        let on_message = {
            let state = state.clone();
            Closure::<dyn FnMut()>::new(move || {
                state.pending.set(false);
                if let Some(waker) = state.waker.borrow_mut().take() {
                    waker.wake();
                }
            })
        };
        let receiver = channel.port1();
        receiver.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Resume {
            sender: channel.port2(),
            receiver,
            _on_message: on_message,
            state,
        })
    }

    fn post(&self, waker: &Waker) -> bool {
        *self.state.waker.borrow_mut() = Some(waker.clone());
        self.state.pending.set(true);
        self.sender.post_message(&JsValue::UNDEFINED).is_ok()
    }
}

impl Drop for Resume {
    fn drop(&mut self) {
        self.receiver.set_onmessage(None);
        self.receiver.close();
        self.sender.close();
    }
}

impl<F> TakingTurns<F> {
    pub fn new(inner: F, turn: Turn) -> TakingTurns<F> {
        TakingTurns {
            inner: Box::pin(inner),
            turn,
            resume: Resume::new(),
            parked: false,
        }
    }
}

impl<F: Future> Future for TakingTurns<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let now = self.turn.now();
        let state = self.turn.0.clone();
        if self.parked {
            if let Some(resume) = &self.resume {
                if resume.state.pending.get() {
                    *resume.state.waker.borrow_mut() = Some(cx.waker().clone());
                    return Poll::Pending;
                }
            }
            self.parked = false;
            state.started.set(now);
        } else if now - state.last_exit.get() >= Turn::IDLE_MS {
            state.started.set(now);
        }
        if self.turn.is_over() {
            if let Some(resume) = &self.resume {
                if resume.post(cx.waker()) {
                    self.parked = true;
                    return Poll::Pending;
                }
            }
        }
        let polled = self.inner.as_mut().poll(cx);
        state.last_exit.set(self.turn.now());
        polled
    }
}
