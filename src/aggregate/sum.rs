use super::{finite, Fold, Outcome};

/// The total; 0 for no values, an error if it overflows.
///
/// ```
/// use async_playground::aggregate::{Fold, Sum};
/// assert_eq!(Sum::default().finish().to_string(), "0");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Sum(f64);

impl Fold for Sum {
    #[inline]
    fn push(&mut self, value: f64) {
        self.0 += value;
    }

    fn finish(self) -> Outcome {
        finite("sum", self.0)
    }
}
