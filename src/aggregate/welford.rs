use super::Aggregate;
use super::{finite, Fold, Outcome};
use crate::source::PythonHelper;

/// Which spread [`Welford`] reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    Variance,
    StdDev,
}

/// Sample variance and standard deviation (n − 1, like pandas and Python's
/// `statistics`), by Welford's one-pass method, which stays accurate where
/// the naive sum of squares cancels catastrophically.
///
/// No values gives [`Outcome::Empty`]; one value is an error, because the
/// sample variance of one value is undefined.
///
/// ```
/// use async_playground::aggregate::{Fold, Welford};
/// let mut w = Welford::default();
/// for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] { w.push(x); }
/// assert_eq!(w.clone().std_dev().to_string(), "2.138089935299395");
/// assert_eq!(w.variance().to_string(), "4.571428571428571");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Welford {
    count: u64,
    mean: f64,
    squares: f64,
}

impl Welford {
    pub fn variance(self) -> Outcome {
        self.spread(Spread::Variance)
    }

    pub fn std_dev(self) -> Outcome {
        self.spread(Spread::StdDev)
    }

    pub fn spread(self, spread: Spread) -> Outcome {
        let name = match spread {
            Spread::Variance => "var",
            Spread::StdDev => "std",
        };
        match self.count {
            0 => Outcome::Empty,
            1 => Outcome::Error(format!(
                "{name} needs at least 2 values (sample variance), got 1"
            )),
            n => {
                let variance = self.squares / (n - 1) as f64;
                match spread {
                    Spread::Variance => finite(name, variance),
                    Spread::StdDev => finite(name, variance.sqrt()),
                }
            }
        }
    }
}

impl Fold for Welford {
    fn push(&mut self, value: f64) {
        self.count += 1;
        let delta = value - self.mean;
        self.mean += delta / self.count as f64;
        self.squares += delta * (value - self.mean);
    }

    fn finish(self) -> Outcome {
        self.variance()
    }
}

/// `var`: the sample variance, by [`Welford`].
///
/// ```
/// use async_playground::aggregate::{Fold, Var};
/// let mut var = Var::default();
/// for x in [1.0, 2.0, 3.0] { var.push(x); }
/// assert_eq!(var.finish().to_string(), "1");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Var(pub Welford);

impl Fold for Var {
    #[inline]
    fn push(&mut self, value: f64) {
        self.0.push(value);
    }

    fn finish(self) -> Outcome {
        self.0.variance()
    }
}

impl Aggregate for Var {
    const NAME: &'static str = "var";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("spread", Some("\"var\""));
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "spread",
        needs: &["TaskError", "overflow"],
        imports: &["math"],
        code: r#"async def spread(values, name):
    """Sample variance (var) or standard deviation (std), by Welford's one-pass method."""
    n, mean, squares = 0, 0.0, 0.0
    async for value in values:
        n += 1
        delta = value - mean
        mean += delta / n
        squares += delta * (value - mean)
    if n == 0:
        return None
    if n == 1:
        raise TaskError(f"{name} needs at least 2 values (sample variance), got 1")
    variance = squares / (n - 1)
    return overflow(name, variance if name == "var" else math.sqrt(variance))
"#,
    }];

    fn numbers_held(_values: u32) -> u32 {
        3
    }
}

/// `std`: the sample standard deviation, by [`Welford`].
///
/// ```
/// use async_playground::aggregate::{Fold, Std};
/// let mut std = Std::default();
/// for x in [1.0, 2.0, 3.0] { std.push(x); }
/// assert_eq!(std.finish().to_string(), "1");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Std(pub Welford);

impl Fold for Std {
    #[inline]
    fn push(&mut self, value: f64) {
        self.0.push(value);
    }

    fn finish(self) -> Outcome {
        self.0.std_dev()
    }
}

/// Its Python helper is `var`'s `spread`, printed once.
impl Aggregate for Std {
    const NAME: &'static str = "std";
    const PYTHON_CALL: (&'static str, Option<&'static str>) = ("spread", Some("\"std\""));

    fn numbers_held(_values: u32) -> u32 {
        3
    }
}
