use super::{Budget, Keep, Keeps, Operands, Python, PythonHelper, Step, Text, TickStream};
use crate::clock::Clock;

/// Drops the first `count` values, then passes the rest: `a | skip 2`.
/// The dropped values still take their time, as `async for` over a source
/// that ignores its first items does.
///
/// ```
/// use async_playground::source::{Budget, Skip, Tick, TickStream};
/// use async_playground::clock::VirtualClock;
/// use futures::{stream, StreamExt};
/// let three: TickStream = Box::new(stream::iter([1.0, 2.0, 3.0].map(|v| Ok(Tick::ready(v)))));
/// let rest: Vec<_> = VirtualClock::new().block_on(Skip::new(three, 2, Budget::default()).collect()).unwrap();
/// assert_eq!(rest, vec![Ok(Tick::ready(3.0))]);
/// ```
pub type Skip = Keep<AfterFirst>;

impl Skip {
    pub fn new(inner: TickStream, count: u64, budget: Budget) -> Skip {
        Keep::with(inner, AfterFirst { left: count }, budget)
    }
}

/// `skip N`: every value after the first `left`.
pub struct AfterFirst {
    left: u64,
}

impl Keeps for AfterFirst {
    fn keeps(&mut self, _value: f64) -> bool {
        if self.left == 0 {
            return true;
        }
        self.left -= 1;
        false
    }
}

/// `| skip N`: drops the first N values, passes the rest.
///
/// ```
/// use async_playground::lang::parse;
/// use async_playground::run::run_virtual;
/// let report = run_virtual(&parse("collect(range(5) | skip 3)").unwrap()).unwrap();
/// assert_eq!(report.statements[0].outcome.to_string(), "[3, 4]");
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SkipStep {
    pub count: u64,
}

impl Step for SkipStep {
    const KEYWORD: &'static str = "skip";
    const PYTHON_HELPERS: &'static [PythonHelper] = &[PythonHelper {
        name: "skip",
        needs: &[],
        imports: &[],
        code: r#"async def skip(values, count):
    """Drops the first `count` values, then passes the rest."""
    seen = 0
    async for value in values:
        seen += 1
        if seen > count:
            yield value
"#,
    }];

    fn read<O: Operands>(operands: &mut O) -> Option<SkipStep> {
        let count = operands.whole("how many values to skip")?;
        Some(SkipStep { count })
    }

    fn write(&self, text: &mut Text) {
        text.whole(self.count);
    }

    fn python<P: Python>(&self, input: String, python: &mut P) -> String {
        python.use_helper("skip");
        format!("skip({input}, {})", self.count)
    }

    fn open<C: Clock>(&self, input: TickStream, _: &C, budget: &Budget) -> TickStream {
        Box::new(Skip::new(input, self.count, budget.clone()))
    }
}
