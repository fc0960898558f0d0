use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use futures::future::Either;
use futures::stream::StreamExt;
use futures::FutureExt;

use super::lane_guard::LaneGuard;
use super::plan::{Node, Plan};
use super::rebound::Hops;
use super::timed_leaf::TimedLeaf;
use crate::aggregate::{AnyFold, Fold, Outcome};
use crate::budget::{yield_now, BYTES_PER_COLLECTED_VALUE};
use crate::clock::Clock;
use crate::distribution::Draws;
use crate::source::{open, Budget, Notes, OpenIo, SourcePlan, Tick};
use crate::trace::{EventKind, Report, StatementReport, Trace, UNTRACED};

mod group;

/// Runs a [`Plan`] on a clock, recording a [`Trace`].
///
/// One engine runs one plan once. Stopping a run is dropping its future:
/// every pending sleep is cancelled and every unfinished lane gets a
/// `cancel` event.
pub struct Engine<C: Clock> {
    clock: C,
    budget: Budget,
    draws: Draws,
    io: Rc<dyn OpenIo>,
    /// The plan it runs (shared: Run ×N runs one plan under many seeds).
    plan: Rc<Plan>,
    trace: Rc<RefCell<Trace>>,
    statements: RefCell<Vec<StatementReport>>,
    /// Whether a leaf over a timed source runs as one [`TimedLeaf`].
    timed_leaves: bool,
    /// The re-polls of the `Rebound` driving the run, which a statement
    /// that is one timed leaf takes in place.
    hops: Option<Hops>,
}

impl<C: Clock> Engine<C> {
    /// An engine that runs `plan` (given once: [`Engine::run`] runs it).
    pub fn new(clock: C, plan: impl Into<Rc<Plan>>, io: Rc<dyn OpenIo>) -> Engine<C> {
        Engine::with_budget(clock, plan, io, Budget::default())
    }

    /// An engine whose run spends from `budget` (its caps, its turn check).
    pub fn with_budget(
        clock: C,
        plan: impl Into<Rc<Plan>>,
        io: Rc<dyn OpenIo>,
        budget: Budget,
    ) -> Engine<C> {
        let plan = plan.into();
        Engine {
            clock,
            budget,
            draws: Draws::new(plan.seed),
            io,
            trace: Rc::new(RefCell::new(plan.trace.clone())),
            plan,
            statements: RefCell::default(),
            timed_leaves: true,
            hops: None,
        }
    }

    /// Lets a statement that is one timed leaf take its hops in place, from
    /// the re-polls of the [`Rebound`](super::Rebound) that drives the run
    /// (built with the same `hops`): the same run, with cheaper hops.
    ///
    /// ```
    /// use async_playground::clock::{EitherClock, VirtualClock};
    /// use async_playground::run::{Engine, Hops, Plan, Rebound};
    /// use async_playground::source::NoIo;
    /// let program = async_playground::lang::parse("sum(range(5000) every 0s)").unwrap();
    /// let clock = VirtualClock::new();
    /// let hops = Hops::new(|| true);
    /// let engine = Engine::new(EitherClock::from(clock.clone()), Plan::compile(&program).unwrap(), std::rc::Rc::new(NoIo))
    ///     .with_hops(hops.clone());
    /// clock.block_on(Rebound::with_hops(engine.run(None), hops));
    /// assert_eq!(engine.final_report(false).statements[0].outcome.to_string(), "12497500");
    /// ```
    pub fn with_hops(mut self, hops: Hops) -> Engine<C> {
        self.hops = Some(hops);
        self
    }

    /// Runs every leaf on the general path (a boxed stream and the fold
    /// apart), not as timed leaves (`run/timed_leaf.rs`): the same report, for
    /// tests to compare.
    ///
    /// ```
    /// use async_playground::clock::{EitherClock, VirtualClock};
    /// use async_playground::run::{Engine, Plan};
    /// use async_playground::source::NoIo;
    /// let program = async_playground::lang::parse("sum([1, 2] every 0s)").unwrap();
    /// let clock = VirtualClock::new();
    /// let plan = Plan::compile(&program).unwrap();
    /// let engine = Engine::new(EitherClock::from(clock.clone()), plan, std::rc::Rc::new(NoIo))
    ///     .with_general_leaves();
    /// clock.block_on(engine.run(None));
    /// assert_eq!(engine.final_report(false).statements[0].outcome.to_string(), "3");
    /// ```
    pub fn with_general_leaves(mut self) -> Engine<C> {
        self.timed_leaves = false;
        self
    }

    /// Draws random delays from `seed` instead of the program's: Run ×N
    /// runs one plan under many seeds.
    pub fn with_seed(mut self, seed: u64) -> Engine<C> {
        self.draws = Draws::new(seed);
        self
    }

    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// Records notes from an I/O source (request sent, headers) on `lane`.
    fn notes(&self, lane: u32) -> Notes {
        let (trace, clock) = (self.trace.clone(), self.clock.clone());
        Rc::new(move |text: &str| {
            let t = clock.now();
            if let Ok(mut trace) = trace.try_borrow_mut() {
                trace.record(lane, t, EventKind::Note { text: text.into() });
            }
        })
    }

    pub(super) fn record(&self, lane: u32, kind: EventKind) {
        if lane == UNTRACED {
            return;
        }
        let t = self.clock.now();
        self.trace.borrow_mut().record(lane, t, kind);
    }

    /// The random streams of this run's drawn delays.
    pub(super) fn draws(&self) -> &Draws {
        &self.draws
    }

    /// The run's budgets: work per poll, blocking, values, bytes held.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Runs every statement in order. `ideals` gives each statement's ideal
    /// time (from a virtual run); without it, the elapsed time is the ideal,
    /// which is exact on the virtual clock. Every poll of it does a bounded
    /// amount of work ([`Budget`]).
    pub fn run<'a>(&'a self, ideals: Option<&'a [f64]>) -> impl Future<Output = ()> + 'a {
        self.budget.sliced(self.statements(ideals))
    }

    /// The plan this engine runs.
    pub(crate) fn plan(&self) -> &Plan {
        &self.plan
    }

    async fn statements(&self, ideals: Option<&[f64]>) {
        for (index, node) in self.plan.statements.iter().enumerate() {
            self.draws.begin_statement(index);
            let start_ms = self.clock.now();
            let outcome = self.node_hopping(node, self.hops.as_ref()).await;
            let elapsed_ms = self.clock.since(start_ms);
            let ideal_ms = ideals
                .and_then(|ideals| ideals.get(index).copied())
                .unwrap_or(elapsed_ms);
            let lane = node.lane();
            let label = self
                .trace
                .borrow()
                .lanes()
                .get(lane as usize)
                .map_or_else(|| Rc::from(""), |l| l.label.clone());
            self.statements.borrow_mut().push(StatementReport {
                lane,
                label,
                start_ms,
                elapsed_ms,
                ideal_ms,
                outcome,
            });
        }
    }

    /// Runs every statement in order and returns only their elapsed times:
    /// the lightweight path of [`SeedRuns`](super::SeedRuns), for untraced plans.
    pub fn elapsed_times(&self) -> impl Future<Output = Vec<f64>> + '_ {
        self.budget.sliced(async move {
            let statements = &self.plan.statements;
            let mut times = Vec::with_capacity(statements.len());
            for (index, node) in statements.iter().enumerate() {
                self.draws.begin_statement(index);
                let start_ms = self.clock.now();
                self.node(node).await;
                times.push(self.clock.since(start_ms));
            }
            times
        })
    }

    /// Runs statement number `index` alone, for [`ideal_times`](super::ideal_times).
    pub(crate) async fn statement(&self, index: usize, node: &Node) -> Outcome {
        self.draws.begin_statement(index);
        self.budget.sliced(self.node(node)).await
    }

    /// Lanes and events recorded since the last call, for live delivery.
    pub fn with_new_events<R>(
        &self,
        deliver: impl FnOnce(&[crate::trace::Lane], &[crate::trace::Event]) -> R,
    ) -> R {
        let mut trace = self.trace.borrow_mut();
        let (lanes, events) = trace.take_new();
        deliver(lanes, events)
    }

    /// The report so far: after the run, or after it was stopped.
    pub fn report(&self, cancelled: bool) -> Report {
        let statements = self.statements.borrow().clone();
        self.report_of(cancelled, statements, self.trace.borrow().clone())
    }

    /// The last report of a run: like [`Engine::report`], but it moves the
    /// results and the trace in instead of copying them (0.6 ms of a
    /// 1000-source run's 1.3), so a later report is empty.
    pub fn final_report(&self, cancelled: bool) -> Report {
        let statements = std::mem::take(&mut *self.statements.borrow_mut());
        let trace = std::mem::take(&mut *self.trace.borrow_mut());
        self.report_of(cancelled, statements, trace)
    }

    fn report_of(&self, cancelled: bool, statements: Vec<StatementReport>, trace: Trace) -> Report {
        let elapsed_ms = self.clock.now();
        let mut report = Report {
            clock: self.clock.kind(),
            cancelled,
            elapsed_ms,
            ideal_ms: statements.iter().map(|s| s.ideal_ms).sum(),
            ideal_exact: !self.plan.uses_io,
            statements,
            lanes: Vec::new(),
            events: Vec::new(),
            lanes_omitted: 0,
            events_omitted: 0,
            lateness: Default::default(),
        };
        trace.fill(&mut report);
        report
    }

    /// A leaf's future is returned inline, only a group's is boxed (groups
    /// recurse): a fan-out of 10^6 leaves saves 10^6 allocations.
    fn node<'a>(&'a self, node: &'a Node) -> impl Future<Output = Outcome> + 'a {
        self.node_hopping(node, None)
    }

    /// [`Engine::node`]; a timed leaf takes its hops in place from `hops`
    /// (a statement's own node only: nothing else runs beside it).
    fn node_hopping<'a>(
        &'a self,
        node: &'a Node,
        hops: Option<&'a Hops>,
    ) -> impl Future<Output = Outcome> + 'a {
        match node {
            Node::Leaf {
                lane,
                aggregator,
                source,
            } => Either::Left(
                match self
                    .timed_leaves
                    .then(|| TimedLeaf::new(self, *lane, *aggregator, source, hops))
                    .flatten()
                {
                    Some(timed) => Either::Left(timed),
                    None => Either::Right(self.leaf(*lane, AnyFold::new(*aggregator), source)),
                },
            ),
            Node::Group {
                lane,
                group,
                children,
            } => Either::Right(self.group(*lane, *group, children).boxed_local()),
            Node::FanOut { lane, copies } => {
                Either::Right(self.fan_out(*lane, copies).boxed_local())
            }
        }
    }

    async fn leaf(&self, lane: u32, mut fold: AnyFold, source: &SourcePlan) -> Outcome {
        let guard = LaneGuard::start(self, lane);
        let notes = self.plan.uses_io.then(|| self.notes(lane));
        let mut stream = open(
            source,
            &self.clock,
            &self.budget,
            &self.draws,
            &*self.io,
            notes.as_ref(),
        );
        let mut count = 0u64;
        let mut batch = Vec::new();
        let held_per_value = held_per_value(&fold);
        let check_batches = source.may_yield_non_finite();
        let may_batch = source.may_be_ready();
        // `first` stops pulling after one value; the fused path pulls many.
        let may_fuse = may_batch && !check_batches && !matches!(fold, AnyFold::First(_));
        let outcome = loop {
            if may_fuse && !self.trace.borrow().wants_value(lane) {
                let folded = stream.fold_ready(&mut fold, FUSED_BATCH);
                if folded > 0 {
                    count += folded as u64;
                    self.trace.borrow_mut().omit_values(lane, folded);
                    if let Err(message) = self.budget.hold(held_per_value * folded as u64) {
                        break Outcome::Error(message);
                    }
                    if !self.budget.work(folded as u32) {
                        yield_now().await;
                    }
                    continue;
                }
            }
            batch.clear();
            if may_batch && stream.ready_values(&mut batch, READY_BATCH) > 0 {
                // `all` vectorises; the position is only looked for on failure.
                if check_batches && !batch.iter().all(|v| v.is_finite()) {
                    let bad = batch.iter().position(|v| !v.is_finite()).unwrap_or(0);
                    break not_finite(count + bad as u64 + 1, batch[bad]);
                }
                count += batch.len() as u64;
                self.trace_values(lane, &batch);
                fold.push_all(&batch);
                if fold.is_settled() {
                    break fold.finish();
                }
                if let Err(message) = self.budget.hold(held_per_value * batch.len() as u64) {
                    break Outcome::Error(message);
                }
                if !self.budget.work(batch.len() as u32) {
                    yield_now().await;
                }
                continue;
            }
            match stream.next().await {
                None => break fold.finish(),
                Some(Err(message)) => break Outcome::Error(message),
                Some(Ok(tick)) => {
                    count += 1;
                    self.trace_tick(lane, &tick);
                    match self.fold_tick(&mut fold, &tick, count, held_per_value) {
                        AfterTick::Next => {}
                        AfterTick::Yield => yield_now().await,
                        AfterTick::Stop => break fold.finish(),
                        AfterTick::Fail(outcome) => break outcome,
                    }
                }
            }
        };
        guard.finish(&outcome);
        outcome
    }

    /// Value number `count` of a leaf, polled alone and traced: checked,
    /// folded, its memory and work counted.
    #[inline(always)]
    pub(super) fn fold_tick(
        &self,
        fold: &mut AnyFold,
        tick: &Tick,
        count: u64,
        held_per_value: u64,
    ) -> AfterTick {
        if !tick.value.is_finite() {
            return AfterTick::Fail(not_finite(count, tick.value));
        }
        fold.push(tick.value);
        if fold.is_settled() {
            return AfterTick::Stop;
        }
        if held_per_value > 0 {
            if let Err(message) = self.budget.hold(held_per_value) {
                return AfterTick::Fail(Outcome::Error(message));
            }
        }
        if self.budget.work(Budget::POLLED_WORK) {
            AfterTick::Next
        } else {
            AfterTick::Yield
        }
    }

    fn trace_values(&self, lane: u32, values: &[f64]) {
        let mut trace = self.trace.borrow_mut();
        if trace.wants_value(lane) {
            trace.record_values(lane, self.clock.now(), values);
        } else {
            trace.omit_values(lane, values.len());
        }
    }

    /// Records `tick` on `lane`, or counts it as omitted past the lane's
    /// traced values: `false` then, and for every later value of the lane.
    pub(super) fn trace_tick(&self, lane: u32, tick: &Tick) -> bool {
        let mut trace = self.trace.borrow_mut();
        if let Some(late_ms) = tick.late_ms {
            trace.record_lateness(late_ms);
        }
        // Past a lane's traced values, busy-waits are counted too: 10^6 tiny
        // ones must not make a 200 000-event report.
        if !trace.wants_value(lane) {
            trace.omit_values(lane, 1);
            return false;
        }
        let now = self.clock.now();
        if tick.blocked_ms > 0.0 {
            let ms = tick.blocked_ms;
            trace.record(lane, now - ms, EventKind::Block { ms });
        }
        let late_ms = tick.late_ms.unwrap_or(0.0);
        let value = tick.value;
        trace.record(lane, now, EventKind::Value { value, late_ms });
        true
    }

    /// Counts `count` values of `lane` as omitted from the trace.
    pub(super) fn omit_values(&self, lane: u32, count: u64) {
        self.trace.borrow_mut().omit_values(lane, count as usize);
    }
}

/// What a leaf does after [`Engine::fold_tick`].
pub(super) enum AfterTick {
    /// Poll the source for the next value.
    Next,
    /// This poll's work is spent: yield once, then go on.
    Yield,
    /// The fold is settled: finish it.
    Stop,
    /// The task fails with this outcome.
    Fail(Outcome),
}

/// Bytes a leaf holds per value until the run ends: collected values count.
pub(super) fn held_per_value(fold: &AnyFold) -> u64 {
    match fold {
        AnyFold::Collect(_) => BYTES_PER_COLLECTED_VALUE,
        _ => 0,
    }
}

/// Values pulled from a ready source per step of the fast path.
const READY_BATCH: usize = 1024;
/// Values folded per step of the fused path (no buffer, so it can be long).
const FUSED_BATCH: usize = 1 << 16;

fn not_finite(position: u64, value: f64) -> Outcome {
    Outcome::Error(format!(
        "value #{position} is {}: aggregators take finite numbers only",
        crate::float_text::FloatText::plain(value)
    ))
}

impl Node {
    pub(crate) fn lane(&self) -> u32 {
        match self {
            Node::Leaf { lane, .. } | Node::Group { lane, .. } | Node::FanOut { lane, .. } => *lane,
        }
    }

    /// Whether any source below waits or busy-waits: otherwise the node
    /// takes no time at all, on any clock with zero overhead.
    pub(crate) fn takes_time(&self) -> bool {
        match self {
            Node::Leaf { source, .. } => source.takes_time(),
            Node::FanOut { copies, .. } => copies.source.takes_time(),
            Node::Group { children, .. } => children.iter().any(Node::takes_time),
        }
    }

    /// Whether any source below draws random delays.
    pub(crate) fn draws(&self) -> bool {
        match self {
            Node::Leaf { source, .. } => source.draws(),
            Node::FanOut { copies, .. } => copies.source.draws(),
            Node::Group { children, .. } => children.iter().any(Node::draws),
        }
    }

    /// Whether any source below busy-waits, stalling everything else.
    pub(crate) fn blocks(&self) -> bool {
        match self {
            Node::Leaf { source, .. } => source.blocks(),
            Node::FanOut { copies, .. } => copies.source.blocks(),
            Node::Group { children, .. } => children.iter().any(Node::blocks),
        }
    }
}
