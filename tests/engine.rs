#![cfg(not(target_arch = "wasm32"))]
//! The engine on the virtual clock: exact times, exact results.

mod common;

use async_playground::aggregate::Outcome;
use async_playground::lang;
use async_playground::run::run_virtual;
use async_playground::trace::{EventKind, Report};
use common::results;

fn run(text: &str) -> Report {
    let program = lang::parse(text).unwrap_or_else(|errors| panic!("{errors:?}"));
    run_virtual(&program).expect("plan")
}

/// The events of the lane labelled `label`, as (kind, t).
fn lane_events(report: &Report, label: &str) -> Vec<(&'static str, f64)> {
    let lane = report
        .lanes
        .iter()
        .find(|lane| &*lane.label == label)
        .unwrap_or_else(|| panic!("no lane {label}"));
    report
        .events
        .iter()
        .filter(|event| event.lane == lane.id)
        .map(|event| (event.kind.name(), event.t))
        .collect()
}

const POST: &str = "
source afeat1 = [10, 20, 40] every 1s
source afeat2 = [50, 500, 5000] every 1s
";

#[test]
fn sequential_takes_the_sum_of_the_delays() {
    let report = run(&format!(
        "{POST} sequential(collect(afeat1), collect(afeat2))"
    ));
    assert_eq!(report.elapsed_ms, 6000.0);
    assert_eq!(results(&report), ["[[10, 20, 40], [50, 500, 5000]]"]);
    assert_eq!(report.statements[0].ideal_ms, 6000.0);
}

#[test]
fn gather_takes_the_longest_delay_and_keeps_input_order() {
    let report = run(&format!("{POST} gather(collect(afeat2), collect(afeat1))"));
    assert_eq!(report.elapsed_ms, 3000.0);
    assert_eq!(results(&report), ["[[50, 500, 5000], [10, 20, 40]]"]);
}

#[test]
fn the_posts_aggregator_example_gives_min_50() {
    let report = run("
        source afeat1 = [10, 20, 40] every 100ms
        source afeat2 = [50, 500, 5000] every 100ms
        gather(sum(afeat1), max(afeat2), stats(afeat2))
    ");
    assert_eq!(report.elapsed_ms, 300.0);
    match &report.statements[0].outcome {
        Outcome::Group(items) => {
            assert_eq!(items[0], Outcome::Number(70.0));
            assert_eq!(items[1], Outcome::Number(5000.0));
            assert_eq!(
                items[2].to_string(),
                "{count: 3, min: 50, max: 5000, mean: 1850}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn statements_run_in_order_each_with_its_own_times() {
    let report = run(&format!(
        "{POST} collect(afeat1)\n gather(sum(afeat1), sum(afeat2))"
    ));
    let times: Vec<_> = report
        .statements
        .iter()
        .map(|s| (s.start_ms, s.elapsed_ms, s.ideal_ms))
        .collect();
    assert_eq!(times, [(0.0, 3000.0, 3000.0), (3000.0, 3000.0, 3000.0)]);
    assert_eq!(report.ideal_ms, 6000.0);
}

#[test]
fn every_value_is_an_event_at_its_time() {
    let report = run(&format!("{POST} \"a\": collect(afeat1)"));
    assert_eq!(
        lane_events(&report, "a"),
        [
            ("start", 0.0),
            ("value", 1000.0),
            ("value", 2000.0),
            ("value", 3000.0),
            ("end", 3000.0)
        ]
    );
}

#[test]
fn each_use_of_a_source_is_a_fresh_instance() {
    let report = run(&format!("{POST} gather(collect(afeat1), collect(afeat1))"));
    assert_eq!(results(&report), ["[[10, 20, 40], [10, 20, 40]]"]);
    assert_eq!(report.elapsed_ms, 3000.0);
}

#[test]
fn per_item_delays_range_and_random() {
    let report = run("
        source uneven = [1, 2, 3] after [100ms, 2s, 50ms]
        collect(uneven)
        collect(range(4) every 10ms)
        collect(range(3))
        collect(random(5, 1..6, seed 42))
        collect(random(5, 1..6, seed 42))
    ");
    let got = results(&report);
    assert_eq!(got[0], "[1, 2, 3]");
    assert_eq!(report.statements[0].elapsed_ms, 2150.0);
    assert_eq!(got[1], "[0, 1, 2, 3]");
    assert_eq!(report.statements[1].elapsed_ms, 40.0);
    assert_eq!(got[2], "[0, 1, 2]");
    assert_eq!(report.statements[2].elapsed_ms, 0.0);
    assert_eq!(got[3], got[4], "the same seed gives the same values");
    let dice: Vec<f64> = match &report.statements[3].outcome {
        Outcome::List(values) => values.clone(),
        other => panic!("{other:?}"),
    };
    assert!(dice
        .iter()
        .all(|d| (1.0..=6.0).contains(d) && d.fract() == 0.0));
}

#[test]
fn a_failing_source_fails_only_its_task_in_a_gather() {
    let report = run(&format!(
        "{POST} source flaky = [1, 2, 3] every 1s | fail after 2 \"connection reset\"
        gather(\"a\": collect(afeat1), \"f\": collect(flaky), \"b\": collect(afeat2))"
    ));
    assert_eq!(
        results(&report),
        ["[[10, 20, 40], error: connection reset, [50, 500, 5000]]"]
    );
    assert_eq!(report.elapsed_ms, 3000.0);
    let flaky = lane_events(&report, "f");
    assert_eq!(flaky.last(), Some(&("error", 2000.0)));
}

#[test]
fn race_takes_the_first_result_and_cancels_the_losers() {
    let report = run("
        race(\"slow\": first([1] every 2s), \"fast\": first([2] every 1s))
        sum([5] every 1s)
    ");
    assert_eq!(results(&report), ["2", "5"]);
    assert_eq!(report.statements[0].elapsed_ms, 1000.0);
    assert_eq!(
        lane_events(&report, "slow"),
        [("start", 0.0), ("cancel", 1000.0)]
    );
    // The cancelled timer never fires: nothing happens at 2000 ms on its lane,
    // and the next statement is not delayed by it.
    assert_eq!(report.elapsed_ms, 2000.0);
}

#[test]
fn limit_runs_at_most_k_at_once_in_input_order() {
    let report = run("
        limit(2, \"a\": sum([1] every 1s), \"b\": sum([2] every 1s), \"c\": sum([3] every 1s))
    ");
    assert_eq!(results(&report), ["[1, 2, 3]"]);
    assert_eq!(report.elapsed_ms, 2000.0);
    assert_eq!(lane_events(&report, "c")[0], ("start", 1000.0));
}

#[test]
fn timeout_cancels_what_is_unfinished() {
    let report = run(&format!(
        "{POST} timeout(1.5s, \"slow\": collect(afeat1))\n timeout(5s, sum(afeat1))"
    ));
    assert_eq!(results(&report), ["error: timed out after 1.5s", "70"]);
    assert_eq!(report.statements[0].elapsed_ms, 1500.0);
    assert_eq!(
        lane_events(&report, "slow"),
        [("start", 0.0), ("value", 1000.0), ("cancel", 1500.0)]
    );
}

#[test]
fn source_transforms() {
    let report = run("
        source a = [10, 20, 40] every 1s
        collect(a | map * 2 | filter > 25 | take 1)
        collect(merge(a, [1, 2] every 1.5s))
        collect(a | timeout 500ms)
    ");
    assert_eq!(
        results(&report),
        ["[40]", "[10, 1, 20, 2, 40]", "error: no value within 500ms"]
    );
    assert_eq!(
        report.statements[0].elapsed_ms, 2000.0,
        "take stops pulling"
    );
}

#[test]
fn blocking_sources_serialise_even_when_gathered() {
    let report = run("
        source s1 = [1, 2, 3] every 100ms blocking
        source s2 = [4, 5, 6] every 100ms blocking
        gather(collect(s1), collect(s2))
    ");
    assert_eq!(report.elapsed_ms, 600.0);
    let blocks = report
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Block { .. }))
        .count();
    assert_eq!(blocks, 6, "every busy-wait shows as a freeze");
}

#[test]
fn the_blocking_cap_stops_a_runaway_program_with_a_clear_error() {
    // Built in Rust, past the language's own check, the engine still holds.
    use async_playground::program::*;
    let blocking = SourceExpr {
        kind: SourceKind::Values {
            values: vec![1.0; 12],
            pacing: Pacing {
                delays: Delays::Every(1000.0),
                blocking: true,
            },
        },
        span: Span::NONE,
    };
    let program = Program {
        sources: vec![],
        statements: vec![Task {
            label: None,
            kind: TaskKind::Aggregate {
                aggregator: Aggregator::Count,
                source: blocking,
            },
            span: Span::NONE,
        }],
        seed: None,
    };
    let report = run_virtual(&program).unwrap();
    assert_eq!(
        results(&report),
        ["error: blocking cap reached: a run may busy-wait at most 10s in all"]
    );
    assert_eq!(report.elapsed_ms, 10_000.0);
    let errors = lang::parse("count([1,1,1,1,1,1,1,1,1,1,1,1] every 1s blocking)").unwrap_err();
    assert!(errors[0].message.contains("cap"), "{errors:?}");
}

#[test]
fn non_finite_values_are_task_errors_not_numbers() {
    let report = run("
        sum([1, 2] | map / 0)
        gather(sum([0] | map / 0), sum([1]))
        sum([1e308, 1e308])
        mean([1e308, 1e308])
    ");
    assert_eq!(
        results(&report),
        [
            "error: value #1 is inf: aggregators take finite numbers only",
            "[error: value #1 is NaN: aggregators take finite numbers only, 1]",
            "error: sum overflowed the range of f64",
            "1e308",
        ]
    );
}

#[test]
fn empty_sources_give_defined_results() {
    let report = run("
        source none = [1, 2] | filter > 5
        gather(collect(none), count(none), sum(none), min(none), max(none), mean(none))
        gather(stats(none), var(none), std(none), first(none), last(none))
        gather(var([3]), std([2, 4]))
    ");
    assert_eq!(
        results(&report),
        [
            "[[], 0, 0, empty, empty, empty]",
            "[empty, empty, empty, empty, empty]",
            "[error: var needs at least 2 values (sample variance), got 1, 1.4142135623730951]",
        ]
    );
}

#[test]
fn first_stops_pulling_after_one_value() {
    let report = run("first([1, 2, 3] every 1s)");
    assert_eq!(results(&report), ["1"]);
    assert_eq!(report.elapsed_ms, 1000.0);
}

#[test]
fn a_large_fan_out_runs_in_virtual_time() {
    let report = run("source a = [10, 20, 40] every 1s\n gather(10000 * sum(a))");
    assert_eq!(report.elapsed_ms, 3000.0);
    match &report.statements[0].outcome {
        Outcome::Group(items) => {
            assert_eq!(items.len(), 10_000);
            assert!(items.iter().all(|item| *item == Outcome::Number(70.0)));
        }
        other => panic!("{other:?}"),
    }
    assert!(report.lanes_omitted > 0, "the trace stays bounded");
}

#[test]
fn ideal_times_match_the_virtual_run_even_with_collapsed_fan_outs() {
    use async_playground::run::ideal_times;
    let programs = [
        "source a = [1, 2, 3] every 100ms\n gather(1000 * sum(a))",
        "source a = [1, 2, 3] every 100ms\n race(50 * first(a), sum([1] every 1s))",
        "source a = [1, 2, 3] every 100ms\n limit(3, 10 * sum(a))",
        "source a = [1, 2, 3] every 100ms\n sequential(4 * sum(a))",
        "source b = [1, 2] every 10ms blocking\n gather(5 * sum(b), sum([1] every 5ms))",
        "source a = [1, 2, 3] every 100ms\n timeout(250ms, gather(100 * collect(a)))",
        "sum(range(1000) every 0s)\n sum([1, 2] after [0s, 10ms])\n sum(range(5) | timeout 1s)",
    ];
    for text in programs {
        let program = lang::parse(text).unwrap();
        let simulated: Vec<f64> = run_virtual(&program)
            .unwrap()
            .statements
            .iter()
            .map(|s| s.elapsed_ms)
            .collect();
        assert_eq!(ideal_times(&program).unwrap(), simulated, "{text}");
    }
}

#[test]
fn the_ready_fast_path_gives_what_polling_value_by_value_gives() {
    // `every 0s` yields before each value, so it takes the polled path;
    // without a delay the same values come in ready batches.
    for pipes in [
        "",
        " | map * 3 | filter > 10",
        " | take 2500",
        " | filter > 2000 | take 7",
        " | fail after 1500 \"boom\"",
        " | map / 0",
        " | timeout 1s | take 1025",
    ] {
        for aggregator in ["collect", "sum", "count", "stats", "first", "std"] {
            let batched = run(&format!("{aggregator}(range(3000){pipes})"));
            let polled = run(&format!("{aggregator}(range(3000) every 0s{pipes})"));
            assert_eq!(
                results(&batched),
                results(&polled),
                "{aggregator} with {pipes}"
            );
            assert_eq!(batched.elapsed_ms, 0.0);
        }
    }
    assert_eq!(results(&run("sum(range(1000000))")), ["499999500000"]);
    // Every value is either an event or counted as omitted, on every path.
    for text in [
        "sum(range(3000))",
        "sum(range(3000) every 0s)",
        "sum(range(3000) | take 2500)",
    ] {
        let report = run(text);
        let values = report
            .events
            .iter()
            .filter(|e| e.kind.name() == "value")
            .count() as u64;
        assert_eq!(values, 1000, "{text}");
        let expected_omitted = if text.contains("take") { 1500 } else { 2000 };
        assert_eq!(report.events_omitted, expected_omitted, "{text}");
    }
}

/// `limit(k, ...)` frees a slot the moment its task ends, like
/// `asyncio.Semaphore(k)`: the third task starts when the 100 ms one ends
/// (300 ms in all), not when the first two have both ended (500 ms).
#[test]
fn limit_frees_a_slot_when_its_task_ends() {
    let program = async_playground::lang::parse(
        "limit(2, sum([1] every 300ms), sum([2] every 100ms), sum([3] every 200ms))",
    )
    .unwrap();
    let report = async_playground::run::run_virtual(&program).unwrap();
    assert_eq!(report.statements[0].outcome.to_string(), "[1, 2, 3]");
    assert_eq!(report.statements[0].elapsed_ms, 300.0);
}

/// A deadline due at the same instant as a value wins, as in asyncio (its
/// timer was set first); work that never waits beats any deadline.
#[test]
fn deadlines_at_the_instant_of_a_value_win_as_in_asyncio() {
    let run = |text: &str| {
        let program = async_playground::lang::parse(text).unwrap();
        let report = async_playground::run::run_virtual(&program).unwrap();
        let statement = &report.statements[0];
        (statement.outcome.to_string(), statement.elapsed_ms)
    };
    assert_eq!(
        run("sum([1, 2] every 1s | timeout 1s)"),
        ("error: no value within 1s".to_string(), 1000.0)
    );
    assert_eq!(
        run("timeout(1s, sum([1] every 1s))"),
        ("error: timed out after 1s".to_string(), 1000.0)
    );
    assert_eq!(
        run("timeout(0s, sum([1] every 0s))"),
        ("error: timed out after 0s".to_string(), 0.0)
    );
    assert_eq!(run("timeout(0s, sum([1, 2]))"), ("3".to_string(), 0.0));
    assert_eq!(
        run("sum([1, 2] every 1s | timeout 1.001s)"),
        ("3".to_string(), 2000.0)
    );
}

/// `random` over more whole numbers than an f64 holds exactly is refused
/// (the span `2^64 + 1` once overflowed: a panic, or a division by zero);
/// `tests/hardening.rs` checks the plan refuses it too.
#[test]
fn random_over_a_huge_range_is_refused() {
    let errors = lang::parse("count(random(3, -1e300..1e300, seed 7))").unwrap_err();
    assert!(errors[0]
        .message
        .starts_with("this range is too wide for random"));
}
