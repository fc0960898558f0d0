use super::Aggregate;
use super::{Fold, Outcome};
use crate::source::PythonHelper;

/// The first value; [`Outcome::Empty`] for none. The engine stops pulling the
/// source once it has one, as `await anext(gen)` would.
///
/// ```
/// use async_playground::aggregate::{First, Fold};
/// let mut first = First::default();
/// first.push(10.0);
/// first.push(20.0);
/// assert_eq!(first.finish().to_string(), "10");
/// ```
#[derive(Clone, Debug, Default)]
pub struct First(Option<f64>);

impl First {
    pub fn is_settled(&self) -> bool {
        self.0.is_some()
    }
}

impl Fold for First {
    fn push(&mut self, value: f64) {
        self.0.get_or_insert(value);
    }

    fn finish(self) -> Outcome {
        self.0.map_or(Outcome::Empty, Outcome::Number)
    }
}

/// The last value; [`Outcome::Empty`] for none.
///
/// ```
/// use async_playground::aggregate::{Fold, Last};
/// let mut last = Last::default();
/// last.push(10.0);
/// last.push(40.0);
/// assert_eq!(last.finish().to_string(), "40");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Last(Option<f64>);

impl Fold for Last {
    fn push(&mut self, value: f64) {
        self.0 = Some(value);
    }

    fn finish(self) -> Outcome {
        self.0.map_or(Outcome::Empty, Outcome::Number)
    }
}

impl Aggregate for First {
    const NAME: &'static str = "first";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("first", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "first",
        needs: &[],
        imports: &[],
        code: r#"async def first(values):
    async for value in values:
        return value
    return None
"#,
    }];
}

impl Aggregate for Last {
    const NAME: &'static str = "last";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("last", None);
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "last",
        needs: &[],
        imports: &[],
        code: r#"async def last(values):
    result = None
    async for value in values:
        result = value
    return result
"#,
    }];
}
