//! Turns for the page during a real-clock run.
//!
//! A run wakes itself through promise microtasks (wasm-bindgen-futures), and
//! microtasks never let the browser paint, handle input or fire an abort:
//! a run that keeps finding work (ready values, a fast body) would hold the
//! page for as long as it lasts. [`Turn`] measures how long the run has held
//! the page; once that passes [`Turn::MAX_MS`], [`TakingTurns`] parks the
//! run on a message to itself (a macrotask), so the page gets its turn and
//! a Stop is heard, and then resumes it.
//!
//! When the page had a turn is known, not guessed: while the run works, a
//! message to itself is always in flight, and its arrival means the event
//! loop ran a task since it was sent.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use crate::clock::SelfMessage;

/// How long the run has held the page in this turn.
#[derive(Clone)]
pub struct Turn(Rc<TurnState>);

struct TurnState {
    performance: Option<web_sys::Performance>,
    started: Cell<f64>,
    /// Latched once the turn is seen to be over, until the next turn.
    over: Cell<bool>,
    /// Calls of [`Turn::seems_over`] since it last read the clock.
    asked: Cell<u32>,
}

impl Turn {
    /// The longest the run holds the page before giving it a turn.
    pub const MAX_MS: f64 = 20.0;
    /// [`Turn::seems_over`] reads the clock once per this many calls.
    const ASK_CLOCK_EVERY: u32 = 1024;

    pub fn new() -> Turn {
        let turn = Turn(Rc::new(TurnState {
            performance: web_sys::window().and_then(|w| w.performance()),
            started: Cell::new(0.0),
            over: Cell::new(false),
            asked: Cell::new(0),
        }));
        turn.begin();
        turn
    }

    fn now(&self) -> f64 {
        self.0
            .performance
            .as_ref()
            .map_or_else(js_sys::Date::now, web_sys::Performance::now)
    }

    fn begin(&self) {
        self.0.started.set(self.now());
        self.0.over.set(false);
    }

    /// Whether the run has held the page for [`Turn::MAX_MS`] (reads the clock).
    pub fn is_over(&self) -> bool {
        if !self.0.over.get() && self.now() - self.0.started.get() > Turn::MAX_MS {
            self.0.over.set(true);
        }
        self.0.over.get()
    }

    /// Like [`Turn::is_over`], cheap enough to ask on every hop: it reads the
    /// clock only now and then, and knows at once when someone else found
    /// the turn over.
    pub fn seems_over(&self) -> bool {
        let asked = self.0.asked.get() + 1;
        self.0.asked.set(asked % Turn::ASK_CLOCK_EVERY);
        if asked == Turn::ASK_CLOCK_EVERY {
            return self.is_over();
        }
        self.0.over.get()
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
    /// Messages to ourselves; `None` only where no `MessageChannel` can be
    /// made, and then the run never parks.
    channel: Option<Channel>,
    parked: bool,
}

/// The run's messages to itself and what their arrival tells it.
struct Channel {
    message: SelfMessage,
    state: Rc<ChannelState>,
}

#[derive(Default)]
struct ChannelState {
    /// Set when one arrived: the page had a turn.
    arrived: Cell<bool>,
    /// The parked run, woken by the next message.
    waker: RefCell<Option<Waker>>,
}

impl Channel {
    fn new() -> Option<Channel> {
        let state = Rc::new(ChannelState::default());
        let message = {
            let state = state.clone();
            SelfMessage::new(move || {
                state.arrived.set(true);
                if let Some(waker) = state.waker.borrow_mut().take() {
                    waker.wake();
                }
            })?
        };
        Some(Channel { message, state })
    }
}

impl<F> TakingTurns<F> {
    pub fn new(inner: F, turn: Turn) -> TakingTurns<F> {
        TakingTurns {
            inner: Box::pin(inner),
            turn,
            channel: Channel::new(),
            parked: false,
        }
    }
}

impl<F: Future> Future for TakingTurns<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        if let Some(channel) = &this.channel {
            if channel.state.arrived.replace(false) {
                this.parked = false;
                this.turn.begin();
            }
            if this.parked {
                *channel.state.waker.borrow_mut() = Some(cx.waker().clone());
                return Poll::Pending;
            }
            // Sent now, it arrives once the page has had a turn.
            let sent = channel.message.send();
            if sent && this.turn.is_over() {
                *channel.state.waker.borrow_mut() = Some(cx.waker().clone());
                this.parked = true;
                return Poll::Pending;
            }
        }
        this.inner.as_mut().poll(cx)
    }
}
