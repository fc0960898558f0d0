use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::{ready, FutureExt, Stream};

use super::{Budget, SourceError, Tick, ValueSeq};
use crate::clock::{Clock, Sleep};
use crate::program::Delays;

/// Values with a delay before each: the post's `afeat1`. Awaits the delay, or
/// with `blocking` busy-waits it like `time.sleep`, freezing everything else.
///
/// ```
/// use async_playground::clock::{Clock, VirtualClock};
/// use async_playground::program::Delays;
/// use async_playground::source::{Budget, Timed, ValueSeq};
/// use futures::StreamExt;
/// use std::rc::Rc;
/// let clock = VirtualClock::new();
/// let values = ValueSeq::List(Rc::from([10.0, 20.0, 40.0]));
/// let stream = Timed::new(clock.clone(), values, Rc::new(Delays::Every(1000.0)), false, Budget::default());
/// let ticks = clock.block_on(stream.collect::<Vec<_>>()).unwrap();
/// assert_eq!(ticks.len(), 3);
/// assert_eq!(clock.now(), 3000.0);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Timed<C: Clock> {
    clock: C,
    values: ValueSeq,
    delays: Rc<Delays>,
    blocking: bool,
    budget: Budget,
    index: u64,
    sleep: Option<Sleep>,
}

impl<C: Clock> Timed<C> {
    pub fn new(
        clock: C,
        values: ValueSeq,
        delays: Rc<Delays>,
        blocking: bool,
        budget: Budget,
    ) -> Timed<C> {
        Timed {
            clock,
            values,
            delays,
            blocking,
            budget,
            index: 0,
            sleep: None,
        }
    }
}

impl<C: Clock> Stream for Timed<C> {
    type Item = Result<Tick, SourceError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.index >= this.values.len() {
            return Poll::Ready(None);
        }
        let delay = this.delays.before(this.index as usize);
        let mut tick = Tick::ready(0.0);
        if this.blocking && delay > 0.0 {
            if let Err(message) = this.budget.spend(delay) {
                this.index = this.values.len();
                return Poll::Ready(Some(Err(message)));
            }
            this.clock.busy_wait(delay);
            tick.blocked_ms = delay;
        } else if !matches!(*this.delays, Delays::None) {
            let sleep = this.sleep.get_or_insert_with(|| this.clock.sleep(delay));
            ready!(sleep.poll_unpin(cx));
            tick.late_ms = Some((this.clock.now() - sleep.deadline()).max(0.0));
            this.sleep = None;
        }
        tick.value = this.values.get(this.index);
        this.index += 1;
        Poll::Ready(Some(Ok(tick)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.values.len() - self.index) as usize;
        (left, Some(left))
    }
}
