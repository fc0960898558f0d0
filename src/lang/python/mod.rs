//! [`Program`] → the same program as Python asyncio, in the idiom of the post
//! the playground grew from: sources are `async def` generators that
//! `await asyncio.sleep(...)` then `yield`, aggregators are `async for`
//! loops, groups are `asyncio.gather`, `asyncio.wait`, `asyncio.Semaphore`
//! and `asyncio.timeout`, and `main()` times each statement with
//! `time.perf_counter()` and prints its result as the playground shows it.
//!
//! Helpers are emitted only when the program uses them, so a small program
//! reads like the post's code.

mod literals;
mod reserved;
mod result_helpers;
mod source_helpers;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

use crate::display::seconds;
use crate::distribution::{Distribution, Spread};
use crate::program::{
    Aggregator, Delays, FetchFormat, Group, Pacing, Program, SourceExpr, SourceKind, Task, TaskKind,
};
use crate::source::{Python, PythonHelper, Transform};
use literals::{float, list, may_be_non_finite, python_string};
use reserved::RESERVED;

/// How the exported program starts its event loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PythonStyle {
    /// A script: ends with `asyncio.run(main())`.
    Script,
    /// A Jupyter cell: ends with `await main()`, because Jupyter's loop is
    /// already running and `asyncio.run` would refuse to start another.
    Notebook,
}

/// The Python helpers, in the order they are printed: sources, transforms,
/// aggregators, groups and the report. Each is emitted only when used, with
/// the helpers it needs. Listed once per export (one loop, not one chain of
/// iterators inlined at every use).
fn helpers() -> Vec<&'static PythonHelper> {
    source_helpers::HELPERS
        .iter()
        .chain(Transform::python_helpers())
        .chain(result_helpers::INPUT_HELPERS)
        .chain(Aggregator::python_helpers())
        .chain(result_helpers::HELPERS)
        .collect()
}

/// Lines longer than this (PEP 8 with Black's allowance) break a group's
/// children over several lines.
const MAX_LINE: usize = 88;

/// The program as Python asyncio code that prints each statement's result
/// (as the playground shows it) and its time.
///
/// ```
/// use async_playground::lang::{parse, to_python, PythonStyle};
/// let program = parse("source afeat1 = [10, 20, 40] every 1s\nsum(afeat1)").unwrap();
/// let python = to_python(&program, PythonStyle::Script);
/// assert!(python.contains("async def afeat1():\n    for value in [10, 20, 40]:\n        await asyncio.sleep(1)\n        yield value\n"));
/// assert!(python.contains("await report(\"\", total(afeat1()))"));
/// assert!(python.ends_with("asyncio.run(main())\n"));
/// ```
pub(crate) fn program(program: &Program, style: PythonStyle) -> String {
    let mut writer = Writer {
        all: helpers(),
        ..Writer::default()
    };
    for def in &program.sources {
        let mut name = def.name.clone();
        while RESERVED.contains(&name.as_str())
            || writer.all.iter().any(|helper| helper.name == name)
            || program
                .sources
                .iter()
                .any(|d| d.name == name && d.name != def.name)
        {
            name.push('_');
        }
        writer.names.insert(def.name.clone(), name);
    }
    let mut sources = String::new();
    for def in &program.sources {
        if may_be_non_finite(&def.body, &writer.non_finite) {
            writer.non_finite.insert(def.name.clone());
        }
        let name = writer.names[&def.name].clone();
        sources.push_str(&writer.source_def(&name, &def.body));
        sources.push_str("\n\n");
    }
    let mut main = String::from("async def main():\n");
    if program.statements.is_empty() {
        main.push_str("    pass  # an empty program has nothing to run\n");
    }
    for statement in &program.statements {
        writer.use_helper("report");
        let label = statement
            .label
            .as_ref()
            .map_or_else(|| "\"\"".to_string(), |l| python_string(&format!("{l}: ")));
        let call = writer.task(statement, 1);
        let _ = writeln!(main, "    await report({label}, {call})");
    }

    if let (Some(seed), true) = (program.seed, writer.helpers.contains("random_delay")) {
        let line = format!(
            "async def main():\n    random.seed({seed})  # the program's seed line; Python draws its own numbers\n"
        );
        main = main.replacen("async def main():\n", &line, 1);
    }

    let mut out = String::new();
    let mut imports = vec!["asyncio"];
    for helper in writer
        .all
        .iter()
        .filter(|helper| writer.helpers.contains(helper.name))
    {
        for module in helper.imports {
            if !imports.contains(module) {
                imports.push(module);
            }
        }
    }
    if writer.blocking && !imports.contains(&"time") {
        imports.push("time");
    }
    imports.sort_unstable();
    for module in imports {
        let _ = writeln!(out, "import {module}");
    }
    if writer.helpers.contains("aiohttp") {
        out.push_str("\nimport aiohttp  # pip install aiohttp\n");
    }
    // The program first, as a person reads it; the building blocks after:
    // Python looks names up when main() runs, at the very end.
    out.push_str("\n\n");
    out.push_str(&sources);
    out.push_str(&main);
    out.push_str("\n\n# The playground's building blocks, in plain asyncio.\n\n\n");
    for helper in writer
        .all
        .iter()
        .filter(|helper| writer.helpers.contains(helper.name))
    {
        out.push_str(helper.code);
        out.push_str("\n\n");
    }
    match style {
        PythonStyle::Script => out.push_str("asyncio.run(main())\n"),
        PythonStyle::Notebook => out.push_str(
            "# In Jupyter the event loop is already running, so asyncio.run(main()) would raise\n\
             # \"RuntimeError: asyncio.run() cannot be called from a running event loop\".\n\
             # A notebook cell may await at the top level instead:\n\
             await main()\n",
        ),
    }
    out
}

/// Collects which helpers the program needs while writing its parts.
#[derive(Default)]
struct Writer {
    /// Every helper, in print order.
    all: Vec<&'static PythonHelper>,
    /// The helpers used.
    helpers: BTreeSet<&'static str>,
    /// Source names as Python names (one that is a Python word gets a `_`).
    names: HashMap<String, String>,
    /// Sources whose values may be inf or nan (a map somewhere inside).
    non_finite: HashSet<String>,
    blocking: bool,
}

impl Python for Writer {
    fn use_helper(&mut self, name: &'static str) {
        if !self.helpers.insert(name) {
            return;
        }
        if let Some(helper) = self.all.iter().copied().find(|helper| helper.name == name) {
            for need in helper.needs {
                self.use_helper(need);
            }
        }
    }
}

impl Writer {
    /// A named source: an `async def` generator, written out in the post's
    /// style when it is a paced list, or returning a composed stream.
    fn source_def(&mut self, name: &str, body: &SourceExpr) -> String {
        let literal = self.literal(body);
        let Some((values, pacing)) = literal else {
            let stream = self.source(body);
            return format!("def {name}():\n    return {stream}\n");
        };
        let mut out = format!("async def {name}():\n");
        match &pacing.delays {
            Delays::None => {
                let _ = writeln!(out, "    for value in {values}:\n        yield value");
            }
            Delays::Every(ms) => {
                let _ = writeln!(out, "    for value in {values}:");
                let _ = writeln!(out, "        {}", self.wait(&seconds(*ms), pacing.blocking));
                out.push_str("        yield value\n");
            }
            Delays::Each(list) => {
                let delays: Vec<String> = list.iter().map(|ms| seconds(*ms)).collect();
                let _ = writeln!(
                    out,
                    "    for value, delay in zip({values}, [{}]):",
                    delays.join(", ")
                );
                if pacing.blocking {
                    self.blocking = true;
                    out.push_str("        if delay > 0:\n            time.sleep(delay)  # blocks the event loop\n        else:\n            await asyncio.sleep(0)\n");
                } else {
                    out.push_str("        await asyncio.sleep(delay)\n");
                }
                out.push_str("        yield value\n");
            }
            Delays::Drawn(distribution) => {
                let draw = self.random_delay(distribution);
                let _ = writeln!(out, "    for value in {values}:");
                let _ = writeln!(out, "        await asyncio.sleep({draw})");
                out.push_str("        yield value\n");
            }
        }
        out
    }

    /// `random_delay("exp", 0.1)`: draws one delay like `distribution`.
    fn random_delay(&mut self, distribution: &Distribution) -> String {
        self.use_helper("random_delay");
        let mut call = match distribution.spread {
            Spread::Fixed(ms) => format!("random_delay(\"fixed\", {}", seconds(ms)),
            Spread::Uniform { low, high } => format!(
                "random_delay(\"uniform\", {}, {}",
                seconds(low),
                seconds(high)
            ),
            Spread::Exp { mean } => format!("random_delay(\"exp\", {}", seconds(mean)),
            Spread::LogNormal { median, p99 } => format!(
                "random_delay(\"lognormal\", {}, {}",
                seconds(median),
                seconds(p99)
            ),
        };
        if let Some(spike) = distribution.spike {
            let _ = write!(
                call,
                ", spike=({}, {})",
                float(spike.percent),
                seconds(spike.ms)
            );
        }
        call.push(')');
        call
    }

    /// `await asyncio.sleep(s)`, or the post's blocking `time.sleep(s)`.
    fn wait(&mut self, seconds: &str, blocking: bool) -> String {
        if blocking && seconds != "0" {
            self.blocking = true;
            format!("time.sleep({seconds})  # blocks the event loop")
        } else {
            format!("await asyncio.sleep({seconds})")
        }
    }

    /// A literal source's values as a Python iterable, and its pacing.
    fn literal<'e>(&mut self, expr: &'e SourceExpr) -> Option<(String, &'e Pacing)> {
        match &expr.kind {
            SourceKind::Values { values, pacing } => Some((list(values), pacing)),
            SourceKind::Range { count, pacing } => Some((format!("range({count})"), pacing)),
            SourceKind::Random {
                count,
                low,
                high,
                seed,
                pacing,
            } => {
                self.use_helper("seeded");
                let values = format!("seeded({count}, {}, {}, {seed})", float(*low), float(*high));
                Some((values, pacing))
            }
            _ => None,
        }
    }

    /// A Python expression making a fresh async iterator.
    fn source(&mut self, expr: &SourceExpr) -> String {
        match &expr.kind {
            SourceKind::Named(name) => format!("{}()", self.names.get(name).unwrap_or(name)),
            SourceKind::Values { .. } | SourceKind::Range { .. } | SourceKind::Random { .. } => {
                // `literal` knows these kinds: never `None` here.
                let Some((values, pacing)) = self.literal(expr) else {
                    return String::new();
                };
                self.paced(values, pacing)
            }
            SourceKind::Fetch { url, format } => {
                self.use_helper("fetch_text");
                let parse = match format {
                    FetchFormat::Lines => {
                        self.use_helper("lines");
                        "lines".to_string()
                    }
                    FetchFormat::Csv { column } => {
                        self.use_helper("csv_column");
                        format!("csv_column({})", python_string(column))
                    }
                    FetchFormat::Ndjson { field } => {
                        self.use_helper("json_field");
                        format!("json_field({})", python_string(field))
                    }
                };
                format!("fetch_text({}, {parse})", python_string(url))
            }
            SourceKind::Database {
                store,
                field,
                keys,
                limit,
            } => {
                self.use_helper("database");
                let mut call = format!(
                    "database({}, {}",
                    python_string(store),
                    python_string(field)
                );
                if let Some((low, high)) = keys {
                    let _ = write!(call, ", keys=({}, {})", float(*low), float(*high));
                }
                if let Some(limit) = limit {
                    let _ = write!(call, ", limit={limit}");
                }
                call.push(')');
                call
            }
            SourceKind::Merge(inputs) => {
                self.use_helper("merge");
                let inputs: Vec<String> = inputs.iter().map(|i| self.source(i)).collect();
                format!("merge({})", inputs.join(", "))
            }
            SourceKind::Pipe { source, transform } => {
                let input = self.source(source);
                transform.python(input, self)
            }
        }
    }

    /// An inline literal source: `paced(values, every=...)`.
    fn paced(&mut self, values: String, pacing: &Pacing) -> String {
        if let Delays::Drawn(distribution) = &pacing.delays {
            self.use_helper("jittered");
            let draw = self.random_delay(distribution);
            return format!("jittered({values}, lambda: {draw})");
        }
        self.use_helper("paced");
        let mut call = format!("paced({values}");
        match &pacing.delays {
            Delays::None => {}
            Delays::Every(ms) => {
                let _ = write!(call, ", every={}", seconds(*ms));
            }
            Delays::Each(list) => {
                let items: Vec<String> = list.iter().map(|ms| seconds(*ms)).collect();
                let _ = write!(call, ", after=[{}]", items.join(", "));
            }
            Delays::Drawn(_) => {}
        }
        if pacing.blocking && !matches!(pacing.delays, Delays::None) {
            self.blocking = true;
            call.push_str(", blocking=True");
        }
        call.push(')');
        call
    }

    /// A Python expression making the task's coroutine; a long group puts
    /// one child per line, `depth` levels of 4 spaces in.
    fn task(&mut self, task: &Task, depth: usize) -> String {
        match &task.kind {
            TaskKind::Aggregate { aggregator, source } => {
                let (name, extra) = aggregator.python_call();
                self.use_helper(name);
                let mut stream = self.source(source);
                if may_be_non_finite(source, &self.non_finite) {
                    self.use_helper("finite");
                    stream = format!("finite({stream})");
                }
                match extra {
                    Some(extra) => format!("{name}({stream}, {extra})"),
                    None => format!("{name}({stream})"),
                }
            }
            TaskKind::Repeat { count, task } => {
                format!("*({} for _ in range({count}))", self.task(task, depth))
            }
            TaskKind::Group { group, children } => {
                let (name, parameter) = match group {
                    Group::Sequential => ("sequential", None),
                    Group::Gather => ("gather", None),
                    Group::Race => ("race", None),
                    Group::Any => ("any_success", None),
                    Group::Limit(k) => ("limit", Some(k.to_string())),
                    Group::Timeout(ms) => ("deadline", Some(seconds(*ms))),
                };
                self.use_helper(name);
                let arguments: Vec<String> = parameter
                    .into_iter()
                    .chain(children.iter().map(|child| self.task(child, depth + 1)))
                    .collect();
                let one_line = format!("{name}({})", arguments.join(", "));
                if one_line.len() + 4 * depth <= MAX_LINE && !one_line.contains('\n') {
                    return one_line;
                }
                let inner = "    ".repeat(depth + 1);
                let mut call = format!("{name}(\n");
                for argument in arguments {
                    let _ = writeln!(call, "{inner}{argument},");
                }
                call.push_str(&"    ".repeat(depth));
                call.push(')');
                call
            }
        }
    }
}
