#![cfg(not(target_arch = "wasm32"))]
//! Parsing is linear: lexing, parsing, checking, diagnostics and the page's
//! parse result take time proportional to the text, for every shape of
//! program, up to 1 MB. `cargo test --release --test parse_time -- --nocapture`
//! prints the curve.

#[path = "common/cpu_time.rs"]
mod cpu_time;

use std::time::Duration;

use async_playground::lang;
use async_playground::run::Plan;
use async_playground::schema;
use cpu_time::Stopwatch;

/// What the page does with a text on every edit: parse and check it, and
/// for a valid program compile it for the statement labels and format it.
fn parse_like_the_page(text: &str) -> usize {
    let parsed = lang::parse(text);
    let plan = parsed.as_ref().ok().and_then(|p| Plan::compile(p).ok());
    let labels: Vec<&str> = plan.iter().flat_map(Plan::statement_labels).collect();
    let random_delays = plan.as_ref().is_some_and(Plan::draws);
    let json = schema::parse_result(text, &parsed, &labels, random_delays);
    let formatted = parsed.as_ref().map_or(0, |p| lang::format(p).len());
    json.len() + formatted
}

/// `bytes` of program text made by repeating `unit(i)`.
fn repeated(bytes: usize, unit: impl Fn(usize) -> String) -> String {
    let mut text = String::with_capacity(bytes + 100);
    let mut i = 0;
    while text.len() < bytes {
        text.push_str(&unit(i));
        i += 1;
    }
    text
}

/// Makes a program of about the given bytes.
type Shape = fn(usize) -> String;

/// Program shapes, by name.
fn shapes() -> Vec<(&'static str, Shape)> {
    vec![
        ("valid lines", |n| repeated(n, |_| "sum([1])\n".into())),
        ("erroring lines", |n| repeated(n, |_| "sum(nope)\n".into())),
        ("unclosed lines", |n| repeated(n, |_| "sum([1]\n".into())),
        ("sources and uses", |n| {
            repeated(n, |i| format!("source s{i} = [1]\nsum(s{i})\n"))
        }),
        ("one long line", |n| {
            format!("gather({})\n", repeated(n, |_| "sum([1]), ".into()))
        }),
        ("nesting", |n| {
            repeated(n, |_| {
                format!("{}sum([1]){}\n", "gather(".repeat(30), ")".repeat(30))
            })
        }),
        ("comments", |n| {
            repeated(n, |_| {
                "# a comment about the next line\nsum([1]) # and this\n".into()
            })
        }),
        ("bad characters", |n| repeated(n, |_| "@".into())),
        ("mixed bad characters", |n| repeated(n, |_| "@$".into())),
        ("unclosed strings", |n| {
            repeated(n, |_| "sum(fetch(\"x\n".into())
        }),
        // Python habits are looked for on lines with errors: long ones too.
        ("a long line of words", |n| repeated(n, |_| "x ".into())),
        ("a long line of habits", |n| {
            repeated(n, |_| "in [range(1 s await ".into())
        }),
    ]
}

/// CPU time, so that other work on the machine doesn't count.
fn time_once(text: &str) -> Duration {
    let start = Stopwatch::start();
    std::hint::black_box(parse_like_the_page(text));
    start.elapsed()
}

const MB: usize = 1 << 20;

/// CPU time barely varies; one round keeps the slow debug build's share of
/// `./dev test` small. A shape that looks nonlinear is measured again, up
/// to `MAX_ROUNDS` in all, keeping each size's best: a stall of the machine
/// (page faults, a sibling core's cache traffic) hits one measurement, a
/// quadratic algorithm hits every one.
const MIN_ROUNDS: usize = if cfg!(debug_assertions) { 1 } else { 3 };
const MAX_ROUNDS: usize = 4;

/// Time on 2n within 3x of time on n, for every shape up to 1 MB; and 1 MB
/// well under a second in release (debug builds are several times slower).
/// Each size is timed in CPU time and its best round counts, the sizes
/// interleaved so that all see the same load.
#[test]
fn parse_time_is_linear_up_to_1_mb() {
    let sizes = [MB / 4, MB / 2, MB];
    let one_mb_budget = if cfg!(debug_assertions) { 5.0 } else { 0.5 };
    let mut report = String::new();
    let mut failures = Vec::new();
    for (name, make) in shapes() {
        let texts: Vec<String> = sizes.iter().map(|&n| make(n)).collect();
        let mut times = vec![Duration::MAX; sizes.len()];
        let mut shape_failures = Vec::new();
        for round in 1..=MAX_ROUNDS {
            for (text, best) in texts.iter().zip(&mut times) {
                *best = (*best).min(time_once(text));
            }
            shape_failures = nonlinear(name, &sizes, &times, one_mb_budget);
            if round >= MIN_ROUNDS && shape_failures.is_empty() {
                break;
            }
        }
        failures.extend(shape_failures);
        report += &format!("{name:>22}:");
        for (n, t) in sizes.iter().zip(&times) {
            report += &format!("  {:>4} KB {:>7.1} ms", n / 1024, t.as_secs_f64() * 1e3);
        }
        report += "\n";
    }
    println!("{report}");
    assert!(failures.is_empty(), "{failures:?}\n{report}");
}

/// What is wrong with a shape's best times: a doubling that costs over 3x,
/// or 1 MB over its budget.
fn nonlinear(name: &str, sizes: &[usize], times: &[Duration], one_mb_budget: f64) -> Vec<String> {
    let mut failures = Vec::new();
    for (pair, n) in times.windows(2).zip(&sizes[1..]) {
        // CPU time moves in scheduler ticks (4 ms at 250 Hz): below
        // 10 ms the ratio is noise.
        let ratio = pair[1].as_secs_f64() / pair[0].as_secs_f64().max(0.01);
        if ratio > 3.0 {
            failures.push(format!("{name}: {ratio:.1}x from {} KB", n / 2048));
        }
    }
    let one_mb = times[times.len() - 1].as_secs_f64();
    if one_mb > one_mb_budget {
        failures.push(format!("{name}: {one_mb:.2} s for 1 MB"));
    }
    failures
}
