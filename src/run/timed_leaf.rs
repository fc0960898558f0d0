//! The commonest task, an aggregator over a timed source that waits or
//! yields before its values (`sum(range(10^6) every 0s)`), as one future:
//! the source's stream lives inline and is polled with no dynamic call, and
//! each value is folded in the same poll that took it.
//!
//! It does what [`Engine::leaf`](super::Engine) does for such a source,
//! step for step (`start` at the first poll, where the stream opens and
//! draws its random stream; the same polls pending; the same budget spent;
//! the same trace), so a run gives the same report either way
//! (`tests/timed_leaf.rs` compares them over random programs). Sources that
//! are ready at once (the batch paths), transformed, merged or real I/O stay
//! on the general path.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::engine::{held_per_value, AfterTick};
use super::lane_guard::LaneGuard;
use super::{Engine, Hops};
use crate::aggregate::{AnyFold, Fold, Outcome};
use crate::clock::Clock;
use crate::program::{Aggregator, Delays};
use crate::source::{open_timed, SourcePlan, Timed, ValueSeq};

/// A leaf over a timed source with delays, polled as one future.
#[must_use = "futures do nothing unless polled"]
pub(super) struct TimedLeaf<'a, C: Clock> {
    engine: &'a Engine<C>,
    lane: u32,
    values: &'a ValueSeq,
    delays: &'a Rc<Delays>,
    blocking: bool,
    /// Where it takes its hops in place, if it is all its statement runs.
    hops: Option<&'a Hops>,
    /// The fold, until it is finished.
    fold: Option<AnyFold>,
    /// Opened at the first poll, as the general leaf opens it.
    running: Option<Running<'a, C>>,
    /// Values past the lane's traced ones, not yet counted in the trace:
    /// counted here, and in the trace once the leaf ends or is dropped.
    omitted: u64,
}

struct Running<'a, C: Clock> {
    guard: LaneGuard<'a, C>,
    stream: Timed<C>,
    count: u64,
    held_per_value: u64,
    /// Whether the lane may still want values traced. Once it does not,
    /// it never will again (its counts only grow).
    traced: bool,
}

impl<'a, C: Clock> TimedLeaf<'a, C> {
    /// The leaf for `source` if it is the shape this leaf runs: timed,
    /// with delays. With `hops`, it takes its hops in place.
    pub(super) fn new(
        engine: &'a Engine<C>,
        lane: u32,
        aggregator: Aggregator,
        source: &'a SourcePlan,
        hops: Option<&'a Hops>,
    ) -> Option<TimedLeaf<'a, C>> {
        match source {
            SourcePlan::Timed {
                values,
                delays,
                blocking,
            } if !matches!(**delays, Delays::None) => Some(TimedLeaf {
                engine,
                lane,
                values,
                delays,
                blocking: *blocking,
                hops,
                fold: Some(AnyFold::new(aggregator)),
                running: None,
                omitted: 0,
            }),
            _ => None,
        }
    }

    /// `start`, and the stream, as the general leaf's first poll makes them.
    fn start(&self) -> Running<'a, C> {
        let engine = self.engine;
        let guard = LaneGuard::start(engine, self.lane);
        let stream = open_timed(
            self.values,
            self.delays,
            self.blocking,
            engine.clock(),
            engine.budget(),
            engine.draws(),
        );
        Running {
            guard,
            stream,
            count: 0,
            held_per_value: self.fold.as_ref().map_or(0, held_per_value),
            traced: true,
        }
    }
}

impl<C: Clock> Future for TimedLeaf<'_, C> {
    type Output = Outcome;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Outcome> {
        let this = self.get_mut();
        if this.running.is_none() && this.fold.is_some() {
            this.running = Some(this.start());
        }
        // Without a fold, it has finished: nothing more to do.
        let (Some(running), Some(fold)) = (this.running.as_mut(), this.fold.as_mut()) else {
            return Poll::Pending;
        };
        // A hop taken in place is the re-poll the `Rebound` would make at
        // once: the same work budget refilled (as `Engine::run` refills it
        // before each poll), nothing else to run in between.
        let (hops, budget) = (this.hops, this.engine.budget());
        let mut hop_in_place = || {
            let hopped = hops.is_some_and(Hops::take);
            if hopped {
                budget.refill();
            }
            hopped
        };
        // Each loop is one value; a pending poll (a wait, a hop, a spent
        // budget's yield) resumes at the stream, as the general leaf does.
        let outcome = loop {
            let tick = match running.stream.poll_tick(cx, &mut hop_in_place) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => break None,
                Poll::Ready(Some(Err(message))) => break Some(Outcome::Error(message)),
                Poll::Ready(Some(Ok(tick))) => tick,
            };
            running.count += 1;
            // What `trace_tick` would do past the traced values, without
            // borrowing the trace for every value.
            if running.traced || tick.late_ms.is_some() {
                running.traced = this.engine.trace_tick(this.lane, &tick);
            } else {
                this.omitted += 1;
            }
            match this
                .engine
                .fold_tick(fold, &tick, running.count, running.held_per_value)
            {
                AfterTick::Next => {}
                AfterTick::Yield => {
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                AfterTick::Stop => break None,
                AfterTick::Fail(outcome) => break Some(outcome),
            }
        };
        let outcome = match (outcome, this.fold.take()) {
            (Some(failed), _) => failed,
            (None, Some(fold)) => fold.finish(),
            (None, None) => Outcome::Empty,
        };
        this.count_omitted();
        if let Some(running) = this.running.take() {
            running.guard.finish(&outcome);
        }
        Poll::Ready(outcome)
    }
}

impl<C: Clock> TimedLeaf<'_, C> {
    fn count_omitted(&mut self) {
        if self.omitted > 0 {
            self.engine
                .omit_values(self.lane, std::mem::take(&mut self.omitted));
        }
    }
}

impl<C: Clock> Drop for TimedLeaf<'_, C> {
    fn drop(&mut self) {
        self.count_omitted();
    }
}
