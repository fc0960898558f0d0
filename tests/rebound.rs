#![cfg(not(target_arch = "wasm32"))]
//! `Rebound`: self-wakes are re-polled at once, up to a budget; other wakes
//! and an exhausted budget go to the executor.

mod common;

use std::future::Future;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use async_playground::run::Rebound;
use common::CountingWaker;
use futures::future::poll_fn;

fn yields(times: u32) -> impl std::future::Future<Output = u32> {
    let mut hops = 0;
    poll_fn(move |cx| {
        if hops == times {
            return Poll::Ready(hops);
        }
        hops += 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
}

#[test]
fn an_exhausted_budget_yields_to_the_executor_and_resumes() {
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    let total = Rebound::<()>::BUDGET * 2 + 5;
    let mut rebound = Box::pin(Rebound::new(yields(total)));
    let mut outer_polls = 1;
    let mut polled = rebound.as_mut().poll(&mut cx);
    while polled.is_pending() {
        assert_eq!(
            counter.0.load(Ordering::Relaxed),
            outer_polls,
            "woke the executor"
        );
        outer_polls += 1;
        polled = rebound.as_mut().poll(&mut cx);
    }
    assert_eq!(polled, Poll::Ready(total));
    assert_eq!(outer_polls, 3);
}

#[test]
fn a_future_that_waits_does_not_spin() {
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    let mut rebound = Box::pin(Rebound::new(futures::future::pending::<()>()));
    assert!(rebound.as_mut().poll(&mut cx).is_pending());
    assert_eq!(counter.0.load(Ordering::Relaxed), 0);
}
