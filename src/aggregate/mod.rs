//! Aggregators: one-pass consumers of a stream of `f64`, O(1) memory except
//! [`Collect`].
//!
//! Every aggregator takes only finite numbers; the engine turns a NaN or an
//! infinity in the input into a task error before it gets here. Empty input
//! gives [`Outcome::Empty`] wherever no number would be honest (min of
//! nothing), and a number wherever one is (the sum of nothing is 0).
//!
//! One file per aggregator: its fold and its [`Aggregate`] impl (name,
//! Python, memory); one line below registers it (see `aggregator.rs`).

mod aggregator;
mod collect;
mod count;
mod ends;
mod extrema;
mod mean;
mod outcome;
mod outcomes;
mod stats;
mod sum;
mod welford;

pub use crate::display::format_number;
pub use aggregator::Aggregate;
pub use collect::Collect;
pub use count::Count;
pub use ends::{First, Last};
pub use extrema::{Max, Min};
pub use mean::Mean;
pub use outcome::{Outcome, Summary, SHOWN_ITEMS};
pub use outcomes::Outcomes;
pub use stats::Stats;
pub use sum::Sum;
pub use welford::{Spread, Std, Var, Welford};

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

// The aggregators, in the order the language lists them.
aggregator::aggregators! {
    Collect(Collect),
    Count(Count),
    Sum(Sum),
    Min(Min),
    Max(Max),
    Mean(Mean),
    Stats(Stats),
    Var(Var),
    Std(Std),
    First(First),
    Last(Last),
}

impl AnyFold {
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

    /// True once more input cannot change the result (`first` after one value).
    pub fn is_settled(&self) -> bool {
        matches!(self, AnyFold::First(first) if first.is_settled())
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
