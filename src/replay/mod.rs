//! Replaying a finished run: the state of every lane and of the event loop
//! at any time `t`, and a sentence for the scheduler rule that fired at each
//! step. Pure functions of the report's trace and the plan (which says what
//! each lane runs), so a virtual run, a real run and a recording replay alike.
//!
//! ```
//! use async_playground::{lang, replay::Replay, run::{run_virtual, Plan}};
//! let program = lang::parse("source a = [10, 20, 40] every 1s\ngather(sum(a), sum(a))").unwrap();
//! let report = run_virtual(&program).unwrap();
//! let replay = Replay::new(&Plan::compile(&program).unwrap(), &report.events, false);
//! let moment = replay.state_at(2500.0);
//! assert_eq!(moment.lanes[1].held().as_deref(), Some("30"));
//! assert_eq!(moment.lanes[1].status, async_playground::replay::Status::Waiting { until: Some(3000.0) });
//! ```

mod lane_state;
mod narrate;
mod schema;

pub use lane_state::{LaneState, Role, Status};
pub use schema::{log_json, moment_json, moment_json_shown};

use std::rc::Rc;

use crate::run::Plan;
use crate::trace::{Event, EventKind, UNTRACED};

/// What the page shows of a lane besides its state.
#[derive(Clone, Debug)]
pub struct LaneInfo {
    /// The label, with ` #2`, ` #3`… when several lanes share it.
    pub name: Rc<str>,
    pub parent: Option<u32>,
    pub role: Role,
}

/// The event loop at a moment.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopView {
    /// `"before"`, `"step"` (events happen at exactly this time), `"idle"`
    /// (every task waits), `"busy"` (a task busy-waits) or `"over"`.
    pub mode: &'static str,
    /// The lane busy-waiting, if one is.
    pub busy: Option<u32>,
    /// Timers pending: lane and deadline (ms), soonest first.
    pub queue: Vec<(u32, f64)>,
    /// Lanes that can run (or run at this very step).
    pub ready: Vec<u32>,
    /// The rule that fired, in plain words.
    pub line: String,
}

/// Every lane and the loop at one time.
#[derive(Clone, Debug)]
pub struct Moment {
    pub t: f64,
    pub lanes: Vec<LaneState>,
    pub event_loop: LoopView,
}

/// A finished run, ready to be looked at at any time.
#[derive(Clone, Debug)]
pub struct Replay {
    lanes: Vec<LaneInfo>,
    /// In time order (a busy-wait's event is stamped with its start).
    events: Vec<Event>,
    /// The state of each event's lane just after it.
    after: Vec<LaneState>,
    /// Each lane's events, as indices into `events`.
    by_lane: Vec<Vec<u32>>,
    /// Each lane's child lanes, in order.
    children: Vec<Vec<u32>>,
    /// The distinct event times, ascending: where stepping stops.
    steps: Vec<f64>,
    real_clock: bool,
}

impl Replay {
    /// `events` are a run of `plan` (a report's, or a recording's).
    pub fn new(plan: &Plan, events: &[Event], real_clock: bool) -> Replay {
        let lanes = lane_infos(plan);
        let mut events: Vec<Event> = events
            .iter()
            .filter(|e| (e.lane as usize) < lanes.len() && e.t.is_finite())
            .cloned()
            .collect();
        events.sort_by(|a, b| a.t.total_cmp(&b.t));
        let mut by_lane = vec![Vec::new(); lanes.len()];
        for (index, event) in events.iter().enumerate() {
            by_lane[event.lane as usize].push(index as u32);
        }
        let after = lane_states(&lanes, &events, &by_lane);
        let mut children = vec![Vec::new(); lanes.len()];
        for (lane, info) in lanes.iter().enumerate() {
            if let Some(parent) = info.parent {
                children[parent as usize].push(lane as u32);
            }
        }
        let mut steps: Vec<f64> = events.iter().map(|e| e.t).collect();
        steps.dedup();
        // Narration is written when asked for: a run of 10^5 steps opens at once.
        Replay {
            lanes,
            events,
            after,
            by_lane,
            children,
            steps,
            real_clock,
        }
    }

    pub fn lanes(&self) -> &[LaneInfo] {
        &self.lanes
    }

    /// The times where something happens, ascending.
    pub fn steps(&self) -> &[f64] {
        &self.steps
    }

    /// The first step after `t`, for stepping forward.
    pub fn next_step(&self, t: f64) -> Option<f64> {
        let index = self.steps.partition_point(|&s| s <= t);
        self.steps.get(index).copied()
    }

    /// The last step before `t`, for stepping back.
    pub fn previous_step(&self, t: f64) -> Option<f64> {
        let index = self.steps.partition_point(|&s| s < t);
        index.checked_sub(1).map(|i| self.steps[i])
    }

    /// Every step's time and narration: the text log.
    pub fn log(&self) -> impl Iterator<Item = (f64, String)> + '_ {
        (0..self.steps.len()).map(|step| (self.steps[step], narrate::step(self, step)))
    }

    /// One lane's state at `t`: after its last event at or before `t`.
    pub fn lane_at(&self, lane: u32, t: f64) -> LaneState {
        let events = &self.by_lane[lane as usize];
        let seen = events.partition_point(|&i| self.events[i as usize].t <= t);
        match seen.checked_sub(1) {
            Some(last) => self.after[events[last] as usize].clone(),
            None => LaneState::new(self.lanes[lane as usize].role),
        }
    }

    /// Every lane and the loop at `t` (a jump: binary searches, no replay).
    pub fn state_at(&self, t: f64) -> Moment {
        let lanes: Vec<LaneState> = (0..self.lanes.len() as u32)
            .map(|lane| self.lane_at(lane, t))
            .collect();
        let event_loop = narrate::loop_view(self, &lanes, t);
        Moment {
            t,
            lanes,
            event_loop,
        }
    }

    /// The last (at most) `count` values `lane` has received by `t`, in
    /// order: a binary search, then a walk back, so a long lane costs little.
    pub fn last_values(&self, lane: u32, t: f64, count: usize) -> Vec<f64> {
        let events = &self.by_lane[lane as usize];
        let seen = events.partition_point(|&i| self.events[i as usize].t <= t);
        let mut values: Vec<f64> = events[..seen]
            .iter()
            .rev()
            .filter_map(|&i| match self.events[i as usize].kind {
                EventKind::Value { value, .. } => Some(value),
                _ => None,
            })
            .take(count)
            .collect();
        values.reverse();
        values
    }

    /// The index of the step at `t`, if something happens exactly then.
    fn step_index(&self, t: f64) -> Option<usize> {
        self.steps.binary_search_by(|s| s.total_cmp(&t)).ok()
    }

    /// The events of step `step`.
    fn step_events(&self, step: usize) -> &[Event] {
        let t = self.steps[step];
        let from = self.events.partition_point(|e| e.t < t);
        let to = self.events.partition_point(|e| e.t <= t);
        &self.events[from..to]
    }
}

/// Each traced lane's name, parent and role, from the plan.
fn lane_infos(plan: &Plan) -> Vec<LaneInfo> {
    use crate::run::Node;
    fn walk(node: &Node, roles: &mut Vec<Option<Role>>) {
        let (lane, role) = match node {
            Node::Leaf {
                lane, aggregator, ..
            } => (*lane, Role::Task(*aggregator)),
            Node::Group {
                lane,
                group,
                children,
            } => {
                children.iter().for_each(|child| walk(child, roles));
                (*lane, Role::Group(*group))
            }
        };
        if lane != UNTRACED {
            roles[lane as usize] = Some(role);
        }
    }
    let traced = plan.trace.lanes();
    let mut roles = vec![None; traced.len()];
    plan.statements
        .iter()
        .for_each(|node| walk(node, &mut roles));
    let mut seen = std::collections::HashMap::<&str, u32>::new();
    for lane in traced {
        *seen.entry(&lane.label).or_default() += 1;
    }
    let mut numbered = std::collections::HashMap::<&str, u32>::new();
    traced
        .iter()
        .zip(roles)
        .map(|(lane, role)| {
            let name = if seen[&*lane.label] > 1 {
                let n = numbered.entry(&lane.label).or_default();
                *n += 1;
                Rc::from(format!("{} #{n}", lane.label))
            } else {
                lane.label.clone()
            };
            LaneInfo {
                name,
                parent: lane.parent,
                role: role.unwrap_or(Role::Group(crate::program::Group::Sequential)),
            }
        })
        .collect()
}

/// Folds each lane's events in order: its state after every event. A task
/// between events waits for its next one, so the next event says on what.
fn lane_states(lanes: &[LaneInfo], events: &[Event], by_lane: &[Vec<u32>]) -> Vec<LaneState> {
    let mut after = vec![None; events.len()];
    for (lane, indices) in by_lane.iter().enumerate() {
        let is_group = matches!(lanes[lane].role, Role::Group(_));
        let mut state = LaneState::new(lanes[lane].role);
        for (k, &index) in indices.iter().enumerate() {
            let event = &events[index as usize];
            let next = indices.get(k + 1).map(|&i| &events[i as usize]);
            state.status = match &event.kind {
                EventKind::Block { ms } => Status::Busy {
                    until: event.t + ms,
                    ms: *ms,
                },
                EventKind::End { .. } => Status::Done,
                EventKind::Error { .. } => Status::Failed,
                EventKind::Cancel => Status::Cancelled,
                _ if is_group => Status::Running,
                EventKind::Value { value, late_ms } => {
                    state.push(*value, *late_ms);
                    waiting_for(next)
                }
                EventKind::Start | EventKind::Note { .. } => waiting_for(next),
            };
            after[index as usize] = Some(state.clone());
        }
    }
    after.into_iter().flatten().collect()
}

/// What a started task waits on, given its next event.
fn waiting_for(next: Option<&Event>) -> Status {
    match next.map(|e| (&e.kind, e.t)) {
        Some((EventKind::Value { late_ms, .. }, t)) => Status::Waiting {
            until: Some(t - late_ms),
        },
        Some((EventKind::Block { .. }, _)) => Status::Ready,
        Some((EventKind::End { .. } | EventKind::Error { .. }, t)) => {
            Status::Waiting { until: Some(t) }
        }
        _ => Status::Waiting { until: None },
    }
}
