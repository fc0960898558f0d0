use super::{finite, Fold, Outcome};

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
