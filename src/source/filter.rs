use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{
    Budget, Cost, Operands, Python, PythonHelper, SourceError, Step, Text, Tick, TickSource,
    TickStream,
};
use crate::clock::Clock;
use crate::display::python_float;

/// Only the values that pass a comparison: `a | filter > 10`.
///
/// ```
/// use async_playground::program::CmpOp;
/// use async_playground::source::{Budget, Filter, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let some: TickStream = Box::new(stream::iter([5.0, 50.0].map(|v| Ok(Tick::ready(v)))));
/// let big: Vec<_> = VirtualClock::new().block_on(Filter::new(some, CmpOp::Gt, 10.0, Budget::default()).collect()).unwrap();
/// assert_eq!(big.len(), 1);
/// ```
pub type Filter = Keep<Comparison>;

impl Filter {
    pub fn new(inner: TickStream, op: CmpOp, operand: f64, budget: Budget) -> Filter {
        Keep::with(inner, Comparison { op, operand }, budget)
    }
}

/// Which values a [`Keep`] passes on, one value at a time, in order.
pub trait Keeps: Unpin {
    fn keeps(&mut self, value: f64) -> bool;
}

/// `filter > 10`: the values that pass the comparison.
pub struct Comparison {
    op: CmpOp,
    operand: f64,
}

impl Keeps for Comparison {
    fn keeps(&mut self, value: f64) -> bool {
        self.op.test(value, self.operand)
    }
}

/// The values its rule keeps, in order; the others are dropped (and still
/// take their time). [`Filter`] is this, and so is any transform that
/// drops values by a rule of its own.
#[must_use = "streams do nothing unless polled"]
pub struct Keep<F> {
    inner: TickStream,
    keep: F,
    /// Values dropped spend work, so a stream that drops everything still
    /// yields when the poll's work is spent.
    budget: Budget,
}

impl<F: Keeps> Keep<F> {
    pub fn with(inner: TickStream, keep: F, budget: Budget) -> Keep<F> {
        Keep {
            inner,
            keep,
            budget,
        }
    }
}

impl<F: Keeps> Stream for Keep<F> {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match this.inner.poll_next_unpin(cx) {
                Poll::Ready(Some(Ok(tick))) if !this.keep.keeps(tick.value) => {
                    if !this.budget.work(Budget::POLLED_WORK) {
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                }
                other => return other,
            }
        }
    }
}

impl<F: Keeps> TickSource for Keep<F> {
    /// May return 0 after consuming values that were all dropped; the caller
    /// then polls, which is still correct.
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        let start = out.len();
        self.inner.ready_values(out, max);
        let mut kept = start;
        for index in start..out.len() {
            if self.keep.keeps(out[index]) {
                out[kept] = out[index];
                kept += 1;
            }
        }
        // The dropped ones are work too; the engine counts the kept ones.
        self.budget.work((out.len() - kept) as u32);
        out.truncate(kept);
        kept - start
    }
}

/// `| filter > 10`: one of `< <= > >= == !=` with a number.
///
/// ```
/// use async_playground::lang::parse;
/// use async_playground::run::run_virtual;
/// let report = run_virtual(&parse("collect(range(5) | filter >= 3)").unwrap()).unwrap();
/// assert_eq!(report.statements[0].outcome.to_string(), "[3, 4]");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct FilterStep {
    pub op: CmpOp,
    pub operand: f64,
}

impl Step for FilterStep {
    const KEYWORD: &'static str = "filter";
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "keep",
        needs: &[],
        imports: &[],
        code: r#"async def keep(values, test):
    async for value in values:
        if test(value):
            yield value
"#,
    }];

    fn read<O: Operands>(operands: &mut O) -> Option<FilterStep> {
        let symbols = CmpOp::ALL.map(CmpOp::symbol);
        let expected = "one of < <= > >= == != after 'filter'";
        let op = CmpOp::ALL[operands.symbol(&symbols, expected)?];
        let operand = operands.number()?;
        Some(FilterStep { op, operand })
    }

    fn write(&self, text: &mut Text) {
        text.word(self.op.symbol());
        text.number(self.operand);
    }

    fn python<P: Python>(&self, input: String, python: &mut P) -> String {
        python.use_helper("keep");
        let (op, operand) = (self.op.symbol(), python_float(self.operand));
        format!("keep({input}, lambda v: v {op} {operand})")
    }

    /// It may drop every value, so nothing after it bounds what is pulled.
    fn cost(&self, input: Cost) -> Cost {
        Cost {
            filtered: true,
            ..input
        }
    }

    fn open<C: Clock>(&self, input: TickStream, _: &C, budget: &Budget) -> TickStream {
        Box::new(Filter::new(input, self.op, self.operand, budget.clone()))
    }
}

/// The comparisons of `filter`.
///
/// ```
/// use async_playground::program::CmpOp;
/// assert!(CmpOp::Ge.test(3.0, 3.0));
/// assert_eq!(CmpOp::Ne.symbol(), "!=");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::Eq,
        CmpOp::Ne,
    ];

    pub fn test(self, x: f64, y: f64) -> bool {
        match self {
            CmpOp::Lt => x < y,
            CmpOp::Le => x <= y,
            CmpOp::Gt => x > y,
            CmpOp::Ge => x >= y,
            CmpOp::Eq => x == y,
            CmpOp::Ne => x != y,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }
}
