//! Random delays: `every uniform(50ms..150ms)`, `every exp(100ms)`,
//! `every lognormal(100ms, p99 1s)`, and a rare spike on any of them,
//! `every 100ms spike 1% 2s`.
//!
//! Draws are pure functions of a run's seed, the statement, which stream of
//! that statement it is (in the order the engine opens them, as tasks start)
//! and the value's index: on the virtual clock the same seed gives the same
//! run, bit for bit, and no generator state is carried around.

use std::cell::Cell;
use std::fmt;
use std::rc::Rc;

use crate::display::format_duration;

/// Any single drawn delay is capped here (1 hour, the longest duration the
/// language accepts), so a heavy tail can't stall a run for days.
pub const MAX_DRAWN_MS: f64 = 3_600_000.0;

/// The standard normal quantile at 0.99: `lognormal(m, p99 P)` has
/// `sigma = ln(P / m) / Z99`.
pub const Z99: f64 = 2.326_347_874_040_840_8;

/// How a delay varies around its typical value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Spread {
    /// `100ms`: always the same (only with a spike).
    Fixed(f64),
    /// `uniform(50ms..150ms)`: any value in the range, equally likely.
    Uniform { low: f64, high: f64 },
    /// `exp(100ms)`: exponential with this mean (memoryless arrivals).
    Exp { mean: f64 },
    /// `lognormal(100ms, p99 1s)`: this median, and 1 % of delays above `p99`.
    LogNormal { median: f64, p99: f64 },
}

/// A delay distribution: a spread, and optionally a rare spike that replaces
/// the delay.
///
/// ```
/// use async_playground::distribution::{Distribution, Spike, Spread};
/// let spiky = Distribution {
///     spread: Spread::Fixed(100.0),
///     spike: Some(Spike { percent: 1.0, ms: 2000.0 }),
/// };
/// assert_eq!(spiky.to_string(), "100ms spike 1% 2s");
/// assert_eq!(spiky.sample(0.3, 0.5), 100.0);    // no spike: v >= 1 %
/// assert_eq!(spiky.sample(0.3, 0.005), 2000.0); // spike: v < 1 %
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Distribution {
    pub spread: Spread,
    pub spike: Option<Spike>,
}

/// `spike 1% 2s`: with probability `percent` / 100 the delay is `ms` instead.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spike {
    /// From 0 to 100, as written.
    pub percent: f64,
    pub ms: f64,
}

impl Distribution {
    /// The delay for two independent uniform numbers `u`, `v` in `[0, 1)`:
    /// `u` draws the spread (by its quantile function), `v` the spike.
    pub fn sample(&self, u: f64, v: f64) -> f64 {
        if let Some(spike) = self.spike {
            if v * 100.0 < spike.percent {
                return spike.ms;
            }
        }
        let ms = match self.spread {
            Spread::Fixed(ms) => ms,
            Spread::Uniform { low, high } => low + (high - low) * u,
            Spread::Exp { mean } => -mean * (1.0 - u).ln(),
            Spread::LogNormal { median, p99 } => {
                let sigma = (p99 / median).ln() / Z99;
                // Keep u inside (0, 1) so the normal quantile is finite.
                let u = u.clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON);
                median * (sigma * normal_quantile(u)).exp()
            }
        };
        ms.clamp(0.0, MAX_DRAWN_MS)
    }

    /// Delay number `index` of the stream `stream` (from [`Draws::next_stream`]).
    ///
    /// ```
    /// use async_playground::distribution::{Distribution, Spread};
    /// let noisy = Distribution { spread: Spread::Uniform { low: 50.0, high: 150.0 }, spike: None };
    /// let first = noisy.draw(7, 0);
    /// assert!((50.0..150.0).contains(&first));
    /// assert_eq!(noisy.draw(7, 0), first); // a pure function of stream and index
    /// ```
    pub fn draw(&self, stream: u64, index: u64) -> f64 {
        let at = stream.wrapping_add(index.wrapping_mul(2));
        self.sample(unit(splitmix64(at)), unit(splitmix64(at.wrapping_add(1))))
    }

    /// Whether every draw is 0 (so the source takes no time).
    pub fn is_zero(&self) -> bool {
        let spread_zero = match self.spread {
            Spread::Fixed(ms) | Spread::Exp { mean: ms } => ms == 0.0,
            Spread::Uniform { high, .. } => high == 0.0,
            Spread::LogNormal { .. } => false,
        };
        spread_zero
            && self
                .spike
                .is_none_or(|spike| spike.ms == 0.0 || spike.percent == 0.0)
    }

    /// What is wrong with the parameters, if anything (durations are already
    /// within 0..=1 h): the checker reports it at the distribution.
    pub fn problem(&self) -> Option<String> {
        match self.spread {
            Spread::Uniform { low, high } if low > high => Some(format!(
                "this range is empty: {} is above {}",
                format_duration(low),
                format_duration(high)
            )),
            Spread::LogNormal { median: 0.0, .. } => {
                Some("a lognormal median must be above 0ms".to_string())
            }
            _ if self.spike.is_some_and(|spike| spike.percent > 100.0) => {
                Some("a spike's chance is a percentage from 0% to 100%".to_string())
            }
            Spread::LogNormal { median, p99 } if p99 < median => Some(format!(
                "p99 {} is below the median {}: the 99th percentile can't be under the 50th",
                format_duration(p99),
                format_duration(median)
            )),
            _ => None,
        }
    }
}

/// The canonical text, as written after `every`.
impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = format_duration;
        match self.spread {
            Spread::Fixed(ms) => write!(f, "{}", d(ms))?,
            Spread::Uniform { low, high } => write!(f, "uniform({}..{})", d(low), d(high))?,
            Spread::Exp { mean } => write!(f, "exp({})", d(mean))?,
            Spread::LogNormal { median, p99 } => {
                write!(f, "lognormal({}, p99 {})", d(median), d(p99))?
            }
        }
        if let Some(spike) = self.spike {
            let percent = crate::aggregate::format_number(spike.percent);
            write!(f, " spike {percent}% {}", d(spike.ms))?;
        }
        Ok(())
    }
}

/// A uniform number in `[0, 1)` from the top 53 bits.
fn unit(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// SplitMix64: a tiny, well-mixed, stateless-by-index generator, shared
/// with `random(...)` values.
pub(crate) fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The standard normal quantile (Acklam's rational approximation, relative
/// error below 1.2e-9), for `p` in (0, 1).
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Which random streams a run's sources draw from: one per opened source
/// with random delays, numbered per statement in the order they are opened.
/// A run's seed picks the whole set.
///
/// ```
/// use async_playground::distribution::Draws;
/// let (a, b) = (Draws::new(42), Draws::new(42));
/// a.begin_statement(0);
/// b.begin_statement(0);
/// assert_eq!(a.next_stream(), b.next_stream());
/// assert_ne!(a.next_stream(), Draws::new(43).next_stream());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Draws(Rc<DrawState>);

#[derive(Debug, Default)]
struct DrawState {
    seed: u64,
    statement: Cell<u64>,
    opened: Cell<u64>,
}

impl Draws {
    pub fn new(seed: u64) -> Draws {
        Draws(Rc::new(DrawState {
            seed,
            ..DrawState::default()
        }))
    }

    /// Streams are numbered afresh for each statement, so one statement's
    /// draws don't depend on how many streams the ones before it opened.
    pub fn begin_statement(&self, index: usize) {
        self.0.statement.set(index as u64);
        self.0.opened.set(0);
    }

    /// The key of the next opened stream.
    pub fn next_stream(&self) -> u64 {
        let state = &self.0;
        let opened = state.opened.get();
        state.opened.set(opened + 1);
        let statement = splitmix64(splitmix64(state.seed).wrapping_add(state.statement.get()));
        splitmix64(statement.wrapping_add(opened))
    }
}
