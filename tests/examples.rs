#![cfg(not(target_arch = "wasm32"))]
//! Every built-in example parses and runs on the virtual clock with the
//! results and ideal time its header documents.

use async_playground::display::format_duration;
use async_playground::examples::EXAMPLES;
use async_playground::lang;
use async_playground::run::{run_virtual, SeedRuns};

/// `300ms`, `3s`, `1.5s` → milliseconds.
fn duration(text: &str) -> f64 {
    match text.strip_suffix("ms") {
        Some(ms) => ms.parse().unwrap(),
        None => text.strip_suffix('s').unwrap().parse::<f64>().unwrap() * 1000.0,
    }
}

#[test]
fn every_example_gives_its_documented_results_and_ideal_time() {
    for example in EXAMPLES {
        let program = lang::parse(example.text)
            .unwrap_or_else(|errors| panic!("{}: {errors:?}", example.name));
        if example.name.starts_with("io-") {
            // Real fetch/db need the browser: tests/e2e/io.test.mjs runs these.
            // No simulation times real I/O, so the header can't promise an ideal.
            let ideal = example.header("ideal").expect("an ideal header");
            assert!(
                ideal.starts_with("unknown (real I/O)"),
                "{}: {ideal}",
                example.name
            );
            continue;
        }
        let report = run_virtual(&program).unwrap();
        let results: Vec<String> = report
            .statements
            .iter()
            .map(|s| s.outcome.to_string())
            .collect();
        let documented: Vec<&str> = example.headers("result").collect();
        assert_eq!(results, documented, "{}", example.name);
        let ideal = example.header("ideal").expect("an ideal header");
        assert_eq!(report.elapsed_ms, duration(ideal), "{}", example.name);
        assert_eq!(report.ideal_ms, report.elapsed_ms, "{}", example.name);
        assert!(!report.cancelled, "{}", example.name);
    }
}

/// Examples with a `# runs: N` header document each statement's spread
/// over seeds 0..N as `# spread: LABEL: p50 X, p90 X, p99 X, max X`.
#[test]
fn examples_with_runs_give_their_documented_percentiles() {
    let mut checked = 0;
    for example in EXAMPLES {
        let Some(runs) = example.header("runs") else {
            continue;
        };
        let program = lang::parse(example.text).unwrap();
        let mut seeds = SeedRuns::new(&program).unwrap();
        seeds.run(runs.parse().unwrap());
        let spreads: Vec<String> = seeds
            .spreads(1)
            .iter()
            .map(|s| {
                let d = format_duration;
                format!(
                    "{}: p50 {}, p90 {}, p99 {}, max {}",
                    s.label,
                    d(s.p50_ms),
                    d(s.p90_ms),
                    d(s.p99_ms),
                    d(s.max_ms)
                )
            })
            .collect();
        let documented: Vec<&str> = example.headers("spread").collect();
        assert_eq!(spreads, documented, "{}", example.name);
        checked += 1;
    }
    assert!(checked >= 2, "the tail lessons document their percentiles");
}

#[test]
fn the_list_of_examples_matches_the_files() {
    let mut files: Vec<String> = std::fs::read_dir("www/examples")
        .unwrap()
        .filter_map(|entry| {
            let name = entry.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".apg").map(str::to_string)
        })
        .collect();
    files.sort();
    let mut listed: Vec<&str> = EXAMPLES.iter().map(|e| e.name).collect();
    listed.sort();
    assert_eq!(files, listed);
}
