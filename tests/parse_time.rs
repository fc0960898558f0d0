#![cfg(not(target_arch = "wasm32"))]
//! Parsing is linear: lexing, parsing, checking, diagnostics and the page's
//! parse result take time proportional to the text, for every shape of
//! program, up to 1 MB. `cargo test --release --test parse_time -- --nocapture`
//! prints the curve.

use std::time::{Duration, Instant};

use async_playground::lang;
use async_playground::run::Plan;
use async_playground::schema;

/// What the page does with a text on every edit: parse and check it, and
/// for a valid program compile it for the statement labels and format it.
fn parse_like_the_page(text: &str) -> usize {
    let parsed = lang::parse(text);
    let plan = parsed.as_ref().ok().and_then(|p| Plan::compile(p).ok());
    let labels: Vec<&str> = plan.iter().flat_map(Plan::statement_labels).collect();
    let json = schema::parse_result(text, &parsed, &labels);
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

/// Program shapes, each as a text of about `bytes`.
fn shapes() -> Vec<(&'static str, fn(usize) -> String)> {
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
    ]
}

/// The fastest of a few runs: the least disturbed by other work.
fn time(text: &str) -> Duration {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(parse_like_the_page(text));
            start.elapsed()
        })
        .min()
        .unwrap()
}

const MB: usize = 1 << 20;

#[test]
fn parse_time_is_linear_up_to_1_mb() {
    let sizes = [MB / 8, MB / 4, MB / 2, MB];
    let mut report = String::new();
    let mut failures = Vec::new();
    for (name, make) in shapes() {
        let times: Vec<Duration> = sizes.iter().map(|&n| time(&make(n))).collect();
        report += &format!("{name:>22}:");
        for (n, t) in sizes.iter().zip(&times) {
            report += &format!("  {:>4} KB {:>7.1} ms", n / 1024, t.as_secs_f64() * 1e3);
        }
        report += "\n";
        for (pair, n) in times.windows(2).zip(&sizes[1..]) {
            // Below a millisecond, timer noise dominates the ratio.
            let ratio = pair[1].as_secs_f64() / pair[0].as_secs_f64().max(1e-3);
            if ratio > 3.0 {
                failures.push(format!("{name}: {ratio:.1}x from {} KB", n / 2048));
            }
        }
    }
    println!("{report}");
    assert!(failures.is_empty(), "not linear:\n{failures:?}\n{report}");
}

#[test]
fn a_1_mb_program_parses_in_well_under_a_second() {
    // Debug builds are several times slower than the release build the page
    // runs; both must stay well under a second.
    let budget = if cfg!(debug_assertions) { 3.0 } else { 0.5 };
    for (name, make) in shapes() {
        let took = time(&make(MB)).as_secs_f64();
        assert!(took < budget, "{name}: {took:.2} s for 1 MB");
    }
}
