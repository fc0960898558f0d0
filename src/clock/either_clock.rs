#[cfg(all(target_arch = "wasm32", feature = "web"))]
use super::RealClock;
use super::{Clock, Sleep, VirtualClock};

/// The virtual clock or, in the browser, the real one, as one type: the
/// crate's own runs (the browser's runs on either clock, ideal times, Run ×N)
/// all use `Engine<EitherClock>`, so the engine and its futures are compiled
/// once instead of once per clock (about 16 KB of wasm). A match per call
/// costs nothing next to a sleep's timer-queue work.
///
/// ```
/// use async_playground::clock::{Clock, EitherClock, VirtualClock};
/// let virtual_clock = VirtualClock::new();
/// let clock = EitherClock::from(virtual_clock.clone());
/// virtual_clock.block_on(clock.sleep(250.0));
/// assert_eq!((clock.now(), clock.kind()), (250.0, "virtual"));
/// ```
#[derive(Clone)]
pub enum EitherClock {
    Virtual(VirtualClock),
    #[cfg(all(target_arch = "wasm32", feature = "web"))]
    Real(RealClock),
}

impl From<VirtualClock> for EitherClock {
    fn from(clock: VirtualClock) -> EitherClock {
        EitherClock::Virtual(clock)
    }
}

#[cfg(all(target_arch = "wasm32", feature = "web"))]
impl From<RealClock> for EitherClock {
    fn from(clock: RealClock) -> EitherClock {
        EitherClock::Real(clock)
    }
}

/// Calls `$method` on whichever clock it is.
macro_rules! either {
    ($clock:expr, $method:ident($($arg:expr),*)) => {
        match $clock {
            EitherClock::Virtual(clock) => clock.$method($($arg),*),
            #[cfg(all(target_arch = "wasm32", feature = "web"))]
            EitherClock::Real(clock) => clock.$method($($arg),*),
        }
    };
}

impl Clock for EitherClock {
    fn now(&self) -> f64 {
        either!(self, now())
    }

    fn since(&self, start: f64) -> f64 {
        either!(self, since(start))
    }

    fn sleep(&self, ms: f64) -> Sleep {
        either!(self, sleep(ms))
    }

    fn busy_wait(&self, ms: f64) {
        either!(self, busy_wait(ms))
    }

    fn kind(&self) -> &'static str {
        either!(self, kind())
    }
}
