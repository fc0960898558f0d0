use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::SelectAll;
use futures::{Stream, StreamExt};

use super::{SourceError, Tick, TickSource, TickStream};

/// The values of several sources as they arrive: `merge(a, b)`. Ends when all
/// have ended; an error from one ends the merge.
///
/// ```
/// use async_playground::source::{Merge, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let a: TickStream = Box::new(stream::iter([Ok(Tick::ready(1.0))]));
/// let b: TickStream = Box::new(stream::iter([Ok(Tick::ready(2.0))]));
/// assert_eq!(VirtualClock::new().block_on(Merge::new(vec![a, b]).count()), Some(2));
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Merge {
    inner: SelectAll<TickStream>,
    failed: bool,
}

impl Merge {
    pub fn new(sources: Vec<TickStream>) -> Merge {
        Merge {
            inner: futures::stream::select_all(sources),
            failed: false,
        }
    }
}

impl Stream for Merge {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.failed {
            return Poll::Ready(None);
        }
        let next = self.inner.poll_next_unpin(cx);
        if let Poll::Ready(Some(Err(_))) = next {
            self.failed = true;
        }
        next
    }
}

impl TickSource for Merge {}
