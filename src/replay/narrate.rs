//! The scheduler's rules in plain words: one line per step, and the loop's
//! view between steps.

use super::{LaneState, LoopView, Replay, Role, Status};
use crate::display::format_duration;
use crate::float_text::FloatText;
use crate::program::Group;
use crate::trace::{Event, EventKind};

/// `1500` → `"1.500 s"`: steps are read to the millisecond.
pub(super) fn seconds(ms: f64) -> String {
    format!("{} s", FloatText::fixed(ms / 1000.0, 3))
}

/// `a`, `a and b`, `a, b and c`, `a, b, c and 4 more`.
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] if init.len() < 4 => format!("{} and {last}", init.join(", ")),
        _ => format!("{} and {} more", names[..3].join(", "), names.len() - 3),
    }
}

/// `is` or `are`, `wakes` or `wake`.
fn verb<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

impl Replay {
    /// A lane's name as the narration says it.
    pub fn name_of(&self, lane: u32) -> &str {
        &self.lanes[lane as usize].name
    }

    fn names(&self, lanes: &[u32]) -> String {
        list(&lanes.iter().map(|&l| self.name_of(l)).collect::<Vec<_>>())
    }

    /// Whether `lane` has not started by `t`.
    fn is_pending(&self, lane: u32, t: f64) -> bool {
        self.by_lane[lane as usize]
            .first()
            .is_none_or(|&i| self.events[i as usize].t > t)
    }
}

/// Lanes of `events` whose event matches, each once, in order.
fn lanes_where(events: &[Event], keep: impl Fn(&Event) -> bool) -> Vec<u32> {
    let mut seen = std::collections::HashSet::new();
    events
        .iter()
        .filter(|e| keep(e) && seen.insert(e.lane))
        .map(|e| e.lane)
        .collect()
}

/// The sentence for step `step`: why time is here, and what each rule did.
pub(super) fn step(replay: &Replay, step: usize) -> String {
    let t = replay.steps[step];
    let events = replay.step_events(step);
    let before = |lane: u32| {
        step.checked_sub(1)
            .map(|s| replay.lane_at(lane, replay.steps[s]).status)
    };
    let mut parts: Vec<String> = Vec::new();

    // Why the clock is at t: a busy-wait ended, or timers came due.
    let arrives = |e: &Event| {
        matches!(
            e.kind,
            EventKind::Value { .. } | EventKind::End { .. } | EventKind::Error { .. }
        )
    };
    let unblocked = lanes_where(events, |e| {
        arrives(e) && matches!(before(e.lane), Some(Status::Busy { .. }))
    });
    let woken = lanes_where(events, |e| {
        arrives(e) && matches!(before(e.lane), Some(Status::Waiting { until: Some(_) }))
    });
    if !unblocked.is_empty() {
        parts.push(format!(
            "{} {} busy-waiting at {}",
            replay.names(&unblocked),
            verb(unblocked.len(), "stops", "stop"),
            seconds(t)
        ));
    }
    // A stop cancels without any timer firing.
    let stopped = events.iter().all(|e| e.kind == EventKind::Cancel);
    // Only a timer moves virtual time; real time also passes while tasks run.
    let moved = step > 0 && unblocked.is_empty() && woken.is_empty() && !stopped;
    if moved && !replay.real_clock {
        parts.push(format!(
            "every task is waiting: the clock jumps to {}",
            seconds(t)
        ));
    }
    if !woken.is_empty() {
        let wake = verb(woken.len(), "wakes", "wake");
        let names = replay.names(&woken);
        parts.push(if !unblocked.is_empty() {
            format!("{names} {wake}, late: no timer can fire during a busy-wait")
        } else if replay.real_clock {
            let late = events
                .iter()
                .filter_map(|e| match e.kind {
                    EventKind::Value { late_ms, .. } => Some(late_ms),
                    _ => None,
                })
                .fold(0.0, f64::max);
            format!(
                "every task is waiting: the timer fires at {} ({} ms late); {names} {wake}",
                seconds(t),
                FloatText::fixed(late, 1)
            )
        } else {
            format!(
                "every task is waiting: the clock jumps to {}; {names} {wake}",
                seconds(t)
            )
        });
    }

    // Cancellations, said once for the outermost lane cancelled, with why.
    let cancelled = lanes_where(events, |e| e.kind == EventKind::Cancel);
    let outermost: Vec<u32> = cancelled
        .iter()
        .copied()
        .filter(|&l| {
            replay.lanes[l as usize]
                .parent
                .is_none_or(|p| !cancelled.contains(&p))
        })
        .collect();
    let mut explained: Vec<u32> = Vec::new();
    let mut cancel_parents: Vec<Option<u32>> = outermost
        .iter()
        .map(|&l| replay.lanes[l as usize].parent)
        .collect();
    cancel_parents.dedup();
    for parent in cancel_parents {
        let lanes: Vec<u32> = outermost
            .iter()
            .copied()
            .filter(|&l| replay.lanes[l as usize].parent == parent)
            .collect();
        let names = replay.names(&lanes);
        let is = verb(lanes.len(), "is", "are");
        let role = parent.map(|p| replay.lanes[p as usize].role);
        let winner = parent.and_then(|p| {
            events
                .iter()
                .find(|e| arrives(e) && replay.lanes[e.lane as usize].parent == Some(p))
                .map(|e| e.lane)
        });
        parts.push(match (role, winner) {
            (Some(Role::Group(Group::Race)), Some(winner)) => format!(
                "race: {} finished first, so {names} {is} cancelled: {} no longer needed",
                replay.name_of(winner),
                verb(lanes.len(), "its result is", "their results are")
            ),
            (Some(Role::Group(Group::Any)), Some(winner)) => format!(
                "any: {} succeeded first, so {names} {is} cancelled: {} no longer needed",
                replay.name_of(winner),
                verb(lanes.len(), "its result is", "their results are")
            ),
            (Some(Role::Group(Group::Timeout(ms))), _) => {
                explained.extend(parent);
                format!(
                    "timeout {} ran out: {names} {is} cancelled",
                    format_duration(ms)
                )
            }
            _ => format!("{names} {is} cancelled: the run was stopped"),
        });
    }

    for event in events {
        let name = replay.name_of(event.lane);
        let top = replay.lanes[event.lane as usize].parent.is_none();
        let task = matches!(replay.lanes[event.lane as usize].role, Role::Task(_));
        match &event.kind {
            EventKind::End { result } if task || top => {
                parts.push(format!("{name} is done: {}", short(result)));
            }
            EventKind::Error { message } if !explained.contains(&event.lane) => {
                parts.push(format!("{name} fails: {message}"));
            }
            EventKind::Note { text } => parts.push(format!("{name}: {text}")),
            _ => {}
        }
    }
    // Tasks let in, grouped by the group that starts them.
    let started = lanes_where(events, |e| e.kind == EventKind::Start);
    let has_children_starting = |lane: u32| {
        started
            .iter()
            .any(|&l| replay.lanes[l as usize].parent == Some(lane))
    };
    for &lane in started
        .iter()
        .filter(|&&l| replay.lanes[l as usize].parent.is_none() && !has_children_starting(l))
    {
        parts.push(format!("{} starts", replay.name_of(lane)));
    }
    let mut parents: Vec<u32> = started
        .iter()
        .filter_map(|&l| replay.lanes[l as usize].parent)
        .collect();
    parents.dedup();
    for parent in parents {
        let let_in: Vec<u32> = started
            .iter()
            .copied()
            .filter(|&l| replay.lanes[l as usize].parent == Some(parent))
            .collect();
        let names = replay.names(&let_in);
        let group_starts = started.contains(&parent);
        let Role::Group(group) = replay.lanes[parent as usize].role else {
            continue;
        };
        parts.push(match (group, group_starts) {
            (Group::Gather, _) if let_in.len() > 1 => format!("gather starts {names} at once"),
            (Group::Gather, _) => format!("gather starts {names}"),
            (Group::Race, _) => format!("race starts {names}: the first to finish wins"),
            (Group::Any, _) => format!("any starts {names}: the first to succeed wins"),
            (Group::Limit(k), first) => {
                let waiting: Vec<u32> = replay.children[parent as usize]
                    .iter()
                    .copied()
                    .filter(|&c| replay.is_pending(c, t))
                    .collect();
                let mut line = if first {
                    format!("limit {k} lets in {names}")
                } else {
                    format!("a slot is free: limit {k} lets in {names}")
                };
                if !waiting.is_empty() {
                    line += &format!(
                        "; {} {} for a slot",
                        replay.names(&waiting),
                        verb(waiting.len(), "waits", "wait")
                    );
                }
                line
            }
            (Group::Timeout(ms), true) => {
                format!(
                    "timeout {} starts its timer and runs {names}",
                    format_duration(ms)
                )
            }
            (Group::Sequential, true) => format!("sequential runs {names} first"),
            (Group::Sequential | Group::Timeout(_), false) => {
                format!("{names} starts: one task at a time, in order")
            }
        });
    }

    for event in events {
        if let EventKind::Block { ms } = event.kind {
            parts.push(format!(
                "{} busy-waits {}: no other task can run",
                replay.name_of(event.lane),
                format_duration(ms)
            ));
        }
    }

    if parts.is_empty() {
        let got = lanes_where(events, |e| matches!(e.kind, EventKind::Value { .. }));
        parts.push(format!(
            "{} {} values",
            replay.names(&got),
            verb(got.len(), "gets", "get")
        ));
    }
    parts.join("; ")
}

/// A result short enough for one line.
fn short(text: &str) -> String {
    match text.char_indices().nth(48) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The loop at `t`: its timer queue, who is ready, and the rule in force.
pub(super) fn loop_view(replay: &Replay, lanes: &[LaneState], t: f64) -> LoopView {
    let mut queue: Vec<(u32, f64)> = Vec::new();
    let mut ready: Vec<u32> = Vec::new();
    let mut busy = None;
    for (lane, state) in lanes.iter().enumerate() {
        let lane = lane as u32;
        match state.status {
            Status::Waiting { until: Some(until) } => queue.push((lane, until)),
            Status::Ready => ready.push(lane),
            Status::Busy { until, ms } => busy = Some((lane, until, ms)),
            _ => {}
        }
    }
    queue.sort_by(|a, b| a.1.total_cmp(&b.1));
    let step = replay.step_index(t);
    if let Some(step) = step {
        // Tasks that run at this very step are ready now.
        for event in replay.step_events(step) {
            let task = matches!(replay.lanes[event.lane as usize].role, Role::Task(_));
            let runs = matches!(event.kind, EventKind::Start | EventKind::Value { .. });
            if task
                && runs
                && !ready.contains(&event.lane)
                && busy.is_none_or(|b| b.0 != event.lane)
            {
                ready.push(event.lane);
            }
        }
    }
    let (mode, line) = match (step, busy) {
        _ if replay.steps.first().is_none_or(|&first| t < first) => {
            ("before", "the run has not started".to_string())
        }
        (Some(step), _) => ("step", self::step(replay, step)),
        (None, Some((lane, until, ms))) => {
            let mut line = format!(
                "{} busy-waits {} (until {}): no other task can run",
                replay.name_of(lane),
                format_duration(ms),
                seconds(until)
            );
            if !ready.is_empty() {
                line += &format!("; {} must wait", replay.names(&ready));
            }
            ("busy", line)
        }
        _ if replay.steps.last().is_some_and(|&last| t > last) => {
            ("over", "the run is over".to_string())
        }
        _ => match queue.first() {
            Some(&(_, next)) => {
                let due: Vec<u32> = queue.iter().filter(|q| q.1 == next).map(|q| q.0).collect();
                let wake = verb(due.len(), "wakes", "wake");
                let rule = if replay.real_clock {
                    "the next timer is due at"
                } else {
                    "next the clock jumps to"
                };
                (
                    "idle",
                    format!(
                        "the loop is idle: every task is waiting; {rule} {}: {} {wake}",
                        seconds(next),
                        replay.names(&due)
                    ),
                )
            }
            None => (
                "idle",
                "the loop is idle: every task is waiting on I/O".to_string(),
            ),
        },
    };
    LoopView {
        mode,
        busy: busy.map(|b| b.0),
        queue,
        ready,
        line,
    }
}
