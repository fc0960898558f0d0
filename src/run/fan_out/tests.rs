use std::pin::pin;
use std::rc::Rc;

use super::*;
use crate::clock::{Progress, VirtualClock};
use crate::run::{Copies as Path, Plan};
use crate::source::NoIo;

/// Runs `text` poll by poll on the virtual clock and returns the timers
/// pending after each step (a poll, then a jump to the next deadline
/// when nothing else is ready), with the run's report.
fn timers_per_step(text: &str, path: Path) -> (Vec<usize>, crate::trace::Report) {
    let program = crate::lang::parse(text).unwrap();
    let plan = Plan::compile_copies(&program, path).unwrap();
    let clock = VirtualClock::new();
    let engine = Engine::new(clock.clone(), plan, Rc::new(NoIo));
    let mut run = pin!(engine.run(None));
    let mut pending = Vec::new();
    loop {
        match clock.advance(run.as_mut(), || false) {
            Progress::Done(()) => break,
            Progress::Paused => pending.push(clock.pending_timers()),
            Progress::Stalled => panic!("stalled"),
        }
    }
    (pending, engine.report(false))
}

#[test]
fn copies_with_one_deadline_share_one_timer() {
    let text = "gather(1000 * sum([10, 20, 40] every 100ms))";
    let (fan_out, report) = timers_per_step(text, Path::FanOut);
    assert!(fan_out.iter().all(|&timers| timers <= 1), "{fan_out:?}");
    let (general, general_report) = timers_per_step(text, Path::General);
    assert_eq!(general.iter().max(), Some(&1000));
    assert_eq!(report, general_report);
    assert_eq!(report.statements[0].elapsed_ms, 300.0);
}

#[test]
fn drawn_delays_share_a_timer_only_when_their_deadlines_are_equal() {
    // Two copies out of three draw 10ms, one draws 20ms at each step.
    let text = "gather(40 * count([1, 2] every uniform(10ms..20ms)))";
    let (fan_out, report) = timers_per_step(text, Path::FanOut);
    let (general, general_report) = timers_per_step(text, Path::General);
    assert_eq!(report, general_report);
    // One timer per distinct deadline: fewer than the copies' timers.
    assert!(
        fan_out[0] <= general[0] && fan_out[0] > 1,
        "{fan_out:?} {general:?}"
    );
}

#[test]
fn a_wake_advances_only_the_copies_whose_deadline_passed() {
    let text = "gather(40 * collect([1, 2, 3] every uniform(10ms..90ms)))";
    let (_, report) = timers_per_step(text, Path::FanOut);
    // Every value event of a copy comes after its previous one, at least
    // 10 ms later: no copy took a value before its own deadline.
    for lane in 1..=40 {
        let times: Vec<f64> = report
            .events
            .iter()
            .filter(|e| e.lane == lane && matches!(e.kind, EventKind::Value { .. }))
            .map(|e| e.t)
            .collect();
        assert_eq!(times.len(), 3);
        assert!(times.windows(2).all(|w| w[1] - w[0] >= 10.0), "{times:?}");
        assert!(times[0] >= 10.0);
    }
}

#[test]
fn only_delays_above_zero_fan_out() {
    let parse = |text: &str| {
        let program = crate::lang::parse(&format!("source s = {text}\nsum(s)")).unwrap();
        let plan = Plan::compile(&program).unwrap();
        let crate::run::Node::Leaf { source, .. } = &plan.statements[0] else {
            panic!("a leaf")
        };
        fans_out(source).is_some()
    };
    assert!(parse("[1, 2] every 1ms"));
    assert!(parse("range(3) after [1ms, 2ms, 3ms]"));
    assert!(parse("[1] every lognormal(10ms, p99 1s) spike 1% 2s"));
    assert!(parse("[1] every uniform(1ms..2ms)"));
    assert!(!parse("[1] every uniform(0ms..2ms)"));
    assert!(!parse("[1] every exp(10ms)"));
    assert!(!parse("[1] every 10ms spike 5% 0s"));
    assert!(!parse("[1, 2] after [1ms, 0s]"));
    assert!(!parse("[1, 2] every 0s"));
    assert!(!parse("[1, 2]"));
    assert!(!parse("[1, 2] every 1ms blocking"));
    assert!(!parse("[1, 2] every 1ms | take 1"));
}
