use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{FutureExt, Stream, StreamExt};

use super::{SourceError, Tick, TickSource, TickStream};
use crate::clock::{Clock, Sleep};
use crate::display::format_duration;

/// Fails when the next value takes longer than `ms`: `a | timeout 2s`.
///
/// ```
/// use async_playground::clock::{Clock, VirtualClock};
/// use async_playground::source::{Timeout, TickStream};
/// use futures::{stream, StreamExt};
/// let clock = VirtualClock::new();
/// let silent: TickStream = Box::new(stream::pending());
/// let got = clock.block_on(Timeout::new(silent, clock.clone(), 2000.0).collect::<Vec<_>>());
/// assert_eq!(got.unwrap(), vec![Err("no value within 2s".to_string())]);
/// assert_eq!(clock.now(), 2000.0);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Timeout<C: Clock> {
    inner: TickStream,
    clock: C,
    ms: f64,
    timer: Option<Sleep>,
    expired: bool,
}

impl<C: Clock> Timeout<C> {
    pub fn new(inner: TickStream, clock: C, ms: f64) -> Timeout<C> {
        Timeout {
            inner,
            clock,
            ms,
            timer: None,
            expired: false,
        }
    }
}

impl<C: Clock> Stream for Timeout<C> {
    type Item = Result<Tick, SourceError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.expired {
            return Poll::Ready(None);
        }
        // A deadline due at the same instant as the value wins, as in
        // asyncio, where the deadline's timer was set first and fires first.
        if this
            .timer
            .as_mut()
            .is_some_and(|t| t.poll_unpin(cx).is_ready())
        {
            return Poll::Ready(Some(Err(this.expire())));
        }
        if let Poll::Ready(next) = this.inner.poll_next_unpin(cx) {
            this.timer = None;
            return Poll::Ready(next);
        }
        let timer = this.timer.get_or_insert_with(|| this.clock.sleep(this.ms));
        if timer.poll_unpin(cx).is_ready() {
            return Poll::Ready(Some(Err(this.expire())));
        }
        Poll::Pending
    }
}

impl<C: Clock> Timeout<C> {
    fn expire(&mut self) -> SourceError {
        self.expired = true;
        format!("no value within {}", format_duration(self.ms))
    }
}

impl<C: Clock> TickSource for Timeout<C> {
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        if self.expired {
            return 0;
        }
        let got = self.inner.ready_values(out, max);
        if got > 0 {
            self.timer = None;
        }
        got
    }
}
