use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{ready_values_within, SourceError, Tick, TickSource, TickStream};

/// Passes `count` values through, then fails with `message`:
/// `a | fail after 2 "connection reset"`. If the source ends first, so does
/// this, without an error.
///
/// ```
/// use async_playground::source::{FailAfter, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let three: TickStream = Box::new(stream::iter([1.0, 2.0, 3.0].map(|v| Ok(Tick::ready(v)))));
/// let got: Vec<_> = VirtualClock::new().block_on(FailAfter::new(three, 1, "gone".into()).collect()).unwrap();
/// assert_eq!(got.len(), 2);
/// assert_eq!(got[1], Err("gone".to_string()));
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct FailAfter {
    inner: TickStream,
    left: u64,
    message: Option<String>,
}

impl FailAfter {
    pub fn new(inner: TickStream, count: u64, message: String) -> FailAfter {
        FailAfter {
            inner,
            left: count,
            message: Some(message),
        }
    }
}

impl Stream for FailAfter {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.left == 0 {
            return Poll::Ready(self.message.take().map(Err));
        }
        let next = self.inner.poll_next_unpin(cx);
        match next {
            Poll::Ready(Some(Ok(_))) => self.left -= 1,
            Poll::Ready(None) => self.message = None,
            _ => {}
        }
        next
    }
}

impl TickSource for FailAfter {
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        ready_values_within(&mut self.inner, &mut self.left, out, max)
    }
}
