//! Aggregators: one-pass consumers of a stream of `f64`, O(1) memory except
//! [`Collect`].
//!
//! Every aggregator takes only finite numbers; the engine turns a NaN or an
//! infinity in the input into a task error before it gets here. Empty input
//! gives [`Outcome::Empty`] wherever no number would be honest (min of
//! nothing), and a number wherever one is (the sum of nothing is 0).

mod collect;
mod count;
mod ends;
mod extrema;
mod mean;
mod outcome;
mod stats;
mod sum;
mod welford;

pub use crate::display::format_number;
pub use collect::Collect;
pub use count::Count;
pub use ends::{First, Last};
pub use extrema::{Max, Min};
pub use mean::Mean;
pub use outcome::{Outcome, Summary, SHOWN_ITEMS};
pub use stats::Stats;
pub use sum::Sum;
pub use welford::{Spread, Welford};

use crate::program::Aggregator;

/// A streaming fold: feed values with [`Fold::push`], read the result with
/// [`Fold::finish`].
///
/// ```
/// use async_playground::aggregate::{Fold, Sum};
/// let mut sum = Sum::default();
/// for x in [10.0, 20.0, 40.0] { sum.push(x); }
/// assert_eq!(sum.finish().to_string(), "70");
/// ```
pub trait Fold {
    fn push(&mut self, value: f64);
    fn finish(self) -> Outcome;
}

/// Any aggregator, chosen at run time; dispatch is one `match` per value.
#[derive(Clone, Debug)]
pub enum AnyFold {
    Collect(Collect),
    Count(Count),
    Sum(Sum),
    Min(Min),
    Max(Max),
    Mean(Mean),
    Stats(Stats),
    Var(Welford),
    Std(Welford),
    First(First),
    Last(Last),
}

impl AnyFold {
    /// ```
    /// use async_playground::aggregate::{AnyFold, Fold};
    /// use async_playground::program::Aggregator;
    /// let mut max = AnyFold::new(Aggregator::Max);
    /// max.push(50.0);
    /// max.push(5000.0);
    /// assert_eq!(max.finish().to_string(), "5000");
    /// ```
    pub fn new(aggregator: Aggregator) -> AnyFold {
        match aggregator {
            Aggregator::Collect => AnyFold::Collect(Collect::default()),
            Aggregator::Count => AnyFold::Count(Count::default()),
            Aggregator::Sum => AnyFold::Sum(Sum::default()),
            Aggregator::Min => AnyFold::Min(Min::default()),
            Aggregator::Max => AnyFold::Max(Max::default()),
            Aggregator::Mean => AnyFold::Mean(Mean::default()),
            Aggregator::Stats => AnyFold::Stats(Stats::default()),
            Aggregator::Var => AnyFold::Var(Welford::default()),
            Aggregator::Std => AnyFold::Std(Welford::default()),
            Aggregator::First => AnyFold::First(First::default()),
            Aggregator::Last => AnyFold::Last(Last::default()),
        }
    }

    /// Pushes a batch: one `match`, then a tight loop the compiler can see
    /// through.
    ///
    /// ```
    /// use async_playground::aggregate::{AnyFold, Fold};
    /// use async_playground::program::Aggregator;
    /// let mut sum = AnyFold::new(Aggregator::Sum);
    /// sum.push_all(&[10.0, 20.0, 40.0]);
    /// assert_eq!(sum.finish().to_string(), "70");
    /// ```
    pub fn push_all(&mut self, values: &[f64]) {
        self.push_iter(values.iter().copied());
    }

    /// Pushes every value of `values`: the fused fast path, where a ready
    /// source generates straight into the fold with no buffer in between.
    pub fn push_iter(&mut self, values: impl Iterator<Item = f64>) {
        fn each<F: Fold + Default>(fold: &mut F, values: impl Iterator<Item = f64>) {
            // Folding into a local lets the partial result stay in a register
            // (sum(range(10^8)) in wasm: 53 ms through `&mut`, 51 ms so).
            let mut local = std::mem::take(fold);
            for value in values {
                local.push(value);
            }
            *fold = local;
        }
        match self {
            AnyFold::Collect(f) => each(f, values),
            AnyFold::Count(f) => each(f, values),
            AnyFold::Sum(f) => each(f, values),
            AnyFold::Min(f) => each(f, values),
            AnyFold::Max(f) => each(f, values),
            AnyFold::Mean(f) => each(f, values),
            AnyFold::Stats(f) => each(f, values),
            AnyFold::Var(f) | AnyFold::Std(f) => each(f, values),
            AnyFold::First(f) => each(f, values),
            AnyFold::Last(f) => each(f, values),
        }
    }

    /// True once more input cannot change the result (`first` after one value).
    pub fn is_settled(&self) -> bool {
        matches!(self, AnyFold::First(first) if first.is_settled())
    }
}

impl Fold for AnyFold {
    #[inline]
    fn push(&mut self, value: f64) {
        match self {
            AnyFold::Collect(f) => f.push(value),
            AnyFold::Count(f) => f.push(value),
            AnyFold::Sum(f) => f.push(value),
            AnyFold::Min(f) => f.push(value),
            AnyFold::Max(f) => f.push(value),
            AnyFold::Mean(f) => f.push(value),
            AnyFold::Stats(f) => f.push(value),
            AnyFold::Var(f) | AnyFold::Std(f) => f.push(value),
            AnyFold::First(f) => f.push(value),
            AnyFold::Last(f) => f.push(value),
        }
    }

    fn finish(self) -> Outcome {
        match self {
            AnyFold::Collect(f) => f.finish(),
            AnyFold::Count(f) => f.finish(),
            AnyFold::Sum(f) => f.finish(),
            AnyFold::Min(f) => f.finish(),
            AnyFold::Max(f) => f.finish(),
            AnyFold::Mean(f) => f.finish(),
            AnyFold::Stats(f) => f.finish(),
            AnyFold::Var(f) => f.variance(),
            AnyFold::Std(f) => f.std_dev(),
            AnyFold::First(f) => f.finish(),
            AnyFold::Last(f) => f.finish(),
        }
    }
}

/// A result that must be a finite number, or an error saying what overflowed.
fn finite(what: &str, value: f64) -> Outcome {
    if value.is_finite() {
        Outcome::Number(value)
    } else {
        Outcome::Error(format!("{what} overflowed the range of f64"))
    }
}
