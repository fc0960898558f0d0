use super::Aggregate;
use super::{Fold, Max, Mean, Min, Outcome, Summary};
use crate::source::PythonHelper;

/// Count, min, max and mean in one pass: the post's `complex_task`, except
/// that min starts from the first value, not from 0 (so [50, 500, 5000] gives
/// min 50, where the post prints 0).
///
/// ```
/// use async_playground::aggregate::{Fold, Stats};
/// let mut stats = Stats::default();
/// for x in [50.0, 500.0, 5000.0] { stats.push(x); }
/// assert_eq!(stats.finish().to_string(), "{count: 3, min: 50, max: 5000, mean: 1850}");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Stats {
    min: Min,
    max: Max,
    mean: Mean,
}

impl Fold for Stats {
    fn push(&mut self, value: f64) {
        self.min.push(value);
        self.max.push(value);
        self.mean.push(value);
    }

    fn finish(self) -> Outcome {
        let count = self.mean.count();
        match (self.min.finish(), self.max.finish(), self.mean.value()) {
            (Outcome::Number(min), Outcome::Number(max), Some(mean)) => Outcome::Stats(Summary {
                count,
                min,
                max,
                mean,
            }),
            _ => Outcome::Empty,
        }
    }
}

impl Aggregate for Stats {
    const NAME: &'static str = "stats";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("stats", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "stats",
        needs: &[],
        imports: &[],
        code: r#"async def stats(values):
    """The post's complex_task in one pass, starting from the first value
    (the post starts min_ at 0, so no value is ever below it)."""
    n, low, high, mean = 0, None, None, 0.0
    async for value in values:
        n += 1
        low = value if low is None else min(low, value)
        high = value if high is None else max(high, value)
        mean += (value - mean) / n
    return {"count": n, "min": low, "max": high, "mean": mean} if n else None
"#,
    }];

    fn numbers_held(_values: u32) -> u32 {
        4
    }
}
