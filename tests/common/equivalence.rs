//! Property-test helpers for the tests that hold two engine paths to one
//! report (`fan_out`, `timed_leaf`). Native only: proptest is.

use async_playground::trace::Report;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

/// Two runs of `program` recorded the same events (compared as text, where a
/// NaN value equals itself); a failure names the first event that differs.
pub fn same_events(a: &Report, b: &Report, program: &str) -> Result<(), TestCaseError> {
    let at = a
        .events
        .iter()
        .zip(&b.events)
        .position(|(x, y)| format!("{x:?}") != format!("{y:?}"));
    let first = at.map(|i| (i, &a.events[i], &b.events[i]));
    proptest::prop_assert_eq!(
        format!("{:?}", a.events),
        format!("{:?}", b.events),
        "first difference {:?}\n{}",
        first,
        program
    );
    Ok(())
}

/// Runs `property` over `cases` values drawn from `strategy` (or as many as
/// the environment variable `cases_var` says), on a thread with room for the
/// deep value trees of debug builds; panics with the smallest failing case.
pub fn check_cases<S: Strategy + 'static>(
    cases_var: &'static str,
    cases: u32,
    strategy: fn() -> S,
    property: fn(S::Value) -> Result<(), TestCaseError>,
) {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || {
            let cases = std::env::var(cases_var)
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(cases);
            let mut runner = TestRunner::new(Config {
                cases,
                failure_persistence: None,
                ..Config::default()
            });
            if let Err(failure) = runner.run(&strategy(), property) {
                panic!("{failure}");
            }
        })
        .unwrap()
        .join()
        .unwrap();
}
