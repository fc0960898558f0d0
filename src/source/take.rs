use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{ready_values_within, SourceError, Tick, TickSource, TickStream};

/// The first `count` values, then stop without pulling more: `a | take 2`.
///
/// ```
/// use async_playground::source::{Take, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let three: TickStream = Box::new(stream::iter([1.0, 2.0, 3.0].map(|v| Ok(Tick::ready(v)))));
/// let firsts: Vec<_> = VirtualClock::new().block_on(Take::new(three, 2).collect()).unwrap();
/// assert_eq!(firsts.len(), 2);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Take {
    inner: TickStream,
    left: u64,
}

impl Take {
    pub fn new(inner: TickStream, count: u64) -> Take {
        Take { inner, left: count }
    }
}

impl Stream for Take {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.left == 0 {
            return Poll::Ready(None);
        }
        let next = self.inner.poll_next_unpin(cx);
        if let Poll::Ready(Some(Ok(_))) = next {
            self.left -= 1;
        }
        next
    }
}

impl TickSource for Take {
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        ready_values_within(&mut self.inner, &mut self.left, out, max)
    }
}
