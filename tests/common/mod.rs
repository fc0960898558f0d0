//! Helpers shared by the tests.
#![allow(dead_code)] // each test uses a different part

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Wake;

use async_playground::program::{Program, SourceExpr, Span, Task, TaskKind};
use async_playground::trace::Report;

/// Each statement's result as the playground shows it.
pub fn results(report: &Report) -> Vec<String> {
    report
        .statements
        .iter()
        .map(|s| s.outcome.to_string())
        .collect()
}

/// A waker that counts how often it is woken.
#[derive(Default)]
pub struct CountingWaker(pub AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// The program with every span set to [`Span::NONE`], to compare structure.
pub fn strip(mut program: Program) -> Program {
    for def in &mut program.sources {
        def.span = Span::NONE;
        def.name_span = Span::NONE;
        strip_source(&mut def.body);
    }
    program.statements.iter_mut().for_each(strip_task);
    program
}

fn strip_task(task: &mut Task) {
    task.span = Span::NONE;
    match &mut task.kind {
        TaskKind::Aggregate { source, .. } => strip_source(source),
        TaskKind::Group { children, .. } => children.iter_mut().for_each(strip_task),
        TaskKind::Repeat { task, .. } => strip_task(task),
    }
}

fn strip_source(source: &mut SourceExpr) {
    source.span = Span::NONE;
    source.inputs_mut().iter_mut().for_each(strip_source);
}

/// Random cases per test: a million in an optimised build
/// (`cargo test --release --test <name>`), a tenth of that in the
/// unoptimised one `./dev test` runs.
pub const CASES: usize = if cfg!(debug_assertions) {
    100_000
} else {
    1_000_000
};

/// A small deterministic generator: a random test is the same on every run.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
