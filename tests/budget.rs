#![cfg(not(target_arch = "wasm32"))]
//! The run's budgets on the virtual clock: every long loop returns control
//! within its work budget, and the run-time caps (values made, bytes held,
//! real blocking time) stop a run with a clear error.

#[path = "common/cpu_time.rs"]
mod cpu_time;

use std::pin::pin;
use std::rc::Rc;
use std::time::Duration;

use async_playground::budget::{Budget, BYTES_PER_COLLECTED_VALUE, MAX_HELD_BYTES};
use async_playground::clock::{Progress, VirtualClock};
use async_playground::lang;
use async_playground::program::{Program, SourceExpr, SourceKind, Task, TaskKind};
use async_playground::run::{run_virtual, Engine, Plan};
use async_playground::source::NoIo;
use async_playground::trace::Report;
use cpu_time::{within, Stopwatch};

/// `text` with every `range(...)` count set to `count`: programs the
/// checker would refuse, built in Rust, must not hurt the engine either.
fn widened(text: &str, count: u64) -> Program {
    fn source(expr: &mut SourceExpr, count: u64) {
        match &mut expr.kind {
            SourceKind::Range { count: c, .. } => *c = count,
            _ => expr.inputs_mut().iter_mut().for_each(|i| source(i, count)),
        }
    }
    fn task(task_: &mut Task, count: u64) {
        match &mut task_.kind {
            TaskKind::Aggregate { source: s, .. } => source(s, count),
            TaskKind::Group { children, .. } => children.iter_mut().for_each(|c| task(c, count)),
            TaskKind::Repeat { task: t, .. } => task(t, count),
        }
    }
    let mut program = lang::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
    program
        .sources
        .iter_mut()
        .for_each(|d| source(&mut d.body, count));
    program.statements.iter_mut().for_each(|t| task(t, count));
    program
}

/// Runs `program` to the end on the virtual clock and returns how many
/// polls it took and the longest CPU time one poll took.
fn polls(program: &Program) -> (u64, Duration) {
    let plan = Plan::compile(program).expect("plan");
    let clock = VirtualClock::new();
    let engine = Engine::new(clock.clone(), plan, Rc::new(NoIo));
    let mut work = pin!(engine.run(None));
    let (mut count, mut longest, mut last) = (1u64, Duration::ZERO, Stopwatch::start());
    let progress = clock.advance(work.as_mut(), || {
        count += 1;
        longest = longest.max(last.elapsed());
        last = Stopwatch::start();
        true
    });
    assert!(matches!(progress, Progress::Done(())));
    (count, longest.max(last.elapsed()))
}

/// Without the budget the first poll would run to the end (2^53 values: for
/// good). A poll in an unoptimised build, with room for a busy machine (one
/// stall is measured again: see `cpu_time::within`).
const LONGEST_POLL: Duration = Duration::from_secs(1);

#[test]
fn each_long_loop_returns_within_its_work_budget() {
    // Each kind of long loop, how many values it runs, and the work units
    // each value costs at least: a poll does at most a poll's work and one
    // more batch, so the run takes at least this many polls.
    let cases = [
        // The fused path: a plain ready fold.
        ("sum(range(10))", 1 << 22, 1),
        // Ready batches (a lane still tracing, a map that may make NaN).
        ("sum(range(10) | map * 2)", 1 << 21, 1),
        // A filter that drops everything, before `take` and `fail after`.
        ("sum(range(10) | filter < 0 | take 1)", 1 << 21, 1),
        (
            "sum(range(10) | filter < 0 | fail after 1 \"x\")",
            1 << 21,
            1,
        ),
        // Values one by one: a merge of ready sources.
        (
            "sum(merge(range(10), range(10)))",
            1 << 17,
            Budget::POLLED_WORK,
        ),
        // Tiny busy-waits.
        ("sum(range(10) every 1e-9ms blocking)", 1 << 16, 1 << 10),
    ];
    let most_per_poll = u64::from(Budget::WORK_PER_POLL) + (1 << 16);
    for (text, values, units) in cases {
        let program = widened(text, values);
        let least = values * u64::from(units) / most_per_poll;
        assert!(least >= 4, "{text}: a test too small to tell");
        let mut longest = Vec::new();
        for _ in 0..3 {
            let (count, longest_poll) = polls(&program);
            assert!(
                count >= least,
                "{text}: {count} polls, expected at least {least}"
            );
            longest.push(longest_poll);
            if longest_poll < LONGEST_POLL {
                break;
            }
        }
        assert!(
            longest.iter().any(|&poll| poll < LONGEST_POLL),
            "{text}: the longest poll took {longest:?} of CPU time in every round"
        );
    }
}

/// Runs `program` on the virtual clock with small caps.
fn run_capped(program: &Program, max_values: u64, max_bytes: u64) -> Report {
    let plan = Plan::compile(program).expect("plan");
    let budget = Budget::with_caps(lang::MAX_BLOCKING_MS, max_values, max_bytes);
    let engine = Engine::with_budget(VirtualClock::new(), plan, Rc::new(NoIo), budget);
    let finished = engine.clock().clone().block_on(engine.run(None));
    engine.report(finished.is_none())
}

fn outcome(report: &Report, statement: usize) -> String {
    report.statements[statement].outcome.to_string()
}

#[test]
fn a_filter_that_drops_everything_meets_the_value_cap() {
    // The release build drops the default cap's 10^8 values in well under a
    // second (the browser tests run it); here a small cap keeps it quick.
    let program = widened("sum(range(10) | filter < 0 | take 1)", 1 << 53);
    let report = run_capped(&program, 3_000_000, MAX_HELD_BYTES);
    let result = outcome(&report, 0);
    assert_eq!(
        result,
        "error: value cap reached: a run may make at most 3000000 values in all \
         (filters count the values they drop)"
    );
    let merged = widened(
        "sum(merge(range(10), range(10)) | filter < 0 | fail after 1 \"x\")",
        1 << 53,
    );
    let result = outcome(&run_capped(&merged, 1_000_000, MAX_HELD_BYTES), 0);
    assert!(result.contains("value cap reached"), "{result}");
}

#[test]
fn the_value_cap_counts_every_source_of_a_run() {
    let program = widened(
        "sum(range(10) | filter < 0)\nsum(range(10) | filter < 0)",
        500_001,
    );
    let report = run_capped(&program, 1_000_000, MAX_HELD_BYTES);
    assert_eq!(outcome(&report, 0), "0");
    assert!(
        outcome(&report, 1).contains("value cap reached"),
        "{}",
        outcome(&report, 1)
    );
}

#[test]
fn collect_past_the_memory_cap_fails_fast_with_a_clear_error() {
    let most = MAX_HELD_BYTES / BYTES_PER_COLLECTED_VALUE;
    let program = widened("collect(range(10))", lang::MAX_VALUES);
    let report = within(Duration::from_secs(20), "collect to the cap", || {
        run_virtual(&program).expect("plan")
    });
    let result = report.statements[0].outcome.to_string();
    assert!(result.starts_with("error: memory cap reached"), "{result}");
    assert!(result.contains("256 MB"), "{result}");
    // Under the cap, collect works; the cap is shared by the run's statements.
    let fits = widened("collect(range(10))\ncollect(range(10))", most / 2 - 1024);
    let report = run_virtual(&fits).expect("plan");
    assert!(matches!(
        report.statements[1].outcome,
        async_playground::aggregate::Outcome::List(_)
    ));
    let too_many = widened(
        "collect(range(10))\ncollect(range(10))",
        most / 2 + 1024 * 64,
    );
    let report = run_virtual(&too_many).expect("plan");
    assert!(matches!(
        report.statements[0].outcome,
        async_playground::aggregate::Outcome::List(_)
    ));
    let second = report.statements[1].outcome.to_string();
    assert!(second.contains("memory cap reached"), "{second}");
}

#[test]
fn frozen_time_between_busy_waits_counts_towards_the_blocking_cap() {
    let budget = Budget::new(100.0);
    budget.refill();
    assert!(budget.spend(10.0).is_ok());
    budget.busy_waited(0.0, 10.0, 10.0);
    // 40 ms of overhead between two busy-waits of one poll.
    assert!(budget.spend(10.0).is_ok());
    budget.busy_waited(50.0, 60.0, 10.0);
    // 100 - 10 - 10 - 40 left 40: the next 50 ms do not fit.
    assert!(budget.spend(50.0).is_err());
    // After a yield (a new poll), the gap was not frozen.
    budget.refill();
    assert!(budget.spend(30.0).is_ok());
    budget.busy_waited(500.0, 530.0, 30.0);
    assert!(budget.spend(10.0).is_ok());
    assert!(budget.spend(1.0).is_err());
}
