use super::Aggregate;
use super::{Fold, Outcome};
use crate::source::PythonHelper;

/// The arithmetic mean, as a running mean so large inputs cannot overflow a
/// sum; [`Outcome::Empty`] for none.
///
/// ```
/// use async_playground::aggregate::{Fold, Mean};
/// let mut mean = Mean::default();
/// for x in [50.0, 500.0, 5000.0] { mean.push(x); }
/// assert_eq!(mean.finish().to_string(), "1850");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Mean {
    count: u64,
    mean: f64,
}

impl Mean {
    pub(super) fn count(&self) -> u64 {
        self.count
    }

    pub(super) fn value(&self) -> Option<f64> {
        (self.count > 0).then_some(self.mean)
    }
}

impl Fold for Mean {
    fn push(&mut self, value: f64) {
        self.count += 1;
        self.mean += (value - self.mean) / self.count as f64;
    }

    fn finish(self) -> Outcome {
        self.value().map_or(Outcome::Empty, Outcome::Number)
    }
}

impl Aggregate for Mean {
    const NAME: &'static str = "mean";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("mean", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "mean",
        needs: &[],
        imports: &[],
        code: r#"async def mean(values):
    """A running mean, one pass."""
    n, result = 0, 0.0
    async for value in values:
        n += 1
        result += (value - result) / n
    return result if n else None
"#,
    }];

    fn numbers_held(_values: u32) -> u32 {
        2
    }
}
