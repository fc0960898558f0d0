//! What an aggregator is, in one place per aggregator: its fold's file
//! holds an [`Aggregate`] impl (its name, its Python, the numbers its
//! running state holds), and [`aggregators!`] registers the folds as the
//! [`Aggregator`] names and the [`AnyFold`] that runs them.

use super::Fold;
use crate::source::PythonHelper;

/// One aggregator: a [`Fold`] with its name in the language and in the
/// Python export. Implemented in the fold's own file.
///
/// ```
/// use async_playground::aggregate::{Aggregate, Sum};
/// assert_eq!(Sum::NAME, "sum");
/// assert_eq!(Sum::PYTHON_CALL, ("total", None));
/// ```
pub trait Aggregate: Fold + Default {
    /// Its name, as in `sum(afeat1)`.
    const NAME: &'static str;
    /// The Python function the export calls, and a second argument if any.
    const PYTHON_CALL: (&'static str, Option<&'static str>);
    /// The Python helpers it may call, in the order they are printed (an
    /// aggregator that shares another's helper lists none).
    const PYTHON_HELPERS: &'static [PythonHelper] = &[];

    /// How many numbers its running state holds after `values` values, for
    /// the replay's memory readout: one for most.
    fn numbers_held(_values: u32) -> u32 {
        1
    }
}

/// Registers the aggregators: `Variant(FoldType),` once per aggregator, in
/// the order the language lists them. Makes [`Aggregator`] (the names) and
/// [`AnyFold`] (the folds), and dispatches each question to the [`Aggregate`].
macro_rules! aggregators {
    ($($variant:ident($fold:ident),)*) => {
        /// An aggregator's name: one variant per registered [`Aggregate`]
        /// (see `aggregate/aggregator.rs`).
        ///
        /// ```
        /// use async_playground::program::Aggregator;
        /// assert_eq!(Aggregator::from_name("stats"), Some(Aggregator::Stats));
        /// assert_eq!(Aggregator::from_name("median"), None);
        /// assert_eq!(Aggregator::Sum.name(), "sum");
        /// ```
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Aggregator {
            $($variant,)*
        }

        impl Aggregator {
            const COUNT: usize = [$(stringify!($variant),)*].len();

            /// Every aggregator, in the language's order.
            pub const ALL: [Aggregator; Self::COUNT] = [$(Aggregator::$variant,)*];

            /// Its name in the language.
            pub fn name(self) -> &'static str {
                match self {
                    $(Aggregator::$variant => <$fold as $crate::aggregate::Aggregate>::NAME,)*
                }
            }

            /// The aggregator called `name`, if any.
            pub fn from_name(name: &str) -> Option<Aggregator> {
                Aggregator::ALL.into_iter().find(|a| a.name() == name)
            }

            /// See [`Aggregate::PYTHON_CALL`].
            pub fn python_call(self) -> (&'static str, Option<&'static str>) {
                match self {
                    $(Aggregator::$variant => <$fold as $crate::aggregate::Aggregate>::PYTHON_CALL,)*
                }
            }

            /// Every aggregator's Python helpers, in the language's order.
            pub fn python_helpers() -> impl Iterator<Item = &'static $crate::source::PythonHelper> {
                [$(<$fold as $crate::aggregate::Aggregate>::PYTHON_HELPERS,)*].into_iter().flatten()
            }

            /// How many numbers it keeps while it runs: one pass means
            /// O(1), except `collect`, which keeps every value.
            ///
            /// ```
            /// use async_playground::program::Aggregator;
            /// assert_eq!(Aggregator::Stats.numbers_held(1000), 4);
            /// assert_eq!(Aggregator::Collect.numbers_held(1000), 1000);
            /// ```
            pub fn numbers_held(self, values: u32) -> u32 {
                match self {
                    $(Aggregator::$variant => <$fold as $crate::aggregate::Aggregate>::numbers_held(values),)*
                }
            }
        }

        /// Any aggregator, chosen at run time; dispatch is one `match` per value.
        #[derive(Clone, Debug)]
        pub enum AnyFold {
            $($variant($fold),)*
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
                    $(Aggregator::$variant => AnyFold::$variant($fold::default()),)*
                }
            }

            /// Pushes every value of `values`: the fused fast path, where a
            /// ready source generates straight into the fold with no buffer
            /// in between.
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
                    $(AnyFold::$variant(fold) => each(fold, values),)*
                }
            }
        }

        impl Fold for AnyFold {
            #[inline]
            fn push(&mut self, value: f64) {
                match self {
                    $(AnyFold::$variant(fold) => fold.push(value),)*
                }
            }

            fn finish(self) -> Outcome {
                match self {
                    $(AnyFold::$variant(fold) => fold.finish(),)*
                }
            }
        }
    };
}

pub(crate) use aggregators;
