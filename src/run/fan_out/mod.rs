//! `gather(N * task)` over a plain timed source as one future: the copies
//! kept as cohorts (copies with the same history share one position and one
//! aggregator state) in timers shared by deadline, instead of N task futures,
//! N boxed streams and N timers.
//!
//! It reproduces the general path exactly (results, times, trace, draws,
//! budgets; `tests/fan_out.rs` compares them over random programs):
//! - copies start in order, each drawing its random stream as it opens;
//! - on a wake, copies take their values in the order the general path's
//!   `join_all` polls them: the order their timers fired (deadline, then
//!   insertion), or copy order for 30 copies or fewer (`join_all` then polls
//!   every child each time);
//! - a copy's value counts against the value cap, is traced (or counted) and
//!   folded, then its next timer is set: copies that set the same deadline in
//!   one pass sit together in one bucket of the queue, as they would;
//! - beyond 30 copies, it yields when it has polled every running copy in
//!   one go, as `FuturesUnordered` does;
//! - dropped, it cancels the traced copies still running, in the order
//!   `join_all` drops them (copy order up to 30 copies; beyond, the most
//!   recently polled first).
//!
//! Each value spends the general path's work ([`Budget::POLLED_WORK`]), so
//! polls end where they would. When a poll's work runs out in the middle of
//! a wake (more than 4096 copies at once), the general path and this one
//! split the copies at different places: the values, results and times stay
//! the same, only the order of same-instant events of copies past that point
//! can differ.
//!
//! [`Budget::POLLED_WORK`]: crate::budget::Budget::POLLED_WORK

use std::collections::{BTreeMap, VecDeque};
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::FutureExt;

use self::copy_list::CopyList;
use super::lane_guard::{record_finish, LaneGuard};
use super::Engine;
use crate::aggregate::{AnyFold, Fold, Outcome, Outcomes};
use crate::budget::BYTES_PER_COLLECTED_VALUE;
use crate::clock::{Clock, Deadline, Sleep};
use crate::fan_out_shape::{timed_history, History};
use crate::program::{Aggregator, Delays};
use crate::source::{SourcePlan, Tick, ValueSeq};
use crate::trace::{EventKind, UNTRACED};

/// The copies of one `gather(N * task)`, as planned.
#[derive(Debug)]
pub(crate) struct FanOut {
    pub(crate) copies: u32,
    /// The traced copies' lanes: the first copies, in order.
    pub(crate) lanes: Rc<[u32]>,
    pub(crate) aggregator: Aggregator,
    /// A source that [`fans_out`], and its values and delays.
    pub(crate) source: Rc<SourcePlan>,
    pub(crate) values: ValueSeq,
    pub(crate) delays: Rc<Delays>,
}

/// Whether copies of an aggregator over `source` run as a fan-out, and
/// what they cost (the rule in [`fan_out_shape`](crate::fan_out_shape)).
pub(crate) fn fans_out(source: &SourcePlan) -> Option<History> {
    match source {
        SourcePlan::Timed {
            values,
            delays,
            blocking,
        } => timed_history(values.len(), delays, *blocking),
        _ => None,
    }
}

/// `join_all` polls up to this many children in order on every poll, and
/// more through a `FuturesUnordered` (futures-util's `SMALL`).
const JOIN_ALL_SMALL: u32 = 30;

/// Work units per copy's value: what the general path spends on a polled
/// value, so that a run's polls end where they would (and later statements
/// yield at the same places).
const WORK_PER_VALUE: u32 = crate::budget::Budget::POLLED_WORK;

impl<C: Clock> Engine<C> {
    /// Runs a fan-out: the gather's lane, its copies, their results in order.
    pub(super) async fn fan_out(&self, lane: u32, plan: &FanOut) -> Outcome {
        let guard = LaneGuard::start(self, lane);
        let mut copies = Copies::start(self, plan);
        poll_fn(|cx| copies.poll(cx)).await;
        let outcome = Outcome::Group(copies.outcomes());
        guard.finish(&outcome);
        outcome
    }
}

/// Copies that have seen the same values: one position and one fold.
struct Cohort {
    copies: CopyList,
    /// The index of the value the copies get next.
    next: u64,
    fold: AnyFold,
    /// The cohort it came from, while a pass adds copies to it.
    origin: u64,
}

/// Cohorts waiting for one timer, in the order their copies set it.
struct Wait {
    sleep: Sleep,
    cohorts: Vec<Cohort>,
}

/// Where a wait fires: its deadline (in total order) and the pass that set
/// it, so waits of one deadline fire in the order they were set.
type WaitKey = (Deadline, u64);

/// A cohort whose timer fired, being handed its value copy by copy.
struct Due {
    cohort: Cohort,
    late_ms: f64,
    id: u64,
    /// The value the cohort's copies get.
    value: f64,
    /// Whether the cohort's fold has the value yet (a poll's work can end
    /// mid-cohort: `copies` holds the copies not yet handed it).
    folded: bool,
    /// The outcome of copies that finish with this value, once computed.
    finished: Option<Outcome>,
}

struct Copies<'a, C: Clock> {
    engine: &'a Engine<C>,
    plan: &'a FanOut,
    values: &'a ValueSeq,
    delays: &'a Delays,
    /// Each copy's random stream, when delays are drawn.
    streams: Vec<u64>,
    waits: BTreeMap<WaitKey, Wait>,
    /// Waits set in this pass, whose timers are not in the queue yet.
    fresh: Vec<WaitKey>,
    due: VecDeque<Due>,
    /// The clock's time at this pass (read once: on the real clock a read
    /// is a call into JS).
    now: f64,
    pass: u64,
    cohorts_made: u64,
    /// Finished copies: runs of copies with one outcome, and the cohort
    /// they finished from.
    finished: Vec<(CopyList, Outcome, u64)>,
    /// Traced copies still running (started, not finished).
    open: Vec<bool>,
    /// When each traced copy was last polled: `FuturesUnordered` moves a
    /// polled future to the front of the list it drops in.
    last_polled: Vec<u64>,
    polls: u64,
    running: u32,
    /// Copies polled since the last one finished, and how many were running
    /// then: `FuturesUnordered` yields once it has polled all of them.
    window: (u32, u32),
    held_per_value: u64,
}

impl<'a, C: Clock> Copies<'a, C> {
    /// Starts every copy in order: its lane's `start`, its random stream,
    /// and its first timer (or its end, when the source has no values).
    fn start(engine: &'a Engine<C>, plan: &'a FanOut) -> Copies<'a, C> {
        let (values, delays) = (&plan.values, &*plan.delays);
        let fold = AnyFold::new(plan.aggregator);
        let held_per_value = match fold {
            AnyFold::Collect(_) => BYTES_PER_COLLECTED_VALUE,
            _ => 0,
        };
        let mut copies = Copies {
            engine,
            plan,
            values,
            delays,
            streams: Vec::new(),
            waits: BTreeMap::new(),
            fresh: Vec::new(),
            due: VecDeque::new(),
            now: engine.clock().now(),
            pass: 0,
            cohorts_made: 1,
            finished: Vec::new(),
            open: vec![true; plan.lanes.len()],
            last_polled: vec![0; plan.lanes.len()],
            polls: 0,
            running: plan.copies,
            window: (0, plan.copies),
            held_per_value,
        };
        let drawn = matches!(delays, Delays::Drawn(_));
        if drawn {
            copies.streams.reserve_exact(plan.copies as usize);
        }
        let mut first = Cohort {
            copies: CopyList::default(),
            next: 0,
            fold,
            origin: 0,
        };
        // Past the traced lanes, copies whose delays are not drawn all start
        // the same way (no event, the same first wait or end): in one step,
        // so 10^7 copies don't hold the page for the loop.
        let one_by_one = if drawn {
            plan.copies
        } else {
            plan.copies.min(plan.lanes.len() as u32 + 1)
        };
        for copy in 0..one_by_one {
            engine.record(copies.lane(copy), EventKind::Start);
            copies.polled(copy);
            if drawn {
                copies.streams.push(engine.draws().next_stream());
            }
            if values.is_empty() {
                let outcome = first.fold.clone().finish();
                copies.finish(copy, outcome, 1);
            } else {
                copies.wait(&mut first, copy);
            }
        }
        copies.start_alike(one_by_one..plan.copies, &mut first);
        copies
    }

    /// Starts `rest`, copies like the last one started (untraced, delays not
    /// drawn), all at once: counted as polled, then in the last one's wait
    /// (or finished with it).
    fn start_alike(&mut self, rest: std::ops::Range<u32>, first: &mut Cohort) {
        let count = rest.end.saturating_sub(rest.start);
        if count == 0 {
            return;
        }
        self.polls += u64::from(count);
        if self.values.is_empty() {
            let outcome = first.fold.clone().finish();
            self.running -= count;
            self.window = (0, self.running);
            match self.finished.last_mut() {
                Some((copies, _, 1)) => copies.push_range(rest),
                _ => {
                    let mut copies = CopyList::default();
                    copies.push_range(rest);
                    self.finished.push((copies, outcome, 1));
                }
            }
            return;
        }
        self.window.0 += count;
        let last = self.fresh.last().and_then(|key| self.waits.get_mut(key));
        if let Some(cohort) = last.and_then(|wait| wait.cohorts.last_mut()) {
            cohort.copies.push_range(rest);
        }
    }

    /// Counts a poll of `copy` that left it running (see `window`).
    fn polled(&mut self, copy: u32) {
        self.polls += 1;
        if let Some(at) = self.last_polled.get_mut(copy as usize) {
            *at = self.polls;
        }
    }

    fn pending(&mut self) {
        self.window.0 += 1;
    }

    fn lane(&self, copy: u32) -> u32 {
        self.plan
            .lanes
            .get(copy as usize)
            .copied()
            .unwrap_or(UNTRACED)
    }

    /// Puts `copy` of `from` (whose fold has its values so far) in the wait
    /// for its next value's deadline, set in this pass.
    fn wait(&mut self, from: &mut Cohort, copy: u32) {
        self.pending();
        let stream = self.streams.get(copy as usize).copied().unwrap_or(0);
        let delay = self.delays.before(from.next as usize, stream);
        let key = (Deadline::new(self.now + delay), self.pass);
        let wait = self.waits.entry(key).or_insert_with(|| {
            self.fresh.push(key);
            Wait {
                sleep: self.engine.clock().sleep(delay),
                cohorts: Vec::new(),
            }
        });
        match wait.cohorts.last_mut() {
            Some(cohort) if cohort.origin == from.origin => cohort.copies.push(copy),
            _ => wait.cohorts.push(Cohort {
                copies: CopyList::one(copy),
                next: from.next,
                fold: from.fold.clone(),
                origin: from.origin,
            }),
        }
    }

    fn finish(&mut self, copy: u32, outcome: Outcome, cohort: u64) {
        let lane = self.lane(copy);
        if lane != UNTRACED {
            record_finish(self.engine, lane, &outcome);
            self.open[copy as usize] = false;
        }
        self.running -= 1;
        self.window = (0, self.running);
        match self.finished.last_mut() {
            Some((copies, _, from)) if *from == cohort && cohort != 0 => copies.push(copy),
            _ => self.finished.push((CopyList::one(copy), outcome, cohort)),
        }
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.pass += 1;
        self.now = self.engine.clock().now();
        let mut spent = false;
        if self.pass > 1 {
            self.window = (0, self.running);
        }
        loop {
            if !self.hand_out() {
                spent = true;
                break;
            }
            let fired = self.fired(cx);
            if fired.is_empty() {
                break;
            }
            self.due.extend(fired);
            if self.plan.copies <= JOIN_ALL_SMALL {
                self.in_copy_order();
            }
        }
        // The timers of this pass go into the queue now, in one batch: no
        // other task ran meanwhile, so each bucket holds them together.
        for key in std::mem::take(&mut self.fresh) {
            if let Some(wait) = self.waits.get_mut(&key) {
                let _ = wait.sleep.poll_unpin(cx);
            }
        }
        let (polled, running) = self.window;
        let all_polled = self.plan.copies > JOIN_ALL_SMALL && running > 0 && polled == running;
        if spent || all_polled {
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if self.running == 0 {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// The cohorts whose timers have fired, in firing order.
    fn fired(&mut self, cx: &mut Context<'_>) -> Vec<Due> {
        let small = self.plan.copies <= JOIN_ALL_SMALL;
        let mut fired = Vec::new();
        while let Some(mut entry) = self.waits.first_entry() {
            // Beyond 30 copies a copy's future is polled only once its timer
            // has fired, even when the clock has passed the deadline (a
            // busy-wait elsewhere); up to 30, `join_all` polls every copy
            // whenever it is polled, and a sleep past its deadline is done.
            let sleep = &mut entry.get_mut().sleep;
            let woken = small || sleep.has_fired();
            if !woken || sleep.poll_unpin(cx).is_pending() {
                break;
            }
            let wait = entry.remove();
            let late_ms = wait.sleep.late_ms();
            for cohort in wait.cohorts {
                self.cohorts_made += 1;
                fired.push(Due {
                    cohort,
                    late_ms,
                    id: self.cohorts_made,
                    value: 0.0,
                    folded: false,
                    finished: None,
                });
            }
        }
        fired
    }

    /// Up to 30 copies, `join_all` polls each in copy order: one cohort per
    /// copy, sorted.
    fn in_copy_order(&mut self) {
        let mut single: Vec<Due> = Vec::new();
        for due in self.due.drain(..) {
            for copy in due.cohort.copies.iter() {
                self.cohorts_made += 1;
                single.push(Due {
                    cohort: Cohort {
                        copies: CopyList::one(copy),
                        next: due.cohort.next,
                        fold: due.cohort.fold.clone(),
                        origin: 0,
                    },
                    late_ms: due.late_ms,
                    id: self.cohorts_made,
                    value: 0.0,
                    folded: false,
                    finished: None,
                });
            }
        }
        single.sort_by_key(|due| due.cohort.copies.first());
        self.due.extend(single);
    }

    /// Hands due cohorts their values; `false` when this poll's work ran out.
    fn hand_out(&mut self) -> bool {
        let engine = self.engine;
        let budget = engine.budget();
        let small = self.plan.copies <= JOIN_ALL_SMALL;
        while let Some(mut due) = self.due.pop_front() {
            if !due.folded {
                due.folded = true;
                due.value = self.values.get(due.cohort.next);
                due.cohort.fold.push(due.value);
                due.cohort.next += 1;
                due.cohort.origin = due.id;
            }
            let value = due.value;
            let last = due.cohort.next == self.values.len() || due.cohort.fold.is_settled();
            let tick = Tick {
                value,
                late_ms: Some(due.late_ms),
                blocked_ms: 0.0,
            };
            while let Some(copy) = due.cohort.copies.pop_front() {
                self.polled(copy);
                let lane = self.lane(copy);
                if let Err(message) = budget.pull(1) {
                    self.finish(copy, Outcome::Error(message), 0);
                    continue;
                }
                engine.trace_tick(lane, &tick);
                if due.cohort.fold.is_settled() {
                    let outcome = due
                        .finished
                        .get_or_insert_with(|| due.cohort.fold.clone().finish());
                    let outcome = outcome.clone();
                    self.finish(copy, outcome, due.id);
                    continue;
                }
                if self.held_per_value > 0 {
                    if let Err(message) = budget.hold(self.held_per_value) {
                        self.finish(copy, Outcome::Error(message), 0);
                        continue;
                    }
                }
                // Small `join_all`s poll every child anyway.
                let more = budget.work(WORK_PER_VALUE) || small;
                if last {
                    let outcome = due
                        .finished
                        .get_or_insert_with(|| due.cohort.fold.clone().finish());
                    let outcome = outcome.clone();
                    self.finish(copy, outcome, due.id);
                } else {
                    self.wait(&mut due.cohort, copy);
                }
                if !more {
                    if !due.cohort.copies.is_empty() {
                        self.due.push_front(due);
                    }
                    return false;
                }
            }
        }
        true
    }

    /// Every copy's outcome, in copy order: runs of copies with one
    /// outcome, not one outcome per copy.
    fn outcomes(&mut self) -> Outcomes {
        let finished = std::mem::take(&mut self.finished);
        let mut ranges: Vec<(u32, u32, usize)> = finished
            .iter()
            .enumerate()
            .flat_map(|(index, (copies, ..))| {
                copies.ranges().map(move |run| (run.start, run.end, index))
            })
            .collect();
        ranges.sort_unstable_by_key(|&(start, ..)| start);
        let mut outcomes = Outcomes::default();
        for (start, end, index) in ranges {
            outcomes.push_run(finished[index].1.clone(), (end - start) as usize);
        }
        outcomes
    }
}

impl<C: Clock> Drop for Copies<'_, C> {
    /// A stopped fan-out cancels its traced copies still running, in the
    /// order `join_all` drops its children.
    fn drop(&mut self) {
        let mut open: Vec<u32> = (0..self.open.len() as u32)
            .filter(|&copy| self.open[copy as usize])
            .collect();
        if self.plan.copies > JOIN_ALL_SMALL {
            open.sort_by_key(|&copy| std::cmp::Reverse(self.last_polled[copy as usize]));
        }
        for copy in open {
            self.engine.record(self.lane(copy), EventKind::Cancel);
        }
    }
}

mod copy_list;
#[cfg(test)]
mod tests;
