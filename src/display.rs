//! The one place numbers and durations become text for people: results,
//! errors, lane labels, narration, the language's canonical text and the
//! Python export all call these.
//!
//! Two number forms, each with its reason:
//! - [`format_number`] for values shown as results (`70`, `1850.5`): `-0`
//!   shows as `0`, and exponents start where JavaScript starts them (1e21),
//!   so the page and the engine agree.
//! - [`literal_number`] for program text (the canonical formatter, the
//!   Python export): it keeps the sign of `-0`, and exponents start at 1e16
//!   as in Python's `repr`, so the exported literal is read back as the same
//!   float, not as a Python `int`.
//!
//! Sources as text: [`source_text`] (the canonical form the language's
//! formatter writes) and [`source_label`], a documented short form of it for
//! lane labels.
//!
//! One duration form, [`format_duration`], built on [`literal_number`]: what
//! the parser reads back (`1s`, `1.5s`, `100ms`, `0.5ms`).

use std::fmt::Write;

use crate::float_text::{parse_decimal, FloatText};
use crate::program::{Delays, FetchFormat, Pacing, SourceExpr, SourceKind};

/// Integral values print as integers (`70`, not `70.0`); others in the
/// shortest form that reads back to the same `f64`. An exact tie between two
/// shortest candidates takes the even digit, as Python's `repr` and
/// JavaScript do (Rust's `{}` takes the upper one; found by the CPython
/// referee).
///
/// ```
/// use async_playground::display::format_number;
/// assert_eq!(format_number(70.0), "70");
/// assert_eq!(format_number(-0.0), "0");
/// assert_eq!(format_number(1850.5), "1850.5");
/// assert_eq!(format_number(1e20), "100000000000000000000");
/// assert_eq!(format_number(1e308), "1e308");
/// assert_eq!(format_number(-2.5e-7), "-2.5e-7");
/// assert_eq!(format_number(-1893787526330765.25), "-1893787526330765.2");
/// assert_eq!(format_number(0.3), "0.3");
/// ```
pub fn format_number(value: f64) -> String {
    let magnitude = value.abs();
    if value == 0.0 {
        // Also folds -0 into 0: a learner should never see "-0".
        "0".to_string()
    } else if value.fract() == 0.0 && magnitude < 9e15 {
        // The common case, and much cheaper than shortest-float formatting.
        (value as i64).to_string()
    } else if !(1e-6..1e21).contains(&magnitude) {
        // Where JavaScript switches to exponents too.
        FloatText::exp(value).ties_to_even().to_string()
    } else {
        FloatText::plain(value).ties_to_even().to_string()
    }
}

/// A number as program text: the shortest exact form, which the parser (and
/// Python) read back to the same f64: `3`, `-1.5`, `-0`, `1e300`: the
/// shortest digits that read back to the same f64, as Rust's `{}` and `{:e}`
/// print them; exponent form keeps very large and very small numbers short.
///
/// ```
/// use async_playground::display::literal_number;
/// assert_eq!(literal_number(3.0), "3");
/// assert_eq!(literal_number(-0.0), "-0");
/// assert_eq!(literal_number(1e16), "1e16");
/// assert_eq!(literal_number(0.000001), "1e-6");
/// ```
pub fn literal_number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude != 0.0 && !(1e-5..1e16).contains(&magnitude) {
        FloatText::exp(value).to_string()
    } else {
        FloatText::plain(value).to_string()
    }
}

/// A duration in its shortest exact form: `1s`, `1.5s`, `100ms`, `0.5ms`.
/// Seconds only when the parser reads them back to the same milliseconds.
///
/// ```
/// use async_playground::display::format_duration;
/// assert_eq!(format_duration(1000.0), "1s");
/// assert_eq!(format_duration(1500.0), "1.5s");
/// assert_eq!(format_duration(100.0), "100ms");
/// assert_eq!(format_duration(0.5), "0.5ms");
/// assert_eq!(format_duration(0.0), "0s");
/// ```
pub fn format_duration(ms: f64) -> String {
    if ms == 0.0 {
        return "0s".to_string();
    }
    if ms >= 1000.0 {
        let seconds = literal_number(ms / 1000.0);
        // The parser multiplies seconds by 1000: only use them when exact.
        if parse_decimal(&seconds).map(|s| s * 1000.0) == Some(ms) {
            return format!("{seconds}s");
        }
    }
    format!("{}ms", literal_number(ms))
}

/// A number as a Python float literal: [`literal_number`], which Python
/// reads back to the same float, but `-0.0` for `-0` (Python's `-0` is the
/// integer 0).
///
/// ```
/// use async_playground::display::python_float;
/// assert_eq!(python_float(-0.0), "-0.0");
/// assert_eq!(python_float(2.5), "2.5");
/// ```
pub fn python_float(value: f64) -> String {
    if value == 0.0 && value.is_sign_negative() {
        return "-0.0".to_string();
    }
    literal_number(value)
}

/// Milliseconds as a bare number of seconds (a message adds ` s`, the Python
/// export passes it to `asyncio.sleep`): `12`, `0.1`, `1.5`.
///
/// ```
/// use async_playground::display::seconds;
/// assert_eq!(seconds(12_000.0), "12");
/// assert_eq!(seconds(100.0), "0.1");
/// ```
pub fn seconds(ms: f64) -> String {
    literal_number(ms / 1000.0)
}

/// A double-quoted string with `"`, `\` and line breaks escaped: the
/// language's string literal, which Python reads the same.
///
/// ```
/// assert_eq!(async_playground::display::quoted("a\"b"), r#""a\"b""#);
/// ```
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A source as program text, which parses back to the same source.
///
/// ```
/// use async_playground::display::source_text;
/// use async_playground::lang::parse;
/// use async_playground::program::TaskKind;
/// let program = parse("sum([1, 2] after [1s, 5ms] | fail after 1 \"x\")").unwrap();
/// let TaskKind::Aggregate { source, .. } = &program.statements[0].kind else { panic!() };
/// assert_eq!(source_text(source), "[1, 2] after [1s, 5ms] | fail after 1 \"x\"");
/// ```
pub fn source_text(expr: &SourceExpr) -> String {
    source_in(expr, Form::Canonical)
}

/// A source's short form, for lane labels and narration: the canonical text
/// with lists cut to their first [`LABEL_ITEMS`] values, per-value delays as
/// `after […]`, and the options that do not tell lanes apart (random's range
/// and seed, fetch's column or field, db's keys and limit, fail's message)
/// left out; numbers as results show them.
///
/// ```
/// use async_playground::display::source_label;
/// use async_playground::lang::parse;
/// let program = parse("collect([1, 2, 3, 4, 5] every 1s | take 2)").unwrap();
/// # use async_playground::program::TaskKind;
/// let TaskKind::Aggregate { source, .. } = &program.statements[0].kind else { panic!() };
/// assert_eq!(source_label(source), "[1, 2, 3, 4, …] every 1s | take 2");
/// ```
pub fn source_label(expr: &SourceExpr) -> String {
    source_in(expr, Form::Label)
}

/// Values a label shows of a literal list.
const LABEL_ITEMS: usize = 4;

#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// Parses back to the same source.
    Canonical,
    /// Short, for labels: see [`source_label`].
    Label,
}

impl Form {
    fn number(self, value: f64) -> String {
        match self {
            Form::Canonical => literal_number(value),
            Form::Label => format_number(value),
        }
    }
}

fn source_in(expr: &SourceExpr, form: Form) -> String {
    let label = form == Form::Label;
    match &expr.kind {
        SourceKind::Named(name) => name.clone(),
        SourceKind::Values { values, pacing: p } => {
            let shown = if label { LABEL_ITEMS } else { values.len() };
            let items: Vec<String> = values.iter().take(shown).map(|v| form.number(*v)).collect();
            let more = if values.len() > shown { ", …" } else { "" };
            format!("[{}{more}]{}", items.join(", "), pacing(p, form))
        }
        SourceKind::Range { count, pacing: p } => format!("range({count}){}", pacing(p, form)),
        SourceKind::Random {
            count, pacing: p, ..
        } if label => {
            format!("random({count}){}", pacing(p, form))
        }
        SourceKind::Random {
            count,
            low,
            high,
            seed,
            pacing: p,
        } => format!(
            "random({count}, {}..{}, seed {seed}){}",
            literal_number(*low),
            literal_number(*high),
            pacing(p, form)
        ),
        SourceKind::Fetch { url, .. } if label => format!("fetch({})", quoted(url)),
        SourceKind::Fetch { url, format } => match format {
            FetchFormat::Lines => format!("fetch({})", quoted(url)),
            FetchFormat::Csv { column } => {
                format!("fetch({}, column {})", quoted(url), quoted(column))
            }
            FetchFormat::Ndjson { field } => {
                format!("fetch({}, field {})", quoted(url), quoted(field))
            }
        },
        SourceKind::Database {
            store,
            field,
            keys,
            limit,
        } => {
            let mut text = format!("db({}, field {}", quoted(store), quoted(field));
            if let (Some((low, high)), false) = (keys, label) {
                let _ = write!(
                    text,
                    ", keys {}..{}",
                    literal_number(*low),
                    literal_number(*high)
                );
            }
            if let (Some(limit), false) = (limit, label) {
                let _ = write!(text, ", limit {limit}");
            }
            text.push(')');
            text
        }
        SourceKind::Merge(inputs) => {
            let inputs: Vec<String> = inputs.iter().map(|i| source_in(i, form)).collect();
            format!("merge({})", inputs.join(", "))
        }
        SourceKind::Pipe { source, transform } => {
            format!("{} | {}", source_in(source, form), transform.text(label))
        }
    }
}

fn pacing(pacing: &Pacing, form: Form) -> String {
    let mut text = match &pacing.delays {
        Delays::None => String::new(),
        Delays::Every(ms) => format!(" every {}", format_duration(*ms)),
        Delays::Drawn(distribution) => format!(" every {distribution}"),
        Delays::Each(_) if form == Form::Label => " after […]".to_string(),
        Delays::Each(list) => {
            let items: Vec<String> = list.iter().map(|ms| format_duration(*ms)).collect();
            format!(" after [{}]", items.join(", "))
        }
    };
    if pacing.blocking {
        text.push_str(" blocking");
    }
    text
}
