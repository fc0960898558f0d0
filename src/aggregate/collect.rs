use super::{Fold, Outcome};

/// Every value, in order: `[10, 20, 40]`. The one aggregator with O(n) memory.
///
/// ```
/// use async_playground::aggregate::{Collect, Fold};
/// let mut all = Collect::default();
/// all.push(1.0);
/// all.push(2.5);
/// assert_eq!(all.finish().to_string(), "[1, 2.5]");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Collect(Vec<f64>);

impl Fold for Collect {
    fn push(&mut self, value: f64) {
        self.0.push(value);
    }

    fn finish(self) -> Outcome {
        Outcome::List(self.0)
    }
}
