//! Checks over the whole program, before anything runs: every source name is
//! defined before use, and the program fits the limits that keep a browser
//! tab responsive.

use std::collections::HashMap;

use super::diagnostic::DiagnosticSink;
use crate::display::seconds;
use crate::fan_out_shape::{copies_of, timed_history, History};
use crate::program::{
    Delays, Group, Pacing, Program, SourceExpr, SourceKind, Span, Task, TaskKind,
    BLOCKING_OVERHEAD_MS,
};
use crate::source::Cost;
use crate::suggest::closest;

pub use crate::limits::{
    MAX_BLOCKING_MS, MAX_DURATION_MS, MAX_LIST, MAX_SHARED_COPIES, MAX_TASKS, MAX_TIMERS,
    MAX_VALUES,
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
        let total = per_statement
            .iter()
            .fold(Load::default(), |total, (_, load)| total.plus(*load));
        let (tasks, copies) = (total.tasks, total.shared_copies);
        let total = total.cost;
        // Each cap is reported once, at the statement whose running total crosses it.
        let mut sum = Load::default();
        for (span, load) in per_statement {
            let before = sum;
            sum = sum.plus(load);
            let crossed = |now: u64, then: u64, cap: u64| now > cap && then <= cap;
            if crossed(sum.tasks, before.tasks, MAX_TASKS) {
                let message = format!(
                    "this program runs {tasks} tasks in all; the cap is {MAX_TASKS} \
                     (or {MAX_SHARED_COPIES} copies in gather(N * task) of an aggregator over a list, \
                     range or random with fixed delays above 0)"
                );
                self.error(span, message);
            }
            if crossed(sum.shared_copies, before.shared_copies, MAX_SHARED_COPIES) {
                let message = format!(
                    "this program runs {copies} copies in gather(N * task) in all; the cap is {MAX_SHARED_COPIES}"
                );
                self.error(span, message);
            }
            let (running, before) = (sum.cost, before.cost);
            if crossed(running.values, before.values, MAX_VALUES) {
                let message = format!(
                    "this program makes up to {} values in all; the cap is {MAX_VALUES}",
                    total.values
                );
                self.error(span, message);
            }
            if crossed(running.timers, before.timers, MAX_TIMERS) {
                let message = format!(
                    "this program waits for up to {} timed values in all; the cap is {MAX_TIMERS}",
                    total.timers
                );
                self.error(span, message);
            }
            if running.blocking_ms > MAX_BLOCKING_MS && before.blocking_ms <= MAX_BLOCKING_MS {
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

    /// Leaf tasks, fan-out copies and cost of a task, reporting unknown names.
    fn task_cost(&mut self, task: &'p Task, visible: usize) -> Load {
        match &task.kind {
            TaskKind::Aggregate { source, .. } => Load {
                tasks: 1,
                shared_copies: 0,
                cost: self.source_cost(source, visible),
            },
            TaskKind::Group { group, children } => {
                if let Some(load) = self.fan_out_cost(*group, children, visible) {
                    return load;
                }
                children.iter().fold(Load::default(), |load, child| {
                    load.plus(self.task_cost(child, visible))
                })
            }
            TaskKind::Repeat { count, task } => self.task_cost(task, visible).times(*count),
        }
    }

    /// The load of `group(children)` when it runs as a fan-out: copies that
    /// share their history count against their own cap and set one copy's
    /// timers (they share them); drawn copies count as tasks.
    fn fan_out_cost(&mut self, group: Group, children: &'p [Task], visible: usize) -> Option<Load> {
        let copies = copies_of(group, children)?;
        let (len, pacing) = self.timed(copies.source, visible)?;
        let history = timed_history(len, &pacing.delays, pacing.blocking)?;
        let one = self.source_cost(copies.source, visible);
        Some(match history {
            History::Shared => Load {
                tasks: 0,
                shared_copies: copies.count,
                cost: Cost {
                    values: one.values.saturating_mul(copies.count),
                    ..one
                },
            },
            History::Drawn => Load {
                tasks: 1,
                shared_copies: 0,
                cost: one,
            }
            .times(copies.count),
        })
    }

    /// A list, `range` or `random` (through names visible here): its length
    /// and pacing. A loop, not recursion: a chain of a million names
    /// (`source b = a`) must not overflow the stack.
    fn timed(&self, mut source: &'p SourceExpr, mut visible: usize) -> Option<(u64, &'p Pacing)> {
        loop {
            match &source.kind {
                SourceKind::Named(name) => {
                    let index = *self.first_definition.get(name.as_str())?;
                    (index < visible).then_some(())?;
                    source = &self.program.sources[index].body;
                    visible = index;
                }
                SourceKind::Values { values, pacing } => {
                    return Some((values.len() as u64, pacing))
                }
                SourceKind::Range { count, pacing } => return Some((*count, pacing)),
                SourceKind::Random { count, pacing, .. } => return Some((*count, pacing)),
                _ => return None,
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

/// What a statement asks for: tasks of the general path, copies of
/// fan-outs that share their history, and the cost of its sources.
#[derive(Clone, Copy, Default)]
struct Load {
    tasks: u64,
    shared_copies: u64,
    cost: Cost,
}

impl Load {
    fn plus(self, other: Load) -> Load {
        Load {
            tasks: self.tasks.saturating_add(other.tasks),
            shared_copies: self.shared_copies.saturating_add(other.shared_copies),
            cost: self.cost.plus(other.cost),
        }
    }

    fn times(self, count: u64) -> Load {
        Load {
            tasks: self.tasks.saturating_mul(count),
            shared_copies: self.shared_copies.saturating_mul(count),
            cost: self.cost.times(count),
        }
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
