use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{SourceError, Tick, TickSource, TickStream};
use crate::program::ArithOp;

/// Simple arithmetic on every value: `a | map * 2`.
///
/// ```
/// use async_playground::program::ArithOp;
/// use async_playground::source::{Map, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let one: TickStream = Box::new(stream::iter([Ok(Tick::ready(21.0))]));
/// let doubled: Vec<_> = VirtualClock::new().block_on(Map::new(one, ArithOp::Mul, 2.0).collect()).unwrap();
/// assert_eq!(doubled[0].as_ref().unwrap().value, 42.0);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Map {
    inner: TickStream,
    op: ArithOp,
    operand: f64,
}

impl Map {
    pub fn new(inner: TickStream, op: ArithOp, operand: f64) -> Map {
        Map { inner, op, operand }
    }
}

impl Stream for Map {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let (op, operand) = (self.op, self.operand);
        self.inner.poll_next_unpin(cx).map(|next| {
            next.map(|item| {
                item.map(|mut tick| {
                    tick.value = op.apply(tick.value, operand);
                    tick
                })
            })
        })
    }
}

impl TickSource for Map {
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        let start = out.len();
        let got = self.inner.ready_values(out, max);
        for value in &mut out[start..] {
            *value = self.op.apply(*value, self.operand);
        }
        got
    }
}
