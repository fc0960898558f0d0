//! The fan-out path (`gather(N * task)` as one future, `run::fan_out`) gives
//! the same report as the general path (one future per copy): results,
//! statement elapsed and ideal times, lanes, every event in order, omitted
//! counts and timer lateness, over random programs on the virtual clock.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/equivalence.rs"]
mod equivalence;
mod programs;

use async_playground::distribution::{Distribution, Spread};
use async_playground::lang;
use async_playground::program::{
    Delays, Group, Pacing, Program, SourceExpr, SourceKind, Task, TaskKind,
};
use async_playground::run::{ideal_times_copies, run_virtual_copies, Copies, Plan};
use programs::{aggregator, distribution, expr, number, task_node};
use proptest::prelude::*;

/// Delays above 0 mostly (the fan-out's shape), sometimes not (the general
/// path's), for `count` values.
fn pacing(count: usize) -> impl Strategy<Value = Pacing> {
    let positive = prop_oneof![(1u32..400).prop_map(f64::from), Just(0.5), Just(100.0)];
    let delays = prop_oneof![
        3 => positive.clone().prop_map(Delays::Every),
        2 => prop::collection::vec(positive, count).prop_map(Delays::Each),
        3 => distribution().prop_map(Delays::Drawn),
        1 => (50.0..150.0f64).prop_map(|low| Delays::Drawn(Distribution {
            spread: Spread::Uniform { low, high: low * 2.0 },
            spike: None,
        })),
        1 => Just(Delays::Every(0.0)),
        1 => Just(Delays::None),
    ];
    (delays, prop::bool::weighted(0.1)).prop_map(|(delays, blocking)| Pacing {
        blocking: blocking && !matches!(delays, Delays::Drawn(_)),
        delays,
    })
}

/// A timed source of 0 to 4 values.
fn timed() -> impl Strategy<Value = SourceExpr> {
    (0usize..5)
        .prop_flat_map(|n| {
            let values = prop::collection::vec(number(), n);
            (values, pacing(n.max(1)), 0u8..3)
        })
        .prop_map(|(values, pacing, kind)| {
            expr(match kind {
                0 => SourceKind::Values { values, pacing },
                1 => SourceKind::Range {
                    count: values.len() as u64,
                    pacing,
                },
                _ => SourceKind::Random {
                    count: values.len() as u64,
                    low: 1.0,
                    high: 6.0,
                    seed: 7,
                    pacing,
                },
            })
        })
}

/// `gather(N * aggregator(source))`, N on both sides of `join_all`'s 30,
/// the source named (a definition) or written in place.
fn fan_out() -> impl Strategy<Value = Task> {
    let count = prop_oneof![0u64..5, 25u64..36, 60u64..80];
    let source = prop_oneof![
        timed(),
        (0usize..3).prop_map(|k| expr(SourceKind::Named(format!("s{k}")))),
    ];
    (count, aggregator(), source).prop_map(|(count, aggregator, source)| {
        let leaf = task_node(None, TaskKind::Aggregate { aggregator, source });
        let repeat = task_node(
            None,
            TaskKind::Repeat {
                count,
                task: Box::new(leaf),
            },
        );
        task_node(
            None,
            TaskKind::Group {
                group: Group::Gather,
                children: vec![repeat],
            },
        )
    })
}

/// A statement: a fan-out alone, or with siblings in any group, which can
/// share its timers' buckets, cancel it (race, timeout) or hold it back (limit).
fn statement() -> impl Strategy<Value = Task> {
    let group = prop_oneof![
        Just(Group::Sequential),
        Just(Group::Gather),
        Just(Group::Race),
        Just(Group::Any),
        (1u64..3).prop_map(Group::Limit),
        (1u32..1500).prop_map(|ms| Group::Timeout(f64::from(ms))),
    ];
    let sibling = prop_oneof![
        fan_out(),
        (aggregator(), timed()).prop_map(|(aggregator, source)| task_node(
            None,
            TaskKind::Aggregate { aggregator, source }
        )),
    ];
    prop_oneof![
        2 => fan_out(),
        3 => (group, fan_out(), prop::collection::vec(sibling, 0..3), 0usize..3).prop_map(
            |(group, fan_out, mut siblings, at)| {
                siblings.insert(at.min(siblings.len()), fan_out);
                task_node(None, TaskKind::Group { group, children: siblings })
            }
        ),
    ]
}

fn program() -> impl Strategy<Value = Program> {
    programs::program_over(
        prop::collection::vec(timed(), 3),
        prop::collection::vec(statement(), 1..3),
    )
}

/// Both paths' reports and ideal times, which must be equal (compared as
/// text, where a NaN value event equals itself).
fn both(program: &Program) -> Result<(), TestCaseError> {
    let fan_out = run_virtual_copies(program, Copies::FanOut);
    let general = run_virtual_copies(program, Copies::General);
    let text = lang::format(program);
    if let (Ok(a), Ok(b)) = (&fan_out, &general) {
        equivalence::same_events(a, b, &text)?;
    }
    prop_assert_eq!(format!("{fan_out:?}"), format!("{general:?}"), "{}", text);
    let ideal = ideal_times_copies(program, Copies::FanOut);
    let general_ideal = ideal_times_copies(program, Copies::General);
    prop_assert_eq!(
        format!("{ideal:?}"),
        format!("{general_ideal:?}"),
        "{}",
        text
    );
    Ok(())
}

/// Runs `cases` random programs from `strategy` through [`both`] (or
/// `FAN_OUT_CASES` of them), on a thread with room for the deep value trees
/// of debug builds.
fn check<S: Strategy<Value = Program> + 'static>(cases: u32, strategy: fn() -> S) {
    equivalence::check_cases("FAN_OUT_CASES", cases, strategy, |program| both(&program));
}

#[test]
fn fan_out_reports_what_the_general_path_reports() {
    check(400, program);
}

/// Random programs of every shape (the language's generator): the fan-out
/// takes the ones it fits and changes nothing.
#[test]
fn any_program_reports_the_same() {
    check(200, || programs::program().prop_map(programs::without_io));
}

#[test]
fn the_generator_reaches_the_fan_out() {
    // Every `gather(N * sum(source))` over positive fixed delays fans out.
    let text = "source a = [10, 20, 40] every 100ms\ngather(40 * sum(a))\n\
                gather(2 * collect([1, 2] every uniform(10ms..20ms)))";
    let program = lang::parse(text).unwrap();
    assert_eq!(Plan::compile(&program).unwrap().fan_outs(), 2);
    // Zero delays, blocking sources and other groups keep the general path.
    for text in [
        "gather(3 * sum([1, 2] every 0s))",
        "gather(3 * sum([1, 2] every 1s blocking))",
        "gather(3 * sum([1, 2] every exp(1s)))",
        "race(3 * sum([1, 2] every 1s))",
        "gather(3 * sum([1, 2] every 1s), sum([1]))",
        "gather(3 * sum([1, 2] every 1s | take 1))",
    ] {
        let plan = Plan::compile(&lang::parse(text).unwrap()).unwrap();
        assert_eq!(plan.fan_outs(), 0, "{text}");
    }
}

#[test]
fn a_large_fan_out_matches_past_the_trace_caps() {
    // 2 500 copies: past the 2 000 traced lanes; 3 000 values in all.
    let text = "source a = [10, 20, 40] every 100ms\n\
                gather(2500 * sum(a))\n\
                gather(2500 * stats([1, 2, 3] every uniform(10ms..90ms)))";
    let program = lang::parse(text).unwrap();
    both(&program).unwrap();
    let report = run_virtual_copies(&program, Copies::FanOut).unwrap();
    assert_eq!(report.statements[0].elapsed_ms, 300.0);
    assert!(report.lanes_omitted > 0);
}

#[test]
fn caps_end_the_same_copies() {
    // The value cap and the memory cap end copies mid-way, at the same ones.
    use async_playground::budget::Budget;
    use async_playground::clock::VirtualClock;
    use async_playground::run::Engine;
    use async_playground::source::NoIo;
    use std::rc::Rc;
    let text = "gather(50 * collect([1, 2, 3] every 10ms))\ngather(50 * sum(range(4) every 5ms))";
    let program = lang::parse(text).unwrap();
    let run = |copies, budget: Budget| {
        let plan = Plan::compile_copies(&program, copies).unwrap();
        let engine = Engine::with_budget(VirtualClock::new(), plan, Rc::new(NoIo), budget);
        let finished = engine.clock().clone().block_on(engine.run(None));
        engine.report(finished.is_none())
    };
    for (values, bytes) in [(120, u64::MAX), (1000, 48 * 70)] {
        let fan_out = run(Copies::FanOut, Budget::with_caps(1000.0, values, bytes));
        let general = run(Copies::General, Budget::with_caps(1000.0, values, bytes));
        assert_eq!(fan_out, general);
        let text = fan_out.statements[0].outcome.to_string();
        assert!(text.contains("cap reached"), "{text}");
    }
}

#[test]
fn a_wake_longer_than_a_poll_continues_where_it_stopped() {
    // 10^5 copies: a poll's work ends in the middle of a wake (of the one
    // cohort of all copies, at its first and here last value).
    let text = "source a = [10, 20, 40] every 100ms\ngather(100000 * sum(a))\n\
                gather(40000 * collect([1, 2] every uniform(10ms..20ms)))\n\
                gather(100000 * sum([7] every 100ms))";
    let program = lang::parse(text).unwrap();
    let report = run_virtual_copies(&program, Copies::FanOut).unwrap();
    let general = run_virtual_copies(&program, Copies::General).unwrap();
    let outcomes = |report: &async_playground::trace::Report| -> Vec<String> {
        report
            .statements
            .iter()
            .map(|s| format!("{:?} {} {}", s.outcome, s.elapsed_ms, s.ideal_ms))
            .collect()
    };
    assert_eq!(outcomes(&report), outcomes(&general));
    let async_playground::aggregate::Outcome::Group(items) = &report.statements[0].outcome else {
        panic!("a group")
    };
    assert!(items.iter().all(|item| item.to_string() == "70"));
    let async_playground::aggregate::Outcome::Group(items) = &report.statements[2].outcome else {
        panic!("a group")
    };
    assert!(items.iter().all(|item| item.to_string() == "7"));
    assert_eq!(report.lateness, general.lateness);
    assert_eq!(report.lanes, general.lanes);
    assert_eq!(report.events, general.events);
}

#[test]
fn copies_past_the_traced_lanes_start_in_one_step_as_they_would_one_by_one() {
    // 2 500 copies: 2 000 traced, one started alone, the rest all at once;
    // a source with no values (built in Rust: the language refuses
    // `range(0)`) ends them at once the same way.
    let text = "gather(2500 * sum([5, 6] after [10ms, 20ms]))\n\
                gather(2500 * count(range(1) every 1ms))\n\
                gather(40 * sum([1] every 1ms))\n\
                gather(gather(2500 * sum([1] every 1ms)), sum(range(5) every 0s))";
    let mut program = lang::parse(text).unwrap();
    let TaskKind::Group { children, .. } = &mut program.statements[1].kind else {
        panic!("a group")
    };
    let TaskKind::Repeat { task, .. } = &mut children[0].kind else {
        panic!("copies")
    };
    let TaskKind::Aggregate { source, .. } = &mut task.kind else {
        panic!("an aggregator")
    };
    let SourceKind::Range { count, .. } = &mut source.kind else {
        panic!("a range")
    };
    *count = 0;
    assert_eq!(Plan::compile(&program).unwrap().fan_outs(), 4);
    both(&program).unwrap();
    let report = run_virtual_copies(&program, Copies::FanOut).unwrap();
    let results: Vec<String> = report
        .statements
        .iter()
        .map(|s| s.outcome.to_string())
        .collect();
    assert!(results[0].starts_with("[11, 11, ") && results[0].ends_with("… 2400 more]"));
    assert!(results[1].starts_with("[0, 0, ") && results[1].ends_with("… 2400 more]"));
}
