//! Groups: `sequential`, `gather`, `race`, `any`, `limit(k)` and `timeout`,
//! each a way of scheduling a task's children on the engine.

use std::future::Future;

use futures::future::{join_all, poll_immediate, select, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use futures::FutureExt;

use super::Engine;
use crate::aggregate::Outcome;
use crate::clock::Clock;
use crate::display::format_duration;
use crate::program::Group;
use crate::run::lane_guard::LaneGuard;
use crate::run::plan::Node;

impl<C: Clock> Engine<C> {
    /// Runs a group's children as `group` says, on the group's own lane.
    pub(super) async fn group(&self, lane: u32, group: Group, children: &[Node]) -> Outcome {
        let guard = LaneGuard::start(self, lane);
        let outcome = match group {
            Group::Sequential => Outcome::Group(self.sequential(children).await.into()),
            Group::Gather => {
                Outcome::Group(join_all(children.iter().map(|c| self.node(c))).await.into())
            }
            Group::Race => {
                let mut racers: FuturesUnordered<_> =
                    children.iter().map(|c| self.node(c)).collect();
                // Dropping the other racers cancels them.
                racers.next().await.unwrap_or(Outcome::Empty)
            }
            Group::Any => first_success(children.iter().map(|c| self.node(c)).collect()).await,
            Group::Limit(k) => Outcome::Group(self.limited(k, children).await.into()),
            Group::Timeout(ms) => {
                let mut deadline = self.clock.sleep(ms);
                // Set the deadline's timer before the work's (asyncio's order;
                // a 0 s deadline then acts at the work's first await).
                let _ = poll_immediate(&mut deadline).await;
                let mut work = self.sequential(children).boxed_local();
                // As with asyncio.timeout: work that ends without waiting
                // beats any deadline (a deadline acts at an await), and a
                // deadline due at the same instant as the work's last value
                // wins (its timer was set first, so it fires first).
                let finished = match poll_immediate(&mut work).await {
                    Some(outcomes) => Some(outcomes),
                    None => match select(deadline, work).await {
                        Either::Left(_) => None,
                        Either::Right((outcomes, _)) => Some(outcomes),
                    },
                };
                match finished {
                    // One child's result is not wrapped in a list.
                    Some(mut outcomes) if outcomes.len() == 1 => {
                        outcomes.pop().unwrap_or(Outcome::Empty)
                    }
                    Some(outcomes) => Outcome::Group(outcomes.into()),
                    None => Outcome::Error(format!("timed out after {}", format_duration(ms))),
                }
            }
        };
        guard.finish(&outcome);
        outcome
    }

    /// At most `k` children at once, like `asyncio.Semaphore(k)`: a slot
    /// frees the moment its task ends (not when the earlier ones have), and
    /// the next child in input order takes it. Results stay in input order.
    async fn limited(&self, k: u64, children: &[Node]) -> Vec<Outcome> {
        let k = usize::try_from(k).unwrap_or(usize::MAX).max(1);
        let start = |index: usize| self.node(&children[index]).map(move |o| (index, o));
        let mut waiting = 0..children.len();
        let mut running: FuturesUnordered<_> = waiting.by_ref().take(k).map(start).collect();
        let mut outcomes = vec![Outcome::Empty; children.len()];
        while let Some((index, outcome)) = running.next().await {
            outcomes[index] = outcome;
            if let Some(next) = waiting.next() {
                running.push(start(next));
            }
        }
        outcomes
    }

    async fn sequential(&self, children: &[Node]) -> Vec<Outcome> {
        let mut outcomes = Vec::with_capacity(children.len());
        for child in children {
            outcomes.push(self.node(child).await);
        }
        outcomes
    }
}

/// The first outcome that is not an error, cancelling the rest by dropping
/// them; when every one fails, an error naming the failures in the order
/// they came.
async fn first_success<F: Future<Output = Outcome>>(mut racers: FuturesUnordered<F>) -> Outcome {
    /// Failures named in the message; the rest are counted.
    const NAMED: usize = 3;
    let mut failures = Vec::new();
    let mut failed = 0usize;
    while let Some(outcome) = racers.next().await {
        match outcome {
            Outcome::Error(message) => {
                failed += 1;
                if failures.len() < NAMED {
                    failures.push(message);
                }
            }
            success => return success,
        }
    }
    if failed == 0 {
        return Outcome::Empty;
    }
    let mut message = format!("every task failed: {}", failures.join("; "));
    if failed > NAMED {
        message.push_str(&format!("; and {} more", failed - NAMED));
    }
    Outcome::Error(message)
}
