use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{
    ready_values_within, Cost, Operands, Python, PythonHelper, SourceError, Step, Text, Tick,
    TickSource, TickStream,
};
use crate::budget::Budget;
use crate::clock::Clock;
use crate::display::quoted;

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

/// `| fail after 2 "connection reset"`: fails the task after 2 values.
///
/// ```
/// use async_playground::lang::parse;
/// use async_playground::run::run_virtual;
/// let report = run_virtual(&parse("sum(range(5) | fail after 2 \"reset\")").unwrap()).unwrap();
/// assert_eq!(report.statements[0].outcome.to_string(), "error: reset");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FailStep {
    pub count: u64,
    pub message: String,
}

impl Step for FailStep {
    const KEYWORD: &'static str = "fail";
    const SHOWN: &'static str = "fail after";
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "fail_after",
        needs: &["TaskError"],
        imports: &[],
        code: r#"async def fail_after(values, count, message):
    """Pass `count` values through, then fail (unless the source ends first)."""
    if count == 0:
        raise TaskError(message)
    seen = 0
    async for value in values:
        yield value
        seen += 1
        if seen == count:
            raise TaskError(message)
"#,
    }];

    fn read<O: Operands>(operands: &mut O) -> Option<FailStep> {
        operands.word("after", "'after' in 'fail after N \"message\"'")?;
        let count = operands.whole("how many values come before the failure")?;
        let message = operands.string("an error message in quotes")?;
        Some(FailStep { count, message })
    }

    fn write(&self, text: &mut Text) {
        text.word("after");
        text.whole(self.count);
        text.detail(&self.message);
    }

    fn python<P: Python>(&self, input: String, python: &mut P) -> String {
        python.use_helper("fail_after");
        format!(
            "fail_after({input}, {}, {})",
            self.count,
            quoted(&self.message)
        )
    }

    fn cost(&self, input: Cost) -> Cost {
        input.at_most(self.count)
    }

    fn open<C: Clock>(&self, input: TickStream, _: &C, _: &Budget) -> TickStream {
        Box::new(FailAfter::new(input, self.count, self.message.clone()))
    }
}
