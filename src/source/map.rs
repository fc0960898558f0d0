use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};

use super::{
    Operands, Python, PythonHelper, SourceError, Step, Text, Tick, TickSource, TickStream,
};
use crate::budget::Budget;
use crate::clock::Clock;
use crate::display::python_float;

/// Simple arithmetic on every value: `a | map * 2`.
///
/// ```
/// use async_playground::program::ArithOp;
/// use async_playground::source::{Map, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let one: TickStream = Box::new(stream::iter([Ok(Tick::ready(21.0))]));
/// let doubled: Vec<_> = VirtualClock::new().block_on(Map::new(one, ArithOp::Mul, 2.0).collect()).unwrap();
/// assert_eq!(doubled[0].as_ref().unwrap().value, 42.0);
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Map {
    inner: TickStream,
    op: ArithOp,
    operand: f64,
}

impl Map {
    pub fn new(inner: TickStream, op: ArithOp, operand: f64) -> Map {
        Map { inner, op, operand }
    }
}

impl Stream for Map {
    type Item = Result<Tick, SourceError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let (op, operand) = (self.op, self.operand);
        self.inner.poll_next_unpin(cx).map(|next| {
            next.map(|item| {
                item.map(|mut tick| {
                    tick.value = op.apply(tick.value, operand);
                    tick
                })
            })
        })
    }
}

impl TickSource for Map {
    fn ready_values(&mut self, out: &mut Vec<f64>, max: usize) -> usize {
        let start = out.len();
        let got = self.inner.ready_values(out, max);
        for value in &mut out[start..] {
            *value = self.op.apply(*value, self.operand);
        }
        got
    }
}

/// `| map * 2`: one of `+ - * /` with a number.
///
/// ```
/// use async_playground::lang::parse;
/// use async_playground::run::run_virtual;
/// let report = run_virtual(&parse("collect([1, 2] | map * 10)").unwrap()).unwrap();
/// assert_eq!(report.statements[0].outcome.to_string(), "[10, 20]");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct MapStep {
    pub op: ArithOp,
    pub operand: f64,
}

impl Step for MapStep {
    const KEYWORD: &'static str = "map";
    const PYTHON_HELPERS: &'static [PythonHelper] = &[
        PythonHelper {
            name: "apply",
            needs: &[],
            imports: &[],
            code: r#"async def apply(values, function):
    async for value in values:
        yield function(value)
"#,
        },
        PythonHelper {
            name: "divide",
            needs: &[],
            imports: &["math"],
            code: r#"def divide(x, y):
    """x / y as the playground (IEEE 754) computes it: dividing by 0 gives inf or nan."""
    if y == 0:
        return math.nan if x == 0 else math.copysign(math.inf, x) * math.copysign(1, y)
    return x / y
"#,
        },
    ];

    fn read<O: Operands>(operands: &mut O) -> Option<MapStep> {
        let symbols = ArithOp::ALL.map(ArithOp::symbol);
        let op = ArithOp::ALL[operands.symbol(&symbols, "one of + - * / after 'map'")?];
        let operand = operands.number()?;
        Some(MapStep { op, operand })
    }

    fn write(&self, text: &mut Text) {
        text.word(self.op.symbol());
        text.number(self.operand);
    }

    fn python<P: Python>(&self, input: String, python: &mut P) -> String {
        python.use_helper("apply");
        let operand = python_float(self.operand);
        let function = if self.op == ArithOp::Div {
            python.use_helper("divide");
            format!("divide(v, {operand})")
        } else {
            format!("v {} {operand}", self.op.symbol())
        };
        format!("apply({input}, lambda v: {function})")
    }

    /// `map / 0` makes infinities; `map * 1e300` overflows.
    fn may_make_non_finite(&self) -> bool {
        true
    }

    fn open<C: Clock>(&self, input: TickStream, _: &C, _: &Budget) -> TickStream {
        Box::new(Map::new(input, self.op, self.operand))
    }
}

/// The arithmetic of `map`.
///
/// ```
/// use async_playground::program::ArithOp;
/// assert_eq!(ArithOp::Mul.apply(21.0, 2.0), 42.0);
/// assert_eq!(ArithOp::Div.symbol(), "/");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub const ALL: [ArithOp; 4] = [ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div];

    pub fn apply(self, x: f64, y: f64) -> f64 {
        match self {
            ArithOp::Add => x + y,
            ArithOp::Sub => x - y,
            ArithOp::Mul => x * y,
            ArithOp::Div => x / y,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}
