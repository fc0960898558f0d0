use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::{TimerKey, TimerQueue};

/// What a clock gives its sleeps: the time, and the queue to wait in.
pub(crate) trait TimeBase {
    fn now(&self) -> f64;
    fn queue(&self) -> &RefCell<TimerQueue>;
    /// Told after a timer is inserted, so a real clock can arm the browser
    /// timer when this deadline is the new earliest one.
    fn inserted(&self, deadline: f64);
    /// The deadline a sleep really waits for: a real clock rounds up to its
    /// timer granularity so sleepers share buckets; a virtual one is exact.
    fn quantize(&self, deadline: f64) -> f64 {
        deadline
    }
    /// Milliseconds from `earlier` to `later`, to the clock's precision.
    fn between(&self, earlier: f64, later: f64) -> f64 {
        later - earlier
    }
}

/// A future that completes at a deadline; dropping it cancels the timer.
///
/// Made by [`Clock::sleep`](super::Clock::sleep).
#[must_use = "a Sleep does nothing unless awaited"]
pub struct Sleep {
    base: Rc<dyn TimeBase>,
    deadline: f64,
    state: State,
    late_ms: f64,
}

enum State {
    /// Not yet polled. A zero sleep yields once before completing.
    Idle {
        zero: bool,
    },
    Waiting(TimerKey),
    Done,
}

impl Sleep {
    pub(crate) fn new(base: Rc<dyn TimeBase>, ms: f64) -> Sleep {
        let ms = if ms.is_finite() { ms.max(0.0) } else { 0.0 };
        let deadline = base.quantize(base.now() + ms);
        Sleep {
            base,
            deadline,
            state: State::Idle { zero: ms == 0.0 },
            late_ms: 0.0,
        }
    }

    /// When the sleep is due, in the clock's milliseconds.
    pub fn deadline(&self) -> f64 {
        self.deadline
    }

    /// Whether its timer has fired (or it has completed): a fan-out polls
    /// a timer only then, as a task is only polled once woken.
    pub(crate) fn has_fired(&self) -> bool {
        match self.state {
            State::Idle { .. } => false,
            State::Waiting(key) => self.base.queue().borrow().has_fired(key),
            State::Done => true,
        }
    }

    /// How much later than its deadline the sleep completed, once it has.
    pub fn late_ms(&self) -> f64 {
        self.late_ms
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        match this.state {
            State::Done => Poll::Ready(()),
            State::Idle { zero: true } => {
                this.state = State::Done;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            State::Idle { zero: false } => {
                // No reading of the clock here: a deadline already past just
                // fires with the next timer, and a read per sleep was a tenth
                // of a 10^5-source run.
                let key = this
                    .base
                    .queue()
                    .borrow_mut()
                    .insert(this.deadline, cx.waker().clone());
                this.state = State::Waiting(key);
                this.base.inserted(this.deadline);
                Poll::Pending
            }
            State::Waiting(key) => {
                let mut queue = this.base.queue().borrow_mut();
                let completed_at = if queue.has_fired(key) {
                    Some(queue.last_fired_at())
                } else {
                    Some(this.base.now()).filter(|now| *now >= this.deadline)
                };
                if let Some(at) = completed_at {
                    this.late_ms = this.base.between(this.deadline, at).max(0.0);
                    queue.remove(key);
                    this.state = State::Done;
                    Poll::Ready(())
                } else {
                    queue.update_waker(key, cx.waker());
                    Poll::Pending
                }
            }
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let State::Waiting(key) = self.state {
            // A clock being torn down may already hold the queue; its clear()
            // forgets this timer anyway.
            if let Ok(mut queue) = self.base.queue().try_borrow_mut() {
                queue.remove(key);
            }
        }
    }
}
