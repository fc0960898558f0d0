#![cfg(not(target_arch = "wasm32"))]
//! The fuzzer: random, mutated and grammar-generated programs through parse,
//! format (and parse again), check, and a run on the virtual clock, each
//! under a time budget. A panic, a case over its budget, a formatted text
//! that doesn't read back, or a run that doesn't settle is a failure that
//! prints the input, the seed and the case number.
//!
//! `cargo test` runs a share bounded in time; `./dev fuzz [N]` runs N cases
//! in release. Settings come from the environment:
//! `FUZZ_CASES` (default: no limit), `FUZZ_SECONDS` (default 25; 0 for no
//! limit), `FUZZ_SEED` (default: fixed, so that `./dev test` fails only on
//! a change; `./dev fuzz` draws one from the clock), `FUZZ_FROM` (first case
//! number, to replay one: `FUZZ_SEED=s FUZZ_FROM=i FUZZ_CASES=1`).

#[path = "common/cpu_time.rs"]
mod cpu_time;
mod programs;

use std::panic::{self, AssertUnwindSafe};
use std::pin::pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_playground::clock::{Progress, VirtualClock};
use async_playground::examples::EXAMPLES;
use async_playground::lang::{self, MAX_DIAGNOSTICS};
use async_playground::program::Program;
use async_playground::run::{ideal_times, Engine, Plan};
use async_playground::source::NoIo;
use cpu_time::Stopwatch;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// CPU time for parse, format and the second parse of one case.
const LANG_BUDGET: Duration = Duration::from_millis(200);
/// A run on the virtual clock goes on in slices until this much wall time
/// has passed, like the page's 30 ms slices; then it is set aside.
const RUN_SLICES: Duration = Duration::from_millis(200);
/// A run must come back from one slice within this much CPU time: longer
/// is a freeze.
const RUN_BUDGET: Duration = Duration::from_millis(1000);
/// A case still going after this is hung: the watchdog stops the fuzzer.
const HUNG: Duration = Duration::from_secs(20);
/// Debug builds are several times slower than the release build.
const DEBUG_SLOWDOWN: u32 = 5;

fn budget(release: Duration) -> Duration {
    if cfg!(debug_assertions) {
        release * DEBUG_SLOWDOWN
    } else {
        release
    }
}

/// SplitMix64, so that a case is a pure function of (seed, case number).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Fragments that mutations insert: the language's words and signs, and
/// numbers at the edges of its limits.
fn fragments() -> Vec<String> {
    let mut all: Vec<String> = lang::KEYWORDS.iter().map(|w| w.to_string()).collect();
    all.extend(
        [
            "(",
            ")",
            "[",
            "]",
            ",",
            ":",
            "=",
            "|",
            "..",
            "+",
            "-",
            "*",
            "/",
            "<",
            "<=",
            ">",
            ">=",
            "==",
            "!=",
            "\"",
            "\n",
            " ",
            "#",
            "\\",
            "@",
            "é",
            "\u{0}",
            "afeat1",
            "x",
            "0",
            "1",
            "-1",
            "0.5",
            "0.6",
            "-0",
            "1e20",
            "1e999",
            "9007199254740992",
            "9007199254740993",
            "100000",
            "1e-9ms",
            "0s",
            "1ms",
            "3600s",
            "3601s",
            "2s",
            "seed",
            " blocking",
            " every 1ms",
            " | take 1",
            " | filter < 0",
            "gather(",
            "sum(",
            "random(3, ",
            "range(",
        ]
        .map(String::from),
    );
    all
}

/// One text: random characters, a mutated built-in example, or a program
/// from the grammar's generator (sometimes mutated too).
fn case_text(
    seed: u64,
    case: u64,
    fragments: &[String],
    generated: &dyn Fn(u64) -> String,
) -> (&'static str, String) {
    let mut rng = Rng(seed ^ case.wrapping_mul(0xA24B_AED4_963E_E407));
    match case % 3 {
        0 => {
            let len = rng.below(200);
            let text = if rng.below(2) == 0 {
                let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
                String::from_utf8_lossy(&bytes).into_owned()
            } else {
                (0..len / 3).map(|_| rng.pick(fragments).as_str()).collect()
            };
            ("random", text)
        }
        1 => {
            let text = EXAMPLES[rng.below(EXAMPLES.len())].text.to_string();
            ("mutated", mutate(text, &mut rng, fragments))
        }
        _ => {
            let text = generated(rng.next());
            if rng.below(4) == 0 {
                ("generated+mutated", mutate(text, &mut rng, fragments))
            } else {
                ("generated", text)
            }
        }
    }
}

/// A few random edits: delete, insert a fragment, duplicate or swap a slice.
fn mutate(mut text: String, rng: &mut Rng, fragments: &[String]) -> String {
    for _ in 0..1 + rng.below(6) {
        let at = floor(&text, rng.below(text.len() + 1));
        let to = floor(&text, (at + rng.below(40)).min(text.len()));
        match rng.below(4) {
            0 => text.replace_range(at..to, ""),
            1 => text.insert_str(at, rng.pick(fragments).as_str()),
            2 => {
                let slice = text[at..to].to_string();
                text.insert_str(to, &slice);
            }
            _ => {
                let fragment = rng.pick(fragments).clone();
                text.replace_range(at..to, &fragment);
            }
        }
    }
    text
}

fn floor(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// What one case did, when it didn't fail.
#[derive(Default)]
struct Seen {
    parsed: bool,
    ran: bool,
    set_aside: bool,
}

/// Runs one text through everything; `Err` says what went wrong.
fn check_text(text: &str) -> Result<Seen, String> {
    let start = Stopwatch::start();
    let mut seen = Seen::default();
    let program = match lang::parse(text) {
        Ok(program) => program,
        Err(errors) => {
            check_diagnostics(text, &errors)?;
            over(start, budget(LANG_BUDGET), "parse")?;
            return Ok(seen);
        }
    };
    seen.parsed = true;
    let formatted = lang::format(&program);
    let again = lang::parse(&formatted).map_err(|errors| {
        let shown: Vec<String> = errors.iter().map(|e| e.render(&formatted)).collect();
        format!(
            "the formatted text doesn't parse:\n{formatted}\n{}",
            shown.join("\n")
        )
    })?;
    if lang::format(&again) != formatted {
        return Err(format!("formatting twice differs:\n{formatted}"));
    }
    over(start, budget(LANG_BUDGET), "parse and format")?;
    seen.set_aside = !run(&program)?;
    seen.ran = true;
    Ok(seen)
}

/// Ends the message of a case over its budget.
const OVER_BUDGET: &str = "of CPU time; the budget is";

fn over(start: Stopwatch, budget: Duration, what: &str) -> Result<(), String> {
    let took = start.elapsed();
    if took > budget {
        return Err(format!("{what} took {took:?} {OVER_BUDGET} {budget:?}"));
    }
    Ok(())
}

/// Runs one case; a case over its budget runs again, up to 3 times in all:
/// a stall of the machine counts in CPU time too (see `cpu_time::within`),
/// a slow case is slow every time.
fn check_case(text: &str) -> std::thread::Result<Result<Seen, String>> {
    let mut overruns = Vec::new();
    loop {
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| check_text(text)));
        match outcome {
            Ok(Err(problem)) if problem.contains(OVER_BUDGET) && overruns.len() < 2 => {
                overruns.push(problem)
            }
            Ok(Err(problem)) if !overruns.is_empty() => {
                return Ok(Err(format!("{problem}; before: {}", overruns.join("; "))))
            }
            outcome => return outcome,
        }
    }
}

fn check_diagnostics(text: &str, errors: &[lang::Diagnostic]) -> Result<(), String> {
    if errors.is_empty() || errors.len() > MAX_DIAGNOSTICS {
        return Err(format!("{} diagnostics", errors.len()));
    }
    for error in errors {
        let span = error.span;
        let well_placed = span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end)
            && error.line as usize == text[..span.start].matches('\n').count() + 1
            && error.column >= 1;
        let rendered = error.render(text);
        // A message of at most ~200 chars, and two lines of at most ~120
        // chars of up to 4 bytes.
        let bounded =
            error.message.chars().count() <= 203 && rendered.len() <= error.message.len() + 1200;
        if !well_placed || !rendered.contains(&error.message) || !bounded {
            return Err(format!("bad diagnostic {error:?}:\n{rendered}"));
        }
    }
    Ok(())
}

/// Runs a checked program on the virtual clock as the page does: ideal
/// times, then the run in slices. True when it finished; false when it was
/// still going after [`RUN_SLICES`] (set aside, like a page that keeps
/// slicing). A plan error, a stall or a slice over budget is a failure.
fn run(program: &Program) -> Result<bool, String> {
    let start = Stopwatch::start();
    let ideals = ideal_times(program).map_err(|e| format!("plan error in ideal times: {e:?}"))?;
    over(start, budget(RUN_BUDGET), "ideal times")?;
    let plan = Plan::compile(program).map_err(|e| format!("plan error: {e:?}"))?;
    let engine = Engine::new(VirtualClock::new(), plan, Rc::new(NoIo));
    let clock = engine.clock().clone();
    let mut work = pin!(engine.run(Some(&ideals)));
    let slices_end = Instant::now() + budget(RUN_SLICES);
    loop {
        let slice_start = Stopwatch::start();
        let slice_end = Instant::now() + Duration::from_millis(30);
        let progress = clock.advance(work.as_mut(), || Instant::now() < slice_end);
        over(slice_start, budget(RUN_BUDGET), "one slice of the run")?;
        match progress {
            Progress::Done(()) => return Ok(true),
            Progress::Stalled => return Err("the run stalled: it never settles".into()),
            Progress::Paused if Instant::now() > slices_end => return Ok(false),
            Progress::Paused => {}
        }
    }
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[test]
fn fuzz_programs() {
    // Debug builds of the program generator (recursive strategies, now with
    // random delays) overflowed the 2 MB test stack; the referee uses 64 MB too.
    let fuzzer = std::thread::Builder::new().stack_size(64 << 20).spawn(fuzz);
    if let Err(panic) = fuzzer.expect("a fuzzer thread").join() {
        panic::resume_unwind(panic);
    }
}

fn fuzz() {
    let seed = env("FUZZ_SEED").unwrap_or(0x5eed_f022);
    let first = env("FUZZ_FROM").unwrap_or(0);
    let cases = env("FUZZ_CASES").unwrap_or(u64::MAX);
    let seconds = env("FUZZ_SECONDS").unwrap_or(25);
    let deadline = (seconds > 0).then(|| Instant::now() + Duration::from_secs(seconds));
    let fragments = fragments();
    let strategy = programs::program();
    let generated = |seed: u64| {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        let mut runner = TestRunner::new_with_rng(Config::default(), rng);
        let program = strategy.new_tree(&mut runner).expect("a program").current();
        lang::format(&program)
    };

    // The watchdog: a case stuck past HUNG stops the whole fuzzer, loudly.
    let current: Arc<Mutex<Option<(Instant, u64, String)>>> = Arc::default();
    let watched = current.clone();
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_millis(500));
        if let Some((started, case, text)) = &*watched.lock().unwrap() {
            if started.elapsed() > HUNG {
                eprintln!(
                    "fuzz: case {case} (seed {seed}) is hung after {HUNG:?}; input:\n{text:?}"
                );
                std::process::exit(101);
            }
        }
    });

    let start = Instant::now();
    let (mut done, mut parsed, mut ran, mut set_aside) = (0u64, 0u64, 0u64, 0u64);
    let mut slowest = (Duration::ZERO, 0u64);
    let mut failures = Vec::new();
    let mut case = first;
    while done < cases && deadline.is_none_or(|d| Instant::now() < d) && failures.len() < 10 {
        let (kind, text) = case_text(seed, case, &fragments, &generated);
        *current.lock().unwrap() = Some((Instant::now(), case, text.clone()));
        let case_start = Stopwatch::start();
        let outcome = check_case(&text);
        let took = case_start.elapsed();
        slowest = slowest.max((took, case));
        match outcome {
            Ok(Ok(seen)) => {
                parsed += u64::from(seen.parsed);
                ran += u64::from(seen.ran);
                set_aside += u64::from(seen.set_aside);
            }
            Ok(Err(problem)) => {
                failures.push(format!("case {case} ({kind}): {problem}\ninput: {text:?}"))
            }
            Err(_) => failures.push(format!("case {case} ({kind}): panicked\ninput: {text:?}")),
        }
        done += 1;
        case += 1;
        if done % 100_000 == 0 {
            let rate = done as f64 / start.elapsed().as_secs_f64();
            println!(
                "fuzz: {done} cases (seed {seed}), {rate:.0} cases/s, {} failed so far",
                failures.len()
            );
        }
    }
    *current.lock().unwrap() = None;
    let secs = start.elapsed().as_secs_f64();
    println!(
        "fuzz: {done} cases from {first} (seed {seed}) in {secs:.1} s, {:.0} cases/s; \
         {parsed} parsed, {ran} ran, {set_aside} still running at {RUN_SLICES:?} (set aside); \
         slowest case {} took {:?} of CPU time; {} failed",
        done as f64 / secs,
        slowest.1,
        slowest.0,
        failures.len()
    );
    for failure in &failures {
        println!("FUZZ FAILURE (seed {seed}) {failure}\n");
    }
    assert!(
        failures.is_empty(),
        "{} fuzz failures (seed {seed}), see above",
        failures.len()
    );
}
