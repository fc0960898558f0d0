#![cfg(not(target_arch = "wasm32"))]
//! Replaying a run: the state at any time is the same stepped or jumped to,
//! running aggregator states equal folding the values seen so far, and each
//! scheduler rule has its sentence.

use async_playground::aggregate::{AnyFold, Fold};
use async_playground::examples::EXAMPLES;
use async_playground::lang;
use async_playground::replay::{moment_json, Replay, Role, Status};
use async_playground::run::{run_virtual, Plan};
use async_playground::trace::{Event, EventKind, Report};

fn run(text: &str) -> (Plan, Report) {
    let program = lang::parse(text).unwrap_or_else(|e| panic!("{e:?}"));
    let report = run_virtual(&program).unwrap();
    (Plan::compile(&program).unwrap(), report)
}

fn replay_of(text: &str) -> Replay {
    let (plan, report) = run(text);
    Replay::new(&plan, &report.events, false)
}

fn example_text(name: &str) -> &'static str {
    EXAMPLES.iter().find(|e| e.name == name).unwrap().text
}

fn example(name: &str) -> Replay {
    replay_of(example_text(name))
}

fn virtual_examples() -> impl Iterator<Item = (&'static str, Plan, Report)> {
    EXAMPLES
        .iter()
        .filter(|e| !e.name.starts_with("io-"))
        .map(|e| {
            let (plan, report) = run(e.text);
            (e.name, plan, report)
        })
}

/// The step at `t`: its narration line.
fn line_at(replay: &Replay, t: f64) -> String {
    replay.state_at(t).event_loop.line
}

#[test]
fn the_state_at_t_is_the_same_stepped_or_jumped_to_for_every_example() {
    for (name, plan, report) in virtual_examples() {
        let replay = Replay::new(&plan, &report.events, false);
        // The times to jump to, found independently of the replay.
        let mut times: Vec<f64> = report.events.iter().map(|e| e.t).collect();
        times.sort_by(f64::total_cmp);
        times.dedup();
        assert!(times.len() > 1, "{name}");

        let mut stepped = vec![times[0]];
        while let Some(next) = replay.next_step(*stepped.last().unwrap()) {
            stepped.push(next);
        }
        assert_eq!(
            stepped, times,
            "{name}: stepping forward visits every event time"
        );
        let mut back = vec![*times.last().unwrap()];
        while let Some(previous) = replay.previous_step(*back.last().unwrap()) {
            back.push(previous);
        }
        back.reverse();
        assert_eq!(back, times, "{name}: stepping back visits them too");

        // Stepped there, or jumped there from the far end: the same state.
        let jumped_from_end = |t: f64| {
            let _ = replay.state_at(*times.last().unwrap());
            moment_json(&replay, &replay.state_at(t))
        };
        for &t in &stepped {
            assert_eq!(
                moment_json(&replay, &replay.state_at(t)),
                jumped_from_end(t),
                "{name} at {t}"
            );
        }
        // Between steps nothing changes on the lanes.
        for pair in times.windows(2) {
            let middle = (pair[0] + pair[1]) / 2.0;
            let (at, mid) = (replay.state_at(pair[0]), replay.state_at(middle));
            for (lane, (a, b)) in at.lanes.iter().zip(&mid.lanes).enumerate() {
                assert_eq!(a.status, b.status, "{name} lane {lane} at {middle}");
                assert_eq!(a.values, b.values, "{name} lane {lane} at {middle}");
                assert_eq!(a.held(), b.held(), "{name} lane {lane} at {middle}");
            }
        }
    }
}

fn values_by(events: &[Event], lane: u32, t: f64) -> Vec<f64> {
    events
        .iter()
        .filter(|e| e.lane == lane && e.t <= t)
        .filter_map(|e| match e.kind {
            EventKind::Value { value, .. } => Some(value),
            _ => None,
        })
        .collect()
}

#[test]
fn running_aggregator_states_equal_folding_the_values_seen_so_far() {
    let mut checked = 0;
    for (name, plan, report) in virtual_examples() {
        let replay = Replay::new(&plan, &report.events, false);
        for (lane, info) in replay.lanes().iter().enumerate() {
            let Role::Task(aggregator) = info.role else {
                continue;
            };
            for &t in replay.steps() {
                let state = replay.lane_at(lane as u32, t);
                let seen = values_by(&report.events, lane as u32, t);
                assert_eq!(
                    state.values as usize,
                    seen.len(),
                    "{name} lane {lane} at {t}"
                );
                if seen.is_empty() || seen.iter().any(|v| !v.is_finite()) {
                    continue;
                }
                let mut fold = AnyFold::new(aggregator);
                fold.push_all(&seen);
                let folded = fold.finish();
                let folded = match folded {
                    async_playground::aggregate::Outcome::Error(m) => format!("({m})"),
                    other => other.to_string(),
                };
                if let Some(held) = state.held() {
                    assert_eq!(held, folded, "{name} lane {lane} at {t}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} states checked");
}

#[test]
fn stats_holds_four_numbers_not_the_list() {
    let replay = example("aggregators");
    let stats = replay
        .lanes()
        .iter()
        .position(|l| l.name.starts_with("stats"))
        .unwrap();
    let moment = replay.state_at(250.0);
    let json = moment_json(&replay, &moment);
    assert_eq!(
        moment.lanes[stats].held().unwrap(),
        "{count: 2, min: 50, max: 500, mean: 275}"
    );
    assert!(
        json.contains("holds {count: 2, min: 50, max: 500, mean: 275} (4 numbers)"),
        "{json}"
    );
}

#[test]
fn collect_holds_the_whole_list_and_shows_its_tail() {
    let replay = example("gather");
    let json = moment_json(&replay, &replay.state_at(2500.0));
    assert!(
        json.contains("· 2 values · holds [10, 20] (2 numbers)"),
        "{json}"
    );
    let long = replay_of("source s = range(8) every 1s\ncollect(s)");
    let json = moment_json(&long, &long.state_at(7500.0));
    assert!(
        json.contains("· 7 values · holds […, 2, 3, 4, 5, 6] (7 numbers)"),
        "{json}"
    );
}

#[test]
fn gather_at_one_and_a_half_seconds_both_wait_until_two_and_the_loop_is_idle() {
    let replay = replay_of(
        "source afeat1 = [10, 20, 40] every 1s\nsource afeat2 = [50, 500, 5000] every 1s\n\
         gather(sum(afeat1), sum(afeat2))",
    );
    let moment = replay.state_at(1500.0);
    for lane in [1, 2] {
        assert_eq!(
            moment.lanes[lane].status,
            Status::Waiting {
                until: Some(2000.0)
            }
        );
    }
    assert_eq!(moment.lanes[1].held().unwrap(), "10");
    assert_eq!(moment.event_loop.mode, "idle");
    assert_eq!(moment.event_loop.queue, vec![(1, 2000.0), (2, 2000.0)]);
    assert!(moment.event_loop.ready.is_empty());
    assert_eq!(
        moment.event_loop.line,
        "the loop is idle: every task is waiting; next the clock jumps to 2.000 s: \
         sum(afeat1) and sum(afeat2) wake"
    );
    // A value later, sum holds 30; one step back from 1.5 s is 1.0 s, same lanes.
    assert_eq!(replay.state_at(2500.0).lanes[1].held().unwrap(), "30");
    assert_eq!(replay.previous_step(1500.0), Some(1000.0));
    let back = replay.state_at(1000.0);
    assert_eq!(back.lanes[1].status, moment.lanes[1].status);
    assert_eq!(back.lanes[1].held(), moment.lanes[1].held());
}

#[test]
fn narration_when_the_clock_jumps() {
    assert_eq!(
        line_at(&example("gather"), 1000.0),
        "every task is waiting: the clock jumps to 1.000 s; collect(afeat1) and collect(afeat2) wake"
    );
    assert_eq!(
        line_at(&example("gather"), 0.0),
        "gather starts collect(afeat1) and collect(afeat2) at once"
    );
}

#[test]
fn narration_of_a_busy_wait() {
    let replay = example("blocking");
    assert!(
        line_at(&replay, 0.0).ends_with("collect(sleepy1) busy-waits 100ms: no other task can run"),
        "{}",
        line_at(&replay, 0.0)
    );
    let middle = replay.state_at(50.0);
    assert_eq!(middle.event_loop.mode, "busy");
    assert_eq!(
        middle.event_loop.line,
        "collect(sleepy1) busy-waits 100ms (until 0.100 s): no other task can run"
    );
    assert_eq!(
        middle.lanes[1].status,
        Status::Busy {
            until: 100.0,
            ms: 100.0
        }
    );
}

#[test]
fn narration_of_a_race() {
    assert_eq!(
        line_at(&example("race"), 100.0),
        "every task is waiting: the clock jumps to 0.100 s; first(mirror2) wakes; race: \
         first(mirror2) finished first, so first(mirror1) is cancelled: its result is no \
         longer needed; first(mirror2) is done: 50; race is done: 50"
    );
    assert_eq!(
        example("race").state_at(200.0).lanes[1].status,
        Status::Cancelled
    );
}

#[test]
fn narration_of_a_limit() {
    let replay = example("limit");
    assert_eq!(
        line_at(&replay, 0.0),
        "limit 2 lets in sum(afeat1) #1 and sum(afeat1) #2; sum(afeat1) #3 and sum(afeat1) #4 \
         wait for a slot"
    );
    assert!(line_at(&replay, 3000.0)
        .ends_with("a slot is free: limit 2 lets in sum(afeat1) #3 and sum(afeat1) #4"));
    assert_eq!(replay.state_at(1500.0).lanes[3].status, Status::Pending);
}

#[test]
fn narration_of_a_timeout() {
    let replay = example("timeout");
    assert_eq!(
        line_at(&replay, 4500.0),
        "every task is waiting: the clock jumps to 4.500 s; timeout 1.5s ran out: \
         collect(afeat1) #2 is cancelled; collect(afeat1 | timeout 500ms) starts"
    );
    assert!(line_at(&replay, 5000.0)
        .ends_with("collect(afeat1 | timeout 500ms) fails: no value within 500ms"));
}

#[test]
fn narration_of_sequential_and_of_a_failure() {
    assert!(line_at(&example("sequential"), 3000.0)
        .ends_with("collect(afeat2) starts: one task at a time, in order"));
    assert!(line_at(&example("gather-error"), 2000.0)
        .ends_with("collect(flaky) fails: connection reset"));
}

#[test]
fn narration_of_a_stopped_run_and_of_its_end() {
    let (plan, report) = run(example_text("gather"));
    let mut events: Vec<Event> = report
        .events
        .iter()
        .filter(|e| e.t < 1500.0)
        .cloned()
        .collect();
    for lane in [1, 2, 0] {
        events.push(Event {
            lane,
            t: 1500.0,
            kind: EventKind::Cancel,
        });
    }
    let stopped = Replay::new(&plan, &events, false);
    assert_eq!(
        line_at(&stopped, 1500.0),
        "gather is cancelled: the run was stopped"
    );
    assert_eq!(
        stopped.state_at(1400.0).lanes[1].status,
        Status::Waiting { until: None }
    );
    assert_eq!(line_at(&stopped, 1600.0), "the run is over");
}

#[test]
fn real_clock_narration_says_how_late_the_timer_fired() {
    let (plan, report) = run(example_text("gather"));
    let late: Vec<Event> = report
        .events
        .iter()
        .map(|e| match e.kind {
            EventKind::Value { value, .. } => Event {
                lane: e.lane,
                t: e.t + 3.0,
                kind: EventKind::Value {
                    value,
                    late_ms: 3.0,
                },
            },
            _ => e.clone(),
        })
        .collect();
    let replay = Replay::new(&plan, &late, true);
    assert_eq!(
        line_at(&replay, 1003.0),
        "every task is waiting: the timer fires at 1.003 s (3.0 ms late); collect(afeat1) and \
         collect(afeat2) wake"
    );
    // The deadline, not the measured time, is what a lane waits for.
    assert_eq!(
        replay.state_at(1500.0).lanes[1].status,
        Status::Waiting {
            until: Some(2000.0)
        }
    );
    assert!(moment_json(&replay, &replay.state_at(1500.0)).contains("last timer 3.0 ms late"));
}

#[test]
fn a_moment_for_the_page_carries_the_lanes_it_draws_and_counts_the_rest() {
    let replay = replay_of("source s = [1, 2] every 1s\ngather(300 * sum(s))");
    let moment = replay.state_at(500.0);
    assert_eq!(moment.event_loop.queue.len(), 300);
    let json = async_playground::replay::moment_json_shown(&replay, &moment, 150);
    assert_eq!(json.matches("\"status\":").count(), 150);
    assert!(json.contains("\"queued\":300,\"readyCount\":0"), "{json}");
    assert_eq!(
        json.matches("\"until\":1000}").count(),
        150,
        "150 queue entries"
    );
}
