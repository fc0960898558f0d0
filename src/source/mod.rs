//! Sources: every source is a [`futures::Stream`] of [`Tick`]s, and every use
//! of a source opens a fresh one, as calling `afeat1()` does in Python.
//!
//! [`SourcePlan`] is a source with its names resolved, cheap to open many
//! times (lists are shared, not copied). One file per source or transform;
//! a transform's file also holds its [`Step`] (syntax, text, Python, cost),
//! and one line below registers it (see `transform.rs`).

mod cost;
mod delay;
mod fail_after;
mod filter;
mod map;
mod merge;
mod plan;
pub mod sample;
mod skip;
mod take;
pub mod text;
mod timed;
mod timeout;
mod transform;

pub use crate::budget::Budget;
pub use cost::Cost;
pub use delay::{Delay, DelayStep};
pub use fail_after::{FailAfter, FailStep};
pub use filter::{CmpOp, Comparison, Filter, FilterStep, Keep, Keeps};
pub use map::{ArithOp, Map, MapStep};
pub use merge::Merge;
pub(crate) use plan::open_timed;
pub use plan::{open, NoIo, Notes, OpenIo, SourcePlan, ValueSeq};
pub use skip::{AfterFirst, Skip, SkipStep};
pub use take::{Take, TakeStep};
pub use timed::Timed;
pub use timeout::{Timeout, TimeoutStep};
pub use transform::{Operands, Python, PythonHelper, Step, Text};

// The transforms after `|`, in the order the language lists them.
transform::transforms! {
    Take(TakeStep),
    Skip(SkipStep),
    Map(MapStep),
    Filter(FilterStep),
    Timeout(TimeoutStep),
    Delay(DelayStep),
    FailAfter(FailStep),
}

use futures::stream::{Iter, LocalBoxStream, Pending};
use futures::Stream;

use crate::aggregate::AnyFold;

/// One value from a source, with what it cost to get it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tick {
    pub value: f64,
    /// How late the timer before this value fired, in ms; `None` when the
    /// value needed no timer.
    pub late_ms: Option<f64>,
    /// How long the source busy-waited for this value, freezing the loop.
    pub blocked_ms: f64,
}

impl Tick {
    pub fn ready(value: f64) -> Tick {
        Tick {
            value,
            late_ms: None,
            blocked_ms: 0.0,
        }
    }
}

/// Why a source stopped early. Confined to the task that reads it.
pub type SourceError = String;

/// A stream of ticks that can also hand over a batch of values that are ready
/// right now. The batch is the fast path for ready sources (`range(10^7)`):
/// one call per thousand values instead of one poll per value.
pub trait TickSource: Stream<Item = Result<Tick, SourceError>> + Unpin {
    /// Appends up to `max` values that are ready now, without waiting, to
    /// `out`, and returns how many. 0 means: use `poll_next`.
    fn ready_values(&mut self, _out: &mut Vec<f64>, _max: usize) -> usize {
        0
    }

    /// Folds up to `max` ready values straight into `fold`, with no buffer,
    /// and returns how many; 0 means: use `ready_values` or `poll_next`.
    /// For callers that neither trace nor check these values.
    fn fold_ready(&mut self, _fold: &mut AnyFold, _max: usize) -> usize {
        0
    }
}

/// Ready values from `inner`, at most `left` of them, counting them off.
fn ready_values_within(
    inner: &mut TickStream,
    left: &mut u64,
    out: &mut Vec<f64>,
    max: usize,
) -> usize {
    let max = max.min(usize::try_from(*left).unwrap_or(usize::MAX));
    if max == 0 {
        return 0;
    }
    let got = inner.ready_values(out, max);
    *left -= got as u64;
    got
}

/// An opened source. Any boxed stream of ticks is one: `Box::new(stream)`.
pub type TickStream = Box<dyn TickSource>;

impl TickSource for LocalBoxStream<'static, Result<Tick, SourceError>> {}

impl<I: Iterator<Item = Result<Tick, SourceError>> + Unpin> TickSource for Iter<I> {}

impl TickSource for Pending<Result<Tick, SourceError>> {}
