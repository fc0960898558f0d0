//! A lane's start and end in the trace, tied to the future that runs it:
//! dropping the future (a cancelled task) records `cancel`.

use std::rc::Rc;

use super::Engine;
use crate::aggregate::Outcome;
use crate::clock::Clock;
use crate::trace::{EventKind, UNTRACED};

/// Records `start` now, and `cancel` if dropped before [`LaneGuard::finish`].
pub(super) struct LaneGuard<'a, C: Clock> {
    engine: &'a Engine<C>,
    lane: u32,
    open: bool,
}

impl<'a, C: Clock> LaneGuard<'a, C> {
    pub(super) fn start(engine: &'a Engine<C>, lane: u32) -> Self {
        engine.record(lane, EventKind::Start);
        LaneGuard {
            engine,
            lane,
            open: true,
        }
    }

    pub(super) fn finish(mut self, outcome: &Outcome) {
        self.open = false;
        record_finish(self.engine, self.lane, outcome);
    }
}

/// Records how `lane` ended: `end` with the result's text, or `error`.
pub(super) fn record_finish<C: Clock>(engine: &Engine<C>, lane: u32, outcome: &Outcome) {
    if lane == UNTRACED {
        return;
    }
    let kind = match outcome {
        Outcome::Error(message) => EventKind::Error {
            message: Rc::from(message.as_str()),
        },
        other => EventKind::End {
            result: Rc::from(other.to_string()),
        },
    };
    engine.record(lane, kind);
}

impl<C: Clock> Drop for LaneGuard<'_, C> {
    fn drop(&mut self) {
        if self.open {
            self.engine.record(self.lane, EventKind::Cancel);
        }
    }
}
