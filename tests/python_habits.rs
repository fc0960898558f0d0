#![cfg(not(target_arch = "wasm32"))]
//! Python habits get a message that says what to write here instead, at the
//! habit's own line and column.

use async_playground::lang;

/// The first error of `text`: (line, column, message).
fn first_error(text: &str) -> (u32, u32, String) {
    let errors = lang::parse(text).expect_err(text);
    let e = &errors[0];
    (e.line, e.column, e.message.clone())
}

fn check(text: &str, line: u32, column: u32, message: &str) {
    assert_eq!(
        first_error(text),
        (line, column, message.to_string()),
        "for {text:?}"
    );
}

const DEFS: &str = "source afeat1 = [10, 20, 40] every 1s\n";

#[test]
fn asyncio_gather() {
    check(
        &format!("{DEFS}asyncio.gather(sum(afeat1))"),
        2,
        1,
        "'asyncio.gather(' is Python; here write gather(...)",
    );
}

#[test]
fn await_gather() {
    check(
        &format!("{DEFS}await gather(sum(afeat1))"),
        2,
        1,
        "'await' is Python; here a line runs when it is reached: write the task without await, like gather(...)",
    );
}

#[test]
fn async_def() {
    check(
        "async def afeat1():\n",
        1,
        1,
        "'async' is Python; here define a source with: source afeat1 = [10, 20, 40] every 1s",
    );
    check(
        "def afeat1():\n",
        1,
        1,
        "'def' is Python; here define a source with: source afeat1 = [10, 20, 40] every 1s",
    );
}

#[test]
fn calling_a_source() {
    check(
        &format!("{DEFS}sum(afeat1())"),
        2,
        5,
        "no parentheses after a source name: write afeat1",
    );
}

#[test]
fn definition_without_source() {
    check(
        "afeat1 = [10, 20] every 1s\n",
        1,
        1,
        "a definition starts with 'source': write source afeat1 = ...",
    );
}

#[test]
fn comprehension() {
    check(
        &format!("{DEFS}[x for x in afeat1]"),
        2,
        4,
        "a comprehension is Python; here write collect(afeat1) for the list of values",
    );
}

#[test]
fn single_quotes() {
    check(
        "\"a\": sum([1])\n'b': sum([2])",
        2,
        1,
        "strings use double quotes here: write \"...\"",
    );
}

#[test]
fn duration_with_a_space() {
    check(
        "sum([1, 2] every 1 s)",
        1,
        18,
        "a duration has no space: write 1s",
    );
    check(
        "sum([1, 2] every 100 ms)",
        1,
        18,
        "a duration has no space: write 100ms",
    );
}

#[test]
fn range_with_start_and_stop() {
    check(
        "sum(range(1, 5))",
        1,
        5,
        "range(1, 5) is Python; here range takes one count (0, 1, ...): write range(4) | map + 1",
    );
}

#[test]
fn import_print_none_power_and_sleeps() {
    check(
        "import asyncio",
        1,
        1,
        "'import' is Python; nothing needs importing here",
    );
    check(
        "print(sum([1]))",
        1,
        1,
        "'print(...)' is Python; every statement's result is shown: write the task alone, like sum(afeat1)",
    );
    check(
        "sum([1, None])",
        1,
        9,
        "'None' is Python; values here are numbers only",
    );
    check(
        "sum([1] | map ** 2)",
        1,
        15,
        "'**' is Python's power; map takes + - * / with a number",
    );
    check(
        "asyncio.run(main())",
        1,
        1,
        "'asyncio.run(' is Python; here write the task alone on its line: the page's loop runs it",
    );
    check(
        "time.sleep(1)",
        1,
        1,
        "'time.sleep(' is Python; here write 'blocking' after the pacing: [10, 20] every 1s blocking",
    );
}

#[test]
fn habits_inside_strings_and_comments_are_not_habits() {
    // The error here is the bare number; the words in the label and the
    // comment must not replace it.
    let (_, _, message) = first_error("\"await asyncio.gather(\": sum([1] every 100) # async def");
    assert_eq!(message, "expected a duration like 100ms or 1s, found 100");
}

#[test]
fn other_lines_keep_their_errors() {
    let errors = lang::parse("await sum([1])\nsum([1] every 100)").unwrap_err();
    assert_eq!(errors.len(), 2);
    assert!(errors[0].message.starts_with("'await' is Python"));
    assert_eq!(
        errors[1].message,
        "expected a duration like 100ms or 1s, found 100"
    );
}
