use super::{Budget, Keep, Keeps, TickStream};

/// Drops the first `count` values, then passes the rest: `a | skip 2`.
/// The dropped values still take their time, as `async for` over a source
/// that ignores its first items does.
///
/// ```
/// use async_playground::source::{Budget, Skip, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let three: TickStream = Box::new(stream::iter([1.0, 2.0, 3.0].map(|v| Ok(Tick::ready(v)))));
/// let rest: Vec<_> = VirtualClock::new().block_on(Skip::new(three, 2, Budget::default()).collect()).unwrap();
/// assert_eq!(rest, vec![Ok(Tick::ready(3.0))]);
/// ```
pub type Skip = Keep<AfterFirst>;

impl Skip {
    pub fn new(inner: TickStream, count: u64, budget: Budget) -> Skip {
        Keep::with(inner, AfterFirst { left: count }, budget)
    }
}

/// `skip N`: every value after the first `left`.
pub struct AfterFirst {
    left: u64,
}

impl Keeps for AfterFirst {
    fn keeps(&mut self, _value: f64) -> bool {
        if self.left == 0 {
            return true;
        }
        self.left -= 1;
        false
    }
}
