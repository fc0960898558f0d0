//! Time for the engine: a small [`Clock`] trait with a deterministic
//! [`VirtualClock`] and, in the browser, a `RealClock`.
//!
//! Both keep sleepers in one [`TimerQueue`] (deadline → waker), so that a
//! million sleeping sources cost a heap entry each, not a browser timer each.

mod either_clock;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
mod real_clock;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
mod self_message;
mod sleep;
mod timer_queue;
mod virtual_clock;

pub use either_clock::EitherClock;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
pub use real_clock::RealClock;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
pub(crate) use self_message::SelfMessage;
pub use sleep::Sleep;
pub(crate) use sleep::TimeBase;
pub(crate) use timer_queue::Deadline;
pub use timer_queue::{TimerKey, TimerQueue};
pub use virtual_clock::{Progress, VirtualClock};

/// Milliseconds since the clock started, and sleeping until later.
///
/// ```
/// use async_playground::clock::{Clock, VirtualClock};
/// let clock = VirtualClock::new();
/// let elapsed = clock.block_on(async {
///     clock.sleep(1500.0).await;
///     clock.now()
/// });
/// assert_eq!(elapsed, Some(1500.0));
/// ```
pub trait Clock: Clone + Unpin + 'static {
    /// Milliseconds since the clock was made.
    fn now(&self) -> f64;

    /// Milliseconds from `start` (an earlier [`now`](Clock::now)) to now, to
    /// the clock's precision.
    ///
    /// ```
    /// use async_playground::clock::{Clock, VirtualClock};
    /// let clock = VirtualClock::new();
    /// clock.block_on(async {
    ///     let start = clock.now();
    ///     clock.sleep(0.3).await;
    ///     assert_eq!(clock.since(start), 0.3);
    /// });
    /// ```
    fn since(&self, start: f64) -> f64 {
        self.now() - start
    }

    /// Completes `ms` from now; a sleep of 0 still yields once, like
    /// `asyncio.sleep(0)`. Dropping it cancels the timer.
    fn sleep(&self, ms: f64) -> Sleep;

    /// Holds the thread for `ms` without yielding, like `time.sleep`: nothing
    /// else runs meanwhile.
    fn busy_wait(&self, ms: f64);

    /// `"real"` or `"virtual"`, for reports.
    fn kind(&self) -> &'static str;
}
