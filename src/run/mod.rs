//! The engine: runs a program's statements in order, each task an aggregator
//! over a fresh source or a group (sequential, gather, race, any, limit, timeout),
//! generic over the [`Clock`](crate::clock::Clock).

mod engine;
mod fan_out;
mod lane_guard;
mod plan;
mod rebound;
mod seeds;
mod timed_leaf;

pub use engine::Engine;
pub(crate) use plan::Node;
pub use plan::{Copies, Plan, PlanError};
pub use rebound::{Hops, Rebound};
pub use seeds::{percentile, Bin, SeedRuns, StatementSpread};

use std::rc::Rc;

use crate::clock::{Clock, EitherClock, VirtualClock};
use crate::program::Program;
use crate::source::NoIo;
use crate::trace::Report;

/// Each statement's elapsed time with zero overhead: a run on a fresh
/// virtual clock, where time only passes in sleeps and busy-waits, of a plan
/// with fan-outs collapsed ([`Plan::compile_for_ideal`]). A statement with no
/// delay anywhere is 0 without simulating it. Real I/O is not simulated and
/// counts as instant.
pub fn ideal_times(program: &Program) -> Result<Vec<f64>, PlanError> {
    ideal_times_copies(program, Copies::FanOut)
}

/// [`ideal_times`], choosing how `gather(N * task)` runs its copies.
pub fn ideal_times_copies(program: &Program, copies: Copies) -> Result<Vec<f64>, PlanError> {
    let ideals = Ideals::with_copies(program, copies)?;
    Ok(ideals.clock().block_on(ideals.times()).unwrap_or_default())
}

/// The simulation behind [`ideal_times`], to drive in slices
/// ([`VirtualClock::advance`]) so a long one neither freezes the page nor
/// ignores a stop.
///
/// ```
/// use async_playground::{lang, run::Ideals};
/// let program = lang::parse("sum([1, 2] every 1s)\nsum([3])").unwrap();
/// let ideals = Ideals::new(&program).unwrap();
/// assert_eq!(ideals.clock().block_on(ideals.times()), Some(vec![2000.0, 0.0]));
/// ```
pub struct Ideals {
    clock: VirtualClock,
    engine: Engine<EitherClock>,
}

impl Ideals {
    pub fn new(program: &Program) -> Result<Ideals, PlanError> {
        Ideals::with_copies(program, Copies::FanOut)
    }

    fn with_copies(program: &Program, copies: Copies) -> Result<Ideals, PlanError> {
        let plan = Plan::compile_with(program, true, copies)?;
        let clock = VirtualClock::new();
        let engine = Engine::new(clock.clone().into(), plan, Rc::new(NoIo));
        Ok(Ideals { clock, engine })
    }

    /// The clock to drive [`Ideals::times`] on.
    pub fn clock(&self) -> &VirtualClock {
        &self.clock
    }

    /// Each statement's ideal time, in order.
    pub async fn times(&self) -> Vec<f64> {
        let statements = &self.engine.plan().statements;
        let mut times = Vec::with_capacity(statements.len());
        for (index, node) in statements.iter().enumerate() {
            if !node.takes_time() {
                times.push(0.0);
                continue;
            }
            let start = self.clock.now();
            self.engine.statement(index, node).await;
            times.push(self.clock.since(start));
        }
        times
    }
}

/// Runs a program on the virtual clock: instantly, deterministically, with
/// exact times.
///
/// ```
/// use async_playground::program::*;
/// use async_playground::run::run_virtual;
/// let source = |values: &[f64]| SourceExpr {
///     kind: SourceKind::Values {
///         values: values.to_vec(),
///         pacing: Pacing { delays: Delays::Every(1000.0), blocking: false },
///     },
///     span: Span::NONE,
/// };
/// let collect = |values: &[f64]| Task {
///     label: None,
///     kind: TaskKind::Aggregate { aggregator: Aggregator::Collect, source: source(values) },
///     span: Span::NONE,
/// };
/// let gather = Task {
///     label: None,
///     kind: TaskKind::Group {
///         group: Group::Gather,
///         children: vec![collect(&[10.0, 20.0, 40.0]), collect(&[50.0, 500.0, 5000.0])],
///     },
///     span: Span::NONE,
/// };
/// let report = run_virtual(&Program { statements: vec![gather], ..Program::default() }).unwrap();
/// assert_eq!(report.elapsed_ms, 3000.0);
/// assert_eq!(report.statements[0].outcome.to_string(), "[[10, 20, 40], [50, 500, 5000]]");
/// ```
pub fn run_virtual(program: &Program) -> Result<Report, PlanError> {
    run_virtual_copies(program, Copies::FanOut)
}

/// [`run_virtual`], choosing how `gather(N * task)` runs its copies: the
/// same report either way.
pub fn run_virtual_copies(program: &Program, copies: Copies) -> Result<Report, PlanError> {
    let plan = Plan::compile_copies(program, copies)?;
    let clock = VirtualClock::new();
    let engine = Engine::new(EitherClock::from(clock.clone()), plan, Rc::new(NoIo));
    let finished = clock.block_on(engine.run(None));
    Ok(engine.final_report(finished.is_none()))
}
