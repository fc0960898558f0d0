//! A run's budgets: the one mechanism every long loop spends from.
//!
//! - **Work** (per poll): ready batches, fused folds, filters that discard,
//!   busy-waits and values handed over one by one spend units; when the
//!   units of this poll are spent, [`Budget::work`] says no and the loop
//!   yields ([`yield_now`]), so every poll of a run returns soon and the
//!   page gets its turns. Units are counted, not timed, so a virtual run
//!   yields at the same places every time (deterministic); in the browser on
//!   the real clock a wall-clock check ([`Budget::watch_turn`]) also ends
//!   the work of a poll once the page's turn is over.
//! - **Blocking** (per run): milliseconds of busy-waiting, the real frozen
//!   time on the real clock, capped at [`MAX_BLOCKING_MS`].
//! - **Values pulled** (per run): values made by sources, capped at
//!   [`MAX_VALUES`], for pipes whose count no static bound knows
//!   (`range(2^53) | filter < 0 | take 1`).
//! - **Bytes held** (per run): collected values and fetched bodies, capped at
//!   [`MAX_HELD_BYTES`], so no accepted program grows the page's memory
//!   past the cap.
//!
//! ```
//! use async_playground::budget::Budget;
//! let budget = Budget::new(1000.0);
//! assert!(budget.spend(600.0).is_ok());
//! assert!(budget.spend(600.0).is_err());
//! budget.refill();
//! assert!(budget.work(1000));
//! assert!(!budget.work(Budget::WORK_PER_POLL));
//! ```

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::display::format_duration;

pub use crate::limits::{MAX_BLOCKING_MS, MAX_HELD_BYTES, MAX_VALUES};

/// What one collected value costs a run: its 8 bytes, the slack of a
/// growing list, and its text in the report (result, end event, JSON).
pub const BYTES_PER_COLLECTED_VALUE: u64 = 48;

/// The budgets of one run, shared (cheap to clone) by its engine and sources.
#[derive(Clone)]
pub struct Budget(Rc<Inner>);

struct Inner {
    blocking_left: Cell<f64>,
    work_left: Cell<u32>,
    until_turn_check: Cell<u32>,
    polls: Cell<u64>,
    /// The poll and time the last busy-wait ended.
    last_busy_wait: Cell<Option<(u64, f64)>>,
    pulled: Cell<u64>,
    held: Cell<u64>,
    max_values: u64,
    max_held_bytes: u64,
    turn_over: RefCell<Option<Box<dyn Fn() -> bool>>>,
}

impl Budget {
    /// Work units per poll: about a millisecond of the fused path, a few of
    /// filters that discard.
    pub const WORK_PER_POLL: u32 = 1 << 18;
    /// Work units a busy-wait costs, whatever its delay.
    const BUSY_WAIT_WORK: u32 = 1 << 10;
    /// Work units between two looks at the wall clock (real clock only).
    const TURN_CHECK_EVERY: u32 = 1 << 15;

    /// Work units one value costs when it is polled (a dynamic call or
    /// more per value) rather than folded in a batch.
    pub const POLLED_WORK: u32 = 64;

    /// A budget allowing `blocking_ms` of busy-waiting, with the usual caps
    /// on values and bytes.
    pub fn new(blocking_ms: f64) -> Budget {
        Budget::with_caps(blocking_ms, MAX_VALUES, MAX_HELD_BYTES)
    }

    /// A budget with its own caps (tests use small ones).
    pub fn with_caps(blocking_ms: f64, max_values: u64, max_held_bytes: u64) -> Budget {
        Budget(Rc::new(Inner {
            blocking_left: Cell::new(blocking_ms),
            work_left: Cell::new(Budget::WORK_PER_POLL),
            until_turn_check: Cell::new(Budget::TURN_CHECK_EVERY),
            polls: Cell::new(0),
            last_busy_wait: Cell::new(None),
            pulled: Cell::new(0),
            held: Cell::new(0),
            max_values,
            max_held_bytes,
            turn_over: RefCell::new(None),
        }))
    }

    /// Takes `ms` of busy-waiting from the blocking budget, or says that the
    /// run has reached its blocking cap.
    pub fn spend(&self, ms: f64) -> Result<(), String> {
        let left = self.0.blocking_left.get() - ms;
        if left < 0.0 {
            return Err(format!(
                "blocking cap reached: a run may busy-wait at most {} in all",
                format_duration(MAX_BLOCKING_MS)
            ));
        }
        self.0.blocking_left.set(left);
        Ok(())
    }

    /// Records a busy-wait of `delay` (already [spent](Budget::spend)) that
    /// ran from `start` to `end` on the run's clock. On the real clock the
    /// loop also stays frozen between the busy-waits of one poll (tracing,
    /// folding, the busy-wait's own overhead): that time counts as well, so
    /// the next `spend` fails once the real frozen time passes the cap. A
    /// busy-wait is work too, however tiny its delay.
    pub fn busy_waited(&self, start: f64, end: f64, delay: f64) {
        let inner = &self.0;
        let poll = inner.polls.get();
        let frozen_since = match inner.last_busy_wait.get() {
            Some((same_poll, ended)) if same_poll == poll => ended.min(start),
            _ => start,
        };
        let unasked = end - frozen_since - delay;
        if unasked > 0.0 {
            inner.blocking_left.set(inner.blocking_left.get() - unasked);
        }
        inner.last_busy_wait.set(Some((poll, end)));
        self.work(Budget::BUSY_WAIT_WORK);
    }

    /// Spends `units` of this poll's work; `false` means: yield now.
    #[inline(always)]
    pub fn work(&self, units: u32) -> bool {
        let inner = &self.0;
        let left = inner.work_left.get().saturating_sub(units);
        inner.work_left.set(left);
        let until = inner.until_turn_check.get();
        if until > units {
            inner.until_turn_check.set(until - units);
        } else {
            inner.until_turn_check.set(Budget::TURN_CHECK_EVERY);
            if inner.turn_over.borrow().as_ref().is_some_and(|over| over()) {
                inner.work_left.set(0);
            }
        }
        inner.work_left.get() > 0
    }

    /// Starts a poll's work afresh. [`Budget::sliced`] calls it, and a hop
    /// taken in place (`run::Hops`).
    #[inline]
    pub fn refill(&self) {
        self.0.work_left.set(Budget::WORK_PER_POLL);
        self.0.polls.set(self.0.polls.get() + 1);
    }

    /// On the real clock: `over` says when the page's turn is over, and then
    /// the work of this poll ends too.
    pub fn watch_turn(&self, over: impl Fn() -> bool + 'static) {
        *self.0.turn_over.borrow_mut() = Some(Box::new(over));
    }

    /// Counts `count` values made by sources, or says the run made too many.
    #[inline(always)]
    pub fn pull(&self, count: u64) -> Result<(), String> {
        let pulled = self.0.pulled.get() + count;
        if pulled > self.0.max_values {
            return Err(format!(
                "value cap reached: a run may make at most {} values in all \
                 (filters count the values they drop)",
                self.0.max_values
            ));
        }
        self.0.pulled.set(pulled);
        Ok(())
    }

    /// Counts `bytes` more held until the run ends, or says the run would
    /// hold more than [`MAX_HELD_BYTES`].
    pub fn hold(&self, bytes: u64) -> Result<(), String> {
        let held = self.0.held.get().saturating_add(bytes);
        if held > self.0.max_held_bytes {
            return Err(format!(
                "memory cap reached: a run may hold at most {} of collected values \
                 and fetched bodies (a collected value counts {BYTES_PER_COLLECTED_VALUE} bytes)",
                megabytes(self.0.max_held_bytes)
            ));
        }
        self.0.held.set(held);
        Ok(())
    }

    /// `future`, with this poll's work refilled before each poll.
    pub fn sliced<F: Future>(&self, future: F) -> Sliced<F> {
        Sliced {
            budget: self.clone(),
            future: Box::pin(future),
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(MAX_BLOCKING_MS)
    }
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget")
            .field("blocking_left", &self.0.blocking_left.get())
            .field("pulled", &self.0.pulled.get())
            .field("held", &self.0.held.get())
            .finish()
    }
}

/// "256 MB", or bytes below a megabyte.
fn megabytes(bytes: u64) -> String {
    match bytes / (1024 * 1024) {
        0 => format!("{bytes} bytes"),
        mb => format!("{mb} MB"),
    }
}

/// A future whose every poll starts with a full work budget.
#[must_use = "futures do nothing unless polled"]
pub struct Sliced<F> {
    budget: Budget,
    future: Pin<Box<F>>,
}

impl<F: Future> Future for Sliced<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.budget.refill();
        self.future.as_mut().poll(cx)
    }
}

/// Pending once, waking itself: lets the executor (and the page) have a
/// turn, like `asyncio.sleep(0)`.
///
/// ```
/// use async_playground::budget::yield_now;
/// use async_playground::clock::VirtualClock;
/// assert_eq!(VirtualClock::new().block_on(async { yield_now().await; 1 }), Some(1));
/// ```
pub fn yield_now() -> YieldNow {
    YieldNow(false)
}

/// The future of [`yield_now`].
#[must_use = "futures do nothing unless polled"]
pub struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
