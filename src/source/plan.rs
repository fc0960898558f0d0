use std::rc::Rc;

use crate::budget::Budget;

use super::{Merge, TickStream, Timed, Transform};
use crate::clock::Clock;
use crate::distribution::{splitmix64, Draws};
use crate::program::{random_whole_numbers, Delays, FetchFormat};

/// A source with names resolved: opening it makes a fresh stream.
#[derive(Clone, Debug)]
pub enum SourcePlan {
    Timed {
        values: ValueSeq,
        delays: Rc<Delays>,
        blocking: bool,
    },
    Fetch {
        url: Rc<str>,
        format: Rc<FetchFormat>,
    },
    Database {
        store: Rc<str>,
        field: Rc<str>,
        keys: Option<(f64, f64)>,
        limit: Option<u64>,
    },
    Merge(Rc<[SourcePlan]>),
    /// `a | take 2`: the source, through the transform.
    Pipe(Rc<SourcePlan>, Transform),
}

impl SourcePlan {
    /// Whether `answer` holds anywhere in the source: `answer` decides for
    /// the parts it knows (`Some`), and the walk goes on into merged inputs
    /// and transformed sources for the rest (`None`).
    fn anywhere(&self, answer: &dyn Fn(&SourcePlan) -> Option<bool>) -> bool {
        if let Some(known) = answer(self) {
            return known;
        }
        match self {
            SourcePlan::Merge(inputs) => inputs.iter().any(|input| input.anywhere(answer)),
            SourcePlan::Pipe(inner, _) => inner.anywhere(answer),
            SourcePlan::Timed { .. } | SourcePlan::Fetch { .. } | SourcePlan::Database { .. } => {
                false
            }
        }
    }

    /// Whether it can yield NaN or an infinity: literals, ranges and random
    /// values are finite by construction (the checker refuses `1e999`), so
    /// only arithmetic and outside data can.
    pub fn may_yield_non_finite(&self) -> bool {
        self.anywhere(&|part| match part {
            SourcePlan::Timed { .. } => Some(false),
            SourcePlan::Fetch { .. } | SourcePlan::Database { .. } => Some(true),
            SourcePlan::Pipe(_, transform) if transform.may_make_non_finite() => Some(true),
            _ => None,
        })
    }

    /// Whether its values can be ready without waiting, so the batch and
    /// fused paths are worth asking; timed, merged and real I/O sources
    /// never answer them.
    pub fn may_be_ready(&self) -> bool {
        self.anywhere(&|part| match part {
            SourcePlan::Timed { delays, .. } => Some(matches!(**delays, Delays::None)),
            SourcePlan::Fetch { .. } | SourcePlan::Database { .. } | SourcePlan::Merge(_) => {
                Some(false)
            }
            _ => None,
        })
    }

    /// Whether it waits or busy-waits before some value. Real I/O counts as
    /// instant here: no simulation knows its time.
    pub fn takes_time(&self) -> bool {
        self.anywhere(&|part| match part {
            SourcePlan::Timed { delays, .. } => Some(match &**delays {
                Delays::None => false,
                Delays::Every(ms) => *ms > 0.0,
                Delays::Each(list) => list.iter().any(|ms| *ms > 0.0),
                Delays::Drawn(distribution) => !distribution.is_zero(),
            }),
            SourcePlan::Pipe(_, transform) if transform.takes_time() => Some(true),
            _ => None,
        })
    }

    /// Whether it draws random delays: then every copy of it differs.
    pub fn draws(&self) -> bool {
        self.anywhere(&|part| match part {
            SourcePlan::Timed { delays, .. } => Some(matches!(**delays, Delays::Drawn(_))),
            _ => None,
        })
    }

    /// Whether opening it busy-waits somewhere.
    pub fn blocks(&self) -> bool {
        self.anywhere(&|part| match part {
            SourcePlan::Timed { blocking, .. } => Some(*blocking),
            _ => None,
        })
    }
}

/// The values of a timed source, computed on demand so `range(10^7)` costs
/// no memory.
#[derive(Clone, Debug)]
pub enum ValueSeq {
    List(Rc<[f64]>),
    Range(u64),
    /// Whole numbers `first, first + 1, ...` (`span` of them, at least one)
    /// from a SplitMix64 generator: the same seed gives the same values on
    /// every machine. Made by [`ValueSeq::random`].
    Random {
        count: u64,
        first: f64,
        span: u64,
        seed: u64,
    },
}

impl ValueSeq {
    /// `count` whole numbers in `low..=high`, or why the range has none that
    /// can be picked exactly (see [`random_whole_numbers`]).
    ///
    /// ```
    /// use async_playground::source::ValueSeq;
    /// let dice = ValueSeq::random(100, 1.0, 6.0, 42).unwrap();
    /// assert!((0..100).all(|i| (1.0..=6.0).contains(&dice.get(i))));
    /// assert!(ValueSeq::random(3, 0.0, 1e20, 0).is_err());
    /// ```
    pub fn random(count: u64, low: f64, high: f64, seed: u64) -> Result<ValueSeq, String> {
        let (first, span) = random_whole_numbers(low, high)?;
        Ok(ValueSeq::Random {
            count,
            first,
            span,
            seed,
        })
    }

    #[inline(always)]
    pub fn len(&self) -> u64 {
        match self {
            ValueSeq::List(values) => values.len() as u64,
            ValueSeq::Range(count) | ValueSeq::Random { count, .. } => *count,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value number `index`; callers stay below [`ValueSeq::len`].
    #[inline(always)]
    pub fn get(&self, index: u64) -> f64 {
        match self {
            ValueSeq::List(values) => values[index as usize],
            ValueSeq::Range(_) => index as f64,
            ValueSeq::Random {
                first, span, seed, ..
            } => first + (splitmix64(seed.wrapping_add(index)) % (*span).max(1)) as f64,
        }
    }
}

/// Opens a fresh stream of `plan` on `clock`. Real I/O sources open through
/// `io`, which the browser provides, and report to `notes` (the task's lane);
/// elsewhere they fail with a clear error.
/// Sources with random delays draw from the next stream of `draws`.
pub fn open<C: Clock>(
    plan: &SourcePlan,
    clock: &C,
    budget: &Budget,
    draws: &Draws,
    io: &dyn OpenIo,
    notes: Option<&Notes>,
) -> TickStream {
    match plan {
        SourcePlan::Timed {
            values,
            delays,
            blocking,
        } => Box::new(open_timed(values, delays, *blocking, clock, budget, draws)),
        SourcePlan::Fetch { url, format } => io.fetch(url, format, notes.cloned()),
        SourcePlan::Database {
            store,
            field,
            keys,
            limit,
        } => io.database(store, field, *keys, *limit, notes.cloned()),
        SourcePlan::Merge(inputs) => Box::new(Merge::new(
            inputs
                .iter()
                .map(|input| open(input, clock, budget, draws, io, notes))
                .collect(),
        )),
        SourcePlan::Pipe(inner, transform) => {
            transform.open(open(inner, clock, budget, draws, io, notes), clock, budget)
        }
    }
}

/// Opens a timed source's stream unboxed (a leaf that owns it polls it
/// with no dynamic call); random delays draw from the next stream of `draws`.
pub(crate) fn open_timed<C: Clock>(
    values: &ValueSeq,
    delays: &Rc<Delays>,
    blocking: bool,
    clock: &C,
    budget: &Budget,
    draws: &Draws,
) -> Timed<C> {
    let timed = Timed::new(
        clock.clone(),
        values.clone(),
        delays.clone(),
        blocking,
        budget.clone(),
    );
    match **delays {
        Delays::Drawn(_) => timed.drawing_from(draws.next_stream()),
        _ => timed,
    }
}

/// Opens real I/O sources. The browser build implements it with `fetch` and
/// IndexedDB; [`NoIo`] says plainly that they are not available.
///
/// `notes`, when given, is where the source reports what happens on its lane
/// that is not a value (a request sent, response headers).
pub trait OpenIo {
    fn fetch(&self, url: &str, format: &FetchFormat, notes: Option<Notes>) -> TickStream;
    fn database(
        &self,
        store: &str,
        field: &str,
        keys: Option<(f64, f64)>,
        limit: Option<u64>,
        notes: Option<Notes>,
    ) -> TickStream;
}

/// Records a note on a task's lane, at the current time.
pub type Notes = Rc<dyn Fn(&str)>;

/// No real I/O: native tests and virtual-time runs.
pub struct NoIo;

impl OpenIo for NoIo {
    fn fetch(&self, url: &str, _format: &FetchFormat, _notes: Option<Notes>) -> TickStream {
        let message = format!("fetch(\"{url}\") needs the browser and the real clock");
        Box::new(futures::stream::iter([Err(message)]))
    }

    fn database(
        &self,
        store: &str,
        _: &str,
        _: Option<(f64, f64)>,
        _: Option<u64>,
        _: Option<Notes>,
    ) -> TickStream {
        let message = format!("db(\"{store}\") needs the browser and the real clock");
        Box::new(futures::stream::iter([Err(message)]))
    }
}
