use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// Polls again at once when the inner future wakes itself during a poll
/// (a zero delay, `asyncio.sleep(0)`), up to [`Rebound::BUDGET`] times, and
/// only then yields to the executor and the browser's event loop.
///
/// A self-wake means "let other tasks run"; every other engine task gets its
/// turn in the re-poll, so the yield is honoured, without paying a promise and
/// a wasm↔JS round trip per hop. Wakes from outside a poll (timers, I/O) go
/// straight to the executor.
///
/// ```
/// use async_playground::run::Rebound;
/// use futures::future::poll_fn;
/// use std::task::Poll;
/// let mut hops = 0;
/// let yields_100_times = poll_fn(|cx| {
///     if hops == 100 { return Poll::Ready(hops); }
///     hops += 1;
///     cx.waker().wake_by_ref();
///     Poll::Pending
/// });
/// let waker = futures::task::noop_waker();
/// let mut cx = std::task::Context::from_waker(&waker);
/// let mut rebound = Box::pin(Rebound::new(yields_100_times));
/// assert_eq!(rebound.as_mut().poll(&mut cx), Poll::Ready(100));
/// # use std::future::Future;
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Rebound<F> {
    inner: Pin<Box<F>>,
    waker: Arc<ReboundWaker>,
    /// Its re-polls, shared with a task that may take them in place.
    hops: Hops,
}

/// The re-polls a [`Rebound`] may still make in the poll under way, shared
/// with the future it drives. A task that is all its run is doing at the
/// moment (a statement that is one timed leaf: `sum(range(10^6) every 0s)`)
/// takes a hop in place with [`Hops::take`] where the `Rebound` would have
/// re-polled it at once: the same re-polls, asked for in the same order,
/// without the wake and the walk up and down the run's futures.
///
/// ```
/// use async_playground::run::{Hops, Rebound};
/// use futures::future::poll_fn;
/// use std::task::Poll;
/// let hops = Hops::new(|| true);
/// let in_place = hops.clone();
/// let mut taken = 0;
/// let hops_in_place = poll_fn(move |_| {
///     while taken < 100 && in_place.take() {
///         taken += 1;
///     }
///     Poll::Ready(taken)
/// });
/// let waker = futures::task::noop_waker();
/// let mut cx = std::task::Context::from_waker(&waker);
/// let mut rebound = Box::pin(Rebound::with_hops(hops_in_place, hops.clone()));
/// assert_eq!(rebound.as_mut().poll(&mut cx), Poll::Ready(100));
/// assert!(!hops.take(), "none outside the Rebound's poll");
/// # use std::future::Future;
/// ```
#[derive(Clone)]
pub struct Hops(Rc<HopsState>);

struct HopsState {
    /// Asks left in the `Rebound`'s poll under way; none outside it.
    left: Cell<u32>,
    /// Asked before each re-poll: `false` ends the page's turn early.
    keep_going: Box<dyn Fn() -> bool>,
}

impl Hops {
    /// Re-polls that go on while `keep_going` says yes (on the real clock:
    /// while the page's turn lasts), asked before every re-poll, so it must
    /// be cheap.
    pub fn new(keep_going: impl Fn() -> bool + 'static) -> Hops {
        Hops(Rc::new(HopsState {
            left: Cell::new(0),
            keep_going: Box::new(keep_going),
        }))
    }

    /// Takes one re-poll of the `Rebound` polling now: `true` if it would
    /// re-poll at once (budget left, and `keep_going` says yes), `false`
    /// outside its poll or once its poll must end (then it ends it).
    #[inline]
    pub fn take(&self) -> bool {
        let state = &*self.0;
        let left = state.left.get();
        if left == 0 {
            return false;
        }
        // Asked as the `Rebound` asks: after each of its polls that woke itself.
        let go = (state.keep_going)();
        let left = if go { left - 1 } else { 0 };
        state.left.set(left);
        go && left > 0
    }
}

#[derive(Default)]
struct ReboundWaker {
    polling: AtomicBool,
    woken_while_polling: AtomicBool,
    outer: Mutex<Option<Waker>>,
}

impl Wake for ReboundWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if self.polling.load(Ordering::Relaxed) {
            self.woken_while_polling.store(true, Ordering::Relaxed);
        } else if let Ok(outer) = self.outer.lock() {
            if let Some(waker) = outer.as_ref() {
                waker.wake_by_ref();
            }
        }
    }
}

impl<F> Rebound<F> {
    /// Re-polls per outer poll before yielding to the event loop.
    pub const BUDGET: u32 = 1024;

    pub fn new(inner: F) -> Rebound<F> {
        Rebound::with_hops(inner, Hops::new(|| true))
    }

    /// Like [`Rebound::new`], but re-polls as `hops` says (see [`Hops::new`]),
    /// and `inner` may take some of them in place.
    pub fn with_hops(inner: F, hops: Hops) -> Rebound<F> {
        Rebound {
            inner: Box::pin(inner),
            waker: Arc::default(),
            hops,
        }
    }
}

impl<F: Future> Future for Rebound<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        if let Ok(mut outer) = self.waker.outer.lock() {
            match outer.as_ref() {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                _ => *outer = Some(cx.waker().clone()),
            }
        }
        let waker = Waker::from(self.waker.clone());
        let mut inner_cx = Context::from_waker(&waker);
        self.waker.polling.store(true, Ordering::Relaxed);
        self.hops.0.left.set(Self::BUDGET);
        let polled = loop {
            self.waker
                .woken_while_polling
                .store(false, Ordering::Relaxed);
            let polled = self.inner.as_mut().poll(&mut inner_cx);
            if polled.is_ready()
                || !self.waker.woken_while_polling.load(Ordering::Relaxed)
                || !self.hops.take()
            {
                break polled;
            }
        };
        self.hops.0.left.set(0);
        self.waker.polling.store(false, Ordering::Relaxed);
        if polled.is_pending() && self.waker.woken_while_polling.load(Ordering::Relaxed) {
            // Out of budget: come back after the browser has had a turn.
            cx.waker().wake_by_ref();
        }
        polled
    }
}
