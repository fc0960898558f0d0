//! The JSON form of everything the JS API returns: the schema documented in
//! the README and typed in the generated `.d.ts` (see `web`);
//! `tests/schema_agreement.rs` holds all three to the same fields. Plain
//! Rust, so it is tested natively; `web` only hands the strings to
//! `JSON.parse`.

use crate::aggregate::Outcome;
use crate::examples::Example;
use crate::json::{Fields, Json};
use crate::lang::{Diagnostic, LineIndex};
use crate::program::Program;
use crate::run::StatementSpread;
use crate::trace::{Event, EventKind, Lane, Report};

/// Byte offset → UTF-16 offset, for editors working on JS strings. The
/// column is already known, so only that line's start needs counting.
fn utf16_offset(text: &str, lines: &[u64], d: &Diagnostic, byte: usize) -> u64 {
    let start = d.span.start.min(text.len());
    let line_begin = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = (d.line as usize).saturating_sub(1);
    let before_line = lines.get(line).copied().unwrap_or(0);
    let in_line = text
        .get(line_begin..byte.min(text.len()))
        .map_or(0, |part| part.encode_utf16().count() as u64);
    before_line + in_line
}

/// The UTF-16 offset where each line starts, counted once for all diagnostics.
fn utf16_line_starts(text: &str) -> Vec<u64> {
    let mut starts = vec![0];
    let mut units = 0u64;
    for c in text.chars() {
        units += c.len_utf16() as u64;
        if c == '\n' {
            starts.push(units);
        }
    }
    starts
}

fn diagnostic(json: &mut Json, text: &str, lines: &[u64], diagnostic: &Diagnostic) {
    json.object(|o| {
        o.integer("line", diagnostic.line.into());
        o.integer("column", diagnostic.column.into());
        let (from, to) = (diagnostic.span.start, diagnostic.span.end);
        o.integer("from", utf16_offset(text, lines, diagnostic, from));
        o.integer("to", utf16_offset(text, lines, diagnostic, to));
        o.string("message", &diagnostic.message);
        o.string("rendered", &diagnostic.render(text));
    });
}

/// `Diagnostic[]`
pub fn diagnostics(text: &str, list: &[Diagnostic]) -> String {
    let lines = utf16_line_starts(text);
    let mut json = Json::default();
    json.array(list, |json, d| diagnostic(json, text, &lines, d));
    json.finish()
}

/// `ParseResult`: the program's sources and statements (and whether it
/// draws random delays, so Run ×N is worth offering), or its diagnostics.
///
/// ```
/// let json = async_playground::schema::parse_result("sum(nope)", &async_playground::lang::parse("sum(nope)"), &[], false);
/// assert!(json.starts_with(r#"{"ok":false,"diagnostics":[{"line":1,"column":5,"from":4,"to":8,"#));
/// ```
pub fn parse_result(
    text: &str,
    parsed: &Result<Program, Vec<Diagnostic>>,
    statement_labels: &[&str],
    random_delays: bool,
) -> String {
    let mut json = Json::default();
    json.object(|o| match parsed {
        Ok(program) => {
            let lines = LineIndex::new(text);
            let line_of = |byte: usize| u64::from(lines.line(byte));
            o.boolean("ok", true);
            o.boolean("randomDelays", random_delays);
            o.key("sources").array(&program.sources, |json, def| {
                json.object(|o| {
                    o.string("name", &def.name);
                    o.integer("line", line_of(def.span.start));
                })
            });
            o.key("statements")
                .array(program.statements.iter().enumerate(), |json, (i, task)| {
                    json.object(|o| {
                        o.string("label", statement_labels.get(i).copied().unwrap_or(""));
                        o.integer("line", line_of(task.span.start));
                    })
                });
        }
        Err(list) => {
            o.boolean("ok", false);
            let lines = utf16_line_starts(text);
            o.key("diagnostics")
                .array(list, |json, d| diagnostic(json, text, &lines, d));
        }
    });
    json.finish()
}

/// `ExampleInfo[]`
pub fn examples(list: &[Example]) -> String {
    let mut json = Json::default();
    json.array(list, |json, example| {
        json.object(|o| {
            o.string("name", example.name);
            o.string("title", example.title());
            o.string("ideal", example.header("ideal").unwrap_or(""));
            o.string("text", example.text);
        })
    });
    json.finish()
}

/// Items of a group the report carries (its `count` says how many there
/// are): ten times what the page shows, so a group of 10^6 tasks is a few
/// kilobytes of JSON, not 45 MB and 10^6 objects in the JS heap.
pub const REPORTED_ITEMS: usize = 1000;

fn outcome(json: &mut Json, result: &Outcome) {
    json.object(|o| {
        let kind = match result {
            Outcome::Number(_) => "number",
            Outcome::List(_) => "list",
            Outcome::Stats(_) => "stats",
            Outcome::Empty => "empty",
            Outcome::Error(_) => "error",
            Outcome::Group(_) => "group",
        };
        o.string("type", kind);
        o.string("text", &result.to_string());
        match result {
            Outcome::Number(value) => o.number("value", *value),
            Outcome::List(values) => o.key("values").array(values, |json, v| json.number(*v)),
            Outcome::Stats(summary) => {
                o.integer("count", summary.count);
                o.number("min", summary.min);
                o.number("max", summary.max);
                o.number("mean", summary.mean);
            }
            Outcome::Error(message) => o.string("message", message),
            Outcome::Group(items) => {
                o.key("items")
                    .array(items.iter().take(REPORTED_ITEMS), outcome);
                o.integer("count", items.len() as u64);
            }
            Outcome::Empty => {}
        }
    });
}

fn lane(json: &mut Json, lane: &Lane) {
    json.object(|o| {
        o.integer("id", lane.id.into());
        match lane.parent {
            Some(parent) => o.integer("parent", parent.into()),
            None => o.key("parent").null(),
        }
        o.integer("depth", lane.depth.into());
        o.integer("statement", lane.statement.into());
        o.string("label", &lane.label);
        o.string("kind", lane.kind);
    });
}

fn event(json: &mut Json, event: &Event) {
    json.object(|o| {
        o.integer("lane", event.lane.into());
        o.number("t", event.t);
        o.string("kind", event.kind.name());
        match &event.kind {
            EventKind::Value { value, late_ms } => {
                o.number("value", *value);
                o.number("lateMs", *late_ms);
            }
            EventKind::Block { ms } => o.number("ms", *ms),
            EventKind::End { result } => o.string("result", result),
            EventKind::Error { message } => o.string("message", message),
            EventKind::Note { text } => o.string("text", text),
            EventKind::Start | EventKind::Cancel => {}
        }
    });
}

fn lanes_and_events(o: &mut Fields<'_>, lanes: &[Lane], events: &[Event]) {
    o.key("lanes").array(lanes, lane);
    o.key("events").array(events, event);
}

/// A live batch: `{ lanes, events }`.
pub fn batch(lanes: &[Lane], events: &[Event]) -> String {
    let mut json = Json::default();
    json.object(|o| lanes_and_events(o, lanes, events));
    json.finish()
}

/// `Report`
pub fn report(report: &Report) -> String {
    report_with(report, &report.lanes, &report.events)
}

/// A `Report` that carries `lanes` and `events` in place of its own: the
/// web run hands its trace over while it runs and writes the rest here.
///
/// ```
/// let program = async_playground::lang::parse("sum([1] every 1ms)").unwrap();
/// let report = async_playground::run::run_virtual(&program).unwrap();
/// let json = async_playground::schema::report_with(&report, &[], &[]);
/// assert!(json.contains(r#""lanes":[],"events":[],"lanesOmitted":0"#));
/// ```
pub fn report_with(report: &Report, lanes: &[Lane], events: &[Event]) -> String {
    let mut json = Json::default();
    json.object(|o| {
        o.string("clock", report.clock);
        o.boolean("cancelled", report.cancelled);
        o.number("elapsedMs", report.elapsed_ms);
        o.number("idealMs", report.ideal_ms);
        o.boolean("idealExact", report.ideal_exact);
        o.key("statements").array(&report.statements, |json, s| {
            json.object(|o| {
                o.integer("lane", s.lane.into());
                o.string("label", &s.label);
                o.number("startMs", s.start_ms);
                o.number("elapsedMs", s.elapsed_ms);
                o.number("idealMs", s.ideal_ms);
                outcome(o.key("result"), &s.outcome);
            })
        });
        lanes_and_events(o, lanes, events);
        o.integer("lanesOmitted", report.lanes_omitted);
        o.integer("eventsOmitted", report.events_omitted);
        let lateness = &report.lateness;
        o.key("timers").object(|o| {
            o.integer("count", lateness.timers);
            o.number("meanLateMs", lateness.mean_ms());
            o.number("maxLateMs", lateness.max_ms);
            o.integer("over4ms", lateness.over_4ms);
            o.integer("over50ms", lateness.over_50ms);
            match lateness.warning() {
                Some(warning) => o.string("warning", &warning),
                None => o.key("warning").null(),
            }
        });
    });
    json.finish()
}

/// `SeedSpread[]`: each statement's elapsed times over the seeds run so far.
///
/// ```
/// let program = async_playground::lang::parse("sum([1] every uniform(10ms..20ms))").unwrap();
/// let mut runs = async_playground::run::SeedRuns::new(&program).unwrap();
/// runs.run(3);
/// let json = async_playground::schema::spreads(&runs.spreads(2));
/// assert!(json.starts_with(r#"[{"label":"sum([1] every uniform(10ms..20ms))","kind":"task","runs":3,"#));
/// ```
pub fn spreads(list: &[StatementSpread]) -> String {
    let mut json = Json::default();
    json.array(list, |json, spread| {
        json.object(|o| {
            o.string("label", &spread.label);
            o.string("kind", spread.kind);
            o.integer("runs", spread.runs as u64);
            o.number("minMs", spread.min_ms);
            o.number("meanMs", spread.mean_ms);
            o.number("p50Ms", spread.p50_ms);
            o.number("p90Ms", spread.p90_ms);
            o.number("p99Ms", spread.p99_ms);
            o.number("maxMs", spread.max_ms);
            o.key("bins").array(&spread.bins, |json, bin| {
                json.object(|o| {
                    o.number("fromMs", bin.from_ms);
                    o.number("toMs", bin.to_ms);
                    o.integer("count", bin.count);
                    match bin.seed {
                        Some(seed) => o.integer("seed", seed),
                        None => o.key("seed").null(),
                    }
                });
            });
        });
    });
    json.finish()
}
