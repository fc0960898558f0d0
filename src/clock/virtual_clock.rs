use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake};

use super::{Clock, Sleep, TimeBase, TimerQueue};

/// Deterministic time: when every task is waiting, time jumps to the next
/// deadline. A 6 s program runs at once and reports exactly 6000 ms.
///
/// ```
/// use async_playground::clock::{Clock, VirtualClock};
/// use futures::future::join;
/// let clock = VirtualClock::new();
/// let both = clock.block_on(join(clock.sleep(3000.0), clock.sleep(2000.0)));
/// assert!(both.is_some());
/// assert_eq!(clock.now(), 3000.0);
/// ```
#[derive(Clone)]
pub struct VirtualClock(Rc<VirtualBase>);

#[derive(Default)]
struct VirtualBase {
    now: Cell<f64>,
    queue: RefCell<TimerQueue>,
}

impl TimeBase for VirtualBase {
    fn now(&self) -> f64 {
        self.now.get()
    }

    fn queue(&self) -> &RefCell<TimerQueue> {
        &self.queue
    }

    fn inserted(&self, _deadline: f64) {}
}

/// Remembers that something woke the task since the last poll.
#[derive(Default)]
struct WokenFlag(AtomicBool);

impl Wake for WokenFlag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Relaxed);
    }
}

impl VirtualClock {
    pub fn new() -> VirtualClock {
        VirtualClock(Rc::default())
    }

    /// Drives `future` to completion, jumping time forward whenever it
    /// waits only on timers. `None` when it waits on something else that can
    /// never happen in virtual time (a stalled program).
    pub fn block_on<F: Future>(&self, future: F) -> Option<F::Output> {
        match self.advance(pin!(future), || true) {
            Progress::Done(output) => Some(output),
            Progress::Stalled | Progress::Paused => None,
        }
    }

    /// Like [`VirtualClock::block_on`], but asks `keep_going` before every
    /// poll after the first and returns [`Progress::Paused`] when it says no,
    /// so a caller can give the browser a turn and call again: a long virtual
    /// run must not freeze the page.
    ///
    /// ```
    /// use async_playground::clock::{Clock, Progress, VirtualClock};
    /// use std::pin::{pin, Pin};
    /// let clock = VirtualClock::new();
    /// let mut work = pin!(async { clock.sleep(10.0).await; clock.sleep(10.0).await; 7 });
    /// assert!(matches!(clock.advance(work.as_mut(), || false), Progress::Paused));
    /// assert!(matches!(clock.advance(work.as_mut(), || true), Progress::Done(7)));
    /// assert_eq!(clock.now(), 20.0);
    /// ```
    pub fn advance<F: Future>(
        &self,
        mut future: Pin<&mut F>,
        mut keep_going: impl FnMut() -> bool,
    ) -> Progress<F::Output> {
        let flag = Arc::new(WokenFlag::default());
        let waker = flag.clone().into();
        let mut cx = Context::from_waker(&waker);
        loop {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return Progress::Done(output);
            }
            if !flag.0.swap(false, Ordering::Relaxed) {
                let mut queue = self.0.queue.borrow_mut();
                let Some(deadline) = queue.next_deadline() else {
                    return Progress::Stalled;
                };
                self.0.now.set(deadline.max(self.0.now.get()));
                queue.fire_due(deadline);
                flag.0.store(false, Ordering::Relaxed);
            }
            if !keep_going() {
                return Progress::Paused;
            }
        }
    }
}

impl VirtualClock {
    /// Timers waiting in the queue (fired or removed ones not counted).
    ///
    /// ```
    /// use async_playground::clock::{Clock, VirtualClock};
    /// use std::pin::pin;
    /// let clock = VirtualClock::new();
    /// let mut sleeps = pin!(futures::future::join(clock.sleep(10.0), clock.sleep(10.0)));
    /// let _ = clock.advance(sleeps.as_mut(), || false);
    /// assert_eq!(clock.pending_timers(), 0); // the first poll set both; time jumped; both fired
    /// ```
    pub fn pending_timers(&self) -> usize {
        self.0.queue.borrow().pending()
    }
}

/// Where [`VirtualClock::advance`] left a future.
#[derive(Debug)]
pub enum Progress<T> {
    Done(T),
    /// Waiting on something other than a timer, which virtual time cannot bring.
    Stalled,
    /// Ready to be polled again: call `advance` once more.
    Paused,
}

impl Default for VirtualClock {
    fn default() -> Self {
        VirtualClock::new()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> f64 {
        self.0.now.get()
    }

    fn sleep(&self, ms: f64) -> Sleep {
        Sleep::new(self.0.clone(), ms)
    }

    fn busy_wait(&self, ms: f64) {
        if ms.is_finite() && ms > 0.0 {
            self.0.now.set(self.0.now.get() + ms);
        }
    }

    fn kind(&self) -> &'static str {
        "virtual"
    }
}
