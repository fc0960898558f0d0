use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{Budget, SourceError, Tick, TickSource, TickStream};
use crate::program::CmpOp;

/// Only the values that pass a comparison: `a | filter > 10`.
///
/// ```
/// use async_playground::program::CmpOp;
/// use async_playground::source::{Budget, Filter, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let some: TickStream = Box::new(stream::iter([5.0, 50.0].map(|v| Ok(Tick::ready(v)))));
/// let big: Vec<_> = VirtualClock::new().block_on(Filter::new(some, CmpOp::Gt, 10.0, Budget::default()).collect()).unwrap();
/// assert_eq!(big.len(), 1);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Filter {
    inner: TickStream,
    op: CmpOp,
    operand: f64,
    /// Values dropped spend work, so a filter that drops everything still
    /// yields when the poll's work is spent.
    budget: Budget,
}

impl Filter {
    pub fn new(inner: TickStream, op: CmpOp, operand: f64, budget: Budget) -> Filter {
        Filter {
            inner,
            op,
            operand,
            budget,
        }
    }
}

impl Stream for Filter {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match self.inner.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(tick))) if !self.op.test(tick.value, self.operand) => {
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

impl TickSource for Filter {
    /// May return 0 after consuming values that all failed the test; the
    /// caller then polls, which is still correct.
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        let start = out.len();
        self.inner.ready_values(out, max);
        let mut kept = start;
        for index in start..out.len() {
            if self.op.test(out[index], self.operand) {
                out[kept] = out[index];
                kept += 1;
            }
        }
        // The dropped ones are work too; the engine counts the kept ones.
        self.budget.work((out.len() - kept) as u32);
        out.truncate(kept);
        kept - start
    }
}
