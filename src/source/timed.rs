use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::{ready, FutureExt, Stream};

use super::{Budget, SourceError, Tick, TickSource, ValueSeq};
use crate::aggregate::AnyFold;
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
    /// `values.len()`, read before every value without matching the kind.
    len: u64,
    delays: Rc<Delays>,
    /// `every 0s`: a hop before every value, known without a lookup.
    hops_only: bool,
    blocking: bool,
    budget: Budget,
    /// The random stream drawn delays come from.
    stream: u64,
    index: u64,
    sleep: Option<Sleep>,
    /// A zero delay yields once to the event loop (like `asyncio.sleep(0)`)
    /// without a timer: set once this value has yielded.
    yielded: bool,
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
            len: values.len(),
            hops_only: matches!(*delays, Delays::Every(ms) if ms == 0.0),
            values,
            delays,
            blocking,
            budget,
            stream: 0,
            index: 0,
            sleep: None,
            yielded: false,
        }
    }

    /// Draws random delays ([`Delays::Drawn`]) from `stream`, a key from
    /// [`Draws::next_stream`](crate::distribution::Draws::next_stream).
    pub fn drawing_from(mut self, stream: u64) -> Timed<C> {
        self.stream = stream;
        self
    }
}

impl<C: Clock> Stream for Timed<C> {
    type Item = Result<Tick, SourceError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_tick(cx, || false)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = (self.len - self.index) as usize;
        (left, Some(left))
    }
}

impl<C: Clock> Timed<C> {
    /// [`Stream::poll_next`] without the pin, inlined into the engine's
    /// timed leaf (`run/timed_leaf.rs`), which owns the stream: its hops
    /// make no dynamic call. A zero delay yields, unless `hop_in_place`
    /// says the hop was taken in place (the task would be re-polled at once
    /// with nothing run in between): then the value is due.
    #[inline(always)]
    pub(crate) fn poll_tick(
        &mut self,
        cx: &mut Context<'_>,
        mut hop_in_place: impl FnMut() -> bool,
    ) -> Poll<Option<Result<Tick, SourceError>>> {
        let this = self;
        if this.index >= this.len {
            return Poll::Ready(None);
        }
        let mut tick = Tick::ready(0.0);
        if this.yielded {
            // Back from the hop a zero delay took: the value is due. This is
            // the hot path of `every 0s`, so it skips the delay's lookup.
            this.yielded = false;
        } else if this.hops_only || !matches!(*this.delays, Delays::None) {
            let delay = match this.hops_only {
                true => 0.0,
                false => this.delays.before(this.index as usize, this.stream),
            };
            if delay == 0.0 && !hop_in_place() {
                this.yielded = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            if delay > 0.0 {
                match ready!(this.wait(delay, cx)) {
                    Ok(waited) => tick = waited,
                    Err(message) => return Poll::Ready(Some(Err(message))),
                }
            }
        }
        if let Err(message) = this.budget.pull(1) {
            this.index = this.len;
            return Poll::Ready(Some(Err(message)));
        }
        tick.value = this.values.get(this.index);
        this.index += 1;
        Poll::Ready(Some(Ok(tick)))
    }
}

impl<C: Clock> Timed<C> {
    /// Waits `delay` (> 0) before the next value: busy-waits it when
    /// `blocking`, else sleeps. Kept out of `poll_next`, whose hot path is
    /// the zero-delay hop.
    #[inline(never)]
    fn wait(&mut self, delay: f64, cx: &mut Context<'_>) -> Poll<Result<Tick, SourceError>> {
        let mut tick = Tick::ready(0.0);
        if self.blocking {
            if let Err(message) = self.budget.spend(delay) {
                self.index = self.len;
                return Poll::Ready(Err(message));
            }
            let start = self.clock.now();
            self.clock.busy_wait(delay);
            self.budget.busy_waited(start, self.clock.now(), delay);
            tick.blocked_ms = delay;
        } else {
            let sleep = self.sleep.get_or_insert_with(|| self.clock.sleep(delay));
            ready!(sleep.poll_unpin(cx));
            tick.late_ms = Some(sleep.late_ms());
            self.sleep = None;
        }
        Poll::Ready(Ok(tick))
    }
}

/// `next, next + 1, ...`: `range` counted in f64, which is exact below 2^53
/// (the checker's limits are far below) and cheaper than converting every
/// index. The count lives in the iterator, not in a captured variable, so it
/// stays in a register.
struct Counting {
    next: f64,
    left: u64,
}

impl Iterator for Counting {
    type Item = f64;

    #[inline]
    fn next(&mut self) -> Option<f64> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let value = self.next;
        self.next += 1.0;
        Some(value)
    }
}

/// Where ready values go: a buffer, or straight into a fold.
trait ReadySink {
    fn take(&mut self, values: impl Iterator<Item = f64>);
}

impl ReadySink for Vec<f64> {
    fn take(&mut self, values: impl Iterator<Item = f64>) {
        self.extend(values);
    }
}

impl ReadySink for AnyFold {
    fn take(&mut self, values: impl Iterator<Item = f64>) {
        self.push_iter(values);
    }
}

impl<C: Clock> Timed<C> {
    /// Hands up to `max` values to `sink` if they need no waiting.
    fn ready_into(&mut self, sink: &mut impl ReadySink, max: usize) -> usize {
        if !matches!(*self.delays, Delays::None) {
            return 0;
        }
        let start = self.index;
        let end = self.len.min(start.saturating_add(max as u64));
        if self.budget.pull(end - start).is_err() {
            // `poll_next` reports it.
            return 0;
        }
        match &self.values {
            ValueSeq::List(values) => {
                sink.take(values[start as usize..end as usize].iter().copied())
            }
            ValueSeq::Range(_) => sink.take(Counting {
                next: start as f64,
                left: end - start,
            }),
            values => sink.take((start..end).map(|i| values.get(i))),
        }
        self.index = end;
        (end - start) as usize
    }
}

impl<C: Clock> TickSource for Timed<C> {
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        self.ready_into(out, max)
    }

    fn fold_ready(&mut self, fold: &mut AnyFold, max: usize) -> usize {
        self.ready_into(fold, max)
    }
}
