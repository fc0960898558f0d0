//! Random valid programs for property tests: the language round-trip
//! (`lang_props`), the CPython referee (`python_referee`) and the fuzzer
//! (`fuzz`), and the engine's path-equivalence tests (`fan_out`, `timed_leaf`).
#![allow(dead_code)] // each test uses a different part

use async_playground::distribution::{Distribution, Spike, Spread};
use async_playground::lang;
use async_playground::program::{
    Aggregator, Delays, FetchFormat, Group, Pacing, Program, SourceDef, SourceExpr, SourceKind,
    Span, Task, TaskKind, Transform,
};
use async_playground::source::Operands;
use proptest::prelude::*;

// ---- valid programs ------------------------------------------------------------

pub fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1000i32..1000).prop_map(f64::from),
        (-800i32..800).prop_map(|x| f64::from(x) / 8.0),
        any::<f64>().prop_filter("finite", |x| x.is_finite()),
        Just(-0.0),
    ]
}

pub fn duration() -> impl Strategy<Value = f64> {
    prop_oneof![
        (0u32..5000).prop_map(f64::from),
        (0u32..100).prop_map(|x| f64::from(x) * 500.0),
        0.0..=lang::MAX_DURATION_MS,
        (0u32..20).prop_map(|x| f64::from(x) / 16.0),
    ]
}

pub fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 _:/.#é\"\\\\\n-]{0,10}"
}

pub fn whole(max: u64) -> impl Strategy<Value = u64> {
    0..=max
}

/// A random delay with parameters the checker accepts.
pub fn distribution() -> impl Strategy<Value = Distribution> {
    let spread = prop_oneof![
        duration().prop_map(Spread::Fixed),
        (duration(), duration()).prop_map(|(a, b)| Spread::Uniform {
            low: a.min(b),
            high: a.max(b)
        }),
        duration().prop_map(|mean| Spread::Exp { mean }),
        (duration(), duration())
            .prop_filter("a median above 0", |(a, b)| a.max(*b) > 0.0)
            .prop_map(|(a, b)| {
                let median = if a.min(b) > 0.0 { a.min(b) } else { a.max(b) };
                Spread::LogNormal {
                    median,
                    p99: a.max(b),
                }
            }),
    ];
    let spike = prop::option::of(
        (
            prop_oneof![(0u32..=100).prop_map(f64::from), 0.0..=100.0],
            duration(),
        )
            .prop_map(|(percent, ms)| Spike { percent, ms }),
    );
    (spread, spike)
        .prop_filter(
            "a fixed delay without a spike is `every D`",
            |(spread, spike)| !matches!((spread, spike), (Spread::Fixed(_), None)),
        )
        .prop_map(|(spread, spike)| Distribution { spread, spike })
}

/// Delays for `count` values; a blocking source busy-waits at most 1 ms per
/// value so that programs stay under the blocking cap, and never draws them.
pub fn pacing(count: usize) -> BoxedStrategy<Pacing> {
    let delays = prop_oneof![
        Just(Delays::None),
        duration().prop_map(Delays::Every),
        prop::collection::vec(duration(), count).prop_map(Delays::Each),
        distribution().prop_map(Delays::Drawn),
    ];
    (delays, any::<bool>())
        .prop_map(|(delays, blocking)| {
            let (delays, blocking) = match (delays, blocking) {
                (Delays::Every(ms), true) => (Delays::Every(ms.min(1.0)), true),
                (Delays::Each(list), true) => (
                    Delays::Each(list.into_iter().map(|ms| ms.min(1.0)).collect()),
                    true,
                ),
                (Delays::Drawn(d), _) => (Delays::Drawn(d), false),
                (delays, blocking) => (delays, blocking),
            };
            Pacing { delays, blocking }
        })
        // Boxed: the value trees of the unions above would overflow the test
        // thread's stack in debug builds.
        .boxed()
}

pub fn sorted_pair() -> impl Strategy<Value = (f64, f64)> {
    (number(), number()).prop_map(|(a, b)| if a <= b { (a, b) } else { (b, a) })
}

/// A range with at least one whole number in it, as `random` needs.
pub fn random_range() -> impl Strategy<Value = (f64, f64)> {
    let end = prop_oneof![Just(0.0), Just(0.5), Just(0.25)];
    (-1000i32..1000, 0u32..1000, end.clone(), end).prop_map(|(low, width, a, b)| {
        let low = f64::from(low);
        (low - a, low + f64::from(width) + b)
    })
}

pub fn expr(kind: SourceKind) -> SourceExpr {
    SourceExpr {
        kind,
        span: Span::NONE,
    }
}

/// A source; `Named("#k")` stands for "some earlier definition", resolved
/// once the definitions are known.
pub fn source() -> impl Strategy<Value = SourceExpr> {
    let url = prop_oneof![
        "[a-z]{1,8}/[a-z]{1,8}\\.(csv|txt|ndjson)",
        "https?://[a-z]{1,8}\\.org/[a-z]{0,8}",
    ];
    let format = prop_oneof![
        Just(FetchFormat::Lines),
        text().prop_map(|column| FetchFormat::Csv { column }),
        text().prop_map(|field| FetchFormat::Ndjson { field }),
    ];
    let leaf = prop_oneof![
        (0usize..8).prop_map(|k| SourceKind::Named(format!("#{k}"))),
        (1usize..6)
            .prop_flat_map(|n| (prop::collection::vec(number(), n), pacing(n)))
            .prop_map(|(values, pacing)| SourceKind::Values { values, pacing }),
        (1u64..6)
            .prop_flat_map(|n| (Just(n), pacing(n as usize)))
            .prop_map(|(count, pacing)| SourceKind::Range { count, pacing }),
        (1u64..6)
            .prop_flat_map(|n| (Just(n), random_range(), whole(1 << 53), pacing(n as usize)))
            .prop_map(|(count, (low, high), seed, pacing)| SourceKind::Random {
                count,
                low,
                high,
                seed,
                pacing
            }),
        (url, format).prop_map(|(url, format)| SourceKind::Fetch { url, format }),
        (
            text(),
            text(),
            prop::option::of(sorted_pair()),
            prop::option::of(whole(100))
        )
            .prop_map(|(store, field, keys, limit)| SourceKind::Database {
                store,
                field,
                keys,
                limit
            }),
    ]
    .prop_map(expr)
    // Boxed, like `pacing`: keeps the value trees off the test thread's stack.
    .boxed();
    leaf.prop_recursive(4, 24, 3, |inner| {
        let pipe = (inner.clone().prop_map(Box::new), transform())
            .prop_map(|(source, transform)| SourceKind::Pipe { source, transform });
        // Weights as when each transform was an arm of its own.
        let transforms = Transform::KEYWORDS.len() as u32;
        prop_oneof![
            1 => prop::collection::vec(inner, 1..4).prop_map(SourceKind::Merge),
            transforms => pipe,
        ]
        .prop_map(expr)
    })
}

/// Any registered transform, its operands drawn like the rest of a program's.
pub fn transform() -> impl Strategy<Value = Transform> {
    let operands = (
        prop::collection::vec(whole(10), 3),
        prop::collection::vec(number(), 3),
        prop::collection::vec(duration(), 3),
        prop::collection::vec(text(), 3),
        prop::collection::vec(any::<prop::sample::Index>(), 3),
    );
    (0..Transform::KEYWORDS.len(), operands).prop_map(|(k, operands)| {
        let (wholes, numbers, durations, texts, choices) = operands;
        let mut drawn = Drawn {
            wholes,
            numbers,
            durations,
            texts,
            choices,
        };
        let keyword = Transform::KEYWORDS[k];
        Transform::read(keyword, &mut drawn)
            .unwrap_or_else(|| panic!("'{keyword}' takes at most 3 operands of a kind"))
    })
}

/// Operands drawn in advance: each transform reads what it needs.
struct Drawn {
    wholes: Vec<u64>,
    numbers: Vec<f64>,
    durations: Vec<f64>,
    texts: Vec<String>,
    choices: Vec<prop::sample::Index>,
}

impl Operands for Drawn {
    fn whole(&mut self, _: &str) -> Option<u64> {
        self.wholes.pop()
    }

    fn number(&mut self) -> Option<f64> {
        self.numbers.pop()
    }

    fn duration(&mut self) -> Option<f64> {
        self.durations.pop()
    }

    fn string(&mut self, _: &str) -> Option<String> {
        self.texts.pop()
    }

    fn word(&mut self, _: &str, _: &str) -> Option<()> {
        Some(())
    }

    fn symbol(&mut self, symbols: &[&str], _: &str) -> Option<usize> {
        Some(self.choices.pop()?.index(symbols.len()))
    }
}

pub fn aggregator() -> impl Strategy<Value = Aggregator> {
    (0..Aggregator::ALL.len()).prop_map(|i| Aggregator::ALL[i])
}

pub fn task_node(label: Option<String>, kind: TaskKind) -> Task {
    Task {
        label,
        kind,
        span: Span::NONE,
    }
}

/// A task; `N * task` appears only as a child of a group.
pub fn task() -> impl Strategy<Value = Task> {
    let leaf = (prop::option::of(text()), aggregator(), source()).prop_map(
        |(label, aggregator, source)| task_node(label, TaskKind::Aggregate { aggregator, source }),
    );
    leaf.prop_recursive(3, 16, 5, |inner| {
        let group = prop_oneof![
            Just(Group::Sequential),
            Just(Group::Gather),
            Just(Group::Race),
            (1u64..10).prop_map(Group::Limit),
            duration().prop_map(Group::Timeout),
        ];
        let child = prop_oneof![
            3 => inner.clone(),
            1 => (prop::option::of(text()), 1u64..4, inner).prop_map(|(label, count, task)| {
                task_node(label, TaskKind::Repeat { count, task: Box::new(task) })
            }),
        ];
        (
            prop::option::of(text()),
            group,
            prop::collection::vec(child, 0..5),
        )
            .prop_map(|(label, group, children)| {
                task_node(label, TaskKind::Group { group, children })
            })
    })
}

pub fn program() -> impl Strategy<Value = Program> {
    let defs = prop::collection::vec(source(), 0..4);
    let statements = prop::collection::vec(task(), 0..4);
    let seed = prop::option::of(whole(1 << 53));
    ("[a-z]{1,4}", defs, statements, seed).prop_map(|(prefix, bodies, mut statements, seed)| {
        let names: Vec<String> = (0..bodies.len()).map(|i| format!("{prefix}_{i}")).collect();
        let sources = bodies
            .into_iter()
            .enumerate()
            .map(|(i, mut body)| {
                resolve(&mut body, &names[..i]);
                SourceDef {
                    name: names[i].clone(),
                    name_span: Span::NONE,
                    body,
                    span: Span::NONE,
                }
            })
            .collect();
        for statement in &mut statements {
            resolve_task(statement, &names);
        }
        Program {
            sources,
            statements,
            seed,
        }
    })
}

/// A program over `sources` named `s0`, `s1`, … (the statements name them
/// so), with or without a seed: the shape the engine's path-equivalence
/// tests draw (`fan_out`, `timed_leaf`).
pub fn program_over(
    sources: impl Strategy<Value = Vec<SourceExpr>>,
    statements: impl Strategy<Value = Vec<Task>>,
) -> impl Strategy<Value = Program> {
    (sources, statements, prop::option::of(0u64..1000)).prop_map(|(bodies, statements, seed)| {
        Program {
            sources: bodies
                .into_iter()
                .enumerate()
                .map(|(k, body)| SourceDef {
                    name: format!("s{k}"),
                    name_span: Span::NONE,
                    body,
                    span: Span::NONE,
                })
                .collect(),
            statements,
            seed,
        }
    })
}

/// Replaces each `#k` placeholder with a visible name, or a literal if none is.
pub fn resolve(source: &mut SourceExpr, visible: &[String]) {
    match &mut source.kind {
        SourceKind::Named(name) => {
            let k: usize = name[1..].parse().unwrap_or(0);
            if visible.is_empty() {
                source.kind = SourceKind::Values {
                    values: vec![1.0],
                    pacing: Pacing::default(),
                };
            } else {
                *name = visible[k % visible.len()].clone();
            }
        }
        _ => source
            .inputs_mut()
            .iter_mut()
            .for_each(|s| resolve(s, visible)),
    }
}

pub fn resolve_task(task: &mut Task, visible: &[String]) {
    match &mut task.kind {
        TaskKind::Aggregate { source, .. } => resolve(source, visible),
        TaskKind::Group { children, .. } => {
            children.iter_mut().for_each(|t| resolve_task(t, visible))
        }
        TaskKind::Repeat { task, .. } => resolve_task(task, visible),
    }
}

/// The program with every real I/O source (fetch, db) replaced by a literal:
/// virtual time can't run them, and neither can the referee; and random
/// delays fixed, as Python draws other numbers than the engine.
pub fn without_io(mut program: Program) -> Program {
    fn source(expr: &mut SourceExpr) {
        match &mut expr.kind {
            SourceKind::Values { pacing, .. }
            | SourceKind::Range { pacing, .. }
            | SourceKind::Random { pacing, .. }
                if matches!(pacing.delays, Delays::Drawn(_)) =>
            {
                pacing.delays = Delays::Every(100.0);
            }
            SourceKind::Fetch { .. } | SourceKind::Database { .. } => {
                expr.kind = SourceKind::Values {
                    values: vec![7.0, 8.0],
                    pacing: Pacing {
                        delays: Delays::Every(100.0),
                        blocking: false,
                    },
                }
            }
            _ => expr.inputs_mut().iter_mut().for_each(source),
        }
    }
    fn task(node: &mut Task) {
        match &mut node.kind {
            TaskKind::Aggregate { source: s, .. } => source(s),
            TaskKind::Group { children, .. } => children.iter_mut().for_each(task),
            TaskKind::Repeat { task: inner, .. } => task(inner),
        }
    }
    program.sources.iter_mut().for_each(|d| source(&mut d.body));
    program.statements.iter_mut().for_each(task);
    program
}
