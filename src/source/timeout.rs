use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{FutureExt, Stream, StreamExt};

use super::{
    Operands, Python, PythonHelper, SourceError, Step, Text, Tick, TickSource, TickStream,
};
use crate::budget::Budget;
use crate::clock::{Clock, Sleep};
use crate::display::{format_duration, seconds};

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

/// `| timeout 2s`: fails the task if the next value takes longer.
///
/// ```
/// use async_playground::lang::parse;
/// use async_playground::run::run_virtual;
/// let report = run_virtual(&parse("sum([1] every 3s | timeout 2s)").unwrap()).unwrap();
/// assert_eq!(report.statements[0].outcome.to_string(), "error: no value within 2s");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TimeoutStep {
    pub ms: f64,
}

impl Step for TimeoutStep {
    const KEYWORD: &'static str = "timeout";
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "value_timeout",
        needs: &["TaskError", "show_duration"],
        imports: &[],
        code: r#"async def value_timeout(values, seconds):
    """Fail if the next value takes longer than `seconds`."""
    values = aiter(values)
    while True:
        try:
            async with asyncio.timeout(seconds):
                value = await anext(values)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise TaskError(f"no value within {show_duration(seconds)}") from None
        yield value
"#,
    }];

    fn read<O: Operands>(operands: &mut O) -> Option<TimeoutStep> {
        let ms = operands.duration()?;
        Some(TimeoutStep { ms })
    }

    fn write(&self, text: &mut Text) {
        text.duration(self.ms);
    }

    fn python<P: Python>(&self, input: String, python: &mut P) -> String {
        python.use_helper("value_timeout");
        format!("value_timeout({input}, {})", seconds(self.ms))
    }

    fn open<C: Clock>(&self, input: TickStream, clock: &C, _: &Budget) -> TickStream {
        Box::new(Timeout::new(input, clock.clone(), self.ms))
    }
}
