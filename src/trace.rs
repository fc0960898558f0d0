//! What happened in a run: lanes (one per task or group), timestamped events,
//! per-statement results, and how late timers fired. The report is plain data;
//! `web` turns it into a JS object.

use std::rc::Rc;

use crate::aggregate::Outcome;
use crate::float_text::FloatText;

/// Lanes after this many get no events: a fan-out of 10^6 still runs, but its
/// timeline shows the first lanes and a count of the rest.
pub const MAX_TRACED_LANES: usize = 2_000;
/// Events recorded per run, in all.
pub const MAX_EVENTS: usize = 200_000;
/// Value events recorded per lane; later values still count, unseen.
pub const MAX_VALUES_PER_LANE: u32 = 1_000;

/// Marks a lane that is not traced.
pub const UNTRACED: u32 = u32::MAX;

/// One row of the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub id: u32,
    pub parent: Option<u32>,
    pub depth: u32,
    /// Index of the top-level statement this lane belongs to.
    pub statement: u32,
    pub label: Rc<str>,
    /// `"task"` for an aggregator over a source, else the group's name.
    pub kind: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    Start,
    /// A value arrived; `late_ms` is how late its timer fired.
    Value {
        value: f64,
        late_ms: f64,
    },
    /// The loop was frozen by a blocking source from `t` for `ms`.
    Block {
        ms: f64,
    },
    /// Finished with a result, shown as text.
    End {
        result: Rc<str>,
    },
    Error {
        message: Rc<str>,
    },
    Cancel,
    /// Something on the lane that is not a value, such as an HTTP request
    /// sent or its response headers: the gaps between notes and values are
    /// the I/O waits.
    Note {
        text: Rc<str>,
    },
}

impl EventKind {
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Start => "start",
            EventKind::Value { .. } => "value",
            EventKind::Block { .. } => "block",
            EventKind::End { .. } => "end",
            EventKind::Error { .. } => "error",
            EventKind::Cancel => "cancel",
            EventKind::Note { .. } => "note",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub lane: u32,
    /// Milliseconds since the run started.
    pub t: f64,
    pub kind: EventKind,
}

/// How late timers fired against their deadlines: the honest part of a real
/// run. Browsers clamp nested timers to 4 ms and throttle background tabs to
/// 1 s or more; these counts let the page say so.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Lateness {
    pub timers: u64,
    pub total_ms: f64,
    pub max_ms: f64,
    /// Fired 4 ms or more late: the nesting clamp or a busy loop.
    pub over_4ms: u64,
    /// Fired 50 ms or more late: a throttled background tab or a frozen loop.
    pub over_50ms: u64,
}

impl Lateness {
    pub fn record(&mut self, late_ms: f64) {
        self.timers += 1;
        self.total_ms += late_ms;
        self.max_ms = self.max_ms.max(late_ms);
        self.over_4ms += u64::from(late_ms >= 4.0);
        self.over_50ms += u64::from(late_ms >= 50.0);
    }

    pub fn mean_ms(&self) -> f64 {
        if self.timers == 0 {
            0.0
        } else {
            self.total_ms / self.timers as f64
        }
    }

    /// A sentence for the results panel when lateness distorts the timing.
    pub fn warning(&self) -> Option<String> {
        if self.over_50ms > 0 {
            Some(format!(
                "{} timer(s) fired 50 ms or more late (worst {} ms): the tab was throttled \
                 (in the background?) or the loop was frozen, so elapsed time overstates the program",
                self.over_50ms,
                FloatText::fixed(self.max_ms, 0)
            ))
        } else if self.timers > 0 && self.over_4ms * 2 > self.timers {
            Some(format!(
                "most timers fired 4 ms or more late (mean {} ms): the browser is clamping timers",
                FloatText::fixed(self.mean_ms(), 1)
            ))
        } else {
            None
        }
    }
}

/// The result of one top-level statement, like a notebook cell's output.
#[derive(Clone, Debug, PartialEq)]
pub struct StatementReport {
    pub lane: u32,
    pub label: Rc<str>,
    pub start_ms: f64,
    pub elapsed_ms: f64,
    /// The elapsed time with zero overhead, from a virtual-time run.
    pub ideal_ms: f64,
    pub outcome: Outcome,
}

/// Everything a run produced.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// `"real"` or `"virtual"`.
    pub clock: &'static str,
    pub cancelled: bool,
    pub elapsed_ms: f64,
    pub ideal_ms: f64,
    /// False when the program reads real I/O, whose time no simulation knows.
    pub ideal_exact: bool,
    pub statements: Vec<StatementReport>,
    pub lanes: Vec<Lane>,
    pub events: Vec<Event>,
    pub lanes_omitted: u64,
    pub events_omitted: u64,
    pub lateness: Lateness,
}

/// Records lanes and events as a run goes; [`Trace::take_new`] hands out
/// what is new for live delivery.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    lanes: Vec<Lane>,
    values_per_lane: Vec<u32>,
    events: Vec<Event>,
    lanes_omitted: u64,
    events_omitted: u64,
    lateness: Lateness,
    lanes_sent: usize,
    events_sent: usize,
}

impl Trace {
    /// Whether [`Trace::add_lane`] would still trace a new lane.
    pub fn has_room(&self) -> bool {
        self.lanes.len() < MAX_TRACED_LANES
    }

    /// Adds a lane, or returns [`UNTRACED`] past [`MAX_TRACED_LANES`].
    pub fn add_lane(
        &mut self,
        parent: Option<u32>,
        depth: u32,
        statement: u32,
        label: Rc<str>,
        kind: &'static str,
    ) -> u32 {
        if self.lanes.len() >= MAX_TRACED_LANES {
            self.lanes_omitted += 1;
            return UNTRACED;
        }
        let id = self.lanes.len() as u32;
        self.lanes.push(Lane {
            id,
            parent: parent.filter(|&p| p != UNTRACED),
            depth,
            statement,
            label,
            kind,
        });
        self.values_per_lane.push(0);
        id
    }

    pub fn record(&mut self, lane: u32, t: f64, kind: EventKind) {
        if lane == UNTRACED {
            return;
        }
        if let EventKind::Value { .. } = kind {
            let seen = &mut self.values_per_lane[lane as usize];
            *seen += 1;
            if *seen > MAX_VALUES_PER_LANE {
                self.events_omitted += 1;
                return;
            }
        }
        if self.events.len() >= MAX_EVENTS {
            self.events_omitted += 1;
            return;
        }
        self.events.push(Event { lane, t, kind });
    }

    /// Whether a value on `lane` would be recorded: callers skip reading the
    /// clock for values nobody will see.
    #[inline(always)]
    pub fn wants_value(&self, lane: u32) -> bool {
        lane != UNTRACED
            && self.values_per_lane[lane as usize] < MAX_VALUES_PER_LANE
            && self.events.len() < MAX_EVENTS
    }

    /// Records a batch of values that arrived together at `t`, as many as
    /// the caps allow; the rest are counted as omitted.
    pub fn record_values(&mut self, lane: u32, t: f64, values: &[f64]) {
        for (index, &value) in values.iter().enumerate() {
            if !self.wants_value(lane) {
                self.omit_values(lane, values.len() - index);
                return;
            }
            let late_ms = 0.0;
            self.record(lane, t, EventKind::Value { value, late_ms });
        }
    }

    /// Counts values of a traced lane that arrived but are not recorded.
    /// (Untraced lanes are counted whole, in `lanes_omitted`.)
    #[inline(always)]
    pub fn omit_values(&mut self, lane: u32, count: usize) {
        if lane != UNTRACED {
            self.events_omitted += count as u64;
        }
    }

    pub fn record_lateness(&mut self, late_ms: f64) {
        self.lateness.record(late_ms);
    }

    /// Lanes and events added since the last call.
    pub fn take_new(&mut self) -> (&[Lane], &[Event]) {
        let lanes = &self.lanes[self.lanes_sent..];
        let events = &self.events[self.events_sent..];
        self.lanes_sent = self.lanes.len();
        self.events_sent = self.events.len();
        (lanes, events)
    }

    pub fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    /// Moves everything recorded into `report`.
    pub fn fill(self, report: &mut Report) {
        report.lanes = self.lanes;
        report.events = self.events;
        report.lanes_omitted = self.lanes_omitted;
        report.events_omitted = self.events_omitted;
        report.lateness = self.lateness;
    }
}
