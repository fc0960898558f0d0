//! Instructions per event-loop hop: B3's program, `sum(range(N) every 0s)`,
//! natively on the virtual clock, through the same [`Rebound`] the browser
//! run uses. Count it with callgrind at two sizes; the difference over the
//! difference in N is the cost of one hop, whatever the machine's load.
//!
//! ```sh
//! cargo build --release --example hops
//! for n in 100000 200000; do
//!   valgrind --tool=callgrind --callgrind-out-file=/tmp/hops.$n target/release/examples/hops $n
//! done
//! ```

use std::rc::Rc;

use async_playground::clock::{EitherClock, VirtualClock};
use async_playground::lang;
use async_playground::run::{Engine, Hops, Plan, Rebound};
use async_playground::source::NoIo;

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|arg| arg.parse().ok())
        .unwrap_or(1_000_000);
    let program = lang::parse(&format!("sum(range({n}) every 0s)")).expect("B3 parses");
    let plan = Plan::compile(&program).expect("B3 plans");
    let clock = VirtualClock::new();
    let hops = Hops::new(|| true);
    let engine =
        Engine::new(EitherClock::from(clock.clone()), plan, Rc::new(NoIo)).with_hops(hops.clone());
    clock.block_on(Rebound::with_hops(engine.run(None), hops));
    let report = engine.final_report(false);
    println!("{}", report.statements[0].outcome);
}
