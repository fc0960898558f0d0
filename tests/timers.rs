#![cfg(not(target_arch = "wasm32"))]
//! The timer queue behind both clocks: sleeps wake in deadline order, at
//! their deadline, and cancelled sleeps never wake.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::Waker;

use async_playground::clock::{Clock, TimerQueue, VirtualClock};
use common::CountingWaker;
use futures::future::{join_all, select, Either};
use futures::FutureExt;
use proptest::prelude::*;

proptest! {
    /// Every sleep completes exactly at its deadline; completions come in
    /// deadline order, ties in the order the sleeps started.
    #[test]
    fn random_sleeps_wake_in_deadline_order(delays in prop::collection::vec(0u32..50, 1..200)) {
        let clock = VirtualClock::new();
        let woke: Rc<RefCell<Vec<(usize, f64)>>> = Rc::default();
        let sleepers = delays.iter().enumerate().map(|(index, &ms)| {
            let (clock, woke) = (clock.clone(), woke.clone());
            async move {
                clock.sleep(f64::from(ms)).await;
                woke.borrow_mut().push((index, clock.now()));
            }
        });
        clock.block_on(join_all(sleepers)).expect("all sleeps finish");
        let woke = woke.borrow();
        prop_assert_eq!(woke.len(), delays.len());
        for &(index, at) in woke.iter() {
            prop_assert_eq!(at, f64::from(delays[index]));
        }
        let mut expected: Vec<usize> = (0..delays.len()).collect();
        // Zero sleeps yield once and finish on the next poll, before any timer.
        expected.sort_by_key(|&i| (delays[i] > 0, delays[i], i));
        let order: Vec<usize> = woke.iter().map(|&(index, _)| index).collect();
        prop_assert_eq!(order, expected);
    }

    /// Sleeps dropped before their deadline never complete, and the clock
    /// does not wait for them.
    #[test]
    fn cancelled_sleeps_never_wake(
        sleeps in prop::collection::vec((1u32..100, prop::option::of(0u32..100)), 1..100)
    ) {
        let clock = VirtualClock::new();
        let woke: Rc<RefCell<Vec<usize>>> = Rc::default();
        let sleepers = sleeps.iter().enumerate().map(|(index, &(ms, cancel_at))| {
            let (clock, woke) = (clock.clone(), woke.clone());
            async move {
                let sleep = clock.sleep(f64::from(ms));
                match cancel_at {
                    Some(at) => {
                        let cancel = clock.sleep(f64::from(at));
                        if let Either::Left(_) = select(sleep, cancel).await {
                            woke.borrow_mut().push(index);
                        }
                    }
                    None => {
                        sleep.await;
                        woke.borrow_mut().push(index);
                    }
                }
            }
            .boxed_local()
        });
        clock.block_on(join_all(sleepers)).expect("all finish");
        for (index, &(ms, cancel_at)) in sleeps.iter().enumerate() {
            let should_wake = cancel_at.is_none_or(|at| ms <= at);
            prop_assert_eq!(woke.borrow().contains(&index), should_wake, "sleep {}", index);
        }
        let latest = sleeps
            .iter()
            .map(|&(ms, cancel_at)| cancel_at.map_or(ms, |at| ms.min(at)))
            .max()
            .unwrap_or(0);
        prop_assert_eq!(clock.now(), f64::from(latest), "no time spent on cancelled sleeps");
    }

    /// The queue itself: removed timers are skipped, the rest fire once.
    #[test]
    fn removed_timers_are_never_woken(
        timers in prop::collection::vec((0u32..1000, any::<bool>()), 1..300)
    ) {
        let mut queue = TimerQueue::default();
        let counter = Arc::new(CountingWaker::default());
        let keys: Vec<_> = timers
            .iter()
            .map(|&(deadline, _)| queue.insert(f64::from(deadline), Waker::from(counter.clone())))
            .collect();
        for (key, &(_, removed)) in keys.iter().zip(&timers) {
            if removed {
                queue.remove(*key);
            }
        }
        let kept = timers.iter().filter(|(_, removed)| !removed).count();
        prop_assert_eq!(queue.pending(), kept);
        prop_assert_eq!(queue.fire_due(f64::MAX), kept);
        prop_assert_eq!(counter.0.load(Ordering::Relaxed), kept);
        for (key, &(_, removed)) in keys.iter().zip(&timers) {
            prop_assert_eq!(queue.has_fired(*key), !removed);
        }
        prop_assert_eq!(queue.next_deadline(), None);
    }
}
