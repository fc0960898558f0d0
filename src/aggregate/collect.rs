use super::Aggregate;
use super::{Fold, Outcome};
use crate::source::PythonHelper;

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

impl Aggregate for Collect {
    const NAME: &'static str = "collect";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("collect", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "collect",
        needs: &[],
        imports: &[],
        code: r#"async def collect(values):
    return [value async for value in values]
"#,
    }];

    fn numbers_held(values: u32) -> u32 {
        values
    }
}
