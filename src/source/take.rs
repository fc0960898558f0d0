use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{
    ready_values_within, Cost, Operands, Python, PythonHelper, SourceError, Step, Text, Tick,
    TickSource, TickStream,
};
use crate::budget::Budget;
use crate::clock::Clock;

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

/// `| take N`: the first N values, then stop.
///
/// ```
/// use async_playground::lang::parse;
/// use async_playground::run::run_virtual;
/// let report = run_virtual(&parse("collect(range(5) | take 2)").unwrap()).unwrap();
/// assert_eq!(report.statements[0].outcome.to_string(), "[0, 1]");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TakeStep {
    pub count: u64,
}

impl Step for TakeStep {
    const KEYWORD: &'static str = "take";
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "take",
        needs: &[],
        imports: &[],
        code: r#"async def take(values, count):
    """The first `count` values, then stop."""
    if count == 0:
        return
    seen = 0
    async for value in values:
        yield value
        seen += 1
        if seen == count:
            return
"#,
    }];

    fn read<O: Operands>(operands: &mut O) -> Option<TakeStep> {
        let count = operands.whole("how many values to take")?;
        Some(TakeStep { count })
    }

    fn write(&self, text: &mut Text) {
        text.whole(self.count);
    }

    fn python<P: Python>(&self, input: String, python: &mut P) -> String {
        python.use_helper("take");
        format!("take({input}, {})", self.count)
    }

    fn cost(&self, input: Cost) -> Cost {
        input.at_most(self.count)
    }

    fn open<C: Clock>(&self, input: TickStream, _: &C, _: &Budget) -> TickStream {
        Box::new(Take::new(input, self.count))
    }
}
