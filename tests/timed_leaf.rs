//! The timed leaf (`run/timed_leaf.rs`: an aggregator over a timed source
//! with delays, as one future) gives the same report as the general path
//! (a boxed stream and the fold apart): results, statement times, lanes,
//! every event in order, omitted counts and timer lateness, over random
//! programs on the virtual clock, also under `Rebound` (the browser's
//! re-polls) and with caps that end tasks mid-way. A statement that is one
//! timed leaf takes its hops in place from the `Rebound`'s re-polls
//! (`run::Hops`): the same report again, and the same polls of the
//! `Rebound` and asks of its turn.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/equivalence.rs"]
mod equivalence;
mod programs;

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use async_playground::budget::Budget;
use async_playground::clock::{EitherClock, VirtualClock};
use async_playground::lang;
use async_playground::program::{
    Delays, Group, Pacing, Program, SourceExpr, SourceKind, Task, TaskKind,
};
use async_playground::run::{Engine, Hops, Plan, Rebound};
use async_playground::source::NoIo;
use async_playground::trace::Report;
use programs::{aggregator, distribution, expr, number, task_node};
use proptest::prelude::*;

/// How a run is driven: straight on the virtual clock, or through
/// `Rebound` (self-wakes re-polled at once, as in the browser), whose turn
/// ends every `turn` asks; with `InPlace`, a statement that is one timed
/// leaf takes its hops in place from the same re-polls (the browser's run).
#[derive(Clone, Copy, Debug)]
enum Drive {
    Plain,
    Rebound { turn: u64 },
    InPlace { turn: u64 },
}

/// A run's report, its polls of the `Rebound` (the browser's microtasks)
/// and how often the `Rebound` asked whether the turn goes on.
#[derive(Debug)]
struct Run {
    report: Report,
    polls: u64,
    asks: u64,
}

/// The run of `program` with leaves `timed` (the default) or general.
fn run(program: &Program, timed: bool, drive: Drive, budget: Budget) -> Option<Run> {
    let plan = Plan::compile(program).ok()?;
    let clock = VirtualClock::new();
    let (polls, asks) = (Cell::new(0), Rc::new(Cell::new(0)));
    let hops = match drive {
        Drive::Plain => None,
        Drive::Rebound { turn } | Drive::InPlace { turn } => {
            let asks = asks.clone();
            Some(Hops::new(move || {
                asks.set(asks.get() + 1);
                asks.get() % turn != 0
            }))
        }
    };
    let mut engine = Engine::with_budget(
        EitherClock::from(clock.clone()),
        plan,
        Rc::new(NoIo),
        budget,
    );
    if !timed {
        engine = engine.with_general_leaves();
    }
    if let (Drive::InPlace { .. }, Some(hops)) = (drive, &hops) {
        engine = engine.with_hops(hops.clone());
    }
    let finished = match hops {
        None => clock.block_on(engine.run(None)),
        Some(hops) => {
            let mut rebound = Box::pin(Rebound::with_hops(engine.run(None), hops));
            clock.block_on(futures::future::poll_fn(|cx| {
                polls.set(polls.get() + 1);
                rebound.as_mut().poll(cx)
            }))
        }
    };
    Some(Run {
        report: engine.final_report(finished.is_none()),
        polls: polls.get(),
        asks: asks.get(),
    })
}

/// Both paths' runs, which must be equal (reports compared as text, where a
/// NaN value event equals itself), with the first differing event named.
/// Under `InPlace`, only timed leaves hop in place: so it is also the same
/// as the general path's `Rebound`.
fn same(program: &Program, drive: Drive, budget: impl Fn() -> Budget) -> Result<(), TestCaseError> {
    let timed = run(program, true, drive, budget());
    let general = run(program, false, drive, budget());
    let text = lang::format(program);
    if let (Some(a), Some(b)) = (&timed, &general) {
        equivalence::same_events(&a.report, &b.report, &text)?;
    }
    let counts = |run: &Option<Run>| run.as_ref().map(|r| (r.polls, r.asks));
    prop_assert_eq!(counts(&timed), counts(&general), "polls, asks: {}", text);
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
        same(&program, Drive::Rebound { turn: u64::MAX }, Budget::default)?;
        same(&program, Drive::InPlace { turn: u64::MAX }, Budget::default)?;
        // The page's turn ends now and then, in the middle of a Rebound's poll.
        same(&program, Drive::InPlace { turn: 97 }, Budget::default)
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
        for drive in [
            Drive::Plain,
            Drive::Rebound { turn: u64::MAX },
            Drive::InPlace { turn: u64::MAX },
            Drive::InPlace { turn: 5 },
        ] {
            same(&program, drive, budget).unwrap();
        }
        let report = run(&program, true, Drive::Plain, budget()).unwrap().report;
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
    let report = run(&program, true, Drive::Plain, Budget::default())
        .unwrap()
        .report;
    let lanes: Vec<u32> = report
        .events
        .iter()
        .filter(|e| matches!(e.kind, async_playground::trace::EventKind::Value { .. }))
        .map(|e| e.lane)
        .collect();
    assert_eq!(lanes, [1, 2, 1, 2]);
    assert_eq!(report.statements[0].outcome.to_string(), "[3, [3, 4]]");
}

#[test]
fn a_lone_timed_leaf_takes_its_hops_in_place() {
    // B3's program: under `Rebound` alone, every hop is a poll of the run;
    // with the hops shared, the leaf takes them in place, and the run is
    // polled once per poll of the `Rebound` (1024 re-polls each), with the
    // same report, the same polls of the `Rebound` and the same asks.
    let program = lang::parse("sum(range(5000) every 0s)\ncount(range(3) every 0s)").unwrap();
    let runs = [false, true].map(|in_place| {
        let clock = VirtualClock::new();
        let plan = Plan::compile(&program).unwrap();
        let mut engine = Engine::new(EitherClock::from(clock.clone()), plan, Rc::new(NoIo));
        let asks = Rc::new(Cell::new(0u64));
        let hops = Hops::new({
            let asks = asks.clone();
            move || {
                asks.set(asks.get() + 1);
                true
            }
        });
        if in_place {
            engine = engine.with_hops(hops.clone());
        }
        let (polls, run_polls) = (Cell::new(0u64), Cell::new(0u64));
        let mut run = Box::pin(engine.run(None));
        let counted = futures::future::poll_fn(|cx| {
            run_polls.set(run_polls.get() + 1);
            run.as_mut().poll(cx)
        });
        let mut rebound = Box::pin(Rebound::with_hops(counted, hops));
        clock.block_on(futures::future::poll_fn(|cx| {
            polls.set(polls.get() + 1);
            rebound.as_mut().poll(cx)
        }));
        drop(rebound);
        let report = format!("{:?}", engine.final_report(false));
        (report, polls.get(), asks.get(), run_polls.get())
    });
    let [(rebound, polls, asks, run_polls), (in_place, in_place_polls, in_place_asks, in_place_run_polls)] =
        runs;
    assert_eq!(rebound, in_place);
    assert!(rebound.contains("12497500"), "{rebound}");
    assert_eq!((polls, asks), (in_place_polls, in_place_asks));
    // 5003 hops and the runs' ends, 1024 polls of the run per poll of the Rebound.
    assert_eq!(polls, 5);
    assert_eq!(run_polls, 5004);
    assert_eq!(in_place_run_polls, polls);
}
