use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::task::Waker;

/// Sleepers ordered by deadline: a binary heap of `(deadline, sequence)` over
/// a slab of wakers.
///
/// Cancelling frees the slot and leaves the heap entry to be skipped when it
/// surfaces (its generation no longer matches), so cancel is O(1). Equal
/// deadlines fire in the order they were inserted, which keeps virtual runs
/// deterministic.
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
    heap: BinaryHeap<Reverse<Entry>>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    sequence: u64,
    live: usize,
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

#[derive(Clone, Copy)]
struct Entry {
    deadline: f64,
    sequence: u64,
    key: TimerKey,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.deadline
            .total_cmp(&other.deadline)
            .then(self.sequence.cmp(&other.sequence))
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
        self.sequence += 1;
        self.heap.push(Reverse(Entry {
            deadline,
            sequence: self.sequence,
            key,
        }));
        self.live += 1;
        key
    }

    fn slot(&self, key: TimerKey) -> Option<&Slot> {
        self.slots
            .get(key.slot as usize)
            .filter(|slot| slot.generation == key.generation)
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

    /// Forgets a timer, fired or not; its heap entry is skipped later.
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
        while let Some(Reverse(entry)) = self.heap.peek() {
            match self.slot(entry.key) {
                Some(slot) if !slot.fired => return Some(entry.deadline),
                _ => {
                    self.heap.pop();
                }
            }
        }
        None
    }

    /// Wakes every timer whose deadline is at or before `now`, in deadline
    /// order, and returns how many it woke.
    pub fn fire_due(&mut self, now: f64) -> usize {
        let mut woken = 0;
        while let Some(Reverse(entry)) = self.heap.peek().copied() {
            if entry.deadline > now {
                break;
            }
            self.heap.pop();
            let Some(slot) = self.slots.get_mut(entry.key.slot as usize) else {
                continue;
            };
            if slot.generation != entry.key.generation || slot.fired {
                continue;
            }
            slot.fired = true;
            self.live -= 1;
            if let Some(waker) = slot.waker.take() {
                waker.wake();
            }
            woken += 1;
        }
        woken
    }

    /// Drops every timer: used when a run is stopped.
    pub fn clear(&mut self) {
        self.heap.clear();
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
