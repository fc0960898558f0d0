use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{ready, FutureExt, Stream, StreamExt};

use super::{
    Operands, Python, PythonHelper, SourceError, Step, Text, Tick, TickSource, TickStream,
};
use crate::budget::Budget;
use crate::clock::{Clock, Sleep};
use crate::display::seconds;

/// Waits `ms` before the source starts: `a | delay 50ms`. The inner stream
/// is not polled until then, so its own timers start late too. Raced against
/// the plain source it is a hedged request: the duplicate is only "sent" if
/// the first call hasn't answered within `ms`.
///
/// ```
/// use async_playground::clock::{Clock, VirtualClock};
/// use async_playground::source::{Delay, Tick, TickStream};
/// use futures::{stream, StreamExt};
/// let clock = VirtualClock::new();
/// let one: TickStream = Box::new(stream::iter([Ok(Tick::ready(7.0))]));
/// let got = clock.block_on(Delay::new(one, clock.clone(), 50.0).collect::<Vec<_>>());
/// assert_eq!(got.unwrap(), vec![Ok(Tick::ready(7.0))]);
/// assert_eq!(clock.now(), 50.0);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Delay<C: Clock> {
    inner: TickStream,
    clock: C,
    ms: f64,
    /// The start delay while it runs; `None` before the first poll and after.
    wait: Option<Sleep>,
    started: bool,
}

impl<C: Clock> Delay<C> {
    pub fn new(inner: TickStream, clock: C, ms: f64) -> Delay<C> {
        Delay {
            inner,
            clock,
            ms,
            wait: None,
            started: ms <= 0.0,
        }
    }
}

impl<C: Clock> Stream for Delay<C> {
    type Item = Result<Tick, SourceError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if !this.started {
            let wait = this.wait.get_or_insert_with(|| this.clock.sleep(this.ms));
            ready!(wait.poll_unpin(cx));
            this.wait = None;
            this.started = true;
        }
        this.inner.poll_next_unpin(cx)
    }
}

impl<C: Clock> TickSource for Delay<C> {
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        if !self.started {
            return 0;
        }
        self.inner.ready_values(out, max)
    }
}

/// `| delay 50ms`: starts after the delay (a hedge's duplicate).
///
/// ```
/// use async_playground::lang::parse;
/// use async_playground::run::run_virtual;
/// let report = run_virtual(&parse("sum([1] | delay 50ms)").unwrap()).unwrap();
/// assert_eq!(report.elapsed_ms, 50.0);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct DelayStep {
    pub ms: f64,
}

impl Step for DelayStep {
    const KEYWORD: &'static str = "delay";
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "delayed",
        needs: &[],
        imports: &[],
        code: r#"async def delayed(values, seconds):
    """Start `seconds` later (`| delay`): the duplicate of a hedged request."""
    if seconds > 0:
        await asyncio.sleep(seconds)
    async for value in values:
        yield value
"#,
    }];

    fn read<O: Operands>(operands: &mut O) -> Option<DelayStep> {
        let ms = operands.duration()?;
        Some(DelayStep { ms })
    }

    fn write(&self, text: &mut Text) {
        text.duration(self.ms);
    }

    fn python<P: Python>(&self, input: String, python: &mut P) -> String {
        python.use_helper("delayed");
        format!("delayed({input}, {})", seconds(self.ms))
    }

    fn takes_time(&self) -> bool {
        self.ms > 0.0
    }

    fn open<C: Clock>(&self, input: TickStream, clock: &C, _: &Budget) -> TickStream {
        Box::new(Delay::new(input, clock.clone(), self.ms))
    }
}
