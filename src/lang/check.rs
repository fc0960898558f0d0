//! Checks over the whole program, before anything runs: every source name is
//! defined before use, and the program fits the limits that keep a browser
//! tab responsive.

use std::collections::HashMap;

use super::diagnostic::DiagnosticSink;
use crate::display::seconds;
use crate::program::{
    Delays, Pacing, Program, SourceExpr, SourceKind, Span, Task, TaskKind, BLOCKING_OVERHEAD_MS,
};
use crate::source::Cost;
use crate::suggest::closest;

pub use crate::limits::{
    MAX_BLOCKING_MS, MAX_DURATION_MS, MAX_LIST, MAX_TASKS, MAX_TIMERS, MAX_VALUES,
};

/// Checks `program` and appends what is wrong.
pub(crate) fn check(program: &Program, diagnostics: &mut DiagnosticSink) {
    let mut checker = Checker {
        program,
        diagnostics,
        first_definition: HashMap::new(),
        costs: Vec::new(),
    };
    checker.definitions();
    checker.statements();
}

struct Checker<'p, 'd, 't> {
    program: &'p Program,
    diagnostics: &'d mut DiagnosticSink<'t>,
    /// Name → index of its first definition.
    first_definition: HashMap<&'p str, usize>,
    /// Cost of each definition's body, by index.
    costs: Vec<Cost>,
}

impl<'p> Checker<'p, '_, '_> {
    fn error(&mut self, span: Span, message: String) {
        self.diagnostics.push(span, message);
    }

    fn definitions(&mut self) {
        let program = self.program;
        for (index, def) in program.sources.iter().enumerate() {
            // The body sees only the sources defined above it.
            let cost = self.source_cost(&def.body, index);
            self.costs.push(cost);
            if let Some(&first) = self.first_definition.get(def.name.as_str()) {
                let place = self
                    .diagnostics
                    .place(program.sources[first].name_span.start);
                let message = format!(
                    "source '{}' is already defined at {place}; pick another name",
                    def.name
                );
                self.error(def.name_span, message);
            } else {
                self.first_definition.insert(&def.name, index);
            }
        }
    }

    fn statements(&mut self) {
        let program = self.program;
        let mut per_statement = Vec::with_capacity(program.statements.len());
        let mut visible = 0;
        for statement in &program.statements {
            // Sources defined after a statement are not visible to it; both
            // lists are in text order.
            visible += program.sources[visible..]
                .iter()
                .take_while(|def| def.span.end <= statement.span.start)
                .count();
            per_statement.push((statement.span, self.task_cost(statement, visible)));
        }
        let (tasks, total) = per_statement.iter().fold(
            (0u64, Cost::default()),
            |(tasks, total), (_, (leaves, cost))| {
                (tasks.saturating_add(*leaves), total.plus(*cost))
            },
        );
        // Each cap is reported once, at the statement whose running total crosses it.
        let mut running_tasks = 0u64;
        let mut running = Cost::default();
        for (span, (leaves, cost)) in per_statement {
            let before = (running_tasks, running);
            running_tasks = running_tasks.saturating_add(leaves);
            running = running.plus(cost);
            let crossed = |now: u64, then: u64, cap: u64| now > cap && then <= cap;
            if crossed(running_tasks, before.0, MAX_TASKS) {
                self.error(
                    span,
                    format!("this program runs {tasks} tasks in all; the cap is {MAX_TASKS}"),
                );
            }
            if crossed(running.values, before.1.values, MAX_VALUES) {
                let message = format!(
                    "this program makes up to {} values in all; the cap is {MAX_VALUES}",
                    total.values
                );
                self.error(span, message);
            }
            if crossed(running.timers, before.1.timers, MAX_TIMERS) {
                let message = format!(
                    "this program waits for up to {} timed values in all; the cap is {MAX_TIMERS}",
                    total.timers
                );
                self.error(span, message);
            }
            if running.blocking_ms > MAX_BLOCKING_MS && before.1.blocking_ms <= MAX_BLOCKING_MS {
                let cap = seconds(MAX_BLOCKING_MS);
                // Whole milliseconds: the message is about seconds.
                let mut total_s = seconds(total.blocking_ms.round());
                if total_s == cap {
                    total_s = format!("over {cap}");
                }
                let message =
                    format!("this program busy-waits {total_s} s in all; the cap is {cap} s");
                self.error(span, message);
            }
        }
    }

    /// Leaf tasks and cost of a task, reporting unknown names.
    fn task_cost(&mut self, task: &'p Task, visible: usize) -> (u64, Cost) {
        match &task.kind {
            TaskKind::Aggregate { source, .. } => (1, self.source_cost(source, visible)),
            TaskKind::Group { children, .. } => {
                children
                    .iter()
                    .fold((0, Cost::default()), |(leaves, cost), child| {
                        let (child_leaves, child_cost) = self.task_cost(child, visible);
                        (leaves.saturating_add(child_leaves), cost.plus(child_cost))
                    })
            }
            TaskKind::Repeat { count, task } => {
                let (leaves, cost) = self.task_cost(task, visible);
                (leaves.saturating_mul(*count), cost.times(*count))
            }
        }
    }

    /// Cost of running `source` once, where only the first `visible`
    /// definitions may be named; unknown names are reported.
    fn source_cost(&mut self, source: &'p SourceExpr, visible: usize) -> Cost {
        match &source.kind {
            SourceKind::Named(name) => match self.first_definition.get(name.as_str()) {
                Some(&index) if index < visible => self.costs[index],
                _ => {
                    self.unknown_source(name, source.span, visible);
                    Cost::default()
                }
            },
            SourceKind::Values { values, pacing } => pacing_cost(values.len() as u64, pacing),
            SourceKind::Range { count, pacing } => pacing_cost(*count, pacing),
            SourceKind::Random { count, pacing, .. } => pacing_cost(*count, pacing),
            // A fetch's size is unknown until it runs; the engine bounds it.
            SourceKind::Fetch { .. } => Cost::default(),
            SourceKind::Database { limit, .. } => Cost {
                values: limit.unwrap_or(0),
                ..Cost::default()
            },
            SourceKind::Pipe { source, transform } => {
                transform.cost(self.source_cost(source, visible))
            }
            SourceKind::Merge(inputs) => inputs.iter().fold(Cost::default(), |cost, input| {
                cost.plus(self.source_cost(input, visible))
            }),
        }
    }

    fn unknown_source(&mut self, name: &str, span: Span, visible: usize) {
        if self.diagnostics.is_full() {
            return;
        }
        let program = self.program;
        let later = program.sources[visible.min(program.sources.len())..]
            .iter()
            .find(|def| def.name == name);
        let message = if let Some(def) = later {
            if def.body.span.start <= span.start && span.end <= def.body.span.end {
                format!("source '{name}' can't use itself")
            } else {
                let place = self.diagnostics.place(def.name_span.start);
                format!(
                    "source '{name}' is used before its definition at {place}; move the definition up"
                )
            }
        } else {
            let names = program.sources[..visible.min(program.sources.len())]
                .iter()
                .map(|def| def.name.as_str());
            match closest(name, names) {
                Some(near) => format!("unknown source '{name}'; did you mean '{near}'?"),
                None => format!("unknown source '{name}'"),
            }
        };
        self.error(span, message);
    }
}

fn pacing_cost(count: u64, pacing: &Pacing) -> Cost {
    let (timers, blocking_ms) = match &pacing.delays {
        Delays::None => (0, 0.0),
        Delays::Every(ms) => (
            if *ms > 0.0 { count } else { 0 },
            busy_wait_cost(*ms) * count as f64,
        ),
        Delays::Each(list) => (
            list.iter().filter(|ms| **ms > 0.0).count() as u64,
            list.iter().copied().map(busy_wait_cost).sum(),
        ),
        // The parser refuses `blocking` with random delays.
        Delays::Drawn(_) => (count, 0.0),
    };
    Cost {
        values: count,
        timers,
        blocking_ms: if pacing.blocking { blocking_ms } else { 0.0 },
        filtered: false,
    }
}

/// What busy-waiting `ms` really costs: a delay shorter than the
/// [`BLOCKING_OVERHEAD_MS`] of one busy-wait still costs that overhead.
fn busy_wait_cost(ms: f64) -> f64 {
    if ms > 0.0 {
        ms.max(BLOCKING_OVERHEAD_MS)
    } else {
        0.0
    }
}
