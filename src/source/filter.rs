use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{SourceError, Tick, TickStream};
use crate::program::CmpOp;

/// Only the values that pass a comparison: `a | filter > 10`.
///
/// ```
/// use async_playground::program::CmpOp;
/// use async_playground::source::{Filter, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let some: TickStream = stream::iter([5.0, 50.0].map(|v| Ok(Tick::ready(v)))).boxed_local();
/// let big: Vec<_> = VirtualClock::new().block_on(Filter::new(some, CmpOp::Gt, 10.0).collect()).unwrap();
/// assert_eq!(big.len(), 1);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Filter {
    inner: TickStream,
    op: CmpOp,
    operand: f64,
}

impl Filter {
    pub fn new(inner: TickStream, op: CmpOp, operand: f64) -> Filter {
        Filter { inner, op, operand }
    }
}

impl Stream for Filter {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match self.inner.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(tick))) if !self.op.test(tick.value, self.operand) => continue,
                other => return other,
            }
        }
    }
}
