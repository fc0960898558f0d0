//! The program type: what the language produces and the engine runs.
//!
//! Every node carries the [`Span`] of the text it came from, so that the
//! checker and the engine can point errors at the exact place. Programs built
//! in Rust may use [`Span::NONE`].
//!
//! Times are milliseconds as `f64`; values are `f64`.

pub use crate::aggregate::Aggregator;
pub use crate::distribution::Distribution;
pub use crate::source::{ArithOp, CmpOp, Transform};

/// A byte range in the program text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// The span of nodes built in Rust rather than parsed.
    pub const NONE: Span = Span { start: 0, end: 0 };

    /// ```
    /// use async_playground::program::Span;
    /// assert_eq!(Span::new(2, 5).to(Span::new(7, 9)), Span::new(2, 9));
    /// ```
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A whole program: named source definitions, then statements run in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    pub sources: Vec<SourceDef>,
    pub statements: Vec<Task>,
    /// `seed 42`: picks the random delays of a run (0 when not given).
    pub seed: Option<u64>,
}

/// `source afeat1 = [10, 20, 40] every 1s`
#[derive(Clone, Debug, PartialEq)]
pub struct SourceDef {
    pub name: String,
    pub name_span: Span,
    pub body: SourceExpr,
    pub span: Span,
}

/// An expression that makes a fresh stream each time it is run.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceExpr {
    pub kind: SourceKind,
    pub span: Span,
}

impl SourceExpr {
    /// The sources this one reads: a transform's input, a merge's inputs,
    /// none for the others. The one walk over sources: every structural
    /// question that does not care which transform it is goes through it.
    ///
    /// ```
    /// use async_playground::lang::parse;
    /// use async_playground::program::TaskKind;
    /// let program = parse("sum(merge([1], [2] | take 1) | map * 2)").unwrap();
    /// let TaskKind::Aggregate { source, .. } = &program.statements[0].kind else { panic!() };
    /// assert_eq!(source.inputs().len(), 1);
    /// assert_eq!(source.inputs()[0].inputs().len(), 2);
    /// ```
    pub fn inputs(&self) -> &[SourceExpr] {
        match &self.kind {
            SourceKind::Merge(inputs) => inputs,
            SourceKind::Pipe { source, .. } => std::slice::from_ref(&**source),
            SourceKind::Named(_)
            | SourceKind::Values { .. }
            | SourceKind::Range { .. }
            | SourceKind::Random { .. }
            | SourceKind::Fetch { .. }
            | SourceKind::Database { .. } => &[],
        }
    }

    /// [`SourceExpr::inputs`], to change them.
    pub fn inputs_mut(&mut self) -> &mut [SourceExpr] {
        match &mut self.kind {
            SourceKind::Merge(inputs) => inputs,
            SourceKind::Pipe { source, .. } => std::slice::from_mut(&mut **source),
            SourceKind::Named(_)
            | SourceKind::Values { .. }
            | SourceKind::Range { .. }
            | SourceKind::Random { .. }
            | SourceKind::Fetch { .. }
            | SourceKind::Database { .. } => &mut [],
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum SourceKind {
    /// A use of a defined source: a fresh instance, like calling `afeat1()`.
    Named(String),
    /// `[10, 20, 40] every 1s`
    Values { values: Vec<f64>, pacing: Pacing },
    /// `range(5)`: 0, 1, 2, 3, 4.
    Range { count: u64, pacing: Pacing },
    /// `random(10, 1..6, seed 42)`: integers in `low..=high`, the same for the same seed.
    Random {
        count: u64,
        low: f64,
        high: f64,
        seed: u64,
        pacing: Pacing,
    },
    /// `fetch("data/features.csv", column "age")`: an HTTP body streamed as numbers.
    Fetch { url: String, format: FetchFormat },
    /// `db("features", field "age", keys 3..10, limit 5)`: an IndexedDB cursor.
    Database {
        store: String,
        field: String,
        keys: Option<(f64, f64)>,
        limit: Option<u64>,
    },
    /// `merge(a, b)`: values of all inputs, as they arrive.
    Merge(Vec<SourceExpr>),
    /// `a | take 2`, `a | map * 10`, ...: a source through one transform.
    Pipe {
        source: Box<SourceExpr>,
        transform: Transform,
    },
}

/// How a literal source waits before each value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pacing {
    pub delays: Delays,
    /// Busy-wait the delays (the post's `time.sleep`) instead of awaiting them.
    pub blocking: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Delays {
    /// Every value is ready at once.
    #[default]
    None,
    /// `every 1s`
    Every(f64),
    /// `after [100ms, 2s, 50ms]`: one delay per value.
    Each(Vec<f64>),
    /// `every exp(100ms)`, `every 100ms spike 1% 2s`: drawn for each value.
    Drawn(Distribution),
}

impl Delays {
    /// The delay before value number `index` (from 0) of a stream that
    /// draws from `stream` ([`Draws::next_stream`](crate::distribution::Draws::next_stream)).
    #[inline(always)]
    pub fn before(&self, index: usize, stream: u64) -> f64 {
        match self {
            Delays::None => 0.0,
            Delays::Every(ms) => *ms,
            Delays::Each(list) => list.get(index).copied().unwrap_or(0.0),
            Delays::Drawn(distribution) => distribution.draw(stream, index as u64),
        }
    }
}

/// How a fetched body turns into numbers.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchFormat {
    /// One number per line.
    Lines,
    /// CSV with a header row; the named column.
    Csv { column: String },
    /// One JSON object per line; the named field.
    Ndjson { field: String },
}

/// One unit of work: an aggregator over a source, or a group of tasks.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// `"feat1 total": sum(afeat1)` names the lane and the result.
    pub label: Option<String>,
    pub kind: TaskKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TaskKind {
    /// `sum(afeat1)`
    Aggregate {
        aggregator: Aggregator,
        source: SourceExpr,
    },
    /// `gather(a, b)`, `limit(2, a, b, c)`, `timeout(1s, a)`, ...
    Group { group: Group, children: Vec<Task> },
    /// `1000 * sum(afeat1)` inside a group: that many copies of the task.
    Repeat { count: u64, task: Box<Task> },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Group {
    /// One after the other.
    Sequential,
    /// All at once; results in input order.
    Gather,
    /// All at once; the first to finish wins, the rest are cancelled. A
    /// failure that finishes first wins too (asyncio's `FIRST_COMPLETED`).
    Race,
    /// All at once; the first to succeed wins, the rest are cancelled
    /// (`Promise.any`); when every one fails, an error naming each failure.
    Any,
    /// At most `k` at once; results in input order.
    Limit(u64),
    /// The children one after the other, cancelled after this many ms.
    Timeout(f64),
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Sequential => "sequential",
            Group::Gather => "gather",
            Group::Race => "race",
            Group::Any => "any",
            Group::Limit(_) => "limit",
            Group::Timeout(_) => "timeout",
        }
    }
}

/// The least one `blocking` busy-wait costs, in ms, however short its delay:
/// reading the clock and returning to the engine. The checker counts every
/// blocking value with a delay as at least this, so that
/// `range(100000) every 1e-9ms blocking` counts as 20 s of busy-waiting: it
/// froze the page for 10.2 s, and slower machines take longer.
pub const BLOCKING_OVERHEAD_MS: f64 = 0.2;

/// Whole numbers are exact in an `f64` up to 2^53.
pub const MAX_EXACT_WHOLE: f64 = 9_007_199_254_740_992.0;

/// The whole numbers `random` picks from in `low..=high`: the first one and
/// how many there are, or why there are none it can pick exactly.
///
/// ```
/// use async_playground::program::random_whole_numbers;
/// assert_eq!(random_whole_numbers(1.0, 6.0), Ok((1.0, 6)));
/// assert_eq!(random_whole_numbers(0.5, 2.5), Ok((1.0, 2)));
/// assert!(random_whole_numbers(0.5, 0.6).is_err());
/// assert!(random_whole_numbers(0.0, 1e20).is_err());
/// ```
pub fn random_whole_numbers(low: f64, high: f64) -> Result<(f64, u64), String> {
    let (first, last) = (low.ceil(), high.floor());
    if !(first.is_finite() && last.is_finite()) || first > last {
        return Err("random picks whole numbers, and this range has none".to_string());
    }
    if first < -MAX_EXACT_WHOLE || last > MAX_EXACT_WHOLE {
        return Err(
            "this range is too wide for random: it picks whole numbers from -2^53 to 2^53 (9007199254740992), where each one is exact"
                .to_string(),
        );
    }
    // Both ends are exact and at most 2^54 apart, so this fits a u64.
    Ok((first, (last - first) as u64 + 1))
}
