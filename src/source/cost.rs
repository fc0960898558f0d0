/// What running a source once costs, as upper bounds: the checker adds
/// these up against the limits. Values count what the sources make (are
/// pulled for), not what comes out of the pipe.
///
/// ```
/// use async_playground::source::Cost;
/// let ten = Cost { values: 10, ..Cost::default() };
/// assert_eq!(ten.at_most(3).values, 3);
/// assert_eq!(Cost { filtered: true, ..ten }.at_most(3).values, 10);
/// assert_eq!(ten.plus(ten).times(2).values, 40);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    pub values: u64,
    pub timers: u64,
    pub blocking_ms: f64,
    /// A filter may drop values, so a `take` or `fail after` further down
    /// the pipe can't bound how many are pulled from the sources.
    pub filtered: bool,
}

impl Cost {
    /// Both, one after the other or side by side.
    pub fn plus(self, other: Cost) -> Cost {
        Cost {
            values: self.values.saturating_add(other.values),
            timers: self.timers.saturating_add(other.timers),
            blocking_ms: self.blocking_ms + other.blocking_ms,
            filtered: self.filtered || other.filtered,
        }
    }

    /// `count` copies.
    pub fn times(self, count: u64) -> Cost {
        Cost {
            values: self.values.saturating_mul(count),
            timers: self.timers.saturating_mul(count),
            blocking_ms: self.blocking_ms * count as f64,
            filtered: self.filtered,
        }
    }

    /// At most `count` values pulled (`take`, `fail after`), unless a filter
    /// upstream drops some: then it may pull them all.
    pub fn at_most(self, count: u64) -> Cost {
        if self.filtered {
            return self;
        }
        Cost {
            values: self.values.min(count),
            timers: self.timers.min(count),
            ..self
        }
    }
}
