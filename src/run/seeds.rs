//! Run ×N: a program under many seeds on the virtual clock, keeping only
//! each statement's elapsed time, and the spread of those times per
//! statement (percentiles and a histogram whose bars name a seed).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use super::{Engine, Plan, PlanError};
use crate::clock::{EitherClock, Progress, VirtualClock};
use crate::program::{Group, Program};
use crate::source::NoIo;

/// The runs so far of one program, seed after seed: run number `i` uses
/// seed `i`. Run them in slices with [`SeedRuns::run_while`] so a page stays
/// responsive (a slice may end inside one seed's run, which the next slice
/// resumes); stopping is just not calling it again.
///
/// ```
/// use async_playground::{lang, run::SeedRuns};
/// let program = lang::parse("source call = [1] every 100ms spike 50% 1s\nfirst(call)").unwrap();
/// let mut runs = SeedRuns::new(&program).unwrap();
/// runs.run(200);
/// let spread = &runs.spreads(10)[0];
/// assert_eq!(spread.runs, 200);
/// assert_eq!((spread.min_ms, spread.max_ms), (100.0, 1000.0)); // some seeds spike, some don't
/// assert_eq!(spread.p99_ms, 1000.0);
/// assert_eq!(spread.bins.iter().map(|bin| bin.count).sum::<u64>(), 200);
/// ```
pub struct SeedRuns {
    plan: Rc<Plan>,
    labels: Vec<String>,
    /// `elapsed[statement][run]`, in ms.
    elapsed: Vec<Vec<f64>>,
    /// The seed's run that the last slice paused in the middle of.
    current: Option<SeedRun>,
}

/// One seed's run: its clock, and the run yielding each statement's elapsed time.
type SeedRun = (VirtualClock, Pin<Box<dyn Future<Output = Vec<f64>>>>);

/// One statement's elapsed times over every seed run so far.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementSpread {
    pub label: String,
    /// `"task"`, or the statement's group: `"gather"`, `"race"`, ...
    pub kind: &'static str,
    pub runs: usize,
    pub min_ms: f64,
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub bins: Vec<Bin>,
}

/// A histogram bar: how many runs took `from_ms..to_ms` (the last bar
/// includes its end), and the first seed that did, to open in the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    pub from_ms: f64,
    pub to_ms: f64,
    pub count: u64,
    pub seed: Option<u64>,
}

impl SeedRuns {
    pub fn new(program: &Program) -> Result<SeedRuns, PlanError> {
        let labels = Plan::compile(program)?
            .statement_labels()
            .map(str::to_string)
            .collect();
        let plan = Rc::new(Plan::compile_untraced(program)?);
        let elapsed = vec![Vec::new(); plan.statements.len()];
        Ok(SeedRuns {
            plan,
            labels,
            elapsed,
            current: None,
        })
    }

    /// Runs the next `count` seeds.
    pub fn run(&mut self, count: u64) {
        self.run_while(count, || true);
    }

    /// Runs up to `count` more seeds while `keep_going` says yes; it is asked
    /// between seeds and between polls within one, so a slice of wall time
    /// holds even for a seed that takes long. Returns how many seeds finished.
    pub fn run_while(&mut self, count: u64, mut keep_going: impl FnMut() -> bool) -> u64 {
        let mut finished = 0;
        while finished < count {
            let seed = self.runs() as u64;
            let plan = &self.plan;
            let (clock, work) = self
                .current
                .get_or_insert_with(|| start(plan.clone(), seed));
            let times = match clock.advance(Pin::new(work), &mut keep_going) {
                Progress::Done(times) => times,
                // Only a source waiting on real I/O stalls a virtual run, and
                // those fail at once without the browser: count it as 0.
                Progress::Stalled => Vec::new(),
                Progress::Paused => break,
            };
            self.current = None;
            for (index, column) in self.elapsed.iter_mut().enumerate() {
                column.push(times.get(index).copied().unwrap_or(0.0));
            }
            finished += 1;
            if !keep_going() {
                break;
            }
        }
        finished
    }

    /// How many seeds have run.
    pub fn runs(&self) -> usize {
        self.elapsed.first().map_or(0, Vec::len)
    }

    /// Statement `index`'s elapsed time in each run, by seed.
    pub fn elapsed(&self, index: usize) -> &[f64] {
        self.elapsed.get(index).map_or(&[], Vec::as_slice)
    }

    /// Every statement's spread, with histograms of `bins` bars over one
    /// shared range (the fastest to the slowest run of any statement), so
    /// statements side by side compare at a glance.
    pub fn spreads(&self, bins: usize) -> Vec<StatementSpread> {
        let all = self.elapsed.iter().flatten();
        let low = all.clone().copied().fold(f64::INFINITY, f64::min);
        let high = all.copied().fold(f64::NEG_INFINITY, f64::max);
        self.elapsed
            .iter()
            .zip(&self.plan.statements)
            .enumerate()
            .map(|(index, (times, node))| {
                let mut sorted = times.clone();
                sorted.sort_by(f64::total_cmp);
                let kind = match node {
                    super::plan::Node::Leaf { .. } => "task",
                    super::plan::Node::Group { group, .. } => Group::name(*group),
                    super::plan::Node::FanOut { .. } => Group::Gather.name(),
                };
                StatementSpread {
                    label: self.labels.get(index).cloned().unwrap_or_default(),
                    kind,
                    runs: times.len(),
                    min_ms: sorted.first().copied().unwrap_or(0.0),
                    mean_ms: times.iter().sum::<f64>() / times.len().max(1) as f64,
                    p50_ms: percentile(&sorted, 0.5),
                    p90_ms: percentile(&sorted, 0.9),
                    p99_ms: percentile(&sorted, 0.99),
                    max_ms: sorted.last().copied().unwrap_or(0.0),
                    bins: histogram(times, low, high, bins),
                }
            })
            .collect()
    }
}

/// Starts the run of one seed on a fresh virtual clock.
fn start(plan: Rc<Plan>, seed: u64) -> SeedRun {
    let clock = VirtualClock::new();
    let engine = Engine::new(EitherClock::from(clock.clone()), plan, Rc::new(NoIo)).with_seed(seed);
    let work = async move { engine.elapsed_times().await };
    (clock, Box::pin(work))
}

/// The nearest-rank percentile of sorted values: the smallest value with at
/// least a fraction `p` of the values at or below it (0 for no values).
///
/// ```
/// use async_playground::run::percentile;
/// let sorted: Vec<f64> = (1..=100).map(f64::from).collect();
/// assert_eq!(percentile(&sorted, 0.5), 50.0);
/// assert_eq!(percentile(&sorted, 0.99), 99.0);
/// assert_eq!(percentile(&sorted, 1.0), 100.0);
/// ```
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// `bins` equal bars over `low..=high`, each with the first run (seed) in it.
fn histogram(times: &[f64], low: f64, high: f64, bins: usize) -> Vec<Bin> {
    if times.is_empty() || bins == 0 {
        return Vec::new();
    }
    let bins = if high > low { bins } else { 1 };
    let width = (high - low) / bins as f64;
    let mut out: Vec<Bin> = (0..bins)
        .map(|i| Bin {
            from_ms: low + width * i as f64,
            to_ms: if i + 1 == bins {
                high
            } else {
                low + width * (i + 1) as f64
            },
            count: 0,
            seed: None,
        })
        .collect();
    for (seed, ms) in times.iter().enumerate() {
        let index = if width > 0.0 {
            (((ms - low) / width) as usize).min(bins - 1)
        } else {
            0
        };
        let bin = &mut out[index];
        bin.count += 1;
        bin.seed.get_or_insert(seed as u64);
    }
    out
}
