use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;

use super::{Clock, SelfMessage, Sleep, TimeBase, TimerQueue};

/// The browser's time: `performance.now()`, and one gloo-timers timeout armed
/// for the earliest deadline in the queue. Same-deadline sleepers wake in one
/// batch, so N sleeping sources cost N heap entries and one browser timer.
#[derive(Clone)]
pub struct RealClock(Rc<RealBase>);

struct RealBase {
    /// Looked up once: finding it through `window()` on every read of the
    /// clock cost a quarter of a 10^5-source run.
    performance: Option<web_sys::Performance>,
    origin: f64,
    queue: RefCell<TimerQueue>,
    armed: RefCell<Option<Armed>>,
    /// Arms a short wait from outside a timer's callback: a timer set there
    /// is nested, and past five levels of nesting the browser makes a wait
    /// under 4 ms last 4 ms. Deadlines 0.1 ms apart (1000 sources started one
    /// after another) each paid it. `None` only where no `MessageChannel`
    /// can be made.
    rearm: Option<SelfMessage>,
    this: Weak<RealBase>,
}

/// Waits shorter than this are clamped when nested (see `RealBase::rearm`).
const NESTED_CLAMP_MS: f64 = 4.0;

struct Armed {
    deadline: f64,
    _timeout: Timeout,
}

fn performance() -> Option<web_sys::Performance> {
    // A Window always has a Performance; a worker would use its own scope.
    web_sys::window().and_then(|window| window.performance())
}

fn read(performance: &Option<web_sys::Performance>) -> f64 {
    performance
        .as_ref()
        .map_or_else(js_sys::Date::now, web_sys::Performance::now)
}

/// Times are kept to the microsecond: a difference of two readings carries
/// binary noise (`300.1000000000058`) far finer than any browser's timer,
/// which the report would write out digit by digit.
fn to_microseconds(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// The clock's tick: `performance.now()` is coarsened to 0.1 ms in a page
/// that is not cross-origin isolated, and deadlines are rounded up to it.
const TICK_MS: f64 = 0.1;

impl RealBase {
    fn arm(&self, deadline: f64) {
        // A browser timer takes whole milliseconds. Rounding the wait up
        // made every sleep about 1 ms late (100 ms from a deadline at
        // `now + 100.05` became 101); rounded up from a tick before the
        // deadline, it fires at most a tick early, and `fire` waits out the
        // rest.
        let delay = (deadline - self.now() - TICK_MS).max(0.0).ceil() as u32;
        let this = self.this.clone();
        let timeout = Timeout::new(delay, move || {
            if let Some(base) = this.upgrade() {
                base.fire();
            }
        });
        *self.armed.borrow_mut() = Some(Armed {
            deadline,
            _timeout: timeout,
        });
    }

    fn fire(&self) {
        self.armed.borrow_mut().take();
        let next = {
            let mut queue = self.queue.borrow_mut();
            if let Some(deadline) = queue.next_deadline() {
                // At most a tick early (see `arm`): waiting it out here costs
                // less than the whole millisecond another timer would.
                if deadline - self.now() <= TICK_MS {
                    while self.now() < deadline {}
                }
            }
            queue.fire_due(self.now());
            queue.next_deadline()
        };
        if let Some(deadline) = next {
            self.schedule(deadline);
        }
    }

    /// Arms the browser timer for `deadline`: a wait under 4 ms from a
    /// message to ourselves (see `rearm`), which arms it for the earliest
    /// deadline once it arrives, about 0.1 ms later.
    fn schedule(&self, deadline: f64) {
        // One message in flight arms the earliest deadline when it arrives.
        if deadline - self.now() < NESTED_CLAMP_MS
            && self.rearm.as_ref().is_some_and(SelfMessage::send)
        {
            return;
        }
        self.arm(deadline);
    }

    /// Arms the browser timer for the earliest deadline, unless it already is.
    fn arm_next(&self) {
        let next = self.queue.borrow_mut().next_deadline();
        let Some(deadline) = next else {
            return;
        };
        let armed_in_time =
            matches!(&*self.armed.borrow(), Some(armed) if armed.deadline <= deadline);
        if !armed_in_time {
            self.arm(deadline);
        }
    }
}

impl TimeBase for RealBase {
    fn now(&self) -> f64 {
        to_microseconds(read(&self.performance) - self.origin)
    }

    fn between(&self, earlier: f64, later: f64) -> f64 {
        to_microseconds(later - earlier)
    }

    fn queue(&self) -> &RefCell<TimerQueue> {
        &self.queue
    }

    /// Deadlines are rounded up to a tick, a tenth of a millisecond, so sleepers
    /// started together share a bucket (10^6 sources: a few thousand buckets),
    /// while a sleep waits at most 0.1 ms longer than asked.
    fn quantize(&self, deadline: f64) -> f64 {
        (deadline * 10.0).ceil() / 10.0
    }

    fn inserted(&self, deadline: f64) {
        let earlier = match &*self.armed.borrow() {
            Some(armed) => deadline < armed.deadline,
            None => true,
        };
        if earlier {
            self.schedule(deadline);
        }
    }
}

impl RealClock {
    /// A clock whose zero is now.
    pub fn new() -> RealClock {
        let performance = performance();
        RealClock(Rc::new_cyclic(|this: &Weak<RealBase>| RealBase {
            origin: read(&performance),
            performance,
            queue: RefCell::default(),
            armed: RefCell::default(),
            rearm: {
                let base = this.clone();
                SelfMessage::new(move || {
                    if let Some(base) = base.upgrade() {
                        base.arm_next();
                    }
                })
            },
            this: this.clone(),
        }))
    }

    /// Cancels the browser timer and forgets every sleeper: after a stop,
    /// nothing fires.
    pub fn shut_down(&self) {
        self.0.armed.borrow_mut().take();
        self.0.queue.borrow_mut().clear();
    }

    /// Whether a browser timer is armed (for tests of stopping).
    pub fn is_armed(&self) -> bool {
        self.0.armed.borrow().is_some()
    }
}

impl Default for RealClock {
    fn default() -> Self {
        RealClock::new()
    }
}

impl Clock for RealClock {
    fn now(&self) -> f64 {
        self.0.now()
    }

    fn since(&self, start: f64) -> f64 {
        self.0.between(start, self.0.now())
    }

    fn sleep(&self, ms: f64) -> Sleep {
        Sleep::new(self.0.clone(), ms)
    }

    fn busy_wait(&self, ms: f64) {
        let end = self.now() + ms;
        while self.now() < end {}
    }

    fn kind(&self) -> &'static str {
        "real"
    }
}
