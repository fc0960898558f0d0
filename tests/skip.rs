//! `| skip N`: drops the first N values, passes the rest; the dropped values
//! still take their time.

use async_playground::lang::{self, PythonStyle};
use async_playground::run::run_virtual;

fn run(text: &str) -> async_playground::trace::Report {
    run_virtual(&lang::parse(text).unwrap_or_else(|e| panic!("{e:?}"))).unwrap()
}

#[test]
fn skip_drops_the_first_values_and_they_still_take_their_time() {
    let report = run("collect([10, 20, 40, 80] every 1s | skip 2)");
    assert_eq!(report.statements[0].outcome.to_string(), "[40, 80]");
    assert_eq!(report.elapsed_ms, 4000.0);
}

#[test]
fn skip_more_than_there_are_is_empty_and_skip_0_is_everything() {
    assert_eq!(
        run("collect(range(3) | skip 5)").statements[0]
            .outcome
            .to_string(),
        "[]"
    );
    assert_eq!(
        run("sum(range(10000) | skip 0)").statements[0]
            .outcome
            .to_string(),
        "49995000"
    );
    // The batch path (ready values) agrees with the polled one.
    assert_eq!(
        run("sum(range(10000) | skip 9998)").statements[0]
            .outcome
            .to_string(),
        "19997"
    );
}

#[test]
fn skip_chains_with_the_other_transforms() {
    let report = run("collect(range(10) | skip 2 | filter > 4 | take 2 | map * 10)");
    assert_eq!(report.statements[0].outcome.to_string(), "[50, 60]");
}

#[test]
fn skip_formats_back_and_labels_its_lane() {
    let text = "source a = [1, 2, 3] every 1s | skip 1\n\nsum(a | skip 1)\n";
    assert_eq!(lang::format_text(text).unwrap(), text);
    let report = run(text);
    assert_eq!(report.lanes[0].label.as_ref(), "sum(a | skip 1)");
    assert_eq!(report.statements[0].outcome.to_string(), "3");
}

#[test]
fn skip_needs_a_whole_count_and_is_suggested_for_typos() {
    let errors = lang::parse("sum(range(3) | skip 1.5)").unwrap_err();
    assert!(
        errors[0]
            .message
            .contains("how many values to skip must be a whole number"),
        "{}",
        errors[0].message
    );
    let errors = lang::parse("sum(range(3) | skpi 1)").unwrap_err();
    assert!(
        errors[0].message.contains("did you mean 'skip'"),
        "{}",
        errors[0].message
    );
}

#[test]
fn skip_is_listed_after_take_among_the_transforms() {
    let errors = lang::parse("sum(range(3) | 3)").unwrap_err();
    assert_eq!(
        errors[0].message,
        "expected a transform after '|': take, skip, map, filter, timeout, delay or fail after, found 3"
    );
}

#[test]
fn skip_exports_to_python_with_its_helper() {
    let program = lang::parse("sum([1, 2, 3] | skip 1)").unwrap();
    let python = lang::to_python(&program, PythonStyle::Script);
    assert!(
        python.contains("async def skip(values, count):"),
        "{python}"
    );
    assert!(python.contains("skip(paced([1, 2, 3]), 1)"), "{python}");
}
