use super::Aggregate;
use super::{Fold, Outcome};
use crate::source::PythonHelper;

/// How many values arrived; 0 for none.
///
/// ```
/// use async_playground::aggregate::{Count, Fold};
/// let mut count = Count::default();
/// count.push(7.0);
/// assert_eq!(count.finish().to_string(), "1");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Count(u64);

impl Fold for Count {
    fn push(&mut self, _value: f64) {
        self.0 += 1;
    }

    fn finish(self) -> Outcome {
        Outcome::Number(self.0 as f64)
    }
}

impl Aggregate for Count {
    const NAME: &'static str = "count";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("count", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "count",
        needs: &[],
        imports: &[],
        code: r#"async def count(values):
    n = 0
    async for _ in values:
        n += 1
    return n
"#,
    }];
}
