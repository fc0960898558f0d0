#![cfg(not(target_arch = "wasm32"))]
//! `any(...)`: the first success wins (`Promise.any`), unlike `race`, where
//! the first to finish wins even when it failed.

use async_playground::lang;
use async_playground::run::run_virtual;
use async_playground::trace::Report;

fn run(text: &str) -> Report {
    let program = lang::parse(text).unwrap_or_else(|errors| panic!("{errors:?}"));
    run_virtual(&program).expect("plan")
}

const SOURCES: &str = "
source quick_fail = [1, 2] every 100ms | fail after 1 \"connection reset\"
source slow = [10, 20] every 1s
source slower = [30, 40] every 3s | fail after 1 \"timed out upstream\"
";

#[test]
fn race_returns_the_first_to_finish_even_a_failure() {
    let report = run(&format!("{SOURCES}race(sum(quick_fail), sum(slow))"));
    assert_eq!(
        report.statements[0].outcome.to_string(),
        "error: connection reset"
    );
    assert_eq!(report.elapsed_ms, 100.0);
}

#[test]
fn any_skips_failures_and_returns_the_first_success() {
    let report = run(&format!(
        "{SOURCES}any(sum(quick_fail), sum(slow), sum(slower))"
    ));
    assert_eq!(report.statements[0].outcome.to_string(), "30");
    // The success came at 2 s; the third task was cancelled then.
    assert_eq!(report.elapsed_ms, 2000.0);
    let cancelled = report
        .events
        .iter()
        .filter(|e| e.kind.name() == "cancel")
        .count();
    assert_eq!(cancelled, 1);
    assert_eq!(report.lanes[0].kind, "any");
}

#[test]
fn any_fails_only_when_every_task_fails_and_names_each_failure() {
    let report = run(&format!("{SOURCES}any(sum(slower), sum(quick_fail))"));
    assert_eq!(
        report.statements[0].outcome.to_string(),
        "error: every task failed: connection reset; timed out upstream"
    );
    assert_eq!(report.elapsed_ms, 3000.0);
    let many = run(&format!("{SOURCES}any(5 * sum(quick_fail))"));
    assert_eq!(
        many.statements[0].outcome.to_string(),
        "error: every task failed: connection reset; connection reset; connection reset; and 2 more"
    );
}

#[test]
fn any_formats_and_parses_back_and_is_a_keyword() {
    let text = "any(sum([1]), max([2]))\n";
    assert_eq!(lang::format(&lang::parse(text).unwrap()), text);
    let errors = lang::parse("source any = [1]\nsum(any)").unwrap_err();
    assert!(!errors.is_empty());
}

#[test]
fn the_ideal_time_of_any_is_that_of_its_first_success() {
    let report = run(&format!("{SOURCES}any(sum(quick_fail), sum(slow))"));
    assert_eq!(report.statements[0].ideal_ms, 2000.0);
}

#[test]
fn any_exports_to_python_that_gives_the_same_results() {
    use async_playground::lang::{to_python, PythonStyle};
    use std::process::Command;
    let text = format!(
        "{SOURCES}any(sum(quick_fail), sum(slow), sum(slower))\nany(sum(slower), sum(quick_fail))"
    );
    let program = lang::parse(&text).unwrap();
    let python = to_python(&program, PythonStyle::Script);
    assert!(python.contains("async def any_success"), "{python}");
    let output = Command::new("python3")
        .arg("-c")
        .arg(&python)
        .output()
        .expect("python3 runs the export");
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(printed.contains("30"), "{printed}");
    assert!(
        printed.contains("every task failed: connection reset; timed out upstream"),
        "{printed}"
    );
}

#[test]
fn the_replay_narrates_any() {
    use async_playground::replay::Replay;
    use async_playground::run::Plan;
    let text = format!("{SOURCES}any(sum(quick_fail), sum(slow), sum(slower))");
    let program = lang::parse(&text).unwrap();
    let report = run_virtual(&program).unwrap();
    let replay = Replay::new(&Plan::compile(&program).unwrap(), &report.events, false);
    let start = replay.state_at(0.0).event_loop.line;
    assert!(start.contains("any starts"), "{start}");
    assert!(start.contains("the first to succeed wins"), "{start}");
    let end = replay.state_at(2000.0).event_loop.line;
    assert!(
        end.contains("any: sum(slow) succeeded first, so sum(slower) is cancelled"),
        "{end}"
    );
}
