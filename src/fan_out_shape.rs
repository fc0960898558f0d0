//! Which `gather(N * task)` run as one fan-out future (`run::fan_out`), in
//! one place: the checker (`lang`) counts those copies against
//! [`MAX_SHARED_COPIES`] from this answer, and the planner (`run::Plan`)
//! builds the fan-out node from the same answer, so the two can't disagree.
//!
//! The shape: a `gather` whose only child is `N * aggregator(source)`, and a
//! source that is a list, `range` or `random`, awaited, with a delay above
//! 0 before every value (a zero delay yields to the event loop, which only a
//! future of its own does the same way).
//!
//! [`MAX_SHARED_COPIES`]: crate::limits::MAX_SHARED_COPIES

use crate::distribution::{Distribution, Spread};
use crate::program::{Aggregator, Delays, Group, SourceExpr, Span, Task, TaskKind};

/// What the copies of a fan-out cost, which decides the cap they count
/// against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum History {
    /// Fixed delays: every copy sees the same values at the same times, so
    /// copies share one position, one fold and one timer per deadline (a
    /// cohort): a few bytes per copy. They count against
    /// [`MAX_SHARED_COPIES`](crate::limits::MAX_SHARED_COPIES).
    Shared,
    /// Drawn delays: each copy has its own deadlines, so its own cohort and
    /// timer (measured: about as many bytes as a task of the general path).
    /// They count as tasks.
    Drawn,
}

/// `gather(N * aggregator(source))`, before the source is resolved.
pub(crate) struct Copies<'p> {
    pub count: u64,
    /// The task copied: `aggregator(source)`.
    pub task: &'p Task,
    pub aggregator: Aggregator,
    pub source: &'p SourceExpr,
    /// Where `N * task` is written.
    pub span: Span,
}

/// The copies of `group(children)` when it has the fan-out's shape (the
/// source still to be checked with [`timed_history`]).
pub(crate) fn copies_of(group: Group, children: &[Task]) -> Option<Copies<'_>> {
    let [Task {
        kind: TaskKind::Repeat { count, task },
        span,
        ..
    }] = children
    else {
        return None;
    };
    let TaskKind::Aggregate { aggregator, source } = &task.kind else {
        return None;
    };
    (group == Group::Gather).then_some(Copies {
        count: *count,
        task,
        aggregator: *aggregator,
        source,
        span: *span,
    })
}

/// Whether copies over a timed source of `len` values with these delays run
/// as a fan-out (`Some`), and what they cost.
pub(crate) fn timed_history(len: u64, delays: &Delays, blocking: bool) -> Option<History> {
    if blocking {
        return None;
    }
    let fans_out = match delays {
        Delays::None => false,
        Delays::Every(ms) => *ms > 0.0,
        Delays::Each(list) => {
            len <= list.len() as u64 && list[..len as usize].iter().all(|ms| *ms > 0.0)
        }
        Delays::Drawn(distribution) => always_positive(distribution),
    };
    match delays {
        _ if !fans_out => None,
        Delays::Drawn(_) => Some(History::Drawn),
        _ => Some(History::Shared),
    }
}

/// Whether every draw of `distribution` is above 0. `exp` is not: a draw
/// of exactly 0 has a chance of 2^-53, and then the general path yields.
fn always_positive(distribution: &Distribution) -> bool {
    let spread = match distribution.spread {
        Spread::Fixed(ms) => ms > 0.0,
        Spread::Uniform { low, .. } => low > 0.0,
        Spread::Exp { .. } => false,
        // Far from underflowing to 0 even at the quantile function's ends.
        Spread::LogNormal { median, p99 } => median >= 1e-3 && p99 / median < 1e100,
    };
    spread
        && distribution
            .spike
            .is_none_or(|spike| spike.ms > 0.0 || spike.percent == 0.0)
}
