//! The limits that keep a browser tab responsive, in one place: the language
//! checker refuses programs over them (with a span), and the planner and the
//! run's [`Budget`](crate::budget::Budget) enforce them again, so no program
//! built in Rust can get past them.
//!
//! ```
//! use async_playground::limits;
//! assert!(limits::MAX_BLOCKING_MS < limits::MAX_DURATION_MS);
//! ```

/// The most a program may busy-wait in all (blocking sources), in ms:
/// blocking freezes the page, so a little goes a long way. The checker
/// refuses programs over it; the engine stops a run that reaches it.
pub const MAX_BLOCKING_MS: f64 = 10_000.0;
/// Any single duration over 1 h is surely a mistake.
pub const MAX_DURATION_MS: f64 = 3_600_000.0;
/// Leaf tasks after expanding `N * task`: a task of the general path holds
/// its own future, stream and timer, about 400 bytes.
pub const MAX_TASKS: u64 = 2_000_000;
/// Copies in all of the fan-outs whose copies share their history
/// (`gather(N * task)` over a list, `range` or `random` with fixed delays
/// above 0; `fan_out_shape`): they share positions, folds and timers, so a
/// copy costs a few bytes and one pass of the fan-out's loop per value
/// (its values count against [`MAX_VALUES`] too).
pub const MAX_SHARED_COPIES: u64 = 10_000_000;
/// Values produced by all sources together (an upper bound), checked again
/// as they are made.
pub const MAX_VALUES: u64 = 100_000_000;
/// Timed values (values with a delay > 0) in all.
pub const MAX_TIMERS: u64 = 10_000_000;
/// Items in one literal list.
pub const MAX_LIST: usize = 100_000;
/// Bytes a run may hold in collected values and fetched bodies.
pub const MAX_HELD_BYTES: u64 = 256 * 1024 * 1024;
