use std::future::Future;
use std::pin::Pin;
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
    /// Asked before each re-poll: `false` ends the page's turn early.
    keep_going: Box<dyn FnMut() -> bool>,
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
        Rebound::with_turn(inner, || true)
    }

    /// Like [`Rebound::new`], but re-polls only while `keep_going` says
    /// yes (on the real clock: while the page's turn lasts), asked before
    /// every re-poll, so it must be cheap.
    pub fn with_turn(inner: F, keep_going: impl FnMut() -> bool + 'static) -> Rebound<F> {
        Rebound {
            inner: Box::pin(inner),
            waker: Arc::default(),
            keep_going: Box::new(keep_going),
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
        let mut polled = Poll::Pending;
        for _ in 0..Self::BUDGET {
            self.waker
                .woken_while_polling
                .store(false, Ordering::Relaxed);
            polled = self.inner.as_mut().poll(&mut inner_cx);
            if polled.is_ready()
                || !self.waker.woken_while_polling.load(Ordering::Relaxed)
                || !(self.keep_going)()
            {
                break;
            }
        }
        self.waker.polling.store(false, Ordering::Relaxed);
        if polled.is_pending() && self.waker.woken_while_polling.load(Ordering::Relaxed) {
            // Out of budget: come back after the browser has had a turn.
            cx.waker().wake_by_ref();
        }
        polled
    }
}
