use super::Aggregate;
use super::{Fold, Outcome};
use crate::source::PythonHelper;

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

impl Aggregate for Min {
    const NAME: &'static str = "min";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("smallest", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "smallest",
        needs: &[],
        imports: &[],
        code: r#"async def smallest(values):
    """min: None (shown as "empty") when no value arrives."""
    result = None
    async for value in values:
        result = value if result is None else min(result, value)
    return result
"#,
    }];
}

impl Aggregate for Max {
    const NAME: &'static str = "max";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("largest", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "largest",
        needs: &[],
        imports: &[],
        code: r#"async def largest(values):
    """max: None (shown as "empty") when no value arrives."""
    result = None
    async for value in values:
        result = value if result is None else max(result, value)
    return result
"#,
    }];
}
