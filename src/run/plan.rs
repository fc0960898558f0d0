use std::collections::HashMap;
use std::rc::Rc;

use super::fan_out::{fans_out, FanOut};
use crate::display::{format_duration, source_label};
use crate::fan_out_shape::{copies_of, History};
use crate::program::{
    Aggregator, Group, Pacing, Program, SourceExpr, SourceKind, Span, Task, TaskKind,
};
use crate::source::{SourcePlan, ValueSeq};
use crate::trace::{Trace, UNTRACED};

/// A program ready to run: names resolved, `N * task` expanded, lanes laid
/// out depth-first.
#[derive(Debug)]
pub struct Plan {
    pub(crate) statements: Vec<Node>,
    /// The lanes, ready to record into.
    pub(crate) trace: Trace,
    /// Whether any source does real I/O.
    pub(crate) uses_io: bool,
    /// The seed of the random delays (`seed N`, or 0).
    pub(crate) seed: u64,
}

#[derive(Clone, Debug)]
pub(crate) enum Node {
    Leaf {
        lane: u32,
        aggregator: Aggregator,
        source: Rc<SourcePlan>,
    },
    Group {
        lane: u32,
        group: Group,
        children: Vec<Node>,
    },
    /// `gather(N * task)` over a plain timed source, run as one future
    /// ([`FanOut`]); `lane` is the gather's.
    FanOut { lane: u32, copies: Rc<FanOut> },
}

/// Why a program cannot run. The language checker reports these first, with
/// better messages; the engine checks again so that no program built in Rust
/// can make it panic.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanError {
    pub message: String,
    pub span: Span,
}

/// The message; `span` says where (byte offsets into the program text).
impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// ```
    /// use async_playground::program::*;
    /// use async_playground::run::Plan;
    /// let program = Program {
    ///     sources: vec![],
    ///     statements: vec![Task {
    ///         label: None,
    ///         kind: TaskKind::Aggregate {
    ///             aggregator: Aggregator::Sum,
    ///             source: SourceExpr { kind: SourceKind::Named("nope".into()), span: Span::NONE },
    ///         },
    ///         span: Span::NONE,
    ///     }],
    ///     seed: None,
    /// };
    /// assert_eq!(Plan::compile(&program).unwrap_err().message, "unknown source 'nope'");
    /// ```
    pub fn compile(program: &Program) -> Result<Plan, PlanError> {
        Plan::compile_with(program, false, Copies::FanOut)
    }

    /// [`Plan::compile`], choosing how `gather(N * task)` runs its copies:
    /// the same results, times and trace either way ([`Copies`]).
    pub fn compile_copies(program: &Program, copies: Copies) -> Result<Plan, PlanError> {
        Plan::compile_with(program, false, copies)
    }

    /// A plan with the same ideal times, for simulating them cheaply: in a
    /// gather or race, `N * task` runs one copy, because N copies that never
    /// block all finish when one does.
    pub fn compile_for_ideal(program: &Program) -> Result<Plan, PlanError> {
        Plan::compile_with(program, true, Copies::FanOut)
    }

    /// A plan that records nothing (every lane untraced), for runs that
    /// only need the statements' elapsed times, like [`SeedRuns`](super::SeedRuns).
    pub fn compile_untraced(program: &Program) -> Result<Plan, PlanError> {
        let mut compiler = Compiler::new(false, Copies::FanOut);
        compiler.traced = false;
        compiler.compile(program)
    }

    pub(crate) fn compile_with(
        program: &Program,
        collapse_fan_out: bool,
        copies: Copies,
    ) -> Result<Plan, PlanError> {
        Compiler::new(collapse_fan_out, copies).compile(program)
    }
}

/// How the copies of `gather(N * task)` run when the task is an aggregator
/// over a plain timed source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Copies {
    /// One future for all copies, timers shared by deadline
    /// (`run::fan_out`): a few dozen bytes per copy.
    #[default]
    FanOut,
    /// One future and one stream per copy, like every other task: the
    /// reference the fan-out is tested against.
    General,
}

impl Compiler {
    fn new(collapse_fan_out: bool, copies: Copies) -> Compiler {
        Compiler {
            copies,
            sources: HashMap::new(),
            trace: Trace::default(),
            uses_io: false,
            collapse_fan_out,
            traced: true,
            enclosing: None,
            leaves: 0,
            shared_copies: 0,
        }
    }

    fn compile(mut self, program: &Program) -> Result<Plan, PlanError> {
        for def in &program.sources {
            let plan = self.source(&def.body)?;
            self.sources.insert(def.name.clone(), Rc::new(plan));
        }
        let mut statements = Vec::with_capacity(program.statements.len());
        for (index, task) in program.statements.iter().enumerate() {
            statements.extend(self.task(task, None, 0, index as u32)?);
        }
        Ok(Plan {
            statements,
            trace: self.trace,
            uses_io: self.uses_io,
            seed: program.seed.unwrap_or(0),
        })
    }
}

impl Plan {
    /// Whether some statement draws random delays, so that seeds matter.
    pub fn draws(&self) -> bool {
        self.statements.iter().any(Node::draws)
    }

    /// How many `gather(N * task)` run as one fan-out future.
    ///
    /// ```
    /// use async_playground::{lang, run::{Copies, Plan}};
    /// let program = lang::parse("source a = [1, 2] every 1s\ngather(3 * sum(a))").unwrap();
    /// assert_eq!(Plan::compile(&program).unwrap().fan_outs(), 1);
    /// assert_eq!(Plan::compile_copies(&program, Copies::General).unwrap().fan_outs(), 0);
    /// ```
    pub fn fan_outs(&self) -> usize {
        fn count(node: &Node) -> usize {
            match node {
                Node::Leaf { .. } => 0,
                Node::FanOut { .. } => 1,
                Node::Group { children, .. } => children.iter().map(count).sum(),
            }
        }
        self.statements.iter().map(count).sum()
    }

    /// Each top-level statement's lane label, in order.
    pub fn statement_labels(&self) -> impl Iterator<Item = &str> {
        self.statements.iter().map(|node| {
            self.trace
                .lanes()
                .get(node.lane() as usize)
                .map_or("", |lane| &*lane.label)
        })
    }
}

struct Compiler {
    copies: Copies,
    sources: HashMap<String, Rc<SourcePlan>>,
    trace: Trace,
    uses_io: bool,
    collapse_fan_out: bool,
    /// Whether lanes are recorded at all.
    traced: bool,
    /// The group whose children are being compiled.
    enclosing: Option<Group>,
    /// Leaf tasks compiled so far: nested `N * task` in a program built in
    /// Rust could otherwise ask for more than memory holds.
    leaves: u64,
    /// Copies of fan-outs whose copies share their history, so far.
    shared_copies: u64,
}

fn error(message: impl Into<String>, span: Span) -> PlanError {
    PlanError {
        message: message.into(),
        span,
    }
}

fn timed(values: ValueSeq, pacing: &Pacing) -> SourcePlan {
    SourcePlan::Timed {
        values,
        delays: Rc::new(pacing.delays.clone()),
        blocking: pacing.blocking,
    }
}

impl Compiler {
    fn source(&mut self, expr: &SourceExpr) -> Result<SourcePlan, PlanError> {
        Ok(match &expr.kind {
            SourceKind::Named(name) => match self.sources.get(name) {
                Some(plan) => (**plan).clone(),
                None => return Err(error(format!("unknown source '{name}'"), expr.span)),
            },
            SourceKind::Values { values, pacing } => {
                timed(ValueSeq::List(Rc::from(values.as_slice())), pacing)
            }
            SourceKind::Range { count, pacing } => timed(ValueSeq::Range(*count), pacing),
            SourceKind::Random {
                count,
                low,
                high,
                seed,
                pacing,
            } => timed(
                ValueSeq::random(*count, *low, *high, *seed)
                    .map_err(|message| error(message, expr.span))?,
                pacing,
            ),
            SourceKind::Fetch { url, format } => {
                self.uses_io = true;
                SourcePlan::Fetch {
                    url: Rc::from(url.as_str()),
                    format: Rc::new(format.clone()),
                }
            }
            SourceKind::Database {
                store,
                field,
                keys,
                limit,
            } => {
                self.uses_io = true;
                SourcePlan::Database {
                    store: Rc::from(store.as_str()),
                    field: Rc::from(field.as_str()),
                    keys: *keys,
                    limit: *limit,
                }
            }
            SourceKind::Merge(inputs) => SourcePlan::Merge(
                inputs
                    .iter()
                    .map(|input| self.source(input))
                    .collect::<Result<Rc<[_]>, _>>()?,
            ),
            SourceKind::Pipe { source, transform } => {
                SourcePlan::Pipe(Rc::new(self.source(source)?), transform.clone())
            }
        })
    }

    fn lane(
        &mut self,
        parent: Option<u32>,
        depth: u32,
        statement: u32,
        label: Rc<str>,
        kind: &'static str,
    ) -> u32 {
        if !self.traced {
            return UNTRACED;
        }
        self.trace.add_lane(parent, depth, statement, label, kind)
    }

    /// Compiles one task; `N * task` yields N nodes.
    fn task(
        &mut self,
        task: &Task,
        parent: Option<u32>,
        depth: u32,
        statement: u32,
    ) -> Result<Vec<Node>, PlanError> {
        if depth > 256 {
            return Err(error("tasks are nested too deeply", task.span));
        }
        // Past the traced lanes a label is never shown: skip formatting it.
        let has_room = self.traced && self.trace.has_room();
        let label = |described: &dyn Fn() -> String| match (&task.label, has_room) {
            (Some(label), _) => Rc::from(label.as_str()),
            (None, true) => Rc::from(described()),
            (None, false) => Rc::from(""),
        };
        match &task.kind {
            TaskKind::Aggregate { aggregator, source } => {
                self.count_leaves(1, task.span)?;
                let plan = Rc::new(self.source(source)?);
                let described = || format!("{}({})", aggregator.name(), source_label(source));
                let lane = self.lane(parent, depth, statement, label(&described), "task");
                Ok(vec![Node::Leaf {
                    lane,
                    aggregator: *aggregator,
                    source: plan,
                }])
            }
            TaskKind::Group { group, children } => {
                if let Group::Limit(0) = group {
                    return Err(error("limit needs at least 1 task at a time", task.span));
                }
                let described = || match group {
                    Group::Limit(k) => format!("limit {k}"),
                    Group::Timeout(ms) => format!("timeout {}", format_duration(*ms)),
                    other => other.name().to_string(),
                };
                let lane = self.lane(parent, depth, statement, label(&described), group.name());
                if let Some(copies) = self.fan_out(*group, children, lane, depth, statement)? {
                    return Ok(vec![Node::FanOut { lane, copies }]);
                }
                let mut nodes = Vec::with_capacity(children.len());
                let outer = self.enclosing.replace(*group);
                for child in children {
                    nodes.extend(self.task(child, Some(lane), depth + 1, statement)?);
                }
                self.enclosing = outer;
                Ok(vec![Node::Group {
                    lane,
                    group: *group,
                    children: nodes,
                }])
            }
            TaskKind::Repeat { count, task: inner } => {
                if parent.is_none() {
                    return Err(error("`N * task` belongs inside a group", task.span));
                }
                let concurrent = matches!(
                    self.enclosing,
                    Some(Group::Gather | Group::Race | Group::Any)
                );
                if self.collapse_fan_out && concurrent {
                    let one = self.task(inner, parent, depth, statement)?;
                    // Copies that draw random delays differ: simulate them all.
                    if !one.iter().any(|node| node.blocks() || node.draws()) {
                        return Ok(one);
                    }
                }
                if *count > crate::limits::MAX_TASKS {
                    return Err(error(
                        format!("at most {} copies of a task", crate::limits::MAX_TASKS),
                        task.span,
                    ));
                }
                let mut nodes = Vec::with_capacity(*count as usize);
                // Once the trace is full, every further copy is identical
                // (untraced lanes): compile one and clone it.
                let mut untraced: Option<(Vec<Node>, u64, u64)> = None;
                for _ in 0..*count {
                    if let Some((copy, leaves, shared)) = &untraced {
                        self.count_leaves(*leaves, task.span)?;
                        self.count_shared_copies(*shared, task.span)?;
                        nodes.extend(copy.iter().cloned());
                        continue;
                    }
                    let traced = self.traced && self.trace.has_room();
                    let before = (self.leaves, self.shared_copies);
                    let copy = self.task(inner, parent, depth, statement)?;
                    if !traced {
                        let leaves = self.leaves - before.0;
                        untraced = Some((copy.clone(), leaves, self.shared_copies - before.1));
                    }
                    nodes.extend(copy);
                }
                Ok(nodes)
            }
        }
    }
}

impl Compiler {
    /// `gather(N * task)` whose task is an aggregator over a source that
    /// [`fans_out`], as one [`FanOut`]: the copies' lanes are laid out as
    /// the general path lays them out (traced while the trace has room,
    /// then one untraced copy compiled and the rest counted).
    fn fan_out(
        &mut self,
        group: Group,
        children: &[Task],
        lane: u32,
        depth: u32,
        statement: u32,
    ) -> Result<Option<Rc<FanOut>>, PlanError> {
        let Some(copies) = copies_of(group, children) else {
            return Ok(None);
        };
        if self.copies != Copies::FanOut || depth + 1 > 256 {
            return Ok(None);
        }
        // An unknown name is reported by the general path.
        let Ok(plan) = self.source(copies.source) else {
            return Ok(None);
        };
        let Some(history) = fans_out(&plan) else {
            return Ok(None);
        };
        // The ideal plan runs one copy of a fan-out that does not draw.
        if self.collapse_fan_out && history == History::Shared {
            return Ok(None);
        }
        let SourcePlan::Timed { values, delays, .. } = &plan else {
            return Ok(None);
        };
        let (values, delays) = (values.clone(), delays.clone());
        let (count, span) = (copies.count, copies.span);
        // Shared copies count against their own cap, drawn ones as tasks:
        // checked before the lanes are laid out.
        match history {
            History::Shared => self.count_shared_copies(count, span)?,
            History::Drawn => self.count_leaves(count, span)?,
        }
        // The copies compiled below for their lanes are counted above.
        let counted = std::mem::take(&mut self.leaves);
        let outer = self.enclosing.replace(group);
        let mut lanes = Vec::new();
        // Every copy has the first one's label: the others add their lane
        // without compiling the task again (half the plan's time at 10^3).
        let mut label: Option<Rc<str>> = None;
        for _ in 0..count {
            let traced = self.traced && self.trace.has_room();
            if let Some(label) = &label {
                let copy = self.lane(Some(lane), depth + 1, statement, label.clone(), "task");
                lanes.extend(Some(copy).filter(|&copy| copy != UNTRACED));
            } else {
                for node in self.task(copies.task, Some(lane), depth + 1, statement)? {
                    if let Node::Leaf { lane, .. } = node {
                        let first = self.trace.lanes().get(lane as usize);
                        label = first.map(|first| first.label.clone());
                        lanes.extend(Some(lane).filter(|&lane| lane != UNTRACED));
                    }
                }
            }
            if !traced {
                break;
            }
        }
        self.enclosing = outer;
        self.leaves = counted;
        Ok(Some(Rc::new(FanOut {
            copies: count as u32,
            lanes: Rc::from(lanes),
            aggregator: copies.aggregator,
            source: Rc::new(plan),
            values,
            delays,
        })))
    }

    fn count_shared_copies(&mut self, copies: u64, span: Span) -> Result<(), PlanError> {
        self.shared_copies = self.shared_copies.saturating_add(copies);
        if self.shared_copies > crate::limits::MAX_SHARED_COPIES {
            let message = format!(
                "at most {} copies in all in gather(N * task) over a source with fixed delays",
                crate::limits::MAX_SHARED_COPIES
            );
            return Err(error(message, span));
        }
        Ok(())
    }

    fn count_leaves(&mut self, leaves: u64, span: Span) -> Result<(), PlanError> {
        self.leaves = self.leaves.saturating_add(leaves);
        if self.leaves > crate::limits::MAX_TASKS {
            let message = format!("at most {} tasks in all", crate::limits::MAX_TASKS);
            return Err(error(message, span));
        }
        Ok(())
    }
}
