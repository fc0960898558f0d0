//! Where the memory of N sleeping sources goes: B4's program
//! (`gather(N * sum(a))`, three values 100 ms apart) on the virtual clock,
//! natively, under a counting allocator. Prints the peak of live heap bytes,
//! the live allocations at that peak by size (the per-source ones come N at
//! a time), and what the finished report keeps.
//!
//! ```sh
//! cargo run --release --example memory -- 1000000
//! cargo run --release --example memory -- 1000000 '[10, 20, 40] every uniform(50ms..150ms)'
//! ```
//!
//! The optional second argument replaces the source `a` (B4's by default).
//!
//! Native pointers are 8 bytes against wasm32's 4, so the wasm build's
//! allocations are smaller; bench/README.md maps the sizes to the types.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use async_playground::lang;
use async_playground::run::run_virtual;

/// Live allocations by size in bytes; the last slot holds every larger size.
const SLOTS: usize = 4097;
static LIVE: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static LIVE_BYTES: AtomicUsize = AtomicUsize::new(0);
static PEAK_BYTES: AtomicUsize = AtomicUsize::new(0);
/// LIVE as it was at the last peak (taken every time the peak grows by 1 MB).
static AT_PEAK: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static LARGE_AT_PEAK: AtomicUsize = AtomicUsize::new(0);
static LARGE_BYTES: AtomicUsize = AtomicUsize::new(0);
static SNAPSHOT_AT: AtomicUsize = AtomicUsize::new(0);

struct Counting;

fn slot(size: usize) -> usize {
    size.min(SLOTS - 1)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE[slot(layout.size())].fetch_add(1, Relaxed);
        if layout.size() >= SLOTS - 1 {
            LARGE_BYTES.fetch_add(layout.size(), Relaxed);
        }
        let live = LIVE_BYTES.fetch_add(layout.size(), Relaxed) + layout.size();
        if live > PEAK_BYTES.load(Relaxed) {
            PEAK_BYTES.store(live, Relaxed);
            if live >= SNAPSHOT_AT.load(Relaxed) + (1 << 20) {
                SNAPSHOT_AT.store(live, Relaxed);
                for (from, to) in LIVE.iter().zip(AT_PEAK.iter()) {
                    to.store(from.load(Relaxed), Relaxed);
                }
                LARGE_AT_PEAK.store(LARGE_BYTES.load(Relaxed), Relaxed);
            }
        }
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE[slot(layout.size())].fetch_sub(1, Relaxed);
        if layout.size() >= SLOTS - 1 {
            LARGE_BYTES.fetch_sub(layout.size(), Relaxed);
        }
        LIVE_BYTES.fetch_sub(layout.size(), Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The size classes holding the most bytes, with their share per source.
fn print_classes(title: &str, counts: &[AtomicUsize], large: usize, n: usize) {
    let mut classes: Vec<(usize, usize)> = counts
        .iter()
        .enumerate()
        .take(SLOTS - 1)
        .map(|(size, count)| (size, count.load(Relaxed)))
        .filter(|&(_, count)| count > 0)
        .collect();
    classes.sort_by_key(|&(size, count)| std::cmp::Reverse(size * count));
    println!("{title}");
    for (size, count) in classes.into_iter().take(12) {
        println!(
            "  {count:>9} × {size:>5} B = {:>8.1} MB  ({:.1} allocations and {:.1} B per source)",
            (size * count) as f64 / 1048576.0,
            count as f64 / n as f64,
            (size * count) as f64 / n as f64
        );
    }
    let big = counts[SLOTS - 1].load(Relaxed);
    println!(
        "  {big:>9} allocations ≥ {} B = {:>8.1} MB  ({:.1} B per source)",
        SLOTS - 1,
        large as f64 / 1048576.0,
        large as f64 / n as f64
    );
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("N, a count of sources"))
        .unwrap_or(1_000_000);
    let source = std::env::args()
        .nth(2)
        .unwrap_or_else(|| "[10, 20, 40] every 100ms".into());
    let text = format!("source a = {source}\n\ngather({n} * sum(a))\n");
    let program = lang::parse(&text).expect("the program parses");
    let before = LIVE_BYTES.load(Relaxed);
    let started = std::time::Instant::now();
    let report = run_virtual(&program).expect("the program plans");
    let seconds = started.elapsed().as_secs_f64();
    let peak = PEAK_BYTES.load(Relaxed) - before;
    let kept = LIVE_BYTES.load(Relaxed) - before;
    println!("{n} sources: peak {:.1} MB live ({:.0} B per source); the report keeps {:.1} MB ({:.0} B per source); {} lanes, {} events; {seconds:.2} s (run and ideal, {:.0} ns per source)",
        peak as f64 / 1048576.0, peak as f64 / n as f64, kept as f64 / 1048576.0, kept as f64 / n as f64,
        report.lanes.len(), report.events.len(), seconds * 1e9 / n as f64);
    print_classes(
        "live at the peak, by allocation size:",
        &AT_PEAK,
        LARGE_AT_PEAK.load(Relaxed),
        n,
    );
    print_classes("kept by the report:", &LIVE, LARGE_BYTES.load(Relaxed), n);
    drop(report);
}
