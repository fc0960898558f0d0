#![cfg(not(target_arch = "wasm32"))]
//! Random delays: each distribution against its analytic mean and
//! quantiles over 10^5 draws, seeded runs reproducible bit for bit, and the
//! tail lessons measured with Run ×N.

use async_playground::distribution::{Distribution, Spike, Spread, Z99};
use async_playground::examples::EXAMPLES;
use async_playground::lang;
use async_playground::run::{percentile, run_virtual, SeedRuns};

const DRAWS: u64 = 100_000;

/// 10^5 draws from one stream, sorted, and their mean.
fn draws(distribution: Distribution) -> (Vec<f64>, f64) {
    let mut values: Vec<f64> = (0..DRAWS).map(|i| distribution.draw(12345, i)).collect();
    values.sort_by(f64::total_cmp);
    let mean = values.iter().sum::<f64>() / DRAWS as f64;
    (values, mean)
}

fn near(what: &str, got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, want {want} ± {tolerance}"
    );
}

fn plain(spread: Spread) -> Distribution {
    Distribution {
        spread,
        spike: None,
    }
}

#[test]
fn uniform_matches_its_mean_and_quantiles() {
    let (sorted, mean) = draws(plain(Spread::Uniform {
        low: 50.0,
        high: 150.0,
    }));
    near("mean", mean, 100.0, 0.5);
    for p in [0.1, 0.5, 0.9, 0.99] {
        near(
            &format!("q{p}"),
            percentile(&sorted, p),
            50.0 + 100.0 * p,
            1.0,
        );
    }
    assert!(sorted[0] >= 50.0 && sorted[sorted.len() - 1] < 150.0);
}

#[test]
fn exp_matches_its_mean_and_quantiles() {
    let (sorted, mean) = draws(plain(Spread::Exp { mean: 100.0 }));
    near("mean", mean, 100.0, 1.5);
    for (p, tolerance) in [(0.5, 1.5), (0.9, 4.0), (0.99, 15.0)] {
        let analytic = -100.0 * f64::ln(1.0 - p);
        near(
            &format!("q{p}"),
            percentile(&sorted, p),
            analytic,
            tolerance,
        );
    }
}

#[test]
fn lognormal_matches_its_median_p99_and_mean() {
    let (sorted, mean) = draws(plain(Spread::LogNormal {
        median: 100.0,
        p99: 1000.0,
    }));
    let sigma = f64::ln(10.0) / Z99;
    near("mean", mean, 100.0 * (sigma * sigma / 2.0).exp(), 4.0);
    near("median", percentile(&sorted, 0.5), 100.0, 2.0);
    near(
        "q0.9",
        percentile(&sorted, 0.9),
        100.0 * (sigma * 1.281_551_6).exp(),
        10.0,
    );
    near("p99", percentile(&sorted, 0.99), 1000.0, 50.0);
}

#[test]
fn a_spike_replaces_the_delay_with_its_chance() {
    let (sorted, mean) = draws(Distribution {
        spread: Spread::Fixed(100.0),
        spike: Some(Spike {
            percent: 1.0,
            ms: 2000.0,
        }),
    });
    near("mean", mean, 0.99 * 100.0 + 0.01 * 2000.0, 3.0);
    let spikes = sorted.iter().filter(|ms| **ms == 2000.0).count() as f64 / DRAWS as f64;
    near("spike share", spikes, 0.01, 0.001);
    assert_eq!(percentile(&sorted, 0.5), 100.0);
    assert_eq!(percentile(&sorted, 0.98), 100.0);
    assert_eq!(percentile(&sorted, 0.995), 2000.0);
}

#[test]
fn the_same_seed_gives_the_same_run_bit_for_bit() {
    let text = |seed: u64| {
        format!(
            "seed {seed}\nsource call = [1, 2, 3] every lognormal(50ms, p99 400ms) spike 2% 1s\n\
             gather(20 * collect(call))\nrace(first(call), first(call | delay 30ms))\n\
             limit(3, 6 * sum(merge(call, [5] every uniform(10ms..90ms))))\nsum([1] every exp(70ms))"
        )
    };
    let run = |seed| run_virtual(&lang::parse(&text(seed)).unwrap()).unwrap();
    let (first, again, other) = (run(7), run(7), run(8));
    assert_eq!(first, again);
    let bits = |report: &async_playground::trace::Report| -> Vec<u64> {
        report.events.iter().map(|e| e.t.to_bits()).collect()
    };
    assert_eq!(bits(&first), bits(&again));
    assert_ne!(first.elapsed_ms, other.elapsed_ms);
    // The seed runs see the same times as the full run of that seed.
    let mut runs = SeedRuns::new(&lang::parse(&text(0)).unwrap()).unwrap();
    runs.run(8);
    for (index, statement) in first.statements.iter().enumerate() {
        assert_eq!(
            runs.elapsed(index)[7].to_bits(),
            statement.elapsed_ms.to_bits()
        );
    }
}

#[test]
fn ideal_times_are_the_virtual_run_of_the_same_seed() {
    let program = lang::parse(
        "seed 3\nsource call = [1] every exp(100ms)\ngather(50 * first(call))\nrace(4 * first(call))",
    )
    .unwrap();
    let ideals = async_playground::run::ideal_times(&program).unwrap();
    let report = run_virtual(&program).unwrap();
    let elapsed: Vec<f64> = report.statements.iter().map(|s| s.elapsed_ms).collect();
    assert_eq!(ideals, elapsed);
}

fn example(name: &str) -> &'static str {
    EXAMPLES.iter().find(|e| e.name == name).unwrap().text
}

#[test]
fn fan_out_puts_the_single_calls_slow_one_percent_at_the_p50_of_100_calls() {
    let mut runs = SeedRuns::new(&lang::parse(example("fanout-tail")).unwrap()).unwrap();
    runs.run(2000);
    let spreads = runs.spreads(20);
    let (one, hundred) = (&spreads[0], &spreads[2]);
    assert_eq!(one.p50_ms, 100.0);
    assert_eq!(one.max_ms, 2000.0);
    let slow = |index: usize| {
        runs.elapsed(index)
            .iter()
            .filter(|ms| **ms >= 2000.0)
            .count() as f64
            / 2000.0
    };
    near("share of single calls that spike", slow(0), 0.01, 0.004);
    near(
        "share of 10-gathers that spike",
        slow(1),
        1.0 - 0.99f64.powi(10),
        0.02,
    );
    near(
        "share of 100-gathers that spike",
        slow(2),
        1.0 - 0.99f64.powi(100),
        0.03,
    );
    // The slow 1 % of one call is the median of a 100-call gather.
    assert_eq!(hundred.p50_ms, one.max_ms);
    assert_eq!(hundred.p50_ms, 2000.0);
}

#[test]
fn with_a_continuous_tail_the_p50_of_100_calls_is_near_one_calls_p99() {
    let spread = |statement: &str, seeds: u64| {
        let text = format!("source call = [1] every lognormal(100ms, p99 1s)\n{statement}");
        let mut runs = SeedRuns::new(&lang::parse(&text).unwrap()).unwrap();
        runs.run(seeds);
        runs.spreads(20).remove(0)
    };
    let (one, hundred) = (
        spread("first(call)", 10_000),
        spread("gather(100 * first(call))", 2000),
    );
    near("one call's p99", one.p99_ms, 1000.0, 100.0);
    // Analytic: the median of the max of 100 is the 0.5^(1/100) quantile, 1.14 s.
    near("100 calls' p50", hundred.p50_ms, 1144.0, 60.0);
    near("ratio", hundred.p50_ms / one.p99_ms, 1.14, 0.2);
}

#[test]
fn seed_runs_cut_into_slices_give_the_same_times() {
    let text =
        "source call = [1, 2] every exp(50ms)\ngather(30 * sum(call))\nrace(3 * first(call))";
    let program = lang::parse(text).unwrap();
    let mut whole = SeedRuns::new(&program).unwrap();
    whole.run(20);
    let mut sliced = SeedRuns::new(&program).unwrap();
    let mut slices = 0;
    while sliced.runs() < 20 {
        let mut polls = 0;
        sliced.run_while(20 - sliced.runs() as u64, || {
            polls += 1;
            polls < 3
        });
        slices += 1;
    }
    assert!(
        slices > 40,
        "slices must end inside seeds' runs: {slices} slices"
    );
    for statement in 0..2 {
        assert_eq!(whole.elapsed(statement), sliced.elapsed(statement));
    }
}
