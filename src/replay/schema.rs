//! The JSON form of a moment and of the log, for the page: it only draws.

use super::narrate::seconds;
use super::{LaneState, Moment, Replay, Role, Status};
use crate::aggregate::format_number;
use crate::display::format_duration;
use crate::float_text::FloatText;
use crate::json::Json;
use crate::program::Aggregator;
use crate::trace::MAX_VALUES_PER_LANE;

/// Values shown of a `collect` in the lane's line; the count says the rest.
const SHOWN_VALUES: usize = 5;

/// A lane's state in words: `waiting on a timer until 2.000 s · holds 30 (1 number)`.
fn describe(replay: &Replay, lane: u32, state: &LaneState, t: f64) -> String {
    let mut text = match state.status {
        Status::Pending => "not started".to_string(),
        Status::Ready => "ready: waits for the loop".to_string(),
        Status::Waiting { until: Some(until) } => {
            format!("waiting on a timer until {}", seconds(until))
        }
        Status::Waiting { until: None } => "waiting".to_string(),
        Status::Busy { until, ms } => format!(
            "busy-waiting {} until {}",
            format_duration(ms),
            seconds(until)
        ),
        Status::Running => "running".to_string(),
        Status::Done => "done".to_string(),
        Status::Failed => "failed".to_string(),
        Status::Cancelled => "cancelled".to_string(),
    };
    let Role::Task(aggregator) = replay.lanes[lane as usize].role else {
        return text;
    };
    if state.status == Status::Pending {
        return text;
    }
    let values = state.values;
    text += &format!(" · {values} value{}", if values == 1 { "" } else { "s" });
    let numbers = aggregator.numbers_held(values);
    let plural = if numbers == 1 { "" } else { "s" };
    let held = match (aggregator, state.held()) {
        (Aggregator::Collect, _) if values > 0 => {
            let shown: Vec<String> = replay
                .last_values(lane, t, SHOWN_VALUES)
                .iter()
                .map(|v| format_number(*v))
                .collect();
            let more = if values as usize > shown.len() {
                "…, "
            } else {
                ""
            };
            Some(format!("[{more}{}]", shown.join(", ")))
        }
        (_, held) if values > 0 => held,
        _ => None,
    };
    if let Some(held) = held {
        text += &format!(" · holds {held} ({numbers} number{plural})");
    }
    if values >= MAX_VALUES_PER_LANE {
        text += &format!(" · the trace keeps {MAX_VALUES_PER_LANE} values per task: later ones are not counted here");
    }
    if state.late_ms >= 0.5 && replay.real_clock {
        text += &format!(
            " · last timer {} ms late",
            FloatText::fixed(state.late_ms, 1)
        );
    }
    text
}

/// `{ t, lanes: [{name, status, until?, values, held?, lateMs, text}], loop: {mode, busy, queue, ready, line} }`
pub fn moment_json(replay: &Replay, moment: &Moment) -> String {
    moment_json_shown(replay, moment, usize::MAX)
}

/// [`moment_json`] with the first `shown` lanes, timer queue entries and
/// ready tasks only (a page draws a few hundred rows at most), and the full
/// counts as `queued` and `readyCount`: a fan-out of 2000 scrubs as fast as 150.
pub fn moment_json_shown(replay: &Replay, moment: &Moment, shown: usize) -> String {
    let mut json = Json::default();
    json.object(|o| {
        o.number("t", moment.t);
        o.key("lanes").array(
            moment.lanes.iter().take(shown).enumerate(),
            |json, (lane, state)| {
                json.object(|o| {
                    o.string("name", replay.name_of(lane as u32));
                    o.string("status", state.status.name());
                    match state.status {
                        Status::Waiting { until: Some(until) } | Status::Busy { until, .. } => {
                            o.number("until", until)
                        }
                        _ => {}
                    }
                    o.integer("values", state.values.into());
                    if let Some(held) = state.held().filter(|_| state.values > 0) {
                        o.string("held", &held);
                    }
                    o.number("lateMs", state.late_ms);
                    o.string("text", &describe(replay, lane as u32, state, moment.t));
                })
            },
        );
        let view = &moment.event_loop;
        o.key("loop").object(|o| {
            o.string("mode", view.mode);
            match view.busy {
                Some(lane) => o.integer("busy", lane.into()),
                None => o.key("busy").null(),
            }
            o.integer("queued", view.queue.len() as u64);
            o.integer("readyCount", view.ready.len() as u64);
            o.key("queue")
                .array(view.queue.iter().take(shown), |json, &(lane, until)| {
                    json.object(|o| {
                        o.integer("lane", lane.into());
                        o.string("name", replay.name_of(lane));
                        o.number("until", until);
                    })
                });
            o.key("ready")
                .array(view.ready.iter().take(shown), |json, &lane| {
                    json.string(replay.name_of(lane))
                });
            o.string("line", &view.line);
        });
    });
    json.finish()
}

/// `[{ t, line }]`: every step's narration, the text log.
pub fn log_json(replay: &Replay) -> String {
    let mut json = Json::default();
    json.array(replay.log(), |json, (t, line)| {
        json.object(|o| {
            o.number("t", t);
            o.string("line", &line);
        })
    });
    json.finish()
}
