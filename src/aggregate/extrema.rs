use super::{Fold, Outcome};

/// The smallest value; [`Outcome::Empty`] for none.
///
/// ```
/// use async_playground::aggregate::{Fold, Min};
/// let mut min = Min::default();
/// for x in [50.0, 500.0, 5000.0] { min.push(x); }
/// assert_eq!(min.finish().to_string(), "50");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Min(Option<f64>);

impl Fold for Min {
    fn push(&mut self, value: f64) {
        self.0 = Some(self.0.map_or(value, |min| min.min(value)));
    }

    fn finish(self) -> Outcome {
        self.0.map_or(Outcome::Empty, Outcome::Number)
    }
}

/// The largest value; [`Outcome::Empty`] for none.
///
/// ```
/// use async_playground::aggregate::{Fold, Max};
/// assert_eq!(Max::default().finish().to_string(), "empty");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Max(Option<f64>);

impl Fold for Max {
    fn push(&mut self, value: f64) {
        self.0 = Some(self.0.map_or(value, |max| max.max(value)));
    }

    fn finish(self) -> Outcome {
        self.0.map_or(Outcome::Empty, Outcome::Number)
    }
}
