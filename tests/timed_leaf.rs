//! The timed leaf (`run/timed_leaf.rs`: an aggregator over a timed source
//! with delays, as one future) gives the same report as the general path
//! (a boxed stream and the fold apart): results, statement times, lanes,
//! every event in order, omitted counts and timer lateness, over random
//! programs on the virtual clock, also under `Rebound` (the browser's
//! re-polls) and with caps that end tasks mid-way.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/equivalence.rs"]
mod equivalence;
mod programs;

use std::rc::Rc;

use async_playground::budget::Budget;
use async_playground::clock::{EitherClock, VirtualClock};
use async_playground::lang;
use async_playground::program::{
    Delays, Group, Pacing, Program, SourceExpr, SourceKind, Task, TaskKind,
};
use async_playground::run::{Engine, Plan, Rebound};
use async_playground::source::NoIo;
use async_playground::trace::Report;
use programs::{aggregator, distribution, expr, number, task_node};
use proptest::prelude::*;

/// How a run is driven: straight on the virtual clock, or through
/// `Rebound` (self-wakes re-polled at once, as in the browser).
#[derive(Clone, Copy, Debug)]
enum Drive {
    Plain,
    Rebound,
}

/// The report of `program` with leaves `timed` (the default) or general.
fn report(program: &Program, timed: bool, drive: Drive, budget: Budget) -> Option<Report> {
    let plan = Plan::compile(program).ok()?;
    let clock = VirtualClock::new();
    let engine = Engine::with_budget(
        EitherClock::from(clock.clone()),
        plan,
        Rc::new(NoIo),
        budget,
    );
    let engine = if timed {
        engine
    } else {
        engine.with_general_leaves()
    };
    let finished = match drive {
        Drive::Plain => clock.block_on(engine.run(None)),
        Drive::Rebound => clock.block_on(Rebound::new(engine.run(None))),
    };
    Some(engine.final_report(finished.is_none()))
}

/// Both paths' reports, which must be equal (compared as text, where a NaN
/// value event equals itself), with the first differing event named.
fn same(program: &Program, drive: Drive, budget: impl Fn() -> Budget) -> Result<(), TestCaseError> {
    let timed = report(program, true, drive, budget());
    let general = report(program, false, drive, budget());
    let text = lang::format(program);
    if let (Some(a), Some(b)) = (&timed, &general) {
        equivalence::same_events(a, b, &text)?;
    }
    prop_assert_eq!(format!("{timed:?}"), format!("{general:?}"), "{}", text);
    Ok(())
}

/// Delays of every kind the timed leaf runs (zero, positive, listed, drawn,
/// busy-waited) and, now and then, none (the general path's batches).
fn pacing(count: usize) -> impl Strategy<Value = Pacing> {
    let positive = prop_oneof![(1u32..400).prop_map(f64::from), Just(0.5), Just(100.0)];
    let some = prop_oneof![Just(0.0), positive.clone()];
    let delays = prop_oneof![
        3 => Just(Delays::Every(0.0)),
        3 => positive.prop_map(Delays::Every),
        2 => prop::collection::vec(some, count).prop_map(Delays::Each),
        2 => distribution().prop_map(Delays::Drawn),
        1 => Just(Delays::None),
    ];
    (delays, prop::bool::weighted(0.15)).prop_map(|(delays, blocking)| Pacing {
        blocking: blocking && !matches!(delays, Delays::Drawn(_)),
        delays,
    })
}

/// A timed source of 0 to 5 values, or of thousands (past a poll's work,
/// so its leaf yields for the budget too).
fn timed() -> impl Strategy<Value = SourceExpr> {
    let count = prop_oneof![6 => 0usize..6, 1 => 4000usize..9000];
    (count, 0u8..3, any::<bool>())
        .prop_flat_map(|(n, kind, busy)| {
            let values = prop::collection::vec(number(), n.min(5));
            (
                Just(n),
                values,
                pacing(n.clamp(1, 5)),
                Just(kind),
                Just(busy),
            )
        })
        .prop_map(|(n, values, mut pacing, kind, busy)| {
            if n > 5 {
                // Thousands of values, hopping or busy-waiting a little
                // (which spends a poll's work and yields for it), so the
                // run stays short.
                pacing = Pacing {
                    delays: Delays::Every(if busy { 0.01 } else { 0.0 }),
                    blocking: busy,
                };
            }
            expr(match kind {
                0 if n <= 5 => SourceKind::Values { values, pacing },
                0 | 1 => SourceKind::Range {
                    count: n as u64,
                    pacing,
                },
                _ => SourceKind::Random {
                    count: n as u64,
                    low: 1.0,
                    high: 6.0,
                    seed: 7,
                    pacing,
                },
            })
        })
}

/// Timed leaves in groups that interleave them (gather), cancel them (race,
/// any, timeout) or hold them back (limit), nested once.
fn statement() -> impl Strategy<Value = Task> {
    let leaf = (aggregator(), timed()).prop_map(|(aggregator, source)| {
        task_node(None, TaskKind::Aggregate { aggregator, source })
    });
    leaf.prop_recursive(2, 12, 4, |inner| {
        let group = prop_oneof![
            1 => Just(Group::Sequential),
            2 => Just(Group::Gather),
            1 => Just(Group::Race),
            1 => Just(Group::Any),
            1 => (1u64..3).prop_map(Group::Limit),
            1 => (1u32..600).prop_map(|ms| Group::Timeout(f64::from(ms))),
            1 => Just(Group::Timeout(0.0)),
        ];
        (group, prop::collection::vec(inner, 0..4))
            .prop_map(|(group, children)| task_node(None, TaskKind::Group { group, children }))
    })
}

fn program() -> impl Strategy<Value = Program> {
    programs::program_over(
        prop::collection::vec(timed(), 2),
        prop::collection::vec(statement(), 1..3),
    )
}

/// Runs `cases` random programs from `strategy` through [`same`] (or
/// `TIMED_LEAF_CASES` of them), on a thread with room for the deep value
/// trees of debug builds.
fn check<S: Strategy<Value = Program> + 'static>(cases: u32, strategy: fn() -> S) {
    equivalence::check_cases("TIMED_LEAF_CASES", cases, strategy, |program| {
        same(&program, Drive::Plain, Budget::default)?;
        same(&program, Drive::Rebound, Budget::default)
    });
}

#[test]
fn timed_leaves_report_what_the_general_path_reports() {
    check(300, program);
}

/// Random programs of every shape (the language's generator, real I/O
/// included, which fails at once without a browser).
#[test]
fn any_program_reports_the_same() {
    check(200, programs::program);
}

#[test]
fn caps_end_the_same_tasks_at_the_same_value() {
    // The value cap, the memory cap (collected values) and the blocking cap
    // end tasks mid-way; the trace's value cap (past 1000 values a lane)
    // turns values into omitted counts.
    let text = "gather(sum(range(3000) every 0s), collect(range(2000) every 0s), \
                count([1, 2, 3] every 1ms blocking), collect([4, 5] every 1ms))\n\
                sequential(3 * max(range(900) every 0s))";
    let program = lang::parse(text).unwrap();
    for (values, bytes, blocking) in [
        (2500, u64::MAX, 1000.0),
        (u64::MAX, 48 * 1500, 1000.0),
        (u64::MAX, u64::MAX, 1.5),
        (u64::MAX, u64::MAX, 1000.0),
    ] {
        let budget = || Budget::with_caps(blocking, values, bytes);
        for drive in [Drive::Plain, Drive::Rebound] {
            same(&program, drive, budget).unwrap();
        }
        let report = report(&program, true, Drive::Plain, budget()).unwrap();
        let outcome = report.statements[0].outcome.to_string();
        if values < u64::MAX || bytes < u64::MAX || blocking < 2.0 {
            assert!(outcome.contains("cap reached"), "{outcome}");
        } else {
            assert!(report.events_omitted > 0, "the trace's caps were reached");
        }
    }
}

#[test]
fn the_timed_leaf_takes_the_shapes_it_fits() {
    // The general path's value events are what the timed leaf records: a
    // zero-delay leaf between two others interleaves with them value by value.
    let program = lang::parse("gather(sum([1, 2] every 0s), collect([3, 4] every 0s))").unwrap();
    let report = report(&program, true, Drive::Plain, Budget::default()).unwrap();
    let lanes: Vec<u32> = report
        .events
        .iter()
        .filter(|e| matches!(e.kind, async_playground::trace::EventKind::Value { .. }))
        .map(|e| e.lane)
        .collect();
    assert_eq!(lanes, [1, 2, 1, 2]);
    assert_eq!(report.statements[0].outcome.to_string(), "[3, [3, 4]]");
}
