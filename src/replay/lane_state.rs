//! One lane's state at a moment: what it waits on, what it has seen, what
//! its aggregator holds.

use crate::aggregate::{AnyFold, Fold};
use crate::program::{Aggregator, Group};

/// What a lane runs: an aggregator over a source, or a group of lanes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Role {
    Task(Aggregator),
    Group(Group),
}

/// Where a lane is at a moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Status {
    /// Not started: a later task of a `sequential`, or one waiting for a
    /// slot in a `limit`.
    Pending,
    /// Ready to run, waiting for the loop (another task is busy-waiting).
    Ready,
    /// Waiting on a timer until `until` (the deadline, ms); `None` when the
    /// wait did not end in a value (cancelled first, or real I/O).
    Waiting {
        until: Option<f64>,
    },
    /// Busy-waiting (a `blocking` source) for `ms` until `until`: the loop
    /// is frozen.
    Busy {
        until: f64,
        ms: f64,
    },
    /// A group with unfinished children.
    Running,
    Done,
    Failed,
    Cancelled,
}

impl Status {
    /// The status as one word, for the page's data attributes.
    ///
    /// ```
    /// use async_playground::replay::Status;
    /// assert_eq!(Status::Waiting { until: Some(2000.0) }.name(), "waiting");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Ready => "ready",
            Status::Waiting { .. } => "waiting",
            Status::Busy { .. } => "busy",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }

    /// Whether the lane has finished, one way or another.
    pub fn is_over(self) -> bool {
        matches!(self, Status::Done | Status::Failed | Status::Cancelled)
    }
}

/// A lane's state after one of its events.
#[derive(Clone, Debug)]
pub struct LaneState {
    pub status: Status,
    /// Values arrived so far (traced ones).
    pub values: u32,
    /// The aggregator's running state; `None` for groups and for `collect`,
    /// whose state is the list of values itself.
    pub fold: Option<AnyFold>,
    /// How late the last value's timer fired (real clock), ms.
    pub late_ms: f64,
}

impl LaneState {
    pub(super) fn new(role: Role) -> LaneState {
        let fold = match role {
            Role::Task(Aggregator::Collect) | Role::Group(_) => None,
            Role::Task(aggregator) => Some(AnyFold::new(aggregator)),
        };
        LaneState {
            status: Status::Pending,
            values: 0,
            fold,
            late_ms: 0.0,
        }
    }

    pub(super) fn push(&mut self, value: f64, late_ms: f64) {
        self.values += 1;
        self.late_ms = late_ms;
        // A non-finite value ends the task with an error; it is never folded.
        if let (Some(fold), true) = (&mut self.fold, value.is_finite()) {
            fold.push(value);
        }
    }

    /// What the aggregator holds so far, as shown (`30`, `{count: 2, …}`).
    pub fn held(&self) -> Option<String> {
        let fold = self.fold.clone()?;
        Some(match fold.finish() {
            crate::aggregate::Outcome::Error(message) => format!("({message})"),
            outcome => outcome.to_string(),
        })
    }
}
