#![cfg(not(target_arch = "wasm32"))]
//! The language half of issue 9's reproducers, as regressions: each gives a
//! clear error at the right place, or a result, within its budget.

#[path = "common/cpu_time.rs"]
mod cpu_time;

use std::time::Duration;

use async_playground::lang::{self, MAX_DIAGNOSTICS};
use async_playground::program::{
    Aggregator, Pacing, Program, SourceExpr, SourceKind, Span, Task, TaskKind,
};
use async_playground::run::{run_virtual, Plan};
use async_playground::schema;
use async_playground::source::ValueSeq;
use cpu_time::within;

/// Debug test builds are several times slower than the page's release build.
fn budget(release_ms: u64) -> Duration {
    Duration::from_millis(if cfg!(debug_assertions) {
        release_ms * 10
    } else {
        release_ms
    })
}

/// The errors of `text` as `line:column: message`, parsed within `budget`.
fn errors(text: &str, budget: Duration) -> Vec<String> {
    match within(budget, "parse", || lang::parse(text)) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| format!("{}:{}: {}", e.line, e.column, e.message))
            .collect(),
    }
}

fn error(text: &str) -> String {
    let found = errors(text, budget(100));
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    found[0].clone()
}

// ---- random ------------------------------------------------------------------------

#[test]
fn random_refuses_a_range_too_wide_to_sample_exactly() {
    assert_eq!(
        error("sum(random(1, 0..1e20))"),
        "1:15: this range is too wide for random: it picks whole numbers from -2^53 to 2^53 (9007199254740992), where each one is exact"
    );
    assert!(error("sum(random(1, -1e16..0))").starts_with("1:15: this range is too wide"));
    // The widest exact range still works, at both ends.
    let report = run_virtual(
        &lang::parse("collect(random(50, -9007199254740992..9007199254740992, seed 7))").unwrap(),
    )
    .unwrap();
    let text = report.statements[0].outcome.to_string();
    assert!(text.starts_with('[') && !text.contains("error"), "{text}");
}

#[test]
fn random_refuses_a_range_with_no_whole_number() {
    assert_eq!(
        error("sum(random(3, 0.5..0.6))"),
        "1:15: random picks whole numbers, and this range has none"
    );
    // A range with one whole number gives only that one.
    let program = lang::parse("collect(random(3, 0.5..1.5))").unwrap();
    let report = run_virtual(&program).unwrap();
    assert_eq!(report.statements[0].outcome.to_string(), "[1, 1, 1]");
}

fn random_program(low: f64, high: f64) -> Program {
    let source = SourceExpr {
        kind: SourceKind::Random {
            count: 3,
            low,
            high,
            seed: 0,
            pacing: Pacing::default(),
        },
        span: Span::new(4, 20),
    };
    Program {
        sources: vec![],
        seed: None,
        statements: vec![Task {
            label: None,
            kind: TaskKind::Aggregate {
                aggregator: Aggregator::Sum,
                source,
            },
            span: Span::NONE,
        }],
    }
}

#[test]
fn programs_built_in_rust_get_a_plan_error_not_a_panic() {
    for (low, high) in [
        (0.0, 1e20),
        (0.5, 0.6),
        (3.0, 1.0),
        (f64::NAN, 1.0),
        (0.0, f64::INFINITY),
    ] {
        let refused = Plan::compile(&random_program(low, high)).unwrap_err();
        assert_eq!(refused.span, Span::new(4, 20), "{low}..{high}");
        assert!(run_virtual(&random_program(low, high)).is_err());
        assert!(ValueSeq::random(3, low, high, 0).is_err());
    }
}

// ---- diagnostics: capped, collapsed, windowed ----------------------------------------

#[test]
fn a_run_of_one_bad_character_is_one_error() {
    let text = "@".repeat(30_000);
    assert_eq!(
        errors(&text, budget(100)),
        ["1:1: unexpected character '@' (30000 in a row)"]
    );
    // The page's parse result stays small: one line's window, not the line.
    let json = schema::parse_result(&text, &lang::parse(&text), &[], false);
    assert!(json.len() < 1000, "{} bytes", json.len());
}

#[test]
fn errors_are_capped_in_total() {
    let texts = [
        "@$".repeat(100_000),
        "sum(nope)\n".repeat(50_000),
        "sum([1]\n".repeat(50_000),
        "source a = [1]\n".repeat(50_000),
        "@\nsum(nope)\n".repeat(20_000),
    ];
    within(budget(1000), "five texts of many errors", || {
        for text in &texts {
            let parsed = lang::parse(text).unwrap_err();
            assert_eq!(parsed.len(), MAX_DIAGNOSTICS);
            let json = schema::parse_result(text, &Err(parsed), &[], false);
            assert!(json.len() < 100_000, "{} bytes", json.len());
        }
    });
}

#[test]
fn messages_quoting_a_huge_token_are_cut_in_the_middle() {
    let huge = "1".repeat(1 << 20);
    for text in [
        format!("sum([{huge}])"),
        format!(
            "source {} = [1]\nsum({})",
            "a".repeat(1 << 20),
            "b".repeat(1 << 20)
        ),
    ] {
        let found = errors(&text, budget(200));
        assert!(!found.is_empty());
        for message in found {
            assert!(message.len() < 300, "{} bytes", message.len());
        }
    }
    assert!(error(&format!("sum([{huge}])")).ends_with("111 is too large"));
}

#[test]
fn rendered_shows_a_window_of_a_long_line() {
    let text = format!(
        "{}sum(nope){}",
        "sum([1]); ".repeat(1000),
        " # x".repeat(1000)
    );
    let rendered: Vec<String> = lang::parse(&text)
        .unwrap_err()
        .iter()
        .map(|e| e.render(&text))
        .collect();
    for shown in &rendered {
        let lines: Vec<&str> = shown.lines().collect();
        assert_eq!(lines.len(), 3, "{shown}");
        assert!(lines[1].chars().count() <= 4 + 3 + 120 + 3, "{}", lines[1]);
    }
    // The window keeps the place and its carets lined up.
    let text = format!("{}sum(nope) #{}", " ".repeat(500), "y".repeat(500));
    let error = &lang::parse(&text).unwrap_err()[0];
    let shown = error.render(&text);
    let lines: Vec<&str> = shown.lines().collect();
    let caret = lines[2].find('^').unwrap();
    assert!(lines[1][caret..].starts_with("nope) #y"), "{shown}");
    assert!(lines[2].ends_with(" ^^^^"), "{shown}");
    assert!(
        lines[1].starts_with("  | ... ") && lines[1].ends_with("y..."),
        "{shown}"
    );
}

// ---- linear parse ----------------------------------------------------------------------

#[test]
fn long_programs_parse_quickly() {
    // Issue 9: 40,000 lines took 10 s, 50,000 erroring lines 59 s.
    assert!(errors(&"sum([1])\n".repeat(100_000), budget(500)).is_empty());
    assert_eq!(
        errors(&"sum(nope)\n".repeat(50_000), budget(500)).len(),
        MAX_DIAGNOSTICS
    );
}

// ---- static caps count what a pipe pulls -----------------------------------------------

#[test]
fn a_filter_before_take_counts_every_value_it_may_pull() {
    assert_eq!(
        error("sum(range(9007199254740992) | filter < 0 | take 1)"),
        "1:1: this program makes up to 9007199254740992 values in all; the cap is 100000000"
    );
    assert!(
        error("sum(range(9007199254740992) | filter < 0 | fail after 1 \"x\")")
            .contains("9007199254740992 values")
    );
    assert!(
        error("sum(merge(range(9007199254740992) | filter < 0, [1]) | map * 2 | take 1)")
            .contains("values in all")
    );
    assert!(
        error("source s = range(200000000) | filter > 1\nsum(s | take 1)")
            .starts_with("2:1: this program makes up to 200000000 values")
    );
    // Without a filter, take bounds what is pulled.
    assert!(errors(
        "sum(range(9007199254740992) | map * 2 | take 1)",
        budget(100)
    )
    .is_empty());
    assert!(errors(
        "sum(range(9007199254740992) | take 1 | filter < 0)",
        budget(100)
    )
    .is_empty());
}

#[test]
fn tiny_blocking_delays_count_their_overhead() {
    // Each blocking value with a delay counts at least 0.2 ms.
    assert_eq!(
        error("sum(range(100000) every 1e-9ms blocking)"),
        "1:1: this program busy-waits 20 s in all; the cap is 10 s"
    );
    assert!(errors("sum(range(49999) every 1e-9ms blocking)", budget(100)).is_empty());
    assert!(error("sum(range(10000000) every 1e-9ms blocking)").contains("2000 s in all"));
    let edge =
        "sum([1, 2] after [1e-9ms, 0ms] blocking)\ngather(49999 * sum([1] every 1e-9ms blocking))";
    assert!(error(edge).contains("busy-waits over 10 s"), "{edge}");
    // Zero delays don't busy-wait at all.
    assert!(errors("sum(range(1000000) every 0ms blocking)", budget(100)).is_empty());
}

// ---- nesting ----------------------------------------------------------------------------

fn nested(groups: usize, inner: &str) -> String {
    format!("{}{inner}{}", "gather(".repeat(groups), ")".repeat(groups))
}

#[test]
fn nesting_is_limited_to_64_levels_of_brackets_copies_and_pipes() {
    // 63 groups and `sum(` are 64 levels.
    let deepest = format!("source a = [1]\n{}", nested(63, "sum(a)"));
    let report = run_virtual(&lang::parse(&deepest).unwrap()).unwrap();
    assert_eq!(
        report.statements[0]
            .outcome
            .to_string()
            .matches('1')
            .count(),
        1
    );
    let too_deep = format!("source a = [1]\n{}", nested(64, "sum(a)"));
    assert!(error(&too_deep).ends_with("this is nested too deeply (more than 64 levels)"));
    // A list is a level too.
    assert!(errors(&nested(62, "sum([1])"), budget(100)).is_empty());
    assert!(error(&nested(63, "sum([1])")).contains("nested too deeply"));
    // Copies are levels: `gather(` + 62 copies + `sum(`.
    let copies = format!("source a = [1]\ngather({}sum(a))", "1 * ".repeat(62));
    assert!(errors(&copies, budget(100)).is_empty());
    let copies = format!("source a = [1]\ngather({}sum(a))", "1 * ".repeat(63));
    assert!(error(&copies).contains("nested too deeply"));
    // Pipes are levels: `sum(` and `[` and 62 pipes.
    let pipes = |n: usize| format!("sum([1]{})", " | take 1".repeat(n));
    assert!(errors(&pipes(62), budget(100)).is_empty());
    assert!(error(&pipes(63)).contains("this pipe chain is too long (more than 64 levels)"));
    // Pipes on a nested source add to its depth.
    let merged = |n: usize| {
        format!(
            "sum({}[1]{}{})",
            "merge(".repeat(10),
            ")".repeat(10),
            " | take 1".repeat(n)
        )
    };
    assert!(errors(&merged(52), budget(100)).is_empty());
    assert!(error(&merged(53)).contains("too long"));
}

// ---- race --------------------------------------------------------------------------------

#[test]
fn a_race_whose_first_finisher_fails_fails_with_its_error() {
    let program =
        lang::parse("race(sum([1] every 1s | fail after 1 \"boom\"), sum([2] every 2s))").unwrap();
    let report = run_virtual(&program).unwrap();
    assert!(report.statements[0].outcome.to_string().contains("boom"));
    assert_eq!(report.statements[0].elapsed_ms, 1000.0);
}

#[test]
fn a_failing_task_fails_alone_in_other_groups() {
    for group in ["sequential", "gather", "limit(1, "] {
        let open = if group.ends_with(' ') {
            group.to_string()
        } else {
            format!("{group}(")
        };
        let text = format!("{open}sum([1] every 1s | fail after 0 \"boom\"), sum([2] every 2s))");
        let report = run_virtual(&lang::parse(&text).unwrap()).unwrap();
        let result = report.statements[0].outcome.to_string();
        assert!(
            result.contains("boom") && result.ends_with(", 2]"),
            "{text}: {result}"
        );
    }
}

#[test]
fn nested_copies_built_in_rust_get_a_plan_error_not_all_memory() {
    let leaf = random_program(1.0, 6.0).statements.remove(0);
    let copies = |count: u64, task: Task| Task {
        label: None,
        kind: TaskKind::Repeat {
            count,
            task: Box::new(task),
        },
        span: Span::NONE,
    };
    let gather = |children: Vec<Task>| Task {
        label: None,
        kind: TaskKind::Group {
            group: async_playground::program::Group::Gather,
            children,
        },
        span: Span::NONE,
    };
    let inner = gather(vec![copies(2_000_000, leaf)]);
    let program = Program {
        sources: vec![],
        seed: None,
        statements: vec![gather(vec![copies(2_000_000, inner)])],
    };
    let refused = within(budget(2000), "refusing the plan", || {
        Plan::compile(&program).unwrap_err()
    });
    assert_eq!(refused.message, "at most 2000000 tasks in all");
}

#[test]
fn parse_results_give_utf16_offsets_on_any_line() {
    let text = "# é😀\nsum(nope)";
    let json = schema::parse_result(text, &lang::parse(text), &[], false);
    // "# é😀\n" is 6 UTF-16 units: '#', ' ', 'é', two for '😀', '\n'.
    assert!(
        json.contains(r#""line":2,"column":5,"from":10,"to":14"#),
        "{json}"
    );
}

#[test]
fn a_duration_habit_after_a_wide_char_is_not_a_panic() {
    // Found by the fuzzer: the habit "1 s" after a 3-byte char sliced inside it.
    let found = errors("sum([1] every é1 s)", budget(100));
    assert!(!found.is_empty());
    assert!(
        found
            .iter()
            .any(|e| e.contains("a duration has no space: write 1s")),
        "{found:?}"
    );
}

#[test]
fn a_long_chain_of_names_into_a_fan_out_does_not_overflow_the_stack() {
    // Each name stands for the one before it; the checker follows the chain
    // to decide whether the gather fans out.
    let links = 100_000;
    let mut text = String::from("source a0 = [1, 2] every 1ms\n");
    for i in 1..links {
        text.push_str(&format!("source a{i} = a{}\n", i - 1));
    }
    text.push_str(&format!("gather(5 * sum(a{}))\n", links - 1));
    let report = within(budget(2_000), "parse and run", || {
        let program = lang::parse(&text).expect("a valid program");
        run_virtual(&program).expect("a plan")
    });
    assert_eq!(report.statements[0].outcome.to_string(), "[3, 3, 3, 3, 3]");
}
