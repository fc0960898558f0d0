use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{Budget, SourceError, Tick, TickSource, TickStream};

/// Drops the first `count` values, then passes the rest: `a | skip 2`.
/// The dropped values still take their time, as `async for` over a source
/// that ignores its first items does.
///
/// ```
/// use async_playground::source::{Budget, Skip, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let three: TickStream = Box::new(stream::iter([1.0, 2.0, 3.0].map(|v| Ok(Tick::ready(v)))));
/// let rest: Vec<_> = VirtualClock::new().block_on(Skip::new(three, 2, Budget::default()).collect()).unwrap();
/// assert_eq!(rest, vec![Ok(Tick::ready(3.0))]);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Skip {
    inner: TickStream,
    left: u64,
    /// Values dropped spend work, so skipping many still yields when the
    /// poll's work is spent.
    budget: Budget,
}

impl Skip {
    pub fn new(inner: TickStream, count: u64, budget: Budget) -> Skip {
        Skip {
            inner,
            left: count,
            budget,
        }
    }
}

impl Stream for Skip {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match self.inner.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(_))) if self.left > 0 => {
                    self.left -= 1;
                    if !self.budget.work(Budget::POLLED_WORK) {
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                }
                other => return other,
            }
        }
    }
}

impl TickSource for Skip {
    /// May return 0 after dropping values it skipped; the caller then polls,
    /// which is still correct.
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        let start = out.len();
        self.inner.ready_values(out, max);
        let got = (out.len() - start) as u64;
        let dropped = got.min(self.left);
        self.left -= dropped;
        out.drain(start..start + dropped as usize);
        self.budget.work(dropped as u32);
        out.len() - start
    }
}
