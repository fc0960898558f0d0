//! The caps know which shapes run as a fan-out (`fan_out_shape`): copies of
//! `gather(N * task)` that share their history count against
//! `MAX_SHARED_COPIES` (10^7), every other task against `MAX_TASKS`
//! (2·10^6); the checker and the planner decide from the same rule, and a
//! fan-out at the cap runs and settles.
#![cfg(not(target_arch = "wasm32"))]

use async_playground::aggregate::Outcome;
use async_playground::lang::{self, MAX_SHARED_COPIES, MAX_TASKS};
use async_playground::program::{Program, Task, TaskKind};
use async_playground::run::{run_virtual, Plan};

const B4: &str = "source a = [10, 20, 40] every 100ms\n\n";

/// The first error: line, column, message.
fn error(text: &str) -> (u32, u32, String) {
    let errors = lang::parse(text).unwrap_err();
    (errors[0].line, errors[0].column, errors[0].message.clone())
}

#[test]
fn the_checker_accepts_ten_million_copies_that_share_their_history() {
    assert_eq!(MAX_SHARED_COPIES, 10_000_000);
    for text in [
        format!("{B4}gather(10000000 * sum(a))"),
        "gather(10000000 * count(range(3) every 1s))".into(),
        "source r = random(2, 1..6, seed 3) after [1ms, 2ms]\nsource s = r\ngather(10000000 * max(s))"
            .into(),
    ] {
        let program = lang::parse(&text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(Plan::compile(&program).unwrap().fan_outs(), 1, "{text}");
    }
    // 5·10^6 + 5·10^6 copies, and 2·10^6 tasks besides: separate caps
    // (`the_planner_refuses_what_the_checker_refuses` plans such programs).
    let text = format!("{B4}gather(5000000 * sum(a))\ngather(2 * gather(2500000 * sum(a)))\ngather(2000000 * sum(a | take 1))");
    assert!(lang::parse(&text).is_ok());
}

#[test]
fn ten_million_tasks_off_the_fan_out_are_refused_where_they_cross_the_cap() {
    let tasks = |n: u64| {
        format!(
            "this program runs {n} tasks in all; the cap is {MAX_TASKS} (or {MAX_SHARED_COPIES} \
             copies in gather(N * task) of an aggregator over a list, range or random with fixed \
             delays above 0)"
        )
    };
    // A transform, a group that isn't gather, no delay, blocking: the general path.
    for (text, place) in [
        (format!("{B4}gather(10000000 * sum(a | take 2))"), (3, 1)),
        (format!("{B4}race(10000000 * sum(a))"), (3, 1)),
        ("gather(10000000 * sum([1, 2]))".into(), (1, 1)),
        (
            "\ngather(10000000 * sum([1] every 1ms blocking))".into(),
            (2, 1),
        ),
        (format!("{B4}gather(10000000 * gather(sum(a)))"), (3, 1)),
    ] {
        let found = error(&text);
        assert_eq!(found, (place.0, place.1, tasks(10_000_000)), "{text}");
    }
    // Drawn delays: every copy has its own history, and costs like a task.
    assert_eq!(
        error("sum([1])\n\ngather(3000000 * sum([1] every uniform(1ms..2ms)))"),
        (3, 1, tasks(3_000_001))
    );
    // Shared copies have their own cap, in all.
    let copies =
        "this program runs 12000000 copies in gather(N * task) in all; the cap is 10000000";
    assert_eq!(
        error(&format!(
            "{B4}gather(6000000 * sum(a))\ngather(6000000 * sum(a))"
        )),
        (4, 1, copies.into())
    );
    assert_eq!(
        error(&format!("{B4}gather(2 * gather(6000000 * sum(a)))")),
        (3, 1, copies.into())
    );
    // Their values still count: 10^7 copies of 11 values.
    assert_eq!(
        error("gather(10000000 * sum(range(11) every 1ms))").2,
        "this program makes up to 110000000 values in all; the cap is 100000000"
    );
}

/// Every `N * task` in `task`, set to `count`.
fn set_copies(task: &mut Task, count: u64) {
    match &mut task.kind {
        TaskKind::Aggregate { .. } => {}
        TaskKind::Group { children, .. } => {
            children.iter_mut().for_each(|c| set_copies(c, count));
        }
        TaskKind::Repeat { count: n, task } => {
            *n = count;
            set_copies(task, count);
        }
    }
}

#[test]
fn the_planner_refuses_what_the_checker_refuses() {
    // Programs parsed with 2 copies, then given more, skipping the checker.
    for (text, count) in [
        (format!("{B4}gather(2 * sum(a))"), 10_000_000),
        (format!("{B4}gather(2 * sum(a))"), 10_000_001),
        (
            format!("{B4}gather(2 * sum(a))\ngather(2 * sum(a))"),
            6_000_000,
        ),
        (
            format!("{B4}gather(2 * sum(a))\ngather(2 * sum(a))"),
            5_000_000,
        ),
        (format!("{B4}gather(2 * sum(a | take 2))"), 2_000_000),
        (format!("{B4}gather(2 * sum(a | take 2))"), 2_000_001),
        (format!("{B4}race(2 * sum(a))"), 2_000_001),
        (
            "gather(2 * sum([1] every uniform(1ms..2ms)))".into(),
            2_000_000,
        ),
        (
            "gather(2 * sum([1] every uniform(1ms..2ms)))".into(),
            2_000_001,
        ),
        (format!("{B4}gather(2 * gather(2 * sum(a)))"), 3_000),
        (format!("{B4}gather(2 * gather(2 * sum(a)))"), 4_000),
    ] {
        let mut program: Program = lang::parse(&text).unwrap();
        program
            .statements
            .iter_mut()
            .for_each(|s| set_copies(s, count));
        let as_text = lang::format(&program);
        let checked = lang::parse(&as_text);
        let planned = Plan::compile(&program);
        assert_eq!(
            checked.is_ok(),
            planned.is_ok(),
            "{as_text}: {:?}",
            planned.err()
        );
    }
}

#[test]
fn a_fan_out_at_the_cap_runs_and_settles() {
    // 10^7 copies in release (`cargo test --release --test fan_out_caps`,
    // about 2 s); a debug build runs 10^5 to keep `./dev test` quick.
    let copies: usize = if cfg!(debug_assertions) {
        100_000
    } else {
        MAX_SHARED_COPIES as usize
    };
    let program = lang::parse(&format!("{B4}gather({copies} * sum(a))")).unwrap();
    let report = run_virtual(&program).unwrap();
    let statement = &report.statements[0];
    assert_eq!((statement.elapsed_ms, statement.ideal_ms), (300.0, 300.0));
    let Outcome::Group(items) = &statement.outcome else {
        panic!("a group: {:?}", statement.outcome)
    };
    assert_eq!(items.len(), copies);
    assert!(items.iter().all(|item| *item == Outcome::Number(70.0)));
    assert!(report.lanes_omitted > 0);
}
