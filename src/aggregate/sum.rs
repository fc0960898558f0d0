use super::Aggregate;
use super::{finite, Fold, Outcome};
use crate::source::PythonHelper;

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

impl Aggregate for Sum {
    const NAME: &'static str = "sum";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("total", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "total",
        needs: &["overflow"],
        imports: &[],
        code: r#"async def total(values):
    """sum: named so as not to shadow Python's sum."""
    result = 0.0
    async for value in values:
        result += value
    return overflow("sum", result)
"#,
    }];
}
