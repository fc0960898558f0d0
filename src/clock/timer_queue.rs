use std::collections::BTreeMap;
use std::task::Waker;

/// Sleepers grouped by deadline: an ordered map from each distinct deadline
/// to the timers due then, over a slab of wakers.
///
/// Many sleepers share a deadline (a gather of 10^6 sources every 100 ms:
/// one deadline per step on the virtual clock, one per quantum on the real
/// one), so inserting is a push onto that deadline's bucket and firing wakes
/// a whole bucket at once, instead of a heap operation per timer. Within a
/// bucket, timers fire in the order they were inserted, which keeps virtual
/// runs deterministic. Removing frees the slot and leaves the bucket entry to
/// be skipped (its generation no longer matches), so it is O(1).
///
/// ```
/// use async_playground::clock::TimerQueue;
/// use futures::task::noop_waker;
/// let mut queue = TimerQueue::default();
/// let late = queue.insert(20.0, noop_waker());
/// let early = queue.insert(10.0, noop_waker());
/// assert_eq!(queue.next_deadline(), Some(10.0));
/// assert_eq!(queue.fire_due(10.0), 1);
/// assert!(queue.has_fired(early) && !queue.has_fired(late));
/// ```
#[derive(Default)]
pub struct TimerQueue {
    buckets: BTreeMap<Deadline, Vec<TimerKey>>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
    last_fired_at: f64,
}

/// A handle to one inserted timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerKey {
    slot: u32,
    generation: u32,
}

struct Slot {
    generation: u32,
    waker: Option<Waker>,
    fired: bool,
}

/// An `f64` deadline ordered by `total_cmp`, usable as a map key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Deadline(i64);

impl Deadline {
    pub(crate) fn new(ms: f64) -> Deadline {
        // The standard total-order trick: flip the magnitude bits of negatives.
        let bits = ms.to_bits() as i64;
        Deadline(bits ^ (((bits >> 63) as u64) >> 1) as i64)
    }

    fn ms(self) -> f64 {
        let bits = self.0 ^ (((self.0 >> 63) as u64) >> 1) as i64;
        f64::from_bits(bits as u64)
    }
}

impl TimerQueue {
    /// Registers a waker to be woken at `deadline`.
    pub fn insert(&mut self, deadline: f64, waker: Waker) -> TimerKey {
        let slot = match self.free.pop() {
            Some(slot) => {
                let entry = &mut self.slots[slot as usize];
                entry.waker = Some(waker);
                entry.fired = false;
                slot
            }
            None => {
                self.slots.push(Slot {
                    generation: 0,
                    waker: Some(waker),
                    fired: false,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let key = TimerKey {
            slot,
            generation: self.slots[slot as usize].generation,
        };
        self.buckets
            .entry(Deadline::new(deadline))
            .or_default()
            .push(key);
        self.live += 1;
        key
    }

    fn slot(&self, key: TimerKey) -> Option<&Slot> {
        self.slots
            .get(key.slot as usize)
            .filter(|slot| slot.generation == key.generation)
    }

    fn is_pending(&self, key: TimerKey) -> bool {
        self.slot(key).is_some_and(|slot| !slot.fired)
    }

    /// Whether the timer's deadline has passed and it was woken.
    pub fn has_fired(&self, key: TimerKey) -> bool {
        self.slot(key).is_some_and(|slot| slot.fired)
    }

    /// Replaces the waker if the task polling the sleep has changed.
    pub fn update_waker(&mut self, key: TimerKey, waker: &Waker) {
        if let Some(slot) = self.slots.get_mut(key.slot as usize) {
            if slot.generation == key.generation {
                match &slot.waker {
                    Some(old) if old.will_wake(waker) => {}
                    _ => slot.waker = Some(waker.clone()),
                }
            }
        }
    }

    /// Forgets a timer, fired or not; its bucket entry is skipped later.
    pub fn remove(&mut self, key: TimerKey) {
        if let Some(slot) = self.slots.get_mut(key.slot as usize) {
            if slot.generation == key.generation {
                if !slot.fired {
                    self.live -= 1;
                }
                slot.generation = slot.generation.wrapping_add(1);
                slot.waker = None;
                slot.fired = false;
                self.free.push(key.slot);
            }
        }
    }

    /// Timers inserted and neither fired nor removed.
    pub fn pending(&self) -> usize {
        self.live
    }

    /// The earliest deadline still pending.
    pub fn next_deadline(&mut self) -> Option<f64> {
        loop {
            let (&deadline, keys) = self.buckets.first_key_value()?;
            if keys.iter().any(|&key| self.is_pending(key)) {
                return Some(deadline.ms());
            }
            self.buckets.pop_first();
        }
    }

    /// The `now` of the latest [`TimerQueue::fire_due`]: when the timers it
    /// woke fired. Their tasks run before the next firing (both clocks poll
    /// woken tasks before firing again), so this is their firing time.
    pub fn last_fired_at(&self) -> f64 {
        self.last_fired_at
    }

    /// Wakes every timer whose deadline is at or before `now`, earliest
    /// deadline first, and returns how many it woke.
    pub fn fire_due(&mut self, now: f64) -> usize {
        self.last_fired_at = now;
        let mut woken = 0;
        while let Some(entry) = self.buckets.first_entry() {
            if entry.key().ms() > now {
                break;
            }
            for key in entry.remove() {
                let Some(slot) = self.slots.get_mut(key.slot as usize) else {
                    continue;
                };
                if slot.generation != key.generation || slot.fired {
                    continue;
                }
                slot.fired = true;
                self.live -= 1;
                if let Some(waker) = slot.waker.take() {
                    waker.wake();
                }
                woken += 1;
            }
        }
        woken
    }

    /// Drops every timer: used when a run is stopped.
    pub fn clear(&mut self) {
        self.buckets.clear();
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if slot.waker.take().is_some() || slot.fired {
                slot.generation = slot.generation.wrapping_add(1);
                slot.fired = false;
                self.free.push(index as u32);
            }
        }
        self.live = 0;
    }
}
